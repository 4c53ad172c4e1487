//! Floating-point code generation (SSE2).
//!
//! Arithmetic and square root use SSE in xmm registers; sign operations
//! (abs, neg, copysign) work on the raw bits in general-purpose registers.
//! Comparisons use `ucomiss`/`ucomisd`, whose unordered result (a NaN
//! operand) sets ZF, PF and CF: equality also needs PF clear, and "less
//! than" is computed as "above" with the operands swapped, which is false
//! for unordered operands as wasm requires. Min/max handle NaN and signed
//! zeros explicitly; rounding uses SSE4.1 `round*`; trapping truncation
//! checks NaN and the range before `cvtt*`. Saturating truncation and the
//! u64 conversions are not emitted yet (reported unsupported).

use super::{size, unsupported, Emitter, L};
use crate::error::JitError;
use crate::ir::{ConvOp, FBinOp, FUnOp, FloatCC, Ty, VReg};
use crate::isa::x64::asm::{
    AluOp, Cond, ExtMode, FloatBitOp, FloatOp, FloatSize, RoundMode, ShiftOp, Size,
};
use crate::isa::x64::regs::{Gpr, Xmm};

use Gpr::{R10, R11};

fn fsize(ty: Ty) -> FloatSize {
    if ty == Ty::F32 {
        FloatSize::F32
    } else {
        FloatSize::F64
    }
}

impl Emitter<'_> {
    /// An xmm register holding float `v` (loaded into `scratch` if spilled).
    fn fsrc(&mut self, v: VReg, scratch: Xmm) -> Xmm {
        match self.loc(v) {
            L::X(x) => x,
            L::M(m) => {
                self.asm.fload(FloatSize::F64, scratch, m);
                scratch
            }
            L::R(r) => {
                self.asm.movd_to_xmm(Size::S64, scratch, r);
                scratch
            }
        }
    }

    fn fdst(&self, v: VReg, scratch: Xmm) -> Xmm {
        match self.loc(v) {
            L::X(x) => x,
            _ => scratch,
        }
    }

    fn fcommit(&mut self, v: VReg, x: Xmm) {
        match self.loc(v) {
            L::M(m) => self.asm.fstore(FloatSize::F64, m, x),
            L::R(r) => self.asm.movd_from_xmm(Size::S64, r, x),
            L::X(_) => {}
        }
    }

    fn fmov(&mut self, dst: Xmm, src: Xmm) {
        if dst != src {
            self.asm.movaps(dst, src);
        }
    }

    pub(super) fn fbin(
        &mut self,
        op: FBinOp,
        ty: Ty,
        dst: VReg,
        a: VReg,
        b: VReg,
    ) -> Result<(), JitError> {
        let fs = fsize(ty);
        let fop = match op {
            FBinOp::Add => FloatOp::Add,
            FBinOp::Sub => FloatOp::Sub,
            FBinOp::Mul => FloatOp::Mul,
            FBinOp::Div => FloatOp::Div,
            FBinOp::Copysign => return self.copysign(ty, dst, a, b),
            FBinOp::Min | FBinOp::Max => return self.min_max(op == FBinOp::Min, ty, dst, a, b),
        };
        let xb = self.fsrc(b, Xmm::Xmm15);
        let xa = self.fsrc(a, Xmm::Xmm14);
        let d = self.fdst(dst, Xmm::Xmm14);
        if d == xb && d != xa {
            // d holds b: compute in the scratch register.
            self.fmov(Xmm::Xmm14, xa);
            self.asm.farith_rr(fop, fs, Xmm::Xmm14, xb);
            self.fmov(d, Xmm::Xmm14);
        } else {
            self.fmov(d, xa);
            self.asm.farith_rr(fop, fs, d, xb);
        }
        self.fcommit(dst, d);
        Ok(())
    }

    /// wasm `min`/`max`: NaN if either operand is NaN, and -0 < +0
    /// (`minss`/`maxss` alone return the second operand in both cases).
    fn min_max(&mut self, min: bool, ty: Ty, dst: VReg, a: VReg, b: VReg) -> Result<(), JitError> {
        let fs = fsize(ty);
        let xb = self.fsrc(b, Xmm::Xmm15);
        let xa = self.fsrc(a, Xmm::Xmm14);
        self.fmov(Xmm::Xmm14, xa);
        let (nan, ordinary, done) = (
            self.asm.new_label(),
            self.asm.new_label(),
            self.asm.new_label(),
        );
        self.asm.ucomis_rr(fs, Xmm::Xmm14, xb);
        self.asm.jcc(Cond::P, nan);
        self.asm.jcc(Cond::Ne, ordinary);
        // Equal: only the signs of zeros can differ; or/and picks -0 / +0.
        let bitop = if min { FloatBitOp::Or } else { FloatBitOp::And };
        self.asm.fbit_rr(bitop, fs, Xmm::Xmm14, xb);
        self.asm.jmp(done);
        self.asm.bind(nan);
        self.asm.farith_rr(FloatOp::Add, fs, Xmm::Xmm14, xb);
        self.asm.jmp(done);
        self.asm.bind(ordinary);
        self.asm.farith_rr(
            if min { FloatOp::Min } else { FloatOp::Max },
            fs,
            Xmm::Xmm14,
            xb,
        );
        self.asm.bind(done);
        let d = self.fdst(dst, Xmm::Xmm14);
        self.fmov(d, Xmm::Xmm14);
        self.fcommit(dst, d);
        Ok(())
    }

    /// Trapping float -> int truncation: NaN is an invalid conversion, a
    /// value outside the target range (exclusive bounds, as in the
    /// interpreter) an overflow.
    fn trunc(&mut self, signed: bool, from: Ty, to: Ty, dst: VReg, src: VReg) {
        let fs = fsize(from);
        let (lo, hi): (f64, f64) = match (signed, to, from) {
            (true, Ty::I32, Ty::F32) => (-2147483904.0, 2147483648.0),
            (true, Ty::I32, _) => (-2147483649.0, 2147483648.0),
            (false, Ty::I32, _) => (-1.0, 4294967296.0),
            (_, _, Ty::F32) => (-9223373136366403584.0, 9223372036854775808.0),
            _ => (-9223372036854777856.0, 9223372036854775808.0),
        };
        let bits = |v: f64| {
            if from == Ty::F32 {
                (v as f32).to_bits() as u64
            } else {
                v.to_bits()
            }
        };
        let const_size = if from == Ty::F32 {
            Size::S32
        } else {
            Size::S64
        };
        let xs = self.fsrc(src, Xmm::Xmm15);
        let (invalid, overflow, done) = (
            self.asm.new_label(),
            self.asm.new_label(),
            self.asm.new_label(),
        );
        self.asm.ucomis_rr(fs, xs, xs);
        self.asm.jcc(Cond::P, invalid);
        self.asm.mov_imm64(R11, bits(lo));
        self.asm.movd_to_xmm(const_size, Xmm::Xmm14, R11);
        self.asm.ucomis_rr(fs, xs, Xmm::Xmm14);
        self.asm.jcc(Cond::Be, overflow);
        self.asm.mov_imm64(R11, bits(hi));
        self.asm.movd_to_xmm(const_size, Xmm::Xmm14, R11);
        self.asm.ucomis_rr(fs, xs, Xmm::Xmm14);
        self.asm.jcc(Cond::Ae, overflow);
        let d = self.dst(dst, R10);
        if to == Ty::I32 && signed {
            self.asm.cvtts2si(fs, Size::S32, d, xs);
        } else {
            // u32 (and i64) through a 64-bit conversion; u32 keeps the low half.
            self.asm.cvtts2si(fs, Size::S64, d, xs);
            if to == Ty::I32 {
                self.asm.mov_rr(Size::S32, d, d);
            }
        }
        self.commit(dst, d);
        self.asm.jmp(done);
        self.asm.bind(invalid);
        self.trap(wx_core::TrapCode::BadConversionToInteger);
        self.asm.bind(overflow);
        self.trap(wx_core::TrapCode::IntegerOverflow);
        self.asm.bind(done);
    }

    /// `|a|` with `b`'s sign, on the raw bits.
    fn copysign(&mut self, ty: Ty, dst: VReg, a: VReg, b: VReg) -> Result<(), JitError> {
        let sz = size(ty);
        let bits = if ty == Ty::F32 { 31 } else { 63 };
        let rb = self.src(b, R11);
        self.mov(sz, R11, rb);
        let ra = self.src(a, R10);
        self.mov(sz, R10, ra);
        // r10 = a without its sign; r11 = b's sign alone.
        self.asm.shift_ri(ShiftOp::Shl, sz, R10, 1);
        self.asm.shift_ri(ShiftOp::Shr, sz, R10, 1);
        self.asm.shift_ri(ShiftOp::Shr, sz, R11, bits);
        self.asm.shift_ri(ShiftOp::Shl, sz, R11, bits);
        self.asm.alu_rr(AluOp::Or, sz, R10, R11);
        let d = self.dst(dst, R10);
        self.mov(sz, d, R10);
        self.commit(dst, d);
        Ok(())
    }

    pub(super) fn fun(&mut self, op: FUnOp, ty: Ty, dst: VReg, src: VReg) -> Result<(), JitError> {
        let sz = size(ty);
        match op {
            FUnOp::Sqrt => {
                let xs = self.fsrc(src, Xmm::Xmm15);
                let d = self.fdst(dst, Xmm::Xmm14);
                self.asm.farith_rr(FloatOp::Sqrt, fsize(ty), d, xs);
                self.fcommit(dst, d);
            }
            FUnOp::Abs | FUnOp::Neg => {
                let rs = self.src(src, R10);
                self.mov(sz, R10, rs);
                if op == FUnOp::Abs {
                    self.asm.shift_ri(ShiftOp::Shl, sz, R10, 1);
                    self.asm.shift_ri(ShiftOp::Shr, sz, R10, 1);
                } else {
                    let bits = if ty == Ty::F32 { 31 } else { 63 };
                    self.asm.mov_ri(Size::S32, R11, 1);
                    self.asm.shift_ri(ShiftOp::Shl, sz, R11, bits);
                    self.asm.alu_rr(AluOp::Xor, sz, R10, R11);
                }
                let d = self.dst(dst, R10);
                self.mov(sz, d, R10);
                self.commit(dst, d);
            }
            FUnOp::Ceil | FUnOp::Floor | FUnOp::Trunc | FUnOp::Nearest => {
                // SSE4.1 roundss/roundsd; a NaN comes out quiet.
                let mode = match op {
                    FUnOp::Ceil => RoundMode::Up,
                    FUnOp::Floor => RoundMode::Down,
                    FUnOp::Trunc => RoundMode::Zero,
                    _ => RoundMode::Nearest,
                };
                let xs = self.fsrc(src, Xmm::Xmm15);
                let d = self.fdst(dst, Xmm::Xmm14);
                self.asm.rounds(fsize(ty), mode, d, xs);
                self.fcommit(dst, d);
            }
        }
        Ok(())
    }

    pub(super) fn fcmp(&mut self, cc: FloatCC, ty: Ty, dst: VReg, a: VReg, b: VReg) {
        let fs = fsize(ty);
        let xb = self.fsrc(b, Xmm::Xmm15);
        let xa = self.fsrc(a, Xmm::Xmm14);
        let d = self.dst(dst, R10);
        match cc {
            FloatCC::Eq | FloatCC::Ne => {
                self.asm.ucomis_rr(fs, xa, xb);
                let (main, parity) = if cc == FloatCC::Eq {
                    (Cond::E, Cond::Np)
                } else {
                    (Cond::Ne, Cond::P)
                };
                self.asm.setcc(main, R10);
                self.asm.setcc(parity, R11);
                self.asm.movzx_rr(ExtMode::BL, R10, R10);
                self.asm.movzx_rr(ExtMode::BL, R11, R11);
                let op = if cc == FloatCC::Eq {
                    AluOp::And
                } else {
                    AluOp::Or
                };
                self.asm.alu_rr(op, Size::S32, R10, R11);
                self.mov(Size::S32, d, R10);
            }
            FloatCC::Gt | FloatCC::Ge | FloatCC::Lt | FloatCC::Le => {
                // a > b / a >= b directly; a < b as b > a, a <= b as b >= a.
                let (x, y) = if matches!(cc, FloatCC::Gt | FloatCC::Ge) {
                    (xa, xb)
                } else {
                    (xb, xa)
                };
                self.asm.ucomis_rr(fs, x, y);
                let c = if matches!(cc, FloatCC::Gt | FloatCC::Lt) {
                    Cond::A
                } else {
                    Cond::Ae
                };
                self.asm.setcc(c, R11);
                self.asm.movzx_rr(ExtMode::BL, d, R11);
            }
        }
        self.commit(dst, d);
    }

    pub(super) fn fconvert(
        &mut self,
        op: ConvOp,
        from: Ty,
        to: Ty,
        dst: VReg,
        src: VReg,
    ) -> Result<(), JitError> {
        match op {
            ConvOp::F32DemoteF64 | ConvOp::F64PromoteF32 => {
                let xs = self.fsrc(src, Xmm::Xmm15);
                let d = self.fdst(dst, Xmm::Xmm14);
                if op == ConvOp::F32DemoteF64 {
                    self.asm.cvtsd2ss(d, xs);
                } else {
                    self.asm.cvtss2sd(d, xs);
                }
                self.fcommit(dst, d);
            }
            ConvOp::ConvertS | ConvOp::ConvertU if !(op == ConvOp::ConvertU && from == Ty::I64) => {
                let rs = self.src(src, R10);
                let width = if op == ConvOp::ConvertU || from == Ty::I64 {
                    // An unsigned i32 converts exactly as a (non-negative) i64.
                    if op == ConvOp::ConvertU {
                        self.asm.mov_rr(Size::S32, R10, rs);
                    } else {
                        self.mov(Size::S64, R10, rs);
                    }
                    Size::S64
                } else {
                    self.mov(Size::S32, R10, rs);
                    Size::S32
                };
                let d = self.fdst(dst, Xmm::Xmm14);
                // cvtsi2s* merges into the low lane: clear the register first.
                self.asm
                    .fbit_rr(crate::isa::x64::asm::FloatBitOp::Xor, FloatSize::F64, d, d);
                self.asm.cvtsi2s(fsize(to), width, d, R10);
                self.fcommit(dst, d);
            }
            ConvOp::TruncS | ConvOp::TruncU if !(op == ConvOp::TruncU && to == Ty::I64) => {
                self.trunc(op == ConvOp::TruncS, from, to, dst, src);
            }
            _ => return Err(unsupported("saturating truncation and u64 conversions")),
        }
        Ok(())
    }
}
