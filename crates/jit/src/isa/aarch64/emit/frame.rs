//! Frames on AArch64: the entry stub (array calling convention), the
//! function's prologue and returns (wasm calling convention), and the trap
//! exit.
//!
//! The entry stub is what Rust calls (AAPCS64): `(callee, caller_vmctx,
//! values, len) -> status` in x0..x3. It saves the host's callee-saved
//! registers, records its *landing* in the store's `VMLimits::entry_sp`,
//! loads the arguments from `values` into the wasm convention's places,
//! calls the function and stores its results back to `values`:
//!
//! ```text
//! [x29 + 8], [x29]   the host's x30 and x29 (frame record)
//! [x29 - 8 .. - 80]  saved x19..x28
//! [x29 - 88 .. -144] saved d8..d15
//! [x29 - 152]        the store's VMLimits
//! [x29 - 160]        the previous entry_sp
//! [x29 - 168]        values
//! [x29 - 176]        address of the landing    <- entry_sp
//! [sp + 8k]          the callee's stack words
//! ```
//!
//! A trap anywhere in compiled code reaches the trap exit with its site's
//! pc in x30 (a cold path's `bl`, or the signal handler for a faulting
//! access), which has the runtime record the backtrace, gets the trap code
//! in w0 and sets sp to `entry_sp` and branches to the landing address
//! stored there (or, when a compiled frame catches the exception, to its
//! landing pad). The landing finds the stub's frame from sp, restores
//! `entry_sp` and the host's registers and returns w0.
//!
//! The function's own frame (wasm convention):
//!
//! ```text
//! [x29 + 16 + 8k]    incoming stack words
//! [x29 + 8], [x29]   return address and the caller's x29
//! [x29 - 8]          the VMContext (x28 on entry), if a call may cross
//!                    instances
//! below              the callee-saved registers the allocation uses
//! [sp + 8w + 8k]     spill slot k (w: the outgoing area's words)
//! [sp + 8k]          the outgoing area
//! ```

use super::moves::Move;
use super::{Emitter, L};
use crate::driver::emit::Lowering;
use crate::ir::VReg;
use crate::isa::aarch64::abi::{ArgLoc, MEMORY_BASE, VMCTX};
use crate::isa::aarch64::asm::{AddSubOp, Cond, Extend, Mem, Size};
use crate::isa::aarch64::regs::{Fpr, Gpr};
use wx_core::vm::{VMContext, VMFuncRef, VMLimits};
use wx_core::TrapCode;

use Gpr::{Sp, Zr, X0, X1, X16, X17, X2, X29, X3, X30, X4};

pub(super) const LIMITS: usize = std::mem::offset_of!(VMContext, limits);
const ENTRY_SP: usize = std::mem::offset_of!(VMLimits, entry_sp);
const STACK_LIMIT: usize = std::mem::offset_of!(VMLimits, stack_limit);
const RESUME_PC: usize = std::mem::offset_of!(VMLimits, resume_pc);
const RESUME_FP: usize = std::mem::offset_of!(VMLimits, resume_fp);

/// The largest frame of a function that calls nothing and skips the
/// stack-limit check (see the x86-64 back end: the runtime's limit keeps
/// a margin far above it).
const LEAF_FRAME_MAX: i64 = 4096;

/// Bytes of the entry stub's frame below its x29 (16-aligned).
const STUB_TOP: i64 = 176;

/// The host's callee-saved registers the entry stub saves, in pairs, and
/// where (below x29) each pair goes.
const HOST_SAVED: [(Gpr, Gpr, i64); 5] = [
    (Gpr::X19, Gpr::X20, -16),
    (Gpr::X21, Gpr::X22, -32),
    (Gpr::X23, Gpr::X24, -48),
    (Gpr::X25, Gpr::X26, -64),
    (Gpr::X27, Gpr::X28, -80),
];
const HOST_SAVED_F: [(Fpr, Fpr, i64); 4] = [
    (Fpr::V8, Fpr::V9, -96),
    (Fpr::V10, Fpr::V11, -112),
    (Fpr::V12, Fpr::V13, -128),
    (Fpr::V14, Fpr::V15, -144),
];

/// Bytes for `words` stack words, rounded up to keep sp 16-aligned.
pub(super) fn stack_bytes(words: u32) -> i64 {
    (8 * i64::from(words) + 15) & !15
}

/// Where a wasm-convention value lives for the callee.
pub(super) fn incoming(loc: ArgLoc) -> L {
    match loc {
        ArgLoc::Gpr(r) => L::R(r),
        ArgLoc::Fpr(x) => L::V(x),
        ArgLoc::Stack(k) => L::M(Mem::offset(X29, 16 + 8 * i64::from(k))),
    }
}

/// Where a wasm-convention value lives for the caller, at the call.
pub(super) fn outgoing(loc: ArgLoc) -> L {
    match loc {
        ArgLoc::Gpr(r) => L::R(r),
        ArgLoc::Fpr(x) => L::V(x),
        ArgLoc::Stack(k) => L::M(Mem::offset(Sp, 8 * i64::from(k))),
    }
}

impl Emitter<'_> {
    /// `stp x29, x30, [sp, #-16]!; mov x29, sp`.
    pub(super) fn frame_record(&mut self) {
        self.asm.stp(Size::S64, X29, X30, Mem::pre(Sp, -16));
        self.asm.add_imm(Size::S64, X29, Sp, 0);
    }

    /// `mov sp, x29; ldp x29, x30, [sp], #16; ret`.
    pub(super) fn leave_ret(&mut self) {
        self.asm.add_imm(Size::S64, Sp, X29, 0);
        self.asm.ldp(Size::S64, X29, X30, Mem::post(Sp, 16));
        self.asm.ret();
    }

    /// The array-call entry (see the module documentation).
    pub(super) fn entry_stub(&mut self) {
        self.frame_record();
        let words = self.conv.stack_words;
        let a = &mut *self.asm;
        a.sub_imm(Size::S64, Sp, Sp, STUB_TOP + stack_bytes(words));
        for (r1, r2, at) in HOST_SAVED {
            a.stp(Size::S64, r1, r2, Mem::offset(X29, at));
        }
        for (r1, r2, at) in HOST_SAVED_F {
            a.stp_f(
                crate::isa::aarch64::asm::FloatSize::F64,
                r1,
                r2,
                Mem::offset(X29, at),
            );
        }
        a.ldr(
            Size::S64,
            VMCTX,
            Mem::offset(X0, std::mem::offset_of!(VMFuncRef, vmctx) as i64),
        );
        a.ldr(Size::S64, X16, Mem::offset(VMCTX, LIMITS as i64));
        a.ldr(Size::S64, X17, Mem::offset(X16, ENTRY_SP as i64));
        a.stp(Size::S64, X17, X16, Mem::offset(X29, -160));
        a.adr(X17, self.landing);
        a.stp(Size::S64, X17, X2, Mem::offset(X29, -STUB_TOP));
        a.sub_imm(Size::S64, X17, X29, STUB_TOP);
        a.str(Size::S64, X17, Mem::offset(X16, ENTRY_SP as i64));
        // Arguments: from the value cells (through x17: x2 is an argument
        // register) to their places; parameters dead at entry are not
        // loaded at all.
        a.mov_rr(Size::S64, X17, X2);
        let f = self.f;
        for (i, &p) in f.params.iter().enumerate() {
            let loc = self.conv.params[i];
            if self.alloc.live_at_entry(p) {
                self.move_one(&Move {
                    dst: outgoing(loc),
                    src: L::M(Mem::offset(X17, 8 * i as i64)),
                    ty: f.ty(p),
                });
            }
        }
        self.asm.bl(self.body);
        self.asm.ldr(Size::S64, X17, Mem::offset(X29, -168));
        for (i, &ty) in f.results.iter().enumerate() {
            let loc = self.conv.results[i];
            self.move_one(&Move {
                dst: L::M(Mem::offset(X17, 8 * i as i64)),
                src: outgoing(loc),
                ty,
            });
        }
        let a = &mut *self.asm;
        a.mov_imm(Size::S32, X0, 0);
        a.sub_imm(Size::S64, Sp, X29, STUB_TOP);
        // The landing: sp at the landing's address, w0 the status; x29 is
        // not restored by a trap.
        a.bind(self.landing);
        a.add_imm(Size::S64, X29, Sp, STUB_TOP);
        a.ldp(Size::S64, X17, X16, Mem::offset(X29, -160));
        a.str(Size::S64, X17, Mem::offset(X16, ENTRY_SP as i64));
        for (r1, r2, at) in HOST_SAVED {
            a.ldp(Size::S64, r1, r2, Mem::offset(X29, at));
        }
        for (r1, r2, at) in HOST_SAVED_F {
            a.ldp_f(
                crate::isa::aarch64::asm::FloatSize::F64,
                r1,
                r2,
                Mem::offset(X29, at),
            );
        }
        self.leave_ret();
    }

    /// Where callee-saved register number `i` (VMContext slot first,
    /// then the saved general-purpose, then vector registers) lives.
    fn save_slot(&self, i: usize) -> Mem {
        Mem::offset(X29, -8 * (i as i64 + 1))
    }

    /// The wasm-call entry's prologue: frame, stack check, memory base and
    /// the parameters moved from the convention's places to their homes.
    pub(super) fn prologue(&mut self) {
        self.asm.bind(self.body);
        self.frame_record();
        let bytes = self.frame_bytes;
        if bytes > 0 {
            self.asm.sub_imm(Size::S64, Sp, Sp, bytes);
        }
        let mut i = 0;
        if self.needs.vmctx_slot {
            let m = self.save_slot(i);
            self.asm.str(Size::S64, VMCTX, m);
            i += 1;
        }
        for k in 0..self.saved.len() {
            let m = self.save_slot(i);
            self.asm.str(Size::S64, self.saved[k], m);
            i += 1;
        }
        for k in 0..self.saved_f.len() {
            let m = self.save_slot(i);
            self.asm
                .str_f(crate::isa::aarch64::asm::FloatSize::F64, self.saved_f[k], m);
            i += 1;
        }
        // Stack-limit check (the limit is 0 where the host set none). A
        // leaf with a small frame stays within the limit's margin.
        if !self.needs.leaf || 16 + bytes > LEAF_FRAME_MAX {
            self.asm
                .ldr(Size::S64, X16, Mem::offset(VMCTX, LIMITS as i64));
            self.asm
                .ldr(Size::S64, X16, Mem::offset(X16, STACK_LIMIT as i64));
            self.asm
                .add_sub_ext(AddSubOp::Subs, Size::S64, Zr, Sp, X16, Extend::Uxtx, 0);
            self.trap_if(Cond::Lo, TrapCode::StackOverflow);
        }
        if self.needs.memory {
            self.load_memory_base();
        }
        let f = self.f;
        let mut moves = self.take_moves();
        for (&p, &loc) in f.params.iter().zip(&self.conv.params) {
            // Only parameters live at entry: one dead there may share its
            // register with a live one.
            if self.alloc.live_at_entry(p) {
                moves.push(Move {
                    dst: self.loc(p),
                    src: incoming(loc),
                    ty: f.ty(p),
                });
            }
        }
        self.parallel_move(moves);
    }

    /// x27 = memory 0's base, from the VMContext in x28.
    pub(super) fn load_memory_base(&mut self) {
        self.asm.ldr(
            Size::S64,
            MEMORY_BASE,
            Mem::offset(VMCTX, std::mem::offset_of!(VMContext, memory0) as i64),
        );
        self.asm.ldr(Size::S64, MEMORY_BASE, Mem::base(MEMORY_BASE));
    }

    /// Return `values` to the caller.
    pub(super) fn ret(&mut self, values: &[u32]) {
        let f = self.f;
        let mut moves = self.take_moves();
        for (&v, &loc) in values.iter().zip(&self.conv.results) {
            moves.push(Move {
                dst: incoming(loc),
                src: self.loc(VReg(v)),
                ty: f.ty(VReg(v)),
            });
        }
        self.parallel_move(moves);
        let mut i = usize::from(self.needs.vmctx_slot);
        for k in 0..self.saved.len() {
            let m = self.save_slot(i);
            self.asm.ldr(Size::S64, self.saved[k], m);
            i += 1;
        }
        for k in 0..self.saved_f.len() {
            let m = self.save_slot(i);
            self.asm
                .ldr_f(crate::isa::aarch64::asm::FloatSize::F64, self.saved_f[k], m);
            i += 1;
        }
        self.leave_ret();
    }

    /// The cold paths, one per site, each a `bl` to the trap exit so that
    /// x30 names the site; then the trap exit itself: with the site's pc in
    /// x30 (and a status in w0 for sites that pass one on), let the runtime
    /// record the wasm frames, then unwind to the innermost entry stub's
    /// landing with the trap code in w0.
    pub(super) fn emit_trap_exit(&mut self) {
        for i in 0..self.cold.len() {
            let (label, kind, inst) = self.cold[i];
            self.asm.bind(label);
            self.call_trap_exit(kind, inst);
        }
        let a = &mut *self.asm;
        a.bind(self.trap_exit);
        a.mov_rr(Size::S64, X1, X30);
        a.add_imm(Size::S64, X2, Sp, 0);
        a.mov_rr(Size::S64, X3, X29);
        a.mov_rr(Size::S32, X4, X0);
        a.mov_rr(Size::S64, X0, VMCTX);
        super::mov_address(a, X16, wx_core::libcalls::trap_exit as *const () as u64);
        a.blr(X16);
        a.ldr(Size::S64, X16, Mem::offset(VMCTX, LIMITS as i64));
        let resume = a.new_label();
        a.cmp_imm(Size::S32, X0, i64::from(wx_core::libcalls::RESUME as i32));
        a.b_cond(Cond::Eq, resume);
        a.ldr(Size::S64, X17, Mem::offset(X16, ENTRY_SP as i64));
        a.add_imm(Size::S64, Sp, X17, 0);
        a.ldr(Size::S64, X17, Mem::base(Sp));
        a.br(X17);
        // A compiled frame catches the exception: on at its landing pad,
        // which sets sp from x29.
        a.bind(resume);
        a.ldr(Size::S64, X29, Mem::offset(X16, RESUME_FP as i64));
        a.ldr(Size::S64, X17, Mem::offset(X16, RESUME_PC as i64));
        a.br(X17);
    }

    /// A cold path's call of the trap exit, recorded as a site of `kind`
    /// for IR instruction `inst`.
    pub(super) fn call_trap_exit(&mut self, kind: crate::isa::SiteKind, inst: u32) {
        self.asm.bl(self.trap_exit);
        let pc = self.asm.offset() as u32;
        if kind == crate::isa::SiteKind::Status {
            // A throw: the walker looks its scope up by this pc.
            self.d.handler_site(self.f, inst, pc);
        }
        self.d.trap_site(self.f, pc, kind, inst);
    }
}
