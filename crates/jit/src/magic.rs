//! Division by a constant as a multiplication (Granlund & Montgomery,
//! "Division by invariant integers using multiplication", PLDI 1994,
//! figure 4.1, for N = 64).
//!
//! For a divisor `d >= 1` that is not a power of two, with
//! `l = ceil(log2 d)` and `m = floor(2^64 * (2^l - d) / d) + 1` (which fits
//! in 64 bits), every `n < 2^64` has
//!
//! ```text
//! t = (m * n) >> 64            (the high half of a 64x64 product)
//! n / d = (t + ((n - t) >> 1)) >> (l - 1)
//! ```
//!
//! A 32-bit unsigned dividend is just a small 64-bit one, and a signed
//! division divides magnitudes and fixes the sign, so one rule serves
//! every width and signedness.

/// The multiplier and shift for dividing by `d` (see the module docs), or
/// `None` for a power of two (a shift does it) and for 0.
pub fn magic_u64(d: u64) -> Option<(u64, u32)> {
    if d == 0 || d.is_power_of_two() {
        return None;
    }
    let l = 64 - (d - 1).leading_zeros();
    let m = ((1u128 << 64) * ((1u128 << l) - u128::from(d))) / u128::from(d) + 1;
    Some((u64::try_from(m).expect("fits for non-powers of two"), l))
}

/// For dividends below 2^32, a shorter rule (Lemire, Kaser & Kurz,
/// "Faster remainder by direct computation", 2019, with N = 32 and
/// F = 64): with `c = ceil(2^64 / d)`, `n / d = (c * n) >> 64` for every
/// `n < 2^32`: one multiplication. `None` for 0 and 1.
pub fn magic_u32(d: u32) -> Option<u64> {
    if d < 2 {
        return None;
    }
    Some(u64::try_from((1u128 << 64).div_ceil(u128::from(d))).expect("d >= 2"))
}

/// `n / d` by the rule above (what the generated code computes).
#[cfg(test)]
fn divide(n: u64, d: u64) -> u64 {
    match magic_u64(d) {
        None => n >> d.trailing_zeros(),
        Some((m, l)) => {
            let t = ((u128::from(m) * u128::from(n)) >> 64) as u64;
            (t + ((n - t) >> 1)) >> (l - 1)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A small xorshift generator: reproducible without a dependency.
    fn numbers(mut x: u64) -> impl Iterator<Item = u64> {
        std::iter::from_fn(move || {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            Some(x)
        })
    }

    #[test]
    fn matches_division_at_the_edges() {
        let divisors = [
            1,
            2,
            3,
            5,
            6,
            7,
            10,
            31,
            641,
            0x680,
            1 << 31,
            (1 << 31) + 1,
            u32::MAX as u64,
            (1 << 32) + 1,
            (1 << 63) - 1,
            (1 << 63) + 1,
            u64::MAX - 1,
            u64::MAX,
        ];
        let dividends = [
            0,
            1,
            2,
            3,
            1 << 31,
            u32::MAX as u64,
            1 << 63,
            u64::MAX - 1,
            u64::MAX,
        ];
        for &d in &divisors {
            for &n in &dividends {
                assert_eq!(divide(n, d), n / d, "{n} / {d}");
                for delta in 0..3u64 {
                    let n = (n / d).wrapping_mul(d).wrapping_add(delta);
                    assert_eq!(divide(n, d), n / d, "{n} / {d}");
                }
            }
        }
    }

    #[test]
    fn matches_division_on_random_operands() {
        let mut r = numbers(0x9E37_79B9_7F4A_7C15);
        for _ in 0..200_000 {
            let (n, raw) = (r.next().unwrap(), r.next().unwrap());
            // Divisors of every size: shift a random value right by 0..63.
            let d = (raw >> (raw % 64)).max(1);
            assert_eq!(divide(n, d), n / d, "{n} / {d}");
            assert_eq!(divide(n >> 32, d), (n >> 32) / d, "{} / {d}", n >> 32);
        }
    }

    #[test]
    fn the_32_bit_rule_matches_division() {
        let check = |n: u32, d: u32| {
            let c = magic_u32(d).unwrap();
            let q = ((u128::from(c) * u128::from(n)) >> 64) as u32;
            assert_eq!(q, n / d, "{n} / {d}");
        };
        let edges = [
            0,
            1,
            2,
            3,
            0x7fff_ffff,
            0x8000_0000,
            0x8000_0001,
            u32::MAX - 1,
            u32::MAX,
        ];
        for d in [
            2,
            3,
            5,
            7,
            10,
            641,
            0x680,
            0x8000_0000,
            0x8000_0001,
            u32::MAX,
        ] {
            for &n in &edges {
                check(n, d);
            }
        }
        let mut r = numbers(0x2545_F491_4F6C_DD1D);
        for _ in 0..200_000 {
            let (n, raw) = (r.next().unwrap() as u32, r.next().unwrap());
            let d = ((raw >> (raw % 32)) as u32).max(2);
            check(n, d);
        }
    }

    #[test]
    fn powers_of_two_and_zero_have_no_multiplier() {
        assert_eq!(magic_u64(0), None);
        assert_eq!(magic_u64(1), None);
        assert_eq!(magic_u64(1 << 40), None);
        assert!(magic_u64(3).is_some());
    }
}
