//! Compile speed of wx's JIT against wasmtime's baseline compiler (Winch)
//! and its optimising one (Cranelift), on the benchmark suite's largest
//! module and a typical C program, in one criterion run on one thread.
//!
//! Each engine compiles each module twice: as it is, and with every body
//! replaced by `unreachable` (see [`wx_compile_speed::stub_bodies`]). The
//! difference is the time the engine spends on the bodies, so the
//! resulting MB/s of body bytes compares code generators without each
//! engine's fixed per-module and per-function work (wasmtime builds
//! trampolines and metadata for every function, which dominates modules
//! of many small functions). wx's figure from `jit/compile` (the
//! per-function pipeline alone, no validation) is measured here too.
//!
//! After criterion, the same compiles run again in interleaved rounds (a
//! busy spell of a shared host then falls on every engine alike, which
//! criterion's one-benchmark-after-another order cannot give), and a
//! table gives each engine's whole and body-only MB/s and wx's speed-up.

use criterion::{BenchmarkId, Criterion, Throughput};
use std::path::Path;
use std::time::{Duration, Instant};

const PROGRAMS: &[&str] = &["many_funcs", "long_mixed"];

/// The compilers, as criterion benchmark names.
const WX: &str = "wx";
const WINCH: &str = "winch";
const CRANELIFT: &str = "cranelift";

fn wasmtime_engine(strategy: wasmtime::Strategy) -> wasmtime::Engine {
    let mut config = wasmtime::Config::new();
    config.strategy(strategy);
    wasmtime::Engine::new(&config).expect("wasmtime engine")
}

fn wx_engine() -> wx_runtime::Engine {
    let mut config = wx_runtime::Config::new();
    config.strategy(wx_runtime::Strategy::Jit);
    wx_runtime::Engine::new(&config).expect("wx engine")
}

fn program(name: &str) -> Vec<u8> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../programs")
        .join(format!("{name}.wasm"));
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// A module to compile: as it is, stubbed, and its body bytes.
struct Subject {
    name: &'static str,
    full: Vec<u8>,
    stub: Vec<u8>,
    bytes: usize,
}

fn subjects() -> Vec<Subject> {
    PROGRAMS
        .iter()
        .map(|&name| {
            let full = program(name);
            Subject {
                name,
                stub: wx_compile_speed::stub_bodies(&full).expect("a valid module"),
                bytes: wx_compile_speed::body_bytes(&full).expect("a valid module"),
                full,
            }
        })
        .collect()
}

/// The three engines, each set up once for both measurements.
struct Engines {
    wx: wx_runtime::Engine,
    winch: wasmtime::Engine,
    cranelift: wasmtime::Engine,
}

fn bench(c: &mut Criterion, subjects: &[Subject], engines: &Engines) {
    let Engines {
        wx,
        winch,
        cranelift,
    } = engines;
    for Subject {
        name,
        full,
        stub,
        bytes,
    } in subjects
    {
        let mut g = c.benchmark_group(format!("compile-{name}"));
        g.sample_size(10)
            .warm_up_time(Duration::from_secs(1))
            .measurement_time(Duration::from_secs(4))
            .throughput(Throughput::BytesDecimal(*bytes as u64));
        for (variant, wasm) in [("module", full), ("stubbed", stub)] {
            g.bench_function(BenchmarkId::new(WX, variant), |b| {
                b.iter(|| wx_runtime::Module::new(wx, wasm).expect("compiles"))
            });
            for (engine, id) in [(winch, WINCH), (cranelift, CRANELIFT)] {
                g.bench_function(BenchmarkId::new(id, variant), |b| {
                    b.iter(|| wasmtime::Module::new(engine, wasm).expect("compiles"))
                });
            }
        }
        // The figure: wx's pipeline per function, as `jit/compile`
        // in crates/jit/benches/compile.rs (functions the JIT rejects, none
        // in these modules, would be counted as bytes but not compiled).
        let info = wx_core::ModuleInfo::new(full).expect("a valid module");
        g.bench_function(BenchmarkId::new(WX, "functions"), |b| {
            b.iter(|| {
                for i in 0..info.num_defined_funcs() {
                    let _ = wx_jit::compile(&info, i);
                }
            })
        });
        g.finish();
    }
}

/// Seconds for one call of `f`.
fn time(f: impl FnOnce()) -> f64 {
    let start = Instant::now();
    f();
    start.elapsed().as_secs_f64()
}

/// The same compiles as the criterion benchmarks, interleaved: each round
/// times every engine on the module and on its stubbed form, one after
/// the other, so that a busy spell of the host falls on all of them
/// alike. Prints each one's median times and body-only MB/s (module minus
/// stubbed, paired within rounds), with wx's speed-up on the bodies.
fn interleaved(subjects: &[Subject], engines: &Engines, rounds_for: impl Fn(&str) -> usize) {
    let Engines {
        wx,
        winch,
        cranelift,
    } = engines;
    println!();
    println!("Interleaved rounds, medians; MB/s of function-body bytes. whole: the module's");
    println!("compile time; bodies: the module's minus the stubbed module's, in the same round.");
    println!(
        "{:12} {:10} {:>10} {:>10} {:>8} {:>8} {:>12}",
        "module", "engine", "module ms", "stub ms", "whole", "bodies", "wx faster"
    );
    for Subject {
        name,
        full,
        stub,
        bytes,
    } in subjects
    {
        let bytes = *bytes as f64;
        let rounds = rounds_for(name);
        // Per engine, per variant (module, stubbed): the times of the rounds.
        let mut t: [[Vec<f64>; 2]; 3] = Default::default();
        for _ in 0..rounds {
            for (v, wasm) in [full, stub].into_iter().enumerate() {
                t[0][v].push(time(|| {
                    drop(wx_runtime::Module::new(wx, wasm).expect("compiles"))
                }));
                for (e, engine) in [(1, winch), (2, cranelift)] {
                    t[e][v].push(time(|| {
                        drop(wasmtime::Module::new(engine, wasm).expect("compiles"))
                    }));
                }
            }
        }
        let median = |v: &[f64]| {
            let mut v = v.to_vec();
            v.sort_by(f64::total_cmp);
            v[v.len() / 2]
        };
        // The bodies' time: module minus stubbed within each round (a
        // paired difference), the median over rounds.
        let rows: Vec<_> = t
            .iter()
            .map(|[m, s]| {
                let paired: Vec<f64> = m.iter().zip(s).map(|(m, s)| m - s).collect();
                (median(m), median(s), median(&paired))
            })
            .collect();
        let wx_bodies = rows[0].2;
        let mbs = |t: f64| bytes / t / 1e6;
        for (id, &(m, s, bodies)) in [WX, WINCH, CRANELIFT].into_iter().zip(&rows) {
            println!(
                "{:12} {:10} {:>10.2} {:>10.2} {:>8.2} {:>8.2} {:>11.2}x",
                name,
                id,
                m * 1e3,
                s * 1e3,
                mbs(m),
                mbs(bodies),
                bodies / wx_bodies
            );
        }
        println!("{:12} ({rounds} rounds)", "");
    }
}

fn main() {
    let subjects = subjects();
    let engines = Engines {
        wx: wx_engine(),
        winch: wasmtime_engine(wasmtime::Strategy::Winch),
        cranelift: wasmtime_engine(wasmtime::Strategy::Cranelift),
    };
    let mut c = Criterion::default().configure_from_args();
    bench(&mut c, &subjects, &engines);
    c.final_summary();
    // Not when criterion only lists or smoke-tests the benchmarks.
    if !std::env::args().any(|a| a == "--test" || a == "--list") {
        interleaved(&subjects, &engines, |name| {
            if name == "many_funcs" {
                15
            } else {
                60
            }
        });
    }
}
