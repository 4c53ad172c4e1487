//! Constant expressions (global initialisers, segment offsets and items).
//!
//! WebAssembly 2.0 allows exactly one instruction in a constant expression.

use crate::types::RefType;

/// A validated constant expression.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ConstExpr {
    I32(i32),
    I64(i64),
    /// Raw IEEE bits.
    F32(u32),
    /// Raw IEEE bits.
    F64(u64),
    RefNull(RefType),
    RefFunc(u32),
    GlobalGet(u32),
}

impl ConstExpr {
    pub(crate) fn decode(expr: &wasmparser::ConstExpr<'_>) -> Result<ConstExpr, String> {
        use wasmparser::Operator as O;
        let mut reader = expr.get_operators_reader();
        let op = reader.read().map_err(|e| e.to_string())?;
        let value = match op {
            O::I32Const { value } => ConstExpr::I32(value),
            O::I64Const { value } => ConstExpr::I64(value),
            O::F32Const { value } => ConstExpr::F32(value.bits()),
            O::F64Const { value } => ConstExpr::F64(value.bits()),
            O::RefNull { hty } => ConstExpr::RefNull(match hty {
                wasmparser::HeapType::Abstract {
                    ty: wasmparser::AbstractHeapType::Extern,
                    ..
                } => RefType::ExternRef,
                wasmparser::HeapType::Abstract {
                    ty: wasmparser::AbstractHeapType::Exn | wasmparser::AbstractHeapType::NoExn,
                    ..
                } => RefType::ExnRef,
                _ => RefType::FuncRef,
            }),
            O::RefFunc { function_index } => ConstExpr::RefFunc(function_index),
            O::GlobalGet { global_index } => ConstExpr::GlobalGet(global_index),
            other => return Err(format!("extended constant expression ({other:?})")),
        };
        match reader.read().map_err(|e| e.to_string())? {
            O::End => Ok(value),
            _ => Err("extended constant expressions".into()),
        }
    }

    /// Evaluate to raw bits, given the current values of globals and a way to
    /// turn a function index into a funcref.
    pub fn eval(&self, global: impl Fn(u32) -> u64, func_ref: impl Fn(u32) -> u64) -> u64 {
        match *self {
            ConstExpr::I32(v) => v as u32 as u64,
            ConstExpr::I64(v) => v as u64,
            ConstExpr::F32(b) => b as u64,
            ConstExpr::F64(b) => b,
            ConstExpr::RefNull(_) => 0,
            ConstExpr::RefFunc(f) => func_ref(f),
            ConstExpr::GlobalGet(g) => global(g),
        }
    }
}
