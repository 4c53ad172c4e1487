#!/usr/bin/env python3
"""Run a WASI command under wasmtime (the PyPI `wasmtime` package) the way
`wx run` would, to record expected outputs for wx's tests.

    python3 wasmtime_run.py [--dir HOST[::GUEST]]... [--env K=V]... [--argv0 NAME]
                            [--stdin FILE] [--exceptions] [--cache DIR]
                            [--timing FILE] PROGRAM.wasm [ARGS...]

The guest's stdout and stderr go to this process's; the exit status is the
guest's proc_exit code, 0 when _start returns, 1 on an uncaught wasm
exception, 134 (128 + SIGABRT) on a
wasm trap, and 1 when a host (WASI) function fails with an error that is not
a trap code (invalid enum value, out-of-bounds guest pointer, ...), as the
wasmtime CLI does on Unix.

--cache DIR turns on wasmtime's compilation cache, kept in DIR: a second run
of the same module with the same DIR loads the compiled code instead of
compiling ("warm" timing). --timing FILE writes {"compile_s",
"instantiate_s", "run_s"} as JSON to FILE when the guest finishes
(compile_s includes reading the .wasm and, with --cache, the cache lookup).
"""
import argparse
import json
import os
import sys
import tempfile
import time

import wasmtime


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--dir", action="append", default=[])
    p.add_argument("--env", action="append", default=[])
    p.add_argument("--argv0")
    p.add_argument("--stdin")
    p.add_argument("--exceptions", action="store_true")
    p.add_argument("--cache")
    p.add_argument("--timing")
    p.add_argument("program")
    p.add_argument("args", nargs=argparse.REMAINDER)
    a = p.parse_args()

    config = wasmtime.Config()
    if a.exceptions:
        config.wasm_exceptions = True
    if a.cache:
        os.makedirs(a.cache, exist_ok=True)
        with tempfile.NamedTemporaryFile("w", suffix=".toml", delete=False) as f:
            f.write("[cache]\ndirectory = %s\n" % json.dumps(os.path.abspath(a.cache)))
        try:
            config.cache = f.name
        finally:
            os.unlink(f.name)
    engine = wasmtime.Engine(config)
    t0 = time.monotonic()
    module = wasmtime.Module.from_file(engine, a.program)
    t1 = time.monotonic()
    timing = {"compile_s": t1 - t0}
    linker = wasmtime.Linker(engine)
    linker.define_wasi()
    store = wasmtime.Store(engine)

    wasi = wasmtime.WasiConfig()
    wasi.argv = [a.argv0 or a.program.rsplit("/", 1)[-1]] + a.args
    env = []
    for kv in a.env:
        k, _, v = kv.partition("=")
        env.append((k, v))
    wasi.env = env
    for d in a.dir:
        host, _, guest = d.partition("::")
        wasi.preopen_dir(host, guest or host)
    if a.stdin:
        wasi.stdin_file = a.stdin
    wasi.inherit_stdout()
    wasi.inherit_stderr()
    store.set_wasi(wasi)

    t1 = time.monotonic()
    instance = linker.instantiate(store, module)
    t2 = time.monotonic()
    timing["instantiate_s"] = t2 - t1
    code = 0
    try:
        instance.exports(store)["_start"](store)
    except wasmtime.ExitTrap as e:
        code = e.code
    except wasmtime.Trap as e:
        sys.stdout.flush()
        print(f"Error: {e}", file=sys.stderr)
        # The C API reports an uncaught wasm exception as a trap, but the
        # wasmtime CLI does not count it as one (its error is not a
        # `wasmtime::Trap`): it exits with status 1.
        code = 1 if "thrown Wasm exception" in str(e) else 134
    except wasmtime.WasmtimeError as e:
        # A host function failed without a guest exit code or wasm trap code
        # (e.g. WASI given an invalid enum value or an out-of-bounds pointer):
        # the wasmtime CLI prints the error and exits with status 1.
        sys.stdout.flush()
        print(f"Error: {e}", file=sys.stderr)
        code = 1
    timing["run_s"] = time.monotonic() - t2
    sys.stdout.flush()
    if a.timing:
        with open(a.timing, "w") as f:
            json.dump(timing, f)
            f.write("\n")
    return code


if __name__ == "__main__":
    sys.exit(main())
