//! Functions compiled code calls for work it leaves to the runtime.
//!
//! Each takes the calling instance's VMContext first and uses the C ABI, so
//! JIT code can call it by address; the index immediates of the operator
//! (memory, table, segment) come next, then its operands. They do the work
//! through the same [`Instance`] operations the interpreter uses.
//!
//! Those that can trap return a status: 0, or a [`TrapCode`] as u32, which
//! compiled code returns from the function like any other trap.
//!
//! Every function here requires (the `# Safety` of each): `vmctx` is a live
//! instance's context, called on the thread that owns its store, and the
//! indices are valid for the instance's module (guaranteed by validation).
//! Compiled code runs on the store's thread, so while a libcall runs no
//! other reference to the instance is in use.

use crate::instance::Instance;
use crate::trap::TrapCode;
use crate::vm::VMContext;

/// The instance behind `vmctx`.
///
/// # Safety
/// As for every libcall (see the module documentation).
unsafe fn instance<'a>(vmctx: *mut VMContext) -> &'a mut Instance {
    // SAFETY: guaranteed by the caller.
    unsafe { &mut *(*vmctx).instance }
}

fn status(r: Result<(), TrapCode>) -> u32 {
    match r {
        Ok(()) => 0,
        Err(code) => code as u32,
    }
}

/// `memory.grow` on memory 0: the old size in pages, or -1 (as u32), in
/// the high half; a status in the low half (the store's limiter may trap).
///
/// # Safety
/// See the module documentation; the instance has a memory 0.
pub unsafe extern "C" fn memory_grow(vmctx: *mut VMContext, delta: u32) -> u64 {
    // SAFETY: guaranteed by the caller.
    status_and_value(
        unsafe { instance(vmctx) }
            .memory_grow_limited(0, delta)
            .map(|r| r as u32),
    )
}

/// `memory.fill`: a status.
///
/// # Safety
/// See the module documentation.
pub unsafe extern "C" fn memory_fill(
    vmctx: *mut VMContext,
    mem: u32,
    dst: u32,
    value: u32,
    len: u32,
) -> u32 {
    // SAFETY: guaranteed by the caller.
    status(unsafe { instance(vmctx) }.memory_fill(mem, dst, value as u8, len))
}

/// `memory.copy`: a status.
///
/// # Safety
/// See the module documentation.
pub unsafe extern "C" fn memory_copy(
    vmctx: *mut VMContext,
    dst_mem: u32,
    src_mem: u32,
    dst: u32,
    src: u32,
    len: u32,
) -> u32 {
    // SAFETY: guaranteed by the caller.
    status(unsafe { instance(vmctx) }.memory_copy(dst_mem, src_mem, dst, src, len))
}

/// `memory.init`: a status.
///
/// # Safety
/// See the module documentation.
pub unsafe extern "C" fn memory_init(
    vmctx: *mut VMContext,
    mem: u32,
    data: u32,
    dst: u32,
    src: u32,
    len: u32,
) -> u32 {
    // SAFETY: guaranteed by the caller.
    status(unsafe { instance(vmctx) }.memory_init(mem, data, dst, src, len))
}

/// `data.drop`.
///
/// # Safety
/// See the module documentation.
pub unsafe extern "C" fn data_drop(vmctx: *mut VMContext, data: u32) {
    // SAFETY: guaranteed by the caller.
    unsafe { instance(vmctx) }.data_drop(data)
}

/// `table.grow`: the old size, or -1 (as u32), in the high half; a status
/// in the low half (the store's limiter may trap).
///
/// # Safety
/// See the module documentation; `init` is a reference of the table's type.
pub unsafe extern "C" fn table_grow(
    vmctx: *mut VMContext,
    table: u32,
    init: u64,
    delta: u32,
) -> u64 {
    // SAFETY: guaranteed by the caller.
    status_and_value(
        unsafe { instance(vmctx) }
            .table_grow_limited(table, delta, init)
            .map(|r| r as u32),
    )
}

/// `table.fill`: a status.
///
/// # Safety
/// See the module documentation; `value` is a reference of the table's type.
pub unsafe extern "C" fn table_fill(
    vmctx: *mut VMContext,
    table: u32,
    dst: u32,
    value: u64,
    len: u32,
) -> u32 {
    // SAFETY: guaranteed by the caller.
    status(
        unsafe { instance(vmctx) }
            .table(table)
            .fill(dst, value, len),
    )
}

/// `table.copy`: a status.
///
/// # Safety
/// See the module documentation.
pub unsafe extern "C" fn table_copy(
    vmctx: *mut VMContext,
    dst_table: u32,
    src_table: u32,
    dst: u32,
    src: u32,
    len: u32,
) -> u32 {
    // SAFETY: guaranteed by the caller.
    status(unsafe { instance(vmctx) }.table_copy(dst_table, src_table, dst, src, len))
}

/// `table.init`: a status.
///
/// # Safety
/// See the module documentation.
pub unsafe extern "C" fn table_init(
    vmctx: *mut VMContext,
    table: u32,
    elem: u32,
    dst: u32,
    src: u32,
    len: u32,
) -> u32 {
    // SAFETY: guaranteed by the caller.
    status(unsafe { instance(vmctx) }.table_init(table, elem, dst, src, len))
}

/// `elem.drop`.
///
/// # Safety
/// See the module documentation.
pub unsafe extern "C" fn elem_drop(vmctx: *mut VMContext, elem: u32) {
    // SAFETY: guaranteed by the caller.
    unsafe { instance(vmctx) }.elem_drop(elem)
}

/// `throw` of a new exception of tag `tag` (an index in the instance)
/// whose payload is the `len` cells at `values`: always the exception
/// status.
///
/// # Safety
/// See the module documentation; `values` points to `len` cells.
pub unsafe extern "C" fn throw(
    vmctx: *mut VMContext,
    tag: u32,
    values: *const u64,
    len: u32,
) -> u32 {
    // SAFETY: guaranteed by the caller.
    unsafe {
        let payload = std::slice::from_raw_parts(values, len as usize);
        crate::exception::throw_new(vmctx, tag, payload) as u32
    }
}

/// `throw_ref`: the exception status, or a trap for a null reference.
///
/// # Safety
/// See the module documentation; `exn` is null or a live exception of the store.
pub unsafe extern "C" fn throw_ref(vmctx: *mut VMContext, exn: u64) -> u32 {
    // SAFETY: guaranteed by the caller.
    unsafe { crate::exception::throw_ref(vmctx, exn) as u32 }
}

/// A status (low half) and a value (high half) in one return register.
fn status_and_value(r: Result<u32, TrapCode>) -> u64 {
    match r {
        Ok(v) => (v as u64) << 32,
        Err(code) => code as u64,
    }
}

/// `memory.atomic.wait32/64` on memory 0 (`width` 2 or 3): the result
/// (0 woken, 1 not equal, 2 timed out) in the high half, a status in the
/// low half.
///
/// # Safety
/// See the module documentation; the instance has a memory 0.
pub unsafe extern "C" fn atomic_wait(
    vmctx: *mut VMContext,
    offset: u32,
    width: u32,
    addr: u32,
    expected: u64,
    timeout: u64,
) -> u64 {
    // SAFETY: guaranteed by the caller; memory 0 is live with the instance.
    let mem = unsafe { &*instance(vmctx).memories[0] };
    let width = crate::atomics::Width::from_u32(width);
    // SAFETY: the memory is live; other threads reach it only by atomics.
    status_and_value(unsafe {
        crate::atomics::wait(mem, addr, offset, width, expected, timeout as i64)
    })
}

/// `memory.atomic.notify` on memory 0: the waiters woken in the high half,
/// a status in the low half.
///
/// # Safety
/// See the module documentation; the instance has a memory 0.
pub unsafe extern "C" fn atomic_notify(
    vmctx: *mut VMContext,
    offset: u32,
    addr: u32,
    count: u32,
) -> u64 {
    // SAFETY: guaranteed by the caller; memory 0 is live with the instance.
    let mem = unsafe { &*instance(vmctx).memories[0] };
    // SAFETY: as for `atomic_wait`.
    status_and_value(unsafe { crate::atomics::notify(mem, addr, offset, count) })
}

/// What [`trap_exit`] returns when a compiled frame catches the exception
/// in flight: the exit jumps to the `VMLimits::resume_pc` landing pad with
/// `resume_fp` as its frame pointer instead of unwinding.
pub const RESUME: u32 = u32::MAX;

/// Where every trap in compiled code goes before it unwinds to the entry
/// stub: `pc` identifies the site (the faulting instruction, or the return
/// address of the per-site call to the trap exit), `sp` and `fp` are the
/// stack and frame pointers there, `status` is the code a callee or a
/// libcall returned (for sites that pass one on). Walks the compiled
/// frames into the pending backtrace and returns the trap code, or
/// [`RESUME`] if one of them catches the exception.
///
/// # Safety
/// See the module documentation; `sp` and `fp` are the live stack and
/// frame pointers of the compiled code at the site.
pub unsafe extern "C" fn trap_exit(
    vmctx: *mut VMContext,
    pc: usize,
    sp: usize,
    fp: usize,
    status: u32,
) -> u32 {
    match crate::backtrace::jit_walker() {
        // SAFETY: forwarded from the caller.
        Some(walk) => unsafe { walk(vmctx, pc, sp, fp, status) },
        None => crate::backtrace::trap_code_of(status),
    }
}

/// An epoch check (at a function entry or loop header) found the store's
/// deadline reached: 0 to go on (the store's `on_deadline` moved the
/// deadline), or a trap status. Interpreted code calls it too.
///
/// # Safety
/// See the module documentation.
pub unsafe extern "C" fn epoch_interrupt(vmctx: *mut VMContext) -> u32 {
    // SAFETY: guaranteed by the caller; the limits belong to the store,
    // which outlives its instances. No reference to them is held while
    // the hook runs (it may move the deadline through the store).
    unsafe {
        let limits = (*vmctx).limits;
        if !(*limits).epoch_reached() {
            return 0;
        }
        match (*limits).on_deadline {
            Some(hook) => hook((*vmctx).store),
            None => TrapCode::Interrupt as u32,
        }
    }
}
