//! An instantiated module: resolved imports, owned storage, its VMContext and
//! the bulk operations both tiers call.
//!
//! Invariants:
//! - An `Instance` lives in a `Box` and never moves; `vmctx.instance` points back to it.
//! - Imported entities are owned elsewhere in the same store and outlive the
//!   instance; the store guarantees that (it frees nothing before it is dropped).
//! - Each `*mut LinearMemory` / `*mut TableInstance` / `*mut GlobalInstance` is
//!   also a valid `*mut VMMemory` / `*mut VMTable` / `*mut VMGlobal`
//!   (`#[repr(C)]`, `vm` first), which is how the VMContext arrays are built.

use crate::const_expr::ConstExpr;
use crate::exception::TagInstance;
use crate::global::GlobalInstance;
use crate::memory::{LinearMemory, SharedMemory};
use crate::module::{DataMode, ElemMode, ModuleInfo};
use crate::table::{self, TableInstance};
use crate::trap::TrapCode;
use crate::vm::{ArrayCall, FuncKind, VMContext, VMFuncRef, VMCONTEXT_MAGIC};
use crate::vm::{Growth, Verdict};
use std::any::Any;
use std::sync::atomic::AtomicPtr;
use std::sync::Arc;

/// Resolved imports, in the module's import order per kind.
#[derive(Default, Debug)]
pub struct Imports {
    pub funcs: Vec<*const VMFuncRef>,
    pub tables: Vec<*mut TableInstance>,
    pub memories: Vec<*mut LinearMemory>,
    pub globals: Vec<*mut GlobalInstance>,
    pub tags: Vec<*const TagInstance>,
}

/// Resource limits applied to the memories and tables an instance defines.
#[derive(Clone, Copy, Debug)]
pub struct Limits {
    pub max_memory_pages: u32,
    pub max_table_elements: u32,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_memory_pages: crate::memory::MAX_PAGES,
            max_table_elements: 10_000_000,
        }
    }
}

pub struct Instance {
    pub module: Arc<ModuleInfo>,
    vmctx: Box<VMContext>,
    /// Every function, imported first.
    pub funcs: Box<[*const VMFuncRef]>,
    pub memories: Box<[*mut LinearMemory]>,
    pub tables: Box<[*mut TableInstance]>,
    pub globals: Box<[*mut GlobalInstance]>,
    /// Every tag, imported first; a tag's identity is its address.
    pub tags: Box<[*const TagInstance]>,
    /// Entry slots of the defined functions.
    defined_funcs: Box<[VMFuncRef]>,
    // The owned_* vectors keep defined storage alive; code reaches it through
    // the raw pointers above.
    // Boxed so their addresses stay fixed while the vectors grow.
    #[allow(
        dead_code,
        clippy::vec_box,
        reason = "owns memories reached through `memories`"
    )]
    owned_memories: Vec<Box<LinearMemory>>,
    /// The defined memories of a shared type (they may outlive the instance).
    pub shared_memories: Vec<SharedMemory>,
    #[allow(
        dead_code,
        clippy::vec_box,
        reason = "owns tables reached through `tables`"
    )]
    owned_tables: Vec<Box<TableInstance>>,
    #[allow(
        clippy::vec_box,
        reason = "globals are reached through stable pointers"
    )]
    owned_globals: Vec<Box<GlobalInstance>>,
    #[allow(
        dead_code,
        clippy::vec_box,
        reason = "owns tags reached through `tags`"
    )]
    owned_tags: Vec<Box<TagInstance>>,
    /// Element segments' evaluated items; emptied by `elem.drop`.
    elems: Box<[Box<[u64]>]>,
    data_dropped: Box<[bool]>,
    /// Tier-specific per-module code (the interpreter's translation cache...).
    pub code: Arc<dyn Any + Send + Sync>,
}

impl std::fmt::Debug for Instance {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Instance")
            .field("module", &self.module.name)
            .finish_non_exhaustive()
    }
}

impl Instance {
    /// Build an instance: create defined memories, tables and globals, entry
    /// slots and element items. Segments are applied later by [`Instance::initialize`].
    ///
    /// # Safety
    /// Every pointer in `imports` must be valid for the life of the instance and
    /// match the module's import types (the runtime checks types when linking).
    pub unsafe fn new(
        module: Arc<ModuleInfo>,
        imports: Imports,
        limits: Limits,
        code: Arc<dyn Any + Send + Sync>,
        wasm_array_call: ArrayCall,
        store: *mut u8,
        limits_cell: *mut crate::vm::VMLimits,
    ) -> Result<Box<Instance>, String> {
        let mut owned_memories = Vec::new();
        let mut shared_memories = Vec::new();
        let mut defined_memories = Vec::new();
        for ty in &module.memories[module.num_imported_memories as usize..] {
            if ty.shared {
                let m = SharedMemory::new(*ty, limits.max_memory_pages).map_err(|e| e.0)?;
                defined_memories.push(m.as_ptr());
                shared_memories.push(m);
            } else {
                let mut m =
                    Box::new(LinearMemory::new(*ty, limits.max_memory_pages).map_err(|e| e.0)?);
                defined_memories.push(&mut *m as *mut LinearMemory);
                owned_memories.push(m);
            }
        }
        let mut owned_tables = Vec::new();
        for ty in &module.tables[module.num_imported_tables as usize..] {
            owned_tables.push(Box::new(TableInstance::new(
                *ty,
                0,
                limits.max_table_elements,
            )?));
        }
        let mut memories = imports.memories;
        memories.extend(defined_memories);
        let mut tables = imports.tables;
        tables.extend(
            owned_tables
                .iter_mut()
                .map(|t| &mut **t as *mut TableInstance),
        );

        let owned_tags: Vec<Box<TagInstance>> = (module.num_imported_tags
            ..module.tags.len() as u32)
            .map(|t| {
                Box::new(TagInstance {
                    ty: module.tag_type(t).clone(),
                    sig: module.tag_sig(t),
                })
            })
            .collect();
        let mut tags = imports.tags;
        tags.extend(owned_tags.iter().map(|t| &**t as *const TagInstance));

        let mut inst = Box::new(Instance {
            vmctx: Box::new(VMContext {
                magic: VMCONTEXT_MAGIC,
                limits: limits_cell,
                memory0: std::ptr::null_mut(),
                memories: std::ptr::null(),
                tables: std::ptr::null(),
                globals: std::ptr::null(),
                funcs: std::ptr::null(),
                defined_funcs: std::ptr::null(),
                instance: std::ptr::null_mut(),
                store,
            }),
            funcs: Box::new([]),
            memories: memories.into(),
            tables: tables.into(),
            globals: Box::new([]),
            tags: tags.into(),
            defined_funcs: Box::new([]),
            owned_memories,
            shared_memories,
            owned_tables,
            owned_globals: Vec::new(),
            owned_tags,
            elems: Box::new([]),
            data_dropped: vec![false; module.datas.len()].into(),
            code,
            module,
        });
        let vmctx: *mut VMContext = &mut *inst.vmctx;
        let module = inst.module.clone();
        let first_defined = module.num_imported_funcs;
        inst.defined_funcs = (first_defined..module.funcs.len() as u32)
            .map(|i| VMFuncRef {
                wasm_call: AtomicPtr::new(std::ptr::null_mut()),
                array_call: wasm_array_call,
                vmctx,
                sig: module.func_sig(i),
                func_index: i,
                kind: FuncKind::Wasm,
            })
            .collect();
        let mut funcs = imports.funcs;
        funcs.extend(inst.defined_funcs.iter().map(|f| f as *const VMFuncRef));
        inst.funcs = funcs.into();

        // Globals: imported ones first, then defined ones in order (an
        // initialiser may only read imported globals in 2.0).
        let mut globals = imports.globals;
        for (ty, init) in module.globals[module.num_imported_globals as usize..]
            .iter()
            .zip(&module.global_inits)
        {
            let bits = inst.eval(init, &globals);
            let mut g = Box::new(GlobalInstance::new(*ty, bits));
            globals.push(&mut *g);
            inst.owned_globals.push(g);
        }
        inst.globals = globals.into();

        inst.elems = module
            .elems
            .iter()
            .map(|seg| {
                seg.items
                    .iter()
                    .map(|e| inst.eval(e, &inst.globals))
                    .collect()
            })
            .collect();

        let self_ptr: *mut Instance = &mut *inst;
        let vm = &mut *inst.vmctx;
        vm.instance = self_ptr;
        vm.memories = inst.memories.as_ptr().cast();
        vm.memory0 = inst
            .memories
            .first()
            .map_or(std::ptr::null_mut(), |m| m.cast());
        vm.tables = inst.tables.as_ptr().cast();
        vm.globals = inst.globals.as_ptr().cast();
        vm.funcs = inst.funcs.as_ptr();
        vm.defined_funcs = inst.defined_funcs.as_ptr();
        Ok(inst)
    }

    fn eval(&self, e: &ConstExpr, globals: &[*mut GlobalInstance]) -> u64 {
        // SAFETY: global pointers are valid for the instance's life (see `new`).
        e.eval(
            |g| unsafe { (*globals[g as usize]).vm.bits },
            |f| self.funcs[f as usize] as u64,
        )
    }

    /// Apply active element and data segments, in order, and drop the
    /// active and declared ones (WebAssembly 2.0 instantiation).
    /// Writes made before a trap stay visible, as the spec requires.
    pub fn initialize(&mut self) -> Result<(), TrapCode> {
        let module = self.module.clone();
        for (i, seg) in module.elems.iter().enumerate() {
            match &seg.mode {
                ElemMode::Active { table, offset } => {
                    let dst = self.eval(offset, &self.globals) as u32;
                    let n = seg.items.len() as u32;
                    self.table_init(*table, i as u32, dst, 0, n)?;
                    self.elem_drop(i as u32);
                }
                ElemMode::Declared => self.elem_drop(i as u32),
                ElemMode::Passive => {}
            }
        }
        for (i, seg) in module.datas.iter().enumerate() {
            if let DataMode::Active { memory, offset } = &seg.mode {
                let dst = self.eval(offset, &self.globals) as u32;
                let n = seg.range.len() as u32;
                self.memory_init(*memory, i as u32, dst, 0, n)?;
                self.data_drop(i as u32);
            }
        }
        Ok(())
    }

    pub fn vmctx(&self) -> *mut VMContext {
        &*self.vmctx as *const VMContext as *mut VMContext
    }

    /// The entry slot of function `index` (imported or defined).
    pub fn func_ref(&self, index: u32) -> *const VMFuncRef {
        self.funcs[index as usize]
    }

    /// Point defined function `def_index`'s entry slot at compiled code:
    /// `array_call` implementing the array calling convention and
    /// `wasm_call` the JIT's own.
    ///
    /// # Safety
    /// The entries must be such code, and stay mapped while the instance lives.
    pub unsafe fn set_compiled(
        &mut self,
        def_index: u32,
        array_call: *const u8,
        wasm_call: *const u8,
    ) {
        let slot = &mut self.defined_funcs[def_index as usize];
        // SAFETY: guaranteed by the caller: `array_call` is an `ArrayCall` function.
        slot.array_call = unsafe { std::mem::transmute::<*const u8, ArrayCall>(array_call) };
        slot.wasm_call
            .store(wasm_call as *mut u8, std::sync::atomic::Ordering::Release);
    }

    pub fn memory(&mut self, index: u32) -> &mut LinearMemory {
        // SAFETY: valid for the instance's life; `&mut self` and the store's
        // one-thread-at-a-time use make this the only live reference.
        unsafe { &mut *self.memories[index as usize] }
    }

    pub fn table(&mut self, index: u32) -> &mut TableInstance {
        // SAFETY: as for `memory`.
        unsafe { &mut *self.tables[index as usize] }
    }

    pub fn global(&mut self, index: u32) -> &mut GlobalInstance {
        // SAFETY: as for `memory`.
        unsafe { &mut *self.globals[index as usize] }
    }

    pub fn memory_init(
        &mut self,
        mem: u32,
        data: u32,
        dst: u32,
        src: u32,
        len: u32,
    ) -> Result<(), TrapCode> {
        let module = self.module.clone();
        let bytes: &[u8] = if self.data_dropped[data as usize] {
            &[]
        } else {
            module.data(data)
        };
        let memory = self.memory(mem);
        let src_end = src as u64 + len as u64;
        let dst_end = dst as u64 + len as u64;
        if src_end > bytes.len() as u64 || dst_end > memory.len() as u64 {
            return Err(TrapCode::MemoryOutOfBounds);
        }
        let from = &bytes[src as usize..src_end as usize];
        // SAFETY: the range was checked against the committed length. A
        // raw copy, not a `&mut [u8]`: a shared memory's other threads may
        // be accessing these bytes (racy, as the threads proposal allows).
        unsafe {
            std::ptr::copy_nonoverlapping(
                from.as_ptr(),
                memory.vm.base.add(dst as usize),
                from.len(),
            )
        };
        Ok(())
    }

    pub fn data_drop(&mut self, data: u32) {
        self.data_dropped[data as usize] = true;
    }

    pub fn memory_copy(
        &mut self,
        dst_mem: u32,
        src_mem: u32,
        dst: u32,
        src: u32,
        len: u32,
    ) -> Result<(), TrapCode> {
        let src_len = self.memory(src_mem).len() as u64;
        let dst_len = self.memory(dst_mem).len() as u64;
        if src as u64 + len as u64 > src_len || dst as u64 + len as u64 > dst_len {
            return Err(TrapCode::MemoryOutOfBounds);
        }
        let s = self.memory(src_mem).vm.base;
        let d = self.memory(dst_mem).vm.base;
        // SAFETY: both ranges were checked against the committed lengths;
        // `copy` has memmove semantics for overlapping ranges.
        unsafe { std::ptr::copy(s.add(src as usize), d.add(dst as usize), len as usize) };
        Ok(())
    }

    pub fn memory_fill(&mut self, mem: u32, dst: u32, val: u8, len: u32) -> Result<(), TrapCode> {
        let memory = self.memory(mem);
        let end = dst as u64 + len as u64;
        if end > memory.len() as u64 {
            return Err(TrapCode::MemoryOutOfBounds);
        }
        // SAFETY: as in `memory_init`.
        unsafe { std::ptr::write_bytes(memory.vm.base.add(dst as usize), val, len as usize) };
        Ok(())
    }

    /// `memory.grow`: the old size in pages, or -1.
    pub fn memory_grow(&mut self, mem: u32, delta: u32) -> i32 {
        self.memory(mem).grow(delta).map_or(-1, |old| old as i32)
    }

    /// `memory.grow` as wasm code runs it: the store's limiter decides
    /// first (see [`crate::vm::VMLimits::limiter`]). The old size in
    /// pages, -1 if refused, or the limiter's trap.
    pub fn memory_grow_limited(&mut self, mem: u32, delta: u32) -> Result<i32, TrapCode> {
        let growth = self.memory(mem).growth(delta);
        match self.ask_limiter(growth) {
            Verdict::Allow => Ok(self.memory_grow(mem, delta)),
            Verdict::Deny => Ok(-1),
            Verdict::Trap(code) => Err(code),
        }
    }

    /// `table.grow` as wasm code runs it (see [`Instance::memory_grow_limited`]).
    pub fn table_grow_limited(
        &mut self,
        table: u32,
        delta: u32,
        init: u64,
    ) -> Result<i32, TrapCode> {
        let growth = self.table(table).growth(delta);
        match self.ask_limiter(growth) {
            Verdict::Allow => Ok(self
                .table(table)
                .grow(delta, init)
                .map_or(-1, |old| old as i32)),
            Verdict::Deny => Ok(-1),
            Verdict::Trap(code) => Err(code),
        }
    }

    /// The store's limiter's verdict on `growth` (see [`Growth::ask`]).
    fn ask_limiter(&self, growth: Growth) -> Verdict {
        let vmctx = self.vmctx();
        // SAFETY: an instance's VMContext points at its store's limits and
        // its store, both live while the instance is; the limiter runs on
        // the store's thread with no other reference to the store in use.
        unsafe { growth.ask((*(*vmctx).limits).limiter, (*vmctx).store) }
    }

    pub fn table_init(
        &mut self,
        table: u32,
        elem: u32,
        dst: u32,
        src: u32,
        len: u32,
    ) -> Result<(), TrapCode> {
        // SAFETY: the table is owned elsewhere (never by `elems`), so the
        // mutable table and the shared items do not alias.
        let t = unsafe { &mut *self.tables[table as usize] };
        t.init_from(dst, &self.elems[elem as usize], src, len)
    }

    pub fn elem_drop(&mut self, elem: u32) {
        self.elems[elem as usize] = Box::new([]);
    }

    pub fn table_copy(
        &mut self,
        dst_t: u32,
        src_t: u32,
        dst: u32,
        src: u32,
        len: u32,
    ) -> Result<(), TrapCode> {
        if dst_t == src_t || self.tables[dst_t as usize] == self.tables[src_t as usize] {
            return self.table(dst_t).copy_within(dst, src, len);
        }
        // SAFETY: distinct tables (checked above), so the shared and the
        // mutable reference do not alias.
        let (d, s) = unsafe {
            (
                &mut *self.tables[dst_t as usize],
                &*self.tables[src_t as usize],
            )
        };
        table::copy_between(d, dst, s, src, len)
    }
}
