//! Shared memories: one linear memory used by stores on several threads.
//!
//! A `SharedMemory` is created on its own (or taken from an instance that
//! defines a `shared` memory, [`crate::Memory::shared`]) and imported by
//! instances of any number of stores, each on its own thread. Plain
//! accesses race as the threads proposal allows; atomics, `wait` and
//! `notify` synchronise (see `wx_core::atomics`).

use crate::engine::Engine;
use crate::error::{Error, Result};
use wx_core::memory::SharedMemory as CoreShared;
use wx_core::types::MemoryType;

/// A memory shared between threads; cloning gives another handle to it.
#[derive(Clone, Debug)]
pub struct SharedMemory {
    pub(crate) inner: CoreShared,
}

impl SharedMemory {
    /// A new shared memory: `ty` must be `shared` and have a maximum.
    pub fn new(engine: &Engine, ty: MemoryType) -> Result<SharedMemory> {
        let inner = CoreShared::new(ty, engine.config().max_memory_pages)
            .map_err(|e| Error::Instantiate(e.0))?;
        Ok(SharedMemory { inner })
    }

    pub fn ty(&self) -> MemoryType {
        MemoryType {
            min: self.size(),
            ..self.inner.ty()
        }
    }

    /// Current size in pages (another thread may grow it at any time).
    pub fn size(&self) -> u32 {
        // SAFETY: the handle keeps the memory alive; the page count is a
        // plain read racing only with growth, which only increases it.
        unsafe { (*self.inner.as_ptr()).pages() }
    }

    /// Grow by `delta` pages; the old size.
    pub fn grow(&self, delta: u32) -> Result<u32> {
        // SAFETY: growth is serialised by the memory's growth lock, and
        // moves nothing other threads read.
        unsafe { (*self.inner.as_ptr()).grow(delta) }
            .ok_or_else(|| Error::Usage(format!("failed to grow shared memory by {delta} pages")))
    }

    /// The memory's first byte; `size() * 65536` bytes are accessible.
    /// Other threads may write them at any time: read and write through
    /// raw pointers or atomics only.
    pub fn data_ptr(&self) -> *mut u8 {
        // SAFETY: `vm.base` never changes after creation.
        unsafe { (*self.inner.as_ptr()).vm.base }
    }

    /// Whether both handles name the same memory.
    pub fn same(&self, other: &SharedMemory) -> bool {
        self.inner.same(&other.inner)
    }
}
