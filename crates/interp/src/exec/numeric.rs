//! Numeric handlers: `dst = OP(src)`, `dst = a OP b`, `dst = a OP imm`.
//! Operands are the `Op` fields in order: `a` = dst, `b` = first source,
//! `c` = second source or immediate.

use super::dispatch::{handlers, next, r32, r64, trap_at, tri, w32, w64};
use super::float;
use wx_core::TrapCode;

macro_rules! wf32 {
    ($sp:ident, $i:expr, $v:expr) => {
        w32!($sp, $i, (($v) as f32).to_bits())
    };
}
macro_rules! wf64 {
    ($sp:ident, $i:expr, $v:expr) => {
        w64!($sp, $i, (($v) as f64).to_bits())
    };
}

handlers! {
    fn I32Eqz(ip, sp, mem, len, cx) {
        let i = &*ip;
        let (dst, src) = (i.a, i.b);
        w32!(sp, dst, r32!(sp, src) == 0);
        next!(ip.add(1), sp, mem, len, cx)
    }

    fn I64Eqz(ip, sp, mem, len, cx) {
        let i = &*ip;
        let (dst, src) = (i.a, i.b);
        w32!(sp, dst, r64!(sp, src) == 0);
        next!(ip.add(1), sp, mem, len, cx)
    }

    fn I32Clz(ip, sp, mem, len, cx) {
        let i = &*ip;
        let (dst, src) = (i.a, i.b);
        w32!(sp, dst, r32!(sp, src).leading_zeros());
        next!(ip.add(1), sp, mem, len, cx)
    }

    fn I32Ctz(ip, sp, mem, len, cx) {
        let i = &*ip;
        let (dst, src) = (i.a, i.b);
        w32!(sp, dst, r32!(sp, src).trailing_zeros());
        next!(ip.add(1), sp, mem, len, cx)
    }

    fn I32Popcnt(ip, sp, mem, len, cx) {
        let i = &*ip;
        let (dst, src) = (i.a, i.b);
        w32!(sp, dst, r32!(sp, src).count_ones());
        next!(ip.add(1), sp, mem, len, cx)
    }

    fn I64Clz(ip, sp, mem, len, cx) {
        let i = &*ip;
        let (dst, src) = (i.a, i.b);
        w64!(sp, dst, r64!(sp, src).leading_zeros());
        next!(ip.add(1), sp, mem, len, cx)
    }

    fn I64Ctz(ip, sp, mem, len, cx) {
        let i = &*ip;
        let (dst, src) = (i.a, i.b);
        w64!(sp, dst, r64!(sp, src).trailing_zeros());
        next!(ip.add(1), sp, mem, len, cx)
    }

    fn I64Popcnt(ip, sp, mem, len, cx) {
        let i = &*ip;
        let (dst, src) = (i.a, i.b);
        w64!(sp, dst, r64!(sp, src).count_ones());
        next!(ip.add(1), sp, mem, len, cx)
    }

    fn F32Abs(ip, sp, mem, len, cx) {
        let i = &*ip;
        let (dst, src) = (i.a, i.b);
        w32!(sp, dst, r32!(sp, src) & 0x7fff_ffff);
        next!(ip.add(1), sp, mem, len, cx)
    }

    fn F32Neg(ip, sp, mem, len, cx) {
        let i = &*ip;
        let (dst, src) = (i.a, i.b);
        w32!(sp, dst, r32!(sp, src) ^ 0x8000_0000);
        next!(ip.add(1), sp, mem, len, cx)
    }

    fn F32Ceil(ip, sp, mem, len, cx) {
        let i = &*ip;
        let (dst, src) = (i.a, i.b);
        wf32!(sp, dst, float::f32_ceil(f32::from_bits(r32!(sp, src))));
        next!(ip.add(1), sp, mem, len, cx)
    }

    fn F32Floor(ip, sp, mem, len, cx) {
        let i = &*ip;
        let (dst, src) = (i.a, i.b);
        wf32!(sp, dst, float::f32_floor(f32::from_bits(r32!(sp, src))));
        next!(ip.add(1), sp, mem, len, cx)
    }

    fn F32Trunc(ip, sp, mem, len, cx) {
        let i = &*ip;
        let (dst, src) = (i.a, i.b);
        wf32!(sp, dst, float::f32_trunc(f32::from_bits(r32!(sp, src))));
        next!(ip.add(1), sp, mem, len, cx)
    }

    fn F32Nearest(ip, sp, mem, len, cx) {
        let i = &*ip;
        let (dst, src) = (i.a, i.b);
        wf32!(sp, dst, float::f32_nearest(f32::from_bits(r32!(sp, src))));
        next!(ip.add(1), sp, mem, len, cx)
    }

    fn F32Sqrt(ip, sp, mem, len, cx) {
        let i = &*ip;
        let (dst, src) = (i.a, i.b);
        wf32!(sp, dst, f32::from_bits(r32!(sp, src)).sqrt());
        next!(ip.add(1), sp, mem, len, cx)
    }

    fn F64Abs(ip, sp, mem, len, cx) {
        let i = &*ip;
        let (dst, src) = (i.a, i.b);
        w64!(sp, dst, r64!(sp, src) & 0x7fff_ffff_ffff_ffff);
        next!(ip.add(1), sp, mem, len, cx)
    }

    fn F64Neg(ip, sp, mem, len, cx) {
        let i = &*ip;
        let (dst, src) = (i.a, i.b);
        w64!(sp, dst, r64!(sp, src) ^ 0x8000_0000_0000_0000);
        next!(ip.add(1), sp, mem, len, cx)
    }

    fn F64Ceil(ip, sp, mem, len, cx) {
        let i = &*ip;
        let (dst, src) = (i.a, i.b);
        wf64!(sp, dst, float::f64_ceil(f64::from_bits(r64!(sp, src))));
        next!(ip.add(1), sp, mem, len, cx)
    }

    fn F64Floor(ip, sp, mem, len, cx) {
        let i = &*ip;
        let (dst, src) = (i.a, i.b);
        wf64!(sp, dst, float::f64_floor(f64::from_bits(r64!(sp, src))));
        next!(ip.add(1), sp, mem, len, cx)
    }

    fn F64Trunc(ip, sp, mem, len, cx) {
        let i = &*ip;
        let (dst, src) = (i.a, i.b);
        wf64!(sp, dst, float::f64_trunc(f64::from_bits(r64!(sp, src))));
        next!(ip.add(1), sp, mem, len, cx)
    }

    fn F64Nearest(ip, sp, mem, len, cx) {
        let i = &*ip;
        let (dst, src) = (i.a, i.b);
        wf64!(sp, dst, float::f64_nearest(f64::from_bits(r64!(sp, src))));
        next!(ip.add(1), sp, mem, len, cx)
    }

    fn F64Sqrt(ip, sp, mem, len, cx) {
        let i = &*ip;
        let (dst, src) = (i.a, i.b);
        wf64!(sp, dst, f64::from_bits(r64!(sp, src)).sqrt());
        next!(ip.add(1), sp, mem, len, cx)
    }

    fn I32WrapI64(ip, sp, mem, len, cx) {
        let i = &*ip;
        let (dst, src) = (i.a, i.b);
        w32!(sp, dst, r64!(sp, src));
        next!(ip.add(1), sp, mem, len, cx)
    }

    fn I32TruncF32S(ip, sp, mem, len, cx) {
        let i = &*ip;
        let (dst, src) = (i.a, i.b);
        w32!(sp, dst, tri!(cx, ip, float::i32_trunc_f32(f32::from_bits(r32!(sp, src)))));
        next!(ip.add(1), sp, mem, len, cx)
    }

    fn I32TruncF32U(ip, sp, mem, len, cx) {
        let i = &*ip;
        let (dst, src) = (i.a, i.b);
        w32!(sp, dst, tri!(cx, ip, float::u32_trunc_f32(f32::from_bits(r32!(sp, src)))));
        next!(ip.add(1), sp, mem, len, cx)
    }

    fn I32TruncF64S(ip, sp, mem, len, cx) {
        let i = &*ip;
        let (dst, src) = (i.a, i.b);
        w32!(sp, dst, tri!(cx, ip, float::i32_trunc_f64(f64::from_bits(r64!(sp, src)))));
        next!(ip.add(1), sp, mem, len, cx)
    }

    fn I32TruncF64U(ip, sp, mem, len, cx) {
        let i = &*ip;
        let (dst, src) = (i.a, i.b);
        w32!(sp, dst, tri!(cx, ip, float::u32_trunc_f64(f64::from_bits(r64!(sp, src)))));
        next!(ip.add(1), sp, mem, len, cx)
    }

    fn I64ExtendI32S(ip, sp, mem, len, cx) {
        let i = &*ip;
        let (dst, src) = (i.a, i.b);
        w64!(sp, dst, r32!(sp, src) as i32 as i64);
        next!(ip.add(1), sp, mem, len, cx)
    }

    fn I64ExtendI32U(ip, sp, mem, len, cx) {
        let i = &*ip;
        let (dst, src) = (i.a, i.b);
        w64!(sp, dst, r32!(sp, src));
        next!(ip.add(1), sp, mem, len, cx)
    }

    fn I64TruncF32S(ip, sp, mem, len, cx) {
        let i = &*ip;
        let (dst, src) = (i.a, i.b);
        w64!(sp, dst, tri!(cx, ip, float::i64_trunc_f32(f32::from_bits(r32!(sp, src)))));
        next!(ip.add(1), sp, mem, len, cx)
    }

    fn I64TruncF32U(ip, sp, mem, len, cx) {
        let i = &*ip;
        let (dst, src) = (i.a, i.b);
        w64!(sp, dst, tri!(cx, ip, float::u64_trunc_f32(f32::from_bits(r32!(sp, src)))));
        next!(ip.add(1), sp, mem, len, cx)
    }

    fn I64TruncF64S(ip, sp, mem, len, cx) {
        let i = &*ip;
        let (dst, src) = (i.a, i.b);
        w64!(sp, dst, tri!(cx, ip, float::i64_trunc_f64(f64::from_bits(r64!(sp, src)))));
        next!(ip.add(1), sp, mem, len, cx)
    }

    fn I64TruncF64U(ip, sp, mem, len, cx) {
        let i = &*ip;
        let (dst, src) = (i.a, i.b);
        w64!(sp, dst, tri!(cx, ip, float::u64_trunc_f64(f64::from_bits(r64!(sp, src)))));
        next!(ip.add(1), sp, mem, len, cx)
    }

    fn F32ConvertI32S(ip, sp, mem, len, cx) {
        let i = &*ip;
        let (dst, src) = (i.a, i.b);
        wf32!(sp, dst, r32!(sp, src) as i32 as f32);
        next!(ip.add(1), sp, mem, len, cx)
    }

    fn F32ConvertI32U(ip, sp, mem, len, cx) {
        let i = &*ip;
        let (dst, src) = (i.a, i.b);
        wf32!(sp, dst, r32!(sp, src) as f32);
        next!(ip.add(1), sp, mem, len, cx)
    }

    fn F32ConvertI64S(ip, sp, mem, len, cx) {
        let i = &*ip;
        let (dst, src) = (i.a, i.b);
        wf32!(sp, dst, r64!(sp, src) as i64 as f32);
        next!(ip.add(1), sp, mem, len, cx)
    }

    fn F32ConvertI64U(ip, sp, mem, len, cx) {
        let i = &*ip;
        let (dst, src) = (i.a, i.b);
        wf32!(sp, dst, r64!(sp, src) as f32);
        next!(ip.add(1), sp, mem, len, cx)
    }

    fn F32DemoteF64(ip, sp, mem, len, cx) {
        let i = &*ip;
        let (dst, src) = (i.a, i.b);
        wf32!(sp, dst, f64::from_bits(r64!(sp, src)) as f32);
        next!(ip.add(1), sp, mem, len, cx)
    }

    fn F64ConvertI32S(ip, sp, mem, len, cx) {
        let i = &*ip;
        let (dst, src) = (i.a, i.b);
        wf64!(sp, dst, r32!(sp, src) as i32 as f64);
        next!(ip.add(1), sp, mem, len, cx)
    }

    fn F64ConvertI32U(ip, sp, mem, len, cx) {
        let i = &*ip;
        let (dst, src) = (i.a, i.b);
        wf64!(sp, dst, r32!(sp, src) as f64);
        next!(ip.add(1), sp, mem, len, cx)
    }

    fn F64ConvertI64S(ip, sp, mem, len, cx) {
        let i = &*ip;
        let (dst, src) = (i.a, i.b);
        wf64!(sp, dst, r64!(sp, src) as i64 as f64);
        next!(ip.add(1), sp, mem, len, cx)
    }

    fn F64ConvertI64U(ip, sp, mem, len, cx) {
        let i = &*ip;
        let (dst, src) = (i.a, i.b);
        wf64!(sp, dst, r64!(sp, src) as f64);
        next!(ip.add(1), sp, mem, len, cx)
    }

    fn F64PromoteF32(ip, sp, mem, len, cx) {
        let i = &*ip;
        let (dst, src) = (i.a, i.b);
        wf64!(sp, dst, f32::from_bits(r32!(sp, src)) as f64);
        next!(ip.add(1), sp, mem, len, cx)
    }

    fn I32Extend8S(ip, sp, mem, len, cx) {
        let i = &*ip;
        let (dst, src) = (i.a, i.b);
        w32!(sp, dst, r32!(sp, src) as i8 as i32);
        next!(ip.add(1), sp, mem, len, cx)
    }

    fn I32Extend16S(ip, sp, mem, len, cx) {
        let i = &*ip;
        let (dst, src) = (i.a, i.b);
        w32!(sp, dst, r32!(sp, src) as i16 as i32);
        next!(ip.add(1), sp, mem, len, cx)
    }

    fn I64Extend8S(ip, sp, mem, len, cx) {
        let i = &*ip;
        let (dst, src) = (i.a, i.b);
        w64!(sp, dst, r64!(sp, src) as i8 as i64);
        next!(ip.add(1), sp, mem, len, cx)
    }

    fn I64Extend16S(ip, sp, mem, len, cx) {
        let i = &*ip;
        let (dst, src) = (i.a, i.b);
        w64!(sp, dst, r64!(sp, src) as i16 as i64);
        next!(ip.add(1), sp, mem, len, cx)
    }

    fn I64Extend32S(ip, sp, mem, len, cx) {
        let i = &*ip;
        let (dst, src) = (i.a, i.b);
        w64!(sp, dst, r64!(sp, src) as i32 as i64);
        next!(ip.add(1), sp, mem, len, cx)
    }

    fn I32TruncSatF32S(ip, sp, mem, len, cx) {
        let i = &*ip;
        let (dst, src) = (i.a, i.b);
        w32!(sp, dst, f32::from_bits(r32!(sp, src)) as i32);
        next!(ip.add(1), sp, mem, len, cx)
    }

    fn I32TruncSatF32U(ip, sp, mem, len, cx) {
        let i = &*ip;
        let (dst, src) = (i.a, i.b);
        w32!(sp, dst, f32::from_bits(r32!(sp, src)) as u32);
        next!(ip.add(1), sp, mem, len, cx)
    }

    fn I32TruncSatF64S(ip, sp, mem, len, cx) {
        let i = &*ip;
        let (dst, src) = (i.a, i.b);
        w32!(sp, dst, f64::from_bits(r64!(sp, src)) as i32);
        next!(ip.add(1), sp, mem, len, cx)
    }

    fn I32TruncSatF64U(ip, sp, mem, len, cx) {
        let i = &*ip;
        let (dst, src) = (i.a, i.b);
        w32!(sp, dst, f64::from_bits(r64!(sp, src)) as u32);
        next!(ip.add(1), sp, mem, len, cx)
    }

    fn I64TruncSatF32S(ip, sp, mem, len, cx) {
        let i = &*ip;
        let (dst, src) = (i.a, i.b);
        w64!(sp, dst, f32::from_bits(r32!(sp, src)) as i64);
        next!(ip.add(1), sp, mem, len, cx)
    }

    fn I64TruncSatF32U(ip, sp, mem, len, cx) {
        let i = &*ip;
        let (dst, src) = (i.a, i.b);
        w64!(sp, dst, f32::from_bits(r32!(sp, src)) as u64);
        next!(ip.add(1), sp, mem, len, cx)
    }

    fn I64TruncSatF64S(ip, sp, mem, len, cx) {
        let i = &*ip;
        let (dst, src) = (i.a, i.b);
        w64!(sp, dst, f64::from_bits(r64!(sp, src)) as i64);
        next!(ip.add(1), sp, mem, len, cx)
    }

    fn I64TruncSatF64U(ip, sp, mem, len, cx) {
        let i = &*ip;
        let (dst, src) = (i.a, i.b);
        w64!(sp, dst, f64::from_bits(r64!(sp, src)) as u64);
        next!(ip.add(1), sp, mem, len, cx)
    }

    fn I32Eq(ip, sp, mem, len, cx) {
        let i = &*ip;
        let (dst, a, b) = (i.a, i.b, i.c);
        w32!(sp, dst, r32!(sp, a) == r32!(sp, b));
        next!(ip.add(1), sp, mem, len, cx)
    }

    fn I32Ne(ip, sp, mem, len, cx) {
        let i = &*ip;
        let (dst, a, b) = (i.a, i.b, i.c);
        w32!(sp, dst, r32!(sp, a) != r32!(sp, b));
        next!(ip.add(1), sp, mem, len, cx)
    }

    fn I32LtS(ip, sp, mem, len, cx) {
        let i = &*ip;
        let (dst, a, b) = (i.a, i.b, i.c);
        w32!(sp, dst, (r32!(sp, a) as i32) < (r32!(sp, b) as i32));
        next!(ip.add(1), sp, mem, len, cx)
    }

    fn I32LtU(ip, sp, mem, len, cx) {
        let i = &*ip;
        let (dst, a, b) = (i.a, i.b, i.c);
        w32!(sp, dst, r32!(sp, a) < r32!(sp, b));
        next!(ip.add(1), sp, mem, len, cx)
    }

    fn I32GtS(ip, sp, mem, len, cx) {
        let i = &*ip;
        let (dst, a, b) = (i.a, i.b, i.c);
        w32!(sp, dst, (r32!(sp, a) as i32) > (r32!(sp, b) as i32));
        next!(ip.add(1), sp, mem, len, cx)
    }

    fn I32GtU(ip, sp, mem, len, cx) {
        let i = &*ip;
        let (dst, a, b) = (i.a, i.b, i.c);
        w32!(sp, dst, r32!(sp, a) > r32!(sp, b));
        next!(ip.add(1), sp, mem, len, cx)
    }

    fn I32LeS(ip, sp, mem, len, cx) {
        let i = &*ip;
        let (dst, a, b) = (i.a, i.b, i.c);
        w32!(sp, dst, (r32!(sp, a) as i32) <= (r32!(sp, b) as i32));
        next!(ip.add(1), sp, mem, len, cx)
    }

    fn I32LeU(ip, sp, mem, len, cx) {
        let i = &*ip;
        let (dst, a, b) = (i.a, i.b, i.c);
        w32!(sp, dst, r32!(sp, a) <= r32!(sp, b));
        next!(ip.add(1), sp, mem, len, cx)
    }

    fn I32GeS(ip, sp, mem, len, cx) {
        let i = &*ip;
        let (dst, a, b) = (i.a, i.b, i.c);
        w32!(sp, dst, (r32!(sp, a) as i32) >= (r32!(sp, b) as i32));
        next!(ip.add(1), sp, mem, len, cx)
    }

    fn I32GeU(ip, sp, mem, len, cx) {
        let i = &*ip;
        let (dst, a, b) = (i.a, i.b, i.c);
        w32!(sp, dst, r32!(sp, a) >= r32!(sp, b));
        next!(ip.add(1), sp, mem, len, cx)
    }

    fn I64Eq(ip, sp, mem, len, cx) {
        let i = &*ip;
        let (dst, a, b) = (i.a, i.b, i.c);
        w32!(sp, dst, r64!(sp, a) == r64!(sp, b));
        next!(ip.add(1), sp, mem, len, cx)
    }

    fn I64Ne(ip, sp, mem, len, cx) {
        let i = &*ip;
        let (dst, a, b) = (i.a, i.b, i.c);
        w32!(sp, dst, r64!(sp, a) != r64!(sp, b));
        next!(ip.add(1), sp, mem, len, cx)
    }

    fn I64LtS(ip, sp, mem, len, cx) {
        let i = &*ip;
        let (dst, a, b) = (i.a, i.b, i.c);
        w32!(sp, dst, (r64!(sp, a) as i64) < (r64!(sp, b) as i64));
        next!(ip.add(1), sp, mem, len, cx)
    }

    fn I64LtU(ip, sp, mem, len, cx) {
        let i = &*ip;
        let (dst, a, b) = (i.a, i.b, i.c);
        w32!(sp, dst, r64!(sp, a) < r64!(sp, b));
        next!(ip.add(1), sp, mem, len, cx)
    }

    fn I64GtS(ip, sp, mem, len, cx) {
        let i = &*ip;
        let (dst, a, b) = (i.a, i.b, i.c);
        w32!(sp, dst, (r64!(sp, a) as i64) > (r64!(sp, b) as i64));
        next!(ip.add(1), sp, mem, len, cx)
    }

    fn I64GtU(ip, sp, mem, len, cx) {
        let i = &*ip;
        let (dst, a, b) = (i.a, i.b, i.c);
        w32!(sp, dst, r64!(sp, a) > r64!(sp, b));
        next!(ip.add(1), sp, mem, len, cx)
    }

    fn I64LeS(ip, sp, mem, len, cx) {
        let i = &*ip;
        let (dst, a, b) = (i.a, i.b, i.c);
        w32!(sp, dst, (r64!(sp, a) as i64) <= (r64!(sp, b) as i64));
        next!(ip.add(1), sp, mem, len, cx)
    }

    fn I64LeU(ip, sp, mem, len, cx) {
        let i = &*ip;
        let (dst, a, b) = (i.a, i.b, i.c);
        w32!(sp, dst, r64!(sp, a) <= r64!(sp, b));
        next!(ip.add(1), sp, mem, len, cx)
    }

    fn I64GeS(ip, sp, mem, len, cx) {
        let i = &*ip;
        let (dst, a, b) = (i.a, i.b, i.c);
        w32!(sp, dst, (r64!(sp, a) as i64) >= (r64!(sp, b) as i64));
        next!(ip.add(1), sp, mem, len, cx)
    }

    fn I64GeU(ip, sp, mem, len, cx) {
        let i = &*ip;
        let (dst, a, b) = (i.a, i.b, i.c);
        w32!(sp, dst, r64!(sp, a) >= r64!(sp, b));
        next!(ip.add(1), sp, mem, len, cx)
    }

    fn F32Eq(ip, sp, mem, len, cx) {
        let i = &*ip;
        let (dst, a, b) = (i.a, i.b, i.c);
        w32!(sp, dst, f32::from_bits(r32!(sp, a)) == f32::from_bits(r32!(sp, b)));
        next!(ip.add(1), sp, mem, len, cx)
    }

    fn F32Ne(ip, sp, mem, len, cx) {
        let i = &*ip;
        let (dst, a, b) = (i.a, i.b, i.c);
        w32!(sp, dst, f32::from_bits(r32!(sp, a)) != f32::from_bits(r32!(sp, b)));
        next!(ip.add(1), sp, mem, len, cx)
    }

    fn F32Lt(ip, sp, mem, len, cx) {
        let i = &*ip;
        let (dst, a, b) = (i.a, i.b, i.c);
        w32!(sp, dst, f32::from_bits(r32!(sp, a)) < f32::from_bits(r32!(sp, b)));
        next!(ip.add(1), sp, mem, len, cx)
    }

    fn F32Gt(ip, sp, mem, len, cx) {
        let i = &*ip;
        let (dst, a, b) = (i.a, i.b, i.c);
        w32!(sp, dst, f32::from_bits(r32!(sp, a)) > f32::from_bits(r32!(sp, b)));
        next!(ip.add(1), sp, mem, len, cx)
    }

    fn F32Le(ip, sp, mem, len, cx) {
        let i = &*ip;
        let (dst, a, b) = (i.a, i.b, i.c);
        w32!(sp, dst, f32::from_bits(r32!(sp, a)) <= f32::from_bits(r32!(sp, b)));
        next!(ip.add(1), sp, mem, len, cx)
    }

    fn F32Ge(ip, sp, mem, len, cx) {
        let i = &*ip;
        let (dst, a, b) = (i.a, i.b, i.c);
        w32!(sp, dst, f32::from_bits(r32!(sp, a)) >= f32::from_bits(r32!(sp, b)));
        next!(ip.add(1), sp, mem, len, cx)
    }

    fn F64Eq(ip, sp, mem, len, cx) {
        let i = &*ip;
        let (dst, a, b) = (i.a, i.b, i.c);
        w32!(sp, dst, f64::from_bits(r64!(sp, a)) == f64::from_bits(r64!(sp, b)));
        next!(ip.add(1), sp, mem, len, cx)
    }

    fn F64Ne(ip, sp, mem, len, cx) {
        let i = &*ip;
        let (dst, a, b) = (i.a, i.b, i.c);
        w32!(sp, dst, f64::from_bits(r64!(sp, a)) != f64::from_bits(r64!(sp, b)));
        next!(ip.add(1), sp, mem, len, cx)
    }

    fn F64Lt(ip, sp, mem, len, cx) {
        let i = &*ip;
        let (dst, a, b) = (i.a, i.b, i.c);
        w32!(sp, dst, f64::from_bits(r64!(sp, a)) < f64::from_bits(r64!(sp, b)));
        next!(ip.add(1), sp, mem, len, cx)
    }

    fn F64Gt(ip, sp, mem, len, cx) {
        let i = &*ip;
        let (dst, a, b) = (i.a, i.b, i.c);
        w32!(sp, dst, f64::from_bits(r64!(sp, a)) > f64::from_bits(r64!(sp, b)));
        next!(ip.add(1), sp, mem, len, cx)
    }

    fn F64Le(ip, sp, mem, len, cx) {
        let i = &*ip;
        let (dst, a, b) = (i.a, i.b, i.c);
        w32!(sp, dst, f64::from_bits(r64!(sp, a)) <= f64::from_bits(r64!(sp, b)));
        next!(ip.add(1), sp, mem, len, cx)
    }

    fn F64Ge(ip, sp, mem, len, cx) {
        let i = &*ip;
        let (dst, a, b) = (i.a, i.b, i.c);
        w32!(sp, dst, f64::from_bits(r64!(sp, a)) >= f64::from_bits(r64!(sp, b)));
        next!(ip.add(1), sp, mem, len, cx)
    }

    fn I32Add(ip, sp, mem, len, cx) {
        let i = &*ip;
        let (dst, a, b) = (i.a, i.b, i.c);
        w32!(sp, dst, r32!(sp, a).wrapping_add(r32!(sp, b)));
        next!(ip.add(1), sp, mem, len, cx)
    }

    fn I32Sub(ip, sp, mem, len, cx) {
        let i = &*ip;
        let (dst, a, b) = (i.a, i.b, i.c);
        w32!(sp, dst, r32!(sp, a).wrapping_sub(r32!(sp, b)));
        next!(ip.add(1), sp, mem, len, cx)
    }

    fn I32Mul(ip, sp, mem, len, cx) {
        let i = &*ip;
        let (dst, a, b) = (i.a, i.b, i.c);
        w32!(sp, dst, r32!(sp, a).wrapping_mul(r32!(sp, b)));
        next!(ip.add(1), sp, mem, len, cx)
    }

    fn I32DivS(ip, sp, mem, len, cx) {
        let i = &*ip;
        let (dst, a, b) = (i.a, i.b, i.c);
        let (x, y) = (r32!(sp, a) as i32, r32!(sp, b) as i32);
        if y == 0 {
            trap_at!(cx, ip, TrapCode::IntegerDivideByZero)
        }
        if x == i32::MIN && y == -1 {
            trap_at!(cx, ip, TrapCode::IntegerOverflow)
        }
        w32!(sp, dst, x / y);
        next!(ip.add(1), sp, mem, len, cx)
    }

    fn I32DivU(ip, sp, mem, len, cx) {
        let i = &*ip;
        let (dst, a, b) = (i.a, i.b, i.c);
        let y = r32!(sp, b);
        if y == 0 {
            trap_at!(cx, ip, TrapCode::IntegerDivideByZero)
        }
        w32!(sp, dst, r32!(sp, a) / y);
        next!(ip.add(1), sp, mem, len, cx)
    }

    fn I32RemS(ip, sp, mem, len, cx) {
        let i = &*ip;
        let (dst, a, b) = (i.a, i.b, i.c);
        let y = r32!(sp, b) as i32;
        if y == 0 {
            trap_at!(cx, ip, TrapCode::IntegerDivideByZero)
        }
        w32!(sp, dst, (r32!(sp, a) as i32).wrapping_rem(y));
        next!(ip.add(1), sp, mem, len, cx)
    }

    fn I32RemU(ip, sp, mem, len, cx) {
        let i = &*ip;
        let (dst, a, b) = (i.a, i.b, i.c);
        let y = r32!(sp, b);
        if y == 0 {
            trap_at!(cx, ip, TrapCode::IntegerDivideByZero)
        }
        w32!(sp, dst, r32!(sp, a) % y);
        next!(ip.add(1), sp, mem, len, cx)
    }

    fn I32And(ip, sp, mem, len, cx) {
        let i = &*ip;
        let (dst, a, b) = (i.a, i.b, i.c);
        w32!(sp, dst, r32!(sp, a) & r32!(sp, b));
        next!(ip.add(1), sp, mem, len, cx)
    }

    fn I32Or(ip, sp, mem, len, cx) {
        let i = &*ip;
        let (dst, a, b) = (i.a, i.b, i.c);
        w32!(sp, dst, r32!(sp, a) | r32!(sp, b));
        next!(ip.add(1), sp, mem, len, cx)
    }

    fn I32Xor(ip, sp, mem, len, cx) {
        let i = &*ip;
        let (dst, a, b) = (i.a, i.b, i.c);
        w32!(sp, dst, r32!(sp, a) ^ r32!(sp, b));
        next!(ip.add(1), sp, mem, len, cx)
    }

    fn I32Shl(ip, sp, mem, len, cx) {
        let i = &*ip;
        let (dst, a, b) = (i.a, i.b, i.c);
        w32!(sp, dst, r32!(sp, a).wrapping_shl(r32!(sp, b)));
        next!(ip.add(1), sp, mem, len, cx)
    }

    fn I32ShrS(ip, sp, mem, len, cx) {
        let i = &*ip;
        let (dst, a, b) = (i.a, i.b, i.c);
        w32!(sp, dst, (r32!(sp, a) as i32).wrapping_shr(r32!(sp, b)));
        next!(ip.add(1), sp, mem, len, cx)
    }

    fn I32ShrU(ip, sp, mem, len, cx) {
        let i = &*ip;
        let (dst, a, b) = (i.a, i.b, i.c);
        w32!(sp, dst, r32!(sp, a).wrapping_shr(r32!(sp, b)));
        next!(ip.add(1), sp, mem, len, cx)
    }

    fn I32Rotl(ip, sp, mem, len, cx) {
        let i = &*ip;
        let (dst, a, b) = (i.a, i.b, i.c);
        w32!(sp, dst, r32!(sp, a).rotate_left(r32!(sp, b) & 31));
        next!(ip.add(1), sp, mem, len, cx)
    }

    fn I32Rotr(ip, sp, mem, len, cx) {
        let i = &*ip;
        let (dst, a, b) = (i.a, i.b, i.c);
        w32!(sp, dst, r32!(sp, a).rotate_right(r32!(sp, b) & 31));
        next!(ip.add(1), sp, mem, len, cx)
    }

    fn I64Add(ip, sp, mem, len, cx) {
        let i = &*ip;
        let (dst, a, b) = (i.a, i.b, i.c);
        w64!(sp, dst, r64!(sp, a).wrapping_add(r64!(sp, b)));
        next!(ip.add(1), sp, mem, len, cx)
    }

    fn I64Sub(ip, sp, mem, len, cx) {
        let i = &*ip;
        let (dst, a, b) = (i.a, i.b, i.c);
        w64!(sp, dst, r64!(sp, a).wrapping_sub(r64!(sp, b)));
        next!(ip.add(1), sp, mem, len, cx)
    }

    fn I64Mul(ip, sp, mem, len, cx) {
        let i = &*ip;
        let (dst, a, b) = (i.a, i.b, i.c);
        w64!(sp, dst, r64!(sp, a).wrapping_mul(r64!(sp, b)));
        next!(ip.add(1), sp, mem, len, cx)
    }

    fn I64DivS(ip, sp, mem, len, cx) {
        let i = &*ip;
        let (dst, a, b) = (i.a, i.b, i.c);
        let (x, y) = (r64!(sp, a) as i64, r64!(sp, b) as i64);
        if y == 0 {
            trap_at!(cx, ip, TrapCode::IntegerDivideByZero)
        }
        if x == i64::MIN && y == -1 {
            trap_at!(cx, ip, TrapCode::IntegerOverflow)
        }
        w64!(sp, dst, x / y);
        next!(ip.add(1), sp, mem, len, cx)
    }

    fn I64DivU(ip, sp, mem, len, cx) {
        let i = &*ip;
        let (dst, a, b) = (i.a, i.b, i.c);
        let y = r64!(sp, b);
        if y == 0 {
            trap_at!(cx, ip, TrapCode::IntegerDivideByZero)
        }
        w64!(sp, dst, r64!(sp, a) / y);
        next!(ip.add(1), sp, mem, len, cx)
    }

    fn I64RemS(ip, sp, mem, len, cx) {
        let i = &*ip;
        let (dst, a, b) = (i.a, i.b, i.c);
        let y = r64!(sp, b) as i64;
        if y == 0 {
            trap_at!(cx, ip, TrapCode::IntegerDivideByZero)
        }
        w64!(sp, dst, (r64!(sp, a) as i64).wrapping_rem(y));
        next!(ip.add(1), sp, mem, len, cx)
    }

    fn I64RemU(ip, sp, mem, len, cx) {
        let i = &*ip;
        let (dst, a, b) = (i.a, i.b, i.c);
        let y = r64!(sp, b);
        if y == 0 {
            trap_at!(cx, ip, TrapCode::IntegerDivideByZero)
        }
        w64!(sp, dst, r64!(sp, a) % y);
        next!(ip.add(1), sp, mem, len, cx)
    }

    fn I64And(ip, sp, mem, len, cx) {
        let i = &*ip;
        let (dst, a, b) = (i.a, i.b, i.c);
        w64!(sp, dst, r64!(sp, a) & r64!(sp, b));
        next!(ip.add(1), sp, mem, len, cx)
    }

    fn I64Or(ip, sp, mem, len, cx) {
        let i = &*ip;
        let (dst, a, b) = (i.a, i.b, i.c);
        w64!(sp, dst, r64!(sp, a) | r64!(sp, b));
        next!(ip.add(1), sp, mem, len, cx)
    }

    fn I64Xor(ip, sp, mem, len, cx) {
        let i = &*ip;
        let (dst, a, b) = (i.a, i.b, i.c);
        w64!(sp, dst, r64!(sp, a) ^ r64!(sp, b));
        next!(ip.add(1), sp, mem, len, cx)
    }

    fn I64Shl(ip, sp, mem, len, cx) {
        let i = &*ip;
        let (dst, a, b) = (i.a, i.b, i.c);
        w64!(sp, dst, r64!(sp, a).wrapping_shl(r64!(sp, b) as u32));
        next!(ip.add(1), sp, mem, len, cx)
    }

    fn I64ShrS(ip, sp, mem, len, cx) {
        let i = &*ip;
        let (dst, a, b) = (i.a, i.b, i.c);
        w64!(sp, dst, (r64!(sp, a) as i64).wrapping_shr(r64!(sp, b) as u32));
        next!(ip.add(1), sp, mem, len, cx)
    }

    fn I64ShrU(ip, sp, mem, len, cx) {
        let i = &*ip;
        let (dst, a, b) = (i.a, i.b, i.c);
        w64!(sp, dst, r64!(sp, a).wrapping_shr(r64!(sp, b) as u32));
        next!(ip.add(1), sp, mem, len, cx)
    }

    fn I64Rotl(ip, sp, mem, len, cx) {
        let i = &*ip;
        let (dst, a, b) = (i.a, i.b, i.c);
        w64!(sp, dst, r64!(sp, a).rotate_left((r64!(sp, b) & 63) as u32));
        next!(ip.add(1), sp, mem, len, cx)
    }

    fn I64Rotr(ip, sp, mem, len, cx) {
        let i = &*ip;
        let (dst, a, b) = (i.a, i.b, i.c);
        w64!(sp, dst, r64!(sp, a).rotate_right((r64!(sp, b) & 63) as u32));
        next!(ip.add(1), sp, mem, len, cx)
    }

    fn F32Add(ip, sp, mem, len, cx) {
        let i = &*ip;
        let (dst, a, b) = (i.a, i.b, i.c);
        wf32!(sp, dst, f32::from_bits(r32!(sp, a)) + f32::from_bits(r32!(sp, b)));
        next!(ip.add(1), sp, mem, len, cx)
    }

    fn F32Sub(ip, sp, mem, len, cx) {
        let i = &*ip;
        let (dst, a, b) = (i.a, i.b, i.c);
        wf32!(sp, dst, f32::from_bits(r32!(sp, a)) - f32::from_bits(r32!(sp, b)));
        next!(ip.add(1), sp, mem, len, cx)
    }

    fn F32Mul(ip, sp, mem, len, cx) {
        let i = &*ip;
        let (dst, a, b) = (i.a, i.b, i.c);
        wf32!(sp, dst, f32::from_bits(r32!(sp, a)) * f32::from_bits(r32!(sp, b)));
        next!(ip.add(1), sp, mem, len, cx)
    }

    fn F32Div(ip, sp, mem, len, cx) {
        let i = &*ip;
        let (dst, a, b) = (i.a, i.b, i.c);
        wf32!(sp, dst, f32::from_bits(r32!(sp, a)) / f32::from_bits(r32!(sp, b)));
        next!(ip.add(1), sp, mem, len, cx)
    }

    fn F32Min(ip, sp, mem, len, cx) {
        let i = &*ip;
        let (dst, a, b) = (i.a, i.b, i.c);
        wf32!(sp, dst, float::f32_min(f32::from_bits(r32!(sp, a)), f32::from_bits(r32!(sp, b))));
        next!(ip.add(1), sp, mem, len, cx)
    }

    fn F32Max(ip, sp, mem, len, cx) {
        let i = &*ip;
        let (dst, a, b) = (i.a, i.b, i.c);
        wf32!(sp, dst, float::f32_max(f32::from_bits(r32!(sp, a)), f32::from_bits(r32!(sp, b))));
        next!(ip.add(1), sp, mem, len, cx)
    }

    fn F32Copysign(ip, sp, mem, len, cx) {
        let i = &*ip;
        let (dst, a, b) = (i.a, i.b, i.c);
        w32!(sp, dst, (r32!(sp, a) & 0x7fff_ffff) | (r32!(sp, b) & 0x8000_0000));
        next!(ip.add(1), sp, mem, len, cx)
    }

    fn F64Add(ip, sp, mem, len, cx) {
        let i = &*ip;
        let (dst, a, b) = (i.a, i.b, i.c);
        wf64!(sp, dst, f64::from_bits(r64!(sp, a)) + f64::from_bits(r64!(sp, b)));
        next!(ip.add(1), sp, mem, len, cx)
    }

    fn F64Sub(ip, sp, mem, len, cx) {
        let i = &*ip;
        let (dst, a, b) = (i.a, i.b, i.c);
        wf64!(sp, dst, f64::from_bits(r64!(sp, a)) - f64::from_bits(r64!(sp, b)));
        next!(ip.add(1), sp, mem, len, cx)
    }

    fn F64Mul(ip, sp, mem, len, cx) {
        let i = &*ip;
        let (dst, a, b) = (i.a, i.b, i.c);
        wf64!(sp, dst, f64::from_bits(r64!(sp, a)) * f64::from_bits(r64!(sp, b)));
        next!(ip.add(1), sp, mem, len, cx)
    }

    fn F64Div(ip, sp, mem, len, cx) {
        let i = &*ip;
        let (dst, a, b) = (i.a, i.b, i.c);
        wf64!(sp, dst, f64::from_bits(r64!(sp, a)) / f64::from_bits(r64!(sp, b)));
        next!(ip.add(1), sp, mem, len, cx)
    }

    fn F64Min(ip, sp, mem, len, cx) {
        let i = &*ip;
        let (dst, a, b) = (i.a, i.b, i.c);
        wf64!(sp, dst, float::f64_min(f64::from_bits(r64!(sp, a)), f64::from_bits(r64!(sp, b))));
        next!(ip.add(1), sp, mem, len, cx)
    }

    fn F64Max(ip, sp, mem, len, cx) {
        let i = &*ip;
        let (dst, a, b) = (i.a, i.b, i.c);
        wf64!(sp, dst, float::f64_max(f64::from_bits(r64!(sp, a)), f64::from_bits(r64!(sp, b))));
        next!(ip.add(1), sp, mem, len, cx)
    }

    fn F64Copysign(ip, sp, mem, len, cx) {
        let i = &*ip;
        let (dst, a, b) = (i.a, i.b, i.c);
        w64!(sp, dst, (r64!(sp, a) & !(1u64 << 63)) | (r64!(sp, b) & (1u64 << 63)));
        next!(ip.add(1), sp, mem, len, cx)
    }

    fn I32AddImm(ip, sp, mem, len, cx) {
        let i = &*ip;
        let (dst, a, imm) = (i.a, i.b, i.c as i32);
        w32!(sp, dst, r32!(sp, a).wrapping_add(imm as u32));
        next!(ip.add(1), sp, mem, len, cx)
    }

    fn I32MulImm(ip, sp, mem, len, cx) {
        let i = &*ip;
        let (dst, a, imm) = (i.a, i.b, i.c as i32);
        w32!(sp, dst, r32!(sp, a).wrapping_mul(imm as u32));
        next!(ip.add(1), sp, mem, len, cx)
    }

    fn I32AndImm(ip, sp, mem, len, cx) {
        let i = &*ip;
        let (dst, a, imm) = (i.a, i.b, i.c as i32);
        w32!(sp, dst, r32!(sp, a) & imm as u32);
        next!(ip.add(1), sp, mem, len, cx)
    }

    fn I32OrImm(ip, sp, mem, len, cx) {
        let i = &*ip;
        let (dst, a, imm) = (i.a, i.b, i.c as i32);
        w32!(sp, dst, r32!(sp, a) | imm as u32);
        next!(ip.add(1), sp, mem, len, cx)
    }

    fn I32XorImm(ip, sp, mem, len, cx) {
        let i = &*ip;
        let (dst, a, imm) = (i.a, i.b, i.c as i32);
        w32!(sp, dst, r32!(sp, a) ^ imm as u32);
        next!(ip.add(1), sp, mem, len, cx)
    }

    fn I32ShlImm(ip, sp, mem, len, cx) {
        let i = &*ip;
        let (dst, a, imm) = (i.a, i.b, i.c as i32);
        w32!(sp, dst, r32!(sp, a).wrapping_shl(imm as u32));
        next!(ip.add(1), sp, mem, len, cx)
    }

    fn I32ShrSImm(ip, sp, mem, len, cx) {
        let i = &*ip;
        let (dst, a, imm) = (i.a, i.b, i.c as i32);
        w32!(sp, dst, (r32!(sp, a) as i32).wrapping_shr(imm as u32));
        next!(ip.add(1), sp, mem, len, cx)
    }

    fn I32ShrUImm(ip, sp, mem, len, cx) {
        let i = &*ip;
        let (dst, a, imm) = (i.a, i.b, i.c as i32);
        w32!(sp, dst, r32!(sp, a).wrapping_shr(imm as u32));
        next!(ip.add(1), sp, mem, len, cx)
    }

    fn I32EqImm(ip, sp, mem, len, cx) {
        let i = &*ip;
        let (dst, a, imm) = (i.a, i.b, i.c as i32);
        w32!(sp, dst, r32!(sp, a) == imm as u32);
        next!(ip.add(1), sp, mem, len, cx)
    }

    fn I32NeImm(ip, sp, mem, len, cx) {
        let i = &*ip;
        let (dst, a, imm) = (i.a, i.b, i.c as i32);
        w32!(sp, dst, r32!(sp, a) != imm as u32);
        next!(ip.add(1), sp, mem, len, cx)
    }

    fn I32LtSImm(ip, sp, mem, len, cx) {
        let i = &*ip;
        let (dst, a, imm) = (i.a, i.b, i.c as i32);
        w32!(sp, dst, (r32!(sp, a) as i32) < imm);
        next!(ip.add(1), sp, mem, len, cx)
    }

    fn I32LtUImm(ip, sp, mem, len, cx) {
        let i = &*ip;
        let (dst, a, imm) = (i.a, i.b, i.c as i32);
        w32!(sp, dst, r32!(sp, a) < imm as u32);
        next!(ip.add(1), sp, mem, len, cx)
    }

    fn I32GtSImm(ip, sp, mem, len, cx) {
        let i = &*ip;
        let (dst, a, imm) = (i.a, i.b, i.c as i32);
        w32!(sp, dst, (r32!(sp, a) as i32) > imm);
        next!(ip.add(1), sp, mem, len, cx)
    }

    fn I32GtUImm(ip, sp, mem, len, cx) {
        let i = &*ip;
        let (dst, a, imm) = (i.a, i.b, i.c as i32);
        w32!(sp, dst, r32!(sp, a) > imm as u32);
        next!(ip.add(1), sp, mem, len, cx)
    }

    fn I32LeSImm(ip, sp, mem, len, cx) {
        let i = &*ip;
        let (dst, a, imm) = (i.a, i.b, i.c as i32);
        w32!(sp, dst, (r32!(sp, a) as i32) <= imm);
        next!(ip.add(1), sp, mem, len, cx)
    }

    fn I32LeUImm(ip, sp, mem, len, cx) {
        let i = &*ip;
        let (dst, a, imm) = (i.a, i.b, i.c as i32);
        w32!(sp, dst, r32!(sp, a) <= imm as u32);
        next!(ip.add(1), sp, mem, len, cx)
    }

    fn I32GeSImm(ip, sp, mem, len, cx) {
        let i = &*ip;
        let (dst, a, imm) = (i.a, i.b, i.c as i32);
        w32!(sp, dst, (r32!(sp, a) as i32) >= imm);
        next!(ip.add(1), sp, mem, len, cx)
    }

    fn I32GeUImm(ip, sp, mem, len, cx) {
        let i = &*ip;
        let (dst, a, imm) = (i.a, i.b, i.c as i32);
        w32!(sp, dst, r32!(sp, a) >= imm as u32);
        next!(ip.add(1), sp, mem, len, cx)
    }

    fn I64AddImm(ip, sp, mem, len, cx) {
        let i = &*ip;
        let (dst, a, imm) = (i.a, i.b, i.c as i32);
        w64!(sp, dst, r64!(sp, a).wrapping_add(imm as i64 as u64));
        next!(ip.add(1), sp, mem, len, cx)
    }

    fn I64MulImm(ip, sp, mem, len, cx) {
        let i = &*ip;
        let (dst, a, imm) = (i.a, i.b, i.c as i32);
        w64!(sp, dst, r64!(sp, a).wrapping_mul(imm as i64 as u64));
        next!(ip.add(1), sp, mem, len, cx)
    }

    fn I64AndImm(ip, sp, mem, len, cx) {
        let i = &*ip;
        let (dst, a, imm) = (i.a, i.b, i.c as i32);
        w64!(sp, dst, r64!(sp, a) & imm as i64 as u64);
        next!(ip.add(1), sp, mem, len, cx)
    }

    fn I64OrImm(ip, sp, mem, len, cx) {
        let i = &*ip;
        let (dst, a, imm) = (i.a, i.b, i.c as i32);
        w64!(sp, dst, r64!(sp, a) | imm as i64 as u64);
        next!(ip.add(1), sp, mem, len, cx)
    }

    fn I64XorImm(ip, sp, mem, len, cx) {
        let i = &*ip;
        let (dst, a, imm) = (i.a, i.b, i.c as i32);
        w64!(sp, dst, r64!(sp, a) ^ imm as i64 as u64);
        next!(ip.add(1), sp, mem, len, cx)
    }

    fn I64ShlImm(ip, sp, mem, len, cx) {
        let i = &*ip;
        let (dst, a, imm) = (i.a, i.b, i.c as i32);
        w64!(sp, dst, r64!(sp, a).wrapping_shl(imm as u32));
        next!(ip.add(1), sp, mem, len, cx)
    }

    fn I64ShrSImm(ip, sp, mem, len, cx) {
        let i = &*ip;
        let (dst, a, imm) = (i.a, i.b, i.c as i32);
        w64!(sp, dst, (r64!(sp, a) as i64).wrapping_shr(imm as u32));
        next!(ip.add(1), sp, mem, len, cx)
    }

    fn I64ShrUImm(ip, sp, mem, len, cx) {
        let i = &*ip;
        let (dst, a, imm) = (i.a, i.b, i.c as i32);
        w64!(sp, dst, r64!(sp, a).wrapping_shr(imm as u32));
        next!(ip.add(1), sp, mem, len, cx)
    }

    fn I64EqImm(ip, sp, mem, len, cx) {
        let i = &*ip;
        let (dst, a, imm) = (i.a, i.b, i.c as i32);
        w32!(sp, dst, r64!(sp, a) as i64 == imm as i64);
        next!(ip.add(1), sp, mem, len, cx)
    }

    fn I64NeImm(ip, sp, mem, len, cx) {
        let i = &*ip;
        let (dst, a, imm) = (i.a, i.b, i.c as i32);
        w32!(sp, dst, r64!(sp, a) as i64 != imm as i64);
        next!(ip.add(1), sp, mem, len, cx)
    }

    fn I64LtSImm(ip, sp, mem, len, cx) {
        let i = &*ip;
        let (dst, a, imm) = (i.a, i.b, i.c as i32);
        w32!(sp, dst, (r64!(sp, a) as i64) < imm as i64);
        next!(ip.add(1), sp, mem, len, cx)
    }

    fn I64LtUImm(ip, sp, mem, len, cx) {
        let i = &*ip;
        let (dst, a, imm) = (i.a, i.b, i.c as i32);
        w32!(sp, dst, r64!(sp, a) < imm as i64 as u64);
        next!(ip.add(1), sp, mem, len, cx)
    }

    fn I64GtSImm(ip, sp, mem, len, cx) {
        let i = &*ip;
        let (dst, a, imm) = (i.a, i.b, i.c as i32);
        w32!(sp, dst, (r64!(sp, a) as i64) > imm as i64);
        next!(ip.add(1), sp, mem, len, cx)
    }

    fn I64GtUImm(ip, sp, mem, len, cx) {
        let i = &*ip;
        let (dst, a, imm) = (i.a, i.b, i.c as i32);
        w32!(sp, dst, r64!(sp, a) > imm as i64 as u64);
        next!(ip.add(1), sp, mem, len, cx)
    }

    fn I64LeSImm(ip, sp, mem, len, cx) {
        let i = &*ip;
        let (dst, a, imm) = (i.a, i.b, i.c as i32);
        w32!(sp, dst, (r64!(sp, a) as i64) <= imm as i64);
        next!(ip.add(1), sp, mem, len, cx)
    }

    fn I64LeUImm(ip, sp, mem, len, cx) {
        let i = &*ip;
        let (dst, a, imm) = (i.a, i.b, i.c as i32);
        w32!(sp, dst, r64!(sp, a) <= imm as i64 as u64);
        next!(ip.add(1), sp, mem, len, cx)
    }

    fn I64GeSImm(ip, sp, mem, len, cx) {
        let i = &*ip;
        let (dst, a, imm) = (i.a, i.b, i.c as i32);
        w32!(sp, dst, (r64!(sp, a) as i64) >= imm as i64);
        next!(ip.add(1), sp, mem, len, cx)
    }

    fn I64GeUImm(ip, sp, mem, len, cx) {
        let i = &*ip;
        let (dst, a, imm) = (i.a, i.b, i.c as i32);
        w32!(sp, dst, r64!(sp, a) >= imm as i64 as u64);
        next!(ip.add(1), sp, mem, len, cx)
    }
}
