//! Exception handling in compiled code: `throw` and `throw_ref` (calls to
//! the runtime that put the exception in flight and leave with the
//! exception status), `try_table`, and the legacy `try` / `catch` /
//! `catch_all` / `delegate` / `rethrow`.
//!
//! Both forms become handler scopes (see [`crate::ir::HandlerScope`]):
//! while a protected body is translated, every call and throw in it ends
//! its block with [`Inst::Throwing`] naming the innermost scope. Landing
//! pads are made only for scopes something can throw into:
//!
//! - `try_table`: after the body, one pad per clause, which branches to
//!   the clause's label with the payload (and reference) as the branch's
//!   values, like the interpreter's pads.
//! - legacy `try`: each `catch` arm starts with its pad; the payload is
//!   the arm's operand stack and the reference goes to a register of the
//!   `try` that `rethrow` reads.
//! - `delegate l`: the scope's parent becomes the scope around label `l`.

use super::{Kind, Translator, Val};
use crate::error::JitError;
use crate::ir::{BlockId, CatchClause, HandlerScope, Inst, Libcall, Ty, VReg, CATCH_ALL, NO_SCOPE};
use wasmparser::Operator as W;
use wx_core::TrapCode;

/// A handler scope being translated.
#[derive(Debug)]
pub(super) struct ScopeBuild {
    /// The scope tried next (changed by `delegate`).
    parent: u32,
    /// The scope around the protected body, current again after it.
    enclosing: u32,
    /// Clauses made so far (indices into `Func::catches`).
    clauses: Vec<u32>,
    /// A `try_table`'s clauses, given pads at its `end`.
    pending: Vec<wasmparser::Catch>,
    /// Something may throw into this scope (then so may its parents').
    reached: bool,
    /// Some `Throwing` names it (it needs its successor list).
    named: bool,
}

/// The most pads all `Throwing` successor lists may name together, per
/// IR instruction (plus a constant): scopes nested thousands deep would
/// make them quadratic, and such a function stays interpreted.
const PADS_PER_INST: usize = 8;

impl Translator<'_> {
    /// Open a handler scope around the code that follows.
    fn open_scope(&mut self) -> u32 {
        let id = self.scopes.len() as u32;
        self.scopes.push(ScopeBuild {
            parent: self.scope,
            enclosing: self.scope,
            clauses: Vec::new(),
            pending: Vec::new(),
            reached: false,
            named: false,
        });
        self.scope = id;
        id
    }

    /// End scope `id`'s protected code.
    fn close_scope(&mut self, id: u32) {
        self.scope = self.scopes[id as usize].enclosing;
    }

    /// Mark `scope` and its parents as reachable by a throw.
    fn reach(&mut self, mut scope: u32) {
        while scope != NO_SCOPE && !self.scopes[scope as usize].reached {
            self.scopes[scope as usize].reached = true;
            scope = self.scopes[scope as usize].parent;
        }
    }

    /// After a call or throw: inside a handler scope, end the block with
    /// the edge to its pads.
    pub(super) fn may_throw(&mut self) {
        let scope = self.scope;
        if scope == NO_SCOPE || self.cur.is_none() {
            return;
        }
        self.reach(scope);
        self.scopes[scope as usize].named = true;
        let next = self.new_block();
        self.terminate(Inst::Throwing { next, scope });
        self.start(next);
    }

    /// Translate `op` if it throws.
    pub(super) fn throw(&mut self, op: &W<'_>) -> bool {
        let (call, n) = match *op {
            W::Throw { tag_index } => (
                Libcall::Throw { tag: tag_index },
                self.module.tag_type(tag_index).params().len(),
            ),
            W::ThrowRef => (Libcall::ThrowRef, 1),
            _ => return false,
        };
        self.throw_with(call, n);
        true
    }

    fn throw_with(&mut self, call: Libcall, n: usize) {
        self.libcall(call, n, None);
        self.may_throw();
        // The call never returns here: what follows is unreachable.
        self.terminate(Inst::Trap {
            code: TrapCode::Internal,
        });
    }

    fn open_protected(&mut self, kind: Kind, bt: wasmparser::BlockType) -> Result<u32, JitError> {
        self.open(kind, bt)?;
        let scope = self.open_scope();
        self.frames.last_mut().expect("the frame just opened").scope = scope;
        Ok(scope)
    }

    pub(super) fn try_table(&mut self, t: wasmparser::TryTable) -> Result<(), JitError> {
        let scope = self.open_protected(Kind::TryTable, t.ty)?;
        self.scopes[scope as usize].pending = t.catches;
        Ok(())
    }

    pub(super) fn legacy_try(&mut self, bt: wasmparser::BlockType) -> Result<(), JitError> {
        self.open_protected(Kind::Try, bt).map(|_| ())
    }

    /// A new clause of `scope` with its pad, started here: its landing
    /// defines `payload` fresh registers of the tag's types (if it has a
    /// payload) and then `exn` (if given), and pushes them. `legacy`: a
    /// legacy catch's.
    fn clause(
        &mut self,
        scope: u32,
        tag: u32,
        with_payload: bool,
        exn: Option<VReg>,
        legacy: bool,
    ) {
        let pad = self.new_block();
        self.start(pad);
        let id = self.f.catches.len() as u32;
        self.f.catches.push(CatchClause {
            tag,
            pad,
            keeps_ref: exn.is_some(),
            legacy,
        });
        self.scopes[scope as usize].clauses.push(id);
        let module = self.module;
        let payload: Vec<Ty> = if with_payload {
            let params = module.tag_type(tag).params();
            params.iter().map(|t| super::ty_of(*t)).collect()
        } else {
            Vec::new()
        };
        let start = self.f.lists.len() as u32;
        for ty in payload {
            let v = self.push_def(ty);
            self.f.lists.push(v.0);
        }
        if let Some(exn) = exn {
            self.f.lists.push(exn.0);
            self.push(Val::Reg(exn), Ty::I64);
        }
        let rets = crate::ir::List {
            start,
            len: self.f.lists.len() as u32 - start,
        };
        self.emit(Inst::Landing { clause: id, rets });
    }

    /// `end` of a `try_table`: the body falls through to the end; then
    /// come the landing pads, each branching to its clause's label.
    pub(super) fn end_try_table(&mut self) {
        let idx = self.frames.len() - 1;
        let scope = self.frames[idx].scope;
        self.fall_to_end();
        self.close_scope(scope);
        let frame = self.frames.pop().expect("the try_table's frame");
        if self.scopes[scope as usize].reached {
            for catch in std::mem::take(&mut self.scopes[scope as usize].pending) {
                let (tag, keeps_ref, label) = match catch {
                    wasmparser::Catch::One { tag, label } => (tag, false, label),
                    wasmparser::Catch::OneRef { tag, label } => (tag, true, label),
                    wasmparser::Catch::All { label } => (CATCH_ALL, false, label),
                    wasmparser::Catch::AllRef { label } => (CATCH_ALL, true, label),
                };
                self.stack.truncate(frame.height);
                let exn = keeps_ref.then(|| self.f.new_vreg(Ty::I64));
                self.clause(scope, tag, tag != CATCH_ALL, exn, false);
                self.br(label);
            }
        }
        self.finish_frame(frame);
    }

    /// Legacy `catch tag` / `catch_all` (`tag` = None): the previous arm
    /// ends; this one starts with its landing pad, if anything in the
    /// body can throw.
    pub(super) fn legacy_catch(&mut self, tag: Option<u32>) {
        let idx = self.frames.len() - 1;
        self.fall_to_end();
        let scope = self.frames[idx].scope;
        if self.frames[idx].kind == Kind::Try {
            // The first catch ends the protected body.
            self.close_scope(scope);
            self.frames[idx].kind = Kind::Catch;
            self.frames[idx].exn = Some(self.f.new_vreg(Ty::I64));
        }
        self.stack.truncate(self.frames[idx].height);
        if self.scopes[scope as usize].reached {
            let exn = self.frames[idx].exn;
            self.clause(scope, tag.unwrap_or(CATCH_ALL), tag.is_some(), exn, true);
            // The reference is the arm's, not an operand.
            self.stack.pop();
        } else {
            self.cur = None;
        }
    }

    /// Before the `end` of a legacy `try` without catches: its body ends.
    pub(super) fn end_legacy_try(&mut self) {
        let frame = self.frames.last().expect("the try's frame");
        if frame.kind == Kind::Try {
            self.close_scope(frame.scope);
        }
    }

    /// `delegate depth`: end the `try`; exceptions from its body go to
    /// the handlers around label `depth` (counted outside the `try`).
    pub(super) fn delegate(&mut self, depth: u32) {
        let scope = self.frames.last().expect("delegate ends a try").scope;
        // The label's block, then every block around it: the first whose
        // body is protected (a `try_table`, or a `try` before its catches).
        let label = self.frames.len() as i64 - 2 - depth as i64;
        let target = (0..=label.max(-1))
            .rev()
            .filter_map(|i| usize::try_from(i).ok())
            .map(|i| &self.frames[i])
            .find(|f| matches!(f.kind, Kind::TryTable | Kind::Try))
            .map_or(NO_SCOPE, |f| f.scope);
        self.scopes[scope as usize].parent = target;
        if self.scopes[scope as usize].reached {
            self.reach(target);
        }
        self.end();
    }

    /// `rethrow depth`: throw again the exception the legacy catch arm at
    /// label `depth` caught.
    pub(super) fn rethrow(&mut self, depth: u32) {
        let idx = self.frames.len() - 1 - depth as usize;
        let exn = self.frames[idx].exn.expect("rethrow names a catch arm");
        self.push(Val::Reg(exn), Ty::I64);
        self.throw_with(Libcall::ThrowRef, 1);
    }

    /// The function's handler scopes into the IR, with each named scope's
    /// successor list: the pads of its clauses and of its parents'.
    pub(super) fn finish_scopes(&mut self) -> Result<(), JitError> {
        let budget = PADS_PER_INST * self.f.insts.len() + 1024;
        let mut listed = 0usize;
        self.f.scopes.clear();
        for i in 0..self.scopes.len() {
            let s = &self.scopes[i];
            let clauses = self.f.list(s.clauses.iter().copied());
            let start = self.f.lists.len() as u32;
            if s.named {
                let mut at = i as u32;
                while at != NO_SCOPE {
                    let s = &self.scopes[at as usize];
                    listed += 1 + s.clauses.len();
                    if listed > budget {
                        return Err(JitError::Unsupported {
                            opcode: "exception handlers nested too deep".into(),
                        });
                    }
                    for &c in &s.clauses {
                        let BlockId(pad) = self.f.catches[c as usize].pad;
                        self.f.lists.push(pad);
                    }
                    at = s.parent;
                }
            }
            let pads = crate::ir::List {
                start,
                len: self.f.lists.len() as u32 - start,
            };
            let parent = self.scopes[i].parent;
            self.f.scopes.push(HandlerScope {
                clauses,
                parent,
                pads,
            });
        }
        Ok(())
    }
}
