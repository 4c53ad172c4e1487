//! What the runtime needs of the host machine and OS, in one place: whether
//! this build can run compiled code here, the registers of an interrupted
//! thread (to turn a fault at a trap site into a call of the trap exit),
//! and the bounds of a thread's stack. Each supported host has its own file;
//! elsewhere wx runs interpreted only.

#[cfg(all(target_arch = "x86_64", target_os = "linux"))]
mod x86_64_linux;
#[cfg(all(target_arch = "x86_64", target_os = "linux"))]
use x86_64_linux as host;

#[cfg(all(target_arch = "aarch64", target_os = "linux"))]
mod aarch64_linux;
#[cfg(all(target_arch = "aarch64", target_os = "linux"))]
use aarch64_linux as host;

#[cfg(not(all(
    any(target_arch = "x86_64", target_arch = "aarch64"),
    target_os = "linux"
)))]
mod unsupported;
#[cfg(not(all(
    any(target_arch = "x86_64", target_arch = "aarch64"),
    target_os = "linux"
)))]
use unsupported as host;

/// Whether this build has a JIT back end and fault handling for the
/// machine it runs on.
pub(crate) const JIT_HOST: bool = host::JIT_HOST;

/// In the signal context `ctx` of a fault: if `resume_at` names where a
/// fault at the interrupted pc resumes (a trap site's trap exit), make the
/// thread continue there as if the faulting instruction had called it, and
/// return true.
///
/// # Safety
/// `ctx` is the `ucontext_t` the kernel passed to an `SA_SIGINFO` handler,
/// and the faulting code is compiled code whose stack may be written below
/// its stack pointer (the trap unwinds it).
pub(crate) unsafe fn enter_trap_exit(
    ctx: *mut libc::c_void,
    resume_at: impl FnOnce(usize) -> Option<usize>,
) -> bool {
    // SAFETY: forwarded from the caller.
    unsafe { host::enter_trap_exit(ctx, resume_at) }
}

/// The lowest address of the calling thread's stack and its size, if the
/// OS says.
pub(crate) fn thread_stack() -> Option<(usize, usize)> {
    host::thread_stack()
}

/// The calling thread's stack bounds from pthreads (Linux).
#[cfg(target_os = "linux")]
#[allow(dead_code, reason = "hosts without a JIT do not ask")]
fn pthread_stack() -> Option<(usize, usize)> {
    // SAFETY: pthread_getattr_np fills `attr` for the calling thread; we
    // read its stack bounds and destroy it.
    unsafe {
        let mut attr: libc::pthread_attr_t = std::mem::zeroed();
        if libc::pthread_getattr_np(libc::pthread_self(), &mut attr) != 0 {
            return None;
        }
        let (mut addr, mut size) = (std::ptr::null_mut(), 0usize);
        let ok = libc::pthread_attr_getstack(&attr, &mut addr, &mut size) == 0;
        libc::pthread_attr_destroy(&mut attr);
        ok.then_some((addr as usize, size))
    }
}
