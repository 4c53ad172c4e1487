//! `wx explore`: print what wx made of each function of a module.

use std::path::PathBuf;
use std::process::ExitCode;
use wx_runtime::{Engine, Error, Module};

#[derive(clap::Args, Debug)]
pub struct ExploreArgs {
    /// Only this function (name or index in the function index space).
    #[arg(long = "func", value_name = "NAME|INDEX")]
    pub func: Option<String>,

    /// The instruction set to show JIT output for: `x86_64` or `aarch64`
    /// (any host can show either; default: the host's).
    #[arg(long = "target", value_name = "ISA")]
    pub target: Option<String>,

    /// The module (.wasm or .wat).
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
}

pub fn main(args: ExploreArgs) -> ExitCode {
    match explore(&args) {
        Ok(text) => {
            use std::io::Write;
            // A reader that stops early (`| head`) is no error.
            match std::io::stdout().lock().write_all(text.as_bytes()) {
                Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
                    eprintln!("error: writing the listing: {e}");
                    ExitCode::from(1)
                }
                _ => ExitCode::SUCCESS,
            }
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(if matches!(e, Error::Usage(_)) { 2 } else { 1 })
        }
    }
}

fn explore(args: &ExploreArgs) -> Result<String, Error> {
    let target = match &args.target {
        Some(t) => Some(t.parse::<wx_runtime::Target>().map_err(Error::Usage)?),
        None => None,
    };
    // The engine `wx run` makes by default: explore reports what it does
    // with each function (on this machine, or for `--target`'s).
    let engine = Engine::default();
    let module = Module::from_file(&engine, &args.file)?;
    let reports = match target {
        Some(target) => module.explore_for(args.func.as_deref(), target)?,
        None => module.explore(args.func.as_deref())?,
    };
    let mut out = String::new();
    for f in reports {
        out.push_str(&format!(
            "function {} `{}` {}\n",
            f.index, f.name, f.signature
        ));
        out.push_str("-- interpreter bytecode --\n");
        out.push_str(&f.interp);
        match &f.jit {
            Ok(jit) => {
                out.push_str("-- JIT IR --\n");
                out.push_str(&jit.ir);
                out.push_str(&format!("-- register allocation ({}) --\n", jit.isa));
                out.push_str(&jit.allocation);
                match &jit.disassembly {
                    Ok(text) => {
                        out.push_str(&format!("-- machine code ({}) --\n", jit.isa));
                        out.push_str(text);
                    }
                    Err(why) => out.push_str(&format!("-- machine code: not emitted: {why} --\n")),
                }
            }
            // `kept in the interpreter: <why>`.
            Err(why) => out.push_str(&format!("-- {why} --\n")),
        }
        out.push('\n');
    }
    Ok(out)
}
