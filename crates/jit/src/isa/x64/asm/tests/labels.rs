//! Labels: forward and backward jumps, the rel8/rel32 choice, one label used
//! many times, RIP-relative `lea`, jump tables of label differences, and
//! label misuse reported by `finish`.

use iced_x86::{Mnemonic, OpKind, Register};

use super::*;

/// Decodes `code` and returns (offset, mnemonic, branch target) of each jump.
fn branches(code: &[u8]) -> Vec<(usize, Mnemonic, usize)> {
    decode_all(code)
        .iter()
        .filter(|i| i.op_count() == 1 && i.op_kind(0) == OpKind::NearBranch64)
        .map(|i| {
            (
                i.ip() as usize,
                i.mnemonic(),
                i.near_branch_target() as usize,
            )
        })
        .collect()
}

fn jcc_mnemonic(cond: Cond) -> Mnemonic {
    use Mnemonic::*;
    [
        Jo, Jno, Jb, Jae, Je, Jne, Jbe, Ja, Js, Jns, Jp, Jnp, Jl, Jge, Jle, Jg,
    ][cond.enc() as usize]
}

#[test]
fn forward_jmp_is_rel32() {
    let mut a = Assembler::new();
    let l = a.new_label();
    a.jmp(l);
    a.nop();
    a.bind(l);
    a.ret();
    assert_eq!(a.label_offset(l), Some(6));
    let code = a.finish().unwrap();
    assert_eq!(hex(&code), "e9 01 00 00 00 90 c3");
    assert_eq!(branches(&code), [(0, Mnemonic::Jmp, 6)]);
}

#[test]
fn backward_jmp_is_rel8_when_close() {
    let mut a = Assembler::new();
    let l = a.new_label();
    a.bind(l);
    a.nop();
    a.jmp(l);
    let code = a.finish().unwrap();
    assert_eq!(hex(&code), "90 eb fd");
    assert_eq!(branches(&code), [(1, Mnemonic::Jmp, 0)]);
}

#[test]
fn jump_to_itself() {
    let mut a = Assembler::new();
    let l = a.new_label();
    a.bind(l);
    a.jmp(l);
    a.jcc(Cond::Ne, l);
    let code = a.finish().unwrap();
    assert_eq!(hex(&code), "eb fe 75 fc");
}

/// The rel8 form is used exactly up to a distance of -128 from the end of
/// the two-byte jump; one byte further needs rel32.
#[test]
fn backward_rel8_boundary() {
    for cond in [None, Some(Cond::E), Some(Cond::G)] {
        for pad in [125usize, 126, 127, 128] {
            let mut a = Assembler::new();
            let l = a.new_label();
            a.bind(l);
            for _ in 0..pad {
                a.nop();
            }
            match cond {
                None => a.jmp(l),
                Some(c) => a.jcc(c, l),
            }
            let code = a.finish().unwrap();
            let len = code.len() - pad;
            let short = pad + 2 <= 128;
            let want_len = match (short, cond) {
                (true, _) => 2,
                (false, None) => 5,
                (false, Some(_)) => 6,
            };
            assert_eq!(len, want_len, "{cond:?} after {pad} bytes");
            let want_mn = cond.map_or(Mnemonic::Jmp, jcc_mnemonic);
            assert_eq!(
                branches(&code),
                [(pad, want_mn, 0)],
                "{cond:?} after {pad} bytes"
            );
        }
    }
}

#[test]
fn backward_far_jmp_and_jcc_are_rel32() {
    let mut a = Assembler::new();
    let l = a.new_label();
    a.bind(l);
    for _ in 0..200 {
        a.nop();
    }
    a.jmp(l);
    a.jcc(Cond::B, l);
    let code = a.finish().unwrap();
    // jmp: 0 - (200 + 5) = -205; jb: 0 - (205 + 6) = -211.
    assert_eq!(hex(&code[200..]), "e9 33 ff ff ff 0f 82 2d ff ff ff");
    assert_eq!(
        branches(&code),
        [(200, Mnemonic::Jmp, 0), (205, Mnemonic::Jb, 0)]
    );
}

#[test]
fn every_condition_forward_and_backward() {
    let mut a = Assembler::new();
    let back = a.new_label();
    let fwd = a.new_label();
    a.bind(back);
    for cond in Cond::ALL {
        a.jcc(cond, fwd);
        a.jcc(cond, back);
    }
    a.bind(fwd);
    a.ret();
    let end = a.label_offset(fwd).unwrap();
    let code = a.finish().unwrap();
    let got = branches(&code);
    assert_eq!(got.len(), 32);
    for (i, cond) in Cond::ALL.into_iter().enumerate() {
        let mn = jcc_mnemonic(cond);
        assert_eq!((got[2 * i].1, got[2 * i].2), (mn, end), "{cond:?} forward");
        assert_eq!(
            (got[2 * i + 1].1, got[2 * i + 1].2),
            (mn, 0),
            "{cond:?} backward"
        );
    }
}

#[test]
fn one_label_many_uses() {
    let mut a = Assembler::new();
    let l = a.new_label();
    a.jmp(l);
    a.jcc(Cond::E, l);
    a.alu_rr(AluOp::Add, Size::S64, Gpr::Rax, Gpr::Rcx);
    a.jcc(Cond::L, l);
    a.lea_label(Gpr::R9, l);
    a.bind(l);
    a.nop();
    a.jcc(Cond::A, l);
    a.jmp(l);
    let target = a.label_offset(l).unwrap();
    let code = a.finish().unwrap();
    let got: Vec<(Mnemonic, usize)> = branches(&code).iter().map(|b| (b.1, b.2)).collect();
    assert_eq!(
        got,
        [
            (Mnemonic::Jmp, target),
            (Mnemonic::Je, target),
            (Mnemonic::Jl, target),
            (Mnemonic::Ja, target),
            (Mnemonic::Jmp, target),
        ]
    );
    let lea = decode_all(&code)
        .into_iter()
        .find(|i| i.mnemonic() == Mnemonic::Lea)
        .unwrap();
    assert_eq!(lea.op_register(0), Register::R9);
    assert_eq!(lea.memory_base(), Register::RIP);
    assert_eq!(lea.memory_displacement64() as usize, target);
}

#[test]
fn lea_label_forward_and_backward() {
    let mut a = Assembler::new();
    let data = a.new_label();
    let start = a.new_label();
    a.bind(start);
    a.lea_label(Gpr::Rax, data);
    a.lea_label(Gpr::R12, start);
    a.ret();
    a.bind(data);
    a.int3();
    let code = a.finish().unwrap();
    // lea rax,[rip+8]: the data label is at 15, the lea ends at 7.
    assert_eq!(
        hex(&code),
        "48 8d 05 08 00 00 00 4c 8d 25 f2 ff ff ff c3 cc"
    );
    assert_eq!(intel(&code), "lea rax,[0Fh]; lea r12,[0]; ret; int3");
}

#[test]
fn call_label_forward_and_backward() {
    let mut a = Assembler::new();
    let (start, callee) = (a.new_label(), a.new_label());
    a.bind(start);
    a.call_label(callee);
    a.call_label(start);
    a.bind(callee);
    a.ret();
    let code = a.finish().unwrap();
    assert_eq!(hex(&code), "e8 05 00 00 00 e8 f6 ff ff ff c3");
    assert_eq!(intel(&code), "call 000000000000000Ah; call 0; ret");
}

/// A jump table: bounds check, dispatch through 32-bit offsets from the
/// table's start, cases before and after the table. The code part is
/// decoded by iced-x86; each entry, added to the table's offset, must be
/// its case's label.
#[test]
fn jump_table_dispatch() {
    use Gpr::*;
    let mut a = Assembler::new();
    let table = a.new_label();
    let default = a.new_label();
    let cases: Vec<Label> = (0..4).map(|_| a.new_label()).collect();
    a.bind(cases[0]); // before the dispatch: a backward entry
    a.nop();
    a.nop();
    a.alu_ri(AluOp::Cmp, Size::S32, Rax, 5);
    a.jcc(Cond::Ae, default);
    a.mov_rr(Size::S32, R10, Rax);
    a.lea_label(R11, table);
    a.movsx_rm(ExtMode::LQ, R10, Mem::indexed(R11, R10, Scale::X4, 0));
    a.alu_rr(AluOp::Add, Size::S64, R10, R11);
    a.jmp_r(R10);
    a.bind(cases[1]);
    a.nop();
    a.bind(cases[2]);
    a.bind(default);
    a.ret();
    a.align(4);
    a.bind(table);
    // Case 4 shares case 1's target; case 3 lies after the table.
    for l in [cases[0], cases[1], cases[2], cases[3], cases[1]] {
        a.label_diff32(l, table);
    }
    a.bind(cases[3]);
    a.int3();
    let start = a.label_offset(table).unwrap();
    let end = a.label_offset(default).unwrap() + 1;
    let want: Vec<usize> = [0, 1, 2, 3, 1]
        .iter()
        .map(|&c| a.label_offset(cases[c]).unwrap())
        .collect();
    let code = a.finish().unwrap();
    // The code ends at 0x21 and is padded with int3 to 0x24.
    assert_eq!((end, start), (0x21, 0x24));
    assert_eq!(hex(&code[end..start]), "cc cc cc");
    assert_eq!(
        intel(&code[..end]),
        "nop; nop; cmp eax,5; jae 0000000000000020h; mov r10d,eax; lea r11,[24h]; \
         movsxd r10,[r11+r10*4]; add r10,r11; jmp r10; nop; ret"
    );
    let entries: Vec<usize> = code[start..start + 20]
        .chunks(4)
        .map(|w| (start as i64 + i32::from_le_bytes(w.try_into().unwrap()) as i64) as usize)
        .collect();
    assert_eq!(entries, want);
    // Case 0 at 0 is 0x24 behind the table; case 3 at 0x38 is 0x14 ahead.
    assert_eq!(hex(&code[start..start + 4]), "dc ff ff ff");
    assert_eq!(hex(&code[start + 12..start + 16]), "14 00 00 00");
}

#[test]
fn align_pads_with_int3() {
    for (before, to, want) in [
        (0, 4, 0),
        (1, 4, 3),
        (4, 4, 0),
        (5, 8, 3),
        (7, 2, 1),
        (3, 1, 0),
    ] {
        let mut a = Assembler::new();
        for _ in 0..before {
            a.nop();
        }
        a.align(to);
        let code = a.finish().unwrap();
        assert_eq!(code.len(), before + want, "{before} bytes, align {to}");
        assert!(code[before..].iter().all(|&b| b == 0xcc));
    }
}

/// Code alignment pads with `nop`s that decode as such (so falling into a
/// loop header runs them), and adds nothing past its byte limit.
#[test]
fn align_code_pads_with_nops() {
    for before in 0..40 {
        let mut a = Assembler::new();
        for _ in 0..before {
            a.int3();
        }
        a.align_code(32, 31);
        let code = a.finish().unwrap();
        assert_eq!(code.len() % 32, 0, "from {before}");
        assert!(decode_all(&code[before..])
            .iter()
            .all(|i| i.mnemonic() == Mnemonic::Nop));
    }
    let mut a = Assembler::new();
    a.int3();
    a.align_code(32, 4);
    assert_eq!(a.finish().unwrap().len(), 1);
}

#[test]
fn label_diff32_errors() {
    let mut a = Assembler::new();
    let (target, base) = (a.new_label(), a.new_label());
    a.bind(base);
    a.label_diff32(target, base);
    assert_eq!(a.finish(), Err(AsmError::UnboundLabel(target)));

    let mut a = Assembler::new();
    let (target, base) = (a.new_label(), a.new_label());
    a.bind(target);
    a.label_diff32(target, base);
    assert_eq!(a.finish(), Err(AsmError::UnboundLabel(base)));

    let mut other = Assembler::new();
    let _ = (other.new_label(), other.new_label());
    let foreign = other.new_label();
    let mut a = Assembler::new();
    let target = a.new_label();
    a.bind(target);
    a.label_diff32(target, foreign);
    assert_eq!(a.finish(), Err(AsmError::ForeignLabel(foreign)));
}

/// Random programs: labels bound at random points, jumps to random labels
/// before and after binding; every decoded jump must hit its label.
#[test]
fn random_programs() {
    let mut seed = 0x853c_49e6_748f_ea9bu64;
    let mut next = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    let mut jumps = 0;
    for _ in 0..200 {
        let mut a = Assembler::new();
        let labels: Vec<Label> = (0..8).map(|_| a.new_label()).collect();
        let mut bound = vec![false; labels.len()];
        let mut expect = Vec::new();
        // The label of a jmp emitted last: binding that label right after
        // drops the jmp (control falls through).
        // (Unless another label was bound after it.)
        let mut last_jmp: Option<usize> = None;
        for _ in 0..64 {
            match next() % 4 {
                0 => {
                    let i = (next() % 8) as usize;
                    if !bound[i] {
                        a.bind(labels[i]);
                        bound[i] = true;
                        if last_jmp == Some(i) {
                            expect.pop();
                        }
                        last_jmp = None;
                    }
                }
                1 => {
                    for _ in 0..next() % 150 {
                        a.nop();
                        last_jmp = None;
                    }
                }
                _ => {
                    let i = (next() % 8) as usize;
                    let at = a.offset();
                    last_jmp = None;
                    if next() % 2 == 0 {
                        a.jmp(labels[i]);
                        last_jmp = Some(i);
                    } else {
                        a.jcc(Cond::ALL[(next() % 16) as usize], labels[i]);
                    }
                    expect.push((at, i));
                }
            }
        }
        for (i, &l) in labels.iter().enumerate() {
            if !bound[i] {
                a.bind(l);
                if last_jmp == Some(i) {
                    expect.pop();
                }
                last_jmp = None;
            }
        }
        let offsets: Vec<usize> = labels.iter().map(|&l| a.label_offset(l).unwrap()).collect();
        let code = a.finish().unwrap();
        let got = branches(&code);
        assert_eq!(got.len(), expect.len());
        for ((at, mn, target), (want_at, label)) in got.into_iter().zip(expect) {
            assert_eq!((at, target), (want_at, offsets[label]), "{mn:?}");
            jumps += 1;
        }
    }
    assert!(jumps > 5_000, "{jumps} jumps checked");
}

#[test]
fn unbound_label_is_an_error() {
    let mut a = Assembler::new();
    let used = a.new_label();
    let _unused = a.new_label();
    a.jmp(used);
    assert_eq!(a.finish(), Err(AsmError::UnboundLabel(used)));

    let mut a = Assembler::new();
    let l = a.new_label();
    a.lea_label(Gpr::Rax, l);
    let err = a.finish().unwrap_err();
    assert_eq!(err, AsmError::UnboundLabel(l));
    assert_eq!(err.to_string(), "label 0 is used but never bound");
}

#[test]
fn unused_unbound_label_is_fine() {
    let mut a = Assembler::new();
    let _ = a.new_label();
    a.ret();
    assert_eq!(a.finish(), Ok(vec![0xc3]));
}

#[test]
fn label_bound_twice_is_an_error() {
    let mut a = Assembler::new();
    let l = a.new_label();
    a.bind(l);
    a.nop();
    a.bind(l);
    assert_eq!(a.label_offset(l), Some(0), "the first binding stays");
    assert_eq!(a.finish(), Err(AsmError::LabelBoundTwice(l)));
}

#[test]
fn foreign_label_is_an_error() {
    let mut other = Assembler::new();
    let _ = other.new_label();
    let foreign = other.new_label();

    let mut a = Assembler::new();
    a.jmp(foreign);
    assert_eq!(a.finish(), Err(AsmError::ForeignLabel(foreign)));

    let mut a = Assembler::new();
    a.bind(foreign);
    assert_eq!(a.finish(), Err(AsmError::ForeignLabel(foreign)));
}

/// An assembler reset after use (even after a label misuse) encodes new
/// code exactly as a fresh one: no label, fixup or error carries over.
#[test]
fn reset_forgets_labels_fixups_and_errors() {
    let program = |a: &mut Assembler| {
        let (top, out) = (a.new_label(), a.new_label());
        a.bind(top);
        a.jcc(Cond::E, out);
        a.jmp(top);
        a.bind(out);
        a.ret();
    };
    let mut fresh = Assembler::new();
    program(&mut fresh);
    let want = fresh.finish().unwrap();

    let mut a = Assembler::new();
    let unbound = a.new_label();
    for _ in 0..40 {
        a.nop();
    }
    a.jmp(unbound);
    assert!(a.finish_copy().is_err());
    a.reset(16);
    program(&mut a);
    assert_eq!(a.finish_copy().unwrap(), want);
    a.reset(0);
    program(&mut a);
    assert_eq!(a.finish_copy().unwrap(), want);
}
