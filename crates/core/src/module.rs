//! A module decoded and validated with wasmparser.
//!
//! [`ModuleInfo::new`] validates the whole binary against the feature set wx
//! supports (WebAssembly 2.0 without SIMD), then records everything later
//! stages need. Function bodies are not decoded here: each tier reads them
//! from [`ModuleInfo::body`] when it first needs them.

use crate::const_expr::ConstExpr;
use crate::error::CompileError;
use crate::sig::{self, SigId};
use crate::types::{
    self, ExternType, FuncType, GlobalType, MemoryType, RefType, TableType, ValType,
};
use std::collections::HashMap;
use std::ops::Range;
use std::sync::Arc;
pub use wasmparser::WasmFeatures;
use wasmparser::{Parser, Payload, Validator};

/// The WebAssembly features wx accepts: 2.0 without SIMD, plus exception
/// handling (the 3.0 form with `exnref`, and the legacy `try` form), tail
/// calls, typed function references, and threads (shared memories and
/// atomics).
pub fn supported_features() -> WasmFeatures {
    WasmFeatures::WASM2.difference(WasmFeatures::SIMD)
        | WasmFeatures::EXCEPTIONS
        | WasmFeatures::LEGACY_EXCEPTIONS
        | WasmFeatures::TAIL_CALL
        | WasmFeatures::FUNCTION_REFERENCES
        | WasmFeatures::THREADS
}

/// What an import provides.
#[derive(Clone, Debug)]
pub enum ImportKind {
    Func(u32),
    Table(TableType),
    Memory(MemoryType),
    Global(GlobalType),
    /// A tag of the given type index.
    Tag(u32),
}

#[derive(Clone, Debug)]
pub struct Import {
    pub module: String,
    pub name: String,
    pub kind: ImportKind,
}

/// Which index space an export refers to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExportKind {
    Func,
    Table,
    Memory,
    Global,
    Tag,
}

#[derive(Clone, Debug)]
pub struct Export {
    pub name: String,
    pub kind: ExportKind,
    pub index: u32,
}

#[derive(Clone, Debug)]
pub struct GlobalDef {
    pub ty: GlobalType,
    pub init: ConstExpr,
}

#[derive(Clone, Debug)]
pub enum ElemMode {
    Passive,
    Active { table: u32, offset: ConstExpr },
    Declared,
}

#[derive(Clone, Debug)]
pub struct ElemSegment {
    pub ty: RefType,
    pub mode: ElemMode,
    pub items: Box<[ConstExpr]>,
}

#[derive(Clone, Debug)]
pub enum DataMode {
    Passive,
    Active { memory: u32, offset: ConstExpr },
}

#[derive(Clone, Debug)]
pub struct DataSegment {
    pub mode: DataMode,
    /// Byte range of the contents within [`ModuleInfo::bytes`].
    pub range: Range<usize>,
}

/// A defined function's body: a byte range within [`ModuleInfo::bytes`].
#[derive(Clone, Debug)]
pub struct FuncBody {
    pub range: Range<usize>,
}

/// Everything wx knows about a validated module.
#[derive(Debug)]
pub struct ModuleInfo {
    /// The original binary; bodies and data segments point into it.
    pub bytes: Arc<[u8]>,
    pub name: Option<String>,
    pub types: Vec<FuncType>,
    /// Canonical id of each entry of `types`.
    pub sig_ids: Vec<SigId>,
    pub imports: Vec<Import>,
    /// Type index of every function, imported ones first.
    pub funcs: Vec<u32>,
    pub num_imported_funcs: u32,
    pub tables: Vec<TableType>,
    pub num_imported_tables: u32,
    pub memories: Vec<MemoryType>,
    pub num_imported_memories: u32,
    pub globals: Vec<GlobalType>,
    pub num_imported_globals: u32,
    /// Type index of every tag, imported ones first.
    pub tags: Vec<u32>,
    pub num_imported_tags: u32,
    /// Initialisers of the defined globals.
    pub global_inits: Vec<ConstExpr>,
    pub exports: Vec<Export>,
    pub start: Option<u32>,
    pub elems: Vec<ElemSegment>,
    pub datas: Vec<DataSegment>,
    pub bodies: Vec<FuncBody>,
    pub func_names: HashMap<u32, String>,
    /// The checks code of this module makes so a host can stop it, as the
    /// engine that loaded it is configured (none by default).
    pub interrupts: Interrupts,
}

/// Checks every tier's code makes at function entries and loop headers
/// so a host can stop it. Off, code has none and pays nothing.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Interrupts {
    /// Compare the engine's epoch with the store's deadline.
    pub epoch: bool,
    /// Take one unit of the store's fuel at each function entry and each
    /// arrival at a loop header (see `VMLimits::fuel`).
    pub fuel: bool,
}

impl ModuleInfo {
    /// Decode and validate a binary module.
    ///
    /// One pass over the binary validates and decodes the module's
    /// sections; the function bodies, most of a large module, are then
    /// validated on all cores at once (see [`validate_bodies`]). Only when
    /// that fails is the module validated again, to tell a feature wx does
    /// not support from an invalid module.
    pub fn new(bytes: &[u8]) -> Result<ModuleInfo, CompileError> {
        ModuleInfo::with_features(bytes, supported_features())
    }

    /// Like [`ModuleInfo::new`], accepting only `features` (a subset of
    /// [`supported_features`]).
    pub fn with_features(bytes: &[u8], features: WasmFeatures) -> Result<ModuleInfo, CompileError> {
        // The reader's own complaint spans lines (it prints both headers
        // as arrays); this is what it means.
        if bytes.len() >= 4 && !bytes.starts_with(b"\0asm") {
            return Err(CompileError::Invalid {
                message: "not a wasm module (bad magic number)".into(),
                offset: Some(0),
            });
        }
        let mut features = features & supported_features();
        // Recursion groups belong to the GC proposal's type system: a
        // module that uses them (for function types only) validates with
        // it, and may use none of its instructions (checked in `parse`).
        let rec_groups = uses_rec_groups(bytes);
        if rec_groups && features.contains(WasmFeatures::REFERENCE_TYPES) {
            features |= WasmFeatures::GC;
        }
        let shared: Arc<[u8]> = Arc::from(bytes);
        let mut m = ModuleInfo {
            bytes: shared.clone(),
            name: None,
            types: Vec::new(),
            sig_ids: Vec::new(),
            imports: Vec::new(),
            funcs: Vec::new(),
            num_imported_funcs: 0,
            tables: Vec::new(),
            num_imported_tables: 0,
            memories: Vec::new(),
            num_imported_memories: 0,
            globals: Vec::new(),
            num_imported_globals: 0,
            tags: Vec::new(),
            num_imported_tags: 0,
            global_inits: Vec::new(),
            exports: Vec::new(),
            start: None,
            elems: Vec::new(),
            datas: Vec::new(),
            bodies: Vec::new(),
            func_names: HashMap::new(),
            interrupts: Interrupts::default(),
        };
        match m.parse(&shared, features) {
            Ok(()) => Ok(m),
            Err(DecodeError::Unsupported(feature)) => Err(CompileError::Unsupported { feature }),
            Err(DecodeError::Parser(e)) => Err(validate(&shared, features)
                .err()
                .unwrap_or_else(|| e.into())),
        }
    }

    /// Validate and decode `bytes` into `self`.
    fn parse(&mut self, bytes: &[u8], features: WasmFeatures) -> Result<(), DecodeError> {
        let mut validator = Validator::new_with_features(features);
        let mut bodies = Vec::new();
        // The parser reads with the same features (a memory's limits are
        // 32-bit LEBs without memory64, and an overlong one is malformed).
        let mut parser = Parser::new(0);
        parser.set_features(features);
        for payload in parser.parse_all(bytes) {
            let payload = payload?;
            if let wasmparser::ValidPayload::Func(func, body) = validator.payload(&payload)? {
                bodies.push((func, body));
            }
            self.decode(payload, bytes)?;
        }
        let gc_bodies: Vec<_> = if features.contains(WasmFeatures::GC) {
            bodies.iter().map(|(_, b)| b.clone()).collect()
        } else {
            Vec::new()
        };
        validate_bodies(bodies)?;
        for body in gc_bodies {
            reject_gc(&body)?;
        }
        Ok(())
    }

    /// Record what one (validated) payload says.
    fn decode(&mut self, payload: Payload<'_>, bytes: &[u8]) -> Result<(), DecodeError> {
        {
            match payload {
                Payload::TypeSection(reader) => {
                    for group in reader {
                        let mut types = Vec::new();
                        for sub in group?.into_types() {
                            let wasmparser::CompositeInnerType::Func(f) = &sub.composite_type.inner
                            else {
                                return Err(DecodeError::Unsupported("gc types".into()));
                            };
                            if !sub.supertype_idxs.is_empty() {
                                return Err(DecodeError::Unsupported("gc subtyping".into()));
                            }
                            types.push(FuncType::new(
                                f.params()
                                    .iter()
                                    .map(|t| conv(types::val_type(*t)))
                                    .collect::<Result<Vec<_>, _>>()?,
                                f.results()
                                    .iter()
                                    .map(|t| conv(types::val_type(*t)))
                                    .collect::<Result<Vec<_>, _>>()?,
                            ));
                        }
                        for i in 0..types.len() {
                            self.sig_ids.push(sig::intern_in_group(&types, i));
                        }
                        self.types.extend(types);
                    }
                }
                Payload::ImportSection(reader) => {
                    for import in reader.into_imports() {
                        let import = import?;
                        let kind = match import.ty {
                            wasmparser::TypeRef::Func(t) | wasmparser::TypeRef::FuncExact(t) => {
                                self.funcs.push(t);
                                self.num_imported_funcs += 1;
                                ImportKind::Func(t)
                            }
                            wasmparser::TypeRef::Table(t) => {
                                let t = table_type(&t)?;
                                self.tables.push(t);
                                self.num_imported_tables += 1;
                                ImportKind::Table(t)
                            }
                            wasmparser::TypeRef::Memory(m) => {
                                let m = memory_type(&m)?;
                                self.memories.push(m);
                                self.num_imported_memories += 1;
                                ImportKind::Memory(m)
                            }
                            wasmparser::TypeRef::Global(g) => {
                                let g = global_type(&g)?;
                                self.globals.push(g);
                                self.num_imported_globals += 1;
                                ImportKind::Global(g)
                            }
                            wasmparser::TypeRef::Tag(t) => {
                                self.tags.push(t.func_type_idx);
                                self.num_imported_tags += 1;
                                ImportKind::Tag(t.func_type_idx)
                            }
                        };
                        self.imports.push(Import {
                            module: import.module.to_string(),
                            name: import.name.to_string(),
                            kind,
                        });
                    }
                }
                Payload::FunctionSection(reader) => {
                    for t in reader {
                        self.funcs.push(t?);
                    }
                }
                Payload::TableSection(reader) => {
                    for table in reader {
                        let table = table?;
                        if !matches!(table.init, wasmparser::TableInit::RefNull) {
                            return Err(DecodeError::Unsupported(
                                "table initialiser expressions".into(),
                            ));
                        }
                        self.tables.push(table_type(&table.ty)?);
                    }
                }
                Payload::MemorySection(reader) => {
                    for mem in reader {
                        self.memories.push(memory_type(&mem?)?);
                    }
                }
                Payload::GlobalSection(reader) => {
                    for g in reader {
                        let g = g?;
                        self.globals.push(global_type(&g.ty)?);
                        self.global_inits
                            .push(conv(ConstExpr::decode(&g.init_expr))?);
                    }
                }
                Payload::ExportSection(reader) => {
                    for e in reader {
                        let e = e?;
                        let kind = match e.kind {
                            wasmparser::ExternalKind::Func
                            | wasmparser::ExternalKind::FuncExact => ExportKind::Func,
                            wasmparser::ExternalKind::Table => ExportKind::Table,
                            wasmparser::ExternalKind::Memory => ExportKind::Memory,
                            wasmparser::ExternalKind::Global => ExportKind::Global,
                            wasmparser::ExternalKind::Tag => ExportKind::Tag,
                        };
                        self.exports.push(Export {
                            name: e.name.to_string(),
                            kind,
                            index: e.index,
                        });
                    }
                }
                Payload::TagSection(reader) => {
                    for tag in reader {
                        self.tags.push(tag?.func_type_idx);
                    }
                }
                Payload::StartSection { func, .. } => self.start = Some(func),
                Payload::ElementSection(reader) => {
                    for elem in reader {
                        self.elems.push(elem_segment(elem?)?);
                    }
                }
                Payload::DataSection(reader) => {
                    for data in reader {
                        let data = data?;
                        let mode = match data.kind {
                            wasmparser::DataKind::Passive => DataMode::Passive,
                            wasmparser::DataKind::Active {
                                memory_index,
                                offset_expr,
                            } => DataMode::Active {
                                memory: memory_index,
                                offset: conv(ConstExpr::decode(&offset_expr))?,
                            },
                        };
                        let start = data.data.as_ptr() as usize - bytes.as_ptr() as usize;
                        self.datas.push(DataSegment {
                            mode,
                            range: start..start + data.data.len(),
                        });
                    }
                }
                Payload::CodeSectionEntry(body) => {
                    let r = body.range();
                    self.bodies.push(FuncBody {
                        range: r.start as usize..r.end as usize,
                    });
                }
                Payload::CustomSection(reader) => {
                    if let wasmparser::KnownCustom::Name(names) = reader.as_known() {
                        // A malformed name section is not an error (the spec says custom
                        // sections never affect validity); keep what decoded.
                        let _ = self.read_names(names);
                    }
                }
                _ => {}
            }
        }
        Ok(())
    }

    fn read_names(&mut self, names: wasmparser::NameSectionReader<'_>) -> wasmparser::Result<()> {
        for name in names {
            match name? {
                wasmparser::Name::Module { name, .. } => self.name = Some(name.to_string()),
                wasmparser::Name::Function(map) => {
                    for naming in map {
                        let naming = naming?;
                        self.func_names
                            .insert(naming.index, naming.name.to_string());
                    }
                }
                _ => {}
            }
        }
        Ok(())
    }

    /// The type of function `func` (imported or defined).
    pub fn func_type(&self, func: u32) -> &FuncType {
        &self.types[self.funcs[func as usize] as usize]
    }

    /// The canonical signature id of function `func`.
    pub fn func_sig(&self, func: u32) -> SigId {
        self.sig_ids[self.funcs[func as usize] as usize]
    }

    /// The type of tag `tag` (its parameters are the payload).
    pub fn tag_type(&self, tag: u32) -> &FuncType {
        &self.types[self.tags[tag as usize] as usize]
    }

    /// The canonical signature id of tag `tag`'s type.
    pub fn tag_sig(&self, tag: u32) -> SigId {
        self.sig_ids[self.tags[tag as usize] as usize]
    }

    pub fn num_defined_funcs(&self) -> u32 {
        self.funcs.len() as u32 - self.num_imported_funcs
    }

    /// The body bytes of defined function `def_index` and their offset in the binary.
    pub fn body(&self, def_index: u32) -> (&[u8], usize) {
        let r = &self.bodies[def_index as usize].range;
        (&self.bytes[r.clone()], r.start)
    }

    /// A printable name of function `func`: the name section's, else an export's, else `func[N]`.
    pub fn func_name(&self, func: u32) -> String {
        if let Some(n) = self.func_names.get(&func) {
            return n.clone();
        }
        self.exports
            .iter()
            .find(|e| e.kind == ExportKind::Func && e.index == func)
            .map(|e| e.name.clone())
            .unwrap_or_else(|| format!("func[{func}]"))
    }

    /// The type of export `e`.
    pub fn export_type(&self, e: &Export) -> ExternType {
        let i = e.index as usize;
        match e.kind {
            ExportKind::Func => ExternType::Func(self.func_type(e.index).clone()),
            ExportKind::Table => ExternType::Table(self.tables[i]),
            ExportKind::Memory => ExternType::Memory(self.memories[i]),
            ExportKind::Global => ExternType::Global(self.globals[i]),
            ExportKind::Tag => ExternType::Tag(self.tag_type(e.index).clone()),
        }
    }

    /// The type an import expects.
    pub fn import_type(&self, import: &Import) -> ExternType {
        match import.kind {
            ImportKind::Func(t) => ExternType::Func(self.types[t as usize].clone()),
            ImportKind::Table(t) => ExternType::Table(t),
            ImportKind::Memory(m) => ExternType::Memory(m),
            ImportKind::Global(g) => ExternType::Global(g),
            ImportKind::Tag(t) => ExternType::Tag(self.types[t as usize].clone()),
        }
    }

    pub fn data(&self, index: u32) -> &[u8] {
        &self.bytes[self.datas[index as usize].range.clone()]
    }
}

enum DecodeError {
    Parser(wasmparser::BinaryReaderError),
    Unsupported(String),
}

impl From<wasmparser::BinaryReaderError> for DecodeError {
    fn from(e: wasmparser::BinaryReaderError) -> Self {
        DecodeError::Parser(e)
    }
}

fn conv<T>(r: Result<T, String>) -> Result<T, DecodeError> {
    r.map_err(DecodeError::Unsupported)
}

fn table_type(t: &wasmparser::TableType) -> Result<TableType, DecodeError> {
    if t.table64 {
        return Err(DecodeError::Unsupported("table64".into()));
    }
    Ok(TableType {
        elem: conv(types::ref_type(t.element_type))?,
        min: t.initial as u32,
        max: t.maximum.map(|m| m as u32),
    })
}

fn memory_type(m: &wasmparser::MemoryType) -> Result<MemoryType, DecodeError> {
    if m.memory64 || m.page_size_log2.is_some() {
        return Err(DecodeError::Unsupported(
            "memory64 / custom page sizes".into(),
        ));
    }
    Ok(MemoryType {
        min: m.initial as u32,
        max: m.maximum.map(|x| x as u32),
        shared: m.shared,
    })
}

fn global_type(g: &wasmparser::GlobalType) -> Result<GlobalType, DecodeError> {
    Ok(GlobalType {
        content: conv(types::val_type(g.content_type))?,
        mutable: g.mutable,
    })
}

fn elem_segment(elem: wasmparser::Element<'_>) -> Result<ElemSegment, DecodeError> {
    let mode = match elem.kind {
        wasmparser::ElementKind::Passive => ElemMode::Passive,
        wasmparser::ElementKind::Declared => ElemMode::Declared,
        wasmparser::ElementKind::Active {
            table_index,
            offset_expr,
        } => ElemMode::Active {
            table: table_index.unwrap_or(0),
            offset: conv(ConstExpr::decode(&offset_expr))?,
        },
    };
    let (ty, items) = match elem.items {
        wasmparser::ElementItems::Functions(funcs) => {
            let items = funcs
                .into_iter()
                .map(|f| f.map(ConstExpr::RefFunc))
                .collect::<Result<Vec<_>, _>>()?;
            (RefType::FuncRef, items)
        }
        wasmparser::ElementItems::Expressions(ty, exprs) => {
            let mut items = Vec::new();
            for e in exprs {
                items.push(conv(ConstExpr::decode(&e?))?);
            }
            (conv(types::ref_type(ty))?, items)
        }
    };
    Ok(ElemSegment {
        ty,
        mode,
        items: items.into(),
    })
}

/// Does the type section declare an explicit recursion group?
fn uses_rec_groups(bytes: &[u8]) -> bool {
    for payload in Parser::new(0).parse_all(bytes) {
        match payload {
            Ok(Payload::TypeSection(reader)) => {
                return reader
                    .into_iter()
                    .any(|g| g.is_ok_and(|g| g.is_explicit_rec_group()))
            }
            Ok(Payload::CodeSectionStart { .. }) | Err(_) => return false,
            _ => {}
        }
    }
    false
}

/// Refuse a (valid) body that uses the GC proposal's instructions or
/// reference types: wx has no GC heap.
fn reject_gc(body: &wasmparser::FunctionBody<'_>) -> Result<(), DecodeError> {
    for local in body.get_locals_reader()? {
        conv(types::val_type(local?.1))?;
    }
    let mut ops = body.get_operators_reader()?;
    while !ops.eof() {
        let op = ops.read()?;
        if crate::proposal::of(&op) == "gc" {
            return Err(DecodeError::Unsupported("gc instructions".into()));
        }
    }
    Ok(())
}

/// Validate function bodies, spread over the machine's cores when there
/// is enough code to pay for the threads (a 75 MB module spends most of
/// its load time here). Reports the first invalid body by index.
fn validate_bodies(
    bodies: Vec<(
        wasmparser::FuncToValidate<wasmparser::ValidatorResources>,
        wasmparser::FunctionBody<'_>,
    )>,
) -> Result<(), wasmparser::BinaryReaderError> {
    use std::sync::atomic::{AtomicUsize, Ordering};
    /// Below this much code, one thread does it all.
    const PARALLEL_BYTES: usize = 1 << 20;
    /// Functions a thread takes at a time.
    const CHUNK: usize = 64;
    let total: usize = bodies
        .iter()
        .map(|(_, b)| (b.range().end - b.range().start) as usize)
        .sum();
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(8);
    // Chunks of functions with their indices, each taken by one thread.
    type Job<'a> = (
        usize,
        wasmparser::FuncToValidate<wasmparser::ValidatorResources>,
        wasmparser::FunctionBody<'a>,
    );
    let mut chunks: Vec<std::sync::Mutex<Vec<Job<'_>>>> = Vec::new();
    let mut jobs = bodies
        .into_iter()
        .enumerate()
        .map(|(i, (f, b))| (i, f, b))
        .peekable();
    while jobs.peek().is_some() {
        chunks.push(std::sync::Mutex::new(jobs.by_ref().take(CHUNK).collect()));
    }
    let run = |next: &AtomicUsize| -> Option<(usize, wasmparser::BinaryReaderError)> {
        let mut allocs = wasmparser::FuncValidatorAllocations::default();
        loop {
            let chunk = chunks.get(next.fetch_add(1, Ordering::Relaxed))?;
            let chunk = std::mem::take(&mut *chunk.lock().unwrap_or_else(|e| e.into_inner()));
            for (i, func, body) in chunk {
                let mut v = func.into_validator(std::mem::take(&mut allocs));
                if let Err(e) = v.validate(&body) {
                    return Some((i, e));
                }
                allocs = v.into_allocations();
            }
        }
    };
    let next = AtomicUsize::new(0);
    let first_error = if threads == 1 || total < PARALLEL_BYTES {
        run(&next)
    } else {
        std::thread::scope(|s| {
            let helpers: Vec<_> = (1..threads).map(|_| s.spawn(|| run(&next))).collect();
            let mut errors: Vec<_> = run(&next).into_iter().collect();
            for h in helpers {
                // A validator panic (a wasmparser bug) goes on in the caller.
                match h.join() {
                    Ok(e) => errors.extend(e),
                    Err(panic) => std::panic::resume_unwind(panic),
                }
            }
            errors.into_iter().min_by_key(|(i, _)| *i)
        })
    };
    match first_error {
        Some((_, e)) => Err(e),
        None => Ok(()),
    }
}

/// Validate against wx's feature set. A module that is valid only with more
/// features enabled is reported as using an unsupported feature.
fn validate(bytes: &[u8], features: WasmFeatures) -> Result<(), CompileError> {
    let err = match Validator::new_with_features(features).validate_all(bytes) {
        Ok(_) => return Ok(()),
        Err(e) => e,
    };
    let everything = WasmFeatures::all();
    if Validator::new_with_features(everything)
        .validate_all(bytes)
        .is_ok()
    {
        let msg = err.message();
        let feature = msg.strip_suffix(" support is not enabled").unwrap_or(msg);
        return Err(CompileError::Unsupported {
            feature: feature.to_string(),
        });
    }
    Err(CompileError::from(err))
}

/// The value types a block type stands for.
pub fn block_type(module: &ModuleInfo, bt: wasmparser::BlockType) -> (Vec<ValType>, Vec<ValType>) {
    match bt {
        wasmparser::BlockType::Empty => (vec![], vec![]),
        wasmparser::BlockType::Type(t) => {
            (vec![], vec![types::val_type(t).unwrap_or(ValType::I32)])
        }
        wasmparser::BlockType::FuncType(i) => {
            let f = &module.types[i as usize];
            (f.params().to_vec(), f.results().to_vec())
        }
    }
}
