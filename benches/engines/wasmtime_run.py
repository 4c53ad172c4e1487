#!/usr/bin/env python3
"""Run a WASI command module under wasmtime (the `wasmtime` PyPI package,
Cranelift JIT), for `wx bench --external`.

Usage: python3 wasmtime_run.py [--dir HOST::GUEST]... [--env K=V]... FILE.wasm [ARGS...]
       python3 wasmtime_run.py --version

The guest's stdout and stderr are this process's (so a pipe, under
`wx bench`); its exit status is the guest's `proc_exit` code, 1 on a trap or
any other error. On success, the last stderr line is

    wx-bench-time: compile=<s> instantiate=<s> run=<s>

the in-process times in seconds (without Python's start-up and the import of
wasmtime), which `wx bench` reports instead of the subprocess wall time.

Install: python3 -m pip install wasmtime
"""
import os
import sys
import time


def main():
    args = sys.argv[1:]
    import wasmtime

    if args == ["--version"]:
        try:
            from importlib.metadata import version

            ver = version("wasmtime")
        except Exception:
            ver = "?"
        print("wasmtime-py %s" % ver)
        return 0
    dirs, envs = [], []
    while len(args) >= 2 and args[0] in ("--dir", "--env"):
        (dirs if args[0] == "--dir" else envs).append(args[1])
        args = args[2:]
    if not args:
        print(__doc__, file=sys.stderr)
        return 2
    path = args[0]
    config = wasmtime.Config()
    config.wasm_bulk_memory = True
    config.wasm_multi_value = True
    # Compile on this thread only, like the other engines measured here.
    config.parallel_compilation = False
    engine = wasmtime.Engine(config)
    with open(path, "rb") as f:
        binary = f.read()
    t0 = time.perf_counter()
    module = wasmtime.Module(engine, binary)
    t1 = time.perf_counter()
    store = wasmtime.Store(engine)
    wasi = wasmtime.WasiConfig()
    wasi.argv = [os.path.basename(path)] + args[1:]
    wasi.env = [tuple(e.split("=", 1)) if "=" in e else (e, "") for e in envs]
    for d in dirs:
        # HOST[::GUEST[::ro]], as `wx run --dir`.
        parts = d.split("::")
        host, guest = parts[0], parts[1] if len(parts) > 1 else parts[0]
        wasi.preopen_dir(host, guest, fs_mutable=parts[2:] != ["ro"])
    wasi.inherit_stdout()
    wasi.inherit_stderr()
    store.set_wasi(wasi)
    linker = wasmtime.Linker(engine)
    linker.define_wasi()
    instance = linker.instantiate(store, module)
    t2 = time.perf_counter()
    code = 0
    try:
        instance.exports(store)["_start"](store)
    except wasmtime.ExitTrap as e:
        code = e.code
    t3 = time.perf_counter()
    sys.stdout.flush()
    if code == 0:
        print(
            "wx-bench-time: compile=%.6f instantiate=%.6f run=%.6f" % (t1 - t0, t2 - t1, t3 - t2),
            file=sys.stderr,
        )
    return code


if __name__ == "__main__":
    try:
        sys.exit(main())
    except Exception as e:  # traps, link errors, a missing module...
        lines = str(e).strip().splitlines() or [type(e).__name__]
        print("error: %s" % lines[0], file=sys.stderr)
        sys.exit(1)
