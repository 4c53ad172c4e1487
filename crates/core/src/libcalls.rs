//! Functions compiled code calls for work it leaves to the runtime.
//!
//! Each takes the calling instance's VMContext first and uses the C ABI, so
//! JIT code can call it by address.

use crate::vm::VMContext;

/// `memory.grow` on memory 0: the old size in pages, or -1 (as u32).
///
/// # Safety
/// `vmctx` must be a live instance's context, with a memory 0.
pub unsafe extern "C" fn memory_grow(vmctx: *mut VMContext, delta: u32) -> u32 {
    // SAFETY: guaranteed by the caller; compiled code runs on the store's
    // thread, so no other reference to the instance is in use.
    unsafe { (*(*vmctx).instance).memory_grow(0, delta) as u32 }
}
