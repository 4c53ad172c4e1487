//! WebAssembly function body -> IR, in one pass.
//!
//! Like the interpreter's translator, this keeps a model of the operand
//! stack whose entries are a register, a constant, or a lazy read of a local,
//! so `local.get` and constants cost nothing until an instruction needs them
//! (copy propagation) and constant operands become immediates or fold away.
//!
//! Control flow: each `block`/`if` gets result registers that every edge to
//! its end writes; each `loop` gets parameter registers its back-edges
//! write. Branches that carry values get an edge block for the moves, so the
//! fall-through path is untouched. Entering any block first copies lazy
//! local reads out (a later `local.set` in one arm must not change a value
//! pushed before the block). A comparison immediately consumed by a branch
//! fuses into it.
//!
//! Direct calls of small leaf functions can be inlined (see `inline.rs`).
//!
//! Operators outside the supported set end translation with
//! [`JitError::Unsupported`]; the runtime then keeps the function in the
//! interpreter.

mod atomics;
mod decode;
mod exceptions;
mod inline;
mod ops;

pub use inline::InlinePolicy;

use crate::error::JitError;
use crate::ir::{BlockData, BlockId, Func, Inst, IntCC, List, Ty, VReg};
use wasmparser::{BinaryReader, FunctionBody, Operator, VisitOperator, VisitSimdOperator};
use wx_core::module::ModuleInfo;
use wx_core::{TrapCode, ValType};

/// Where a stack entry's value is.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Val {
    Reg(VReg),
    Const(u64),
    Local(u32),
}

#[derive(Clone, Copy, Debug, PartialEq)]
struct Entry {
    val: Val,
    ty: Ty,
}

#[derive(Clone, Copy, Debug, PartialEq)]
enum Kind {
    Block,
    Loop,
    If,
    Else,
    Function,
    /// The body of an inlined callee: a block whose end (and whose
    /// `return`s) continue in the caller.
    Inline,
    /// A `try_table`, and a legacy `try` before and after its first
    /// `catch` (see `exceptions.rs`): blocks to branches.
    TryTable,
    Try,
    Catch,
}

#[derive(Debug)]
struct Frame {
    kind: Kind,
    /// Stack height below the frame's parameters.
    height: usize,
    /// Registers the values live in where branches to this frame arrive:
    /// loop parameters for a loop, results otherwise.
    targets: Vec<VReg>,
    result_tys: Vec<Ty>,
    /// Where branches go (created when first needed; a loop's is its header).
    block: Option<BlockId>,
    /// `if`: the block of the else arm and the parameters it starts with.
    else_block: Option<BlockId>,
    else_params: Vec<Entry>,
    /// The handler scope a `try_table` or `try` opened.
    scope: u32,
    /// A legacy `try`'s caught exception, from its first `catch` on.
    exn: Option<VReg>,
}

impl Frame {
    fn new(kind: Kind, height: usize, targets: Vec<VReg>, result_tys: Vec<Ty>) -> Frame {
        Frame {
            kind,
            height,
            targets,
            result_tys,
            block: None,
            else_block: None,
            else_params: Vec::new(),
            scope: crate::ir::NO_SCOPE,
            exn: None,
        }
    }
}

pub(crate) struct Translator<'m> {
    module: &'m ModuleInfo,
    /// The function being built (the caller's, filled in place).
    f: &'m mut Func,
    locals: Vec<VReg>,
    stack: Vec<Entry>,
    frames: Vec<Frame>,
    /// The block being filled; `None` in unreachable code.
    cur: Option<BlockId>,
    /// Blocks opened inside unreachable code (skipped entirely).
    dead_depth: u32,
    /// The last instruction, if it defined the top stack entry's register.
    last_def: Option<(usize, VReg)>,
    /// The module offset of the operator being translated.
    srcloc: u32,
    /// For an on-stack-replacement entry: the byte offset of the `loop` to
    /// enter at, and the entry block's jump to patch once its header exists.
    osr: Option<Osr>,
    /// What may still be inlined, and the callee being inlined if any.
    policy: InlinePolicy,
    budget: usize,
    inlining: Option<inline::Inlining>,
    /// Per local of the callee being inlined: the value it stands for, if
    /// the callee never writes it (its argument, or zero).
    aliases: Vec<Option<Entry>>,
    /// The innermost handler scope around the code being translated.
    scope: u32,
    scopes: Vec<exceptions::ScopeBuild>,
    /// Where the stacks go back to when the function is done.
    home: &'m mut Scratch,
}

#[derive(Clone, Copy)]
struct Osr {
    loop_offset: usize,
    entry_jump: usize,
    found: bool,
}

pub(crate) fn ty_of(t: ValType) -> Ty {
    match t {
        ValType::I32 => Ty::I32,
        ValType::I64 | ValType::Ref(_) => Ty::I64,
        ValType::F32 => Ty::F32,
        ValType::F64 => Ty::F64,
    }
}

/// Translate defined function `def_index` of `module` to IR, as written:
/// every call stays a call.
pub fn translate(module: &ModuleInfo, def_index: u32) -> Result<Func, JitError> {
    translate_inlining(module, def_index, InlinePolicy::NONE)
}

/// Translate defined function `def_index` of `module` to IR, replacing
/// calls of small leaf functions by their bodies as `policy` allows (what
/// [`crate::compile`] does; see [`InlinePolicy`]).
pub fn translate_inlining(
    module: &ModuleInfo,
    def_index: u32,
    policy: InlinePolicy,
) -> Result<Func, JitError> {
    let mut f = Func::default();
    translate_with(
        module,
        def_index,
        None,
        policy,
        &mut f,
        &mut Scratch::default(),
    )?;
    Ok(f)
}

/// [`translate_inlining`] into `f`, reusing its buffers and those of
/// `scratch` (whatever `f` held is replaced; after an error it is empty).
pub fn translate_into(
    module: &ModuleInfo,
    def_index: u32,
    policy: InlinePolicy,
    f: &mut Func,
    scratch: &mut Scratch,
) -> Result<(), JitError> {
    translate_with(module, def_index, None, policy, f, scratch)
}

/// Translate defined function `def_index` as an on-stack-replacement entry
/// at the `loop` whose operator starts at byte offset `loop_offset` (in
/// module coordinates): the function's parameters are *all* its locals, as
/// an interpreter frame holds them at that loop's header, and its entry
/// jumps straight to the header. The rest of the function is translated as
/// usual, so the compiled code runs the call to its end. Only loops entered
/// with an empty operand stack and no parameters qualify. Small leaf
/// callees are inlined as in [`translate_inlining`] with `policy`.
pub fn translate_osr(
    module: &ModuleInfo,
    def_index: u32,
    loop_offset: usize,
    policy: InlinePolicy,
) -> Result<Func, JitError> {
    let mut f = Func::default();
    translate_with(
        module,
        def_index,
        Some(loop_offset),
        policy,
        &mut f,
        &mut Scratch::default(),
    )?;
    Ok(f)
}

/// [`translate_osr`] into `f`, reusing its buffers (see [`translate_into`]).
pub fn translate_osr_into(
    module: &ModuleInfo,
    def_index: u32,
    loop_offset: usize,
    policy: InlinePolicy,
    f: &mut Func,
    scratch: &mut Scratch,
) -> Result<(), JitError> {
    translate_with(module, def_index, Some(loop_offset), policy, f, scratch)
}

/// Translate into `out`, reusing its buffers; after an error it is empty.
fn translate_with(
    module: &ModuleInfo,
    def_index: u32,
    osr_at: Option<usize>,
    policy: InlinePolicy,
    out: &mut Func,
    scratch: &mut Scratch,
) -> Result<(), JitError> {
    let result = translate_in_place(module, def_index, osr_at, policy, out, scratch);
    if result.is_err() {
        out.clear();
    }
    result
}

fn translate_in_place(
    module: &ModuleInfo,
    def_index: u32,
    osr_at: Option<usize>,
    policy: InlinePolicy,
    f: &mut Func,
    scratch: &mut Scratch,
) -> Result<(), JitError> {
    let index = module.num_imported_funcs + def_index;
    let ty = module.func_type(index);
    let (bytes, offset) = module.body(def_index);
    let body = FunctionBody::new(BinaryReader::new(bytes, offset as u64));
    // Room for what the body most likely needs, so the vectors do not
    // grow step by step: wasm code averages three to eight bytes per IR
    // instruction (and per new vreg), and a block per eight bytes or more.
    let (insts, blocks) = (bytes.len() / 2 + 8, bytes.len() / 8 + 4);
    f.clear();
    f.vregs.reserve(insts);
    f.insts.reserve(insts);
    f.srclocs.reserve(insts);
    f.blocks.reserve(blocks);
    f.layout.reserve(blocks);
    let mut t = Translator {
        module,
        f,
        locals: std::mem::take(&mut scratch.locals),
        stack: std::mem::take(&mut scratch.stack),
        frames: std::mem::take(&mut scratch.frames),
        cur: None,
        dead_depth: 0,
        last_def: None,
        srcloc: offset as u32,
        osr: None,
        policy,
        budget: policy.budget,
        inlining: None,
        aliases: std::mem::take(&mut scratch.aliases),
        scope: crate::ir::NO_SCOPE,
        scopes: Vec::new(),
        home: scratch,
    };
    for p in ty.params() {
        let v = t.f.new_vreg(ty_of(*p));
        t.locals.push(v);
        t.f.params.push(v);
    }
    t.f.results.extend(ty.results().iter().map(|r| ty_of(*r)));
    t.f.has_memory = !module.memories.is_empty();
    let entry = t.new_block();
    t.start(entry);
    for local in body.get_locals_reader()? {
        let (count, vt) = local?;
        let vt = wx_core::types::val_type(vt)
            .map_err(|feature| JitError::Unsupported { opcode: feature })?;
        for _ in 0..count {
            let v = t.f.new_vreg(ty_of(vt));
            t.locals.push(v);
            if osr_at.is_some() {
                t.f.params.push(v);
            } else {
                t.emit(Inst::Const {
                    ty: ty_of(vt),
                    dst: v,
                    bits: 0,
                });
            }
        }
    }
    let entry_checks = t.f.insts.len();
    if osr_at.is_none() {
        t.interrupt_checks();
    }
    if let Some(loop_offset) = osr_at {
        // The target is patched when the loop's header is created; the
        // function's own start becomes unreachable.
        let entry_jump = t.f.insts.len();
        t.terminate(Inst::Jump { target: entry });
        t.osr = Some(Osr {
            loop_offset,
            entry_jump,
            found: false,
        });
        let body = t.new_block();
        t.start(body);
    }
    // (Returns take the function's result types from `f.results`.)
    t.frames
        .push(Frame::new(Kind::Function, 0, Vec::new(), Vec::new()));
    let mut reader = body.get_operators_reader()?;
    if t.osr.is_none() {
        let (code, offset) = operator_bytes(&reader)?;
        decode::feed_operators(&mut t, code, offset)?;
    }
    // An OSR entry reads operator by operator, to find its loop.
    while t.osr.is_some() && !reader.eof() {
        let (op, at) = reader.read_with_offset()?;
        t.srcloc = at as u32;
        let osr_header = matches!(op, Operator::Loop { .. })
            && t.osr.is_some_and(|o| o.loop_offset as u64 == at);
        // The interpreter counts every loop, dead ones too, but a loop in
        // unreachable code never runs, so never gets hot: only a caller
        // that asks for every loop (the compile fuzz target) meets one.
        if osr_header && t.cur.is_none() {
            return Err(JitError::Unsupported {
                opcode: "loop in unreachable code (as an OSR entry)".into(),
            });
        }
        if osr_header && !t.stack.is_empty() {
            return Err(JitError::Unsupported {
                opcode: "loop entered with operand-stack values (as an OSR entry)".into(),
            });
        }
        // A legacy catch's exception lives in an interpreter slot no
        // local names: the entry could not pass it for `rethrow`.
        if osr_header && t.frames.iter().any(|f| f.kind == Kind::Catch) {
            return Err(JitError::Unsupported {
                opcode: "loop inside a legacy catch (as an OSR entry)".into(),
            });
        }
        t.operator(op)?;
        if osr_header {
            let frame = t.frames.last().expect("the loop's frame");
            if !frame.targets.is_empty() {
                return Err(JitError::Unsupported {
                    opcode: "loop with parameters (as an OSR entry)".into(),
                });
            }
            let header = frame.block.expect("a loop has a header");
            let osr = t.osr.as_mut().expect("an OSR translation");
            t.f.insts[osr.entry_jump] = Inst::Jump { target: header };
            osr.found = true;
        }
    }
    if t.osr.is_some_and(|o| !o.found) {
        return Err(JitError::Internal(format!(
            "no reachable loop at offset {} for on-stack replacement",
            osr_at.unwrap_or_default()
        )));
    }
    t.finish_scopes()?;
    if osr_at.is_none() {
        t.drop_entry_epoch_check_of_leaf(entry_checks);
    }
    // The translator builds blocks by construction; debug builds and the
    // allocation checker (`check_allocation`) confirm it.
    if cfg!(debug_assertions) {
        t.f.verify().map_err(JitError::Internal)?;
    }
    Ok(())
}

/// The operator bytes `reader` has yet to read, and their offset in the
/// module.
fn operator_bytes<'a>(
    reader: &wasmparser::OperatorsReader<'a>,
) -> Result<(&'a [u8], u64), JitError> {
    let mut r = reader.get_binary_reader();
    let offset = r.original_position();
    Ok((r.read_bytes(r.bytes_remaining())?, offset))
}

/// The translator's working stacks, kept (empty) from one function to the
/// next by the caller so that translating one allocates only its IR.
#[derive(Default)]
pub struct Scratch {
    locals: Vec<VReg>,
    stack: Vec<Entry>,
    frames: Vec<Frame>,
    aliases: Vec<Option<Entry>>,
}

impl Drop for Translator<'_> {
    /// Hand the stacks back for the next function (unless a huge one grew
    /// them).
    fn drop(&mut self) {
        const KEEP: usize = 1 << 12;
        if self.locals.capacity() > KEEP
            || self.stack.capacity() > KEEP
            || self.frames.capacity() > KEEP
        {
            return;
        }
        let home = &mut *self.home;
        home.locals = std::mem::take(&mut self.locals);
        home.stack = std::mem::take(&mut self.stack);
        home.frames = std::mem::take(&mut self.frames);
        home.aliases = std::mem::take(&mut self.aliases);
        home.locals.clear();
        home.stack.clear();
        home.frames.clear();
        home.aliases.clear();
    }
}

impl Translator<'_> {
    // ---- blocks ----

    fn new_block(&mut self) -> BlockId {
        self.f.blocks.push(BlockData { insts: 0..0 });
        BlockId(self.f.blocks.len() as u32 - 1)
    }

    fn start(&mut self, b: BlockId) {
        let at = self.f.insts.len() as u32;
        self.f.blocks[b.0 as usize].insts = at..at;
        self.f.layout.push(b);
        self.cur = Some(b);
        self.last_def = None;
    }

    fn emit(&mut self, inst: Inst) -> usize {
        debug_assert!(self.cur.is_some(), "emitting into unreachable code");
        self.f.insts.push(inst);
        self.f.srclocs.push(self.srcloc);
        self.last_def = None;
        self.f.insts.len() - 1
    }

    /// End the current block with `inst`.
    fn terminate(&mut self, inst: Inst) {
        self.emit(inst);
        if let Some(b) = self.cur.take() {
            self.f.blocks[b.0 as usize].insts.end = self.f.insts.len() as u32;
        }
    }

    /// The block branches to frame `depth` go to.
    fn target_block(&mut self, depth: u32) -> BlockId {
        let idx = self.frames.len() - 1 - depth as usize;
        if let Some(b) = self.frames[idx].block {
            return b;
        }
        let b = self.new_block();
        self.frames[idx].block = Some(b);
        b
    }

    // ---- values ----

    fn push(&mut self, val: Val, ty: Ty) {
        self.stack.push(Entry { val, ty });
    }

    /// Push a fresh register of type `ty`, to be defined by the next instruction.
    fn push_def(&mut self, ty: Ty) -> VReg {
        let v = self.f.new_vreg(ty);
        self.push(Val::Reg(v), ty);
        v
    }

    /// Emit `inst`, which defines the (just pushed) top register.
    fn emit_def(&mut self, inst: Inst, v: VReg) {
        let at = self.emit(inst);
        self.last_def = Some((at, v));
    }

    fn pop(&mut self) -> Entry {
        self.stack
            .pop()
            .expect("validated code never pops an empty stack")
    }

    /// A register holding `e`'s value.
    fn reg(&mut self, e: Entry) -> VReg {
        match e.val {
            Val::Reg(v) => v,
            Val::Local(l) => self.locals[l as usize],
            Val::Const(bits) => {
                let v = self.f.new_vreg(e.ty);
                self.emit(Inst::Const {
                    ty: e.ty,
                    dst: v,
                    bits,
                });
                v
            }
        }
    }

    fn pop_reg(&mut self) -> VReg {
        let e = self.pop();
        self.reg(e)
    }

    /// A list (in the function's pool) of registers holding the `n` stack
    /// entries from `base` up.
    fn list_regs(&mut self, base: usize, n: usize) -> List {
        let start = self.f.lists.len() as u32;
        for i in base..base + n {
            let e = self.stack[i];
            // `reg` may emit a constant, never a list.
            let v = self.reg(e);
            self.f.lists.push(v.0);
        }
        List {
            start,
            len: n as u32,
        }
    }

    /// Copy lazy reads of local `l` (or of every local the code being
    /// translated can write: an inlined callee cannot write its caller's)
    /// below `end` into registers.
    fn materialize_locals(&mut self, only: Option<u32>, end: usize) {
        let writable = self.inlining.map_or(0, |i| i.local_base);
        for i in 0..end {
            if let Val::Local(l) = self.stack[i].val {
                if only.is_none_or(|o| o == l) && l >= writable {
                    let ty = self.stack[i].ty;
                    let v = self.f.new_vreg(ty);
                    self.emit(Inst::Move {
                        ty,
                        dst: v,
                        src: self.locals[l as usize],
                    });
                    self.stack[i].val = Val::Reg(v);
                }
            }
        }
    }

    /// Write the top `targets.len()` values into `targets`.
    fn move_top_into(&mut self, targets: &[VReg]) {
        let n = targets.len();
        let base = self.stack.len() - n;
        let mut moves = 0..n;
        // The top value was just computed: compute it into its target.
        if let (Some(&last), Some((at, def))) = (targets.last(), self.last_def) {
            if self.stack[base + n - 1].val == Val::Reg(def) && at + 1 == self.f.insts.len() {
                *self.f.insts[at].dst_mut().expect("definitions have a dst") = last;
                self.last_def = None;
                moves = 0..n - 1;
            }
        }
        for i in moves {
            let dst = targets[i];
            let e = self.stack[base + i];
            match e.val {
                Val::Const(bits) => {
                    self.emit(Inst::Const {
                        ty: e.ty,
                        dst,
                        bits,
                    });
                }
                _ => {
                    let src = self.reg(e);
                    if src != dst {
                        self.emit(Inst::Move { ty: e.ty, dst, src });
                    }
                }
            }
        }
    }

    // ---- control ----

    fn block_tys(&self, bt: wasmparser::BlockType) -> Result<(Vec<Ty>, Vec<Ty>), JitError> {
        Ok(match bt {
            wasmparser::BlockType::Empty => (vec![], vec![]),
            wasmparser::BlockType::Type(t) => {
                let t =
                    wx_core::types::val_type(t).map_err(|f| JitError::Unsupported { opcode: f })?;
                (vec![], vec![ty_of(t)])
            }
            wasmparser::BlockType::FuncType(i) => {
                let f = &self.module.types[i as usize];
                (
                    f.params().iter().map(|t| ty_of(*t)).collect(),
                    f.results().iter().map(|t| ty_of(*t)).collect(),
                )
            }
        })
    }

    fn fresh(&mut self, tys: &[Ty]) -> Vec<VReg> {
        tys.iter().map(|t| self.f.new_vreg(*t)).collect()
    }

    /// The checks a function entry or loop header makes for the host,
    /// as the module is configured (see `ModuleInfo::interrupts`).
    fn interrupt_checks(&mut self) {
        if self.module.interrupts.fuel {
            self.emit(Inst::ConsumeFuel);
        }
        if self.module.interrupts.epoch {
            self.emit(Inst::EpochCheck);
        }
    }

    /// A function that calls nothing ends in bounded time unless a loop of
    /// its own runs on, and each loop header checks: the entry's epoch
    /// check (among the checks from `at`) is not needed, and without it
    /// the function stays a leaf, frameless if small. It becomes a
    /// constant nobody reads, which liveness drops. (Fuel stays: one unit
    /// per entry is its definition.)
    fn drop_entry_epoch_check_of_leaf(&mut self, at: usize) {
        // Only a module that checks epochs has one to drop; the others pay
        // no scan of the function.
        let end = (at + 2).min(self.f.insts.len());
        let Some(i) = (at..end).find(|&i| matches!(self.f.insts[i], Inst::EpochCheck)) else {
            return;
        };
        let calls = |i: &Inst| matches!(i, Inst::Call { .. } | Inst::CallIndirect { .. });
        if self.f.insts.iter().any(calls) {
            return;
        }
        let dst = self.f.new_vreg(Ty::I32);
        self.f.insts[i] = Inst::Const {
            ty: Ty::I32,
            dst,
            bits: 0,
        };
    }

    fn open(&mut self, kind: Kind, bt: wasmparser::BlockType) -> Result<(), JitError> {
        let (params, results) = self.block_tys(bt)?;
        // An `if` consumes its condition before anything else happens.
        let cond = if kind == Kind::If {
            Some(self.pop_branch_cond())
        } else {
            None
        };
        let len = self.stack.len();
        self.materialize_locals(None, len);
        let height = len - params.len();
        let frame = match kind {
            Kind::Loop => {
                let targets = self.fresh(&params);
                self.move_top_into(&targets);
                self.stack.truncate(height);
                for (&v, &ty) in targets.iter().zip(&params) {
                    self.push(Val::Reg(v), ty);
                }
                let header = self.new_block();
                self.terminate(Inst::Jump { target: header });
                self.start(header);
                self.interrupt_checks();
                Frame {
                    block: Some(header),
                    ..Frame::new(kind, height, targets, results)
                }
            }
            Kind::If => {
                let (then, otherwise) = (self.new_block(), self.new_block());
                self.branch_on(cond.expect("if has a condition"), then, otherwise);
                self.start(then);
                let else_params = self.stack[height..].to_vec();
                Frame {
                    else_block: Some(otherwise),
                    else_params,
                    ..Frame::new(kind, height, self.fresh(&results), results)
                }
            }
            _ => Frame::new(kind, height, self.fresh(&results), results),
        };
        self.frames.push(frame);
        Ok(())
    }

    /// Pop a condition, fusing it with the integer comparison that
    /// computed it.
    fn pop_cond(&mut self) -> Cond {
        self.pop_cond_fusing(false)
    }

    /// Pop a branch's condition: float comparisons fuse as well.
    fn pop_branch_cond(&mut self) -> Cond {
        self.pop_cond_fusing(true)
    }

    fn pop_cond_fusing(&mut self, floats: bool) -> Cond {
        let top = *self.stack.last().expect("validated condition");
        if let (Val::Reg(v), Some((at, def))) = (top.val, self.last_def) {
            if v == def && at + 1 == self.f.insts.len() {
                let fused = match self.f.insts[at] {
                    Inst::ICmp { cc, ty, a, b, .. } => Some(Cond::Cmp(cc, ty, a, b)),
                    Inst::ICmpImm { cc, ty, a, imm, .. } => Some(Cond::CmpImm(cc, ty, a, imm)),
                    Inst::Eqz { ty, src, .. } => Some(Cond::CmpImm(IntCC::Eq, ty, src, 0)),
                    Inst::FCmp { cc, ty, a, b, .. } if floats => Some(Cond::FCmp(cc, ty, a, b)),
                    _ => None,
                };
                if let Some(c) = fused {
                    self.f.insts.pop();
                    self.f.srclocs.pop();
                    self.stack.pop();
                    if v.0 as usize + 1 == self.f.vregs.len() {
                        self.f.vregs.pop();
                    }
                    self.last_def = None;
                    return c;
                }
            }
        }
        if let Val::Const(bits) = top.val {
            self.stack.pop();
            return Cond::Const(bits as u32 != 0);
        }
        Cond::Reg(self.pop_reg())
    }

    fn branch_on(&mut self, cond: Cond, then: BlockId, otherwise: BlockId) {
        let inst = match cond {
            Cond::Reg(c) => Inst::Branch {
                cond: c,
                then,
                otherwise,
            },
            Cond::Cmp(cc, ty, a, b) => Inst::BranchCmp {
                cc,
                ty,
                a,
                b,
                then,
                otherwise,
            },
            Cond::FCmp(cc, ty, a, b) => Inst::BranchFCmp {
                cc,
                ty,
                a,
                b,
                then,
                otherwise,
            },
            Cond::CmpImm(cc, ty, a, imm) => Inst::BranchCmpImm {
                cc,
                ty,
                a,
                imm,
                then,
                otherwise,
            },
            Cond::Const(true) => Inst::Jump { target: then },
            Cond::Const(false) => Inst::Jump { target: otherwise },
        };
        self.terminate(inst);
    }

    fn ret(&mut self) {
        let n = self.f.results.len();
        let values = self.list_regs(self.stack.len() - n, n);
        self.terminate(Inst::Return { values });
    }

    /// Branch to frame `depth` with the top values (unconditionally).
    fn br(&mut self, depth: u32) {
        let idx = self.frames.len() - 1 - depth as usize;
        if self.frames[idx].kind == Kind::Function {
            return self.ret();
        }
        self.ensure_targets(idx);
        let targets = self.frames[idx].targets.clone();
        self.move_top_into(&targets);
        let b = self.target_block(depth);
        self.terminate(Inst::Jump { target: b });
    }

    fn br_if(&mut self, depth: u32) {
        let cond = self.pop_branch_cond();
        let idx = self.frames.len() - 1 - depth as usize;
        self.ensure_targets(idx);
        let cont = self.new_block();
        if self.frames[idx].kind != Kind::Function && self.frames[idx].targets.is_empty() {
            let b = self.target_block(depth);
            self.branch_on(cond, b, cont);
        } else {
            // The taken edge needs moves (or a return): give it its own block.
            let edge = self.new_block();
            self.branch_on(cond, edge, cont);
            self.start(edge);
            self.br(depth);
        }
        self.start(cont);
    }

    fn br_table(&mut self, targets: &[u32], default: u32) {
        let index = self.pop_reg();
        let mut blocks = Vec::with_capacity(targets.len() + 1);
        let mut edges = Vec::new();
        for &depth in targets.iter().chain(std::iter::once(&default)) {
            let idx = self.frames.len() - 1 - depth as usize;
            self.ensure_targets(idx);
            if self.frames[idx].kind != Kind::Function && self.frames[idx].targets.is_empty() {
                blocks.push(self.target_block(depth).0);
            } else {
                let edge = self.new_block();
                blocks.push(edge.0);
                edges.push((edge, depth));
            }
        }
        let list = self.f.list(blocks);
        self.terminate(Inst::BrTable {
            index,
            targets: list,
        });
        for (edge, depth) in edges {
            self.start(edge);
            self.br(depth);
        }
    }

    /// If code here is reachable, carry the top values to the end of the
    /// innermost frame.
    fn fall_to_end(&mut self) {
        if self.cur.is_some() {
            let targets = self.frames.last().expect("a frame").targets.clone();
            self.move_top_into(&targets);
            let b = self.target_block(0);
            self.terminate(Inst::Jump { target: b });
        }
    }

    /// After a block-like frame's last edge: its results on the stack,
    /// translation going on at its end (unreachable code if no edge
    /// arrives there).
    fn finish_frame(&mut self, frame: Frame) {
        self.stack.truncate(frame.height);
        for (&v, &ty) in frame.targets.iter().zip(&frame.result_tys) {
            self.push(Val::Reg(v), ty);
        }
        if let Some(b) = frame.block {
            self.start(b);
        }
    }

    fn do_else(&mut self) {
        self.fall_to_end();
        let frame = self.frames.last_mut().expect("else in if");
        frame.kind = Kind::Else;
        let else_block = frame.else_block.take().expect("if has an else block");
        let (height, params) = (frame.height, std::mem::take(&mut frame.else_params));
        self.stack.truncate(height);
        self.stack.extend(params);
        self.start(else_block);
    }

    fn end(&mut self) {
        let frame = self.frames.last().expect("end of a frame");
        match frame.kind {
            Kind::TryTable => return self.end_try_table(),
            Kind::Try => self.end_legacy_try(),
            _ => {}
        }
        let frame = self.frames.last().expect("end of a frame");
        if frame.kind == Kind::Inline && frame.block.is_none() && self.cur.is_some() {
            // Nothing branches to the end of the inlined body: the caller
            // goes on in the same block with the results where they are.
            return self.end_inline_fallthrough();
        }
        if frame.kind == Kind::Function {
            if self.cur.is_some() {
                self.ret();
            }
            self.frames.pop();
            return;
        }
        if frame.kind == Kind::Loop {
            // Falling out of a loop continues in the same block with the
            // results where they are.
            self.frames.pop();
            return;
        }
        self.ensure_targets(self.frames.len() - 1);
        self.fall_to_end();
        let frame = self.frames.last_mut().expect("end of a frame");
        if let Some(else_block) = frame.else_block.take() {
            let targets = frame.targets.clone();
            // `if` without `else`: the false edge passes the parameters on.
            let (height, params) = (frame.height, std::mem::take(&mut frame.else_params));
            self.stack.truncate(height);
            self.stack.extend(params);
            self.start(else_block);
            self.move_top_into(&targets);
            let b = self.target_block(0);
            self.terminate(Inst::Jump { target: b });
        }
        let frame = self.frames.pop().expect("end of a frame");
        self.finish_frame(frame);
    }

    fn operator(&mut self, op: Operator<'_>) -> Result<(), JitError> {
        if self.cur.is_none() {
            match op {
                Operator::Block { .. }
                | Operator::Loop { .. }
                | Operator::If { .. }
                | Operator::TryTable { .. }
                | Operator::Try { .. } => self.dead_depth += 1,
                Operator::End | Operator::Delegate { .. } if self.dead_depth > 0 => {
                    self.dead_depth -= 1
                }
                _ if self.dead_depth > 0 => {}
                Operator::Else => self.do_else(),
                Operator::Catch { tag_index } => self.legacy_catch(Some(tag_index)),
                Operator::CatchAll => self.legacy_catch(None),
                Operator::Delegate { relative_depth } => self.delegate(relative_depth),
                Operator::End => self.end(),
                _ => {}
            }
            return Ok(());
        }
        match op {
            Operator::Block { blockty } => self.open(Kind::Block, blockty)?,
            Operator::Loop { blockty } => self.open(Kind::Loop, blockty)?,
            Operator::If { blockty } => self.open(Kind::If, blockty)?,
            Operator::Else => self.do_else(),
            Operator::End => self.end(),
            Operator::TryTable { try_table } => self.try_table(try_table)?,
            Operator::Try { blockty } => self.legacy_try(blockty)?,
            Operator::Catch { tag_index } => self.legacy_catch(Some(tag_index)),
            Operator::CatchAll => self.legacy_catch(None),
            Operator::Delegate { relative_depth } => self.delegate(relative_depth),
            Operator::Rethrow { relative_depth } => self.rethrow(relative_depth),
            Operator::Br { relative_depth } => self.br(relative_depth),
            Operator::BrIf { relative_depth } => self.br_if(relative_depth),
            Operator::BrTable { targets } => {
                let list = targets.targets().collect::<Result<Vec<u32>, _>>()?;
                self.br_table(&list, targets.default());
            }
            Operator::Return => match self.inlining {
                Some(i) => self.br((self.frames.len() - 1 - i.frame) as u32),
                None => self.ret(),
            },
            Operator::Unreachable => self.terminate(Inst::Trap {
                code: TrapCode::Unreachable,
            }),
            other => self.plain(other)?,
        }
        Ok(())
    }
}

/// Feeds operators from the reader straight to [`Translator::operator`]:
/// each visitor method builds its `Operator` in place, instead of the
/// reader returning it (a large enum) through a `Result` that is then
/// moved again. Operators are translated exactly as read.
struct Feed<'t, 'm>(&'t mut Translator<'m>);

macro_rules! feed_operator {
    ($(@$proposal:ident $op:ident $({ $($arg:ident: $argty:ty),* })? => $visit:ident ($($ann:tt)*))*) => {
        $(
            fn $visit(&mut self $($(,$arg: $argty)*)?) -> Self::Output {
                self.0.operator(Operator::$op $({ $($arg),* })?)
            }
        )*
    };
}

impl<'a> VisitOperator<'a> for Feed<'_, '_> {
    type Output = Result<(), JitError>;

    fn simd_visitor(&mut self) -> Option<&mut dyn VisitSimdOperator<'a, Output = Self::Output>> {
        Some(self)
    }

    wasmparser::for_each_visit_operator!(feed_operator);
}

impl<'a> VisitSimdOperator<'a> for Feed<'_, '_> {
    wasmparser::for_each_visit_simd_operator!(feed_operator);
}

/// A branch condition.
#[derive(Clone, Copy, Debug)]
enum Cond {
    Reg(VReg),
    Cmp(IntCC, Ty, VReg, VReg),
    CmpImm(IntCC, Ty, VReg, i32),
    /// Only from [`Translator::pop_branch_cond`].
    FCmp(crate::ir::FloatCC, Ty, VReg, VReg),
    Const(bool),
}

#[cfg(test)]
mod tests;
