//! Exception handling: `try_table`, `throw`, `throw_ref`, and the legacy
//! `try` / `catch` / `catch_all` / `delegate` / `rethrow`.
//!
//! Both forms become *handler scopes* (see [`crate::code::HandlerScope`]):
//! the instruction range of the protected body, its catch clauses, and the
//! scope an unmatched exception goes to next. Nothing is emitted on the
//! path that does not throw.
//!
//! - `try_table`: each clause gets an out-of-line landing pad after the
//!   body; the unwinder writes the payload (and the exception reference)
//!   to the slots the operand stack would give them right after the
//!   `try_table`'s inputs, and the pad branches to the clause's label with
//!   the ordinary branch code.
//! - legacy `try`: a `catch` starts like an `else`: its code is the
//!   landing pad, its payload arrives as the block's operand stack, and the
//!   caught exception's reference goes to a hidden slot (one per nesting
//!   depth of legacy catches) where `rethrow` finds it.
//! - `delegate l`: the scope's next scope becomes the handler scope around
//!   label `l` (the function's caller when there is none).

use super::{Ctrl, CtrlKind, Provider, Translator, EXN_MARK};
use crate::bytecode::{Op, Slot};
use crate::code::{CatchClause, HandlerScope, CATCH_ALL, NO_SCOPE, NO_SLOT};

/// A handler scope being translated.
#[derive(Debug)]
pub(super) struct ScopeBuild {
    start: u32,
    end: u32,
    parent: u32,
    catches: Vec<CatchClause>,
}

impl Translator<'_> {
    /// Open a handler scope starting at the next instruction.
    fn open_scope(&mut self) -> u32 {
        let id = self.scopes.len() as u32;
        self.scopes.push(ScopeBuild {
            start: self.ops.len() as u32,
            end: self.ops.len() as u32,
            parent: self.current_scope,
            catches: Vec::new(),
        });
        self.current_scope = id;
        id
    }

    /// End scope `id`'s protected range at the next instruction.
    fn close_scope(&mut self, id: u32, enclosing: u32) {
        self.scopes[id as usize].end = self.ops.len() as u32;
        self.current_scope = enclosing;
    }

    fn tag_arity(&self, tag: u32) -> u32 {
        self.module.tag_type(tag).params().len() as u32
    }

    pub(super) fn try_table(&mut self, t: wasmparser::TryTable) {
        self.open_protected(CtrlKind::TryTable, t.ty).try_catches = t.catches;
    }

    pub(super) fn legacy_try(&mut self, bt: wasmparser::BlockType) {
        self.open_protected(CtrlKind::Try, bt);
    }

    /// Open a block whose body is a handler scope.
    fn open_protected(&mut self, kind: CtrlKind, bt: wasmparser::BlockType) -> &mut Ctrl {
        self.block_entry(bt);
        let enclosing = self.current_scope;
        self.open(kind, bt, None);
        let scope = self.open_scope();
        let c = self.ctrl.last_mut().expect("the block just opened");
        c.scope = scope;
        c.enclosing = enclosing;
        c
    }

    /// `end` of a `try_table`: the body falls through to the end label;
    /// then come the landing pads, one per clause.
    pub(super) fn end_try_table(&mut self) {
        let c = self.ctrl.last().expect("try_table");
        let (scope, enclosing, results) = (c.scope, c.enclosing, c.results);
        if self.reachable {
            self.materialize_top(results);
            self.emit_jump(0);
        }
        self.close_scope(scope, enclosing);
        let mut c: Ctrl = self.ctrl.pop().expect("try_table");
        let body_reachable = self.reachable || !c.fixups.is_empty();
        for catch in std::mem::take(&mut c.try_catches) {
            let (tag, with_payload, keeps_ref, label) = match catch {
                wasmparser::Catch::One { tag, label } => (tag, true, false, label),
                wasmparser::Catch::OneRef { tag, label } => (tag, true, true, label),
                wasmparser::Catch::All { label } => (CATCH_ALL, false, false, label),
                wasmparser::Catch::AllRef { label } => (CATCH_ALL, false, true, label),
            };
            self.stack.truncate(c.height as usize);
            let payload = self.home(c.height as usize);
            let arity = if with_payload { self.tag_arity(tag) } else { 0 };
            for _ in 0..arity {
                self.push(Provider::Temp);
            }
            let exn = if keeps_ref { self.push_temp() } else { NO_SLOT };
            let target = self.bind_here() as u32;
            self.reachable = true;
            self.br(label);
            self.scopes[scope as usize].catches.push(CatchClause {
                tag,
                with_payload,
                payload,
                exn,
                target,
                legacy: false,
            });
        }
        self.finish_block(c, body_reachable);
    }

    /// Legacy `catch tag` / `catch_all` (`tag` = None).
    pub(super) fn legacy_catch(&mut self, tag: Option<u32>) {
        let c = self.ctrl.last().expect("catch inside try");
        let (scope, enclosing, results, height) = (c.scope, c.enclosing, c.results, c.height);
        let first = c.kind == CtrlKind::Try;
        if self.reachable {
            self.materialize_top(results);
            self.emit_jump(0);
        }
        if first {
            // The first catch ends the protected body; the catches that
            // follow hold the caught exception in a hidden slot.
            self.close_scope(scope, enclosing);
            self.legacy_depth += 1;
            self.max_legacy_depth = self.max_legacy_depth.max(self.legacy_depth);
            let slot = EXN_MARK + self.legacy_depth - 1;
            let c = self.ctrl.last_mut().expect("catch inside try");
            c.kind = CtrlKind::Catch;
            c.exn_slot = slot;
        }
        let c = self.ctrl.last().expect("catch inside try");
        let (exn, entry_reachable) = (c.exn_slot, c.entry_reachable);
        self.stack.truncate(height as usize);
        let payload = self.home(height as usize);
        let arity = tag.map_or(0, |t| self.tag_arity(t));
        for _ in 0..arity {
            self.push(Provider::Temp);
        }
        let target = self.bind_here() as u32;
        self.reachable = entry_reachable;
        self.scopes[scope as usize].catches.push(CatchClause {
            tag: tag.unwrap_or(CATCH_ALL),
            with_payload: tag.is_some(),
            payload,
            exn,
            target,
            legacy: true,
        });
    }

    /// Before the `end` of a legacy `try`: close its range if no catch did,
    /// and leave the catch nesting.
    pub(super) fn end_legacy_try(&mut self) {
        let c = self.ctrl.last().expect("try");
        match c.kind {
            CtrlKind::Try => {
                let (scope, enclosing) = (c.scope, c.enclosing);
                self.close_scope(scope, enclosing);
            }
            CtrlKind::Catch => self.legacy_depth -= 1,
            _ => {}
        }
    }

    /// `delegate depth`: end the `try` (which has no catches); exceptions
    /// from its body go to the handlers around label `depth` (counted
    /// outside the `try`).
    pub(super) fn delegate(&mut self, depth: u32) {
        let scope = self.ctrl.last().expect("delegate ends a try").scope;
        // The label's block, then every block around it: the first whose
        // body is protected (a `try_table`, or a `try` before its catches)
        // receives the exception.
        let label = self.ctrl.len() as i64 - 2 - depth as i64;
        let target = (0..=label.max(-1))
            .rev()
            .filter_map(|i| usize::try_from(i).ok())
            .map(|i| &self.ctrl[i])
            .find(|c| matches!(c.kind, CtrlKind::TryTable | CtrlKind::Try))
            .map_or(NO_SCOPE, |c| c.scope);
        self.scopes[scope as usize].parent = target;
        self.end();
    }

    /// `rethrow depth`: throw again the exception caught by the legacy
    /// catch at label `depth`.
    pub(super) fn rethrow(&mut self, depth: u32) {
        let exn = self.label(depth).exn_slot;
        self.emit(Op::ThrowRef { exn });
        self.reachable = false;
    }

    pub(super) fn throw(&mut self, tag: u32) {
        let n = self.tag_arity(tag);
        let base_index = self.stack.len() - n as usize;
        self.materialize_top(n);
        let base: Slot = self.home(base_index);
        self.stack.truncate(base_index);
        self.emit(Op::Throw { tag, base });
        self.reachable = false;
    }

    pub(super) fn throw_ref(&mut self) {
        let exn = self.pop_slot();
        self.emit(Op::ThrowRef { exn });
        self.reachable = false;
    }

    /// The handler scopes and their clauses, with `map` applied to every slot.
    pub(super) fn take_handlers(
        &mut self,
        map: impl Fn(Slot) -> Slot,
    ) -> (Box<[HandlerScope]>, Box<[CatchClause]>) {
        let mut scopes = Vec::with_capacity(self.scopes.len());
        let mut catches = Vec::new();
        for s in std::mem::take(&mut self.scopes) {
            scopes.push(HandlerScope {
                start: s.start,
                end: s.end,
                parent: s.parent,
                first_catch: catches.len() as u32,
                num_catches: s.catches.len() as u32,
            });
            catches.extend(s.catches.into_iter().map(|c| CatchClause {
                payload: map(c.payload),
                exn: if c.exn == NO_SLOT {
                    NO_SLOT
                } else {
                    map(c.exn)
                },
                ..c
            }));
        }
        (scopes.into(), catches.into())
    }
}
