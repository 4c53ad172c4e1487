//! Faults in JIT code become wasm traps.
//!
//! Compiled functions record *trap sites*: the memory accesses that may hit
//! the guard region. A process-wide registry maps code ranges to their
//! sites; a SIGSEGV/SIGBUS handler that finds the faulting pc at a registered
//! site rewrites the context to enter that code's *trap exit* as if the
//! access had called it (the access's pc pushed), which records the
//! backtrace (see [`crate::frames`]) and unwinds to the innermost entry
//! stub like any other trap in compiled code (see `wx_jit`'s x86-64
//! emitter), and the stub returns the trap code to its Rust caller. Every other fault goes to the
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

/// One compiled function's code range.
#[derive(Clone, Debug)]
pub(crate) struct CodeRange {
    pub start: usize,
    pub end: usize,
    /// Where a fault at a trap site resumes: the code's trap exit.
    pub trap_exit: usize,
    /// The code's sites, faulting accesses among them, and what a
    /// backtrace needs (see [`crate::frames`]); shared between snapshots.
    pub frames: Arc<crate::frames::FrameTable>,
}

/// An immutable snapshot of every registered range.
///
/// Ranges live in sorted segments, shared between snapshots, whose sizes
/// shrink geometrically from first to last: registering appends a segment
/// and merges the last two while the older is at most twice the newer, so
/// a registration copies O(log n) ranges amortized instead of all of them
/// (a tiered run registers functions one at a time), and a lookup searches
/// O(log n) segments.
#[derive(Default)]
struct Registry {
    segments: Vec<Arc<[CodeRange]>>,
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

fn publish(update: impl FnOnce(&mut Vec<Arc<[CodeRange]>>)) {
    let mut retained = WRITERS.lock();
    let mut segments = retained
        .last()
        .map(|r| r.segments.clone())
        .unwrap_or_default();
    update(&mut segments);
    let mut next = Box::new(Registry { segments });
    CURRENT.store(&mut *next, Ordering::SeqCst);
    if READERS.load(Ordering::SeqCst) == 0 {
        retained.clear();
    }
    retained.push(next);
}

/// `a` and `b` merged by start address.
fn merge(a: &[CodeRange], b: &[CodeRange]) -> Arc<[CodeRange]> {
    let mut all = Vec::with_capacity(a.len() + b.len());
    let (mut i, mut j) = (0, 0);
    while i < a.len() && j < b.len() {
        if a[i].start <= b[j].start {
            all.push(a[i].clone());
            i += 1;
        } else {
            all.push(b[j].clone());
            j += 1;
        }
    }
    all.extend_from_slice(&a[i..]);
    all.extend_from_slice(&b[j..]);
    all.into()
}

/// Make faults at `ranges`' trap sites wasm traps.
pub(crate) fn register(mut ranges: Vec<CodeRange>) {
    install_handler();
    ranges.sort_by_key(|r| r.start);
    publish(|segments| {
        segments.push(ranges.into());
        while let [.., older, newer] = segments.as_slice() {
            if older.len() > 2 * newer.len() {
                break;
            }
            let merged = merge(older, newer);
            segments.truncate(segments.len() - 2);
            segments.push(merged);
        }
    });
}

/// Forget the code ranges starting at `starts` (their code is being unmapped).
pub(crate) fn unregister(starts: &[usize]) {
    let gone: std::collections::HashSet<usize> = starts.iter().copied().collect();
    publish(|segments| {
        let mut kept: Vec<CodeRange> = segments
            .iter()
            .flat_map(|s| s.iter())
            .filter(|r| !gone.contains(&r.start))
            .cloned()
            .collect();
        kept.sort_by_key(|r| r.start);
        segments.clear();
        if !kept.is_empty() {
            segments.push(kept.into());
        }
    });
}

/// Where to resume after a fault at `pc`, if `pc` is a registered trap site.
fn resume_at(pc: usize) -> Option<usize> {
    with_code(|_| lookup(pc))
}

fn lookup(pc: usize) -> Option<usize> {
    let r = range_at(pc)?;
    let off = (pc - r.start) as u32;
    let site = r.frames.site(off)?;
    matches!(site.kind, wx_jit::SiteKind::Fault(_)).then_some(r.trap_exit)
}

/// The registered range holding `pc`. The caller has announced itself
/// in `READERS` and uses the result only until it leaves.
fn range_at<'a>(pc: usize) -> Option<&'a CodeRange> {
    let reg = CURRENT.load(Ordering::SeqCst);
    if reg.is_null() {
        return None;
    }
    // SAFETY: a snapshot is freed only when no reader is in, and the
    // caller announced itself in READERS before loading it.
    let segments = unsafe { &(*reg).segments };
    segments.iter().find_map(|ranges| {
        let i = ranges.partition_point(|r| r.start <= pc).checked_sub(1)?;
        let r = &ranges[i];
        (pc < r.end).then_some(r)
    })
}

/// Lookups of compiled code by pc, valid while [`with_code`] runs.
pub(crate) struct CodeLookup(());

impl CodeLookup {
    /// The compiled code holding `pc`: its start and frame table.
    pub(crate) fn at(&self, pc: usize) -> Option<(usize, &crate::frames::FrameTable)> {
        range_at(pc).map(|r| (r.start, &*r.frames))
    }
}

/// Run `f` with lookups of compiled code, announced once as a reader of
/// the registry (a walk looks up every frame: one announcement, no
/// reference counting per frame).
pub(crate) fn with_code<R>(f: impl FnOnce(&CodeLookup) -> R) -> R {
    READERS.fetch_add(1, Ordering::SeqCst);
    let r = f(&CodeLookup(()));
    READERS.fetch_sub(1, Ordering::SeqCst);
    r
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
    // SAFETY: the kernel passes a valid ucontext for SA_SIGINFO handlers,
    // and a pc at a registered trap site is compiled code's.
    if unsafe { crate::sys::enter_trap_exit(ctx, resume_at) } {
        return;
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

fn compute_stack_limit() -> usize {
    // Host code called from wasm runs below the limit, and compiled leaf
    // functions with frames up to 4 KiB skip the check (wx-jit's
    // LEAF_FRAME_MAX): the margin must stay well above both.
    const MARGIN: usize = 256 * 1024;
    crate::sys::thread_stack().map_or(0, |(addr, size)| addr + MARGIN.min(size / 2))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Fake code ranges far from any real mapping: 0x100 bytes each, a
    /// trap site at offset 0x10, the trap exit at offset 0x80.
    fn fake(i: usize) -> CodeRange {
        static FRAMES: std::sync::LazyLock<Arc<crate::frames::FrameTable>> =
            std::sync::LazyLock::new(|| {
                let module = wx_core::ModuleInfo::new(b"\0asm\x01\0\0\0").expect("empty module");
                Arc::new(crate::frames::FrameTable {
                    module: Arc::new(module),
                    sites: Box::new([wx_jit::TrapSite {
                        pc: 0x10,
                        kind: wx_jit::SiteKind::Fault(wx_core::TrapCode::MemoryOutOfBounds),
                        wasm_offset: 0,
                        caller_offset: None,
                    }]),
                    calls: Box::new([]),
                    frameless: false,
                    handlers: None,
                })
            });
        let start = 0x7e00_0000_0000 + i * 0x100;
        CodeRange {
            start,
            end: start + 0x100,
            trap_exit: start + 0x80,
            frames: FRAMES.clone(),
        }
    }

    #[test]
    fn ranges_registered_one_at_a_time_stay_findable_and_few_segments() {
        let n = 1000;
        // Registered in a scattered order, as tier-ups happen.
        for k in 0..n {
            register(vec![fake((k * 7919) % n)]);
        }
        for i in 0..n {
            let r = fake(i);
            assert_eq!(lookup(r.start + 0x10), Some(r.trap_exit), "range {i}");
            assert_eq!(lookup(r.start + 0x11), None, "not a trap site");
        }
        {
            let reg = WRITERS.lock();
            let segments = reg.last().unwrap().segments.len();
            // Logarithmic: about 2 * log2(1000), with room for ranges other
            // tests of this binary may register meanwhile.
            assert!(segments <= 24, "{segments} segments");
        }
        let starts: Vec<usize> = (0..n).map(|i| fake(i).start).collect();
        unregister(&starts);
        assert_eq!(lookup(fake(3).start + 0x10), None);
    }
}
