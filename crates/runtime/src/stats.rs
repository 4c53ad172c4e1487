//! Per-function execution counters and tiers, for `wx run --stats`.

use crate::store::Store;
use std::collections::HashSet;
use std::sync::Arc;
use std::time::Duration;

/// Where a function runs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FuncTier {
    /// In the interpreter (not hot, or the strategy never compiles).
    Interpreted,
    /// In JIT code.
    Compiled {
        compile_time: Duration,
        code_bytes: usize,
    },
    /// In the interpreter for good: the JIT rejected it.
    Rejected { reason: String },
}

/// What the runtime knows about one function.
#[derive(Clone, Debug)]
pub struct FuncStats {
    pub module: String,
    pub index: u32,
    pub name: String,
    /// Entries counted by the interpreter (calls to compiled code are not counted).
    pub calls: u64,
    /// Loop-header executions in the interpreter (loop entries plus back-edges).
    pub loop_iterations: u64,
    pub tier: FuncTier,
    /// Loops at which running calls moved into compiled code (OSR entries made).
    pub osr_entries: usize,
}

impl<T> Store<T> {
    /// Every function that ran or was compiled in this store (modules
    /// instantiated several times are counted once, together).
    pub fn func_stats(&self) -> Vec<FuncStats> {
        let mut seen = HashSet::new();
        let mut out = Vec::new();
        for module in &self.inner.opaque.modules {
            let inner = &module.inner;
            if !seen.insert(Arc::as_ptr(inner) as usize) {
                continue;
            }
            let info = &inner.info;
            for def in 0..inner.code.num_defined() {
                let counted = inner.code.get(def);
                let tier = match inner.compiled[def as usize].get() {
                    None => FuncTier::Interpreted,
                    Some(Ok(c)) => FuncTier::Compiled {
                        compile_time: c.compile_time,
                        code_bytes: c.code.len(),
                    },
                    Some(Err(reason)) => FuncTier::Rejected {
                        reason: reason.clone(),
                    },
                };
                let osr_entries = inner
                    .osr
                    .lock()
                    .iter()
                    .filter(|((d, _), c)| *d == def && c.is_some())
                    .count();
                if counted.is_none() && tier == FuncTier::Interpreted {
                    continue; // never ran
                }
                let index = info.num_imported_funcs + def;
                out.push(FuncStats {
                    module: info.name.clone().unwrap_or_default(),
                    index,
                    name: info.func_name(index),
                    calls: counted.map_or(0, |c| c.call_count()),
                    loop_iterations: counted.map_or(0, |c| c.loop_count()),
                    tier,
                    osr_entries,
                });
            }
        }
        out
    }
}
