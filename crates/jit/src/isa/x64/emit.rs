//! x86-64 code generation from allocated IR.
//!
//! Every compiled function has two entries. Offset 0 is the *entry stub*,
//! which implements the array calling convention of the entry slots
//! (`wx_core::vm::ArrayCall`: `(callee, caller_vmctx, values, len) ->
//! status`) for Rust callers: the host and the interpreter. The
//! `wasm_call` entry ([`CompiledCode::wasm_entry`]) is the function itself,
//! with the register-based wasm calling convention of
//! [`crate::isa::x64::abi`], which compiled code uses to call compiled code
//! (see [`calls`]). A trap does not return through the frames: it unwinds
//! to the innermost entry stub, which returns the trap code (see [`frame`]).
//!
//! r14 holds the instance's VMContext and r15 memory 0's base for the whole
//! function. Loads and stores rely on the guard region: the address is the
//! zero-extended 32-bit operand plus the static offset, and a fault at a
//! recorded trap site is an out-of-bounds access.
//!
//! **An i32 is always zero-extended** in a general-purpose register and in
//! a spill slot: every 32-bit x86 instruction clears the upper half of its
//! destination, i32s are loaded from memory 32 bits wide, and the few
//! places that could leave garbage above bit 31 (a C function's `u32`
//! result, an f32's bits) clear it. So an address register indexes memory
//! as it is, with no zero-extending move per access.
//!
//! `memory.size`, `table.size`, `table.get`/`table.set` (bounds-checked
//! against the `VMTable`) and `ref.func` (the entry slot's address) are
//! inline. `memory.grow` and the bulk operations call their function in
//! `wx_core::libcalls` by address, with the C ABI: the VMContext, the index
//! immediates, then the operands (passed through the outgoing area, since
//! they may sit in argument registers). A libcall that can trap returns a
//! status, and a non-zero one is taken to the trap exit (through a cold
//! path of its own) as the trap code.
//! Floating point and the float conversions are in
//! [`float`].
//!
//! `br_table` with more than [`BR_TABLE_CHAIN_MAX`] cases dispatches through
//! a jump table: after an unsigned bounds check of the 32-bit index (values
//! `>= n` take the default),
//!
//! ```text
//! mov   r10d, index                ; zero-extends the u32 index
//! lea   r11, [rip + table]
//! movsxd r10, dword [r11 + r10*4]  ; the case's offset from the table
//! add   r10, r11
//! jmp   r10
//! ```
//!
//! The tables come after all code, on cache lines of their own (data
//! read from a line that also holds running code slows both down), one 32-bit
//! offset per case relative to the table's start (so the code stays
//! position-independent); [`CompiledCode::jump_tables`] says where they lie,
//! since those bytes are not instructions.

use std::ops::Range;

use super::abi::{self, CallConv, CALLEE_SAVED_GPRS};
use super::asm::{AluOp, Assembler, Cond, ExtMode, Label, Mem, Scale, ShiftOp, Size};
use super::regs::{Gpr, Xmm};
use crate::driver::{
    self,
    emit::{Driver, Lowering},
    frame::FrameNeeds,
};
use crate::error::JitError;
use crate::ir::{BlockId, CmpRhs, ConvOp, Func, Inst, IntCC, Libcall, List, MemKind, Ty, VReg};
pub use crate::isa::CompiledCode;
use crate::isa::SiteKind;
use crate::regalloc::{Allocation, PReg};
use wx_core::vm::{VMContext, VMFuncRef, VMMemory, VMTable};
use wx_core::TrapCode;

use Gpr::{Rbp, Rsp, R10, R11, R14, R15};

/// The most cases a `br_table` lowers to as a chain of compares; more get a
/// jump table. Up to here the chain's compares cost about what the table's
/// bounds check, load and indirect jump do.
pub const BR_TABLE_CHAIN_MAX: usize = 4;

/// Loop headers start on a 32-byte boundary when that costs at most
/// `LOOP_ALIGN_MAX_PAD` bytes of `nop`s (executed once, on entry).
const LOOP_ALIGN: usize = 32;
const LOOP_ALIGN_MAX_PAD: usize = 15;

/// A value's location: a register, or memory.
#[derive(Clone, Copy, Debug)]
enum L {
    R(Gpr),
    X(Xmm),
    M(Mem),
}

struct Emitter<'a> {
    f: &'a Func,
    alloc: &'a Allocation,
    asm: &'a mut Assembler,
    /// The driver's state: locations, labels, sites (see [`driver::emit`]).
    d: Driver<L, Label>,
    /// The function's own calling convention.
    conv: &'a mut CallConv,
    /// The `wasm_call` entry, the entry stub's landing and the trap exit.
    body: Label,
    landing: Label,
    trap_exit: Label,
    /// Callee-saved registers the allocation uses (saved in the prologue).
    saved: &'a mut Vec<Gpr>,
    /// What the function needs of its frame (see [`FrameNeeds`]).
    needs: FrameNeeds,
    /// Bytes pushed below rbp: the VMContext (if kept) and `saved`.
    frame_top: i32,
    /// Functions below this index are imports (calls may cross instances).
    imported_funcs: u32,
    /// Cold trap paths, one per site: their label, how the trap arrives,
    /// and the IR instruction it belongs to.
    cold: &'a mut Vec<(Label, SiteKind, u32)>,
    /// Epoch checks' slow paths: their label, where they go back to, and
    /// the IR instruction (see [`interrupts`]).
    interrupts: &'a mut Vec<(Label, Label, u32)>,
    /// Call sites' slow paths: (slow-path label, adapter, join label).
    slow_calls: &'a mut Vec<(Label, Label, Label, Mem)>,
    /// Calls that may have switched instances: the out-of-line path that
    /// restores the VMContext and memory base, and where it goes back to.
    restores: &'a mut Vec<(Label, Label)>,
    /// The function's adapters (see [`crate::isa::callconv::Adapters`]).
    adapters: &'a mut calls::Adapters,
    /// Jump tables to place after all code: the table's label and the
    /// range of `table_cases` holding its case targets' labels.
    tables: &'a mut Vec<(Label, Range<u32>)>,
    table_cases: &'a mut Vec<Label>,
    /// Each `br_table`'s jump table, by its target list (copies of a
    /// dispatch block share their original's table).
    table_of: &'a mut Vec<(List, Label)>,
    /// Entry stubs of earlier functions (see [`Emitter::entry_stub`]).
    stubs: &'a mut Vec<frame::CachedStub>,
}

/// Spill slot `k` of a frame with `frame_top` bytes pushed below rbp.
fn slot(frame_top: i32, k: u32) -> Mem {
    Mem::new(Rbp, -frame_top - 8 - 8 * k as i32)
}

/// Operand size of a value of type `ty` in a general-purpose register
/// (floats move through them as raw bits).
fn size(ty: Ty) -> Size {
    if matches!(ty, Ty::I64 | Ty::F64) {
        Size::S64
    } else {
        Size::S32
    }
}

fn cond(cc: IntCC) -> Cond {
    match cc {
        IntCC::Eq => Cond::E,
        IntCC::Ne => Cond::Ne,
        IntCC::LtS => Cond::L,
        IntCC::LtU => Cond::B,
        IntCC::GtS => Cond::G,
        IntCC::GtU => Cond::A,
        IntCC::LeS => Cond::Le,
        IntCC::LeU => Cond::Be,
        IntCC::GeS => Cond::Ge,
        IntCC::GeU => Cond::Ae,
    }
}

/// Buffers the emitter reuses from one function to the next (per thread),
/// so that emitting a function allocates only what it returns.
#[derive(Default)]
struct Scratch {
    asm: Assembler,
    driver: Driver<L, Label>,
    saved: Vec<Gpr>,
    conv: CallConv,
    cold: Vec<(Label, SiteKind, u32)>,
    interrupts: Vec<(Label, Label, u32)>,
    slow_calls: Vec<(Label, Label, Label, Mem)>,
    restores: Vec<(Label, Label)>,
    adapters: calls::Adapters,
    tables: Vec<(Label, Range<u32>)>,
    table_cases: Vec<Label>,
    table_of: Vec<(List, Label)>,
    stubs: Vec<frame::CachedStub>,
}

impl Scratch {
    /// Release buffers grown past what a typical function needs, so one
    /// huge function does not pin its memory for the thread's life.
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
/// are the module's imports.
pub fn emit(f: &Func, alloc: &Allocation, imported_funcs: u32) -> Result<CompiledCode, JitError> {
    SCRATCH.with(|cell| match cell.try_borrow_mut() {
        Ok(mut s) => {
            let code = emit_with(f, alloc, imported_funcs, &mut s);
            s.trim();
            code
        }
        Err(_) => emit_with(f, alloc, imported_funcs, &mut Scratch::default()),
    })
}

/// [`emit`] with the given scratch buffers (borrowed in place: they stay
/// in `s` for the next function).
fn emit_with(
    f: &Func,
    alloc: &Allocation,
    imported_funcs: u32,
    s: &mut Scratch,
) -> Result<CompiledCode, JitError> {
    let Scratch {
        asm,
        driver,
        saved,
        conv,
        cold,
        interrupts,
        slow_calls,
        restores,
        adapters,
        tables,
        table_cases,
        table_of,
        stubs,
    } = s;
    asm.reset(f.insts.len() * 8 + 128);
    driver.prepare(f, alloc, BR_TABLE_CHAIN_MAX, || asm.new_label());
    let (body, landing, trap_exit) = (asm.new_label(), asm.new_label(), asm.new_label());
    let needs = FrameNeeds::of(f, imported_funcs, |params, results| {
        CallConv::stack_words_of(params, results)
    });
    // The locations and the registers used, in one pass: the slots assume
    // no callee-saved register is pushed, and move down if one is.
    let vmctx_top = 8 * needs.vmctx_slot as i32;
    let used = driver::emit::map_locs(
        f,
        alloc,
        &mut driver.locs,
        reg_loc,
        |k| L::M(slot(vmctx_top, k)),
        // Never live: any scratch will do.
        |float| if float { L::X(Xmm::Xmm15) } else { L::R(R11) },
    ) | alloc.loop_splits.iter().fold(0u64, |m, s| m | 1 << s.reg.0);
    saved.clear();
    // Resuming at a landing pad restores no register: a function with
    // pads saves them all for its caller.
    saved.extend(
        CALLEE_SAVED_GPRS
            .into_iter()
            .filter(|&r| f.has_handlers() || used & (1 << abi::gpr(r).0) != 0),
    );
    let frame_top = vmctx_top + 8 * saved.len() as i32;
    if frame_top != vmctx_top && alloc.spill_slots > 0 {
        for l in driver.locs.iter_mut() {
            if let L::M(m) = l {
                m.disp -= frame_top - vmctx_top;
            }
        }
    }
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
        frame_top,
        saved,
        needs,
        imported_funcs,
        cold,
        interrupts,
        slow_calls,
        restores,
        adapters,
        tables,
        table_cases,
        table_of,
        stubs,
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
        self.trap_exit();
        self.call_paths();
        let jump_tables = self.jump_tables();
        let handlers = self.handler_tables();
        let offset = |l: Label| self.asm.label_offset(l).expect("bound") as u32;
        let (wasm_entry, trap_exit) = (offset(self.body), offset(self.trap_exit));
        let code = self
            .asm
            .finish_copy()
            .map_err(|err| JitError::Internal(err.to_string()))?;
        let (sites, calls) = self.d.site_tables(self.f);
        Ok(CompiledCode {
            code,
            wasm_entry,
            trap_exit,
            sites,
            calls,
            frameless: self.frameless(),
            jump_tables,
            handlers,
        })
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
        L::M(self.slot(k))
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

    #[inline]
    fn lower(&mut self, inst: &Inst, next: Option<BlockId>) -> Result<(), JitError> {
        match *inst {
            // The commonest instructions, straight from here rather than
            // through the large frame `inst` sets up for all.
            Inst::IBinImm {
                op,
                ty,
                dst,
                a,
                imm,
            } => {
                self.ibin_imm(op, ty, dst, a, imm);
                Ok(())
            }
            Inst::IBin { op, ty, dst, a, b } => self.ibin(op, ty, dst, a, b),
            _ => self.inst(inst, next),
        }
    }
}

/// The location of register `p` (numbered as in [`abi`]).
fn reg_loc(p: PReg) -> L {
    if p.0 >= 32 {
        L::X(Xmm::from_enc(p.0 - 32).expect("float registers are xmm"))
    } else {
        L::R(Gpr::from_enc(p.0).expect("integer registers are gprs"))
    }
}

impl Emitter<'_> {
    /// Emit the collected jump tables (after all code) and return
    /// where they lie.
    fn jump_tables(&mut self) -> Vec<Range<u32>> {
        let a = &mut self.asm;
        if self.tables.is_empty() {
            return Vec::new();
        }
        // Whole cache lines of their own (see `wx_core::code::CODE_ALIGN`:
        // code starts on a line, so offsets here are line offsets too).
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

    /// `br_table`: `cases[i]` for an index `i < cases.len()`, else `default`
    /// (`targets` is the instruction's list, naming its jump table).
    fn br_table(
        &mut self,
        index: VReg,
        targets: List,
        cases: &[u32],
        default: u32,
        next: Option<BlockId>,
    ) -> Result<(), JitError> {
        let r = self.src(index, R10);
        if cases.len() <= BR_TABLE_CHAIN_MAX {
            for (i, &b) in cases.iter().enumerate() {
                self.asm.alu_ri(AluOp::Cmp, Size::S32, r, i as i32);
                self.asm.jcc(Cond::E, self.d.label(BlockId(b)));
            }
            self.goto(BlockId(default), next);
            return Ok(());
        }
        let n = i32::try_from(cases.len())
            .map_err(|_| JitError::Internal(format!("br_table of {} cases", cases.len())))?;
        self.asm.alu_ri(AluOp::Cmp, Size::S32, r, n);
        self.asm.jcc(Cond::Ae, self.d.label(BlockId(default)));
        let r = self.clear_of_r11(r);
        let shared = self.table_of.iter().find(|&&(l, _)| l == targets);
        let table = match shared {
            Some(&(_, table)) => table,
            None => {
                let table = self.asm.new_label();
                let start = self.table_cases.len() as u32;
                self.table_cases
                    .extend(cases.iter().map(|&b| self.d.label(BlockId(b))));
                self.tables
                    .push((table, start..self.table_cases.len() as u32));
                self.table_of.push((targets, table));
                table
            }
        };
        self.asm.lea_label(R11, table);
        self.asm
            .movsx_rm(ExtMode::LQ, R10, Mem::indexed(R11, r, Scale::X4, 0));
        self.asm.alu_rr(AluOp::Add, Size::S64, R10, R11);
        self.asm.jmp_r(R10);
        Ok(())
    }

    /// Where `v` lives (a never-live vreg: a scratch register of its class).
    fn loc(&self, v: VReg) -> L {
        self.d.locs[v.0 as usize]
    }

    /// Spill slot `k`.
    fn slot(&self, k: u32) -> Mem {
        slot(self.frame_top, k)
    }

    /// A register holding `v` (loaded into `scratch` if spilled).
    /// (Inline for the common case, a value in a register: operands are
    /// read this way several times per instruction.)
    #[inline(always)]
    fn src(&mut self, v: VReg, scratch: Gpr) -> Gpr {
        match self.loc(v) {
            L::R(r) => r,
            loc => self.src_elsewhere(v, loc, scratch),
        }
    }

    /// [`Emitter::src`] of `v` at `loc`, not a general-purpose register.
    #[inline(never)]
    fn src_elsewhere(&mut self, v: VReg, loc: L, scratch: Gpr) -> Gpr {
        match loc {
            L::R(r) => r,
            L::X(x) => {
                // A float read as raw bits.
                let size = if self.f.ty(v) == Ty::F32 {
                    Size::S32
                } else {
                    Size::S64
                };
                self.asm.movd_from_xmm(size, scratch, x);
                scratch
            }
            L::M(m) => {
                self.asm.load(self.int_size(v), scratch, m);
                scratch
            }
        }
    }

    /// The width to read an integer value at: 32 bits for an i32, which
    /// zero-extends it (see the invariant in the module docs).
    fn int_size(&self, v: VReg) -> Size {
        if self.f.ty(v) == Ty::I32 {
            Size::S32
        } else {
            Size::S64
        }
    }

    /// Put `v`'s value in `d` (a move, or a load when spilled). (Inline
    /// for a value in a register, as [`Emitter::src`].)
    #[inline(always)]
    fn src_into(&mut self, v: VReg, d: Gpr) {
        match self.loc(v) {
            L::R(r) => self.mov(Size::S64, d, r),
            loc => self.src_into_elsewhere(v, loc, d),
        }
    }

    /// [`Emitter::src_into`] of `v` at `loc`, not a general-purpose register.
    #[inline(never)]
    fn src_into_elsewhere(&mut self, v: VReg, loc: L, d: Gpr) {
        match loc {
            L::M(m) => self.asm.load(self.int_size(v), d, m),
            _ => {
                let r = self.src(v, d);
                self.mov(Size::S64, d, r);
            }
        }
    }

    /// The register to compute `v` into (`scratch` if spilled).
    fn dst(&self, v: VReg, scratch: Gpr) -> Gpr {
        match self.loc(v) {
            L::R(r) => r,
            L::X(_) | L::M(_) => scratch,
        }
    }

    /// Store `r` to `v`'s slot if `v` is spilled (or move raw bits into
    /// its xmm register if `v` is a float). (Inline for a value in a
    /// register, which needs nothing.)
    #[inline(always)]
    fn commit(&mut self, v: VReg, r: Gpr) {
        match self.loc(v) {
            L::R(_) => {}
            loc => self.commit_elsewhere(loc, r),
        }
    }

    /// [`Emitter::commit`] to `loc`, not a general-purpose register.
    #[inline(never)]
    fn commit_elsewhere(&mut self, loc: L, r: Gpr) {
        match loc {
            L::M(m) => self.asm.store(Size::S64, m, r),
            L::X(x) => self.asm.movd_to_xmm(Size::S64, x, r),
            L::R(_) => {}
        }
    }

    fn mov(&mut self, sz: Size, dst: Gpr, src: Gpr) {
        if dst != src {
            self.asm.mov_rr(sz, dst, src);
        }
    }

    /// A cold path to the trap exit for a site of the current instruction
    /// (placed after all other code by [`Emitter::trap_exit`]): one per
    /// site, so the exit knows where the trap happened.
    pub(super) fn cold_site(&mut self, kind: SiteKind) -> Label {
        let label = self.asm.new_label();
        self.cold.push((label, kind, self.d.cur_inst));
        label
    }

    fn cold_trap(&mut self, code: TrapCode) -> Label {
        self.cold_site(SiteKind::Trap(code))
    }

    fn trap(&mut self, code: TrapCode) {
        let label = self.cold_trap(code);
        self.asm.jmp(label);
    }

    /// Trap with `code` if `cc` holds: a branch to the cold path, not
    /// taken on the hot one.
    fn trap_if(&mut self, cc: Cond, code: TrapCode) {
        let label = self.cold_trap(code);
        self.asm.jcc(cc, label);
    }

    /// Jump to a block unless it comes next.
    fn goto(&mut self, b: BlockId, next: Option<BlockId>) {
        if !self.is_next(b, next) {
            self.asm.jmp(self.d.label(b));
        }
    }

    /// Branch on `cc` to `then`, else to `otherwise`.
    fn branch(&mut self, cc: Cond, then: BlockId, otherwise: BlockId, next: Option<BlockId>) {
        if self.is_next(then, next) {
            self.asm.jcc(cc.invert(), self.d.label(otherwise));
        } else {
            self.asm.jcc(cc, self.d.label(then));
            self.goto(otherwise, next);
        }
    }

    fn set_flag(&mut self, cc: Cond, dst: VReg) {
        let d = self.dst(dst, R10);
        self.asm.setcc(cc, R11);
        self.asm.movzx_rr(ExtMode::BL, d, R11);
        self.commit(dst, d);
    }

    /// The memory operand for `addr + offset`. The i32 address is already
    /// zero-extended in its register (or loaded into r10 if spilled).
    fn address(&mut self, addr: VReg, offset: u32) -> Mem {
        let ra = self.src(addr, R10);
        // (r11 may hold the value being stored.)
        self.memory_operand(ra, offset, R10)
    }

    /// The memory operand for `[memory 0 + ra + offset]`, `ra` holding a
    /// zero-extended i32 address. Offsets past 2^31 do not fit a
    /// displacement: they are added to a copy in `scratch`, in steps.
    pub(super) fn memory_operand(&mut self, ra: Gpr, offset: u32, scratch: Gpr) -> Mem {
        if offset <= i32::MAX as u32 {
            return Mem::indexed(R15, ra, Scale::X1, offset as i32);
        }
        self.mov(Size::S64, scratch, ra);
        let mut rest = offset as u64;
        while rest > 0 {
            let step = rest.min(i32::MAX as u64);
            self.asm.alu_ri(AluOp::Add, Size::S64, scratch, step as i32);
            rest -= step;
        }
        Mem::indexed(R15, scratch, Scale::X1, 0)
    }

    /// Store call arguments to the outgoing area.
    fn store_args(&mut self, args: crate::ir::List) {
        let f = self.f;
        for (i, &v) in f.list_items(args).iter().enumerate() {
            let r = self.src(VReg(v), R10);
            self.asm.store(Size::S64, Mem::new(Rsp, 8 * i as i32), r);
        }
    }

    /// Load table `table`'s `VMTable` pointer into r11.
    fn table_ptr(&mut self, table: u32) {
        self.asm.load(
            Size::S64,
            R11,
            Mem::new(R14, std::mem::offset_of!(VMContext, tables) as i32),
        );
        self.asm
            .load(Size::S64, R11, Mem::new(R11, 8 * table as i32));
    }

    /// The address of element `index` of table `table` (based on r11,
    /// indexed by the index's register or r10), after trapping with
    /// `out_of_bounds` if it is out of bounds.
    fn table_slot(&mut self, table: u32, index: VReg, out_of_bounds: TrapCode) -> Mem {
        let r = self.src(index, R10);
        let r = self.clear_of_r11(r);
        self.table_ptr(table);
        self.asm.alu_rm(
            AluOp::Cmp,
            Size::S32,
            r,
            Mem::new(R11, std::mem::offset_of!(VMTable, len) as i32),
        );
        self.trap_if(Cond::Ae, out_of_bounds);
        self.asm.load(
            Size::S64,
            R11,
            Mem::new(R11, std::mem::offset_of!(VMTable, base) as i32),
        );
        Mem::indexed(R11, r, Scale::X8, 0)
    }

    /// A register holding the i32 index in `r` (zero-extended, as every
    /// i32 in a register, so it indexes memory in place) that survives
    /// writing r11: `r` itself, or r10 with a copy.
    fn clear_of_r11(&mut self, r: Gpr) -> Gpr {
        if r == R11 {
            self.asm.mov_rr(Size::S32, R10, r);
            R10
        } else {
            r
        }
    }

    fn trap_site(&mut self) {
        self.d
            .fault_site(self.asm.offset() as u32, TrapCode::MemoryOutOfBounds);
    }

    /// Note a call into wasm code just emitted (its return address is here).
    pub(super) fn call_site(&mut self) {
        self.d.call_site(self.f, self.asm.offset() as u32);
    }

    fn inst(&mut self, inst: &Inst, next: Option<BlockId>) -> Result<(), JitError> {
        match *inst {
            Inst::Const { dst, bits, ty } => {
                let d = self.dst(dst, R10);
                let bits = if ty == Ty::I32 {
                    bits as u32 as u64
                } else {
                    bits
                };
                self.asm.mov_imm64(d, bits);
                self.commit(dst, d);
            }
            Inst::Move { dst, src, ty } => {
                // Nothing when both share a location; floats stay in xmm
                // registers.
                let (d, s) = (self.loc(dst), self.loc(src));
                if !moves::same(&d, &s) {
                    self.move_one(&moves::Move { dst: d, src: s, ty });
                }
            }
            Inst::IBin { op, ty, dst, a, b } => self.ibin(op, ty, dst, a, b)?,
            Inst::IBinImm {
                op,
                ty,
                dst,
                a,
                imm,
            } => self.ibin_imm(op, ty, dst, a, imm),
            Inst::IDiv { op, ty, dst, a, b } => self.idiv(op, ty, dst, a, b),
            Inst::IDivImm {
                op,
                ty,
                dst,
                a,
                divisor,
            } => self.idiv_imm(op, ty, dst, a, divisor),
            Inst::IUn { op, ty, dst, src } => self.iun(op, ty, dst, src),
            Inst::Eqz { ty, dst, src } => {
                let r = self.src(src, R10);
                self.asm.test_rr(size(ty), r, r);
                self.set_flag(Cond::E, dst);
            }
            Inst::ICmp { cc, ty, dst, a, b } => {
                self.cmp(ty, a, CmpRhs::Reg(b), IntCC::Ne);
                self.set_flag(cond(cc), dst);
            }
            Inst::ICmpImm {
                cc,
                ty,
                dst,
                a,
                imm,
            } => {
                self.cmp(ty, a, CmpRhs::Imm(imm), cc);
                self.set_flag(cond(cc), dst);
            }
            Inst::Select {
                ty,
                dst,
                cond: c,
                a,
                b,
            } => {
                let rc = self.src(c, R11);
                self.asm.test_rr(Size::S32, rc, rc);
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
                self.cmp(cmp_ty, x, y, cc);
                self.select(ty, cond(cc), dst, a, b);
            }
            Inst::Convert {
                op,
                from,
                to,
                dst,
                src,
            } => {
                let rs = self.src(src, R10);
                let d = self.dst(dst, R10);
                match op {
                    ConvOp::I32WrapI64 | ConvOp::I64ExtendI32U => self.asm.mov_rr(Size::S32, d, rs),
                    ConvOp::I64ExtendI32S => self.asm.movsx_rr(ExtMode::LQ, d, rs),
                    // Same bits: `src`/`commit` move them between register
                    // files. An f32's register or slot may carry garbage
                    // above its 32 bits, which an i32 must not.
                    ConvOp::Reinterpret if to == Ty::I32 => self.asm.mov_rr(Size::S32, d, rs),
                    ConvOp::Reinterpret => self.mov(Size::S64, d, rs),
                    _ => return self.fconvert(op, from, to, dst, src),
                }
                self.commit(dst, d);
            }
            Inst::Load {
                ty,
                kind,
                dst,
                addr,
                offset,
            } => {
                let m = self.address(addr, offset);
                if let L::X(x) = self.loc(dst) {
                    // A float straight into its xmm register.
                    self.trap_site();
                    self.asm.fload(float::fsize(ty), x, m);
                    return Ok(());
                }
                let d = self.dst(dst, R11);
                self.trap_site();
                let wide = ty == Ty::I64;
                match kind {
                    MemKind::Full => self.asm.load(size(ty), d, m),
                    MemKind::U8 => self.asm.movzx_rm(ExtMode::BL, d, m),
                    MemKind::S8 => {
                        self.asm
                            .movsx_rm(if wide { ExtMode::BQ } else { ExtMode::BL }, d, m)
                    }
                    MemKind::U16 => self.asm.movzx_rm(ExtMode::WL, d, m),
                    MemKind::S16 => {
                        self.asm
                            .movsx_rm(if wide { ExtMode::WQ } else { ExtMode::WL }, d, m)
                    }
                    MemKind::U32 => self.asm.load(Size::S32, d, m),
                    MemKind::S32 => self.asm.movsx_rm(ExtMode::LQ, d, m),
                }
                self.commit(dst, d);
            }
            Inst::AtomicLoad { .. }
            | Inst::AtomicStore { .. }
            | Inst::AtomicRmw { .. }
            | Inst::AtomicCmpxchg { .. }
            | Inst::AtomicFence => self.atomic(*inst)?,
            Inst::EpochCheck => self.epoch_check(),
            Inst::ConsumeFuel => self.consume_fuel(),
            Inst::Store {
                ty,
                kind,
                addr,
                value,
                offset,
            } => {
                if let L::X(x) = self.loc(value) {
                    let m = self.address(addr, offset);
                    self.trap_site();
                    self.asm.fstore(float::fsize(ty), m, x);
                    return Ok(());
                }
                let rv = self.src(value, R11);
                let m = self.address(addr, offset);
                let sz = match kind {
                    MemKind::Full => size(ty),
                    MemKind::U8 | MemKind::S8 => Size::S8,
                    MemKind::U16 | MemKind::S16 => Size::S16,
                    MemKind::U32 | MemKind::S32 => Size::S32,
                };
                self.trap_site();
                self.asm.store(sz, m, rv);
            }
            Inst::GlobalGet { ty, dst, index } => {
                self.asm.load(
                    Size::S64,
                    R11,
                    Mem::new(R14, std::mem::offset_of!(VMContext, globals) as i32),
                );
                self.asm
                    .load(Size::S64, R11, Mem::new(R11, 8 * index as i32));
                let d = self.dst(dst, R10);
                self.asm.load(size(ty), d, Mem::new(R11, 0));
                self.commit(dst, d);
            }
            Inst::GlobalSet { ty, src, index } => {
                let r = self.src(src, R10);
                self.asm.load(
                    Size::S64,
                    R11,
                    Mem::new(R14, std::mem::offset_of!(VMContext, globals) as i32),
                );
                self.asm
                    .load(Size::S64, R11, Mem::new(R11, 8 * index as i32));
                self.asm.store(size(ty), Mem::new(R11, 0), r);
            }
            Inst::Call { func, args, rets } if func < self.imported_funcs => {
                self.asm.load(
                    Size::S64,
                    R11,
                    Mem::new(R14, std::mem::offset_of!(VMContext, funcs) as i32),
                );
                self.asm
                    .load(Size::S64, R11, Mem::new(R11, 8 * func as i32));
                self.call_wasm(Mem::new(R11, 0), args, rets, true);
            }
            Inst::Call { func, args, rets } => {
                // The module's own function: its slot is at a fixed offset.
                self.asm.load(
                    Size::S64,
                    R11,
                    Mem::new(R14, std::mem::offset_of!(VMContext, defined_funcs) as i32),
                );
                let def = i64::from(func - self.imported_funcs);
                let disp =
                    i32::try_from(def * std::mem::size_of::<VMFuncRef>() as i64).map_err(|_| {
                        JitError::Unsupported {
                            opcode: "call (function index too large)".into(),
                        }
                    })?;
                self.call_wasm(Mem::new(R11, disp), args, rets, false);
            }
            Inst::CallIndirect {
                sig,
                table,
                index,
                args,
                rets,
            } => {
                let slot = self.table_slot(table, index, TrapCode::UndefinedElement);
                self.asm.load(Size::S64, R11, slot);
                self.asm.test_rr(Size::S64, R11, R11);
                self.trap_if(Cond::E, TrapCode::UninitializedElement);
                self.asm.alu_mi(
                    AluOp::Cmp,
                    Size::S32,
                    Mem::new(R11, std::mem::offset_of!(VMFuncRef, sig) as i32),
                    sig as i32,
                );
                self.trap_if(Cond::Ne, TrapCode::IndirectCallTypeMismatch);
                self.call_wasm(Mem::new(R11, 0), args, rets, true);
            }
            Inst::Libcall {
                call: Libcall::MemorySize,
                rets,
                ..
            } => {
                // The current length, in pages (the VMMemory's `len` / 64 KiB).
                let dst = VReg(self.f.list_items(rets)[0]);
                let d = self.dst(dst, R10);
                self.asm.load(
                    Size::S64,
                    R11,
                    Mem::new(R14, std::mem::offset_of!(VMContext, memory0) as i32),
                );
                self.asm.load(
                    Size::S64,
                    d,
                    Mem::new(R11, std::mem::offset_of!(VMMemory, len) as i32),
                );
                self.asm.shift_ri(ShiftOp::Shr, Size::S64, d, 16);
                self.commit(dst, d);
            }
            Inst::Libcall { call, args, rets } => self.libcall(call, args, rets)?,
            Inst::FuncRef { dst, func } => {
                let d = self.dst(dst, R10);
                self.asm.load(
                    Size::S64,
                    d,
                    Mem::new(R14, std::mem::offset_of!(VMContext, funcs) as i32),
                );
                self.asm.load(Size::S64, d, Mem::new(d, 8 * func as i32));
                self.commit(dst, d);
            }
            Inst::TableSize { table, dst } => {
                self.table_ptr(table);
                let d = self.dst(dst, R10);
                self.asm.load(
                    Size::S32,
                    d,
                    Mem::new(R11, std::mem::offset_of!(VMTable, len) as i32),
                );
                self.commit(dst, d);
            }
            Inst::TableGet { table, dst, index } => {
                let slot = self.table_slot(table, index, TrapCode::TableOutOfBounds);
                let d = self.dst(dst, R10);
                self.asm.load(Size::S64, d, slot);
                self.commit(dst, d);
            }
            Inst::TableSet {
                table,
                index,
                value,
            } => {
                let slot = self.table_slot(table, index, TrapCode::TableOutOfBounds);
                self.asm.lea(Size::S64, R11, slot);
                let v = self.src(value, R10);
                self.asm.store(Size::S64, Mem::new(R11, 0), v);
            }
            Inst::FBin { op, ty, dst, a, b } => self.fbin(op, ty, dst, a, b)?,
            Inst::FUn { op, ty, dst, src } => self.fun(op, ty, dst, src)?,
            Inst::FCmp { cc, ty, dst, a, b } => self.fcmp(cc, ty, dst, a, b),
            Inst::Jump { target } => self.goto(target, next),
            Inst::Branch {
                cond: c,
                then,
                otherwise,
            } => {
                let r = self.src(c, R10);
                self.asm.test_rr(Size::S32, r, r);
                self.branch(Cond::Ne, then, otherwise, next);
            }
            Inst::BranchCmp {
                cc,
                ty,
                a,
                b,
                then,
                otherwise,
            } => {
                self.cmp(ty, a, CmpRhs::Reg(b), IntCC::Ne);
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
                self.cmp(ty, a, CmpRhs::Imm(imm), cc);
                self.branch(cond(cc), then, otherwise, next);
            }
            Inst::BranchFCmp {
                cc,
                ty,
                a,
                b,
                then,
                otherwise,
            } => self.branch_fcmp(cc, ty, a, b, then, otherwise, next),
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
        }
        Ok(())
    }
}

mod atomics;
mod calls;
mod divide;
mod float;
mod frame;
mod handlers;
mod int;
mod interrupts;
mod libcalls;

mod moves;
#[cfg(test)]
mod tests;
