//! Sweeps of the branches (seeded distances, every condition, register
//! and tested bit) and the system instructions.

use super::*;
use crate::isa::aarch64::{Barrier, Label};

/// A branch to a label.
type Branch = Box<dyn Fn(&mut Assembler, Label)>;

/// Emits `branch` at a distance `delta` (a multiple of 4) from its label:
/// the label is bound before it (negative) or after it (positive), with
/// zero words in between.
fn at_distance(a: &mut Assembler, delta: i64, branch: impl FnOnce(&mut Assembler, Label)) {
    let l = a.new_label();
    let gap =
        vec![0u8; (delta.unsigned_abs() as usize).saturating_sub(if delta > 0 { 4 } else { 0 })];
    if delta <= 0 {
        a.bind(l);
        a.bytes(&gap);
        branch(a, l);
    } else {
        branch(a, l);
        a.bytes(&gap);
        a.bind(l);
    }
}

#[test]
fn branches() {
    let mut s = Sweep::default();
    let mut rng = Rng(0xfeed_face_0123_4567);
    for i in 0..64 {
        // Distances up to 64 KiB (the range edges are in the label tests).
        let delta = rng.range(-(1 << 14), 1 << 14) * 4 * i64::from(i % 4 != 0);
        let limit14 = delta.clamp(-(1 << 15), (1 << 15) - 4);
        let rt = rng.pick(&regs_zr());
        let size = rng.pick(&Size::ALL);
        let cond = rng.pick(&Cond::ALL);
        let bit = rng.below(64) as u32;
        // The branch is the last word when its label is behind it.
        let at = if delta <= 0 { delta.unsigned_abs() } else { 0 };
        let pc = P::PCOffset(delta);
        let cases: Vec<(&str, O, Branch, [P; 4])> = vec![
            ("b", O::B, Box::new(|a, l| a.b(l)), [pc, N, N, N]),
            ("bl", O::BL, Box::new(|a, l| a.bl(l)), [pc, N, N, N]),
            (
                "b.cond",
                O::Bcc(cond.enc() as u8),
                Box::new(move |a, l| a.b_cond(cond, l)),
                [pc, N, N, N],
            ),
            (
                "cbz",
                O::CBZ,
                Box::new(move |a, l| a.cbz(size, rt, l)),
                [zr(size, rt), pc, N, N],
            ),
            (
                "cbnz",
                O::CBNZ,
                Box::new(move |a, l| a.cbnz(size, rt, l)),
                [zr(size, rt), pc, N, N],
            ),
            (
                "adr",
                O::ADR,
                Box::new(move |a, l| a.adr(rt, l)),
                [zr(S64, rt), pc, N, N],
            ),
            (
                "ldr literal",
                O::LDR,
                Box::new(move |a, l| a.ldr_literal(size, rt, l)),
                [zr(size, rt), pc, N, N],
            ),
        ];
        for (name, opcode, f, ops) in cases {
            check_branch(&mut s, name, delta, at, |a, l| f(a, l), (opcode, ops));
        }
        let tb_size = if bit >= 32 { S64 } else { S32 };
        let pc14 = P::PCOffset(limit14);
        let at14 = if limit14 <= 0 {
            limit14.unsigned_abs()
        } else {
            0
        };
        for (name, opcode) in [("tbz", O::TBZ), ("tbnz", O::TBNZ)] {
            check_branch(
                &mut s,
                name,
                limit14,
                at14,
                |a, l| {
                    if opcode == O::TBZ {
                        a.tbz(rt, bit, l)
                    } else {
                        a.tbnz(rt, bit, l)
                    }
                },
                (opcode, [zr(tb_size, rt), P::Imm16(bit as u16), pc14, N]),
            );
        }
    }
    s.done("branches");
}

/// Checks the one instruction at offset `at` of a branch placed `delta` from its label.
fn check_branch(
    s: &mut Sweep,
    name: &str,
    delta: i64,
    at: u64,
    branch: impl FnOnce(&mut Assembler, Label),
    want: (O, [P; 4]),
) {
    s.cases += 1;
    let mut a = Assembler::new();
    at_distance(&mut a, delta, branch);
    let code = match a.finish() {
        Ok(code) => code,
        Err(e) => return s.failures.push(format!("{name} {delta}: {e}")),
    };
    let word = words(&code)[at as usize / 4];
    let got = disasm::decode_word(word).map(|i| (i.opcode, i.operands));
    if got.as_ref().is_none_or(|g| g.0 != want.0 || g.1 != want.1) {
        s.failures
            .push(format!("{name} {delta}: want {want:?}, got {got:?}"));
    }
}

#[test]
fn registers_branches_and_system() {
    let mut s = Sweep::default();
    for rn in regs_zr() {
        let x = [zr(S64, rn), N, N, N];
        s.check("br", |a| a.br(rn), &[(O::BR, x)]);
        s.check("blr", |a| a.blr(rn), &[(O::BLR, x)]);
        s.check("ret", |a| a.ret_to(rn), &[(O::RET, x)]);
    }
    s.check(
        "ret",
        |a| a.ret(),
        &[(O::RET, [zr(S64, Gpr::X30), N, N, N])],
    );
    for imm in [0u16, 1, 0x7fff, 0x8000, 0xfffe, 0xffff, 0x1234] {
        s.check("udf", |a| a.udf(imm), &[(O::UDF, [P::Imm16(imm), N, N, N])]);
        s.check("brk", |a| a.brk(imm), &[(O::BRK, [P::Imm16(imm), N, N, N])]);
    }
    for b in Barrier::ALL {
        s.check("dmb", |a| a.dmb(b), &[(O::DMB(b as u8), [N; 4])]);
        s.check("dsb", |a| a.dsb(b), &[(O::DSB(b as u8), [N; 4])]);
    }
    s.check("isb", |a| a.isb(), &[(O::ISB, [P::Imm16(15), N, N, N])]);
    s.check(
        "nop",
        |a| a.nop(),
        &[(O::HINT, [P::ControlReg(0), P::Immediate(0), N, N])],
    );
    s.done("register branches and system");
}
