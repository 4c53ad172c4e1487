// 16-bit ALU with flags.
module alu #(parameter W = 16) (
    input  wire [3:0]   op,
    input  wire [W-1:0] a,
    input  wire [W-1:0] b,
    output reg  [W-1:0] y,
    output wire         zero,
    output wire         neg,
    output reg          carry,
    output reg          overflow
);
    localparam OP_ADD  = 4'd0,  OP_SUB  = 4'd1,  OP_AND = 4'd2,  OP_OR   = 4'd3,
               OP_XOR  = 4'd4,  OP_SHL  = 4'd5,  OP_SHR = 4'd6,  OP_SRA  = 4'd7,
               OP_SLT  = 4'd8,  OP_SLTU = 4'd9,  OP_MUL = 4'd10, OP_PASS = 4'd11,
               OP_NOT  = 4'd12, OP_ROL  = 4'd13, OP_CLZ = 4'd14, OP_POP  = 4'd15;

    wire [W:0] sum  = {1'b0, a} + {1'b0, b};
    wire [W:0] diff = {1'b0, a} - {1'b0, b};
    wire [3:0] sh   = b[3:0];

    // count leading zeros and population count, written as loops
    reg [4:0] clz;
    reg [4:0] pop;
    reg       seen;
    integer   i;
    always @* begin
        clz  = 0;
        seen = 0;
        pop  = 0;
        for (i = W-1; i >= 0; i = i - 1) begin
            if (!seen && !a[i]) clz = clz + 1;
            if (a[i]) seen = 1;
            pop = pop + a[i];
        end
    end

    always @* begin
        carry    = 1'b0;
        overflow = 1'b0;
        case (op)
            OP_ADD: begin
                y        = sum[W-1:0];
                carry    = sum[W];
                overflow = (a[W-1] == b[W-1]) && (y[W-1] != a[W-1]);
            end
            OP_SUB: begin
                y        = diff[W-1:0];
                carry    = diff[W];
                overflow = (a[W-1] != b[W-1]) && (y[W-1] != a[W-1]);
            end
            OP_AND:  y = a & b;
            OP_OR:   y = a | b;
            OP_XOR:  y = a ^ b;
            OP_SHL:  y = a << sh;
            OP_SHR:  y = a >> sh;
            OP_SRA:  y = $signed(a) >>> sh;
            OP_SLT:  y = {{(W-1){1'b0}}, $signed(a) < $signed(b)};
            OP_SLTU: y = {{(W-1){1'b0}}, a < b};
            OP_MUL:  y = a[7:0] * b[7:0];
            OP_PASS: y = b;
            OP_NOT:  y = ~a;
            OP_ROL:  y = (a << sh) | (a >> (W - sh));
            OP_CLZ:  y = {{(W-5){1'b0}}, clz};
            default: y = {{(W-5){1'b0}}, pop};
        endcase
    end

    assign zero = (y == {W{1'b0}});
    assign neg  = y[W-1];
endmodule
