//! The tiering policy: when to compile a function, and how its entry slots
//! change to the compiled code.
//!
//! - `jit` compiles every function when the module is created; `mixed` (a
//!   test mode) compiles every other one, so calls cross tiers constantly.
//! - `tiered` interprets first. The interpreter reports a function hot when
//!   its call count reaches the call threshold or one of its loops reaches
//!   the loop threshold. [`TierHook`] hands it to the background compiler
//!   ([`background`]) and the interpreter goes on running it, asking again
//!   every few calls; once the code is there (compiled once per module),
//!   the hook points the entry slot of every instance of the module in the
//!   reporting store at it. Frames already interpreting the function finish
//!   in the interpreter; every later call, from either tier, enters the
//!   compiled code. A function reported for a hot loop is compiled by the
//!   reporting call itself (its running call moves to an OSR entry, and its
//!   loop count fires only once), as is every hot function without
//!   background compilation or when its thread cannot start.
//! - A function the JIT rejects stays interpreted for good; the reason is
//!   recorded once and logged (`kept in the interpreter`, info on
//!   `wx::tier`, whatever the strategy).

mod background;

use crate::config::Config;
use crate::module::ModuleInner;
use crate::store::StoreOpaque;
use crate::traps::CodeRange;
use std::fmt;
use std::sync::{Arc, Weak};
use std::time::{Duration, Instant};
use wx_core::code::CodeSlice;
use wx_core::instance::Instance as CoreInstance;
use wx_core::vm::ArrayCall;
use wx_core::ModuleInfo;
use wx_interp::{Hot, HotReply, TierUp};

/// A function compiled by the JIT.
pub(crate) struct Compiled {
    /// Where the code is in its module's [`CodeArena`]; valid while the
    /// module lives.
    pub code: CodeSlice,
    /// Offset of the `wasm_call` entry (the array-call entry is at 0).
    wasm_entry: usize,
    pub compile_time: Duration,
    /// The code's range and trap sites, for the fault handler.
    range: CodeRange,
}

impl fmt::Debug for Compiled {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Compiled")
            .field("bytes", &self.code.len())
            .field("compile_time", &self.compile_time)
            .finish()
    }
}

impl Compiled {
    /// The entry implementing the array calling convention.
    pub fn array_call(&self) -> *const u8 {
        self.code.as_ptr()
    }

    /// The entry for calls from compiled code (the JIT's convention).
    pub fn wasm_call(&self) -> *const u8 {
        self.code.as_ptr().wrapping_add(self.wasm_entry)
    }
}

/// The result of trying to compile one function: the code, or why it stays
/// in the interpreter.
pub(crate) type Outcome = Result<Compiled, String>;

/// What led to a compilation, for the `wx::tier` event.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Trigger {
    /// Strategy `jit` or `mixed`: compiled with the module.
    Eager,
    /// Strategy `tiered`: the interpreter reported the function hot.
    Hot(Hot),
}

/// Compile defined function `def` of `module` into its code arena. Faults
/// at its trap sites become traps only once its range is registered
/// ([`register`]).
pub(crate) fn compile_function(module: &ModuleInner, def: u32, trigger: Trigger) -> Outcome {
    let start = Instant::now();
    let outcome = machine_code(&module.info, def, module.engine.config())
        .and_then(|code| load(module, &code, start));
    report(&module.info, def, trigger, &outcome);
    outcome
}

/// Compile the defined functions `defs` of `module` (each with what led
/// to its compilation), then load them into its code arena together, which
/// writes each chunk through one window instead of mapping each function.
/// A function's compile time here is its translation only.
pub(crate) fn compile_batch(
    module: &ModuleInner,
    defs: impl Iterator<Item = (u32, Trigger)>,
) -> Vec<(u32, Outcome)> {
    let config = module.engine.config();
    let mut outcomes = Vec::new();
    let mut compiled = Vec::new();
    for (def, trigger) in defs {
        let start = Instant::now();
        match machine_code(&module.info, def, config) {
            Ok(code) => compiled.push((def, trigger, code, start.elapsed())),
            Err(reason) => outcomes.push((def, trigger, Err(reason))),
        }
    }
    let codes: Vec<&[u8]> = compiled
        .iter()
        .map(|(_, _, c, _)| c.code.as_slice())
        .collect();
    match module.arena.add_all(&codes) {
        Ok(slices) => {
            for ((def, trigger, code, time), slice) in compiled.iter().zip(slices) {
                outcomes.push((
                    *def,
                    *trigger,
                    Ok(Compiled::new(&module.info, code, slice, *time)),
                ));
            }
        }
        Err(e) => {
            let reason = e.to_string();
            outcomes.extend(
                compiled
                    .iter()
                    .map(|(def, trigger, ..)| (*def, *trigger, Err(reason.clone()))),
            );
        }
    }
    outcomes.sort_by_key(|(def, ..)| *def);
    for (def, trigger, outcome) in &outcomes {
        report(&module.info, *def, *trigger, outcome);
    }
    outcomes
        .into_iter()
        .map(|(def, _, outcome)| (def, outcome))
        .collect()
}

/// Publish the outcomes of [`compile_batch`]: register the new code's trap
/// sites (before anything can run it), name it in the perf map if asked,
/// and record each outcome in `module.compiled`, from where any thread
/// may take it.
pub(crate) fn install(module: &ModuleInner, outcomes: Vec<(u32, Outcome)>) {
    register(outcomes.iter().filter_map(|(_, o)| o.as_ref().ok()));
    if module.engine.config().perf_map {
        let compiled = outcomes
            .iter()
            .filter_map(|(def, o)| Some((*def, o.as_ref().ok()?)));
        crate::module::write_perf_map(&module.info, compiled);
    }
    let mut orphans = Vec::new();
    for (def, outcome) in outcomes {
        // The calling thread may have compiled the function meanwhile (a
        // hot loop compiles at once): its code stays, this copy is never
        // run, and its trap sites must not outlive the module's code
        // memory (a later module mapped there would match them).
        if let Err(Ok(orphan)) = module.compiled[def as usize].set(outcome) {
            orphans.push(orphan.code.as_ptr() as usize);
        }
    }
    if !orphans.is_empty() {
        crate::traps::unregister(&orphans);
    }
}

/// `def`'s machine code for the host, or why it stays interpreted.
fn machine_code(
    info: &ModuleInfo,
    def: u32,
    config: &Config,
) -> Result<wx_jit::CompiledCode, String> {
    machine_code_for(info, def, config, wx_jit::Target::host())
}

/// `def`'s machine code for `target`, or why a function stays interpreted
/// for good: the one place that decides it (every compilation of a whole
/// function comes here, and `explore` asks the same question), so what
/// `explore` says and what `run` does cannot disagree.
pub(crate) fn machine_code_for(
    info: &ModuleInfo,
    def: u32,
    config: &Config,
    target: wx_jit::Target,
) -> Result<wx_jit::CompiledCode, String> {
    within_limit(info, def, config)?;
    wx_jit::compile_target(info, def, target).map_err(|e| e.to_string())
}

/// The `wx::tier` event for one function's compilation.
fn report(info: &ModuleInfo, def: u32, trigger: Trigger, outcome: &Outcome) {
    let index = info.num_imported_funcs + def;
    let name = info.func_name(index);
    let wasm_bytes = info.bodies[def as usize].range.len();
    let compiled = match outcome {
        Ok(c) => c,
        Err(reason) => {
            // Every fallback is news, under any strategy: the function will
            // run interpreted for good.
            tracing::info!(target: "wx::tier", func = index, name = %name, reason = %reason, "kept in the interpreter");
            return;
        }
    };
    let micros = compiled.compile_time.as_micros() as u64;
    let code_bytes = compiled.code.len();
    match trigger {
        Trigger::Eager => tracing::debug!(
            target: "wx::tier",
            func = index,
            name = %name,
            micros,
            wasm_bytes,
            code_bytes,
            "compiled"
        ),
        Trigger::Hot(why) => {
            let (calls, loop_iterations) = match why {
                Hot::Calls(n) => (n, 0),
                Hot::Loop(n) => (0, n),
            };
            tracing::info!(
                target: "wx::tier",
                func = index,
                name = %name,
                calls,
                loop_iterations,
                micros,
                wasm_bytes,
                code_bytes,
                "tier-up"
            )
        }
    }
}

/// Refuse function bodies over the configured size: compile time and
/// memory grow faster than linearly with size, and huge generated
/// functions rarely repay them.
fn within_limit(info: &ModuleInfo, def: u32, config: &Config) -> Result<(), String> {
    let size = info.bodies[def as usize].range.len();
    if size > config.jit_max_function_size {
        return Err(format!(
            "the body is {size} bytes, over the JIT's limit of {} (Config::jit_max_function_size)",
            config.jit_max_function_size
        ));
    }
    Ok(())
}

/// Add `code` (compiled since `start`) to `module`'s arena, with its trap
/// sites.
fn load(
    module: &ModuleInner,
    code: &wx_jit::CompiledCode,
    start: Instant,
) -> Result<Compiled, String> {
    let slice = module.arena.add(&code.code).map_err(|e| e.to_string())?;
    Ok(Compiled::new(&module.info, code, slice, start.elapsed()))
}

impl Compiled {
    /// `code` of a function of `module`, now executable at `slice`.
    fn new(
        module: &Arc<ModuleInfo>,
        code: &wx_jit::CompiledCode,
        slice: CodeSlice,
        compile_time: Duration,
    ) -> Compiled {
        let base = slice.as_ptr() as usize;
        Compiled {
            wasm_entry: code.wasm_entry as usize,
            compile_time,
            range: CodeRange {
                start: base,
                end: base + slice.len(),
                trap_exit: base + code.trap_exit as usize,
                frames: Arc::new(crate::frames::FrameTable::new(module.clone(), code)),
            },
            code: slice,
        }
    }
}

/// Make faults at the trap sites of `compiled` wasm traps.
pub(crate) fn register<'a>(compiled: impl IntoIterator<Item = &'a Compiled>) {
    let ranges: Vec<CodeRange> = compiled.into_iter().map(|c| c.range.clone()).collect();
    if !ranges.is_empty() {
        crate::traps::register(ranges);
    }
}

/// The runtime's answer to "this function is hot" (strategy `tiered`).
pub(crate) struct TierHook {
    pub module: Weak<ModuleInner>,
}

/// Calls a hot function keeps running in the interpreter between two
/// checks for its background-compiled code.
const RECHECK_CALLS: u64 = 8;

impl TierUp for TierHook {
    unsafe fn hot(&self, instance: *mut CoreInstance, def: u32, why: Hot) -> HotReply {
        let Some(module) = self.module.upgrade() else {
            return HotReply::Done;
        };
        let cell = &module.compiled[def as usize];
        let outcome = match cell.get() {
            Some(outcome) => outcome,
            // A hot loop means a long call, which the OSR entry continues
            // right away; the function's next calls need its code at once
            // too (the loop's count fires only once), so it compiles here.
            None if module.engine.config().background_compilation
                && matches!(why, Hot::Calls(_))
                && background::submit(&module, def, why) =>
            {
                return HotReply::AskAgainAfter(RECHECK_CALLS);
            }
            None => cell.get_or_init(|| {
                let outcome = compile_function(&module, def, Trigger::Hot(why));
                if let Ok(c) = &outcome {
                    register([c]);
                    if module.engine.config().perf_map {
                        crate::module::write_perf_map(&module.info, [(def, c)]);
                    }
                }
                outcome
            }),
        };
        let Ok(compiled) = outcome else {
            return HotReply::Done;
        };
        // SAFETY: the caller guarantees `instance` is live and belongs to
        // the store running on this thread; its `store` field is that store.
        unsafe {
            let store = (*(*instance).vmctx()).store.cast::<StoreOpaque>();
            swap_in(store, &module, def, compiled);
        }
        HotReply::Done
    }

    unsafe fn osr_entry(
        &self,
        _instance: *mut CoreInstance,
        def: u32,
        loop_offset: u32,
    ) -> Option<ArrayCall> {
        let module = self.module.upgrade()?;
        let mut entries = module.osr.lock();
        let entry = entries.entry((def, loop_offset)).or_insert_with(|| {
            let index = module.info.num_imported_funcs + def;
            let start = Instant::now();
            let compiled = within_limit(&module.info, def, module.engine.config())
                .and_then(|()| {
                    wx_jit::compile_osr(&module.info, def, loop_offset as usize)
                        .map_err(|e| e.to_string())
                })
                .and_then(|code| load(&module, &code, start));
            match compiled {
                Ok(c) => {
                    register([&c]);
                    if module.engine.config().perf_map {
                        crate::module::write_perf_map_named(&module.info, [(def, &c)], " [osr]");
                    }
                    tracing::info!(
                        target: "wx::tier",
                        func = index,
                        name = %module.info.func_name(index),
                        loop_offset,
                        micros = c.compile_time.as_micros() as u64,
                        code_bytes = c.code.len(),
                        "OSR entry compiled"
                    );
                    Some(c)
                }
                Err(reason) => {
                    tracing::info!(target: "wx::tier", func = index, name = %module.info.func_name(index), loop_offset, reason = %reason, "no OSR entry; the call stays interpreted");
                    None
                }
            }
        });
        let code = entry.as_ref()?.array_call();
        // SAFETY: the code implements the array convention (see
        // `wx_jit::compile_osr`) and lives as long as the module, which the
        // store running it keeps alive.
        Some(unsafe { std::mem::transmute::<*const u8, ArrayCall>(code) })
    }
}

/// Point `def`'s entry slot at `code` in every instance of `module` in `store`.
///
/// # Safety
/// `store` is live and used by this thread; `code` is `def`'s compiled code,
/// owned by `module`, which the store keeps alive.
unsafe fn swap_in(store: *mut StoreOpaque, module: &Arc<ModuleInner>, def: u32, code: &Compiled) {
    let module_code = Arc::as_ptr(&module.code).cast::<u8>();
    // SAFETY: guaranteed by the caller. The interpreter holds raw pointers
    // to these instances, not references, while it reports a hot function.
    unsafe {
        for inst in (*store).instances.iter_mut() {
            if Arc::as_ptr(&inst.code).cast::<u8>() == module_code {
                inst.set_compiled(def, code.array_call(), code.wasm_call());
            }
        }
    }
}
