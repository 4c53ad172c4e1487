//! Print the calls the `wasmi` target makes for an input, one per line
//! (`name<TAB>args`), to replay a divergence on a third engine:
//!
//! ```text
//! cargo run --release -p wx-fuzz --example print_calls -- fuzz/regressions/open/wasmi/X.bin
//! ```

use arbitrary::Unstructured;
use wx_fuzz::generate::{self, Features};

fn main() {
    let Some(path) = std::env::args().nth(1) else {
        eprintln!("usage: print_calls INPUT");
        std::process::exit(2);
    };
    let data = std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let mut u = Unstructured::new(&data);
    let Some(wasm) = generate::module(&mut u, Features::Common) else {
        eprintln!("{path}: makes no module");
        std::process::exit(1);
    };
    let info = wx_core::ModuleInfo::new(&wasm).expect("a wasm-smith module loads");
    for (func, args) in wx_fuzz::diff::calls(&info, &mut u) {
        let args: Vec<String> = args.iter().map(|a| format!("{a:?}")).collect();
        println!("{}\t{}", func.escape_default(), args.join(","));
    }
}
