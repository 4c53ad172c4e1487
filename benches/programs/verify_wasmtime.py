#!/usr/bin/env python3
"""Runs every benchmark module under wasmtime (the `wasmtime` PyPI package)
and compares its stdout with the native NAME.expected.

Usage: python3 verify_wasmtime.py [--pulley] [NAME_OR_FILE ...]
    (default: every module listed in manifest.txt)
    --pulley  run on wasmtime's Pulley bytecode interpreter instead of the
              Cranelift JIT (gives interpreter-like reference timings)

Needs: python3 -m pip install wasmtime
Prints per-module compile and run times; exits 1 on any mismatch or trap.
"""
import os
import sys
import tempfile
import time

import wasmtime

HERE = os.path.dirname(os.path.abspath(__file__))


def modules():
    with open(os.path.join(HERE, "manifest.txt")) as f:
        for line in f:
            line = line.strip()
            if line and not line.startswith("#"):
                wasm, expected, features = line.split()
                yield wasm, expected, features


def run(wasm_path, out_path, pulley):
    config = wasmtime.Config()
    if pulley:
        config.target = "pulley64"
    config.wasm_bulk_memory = True
    config.wasm_multi_value = True
    engine = wasmtime.Engine(config)
    t0 = time.perf_counter()
    module = wasmtime.Module.from_file(engine, wasm_path)
    t1 = time.perf_counter()
    store = wasmtime.Store(engine)
    wasi = wasmtime.WasiConfig()
    wasi.argv = [os.path.basename(wasm_path)]
    wasi.stdout_file = out_path
    wasi.inherit_stderr()
    store.set_wasi(wasi)
    linker = wasmtime.Linker(engine)
    linker.define_wasi()
    instance = linker.instantiate(store, module)
    code = 0
    try:
        instance.exports(store)["_start"](store)
    except wasmtime.ExitTrap as e:
        code = e.code
    t2 = time.perf_counter()
    return code, t1 - t0, t2 - t1


def main():
    args = sys.argv[1:]
    pulley = "--pulley" in args
    wanted = [a for a in args if a != "--pulley"]
    try:
        from importlib.metadata import version
        ver = version("wasmtime")
    except Exception:
        ver = "?"
    print("engine: wasmtime-py %s (%s)" % (ver, "Pulley interpreter" if pulley else "Cranelift JIT"))
    failures = 0
    print("%-26s %9s %9s  %s" % ("module", "compile", "run", "result"))
    with tempfile.TemporaryDirectory() as tmp:
        for wasm, expected, _features in modules():
            if wanted and not any(w in (wasm, wasm.split(".")[0]) for w in wanted):
                continue
            out = os.path.join(tmp, wasm + ".out")
            try:
                code, tc, tr = run(os.path.join(HERE, wasm), out, pulley)
            except Exception as e:  # traps, link errors, ...
                print("%-26s %9s %9s  ERROR %s" % (wasm, "-", "-", str(e).splitlines()[0]))
                failures += 1
                continue
            with open(out, "rb") as f:
                got = f.read()
            with open(os.path.join(HERE, expected), "rb") as f:
                want = f.read()
            ok = code == 0 and got == want
            result = "ok" if ok else "MISMATCH (exit %d)" % code
            print("%-26s %8.3fs %8.3fs  %s" % (wasm, tc, tr, result))
            if not ok:
                failures += 1
    if failures:
        print("%d failure(s)" % failures)
        return 1
    print("all ok")
    return 0


if __name__ == "__main__":
    sys.exit(main())
