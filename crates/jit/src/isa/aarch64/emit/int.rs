//! Integer arithmetic on AArch64: constants, ALU operations and shifts
//! (with immediates where they encode), division, compares, `select`, the
//! unary operations and the integer conversions (the float ones are in
//! [`super::float`]).

use super::{size, Emitter, L};
use crate::error::JitError;
use crate::ir::{CmpRhs, ConvOp, DivOp, IBinOp, IUnOp, Ty, VReg};
use crate::isa::aarch64::abi::{EXCLUSIVE_STATUS, FSCRATCH0};
use crate::isa::aarch64::asm::{
    fits_add_imm, fits_fmov_imm, fits_logical_imm, Cond, LogicOp, Shift, Size,
};
use crate::isa::aarch64::regs::Gpr::{self, X16, X17};
use wx_core::TrapCode;

/// A register for a remainder's quotient other than its operands: x15,
/// which division clobbers (see [`crate::isa::aarch64::abi::clobbers`]),
/// unless an operand is there, then a scratch register the operands
/// left free.
fn quotient_reg(a: Gpr, b: Gpr) -> Gpr {
    [EXCLUSIVE_STATUS, X16, X17]
        .into_iter()
        .find(|&q| q != a && q != b)
        .expect("two operands leave one of three free")
}

/// The bits of `imm` as an operand of size `sz` (an i32's immediate is
/// its 32 bits; an i64's is sign-extended).
fn imm_bits(sz: Size, imm: i64) -> u64 {
    match sz {
        Size::S32 => u64::from(imm as u32),
        Size::S64 => imm as u64,
    }
}

impl Emitter<'_> {
    /// `dst = bits` of type `ty`.
    pub(super) fn constant(&mut self, ty: Ty, dst: VReg, bits: u64) {
        if let L::V(x) = self.loc(dst) {
            let fsize = super::mem::fsize(ty);
            if bits == 0 {
                self.asm.movi_zero(x);
            } else if fits_fmov_imm(fsize, bits) {
                self.asm.fmov_imm(fsize, x, bits);
            } else {
                self.asm.mov_imm(size(ty), X16, bits);
                self.asm.fmov_to_fpr(size(ty), x, X16);
            }
            return;
        }
        let d = self.dst(dst, X16);
        let sz = size(ty);
        self.asm.mov_imm(sz, d, imm_bits(sz, bits as i64));
        self.commit(dst, d);
    }

    pub(super) fn ibin(&mut self, op: IBinOp, ty: Ty, dst: VReg, a: VReg, b: VReg) {
        let sz = size(ty);
        let ra = self.src(a, X16);
        let rb = self.src(b, X17);
        let d = self.dst(dst, X16);
        let asm = &mut *self.asm;
        match op {
            IBinOp::Add => asm.add(sz, d, ra, rb),
            IBinOp::Sub => asm.sub(sz, d, ra, rb),
            IBinOp::Mul => asm.mul(sz, d, ra, rb),
            IBinOp::And => asm.logic(LogicOp::And, sz, d, ra, rb),
            IBinOp::Or => asm.logic(LogicOp::Orr, sz, d, ra, rb),
            IBinOp::Xor => asm.logic(LogicOp::Eor, sz, d, ra, rb),
            // The shift instructions take the count modulo the width, as
            // wasm does.
            IBinOp::Shl => asm.shift_rr(Shift::Lsl, sz, d, ra, rb),
            IBinOp::ShrS => asm.shift_rr(Shift::Asr, sz, d, ra, rb),
            IBinOp::ShrU => asm.shift_rr(Shift::Lsr, sz, d, ra, rb),
            IBinOp::Rotr => asm.shift_rr(Shift::Ror, sz, d, ra, rb),
            IBinOp::Rotl => {
                // Rotating left by n is rotating right by -n.
                asm.neg(sz, X17, rb);
                asm.shift_rr(Shift::Ror, sz, d, ra, X17);
            }
        }
        self.commit(dst, d);
    }

    pub(super) fn ibin_imm(&mut self, op: IBinOp, ty: Ty, dst: VReg, a: VReg, imm: i32) {
        let sz = size(ty);
        let imm = i64::from(imm);
        let ra = self.src(a, X16);
        let d = self.dst(dst, X16);
        let bits = sz.bits();
        let logic = match op {
            IBinOp::And => Some(LogicOp::And),
            IBinOp::Or => Some(LogicOp::Orr),
            IBinOp::Xor => Some(LogicOp::Eor),
            _ => None,
        };
        let asm = &mut *self.asm;
        match op {
            IBinOp::Add | IBinOp::Sub if fits_add_imm(imm.unsigned_abs()) => {
                let imm = if op == IBinOp::Sub { -imm } else { imm };
                asm.add_imm(sz, d, ra, imm);
            }
            _ if logic.is_some() && fits_logical_imm(imm_bits(sz, imm), sz) => {
                asm.logic_imm(logic.expect("checked"), sz, d, ra, imm_bits(sz, imm));
            }
            IBinOp::Shl => asm.shift_ri(Shift::Lsl, sz, d, ra, imm as u32 & (bits - 1)),
            IBinOp::ShrS => asm.shift_ri(Shift::Asr, sz, d, ra, imm as u32 & (bits - 1)),
            IBinOp::ShrU => asm.shift_ri(Shift::Lsr, sz, d, ra, imm as u32 & (bits - 1)),
            IBinOp::Rotr => asm.shift_ri(Shift::Ror, sz, d, ra, imm as u32 & (bits - 1)),
            IBinOp::Rotl => {
                let right = (bits - (imm as u32 & (bits - 1))) & (bits - 1);
                asm.shift_ri(Shift::Ror, sz, d, ra, right);
            }
            _ => {
                // The immediate in a register, then the register form.
                asm.mov_imm(sz, X17, imm_bits(sz, imm));
                match op {
                    IBinOp::Add => asm.add(sz, d, ra, X17),
                    IBinOp::Sub => asm.sub(sz, d, ra, X17),
                    IBinOp::Mul => asm.mul(sz, d, ra, X17),
                    IBinOp::And => asm.logic(LogicOp::And, sz, d, ra, X17),
                    IBinOp::Or => asm.logic(LogicOp::Orr, sz, d, ra, X17),
                    _ => asm.logic(LogicOp::Eor, sz, d, ra, X17),
                }
            }
        }
        self.commit(dst, d);
    }

    /// Division and remainder by a register (`Err`) or a constant (`Ok`):
    /// traps on a zero divisor and on a signed quotient that overflows.
    pub(super) fn idiv(&mut self, op: DivOp, ty: Ty, dst: VReg, a: VReg, b: Result<i64, VReg>) {
        let sz = size(ty);
        let ra = self.src(a, X16);
        let rb = match b {
            Err(b) => {
                let rb = self.src(b, X17);
                let zero =
                    self.cold_site(crate::isa::SiteKind::Trap(TrapCode::IntegerDivideByZero));
                self.asm.cbz(sz, rb, zero);
                rb
            }
            Ok(0) => {
                self.trap(TrapCode::IntegerDivideByZero);
                return;
            }
            Ok(k) => {
                self.asm.mov_imm(sz, X17, imm_bits(sz, k));
                X17
            }
        };
        if op == DivOp::DivS && !matches!(b, Ok(k) if k != -1) {
            // INT_MIN / -1 overflows: b == -1 and a - 1 overflowing.
            self.asm.cmp_imm(sz, rb, -1);
            self.asm.ccmp_imm(sz, ra, 1, 0, Cond::Eq);
            self.trap_if(Cond::Vs, TrapCode::IntegerOverflow);
        }
        let d = self.dst(dst, X16);
        let asm = &mut *self.asm;
        match op {
            DivOp::DivS => asm.sdiv(sz, d, ra, rb),
            DivOp::DivU => asm.udiv(sz, d, ra, rb),
            // a - (a / b) * b; INT_MIN rem -1 is 0, as sdiv gives INT_MIN.
            DivOp::RemS => {
                let q = quotient_reg(ra, rb);
                asm.sdiv(sz, q, ra, rb);
                asm.msub(sz, d, q, rb, ra);
            }
            DivOp::RemU => {
                let q = quotient_reg(ra, rb);
                asm.udiv(sz, q, ra, rb);
                asm.msub(sz, d, q, rb, ra);
            }
        }
        self.commit(dst, d);
    }

    pub(super) fn iun(&mut self, op: IUnOp, ty: Ty, dst: VReg, src: VReg) {
        let sz = size(ty);
        let r = self.src(src, X16);
        let d = self.dst(dst, X16);
        let asm = &mut *self.asm;
        match op {
            IUnOp::Clz => asm.clz(sz, d, r),
            IUnOp::Ctz => {
                asm.rbit(sz, X17, r);
                asm.clz(sz, d, X17);
            }
            IUnOp::Popcnt => {
                // Through the vector unit: a count per byte, then their sum.
                asm.fmov_to_fpr(sz, FSCRATCH0, r);
                asm.cnt_8b(FSCRATCH0, FSCRATCH0);
                asm.addv_8b(FSCRATCH0, FSCRATCH0);
                asm.fmov_to_gpr(Size::S32, d, FSCRATCH0);
            }
            IUnOp::Extend8S => asm.sxtb(sz, d, r),
            IUnOp::Extend16S => asm.sxth(sz, d, r),
            IUnOp::Extend32S => asm.sxtw(d, r),
        }
        self.commit(dst, d);
    }

    /// Set the flags from comparing `a` with `b`.
    pub(super) fn cmp(&mut self, ty: Ty, a: VReg, b: CmpRhs) {
        let sz = size(ty);
        let ra = self.src(a, X16);
        match b {
            CmpRhs::Reg(b) => {
                let rb = self.src(b, X17);
                self.asm.cmp(sz, ra, rb);
            }
            CmpRhs::Imm(imm) if fits_add_imm(i64::from(imm).unsigned_abs()) => {
                self.asm.cmp_imm(sz, ra, i64::from(imm));
            }
            CmpRhs::Imm(imm) => {
                self.asm.mov_imm(sz, X17, imm_bits(sz, i64::from(imm)));
                self.asm.cmp(sz, ra, X17);
            }
        }
    }

    /// `dst = cc ? 1 : 0` from the flags.
    pub(super) fn set_flag(&mut self, cc: Cond, dst: VReg) {
        let d = self.dst(dst, X16);
        self.asm.cset(Size::S32, d, cc);
        self.commit(dst, d);
    }

    /// `dst = cc ? a : b` from the flags.
    pub(super) fn select(&mut self, ty: Ty, cc: Cond, dst: VReg, a: VReg, b: VReg) {
        if let (L::V(d), L::V(x), L::V(y)) = (self.loc(dst), self.loc(a), self.loc(b)) {
            let fsize = super::mem::fsize(ty);
            self.asm.fcsel(fsize, d, x, y, cc);
            return;
        }
        // As raw bits (a float spilled somewhere).
        let sz = size(ty);
        let ra = self.src(a, X16);
        let rb = self.src(b, X17);
        let d = self.dst(dst, X16);
        self.asm.csel(sz, d, ra, rb, cc);
        self.commit(dst, d);
    }

    /// The integer conversions and reinterpretations; the others are
    /// [`Emitter::fconvert`]'s.
    pub(super) fn convert(
        &mut self,
        op: ConvOp,
        from: Ty,
        to: Ty,
        dst: VReg,
        src: VReg,
    ) -> Result<(), JitError> {
        let (d, s) = (self.loc(dst), self.loc(src));
        match op {
            // Same bits between register files (an f32's in a `w`).
            ConvOp::Reinterpret => match (d, s) {
                (L::V(x), L::R(r)) => self.asm.fmov_to_fpr(size(to), x, r),
                (L::R(r), L::V(x)) => self.asm.fmov_to_gpr(size(to), r, x),
                _ => {
                    let rs = self.src(src, X16);
                    let rd = self.dst(dst, X16);
                    self.asm.mov_rr(size(to), rd, rs);
                    self.commit(dst, rd);
                }
            },
            ConvOp::I32WrapI64 | ConvOp::I64ExtendI32U | ConvOp::I64ExtendI32S => {
                let rs = self.src(src, X16);
                let rd = self.dst(dst, X16);
                if op == ConvOp::I64ExtendI32S {
                    self.asm.sxtw(rd, rs);
                } else {
                    self.asm.mov_rr(Size::S32, rd, rs);
                }
                self.commit(dst, rd);
            }
            _ => return self.fconvert(op, from, to, dst, src),
        }
        Ok(())
    }
}
