//! How the interpreter tells the runtime that a function got hot.
//!
//! The interpreter owns the counters; the runtime owns the policy's action
//! (compile, swap entry slots). A [`Tiering`] given to [`ModuleCode`] holds
//! the thresholds and the runtime's [`TierUp`] hook. Each translated function
//! copies the thresholds, so the hot path compares a counter it has just
//! bumped with a field beside it and calls the hook (out of line) only on the
//! exact crossing: each threshold fires once per function.

use crate::code::{FuncCode, ModuleCode};
use wx_core::instance::Instance;

/// Why a function is reported hot.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Hot {
    /// Its call count reached the call threshold.
    Calls(u64),
    /// One of its loops ran this many iterations (entries plus back-edges).
    Loop(u64),
}

/// The runtime's side of tiering.
pub trait TierUp: Send + Sync {
    /// Defined function `def_index` got hot while running in `instance`.
    /// Runs on the interpreting thread, between two instructions; frames
    /// already interpreting the function finish in the interpreter.
    ///
    /// # Safety
    /// `instance` is live and belongs to the store running on this thread.
    unsafe fn hot(&self, instance: *mut Instance, def_index: u32, why: Hot);
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
        if let Some(t) = &(*module_code).tiering {
            t.hook.hot(instance, (*code).def_index, why);
        }
    }
}
