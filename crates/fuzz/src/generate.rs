//! Turning fuzz input into modules and calls: wasm-smith configurations for
//! each target, the engine-neutral argument type, and argument generation.
//!
//! Every module is built so that running it is deterministic and bounded:
//! a fuel global (wasm-smith's `ensure_termination`) traps any loop or
//! recursion after [`FUEL`] steps in total per instance, NaNs produced by
//! arithmetic are canonicalised (so NaN payloads, which engines may choose
//! freely, never reach results, globals or memory), memories stay within
//! [`MAX_PAGES`] and every engine is given the same growth limits.

use arbitrary::{Result, Unstructured};

/// Loop iterations and calls one instance may make in total before the
/// fuel global traps.
pub const FUEL: u32 = 10_000;

/// Largest linear memory, in 64 KiB pages, declared or grown, on every engine.
pub const MAX_PAGES: u32 = 64;

/// Largest table, in elements, declared or grown, on every engine.
pub const MAX_TABLE: u32 = 10_000;

/// Most wasm frames live at once, on every engine: deeper recursion traps.
pub const MAX_DEPTH: usize = 1000;

/// Which WebAssembly features a generated module may use.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Features {
    /// What both wx and wasmi run: WebAssembly 2.0 without SIMD, plus tail calls.
    Common,
    /// Everything wx runs: [`Features::Common`] plus threads (atomics on
    /// shared memories) and exception handling.
    Wx,
    /// Much that wx rejects (SIMD, GC, memory64, multi-memory...), to
    /// exercise the paths that refuse a module.
    Any,
}

/// The wasm-smith configuration for `features`.
pub fn config(features: Features) -> wasm_smith::Config {
    let mut c = wasm_smith::Config {
        simd_enabled: false,
        relaxed_simd_enabled: false,
        threads_enabled: false,
        shared_everything_threads_enabled: false,
        tail_call_enabled: true,
        exceptions_enabled: false,
        gc_enabled: false,
        memory64_enabled: false,
        custom_page_sizes_enabled: false,
        wide_arithmetic_enabled: false,
        extended_const_enabled: false,
        multi_value_enabled: true,
        reference_types_enabled: true,
        bulk_memory_enabled: true,
        saturating_float_to_int_enabled: true,
        sign_extension_ops_enabled: true,
        max_memories: 1,
        max_memory32_bytes: u64::from(MAX_PAGES) * 65536,
        max_tables: 2,
        max_table_elements: 1000,
        max_imports: 0,
        min_types: 1,
        min_funcs: 2,
        max_funcs: 20,
        export_everything: true,
        canonicalize_nans: true,
        ..Default::default()
    };
    match features {
        Features::Common => {}
        Features::Wx => {
            c.threads_enabled = true;
            c.exceptions_enabled = true;
        }
        Features::Any => {
            c.simd_enabled = true;
            c.relaxed_simd_enabled = true;
            c.threads_enabled = true;
            c.exceptions_enabled = true;
            c.gc_enabled = true;
            c.memory64_enabled = true;
            c.custom_page_sizes_enabled = true;
            c.wide_arithmetic_enabled = true;
            c.extended_const_enabled = true;
            c.max_memories = 2;
            c.max_imports = 10;
            c.canonicalize_nans = false;
        }
    }
    c
}

/// A module for `features` from `u`, with its fuel global added; `None` if
/// the input runs out before a module is made.
pub fn module(u: &mut Unstructured<'_>, features: Features) -> Option<Vec<u8>> {
    let mut module = wasm_smith::Module::new(config(features), u).ok()?;
    module.ensure_termination(FUEL).ok()?;
    Some(module.to_bytes())
}

/// An argument value, engine-neutral (floats as raw bits).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Arg {
    I32(i32),
    I64(i64),
    F32(u32),
    F64(u64),
    /// A null reference of the parameter's type.
    NullRef,
}

/// An argument of type `ty` from `u`: often a boundary value, otherwise any
/// bits (NaN arguments included: moving a NaN preserves its bits).
pub fn arg(u: &mut Unstructured<'_>, ty: wx_core::ValType) -> Result<Arg> {
    use wx_core::ValType;
    const I32S: [i32; 6] = [0, 1, -1, i32::MIN, i32::MAX, 8];
    const I64S: [i64; 6] = [0, 1, -1, i64::MIN, i64::MAX, 8];
    const F32S: [f32; 8] = [
        0.0,
        -0.0,
        1.0,
        -1.5,
        f32::INFINITY,
        f32::MIN_POSITIVE,
        2147483648.0,
        f32::MAX,
    ];
    const F64S: [f64; 8] = [
        0.0,
        -0.0,
        1.0,
        -1.5,
        f64::NEG_INFINITY,
        f64::MIN_POSITIVE,
        9223372036854775808.0,
        f64::MAX,
    ];
    let special = u.ratio(1, 3)?;
    Ok(match ty {
        ValType::I32 if special => Arg::I32(*u.choose(&I32S)?),
        ValType::I32 => Arg::I32(u.arbitrary()?),
        ValType::I64 if special => Arg::I64(*u.choose(&I64S)?),
        ValType::I64 => Arg::I64(u.arbitrary()?),
        ValType::F32 if special => Arg::F32(u.choose(&F32S)?.to_bits()),
        ValType::F32 => Arg::F32(u.arbitrary()?),
        ValType::F64 if special => Arg::F64(u.choose(&F64S)?.to_bits()),
        ValType::F64 => Arg::F64(u.arbitrary()?),
        ValType::Ref(_) => Arg::NullRef,
    })
}
