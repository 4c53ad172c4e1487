//! Running a program under a wx tier, in this process.

use super::{measure_runs, Checks, EngineInfo, EngineKind, Outcome, Program, Sample};
use crate::run::{add_dirs, add_env, start, wasi_linker, Failure};
use std::time::Instant;
use wx_runtime::{Config, Engine, FuncStats, Module, Store, Strategy};
use wx_wasi::{Input, Output, WasiCtx};

/// The column for tier `tier` with `checks`; unavailable if this build
/// cannot create an engine with that strategy.
pub fn engine_info(tier: Strategy, checks: Option<Checks>) -> EngineInfo {
    let unavailable = Engine::new(Config::new().strategy(tier))
        .err()
        .map(|e| e.to_string());
    EngineInfo {
        name: match checks {
            Some(c) => format!("{tier}+{c}"),
            None => tier.to_string(),
        },
        kind: EngineKind::Wx(tier, checks),
        version: format!("wx {}", env!("CARGO_PKG_VERSION")),
        unavailable,
    }
}

/// What one run left behind besides its times.
struct Run {
    sample: Sample,
    stdout: Vec<u8>,
    stderr: Vec<u8>,
    stats: Vec<FuncStats>,
    /// Functions the JIT compiled.
    compiled: usize,
}

/// `runs` runs of `program` on `tier`, each reported to `progress`; stops
/// at the first failure.
pub fn measure(
    program: &Program,
    tier: Strategy,
    checks: Option<Checks>,
    jit_threshold: u64,
    runs: u32,
    reference: bool,
    progress: &mut dyn FnMut(&Sample),
) -> Outcome {
    measure_runs(program, runs, progress, |measured| {
        let run = run_once(program, tier, checks, jit_threshold)?;
        program
            .check_run(&run.stdout, reference)
            .map_err(|why| with_stderr(why, &run.stderr))?;
        measured.tiered_up = tiered_up(tier, run.compiled);
        measured.funcs_run = Some(run.stats.iter().filter(|s| s.calls > 0).count());
        Ok(run.sample)
    })
}

/// Functions the JIT compiled (the interpreter compiles none).
fn tiered_up(tier: Strategy, compiled: usize) -> Option<usize> {
    match tier {
        Strategy::Interp => Some(0),
        Strategy::Jit | Strategy::Tiered | Strategy::Mixed => Some(compiled),
    }
}

/// One run: a fresh engine, module, store and instance, as `wx run` makes
/// them, with stdout and stderr captured. Only `Module::new`, instantiation
/// and `_start` are timed.
fn run_once(
    program: &Program,
    tier: Strategy,
    checks: Option<Checks>,
    jit_threshold: u64,
) -> Result<Run, String> {
    let mut config = Config::new();
    config.strategy(tier).jit_threshold(jit_threshold);
    match checks {
        Some(Checks::Epoch) => config.epoch_interruption(true),
        Some(Checks::Fuel) => config.consume_fuel(true),
        None => &mut config,
    };
    let engine = Engine::new(&config).map_err(|e| e.to_string())?;
    let (stdout, out_buf) = Output::buffer();
    let (stderr, err_buf) = Output::buffer();
    let mut b = WasiCtx::builder();
    b.arg(program.name.clone())
        .args(&program.run.args)
        .stdin(Input::Null)
        .stdout(stdout)
        .stderr(stderr);
    add_env(&mut b, &program.run.envs).map_err(Failure::into_message)?;
    add_dirs(&mut b, &program.run.dirs).map_err(Failure::into_message)?;
    let ctx = b.build().map_err(|e| e.to_string())?;
    let linker = wasi_linker(&engine).map_err(|e| e.to_string())?;
    let mut store = Store::new(&engine, ctx);
    // A deadline and a budget the run never reaches: only the checks cost.
    match checks {
        Some(Checks::Epoch) => store.set_epoch_deadline(u64::MAX),
        Some(Checks::Fuel) => store.set_fuel(u64::MAX).map_err(|e| e.to_string())?,
        None => {}
    }

    let t0 = Instant::now();
    let module = Module::new(&engine, &program.bytes).map_err(|e| e.to_string())?;
    let t1 = Instant::now();
    let instance = linker
        .instantiate(&mut store, &module)
        .map_err(|e| e.to_string())?;
    let t2 = Instant::now();
    let result = start(&mut store, instance, &module, &program.path);
    let t3 = Instant::now();

    let take = |buf: &std::sync::Arc<std::sync::Mutex<Vec<u8>>>| {
        std::mem::take(&mut *buf.lock().unwrap_or_else(|e| e.into_inner()))
    };
    let (stdout, stderr) = (take(&out_buf), take(&err_buf));
    match result {
        Ok(()) | Err(Failure::Exit(0)) => {}
        Err(Failure::Exit(code)) => {
            return Err(with_stderr(format!("exit status {code}"), &stderr));
        }
        Err(
            Failure::Error(msg) | Failure::Usage(msg) | Failure::Trap(msg) | Failure::Uncaught(msg),
        ) => {
            return Err(with_stderr(msg, &stderr));
        }
    }
    let secs = |a: Instant, b: Instant| (b - a).as_secs_f64();
    Ok(Run {
        sample: Sample {
            time: secs(t0, t3),
            compile: Some(secs(t0, t1)),
            instantiate: Some(secs(t1, t2)),
            run: Some(secs(t2, t3)),
            wall: None,
        },
        stdout,
        stderr,
        stats: store.func_stats(),
        compiled: module.compiled_functions(),
    })
}

/// Add the last line the program wrote to stderr, if any, to a failure.
fn with_stderr(why: String, stderr: &[u8]) -> String {
    let text = String::from_utf8_lossy(stderr);
    match text.lines().rev().map(str::trim).find(|l| !l.is_empty()) {
        Some(line) => format!("{why} (stderr: {line})"),
        None => why,
    }
}
