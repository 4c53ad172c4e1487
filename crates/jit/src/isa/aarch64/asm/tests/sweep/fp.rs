//! Sweeps of the floating-point and SIMD forms: every V register in every
//! field, both float sizes, every `fmov` immediate, every condition.

use super::*;
use crate::isa::aarch64::asm::imm::decode_fmov_imm;
use crate::isa::aarch64::{FloatOp, FloatUnOp, Lanes, VecLogicOp};

/// Three V registers per step so that each appears in each field.
fn vtriples() -> impl Iterator<Item = (Fpr, Fpr, Fpr)> {
    (0..32).map(|i| {
        (
            Fpr::ALL[i],
            Fpr::ALL[(i + 11) % 32],
            Fpr::ALL[(i + 23) % 32],
        )
    })
}

/// The value of the float bits `bits` of `size`, widened to f64.
fn as_f64(size: FloatSize, bits: u64) -> f64 {
    match size {
        FloatSize::F32 => f64::from(f32::from_bits(bits as u32)),
        FloatSize::F64 => f64::from_bits(bits),
    }
}

#[test]
fn float_arithmetic() {
    let mut s = Sweep::default();
    let mut rng = Rng(0x3141_5926_5358_9793);
    let ops = [
        (FloatOp::Add, O::FADD),
        (FloatOp::Sub, O::FSUB),
        (FloatOp::Mul, O::FMUL),
        (FloatOp::Div, O::FDIV),
        (FloatOp::Min, O::FMIN),
        (FloatOp::Max, O::FMAX),
        (FloatOp::MinNm, O::FMINNM),
        (FloatOp::MaxNm, O::FMAXNM),
    ];
    let unops = [
        (FloatUnOp::Abs, O::FABS),
        (FloatUnOp::Neg, O::FNEG),
        (FloatUnOp::Sqrt, O::FSQRT),
        (FloatUnOp::RintN, O::FRINTN),
        (FloatUnOp::RintP, O::FRINTP),
        (FloatUnOp::RintM, O::FRINTM),
        (FloatUnOp::RintZ, O::FRINTZ),
    ];
    for size in FloatSize::ALL {
        let other = match size {
            FloatSize::F32 => FloatSize::F64,
            FloatSize::F64 => FloatSize::F32,
        };
        for (vd, vn, vm) in vtriples() {
            let f = |v: Fpr| fv(size, v);
            for (op, opcode) in ops {
                s.check(
                    &format!("{op:?}"),
                    |a| a.float_op(op, size, vd, vn, vm),
                    &[(opcode, [f(vd), f(vn), f(vm), N])],
                );
            }
            for (op, opcode) in unops {
                s.check(
                    &format!("{op:?}"),
                    |a| a.float_unop(op, size, vd, vn),
                    &[(opcode, [f(vd), f(vn), N, N])],
                );
            }
            s.check(
                "fmov",
                |a| a.fmov(size, vd, vn),
                &[(O::FMOV, [f(vd), f(vn), N, N])],
            );
            s.check(
                "fcvt",
                |a| a.fcvt(size, vd, vn),
                &[(O::FCVT, [f(vd), fv(other, vn), N, N])],
            );
            s.check(
                "fcmp",
                |a| a.fcmp(size, vn, vm),
                &[(O::FCMP, [f(vn), f(vm), N, N])],
            );
            s.check(
                "fcmp #0",
                |a| a.fcmp_zero(size, vn),
                &[(O::FCMP, [f(vn), P::ImmediateDouble(0.0), N, N])],
            );
            for cond in Cond::ALL {
                let c = P::ConditionCode(cond.enc() as u8);
                let nzcv = rng.below(16) as u32;
                s.check(
                    "fccmp",
                    |a| a.fccmp(size, vn, vm, nzcv, cond),
                    &[(O::FCCMP, [f(vn), f(vm), P::Immediate(nzcv), c])],
                );
                s.check(
                    "fcsel",
                    |a| a.fcsel(size, vd, vn, vm, cond),
                    &[(O::FCSEL, [f(vd), f(vn), f(vm), c])],
                );
            }
        }
        // Every float immediate.
        for imm8 in 0..=255u8 {
            let bits = decode_fmov_imm(size, imm8);
            let vd = rng.pick(&Fpr::ALL);
            s.check(
                &format!("fmov #{imm8:#x}"),
                |a| a.fmov_imm(size, vd, bits),
                &[(
                    O::FMOV,
                    [fv(size, vd), P::ImmediateDouble(as_f64(size, bits)), N, N],
                )],
            );
        }
    }
    s.done("float arithmetic");
}

#[test]
fn float_integer_moves_and_conversions() {
    let mut s = Sweep::default();
    for (i, r) in regs_zr().into_iter().enumerate() {
        let v = Fpr::ALL[(i * 7 + 3) % 32];
        for size in Size::ALL {
            let same = match size {
                Size::S32 => FloatSize::F32,
                Size::S64 => FloatSize::F64,
            };
            s.check(
                "fmov to fpr",
                |a| a.fmov_to_fpr(size, v, r),
                &[(O::FMOV, [fv(same, v), zr(size, r), N, N])],
            );
            s.check(
                "fmov to gpr",
                |a| a.fmov_to_gpr(size, r, v),
                &[(O::FMOV, [zr(size, r), fv(same, v), N, N])],
            );
            for fsize in FloatSize::ALL {
                let (gr, fr) = (zr(size, r), fv(fsize, v));
                s.check(
                    "fcvtzs",
                    |a| a.fcvtzs(size, r, fsize, v),
                    &[(O::FCVTZS, [gr, fr, N, N])],
                );
                s.check(
                    "fcvtzu",
                    |a| a.fcvtzu(size, r, fsize, v),
                    &[(O::FCVTZU, [gr, fr, N, N])],
                );
                s.check(
                    "scvtf",
                    |a| a.scvtf(fsize, v, size, r),
                    &[(O::SCVTF, [fr, gr, N, N])],
                );
                s.check(
                    "ucvtf",
                    |a| a.ucvtf(fsize, v, size, r),
                    &[(O::UCVTF, [fr, gr, N, N])],
                );
            }
        }
    }
    s.done("float/integer moves and conversions");
}

#[test]
fn simd() {
    let mut s = Sweep::default();
    let lanes8 = |v: Fpr| P::SIMDRegisterElements(V::D, u16::from(v.enc()), V::B);
    let ops = [
        (VecLogicOp::And, O::AND),
        (VecLogicOp::Bic, O::BIC),
        (VecLogicOp::Orr, O::ORR),
        (VecLogicOp::Orn, O::ORN),
        (VecLogicOp::Eor, O::EOR),
        (VecLogicOp::Bsl, O::BSL),
        (VecLogicOp::Bit, O::BIT),
        (VecLogicOp::Bif, O::BIF),
    ];
    for (vd, vn, vm) in vtriples() {
        s.check(
            "cnt",
            |a| a.cnt_8b(vd, vn),
            &[(O::CNT, [lanes8(vd), lanes8(vn), N, N])],
        );
        s.check(
            "addv",
            |a| a.addv_8b(vd, vn),
            &[(
                O::ADDV,
                [P::SIMDRegister(V::B, u16::from(vd.enc())), lanes8(vn), N, N],
            )],
        );
        s.check(
            "uaddlv",
            |a| a.uaddlv_8b(vd, vn),
            &[(
                O::UADDLV,
                [P::SIMDRegister(V::H, u16::from(vd.enc())), lanes8(vn), N, N],
            )],
        );
        s.check(
            "movi #0",
            |a| a.movi_zero(vd),
            &[(
                O::MOVI,
                [
                    P::SIMDRegister(V::D, u16::from(vd.enc())),
                    P::Imm64(0),
                    N,
                    N,
                ],
            )],
        );
        for lanes in [Lanes::B8, Lanes::B16] {
            let width = if lanes == Lanes::B8 { V::D } else { V::Q };
            let l = |v: Fpr| P::SIMDRegisterElements(width, u16::from(v.enc()), V::B);
            for (op, opcode) in ops {
                s.check(
                    &format!("{op:?} {lanes:?}"),
                    |a| a.vec_logic(op, lanes, vd, vn, vm),
                    &[(opcode, [l(vd), l(vn), l(vm), N])],
                );
            }
        }
    }
    s.done("simd");
}
