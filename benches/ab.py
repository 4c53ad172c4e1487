#!/usr/bin/env python3
"""Compare two wx binaries on the benchmark programs, interleaved.

    benches/ab.py OLD_WX NEW_WX [--tiers jit,tiered,interp] [--runs 5]
                  [--json FILE] [PROGRAM.wasm ...]

Each program runs under `wx run --tier T` with each binary, alternating
which goes first, RUNS times; the best (minimum) wall time of each is kept,
which is the figure least disturbed by other work on a shared machine.
Prints new/old per program and tier, then the geomean and the worst
program per tier. Default programs: benches/programs/*.wasm.
"""
import argparse
import glob
import json
import math
import os
import subprocess
import time

HERE = os.path.dirname(os.path.abspath(__file__))


def main():
    p = argparse.ArgumentParser()
    p.add_argument("old")
    p.add_argument("new")
    p.add_argument("--tiers", default="jit,tiered,interp")
    p.add_argument("--runs", type=int, default=5)
    p.add_argument("--json")
    p.add_argument("programs", nargs="*")
    a = p.parse_intermixed_args()
    programs = a.programs or sorted(glob.glob(os.path.join(HERE, "programs", "*.wasm")))
    bins = {"old": a.old, "new": a.new}
    results = {}
    for prog in programs:
        for tier in a.tiers.split(","):
            best = {"old": math.inf, "new": math.inf}
            for i in range(a.runs):
                for k in ("old", "new") if i % 2 == 0 else ("new", "old"):
                    t0 = time.perf_counter()
                    subprocess.run([bins[k], "run", "--tier", tier, prog],
                                   stdout=subprocess.DEVNULL, check=True)
                    best[k] = min(best[k], time.perf_counter() - t0)
            name = os.path.basename(prog)
            results[(name, tier)] = (best["old"], best["new"])
            print(f"{name:26} {tier:7} old {best['old']:.3f} s  new {best['new']:.3f} s  "
                  f"new/old {best['new'] / best['old']:.3f}", flush=True)
    for tier in a.tiers.split(","):
        ratios = [(n / o, name) for (name, t), (o, n) in results.items() if t == tier]
        geo = math.exp(sum(math.log(r) for r, _ in ratios) / len(ratios))
        worst = max(ratios)
        print(f"{tier}: geomean new/old {geo:.3f}, worst {worst[0]:.3f} ({worst[1]})")
    if a.json:
        with open(a.json, "w") as f:
            json.dump({f"{n}|{t}": v for (n, t), v in results.items()}, f, indent=1)


if __name__ == "__main__":
    main()
