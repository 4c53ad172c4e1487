//! Floating-point code generation on AArch64 (scalar `s`/`d` registers).
//!
//! AArch64's scalar float instructions already have wasm's semantics for
//! nearly every operation, so most lower to one instruction:
//!
//! - `add`/`sub`/`mul`/`div`/`sqrt` round to nearest-even (FPCR.RMode 0);
//!   a NaN operand comes out quieted with its payload, and a NaN made from
//!   numbers (`inf - inf`, `sqrt(-1)`) is the default NaN, `+0x7fc00000`
//!   / `+0x7ff8000000000000`, i.e. wasm's canonical NaN. So a canonical
//!   NaN in gives a canonical NaN out and any NaN out is arithmetic (quiet
//!   bit set), which is what `nan:canonical` / `nan:arithmetic` ask.
//! - `min`/`max` are `fmin`/`fmax`: NaN if either operand is NaN (a quieted
//!   operand, as above) and -0 < +0. (Not `fminnm`/`fmaxnm`, which prefer
//!   the number.)
//! - `ceil`/`floor`/`trunc`/`nearest` are `frintp`/`frintm`/`frintz`/
//!   `frintn` (ties to even), which keep the sign of a zero result
//!   (`ceil(-0.5) = -0`) and quiet a NaN.
//! - `abs`/`neg` are `fabs`/`fneg`: with FPCR.AH = 0 they only clear or
//!   flip the sign bit, even of a NaN (signalling ones included), as wasm's
//!   bitwise operations must. `copysign` is a bit select with a sign mask
//!   (`bit`/`bif`), or `bfxil` on the raw bits when an operand is not in a
//!   vector register.
//! - Comparisons are `fcmp` then `cset`/`b.cond`. An unordered compare (a
//!   NaN) sets NZCV = 0011, so the conditions are chosen to be false on it:
//!   `eq`, `mi` (lt), `gt`, `ls` (le), `ge`, and `ne`, which is true on it
//!   as wasm wants. Each condition's inverse is exact (no parity flag as on
//!   x86), so a branch may invert it freely.
//! - `demote`/`promote` are `fcvt`; int -> float is `scvtf`/`ucvtf` from a
//!   `w` or `x` register, one rounding even for u64 -> f32.
//! - Saturating truncation is `fcvtzs`/`fcvtzu`: they saturate and give 0
//!   for NaN, exactly `trunc_sat`. Trapping truncation checks first: NaN
//!   (`fcmp x, x` unordered) traps as an invalid conversion, and a value at
//!   or beyond the exclusive bounds of [`trunc_bounds`] as an overflow;
//!   what passes converts exactly with the same instructions.
//!
//! This relies on the host's default FPCR (round to nearest, no flush to
//! zero, no default-NaN mode, AH = 0), which Linux gives every thread.
//! i32 results are written through `w` registers, so they stay
//! zero-extended. v31 and v30 are the scratch registers (a spilled operand
//! or result, a constant); x16 and x17 the general-purpose ones.

use super::mem::fsize;
use super::{size, Emitter, L};
use crate::error::JitError;
use crate::ir::{BlockId, ConvOp, FBinOp, FUnOp, FloatCC, Ty, VReg};
use crate::isa::aarch64::abi::{FSCRATCH0, FSCRATCH1};
use crate::isa::aarch64::asm::{
    fits_fmov_imm, Cond, FloatOp, FloatSize, FloatUnOp, Lanes, Size, VecLogicOp,
};
use crate::isa::aarch64::regs::{
    Fpr,
    Gpr::{X16, X17},
};
use crate::isa::SiteKind;
use wx_core::TrapCode;

/// The condition that holds after `fcmp a, b` exactly when `a cc b`
/// (false for unordered operands except `ne`).
pub(super) fn fcond(cc: FloatCC) -> Cond {
    match cc {
        FloatCC::Eq => Cond::Eq,
        FloatCC::Ne => Cond::Ne,
        FloatCC::Lt => Cond::Mi,
        FloatCC::Gt => Cond::Gt,
        FloatCC::Le => Cond::Ls,
        FloatCC::Ge => Cond::Ge,
    }
}

/// The exclusive bounds `(lo, hi)` of the floats of type `from` that a
/// trapping truncation to `to` accepts: `lo` is the largest float of
/// `from` whose truncation is below the target's minimum, `hi` the
/// smallest whose truncation is above its maximum (a power of two). Both
/// are exact in `from`: e.g. i32 from f64 accepts -2147483648.9 (it
/// truncates to i32::MIN) and rejects -2147483649.0; from f32, the float
/// below -2^31 is -2^31 - 256.
pub(super) fn trunc_bounds(signed: bool, from: Ty, to: Ty) -> (f64, f64) {
    match (signed, to, from) {
        (true, Ty::I32, Ty::F32) => (-2147483904.0, 2147483648.0),
        (true, Ty::I32, _) => (-2147483649.0, 2147483648.0),
        // -1 < x < 1 truncates to 0 (or -0): fine for unsigned.
        (false, Ty::I32, _) => (-1.0, 4294967296.0),
        (false, _, _) => (-1.0, 18446744073709551616.0),
        // -2^63 minus one ulp (2^40 in f32, 2^11 in f64).
        (true, _, Ty::F32) => (-9223373136366403584.0, 9223372036854775808.0),
        (true, _, _) => (-9223372036854777856.0, 9223372036854775808.0),
    }
}

/// The bits of `v` as a float of size `fs` (`v` exact in it).
fn float_bits(fs: FloatSize, v: f64) -> u64 {
    match fs {
        FloatSize::F32 => u64::from((v as f32).to_bits()),
        FloatSize::F64 => v.to_bits(),
    }
}

/// The integer size as wide as float size `fs`.
fn bits_size(fs: FloatSize) -> Size {
    match fs {
        FloatSize::F32 => Size::S32,
        FloatSize::F64 => Size::S64,
    }
}

impl Emitter<'_> {
    /// A vector register holding float `v` (its raw bits loaded into
    /// `scratch` if it is spilled or in a general-purpose register).
    fn fsrc(&mut self, v: VReg, scratch: Fpr) -> Fpr {
        let fs = fsize(self.f.ty(v));
        match self.loc(v) {
            L::V(x) => x,
            L::M(m) => {
                self.asm.ldr_f(fs, scratch, m);
                scratch
            }
            L::R(r) => {
                self.asm.fmov_to_fpr(bits_size(fs), scratch, r);
                scratch
            }
        }
    }

    /// The vector register to compute float `v` into (`scratch` unless it
    /// has one).
    fn fdst(&self, v: VReg, scratch: Fpr) -> Fpr {
        match self.loc(v) {
            L::V(x) => x,
            L::R(_) | L::M(_) => scratch,
        }
    }

    /// Store `x` to `v`'s slot or general-purpose register if `v` has no
    /// vector register. An f32 goes through x16 so that its cell is
    /// zero-extended, as [`super::moves`] leaves it.
    fn fcommit(&mut self, v: VReg, x: Fpr) {
        let fs = fsize(self.f.ty(v));
        match self.loc(v) {
            L::V(_) => {}
            L::R(r) => self.asm.fmov_to_gpr(bits_size(fs), r, x),
            L::M(m) if fs == FloatSize::F32 => {
                self.asm.fmov_to_gpr(Size::S32, X16, x);
                self.asm.str(Size::S64, X16, m);
            }
            L::M(m) => self.asm.str_f(FloatSize::F64, x, m),
        }
    }

    /// `x = ` the float of size `fs` whose bits are `bits` (not 0), through
    /// x16 unless an `fmov` immediate holds it.
    fn fconst(&mut self, fs: FloatSize, x: Fpr, bits: u64) {
        if fits_fmov_imm(fs, bits) {
            self.asm.fmov_imm(fs, x, bits);
        } else {
            self.asm.mov_imm(bits_size(fs), X16, bits);
            self.asm.fmov_to_fpr(bits_size(fs), x, X16);
        }
    }

    pub(super) fn fbin(&mut self, op: FBinOp, ty: Ty, dst: VReg, a: VReg, b: VReg) {
        let fop = match op {
            FBinOp::Add => FloatOp::Add,
            FBinOp::Sub => FloatOp::Sub,
            FBinOp::Mul => FloatOp::Mul,
            FBinOp::Div => FloatOp::Div,
            FBinOp::Min => FloatOp::Min,
            FBinOp::Max => FloatOp::Max,
            FBinOp::Copysign => return self.copysign(ty, dst, a, b),
        };
        let xa = self.fsrc(a, FSCRATCH0);
        let xb = self.fsrc(b, FSCRATCH1);
        let d = self.fdst(dst, FSCRATCH0);
        // Three operands: `d` may be either source, both are read first.
        self.asm.float_op(fop, fsize(ty), d, xa, xb);
        self.fcommit(dst, d);
    }

    /// `|a|` with `b`'s sign, as a pure bit operation (a NaN's payload and
    /// signalling bit kept).
    fn copysign(&mut self, ty: Ty, dst: VReg, a: VReg, b: VReg) {
        let fs = fsize(ty);
        if let (L::V(xa), L::V(xb)) = (self.loc(a), self.loc(b)) {
            // v30 = the sign bit alone: -0.0 (`fneg` of +0.0).
            self.asm.movi_zero(FSCRATCH1);
            self.asm
                .float_unop(FloatUnOp::Neg, fs, FSCRATCH1, FSCRATCH1);
            let d = self.fdst(dst, FSCRATCH0);
            if d == xb {
                // d holds b: take every bit but the sign from a.
                self.asm
                    .vec_logic(VecLogicOp::Bif, Lanes::B8, d, xa, FSCRATCH1);
            } else {
                if d != xa {
                    self.asm.fmov(FloatSize::F64, d, xa);
                }
                // d holds a: take the sign from b.
                self.asm
                    .vec_logic(VecLogicOp::Bit, Lanes::B8, d, xb, FSCRATCH1);
            }
            self.fcommit(dst, d);
            return;
        }
        // On the raw bits: x17 = b, then a's bits below the sign into it.
        let sz = size(ty);
        let rb = self.src(b, X17);
        self.mov(sz, X17, rb);
        let ra = self.src(a, X16);
        self.asm.bfxil(sz, X17, ra, 0, sz.bits() - 1);
        let d = self.dst(dst, X17);
        self.mov(sz, d, X17);
        self.commit(dst, d);
    }

    pub(super) fn fun(&mut self, op: FUnOp, ty: Ty, dst: VReg, src: VReg) {
        let uop = match op {
            FUnOp::Abs => FloatUnOp::Abs,
            FUnOp::Neg => FloatUnOp::Neg,
            FUnOp::Sqrt => FloatUnOp::Sqrt,
            FUnOp::Ceil => FloatUnOp::RintP,
            FUnOp::Floor => FloatUnOp::RintM,
            FUnOp::Trunc => FloatUnOp::RintZ,
            FUnOp::Nearest => FloatUnOp::RintN,
        };
        let xs = self.fsrc(src, FSCRATCH0);
        let d = self.fdst(dst, FSCRATCH0);
        self.asm.float_unop(uop, fsize(ty), d, xs);
        self.fcommit(dst, d);
    }

    /// Set the flags from `fcmp a, b`.
    fn fcmp_values(&mut self, ty: Ty, a: VReg, b: VReg) {
        let xa = self.fsrc(a, FSCRATCH0);
        let xb = self.fsrc(b, FSCRATCH1);
        self.asm.fcmp(fsize(ty), xa, xb);
    }

    /// `dst = a cc b` as an i32 0 or 1.
    pub(super) fn fcmp(&mut self, cc: FloatCC, ty: Ty, dst: VReg, a: VReg, b: VReg) {
        self.fcmp_values(ty, a, b);
        self.set_flag(fcond(cc), dst);
    }

    /// Branch to `then` if `a cc b`, else to `otherwise`.
    #[allow(
        clippy::too_many_arguments,
        reason = "the fields of `Inst::BranchFCmp` and the next block"
    )]
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
        self.fcmp_values(ty, a, b);
        self.branch(fcond(cc), then, otherwise, next);
    }

    /// The conversions that involve a float (the integer ones and
    /// reinterpretations are [`Emitter::convert`]'s).
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
                // A NaN comes out quiet with its payload's high bits; a
                // canonical NaN stays canonical.
                let xs = self.fsrc(src, FSCRATCH0);
                let d = self.fdst(dst, FSCRATCH0);
                self.asm.fcvt(fsize(to), d, xs);
                self.fcommit(dst, d);
            }
            ConvOp::ConvertS | ConvOp::ConvertU => {
                // An i32 from its `w` view; one correctly rounded step
                // from any width (u64 -> f32 included).
                let rs = self.src(src, X16);
                let d = self.fdst(dst, FSCRATCH0);
                if op == ConvOp::ConvertS {
                    self.asm.scvtf(fsize(to), d, size(from), rs);
                } else {
                    self.asm.ucvtf(fsize(to), d, size(from), rs);
                }
                self.fcommit(dst, d);
            }
            ConvOp::TruncS | ConvOp::TruncU => {
                self.trunc(op == ConvOp::TruncS, from, to, dst, src);
            }
            ConvOp::TruncSatS | ConvOp::TruncSatU => {
                // `fcvtz*` saturate and give 0 for NaN: wasm's trunc_sat.
                let xs = self.fsrc(src, FSCRATCH0);
                self.fcvt_int(op == ConvOp::TruncSatS, from, to, dst, xs);
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

    /// Trapping float -> int truncation: NaN is an invalid conversion, a
    /// value outside [`trunc_bounds`] (exclusive) an overflow; the rest
    /// converts exactly.
    fn trunc(&mut self, signed: bool, from: Ty, to: Ty, dst: VReg, src: VReg) {
        let fs = fsize(from);
        let (lo, hi) = trunc_bounds(signed, from, to);
        let xs = self.fsrc(src, FSCRATCH0);
        // Only a NaN is unordered with itself.
        self.asm.fcmp(fs, xs, xs);
        self.trap_if(Cond::Vs, TrapCode::BadConversionToInteger);
        // Both bound checks share one cold path. NaN is excluded, so the
        // compares are ordered: `ls` is x <= lo, `ge` is x >= hi.
        let overflow = self.cold_site(SiteKind::Trap(TrapCode::IntegerOverflow));
        self.fconst(fs, FSCRATCH1, float_bits(fs, lo));
        self.asm.fcmp(fs, xs, FSCRATCH1);
        self.asm.b_cond(Cond::Ls, overflow);
        self.fconst(fs, FSCRATCH1, float_bits(fs, hi));
        self.asm.fcmp(fs, xs, FSCRATCH1);
        self.asm.b_cond(Cond::Ge, overflow);
        self.fcvt_int(signed, from, to, dst, xs);
    }

    /// `dst = fcvtzs/fcvtzu xs`: toward zero, saturating, NaN to 0; an i32
    /// through its `w` register (zero-extended).
    fn fcvt_int(&mut self, signed: bool, from: Ty, to: Ty, dst: VReg, xs: Fpr) {
        let d = self.dst(dst, X16);
        if signed {
            self.asm.fcvtzs(size(to), d, fsize(from), xs);
        } else {
            self.asm.fcvtzu(size(to), d, fsize(from), xs);
        }
        self.commit(dst, d);
    }
}
