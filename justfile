# wx developer recipes. The one test command is `cargo test --workspace`.

build:
    cargo build --release -p wx

test:
    cargo test --workspace

# The AArch64 suites (engine unit tests, spec, proposals, own wast scripts,
# fuzz replay) cross-compiled and run under qemu-user; installs Debian's
# cross toolchain and qemu the first time. CI runs it after `test`.
test-aarch64:
    bash tests/aarch64/run.sh

# The fuzz targets (crates/fuzz: compile, tiers, wasmi; see README
# "Fuzzing") under libFuzzer, one after another, `secs` seconds each, from
# the kept corpus; new inputs go to fuzz/target/corpus, crashes to
# fuzz/artifacts. Inputs may be 8 KiB from the start: wasm-smith needs
# bytes to make more than a trivial module. Needs nightly and cargo-fuzz;
# without them, the stable driver runs the same targets for as long.
fuzz secs="60":
    #!/usr/bin/env bash
    set -euo pipefail
    if cargo +nightly fuzz --version >/dev/null 2>&1; then
        cd fuzz
        for t in compile tiers wasmi; do
            mkdir -p target/corpus/$t
            # A target without regressions has no directory for them.
            dirs=(target/corpus/$t corpus/$t)
            [ -d regressions/$t ] && dirs+=(regressions/$t)
            cargo +nightly fuzz run -O $t "${dirs[@]}" -- -max_total_time={{secs}} -max_len=8192 -len_control=0
        done
    else
        WX_FUZZ_SECS={{secs}} WX_FUZZ_ITERS=100000000 cargo test --release --test fuzz
    fi

# ThreadSanitizer over the tests where threads share an engine (eight
# threads tiering up, epoch timers, limiters). Needs nightly with rust-src.
tsan:
    RUSTFLAGS="-Zsanitizer=thread" cargo +nightly test -Zbuild-std \
        --target x86_64-unknown-linux-gnu --target-dir target/tsan \
        -p wx-runtime --test many_threads --test interrupts --test limits

# The official spec suite only (WX_SPEC_FILTER=name narrows it).
spec:
    cargo test --test spec

fmt:
    cargo fmt --all

lint:
    cargo fmt --all -- --check
    cargo clippy --workspace --all-targets -- -D warnings

# The benchmark suite (docs/benchmarks.md): every program in benches/programs
# on each wx tier, output checked against native results, beside the other
# engines found on PATH (wasmi, wasmtime, wasmtime-py, node); then the
# criterion micro benchmarks (translation MB/s, call overhead, dispatch,
# JIT compile MB/s).
bench:
    cargo run --release -p wx -- bench --runs 3 --external --svg docs/bench-interp.svg --json docs/bench-interp.json
    cargo bench -p wx-runtime
    cargo bench -p wx-jit --bench compile

# Compile speed against wasmtime's Winch and Cranelift in one criterion run
# (builds wasmtime the first time, about 5 minutes).
bench-compile-vs-wasmtime:
    cd benches/engines/compile-speed && cargo bench

# The real programs of tests/real (yosys, clang): every workload on wx's
# tiers and on wasmtime (cold: no code cache; warm: its compiled code
# cached), outputs checked, times, ratios and peak RSS as a table. Takes
# about ten minutes (wasmtime compiles clang for a minute or two).
real:
    bash tests/real/fetch.sh
    cargo build --release -p wx
    python3 tests/real/run.py --compare

# Throw-and-catch cost (benches/eh) on wx's tiers against wasmtime-py.
bench-eh:
    cargo run --release -p wx -- bench benches/eh/throw_catch.wat --runs 3 --engines wasmtime-py

# Two wx binaries on the benchmark suite, interleaved, best of 5 per
# program and tier (e.g. a build of the previous commit against this one).
bench-ab old new:
    python3 benches/ab.py {{old}} {{new}}
