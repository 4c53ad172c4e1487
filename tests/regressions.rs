//! The project's own `.wast` regression scripts (in `wast/`), on every tier.

use wx::wast::{run_script, Counts};
use wx_runtime::Strategy;

#[cfg(all(target_arch = "x86_64", target_os = "linux"))]
const TIERS: &[Strategy] = &[Strategy::Interp, Strategy::Jit];
#[cfg(not(all(target_arch = "x86_64", target_os = "linux")))]
const TIERS: &[Strategy] = &[Strategy::Interp];

fn main() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("wast");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .expect("wast/ exists")
        .map(|e| e.expect("readable entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "wast"))
        .collect();
    files.sort();
    println!("interpreter dispatch: {}", wx_interp::DISPATCH_MODE);
    let mut total = Counts::default();
    for tier in TIERS {
        for path in &files {
            let text = std::fs::read_to_string(path).expect("readable script");
            let name = path.file_name().unwrap_or_default().to_string_lossy();
            let c = run_script(&name, &text, *tier, true);
            println!("[{tier}] {name}: {} passed, {} failed", c.passed, c.failed);
            total.add(c);
        }
    }
    println!("{} passed, {} failed", total.passed, total.failed);
    if total.failed != 0 || total.passed == 0 {
        std::process::exit(1);
    }
}
