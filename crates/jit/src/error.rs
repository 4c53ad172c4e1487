//! Why the JIT did not compile a function.

use std::fmt;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum JitError {
    /// The function uses an operator the JIT does not compile (yet); the
    /// runtime keeps the function in the interpreter.
    Unsupported { opcode: String },
    /// The function's size or shape exceeds what the JIT compiles in
    /// bounded time and memory (see `budget`); the runtime keeps it in
    /// the interpreter.
    TooLarge { reason: String },
    /// A bug in the JIT.
    Internal(String),
}

impl fmt::Display for JitError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            JitError::Unsupported { opcode } => write!(f, "unsupported operator `{opcode}`"),
            JitError::TooLarge { reason } => write!(f, "too large for the JIT: {reason}"),
            JitError::Internal(m) => write!(f, "internal JIT error: {m}"),
        }
    }
}

impl std::error::Error for JitError {}

impl From<wasmparser::BinaryReaderError> for JitError {
    fn from(e: wasmparser::BinaryReaderError) -> Self {
        JitError::Internal(format!("reading a validated body failed: {e}"))
    }
}
