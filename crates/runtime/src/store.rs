//! Stores: the owners of all runtime objects, and the context traits.
//!
//! Everything an instance touches (instances, memories, tables, globals, host
//! functions, externrefs) is owned by one store and freed only when the store
//! is dropped, which is what makes the raw pointers in the VM layout valid.
//! Handles (`Func`, `Memory`, ...) are indices into the store plus its id.

use crate::engine::Engine;
use crate::error::Error;
use crate::externals::{Global, Memory, Table};
use crate::func::Func;
use std::any::Any;
use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use wx_core::exception::{ExnHeap, TagInstance};
use wx_core::global::GlobalInstance;
use wx_core::instance::Instance as CoreInstance;
use wx_core::memory::LinearMemory;
use wx_core::table::TableInstance;
use wx_core::vm::{VMFuncRef, VMLimits};
use wx_interp::{Stack, StackLimits};

/// A store and the user's data `T`.
pub struct Store<T> {
    pub(crate) inner: Box<StoreInner<T>>,
}

// SAFETY: every raw pointer a store holds points into memory the store owns
// (or into immutable, `Arc`-shared module data); moving the store to another
// thread moves all of it together, and a store is only used by one thread at a time.
unsafe impl<T: Send> Send for Store<T> {}

/// The store's contents. `opaque` comes first so that a `*mut StoreInner<T>`
/// is also a `*mut StoreOpaque` (what VMContexts point to).
#[repr(C)]
pub struct StoreInner<T> {
    pub(crate) opaque: StoreOpaque,
    pub(crate) data: T,
    /// What to do at the epoch deadline (see [`Store::epoch_deadline_callback`]).
    epoch_callback: Option<Box<EpochCallback<T>>>,
    /// The store's resource limiter (see [`Store::limiter`]).
    pub(crate) limiter: Option<crate::limits::LimiterSlot<T>>,
}

/// A store's epoch-deadline callback.
type EpochCallback<T> = dyn FnMut(StoreContextMut<'_, T>) -> crate::Result<UpdateDeadline> + Send;

/// What an epoch-deadline callback decides (see
/// [`Store::epoch_deadline_callback`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UpdateDeadline {
    /// Go on, with the deadline this many epochs past the current one.
    Continue(u64),
}

/// The part of a store that does not depend on `T`.
pub struct StoreOpaque {
    pub(crate) engine: Engine,
    pub(crate) id: u64,
    // Boxed: the VM layout points into these, so they must not move.
    #[allow(clippy::vec_box, reason = "instances must keep their address")]
    pub(crate) instances: Vec<Box<CoreInstance>>,
    /// Modules instantiated here, kept alive for their compiled code.
    pub(crate) modules: Vec<crate::module::Module>,
    pub(crate) memories: Vec<*mut LinearMemory>,
    pub(crate) tables: Vec<*mut TableInstance>,
    pub(crate) globals: Vec<*mut GlobalInstance>,
    pub(crate) funcs: Vec<*const VMFuncRef>,
    pub(crate) tags: Vec<*const TagInstance>,
    /// Reverse maps from VM pointers to handle indices.
    pub(crate) instance_ids: HashMap<usize, usize>,
    memory_ids: HashMap<usize, usize>,
    table_ids: HashMap<usize, usize>,
    global_ids: HashMap<usize, usize>,
    func_ids: HashMap<usize, usize>,
    tag_ids: HashMap<usize, usize>,
    /// Storage created by the host (not owned by any instance).
    #[allow(
        clippy::vec_box,
        reason = "code points at these; they must keep their address"
    )]
    pub(crate) host_memories: Vec<Box<LinearMemory>>,
    #[allow(
        clippy::vec_box,
        reason = "code points at these; they must keep their address"
    )]
    pub(crate) host_tables: Vec<Box<TableInstance>>,
    #[allow(
        clippy::vec_box,
        reason = "code points at these; they must keep their address"
    )]
    pub(crate) host_globals: Vec<Box<GlobalInstance>>,
    #[allow(
        clippy::vec_box,
        reason = "code points at these; they must keep their address"
    )]
    pub(crate) host_tags: Vec<Box<TagInstance>>,
    /// Shared memories imported here (kept alive while the store lives).
    pub(crate) shared_memories: Vec<wx_core::memory::SharedMemory>,
    /// Thrown exceptions; `vm_limits.exns` points here.
    pub(crate) exns: ExnHeap,
    /// Host function records (`HostFunc<T>`), type-erased.
    pub(crate) host_funcs: Vec<Box<dyn Any>>,
    pub(crate) externrefs: Vec<Box<dyn Any + Send + Sync>>,
    /// Interpreter stacks not in use (one per active host -> wasm entry).
    pub(crate) stacks: Vec<Stack>,
    /// Active host -> wasm entries on this thread's native stack.
    pub(crate) depth: u32,
    /// Calls from the embedder into wasm not yet returned (host functions
    /// calling back nest them): at 0 no wasm frame runs in the store.
    pub(crate) host_calls: u32,
    /// The cells compiled code shares across the store (its stack limit
    /// and innermost entry); every instance's VMContext points here.
    pub(crate) vm_limits: VMLimits,
    /// The error of a host function, on its way out through wasm frames.
    pub(crate) pending_error: Option<Error>,
    pub(crate) pending_panic: Option<Box<dyn Any + Send>>,
    /// The counts the store's limiter allows (instances, tables,
    /// memories), given the store; `None` without a limiter.
    pub(crate) limiter_counts: Option<unsafe fn(*mut u8) -> [usize; 3]>,
    /// Memories and tables the store's instances defined.
    pub(crate) defined_memories: usize,
    pub(crate) defined_tables: usize,
}

/// Most nested interpreter entries where the thread's stack bounds are unknown.
pub(crate) const MAX_REENTRY: u32 = 200;

static NEXT_STORE_ID: AtomicU64 = AtomicU64::new(1);

impl<T> Store<T> {
    pub fn new(engine: &Engine, data: T) -> Store<T> {
        let mut store = Store {
            inner: Box::new(StoreInner {
                opaque: StoreOpaque {
                    engine: engine.clone(),
                    id: NEXT_STORE_ID.fetch_add(1, Ordering::Relaxed),
                    instances: Vec::new(),
                    modules: Vec::new(),
                    memories: Vec::new(),
                    tables: Vec::new(),
                    globals: Vec::new(),
                    funcs: Vec::new(),
                    tags: Vec::new(),
                    instance_ids: HashMap::new(),
                    memory_ids: HashMap::new(),
                    table_ids: HashMap::new(),
                    global_ids: HashMap::new(),
                    func_ids: HashMap::new(),
                    tag_ids: HashMap::new(),
                    host_memories: Vec::new(),
                    host_tables: Vec::new(),
                    host_globals: Vec::new(),
                    host_tags: Vec::new(),
                    exns: ExnHeap::default(),
                    shared_memories: Vec::new(),
                    host_funcs: Vec::new(),
                    externrefs: Vec::new(),
                    stacks: Vec::new(),
                    depth: 0,
                    host_calls: 0,
                    vm_limits: VMLimits::default(),
                    pending_error: None,
                    pending_panic: None,
                    limiter_counts: None,
                    defined_memories: 0,
                    defined_tables: 0,
                },
                data,
                epoch_callback: None,
                limiter: None,
            }),
        };
        if engine.config().epoch_interruption {
            // As in wasmtime: the deadline starts at 0, so code traps at
            // its first check until the embedder sets one.
            let limits = &mut store.inner.opaque.vm_limits;
            limits.epoch = engine.epoch_counter();
            limits.epoch_deadline = 0;
        }
        // The heap lives in the boxed store: its address is stable.
        let o = &mut store.inner.opaque;
        o.vm_limits.exns = &mut o.exns;
        store
    }

    pub fn engine(&self) -> &Engine {
        &self.inner.opaque.engine
    }

    pub fn data(&self) -> &T {
        &self.inner.data
    }

    pub fn data_mut(&mut self) -> &mut T {
        &mut self.inner.data
    }

    pub fn into_data(self) -> T {
        self.inner.data
    }

    /// Give the store `fuel` units (see [`crate::Config::consume_fuel`]);
    /// an error if its engine does not meter fuel.
    pub fn set_fuel(&mut self, fuel: u64) -> crate::Result<()> {
        self.fuel_metered()?;
        self.inner.opaque.vm_limits.fuel = i64::try_from(fuel).unwrap_or(i64::MAX);
        Ok(())
    }

    /// The fuel the store has left (0 once code ran out).
    pub fn get_fuel(&self) -> crate::Result<u64> {
        self.fuel_metered()?;
        Ok(self.inner.opaque.vm_limits.fuel.max(0) as u64)
    }

    fn fuel_metered(&self) -> crate::Result<()> {
        if self.engine().config().consume_fuel {
            Ok(())
        } else {
            Err(Error::Usage(
                "fuel is not metered: enable Config::consume_fuel".into(),
            ))
        }
    }

    /// Stop code of this store once the engine's epoch is `ticks` past
    /// the current one (see [`crate::Config::epoch_interruption`]).
    pub fn set_epoch_deadline(&mut self, ticks: u64) {
        self.inner.opaque.set_epoch_deadline(ticks);
    }

    /// Consult the [`crate::ResourceLimiter`] that `get` finds in the
    /// store's data before any memory or table of the store grows and
    /// before an instance is created (as wasmtime's `Store::limiter`).
    pub fn limiter(
        &mut self,
        get: impl FnMut(&mut T) -> &mut (dyn crate::ResourceLimiter) + Send + 'static,
    ) {
        self.set_limiter(crate::limits::LimiterSlot::InData(Box::new(get)));
    }

    /// [`Store::limiter`] with a limiter the store owns (for data that
    /// has no room for one).
    pub fn set_limits(&mut self, limiter: impl crate::ResourceLimiter + Send + 'static) {
        self.set_limiter(crate::limits::LimiterSlot::Owned(Box::new(limiter)));
    }

    fn set_limiter(&mut self, slot: crate::limits::LimiterSlot<T>) {
        self.inner.limiter = Some(slot);
        let o = &mut self.inner.opaque;
        o.vm_limits.limiter = Some(crate::limits::on_growth::<T>);
        o.limiter_counts = Some(crate::limits::counts::<T>);
    }

    /// At the deadline, trap with [`crate::TrapCode::Interrupt`] (the
    /// default).
    pub fn epoch_deadline_trap(&mut self) {
        self.inner.epoch_callback = None;
        self.inner.opaque.vm_limits.on_deadline = None;
    }

    /// At the deadline, call `callback`, which may let the code go on
    /// with a new deadline ([`UpdateDeadline::Continue`]) or stop it with
    /// an error (which the call into wasm returns).
    pub fn epoch_deadline_callback(
        &mut self,
        callback: impl FnMut(StoreContextMut<'_, T>) -> crate::Result<UpdateDeadline> + Send + 'static,
    ) {
        self.inner.epoch_callback = Some(Box::new(callback));
        self.inner.opaque.vm_limits.on_deadline = Some(on_deadline::<T>);
    }
}

/// `VMLimits::on_deadline` of a `Store<T>` with a callback: run it, and
/// move the deadline or stop with its error.
///
/// # Safety
/// `store` is a live `StoreInner<T>` (a VMContext's `store`), called on
/// its thread while its code runs, with no other reference to it in use.
unsafe fn on_deadline<T>(store: *mut u8) -> u32 {
    // SAFETY: guaranteed by the caller.
    let inner = unsafe { &mut *store.cast::<StoreInner<T>>() };
    let Some(mut callback) = inner.epoch_callback.take() else {
        return wx_core::TrapCode::Interrupt as u32;
    };
    let result = callback(StoreContextMut(inner));
    // (Unless the callback installed another.)
    inner.epoch_callback.get_or_insert(callback);
    match result {
        Ok(UpdateDeadline::Continue(ticks)) => {
            inner.opaque.set_epoch_deadline(ticks);
            0
        }
        Err(e) => {
            inner.opaque.pending_error = Some(e);
            wx_core::TrapCode::HostError as u32
        }
    }
}

impl StoreOpaque {
    /// The deadline `ticks` epochs past the engine's current one.
    fn set_epoch_deadline(&mut self, ticks: u64) {
        self.vm_limits.epoch_deadline = self.engine.current_epoch().saturating_add(ticks);
    }

    pub(crate) fn check(&self, store_id: u64) {
        assert_eq!(
            store_id, self.id,
            "object used with a store it does not belong to"
        );
    }

    pub(crate) fn stack_limits(&self) -> StackLimits {
        let c = self.engine.config();
        StackLimits {
            max_frames: c.max_call_depth,
            max_values: c.max_stack_slots,
        }
    }

    pub(crate) fn func_handle(&mut self, f: *const VMFuncRef) -> Func {
        let index = register(&mut self.func_ids, &mut self.funcs, f);
        Func {
            store_id: self.id,
            index,
        }
    }

    pub(crate) fn memory_handle(&mut self, m: *mut LinearMemory) -> Memory {
        let index = register(&mut self.memory_ids, &mut self.memories, m);
        Memory {
            store_id: self.id,
            index,
        }
    }

    pub(crate) fn table_handle(&mut self, t: *mut TableInstance) -> Table {
        let index = register(&mut self.table_ids, &mut self.tables, t);
        Table {
            store_id: self.id,
            index,
        }
    }

    pub(crate) fn tag_handle(&mut self, t: *const TagInstance) -> crate::Tag {
        let index = register(&mut self.tag_ids, &mut self.tags, t);
        crate::Tag {
            store_id: self.id,
            index,
        }
    }

    pub(crate) fn global_handle(&mut self, g: *mut GlobalInstance) -> Global {
        let index = register(&mut self.global_ids, &mut self.globals, g);
        Global {
            store_id: self.id,
            index,
        }
    }

    /// Turn the status of an array call into a result, picking up a pending
    /// host error or re-raising a host panic.
    pub(crate) fn take_status(&mut self, rc: u32) -> Result<(), Error> {
        if rc == 0 {
            return Ok(());
        }
        if let Some(p) = self.pending_panic.take() {
            std::panic::resume_unwind(p);
        }
        let code = wx_core::TrapCode::from_u32(rc).unwrap_or(wx_core::TrapCode::HostError);
        let backtrace = crate::WasmBacktrace::take_pending();
        if code == wx_core::TrapCode::HostError {
            if let Some(e) = self.pending_error.take() {
                return Err(e);
            }
        }
        if code == wx_core::TrapCode::Exception {
            return Err(crate::exception::Exception::take_pending(self, backtrace));
        }
        Err(Error::Trap(crate::Trap { code, backtrace }))
    }
}

/// The handle index of `ptr` in `list`, adding it on first sight.
fn register<P: Copy + Into<PtrKey>>(
    ids: &mut HashMap<usize, usize>,
    list: &mut Vec<P>,
    ptr: P,
) -> usize {
    *ids.entry(ptr.into().0).or_insert_with(|| {
        list.push(ptr);
        list.len() - 1
    })
}

/// A pointer as a map key.
struct PtrKey(usize);

impl<T> From<*mut T> for PtrKey {
    fn from(p: *mut T) -> Self {
        PtrKey(p as usize)
    }
}

impl<T> From<*const T> for PtrKey {
    fn from(p: *const T) -> Self {
        PtrKey(p as usize)
    }
}

/// Shared access to a store.
pub struct StoreContext<'a, T>(pub(crate) &'a StoreInner<T>);
/// Exclusive access to a store.
pub struct StoreContextMut<'a, T>(pub(crate) &'a mut StoreInner<T>);

impl<T> StoreContext<'_, T> {
    pub fn data(&self) -> &T {
        &self.0.data
    }
}

impl<T> StoreContextMut<'_, T> {
    pub fn data(&self) -> &T {
        &self.0.data
    }
    pub fn data_mut(&mut self) -> &mut T {
        &mut self.0.data
    }
}

/// Anything that can lend shared access to a store.
pub trait AsContext {
    type Data;
    fn as_context(&self) -> StoreContext<'_, Self::Data>;
}

/// Anything that can lend exclusive access to a store.
pub trait AsContextMut: AsContext {
    fn as_context_mut(&mut self) -> StoreContextMut<'_, Self::Data>;
}

impl<T> AsContext for Store<T> {
    type Data = T;
    fn as_context(&self) -> StoreContext<'_, T> {
        StoreContext(&self.inner)
    }
}

impl<T> AsContextMut for Store<T> {
    fn as_context_mut(&mut self) -> StoreContextMut<'_, T> {
        StoreContextMut(&mut self.inner)
    }
}

impl<T> AsContext for StoreContext<'_, T> {
    type Data = T;
    fn as_context(&self) -> StoreContext<'_, T> {
        StoreContext(self.0)
    }
}

impl<T> AsContext for StoreContextMut<'_, T> {
    type Data = T;
    fn as_context(&self) -> StoreContext<'_, T> {
        StoreContext(self.0)
    }
}

impl<T> AsContextMut for StoreContextMut<'_, T> {
    fn as_context_mut(&mut self) -> StoreContextMut<'_, T> {
        StoreContextMut(self.0)
    }
}

impl<C: AsContext + ?Sized> AsContext for &C {
    type Data = C::Data;
    fn as_context(&self) -> StoreContext<'_, C::Data> {
        (**self).as_context()
    }
}

impl<C: AsContext + ?Sized> AsContext for &mut C {
    type Data = C::Data;
    fn as_context(&self) -> StoreContext<'_, C::Data> {
        (**self).as_context()
    }
}

impl<C: AsContextMut + ?Sized> AsContextMut for &mut C {
    fn as_context_mut(&mut self) -> StoreContextMut<'_, C::Data> {
        (**self).as_context_mut()
    }
}
