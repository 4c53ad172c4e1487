//! Hosts without a JIT back end: compiled code never runs, so no fault is
//! ever a trap site's.

pub(super) const JIT_HOST: bool = false;

/// See [`super::enter_trap_exit`].
///
/// # Safety
/// Nothing to uphold: the context is not read.
pub(super) unsafe fn enter_trap_exit(
    _ctx: *mut libc::c_void,
    _resume_at: impl FnOnce(usize) -> Option<usize>,
) -> bool {
    false
}

/// See [`super::thread_stack`].
pub(super) fn thread_stack() -> Option<(usize, usize)> {
    None
}
