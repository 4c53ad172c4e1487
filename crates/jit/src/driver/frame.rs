//! Frame layout decisions every back end makes the same way, from one
//! scan of the function: what its prologue must provide.

use crate::ir::{Func, Inst, List, Ty, VReg};

/// What a function's prologue must provide.
#[derive(Clone, Copy, Debug)]
pub(crate) struct FrameNeeds {
    /// The VMContext kept in the frame: calls that may enter another
    /// instance reload the VMContext register from it, and landing pads
    /// restore it.
    pub vmctx_slot: bool,
    /// Loads or stores: the memory-base register must hold memory 0's base.
    pub memory: bool,
    /// No calls of any kind: a small frame needs no stack-limit check, as
    /// the limit keeps a margin far larger than such a frame.
    pub leaf: bool,
    /// Words of the outgoing area: the most any call needs (stack
    /// arguments and results, or a libcall's operands), or the caught
    /// exception a landing pad reads.
    pub outgoing_words: u32,
}

impl FrameNeeds {
    /// The needs of `f`, whose functions below `imported_funcs` are
    /// imports; `stack_words(params, results)` is how many outgoing words
    /// the ISA's wasm calling convention needs for a call.
    pub fn of(
        f: &Func,
        imported_funcs: u32,
        stack_words: impl Fn(&mut dyn Iterator<Item = Ty>, usize) -> u32,
    ) -> FrameNeeds {
        let mut needs = FrameNeeds {
            vmctx_slot: false,
            memory: false,
            leaf: true,
            outgoing_words: 0,
        };
        let words = |args: List, rets: List| {
            let mut params = f.list_items(args).iter().map(|&v| f.ty(VReg(v)));
            stack_words(&mut params, rets.len as usize)
        };
        // (Instructions that call nothing skip the rest of the loop.)
        for inst in &f.insts {
            let outgoing = match *inst {
                Inst::Load { .. }
                | Inst::Store { .. }
                | Inst::AtomicLoad { .. }
                | Inst::AtomicStore { .. }
                | Inst::AtomicRmw { .. }
                | Inst::AtomicCmpxchg { .. } => {
                    needs.memory = true;
                    continue;
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
                // The unwinder leaves the exception in the outgoing area;
                // the pad reloads the VMContext from the frame.
                Inst::Landing { rets, .. } => {
                    needs.vmctx_slot = true;
                    rets.len + 1
                }
                // Its slow path calls the runtime from a frame.
                Inst::EpochCheck => {
                    needs.leaf = false;
                    continue;
                }
                _ => continue,
            };
            needs.leaf &= !inst.is_call();
            needs.outgoing_words = needs.outgoing_words.max(outgoing);
        }
        needs
    }

    /// Whether the function may keep no frame: a leaf that needs no
    /// VMContext slot and no outgoing area (whether it has spill slots
    /// or callee-saved registers is the back end's to add).
    pub fn may_be_frameless(&self) -> bool {
        self.leaf && !self.vmctx_slot && self.outgoing_words == 0
    }
}
