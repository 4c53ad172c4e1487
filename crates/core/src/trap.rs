//! Traps: the ways a WebAssembly execution can stop abnormally.
//!
//! The messages are the texts the official spec suite expects in `assert_trap`
//! and `assert_exhaustion`, so a runner can compare them directly.

use std::fmt;

/// Why execution trapped.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[repr(u32)]
pub enum TrapCode {
    Unreachable = 1,
    IntegerDivideByZero,
    IntegerOverflow,
    BadConversionToInteger,
    MemoryOutOfBounds,
    TableOutOfBounds,
    /// `call_indirect` index past the end of the table.
    UndefinedElement,
    /// `call_indirect` through a null entry.
    UninitializedElement,
    IndirectCallTypeMismatch,
    NullReference,
    StackOverflow,
    /// A host function returned an error; the error itself travels separately.
    HostError,
    /// A bug in wx (a function that validated could not be translated).
    Internal,
    /// Not a trap: a wasm exception is being thrown (the store's exception
    /// heap names it) and no frame so far caught it.
    Exception,
    /// `throw_ref` of a null reference.
    NullExnRef,
    /// `call_ref` / `return_call_ref` of a null reference.
    NullFuncRef,
    /// An atomic access at an address that is not a multiple of its size.
    UnalignedAtomic,
    /// `memory.atomic.wait` on a memory that is not shared.
    ExpectedSharedMemory,
    /// The store's epoch deadline passed (see the runtime's
    /// `Config::epoch_interruption`).
    Interrupt,
    /// The store's fuel ran out (see the runtime's `Config::consume_fuel`).
    OutOfFuel,
}

impl TrapCode {
    pub fn message(self) -> &'static str {
        match self {
            TrapCode::Unreachable => "unreachable",
            TrapCode::IntegerDivideByZero => "integer divide by zero",
            TrapCode::IntegerOverflow => "integer overflow",
            TrapCode::BadConversionToInteger => "invalid conversion to integer",
            TrapCode::MemoryOutOfBounds => "out of bounds memory access",
            TrapCode::TableOutOfBounds => "out of bounds table access",
            TrapCode::UndefinedElement => "undefined element",
            TrapCode::UninitializedElement => "uninitialized element",
            TrapCode::IndirectCallTypeMismatch => "indirect call type mismatch",
            TrapCode::NullReference => "null reference",
            TrapCode::StackOverflow => "call stack exhausted",
            TrapCode::HostError => "host function error",
            TrapCode::Internal => "internal error in wx",
            TrapCode::Exception => "thrown Wasm exception",
            TrapCode::NullExnRef => "null exception reference",
            TrapCode::NullFuncRef => "null function reference",
            TrapCode::UnalignedAtomic => "unaligned atomic",
            TrapCode::ExpectedSharedMemory => "expected shared memory",
            TrapCode::Interrupt => "interrupt",
            TrapCode::OutOfFuel => "all fuel consumed by WebAssembly",
        }
    }

    pub fn from_u32(v: u32) -> Option<TrapCode> {
        use TrapCode::*;
        const ALL: [TrapCode; 20] = [
            Unreachable,
            IntegerDivideByZero,
            IntegerOverflow,
            BadConversionToInteger,
            MemoryOutOfBounds,
            TableOutOfBounds,
            UndefinedElement,
            UninitializedElement,
            IndirectCallTypeMismatch,
            NullReference,
            StackOverflow,
            HostError,
            Internal,
            Exception,
            NullExnRef,
            NullFuncRef,
            UnalignedAtomic,
            ExpectedSharedMemory,
            Interrupt,
            OutOfFuel,
        ];
        ALL.into_iter().find(|c| *c as u32 == v)
    }
}

impl fmt::Display for TrapCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.message())
    }
}

/// A trap raised by wasm code (as opposed to an error of the embedder).
pub type Trap = TrapCode;
