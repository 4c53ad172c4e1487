//! Integer arithmetic: ALU operations and shifts (with immediates where
//! they fit), division, compares, `select` and the unary operations.

use super::{moves, size, Emitter, L};
use crate::error::JitError;
use crate::ir::{CmpRhs, DivOp, IBinOp, IUnOp, IntCC, Ty, VReg};
use crate::isa::x64::asm::{AluOp, Cond, ExtMode, ShiftOp, Size};
use crate::isa::x64::regs::Gpr::{self, Rax, Rcx, Rdx, R10, R11};
use wx_core::TrapCode;

/// A table by `IBinOp` (`Rotr` is the last) holding `pairs`' operations,
/// `None` for every other operation.
const fn op_table<T: Copy, const N: usize>(
    pairs: [(IBinOp, T); N],
) -> [Option<T>; IBinOp::Rotr as usize + 1] {
    let mut t = [None; IBinOp::Rotr as usize + 1];
    let mut i = 0;
    while i < N {
        t[pairs[i].0 as usize] = Some(pairs[i].1);
        i += 1;
    }
    t
}

/// The ALU operation of `op`, if it is one (a table lookup: this runs for
/// every integer operation).
fn alu(op: IBinOp) -> Option<AluOp> {
    const TABLE: [Option<AluOp>; IBinOp::Rotr as usize + 1] = op_table([
        (IBinOp::Add, AluOp::Add),
        (IBinOp::Sub, AluOp::Sub),
        (IBinOp::And, AluOp::And),
        (IBinOp::Or, AluOp::Or),
        (IBinOp::Xor, AluOp::Xor),
    ]);
    TABLE[op as usize]
}

/// The shift or rotate of `op`, if it is one (a table lookup, as [`alu`]).
fn shift(op: IBinOp) -> Option<ShiftOp> {
    const TABLE: [Option<ShiftOp>; IBinOp::Rotr as usize + 1] = op_table([
        (IBinOp::Shl, ShiftOp::Shl),
        (IBinOp::ShrS, ShiftOp::Sar),
        (IBinOp::ShrU, ShiftOp::Shr),
        (IBinOp::Rotl, ShiftOp::Rol),
        (IBinOp::Rotr, ShiftOp::Ror),
    ]);
    TABLE[op as usize]
}

impl Emitter<'_> {
    pub(super) fn ibin(
        &mut self,
        op: IBinOp,
        ty: Ty,
        dst: VReg,
        a: VReg,
        b: VReg,
    ) -> Result<(), JitError> {
        let sz = size(ty);
        if let Some(sop) = shift(op) {
            // The count goes to cl. Shift in place in `dst`'s register when
            // neither loading the count nor copying `a` destroys the other
            // operand; otherwise (or when `dst` is rcx) through r10.
            let d = self.dst(dst, R10);
            let d = if d == Rcx { R10 } else { d };
            let a_in_rcx = matches!(self.loc(a), L::R(Rcx));
            let b_in_d = matches!(self.loc(b), L::R(r) if r == d);
            if !a_in_rcx && !b_in_d {
                let rb = self.src(b, R11);
                self.mov(Size::S32, Rcx, rb);
                self.src_into(a, d);
                self.asm.shift_cl(sop, sz, d);
                let real = self.dst(dst, R10);
                self.mov(Size::S64, real, d);
                self.commit(dst, real);
            } else {
                let ra = self.src(a, R10);
                self.mov(Size::S64, R10, ra);
                let rb = self.src(b, R11);
                self.mov(Size::S32, Rcx, rb);
                self.asm.shift_cl(sop, sz, R10);
                let d = self.dst(dst, R10);
                self.mov(Size::S64, d, R10);
                self.commit(dst, d);
            }
            return Ok(());
        }
        let commutative = matches!(
            op,
            IBinOp::Add | IBinOp::Mul | IBinOp::And | IBinOp::Or | IBinOp::Xor
        );
        let d = self.dst(dst, R10);
        let (la, lb) = (self.loc(a), self.loc(b));
        // `d = a op b` in two-address form: `d = a; d op= b`, unless `d`
        // holds `b` (and not `a`): then `d op= a` if the op commutes, else
        // through r10.
        let (lhs, rhs) = match (la, lb) {
            (_, L::R(rb)) if rb == d && !moves::same(&la, &lb) => {
                if commutative {
                    (d, la)
                } else {
                    self.src_into(a, R10);
                    (R10, lb)
                }
            }
            _ => {
                self.src_into(a, d);
                (d, lb)
            }
        };
        self.ibin_rx(op, sz, lhs, rhs);
        self.mov(sz, d, lhs);
        self.commit(dst, d);
        Ok(())
    }

    /// `lhs op= rhs`, with `rhs` in a register or a spill slot (read in
    /// place).
    fn ibin_rx(&mut self, op: IBinOp, sz: Size, lhs: Gpr, rhs: L) {
        let r = match rhs {
            L::R(r) => r,
            L::M(m) => {
                match alu(op) {
                    Some(aop) => self.asm.alu_rm(aop, sz, lhs, m),
                    None => self.asm.imul_rm(sz, lhs, m),
                }
                return;
            }
            L::X(x) => {
                // Only a never-live value sits in a float register here.
                self.asm.movd_from_xmm(Size::S64, R11, x);
                R11
            }
        };
        match alu(op) {
            Some(aop) => self.asm.alu_rr(aop, sz, lhs, r),
            None => self.asm.imul_rr(sz, lhs, r),
        }
    }

    pub(super) fn ibin_imm(&mut self, op: IBinOp, ty: Ty, dst: VReg, a: VReg, imm: i32) {
        let sz = size(ty);
        // A spilled value updated in its own slot: one read-modify-write
        // (a 32-bit one keeps an i32 slot's upper half zero).
        // (Checked in turn: most destinations are registers.)
        if let L::M(m) = self.loc(dst) {
            if let Some(aop) = alu(op).filter(|_| self.alloc.loc(dst) == self.alloc.loc(a)) {
                self.asm.alu_mi(aop, sz, m, imm);
                return;
            }
        }
        let d = self.dst(dst, R10);
        // A spilled operand is loaded straight into the destination.
        let ra = match self.loc(a) {
            L::M(_) if op != IBinOp::Mul => {
                self.src_into(a, d);
                d
            }
            _ => self.src(a, R10),
        };
        if let Some(sop) = shift(op) {
            self.mov(sz, d, ra);
            let bits = if ty == Ty::I64 { 63 } else { 31 };
            self.asm.shift_ri(sop, sz, d, (imm & bits) as u8);
        } else if op == IBinOp::Mul {
            self.asm.imul_rri(sz, d, ra, imm);
        } else if op == IBinOp::Xor && imm == -1 {
            self.mov(sz, d, ra);
            self.asm.not(sz, d);
        } else {
            self.mov(sz, d, ra);
            self.asm.alu_ri(
                alu(op).expect("non-shift, non-mul ops are ALU ops"),
                sz,
                d,
                imm,
            );
        }
        self.commit(dst, d);
    }

    pub(super) fn idiv(&mut self, op: DivOp, ty: Ty, dst: VReg, a: VReg, b: VReg) {
        let sz = size(ty);
        self.src_into(b, R11);
        self.src_into(a, Rax);
        let done = self.asm.new_label();
        self.asm.test_rr(sz, R11, R11);
        self.trap_if(Cond::E, TrapCode::IntegerDivideByZero);
        let signed = matches!(op, DivOp::DivS | DivOp::RemS);
        if signed {
            let normal = self.asm.new_label();
            self.asm.alu_ri(AluOp::Cmp, sz, R11, -1);
            self.asm.jcc(Cond::Ne, normal);
            if op == DivOp::DivS {
                // MIN / -1 overflows.
                if ty == Ty::I64 {
                    self.asm.mov_imm64(R10, i64::MIN as u64);
                    self.asm.alu_rr(AluOp::Cmp, sz, Rax, R10);
                } else {
                    self.asm.alu_ri(AluOp::Cmp, sz, Rax, i32::MIN);
                }
                self.trap_if(Cond::E, TrapCode::IntegerOverflow);
                // x / -1 = -x (no overflow left).
                self.asm.neg(sz, Rax);
            } else {
                // x % -1 = 0 (and MIN % -1 must not fault).
                self.asm.alu_rr(AluOp::Xor, Size::S32, Rdx, Rdx);
            }
            self.asm.jmp(done);
            self.asm.bind(normal);
            if ty == Ty::I64 {
                self.asm.cqo();
            } else {
                self.asm.cdq();
            }
            self.asm.idiv(sz, R11);
        } else {
            self.asm.alu_rr(AluOp::Xor, Size::S32, Rdx, Rdx);
            self.asm.div(sz, R11);
        }
        self.asm.bind(done);
        let result = if matches!(op, DivOp::DivS | DivOp::DivU) {
            Rax
        } else {
            Rdx
        };
        if let L::M(m) = self.loc(dst) {
            self.asm.store(Size::S64, m, result);
            return;
        }
        let d = self.dst(dst, R10);
        self.mov(sz, d, result);
        self.commit(dst, d);
    }

    /// Set the flags for `x cc y`, reading a spilled operand in place
    /// (`test` for an equality with 0 in a register).
    pub(super) fn cmp(&mut self, ty: Ty, x: VReg, y: CmpRhs, cc: IntCC) {
        let sz = size(ty);
        match (self.loc(x), y) {
            (L::M(m), CmpRhs::Imm(imm)) => self.asm.alu_mi(AluOp::Cmp, sz, m, imm),
            (_, CmpRhs::Imm(0)) if matches!(cc, IntCC::Eq | IntCC::Ne) => {
                let r = self.src(x, R10);
                self.asm.test_rr(sz, r, r);
            }
            (_, CmpRhs::Imm(imm)) => {
                let r = self.src(x, R10);
                self.asm.alu_ri(AluOp::Cmp, sz, r, imm);
            }
            (_, CmpRhs::Reg(y)) => {
                let r = self.src(x, R10);
                match self.loc(y) {
                    L::M(m) => self.asm.alu_rm(AluOp::Cmp, sz, r, m),
                    _ => {
                        let ry = self.src(y, R11);
                        self.asm.alu_rr(AluOp::Cmp, sz, r, ry);
                    }
                }
            }
        }
    }

    /// `dst = cc ? a : b` on the flags already set. Moves and loads
    /// leave the flags alone, so `dst` starts as one operand and a
    /// conditional move brings in the other.
    pub(super) fn select(&mut self, ty: Ty, cc: Cond, dst: VReg, a: VReg, b: VReg) {
        if ty.is_float() {
            // Floats go through r10/r11 as raw bits.
            let rb = self.src(b, R11);
            self.mov(Size::S64, R10, rb);
            let ra = self.src(a, R11);
            self.asm.cmov_rr(cc, Size::S64, R10, ra);
            let d = self.dst(dst, R10);
            self.mov(Size::S64, d, R10);
            self.commit(dst, d);
            return;
        }
        // A 32-bit cmov zero-extends whichever value it keeps.
        let sz = if ty == Ty::I32 { Size::S32 } else { Size::S64 };
        let d = self.dst(dst, R10);
        let (la, lb) = (self.loc(a), self.loc(b));
        let (cc, other) = match la {
            L::R(ra) if ra == d && !moves::same(&la, &lb) => (cc.invert(), lb),
            _ => {
                self.src_into(b, d);
                (cc, la)
            }
        };
        match other {
            L::R(r) => self.asm.cmov_rr(cc, sz, d, r),
            L::M(m) => self.asm.cmov_rm(cc, sz, d, m),
            L::X(x) => {
                // Not for a live integer; moved as bits all the same.
                self.asm.movd_from_xmm(Size::S64, R11, x);
                self.asm.cmov_rr(cc, sz, d, R11);
            }
        }
        self.commit(dst, d);
    }

    pub(super) fn iun(&mut self, op: IUnOp, ty: Ty, dst: VReg, src: VReg) {
        let sz = size(ty);
        let rs = self.src(src, R10);
        let d = self.dst(dst, R10);
        let width = if ty == Ty::I64 { 64 } else { 32 };
        match op {
            IUnOp::Clz => {
                // clz = (width - 1) - bsr, with bsr(0) taken as -1.
                self.asm.mov_ri(Size::S64, R11, -1);
                self.asm.bsr(sz, R10, rs);
                self.asm.cmov_rr(Cond::E, Size::S64, R10, R11);
                self.asm.mov_ri(Size::S32, R11, width - 1);
                self.asm.alu_rr(AluOp::Sub, sz, R11, R10);
                self.mov(sz, d, R11);
            }
            IUnOp::Ctz => {
                self.asm.mov_ri(Size::S32, R11, width);
                self.asm.bsf(sz, R10, rs);
                self.asm.cmov_rr(Cond::E, Size::S64, R10, R11);
                self.mov(sz, d, R10);
            }
            IUnOp::Popcnt => self.asm.popcnt(sz, d, rs),
            IUnOp::Extend8S => self.asm.movsx_rr(
                if ty == Ty::I64 {
                    ExtMode::BQ
                } else {
                    ExtMode::BL
                },
                d,
                rs,
            ),
            IUnOp::Extend16S => self.asm.movsx_rr(
                if ty == Ty::I64 {
                    ExtMode::WQ
                } else {
                    ExtMode::WL
                },
                d,
                rs,
            ),
            IUnOp::Extend32S => self.asm.movsx_rr(ExtMode::LQ, d, rs),
        }
        self.commit(dst, d);
    }
}
