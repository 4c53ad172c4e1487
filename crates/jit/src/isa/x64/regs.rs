//! x86-64 registers.
//!
//! A register is a small `Copy` value whose discriminant is its 4-bit
//! hardware encoding: the low three bits go into ModRM/SIB/opcode fields, the
//! fourth into REX.R, REX.X or REX.B (see [`super::asm`]).

use std::fmt;

use super::asm::Size;

/// A general-purpose register; the discriminant is its hardware encoding.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Debug)]
#[repr(u8)]
pub enum Gpr {
    Rax = 0,
    Rcx = 1,
    Rdx = 2,
    Rbx = 3,
    Rsp = 4,
    Rbp = 5,
    Rsi = 6,
    Rdi = 7,
    R8 = 8,
    R9 = 9,
    R10 = 10,
    R11 = 11,
    R12 = 12,
    R13 = 13,
    R14 = 14,
    R15 = 15,
}

impl Gpr {
    /// All sixteen registers in encoding order.
    pub const ALL: [Gpr; 16] = [
        Gpr::Rax,
        Gpr::Rcx,
        Gpr::Rdx,
        Gpr::Rbx,
        Gpr::Rsp,
        Gpr::Rbp,
        Gpr::Rsi,
        Gpr::Rdi,
        Gpr::R8,
        Gpr::R9,
        Gpr::R10,
        Gpr::R11,
        Gpr::R12,
        Gpr::R13,
        Gpr::R14,
        Gpr::R15,
    ];

    /// The register with hardware encoding `enc` (0..=15).
    pub const fn from_enc(enc: u8) -> Option<Gpr> {
        if enc < 16 {
            Some(Gpr::ALL[enc as usize])
        } else {
            None
        }
    }

    /// The 4-bit hardware encoding.
    pub const fn enc(self) -> u8 {
        self as u8
    }

    /// The low three bits of the encoding (the ModRM/SIB/opcode field).
    pub const fn low3(self) -> u8 {
        self as u8 & 7
    }

    /// Whether this is r8..r15, which needs REX.R/X/B.
    pub const fn is_extended(self) -> bool {
        self as u8 >= 8
    }

    /// Whether its 8-bit form (spl, bpl, sil, dil) needs a REX prefix; without one the encoding means ah..bh.
    pub const fn byte_needs_rex(self) -> bool {
        matches!(self, Gpr::Rsp | Gpr::Rbp | Gpr::Rsi | Gpr::Rdi)
    }

    /// The assembler name of this register at operand size `size` (`"eax"`, `"r9b"`...).
    pub const fn name(self, size: Size) -> &'static str {
        const NAMES: [[&str; 16]; 4] = [
            [
                "al", "cl", "dl", "bl", "spl", "bpl", "sil", "dil", "r8b", "r9b", "r10b", "r11b",
                "r12b", "r13b", "r14b", "r15b",
            ],
            [
                "ax", "cx", "dx", "bx", "sp", "bp", "si", "di", "r8w", "r9w", "r10w", "r11w",
                "r12w", "r13w", "r14w", "r15w",
            ],
            [
                "eax", "ecx", "edx", "ebx", "esp", "ebp", "esi", "edi", "r8d", "r9d", "r10d",
                "r11d", "r12d", "r13d", "r14d", "r15d",
            ],
            [
                "rax", "rcx", "rdx", "rbx", "rsp", "rbp", "rsi", "rdi", "r8", "r9", "r10", "r11",
                "r12", "r13", "r14", "r15",
            ],
        ];
        let row = match size {
            Size::S8 => 0,
            Size::S16 => 1,
            Size::S32 => 2,
            Size::S64 => 3,
        };
        NAMES[row][self as usize]
    }
}

impl fmt::Display for Gpr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name(Size::S64))
    }
}

/// An SSE register; the discriminant is its hardware encoding.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Debug)]
#[repr(u8)]
pub enum Xmm {
    Xmm0 = 0,
    Xmm1 = 1,
    Xmm2 = 2,
    Xmm3 = 3,
    Xmm4 = 4,
    Xmm5 = 5,
    Xmm6 = 6,
    Xmm7 = 7,
    Xmm8 = 8,
    Xmm9 = 9,
    Xmm10 = 10,
    Xmm11 = 11,
    Xmm12 = 12,
    Xmm13 = 13,
    Xmm14 = 14,
    Xmm15 = 15,
}

impl Xmm {
    /// All sixteen registers in encoding order.
    pub const ALL: [Xmm; 16] = [
        Xmm::Xmm0,
        Xmm::Xmm1,
        Xmm::Xmm2,
        Xmm::Xmm3,
        Xmm::Xmm4,
        Xmm::Xmm5,
        Xmm::Xmm6,
        Xmm::Xmm7,
        Xmm::Xmm8,
        Xmm::Xmm9,
        Xmm::Xmm10,
        Xmm::Xmm11,
        Xmm::Xmm12,
        Xmm::Xmm13,
        Xmm::Xmm14,
        Xmm::Xmm15,
    ];

    /// The register with hardware encoding `enc` (0..=15).
    pub const fn from_enc(enc: u8) -> Option<Xmm> {
        if enc < 16 {
            Some(Xmm::ALL[enc as usize])
        } else {
            None
        }
    }

    /// The 4-bit hardware encoding.
    pub const fn enc(self) -> u8 {
        self as u8
    }

    /// Whether this is xmm8..xmm15, which needs REX.R/B.
    pub const fn is_extended(self) -> bool {
        self as u8 >= 8
    }
}

impl fmt::Display for Xmm {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "xmm{}", *self as u8)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodings_round_trip() {
        for (i, r) in Gpr::ALL.iter().enumerate() {
            assert_eq!(r.enc() as usize, i);
            assert_eq!(Gpr::from_enc(i as u8), Some(*r));
            assert_eq!(r.is_extended(), i >= 8);
            assert_eq!(r.low3() as usize, i % 8);
        }
        for (i, x) in Xmm::ALL.iter().enumerate() {
            assert_eq!(x.enc() as usize, i);
            assert_eq!(Xmm::from_enc(i as u8), Some(*x));
            assert_eq!(x.is_extended(), i >= 8);
        }
        assert_eq!(Gpr::from_enc(16), None);
        assert_eq!(Xmm::from_enc(16), None);
    }

    #[test]
    fn names() {
        assert_eq!(Gpr::Rax.to_string(), "rax");
        assert_eq!(Gpr::R9.name(Size::S8), "r9b");
        assert_eq!(Gpr::Rsi.name(Size::S8), "sil");
        assert_eq!(Gpr::R15.name(Size::S32), "r15d");
        assert_eq!(Gpr::Rbp.name(Size::S16), "bp");
        assert_eq!(Xmm::Xmm12.to_string(), "xmm12");
        let byte_rex: Vec<Gpr> = Gpr::ALL
            .into_iter()
            .filter(|r| r.byte_needs_rex())
            .collect();
        assert_eq!(byte_rex, [Gpr::Rsp, Gpr::Rbp, Gpr::Rsi, Gpr::Rdi]);
    }
}
