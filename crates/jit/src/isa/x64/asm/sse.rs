//! Scalar SSE, SSE2 and SSE4.1 instructions: float moves, arithmetic,
//! bitwise operations, compares, conversions and rounding.

use super::{assert_32_64, Assembler, Gpr, Mem, Rm, Size, Xmm};

/// A scalar float size: selects the `ss` or `sd` (and `ps` or `pd`) form.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub enum FloatSize {
    /// Single precision (`ss`/`ps`).
    F32,
    /// Double precision (`sd`/`pd`).
    F64,
}

impl FloatSize {
    /// Both float sizes.
    pub const ALL: [FloatSize; 2] = [FloatSize::F32, FloatSize::F64];

    /// The mandatory prefix of the scalar form: F3 for `ss`, F2 for `sd`.
    const fn scalar_prefix(self) -> u8 {
        match self {
            FloatSize::F32 => 0xf3,
            FloatSize::F64 => 0xf2,
        }
    }
}

/// A scalar SSE arithmetic operation; the discriminant is its opcode after `0F`.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub enum FloatOp {
    /// `addss`/`addsd`
    Add = 0x58,
    /// `subss`/`subsd`
    Sub = 0x5c,
    /// `mulss`/`mulsd`
    Mul = 0x59,
    /// `divss`/`divsd`
    Div = 0x5e,
    /// `minss`/`minsd` (returns the second operand if either is NaN or both are zero)
    Min = 0x5d,
    /// `maxss`/`maxsd` (returns the second operand if either is NaN or both are zero)
    Max = 0x5f,
    /// `sqrtss`/`sqrtsd` (of the second operand)
    Sqrt = 0x51,
}

impl FloatOp {
    /// All scalar SSE arithmetic operations.
    pub const ALL: [FloatOp; 7] = [
        FloatOp::Add,
        FloatOp::Sub,
        FloatOp::Mul,
        FloatOp::Div,
        FloatOp::Min,
        FloatOp::Max,
        FloatOp::Sqrt,
    ];
}

/// A packed SSE bitwise operation; the discriminant is its opcode after `0F`.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub enum FloatBitOp {
    /// `andps`/`andpd`
    And = 0x54,
    /// `andnps`/`andnpd` (`dst = !dst & src`)
    AndNot = 0x55,
    /// `orps`/`orpd`
    Or = 0x56,
    /// `xorps`/`xorpd`
    Xor = 0x57,
}

impl FloatBitOp {
    /// All packed bitwise operations.
    pub const ALL: [FloatBitOp; 4] = [
        FloatBitOp::And,
        FloatBitOp::AndNot,
        FloatBitOp::Or,
        FloatBitOp::Xor,
    ];
}

/// The rounding-mode immediate of `roundss`/`roundsd` (bit 2 clear: use the immediate, not MXCSR).
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub enum RoundMode {
    /// To nearest, ties to even (wasm `nearest`).
    Nearest = 0,
    /// Towards negative infinity (wasm `floor`).
    Down = 1,
    /// Towards positive infinity (wasm `ceil`).
    Up = 2,
    /// Towards zero (wasm `trunc`).
    Zero = 3,
}

impl RoundMode {
    /// All rounding modes.
    pub const ALL: [RoundMode; 4] = [
        RoundMode::Nearest,
        RoundMode::Down,
        RoundMode::Up,
        RoundMode::Zero,
    ];
}

impl Assembler {
    /// `movss`/`movsd dst, src` (merges the low lane; prefer [`Assembler::movaps`] for plain copies).
    pub fn fmov_rr(&mut self, fs: FloatSize, dst: Xmm, src: Xmm) {
        let p = Some(fs.scalar_prefix());
        self.sse_op(p, false, &[0x0f, 0x10], dst.enc(), Rm::Reg(src.enc()));
    }

    /// `movss`/`movsd dst, [mem]` (zeroes the upper lanes).
    pub fn fload(&mut self, fs: FloatSize, dst: Xmm, mem: Mem) {
        let p = Some(fs.scalar_prefix());
        self.sse_op(p, false, &[0x0f, 0x10], dst.enc(), Rm::Mem(mem));
    }

    /// `movss`/`movsd [mem], src`.
    pub fn fstore(&mut self, fs: FloatSize, mem: Mem, src: Xmm) {
        let p = Some(fs.scalar_prefix());
        self.sse_op(p, false, &[0x0f, 0x11], src.enc(), Rm::Mem(mem));
    }

    /// `movaps dst, src`: copies the whole register (no dependency on `dst`).
    pub fn movaps(&mut self, dst: Xmm, src: Xmm) {
        self.sse_op(None, false, &[0x0f, 0x28], dst.enc(), Rm::Reg(src.enc()));
    }

    /// `movd`/`movq dst, src` (`S32`/`S64`): gpr bits into the low lane of an xmm, upper lanes zeroed.
    pub fn movd_to_xmm(&mut self, size: Size, dst: Xmm, src: Gpr) {
        assert_32_64(size, "movd/movq");
        let w = size == Size::S64;
        self.sse_op(Some(0x66), w, &[0x0f, 0x6e], dst.enc(), Rm::Reg(src.enc()));
    }

    /// `movd`/`movq dst, src` (`S32`/`S64`): the low lane of an xmm into a gpr.
    pub fn movd_from_xmm(&mut self, size: Size, dst: Gpr, src: Xmm) {
        assert_32_64(size, "movd/movq");
        let w = size == Size::S64;
        self.sse_op(Some(0x66), w, &[0x0f, 0x7e], src.enc(), Rm::Reg(dst.enc()));
    }

    /// `addss`, `subsd`, `sqrtss`... `dst, src`: scalar arithmetic on the low lane.
    pub fn farith_rr(&mut self, op: FloatOp, fs: FloatSize, dst: Xmm, src: Xmm) {
        let p = Some(fs.scalar_prefix());
        self.sse_op(p, false, &[0x0f, op as u8], dst.enc(), Rm::Reg(src.enc()));
    }

    /// `addss`, `subsd`, `sqrtss`... `dst, [mem]`: scalar arithmetic with a memory operand.
    pub fn farith_rm(&mut self, op: FloatOp, fs: FloatSize, dst: Xmm, mem: Mem) {
        let p = Some(fs.scalar_prefix());
        self.sse_op(p, false, &[0x0f, op as u8], dst.enc(), Rm::Mem(mem));
    }

    /// `andps`/`andpd`, `andnps`/`andnpd`, `orps`/`orpd`, `xorps`/`xorpd dst, src` (all 128 bits).
    pub fn fbit_rr(&mut self, op: FloatBitOp, fs: FloatSize, dst: Xmm, src: Xmm) {
        let p = match fs {
            FloatSize::F32 => None,
            FloatSize::F64 => Some(0x66),
        };
        self.sse_op(p, false, &[0x0f, op as u8], dst.enc(), Rm::Reg(src.enc()));
    }

    /// `ucomiss`/`ucomisd a, b`: unordered compare into ZF/PF/CF (all set if unordered).
    pub fn ucomis_rr(&mut self, fs: FloatSize, a: Xmm, b: Xmm) {
        let p = (fs == FloatSize::F64).then_some(0x66);
        self.sse_op(p, false, &[0x0f, 0x2e], a.enc(), Rm::Reg(b.enc()));
    }

    /// `ucomiss`/`ucomisd a, [mem]`.
    pub fn ucomis_rm(&mut self, fs: FloatSize, a: Xmm, mem: Mem) {
        let p = (fs == FloatSize::F64).then_some(0x66);
        self.sse_op(p, false, &[0x0f, 0x2e], a.enc(), Rm::Mem(mem));
    }

    /// `cvtsi2ss`/`cvtsi2sd dst, src`: signed `S32`/`S64` integer to float (merges the low lane).
    pub fn cvtsi2s(&mut self, fs: FloatSize, size: Size, dst: Xmm, src: Gpr) {
        assert_32_64(size, "cvtsi2ss/cvtsi2sd");
        let p = Some(fs.scalar_prefix());
        let w = size == Size::S64;
        self.sse_op(p, w, &[0x0f, 0x2a], dst.enc(), Rm::Reg(src.enc()));
    }

    /// `cvttss2si`/`cvttsd2si dst, src`: float to signed `S32`/`S64` integer, truncating (0x80..0 if out of range).
    pub fn cvtts2si(&mut self, fs: FloatSize, size: Size, dst: Gpr, src: Xmm) {
        assert_32_64(size, "cvttss2si/cvttsd2si");
        let p = Some(fs.scalar_prefix());
        let w = size == Size::S64;
        self.sse_op(p, w, &[0x0f, 0x2c], dst.enc(), Rm::Reg(src.enc()));
    }

    /// `cvtss2sd dst, src`: f32 to f64.
    pub fn cvtss2sd(&mut self, dst: Xmm, src: Xmm) {
        self.sse_op(
            Some(0xf3),
            false,
            &[0x0f, 0x5a],
            dst.enc(),
            Rm::Reg(src.enc()),
        );
    }

    /// `cvtsd2ss dst, src`: f64 to f32 (rounded by MXCSR, to nearest by default).
    pub fn cvtsd2ss(&mut self, dst: Xmm, src: Xmm) {
        self.sse_op(
            Some(0xf2),
            false,
            &[0x0f, 0x5a],
            dst.enc(),
            Rm::Reg(src.enc()),
        );
    }

    /// `roundss`/`roundsd dst, src, mode` (SSE4.1): round to an integral float.
    pub fn rounds(&mut self, fs: FloatSize, mode: RoundMode, dst: Xmm, src: Xmm) {
        let op = match fs {
            FloatSize::F32 => 0x0a,
            FloatSize::F64 => 0x0b,
        };
        self.sse_op(
            Some(0x66),
            false,
            &[0x0f, 0x3a, op],
            dst.enc(),
            Rm::Reg(src.enc()),
        );
        self.byte(mode as u8);
    }
}
