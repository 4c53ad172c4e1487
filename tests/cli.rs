//! End-to-end tests of the `wx` binary: `wx run` on the sample WASI program
//! and on small WAT modules, exit statuses and error reporting.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Stdio;

mod common;
use common::{root, wx_command};

/// What one `wx` run produced.
#[derive(Debug)]
struct Run {
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

impl Run {
    /// The single `error: ...` line of a failed run.
    fn error_line(&self) -> &str {
        let lines: Vec<&str> = self.stderr.lines().collect();
        assert_eq!(lines.len(), 1, "expected one stderr line, got: {self:#?}");
        assert!(lines[0].starts_with("error: "), "{self:#?}");
        lines[0]
    }
}

/// Run `wx` with `args` (and `stdin`, if given) in the workspace root.
fn wx(args: &[&str], stdin: Option<&[u8]>) -> Run {
    let mut child = wx_command()
        .args(args)
        .current_dir(root())
        .env_remove("WX_LOG")
        .env("WX_DEMO", "from-the-host")
        .stdin(if stdin.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn wx");
    if let Some(input) = stdin {
        let mut pipe = child.stdin.take().unwrap();
        pipe.write_all(input).unwrap();
    }
    let out = child.wait_with_output().expect("wait for wx");
    let run = Run {
        code: out.status.code(),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    };
    assert!(!run.stderr.contains("panicked"), "wx panicked: {run:#?}");
    assert!(run.code.is_some(), "wx was killed by a signal: {run:#?}");
    run
}

/// A scratch directory for this test.
fn scratch(test: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("wx-cli-{}-{test}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Write `text` to `dir/name`; its path as a string.
fn file(dir: &Path, name: &str, text: impl AsRef<[u8]>) -> String {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path.to_str().unwrap().to_string()
}

const HELLO: &str = "examples/hello/hello.wasm";

#[test]
fn hello_prints_its_greeting() {
    let r = wx(&["run", HELLO], None);
    assert_eq!(r.code, Some(0), "{r:#?}");
    assert_eq!(r.stderr, "");
    let expected = "Hello from wx!\n\
                    argc: 1\n\
                    argv[0]: hello.wasm\n\
                    WX_DEMO: (not set)\n\
                    clock: monotonic ok\n\
                    primes: 2 3 5 7 11 13 17 19 23 29 31 37 41 43 47 53 59 61 67 71\n\
                    checksum: 2738584257\n\
                    exiting with code 0\n";
    assert_eq!(r.stdout, expected);
}

#[test]
fn args_and_env_reach_the_program() {
    let r = wx(
        &[
            "run",
            "--env",
            "WX_DEMO=hi there",
            "--env",
            "OTHER=1",
            HELLO,
            "a",
            "b c",
            "-x",
            "--",
        ],
        None,
    );
    assert_eq!(r.code, Some(0), "{r:#?}");
    for line in [
        "argc: 5",
        "argv[0]: hello.wasm",
        "argv[1]: a",
        "argv[2]: b c",
        "argv[3]: -x",
        "argv[4]: --",
        "WX_DEMO: hi there",
    ] {
        assert!(r.stdout.lines().any(|l| l == line), "no `{line}` in {r:#?}");
    }
    // `--env K` passes on the host's value.
    let r = wx(&["run", "--env", "WX_DEMO", HELLO], None);
    assert!(r.stdout.contains("WX_DEMO: from-the-host\n"), "{r:#?}");
}

#[test]
fn proc_exit_sets_the_exit_status() {
    let r = wx(&["run", HELLO, "--exit", "3"], None);
    assert_eq!(r.code, Some(3), "{r:#?}");
    assert!(r.stdout.ends_with("exiting with code 3\n"), "{r:#?}");
    assert_eq!(r.stderr, "");
    let r = wx(&["run", HELLO, "--exit", "42"], None);
    assert_eq!(r.code, Some(42), "{r:#?}");
}

#[test]
fn stdin_reaches_the_program() {
    let input = b"one\ntwo\nthree\n".repeat(1000);
    let r = wx(&["run", HELLO, "--stdin"], Some(&input));
    assert_eq!(r.code, Some(0), "{r:#?}");
    assert!(
        r.stdout
            .contains(&format!("stdin: 3000 lines, {} bytes\n", input.len())),
        "{r:#?}"
    );
}

#[test]
fn a_wat_wasi_command_writes_and_exits() {
    let dir = scratch("wat-command");
    let wat = file(
        &dir,
        "cmd.wat",
        r#"(module
          (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
          (import "wasi_snapshot_preview1" "proc_exit" (func $proc_exit (param i32)))
          (memory (export "memory") 1)
          (data (i32.const 100) "to stdout\n")
          (data (i32.const 200) "to stderr\n")
          (func (export "_start")
            (i32.store (i32.const 0) (i32.const 100)) (i32.store (i32.const 4) (i32.const 10))
            (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)))
            (i32.store (i32.const 0) (i32.const 200))
            (drop (call $fd_write (i32.const 2) (i32.const 0) (i32.const 1) (i32.const 8)))
            (call $proc_exit (i32.const 17))
            unreachable))"#,
    );
    let r = wx(&["run", &wat], None);
    assert_eq!(r.code, Some(17), "{r:#?}");
    assert_eq!(r.stdout, "to stdout\n");
    assert_eq!(r.stderr, "to stderr\n");
    std::fs::remove_dir_all(dir).ok();
}

#[test]
fn preopened_dirs_are_visible_to_the_program() {
    let dir = scratch("preopen");
    let wat = file(
        &dir,
        "prestat.wat",
        r#"(module
          (import "wasi_snapshot_preview1" "fd_prestat_get" (func $get (param i32 i32) (result i32)))
          (import "wasi_snapshot_preview1" "fd_prestat_dir_name" (func $name (param i32 i32 i32) (result i32)))
          (import "wasi_snapshot_preview1" "fd_write" (func $write (param i32 i32 i32 i32) (result i32)))
          (memory (export "memory") 1)
          ;; Print the name of preopen fd 3; fd 4 must not exist.
          (func (export "_start")
            (if (call $get (i32.const 3) (i32.const 0)) (then unreachable))
            (if (call $name (i32.const 3) (i32.const 100) (i32.load (i32.const 4))) (then unreachable))
            (i32.store (i32.const 16) (i32.const 100))
            (i32.store (i32.const 20) (i32.load (i32.const 4)))
            (drop (call $write (i32.const 1) (i32.const 16) (i32.const 1) (i32.const 24)))
            (if (i32.ne (call $get (i32.const 4) (i32.const 0)) (i32.const 8)) (then unreachable))))"#,
    );
    let host = dir.to_str().unwrap();
    let r = wx(&["run", "--dir", &format!("{host}::/sandbox"), &wat], None);
    assert_eq!((r.code, r.stdout.as_str()), (Some(0), "/sandbox"), "{r:#?}");
    let r = wx(&["run", "--dir", host, &wat], None);
    assert_eq!((r.code, r.stdout.as_str()), (Some(0), host), "{r:#?}");
    // No preopen: fd_prestat_get(3) fails and the program traps, with
    // wasmtime's exit status for a trap.
    let r = wx(&["run", &wat], None);
    assert_eq!(r.code, Some(134), "{r:#?}");
    assert!(
        r.stderr
            .starts_with("error: wasm trap: unreachable\nwasm backtrace:\n"),
        "{r:#?}"
    );
    // A missing directory.
    let missing = dir.join("missing");
    let r = wx(&["run", "--dir", missing.to_str().unwrap(), &wat], None);
    assert_ne!(r.code, Some(0));
    assert!(r.error_line().contains("--dir"), "{r:#?}");
    std::fs::remove_dir_all(dir).ok();
}

const FUNCS_WAT: &str = r#"(module
  (func (export "add") (param i32 i32) (result i32) (i32.add (local.get 0) (local.get 1)))
  (func (export "mul64") (param i64 i64) (result i64) (i64.mul (local.get 0) (local.get 1)))
  (func (export "swap") (param f32 f64) (result f64 f32) (local.get 1) (local.get 0))
  (func (export "half") (param f64) (result f64) (f64.div (local.get 0) (f64.const 2)))
  (func (export "nothing"))
  (func (export "boom") (result i32) unreachable))"#;

#[test]
fn invoke_prints_results() {
    let dir = scratch("invoke");
    let wat = file(&dir, "funcs.wat", FUNCS_WAT);
    let cases: &[(&[&str], &str)] = &[
        (&["add", "2", "3"], "5\n"),
        (&["add", "-7", "0x10"], "9\n"),
        (&["add", "4294967295", "0"], "-1\n"),
        (&["mul64", "4294967296", "-3"], "-12884901888\n"),
        (&["swap", "1.5", "-0.25"], "-0.25\n1.5\n"),
        (&["swap", "inf", "nan"], "NaN\ninf\n"),
        (&["half", "3"], "1.5\n"),
        (&["half", "-inf"], "-inf\n"),
        (&["nothing"], ""),
    ];
    for (args, expected) in cases {
        let mut argv = vec!["run", "--invoke", args[0], &wat];
        argv.extend_from_slice(&args[1..]);
        let r = wx(&argv, None);
        assert_eq!(r.code, Some(0), "{argv:?}: {r:#?}");
        assert_eq!(r.stdout, *expected, "{argv:?}: {r:#?}");
        assert_eq!(r.stderr, "", "{argv:?}");
    }
    std::fs::remove_dir_all(dir).ok();
}

#[test]
fn wrong_invoke_arguments_are_usage_errors() {
    let dir = scratch("invoke-errors");
    let wat = file(&dir, "funcs.wat", FUNCS_WAT);
    let cases: &[(&[&str], &str)] = &[
        (&["add", "1"], "takes 2 arguments"),
        (&["add", "1", "2", "3"], "takes 2 arguments"),
        (&["add", "1", "two"], "`two` is not a valid i32"),
        (&["add", "1", "4294967296"], "is not a valid i32"),
        (&["half", "x"], "is not a valid f64"),
        (&["missing"], "no exported function `missing`"),
    ];
    for (args, expected) in cases {
        let mut argv = vec!["run", "--invoke", args[0], &wat];
        argv.extend_from_slice(&args[1..]);
        let r = wx(&argv, None);
        assert_eq!(r.code, Some(2), "{argv:?}: {r:#?}");
        assert!(r.error_line().contains(expected), "{argv:?}: {r:#?}");
        assert_eq!(r.stdout, "");
    }
    std::fs::remove_dir_all(dir).ok();
}

#[test]
fn a_trap_prints_its_backtrace() {
    let dir = scratch("trap");
    let wat = file(&dir, "funcs.wat", FUNCS_WAT);
    // A trap: the error line, then the wasm backtrace (the trapping
    // function, by export index as it has no name), with wasmtime's exit
    // status, on every tier.
    for tier in ["interp", "jit", "tiered"] {
        let r = wx(&["run", "--tier", tier, "--invoke", "boom", &wat], None);
        assert_eq!(r.code, Some(134), "{r:#?}");
        let lines: Vec<&str> = r.stderr.lines().collect();
        assert_eq!(
            lines,
            [
                "error: wasm trap: unreachable",
                "wasm backtrace:",
                "    0:     0x91 - <unknown>!<wasm function 5>",
            ],
            "{tier}: {r:#?}"
        );
    }
    // A module without `_start` is a usage error that names its exports.
    let r = wx(&["run", &wat], None);
    assert_eq!(r.code, Some(2), "{r:#?}");
    assert!(r.error_line().contains("--invoke"), "{r:#?}");
    std::fs::remove_dir_all(dir).ok();
}

#[test]
fn an_uncaught_exception_prints_its_backtrace_and_exits_1() {
    let dir = scratch("uncaught");
    let wat = file(
        &dir,
        "throw.wat",
        r#"(module (tag $t (param i32))
             (func $inner (throw $t (i32.const 42)))
             (func (export "_start") (call $inner)))"#,
    );
    // Not a trap: wasmtime's CLI exits 1 for an uncaught exception.
    for tier in ["interp", "jit", "tiered"] {
        let r = wx(&["run", "--tier", tier, &wat], None);
        assert_eq!(r.code, Some(1), "{r:#?}");
        let lines: Vec<&str> = r.stderr.lines().collect();
        assert_eq!(
            lines,
            [
                "error: thrown Wasm exception of tag <unknown>!tag[0] with payload [I32(42)]",
                "wasm backtrace:",
                "    0:     0x2f - <unknown>!inner",
                "    1:     0x34 - <unknown>!<wasm function 1>",
            ],
            "{tier}: {r:#?}"
        );
    }
    std::fs::remove_dir_all(dir).ok();
}

#[test]
fn bad_input_is_one_error_line() {
    let dir = scratch("bad-input");
    let missing = dir.join("missing.wasm");
    let truncated = file(&dir, "truncated.wasm", b"\0asm\x01\0\0\0\x01");
    let garbage = file(&dir, "garbage.wasm", b"\x7fELF not wasm at all");
    let binary_junk = file(&dir, "junk.bin", b"\x00\x01\xff\xfe\x80 not text");
    let bad_wat = file(&dir, "bad.wat", "(module (func (result i32) i64.const 1))");
    let junk_wat = file(
        &dir,
        "junk.wat",
        "(module (func $f (param i32)\n  (local.get 0 oops)))",
    );
    let import = file(
        &dir,
        "import.wat",
        r#"(module (import "env" "host_fn" (func (param i32))))"#,
    );
    let wrong_sig = file(
        &dir,
        "wrong-sig.wat",
        r#"(module (import "wasi_snapshot_preview1" "fd_write" (func (param i32))))"#,
    );
    let cases: [(&str, &str); 7] = [
        (missing.to_str().unwrap(), "missing.wasm"),
        (&truncated, "error: "),
        (&garbage, "error: "),
        (&binary_junk, "not a wasm module (bad magic number)"),
        (&bad_wat, "error: "),
        (&junk_wat, "junk.wat"),
        (&import, "env::host_fn"),
    ];
    for (path, expected) in cases {
        let r = wx(&["run", path], None);
        assert!(matches!(r.code, Some(c) if c != 0), "{path}: {r:#?}");
        assert!(r.error_line().contains(expected), "{path}: {r:#?}");
        assert_eq!(r.stdout, "", "{path}");
    }
    let r = wx(&["run", &wrong_sig], None);
    assert!(matches!(r.code, Some(c) if c != 0), "{r:#?}");
    r.error_line();
    std::fs::remove_dir_all(dir).ok();
}

#[test]
fn stats_list_the_hottest_functions() {
    let dir = scratch("stats");
    let wat = file(
        &dir,
        "fib.wat",
        r#"(module
          (func $fib (export "fib") (param i32) (result i32)
            (if (result i32) (i32.lt_u (local.get 0) (i32.const 2))
              (then (local.get 0))
              (else (i32.add (call $fib (i32.sub (local.get 0) (i32.const 1)))
                             (call $fib (i32.sub (local.get 0) (i32.const 2))))))))"#,
    );
    // (A threshold above the call count keeps fib interpreted, counting
    // every call.)
    let r = wx(
        &[
            "run",
            "--stats",
            "--jit-threshold",
            "1000",
            "--invoke",
            "fib",
            &wat,
            "10",
        ],
        None,
    );
    assert_eq!(r.code, Some(0), "{r:#?}");
    assert_eq!(r.stdout, "55\n");
    let fib = r
        .stderr
        .lines()
        .find(|l| l.contains("fib"))
        .unwrap_or_else(|| panic!("no fib row: {r:#?}"));
    let counts: Vec<&str> = fib.split_whitespace().collect();
    assert_eq!(counts[0], "177", "fib(10) makes 177 calls: {r:#?}");
    std::fs::remove_dir_all(dir).ok();
}

#[test]
fn tiers_are_selectable() {
    let r = wx(&["run", "--tier", "interp", HELLO], None);
    assert_eq!(r.code, Some(0), "{r:#?}");
    // Builds without the JIT refuse the other tiers with one clear line.
    for tier in ["jit", "tiered"] {
        let r = wx(&["run", "--tier", tier, HELLO], None);
        if r.code != Some(0) {
            assert!(r.error_line().contains(tier), "{r:#?}");
        } else {
            assert!(r.stdout.contains("checksum: 2738584257"), "{r:#?}");
        }
    }
    let r = wx(&["run", "--tier", "bogus", HELLO], None);
    assert_eq!(r.code, Some(2), "{r:#?}");
}

#[test]
fn wast_counts_directives_and_fails_on_any_failure() {
    let dir = scratch("wast");
    let good = file(
        &dir,
        "good.wast",
        r#"(module (func (export "add") (param i32 i32) (result i32) local.get 0 local.get 1 i32.add))
           (assert_return (invoke "add" (i32.const 2) (i32.const 3)) (i32.const 5))
           (assert_trap (module (func $f unreachable) (start $f)) "unreachable")
           (assert_invalid (module (func (result i32))) "type mismatch")"#,
    );
    let bad = file(
        &dir,
        "bad.wast",
        r#"(module (func (export "one") (result i32) i32.const 1))
           (assert_return (invoke "one") (i32.const 2))
           (assert_return (invoke "one") (i32.const 1))"#,
    );
    let run = wx(&["wast", &good], None);
    assert_eq!(run.code, Some(0), "{run:#?}");
    assert!(
        run.stdout.contains("good.wast: 4 passed, 0 failed"),
        "{run:#?}"
    );
    assert_eq!(
        run.stdout.lines().last(),
        Some("4 passed, 0 failed"),
        "{run:#?}"
    );

    let run = wx(&["wast", "--tier", "interp", &good, &bad], None);
    assert_eq!(run.code, Some(1), "{run:#?}");
    assert!(
        run.stdout.contains("bad.wast: 2 passed, 1 failed"),
        "{run:#?}"
    );
    assert_eq!(
        run.stdout.lines().last(),
        Some("6 passed, 1 failed"),
        "{run:#?}"
    );
    // The failure names its line.
    assert!(run.stderr.contains("bad.wast:2:"), "{run:#?}");

    let run = wx(&["wast", &format!("{}/missing.wast", dir.display())], None);
    assert_eq!(run.code, Some(1), "{run:#?}");

    // After a module that fails, directives that use the current module
    // (or the failed module's name) fail too: they never run against an
    // earlier instance.
    let after_failure = file(
        &dir,
        "after-failure.wast",
        r#"(module $m (func (export "f") (result i32) (i32.const 1)))
           (module $m (func (export "f") (result i32) (i64.const 1)))
           (assert_return (invoke "f") (i32.const 1))
           (assert_return (invoke $m "f") (i32.const 1))
           (module (func (export "f") (result i32) (i32.const 2)))
           (assert_return (invoke "f") (i32.const 2))"#,
    );
    let run = wx(&["wast", "--tier", "interp", &after_failure], None);
    assert_eq!(run.code, Some(1), "{run:#?}");
    assert!(
        run.stdout
            .contains("after-failure.wast: 3 passed, 3 failed"),
        "{run:#?}"
    );
    // Each names the module that failed and where it is.
    assert!(
        run.stderr.contains("after-failure.wast:3:")
            && run.stderr.contains("module $m at 2:13 failed: "),
        "{run:#?}"
    );
}

/// A module definition that fails, and an instance of it, fail every
/// directive that uses them, each naming the failed module: none runs
/// against the module before.
#[test]
fn wast_directives_after_a_failed_definition_fail_with_it() {
    let dir = scratch("wast-definition");
    let script = file(
        &dir,
        "definition.wast",
        r#"(module $a (func (export "f") (result i32) (i32.const 1)))
(module definition $d (func (export "f") (result i32) (i64.const 1)))
(module instance $i $d)
(assert_return (invoke "f") (i32.const 1))
(assert_return (invoke $i "f") (i32.const 1))
(module instance $j $nowhere)
(assert_return (invoke "f") (i32.const 1))
(assert_return (invoke $a "f") (i32.const 1))"#,
    );
    let run = wx(&["wast", "--tier", "interp", &script], None);
    assert_eq!(run.code, Some(1), "{run:#?}");
    assert!(
        run.stdout.contains("definition.wast: 2 passed, 6 failed"),
        "{run:#?}"
    );
    let line = |n: usize| {
        run.stderr
            .lines()
            .find(|l| l.contains(&format!("definition.wast:{n}:")))
            .unwrap_or_else(|| panic!("no failure on line {n}: {run:#?}"))
    };
    assert!(line(2).contains("type mismatch"), "{run:#?}");
    assert!(line(3).contains("module $d at 2:2 failed: "), "{run:#?}");
    for n in [4, 5] {
        assert!(
            line(n).contains("module $i at 3:2 failed: module $d at 2:2 failed: "),
            "{run:#?}"
        );
    }
    assert!(
        line(6).contains("unknown module definition $nowhere"),
        "{run:#?}"
    );
    assert!(line(7).contains("module $j at 6:2 failed: "), "{run:#?}");
    std::fs::remove_dir_all(dir).ok();
}

/// Bytes that are no wasm module are called that, as wasmtime decides:
/// the binary magic (or its first byte, NUL, which no text has) means
/// binary, other UTF-8 is text, and anything else is neither.
#[test]
fn non_wasm_input_is_not_a_wasm_module() {
    let dir = scratch("bad-magic");
    let cases: [(&str, &[u8], &str); 5] = [
        (
            "elf.wasm",
            b"\x7fELF\x02\x01\x01\0\0\0\0\0\0\0\0\0\x03\0\x3e\0\x01\0\0\0\xa0\x10",
            "not a wasm module (bad magic number) and not wasm text (not UTF-8)",
        ),
        (
            "latin1.wat",
            b"(module \xe9t\xe9)",
            "not a wasm module (bad magic number) and not wasm text (not UTF-8)",
        ),
        (
            "wrong-magic.wasm",
            b"\0asn\x01\0\0\0",
            "not a wasm module (bad magic number)",
        ),
        ("short.wasm", b"\0as", "unexpected end-of-file"),
        (
            "text.wat",
            b"\x7fELF not wasm at all",
            "unexpected character",
        ),
    ];
    for (name, bytes, expected) in cases {
        let path = file(&dir, name, bytes);
        let r = wx(&["run", &path], None);
        assert_eq!(r.code, Some(1), "{name}: {r:#?}");
        assert!(r.error_line().contains(expected), "{name}: {r:#?}");
        assert!(!r.stderr.contains("utf-8"), "{name}: {r:#?}");
        // Every command loads a module the same way.
        let r = wx(&["explore", &path], None);
        assert_eq!(r.code, Some(1), "{name}: {r:#?}");
        assert!(
            r.stderr.starts_with("error: ") && r.stderr.contains(expected),
            "{name}: {r:#?}"
        );
        assert!(!r.stderr.contains("utf-8"), "{name}: {r:#?}");
    }
    std::fs::remove_dir_all(dir).ok();
}

#[test]
fn explore_prints_each_functions_bytecode() {
    let dir = scratch("explore");
    let wat = file(
        &dir,
        "m.wat",
        r#"(module
             (func $inc (export "inc") (param i32) (result i32) (i32.add (local.get 0) (i32.const 1)))
             (func $twice (param i32) (result i32) (call $inc (call $inc (local.get 0))))
             (table 1 funcref)
             (func $size (result i32) (table.size 0)))"#,
    );
    let run = wx(&["explore", "--target", "x86_64", &wat], None);
    assert_eq!(run.code, Some(0), "{run:#?}");
    assert!(
        run.stdout.contains("function 0 `inc` [i32] -> [i32]"),
        "{run:#?}"
    );
    assert!(
        run.stdout.contains("I32AddImm { dst: 1, a: 0, imm: 1 }"),
        "{run:#?}"
    );
    assert!(run.stdout.contains("CallInternal { def: 0"), "{run:#?}");
    assert!(run.stdout.contains("-- JIT IR --"), "{run:#?}");
    assert!(run.stdout.contains("v1 = i32.add v0, 1"), "{run:#?}");
    assert!(
        run.stdout.contains("-- register allocation (x86-64) --"),
        "{run:#?}"
    );

    // Table operators are compiled too (table.size inline).
    assert!(run.stdout.contains("v0 = table.size 0"), "{run:#?}");
    assert!(!run.stdout.contains("kept in the interpreter"), "{run:#?}");

    // The machine code of `inc`: offsets, bytes and Intel syntax, from the
    // entry stub to the trap exit, with the entries marked.
    let inc = run.stdout.split("function 1 ").next().unwrap_or_default();
    let code = inc
        .split("-- machine code (x86-64) --\n")
        .nth(1)
        .unwrap_or_else(|| panic!("no disassembly: {run:#?}"));
    let lines: Vec<&str> = code.lines().collect();
    assert!(
        lines[0].starts_with("; ") && lines[0].contains(" bytes"),
        "{code}"
    );
    assert_eq!(lines[1].trim(), "entry stub (array call):", "{code}");
    assert!(
        lines[2].trim_start().starts_with("0: 55 ") && lines[2].ends_with("push rbp"),
        "{code}"
    );
    assert!(lines[3].ends_with("mov rbp, rsp"), "{code}");
    assert!(code.contains("wasm_call entry:\n"), "{code}");
    assert!(
        lines
            .iter()
            .any(|l| l.contains(" add ") && l.ends_with(", 1")),
        "{code}"
    );
    assert!(code.contains("trap exit:\n"), "{code}");
    assert!(code.contains("pop rbp\n"), "{code}");
    // The trap exit ends by unwinding (`ret`) or resuming at a landing
    // pad (`jmp`).
    assert!(code.contains(" ret\n"), "{code}");
    assert!(
        code.trim_end()
            .lines()
            .last()
            .is_some_and(|l| l.contains(" jmp ")),
        "{code}"
    );
    assert!(!code.contains("(bad)"), "{code}");

    let run = wx(&["explore", "--func", "1", &wat], None);
    assert!(
        !run.stdout.contains("`inc`") && run.stdout.contains("function 1"),
        "{run:#?}"
    );

    let run = wx(&["explore", "--func", "nope", &wat], None);
    assert_eq!(run.code, Some(2), "{run:#?}");
    assert!(
        run.error_line().contains("no defined function `nope`"),
        "{run:#?}"
    );

    // Either ISA on any host.
    let run = wx(
        &["explore", "--target", "aarch64", "--func", "0", &wat],
        None,
    );
    assert_eq!(run.code, Some(0), "{run:#?}");
    assert!(
        run.stdout.contains("-- machine code (AArch64) --"),
        "{run:#?}"
    );
    assert!(
        run.stdout.contains("stp x29, x30, [sp, #-0x10]!"),
        "{run:#?}"
    );
    assert!(run.stdout.contains("add w0, w0, #0x1"), "{run:#?}");
    let run = wx(&["explore", "--target", "riscv", &wat], None);
    assert_eq!(run.code, Some(2), "{run:#?}");
    assert!(
        run.error_line().contains("unknown target `riscv`"),
        "{run:#?}"
    );
}

#[cfg(all(target_arch = "x86_64", target_os = "linux"))]
#[test]
fn perf_map_names_compiled_functions() {
    let dir = scratch("perfmap");
    let wat = file(
        &dir,
        "m.wat",
        r#"(module (func $answer (export "answer") (result i32) (i32.const 42)))"#,
    );
    let child = wx_command()
        .args([
            "run",
            "--tier",
            "jit",
            "--perf-map",
            "--invoke",
            "answer",
            &wat,
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn wx");
    let pid = child.id();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "{out:?}");
    assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), "42");
    let map = format!("/tmp/perf-{pid}.map");
    let text = std::fs::read_to_string(&map).expect("perf map written");
    std::fs::remove_file(&map).ok();
    let line = text
        .lines()
        .find(|l| l.ends_with("::answer"))
        .expect("a line for $answer");
    let fields: Vec<&str> = line.split(' ').collect();
    assert_eq!(fields.len(), 3, "{line}");
    assert!(
        u64::from_str_radix(fields[0], 16).is_ok()
            && u64::from_str_radix(fields[1], 16).unwrap() > 0,
        "{line}"
    );
}

/// `--jit-threshold` decides when `tiered` compiles; each tier-up is an
/// info event under `wx::tier`, and `--stats` shows the tier and compile time.
#[test]
fn tier_up_is_logged_and_shown_in_stats() {
    if !cfg!(all(target_arch = "x86_64", target_os = "linux")) {
        return;
    }
    let dir = scratch("tierup");
    let wat = file(
        &dir,
        "fib.wat",
        r#"(module
          (func $fib (export "fib") (param i32) (result i32)
            (if (result i32) (i32.lt_u (local.get 0) (i32.const 2))
              (then (local.get 0))
              (else (i32.add (call $fib (i32.sub (local.get 0) (i32.const 1)))
                             (call $fib (i32.sub (local.get 0) (i32.const 2))))))))"#,
    );
    let out = wx_command()
        .args([
            "run",
            "--tier",
            "tiered",
            "--jit-threshold",
            "50",
            "--jit-sync",
            "--stats",
        ])
        .args(["--invoke", "fib", &wat, "20"])
        .env("WX_LOG", "wx::tier=info")
        .output()
        .expect("run wx");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert_eq!(stdout, "6765\n");
    let event = stderr
        .lines()
        .find(|l| l.contains("tier-up"))
        .unwrap_or_else(|| panic!("no tier-up event: {stderr}"));
    for field in [
        "func=0",
        "name=fib",
        "calls=50",
        "micros=",
        "wasm_bytes=",
        "code_bytes=",
    ] {
        assert!(event.contains(field), "{field} missing: {event}");
    }
    let row = stderr
        .lines()
        .find(|l| l.ends_with(" fib (func[0])"))
        .unwrap_or_else(|| panic!("no stats row: {stderr}"));
    let cols: Vec<&str> = row.split_whitespace().collect();
    assert_eq!(
        cols[0], "50",
        "interpreted calls stop at the threshold: {row}"
    );
    assert_eq!(cols[2], "jit", "{row}");
    assert!(cols[3].ends_with('s'), "a compile time: {row}");
    // The same threshold option exists on `wx wast`.
    let script = file(
        &dir,
        "t.wast",
        format!(
            "{}\n(assert_return (invoke \"fib\" (i32.const 15)) (i32.const 610))",
            std::fs::read_to_string(&wat).unwrap()
        ),
    );
    let r = wx(
        &["wast", "--tier", "tiered", "--jit-threshold", "1", &script],
        None,
    );
    assert_eq!(r.code, Some(0), "{r:#?}");
    assert!(r.stdout.ends_with("\n2 passed, 0 failed\n"), "{r:#?}");
    std::fs::remove_dir_all(dir).ok();
}

/// Every benchmark program prints its expected output when all of it is
/// compiled: real C programs (libc, printf, hashing, sorting, an
/// interpreter loop) through every JIT transformation at once.
#[test]
fn benchmark_programs_print_their_expected_output_under_the_jit() {
    let dir = root().join("benches/programs");
    let mut ran = 0;
    for entry in std::fs::read_dir(&dir).expect("benches/programs exists") {
        let path = entry.expect("readable entry").path();
        if path.extension().is_none_or(|e| e != "wasm") {
            continue;
        }
        // Found as `wx bench` finds it (`x.postmvp.wasm` shares `x.expected`).
        let expected = wx::bench::expected_candidates(&path)
            .iter()
            .find_map(|file| std::fs::read(file).ok())
            .unwrap_or_else(|| panic!("{}: no expected output", path.display()));
        let r = wx(&["run", "--tier", "jit", &path.to_string_lossy()], None);
        if r.code != Some(0) && r.error_line().contains("jit") {
            return; // a build without the JIT
        }
        assert_eq!(r.code, Some(0), "{}: {r:#?}", path.display());
        if let Err(why) = wx::bench::check_output(&expected, r.stdout.as_bytes()) {
            panic!("{}: {why}", path.display());
        }
        ran += 1;
    }
    assert!(ran >= 20, "only {ran} programs ran");
}

/// `wx explore … | head`: the reader leaving early ends the listing
/// quietly, not with a panic.
#[test]
fn explore_stops_quietly_when_its_reader_leaves() {
    use std::io::Read;
    let module = root().join("benches/programs/many_funcs.wasm");
    let mut child = wx_command()
        .args(["explore", &module.to_string_lossy()])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("wx starts");
    let mut first = [0u8; 64];
    child
        .stdout
        .take()
        .expect("piped")
        .read_exact(&mut first)
        .expect("some output");
    // The read end is dropped here, before wx has written its listing.
    let out = child.wait_with_output().expect("wx ends");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert_eq!(out.status.code(), Some(0), "{stderr}");
}

/// `--tcplisten ADDR` hands the program a listening socket (fd 3) that a
/// client on loopback reaches.
#[test]
fn tcplisten_hands_in_a_listening_socket() {
    use std::io::{Read, Write};
    // A free port: bind, note it, let go.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let addr = format!("127.0.0.1:{port}");
    let program = root().join("tests/wasi/programs/sockets.wasm");
    let client = {
        let addr = addr.clone();
        std::thread::spawn(move || {
            // Until wx listens.
            let mut s = (0..200)
                .find_map(|_| {
                    std::net::TcpStream::connect(&addr).ok().or_else(|| {
                        std::thread::sleep(std::time::Duration::from_millis(20));
                        None
                    })
                })
                .expect("wx listens");
            s.write_all(b"ping\n").unwrap();
            let mut got = String::new();
            s.read_to_string(&mut got).unwrap();
            got
        })
    };
    let r = wx(
        &["run", "--tcplisten", &addr, program.to_str().unwrap()],
        None,
    );
    assert_eq!(r.code, Some(0), "{r:#?}");
    assert!(r.stdout.contains("accept: ok\n"), "{r:#?}");
    assert!(r.stdout.contains("received 5: ping\n"), "{r:#?}");
    assert_eq!(client.join().unwrap(), "pong: ping\nbye\n");
    // An address that cannot be bound is an error before the program runs.
    let r = wx(
        &[
            "run",
            "--tcplisten",
            "256.0.0.1:1",
            program.to_str().unwrap(),
        ],
        None,
    );
    assert_eq!(r.code, Some(1), "{r:#?}");
    assert!(r.error_line().contains("--tcplisten"), "{r:#?}");
}

/// Modules that need exception handling or threads are refused with a
/// clear message until those proposals are supported.
#[test]
fn unsupported_proposals_are_named() {
    let dir = scratch("unsupported");
    let simd = file(
        &dir,
        "simd.wat",
        "(module (func (export \"_start\") (drop (v128.const i64x2 0 0))))",
    );
    let r = wx(&["run", &simd], None);
    assert_eq!(r.code, Some(1), "{r:#?}");
    assert!(
        r.error_line().contains("unsupported feature: SIMD"),
        "{r:#?}"
    );
    let memory64 = file(&dir, "memory64.wat", "(module (memory i64 1))");
    let r = wx(&["run", &memory64], None);
    assert_eq!(r.code, Some(1), "{r:#?}");
    assert!(r.error_line().contains("unsupported feature:"), "{r:#?}");
    // Exceptions and threads are not among them any more.
    let both = file(
        &dir,
        "eh_threads.wat",
        r#"(module (memory 1 1 shared) (tag $e)
             (func (export "_start")
               (block $h (try_table (catch $e $h) (throw $e)))
               (drop (i32.atomic.rmw.add (i32.const 0) (i32.const 1)))))"#,
    );
    for tier in ["interp", "jit", "tiered"] {
        let r = wx(&["run", "--tier", tier, &both], None);
        assert_eq!(r.code, Some(0), "{tier}: {r:#?}");
    }
    std::fs::remove_dir_all(dir).ok();
}

/// `--timeout` stops code that runs too long, on every tier: `wx run`
/// exits with the trap status, and `wx wast` fails just the directive.
#[test]
fn timeout_stops_endless_loops() {
    let dir = scratch("timeout");
    let wat = file(
        &dir,
        "spin.wat",
        r#"(module
             (func $leaf (param i32) (result i32) (i32.add (local.get 0) (i32.const 1)))
             (func (export "_start") (local i32)
               (loop $l (local.set 0 (call $leaf (local.get 0))) (br $l))))"#,
    );
    for tier in ["interp", "jit", "tiered", "mixed"] {
        let r = wx(&["run", "--tier", tier, "--timeout", "100ms", &wat], None);
        assert_eq!(r.code, Some(134), "{tier}: {r:#?}");
        let first = r.stderr.lines().next();
        assert_eq!(first, Some("error: wasm trap: interrupt"), "{tier}: {r:#?}");
    }
    let script = file(
        &dir,
        "spin.wast",
        r#"(module (func (export "spin") (loop $l (br $l)))
                   (func (export "one") (result i32) (i32.const 1)))
           (assert_return (invoke "one") (i32.const 1))
           (assert_return (invoke "spin"))
           (assert_return (invoke "one") (i32.const 1))"#,
    );
    for tier in ["interp", "jit", "tiered"] {
        let r = wx(
            &["wast", "--tier", tier, "--timeout", "100ms", &script],
            None,
        );
        assert_eq!(r.code, Some(1), "{tier}: {r:#?}");
        assert!(r.stdout.contains("3 passed, 1 failed"), "{tier}: {r:#?}");
        assert!(r.stderr.contains("interrupt"), "{tier}: {r:#?}");
    }
    let r = wx(&["run", "--timeout", "soon", &wat], None);
    assert_eq!(r.code, Some(2), "{r:#?}");
    assert!(r.stderr.contains("not a duration"), "{r:#?}");
    std::fs::remove_dir_all(dir).ok();
}

/// `--max-memory` bounds every memory: past it `memory.grow` returns -1
/// (on every tier), and a memory that starts larger fails instantiation.
#[test]
fn max_memory_bounds_memory_growth() {
    let dir = scratch("max_memory");
    let wat = file(
        &dir,
        "grow.wat",
        r#"(module (memory 1)
             (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0))))"#,
    );
    for tier in ["interp", "jit", "tiered"] {
        let args = [
            "run",
            "--tier",
            tier,
            "--max-memory",
            "128K",
            "--invoke",
            "grow",
        ];
        let r = wx(&[&args[..], &[&wat, "1"]].concat(), None);
        assert_eq!((r.code, r.stdout.trim()), (Some(0), "1"), "{tier}: {r:#?}");
        let r = wx(&[&args[..], &[&wat, "2"]].concat(), None);
        assert_eq!((r.code, r.stdout.trim()), (Some(0), "-1"), "{tier}: {r:#?}");
    }
    let r = wx(
        &["run", "--max-memory", "1000", "--invoke", "grow", &wat, "0"],
        None,
    );
    assert_eq!(r.code, Some(1), "{r:#?}");
    assert!(r.stderr.contains("minimum size"), "{r:#?}");
    let r = wx(&["run", "--max-memory", "lots", &wat], None);
    assert_eq!(r.code, Some(2), "{r:#?}");
    std::fs::remove_dir_all(dir).ok();
}

/// Whether this build runs the JIT on this machine.
const JIT_HOST: bool = cfg!(all(
    any(target_arch = "x86_64", target_arch = "aarch64"),
    target_os = "linux"
));

/// A module whose `tail` the JIT refuses (`return_call`), whose `leaf` it
/// compiles, and whose `wide` (4,100 values live at once, each spilled)
/// needs a bigger frame than AArch64 code has room for (x86-64 compiles it).
fn fallback_module(dir: &Path) -> String {
    use std::fmt::Write as _;
    let values = 4100;
    let mut wide = format!(
        "(func $wide (export \"wide\") (param i32) (result i32) (local {})\n",
        "i32 ".repeat(values)
    );
    for k in 1..=values {
        let _ = writeln!(wide, "local.get 0 i32.const {k} i32.add local.set {k}");
    }
    wide.push_str("local.get 1\n");
    for k in 2..=values {
        let _ = writeln!(wide, "local.get {k} i32.add");
    }
    wide.push_str(")\n");
    file(
        dir,
        "fallbacks.wat",
        format!(
            r#"(module
                 (func $leaf (export "leaf") (result i32) (i32.const 7))
                 (func $tail (export "tail") (result i32) (return_call $leaf))
                 {wide})"#
        ),
    )
}

/// The part of explore's listing about function `name`.
fn explored<'a>(listing: &'a str, name: &str) -> &'a str {
    let start = listing
        .find(&format!(" `{name}` "))
        .unwrap_or_else(|| panic!("no function `{name}`: {listing}"));
    let rest = &listing[start..];
    &rest[..rest.find("\nfunction ").unwrap_or(rest.len())]
}

/// `wx explore` shows JIT output only for a function `run` compiles; for
/// any other it says why `run` keeps it in the interpreter, as `run` says
/// it: the JIT's refusal (translator, allocator or emitter, for the
/// target asked for) and the size limit (see the runtime's
/// `explore_says_which_functions_run_keeps_in_the_interpreter`).
#[test]
fn explore_keeps_in_the_interpreter_what_run_keeps() {
    let dir = scratch("explore-kept");
    let wat = fallback_module(&dir);
    let refused = "-- kept in the interpreter: unsupported operator `ReturnCall` --";
    let x64 = wx(&["explore", "--target", "x86_64", &wat], None);
    assert_eq!(x64.code, Some(0), "{x64:#?}");
    let a64 = wx(&["explore", "--target", "aarch64", &wat], None);
    assert_eq!(a64.code, Some(0), "{a64:#?}");
    for (listing, isa) in [(&x64.stdout, "x86-64"), (&a64.stdout, "AArch64")] {
        let leaf = explored(listing, "leaf");
        assert!(leaf.contains("-- JIT IR --"), "{leaf}");
        assert!(
            leaf.contains(&format!("-- machine code ({isa}) --")),
            "{leaf}"
        );
        let tail = explored(listing, "tail");
        assert!(tail.contains(refused), "{tail}");
        assert!(
            !tail.contains("-- JIT IR --") && !tail.contains("-- machine code"),
            "{tail}"
        );
    }
    // The emitter's refusal is the target's: the frame is too big for
    // AArch64 only.
    let wide = explored(&x64.stdout, "wide");
    assert!(wide.contains("-- machine code (x86-64) --"), "{wide}");
    let wide = explored(&a64.stdout, "wide");
    assert!(
        wide.contains("-- kept in the interpreter: unsupported operator `a frame of "),
        "{wide}"
    );
    assert!(
        !wide.contains("-- JIT IR --") && !wide.contains("-- machine code"),
        "{wide}"
    );
    if JIT_HOST {
        // On this machine, explore (without --target) and run agree, in
        // the same words.
        let host = wx(&["explore", &wat], None);
        assert!(
            explored(&host.stdout, "tail").contains(refused),
            "{host:#?}"
        );
        assert!(
            explored(&host.stdout, "leaf").contains("-- JIT IR --"),
            "{host:#?}"
        );
        let r = wx(
            &["run", "--tier", "jit", "--stats", "--invoke", "tail", &wat],
            None,
        );
        assert_eq!(r.code, Some(0), "{r:#?}");
        assert_eq!(r.stdout, "7\n");
        let row = |name: &str| {
            r.stderr
                .lines()
                .find(|l| l.contains(&format!(" {name} (func[")))
                .unwrap_or_else(|| panic!("no stats row for {name}: {r:#?}"))
        };
        assert!(
            row("tail").ends_with("[kept in the interpreter: unsupported operator `ReturnCall`]"),
            "{r:#?}"
        );
        assert!(row("leaf").contains(" jit "), "{r:#?}");
    }
    std::fs::remove_dir_all(dir).ok();
}

/// Every fallback is an info event on `wx::tier`, whatever the tier
/// setting that compiles (the README promises every fallback at
/// `WX_LOG=wx::tier=info`).
#[test]
fn every_fallback_is_logged_at_info() {
    if !JIT_HOST {
        return;
    }
    let dir = scratch("fallback-log");
    let wat = fallback_module(&dir);
    let tiers: [&[&str]; 2] = [
        &["--tier", "jit"],
        &["--tier", "tiered", "--jit-threshold", "1", "--jit-sync"],
    ];
    for tier in tiers {
        let out = wx_command()
            .arg("run")
            .args(tier)
            .args(["--invoke", "tail", &wat])
            .env("WX_LOG", "wx::tier=info")
            .output()
            .expect("run wx");
        let stdout = String::from_utf8_lossy(&out.stdout);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success(), "{tier:?}: {stderr}");
        assert_eq!(stdout, "7\n", "{tier:?}");
        let event = stderr
            .lines()
            .find(|l| l.contains("kept in the interpreter"))
            .unwrap_or_else(|| panic!("{tier:?}: no fallback event: {stderr}"));
        for part in [
            " INFO ",
            "wx::tier",
            "func=1",
            "name=tail",
            "unsupported operator `ReturnCall`",
        ] {
            assert!(event.contains(part), "{tier:?}: {part} missing: {event}");
        }
    }
    std::fs::remove_dir_all(dir).ok();
}

/// `--fuel N` bounds the work a program does, the same on every tier: a
/// call and a loop iteration take a unit each.
#[test]
fn fuel_bounds_work_on_every_tier() {
    let dir = scratch("fuel");
    let wat = file(
        &dir,
        "loop.wat",
        r#"(module
             (func $leaf (param i32) (result i32) (i32.add (local.get 0) (i32.const 1)))
             (func (export "count") (param $n i32) (result i32) (local $i i32)
               (loop $l
                 (local.set $i (call $leaf (local.get $i)))
                 (br_if $l (i32.lt_u (local.get $i) (local.get $n))))
               (local.get $i)))"#,
    );
    for tier in ["interp", "jit", "tiered", "mixed"] {
        // count(100) takes 1 + 100 + 100 units.
        let run = |fuel: &str| {
            let args = ["run", "--tier", tier, "--fuel", fuel, "--invoke", "count"];
            wx(&[&args[..], &[&wat, "100"]].concat(), None)
        };
        let r = run("201");
        assert_eq!(
            (r.code, r.stdout.trim()),
            (Some(0), "100"),
            "{tier}: {r:#?}"
        );
        let r = run("200");
        assert_eq!(r.code, Some(134), "{tier}: {r:#?}");
        let first = r.stderr.lines().next();
        assert_eq!(
            first,
            Some("error: wasm trap: all fuel consumed by WebAssembly"),
            "{tier}: {r:#?}"
        );
    }
    let script = file(
        &dir,
        "spin.wast",
        r#"(module (func (export "spin") (loop $l (br $l)))
                   (func (export "one") (result i32) (i32.const 1)))
           (assert_return (invoke "one") (i32.const 1))
           (assert_trap (invoke "spin") "all fuel consumed")
           (assert_return (invoke "one") (i32.const 1))"#,
    );
    let r = wx(&["wast", "--fuel", "10000", &script], None);
    assert_eq!(r.code, Some(0), "{r:#?}");
    assert!(r.stdout.contains("4 passed, 0 failed"), "{r:#?}");
    std::fs::remove_dir_all(dir).ok();
}
