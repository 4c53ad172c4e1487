//! Backtraces through compiled code: the walker the trap exit calls.
//!
//! Every trap in compiled code passes through its function's trap exit
//! with the site's pc at `[rsp]` (see `wx_jit`'s x86-64 `frame.rs`), which
//! calls [`wx_core::libcalls::trap_exit`] and so [`walk`] while the
//! compiled frames are still on the stack. The site names the innermost
//! frame; every other compiled frame is found by its frame pointer (each
//! function that calls keeps `rbp` as a frame pointer: `[rbp]` is its
//! caller's, `[rbp + 8]` its return address) and named by its call site.
//! The walk stops at a return address that is no call site of compiled
//! code: the entry stub, beyond which the interpreter or the embedder
//! goes on with the trap status (and the interpreter adds its frames).
//!
//! An exception ([`TrapCode::Exception`]) is looked up, frame by frame
//! from the throw outward, in the functions' handler tables
//! ([`wx_jit::Handlers`]): at the first clause that catches it the walk
//! stops, the payload goes to that frame and the trap exit resumes at the
//! clause's landing pad instead of unwinding ([`wx_core::libcalls::RESUME`]).

use std::ops::ControlFlow;
use std::sync::Arc;
use wx_core::backtrace;
use wx_core::exception::{self, TagInstance};
use wx_core::vm::VMContext;
use wx_core::{ModuleInfo, TrapCode};
use wx_jit::{CallSite, Handlers, SiteKind, TrapSite};

/// What a backtrace needs of one compiled function.
#[derive(Debug)]
pub(crate) struct FrameTable {
    pub module: Arc<ModuleInfo>,
    /// Sorted by `pc`.
    pub sites: Box<[TrapSite]>,
    /// Sorted by `ret`.
    pub calls: Box<[CallSite]>,
    pub frameless: bool,
    /// None for the many functions without handlers.
    pub handlers: Option<Box<Handlers>>,
}

impl FrameTable {
    pub fn new(module: Arc<ModuleInfo>, code: &wx_jit::CompiledCode) -> FrameTable {
        FrameTable {
            module,
            sites: code.sites.clone().into_boxed_slice(),
            calls: code.calls.clone().into_boxed_slice(),
            frameless: code.frameless,
            handlers: (!code.handlers.sites.is_empty()).then(|| Box::new(code.handlers.clone())),
        }
    }

    pub(crate) fn site(&self, pc: u32) -> Option<TrapSite> {
        let i = self.sites.binary_search_by_key(&pc, |s| s.pc).ok()?;
        Some(self.sites[i])
    }

    fn call(&self, ret: u32) -> Option<CallSite> {
        let i = self.calls.binary_search_by_key(&ret, |c| c.ret).ok()?;
        Some(self.calls[i])
    }
}

/// Make compiled code's traps record backtraces (once per process).
pub(crate) fn install() {
    backtrace::set_jit_walker(walk);
}

/// A frame, and the frame of the call an inlined callee replaced.
fn push(module: &Arc<ModuleInfo>, offset: u32, caller: Option<u32>) {
    backtrace::push(module, offset);
    if let Some(call) = caller {
        backtrace::push(module, call);
    }
}

/// The word at `addr`.
///
/// # Safety
/// `addr` is a live, aligned stack slot of the compiled frames being walked.
unsafe fn word(addr: usize) -> usize {
    // SAFETY: guaranteed by the caller.
    unsafe { (addr as *const usize).read() }
}

/// The walker (see the module documentation): records the frames from the
/// site at `pc` out to the entry stub and returns the trap code.
///
/// # Safety
/// Called by the trap exit with the site's pc and the stack and frame
/// pointers of the compiled code there, whose frames are live.
unsafe fn walk(vmctx: *mut VMContext, pc: usize, sp: usize, fp: usize, status: u32) -> u32 {
    // SAFETY: forwarded from the caller.
    crate::traps::with_code(|code| unsafe { walk_with(code, vmctx, pc, sp, fp, status) })
}

/// [`walk`], looking code up in `code`.
///
/// # Safety
/// As for [`walk`].
unsafe fn walk_with(
    code: &crate::traps::CodeLookup,
    vmctx: *mut VMContext,
    pc: usize,
    sp: usize,
    fp: usize,
    status: u32,
) -> u32 {
    // (A cold path's return address may be the code's very end: look up
    // the byte before it, as for any return address.)
    let Some((start, table)) = code.at(pc - 1) else {
        backtrace::begin();
        return backtrace::trap_code_of(status);
    };
    let Some(site) = table.site((pc - start) as u32) else {
        backtrace::begin();
        return backtrace::trap_code_of(status);
    };
    let origin = Origin {
        start,
        table,
        site,
        pc,
        sp,
        fp,
    };
    // An exception comes as a status (a fault's eax means nothing). A
    // handler is looked for first, so a caught exception records nothing.
    let trapped = matches!(site.kind, SiteKind::Trap(_) | SiteKind::Fault(_));
    if status == TrapCode::Exception as u32 && !trapped {
        // SAFETY: the trap exit passes its function's VMContext, whose
        // store's heap is live; the frames are as for `walk`.
        if let Some(resume) = unsafe { find_handler(code, vmctx, &origin) } {
            return resume;
        }
    }
    let trap = match site.kind {
        SiteKind::Trap(code) | SiteKind::Fault(code) => {
            backtrace::begin();
            code as u32
        }
        SiteKind::Status => {
            backtrace::begin();
            backtrace::trap_code_of(status)
        }
        // The callee recorded its frames; the adapter is not a wasm frame.
        SiteKind::Adapter => backtrace::trap_code_of(status),
    };
    if site.kind != SiteKind::Adapter {
        push(&table.module, site.wasm_offset, site.caller_offset);
    }
    let mut frames = 0;
    // SAFETY: the frames are as for `walk`.
    unsafe {
        for_each_caller(code, &origin, |at, call| {
            push(&at.table.module, call.wasm_offset, call.caller_offset);
            frames += 1;
            if frames == backtrace::MAX_FRAMES {
                ControlFlow::Break(())
            } else {
                ControlFlow::Continue(())
            }
        })
    };
    trap
}

/// Where the walk starts: the site's function (its code at `start`), the
/// site, and the pc, stack and frame pointers there.
struct Origin<'a> {
    start: usize,
    table: &'a FrameTable,
    site: TrapSite,
    pc: usize,
    sp: usize,
    fp: usize,
}

impl Origin<'_> {
    /// The first return address out of the site's frame and the frame
    /// pointer of the function it returns into.
    ///
    /// # Safety
    /// `fp` is the frame pointer of a live compiled frame with a saved rbp
    /// and return address above it (the site's function's, or the
    /// adapter's), and `sp` the site's stack pointer, whose top word is a
    /// frameless function's return address.
    unsafe fn caller(&self) -> (usize, usize) {
        // SAFETY: guaranteed by the caller.
        unsafe {
            match self.site.kind {
                SiteKind::Adapter => (word(self.fp + 8), word(self.fp)),
                _ if self.table.frameless => (word(self.sp), self.fp),
                _ => (word(self.fp + 8), word(self.fp)),
            }
        }
    }
}

/// Visit the compiled frames that called the origin's, innermost first,
/// each with the call it is making, out to the entry stub (whose return
/// address is no call site) or until `visit` breaks, with what it breaks
/// with.
///
/// # Safety
/// As for [`walk`]: the origin's frames are live.
unsafe fn for_each_caller<R>(
    code: &crate::traps::CodeLookup,
    origin: &Origin<'_>,
    mut visit: impl FnMut(Frame<'_>, CallSite) -> ControlFlow<R>,
) -> Option<R> {
    // SAFETY: guaranteed by the caller.
    let (mut ret, mut fp) = unsafe { origin.caller() };
    loop {
        let (start, table) = code.at(ret - 1)?;
        let call = table.call((ret - start) as u32)?;
        let at = Frame {
            start,
            table,
            offset: (ret - start) as u32,
            fp,
        };
        if let ControlFlow::Break(r) = visit(at, call) {
            return Some(r);
        }
        // SAFETY: a function that calls keeps a frame; `fp` is its rbp,
        // `[fp]` its caller's and `[fp + 8]` its return address. Callers'
        // frames lie above: a chain that does not rise is broken.
        let caller_fp = unsafe { word(fp) };
        if caller_fp <= fp {
            return None;
        }
        // SAFETY: as above.
        ret = unsafe { word(fp + 8) };
        fp = caller_fp;
    }
}

/// Catch the exception in flight in the first compiled frame, from the
/// origin out to the entry stub, with a clause for it (past the
/// backtrace's frame limit: a handler may be further out). Returns
/// [`wx_core::libcalls::RESUME`] if one does.
///
/// # Safety
/// As for [`walk`]; `vmctx` is an instance's of the store in flight.
unsafe fn find_handler(
    code: &crate::traps::CodeLookup,
    vmctx: *mut VMContext,
    origin: &Origin<'_>,
) -> Option<u32> {
    // SAFETY: guaranteed by the caller.
    let tag = unsafe { pending_tag(vmctx) }?;
    if origin.site.kind == SiteKind::Status {
        let at = Frame {
            start: origin.start,
            table: origin.table,
            offset: (origin.pc - origin.start) as u32,
            fp: origin.fp,
        };
        // SAFETY: a throw's frame is live; `fp` is its rbp.
        if let Some(resume) = unsafe { catch_in(vmctx, at, tag) } {
            return Some(resume);
        }
    }
    // SAFETY: guaranteed by the caller; each frame visited is live.
    unsafe {
        for_each_caller(code, origin, |at, _| match catch_in(vmctx, at, tag) {
            Some(resume) => ControlFlow::Break(resume),
            None => ControlFlow::Continue(()),
        })
    }
}

/// The tag of the exception in flight in `vmctx`'s store.
///
/// # Safety
/// `vmctx` is a live instance's.
unsafe fn pending_tag(vmctx: *mut VMContext) -> Option<*const TagInstance> {
    // SAFETY: guaranteed by the caller.
    let heap = unsafe { exception::heap(vmctx) };
    heap.get(heap.pending).map(|o| o.tag)
}

/// A compiled frame where an exception passes: its function's code (at
/// `start`), the code offset the exception leaves at, and its rbp.
struct Frame<'a> {
    start: usize,
    table: &'a FrameTable,
    offset: u32,
    fp: usize,
}

/// Catch the exception in flight (of tag `tag`) in frame `at`, if a
/// clause of the scope there catches it: its payload and reference go to
/// the frame (see [`Handlers::frame_size`]) and the trap exit is told to
/// resume at the clause's pad with the frame's rbp.
///
/// # Safety
/// `at.fp` is the live frame pointer of a compiled frame of `at.table`'s
/// function, between the trap exit and the innermost entry stub; `vmctx`
/// is an instance's of the same store.
unsafe fn catch_in(vmctx: *mut VMContext, at: Frame<'_>, tag: *const TagInstance) -> Option<u32> {
    let handlers = at.table.handlers.as_deref()?;
    // SAFETY (the frame's words): a function with handlers keeps its
    // VMContext at `[fp - 8]` and an outgoing area of at least its largest
    // payload plus one word at `fp - frame_size`, which no live frame uses
    // (the callees' frames below it are being dropped). Its instance is
    // live while its code runs, and the store's heap and limits with it.
    unsafe {
        let frame_vmctx = word(at.fp - 8) as *mut VMContext;
        let tags = &(*(*frame_vmctx).instance).tags;
        let clause = handlers.find(at.offset, |t| {
            tags.get(t as usize).is_some_and(|&t| std::ptr::eq(t, tag))
        })?;
        let heap = exception::heap(vmctx);
        let exn = heap.pending;
        let area = at.fp - handlers.frame_size as usize;
        if clause.tag != wx_jit::ir::CATCH_ALL {
            if let Some(obj) = heap.get(exn) {
                let payload = (area + 8) as *mut u64;
                std::ptr::copy_nonoverlapping(obj.values.as_ptr(), payload, obj.values.len());
            }
        }
        (area as *mut u64).write(exn);
        heap.catch_pending(exception::Catch::of(clause.legacy, clause.keeps_ref));
        let limits = &mut *(*vmctx).limits;
        limits.resume_pc = at.start + clause.pad as usize;
        limits.resume_fp = at.fp;
    }
    // Frames an interpreted callee recorded are no trap's.
    backtrace::begin();
    Some(wx_core::libcalls::RESUME)
}
