//! End-to-end tests of `wx bench` on a tiny WASI program
//! (tests/fixtures/bench): the table, output verification, JSON and SVG.

use std::path::{Path, PathBuf};
use std::process::Stdio;

mod common;
use common::{root, wx_command};

const FIXTURES: &str = "tests/fixtures/bench";

#[derive(Debug)]
struct Run {
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

fn wx_bench(args: &[&str]) -> Run {
    let out = wx_command()
        .arg("bench")
        .args(args)
        .current_dir(root())
        .env_remove("WX_LOG")
        .stdin(Stdio::null())
        .output()
        .expect("run wx bench");
    let run = Run {
        code: out.status.code(),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    };
    assert!(!run.stderr.contains("panicked"), "wx panicked: {run:#?}");
    run
}

fn scratch(test: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("wx-bench-{}-{test}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// The cells of the first stdout line that starts with `start`.
fn row(text: &str, start: &str) -> Vec<String> {
    text.lines()
        .find(|l| l.starts_with(start))
        .unwrap_or_else(|| panic!("no row {start:?} in\n{text}"))
        .split_whitespace()
        .map(str::to_string)
        .collect()
}

#[test]
fn bench_runs_verifies_and_reports() {
    let dir = scratch("report");
    let json = dir.join("out.json");
    let svg = dir.join("out.svg");
    let r = wx_bench(&[
        "--runs",
        "2",
        "--json",
        json.to_str().unwrap(),
        "--svg",
        svg.to_str().unwrap(),
        FIXTURES,
    ]);
    assert_eq!(r.code, Some(0), "{r:#?}");
    // Progress on stderr: the program and each tier.
    assert!(r.stderr.contains("[1/1] tiny.wasm"), "{r:#?}");
    assert!(r.stderr.contains("  -> median "), "{r:#?}");
    // The table: a time, a compile time and 0 tier-ups on the interpreter;
    // the tiers this build lacks are unavailable, not faked.
    let cells = row(&r.stdout, "tiny.wasm");
    assert_eq!(cells[0], "tiny.wasm");
    assert!(["us", "ms", "s"].contains(&cells[2].as_str()), "{cells:?}");
    assert!(["us", "ms"].contains(&cells[4].as_str()), "{cells:?}");
    assert_eq!(cells[5], "0", "{cells:?}");
    if cfg!(all(target_arch = "x86_64", target_os = "linux")) {
        // The JIT and tiered columns run: a time, a compile time, the
        // functions compiled; then the ratios to the interpreter.
        assert!(["us", "ms", "s"].contains(&cells[7].as_str()), "{cells:?}");
        assert!(cells[10].parse::<usize>().unwrap() >= 1, "{cells:?}");
        assert!(["us", "ms", "s"].contains(&cells[12].as_str()), "{cells:?}");
        assert!(cells[15].parse::<usize>().is_ok(), "{cells:?}");
        assert!(
            cells[16].ends_with('x') && cells[17].ends_with('x'),
            "{cells:?}"
        );
    } else {
        assert_eq!(
            cells[6..],
            ["unavailable", "-", "-", "unavailable", "-", "-", "-", "-"],
            "{r:#?}"
        );
        assert!(r.stdout.contains("wx jit: unavailable: "), "{}", r.stdout);
    }
    for text in [
        "wx interp",
        "wx jit",
        "wx tiered",
        "jit/interp",
        "tiered/interp",
    ] {
        assert!(r.stdout.contains(text), "no {text:?} in\n{}", r.stdout);
    }
    // Machine-readable results and a chart.
    let json = std::fs::read_to_string(&json).unwrap();
    assert!(json.contains("\"program\": \"tiny.wasm\""), "{json}");
    assert!(json.contains("\"status\": \"ok\""), "{json}");
    // Two samples per tier that ran.
    let tiers_run = if cfg!(all(target_arch = "x86_64", target_os = "linux")) {
        3
    } else {
        assert!(json.contains("\"status\": \"unavailable\""), "{json}");
        1
    };
    assert_eq!(
        json.matches("\"time\":").count(),
        2 * tiers_run,
        "two samples per tier: {json}"
    );
    let svg = std::fs::read_to_string(&svg).unwrap();
    assert!(svg.starts_with("<svg"), "{svg}");
    assert!(
        svg.contains("tiny.wasm") && svg.contains("wx interp"),
        "{svg}"
    );
    std::fs::remove_dir_all(dir).ok();
}

/// Copy the fixture module into `dir` with `expected` as its expected output.
fn fixture_with_expected(dir: &Path, expected: Option<&str>) -> String {
    let wasm = dir.join("tiny.wasm");
    std::fs::copy(root().join(FIXTURES).join("tiny.wasm"), &wasm).unwrap();
    if let Some(text) = expected {
        std::fs::write(dir.join("tiny.expected"), text).unwrap();
    }
    wasm.to_str().unwrap().to_string()
}

#[test]
fn wrong_output_fails_loudly() {
    let dir = scratch("mismatch");
    let wasm = fixture_with_expected(&dir, Some("tiny: checksum 00000000\n"));
    let r = wx_bench(&["--runs", "1", "--tiers", "interp", &wasm]);
    assert_eq!(r.code, Some(1), "{r:#?}");
    assert_eq!(
        row(&r.stdout, "tiny.wasm"),
        ["tiny.wasm", "FAILED", "-", "-"]
    );
    let why = "line 1: expected `tiny: checksum 00000000`, got `tiny: checksum dbb591e5`";
    assert!(r.stderr.contains("error: 1 wx run failed:"), "{r:#?}");
    assert!(
        r.stderr
            .contains("tiny.wasm on wx interp: output differs from")
            && r.stderr.contains(why),
        "{r:#?}"
    );
    std::fs::remove_dir_all(dir).ok();
}

#[test]
fn without_expected_output_the_interpreter_is_the_reference() {
    let dir = scratch("no-expected");
    let wasm = fixture_with_expected(&dir, None);
    // Every tier must print what the interpreter printed.
    let r = wx_bench(&["--runs", "1", "--tiers", "jit,interp,tiered", &wasm]);
    assert_eq!(r.code, Some(0), "{r:#?}");
    assert!(!r.stdout.contains("FAILED"), "{r:#?}");
    // The interpreter runs first, whatever the order asked.
    let interp = r.stderr.find("wx interp").expect("interp ran");
    let jit = r.stderr.find("wx jit").expect("jit ran");
    assert!(interp < jit, "{r:#?}");
    std::fs::remove_dir_all(dir).ok();
}

#[test]
fn usage_errors() {
    let r = wx_bench(&["no/such/program.wasm"]);
    assert_eq!(r.code, Some(2), "{r:#?}");
    assert_eq!(
        r.stderr,
        "error: no/such/program.wasm: no such file or directory\n"
    );
    let r = wx_bench(&["--runs", "0", FIXTURES]);
    assert_eq!(r.code, Some(2), "{r:#?}");
    let r = wx_bench(&["--engines", "wasm3", FIXTURES]);
    assert_eq!(r.code, Some(2), "{r:#?}");
    assert!(r.stderr.contains("unknown engine `wasm3`"), "{r:#?}");
}

/// `--checks` adds each tier again with epoch checks or fuel metering on,
/// compared with the tier alone; the runs' output is checked as any other.
#[test]
fn interruption_checks_run_beside_their_tier() {
    let r = wx_bench(&[
        "--runs",
        "1",
        "--tiers",
        "interp,jit",
        "--checks",
        "epoch,fuel",
        FIXTURES,
    ]);
    assert_eq!(r.code, Some(0), "{r:#?}");
    for column in [
        "wx interp+epoch",
        "wx interp+fuel",
        "wx jit+epoch",
        "wx jit+fuel",
        "interp+epoch/interp",
        "interp+fuel/interp",
        "jit+epoch/jit",
        "jit+fuel/jit",
        "jit/interp",
    ] {
        assert!(r.stdout.contains(column), "{column}: {r:#?}");
    }
    let r = wx_bench(&["--checks", "gas", FIXTURES]);
    assert_eq!(r.code, Some(2), "{r:#?}");
}

/// Other engines run on the same program; whichever are installed appear as
/// columns, the others are listed as not run. Either way wx's own result
/// decides the exit status.
#[test]
fn external_engines_are_compared_or_reported_missing() {
    let r = wx_bench(&["--runs", "1", "--tiers", "interp", "--external", FIXTURES]);
    assert_eq!(r.code, Some(0), "{r:#?}");
    for engine in ["wasmi", "wasmtime", "wasmtime-py", "node"] {
        let column = format!("wx/{engine}");
        let missing = format!("not run: {engine}: ");
        assert!(
            r.stdout.split_whitespace().any(|w| w == column) || r.stdout.contains(&missing),
            "{engine} is neither a column nor reported missing:\n{}",
            r.stdout
        );
    }
}
