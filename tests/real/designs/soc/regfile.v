// 8 x 16 register file, two asynchronous read ports, one write port.
// Register 0 always reads as zero.
module regfile (
    input  wire        clk,
    input  wire        we,
    input  wire [2:0]  waddr,
    input  wire [15:0] wdata,
    input  wire [2:0]  raddr_a,
    input  wire [2:0]  raddr_b,
    output wire [15:0] rdata_a,
    output wire [15:0] rdata_b
);
    reg [15:0] regs [0:7];

    always @(posedge clk)
        if (we && waddr != 3'd0)
            regs[waddr] <= wdata;

    assign rdata_a = (raddr_a == 3'd0) ? 16'd0 : regs[raddr_a];
    assign rdata_b = (raddr_b == 3'd0) ? 16'd0 : regs[raddr_b];
endmodule
