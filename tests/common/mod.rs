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

/// The `wx` binary of the profile (and target) these tests were built
/// with, built (or brought up to date) once per test run: `cargo test`
/// builds only the `wx` library for this package, not the binary.
#[allow(dead_code, reason = "not every test binary runs the test build of wx")]
pub fn wx_bin() -> &'static Path {
    static BIN: OnceLock<PathBuf> = OnceLock::new();
    BIN.get_or_init(|| {
        // .../target[/<triple>]/<profile>/deps/cli-<hash>
        let exe = std::env::current_exe().expect("test executable path");
        let profile_dir = exe
            .parent()
            .and_then(Path::parent)
            .expect("test executable lives in target/<profile>/deps");
        let (target_dir, triple) = target_of(profile_dir);
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
        if let Some(triple) = &triple {
            cmd.args(["--target", triple]);
        }
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

/// The target directory holding `profile_dir`, and the target triple when
/// the tests were cross-compiled: `cargo test --target <triple>` builds
/// into `<target dir>/<triple>/<profile>`.
fn target_of(profile_dir: &Path) -> (PathBuf, Option<String>) {
    let parent = profile_dir.parent().expect("target directory");
    let name = parent.file_name().and_then(|n| n.to_str()).unwrap_or("");
    match parent.parent() {
        Some(outer)
            if name.matches('-').count() >= 2 && outer.join(".rustc_info.json").exists() =>
        {
            (outer.to_path_buf(), Some(name.to_string()))
        }
        _ => (parent.to_path_buf(), None),
    }
}

/// A command running [`wx_bin`], through the target's runner (as cargo
/// runs the tests themselves, e.g. `qemu-aarch64` when cross-compiled).
#[allow(dead_code, reason = "not every test binary runs the test build of wx")]
pub fn wx_command() -> Command {
    let bin = wx_bin();
    let exe = std::env::current_exe().expect("test executable path");
    let profile_dir = exe.parent().and_then(Path::parent).expect("deps dir");
    let runner = target_of(profile_dir).1.and_then(|triple| {
        let var = format!(
            "CARGO_TARGET_{}_RUNNER",
            triple.to_uppercase().replace(['-', '.'], "_")
        );
        std::env::var(var).ok()
    });
    let mut parts = runner.iter().flat_map(|r| r.split_whitespace());
    match parts.next() {
        Some(program) => {
            let mut cmd = Command::new(program);
            cmd.args(parts).arg(bin);
            cmd
        }
        None => Command::new(bin),
    }
}
