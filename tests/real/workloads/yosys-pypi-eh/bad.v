// A Verilog syntax error: read_verilog reports it and yosys exits with
// status 1 (log_error -> _Exit(1); this path throws no C++ exception).
module bad (input wire a, output wire y);
  assign y = a &;
endmodule
