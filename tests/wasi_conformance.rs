//! WASI preview1 conformance against wasmtime: every run of
//! `tests/wasi/runs.txt` (C programs that call all 46 functions and print
//! what each returned) goes through `wx run` on each tier, and its stdout
//! and exit status (and stderr, for runs that end normally) must equal
//! what wasmtime produced (`tests/wasi/expected/`, recorded by
//! `tests/wasi/run_oracle.sh`; see tests/wasi/README.md).

mod common;
use common::{root, runs};

fn check(tier: &str) {
    runs::check(&root().join("tests/wasi"), tier, 50);
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
