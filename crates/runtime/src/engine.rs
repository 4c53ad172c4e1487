//! The engine: configuration shared by modules and stores.

use crate::config::{Config, Strategy};
use crate::error::{Error, Result};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

/// Whether this build has the JIT tier (see [`crate::sys`]).
pub(crate) const JIT_AVAILABLE: bool = crate::sys::JIT_HOST;

/// A handle to shared configuration; cheap to clone.
#[derive(Clone, Debug)]
pub struct Engine {
    inner: Arc<EngineInner>,
}

#[derive(Debug)]
struct EngineInner {
    config: Config,
    /// The epoch (see [`Engine::increment_epoch`]); compiled and
    /// interpreted code of every store reads it through the store's
    /// `VMLimits::epoch`.
    epoch: AtomicU64,
}

impl EngineInner {
    fn new(config: Config) -> Arc<EngineInner> {
        Arc::new(EngineInner {
            config,
            epoch: AtomicU64::new(0),
        })
    }
}

impl Engine {
    /// An engine with `config`. Fails if the config asks for a tier this build lacks.
    pub fn new(config: &Config) -> Result<Engine> {
        if config.strategy != Strategy::Interp && !JIT_AVAILABLE {
            return Err(Error::Unsupported(format!(
                "strategy `{}` needs the JIT tier, which runs on x86-64 and AArch64 Linux only in this build",
                config.strategy
            )));
        }
        crate::frames::install();
        Ok(Engine {
            inner: EngineInner::new(config.clone()),
        })
    }

    /// Whether this build runs compiled code on this machine (otherwise
    /// only [`Strategy::Interp`] is available).
    pub fn jit_available() -> bool {
        JIT_AVAILABLE
    }

    pub fn config(&self) -> &Config {
        &self.inner.config
    }

    /// Advance the engine's epoch by one. Safe to call from any thread,
    /// typically a timer thread: code running in a store whose deadline
    /// (see [`crate::Store::set_epoch_deadline`]) this reaches stops at
    /// its next function entry or loop header, if the engine was
    /// configured with [`Config::epoch_interruption`].
    pub fn increment_epoch(&self) {
        self.inner.epoch.fetch_add(1, Ordering::Relaxed);
    }

    /// The current epoch.
    pub fn current_epoch(&self) -> u64 {
        self.inner.epoch.load(Ordering::Relaxed)
    }

    /// The epoch counter itself, for the stores' `VMLimits`.
    pub(crate) fn epoch_counter(&self) -> *const AtomicU64 {
        &self.inner.epoch
    }

    pub(crate) fn same(&self, other: &Engine) -> bool {
        Arc::ptr_eq(&self.inner, &other.inner)
    }
}

impl Default for Engine {
    fn default() -> Self {
        Engine {
            inner: EngineInner::new(Config::default()),
        }
    }
}
