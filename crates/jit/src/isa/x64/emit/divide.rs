//! Division by a constant, as a multiplication by its magic number
//! ([`crate::magic`]): a few cycles instead of the tens a `div` costs, and
//! no checks (the divisor is known not to trap).
//!
//! The dividend goes to r10 as a 64-bit value (sign-extended for a signed
//! i32; an unsigned i32 already is zero-extended), its magnitude to rax.
//! `rax / |d|` then comes from one multiplication for i32s (their
//! magnitudes stay below 2^32) or from the 64-bit rule, with rdx and r11 as
//! scratch (`div` clobbers rax and rdx too, so the allocator already keeps
//! values out of them). A signed quotient takes the sign of `n * d`; a
//! remainder is `n - q * d`.

use super::{Emitter, L};
use crate::ir::{DivOp, Ty, VReg};
use crate::isa::x64::asm::{ExtMode, ShiftOp, Size};
use crate::isa::x64::regs::Gpr::{Rax, Rdx, R10, R11};
use crate::magic::{magic_u32, magic_u64};

impl Emitter<'_> {
    pub(super) fn idiv_imm(&mut self, op: DivOp, ty: Ty, dst: VReg, a: VReg, divisor: i64) {
        let signed = matches!(op, DivOp::DivS | DivOp::RemS);
        // The dividend, 64 bits wide, in r10.
        if signed && ty == Ty::I32 {
            let ra = self.src(a, R10);
            self.asm.movsx_rr(ExtMode::LQ, R10, ra);
        } else {
            self.src_into(a, R10);
        }
        // Its magnitude in rax, and the divisor's.
        let magnitude = if signed {
            // rax = -n, or n if that is negative (n = i64::MIN gives 2^63,
            // right as an unsigned magnitude).
            self.asm.mov_rr(Size::S64, Rax, R10);
            self.asm.neg(Size::S64, Rax);
            self.asm.cmov_rr(super::Cond::S, Size::S64, Rax, R10);
            divisor.unsigned_abs()
        } else {
            self.asm.mov_rr(Size::S64, Rax, R10);
            if ty == Ty::I32 {
                divisor as u32 as u64
            } else {
                divisor as u64
            }
        };
        if ty == Ty::I32 {
            // Magnitudes of i32 dividends stay below 2^32.
            self.udiv32_rax(magnitude);
        } else {
            self.udiv_rax(magnitude);
        }
        if signed {
            // Negate when n and d differ in sign: with s = n >> 63 (0 or
            // -1), flipped for a negative d, q = (q ^ s) - s.
            self.asm.mov_rr(Size::S64, R11, R10);
            self.asm.shift_ri(ShiftOp::Sar, Size::S64, R11, 63);
            if divisor < 0 {
                self.asm.not(Size::S64, R11);
            }
            self.asm.alu_rr(super::AluOp::Xor, Size::S64, Rax, R11);
            self.asm.alu_rr(super::AluOp::Sub, Size::S64, Rax, R11);
        }
        let result = if matches!(op, DivOp::DivS | DivOp::DivU) {
            Rax
        } else {
            // n - q * d, in r10.
            let d = if signed || ty == Ty::I64 {
                divisor
            } else {
                divisor as u32 as i64
            };
            match i32::try_from(d) {
                Ok(imm) => self.asm.imul_rri(Size::S64, Rax, Rax, imm),
                Err(_) => {
                    self.asm.mov_imm64(R11, d as u64);
                    self.asm.imul_rr(Size::S64, Rax, R11);
                }
            }
            self.asm.alu_rr(super::AluOp::Sub, Size::S64, R10, Rax);
            R10
        };
        match self.loc(dst) {
            L::M(m) if ty == Ty::I64 => self.asm.store(Size::S64, m, result),
            _ => {
                let d = self.dst(dst, R11);
                // An i32 result is the low half, zero-extended.
                self.asm.mov_rr(super::size(ty), d, result);
                self.commit(dst, d);
            }
        }
    }

    /// rax = rax / d for rax < 2^32 (d >= 1): one multiplication by
    /// [`magic_u32`]. Clobbers rdx.
    fn udiv32_rax(&mut self, d: u64) {
        let Some(c) = u32::try_from(d).ok().and_then(magic_u32) else {
            // d = 1, or beyond 32 bits (then n / d = 0 but for the rule
            // below, which handles it).
            return self.udiv_rax(d);
        };
        if d.is_power_of_two() {
            return self.udiv_rax(d);
        }
        self.asm.mov_imm64(Rdx, c);
        self.asm.mul(Size::S64, Rdx);
        self.asm.mov_rr(Size::S64, Rax, Rdx);
    }

    /// rax = rax / d (unsigned 64-bit, d >= 1). Clobbers rdx and r11.
    fn udiv_rax(&mut self, d: u64) {
        let Some((m, l)) = magic_u64(d) else {
            let k = d.trailing_zeros() as u8;
            if k > 0 {
                self.asm.shift_ri(ShiftOp::Shr, Size::S64, Rax, k);
            }
            return;
        };
        // t = (m * n) >> 64 in rdx; q = (t + ((n - t) >> 1)) >> (l - 1).
        self.asm.mov_rr(Size::S64, R11, Rax);
        self.asm.mov_imm64(Rdx, m);
        self.asm.mul(Size::S64, Rdx);
        self.asm.mov_rr(Size::S64, Rax, R11);
        self.asm.alu_rr(super::AluOp::Sub, Size::S64, Rax, Rdx);
        self.asm.shift_ri(ShiftOp::Shr, Size::S64, Rax, 1);
        self.asm.alu_rr(super::AluOp::Add, Size::S64, Rax, Rdx);
        if l > 1 {
            self.asm
                .shift_ri(ShiftOp::Shr, Size::S64, Rax, (l - 1) as u8);
        }
    }
}
