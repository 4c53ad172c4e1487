//! How the interpreter tells the runtime that a function got hot.
//!
//! The interpreter owns the counters; the runtime owns the policy's action
//! (compile, swap entry slots). A [`Tiering`] given to [`ModuleCode`] holds
//! the thresholds and the runtime's [`TierUp`] hook. Each translated function
//! copies the thresholds, so the hot path compares a counter it has just
//! bumped with a field beside it and calls the hook (out of line) only on the
//! exact crossing: each threshold fires once per function, unless the hook
//! answers that the compiled code is not ready yet (the runtime compiles in
//! the background): then the call threshold moves on, so a later call asks
//! again.

use crate::code::{FuncCode, ModuleCode};
use crate::exec::Cx;
use std::sync::atomic::Ordering;
use wx_core::instance::Instance;
use wx_core::vm::ArrayCall;

/// Why a function is reported hot.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Hot {
    /// Its call count reached the call threshold.
    Calls(u64),
    /// One of its loops ran this many iterations (entries plus back-edges).
    Loop(u64),
}

/// The hook's answer to a hot function.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HotReply {
    /// Nothing more to do: the function now runs compiled, or never will.
    Done,
    /// Its code is being compiled: report the function again after this
    /// many more calls.
    AskAgainAfter(u64),
}

/// The runtime's side of tiering.
pub trait TierUp: Send + Sync {
    /// Defined function `def_index` got hot while running in `instance`.
    /// Runs on the interpreting thread, between two instructions; frames
    /// already interpreting the function finish in the interpreter.
    ///
    /// # Safety
    /// `instance` is live and belongs to the store running on this thread.
    unsafe fn hot(&self, instance: *mut Instance, def_index: u32, why: Hot) -> HotReply;

    /// Code to continue a running call of `def_index` in, entered at the
    /// header of the loop whose `loop` operator is at byte offset
    /// `loop_offset`: an array-convention function whose value array holds
    /// all the function's locals on entry and its results on return. `None`
    /// keeps the call in the interpreter.
    ///
    /// # Safety
    /// As for [`TierUp::hot`].
    unsafe fn osr_entry(
        &self,
        instance: *mut Instance,
        def_index: u32,
        loop_offset: u32,
    ) -> Option<ArrayCall>;
}

/// Thresholds and the hook; `None` in [`ModuleCode`] means never tier up.
pub struct Tiering {
    /// Calls after which a function is reported (at least 1).
    pub call_threshold: u64,
    /// Iterations of one loop after which its function is reported.
    pub loop_threshold: u64,
    pub hook: Box<dyn TierUp>,
}

impl std::fmt::Debug for Tiering {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Tiering")
            .field("call_threshold", &self.call_threshold)
            .field("loop_threshold", &self.loop_threshold)
            .finish_non_exhaustive()
    }
}

/// Report `code` (of `module_code`, running in `instance`) as hot.
///
/// # Safety
/// `module_code` and `instance` are live; `code` is one of `module_code`'s functions.
#[cold]
#[inline(never)]
pub(crate) unsafe fn report(
    module_code: *const ModuleCode,
    instance: *mut Instance,
    code: *const FuncCode,
    why: Hot,
) {
    // SAFETY: guaranteed by the caller.
    unsafe {
        let Some(t) = &(*module_code).tiering else {
            return;
        };
        let code = &*code;
        if let HotReply::AskAgainAfter(calls) = t.hook.hot(instance, code.def_index, why) {
            let at = code.call_count().saturating_add(calls.max(1));
            code.hot_calls.store(at, Ordering::Relaxed);
        }
    }
}

/// Loop `counter` of the running function just got hot: report the
/// function, then ask for an on-stack-replacement entry at that loop and,
/// if there is one, run the rest of the call in it with the frame's locals
/// (`sp` is the frame's base). Returns the compiled code's status (0: the
/// results are in the frame's first slots), or `None` to keep interpreting.
///
/// # Safety
/// `cx` describes the live frame at `sp`, which is at that loop's header.
#[cold]
#[inline(never)]
pub(crate) unsafe fn loop_hot(cx: &Cx, counter: u32, sp: *mut u64) -> Option<u32> {
    // SAFETY: guaranteed by the caller.
    unsafe {
        let code = &*cx.code;
        report(
            cx.module_code,
            cx.instance,
            cx.code,
            Hot::Loop(code.hot_loop),
        );
        let tiering = (*cx.module_code).tiering.as_ref()?;
        let offset = *code.loop_offsets.get(counter as usize)?;
        let entry = tiering
            .hook
            .osr_entry(cx.instance, code.def_index, offset)?;
        let instance = &*cx.instance;
        let f = instance.func_ref(instance.module.num_imported_funcs + code.def_index);
        let len = code.num_locals.max(code.num_results) as usize;
        tracing::debug!(target: "wx::tier", func = (*f).func_index, loop_offset = offset, "entering compiled code at a loop (OSR)");
        Some(entry(f, instance.vmctx(), sp, len))
    }
}
