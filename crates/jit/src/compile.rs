//! The pipeline: translate -> allocate -> check -> emit, for any [`Isa`].

use crate::error::JitError;
use crate::ir::Func;
use crate::isa::{CompiledCode, Host, Isa};
use crate::regalloc::{allocate, check};
use crate::translate::{translate_inlining, translate_osr, InlinePolicy};
use wx_core::ModuleInfo;

/// Compile defined function `def_index` of `module` for the host ISA.
pub fn compile(module: &ModuleInfo, def_index: u32) -> Result<CompiledCode, JitError> {
    compile_for(&Host::default(), module, def_index)
}

/// Compile defined function `def_index` of `module` for `isa`.
pub fn compile_for<I: Isa>(
    isa: &I,
    module: &ModuleInfo,
    def_index: u32,
) -> Result<CompiledCode, JitError> {
    let f = translate_inlining(module, def_index, InlinePolicy::default())?;
    lower(isa, module, &f)
}

/// Compile an on-stack-replacement entry of defined function `def_index`
/// at the loop whose `loop` operator is at byte offset `loop_offset`: code
/// with the array calling convention whose value array holds all the
/// function's locals on entry and its results on return (see
/// [`translate_osr`]).
pub fn compile_osr(
    module: &ModuleInfo,
    def_index: u32,
    loop_offset: usize,
) -> Result<CompiledCode, JitError> {
    let f = translate_osr(module, def_index, loop_offset, InlinePolicy::default())?;
    lower(&Host::default(), module, &f)
}

fn lower<I: Isa>(isa: &I, module: &ModuleInfo, f: &Func) -> Result<CompiledCode, JitError> {
    let clobbers = |inst: &_| isa.clobbers(inst);
    let alloc = allocate(f, isa.machine_env(), clobbers);
    // The checker re-derives liveness and compares every register's
    // occupants pairwise: 40 % of compile time. Debug builds run it on
    // every compile; tests run it on every spec-suite and benchmark
    // function (see `check_allocation`).
    if cfg!(debug_assertions) {
        check(f, &alloc, clobbers).map_err(JitError::Internal)?;
    }
    isa.emit(f, &alloc, module.num_imported_funcs)
}

/// Translate and allocate defined function `def_index` for the host ISA and
/// verify the allocation with the independent checker (what debug builds
/// do on every compile).
pub fn check_allocation(module: &ModuleInfo, def_index: u32) -> Result<(), JitError> {
    let isa = Host::default();
    let f = translate_inlining(module, def_index, InlinePolicy::default())?;
    let clobbers = |inst: &_| isa.clobbers(inst);
    let alloc = allocate(&f, isa.machine_env(), clobbers);
    check(&f, &alloc, clobbers).map_err(JitError::Internal)
}

#[cfg(test)]
mod tests {
    use super::*;
    use iced_x86::{Decoder, DecoderOptions, Mnemonic, OpKind, Register};

    /// Indices of the value cells the entry stub loads: moves out of
    /// `[r11 + 8i]` between `mov r11, rdx` (r11 = the values pointer) and
    /// the call of the function.
    fn cells_loaded(code: &[u8]) -> Vec<i64> {
        let mut d = Decoder::with_ip(64, code, 0, DecoderOptions::NONE);
        let mut cells = Vec::new();
        while d.can_decode() {
            let i = d.decode();
            if i.mnemonic() == Mnemonic::Mov
                && i.op0_register() == Register::R11
                && i.op1_kind() == OpKind::Register
                && i.op1_register() == Register::RDX
            {
                break;
            }
        }
        while d.can_decode() {
            let i = d.decode();
            if i.mnemonic() == Mnemonic::Call {
                break;
            }
            if matches!(
                i.mnemonic(),
                Mnemonic::Mov | Mnemonic::Movsd | Mnemonic::Movq
            ) && i.op_count() == 2
                && i.op1_kind() == OpKind::Memory
                && i.memory_base() == Register::R11
            {
                cells.push(i.memory_displacement64() as i64 / 8);
            }
        }
        cells
    }

    /// An OSR entry receives every local, but loads only those live at the
    /// loop header: a dead one may share a register with a live one.
    #[test]
    fn osr_entries_load_only_locals_live_at_the_header() {
        let wat = r#"(module (func (param $a i32) (param $b i32) (result i32)
            (local $t0 i32) (local $t1 i32) (local $acc i32)
            (block $done
              (loop $l
                (local.set $t0 (i32.mul (local.get $a) (i32.const 3)))
                (local.set $t1 (i32.add (local.get $t0) (local.get $b)))
                (local.set $acc (i32.xor (local.get $acc) (local.get $t1)))
                (local.set $a (i32.sub (local.get $a) (i32.const 1)))
                (br_if $l (local.get $a))))
            (local.get $acc)))"#;
        let info = ModuleInfo::new(&wat::parse_str(wat).unwrap()).unwrap();
        // The `loop` operator's offset: find it by trying the body's offsets.
        let (bytes, start) = info.body(0);
        let offset = (start..start + bytes.len())
            .find(|&o| compile_osr(&info, 0, o).is_ok())
            .expect("an OSR entry for the loop");
        let code = compile_osr(&info, 0, offset).unwrap();
        let mut cells = cells_loaded(&code.code);
        cells.sort();
        // a, b and acc are live at the header; t0 and t1 are not.
        assert_eq!(cells, [0, 1, 4]);
    }
}
