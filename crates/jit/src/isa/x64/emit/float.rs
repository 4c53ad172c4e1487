//! Floating-point code generation (SSE2).
//!
//! Arithmetic and square root use SSE in xmm registers; sign operations
//! (abs, neg, copysign) work on the raw bits in general-purpose registers.
//! Comparisons use `ucomiss`/`ucomisd`, whose unordered result (a NaN
//! operand) sets ZF, PF and CF: equality also needs PF clear, and "less
//! than" is computed as "above" with the operands swapped, which is false
//! for unordered operands as wasm requires. Min/max handle NaN and signed
//! zeros explicitly; rounding uses SSE4.1 `round*`; trapping truncation
//! checks NaN and the range before `cvtt*`; saturating truncation converts
//! first and repairs the out-of-range cases (`cvtt*` answers the "integer
//! indefinite" MIN for NaN and overflow), so the common case costs one
//! compare. SSE has no unsigned 64-bit conversions: float -> u64 converts
//! values from 2^63 up after subtracting 2^63, and u64 -> float converts
//! values from 2^63 up halved (keeping the low bit sticky, so rounding is
//! still correct) and doubles the result.

use super::{size, Emitter, L};
use crate::error::JitError;
use crate::ir::{BlockId, ConvOp, FBinOp, FUnOp, FloatCC, Ty, VReg};
use crate::isa::x64::asm::{
    AluOp, Cond, ExtMode, FloatBitOp, FloatOp, FloatSize, RoundMode, ShiftOp, Size,
};
use crate::isa::x64::regs::{Gpr, Xmm};

use Gpr::{R10, R11};

pub(super) fn fsize(ty: Ty) -> FloatSize {
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
            (false, _, _) => (-1.0, 18446744073709551616.0),
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
        self.asm.ucomis_rr(fs, xs, xs);
        self.trap_if(Cond::P, wx_core::TrapCode::BadConversionToInteger);
        self.asm.mov_imm64(R11, bits(lo));
        self.asm.movd_to_xmm(const_size, Xmm::Xmm14, R11);
        self.asm.ucomis_rr(fs, xs, Xmm::Xmm14);
        self.trap_if(Cond::Be, wx_core::TrapCode::IntegerOverflow);
        self.asm.mov_imm64(R11, bits(hi));
        self.asm.movd_to_xmm(const_size, Xmm::Xmm14, R11);
        self.asm.ucomis_rr(fs, xs, Xmm::Xmm14);
        self.trap_if(Cond::Ae, wx_core::TrapCode::IntegerOverflow);
        let d = self.dst(dst, R10);
        if to == Ty::I32 && signed {
            self.asm.cvtts2si(fs, Size::S32, d, xs);
        } else if to == Ty::I64 && !signed {
            // In range: no saturation needed.
            self.float_to_u64(fs, d, xs, false);
        } else {
            // u32 (and i64) through a 64-bit conversion; u32 keeps the low half.
            self.asm.cvtts2si(fs, Size::S64, d, xs);
            if to == Ty::I32 {
                self.asm.mov_rr(Size::S32, d, d);
            }
        }
        self.commit(dst, d);
    }

    /// Float `xs` (not NaN, above -1, and below 2^64 unless `saturate`) to
    /// a u64 in `d`: values below 2^63 convert directly, the others after
    /// subtracting 2^63, whose bit is then put back. With `saturate`,
    /// values from 2^64 up give `u64::MAX`. Clobbers r11, xmm14 and xmm15.
    fn float_to_u64(&mut self, fs: FloatSize, d: Gpr, xs: Xmm, saturate: bool) {
        let (big, done) = (self.asm.new_label(), self.asm.new_label());
        let two63 = if fs == FloatSize::F32 {
            (9223372036854775808.0f32).to_bits() as u64
        } else {
            (9223372036854775808.0f64).to_bits()
        };
        let const_size = if fs == FloatSize::F32 {
            Size::S32
        } else {
            Size::S64
        };
        self.asm.mov_imm64(R11, two63);
        self.asm.movd_to_xmm(const_size, Xmm::Xmm14, R11);
        self.asm.ucomis_rr(fs, xs, Xmm::Xmm14);
        self.asm.jcc(Cond::Ae, big);
        self.asm.cvtts2si(fs, Size::S64, d, xs);
        self.asm.jmp(done);
        self.asm.bind(big);
        self.fmov(Xmm::Xmm15, xs);
        self.asm.farith_rr(FloatOp::Sub, fs, Xmm::Xmm15, Xmm::Xmm14);
        self.asm.cvtts2si(fs, Size::S64, d, Xmm::Xmm15);
        if saturate {
            // Still 2^63 or more after the subtraction: past u64::MAX.
            let in_range = self.asm.new_label();
            self.asm.test_rr(Size::S64, d, d);
            self.asm.jcc(Cond::Ns, in_range);
            self.asm.mov_ri(Size::S64, d, -1);
            self.asm.jmp(done);
            self.asm.bind(in_range);
        }
        self.asm.mov_imm64(R11, 1 << 63);
        self.asm.alu_rr(AluOp::Xor, Size::S64, d, R11);
        self.asm.bind(done);
    }

    /// Saturating float -> int truncation: NaN gives 0, values below or
    /// above the target range its minimum or maximum.
    fn trunc_sat(&mut self, signed: bool, from: Ty, to: Ty, dst: VReg, src: VReg) {
        let fs = fsize(from);
        let sz = size(to);
        let xs = self.fsrc(src, Xmm::Xmm15);
        let d = self.dst(dst, R10);
        let (zero, done) = (self.asm.new_label(), self.asm.new_label());
        if signed {
            self.asm.cvtts2si(fs, sz, d, xs);
            // `d - 1` overflows only for MIN: the one result that may be wrong.
            self.asm.alu_ri(AluOp::Cmp, sz, d, 1);
            self.asm.jcc(Cond::No, done);
            self.asm.ucomis_rr(fs, xs, xs);
            self.asm.jcc(Cond::P, zero);
            self.asm
                .fbit_rr(FloatBitOp::Xor, FloatSize::F64, Xmm::Xmm14, Xmm::Xmm14);
            self.asm.ucomis_rr(fs, xs, Xmm::Xmm14);
            self.asm.jcc(Cond::B, done); // negative: MIN is right
            if to == Ty::I32 {
                self.asm.mov_ri(Size::S32, d, i32::MAX);
            } else {
                self.asm.mov_imm64(d, i64::MAX as u64);
            }
            self.asm.jmp(done);
        } else {
            // NaN (unordered sets CF and ZF) and everything up to 0 give 0.
            self.asm
                .fbit_rr(FloatBitOp::Xor, FloatSize::F64, Xmm::Xmm14, Xmm::Xmm14);
            self.asm.ucomis_rr(fs, xs, Xmm::Xmm14);
            self.asm.jcc(Cond::Be, zero);
            if to == Ty::I32 {
                // Through a 64-bit conversion; from 2^63 up it answers MIN,
                // which as unsigned is above u32::MAX too.
                self.asm.cvtts2si(fs, Size::S64, d, xs);
                self.asm.mov_ri(Size::S32, R11, -1);
                self.asm.alu_rr(AluOp::Cmp, Size::S64, d, R11);
                self.asm.cmov_rr(Cond::A, Size::S64, d, R11);
            } else {
                self.float_to_u64(fs, d, xs, true);
            }
            self.asm.jmp(done);
        }
        self.asm.bind(zero);
        self.asm.alu_rr(AluOp::Xor, Size::S32, d, d);
        self.asm.bind(done);
        self.commit(dst, d);
    }

    /// u64 -> float: non-negative as i64 converts directly; otherwise
    /// convert `(x >> 1) | (x & 1)` and double it.
    fn u64_to_float(&mut self, to: Ty, dst: VReg, src: VReg) {
        let fs = fsize(to);
        let rs = self.src(src, R10);
        self.mov(Size::S64, R10, rs);
        let d = self.fdst(dst, Xmm::Xmm14);
        let (big, done) = (self.asm.new_label(), self.asm.new_label());
        // cvtsi2s* merges into the low lane: clear the register first.
        self.asm.fbit_rr(FloatBitOp::Xor, FloatSize::F64, d, d);
        self.asm.test_rr(Size::S64, R10, R10);
        self.asm.jcc(Cond::S, big);
        self.asm.cvtsi2s(fs, Size::S64, d, R10);
        self.asm.jmp(done);
        self.asm.bind(big);
        self.asm.mov_rr(Size::S64, R11, R10);
        self.asm.shift_ri(ShiftOp::Shr, Size::S64, R11, 1);
        self.asm.alu_ri(AluOp::And, Size::S32, R10, 1);
        self.asm.alu_rr(AluOp::Or, Size::S64, R11, R10);
        self.asm.cvtsi2s(fs, Size::S64, d, R11);
        self.asm.farith_rr(FloatOp::Add, fs, d, d);
        self.asm.bind(done);
        self.fcommit(dst, d);
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
                let c = self.ucomis_ordered(cc, fs, xa, xb);
                self.asm.setcc(c, R11);
                self.asm.movzx_rr(ExtMode::BL, d, R11);
            }
        }
        self.commit(dst, d);
    }

    /// Branch on `a cc b`: `ucomis` and conditional jumps. An unordered
    /// result (a NaN) sets ZF, PF and CF: it must take `otherwise`, except
    /// for `ne`.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn branch_fcmp(
        &mut self,
        cc: FloatCC,
        ty: Ty,
        a: VReg,
        b: VReg,
        then: BlockId,
        otherwise: BlockId,
        next: Option<BlockId>,
    ) {
        let fs = fsize(ty);
        let xb = self.fsrc(b, Xmm::Xmm15);
        let xa = self.fsrc(a, Xmm::Xmm14);
        match cc {
            FloatCC::Eq => {
                // then iff ZF and not PF.
                self.asm.ucomis_rr(fs, xa, xb);
                let other = self.d.label(otherwise);
                self.asm.jcc(Cond::P, other);
                self.branch(Cond::E, then, otherwise, next);
            }
            FloatCC::Ne => {
                // then iff not ZF, or PF.
                self.asm.ucomis_rr(fs, xa, xb);
                let then_label = self.d.label(then);
                self.asm.jcc(Cond::P, then_label);
                self.branch(Cond::Ne, then, otherwise, next);
            }
            _ => {
                let c = self.ucomis_ordered(cc, fs, xa, xb);
                self.branch(c, then, otherwise, next);
            }
        }
    }

    /// Compare for `a cc b`, cc one of lt, gt, le, ge, and return the
    /// condition that holds exactly when it is true: a > b / a >= b
    /// directly (CF and ZF clear / CF clear, both false when unordered),
    /// a < b as b > a, a <= b as b >= a.
    fn ucomis_ordered(&mut self, cc: FloatCC, fs: FloatSize, xa: Xmm, xb: Xmm) -> Cond {
        let (x, y) = if matches!(cc, FloatCC::Gt | FloatCC::Ge) {
            (xa, xb)
        } else {
            (xb, xa)
        };
        self.asm.ucomis_rr(fs, x, y);
        if matches!(cc, FloatCC::Gt | FloatCC::Lt) {
            Cond::A
        } else {
            Cond::Ae
        }
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
            ConvOp::ConvertU if from == Ty::I64 => self.u64_to_float(to, dst, src),
            ConvOp::ConvertS | ConvOp::ConvertU => {
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
            ConvOp::TruncS | ConvOp::TruncU => {
                self.trunc(op == ConvOp::TruncS, from, to, dst, src);
            }
            ConvOp::TruncSatS | ConvOp::TruncSatU => {
                self.trunc_sat(op == ConvOp::TruncSatS, from, to, dst, src);
            }
            ConvOp::I32WrapI64
            | ConvOp::I64ExtendI32S
            | ConvOp::I64ExtendI32U
            | ConvOp::Reinterpret => {
                return Err(JitError::Internal(format!(
                    "integer conversion {op:?} reached the float emitter"
                )))
            }
        }
        Ok(())
    }
}
