//! Other WebAssembly engines, run as subprocesses on the same programs:
//! wasmi (`wasmi_cli`), the wasmtime CLI, wasmtime through its Python module
//! and Node.js. The Python and Node runners are the scripts in
//! `benches/engines/`, built into this binary and written to a temporary
//! directory for the session.

use super::{measure_runs, EngineInfo, EngineKind, Outcome, Program, Sample};
use std::ffi::OsString;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

const WASMTIME_PY: &str = include_str!("../../../../benches/engines/wasmtime_run.py");
const NODE_WASI: &str = include_str!("../../../../benches/engines/node_wasi_run.mjs");

/// The engines `--external` looks for, in column order.
pub const KNOWN: &[&str] = &["wasmi", "wasmtime", "wasmtime-py", "node"];

/// The line a runner script ends its stderr with on success.
const TIME_PREFIX: &str = "wx-bench-time:";

/// How to run a module under one external engine: `program args... FILE`.
#[derive(Debug)]
pub struct External {
    program: PathBuf,
    args: Vec<OsString>,
    /// Takes `--dir HOST::GUEST` and `--env K=V` before the module (wasmi's
    /// CLI is not given them: programs that need them fail there).
    takes_dirs: bool,
    /// The runner reports compile/instantiate/run times from inside the
    /// process (else the table shows the subprocess wall time).
    pub reports_time: bool,
}

/// A temporary directory holding the runner scripts; removed on drop.
#[derive(Debug)]
pub struct ScriptDir(PathBuf);

impl ScriptDir {
    fn new() -> std::io::Result<ScriptDir> {
        let dir = std::env::temp_dir().join(format!("wx-bench-{}", std::process::id()));
        std::fs::create_dir_all(&dir)?;
        let scripts = ScriptDir(dir);
        std::fs::write(scripts.path("wasmtime_run.py"), WASMTIME_PY)?;
        std::fs::write(scripts.path("node_wasi_run.mjs"), NODE_WASI)?;
        Ok(scripts)
    }

    fn path(&self, name: &str) -> PathBuf {
        self.0.join(name)
    }
}

impl Drop for ScriptDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// What `discover` found.
pub struct Found {
    pub engines: Vec<EngineInfo>,
    /// Engines not found or not working, with the reason.
    pub missing: Vec<(String, String)>,
    pub scripts: Option<ScriptDir>,
}

/// Look for the engines named in `only` (all of [`KNOWN`] if empty).
pub fn discover(only: &[String]) -> Result<Found, String> {
    for name in only {
        if !KNOWN.contains(&name.as_str()) {
            return Err(format!(
                "unknown engine `{name}` (expected one of: {})",
                KNOWN.join(", ")
            ));
        }
    }
    let scripts = ScriptDir::new().map_err(|e| format!("cannot write runner scripts: {e}"))?;
    let mut found = Found {
        engines: Vec::new(),
        missing: Vec::new(),
        scripts: None,
    };
    for &name in KNOWN {
        if !only.is_empty() && !only.iter().any(|o| o == name) {
            continue;
        }
        match probe(name, &scripts) {
            Ok((ext, version)) => found.engines.push(EngineInfo {
                name: name.to_string(),
                kind: EngineKind::External(ext),
                version,
                unavailable: None,
            }),
            Err(why) => found.missing.push((name.to_string(), why)),
        }
    }
    found.scripts = Some(scripts);
    Ok(found)
}

/// The command for `name` from `WX_BENCH_<NAME>`, else from PATH.
fn locate(name: &str, var: &str, exe: &str) -> Result<PathBuf, String> {
    if let Some(p) = std::env::var_os(var).filter(|p| !p.is_empty()) {
        return Ok(PathBuf::from(p));
    }
    find_in_path(exe).ok_or_else(|| match name {
        "wasmtime-py" => {
            format!("no `{exe}` on PATH (or set {var}) to run the wasmtime Python module")
        }
        _ => format!("no `{exe}` on PATH (or set {var})"),
    })
}

/// An executable file called `exe` in a PATH directory.
fn find_in_path(exe: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join(exe))
        .find(|p| is_executable(p))
}

#[cfg(unix)]
fn is_executable(p: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    p.metadata()
        .is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
}

#[cfg(not(unix))]
fn is_executable(p: &Path) -> bool {
    p.is_file()
}

/// Find engine `name` and check that it runs; its runner and version.
fn probe(name: &str, scripts: &ScriptDir) -> Result<(External, String), String> {
    let (program, args, version_args): (PathBuf, Vec<OsString>, Vec<OsString>) = match name {
        "wasmi" => (
            locate(name, "WX_BENCH_WASMI", "wasmi")?,
            vec!["run".into()],
            vec!["--version".into()],
        ),
        // The CLI caches compiled code by default; every run should compile,
        // on one thread like the other engines here.
        "wasmtime" => (
            locate(name, "WX_BENCH_WASMTIME", "wasmtime")?,
            vec![
                "run".into(),
                "-C".into(),
                "cache=n".into(),
                "-C".into(),
                "parallel-compilation=n".into(),
            ],
            vec!["--version".into()],
        ),
        "wasmtime-py" => {
            let script = scripts.path("wasmtime_run.py");
            (
                locate(name, "WX_BENCH_PYTHON", "python3")?,
                vec![script.clone().into()],
                vec![script.into(), "--version".into()],
            )
        }
        "node" => (
            locate(name, "WX_BENCH_NODE", "node")?,
            vec![
                "--no-warnings".into(),
                scripts.path("node_wasi_run.mjs").into(),
            ],
            vec!["--version".into()],
        ),
        _ => unreachable!("engine names are checked against KNOWN"),
    };
    let out = Command::new(&program)
        .args(&version_args)
        .stdin(Stdio::null())
        .output()
        .map_err(|e| format!("cannot run {}: {e}", program.display()))?;
    if !out.status.success() {
        let why = first_line(&out.stderr).unwrap_or_default();
        return Err(match name {
            "wasmtime-py" => format!(
                "{} cannot import the wasmtime module (python3 -m pip install wasmtime): {why}",
                program.display()
            ),
            _ => format!("`{} --version` failed: {why}", program.display()),
        });
    }
    let mut version = first_line(&out.stdout).unwrap_or_else(|| "?".into());
    if name == "node" {
        let major = version
            .trim_start_matches('v')
            .split('.')
            .next()
            .and_then(|m| m.parse::<u32>().ok());
        if major.is_none_or(|m| m < 20) {
            return Err(format!(
                "node {version} is too old (node:wasi preview1 needs 20 or later)"
            ));
        }
        version = format!("node {version}");
    }
    let reports_time = matches!(name, "wasmtime-py" | "node");
    Ok((
        External {
            program,
            args,
            takes_dirs: name != "wasmi",
            reports_time,
        },
        version,
    ))
}

impl External {
    #[cfg(test)]
    pub fn for_tests() -> External {
        External {
            program: PathBuf::from("true"),
            args: Vec::new(),
            takes_dirs: true,
            reports_time: false,
        }
    }

    /// `runs` runs of `program`, each reported to `progress`; stops at the
    /// first failure.
    pub fn measure(
        &self,
        program: &Program,
        runs: u32,
        timeout: Duration,
        progress: &mut dyn FnMut(&Sample),
    ) -> Outcome {
        measure_runs(program, runs, progress, |_| self.run_once(program, timeout))
    }

    fn run_once(&self, program: &Program, timeout: Duration) -> Result<Sample, String> {
        let spec = &program.run;
        if !(self.takes_dirs || spec.dirs.is_empty() && spec.envs.is_empty()) {
            return Err("this engine's runner takes no --dir or --env".into());
        }
        let mut cmd = Command::new(&self.program);
        cmd.args(&self.args);
        for d in &spec.dirs {
            let d = if d.contains("::") {
                d.clone()
            } else {
                format!("{d}::{d}")
            };
            cmd.arg("--dir").arg(d);
        }
        for e in &spec.envs {
            cmd.arg("--env").arg(e);
        }
        cmd.arg(&program.path)
            .args(&spec.args)
            .env("RUST_BACKTRACE", "0")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        let child = run_child(&mut cmd, timeout)?;
        let (times, stderr) = split_times(&child.stderr);
        if !child.status.success() {
            let status = match child.status.code() {
                Some(code) => format!("exit status {code}"),
                None => format!("killed ({})", child.status),
            };
            return Err(match first_line(stderr.as_bytes()) {
                Some(line) => format!("{status}: {line}"),
                None => status,
            });
        }
        program.check(&child.stdout)?;
        Ok(match times {
            Some(t) => Sample {
                time: t.compile + t.instantiate + t.run,
                compile: Some(t.compile),
                instantiate: Some(t.instantiate),
                run: Some(t.run),
                wall: Some(child.wall),
            },
            None => Sample {
                time: child.wall,
                wall: Some(child.wall),
                ..Sample::default()
            },
        })
    }
}

struct Child {
    status: ExitStatus,
    stdout: Vec<u8>,
    stderr: Vec<u8>,
    /// Seconds from spawn to exit.
    wall: f64,
}

/// Run `cmd` to completion with its output captured, killing it after `timeout`.
fn run_child(cmd: &mut Command, timeout: Duration) -> Result<Child, String> {
    let start = Instant::now();
    let mut child = cmd
        .spawn()
        .map_err(|e| format!("cannot start {:?}: {e}", cmd.get_program()))?;
    let drain = |pipe: Option<Box<dyn Read + Send>>| {
        std::thread::spawn(move || {
            let mut buf = Vec::new();
            if let Some(mut p) = pipe {
                let _ = p.read_to_end(&mut buf);
            }
            buf
        })
    };
    let out = drain(child.stdout.take().map(|p| Box::new(p) as _));
    let err = drain(child.stderr.take().map(|p| Box::new(p) as _));
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break status,
            Ok(None) if start.elapsed() > timeout => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(format!("timed out after {} s", timeout.as_secs()));
            }
            Ok(None) => std::thread::sleep(Duration::from_micros(500)),
            Err(e) => return Err(format!("waiting for the engine: {e}")),
        }
    };
    let wall = start.elapsed().as_secs_f64();
    Ok(Child {
        status,
        stdout: out.join().unwrap_or_default(),
        stderr: err.join().unwrap_or_default(),
        wall,
    })
}

/// Times a runner script reported, in seconds.
#[derive(Debug, PartialEq)]
pub struct Times {
    pub compile: f64,
    pub instantiate: f64,
    pub run: f64,
}

/// Take the `wx-bench-time:` line out of an engine's stderr.
pub fn split_times(stderr: &[u8]) -> (Option<Times>, String) {
    let text = String::from_utf8_lossy(stderr);
    let mut times = None;
    let mut rest = String::new();
    for line in text.lines() {
        match line.strip_prefix(TIME_PREFIX) {
            Some(fields) => times = parse_times(fields),
            None => {
                rest.push_str(line);
                rest.push('\n');
            }
        }
    }
    (times, rest)
}

fn parse_times(fields: &str) -> Option<Times> {
    let (mut compile, mut instantiate, mut run) = (None, None, None);
    for field in fields.split_whitespace() {
        let (key, value) = field.split_once('=')?;
        let value: f64 = value.parse().ok().filter(|v: &f64| v.is_finite())?;
        match key {
            "compile" => compile = Some(value),
            "instantiate" => instantiate = Some(value),
            "run" => run = Some(value),
            _ => {}
        }
    }
    Some(Times {
        compile: compile?,
        instantiate: instantiate?,
        run: run?,
    })
}

/// The first non-empty line of some output, trimmed.
fn first_line(bytes: &[u8]) -> Option<String> {
    String::from_utf8_lossy(bytes)
        .lines()
        .map(str::trim)
        .find(|l| !l.is_empty())
        .map(str::to_string)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn runner_times_are_parsed_and_removed() {
        let (t, rest) =
            split_times(b"warn\nwx-bench-time: compile=0.5 instantiate=0.25 run=2.000000\n");
        assert_eq!(
            t,
            Some(Times {
                compile: 0.5,
                instantiate: 0.25,
                run: 2.0
            })
        );
        assert_eq!(rest, "warn\n");
        assert_eq!(split_times(b"wx-bench-time: compile=x run=1\n").0, None);
        assert_eq!(split_times(b"wx-bench-time: compile=1 run=1\n").0, None);
        assert_eq!(split_times(b"Error: boom\n").0, None);
    }

    #[test]
    fn unknown_engines_are_refused() {
        let err = discover(&["wasm3".into()]).err().unwrap();
        assert!(err.starts_with("unknown engine `wasm3`"), "{err}");
    }

    #[test]
    fn first_lines_skip_blanks() {
        assert_eq!(
            first_line(b"\n  \n Error: x \nmore"),
            Some("Error: x".into())
        );
        assert_eq!(first_line(b""), None);
    }
}
