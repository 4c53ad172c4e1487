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
        if config.strategy != Strategy::Interp {
            return Err(Error::Unsupported(format!(
                "the `{}` strategy needs the JIT tier, which this build of wx does not have yet",
                config.strategy
            )));
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
