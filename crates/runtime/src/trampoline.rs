//! The array-call entry of interpreted functions: host -> interpreter.

use crate::store::{StoreOpaque, MAX_REENTRY};
use std::panic::{catch_unwind, AssertUnwindSafe};
use wx_core::vm::VMFuncRef;
use wx_core::TrapCode;

/// Native stack an interpreter entry must find free: what its handlers may
/// use before unwinding to their driver, plus the driver and this trampoline.
const ENTRY_STACK: usize = 320 * 1024;

/// Whether the native stack has room for one more interpreter entry. Mixed
/// tiers nest entries (interpreter -> compiled -> interpreter ...), so the
/// limit is the thread's stack where it is known, else a fixed count.
fn room_for_entry(s: &StoreOpaque) -> bool {
    let stack_limit = s.vm_limits.stack_limit;
    if stack_limit == 0 {
        return s.depth < MAX_REENTRY;
    }
    let probe = 0u8;
    let sp = std::hint::black_box(&probe) as *const u8 as usize;
    sp >= stack_limit.saturating_add(ENTRY_STACK)
}

/// Enter the interpreter to run the wasm function `callee`.
///
/// Each entry takes its own interpreter stack from the store's pool, so a
/// host function called from wasm can call back into wasm.
pub(crate) unsafe extern "C" fn interp_array_call(
    callee: *const VMFuncRef,
    _caller_vmctx: *mut wx_core::vm::VMContext,
    values: *mut u64,
    len: usize,
) -> u32 {
    // SAFETY: a wasm entry slot's vmctx is its instance's, whose `store`
    // field points to the owning store's `StoreOpaque`.
    let store = unsafe { (*(*callee).vmctx).store.cast::<StoreOpaque>() };
    let mut stack = {
        // SAFETY: no other reference to the store is live across this block.
        let s = unsafe { &mut *store };
        if !room_for_entry(s) {
            wx_core::backtrace::begin();
            return TrapCode::StackOverflow as u32;
        }
        s.depth += 1;
        let limits = s.stack_limits();
        s.stacks
            .pop()
            .unwrap_or_else(|| wx_interp::Stack::new(limits))
    };
    let result = catch_unwind(AssertUnwindSafe(|| {
        // SAFETY: `values` has `len` cells (array convention); the store
        // guarantees the instance data behind `callee` is live.
        unsafe {
            wx_interp::invoke(
                &mut stack,
                callee,
                std::slice::from_raw_parts_mut(values, len),
            )
        }
    }));
    // SAFETY: the interpreter has returned; exclusive access again.
    let s = unsafe { &mut *store };
    s.depth -= 1;
    s.stacks.push(stack);
    match result {
        Ok(Ok(())) => 0,
        Ok(Err(code)) => code as u32,
        Err(panic) => {
            s.pending_panic = Some(panic);
            TrapCode::HostError as u32
        }
    }
}
