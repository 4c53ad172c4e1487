//! Wasm backtraces of traps, assembled as the trap travels out.
//!
//! A trap leaves wasm code through a chain of activations (interpreter
//! runs, compiled frames, host calls), each of which already hands the
//! trap status to the one outside it. The backtrace follows the same path:
//! where a trap *starts* (a trapping instruction in either tier, a host
//! function failing) the thread's pending backtrace is cleared and the
//! frames of that activation are pushed, innermost first; each activation
//! the status then passes through *appends* its own frames. The embedding
//! API takes the result when the status reaches it ([`take`]).
//!
//! Compiled frames are walked by the runtime, which owns the code
//! registry: it installs its walker with [`set_jit_walker`], and compiled
//! code reaches it through [`crate::libcalls::trap_exit`].

use crate::module::ModuleInfo;
use std::cell::RefCell;
use std::sync::{Arc, OnceLock};

/// One wasm frame: the module, and the byte offset (in the module's
/// binary) of the instruction that trapped or of the call the frame was
/// making.
#[derive(Clone, Debug)]
pub struct RawFrame {
    pub module: Arc<ModuleInfo>,
    pub offset: u32,
}

thread_local! {
    static PENDING: RefCell<Vec<RawFrame>> = const { RefCell::new(Vec::new()) };
}

/// Frames kept per trap: deep recursion (a stack overflow) keeps its
/// innermost frames and drops the rest.
pub const MAX_FRAMES: usize = 1000;

/// A trap starts here: forget any earlier backtrace.
pub fn begin() {
    PENDING.with(|p| p.borrow_mut().clear());
}

/// Append the next frame outwards.
pub fn push(module: &Arc<ModuleInfo>, offset: u32) {
    PENDING.with(|p| {
        let mut p = p.borrow_mut();
        if p.len() < MAX_FRAMES {
            p.push(RawFrame {
                module: module.clone(),
                offset,
            });
        }
    });
}

/// The backtrace assembled so far (innermost frame first), leaving none.
pub fn take() -> Vec<RawFrame> {
    PENDING.with(|p| std::mem::take(&mut *p.borrow_mut()))
}

/// The runtime's walker of compiled frames: given the calling instance's
/// context, the pc identifying the trap or call site (see
/// [`crate::libcalls::trap_exit`]), the stack and frame pointers there and
/// the status in flight, it records the frames and returns the trap code.
pub type JitWalker = unsafe fn(
    vmctx: *mut crate::vm::VMContext,
    pc: usize,
    sp: usize,
    fp: usize,
    status: u32,
) -> u32;

static JIT_WALKER: OnceLock<JitWalker> = OnceLock::new();

/// The trap code a trap exit reports for `status` (the code a callee or
/// libcall returned; 0 when the site had none to pass on, which would be
/// a bug: reported as an internal trap rather than as success).
pub fn trap_code_of(status: u32) -> u32 {
    if status == 0 {
        crate::trap::TrapCode::Internal as u32
    } else {
        status
    }
}

/// Install the walker of compiled frames (once per process; later calls
/// keep the first).
pub fn set_jit_walker(walker: JitWalker) {
    let _ = JIT_WALKER.get_or_init(|| walker);
}

pub(crate) fn jit_walker() -> Option<JitWalker> {
    JIT_WALKER.get().copied()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn traces_restart_and_append() {
        let m = Arc::new(ModuleInfo::new(&[0, b'a', b's', b'm', 1, 0, 0, 0]).unwrap());
        push(&m, 1);
        begin();
        push(&m, 10);
        push(&m, 20);
        let t = take();
        assert_eq!(t.iter().map(|f| f.offset).collect::<Vec<_>>(), [10, 20]);
        assert!(take().is_empty());
        for i in 0..2 * MAX_FRAMES as u32 {
            push(&m, i);
        }
        assert_eq!(take().len(), MAX_FRAMES);
    }
}
