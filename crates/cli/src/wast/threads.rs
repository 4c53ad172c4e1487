//! The `thread` and `wait` directives: a script thread runs its directives
//! in a store of its own on another OS thread, seeing only the shared
//! memories of the module it names as `shared`; `wait` joins it and adds
//! its counts to the script's.

use super::{run_directives, Counts, Outcome, Report, Runner};
use std::collections::HashMap;
use std::thread::{Scope, ScopedJoinHandle};
use wast::{WastDirective, WastThread};
use wx_runtime::Config;
use wx_runtime::{Extern, SharedMemory};

/// Stack of each script thread: wasm recursion needs room, as on the
/// main runner's thread (`wx::on_wasm_stack`).
const THREAD_STACK: usize = 64 << 20;

/// Shared memories of a module, by export name.
type SharedExports = Vec<(String, SharedMemory)>;

/// The script threads a runner started, and the shared modules it was given.
pub(super) struct Threads<'s, 'a> {
    scope: &'s Scope<'s, 'a>,
    running: HashMap<String, ScopedJoinHandle<'s, Counts>>,
    shared: HashMap<String, SharedExports>,
}

impl<'s, 'a> Threads<'s, 'a> {
    pub(super) fn new(scope: &'s Scope<'s, 'a>) -> Threads<'s, 'a> {
        Threads {
            scope,
            running: HashMap::new(),
            shared: HashMap::new(),
        }
    }

    /// The shared memories of module `name`, if this runner is a script
    /// thread that was given it.
    pub(super) fn shared_module(&self, name: &str) -> Option<&SharedExports> {
        self.shared.get(name)
    }
}

/// Run `directives` (a script's, or a script thread's given its `shared`
/// modules) in a runner of their own, then join the threads they started.
/// `what` follows the script's name when the runner cannot be made.
pub(super) fn run_all<'s, 'a>(
    config: &Config,
    scope: &'s Scope<'s, 'a>,
    report: Report<'a>,
    directives: Vec<WastDirective<'a>>,
    shared: HashMap<String, SharedExports>,
    what: &str,
) -> Counts {
    let mut runner = match Runner::new(config, scope, report) {
        Ok(r) => r,
        Err(e) => {
            eprintln!("{}{what}: {e}", report.name);
            return Counts {
                passed: 0,
                failed: 1,
            };
        }
    };
    runner.threads.shared = shared;
    let mut counts = run_directives(&mut runner, directives);
    counts.add(runner.finish_threads());
    counts
}

impl<'s, 'a> Runner<'s, 'a> {
    pub(super) fn spawn_thread(&mut self, t: WastThread<'a>) -> Outcome {
        let name = t.name.name().to_string();
        let mut shared = HashMap::new();
        if let Some(m) = t.shared_module {
            shared.insert(m.name().to_string(), self.shared_exports(m)?);
        }
        let (config, report, scope) = (self.config.clone(), self.report, self.threads.scope);
        let directives = t.directives;
        let handle = std::thread::Builder::new()
            .name(format!("wast thread {name}"))
            .stack_size(THREAD_STACK)
            .spawn_scoped(scope, move || {
                run_all(&config, scope, report, directives, shared, ": thread")
            })
            .map_err(|e| format!("cannot start thread ${name}: {e}"))?;
        if self.threads.running.insert(name.clone(), handle).is_some() {
            return Err(format!("thread ${name} started twice"));
        }
        Ok(())
    }

    /// Join thread `name`; its failures count as this directive's.
    pub(super) fn wait_thread(&mut self, name: &str) -> Outcome {
        let handle = self
            .threads
            .running
            .remove(name)
            .ok_or_else(|| format!("unknown thread ${name}"))?;
        let counts = handle
            .join()
            .map_err(|_| format!("thread ${name} panicked"))?;
        if counts.failed == 0 {
            Ok(())
        } else {
            Err(format!(
                "thread ${name}: {} passed, {} failed",
                counts.passed, counts.failed
            ))
        }
    }

    /// Join the threads never waited for; their directives' counts.
    pub(super) fn finish_threads(&mut self) -> Counts {
        let mut counts = Counts::default();
        for (_, handle) in self.threads.running.drain() {
            match handle.join() {
                Ok(c) => counts.add(c),
                Err(_) => counts.failed += 1,
            }
        }
        counts
    }

    /// The shared memories module `name` exports (all a script thread can
    /// use of another store's instance).
    fn shared_exports(&mut self, module: wast::token::Id<'_>) -> Result<SharedExports, String> {
        if let Some(shared) = self.threads.shared.get(module.name()) {
            return Ok(shared.clone());
        }
        let inst = self.instance(Some(module))?;
        let mut out = Vec::new();
        for (export, ext) in inst.exports(&mut self.store) {
            if let Extern::Memory(m) = ext {
                if let Some(shared) = m.shared(&self.store) {
                    out.push((export, shared));
                }
            }
        }
        Ok(out)
    }
}
