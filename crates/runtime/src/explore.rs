//! What each tier made of a module's functions, for `wx explore`.

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
    /// The JIT's IR, register allocation and machine code (host ISA), or why the JIT
    /// does not compile this function.
    pub jit: Result<wx_jit::Explored, String>,
}

impl Module {
    /// Reports for the defined functions selected by `filter` (a function
    /// index or name; all functions when `None`). Translation happens here,
    /// so the module's translation cache is warm afterwards.
    pub fn explore(&self, filter: Option<&str>) -> Result<Vec<FunctionReport>> {
        self.explore_for(filter, wx_jit::Target::host())
    }

    /// [`Module::explore`] with the JIT's output for `target`, whatever
    /// the host.
    pub fn explore_for(
        &self,
        filter: Option<&str>,
        target: wx_jit::Target,
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
            // What `run` would do: a body over the size limit is never
            // compiled, so there is no JIT output to show for it.
            let jit = crate::tier::within_limit(info, def, self.inner.engine.config())
                .map_err(|why| format!("kept in the interpreter: {why}"))
                .and_then(|()| {
                    wx_jit::explore_target(info, def, target).map_err(|e| e.to_string())
                });
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
}
