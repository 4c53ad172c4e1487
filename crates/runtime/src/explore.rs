//! What each tier made of a module's functions, for `wx explore`.

use crate::config::Strategy;
use crate::error::{Error, Result};
use crate::module::Module;
use std::fmt::Write as _;

/// One function's compiled forms, as text.
#[derive(Clone, Debug)]
pub struct FunctionReport {
    /// Index in the module's function index space.
    pub index: u32,
    pub name: String,
    /// The signature, e.g. `[i32 i32] -> [i32]`.
    pub signature: String,
    /// The interpreter's bytecode, one instruction per line, with the frame layout.
    pub interp: String,
    /// The JIT's IR, register allocation and machine code, or (starting
    /// `kept in the interpreter: `) why `run` never compiles this function.
    pub jit: Result<wx_jit::Explored, String>,
}

impl Module {
    /// Reports for the defined functions selected by `filter` (a function
    /// index or name; all functions when `None`), as the module's engine
    /// runs them on this machine: a function its strategy never compiles
    /// (all of them under `interp`, or in a build without the JIT for this
    /// machine) is reported kept in the interpreter. Translation happens
    /// here, so the module's translation cache is warm afterwards.
    pub fn explore(&self, filter: Option<&str>) -> Result<Vec<FunctionReport>> {
        self.explore_with(filter, wx_jit::Target::host(), true)
    }

    /// [`Module::explore`] with the JIT's output for `target`, whatever
    /// the host and the engine's strategy: what the JIT makes of each
    /// function on such a machine, or why it keeps it in the interpreter.
    pub fn explore_for(
        &self,
        filter: Option<&str>,
        target: wx_jit::Target,
    ) -> Result<Vec<FunctionReport>> {
        self.explore_with(filter, target, false)
    }

    /// The reports; `by_strategy`: functions the engine's strategy never
    /// compiles are kept in the interpreter.
    fn explore_with(
        &self,
        filter: Option<&str>,
        target: wx_jit::Target,
        by_strategy: bool,
    ) -> Result<Vec<FunctionReport>> {
        let info = &self.inner.info;
        let first = info.num_imported_funcs;
        let mut out = Vec::new();
        for def in 0..info.num_defined_funcs() {
            let index = first + def;
            let name = info.func_name(index);
            if let Some(f) = filter {
                if f != name && f.parse::<u32>().ok() != Some(index) {
                    continue;
                }
            }
            let code = self
                .inner
                .code
                .get_or_translate(def)
                .map_err(|e| Error::Compile(e.clone()))?;
            let mut interp = format!(
                "; {} params, {} locals, {} constants, frame of {} slots\n",
                code.num_params,
                code.num_locals - code.num_params,
                code.consts.len(),
                code.frame_size
            );
            for (k, c) in code.consts.iter().enumerate() {
                let _ = writeln!(
                    interp,
                    "; slot {} = const 0x{c:x}",
                    code.num_locals as usize + k
                );
            }
            for (at, op) in code.ops.iter().enumerate() {
                let _ = writeln!(interp, "{at:5}: {op:?}");
            }
            let jit = self.jit_report(def, target, by_strategy);
            out.push(FunctionReport {
                index,
                name,
                signature: info.func_type(index).to_string(),
                interp,
                jit,
            });
        }
        if out.is_empty() {
            if let Some(f) = filter {
                return Err(Error::Usage(format!(
                    "no defined function `{f}` in the module"
                )));
            }
        }
        Ok(out)
    }

    /// What the JIT makes of defined function `def` for `target`, or why
    /// `run` keeps it in the interpreter for good. The decision is the
    /// runtime's own ([`crate::tier::machine_code_for`], which every
    /// compilation goes through: the size limit and every refusal of the
    /// JIT's translator, allocator and emitter), so explore never shows
    /// code for a function `run` interprets.
    fn jit_report(
        &self,
        def: u32,
        target: wx_jit::Target,
        by_strategy: bool,
    ) -> std::result::Result<wx_jit::Explored, String> {
        let info = &self.inner.info;
        let config = self.inner.engine.config();
        let kept = |why: &str| format!("kept in the interpreter: {why}");
        if by_strategy {
            if let Some(why) = strategy_keeps(config.get_strategy(), def) {
                return Err(kept(why));
            }
        }
        crate::tier::machine_code_for(info, def, config, target).map_err(|why| kept(&why))?;
        wx_jit::explore_target(info, def, target)
            .map_err(|e| format!("compiled, but explore cannot show it: {e}"))
    }
}

/// Why `strategy` never compiles defined function `def`, if it does not.
fn strategy_keeps(strategy: Strategy, def: u32) -> Option<&'static str> {
    match strategy {
        Strategy::Interp if !crate::engine::JIT_AVAILABLE => {
            Some("this build has no JIT for this machine (strategy `interp`)")
        }
        Strategy::Interp => Some("the engine's strategy is `interp`"),
        Strategy::Mixed if def % 2 == 1 => {
            Some("strategy `mixed` compiles only every other function")
        }
        Strategy::Jit | Strategy::Tiered | Strategy::Mixed => None,
    }
}
