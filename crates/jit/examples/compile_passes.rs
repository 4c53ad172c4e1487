//! Compile speed as the fastest and the median of many whole passes:
//! `cargo run --release -p wx-jit --example compile_passes [PASSES]`.
//!
//! Each pass compiles every function of a benchmark module once, in order,
//! as the criterion benchmark `jit/compile` does. Criterion reports a mean
//! over its samples; on a shared machine whose neighbours slow every run by
//! a varying amount, the fastest pass shows what the compiler itself costs
//! and the median what a user of that machine would see.
//!
//! Last, a probe of the machine: chains of dependent loads through a
//! buffer that fits the L1 cache and through one that needs the L2. A
//! wide gap between fastest and median on the second but not the first
//! says the L2 is shared with busy neighbours; the compiler, whose code
//! does not fit the L1 instruction cache, then slows down with it.

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
    for kib in [16, 256] {
        let (fastest, median) = probe(kib * 1024, passes.clamp(1, 100));
        println!(
            "probe: dependent loads through {kib} KiB: fastest {:.2} ms, median {:.2} ms (+{:.0} %)",
            fastest * 1e3,
            median * 1e3,
            (median / fastest - 1.0) * 100.0
        );
    }
}

/// Fastest and median of `passes` timed walks of 2^21 dependent loads
/// around one random cycle through a buffer of `bytes`.
fn probe(bytes: usize, passes: usize) -> (f64, f64) {
    let n = bytes / 4;
    // A random cyclic permutation (Sattolo's shuffle), so that hardware
    // prefetchers cannot guess the next load.
    let mut next: Vec<u32> = (0..n as u32).collect();
    let mut seed = 0x2545_f491_u64;
    for i in (1..n).rev() {
        seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
        let j = (seed >> 33) as usize % i;
        next.swap(i, j);
    }
    let mut times: Vec<f64> = (0..passes)
        .map(|_| {
            let start = Instant::now();
            let mut at = 0u32;
            for _ in 0..1 << 21 {
                at = next[at as usize];
            }
            std::hint::black_box(at);
            start.elapsed().as_secs_f64()
        })
        .collect();
    times.sort_by(f64::total_cmp);
    (times[0], times[times.len() / 2])
}
