//! Epoch checks (`Inst::EpochCheck`), at function entries and loop
//! headers of modules that check epochs:
//!
//! ```text
//! mov r11, [r14 + limits]          ; the store's VMLimits
//! mov r10, [r11 + epoch]           ; the engine's counter
//! mov r10, [r10]
//! cmp r10, [r11 + epoch_deadline]
//! jae slow                         ; cold, after the body:
//! back:                            ; slow: call stub; test r11d, r11d
//!                                  ;       je back; mov eax, r11d
//!                                  ;       jmp <status trap site>
//! ```
//!
//! One stub per function calls `libcalls::epoch_interrupt` keeping every
//! register the allocator hands out (so the check clobbers nothing and
//! values stay in registers across it) and returns its status in r11d.

use super::{Emitter, Gpr, Mem, Size};
use crate::isa::x64::abi::CALLER_SAVED_GPRS;
use crate::isa::x64::asm::{AluOp, Cond, FloatSize};
use crate::isa::x64::regs::Xmm;
use crate::isa::SiteKind;
use wx_core::vm::{VMContext, VMLimits};
use Gpr::{Rax, Rdi, Rsp, R10, R11, R14};

const LIMITS: i32 = std::mem::offset_of!(VMContext, limits) as i32;
const EPOCH: i32 = std::mem::offset_of!(VMLimits, epoch) as i32;
const DEADLINE: i32 = std::mem::offset_of!(VMLimits, epoch_deadline) as i32;
const FUEL: i32 = std::mem::offset_of!(VMLimits, fuel) as i32;

/// The xmm registers the allocator hands out (all caller-saved).
const SAVED_XMMS: usize = 14;

impl Emitter<'_> {
    /// Take a unit of fuel: `sub qword [limits + fuel], 1; js <trap>`.
    pub(super) fn consume_fuel(&mut self) {
        self.asm.load(Size::S64, R11, Mem::new(R14, LIMITS));
        self.asm
            .alu_mi(AluOp::Sub, Size::S64, Mem::new(R11, FUEL), 1);
        self.trap_if(Cond::S, wx_core::TrapCode::OutOfFuel);
    }

    /// The check itself; its slow path comes after the body.
    pub(super) fn epoch_check(&mut self) {
        let a = &mut self.asm;
        a.load(Size::S64, R11, Mem::new(R14, LIMITS));
        a.load(Size::S64, R10, Mem::new(R11, EPOCH));
        a.load(Size::S64, R10, Mem::new(R10, 0));
        a.alu_rm(AluOp::Cmp, Size::S64, R10, Mem::new(R11, DEADLINE));
        let (slow, back) = (a.new_label(), a.new_label());
        a.jcc(Cond::Ae, slow);
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
            let a = &mut self.asm;
            a.bind(slow);
            a.call_label(stub);
            a.test_rr(Size::S32, R11, R11);
            a.jcc(Cond::E, back);
            a.mov_rr(Size::S32, Rax, R11);
            a.jmp(status);
        }
        // The body keeps rsp 16-byte aligned at calls: with the return
        // address and seven registers pushed, it is aligned again.
        let a = &mut self.asm;
        a.bind(stub);
        for &r in &CALLER_SAVED_GPRS {
            a.push(r);
        }
        a.alu_ri(AluOp::Sub, Size::S64, Rsp, 8 * SAVED_XMMS as i32);
        for (i, &x) in Xmm::ALL[..SAVED_XMMS].iter().enumerate() {
            a.fstore(FloatSize::F64, Mem::new(Rsp, 8 * i as i32), x);
        }
        a.mov_rr(Size::S64, Rdi, R14);
        a.mov_imm64(R11, wx_core::libcalls::epoch_interrupt as *const () as u64);
        a.call_r(R11);
        a.mov_rr(Size::S32, R11, Rax);
        for (i, &x) in Xmm::ALL[..SAVED_XMMS].iter().enumerate() {
            a.fload(FloatSize::F64, x, Mem::new(Rsp, 8 * i as i32));
        }
        a.alu_ri(AluOp::Add, Size::S64, Rsp, 8 * SAVED_XMMS as i32);
        for &r in CALLER_SAVED_GPRS.iter().rev() {
            a.pop(r);
        }
        // A host callback may have run wasm that moved the memory.
        if self.f.has_memory || self.needs.memory {
            self.load_memory_base();
        }
        self.asm.ret();
    }
}
