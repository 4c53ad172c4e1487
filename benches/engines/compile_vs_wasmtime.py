#!/usr/bin/env python3
"""Module compile time of wx's JIT against wasmtime's two compilers, Winch
(baseline) and Cranelift (optimising), in one session on one thread.

Usage: python3 compile_vs_wasmtime.py [--runs N] [--wx PATH] FILE.wasm...

For each module and compiler, the median of N runs (default 5) of the time
from the module's bytes to code ready to run:

- wx: the `compile` column of `wx bench --tiers jit` (`Module::new` under
  the jit strategy: decoding, validation and compiling every function);
- Winch and Cranelift: `wasmtime.Module(engine, bytes)` (wasmtime-py, with
  parallel compilation off): decoding, validation, compiling, and
  wasmtime's per-function extras (trampolines, metadata, the code object).

The ratios compare engines end to end, not code generators alone: wasmtime
does more per function than a code generator, which weighs most on modules
of many small functions. Needs `python3 -m pip install wasmtime`.
"""
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time

# wasmtime_strategy_t values of wasmtime's C API (wasmtime-py's `strategy`
# setter only names "auto" and "cranelift").
STRATEGIES = [("winch", 2), ("cranelift", 1)]


def wasmtime_compile_times(path, strategy, runs):
    import wasmtime
    from wasmtime import _ffi as ffi

    with open(path, "rb") as f:
        data = f.read()
    times = []
    for _ in range(runs):
        config = wasmtime.Config()
        config.parallel_compilation = False
        ffi.wasmtime_config_strategy_set(config.ptr(), strategy)
        engine = wasmtime.Engine(config)
        start = time.perf_counter()
        wasmtime.Module(engine, data)
        times.append(time.perf_counter() - start)
    return times


def wx_compile_times(wx, paths, runs):
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "bench.json")
        cmd = [wx, "bench", "--tiers", "jit", "--runs", str(runs), "--json", out] + paths
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        with open(out) as f:
            report = json.load(f)
    times = {}
    for program in report["programs"]:
        result = program["results"]["wx jit"]
        if result["status"] != "ok":
            sys.exit("wx bench failed on %s" % program["path"])
        times[program["path"]] = [s["compile"] for s in result["samples"]]
    return times


def main():
    args = sys.argv[1:]
    runs, wx = 5, "wx"
    while args and args[0].startswith("--"):
        flag = args.pop(0)
        if flag == "--runs" and args:
            runs = int(args.pop(0))
        elif flag == "--wx" and args:
            wx = args.pop(0)
        else:
            print(__doc__, file=sys.stderr)
            return 2
    if not args or runs < 1:
        print(__doc__, file=sys.stderr)
        return 2
    wx_times = wx_compile_times(wx, args, runs)
    ms = lambda ts: statistics.median(ts) * 1e3
    print("%-24s %10s %10s %10s %11s %15s" % ("module", "wx jit", "winch", "cranelift", "winch/wx", "cranelift/wx"))
    ratios = []
    for path in args:
        wx_ms = ms(wx_times[path])
        others = [ms(wasmtime_compile_times(path, s, runs)) for _, s in STRATEGIES]
        print(
            "%-24s %7.2f ms %7.2f ms %7.2f ms %10.1fx %14.1fx"
            % (os.path.basename(path), wx_ms, others[0], others[1], others[0] / wx_ms, others[1] / wx_ms)
        )
        ratios.append((others[0] / wx_ms, others[1] / wx_ms))
    geomean = lambda xs: statistics.geometric_mean(xs)
    print("%-57s %10.1fx %14.1fx" % ("geomean", geomean([r[0] for r in ratios]), geomean([r[1] for r in ratios])))
    print("(median of %d runs each; one thread; time from the module's bytes to code ready to run)" % runs)
    return 0


if __name__ == "__main__":
    sys.exit(main())
