//! Encode -> decode sweeps: every family of instructions is encoded with
//! every register in every field (X0..X30 and, where the field allows it,
//! `sp` or `xzr`), both sizes, and edge and seeded random immediates,
//! offsets and conditions; yaxpeax-arm decodes each word, and the decoded
//! opcode and operands must be exactly the ones asked for. Expected
//! operands are written in yaxpeax-arm's terms: `Register(_, 31)` is `xzr`
//! and `RegisterOrSP(_, 31)` is `sp`, so a field's kind is checked too.

use yaxpeax_arm::armv8::a64::{
    Opcode as O, Operand as P, SIMDSizeCode as V, ShiftStyle as Style, SizeCode,
};

use super::*;
use crate::isa::aarch64::{
    AddSubOp, Cond, Extend, FloatSize, Fpr, Gpr, IndexExtend, LogicOp, Mem, Shift, Size, Width,
};

/// Atomics.
mod atomics;
/// Branches, their targets, and system instructions.
mod branches;
/// Floating point and SIMD.
mod fp;

/// A tiny xorshift64 generator: deterministic samples without a rand crate.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.0 = x;
        x
    }

    /// A value below `n`.
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }

    fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.below(items.len() as u64) as usize]
    }

    /// An i64 in `lo..=hi`.
    fn range(&mut self, lo: i64, hi: i64) -> i64 {
        lo + self.below((hi - lo + 1) as u64) as i64
    }
}

/// X0..X30 then `xzr`.
fn regs_zr() -> Vec<Gpr> {
    let mut v = Gpr::NUMBERED.to_vec();
    v.push(Gpr::Zr);
    v
}

/// X0..X30 then `sp`.
fn regs_sp() -> Vec<Gpr> {
    let mut v = Gpr::NUMBERED.to_vec();
    v.push(Gpr::Sp);
    v
}

/// Three registers of `list` per step so that each one appears in each
/// field: `(list[i], list[i + 11], list[i + 23])`, modulo its length.
fn triples(a: &[Gpr], b: &[Gpr], c: &[Gpr]) -> Vec<(Gpr, Gpr, Gpr)> {
    (0..a.len())
        .map(|i| (a[i], b[(i + 11) % b.len()], c[(i + 23) % c.len()]))
        .collect()
}

fn sc(size: Size) -> SizeCode {
    match size {
        Size::S32 => SizeCode::W,
        Size::S64 => SizeCode::X,
    }
}

/// A register in a zero-register field.
fn zr(size: Size, r: Gpr) -> P {
    P::Register(sc(size), u16::from(r.enc()))
}

/// A register in a stack-pointer field.
fn sp(size: Size, r: Gpr) -> P {
    P::RegisterOrSP(sc(size), u16::from(r.enc()))
}

/// A scalar float register.
fn fv(size: FloatSize, v: Fpr) -> P {
    let s = match size {
        FloatSize::F32 => V::S,
        FloatSize::F64 => V::D,
    };
    P::SIMDRegister(s, u16::from(v.enc()))
}

const N: P = P::Nothing;
const S32: Size = Size::S32;
const S64: Size = Size::S64;

fn style(shift: Shift) -> Style {
    [Style::LSL, Style::LSR, Style::ASR, Style::ROR][shift as usize]
}

/// Collects mismatches over many cases.
#[derive(Default)]
struct Sweep {
    cases: usize,
    failures: Vec<String>,
}

impl Sweep {
    /// Encodes with `emit` and checks the decoded instructions against `want`.
    fn check(&mut self, what: &str, emit: impl FnOnce(&mut Assembler), want: &[(O, [P; 4])]) {
        self.cases += 1;
        let mut a = Assembler::new();
        emit(&mut a);
        let code = match a.finish() {
            Ok(code) => code,
            Err(e) => return self.failures.push(format!("{what}: {e}")),
        };
        let got: Vec<_> = words(&code)
            .into_iter()
            .enumerate()
            .map(|(i, w)| {
                disasm::decode_word(w).map(|inst| {
                    // The text must format (it is what `wx explore` shows).
                    let _ = disasm::format_inst(&inst, 4 * i);
                    (inst.opcode, inst.operands)
                })
            })
            .collect();
        let ok = got.len() == want.len()
            && got
                .iter()
                .zip(want)
                .all(|(g, w)| g.as_ref().is_some_and(|g| g.0 == w.0 && g.1 == w.1));
        if !ok {
            self.failures.push(format!(
                "{what} ({})\n    want {want:?}\n    got  {got:?}",
                hex_words(&code)
            ));
        }
    }

    /// Fails the test with the first mismatches, if any.
    fn done(self, family: &str) {
        assert!(
            self.failures.is_empty(),
            "{family}: {} of {} cases differ:\n{}",
            self.failures.len(),
            self.cases,
            self.failures[..self.failures.len().min(20)].join("\n")
        );
        assert!(self.cases > 0);
        println!("{family}: {} cases", self.cases);
    }
}

#[test]
fn add_sub() {
    let mut s = Sweep::default();
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let ops = [
        (AddSubOp::Add, O::ADD),
        (AddSubOp::Adds, O::ADDS),
        (AddSubOp::Sub, O::SUB),
        (AddSubOp::Subs, O::SUBS),
    ];
    for (op, opcode) in ops {
        for size in Size::ALL {
            // Shifted register: no sp anywhere.
            for (rd, rn, rm) in triples(&regs_zr(), &regs_zr(), &regs_zr()) {
                let shift = rng.pick(&[Shift::Lsl, Shift::Lsr, Shift::Asr]);
                let amount = rng.below(u64::from(size.bits())) as u32;
                s.check(
                    &format!("{op:?} {size:?} {rd} {rn} {rm} {shift:?} {amount}"),
                    |a| a.add_sub_shifted(op, size, rd, rn, rm, shift, amount),
                    &[(
                        opcode,
                        [
                            zr(size, rd),
                            zr(size, rn),
                            P::RegShift(style(shift), amount as u8, sc(size), u16::from(rm.enc())),
                            N,
                        ],
                    )],
                );
            }
            // Extended register: sp in Rn (and in Rd without flags).
            let rds = if op.sets_flags() {
                regs_zr()
            } else {
                regs_sp()
            };
            for (rd, rn, rm) in triples(&rds, &regs_sp(), &regs_zr()) {
                let ext = rng.pick(&Extend::ALL);
                let lsl = rng.below(5) as u32;
                let sf = u32::from(size == S64);
                let option = ext as u32;
                let lsl_alias = (rd.enc() == 31 || rn.enc() == 31) && option == (0b010 | sf);
                let x_rm = size == S64 && ext.reads_x();
                let ext_style = [
                    Style::UXTB,
                    Style::UXTH,
                    Style::UXTW,
                    Style::UXTX,
                    Style::SXTB,
                    Style::SXTH,
                    Style::SXTW,
                    Style::SXTX,
                ][ext as usize];
                let shown = if lsl_alias { Style::LSL } else { ext_style };
                let rm_size = if x_rm { SizeCode::X } else { SizeCode::W };
                let dst = if op.sets_flags() {
                    zr(size, rd)
                } else {
                    sp(size, rd)
                };
                s.check(
                    &format!("{op:?} {size:?} {rd} {rn} {rm} {ext:?} {lsl}"),
                    |a| a.add_sub_ext(op, size, rd, rn, rm, ext, lsl),
                    &[(
                        opcode,
                        [
                            dst,
                            sp(size, rn),
                            P::RegShift(shown, lsl as u8, rm_size, u16::from(rm.enc())),
                            N,
                        ],
                    )],
                );
            }
            // 12-bit immediates, edges and a sample.
            for (i, (rd, rn, _)) in triples(&rds, &regs_sp(), &regs_zr())
                .into_iter()
                .enumerate()
            {
                let imm = match i {
                    0 => 0,
                    1 => 4095,
                    2 => 1,
                    _ => rng.below(4096) as u32,
                };
                let lsl12 = i % 3 == 1;
                let dst = if op.sets_flags() {
                    zr(size, rd)
                } else {
                    sp(size, rd)
                };
                let shown = if lsl12 {
                    P::ImmShift(imm as u16, 12)
                } else {
                    P::Immediate(imm)
                };
                s.check(
                    &format!("{op:?} {size:?} {rd} {rn} #{imm} lsl12={lsl12}"),
                    |a| a.add_sub_imm12(op, size, rd, rn, imm, lsl12),
                    &[(opcode, [dst, sp(size, rn), shown, N])],
                );
            }
        }
    }
    // add_imm/sub_imm: one or two instructions, sub for negatives.
    for _ in 0..400 {
        let size = rng.pick(&Size::ALL);
        let (rd, rn) = (rng.pick(&regs_sp()), rng.pick(&regs_sp()));
        let imm = rng.range(-(1 << 24) + 1, (1 << 24) - 1) >> rng.below(24);
        let (opcode, mag) = if imm < 0 {
            (O::SUB, (-imm) as u32)
        } else {
            (O::ADD, imm as u32)
        };
        let (hi, lo) = (mag >> 12, mag & 0xfff);
        let want: Vec<(O, [P; 4])> = match (hi, lo) {
            (0, lo) => vec![(opcode, [sp(size, rd), sp(size, rn), P::Immediate(lo), N])],
            (hi, 0) => vec![(
                opcode,
                [sp(size, rd), sp(size, rn), P::ImmShift(hi as u16, 12), N],
            )],
            (hi, lo) => vec![
                (
                    opcode,
                    [sp(size, rd), sp(size, rn), P::ImmShift(hi as u16, 12), N],
                ),
                (opcode, [sp(size, rd), sp(size, rd), P::Immediate(lo), N]),
            ],
        };
        s.check(
            &format!("add_imm {size:?} {rd} {rn} {imm}"),
            |a| a.add_imm(size, rd, rn, imm),
            &want,
        );
        s.check(
            &format!("sub_imm {size:?} {rd} {rn} {}", -imm),
            |a| a.sub_imm(size, rd, rn, -imm),
            &want,
        );
    }
    s.done("add/sub");
}

#[test]
fn logic() {
    let mut s = Sweep::default();
    let mut rng = Rng(0x2545_f491_4f6c_dd1d);
    let ops = [
        (LogicOp::And, O::AND),
        (LogicOp::Bic, O::BIC),
        (LogicOp::Orr, O::ORR),
        (LogicOp::Orn, O::ORN),
        (LogicOp::Eor, O::EOR),
        (LogicOp::Eon, O::EON),
        (LogicOp::Ands, O::ANDS),
        (LogicOp::Bics, O::BICS),
    ];
    for (op, opcode) in ops {
        for size in Size::ALL {
            for (rd, rn, rm) in triples(&regs_zr(), &regs_zr(), &regs_zr()) {
                let shift = rng.pick(&Shift::ALL);
                let amount = rng.below(u64::from(size.bits())) as u32;
                s.check(
                    &format!("{op:?} {size:?} {rd} {rn} {rm} {shift:?} {amount}"),
                    |a| a.logic_shifted(op, size, rd, rn, rm, shift, amount),
                    &[(
                        opcode,
                        [
                            zr(size, rd),
                            zr(size, rn),
                            P::RegShift(style(shift), amount as u8, sc(size), u16::from(rm.enc())),
                            N,
                        ],
                    )],
                );
            }
        }
    }
    // Bitmask immediates: a sample of every encodable pattern; the
    // complementing ops encode the complement.
    let imm_ops = [
        (LogicOp::And, O::AND, false),
        (LogicOp::Orr, O::ORR, false),
        (LogicOp::Eor, O::EOR, false),
        (LogicOp::Ands, O::ANDS, false),
        (LogicOp::Bic, O::AND, true),
        (LogicOp::Orn, O::ORR, true),
        (LogicOp::Eon, O::EOR, true),
        (LogicOp::Bics, O::ANDS, true),
    ];
    for size in Size::ALL {
        let patterns: Vec<u64> = (0..1u32 << 13)
            .filter_map(|p| crate::isa::aarch64::asm::decode_logical_imm(p, size))
            .collect();
        for (i, &value) in patterns.iter().enumerate().filter(|(i, _)| i % 7 == 0) {
            let (op, opcode, complement) = imm_ops[i % imm_ops.len()];
            let flags = opcode == O::ANDS;
            let rd = rng.pick(&if flags { regs_zr() } else { regs_sp() });
            let rn = rng.pick(&regs_zr());
            let imm = if complement { !value } else { value };
            let shown = match size {
                S32 => P::Immediate(value as u32),
                S64 => P::Imm64(value),
            };
            let dst = if flags { zr(size, rd) } else { sp(size, rd) };
            s.check(
                &format!("{op:?} {size:?} {rd} {rn} #{imm:#x}"),
                |a| a.logic_imm(op, size, rd, rn, imm),
                &[(opcode, [dst, zr(size, rn), shown, N])],
            );
        }
    }
    s.done("logic");
}

#[test]
fn shifts_and_bitfields() {
    let mut s = Sweep::default();
    let mut rng = Rng(0x1234_5678_9abc_def1);
    for size in Size::ALL {
        let bits = size.bits();
        for (rd, rn, rm) in triples(&regs_zr(), &regs_zr(), &regs_zr()) {
            for (shift, opcode) in [
                (Shift::Lsl, O::LSLV),
                (Shift::Lsr, O::LSRV),
                (Shift::Asr, O::ASRV),
                (Shift::Ror, O::RORV),
            ] {
                s.check(
                    &format!("{shift:?}v {size:?} {rd} {rn} {rm}"),
                    |a| a.shift_rr(shift, size, rd, rn, rm),
                    &[(opcode, [zr(size, rd), zr(size, rn), zr(size, rm), N])],
                );
            }
            let (immr, imms) = (
                rng.below(u64::from(bits)) as u32,
                rng.below(u64::from(bits)) as u32,
            );
            for (opcode, f) in [
                (
                    O::UBFM,
                    Assembler::ubfm as fn(&mut Assembler, Size, Gpr, Gpr, u32, u32),
                ),
                (O::SBFM, Assembler::sbfm),
                (O::BFM, Assembler::bfm),
            ] {
                s.check(
                    &format!("{opcode:?} {size:?} {rd} {rn} {immr} {imms}"),
                    |a| f(a, size, rd, rn, immr, imms),
                    &[(
                        opcode,
                        [
                            zr(size, rd),
                            zr(size, rn),
                            P::Immediate(immr),
                            P::Immediate(imms),
                        ],
                    )],
                );
            }
            let lsb = rng.below(u64::from(bits)) as u32;
            s.check(
                &format!("extr {size:?} {rd} {rn} {rm} {lsb}"),
                |a| a.extr(size, rd, rn, rm, lsb),
                &[(
                    O::EXTR,
                    [zr(size, rd), zr(size, rn), zr(size, rm), P::Immediate(lsb)],
                )],
            );
        }
        // Every immediate shift amount.
        for amount in 0..bits {
            let (rd, rn) = (rng.pick(&regs_zr()), rng.pick(&regs_zr()));
            let imm = |v: u32| P::Immediate(v);
            let cases = [
                (
                    Shift::Lsl,
                    O::UBFM,
                    [
                        zr(size, rd),
                        zr(size, rn),
                        imm((bits - amount) % bits),
                        imm(bits - 1 - amount),
                    ],
                ),
                (
                    Shift::Lsr,
                    O::UBFM,
                    [zr(size, rd), zr(size, rn), imm(amount), imm(bits - 1)],
                ),
                (
                    Shift::Asr,
                    O::SBFM,
                    [zr(size, rd), zr(size, rn), imm(amount), imm(bits - 1)],
                ),
                (
                    Shift::Ror,
                    O::EXTR,
                    [zr(size, rd), zr(size, rn), zr(size, rn), imm(amount)],
                ),
            ];
            for (shift, opcode, ops) in cases {
                s.check(
                    &format!("{shift:?} {size:?} {rd} {rn} #{amount}"),
                    |a| a.shift_ri(shift, size, rd, rn, amount),
                    &[(opcode, ops)],
                );
            }
        }
        // Every field of the extract/insert aliases, sampled.
        for _ in 0..200 {
            let lsb = rng.below(u64::from(bits)) as u32;
            let width = 1 + rng.below(u64::from(bits - lsb)) as u32;
            let (rd, rn) = (rng.pick(&regs_zr()), rng.pick(&regs_zr()));
            let imm = |v: u32| P::Immediate(v);
            let field = [imm(lsb), imm(lsb + width - 1)];
            let insert = [imm((bits - lsb) % bits), imm(width - 1)];
            let regs = [zr(size, rd), zr(size, rn)];
            for (name, opcode, f, fields) in [
                (
                    "ubfx",
                    O::UBFM,
                    Assembler::ubfx as fn(&mut Assembler, Size, Gpr, Gpr, u32, u32),
                    field,
                ),
                ("sbfx", O::SBFM, Assembler::sbfx, field),
                ("bfxil", O::BFM, Assembler::bfxil, field),
                ("bfi", O::BFM, Assembler::bfi, insert),
            ] {
                s.check(
                    &format!("{name} {size:?} {rd} {rn} {lsb} {width}"),
                    |a| f(a, size, rd, rn, lsb, width),
                    &[(opcode, [regs[0], regs[1], fields[0], fields[1]])],
                );
            }
        }
    }
    // The extension aliases.
    for (rd, rn, _) in triples(&regs_zr(), &regs_zr(), &regs_zr()) {
        let imm = |v: u32| P::Immediate(v);
        s.check(
            "uxtb",
            |a| a.uxtb(rd, rn),
            &[(O::UBFM, [zr(S32, rd), zr(S32, rn), imm(0), imm(7)])],
        );
        s.check(
            "uxth",
            |a| a.uxth(rd, rn),
            &[(O::UBFM, [zr(S32, rd), zr(S32, rn), imm(0), imm(15)])],
        );
        s.check(
            "sxtw",
            |a| a.sxtw(rd, rn),
            &[(O::SBFM, [zr(S64, rd), zr(S64, rn), imm(0), imm(31)])],
        );
        for size in Size::ALL {
            s.check(
                "sxtb",
                |a| a.sxtb(size, rd, rn),
                &[(O::SBFM, [zr(size, rd), zr(size, rn), imm(0), imm(7)])],
            );
            s.check(
                "sxth",
                |a| a.sxth(size, rd, rn),
                &[(O::SBFM, [zr(size, rd), zr(size, rn), imm(0), imm(15)])],
            );
        }
    }
    s.done("shifts and bitfields");
}

#[test]
fn moves() {
    let mut s = Sweep::default();
    let mut rng = Rng(0xdead_beef_cafe_f00d);
    for size in Size::ALL {
        for rd in regs_zr() {
            let shift = 16 * rng.below(u64::from(size.bits() / 16)) as u32;
            let imm = rng.next() as u16;
            for (opcode, f) in [
                (
                    O::MOVZ,
                    Assembler::movz as fn(&mut Assembler, Size, Gpr, u16, u32),
                ),
                (O::MOVN, Assembler::movn),
                (O::MOVK, Assembler::movk),
            ] {
                s.check(
                    &format!("{opcode:?} {size:?} {rd} #{imm:#x} lsl {shift}"),
                    |a| f(a, size, rd, imm, shift),
                    &[(opcode, [zr(size, rd), P::ImmShift(imm, shift as u8), N, N])],
                );
            }
        }
        // Register moves: orr, or add #0 with sp.
        for (rd, rm, _) in triples(&regs_zr(), &regs_zr(), &regs_zr()) {
            s.check(
                &format!("mov {size:?} {rd} {rm}"),
                |a| a.mov_rr(size, rd, rm),
                &[(
                    O::ORR,
                    [
                        zr(size, rd),
                        zr(size, Gpr::Zr),
                        P::RegShift(Style::LSL, 0, sc(size), u16::from(rm.enc())),
                        N,
                    ],
                )],
            );
        }
        for r in Gpr::NUMBERED {
            for (rd, rm) in [(Gpr::Sp, r), (r, Gpr::Sp)] {
                s.check(
                    &format!("mov {size:?} {rd} {rm}"),
                    |a| a.mov_rr(size, rd, rm),
                    &[(O::ADD, [sp(size, rd), sp(size, rm), P::Immediate(0), N])],
                );
            }
        }
    }
    s.done("moves");
}

#[test]
fn multiply_divide_bits() {
    let mut s = Sweep::default();
    for size in Size::ALL {
        for (rd, rn, rm) in triples(&regs_zr(), &regs_zr(), &regs_zr()) {
            let ra = Gpr::from_enc_zr((rd.enc() + 5) % 32).expect("register");
            let r = |x: Gpr| zr(size, x);
            s.check(
                "madd",
                |a| a.madd(size, rd, rn, rm, ra),
                &[(O::MADD, [r(rd), r(rn), r(rm), r(ra)])],
            );
            s.check(
                "msub",
                |a| a.msub(size, rd, rn, rm, ra),
                &[(O::MSUB, [r(rd), r(rn), r(rm), r(ra)])],
            );
            s.check(
                "mul",
                |a| a.mul(size, rd, rn, rm),
                &[(O::MADD, [r(rd), r(rn), r(rm), r(Gpr::Zr)])],
            );
            s.check(
                "mneg",
                |a| a.mneg(size, rd, rn, rm),
                &[(O::MSUB, [r(rd), r(rn), r(rm), r(Gpr::Zr)])],
            );
            s.check(
                "sdiv",
                |a| a.sdiv(size, rd, rn, rm),
                &[(O::SDIV, [r(rd), r(rn), r(rm), N])],
            );
            s.check(
                "udiv",
                |a| a.udiv(size, rd, rn, rm),
                &[(O::UDIV, [r(rd), r(rn), r(rm), N])],
            );
            for (opcode, f) in [
                (O::CLZ, Assembler::clz as fn(&mut Assembler, Size, Gpr, Gpr)),
                (O::CLS, Assembler::cls),
                (O::RBIT, Assembler::rbit),
                (O::REV, Assembler::rev),
                (O::REV16, Assembler::rev16),
            ] {
                s.check(
                    &format!("{opcode:?} {size:?}"),
                    |a| f(a, size, rd, rn),
                    &[(opcode, [r(rd), r(rn), N, N])],
                );
            }
            if size == S64 {
                let (x, w) = (|g: Gpr| zr(S64, g), |g: Gpr| zr(S32, g));
                s.check(
                    "smulh",
                    |a| a.smulh(rd, rn, rm),
                    &[(O::SMULH, [x(rd), x(rn), x(rm), N])],
                );
                s.check(
                    "umulh",
                    |a| a.umulh(rd, rn, rm),
                    &[(O::UMULH, [x(rd), x(rn), x(rm), N])],
                );
                s.check(
                    "smaddl",
                    |a| a.smaddl(rd, rn, rm, ra),
                    &[(O::SMADDL, [x(rd), w(rn), w(rm), x(ra)])],
                );
                s.check(
                    "umaddl",
                    |a| a.umaddl(rd, rn, rm, ra),
                    &[(O::UMADDL, [x(rd), w(rn), w(rm), x(ra)])],
                );
                s.check(
                    "smull",
                    |a| a.smull(rd, rn, rm),
                    &[(O::SMADDL, [x(rd), w(rn), w(rm), x(Gpr::Zr)])],
                );
                s.check(
                    "umull",
                    |a| a.umull(rd, rn, rm),
                    &[(O::UMADDL, [x(rd), w(rn), w(rm), x(Gpr::Zr)])],
                );
                s.check(
                    "rev32",
                    |a| a.rev32(rd, rn),
                    &[(O::REV32, [x(rd), x(rn), N, N])],
                );
            }
        }
    }
    s.done("multiply, divide, bit counts");
}

#[test]
fn conditional() {
    let mut s = Sweep::default();
    let mut rng = Rng(0x0bad_c0de_1234_5678);
    for size in Size::ALL {
        for (rd, rn, rm) in triples(&regs_zr(), &regs_zr(), &regs_zr()) {
            let r = |x: Gpr| zr(size, x);
            for cond in Cond::ALL {
                let c = P::ConditionCode(cond.enc() as u8);
                for (opcode, f) in [
                    (
                        O::CSEL,
                        Assembler::csel as fn(&mut Assembler, Size, Gpr, Gpr, Gpr, Cond),
                    ),
                    (O::CSINC, Assembler::csinc),
                    (O::CSINV, Assembler::csinv),
                    (O::CSNEG, Assembler::csneg),
                ] {
                    s.check(
                        &format!("{opcode:?} {cond:?}"),
                        |a| f(a, size, rd, rn, rm, cond),
                        &[(opcode, [r(rd), r(rn), r(rm), c])],
                    );
                }
                let nzcv = rng.below(16) as u32;
                let imm5 = rng.below(32) as u32;
                let n = P::Immediate(nzcv);
                s.check(
                    "ccmp",
                    |a| a.ccmp(size, rn, rm, nzcv, cond),
                    &[(O::CCMP, [r(rn), r(rm), n, c])],
                );
                s.check(
                    "ccmn",
                    |a| a.ccmn(size, rn, rm, nzcv, cond),
                    &[(O::CCMN, [r(rn), r(rm), n, c])],
                );
                s.check(
                    "ccmp #",
                    |a| a.ccmp_imm(size, rn, imm5, nzcv, cond),
                    &[(O::CCMP, [r(rn), P::Immediate(imm5), n, c])],
                );
                s.check(
                    "ccmn #",
                    |a| a.ccmn_imm(size, rn, imm5, nzcv, cond),
                    &[(O::CCMN, [r(rn), P::Immediate(imm5), n, c])],
                );
                if cond == Cond::Al {
                    continue;
                }
                let inv = P::ConditionCode(cond.invert().enc() as u8);
                let z = r(Gpr::Zr);
                s.check(
                    "cset",
                    |a| a.cset(size, rd, cond),
                    &[(O::CSINC, [r(rd), z, z, inv])],
                );
                s.check(
                    "csetm",
                    |a| a.csetm(size, rd, cond),
                    &[(O::CSINV, [r(rd), z, z, inv])],
                );
                s.check(
                    "cinc",
                    |a| a.cinc(size, rd, rn, cond),
                    &[(O::CSINC, [r(rd), r(rn), r(rn), inv])],
                );
                s.check(
                    "cinv",
                    |a| a.cinv(size, rd, rn, cond),
                    &[(O::CSINV, [r(rd), r(rn), r(rn), inv])],
                );
                s.check(
                    "cneg",
                    |a| a.cneg(size, rd, rn, cond),
                    &[(O::CSNEG, [r(rd), r(rn), r(rn), inv])],
                );
            }
        }
    }
    s.done("conditional select and compare");
}

/// The decoded memory operand of a single access of `width` through `mem`.
fn mem_operand(mem: Mem, width: Width) -> P {
    match mem {
        Mem::Offset { base, offset } => P::RegPreIndex(u16::from(base.enc()), offset as i32, false),
        Mem::PreIndex { base, offset } => {
            P::RegPreIndex(u16::from(base.enc()), offset as i32, true)
        }
        Mem::PostIndex { base, offset } => P::RegPostIndex(u16::from(base.enc()), offset as i32),
        Mem::Index {
            base,
            index,
            extend,
            scaled,
        } => {
            let (size, style) = match extend {
                IndexExtend::Lsl => (SizeCode::X, Style::LSL),
                IndexExtend::Uxtw => (SizeCode::W, Style::UXTW),
                IndexExtend::Sxtw => (SizeCode::W, Style::SXTW),
                IndexExtend::Sxtx => (SizeCode::X, Style::SXTX),
            };
            let amount = if scaled { width as u8 } else { 0 };
            P::RegRegOffset(
                u16::from(base.enc()),
                u16::from(index.enc()),
                size,
                style,
                amount,
            )
        }
    }
}

/// A random memory operand that fits a single access of `width`.
fn random_mem(rng: &mut Rng, width: Width) -> Mem {
    let base = rng.pick(&regs_sp());
    let index = rng.pick(&regs_zr());
    let scale = width as i64;
    match rng.below(4) {
        0 => Mem::offset(
            base,
            match rng.below(3) {
                0 => rng.range(0, 4095) << scale,
                1 => rng.range(-256, 255),
                _ => rng.pick(&[0, 4095 << scale, -256, 255, -1]),
            },
        ),
        1 => Mem::Index {
            base,
            index,
            extend: rng.pick(&IndexExtend::ALL),
            scaled: rng.below(2) == 1,
        },
        2 => Mem::pre(base, rng.range(-256, 255)),
        _ => Mem::post(base, rng.range(-256, 255)),
    }
}

/// Whether `mem` gets the unscaled (`ldur`) form.
fn unscaled(mem: Mem, width: Width) -> bool {
    matches!(mem, Mem::Offset { offset, .. }
        if offset < 0 || offset % i64::from(width.bytes()) != 0 || offset >= 4096 << width as i64)
}

#[test]
fn loads_and_stores() {
    let mut s = Sweep::default();
    let mut rng = Rng(0x5151_5151_7777_3333);
    type Emit = fn(&mut Assembler, Gpr, Mem);
    // (name, width, emit, register size, scaled opcode, unscaled opcode)
    let ints: [(&str, Width, Emit, Size, O, O); 16] = [
        ("ldrb", Width::B, Assembler::ldrb, S32, O::LDRB, O::LDURB),
        ("ldrh", Width::H, Assembler::ldrh, S32, O::LDRH, O::LDURH),
        (
            "ldr w",
            Width::W,
            |a, r, m| a.ldr(S32, r, m),
            S32,
            O::LDR,
            O::LDUR,
        ),
        (
            "ldr x",
            Width::X,
            |a, r, m| a.ldr(S64, r, m),
            S64,
            O::LDR,
            O::LDUR,
        ),
        ("strb", Width::B, Assembler::strb, S32, O::STRB, O::STURB),
        ("strh", Width::H, Assembler::strh, S32, O::STRH, O::STURH),
        (
            "str w",
            Width::W,
            |a, r, m| a.str(S32, r, m),
            S32,
            O::STR,
            O::STUR,
        ),
        (
            "str x",
            Width::X,
            |a, r, m| a.str(S64, r, m),
            S64,
            O::STR,
            O::STUR,
        ),
        (
            "ldrsb w",
            Width::B,
            |a, r, m| a.ldrsb(S32, r, m),
            S32,
            O::LDRSB,
            O::LDURSB,
        ),
        (
            "ldrsb x",
            Width::B,
            |a, r, m| a.ldrsb(S64, r, m),
            S64,
            O::LDRSB,
            O::LDURSB,
        ),
        (
            "ldrsh w",
            Width::H,
            |a, r, m| a.ldrsh(S32, r, m),
            S32,
            O::LDRSH,
            O::LDURSH,
        ),
        (
            "ldrsh x",
            Width::H,
            |a, r, m| a.ldrsh(S64, r, m),
            S64,
            O::LDRSH,
            O::LDURSH,
        ),
        (
            "ldrsw",
            Width::W,
            Assembler::ldrsw,
            S64,
            O::LDRSW,
            O::LDURSW,
        ),
        ("ldrb2", Width::B, Assembler::ldrb, S32, O::LDRB, O::LDURB),
        ("ldrh2", Width::H, Assembler::ldrh, S32, O::LDRH, O::LDURH),
        (
            "ldr x2",
            Width::X,
            |a, r, m| a.ldr(S64, r, m),
            S64,
            O::LDR,
            O::LDUR,
        ),
    ];
    for (name, width, f, size, scaled_op, unscaled_op) in ints {
        for rt in regs_zr() {
            for _ in 0..6 {
                let mem = random_mem(&mut rng, width);
                // A writeback to the data register is refused; skip those.
                let wb = matches!(mem, Mem::PreIndex { .. } | Mem::PostIndex { .. });
                if wb && rt.enc() == mem.base_reg().enc() && mem.base_reg() != Gpr::Sp {
                    continue;
                }
                let opcode = if unscaled(mem, width) {
                    unscaled_op
                } else {
                    scaled_op
                };
                s.check(
                    &format!("{name} {rt} {mem:?}"),
                    |a| f(a, rt, mem),
                    &[(opcode, [zr(size, rt), mem_operand(mem, width), N, N])],
                );
            }
        }
    }
    for size in FloatSize::ALL {
        let width = Width::of_float(size);
        for vt in Fpr::ALL {
            for _ in 0..4 {
                let mem = random_mem(&mut rng, width);
                let (ld, st) = if unscaled(mem, width) {
                    (O::LDUR, O::STUR)
                } else {
                    (O::LDR, O::STR)
                };
                let want = [fv(size, vt), mem_operand(mem, width), N, N];
                s.check(
                    &format!("ldr {vt} {mem:?}"),
                    |a| a.ldr_f(size, vt, mem),
                    &[(ld, want)],
                );
                s.check(
                    &format!("str {vt} {mem:?}"),
                    |a| a.str_f(size, vt, mem),
                    &[(st, want)],
                );
            }
        }
    }
    s.done("loads and stores");
}

#[test]
fn pairs() {
    let mut s = Sweep::default();
    let mut rng = Rng(0x7777_1111_2222_9999);
    for size in Size::ALL {
        let width = Width::of(size);
        let regs = regs_zr();
        for i in 0..regs.len() {
            let (rt, rt2) = (regs[i], regs[(i + 1 + rng.below(30) as usize) % regs.len()]);
            for kind in 0..3 {
                let base = rng.pick(&regs_sp());
                let offset = rng.range(-64, 63) * i64::from(width.bytes());
                let mem = [
                    Mem::offset(base, offset),
                    Mem::pre(base, offset),
                    Mem::post(base, offset),
                ][kind];
                let wb_clash = kind > 0
                    && base != Gpr::Sp
                    && (base.enc() == rt.enc() || base.enc() == rt2.enc());
                if wb_clash || rt == rt2 {
                    continue;
                }
                let want = [zr(size, rt), zr(size, rt2), mem_operand(mem, width), N];
                s.check(
                    &format!("ldp {rt} {rt2} {mem:?}"),
                    |a| a.ldp(size, rt, rt2, mem),
                    &[(O::LDP, want)],
                );
                s.check(
                    &format!("stp {rt} {rt2} {mem:?}"),
                    |a| a.stp(size, rt, rt2, mem),
                    &[(O::STP, want)],
                );
            }
        }
    }
    for size in FloatSize::ALL {
        let width = Width::of_float(size);
        for v in 0..32u8 {
            let (vt, vt2) = (
                Fpr::ALL[v as usize],
                Fpr::ALL[((v + 1 + rng.below(30) as u8) % 32) as usize],
            );
            let base = rng.pick(&regs_sp());
            let offset = rng.range(-64, 63) * i64::from(width.bytes());
            let mem = [
                Mem::offset(base, offset),
                Mem::pre(base, offset),
                Mem::post(base, offset),
            ][v as usize % 3];
            let want = [fv(size, vt), fv(size, vt2), mem_operand(mem, width), N];
            s.check(
                &format!("ldp {vt} {vt2} {mem:?}"),
                |a| a.ldp_f(size, vt, vt2, mem),
                &[(O::LDP, want)],
            );
            s.check(
                &format!("stp {vt} {vt2} {mem:?}"),
                |a| a.stp_f(size, vt, vt2, mem),
                &[(O::STP, want)],
            );
        }
    }
    s.done("pairs");
}
