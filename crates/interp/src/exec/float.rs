//! Float and conversion semantics where WebAssembly differs from Rust's defaults.

use wx_core::TrapCode;

macro_rules! minmax {
    ($min:ident, $max:ident, $t:ty) => {
        /// `min` with wasm semantics: NaN if either is NaN, and -0 < +0.
        #[inline]
        pub fn $min(a: $t, b: $t) -> $t {
            if a.is_nan() || b.is_nan() {
                return a + b;
            }
            if a == b {
                // Equal values: one may be -0 and the other +0.
                return <$t>::from_bits(a.to_bits() | b.to_bits());
            }
            if a < b {
                a
            } else {
                b
            }
        }

        /// `max` with wasm semantics: NaN if either is NaN, and +0 > -0.
        #[inline]
        pub fn $max(a: $t, b: $t) -> $t {
            if a.is_nan() || b.is_nan() {
                return a + b;
            }
            if a == b {
                return <$t>::from_bits(a.to_bits() & b.to_bits());
            }
            if a > b {
                a
            } else {
                b
            }
        }
    };
}
minmax!(f32_min, f32_max, f32);
minmax!(f64_min, f64_max, f64);

macro_rules! trunc {
    ($name:ident, $f:ty, $i:ty, $lo:expr, $hi:expr) => {
        /// Trapping float -> int truncation: NaN is an invalid conversion,
        /// out-of-range an overflow. `$lo`/`$hi` are exclusive bounds.
        #[inline]
        pub fn $name(x: $f) -> Result<$i, TrapCode> {
            if x.is_nan() {
                return Err(TrapCode::BadConversionToInteger);
            }
            if !(x > $lo && x < $hi) {
                return Err(TrapCode::IntegerOverflow);
            }
            Ok(x as $i)
        }
    };
}
trunc!(i32_trunc_f32, f32, i32, -2147483904.0f32, 2147483648.0f32);
trunc!(u32_trunc_f32, f32, u32, -1.0f32, 4294967296.0f32);
trunc!(i32_trunc_f64, f64, i32, -2147483649.0f64, 2147483648.0f64);
trunc!(u32_trunc_f64, f64, u32, -1.0f64, 4294967296.0f64);
trunc!(
    i64_trunc_f32,
    f32,
    i64,
    -9223373136366403584.0f32,
    9223372036854775808.0f32
);
trunc!(u64_trunc_f32, f32, u64, -1.0f32, 18446744073709551616.0f32);
trunc!(
    i64_trunc_f64,
    f64,
    i64,
    -9223372036854777856.0f64,
    9223372036854775808.0f64
);
trunc!(u64_trunc_f64, f64, u64, -1.0f64, 18446744073709551616.0f64);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn min_max_signed_zero_and_nan() {
        assert!(f32_min(-0.0, 0.0).is_sign_negative());
        assert!(f32_max(-0.0, 0.0).is_sign_positive());
        assert!(f64_min(f64::NAN, 1.0).is_nan());
        assert_eq!(f64_max(1.0, 2.0), 2.0);
    }

    #[test]
    fn truncation_bounds() {
        assert_eq!(i32_trunc_f32(-2147483648.0), Ok(i32::MIN));
        assert_eq!(i32_trunc_f32(2147483648.0), Err(TrapCode::IntegerOverflow));
        assert_eq!(u32_trunc_f64(-0.9), Ok(0));
        assert_eq!(u32_trunc_f64(-1.0), Err(TrapCode::IntegerOverflow));
        assert_eq!(
            i64_trunc_f64(f64::NAN),
            Err(TrapCode::BadConversionToInteger)
        );
        assert_eq!(i32_trunc_f64(-2147483648.9), Ok(i32::MIN));
    }
}

macro_rules! rounding {
    ($($name:ident: $t:ty, $method:ident, $quiet:expr;)*) => {$(
        /// Rounding whose NaN result is always quiet (software rounding
        /// returns a signalling NaN input unchanged; wasm wants it quieted).
        #[inline]
        pub fn $name(x: $t) -> $t {
            let r = x.$method();
            if r.is_nan() { <$t>::from_bits(r.to_bits() | $quiet) } else { r }
        }
    )*};
}
rounding! {
    f32_ceil: f32, ceil, 0x0040_0000;
    f32_floor: f32, floor, 0x0040_0000;
    f32_trunc: f32, trunc, 0x0040_0000;
    f32_nearest: f32, round_ties_even, 0x0040_0000;
    f64_ceil: f64, ceil, 0x0008_0000_0000_0000;
    f64_floor: f64, floor, 0x0008_0000_0000_0000;
    f64_trunc: f64, trunc, 0x0008_0000_0000_0000;
    f64_nearest: f64, round_ties_even, 0x0008_0000_0000_0000;
}
