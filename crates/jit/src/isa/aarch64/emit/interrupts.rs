//! Epoch checks (`Inst::EpochCheck`) on AArch64 (see the x86-64 back
//! end's `interrupts` for the scheme, which is the same):
//!
//! ```text
//! ldr x16, [x28, #limits]          ; the store's VMLimits
//! ldr x17, [x16, #epoch]           ; the engine's counter
//! ldr x17, [x17]
//! ldr x16, [x16, #epoch_deadline]
//! cmp x17, x16
//! b.hs slow                        ; cold, after the body:
//! back:                            ; slow: bl stub; cbz w16, back
//!                                  ;       mov w0, w16; b <status trap site>
//! ```
//!
//! One stub per function calls `libcalls::epoch_interrupt` keeping every
//! caller-saved register the allocator hands out, and returns its status
//! in w16.

use super::{mov_address, Emitter};
use crate::isa::aarch64::abi::{CALLER_SAVED_FPRS, CALLER_SAVED_GPRS, VMCTX};
use crate::isa::aarch64::asm::{Cond, FloatSize, Mem, Size};
use crate::isa::aarch64::regs::Gpr::{Sp, X0, X16, X17, X29, X30};
use crate::isa::SiteKind;
use wx_core::vm::{VMContext, VMLimits};

const LIMITS: i64 = std::mem::offset_of!(VMContext, limits) as i64;
const EPOCH: i64 = std::mem::offset_of!(VMLimits, epoch) as i64;
const DEADLINE: i64 = std::mem::offset_of!(VMLimits, epoch_deadline) as i64;
const FUEL: i64 = std::mem::offset_of!(VMLimits, fuel) as i64;

/// Bytes of the stub's save area: the caller-saved registers, in pairs.
const SAVE_BYTES: i64 = 8 * (CALLER_SAVED_GPRS.len() + CALLER_SAVED_FPRS.len()) as i64;

impl Emitter<'_> {
    /// Take a unit of fuel: load, subtract, store, and trap if the sign
    /// bit is set.
    pub(super) fn consume_fuel(&mut self) {
        let a = &mut *self.asm;
        a.ldr(Size::S64, X16, Mem::offset(VMCTX, LIMITS));
        a.ldr(Size::S64, X17, Mem::offset(X16, FUEL));
        a.sub_imm(Size::S64, X17, X17, 1);
        a.str(Size::S64, X17, Mem::offset(X16, FUEL));
        let trap = self.cold_site(SiteKind::Trap(wx_core::TrapCode::OutOfFuel));
        self.asm.tbnz(X17, 63, trap);
    }

    /// The check itself; its slow path comes after the body.
    pub(super) fn epoch_check(&mut self) {
        let a = &mut *self.asm;
        a.ldr(Size::S64, X16, Mem::offset(VMCTX, LIMITS));
        a.ldr(Size::S64, X17, Mem::offset(X16, EPOCH));
        a.ldr(Size::S64, X17, Mem::base(X17));
        a.ldr(Size::S64, X16, Mem::offset(X16, DEADLINE));
        a.cmp(Size::S64, X17, X16);
        let (slow, back) = (a.new_label(), a.new_label());
        a.b_cond(Cond::Hs, slow);
        a.bind(back);
        self.interrupts.push((slow, back, self.d.cur_inst));
    }

    /// The checks' slow paths and the stub they call (before the trap
    /// exit: a status trap adds a cold path).
    pub(super) fn interrupt_paths(&mut self) {
        if self.interrupts.is_empty() {
            return;
        }
        let stub = self.asm.new_label();
        for i in 0..self.interrupts.len() {
            let (slow, back, inst) = self.interrupts[i];
            let status = self.asm.new_label();
            self.cold.push((status, SiteKind::Status, inst));
            let a = &mut *self.asm;
            a.bind(slow);
            a.bl(stub);
            a.cbz(Size::S32, X16, back);
            a.mov_rr(Size::S32, X0, X16);
            a.b(status);
        }
        let a = &mut *self.asm;
        a.bind(stub);
        a.stp(Size::S64, X29, X30, Mem::pre(Sp, -16));
        a.add_imm(Size::S64, X29, Sp, 0);
        a.sub_imm(Size::S64, Sp, Sp, SAVE_BYTES);
        let fprs_at = 8 * CALLER_SAVED_GPRS.len() as i64;
        for (i, pair) in CALLER_SAVED_GPRS.chunks(2).enumerate() {
            a.stp(Size::S64, pair[0], pair[1], Mem::offset(Sp, 16 * i as i64));
        }
        for (i, pair) in CALLER_SAVED_FPRS.chunks(2).enumerate() {
            let at = Mem::offset(Sp, fprs_at + 16 * i as i64);
            a.stp_f(FloatSize::F64, pair[0], pair[1], at);
        }
        a.mov_rr(Size::S64, X0, VMCTX);
        mov_address(
            a,
            X16,
            wx_core::libcalls::epoch_interrupt as *const () as u64,
        );
        a.blr(X16);
        a.mov_rr(Size::S32, X16, X0);
        for (i, pair) in CALLER_SAVED_FPRS.chunks(2).enumerate() {
            let at = Mem::offset(Sp, fprs_at + 16 * i as i64);
            a.ldp_f(FloatSize::F64, pair[0], pair[1], at);
        }
        for (i, pair) in CALLER_SAVED_GPRS.chunks(2).enumerate() {
            a.ldp(Size::S64, pair[0], pair[1], Mem::offset(Sp, 16 * i as i64));
        }
        a.add_imm(Size::S64, Sp, Sp, SAVE_BYTES);
        a.ldp(Size::S64, X29, X30, Mem::post(Sp, 16));
        // A host callback may have run wasm that moved the memory.
        if self.f.has_memory || self.needs.memory {
            self.load_memory_base();
        }
        self.asm.ret();
    }
}
