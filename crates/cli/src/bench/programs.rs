//! Finding benchmark programs and their expected output, and checking a
//! run's output against it.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// A benchmark program: a WASI command module, how to run it, and the
/// exact stdout it must print.
#[derive(Debug)]
pub struct Program {
    /// How the tables name it: the file name (the path, if two programs
    /// share a file name).
    pub name: String,
    pub path: PathBuf,
    /// The module, read once so that file I/O is never timed.
    pub bytes: Vec<u8>,
    /// The expected stdout, and the file it came from; `Err` says why there
    /// is none (every run of the program then fails, unless a reference
    /// run stands in: see [`Program::check`]).
    pub expected: Result<(PathBuf, Vec<u8>), String>,
    /// Without an expected file: the stdout of the reference run (the
    /// interpreter's, else the first wx tier's), which every other run
    /// must reproduce.
    pub reference: std::sync::OnceLock<Vec<u8>>,
    /// The run: arguments after argv[0], preopened directories
    /// (`HOST[::GUEST]`) and environment (`K=V`), the same for every engine.
    pub run: RunSpec,
}

/// How every engine runs a program.
#[derive(Clone, Debug, Default)]
pub struct RunSpec {
    pub args: Vec<String>,
    pub dirs: Vec<String>,
    pub envs: Vec<String>,
}

impl Program {
    /// Read the module at `path` and the `.expected` file beside it.
    pub fn load(path: &Path) -> Result<Program, String> {
        let bytes =
            std::fs::read(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        let candidates = expected_candidates(path);
        let expected = match candidates.iter().find(|c| c.is_file()) {
            Some(file) => std::fs::read(file)
                .map(|text| (file.clone(), text))
                .map_err(|e| format!("cannot read {}: {e}", file.display())),
            None => Err(format!(
                "no expected output to check against (looked for {})",
                candidates
                    .iter()
                    .map(|c| c.display().to_string())
                    .collect::<Vec<_>>()
                    .join(", ")
            )),
        };
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| path.display().to_string());
        Ok(Program {
            name,
            path: path.to_path_buf(),
            bytes,
            expected,
            reference: std::sync::OnceLock::new(),
            run: RunSpec::default(),
        })
    }

    /// Check one run's stdout; the error names the `.expected` file. A
    /// program without one is checked against its reference run's output;
    /// `reference` says this run is one (the first becomes the reference).
    pub fn check_run(&self, stdout: &[u8], reference: bool) -> Result<(), String> {
        match &self.expected {
            Ok((file, text)) => check_output(text, stdout)
                .map_err(|why| format!("output differs from {}: {why}", file.display())),
            Err(_) if reference || self.reference.get().is_some() => {
                let want = self.reference.get_or_init(|| stdout.to_vec());
                check_output(want, stdout)
                    .map_err(|why| format!("output differs from the reference run's: {why}"))
            }
            Err(why) => Err(why.clone()),
        }
    }

    /// [`Program::check_run`] for a run that is not a reference.
    pub fn check(&self, stdout: &[u8]) -> Result<(), String> {
        self.check_run(stdout, false)
    }

    /// Whether the program has something to check against, or will once a
    /// reference run has run.
    pub fn checkable(&self, has_reference_run: bool) -> Result<(), String> {
        match &self.expected {
            Err(why) if !has_reference_run => Err(why.clone()),
            _ => Ok(()),
        }
    }
}

/// Where the expected output of `program` may be, most specific first:
/// `dir/sort.postmvp.wasm` -> `dir/sort.postmvp.expected`, `dir/sort.expected`.
pub fn expected_candidates(program: &Path) -> Vec<PathBuf> {
    let dir = program.parent().unwrap_or(Path::new(""));
    let mut stem = program
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let mut out = Vec::new();
    loop {
        out.push(dir.join(format!("{stem}.expected")));
        match stem.rsplit_once('.') {
            Some((rest, _)) if !rest.is_empty() => stem = rest.to_string(),
            _ => break,
        }
    }
    out
}

/// Compare a run's output with the expected output; the error says where
/// they first differ.
pub fn check_output(expected: &[u8], got: &[u8]) -> Result<(), String> {
    if expected == got {
        return Ok(());
    }
    let want = String::from_utf8_lossy(expected);
    let have = String::from_utf8_lossy(got);
    let mut want_lines = want.lines();
    let mut have_lines = have.lines();
    let mut line = 1;
    loop {
        match (want_lines.next(), have_lines.next()) {
            (Some(w), Some(h)) if w == h => line += 1,
            (Some(w), Some(h)) => {
                return Err(format!(
                    "line {line}: expected `{}`, got `{}`",
                    clip(w),
                    clip(h)
                ))
            }
            (Some(w), None) => {
                return Err(if got.is_empty() {
                    format!("no output; expected line 1: `{}`", clip(w))
                } else {
                    format!(
                        "output ends after line {}; expected line {line}: `{}`",
                        line - 1,
                        clip(w)
                    )
                })
            }
            (None, Some(h)) => {
                return Err(format!("unexpected extra line {line}: `{}`", clip(h)));
            }
            (None, None) => {
                return Err("output differs in line endings or the final newline".into())
            }
        }
    }
}

/// A line shortened for an error message.
fn clip(s: &str) -> String {
    const MAX: usize = 80;
    if s.chars().count() <= MAX {
        s.to_string()
    } else {
        let cut: String = s.chars().take(MAX).collect();
        format!("{cut}...")
    }
}

/// The programs named on the command line: files as given, directories as
/// their `.wasm` files (sorted); none means the repository's benchmark
/// directory.
pub fn discover(args: &[PathBuf]) -> Result<Vec<Program>, String> {
    let mut paths = Vec::new();
    let default;
    let args = if args.is_empty() {
        default = [default_dir().ok_or_else(|| {
            "no PROGRAMS given, and there is no benches/programs directory here".to_string()
        })?];
        &default[..]
    } else {
        args
    };
    for arg in args {
        if arg.is_dir() {
            let mut found: Vec<PathBuf> = std::fs::read_dir(arg)
                .map_err(|e| format!("cannot read directory {}: {e}", arg.display()))?
                .filter_map(|entry| entry.ok().map(|e| e.path()))
                .filter(|p| p.extension().is_some_and(|x| x == "wasm") && p.is_file())
                .collect();
            if found.is_empty() {
                return Err(format!(
                    "{}: no .wasm files in this directory",
                    arg.display()
                ));
            }
            found.sort();
            paths.extend(found);
        } else if arg.is_file() {
            paths.push(arg.clone());
        } else {
            return Err(format!("{}: no such file or directory", arg.display()));
        }
    }
    let mut seen = std::collections::HashSet::new();
    paths.retain(|p| seen.insert(p.canonicalize().unwrap_or_else(|_| p.clone())));
    let mut programs = paths
        .iter()
        .map(|p| Program::load(p))
        .collect::<Result<Vec<_>, _>>()?;
    // Two programs with one file name are told apart by their paths.
    let mut count: HashMap<String, usize> = HashMap::new();
    for p in &programs {
        *count.entry(p.name.clone()).or_default() += 1;
    }
    for p in &mut programs {
        if count[&p.name] > 1 {
            p.name = p.path.display().to_string();
        }
    }
    Ok(programs)
}

/// `benches/programs` under the current directory, or else in the source
/// tree this binary was built from.
fn default_dir() -> Option<PathBuf> {
    let here = PathBuf::from("benches/programs");
    if here.is_dir() {
        return Some(here);
    }
    let built = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../benches/programs");
    built.is_dir().then_some(built)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn expected_file_candidates() {
        assert_eq!(
            expected_candidates(Path::new("b/sort.postmvp.wasm")),
            [
                PathBuf::from("b/sort.postmvp.expected"),
                PathBuf::from("b/sort.expected")
            ]
        );
        assert_eq!(
            expected_candidates(Path::new("fib.wasm")),
            [PathBuf::from("fib.expected")]
        );
        assert_eq!(
            expected_candidates(Path::new("/x/.hidden.wat")),
            [PathBuf::from("/x/.hidden.expected")]
        );
    }

    #[test]
    fn output_check_names_the_first_difference() {
        let want = b"a: 1\nb: 2\nchecksum: ff\n";
        assert_eq!(check_output(want, want), Ok(()));
        assert_eq!(
            check_output(want, b"a: 1\nb: 3\nchecksum: ff\n").unwrap_err(),
            "line 2: expected `b: 2`, got `b: 3`"
        );
        assert_eq!(
            check_output(want, b"a: 1\n").unwrap_err(),
            "output ends after line 1; expected line 2: `b: 2`"
        );
        assert_eq!(
            check_output(want, b"").unwrap_err(),
            "no output; expected line 1: `a: 1`"
        );
        assert_eq!(
            check_output(want, b"a: 1\nb: 2\nchecksum: ff\nmore\n").unwrap_err(),
            "unexpected extra line 4: `more`"
        );
        assert_eq!(
            check_output(want, b"a: 1\nb: 2\nchecksum: ff").unwrap_err(),
            "output differs in line endings or the final newline"
        );
        let long = "x".repeat(100);
        let err = check_output(b"y\n", long.as_bytes()).unwrap_err();
        assert!(
            err.ends_with(&format!("got `{}...`", "x".repeat(80))),
            "{err}"
        );
    }

    #[test]
    fn missing_paths_are_usage_errors() {
        let err = discover(&[PathBuf::from("/no/such/program.wasm")]).unwrap_err();
        assert_eq!(err, "/no/such/program.wasm: no such file or directory");
    }

    #[test]
    fn a_program_without_expected_output_fails_every_check() {
        let dir = std::env::temp_dir().join(format!("wx-bench-unit-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let wasm = dir.join("lonely.wasm");
        std::fs::write(&wasm, b"\0asm\x01\0\0\0").unwrap();
        let programs = discover(std::slice::from_ref(&dir)).unwrap();
        assert_eq!(programs.len(), 1);
        assert_eq!(programs[0].name, "lonely.wasm");
        let err = programs[0].check(b"").unwrap_err();
        assert!(err.starts_with("no expected output"), "{err}");
        std::fs::write(dir.join("lonely.expected"), b"hi\n").unwrap();
        let p = Program::load(&wasm).unwrap();
        assert_eq!(p.check(b"hi\n"), Ok(()));
        let err = p.check(b"ho\n").unwrap_err();
        assert!(err.contains("lonely.expected: line 1"), "{err}");
        std::fs::remove_dir_all(dir).ok();
    }
}
