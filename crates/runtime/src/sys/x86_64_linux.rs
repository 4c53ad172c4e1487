//! x86-64 Linux: the JIT's host.

pub(super) const JIT_HOST: bool = true;

/// See [`super::enter_trap_exit`]. The trap exit finds the site's pc at
/// `[rsp]`, as a call would have left it.
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
    let regs = &mut uc.uc_mcontext.gregs;
    let pc = regs[libc::REG_RIP as usize] as usize;
    let Some(resume) = resume_at(pc) else {
        return false;
    };
    // The slot lies in the red zone below the interrupted rsp (the kernel
    // puts the signal frame beyond it), on a stack the trap is about to
    // unwind.
    let rsp = regs[libc::REG_RSP as usize] as usize - 8;
    // SAFETY: the slot is on the faulting thread's live stack, below its
    // stack pointer (guaranteed by the caller).
    unsafe { (rsp as *mut usize).write(pc) };
    regs[libc::REG_RSP as usize] = rsp as i64;
    regs[libc::REG_RIP as usize] = resume as i64;
    true
}

/// See [`super::thread_stack`].
pub(super) fn thread_stack() -> Option<(usize, usize)> {
    super::pthread_stack()
}
