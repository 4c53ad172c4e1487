//! The VM data layout shared by the interpreter and JIT code.
//!
//! Everything here is `#[repr(C)]` because JIT code reads it at fixed offsets.
//!
//! ```text
//! VMContext (one per instance)           VMFuncRef (one per function: the entry slot)
//! +----------------------------+         +-----------------------------+
//! | magic                      |         | wasm_call   native entry    |  <- atomic; tier-up swaps it
//! | limits   -> VMLimits       |         | array_call  (self, caller,  |
//! | memory0  -> VMMemory       |         |             values, len)    |
//! | memories -> [*VMMemory]    |         | vmctx       owner instance  |
//! | tables   -> [*VMTable]     |         | sig         canonical id    |
//! | globals  -> [*VMGlobal]    |         | func_index  | kind          |
//! | funcs    -> [*VMFuncRef]   |         +-----------------------------+
//! | instance -> Instance       |
//! | store    -> runtime store  |   funcref values are `*const VMFuncRef` (0 = null)
//! +----------------------------+
//! ```
//!
//! `values` of the array calling convention is an array of `max(params, results)`
//! 64-bit cells: arguments on entry, results on return. Every value is stored
//! as raw bits in a u64: i32/f32 in the low 32 bits, references as pointers or
//! ids, 0 being null.

use crate::sig::SigId;
use std::sync::atomic::{AtomicPtr, AtomicU64};

/// Magic value at the head of every VMContext (helps catch mix-ups in debug builds).
pub const VMCONTEXT_MAGIC: u32 = u32::from_le_bytes(*b"wxvm");

/// The array calling convention, used for host<->wasm transitions.
///
/// `callee` is the entry slot being called (so one stub can serve many
/// functions). Returns 0 on success, otherwise a [`crate::TrapCode`] as u32.
pub type ArrayCall = unsafe extern "C" fn(
    callee: *const VMFuncRef,
    caller_vmctx: *mut VMContext,
    values: *mut u64,
    len: usize,
) -> u32;

/// A linear memory as code sees it. `base` never changes; `len` grows.
#[repr(C)]
#[derive(Debug)]
pub struct VMMemory {
    pub base: *mut u8,
    /// Accessible bytes.
    pub len: usize,
}

/// A table as code sees it: `len` raw references at `base` (may move on grow).
#[repr(C)]
#[derive(Debug)]
pub struct VMTable {
    pub base: *mut u64,
    pub len: u32,
}

/// A global's storage: raw bits.
#[repr(C)]
#[derive(Debug, Default)]
pub struct VMGlobal {
    pub bits: u64,
}

/// Per-store cells compiled code reads and writes through every
/// VMContext of the store.
#[repr(C)]
#[derive(Debug)]
pub struct VMLimits {
    /// Lowest native stack address JIT code may use (0 = no limit); set
    /// when the host enters wasm.
    pub stack_limit: usize,
    /// The stack pointer of the innermost entry stub's trap landing on this
    /// store (0 = none): where a trap in compiled code unwinds to. Each
    /// entry stub saves the previous value and restores it on the way out.
    pub entry_sp: usize,
    /// The store's exceptions (never null for a store's limits).
    pub exns: *mut crate::exception::ExnHeap,
    /// Where the trap exit resumes when a compiled frame catches the
    /// exception in flight ([`crate::libcalls::RESUME`]): the landing
    /// pad's address and that frame's frame pointer.
    pub resume_pc: usize,
    pub resume_fp: usize,
    /// The engine's epoch counter, which a host thread increments (see
    /// [`crate::libcalls::epoch_interrupt`]); null when the engine does
    /// not check epochs.
    pub epoch: *const AtomicU64,
    /// The epoch at which code of this store stops: checks at function
    /// entries and loop headers compare `*epoch` with it.
    pub epoch_deadline: u64,
    /// What the store does at its deadline, given the store (a
    /// VMContext's `store`): 0 to go on (having moved the deadline), or a
    /// trap code. `None`: trap with [`crate::TrapCode::Interrupt`].
    pub on_deadline: Option<unsafe fn(*mut u8) -> u32>,
    /// The store's resource limiter, given the store and a growth of one
    /// of its memories or tables (see [`crate::instance::Instance::memory_grow_limited`]);
    /// `None`: every growth within the maximum is allowed.
    pub limiter: Option<unsafe fn(*mut u8, Growth) -> Verdict>,
    /// The store's fuel left, when its engine meters fuel: every function
    /// entry and every arrival at a loop header (entering the loop or
    /// going round again) takes one unit, on every tier; code that finds
    /// it negative after taking its unit traps with
    /// [`crate::TrapCode::OutOfFuel`].
    pub fuel: i64,
}

/// A growth a store's limiter is asked about: a memory's size in bytes or
/// a table's in elements, from `current` to `desired`, below `maximum`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Growth {
    pub table: bool,
    pub current: usize,
    pub desired: usize,
    pub maximum: Option<usize>,
}

impl Growth {
    /// The verdict of a store's `limiter` (its `VMLimits::limiter`) on
    /// this growth of `store`'s memory or table: growing by nothing, or
    /// without a limiter, is allowed.
    ///
    /// # Safety
    /// `store` is the live store the limiter was installed for, on its
    /// thread, with no other reference to it in use while it runs.
    pub unsafe fn ask(
        self,
        limiter: Option<unsafe fn(*mut u8, Growth) -> Verdict>,
        store: *mut u8,
    ) -> Verdict {
        match limiter {
            // SAFETY: guaranteed by the caller.
            Some(limiter) if self.desired > self.current => unsafe { limiter(store, self) },
            _ => Verdict::Allow,
        }
    }
}

/// A limiter's answer: grow, refuse (`memory.grow` and `table.grow` return
/// -1), or trap.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Verdict {
    Allow,
    Deny,
    Trap(crate::TrapCode),
}

impl Default for VMLimits {
    fn default() -> Self {
        VMLimits {
            stack_limit: 0,
            entry_sp: 0,
            exns: std::ptr::null_mut(),
            resume_pc: 0,
            resume_fp: 0,
            epoch: std::ptr::null(),
            epoch_deadline: u64::MAX,
            on_deadline: None,
            limiter: None,
            fuel: 0,
        }
    }
}

impl VMLimits {
    /// Take one unit of fuel; whether that overdrew it.
    #[inline]
    pub fn take_fuel(&mut self) -> bool {
        self.fuel -= 1;
        self.fuel < 0
    }

    /// Whether the epoch has reached the deadline (never when the
    /// engine does not check epochs).
    #[inline]
    pub fn epoch_reached(&self) -> bool {
        // SAFETY: a non-null `epoch` points at the engine's counter, which
        // outlives every store of the engine.
        !self.epoch.is_null()
            && unsafe { &*self.epoch }.load(std::sync::atomic::Ordering::Relaxed)
                >= self.epoch_deadline
    }
}

/// Is a function wasm code of some instance, or a host function?
#[repr(u32)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FuncKind {
    Wasm = 0,
    Host = 1,
}

/// A function's entry slot, and what a funcref points to.
#[repr(C)]
#[derive(Debug)]
pub struct VMFuncRef {
    /// Native-ABI entry point; null while no native entry exists.
    pub wasm_call: AtomicPtr<u8>,
    pub array_call: ArrayCall,
    /// For wasm functions the owning instance's context; for host functions
    /// a pointer to the runtime's host function record.
    pub vmctx: *mut VMContext,
    pub sig: SigId,
    /// For wasm functions: index in the owner's function index space.
    pub func_index: u32,
    pub kind: FuncKind,
}

/// Per-instance context: the root pointer every piece of code receives.
#[repr(C)]
#[derive(Debug)]
pub struct VMContext {
    pub magic: u32,
    /// The store's limits cells; never null for an instance of a store.
    pub limits: *mut VMLimits,
    /// Memory 0, or null when the module has no memory.
    pub memory0: *mut VMMemory,
    pub memories: *const *mut VMMemory,
    pub tables: *const *mut VMTable,
    pub globals: *const *mut VMGlobal,
    pub funcs: *const *const VMFuncRef,
    /// The instance's own functions' references, in order (`funcs` points
    /// at these past the imports): a direct call reads its callee's entry
    /// at a fixed offset from here, one load fewer than through `funcs`.
    pub defined_funcs: *const VMFuncRef,
    pub instance: *mut crate::instance::Instance,
    /// The runtime's store (opaque here).
    pub store: *mut u8,
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::mem::{offset_of, size_of};

    /// JIT code hard-codes these offsets; changing them is an ABI change.
    #[test]
    fn layout_is_pinned() {
        assert_eq!(size_of::<VMMemory>(), 16);
        assert_eq!(offset_of!(VMMemory, len), 8);
        assert_eq!(offset_of!(VMFuncRef, wasm_call), 0);
        assert_eq!(offset_of!(VMFuncRef, array_call), 8);
        assert_eq!(offset_of!(VMFuncRef, vmctx), 16);
        assert_eq!(offset_of!(VMFuncRef, sig), 24);
        assert_eq!(offset_of!(VMContext, limits), 8);
        assert_eq!(offset_of!(VMLimits, stack_limit), 0);
        assert_eq!(offset_of!(VMLimits, entry_sp), 8);
        assert_eq!(offset_of!(VMContext, memory0), 16);
    }
}
