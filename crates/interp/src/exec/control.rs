//! Control handlers: branches, loops, returns and calls.
//!
//! Every branch exists twice: the forward form here, and a back-edge form
//! in [`back`] that also counts an iteration of the loop it returns to (a
//! back-edge lands just after its loop's `LoopHeader`, whose operand names the
//! loop's counter) and checks the native stack.

use super::dispatch::{handlers, next, next_checked, pass_on, r32, slot, trap_at, tri, Exit};
use super::{count_loop, mem_view, memory0, module_code_of, Frame};
use crate::code::FuncCode;
use crate::tier::{self, Hot};
use std::ptr;
use wx_core::vm::{FuncKind, VMFuncRef};
use wx_core::TrapCode;

/// Return to the caller's frame (the results are already in slots 0..n).
macro_rules! ret {
    ($cx:ident) => {{
        let stack = &mut *$cx.stack;
        if stack.frames.len() == $cx.entry_depth {
            return Exit::DONE;
        }
        let f: Frame = stack.frames.pop().unwrap_unchecked();
        $cx.code = f.code;
        $cx.module_code = f.module_code;
        if $cx.instance != f.instance {
            $cx.instance = f.instance;
            $cx.vm_mem = memory0(f.instance);
        }
        $cx.base = f.base;
        let sp = stack.values.as_mut_ptr().add(f.base);
        // The callee may have grown the memory.
        let (mem, len) = mem_view($cx.vm_mem);
        next_checked!(f.ip, sp, mem, len, $cx)
    }};
}

/// Count an iteration of the loop whose `LoopHeader` is `$header`
/// (checking the store's epoch deadline there and taking a unit of its
/// fuel, if it has them); if the
/// call moved to compiled code there (OSR), it has run to its end: pass
/// on its trap, or return from the frame with the results it left in
/// slots 0..n.
macro_rules! loop_tick {
    ($cx:ident, $header:expr, $sp:ident) => {
        let header: *const $crate::exec::dispatch::Instr = $header;
        if let Some(code) = $crate::exec::epoch_due($cx) {
            trap_at!($cx, header, code)
        }
        // (Fuel after OSR: compiled code that takes over the loop takes
        // this iteration's unit at its header.)
        if let Some(rc) = count_loop($cx, (*header).a, $sp) {
            if rc != 0 {
                // The compiled code ran the rest of this call and recorded
                // its frame: only the callers remain.
                pass_on!($cx, ptr::null(), rc, $crate::exec::TrapOrigin::Replaced);
            }
            ret!($cx)
        }
        if let Some(code) = $crate::exec::fuel_out($cx) {
            trap_at!($cx, header, code)
        }
    };
}

/// Branches whose condition reads operand `a` (and `b`): name, condition on
/// the two operand values, which operand holds the offset.
macro_rules! branches {
    ($($name:ident: |$x:ident, $y:ident| $cond:expr, $off:ident;)*) => {
        handlers! {$(
            fn $name(ip, sp, mem, len, cx) {
                let i = &*ip;
                let (x, y) = (slot!(sp, i.a), i.b);
                #[allow(clippy::redundant_closure_call)]
                if (|$x: u64, $y: u32| $cond)(x, y) {
                    next!(ip.offset(i.$off as i32 as isize), sp, mem, len, cx)
                }
                next!(ip.add(1), sp, mem, len, cx)
            }
        )*}

        /// Back-edge forms of the branches.
        pub(crate) mod back {
            use super::*;
            handlers! {$(
                fn $name(ip, sp, mem, len, cx) {
                    let i = &*ip;
                    let (x, y) = (slot!(sp, i.a), i.b);
                    #[allow(clippy::redundant_closure_call)]
                    if (|$x: u64, $y: u32| $cond)(x, y) {
                        let target = ip.offset(i.$off as i32 as isize);
                        loop_tick!(cx, target.sub(1), sp);
                        next_checked!(target, sp, mem, len, cx)
                    }
                    next!(ip.add(1), sp, mem, len, cx)
                }
            )*}
        }
    };
}

// `x` is the 64-bit slot named by operand `a`; `y` is operand `b` raw (a slot
// index for two-slot compares, an immediate for `*Imm`, else unused).
branches! {
    BrIfNez: |x, _y| x as u32 != 0, b;
    BrIfEqz: |x, _y| x as u32 == 0, b;
    BrIfI64Nez: |x, _y| x != 0, b;
    BrIfI64Eqz: |x, _y| x == 0, b;
    BrI32EqImm: |x, y| x as u32 == y, c;
    BrI32NeImm: |x, y| x as u32 != y, c;
    BrI32LtSImm: |x, y| (x as i32) < y as i32, c;
    BrI32LtUImm: |x, y| (x as u32) < y, c;
    BrI32GtSImm: |x, y| (x as i32) > y as i32, c;
    BrI32GtUImm: |x, y| (x as u32) > y, c;
    BrI32LeSImm: |x, y| (x as i32) <= y as i32, c;
    BrI32LeUImm: |x, y| (x as u32) <= y, c;
    BrI32GeSImm: |x, y| (x as i32) >= y as i32, c;
    BrI32GeUImm: |x, y| (x as u32) >= y, c;
    BrI32AndImmNz: |x, y| (x as u32) & y != 0, c;
    BrI32AndImmZ: |x, y| (x as u32) & y == 0, c;
    BrI64EqImm: |x, y| x == y as i32 as i64 as u64, c;
    BrI64NeImm: |x, y| x != y as i32 as i64 as u64, c;
}

/// Two-slot compare-and-branch handlers (`a OP b`, offset in `c`).
macro_rules! compare_branches {
    ($($name:ident: |$x:ident, $y:ident| $cond:expr;)*) => {
        handlers! {$(
            fn $name(ip, sp, mem, len, cx) {
                let i = &*ip;
                let ($x, $y) = (r32!(sp, i.a), r32!(sp, i.b));
                if $cond {
                    next!(ip.offset(i.c as i32 as isize), sp, mem, len, cx)
                }
                next!(ip.add(1), sp, mem, len, cx)
            }
        )*}

        /// Back-edge forms of the two-slot compare-and-branch handlers.
        pub(crate) mod back_cmp {
            use super::*;
            handlers! {$(
                fn $name(ip, sp, mem, len, cx) {
                    let i = &*ip;
                    let ($x, $y) = (r32!(sp, i.a), r32!(sp, i.b));
                    if $cond {
                        let target = ip.offset(i.c as i32 as isize);
                        loop_tick!(cx, target.sub(1), sp);
                        next_checked!(target, sp, mem, len, cx)
                    }
                    next!(ip.add(1), sp, mem, len, cx)
                }
            )*}
        }
    };
}

compare_branches! {
    BrI32Eq: |x, y| x == y;
    BrI32Ne: |x, y| x != y;
    BrI32LtS: |x, y| (x as i32) < (y as i32);
    BrI32LtU: |x, y| x < y;
    BrI32GtS: |x, y| (x as i32) > (y as i32);
    BrI32GtU: |x, y| x > y;
    BrI32LeS: |x, y| (x as i32) <= (y as i32);
    BrI32LeU: |x, y| x <= y;
    BrI32GeS: |x, y| (x as i32) >= (y as i32);
    BrI32GeU: |x, y| x >= y;
}

/// Enter interpreted function `$callee` (of `$callee_instance`, whose code
/// is `$callee_module_code`) with its frame at slot `$at`; the caller resumes at `$ret`.
macro_rules! enter {
    ($callee:expr, $callee_instance:expr, $callee_module_code:expr, $at:expr, $ret:expr, $mem:ident, $len:ident, $cx:ident) => {{
        let callee: &FuncCode = $callee;
        let callee_instance = $callee_instance;
        let stack = &mut *$cx.stack;
        if stack.frames.len() - $cx.entry_depth >= stack.limits.max_frames {
            trap_at!($cx, $ret.sub(1), TrapCode::StackOverflow);
        }
        let new_base = $cx.base + $at as usize;
        let frame_end = new_base + callee.frame_size as usize;
        if frame_end > stack.values.len() {
            tri!($cx, $ret.sub(1), stack.reserve(frame_end));
        }
        stack.frames.push(Frame {
            code: $cx.code,
            module_code: $cx.module_code,
            instance: $cx.instance,
            ip: $ret,
            base: $cx.base,
        });
        $cx.base = new_base;
        let sp = stack.values.as_mut_ptr().add(new_base);
        start!(
            callee,
            callee_instance,
            $callee_module_code,
            sp,
            $mem,
            $len,
            $cx
        )
    }};
}

/// Run interpreted function `$callee` (of `$callee_instance`, whose code
/// is `$callee_module_code`) in the frame at `$sp`, which holds its
/// arguments: initialise the frame, count the call, switch instance.
macro_rules! start {
    ($callee:expr, $callee_instance:expr, $callee_module_code:expr, $sp:expr, $mem:ident, $len:ident, $cx:ident) => {{
        let callee: &FuncCode = $callee;
        let callee_instance = $callee_instance;
        let sp = $sp;
        callee.init_frame(sp);
        if callee.count_call() {
            tier::report(
                $callee_module_code,
                callee_instance,
                callee,
                Hot::Calls(callee.call_count()),
            );
        }
        $cx.code = callee;
        $cx.module_code = $callee_module_code;
        let (mem, len) = if callee_instance != $cx.instance {
            $cx.instance = callee_instance;
            $cx.vm_mem = memory0(callee_instance);
            mem_view($cx.vm_mem)
        } else {
            ($mem, $len)
        };
        if let Some(code) = $crate::exec::epoch_due($cx).or_else(|| $crate::exec::fuel_out($cx)) {
            trap_at!($cx, callee.instrs.as_ptr(), code)
        }
        next_checked!(callee.instrs.as_ptr(), sp, mem, len, $cx)
    }};
}

/// The interpreted code, instance and module code of entry slot `$f`, or
/// `None` when it has a native entry (compiled code, a host function).
/// Traps at `$ip` if the code cannot be had.
macro_rules! interpreted {
    ($f:expr, $ip:expr, $cx:ident) => {{
        let f: *const VMFuncRef = $f;
        if (*f).kind == FuncKind::Wasm
            && (*f)
                .wasm_call
                .load(std::sync::atomic::Ordering::Relaxed)
                .is_null()
        {
            let callee_instance = (*(*f).vmctx).instance;
            let callee_module_code = if callee_instance == $cx.instance {
                $cx.module_code
            } else {
                tri!($cx, $ip, module_code_of(callee_instance))
            };
            let def = (*f).func_index - (&*callee_instance).module.num_imported_funcs;
            let callee: &FuncCode = match (&*callee_module_code).get_or_translate(def) {
                Ok(c) => c,
                Err(_) => trap_at!($cx, $ip, TrapCode::Internal),
            };
            Some((callee, callee_instance, callee_module_code))
        } else {
            None
        }
    }};
}

/// Call entry slot `$f` with arguments at slot `$at`; the caller resumes at `$ret`.
macro_rules! call {
    ($f:expr, $at:expr, $call_len:expr, $ret:expr, $sp:ident, $mem:ident, $len:ident, $cx:ident) => {{
        let f: *const VMFuncRef = $f;
        // Compiled wasm functions are entered through their entry slot, like host functions.
        if let Some((callee, callee_instance, callee_module_code)) =
            interpreted!(f, $ret.sub(1), $cx)
        {
            enter!(
                callee,
                callee_instance,
                callee_module_code,
                $at,
                $ret,
                $mem,
                $len,
                $cx
            )
        } else {
            let caller_vmctx = (&*$cx.instance).vmctx();
            let rc = ((*f).array_call)(f, caller_vmctx, $sp.add($at as usize), $call_len as usize);
            if rc != 0 {
                pass_on!($cx, $ret.sub(1), rc, $crate::exec::TrapOrigin::Callee);
            }
            // The host may have grown the memory (or run wasm that did).
            let (mem, len) = mem_view($cx.vm_mem);
            next!($ret, $sp, mem, len, $cx)
        }
    }};
}

/// Tail-call entry slot `$f`, whose arguments (`$nparams` of them) are at
/// slot `$at`: the callee replaces the running frame. An interpreted
/// callee takes over the frame in place; any other is called through its
/// entry slot with the frame as its value array, and its results are the
/// frame's results.
macro_rules! tail_call {
    ($f:expr, $at:expr, $nparams:expr, $call_len:expr, $ip:ident, $sp:ident, $mem:ident, $len:ident, $cx:ident) => {{
        let f: *const VMFuncRef = $f;
        ptr::copy($sp.add($at as usize), $sp, $nparams as usize);
        if let Some((callee, callee_instance, callee_module_code)) = interpreted!(f, $ip, $cx) {
            let stack = &mut *$cx.stack;
            let frame_end = $cx.base + callee.frame_size as usize;
            if frame_end > stack.values.len() {
                tri!($cx, $ip, stack.reserve(frame_end));
            }
            let sp = stack.values.as_mut_ptr().add($cx.base);
            start!(
                callee,
                callee_instance,
                callee_module_code,
                sp,
                $mem,
                $len,
                $cx
            )
        } else {
            let caller_vmctx = (&*$cx.instance).vmctx();
            let rc = ((*f).array_call)(f, caller_vmctx, $sp, $call_len as usize);
            if rc != 0 {
                pass_on!($cx, $ip, rc, $crate::exec::TrapOrigin::Replaced);
            }
            ret!($cx)
        }
    }};
}

/// The function a table entry holds for `call_indirect` / `return_call_indirect`,
/// checked against signature `$sig`; traps otherwise.
macro_rules! indirect_callee {
    ($table:expr, $index:expr, $sig:expr, $ip:ident, $cx:ident) => {{
        let table = &*(*(&*$cx.instance).tables.get_unchecked($table as usize)).cast_const();
        let index: u32 = $index;
        if index >= table.vm.len {
            trap_at!($cx, $ip, TrapCode::UndefinedElement)
        }
        let f = *table.vm.base.add(index as usize) as *const VMFuncRef;
        if f.is_null() {
            trap_at!($cx, $ip, TrapCode::UninitializedElement)
        }
        if (*f).sig.0 != $sig {
            trap_at!($cx, $ip, TrapCode::IndirectCallTypeMismatch)
        }
        f
    }};
}

handlers! {
    fn Br(ip, sp, mem, len, cx) {
        next!(ip.offset((*ip).a as i32 as isize), sp, mem, len, cx)
    }

    fn BrBack(ip, sp, mem, len, cx) {
        let target = ip.offset((*ip).a as i32 as isize);
        loop_tick!(cx, target.sub(1), sp);
        next_checked!(target, sp, mem, len, cx)
    }

    fn Unreachable(ip, sp, mem, len, cx) {
        trap_at!(cx, ip, TrapCode::Unreachable)
    }

    fn Extra(ip, sp, mem, len, cx) {
        next!(ip.add(1), sp, mem, len, cx)
    }

    fn BrTable(ip, sp, mem, len, cx) {
        let i = &*ip;
        let index = r32!(sp, i.a).min(i.b);
        next!(ip.add(1 + index as usize), sp, mem, len, cx)
    }

    fn LoopHeader(ip, sp, mem, len, cx) {
        loop_tick!(cx, ip, sp);
        next!(ip.add(1), sp, mem, len, cx)
    }

    fn Return(ip, sp, mem, len, cx) {
        ret!(cx)
    }

    fn Return1(ip, sp, mem, len, cx) {
        *sp = slot!(sp, (*ip).a);
        ret!(cx)
    }

    fn ReturnMany(ip, sp, mem, len, cx) {
        let i = &*ip;
        ptr::copy(sp.add(i.a as usize), sp, i.b as usize);
        ret!(cx)
    }

    fn Call(ip, sp, mem, len, cx) {
        let i = &*ip;
        let f = *(&*cx.instance).funcs.get_unchecked(i.a as usize);
        let call_len = *(&*cx.module_code).call_len.get_unchecked(i.a as usize);
        call!(f, i.b, call_len, ip.add(1), sp, mem, len, cx)
    }

    fn CallInternal(ip, sp, mem, len, cx) {
        let i = &*ip;
        let instance = &*cx.instance;
        let index = instance.module.num_imported_funcs + i.a;
        let slot = *instance.funcs.get_unchecked(index as usize);
        if !(*slot).wasm_call.load(std::sync::atomic::Ordering::Relaxed).is_null() {
            let call_len = *(&*cx.module_code).call_len.get_unchecked(index as usize);
            call!(slot, i.b, call_len, ip.add(1), sp, mem, len, cx)
        }
        let module_code = &*cx.module_code;
        let callee = match module_code.resolved(i.a) {
            Some(c) => c,
            None => match module_code.get_or_translate(i.a) {
                Ok(c) => c,
                Err(_) => trap_at!(cx, ip, TrapCode::Internal),
            },
        };
        enter!(callee, cx.instance, cx.module_code, i.b, ip.add(1), mem, len, cx)
    }

    fn CallIndirect(ip, sp, mem, len, cx) {
        let i = &*ip;
        // The following `Extra` holds the table and the call length.
        let extra = &*ip.add(1);
        let f = indirect_callee!(extra.a, r32!(sp, i.b), i.a, ip, cx);
        call!(f, i.c, extra.b, ip.add(2), sp, mem, len, cx)
    }
}

handlers! {
    fn ReturnCall(ip, sp, mem, len, cx) {
        let i = &*ip;
        let extra = &*ip.add(1);
        let f = *(&*cx.instance).funcs.get_unchecked(i.a as usize);
        tail_call!(f, i.b, extra.a, extra.b, ip, sp, mem, len, cx)
    }

    fn ReturnCallIndirect(ip, sp, mem, len, cx) {
        let i = &*ip;
        let extra = &*ip.add(1);
        let f = indirect_callee!(extra.c, r32!(sp, i.b), i.a, ip, cx);
        tail_call!(f, i.c, extra.a, extra.b, ip, sp, mem, len, cx)
    }

    fn ReturnCallRef(ip, sp, mem, len, cx) {
        let i = &*ip;
        let extra = &*ip.add(1);
        let f = slot!(sp, i.a) as *const VMFuncRef;
        if f.is_null() {
            trap_at!(cx, ip, TrapCode::NullFuncRef)
        }
        tail_call!(f, i.b, extra.a, extra.b, ip, sp, mem, len, cx)
    }

    fn CallRef(ip, sp, mem, len, cx) {
        let i = &*ip;
        let extra = &*ip.add(1);
        let f = slot!(sp, i.a) as *const VMFuncRef;
        if f.is_null() {
            trap_at!(cx, ip, TrapCode::NullFuncRef)
        }
        call!(f, i.b, extra.b, ip.add(2), sp, mem, len, cx)
    }

    fn RefAsNonNull(ip, sp, mem, len, cx) {
        if slot!(sp, (*ip).a) == 0 {
            trap_at!(cx, ip, TrapCode::NullReference)
        }
        next!(ip.add(1), sp, mem, len, cx)
    }
}
