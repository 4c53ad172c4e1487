// A small multi-cycle CPU: 16-bit instructions from a ROM, 8 registers,
// 32 words of data RAM, memory-mapped I/O, and a FETCH/DECODE/EXEC/MEM/WB
// control state machine.
//
// Instruction formats (16 bits):
//   0ooo dddaaabbbx    ALU:   rd = ra op rb     (op = {x, ooo})
//   1000 dddiiiiiiii   LI:    rd = sign-extended imm9 (low 8 bits + sign)
//   1001 dddaaaiiiii   LD:    rd = mem[ra + imm5]
//   1010 dddaaaiiiii   ST:    mem[ra + imm5] = rd
//   1011 cccaaaiiiii   BR:    if cond(ccc, flags) pc = pc + imm5 (signed)
//   1100 dddaaaxxxx    ALU2:  rd = ra op2 rd    (op2 = {1, x[2:0]})
//   1111 ...           HALT
module cpu (
    input  wire        clk,
    input  wire        rst,
    output reg  [7:0]  io_addr,
    output reg  [15:0] io_wdata,
    output reg         io_we,
    input  wire [15:0] io_rdata,
    output wire        halted
);
    localparam F = 3'd0, D = 3'd1, X = 3'd2, M = 3'd3, WB = 3'd4, H = 3'd5;

    reg  [2:0]  state;
    reg  [7:0]  pc;
    reg  [15:0] ir;
    reg  [15:0] result;
    reg         zf, nf, cf, vf;

    // program ROM
    reg [15:0] rom_data;
    always @* begin
        case (pc)
            8'd0:  rom_data = 16'h8205; // li r1, 5
            8'd1:  rom_data = 16'h8403; // li r2, 3
            8'd2:  rom_data = 16'h0698; // add r3, r1, r2  (op 0)
            8'd3:  rom_data = 16'h1898; // sub r4, r1, r2  (op 1)
            8'd4:  rom_data = 16'h5a9a; // mul r5, r1, r2  (op 10)
            8'd5:  rom_data = 16'ha600; // st r3, [r0+0]
            8'd6:  rom_data = 16'ha801; // st r4, [r0+1]
            8'd7:  rom_data = 16'h9c00; // ld r6, [r0+0]
            8'd8:  rom_data = 16'hc0c9; // alu2 r0 ...
            8'd9:  rom_data = 16'hb23e; // br cond 1, r0, -2
            8'd10: rom_data = 16'ha818; // st r4, [r0+24] (I/O: leds)
            8'd11: rom_data = 16'ha61c; // st r3, [r0+28] (I/O: uart)
            default: rom_data = 16'hf000; // halt
        endcase
    end

    // decode
    wire [3:0] opc  = ir[15:12];
    wire [2:0] rd   = ir[11:9];
    wire [2:0] ra   = ir[8:6];
    wire [2:0] rb   = ir[5:3];
    wire [4:0] imm5 = ir[4:0];
    wire [15:0] imm9 = {{7{ir[8]}}, ir[8:0]};

    wire [15:0] ra_val, rb_val, rd_val;
    wire        rf_we = (state == WB) && (opc[3] == 1'b0 || opc == 4'h8 || opc == 4'h9 || opc == 4'hc);

    regfile rf (
        .clk(clk), .we(rf_we), .waddr(rd), .wdata(result),
        .raddr_a(ra), .raddr_b(opc == 4'hc || opc == 4'ha ? rd : rb),
        .rdata_a(ra_val), .rdata_b(rb_val)
    );
    assign rd_val = rb_val;

    wire [3:0]  alu_op = (opc == 4'hc) ? {1'b1, ir[2:0]} : {1'b0, opc[2:0]} | {ir[2], 3'b000};
    wire [15:0] alu_y;
    wire        alu_z, alu_n, alu_c, alu_v;
    alu #(.W(16)) the_alu (
        .op(alu_op), .a(ra_val), .b(rb_val), .y(alu_y),
        .zero(alu_z), .neg(alu_n), .carry(alu_c), .overflow(alu_v)
    );

    // data RAM; addresses 24..31 are the I/O window
    reg  [15:0] dmem [0:31];
    wire [4:0]  maddr = ra_val[4:0] + imm5;
    wire        is_io = (maddr[4:3] == 2'b11);

    reg cond;
    always @* begin
        case (rd)
            3'd0: cond = 1'b1;
            3'd1: cond = !zf;
            3'd2: cond = zf;
            3'd3: cond = nf;
            3'd4: cond = !nf;
            3'd5: cond = cf;
            3'd6: cond = vf;
            default: cond = nf ^ vf;
        endcase
    end

    assign halted = (state == H);

    always @(posedge clk) begin
        if (rst) begin
            state    <= F;
            pc       <= 8'd0;
            ir       <= 16'd0;
            result   <= 16'd0;
            {zf, nf, cf, vf} <= 4'b0;
            io_addr  <= 8'd0;
            io_wdata <= 16'd0;
            io_we    <= 1'b0;
        end else begin
            io_we <= 1'b0;
            case (state)
                F: begin
                    ir    <= rom_data;
                    pc    <= pc + 8'd1;
                    state <= D;
                end
                D: state <= (ir[15:12] == 4'hf) ? H : X;
                X: begin
                    case (opc)
                        4'h8: begin result <= imm9; state <= WB; end
                        4'h9, 4'ha: state <= M;
                        4'hb: begin
                            if (cond) pc <= pc + {{3{imm5[4]}}, imm5};
                            state <= F;
                        end
                        default: begin
                            result <= alu_y;
                            {zf, nf, cf, vf} <= {alu_z, alu_n, alu_c, alu_v};
                            state <= WB;
                        end
                    endcase
                end
                M: begin
                    if (opc == 4'ha) begin
                        if (is_io) begin
                            io_addr  <= {5'd0, maddr[2:0]};
                            io_wdata <= rd_val;
                            io_we    <= 1'b1;
                        end else
                            dmem[maddr] <= rd_val;
                        state <= F;
                    end else begin
                        result <= is_io ? io_rdata : dmem[maddr];
                        state  <= WB;
                    end
                end
                WB: state <= F;
                default: state <= H;
            endcase
        end
    end
endmodule
