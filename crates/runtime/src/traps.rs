//! Faults in JIT code become wasm traps.
//!
//! Compiled functions record *trap sites*: the memory accesses that may hit
//! the guard region. A process-wide registry maps code ranges to their
//! sites; a SIGSEGV/SIGBUS handler that finds the faulting pc at a registered
//! site rewrites the context to resume at that code's *trap exit* with the
//! trap code in eax, which unwinds to the innermost entry stub like any
//! other trap in compiled code (see `wx_jit`'s x86-64 emitter), and the stub
//! returns the code to its Rust caller. Every other fault goes to the
//! previously installed handler.
//!
//! The handler allocates nothing and takes no lock: it reads an immutable
//! registry snapshot through an atomic pointer. Writers (compilation, module
//! drop) build a new snapshot under a mutex and publish it. A handler
//! announces itself in `READERS` before loading the pointer; a writer that
//! sees no reader after publishing frees the older snapshots, since any
//! handler arriving later loads the new one (all four accesses are SeqCst).

use parking_lot::Mutex;
use std::sync::atomic::{AtomicPtr, AtomicUsize, Ordering};
use std::sync::Arc;
use std::sync::Once;
use wx_core::TrapCode;

/// One compiled function's code range.
#[derive(Clone, Debug)]
pub(crate) struct CodeRange {
    pub start: usize,
    pub end: usize,
    /// Where a fault at a trap site resumes: the code's trap exit.
    pub trap_exit: usize,
    /// Offsets of trap sites from `start`, sorted (shared between snapshots).
    pub sites: Arc<[u32]>,
}

#[derive(Default)]
struct Registry {
    /// Sorted by `start`; ranges do not overlap.
    ranges: Vec<CodeRange>,
}

static CURRENT: AtomicPtr<Registry> = AtomicPtr::new(std::ptr::null_mut());
/// Signal handlers currently reading a snapshot.
static READERS: AtomicUsize = AtomicUsize::new(0);
#[allow(
    clippy::vec_box,
    reason = "the handler reads snapshots by address; they must not move"
)]
/// Published snapshots not yet freed; the last is the current one.
static WRITERS: Mutex<Vec<Box<Registry>>> = Mutex::new(Vec::new());

fn publish(update: impl FnOnce(&mut Vec<CodeRange>)) {
    let mut retained = WRITERS.lock();
    let mut ranges = retained
        .last()
        .map(|r| r.ranges.clone())
        .unwrap_or_default();
    update(&mut ranges);
    ranges.sort_by_key(|r| r.start);
    let mut next = Box::new(Registry { ranges });
    CURRENT.store(&mut *next, Ordering::SeqCst);
    if READERS.load(Ordering::SeqCst) == 0 {
        retained.clear();
    }
    retained.push(next);
}

/// Make faults at `ranges`' trap sites wasm traps.
pub(crate) fn register(ranges: Vec<CodeRange>) {
    install_handler();
    publish(|all| all.extend(ranges));
}

/// Forget the code ranges starting at `starts` (their code is being unmapped).
pub(crate) fn unregister(starts: &[usize]) {
    publish(|all| all.retain(|r| !starts.contains(&r.start)));
}

/// Where to resume after a fault at `pc`, if `pc` is a registered trap site.
fn resume_at(pc: usize) -> Option<usize> {
    READERS.fetch_add(1, Ordering::SeqCst);
    let resume = lookup(pc);
    READERS.fetch_sub(1, Ordering::SeqCst);
    resume
}

fn lookup(pc: usize) -> Option<usize> {
    let reg = CURRENT.load(Ordering::SeqCst);
    if reg.is_null() {
        return None;
    }
    // SAFETY: a snapshot is freed only when no handler is reading, and
    // this one announced itself in READERS before loading it.
    let ranges = unsafe { &(*reg).ranges };
    let i = ranges.partition_point(|r| r.start <= pc).checked_sub(1)?;
    let r = &ranges[i];
    if pc >= r.end {
        return None;
    }
    let off = (pc - r.start) as u32;
    r.sites.binary_search(&off).ok().map(|_| r.trap_exit)
}

static mut PREVIOUS: [Option<libc::sigaction>; 2] = [None, None];

fn install_handler() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        for (i, sig) in [libc::SIGSEGV, libc::SIGBUS].into_iter().enumerate() {
            // SAFETY: a zeroed sigaction is a valid starting point; we fill
            // the handler and flags before installing it. PREVIOUS is written
            // only here, once, before any handler of ours can run.
            unsafe {
                let mut action: libc::sigaction = std::mem::zeroed();
                action.sa_sigaction = handler as *const () as usize;
                // SA_SIGINFO: we need the context to read and rewrite the pc.
                // SA_NODEFER: a fault while chaining to the previous handler
                // must not be blocked. SA_ONSTACK: run on the alternate stack
                // Rust sets up, if any.
                action.sa_flags = libc::SA_SIGINFO | libc::SA_NODEFER | libc::SA_ONSTACK;
                libc::sigemptyset(&mut action.sa_mask);
                let mut old: libc::sigaction = std::mem::zeroed();
                if libc::sigaction(sig, &action, &mut old) == 0 {
                    PREVIOUS[i] = Some(old);
                }
            }
        }
    });
}

extern "C" fn handler(sig: libc::c_int, info: *mut libc::siginfo_t, ctx: *mut libc::c_void) {
    #[cfg(all(target_arch = "x86_64", target_os = "linux"))]
    // SAFETY: the kernel passes a valid ucontext for SA_SIGINFO handlers.
    unsafe {
        let uc = &mut *(ctx as *mut libc::ucontext_t);
        let pc = uc.uc_mcontext.gregs[libc::REG_RIP as usize] as usize;
        if let Some(resume) = resume_at(pc) {
            uc.uc_mcontext.gregs[libc::REG_RAX as usize] = TrapCode::MemoryOutOfBounds as i64;
            uc.uc_mcontext.gregs[libc::REG_RIP as usize] = resume as i64;
            return;
        }
    }
    chain(sig, info, ctx);
}

/// Hand a fault that is not ours to whoever handled it before.
fn chain(sig: libc::c_int, info: *mut libc::siginfo_t, ctx: *mut libc::c_void) {
    let i = if sig == libc::SIGSEGV { 0 } else { 1 };
    // SAFETY: PREVIOUS was written before this handler was installed.
    let previous = unsafe { (*std::ptr::addr_of!(PREVIOUS))[i] };
    match previous {
        Some(old) if old.sa_sigaction != libc::SIG_DFL && old.sa_sigaction != libc::SIG_IGN => {
            if old.sa_flags & libc::SA_SIGINFO != 0 {
                // SAFETY: the previous handler was installed with SA_SIGINFO.
                let f: extern "C" fn(libc::c_int, *mut libc::siginfo_t, *mut libc::c_void) =
                    unsafe { std::mem::transmute(old.sa_sigaction) };
                f(sig, info, ctx);
            } else {
                // SAFETY: a plain handler takes the signal number only.
                let f: extern "C" fn(libc::c_int) =
                    unsafe { std::mem::transmute(old.sa_sigaction) };
                f(sig);
            }
        }
        _ => {
            // Restore the default action; returning re-executes the faulting
            // instruction, which then kills the process as it would have.
            // SAFETY: resetting a signal's disposition to the default.
            unsafe {
                libc::signal(sig, libc::SIG_DFL);
            }
        }
    }
}

/// The lowest native stack address compiled code on this thread may use:
/// the thread's stack bottom plus a margin for host code and signal frames.
pub(crate) fn thread_stack_limit() -> usize {
    thread_local! {
        static LIMIT: usize = compute_stack_limit();
    }
    LIMIT.with(|l| *l)
}

#[cfg(target_os = "linux")]
fn compute_stack_limit() -> usize {
    // Host code called from wasm runs below the limit, and compiled leaf
    // functions with frames up to 4 KiB skip the check (wx-jit's
    // LEAF_FRAME_MAX): the margin must stay well above both.
    const MARGIN: usize = 256 * 1024;
    // SAFETY: pthread_getattr_np fills `attr` for the calling thread; we
    // read its stack bounds and destroy it.
    unsafe {
        let mut attr: libc::pthread_attr_t = std::mem::zeroed();
        if libc::pthread_getattr_np(libc::pthread_self(), &mut attr) != 0 {
            return 0;
        }
        let (mut addr, mut size) = (std::ptr::null_mut(), 0usize);
        let ok = libc::pthread_attr_getstack(&attr, &mut addr, &mut size) == 0;
        libc::pthread_attr_destroy(&mut attr);
        if ok {
            addr as usize + MARGIN.min(size / 2)
        } else {
            0
        }
    }
}

#[cfg(not(target_os = "linux"))]
fn compute_stack_limit() -> usize {
    0
}
