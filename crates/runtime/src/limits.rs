//! Per-store resource limits, as wasmtime's `ResourceLimiter`: a store's
//! limiter is asked before any of its memories or tables grows (by
//! `memory.grow` or `table.grow` on any tier, or by the host) and before
//! an instance is created, and may allow, deny or stop it.
//!
//! A denied growth is not an error for wasm: `memory.grow` and
//! `table.grow` return -1, as the spec says; the limiter is the
//! embedder's own code, so it sees why (and a `wx::limits` debug event
//! records each denial). A limiter that returns an error traps the code
//! instead, and the call into wasm returns that error.

use crate::error::{Error, Result};
use crate::store::StoreInner;
use wx_core::vm::{Growth, Verdict};

/// The most instances, tables and memories a store has by default.
pub const DEFAULT_INSTANCE_LIMIT: usize = 10_000;
pub const DEFAULT_TABLE_LIMIT: usize = 10_000;
pub const DEFAULT_MEMORY_LIMIT: usize = 10_000;

/// Decides how far a store's memories and tables grow, and how many
/// instances, tables and memories it may create.
pub trait ResourceLimiter {
    /// A memory grows from `current` to `desired` bytes (`maximum` is its
    /// type's bound): `Ok(true)` allows it, `Ok(false)` makes the growth
    /// fail (`memory.grow` returns -1), an error traps.
    fn memory_growing(
        &mut self,
        current: usize,
        desired: usize,
        maximum: Option<usize>,
    ) -> Result<bool>;

    /// A table grows from `current` to `desired` elements (see
    /// [`ResourceLimiter::memory_growing`]).
    fn table_growing(
        &mut self,
        current: usize,
        desired: usize,
        maximum: Option<usize>,
    ) -> Result<bool>;

    /// The most instances the store may hold.
    fn instances(&self) -> usize {
        DEFAULT_INSTANCE_LIMIT
    }

    /// The most tables the store's instances may define.
    fn tables(&self) -> usize {
        DEFAULT_TABLE_LIMIT
    }

    /// The most memories the store's instances may define.
    fn memories(&self) -> usize {
        DEFAULT_MEMORY_LIMIT
    }
}

/// A [`ResourceLimiter`] with fixed bounds (build one with
/// [`StoreLimitsBuilder`]).
#[derive(Clone, Debug)]
pub struct StoreLimits {
    memory_size: Option<usize>,
    table_elements: Option<usize>,
    instances: usize,
    tables: usize,
    memories: usize,
    trap_on_grow_failure: bool,
}

impl Default for StoreLimits {
    fn default() -> Self {
        StoreLimits {
            memory_size: None,
            table_elements: None,
            instances: DEFAULT_INSTANCE_LIMIT,
            tables: DEFAULT_TABLE_LIMIT,
            memories: DEFAULT_MEMORY_LIMIT,
            trap_on_grow_failure: false,
        }
    }
}

/// Builds [`StoreLimits`].
#[derive(Clone, Debug, Default)]
pub struct StoreLimitsBuilder(StoreLimits);

impl StoreLimitsBuilder {
    pub fn new() -> Self {
        Self::default()
    }

    /// The largest size, in bytes, any one memory may reach.
    pub fn memory_size(mut self, bytes: usize) -> Self {
        self.0.memory_size = Some(bytes);
        self
    }

    /// The most elements any one table may hold.
    pub fn table_elements(mut self, elements: usize) -> Self {
        self.0.table_elements = Some(elements);
        self
    }

    pub fn instances(mut self, n: usize) -> Self {
        self.0.instances = n;
        self
    }

    pub fn tables(mut self, n: usize) -> Self {
        self.0.tables = n;
        self
    }

    pub fn memories(mut self, n: usize) -> Self {
        self.0.memories = n;
        self
    }

    /// Trap instead of failing a growth past the limits.
    pub fn trap_on_grow_failure(mut self, trap: bool) -> Self {
        self.0.trap_on_grow_failure = trap;
        self
    }

    pub fn build(self) -> StoreLimits {
        self.0
    }
}

impl StoreLimits {
    fn decide(&self, what: &str, desired: usize, limit: Option<usize>) -> Result<bool> {
        match limit {
            Some(limit) if desired > limit => {
                if self.trap_on_grow_failure {
                    Err(Error::Host(format!(
                        "forcing trap when growing {what} to {desired}: over the store's limit of {limit}"
                    )))
                } else {
                    Ok(false)
                }
            }
            _ => Ok(true),
        }
    }
}

impl ResourceLimiter for StoreLimits {
    fn memory_growing(&mut self, _: usize, desired: usize, _: Option<usize>) -> Result<bool> {
        self.decide("memory (bytes)", desired, self.memory_size)
    }

    fn table_growing(&mut self, _: usize, desired: usize, _: Option<usize>) -> Result<bool> {
        self.decide("table (elements)", desired, self.table_elements)
    }

    fn instances(&self) -> usize {
        self.instances
    }

    fn tables(&self) -> usize {
        self.tables
    }

    fn memories(&self) -> usize {
        self.memories
    }
}

/// Where a store finds its limiter: in its data, or owned by the store.
pub(crate) enum LimiterSlot<T> {
    InData(Box<dyn FnMut(&mut T) -> &mut (dyn ResourceLimiter) + Send>),
    Owned(Box<dyn ResourceLimiter + Send>),
}

impl<T> StoreInner<T> {
    /// The store's limiter, if it has one.
    pub(crate) fn limiter_mut(&mut self) -> Option<&mut dyn ResourceLimiter> {
        match self.limiter.as_mut()? {
            LimiterSlot::InData(get) => Some(get(&mut self.data)),
            LimiterSlot::Owned(l) => Some(&mut **l),
        }
    }
}

/// `VMLimits::limiter` of a `Store<T>` with a limiter: its verdict on
/// `growth` (an error is kept for the embedder, and traps).
///
/// # Safety
/// `store` is a live `StoreInner<T>`, on its thread, with no other
/// reference to it in use.
pub(crate) unsafe fn on_growth<T>(store: *mut u8, growth: Growth) -> Verdict {
    // SAFETY: guaranteed by the caller.
    let inner = unsafe { &mut *store.cast::<StoreInner<T>>() };
    let Some(limiter) = inner.limiter_mut() else {
        return Verdict::Allow;
    };
    let Growth {
        table,
        current,
        desired,
        maximum,
    } = growth;
    let answer = if table {
        limiter.table_growing(current, desired, maximum)
    } else {
        limiter.memory_growing(current, desired, maximum)
    };
    match answer {
        Ok(true) => Verdict::Allow,
        Ok(false) => {
            let what = if table { "table" } else { "memory" };
            tracing::debug!(target: "wx::limits", what, current, desired, "growth denied by the store's limiter");
            Verdict::Deny
        }
        Err(e) => {
            inner.opaque.pending_error = Some(e);
            Verdict::Trap(wx_core::TrapCode::HostError)
        }
    }
}

/// The counts a `Store<T>`'s limiter allows: instances, tables, memories.
///
/// # Safety
/// As for [`on_growth`].
pub(crate) unsafe fn counts<T>(store: *mut u8) -> [usize; 3] {
    // SAFETY: guaranteed by the caller.
    let inner = unsafe { &mut *store.cast::<StoreInner<T>>() };
    match inner.limiter_mut() {
        Some(l) => [l.instances(), l.tables(), l.memories()],
        None => [usize::MAX; 3],
    }
}
