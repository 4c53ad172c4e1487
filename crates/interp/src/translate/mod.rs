//! Wasm function body -> slot bytecode, in one pass.
//!
//! The translator keeps a compile-time model of the operand stack. Each entry
//! has a home slot (`num_locals + height`) and a *provider* saying where its
//! value is right now: already in its home slot (`Temp`), still in a local
//! (`Local`, a lazy `local.get`), or a constant (`Const`). Instructions read
//! operands straight from their providers, so `local.get` and `*.const` emit
//! nothing; constants on the right of common integer ops select `*Imm` forms.
//!
//! Invariants:
//! - A `Local(x)` entry is valid until `x` is written: `local.set/tee x`
//!   first copies every such entry to its home slot.
//! - At every control-flow join all entries are where the join expects them:
//!   block entry materialises parameters and lazy locals, branches copy their
//!   values to the target's home slots, block ends materialise results.
//! - `last_producer` names the last instruction iff it wrote the top entry's
//!   home slot and no label was bound since; only then may `local.set` retarget
//!   its result, or a branch fuse with its comparison.

mod atomics;
mod exceptions;
mod ops;

use crate::bytecode::{Op, Slot};
use crate::code::{FuncCode, NO_SCOPE};
use std::collections::HashMap;
use std::sync::atomic::AtomicU64;
use std::time::Instant;
use wasmparser::{BinaryReader, FunctionBody, Operator};
use wx_core::module::ModuleInfo;
use wx_core::CompileError;

/// Slots numbered from here name constants until the frame is laid out.
const CONST_MARK: Slot = 1 << 31;
/// Slots numbered from here (below `CONST_MARK`) name the hidden slots of
/// legacy catches (one per nesting depth), placed after the constants:
/// below every operand slot, so a callee's frame (which starts at its
/// arguments) never overlaps them.
const EXN_MARK: Slot = 1 << 30;

/// Where a stack entry's value is.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Provider {
    Temp,
    Local(u32),
    Const(u64),
    /// `local + imm` as an i32 (wrapping): a lazy `i32.add` of a constant to
    /// a local, which a following load or store takes as its address.
    LocalPlus(u32, i32),
}

impl Provider {
    /// Does this entry's value depend on local `local`?
    fn reads_local(self, local: u32) -> bool {
        matches!(self, Provider::Local(l) | Provider::LocalPlus(l, _) if l == local)
    }
}

#[derive(Clone, Copy, Debug, PartialEq)]
enum CtrlKind {
    Block,
    Loop,
    If,
    Else,
    /// A `try_table` body.
    TryTable,
    /// A legacy `try` body, before its first `catch`.
    Try,
    /// A legacy `try` from its first `catch` (or `catch_all`) on.
    Catch,
}

#[derive(Debug)]
pub(super) struct Ctrl {
    kind: CtrlKind,
    /// Stack height below the block's parameters.
    height: u32,
    params: u32,
    results: u32,
    /// Loop: index of the header instruction (branch target).
    header: usize,
    /// Forward branches to patch to the block's end.
    fixups: Vec<usize>,
    /// If: the conditional branch to patch to `else` (or to `end`).
    else_fixup: Option<usize>,
    /// Was the start of the block reachable?
    entry_reachable: bool,
    /// `try_table` / `try`: its handler scope, and the one around it.
    scope: u32,
    enclosing: u32,
    /// Legacy catch: the hidden slot holding the caught exception.
    exn_slot: Slot,
    /// `try_table`: its catch clauses.
    try_catches: Vec<wasmparser::Catch>,
}

impl Ctrl {
    fn new(
        kind: CtrlKind,
        height: u32,
        params: u32,
        results: u32,
        else_fixup: Option<usize>,
    ) -> Ctrl {
        Ctrl {
            kind,
            height,
            params,
            results,
            header: 0,
            fixups: Vec::new(),
            else_fixup,
            entry_reachable: true,
            scope: NO_SCOPE,
            enclosing: NO_SCOPE,
            exn_slot: 0,
            try_catches: Vec::new(),
        }
    }
}

pub(crate) struct Translator<'m> {
    module: &'m ModuleInfo,
    ops: Vec<Op>,
    /// Per op: the module offset of the operator it came from.
    offsets: Vec<u32>,
    stack: Vec<Provider>,
    ctrl: Vec<Ctrl>,
    num_locals: u32,
    num_results: u32,
    max_height: u32,
    /// Byte offset of each loop's `loop` operator, by counter index.
    loop_offsets: Vec<u32>,
    /// Byte offset of the operator being translated.
    op_offset: u32,
    /// Constants read as operands, each given a frame slot (see `const_slot`).
    consts: Vec<u64>,
    const_slots: HashMap<u64, u32>,
    /// (index of the producing instruction, code length right after it).
    last_producer: Option<(usize, usize)>,
    reachable: bool,
    /// Nesting depth of blocks opened inside unreachable code.
    dead_depth: u32,
    /// Exception handler scopes (see `exceptions.rs`), the innermost one
    /// open, and the nesting of legacy catches (hidden slots in use).
    scopes: Vec<exceptions::ScopeBuild>,
    current_scope: u32,
    legacy_depth: u32,
    max_legacy_depth: u32,
}

/// Translate defined function `def_index` of `module`.
pub fn translate(module: &ModuleInfo, def_index: u32) -> Result<FuncCode, CompileError> {
    let start = Instant::now();
    let func_index = module.num_imported_funcs + def_index;
    let ty = module.func_type(func_index);
    let (bytes, offset) = module.body(def_index);
    let body = FunctionBody::new(BinaryReader::new(bytes, offset as u64));

    let mut num_locals = ty.params().len() as u64;
    for local in body.get_locals_reader()? {
        let (count, _) = local?;
        num_locals += count as u64;
    }
    if num_locals > 1 << 20 {
        return Err(CompileError::Limit {
            message: format!("{num_locals} locals in one function"),
        });
    }
    let mut t = Translator {
        module,
        ops: Vec::with_capacity(bytes.len() / 2),
        offsets: Vec::with_capacity(bytes.len() / 2),
        stack: Vec::with_capacity(16),
        ctrl: Vec::new(),
        num_locals: num_locals as u32,
        num_results: ty.results().len() as u32,
        max_height: 0,
        loop_offsets: Vec::new(),
        op_offset: 0,
        consts: Vec::new(),
        const_slots: HashMap::new(),
        last_producer: None,
        reachable: true,
        dead_depth: 0,
        scopes: Vec::new(),
        current_scope: NO_SCOPE,
        legacy_depth: 0,
        max_legacy_depth: 0,
    };
    t.ctrl
        .push(Ctrl::new(CtrlKind::Block, 0, 0, t.num_results, None));
    let mut reader = body.get_operators_reader()?;
    while !reader.eof() {
        let (op, at) = reader.read_with_offset()?;
        t.op_offset = at as u32;
        t.operator(op)?;
    }
    thread_jumps_to_returns(&mut t.ops);
    // Lay out the frame:
    // [params, locals | constants | hidden catch slots | operand stack].
    let (num_locals, num_consts) = (t.num_locals, t.consts.len() as u32);
    let hidden = num_locals + num_consts;
    let below_stack = num_consts + t.max_legacy_depth;
    let layout = |s: Slot| {
        if s >= CONST_MARK {
            num_locals + (s - CONST_MARK)
        } else if s >= EXN_MARK {
            hidden + (s - EXN_MARK)
        } else if s >= num_locals {
            s + below_stack
        } else {
            s
        }
    };
    for op in &mut t.ops {
        op.map_slots(layout);
    }
    let (handlers, catches) = t.take_handlers(layout);
    let frame_size = (num_locals + below_stack + t.max_height + 1)
        .max(ty.params().len() as u32)
        .max(t.num_results);
    let instrs = crate::exec::lower::lower(&t.ops);
    let code = FuncCode {
        ops: t.ops.into_boxed_slice(),
        offsets: t.offsets.into_boxed_slice(),
        instrs,
        num_params: ty.params().len() as u32,
        num_locals: t.num_locals,
        num_results: t.num_results,
        frame_size,
        consts: t.consts.into_boxed_slice(),
        calls: AtomicU64::new(0),
        loops: t.loop_offsets.iter().map(|_| AtomicU64::new(0)).collect(),
        loop_offsets: t.loop_offsets.into_boxed_slice(),
        translate_time: start.elapsed(),
        def_index,
        hot_calls: AtomicU64::new(u64::MAX),
        hot_loop: u64::MAX,
        handlers,
        catches,
    };
    tracing::trace!(
        target: "wx::interp",
        func = func_index,
        ops = code.ops.len(),
        micros = code.translate_time.as_micros() as u64,
        "translated"
    );
    Ok(code)
}

impl<'m> Translator<'m> {
    // ---- stack model ----

    fn home(&self, index: usize) -> Slot {
        self.num_locals + index as u32
    }

    fn note_height(&mut self, h: usize) {
        self.max_height = self.max_height.max(h as u32);
    }

    fn push(&mut self, p: Provider) {
        self.stack.push(p);
        let h = self.stack.len();
        self.note_height(h);
    }

    /// Push a result that the next instruction writes; returns its home slot.
    fn push_temp(&mut self) -> Slot {
        self.push(Provider::Temp);
        self.home(self.stack.len() - 1)
    }

    fn pop(&mut self) -> Provider {
        // Validation guarantees the stack is deep enough in reachable code.
        self.stack.pop().unwrap_or(Provider::Temp)
    }

    /// The slot holding entry `index` whose provider is `p`, materialising constants.
    fn slot_of(&mut self, p: Provider, index: usize) -> Slot {
        match p {
            Provider::Temp => self.home(index),
            Provider::Local(l) => l,
            Provider::Const(v) => self.const_slot(v),
            Provider::LocalPlus(l, imm) => {
                let dst = self.home(index);
                self.emit(Op::I32AddImm { dst, a: l, imm });
                dst
            }
        }
    }

    /// The slot holding constant `v`: constants read as operands live in the
    /// frame, after the locals, written once on entry. Until the frame is
    /// laid out their slots are numbered from [`CONST_MARK`].
    fn const_slot(&mut self, v: u64) -> Slot {
        let consts = &mut self.consts;
        let k = *self.const_slots.entry(v).or_insert_with(|| {
            consts.push(v);
            consts.len() as u32 - 1
        });
        CONST_MARK + k
    }

    /// Pop the top entry and return a slot holding its value.
    fn pop_slot(&mut self) -> Slot {
        let index = self.stack.len().saturating_sub(1);
        let p = self.pop();
        self.slot_of(p, index)
    }

    fn emit_const(&mut self, dst: Slot, v: u64) {
        if v >> 32 == 0 {
            self.emit(Op::Const32 {
                dst,
                value: v as u32,
            });
        } else {
            self.emit(Op::Const64 {
                dst,
                lo: v as u32,
                hi: (v >> 32) as u32,
            });
        }
    }

    /// Make entry `index` live in its home slot.
    fn materialize(&mut self, index: usize) {
        let dst = self.home(index);
        match self.stack[index] {
            Provider::Temp => return,
            Provider::Local(l) => {
                self.emit(Op::Copy { dst, src: l });
            }
            Provider::Const(v) => self.emit_const(dst, v),
            Provider::LocalPlus(l, imm) => {
                self.emit(Op::I32AddImm { dst, a: l, imm });
            }
        }
        self.stack[index] = Provider::Temp;
    }

    fn materialize_top(&mut self, n: u32) {
        let len = self.stack.len();
        for i in len.saturating_sub(n as usize)..len {
            self.materialize(i);
        }
    }

    /// Copy every lazy `local.get` of `local` to its home slot.
    /// (Only entries below `end`: the value being stored is handled by the caller.)
    fn materialize_local(&mut self, local: u32, end: usize) {
        for i in 0..end {
            if self.stack[i].reads_local(local) {
                self.materialize(i);
            }
        }
    }

    fn materialize_all_locals(&mut self) {
        for i in 0..self.stack.len() {
            if matches!(self.stack[i], Provider::Local(_) | Provider::LocalPlus(..)) {
                self.materialize(i);
            }
        }
    }

    // ---- emission ----

    fn emit(&mut self, op: Op) -> usize {
        self.ops.push(op);
        self.offsets.push(self.op_offset);
        self.last_producer = None;
        self.ops.len() - 1
    }

    /// Emit an instruction that writes the (just pushed) top entry's home slot.
    fn emit_result(&mut self, op: Op) {
        let at = self.emit(op);
        self.last_producer = Some((at, self.ops.len()));
    }

    /// Like `emit_result`, for an instruction followed by its operand trailer.
    fn emit_result_with(&mut self, op: Op, trailer: Op) {
        let at = self.emit(op);
        self.emit(trailer);
        self.last_producer = Some((at, self.ops.len()));
    }

    /// Bind a label at the current position.
    fn bind_here(&mut self) -> usize {
        self.last_producer = None;
        self.ops.len()
    }

    fn patch(&mut self, at: usize, target: usize) {
        let offset = target as i32 - at as i32;
        match &mut self.ops[at] {
            Op::Br { offset: o }
            | Op::BrIfNez { offset: o, .. }
            | Op::BrIfEqz { offset: o, .. }
            | Op::BrIfI64Nez { offset: o, .. }
            | Op::BrIfI64Eqz { offset: o, .. }
            | Op::BrI32Eq { offset: o, .. }
            | Op::BrI32Ne { offset: o, .. }
            | Op::BrI32LtS { offset: o, .. }
            | Op::BrI32LtU { offset: o, .. }
            | Op::BrI32GtS { offset: o, .. }
            | Op::BrI32GtU { offset: o, .. }
            | Op::BrI32LeS { offset: o, .. }
            | Op::BrI32LeU { offset: o, .. }
            | Op::BrI32GeS { offset: o, .. }
            | Op::BrI32GeU { offset: o, .. }
            | Op::BrI32EqImm { offset: o, .. }
            | Op::BrI32NeImm { offset: o, .. }
            | Op::BrI32LtSImm { offset: o, .. }
            | Op::BrI32LtUImm { offset: o, .. }
            | Op::BrI32GtSImm { offset: o, .. }
            | Op::BrI32GtUImm { offset: o, .. }
            | Op::BrI32LeSImm { offset: o, .. }
            | Op::BrI32LeUImm { offset: o, .. }
            | Op::BrI32GeSImm { offset: o, .. }
            | Op::BrI32GeUImm { offset: o, .. }
            | Op::BrI32AndImmNz { offset: o, .. }
            | Op::BrI32AndImmZ { offset: o, .. }
            | Op::BrI64EqImm { offset: o, .. }
            | Op::BrI64NeImm { offset: o, .. } => *o = offset,
            other => unreachable!("patching a non-branch {other:?}"),
        }
    }

    /// If the top entry was just computed by a comparison, remove that
    /// instruction (and the entry) and return it for fusion with a branch.
    fn take_fusable_compare(&mut self) -> Option<Op> {
        let (at, end) = self.last_producer?;
        if end != self.ops.len() || at + 1 != end || self.stack.last() != Some(&Provider::Temp) {
            return None;
        }
        let op = self.ops[at];
        branch_for(op, false, 0)?;
        self.ops.pop();
        self.offsets.pop();
        self.stack.pop();
        self.last_producer = None;
        Some(op)
    }

    fn emit_cond_branch_on(&mut self, cond: Slot, negate: bool) -> usize {
        if negate {
            self.emit(Op::BrIfEqz { cond, offset: 0 })
        } else {
            self.emit(Op::BrIfNez { cond, offset: 0 })
        }
    }

    // ---- branches ----

    fn label(&self, depth: u32) -> &Ctrl {
        &self.ctrl[self.ctrl.len() - 1 - depth as usize]
    }

    /// (target height, arity) of the label `depth` levels out.
    fn label_target(&self, depth: u32) -> (u32, u32) {
        let c = self.label(depth);
        let arity = if c.kind == CtrlKind::Loop {
            c.params
        } else {
            c.results
        };
        (c.height, arity)
    }

    /// Do the branch values for label `depth` already sit in the target slots?
    fn branch_values_in_place(&self, depth: u32) -> bool {
        let (height, arity) = self.label_target(depth);
        let len = self.stack.len();
        arity == 0
            || (len == (height + arity) as usize
                && self.stack[len - arity as usize..]
                    .iter()
                    .all(|p| *p == Provider::Temp))
    }

    /// Copy the branch values for label `depth` into the target's slots.
    fn emit_branch_copies(&mut self, depth: u32) {
        let (height, arity) = self.label_target(depth);
        let len = self.stack.len();
        for i in 0..arity as usize {
            let index = len - arity as usize + i;
            let dst = self.home(height as usize + i);
            match self.stack[index] {
                Provider::Temp => {
                    let src = self.home(index);
                    if src != dst {
                        self.emit(Op::Copy { dst, src });
                    }
                }
                Provider::Local(l) => {
                    self.emit(Op::Copy { dst, src: l });
                }
                Provider::Const(v) => self.emit_const(dst, v),
                Provider::LocalPlus(l, imm) => {
                    self.emit(Op::I32AddImm { dst, a: l, imm });
                }
            }
        }
    }

    /// Emit an unconditional jump to label `depth` (after its copies).
    fn emit_jump(&mut self, depth: u32) {
        let at = self.emit(Op::Br { offset: 0 });
        self.add_branch(depth, at);
    }

    /// Record that the branch at `at` targets label `depth`.
    fn add_branch(&mut self, depth: u32, at: usize) {
        let idx = self.ctrl.len() - 1 - depth as usize;
        if self.ctrl[idx].kind == CtrlKind::Loop {
            // Back-edges land after the header; the executor counts them
            // in the header's counter (see `exec::count_loop`).
            let header = self.ctrl[idx].header;
            self.patch(at, header + 1);
        } else {
            self.ctrl[idx].fixups.push(at);
        }
    }

    fn br(&mut self, depth: u32) {
        if depth as usize == self.ctrl.len() - 1 {
            return self.ret();
        }
        self.emit_branch_copies(depth);
        self.emit_jump(depth);
        self.reachable = false;
    }

    fn br_if(&mut self, depth: u32) {
        // The condition is consumed before the values are examined.
        let fused = self.take_fusable_compare();
        let cond = match fused {
            Some(_) => 0,
            None => self.pop_slot(),
        };
        self.branch_if(depth, |negate| match fused {
            Some(cmp) => branch_for(cmp, negate, 0).expect("fusable"),
            None if negate => Op::BrIfEqz { cond, offset: 0 },
            None => Op::BrIfNez { cond, offset: 0 },
        });
    }

    /// Branch to label `depth` if the reference in `cond` is null (or,
    /// with `when_null` false, is not null); the label's values are on
    /// top of the stack.
    fn br_if_ref(&mut self, depth: u32, cond: Slot, when_null: bool) {
        self.branch_if(depth, |negate| {
            if when_null != negate {
                Op::BrIfI64Eqz { cond, offset: 0 }
            } else {
                Op::BrIfI64Nez { cond, offset: 0 }
            }
        });
    }

    /// A conditional branch to label `depth`, its condition already popped:
    /// `branch(false)` is the branch taken when it holds, `branch(true)`
    /// the one taken when it does not (offsets to be patched).
    fn branch_if(&mut self, depth: u32, branch: impl Fn(bool) -> Op) {
        if depth as usize == self.ctrl.len() - 1 {
            // To the function body: a conditional return.
            let skip = self.emit(branch(true));
            let saved = self.stack.clone();
            self.ret();
            self.stack = saved;
            self.reachable = true;
            let here = self.bind_here();
            self.patch(skip, here);
        } else if self.branch_values_in_place(depth) {
            let at = self.emit(branch(false));
            self.add_branch(depth, at);
        } else {
            let skip = self.emit(branch(true));
            self.emit_branch_copies(depth);
            self.emit_jump(depth);
            let here = self.bind_here();
            self.patch(skip, here);
        }
    }

    fn br_table(&mut self, targets: &[u32], default: u32) {
        let index = self.pop_slot();
        let len = targets.len() as u32;
        self.emit(Op::BrTable { index, len });
        let mut stubs = Vec::new();
        for &depth in targets.iter().chain(std::iter::once(&default)) {
            let at = self.emit(Op::Br { offset: 0 });
            if depth as usize == self.ctrl.len() - 1 || !self.branch_values_in_place(depth) {
                stubs.push((at, depth));
            } else {
                self.add_branch(depth, at);
            }
        }
        for (at, depth) in stubs {
            let here = self.bind_here();
            self.patch(at, here);
            let saved = self.stack.clone();
            self.br(depth);
            self.stack = saved;
        }
        self.reachable = false;
    }

    fn ret(&mut self) {
        match self.num_results {
            0 => {
                self.emit(Op::Return);
            }
            1 => {
                let src = self.pop_slot();
                self.emit(Op::Return1 { src });
            }
            n => {
                self.materialize_top(n);
                let src = self.home(self.stack.len() - n as usize);
                self.emit(Op::ReturnMany { src, count: n });
            }
        }
        self.reachable = false;
    }

    // ---- blocks ----

    fn block_arity(&self, bt: wasmparser::BlockType) -> (u32, u32) {
        match bt {
            wasmparser::BlockType::Empty => (0, 0),
            wasmparser::BlockType::Type(_) => (0, 1),
            wasmparser::BlockType::FuncType(i) => {
                let f = &self.module.types[i as usize];
                (f.params().len() as u32, f.results().len() as u32)
            }
        }
    }

    fn open(&mut self, kind: CtrlKind, bt: wasmparser::BlockType, else_fixup: Option<usize>) {
        let (params, results) = self.block_arity(bt);
        let height = self.stack.len() as u32 - params;
        self.ctrl
            .push(Ctrl::new(kind, height, params, results, else_fixup));
    }

    fn block_entry(&mut self, bt: wasmparser::BlockType) {
        let (params, _) = self.block_arity(bt);
        self.materialize_top(params);
        self.materialize_all_locals();
    }

    fn do_else(&mut self) {
        let c = self.ctrl.last().expect("else inside if");
        let (height, params, results) = (c.height, c.params, c.results);
        if self.reachable {
            self.materialize_top(results);
            self.emit_jump(0);
        }
        let here = self.bind_here();
        let c = self.ctrl.last_mut().expect("else inside if");
        let fix = c.else_fixup.take();
        c.kind = CtrlKind::Else;
        self.reachable = c.entry_reachable;
        if let Some(at) = fix {
            self.patch(at, here);
        }
        self.stack.truncate(height as usize);
        for _ in 0..params {
            self.push(Provider::Temp);
        }
    }

    fn end(&mut self) {
        if self.ctrl.len() == 1 {
            if self.reachable {
                self.ret();
            }
            self.ctrl.pop();
            return;
        }
        let c = self.ctrl.last().expect("end of block");
        match c.kind {
            CtrlKind::TryTable => return self.end_try_table(),
            CtrlKind::Try | CtrlKind::Catch => self.end_legacy_try(),
            _ => {}
        }
        let c = self.ctrl.last().expect("end of block");
        let results = c.results;
        if self.reachable {
            self.materialize_top(results);
        }
        let c = self.ctrl.pop().expect("end of block");
        let reachable = self.reachable;
        self.finish_block(c, reachable);
    }

    /// Bind the end label of popped block `c` here; `reachable` says
    /// whether control falls into it.
    fn finish_block(&mut self, c: Ctrl, reachable: bool) {
        let here = self.bind_here();
        let mut reachable = reachable || !c.fixups.is_empty();
        if let Some(at) = c.else_fixup {
            // `if` without `else`: the false edge arrives here with the
            // parameters, which equal the results.
            self.patch(at, here);
            reachable |= c.entry_reachable;
        }
        for at in c.fixups {
            self.patch(at, here);
        }
        self.reachable = reachable;
        self.stack.truncate(c.height as usize);
        for _ in 0..c.results {
            self.push(Provider::Temp);
        }
    }

    /// Handle one operator; the per-operator lowering lives in `ops.rs`.
    fn operator(&mut self, op: Operator<'_>) -> Result<(), CompileError> {
        if !self.reachable {
            match op {
                Operator::Block { .. }
                | Operator::Loop { .. }
                | Operator::If { .. }
                | Operator::TryTable { .. }
                | Operator::Try { .. } => {
                    self.dead_depth += 1;
                    return Ok(());
                }
                Operator::Else if self.dead_depth == 0 => {
                    self.do_else();
                    return Ok(());
                }
                Operator::Catch { tag_index } if self.dead_depth == 0 => {
                    self.legacy_catch(Some(tag_index));
                    return Ok(());
                }
                Operator::CatchAll if self.dead_depth == 0 => {
                    self.legacy_catch(None);
                    return Ok(());
                }
                Operator::Delegate { relative_depth } if self.dead_depth == 0 => {
                    self.delegate(relative_depth);
                    return Ok(());
                }
                Operator::Delegate { .. } => {
                    self.dead_depth -= 1;
                    return Ok(());
                }
                Operator::End if self.dead_depth == 0 => {
                    self.end();
                    return Ok(());
                }
                Operator::End => {
                    self.dead_depth -= 1;
                    return Ok(());
                }
                _ => return Ok(()),
            }
        }
        match op {
            Operator::Block { blockty } => {
                self.block_entry(blockty);
                self.open(CtrlKind::Block, blockty, None);
            }
            Operator::Loop { blockty } => {
                self.block_entry(blockty);
                self.open(CtrlKind::Loop, blockty, None);
                let counter = self.loop_offsets.len() as u32;
                self.loop_offsets.push(self.op_offset);
                let header = self.emit(Op::LoopHeader { counter });
                self.ctrl.last_mut().expect("loop").header = header;
            }
            Operator::If { blockty } => {
                let fused = self.take_fusable_compare();
                let cond = if fused.is_none() {
                    Some(self.pop_slot())
                } else {
                    None
                };
                self.block_entry(blockty);
                let at = match fused {
                    Some(cmp) => self.emit(branch_for(cmp, true, 0).expect("fusable")),
                    None => self.emit_cond_branch_on(cond.expect("cond"), true),
                };
                self.open(CtrlKind::If, blockty, Some(at));
            }
            Operator::Else => self.do_else(),
            Operator::End => self.end(),
            Operator::Br { relative_depth } => self.br(relative_depth),
            Operator::BrIf { relative_depth } => self.br_if(relative_depth),
            Operator::BrTable { targets } => {
                let list = targets.targets().collect::<Result<Vec<u32>, _>>()?;
                self.br_table(&list, targets.default());
            }
            Operator::Return => self.ret(),
            Operator::Unreachable => {
                self.emit(Op::Unreachable);
                self.reachable = false;
            }
            Operator::TryTable { try_table } => self.try_table(try_table),
            Operator::Try { blockty } => self.legacy_try(blockty),
            Operator::Catch { tag_index } => self.legacy_catch(Some(tag_index)),
            Operator::CatchAll => self.legacy_catch(None),
            Operator::Delegate { relative_depth } => self.delegate(relative_depth),
            Operator::Rethrow { relative_depth } => self.rethrow(relative_depth),
            Operator::Throw { tag_index } => self.throw(tag_index),
            Operator::ThrowRef => self.throw_ref(),
            other => self.plain(other)?,
        }
        Ok(())
    }
}

/// The branch instruction testing comparison `cmp` (negated if `negate`),
/// or `None` if `cmp` is not a fusable comparison.
fn branch_for(cmp: Op, negate: bool, offset: i32) -> Option<Op> {
    use Op::*;
    macro_rules! pair {
        ($a:ident, $b:ident, $yes:ident, $no:ident) => {
            if negate {
                $no {
                    a: $a,
                    b: $b,
                    offset,
                }
            } else {
                $yes {
                    a: $a,
                    b: $b,
                    offset,
                }
            }
        };
    }
    macro_rules! pair_imm {
        ($a:ident, $imm:ident, $yes:ident, $no:ident) => {
            if negate {
                $no {
                    a: $a,
                    imm: $imm,
                    offset,
                }
            } else {
                $yes {
                    a: $a,
                    imm: $imm,
                    offset,
                }
            }
        };
    }
    Some(match cmp {
        I32Eqz { src, .. } => {
            if negate {
                BrIfNez { cond: src, offset }
            } else {
                BrIfEqz { cond: src, offset }
            }
        }
        I64Eqz { src, .. } => {
            if negate {
                BrIfI64Nez { cond: src, offset }
            } else {
                BrIfI64Eqz { cond: src, offset }
            }
        }
        I32Eq { a, b, .. } => pair!(a, b, BrI32Eq, BrI32Ne),
        I32Ne { a, b, .. } => pair!(a, b, BrI32Ne, BrI32Eq),
        I32LtS { a, b, .. } => pair!(a, b, BrI32LtS, BrI32GeS),
        I32LtU { a, b, .. } => pair!(a, b, BrI32LtU, BrI32GeU),
        I32GtS { a, b, .. } => pair!(a, b, BrI32GtS, BrI32LeS),
        I32GtU { a, b, .. } => pair!(a, b, BrI32GtU, BrI32LeU),
        I32LeS { a, b, .. } => pair!(a, b, BrI32LeS, BrI32GtS),
        I32LeU { a, b, .. } => pair!(a, b, BrI32LeU, BrI32GtU),
        I32GeS { a, b, .. } => pair!(a, b, BrI32GeS, BrI32LtS),
        I32GeU { a, b, .. } => pair!(a, b, BrI32GeU, BrI32LtU),
        I32EqImm { a, imm, .. } => pair_imm!(a, imm, BrI32EqImm, BrI32NeImm),
        I32NeImm { a, imm, .. } => pair_imm!(a, imm, BrI32NeImm, BrI32EqImm),
        I32LtSImm { a, imm, .. } => pair_imm!(a, imm, BrI32LtSImm, BrI32GeSImm),
        I32LtUImm { a, imm, .. } => pair_imm!(a, imm, BrI32LtUImm, BrI32GeUImm),
        I32GtSImm { a, imm, .. } => pair_imm!(a, imm, BrI32GtSImm, BrI32LeSImm),
        I32GtUImm { a, imm, .. } => pair_imm!(a, imm, BrI32GtUImm, BrI32LeUImm),
        I32LeSImm { a, imm, .. } => pair_imm!(a, imm, BrI32LeSImm, BrI32GtSImm),
        I32LeUImm { a, imm, .. } => pair_imm!(a, imm, BrI32LeUImm, BrI32GtUImm),
        I32GeSImm { a, imm, .. } => pair_imm!(a, imm, BrI32GeSImm, BrI32LtSImm),
        I32GeUImm { a, imm, .. } => pair_imm!(a, imm, BrI32GeUImm, BrI32LtUImm),
        I32AndImm { a, imm, .. } => pair_imm!(a, imm, BrI32AndImmNz, BrI32AndImmZ),
        I64EqImm { a, imm, .. } => pair_imm!(a, imm, BrI64EqImm, BrI64NeImm),
        I64NeImm { a, imm, .. } => pair_imm!(a, imm, BrI64NeImm, BrI64EqImm),
        _ => return None,
    })
}

/// Replace each unconditional jump to a return with the return itself
/// (returns read absolute slots, so they mean the same anywhere).
fn thread_jumps_to_returns(ops: &mut [Op]) {
    for i in 0..ops.len() {
        if let Op::Br { offset } = ops[i] {
            let target = (i as i64 + offset as i64) as usize;
            if let Some(op @ (Op::Return | Op::Return1 { .. } | Op::ReturnMany { .. })) =
                ops.get(target).copied()
            {
                ops[i] = op;
            }
        }
    }
}

#[cfg(test)]
mod tests;
