//! The project's own `.wast` regression scripts (in `wast/`), on every tier.

#[path = "support/suite.rs"]
mod suite;
#[path = "support/tiers.rs"]
mod support_tiers;

fn main() {
    wx::on_wasm_stack(|| {
        println!("interpreter dispatch: {}", wx_interp::DISPATCH_MODE);
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("wast");
        let scripts = std::fs::read_dir(&dir)
            .expect("wast/ exists")
            .map(|e| e.expect("readable entry").path())
            .filter(|p| p.extension().is_some_and(|e| e == "wast"))
            .map(|path| {
                let text = std::fs::read_to_string(&path).expect("readable script");
                let name = path.file_name().unwrap_or_default().to_string_lossy();
                suite::Script::new(name, text)
            })
            .collect();
        suite::run_suite(scripts);
    });
}
