//! Running a suite of `.wast` scripts on every tier of `tiers.rs`: prints
//! per-file and per-tier counts and a final `N passed, M failed` line, and
//! exits non-zero on any failure. `WX_SPEC_FILTER=substring` runs only
//! matching scripts; `WX_SPEC_VERBOSE=1` prints every failure.

use crate::support_tiers::tiers;
use wx::wast::{run_script, Counts};

/// One script of a suite.
pub struct Script {
    pub name: String,
    pub text: String,
    /// Written before reference types (e.g. the threads proposal's
    /// scripts, which expect a second table to be invalid): run with them off.
    pub pre_reference_types: bool,
}

impl Script {
    pub fn new(name: impl Into<String>, text: impl Into<String>) -> Script {
        Script {
            name: name.into(),
            text: text.into(),
            pre_reference_types: false,
        }
    }
}

/// Run `scripts` on every tier; exit with status 1 if any directive failed
/// (or none ran).
pub fn run_suite(mut scripts: Vec<Script>) {
    let filter = std::env::var("WX_SPEC_FILTER").unwrap_or_default();
    let verbose = std::env::var_os("WX_SPEC_VERBOSE").is_some();
    scripts.retain(|s| s.name.contains(&filter));
    scripts.sort_by(|a, b| a.name.cmp(&b.name));
    let mut total = Counts::default();
    for (tier, config) in tiers() {
        let mut older = config.clone();
        older.wasm_reference_types(false);
        let mut tier_total = Counts::default();
        for s in &scripts {
            let config = if s.pre_reference_types {
                &older
            } else {
                &config
            };
            let c = run_script(&s.name, &s.text, config, verbose);
            println!(
                "[{tier}] {}: {} passed, {} failed",
                s.name, c.passed, c.failed
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
