//! AArch64 Linux: the JIT's host.

pub(super) const JIT_HOST: bool = true;

/// See [`super::enter_trap_exit`]. The trap exit finds the site's pc in
/// the link register, as a `bl` to it would have left it: JIT code on
/// AArch64 always keeps its return address in its frame record, so x30
/// holds nothing the unwinding needs.
///
/// # Safety
/// As for [`super::enter_trap_exit`].
pub(super) unsafe fn enter_trap_exit(
    ctx: *mut libc::c_void,
    resume_at: impl FnOnce(usize) -> Option<usize>,
) -> bool {
    // SAFETY: the kernel passes a valid ucontext for SA_SIGINFO handlers
    // (guaranteed by the caller).
    let uc = unsafe { &mut *(ctx as *mut libc::ucontext_t) };
    let mc = &mut uc.uc_mcontext;
    let pc = mc.pc as usize;
    let Some(resume) = resume_at(pc) else {
        return false;
    };
    mc.regs[30] = pc as u64;
    mc.pc = resume as u64;
    true
}

/// See [`super::thread_stack`].
pub(super) fn thread_stack() -> Option<(usize, usize)> {
    super::pthread_stack()
}
