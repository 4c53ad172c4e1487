//! Front-end throughput in MB/s: decoding + validating whole modules
//! (`ModuleInfo::new`, what `Module::new` costs) and translating function
//! bodies to interpreter bytecode (`wx_interp::translate::translate`), on
//! the large generated module of the benchmark suite (3000 functions) and on
//! a typical C program (libc included).

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use std::path::Path;
use std::time::Duration;
use wx_core::ModuleInfo;

const PROGRAMS: &[&str] = &["many_funcs", "long_mixed"];

fn load(name: &str) -> Vec<u8> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../benches/programs")
        .join(format!("{name}.wasm"));
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn front_end(c: &mut Criterion) {
    let mut g = c.benchmark_group("translate");
    g.sample_size(20).measurement_time(Duration::from_secs(4));
    for &name in PROGRAMS {
        let bytes = load(name);
        g.throughput(Throughput::BytesDecimal(bytes.len() as u64));
        g.bench_with_input(BenchmarkId::new("validate", name), &bytes, |b, bytes| {
            b.iter(|| ModuleInfo::new(bytes).expect("valid module"))
        });

        let info = ModuleInfo::new(&bytes).expect("valid module");
        let n = info.num_defined_funcs();
        let code_bytes: usize = (0..n).map(|i| info.body(i).0.len()).sum();
        g.throughput(Throughput::BytesDecimal(code_bytes as u64));
        g.bench_with_input(BenchmarkId::new("to_bytecode", name), &info, |b, info| {
            b.iter(|| {
                for i in 0..n {
                    wx_interp::translate::translate(info, i).expect("translates");
                }
            })
        });
    }
    g.finish();
}

criterion_group!(benches, front_end);
criterion_main!(benches);
