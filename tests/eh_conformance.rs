//! Wasm exceptions in real toolchain output, against wasmtime: every run of
//! `tests/eh/runs.txt` (a C++ program throwing across many frames and a C
//! program using setjmp/longjmp, each built with the standard and the
//! legacy exception encoding; see tests/eh/README.md) goes through `wx run`
//! on each tier, and its stdout and exit status (and stderr, for runs that
//! end normally) must equal what wasmtime produced (`tests/eh/expected/`,
//! recorded by `tests/eh/run_oracle.sh`).

mod common;
use common::{root, runs};

fn check(tier: &str) {
    runs::check(&root().join("tests/eh"), tier, 20);
}

#[test]
fn interp_matches_wasmtime() {
    check("interp");
}

#[cfg(all(target_arch = "x86_64", target_os = "linux"))]
#[test]
fn jit_matches_wasmtime() {
    check("jit");
}

#[cfg(all(target_arch = "x86_64", target_os = "linux"))]
#[test]
fn tiered_matches_wasmtime() {
    check("tiered");
}
