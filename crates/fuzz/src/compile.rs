//! Target `compile`: whatever the bytes, decoding, validation, interpreter
//! translation and JIT compilation (x86-64 and AArch64, whatever the host,
//! plus the host's OSR entries and the allocation checker) return a result
//! and never panic. A module that validates must translate for the
//! interpreter; the JIT may refuse a function (`Unsupported`, `TooLarge`)
//! but never report an internal error.

use crate::generate::{self, Features};
use arbitrary::Unstructured;
use wx_core::{CompileError, ModuleInfo};
use wx_jit::isa::aarch64::Aarch64;
use wx_jit::isa::x64::X64;
use wx_jit::JitError;

/// Most loops of one function given an OSR entry (each is a full compile).
const OSR_LOOPS: usize = 4;

/// The target. Input starting with the wasm magic is taken as a module as
/// is (libFuzzer mutates such bytes well); any other input drives
/// wasm-smith, and the module it makes has some of its bytes overwritten
/// with the input's remainder, so that both valid modules with unusual
/// shapes and nearly-valid ones reach the pipeline.
pub fn compile(data: &[u8]) {
    if data.starts_with(b"\0asm") {
        return compile_module(data);
    }
    let mut u = Unstructured::new(data);
    let features = match u.int_in_range(0..=3u8) {
        Ok(0) => Features::Any,
        Ok(1) => Features::Common,
        _ => Features::Wx,
    };
    let Some(mut wasm) = generate::module(&mut u, features) else {
        return;
    };
    // Overwrite up to three bytes past the header, half of the time.
    if u.ratio(1, 2).unwrap_or(false) && wasm.len() > 8 {
        for _ in 0..u.int_in_range(1..=3).unwrap_or(1) {
            let at = u.int_in_range(8..=wasm.len() - 1).unwrap_or(8);
            wasm[at] = u.arbitrary().unwrap_or(0);
        }
    }
    compile_module(&wasm);
}

/// Decode `wasm` and, if it validates, translate and compile every
/// defined function every way wx can.
pub fn compile_module(wasm: &[u8]) {
    let Ok(info) = ModuleInfo::new(wasm) else {
        return;
    };
    for def in 0..info.num_defined_funcs() {
        let code = match wx_interp::translate::translate(&info, def) {
            Ok(code) => code,
            // Implementation limits (too many locals...) are legitimate.
            Err(CompileError::Limit { .. }) => continue,
            Err(e) => panic!("the interpreter cannot translate validated function {def}: {e}"),
        };
        crate::count_check();
        jit_ok("x86-64", def, wx_jit::compile_for(&X64, &info, def));
        jit_ok(
            "aarch64",
            def,
            wx_jit::compile_for(&Aarch64::default(), &info, def),
        );
        jit_ok("checker", def, wx_jit::check_allocation(&info, def));
        for &offset in code.loop_offsets.iter().take(OSR_LOOPS) {
            jit_ok("osr", def, wx_jit::compile_osr(&info, def, offset as usize));
        }
    }
}

/// Panic on an internal JIT error; a refusal is a fine answer.
fn jit_ok<T>(what: &str, def: u32, r: Result<T, JitError>) {
    match r {
        Ok(_) | Err(JitError::Unsupported { .. } | JitError::TooLarge { .. }) => {}
        Err(e @ JitError::Internal(_)) => panic!("{what}: defined function {def}: {e}"),
    }
}
