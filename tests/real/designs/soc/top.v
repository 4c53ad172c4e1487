// SoC top: CPU + timer + UART on a tiny I/O bus.
module top (
    input  wire       clk,
    input  wire       rst,
    input  wire [7:0] switches,
    output wire       uart_txd,
    output reg  [7:0] leds,
    output wire       irq,
    output wire       halted
);
    wire [7:0]  io_addr;
    wire [15:0] io_wdata;
    wire        io_we;
    reg  [15:0] io_rdata;

    wire [15:0] tcount;
    wire        tirq;
    reg  [15:0] tload;
    reg         tctrl_load, tctrl_en, tctrl_down, tack;
    reg  [3:0]  tpre;
    reg         uart_start;
    reg  [7:0]  uart_data;
    wire        uart_busy;

    cpu core (
        .clk(clk), .rst(rst),
        .io_addr(io_addr), .io_wdata(io_wdata), .io_we(io_we),
        .io_rdata(io_rdata), .halted(halted)
    );

    timer tim (
        .clk(clk), .rst(rst), .load(tctrl_load), .load_value(tload),
        .enable(tctrl_en), .down(tctrl_down), .prescale(tpre),
        .irq_ack(tack), .count(tcount), .irq(tirq)
    );

    uart_tx #(.DIV(12)) uart (
        .clk(clk), .rst(rst), .start(uart_start), .data(uart_data),
        .tx(uart_txd), .busy(uart_busy)
    );

    assign irq = tirq;

    always @* begin
        case (io_addr[2:0])
            3'd0: io_rdata = {8'd0, switches};
            3'd1: io_rdata = tcount;
            3'd2: io_rdata = {15'd0, uart_busy};
            3'd3: io_rdata = {15'd0, tirq};
            default: io_rdata = 16'hdead;
        endcase
    end

    always @(posedge clk) begin
        if (rst) begin
            leds       <= 8'd0;
            tload      <= 16'd0;
            tctrl_load <= 1'b0;
            tctrl_en   <= 1'b0;
            tctrl_down <= 1'b0;
            tack       <= 1'b0;
            tpre       <= 4'd0;
            uart_start <= 1'b0;
            uart_data  <= 8'd0;
        end else begin
            tctrl_load <= 1'b0;
            tack       <= 1'b0;
            uart_start <= 1'b0;
            if (io_we) begin
                case (io_addr[2:0])
                    3'd0: leds <= io_wdata[7:0];
                    3'd1: begin tload <= io_wdata; tctrl_load <= 1'b1; end
                    3'd2: {tpre, tctrl_down, tctrl_en} <= io_wdata[5:0];
                    3'd3: tack <= 1'b1;
                    3'd4: if (!uart_busy) begin uart_data <= io_wdata[7:0]; uart_start <= 1'b1; end
                    default: leds <= leds ^ io_wdata[7:0];
                endcase
            end
        end
    end
endmodule
