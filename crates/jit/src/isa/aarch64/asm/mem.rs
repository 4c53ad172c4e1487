//! Loads and stores: single registers (integer and float) and pairs, with
//! the addressing modes of [`Mem`].
//!
//! # Which encoding a [`Mem`] gets
//!
//! | `Mem`                          | single load/store                                         | pair (`ldp`/`stp`)         |
//! |--------------------------------|-----------------------------------------------------------|----------------------------|
//! | `Offset { base, offset }`      | `[base, #off]`: unsigned 12-bit scaled when `off` is a non-negative multiple of the access size below 4096 of them, else `ldur`/`stur` signed 9-bit (-256..=255) | signed 7-bit scaled (-64..=63 registers) |
//! | `Index { base, index, .. }`    | `[base, index{, lsl/uxtw/sxtw/sxtx {#log2 size}}]`        | none                       |
//! | `PreIndex { base, offset }`    | `[base, #off]!`, signed 9-bit                             | `[base, #off]!`, signed 7-bit scaled |
//! | `PostIndex { base, offset }`   | `[base], #off`, signed 9-bit                              | `[base], #off`, signed 7-bit scaled  |
//!
//! Anything else records [`super::AsmError::Unencodable`]; check with
//! [`Mem::fits`] / [`Mem::fits_pair`] first and materialise the address
//! in a register otherwise. The base may be `sp` (never `xzr`); the data
//! and index registers may be `xzr` (never `sp`). A writeback form whose
//! data register is its base is unpredictable and also refused.

use super::{Assembler, FloatSize, Fpr, Gpr, Size};

/// The width of a memory access; the discriminant is the `size` field
/// (bits 31:30), the log2 of the bytes.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub enum Width {
    /// 8 bits (`b` forms).
    B = 0,
    /// 16 bits (`h` forms).
    H = 1,
    /// 32 bits (`w` registers, `s` float registers).
    W = 2,
    /// 64 bits (`x` registers, `d` float registers).
    X = 3,
}

impl Width {
    /// All widths, smallest first.
    pub const ALL: [Width; 4] = [Width::B, Width::H, Width::W, Width::X];

    /// The access size in bytes.
    pub const fn bytes(self) -> u32 {
        1 << self as u32
    }

    /// The width of a register of `size`.
    pub const fn of(size: Size) -> Width {
        match size {
            Size::S32 => Width::W,
            Size::S64 => Width::X,
        }
    }

    /// The width of a float register of `size`.
    pub const fn of_float(size: FloatSize) -> Width {
        match size {
            FloatSize::F32 => Width::W,
            FloatSize::F64 => Width::X,
        }
    }
}

/// How the index register of [`Mem::Index`] is extended; the discriminant
/// is the `option` field.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub enum IndexExtend {
    /// A 64-bit `x` index, as is (`lsl`).
    Lsl = 0b011,
    /// A 32-bit `w` index, zero-extended.
    Uxtw = 0b010,
    /// A 32-bit `w` index, sign-extended.
    Sxtw = 0b110,
    /// A 64-bit `x` index, as is (`sxtx`, the same as `lsl`).
    Sxtx = 0b111,
}

impl IndexExtend {
    /// All four index extensions.
    pub const ALL: [IndexExtend; 4] = [
        IndexExtend::Lsl,
        IndexExtend::Uxtw,
        IndexExtend::Sxtw,
        IndexExtend::Sxtx,
    ];
}

/// A memory operand (see the module docs for the encodings).
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub enum Mem {
    /// `[base, #offset]`, the base unchanged.
    Offset {
        /// The base register (may be `sp`).
        base: Gpr,
        /// The byte offset.
        offset: i64,
    },
    /// `[base, index{, extend #log2(access size)}]`.
    Index {
        /// The base register (may be `sp`).
        base: Gpr,
        /// The index register (`w` for `uxtw`/`sxtw`, else `x`).
        index: Gpr,
        /// How the index is extended.
        extend: IndexExtend,
        /// Whether the index is scaled by the access size.
        scaled: bool,
    },
    /// `[base, #offset]!`: the access at `base + offset`, then `base += offset`.
    PreIndex {
        /// The base register (may be `sp`).
        base: Gpr,
        /// The byte offset.
        offset: i64,
    },
    /// `[base], #offset`: the access at `base`, then `base += offset`.
    PostIndex {
        /// The base register (may be `sp`).
        base: Gpr,
        /// The byte offset.
        offset: i64,
    },
}

impl Mem {
    /// `[base]`.
    pub const fn base(base: Gpr) -> Mem {
        Mem::Offset { base, offset: 0 }
    }

    /// `[base, #offset]`.
    pub const fn offset(base: Gpr, offset: i64) -> Mem {
        Mem::Offset { base, offset }
    }

    /// `[base, index]` (64-bit index, unscaled).
    pub const fn index(base: Gpr, index: Gpr) -> Mem {
        Mem::Index {
            base,
            index,
            extend: IndexExtend::Lsl,
            scaled: false,
        }
    }

    /// `[base, index, lsl #log2(access size)]` (64-bit index, scaled).
    pub const fn index_scaled(base: Gpr, index: Gpr) -> Mem {
        Mem::Index {
            base,
            index,
            extend: IndexExtend::Lsl,
            scaled: true,
        }
    }

    /// `[base, windex, uxtw {#log2(access size)}]`: a 32-bit index
    /// zero-extended (wasm's address plus the memory base).
    pub const fn uxtw(base: Gpr, index: Gpr, scaled: bool) -> Mem {
        Mem::Index {
            base,
            index,
            extend: IndexExtend::Uxtw,
            scaled,
        }
    }

    /// `[base, windex, sxtw {#log2(access size)}]`: a 32-bit index sign-extended.
    pub const fn sxtw(base: Gpr, index: Gpr, scaled: bool) -> Mem {
        Mem::Index {
            base,
            index,
            extend: IndexExtend::Sxtw,
            scaled,
        }
    }

    /// `[base, #offset]!` (pre-index).
    pub const fn pre(base: Gpr, offset: i64) -> Mem {
        Mem::PreIndex { base, offset }
    }

    /// `[base], #offset` (post-index).
    pub const fn post(base: Gpr, offset: i64) -> Mem {
        Mem::PostIndex { base, offset }
    }

    /// The base register.
    pub const fn base_reg(self) -> Gpr {
        match self {
            Mem::Offset { base, .. }
            | Mem::Index { base, .. }
            | Mem::PreIndex { base, .. }
            | Mem::PostIndex { base, .. } => base,
        }
    }

    /// Whether a single load or store of `width` can encode this operand.
    pub const fn fits(self, width: Width) -> bool {
        match self {
            Mem::Offset { offset, .. } => scaled_u12(offset, width).is_some() || fits_i9(offset),
            Mem::PreIndex { offset, .. } | Mem::PostIndex { offset, .. } => fits_i9(offset),
            Mem::Index { .. } => true,
        }
    }

    /// Whether a pair of registers of `width` each (`W` or `X`) can encode
    /// this operand.
    pub const fn fits_pair(self, width: Width) -> bool {
        match self {
            Mem::Offset { offset, .. }
            | Mem::PreIndex { offset, .. }
            | Mem::PostIndex { offset, .. } => scaled_i7(offset, width).is_some(),
            Mem::Index { .. } => false,
        }
    }
}

/// `offset / bytes` if it is a non-negative multiple below 4096.
const fn scaled_u12(offset: i64, width: Width) -> Option<u32> {
    let scale = width as u32;
    if offset >= 0 && offset & ((1 << scale) - 1) == 0 && (offset >> scale) < 4096 {
        Some((offset >> scale) as u32)
    } else {
        None
    }
}

/// `offset / bytes` as a 7-bit field, if it is a multiple in -64..=63.
const fn scaled_i7(offset: i64, width: Width) -> Option<u32> {
    let scale = width as u32;
    let n = offset >> scale;
    if offset & ((1 << scale) - 1) == 0 && n >= -64 && n < 64 {
        Some(n as u32 & 0x7f)
    } else {
        None
    }
}

/// Whether `offset` fits a signed 9-bit field.
const fn fits_i9(offset: i64) -> bool {
    offset >= -256 && offset < 256
}

impl Assembler {
    /// A single load or store (`size` field from `width`, `v` for float
    /// registers, `opc` bits 23:22) of register encoding `rt`.
    fn load_store(&mut self, width: Width, v: bool, opc: u32, rt: u32, mem: Mem) {
        let head = ((width as u32) << 30) | 0x3800_0000 | (u32::from(v) << 26) | (opc << 22);
        match mem {
            Mem::Offset { base, offset } => {
                let rn = self.rs(base);
                if let Some(imm12) = scaled_u12(offset, width) {
                    self.emit(head | (1 << 24) | (imm12 << 10) | (rn << 5) | rt);
                } else if fits_i9(offset) {
                    self.emit(head | ((offset as u32 & 0x1ff) << 12) | (rn << 5) | rt);
                } else {
                    self.unencodable("a load/store offset (check Mem::fits)");
                }
            }
            Mem::PreIndex { base, offset } | Mem::PostIndex { base, offset } => {
                let mode = if matches!(mem, Mem::PreIndex { .. }) {
                    0b11
                } else {
                    0b01
                };
                if !fits_i9(offset) {
                    return self.unencodable("a pre/post-index offset outside -256..=255");
                }
                if !v && rt == u32::from(base.enc()) && base != Gpr::Sp {
                    return self.unencodable("a writeback to the data register");
                }
                let rn = self.rs(base);
                self.emit(head | ((offset as u32 & 0x1ff) << 12) | (mode << 10) | (rn << 5) | rt);
            }
            Mem::Index {
                base,
                index,
                extend,
                scaled,
            } => {
                let (rn, rm) = (self.rs(base), self.rz(index));
                self.emit(
                    head | (1 << 21)
                        | (rm << 16)
                        | ((extend as u32) << 13)
                        | (u32::from(scaled) << 12)
                        | (0b10 << 10)
                        | (rn << 5)
                        | rt,
                );
            }
        }
    }

    /// A pair load or store: `opc` bits 31:30, `v` for float registers,
    /// `width` each register's (for the offset's scale).
    #[allow(clippy::too_many_arguments, reason = "the instruction's fields")]
    fn load_store_pair(
        &mut self,
        opc: u32,
        v: bool,
        load: bool,
        width: Width,
        rt: u32,
        rt2: u32,
        mem: Mem,
    ) {
        let (mode, base, offset) = match mem {
            Mem::PostIndex { base, offset } => (0b001, base, offset),
            Mem::Offset { base, offset } => (0b010, base, offset),
            Mem::PreIndex { base, offset } => (0b011, base, offset),
            Mem::Index { .. } => return self.unencodable("a register index in a pair"),
        };
        let Some(imm7) = scaled_i7(offset, width) else {
            return self.unencodable("a pair offset (check Mem::fits_pair)");
        };
        if load && rt == rt2 {
            return self.unencodable("a pair load into one register twice");
        }
        let n = u32::from(base.enc());
        if !v && mode != 0b010 && base != Gpr::Sp && (rt == n || rt2 == n) {
            return self.unencodable("a writeback to a data register");
        }
        let rn = self.rs(base);
        self.emit(
            (opc << 30)
                | 0x2800_0000
                | (u32::from(v) << 26)
                | (mode << 23)
                | (u32::from(load) << 22)
                | (imm7 << 15)
                | (rt2 << 10)
                | (rn << 5)
                | rt,
        );
    }

    /// `ldr wt/xt, mem`: a 32- or 64-bit load (a 32-bit one zero-extends).
    pub fn ldr(&mut self, size: Size, rt: Gpr, mem: Mem) {
        let rt = self.rz(rt);
        self.load_store(Width::of(size), false, 0b01, rt, mem);
    }

    /// `str wt/xt, mem`: a 32- or 64-bit store.
    pub fn str(&mut self, size: Size, rt: Gpr, mem: Mem) {
        let rt = self.rz(rt);
        self.load_store(Width::of(size), false, 0b00, rt, mem);
    }

    /// `ldrb wt, mem`: a byte load, zero-extended.
    pub fn ldrb(&mut self, rt: Gpr, mem: Mem) {
        let rt = self.rz(rt);
        self.load_store(Width::B, false, 0b01, rt, mem);
    }

    /// `ldrh wt, mem`: a halfword load, zero-extended.
    pub fn ldrh(&mut self, rt: Gpr, mem: Mem) {
        let rt = self.rz(rt);
        self.load_store(Width::H, false, 0b01, rt, mem);
    }

    /// `strb wt, mem`: stores the low byte.
    pub fn strb(&mut self, rt: Gpr, mem: Mem) {
        let rt = self.rz(rt);
        self.load_store(Width::B, false, 0b00, rt, mem);
    }

    /// `strh wt, mem`: stores the low halfword.
    pub fn strh(&mut self, rt: Gpr, mem: Mem) {
        let rt = self.rz(rt);
        self.load_store(Width::H, false, 0b00, rt, mem);
    }

    /// The `opc` of a sign-extending load into a register of `size`.
    const fn signed_opc(size: Size) -> u32 {
        match size {
            Size::S32 => 0b11,
            Size::S64 => 0b10,
        }
    }

    /// `ldrsb wt/xt, mem`: a byte load, sign-extended to `size`.
    pub fn ldrsb(&mut self, size: Size, rt: Gpr, mem: Mem) {
        let rt = self.rz(rt);
        self.load_store(Width::B, false, Self::signed_opc(size), rt, mem);
    }

    /// `ldrsh wt/xt, mem`: a halfword load, sign-extended to `size`.
    pub fn ldrsh(&mut self, size: Size, rt: Gpr, mem: Mem) {
        let rt = self.rz(rt);
        self.load_store(Width::H, false, Self::signed_opc(size), rt, mem);
    }

    /// `ldrsw xt, mem`: a word load, sign-extended to 64 bits.
    pub fn ldrsw(&mut self, rt: Gpr, mem: Mem) {
        let rt = self.rz(rt);
        self.load_store(Width::W, false, 0b10, rt, mem);
    }

    /// `ldr st/dt, mem`: a float load.
    pub fn ldr_f(&mut self, size: FloatSize, vt: Fpr, mem: Mem) {
        self.load_store(Width::of_float(size), true, 0b01, u32::from(vt.enc()), mem);
    }

    /// `str st/dt, mem`: a float store.
    pub fn str_f(&mut self, size: FloatSize, vt: Fpr, mem: Mem) {
        self.load_store(Width::of_float(size), true, 0b00, u32::from(vt.enc()), mem);
    }

    /// The `opc` of an integer pair of `size`.
    const fn pair_opc(size: Size) -> u32 {
        match size {
            Size::S32 => 0b00,
            Size::S64 => 0b10,
        }
    }

    /// `ldp rt, rt2, mem`: loads two registers from consecutive words or
    /// doublewords (`rt` from the lower address).
    pub fn ldp(&mut self, size: Size, rt: Gpr, rt2: Gpr, mem: Mem) {
        let (a, b) = (self.rz(rt), self.rz(rt2));
        self.load_store_pair(
            Self::pair_opc(size),
            false,
            true,
            Width::of(size),
            a,
            b,
            mem,
        );
    }

    /// `stp rt, rt2, mem`: stores two registers (`rt` at the lower address).
    pub fn stp(&mut self, size: Size, rt: Gpr, rt2: Gpr, mem: Mem) {
        let (a, b) = (self.rz(rt), self.rz(rt2));
        self.load_store_pair(
            Self::pair_opc(size),
            false,
            false,
            Width::of(size),
            a,
            b,
            mem,
        );
    }

    /// The `opc` of a float pair of `size`.
    const fn float_pair_opc(size: FloatSize) -> u32 {
        match size {
            FloatSize::F32 => 0b00,
            FloatSize::F64 => 0b01,
        }
    }

    /// `ldp st/dt, st2/dt2, mem`: loads two float registers.
    pub fn ldp_f(&mut self, size: FloatSize, vt: Fpr, vt2: Fpr, mem: Mem) {
        let (a, b) = (u32::from(vt.enc()), u32::from(vt2.enc()));
        let width = Width::of_float(size);
        self.load_store_pair(Self::float_pair_opc(size), true, true, width, a, b, mem);
    }

    /// `stp st/dt, st2/dt2, mem`: stores two float registers.
    pub fn stp_f(&mut self, size: FloatSize, vt: Fpr, vt2: Fpr, mem: Mem) {
        let (a, b) = (u32::from(vt.enc()), u32::from(vt2.enc()));
        let width = Width::of_float(size);
        self.load_store_pair(Self::float_pair_opc(size), true, false, width, a, b, mem);
    }
}
