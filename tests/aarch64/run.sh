#!/usr/bin/env bash
# The AArch64 suites under qemu-user (`just test-aarch64`; CI runs it after
# the README's test command). Every machine here is x86-64: Debian's
# security suite ships a Rust toolchain with a prebuilt aarch64 std, which
# cross-compiles the tests, and qemu-aarch64 runs them.
#
# Runs: the unit tests of the engine crates, the wasm-v2 spec suite, the
# exceptions and threads proposals, wx's own wast scripts and the fuzz
# targets' replay (tests/fuzz.rs), each on every tier this build has on
# AArch64.
# `QEMU_CPU=cortex-a53 tests/aarch64/run.sh` runs on a CPU without LSE
# atomics. Extra arguments go to both `cargo test` runs (e.g. `--no-run`).
set -euo pipefail
cd "$(dirname "$0")/../.."

triple=aarch64-unknown-linux-gnu
have_toolchain() {
    [ -x /usr/bin/cargo ] && [ -x /usr/bin/rustc ] &&
        [ -d "/usr/lib/rustlib/$triple/lib" ] &&
        command -v aarch64-linux-gnu-gcc >/dev/null &&
        command -v qemu-aarch64 >/dev/null
}
if ! have_toolchain; then
    sudo=""
    [ "$(id -u)" = 0 ] || sudo=sudo
    $sudo dpkg --add-architecture arm64
    $sudo apt-get update -q
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends \
        rustc-web cargo-web "libstd-rust-web-dev:arm64" gcc-aarch64-linux-gnu \
        libc6-dev-arm64-cross qemu-user
fi

# Debian's cargo with Debian's rustc (the rustup toolchain has no aarch64
# std). No `-L /usr/aarch64-linux-gnu` for qemu: thread creation hangs.
export RUSTC=/usr/bin/rustc
export CARGO_TARGET_AARCH64_UNKNOWN_LINUX_GNU_LINKER=aarch64-linux-gnu-gcc
export CARGO_TARGET_AARCH64_UNKNOWN_LINUX_GNU_RUNNER=qemu-aarch64
cargo=(/usr/bin/cargo test --release --target "$triple" --target-dir target/aarch64)

# Skipped under emulation, each for a reason of qemu-user's, not of wx's:
# - code::tests that look at the code arena's layout: qemu-user refuses a
#   shared executable mapping of a memfd (ENOMEM), so the arena falls back
#   to a mapping per function, as it does on such kernels; the code still
#   runs (functions_added_to_an_arena_run calls AArch64 code from it).
skips=(
    --skip code::tests::a_function_larger_than_a_chunk_gets_its_own
    --skip code::tests::an_arena_shares_chunks_on_linux
    --skip code::tests::drop_unmaps_every_chunk
    --skip code::tests::many_small_functions_share_pages
)
"${cargo[@]}" "$@" -p wx-core -p wx-interp -p wx-jit -p wx-runtime --lib -- "${skips[@]}"
# Epoch interruption: the JIT's checks and their register-saving stub.
"${cargo[@]}" "$@" -p wx-runtime --test interrupts
"${cargo[@]}" "$@" -p wx-tests --test spec --test spec_proposals --test regressions \
    --test fuzz --test jit_coverage
# Without LSE (a Cortex-A53 has none), atomics take the exclusive-access
# loops: the threads suite and the own atomics scripts again.
QEMU_CPU=cortex-a53 WX_SPEC_FILTER=threads "${cargo[@]}" "$@" -p wx-tests --test spec_proposals
QEMU_CPU=cortex-a53 WX_SPEC_FILTER=atomic "${cargo[@]}" "$@" -p wx-tests --test regressions
