//! Conformance runs against recorded wasmtime output: a `runs.txt` of
//! blocks (`run NAME` ... `end`: program, arguments, environment, preopened
//! directories, setup steps, stdin), each run through `wx run` on a tier and
//! compared with `expected/NAME.{stdout,stderr,status}` (see
//! tests/wasi/README.md for the format). Used by `wasi_conformance.rs` and
//! `eh_conformance.rs`.

use std::path::{Path, PathBuf};
use std::process::Stdio;

use super::wx_command;

/// One block of runs.txt.
#[derive(Debug, Default)]
struct Run {
    name: String,
    program: String,
    setup: Vec<String>,
    dirs: Vec<(String, String)>,
    envs: Vec<String>,
    args: Vec<String>,
    argv0: Option<String>,
    stdin: Option<String>,
}

fn parse_runs(here: &Path) -> Vec<Run> {
    let text = std::fs::read_to_string(here.join("runs.txt")).expect("runs.txt");
    let mut runs = Vec::new();
    let mut cur: Option<Run> = None;
    for line in text.lines() {
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let (key, val) = line.split_once(' ').unwrap_or((line, ""));
        if key == "run" {
            cur = Some(Run {
                name: val.to_string(),
                ..Run::default()
            });
            continue;
        }
        let run = cur
            .as_mut()
            .unwrap_or_else(|| panic!("runs.txt: `{line}` outside a run"));
        match key {
            "program" => run.program = val.to_string(),
            "setup" => run.setup.push(val.to_string()),
            "dir" => {
                let (host, guest) = val.split_once(' ').expect("dir HOST GUEST");
                run.dirs.push((host.to_string(), guest.to_string()));
            }
            "env" => run.envs.push(val.to_string()),
            "arg" => run.args.push(val.to_string()),
            "argv0" => run.argv0 = Some(val.to_string()),
            "stdin" => run.stdin = Some(val.to_string()),
            // What the oracle ran in this run's place (see tests/eh/runs.txt).
            "oracle-program" => {}
            "end" => runs.push(cur.take().unwrap()),
            _ => panic!("runs.txt: unknown key `{key}`"),
        }
    }
    runs
}

/// Perform one setup line in `dir`.
fn setup(dir: &Path, line: &str) {
    let (op, rest) = line.split_once(' ').unwrap_or((line, ""));
    let two = || rest.split_once(' ').unwrap_or((rest, ""));
    match op {
        "mkdir" => std::fs::create_dir_all(dir.join(rest)).unwrap(),
        "write" => {
            let (path, text) = two();
            std::fs::write(dir.join(path), text).unwrap();
        }
        "symlink" => {
            let (target, link) = two();
            std::os::unix::fs::symlink(target, dir.join(link)).unwrap();
        }
        "symlink-abs" => {
            let (target, link) = two();
            std::os::unix::fs::symlink(dir.join(target), dir.join(link)).unwrap();
        }
        _ => panic!("runs.txt: unknown setup op `{op}`"),
    }
}

/// A fresh empty directory for one run.
fn scratch(tier: &str, name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("wx-conf-{}-{tier}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Run every run of `here/runs.txt` on `tier` (there must be at least
/// `min_runs`); the differences from wasmtime, if any.
pub fn conformance(here: &Path, tier: &str, min_runs: usize) -> Vec<String> {
    let runs = parse_runs(here);
    assert!(runs.len() >= min_runs, "only {} runs", runs.len());
    let mut failures = Vec::new();
    for run in &runs {
        let dir = scratch(tier, &run.name);
        for line in &run.setup {
            setup(&dir, line);
        }
        let mut cmd = wx_command();
        cmd.args(["run", "--tier", tier]).current_dir(&dir);
        for (host, guest) in &run.dirs {
            cmd.arg("--dir").arg(format!("{host}::{guest}"));
        }
        for e in &run.envs {
            cmd.arg("--env").arg(e);
        }
        if let Some(a) = &run.argv0 {
            cmd.arg("--argv0").arg(a);
        }
        cmd.arg(here.join("programs").join(&run.program));
        cmd.args(&run.args);
        cmd.env_remove("WX_LOG");
        cmd.stdin(match &run.stdin {
            Some(f) => Stdio::from(std::fs::File::open(here.join(f)).unwrap()),
            None => Stdio::null(),
        });
        let out = cmd.output().expect("spawn wx");
        let _ = std::fs::remove_dir_all(&dir);
        let expected = |ext: &str| {
            std::fs::read(here.join("expected").join(format!("{}.{ext}", run.name)))
                .unwrap_or_default()
        };
        let status: i32 = String::from_utf8(expected("status"))
            .unwrap()
            .trim()
            .parse()
            .expect("a status");
        let mut diffs = Vec::new();
        if out.status.code() != Some(status) {
            diffs.push(format!("status {:?}, wasmtime {status}", out.status.code()));
        }
        if out.stdout != expected("stdout") {
            diffs.push(first_difference("stdout", &expected("stdout"), &out.stdout));
        }
        // Errors that stop the program are worded by each runtime.
        if status != 1 && status != 134 && out.stderr != expected("stderr") {
            diffs.push(first_difference("stderr", &expected("stderr"), &out.stderr));
        }
        if !diffs.is_empty() {
            failures.push(format!("{tier} {}: {}", run.name, diffs.join("; ")));
        }
    }
    failures
}

/// The first line where `got` differs from `want`.
fn first_difference(what: &str, want: &[u8], got: &[u8]) -> String {
    let (want, got) = (String::from_utf8_lossy(want), String::from_utf8_lossy(got));
    let mut w = want.lines();
    let mut g = got.lines();
    for line in 1.. {
        match (w.next(), g.next()) {
            (Some(a), Some(b)) if a == b => continue,
            (None, None) => break,
            (a, b) => {
                return format!("{what} line {line}: wasmtime {a:?}, wx {b:?}");
            }
        }
    }
    format!("{what} differs")
}

/// Panic with every difference from wasmtime of the runs in `here` on `tier`.
pub fn check(here: &Path, tier: &str, min_runs: usize) {
    let failures = conformance(here, tier, min_runs);
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
