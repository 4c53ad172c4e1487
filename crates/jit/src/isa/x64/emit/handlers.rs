//! Landing pads, and the handler tables the unwinder reads to find them
//! (see [`crate::ir::HandlerScope`] and [`crate::isa::Handlers`]).
//!
//! Nothing runs for a call that returns: the tables name, by return
//! address, the handler scope of every call or throw inside one. When an
//! exception reaches the trap exit, the runtime's walker looks each
//! compiled frame's return address up; at the first clause that matches it
//! writes the exception's reference and payload to the bottom of that
//! frame (its outgoing area, free while no call is being made) and has the
//! trap exit jump to the pad with rbp set to the frame's. The pad:
//!
//! ```text
//! lea  rsp, [rbp - frame_size]     ; the body's stack pointer
//! mov  r14, [rbp - 8]              ; the VMContext (kept by such frames)
//! mov  r15, [r14 + memory0]; mov r15, [r15]   ; if the instance has one
//! ...                              ; loop-split registers reloaded
//! mov  <payload k>, [rsp + 8 + 8k] ; mov <exnref>, [rsp]
//! ```
//!
//! Every other register is lost: the allocator keeps values live into a
//! pad out of registers, and a function with pads saves every callee-saved
//! register in its prologue, since the frames unwound above it did not
//! restore theirs.

use super::frame::frame_bytes;
use super::moves::Move;
use super::{Emitter, L};
use crate::ir::{List, VReg};
use crate::isa::x64::asm::{Mem, Size};
use crate::isa::x64::regs::Gpr::{Rbp, Rsp, R14};
use crate::isa::Handlers;

impl Emitter<'_> {
    /// Bytes from rbp down to rsp in the function's body.
    pub(super) fn frame_size(&self) -> i32 {
        let words = self.alloc.spill_slots + self.needs.outgoing_words;
        self.frame_top + frame_bytes(self.frame_top, words)
    }

    /// A landing pad's start: the frame restored (the driver then performs
    /// the pad's edits, which reload loop-split registers).
    pub(super) fn restore_frame_at_pad(&mut self) {
        let frame_size = self.frame_size();
        let a = &mut self.asm;
        a.lea(Size::S64, Rsp, Mem::new(Rbp, -frame_size));
        a.load(Size::S64, R14, Mem::new(Rbp, -8));
        if self.f.has_memory || self.needs.memory {
            self.load_memory_base();
        }
    }

    /// Catch clause `clause`'s landing pad, its frame restored: its
    /// payload (and reference) into `rets`.
    pub(super) fn landing(&mut self, clause: u32, rets: List) {
        let f = self.f;
        let keeps_ref = f.catches[clause as usize].keeps_ref;
        let rets = f.list_items(rets);
        let payload = rets.len() - usize::from(keeps_ref);
        for (k, &v) in rets.iter().enumerate() {
            let at = if k < payload { 8 + 8 * k as i32 } else { 0 };
            self.move_one(&Move {
                dst: self.loc(VReg(v)),
                src: L::M(Mem::new(Rsp, at)),
                ty: f.ty(VReg(v)),
            });
        }
    }

    /// The function's handler tables, once its code is final.
    pub(super) fn handler_tables(&mut self) -> Handlers {
        let asm = &*self.asm;
        let pad_offset = |l| asm.label_offset(l).expect("pads are emitted") as u32;
        let frame_size = self.frame_size() as u32;
        self.d.handler_tables(self.f, pad_offset, frame_size)
    }
}
