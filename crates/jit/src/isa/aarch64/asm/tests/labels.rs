//! Labels: forward and backward branches of every fixup kind, the exact
//! edges of their ranges and the error one step beyond (never a panic),
//! labels used many times, jump tables of label differences, alignment,
//! label misuse, unencodable operands and the buffer's life cycle.

use yaxpeax_arm::armv8::a64::Operand as P;

use super::*;
use crate::isa::aarch64::{Cond, FloatSize, Fpr, Gpr, Mem, Size};

/// A branch-like method that takes a label.
type Branch = fn(&mut Assembler, Label);

/// Every method with a label operand, its name and its reach in bytes
/// (forward: `reach - 4` at most; backward: `-reach`).
fn kinds() -> Vec<(&'static str, Branch, i64)> {
    const MIB: i64 = 1 << 20;
    vec![
        ("b", |a, l| a.b(l), 128 * MIB),
        ("bl", |a, l| a.bl(l), 128 * MIB),
        ("b.ne", |a, l| a.b_cond(Cond::Ne, l), MIB),
        ("cbz", |a, l| a.cbz(Size::S64, Gpr::X3, l), MIB),
        ("cbnz", |a, l| a.cbnz(Size::S32, Gpr::X30, l), MIB),
        (
            "ldr literal",
            |a, l| a.ldr_literal(Size::S64, Gpr::X9, l),
            MIB,
        ),
        (
            "ldr literal s",
            |a, l| a.ldr_literal_f(FloatSize::F32, Fpr::V1, l),
            MIB,
        ),
        ("adr", |a, l| a.adr(Gpr::X0, l), MIB),
        ("tbz", |a, l| a.tbz(Gpr::X1, 40, l), 32 * 1024),
        ("tbnz", |a, l| a.tbnz(Gpr::X2, 3, l), 32 * 1024),
    ]
}

/// The branch's PC-relative operand after decoding.
fn decoded_offset(word: u32) -> Option<i64> {
    let inst = disasm::decode_word(word)?;
    inst.operands.iter().find_map(|op| match op {
        P::PCOffset(o) => Some(*o),
        _ => None,
    })
}

/// Assembles `branch` `delta` bytes before (`delta > 0`) or after
/// (`delta <= 0`) its label, bound `bound_first` before the branch is
/// emitted when that is possible (backward), and returns `finish`'s result
/// and the branch's offset.
fn assemble_at(delta: i64, branch: Branch) -> (Result<Vec<u8>, AsmError>, usize) {
    let mut a = Assembler::with_capacity(delta.unsigned_abs() as usize + 64);
    let l = a.new_label();
    let gap = |n: i64| vec![0u8; n as usize];
    if delta <= 0 {
        a.bind(l);
        a.bytes(&gap(-delta));
        let at = a.offset();
        branch(&mut a, l);
        (a.finish(), at)
    } else {
        branch(&mut a, l);
        a.bytes(&gap(delta - 4));
        a.bind(l);
        (a.finish(), 0)
    }
}

#[test]
fn forward_and_backward_every_kind() {
    for (name, branch, _) in kinds() {
        for delta in [-64i64, -4, 0, 4, 8, 1024] {
            let (code, at) = assemble_at(delta, branch);
            let code = code.unwrap_or_else(|e| panic!("{name} {delta}: {e}"));
            let word = words(&code)[at / 4];
            assert_eq!(decoded_offset(word), Some(delta), "{name} {delta}");
        }
    }
}

/// The largest distance each field holds, both ways, and one instruction
/// beyond: the error names the label and the branch, and nothing panics.
/// (The 128 MiB cases allocate that much.)
#[test]
fn range_edges() {
    for (name, branch, reach) in kinds() {
        for delta in [reach - 4, -reach] {
            let (code, at) = assemble_at(delta, branch);
            let code = code.unwrap_or_else(|e| panic!("{name} {delta}: {e}"));
            assert_eq!(
                decoded_offset(words(&code[at..at + 4])[0]),
                Some(delta),
                "{name}"
            );
        }
        for delta in [reach, -reach - 4] {
            let (code, at) = assemble_at(delta, branch);
            match code {
                Err(AsmError::BranchOutOfRange { label, at: got_at }) => {
                    assert_eq!(label.index(), 0, "{name} {delta}");
                    assert_eq!(got_at as usize, at, "{name} {delta}");
                }
                other => panic!("{name} {delta}: {:?}", other.map(|c| c.len())),
            }
        }
    }
}

/// `adr` counts bytes, not instructions: any byte distance within ±1 MiB,
/// and the others need 4-byte multiples.
#[test]
fn byte_distances() {
    let mut a = Assembler::new();
    let l = a.new_label();
    a.adr(Gpr::X0, l);
    a.b(l);
    a.bytes(&[0; 3]);
    a.bind(l);
    let _ = a.label_offset(l);
    match a.finish() {
        Err(AsmError::BranchOutOfRange { at: 4, .. }) => {}
        other => panic!("{other:?}"),
    }
    let mut a = Assembler::new();
    let l = a.new_label();
    a.adr(Gpr::X0, l);
    a.bytes(&[0; 3]);
    a.bind(l);
    let code = a.finish().unwrap();
    assert_eq!(decoded_offset(words(&code)[0]), Some(7));
    // Its edges are odd byte counts.
    for (delta, fits) in [((1 << 20) - 1, true), (1 << 20, false)] {
        let mut a = Assembler::new();
        let l = a.new_label();
        a.adr(Gpr::X0, l);
        a.bytes(&vec![0; delta - 4]);
        a.bind(l);
        match a.finish() {
            Ok(code) => assert!(fits && decoded_offset(words(&code)[0]) == Some(delta as i64)),
            Err(e) => assert!(!fits && matches!(e, AsmError::BranchOutOfRange { at: 0, .. })),
        }
    }
}

#[test]
fn one_label_many_branches() {
    let mut a = Assembler::new();
    let top = a.new_label();
    let end = a.new_label();
    a.bind(top);
    a.cbz(Size::S32, Gpr::X0, end);
    a.b_cond(Cond::Eq, end);
    a.tbnz(Gpr::X0, 63, end);
    a.b(top);
    a.bl(top);
    a.nop();
    a.bind(end);
    a.b(end);
    assert_eq!(a.label_offset(end), Some(24));
    let code = a.finish().unwrap();
    let offsets: Vec<_> = words(&code).into_iter().map(decoded_offset).collect();
    assert_eq!(
        offsets,
        [
            Some(24),
            Some(20),
            Some(16),
            Some(-12),
            Some(-16),
            None,
            Some(0)
        ]
    );
    assert_eq!(
        yaxpeax_text(&code),
        "cbz w0, 0x18; b.eq 0x18; tbnz x0, #0x3f, 0x18; b 0x0; bl 0x0; nop; b 0x18"
    );
}

/// A jump table: 32-bit offsets of the cases from the table's start.
#[test]
fn jump_table() {
    let mut a = Assembler::new();
    let cases: Vec<Label> = (0..3).map(|_| a.new_label()).collect();
    let table = a.new_label();
    a.bind(cases[0]);
    a.nop();
    a.adr(Gpr::X16, table);
    a.bind(cases[1]);
    a.ret();
    a.bind(table);
    for &case in cases.iter().chain([&cases[2]]) {
        a.label_diff32(case, table);
    }
    a.bind(cases[2]);
    a.udf(1);
    let code = a.finish().unwrap();
    let words = words(&code);
    assert_eq!(words[3] as i32, -12);
    assert_eq!(words[4] as i32, -4);
    assert_eq!(words[5] as i32, 16);
    assert_eq!(words[6] as i32, 16);
    assert_eq!(decoded_offset(words[1]), Some(8));
}

#[test]
fn jump_table_before_its_targets() {
    let mut a = Assembler::new();
    let base = a.new_label();
    let target = a.new_label();
    a.bind(base);
    a.label_diff32(target, base);
    a.label_diff32(base, base);
    a.nop();
    a.bind(target);
    let code = a.finish().unwrap();
    assert_eq!(words(&code)[..2], [12, 0]);
}

#[test]
fn alignment() {
    let nop = 0xd503_201f;
    let mut a = Assembler::new();
    a.nop();
    a.align(16);
    assert_eq!(a.offset(), 16);
    assert_eq!(words(a.code()), [nop; 4]);
    a.align(16);
    assert_eq!(a.offset(), 16);
    a.align(4);
    assert_eq!(a.offset(), 16);
    // After odd data: zero bytes to a word, then nops.
    a.bytes(&[0xaa]);
    a.align(8);
    assert_eq!(&a.code()[16..24], [0xaa, 0, 0, 0, 0x1f, 0x20, 0x03, 0xd5]);
    // align_code pads only when the padding is short enough.
    a.nop();
    a.align_code(64, 12);
    assert_eq!(a.offset(), 28);
    a.align_code(32, 4);
    assert_eq!(a.offset(), 32);
    a.align_code(32, 0);
    assert_eq!(a.offset(), 32);
    assert!(a.finish().is_ok());
    // A bad alignment is an error, not a panic.
    let mut a = Assembler::new();
    a.align(12);
    assert!(matches!(
        a.finish(),
        Err(AsmError::Unencodable { at: 0, .. })
    ));
}

#[test]
fn label_misuse() {
    let mut a = Assembler::new();
    let l = a.new_label();
    a.b(l);
    assert_eq!(a.finish(), Err(AsmError::UnboundLabel(l)));

    let mut a = Assembler::new();
    let l = a.new_label();
    a.bind(l);
    a.nop();
    a.bind(l);
    assert_eq!(a.finish(), Err(AsmError::LabelBoundTwice(l)));

    let mut other = Assembler::new();
    let _ = other.new_label();
    let foreign = other.new_label();
    let mut a = Assembler::new();
    a.b(foreign);
    assert_eq!(a.finish(), Err(AsmError::ForeignLabel(foreign)));
    let mut a = Assembler::new();
    a.bind(foreign);
    assert_eq!(a.finish(), Err(AsmError::ForeignLabel(foreign)));

    let mut a = Assembler::new();
    let (base, target) = (a.new_label(), a.new_label());
    a.bind(target);
    a.label_diff32(target, base);
    assert_eq!(a.finish(), Err(AsmError::UnboundLabel(base)));
}

/// An operand the instruction cannot hold records an error at its offset
/// and leaves `udf #0` in its place, so the code keeps its layout.
#[test]
fn unencodable_operands() {
    type Emit = fn(&mut Assembler);
    let cases: [(&str, Emit); 24] = [
        ("ldr offset", |a| {
            a.ldr(Size::S64, Gpr::X0, Mem::offset(Gpr::X1, 32768))
        }),
        ("ldr unscaled", |a| {
            a.ldr(Size::S64, Gpr::X0, Mem::offset(Gpr::X1, 257))
        }),
        ("ldrb negative", |a| {
            a.ldrb(Gpr::X0, Mem::offset(Gpr::X1, -257))
        }),
        ("pre-index", |a| {
            a.str(Size::S32, Gpr::X0, Mem::pre(Gpr::X1, 256))
        }),
        ("writeback clash", |a| {
            a.ldr(Size::S64, Gpr::X1, Mem::post(Gpr::X1, 8))
        }),
        ("pair offset", |a| {
            a.stp(Size::S64, Gpr::X0, Gpr::X1, Mem::offset(Gpr::Sp, 512))
        }),
        ("pair misaligned", |a| {
            a.ldp(Size::S32, Gpr::X0, Gpr::X1, Mem::offset(Gpr::X2, 2))
        }),
        ("pair index", |a| {
            a.ldp(Size::S64, Gpr::X0, Gpr::X1, Mem::index(Gpr::X2, Gpr::X3))
        }),
        ("pair same", |a| {
            a.ldp(Size::S64, Gpr::X0, Gpr::X0, Mem::base(Gpr::X2))
        }),
        ("add imm", |a| {
            a.add_imm(Size::S64, Gpr::X0, Gpr::X1, 1 << 24)
        }),
        ("sub imm min", |a| {
            a.sub_imm(Size::S64, Gpr::X0, Gpr::X1, i64::MIN)
        }),
        ("imm12", |a| {
            a.add_sub_imm12(AddSubOp::Add, Size::S64, Gpr::X0, Gpr::X1, 4096, false)
        }),
        ("cmp imm", |a| a.cmp_imm(Size::S64, Gpr::X0, 4097)),
        ("logic imm", |a| {
            a.logic_imm(LogicOp::And, Size::S64, Gpr::X0, Gpr::X1, 0)
        }),
        ("shift", |a| {
            a.shift_ri(Shift::Lsl, Size::S32, Gpr::X0, Gpr::X1, 32)
        }),
        ("ror add", |a| {
            a.add_sub_shifted(
                AddSubOp::Add,
                Size::S64,
                Gpr::X0,
                Gpr::X1,
                Gpr::X2,
                Shift::Ror,
                1,
            )
        }),
        ("extend shift", |a| {
            a.add_sub_ext(
                AddSubOp::Add,
                Size::S64,
                Gpr::X0,
                Gpr::X1,
                Gpr::X2,
                Extend::Uxtw,
                5,
            )
        }),
        ("bitfield", |a| a.ubfx(Size::S64, Gpr::X0, Gpr::X1, 60, 5)),
        ("movz shift", |a| a.movz(Size::S32, Gpr::X0, 1, 32)),
        ("tbz bit", |a| {
            let l = a.new_label();
            a.bind(l);
            a.tbz(Gpr::X0, 64, l);
        }),
        ("fmov imm", |a| a.fmov_imm(FloatSize::F64, Fpr::V0, 0)),
        ("nzcv", |a| {
            a.ccmp(Size::S64, Gpr::X0, Gpr::X1, 16, Cond::Eq)
        }),
        ("cset al", |a| a.cset(Size::S64, Gpr::X0, Cond::Al)),
        ("status register", |a| {
            a.stlxr(Width::W, Gpr::X0, Gpr::X0, Gpr::X1)
        }),
    ];
    for (name, f) in cases {
        let mut a = Assembler::new();
        a.nop();
        f(&mut a);
        assert_eq!(a.offset(), 8, "{name}");
        assert_eq!(words(a.code())[1], 0, "{name}: udf #0 placeholder");
        match a.finish() {
            Err(AsmError::Unencodable { at: 4, what }) => assert!(!what.is_empty()),
            other => panic!("{name}: {other:?}"),
        }
    }
}

/// `sp` in a zero-register field, or `xzr` in a stack-pointer field, is a
/// bug in the caller: a debug assertion in debug builds, an error otherwise.
#[test]
#[cfg(not(debug_assertions))]
fn wrong_register_31() {
    type Emit = fn(&mut Assembler);
    let cases: [Emit; 8] = [
        |a| a.add(Size::S64, Gpr::X0, Gpr::X1, Gpr::Sp),
        |a| a.logic(LogicOp::Orr, Size::S64, Gpr::Sp, Gpr::X1, Gpr::X2),
        |a| a.ldr(Size::S64, Gpr::X0, Mem::base(Gpr::Zr)),
        |a| a.ldr(Size::S64, Gpr::Sp, Mem::base(Gpr::X0)),
        |a| a.mov_rr(Size::S64, Gpr::Sp, Gpr::Zr),
        |a| a.mov_imm(Size::S64, Gpr::Sp, 1),
        |a| a.br(Gpr::Sp),
        |a| a.ldar(Width::X, Gpr::X0, Gpr::Zr),
    ];
    for (i, f) in cases.into_iter().enumerate() {
        let mut a = Assembler::new();
        f(&mut a);
        assert!(
            matches!(a.finish(), Err(AsmError::Unencodable { at: 0, .. })),
            "case {i}"
        );
    }
}

#[test]
fn life_cycle() {
    let mut a = Assembler::with_capacity(1024);
    assert!(a.capacity() >= 1024);
    let l = a.new_label();
    a.b(l);
    assert_eq!(a.code(), [0, 0, 0, 0x14]);
    a.bind(l);
    let first = a.finish_copy().unwrap();
    assert_eq!(first, [1, 0, 0, 0x14]);
    a.reset(64);
    assert_eq!(a.offset(), 0);
    // Labels start again from 0, and old errors are gone.
    let l2 = a.new_label();
    assert_eq!(l2.index(), 0);
    a.ret();
    assert_eq!(a.finish().unwrap(), [0xc0, 0x03, 0x5f, 0xd6]);
}
