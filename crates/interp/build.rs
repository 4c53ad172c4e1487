//! Chooses the interpreter's dispatch mode (see src/exec/dispatch.rs).
//!
//! Tail-call dispatch needs the optimiser (sibling calls) and no debug
//! assertions (their formatting paths make locals escape, which blocks tail
//! calls). `WX_DISPATCH=loop|tail` overrides the choice.

fn main() {
    println!("cargo::rustc-check-cfg=cfg(wx_tail_dispatch)");
    println!("cargo::rerun-if-env-changed=WX_DISPATCH");
    let opt = std::env::var("OPT_LEVEL").unwrap_or_default();
    let debug_assertions = std::env::var_os("CARGO_CFG_DEBUG_ASSERTIONS").is_some();
    let tail = match std::env::var("WX_DISPATCH").as_deref() {
        Ok("tail") => true,
        Ok("loop") => false,
        _ => matches!(opt.as_str(), "2" | "3") && !debug_assertions,
    };
    if tail {
        println!("cargo::rustc-cfg=wx_tail_dispatch");
    }
}
