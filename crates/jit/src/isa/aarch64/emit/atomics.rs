//! Atomic accesses (threads proposal) on AArch64. A sequentially
//! consistent load is `ldar`, a store `stlr`; read-modify-writes and
//! compare-exchange use the LSE instructions with acquire-release
//! semantics (`ldaddal`, `ldclral`, `ldsetal`, `ldeoral`, `swpal`,
//! `casal`) when the CPU has them, and otherwise a load-acquire-exclusive /
//! store-release-exclusive loop, which is sequentially consistent too.
//! Each access first traps unless its address is a multiple of its width;
//! bounds come from the guard pages, as for plain accesses (the first
//! access is the trap site).
//!
//! Registers: x16 holds the address (these instructions take a base
//! register only), x17 the value operand when it is not in a register the
//! sequence may use; x13, x14 and x15 are the loops' old value, new value
//! and status, which the allocator keeps free across these instructions
//! (see `abi::clobbers`), whichever sequence runs.

use super::Emitter;
use crate::error::JitError;
use crate::ir::{Inst, RmwOp, VReg};
use crate::isa::aarch64::abi::MEMORY_BASE;
use crate::isa::aarch64::asm::{
    AddSubOp, AtomicRmwOp, Barrier, Cond, Extend, LogicOp, Size, Width,
};
use crate::isa::aarch64::regs::Gpr::{self, X13, X14, X15, X16, X17};
use wx_core::TrapCode;

/// The encoder's width of an access of `width`.
fn asm_width(width: crate::ir::Width) -> Width {
    match width {
        crate::ir::Width::W8 => Width::B,
        crate::ir::Width::W16 => Width::H,
        crate::ir::Width::W32 => Width::W,
        crate::ir::Width::W64 => Width::X,
    }
}

/// Registers an operand must leave before the loops write them.
fn clobbered(r: Gpr) -> bool {
    matches!(r, X13 | X14 | X15)
}

/// The register size that holds a value of `width`.
fn reg_size(width: Width) -> Size {
    if width == Width::X {
        Size::S64
    } else {
        Size::S32
    }
}

impl Emitter<'_> {
    /// x16 = the address of an atomic access of `width` at `addr +
    /// offset`, after the alignment check.
    fn atomic_address(&mut self, addr: VReg, offset: u32, width: Width) {
        let ra = self.src(addr, X16);
        let mask = (1u32 << width as u32) - 1;
        if mask != 0 {
            // Only the low bits of `addr + offset` matter.
            let low = offset & mask;
            if low == 0 {
                self.asm.tst_imm(Size::S32, ra, u64::from(mask));
            } else {
                self.asm.add_imm(Size::S32, X17, ra, i64::from(low));
                self.asm.tst_imm(Size::S32, X17, u64::from(mask));
            }
            self.trap_if(Cond::Ne, TrapCode::UnalignedAtomic);
        }
        self.asm.add_sub_ext(
            AddSubOp::Add,
            Size::S64,
            X16,
            MEMORY_BASE,
            ra,
            Extend::Uxtw,
            0,
        );
        if offset >= 1 << 24 {
            self.asm.mov_imm(Size::S64, X17, u64::from(offset));
            self.asm.add(Size::S64, X16, X16, X17);
        } else if offset > 0 {
            self.asm.add_imm(Size::S64, X16, X16, i64::from(offset));
        }
    }

    /// A register holding `v` that the loops leave alone: its own, or x17.
    fn atomic_operand(&mut self, v: VReg) -> Gpr {
        let r = self.src(v, X17);
        if clobbered(r) {
            self.asm.mov_rr(Size::S64, X17, r);
            X17
        } else {
            r
        }
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
            } => {
                let width = asm_width(width);
                self.atomic_address(addr, offset, width);
                let d = self.dst(dst, X17);
                self.trap_site();
                // (Narrow forms zero-extend.)
                self.asm.ldar(width, d, X16);
                self.commit(dst, d);
            }
            Inst::AtomicStore {
                width,
                addr,
                value,
                offset,
                ..
            } => {
                let width = asm_width(width);
                self.atomic_address(addr, offset, width);
                let rv = self.src(value, X17);
                self.trap_site();
                self.asm.stlr(width, rv, X16);
            }
            Inst::AtomicRmw {
                op,
                width,
                dst,
                addr,
                value,
                offset,
                ..
            } => self.atomic_rmw(op, asm_width(width), dst, addr, value, offset),
            Inst::AtomicCmpxchg {
                width,
                dst,
                addr,
                expected,
                replacement,
                offset,
                ..
            } => self.atomic_cmpxchg(asm_width(width), dst, addr, expected, replacement, offset),
            Inst::AtomicFence => self.asm.dmb(Barrier::Ish),
            other => {
                return Err(JitError::Internal(format!(
                    "not an atomic instruction: {other:?}"
                )))
            }
        }
        Ok(())
    }

    fn atomic_rmw(
        &mut self,
        op: RmwOp,
        width: Width,
        dst: VReg,
        addr: VReg,
        value: VReg,
        offset: u32,
    ) {
        self.atomic_address(addr, offset, width);
        let rv = self.atomic_operand(value);
        let sz = reg_size(width);
        if self.lse {
            // The operand as the instruction wants it: subtraction adds
            // the negation, `and` clears the complement.
            let (lse_op, rs) = match op {
                RmwOp::Add => (AtomicRmwOp::Add, rv),
                RmwOp::Sub => {
                    self.asm.neg(Size::S64, X14, rv);
                    (AtomicRmwOp::Add, X14)
                }
                RmwOp::And => {
                    self.asm.mvn(Size::S64, X14, rv);
                    (AtomicRmwOp::Clr, X14)
                }
                RmwOp::Or => (AtomicRmwOp::Set, rv),
                RmwOp::Xor => (AtomicRmwOp::Eor, rv),
                RmwOp::Xchg => (AtomicRmwOp::Swp, rv),
            };
            self.trap_site();
            self.asm.atomic_rmw(lse_op, width, rs, X13, X16);
        } else {
            let again = self.asm.new_label();
            self.asm.bind(again);
            self.trap_site();
            self.asm.ldaxr(width, X13, X16);
            let new = match op {
                RmwOp::Add => {
                    self.asm.add(sz, X14, X13, rv);
                    X14
                }
                RmwOp::Sub => {
                    self.asm.sub(sz, X14, X13, rv);
                    X14
                }
                RmwOp::And => {
                    self.asm.logic(LogicOp::And, sz, X14, X13, rv);
                    X14
                }
                RmwOp::Or => {
                    self.asm.logic(LogicOp::Orr, sz, X14, X13, rv);
                    X14
                }
                RmwOp::Xor => {
                    self.asm.logic(LogicOp::Eor, sz, X14, X13, rv);
                    X14
                }
                RmwOp::Xchg => rv,
            };
            self.asm.stlxr(width, X15, new, X16);
            self.asm.cbnz(Size::S32, X15, again);
        }
        // x13: the old value, zero-extended from its width.
        let d = self.dst(dst, X13);
        self.mov(Size::S64, d, X13);
        self.commit(dst, d);
    }

    fn atomic_cmpxchg(
        &mut self,
        width: Width,
        dst: VReg,
        addr: VReg,
        expected: VReg,
        replacement: VReg,
        offset: u32,
    ) {
        self.atomic_address(addr, offset, width);
        // The replacement first (into x17 if it must move), then the
        // expected value into x14, wrapped to the access's width: the
        // loaded value it is compared with is zero-extended.
        let rt = self.atomic_operand(replacement);
        let re = self.src(expected, X14);
        match width {
            Width::B => self.asm.uxtb(X14, re),
            Width::H => self.asm.uxth(X14, re),
            Width::W => self.asm.mov_rr(Size::S32, X14, re),
            Width::X => self.mov(Size::S64, X14, re),
        }
        if self.lse {
            self.trap_site();
            // x14: the expected value in, the old value out.
            self.asm.casal(width, X14, rt, X16);
            self.asm.mov_rr(Size::S64, X13, X14);
        } else {
            let (again, done) = (self.asm.new_label(), self.asm.new_label());
            self.asm.bind(again);
            self.trap_site();
            self.asm.ldaxr(width, X13, X16);
            self.asm.cmp(reg_size(width), X13, X14);
            self.asm.b_cond(Cond::Ne, done);
            self.asm.stlxr(width, X15, rt, X16);
            self.asm.cbnz(Size::S32, X15, again);
            self.asm.bind(done);
        }
        let d = self.dst(dst, X13);
        self.mov(Size::S64, d, X13);
        self.commit(dst, d);
    }
}
