//! Labels: forward and backward jumps, the rel8/rel32 choice, one label used
//! many times, RIP-relative `lea`, and label misuse reported by `finish`.

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
        for _ in 0..64 {
            match next() % 4 {
                0 => {
                    let i = (next() % 8) as usize;
                    if !bound[i] {
                        a.bind(labels[i]);
                        bound[i] = true;
                    }
                }
                1 => {
                    for _ in 0..next() % 150 {
                        a.nop();
                    }
                }
                _ => {
                    let i = (next() % 8) as usize;
                    let at = a.offset();
                    if next() % 2 == 0 {
                        a.jmp(labels[i]);
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
