//! The project's own `.wast` regression scripts (in `wast/`), on every tier.

use wx::wast::{run_script, Counts};
#[path = "support/tiers.rs"]
mod support_tiers;
use support_tiers::tiers;

fn main() {
    wx::on_wasm_stack(run);
}

fn run() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("wast");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .expect("wast/ exists")
        .map(|e| e.expect("readable entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "wast"))
        .collect();
    files.sort();
    println!("interpreter dispatch: {}", wx_interp::DISPATCH_MODE);
    let mut total = Counts::default();
    for (tier, config) in tiers() {
        for path in &files {
            let text = std::fs::read_to_string(path).expect("readable script");
            let name = path.file_name().unwrap_or_default().to_string_lossy();
            let c = run_script(&name, &text, &config, true);
            println!("[{tier}] {name}: {} passed, {} failed", c.passed, c.failed);
            total.add(c);
        }
    }
    println!("{} passed, {} failed", total.passed, total.failed);
    if total.failed != 0 || total.passed == 0 {
        std::process::exit(1);
    }
}
