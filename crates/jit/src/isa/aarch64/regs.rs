//! AArch64 registers.
//!
//! A general-purpose register is a small `Copy` value; X0..X30 are
//! encoded as their number. Encoding 31 means the stack pointer in some
//! instruction fields and the zero register in others, so the two are
//! distinct values here, [`Gpr::Sp`] and [`Gpr::Zr`], both encoded as 31:
//! the encoder checks that each field gets the one it can hold (see the
//! field table in [`super::asm`]). Floating-point and SIMD registers
//! V0..V31 are used as scalar `s` (32-bit) and `d` (64-bit) registers,
//! and as `v.8b`/`v.16b` vectors for popcount and the bitwise selects.

use std::fmt;

use super::asm::{FloatSize, Size};

/// A general-purpose register; the discriminant of X0..X30 is their
/// hardware encoding, [`Gpr::Sp`] and [`Gpr::Zr`] both encode as 31.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Debug)]
#[repr(u8)]
pub enum Gpr {
    /// `x0`/`w0`: an argument and result register (AAPCS64).
    X0 = 0,
    /// `x1`/`w1`: an argument and result register (AAPCS64).
    X1 = 1,
    /// `x2`/`w2`: an argument and result register (AAPCS64).
    X2 = 2,
    /// `x3`/`w3`: an argument and result register (AAPCS64).
    X3 = 3,
    /// `x4`/`w4`: an argument and result register (AAPCS64).
    X4 = 4,
    /// `x5`/`w5`: an argument and result register (AAPCS64).
    X5 = 5,
    /// `x6`/`w6`: an argument and result register (AAPCS64).
    X6 = 6,
    /// `x7`/`w7`: an argument and result register (AAPCS64).
    X7 = 7,
    /// `x8`/`w8`: the indirect-result register (AAPCS64).
    X8 = 8,
    /// `x9`/`w9`: a caller-saved temporary (AAPCS64).
    X9 = 9,
    /// `x10`/`w10`: a caller-saved temporary (AAPCS64).
    X10 = 10,
    /// `x11`/`w11`: a caller-saved temporary (AAPCS64).
    X11 = 11,
    /// `x12`/`w12`: a caller-saved temporary (AAPCS64).
    X12 = 12,
    /// `x13`/`w13`: a caller-saved temporary (AAPCS64).
    X13 = 13,
    /// `x14`/`w14`: a caller-saved temporary (AAPCS64).
    X14 = 14,
    /// `x15`/`w15`: a caller-saved temporary (AAPCS64).
    X15 = 15,
    /// `x16`/`w16`: IP0, an intra-procedure-call scratch register (AAPCS64).
    X16 = 16,
    /// `x17`/`w17`: IP1, an intra-procedure-call scratch register (AAPCS64).
    X17 = 17,
    /// `x18`/`w18`: the platform register (reserved on macOS and Windows).
    X18 = 18,
    /// `x19`/`w19`: callee-saved (AAPCS64).
    X19 = 19,
    /// `x20`/`w20`: callee-saved (AAPCS64).
    X20 = 20,
    /// `x21`/`w21`: callee-saved (AAPCS64).
    X21 = 21,
    /// `x22`/`w22`: callee-saved (AAPCS64).
    X22 = 22,
    /// `x23`/`w23`: callee-saved (AAPCS64).
    X23 = 23,
    /// `x24`/`w24`: callee-saved (AAPCS64).
    X24 = 24,
    /// `x25`/`w25`: callee-saved (AAPCS64).
    X25 = 25,
    /// `x26`/`w26`: callee-saved (AAPCS64).
    X26 = 26,
    /// `x27`/`w27`: callee-saved (AAPCS64).
    X27 = 27,
    /// `x28`/`w28`: callee-saved (AAPCS64).
    X28 = 28,
    /// `x29`/`w29`: the frame pointer (AAPCS64).
    X29 = 29,
    /// `x30`/`w30`: the link register; `bl` and `blr` write the return address here.
    X30 = 30,
    /// The stack pointer (`sp`/`wsp`), encoding 31 in the fields that allow it.
    Sp = 31,
    /// The zero register (`xzr`/`wzr`), encoding 31 in the fields that allow it:
    /// reads as zero, writes are discarded.
    Zr = 32,
}

impl Gpr {
    /// The 31 numbered registers X0..X30, in encoding order.
    pub const NUMBERED: [Gpr; 31] = [
        Gpr::X0,
        Gpr::X1,
        Gpr::X2,
        Gpr::X3,
        Gpr::X4,
        Gpr::X5,
        Gpr::X6,
        Gpr::X7,
        Gpr::X8,
        Gpr::X9,
        Gpr::X10,
        Gpr::X11,
        Gpr::X12,
        Gpr::X13,
        Gpr::X14,
        Gpr::X15,
        Gpr::X16,
        Gpr::X17,
        Gpr::X18,
        Gpr::X19,
        Gpr::X20,
        Gpr::X21,
        Gpr::X22,
        Gpr::X23,
        Gpr::X24,
        Gpr::X25,
        Gpr::X26,
        Gpr::X27,
        Gpr::X28,
        Gpr::X29,
        Gpr::X30,
    ];

    /// The frame pointer, X29.
    pub const FP: Gpr = Gpr::X29;
    /// The link register, X30.
    pub const LR: Gpr = Gpr::X30;

    /// The numbered register X`enc` (0..=30); `None` for 31, which is
    /// [`Gpr::Sp`] or [`Gpr::Zr`] depending on the field (see
    /// [`Gpr::from_enc_sp`] and [`Gpr::from_enc_zr`]).
    pub const fn from_enc(enc: u8) -> Option<Gpr> {
        if enc < 31 {
            Some(Gpr::NUMBERED[enc as usize])
        } else {
            None
        }
    }

    /// The register a field that reads 31 as the stack pointer names.
    pub const fn from_enc_sp(enc: u8) -> Option<Gpr> {
        match enc {
            31 => Some(Gpr::Sp),
            _ => Gpr::from_enc(enc),
        }
    }

    /// The register a field that reads 31 as the zero register names.
    pub const fn from_enc_zr(enc: u8) -> Option<Gpr> {
        match enc {
            31 => Some(Gpr::Zr),
            _ => Gpr::from_enc(enc),
        }
    }

    /// The 5-bit hardware encoding (31 for both `Sp` and `Zr`).
    pub const fn enc(self) -> u8 {
        match self {
            Gpr::Zr => 31,
            r => r as u8,
        }
    }

    /// The assembler name of this register at operand size `size`
    /// (`"w0"`/`"x0"`, `"wsp"`/`"sp"`, `"wzr"`/`"xzr"`).
    pub const fn name(self, size: Size) -> &'static str {
        const W: [&str; 33] = [
            "w0", "w1", "w2", "w3", "w4", "w5", "w6", "w7", "w8", "w9", "w10", "w11", "w12", "w13",
            "w14", "w15", "w16", "w17", "w18", "w19", "w20", "w21", "w22", "w23", "w24", "w25",
            "w26", "w27", "w28", "w29", "w30", "wsp", "wzr",
        ];
        const X: [&str; 33] = [
            "x0", "x1", "x2", "x3", "x4", "x5", "x6", "x7", "x8", "x9", "x10", "x11", "x12", "x13",
            "x14", "x15", "x16", "x17", "x18", "x19", "x20", "x21", "x22", "x23", "x24", "x25",
            "x26", "x27", "x28", "x29", "x30", "sp", "xzr",
        ];
        match size {
            Size::S32 => W[self as usize],
            Size::S64 => X[self as usize],
        }
    }
}

impl fmt::Display for Gpr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name(Size::S64))
    }
}

/// A floating-point/SIMD register; the discriminant is its hardware encoding.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Debug)]
#[repr(u8)]
pub enum Fpr {
    /// `v0` (`s0`/`d0`): an argument and result register (AAPCS64).
    V0 = 0,
    /// `v1` (`s1`/`d1`): an argument and result register (AAPCS64).
    V1 = 1,
    /// `v2` (`s2`/`d2`): an argument and result register (AAPCS64).
    V2 = 2,
    /// `v3` (`s3`/`d3`): an argument and result register (AAPCS64).
    V3 = 3,
    /// `v4` (`s4`/`d4`): an argument and result register (AAPCS64).
    V4 = 4,
    /// `v5` (`s5`/`d5`): an argument and result register (AAPCS64).
    V5 = 5,
    /// `v6` (`s6`/`d6`): an argument and result register (AAPCS64).
    V6 = 6,
    /// `v7` (`s7`/`d7`): an argument and result register (AAPCS64).
    V7 = 7,
    /// `v8` (`s8`/`d8`): the low 64 bits callee-saved (AAPCS64).
    V8 = 8,
    /// `v9` (`s9`/`d9`): the low 64 bits callee-saved (AAPCS64).
    V9 = 9,
    /// `v10` (`s10`/`d10`): the low 64 bits callee-saved (AAPCS64).
    V10 = 10,
    /// `v11` (`s11`/`d11`): the low 64 bits callee-saved (AAPCS64).
    V11 = 11,
    /// `v12` (`s12`/`d12`): the low 64 bits callee-saved (AAPCS64).
    V12 = 12,
    /// `v13` (`s13`/`d13`): the low 64 bits callee-saved (AAPCS64).
    V13 = 13,
    /// `v14` (`s14`/`d14`): the low 64 bits callee-saved (AAPCS64).
    V14 = 14,
    /// `v15` (`s15`/`d15`): the low 64 bits callee-saved (AAPCS64).
    V15 = 15,
    /// `v16` (`s16`/`d16`): caller-saved (AAPCS64).
    V16 = 16,
    /// `v17` (`s17`/`d17`): caller-saved (AAPCS64).
    V17 = 17,
    /// `v18` (`s18`/`d18`): caller-saved (AAPCS64).
    V18 = 18,
    /// `v19` (`s19`/`d19`): caller-saved (AAPCS64).
    V19 = 19,
    /// `v20` (`s20`/`d20`): caller-saved (AAPCS64).
    V20 = 20,
    /// `v21` (`s21`/`d21`): caller-saved (AAPCS64).
    V21 = 21,
    /// `v22` (`s22`/`d22`): caller-saved (AAPCS64).
    V22 = 22,
    /// `v23` (`s23`/`d23`): caller-saved (AAPCS64).
    V23 = 23,
    /// `v24` (`s24`/`d24`): caller-saved (AAPCS64).
    V24 = 24,
    /// `v25` (`s25`/`d25`): caller-saved (AAPCS64).
    V25 = 25,
    /// `v26` (`s26`/`d26`): caller-saved (AAPCS64).
    V26 = 26,
    /// `v27` (`s27`/`d27`): caller-saved (AAPCS64).
    V27 = 27,
    /// `v28` (`s28`/`d28`): caller-saved (AAPCS64).
    V28 = 28,
    /// `v29` (`s29`/`d29`): caller-saved (AAPCS64).
    V29 = 29,
    /// `v30` (`s30`/`d30`): caller-saved (AAPCS64).
    V30 = 30,
    /// `v31` (`s31`/`d31`): caller-saved (AAPCS64).
    V31 = 31,
}

impl Fpr {
    /// All 32 registers in encoding order.
    pub const ALL: [Fpr; 32] = [
        Fpr::V0,
        Fpr::V1,
        Fpr::V2,
        Fpr::V3,
        Fpr::V4,
        Fpr::V5,
        Fpr::V6,
        Fpr::V7,
        Fpr::V8,
        Fpr::V9,
        Fpr::V10,
        Fpr::V11,
        Fpr::V12,
        Fpr::V13,
        Fpr::V14,
        Fpr::V15,
        Fpr::V16,
        Fpr::V17,
        Fpr::V18,
        Fpr::V19,
        Fpr::V20,
        Fpr::V21,
        Fpr::V22,
        Fpr::V23,
        Fpr::V24,
        Fpr::V25,
        Fpr::V26,
        Fpr::V27,
        Fpr::V28,
        Fpr::V29,
        Fpr::V30,
        Fpr::V31,
    ];

    /// The register with hardware encoding `enc` (0..=31).
    pub const fn from_enc(enc: u8) -> Option<Fpr> {
        if enc < 32 {
            Some(Fpr::ALL[enc as usize])
        } else {
            None
        }
    }

    /// The 5-bit hardware encoding.
    pub const fn enc(self) -> u8 {
        self as u8
    }

    /// The assembler name of this register as a scalar of `size`
    /// (`"s3"`, `"d3"`).
    pub const fn name(self, size: FloatSize) -> &'static str {
        const S: [&str; 32] = [
            "s0", "s1", "s2", "s3", "s4", "s5", "s6", "s7", "s8", "s9", "s10", "s11", "s12", "s13",
            "s14", "s15", "s16", "s17", "s18", "s19", "s20", "s21", "s22", "s23", "s24", "s25",
            "s26", "s27", "s28", "s29", "s30", "s31",
        ];
        const D: [&str; 32] = [
            "d0", "d1", "d2", "d3", "d4", "d5", "d6", "d7", "d8", "d9", "d10", "d11", "d12", "d13",
            "d14", "d15", "d16", "d17", "d18", "d19", "d20", "d21", "d22", "d23", "d24", "d25",
            "d26", "d27", "d28", "d29", "d30", "d31",
        ];
        match size {
            FloatSize::F32 => S[self as usize],
            FloatSize::F64 => D[self as usize],
        }
    }
}

impl fmt::Display for Fpr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "v{}", *self as u8)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodings_round_trip() {
        for (i, r) in Gpr::NUMBERED.iter().enumerate() {
            assert_eq!(r.enc() as usize, i);
            assert_eq!(Gpr::from_enc(i as u8), Some(*r));
            assert_eq!(Gpr::from_enc_sp(i as u8), Some(*r));
            assert_eq!(Gpr::from_enc_zr(i as u8), Some(*r));
        }
        assert_eq!(Gpr::Sp.enc(), 31);
        assert_eq!(Gpr::Zr.enc(), 31);
        assert_eq!(Gpr::from_enc(31), None);
        assert_eq!(Gpr::from_enc_sp(31), Some(Gpr::Sp));
        assert_eq!(Gpr::from_enc_zr(31), Some(Gpr::Zr));
        assert_eq!(Gpr::from_enc_zr(32), None);
        for (i, v) in Fpr::ALL.iter().enumerate() {
            assert_eq!(v.enc() as usize, i);
            assert_eq!(Fpr::from_enc(i as u8), Some(*v));
        }
        assert_eq!(Fpr::from_enc(32), None);
    }

    #[test]
    fn names() {
        assert_eq!(Gpr::X0.to_string(), "x0");
        assert_eq!(Gpr::X30.name(Size::S32), "w30");
        assert_eq!(Gpr::Sp.name(Size::S64), "sp");
        assert_eq!(Gpr::Sp.name(Size::S32), "wsp");
        assert_eq!(Gpr::Zr.name(Size::S64), "xzr");
        assert_eq!(Gpr::Zr.name(Size::S32), "wzr");
        assert_eq!(Fpr::V31.name(FloatSize::F32), "s31");
        assert_eq!(Fpr::V7.name(FloatSize::F64), "d7");
        assert_eq!(Fpr::V12.to_string(), "v12");
    }
}
