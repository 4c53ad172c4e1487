//! Integer data processing: add/sub, logic, shifts and bitfields,
//! multiplies and divides, bit counts and byte reversal, conditional
//! selects and compares.
//!
//! Register fields read 31 as `xzr` except where the module docs of
//! [`super`] say `sp`: `Rd`/`Rn` of add/sub immediate and extended
//! register (`Rn` only when flags are set), `Rd` of logical immediates
//! (not `ands`).

use super::imm::encode_logical_imm;
use super::{Assembler, Cond, Extend, Gpr, Shift, Size};

/// An add or subtract, with or without setting the flags; the
/// discriminant is the `op:S` bits (30:29).
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub enum AddSubOp {
    /// `add`
    Add = 0b00,
    /// `adds` (sets NZCV)
    Adds = 0b01,
    /// `sub`
    Sub = 0b10,
    /// `subs` (sets NZCV; `cmp` is `subs` into the zero register)
    Subs = 0b11,
}

impl AddSubOp {
    /// All four operations.
    pub const ALL: [AddSubOp; 4] = [AddSubOp::Add, AddSubOp::Adds, AddSubOp::Sub, AddSubOp::Subs];

    /// Whether it sets the flags (then `Rd` is a zero-register field).
    pub const fn sets_flags(self) -> bool {
        matches!(self, AddSubOp::Adds | AddSubOp::Subs)
    }

    const fn bits(self) -> u32 {
        (self as u32) << 29
    }
}

/// A bitwise operation; the discriminant is `opc:N` (bits 30:29 and 21 of
/// the shifted-register form, `N` negating the second operand).
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub enum LogicOp {
    /// `and`: `rn & rm`
    And = 0b000,
    /// `bic`: `rn & !rm`
    Bic = 0b001,
    /// `orr`: `rn | rm`
    Orr = 0b010,
    /// `orn`: `rn | !rm`
    Orn = 0b011,
    /// `eor`: `rn ^ rm`
    Eor = 0b100,
    /// `eon`: `rn ^ !rm`
    Eon = 0b101,
    /// `ands`: `rn & rm`, setting N and Z (C and V cleared)
    Ands = 0b110,
    /// `bics`: `rn & !rm`, setting the flags like `ands`
    Bics = 0b111,
}

impl LogicOp {
    /// All eight operations.
    pub const ALL: [LogicOp; 8] = [
        LogicOp::And,
        LogicOp::Bic,
        LogicOp::Orr,
        LogicOp::Orn,
        LogicOp::Eor,
        LogicOp::Eon,
        LogicOp::Ands,
        LogicOp::Bics,
    ];

    const fn opc(self) -> u32 {
        (self as u32) >> 1
    }

    const fn negates(self) -> bool {
        self as u32 & 1 != 0
    }
}

impl Assembler {
    // ---- Add and subtract ---------------------------------------------------

    /// `op rd, rn, rm`: the shifted-register form, or the extended-register
    /// form (`uxtx`/`uxtw` #0, shown as plain registers) when `rd` (without
    /// flags) or `rn` is `sp`. `rm` is never `sp`.
    pub fn add_sub(&mut self, op: AddSubOp, size: Size, rd: Gpr, rn: Gpr, rm: Gpr) {
        if (rd == Gpr::Sp && !op.sets_flags()) || rn == Gpr::Sp {
            let ext = match size {
                Size::S32 => Extend::Uxtw,
                Size::S64 => Extend::Uxtx,
            };
            self.add_sub_ext(op, size, rd, rn, rm, ext, 0);
        } else {
            self.add_sub_shifted(op, size, rd, rn, rm, Shift::Lsl, 0);
        }
    }

    /// `op rd, rn, rm, shift #amount` (shifted register; no `ror`, amount
    /// below the size; no `sp`).
    #[allow(
        clippy::too_many_arguments,
        reason = "the instruction's operands, in assembly order"
    )]
    pub fn add_sub_shifted(
        &mut self,
        op: AddSubOp,
        size: Size,
        rd: Gpr,
        rn: Gpr,
        rm: Gpr,
        shift: Shift,
        amount: u32,
    ) {
        if shift == Shift::Ror {
            return self.unencodable("ror in add/sub");
        }
        if amount >= size.bits() {
            return self.unencodable("a shift amount of the register size or more");
        }
        let (rd, rn, rm) = (self.rz(rd), self.rz(rn), self.rz(rm));
        self.emit(
            size.sf()
                | op.bits()
                | 0x0b00_0000
                | ((shift as u32) << 22)
                | (rm << 16)
                | (amount << 10)
                | (rn << 5)
                | rd,
        );
    }

    /// `op rd, rn, rm, ext #lsl` (extended register; `lsl` 0..=4): `rm`
    /// (a `w` register unless `ext` is `uxtx`/`sxtx`) extended, then
    /// shifted. `rn`, and `rd` without flags, may be `sp`.
    #[allow(
        clippy::too_many_arguments,
        reason = "the instruction's operands, in assembly order"
    )]
    pub fn add_sub_ext(
        &mut self,
        op: AddSubOp,
        size: Size,
        rd: Gpr,
        rn: Gpr,
        rm: Gpr,
        ext: Extend,
        lsl: u32,
    ) {
        if lsl > 4 {
            return self.unencodable("an extended-register shift above 4");
        }
        let rd = if op.sets_flags() {
            self.rz(rd)
        } else {
            self.rs(rd)
        };
        let (rn, rm) = (self.rs(rn), self.rz(rm));
        self.emit(
            size.sf()
                | op.bits()
                | 0x0b20_0000
                | (rm << 16)
                | ((ext as u32) << 13)
                | (lsl << 10)
                | (rn << 5)
                | rd,
        );
    }

    /// `op rd, rn, #imm12{, lsl #12}` (`imm12` below 4096). `rn`, and `rd`
    /// without flags, may be `sp`.
    pub fn add_sub_imm12(
        &mut self,
        op: AddSubOp,
        size: Size,
        rd: Gpr,
        rn: Gpr,
        imm12: u32,
        lsl12: bool,
    ) {
        if imm12 >= 1 << 12 {
            return self.unencodable("an add/sub immediate of more than 12 bits");
        }
        let rd = if op.sets_flags() {
            self.rz(rd)
        } else {
            self.rs(rd)
        };
        let rn = self.rs(rn);
        self.emit(
            size.sf()
                | op.bits()
                | 0x1100_0000
                | (u32::from(lsl12) << 22)
                | (imm12 << 10)
                | (rn << 5)
                | rd,
        );
    }

    /// `rd = rn + imm` with immediates: `add`, or `sub` of `-imm` when
    /// negative; one instruction when [`super::fits_add_imm`] holds for the
    /// magnitude, two (high 12 bits, then low 12) below 2^24, else an
    /// error (materialise the constant in a register instead). `rd` and
    /// `rn` may be `sp`.
    pub fn add_imm(&mut self, size: Size, rd: Gpr, rn: Gpr, imm: i64) {
        let (op, magnitude) = if imm < 0 {
            (AddSubOp::Sub, imm.unsigned_abs())
        } else {
            (AddSubOp::Add, imm as u64)
        };
        self.add_sub_magnitude(op, size, rd, rn, magnitude);
    }

    /// `rd = rn - imm` with immediates: [`Assembler::add_imm`] of `-imm`.
    pub fn sub_imm(&mut self, size: Size, rd: Gpr, rn: Gpr, imm: i64) {
        match imm.checked_neg() {
            Some(neg) => self.add_imm(size, rd, rn, neg),
            None => self.add_sub_magnitude(AddSubOp::Sub, size, rd, rn, imm.unsigned_abs()),
        }
    }

    /// `add`/`sub` of a 24-bit magnitude in one or two instructions.
    fn add_sub_magnitude(&mut self, op: AddSubOp, size: Size, rd: Gpr, rn: Gpr, magnitude: u64) {
        let (low, high) = ((magnitude & 0xfff) as u32, (magnitude >> 12) as u32);
        if magnitude >= 1 << 24 {
            self.unencodable("an add/sub immediate of 24 bits or more");
        } else if high == 0 {
            self.add_sub_imm12(op, size, rd, rn, low, false);
        } else {
            self.add_sub_imm12(op, size, rd, rn, high, true);
            if low != 0 {
                self.add_sub_imm12(op, size, rd, rd, low, false);
            }
        }
    }

    /// `add rd, rn, rm` ([`Assembler::add_sub`]).
    pub fn add(&mut self, size: Size, rd: Gpr, rn: Gpr, rm: Gpr) {
        self.add_sub(AddSubOp::Add, size, rd, rn, rm);
    }

    /// `sub rd, rn, rm` ([`Assembler::add_sub`]).
    pub fn sub(&mut self, size: Size, rd: Gpr, rn: Gpr, rm: Gpr) {
        self.add_sub(AddSubOp::Sub, size, rd, rn, rm);
    }

    /// `cmp rn, rm` (`subs zr, rn, rm`; `rn` may be `sp`).
    pub fn cmp(&mut self, size: Size, rn: Gpr, rm: Gpr) {
        self.add_sub(AddSubOp::Subs, size, Gpr::Zr, rn, rm);
    }

    /// `cmn rn, rm` (`adds zr, rn, rm`: flags of `rn + rm`).
    pub fn cmn(&mut self, size: Size, rn: Gpr, rm: Gpr) {
        self.add_sub(AddSubOp::Adds, size, Gpr::Zr, rn, rm);
    }

    /// `cmp rn, #imm`, or `cmn rn, #-imm` when negative: one instruction,
    /// so the magnitude must pass [`super::fits_add_imm`].
    pub fn cmp_imm(&mut self, size: Size, rn: Gpr, imm: i64) {
        let (op, magnitude) = if imm < 0 {
            (AddSubOp::Adds, imm.unsigned_abs())
        } else {
            (AddSubOp::Subs, imm as u64)
        };
        if !super::fits_add_imm(magnitude) {
            return self
                .unencodable("a compare immediate that is not 12 bits (shifted by 0 or 12)");
        }
        let (imm12, lsl12) = if magnitude < 1 << 12 {
            (magnitude as u32, false)
        } else {
            ((magnitude >> 12) as u32, true)
        };
        self.add_sub_imm12(op, size, Gpr::Zr, rn, imm12, lsl12);
    }

    /// `neg rd, rm` (`sub rd, zr, rm`).
    pub fn neg(&mut self, size: Size, rd: Gpr, rm: Gpr) {
        self.add_sub_shifted(AddSubOp::Sub, size, rd, Gpr::Zr, rm, Shift::Lsl, 0);
    }

    // ---- Logic --------------------------------------------------------------

    /// `op rd, rn, rm` (no `sp`).
    pub fn logic(&mut self, op: LogicOp, size: Size, rd: Gpr, rn: Gpr, rm: Gpr) {
        self.logic_shifted(op, size, rd, rn, rm, Shift::Lsl, 0);
    }

    /// `op rd, rn, rm, shift #amount` (amount below the size; `ror` allowed).
    #[allow(
        clippy::too_many_arguments,
        reason = "the instruction's operands, in assembly order"
    )]
    pub fn logic_shifted(
        &mut self,
        op: LogicOp,
        size: Size,
        rd: Gpr,
        rn: Gpr,
        rm: Gpr,
        shift: Shift,
        amount: u32,
    ) {
        if amount >= size.bits() {
            return self.unencodable("a shift amount of the register size or more");
        }
        let (rd, rn, rm) = (self.rz(rd), self.rz(rn), self.rz(rm));
        self.emit(
            size.sf()
                | (op.opc() << 29)
                | 0x0a00_0000
                | ((shift as u32) << 22)
                | (u32::from(op.negates()) << 21)
                | (rm << 16)
                | (amount << 10)
                | (rn << 5)
                | rd,
        );
    }

    /// `op rd, rn, #imm` with a bitmask immediate (see
    /// [`super::fits_logical_imm`]; its low 32 bits at `S32`). The
    /// negating ops use the complement: `bic` is `and #!imm`, `orn` is
    /// `orr #!imm`, `eon` is `eor #!imm`, `bics` is `ands #!imm`. `rd` may
    /// be `sp` except for `ands`/`bics`.
    pub fn logic_imm(&mut self, op: LogicOp, size: Size, rd: Gpr, rn: Gpr, imm: u64) {
        let imm = if op.negates() { !imm } else { imm };
        let Some(bits) = encode_logical_imm(imm, size) else {
            return self.unencodable("a logical immediate that is no bitmask");
        };
        let rd = if op.opc() == 0b11 {
            self.rz(rd)
        } else {
            self.rs(rd)
        };
        let rn = self.rz(rn);
        self.emit(size.sf() | (op.opc() << 29) | 0x1200_0000 | (bits << 10) | (rn << 5) | rd);
    }

    /// `tst rn, rm` (`ands zr, rn, rm`).
    pub fn tst(&mut self, size: Size, rn: Gpr, rm: Gpr) {
        self.logic(LogicOp::Ands, size, Gpr::Zr, rn, rm);
    }

    /// `tst rn, #imm` (`ands zr, rn, #imm`, a bitmask immediate).
    pub fn tst_imm(&mut self, size: Size, rn: Gpr, imm: u64) {
        self.logic_imm(LogicOp::Ands, size, Gpr::Zr, rn, imm);
    }

    /// `mvn rd, rm` (`orn rd, zr, rm`).
    pub fn mvn(&mut self, size: Size, rd: Gpr, rm: Gpr) {
        self.logic(LogicOp::Orn, size, rd, Gpr::Zr, rm);
    }

    // ---- Shifts and bitfields -----------------------------------------------

    /// `lslv`/`lsrv`/`asrv`/`rorv rd, rn, rm`: shift by `rm` modulo the size.
    pub fn shift_rr(&mut self, op: Shift, size: Size, rd: Gpr, rn: Gpr, rm: Gpr) {
        let (rd, rn, rm) = (self.rz(rd), self.rz(rn), self.rz(rm));
        self.emit(size.sf() | 0x1ac0_2000 | (rm << 16) | ((op as u32) << 10) | (rn << 5) | rd);
    }

    /// `lsl`/`lsr`/`asr`/`ror rd, rn, #amount` (amount below the size):
    /// the `ubfm`, `sbfm` and `extr` aliases.
    pub fn shift_ri(&mut self, op: Shift, size: Size, rd: Gpr, rn: Gpr, amount: u32) {
        let bits = size.bits();
        if amount >= bits {
            return self.unencodable("a shift amount of the register size or more");
        }
        match op {
            Shift::Lsl => self.ubfm(size, rd, rn, (bits - amount) % bits, bits - 1 - amount),
            Shift::Lsr => self.ubfm(size, rd, rn, amount, bits - 1),
            Shift::Asr => self.sbfm(size, rd, rn, amount, bits - 1),
            Shift::Ror => self.extr(size, rd, rn, rn, amount),
        }
    }

    /// A bitfield move: `opc` is SBFM 00, BFM 01, UBFM 10.
    fn bitfield(&mut self, opc: u32, size: Size, rd: Gpr, rn: Gpr, immr: u32, imms: u32) {
        if immr >= size.bits() || imms >= size.bits() {
            return self.unencodable("a bitfield position of the register size or more");
        }
        let (rd, rn) = (self.rz(rd), self.rz(rn));
        let n = u32::from(size == Size::S64) << 22;
        self.emit(
            size.sf()
                | (opc << 29)
                | 0x1300_0000
                | n
                | (immr << 16)
                | (imms << 10)
                | (rn << 5)
                | rd,
        );
    }

    /// `ubfm rd, rn, #immr, #imms`: if `imms >= immr`, bits `immr..=imms`
    /// of `rn` to the bottom of `rd`; else bits `0..=imms` to position
    /// `size - immr`; zeros elsewhere.
    pub fn ubfm(&mut self, size: Size, rd: Gpr, rn: Gpr, immr: u32, imms: u32) {
        self.bitfield(0b10, size, rd, rn, immr, imms);
    }

    /// `sbfm rd, rn, #immr, #imms`: as `ubfm`, sign-extending the field.
    pub fn sbfm(&mut self, size: Size, rd: Gpr, rn: Gpr, immr: u32, imms: u32) {
        self.bitfield(0b00, size, rd, rn, immr, imms);
    }

    /// `bfm rd, rn, #immr, #imms`: as `ubfm`, keeping the other bits of `rd`.
    pub fn bfm(&mut self, size: Size, rd: Gpr, rn: Gpr, immr: u32, imms: u32) {
        self.bitfield(0b01, size, rd, rn, immr, imms);
    }

    /// `extr rd, rn, rm, #lsb`: bits `lsb..lsb + size` of `rn:rm`.
    pub fn extr(&mut self, size: Size, rd: Gpr, rn: Gpr, rm: Gpr, lsb: u32) {
        if lsb >= size.bits() {
            return self.unencodable("an extract position of the register size or more");
        }
        let (rd, rn, rm) = (self.rz(rd), self.rz(rn), self.rz(rm));
        let n = u32::from(size == Size::S64) << 22;
        self.emit(size.sf() | 0x1380_0000 | n | (rm << 16) | (lsb << 10) | (rn << 5) | rd);
    }

    /// `uxtb wd, wn`: zero-extends the low byte (into all 64 bits).
    pub fn uxtb(&mut self, rd: Gpr, rn: Gpr) {
        self.ubfm(Size::S32, rd, rn, 0, 7);
    }

    /// `uxth wd, wn`: zero-extends the low halfword (into all 64 bits).
    pub fn uxth(&mut self, rd: Gpr, rn: Gpr) {
        self.ubfm(Size::S32, rd, rn, 0, 15);
    }

    /// `sxtb rd, wn`: sign-extends the low byte to `size`.
    pub fn sxtb(&mut self, size: Size, rd: Gpr, rn: Gpr) {
        self.sbfm(size, rd, rn, 0, 7);
    }

    /// `sxth rd, wn`: sign-extends the low halfword to `size`.
    pub fn sxth(&mut self, size: Size, rd: Gpr, rn: Gpr) {
        self.sbfm(size, rd, rn, 0, 15);
    }

    /// `sxtw xd, wn`: sign-extends the low word to 64 bits.
    pub fn sxtw(&mut self, rd: Gpr, rn: Gpr) {
        self.sbfm(Size::S64, rd, rn, 0, 31);
    }

    /// Checks a bitfield's `lsb` and `width` (at least 1, within the size).
    fn field_fits(&mut self, size: Size, lsb: u32, width: u32) -> bool {
        let fits = width >= 1 && lsb < size.bits() && width <= size.bits() - lsb;
        if !fits {
            self.unencodable("a bitfield outside the register");
        }
        fits
    }

    /// `ubfx rd, rn, #lsb, #width`: bits `lsb..lsb + width` of `rn`, zero-extended.
    pub fn ubfx(&mut self, size: Size, rd: Gpr, rn: Gpr, lsb: u32, width: u32) {
        if self.field_fits(size, lsb, width) {
            self.ubfm(size, rd, rn, lsb, lsb + width - 1);
        }
    }

    /// `sbfx rd, rn, #lsb, #width`: bits `lsb..lsb + width` of `rn`, sign-extended.
    pub fn sbfx(&mut self, size: Size, rd: Gpr, rn: Gpr, lsb: u32, width: u32) {
        if self.field_fits(size, lsb, width) {
            self.sbfm(size, rd, rn, lsb, lsb + width - 1);
        }
    }

    /// `bfi rd, rn, #lsb, #width`: the low `width` bits of `rn` into bits
    /// `lsb..lsb + width` of `rd`.
    pub fn bfi(&mut self, size: Size, rd: Gpr, rn: Gpr, lsb: u32, width: u32) {
        if self.field_fits(size, lsb, width) {
            let bits = size.bits();
            self.bfm(size, rd, rn, (bits - lsb) % bits, width - 1);
        }
    }

    /// `bfxil rd, rn, #lsb, #width`: bits `lsb..lsb + width` of `rn` into
    /// the low `width` bits of `rd`.
    pub fn bfxil(&mut self, size: Size, rd: Gpr, rn: Gpr, lsb: u32, width: u32) {
        if self.field_fits(size, lsb, width) {
            self.bfm(size, rd, rn, lsb, lsb + width - 1);
        }
    }

    // ---- Multiply and divide ------------------------------------------------

    /// A three-source multiply: `op31` bits 23:21, `o0` bit 15.
    #[allow(clippy::too_many_arguments, reason = "the instruction's fields")]
    fn mul3(&mut self, sf: u32, op31: u32, o0: u32, rd: Gpr, rn: Gpr, rm: Gpr, ra: Gpr) {
        let (rd, rn, rm, ra) = (self.rz(rd), self.rz(rn), self.rz(rm), self.rz(ra));
        self.emit(
            sf | 0x1b00_0000 | (op31 << 21) | (rm << 16) | (o0 << 15) | (ra << 10) | (rn << 5) | rd,
        );
    }

    /// `madd rd, rn, rm, ra`: `ra + rn * rm`.
    pub fn madd(&mut self, size: Size, rd: Gpr, rn: Gpr, rm: Gpr, ra: Gpr) {
        self.mul3(size.sf(), 0b000, 0, rd, rn, rm, ra);
    }

    /// `msub rd, rn, rm, ra`: `ra - rn * rm`.
    pub fn msub(&mut self, size: Size, rd: Gpr, rn: Gpr, rm: Gpr, ra: Gpr) {
        self.mul3(size.sf(), 0b000, 1, rd, rn, rm, ra);
    }

    /// `mul rd, rn, rm` (`madd` with `zr`).
    pub fn mul(&mut self, size: Size, rd: Gpr, rn: Gpr, rm: Gpr) {
        self.madd(size, rd, rn, rm, Gpr::Zr);
    }

    /// `mneg rd, rn, rm` (`msub` with `zr`): `-(rn * rm)`.
    pub fn mneg(&mut self, size: Size, rd: Gpr, rn: Gpr, rm: Gpr) {
        self.msub(size, rd, rn, rm, Gpr::Zr);
    }

    /// `smulh xd, xn, xm`: the high 64 bits of the signed 128-bit product.
    pub fn smulh(&mut self, rd: Gpr, rn: Gpr, rm: Gpr) {
        self.mul3(Size::S64.sf(), 0b010, 0, rd, rn, rm, Gpr::Zr);
    }

    /// `umulh xd, xn, xm`: the high 64 bits of the unsigned 128-bit product.
    pub fn umulh(&mut self, rd: Gpr, rn: Gpr, rm: Gpr) {
        self.mul3(Size::S64.sf(), 0b110, 0, rd, rn, rm, Gpr::Zr);
    }

    /// `smaddl xd, wn, wm, xa`: `xa + sext(wn) * sext(wm)`.
    pub fn smaddl(&mut self, rd: Gpr, rn: Gpr, rm: Gpr, ra: Gpr) {
        self.mul3(Size::S64.sf(), 0b001, 0, rd, rn, rm, ra);
    }

    /// `umaddl xd, wn, wm, xa`: `xa + zext(wn) * zext(wm)`.
    pub fn umaddl(&mut self, rd: Gpr, rn: Gpr, rm: Gpr, ra: Gpr) {
        self.mul3(Size::S64.sf(), 0b101, 0, rd, rn, rm, ra);
    }

    /// `smull xd, wn, wm` (`smaddl` with `xzr`).
    pub fn smull(&mut self, rd: Gpr, rn: Gpr, rm: Gpr) {
        self.smaddl(rd, rn, rm, Gpr::Zr);
    }

    /// `umull xd, wn, wm` (`umaddl` with `xzr`).
    pub fn umull(&mut self, rd: Gpr, rn: Gpr, rm: Gpr) {
        self.umaddl(rd, rn, rm, Gpr::Zr);
    }

    /// A two-source data-processing instruction (divides, variable shifts).
    fn dp2(&mut self, size: Size, opcode: u32, rd: Gpr, rn: Gpr, rm: Gpr) {
        let (rd, rn, rm) = (self.rz(rd), self.rz(rn), self.rz(rm));
        self.emit(size.sf() | 0x1ac0_0000 | (rm << 16) | (opcode << 10) | (rn << 5) | rd);
    }

    /// `sdiv rd, rn, rm`: signed quotient rounded toward zero; 0 if `rm`
    /// is 0, and `MIN / -1` is `MIN` (no trap: the caller checks).
    pub fn sdiv(&mut self, size: Size, rd: Gpr, rn: Gpr, rm: Gpr) {
        self.dp2(size, 0b000011, rd, rn, rm);
    }

    /// `udiv rd, rn, rm`: unsigned quotient; 0 if `rm` is 0.
    pub fn udiv(&mut self, size: Size, rd: Gpr, rn: Gpr, rm: Gpr) {
        self.dp2(size, 0b000010, rd, rn, rm);
    }

    // ---- Bit counts and reversal --------------------------------------------

    /// A one-source data-processing instruction.
    fn dp1(&mut self, size: Size, opcode: u32, rd: Gpr, rn: Gpr) {
        let (rd, rn) = (self.rz(rd), self.rz(rn));
        self.emit(size.sf() | 0x5ac0_0000 | (opcode << 10) | (rn << 5) | rd);
    }

    /// `clz rd, rn`: leading zero bits (the size for 0).
    pub fn clz(&mut self, size: Size, rd: Gpr, rn: Gpr) {
        self.dp1(size, 0b000100, rd, rn);
    }

    /// `cls rd, rn`: leading bits equal to the sign bit, not counting it.
    pub fn cls(&mut self, size: Size, rd: Gpr, rn: Gpr) {
        self.dp1(size, 0b000101, rd, rn);
    }

    /// `rbit rd, rn`: reverses the bit order (`ctz` is `rbit` then `clz`).
    pub fn rbit(&mut self, size: Size, rd: Gpr, rn: Gpr) {
        self.dp1(size, 0b000000, rd, rn);
    }

    /// `rev rd, rn`: reverses the byte order of the whole register.
    pub fn rev(&mut self, size: Size, rd: Gpr, rn: Gpr) {
        let opcode = match size {
            Size::S32 => 0b000010,
            Size::S64 => 0b000011,
        };
        self.dp1(size, opcode, rd, rn);
    }

    /// `rev16 rd, rn`: reverses the bytes of each halfword.
    pub fn rev16(&mut self, size: Size, rd: Gpr, rn: Gpr) {
        self.dp1(size, 0b000001, rd, rn);
    }

    /// `rev32 xd, xn`: reverses the bytes of each word.
    pub fn rev32(&mut self, rd: Gpr, rn: Gpr) {
        self.dp1(Size::S64, 0b000010, rd, rn);
    }

    // ---- Conditional select and compare -------------------------------------

    /// A conditional select: `op` bit 30, `op2` bits 11:10.
    #[allow(clippy::too_many_arguments, reason = "the instruction's fields")]
    fn cond_select(
        &mut self,
        op: u32,
        op2: u32,
        size: Size,
        rd: Gpr,
        rn: Gpr,
        rm: Gpr,
        cond: Cond,
    ) {
        let (rd, rn, rm) = (self.rz(rd), self.rz(rn), self.rz(rm));
        self.emit(
            size.sf()
                | (op << 30)
                | 0x1a80_0000
                | (rm << 16)
                | (cond.enc() << 12)
                | (op2 << 10)
                | (rn << 5)
                | rd,
        );
    }

    /// `csel rd, rn, rm, cond`: `cond ? rn : rm`.
    pub fn csel(&mut self, size: Size, rd: Gpr, rn: Gpr, rm: Gpr, cond: Cond) {
        self.cond_select(0, 0b00, size, rd, rn, rm, cond);
    }

    /// `csinc rd, rn, rm, cond`: `cond ? rn : rm + 1`.
    pub fn csinc(&mut self, size: Size, rd: Gpr, rn: Gpr, rm: Gpr, cond: Cond) {
        self.cond_select(0, 0b01, size, rd, rn, rm, cond);
    }

    /// `csinv rd, rn, rm, cond`: `cond ? rn : !rm`.
    pub fn csinv(&mut self, size: Size, rd: Gpr, rn: Gpr, rm: Gpr, cond: Cond) {
        self.cond_select(1, 0b00, size, rd, rn, rm, cond);
    }

    /// `csneg rd, rn, rm, cond`: `cond ? rn : -rm`.
    pub fn csneg(&mut self, size: Size, rd: Gpr, rn: Gpr, rm: Gpr, cond: Cond) {
        self.cond_select(1, 0b01, size, rd, rn, rm, cond);
    }

    /// Whether `cond` can be inverted by an alias (not `al`); records an error if not.
    fn invertible(&mut self, cond: Cond) -> bool {
        if cond == Cond::Al {
            self.unencodable("al in an alias that inverts its condition");
        }
        cond != Cond::Al
    }

    /// `cset rd, cond`: `cond ? 1 : 0` (`csinc rd, zr, zr, !cond`).
    pub fn cset(&mut self, size: Size, rd: Gpr, cond: Cond) {
        if self.invertible(cond) {
            self.csinc(size, rd, Gpr::Zr, Gpr::Zr, cond.invert());
        }
    }

    /// `csetm rd, cond`: `cond ? -1 : 0` (`csinv rd, zr, zr, !cond`).
    pub fn csetm(&mut self, size: Size, rd: Gpr, cond: Cond) {
        if self.invertible(cond) {
            self.csinv(size, rd, Gpr::Zr, Gpr::Zr, cond.invert());
        }
    }

    /// `cinc rd, rn, cond`: `cond ? rn + 1 : rn`.
    pub fn cinc(&mut self, size: Size, rd: Gpr, rn: Gpr, cond: Cond) {
        if self.invertible(cond) {
            self.csinc(size, rd, rn, rn, cond.invert());
        }
    }

    /// `cinv rd, rn, cond`: `cond ? !rn : rn`.
    pub fn cinv(&mut self, size: Size, rd: Gpr, rn: Gpr, cond: Cond) {
        if self.invertible(cond) {
            self.csinv(size, rd, rn, rn, cond.invert());
        }
    }

    /// `cneg rd, rn, cond`: `cond ? -rn : rn`.
    pub fn cneg(&mut self, size: Size, rd: Gpr, rn: Gpr, cond: Cond) {
        if self.invertible(cond) {
            self.csneg(size, rd, rn, rn, cond.invert());
        }
    }

    /// A conditional compare: `op` 0 for `ccmn`, 1 for `ccmp`; `rm_imm`
    /// is a register encoding or a 5-bit immediate (`imm` set).
    #[allow(clippy::too_many_arguments, reason = "the instruction's fields")]
    fn cond_compare(
        &mut self,
        op: u32,
        size: Size,
        rn: Gpr,
        rm_imm: u32,
        imm: bool,
        nzcv: u32,
        cond: Cond,
    ) {
        if nzcv > 0xf {
            return self.unencodable("an nzcv value above 15");
        }
        let rn = self.rz(rn);
        self.emit(
            size.sf()
                | (op << 30)
                | 0x3a40_0000
                | (rm_imm << 16)
                | (cond.enc() << 12)
                | (u32::from(imm) << 11)
                | (rn << 5)
                | nzcv,
        );
    }

    /// `ccmp rn, rm, #nzcv, cond`: the flags of `cmp rn, rm` if `cond`
    /// holds, else `nzcv` (0..=15, N = 8, Z = 4, C = 2, V = 1).
    pub fn ccmp(&mut self, size: Size, rn: Gpr, rm: Gpr, nzcv: u32, cond: Cond) {
        let rm = self.rz(rm);
        self.cond_compare(1, size, rn, rm, false, nzcv, cond);
    }

    /// `ccmn rn, rm, #nzcv, cond`: the flags of `cmn rn, rm` if `cond`
    /// holds, else `nzcv`.
    pub fn ccmn(&mut self, size: Size, rn: Gpr, rm: Gpr, nzcv: u32, cond: Cond) {
        let rm = self.rz(rm);
        self.cond_compare(0, size, rn, rm, false, nzcv, cond);
    }

    /// `ccmp rn, #imm5, #nzcv, cond` (`imm5` 0..=31).
    pub fn ccmp_imm(&mut self, size: Size, rn: Gpr, imm5: u32, nzcv: u32, cond: Cond) {
        if imm5 > 31 {
            return self.unencodable("a conditional-compare immediate above 31");
        }
        self.cond_compare(1, size, rn, imm5, true, nzcv, cond);
    }

    /// `ccmn rn, #imm5, #nzcv, cond` (`imm5` 0..=31).
    pub fn ccmn_imm(&mut self, size: Size, rn: Gpr, imm5: u32, nzcv: u32, cond: Cond) {
        if imm5 > 31 {
            return self.unencodable("a conditional-compare immediate above 31");
        }
        self.cond_compare(0, size, rn, imm5, true, nzcv, cond);
    }
}
