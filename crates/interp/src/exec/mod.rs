//! The interpreter loop.
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

mod float;

use crate::bytecode::Op;
use crate::code::{FuncCode, ModuleCode};
use std::ptr;
use std::sync::atomic::Ordering;
use wx_core::instance::Instance;
use wx_core::vm::{FuncKind, VMFuncRef, VMMemory};
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
struct Frame {
    code: *const FuncCode,
    module_code: *const ModuleCode,
    instance: *mut Instance,
    /// Where the caller resumes.
    pc: *const Op,
    /// The caller's frame base (slot index in `values`).
    base: usize,
}

/// An interpreter stack: value slots and saved frames.
pub struct Stack {
    values: Vec<u64>,
    frames: Vec<Frame>,
    limits: StackLimits,
}

impl Stack {
    pub fn new(limits: StackLimits) -> Stack {
        Stack {
            values: vec![0; 1024],
            frames: Vec::new(),
            limits,
        }
    }

    /// Make sure slots `[0, needed)` exist.
    fn reserve(&mut self, needed: usize) -> Result<(), TrapCode> {
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
unsafe fn module_code_of(instance: *const Instance) -> Result<*const ModuleCode, TrapCode> {
    // SAFETY: guaranteed by the caller.
    let code = unsafe { &(&*instance).code };
    code.downcast_ref::<ModuleCode>()
        .map(|c| c as *const ModuleCode)
        .ok_or(TrapCode::Internal)
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
        let module_code = module_code_of(instance)?;
        let def = f.func_index - (&*instance).module.num_imported_funcs;
        let code = (&*module_code)
            .get_or_translate(def)
            .map_err(|_| TrapCode::Internal)? as *const FuncCode;
        (instance, module_code, code)
    };
    // SAFETY: `code` points into `module_code`, kept alive by the instance.
    let c = unsafe { &*code };
    // Each stack serves one entry at a time (the runtime keeps a pool for
    // host -> wasm re-entry), so the entry frame starts at slot 0.
    debug_assert!(stack.frames.is_empty());
    let base = 0;
    stack.reserve(base + c.frame_size as usize)?;
    let np = c.num_params as usize;
    stack.values[base..base + np].copy_from_slice(&values[..np]);
    stack.values[base + np..base + c.num_locals as usize].fill(0);
    c.count_call();
    // SAFETY: the frame at `base` holds `frame_size` slots, initialised above.
    unsafe { run(stack, code, module_code, instance, base)? };
    let nr = c.num_results as usize;
    values[..nr].copy_from_slice(&stack.values[base..base + nr]);
    Ok(())
}

/// Count one iteration of loop `counter` (entry or back-edge).
#[inline(always)]
fn count_loop(code: &FuncCode, counter: u32) {
    if let Some(c) = code.loops.get(counter as usize) {
        c.store(c.load(Ordering::Relaxed).wrapping_add(1), Ordering::Relaxed);
    }
}

macro_rules! trap {
    ($code:expr) => {
        return Err($code)
    };
}

/// The dispatch loop. Returns when the entry frame returns.
///
/// # Safety
/// See the module documentation; `base` must hold an initialised frame of `code`.
#[allow(clippy::cognitive_complexity)]
unsafe fn run(
    stack: &mut Stack,
    mut code: *const FuncCode,
    mut module_code: *const ModuleCode,
    mut instance: *mut Instance,
    mut base: usize,
) -> Result<(), TrapCode> {
    let entry_depth = stack.frames.len();
    // SAFETY: the whole loop relies on the invariants in the module docs.
    unsafe {
        let mut pc: *const Op = (&*code).ops.as_ptr();
        let mut sp: *mut u64 = stack.values.as_mut_ptr().add(base);
        let mut mem: *mut VMMemory = (*(&*instance).vmctx()).memory0;

        macro_rules! slot {
            ($s:expr) => {
                *sp.add($s as usize)
            };
        }
        macro_rules! r32 {
            ($s:expr) => {
                slot!($s) as u32
            };
        }
        macro_rules! r64 {
            ($s:expr) => {
                slot!($s)
            };
        }
        macro_rules! f32v {
            ($s:expr) => {
                f32::from_bits(r32!($s))
            };
        }
        macro_rules! f64v {
            ($s:expr) => {
                f64::from_bits(r64!($s))
            };
        }
        macro_rules! w32 {
            ($s:expr, $v:expr) => {
                slot!($s) = ($v) as u32 as u64
            };
        }
        macro_rules! w64 {
            ($s:expr, $v:expr) => {
                slot!($s) = ($v) as u64
            };
        }
        macro_rules! wf32 {
            ($s:expr, $v:expr) => {
                slot!($s) = (($v) as f32).to_bits() as u64
            };
        }
        macro_rules! wf64 {
            ($s:expr, $v:expr) => {
                slot!($s) = (($v) as f64).to_bits()
            };
        }
        macro_rules! jump {
            ($offset:expr) => {{
                // `pc` already points past the branch.
                pc = pc.offset($offset as isize - 1);
                if $offset <= 0 {
                    // A back-edge: it lands just after its loop's header,
                    // which names the loop's counter.
                    if let Op::LoopHeader { counter } = *pc.sub(1) {
                        count_loop(&*code, counter);
                    }
                }
            }};
        }
        macro_rules! effective {
            ($addr:expr, $offset:expr, $size:expr) => {{
                let ea = r32!($addr) as u64 + $offset as u64;
                if ea + $size > (*mem).len as u64 {
                    trap!(TrapCode::MemoryOutOfBounds);
                }
                (*mem).base.add(ea as usize)
            }};
        }
        macro_rules! load {
            ($t:ty, $dst:expr, $addr:expr, $offset:expr, $conv:expr) => {{
                let p = effective!($addr, $offset, std::mem::size_of::<$t>() as u64);
                let v = <$t>::from_le(ptr::read_unaligned(p as *const $t));
                slot!($dst) = $conv(v);
            }};
        }
        macro_rules! store {
            ($t:ty, $addr:expr, $value:expr, $offset:expr) => {{
                let p = effective!($addr, $offset, std::mem::size_of::<$t>() as u64);
                ptr::write_unaligned(p as *mut $t, (slot!($value) as $t).to_le());
            }};
        }
        macro_rules! ret {
            () => {{
                if stack.frames.len() == entry_depth {
                    return Ok(());
                }
                let f = stack.frames.pop().unwrap_unchecked();
                code = f.code;
                module_code = f.module_code;
                if instance != f.instance {
                    instance = f.instance;
                    mem = (*(&*instance).vmctx()).memory0;
                }
                pc = f.pc;
                base = f.base;
                sp = stack.values.as_mut_ptr().add(base);
            }};
        }
        // Call `$f` with arguments at slot `$at`; `$len` = max(params, results).
        macro_rules! call {
            ($f:expr, $at:expr, $len:expr) => {{
                let f: *const VMFuncRef = $f;
                if (*f).kind == FuncKind::Wasm {
                    let callee_instance = (*(*f).vmctx).instance;
                    let callee_module_code = if callee_instance == instance {
                        module_code
                    } else {
                        module_code_of(callee_instance)?
                    };
                    let def = (*f).func_index - (&*callee_instance).module.num_imported_funcs;
                    let callee = match (&*callee_module_code).get_or_translate(def) {
                        Ok(c) => c as *const FuncCode,
                        Err(_) => trap!(TrapCode::Internal),
                    };
                    if stack.frames.len() - entry_depth >= stack.limits.max_frames {
                        trap!(TrapCode::StackOverflow);
                    }
                    let new_base = base + $at as usize;
                    let c = &*callee;
                    if new_base + c.frame_size as usize > stack.values.len() {
                        stack.reserve(new_base + c.frame_size as usize)?;
                    }
                    stack.frames.push(Frame {
                        code,
                        module_code,
                        instance,
                        pc,
                        base,
                    });
                    base = new_base;
                    sp = stack.values.as_mut_ptr().add(base);
                    ptr::write_bytes(
                        sp.add(c.num_params as usize),
                        0,
                        (c.num_locals - c.num_params) as usize,
                    );
                    c.count_call();
                    code = callee;
                    module_code = callee_module_code;
                    if callee_instance != instance {
                        instance = callee_instance;
                        mem = (*(&*instance).vmctx()).memory0;
                    }
                    pc = c.ops.as_ptr();
                } else {
                    let rc = ((*f).array_call)(
                        f,
                        (&*instance).vmctx(),
                        sp.add($at as usize),
                        $len as usize,
                    );
                    if rc != 0 {
                        trap!(TrapCode::from_u32(rc).unwrap_or(TrapCode::HostError));
                    }
                }
            }};
        }

        loop {
            let op = *pc;
            pc = pc.add(1);
            match op {
                // ---- control ----
                Op::Unreachable => trap!(TrapCode::Unreachable),
                Op::Extra { .. } => {}
                Op::Br { offset } => jump!(offset),
                Op::BrIfNez { cond, offset } => {
                    if r32!(cond) != 0 {
                        jump!(offset)
                    }
                }
                Op::BrIfEqz { cond, offset } => {
                    if r32!(cond) == 0 {
                        jump!(offset)
                    }
                }
                Op::BrIfI64Nez { cond, offset } => {
                    if r64!(cond) != 0 {
                        jump!(offset)
                    }
                }
                Op::BrIfI64Eqz { cond, offset } => {
                    if r64!(cond) == 0 {
                        jump!(offset)
                    }
                }
                Op::BrI32Eq { a, b, offset } => {
                    if r32!(a) == r32!(b) {
                        jump!(offset)
                    }
                }
                Op::BrI32Ne { a, b, offset } => {
                    if r32!(a) != r32!(b) {
                        jump!(offset)
                    }
                }
                Op::BrI32LtS { a, b, offset } => {
                    if (r32!(a) as i32) < (r32!(b) as i32) {
                        jump!(offset)
                    }
                }
                Op::BrI32LtU { a, b, offset } => {
                    if r32!(a) < r32!(b) {
                        jump!(offset)
                    }
                }
                Op::BrI32GtS { a, b, offset } => {
                    if (r32!(a) as i32) > (r32!(b) as i32) {
                        jump!(offset)
                    }
                }
                Op::BrI32GtU { a, b, offset } => {
                    if r32!(a) > r32!(b) {
                        jump!(offset)
                    }
                }
                Op::BrI32LeS { a, b, offset } => {
                    if (r32!(a) as i32) <= (r32!(b) as i32) {
                        jump!(offset)
                    }
                }
                Op::BrI32LeU { a, b, offset } => {
                    if r32!(a) <= r32!(b) {
                        jump!(offset)
                    }
                }
                Op::BrI32GeS { a, b, offset } => {
                    if (r32!(a) as i32) >= (r32!(b) as i32) {
                        jump!(offset)
                    }
                }
                Op::BrI32GeU { a, b, offset } => {
                    if r32!(a) >= r32!(b) {
                        jump!(offset)
                    }
                }
                Op::BrI32EqImm { a, imm, offset } => {
                    if r32!(a) == imm as u32 {
                        jump!(offset)
                    }
                }
                Op::BrI32NeImm { a, imm, offset } => {
                    if r32!(a) != imm as u32 {
                        jump!(offset)
                    }
                }
                Op::BrI32LtSImm { a, imm, offset } => {
                    if (r32!(a) as i32) < imm {
                        jump!(offset)
                    }
                }
                Op::BrI32LtUImm { a, imm, offset } => {
                    if r32!(a) < imm as u32 {
                        jump!(offset)
                    }
                }
                Op::BrI32GtSImm { a, imm, offset } => {
                    if (r32!(a) as i32) > imm {
                        jump!(offset)
                    }
                }
                Op::BrI32GtUImm { a, imm, offset } => {
                    if r32!(a) > imm as u32 {
                        jump!(offset)
                    }
                }
                Op::BrI32LeSImm { a, imm, offset } => {
                    if (r32!(a) as i32) <= imm {
                        jump!(offset)
                    }
                }
                Op::BrI32LeUImm { a, imm, offset } => {
                    if r32!(a) <= imm as u32 {
                        jump!(offset)
                    }
                }
                Op::BrI32GeSImm { a, imm, offset } => {
                    if (r32!(a) as i32) >= imm {
                        jump!(offset)
                    }
                }
                Op::BrI32GeUImm { a, imm, offset } => {
                    if r32!(a) >= imm as u32 {
                        jump!(offset)
                    }
                }
                Op::BrTable { index, len } => {
                    let i = r32!(index).min(len);
                    pc = pc.add(i as usize);
                }
                Op::LoopHeader { counter } => count_loop(&*code, counter),
                Op::Return => ret!(),
                Op::Return1 { src } => {
                    *sp = slot!(src);
                    ret!()
                }
                Op::ReturnMany { src, count } => {
                    ptr::copy(sp.add(src as usize), sp, count as usize);
                    ret!()
                }
                Op::Call { func, base: at } => {
                    let f = *(&*instance).funcs.get_unchecked(func as usize);
                    let len = *(&*module_code).call_len.get_unchecked(func as usize);
                    call!(f, at, len)
                }
                Op::CallIndirect {
                    sig,
                    index,
                    base: at,
                } => {
                    let Op::Extra {
                        a: table, b: len, ..
                    } = *pc
                    else {
                        trap!(TrapCode::Internal);
                    };
                    pc = pc.add(1);
                    let t = &*(&*instance)
                        .tables
                        .get_unchecked(table as usize)
                        .cast_const();
                    let i = r32!(index);
                    if i >= t.vm.len {
                        trap!(TrapCode::UndefinedElement);
                    }
                    let f = *t.vm.base.add(i as usize) as *const VMFuncRef;
                    if f.is_null() {
                        trap!(TrapCode::UninitializedElement);
                    }
                    if (*f).sig.0 != sig {
                        trap!(TrapCode::IndirectCallTypeMismatch);
                    }
                    call!(f, at, len)
                }

                // ---- slots, constants, globals ----
                Op::Copy { dst, src } => slot!(dst) = slot!(src),
                Op::Const32 { dst, value } => slot!(dst) = value as u64,
                Op::Const64 { dst, lo, hi } => slot!(dst) = (hi as u64) << 32 | lo as u64,
                Op::SelectZero { dst, cond, src } => {
                    if r32!(cond) == 0 {
                        slot!(dst) = slot!(src);
                    }
                }
                Op::GlobalGet { dst, index } => {
                    slot!(dst) = (**(&*instance).globals.get_unchecked(index as usize))
                        .vm
                        .bits;
                }
                Op::GlobalSet { src, index } => {
                    (**(&*instance).globals.get_unchecked(index as usize))
                        .vm
                        .bits = slot!(src);
                }
                Op::RefFunc { dst, func } => {
                    slot!(dst) = *(&*instance).funcs.get_unchecked(func as usize) as u64;
                }

                // ---- memory ----
                Op::I32Load { dst, addr, offset } => {
                    load!(u32, dst, addr, offset, |v: u32| v as u64)
                }
                Op::I64Load { dst, addr, offset } => load!(u64, dst, addr, offset, |v: u64| v),
                Op::F32Load { dst, addr, offset } => {
                    load!(u32, dst, addr, offset, |v: u32| v as u64)
                }
                Op::F64Load { dst, addr, offset } => load!(u64, dst, addr, offset, |v: u64| v),
                Op::I32Load8S { dst, addr, offset } => {
                    load!(i8, dst, addr, offset, |v: i8| v as i32 as u32 as u64)
                }
                Op::I32Load8U { dst, addr, offset } => {
                    load!(u8, dst, addr, offset, |v: u8| v as u64)
                }
                Op::I32Load16S { dst, addr, offset } => {
                    load!(i16, dst, addr, offset, |v: i16| v as i32 as u32 as u64)
                }
                Op::I32Load16U { dst, addr, offset } => {
                    load!(u16, dst, addr, offset, |v: u16| v as u64)
                }
                Op::I64Load8S { dst, addr, offset } => {
                    load!(i8, dst, addr, offset, |v: i8| v as i64 as u64)
                }
                Op::I64Load8U { dst, addr, offset } => {
                    load!(u8, dst, addr, offset, |v: u8| v as u64)
                }
                Op::I64Load16S { dst, addr, offset } => {
                    load!(i16, dst, addr, offset, |v: i16| v as i64 as u64)
                }
                Op::I64Load16U { dst, addr, offset } => {
                    load!(u16, dst, addr, offset, |v: u16| v as u64)
                }
                Op::I64Load32S { dst, addr, offset } => {
                    load!(i32, dst, addr, offset, |v: i32| v as i64 as u64)
                }
                Op::I64Load32U { dst, addr, offset } => {
                    load!(u32, dst, addr, offset, |v: u32| v as u64)
                }
                Op::I32Store {
                    addr,
                    value,
                    offset,
                } => store!(u32, addr, value, offset),
                Op::I64Store {
                    addr,
                    value,
                    offset,
                } => store!(u64, addr, value, offset),
                Op::I32Store8 {
                    addr,
                    value,
                    offset,
                }
                | Op::I64Store8 {
                    addr,
                    value,
                    offset,
                } => {
                    store!(u8, addr, value, offset)
                }
                Op::I32Store16 {
                    addr,
                    value,
                    offset,
                }
                | Op::I64Store16 {
                    addr,
                    value,
                    offset,
                } => {
                    store!(u16, addr, value, offset)
                }
                Op::I64Store32 {
                    addr,
                    value,
                    offset,
                } => store!(u32, addr, value, offset),
                Op::MemorySize { dst } => w32!(dst, (*mem).len / wx_core::memory::PAGE_SIZE),
                Op::MemoryGrow { dst, delta } => {
                    let r = (&mut *instance).memory_grow(0, r32!(delta));
                    w32!(dst, r);
                }
                Op::MemoryInit { data, base: at } => {
                    (&mut *instance).memory_init(0, data, r32!(at), r32!(at + 1), r32!(at + 2))?;
                }
                Op::MemoryCopy { base: at } => {
                    (&mut *instance).memory_copy(0, 0, r32!(at), r32!(at + 1), r32!(at + 2))?;
                }
                Op::MemoryFill { base: at } => {
                    (&mut *instance).memory_fill(0, r32!(at), r32!(at + 1) as u8, r32!(at + 2))?;
                }
                Op::DataDrop { data } => (&mut *instance).data_drop(data),

                // ---- tables ----
                Op::TableGet { dst, index, table } => {
                    match (&mut *instance).table(table).get(r32!(index)) {
                        Some(v) => slot!(dst) = v,
                        None => trap!(TrapCode::TableOutOfBounds),
                    }
                }
                Op::TableSet {
                    index,
                    value,
                    table,
                } => {
                    (&mut *instance)
                        .table(table)
                        .set(r32!(index), slot!(value))?;
                }
                Op::TableSize { dst, table } => w32!(dst, (&mut *instance).table(table).size()),
                Op::TableGrow { base: at, table } => {
                    let init = slot!(at);
                    let r = (&mut *instance)
                        .table(table)
                        .grow(r32!(at + 1), init)
                        .map_or(-1, |old| old as i32);
                    w32!(at, r);
                }
                Op::TableFill { base: at, table } => {
                    (&mut *instance)
                        .table(table)
                        .fill(r32!(at), slot!(at + 1), r32!(at + 2))?;
                }
                Op::TableCopy {
                    base: at,
                    dst_table,
                    src_table,
                } => {
                    (&mut *instance).table_copy(
                        dst_table,
                        src_table,
                        r32!(at),
                        r32!(at + 1),
                        r32!(at + 2),
                    )?;
                }
                Op::TableInit {
                    base: at,
                    table,
                    elem,
                } => {
                    (&mut *instance).table_init(
                        table,
                        elem,
                        r32!(at),
                        r32!(at + 1),
                        r32!(at + 2),
                    )?;
                }
                Op::ElemDrop { elem } => (&mut *instance).elem_drop(elem),

                // ---- unary ----
                Op::I32Eqz { dst, src } => w32!(dst, r32!(src) == 0),
                Op::I64Eqz { dst, src } => w32!(dst, r64!(src) == 0),
                Op::I32Clz { dst, src } => w32!(dst, r32!(src).leading_zeros()),
                Op::I32Ctz { dst, src } => w32!(dst, r32!(src).trailing_zeros()),
                Op::I32Popcnt { dst, src } => w32!(dst, r32!(src).count_ones()),
                Op::I64Clz { dst, src } => w64!(dst, r64!(src).leading_zeros()),
                Op::I64Ctz { dst, src } => w64!(dst, r64!(src).trailing_zeros()),
                Op::I64Popcnt { dst, src } => w64!(dst, r64!(src).count_ones()),
                Op::F32Abs { dst, src } => w32!(dst, r32!(src) & 0x7fff_ffff),
                Op::F32Neg { dst, src } => w32!(dst, r32!(src) ^ 0x8000_0000),
                Op::F32Ceil { dst, src } => wf32!(dst, float::f32_ceil(f32v!(src))),
                Op::F32Floor { dst, src } => wf32!(dst, float::f32_floor(f32v!(src))),
                Op::F32Trunc { dst, src } => wf32!(dst, float::f32_trunc(f32v!(src))),
                Op::F32Nearest { dst, src } => wf32!(dst, float::f32_nearest(f32v!(src))),
                Op::F32Sqrt { dst, src } => wf32!(dst, f32v!(src).sqrt()),
                Op::F64Abs { dst, src } => w64!(dst, r64!(src) & 0x7fff_ffff_ffff_ffff),
                Op::F64Neg { dst, src } => w64!(dst, r64!(src) ^ 0x8000_0000_0000_0000),
                Op::F64Ceil { dst, src } => wf64!(dst, float::f64_ceil(f64v!(src))),
                Op::F64Floor { dst, src } => wf64!(dst, float::f64_floor(f64v!(src))),
                Op::F64Trunc { dst, src } => wf64!(dst, float::f64_trunc(f64v!(src))),
                Op::F64Nearest { dst, src } => wf64!(dst, float::f64_nearest(f64v!(src))),
                Op::F64Sqrt { dst, src } => wf64!(dst, f64v!(src).sqrt()),
                Op::I32WrapI64 { dst, src } => w32!(dst, r64!(src)),
                Op::I32TruncF32S { dst, src } => w32!(dst, float::i32_trunc_f32(f32v!(src))?),
                Op::I32TruncF32U { dst, src } => w32!(dst, float::u32_trunc_f32(f32v!(src))?),
                Op::I32TruncF64S { dst, src } => w32!(dst, float::i32_trunc_f64(f64v!(src))?),
                Op::I32TruncF64U { dst, src } => w32!(dst, float::u32_trunc_f64(f64v!(src))?),
                Op::I64ExtendI32S { dst, src } => w64!(dst, r32!(src) as i32 as i64),
                Op::I64ExtendI32U { dst, src } => w64!(dst, r32!(src)),
                Op::I64TruncF32S { dst, src } => w64!(dst, float::i64_trunc_f32(f32v!(src))?),
                Op::I64TruncF32U { dst, src } => w64!(dst, float::u64_trunc_f32(f32v!(src))?),
                Op::I64TruncF64S { dst, src } => w64!(dst, float::i64_trunc_f64(f64v!(src))?),
                Op::I64TruncF64U { dst, src } => w64!(dst, float::u64_trunc_f64(f64v!(src))?),
                Op::F32ConvertI32S { dst, src } => wf32!(dst, r32!(src) as i32 as f32),
                Op::F32ConvertI32U { dst, src } => wf32!(dst, r32!(src) as f32),
                Op::F32ConvertI64S { dst, src } => wf32!(dst, r64!(src) as i64 as f32),
                Op::F32ConvertI64U { dst, src } => wf32!(dst, r64!(src) as f32),
                Op::F32DemoteF64 { dst, src } => wf32!(dst, f64v!(src) as f32),
                Op::F64ConvertI32S { dst, src } => wf64!(dst, r32!(src) as i32 as f64),
                Op::F64ConvertI32U { dst, src } => wf64!(dst, r32!(src) as f64),
                Op::F64ConvertI64S { dst, src } => wf64!(dst, r64!(src) as i64 as f64),
                Op::F64ConvertI64U { dst, src } => wf64!(dst, r64!(src) as f64),
                Op::F64PromoteF32 { dst, src } => wf64!(dst, f32v!(src) as f64),
                Op::I32Extend8S { dst, src } => w32!(dst, r32!(src) as i8 as i32),
                Op::I32Extend16S { dst, src } => w32!(dst, r32!(src) as i16 as i32),
                Op::I64Extend8S { dst, src } => w64!(dst, r64!(src) as i8 as i64),
                Op::I64Extend16S { dst, src } => w64!(dst, r64!(src) as i16 as i64),
                Op::I64Extend32S { dst, src } => w64!(dst, r64!(src) as i32 as i64),
                Op::I32TruncSatF32S { dst, src } => w32!(dst, f32v!(src) as i32),
                Op::I32TruncSatF32U { dst, src } => w32!(dst, f32v!(src) as u32),
                Op::I32TruncSatF64S { dst, src } => w32!(dst, f64v!(src) as i32),
                Op::I32TruncSatF64U { dst, src } => w32!(dst, f64v!(src) as u32),
                Op::I64TruncSatF32S { dst, src } => w64!(dst, f32v!(src) as i64),
                Op::I64TruncSatF32U { dst, src } => w64!(dst, f32v!(src) as u64),
                Op::I64TruncSatF64S { dst, src } => w64!(dst, f64v!(src) as i64),
                Op::I64TruncSatF64U { dst, src } => w64!(dst, f64v!(src) as u64),

                // ---- binary ----
                Op::I32Eq { dst, a, b } => w32!(dst, r32!(a) == r32!(b)),
                Op::I32Ne { dst, a, b } => w32!(dst, r32!(a) != r32!(b)),
                Op::I32LtS { dst, a, b } => w32!(dst, (r32!(a) as i32) < (r32!(b) as i32)),
                Op::I32LtU { dst, a, b } => w32!(dst, r32!(a) < r32!(b)),
                Op::I32GtS { dst, a, b } => w32!(dst, (r32!(a) as i32) > (r32!(b) as i32)),
                Op::I32GtU { dst, a, b } => w32!(dst, r32!(a) > r32!(b)),
                Op::I32LeS { dst, a, b } => w32!(dst, (r32!(a) as i32) <= (r32!(b) as i32)),
                Op::I32LeU { dst, a, b } => w32!(dst, r32!(a) <= r32!(b)),
                Op::I32GeS { dst, a, b } => w32!(dst, (r32!(a) as i32) >= (r32!(b) as i32)),
                Op::I32GeU { dst, a, b } => w32!(dst, r32!(a) >= r32!(b)),
                Op::I64Eq { dst, a, b } => w32!(dst, r64!(a) == r64!(b)),
                Op::I64Ne { dst, a, b } => w32!(dst, r64!(a) != r64!(b)),
                Op::I64LtS { dst, a, b } => w32!(dst, (r64!(a) as i64) < (r64!(b) as i64)),
                Op::I64LtU { dst, a, b } => w32!(dst, r64!(a) < r64!(b)),
                Op::I64GtS { dst, a, b } => w32!(dst, (r64!(a) as i64) > (r64!(b) as i64)),
                Op::I64GtU { dst, a, b } => w32!(dst, r64!(a) > r64!(b)),
                Op::I64LeS { dst, a, b } => w32!(dst, (r64!(a) as i64) <= (r64!(b) as i64)),
                Op::I64LeU { dst, a, b } => w32!(dst, r64!(a) <= r64!(b)),
                Op::I64GeS { dst, a, b } => w32!(dst, (r64!(a) as i64) >= (r64!(b) as i64)),
                Op::I64GeU { dst, a, b } => w32!(dst, r64!(a) >= r64!(b)),
                Op::F32Eq { dst, a, b } => w32!(dst, f32v!(a) == f32v!(b)),
                Op::F32Ne { dst, a, b } => w32!(dst, f32v!(a) != f32v!(b)),
                Op::F32Lt { dst, a, b } => w32!(dst, f32v!(a) < f32v!(b)),
                Op::F32Gt { dst, a, b } => w32!(dst, f32v!(a) > f32v!(b)),
                Op::F32Le { dst, a, b } => w32!(dst, f32v!(a) <= f32v!(b)),
                Op::F32Ge { dst, a, b } => w32!(dst, f32v!(a) >= f32v!(b)),
                Op::F64Eq { dst, a, b } => w32!(dst, f64v!(a) == f64v!(b)),
                Op::F64Ne { dst, a, b } => w32!(dst, f64v!(a) != f64v!(b)),
                Op::F64Lt { dst, a, b } => w32!(dst, f64v!(a) < f64v!(b)),
                Op::F64Gt { dst, a, b } => w32!(dst, f64v!(a) > f64v!(b)),
                Op::F64Le { dst, a, b } => w32!(dst, f64v!(a) <= f64v!(b)),
                Op::F64Ge { dst, a, b } => w32!(dst, f64v!(a) >= f64v!(b)),
                Op::I32Add { dst, a, b } => w32!(dst, r32!(a).wrapping_add(r32!(b))),
                Op::I32Sub { dst, a, b } => w32!(dst, r32!(a).wrapping_sub(r32!(b))),
                Op::I32Mul { dst, a, b } => w32!(dst, r32!(a).wrapping_mul(r32!(b))),
                Op::I32DivS { dst, a, b } => {
                    let (x, y) = (r32!(a) as i32, r32!(b) as i32);
                    if y == 0 {
                        trap!(TrapCode::IntegerDivideByZero);
                    }
                    if x == i32::MIN && y == -1 {
                        trap!(TrapCode::IntegerOverflow);
                    }
                    w32!(dst, x / y)
                }
                Op::I32DivU { dst, a, b } => {
                    let y = r32!(b);
                    if y == 0 {
                        trap!(TrapCode::IntegerDivideByZero);
                    }
                    w32!(dst, r32!(a) / y)
                }
                Op::I32RemS { dst, a, b } => {
                    let y = r32!(b) as i32;
                    if y == 0 {
                        trap!(TrapCode::IntegerDivideByZero);
                    }
                    w32!(dst, (r32!(a) as i32).wrapping_rem(y))
                }
                Op::I32RemU { dst, a, b } => {
                    let y = r32!(b);
                    if y == 0 {
                        trap!(TrapCode::IntegerDivideByZero);
                    }
                    w32!(dst, r32!(a) % y)
                }
                Op::I32And { dst, a, b } => w32!(dst, r32!(a) & r32!(b)),
                Op::I32Or { dst, a, b } => w32!(dst, r32!(a) | r32!(b)),
                Op::I32Xor { dst, a, b } => w32!(dst, r32!(a) ^ r32!(b)),
                Op::I32Shl { dst, a, b } => w32!(dst, r32!(a).wrapping_shl(r32!(b))),
                Op::I32ShrS { dst, a, b } => w32!(dst, (r32!(a) as i32).wrapping_shr(r32!(b))),
                Op::I32ShrU { dst, a, b } => w32!(dst, r32!(a).wrapping_shr(r32!(b))),
                Op::I32Rotl { dst, a, b } => w32!(dst, r32!(a).rotate_left(r32!(b) & 31)),
                Op::I32Rotr { dst, a, b } => w32!(dst, r32!(a).rotate_right(r32!(b) & 31)),
                Op::I64Add { dst, a, b } => w64!(dst, r64!(a).wrapping_add(r64!(b))),
                Op::I64Sub { dst, a, b } => w64!(dst, r64!(a).wrapping_sub(r64!(b))),
                Op::I64Mul { dst, a, b } => w64!(dst, r64!(a).wrapping_mul(r64!(b))),
                Op::I64DivS { dst, a, b } => {
                    let (x, y) = (r64!(a) as i64, r64!(b) as i64);
                    if y == 0 {
                        trap!(TrapCode::IntegerDivideByZero);
                    }
                    if x == i64::MIN && y == -1 {
                        trap!(TrapCode::IntegerOverflow);
                    }
                    w64!(dst, x / y)
                }
                Op::I64DivU { dst, a, b } => {
                    let y = r64!(b);
                    if y == 0 {
                        trap!(TrapCode::IntegerDivideByZero);
                    }
                    w64!(dst, r64!(a) / y)
                }
                Op::I64RemS { dst, a, b } => {
                    let y = r64!(b) as i64;
                    if y == 0 {
                        trap!(TrapCode::IntegerDivideByZero);
                    }
                    w64!(dst, (r64!(a) as i64).wrapping_rem(y))
                }
                Op::I64RemU { dst, a, b } => {
                    let y = r64!(b);
                    if y == 0 {
                        trap!(TrapCode::IntegerDivideByZero);
                    }
                    w64!(dst, r64!(a) % y)
                }
                Op::I64And { dst, a, b } => w64!(dst, r64!(a) & r64!(b)),
                Op::I64Or { dst, a, b } => w64!(dst, r64!(a) | r64!(b)),
                Op::I64Xor { dst, a, b } => w64!(dst, r64!(a) ^ r64!(b)),
                Op::I64Shl { dst, a, b } => w64!(dst, r64!(a).wrapping_shl(r64!(b) as u32)),
                Op::I64ShrS { dst, a, b } => {
                    w64!(dst, (r64!(a) as i64).wrapping_shr(r64!(b) as u32))
                }
                Op::I64ShrU { dst, a, b } => w64!(dst, r64!(a).wrapping_shr(r64!(b) as u32)),
                Op::I64Rotl { dst, a, b } => w64!(dst, r64!(a).rotate_left((r64!(b) & 63) as u32)),
                Op::I64Rotr { dst, a, b } => w64!(dst, r64!(a).rotate_right((r64!(b) & 63) as u32)),
                Op::F32Add { dst, a, b } => wf32!(dst, f32v!(a) + f32v!(b)),
                Op::F32Sub { dst, a, b } => wf32!(dst, f32v!(a) - f32v!(b)),
                Op::F32Mul { dst, a, b } => wf32!(dst, f32v!(a) * f32v!(b)),
                Op::F32Div { dst, a, b } => wf32!(dst, f32v!(a) / f32v!(b)),
                Op::F32Min { dst, a, b } => wf32!(dst, float::f32_min(f32v!(a), f32v!(b))),
                Op::F32Max { dst, a, b } => wf32!(dst, float::f32_max(f32v!(a), f32v!(b))),
                Op::F32Copysign { dst, a, b } => {
                    w32!(dst, (r32!(a) & 0x7fff_ffff) | (r32!(b) & 0x8000_0000))
                }
                Op::F64Add { dst, a, b } => wf64!(dst, f64v!(a) + f64v!(b)),
                Op::F64Sub { dst, a, b } => wf64!(dst, f64v!(a) - f64v!(b)),
                Op::F64Mul { dst, a, b } => wf64!(dst, f64v!(a) * f64v!(b)),
                Op::F64Div { dst, a, b } => wf64!(dst, f64v!(a) / f64v!(b)),
                Op::F64Min { dst, a, b } => wf64!(dst, float::f64_min(f64v!(a), f64v!(b))),
                Op::F64Max { dst, a, b } => wf64!(dst, float::f64_max(f64v!(a), f64v!(b))),
                Op::F64Copysign { dst, a, b } => {
                    w64!(dst, (r64!(a) & !(1u64 << 63)) | (r64!(b) & (1u64 << 63)))
                }

                // ---- binary with immediate ----
                Op::I32AddImm { dst, a, imm } => w32!(dst, r32!(a).wrapping_add(imm as u32)),
                Op::I32MulImm { dst, a, imm } => w32!(dst, r32!(a).wrapping_mul(imm as u32)),
                Op::I32AndImm { dst, a, imm } => w32!(dst, r32!(a) & imm as u32),
                Op::I32OrImm { dst, a, imm } => w32!(dst, r32!(a) | imm as u32),
                Op::I32XorImm { dst, a, imm } => w32!(dst, r32!(a) ^ imm as u32),
                Op::I32ShlImm { dst, a, imm } => w32!(dst, r32!(a).wrapping_shl(imm as u32)),
                Op::I32ShrSImm { dst, a, imm } => {
                    w32!(dst, (r32!(a) as i32).wrapping_shr(imm as u32))
                }
                Op::I32ShrUImm { dst, a, imm } => w32!(dst, r32!(a).wrapping_shr(imm as u32)),
                Op::I32EqImm { dst, a, imm } => w32!(dst, r32!(a) == imm as u32),
                Op::I32NeImm { dst, a, imm } => w32!(dst, r32!(a) != imm as u32),
                Op::I32LtSImm { dst, a, imm } => w32!(dst, (r32!(a) as i32) < imm),
                Op::I32LtUImm { dst, a, imm } => w32!(dst, r32!(a) < imm as u32),
                Op::I32GtSImm { dst, a, imm } => w32!(dst, (r32!(a) as i32) > imm),
                Op::I32GtUImm { dst, a, imm } => w32!(dst, r32!(a) > imm as u32),
                Op::I32LeSImm { dst, a, imm } => w32!(dst, (r32!(a) as i32) <= imm),
                Op::I32LeUImm { dst, a, imm } => w32!(dst, r32!(a) <= imm as u32),
                Op::I32GeSImm { dst, a, imm } => w32!(dst, (r32!(a) as i32) >= imm),
                Op::I32GeUImm { dst, a, imm } => w32!(dst, r32!(a) >= imm as u32),
                Op::I64AddImm { dst, a, imm } => w64!(dst, r64!(a).wrapping_add(imm as i64 as u64)),
                Op::I64MulImm { dst, a, imm } => w64!(dst, r64!(a).wrapping_mul(imm as i64 as u64)),
                Op::I64AndImm { dst, a, imm } => w64!(dst, r64!(a) & imm as i64 as u64),
                Op::I64OrImm { dst, a, imm } => w64!(dst, r64!(a) | imm as i64 as u64),
                Op::I64XorImm { dst, a, imm } => w64!(dst, r64!(a) ^ imm as i64 as u64),
                Op::I64ShlImm { dst, a, imm } => w64!(dst, r64!(a).wrapping_shl(imm as u32)),
                Op::I64ShrSImm { dst, a, imm } => {
                    w64!(dst, (r64!(a) as i64).wrapping_shr(imm as u32))
                }
                Op::I64ShrUImm { dst, a, imm } => w64!(dst, r64!(a).wrapping_shr(imm as u32)),
                Op::I64EqImm { dst, a, imm } => w32!(dst, r64!(a) as i64 == imm as i64),
                Op::I64NeImm { dst, a, imm } => w32!(dst, r64!(a) as i64 != imm as i64),
                Op::I64LtSImm { dst, a, imm } => w32!(dst, (r64!(a) as i64) < imm as i64),
                Op::I64LtUImm { dst, a, imm } => w32!(dst, r64!(a) < imm as i64 as u64),
                Op::I64GtSImm { dst, a, imm } => w32!(dst, (r64!(a) as i64) > imm as i64),
                Op::I64GtUImm { dst, a, imm } => w32!(dst, r64!(a) > imm as i64 as u64),
                Op::I64LeSImm { dst, a, imm } => w32!(dst, (r64!(a) as i64) <= imm as i64),
                Op::I64LeUImm { dst, a, imm } => w32!(dst, r64!(a) <= imm as i64 as u64),
                Op::I64GeSImm { dst, a, imm } => w32!(dst, (r64!(a) as i64) >= imm as i64),
                Op::I64GeUImm { dst, a, imm } => w32!(dst, r64!(a) >= imm as i64 as u64),
            }
        }
    }
}
