//! Real programs from package registries (YoWASP's yosys and clang, see
//! tests/real/README.md) run under `wx run` on each tier and must write
//! exactly what wasmtime wrote: every step's stdout, stderr and exit
//! status, and every output file (`tests/real/workloads/*/expected`).
//!
//! The packages (about 36 MB to download) are fetched into
//! `$WX_REAL_CACHE` (default `~/.cache/wx-real`) by `tests/real/fetch.sh`,
//! which this test runs first (it needs npm, node, python3, tar and
//! sha256sum, and returns at once when the cache is there).
//!
//! These programs run for minutes under the interpreter of a test build
//! (overflow checks, no cross-crate inlining), so the test builds and runs
//! the release `wx`, as shipped: about 3 minutes of building, then 4-5 of
//! running on two cores.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

mod common;
use common::root;

/// The release `wx` binary, built (or brought up to date) once.
fn release_wx() -> &'static Path {
    static BIN: OnceLock<PathBuf> = OnceLock::new();
    BIN.get_or_init(|| {
        // .../target/<profile>/deps/real_programs-<hash>
        let exe = std::env::current_exe().expect("test executable path");
        let target = exe
            .ancestors()
            .nth(3)
            .expect("test executable lives in target/<profile>/deps");
        let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
        let status = Command::new(cargo)
            .args(["build", "--quiet", "--release", "-p", "wx", "--bin", "wx"])
            .arg("--target-dir")
            .arg(target)
            .current_dir(root())
            .status()
            .expect("cargo runs");
        assert!(status.success(), "cargo build --release -p wx failed");
        let bin = target
            .join("release")
            .join(format!("wx{}", std::env::consts::EXE_SUFFIX));
        assert!(bin.exists(), "{bin:?} missing after cargo build");
        bin
    })
}

/// Fetch the packages once per test run.
fn fetched() {
    static FETCH: OnceLock<Result<(), String>> = OnceLock::new();
    let result = FETCH.get_or_init(|| {
        let out = Command::new("bash")
            .arg(root().join("tests/real/fetch.sh"))
            .output()
            .map_err(|e| format!("cannot run tests/real/fetch.sh: {e}"))?;
        if out.status.success() {
            Ok(())
        } else {
            Err(format!(
                "tests/real/fetch.sh failed ({}): {}",
                out.status,
                String::from_utf8_lossy(&out.stderr)
            ))
        }
    });
    if let Err(e) = result {
        panic!("{e}");
    }
}

/// Run every workload under `wx run --tier TIER`; panics with run.py's
/// report on any difference from wasmtime.
fn workloads_match_wasmtime(tier: &str) {
    fetched();
    let runtime = format!("{} run --tier {tier}", release_wx().display());
    let out = Command::new("python3")
        .arg(root().join("tests/real/run.py"))
        .args(["--runtime", &runtime, "--runtime-argv0"])
        .output()
        .expect("python3 runs tests/real/run.py");
    let report = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{tier}: real programs differ from wasmtime:\n{report}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // Every workload reported, and identical.
    let ok = report.lines().filter(|l| l.contains(": ok,")).count();
    assert_eq!(ok, 6, "{tier}: {report}");
}

#[test]
fn real_programs_on_interp() {
    workloads_match_wasmtime("interp");
}

#[cfg(all(target_arch = "x86_64", target_os = "linux"))]
#[test]
fn real_programs_on_jit() {
    workloads_match_wasmtime("jit");
}

#[cfg(all(target_arch = "x86_64", target_os = "linux"))]
#[test]
fn real_programs_on_tiered() {
    workloads_match_wasmtime("tiered");
}
