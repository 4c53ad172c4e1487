//! WebAssembly types as wx uses them (WebAssembly 2.0 without SIMD).

use std::fmt;

/// A reference type: WebAssembly 2.0's two, and the exception proposal's `exnref`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum RefType {
    FuncRef,
    ExternRef,
    ExnRef,
}

/// A value type.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ValType {
    I32,
    I64,
    F32,
    F64,
    Ref(RefType),
}

impl ValType {
    pub const FUNCREF: ValType = ValType::Ref(RefType::FuncRef);
    pub const EXTERNREF: ValType = ValType::Ref(RefType::ExternRef);
    pub const EXNREF: ValType = ValType::Ref(RefType::ExnRef);

    pub fn is_ref(self) -> bool {
        matches!(self, ValType::Ref(_))
    }
}

impl fmt::Display for ValType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            ValType::I32 => "i32",
            ValType::I64 => "i64",
            ValType::F32 => "f32",
            ValType::F64 => "f64",
            ValType::Ref(RefType::FuncRef) => "funcref",
            ValType::Ref(RefType::ExternRef) => "externref",
            ValType::Ref(RefType::ExnRef) => "exnref",
        })
    }
}

/// A function signature.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct FuncType {
    params: Box<[ValType]>,
    results: Box<[ValType]>,
}

impl FuncType {
    pub fn new(
        params: impl IntoIterator<Item = ValType>,
        results: impl IntoIterator<Item = ValType>,
    ) -> Self {
        FuncType {
            params: params.into_iter().collect(),
            results: results.into_iter().collect(),
        }
    }

    pub fn params(&self) -> &[ValType] {
        &self.params
    }

    pub fn results(&self) -> &[ValType] {
        &self.results
    }
}

impl fmt::Display for FuncType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let list = |v: &[ValType]| {
            v.iter()
                .map(|t| t.to_string())
                .collect::<Vec<_>>()
                .join(" ")
        };
        write!(f, "[{}] -> [{}]", list(&self.params), list(&self.results))
    }
}

/// Limits of a table, in elements.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TableType {
    pub elem: RefType,
    pub min: u32,
    pub max: Option<u32>,
}

/// Limits of a linear memory, in 64 KiB pages.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MemoryType {
    pub min: u32,
    pub max: Option<u32>,
    /// Shared between threads (threads proposal; requires `max`).
    pub shared: bool,
}

/// A global's type.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct GlobalType {
    pub content: ValType,
    pub mutable: bool,
}

/// What an import or export names.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ExternType {
    Func(FuncType),
    Table(TableType),
    Memory(MemoryType),
    Global(GlobalType),
    /// A tag: its payload is the function type's parameters.
    Tag(FuncType),
}

impl ExternType {
    pub fn kind_name(&self) -> &'static str {
        match self {
            ExternType::Func(_) => "function",
            ExternType::Table(_) => "table",
            ExternType::Memory(_) => "memory",
            ExternType::Global(_) => "global",
            ExternType::Tag(_) => "tag",
        }
    }
}

/// Is an import of `actual` limits acceptable where `(min, max)` is required?
/// (Spec "import subtyping" of limits.)
pub fn limits_match(actual_min: u64, actual_max: Option<u64>, min: u64, max: Option<u64>) -> bool {
    if actual_min < min {
        return false;
    }
    match (max, actual_max) {
        (None, _) => true,
        (Some(_), None) => false,
        (Some(m), Some(am)) => am <= m,
    }
}

/// A wasmparser value type as wx's; an error names the unsupported feature.
pub fn val_type(t: wasmparser::ValType) -> Result<ValType, String> {
    Ok(match t {
        wasmparser::ValType::I32 => ValType::I32,
        wasmparser::ValType::I64 => ValType::I64,
        wasmparser::ValType::F32 => ValType::F32,
        wasmparser::ValType::F64 => ValType::F64,
        wasmparser::ValType::V128 => return Err("simd".into()),
        wasmparser::ValType::Ref(r) => ValType::Ref(ref_type(r)?),
    })
}

///
/// Typed references share their representation with the abstract type
/// above them (nullable or not): a reference to a function type is a
/// `funcref`. wx has no GC heap types.
pub(crate) fn ref_type(r: wasmparser::RefType) -> Result<RefType, String> {
    use wasmparser::{AbstractHeapType as A, HeapType as H};
    match r.heap_type() {
        H::Abstract {
            shared: false,
            ty: A::Func | A::NoFunc,
        }
        | H::Concrete(_)
        | H::Exact(_) => Ok(RefType::FuncRef),
        H::Abstract {
            shared: false,
            ty: A::Extern | A::NoExtern,
        } => Ok(RefType::ExternRef),
        H::Abstract {
            shared: false,
            ty: A::Exn | A::NoExn,
        } => Ok(RefType::ExnRef),
        _ => Err("gc reference types".into()),
    }
}
