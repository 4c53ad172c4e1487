//! OS-specific primitives: reserving, committing and releasing address space.

#[cfg(unix)]
mod unix;
#[cfg(unix)]
pub(crate) use unix::*;
