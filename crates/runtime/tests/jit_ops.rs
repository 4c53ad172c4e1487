//! The JIT against the interpreter (and, for conversions, against Rust's
//! own casts) on the operators with the most edge cases: every float <->
//! int conversion, references and tables, and bulk memory. Every function
//! of each module must be compiled (none may fall back to the interpreter),
//! and every call must give the same results or the same trap on both tiers.

#![cfg(all(target_arch = "x86_64", target_os = "linux"))]

use wx_runtime::*;

mod support;
use support::{differential, Outcome};

// ---- conversions ----

const F64_INPUTS: &[f64] = &[
    0.0,
    -0.0,
    0.5,
    -0.5,
    0.9999999,
    -0.9999999,
    1.0,
    -1.0,
    1.5,
    -1.5,
    123456.75,
    -123456.75,
    2147483647.0,
    2147483647.5,
    2147483648.0,
    -2147483648.0,
    -2147483648.5,
    -2147483649.0,
    4294967295.0,
    4294967295.5,
    4294967296.0,
    9007199254740993.0,
    9223372036854774784.0,
    9223372036854775808.0,
    -9223372036854775808.0,
    -9223372036854777856.0,
    18446744073709549568.0,
    18446744073709551616.0,
    1e300,
    -1e300,
    f64::MIN_POSITIVE,
    f64::INFINITY,
    f64::NEG_INFINITY,
    f64::NAN,
    -f64::NAN,
];

fn f32_inputs() -> Vec<f32> {
    let mut v: Vec<f32> = F64_INPUTS.iter().map(|&x| x as f32).collect();
    v.extend([
        2147483520.0f32,
        -2147483520.0,
        4294967040.0,
        9223371487098961920.0,
        18446742974197923840.0,
        f32::MAX,
        f32::MIN,
    ]);
    v
}

const U64_INPUTS: &[u64] = &[
    0,
    1,
    (1 << 24) + 1,
    (1 << 53) + 1,
    (1 << 63) - 1,
    1 << 63,
    (1 << 63) + 1,
    (1 << 63) + (1 << 10) + 1,
    (1 << 63) + (1 << 39) + 1,
    0x8000_0000_0000_0400,
    0xffff_ffff_ffff_f800,
    0xffff_ff7f_ffff_ffff,
    u64::MAX - 1,
    u64::MAX,
];

/// Wasm trapping truncation of `x` (already an f64) to the range
/// `(lo, hi)`, exclusive: NaN is invalid, outside the range overflows.
fn trapping(x: f64, lo: f64, hi: f64) -> std::result::Result<(), TrapCode> {
    if x.is_nan() {
        Err(TrapCode::BadConversionToInteger)
    } else if x <= lo || x >= hi {
        Err(TrapCode::IntegerOverflow)
    } else {
        Ok(())
    }
}

#[test]
fn conversions_match_the_interpreter_and_rust() {
    // (operator, parameter type, result type)
    let ops = [
        ("i32.trunc_sat_f32_s", "f32", "i32"),
        ("i32.trunc_sat_f32_u", "f32", "i32"),
        ("i32.trunc_sat_f64_s", "f64", "i32"),
        ("i32.trunc_sat_f64_u", "f64", "i32"),
        ("i64.trunc_sat_f32_s", "f32", "i64"),
        ("i64.trunc_sat_f32_u", "f32", "i64"),
        ("i64.trunc_sat_f64_s", "f64", "i64"),
        ("i64.trunc_sat_f64_u", "f64", "i64"),
        ("i32.trunc_f32_s", "f32", "i32"),
        ("i32.trunc_f32_u", "f32", "i32"),
        ("i32.trunc_f64_s", "f64", "i32"),
        ("i32.trunc_f64_u", "f64", "i32"),
        ("i64.trunc_f32_s", "f32", "i64"),
        ("i64.trunc_f32_u", "f32", "i64"),
        ("i64.trunc_f64_s", "f64", "i64"),
        ("i64.trunc_f64_u", "f64", "i64"),
        ("f32.convert_i64_u", "i64", "f32"),
        ("f64.convert_i64_u", "i64", "f64"),
        ("f32.convert_i64_s", "i64", "f32"),
        ("f64.convert_i64_s", "i64", "f64"),
        ("f32.convert_i32_u", "i32", "f32"),
        ("f64.convert_i32_u", "i32", "f64"),
    ];
    let mut wat = String::from("(module\n");
    for (op, p, r) in ops {
        wat.push_str(&format!(
            "  (func (export \"{op}\") (param {p}) (result {r}) ({op} (local.get 0)))\n"
        ));
    }
    wat.push(')');

    let mut calls = Vec::new();
    let mut expected: Vec<Outcome> = Vec::new();
    for (op, p, _) in ops {
        let sat = op.contains("_sat_");
        let (signed, wide) = (op.ends_with("_s"), op.starts_with("i64"));
        let expect_trunc = |x: f64, exact: (i64, u64, i32, u32)| -> Outcome {
            let (i64v, u64v, i32v, u32v) = exact;
            let bounds = match (wide, signed, p) {
                (false, true, "f32") => (-2147483904.0, 2147483648.0),
                (false, true, _) => (-2147483649.0, 2147483648.0),
                (false, false, _) => (-1.0, 4294967296.0),
                (true, true, "f32") => (-9223373136366403584.0, 9223372036854775808.0),
                (true, true, _) => (-9223372036854777856.0, 9223372036854775808.0),
                (true, false, _) => (-1.0, 18446744073709551616.0),
            };
            if !sat {
                trapping(x, bounds.0, bounds.1)?;
            }
            Ok(vec![match (wide, signed) {
                (false, true) => Val::I32(i32v),
                (false, false) => Val::I32(u32v as i32),
                (true, true) => Val::I64(i64v),
                (true, false) => Val::I64(u64v as i64),
            }])
        };
        match p {
            "f32" => {
                for x in f32_inputs() {
                    calls.push((op, vec![Val::F32(x.to_bits())]));
                    // Rust's float -> int casts saturate, NaN giving 0: wasm's
                    // saturating semantics exactly.
                    expected.push(expect_trunc(
                        x as f64,
                        (x as i64, x as u64, x as i32, x as u32),
                    ));
                }
            }
            "f64" => {
                for &x in F64_INPUTS {
                    calls.push((op, vec![Val::F64(x.to_bits())]));
                    expected.push(expect_trunc(x, (x as i64, x as u64, x as i32, x as u32)));
                }
            }
            "i64" => {
                for &x in U64_INPUTS {
                    calls.push((op, vec![Val::I64(x as i64)]));
                    expected.push(Ok(vec![match (op, signed) {
                        ("f32.convert_i64_u", _) => Val::F32((x as f32).to_bits()),
                        ("f64.convert_i64_u", _) => Val::F64((x as f64).to_bits()),
                        ("f32.convert_i64_s", _) => Val::F32((x as i64 as f32).to_bits()),
                        _ => Val::F64((x as i64 as f64).to_bits()),
                    }]));
                }
            }
            _ => {
                for &x in U64_INPUTS {
                    let x = x as u32;
                    calls.push((op, vec![Val::I32(x as i32)]));
                    expected.push(Ok(vec![if op.starts_with("f32") {
                        Val::F32((x as f32).to_bits())
                    } else {
                        Val::F64((x as f64).to_bits())
                    }]));
                }
            }
        }
    }
    let got = differential(&wat, &calls);
    for ((call, want), got) in calls.iter().zip(&expected).zip(&got) {
        assert_eq!(got, want, "{}{:?}", call.0, call.1);
    }
}

// ---- references, tables and bulk memory ----

const TABLES_AND_MEMORY: &str = r#"(module
  (type $r (func (result i32)))
  (memory 1 2)
  (table $t 4 10 funcref)
  (table $u 2 funcref)
  (table $e 3 externref)
  (func $f1 (type $r) (i32.const 11))
  (func $f2 (type $r) (i32.const 22))
  (func $f3 (type $r) (i32.const 33))
  (elem $seg funcref (ref.func $f1) (ref.func $f2) (ref.null func) (ref.func $f3))
  (elem declare func $f1 $f2 $f3)
  (data $d "hello, world")

  ;; -1 for a null entry, else what the entry returns.
  (func (export "probe") (param i32) (result i32)
    (if (result i32) (ref.is_null (table.get $t (local.get 0)))
      (then (i32.const -1))
      (else (call_indirect $t (type $r) (local.get 0)))))
  (func (export "probe_u") (param i32) (result i32)
    (if (result i32) (ref.is_null (table.get $u (local.get 0)))
      (then (i32.const -1))
      (else (call_indirect $u (type $r) (local.get 0)))))
  (func (export "set_f1") (param i32) (table.set $t (local.get 0) (ref.func $f1)))
  (func (export "set_null") (param i32) (table.set $t (local.get 0) (ref.null func)))
  (func (export "move") (param i32 i32) (table.set $t (local.get 0) (table.get $u (local.get 1))))
  (func (export "size") (result i32) (table.size $t))
  (func (export "grow") (param i32) (result i32) (table.grow $t (ref.func $f2) (local.get 0)))
  (func (export "fill") (param i32 i32) (table.fill $t (local.get 0) (ref.func $f3) (local.get 1)))
  (func (export "copy") (param i32 i32 i32)
    (table.copy $t $t (local.get 0) (local.get 1) (local.get 2)))
  (func (export "copy_to_u") (param i32 i32 i32)
    (table.copy $u $t (local.get 0) (local.get 1) (local.get 2)))
  (func (export "init") (param i32 i32 i32)
    (table.init $t $seg (local.get 0) (local.get 1) (local.get 2)))
  (func (export "elem_drop") (elem.drop $seg))
  (func (export "select_null") (param i32) (result i32)
    (ref.is_null (select (result funcref) (ref.func $f1) (ref.null func) (local.get 0))))
  (func (export "extern") (param i32) (result i32 i32)
    (table.fill $e (i32.const 0) (ref.null extern) (table.size $e))
    (table.grow $e (ref.null extern) (local.get 0))
    (ref.is_null (table.get $e (i32.const 0))))

  (func (export "mfill") (param i32 i32 i32) (memory.fill (local.get 0) (local.get 1) (local.get 2)))
  (func (export "mcopy") (param i32 i32 i32) (memory.copy (local.get 0) (local.get 1) (local.get 2)))
  (func (export "minit") (param i32 i32 i32) (memory.init $d (local.get 0) (local.get 1) (local.get 2)))
  (func (export "data_drop") (data.drop $d))
  (func (export "mgrow") (param i32) (result i32) (memory.grow (local.get 0)))
  ;; A hash of bytes [a, a + n).
  (func (export "hash") (param $a i32) (param $n i32) (result i32) (local $h i32)
    (block $done
      (loop $l
        (br_if $done (i32.eqz (local.get $n)))
        (local.set $h (i32.add (i32.mul (local.get $h) (i32.const 31))
                               (i32.load8_u (local.get $a))))
        (local.set $a (i32.add (local.get $a) (i32.const 1)))
        (local.set $n (i32.sub (local.get $n) (i32.const 1)))
        (br $l)))
    (local.get $h))

  ;; Many values live across table operations and runtime calls, so some
  ;; operands are spilled or in argument registers.
  (func (export "pressure") (param $i i32) (result i32)
    (local $a i32) (local $b i32) (local $c i32) (local $d i32) (local $e i32)
    (local $f i32) (local $g i32) (local $h i32) (local $j i32) (local $k i32)
    (local.set $a (i32.add (local.get $i) (i32.const 1)))
    (local.set $b (i32.mul (local.get $a) (i32.const 3)))
    (local.set $c (i32.xor (local.get $b) (i32.const 5)))
    (local.set $d (i32.add (local.get $c) (local.get $a)))
    (local.set $e (i32.sub (local.get $d) (i32.const 7)))
    (local.set $f (i32.add (local.get $e) (local.get $b)))
    (local.set $g (i32.mul (local.get $f) (local.get $c)))
    (local.set $h (i32.add (local.get $g) (i32.const 9)))
    (local.set $j (i32.shl (local.get $h) (i32.const 2)))
    (local.set $k (i32.or (local.get $j) (local.get $d)))
    (table.set $t (i32.and (local.get $k) (i32.const 3)) (table.get $t (i32.and (local.get $h) (i32.const 3))))
    (memory.fill (i32.and (local.get $a) (i32.const 255)) (local.get $b) (i32.and (local.get $c) (i32.const 15)))
    (memory.copy (local.get $d) (local.get $e) (i32.and (local.get $f) (i32.const 31)))
    (i32.add (i32.add (i32.add (local.get $a) (local.get $b)) (i32.add (local.get $c) (local.get $d)))
      (i32.add (i32.add (i32.add (local.get $e) (local.get $f)) (i32.add (local.get $g) (local.get $h)))
        (i32.add (i32.add (local.get $j) (local.get $k)) (table.size $t)))))
)"#;

#[test]
fn tables_and_bulk_memory_match_the_interpreter() {
    let i = Val::I32;
    let c = |name, args: &[i32]| (name, args.iter().map(|&a| i(a)).collect::<Vec<_>>());
    let mut calls = vec![];
    let probe_all = |calls: &mut Vec<(&'static str, Vec<Val>)>| {
        for k in 0..11 {
            calls.push(c("probe", &[k]));
        }
        calls.push(c("probe_u", &[0]));
        calls.push(c("probe_u", &[1]));
        calls.push(c("probe_u", &[2]));
        calls.push(c("size", &[]));
    };
    probe_all(&mut calls);
    calls.extend([
        c("set_f1", &[0]),
        c("set_f1", &[3]),
        c("set_f1", &[4]),
        c("set_f1", &[-1]),
        c("set_null", &[0]),
        c("move", &[1, 0]),
        c("move", &[1, 5]),
        c("init", &[0, 0, 4]),
        c("init", &[1, 1, 3]),
        c("init", &[2, 2, 3]),
        c("init", &[4, 0, 0]),
        c("init", &[5, 0, 0]),
        c("init", &[0, 4, 0]),
        c("init", &[0, 5, 0]),
    ]);
    probe_all(&mut calls);
    calls.extend([
        c("copy", &[1, 0, 3]),
        c("copy", &[0, 1, 3]),
        c("copy", &[2, 2, 3]),
        c("copy", &[4, 0, 0]),
        c("copy", &[5, 0, 0]),
        c("copy_to_u", &[0, 2, 2]),
        c("copy_to_u", &[1, 3, 2]),
        c("fill", &[1, 2]),
        c("fill", &[3, 2]),
        c("fill", &[4, 0]),
        c("select_null", &[0]),
        c("select_null", &[1]),
        c("extern", &[2]),
        c("extern", &[100]),
    ]);
    probe_all(&mut calls);
    calls.extend([
        c("grow", &[0]),
        c("grow", &[3]),
        c("grow", &[4]),
        c("grow", &[3]),
        c("grow", &[-1]),
        c("set_f1", &[6]),
        c("elem_drop", &[]),
        c("init", &[0, 0, 0]),
        c("init", &[0, 0, 1]),
        c("pressure", &[1]),
        c("pressure", &[12345]),
    ]);
    probe_all(&mut calls);

    calls.extend([
        c("minit", &[100, 0, 12]),
        c("minit", &[200, 7, 5]),
        c("minit", &[65530, 0, 7]),
        c("minit", &[65536, 0, 0]),
        c("minit", &[65537, 0, 0]),
        c("minit", &[0, 12, 0]),
        c("minit", &[0, 13, 0]),
        c("hash", &[0, 300]),
        c("mcopy", &[104, 100, 8]),
        c("mcopy", &[200, 204, 8]),
        c("mcopy", &[65530, 0, 6]),
        c("mcopy", &[65530, 0, 7]),
        c("mcopy", &[0, -1, 2]),
        c("mcopy", &[65536, 65536, 0]),
        c("hash", &[0, 300]),
        c("mfill", &[10, 0x1ab, 20]),
        c("mfill", &[65535, 7, 1]),
        c("mfill", &[65535, 7, 2]),
        c("mfill", &[65536, 7, 0]),
        c("mfill", &[65537, 7, 0]),
        c("hash", &[0, 300]),
        c("hash", &[65500, 36]),
        c("mgrow", &[1]),
        c("mfill", &[65535, 9, 100]),
        c("mcopy", &[131000, 65500, 536]),
        c("hash", &[65500, 200]),
        c("mgrow", &[1]),
        c("data_drop", &[]),
        c("minit", &[0, 0, 0]),
        c("minit", &[0, 0, 1]),
        c("pressure", &[7]),
        c("hash", &[0, 300]),
    ]);
    let outcomes = differential(TABLES_AND_MEMORY, &calls);
    // The script reaches every kind of outcome.
    for code in [TrapCode::TableOutOfBounds, TrapCode::MemoryOutOfBounds] {
        assert!(outcomes.contains(&Err(code)), "no {code:?}");
    }
    assert!(outcomes.contains(&Ok(vec![i(-1)])));
    assert!(outcomes.contains(&Ok(vec![i(33)])));
}
