//! The fuzz targets (crates/fuzz: `compile`, `tiers`, `wasmi`) on stable
//! Rust, without libFuzzer: each target runs every input kept in
//! `fuzz/corpus/<target>/` and `fuzz/regressions/<target>/`, then
//! pseudo-random inputs from fixed seeds (input `k` of a seed is always
//! the same, so a failure reproduces): by default at least 300, and more
//! until the target has fuzzed for 20 seconds, so every test run (and
//! CI) fuzzes each target for a bounded time. `WX_FUZZ_ITERS=n` (exactly
//! n random inputs per target), `WX_FUZZ_SECS=s` (stop each target's
//! random inputs after s seconds), `WX_FUZZ_SEED=s` and
//! `WX_FUZZ_TARGET=name[,name]` run longer or narrower. A failing input
//! is written to the temporary directory and the run continues; any
//! failure fails the test.
//!
//! `just fuzz` runs the targets under libFuzzer instead (README, "Fuzzing").

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// Random inputs per target at least, by default (under a second per
/// target natively, 2 to 4 s under qemu)...
const DEFAULT_ITERS: u64 = 300;
/// ...and more until each target has run this long.
const DEFAULT_SECS: u64 = 20;

/// Longest random input, in bytes (wasm-smith makes a module of up to
/// twenty functions from a few KiB).
const MAX_LEN: usize = 8192;

fn env<T: std::str::FromStr>(name: &str) -> Option<T> {
    std::env::var(name).ok().and_then(|s| s.parse().ok())
}

fn xorshift(s: &mut u64) -> u64 {
    *s ^= *s << 13;
    *s ^= *s >> 7;
    *s ^= *s << 17;
    *s
}

/// The files in `dir`, sorted (none if it does not exist).
fn files(dir: &Path) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|d| d.filter_map(|e| Some(e.ok()?.path())).collect())
        .unwrap_or_default();
    out.retain(|p| {
        p.is_file()
            && !p
                .file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with('.'))
    });
    out.sort();
    out
}

/// Run `target` on `input`; on a panic, save the input and say where.
fn run_one(name: &str, target: wx_fuzz::Target, input: &[u8], label: &str) -> bool {
    match std::panic::catch_unwind(|| target(input)) {
        Ok(()) => true,
        Err(_) => {
            let dir = std::env::temp_dir().join("wx-fuzz");
            let _ = std::fs::create_dir_all(&dir);
            let path = dir.join(format!("{name}-{}.bin", label.replace(['/', ' '], "_")));
            let _ = std::fs::write(&path, input);
            eprintln!(
                "FAILED: target {name}, input {label}: saved to {}",
                path.display()
            );
            if let Some(wasm) = wx_fuzz::module_of(name, input) {
                let path = path.with_extension("wasm");
                let _ = std::fs::write(&path, wasm);
                eprintln!("        its module: {}", path.display());
            }
            false
        }
    }
}

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz");
    let iters: Option<u64> = env("WX_FUZZ_ITERS");
    let secs: Option<u64> = env("WX_FUZZ_SECS");
    // Neither given: at least DEFAULT_ITERS, and on until DEFAULT_SECS.
    let (iters, secs, at_least) = match (iters, secs) {
        (None, None) => (u64::MAX, Some(DEFAULT_SECS), DEFAULT_ITERS),
        (iters, secs) => (iters.unwrap_or(u64::MAX), secs, 0),
    };
    let seed0: u64 = env("WX_FUZZ_SEED").unwrap_or(1);
    let only: Option<String> = env("WX_FUZZ_TARGET");
    // Deep recursion crossing tiers nests native frames: give wasm room.
    let failures = std::thread::Builder::new()
        .stack_size(64 << 20)
        .spawn(move || {
            let mut failures = 0u64;
            for (i, &(name, target)) in wx_fuzz::TARGETS.iter().enumerate() {
                if only
                    .as_ref()
                    .is_some_and(|o| !o.split(',').any(|t| t == name))
                {
                    continue;
                }
                let mut kept = 0;
                for dir in ["corpus", "regressions"] {
                    for path in files(&root.join(dir).join(name)) {
                        let input = std::fs::read(&path).expect("readable input");
                        let label = format!(
                            "{dir}/{}",
                            path.file_name().unwrap_or_default().to_string_lossy()
                        );
                        failures += u64::from(!run_one(name, target, &input, &label));
                        kept += 1;
                    }
                }
                let checked = wx_fuzz::checked();
                let start = Instant::now();
                let deadline = secs.map(|s| start + Duration::from_secs(s));
                let mut seed = (0x9e37_79b9_7f4a_7c15u64 ^ seed0).wrapping_mul(i as u64 + 1);
                let mut input = Vec::with_capacity(MAX_LEN);
                let mut done = 0u64;
                while done < iters
                    && (done < at_least || deadline.is_none_or(|d| Instant::now() < d))
                {
                    let len = (xorshift(&mut seed) as usize) % MAX_LEN;
                    input.clear();
                    input.extend((0..len).map(|_| xorshift(&mut seed) as u8));
                    let label = format!("seed{seed0}-{done}");
                    failures += u64::from(!run_one(name, target, &input, &label));
                    done += 1;
                }
                let t = start.elapsed().as_secs_f64();
                let checks = wx_fuzz::checked() - checked;
                println!(
                    "{name}: {kept} kept inputs, {done} random inputs in {t:.1} s ({:.0}/s), {checks} checks",
                    done as f64 / t.max(1e-9)
                );
                // Random inputs that check nothing (no module, no export)
                // would pass whatever wx does.
                if done >= 100 && checks == 0 {
                    eprintln!("{name}: {done} random inputs made no check");
                    failures += 1;
                }
            }
            failures
        })
        .expect("start the fuzz thread")
        .join()
        .expect("the driver itself does not panic");
    if failures != 0 {
        eprintln!("{failures} failing inputs");
        std::process::exit(1);
    }
}
