//! Shared test inputs.

use std::path::PathBuf;
use wx_core::ModuleInfo;

/// The benchmark programs (`benches/programs/*.wasm`), decoded; `many_funcs`
/// (3,000 near-identical functions) only when `include_large`.
pub(crate) fn benchmark_modules(include_large: bool) -> Vec<(PathBuf, ModuleInfo)> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../benches/programs");
    let mut out = Vec::new();
    for entry in std::fs::read_dir(&dir).expect("benches/programs exists") {
        let path = entry.expect("readable entry").path();
        if path.extension().is_none_or(|e| e != "wasm")
            || (!include_large && path.to_string_lossy().contains("many_funcs"))
        {
            continue;
        }
        let info = ModuleInfo::new(&std::fs::read(&path).expect("readable module"))
            .expect("benchmark modules validate");
        out.push((path, info));
    }
    out
}
