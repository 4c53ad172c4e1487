//! `wx`: run WASI programs and `.wast` scripts.

use clap::{Parser, Subcommand};
use std::path::PathBuf;
use std::process::ExitCode;
use wx_runtime::Strategy;

#[derive(Parser)]
#[command(
    name = "wx",
    version,
    about = "wx: a tiered WebAssembly virtual machine"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run a WASI command (its `_start`), or call one export with --invoke.
    Run(wx::run::RunArgs),
    /// Run benchmark programs on wx tiers (and other engines), check their
    /// output, and report times.
    Bench(wx::bench::BenchArgs),
    /// Print what wx made of each function: interpreter bytecode, JIT IR, register allocation and machine code.
    Explore(wx::explore::ExploreArgs),
    /// Run .wast spec scripts and report passed/failed directives.
    Wast {
        /// Execution tier: interp, jit or tiered.
        #[arg(long, default_value_t = Strategy::default())]
        tier: Strategy,
        /// Under `tiered`: compile a function after this many calls.
        #[arg(long, value_name = "N", default_value_t = wx_runtime::DEFAULT_JIT_THRESHOLD)]
        jit_threshold: u64,
        /// Under `tiered`: compile a function when one of its loops has run
        /// this many iterations, and move the running call there (OSR).
        #[arg(long, value_name = "N", default_value_t = wx_runtime::DEFAULT_JIT_LOOP_THRESHOLD)]
        jit_loop_threshold: u64,
        /// Under `tiered`: compile a hot function on the thread running it,
        /// not in the background, so every call after the threshold runs
        /// compiled code.
        #[arg(long)]
        jit_sync: bool,
        /// Print every failure in detail.
        #[arg(long, short)]
        verbose: bool,
        /// Fail any directive that runs longer than this (e.g. `5s`,
        /// `500ms`): its code traps with `interrupt`.
        #[arg(long, value_name = "DURATION", value_parser = wx::run::parse_duration)]
        timeout: Option<std::time::Duration>,
        /// Give each directive this much fuel (one unit per function entry
        /// and loop iteration); running out traps.
        #[arg(long, value_name = "N")]
        fuel: Option<u64>,
        /// Script files.
        #[arg(required = true)]
        files: Vec<PathBuf>,
    },
}

fn init_tracing() {
    use tracing_subscriber::EnvFilter;
    let filter = EnvFilter::try_from_env("WX_LOG").unwrap_or_else(|_| EnvFilter::new("off"));
    // Colour only on a terminal: logs piped to a file stay plain text.
    let ansi = std::io::IsTerminal::is_terminal(&std::io::stderr());
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(ansi)
        .try_init();
}

fn main() -> ExitCode {
    init_tracing();
    let cli = Cli::parse();
    wx::on_wasm_stack(|| command(cli.command))
}

fn command(command: Command) -> ExitCode {
    match command {
        Command::Run(args) => wx::run::main(args),
        Command::Bench(args) => wx::bench::main(args),
        Command::Explore(args) => wx::explore::main(args),
        Command::Wast {
            tier,
            jit_threshold,
            jit_loop_threshold,
            jit_sync,
            verbose,
            timeout,
            fuel,
            files,
        } => {
            let mut config = wx_runtime::Config::new();
            config
                .strategy(tier)
                .jit_threshold(jit_threshold)
                .jit_loop_threshold(jit_loop_threshold)
                .background_compilation(!jit_sync);
            let mut total = wx::wast::Counts::default();
            for file in &files {
                let counts = match std::fs::read_to_string(file) {
                    Ok(text) => {
                        let name = file.display().to_string();
                        let bounds = wx::wast::Bounds { timeout, fuel };
                        wx::wast::run_script_bounded(&name, &text, &config, verbose, bounds)
                    }
                    Err(e) => {
                        eprintln!("error: {}: {e}", file.display());
                        wx::wast::Counts {
                            passed: 0,
                            failed: 1,
                        }
                    }
                };
                println!(
                    "{}: {} passed, {} failed",
                    file.display(),
                    counts.passed,
                    counts.failed
                );
                total.add(counts);
            }
            println!("{} passed, {} failed", total.passed, total.failed);
            if total.failed == 0 {
                ExitCode::SUCCESS
            } else {
                ExitCode::FAILURE
            }
        }
    }
}
