//! Compile speed as the fastest and the median of many whole passes:
//! `cargo run --release -p wx-jit --example compile_passes [PASSES]`.
//!
//! Each pass compiles every function of a benchmark module once, in order,
//! as the criterion benchmark `jit/compile` does. Criterion reports a mean
//! over its samples; on a shared machine whose neighbours slow every run by
//! a varying amount, the fastest pass shows what the compiler itself costs
//! and the median what a user of that machine would see.

use std::path::Path;
use std::time::Instant;
use wx_core::ModuleInfo;

const PROGRAMS: &[&str] = &["many_funcs", "long_mixed"];

fn main() {
    let passes: usize = std::env::args()
        .nth(1)
        .map_or(200, |s| s.parse().expect("PASSES is a number"));
    for &name in PROGRAMS {
        let path = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../benches/programs")
            .join(format!("{name}.wasm"));
        let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let info = ModuleInfo::new(&bytes).expect("valid module");
        let ok: Vec<u32> = (0..info.num_defined_funcs())
            .filter(|&i| wx_jit::compile(&info, i).is_ok())
            .collect();
        let body_bytes: usize = ok.iter().map(|&i| info.body(i).0.len()).sum();
        let mut times: Vec<f64> = (0..passes.max(1))
            .map(|_| {
                let start = Instant::now();
                for &i in &ok {
                    std::hint::black_box(wx_jit::compile(&info, i).expect("compiles"));
                }
                start.elapsed().as_secs_f64()
            })
            .collect();
        times.sort_by(f64::total_cmp);
        let mb_per_s = |t: f64| body_bytes as f64 / t / 1e6;
        let (fastest, median) = (times[0], times[times.len() / 2]);
        println!(
            "{name}: {} functions, {body_bytes} body bytes, {} passes: fastest {:.2} ms ({:.1} MB/s), median {:.2} ms ({:.1} MB/s)",
            ok.len(),
            times.len(),
            fastest * 1e3,
            mb_per_s(fastest),
            median * 1e3,
            mb_per_s(median),
        );
    }
}
