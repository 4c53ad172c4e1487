//! A runner for `.wast` scripts: every directive of the WebAssembly spec
//! test format, against any execution tier.
//!
//! Each directive counts as passed or failed; failures are printed with their
//! line and column. Panics inside wx are caught per directive and count as
//! failures, so one bug does not hide the rest of a script.

mod spectest;
mod threads;
mod values;

use std::collections::HashMap;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;
use wast::lexer::Lexer;
use wast::parser::{self, ParseBuffer};
use wast::{QuoteWat, QuoteWatTest, Wast, WastDirective, WastExecute, WastInvoke};
use wx_runtime::{Config, Engine, Error, Instance, Linker, Module, Store, Val};

/// Passed and failed directive counts.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Counts {
    pub passed: u64,
    pub failed: u64,
}

impl Counts {
    pub fn add(&mut self, other: Counts) {
        self.passed += other.passed;
        self.failed += other.failed;
    }
}

/// Run the script `text` (named `name` in messages) with an engine made from
/// `config` (its strategy says which tier).
/// Failures are printed to stderr (all of them when `verbose`, else the first 10).
pub fn run_script(name: &str, text: &str, config: &Config, verbose: bool) -> Counts {
    run_script_bounded(name, text, config, verbose, Bounds::default())
}

/// What each directive of a script may take.
#[derive(Clone, Copy, Debug, Default)]
pub struct Bounds {
    /// The longest it may run (its code traps with `interrupt`; see
    /// [`Ticker`]).
    pub timeout: Option<Duration>,
    /// The fuel it is given (see `Config::consume_fuel`).
    pub fuel: Option<u64>,
}

/// [`run_script`], each directive within `bounds`.
pub fn run_script_bounded(
    name: &str,
    text: &str,
    config: &Config,
    verbose: bool,
    bounds: Bounds,
) -> Counts {
    let mut config = config.clone();
    config
        .epoch_interruption(bounds.timeout.is_some())
        .consume_fuel(bounds.fuel.is_some());
    let config = &config;
    let mut lexer = Lexer::new(text);
    lexer.allow_confusing_unicode(true);
    let buf = match ParseBuffer::new_with_lexer(lexer) {
        Ok(b) => b,
        Err(e) => return parse_failure(name, text, e),
    };
    let wast = match parser::parse::<Wast>(&buf) {
        Ok(w) => w,
        Err(e) => return parse_failure(name, text, e),
    };
    let report = Report {
        name,
        text,
        verbose,
        timeout: bounds.timeout,
        fuel: bounds.fuel,
    };
    // Script threads (`thread`/`wait`) run on scoped threads: they borrow
    // the parsed script.
    std::thread::scope(|scope| {
        threads::run_all(config, scope, report, wast.directives, HashMap::new(), "")
    })
}

/// Where failures are reported: the script's name and text.
#[derive(Clone, Copy)]
struct Report<'a> {
    name: &'a str,
    text: &'a str,
    verbose: bool,
    /// The longest a directive may run.
    timeout: Option<Duration>,
    /// The fuel each directive is given.
    fuel: Option<u64>,
}

/// Epochs a directive may run: the ticker advances the epoch every tenth
/// of the timeout, so a directive stops between 0.9 and 1 times it.
const DIRECTIVE_TICKS: u64 = 10;

/// A thread that advances an engine's epoch every `timeout / 10` until
/// dropped.
struct Ticker {
    stop: Arc<AtomicBool>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Ticker {
    fn start(engine: &Engine, timeout: Duration) -> Ticker {
        let stop = Arc::new(AtomicBool::new(false));
        let (engine, stopped) = (engine.clone(), stop.clone());
        let period = timeout / DIRECTIVE_TICKS as u32;
        let thread = std::thread::spawn(move || {
            while !stopped.load(Ordering::Relaxed) {
                std::thread::park_timeout(period);
                engine.increment_epoch();
            }
        });
        Ticker {
            stop,
            thread: Some(thread),
        }
    }
}

impl Drop for Ticker {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(t) = self.thread.take() {
            t.thread().unpark();
            let _ = t.join();
        }
    }
}

/// Run `directives` in order, each counting as passed or failed.
fn run_directives<'s, 'a>(
    runner: &mut Runner<'s, 'a>,
    directives: Vec<WastDirective<'a>>,
) -> Counts {
    let report = runner.report;
    let mut counts = Counts::default();
    for directive in directives {
        let span = directive.span();
        if runner.ticker.is_some() {
            runner.store.set_epoch_deadline(DIRECTIVE_TICKS);
        }
        if let Some(fuel) = report.fuel {
            // (The engine meters fuel: see `run_script_bounded`.)
            let _ = runner.store.set_fuel(fuel);
        }
        let outcome = catch_unwind(AssertUnwindSafe(|| runner.directive(directive)))
            .unwrap_or_else(|p| Err(format!("panic in wx: {}", panic_text(&p))));
        match outcome {
            Ok(()) => counts.passed += 1,
            Err(msg) => {
                counts.failed += 1;
                if report.verbose || counts.failed <= 10 {
                    let (line, col) = span.linecol_in(report.text);
                    eprintln!("{}:{}:{}: {msg}", report.name, line + 1, col + 1);
                }
            }
        }
    }
    counts
}

fn parse_failure(name: &str, text: &str, mut e: wast::Error) -> Counts {
    e.set_text(text);
    eprintln!("{name}: cannot parse script: {e}");
    Counts {
        passed: 0,
        failed: 1,
    }
}

fn panic_text(p: &Box<dyn std::any::Any + Send>) -> String {
    p.downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| p.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "unknown panic".into())
}

struct Runner<'s, 'a> {
    config: Config,
    engine: Engine,
    store: Store<()>,
    linker: Linker<()>,
    /// The last module directive's instance, and the one last given each
    /// name; or why that directive failed (naming it and its line):
    /// directives that use it fail too, rather than run against an older
    /// instance.
    current: Option<Result<Instance, String>>,
    named: HashMap<String, Result<Instance, String>>,
    /// Module definitions by name, or why the definition failed.
    definitions: HashMap<String, Result<Module, String>>,
    report: Report<'a>,
    threads: threads::Threads<'s, 'a>,
    /// Advances the epoch when directives have a timeout.
    ticker: Option<Ticker>,
}

type Outcome = Result<(), String>;

impl<'s, 'a> Runner<'s, 'a> {
    fn new(
        config: &Config,
        scope: &'s std::thread::Scope<'s, 'a>,
        report: Report<'a>,
    ) -> Result<Runner<'s, 'a>, Error> {
        let engine = Engine::new(config)?;
        let ticker = report.timeout.map(|t| Ticker::start(&engine, t));
        let mut store = Store::new(&engine, ());
        let mut linker = Linker::new(&engine);
        linker.allow_shadowing(true);
        spectest::define(&mut store, &mut linker)?;
        Ok(Runner {
            config: config.clone(),
            engine,
            report,
            threads: threads::Threads::new(scope),
            ticker,
            store,
            linker,
            current: None,
            named: HashMap::new(),
            definitions: HashMap::new(),
        })
    }

    fn instance(&self, id: Option<wast::token::Id<'_>>) -> Result<Instance, String> {
        let outcome = match id {
            Some(id) => self
                .named
                .get(id.name())
                .ok_or_else(|| format!("unknown module ${}", id.name()))?,
            None => self.current.as_ref().ok_or("no module instantiated")?,
        };
        outcome.clone()
    }

    /// The module directive at `span`, named `name` (if any), ended with
    /// `outcome`: it becomes the current module, or the one later
    /// directives fail on, with the reason and where the module is.
    fn module_outcome(
        &mut self,
        span: wast::token::Span,
        name: Option<String>,
        outcome: Result<Instance, String>,
    ) -> Outcome {
        let recorded = outcome
            .as_ref()
            .map_err(|why| failed_module(self.report, span, name.as_deref(), why))
            .cloned();
        self.current = Some(recorded.clone());
        if let Some(n) = name {
            self.named.insert(n, recorded);
        }
        outcome.map(|_| ())
    }

    fn compile(&self, module: &mut QuoteWat<'_>) -> Result<Module, String> {
        let bytes = encode(module)?;
        Module::new(&self.engine, bytes).map_err(|e| e.to_string())
    }

    fn instantiate(&mut self, module: &Module) -> Result<Instance, Error> {
        self.linker.instantiate(&mut self.store, module)
    }

    fn directive(&mut self, d: WastDirective<'a>) -> Outcome {
        let span = d.span();
        match d {
            WastDirective::Module(mut m) => {
                let name = m.name().map(|n| n.name().to_string());
                let outcome = guarded(|| {
                    let module = self.compile(&mut m)?;
                    self.instantiate(&module)
                        .map_err(|e| format!("instantiation failed: {e}"))
                });
                self.module_outcome(span, name, outcome)
            }
            WastDirective::ModuleDefinition(mut m) => {
                let name = m.name().map(|n| n.name().to_string());
                let module = guarded(|| self.compile(&mut m));
                let outcome = module.as_ref().map(|_| ()).map_err(Clone::clone);
                if let Some(n) = name {
                    let module =
                        module.map_err(|why| failed_module(self.report, span, Some(&n), &why));
                    self.definitions.insert(n, module);
                }
                outcome
            }
            WastDirective::ModuleInstance {
                instance, module, ..
            } => {
                // Whatever goes wrong, the instance becomes the current
                // module (as a failure), so no later directive runs
                // against an older one.
                let outcome = guarded(|| {
                    let def = module.ok_or("module instance without a definition")?;
                    let module = self
                        .definitions
                        .get(def.name())
                        .ok_or_else(|| format!("unknown module definition ${}", def.name()))?
                        .clone()?;
                    self.instantiate(&module)
                        .map_err(|e| format!("instantiation failed: {e}"))
                });
                self.module_outcome(span, instance.map(|n| n.name().to_string()), outcome)
            }
            WastDirective::Register { name, module, .. } => {
                if let Some(shared) = module.and_then(|m| self.threads.shared_module(m.name())) {
                    for (export, memory) in shared.clone() {
                        self.linker
                            .define(name, &export, memory)
                            .map_err(|e| e.to_string())?;
                    }
                    return Ok(());
                }
                let inst = self.instance(module)?;
                self.linker
                    .instance(&mut self.store, name, inst)
                    .map_err(|e| e.to_string())?;
                Ok(())
            }
            WastDirective::Invoke(invoke) => {
                self.invoke(&invoke).map(|_| ()).map_err(|e| e.to_string())
            }
            WastDirective::AssertReturn { exec, results, .. } => {
                let actual = self
                    .execute(exec)
                    .map_err(|e| format!("expected results, got error: {e}"))?;
                values::check_results(&self.store, &actual, &results)
            }
            WastDirective::AssertTrap { exec, message, .. } => match self.execute(exec) {
                Ok(v) => Err(format!("expected trap `{message}`, got {v:?}")),
                Err(e) => expect_error(&e, message),
            },
            WastDirective::AssertExhaustion { call, message, .. } => match self.invoke(&call) {
                Ok(v) => Err(format!("expected exhaustion `{message}`, got {v:?}")),
                Err(e) => expect_error(&e, message),
            },
            WastDirective::AssertInvalid {
                mut module,
                message,
                ..
            }
            | WastDirective::AssertMalformed {
                mut module,
                message,
                ..
            } => {
                let bytes = match encode(&mut module) {
                    Ok(b) => b,
                    // The text itself is rejected: that is the expected outcome for
                    // malformed text, and invalid modules that the text parser catches.
                    Err(_) => return Ok(()),
                };
                match Module::new(&self.engine, bytes) {
                    Ok(_) => Err(format!(
                        "expected module to be rejected ({message}), but it compiled"
                    )),
                    Err(Error::Compile(_)) => Ok(()),
                    Err(e) => Err(format!("expected a compile error ({message}), got: {e}")),
                }
            }
            WastDirective::AssertInvalidCustom { .. }
            | WastDirective::AssertMalformedCustom { .. } => {
                Err("custom-section assertions are not supported".into())
            }
            WastDirective::AssertUnlinkable {
                module, message, ..
            } => {
                let mut qw = QuoteWat::Wat(module);
                let module = self.compile(&mut qw)?;
                match self.instantiate(&module) {
                    Ok(_) => Err(format!(
                        "expected link failure `{message}`, but instantiation succeeded"
                    )),
                    Err(Error::Link(_)) | Err(Error::Instantiate(_)) => Ok(()),
                    Err(e) => Err(format!("expected link failure `{message}`, got: {e}")),
                }
            }
            WastDirective::AssertException { exec, .. } => match self.execute(exec) {
                Ok(v) => Err(format!("expected an exception, got {v:?}")),
                Err(Error::Exception(_)) => Ok(()),
                Err(e) => Err(format!("expected an exception, got: {e}")),
            },
            WastDirective::Thread(t) => self.spawn_thread(t),
            WastDirective::Wait { thread, .. } => self.wait_thread(thread.name()),
            WastDirective::AssertSuspension { .. } => {
                Err("unsupported directive (stack switching)".into())
            }
        }
    }

    fn invoke(&mut self, invoke: &WastInvoke<'_>) -> Result<Vec<Val>, Error> {
        let inst = self.instance(invoke.module).map_err(Error::Usage)?;
        let func = inst
            .get_func(&mut self.store, invoke.name)
            .ok_or_else(|| Error::Usage(format!("no exported function `{}`", invoke.name)))?;
        let mut args = Vec::new();
        for a in &invoke.args {
            args.push(values::arg(&mut self.store, a).map_err(Error::Usage)?);
        }
        let ty = func.ty(&self.store);
        let mut results: Vec<Val> = ty.results().iter().map(|t| Val::default_for(*t)).collect();
        func.call(&mut self.store, &args, &mut results)?;
        Ok(results)
    }

    fn execute(&mut self, exec: WastExecute<'_>) -> Result<Vec<Val>, Error> {
        match exec {
            WastExecute::Invoke(invoke) => self.invoke(&invoke),
            WastExecute::Get { module, global, .. } => {
                let inst = self.instance(module).map_err(Error::Usage)?;
                let g = inst
                    .get_global(&mut self.store, global)
                    .ok_or_else(|| Error::Usage(format!("no exported global `{global}`")))?;
                Ok(vec![g.get(&mut self.store)])
            }
            WastExecute::Wat(wat) => {
                let mut qw = QuoteWat::Wat(wat);
                let module = self.compile(&mut qw).map_err(Error::Usage)?;
                self.instantiate(&module).map(|_| Vec::new())
            }
        }
    }
}

/// `f`'s outcome, a panic in wx counting as a failure: a module directive
/// that panics must still record its failure, or later directives would
/// run against the module before it.
fn guarded<T>(f: impl FnOnce() -> Result<T, String>) -> Result<T, String> {
    catch_unwind(AssertUnwindSafe(f))
        .unwrap_or_else(|p| Err(format!("panic in wx: {}", panic_text(&p))))
}

/// Why directives that use the module directive at `span` (named `name`,
/// if any) fail: it failed with `why`. Names the module and its line, as
/// the failing directive's own line is where the message is printed.
fn failed_module(
    report: Report<'_>,
    span: wast::token::Span,
    name: Option<&str>,
    why: &str,
) -> String {
    let (line, col) = span.linecol_in(report.text);
    let module = match name {
        Some(n) => format!("module ${n}"),
        None => "the module".to_string(),
    };
    format!("{module} at {}:{} failed: {why}", line + 1, col + 1)
}

fn encode(module: &mut QuoteWat<'_>) -> Result<Vec<u8>, String> {
    match module.to_test().map_err(|e| e.to_string())? {
        QuoteWatTest::Binary(b) => Ok(b),
        QuoteWatTest::Text(text) => {
            let text =
                String::from_utf8(text).map_err(|_| "malformed UTF-8 encoding".to_string())?;
            let buf = ParseBuffer::new(&text).map_err(|e| e.to_string())?;
            let mut wat = parser::parse::<wast::Wat>(&buf).map_err(|e| e.to_string())?;
            wat.encode().map_err(|e| e.to_string())
        }
    }
}

/// Does error `e` carry the spec's expected message?
fn expect_error(e: &Error, expected: &str) -> Outcome {
    let actual = match e {
        Error::Trap(t) => t.code.message().to_string(),
        other => other.to_string(),
    };
    if actual.contains(expected) || expected.starts_with(actual.as_str()) {
        Ok(())
    } else {
        Err(format!("expected `{expected}`, got `{actual}`"))
    }
}
