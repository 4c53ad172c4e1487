//! The configurations conformance tests run on: every tier this build has,
//! plus the tier-crossing modes (`tiered` compiling on the first call;
//! `tiered` entering compiled code at every loop's first header (OSR);
//! and `mixed`, which compiles every other function). `WX_TIERS=jit,mixed`
//! narrows the list. The `tiered` modes compile on the calling thread, so
//! every call after the threshold runs compiled code (the background
//! compiler is covered by the differential tests and the API tests).

use wx_runtime::{Config, Strategy};

pub fn tiers() -> Vec<(&'static str, Config)> {
    let with = |strategy, threshold| {
        let mut c = Config::new();
        c.strategy(strategy).jit_threshold(threshold);
        c
    };
    let mut out = vec![("interp", with(Strategy::Interp, 1))];
    if wx_runtime::Engine::jit_available() {
        out.push(("jit", with(Strategy::Jit, 1)));
        let mut tiered = with(Strategy::Tiered, 1);
        tiered.background_compilation(false);
        out.push(("tiered-1", tiered));
        let mut osr = with(Strategy::Tiered, u64::MAX);
        osr.jit_loop_threshold(1).background_compilation(false);
        out.push(("osr", osr));
        out.push(("mixed", with(Strategy::Mixed, 1)));
    }
    if let Ok(only) = std::env::var("WX_TIERS") {
        out.retain(|(name, _)| only.split(',').any(|t| t == *name));
    }
    out
}
