//! Per-module translation cache and the profiling counters the tiering policy reads.
//!
//! Counters live beside the bytecode they describe: `calls` is bumped on each
//! entry to the function, `loops[i]` each time loop `i`'s header runs (entry
//! and every back-edge). They are relaxed atomics written with plain
//! load+store (not read-modify-write), so the hot path costs a load and a
//! store; a lost increment under a data race only makes a count approximate.

use crate::bytecode::Op;
use crate::exec::dispatch::Instr;
use crate::tier::Tiering;
use crate::translate;
use std::sync::atomic::{AtomicPtr, AtomicU64, Ordering};
use std::sync::{Arc, OnceLock};
use std::time::Duration;
use wx_core::{CompileError, ModuleInfo};

/// A translated function.
#[derive(Debug)]
pub struct FuncCode {
    /// The bytecode, as translated (kept for inspection and tests).
    pub ops: Box<[Op]>,
    /// The same code lowered to threaded instructions; what runs.
    pub instrs: Box<[Instr]>,
    pub num_params: u32,
    /// Parameters plus declared locals.
    pub num_locals: u32,
    pub num_results: u32,
    /// Slots the frame needs (locals, constants, deepest operand stack, scratch).
    pub frame_size: u32,
    /// The byte offset (in the module) of the wasm operator each
    /// instruction comes from, for backtraces.
    pub offsets: Box<[u32]>,
    /// Constants read as operands; they occupy the slots right after the
    /// locals and are written on every entry.
    pub consts: Box<[u64]>,
    pub calls: AtomicU64,
    pub loops: Box<[AtomicU64]>,
    /// Byte offset (in the module) of each loop's `loop` operator, in
    /// counter order: how the runtime names a loop to the JIT for OSR.
    pub loop_offsets: Box<[u32]>,
    pub translate_time: Duration,
    /// The function's index among the module's defined functions.
    pub def_index: u32,
    /// Call count at which the function is reported hot (`u64::MAX`:
    /// never). Moved on while the runtime compiles the function in the
    /// background, so later calls ask again (see [`crate::TierUp::hot`]).
    pub(crate) hot_calls: AtomicU64,
    /// Loop iteration count at which the function is reported hot.
    pub(crate) hot_loop: u64,
    /// Exception handlers: the instruction ranges of `try_table` and `try`
    /// bodies (see [`HandlerScope`]); empty for most functions.
    pub handlers: Box<[HandlerScope]>,
    /// The catch clauses of all scopes, each scope's in order.
    pub catches: Box<[CatchClause]>,
}

/// No scope (the end of a chain: the exception leaves the function).
pub const NO_SCOPE: u32 = u32::MAX;
/// The tag of a clause that catches every exception.
pub const CATCH_ALL: u32 = u32::MAX;
/// No slot (a clause that does not keep the exception reference).
pub const NO_SLOT: u32 = u32::MAX;

/// The body of a `try_table` or legacy `try`: an exception raised by an
/// instruction in `start..end` is offered to the scope's catches in order,
/// then to the scope `parent` (the enclosing one, or for `try ... delegate`
/// the one delegated to).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct HandlerScope {
    pub start: u32,
    pub end: u32,
    pub parent: u32,
    /// Range of the scope's clauses in [`FuncCode::catches`].
    pub first_catch: u32,
    pub num_catches: u32,
}

/// What a catch clause does with an exception it matches: write the
/// payload to slots `payload..`, the exception reference to `exn` (unless
/// [`NO_SLOT`]), and continue at instruction `target`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CatchClause {
    /// Tag index in the function's instance, or [`CATCH_ALL`].
    pub tag: u32,
    /// Whether the payload is written (`catch`, legacy `catch`) or not.
    pub with_payload: bool,
    pub payload: u32,
    pub exn: u32,
    pub target: u32,
    /// A legacy `catch`/`catch_all`: `exn` is its hidden slot, which only
    /// `rethrow` reads (see `wx_core::exception::Catch::Legacy`).
    pub legacy: bool,
}

impl FuncCode {
    /// The module byte offset of instruction `ip`'s operator; the first
    /// operator's for a pointer outside the code.
    pub(crate) fn offset_of(&self, ip: *const crate::exec::dispatch::Instr) -> u32 {
        let at = self.index_of(ip);
        self.offsets
            .get(at)
            .or(self.offsets.first())
            .copied()
            .unwrap_or(0)
    }

    /// The index of instruction `ip` in [`FuncCode::instrs`].
    pub(crate) fn index_of(&self, ip: *const crate::exec::dispatch::Instr) -> usize {
        (ip as usize).wrapping_sub(self.instrs.as_ptr() as usize)
            / std::mem::size_of::<crate::exec::dispatch::Instr>()
    }

    /// The innermost handler scope around instruction `at`, if any.
    pub(crate) fn scope_at(&self, at: usize) -> u32 {
        let at = at as u32;
        let mut best: Option<(u32, u32)> = None;
        for (i, s) in self.handlers.iter().enumerate() {
            // Scopes nest: of those containing `at`, the innermost starts
            // last (or, starting together, was opened last).
            if s.start <= at && at < s.end && best.is_none_or(|(start, _)| s.start >= start) {
                best = Some((s.start, i as u32));
            }
        }
        best.map_or(NO_SCOPE, |(_, i)| i)
    }

    /// Initialise a new frame: zero the declared locals, write the constants.
    ///
    /// # Safety
    /// `sp` must point to a frame of at least `frame_size` slots whose
    /// parameters are already in place.
    #[inline(always)]
    pub(crate) unsafe fn init_frame(&self, sp: *mut u64) {
        let np = self.num_params as usize;
        let nl = self.num_locals as usize;
        // SAFETY: both ranges lie within the frame (guaranteed by the caller).
        unsafe {
            for i in np..nl {
                *sp.add(i) = 0;
            }
            if !self.consts.is_empty() {
                std::ptr::copy_nonoverlapping(self.consts.as_ptr(), sp.add(nl), self.consts.len());
            }
        }
    }

    /// Count one entry; true when this entry makes the function hot.
    #[inline(always)]
    pub(crate) fn count_call(&self) -> bool {
        let n = self.calls.load(Ordering::Relaxed).wrapping_add(1);
        self.calls.store(n, Ordering::Relaxed);
        n == self.hot_calls.load(Ordering::Relaxed)
    }

    /// Count one iteration of loop `counter`; true when this iteration
    /// makes the function hot.
    #[inline(always)]
    pub(crate) fn count_loop(&self, counter: u32) -> bool {
        match self.loops.get(counter as usize) {
            Some(c) => {
                let n = c.load(Ordering::Relaxed).wrapping_add(1);
                c.store(n, Ordering::Relaxed);
                n == self.hot_loop
            }
            None => false,
        }
    }

    /// Entries so far.
    pub fn call_count(&self) -> u64 {
        self.calls.load(Ordering::Relaxed)
    }

    /// Loop-header executions so far, summed over the function's loops.
    pub fn loop_count(&self) -> u64 {
        self.loops.iter().map(|c| c.load(Ordering::Relaxed)).sum()
    }
}

/// Lazily translated code of every defined function of a module.
#[derive(Debug)]
pub struct ModuleCode {
    pub module: Arc<ModuleInfo>,
    funcs: Box<[OnceLock<Result<FuncCode, CompileError>>]>,
    /// Each function's code once translated (null before): the fast path of
    /// `CallInternal`, one load instead of a `OnceLock` and `Result` check.
    resolved: Box<[AtomicPtr<FuncCode>]>,
    /// `max(params, results)` of every function (imported first): the length
    /// of the value array when calling it through the array convention.
    pub(crate) call_len: Box<[u32]>,
    /// When set, functions report themselves hot to the runtime.
    pub(crate) tiering: Option<Tiering>,
}

impl ModuleCode {
    /// Code for `module` that never reports hot functions.
    pub fn new(module: Arc<ModuleInfo>) -> ModuleCode {
        ModuleCode::with_tiering(module, None)
    }

    /// Code for `module` whose functions report to `tiering` when hot.
    pub fn with_tiering(module: Arc<ModuleInfo>, tiering: Option<Tiering>) -> ModuleCode {
        let funcs = (0..module.num_defined_funcs())
            .map(|_| OnceLock::new())
            .collect();
        let call_len = (0..module.funcs.len() as u32)
            .map(|f| {
                let t = module.func_type(f);
                t.params().len().max(t.results().len()) as u32
            })
            .collect();
        let resolved = (0..module.num_defined_funcs())
            .map(|_| AtomicPtr::new(std::ptr::null_mut()))
            .collect();
        ModuleCode {
            module,
            funcs,
            resolved,
            call_len,
            tiering,
        }
    }

    /// The code of defined function `def_index`, translating it on first use.
    ///
    /// Never inlined: its `OnceLock` closure would otherwise live in the
    /// calling handler's frame and stop LLVM from making that handler's
    /// dispatch a tail call.
    #[inline(never)]
    pub fn get_or_translate(&self, def_index: u32) -> Result<&FuncCode, &CompileError> {
        let code = self.funcs[def_index as usize]
            .get_or_init(|| {
                let mut code = translate::translate(&self.module, def_index).inspect_err(|e| {
                    // A validated body that cannot be translated is a bug
                    // in wx; calls to it trap with an internal error.
                    tracing::error!(
                        target: "wx::interp",
                        func = self.module.num_imported_funcs + def_index,
                        "cannot translate: {e}"
                    );
                })?;
                if let Some(t) = &self.tiering {
                    code.hot_calls = AtomicU64::new(t.call_threshold.max(1));
                    code.hot_loop = t.loop_threshold.max(1);
                }
                Ok(code)
            })
            .as_ref()?;
        self.resolved[def_index as usize]
            .store(code as *const FuncCode as *mut FuncCode, Ordering::Release);
        Ok(code)
    }

    /// The code of `def_index` if already translated (fast path for calls).
    #[inline(always)]
    pub(crate) fn resolved(&self, def_index: u32) -> Option<&FuncCode> {
        let p = self
            .resolved
            .get(def_index as usize)?
            .load(Ordering::Acquire);
        // SAFETY: a non-null pointer was stored from a `&FuncCode` living in
        // `self.funcs`, which is never cleared while `self` lives.
        (!p.is_null()).then(|| unsafe { &*p })
    }

    /// The code of defined function `def_index` if it has been translated.
    pub fn get(&self, def_index: u32) -> Option<&FuncCode> {
        self.funcs[def_index as usize]
            .get()
            .and_then(|r| r.as_ref().ok())
    }

    pub fn num_defined(&self) -> u32 {
        self.funcs.len() as u32
    }
}
