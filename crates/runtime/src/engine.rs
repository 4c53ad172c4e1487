//! The engine: configuration shared by modules and stores.

use crate::config::{Config, Strategy};
use crate::error::{Error, Result};
use std::sync::Arc;

/// A handle to shared configuration; cheap to clone.
#[derive(Clone, Debug)]
pub struct Engine {
    inner: Arc<Config>,
}

impl Engine {
    /// An engine with `config`. Fails if the config asks for a tier this build lacks.
    pub fn new(config: &Config) -> Result<Engine> {
        let jit_here = cfg!(all(target_arch = "x86_64", target_os = "linux"));
        match config.strategy {
            Strategy::Interp => {}
            Strategy::Jit if jit_here => {}
            Strategy::Jit => {
                return Err(Error::Unsupported("the JIT tier runs on x86-64 Linux only in this build".into()))
            }
            Strategy::Tiered => {
                return Err(Error::Unsupported(
                    "the `tiered` strategy (tier-up at run time) is not available yet; use `jit` or `interp`".into(),
                ))
            }
        }
        Ok(Engine {
            inner: Arc::new(config.clone()),
        })
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
