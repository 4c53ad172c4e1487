//! The shape of translated code: these pin the optimisations the
//! translator promises (no copies for local.get/const, results written
//! straight to locals, fused compare+branch, immediate operands).

use super::translate;
use crate::bytecode::Op;
use wx_core::ModuleInfo;

fn ops(body: &str) -> Vec<Op> {
    let wat = format!("(module (func (param i32 i32) (result i32) (local i32) {body}))");
    let info = ModuleInfo::new(&wat::parse_str(&wat).unwrap()).unwrap();
    translate(&info, 0).unwrap().ops.into_vec()
}

#[test]
fn local_operands_need_no_copies() {
    assert_eq!(
        ops("local.get 0 local.get 1 i32.add"),
        vec![Op::I32Add { dst: 3, a: 0, b: 1 }, Op::Return1 { src: 3 }]
    );
}

#[test]
fn results_go_straight_into_locals() {
    assert_eq!(
        ops("local.get 0 local.get 1 i32.mul local.set 2 local.get 2"),
        vec![Op::I32Mul { dst: 2, a: 0, b: 1 }, Op::Return1 { src: 2 }]
    );
}

#[test]
fn constants_become_immediates() {
    assert_eq!(
        ops("local.get 0 i32.const 5 i32.sub"),
        vec![
            Op::I32AddImm {
                dst: 3,
                a: 0,
                imm: -5
            },
            Op::Return1 { src: 3 }
        ]
    );
    // Commutative ops take a constant on either side.
    assert_eq!(
        ops("i32.const 7 local.get 1 i32.and"),
        vec![
            Op::I32AndImm {
                dst: 3,
                a: 1,
                imm: 7
            },
            Op::Return1 { src: 3 }
        ]
    );
}

#[test]
fn compares_fuse_with_branches() {
    let code = ops("(block (br_if 0 (i32.lt_s (local.get 0) (local.get 1)))) i32.const 0");
    assert_eq!(
        code[0],
        Op::BrI32LtS {
            a: 0,
            b: 1,
            offset: 1
        }
    );
    // An `if` branches to its else arm on the negated comparison.
    let code = ops("(if (result i32) (i32.gt_u (local.get 0) (i32.const 9)) (then (i32.const 1)) (else (i32.const 2)))");
    assert_eq!(
        code[0],
        Op::BrI32LeUImm {
            a: 0,
            imm: 9,
            offset: 3
        }
    );
}

#[test]
fn a_pushed_local_survives_a_later_write() {
    let code = ops("local.get 0 i32.const 1 local.set 0 local.get 0 i32.add");
    // The old value is copied out before local 0 is overwritten.
    assert_eq!(code[0], Op::Copy { dst: 3, src: 0 });
    assert_eq!(code[1], Op::Const32 { dst: 0, value: 1 });
}

#[test]
fn loops_count_in_their_header() {
    let code = ops("(loop (br_if 0 (local.get 0))) i32.const 0");
    assert_eq!(code[0], Op::LoopHeader { counter: 0 });
    // The back-edge targets the instruction after the header (here, itself:
    // an offset of 0 is a back-edge too).
    assert_eq!(code[1], Op::BrIfNez { cond: 0, offset: 0 });
}

#[test]
fn increments_write_the_local_directly() {
    // `local.tee` of `local + 1`: one instruction, and the branch reads the local.
    let code = ops("(loop (br_if 0 (i32.lt_u (local.tee 0 (i32.add (local.get 0) (i32.const 1))) (local.get 1)))) i32.const 0");
    assert_eq!(
        code[1],
        Op::I32AddImm {
            dst: 0,
            a: 0,
            imm: 1
        }
    );
    assert_eq!(
        code[2],
        Op::BrI32LtU {
            a: 0,
            b: 1,
            offset: -1
        }
    );
}

#[test]
fn local_plus_const_folds_into_the_address() {
    let wat = "(module (memory 1) (func (param i32) (result i32) (i32.load (i32.add (local.get 0) (i32.const 8)))))";
    let info = ModuleInfo::new(&wat::parse_str(wat).unwrap()).unwrap();
    let code = translate(&info, 0).unwrap().ops.into_vec();
    assert_eq!(
        code[0],
        Op::I32LoadPlus {
            dst: 1,
            base: 0,
            imm: 8
        }
    );
}
