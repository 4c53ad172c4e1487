//! Calls between wasm functions (the wasm calling convention of
//! [`crate::isa::x64::abi`]).
//!
//! A call site puts the arguments in place and calls the `wasm_call` entry
//! of the callee's entry slot (its `VMFuncRef`), which is at `[r11]` for
//! imports and `call_indirect`, and at a fixed offset from the instance's
//! `defined_funcs` for a direct call of one of its own functions:
//!
//! ```text
//! mov  rax, [slot]         ; wasm_call: null while the callee is not compiled
//! test rax, rax
//! jz   slow                ; -> lea r11, [slot]; lea rax, [rip + adapter]; jmp join
//! mov  r14, [slot + 16]    ; only if the callee may be another instance's
//! join:
//! call rax
//! ```
//!
//! An interpreted or host callee has no `wasm_call` entry: the call goes to
//! an *adapter* for the signature (one per signature per function, after
//! the code), which stores the arguments to a value array on its frame,
//! calls the slot's `array_call` (r14 is still the caller's VMContext) and
//! loads the results back into the convention's places. A non-zero status
//! is a trap, taken to the trap exit. A call that may cross instances
//! (imported function, `call_indirect`) reloads r14 and r15 afterwards.

use super::frame::{frame_bytes, incoming, outgoing, TEMPLATES};
use super::moves::Move;
use super::{Emitter, L};
use crate::driver::emit::Lowering;
use crate::ir::{List, VReg};
use crate::isa::x64::asm::{AluOp, Cond, Label, Mem, Size};
use crate::isa::x64::regs::Gpr::{Rax, Rbp, Rcx, Rdi, Rdx, Rsi, Rsp, R11, R14};
use wx_core::vm::VMFuncRef;

/// The function's adapters (one per called signature).
pub(in crate::isa::x64) type Adapters =
    crate::isa::callconv::Adapters<crate::isa::x64::abi::WasmRegs, Label>;
type Adapter = crate::isa::callconv::Adapter<crate::isa::x64::abi::WasmRegs, Label>;

impl Emitter<'_> {
    /// The adapter for the signature `args -> rets` (an index in
    /// `adapters`), created on first use.
    fn adapter(&mut self, args: List, rets: List) -> usize {
        let asm = &mut *self.asm;
        self.adapters
            .find_or_add(self.f, args, rets, || asm.new_label())
    }

    /// Call the entry slot at `slot` (`[r11]`, or a fixed offset from an
    /// array in r11) with `args`, defining `rets`. `may_cross`: the callee
    /// may belong to another instance.
    pub(super) fn call_wasm(&mut self, slot: Mem, args: List, rets: List, may_cross: bool) {
        // (The arguments' moves create no labels, so finding the adapter
        // first numbers labels as before.)
        let adapter = self.adapter(args, rets);
        let f = self.f;
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
        let a = &mut self.asm;
        a.load(Size::S64, Rax, slot);
        a.test_rr(Size::S64, Rax, Rax);
        a.jcc(Cond::E, slow);
        if may_cross {
            let vmctx = std::mem::offset_of!(VMFuncRef, vmctx) as i32;
            a.load(
                Size::S64,
                R14,
                Mem {
                    disp: slot.disp + vmctx,
                    ..slot
                },
            );
        }
        a.bind(join);
        a.call_r(Rax);
        self.call_site();
        self.slow_calls
            .push((slow, self.adapters.get(adapter).label, join, slot));
        if may_cross {
            // Restore the VMContext and memory base unless the callee was
            // of this instance: every function of an instance with a
            // memory returns with r14 and r15 as they were, if r14 is its
            // own (it restores both after its own calls out).
            let (other, back) = (self.asm.new_label(), self.asm.new_label());
            self.asm
                .alu_rm(AluOp::Cmp, Size::S64, R14, Mem::new(Rbp, -8));
            self.asm.jcc(Cond::Ne, other);
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
            self.asm.load(Size::S64, R14, Mem::new(Rbp, -8));
            if self.f.has_memory {
                self.load_memory_base();
            }
            self.asm.jmp(back);
        }
        for &(slow, adapter, join, slot) in self.slow_calls.iter() {
            self.asm.bind(slow);
            // The adapter takes the slot in r11.
            if slot != Mem::new(R11, 0) {
                self.asm.lea(Size::S64, R11, slot);
            }
            self.asm.lea_label(Rax, adapter);
            self.asm.jmp(join);
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
        let cell = |i: usize| L::M(Mem::new(Rsp, 8 * i as i32));
        self.asm.bind(adapter.label);
        self.asm.bytes(&TEMPLATES.frame);
        let bytes = frame_bytes(0, n as u32);
        if bytes > 0 {
            self.asm.alu_ri(AluOp::Sub, Size::S64, Rsp, bytes);
        }
        for (i, (&loc, &ty)) in conv.params.iter().zip(&adapter.params).enumerate() {
            self.move_one(&Move {
                dst: cell(i),
                src: incoming(loc),
                ty,
            });
        }
        let a = &mut self.asm;
        a.mov_rr(Size::S64, Rdi, R11);
        a.mov_rr(Size::S64, Rsi, R14);
        a.mov_rr(Size::S64, Rdx, Rsp);
        a.mov_ri(Size::S32, Rcx, n as i32);
        a.call_m(Mem::new(
            Rdi,
            std::mem::offset_of!(VMFuncRef, array_call) as i32,
        ));
        a.test_rr(Size::S32, Rax, Rax);
        let status = self.asm.new_label();
        self.asm.jcc(Cond::Ne, status);
        for (i, (&loc, &ty)) in conv.results.iter().zip(&adapter.results).enumerate() {
            self.move_one(&Move {
                dst: incoming(loc),
                src: cell(i),
                ty,
            });
        }
        self.asm.bytes(&TEMPLATES.leave_ret);
        // A callee's trap: the adapter's own cold path.
        self.asm.bind(status);
        self.call_trap_exit(crate::isa::SiteKind::Adapter, u32::MAX);
    }
}
