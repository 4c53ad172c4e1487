//! The JIT's intermediate representation.
//!
//! A function is a list of basic blocks in emission order; each block is a
//! contiguous range of [`Inst`]s ending in exactly one terminator. Values live
//! in virtual registers ([`VReg`]) of four machine types (references are
//! `I64`). The IR is *not* SSA: wasm locals are vregs that are written many
//! times, and values that flow into a block from several edges (block
//! results, loop parameters) each have one vreg that every edge writes. That
//! keeps translation a single pass; liveness is computed by dataflow.
//!
//! Invariants:
//! - Every block's last instruction is a terminator; no terminator elsewhere.
//! - [`Func::layout`] lists the blocks in emission order; their instruction
//!   ranges follow one another and cover `insts` exactly. (Block numbers are
//!   handed out when a branch first needs a target, so they need not follow
//!   the layout.)
//! - Variable-length operand lists (call arguments and results, return
//!   values, branch tables) live in the [`Func::lists`] pool, so building the
//!   IR allocates per function, not per instruction.

mod handlers;
mod print;

pub use handlers::{CatchClause, HandlerScope, CATCH_ALL, NO_SCOPE};

use std::ops::Range;
pub use wx_core::atomics::{RmwOp, Width};
use wx_core::TrapCode;

/// A virtual register.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct VReg(pub u32);

/// A basic block.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct BlockId(pub u32);

/// A run of entries in [`Func::lists`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct List {
    pub start: u32,
    pub len: u32,
}

/// Machine types of values.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Ty {
    I32,
    I64,
    F32,
    F64,
}

impl Ty {
    pub fn is_float(self) -> bool {
        matches!(self, Ty::F32 | Ty::F64)
    }
}

/// Integer binary operations (wrapping; shifts and rotates mask the count).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum IBinOp {
    Add,
    Sub,
    Mul,
    And,
    Or,
    Xor,
    Shl,
    ShrS,
    ShrU,
    Rotl,
    Rotr,
}

/// Integer division and remainder (trapping).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DivOp {
    DivS,
    DivU,
    RemS,
    RemU,
}

/// Integer unary operations.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum IUnOp {
    Clz,
    Ctz,
    Popcnt,
    Extend8S,
    Extend16S,
    /// i64 only.
    Extend32S,
}

/// The right side of a fused comparison.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CmpRhs {
    Reg(VReg),
    Imm(i32),
}

/// Integer comparisons (result is an i32 0 or 1).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum IntCC {
    Eq,
    Ne,
    LtS,
    LtU,
    GtS,
    GtU,
    LeS,
    LeU,
    GeS,
    GeU,
}

impl IntCC {
    /// The condition that holds exactly when `self` does not.
    pub fn invert(self) -> IntCC {
        use IntCC::*;
        match self {
            Eq => Ne,
            Ne => Eq,
            LtS => GeS,
            LtU => GeU,
            GtS => LeS,
            GtU => LeU,
            LeS => GtS,
            LeU => GtU,
            GeS => LtS,
            GeU => LtU,
        }
    }
}

/// Float binary operations with wasm semantics (NaN propagation, signed zeros).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FBinOp {
    Add,
    Sub,
    Mul,
    Div,
    Min,
    Max,
    Copysign,
}

/// Float unary operations.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FUnOp {
    Abs,
    Neg,
    Sqrt,
    Ceil,
    Floor,
    Trunc,
    Nearest,
}

/// Float comparisons (ordered; `Ne` is true for NaN operands).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FloatCC {
    Eq,
    Ne,
    Lt,
    Gt,
    Le,
    Ge,
}

/// Conversions between types. `Trunc*` trap on NaN or overflow;
/// `TruncSat*` saturate.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ConvOp {
    I32WrapI64,
    I64ExtendI32S,
    I64ExtendI32U,
    TruncS,
    TruncU,
    TruncSatS,
    TruncSatU,
    ConvertS,
    ConvertU,
    F32DemoteF64,
    F64PromoteF32,
    /// Same bits, other type.
    Reinterpret,
}

/// Memory access widths and extensions.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MemKind {
    /// Full width of the value type.
    Full,
    S8,
    U8,
    S16,
    U16,
    S32,
    U32,
}

/// Operations the generated code leaves to the runtime (the functions of
/// `wx_core::libcalls`, called with the instance's VMContext, the indices
/// here, and then the instruction's arguments). Those that can trap return
/// a status that the generated code turns into a trap.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Libcall {
    /// `[] -> [pages]` (emitted inline).
    MemorySize,
    /// `[delta] -> [old pages or -1]`.
    MemoryGrow,
    /// `[dst, value, len] -> []`.
    MemoryFill { mem: u32 },
    /// `[dst, src, len] -> []`.
    MemoryCopy { dst_mem: u32, src_mem: u32 },
    /// `[dst, src, len] -> []`.
    MemoryInit { mem: u32, data: u32 },
    /// `[] -> []`.
    DataDrop { data: u32 },
    /// `[init, delta] -> [old size or -1]`.
    TableGrow { table: u32 },
    /// `[dst, value, len] -> []`.
    TableFill { table: u32 },
    /// `[dst, src, len] -> []`.
    TableCopy { dst_table: u32, src_table: u32 },
    /// `[dst, src, len] -> []`.
    TableInit { table: u32, elem: u32 },
    /// `[] -> []`.
    ElemDrop { elem: u32 },
    /// `memory.atomic.wait32/64` on memory 0 (`width` 2 or 3):
    /// `[addr, expected, timeout] -> [0 woken, 1 not equal, 2 timed out]`.
    AtomicWait { offset: u32, width: u32 },
    /// `memory.atomic.notify` on memory 0: `[addr, count] -> [woken]`.
    AtomicNotify { offset: u32 },
    /// `throw`: `[payload...] -> []`, always an exception status. The
    /// payload goes by pointer (it may be longer than the registers).
    Throw { tag: u32 },
    /// `throw_ref`: `[exnref] -> []`, always a status (null traps).
    ThrowRef,
}

impl Libcall {
    /// The address of the call's function in `wx_core::libcalls` (the
    /// generated code calls it with the C ABI); `None` for `memory.size`,
    /// which is emitted inline.
    pub fn address(self) -> Option<u64> {
        use wx_core::libcalls as lc;
        let f = match self {
            Libcall::MemorySize => return None,
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
            Libcall::AtomicWait { .. } => lc::atomic_wait as *const (),
            Libcall::AtomicNotify { .. } => lc::atomic_notify as *const (),
            Libcall::Throw { .. } => lc::throw as *const (),
            Libcall::ThrowRef => lc::throw_ref as *const (),
        };
        Some(f as u64)
    }

    /// Whether the call returns a status (0 or a trap code) rather than a value.
    pub fn can_trap(self) -> bool {
        matches!(
            self,
            Libcall::MemoryFill { .. }
                | Libcall::Throw { .. }
                | Libcall::ThrowRef
                | Libcall::MemoryCopy { .. }
                | Libcall::MemoryInit { .. }
                | Libcall::TableFill { .. }
                | Libcall::TableCopy { .. }
                | Libcall::TableInit { .. }
        )
    }

    /// Whether the arguments go as a (pointer, length) pair to the cells
    /// in the outgoing area, rather than one register each: a payload
    /// may be longer than the argument registers.
    pub fn args_by_pointer(self) -> bool {
        matches!(self, Libcall::Throw { .. })
    }

    /// Whether the call returns both a status (low 32 bits, 0 or a trap
    /// code) and a value (high 32 bits).
    pub fn returns_status_and_value(self) -> bool {
        matches!(
            self,
            Libcall::AtomicWait { .. }
                | Libcall::AtomicNotify { .. }
                // The store's resource limiter may trap.
                | Libcall::MemoryGrow
                | Libcall::TableGrow { .. }
        )
    }

    /// The index immediates passed before the arguments.
    pub fn immediates(self) -> Vec<u32> {
        match self {
            Libcall::MemorySize | Libcall::MemoryGrow => vec![],
            Libcall::MemoryFill { mem } => vec![mem],
            Libcall::MemoryCopy { dst_mem, src_mem } => vec![dst_mem, src_mem],
            Libcall::MemoryInit { mem, data } => vec![mem, data],
            Libcall::DataDrop { data } => vec![data],
            Libcall::TableGrow { table } | Libcall::TableFill { table } => vec![table],
            Libcall::TableCopy {
                dst_table,
                src_table,
            } => vec![dst_table, src_table],
            Libcall::TableInit { table, elem } => vec![table, elem],
            Libcall::ElemDrop { elem } => vec![elem],
            Libcall::AtomicWait { offset, width } => vec![offset, width],
            Libcall::AtomicNotify { offset } => vec![offset],
            Libcall::Throw { tag } => vec![tag],
            Libcall::ThrowRef => vec![],
        }
    }
}

/// One IR instruction.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Inst {
    /// `dst = bits` (raw bits of a value of type `ty`).
    Const {
        ty: Ty,
        dst: VReg,
        bits: u64,
    },
    Move {
        ty: Ty,
        dst: VReg,
        src: VReg,
    },
    IBin {
        op: IBinOp,
        ty: Ty,
        dst: VReg,
        a: VReg,
        b: VReg,
    },
    /// `dst = a op imm` (`imm` sign-extended for i64).
    IBinImm {
        op: IBinOp,
        ty: Ty,
        dst: VReg,
        a: VReg,
        imm: i32,
    },
    IDiv {
        op: DivOp,
        ty: Ty,
        dst: VReg,
        a: VReg,
        b: VReg,
    },
    /// Division by a constant that cannot trap: not 0, and not -1 for the
    /// signed operations (`divisor` holds the `ty`-wide bits,
    /// sign-extended). Emitted as a multiplication ([`crate::magic`]).
    IDivImm {
        op: DivOp,
        ty: Ty,
        dst: VReg,
        a: VReg,
        divisor: i64,
    },
    IUn {
        op: IUnOp,
        ty: Ty,
        dst: VReg,
        src: VReg,
    },
    /// `dst = (a == 0)` as i32.
    Eqz {
        ty: Ty,
        dst: VReg,
        src: VReg,
    },
    ICmp {
        cc: IntCC,
        ty: Ty,
        dst: VReg,
        a: VReg,
        b: VReg,
    },
    ICmpImm {
        cc: IntCC,
        ty: Ty,
        dst: VReg,
        a: VReg,
        imm: i32,
    },
    FBin {
        op: FBinOp,
        ty: Ty,
        dst: VReg,
        a: VReg,
        b: VReg,
    },
    FUn {
        op: FUnOp,
        ty: Ty,
        dst: VReg,
        src: VReg,
    },
    FCmp {
        cc: FloatCC,
        ty: Ty,
        dst: VReg,
        a: VReg,
        b: VReg,
    },
    /// Convert `src` (of type `from`) to `dst` (of type `to`).
    Convert {
        op: ConvOp,
        from: Ty,
        to: Ty,
        dst: VReg,
        src: VReg,
    },
    /// `dst = if cond != 0 { a } else { b }`.
    Select {
        ty: Ty,
        dst: VReg,
        cond: VReg,
        a: VReg,
        b: VReg,
    },
    /// `dst = (x cc y) ? a : b`: a select fused with the integer
    /// comparison that computed its condition (no 0/1 materialised).
    SelectCmp {
        ty: Ty,
        dst: VReg,
        cc: IntCC,
        cmp_ty: Ty,
        x: VReg,
        y: CmpRhs,
        a: VReg,
        b: VReg,
    },
    Load {
        ty: Ty,
        kind: MemKind,
        dst: VReg,
        addr: VReg,
        offset: u32,
    },
    Store {
        ty: Ty,
        kind: MemKind,
        addr: VReg,
        value: VReg,
        offset: u32,
    },
    /// Atomic accesses to memory 0 (threads proposal) of `width` at
    /// `addr + offset`: sequentially consistent, trapping with "unaligned
    /// atomic" unless the address is a multiple of the width (before the
    /// bounds, which the guard pages check). Results are zero-extended.
    AtomicLoad {
        ty: Ty,
        width: Width,
        dst: VReg,
        addr: VReg,
        offset: u32,
    },
    AtomicStore {
        ty: Ty,
        width: Width,
        addr: VReg,
        value: VReg,
        offset: u32,
    },
    /// `dst` = the old value; memory = `old op value`.
    AtomicRmw {
        op: RmwOp,
        ty: Ty,
        width: Width,
        dst: VReg,
        addr: VReg,
        value: VReg,
        offset: u32,
    },
    /// `dst` = the old value; memory = `replacement` if old == `expected`
    /// (both truncated to the width).
    AtomicCmpxchg {
        ty: Ty,
        width: Width,
        dst: VReg,
        addr: VReg,
        expected: VReg,
        replacement: VReg,
        offset: u32,
    },
    AtomicFence,
    /// At a function entry or loop header, when the module checks epochs
    /// (`ModuleInfo::interrupts`): if the engine's epoch has reached the
    /// store's deadline, call the runtime (`libcalls::epoch_interrupt`),
    /// which goes on or traps. Preserves every register.
    EpochCheck,
    /// At a function entry or loop header, when the module meters fuel:
    /// take one unit of the store's fuel (`VMLimits::fuel`), trapping with
    /// `OutOfFuel` if that overdraws it.
    ConsumeFuel,
    GlobalGet {
        ty: Ty,
        dst: VReg,
        index: u32,
    },
    GlobalSet {
        ty: Ty,
        src: VReg,
        index: u32,
    },
    /// `dst` = the funcref of function `func` (its entry slot).
    FuncRef {
        dst: VReg,
        func: u32,
    },
    /// `dst = table[index]`; traps out of bounds.
    TableGet {
        table: u32,
        dst: VReg,
        index: VReg,
    },
    /// `table[index] = value`; traps out of bounds.
    TableSet {
        table: u32,
        index: VReg,
        value: VReg,
    },
    /// `dst` = the table's length (i32).
    TableSize {
        table: u32,
        dst: VReg,
    },
    /// Call function `func` (through its entry slot) with `args`, writing `rets`.
    Call {
        func: u32,
        args: List,
        rets: List,
    },
    /// Call the function at `index` in table `table`, which must have the
    /// canonical signature `sig`.
    CallIndirect {
        sig: u32,
        table: u32,
        index: VReg,
        args: List,
        rets: List,
    },
    Libcall {
        call: Libcall,
        args: List,
        rets: List,
    },
    /// The start of catch clause `clause`'s landing pad (first in its
    /// block): the unwinder resumes here with the exception's payload and
    /// reference in the frame; `rets` receive the payload values, then
    /// the reference if the clause keeps it. Every register is lost here
    /// (see [`HandlerScope`]).
    Landing {
        clause: u32,
        rets: List,
    },

    // ---- terminators ----
    /// Go on at `next`: the instruction before (a call or a throw) may
    /// throw, and then handler scope `scope`'s clauses are tried.
    Throwing {
        next: BlockId,
        scope: u32,
    },
    Jump {
        target: BlockId,
    },
    /// Go to `then` if the i32 `cond` is non-zero, else to `otherwise`.
    Branch {
        cond: VReg,
        then: BlockId,
        otherwise: BlockId,
    },
    /// Fused compare and branch.
    BranchCmp {
        cc: IntCC,
        ty: Ty,
        a: VReg,
        b: VReg,
        then: BlockId,
        otherwise: BlockId,
    },
    BranchCmpImm {
        cc: IntCC,
        ty: Ty,
        a: VReg,
        imm: i32,
        then: BlockId,
        otherwise: BlockId,
    },
    /// Branch on a float comparison (false when unordered, except `ne`).
    BranchFCmp {
        cc: FloatCC,
        ty: Ty,
        a: VReg,
        b: VReg,
        then: BlockId,
        otherwise: BlockId,
    },
    /// Jump to `targets[index]`, or the last entry if out of range.
    BrTable {
        index: VReg,
        targets: List,
    },
    Return {
        values: List,
    },
    Trap {
        code: TrapCode,
    },
}

impl Inst {
    /// The register this instruction defines, if it defines exactly one.
    pub fn dst_mut(&mut self) -> Option<&mut VReg> {
        match self {
            Inst::Const { dst, .. }
            | Inst::Move { dst, .. }
            | Inst::IBin { dst, .. }
            | Inst::IBinImm { dst, .. }
            | Inst::IDiv { dst, .. }
            | Inst::IDivImm { dst, .. }
            | Inst::IUn { dst, .. }
            | Inst::Eqz { dst, .. }
            | Inst::ICmp { dst, .. }
            | Inst::ICmpImm { dst, .. }
            | Inst::FBin { dst, .. }
            | Inst::FUn { dst, .. }
            | Inst::FCmp { dst, .. }
            | Inst::Convert { dst, .. }
            | Inst::Select { dst, .. }
            | Inst::SelectCmp { dst, .. }
            | Inst::Load { dst, .. }
            | Inst::AtomicLoad { dst, .. }
            | Inst::AtomicRmw { dst, .. }
            | Inst::AtomicCmpxchg { dst, .. }
            | Inst::GlobalGet { dst, .. }
            | Inst::FuncRef { dst, .. }
            | Inst::TableGet { dst, .. }
            | Inst::TableSize { dst, .. } => Some(dst),
            _ => None,
        }
    }

    /// Whether the instruction calls out of the function (a wasm call or a
    /// runtime function; `memory.size` is inline): where caller-saved
    /// registers are lost.
    pub fn is_call(&self) -> bool {
        match self {
            Inst::Call { .. } | Inst::CallIndirect { .. } => true,
            Inst::Libcall { call, .. } => *call != Libcall::MemorySize,
            _ => false,
        }
    }

    /// Whether the instruction only computes its result: no trap, no
    /// memory or global write, no call. Such an instruction whose result
    /// nobody reads can be dropped.
    pub fn is_pure(&self) -> bool {
        match self {
            Inst::Const { .. }
            | Inst::Move { .. }
            | Inst::IBin { .. }
            | Inst::IBinImm { .. }
            | Inst::IDivImm { .. }
            | Inst::IUn { .. }
            | Inst::Eqz { .. }
            | Inst::ICmp { .. }
            | Inst::ICmpImm { .. }
            | Inst::FBin { .. }
            | Inst::FUn { .. }
            | Inst::FCmp { .. }
            | Inst::Select { .. }
            | Inst::SelectCmp { .. }
            | Inst::GlobalGet { .. }
            | Inst::FuncRef { .. } => true,
            Inst::Convert { op, .. } => !matches!(op, ConvOp::TruncS | ConvOp::TruncU),
            _ => false,
        }
    }

    pub fn is_terminator(&self) -> bool {
        matches!(
            self,
            Inst::Jump { .. }
                | Inst::Throwing { .. }
                | Inst::Branch { .. }
                | Inst::BranchCmp { .. }
                | Inst::BranchCmpImm { .. }
                | Inst::BranchFCmp { .. }
                | Inst::BrTable { .. }
                | Inst::Return { .. }
                | Inst::Trap { .. }
        )
    }
}

/// A basic block: a range of instructions.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BlockData {
    pub insts: Range<u32>,
}

/// The successors of a block (see [`Func::successors`]): a branch's one
/// or two targets, or a branch table's list.
#[derive(Clone, Debug)]
pub struct Succs<'a> {
    fixed: [u32; 2],
    next: u8,
    n: u8,
    list: std::slice::Iter<'a, u32>,
}

impl Iterator for Succs<'_> {
    type Item = BlockId;

    fn next(&mut self) -> Option<BlockId> {
        if self.next < self.n {
            self.next += 1;
            return Some(BlockId(self.fixed[self.next as usize - 1]));
        }
        self.list.next().map(|&b| BlockId(b))
    }
}

/// A function in IR form.
#[derive(Clone, Debug, Default)]
pub struct Func {
    /// Types of all virtual registers, indexed by `VReg`.
    pub vregs: Vec<Ty>,
    /// The vregs holding the parameters on entry (the first locals).
    pub params: Vec<VReg>,
    pub results: Vec<Ty>,
    pub insts: Vec<Inst>,
    /// Per instruction: the byte offset (in the module) of the wasm
    /// operator it came from, for trap and call sites' backtraces.
    pub srclocs: Vec<u32>,
    /// Indexed by `BlockId`.
    pub blocks: Vec<BlockData>,
    /// Blocks in emission order.
    pub layout: Vec<BlockId>,
    /// Pool of list operands (vreg or block numbers).
    pub lists: Vec<u32>,
    /// Calls the translator replaced by the callee's body, in order (for
    /// the printer: `wx explore` shows where each inlined body starts).
    pub inlined: Vec<Inlined>,
    /// The module has a memory 0: code that switched instances for a call
    /// must restore its base even if it makes no memory access itself, so
    /// that its caller in the same instance finds it in place.
    pub has_memory: bool,
    /// Exception handler scopes, named by [`Inst::Throwing`].
    pub scopes: Vec<HandlerScope>,
    /// Their catch clauses, named by [`HandlerScope::clauses`] and
    /// [`Inst::Landing`].
    pub catches: Vec<CatchClause>,
}

/// A call replaced by the callee's body: the callee's code starts at
/// instruction `at` (or the body emitted nothing, and `at` is where the
/// caller's code goes on).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Inlined {
    pub at: u32,
    /// The callee's function index.
    pub func: u32,
    /// Where the callee's instructions end (they are `at..end`).
    pub end: u32,
    /// The module offset of the `call` the body replaced: the caller's
    /// frame in a backtrace through the callee's code.
    pub call_offset: u32,
}

impl Func {
    /// Empty the function, keeping the capacity of its buffers (the
    /// pipeline reuses one `Func` per thread from one compile to the next).
    pub fn clear(&mut self) {
        let Func {
            vregs,
            params,
            results,
            insts,
            srclocs,
            blocks,
            layout,
            lists,
            inlined,
            has_memory,
            scopes,
            catches,
        } = self;
        scopes.clear();
        catches.clear();
        srclocs.clear();
        *has_memory = false;
        inlined.clear();
        vregs.clear();
        params.clear();
        results.clear();
        insts.clear();
        blocks.clear();
        layout.clear();
        lists.clear();
    }

    /// Whether a buffer grew past `max` entries (then the function is not
    /// worth keeping for reuse: one huge function would pin its memory).
    pub fn grown_past(&self, max: usize) -> bool {
        self.vregs.capacity() > max
            || self.insts.capacity() > max
            || self.blocks.capacity() > max
            || self.lists.capacity() > max
    }

    pub fn new_vreg(&mut self, ty: Ty) -> VReg {
        self.vregs.push(ty);
        VReg(self.vregs.len() as u32 - 1)
    }

    pub fn ty(&self, v: VReg) -> Ty {
        self.vregs[v.0 as usize]
    }

    pub fn list(&mut self, items: impl IntoIterator<Item = u32>) -> List {
        let start = self.lists.len() as u32;
        self.lists.extend(items);
        List {
            start,
            len: self.lists.len() as u32 - start,
        }
    }

    pub fn list_items(&self, l: List) -> &[u32] {
        &self.lists[l.start as usize..(l.start + l.len) as usize]
    }

    /// Where instruction `inst` came from: the module offset of its
    /// operator and, for an inlined callee's, of the call it replaced.
    pub fn srcloc(&self, inst: u32) -> (u32, Option<u32>) {
        let here = self.srclocs.get(inst as usize).copied().unwrap_or(0);
        let i = self.inlined.partition_point(|i| i.at <= inst);
        let caller = i
            .checked_sub(1)
            .map(|i| self.inlined[i])
            .filter(|i| inst < i.end)
            .map(|i| i.call_offset);
        (here, caller)
    }

    /// The successor blocks of block `b`.
    pub fn succs(&self, b: BlockId) -> Vec<BlockId> {
        self.successors(b).collect()
    }

    /// Per block, its index in the layout.
    pub fn layout_index(&self) -> Vec<u32> {
        let mut index = vec![0u32; self.blocks.len()];
        for (i, b) in self.layout.iter().enumerate() {
            index[b.0 as usize] = i as u32;
        }
        index
    }

    /// The successor blocks of block `b`, without allocating.
    pub fn successors(&self, b: BlockId) -> Succs<'_> {
        let last = self.blocks[b.0 as usize].insts.end - 1;
        let (fixed, n, list): ([u32; 2], u8, &[u32]) = match self.insts[last as usize] {
            Inst::Jump { target } => ([target.0, 0], 1, &[]),
            // The pads of the scope and of every scope around it.
            Inst::Throwing { next, scope } => (
                [next.0, 0],
                1,
                self.list_items(self.scopes[scope as usize].pads),
            ),
            Inst::Branch {
                then, otherwise, ..
            }
            | Inst::BranchCmp {
                then, otherwise, ..
            }
            | Inst::BranchCmpImm {
                then, otherwise, ..
            }
            | Inst::BranchFCmp {
                then, otherwise, ..
            } => ([then.0, otherwise.0], 2, &[]),
            Inst::BrTable { targets, .. } => ([0; 2], 0, self.list_items(targets)),
            _ => ([0; 2], 0, &[]),
        };
        Succs {
            fixed,
            next: 0,
            n,
            list: list.iter(),
        }
    }

    /// Check the structural invariants (see the module documentation).
    pub fn verify(&self) -> Result<(), String> {
        let mut next = 0u32;
        if self.layout.len() != self.blocks.len() {
            return Err("layout and blocks differ in length".into());
        }
        for &BlockId(i) in &self.layout {
            let b = &self.blocks[i as usize];
            if b.insts.start != next || b.insts.end <= b.insts.start {
                return Err(format!(
                    "block {i}: range {:?} does not follow {next}",
                    b.insts
                ));
            }
            for at in b.insts.clone() {
                let last = at + 1 == b.insts.end;
                if self.insts[at as usize].is_terminator() != last {
                    return Err(format!("block {i}: instruction {at} misplaced terminator"));
                }
            }
            if let Inst::Throwing { scope, .. } = self.insts[b.insts.end as usize - 1] {
                if scope as usize >= self.scopes.len() {
                    return Err(format!("block {i}: missing handler scope {scope}"));
                }
            }
            for s in self.successors(BlockId(i)) {
                if s.0 as usize >= self.blocks.len() {
                    return Err(format!("block {i}: branch to missing block {}", s.0));
                }
            }
            next = b.insts.end;
        }
        if next as usize != self.insts.len() {
            return Err("instructions outside any block".into());
        }
        self.verify_handlers()?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `fn(x: i32) -> i32 { if x < 10 { x + 1 } else { x } }`, built by hand.
    fn sample() -> Func {
        let mut f = Func::default();
        let x = f.new_vreg(Ty::I32);
        let r = f.new_vreg(Ty::I32);
        f.params.push(x);
        f.results.push(Ty::I32);
        let (b0, b1, b2, b3) = (BlockId(0), BlockId(1), BlockId(2), BlockId(3));
        f.insts.push(Inst::BranchCmpImm {
            cc: IntCC::LtS,
            ty: Ty::I32,
            a: x,
            imm: 10,
            then: b1,
            otherwise: b2,
        });
        f.insts.push(Inst::IBinImm {
            op: IBinOp::Add,
            ty: Ty::I32,
            dst: r,
            a: x,
            imm: 1,
        });
        f.insts.push(Inst::Jump { target: b3 });
        f.insts.push(Inst::Move {
            ty: Ty::I32,
            dst: r,
            src: x,
        });
        f.insts.push(Inst::Jump { target: b3 });
        let ret = f.list([r.0]);
        f.insts.push(Inst::Return { values: ret });
        for range in [0..1, 1..3, 3..5, 5..6] {
            f.blocks.push(BlockData { insts: range });
        }
        f.layout = vec![b0, b1, b2, b3];
        f
    }

    #[test]
    fn prints_and_verifies() {
        let f = sample();
        f.verify().unwrap();
        assert_eq!(f.succs(BlockId(0)), vec![BlockId(1), BlockId(2)]);
        assert_eq!(
            f.to_string(),
            "function(v0: i32) -> [i32]\n\
             block0:\n  br_i32.lt_s v0, 10, block1, block2\n\
             block1:\n  v1 = i32.add v0, 1\n  jump block3\n\
             block2:\n  v1 = v0\n  jump block3\n\
             block3:\n  return v1\n"
        );
    }

    #[test]
    fn verify_rejects_broken_blocks() {
        let mut f = sample();
        f.blocks[1].insts = 1..2; // ends in an add, not a terminator
        assert!(f.verify().is_err());
        let mut f = sample();
        f.insts[0] = Inst::Jump { target: BlockId(9) };
        assert!(f.verify().is_err());
    }
}
