//! Per-function execution counters, for `wx run --stats` and the tiering policy.

use crate::store::Store;
use std::collections::HashSet;

/// What the interpreter counted for one function.
#[derive(Clone, Debug)]
pub struct FuncStats {
    pub module: String,
    pub index: u32,
    pub name: String,
    pub calls: u64,
    /// Loop-header executions (loop entries plus back-edges).
    pub loop_iterations: u64,
}

impl<T> Store<T> {
    /// Counters of every function that ran in this store (modules
    /// instantiated several times are counted once, together).
    pub fn func_stats(&self) -> Vec<FuncStats> {
        let mut seen = HashSet::new();
        let mut out = Vec::new();
        for inst in &self.inner.opaque.instances {
            let Some(code) = inst.code.downcast_ref::<wx_interp::ModuleCode>() else {
                continue;
            };
            if !seen.insert(code as *const _ as usize) {
                continue;
            }
            let m = &inst.module;
            for def in 0..code.num_defined() {
                let Some(fc) = code.get(def) else { continue };
                let index = m.num_imported_funcs + def;
                out.push(FuncStats {
                    module: m.name.clone().unwrap_or_default(),
                    index,
                    name: m.func_name(index),
                    calls: fc.call_count(),
                    loop_iterations: fc.loop_count(),
                });
            }
        }
        out
    }
}
