//! Memories, tables and globals, and the `Extern` sum of everything importable.

use crate::error::{Error, Result};
use crate::func::Func;
use crate::store::{AsContext, AsContextMut, StoreOpaque};
use crate::values::Val;
use wx_core::global::GlobalInstance;
use wx_core::instance::Limits;
use wx_core::memory::LinearMemory;
use wx_core::table::TableInstance;
use wx_core::types::{ExternType, GlobalType, MemoryType, TableType};
use wx_core::vm::{Growth, Verdict};

/// Anything a module can import or export.
#[derive(Clone, Debug)]
pub enum Extern {
    Func(Func),
    Memory(Memory),
    Table(Table),
    Global(Global),
    Tag(crate::exception::Tag),
    /// A memory shared between threads (importable by any store).
    SharedMemory(crate::SharedMemory),
}

impl Extern {
    pub fn into_func(self) -> Option<Func> {
        if let Extern::Func(f) = self {
            Some(f)
        } else {
            None
        }
    }
    pub fn into_memory(self) -> Option<Memory> {
        if let Extern::Memory(m) = self {
            Some(m)
        } else {
            None
        }
    }
    pub fn into_table(self) -> Option<Table> {
        if let Extern::Table(t) = self {
            Some(t)
        } else {
            None
        }
    }
    pub fn into_tag(self) -> Option<crate::exception::Tag> {
        if let Extern::Tag(t) = self {
            Some(t)
        } else {
            None
        }
    }
    pub fn into_global(self) -> Option<Global> {
        if let Extern::Global(g) = self {
            Some(g)
        } else {
            None
        }
    }

    /// The item's current type (memories and tables report their current size as minimum).
    pub fn ty(&self, store: impl AsContext) -> ExternType {
        match self {
            Extern::Func(f) => ExternType::Func(f.ty(store)),
            Extern::Memory(m) => ExternType::Memory(m.ty(store)),
            Extern::Table(t) => ExternType::Table(t.ty(store)),
            Extern::Global(g) => ExternType::Global(g.ty(store)),
            Extern::Tag(t) => ExternType::Tag(t.ty(store)),
            Extern::SharedMemory(m) => ExternType::Memory(m.ty()),
        }
    }
}

impl From<Func> for Extern {
    fn from(f: Func) -> Extern {
        Extern::Func(f)
    }
}
impl From<Memory> for Extern {
    fn from(m: Memory) -> Extern {
        Extern::Memory(m)
    }
}
impl From<Table> for Extern {
    fn from(t: Table) -> Extern {
        Extern::Table(t)
    }
}
impl From<crate::exception::Tag> for Extern {
    fn from(t: crate::exception::Tag) -> Extern {
        Extern::Tag(t)
    }
}
impl From<crate::SharedMemory> for Extern {
    fn from(m: crate::SharedMemory) -> Extern {
        Extern::SharedMemory(m)
    }
}
impl From<Global> for Extern {
    fn from(g: Global) -> Extern {
        Extern::Global(g)
    }
}

fn limits(store: &StoreOpaque) -> Limits {
    let c = store.engine.config();
    Limits {
        max_memory_pages: c.max_memory_pages,
        max_table_elements: c.max_table_elements,
    }
}

/// A linear memory in a store.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Memory {
    pub(crate) store_id: u64,
    pub(crate) index: usize,
}

impl Memory {
    pub fn new(mut store: impl AsContextMut, ty: MemoryType) -> Result<Memory> {
        let s = &mut store.as_context_mut().0.opaque;
        let mut m = Box::new(
            LinearMemory::new(ty, limits(s).max_memory_pages)
                .map_err(|e| Error::Instantiate(e.0))?,
        );
        let ptr: *mut LinearMemory = &mut *m;
        s.host_memories.push(m);
        Ok(s.memory_handle(ptr))
    }

    /// The object's storage (owned by the store, live as long as it).
    pub(crate) fn ptr(&self, s: &StoreOpaque) -> *mut LinearMemory {
        s.check(self.store_id);
        s.memories[self.index]
    }

    pub(crate) fn raw<'a>(&self, s: &'a StoreOpaque) -> &'a LinearMemory {
        // SAFETY: the store keeps the object alive; borrowing the store for
        // 'a means no wasm code (which could mutate it) runs meanwhile.
        unsafe { &*self.ptr(s) }
    }

    pub(crate) fn raw_mut<'a>(&self, s: &'a mut StoreOpaque) -> &'a mut LinearMemory {
        // SAFETY: as for `raw`; the exclusive store borrow makes this the only reference.
        unsafe { &mut *self.ptr(s) }
    }

    pub fn ty(&self, store: impl AsContext) -> MemoryType {
        let m = self.raw(&store.as_context().0.opaque);
        MemoryType {
            min: m.pages(),
            ..m.ty()
        }
    }

    /// The memory as a [`crate::SharedMemory`] other threads' stores can
    /// import, if its type is shared.
    pub fn shared(&self, store: impl AsContext) -> Option<crate::SharedMemory> {
        let s = &store.as_context().0.opaque;
        let ptr = self.ptr(s);
        s.shared_memories
            .iter()
            .chain(s.instances.iter().flat_map(|i| i.shared_memories.iter()))
            .find(|m| m.as_ptr() == ptr)
            .map(|m| crate::SharedMemory { inner: m.clone() })
    }

    /// Current size in pages.
    pub fn size(&self, store: impl AsContext) -> u32 {
        self.raw(&store.as_context().0.opaque).pages()
    }

    pub fn data<'a, T: 'a>(&self, store: impl Into<crate::store::StoreContext<'a, T>>) -> &'a [u8] {
        let ctx = store.into();
        self.raw(&ctx.0.opaque).data()
    }

    pub fn data_mut<'a, T: 'a>(
        &self,
        store: impl Into<crate::store::StoreContextMut<'a, T>>,
    ) -> &'a mut [u8] {
        let ctx = store.into();
        self.raw_mut(&mut ctx.0.opaque).data_mut()
    }

    /// The memory's bytes and the store's data at once, so a host function
    /// can copy between guest memory and its own state (WASI's buffers).
    pub fn data_and_store_mut<'a, T: 'a>(
        &self,
        store: impl Into<crate::store::StoreContextMut<'a, T>>,
    ) -> (&'a mut [u8], &'a mut T) {
        let ctx = store.into();
        let inner = ctx.0;
        let bytes = self.raw_mut(&mut inner.opaque).data_mut();
        (bytes, &mut inner.data)
    }

    /// Grow by `delta` pages (if the store's limiter allows); the old size.
    pub fn grow(&self, mut store: impl AsContextMut, delta: u32) -> Result<u32> {
        let mut ctx = store.as_context_mut();
        let growth = self.raw_mut(&mut ctx.0.opaque).growth(delta);
        ask_limiter(&mut ctx, growth)?;
        let m = self.raw_mut(&mut ctx.0.opaque);
        m.grow(delta)
            .ok_or_else(|| Error::Usage(format!("failed to grow memory by {delta} pages")))
    }

    /// Copy bytes out of memory at `offset`.
    pub fn read(&self, store: impl AsContext, offset: usize, buf: &mut [u8]) -> Result<()> {
        let m = self.raw(&store.as_context().0.opaque);
        let src = offset
            .checked_add(buf.len())
            .and_then(|end| m.data().get(offset..end))
            .ok_or_else(|| Error::Usage("out of bounds memory access".into()))?;
        buf.copy_from_slice(src);
        Ok(())
    }

    /// Copy bytes into memory at `offset`.
    pub fn write(&self, mut store: impl AsContextMut, offset: usize, buf: &[u8]) -> Result<()> {
        let m = self.raw_mut(&mut store.as_context_mut().0.opaque);
        let dst = offset
            .checked_add(buf.len())
            .and_then(|end| m.data_mut().get_mut(offset..end))
            .ok_or_else(|| Error::Usage("out of bounds memory access".into()))?;
        dst.copy_from_slice(buf);
        Ok(())
    }
}

impl<'a, T> From<&'a crate::Store<T>> for crate::store::StoreContext<'a, T> {
    fn from(s: &'a crate::Store<T>) -> Self {
        crate::store::StoreContext(&s.inner)
    }
}
impl<'a, T> From<&'a mut crate::Store<T>> for crate::store::StoreContext<'a, T> {
    fn from(s: &'a mut crate::Store<T>) -> Self {
        crate::store::StoreContext(&s.inner)
    }
}
impl<'a, T> From<&'a mut crate::Store<T>> for crate::store::StoreContextMut<'a, T> {
    fn from(s: &'a mut crate::Store<T>) -> Self {
        crate::store::StoreContextMut(&mut s.inner)
    }
}
impl<'a, T> From<&'a crate::Caller<'_, T>> for crate::store::StoreContext<'a, T> {
    fn from(c: &'a crate::Caller<'_, T>) -> Self {
        crate::store::StoreContext(c.store)
    }
}
impl<'a, T> From<&'a mut crate::Caller<'_, T>> for crate::store::StoreContextMut<'a, T> {
    fn from(c: &'a mut crate::Caller<'_, T>) -> Self {
        crate::store::StoreContextMut(c.store)
    }
}
impl<'a, T> From<&'a mut crate::Caller<'_, T>> for crate::store::StoreContext<'a, T> {
    fn from(c: &'a mut crate::Caller<'_, T>) -> Self {
        crate::store::StoreContext(c.store)
    }
}

/// A table in a store.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Table {
    pub(crate) store_id: u64,
    pub(crate) index: usize,
}

impl Table {
    pub fn new(mut store: impl AsContextMut, ty: TableType, init: Val) -> Result<Table> {
        let s = &mut store.as_context_mut().0.opaque;
        check_ref(&init, ty.elem)?;
        let raw = init.to_raw(s);
        let mut t = Box::new(
            TableInstance::new(ty, raw, limits(s).max_table_elements)
                .map_err(Error::Instantiate)?,
        );
        let ptr: *mut TableInstance = &mut *t;
        s.host_tables.push(t);
        Ok(s.table_handle(ptr))
    }

    /// The object's storage (owned by the store, live as long as it).
    pub(crate) fn ptr(&self, s: &StoreOpaque) -> *mut TableInstance {
        s.check(self.store_id);
        s.tables[self.index]
    }

    pub(crate) fn raw<'a>(&self, s: &'a StoreOpaque) -> &'a TableInstance {
        // SAFETY: the store keeps the object alive; borrowing the store for
        // 'a means no wasm code (which could mutate it) runs meanwhile.
        unsafe { &*self.ptr(s) }
    }

    pub(crate) fn raw_mut<'a>(&self, s: &'a mut StoreOpaque) -> &'a mut TableInstance {
        // SAFETY: as for `raw`; the exclusive store borrow makes this the only reference.
        unsafe { &mut *self.ptr(s) }
    }

    pub fn ty(&self, store: impl AsContext) -> TableType {
        let t = self.raw(&store.as_context().0.opaque);
        TableType {
            elem: t.ty.elem,
            min: t.size(),
            max: t.ty.max,
        }
    }

    pub fn size(&self, store: impl AsContext) -> u32 {
        self.raw(&store.as_context().0.opaque).size()
    }

    pub fn get(&self, mut store: impl AsContextMut, index: u32) -> Option<Val> {
        let s = &mut store.as_context_mut().0.opaque;
        let t = self.raw(s);
        let (elem, raw) = (t.ty.elem, t.get(index)?);
        Some(Val::from_raw(s, raw, wx_core::ValType::Ref(elem)))
    }

    pub fn set(&self, mut store: impl AsContextMut, index: u32, val: Val) -> Result<()> {
        let s = &mut store.as_context_mut().0.opaque;
        check_ref(&val, self.raw(s).ty.elem)?;
        let raw = val.to_raw(s);
        self.raw_mut(s).set(index, raw).map_err(Error::from)
    }

    /// Grow by `delta` elements set to `init` (if the store's limiter
    /// allows); the old size.
    pub fn grow(&self, mut store: impl AsContextMut, delta: u32, init: Val) -> Result<u32> {
        let mut ctx = store.as_context_mut();
        let growth = self.raw(&ctx.0.opaque).growth(delta);
        ask_limiter(&mut ctx, growth)?;
        let s = &mut ctx.0.opaque;
        check_ref(&init, self.raw(s).ty.elem)?;
        let raw = init.to_raw(s);
        self.raw_mut(s)
            .grow(delta, raw)
            .ok_or_else(|| Error::Usage(format!("failed to grow table by {delta}")))
    }
}

/// The store's limiter's verdict on a host-side growth: an error if it
/// refuses or fails.
fn ask_limiter<T>(ctx: &mut crate::store::StoreContextMut<'_, T>, growth: Growth) -> Result<()> {
    let limiter = ctx.0.opaque.vm_limits.limiter;
    let store: *mut crate::store::StoreInner<T> = &mut *ctx.0;
    // SAFETY: `store` is the live store `ctx` borrows, used by nothing else
    // while the limiter runs.
    match unsafe { growth.ask(limiter, store.cast()) } {
        Verdict::Allow => Ok(()),
        Verdict::Deny => Err(Error::Usage(format!(
            "the store's limiter refused to grow {} from {} to {}",
            if growth.table { "a table" } else { "a memory" },
            growth.current,
            growth.desired
        ))),
        Verdict::Trap(code) => Err(ctx
            .0
            .opaque
            .pending_error
            .take()
            .unwrap_or_else(|| Error::from(code))),
    }
}

fn check_ref(v: &Val, elem: wx_core::RefType) -> Result<()> {
    if v.ty() != wx_core::ValType::Ref(elem) {
        return Err(Error::Usage(format!(
            "value of type {} in a table of {}",
            v.ty(),
            wx_core::ValType::Ref(elem)
        )));
    }
    Ok(())
}

/// A global in a store.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Global {
    pub(crate) store_id: u64,
    pub(crate) index: usize,
}

impl Global {
    pub fn new(mut store: impl AsContextMut, ty: GlobalType, val: Val) -> Result<Global> {
        let s = &mut store.as_context_mut().0.opaque;
        if val.ty() != ty.content {
            return Err(Error::Usage(format!(
                "global of type {} initialised with {}",
                ty.content,
                val.ty()
            )));
        }
        let mut g = Box::new(GlobalInstance::new(ty, val.to_raw(s)));
        let ptr: *mut GlobalInstance = &mut *g;
        s.host_globals.push(g);
        Ok(s.global_handle(ptr))
    }

    /// The object's storage (owned by the store, live as long as it).
    pub(crate) fn ptr(&self, s: &StoreOpaque) -> *mut GlobalInstance {
        s.check(self.store_id);
        s.globals[self.index]
    }

    pub(crate) fn raw<'a>(&self, s: &'a StoreOpaque) -> &'a GlobalInstance {
        // SAFETY: the store keeps the object alive; borrowing the store for
        // 'a means no wasm code (which could mutate it) runs meanwhile.
        unsafe { &*self.ptr(s) }
    }

    pub(crate) fn raw_mut<'a>(&self, s: &'a mut StoreOpaque) -> &'a mut GlobalInstance {
        // SAFETY: as for `raw`; the exclusive store borrow makes this the only reference.
        unsafe { &mut *self.ptr(s) }
    }

    pub fn ty(&self, store: impl AsContext) -> GlobalType {
        self.raw(&store.as_context().0.opaque).ty
    }

    pub fn get(&self, mut store: impl AsContextMut) -> Val {
        let s = &mut store.as_context_mut().0.opaque;
        let g = self.raw(s);
        let (bits, ty) = (g.vm.bits, g.ty.content);
        Val::from_raw(s, bits, ty)
    }

    pub fn set(&self, mut store: impl AsContextMut, val: Val) -> Result<()> {
        let s = &mut store.as_context_mut().0.opaque;
        let ty = self.raw(s).ty;
        if !ty.mutable {
            return Err(Error::Usage("cannot set an immutable global".into()));
        }
        if val.ty() != ty.content {
            return Err(Error::Usage(format!(
                "global of type {} set to {}",
                ty.content,
                val.ty()
            )));
        }
        let raw = val.to_raw(s);
        self.raw_mut(s).vm.bits = raw;
        Ok(())
    }
}
