//! `wx run`: run a WASI command, or call one export with `--invoke`.
//!
//! Exit status:
//! - the guest's `proc_exit` code (0 when `_start` returns normally). Codes
//!   outside 0..=255 keep their low 8 bits like a native `exit`, except that a
//!   non-zero code whose low bits are 0 becomes 1, so failure stays failure;
//! - 134 (128 + SIGABRT, as wasmtime) when wasm traps: `error: wasm trap:
//!   <message>` and the wasm backtrace on stderr;
//! - 1 when the program cannot run (missing file, malformed or invalid module,
//!   unknown import, bad `--dir`, unavailable `--tier`) or a host function
//!   stops it (a WASI call with a bad pointer or flag, `proc_exit` with a
//!   status of 126 or more);
//! - 2 for a usage error: unknown `--invoke` export, wrong argument count or
//!   an unparsable argument, no `_start` to run.
//!
//! Every error is one `error: ...` line on stderr.

use std::fmt::Write as _;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;
use wx_runtime::{
    Config, Engine, Error, Extern, Func, FuncStats, FuncTier, Instance, Linker, Module, Store,
    StoreLimitsBuilder, Strategy, Val, ValType, DEFAULT_JIT_LOOP_THRESHOLD, DEFAULT_JIT_THRESHOLD,
};
use wx_wasi::{WasiCtx, WasiCtxBuilder};

#[derive(clap::Args, Debug)]
pub struct RunArgs {
    /// Call this exported function with ARGS (parsed by its parameter types)
    /// and print its results, instead of running `_start`.
    #[arg(long, value_name = "NAME")]
    pub invoke: Option<String>,

    /// Give the program the host directory HOST, named GUEST (default:
    /// HOST). Every path it names resolves beneath HOST. With `::ro`, the
    /// program may read beneath HOST but not create, change or remove
    /// anything (EPERM).
    #[arg(long = "dir", value_name = "HOST[::GUEST[::ro]]")]
    pub dirs: Vec<String>,

    /// Listen on ADDR (e.g. 127.0.0.1:8080) and hand the program the
    /// listening socket, as descriptor 3, 4... before the directories.
    #[arg(long = "tcplisten", value_name = "ADDR")]
    pub tcp_listen: Vec<String>,

    /// The program's argv[0] (default: the file name); multicall programs
    /// pick their tool by it.
    #[arg(long, value_name = "NAME")]
    pub argv0: Option<String>,

    /// Set an environment variable for the program; `--env K` alone passes on
    /// the host's value of K, if set.
    #[arg(long = "env", value_name = "K=V")]
    pub envs: Vec<String>,

    /// After the run, print the hottest functions (calls, loop iterations,
    /// tier, compile time) to stderr.
    #[arg(long)]
    pub stats: bool,

    /// Execution tier: interp, jit or tiered (default where the JIT exists).
    #[arg(long, value_name = "TIER", default_value_t = Strategy::default())]
    pub tier: Strategy,

    /// Under `tiered`: compile a function after this many calls.
    #[arg(long, value_name = "N", default_value_t = DEFAULT_JIT_THRESHOLD)]
    pub jit_threshold: u64,

    /// Under `tiered`: compile a function when one of its loops has run this
    /// many iterations, and move the running call into the compiled loop (OSR).
    #[arg(long, value_name = "N", default_value_t = DEFAULT_JIT_LOOP_THRESHOLD)]
    pub jit_loop_threshold: u64,

    /// Under `tiered`: compile a hot function on the thread running it
    /// (by default a background thread compiles it while the interpreter
    /// goes on), so every call after the threshold runs compiled code.
    #[arg(long)]
    pub jit_sync: bool,

    /// Write /tmp/perf-<pid>.map for compiled code (also: WX_PERF_MAP=1).
    #[arg(long)]
    pub perf_map: bool,

    /// Stop the program once it has run this long (e.g. `10s`, `500ms`,
    /// `2m`; a bare number is seconds): it traps with `interrupt` (exit
    /// 134). Epoch-based: code checks at function entries and loop
    /// headers, on every tier.
    #[arg(long, value_name = "DURATION", value_parser = parse_duration)]
    pub timeout: Option<Duration>,

    /// The most bytes any one memory may grow to (e.g. `65536`, `64K`,
    /// `256M`, `2G`): past it `memory.grow` returns -1, and a module whose
    /// memory starts larger does not instantiate.
    #[arg(long, value_name = "BYTES", value_parser = parse_bytes)]
    pub max_memory: Option<usize>,

    /// Give the program this much fuel: every function entry and every
    /// loop iteration takes one unit, the same on every tier; running out
    /// traps (`all fuel consumed by WebAssembly`, exit 134).
    #[arg(long, value_name = "N")]
    pub fuel: Option<u64>,

    /// The program (.wasm or .wat). Options for wx go before it; everything
    /// after it is passed to the program.
    #[arg(value_name = "FILE")]
    pub file: PathBuf,

    /// Arguments for the program (argv[1..]), or for the --invoke function.
    #[arg(
        value_name = "ARGS",
        trailing_var_arg = true,
        allow_hyphen_values = true
    )]
    pub args: Vec<String>,
}

/// Why `wx run` stopped short of a normal exit.
#[derive(Debug)]
pub(crate) enum Failure {
    /// The command line was wrong (exit 2).
    Usage(String),
    /// The program could not run, or a host function stopped it (exit 1).
    Error(String),
    /// Wasm code trapped (exit 134, as wasmtime).
    Trap(String),
    /// A wasm exception nothing caught (exit 1: wasmtime's CLI does not
    /// count it as a trap); the message has its backtrace.
    Uncaught(String),
    /// The program called `proc_exit`.
    Exit(i32),
}

impl Failure {
    /// What went wrong, as one message.
    pub(crate) fn into_message(self) -> String {
        match self {
            Failure::Usage(m) | Failure::Error(m) | Failure::Trap(m) | Failure::Uncaught(m) => m,
            Failure::Exit(code) => format!("exit status {code}"),
        }
    }
}

/// The exit status for a trap: 128 + SIGABRT, as wasmtime's on Unix, so a
/// trap is told apart from `proc_exit(1)`.
pub const TRAP_EXIT_STATUS: u8 = 134;

impl From<Error> for Failure {
    fn from(e: Error) -> Failure {
        match e {
            Error::Exit(code) => Failure::Exit(code),
            Error::Trap(t) if !t.backtrace.frames.is_empty() => {
                Failure::Trap(format!("wasm trap: {t}\n{}", t.backtrace))
            }
            e @ Error::Trap(_) => Failure::Trap(e.to_string()),
            Error::Exception(x) => Failure::Uncaught(format!("{x}\n{}", x.backtrace)),
            e => Failure::Error(e.to_string()),
        }
    }
}

pub fn main(args: RunArgs) -> ExitCode {
    let outcome = run(&args);
    // Whatever the guest printed goes out before our own messages.
    let _ = std::io::stdout().flush();
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(Failure::Exit(code)) => ExitCode::from(exit_status(code)),
        Err(Failure::Usage(msg)) => {
            report(&msg, &args.file);
            ExitCode::from(2)
        }
        Err(Failure::Error(msg)) => {
            report(&msg, &args.file);
            ExitCode::FAILURE
        }
        Err(Failure::Trap(msg)) => {
            let _ = writeln!(std::io::stderr(), "error: {msg}");
            ExitCode::from(TRAP_EXIT_STATUS)
        }
        Err(Failure::Uncaught(msg)) => {
            let _ = writeln!(std::io::stderr(), "error: {msg}");
            ExitCode::FAILURE
        }
    }
}

/// Print `error: <msg>` as one line (a closed stderr is no reason to panic).
fn report(msg: &str, file: &Path) {
    let _ = writeln!(std::io::stderr(), "error: {}", one_line(msg, file));
}

/// The process exit status for a guest's `proc_exit(code)`.
pub fn exit_status(code: i32) -> u8 {
    match u8::try_from(code) {
        Ok(c) => c,
        Err(_) => match code as u8 {
            0 => 1,
            c => c,
        },
    }
}

/// Compress a (possibly multi-line) error message into one line: the first
/// line, plus the `--> file:line:col` location of text-format errors.
fn one_line(msg: &str, file: &Path) -> String {
    let mut lines = msg.lines().map(str::trim).filter(|l| !l.is_empty());
    let mut out = lines.next().unwrap_or("unknown error").to_string();
    if let Some(loc) = lines.find_map(|l| l.strip_prefix("--> ")) {
        let loc = loc.replace("<anon>", &file.display().to_string());
        let _ = write!(out, " (at {loc})");
    }
    out
}

fn run(args: &RunArgs) -> Result<(), Failure> {
    let mut config = Config::new();
    config
        .strategy(args.tier)
        .jit_threshold(args.jit_threshold)
        .jit_loop_threshold(args.jit_loop_threshold)
        .background_compilation(!args.jit_sync);
    if args.perf_map {
        config.perf_map(true);
    }
    config
        .epoch_interruption(args.timeout.is_some())
        .consume_fuel(args.fuel.is_some());
    let engine = Engine::new(&config)?;
    let module = Module::from_file(&engine, &args.file)?;
    let ctx = wasi_ctx(args)?;
    let mut store = Store::new(&engine, ctx);
    if let Some(timeout) = args.timeout {
        start_timer(&mut store, timeout);
    }
    if let Some(fuel) = args.fuel {
        store.set_fuel(fuel)?;
    }
    if let Some(bytes) = args.max_memory {
        store.set_limits(StoreLimitsBuilder::new().memory_size(bytes).build());
    }
    let linker = wasi_linker(&engine)?;

    let result = linker
        .instantiate(&mut store, &module)
        .map_err(Failure::from)
        .and_then(|instance| match &args.invoke {
            Some(name) => invoke(&mut store, instance, &module, name, &args.args),
            None => start(&mut store, instance, &module, &args.file),
        });
    if args.stats {
        let _ = std::io::stdout().flush();
        let table = stats_table(store.func_stats(), 20);
        let _ = std::io::stderr().write_all(table.as_bytes());
    }
    result
}

/// Stop `store`'s code once `timeout` has passed: its deadline is the
/// next epoch, which a timer thread starts then.
pub(crate) fn start_timer<T>(store: &mut Store<T>, timeout: Duration) {
    store.set_epoch_deadline(1);
    let engine = store.engine().clone();
    std::thread::spawn(move || {
        std::thread::sleep(timeout);
        engine.increment_epoch();
    });
}

/// A duration such as `10s`, `500ms`, `1.5m` or `2h`; a bare number is
/// seconds.
pub fn parse_duration(text: &str) -> Result<Duration, String> {
    let t = text.trim();
    let split = t
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(t.len());
    let (number, unit) = t.split_at(split);
    let value: f64 = number
        .parse()
        .map_err(|_| format!("`{text}` is not a duration (e.g. 10s, 500ms, 2m)"))?;
    let seconds = match unit.trim() {
        "" | "s" => value,
        "ns" => value / 1e9,
        "us" | "µs" => value / 1e6,
        "ms" => value / 1e3,
        "m" | "min" => value * 60.0,
        "h" => value * 3600.0,
        other => {
            return Err(format!(
                "unknown unit `{other}` in `{text}` (ns, us, ms, s, m, h)"
            ))
        }
    };
    Duration::try_from_secs_f64(seconds).map_err(|e| format!("`{text}`: {e}"))
}

/// A size in bytes: a number, optionally with `K`, `M` or `G` (powers of
/// 1024).
pub fn parse_bytes(text: &str) -> Result<usize, String> {
    let t = text.trim();
    let (number, unit) = t.split_at(t.find(|c: char| !c.is_ascii_digit()).unwrap_or(t.len()));
    let scale: usize = match unit.trim().to_ascii_uppercase().as_str() {
        "" | "B" => 1,
        "K" | "KB" | "KIB" => 1 << 10,
        "M" | "MB" | "MIB" => 1 << 20,
        "G" | "GB" | "GIB" => 1 << 30,
        _ => {
            return Err(format!(
                "`{text}` is not a size in bytes (e.g. 65536, 64K, 256M)"
            ))
        }
    };
    number
        .parse::<usize>()
        .ok()
        .and_then(|n| n.checked_mul(scale))
        .ok_or_else(|| format!("`{text}` is not a size in bytes (e.g. 65536, 64K, 256M)"))
}

/// A linker holding every WASI preview1 function, for a store whose data is
/// the [`WasiCtx`] (shared by `wx run` and `wx bench`).
pub(crate) fn wasi_linker(engine: &Engine) -> Result<Linker<WasiCtx>, Error> {
    let mut linker = Linker::new(engine);
    wx_wasi::add_to_linker(&mut linker, |ctx: &mut WasiCtx| ctx)?;
    Ok(linker)
}

/// The WASI context: argv[0] is `--argv0` or the file name, then the
/// trailing arguments (unless they are --invoke arguments); `--env`,
/// `--tcplisten` and `--dir` settings.
fn wasi_ctx(args: &RunArgs) -> Result<WasiCtx, Failure> {
    let mut b = WasiCtx::builder();
    let argv0 = match &args.argv0 {
        Some(name) => name.clone(),
        None => args
            .file
            .file_name()
            .unwrap_or(args.file.as_os_str())
            .to_string_lossy()
            .into_owned(),
    };
    b.arg(argv0);
    if args.invoke.is_none() {
        b.args(&args.args);
    }
    add_env(&mut b, &args.envs)?;
    for addr in &args.tcp_listen {
        let listener = std::net::TcpListener::bind(addr)
            .map_err(|e| Failure::Error(format!("--tcplisten {addr}: {e}")))?;
        b.tcp_listener(listener)
            .map_err(|e| Failure::Error(format!("--tcplisten {addr}: {e}")))?;
    }
    add_dirs(&mut b, &args.dirs)?;
    b.build().map_err(|e| Failure::Usage(e.to_string()))
}

/// `--env` settings: `K=V`, or `K` alone for the host's value of K (if set).
pub(crate) fn add_env(b: &mut WasiCtxBuilder, envs: &[String]) -> Result<(), Failure> {
    for kv in envs {
        match kv.split_once('=') {
            Some(("", _)) => {
                return Err(Failure::Usage(format!("--env `{kv}`: empty variable name")));
            }
            Some((k, v)) => {
                b.env(k, v);
            }
            None => {
                if let Ok(v) = std::env::var(kv) {
                    b.env(kv.as_str(), v);
                }
            }
        }
    }
    Ok(())
}

/// `--dir` settings: `HOST`, `HOST::GUEST` or `HOST::GUEST::ro`.
pub(crate) fn add_dirs(b: &mut WasiCtxBuilder, dirs: &[String]) -> Result<(), Failure> {
    for dir in dirs {
        let (host, guest, mutable) = match dir.split("::").collect::<Vec<_>>()[..] {
            [host] => (host, host, true),
            [host, guest] => (host, guest, true),
            [host, guest, "ro"] => (host, guest, false),
            _ => {
                return Err(Failure::Usage(format!(
                    "--dir `{dir}`: expected HOST, HOST::GUEST or HOST::GUEST::ro"
                )))
            }
        };
        let opened = if mutable {
            b.preopened_dir(host, guest)
        } else {
            b.preopened_dir_readonly(host, guest)
        };
        opened.map_err(|e| Failure::Error(format!("--dir {e}")))?;
    }
    Ok(())
}

/// Run a WASI command's `_start` (instantiation already ran any start function).
pub(crate) fn start(
    store: &mut Store<WasiCtx>,
    instance: Instance,
    module: &Module,
    file: &Path,
) -> Result<(), Failure> {
    match instance.get_export(&mut *store, "_start") {
        Some(Extern::Func(f)) => {
            let ty = f.ty(&*store);
            if !ty.params().is_empty() || !ty.results().is_empty() {
                return Err(Failure::Error(format!(
                    "`_start` has type {ty}, expected a function with no parameters or results"
                )));
            }
            f.call(&mut *store, &[], &mut [])?;
            Ok(())
        }
        Some(_) => Err(Failure::Error("export `_start` is not a function".into())),
        // A module with a start function has done its work by now.
        None if module.info().start.is_some() => Ok(()),
        None => Err(Failure::Usage(format!(
            "{} has no `_start` function to run; call an export with --invoke NAME ({})",
            file.display(),
            exported_funcs(module)
        ))),
    }
}

fn exported_funcs(module: &Module) -> String {
    let names: Vec<String> = module
        .exports()
        .filter(|e| matches!(e.ty, wx_runtime::ExternType::Func(_)))
        .map(|e| e.name)
        .collect();
    if names.is_empty() {
        "it exports no functions".into()
    } else {
        format!("exported functions: {}", names.join(", "))
    }
}

/// Call export `name` with `raw` arguments and print its results, one per line.
fn invoke(
    store: &mut Store<WasiCtx>,
    instance: Instance,
    module: &Module,
    name: &str,
    raw: &[String],
) -> Result<(), Failure> {
    let Some(func) = instance.get_func(&mut *store, name) else {
        return Err(Failure::Usage(format!(
            "no exported function `{name}` ({})",
            exported_funcs(module)
        )));
    };
    let ty = func.ty(&*store);
    let params = parse_args(name, ty.params(), raw).map_err(Failure::Usage)?;
    // A WASI reactor initialises itself before its exports may be called.
    if name != "_initialize" {
        if let Some(init) = instance.get_func(&mut *store, "_initialize") {
            call_checked(store, init, &[])?;
        }
    }
    let results = call_checked(store, func, &params)?;
    let mut out = String::new();
    for v in &results {
        let _ = writeln!(out, "{}", format_val(v));
    }
    // Like the guest's own writes, output to a closed pipe is dropped, not a panic.
    let _ = std::io::stdout().write_all(out.as_bytes());
    Ok(())
}

fn call_checked(
    store: &mut Store<WasiCtx>,
    func: Func,
    params: &[Val],
) -> Result<Vec<Val>, Failure> {
    let ty = func.ty(&*store);
    let mut results: Vec<Val> = ty.results().iter().map(|t| Val::default_for(*t)).collect();
    func.call(&mut *store, params, &mut results)?;
    Ok(results)
}

/// Parse command-line arguments for a function with parameter types `types`.
pub fn parse_args(name: &str, types: &[ValType], raw: &[String]) -> Result<Vec<Val>, String> {
    if types.len() != raw.len() {
        let list: Vec<String> = types.iter().map(|t| t.to_string()).collect();
        return Err(format!(
            "`{name}` takes {} argument{} ({}), got {}",
            types.len(),
            if types.len() == 1 { "" } else { "s" },
            list.join(", "),
            raw.len()
        ));
    }
    types
        .iter()
        .zip(raw)
        .enumerate()
        .map(|(i, (t, s))| {
            parse_val(*t, s)
                .ok_or_else(|| format!("argument {} of `{name}`: `{s}` is not a valid {t}", i + 1))
        })
        .collect()
}

/// One argument: integers in decimal or `0x` hex, signed or unsigned;
/// floats as Rust reads them (`1.5`, `-0`, `1e10`, `nan`, `inf`, `-inf`);
/// references only as `null`.
pub fn parse_val(ty: ValType, s: &str) -> Option<Val> {
    match ty {
        ValType::I32 => parse_int(s, 32).map(|v| Val::I32(v as u32 as i32)),
        ValType::I64 => parse_int(s, 64).map(|v| Val::I64(v as i64)),
        ValType::F32 => s.parse::<f32>().ok().map(Val::from),
        ValType::F64 => s.parse::<f64>().ok().map(Val::from),
        ValType::Ref(_) if s == "null" => Some(Val::default_for(ty)),
        ValType::Ref(_) => None,
    }
}

/// An integer of `bits` bits as its two's-complement bit pattern: anything
/// from the signed minimum to the unsigned maximum.
fn parse_int(s: &str, bits: u32) -> Option<u64> {
    let (negative, digits) = match s.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, s.strip_prefix('+').unwrap_or(s)),
    };
    let digits = digits.replace('_', "");
    let magnitude = match digits
        .strip_prefix("0x")
        .or_else(|| digits.strip_prefix("0X"))
    {
        Some(hex) if !hex.starts_with(['+', '-']) => u128::from_str_radix(hex, 16).ok()?,
        Some(_) => return None,
        None if digits.starts_with(['+', '-']) => return None,
        None => digits.parse::<u128>().ok()?,
    };
    let unsigned_max = (1u128 << bits) - 1;
    let signed_min = 1u128 << (bits - 1);
    if negative {
        (magnitude <= signed_min).then(|| (magnitude as u64).wrapping_neg() & unsigned_max as u64)
    } else {
        (magnitude <= unsigned_max).then_some(magnitude as u64)
    }
}

/// A result as `--invoke` prints it: integers signed, floats as Rust prints them.
pub fn format_val(v: &Val) -> String {
    match v {
        Val::I32(x) => x.to_string(),
        Val::I64(x) => x.to_string(),
        Val::F32(bits) => f32::from_bits(*bits).to_string(),
        Val::F64(bits) => f64::from_bits(*bits).to_string(),
        Val::FuncRef(None) | Val::ExternRef(None) | Val::ExnRef(None) => "null".into(),
        Val::FuncRef(Some(_)) => "funcref".into(),
        Val::ExternRef(Some(_)) => "externref".into(),
        Val::ExnRef(Some(_)) => "exnref".into(),
    }
}

/// The `--stats` table: functions that ran in the interpreter or were
/// compiled, hottest first, with their tier and compile time.
pub fn stats_table(mut stats: Vec<FuncStats>, top: usize) -> String {
    stats.retain(|s| s.calls + s.loop_iterations > 0 || s.tier != FuncTier::Interpreted);
    stats.sort_by(|a, b| {
        (b.calls + b.loop_iterations)
            .cmp(&(a.calls + a.loop_iterations))
            .then(a.index.cmp(&b.index))
    });
    let compiled = stats
        .iter()
        .filter(|s| matches!(s.tier, FuncTier::Compiled { .. }))
        .count();
    let mut out = String::new();
    let shown = stats.len().min(top);
    let _ = writeln!(
        out,
        "wx: {} function{} ran, {compiled} compiled; the {shown} hottest by interpreted calls + loop iterations:",
        stats.len(),
        if stats.len() == 1 { "" } else { "s" },
    );
    let _ = writeln!(
        out,
        "{:>14} {:>14}  {:<8} {:>10}  function",
        "calls", "loop iters", "tier", "compile"
    );
    for s in stats.iter().take(top) {
        let (tier, compile) = match &s.tier {
            FuncTier::Interpreted => ("interp", "-".to_string()),
            FuncTier::Compiled { compile_time, .. } => ("jit", format!("{:.1?}", compile_time)),
            FuncTier::Rejected { .. } => ("interp!", "-".to_string()),
        };
        let _ = write!(
            out,
            "{:>14} {:>14}  {tier:<8} {compile:>10}  {}",
            s.calls, s.loop_iterations, s.name
        );
        if s.name != format!("func[{}]", s.index) {
            let _ = write!(out, " (func[{}])", s.index);
        }
        if let FuncTier::Rejected { reason } = &s.tier {
            let _ = write!(out, " [kept in the interpreter: {reason}]");
        }
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn integers_parse_signed_unsigned_and_hex() {
        assert_eq!(parse_val(ValType::I32, "42"), Some(Val::I32(42)));
        assert_eq!(parse_val(ValType::I32, "-1"), Some(Val::I32(-1)));
        assert_eq!(parse_val(ValType::I32, "+7"), Some(Val::I32(7)));
        assert_eq!(parse_val(ValType::I32, "4294967295"), Some(Val::I32(-1)));
        assert_eq!(
            parse_val(ValType::I32, "-2147483648"),
            Some(Val::I32(i32::MIN))
        );
        assert_eq!(parse_val(ValType::I32, "0xff"), Some(Val::I32(255)));
        assert_eq!(parse_val(ValType::I32, "0xFFFF_FFFF"), Some(Val::I32(-1)));
        assert_eq!(parse_val(ValType::I32, "-0x10"), Some(Val::I32(-16)));
        assert_eq!(parse_val(ValType::I32, "4294967296"), None);
        assert_eq!(parse_val(ValType::I32, "-2147483649"), None);
        assert_eq!(parse_val(ValType::I32, "abc"), None);
        assert_eq!(parse_val(ValType::I32, ""), None);
        assert_eq!(parse_val(ValType::I32, "--1"), None);
        assert_eq!(parse_val(ValType::I32, "0x-1"), None);
        assert_eq!(parse_val(ValType::I32, "1.5"), None);
        assert_eq!(
            parse_val(ValType::I64, "18446744073709551615"),
            Some(Val::I64(-1))
        );
        assert_eq!(
            parse_val(ValType::I64, "-9223372036854775808"),
            Some(Val::I64(i64::MIN))
        );
        assert_eq!(parse_val(ValType::I64, "18446744073709551616"), None);
        assert_eq!(
            parse_val(ValType::I64, "0x8000000000000000"),
            Some(Val::I64(i64::MIN))
        );
    }

    #[test]
    fn floats_parse_like_rust() {
        assert_eq!(parse_val(ValType::F32, "1.5"), Some(Val::from(1.5f32)));
        assert_eq!(parse_val(ValType::F64, "-2e3"), Some(Val::from(-2000.0f64)));
        assert_eq!(
            parse_val(ValType::F64, "inf"),
            Some(Val::from(f64::INFINITY))
        );
        assert_eq!(
            parse_val(ValType::F32, "-inf"),
            Some(Val::from(f32::NEG_INFINITY))
        );
        assert!(parse_val(ValType::F64, "nan")
            .unwrap()
            .f64()
            .unwrap()
            .is_nan());
        assert_eq!(parse_val(ValType::F64, "x"), None);
        assert_eq!(
            parse_val(ValType::FUNCREF, "null"),
            Some(Val::FuncRef(None))
        );
        assert_eq!(parse_val(ValType::EXTERNREF, "1"), None);
    }

    #[test]
    fn argument_count_is_checked() {
        let err = parse_args("add", &[ValType::I32, ValType::I32], &["1".into()]).unwrap_err();
        assert_eq!(err, "`add` takes 2 arguments (i32, i32), got 1");
        let err = parse_args("f", &[ValType::F32], &["one".into()]).unwrap_err();
        assert_eq!(err, "argument 1 of `f`: `one` is not a valid f32");
        assert_eq!(parse_args("g", &[], &[]).unwrap(), []);
    }

    #[test]
    fn results_print_like_rust() {
        assert_eq!(format_val(&Val::I32(-3)), "-3");
        assert_eq!(format_val(&Val::I64(1 << 40)), "1099511627776");
        assert_eq!(format_val(&Val::from(2.5f32)), "2.5");
        assert_eq!(format_val(&Val::from(3.0f64)), "3");
        assert_eq!(format_val(&Val::from(f64::NAN)), "NaN");
        assert_eq!(format_val(&Val::from(f32::NEG_INFINITY)), "-inf");
        assert_eq!(format_val(&Val::FuncRef(None)), "null");
    }

    #[test]
    fn exit_codes_keep_failure() {
        assert_eq!(exit_status(0), 0);
        assert_eq!(exit_status(3), 3);
        assert_eq!(exit_status(255), 255);
        assert_eq!(exit_status(-1), 255);
        assert_eq!(exit_status(256), 1);
        assert_eq!(exit_status(257), 1);
    }

    #[test]
    fn messages_become_one_line() {
        let msg = "expected `(`\n     --> <anon>:1:1\n      |\n    1 | junk\n      | ^";
        assert_eq!(
            one_line(msg, Path::new("x.wat")),
            "expected `(` (at x.wat:1:1)"
        );
        assert_eq!(one_line("plain", Path::new("x")), "plain");
    }

    #[test]
    fn stats_are_sorted_and_cut() {
        let s = |index, calls, loops| FuncStats {
            module: String::new(),
            index,
            name: format!("f{index}"),
            calls,
            loop_iterations: loops,
            tier: FuncTier::Interpreted,
            osr_entries: 0,
        };
        let table = stats_table(vec![s(0, 1, 0), s(1, 5, 100), s(2, 0, 0), s(3, 50, 0)], 2);
        let lines: Vec<&str> = table.lines().collect();
        assert_eq!(lines.len(), 4, "{table}");
        assert!(lines[0].contains("3 functions ran"), "{table}");
        assert!(lines[2].ends_with("f1 (func[1])"), "{table}");
        assert!(lines[3].ends_with("f3 (func[3])"), "{table}");
        let table = stats_table(
            vec![FuncStats {
                name: "func[7]".into(),
                ..s(7, 1, 0)
            }],
            20,
        );
        assert!(table.ends_with(" func[7]\n"), "{table}");
        let table = stats_table(
            vec![
                FuncStats {
                    tier: FuncTier::Compiled {
                        compile_time: std::time::Duration::from_micros(42),
                        code_bytes: 100,
                    },
                    ..s(1, 0, 0)
                },
                FuncStats {
                    tier: FuncTier::Rejected {
                        reason: "unsupported opcode X".into(),
                    },
                    ..s(2, 3, 0)
                },
            ],
            20,
        );
        assert!(table.contains("2 functions ran, 1 compiled"), "{table}");
        let lines: Vec<&str> = table.lines().collect();
        assert!(
            lines[2].contains("interp!") && lines[2].contains("unsupported opcode X"),
            "{table}"
        );
        assert!(
            lines[3].contains(" jit ") && lines[3].contains("42.0µs"),
            "{table}"
        );
    }
}
