//! Instantiation and exports.

use crate::error::{Error, Result};
use crate::externals::{Extern, Global, Memory, Table};
use crate::func::{call_raw, Func};
use crate::module::Module;
use crate::store::{AsContextMut, StoreOpaque};
use crate::trampoline::interp_array_call;
use crate::typed::{TypedFunc, WasmParams, WasmResults};
use std::sync::Arc;
use std::time::Instant;
use wx_core::instance::{Imports, Instance as CoreInstance, Limits};
use wx_core::module::{ExportKind, ImportKind};
use wx_core::types::{limits_match, MemoryType};
use wx_core::vm::{Growth, VMLimits, Verdict};

/// An instantiated module in a store.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Instance {
    pub(crate) store_id: u64,
    pub(crate) index: usize,
}

impl Instance {
    /// Instantiate `module` with `imports` given in the module's import order.
    pub fn new(
        mut store: impl AsContextMut,
        module: &Module,
        imports: &[Extern],
    ) -> Result<Instance> {
        let ctx = store.as_context_mut();
        instantiate(&mut ctx.0.opaque, module, imports)
    }

    pub(crate) fn from_core(store: &mut StoreOpaque, core: *mut CoreInstance) -> Instance {
        let index = *store
            .instance_ids
            .get(&(core as usize))
            .expect("a caller instance belongs to its store");
        Instance {
            store_id: store.id,
            index,
        }
    }

    fn core<'a>(&self, s: &'a StoreOpaque) -> &'a CoreInstance {
        s.check(self.store_id);
        &s.instances[self.index]
    }

    /// The export called `name`.
    pub fn get_export(&self, mut store: impl AsContextMut, name: &str) -> Option<Extern> {
        let s = &mut store.as_context_mut().0.opaque;
        let core = self.core(s);
        let e = core.module.exports.iter().find(|e| e.name == name)?;
        Some(export_extern(s, self.index, e.kind, e.index))
    }

    /// All exports, in the module's order.
    pub fn exports(&self, mut store: impl AsContextMut) -> Vec<(String, Extern)> {
        let s = &mut store.as_context_mut().0.opaque;
        let module = self.core(s).module.clone();
        module
            .exports
            .iter()
            .map(|e| {
                (
                    e.name.clone(),
                    export_extern(s, self.index, e.kind, e.index),
                )
            })
            .collect()
    }

    pub fn get_func(&self, store: impl AsContextMut, name: &str) -> Option<Func> {
        self.get_export(store, name)?.into_func()
    }

    pub fn get_typed_func<P: WasmParams, R: WasmResults>(
        &self,
        mut store: impl AsContextMut,
        name: &str,
    ) -> Result<TypedFunc<P, R>> {
        let f = self
            .get_func(&mut store, name)
            .ok_or_else(|| Error::Usage(format!("no exported function named `{name}`")))?;
        f.typed(&store)
    }

    pub fn get_memory(&self, store: impl AsContextMut, name: &str) -> Option<Memory> {
        self.get_export(store, name)?.into_memory()
    }

    pub fn get_table(&self, store: impl AsContextMut, name: &str) -> Option<Table> {
        self.get_export(store, name)?.into_table()
    }

    pub fn get_global(&self, store: impl AsContextMut, name: &str) -> Option<Global> {
        self.get_export(store, name)?.into_global()
    }

    /// The decoded module this instance was made from.
    pub fn module_info(&self, store: impl crate::store::AsContext) -> Arc<wx_core::ModuleInfo> {
        self.core(&store.as_context().0.opaque).module.clone()
    }
}

fn export_extern(s: &mut StoreOpaque, instance: usize, kind: ExportKind, index: u32) -> Extern {
    let core = &s.instances[instance];
    match kind {
        ExportKind::Func => {
            let f = core.func_ref(index);
            Extern::Func(s.func_handle(f))
        }
        ExportKind::Memory => {
            let m = core.memories[index as usize];
            Extern::Memory(s.memory_handle(m))
        }
        ExportKind::Table => {
            let t = core.tables[index as usize];
            Extern::Table(s.table_handle(t))
        }
        ExportKind::Global => {
            let g = core.globals[index as usize];
            Extern::Global(s.global_handle(g))
        }
        ExportKind::Tag => {
            let t = core.tags[index as usize];
            Extern::Tag(s.tag_handle(t))
        }
    }
}

fn incompatible(module: &str, name: &str, why: String) -> Error {
    Error::Link(format!(
        "incompatible import type for `{module}::{name}`: {why}"
    ))
}

/// Whether a memory of (current) type `have` may be imported as `want`:
/// shared-ness equal, limits by the spec's import subtyping.
fn check_memory(module: &str, name: &str, have: MemoryType, want: &MemoryType) -> Result<()> {
    let ok = have.shared == want.shared
        && limits_match(
            have.min as u64,
            have.max.map(u64::from),
            want.min as u64,
            want.max.map(u64::from),
        );
    if ok {
        Ok(())
    } else {
        Err(incompatible(
            module,
            name,
            "memory limits do not match".into(),
        ))
    }
}

/// Check and resolve `imports` against the module's import list.
fn resolve(s: &StoreOpaque, module: &Module, imports: &[Extern]) -> Result<Imports> {
    let info = &module.inner.info;
    if imports.len() != info.imports.len() {
        return Err(Error::Link(format!(
            "expected {} imports, {} provided",
            info.imports.len(),
            imports.len()
        )));
    }
    let mut out = Imports::default();
    for (import, ext) in info.imports.iter().zip(imports) {
        let (m, n) = (&import.module, &import.name);
        match (&import.kind, ext) {
            (ImportKind::Func(t), Extern::Func(f)) => {
                let fr = f.funcref(s);
                // SAFETY: entry slots in a store's list are live.
                let actual = unsafe { (*fr).sig };
                if actual != info.sig_ids[*t as usize] {
                    return Err(incompatible(
                        m,
                        n,
                        format!(
                            "expected function {}, found {}",
                            info.types[*t as usize],
                            wx_core::sig::lookup(actual)
                        ),
                    ));
                }
                out.funcs.push(fr);
            }
            (ImportKind::Table(want), Extern::Table(t)) => {
                let raw = t.raw(s);
                let ptr = t.ptr(s);
                let ok = raw.ty.elem == want.elem
                    && limits_match(
                        raw.size() as u64,
                        raw.ty.max.map(u64::from),
                        want.min as u64,
                        want.max.map(u64::from),
                    );
                if !ok {
                    return Err(incompatible(
                        m,
                        n,
                        "table type or limits do not match".into(),
                    ));
                }
                out.tables.push(ptr);
            }
            (ImportKind::Memory(want), Extern::SharedMemory(shared)) => {
                check_memory(m, n, shared.ty(), want)?;
                out.memories.push(shared.inner.as_ptr());
            }
            (ImportKind::Memory(want), Extern::Memory(mem)) => {
                let raw = mem.raw(s);
                let have = MemoryType {
                    min: raw.pages(),
                    ..raw.ty()
                };
                check_memory(m, n, have, want)?;
                out.memories.push(mem.ptr(s));
            }
            (ImportKind::Global(want), Extern::Global(g)) => {
                let raw = g.raw(s);
                let ptr = g.ptr(s);
                if raw.ty != *want {
                    return Err(incompatible(m, n, "global type does not match".into()));
                }
                out.globals.push(ptr);
            }
            (ImportKind::Tag(t), Extern::Tag(tag)) => {
                let ptr = tag.ptr(s);
                // SAFETY: the store keeps its tags alive.
                let actual = unsafe { (*ptr).sig };
                if actual != info.sig_ids[*t as usize] {
                    return Err(incompatible(m, n, "tag type does not match".into()));
                }
                out.tags.push(ptr);
            }
            (kind, _) => {
                let want = match kind {
                    ImportKind::Func(_) => "function",
                    ImportKind::Table(_) => "table",
                    ImportKind::Memory(_) => "memory",
                    ImportKind::Global(_) => "global",
                    ImportKind::Tag(_) => "tag",
                };
                return Err(incompatible(m, n, format!("expected a {want}")));
            }
        }
    }
    Ok(out)
}

/// Ask the store's limiter (if any) whether `info` may be instantiated:
/// the counts of instances, memories and tables, and the initial sizes of
/// the memories and tables it defines. Counts them in if so.
fn check_limits(s: &mut StoreOpaque, info: &wx_core::ModuleInfo) -> Result<()> {
    let memories = &info.memories[info.num_imported_memories as usize..];
    let tables = &info.tables[info.num_imported_tables as usize..];
    let store: *mut u8 = (s as *mut StoreOpaque).cast();
    if let Some(counts) = s.limiter_counts {
        // SAFETY: `store` is this store (its opaque part comes first in
        // `StoreInner<T>`), on its thread; `s` is not used meanwhile.
        let [max_instances, max_tables, max_memories] = unsafe { counts(store) };
        let over = |what: &str, have: usize, new: usize, max: usize| {
            (have + new > max).then(|| {
                Error::Instantiate(format!(
                    "resource limit exceeded: {what} count too high at {}",
                    have + new
                ))
            })
        };
        if let Some(e) = over("instance", s.instances.len(), 1, max_instances)
            .or_else(|| over("table", s.defined_tables, tables.len(), max_tables))
            .or_else(|| over("memory", s.defined_memories, memories.len(), max_memories))
        {
            return Err(e);
        }
    }
    if let Some(limiter) = s.vm_limits.limiter {
        let page = wx_core::memory::PAGE_SIZE;
        let growths = memories
            .iter()
            .map(|m| {
                (
                    false,
                    m.min as usize * page,
                    m.max.map(|x| x as usize * page),
                )
            })
            .chain(
                tables
                    .iter()
                    .map(|t| (true, t.min as usize, t.max.map(|x| x as usize))),
            );
        for (table, desired, maximum) in growths {
            let growth = Growth {
                table,
                current: 0,
                desired,
                maximum,
            };
            // SAFETY: as for `counts` above.
            match unsafe { limiter(store, growth) } {
                Verdict::Allow => {}
                Verdict::Deny => {
                    let what = if table { "table" } else { "memory" };
                    return Err(Error::Instantiate(format!(
                        "{what} minimum size of {desired} {} exceeds the store's limits",
                        if table { "elements" } else { "bytes" }
                    )));
                }
                Verdict::Trap(code) => {
                    return Err(s.pending_error.take().unwrap_or_else(|| Error::from(code)))
                }
            }
        }
    }
    s.defined_memories += memories.len();
    s.defined_tables += tables.len();
    Ok(())
}

pub(crate) fn instantiate(
    s: &mut StoreOpaque,
    module: &Module,
    imports: &[Extern],
) -> Result<Instance> {
    if !s.engine.same(&module.inner.engine) {
        return Err(Error::Usage(
            "module and store come from different engines".into(),
        ));
    }
    let start = Instant::now();
    let info = module.inner.info.clone();
    let _span = tracing::debug_span!(target: "wx::instantiate", "instantiate", module = info.name.as_deref().unwrap_or("")).entered();
    let resolved = resolve(s, module, imports)?;
    // Shared memories imported from elsewhere live as long as this store.
    for ext in imports {
        if let Extern::SharedMemory(m) = ext {
            if !s.shared_memories.iter().any(|k| k.same(&m.inner)) {
                s.shared_memories.push(m.inner.clone());
            }
        }
    }
    let c = s.engine.config();
    let limits = Limits {
        max_memory_pages: c.max_memory_pages,
        max_table_elements: c.max_table_elements,
    };
    check_limits(s, &info)?;
    let limits_cell: *mut VMLimits = &mut s.vm_limits;
    let store_ptr: *mut StoreOpaque = s;
    // SAFETY: `resolve` checked every import's type, and all imported
    // objects are owned by this store, which outlives the instance (so does
    // its stack-limit cell).
    let mut core = unsafe {
        CoreInstance::new(
            info.clone(),
            resolved,
            limits,
            module.inner.code.clone(),
            interp_array_call,
            store_ptr.cast(),
            limits_cell,
        )
    }
    .map_err(Error::Instantiate)?;
    for (def, compiled) in module.inner.compiled() {
        // SAFETY: the code was compiled for this module's function `def`
        // and implements the array convention; the store keeps the module
        // (which owns the mapping) alive as long as the instance.
        unsafe { core.set_compiled(def, compiled.array_call(), compiled.wasm_call()) };
    }
    s.modules.push(module.clone());
    let index = s.instances.len();
    s.instance_ids
        .insert(&*core as *const CoreInstance as usize, index);
    s.instances.push(core);
    let instance = Instance {
        store_id: s.id,
        index,
    };
    // Segments may trap; writes made before the trap stay (tables and
    // memories may be shared with other instances).
    s.instances[index].initialize()?;
    if let Some(start_fn) = info.start {
        let f = s.instances[index].func_ref(start_fn);
        // SAFETY: `store_ptr` is this store; nothing else borrows it during the call.
        unsafe { call_raw(store_ptr, f, &mut [])? };
    }
    tracing::debug!(
        target: "wx::instantiate",
        module = info.name.as_deref().unwrap_or(""),
        micros = start.elapsed().as_micros() as u64,
        "instantiated"
    );
    Ok(instance)
}
