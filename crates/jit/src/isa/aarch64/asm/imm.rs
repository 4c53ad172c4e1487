//! Immediate encoders: which constants an instruction can hold, and how.
//!
//! - **Bitmask immediates** (`and`/`orr`/`eor`/`ands`/`tst` with an
//!   immediate) are a 13-bit `N:immr:imms` field that describes a value as a
//!   repeated element of 2, 4, 8, 16, 32 or 64 bits, each element a run of
//!   `s + 1` ones (not all ones) rotated right by `r`. So 0 and all ones
//!   are never encodable. [`encode_logical_imm`] finds the smallest element
//!   the value repeats, checks that the element is one rotated run, and
//!   reads the rotation and length off it; [`decode_logical_imm`] is the
//!   architecture's `DecodeBitMasks` and is the reference the tests check
//!   the encoder against over all 2^13 patterns.
//! - **Float immediates** (`fmov s/d, #imm`) are 8 bits `a:b:cdefgh`: sign
//!   `a`, a 3-bit exponent `NOT(b):b:c:d` widened by repeating `b`, and a
//!   4-bit fraction `efgh`. They hold ±(16..31)/16 * 2^(-3..4): 0.125 to 31
//!   in steps the 4-bit fraction allows, and not 0.0.
//! - **Add/sub immediates** are 12 bits, optionally shifted left by 12.
//! - **Move-wide sequences** ([`mov_imm_plan`]): a constant is built from
//!   16-bit halfwords, starting from zeros (`movz`) or ones (`movn`), or
//!   from a bitmask immediate (`orr`), and patched with `movk`.

use super::Size;

/// The `N:immr:imms` field (13 bits, `N` on top) of a bitmask immediate
/// for `value` at `size` (its low 32 bits at `S32`), or `None` if it has
/// none.
pub fn encode_logical_imm(value: u64, size: Size) -> Option<u32> {
    let value = value & size.mask();
    if value == 0 || value == size.mask() {
        return None;
    }
    // The smallest element the value repeats.
    let mut e = size.bits();
    while e > 2 {
        let half = e / 2;
        let m = (1u64 << half) - 1;
        if (value & m) != ((value >> half) & m) {
            break;
        }
        e = half;
    }
    let mask = if e == 64 { u64::MAX } else { (1u64 << e) - 1 };
    let elem = value & mask;
    // Rotate the element right by `r` so that its run of ones starts at
    // bit 0: past the trailing zeros, or (when the run wraps around the
    // top) back by the length of its top part.
    let ones = elem.count_ones();
    let r = if elem & 1 == 0 {
        elem.trailing_zeros()
    } else {
        let low_run = elem.trailing_ones();
        (e - (ones - low_run)) % e
    };
    let run = rotate_right(elem, r, e);
    if run != (1u64 << ones) - 1 {
        return None;
    }
    // `elem` is the run rotated right by `immr`, the inverse of `r`.
    let immr = (e - r) % e;
    let n = u32::from(e == 64);
    // The top bits of imms say the element size (a 0 below a run of ones).
    let imms = ((!(e - 1) << 1) & 0x3f) | (ones - 1);
    Some((n << 12) | (immr << 6) | imms)
}

/// Whether `value` (its low 32 bits at `S32`) is a bitmask immediate.
pub fn fits_logical_imm(value: u64, size: Size) -> bool {
    encode_logical_imm(value, size).is_some()
}

/// The value of the bitmask immediate `n_immr_imms` at `size` (the
/// architecture's `DecodeBitMasks`), or `None` for a reserved pattern.
pub fn decode_logical_imm(n_immr_imms: u32, size: Size) -> Option<u64> {
    let n = (n_immr_imms >> 12) & 1;
    let immr = (n_immr_imms >> 6) & 0x3f;
    let imms = n_immr_imms & 0x3f;
    if size == Size::S32 && n == 1 {
        return None;
    }
    // The element size is given by the highest set bit of N:NOT(imms).
    let combined = (n << 6) | (!imms & 0x3f);
    if combined < 2 {
        return None; // no element, or a 1-bit one
    }
    let len = 31 - combined.leading_zeros();
    let e = 1u32 << len;
    let levels = e - 1;
    let s = imms & levels;
    let r = immr & levels;
    if s == levels {
        return None; // an all-ones element
    }
    let run = (1u64 << (s + 1)) - 1;
    let elem = rotate_right(run, r, e);
    let mut value = 0u64;
    let mut at = 0;
    while at < size.bits() {
        value |= elem << at;
        at += e;
    }
    Some(value & size.mask())
}

/// Rotates the low `e` bits of `x` right by `r`.
fn rotate_right(x: u64, r: u32, e: u32) -> u64 {
    if r == 0 {
        return x;
    }
    let mask = if e == 64 { u64::MAX } else { (1u64 << e) - 1 };
    ((x >> r) | (x << (e - r))) & mask
}

/// Whether `imm` fits one `add`/`sub` immediate: 12 bits, optionally
/// shifted left by 12.
pub fn fits_add_imm(imm: u64) -> bool {
    imm < 1 << 12 || (imm & 0xfff == 0 && imm < 1 << 24)
}

/// The 8-bit `fmov` immediate for the float whose bits are `bits` (at
/// `F32`, an `f32`'s bits in the low 32, the rest ignored), or `None` if
/// it has none.
pub fn encode_fmov_imm(size: super::FloatSize, bits: u64) -> Option<u8> {
    let imm8 = match size {
        super::FloatSize::F32 => {
            let bits = bits as u32;
            ((bits >> 31) << 7) | (((bits >> 29) & 1) << 6) | ((bits >> 19) & 0x3f)
        }
        super::FloatSize::F64 => {
            (((bits >> 63) << 7) | (((bits >> 61) & 1) << 6) | ((bits >> 48) & 0x3f)) as u32
        }
    } as u8;
    let wanted = match size {
        super::FloatSize::F32 => bits & 0xffff_ffff,
        super::FloatSize::F64 => bits,
    };
    (decode_fmov_imm(size, imm8) == wanted).then_some(imm8)
}

/// Whether the float whose bits are `bits` (at `F32`, the low 32) is an
/// `fmov` immediate.
pub fn fits_fmov_imm(size: super::FloatSize, bits: u64) -> bool {
    encode_fmov_imm(size, bits).is_some()
}

/// The bits of the float an `fmov` immediate `imm8` stands for.
pub fn decode_fmov_imm(size: super::FloatSize, imm8: u8) -> u64 {
    let a = u64::from(imm8 >> 7);
    let b = u64::from((imm8 >> 6) & 1);
    let cdefgh = u64::from(imm8 & 0x3f);
    match size {
        super::FloatSize::F32 => (a << 31) | ((b ^ 1) << 30) | ((b * 0x1f) << 25) | (cdefgh << 19),
        super::FloatSize::F64 => (a << 63) | ((b ^ 1) << 62) | ((b * 0xff) << 54) | (cdefgh << 48),
    }
}

/// One instruction of a constant load.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum MovStep {
    /// `movz rd, #imm, lsl #shift`
    Movz(u16, u32),
    /// `movn rd, #imm, lsl #shift`
    Movn(u16, u32),
    /// `movk rd, #imm, lsl #shift`
    Movk(u16, u32),
    /// `orr rd, zr, #bitmask` (the `N:immr:imms` field)
    Orr(u32),
}

/// The instructions of a constant load, at most four.
#[derive(Clone, Copy, Debug)]
pub(crate) struct MovPlan {
    steps: [MovStep; 4],
    len: usize,
}

impl MovPlan {
    fn push(&mut self, step: MovStep) {
        self.steps[self.len] = step;
        self.len += 1;
    }

    /// The instructions in order.
    pub(crate) fn steps(&self) -> &[MovStep] {
        &self.steps[..self.len]
    }
}

/// The shortest sequence loading `value` (its low 32 bits at `S32`).
pub(crate) fn mov_imm_plan(size: Size, value: u64) -> MovPlan {
    let value = value & size.mask();
    let halves = size.bits() / 16;
    let half = |v: u64, i: u32| (v >> (16 * i)) as u16;
    let count = |v: u64, skip: u16| (0..halves).filter(|&i| half(v, i) != skip).count();
    let mut plan = MovPlan {
        steps: [MovStep::Movz(0, 0); 4],
        len: 0,
    };
    let not_zero = count(value, 0);
    let not_ones = count(value, 0xffff);
    if not_zero <= 1 {
        let i = (0..halves).find(|&i| half(value, i) != 0).unwrap_or(0);
        plan.push(MovStep::Movz(half(value, i), 16 * i));
        return plan;
    }
    if not_ones <= 1 {
        let i = (0..halves).find(|&i| half(value, i) != 0xffff).unwrap_or(0);
        plan.push(MovStep::Movn(!half(value, i), 16 * i));
        return plan;
    }
    if let Some(bits) = encode_logical_imm(value, size) {
        plan.push(MovStep::Orr(bits));
        return plan;
    }
    if not_zero.min(not_ones) >= 3 {
        // A bitmask with one halfword replaced: try the fillers that make
        // repeating patterns (zeros, ones, a neighbour's halfword).
        for i in 0..halves {
            let fillers = [
                0,
                0xffff,
                half(value, (i + 1) % halves),
                half(value, (i + halves - 1) % halves),
            ];
            for filler in fillers {
                let shift = 16 * i;
                let base = (value & !(0xffff << shift)) | (u64::from(filler) << shift);
                if let Some(bits) = encode_logical_imm(base, size) {
                    plan.push(MovStep::Orr(bits));
                    plan.push(MovStep::Movk(half(value, i), shift));
                    return plan;
                }
            }
        }
    }
    // Start from zeros or from ones, whichever leaves fewer halfwords to patch.
    let (skip, first): (u16, fn(u16, u32) -> MovStep) = if not_zero <= not_ones {
        (0, |h, s| MovStep::Movz(h, s))
    } else {
        (0xffff, |h, s| MovStep::Movn(!h, s))
    };
    for i in (0..halves).filter(|&i| half(value, i) != skip) {
        let step = if plan.len == 0 { first } else { MovStep::Movk };
        plan.push(step(half(value, i), 16 * i));
    }
    plan
}

/// How many instructions [`super::Assembler::mov_imm`] takes for `value`
/// (1 to 4; 1 to 2 at `S32`).
pub fn mov_imm_len(size: Size, value: u64) -> usize {
    mov_imm_plan(size, value).len
}
