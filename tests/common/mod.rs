//! Helpers shared by the end-to-end tests of the `wx` binary.

#[allow(dead_code, reason = "only the conformance tests use it")]
pub mod runs;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

/// The workspace root (this package's manifest directory).
pub fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The `wx` binary of the profile these tests were built with, built (or
/// brought up to date) once per test run: `cargo test` builds only the `wx`
/// library for this package, not the binary.
#[allow(dead_code, reason = "not every test binary runs the test build of wx")]
pub fn wx_bin() -> &'static Path {
    static BIN: OnceLock<PathBuf> = OnceLock::new();
    BIN.get_or_init(|| {
        // .../target/<profile>/deps/cli-<hash>
        let exe = std::env::current_exe().expect("test executable path");
        let profile_dir = exe
            .parent()
            .and_then(Path::parent)
            .expect("test executable lives in target/<profile>/deps");
        let target_dir = profile_dir.parent().expect("target directory");
        let bin = profile_dir.join(format!("wx{}", std::env::consts::EXE_SUFFIX));
        let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
        let mut cmd = Command::new(cargo);
        cmd.args([
            "build",
            "--quiet",
            "-p",
            "wx",
            "--bin",
            "wx",
            "--target-dir",
        ])
        .arg(target_dir)
        .current_dir(root());
        match profile_dir.file_name().and_then(|n| n.to_str()) {
            Some("debug") | None => {}
            Some("release") => {
                cmd.arg("--release");
            }
            Some(other) => {
                cmd.args(["--profile", other]);
            }
        }
        let status = cmd.status();
        match status {
            Ok(s) if s.success() => {}
            // A stale binary is better than none (e.g. no cargo on PATH).
            _ if bin.exists() => eprintln!("warning: `cargo build -p wx` failed; using {bin:?}"),
            other => panic!("cannot build the wx binary ({other:?}) and {bin:?} does not exist"),
        }
        assert!(bin.exists(), "{bin:?} missing after cargo build");
        bin
    })
}
