#!/usr/bin/env python3
"""Run the real-program workloads (tests/real/workloads/*/workload.json)
under the wasmtime oracle and record, check or time them. See README.md.

    run.py [--record] [NAME...]         check (default) or re-record expected/
    run.py --time [--runs N] [NAME...]  cold/warm wall time and peak RSS
                                        (fresh wasmtime caches)
    run.py --warm [--runs N] [NAME...]  warm only, per step, with the
                                        persistent wasmtime cache
    run.py --compare [--wx BIN] [--tiers T,...] [--runs N] [NAME...]
                                        wx's tiers against wasmtime, cold and
                                        warm: wall time, ratios, peak RSS,
                                        every run's outputs checked
    run.py --list

Options:
    --cache DIR         the fetch.sh cache (default $WX_REAL_CACHE or
                        ~/.cache/wx-real)
    --wasmtime-cache D  where the oracle keeps wasmtime's compiled code for
                        check/record (default CACHE/wasmtime-cache; the first
                        run compiles yosys ~30 s and clang ~100 s, later runs
                        load it in under a second); --no-wasmtime-cache
                        compiles every time
    --keep DIR          leave each run's {out} and {tmp} under DIR/NAME
    --runtime CMD       run the steps with CMD instead of the oracle: CMD is
                        split on spaces and followed by `--dir H::G`...,
                        `--env K=V`..., `--argv0 A` (only with
                        --runtime-argv0), the program and argv[1:]
                        (e.g. --runtime "target/release/wx run")
    --runtime-argv0     the runtime understands --argv0

Exit status 0 when every selected workload matched (or was recorded).
"""
import argparse
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ORACLE = os.path.join(HERE, "..", "oracle", "wasmtime_run.py")
SMALL = 64 * 1024  # text outputs up to this size are also kept as files


def is_small_text(path):
    if os.path.getsize(path) > SMALL:
        return False
    data = open(path, "rb").read()
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return b"\0" not in data


def sha256(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def load(name):
    with open(os.path.join(HERE, "workloads", name, "workload.json")) as f:
        return json.load(f)


def subst(s, env):
    for k, v in env.items():
        s = s.replace("{" + k + "}", v)
    return s


def step_stdin(step, env):
    """The file a step reads as stdin: its "stdin" key, or /dev/null."""
    return subst(step["stdin"], env) if "stdin" in step else os.devnull


def step_command(step, env, a, wasmtime_cache=None, timing=None, features=()):
    """The command line for one step. `features` is the workload's
    "features" list: "exceptions" turns on the oracle's --exceptions (wasm
    exception handling); a --runtime command gets nothing extra (wx enables
    its post-MVP features by default). A step's "stdin" file becomes the
    process's stdin, and the oracle's --stdin (the oracle does not inherit
    stdin)."""
    unknown = set(features) - {"exceptions"}
    if unknown:
        raise SystemExit(f"unknown workload features {sorted(unknown)}")
    prog = subst(step["program"], env)
    argv = [subst(x, env) for x in step["argv"]]
    dirs = [subst(d, env) for d in step.get("dirs", [])]
    envs = step.get("env", [])
    if a.runtime:
        cmd = a.runtime.split()
        for d in dirs:
            cmd += ["--dir", d]
        for e in envs:
            cmd += ["--env", e]
        if a.runtime_argv0:
            cmd += ["--argv0", argv[0]]
        return cmd + [prog] + argv[1:]
    cmd = [sys.executable, ORACLE]
    if "exceptions" in features:
        cmd += ["--exceptions"]
    if "stdin" in step:
        cmd += ["--stdin", step_stdin(step, env)]
    for d in dirs:
        cmd += ["--dir", d]
    for e in envs:
        cmd += ["--env", e]
    cmd += ["--argv0", argv[0]]
    if wasmtime_cache:
        cmd += ["--cache", wasmtime_cache]
    if timing:
        cmd += ["--timing", timing]
    return cmd + [prog] + argv[1:]


def fresh_env(a, name, root):
    out = os.path.join(root, "out")
    tmp = os.path.join(root, "tmp")
    os.makedirs(out)
    os.makedirs(tmp)
    return {
        "cache": a.cache,
        "real": HERE,
        "workload": os.path.join(HERE, "workloads", name),
        "out": out,
        "tmp": tmp,
    }


def run_workload(a, name, root, results_dir):
    """Run every step; write NAME.stdout/.stderr per step into results_dir.
    Returns a list of (step, exit_status)."""
    w = load(name)
    env = fresh_env(a, name, root)
    statuses = []
    for step in w["steps"]:
        sname = step["name"]
        cmd = step_command(step, env, a, wasmtime_cache=a.wasmtime_cache,
                           features=w.get("features", []))
        with open(os.path.join(results_dir, sname + ".stdout"), "wb") as so, \
                open(os.path.join(results_dir, sname + ".stderr"), "wb") as se, \
                open(step_stdin(step, env), "rb") as si:
            rc = subprocess.call(cmd, stdin=si, stdout=so, stderr=se)
        statuses.append((sname, rc))
        if rc != step.get("exit", 0):
            break
    return w, env, statuses


def collect(w, env, statuses, results_dir):
    """Map of relative name -> host path for everything compared."""
    files = {}
    for sname, _ in statuses:
        for ext in ("stdout", "stderr"):
            files[f"{sname}.{ext}"] = os.path.join(results_dir, f"{sname}.{ext}")
    for rel in w.get("outputs", []):
        files["out/" + rel] = os.path.join(env["out"], rel)
    return files


def cmd_record_or_check(a, names):
    ok = True
    keep_root = a.keep
    for name in names:
        wdir = os.path.join(HERE, "workloads", name)
        exp = os.path.join(wdir, "expected")
        with tempfile.TemporaryDirectory(prefix="wx-real-") as td:
            root = os.path.join(keep_root, name) if keep_root else os.path.join(td, "run")
            if keep_root:
                shutil.rmtree(root, ignore_errors=True)
            results = os.path.join(td, "results")
            os.makedirs(results)
            t0 = time.monotonic()
            w, env, statuses = run_workload(a, name, root, results)
            dt = time.monotonic() - t0
            bad_exit = [(s, rc) for (s, rc), st in zip(statuses, w["steps"]) if rc != st.get("exit", 0)]
            if len(statuses) != len(w["steps"]) or bad_exit:
                print(f"{name}: FAILED exit statuses {statuses} (want "
                      f"{[(s['name'], s.get('exit', 0)) for s in w['steps']]})")
                for s, _ in statuses:
                    p = os.path.join(results, s + ".stderr")
                    sys.stdout.write(open(p, errors="replace").read()[-2000:])
                ok = False
                continue
            files = collect(w, env, statuses, results)
            missing = [k for k, p in files.items() if not os.path.isfile(p)]
            if missing:
                print(f"{name}: FAILED missing outputs {missing}")
                ok = False
                continue
            sums = {k: sha256(p) for k, p in sorted(files.items())}
            if a.record:
                shutil.rmtree(exp, ignore_errors=True)
                os.makedirs(exp)
                with open(os.path.join(exp, "SHA256SUMS"), "w") as f:
                    for k, h in sums.items():
                        f.write(f"{h}  {k}\n")
                for k, p in files.items():
                    if is_small_text(p):
                        dst = os.path.join(exp, k)
                        os.makedirs(os.path.dirname(dst), exist_ok=True)
                        shutil.copyfile(p, dst)
                print(f"{name}: recorded {len(sums)} files ({dt:.1f} s)")
            else:
                want = {}
                with open(os.path.join(exp, "SHA256SUMS")) as f:
                    for line in f:
                        h, k = line.rstrip("\n").split("  ", 1)
                        want[k] = h
                diffs = [k for k in sorted(set(want) | set(sums)) if want.get(k) != sums.get(k)]
                if diffs:
                    ok = False
                    print(f"{name}: DIFFERENT: {', '.join(diffs)} ({dt:.1f} s)")
                    for k in diffs:
                        e = os.path.join(exp, k)
                        if k in files and os.path.isfile(e):
                            subprocess.call(["diff", "-u", e, files[k]], stdout=sys.stdout)
                            sys.stdout.flush()
                else:
                    print(f"{name}: ok, {len(sums)} files identical ({dt:.1f} s)")
    return ok


def peak_rss_kb(stderr_text):
    for line in stderr_text.splitlines():
        if "Maximum resident set size" in line:
            return int(line.rsplit(":", 1)[1])
    return 0


def timed_run(a, name, wasmtime_cache):
    """Run the workload once under /usr/bin/time -v; return (wall_s, rss_kb,
    compile_s, per-step list)."""
    w = load(name)
    with tempfile.TemporaryDirectory(prefix="wx-real-time-") as td:
        env = fresh_env(a, name, os.path.join(td, "run"))
        wall = 0.0
        rss = 0
        comp = 0.0
        steps = []
        for i, step in enumerate(w["steps"]):
            tj = os.path.join(td, f"timing{i}.json")
            tv = os.path.join(td, f"time{i}.txt")
            cmd = ["/usr/bin/time", "-v", "-o", tv] + step_command(
                step, env, a, wasmtime_cache, tj, features=w.get("features", []))
            t0 = time.monotonic()
            with open(step_stdin(step, env), "rb") as si, open(os.devnull, "wb") as dn:
                rc = subprocess.call(cmd, stdin=si, stdout=dn, stderr=dn)
            dt = time.monotonic() - t0
            if rc != step.get("exit", 0):
                raise SystemExit(f"{name}/{step['name']}: exit {rc}")
            r = peak_rss_kb(open(tv).read())
            tjd = json.load(open(tj)) if os.path.exists(tj) else {}
            c = tjd.get("compile_s", 0.0)
            wall += dt
            rss = max(rss, r)
            comp += c
            steps.append((step["name"], dt, r, c, tjd.get("run_s", 0.0)))
        return wall, rss, comp, steps


def cmd_warm(a, names):
    """Warm runs only, with the persistent wasmtime cache."""
    print("| workload / step | wall s | compile (cache load) s | run s | peak RSS MiB |")
    print("| --- | ---: | ---: | ---: | ---: |")
    for name in names:
        timed_run(a, name, a.wasmtime_cache)  # make sure the cache is filled
        runs = [timed_run(a, name, a.wasmtime_cache) for _ in range(a.runs)]
        best = min(runs, key=lambda r: r[0])
        print(f"| {name} | {best[0]:.2f} | {best[2]:.2f} | {sum(s[4] for s in best[3]):.2f} | {best[1] / 1024:.0f} |")
        if a.verbose:
            for s, dt, rk, c, rs in best[3]:
                print(f"|   {s} | {dt:.2f} | {c:.2f} | {rs:.2f} | {rk / 1024:.0f} |")
        sys.stdout.flush()
    return True


def read_sums(name):
    want = {}
    with open(os.path.join(HERE, "workloads", name, "expected", "SHA256SUMS")) as f:
        for line in f:
            h, k = line.rstrip("\n").split("  ", 1)
            want[k] = h
    return want


def checked_run(a, name, runtime, wasmtime_cache):
    """One run of every step of `name` under `runtime` (None: the wasmtime
    oracle with `wasmtime_cache`), timed with /usr/bin/time, its outputs
    compared with expected/. Returns (wall seconds, peak RSS KiB) or raises
    SystemExit naming the difference."""
    w = load(name)
    saved = (a.runtime, a.runtime_argv0)
    a.runtime, a.runtime_argv0 = runtime, runtime is not None
    try:
        with tempfile.TemporaryDirectory(prefix="wx-real-cmp-") as td:
            env = fresh_env(a, name, os.path.join(td, "run"))
            results = os.path.join(td, "results")
            os.makedirs(results)
            wall, rss, statuses = 0.0, 0, []
            for i, step in enumerate(w["steps"]):
                tv = os.path.join(td, f"time{i}.txt")
                cmd = ["/usr/bin/time", "-v", "-o", tv] + step_command(
                    step, env, a, wasmtime_cache, features=w.get("features", []))
                with open(os.path.join(results, step["name"] + ".stdout"), "wb") as so, \
                        open(os.path.join(results, step["name"] + ".stderr"), "wb") as se, \
                        open(step_stdin(step, env), "rb") as si:
                    t0 = time.monotonic()
                    rc = subprocess.call(cmd, stdin=si, stdout=so, stderr=se)
                    wall += time.monotonic() - t0
                rss = max(rss, peak_rss_kb(open(tv).read()))
                statuses.append((step["name"], rc))
                if rc != step.get("exit", 0):
                    raise SystemExit(f"{name} under {runtime or 'wasmtime'}: {step['name']} exited {rc}")
            files = collect(w, env, statuses, results)
            sums = {k: sha256(p) for k, p in files.items() if os.path.isfile(p)}
            want = read_sums(name)
            diffs = [k for k in sorted(set(want) | set(sums)) if want.get(k) != sums.get(k)]
            if diffs:
                raise SystemExit(f"{name} under {runtime or 'wasmtime'}: outputs differ: {', '.join(diffs)}")
            return wall, rss
    finally:
        a.runtime, a.runtime_argv0 = saved


def cmd_compare(a, names):
    """wx's tiers against wasmtime (best of --runs each): cold is a run
    from nothing (wx has no code cache; wasmtime compiles every module
    with an empty cache), warm is wasmtime with its compiled code cached."""
    tiers = a.tiers.split(",")
    cols = [f"wx {t}" for t in tiers] + ["wasmtime cold", "wasmtime warm"]
    print("| workload | " + " | ".join(f"{c} s" for c in cols) +
          " | tiered / wasmtime cold | tiered / wasmtime warm | peak RSS MiB (wx tiered / wasmtime warm / cold) |")
    print("| --- |" + " ---: |" * (len(cols) + 3))
    for name in names:
        best = {}
        for c, t in zip(cols, tiers):
            runs = [checked_run(a, name, f"{a.wx} run --tier {t}", None) for _ in range(a.runs)]
            best[c] = min(runs)
        colds, warms = [], []
        for _ in range(a.runs):
            with tempfile.TemporaryDirectory(prefix="wx-real-wtc-") as wc:
                colds.append(checked_run(a, name, None, wc))
                warms.append(checked_run(a, name, None, wc))
        best["wasmtime cold"] = min(colds)
        best["wasmtime warm"] = min(warms)
        tiered = best.get("wx tiered")
        ratio = lambda x: f"{tiered[0] / x[0]:.2f}x" if tiered else "-"
        rss = f"{tiered[1] / 1024:.0f} / " if tiered else ""
        rss += f"{best['wasmtime warm'][1] / 1024:.0f} / {best['wasmtime cold'][1] / 1024:.0f}"
        print(f"| {name} | " + " | ".join(f"{best[c][0]:.2f}" for c in cols) +
              f" | {ratio(best['wasmtime cold'])} | {ratio(best['wasmtime warm'])} | {rss} |")
        sys.stdout.flush()
    return True


def cmd_time(a, names):
    print("| workload | cold wall s | (compile s) | warm wall s | peak RSS MiB |")
    print("| --- | ---: | ---: | ---: | ---: |")
    for name in names:
        colds, warms = [], []
        for _ in range(a.runs):
            with tempfile.TemporaryDirectory(prefix="wx-real-wtc-") as wc:
                # cold: empty cache at the start of the workload; a module
                # used by several steps is compiled by the first of them
                colds.append(timed_run(a, name, wc))
                # warm: the same cache, now holding every module
                warms.append(timed_run(a, name, wc))
        cold = min(colds, key=lambda r: r[0])
        warm = min(warms, key=lambda r: r[0])
        rss = max(max(r[1] for r in colds), max(r[1] for r in warms))
        print(f"| {name} | {cold[0]:.1f} | {cold[2]:.1f} | {warm[0]:.2f} | {rss / 1024:.0f} |")
        if a.verbose:
            for label, r in (("cold", cold), ("warm", warm)):
                for s, dt, rk, c, rs in r[3]:
                    print(f"|   {label} {s} | {dt:.2f} | {c:.2f} | {rs:.2f} run | {rk / 1024:.0f} |")
        sys.stdout.flush()
    return True


def main():
    p = argparse.ArgumentParser(usage=__doc__)
    p.add_argument("--record", action="store_true")
    p.add_argument("--time", action="store_true")
    p.add_argument("--warm", action="store_true")
    p.add_argument("--runs", type=int, default=1)
    p.add_argument("--list", action="store_true")
    p.add_argument("--verbose", "-v", action="store_true")
    p.add_argument("--cache", default=os.environ.get("WX_REAL_CACHE") or
                   os.path.join(os.path.expanduser("~"), ".cache", "wx-real"))
    p.add_argument("--wasmtime-cache")
    p.add_argument("--no-wasmtime-cache", action="store_true")
    p.add_argument("--keep")
    p.add_argument("--runtime")
    p.add_argument("--runtime-argv0", action="store_true")
    p.add_argument("--compare", action="store_true")
    p.add_argument("--wx", default=os.path.join(HERE, "..", "..", "target", "release", "wx"))
    p.add_argument("--tiers", default="interp,jit,tiered")
    p.add_argument("names", nargs="*")
    a = p.parse_args()
    a.cache = os.path.abspath(a.cache)
    if a.no_wasmtime_cache:
        a.wasmtime_cache = None
    else:
        a.wasmtime_cache = os.path.abspath(a.wasmtime_cache or os.path.join(a.cache, "wasmtime-cache"))
    if a.keep:
        a.keep = os.path.abspath(a.keep)
    all_names = sorted(d for d in os.listdir(os.path.join(HERE, "workloads"))
                       if os.path.isfile(os.path.join(HERE, "workloads", d, "workload.json")))
    if a.list:
        for n in all_names:
            w = load(n)
            feats = f" [features: {', '.join(w['features'])}]" if w.get("features") else ""
            print(f"{n}: {w['description']}{feats}")
        return 0
    names = a.names or all_names
    if not os.path.isdir(a.cache):
        raise SystemExit(f"no cache at {a.cache}: run tests/real/fetch.sh (with the same WX_REAL_CACHE)")
    for n in names:
        if n not in all_names:
            raise SystemExit(f"no workload {n!r} (have: {', '.join(all_names)})")
    if a.compare:
        a.wx = os.path.abspath(a.wx)
        ok = cmd_compare(a, names)
    elif a.time:
        ok = cmd_time(a, names)
    elif a.warm:
        ok = cmd_warm(a, names)
    else:
        ok = cmd_record_or_check(a, names)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
