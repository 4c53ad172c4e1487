//! Inlining of small leaf functions.
//!
//! A direct call of a function defined in the same module whose body is
//! small and calls nothing (so no recursion can arise) is translated as the
//! callee's body, in place, instead of a `Call`: the call's cost (argument
//! moves, call and return, the callee's prologue and epilogue, registers
//! the call clobbers) goes, and the callee's code is optimised together
//! with its arguments (constant arguments fold into immediates).
//!
//! - The callee's locals get their own slots in [`Translator::locals`] from
//!   `local_base` on; its local indices are shifted by that much. A local
//!   the callee never writes needs no register at all: reading it reads its
//!   argument (a constant, a register or a lazy read of a caller's local,
//!   which the callee cannot write), or zero for a declared local. Each
//!   local it writes gets a fresh register, initialised from its argument or
//!   with zero at every entry (a call in a loop starts from zero each time).
//! - The callee's function frame is an [`Kind::Inline`] block: `return`
//!   and branches to it carry the results to its end, where the caller goes
//!   on. When nothing branches there, the caller simply continues in the
//!   block the callee ended in, with the results where they are.
//! - Traps are the same instructions in either case; an inlined callee's
//!   trap site is in its caller's code, which the trap handler treats alike.
//!
//! [`InlinePolicy`] bounds the callee's size and the total a caller may
//! take in, so a function calling thousands of small functions translates
//! in time proportional to its own size plus the budget.

use super::{Entry, Frame, Kind, Translator, Val};
use crate::error::JitError;
use crate::ir::{Inlined, Inst, VReg};
use wasmparser::{BinaryReader, FunctionBody, Operator};

/// How much a translation may inline.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct InlinePolicy {
    /// The largest callee body inlined, in bytes of its code section entry
    /// (locals declarations and the final `end` included).
    pub max_callee_bytes: usize,
    /// The total callee body bytes one function may inline.
    pub budget: usize,
}

impl InlinePolicy {
    /// Inline nothing.
    pub const NONE: InlinePolicy = InlinePolicy {
        max_callee_bytes: 0,
        budget: 0,
    };
}

impl Default for InlinePolicy {
    /// What [`crate::compile`] uses.
    fn default() -> Self {
        InlinePolicy {
            max_callee_bytes: 60,
            budget: 400,
        }
    }
}

/// A callee with more locals (parameters included) is not inlined: a few
/// bytes can declare thousands, and each written one costs a register.
const MAX_LOCALS: u32 = 64;

/// The callee being inlined.
#[derive(Clone, Copy, Debug)]
pub(super) struct Inlining {
    /// Where the callee's locals start in [`Translator::locals`].
    pub(super) local_base: u32,
    /// The index of its [`Kind::Inline`] frame.
    pub(super) frame: usize,
}

/// What inlining needs to know of a callee besides its type.
struct Leaf {
    /// Bit `i`: the body writes local `i`.
    written: u64,
}

/// Whether the body of defined function `def` calls nothing, has few
/// enough locals to inline and only operators the JIT compiles, and which
/// locals it writes.
fn leaf(module: &wx_core::ModuleInfo, def: u32, params: u32) -> Result<Option<Leaf>, JitError> {
    let (bytes, offset) = module.body(def);
    let body = FunctionBody::new(BinaryReader::new(bytes, offset as u64));
    let mut locals = params;
    if locals > MAX_LOCALS {
        return Ok(None);
    }
    for decl in body.get_locals_reader()? {
        locals = locals.saturating_add(decl?.0);
        if locals > MAX_LOCALS {
            return Ok(None);
        }
    }
    let (mut written, mut calls) = (0u64, false);
    let (code, offset) = super::operator_bytes(&body.get_operators_reader()?)?;
    super::decode::scan_operators(code, offset, |op| {
        match *op {
            Operator::Call { .. }
            | Operator::CallIndirect { .. }
            | Operator::ReturnCall { .. }
            | Operator::ReturnCallIndirect { .. }
            | Operator::CallRef { .. }
            | Operator::ReturnCallRef { .. } => calls = true,
            // See `called_only`.
            ref other if called_only(other) => calls = true,
            Operator::LocalSet { local_index } | Operator::LocalTee { local_index } => {
                written |= 1 << local_index;
            }
            _ => {}
        }
        !calls
    })?;
    Ok((!calls).then_some(Leaf { written }))
}

/// Does `op` keep its function from being inlined? Tail calls and typed
/// function references are left to the interpreter (inlined, they would
/// keep the caller there too); exception handling is compiled, but a
/// callee's handlers and throws stay in a frame of its own.
fn called_only(op: &Operator<'_>) -> bool {
    matches!(
        wx_core::proposal::of(op),
        "exceptions" | "legacy_exceptions" | "tail_call" | "function_references"
    )
}

impl Translator<'_> {
    /// Translate `call func` by inlining `func`'s body if the policy allows.
    /// Returns whether it did.
    pub(super) fn try_inline(&mut self, func: u32) -> Result<bool, JitError> {
        let module = self.module;
        if self.inlining.is_some() || func < module.num_imported_funcs {
            return Ok(false);
        }
        let def = func - module.num_imported_funcs;
        let size = module.body(def).0.len();
        if size > self.policy.max_callee_bytes || size > self.budget {
            return Ok(false);
        }
        let params = module.func_type(func).params().len() as u32;
        let Some(leaf) = leaf(module, def, params)? else {
            return Ok(false);
        };
        self.budget -= size;
        self.inline(func, leaf)?;
        Ok(true)
    }

    fn inline(&mut self, func: u32, leaf: Leaf) -> Result<(), JitError> {
        let module = self.module;
        let ty = module.func_type(func);
        let def = func - module.num_imported_funcs;
        let call_offset = self.srcloc;
        self.f.inlined.push(Inlined {
            at: self.f.insts.len() as u32,
            func,
            end: u32::MAX,
            call_offset,
        });

        let n = ty.params().len();
        let height = self.stack.len() - n;
        let local_base = self.locals.len() as u32;
        debug_assert!(self.aliases.is_empty());
        let written = |i: usize| leaf.written & (1 << i) != 0;
        // The arguments. The top one, if just computed, is computed
        // straight into its parameter's register.
        let mut retarget = None;
        if let (Some((at, def)), true) = (self.last_def, n > 0) {
            if self.stack[height + n - 1].val == Val::Reg(def) && at + 1 == self.f.insts.len() {
                retarget = Some(at);
            }
        }
        // No instruction after this point may take the place of another's
        // result: an aliased argument register must stay defined.
        self.last_def = None;
        for i in 0..n {
            let e = self.stack[height + i];
            if !written(i) && self.aliasable(e) {
                self.locals.push(UNUSED);
                self.aliases.push(Some(e));
                continue;
            }
            let v = self.f.new_vreg(e.ty);
            self.locals.push(v);
            self.aliases.push(None);
            match (e.val, retarget) {
                (Val::Reg(_), Some(at)) if i + 1 == n => {
                    *self.f.insts[at].dst_mut().expect("definitions have a dst") = v;
                }
                (Val::Const(bits), _) => {
                    self.emit(Inst::Const {
                        ty: e.ty,
                        dst: v,
                        bits,
                    });
                }
                _ => {
                    let src = self.reg(e);
                    self.emit(Inst::Move {
                        ty: e.ty,
                        dst: v,
                        src,
                    });
                }
            }
        }
        self.stack.truncate(height);
        // The declared locals: zero at each entry.
        let (bytes, offset) = module.body(def);
        let body = FunctionBody::new(BinaryReader::new(bytes, offset as u64));
        for decl in body.get_locals_reader()? {
            let (count, vt) = decl?;
            let vt = wx_core::types::val_type(vt)
                .map_err(|feature| JitError::Unsupported { opcode: feature })?;
            let ty = super::ty_of(vt);
            for _ in 0..count {
                let i = self.aliases.len();
                if !written(i) {
                    self.locals.push(UNUSED);
                    self.aliases.push(Some(Entry {
                        val: Val::Const(0),
                        ty,
                    }));
                    continue;
                }
                let v = self.f.new_vreg(ty);
                self.locals.push(v);
                self.aliases.push(None);
                self.emit(Inst::Const {
                    ty,
                    dst: v,
                    bits: 0,
                });
            }
        }
        // The result registers are made when something branches to the end.
        self.frames.push(Frame::new(
            Kind::Inline,
            height,
            Vec::new(),
            ty.results().iter().map(|t| super::ty_of(*t)).collect(),
        ));
        self.inlining = Some(Inlining {
            local_base,
            frame: self.frames.len() - 1,
        });
        let (code, offset) = super::operator_bytes(&body.get_operators_reader()?)?;
        // Metered code takes a unit at every function entry, inlined or not.
        if module.interrupts.fuel {
            self.emit(Inst::ConsumeFuel);
        }
        super::decode::feed_operators(self, code, offset)?;
        // The body's final `end` closed the frame.
        debug_assert_eq!(self.frames.len(), self.inlining.map_or(0, |i| i.frame));
        self.inlining = None;
        // What follows belongs to the call again.
        self.srcloc = call_offset;
        if let Some(last) = self.f.inlined.last_mut() {
            last.end = self.f.insts.len() as u32;
        }
        self.locals.truncate(local_base as usize);
        self.aliases.clear();
        Ok(())
    }

    /// Whether a callee's local that it never writes may stand for
    /// argument `e` itself. Not a loop parameter's register: a branch back
    /// to the loop writes those, in order, from the values on the stack,
    /// which must then not be other loop parameters in another order.
    fn aliasable(&self, e: Entry) -> bool {
        match e.val {
            Val::Reg(v) => !self
                .frames
                .iter()
                .any(|f| f.kind == Kind::Loop && f.targets.contains(&v)),
            Val::Const(_) | Val::Local(_) => true,
        }
    }

    /// Make the result registers of frame `idx` if it is an inlined body
    /// that has none yet.
    pub(super) fn ensure_targets(&mut self, idx: usize) {
        let frame = &self.frames[idx];
        if frame.kind == Kind::Inline && frame.targets.len() != frame.result_tys.len() {
            let tys = std::mem::take(&mut self.frames[idx].result_tys);
            self.frames[idx].targets = self.fresh(&tys);
            self.frames[idx].result_tys = tys;
        }
    }

    /// `local.get` of local `l` of the code being translated.
    pub(super) fn local_get(&mut self, l: u32) {
        let l = match self.inlining {
            Some(i) => {
                if let Some(e) = self.aliases[l as usize] {
                    return self.stack.push(e);
                }
                l + i.local_base
            }
            None => l,
        };
        let ty = self.f.ty(self.locals[l as usize]);
        self.push(Val::Local(l), ty);
    }

    /// The index in [`Translator::locals`] of local `l` of the code being
    /// translated.
    pub(super) fn local_index(&self, l: u32) -> u32 {
        self.inlining.map_or(l, |i| l + i.local_base)
    }

    /// The end of an inlined body that nothing branches to: the results
    /// stay on the stack (lazy reads of the callee's locals become reads
    /// of their registers, which nothing writes any more).
    pub(super) fn end_inline_fallthrough(&mut self) {
        let frame = self.frames.pop().expect("the inline frame");
        let base = self.inlining.expect("inlining").local_base;
        for e in &mut self.stack[frame.height..] {
            if let Val::Local(l) = e.val {
                if l >= base {
                    e.val = Val::Reg(self.locals[l as usize]);
                }
            }
        }
    }
}

/// The register of a callee's local that stands for a value: never read.
const UNUSED: VReg = VReg(u32::MAX);
