//! Differential testing: random modules from wasm-smith run on every wx tier
//! and on an independent engine (wasmi), and every exported function's
//! results (or trap) must agree. Seeds are fixed, so a failure reproduces;
//! `WX_DIFF_ITERS=n` and `WX_DIFF_SEED=s` explore further.
//!
//! Each engine is an [`Oracle`]; a new tier is one more implementation.

use arbitrary::Unstructured;

/// What running one export produced, with NaNs canonicalised (wasm-smith is
/// told to canonicalise NaNs, so payloads carry no meaning).
#[derive(Debug, PartialEq, Eq)]
enum Outcome {
    Values(Vec<u64>),
    Trap,
}

/// An argument value, engine-neutral.
#[derive(Clone, Copy, Debug)]
enum Arg {
    I32(i32),
    I64(i64),
    F32(u32),
    F64(u64),
}

trait Oracle {
    fn name(&self) -> String;
    /// Run export `func` of a fresh instance of `wasm`; `None` if the engine
    /// cannot run this case (instantiation failed, unsupported signature).
    fn run(&self, wasm: &[u8], func: &str, args: &[Arg]) -> Option<Outcome>;
}

fn canon_f32(bits: u32) -> u64 {
    if f32::from_bits(bits).is_nan() {
        0x7fc0_0000
    } else {
        bits as u64
    }
}

fn canon_f64(bits: u64) -> u64 {
    if f64::from_bits(bits).is_nan() {
        0x7ff8_0000_0000_0000
    } else {
        bits
    }
}

/// Call depth for both engines: random recursion must exhaust the same way.
const MAX_DEPTH: usize = 1000;

/// A wx strategy, with its call and loop thresholds (for `tiered`).
struct Wx(wx_runtime::Strategy, u64);

impl Oracle for Wx {
    fn name(&self) -> String {
        format!("wx {}", self.0)
    }

    fn run(&self, wasm: &[u8], func: &str, args: &[Arg]) -> Option<Outcome> {
        use wx_runtime::*;
        let mut config = Config::new();
        config
            .strategy(self.0)
            .jit_threshold(self.1)
            .jit_loop_threshold(self.1)
            .max_call_depth(MAX_DEPTH);
        let engine = Engine::new(&config).ok()?;
        let module = Module::new(&engine, wasm).expect("wasm-smith modules validate");
        let mut store = Store::new(&engine, ());
        let instance = match Linker::new(&engine).instantiate(&mut store, &module) {
            Ok(i) => i,
            Err(Error::Trap(_)) => return None,
            Err(e) => panic!("instantiation failed: {e}"),
        };
        let f = instance.get_func(&mut store, func)?;
        let args: Vec<Val> = args
            .iter()
            .map(|a| match *a {
                Arg::I32(v) => Val::I32(v),
                Arg::I64(v) => Val::I64(v),
                Arg::F32(b) => Val::F32(b),
                Arg::F64(b) => Val::F64(b),
            })
            .collect();
        let mut results: Vec<Val> = f
            .ty(&store)
            .results()
            .iter()
            .map(|t| Val::default_for(*t))
            .collect();
        match f.call(&mut store, &args, &mut results) {
            Ok(()) => Some(Outcome::Values(
                results
                    .iter()
                    .map(|v| match *v {
                        Val::I32(x) => x as u32 as u64,
                        Val::I64(x) => x as u64,
                        Val::F32(b) => canon_f32(b),
                        Val::F64(b) => canon_f64(b),
                        Val::FuncRef(f) => f.is_some() as u64,
                        Val::ExternRef(r) => r.is_some() as u64,
                        Val::ExnRef(r) => r.is_some() as u64,
                    })
                    .collect(),
            )),
            Err(e) if e.trap_code().is_some() => Some(Outcome::Trap),
            Err(e) => panic!("{func}: unexpected error {e}"),
        }
    }
}

struct Wasmi;

impl Oracle for Wasmi {
    fn name(&self) -> String {
        "wasmi".into()
    }

    fn run(&self, wasm: &[u8], func: &str, args: &[Arg]) -> Option<Outcome> {
        use wasmi::*;
        let mut config = Config::default();
        config.set_max_recursion_depth(MAX_DEPTH);
        let engine = Engine::new(&config);
        let module = Module::new(&engine, wasm).ok()?;
        let mut store = Store::new(&engine, ());
        let instance = Linker::<()>::new(&engine)
            .instantiate_and_start(&mut store, &module)
            .ok()?;
        let f = instance.get_func(&store, func)?;
        let args: Vec<Val> = args
            .iter()
            .map(|a| match *a {
                Arg::I32(v) => Val::I32(v),
                Arg::I64(v) => Val::I64(v),
                Arg::F32(b) => Val::F32(f32::from_bits(b).into()),
                Arg::F64(b) => Val::F64(f64::from_bits(b).into()),
            })
            .collect();
        let ty = f.ty(&store);
        let mut results: Vec<Val> = ty
            .results()
            .iter()
            .map(|t| Val::default_for_ty(*t))
            .collect();
        match f.call(&mut store, &args, &mut results) {
            Ok(()) => Some(Outcome::Values(
                results
                    .iter()
                    .map(|v| match v {
                        Val::I32(x) => *x as u32 as u64,
                        Val::I64(x) => *x as u64,
                        Val::F32(x) => canon_f32(x.to_bits()),
                        Val::F64(x) => canon_f64(x.to_bits()),
                        Val::FuncRef(f) => !f.is_null() as u64,
                        Val::ExternRef(r) => !r.is_null() as u64,
                        _ => u64::MAX,
                    })
                    .collect(),
            )),
            Err(_) => Some(Outcome::Trap),
        }
    }
}

fn xorshift(s: &mut u64) -> u64 {
    *s ^= *s << 13;
    *s ^= *s >> 7;
    *s ^= *s << 17;
    *s
}

/// A random module within WebAssembly 2.0 without SIMD, with no imports,
/// every item exported, and a fuel counter so every loop terminates.
fn random_module(seed: &mut u64) -> Option<Vec<u8>> {
    let mut raw = vec![0u8; 16 * 1024];
    for b in raw.iter_mut() {
        *b = xorshift(seed) as u8;
    }
    let mut u = Unstructured::new(&raw);
    let cfg = wasm_smith::Config {
        simd_enabled: false,
        relaxed_simd_enabled: false,
        threads_enabled: false,
        tail_call_enabled: false,
        exceptions_enabled: false,
        gc_enabled: false,
        memory64_enabled: false,
        custom_page_sizes_enabled: false,
        wide_arithmetic_enabled: false,
        extended_const_enabled: false,
        multi_value_enabled: true,
        reference_types_enabled: true,
        bulk_memory_enabled: true,
        max_memories: 1,
        max_tables: 2,
        max_imports: 0,
        min_funcs: 1,
        export_everything: true,
        canonicalize_nans: true,
        allow_start_export: false,
        ..Default::default()
    };
    let mut module = wasm_smith::Module::new(cfg, &mut u).ok()?;
    module.ensure_termination(10_000).ok()?;
    Some(module.to_bytes())
}

fn main() {
    let iters: u64 = std::env::var("WX_DIFF_ITERS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(300);
    let seed0: u64 = std::env::var("WX_DIFF_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(1);
    let reference = Wasmi;
    use wx_runtime::Strategy;
    let mut tiers: Vec<Box<dyn Oracle>> = vec![Box::new(Wx(Strategy::Interp, 1))];
    if wx_runtime::Engine::jit_available() {
        tiers.push(Box::new(Wx(Strategy::Jit, 1)));
        // Compile at the second call or loop iteration: calls and loops
        // switch tiers (OSR) while running.
        tiers.push(Box::new(Wx(Strategy::Tiered, 2)));
        tiers.push(Box::new(Wx(Strategy::Mixed, 1)));
    }
    let mut seed = 0x9e37_79b9_7f4a_7c15u64 ^ seed0;
    let (mut passed, mut failed) = (0u64, 0u64);
    for iter in 0..iters {
        let Some(wasm) = random_module(&mut seed) else {
            continue;
        };
        let engine = wasmi::Engine::default();
        let Ok(module) = wasmi::Module::new(&engine, &wasm) else {
            continue;
        };
        let exports: Vec<(String, wasmi::FuncType)> = module
            .exports()
            .filter_map(|e| e.ty().func().map(|f| (e.name().to_string(), f.clone())))
            .collect();
        for (name, ty) in exports {
            let mut args = Vec::new();
            for p in ty.params() {
                let r = xorshift(&mut seed);
                args.push(match p {
                    wasmi::ValType::I32 => Arg::I32(r as i32),
                    wasmi::ValType::I64 => Arg::I64(r as i64),
                    wasmi::ValType::F32 => Arg::F32(r as u32 & 0x7f7f_ffff),
                    wasmi::ValType::F64 => Arg::F64(r & 0x7fef_ffff_ffff_ffff),
                    _ => break,
                });
            }
            if args.len() != ty.params().len() {
                continue;
            }
            let Some(expected) = reference.run(&wasm, &name, &args) else {
                continue;
            };
            for tier in &tiers {
                let Some(actual) = tier.run(&wasm, &name, &args) else {
                    continue;
                };
                if actual == expected {
                    passed += 1;
                } else {
                    failed += 1;
                    let path = std::env::temp_dir().join(format!("wx-diff-{seed0}-{iter}.wasm"));
                    std::fs::write(&path, &wasm).expect("write failing module");
                    eprintln!(
                        "mismatch: {} vs {} on export {name:?} args {args:?}: {actual:?} vs {expected:?} (module saved to {})",
                        tier.name(),
                        reference.name(),
                        path.display()
                    );
                }
            }
        }
    }
    println!("{passed} passed, {failed} failed");
    if failed != 0 || passed == 0 {
        std::process::exit(1);
    }
}
