//! AArch64 code generation from allocated IR.
//!
//! The walk over the blocks, the moves the allocation implies and the
//! site tables are the driver's ([`crate::driver::emit`]); this lowers
//! each instruction and lays out frames, entries and the trap exit, with
//! the same contract towards the runtime as the x86-64 back end:
//! offset 0 is the entry stub (array calling convention), the `wasm_call`
//! entry follows, a trap unwinds to the innermost entry stub (see
//! [`frame`]).
//!
//! x28 holds the instance's VMContext and x27 memory 0's base for the
//! whole function. **An i32 is always zero-extended** in a general-purpose
//! register and in a spill slot: every write of a `w` register clears the
//! upper half, so an address register indexes memory as `[x27, w, uxtw]`
//! and a 64-bit store of an i32 leaves a zero-extended cell. A float lives
//! in a vector register (an f32 in its `s` view) or, as raw bits, in a
//! general-purpose register or slot.
//!
//! Every function keeps a frame record (`stp x29, x30`): the trap exit is
//! entered with the site's pc in x30, as by a `bl` (the signal handler
//! sets it for a faulting access), so no function may rely on x30 holding
//! its return address.
//!
//! Spill slots and the outgoing area are addressed from sp, whose offsets
//! are scaled 12-bit immediates: a frame of more than [`MAX_FRAME_WORDS`]
//! words is not compiled (the function stays interpreted).
//!
//! Floating point is lowered in `float`, atomics in `atomics`, calls to
//! the runtime in `libcalls` and landing pads in `handlers`.

use super::abi::{self, CallConv, CALLEE_SAVED_FPRS, CALLEE_SAVED_GPRS};
use super::asm::{Assembler, Cond, Label, Mem, Size, Width};
use super::regs::{Fpr, Gpr};
use crate::driver::{
    self,
    emit::{Driver, Lowering},
    frame::FrameNeeds,
};
use crate::error::JitError;
use crate::ir::{BlockId, Func, Inst, IntCC, List, Ty, VReg};
use crate::isa::{CompiledCode, SiteKind};
use crate::regalloc::{Allocation, PReg};
use std::ops::Range;
use wx_core::TrapCode;

use Gpr::{Sp, X16, X17};

/// The most cases a `br_table` lowers to as a chain of compares; more get
/// a jump table.
pub const BR_TABLE_CHAIN_MAX: usize = 4;

/// Loop headers start on a 16-byte boundary when that costs at most
/// `LOOP_ALIGN_MAX_PAD` bytes of `nop`s.
const LOOP_ALIGN: usize = 16;
const LOOP_ALIGN_MAX_PAD: usize = 12;

/// The most words of spill slots and outgoing area a compiled frame has:
/// every slot must be reachable as `[sp, #8k]` (a scaled 12-bit offset).
pub const MAX_FRAME_WORDS: u32 = 4000;

/// A value's location: a register, or memory.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum L {
    R(Gpr),
    V(Fpr),
    M(Mem),
}

/// Operand size of a value of type `ty` in a general-purpose register.
pub(super) fn size(ty: Ty) -> Size {
    if matches!(ty, Ty::I64 | Ty::F64) {
        Size::S64
    } else {
        Size::S32
    }
}

/// The condition of an integer comparison.
pub(super) fn cond(cc: IntCC) -> Cond {
    match cc {
        IntCC::Eq => Cond::Eq,
        IntCC::Ne => Cond::Ne,
        IntCC::LtS => Cond::Lt,
        IntCC::LtU => Cond::Lo,
        IntCC::GtS => Cond::Gt,
        IntCC::GtU => Cond::Hi,
        IntCC::LeS => Cond::Le,
        IntCC::LeU => Cond::Ls,
        IntCC::GeS => Cond::Ge,
        IntCC::GeU => Cond::Hs,
    }
}

pub(super) struct Emitter<'a> {
    pub(super) f: &'a Func,
    pub(super) alloc: &'a Allocation,
    pub(super) asm: &'a mut Assembler,
    /// The driver's state: locations, labels, sites (see [`driver::emit`]).
    pub(super) d: Driver<L, Label>,
    /// The function's own calling convention.
    pub(super) conv: &'a mut CallConv,
    /// The `wasm_call` entry, the entry stub's landing and the trap exit.
    pub(super) body: Label,
    pub(super) landing: Label,
    pub(super) trap_exit: Label,
    /// Callee-saved registers the allocation uses (saved in the prologue).
    pub(super) saved: &'a mut Vec<Gpr>,
    pub(super) saved_f: &'a mut Vec<Fpr>,
    pub(super) needs: FrameNeeds,
    /// Bytes from x29 down to sp in the body.
    pub(super) frame_bytes: i64,
    /// Functions below this index are imports (calls may cross instances).
    pub(super) imported_funcs: u32,
    /// The CPU has the LSE atomic instructions.
    pub(super) lse: bool,
    /// Cold trap paths, one per site: their label, how the trap arrives,
    /// and the IR instruction it belongs to.
    pub(super) cold: &'a mut Vec<(Label, SiteKind, u32)>,
    /// Epoch checks' slow paths: their label, where they go back to, and
    /// the IR instruction (see [`interrupts`]).
    interrupts: &'a mut Vec<(Label, Label, u32)>,
    /// Call sites' slow paths: (slow-path label, adapter, join label).
    pub(super) slow_calls: &'a mut Vec<(Label, Label, Label)>,
    /// Calls that may have switched instances: the out-of-line path that
    /// restores the VMContext and memory base, and where it goes back to.
    pub(super) restores: &'a mut Vec<(Label, Label)>,
    /// The function's adapters (see [`crate::isa::callconv::Adapters`]).
    pub(super) adapters: &'a mut calls::Adapters,
    /// Jump tables to place after all code: the table's label and the
    /// range of `table_cases` holding its case targets' labels.
    pub(super) tables: &'a mut Vec<(Label, Range<u32>)>,
    pub(super) table_cases: &'a mut Vec<Label>,
    /// Each `br_table`'s jump table, by its target list.
    pub(super) table_of: &'a mut Vec<(List, Label)>,
}

/// Buffers the emitter reuses from one function to the next (per thread).
#[derive(Default)]
struct Scratch {
    asm: Assembler,
    driver: Driver<L, Label>,
    saved: Vec<Gpr>,
    saved_f: Vec<Fpr>,
    conv: CallConv,
    cold: Vec<(Label, SiteKind, u32)>,
    interrupts: Vec<(Label, Label, u32)>,
    slow_calls: Vec<(Label, Label, Label)>,
    restores: Vec<(Label, Label)>,
    adapters: calls::Adapters,
    tables: Vec<(Label, Range<u32>)>,
    table_cases: Vec<Label>,
    table_of: Vec<(List, Label)>,
}

impl Scratch {
    /// Release buffers grown past what a typical function needs.
    fn trim(&mut self) {
        const KEEP: usize = 1 << 16;
        if self.asm.capacity() > 16 * KEEP
            || self.driver.oversized(KEEP)
            || self.adapters.oversized()
        {
            *self = Scratch::default();
        }
    }
}

thread_local! {
    static SCRATCH: std::cell::RefCell<Scratch> = std::cell::RefCell::default();
}

/// Emit `f` as allocated by `alloc`; functions below `imported_funcs`
/// are the module's imports; `lse`: the CPU has the LSE atomics.
pub fn emit(
    f: &Func,
    alloc: &Allocation,
    imported_funcs: u32,
    lse: bool,
) -> Result<CompiledCode, JitError> {
    SCRATCH.with(|cell| match cell.try_borrow_mut() {
        Ok(mut s) => {
            let code = emit_with(f, alloc, imported_funcs, lse, &mut s);
            s.trim();
            code
        }
        Err(_) => emit_with(f, alloc, imported_funcs, lse, &mut Scratch::default()),
    })
}

/// `rd = addr`, a host address, always in four instructions (`movz` and
/// three `movk`): code size and layout then do not depend on where the
/// runtime was loaded.
pub(super) fn mov_address(asm: &mut Assembler, rd: Gpr, addr: u64) {
    asm.movz(Size::S64, rd, addr as u16, 0);
    for shift in [16, 32, 48] {
        asm.movk(Size::S64, rd, (addr >> shift) as u16, shift);
    }
}

/// The location of register `p` (numbered as in [`abi`]).
pub(super) fn reg_loc(p: PReg) -> L {
    if p.0 >= 32 {
        L::V(Fpr::from_enc(p.0 - 32).expect("float registers are v registers"))
    } else {
        L::R(Gpr::from_enc(p.0).expect("integer registers are x registers"))
    }
}

fn emit_with(
    f: &Func,
    alloc: &Allocation,
    imported_funcs: u32,
    lse: bool,
    s: &mut Scratch,
) -> Result<CompiledCode, JitError> {
    let Scratch {
        asm,
        driver,
        saved,
        saved_f,
        conv,
        cold,
        interrupts,
        slow_calls,
        restores,
        adapters,
        tables,
        table_cases,
        table_of,
    } = s;
    asm.reset(f.insts.len() * 12 + 256);
    driver.prepare(f, alloc, BR_TABLE_CHAIN_MAX, || asm.new_label());
    let (body, landing, trap_exit) = (asm.new_label(), asm.new_label(), asm.new_label());
    let needs = FrameNeeds::of(f, imported_funcs, |params, results| {
        CallConv::stack_words_of(params, results)
    });
    let words = alloc.spill_slots + needs.outgoing_words;
    if words > MAX_FRAME_WORDS {
        return Err(JitError::Unsupported {
            opcode: format!("a frame of {words} words (AArch64 compiles up to {MAX_FRAME_WORDS})"),
        });
    }
    let outgoing = i64::from(needs.outgoing_words);
    let used = driver::emit::map_locs(
        f,
        alloc,
        &mut driver.locs,
        reg_loc,
        |k| L::M(Mem::offset(Sp, 8 * (outgoing + i64::from(k)))),
        // Never live: any scratch will do.
        |float| {
            if float {
                L::V(abi::FSCRATCH0)
            } else {
                L::R(X16)
            }
        },
    ) | alloc.loop_splits.iter().fold(0u64, |m, s| m | 1 << s.reg.0);
    // Resuming at a landing pad restores no register: a function with
    // pads saves them all for its caller.
    saved.clear();
    saved.extend(
        CALLEE_SAVED_GPRS
            .into_iter()
            .filter(|&r| f.has_handlers() || used & (1 << abi::gpr(r).0) != 0),
    );
    saved_f.clear();
    saved_f.extend(
        CALLEE_SAVED_FPRS
            .into_iter()
            .filter(|&r| f.has_handlers() || used & (1 << abi::fpr(r).0) != 0),
    );
    // The VMContext (if kept) and the saved registers, then the slots.
    let frame_top = 8 * (i64::from(needs.vmctx_slot) + saved.len() as i64 + saved_f.len() as i64);
    let frame_bytes = (frame_top + 8 * i64::from(words) + 15) & !15;
    conv.reset(f.params.iter().map(|&p| f.ty(p)), &f.results);
    cold.clear();
    interrupts.clear();
    adapters.clear();
    slow_calls.clear();
    restores.clear();
    tables.clear();
    table_cases.clear();
    table_of.clear();
    let mut e = Emitter {
        f,
        alloc,
        asm,
        d: std::mem::take(driver),
        conv,
        body,
        landing,
        trap_exit,
        saved,
        saved_f,
        needs,
        frame_bytes,
        imported_funcs,
        lse,
        cold,
        interrupts,
        slow_calls,
        restores,
        adapters,
        tables,
        table_cases,
        table_of,
    };
    let code = e.function();
    *driver = e.d;
    code
}

impl Emitter<'_> {
    /// The function's code.
    fn function(&mut self) -> Result<CompiledCode, JitError> {
        self.entry_stub();
        self.prologue();
        driver::emit::emit_blocks(self)?;
        self.interrupt_paths();
        self.emit_trap_exit();
        self.call_paths();
        let jump_tables = self.jump_tables();
        let handlers = self.handler_tables();
        let offset = |l: Label| self.asm.label_offset(l).expect("bound") as u32;
        let (wasm_entry, trap_exit) = (offset(self.body), offset(self.trap_exit));
        let code = self
            .asm
            .finish_copy()
            .map_err(|err| JitError::Unsupported {
                opcode: format!("AArch64 encoding: {err}"),
            })?;
        let (sites, calls) = self.d.site_tables(self.f);
        Ok(CompiledCode {
            code,
            wasm_entry,
            trap_exit,
            sites,
            calls,
            frameless: false,
            jump_tables,
            handlers,
        })
    }

    /// Emit the collected jump tables (after all code) and return where
    /// they lie.
    fn jump_tables(&mut self) -> Vec<Range<u32>> {
        let a = &mut *self.asm;
        if self.tables.is_empty() {
            return Vec::new();
        }
        a.align(wx_core::code::CODE_ALIGN);
        let ranges = self
            .tables
            .iter()
            .map(|(table, cases)| {
                a.bind(*table);
                let start = a.offset() as u32;
                for &case in &self.table_cases[cases.start as usize..cases.end as usize] {
                    a.label_diff32(case, *table);
                }
                start..a.offset() as u32
            })
            .collect();
        a.align(wx_core::code::CODE_ALIGN);
        ranges
    }

    /// Where `v` lives.
    pub(super) fn loc(&self, v: VReg) -> L {
        self.d.locs[v.0 as usize]
    }

    /// The width to read an integer value at: 32 bits for an i32 (which
    /// zero-extends it).
    pub(super) fn int_size(&self, v: VReg) -> Size {
        size(self.f.ty(v))
    }

    /// A register holding `v` (loaded into `scratch` if spilled; a float's
    /// raw bits if it is in a vector register).
    #[inline(always)]
    pub(super) fn src(&mut self, v: VReg, scratch: Gpr) -> Gpr {
        match self.loc(v) {
            L::R(r) => r,
            L::V(x) => {
                self.asm.fmov_to_gpr(self.int_size(v), scratch, x);
                scratch
            }
            L::M(m) => {
                self.asm.ldr(self.int_size(v), scratch, m);
                scratch
            }
        }
    }

    /// The register to compute `v` into (`scratch` unless it has one).
    pub(super) fn dst(&self, v: VReg, scratch: Gpr) -> Gpr {
        match self.loc(v) {
            L::R(r) => r,
            L::V(_) | L::M(_) => scratch,
        }
    }

    /// Store `r` to `v`'s slot if `v` is spilled (or move the raw bits into
    /// its vector register if `v` is a float).
    pub(super) fn commit(&mut self, v: VReg, r: Gpr) {
        match self.loc(v) {
            L::R(_) => {}
            L::M(m) => self.asm.str(Size::S64, r, m),
            L::V(x) => self.asm.fmov_to_fpr(self.int_size(v), x, r),
        }
    }

    pub(super) fn mov(&mut self, sz: Size, dst: Gpr, src: Gpr) {
        if dst != src {
            self.asm.mov_rr(sz, dst, src);
        }
    }

    /// A cold path to the trap exit for a site of the current instruction.
    pub(super) fn cold_site(&mut self, kind: SiteKind) -> Label {
        let label = self.asm.new_label();
        self.cold.push((label, kind, self.d.cur_inst));
        label
    }

    pub(super) fn trap(&mut self, code: TrapCode) {
        let label = self.cold_site(SiteKind::Trap(code));
        self.asm.b(label);
    }

    /// Trap with `code` if `cc` holds.
    pub(super) fn trap_if(&mut self, cc: Cond, code: TrapCode) {
        let label = self.cold_site(SiteKind::Trap(code));
        self.asm.b_cond(cc, label);
    }

    /// Jump to a block unless it comes next.
    pub(super) fn goto(&mut self, b: BlockId, next: Option<BlockId>) {
        if !self.is_next(b, next) {
            self.asm.b(self.d.label(b));
        }
    }

    /// Branch on `cc` to `then`, else to `otherwise`.
    pub(super) fn branch(
        &mut self,
        cc: Cond,
        then: BlockId,
        otherwise: BlockId,
        next: Option<BlockId>,
    ) {
        if self.is_next(then, next) {
            self.asm.b_cond(cc.invert(), self.d.label(otherwise));
        } else {
            self.asm.b_cond(cc, self.d.label(then));
            self.goto(otherwise, next);
        }
    }

    /// Note a faulting access just about to be emitted.
    pub(super) fn trap_site(&mut self) {
        self.d
            .fault_site(self.asm.offset() as u32, TrapCode::MemoryOutOfBounds);
    }

    /// Note a call into wasm code just emitted (its return address is here).
    pub(super) fn call_site(&mut self) {
        self.d.call_site(self.f, self.asm.offset() as u32);
    }

    /// `[base + offset]` for a pointer-sized field, through x17 when the
    /// offset does not fit the instruction.
    pub(super) fn field(&mut self, base: Gpr, offset: usize) -> Mem {
        let m = Mem::offset(base, offset as i64);
        if m.fits(Width::X) {
            return m;
        }
        self.asm.mov_imm(Size::S64, X17, offset as u64);
        self.asm.add(Size::S64, X17, base, X17);
        Mem::base(X17)
    }

    fn inst(&mut self, inst: &Inst, next: Option<BlockId>) -> Result<(), JitError> {
        match *inst {
            Inst::Const { dst, bits, ty } => self.constant(ty, dst, bits),
            Inst::Move { dst, src, ty } => {
                let (d, s) = (self.loc(dst), self.loc(src));
                if !moves::same(&d, &s) {
                    self.move_one(&moves::Move { dst: d, src: s, ty });
                }
            }
            Inst::IBin { op, ty, dst, a, b } => self.ibin(op, ty, dst, a, b),
            Inst::IBinImm {
                op,
                ty,
                dst,
                a,
                imm,
            } => self.ibin_imm(op, ty, dst, a, imm),
            Inst::IDiv { op, ty, dst, a, b } => self.idiv(op, ty, dst, a, Err(b)),
            Inst::IDivImm {
                op,
                ty,
                dst,
                a,
                divisor,
            } => self.idiv(op, ty, dst, a, Ok(divisor)),
            Inst::IUn { op, ty, dst, src } => self.iun(op, ty, dst, src),
            Inst::Eqz { ty, dst, src } => {
                let r = self.src(src, X16);
                self.asm.cmp_imm(size(ty), r, 0);
                self.set_flag(Cond::Eq, dst);
            }
            Inst::ICmp { ty, cc, dst, a, b } => {
                self.cmp(ty, a, crate::ir::CmpRhs::Reg(b));
                self.set_flag(cond(cc), dst);
            }
            Inst::ICmpImm {
                cc,
                ty,
                dst,
                a,
                imm,
            } => {
                self.cmp(ty, a, crate::ir::CmpRhs::Imm(imm));
                self.set_flag(cond(cc), dst);
            }
            Inst::Select {
                ty,
                dst,
                cond: c,
                a,
                b,
            } => {
                let rc = self.src(c, X16);
                self.asm.cmp_imm(Size::S32, rc, 0);
                self.select(ty, Cond::Ne, dst, a, b);
            }
            Inst::SelectCmp {
                ty,
                dst,
                cc,
                cmp_ty,
                x,
                y,
                a,
                b,
            } => {
                self.cmp(cmp_ty, x, y);
                self.select(ty, cond(cc), dst, a, b);
            }
            Inst::Convert {
                op,
                from,
                to,
                dst,
                src,
            } => self.convert(op, from, to, dst, src)?,
            Inst::Load {
                ty,
                kind,
                dst,
                addr,
                offset,
            } => self.load(ty, kind, dst, addr, offset),
            Inst::Store {
                ty,
                kind,
                addr,
                value,
                offset,
            } => self.store(ty, kind, addr, value, offset),
            Inst::GlobalGet { ty, dst, index } => self.global_get(ty, dst, index),
            Inst::GlobalSet { ty, src, index } => self.global_set(ty, src, index),
            Inst::Call { func, args, rets } => self.call(func, args, rets)?,
            Inst::CallIndirect {
                sig,
                table,
                index,
                args,
                rets,
            } => self.call_indirect(sig, table, index, args, rets),
            Inst::FuncRef { dst, func } => self.func_ref(dst, func),
            Inst::TableSize { table, dst } => self.table_size(table, dst),
            Inst::TableGet { table, dst, index } => self.table_get(table, dst, index),
            Inst::TableSet {
                table,
                index,
                value,
            } => self.table_set(table, index, value),
            Inst::Libcall {
                call: crate::ir::Libcall::MemorySize,
                rets,
                ..
            } => self.memory_size(rets),
            Inst::Libcall { call, args, rets } => self.libcall(call, args, rets)?,
            Inst::AtomicLoad { .. }
            | Inst::AtomicStore { .. }
            | Inst::AtomicRmw { .. }
            | Inst::AtomicCmpxchg { .. }
            | Inst::AtomicFence => self.atomic(*inst)?,
            Inst::EpochCheck => self.epoch_check(),
            Inst::ConsumeFuel => self.consume_fuel(),
            Inst::Jump { target } => self.goto(target, next),
            Inst::Branch {
                cond: c,
                then,
                otherwise,
            } => {
                let r = self.src(c, X16);
                if self.is_next(then, next) {
                    self.asm.cbz(Size::S32, r, self.d.label(otherwise));
                } else {
                    self.asm.cbnz(Size::S32, r, self.d.label(then));
                    self.goto(otherwise, next);
                }
            }
            Inst::BranchCmp {
                cc,
                ty,
                a,
                b,
                then,
                otherwise,
            } => {
                self.cmp(ty, a, crate::ir::CmpRhs::Reg(b));
                self.branch(cond(cc), then, otherwise, next);
            }
            Inst::BranchCmpImm {
                cc,
                ty,
                a,
                imm,
                then,
                otherwise,
            } => {
                self.cmp(ty, a, crate::ir::CmpRhs::Imm(imm));
                self.branch(cond(cc), then, otherwise, next);
            }
            Inst::BrTable { index, targets } => {
                let f = self.f;
                let (&default, cases) = f
                    .list_items(targets)
                    .split_last()
                    .ok_or_else(|| JitError::Internal("br_table without a default".into()))?;
                self.br_table(index, targets, cases, default, next)?;
            }
            Inst::Return { values } => {
                let f = self.f;
                self.ret(f.list_items(values));
            }
            Inst::Trap { code } => self.trap(code),
            Inst::Landing { clause, rets } => self.landing(clause, rets),
            Inst::Throwing { next: target, .. } => self.goto(target, next),
            Inst::FBin { op, ty, dst, a, b } => self.fbin(op, ty, dst, a, b),
            Inst::FUn { op, ty, dst, src } => self.fun(op, ty, dst, src),
            Inst::FCmp { cc, ty, dst, a, b } => self.fcmp(cc, ty, dst, a, b),
            Inst::BranchFCmp {
                cc,
                ty,
                a,
                b,
                then,
                otherwise,
            } => self.branch_fcmp(cc, ty, a, b, then, otherwise, next),
        }
        Ok(())
    }

    /// `br_table`: `cases[i]` for an index `i < cases.len()`, else `default`.
    fn br_table(
        &mut self,
        index: VReg,
        targets: List,
        cases: &[u32],
        default: u32,
        next: Option<BlockId>,
    ) -> Result<(), JitError> {
        let r = self.src(index, X16);
        if cases.len() <= BR_TABLE_CHAIN_MAX {
            for (i, &b) in cases.iter().enumerate() {
                self.asm.cmp_imm(Size::S32, r, i as i64);
                self.asm.b_cond(Cond::Eq, self.d.label(BlockId(b)));
            }
            self.goto(BlockId(default), next);
            return Ok(());
        }
        let n = u32::try_from(cases.len())
            .map_err(|_| JitError::Internal(format!("br_table of {} cases", cases.len())))?;
        if crate::isa::aarch64::asm::fits_add_imm(u64::from(n)) {
            self.asm.cmp_imm(Size::S32, r, i64::from(n));
        } else {
            self.asm.mov_imm(Size::S32, X17, u64::from(n));
            self.asm.cmp(Size::S32, r, X17);
        }
        self.asm.b_cond(Cond::Hs, self.d.label(BlockId(default)));
        let shared = self.table_of.iter().find(|&&(l, _)| l == targets);
        let table = match shared {
            Some(&(_, table)) => table,
            None => {
                let table = self.asm.new_label();
                let start = self.table_cases.len() as u32;
                let labels = &self.d;
                self.table_cases
                    .extend(cases.iter().map(|&b| labels.label(BlockId(b))));
                self.tables
                    .push((table, start..self.table_cases.len() as u32));
                self.table_of.push((targets, table));
                table
            }
        };
        self.asm.adr(X17, table);
        self.asm.ldrsw(X16, Mem::uxtw(X17, r, true));
        self.asm.add(Size::S64, X16, X17, X16);
        self.asm.br(X16);
        Ok(())
    }
}

impl<'a> Lowering<'a> for Emitter<'a> {
    type Loc = L;
    type Label = Label;

    fn func(&self) -> &'a Func {
        self.f
    }

    fn alloc(&self) -> &'a Allocation {
        self.alloc
    }

    fn driver(&mut self) -> &mut Driver<L, Label> {
        &mut self.d
    }

    fn driver_ref(&self) -> &Driver<L, Label> {
        &self.d
    }

    fn reg_loc(&self, p: PReg) -> L {
        reg_loc(p)
    }

    fn slot_loc(&self, k: u32) -> L {
        L::M(Mem::offset(
            Sp,
            8 * (i64::from(self.needs.outgoing_words) + i64::from(k)),
        ))
    }

    fn start_block(&mut self, b: BlockId, loop_header: bool) {
        if loop_header {
            self.asm.align_code(LOOP_ALIGN, LOOP_ALIGN_MAX_PAD);
        }
        self.asm.bind(self.d.label(b));
    }

    fn enter_pad(&mut self) {
        self.restore_frame_at_pad();
    }

    fn lower(&mut self, inst: &Inst, next: Option<BlockId>) -> Result<(), JitError> {
        self.inst(inst, next)
    }
}

mod atomics;
mod calls;
mod float;
mod frame;
mod handlers;
mod int;
mod interrupts;
mod libcalls;
mod mem;
mod moves;
#[cfg(test)]
mod tests;
