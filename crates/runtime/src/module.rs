//! Compiled (validated, not yet instantiated) modules.

use crate::engine::Engine;
use crate::error::{Error, Result};
use crate::traps::CodeRange;
use std::path::Path;
use std::sync::Arc;
use std::time::Instant;
use wx_core::code::CodeMemory;
use wx_core::types::ExternType;
use wx_core::ModuleInfo;
use wx_interp::ModuleCode;

/// A validated module, ready to instantiate any number of times. Cheap to clone.
#[derive(Clone, Debug)]
pub struct Module {
    pub(crate) inner: Arc<ModuleInner>,
}

#[derive(Debug)]
pub(crate) struct ModuleInner {
    pub(crate) engine: Engine,
    pub(crate) info: Arc<ModuleInfo>,
    /// Interpreter code, shared by every instance (translated lazily).
    pub(crate) code: Arc<ModuleCode>,
    /// JIT code per defined function (strategy `jit`); `None` = interpreted.
    pub(crate) compiled: Vec<Option<CodeMemory>>,
}

impl Drop for ModuleInner {
    fn drop(&mut self) {
        let starts: Vec<usize> = self
            .compiled
            .iter()
            .flatten()
            .map(|c| c.as_ptr() as usize)
            .collect();
        if !starts.is_empty() {
            crate::traps::unregister(&starts);
        }
    }
}

/// Append `START SIZE name` lines for `compiled` to `/tmp/perf-<pid>.map`
/// (the format `perf` reads for JIT code). Failing to write is not an error
/// of the program being run: it is reported and ignored.
fn write_perf_map(info: &ModuleInfo, compiled: &[Option<CodeMemory>]) {
    use std::io::Write as _;
    let path = format!("/tmp/perf-{}.map", std::process::id());
    let mut text = String::new();
    for (def, code) in compiled.iter().enumerate() {
        if let Some(code) = code {
            let index = info.num_imported_funcs + def as u32;
            let module = info.name.as_deref().unwrap_or("wasm");
            text.push_str(&format!(
                "{:x} {:x} {module}::{}\n",
                code.as_ptr() as usize,
                code.len(),
                info.func_name(index)
            ));
        }
    }
    let result = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(&path)
        .and_then(|mut f| f.write_all(text.as_bytes()));
    if let Err(e) = result {
        tracing::warn!(target: "wx::tier", path = %path, error = %e, "cannot write the perf map");
    }
}

/// Compile every defined function with the JIT; functions it does not
/// support stay in the interpreter (reported under `wx::tier`).
fn compile_all(info: &ModuleInfo) -> Vec<Option<CodeMemory>> {
    let mut ranges = Vec::new();
    let compiled = (0..info.num_defined_funcs())
        .map(|def| {
            let index = info.num_imported_funcs + def;
            let start = Instant::now();
            match wx_jit::compile(info, def) {
                Ok(code) => match CodeMemory::new(&code.code) {
                    Ok(mem) => {
                        let base = mem.as_ptr() as usize;
                        ranges.push(CodeRange {
                            start: base,
                            end: base + mem.len(),
                            epilogue: base + code.epilogue as usize,
                            sites: code.trap_sites.iter().map(|(o, _)| *o).collect(),
                        });
                        tracing::debug!(
                            target: "wx::tier",
                            func = index,
                            name = %info.func_name(index),
                            micros = start.elapsed().as_micros() as u64,
                            wasm_bytes = info.bodies[def as usize].range.len(),
                            code_bytes = mem.len(),
                            "compiled"
                        );
                        Some(mem)
                    }
                    Err(e) => {
                        tracing::warn!(target: "wx::tier", func = index, error = %e, "kept in the interpreter");
                        None
                    }
                },
                Err(e) => {
                    tracing::debug!(
                        target: "wx::tier",
                        func = index,
                        name = %info.func_name(index),
                        reason = %e,
                        "kept in the interpreter"
                    );
                    None
                }
            }
        })
        .collect();
    let mut ranges_sorted = ranges;
    ranges_sorted.sort_by_key(|r| r.start);
    if !ranges_sorted.is_empty() {
        crate::traps::register(ranges_sorted);
    }
    compiled
}

/// An import a module expects.
#[derive(Clone, Debug)]
pub struct ImportType {
    pub module: String,
    pub name: String,
    pub ty: ExternType,
}

/// An export a module provides.
#[derive(Clone, Debug)]
pub struct ExportType {
    pub name: String,
    pub ty: ExternType,
}

impl Module {
    /// A module from the binary format, or from the text format (via `wat`).
    pub fn new(engine: &Engine, bytes: impl AsRef<[u8]>) -> Result<Module> {
        let bytes = bytes.as_ref();
        if bytes.starts_with(b"\0asm") {
            return Module::from_binary(engine, bytes);
        }
        let binary = wat::parse_bytes(bytes).map_err(|e| {
            Error::Compile(wx_core::CompileError::Invalid {
                message: e.to_string(),
                offset: None,
            })
        })?;
        Module::from_binary(engine, &binary)
    }

    /// A module from the binary format.
    pub fn from_binary(engine: &Engine, bytes: &[u8]) -> Result<Module> {
        let start = Instant::now();
        let info = Arc::new(ModuleInfo::new(bytes)?);
        let code = Arc::new(ModuleCode::new(info.clone()));
        let compiled = if engine.config().strategy == crate::config::Strategy::Jit {
            compile_all(&info)
        } else {
            Vec::new()
        };
        if engine.config().perf_map {
            write_perf_map(&info, &compiled);
        }
        tracing::debug!(
            target: "wx::compile",
            module = info.name.as_deref().unwrap_or(""),
            bytes = bytes.len(),
            funcs = info.num_defined_funcs(),
            micros = start.elapsed().as_micros() as u64,
            "module validated"
        );
        Ok(Module {
            inner: Arc::new(ModuleInner {
                engine: engine.clone(),
                info,
                code,
                compiled,
            }),
        })
    }

    /// A module from a `.wasm` or `.wat` file.
    pub fn from_file(engine: &Engine, path: impl AsRef<Path>) -> Result<Module> {
        let path = path.as_ref();
        let bytes = std::fs::read(path).map_err(|e| {
            Error::Io(std::io::Error::new(
                e.kind(),
                format!("{}: {e}", path.display()),
            ))
        })?;
        Module::new(engine, bytes)
    }

    pub fn engine(&self) -> &Engine {
        &self.inner.engine
    }

    /// The module's name from its name section, if any.
    pub fn name(&self) -> Option<&str> {
        self.inner.info.name.as_deref()
    }

    pub fn imports(&self) -> impl Iterator<Item = ImportType> + '_ {
        let info = &self.inner.info;
        info.imports.iter().map(move |i| ImportType {
            module: i.module.clone(),
            name: i.name.clone(),
            ty: info.import_type(i),
        })
    }

    pub fn exports(&self) -> impl Iterator<Item = ExportType> + '_ {
        let info = &self.inner.info;
        info.exports.iter().map(move |e| ExportType {
            name: e.name.clone(),
            ty: info.export_type(e),
        })
    }

    /// How many functions the JIT compiled (strategy `jit`); the others run
    /// in the interpreter.
    pub fn compiled_functions(&self) -> usize {
        self.inner.compiled.iter().flatten().count()
    }

    /// The decoded module (for tools such as `wx explore`).
    pub fn info(&self) -> &Arc<ModuleInfo> {
        &self.inner.info
    }
}
