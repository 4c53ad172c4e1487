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

use std::sync::Arc;
use wx_core::backtrace;
use wx_core::vm::VMContext;
use wx_core::ModuleInfo;
use wx_jit::{CallSite, SiteKind, TrapSite};

/// What a backtrace needs of one compiled function.
#[derive(Debug)]
pub(crate) struct FrameTable {
    pub module: Arc<ModuleInfo>,
    /// Sorted by `pc`.
    pub sites: Box<[TrapSite]>,
    /// Sorted by `ret`.
    pub calls: Box<[CallSite]>,
    pub frameless: bool,
}

impl FrameTable {
    pub fn new(module: Arc<ModuleInfo>, code: &wx_jit::CompiledCode) -> FrameTable {
        FrameTable {
            module,
            sites: code.sites.clone().into_boxed_slice(),
            calls: code.calls.clone().into_boxed_slice(),
            frameless: code.frameless,
        }
    }

    fn site(&self, pc: u32) -> Option<TrapSite> {
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
    _vmctx: *mut VMContext,
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
    let trap = match site.kind {
        SiteKind::Trap(code) => {
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
    // SAFETY (every `word` below): `fp` is the frame pointer of a live
    // compiled frame with a saved rbp and return address above it (the
    // site's function's, or the adapter's), and `sp` the site's stack
    // pointer, whose top word is a frameless function's return address.
    let (mut ret, mut fp) = unsafe {
        match site.kind {
            SiteKind::Adapter => (word(fp + 8), word(fp)),
            _ => {
                push(&table.module, site.wasm_offset, site.caller_offset);
                if table.frameless {
                    (word(sp), fp)
                } else {
                    (word(fp + 8), word(fp))
                }
            }
        }
    };
    for _ in 0..backtrace::MAX_FRAMES {
        let Some((start, table)) = code.at(ret - 1) else {
            break;
        };
        let Some(call) = table.call((ret - start) as u32) else {
            break; // the entry stub: the activation ends here
        };
        push(&table.module, call.wasm_offset, call.caller_offset);
        // SAFETY: a function that calls keeps a frame; `fp` is its rbp.
        let caller_fp = unsafe { word(fp) };
        if caller_fp <= fp {
            break; // callers' frames lie above: a broken chain ends here
        }
        // SAFETY: as above.
        ret = unsafe { word(fp + 8) };
        fp = caller_fp;
    }
    trap
}
