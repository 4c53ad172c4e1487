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
//! `memory.size`, `table.size`, `table.get`/`table.set` (bounds-checked
//! against the `VMTable`) and `ref.func` (the entry slot's address) are
//! inline. `memory.grow` and the bulk operations call their function in
//! `wx_core::libcalls` by address, with the C ABI: the VMContext, the index
//! immediates, then the operands (passed through the outgoing area, since
//! they may sit in argument registers). A libcall that can trap returns a
//! status, and a non-zero one is taken to the trap exit as the trap code.
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
//! The tables come after all code, 4-byte aligned, one 32-bit
//! offset per case relative to the table's start (so the code stays
//! position-independent); [`CompiledCode::jump_tables`] says where they lie,
//! since those bytes are not instructions.

use std::ops::Range;

use super::abi::{self, CallConv, CALLEE_SAVED_GPRS};
use super::asm::{AluOp, Assembler, Cond, ExtMode, Label, Mem, Scale, ShiftOp, Size};
use super::regs::{Gpr, Xmm};
use crate::error::JitError;
use crate::ir::{
    BlockId, ConvOp, DivOp, Func, IBinOp, IUnOp, Inst, IntCC, Libcall, MemKind, Ty, VReg,
};
pub use crate::isa::CompiledCode;
use crate::regalloc::{Allocation, Loc};
use wx_core::vm::{VMContext, VMFuncRef, VMMemory, VMTable};
use wx_core::TrapCode;

use Gpr::{Rax, Rbp, Rcx, Rdi, Rdx, Rsi, Rsp, R10, R11, R14, R15};

/// The most cases a `br_table` lowers to as a chain of compares; more get a
/// jump table. Up to here the chain's compares cost about what the table's
/// bounds check, load and indirect jump do.
pub const BR_TABLE_CHAIN_MAX: usize = 4;

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
    asm: Assembler,
    labels: Vec<Label>,
    /// The function's own calling convention.
    conv: CallConv,
    /// The `wasm_call` entry, the entry stub's landing and the trap exit.
    body: Label,
    landing: Label,
    trap_exit: Label,
    /// Callee-saved registers the allocation uses (saved in the prologue).
    saved: Vec<Gpr>,
    /// What the function needs of its frame (see [`FrameNeeds`]).
    needs: FrameNeeds,
    /// Bytes pushed below rbp: the VMContext (if kept) and `saved`.
    frame_top: i32,
    /// Functions below this index are imports (calls may cross instances).
    imported_funcs: u32,
    /// Cold trap paths: their label and trap.
    cold: Vec<(Label, TrapCode)>,
    /// Call sites' slow paths: (slow-path label, adapter, join label).
    slow_calls: Vec<(Label, Label, Label)>,
    adapters: Vec<calls::Adapter>,
    trap_sites: Vec<(u32, TrapCode)>,
    /// Jump tables to place after all code: the table's label and its
    /// case targets' labels.
    tables: Vec<(Label, Vec<Label>)>,
    /// Buffers of [`Emitter::parallel_move`], kept for the next one.
    moves: Vec<moves::Move>,
    pending_moves: Vec<moves::Move>,
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

fn alu(op: IBinOp) -> Option<AluOp> {
    Some(match op {
        IBinOp::Add => AluOp::Add,
        IBinOp::Sub => AluOp::Sub,
        IBinOp::And => AluOp::And,
        IBinOp::Or => AluOp::Or,
        IBinOp::Xor => AluOp::Xor,
        _ => return None,
    })
}

fn shift(op: IBinOp) -> Option<ShiftOp> {
    Some(match op {
        IBinOp::Shl => ShiftOp::Shl,
        IBinOp::ShrS => ShiftOp::Sar,
        IBinOp::ShrU => ShiftOp::Shr,
        IBinOp::Rotl => ShiftOp::Rol,
        IBinOp::Rotr => ShiftOp::Ror,
        _ => return None,
    })
}

/// Generate code for `f` with allocation `alloc`.
/// Emit `f` as allocated by `alloc`; functions below `imported_funcs`
/// are the module's imports.
pub fn emit(f: &Func, alloc: &Allocation, imported_funcs: u32) -> Result<CompiledCode, JitError> {
    let mut asm = Assembler::with_capacity(f.insts.len() * 8 + 128);
    let labels = (0..f.blocks.len()).map(|_| asm.new_label()).collect();
    let saved: Vec<Gpr> = CALLEE_SAVED_GPRS
        .into_iter()
        .filter(|&r| alloc.locs.contains(&Loc::Reg(abi::gpr(r))))
        .collect();
    let (body, landing, trap_exit) = (asm.new_label(), asm.new_label(), asm.new_label());
    let needs = FrameNeeds::of(f, imported_funcs);
    let mut e = Emitter {
        f,
        alloc,
        asm,
        labels,
        conv: CallConv::new(f.params.iter().map(|&p| f.ty(p)), &f.results),
        body,
        landing,
        trap_exit,
        frame_top: 8 * (needs.vmctx_slot as i32 + saved.len() as i32),
        saved,
        needs,
        imported_funcs,
        cold: Vec::new(),
        slow_calls: Vec::new(),
        adapters: Vec::new(),
        trap_sites: Vec::new(),
        tables: Vec::new(),
        moves: Vec::new(),
        pending_moves: Vec::new(),
    };
    e.entry_stub();
    e.prologue();
    for (i, &b) in f.layout.iter().enumerate() {
        let next = f.layout.get(i + 1).copied();
        e.asm.bind(e.labels[b.0 as usize]);
        for at in f.blocks[b.0 as usize].insts.clone() {
            if alloc.dead[at as usize] {
                continue;
            }
            let inst = &f.insts[at as usize];
            if inst.is_call() {
                // Values split around this call: saved before, reloaded
                // after (once the results are in place).
                e.save_around_call(at, true);
                e.inst(inst, next)?;
                e.save_around_call(at, false);
            } else {
                e.inst(inst, next)?;
            }
        }
    }
    e.trap_exit();
    e.call_paths();
    let jump_tables = e.jump_tables();
    let Emitter {
        asm,
        trap_sites,
        body,
        trap_exit,
        ..
    } = e;
    let offset = |l: Label| asm.label_offset(l).expect("bound") as u32;
    let (wasm_entry, trap_exit) = (offset(body), offset(trap_exit));
    let code = asm
        .finish()
        .map_err(|err| JitError::Internal(err.to_string()))?;
    Ok(CompiledCode {
        code,
        wasm_entry,
        trap_exit,
        trap_sites,
        jump_tables,
    })
}

/// What a function's prologue must provide, from one scan of its code.
#[derive(Clone, Copy, Debug)]
struct FrameNeeds {
    /// The VMContext kept at `[rbp - 8]`: calls that may enter another
    /// instance reload r14 from it.
    vmctx_slot: bool,
    /// Loads or stores: r15 must hold memory 0's base.
    memory: bool,
    /// No calls of any kind: a small frame needs no stack-limit check, as
    /// the limit keeps a margin far larger than such a frame.
    leaf: bool,
    /// Words of the outgoing area: the most any call needs (stack
    /// arguments and results, or a libcall's operands).
    outgoing_words: u32,
}

impl FrameNeeds {
    fn of(f: &Func, imported_funcs: u32) -> FrameNeeds {
        let mut needs = FrameNeeds {
            vmctx_slot: false,
            memory: false,
            leaf: true,
            outgoing_words: 0,
        };
        let words = |args: crate::ir::List, rets: crate::ir::List| {
            let params = f.list_items(args).iter().map(|&v| f.ty(VReg(v)));
            CallConv::stack_words_of(params, rets.len as usize)
        };
        for inst in &f.insts {
            let outgoing = match *inst {
                Inst::Load { .. } | Inst::Store { .. } => {
                    needs.memory = true;
                    0
                }
                Inst::Call { func, args, rets } => {
                    needs.vmctx_slot |= func < imported_funcs;
                    words(args, rets)
                }
                Inst::CallIndirect { args, rets, .. } => {
                    needs.vmctx_slot = true;
                    words(args, rets)
                }
                Inst::Libcall { args, .. } => args.len,
                _ => 0,
            };
            needs.leaf &= !inst.is_call();
            needs.outgoing_words = needs.outgoing_words.max(outgoing);
        }
        needs
    }
}

impl Emitter<'_> {
    /// Emit the collected jump tables (after all code) and return
    /// where they lie.
    fn jump_tables(&mut self) -> Vec<Range<u32>> {
        let a = &mut self.asm;
        if !self.tables.is_empty() {
            a.align(4);
        }
        self.tables
            .iter()
            .map(|(table, cases)| {
                a.bind(*table);
                let start = a.offset() as u32;
                for &case in cases {
                    a.label_diff32(case, *table);
                }
                start..a.offset() as u32
            })
            .collect()
    }

    /// `br_table`: `cases[i]` for an index `i < cases.len()`, else `default`.
    fn br_table(
        &mut self,
        index: VReg,
        cases: &[u32],
        default: u32,
        next: Option<BlockId>,
    ) -> Result<(), JitError> {
        let r = self.src(index, R10);
        if cases.len() <= BR_TABLE_CHAIN_MAX {
            for (i, &b) in cases.iter().enumerate() {
                self.asm.alu_ri(AluOp::Cmp, Size::S32, r, i as i32);
                self.asm.jcc(Cond::E, self.labels[b as usize]);
            }
            self.goto(BlockId(default), next);
            return Ok(());
        }
        let n = i32::try_from(cases.len())
            .map_err(|_| JitError::Internal(format!("br_table of {} cases", cases.len())))?;
        self.asm.alu_ri(AluOp::Cmp, Size::S32, r, n);
        self.asm.jcc(Cond::Ae, self.labels[default as usize]);
        // The index is read (into r10) before r11 is written.
        self.asm.mov_rr(Size::S32, R10, r);
        let table = self.asm.new_label();
        self.asm.lea_label(R11, table);
        self.asm
            .movsx_rm(ExtMode::LQ, R10, Mem::indexed(R11, R10, Scale::X4, 0));
        self.asm.alu_rr(AluOp::Add, Size::S64, R10, R11);
        self.asm.jmp_r(R10);
        let targets = cases.iter().map(|&b| self.labels[b as usize]).collect();
        self.tables.push((table, targets));
        Ok(())
    }

    fn loc(&self, v: VReg) -> L {
        match self.alloc.loc(v) {
            Loc::Reg(p) if p.0 >= 32 => {
                L::X(Xmm::from_enc(p.0 - 32).expect("float registers are xmm"))
            }
            Loc::Reg(p) => L::R(Gpr::from_enc(p.0).expect("integer registers are gprs")),
            Loc::Stack(k) => L::M(self.slot(k)),
            // Never live: any scratch will do.
            Loc::None if self.f.ty(v).is_float() => L::X(Xmm::Xmm15),
            Loc::None => L::R(R11),
        }
    }

    /// Spill slot `k`.
    fn slot(&self, k: u32) -> Mem {
        Mem::new(Rbp, -self.frame_top - 8 - 8 * k as i32)
    }

    /// Save (`before`) or reload the values the allocation splits around
    /// call instruction `at`.
    fn save_around_call(&mut self, at: u32, before: bool) {
        let alloc = self.alloc;
        for &(_, v, k) in alloc.saves_at(at) {
            let (reg, slot) = (self.loc(v), L::M(self.slot(k)));
            let (dst, src) = if before { (slot, reg) } else { (reg, slot) };
            self.move_one(&moves::Move {
                dst,
                src,
                ty: self.f.ty(v),
            });
        }
    }

    /// A register holding `v` (loaded into `scratch` if spilled).
    fn src(&mut self, v: VReg, scratch: Gpr) -> Gpr {
        match self.loc(v) {
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
                self.asm.load(Size::S64, scratch, m);
                scratch
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
    /// its xmm register if `v` is a float).
    fn commit(&mut self, v: VReg, r: Gpr) {
        match self.loc(v) {
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

    fn trap(&mut self, code: TrapCode) {
        self.asm.mov_ri(Size::S32, Rax, code as i32);
        self.asm.jmp(self.trap_exit);
    }

    /// Jump to a block unless it comes next.
    fn goto(&mut self, b: BlockId, next: Option<BlockId>) {
        if Some(b) != next {
            self.asm.jmp(self.labels[b.0 as usize]);
        }
    }

    /// Branch on `cc` to `then`, else to `otherwise`.
    fn branch(&mut self, cc: Cond, then: BlockId, otherwise: BlockId, next: Option<BlockId>) {
        if Some(then) == next {
            self.asm.jcc(cc.invert(), self.labels[otherwise.0 as usize]);
        } else {
            self.asm.jcc(cc, self.labels[then.0 as usize]);
            self.goto(otherwise, next);
        }
    }

    fn set_flag(&mut self, cc: Cond, dst: VReg) {
        let d = self.dst(dst, R10);
        self.asm.setcc(cc, R11);
        self.asm.movzx_rr(ExtMode::BL, d, R11);
        self.commit(dst, d);
    }

    /// The memory operand for `addr + offset` (the address in r10).
    fn address(&mut self, addr: VReg, offset: u32) -> Mem {
        let ra = self.src(addr, R10);
        // A 32-bit move zero-extends the wasm address.
        self.asm.mov_rr(Size::S32, R10, ra);
        if offset <= i32::MAX as u32 {
            return Mem::indexed(R15, R10, Scale::X1, offset as i32);
        }
        // Offsets past 2^31 do not fit a displacement: add them in steps
        // (r11 may hold the value being stored).
        let mut rest = offset as u64;
        while rest > 0 {
            let step = rest.min(i32::MAX as u64);
            self.asm.alu_ri(AluOp::Add, Size::S64, R10, step as i32);
            rest -= step;
        }
        Mem::indexed(R15, R10, Scale::X1, 0)
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

    /// The address of element `index` of table `table` (in r10/r11),
    /// after trapping with `out_of_bounds` if it is out of bounds.
    fn table_slot(&mut self, table: u32, index: VReg, out_of_bounds: TrapCode) -> Mem {
        let r = self.src(index, R10);
        self.asm.mov_rr(Size::S32, R10, r);
        self.table_ptr(table);
        self.asm.alu_rm(
            AluOp::Cmp,
            Size::S32,
            R10,
            Mem::new(R11, std::mem::offset_of!(VMTable, len) as i32),
        );
        let in_bounds = self.asm.new_label();
        self.asm.jcc(Cond::B, in_bounds);
        self.trap(out_of_bounds);
        self.asm.bind(in_bounds);
        self.asm.load(
            Size::S64,
            R11,
            Mem::new(R11, std::mem::offset_of!(VMTable, base) as i32),
        );
        Mem::indexed(R11, R10, Scale::X8, 0)
    }

    /// Call `call`'s function in `wx_core::libcalls`: the VMContext, the
    /// index immediates, then the arguments, in the C ABI's registers. A
    /// status other than 0 is a trap and goes to the trap exit as it is.
    fn libcall(
        &mut self,
        call: Libcall,
        args: crate::ir::List,
        rets: crate::ir::List,
    ) -> Result<(), JitError> {
        use wx_core::libcalls as lc;
        // Safe casts of the functions' addresses; the calls are in the generated code.
        let target = match call {
            Libcall::MemorySize => {
                return Err(JitError::Internal("memory.size is emitted inline".into()))
            }
            Libcall::MemoryGrow => lc::memory_grow as *const (),
            Libcall::MemoryFill { .. } => lc::memory_fill as *const (),
            Libcall::MemoryCopy { .. } => lc::memory_copy as *const (),
            Libcall::MemoryInit { .. } => lc::memory_init as *const (),
            Libcall::DataDrop { .. } => lc::data_drop as *const (),
            Libcall::TableGrow { .. } => lc::table_grow as *const (),
            Libcall::TableFill { .. } => lc::table_fill as *const (),
            Libcall::TableCopy { .. } => lc::table_copy as *const (),
            Libcall::TableInit { .. } => lc::table_init as *const (),
            Libcall::ElemDrop { .. } => lc::elem_drop as *const (),
        } as u64;
        const ARG_REGS: [Gpr; 6] = [Rdi, Rsi, Rdx, Rcx, Gpr::R8, Gpr::R9];
        let imms = call.immediates();
        if 1 + imms.len() + args.len as usize > ARG_REGS.len() {
            return Err(JitError::Internal(format!(
                "libcall {call} has too many arguments"
            )));
        }
        // The operands may sit in argument registers: pass them through the
        // outgoing area rather than ordering the moves.
        self.store_args(args);
        self.asm.mov_rr(Size::S64, Rdi, R14);
        for (&imm, &reg) in imms.iter().zip(&ARG_REGS[1..]) {
            self.asm.mov_ri(Size::S32, reg, imm as i32);
        }
        for (i, &reg) in ARG_REGS[1 + imms.len()..]
            .iter()
            .take(args.len as usize)
            .enumerate()
        {
            self.asm.load(Size::S64, reg, Mem::new(Rsp, 8 * i as i32));
        }
        self.asm.mov_imm64(R11, target);
        self.asm.call_r(R11);
        if call.can_trap() {
            self.asm.test_rr(Size::S32, Rax, Rax);
            self.asm.jcc(Cond::Ne, self.trap_exit);
        }
        if let Some(&ret) = self.f.list_items(rets).first() {
            let dst = VReg(ret);
            let d = self.dst(dst, R10);
            // Only eax is defined: clear the upper half.
            self.asm.mov_rr(Size::S32, d, Rax);
            self.commit(dst, d);
        }
        Ok(())
    }

    fn trap_site(&mut self) {
        self.trap_sites
            .push((self.asm.offset() as u32, TrapCode::MemoryOutOfBounds));
    }

    fn ibin(&mut self, op: IBinOp, ty: Ty, dst: VReg, a: VReg, b: VReg) -> Result<(), JitError> {
        let sz = size(ty);
        if let Some(sop) = shift(op) {
            let ra = self.src(a, R10);
            self.mov(Size::S64, R10, ra);
            let rb = self.src(b, R11);
            self.mov(Size::S32, Rcx, rb);
            self.asm.shift_cl(sop, sz, R10);
            let d = self.dst(dst, R10);
            self.mov(Size::S64, d, R10);
            self.commit(dst, d);
            return Ok(());
        }
        let rb = self.src(b, R11);
        let ra = self.src(a, R10);
        let d = self.dst(dst, R10);
        let commutative = matches!(
            op,
            IBinOp::Add | IBinOp::Mul | IBinOp::And | IBinOp::Or | IBinOp::Xor
        );
        let (d_final, lhs, rhs) = if d == rb && d != ra {
            if commutative {
                (d, d, ra)
            } else {
                self.mov(sz, R10, ra);
                (d, R10, rb)
            }
        } else {
            self.mov(sz, d, ra);
            (d, d, rb)
        };
        match alu(op) {
            Some(aop) => self.asm.alu_rr(aop, sz, lhs, rhs),
            None => self.asm.imul_rr(sz, lhs, rhs),
        }
        self.mov(sz, d_final, lhs);
        self.commit(dst, d_final);
        Ok(())
    }

    fn ibin_imm(&mut self, op: IBinOp, ty: Ty, dst: VReg, a: VReg, imm: i32) {
        let sz = size(ty);
        let ra = self.src(a, R10);
        let d = self.dst(dst, R10);
        if let Some(sop) = shift(op) {
            self.mov(sz, d, ra);
            let bits = if ty == Ty::I64 { 63 } else { 31 };
            self.asm.shift_ri(sop, sz, d, (imm & bits) as u8);
        } else if op == IBinOp::Mul {
            self.asm.imul_rri(sz, d, ra, imm);
        } else {
            self.mov(sz, d, ra);
            self.asm.alu_ri(
                alu(op).expect("non-shift, non-mul ops are ALU ops"),
                sz,
                d,
                imm,
            );
        }
        self.commit(dst, d);
    }

    fn idiv(&mut self, op: DivOp, ty: Ty, dst: VReg, a: VReg, b: VReg) {
        let sz = size(ty);
        let rb = self.src(b, R11);
        self.mov(Size::S64, R11, rb);
        let ra = self.src(a, R10);
        self.mov(Size::S64, Rax, ra);
        let (div0, done) = (self.asm.new_label(), self.asm.new_label());
        self.asm.test_rr(sz, R11, R11);
        self.asm.jcc(Cond::E, div0);
        let signed = matches!(op, DivOp::DivS | DivOp::RemS);
        if signed {
            let normal = self.asm.new_label();
            self.asm.alu_ri(AluOp::Cmp, sz, R11, -1);
            self.asm.jcc(Cond::Ne, normal);
            if op == DivOp::DivS {
                // MIN / -1 overflows.
                if ty == Ty::I64 {
                    self.asm.mov_imm64(R10, i64::MIN as u64);
                    self.asm.alu_rr(AluOp::Cmp, sz, Rax, R10);
                } else {
                    self.asm.alu_ri(AluOp::Cmp, sz, Rax, i32::MIN);
                }
                let fine = self.asm.new_label();
                self.asm.jcc(Cond::Ne, fine);
                self.trap(TrapCode::IntegerOverflow);
                self.asm.bind(fine);
                // x / -1 = -x (no overflow left).
                self.asm.neg(sz, Rax);
            } else {
                // x % -1 = 0 (and MIN % -1 must not fault).
                self.asm.alu_rr(AluOp::Xor, Size::S32, Rdx, Rdx);
            }
            self.asm.jmp(done);
            self.asm.bind(normal);
            if ty == Ty::I64 {
                self.asm.cqo();
            } else {
                self.asm.cdq();
            }
            self.asm.idiv(sz, R11);
        } else {
            self.asm.alu_rr(AluOp::Xor, Size::S32, Rdx, Rdx);
            self.asm.div(sz, R11);
        }
        self.asm.bind(done);
        let result = if matches!(op, DivOp::DivS | DivOp::DivU) {
            Rax
        } else {
            Rdx
        };
        let after = self.asm.new_label();
        self.asm.jmp(after);
        self.asm.bind(div0);
        self.trap(TrapCode::IntegerDivideByZero);
        self.asm.bind(after);
        let d = self.dst(dst, R10);
        self.mov(sz, d, result);
        self.commit(dst, d);
    }

    fn iun(&mut self, op: IUnOp, ty: Ty, dst: VReg, src: VReg) {
        let sz = size(ty);
        let rs = self.src(src, R10);
        let d = self.dst(dst, R10);
        let width = if ty == Ty::I64 { 64 } else { 32 };
        match op {
            IUnOp::Clz => {
                // clz = (width - 1) - bsr, with bsr(0) taken as -1.
                self.asm.mov_ri(Size::S64, R11, -1);
                self.asm.bsr(sz, R10, rs);
                self.asm.cmov_rr(Cond::E, Size::S64, R10, R11);
                self.asm.mov_ri(Size::S32, R11, width - 1);
                self.asm.alu_rr(AluOp::Sub, sz, R11, R10);
                self.mov(sz, d, R11);
            }
            IUnOp::Ctz => {
                self.asm.mov_ri(Size::S32, R11, width);
                self.asm.bsf(sz, R10, rs);
                self.asm.cmov_rr(Cond::E, Size::S64, R10, R11);
                self.mov(sz, d, R10);
            }
            IUnOp::Popcnt => self.asm.popcnt(sz, d, rs),
            IUnOp::Extend8S => self.asm.movsx_rr(
                if ty == Ty::I64 {
                    ExtMode::BQ
                } else {
                    ExtMode::BL
                },
                d,
                rs,
            ),
            IUnOp::Extend16S => self.asm.movsx_rr(
                if ty == Ty::I64 {
                    ExtMode::WQ
                } else {
                    ExtMode::WL
                },
                d,
                rs,
            ),
            IUnOp::Extend32S => self.asm.movsx_rr(ExtMode::LQ, d, rs),
        }
        self.commit(dst, d);
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
            Inst::IUn { op, ty, dst, src } => self.iun(op, ty, dst, src),
            Inst::Eqz { ty, dst, src } => {
                let r = self.src(src, R10);
                self.asm.test_rr(size(ty), r, r);
                self.set_flag(Cond::E, dst);
            }
            Inst::ICmp { cc, ty, dst, a, b } => {
                let (rb, ra) = (self.src(b, R11), self.src(a, R10));
                self.asm.alu_rr(AluOp::Cmp, size(ty), ra, rb);
                self.set_flag(cond(cc), dst);
            }
            Inst::ICmpImm {
                cc,
                ty,
                dst,
                a,
                imm,
            } => {
                let ra = self.src(a, R10);
                self.asm.alu_ri(AluOp::Cmp, size(ty), ra, imm);
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
                let rb = self.src(b, R11);
                self.mov(Size::S64, R10, rb);
                let ra = self.src(a, R11);
                self.asm.cmov_rr(Cond::Ne, Size::S64, R10, ra);
                let _ = ty;
                let d = self.dst(dst, R10);
                self.mov(Size::S64, d, R10);
                self.commit(dst, d);
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
                    // Same bits: `src`/`commit` move them between register files.
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
            Inst::Store {
                ty,
                kind,
                addr,
                value,
                offset,
            } => {
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
            Inst::Call { func, args, rets } => {
                self.asm.load(
                    Size::S64,
                    R11,
                    Mem::new(R14, std::mem::offset_of!(VMContext, funcs) as i32),
                );
                self.asm
                    .load(Size::S64, R11, Mem::new(R11, 8 * func as i32));
                self.call_wasm(args, rets, func < self.imported_funcs);
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
                let (non_null, sig_ok) = (self.asm.new_label(), self.asm.new_label());
                self.asm.test_rr(Size::S64, R11, R11);
                self.asm.jcc(Cond::Ne, non_null);
                self.trap(TrapCode::UninitializedElement);
                self.asm.bind(non_null);
                self.asm.load(
                    Size::S32,
                    R10,
                    Mem::new(R11, std::mem::offset_of!(VMFuncRef, sig) as i32),
                );
                self.asm.alu_ri(AluOp::Cmp, Size::S32, R10, sig as i32);
                self.asm.jcc(Cond::E, sig_ok);
                self.trap(TrapCode::IndirectCallTypeMismatch);
                self.asm.bind(sig_ok);
                self.call_wasm(args, rets, true);
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
                let (rb, ra) = (self.src(b, R11), self.src(a, R10));
                self.asm.alu_rr(AluOp::Cmp, size(ty), ra, rb);
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
                let ra = self.src(a, R10);
                self.asm.alu_ri(AluOp::Cmp, size(ty), ra, imm);
                self.branch(cond(cc), then, otherwise, next);
            }
            Inst::BrTable { index, targets } => {
                let f = self.f;
                let (&default, cases) = f
                    .list_items(targets)
                    .split_last()
                    .ok_or_else(|| JitError::Internal("br_table without a default".into()))?;
                self.br_table(index, cases, default, next)?;
            }
            Inst::Return { values } => {
                let f = self.f;
                self.ret(f.list_items(values));
            }
            Inst::Trap { code } => self.trap(code),
        }
        Ok(())
    }
}

mod calls;
mod float;
mod frame;
mod moves;
#[cfg(test)]
mod tests;
