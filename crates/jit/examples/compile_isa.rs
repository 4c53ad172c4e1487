//! Compile every function of the benchmark programs once for one ISA, to
//! count the instructions the compiler retires per wasm byte on any host:
//!
//! ```text
//! cargo build --release -p wx-jit --example compile_isa
//! valgrind --tool=callgrind --callgrind-out-file=/dev/null \
//!     target/release/examples/compile_isa aarch64     # or x86_64, or none
//! ```
//!
//! `none` decodes the modules and compiles nothing: subtract its count
//! from the others'. Prints the functions compiled and their body bytes.

use std::path::Path;
use wx_core::ModuleInfo;
use wx_jit::isa::aarch64::Aarch64;
use wx_jit::isa::x64::X64;

fn main() {
    let target = std::env::args().nth(1).unwrap_or_else(|| "x86_64".into());
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../benches/programs");
    let mut paths: Vec<_> = std::fs::read_dir(&dir)
        .expect("benches/programs")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "wasm"))
        .collect();
    paths.sort();
    let (mut functions, mut bytes, mut code) = (0usize, 0usize, 0usize);
    for path in paths {
        let wasm = std::fs::read(&path).expect("readable");
        let info = ModuleInfo::new(&wasm).expect("valid module");
        for def in 0..info.num_defined_funcs() {
            let compiled = match target.as_str() {
                "none" => continue,
                "aarch64" => wx_jit::compile_for(&Aarch64::default(), &info, def),
                "x86_64" => wx_jit::compile_for(&X64, &info, def),
                other => panic!("unknown target {other}"),
            };
            if let Ok(c) = compiled {
                functions += 1;
                bytes += info.body(def).0.len();
                code += c.code.len();
            }
        }
    }
    println!("{target}: {functions} functions, {bytes} wasm body bytes, {code} code bytes");
}
