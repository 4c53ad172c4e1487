// Up/down timer with prescaler, reload and an interrupt flag.
module timer (
    input  wire        clk,
    input  wire        rst,
    input  wire        load,
    input  wire [15:0] load_value,
    input  wire        enable,
    input  wire        down,
    input  wire [3:0]  prescale,
    input  wire        irq_ack,
    output reg  [15:0] count,
    output reg         irq
);
    reg [15:0] pre;
    wire       tick = (pre == ({12'd0, prescale} << 4));

    always @(posedge clk) begin
        if (rst) begin
            pre   <= 16'd0;
            count <= 16'd0;
            irq   <= 1'b0;
        end else begin
            if (irq_ack)
                irq <= 1'b0;
            if (load) begin
                count <= load_value;
                pre   <= 16'd0;
            end else if (enable) begin
                if (tick) begin
                    pre <= 16'd0;
                    if (down) begin
                        if (count == 16'd0) begin
                            count <= load_value;
                            irq   <= 1'b1;
                        end else
                            count <= count - 16'd1;
                    end else begin
                        if (count == 16'hffff)
                            irq <= 1'b1;
                        count <= count + 16'd1;
                    end
                end else
                    pre <= pre + 16'd1;
            end
        end
    end
endmodule
