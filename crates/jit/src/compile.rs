//! The pipeline: translate -> allocate -> check -> emit, for any [`Isa`].

use crate::error::JitError;
use crate::ir::Func;
use crate::isa::aarch64::Aarch64;
use crate::isa::x64::X64;
use crate::isa::{CompiledCode, Host, Isa, Target};
use crate::regalloc::{self, allocate, allocate_into, check, Allocation};
use crate::translate::{
    self, translate_inlining, translate_into, translate_osr_into, InlinePolicy,
};
use std::cell::RefCell;
use wx_core::ModuleInfo;

/// The IR and the allocation of the function being compiled, and the
/// stages' working buffers, kept from one compile to the next on each
/// thread so that they are reused: compiling a function allocates little
/// more than its machine code.
#[derive(Default)]
struct Context {
    func: Func,
    alloc: Allocation,
    translate: translate::Scratch,
    regalloc: regalloc::Scratch,
}

impl Context {
    /// Drop buffers grown past what a typical function needs, so one huge
    /// function does not pin its memory for the thread's life.
    fn trim(&mut self) {
        const KEEP: usize = 1 << 16;
        let a = &self.alloc;
        if self.func.grown_past(KEEP)
            || a.locs.capacity() > KEEP
            || a.intervals.capacity() > KEEP
            || a.dead.capacity() > KEEP
        {
            self.func = Func::default();
            self.alloc = Allocation::default();
        }
        self.regalloc.trim();
    }
}

thread_local! {
    static CONTEXT: RefCell<Context> = RefCell::default();
}

/// Run `f` with this thread's context (or a fresh one if it is in use
/// further up the stack).
fn with_context<R>(f: impl FnOnce(&mut Context) -> R) -> R {
    CONTEXT.with(|cell| match cell.try_borrow_mut() {
        Ok(mut cx) => {
            let r = f(&mut cx);
            cx.trim();
            r
        }
        Err(_) => f(&mut Context::default()),
    })
}

/// Compile defined function `def_index` of `module` for the host ISA.
pub fn compile(module: &ModuleInfo, def_index: u32) -> Result<CompiledCode, JitError> {
    compile_for(&Host::default(), module, def_index)
}

/// Compile defined function `def_index` of `module` for `target`, whatever
/// the host (for the host's target, what [`compile`] does).
pub fn compile_target(
    module: &ModuleInfo,
    def_index: u32,
    target: Target,
) -> Result<CompiledCode, JitError> {
    match target {
        Target::X86_64 => compile_for(&X64, module, def_index),
        Target::Aarch64 => compile_for(&Aarch64::default(), module, def_index),
    }
}

/// Compile defined function `def_index` of `module` for `isa`.
pub fn compile_for<I: Isa>(
    isa: &I,
    module: &ModuleInfo,
    def_index: u32,
) -> Result<CompiledCode, JitError> {
    with_context(|cx| {
        let policy = InlinePolicy::default();
        translate_into(module, def_index, policy, &mut cx.func, &mut cx.translate)?;
        lower(isa, module, cx)
    })
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
    compile_osr_for(&Host::default(), module, def_index, loop_offset)
}

/// [`compile_osr`] for `isa`.
pub fn compile_osr_for<I: Isa>(
    isa: &I,
    module: &ModuleInfo,
    def_index: u32,
    loop_offset: usize,
) -> Result<CompiledCode, JitError> {
    with_context(|cx| {
        translate_osr_into(
            module,
            def_index,
            loop_offset,
            InlinePolicy::default(),
            &mut cx.func,
            &mut cx.translate,
        )?;
        lower(isa, module, cx)
    })
}

/// Allocate and emit the function in `cx`.
fn lower<I: Isa>(isa: &I, module: &ModuleInfo, cx: &mut Context) -> Result<CompiledCode, JitError> {
    let (f, alloc) = (&cx.func, &mut cx.alloc);
    let clobbers = |inst: &_| isa.clobbers(inst);
    allocate_into(f, isa.machine_env(), clobbers, &mut cx.regalloc, alloc)?;
    let alloc = &*alloc;
    // The checker re-derives liveness and compares every register's
    // occupants pairwise: 40 % of compile time. Debug builds run it on
    // every compile; tests run it on every spec-suite and benchmark
    // function (see `check_allocation`).
    if cfg!(debug_assertions) {
        check(f, alloc, clobbers).map_err(JitError::Internal)?;
    }
    isa.emit(f, alloc, module.num_imported_funcs)
}

/// Translate and allocate defined function `def_index` for the host ISA and
/// verify the IR's structure and the allocation with the independent
/// checker (what debug builds do on every compile).
pub fn check_allocation(module: &ModuleInfo, def_index: u32) -> Result<(), JitError> {
    let isa = Host::default();
    let f = translate_inlining(module, def_index, InlinePolicy::default())?;
    f.verify().map_err(JitError::Internal)?;
    let clobbers = |inst: &_| isa.clobbers(inst);
    let alloc = allocate(&f, isa.machine_env(), clobbers)?;
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

    /// A compile's observable output, for comparisons.
    fn output(c: &CompiledCode) -> (Vec<u8>, u32, u32, Vec<(u32, wx_core::TrapCode)>, String) {
        (
            c.code.clone(),
            c.wasm_entry,
            c.trap_exit,
            c.faults().collect(),
            format!("{:?}", c.jump_tables),
        )
    }

    /// Compile the functions of `info` in `order` on a fresh thread (so
    /// with fresh per-thread buffers), each result by function index.
    fn compile_in_order(info: &ModuleInfo, order: &[u32]) -> Vec<Option<String>> {
        std::thread::scope(|s| {
            s.spawn(|| {
                let mut out = vec![None; info.num_defined_funcs() as usize];
                for &i in order {
                    out[i as usize] = Some(format!("{:?}", compile(info, i).map(|c| output(&c))));
                }
                out
            })
            .join()
            .unwrap()
        })
    }

    /// The pipeline reuses its buffers from one function to the next: the
    /// code of a function must not depend on what was compiled before it
    /// (in any order, after a bigger function, or compiling it twice).
    #[test]
    fn reused_buffers_do_not_change_the_code() {
        for (path, info) in crate::test_util::benchmark_modules(false) {
            let n = info.num_defined_funcs();
            let forward: Vec<u32> = (0..n).collect();
            let backward: Vec<u32> = (0..n).rev().collect();
            // Each function right after the biggest one, and twice.
            let biggest = (0..n).max_by_key(|&i| info.body(i).0.len()).unwrap_or(0);
            let twice: Vec<u32> = (0..n).flat_map(|i| [biggest, i, i]).collect();
            let expected = compile_in_order(&info, &forward);
            assert_eq!(
                expected,
                compile_in_order(&info, &backward),
                "{}",
                path.display()
            );
            assert_eq!(
                expected,
                compile_in_order(&info, &twice),
                "{}",
                path.display()
            );
            // The first compile on a thread sees nothing reused.
            for i in (0..n).step_by(7) {
                assert_eq!(
                    expected[i as usize],
                    compile_in_order(&info, &[i])[i as usize],
                    "{}: function {i}",
                    path.display()
                );
            }
        }
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
            .find(|&o| compile_osr_for(&X64, &info, 0, o).is_ok())
            .expect("an OSR entry for the loop");
        let code = compile_osr_for(&X64, &info, 0, offset).unwrap();
        let mut cells = cells_loaded(&code.code);
        cells.sort();
        // a, b and acc are live at the header; t0 and t1 are not.
        assert_eq!(cells, [0, 1, 4]);
    }

    /// A loop in unreachable code has an interpreter counter but can never
    /// get hot: asked for anyway, its OSR entry is refused, not an internal
    /// error (found by the `compile` fuzz target, which asks for every loop).
    #[test]
    fn osr_entry_at_an_unreachable_loop_is_refused() {
        let wat = r#"(module (func (result i32)
            (return (i32.const 7))
            (loop $l (br $l))
            (i32.const 0)))"#;
        let info = ModuleInfo::new(&wat::parse_str(wat).unwrap()).unwrap();
        let (bytes, start) = info.body(0);
        // The `loop` operator: the only 0x03 byte after `return`.
        let offset = start + bytes.iter().position(|&b| b == 0x03).expect("a loop");
        match compile_osr_for(&X64, &info, 0, offset) {
            Err(JitError::Unsupported { opcode }) => assert!(opcode.contains("unreachable")),
            other => panic!("expected a refusal, got {:?}", other.map(|c| c.code.len())),
        }
    }
}
