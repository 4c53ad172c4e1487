//! `wx bench`: run benchmark programs under each wx tier (and, with
//! `--external`, under other engines), check every run's output against the
//! program's `.expected` file, and report median times, compile times,
//! tier-up counts and ratios as a table, JSON and an SVG chart.
//!
//! Exit status: 0 when every wx run printed its expected output (tiers that
//! this build lacks are reported as unavailable and do not fail the run), 1
//! when a wx run failed (wrong output, trap, non-zero exit, missing
//! `.expected`) or a report could not be written, 2 for a usage error.
//! Other engines failing a program is reported, not an error of wx.

mod chart;
mod external;
mod json;
mod programs;
mod report;
mod wx;

pub use programs::{check_output, expected_candidates, Program};
pub use report::{format_ratio, format_seconds, geomean, median, Table};

use std::io::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;
use wx_runtime::Strategy;

#[derive(clap::Args, Debug)]
pub struct BenchArgs {
    /// wx tiers to run, comma-separated.
    #[arg(
        long,
        value_name = "TIERS",
        value_delimiter = ',',
        default_value = "interp,jit,tiered"
    )]
    pub tiers: Vec<Strategy>,

    /// The wx tier other engines are compared with (default: `tiered`,
    /// wx's default, if it runs; else the first tier). The tiers' own
    /// ratios are to the first tier listed.
    #[arg(long, value_name = "TIER")]
    pub base: Option<Strategy>,

    /// Give the programs the host directory HOST, named GUEST (as
    /// `wx run --dir`), on every engine.
    #[arg(long = "dir", value_name = "HOST[::GUEST]")]
    pub dirs: Vec<String>,

    /// Set an environment variable for the programs, on every engine.
    #[arg(long = "env", value_name = "K=V")]
    pub envs: Vec<String>,

    /// Also run each tier with these interruption checks on (comma-separated:
    /// `epoch`, as `wx run --timeout`; `fuel`, as `wx run --fuel`), in
    /// columns `TIER+epoch` and `TIER+fuel` compared with the tier alone:
    /// what the checks cost.
    #[arg(long, value_name = "CHECKS", value_delimiter = ',')]
    pub checks: Vec<Checks>,

    /// Under `tiered`: compile a function after this many calls.
    #[arg(long, value_name = "N", default_value_t = wx_runtime::DEFAULT_JIT_THRESHOLD)]
    pub jit_threshold: u64,

    /// Timed runs per program and engine; the table shows the median.
    #[arg(long, value_name = "N", default_value_t = 3,
          value_parser = clap::value_parser!(u32).range(1..))]
    pub runs: u32,

    /// Also run the programs under the other engines found on PATH (wasmi,
    /// wasmtime, the wasmtime Python module, node).
    #[arg(long)]
    pub external: bool,

    /// Only these other engines (comma-separated: wasmi, wasmtime,
    /// wasmtime-py, node); implies --external.
    #[arg(long, value_name = "NAMES", value_delimiter = ',')]
    pub engines: Vec<String>,

    /// Write the results as JSON to FILE.
    #[arg(long, value_name = "FILE")]
    pub json: Option<PathBuf>,

    /// Write a bar chart of the median times to FILE (SVG).
    #[arg(long, value_name = "FILE")]
    pub svg: Option<PathBuf>,

    /// Give up on an external engine's run after this many seconds.
    #[arg(long, value_name = "SECS", default_value_t = 600)]
    pub timeout: u64,

    /// Programs (.wasm or .wat) or directories of .wasm files. Default:
    /// benches/programs. A program's output is checked against the
    /// NAME.expected beside it; without one, against the interpreter's (or
    /// the first wx tier's) output.
    #[arg(value_name = "PROGRAMS")]
    pub programs: Vec<PathBuf>,

    /// Arguments for the program (one program only): `wx bench [OPTIONS]
    /// PROGRAM -- ARGS...`.
    #[arg(last = true, value_name = "ARGS")]
    pub program_args: Vec<String>,
}

/// One timed run of one program on one engine, in seconds.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Sample {
    /// What the table reports: compile + instantiate + run as measured inside
    /// the engine's process, or the subprocess wall time for an external
    /// engine that reports no times of its own.
    pub time: f64,
    /// Decoding and validating the module (wx: `Module::new`; wx translates
    /// function bodies lazily, so that is part of `run`).
    pub compile: Option<f64>,
    pub instantiate: Option<f64>,
    pub run: Option<f64>,
    /// Wall time of the whole subprocess (external engines only).
    pub wall: Option<f64>,
}

/// A successful measurement: every run printed the expected output.
#[derive(Clone, Debug, Default)]
pub struct Measured {
    pub samples: Vec<Sample>,
    /// Functions compiled by the JIT during the last run; `None` when the
    /// engine cannot tell.
    pub tiered_up: Option<usize>,
    /// Functions that ran at least once during the last run (wx only).
    pub funcs_run: Option<usize>,
}

/// Run `once` up to `runs` times, reporting each sample to `progress`;
/// stop at the first failure. `once` may also record facts in the
/// `Measured` (tier-ups, functions run).
pub(crate) fn measure_runs(
    program: &Program,
    runs: u32,
    progress: &mut dyn FnMut(&Sample),
    mut once: impl FnMut(&mut Measured) -> Result<Sample, String>,
) -> Outcome {
    if let Err(why) = program.checkable(true) {
        return Outcome::Failed(why);
    }
    let mut measured = Measured::default();
    for _ in 0..runs {
        match once(&mut measured) {
            Ok(sample) => {
                progress(&sample);
                measured.samples.push(sample);
            }
            Err(why) => return Outcome::Failed(why),
        }
    }
    Outcome::Ok(measured)
}

impl Measured {
    pub fn median_time(&self) -> f64 {
        median(&self.samples.iter().map(|s| s.time).collect::<Vec<_>>())
    }

    fn median_of(&self, f: impl Fn(&Sample) -> Option<f64>) -> Option<f64> {
        let v: Option<Vec<f64>> = self.samples.iter().map(f).collect();
        v.filter(|v| !v.is_empty()).map(|v| median(&v))
    }

    pub fn median_compile(&self) -> Option<f64> {
        self.median_of(|s| s.compile)
    }

    pub fn median_instantiate(&self) -> Option<f64> {
        self.median_of(|s| s.instantiate)
    }

    pub fn median_run(&self) -> Option<f64> {
        self.median_of(|s| s.run)
    }

    pub fn median_wall(&self) -> Option<f64> {
        self.median_of(|s| s.wall)
    }
}

/// How one program fared on one engine.
#[derive(Clone, Debug)]
pub enum Outcome {
    Ok(Measured),
    /// The engine (a wx tier) does not exist in this build.
    Unavailable(String),
    /// A run trapped, exited with a non-zero status, printed the wrong
    /// output or could not start.
    Failed(String),
}

impl Outcome {
    pub fn measured(&self) -> Option<&Measured> {
        match self {
            Outcome::Ok(m) => Some(m),
            _ => None,
        }
    }

    pub fn median_time(&self) -> Option<f64> {
        self.measured().map(Measured::median_time)
    }
}

/// Something that runs programs: a wx tier in this process (perhaps with
/// interruption checks), or another engine as a subprocess.
#[derive(Debug)]
pub enum EngineKind {
    Wx(Strategy, Option<Checks>),
    External(external::External),
}

/// Interruption checks a wx column runs with: the deadline or budget is
/// never reached, so the column measures what checking costs.
#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Checks {
    /// Epoch checks at function entries and loop headers (`--timeout`).
    Epoch,
    /// Fuel metering (`--fuel`).
    Fuel,
}

impl std::fmt::Display for Checks {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Checks::Epoch => "epoch",
            Checks::Fuel => "fuel",
        })
    }
}

#[derive(Debug)]
pub struct EngineInfo {
    /// The column name: `interp`, `jit`, `tiered`, `wasmi`, `node`...
    pub name: String,
    pub kind: EngineKind,
    /// Version string, for the report.
    pub version: String,
    /// Why this engine cannot run anything in this session.
    pub unavailable: Option<String>,
}

impl EngineInfo {
    pub fn is_wx(&self) -> bool {
        matches!(self.kind, EngineKind::Wx(..))
    }

    /// The name with a `wx ` prefix for wx tiers.
    pub fn label(&self) -> String {
        if self.is_wx() {
            format!("wx {}", self.name)
        } else {
            self.name.clone()
        }
    }
}

/// Everything one `wx bench` session measured.
#[derive(Debug)]
pub struct Results {
    pub runs: u32,
    pub programs: Vec<Program>,
    pub engines: Vec<EngineInfo>,
    /// `outcomes[program][engine]`.
    pub outcomes: Vec<Vec<Outcome>>,
    /// The engine ratios are computed against (see [`Results::base`]).
    pub base_tier: Option<Strategy>,
    /// External engines looked for but not found, with the reason.
    pub missing: Vec<(String, String)>,
}

impl Results {
    /// Index of the wx tier the other tiers' ratios are computed against:
    /// the first available one (the interpreter, by default).
    pub fn tier_base(&self) -> Option<usize> {
        self.engines
            .iter()
            .position(|e| e.is_wx() && e.unavailable.is_none())
    }

    /// Index of the wx tier other engines are compared with: the one asked
    /// for if it is available, else `tiered` (wx's default), else the first
    /// available tier.
    pub fn base(&self) -> Option<usize> {
        let available = |e: &EngineInfo| e.is_wx() && e.unavailable.is_none();
        let tier = |t: Strategy| {
            self.engines
                .iter()
                .position(|e| available(e) && matches!(e.kind, EngineKind::Wx(s, None) if s == t))
        };
        self.base_tier
            .and_then(tier)
            .or_else(|| tier(Strategy::Tiered))
            .or_else(|| self.engines.iter().position(available))
    }

    /// Failed wx runs: (program, engine, reason).
    pub fn wx_failures(&self) -> Vec<(&Program, &EngineInfo, &str)> {
        let mut out = Vec::new();
        for (p, row) in self.programs.iter().zip(&self.outcomes) {
            for (e, o) in self.engines.iter().zip(row) {
                if let (true, Outcome::Failed(why)) = (e.is_wx(), o) {
                    out.push((p, e, why.as_str()));
                }
            }
        }
        out
    }
}

pub fn main(args: BenchArgs) -> ExitCode {
    match bench(&args) {
        Ok(code) => code,
        Err(Usage(msg)) => {
            let _ = writeln!(std::io::stderr(), "error: {msg}");
            ExitCode::from(2)
        }
    }
}

/// A command-line mistake (exit status 2).
struct Usage(String);

fn bench(args: &BenchArgs) -> Result<ExitCode, Usage> {
    let mut programs = programs::discover(&args.programs).map_err(Usage)?;
    if !args.program_args.is_empty() && programs.len() != 1 {
        return Err(Usage(format!(
            "arguments after `--` need exactly one program, not {}",
            programs.len()
        )));
    }
    for p in &mut programs {
        p.run = programs::RunSpec {
            args: args.program_args.clone(),
            dirs: args.dirs.clone(),
            envs: args.envs.clone(),
        };
    }
    let mut engines = Vec::new();
    let mut tiers: Vec<Strategy> = Vec::new();
    // Without an expected file, the interpreter's output is the reference:
    // it runs first.
    if args.tiers.contains(&Strategy::Interp) && programs.iter().any(|p| p.expected.is_err()) {
        tiers.push(Strategy::Interp);
    }
    for &t in &args.tiers {
        if !tiers.contains(&t) {
            tiers.push(t);
        }
    }
    for t in tiers {
        engines.push(wx::engine_info(t, None));
        for &c in &args.checks {
            engines.push(wx::engine_info(t, Some(c)));
        }
    }
    let mut missing = Vec::new();
    // Keeps the runner scripts on disk until the session ends.
    let mut _scripts = None;
    if args.external || !args.engines.is_empty() {
        let found = external::discover(&args.engines).map_err(Usage)?;
        _scripts = found.scripts;
        engines.extend(found.engines);
        missing = found.missing;
    }

    let mut err = std::io::stderr();
    let names: Vec<String> = engines
        .iter()
        .map(|e| match &e.unavailable {
            Some(_) => format!("{} (unavailable)", e.label()),
            None => e.label(),
        })
        .collect();
    let _ = writeln!(
        err,
        "wx bench: {} program{}, {} run{} each on: {}",
        programs.len(),
        plural(programs.len()),
        args.runs,
        plural(args.runs as usize),
        names.join(", ")
    );
    for (name, why) in &missing {
        let _ = writeln!(err, "wx bench: not running {name}: {why}");
    }

    let timeout = Duration::from_secs(args.timeout.max(1));
    let mut outcomes = Vec::new();
    for (i, program) in programs.iter().enumerate() {
        let _ = writeln!(
            err,
            "[{:>w$}/{}] {}",
            i + 1,
            programs.len(),
            program.name,
            w = programs.len().to_string().len()
        );
        let mut row = Vec::new();
        for engine in &engines {
            let _ = write!(err, "    {:<14}", engine.label());
            let _ = err.flush();
            // Each run's time as it finishes: long programs show progress.
            let mut progress = |s: &Sample| {
                let mut err = std::io::stderr();
                let _ = write!(err, "{:>10}", report::format_seconds(s.time));
                let _ = err.flush();
            };
            // The first wx engine that runs sets the reference output.
            let reference =
                engine.is_wx() && engine.unavailable.is_none() && program.reference.get().is_none();
            let outcome = if let Some(why) = &engine.unavailable {
                Outcome::Unavailable(why.clone())
            } else {
                match &engine.kind {
                    EngineKind::Wx(tier, checks) => wx::measure(
                        program,
                        *tier,
                        *checks,
                        args.jit_threshold,
                        args.runs,
                        reference,
                        &mut progress,
                    ),
                    EngineKind::External(ext) => {
                        ext.measure(program, args.runs, timeout, &mut progress)
                    }
                }
            };
            let _ = writeln!(err, "{}", report::progress_end(&outcome));
            row.push(outcome);
        }
        outcomes.push(row);
    }

    let results = Results {
        runs: args.runs,
        programs,
        engines,
        outcomes,
        missing,
        base_tier: args.base,
    };
    let mut out = std::io::stdout();
    let _ = out.write_all(report::render(&results).as_bytes());
    let _ = out.flush();

    let mut status = ExitCode::SUCCESS;
    if let Some(path) = &args.json {
        if let Err(e) = std::fs::write(path, json::render(&results)) {
            let _ = writeln!(err, "error: cannot write {}: {e}", path.display());
            status = ExitCode::FAILURE;
        }
    }
    if let Some(path) = &args.svg {
        if let Err(e) = chart::write_svg(&results, path) {
            let _ = writeln!(err, "error: cannot write {}: {e}", path.display());
            status = ExitCode::FAILURE;
        }
    }
    let failures = results.wx_failures();
    if !failures.is_empty() {
        let _ = writeln!(
            err,
            "error: {} wx run{} failed:",
            failures.len(),
            plural(failures.len())
        );
        for (p, e, why) in failures {
            let _ = writeln!(err, "  {} on {}: {why}", p.name, e.label());
        }
        status = ExitCode::FAILURE;
    }
    Ok(status)
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}
