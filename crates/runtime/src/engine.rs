//! The engine: configuration shared by modules and stores.

use crate::config::{Config, Strategy};
use crate::error::{Error, Result};
use std::sync::Arc;

/// Whether this build has the JIT tier (see [`crate::sys`]).
pub(crate) const JIT_AVAILABLE: bool = crate::sys::JIT_HOST;

/// A handle to shared configuration; cheap to clone.
#[derive(Clone, Debug)]
pub struct Engine {
    inner: Arc<Config>,
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
            inner: Arc::new(config.clone()),
        })
    }

    /// Whether this build runs compiled code on this machine (otherwise
    /// only [`Strategy::Interp`] is available).
    pub fn jit_available() -> bool {
        JIT_AVAILABLE
    }

    pub fn config(&self) -> &Config {
        &self.inner
    }

    pub(crate) fn same(&self, other: &Engine) -> bool {
        Arc::ptr_eq(&self.inner, &other.inner)
    }
}

impl Default for Engine {
    fn default() -> Self {
        Engine {
            inner: Arc::new(Config::default()),
        }
    }
}
