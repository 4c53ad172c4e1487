//! Calls between wasm functions on AArch64 (the wasm calling convention of
//! [`crate::isa::aarch64::abi`]).
//!
//! A call site puts the arguments in place, gets the callee's entry slot
//! (its `VMFuncRef`) into x17 and calls its `wasm_call` entry:
//!
//! ```text
//! ldr  x16, [x17]          ; wasm_call: null while the callee is not compiled
//! cbz  x16, slow           ; -> adr x16, adapter; b join
//! ldr  x28, [x17, #vmctx]  ; only if the callee may be another instance's
//! join:
//! blr  x16
//! ```
//!
//! An interpreted or host callee has no `wasm_call` entry: the call goes
//! to an *adapter* for the signature (one per signature per function,
//! after the code), which stores the arguments to a value array on its
//! frame, calls the slot's `array_call` (x28 is still the caller's
//! VMContext) and loads the results back into the convention's places. A
//! non-zero status is a trap, taken to the trap exit. A call that may
//! cross instances reloads x28 and x27 afterwards.

use super::frame::{incoming, outgoing, stack_bytes};
use super::moves::Move;
use super::{Emitter, L};
use crate::driver::emit::Lowering;
use crate::error::JitError;
use crate::ir::{List, VReg};
use crate::isa::aarch64::abi::VMCTX;
use crate::isa::aarch64::asm::{fits_add_imm, Cond, Label, Mem, Size};
use crate::isa::aarch64::regs::Gpr::{Sp, X0, X1, X16, X17, X2, X29, X3};
use wx_core::vm::{VMContext, VMFuncRef};
use wx_core::TrapCode;

/// The function's adapters (one per called signature).
pub(in crate::isa::aarch64) type Adapters =
    crate::isa::callconv::Adapters<crate::isa::aarch64::abi::WasmRegs, Label>;
type Adapter = crate::isa::callconv::Adapter<crate::isa::aarch64::abi::WasmRegs, Label>;

impl Emitter<'_> {
    /// The adapter for the signature `args -> rets` (an index in
    /// `adapters`), created on first use.
    fn adapter(&mut self, args: List, rets: List) -> usize {
        let asm = &mut *self.asm;
        self.adapters
            .find_or_add(self.f, args, rets, || asm.new_label())
    }

    /// A direct call of function `func`.
    pub(super) fn call(&mut self, func: u32, args: List, rets: List) -> Result<(), JitError> {
        if func < self.imported_funcs {
            let funcs = Mem::offset(VMCTX, std::mem::offset_of!(VMContext, funcs) as i64);
            self.asm.ldr(Size::S64, X17, funcs);
            let m = self.field(X17, 8 * func as usize);
            self.asm.ldr(Size::S64, X17, m);
            self.call_wasm(args, rets, true);
            return Ok(());
        }
        // The module's own function: its slot is at a fixed offset.
        let defined = Mem::offset(VMCTX, std::mem::offset_of!(VMContext, defined_funcs) as i64);
        self.asm.ldr(Size::S64, X17, defined);
        let at = u64::from(func - self.imported_funcs) * std::mem::size_of::<VMFuncRef>() as u64;
        if at >= 1 << 24 {
            return Err(JitError::Unsupported {
                opcode: "call (function index too large)".into(),
            });
        }
        if at > 0 {
            self.asm.add_imm(Size::S64, X17, X17, at as i64);
        }
        self.call_wasm(args, rets, false);
        Ok(())
    }

    /// `call_indirect` through table `table`: checks the element is there
    /// and of signature `sig`.
    pub(super) fn call_indirect(
        &mut self,
        sig: u32,
        table: u32,
        index: VReg,
        args: List,
        rets: List,
    ) {
        let slot = self.table_slot(table, index, TrapCode::UndefinedElement);
        self.asm.ldr(Size::S64, X17, slot);
        self.trap_if_zero(TrapCode::UninitializedElement);
        self.asm.ldr(
            Size::S32,
            X16,
            Mem::offset(X17, std::mem::offset_of!(VMFuncRef, sig) as i64),
        );
        if fits_add_imm(u64::from(sig)) {
            self.asm.cmp_imm(Size::S32, X16, i64::from(sig));
            self.trap_if(Cond::Ne, TrapCode::IndirectCallTypeMismatch);
        } else {
            // Subtract in two steps, keeping x17: zero when equal.
            self.asm
                .sub_imm(Size::S32, X16, X16, i64::from(sig >> 12 << 12));
            self.asm.cmp_imm(Size::S32, X16, i64::from(sig & 0xfff));
            self.trap_if(Cond::Ne, TrapCode::IndirectCallTypeMismatch);
        }
        self.call_wasm(args, rets, true);
    }

    /// Trap with `code` if x17 is null.
    fn trap_if_zero(&mut self, code: TrapCode) {
        let label = self.cold_site(crate::isa::SiteKind::Trap(code));
        self.asm.cbz(Size::S64, X17, label);
    }

    /// Call the entry slot whose address is in x17 with `args`, defining
    /// `rets`. `may_cross`: the callee may belong to another instance.
    fn call_wasm(&mut self, args: List, rets: List, may_cross: bool) {
        let adapter = self.adapter(args, rets);
        let f = self.f;
        // (The parallel move uses x16 and v31 only: x17 survives it.)
        let mut moves = self.take_moves();
        let conv = &self.adapters.get(adapter).conv;
        for (&v, &loc) in f.list_items(args).iter().zip(&conv.params) {
            moves.push(Move {
                dst: outgoing(loc),
                src: self.loc(VReg(v)),
                ty: f.ty(VReg(v)),
            });
        }
        self.parallel_move(moves);
        let (slow, join) = (self.asm.new_label(), self.asm.new_label());
        let a = &mut *self.asm;
        a.ldr(Size::S64, X16, Mem::base(X17));
        a.cbz(Size::S64, X16, slow);
        if may_cross {
            let vmctx = std::mem::offset_of!(VMFuncRef, vmctx) as i64;
            a.ldr(Size::S64, VMCTX, Mem::offset(X17, vmctx));
        }
        a.bind(join);
        a.blr(X16);
        self.call_site();
        self.slow_calls
            .push((slow, self.adapters.get(adapter).label, join));
        if may_cross {
            // Restore the VMContext and memory base unless the callee was
            // of this instance.
            let (other, back) = (self.asm.new_label(), self.asm.new_label());
            self.asm.ldr(Size::S64, X16, Mem::offset(X29, -8));
            self.asm.cmp(Size::S64, VMCTX, X16);
            self.asm.b_cond(Cond::Ne, other);
            self.asm.bind(back);
            self.restores.push((other, back));
        }
        let mut moves = self.take_moves();
        let conv = &self.adapters.get(adapter).conv;
        for (&v, &loc) in f.list_items(rets).iter().zip(&conv.results) {
            moves.push(Move {
                dst: self.loc(VReg(v)),
                src: outgoing(loc),
                ty: f.ty(VReg(v)),
            });
        }
        self.parallel_move(moves);
    }

    /// The out-of-line paths of calls and the adapters they use.
    pub(super) fn call_paths(&mut self) {
        for i in 0..self.restores.len() {
            let (other, back) = self.restores[i];
            self.asm.bind(other);
            self.asm.mov_rr(Size::S64, VMCTX, X16);
            if self.f.has_memory {
                self.load_memory_base();
            }
            self.asm.b(back);
        }
        for &(slow, adapter, join) in self.slow_calls.iter() {
            self.asm.bind(slow);
            // The adapter takes the slot in x17.
            self.asm.adr(X16, adapter);
            self.asm.b(join);
        }
        let adapters = std::mem::take(self.adapters);
        for adapter in adapters.current() {
            self.emit_adapter(adapter);
        }
        *self.adapters = adapters;
    }

    /// wasm convention in, array convention out (see the module docs).
    fn emit_adapter(&mut self, adapter: &Adapter) {
        let conv = &adapter.conv;
        let n = adapter.params.len().max(adapter.results.len());
        let cell = |i: usize| L::M(Mem::offset(Sp, 8 * i as i64));
        self.asm.bind(adapter.label);
        self.frame_record();
        let bytes = stack_bytes(n as u32);
        if bytes > 0 {
            self.asm.sub_imm(Size::S64, Sp, Sp, bytes);
        }
        for (i, (&loc, &ty)) in conv.params.iter().zip(&adapter.params).enumerate() {
            self.move_one(&Move {
                dst: cell(i),
                src: incoming(loc),
                ty,
            });
        }
        let a = &mut *self.asm;
        a.mov_rr(Size::S64, X0, X17);
        a.mov_rr(Size::S64, X1, VMCTX);
        a.add_imm(Size::S64, X2, Sp, 0);
        a.mov_imm(Size::S32, X3, n as u64);
        a.ldr(
            Size::S64,
            X16,
            Mem::offset(X0, std::mem::offset_of!(VMFuncRef, array_call) as i64),
        );
        a.blr(X16);
        let status = self.asm.new_label();
        self.asm.cbnz(Size::S32, X0, status);
        for (i, (&loc, &ty)) in conv.results.iter().zip(&adapter.results).enumerate() {
            self.move_one(&Move {
                dst: incoming(loc),
                src: cell(i),
                ty,
            });
        }
        self.leave_ret();
        // A callee's trap: the adapter's own cold path.
        self.asm.bind(status);
        self.call_trap_exit(crate::isa::SiteKind::Adapter, u32::MAX);
    }
}
