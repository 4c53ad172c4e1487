//! Errors from decoding and validating a module.

use std::fmt;

/// Why a module could not be compiled.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CompileError {
    /// The binary is not well-formed or does not validate.
    Invalid {
        message: String,
        offset: Option<usize>,
    },
    /// The module uses a WebAssembly feature wx does not support (yet).
    Unsupported { feature: String },
    /// A limit of the implementation (too many locals, a frame too large...).
    Limit { message: String },
}

impl fmt::Display for CompileError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CompileError::Invalid {
                message,
                offset: Some(o),
            } => {
                write!(f, "invalid module: {message} (at offset 0x{o:x})")
            }
            CompileError::Invalid {
                message,
                offset: None,
            } => write!(f, "invalid module: {message}"),
            CompileError::Unsupported { feature } => write!(f, "unsupported feature: {feature}"),
            CompileError::Limit { message } => write!(f, "implementation limit: {message}"),
        }
    }
}

impl std::error::Error for CompileError {}

impl From<wasmparser::BinaryReaderError> for CompileError {
    fn from(e: wasmparser::BinaryReaderError) -> Self {
        CompileError::Invalid {
            message: e.message().to_string(),
            offset: Some(e.offset() as usize),
        }
    }
}
