//! Atomic accesses (threads proposal). x86-64 keeps loads in order with
//! each other and stores in order with each other, so a sequentially
//! consistent load is a plain load and a store is an `xchg` (a locked
//! access that also orders it with later loads); read-modify-writes use
//! `lock xadd`, `xchg` or a `lock cmpxchg` loop, and compare-exchange is
//! `lock cmpxchg`. Each access first traps unless its address is a
//! multiple of its width; bounds come from the guard pages, as for plain
//! accesses (the access itself is the trap site).
//!
//! Registers: r10 carries the value operand, r11 the address when it is
//! not in a register the instruction may use; the `cmpxchg` forms take rax
//! (and the loops rdx), which the allocator keeps free across them (see
//! `abi::clobbers`).

use super::{Emitter, ExtMode, Gpr, Mem, Size};
use crate::error::JitError;
use crate::ir::{Inst, RmwOp, VReg, Width};
use crate::isa::x64::asm::{AluOp, Cond};
use wx_core::TrapCode;
use Gpr::{Rax, Rdx, R10, R11};

fn size(width: Width) -> Size {
    match width {
        Width::W8 => Size::S8,
        Width::W16 => Size::S16,
        Width::W32 => Size::S32,
        Width::W64 => Size::S64,
    }
}

impl Emitter<'_> {
    /// The memory operand of an atomic access of `width` at `addr +
    /// offset`, after the alignment check; its index register is never
    /// rax, rdx or r10.
    fn atomic_address(&mut self, addr: VReg, offset: u32, width: Width) -> Mem {
        let mut ra = self.src(addr, R11);
        if matches!(ra, Rax | Rdx | R10) {
            self.asm.mov_rr(Size::S64, R11, ra);
            ra = R11;
        }
        let mask = width.bytes() as u32 - 1;
        if mask != 0 {
            // Only the low bits of `addr + offset` matter.
            let low = offset & mask;
            if low == 0 {
                self.asm.test_ri(Size::S32, ra, mask as i32);
            } else {
                self.asm.lea(Size::S32, R10, Mem::new(ra, low as i32));
                self.asm.test_ri(Size::S32, R10, mask as i32);
            }
            self.trap_if(Cond::Ne, TrapCode::UnalignedAtomic);
        }
        self.memory_operand(ra, offset, R11)
    }

    /// Emit atomic instruction `inst`.
    pub(super) fn atomic(&mut self, inst: Inst) -> Result<(), JitError> {
        match inst {
            Inst::AtomicLoad {
                width,
                dst,
                addr,
                offset,
                ..
            } => self.atomic_load(width, dst, addr, offset),
            Inst::AtomicStore {
                width,
                addr,
                value,
                offset,
                ..
            } => self.atomic_store(width, addr, value, offset),
            Inst::AtomicRmw {
                op,
                width,
                dst,
                addr,
                value,
                offset,
                ..
            } => self.atomic_rmw(op, width, dst, addr, value, offset),
            Inst::AtomicCmpxchg {
                width,
                dst,
                addr,
                expected,
                replacement,
                offset,
                ..
            } => self.atomic_cmpxchg(width, dst, addr, expected, replacement, offset),
            Inst::AtomicFence => self.asm.mfence(),
            other => {
                return Err(JitError::Internal(format!(
                    "not an atomic instruction: {other:?}"
                )))
            }
        }
        Ok(())
    }

    /// Zero-extend the low `width` bits of `src` into `dst`'s register.
    fn commit_zero_extended(&mut self, dst: VReg, src: Gpr, width: Width) {
        let d = self.dst(dst, src);
        match width {
            Width::W8 => self.asm.movzx_rr(ExtMode::BL, d, src),
            Width::W16 => self.asm.movzx_rr(ExtMode::WL, d, src),
            Width::W32 => self.asm.mov_rr(Size::S32, d, src),
            Width::W64 => self.mov(Size::S64, d, src),
        }
        self.commit(dst, d);
    }

    fn atomic_load(&mut self, width: Width, dst: VReg, addr: VReg, offset: u32) {
        let m = self.atomic_address(addr, offset, width);
        let d = self.dst(dst, R10);
        self.trap_site();
        match width {
            Width::W8 => self.asm.movzx_rm(ExtMode::BL, d, m),
            Width::W16 => self.asm.movzx_rm(ExtMode::WL, d, m),
            w => self.asm.load(size(w), d, m),
        }
        self.commit(dst, d);
    }

    fn atomic_store(&mut self, width: Width, addr: VReg, value: VReg, offset: u32) {
        let m = self.atomic_address(addr, offset, width);
        self.src_into(value, R10);
        self.trap_site();
        self.asm.xchg_mr(size(width), m, R10);
    }

    #[allow(clippy::too_many_arguments, reason = "the instruction's fields")]
    fn atomic_rmw(
        &mut self,
        op: RmwOp,
        width: Width,
        dst: VReg,
        addr: VReg,
        value: VReg,
        offset: u32,
    ) {
        let m = self.atomic_address(addr, offset, width);
        self.src_into(value, R10);
        let sz = size(width);
        let alu = match op {
            RmwOp::Add | RmwOp::Sub => {
                if op == RmwOp::Sub {
                    self.asm.neg(Size::S64, R10);
                }
                self.trap_site();
                self.asm.lock_xadd(sz, m, R10);
                return self.commit_zero_extended(dst, R10, width);
            }
            RmwOp::Xchg => {
                self.trap_site();
                self.asm.xchg_mr(sz, m, R10);
                return self.commit_zero_extended(dst, R10, width);
            }
            RmwOp::And => AluOp::And,
            RmwOp::Or => AluOp::Or,
            RmwOp::Xor => AluOp::Xor,
        };
        // rax = old (zero-extended); retry until no other write came between.
        self.trap_site();
        match width {
            Width::W8 => self.asm.movzx_rm(ExtMode::BL, Rax, m),
            Width::W16 => self.asm.movzx_rm(ExtMode::WL, Rax, m),
            w => self.asm.load(size(w), Rax, m),
        }
        let again = self.asm.new_label();
        self.asm.bind(again);
        self.asm.mov_rr(Size::S64, Rdx, Rax);
        self.asm.alu_rr(alu, Size::S64, Rdx, R10);
        self.asm.lock_cmpxchg(sz, m, Rdx);
        self.asm.jcc(Cond::Ne, again);
        self.commit_zero_extended(dst, Rax, width);
    }

    #[allow(clippy::too_many_arguments, reason = "the instruction's fields")]
    fn atomic_cmpxchg(
        &mut self,
        width: Width,
        dst: VReg,
        addr: VReg,
        expected: VReg,
        replacement: VReg,
        offset: u32,
    ) {
        let m = self.atomic_address(addr, offset, width);
        // The replacement first: it may be in rax, which `expected` takes.
        self.src_into(replacement, R10);
        self.src_into(expected, Rax);
        self.trap_site();
        self.asm.lock_cmpxchg(size(width), m, R10);
        // rax: the old value (equal to `expected` in its low bits on success).
        self.commit_zero_extended(dst, Rax, width);
    }
}
