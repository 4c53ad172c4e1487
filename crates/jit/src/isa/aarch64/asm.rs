//! AArch64 machine-code encoder.
//!
//! [`Assembler`] appends encoded instructions to a byte buffer, tracks
//! [`Label`]s and the branches that use them, and [`Assembler::finish`]
//! patches the branches. It knows encodings, not wasm: choosing
//! instructions is the lowering layer's job.
//!
//! # Instruction format
//!
//! Every instruction is one 32-bit word, stored little-endian. Register
//! fields are 5 bits: `Rd` (bits 4:0, the destination, or `Rt` for loads
//! and stores), `Rn` (9:5, the first source or the base address), `Rm`
//! (20:16) and `Ra`/`Rt2` (14:10). `sf` (bit 31) selects the 64-bit form of
//! integer instructions ([`Size`]), `ftype` (bits 23:22) the float size
//! ([`FloatSize`]).
//!
//! # Register 31: `sp` or `xzr`
//!
//! Encoding 31 is the stack pointer in some fields and the zero register in
//! all others; [`Gpr::Sp`] and [`Gpr::Zr`] are distinct values so that the
//! encoder can check which one a field gets. The fields that read 31 as
//! **`sp`**:
//!
//! - `Rd` and `Rn` of `add`/`sub` (immediate and extended register), `Rn`
//!   only for `adds`/`subs`/`cmp`/`cmn`;
//! - `Rd` of `and`/`orr`/`eor` with a logical immediate;
//! - the base register of every load, store, pair, exclusive and atomic.
//!
//! Every other field reads 31 as **`xzr`/`wzr`** (shifted-register
//! arithmetic and logic, multiplies, bitfields, conditional selects, the
//! data register of loads and stores, indexes, branch registers, moves
//! wide). Passing `Sp` to a zero-register field or `Zr` to a
//! stack-pointer field is a bug in the caller: a `debug_assert!` catches it
//! in debug builds, and release builds record [`AsmError::Unencodable`]
//! so that [`Assembler::finish`] fails instead of producing wrong code.
//! Methods that pick their form (`mov_rr`, `add_sub`, `add_imm`) choose
//! the one whose fields fit the registers given.
//!
//! # Invariants
//!
//! - **One word per instruction**, appended at a multiple of 4 (only
//!   [`Assembler::bytes`] can break that, and [`Assembler::align`] repairs
//!   it).
//! - **Never a panic for operands**: an immediate, offset or shift amount
//!   that its field cannot hold records [`AsmError::Unencodable`] and emits
//!   `udf #0` in place of the instruction (the code keeps its layout); the
//!   `fits_*` functions and [`Mem::fits`] let the caller check first and
//!   choose another sequence.
//! - **Branches**: a branch to a bound label gets its final offset when
//!   emitted; a branch to an unbound label gets a zero field and a fixup
//!   that [`Assembler::finish`] fills. Offsets are measured from the
//!   branch's own address. A distance its field cannot hold (±128 MiB for
//!   `b`/`bl`, ±1 MiB for `b.cond`, `cbz`, `ldr` literal and `adr`,
//!   ±32 KiB for `tbz`) is reported as [`AsmError::BranchOutOfRange`], so
//!   that the JIT can leave the function to the interpreter.
//! - **Data**: [`Assembler::label_diff32`] appends a 4-byte word, not an
//!   instruction: the distance from one label to another (jump-table
//!   entries). The caller places data where execution never reaches.
//!
//! The encoding of each family lives in a submodule: [`int`] (arithmetic,
//! logic, shifts, bitfields, multiplies, conditional selects), [`mem`]
//! (loads and stores), [`float`] (scalar floating point and the few SIMD
//! forms), [`atomic`] (exclusives, acquire/release, LSE) and [`imm`] (the
//! immediate encoders: logical bitmasks, float immediates, move-wide
//! sequences).

use std::fmt;

use super::regs::{Fpr, Gpr};

pub mod atomic;
pub mod float;
pub mod imm;
pub mod int;
pub mod mem;

pub use atomic::AtomicRmwOp;
pub use float::{FloatOp, FloatUnOp, Lanes, VecLogicOp};
pub use imm::{
    decode_fmov_imm, decode_logical_imm, encode_fmov_imm, encode_logical_imm, fits_add_imm,
    fits_fmov_imm, fits_logical_imm, mov_imm_len,
};
pub use int::{AddSubOp, LogicOp};
pub use mem::{IndexExtend, Mem, Width};

/// An integer operand size: the `w` (32-bit) or `x` (64-bit) view of the
/// registers (the `sf` bit).
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub enum Size {
    /// 32 bits (`w` registers); writing one zeroes the upper half.
    S32,
    /// 64 bits (`x` registers).
    S64,
}

impl Size {
    /// Both sizes, smallest first.
    pub const ALL: [Size; 2] = [Size::S32, Size::S64];

    /// The size in bits.
    pub const fn bits(self) -> u32 {
        match self {
            Size::S32 => 32,
            Size::S64 => 64,
        }
    }

    /// The `sf` bit (31) of integer instructions.
    pub(crate) const fn sf(self) -> u32 {
        match self {
            Size::S32 => 0,
            Size::S64 => 1 << 31,
        }
    }

    /// The all-ones value of this size.
    pub const fn mask(self) -> u64 {
        match self {
            Size::S32 => 0xffff_ffff,
            Size::S64 => u64::MAX,
        }
    }
}

/// A scalar floating-point size: the `s` or `d` view of the V registers.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub enum FloatSize {
    /// Single precision (`s` registers).
    F32,
    /// Double precision (`d` registers).
    F64,
}

impl FloatSize {
    /// Both float sizes.
    pub const ALL: [FloatSize; 2] = [FloatSize::F32, FloatSize::F64];

    /// The `ftype` field (bits 23:22) of scalar float instructions.
    pub(crate) const fn ftype(self) -> u32 {
        match self {
            FloatSize::F32 => 0,
            FloatSize::F64 => 1 << 22,
        }
    }

    /// The size in bytes.
    pub const fn bytes(self) -> u32 {
        match self {
            FloatSize::F32 => 4,
            FloatSize::F64 => 8,
        }
    }
}

/// A condition code; the discriminant is its 4-bit encoding.
///
/// After `cmp a, b` (`subs`): signed `Lt/Le/Gt/Ge`, unsigned
/// `Lo/Ls/Hi/Hs` (carry is set when no borrow happened). After
/// `fcmp a, b`, unordered (either is NaN) sets C and V: `Mi` is "less
/// than" and `Ls` "less or equal" (both false when unordered), `Gt`/`Ge`
/// are "greater"/"greater or equal", `Vs` is "unordered", and
/// `Lt`/`Le`/`Hi`/`Hs`/`Ne` are true when unordered.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub enum Cond {
    /// Equal (Z = 1).
    Eq = 0x0,
    /// Not equal (Z = 0).
    Ne = 0x1,
    /// Unsigned higher or same / carry set (C = 1).
    Hs = 0x2,
    /// Unsigned lower / carry clear (C = 0).
    Lo = 0x3,
    /// Minus / negative (N = 1).
    Mi = 0x4,
    /// Plus / positive or zero (N = 0).
    Pl = 0x5,
    /// Overflow (V = 1).
    Vs = 0x6,
    /// No overflow (V = 0).
    Vc = 0x7,
    /// Unsigned higher (C = 1 and Z = 0).
    Hi = 0x8,
    /// Unsigned lower or same (C = 0 or Z = 1).
    Ls = 0x9,
    /// Signed greater or equal (N = V).
    Ge = 0xa,
    /// Signed less than (N != V).
    Lt = 0xb,
    /// Signed greater than (Z = 0 and N = V).
    Gt = 0xc,
    /// Signed less or equal (Z = 1 or N != V).
    Le = 0xd,
    /// Always.
    Al = 0xe,
}

impl Cond {
    /// All fifteen conditions in encoding order (`nv`, 0xf, is `al` again
    /// and never emitted).
    pub const ALL: [Cond; 15] = [
        Cond::Eq,
        Cond::Ne,
        Cond::Hs,
        Cond::Lo,
        Cond::Mi,
        Cond::Pl,
        Cond::Vs,
        Cond::Vc,
        Cond::Hi,
        Cond::Ls,
        Cond::Ge,
        Cond::Lt,
        Cond::Gt,
        Cond::Le,
        Cond::Al,
    ];

    /// The 4-bit encoding.
    pub const fn enc(self) -> u32 {
        self as u32
    }

    /// The opposite condition (true exactly when `self` is false). `Al`
    /// has none: it returns `Al`, and the aliases that invert their
    /// condition (`cset`, `cinc`...) refuse `Al`.
    pub const fn invert(self) -> Cond {
        match self {
            Cond::Al => Cond::Al,
            c => Cond::ALL[(c as usize) ^ 1],
        }
    }

    /// The assembler name (`"eq"`, `"hs"`...).
    pub const fn name(self) -> &'static str {
        const NAMES: [&str; 15] = [
            "eq", "ne", "hs", "lo", "mi", "pl", "vs", "vc", "hi", "ls", "ge", "lt", "gt", "le",
            "al",
        ];
        NAMES[self as usize]
    }
}

/// A shift of a register operand, or the operation of a shift instruction;
/// the discriminant is the `shift` field.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub enum Shift {
    /// Logical shift left.
    Lsl = 0,
    /// Logical shift right.
    Lsr = 1,
    /// Arithmetic shift right.
    Asr = 2,
    /// Rotate right (logical instructions and shift instructions only;
    /// `add`/`sub` have no rotated form).
    Ror = 3,
}

impl Shift {
    /// All four shifts.
    pub const ALL: [Shift; 4] = [Shift::Lsl, Shift::Lsr, Shift::Asr, Shift::Ror];
}

/// The extension of an extended-register operand (`add x0, x1, w2, uxtw`);
/// the discriminant is the `option` field.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub enum Extend {
    /// Zero-extend the low byte.
    Uxtb = 0,
    /// Zero-extend the low halfword.
    Uxth = 1,
    /// Zero-extend the low word.
    Uxtw = 2,
    /// The whole 64-bit register (`lsl` when `Rd` or `Rn` is `sp`).
    Uxtx = 3,
    /// Sign-extend the low byte.
    Sxtb = 4,
    /// Sign-extend the low halfword.
    Sxth = 5,
    /// Sign-extend the low word.
    Sxtw = 6,
    /// The whole 64-bit register.
    Sxtx = 7,
}

impl Extend {
    /// All eight extensions in encoding order.
    pub const ALL: [Extend; 8] = [
        Extend::Uxtb,
        Extend::Uxth,
        Extend::Uxtw,
        Extend::Uxtx,
        Extend::Sxtb,
        Extend::Sxth,
        Extend::Sxtw,
        Extend::Sxtx,
    ];

    /// Whether the extended register is an `x` register (`uxtx`/`sxtx`)
    /// rather than a `w` register.
    pub const fn reads_x(self) -> bool {
        matches!(self, Extend::Uxtx | Extend::Sxtx)
    }
}

/// A memory barrier's domain and access types (the `CRm` field of
/// `dmb`/`dsb`).
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub enum Barrier {
    /// Full system, all accesses.
    Sy = 0b1111,
    /// Inner shareable, all accesses (what wasm's sequential consistency needs).
    Ish = 0b1011,
    /// Inner shareable, loads before loads and stores.
    IshLd = 0b1001,
    /// Inner shareable, stores before stores.
    IshSt = 0b1010,
}

impl Barrier {
    /// All barrier options.
    pub const ALL: [Barrier; 4] = [Barrier::Sy, Barrier::Ish, Barrier::IshLd, Barrier::IshSt];
}

/// A position in the code, bound once, usable by branches before and after binding.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub struct Label(u32);

impl Label {
    /// The label's index within its assembler.
    pub const fn index(self) -> u32 {
        self.0
    }
}

/// What made [`Assembler::finish`] fail: a label misuse, a branch that
/// cannot reach, or an operand an instruction cannot encode. The first one
/// recorded is reported; the JIT leaves the function to the interpreter.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum AsmError {
    /// A branch uses a label that was never bound.
    UnboundLabel(Label),
    /// A label was bound twice.
    LabelBoundTwice(Label),
    /// A label from another assembler was used or bound (caught when its index is out of range here).
    ForeignLabel(Label),
    /// The branch (or `adr`, or literal load) at offset `at` cannot reach
    /// `label`: the distance does not fit its field, or is not a multiple
    /// of 4 where the field counts instructions. A data word from
    /// [`Assembler::label_diff32`] whose distance exceeds 32 bits is
    /// reported the same way.
    BranchOutOfRange {
        /// The label the branch targets.
        label: Label,
        /// The offset of the branch instruction.
        at: u32,
    },
    /// The instruction at offset `at` was given an operand it cannot
    /// encode (`what` says which); `udf #0` stands in its place.
    Unencodable {
        /// The offset of the placeholder instruction.
        at: u32,
        /// The operand and why.
        what: &'static str,
    },
}

impl fmt::Display for AsmError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AsmError::UnboundLabel(l) => write!(f, "label {} is used but never bound", l.0),
            AsmError::LabelBoundTwice(l) => write!(f, "label {} is bound twice", l.0),
            AsmError::ForeignLabel(l) => {
                write!(f, "label {} does not belong to this assembler", l.0)
            }
            AsmError::BranchOutOfRange { label, at } => {
                write!(f, "branch at {at:#x} cannot reach label {}", label.0)
            }
            AsmError::Unencodable { at, what } => {
                write!(f, "instruction at {at:#x} cannot encode {what}")
            }
        }
    }
}

impl std::error::Error for AsmError {}

/// How a fixup's distance goes into its word.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum FixupKind {
    /// `b`, `bl`: instructions in bits 25:0.
    Imm26,
    /// `b.cond`, `cbz`, `cbnz`, `ldr` literal: instructions in bits 23:5.
    Imm19,
    /// `tbz`, `tbnz`: instructions in bits 18:5.
    Imm14,
    /// `adr`: bytes, low two in bits 30:29, the rest in bits 23:5.
    Adr21,
    /// A data word: `target - base` in all 32 bits.
    Diff32(Label),
}

impl FixupKind {
    /// The bits to OR into the word for a distance of `delta` bytes, or
    /// `None` if the field cannot hold it.
    fn encode(self, delta: i64) -> Option<u32> {
        let words = |bits: u32| -> Option<u32> {
            let n = delta / 4;
            let half = 1i64 << (bits - 1);
            (delta % 4 == 0 && (-half..half).contains(&n)).then_some(n as u32 & ((1 << bits) - 1))
        };
        match self {
            FixupKind::Imm26 => words(26),
            FixupKind::Imm19 => words(19).map(|n| n << 5),
            FixupKind::Imm14 => words(14).map(|n| n << 5),
            FixupKind::Adr21 => (-(1 << 20)..(1 << 20)).contains(&delta).then(|| {
                let d = delta as u32;
                ((d & 3) << 29) | (((d >> 2) & 0x7ffff) << 5)
            }),
            FixupKind::Diff32(_) => i32::try_from(delta).ok().map(|d| d as u32),
        }
    }
}

/// A word to patch with the distance to a label.
#[derive(Clone, Copy, Debug)]
struct Fixup {
    /// Offset of the word (the instruction, or the data word).
    at: u32,
    label: Label,
    kind: FixupKind,
}

/// `udf #0`: the placeholder of an instruction that could not be encoded.
const UDF0: u32 = 0x0000_0000;
/// `nop`: the padding of [`Assembler::align`].
const NOP: u32 = 0xd503_201f;

/// Post-invariant of every emitting method: one instruction word was
/// appended (a few for the sequences documented as such: `mov_imm`,
/// `add_imm`), or for the data methods one data word or the padding; every
/// branch to a label not yet bound has a fixup.
#[derive(Default, Debug)]
pub struct Assembler {
    /// The code.
    buf: Vec<u8>,
    /// Bound offset of each label, by index.
    labels: Vec<Option<u32>>,
    fixups: Vec<Fixup>,
    /// The first error, reported by `finish`.
    error: Option<AsmError>,
}

impl Assembler {
    /// An empty assembler.
    pub fn new() -> Assembler {
        Assembler::default()
    }

    /// An empty assembler whose buffer has room for `bytes` bytes of code
    /// (and its label and fixup tables for about one label and one branch
    /// per 32 bytes, so they rarely grow).
    pub fn with_capacity(bytes: usize) -> Assembler {
        Assembler {
            buf: Vec::with_capacity(bytes),
            labels: Vec::with_capacity(bytes / 32 + 4),
            fixups: Vec::with_capacity(bytes / 32 + 4),
            error: None,
        }
    }

    /// Empties the assembler for new code (labels, fixups and errors too),
    /// keeping its buffers, with room for `bytes` bytes of code.
    pub fn reset(&mut self, bytes: usize) {
        self.buf.clear();
        self.buf.reserve(bytes);
        self.labels.clear();
        self.fixups.clear();
        self.error = None;
    }

    /// The capacity of the code buffer.
    pub fn capacity(&self) -> usize {
        self.buf.capacity()
    }

    /// The current code offset (where the next instruction goes).
    pub fn offset(&self) -> usize {
        self.buf.len()
    }

    /// The code emitted so far (branches to labels not yet bound have zero
    /// offset fields).
    pub fn code(&self) -> &[u8] {
        &self.buf
    }

    /// Creates a new, unbound label.
    pub fn new_label(&mut self) -> Label {
        let label = Label(self.labels.len() as u32);
        self.labels.push(None);
        label
    }

    /// Binds `label` to the current offset.
    pub fn bind(&mut self, label: Label) {
        let here = self.here();
        match self.labels.get_mut(label.0 as usize) {
            Some(slot @ None) => *slot = Some(here),
            Some(Some(_)) => self.record(AsmError::LabelBoundTwice(label)),
            None => self.record(AsmError::ForeignLabel(label)),
        }
    }

    /// The offset `label` is bound to, if it is bound.
    pub fn label_offset(&self, label: Label) -> Option<usize> {
        self.labels
            .get(label.0 as usize)
            .copied()
            .flatten()
            .map(|o| o as usize)
    }

    /// Patches every branch and returns the code, or the first error.
    pub fn finish(mut self) -> Result<Vec<u8>, AsmError> {
        self.patch()?;
        Ok(self.buf)
    }

    /// [`Assembler::finish`], returning a copy of the code (of its exact
    /// size) and keeping the assembler's buffers for [`Assembler::reset`].
    pub fn finish_copy(&mut self) -> Result<Vec<u8>, AsmError> {
        self.patch()?;
        Ok(self.buf.clone())
    }

    /// Patches every fixup, or reports the first error.
    fn patch(&mut self) -> Result<(), AsmError> {
        if let Some(e) = self.error {
            return Err(e);
        }
        for f in &self.fixups {
            let target = self.bound(f.label)?;
            let origin = match f.kind {
                FixupKind::Diff32(base) => self.bound(base)?,
                _ => f.at,
            };
            let bits = f.kind.encode(i64::from(target) - i64::from(origin)).ok_or(
                AsmError::BranchOutOfRange {
                    label: f.label,
                    at: f.at,
                },
            )?;
            let at = f.at as usize;
            let word: [u8; 4] = self.buf[at..at + 4].try_into().expect("4-byte word");
            let word = u32::from_le_bytes(word) | bits;
            self.buf[at..at + 4].copy_from_slice(&word.to_le_bytes());
        }
        Ok(())
    }

    /// The offset of `label`, or the error that it has none.
    fn bound(&self, label: Label) -> Result<u32, AsmError> {
        match self.labels.get(label.0 as usize) {
            Some(Some(offset)) => Ok(*offset),
            Some(None) => Err(AsmError::UnboundLabel(label)),
            None => Err(AsmError::ForeignLabel(label)),
        }
    }

    fn record(&mut self, e: AsmError) {
        self.error.get_or_insert(e);
    }

    // ---- Encoding helpers -------------------------------------------------

    /// The current offset as a 32-bit code offset.
    fn here(&self) -> u32 {
        self.buf.len() as u32
    }

    /// Appends one instruction word.
    #[inline]
    pub(crate) fn emit(&mut self, word: u32) {
        self.buf.extend_from_slice(&word.to_le_bytes());
    }

    /// Records that the instruction about to be emitted here cannot encode
    /// `what`, and emits `udf #0` in its place.
    #[cold]
    pub(crate) fn unencodable(&mut self, what: &'static str) {
        let at = self.here();
        self.record(AsmError::Unencodable { at, what });
        self.emit(UDF0);
    }

    /// Records a register in a field that cannot hold it (a caller bug).
    #[cold]
    fn bad_register(&mut self, what: &'static str) {
        debug_assert!(false, "aarch64 encoder: {what}");
        let at = self.here();
        self.record(AsmError::Unencodable { at, what });
    }

    /// The encoding of `r` in a field where 31 is the zero register.
    #[inline]
    pub(crate) fn rz(&mut self, r: Gpr) -> u32 {
        if r == Gpr::Sp {
            self.bad_register("sp in a zero-register field");
        }
        u32::from(r.enc())
    }

    /// The encoding of `r` in a field where 31 is the stack pointer.
    #[inline]
    pub(crate) fn rs(&mut self, r: Gpr) -> u32 {
        if r == Gpr::Zr {
            self.bad_register("xzr in a stack-pointer field");
        }
        u32::from(r.enc())
    }

    /// A branch-like instruction `word` whose offset field reaches `label`:
    /// final if the label is bound, else a fixup.
    fn emit_to_label(&mut self, word: u32, label: Label, kind: FixupKind) {
        let at = self.here();
        let word = match self.label_offset(label) {
            Some(target) => match kind.encode(target as i64 - i64::from(at)) {
                Some(bits) => word | bits,
                None => {
                    self.record(AsmError::BranchOutOfRange { label, at });
                    word
                }
            },
            None => {
                self.fixups.push(Fixup { at, label, kind });
                word
            }
        };
        self.emit(word);
    }

    // ---- Moves --------------------------------------------------------------

    /// `mov rd, rm` between registers: `orr rd, zr, rm`, or `add rd, rm, #0`
    /// when either is `sp` (a 32-bit move zeroes the upper half). `sp` to
    /// or from `zr` has no single instruction (records an error).
    pub fn mov_rr(&mut self, size: Size, rd: Gpr, rm: Gpr) {
        if rd == Gpr::Sp || rm == Gpr::Sp {
            self.add_sub_imm12(AddSubOp::Add, size, rd, rm, 0, false);
        } else {
            self.logic(LogicOp::Orr, size, rd, Gpr::Zr, rm);
        }
    }

    /// A move-wide instruction: `opc` is MOVN 00, MOVZ 10, MOVK 11.
    fn move_wide(&mut self, opc: u32, size: Size, rd: Gpr, imm16: u16, shift: u32) {
        if !shift.is_multiple_of(16) || shift >= size.bits() {
            return self.unencodable("a move-wide shift other than 0, 16 (or 32, 48 at x)");
        }
        let rd = self.rz(rd);
        self.emit(
            size.sf()
                | (opc << 29)
                | 0x1280_0000
                | ((shift / 16) << 21)
                | (u32::from(imm16) << 5)
                | rd,
        );
    }

    /// `movz rd, #imm16, lsl #shift`: `rd = imm16 << shift` (shift 0 or 16,
    /// also 32 or 48 at `S64`).
    pub fn movz(&mut self, size: Size, rd: Gpr, imm16: u16, shift: u32) {
        self.move_wide(0b10, size, rd, imm16, shift);
    }

    /// `movn rd, #imm16, lsl #shift`: `rd = !(imm16 << shift)`.
    pub fn movn(&mut self, size: Size, rd: Gpr, imm16: u16, shift: u32) {
        self.move_wide(0b00, size, rd, imm16, shift);
    }

    /// `movk rd, #imm16, lsl #shift`: replaces one halfword of `rd`.
    pub fn movk(&mut self, size: Size, rd: Gpr, imm16: u16, shift: u32) {
        self.move_wide(0b11, size, rd, imm16, shift);
    }

    /// Loads `value` (its low 32 bits at `S32`) into `rd` (X0..X30) with
    /// the shortest sequence: one `movz` or `movn`, one `orr` with a
    /// bitmask immediate, an `orr` and a `movk`, else a `movz` or `movn`
    /// followed by a `movk` per remaining halfword (at most 4
    /// instructions; [`mov_imm_len`] tells how many).
    pub fn mov_imm(&mut self, size: Size, rd: Gpr, value: u64) {
        if matches!(rd, Gpr::Sp | Gpr::Zr) {
            self.bad_register("mov_imm into sp or zr");
            return self.emit(UDF0);
        }
        for &step in imm::mov_imm_plan(size, value).steps() {
            match step {
                imm::MovStep::Movz(imm, shift) => self.movz(size, rd, imm, shift),
                imm::MovStep::Movn(imm, shift) => self.movn(size, rd, imm, shift),
                imm::MovStep::Movk(imm, shift) => self.movk(size, rd, imm, shift),
                imm::MovStep::Orr(bits) => self
                    .emit(size.sf() | 0x3200_0000 | (bits << 10) | (31 << 5) | u32::from(rd.enc())),
            }
        }
    }

    // ---- Branches -----------------------------------------------------------

    /// `b label` (±128 MiB).
    pub fn b(&mut self, label: Label) {
        self.emit_to_label(0x1400_0000, label, FixupKind::Imm26);
    }

    /// `bl label` (±128 MiB): calls, the return address in x30.
    pub fn bl(&mut self, label: Label) {
        self.emit_to_label(0x9400_0000, label, FixupKind::Imm26);
    }

    /// `b.cond label` (±1 MiB).
    pub fn b_cond(&mut self, cond: Cond, label: Label) {
        self.emit_to_label(0x5400_0000 | cond.enc(), label, FixupKind::Imm19);
    }

    /// `cbz rt, label`: branches if `rt` is zero (±1 MiB).
    pub fn cbz(&mut self, size: Size, rt: Gpr, label: Label) {
        let rt = self.rz(rt);
        self.emit_to_label(size.sf() | 0x3400_0000 | rt, label, FixupKind::Imm19);
    }

    /// `cbnz rt, label`: branches if `rt` is not zero (±1 MiB).
    pub fn cbnz(&mut self, size: Size, rt: Gpr, label: Label) {
        let rt = self.rz(rt);
        self.emit_to_label(size.sf() | 0x3500_0000 | rt, label, FixupKind::Imm19);
    }

    /// `tb(n)z`: `op` 0 for `tbz`, 1 for `tbnz`.
    fn test_branch(&mut self, op: u32, rt: Gpr, bit: u32, label: Label) {
        if bit >= 64 {
            return self.unencodable("a tested bit number above 63");
        }
        let rt = self.rz(rt);
        let word = ((bit >> 5) << 31) | 0x3600_0000 | (op << 24) | ((bit & 31) << 19) | rt;
        self.emit_to_label(word, label, FixupKind::Imm14);
    }

    /// `tbz rt, #bit, label`: branches if bit `bit` (0..=63) of `rt` is
    /// clear (±32 KiB).
    pub fn tbz(&mut self, rt: Gpr, bit: u32, label: Label) {
        self.test_branch(0, rt, bit, label);
    }

    /// `tbnz rt, #bit, label`: branches if bit `bit` (0..=63) of `rt` is
    /// set (±32 KiB).
    pub fn tbnz(&mut self, rt: Gpr, bit: u32, label: Label) {
        self.test_branch(1, rt, bit, label);
    }

    /// `br rn`: jumps to the address in `rn`.
    pub fn br(&mut self, rn: Gpr) {
        let rn = self.rz(rn);
        self.emit(0xd61f_0000 | (rn << 5));
    }

    /// `blr rn`: calls the address in `rn`, the return address in x30.
    pub fn blr(&mut self, rn: Gpr) {
        let rn = self.rz(rn);
        self.emit(0xd63f_0000 | (rn << 5));
    }

    /// `ret`: returns to the address in x30.
    pub fn ret(&mut self) {
        self.ret_to(Gpr::X30);
    }

    /// `ret rn`: returns to the address in `rn`.
    pub fn ret_to(&mut self, rn: Gpr) {
        let rn = self.rz(rn);
        self.emit(0xd65f_0000 | (rn << 5));
    }

    /// `adr rd, label`: the address of `label` (±1 MiB).
    pub fn adr(&mut self, rd: Gpr, label: Label) {
        let rd = self.rz(rd);
        self.emit_to_label(0x1000_0000 | rd, label, FixupKind::Adr21);
    }

    /// `ldr rt, label`: a 32- or 64-bit load from `label` (±1 MiB), for
    /// constants placed after the code.
    pub fn ldr_literal(&mut self, size: Size, rt: Gpr, label: Label) {
        let rt = self.rz(rt);
        let opc = match size {
            Size::S32 => 0x1800_0000,
            Size::S64 => 0x5800_0000,
        };
        self.emit_to_label(opc | rt, label, FixupKind::Imm19);
    }

    /// `ldr st/dt, label`: a float load from `label` (±1 MiB).
    pub fn ldr_literal_f(&mut self, size: FloatSize, vt: Fpr, label: Label) {
        let opc = match size {
            FloatSize::F32 => 0x1c00_0000,
            FloatSize::F64 => 0x5c00_0000,
        };
        self.emit_to_label(opc | u32::from(vt.enc()), label, FixupKind::Imm19);
    }

    // ---- Traps and system ---------------------------------------------------

    /// `udf #imm16`: permanently undefined (SIGILL); the immediate tells
    /// trap sites apart in a dump.
    pub fn udf(&mut self, imm16: u16) {
        self.emit(u32::from(imm16));
    }

    /// `brk #imm16`: a breakpoint (SIGTRAP).
    pub fn brk(&mut self, imm16: u16) {
        self.emit(0xd420_0000 | (u32::from(imm16) << 5));
    }

    /// `nop`.
    pub fn nop(&mut self) {
        self.emit(NOP);
    }

    /// `dmb option`: orders memory accesses before it against those after it.
    pub fn dmb(&mut self, option: Barrier) {
        self.emit(0xd503_30bf | ((option as u32) << 8));
    }

    /// `dsb option`: completes memory accesses before anything after it runs.
    pub fn dsb(&mut self, option: Barrier) {
        self.emit(0xd503_309f | ((option as u32) << 8));
    }

    /// `isb`: refetches the instructions after it (after code was written).
    pub fn isb(&mut self) {
        self.emit(0xd503_3fdf);
    }

    // ---- Data and padding ---------------------------------------------------

    /// Pads up to the next multiple of `to` bytes (a power of two): zero
    /// bytes up to a multiple of 4 (only after unaligned [`Assembler::bytes`]
    /// data), then `nop`s, so the padding is executable.
    pub fn align(&mut self, to: usize) {
        self.align_code(to, usize::MAX);
    }

    /// Pads with `nop`s (as [`Assembler::align`]) up to the next multiple
    /// of `to` bytes (a power of two), unless that takes more than
    /// `max_pad` bytes. An alignment that is not a power of two records an
    /// error.
    pub fn align_code(&mut self, to: usize, max_pad: usize) {
        if !to.is_power_of_two() {
            self.record(AsmError::Unencodable {
                at: self.here(),
                what: "an alignment that is not a power of two",
            });
            return;
        }
        let pad = (to - (self.buf.len() & (to - 1))) & (to - 1);
        if pad == 0 || pad > max_pad {
            return;
        }
        while !self.buf.len().is_multiple_of(4) {
            self.buf.push(0);
        }
        while self.buf.len() & (to - 1) != 0 {
            self.emit(NOP);
        }
    }

    /// Data: the 32-bit word `offset(target) - offset(base)`, patched by
    /// [`Assembler::finish`]. A jump table is a run of these with `base`
    /// bound at its first word; it is dispatched by
    /// `adr t, base; ldrsw i, [t, w_i, uxtw #2]; add t, t, i; br t`.
    pub fn label_diff32(&mut self, target: Label, base: Label) {
        let at = self.here();
        self.fixups.push(Fixup {
            at,
            label: target,
            kind: FixupKind::Diff32(base),
        });
        self.emit(0);
    }

    /// Appends `code`: instructions encoded before (a template of a fixed
    /// sequence, made once with this assembler and reused), with no labels,
    /// or data. Keep it a multiple of 4 bytes before the next instruction
    /// (or call [`Assembler::align`]).
    pub fn bytes(&mut self, code: &[u8]) {
        self.buf.extend_from_slice(code);
    }
}

#[cfg(test)]
mod tests;
