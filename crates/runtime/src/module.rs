//! Compiled (validated, not yet instantiated) modules.

use crate::config::Strategy;
use crate::engine::Engine;
use crate::error::{Error, Result};
use crate::tier::{compile_batch, install, Compiled, Outcome, TierHook, Trigger};
use parking_lot::Mutex;
use std::collections::HashMap;
use std::path::Path;
use std::sync::atomic::AtomicBool;
use std::sync::{Arc, OnceLock};
use std::time::Instant;
use wx_core::code::CodeArena;
use wx_core::types::ExternType;
use wx_core::ModuleInfo;
use wx_interp::{ModuleCode, Tiering};

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
    /// Per defined function: unset until the JIT is asked for it, then its
    /// code or the reason it stays interpreted.
    pub(crate) compiled: Box<[OnceLock<Outcome>]>,
    /// Per defined function: handed to the background compiler (it sets
    /// `compiled` when done).
    pub(crate) requested: Box<[AtomicBool]>,
    /// On-stack-replacement entries by (defined function, loop offset);
    /// `None` where the JIT could not make one.
    pub(crate) osr: Mutex<HashMap<(u32, u32), Option<Compiled>>>,
    /// The machine code of `compiled` and `osr`, packed into shared chunks.
    /// Unmapped when the module is dropped, after `Drop` has unregistered
    /// the code's trap sites. Nothing can run the code by then: stores keep
    /// the modules of their instances alive, and the tier hook (a weak
    /// reference) only runs for instances of a live store.
    pub(crate) arena: CodeArena,
}

impl ModuleInner {
    /// The functions compiled so far, by defined index.
    pub(crate) fn compiled(&self) -> impl Iterator<Item = (u32, &Compiled)> {
        self.compiled
            .iter()
            .enumerate()
            .filter_map(|(def, c)| Some((def as u32, c.get()?.as_ref().ok()?)))
    }
}

impl Drop for ModuleInner {
    fn drop(&mut self) {
        let osr = self.osr.lock();
        let starts: Vec<usize> = self
            .compiled()
            .map(|(_, c)| c)
            .chain(osr.values().flatten())
            .map(|c| c.code.as_ptr() as usize)
            .collect();
        if !starts.is_empty() {
            crate::traps::unregister(&starts);
        }
    }
}

/// Append `START SIZE name` lines for `compiled` to `/tmp/perf-<pid>.map`
/// (the format `perf` reads for JIT code). Failing to write is not an error
/// of the program being run: it is reported and ignored.
pub(crate) fn write_perf_map<'a>(
    info: &ModuleInfo,
    compiled: impl IntoIterator<Item = (u32, &'a Compiled)>,
) {
    write_perf_map_named(info, compiled, "");
}

/// [`write_perf_map`], with `suffix` after each function's name (an OSR
/// entry is `NAME [osr]`).
pub(crate) fn write_perf_map_named<'a>(
    info: &ModuleInfo,
    compiled: impl IntoIterator<Item = (u32, &'a Compiled)>,
    suffix: &str,
) {
    use std::io::Write as _;
    let path = format!("/tmp/perf-{}.map", std::process::id());
    let mut text = String::new();
    let module = info.name.as_deref().unwrap_or("wasm");
    for (def, c) in compiled {
        let index = info.num_imported_funcs + def;
        text.push_str(&format!(
            "{:x} {:x} {module}::{}{suffix}\n",
            c.code.as_ptr() as usize,
            c.code.len(),
            info.func_name(index)
        ));
    }
    if text.is_empty() {
        return;
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
    ///
    /// Bytes that start as a binary module does (the magic `\0asm`, or
    /// only its first byte: no text starts with NUL) are read as binary,
    /// so a damaged or truncated header is the binary reader's error (bad
    /// magic number, unexpected end), as wasmtime reports it. Other UTF-8
    /// is read as text; anything else is neither.
    pub fn new(engine: &Engine, bytes: impl AsRef<[u8]>) -> Result<Module> {
        let bytes = bytes.as_ref();
        if bytes.starts_with(b"\0") {
            return Module::from_binary(engine, bytes);
        }
        if std::str::from_utf8(bytes).is_err() {
            // Neither a binary module nor text: name the likelier intent.
            return Err(Error::Compile(wx_core::CompileError::Invalid {
                message: "not a wasm module (bad magic number) and not wasm text (not UTF-8)"
                    .into(),
                offset: Some(0),
            }));
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
        let config = engine.config();
        let mut info = ModuleInfo::with_features(bytes, config.features())?;
        info.interrupts = config.interrupts();
        let info = Arc::new(info);
        let inner = Arc::new_cyclic(|weak| {
            let tiering = (config.strategy == Strategy::Tiered).then(|| Tiering {
                call_threshold: config.jit_threshold,
                loop_threshold: config.jit_loop_threshold,
                hook: Box::new(TierHook {
                    module: weak.clone(),
                }),
            });
            ModuleInner {
                engine: engine.clone(),
                code: Arc::new(ModuleCode::with_tiering(info.clone(), tiering)),
                compiled: (0..info.num_defined_funcs())
                    .map(|_| OnceLock::new())
                    .collect(),
                requested: (0..info.num_defined_funcs())
                    .map(|_| AtomicBool::new(false))
                    .collect(),
                osr: Mutex::new(HashMap::new()),
                arena: CodeArena::new(),
                info: info.clone(),
            }
        });
        // `jit` compiles everything now; `mixed` every other function.
        let eager = match config.strategy {
            Strategy::Jit => 1,
            Strategy::Mixed => 2,
            Strategy::Interp | Strategy::Tiered => 0,
        };
        if eager > 0 {
            let defs = (0..info.num_defined_funcs()).step_by(eager);
            let outcomes = compile_batch(&inner, defs.map(|def| (def, Trigger::Eager)));
            install(&inner, outcomes);
        }
        tracing::debug!(
            target: "wx::compile",
            module = info.name.as_deref().unwrap_or(""),
            bytes = bytes.len(),
            funcs = info.num_defined_funcs(),
            micros = start.elapsed().as_micros() as u64,
            "module validated"
        );
        Ok(Module { inner })
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

    /// How many functions the JIT has compiled so far (all it supports
    /// under `jit`; the hot ones under `tiered`); the others run in the
    /// interpreter.
    pub fn compiled_functions(&self) -> usize {
        self.inner.compiled().count()
    }

    /// The decoded module (for tools such as `wx explore`).
    pub fn info(&self) -> &Arc<ModuleInfo> {
        &self.inner.info
    }
}
