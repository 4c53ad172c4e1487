//! Golden IR for small functions, and a sweep over the benchmark programs.

use super::{translate, translate_inlining, InlinePolicy};
use crate::error::JitError;
use wx_core::ModuleInfo;

fn ir(wat: &str, def: u32) -> String {
    let info = ModuleInfo::new(&wat::parse_str(wat).unwrap()).unwrap();
    translate(&info, def).unwrap().to_string()
}

#[test]
fn straight_line_with_immediates_and_folding() {
    let text = ir(
        "(module (func (param i32 i32) (result i32)
           (i32.add (i32.mul (local.get 0) (i32.const 3)) (i32.add (i32.const 2) (i32.const 5)))))",
        0,
    );
    assert_eq!(
        text,
        "function(v0: i32, v1: i32) -> [i32]\n\
         block0:\n  v2 = i32.mul v0, 3\n  v3 = i32.add v2, 7\n  return v3\n"
    );
}

#[test]
fn if_else_with_a_result_and_a_fused_compare() {
    let text = ir(
        "(module (func $fib (param i32) (result i32)
           (if (result i32) (i32.lt_u (local.get 0) (i32.const 2))
             (then (local.get 0))
             (else (i32.add (call $fib (i32.sub (local.get 0) (i32.const 1)))
                            (call $fib (i32.sub (local.get 0) (i32.const 2))))))))",
        0,
    );
    assert_eq!(
        text,
        "function(v0: i32) -> [i32]\n\
         block0:\n  br_i32.lt_u v0, 2, block1, block2\n\
         block1:\n  v1 = v0\n  jump block3\n\
         block2:\n  v2 = i32.add v0, -1\n  [v3] = call 0(v2)\n  v4 = i32.add v0, -2\n  [v5] = call 0(v4)\n  v1 = i32.add v3, v5\n  jump block3\n\
         block3:\n  return v1\n"
    );
}

#[test]
fn loops_write_locals_directly_and_branch_back() {
    let text = ir(
        "(module (func (param $n i32) (result i32) (local $acc i32)
           (loop $l
             (local.set $acc (i32.add (local.get $acc) (local.get $n)))
             (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))
           (local.get $acc)))",
        0,
    );
    assert_eq!(
        text,
        "function(v0: i32) -> [i32]\n\
         block0:\n  v1 = i32.const 0\n  jump block1\n\
         block1:\n  v1 = i32.add v1, v0\n  v0 = i32.add v0, -1\n  br_if v0, block1, block2\n\
         block2:\n  return v1\n"
    );
}

#[test]
fn branches_with_values_get_edge_blocks() {
    let text = ir(
        "(module (func (param i32 i32) (result i32)
           (block (result i32)
             (br_if 0 (i32.const 7) (local.get 0))
             (drop)
             (local.get 1))))",
        0,
    );
    assert_eq!(
        text,
        "function(v0: i32, v1: i32) -> [i32]\n\
         block0:\n  br_if v0, block2, block1\n\
         block2:\n  v2 = i32.const 7\n  jump block3\n\
         block1:\n  v2 = v1\n  jump block3\n\
         block3:\n  return v2\n"
    );
}

#[test]
fn a_pushed_local_survives_a_later_write() {
    let text = ir(
        "(module (func (param i32) (result i32)
           (local.get 0) (local.set 0 (i32.const 9)) (local.get 0) (i32.sub)))",
        0,
    );
    assert_eq!(
        text,
        "function(v0: i32) -> [i32]\n\
         block0:\n  v1 = v0\n  v0 = i32.const 9\n  v2 = i32.sub v1, v0\n  return v2\n"
    );
}

#[test]
fn references_tables_and_bulk_memory() {
    let text = ir(
        r#"(module (memory 1) (table $t 2 funcref) (elem func 0) (data "ab")
           (func (param i32) (result i32)
             (table.set $t (local.get 0) (ref.func 0))
             (memory.fill (i32.const 0) (i32.const 7) (local.get 0))
             (table.init $t 0 (i32.const 0) (i32.const 0) (i32.const 1))
             (elem.drop 0)
             (drop (table.grow $t (ref.null func) (i32.const 1)))
             (i32.add (table.size $t) (ref.is_null (table.get $t (local.get 0))))))"#,
        0,
    );
    // References are i64 (null = 0); table.get/set/size are inline, the
    // rest call the runtime with their indices ahead of the operands.
    assert_eq!(
        text,
        "function(v0: i32) -> [i32]\n\
         block0:\n  v1 = ref.func 0\n  table.set 0, v0, v1\n\
         \x20 v2 = i32.const 0\n  v3 = i32.const 7\n  [] = libcall memory_fill[0](v2, v3, v0)\n\
         \x20 v4 = i32.const 0\n  v5 = i32.const 0\n  v6 = i32.const 1\n\
         \x20 [] = libcall table_init[0, 0](v4, v5, v6)\n  [] = libcall elem_drop[0]()\n\
         \x20 v7 = i64.const 0\n  v8 = i32.const 1\n  [v9] = libcall table_grow[0](v7, v8)\n\
         \x20 v10 = table.size 0\n  v11 = table.get 0, v0\n  v12 = i64.eqz v11\n\
         \x20 v13 = i32.add v10, v12\n  return v13\n"
    );
}

/// Every function of every benchmark program translates to valid IR or is
/// reported unsupported (the translator verifies its output).
#[test]
fn benchmark_programs_translate() {
    let mut translated = 0;
    for (path, info) in crate::test_util::benchmark_modules(true) {
        for def in 0..info.num_defined_funcs() {
            match translate(&info, def) {
                Ok(_) => translated += 1,
                Err(JitError::Unsupported { .. }) => {}
                Err(e) => panic!("{}: function {def}: {e}", path.display()),
            }
        }
    }
    assert!(translated > 1000, "only {translated} functions translated");
}

fn ir_inlining(wat: &str, def: u32, policy: InlinePolicy) -> String {
    let info = ModuleInfo::new(&wat::parse_str(wat).unwrap()).unwrap();
    translate_inlining(&info, def, policy).unwrap().to_string()
}

fn ir_inlined(wat: &str, def: u32) -> String {
    ir_inlining(wat, def, InlinePolicy::default())
}

#[test]
fn a_small_leaf_is_inlined_with_its_arguments_in_place() {
    let wat = "(module
       (func $sq (param i32) (result i32) (i32.mul (local.get 0) (local.get 0)))
       (func (param i32) (result i32)
         (i32.add (call $sq (i32.add (local.get 0) (i32.const 1))) (i32.const 5))))";
    // The argument register is the parameter (the callee never writes it),
    // and the caller goes on in the same block.
    assert_eq!(
        ir_inlined(wat, 1),
        "function(v0: i32) -> [i32]\n\
         block0:\n  v1 = i32.add v0, 1\n  ; inlined call 0\n  v2 = i32.mul v1, v1\n\
         \x20 v3 = i32.add v2, 5\n  return v3\n"
    );
    // As written, it is a call.
    assert!(ir(wat, 1).contains("call 0(v1)"));
}

#[test]
fn constant_arguments_fold_into_the_inlined_body() {
    let wat = "(module
       (func $f (param i32 i32) (result i32) (i32.shl (local.get 0) (local.get 1)))
       (func (param i32) (result i32) (call $f (local.get 0) (i32.const 3))))";
    assert_eq!(
        ir_inlined(wat, 1),
        "function(v0: i32) -> [i32]\n\
         block0:\n  ; inlined call 0\n  v1 = i32.shl v0, 3\n  return v1\n"
    );
}

#[test]
fn written_locals_get_registers_zeroed_at_each_entry() {
    let wat = "(module
       (func $f (param i32) (result i32) (local i32)
         (local.set 1 (i32.add (local.get 1) (local.get 0)))
         (local.set 0 (i32.const 7))
         (i32.add (local.get 0) (local.get 1)))
       (func (param i32) (result i32) (call $f (local.get 0))))";
    assert_eq!(
        ir_inlined(wat, 1),
        "function(v0: i32) -> [i32]\n\
         block0:\n  ; inlined call 0\n  v1 = v0\n  v2 = i32.const 0\n  v2 = i32.add v2, v1\n\
         \x20 v1 = i32.const 7\n  v4 = i32.add v1, v2\n  return v4\n"
    );
}

#[test]
fn returns_from_an_inlined_body_continue_after_the_call() {
    let wat = "(module
       (func $f (param i32) (result i32 i32)
         (if (i32.eqz (local.get 0)) (then (return (i32.const 1) (i32.const 2))))
         (local.get 0) (i32.const 3))
       (func (param i32) (result i32) (call $f (local.get 0)) (i32.sub)))";
    let text = ir_inlined(wat, 1);
    // One return, the caller's, after the join of the callee's two exits.
    assert!(!text.contains("call 0("), "{text}");
    assert_eq!(text.matches("return").count(), 1, "{text}");
    assert!(
        text.ends_with("block3:\n  v3 = i32.sub v1, v2\n  return v3\n"),
        "{text}"
    );
}

#[test]
fn only_small_leaves_within_the_budget_are_inlined() {
    let wat = "(module
       (func $leaf (param i32) (result i32) (i32.add (local.get 0) (i32.const 1)))
       (func $calls (param i32) (result i32) (call $leaf (local.get 0)))
       (func $big (param i32) (result i32)
         (i32.add (i32.mul (i32.add (local.get 0) (i32.const 1000)) (i32.const 3000))
                  (i32.mul (i32.add (local.get 0) (i32.const 5000)) (i32.const 7000))))
       (func (param i32) (result i32)
         (i32.add (i32.add (call $leaf (local.get 0)) (call $leaf (local.get 0)))
                  (i32.add (call $calls (local.get 0)) (call $big (local.get 0))))))";
    let policy = |max_callee_bytes, budget| InlinePolicy {
        max_callee_bytes,
        budget,
    };
    // $leaf is 7 bytes, $big 27 (with their size and local count).
    let all = ir_inlining(wat, 3, policy(100, 100));
    assert_eq!(all.matches("; inlined call").count(), 3, "{all}");
    // $calls is not a leaf.
    assert!(all.contains("call 1("), "{all}");
    let small = ir_inlining(wat, 3, policy(10, 100));
    assert_eq!(small.matches("; inlined call 0").count(), 2, "{small}");
    assert!(small.contains("call 2("), "{small}");
    let budget = ir_inlining(wat, 3, policy(100, 10));
    assert_eq!(budget.matches("; inlined call").count(), 1, "{budget}");
    assert!(budget.contains("call 0("), "{budget}");
    let none = ir_inlining(wat, 3, InlinePolicy::NONE);
    assert!(!none.contains("; inlined"), "{none}");
}

#[test]
fn imported_functions_are_not_inlined() {
    let wat = "(module (import \"m\" \"f\" (func $f (param i32) (result i32)))
       (func (param i32) (result i32) (call $f (local.get 0))))";
    assert!(ir_inlined(wat, 0).contains("call 0(v0)"));
}

/// Every function of every benchmark program translates with inlining.
#[test]
fn benchmark_programs_translate_with_inlining() {
    let (mut translated, mut inlined) = (0, 0);
    for (path, info) in crate::test_util::benchmark_modules(true) {
        for def in 0..info.num_defined_funcs() {
            match translate_inlining(&info, def, InlinePolicy::default()) {
                Ok(f) => {
                    translated += 1;
                    inlined += f.inlined.len();
                }
                Err(JitError::Unsupported { .. }) => {}
                Err(e) => panic!("{}: function {def}: {e}", path.display()),
            }
        }
    }
    assert!(translated > 1000, "only {translated} functions translated");
    assert!(inlined > 100, "only {inlined} calls inlined");
}

/// A comparison kept in a local for two uses: the select compares again
/// rather than testing the 0/1, unless the comparison overwrote one of its
/// own operands.
#[test]
fn a_select_on_a_just_computed_comparison_compares_again() {
    let text = ir(
        "(module (func (param i32 i32) (result i32) (local i32)
           (local.set 2 (i32.gt_u (local.get 0) (local.get 1)))
           (i32.add (select (local.get 1) (local.get 0) (local.get 2)) (local.get 2))))",
        0,
    );
    assert!(text.contains("v2 = i32.gt_u v0, v1\n"), "{text}");
    assert!(
        text.contains("= select (i32.gt_u v0, v1), v1, v0\n"),
        "{text}"
    );
    let text = ir(
        "(module (func (param i32 i32) (result i32)
           (local.set 0 (i32.gt_u (local.get 0) (local.get 1)))
           (select (local.get 1) (local.get 0) (local.get 0))))",
        0,
    );
    assert!(text.contains("= select v0, v1, v0\n"), "{text}");
}
