//! JIT compile speed in MB/s of function-body bytes: `wx_jit::compile`
//! (translate -> allocate -> check -> emit) of every defined function, on
//! the largest module of the benchmark suite (`many_funcs`, 3000 generated
//! functions) and on a typical C program with wasi-libc (`long_mixed`), on
//! one thread (so the figure is per core).
//!
//! Functions the JIT rejects (`Unsupported`) are left out of both the timed
//! loop and the byte count, so the number is the speed of real compiles;
//! how many were left out is printed once per module.
//!
//! The pipeline's prefixes are measured too (`translate`, then
//! `+liveness`, `+allocate`, `+check`), so the cost of each stage is the
//! difference between neighbours; `compile` adds emission.

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use std::path::Path;
use std::time::Duration;
use wx_core::ModuleInfo;
use wx_jit::isa::x64::abi;
use wx_jit::regalloc::{allocate, check, liveness, MachineEnv};
use wx_jit::translate::{translate_inlining, InlinePolicy};

/// One prefix of the pipeline on one function.
type Stage = fn(&ModuleInfo, u32, &MachineEnv);

const PROGRAMS: &[&str] = &["many_funcs", "long_mixed"];

fn load(name: &str) -> ModuleInfo {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../benches/programs")
        .join(format!("{name}.wasm"));
    let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    ModuleInfo::new(&bytes).expect("valid module")
}

fn compile_speed(c: &mut Criterion) {
    let mut g = c.benchmark_group("jit");
    g.sample_size(20).measurement_time(Duration::from_secs(5));
    for &name in PROGRAMS {
        let info = load(name);
        let n = info.num_defined_funcs();
        let (ok, rejected): (Vec<u32>, Vec<u32>) =
            (0..n).partition(|&i| wx_jit::compile(&info, i).is_ok());
        let code_bytes: usize = ok.iter().map(|&i| info.body(i).0.len()).sum();
        let machine_bytes: usize = ok
            .iter()
            .map(|&i| wx_jit::compile(&info, i).map_or(0, |c| c.code.len()))
            .sum();
        println!(
            "{name}: {} of {n} functions compile ({} rejected), {code_bytes} wasm body bytes -> {machine_bytes} bytes of x86-64",
            ok.len(),
            rejected.len()
        );
        g.throughput(Throughput::BytesDecimal(code_bytes as u64));
        g.bench_with_input(BenchmarkId::new("compile", name), &ok, |b, ok| {
            b.iter(|| {
                for &i in ok {
                    wx_jit::compile(&info, i).expect("compiles");
                }
            })
        });
        let env = abi::machine_env();
        let stages: [(&str, Stage); 4] = [
            ("translate", |info, i, _| {
                translate_inlining(info, i, InlinePolicy::default()).expect("translates");
            }),
            ("+liveness", |info, i, _| {
                let f = translate_inlining(info, i, InlinePolicy::default()).expect("translates");
                liveness::analyze(&f).expect("within budget");
            }),
            ("+allocate", |info, i, env| {
                let f = translate_inlining(info, i, InlinePolicy::default()).expect("translates");
                allocate(&f, env, abi::clobbers).expect("within budget");
            }),
            ("+check", |info, i, env| {
                let f = translate_inlining(info, i, InlinePolicy::default()).expect("translates");
                let a = allocate(&f, env, abi::clobbers).expect("within budget");
                check(&f, &a, abi::clobbers).expect("valid allocation");
            }),
        ];
        for (stage, run) in stages {
            g.bench_with_input(BenchmarkId::new(stage, name), &ok, |b, ok| {
                b.iter(|| {
                    for &i in ok {
                        run(&info, i, env);
                    }
                })
            });
        }
    }
    g.finish();
}

criterion_group!(benches, compile_speed);
criterion_main!(benches);
