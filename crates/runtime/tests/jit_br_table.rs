//! `br_table` on the JIT against the interpreter: tables small enough for a
//! compare chain and large enough for a jump table, indices in range, at the
//! bounds, past them and "negative" (the index is a u32, so -1 takes the
//! default), an index computed from the low half of an i64, targets that
//! carry a value, and an index read from a spill slot under register
//! pressure. Every function must be compiled by the JIT.

#![cfg(all(target_arch = "x86_64", target_os = "linux"))]

use wx_runtime::*;

mod support;
use support::{differential, Outcome};

/// `(func $name (param i32) (result i32))` dispatching on its parameter over
/// `cases` cases: case `i` returns `i * 7 + 1`, the default returns -1. Case
/// `i` branches to the block of `targets(i)`, so cases can share targets.
fn switch(name: &str, cases: u32, targets: impl Fn(u32) -> u32) -> String {
    let mut f = format!("(func (export \"{name}\") (param i32) (result i32)\n");
    for _ in 0..=cases {
        f.push_str("(block ");
    }
    let labels: Vec<String> = (0..cases).map(|i| targets(i).to_string()).collect();
    f.push_str(&format!(
        "(br_table {} {cases} (local.get 0))",
        labels.join(" ")
    ));
    for i in 0..cases {
        f.push_str(&format!(") (return (i32.const {}))\n", i * 7 + 1));
    }
    f.push_str(") (i32.const -1))\n");
    f
}

const INDICES: &[i32] = &[
    -1,
    0,
    1,
    2,
    3,
    4,
    5,
    50,
    99,
    100,
    101,
    1000,
    i32::MAX,
    i32::MIN,
    -100,
];

fn calls(names: &[&'static str]) -> Vec<(&'static str, Vec<Val>)> {
    names
        .iter()
        .flat_map(|&n| INDICES.iter().map(move |&i| (n, vec![Val::I32(i)])))
        .collect()
}

#[test]
fn br_table_of_100_cases_matches_the_interpreter() {
    let wat = format!("(module {})", switch("s100", 100, |i| i));
    let out = differential(&wat, &calls(&["s100"]));
    // Spot checks: in range, the last case, and u32 indices past the end.
    let ret = |o: &Outcome| o.as_ref().unwrap()[0].i32().unwrap();
    let at = |i: i32| ret(&out[INDICES.iter().position(|&x| x == i).unwrap()]);
    assert_eq!((at(0), at(1), at(50), at(99)), (1, 8, 351, 694));
    assert_eq!((at(-1), at(100), at(1000), at(i32::MIN)), (-1, -1, -1, -1));
}

#[test]
fn br_tables_around_the_compare_chain_limit_match_the_interpreter() {
    let wat = format!(
        "(module {} {} {} {} {} {})",
        switch("s0", 0, |i| i),
        switch("s1", 1, |i| i),
        switch("s4", 4, |i| i),
        switch("s5", 5, |i| i),
        switch("s6_reversed", 6, |i| 5 - i),
        // Shared targets, including the default's block inside the table.
        switch("s3000_shared", 3000, |i| if i % 10 == 9 {
            3000
        } else {
            i % 37
        }),
    );
    differential(
        &wat,
        &calls(&["s0", "s1", "s4", "s5", "s6_reversed", "s3000_shared"]),
    );
}

#[test]
fn br_table_index_from_the_low_half_of_an_i64() {
    let wat = r#"(module
      (func (export "f") (param i64) (result i32)
        (block (block (block (block (block (block (block (block
          (br_table 0 1 2 3 4 5 6 7 (i32.wrap_i64 (local.get 0))))
          (return (i32.const 10))) (return (i32.const 11)))
          (return (i32.const 12))) (return (i32.const 13)))
          (return (i32.const 14))) (return (i32.const 15)))
          (return (i32.const 16))) (i32.const 17)))"#;
    let args = [
        0i64,
        3,
        6,
        7,
        -1,
        0x1_0000_0005,
        0xffff_ffff_0000_0002u64 as i64,
        0x7fff_ffff,
        0x8000_0000,
    ];
    let calls: Vec<_> = args.iter().map(|&a| ("f", vec![Val::I64(a)])).collect();
    differential(wat, &calls);
}

#[test]
fn br_table_targets_carrying_values_in_a_loop() {
    // Sums, over i in 0..n, a value chosen by br_table on i % 9 (cases 0..7,
    // 8 takes the default), the value passed to the target block.
    let wat = r#"(module
      (func (export "sum") (param i32) (result i32)
        (local $i i32) (local $acc i32)
        loop $top
          local.get $acc
          block (result i32)
            block (result i32)
              block (result i32)
                block (result i32)
                  block (result i32)
                    block (result i32)
                      local.get $i
                      i32.const 3
                      i32.mul
                      local.get $i
                      i32.const 9
                      i32.rem_u
                      br_table 0 1 2 3 4 5 0 1 2
                    end
                    i32.const 100
                    i32.add
                  end
                  i32.const 0x55
                  i32.xor
                end
                i32.const 7
                i32.sub
              end
              i32.const 2
              i32.shl
            end
            i32.const 11
            i32.mul
          end
          i32.const 1
          i32.add
          i32.add
          local.set $acc
          local.get $i
          i32.const 1
          i32.add
          local.tee $i
          local.get 0
          i32.lt_u
          br_if $top
        end
        local.get $acc))"#;
    let calls: Vec<_> = [0, 1, 9, 100, 12345]
        .iter()
        .map(|&n| ("sum", vec![Val::I32(n)]))
        .collect();
    differential(wat, &calls);
}

#[test]
fn br_table_under_register_pressure() {
    // Sixteen i64 values live across the br_table: some are spilled, and
    // the index may be read from a spill slot.
    let mut wat = String::from("(module (func (export \"p\") (param i32 i64) (result i64)\n");
    for k in 0..16 {
        wat.push_str(&format!("(local $v{k} i64)\n"));
    }
    for k in 0..16 {
        wat.push_str(&format!(
            "(local.set $v{k} (i64.mul (local.get 1) (i64.const {})))\n",
            2 * k + 3
        ));
    }
    let sum = |extra: i64| {
        let mut s = format!("(i64.const {extra})");
        for k in 0..16 {
            s = format!("(i64.add {s} (i64.rotl (local.get $v{k}) (i64.const {k})))");
        }
        s
    };
    for _ in 0..=12 {
        wat.push_str("(block ");
    }
    let labels: Vec<String> = (0..12).map(|i| i.to_string()).collect();
    wat.push_str(&format!(
        "(br_table {} 12 (i32.add (local.get 0) (i32.const 0)))",
        labels.join(" ")
    ));
    for i in 0..12 {
        wat.push_str(&format!(") (return {})\n", sum(i)));
    }
    wat.push_str(&format!(") {}))", sum(-1)));
    let mut calls = Vec::new();
    for &i in INDICES {
        for x in [0i64, 1, -7, 0x1234_5678_9abc_def0] {
            calls.push(("p", vec![Val::I32(i), Val::I64(x)]));
        }
    }
    differential(&wat, &calls);
}
