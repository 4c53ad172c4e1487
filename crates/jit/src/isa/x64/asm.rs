//! x86-64 machine-code encoder.
//!
//! [`Assembler`] appends encoded instructions to a byte buffer, tracks
//! [`Label`]s and the jumps that use them, and [`Assembler::finish`] patches
//! the jumps. It knows encodings, not wasm: choosing instructions is the
//! lowering layer's job.
//!
//! # Instruction format
//!
//! ```text
//! [66|F2|F3] [REX] [0F [38|3A]] opcode [ModRM] [SIB] [disp8|disp32] [imm]
//!
//! REX    = 0100 W R X B    W: 64-bit operand size
//!                          R: bit 3 of ModRM.reg
//!                          X: bit 3 of SIB.index
//!                          B: bit 3 of ModRM.rm, SIB.base or the opcode's register
//! ModRM  = mod:2 reg:3 rm:3     mod 00: [rm]  01: [rm+disp8]  10: [rm+disp32]  11: rm is a register
//! SIB    = scale:2 index:3 base:3
//! ```
//!
//! # Invariants
//!
//! - **REX exactly when needed**: emitted iff one of W/R/X/B is set, or an
//!   8-bit operand is spl/bpl/sil/dil (without a REX those encodings mean
//!   ah/ch/dh/bh, which this encoder never produces). Operations whose default
//!   size is 64 bits (push, pop, indirect jmp/call) never carry REX.W.
//! - **Prefix order**: the operand-size prefix `66` and the mandatory SSE
//!   prefixes `66`/`F2`/`F3` come first, REX comes immediately before the
//!   opcode bytes.
//! - **Shortest displacement**: none if it is 0, disp8 if it fits in `i8`,
//!   else disp32.
//! - **rsp/r12 base**: ModRM.rm = 100 means "a SIB byte follows", so a base
//!   whose low three bits are 100 always gets a SIB byte (index 100 = none).
//! - **rbp/r13 base**: mod = 00 with rm = 101 means RIP-relative (and SIB
//!   base = 101 with mod = 00 means "no base"), so a base whose low three bits
//!   are 101 with displacement 0 is encoded as mod = 01 with a zero disp8.
//! - **Index**: SIB.index = 100 without REX.X means "no index", so rsp can
//!   never be an index register; r12 (REX.X = 1) can.
//! - **Immediates** follow the displacement; the sign-extended imm8 form is
//!   used whenever the value fits (and the short `rax` forms where shorter).
//! - **Jumps**: a jump to a label already bound within rel8 range uses the
//!   two-byte form; every other jump gets a rel32 that [`Assembler::finish`]
//!   patches. A rel32 field is always the last four bytes of its instruction,
//!   so it is relative to the field's offset + 4.
//! - **Data**: [`Assembler::label_diff32`] appends a 4-byte word, not an
//!   instruction: the distance from one label to another (jump-table
//!   entries), patched by [`Assembler::finish`]. [`Assembler::align`] pads
//!   with `int3`. The caller places data where execution never reaches (after
//!   an unconditional jump or the final `ret`).
//!
//! # Panics
//!
//! Methods panic on operand combinations x86-64 cannot encode (a size the
//! instruction does not have, rsp as an index). Those are bugs in the caller
//! and never depend on wasm input. Label misuse is reported by
//! [`Assembler::finish`] as an [`AsmError`].

use std::fmt;

use super::regs::{Gpr, Xmm};

/// An integer operand size.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub enum Size {
    /// 8 bits (byte).
    S8,
    /// 16 bits (word).
    S16,
    /// 32 bits (doubleword).
    S32,
    /// 64 bits (quadword).
    S64,
}

impl Size {
    /// All sizes, smallest first.
    pub const ALL: [Size; 4] = [Size::S8, Size::S16, Size::S32, Size::S64];

    /// The size in bytes.
    pub const fn bytes(self) -> u32 {
        match self {
            Size::S8 => 1,
            Size::S16 => 2,
            Size::S32 => 4,
            Size::S64 => 8,
        }
    }
}

/// The scale factor of an index register.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub enum Scale {
    /// index * 1
    X1,
    /// index * 2
    X2,
    /// index * 4
    X4,
    /// index * 8
    X8,
}

impl Scale {
    /// All scales, smallest first.
    pub const ALL: [Scale; 4] = [Scale::X1, Scale::X2, Scale::X4, Scale::X8];

    /// The SIB.scale field (log2 of the factor).
    pub const fn log2(self) -> u8 {
        self as u8
    }

    /// The multiplication factor (1, 2, 4 or 8).
    pub const fn factor(self) -> u32 {
        1 << self as u32
    }
}

/// A memory operand `[base + index * scale + disp]`.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub struct Mem {
    /// The base register.
    pub base: Gpr,
    /// The optional scaled index register; must not be rsp.
    pub index: Option<(Gpr, Scale)>,
    /// The signed displacement.
    pub disp: i32,
}

impl Mem {
    /// `[base + disp]`.
    pub const fn new(base: Gpr, disp: i32) -> Mem {
        Mem {
            base,
            index: None,
            disp,
        }
    }

    /// `[base + index * scale + disp]`.
    pub const fn indexed(base: Gpr, index: Gpr, scale: Scale, disp: i32) -> Mem {
        Mem {
            base,
            index: Some((index, scale)),
            disp,
        }
    }
}

/// An x86 condition code (the low nibble of `jcc`/`setcc`/`cmovcc`).
///
/// After `cmp a, b`: signed `L/Le/G/Ge`, unsigned `B/Be/A/Ae`. After
/// `ucomiss/ucomisd a, b`: unordered (either is NaN) sets ZF, PF and CF, so
/// `A` (a > b) and `Ae` (a >= b) are false when unordered while `B`, `Be` and
/// `E` are true; `P` tells unordered apart.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub enum Cond {
    /// Overflow (OF = 1).
    O = 0x0,
    /// No overflow (OF = 0).
    No = 0x1,
    /// Unsigned below / carry (CF = 1).
    B = 0x2,
    /// Unsigned above or equal / no carry (CF = 0).
    Ae = 0x3,
    /// Equal / zero (ZF = 1).
    E = 0x4,
    /// Not equal / not zero (ZF = 0).
    Ne = 0x5,
    /// Unsigned below or equal (CF = 1 or ZF = 1).
    Be = 0x6,
    /// Unsigned above (CF = 0 and ZF = 0).
    A = 0x7,
    /// Sign (SF = 1).
    S = 0x8,
    /// No sign (SF = 0).
    Ns = 0x9,
    /// Parity even (PF = 1); unordered after ucomiss/ucomisd.
    P = 0xa,
    /// Parity odd (PF = 0); ordered after ucomiss/ucomisd.
    Np = 0xb,
    /// Signed less (SF != OF).
    L = 0xc,
    /// Signed greater or equal (SF = OF).
    Ge = 0xd,
    /// Signed less or equal (ZF = 1 or SF != OF).
    Le = 0xe,
    /// Signed greater (ZF = 0 and SF = OF).
    G = 0xf,
}

impl Cond {
    /// All sixteen conditions in encoding order.
    pub const ALL: [Cond; 16] = [
        Cond::O,
        Cond::No,
        Cond::B,
        Cond::Ae,
        Cond::E,
        Cond::Ne,
        Cond::Be,
        Cond::A,
        Cond::S,
        Cond::Ns,
        Cond::P,
        Cond::Np,
        Cond::L,
        Cond::Ge,
        Cond::Le,
        Cond::G,
    ];

    /// The 4-bit encoding.
    pub const fn enc(self) -> u8 {
        self as u8
    }

    /// The opposite condition (true exactly when `self` is false).
    pub const fn invert(self) -> Cond {
        Cond::ALL[(self as u8 ^ 1) as usize]
    }
}

/// A two-operand integer ALU operation; the discriminant is its ModRM.reg extension.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub enum AluOp {
    /// `add`
    Add = 0,
    /// `or`
    Or = 1,
    /// `and`
    And = 4,
    /// `sub`
    Sub = 5,
    /// `xor`
    Xor = 6,
    /// `cmp` (sets flags like `sub`, writes nothing)
    Cmp = 7,
}

impl AluOp {
    /// All ALU operations.
    pub const ALL: [AluOp; 6] = [
        AluOp::Add,
        AluOp::Or,
        AluOp::And,
        AluOp::Sub,
        AluOp::Xor,
        AluOp::Cmp,
    ];
}

/// A shift or rotate; the discriminant is its ModRM.reg extension.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub enum ShiftOp {
    /// Rotate left.
    Rol = 0,
    /// Rotate right.
    Ror = 1,
    /// Shift left.
    Shl = 4,
    /// Logical shift right.
    Shr = 5,
    /// Arithmetic shift right.
    Sar = 7,
}

impl ShiftOp {
    /// All shifts and rotates.
    pub const ALL: [ShiftOp; 5] = [
        ShiftOp::Rol,
        ShiftOp::Ror,
        ShiftOp::Shl,
        ShiftOp::Shr,
        ShiftOp::Sar,
    ];
}

/// A zero or sign extension: source width to destination width.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub enum ExtMode {
    /// 8 -> 32 bits.
    BL,
    /// 8 -> 64 bits.
    BQ,
    /// 16 -> 32 bits.
    WL,
    /// 16 -> 64 bits.
    WQ,
    /// 32 -> 64 bits.
    LQ,
}

impl ExtMode {
    /// All extension modes.
    pub const ALL: [ExtMode; 5] = [
        ExtMode::BL,
        ExtMode::BQ,
        ExtMode::WL,
        ExtMode::WQ,
        ExtMode::LQ,
    ];

    /// The source size.
    pub const fn from(self) -> Size {
        match self {
            ExtMode::BL | ExtMode::BQ => Size::S8,
            ExtMode::WL | ExtMode::WQ => Size::S16,
            ExtMode::LQ => Size::S32,
        }
    }

    /// The destination size.
    pub const fn to(self) -> Size {
        match self {
            ExtMode::BL | ExtMode::WL => Size::S32,
            ExtMode::BQ | ExtMode::WQ | ExtMode::LQ => Size::S64,
        }
    }
}

/// A position in the code, bound once, usable by jumps before and after binding.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub struct Label(u32);

impl Label {
    /// The label's index within its assembler.
    pub const fn index(self) -> u32 {
        self.0
    }
}

/// A label-related error found by [`Assembler::finish`] (a bug in the code generator).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum AsmError {
    /// A jump uses a label that was never bound.
    UnboundLabel(Label),
    /// A label was bound twice.
    LabelBoundTwice(Label),
    /// A label from another assembler was used or bound (caught when its index is out of range here).
    ForeignLabel(Label),
    /// A jump distance does not fit in 32 bits.
    JumpOutOfRange(Label),
}

impl fmt::Display for AsmError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AsmError::UnboundLabel(l) => write!(f, "label {} is used but never bound", l.0),
            AsmError::LabelBoundTwice(l) => write!(f, "label {} is bound twice", l.0),
            AsmError::ForeignLabel(l) => {
                write!(f, "label {} does not belong to this assembler", l.0)
            }
            AsmError::JumpOutOfRange(l) => {
                write!(f, "jump to label {} does not fit in a rel32", l.0)
            }
        }
    }
}

impl std::error::Error for AsmError {}

/// A 4-byte field to patch with the distance to a label.
#[derive(Clone, Copy, Debug)]
struct Fixup {
    /// Offset of the 4-byte field.
    at: usize,
    label: Label,
    /// Where the distance is measured from.
    origin: Origin,
}

/// The origin of a patched distance.
#[derive(Clone, Copy, Debug)]
enum Origin {
    /// The end of the field (`at + 4`): a rel32 ending its instruction.
    FieldEnd,
    /// Another label: a data word `label - base`.
    Label(Label),
}

/// The r/m operand of a ModRM-encoded instruction: a register encoding or memory.
#[derive(Clone, Copy)]
enum Rm {
    Reg(u8),
    Mem(Mem),
}

/// The operand-size prefix `66` for 16-bit operations.
const fn opsize_prefix(size: Size) -> Option<u8> {
    match size {
        Size::S16 => Some(0x66),
        _ => None,
    }
}

/// Picks the 8-bit or the 16/32/64-bit opcode.
const fn sized(size: Size, op8: u8, op: u8) -> u8 {
    match size {
        Size::S8 => op8,
        _ => op,
    }
}

/// Panics unless `size` is 32 or 64 bits.
#[track_caller]
fn assert_32_64(size: Size, what: &str) {
    assert!(
        matches!(size, Size::S32 | Size::S64),
        "x64 encoder: {what} has no {size:?} form"
    );
}

/// The bytes of one instruction being encoded (at most 15 on x86-64),
/// written in place into the 16 bytes of room past the end of the code
/// (see [`Assembler::room`]); the code then grows by their number.
/// (Assembling them elsewhere and copying them over in one wide move
/// stalls on the narrow stores that built them.)
struct InstBytes<'a> {
    out: &'a mut [u8; 16],
    len: usize,
}

impl InstBytes<'_> {
    fn push(&mut self, b: u8) {
        debug_assert!(self.len < 16, "x64 encoder: instruction too long");
        // (The mask spares a bounds check: no encoding here is longer than
        // 11 bytes before its immediate.)
        self.out[self.len & 15] = b;
        self.len += 1;
    }

    /// `[prefix] [REX] opcode`: the REX only if it sets a bit or is forced.
    #[inline(always)]
    fn head(&mut self, prefix: Option<u8>, rex: u8, force_rex: bool, opcode: &[u8]) {
        if let Some(p) = prefix {
            self.push(p);
        }
        if rex != 0x40 || force_rex {
            self.push(rex);
        }
        // Opcodes have one to three bytes: spelled out, they are stores
        // rather than a call to memcpy.
        match *opcode {
            [a] => self.push(a),
            [a, b] => {
                self.push(a);
                self.push(b);
            }
            [a, b, c] => {
                self.push(a);
                self.push(b);
                self.push(c);
            }
            _ => {
                for &op in opcode {
                    self.push(op);
                }
            }
        }
    }

    /// ModRM, SIB and displacement for a memory operand; `reg` is already shifted.
    fn mem_operand(&mut self, reg: u8, m: Mem) {
        let base = m.base.low3();
        // mod = 00 with base 101 would mean RIP-relative / no base.
        let (md, disp8) = if m.disp == 0 && base != 0b101 {
            (0b00, None)
        } else if let Ok(d) = i8::try_from(m.disp) {
            (0b01, Some(d))
        } else {
            (0b10, None)
        };
        match m.index {
            // rm = 100 means "SIB follows", so an rsp/r12 base needs a SIB.
            None if base != 0b100 => self.push((md << 6) | reg | base),
            None => {
                self.push((md << 6) | reg | 0b100);
                self.push(0x24); // scale 0, index 100 (none), base 100
            }
            Some((index, scale)) => {
                assert!(
                    index != Gpr::Rsp,
                    "x64 encoder: rsp cannot be an index register"
                );
                self.push((md << 6) | reg | 0b100);
                self.push((scale.log2() << 6) | (index.low3() << 3) | base);
            }
        }
        match md {
            0b00 => {}
            0b01 => self.push(disp8.unwrap_or(0) as u8),
            _ => {
                for b in m.disp.to_le_bytes() {
                    self.push(b);
                }
            }
        }
    }
}

/// Post-invariant of every emitting method: exactly one instruction was
/// appended (or, for the data methods, one data word or the padding), and
/// every rel32 naming a label not yet bound has a fixup (a rel32 to a bound
/// label is final when emitted; a data word always has a fixup).
#[derive(Default, Debug)]
pub struct Assembler {
    /// The code is `buf[..len]`; the bytes after it are room to encode the
    /// next instruction in place (garbage until written).
    buf: Vec<u8>,
    len: usize,
    /// Bound offset of each label, by index.
    labels: Vec<Option<usize>>,
    fixups: Vec<Fixup>,
    /// The latest offset a label was bound at.
    last_bound: Option<usize>,
    /// The first label misuse, reported by `finish`.
    error: Option<AsmError>,
}

impl Assembler {
    /// An empty assembler.
    pub fn new() -> Assembler {
        Assembler::default()
    }

    /// An empty assembler whose buffer has room for `bytes` bytes of code
    /// (and its label and fixup tables for about one label and one jump
    /// per 32 bytes, so they rarely grow).
    pub fn with_capacity(bytes: usize) -> Assembler {
        Assembler {
            buf: vec![0; bytes + 16],
            len: 0,
            labels: Vec::with_capacity(bytes / 32 + 4),
            fixups: Vec::with_capacity(bytes / 32 + 4),
            last_bound: None,
            error: None,
        }
    }

    /// Empty the assembler for new code (labels and fixups too), keeping
    /// its buffers, with room for `bytes` bytes of code.
    pub fn reset(&mut self, bytes: usize) {
        self.len = 0;
        if self.buf.len() < bytes + 16 {
            self.buf.resize((bytes + 16).max(2 * self.buf.len()), 0);
        }
        self.labels.clear();
        self.fixups.clear();
        self.last_bound = None;
        self.error = None;
    }

    /// The capacity of the code buffer.
    pub fn capacity(&self) -> usize {
        self.buf.capacity()
    }

    /// The current code offset (where the next instruction goes).
    pub fn offset(&self) -> usize {
        self.len
    }

    /// The code emitted so far (rel32 fields of forward jumps not yet patched).
    pub fn code(&self) -> &[u8] {
        &self.buf[..self.len]
    }

    /// Creates a new, unbound label.
    pub fn new_label(&mut self) -> Label {
        let label = Label(self.labels.len() as u32);
        self.labels.push(None);
        label
    }

    /// Binds `label` to the current offset.
    pub fn bind(&mut self, label: Label) {
        // A `jmp` to this label that just ended is a jump to the next
        // instruction: drop it and fall through.
        if let Some(&Fixup {
            at,
            label: l,
            origin: Origin::FieldEnd,
        }) = self.fixups.last()
        {
            // (Not when another label is bound after the jmp's start: it
            // would point past the code.)
            let jmp_last = at + 4 == self.len && at >= 1 && self.buf[at - 1] == 0xe9;
            if l == label && jmp_last && self.last_bound.is_none_or(|b| b < at) {
                self.fixups.pop();
                self.len = at - 1;
            }
        }
        let here = self.len;
        match self.labels.get_mut(label.0 as usize) {
            Some(slot @ None) => {
                *slot = Some(here);
                self.last_bound = Some(here);
            }
            Some(Some(_)) => self.record(AsmError::LabelBoundTwice(label)),
            None => self.record(AsmError::ForeignLabel(label)),
        }
    }

    /// The offset `label` is bound to, if it is bound.
    pub fn label_offset(&self, label: Label) -> Option<usize> {
        self.labels.get(label.0 as usize).copied().flatten()
    }

    /// Patches every jump and returns the code, or the first label misuse.
    pub fn finish(mut self) -> Result<Vec<u8>, AsmError> {
        self.patch()?;
        self.buf.truncate(self.len);
        Ok(self.buf)
    }

    /// [`Assembler::finish`], returning a copy of the code (of its exact
    /// size) and keeping the assembler's buffers for [`Assembler::reset`].
    pub fn finish_copy(&mut self) -> Result<Vec<u8>, AsmError> {
        self.patch()?;
        Ok(self.buf[..self.len].to_vec())
    }

    /// Patches every jump, or reports the first label misuse.
    fn patch(&mut self) -> Result<(), AsmError> {
        if let Some(e) = self.error {
            return Err(e);
        }
        for f in &self.fixups {
            let target = self.bound(f.label)?;
            let origin = match f.origin {
                Origin::FieldEnd => f.at + 4,
                Origin::Label(base) => self.bound(base)?,
            };
            let rel = i32::try_from(target as i64 - origin as i64)
                .map_err(|_| AsmError::JumpOutOfRange(f.label))?;
            self.buf[f.at..f.at + 4].copy_from_slice(&rel.to_le_bytes());
        }
        Ok(())
    }

    /// The offset of `label`, or the error that it has none.
    fn bound(&self, label: Label) -> Result<usize, AsmError> {
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

    /// The 16 bytes of room after the code (grown when short).
    #[inline]
    fn room(&mut self) -> &mut [u8; 16] {
        if self.buf.len() < self.len + 16 {
            self.grow();
        }
        (&mut self.buf[self.len..self.len + 16])
            .try_into()
            .expect("16 bytes")
    }

    #[cold]
    fn grow(&mut self) {
        let n = (2 * self.buf.len()).max(self.len + 16).max(256);
        self.buf.resize(n, 0);
    }

    /// Appends `bytes` (at most 16; callers pass a few, of a known number,
    /// so this inlines to plain stores rather than a call to memcpy).
    #[inline(always)]
    fn put(&mut self, bytes: &[u8]) {
        let n = bytes.len();
        self.room()[..n].copy_from_slice(bytes);
        self.len += n;
    }

    fn byte(&mut self, b: u8) {
        self.room()[0] = b;
        self.len += 1;
    }

    fn imm(&mut self, size: Size, value: i64) {
        match size {
            Size::S8 => self.byte(value as u8),
            Size::S16 => self.put(&(value as i16).to_le_bytes()),
            Size::S32 | Size::S64 => self.put(&(value as i32).to_le_bytes()),
        }
    }

    /// Emits `[prefix] [REX] opcode` for an instruction whose register is in the opcode's low bits.
    fn op_reg(&mut self, prefix: Option<u8>, w: bool, force_rex: bool, opcode: u8, reg: u8) {
        let mut e = InstBytes {
            out: self.room(),
            len: 0,
        };
        if let Some(p) = prefix {
            e.push(p);
        }
        let rex = 0x40 | (u8::from(w) << 3) | (reg >> 3);
        if rex != 0x40 || force_rex {
            e.push(rex);
        }
        e.push(opcode | (reg & 7));
        self.len += e.len;
    }

    /// Emits `[prefix] [REX] opcode ModRM [SIB] [disp]`; `reg` is a register
    /// encoding or an opcode extension, `force_rex` requests a REX for a
    /// spl/bpl/sil/dil operand. The bytes are written in place (see
    /// [`InstBytes`]).
    #[inline(always)]
    fn modrm(
        &mut self,
        prefix: Option<u8>,
        w: bool,
        force_rex: bool,
        opcode: &[u8],
        reg: u8,
        rm: Rm,
    ) {
        // Split by operand kind, so that a call site with a known kind
        // (most: a register or a memory operand by construction) only
        // carries the code of its own.
        match rm {
            Rm::Reg(r) => self.modrm_reg(prefix, w, force_rex, opcode, reg, r),
            Rm::Mem(m) => self.modrm_mem(prefix, w, force_rex, opcode, reg, m),
        }
    }

    /// [`Assembler::modrm`] with a register operand.
    #[inline]
    fn modrm_reg(
        &mut self,
        prefix: Option<u8>,
        w: bool,
        force_rex: bool,
        opcode: &[u8],
        reg: u8,
        rm: u8,
    ) {
        let mut e = InstBytes {
            out: self.room(),
            len: 0,
        };
        let rex = 0x40 | (u8::from(w) << 3) | ((reg >> 3) << 2) | (rm >> 3);
        e.head(prefix, rex, force_rex, opcode);
        e.push(0xc0 | ((reg & 7) << 3) | (rm & 7));
        self.len += e.len;
    }

    /// [`Assembler::modrm`] with a memory operand.
    #[inline(never)]
    fn modrm_mem(
        &mut self,
        prefix: Option<u8>,
        w: bool,
        force_rex: bool,
        opcode: &[u8],
        reg: u8,
        m: Mem,
    ) {
        let mut e = InstBytes {
            out: self.room(),
            len: 0,
        };
        let x = m.index.map_or(0, |(i, _)| i.enc() >> 3);
        let rex = 0x40 | (u8::from(w) << 3) | ((reg >> 3) << 2) | (x << 1) | (m.base.enc() >> 3);
        e.head(prefix, rex, force_rex, opcode);
        e.mem_operand((reg & 7) << 3, m);
        self.len += e.len;
    }

    /// An integer instruction with operand size `size`: adds `66`, REX.W and
    /// the byte-register REX as needed. `reg_is_gpr` tells whether ModRM.reg
    /// names a register (rather than an opcode extension).
    #[inline(always)]
    fn int_op(&mut self, size: Size, opcode: &[u8], reg: u8, reg_is_gpr: bool, rm: Rm) {
        let force_rex = size == Size::S8
            && ((reg_is_gpr && byte_needs_rex(reg))
                || matches!(rm, Rm::Reg(r) if byte_needs_rex(r)));
        self.modrm(
            opsize_prefix(size),
            size == Size::S64,
            force_rex,
            opcode,
            reg,
            rm,
        );
    }

    /// An SSE instruction: mandatory prefix, optional REX.W, `0F`-escaped opcode.
    fn sse_op(&mut self, prefix: Option<u8>, w: bool, opcode: &[u8], reg: u8, rm: Rm) {
        self.modrm(prefix, w, false, opcode, reg, rm);
    }

    /// A jump to `label`: the short form `short_op rel8` when the label is bound
    /// close behind, else `long_op rel32`.
    #[inline(always)]
    fn jump(&mut self, short_op: &[u8], long_op: &[u8], label: Label) {
        let here = self.len;
        if let Some(target) = self.label_offset(label) {
            let short_end = here + short_op.len() + 1;
            if let Ok(rel) = i8::try_from(target as i64 - short_end as i64) {
                self.put(short_op);
                self.byte(rel as u8);
                return;
            }
        }
        self.put(long_op);
        self.rel32(label);
    }

    /// Appends the rel32 to `label` that ends the current instruction: the
    /// final distance if the label is bound, else a placeholder and a fixup.
    fn rel32(&mut self, label: Label) {
        let at = self.len;
        let rel = match self.label_offset(label) {
            Some(target) => i32::try_from(target as i64 - (at as i64 + 4)).unwrap_or_else(|_| {
                self.record(AsmError::JumpOutOfRange(label));
                0
            }),
            None => {
                self.fixups.push(Fixup {
                    at,
                    label,
                    origin: Origin::FieldEnd,
                });
                0
            }
        };
        self.put(&rel.to_le_bytes());
    }

    // ---- Moves --------------------------------------------------------------

    /// `mov dst, src` between registers (a 32-bit move zeroes the upper half).
    pub fn mov_rr(&mut self, size: Size, dst: Gpr, src: Gpr) {
        let op = sized(size, 0x88, 0x89);
        self.int_op(size, &[op], src.enc(), true, Rm::Reg(dst.enc()));
    }

    /// `mov dst, imm`, `imm` truncated to `size`; at `S64` it is sign-extended from 32 bits.
    pub fn mov_ri(&mut self, size: Size, dst: Gpr, imm: i32) {
        match size {
            Size::S8 => self.op_reg(None, false, dst.byte_needs_rex(), 0xb0, dst.enc()),
            Size::S16 | Size::S32 => {
                self.op_reg(opsize_prefix(size), false, false, 0xb8, dst.enc())
            }
            Size::S64 => self.modrm(None, true, false, &[0xc7], 0, Rm::Reg(dst.enc())),
        }
        self.imm(size, imm.into());
    }

    /// `movabs dst, imm64`: always the 10-byte form.
    pub fn movabs(&mut self, dst: Gpr, imm: u64) {
        self.op_reg(None, true, false, 0xb8, dst.enc());
        self.put(&imm.to_le_bytes());
    }

    /// Loads a 64-bit constant with the shortest `mov` (zero-extending imm32, sign-extending imm32 or movabs).
    pub fn mov_imm64(&mut self, dst: Gpr, imm: u64) {
        if let Ok(v) = u32::try_from(imm) {
            self.mov_ri(Size::S32, dst, v as i32);
        } else if let Ok(v) = i32::try_from(imm as i64) {
            self.mov_ri(Size::S64, dst, v);
        } else {
            self.movabs(dst, imm);
        }
    }

    /// `mov dst, [mem]`: a load of `size` bits (8/16-bit loads keep the rest of `dst`).
    pub fn load(&mut self, size: Size, dst: Gpr, mem: Mem) {
        let op = sized(size, 0x8a, 0x8b);
        self.int_op(size, &[op], dst.enc(), true, Rm::Mem(mem));
    }

    /// `mov [mem], src`: a store of the low `size` bits of `src`.
    pub fn store(&mut self, size: Size, mem: Mem, src: Gpr) {
        let op = sized(size, 0x88, 0x89);
        self.int_op(size, &[op], src.enc(), true, Rm::Mem(mem));
    }

    /// `mov [mem], imm`: a store of `imm` truncated to `size` (sign-extended from 32 bits at `S64`).
    pub fn store_imm(&mut self, size: Size, mem: Mem, imm: i32) {
        let op = sized(size, 0xc6, 0xc7);
        self.int_op(size, &[op], 0, false, Rm::Mem(mem));
        self.imm(size, imm.into());
    }

    /// `movzx dst, src` (zero extension; to 64 bits via the 32-bit form, `LQ` is `mov r32, r32`).
    pub fn movzx_rr(&mut self, ext: ExtMode, dst: Gpr, src: Gpr) {
        match ext.from() {
            Size::S8 => self.modrm(
                None,
                false,
                src.byte_needs_rex(),
                &[0x0f, 0xb6],
                dst.enc(),
                Rm::Reg(src.enc()),
            ),
            Size::S16 => self.modrm(
                None,
                false,
                false,
                &[0x0f, 0xb7],
                dst.enc(),
                Rm::Reg(src.enc()),
            ),
            _ => self.mov_rr(Size::S32, dst, src),
        }
    }

    /// `movzx dst, [mem]` (zero-extending load; to 64 bits via the 32-bit form, `LQ` is `mov r32, [mem]`).
    pub fn movzx_rm(&mut self, ext: ExtMode, dst: Gpr, mem: Mem) {
        match ext.from() {
            Size::S8 => self.modrm(None, false, false, &[0x0f, 0xb6], dst.enc(), Rm::Mem(mem)),
            Size::S16 => self.modrm(None, false, false, &[0x0f, 0xb7], dst.enc(), Rm::Mem(mem)),
            _ => self.load(Size::S32, dst, mem),
        }
    }

    /// `movsx dst, src` (sign extension; `LQ` is `movsxd`).
    pub fn movsx_rr(&mut self, ext: ExtMode, dst: Gpr, src: Gpr) {
        let w = ext.to() == Size::S64;
        match ext.from() {
            Size::S8 => self.modrm(
                None,
                w,
                src.byte_needs_rex(),
                &[0x0f, 0xbe],
                dst.enc(),
                Rm::Reg(src.enc()),
            ),
            Size::S16 => self.modrm(None, w, false, &[0x0f, 0xbf], dst.enc(), Rm::Reg(src.enc())),
            _ => self.modrm(None, true, false, &[0x63], dst.enc(), Rm::Reg(src.enc())),
        }
    }

    /// `movsx dst, [mem]` (sign-extending load; `LQ` is `movsxd`).
    pub fn movsx_rm(&mut self, ext: ExtMode, dst: Gpr, mem: Mem) {
        let w = ext.to() == Size::S64;
        let opcode: &[u8] = match ext.from() {
            Size::S8 => &[0x0f, 0xbe],
            Size::S16 => &[0x0f, 0xbf],
            _ => &[0x63],
        };
        self.modrm(None, w, false, opcode, dst.enc(), Rm::Mem(mem));
    }

    /// `lea dst, [mem]` (`S32` or `S64`).
    pub fn lea(&mut self, size: Size, dst: Gpr, mem: Mem) {
        assert_32_64(size, "lea");
        self.modrm(
            None,
            size == Size::S64,
            false,
            &[0x8d],
            dst.enc(),
            Rm::Mem(mem),
        );
    }

    /// `lea dst, [rip + label]`: the 64-bit address of `label`.
    pub fn lea_label(&mut self, dst: Gpr, label: Label) {
        let rex = 0x48 | ((dst.enc() >> 3) << 2);
        self.put(&[rex, 0x8d, 0x05 | (dst.low3() << 3)]);
        self.rel32(label);
    }

    // ---- Integer arithmetic -------------------------------------------------

    /// `op dst, src` (add/or/and/sub/xor/cmp) between registers.
    pub fn alu_rr(&mut self, op: AluOp, size: Size, dst: Gpr, src: Gpr) {
        let opcode = ((op as u8) << 3) | sized(size, 0x00, 0x01);
        self.int_op(size, &[opcode], src.enc(), true, Rm::Reg(dst.enc()));
    }

    /// `op dst, imm`, `imm` truncated to `size` (sign-extended from 32 bits at `S64`); imm8 form when it fits.
    pub fn alu_ri(&mut self, op: AluOp, size: Size, dst: Gpr, imm: i32) {
        let ext = op as u8;
        let imm: i64 = match size {
            Size::S8 => (imm as i8).into(),
            Size::S16 => (imm as i16).into(),
            Size::S32 | Size::S64 => imm.into(),
        };
        if size == Size::S8 {
            if dst == Gpr::Rax {
                self.byte((ext << 3) | 0x04);
            } else {
                self.int_op(size, &[0x80], ext, false, Rm::Reg(dst.enc()));
            }
            self.imm(size, imm);
        } else if let Ok(imm8) = i8::try_from(imm) {
            self.int_op(size, &[0x83], ext, false, Rm::Reg(dst.enc()));
            self.byte(imm8 as u8);
        } else if dst == Gpr::Rax {
            self.op_reg(
                opsize_prefix(size),
                size == Size::S64,
                false,
                (ext << 3) | 0x05,
                0,
            );
            self.imm(size, imm);
        } else {
            self.int_op(size, &[0x81], ext, false, Rm::Reg(dst.enc()));
            self.imm(size, imm);
        }
    }

    /// `op dst, [mem]` (add/or/and/sub/xor/cmp).
    /// `op [mem], imm` (read-modify-write; `cmp` only reads).
    pub fn alu_mi(&mut self, op: AluOp, size: Size, mem: Mem, imm: i32) {
        let ext = op as u8;
        match (size, i8::try_from(imm)) {
            (Size::S8, _) => {
                self.int_op(size, &[0x80], ext, false, Rm::Mem(mem));
                self.byte(imm as u8);
            }
            (_, Ok(imm8)) => {
                self.int_op(size, &[0x83], ext, false, Rm::Mem(mem));
                self.byte(imm8 as u8);
            }
            (_, Err(_)) => {
                self.int_op(size, &[0x81], ext, false, Rm::Mem(mem));
                let imm: i64 = if size == Size::S16 {
                    (imm as i16).into()
                } else {
                    imm.into()
                };
                self.imm(size, imm);
            }
        }
    }

    pub fn alu_rm(&mut self, op: AluOp, size: Size, dst: Gpr, mem: Mem) {
        let opcode = ((op as u8) << 3) | sized(size, 0x02, 0x03);
        self.int_op(size, &[opcode], dst.enc(), true, Rm::Mem(mem));
    }

    /// `op [mem], src` (add/or/and/sub/xor/cmp).
    pub fn alu_mr(&mut self, op: AluOp, size: Size, mem: Mem, src: Gpr) {
        let opcode = ((op as u8) << 3) | sized(size, 0x00, 0x01);
        self.int_op(size, &[opcode], src.enc(), true, Rm::Mem(mem));
    }

    /// `test a, b`: flags of `a & b`.
    pub fn test_rr(&mut self, size: Size, a: Gpr, b: Gpr) {
        let op = sized(size, 0x84, 0x85);
        self.int_op(size, &[op], b.enc(), true, Rm::Reg(a.enc()));
    }

    /// `test r, imm`: flags of `r & imm`, `imm` truncated to `size` (sign-extended from 32 bits at `S64`).
    pub fn test_ri(&mut self, size: Size, r: Gpr, imm: i32) {
        if r == Gpr::Rax {
            let op = sized(size, 0xa8, 0xa9);
            self.op_reg(opsize_prefix(size), size == Size::S64, false, op, 0);
        } else {
            let op = sized(size, 0xf6, 0xf7);
            self.int_op(size, &[op], 0, false, Rm::Reg(r.enc()));
        }
        self.imm(size, imm.into());
    }

    /// `test [mem], r`: flags of `[mem] & r`.
    pub fn test_mr(&mut self, size: Size, mem: Mem, r: Gpr) {
        let op = sized(size, 0x84, 0x85);
        self.int_op(size, &[op], r.enc(), true, Rm::Mem(mem));
    }

    /// `imul dst, src` (`S32` or `S64`): the low half of the signed or unsigned product.
    pub fn imul_rr(&mut self, size: Size, dst: Gpr, src: Gpr) {
        assert_32_64(size, "imul");
        self.int_op(size, &[0x0f, 0xaf], dst.enc(), true, Rm::Reg(src.enc()));
    }

    /// `imul dst, [mem]` (`S32` or `S64`).
    pub fn imul_rm(&mut self, size: Size, dst: Gpr, mem: Mem) {
        assert_32_64(size, "imul");
        self.int_op(size, &[0x0f, 0xaf], dst.enc(), true, Rm::Mem(mem));
    }

    /// `imul dst, src, imm` (`S32` or `S64`); imm8 form when it fits.
    pub fn imul_rri(&mut self, size: Size, dst: Gpr, src: Gpr, imm: i32) {
        assert_32_64(size, "imul");
        if let Ok(imm8) = i8::try_from(imm) {
            self.int_op(size, &[0x6b], dst.enc(), true, Rm::Reg(src.enc()));
            self.byte(imm8 as u8);
        } else {
            self.int_op(size, &[0x69], dst.enc(), true, Rm::Reg(src.enc()));
            self.imm(size, imm.into());
        }
    }

    /// `neg r` (two's complement negation).
    pub fn neg(&mut self, size: Size, r: Gpr) {
        self.group3(size, 3, r);
    }

    /// `not r` (bitwise complement).
    pub fn not(&mut self, size: Size, r: Gpr) {
        self.group3(size, 2, r);
    }

    /// `div r`: unsigned divide of rdx:rax (edx:eax, ax) by `r`; quotient in rax, remainder in rdx.
    /// rdx:rax = rax * r, unsigned.
    pub fn mul(&mut self, size: Size, r: Gpr) {
        self.group3(size, 4, r);
    }

    pub fn div(&mut self, size: Size, r: Gpr) {
        self.group3(size, 6, r);
    }

    /// `idiv r`: signed divide of rdx:rax (edx:eax, ax) by `r`; quotient in rax, remainder in rdx.
    pub fn idiv(&mut self, size: Size, r: Gpr) {
        self.group3(size, 7, r);
    }

    /// Group 3 (`F6`/`F7 /ext`) on a register.
    fn group3(&mut self, size: Size, ext: u8, r: Gpr) {
        let op = sized(size, 0xf6, 0xf7);
        self.int_op(size, &[op], ext, false, Rm::Reg(r.enc()));
    }

    /// `cdq`: sign-extends eax into edx.
    pub fn cdq(&mut self) {
        self.byte(0x99);
    }

    /// `cqo`: sign-extends rax into rdx.
    pub fn cqo(&mut self) {
        self.put(&[0x48, 0x99]);
    }

    /// `op dst, cl` (shift or rotate by cl, masked by the hardware).
    pub fn shift_cl(&mut self, op: ShiftOp, size: Size, dst: Gpr) {
        let opcode = sized(size, 0xd2, 0xd3);
        self.int_op(size, &[opcode], op as u8, false, Rm::Reg(dst.enc()));
    }

    /// `op dst, imm` (shift or rotate by an immediate; the short form for 1).
    pub fn shift_ri(&mut self, op: ShiftOp, size: Size, dst: Gpr, imm: u8) {
        if imm == 1 {
            let opcode = sized(size, 0xd0, 0xd1);
            self.int_op(size, &[opcode], op as u8, false, Rm::Reg(dst.enc()));
        } else {
            let opcode = sized(size, 0xc0, 0xc1);
            self.int_op(size, &[opcode], op as u8, false, Rm::Reg(dst.enc()));
            self.byte(imm);
        }
    }

    /// `F3 0F op` bit counts and `0F op` bit scans (`S32` or `S64`).
    fn bit_op(&mut self, prefix: Option<u8>, op: u8, size: Size, dst: Gpr, src: Gpr) {
        assert_32_64(size, "lzcnt/tzcnt/popcnt/bsf/bsr");
        self.modrm(
            prefix,
            size == Size::S64,
            false,
            &[0x0f, op],
            dst.enc(),
            Rm::Reg(src.enc()),
        );
    }

    /// `lzcnt dst, src` (LZCNT extension; `S32` or `S64`).
    pub fn lzcnt(&mut self, size: Size, dst: Gpr, src: Gpr) {
        self.bit_op(Some(0xf3), 0xbd, size, dst, src);
    }

    /// `tzcnt dst, src` (BMI1; `S32` or `S64`).
    pub fn tzcnt(&mut self, size: Size, dst: Gpr, src: Gpr) {
        self.bit_op(Some(0xf3), 0xbc, size, dst, src);
    }

    /// `popcnt dst, src` (POPCNT extension; `S32` or `S64`).
    pub fn popcnt(&mut self, size: Size, dst: Gpr, src: Gpr) {
        self.bit_op(Some(0xf3), 0xb8, size, dst, src);
    }

    /// `bsf dst, src`: index of the lowest set bit (`dst` undefined and ZF set if `src` is 0).
    pub fn bsf(&mut self, size: Size, dst: Gpr, src: Gpr) {
        self.bit_op(None, 0xbc, size, dst, src);
    }

    /// `bsr dst, src`: index of the highest set bit (`dst` undefined and ZF set if `src` is 0).
    pub fn bsr(&mut self, size: Size, dst: Gpr, src: Gpr) {
        self.bit_op(None, 0xbd, size, dst, src);
    }

    // ---- Conditions ---------------------------------------------------------

    /// `setcc dst8`: the low byte of `dst` becomes 1 if `cond` holds, else 0 (rest unchanged).
    pub fn setcc(&mut self, cond: Cond, dst: Gpr) {
        self.modrm(
            None,
            false,
            dst.byte_needs_rex(),
            &[0x0f, 0x90 | cond.enc()],
            0,
            Rm::Reg(dst.enc()),
        );
    }

    /// `cmovcc dst, src` (`S32` or `S64`; a 32-bit cmov zeroes the upper half even if not taken).
    pub fn cmov_rr(&mut self, cond: Cond, size: Size, dst: Gpr, src: Gpr) {
        assert_32_64(size, "cmov");
        let op = [0x0f, 0x40 | cond.enc()];
        self.int_op(size, &op, dst.enc(), true, Rm::Reg(src.enc()));
    }

    /// `cmovcc dst, [mem]` (`S32` or `S64`; the load happens, and may fault, even if not taken).
    pub fn cmov_rm(&mut self, cond: Cond, size: Size, dst: Gpr, mem: Mem) {
        assert_32_64(size, "cmov");
        let op = [0x0f, 0x40 | cond.enc()];
        self.int_op(size, &op, dst.enc(), true, Rm::Mem(mem));
    }

    // ---- Control flow -------------------------------------------------------

    /// `jmp label` (rel8 if bound close behind, else rel32).
    pub fn jmp(&mut self, label: Label) {
        self.jump(&[0xeb], &[0xe9], label);
    }

    /// `jcc label` (rel8 if bound close behind, else rel32).
    pub fn jcc(&mut self, cond: Cond, label: Label) {
        self.jump(&[0x70 | cond.enc()], &[0x0f, 0x80 | cond.enc()], label);
    }

    /// `jmp r` (indirect, 64-bit target).
    pub fn jmp_r(&mut self, r: Gpr) {
        self.modrm(None, false, false, &[0xff], 4, Rm::Reg(r.enc()));
    }

    /// `jmp [mem]` (indirect through a 64-bit pointer in memory).
    pub fn jmp_m(&mut self, mem: Mem) {
        self.modrm(None, false, false, &[0xff], 4, Rm::Mem(mem));
    }

    /// `call r` (indirect, 64-bit target).
    pub fn call_r(&mut self, r: Gpr) {
        self.modrm(None, false, false, &[0xff], 2, Rm::Reg(r.enc()));
    }

    /// `call label` (rel32).
    pub fn call_label(&mut self, label: Label) {
        self.byte(0xe8);
        self.rel32(label);
    }

    /// `call [mem]` (indirect through a 64-bit pointer in memory).
    pub fn call_m(&mut self, mem: Mem) {
        self.modrm(None, false, false, &[0xff], 2, Rm::Mem(mem));
    }

    /// Pads with `int3` up to the next multiple of `to` bytes (a power of two).
    pub fn align(&mut self, to: usize) {
        assert!(to.is_power_of_two(), "x64 encoder: alignment {to}");
        while self.len & (to - 1) != 0 {
            self.byte(0xcc);
        }
    }

    /// Data: the 32-bit word `offset(target) - offset(base)`, patched by
    /// [`Assembler::finish`]. A jump table is a run of these with `base`
    /// bound at its first word; it is dispatched by
    /// `lea t, [rip + base]; movsxd i, [t + i*4]; add i, t; jmp i`.
    pub fn label_diff32(&mut self, target: Label, base: Label) {
        self.fixups.push(Fixup {
            at: self.len,
            label: target,
            origin: Origin::Label(base),
        });
        self.put(&[0; 4]);
    }

    /// `ret`.
    pub fn ret(&mut self) {
        self.byte(0xc3);
    }

    /// `push r` (64-bit).
    pub fn push(&mut self, r: Gpr) {
        self.op_reg(None, false, false, 0x50, r.enc());
    }

    /// `pop r` (64-bit).
    pub fn pop(&mut self, r: Gpr) {
        self.op_reg(None, false, false, 0x58, r.enc());
    }

    /// Appends `code`: instructions encoded before (a template of a fixed
    /// sequence, made once with this assembler and reused), with no labels.
    pub fn bytes(&mut self, code: &[u8]) {
        let end = self.len + code.len();
        if self.buf.len() < end + 16 {
            self.buf
                .resize((2 * self.buf.len()).max(end + 16).max(256), 0);
        }
        self.buf[self.len..end].copy_from_slice(code);
        self.len = end;
    }

    /// `ud2`: raises #UD (SIGILL).
    pub fn ud2(&mut self) {
        self.put(&[0x0f, 0x0b]);
    }

    /// `int3`: raises #BP (SIGTRAP).
    pub fn int3(&mut self) {
        self.byte(0xcc);
    }

    /// `nop` (one byte).
    pub fn nop(&mut self) {
        self.byte(0x90);
    }

    /// Pads with multi-byte `nop`s (executable padding) up to the next
    /// multiple of `to` bytes (a power of two), unless that takes more than
    /// `max` bytes.
    pub fn align_code(&mut self, to: usize, max: usize) {
        assert!(to.is_power_of_two(), "x64 encoder: alignment {to}");
        let pad = (to - (self.len & (to - 1))) & (to - 1);
        if pad == 0 || pad > max {
            return;
        }
        // The recommended nop forms of 1 to 8 bytes (0f 1f /0 with growing
        // addressing modes); longer padding takes several.
        const NOPS: [&[u8]; 8] = [
            &[0x90],
            &[0x66, 0x90],
            &[0x0f, 0x1f, 0x00],
            &[0x0f, 0x1f, 0x40, 0x00],
            &[0x0f, 0x1f, 0x44, 0x00, 0x00],
            &[0x66, 0x0f, 0x1f, 0x44, 0x00, 0x00],
            &[0x0f, 0x1f, 0x80, 0x00, 0x00, 0x00, 0x00],
            &[0x0f, 0x1f, 0x84, 0x00, 0x00, 0x00, 0x00, 0x00],
        ];
        let mut left = pad;
        while left > 0 {
            let n = left.min(8);
            self.put(NOPS[n - 1]);
            left -= n;
        }
    }
}

/// Whether register encoding `enc`, used as an 8-bit operand, needs a REX (spl/bpl/sil/dil).
const fn byte_needs_rex(enc: u8) -> bool {
    matches!(enc, 4..=7)
}

mod atomic;
mod sse;
pub use sse::{FloatBitOp, FloatOp, FloatSize, RoundMode};
#[cfg(test)]
mod tests;
