//! Scalar floating point (`s` and `d` registers): arithmetic, moves,
//! compares, conditional selects, conversions and rounding; and the few
//! Advanced SIMD forms the JIT needs: popcount (`cnt` + `addv`/`uaddlv`),
//! the bitwise operations and selects for `copysign`, and zeroing.
//!
//! Scalar float instructions share one layout:
//! `0 0 0 11110 ftype 1 ... Rn Rd`, `ftype` 00 for `s`, 01 for `d`.
//! AArch64 float arithmetic follows IEEE 754 as wasm does: `fmin`/`fmax`
//! return NaN if either input is NaN and order -0 below +0 (wasm's
//! `min`/`max`), `fminnm`/`fmaxnm` prefer the number over a quiet NaN.

use super::imm::encode_fmov_imm;
use super::{Assembler, Cond, FloatSize, Fpr, Gpr, Size};

/// A two-source float operation; the discriminant is its `opcode` (bits 15:12).
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub enum FloatOp {
    /// `fmul`
    Mul = 0b0000,
    /// `fdiv`
    Div = 0b0001,
    /// `fadd`
    Add = 0b0010,
    /// `fsub`
    Sub = 0b0011,
    /// `fmax` (NaN if either is NaN)
    Max = 0b0100,
    /// `fmin` (NaN if either is NaN)
    Min = 0b0101,
    /// `fmaxnm` (the number if one is a quiet NaN)
    MaxNm = 0b0110,
    /// `fminnm` (the number if one is a quiet NaN)
    MinNm = 0b0111,
}

impl FloatOp {
    /// All two-source operations.
    pub const ALL: [FloatOp; 8] = [
        FloatOp::Mul,
        FloatOp::Div,
        FloatOp::Add,
        FloatOp::Sub,
        FloatOp::Max,
        FloatOp::Min,
        FloatOp::MaxNm,
        FloatOp::MinNm,
    ];
}

/// A one-source float operation; the discriminant is its `opcode` (bits 20:15).
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub enum FloatUnOp {
    /// `fabs`
    Abs = 0b000001,
    /// `fneg`
    Neg = 0b000010,
    /// `fsqrt`
    Sqrt = 0b000011,
    /// `frintn`: round to nearest, ties to even (wasm `nearest`).
    RintN = 0b001000,
    /// `frintp`: round toward +infinity (wasm `ceil`).
    RintP = 0b001001,
    /// `frintm`: round toward -infinity (wasm `floor`).
    RintM = 0b001010,
    /// `frintz`: round toward zero (wasm `trunc`).
    RintZ = 0b001011,
}

impl FloatUnOp {
    /// All one-source operations.
    pub const ALL: [FloatUnOp; 7] = [
        FloatUnOp::Abs,
        FloatUnOp::Neg,
        FloatUnOp::Sqrt,
        FloatUnOp::RintN,
        FloatUnOp::RintP,
        FloatUnOp::RintM,
        FloatUnOp::RintZ,
    ];
}

/// The arrangement of a byte-vector operation: the low 8 bytes or all 16
/// (the `Q` bit).
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub enum Lanes {
    /// `v.8b`: the low 64 bits (the upper 64 are zeroed).
    B8,
    /// `v.16b`: all 128 bits.
    B16,
}

impl Lanes {
    const fn q(self) -> u32 {
        match self {
            Lanes::B8 => 0,
            Lanes::B16 => 1 << 30,
        }
    }
}

/// A vector bitwise operation on bytes; the discriminant holds its `U`
/// (bit 29) and `opc2` (bits 23:22) bits.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub enum VecLogicOp {
    /// `and vd, vn, vm`
    And = 0x0020_0000,
    /// `bic vd, vn, vm`: `vn & !vm`
    Bic = 0x0060_0000,
    /// `orr vd, vn, vm` (`mov vd, vn` when `vn == vm`)
    Orr = 0x00a0_0000,
    /// `orn vd, vn, vm`: `vn | !vm`
    Orn = 0x00e0_0000,
    /// `eor vd, vn, vm`
    Eor = 0x2020_0000,
    /// `bsl vd, vn, vm`: bits of `vn` where `vd` is set, else of `vm`.
    Bsl = 0x2060_0000,
    /// `bit vd, vn, vm`: bits of `vn` into `vd` where `vm` is set.
    Bit = 0x20a0_0000,
    /// `bif vd, vn, vm`: bits of `vn` into `vd` where `vm` is clear.
    Bif = 0x20e0_0000,
}

impl VecLogicOp {
    /// All eight operations.
    pub const ALL: [VecLogicOp; 8] = [
        VecLogicOp::And,
        VecLogicOp::Bic,
        VecLogicOp::Orr,
        VecLogicOp::Orn,
        VecLogicOp::Eor,
        VecLogicOp::Bsl,
        VecLogicOp::Bit,
        VecLogicOp::Bif,
    ];
}

/// The float size whose registers are as wide as integer `size`.
const fn float_of(size: Size) -> FloatSize {
    match size {
        Size::S32 => FloatSize::F32,
        Size::S64 => FloatSize::F64,
    }
}

/// `Rn` and `Rd` of two float registers.
fn nd(vn: Fpr, vd: Fpr) -> u32 {
    (u32::from(vn.enc()) << 5) | u32::from(vd.enc())
}

impl Assembler {
    /// `fmul`/`fdiv`/`fadd`/`fsub`/`fmax`/`fmin`/`fmaxnm`/`fminnm vd, vn, vm`.
    pub fn float_op(&mut self, op: FloatOp, size: FloatSize, vd: Fpr, vn: Fpr, vm: Fpr) {
        self.emit(
            0x1e20_0800
                | size.ftype()
                | (u32::from(vm.enc()) << 16)
                | ((op as u32) << 12)
                | nd(vn, vd),
        );
    }

    /// A one-source float instruction with `opcode` (bits 20:15) and the
    /// source's `ftype`.
    fn float_dp1(&mut self, opcode: u32, ftype: u32, vd: Fpr, vn: Fpr) {
        self.emit(0x1e20_4000 | ftype | (opcode << 15) | nd(vn, vd));
    }

    /// `fabs`/`fneg`/`fsqrt`/`frintn`/`frintp`/`frintm`/`frintz vd, vn`.
    pub fn float_unop(&mut self, op: FloatUnOp, size: FloatSize, vd: Fpr, vn: Fpr) {
        self.float_dp1(op as u32, size.ftype(), vd, vn);
    }

    /// `fmov vd, vn` between float registers of `size`.
    pub fn fmov(&mut self, size: FloatSize, vd: Fpr, vn: Fpr) {
        self.float_dp1(0b000000, size.ftype(), vd, vn);
    }

    /// `fcvt vd, vn`: converts to `to` from the other float size.
    pub fn fcvt(&mut self, to: FloatSize, vd: Fpr, vn: Fpr) {
        let (opcode, from) = match to {
            FloatSize::F32 => (0b000100, FloatSize::F64),
            FloatSize::F64 => (0b000101, FloatSize::F32),
        };
        self.float_dp1(opcode, from.ftype(), vd, vn);
    }

    /// `fmov vd, #imm`: the float whose bits are `bits` (an `f32`'s in the
    /// low 32 bits at `F32`), if [`super::fits_fmov_imm`] (never 0.0: use
    /// [`Assembler::movi_zero`]).
    pub fn fmov_imm(&mut self, size: FloatSize, vd: Fpr, bits: u64) {
        let Some(imm8) = encode_fmov_imm(size, bits) else {
            return self.unencodable("a float immediate fmov cannot hold");
        };
        self.emit(0x1e20_1000 | size.ftype() | (u32::from(imm8) << 13) | u32::from(vd.enc()));
    }

    /// An integer <-> float instruction: `rmode:opcode` (bits 20:16).
    fn float_int(&mut self, size: Size, fsize: FloatSize, rmode_opcode: u32, rn: u32, rd: u32) {
        self.emit(size.sf() | 0x1e20_0000 | fsize.ftype() | (rmode_opcode << 16) | (rn << 5) | rd);
    }

    /// `fmov st, wn` / `fmov dt, xn`: the bits of `rn` into a float register.
    pub fn fmov_to_fpr(&mut self, size: Size, vd: Fpr, rn: Gpr) {
        let rn = self.rz(rn);
        self.float_int(size, float_of(size), 0b00_111, rn, u32::from(vd.enc()));
    }

    /// `fmov wd, sn` / `fmov xd, dn`: the bits of a float register into `rd`.
    pub fn fmov_to_gpr(&mut self, size: Size, rd: Gpr, vn: Fpr) {
        let rd = self.rz(rd);
        self.float_int(size, float_of(size), 0b00_110, u32::from(vn.enc()), rd);
    }

    /// `fcvtzs rd, vn`: float to signed integer, toward zero (saturating;
    /// NaN gives 0).
    pub fn fcvtzs(&mut self, size: Size, rd: Gpr, fsize: FloatSize, vn: Fpr) {
        let rd = self.rz(rd);
        self.float_int(size, fsize, 0b11_000, u32::from(vn.enc()), rd);
    }

    /// `fcvtzu rd, vn`: float to unsigned integer, toward zero (saturating;
    /// NaN gives 0).
    pub fn fcvtzu(&mut self, size: Size, rd: Gpr, fsize: FloatSize, vn: Fpr) {
        let rd = self.rz(rd);
        self.float_int(size, fsize, 0b11_001, u32::from(vn.enc()), rd);
    }

    /// `scvtf vd, rn`: signed integer to float (rounding to nearest).
    pub fn scvtf(&mut self, fsize: FloatSize, vd: Fpr, size: Size, rn: Gpr) {
        let rn = self.rz(rn);
        self.float_int(size, fsize, 0b00_010, rn, u32::from(vd.enc()));
    }

    /// `ucvtf vd, rn`: unsigned integer to float (rounding to nearest).
    pub fn ucvtf(&mut self, fsize: FloatSize, vd: Fpr, size: Size, rn: Gpr) {
        let rn = self.rz(rn);
        self.float_int(size, fsize, 0b00_011, rn, u32::from(vd.enc()));
    }

    /// `fcmp vn, vm`: sets NZCV (unordered: C and V; see [`super::Cond`]).
    pub fn fcmp(&mut self, size: FloatSize, vn: Fpr, vm: Fpr) {
        self.emit(
            0x1e20_2000 | size.ftype() | (u32::from(vm.enc()) << 16) | (u32::from(vn.enc()) << 5),
        );
    }

    /// `fcmp vn, #0.0`.
    pub fn fcmp_zero(&mut self, size: FloatSize, vn: Fpr) {
        self.emit(0x1e20_2008 | size.ftype() | (u32::from(vn.enc()) << 5));
    }

    /// `fccmp vn, vm, #nzcv, cond`: the flags of `fcmp vn, vm` if `cond`
    /// holds, else `nzcv` (0..=15).
    pub fn fccmp(&mut self, size: FloatSize, vn: Fpr, vm: Fpr, nzcv: u32, cond: Cond) {
        if nzcv > 0xf {
            return self.unencodable("an nzcv value above 15");
        }
        self.emit(
            0x1e20_0400
                | size.ftype()
                | (u32::from(vm.enc()) << 16)
                | (cond.enc() << 12)
                | (u32::from(vn.enc()) << 5)
                | nzcv,
        );
    }

    /// `fcsel vd, vn, vm, cond`: `cond ? vn : vm`.
    pub fn fcsel(&mut self, size: FloatSize, vd: Fpr, vn: Fpr, vm: Fpr, cond: Cond) {
        self.emit(
            0x1e20_0c00
                | size.ftype()
                | (u32::from(vm.enc()) << 16)
                | (cond.enc() << 12)
                | nd(vn, vd),
        );
    }

    /// `cnt vd.8b, vn.8b`: the number of set bits of each byte.
    pub fn cnt_8b(&mut self, vd: Fpr, vn: Fpr) {
        self.emit(0x0e20_5800 | nd(vn, vd));
    }

    /// `addv bd, vn.8b`: the sum of the 8 bytes, into byte 0 (the rest
    /// of the register zeroed).
    pub fn addv_8b(&mut self, vd: Fpr, vn: Fpr) {
        self.emit(0x0e31_b800 | nd(vn, vd));
    }

    /// `uaddlv hd, vn.8b`: the sum of the 8 bytes as a halfword.
    pub fn uaddlv_8b(&mut self, vd: Fpr, vn: Fpr) {
        self.emit(0x2e30_3800 | nd(vn, vd));
    }

    /// `and`/`bic`/`orr`/`orn`/`eor`/`bsl`/`bit`/`bif vd.T, vn.T, vm.T`
    /// on 8 or 16 bytes.
    pub fn vec_logic(&mut self, op: VecLogicOp, lanes: Lanes, vd: Fpr, vn: Fpr, vm: Fpr) {
        self.emit(0x0e00_1c00 | lanes.q() | (op as u32) | (u32::from(vm.enc()) << 16) | nd(vn, vd));
    }

    /// `movi dd, #0`: zeroes the whole vector register (+0.0 in `s` and `d`).
    pub fn movi_zero(&mut self, vd: Fpr) {
        self.emit(0x2f00_e400 | u32::from(vd.enc()));
    }
}
