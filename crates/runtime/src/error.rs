//! The runtime's error type.

use crate::backtrace::WasmBacktrace;
use std::fmt;
use wx_core::{CompileError, TrapCode};

/// A trap: wasm execution stopped abnormally.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Trap {
    pub code: TrapCode,
    /// The wasm frames it unwound, innermost first (empty when it did not
    /// come out of wasm code).
    pub backtrace: WasmBacktrace,
}

impl fmt::Display for Trap {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code.message())
    }
}

/// Everything that can go wrong in wx.
#[derive(Debug)]
pub enum Error {
    /// The module is malformed, invalid, or uses an unsupported feature.
    Compile(CompileError),
    /// An import could not be satisfied.
    Link(String),
    /// Instantiation failed for a reason other than a trap (resource limits).
    Instantiate(String),
    /// Wasm code trapped.
    Trap(Trap),
    /// A wasm exception no wasm frame caught.
    Exception(Box<crate::exception::Exception>),
    /// A WASI program called `proc_exit`.
    Exit(i32),
    /// An error raised by a host function.
    Host(String),
    /// The API was used wrongly (wrong argument types, unknown export...).
    Usage(String),
    /// A feature this build does not support.
    Unsupported(String),
    Io(std::io::Error),
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    /// The trap code, if this is a trap.
    pub fn trap_code(&self) -> Option<TrapCode> {
        match self {
            Error::Trap(t) => Some(t.code),
            _ => None,
        }
    }

    /// A host function error with `msg`.
    pub fn msg(msg: impl Into<String>) -> Error {
        Error::Host(msg.into())
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Compile(e) => write!(f, "{e}"),
            Error::Link(m) => write!(f, "link error: {m}"),
            Error::Instantiate(m) => write!(f, "instantiation failed: {m}"),
            Error::Trap(t) => write!(f, "wasm trap: {t}"),
            Error::Exception(e) => write!(f, "{e}"),
            Error::Exit(c) => write!(f, "exited with status {c}"),
            Error::Host(m) => write!(f, "host error: {m}"),
            Error::Usage(m) => write!(f, "{m}"),
            Error::Unsupported(m) => write!(f, "unsupported: {m}"),
            Error::Io(e) => write!(f, "{e}"),
        }
    }
}

impl std::error::Error for Error {}

impl From<CompileError> for Error {
    fn from(e: CompileError) -> Self {
        Error::Compile(e)
    }
}

impl From<TrapCode> for Error {
    fn from(code: TrapCode) -> Self {
        Error::Trap(Trap {
            code,
            backtrace: WasmBacktrace::default(),
        })
    }
}

impl From<std::io::Error> for Error {
    fn from(e: std::io::Error) -> Self {
        Error::Io(e)
    }
}
