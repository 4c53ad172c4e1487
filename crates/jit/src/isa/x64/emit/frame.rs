//! Frames: the entry stub (array calling convention), the function's
//! prologue and returns (wasm calling convention), and the trap exit.
//!
//! The entry stub is what Rust calls: `(callee, caller_vmctx, values, len)
//! -> status`. It saves the host's callee-saved registers, records its
//! *trap landing* in the store's `VMLimits::entry_sp`, loads the arguments
//! from `values` into the wasm convention's places, calls the function and
//! stores its results back to `values`:
//!
//! ```text
//! [rbp - 8 .. - 40]  saved rbx, r12, r13, r14, r15
//! [rbp - 48]         the store's VMLimits
//! [rbp - 56]         the previous entry_sp
//! [rbp - 64]         values
//! [rbp - 72]         address of the landing    <- entry_sp
//! [rsp + 8k]         the callee's stack words
//! ```
//!
//! A trap anywhere in compiled code reaches the trap exit with its site's
//! pc at `[rsp]` (see [`Emitter::trap_exit`]), which has the runtime record
//! the backtrace, gets the trap code in eax and executes
//! `mov rsp, [entry_sp]; ret` (or, when a compiled frame catches the
//! exception in flight, jumps to its landing pad: see [`super::handlers`]):
//! the `ret` pops the landing's address, so
//! every compiled frame since the entry is dropped at once (they hold
//! nothing to release) and no Rust frame is skipped, since Rust code only
//! ever calls compiled code through an entry stub. The landing restores
//! `entry_sp` and the host's registers and returns eax.
//!
//! The function's own frame (wasm convention), which a leaf that keeps
//! everything in caller-saved registers goes without:
//!
//! ```text
//! [rbp + 16 + 8k]    incoming stack words
//! [rbp - 8]          the VMContext (r14 on entry), if a call may cross
//!                    instances or the function has landing pads
//! below              the callee-saved registers the allocation uses
//! below              spill slots, then the outgoing area at rsp
//! ```

use super::moves::Move;
use super::{Emitter, L};
use crate::driver::emit::Lowering;
use crate::ir::{Ty, VReg};
use crate::isa::x64::abi::ArgLoc;
use crate::isa::x64::asm::{AluOp, Assembler, Cond, Mem, Size};
use crate::isa::x64::regs::Gpr::{self, Rax, Rbp, Rcx, Rdi, Rdx, Rsi, Rsp, R10, R11, R14, R15, R8};
use std::sync::LazyLock;
use wx_core::vm::{VMContext, VMFuncRef, VMLimits};
use wx_core::TrapCode;

const LIMITS: i32 = std::mem::offset_of!(VMContext, limits) as i32;
const ENTRY_SP: i32 = std::mem::offset_of!(VMLimits, entry_sp) as i32;
const STACK_LIMIT: i32 = std::mem::offset_of!(VMLimits, stack_limit) as i32;
const RESUME_PC: i32 = std::mem::offset_of!(VMLimits, resume_pc) as i32;
const RESUME_FP: i32 = std::mem::offset_of!(VMLimits, resume_fp) as i32;

/// The largest frame (bytes below the return address) of a function that
/// calls nothing and skips the stack-limit check: the runtime's limit
/// keeps a margin above the end of the stack (256 KiB, or half of a
/// smaller stack) that such a frame cannot exhaust.
const LEAF_FRAME_MAX: i32 = 4096;

/// The host's callee-saved registers, saved by the entry stub.
const HOST_SAVED: [Gpr; 5] = [Gpr::Rbx, Gpr::R12, Gpr::R13, R14, R15];

/// The fixed instruction sequences of every function (most of the entry
/// stub, frame setup and teardown, the trap exit), encoded once by the
/// assembler and copied in as bytes: they are the same in every function,
/// and most of the code of a small one.
pub(super) struct Templates {
    /// Entry stub: frame, host registers, VMLimits and previous
    /// `entry_sp` saved, values pointer pushed (up to the landing's `lea`).
    stub_head: Vec<u8>,
    /// Entry stub: landing pushed, `entry_sp` recorded.
    stub_record: Vec<u8>,
    /// Entry stub after the results are stored: status 0, rsp at the landing.
    stub_done: Vec<u8>,
    /// Entry stub's landing: `entry_sp` and the host's registers restored.
    stub_landing: Vec<u8>,
    /// `push rbp; mov rbp, rsp`.
    pub(super) frame: Vec<u8>,
    /// `mov rsp, rbp; pop rbp; ret`.
    pub(super) leave_ret: Vec<u8>,
    /// The trap exit.
    trap_exit: Vec<u8>,
}

/// Machine code of `seq`, whose labels are all its own (so the bytes can
/// go anywhere).
fn encode(seq: impl FnOnce(&mut Assembler)) -> Vec<u8> {
    let mut a = Assembler::new();
    seq(&mut a);
    a.finish().expect("templates bind the labels they use")
}

pub(super) static TEMPLATES: LazyLock<Templates> = LazyLock::new(|| Templates {
    stub_head: encode(|a| {
        a.push(Rbp);
        a.mov_rr(Size::S64, Rbp, Rsp);
        for r in HOST_SAVED {
            a.push(r);
        }
        a.load(
            Size::S64,
            R14,
            Mem::new(Rdi, std::mem::offset_of!(VMFuncRef, vmctx) as i32),
        );
        a.load(Size::S64, R11, Mem::new(R14, LIMITS));
        a.push(R11);
        a.load(Size::S64, R10, Mem::new(R11, ENTRY_SP));
        a.push(R10);
        a.push(Rdx);
    }),
    stub_record: encode(|a| {
        a.push(R10);
        a.store(Size::S64, Mem::new(R11, ENTRY_SP), Rsp);
    }),
    stub_done: encode(|a| {
        a.alu_rr(AluOp::Xor, Size::S32, Rax, Rax);
        a.lea(Size::S64, Rsp, Mem::new(Rbp, -64));
    }),
    stub_landing: encode(|a| {
        a.pop(R10); // values
        a.pop(R10); // the previous entry_sp
        a.pop(R11); // VMLimits
        a.store(Size::S64, Mem::new(R11, ENTRY_SP), R10);
        for r in HOST_SAVED.into_iter().rev() {
            a.pop(r);
        }
        a.pop(Rbp);
        a.ret();
    }),
    frame: encode(|a| {
        a.push(Rbp);
        a.mov_rr(Size::S64, Rbp, Rsp);
    }),
    leave_ret: encode(|a| {
        a.mov_rr(Size::S64, Rsp, Rbp);
        a.pop(Rbp);
        a.ret();
    }),
    trap_exit: encode(|a| {
        // [rsp]: the site's pc. The runtime records the frames and returns
        // the trap code in eax; then unwind to the entry stub.
        a.load(Size::S64, Rsi, Mem::new(Rsp, 0));
        a.lea(Size::S64, Rdx, Mem::new(Rsp, 8));
        a.mov_rr(Size::S64, Rcx, Rbp);
        a.mov_rr(Size::S32, R8, Rax);
        a.mov_rr(Size::S64, Rdi, R14);
        a.alu_ri(AluOp::And, Size::S64, Rsp, -16);
        a.mov_imm64(R11, wx_core::libcalls::trap_exit as *const () as u64);
        a.call_r(R11);
        a.load(Size::S64, R11, Mem::new(R14, LIMITS));
        let resume = a.new_label();
        a.alu_ri(AluOp::Cmp, Size::S32, Rax, wx_core::libcalls::RESUME as i32);
        a.jcc(Cond::E, resume);
        a.load(Size::S64, Rsp, Mem::new(R11, ENTRY_SP));
        a.ret();
        // A compiled frame catches the exception: on at its landing pad,
        // which sets rsp from rbp.
        a.bind(resume);
        a.load(Size::S64, Rbp, Mem::new(R11, RESUME_FP));
        a.jmp_m(Mem::new(R11, RESUME_PC));
    }),
});

/// An entry stub as made for one signature, loading the parameters in
/// `loaded` (a bit each): copied by later functions with the same.
pub(super) struct CachedStub {
    params: Vec<Ty>,
    results: Vec<Ty>,
    loaded: u64,
    code: Vec<u8>,
}

/// The most stubs kept per thread (then they are all forgotten).
const STUB_CACHE_MAX: usize = 64;

/// Bytes to subtract from rsp after `pushed` bytes of pushes (counted from
/// a 16-aligned rbp) so that `words` outgoing words fit and rsp stays
/// 16-aligned at calls.
pub(super) fn frame_bytes(pushed: i32, words: u32) -> i32 {
    let mut bytes = 8 * words as i32;
    if (pushed + bytes) % 16 != 0 {
        bytes += 8;
    }
    bytes
}

/// Where a wasm-convention value lives for the callee: registers as they
/// are, stack words above the return address.
pub(super) fn incoming(loc: ArgLoc) -> L {
    match loc {
        ArgLoc::Gpr(r) => L::R(r),
        ArgLoc::Fpr(x) => L::X(x),
        ArgLoc::Stack(k) => L::M(Mem::new(Rbp, 16 + 8 * k as i32)),
    }
}

/// Where a wasm-convention value lives for the caller, at the call.
pub(super) fn outgoing(loc: ArgLoc) -> L {
    match loc {
        ArgLoc::Gpr(r) => L::R(r),
        ArgLoc::Fpr(x) => L::X(x),
        ArgLoc::Stack(k) => L::M(Mem::new(Rsp, 8 * k as i32)),
    }
}

impl Emitter<'_> {
    /// The array-call entry (see the module documentation).
    pub(super) fn entry_stub(&mut self) {
        // A stub depends only on the signature and on which parameters it
        // loads: copy one made for an earlier function if there is one.
        let f = self.f;
        let key = f.params.len() <= 64;
        let loaded = if key {
            f.params.iter().enumerate().fold(0u64, |m, (i, &p)| {
                m | (u64::from(self.alloc.live_at_entry(p)) << i)
            })
        } else {
            0
        };
        let tys = || f.params.iter().map(|&p| f.ty(p));
        if key {
            if let Some(stub) = self.stubs.iter().find(|s| {
                s.loaded == loaded && s.results == f.results && s.params.iter().copied().eq(tys())
            }) {
                self.asm.bytes(&stub.code);
                return;
            }
        }
        let t = &*TEMPLATES;
        let a = &mut self.asm;
        let start = a.offset();
        a.bytes(&t.stub_head);
        a.lea_label(R10, self.landing);
        let lea_end = a.offset();
        a.bytes(&t.stub_record);
        a.alu_ri(
            AluOp::Sub,
            Size::S64,
            Rsp,
            frame_bytes(72, self.conv.stack_words),
        );
        // Arguments: from the value cells (through r11: rdx is an argument
        // register) to their places; parameters dead at entry (a local of
        // an OSR entry written before it is read) are not loaded at all.
        a.mov_rr(Size::S64, R11, Rdx);
        let f = self.f;
        for (i, &p) in f.params.iter().enumerate() {
            let loc = self.conv.params[i];
            if self.alloc.live_at_entry(p) {
                self.move_one(&Move {
                    dst: outgoing(loc),
                    src: L::M(Mem::new(R11, 8 * i as i32)),
                    ty: f.ty(p),
                });
            }
        }
        let a = &mut self.asm;
        a.call_label(self.body);
        let call_end = a.offset();
        a.load(Size::S64, R11, Mem::new(Rbp, -64));
        for (i, &ty) in f.results.iter().enumerate() {
            let loc = self.conv.results[i];
            self.move_one(&Move {
                dst: L::M(Mem::new(R11, 8 * i as i32)),
                src: outgoing(loc),
                ty,
            });
        }
        let a = &mut self.asm;
        a.bytes(&t.stub_done);
        // The landing: rsp just above the landing's address (popped by the
        // trap exit's `ret`), eax the status. rbp is not restored by a trap.
        a.bind(self.landing);
        let landing = a.offset();
        a.bytes(&t.stub_landing);
        if key {
            // Its two jumps, to the landing and to the function (which
            // starts right after it), are still to be patched here.
            let mut code = a.code()[start..].to_vec();
            let mut patch = |field_end: usize, target: usize| {
                let rel = (target as i32 - field_end as i32).to_le_bytes();
                code[field_end - start - 4..field_end - start].copy_from_slice(&rel);
            };
            patch(lea_end, landing);
            patch(call_end, a.offset());
            if self.stubs.len() == STUB_CACHE_MAX {
                self.stubs.clear();
            }
            self.stubs.push(CachedStub {
                params: tys().collect(),
                results: f.results.clone(),
                loaded,
                code,
            });
        }
    }

    /// The wasm-call entry's prologue: frame, stack check, memory base (as
    /// far as the function needs them) and the parameters moved from the
    /// convention's places to their homes.
    pub(super) fn prologue(&mut self) {
        let frameless = self.frameless();
        let a = &mut self.asm;
        a.bind(self.body);
        if !frameless {
            a.bytes(&TEMPLATES.frame);
        }
        if self.needs.vmctx_slot {
            a.push(R14);
        }
        for &r in self.saved.iter() {
            a.push(r);
        }
        let pushed = self.frame_top;
        let words = self.alloc.spill_slots + self.needs.outgoing_words;
        let bytes = frame_bytes(pushed, words);
        if bytes > 0 {
            a.alu_ri(AluOp::Sub, Size::S64, Rsp, bytes);
        }
        // Stack-limit check (the limit is 0 where the host set none). A
        // leaf with a small frame stays within the limit's margin.
        if !self.needs.leaf || pushed + bytes > LEAF_FRAME_MAX {
            a.load(Size::S64, R11, Mem::new(R14, LIMITS));
            a.alu_rm(AluOp::Cmp, Size::S64, Rsp, Mem::new(R11, STACK_LIMIT));
            self.trap_if(Cond::B, TrapCode::StackOverflow);
        }
        if self.needs.memory {
            self.load_memory_base();
        }
        let f = self.f;
        let mut moves = self.take_moves();
        for (&p, &loc) in f.params.iter().zip(&self.conv.params) {
            // Only parameters live at entry: one dead there may share its
            // register with a live one.
            if self.alloc.live_at_entry(p) {
                moves.push(Move {
                    dst: self.loc(p),
                    src: incoming(loc),
                    ty: f.ty(p),
                });
            }
        }
        self.parallel_move(moves);
    }

    /// Whether the function needs no frame: a leaf whose values all live
    /// in caller-saved registers and whose parameters and results all
    /// travel in registers never addresses its frame, so it keeps neither
    /// rbp nor a stack area (and, as a small leaf, checks no stack limit).
    pub(super) fn frameless(&self) -> bool {
        self.needs.may_be_frameless()
            && self.saved.is_empty()
            && self.alloc.spill_slots == 0
            && self.conv.stack_words == 0
    }

    /// r15 = memory 0's base, from the VMContext in r14. Only functions
    /// with loads or stores ask for it, and validation admits those only
    /// in modules that have a memory 0, so its `VMMemory` is there.
    pub(super) fn load_memory_base(&mut self) {
        let a = &mut self.asm;
        a.load(
            Size::S64,
            R15,
            Mem::new(R14, std::mem::offset_of!(VMContext, memory0) as i32),
        );
        a.load(Size::S64, R15, Mem::new(R15, 0));
    }

    /// Return `values` to the caller.
    pub(super) fn ret(&mut self, values: &[u32]) {
        let f = self.f;
        let mut moves = self.take_moves();
        for (&v, &loc) in values.iter().zip(&self.conv.results) {
            moves.push(Move {
                dst: incoming(loc),
                src: self.loc(VReg(v)),
                ty: f.ty(VReg(v)),
            });
        }
        self.parallel_move(moves);
        if self.frameless() {
            self.asm.ret();
            return;
        }
        let a = &mut self.asm;
        if !self.saved.is_empty() {
            a.lea(Size::S64, Rsp, Mem::new(Rbp, -self.frame_top));
            for &r in self.saved.iter().rev() {
                a.pop(r);
            }
        }
        a.bytes(&TEMPLATES.leave_ret);
    }

    /// The trap exit: with the site's pc at [rsp] (and a status in eax
    /// for sites that pass one on), let the runtime record the wasm
    /// frames, then unwind to the innermost entry stub's landing with the
    /// trap code in eax. The cold paths come first, one per site, each a
    /// call of the exit so that its return address names the site; a
    /// faulting access gets there from the signal handler, which pushes
    /// the access's pc.
    pub(super) fn trap_exit(&mut self) {
        for i in 0..self.cold.len() {
            let (label, kind, inst) = self.cold[i];
            self.asm.bind(label);
            self.call_trap_exit(kind, inst);
        }
        self.asm.bind(self.trap_exit);
        self.asm.bytes(&TEMPLATES.trap_exit);
    }

    /// A cold path's call of the trap exit, recorded as a site of `kind`
    /// for IR instruction `inst`.
    pub(super) fn call_trap_exit(&mut self, kind: crate::isa::SiteKind, inst: u32) {
        self.asm.call_label(self.trap_exit);
        if kind == crate::isa::SiteKind::Status {
            // A throw: the walker looks its scope up by this pc.
            self.d.handler_site(self.f, inst, self.asm.offset() as u32);
        }
        self.d
            .trap_site(self.f, self.asm.offset() as u32, kind, inst);
    }
}
