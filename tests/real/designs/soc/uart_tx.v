// 8N1 UART transmitter with a baud divider and a state machine.
module uart_tx #(parameter DIV = 16) (
    input  wire       clk,
    input  wire       rst,
    input  wire       start,
    input  wire [7:0] data,
    output reg        tx,
    output wire       busy
);
    localparam S_IDLE = 2'd0, S_START = 2'd1, S_DATA = 2'd2, S_STOP = 2'd3;

    reg [1:0] state;
    reg [7:0] shreg;
    reg [2:0] bitn;
    reg [7:0] baud;
    wire      baud_tick = (baud == DIV - 1);

    assign busy = (state != S_IDLE);

    always @(posedge clk) begin
        if (rst) begin
            state <= S_IDLE;
            tx    <= 1'b1;
            baud  <= 8'd0;
            bitn  <= 3'd0;
            shreg <= 8'd0;
        end else begin
            baud <= (state == S_IDLE || baud_tick) ? 8'd0 : baud + 8'd1;
            case (state)
                S_IDLE:
                    if (start) begin
                        shreg <= data;
                        state <= S_START;
                        tx    <= 1'b0;
                    end
                S_START:
                    if (baud_tick) begin
                        state <= S_DATA;
                        bitn  <= 3'd0;
                        tx    <= shreg[0];
                    end
                S_DATA:
                    if (baud_tick) begin
                        shreg <= {1'b0, shreg[7:1]};
                        if (bitn == 3'd7) begin
                            state <= S_STOP;
                            tx    <= 1'b1;
                        end else begin
                            bitn <= bitn + 3'd1;
                            tx   <= shreg[1];
                        end
                    end
                S_STOP:
                    if (baud_tick)
                        state <= S_IDLE;
            endcase
        end
    end
endmodule
