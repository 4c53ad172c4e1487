//! The interpreter: threaded handlers over the slot bytecode.
//!
//! Frames live in one growable array of 64-bit slots ([`Stack::values`]); a
//! call places the callee's frame at the caller's argument slots, so arguments
//! are never copied and results land where the caller expects them. Calls
//! between interpreted functions never recurse on the native stack: the loop
//! pushes a [`Frame`] record and switches state. Host functions (and, later,
//! compiled code) are entered through their entry slot's array call.
//!
//! Safety argument for the hot loop: the translator only names slots below the
//! function's `frame_size`, and every frame is allocated with at least that many
//! slots before it runs; branch offsets stay within the function's code;
//! memory and table accesses are bounds-checked explicitly.

mod atomics;
mod control;
mod data;
pub(crate) mod dispatch;
mod exceptions;
mod float;
pub(crate) mod lower;
mod memory;
mod numeric;

use crate::code::{FuncCode, ModuleCode};
use crate::tier::{self, Hot};
use dispatch::Instr;
use std::ptr;
use wx_core::instance::Instance;
use wx_core::vm::{FuncKind, VMFuncRef, VMLimits, VMMemory};
use wx_core::TrapCode;

/// Limits for one interpreter stack.
#[derive(Clone, Copy, Debug)]
pub struct StackLimits {
    /// Most wasm frames live at once; deeper recursion traps with "call stack exhausted".
    pub max_frames: usize,
    /// Most 64-bit value slots (all frames together).
    pub max_values: usize,
}

impl Default for StackLimits {
    fn default() -> Self {
        StackLimits {
            max_frames: 100_000,
            max_values: 16 << 20,
        }
    }
}

/// A caller's state, saved while its callee runs.
#[derive(Clone, Copy)]
pub(crate) struct Frame {
    code: *const FuncCode,
    module_code: *const ModuleCode,
    instance: *mut Instance,
    /// Where the caller resumes.
    ip: *const Instr,
    /// The caller's frame base (slot index in `values`).
    base: usize,
}

/// An interpreter stack: value slots and saved frames.
pub struct Stack {
    pub(crate) values: Vec<u64>,
    pub(crate) frames: Vec<Frame>,
    pub(crate) limits: StackLimits,
}

impl Stack {
    pub fn new(limits: StackLimits) -> Stack {
        Stack {
            values: vec![0; 256],
            frames: Vec::new(),
            limits,
        }
    }

    /// Make sure slots `[0, needed)` exist.
    pub(crate) fn reserve(&mut self, needed: usize) -> Result<(), TrapCode> {
        if needed <= self.values.len() {
            return Ok(());
        }
        if needed > self.limits.max_values {
            return Err(TrapCode::StackOverflow);
        }
        let new_len = needed
            .next_power_of_two()
            .min(self.limits.max_values)
            .max(needed);
        self.values.resize(new_len, 0);
        Ok(())
    }
}

/// The interpreter's per-module code of `instance`.
///
/// # Safety
/// `instance` must be a live instance created by the runtime, whose `code`
/// is a [`ModuleCode`].
pub(crate) unsafe fn module_code_of(
    instance: *const Instance,
) -> Result<*const ModuleCode, TrapCode> {
    // SAFETY: guaranteed by the caller.
    let code = unsafe { &(&*instance).code };
    code.downcast_ref::<ModuleCode>()
        .map(|c| c as *const ModuleCode)
        .ok_or(TrapCode::Internal)
}

/// The executor's state while a wasm entry runs. Handlers keep the hot
/// values (instruction pointer, frame pointer, memory base and length) in
/// registers and the rest here.
pub struct Cx {
    pub(crate) stack: *mut Stack,
    pub(crate) code: *const FuncCode,
    pub(crate) module_code: *const ModuleCode,
    pub(crate) instance: *mut Instance,
    /// Memory 0 of `instance`, or null.
    pub(crate) vm_mem: *mut VMMemory,
    /// The current frame's base slot index in `stack.values`.
    pub(crate) base: usize,
    /// `stack.frames.len()` when this entry started.
    pub(crate) entry_depth: usize,
    /// Lowest native stack pointer handlers may reach before returning to the driver.
    pub(crate) native_floor: usize,
    /// Where to resume when a handler returns `Flow::Continue`.
    pub(crate) ip: *const Instr,
    pub(crate) sp: *mut u64,
    /// Set with every trap: the instruction that trapped or made the call
    /// that did, and where the trap came from (for the backtrace).
    pub(crate) trap_ip: *const Instr,
    pub(crate) trap: TrapOrigin,
    /// The store's limits when its engine checks epochs, else null: calls
    /// and loop iterations then check the deadline.
    pub(crate) epoch_limits: *const VMLimits,
    /// The store's limits when its engine meters fuel, else null: calls
    /// and loop iterations then take a unit each.
    pub(crate) fuel_limits: *mut VMLimits,
}

/// Take a unit of the store's fuel at a call or loop iteration, if it is
/// metered: the trap if that overdraws it.
#[inline(always)]
pub(crate) fn fuel_out(cx: &Cx) -> Option<TrapCode> {
    // SAFETY: non-null, `fuel_limits` points at the limits of the store
    // running this code, used by nothing else while this handler runs.
    (!cx.fuel_limits.is_null() && unsafe { &mut *cx.fuel_limits }.take_fuel())
        .then_some(TrapCode::OutOfFuel)
}

/// Whether the store's epoch deadline stops the code at a call or loop
/// iteration: the trap, unless the store's `on_deadline` moves the
/// deadline (see [`wx_core::libcalls::epoch_interrupt`]).
#[inline(always)]
pub(crate) fn epoch_due(cx: &Cx) -> Option<TrapCode> {
    // SAFETY: non-null, `epoch_limits` points at the limits of the store
    // running this code, which outlive it.
    if cx.epoch_limits.is_null() || !unsafe { &*cx.epoch_limits }.epoch_reached() {
        return None;
    }
    epoch_deadline(cx)
}

#[cold]
#[inline(never)]
fn epoch_deadline(cx: &Cx) -> Option<TrapCode> {
    // SAFETY: the running instance is live, on its store's thread.
    let rc = unsafe { wx_core::libcalls::epoch_interrupt((*cx.instance).vmctx()) };
    TrapCode::from_u32(rc)
}

/// Where a trap the interpreter reports started.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum TrapOrigin {
    /// At `trap_ip`: the backtrace starts here.
    Here,
    /// In a callee called at `trap_ip` (host or compiled code), which
    /// recorded its own frames.
    Callee,
    /// After the running frame was replaced: by the compiled code the call
    /// moved to (OSR), which recorded this call's frame, or by a callee it
    /// tail-called through its entry slot. Either way the frame is gone:
    /// neither the backtrace nor a handler search sees it.
    Replaced,
}

/// Memory 0's base and length, or (null, 0).
///
/// # Safety
/// `vm` is null or points to a live `VMMemory`.
#[inline(always)]
pub(crate) unsafe fn mem_view(vm: *mut VMMemory) -> (*mut u8, usize) {
    if vm.is_null() {
        (ptr::null_mut(), 0)
    } else {
        // SAFETY: non-null memories are live (guaranteed by the caller).
        unsafe { ((*vm).base, (*vm).len) }
    }
}

/// The memory 0 of an instance.
///
/// # Safety
/// `instance` must be live.
#[inline(always)]
pub(crate) unsafe fn memory0(instance: *mut Instance) -> *mut VMMemory {
    // SAFETY: guaranteed by the caller.
    unsafe { (*(&*instance).vmctx()).memory0 }
}

/// Run wasm function `func` with `values` holding the arguments; on success
/// `values` holds the results.
///
/// # Safety
/// `func` must be a wasm function's entry slot in a live store whose
/// instances' `code` are [`ModuleCode`]s, and `values` must be at least
/// `max(params, results)` long.
pub unsafe fn invoke(
    stack: &mut Stack,
    func: *const VMFuncRef,
    values: &mut [u64],
) -> Result<(), TrapCode> {
    let entry_depth = stack.frames.len();
    // SAFETY: forwarded from the caller.
    let r = unsafe { invoke_inner(stack, func, values) };

    stack.frames.truncate(entry_depth);
    r
}

unsafe fn invoke_inner(
    stack: &mut Stack,
    func: *const VMFuncRef,
    values: &mut [u64],
) -> Result<(), TrapCode> {
    // SAFETY: the caller guarantees `func` is a live wasm entry slot.
    let (instance, module_code, code) = unsafe {
        let f = &*func;
        debug_assert_eq!(f.kind, FuncKind::Wasm);
        let instance = (*f.vmctx).instance;
        let module_code = starts_trace(module_code_of(instance))?;
        let def = f.func_index - (&*instance).module.num_imported_funcs;
        let code = starts_trace(
            (&*module_code)
                .get_or_translate(def)
                .map_err(|_| TrapCode::Internal),
        )? as *const FuncCode;
        (instance, module_code, code)
    };
    // SAFETY: `code` points into `module_code`, kept alive by the instance.
    let c = unsafe { &*code };
    // Each stack serves one entry at a time (the runtime keeps a pool for
    // host -> wasm re-entry), so the entry frame starts at slot 0.
    debug_assert!(stack.frames.is_empty());
    starts_trace(stack.reserve(c.frame_size as usize))?;
    let np = c.num_params as usize;
    stack.values[..np].copy_from_slice(&values[..np]);
    // SAFETY: the stack holds at least `frame_size` slots (reserved above).
    unsafe { c.init_frame(stack.values.as_mut_ptr()) };
    if c.count_call() {
        // SAFETY: all three are live (see above).
        unsafe { tier::report(module_code, instance, code, Hot::Calls(c.call_count())) };
    }
    // SAFETY: the instance is live; its limits belong to its store.
    let (interrupts, limits) = unsafe {
        (
            (&*instance).module.interrupts,
            (*(*instance).vmctx()).limits,
        )
    };
    let mut cx = Cx {
        stack,
        code,
        module_code,
        instance,
        // SAFETY: the instance is live.
        vm_mem: unsafe { memory0(instance) },
        base: 0,
        entry_depth: 0,
        native_floor: dispatch::native_sp().saturating_sub(dispatch::NATIVE_STACK_BUDGET),
        ip: c.instrs.as_ptr(),
        sp: ptr::null_mut(),
        trap_ip: ptr::null(),
        trap: TrapOrigin::Here,
        fuel_limits: if interrupts.fuel {
            limits
        } else {
            ptr::null_mut()
        },
        epoch_limits: if interrupts.epoch {
            limits
        } else {
            ptr::null()
        },
    };
    if let Some(code) = epoch_due(&cx).or_else(|| fuel_out(&cx)) {
        return starts_trace(Err(code));
    }
    // SAFETY: the frame at slot 0 holds `frame_size` initialised slots.
    unsafe {
        cx.sp = (*cx.stack).values.as_mut_ptr();
        run(&mut cx)?;
    }
    let nr = c.num_results as usize;
    // SAFETY: `cx.stack` is `stack`, no longer used by the executor.
    let values_out = unsafe { &(*cx.stack).values };
    values[..nr].copy_from_slice(&values_out[..nr]);
    Ok(())
}

/// A failure before the entry's first instruction starts the backtrace
/// (with no frame of this entry).
fn starts_trace<T>(r: Result<T, TrapCode>) -> Result<T, TrapCode> {
    if r.is_err() {
        wx_core::backtrace::begin();
    }
    r
}

/// The driver: runs handlers until the entry function returns. In tail
/// dispatch mode it is re-entered only when a handler unwinds the native stack.
///
/// # Safety
/// `cx` must describe a frame set up as in `invoke_inner`.
unsafe fn run(cx: &mut Cx) -> Result<(), TrapCode> {
    loop {
        let ip = cx.ip;
        // SAFETY: `cx.ip` is an instruction of the running function and
        // `cx.vm_mem` is null or the live memory 0 of `cx.instance`.
        let exit = unsafe {
            let (mem, len) = mem_view(cx.vm_mem);
            ((*ip).handler)(ip, cx.sp, mem, len, cx)
        };
        match exit.decode() {
            Ok(true) => return Ok(()),
            Ok(false) => {}
            // SAFETY: `cx` describes the live frames of this entry.
            Err(TrapCode::Exception) if unsafe { exceptions::catch(cx) } => {}
            Err(code) => {
                // SAFETY: `cx` describes the live frames of this entry.
                unsafe { record_backtrace(cx) };
                return Err(code);
            }
        }
    }
}

/// Record the frames of this entry in the pending backtrace (see
/// [`wx_core::backtrace`]): the trapping function's, then its callers'.
///
/// # Safety
/// `cx` describes the live frames of a trapped entry.
unsafe fn record_backtrace(cx: &Cx) {
    use wx_core::backtrace;
    // SAFETY: the entry's code, module code and saved frames are live.
    unsafe {
        if cx.trap == TrapOrigin::Here {
            backtrace::begin();
        }
        if cx.trap != TrapOrigin::Replaced {
            backtrace::push(&(*cx.module_code).module, (*cx.code).offset_of(cx.trap_ip));
        }
        let stack = &*cx.stack;
        for f in stack.frames[cx.entry_depth..].iter().rev() {
            // `ip` is where the caller resumes: the call is just before.
            backtrace::push(
                &(*f.module_code).module,
                (*f.code).offset_of(f.ip.wrapping_sub(1)),
            );
        }
    }
}

/// Count one iteration of loop `counter` (entry or back-edge) of the
/// running function, whose frame is at `sp`. If that makes the function
/// hot and the runtime moves the call to compiled code (OSR), returns that
/// code's status: the caller then returns from the frame (see `osr_return!`).
///
/// # Safety
/// `cx` describes the live frame at `sp`, which is at that loop's header.
#[inline(always)]
pub(crate) unsafe fn count_loop(cx: &Cx, counter: u32, sp: *mut u64) -> Option<u32> {
    // SAFETY: guaranteed by the caller.
    unsafe {
        if (*cx.code).count_loop(counter) {
            tier::loop_hot(cx, counter, sp)
        } else {
            None
        }
    }
}

/// Every handler under its `Op` variant's name, for the lowering.
mod handler_for {
    pub(crate) use super::atomics::*;
    pub(crate) use super::control::*;
    pub(crate) use super::data::*;
    pub(crate) use super::exceptions::*;
    pub(crate) use super::memory::*;
    pub(crate) use super::numeric::*;
}
