//! Landing pads on AArch64 (see the x86-64 back end's `handlers` for the
//! scheme, which is the same): when an exception is caught in a compiled
//! frame, the runtime leaves its reference and payload at the bottom of
//! the frame and the trap exit branches to the clause's pad with x29 set
//! to the frame's. The pad:
//!
//! ```text
//! sub  sp, x29, #frame_size        ; the body's stack pointer
//! ldr  x28, [x29, #-8]             ; the VMContext (kept by such frames)
//! ldr  x27, [x28, #memory0]; ldr x27, [x27]   ; if the instance has one
//! ...                              ; loop-split registers reloaded
//! ldr  <payload k>, [sp, #8 + 8k]; ldr <exnref>, [sp]
//! ```

use super::moves::Move;
use super::{Emitter, L};
use crate::ir::{List, VReg};
use crate::isa::aarch64::abi::VMCTX;
use crate::isa::aarch64::asm::{Mem, Size};
use crate::isa::aarch64::regs::Gpr::{Sp, X29};
use crate::isa::Handlers;

impl Emitter<'_> {
    /// A landing pad's start: the frame restored (the driver then performs
    /// the pad's edits, which reload loop-split registers).
    pub(super) fn restore_frame_at_pad(&mut self) {
        self.asm.sub_imm(Size::S64, Sp, X29, self.frame_bytes);
        self.asm.ldr(Size::S64, VMCTX, Mem::offset(X29, -8));
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
            let at = if k < payload { 8 + 8 * k as i64 } else { 0 };
            self.move_one(&Move {
                dst: self.loc(VReg(v)),
                src: L::M(Mem::offset(Sp, at)),
                ty: f.ty(VReg(v)),
            });
        }
    }

    /// The function's handler tables, once its code is final.
    pub(super) fn handler_tables(&mut self) -> Handlers {
        let asm = &*self.asm;
        let pad_offset = |l| asm.label_offset(l).expect("pads are emitted") as u32;
        let frame_size = self.frame_bytes as u32;
        self.d.handler_tables(self.f, pad_offset, frame_size)
    }
}
