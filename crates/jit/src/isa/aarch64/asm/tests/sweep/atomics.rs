//! Sweeps of the atomics: every width, every register in every field,
//! every LSE operation.

use super::*;
use crate::isa::aarch64::AtomicRmwOp;

/// `ldar`, `stlr`, `ldxr`, `ldaxr`: width, data, address.
type Access = fn(&mut Assembler, Width, Gpr, Gpr);
/// `stxr`, `stlxr`: width, status, data, address.
type StoreExclusive = fn(&mut Assembler, Width, Gpr, Gpr, Gpr);

#[test]
fn atomics() {
    let mut s = Sweep::default();
    let mut rng = Rng(0x1357_9bdf_2468_ace0);
    let per_width = |w: Width, ops: [O; 4]| ops[w as usize];
    for width in Width::ALL {
        let size = if width == Width::X { S64 } else { S32 };
        for (rt, rn, rs) in triples(&regs_zr(), &regs_sp(), &regs_zr()) {
            let r = |x: Gpr| zr(size, x);
            let mem = P::RegPreIndex(u16::from(rn.enc()), 0, false);
            let plain: [(O, Access); 4] = [
                (
                    per_width(width, [O::LDARB, O::LDARH, O::LDAR, O::LDAR]),
                    Assembler::ldar,
                ),
                (
                    per_width(width, [O::STLRB, O::STLRH, O::STLR, O::STLR]),
                    Assembler::stlr,
                ),
                (
                    per_width(width, [O::LDXRB, O::LDXRH, O::LDXR, O::LDXR]),
                    Assembler::ldxr,
                ),
                (
                    per_width(width, [O::LDAXRB, O::LDAXRH, O::LDAXR, O::LDAXR]),
                    Assembler::ldaxr,
                ),
            ];
            for (opcode, f) in plain {
                s.check(
                    &format!("{opcode:?} {rt} [{rn}]"),
                    |a| f(a, width, rt, rn),
                    &[(opcode, [r(rt), mem, N, N])],
                );
            }
            // The status register differs from the data and the address.
            let status =
                Gpr::from_enc_zr((rt.enc() + 1 + rng.below(29) as u8) % 31).expect("register");
            if status.enc() != rn.enc() {
                let exclusive: [(O, StoreExclusive); 2] = [
                    (
                        per_width(width, [O::STXRB, O::STXRH, O::STXR, O::STXR]),
                        Assembler::stxr,
                    ),
                    (
                        per_width(width, [O::STLXRB, O::STLXRH, O::STLXR, O::STLXR]),
                        Assembler::stlxr,
                    ),
                ];
                for (opcode, f) in exclusive {
                    s.check(
                        &format!("{opcode:?} {status} {rt} [{rn}]"),
                        |a| f(a, width, status, rt, rn),
                        &[(opcode, [zr(S32, status), r(rt), mem, N])],
                    );
                }
            }
            for op in AtomicRmwOp::ALL {
                let opcode = match (op, width) {
                    (AtomicRmwOp::Add, Width::B) => O::LDADDB(3),
                    (AtomicRmwOp::Add, Width::H) => O::LDADDH(3),
                    (AtomicRmwOp::Add, _) => O::LDADD(3),
                    (AtomicRmwOp::Clr, Width::B) => O::LDCLRB(3),
                    (AtomicRmwOp::Clr, Width::H) => O::LDCLRH(3),
                    (AtomicRmwOp::Clr, _) => O::LDCLR(3),
                    (AtomicRmwOp::Eor, Width::B) => O::LDEORB(3),
                    (AtomicRmwOp::Eor, Width::H) => O::LDEORH(3),
                    (AtomicRmwOp::Eor, _) => O::LDEOR(3),
                    (AtomicRmwOp::Set, Width::B) => O::LDSETB(3),
                    (AtomicRmwOp::Set, Width::H) => O::LDSETH(3),
                    (AtomicRmwOp::Set, _) => O::LDSET(3),
                    (AtomicRmwOp::Swp, Width::B) => O::SWPB(3),
                    (AtomicRmwOp::Swp, Width::H) => O::SWPH(3),
                    (AtomicRmwOp::Swp, _) => O::SWP(3),
                };
                s.check(
                    &format!("{opcode:?} {rs} {rt} [{rn}]"),
                    |a| a.atomic_rmw(op, width, rs, rt, rn),
                    &[(opcode, [r(rs), r(rt), mem, N])],
                );
            }
            let cas = per_width(width, [O::CASB(3), O::CASH(3), O::CAS(3), O::CAS(3)]);
            s.check(
                &format!("casal {rs} {rt} [{rn}]"),
                |a| a.casal(width, rs, rt, rn),
                &[(cas, [r(rs), r(rt), mem, N])],
            );
        }
    }
    s.done("atomics");
}
