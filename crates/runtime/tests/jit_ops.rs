//! The JIT against the interpreter (and, for conversions, against Rust's
//! own casts) on the operators with the most edge cases: every float <->
//! int conversion, references and tables, and bulk memory. Every function
//! of each module must be compiled (none may fall back to the interpreter),
//! and every call must give the same results or the same trap on both tiers.

#![cfg(all(target_arch = "x86_64", target_os = "linux"))]

use wx_runtime::*;

fn engine(strategy: Strategy) -> Engine {
    let mut config = Config::new();
    config.strategy(strategy);
    Engine::new(&config).expect("this tier is available on x86-64 Linux")
}

/// A call's results, or the trap it raised.
type Outcome = std::result::Result<Vec<Val>, TrapCode>;

/// One instance of `wat` on one tier.
struct Run {
    store: Store<()>,
    instance: Instance,
}

impl Run {
    fn new(strategy: Strategy, wat: &str) -> Run {
        let engine = engine(strategy);
        let module = Module::new(&engine, wat).expect("the test module is valid");
        if strategy == Strategy::Jit {
            assert_eq!(
                module.compiled_functions(),
                module.info().num_defined_funcs() as usize,
                "every function is compiled"
            );
        }
        let mut store = Store::new(&engine, ());
        let instance = Linker::new(&engine)
            .instantiate(&mut store, &module)
            .expect("the test module instantiates");
        Run { store, instance }
    }

    fn call(&mut self, name: &str, args: &[Val]) -> Outcome {
        let f = self
            .instance
            .get_func(&mut self.store, name)
            .unwrap_or_else(|| panic!("no export {name}"));
        let n = f.ty(&self.store).results().len();
        let mut out = vec![Val::I32(0); n];
        match f.call(&mut self.store, args, &mut out) {
            Ok(()) => Ok(out),
            Err(e) => Err(e
                .trap_code()
                .unwrap_or_else(|| panic!("{name}{args:?}: not a trap: {e}"))),
        }
    }
}

/// Run the same calls, in order, on both tiers and compare every outcome;
/// returns the outcomes.
fn differential(wat: &str, calls: &[(&str, Vec<Val>)]) -> Vec<Outcome> {
    let mut interp = Run::new(Strategy::Interp, wat);
    let mut jit = Run::new(Strategy::Jit, wat);
    calls
        .iter()
        .map(|(name, args)| {
            let want = interp.call(name, args);
            let got = jit.call(name, args);
            assert_eq!(got, want, "{name}{args:?}: jit vs interpreter");
            got
        })
        .collect()
}

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
