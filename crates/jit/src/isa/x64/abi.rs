//! x86-64 register conventions for JIT code.
//!
//! ```text
//! reserved   rsp (stack), rbp (frame pointer),
//!            r14 (the instance's VMContext), r15 (memory 0's base),
//!            r10, r11 (emitter scratch), xmm14, xmm15 (float scratch)
//! allocated  rax rcx rdx rsi rdi r8 r9 (caller-saved)  rbx r12 r13 (callee-saved)
//!            xmm0..xmm13 (all caller-saved)
//! ```
//!
//! Physical register numbers for the allocator: a GPR is its encoding
//! (0..15), an XMM register is 32 + its encoding.
//!
//! Clobbers: calls destroy every caller-saved register; division needs
//! rax/rdx and variable shifts need rcx, so those instructions clobber them.
//!
//! # The wasm calling convention
//!
//! Compiled functions call each other through the `wasm_call` entry of the
//! callee's slot, with arguments in registers:
//!
//! ```text
//! r14            the callee's VMContext (r11: its VMFuncRef, for adapters)
//! rdi rsi rdx rcx r8 r9     the first six integer/reference arguments
//! xmm0..xmm7                the first eight float arguments
//! [rsp + 8k] at the call    the other arguments in order (stack words),
//!                           then, for several results, one word per result
//! rax / xmm0                a single integer / float result
//! ```
//!
//! The callee preserves rbx, r12, r13 and rbp, loads r15 with its own
//! memory base and leaves r14 as it got it, so after a call within one
//! instance both still hold the caller's values; a call that may cross
//! instances reloads them. Everything else is clobbered. A trap does not
//! return: it unwinds straight to the innermost entry stub (see `emit`).

use super::regs::{Gpr, Xmm};
use crate::ir::{Func, IBinOp, Inst, Ty, VReg};
use crate::regalloc::{Class, MachineEnv, PReg, RegSet};
use std::sync::LazyLock;

/// The allocator's register number of a GPR.
pub const fn gpr(r: Gpr) -> PReg {
    PReg(r.enc())
}

/// The allocator's register number of an XMM register.
pub const fn xmm(r: Xmm) -> PReg {
    PReg(32 + r.enc())
}

/// The register behind an allocator register number.
pub fn reg_name(p: PReg) -> String {
    if p.0 >= 32 {
        Xmm::from_enc(p.0 - 32).map_or_else(|| format!("p{}", p.0), |x| x.to_string())
    } else {
        Gpr::from_enc(p.0).map_or_else(|| format!("p{}", p.0), |g| g.to_string())
    }
}

const CALLER_SAVED_GPRS: [Gpr; 7] = [
    Gpr::Rax,
    Gpr::Rcx,
    Gpr::Rdx,
    Gpr::Rsi,
    Gpr::Rdi,
    Gpr::R8,
    Gpr::R9,
];
pub const CALLEE_SAVED_GPRS: [Gpr; 3] = [Gpr::Rbx, Gpr::R12, Gpr::R13];

/// The set of `gprs` and `xmms` (a `const fn`, so the clobber sets are
/// constants rather than computed per instruction).
const fn set(gprs: &[Gpr], xmms: &[Xmm]) -> RegSet {
    let mut s = 0;
    let mut i = 0;
    while i < gprs.len() {
        s |= 1 << gpr(gprs[i]).0;
        i += 1;
    }
    let mut i = 0;
    while i < xmms.len() {
        s |= 1 << xmm(xmms[i]).0;
        i += 1;
    }
    s
}

/// The allocatable xmm registers (xmm14 and xmm15 are scratch).
const ALLOCATABLE_XMMS: &[Xmm] = Xmm::ALL.split_at(14).0;

/// What a call destroys: every caller-saved register.
const CALL_CLOBBERS: RegSet = set(&CALLER_SAVED_GPRS, ALLOCATABLE_XMMS);

/// Registers the allocator may hand out, caller-saved first (cheaper when
/// no call intervenes; the clobber sets push call-crossing values to the rest).
///
/// Built once: every compile asks for it.
pub fn machine_env() -> &'static MachineEnv {
    static ENV: LazyLock<MachineEnv> = LazyLock::new(|| MachineEnv {
        int_regs: CALLER_SAVED_GPRS
            .iter()
            .chain(&CALLEE_SAVED_GPRS)
            .map(|&r| gpr(r))
            .collect(),
        float_regs: ALLOCATABLE_XMMS.iter().map(|&r| xmm(r)).collect(),
        // Every xmm register is caller-saved: a float live across a call
        // is either split around it or spilled.
        split_around_calls: vec![Class::Float],
        abi_hints,
    });
    &ENV
}

/// The wasm calling convention's registers for `f`'s parameters, its
/// calls' arguments and single results and its single returned value, and
/// rcx for variable shift counts (see [`MachineEnv::abi_hints`]).
fn abi_hints(f: &Func, hint: &mut dyn FnMut(VReg, PReg)) {
    let place_all = |values: &mut dyn Iterator<Item = VReg>, hint: &mut dyn FnMut(VReg, PReg)| {
        let mut placer = Placer::default();
        for v in values {
            match placer.place(f.ty(v)) {
                ArgLoc::Gpr(r) => hint(v, gpr(r)),
                ArgLoc::Xmm(x) => hint(v, xmm(x)),
                ArgLoc::Stack(_) => {}
            }
        }
    };
    place_all(&mut f.params.iter().copied(), hint);
    let result_reg = |v: VReg| {
        if f.ty(v).is_float() {
            xmm(Xmm::Xmm0)
        } else {
            gpr(Gpr::Rax)
        }
    };
    for inst in &f.insts {
        match *inst {
            Inst::Call { args, rets, .. } | Inst::CallIndirect { args, rets, .. } => {
                place_all(&mut f.list_items(args).iter().map(|&v| VReg(v)), hint);
                if let &[r] = f.list_items(rets) {
                    hint(VReg(r), result_reg(VReg(r)));
                }
            }
            Inst::Return { values } => {
                if let &[r] = f.list_items(values) {
                    hint(VReg(r), result_reg(VReg(r)));
                }
            }
            Inst::IBin {
                op: IBinOp::Shl | IBinOp::ShrS | IBinOp::ShrU | IBinOp::Rotl | IBinOp::Rotr,
                b,
                ..
            } => hint(b, gpr(Gpr::Rcx)),
            _ => {}
        }
    }
}

/// The registers `inst` destroys.
pub fn clobbers(inst: &Inst) -> RegSet {
    match inst {
        Inst::Call { .. } | Inst::CallIndirect { .. } | Inst::Libcall { .. } => CALL_CLOBBERS,
        Inst::IDiv { .. } | Inst::IDivImm { .. } => const { set(&[Gpr::Rax, Gpr::Rdx], &[]) },
        // A cmpxchg loop: rax holds the old value, rdx the new one.
        Inst::AtomicRmw {
            op: crate::ir::RmwOp::And | crate::ir::RmwOp::Or | crate::ir::RmwOp::Xor,
            ..
        } => const { set(&[Gpr::Rax, Gpr::Rdx], &[]) },
        Inst::AtomicCmpxchg { .. } => const { set(&[Gpr::Rax], &[]) },
        Inst::IBin {
            op: IBinOp::Shl | IBinOp::ShrS | IBinOp::ShrU | IBinOp::Rotl | IBinOp::Rotr,
            ..
        } => const { set(&[Gpr::Rcx], &[]) },
        _ => 0,
    }
}

/// Integer argument registers of the wasm calling convention, in order.
pub const INT_ARGS: [Gpr; 6] = [Gpr::Rdi, Gpr::Rsi, Gpr::Rdx, Gpr::Rcx, Gpr::R8, Gpr::R9];
/// Float argument registers of the wasm calling convention, in order.
pub const FLOAT_ARGS: &[Xmm] = Xmm::ALL.split_at(8).0;

/// Where one argument or result of a wasm call travels.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ArgLoc {
    Gpr(Gpr),
    Xmm(Xmm),
    /// Word `k` of the stack area: `[rsp + 8k]` at the call,
    /// `[rbp + 16 + 8k]` in the callee.
    Stack(u32),
}

/// How a signature's values travel under the wasm calling convention.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CallConv {
    pub params: Vec<ArgLoc>,
    pub results: Vec<ArgLoc>,
    /// Words of the stack area: stack arguments and the result area.
    pub stack_words: u32,
}

/// Places arguments in order: registers of their class while they last,
/// then stack words.
#[derive(Default)]
struct Placer {
    ints: usize,
    floats: usize,
    stack: u32,
}

impl Placer {
    fn place(&mut self, ty: Ty) -> ArgLoc {
        if ty.is_float() && self.floats < FLOAT_ARGS.len() {
            self.floats += 1;
            ArgLoc::Xmm(FLOAT_ARGS[self.floats - 1])
        } else if !ty.is_float() && self.ints < INT_ARGS.len() {
            self.ints += 1;
            ArgLoc::Gpr(INT_ARGS[self.ints - 1])
        } else {
            self.stack += 1;
            ArgLoc::Stack(self.stack - 1)
        }
    }
}

/// Stack words of `results` results: several go in stack words, one in a
/// register.
fn result_words(results: usize) -> u32 {
    if results > 1 {
        results as u32
    } else {
        0
    }
}

impl CallConv {
    /// The convention for parameters `params` and results `results`.
    pub fn new(params: impl IntoIterator<Item = Ty>, results: &[Ty]) -> CallConv {
        let mut conv = CallConv::default();
        conv.reset(params, results);
        conv
    }

    /// Make this the convention for `params` and `results`, reusing its
    /// buffers.
    pub fn reset(&mut self, params: impl IntoIterator<Item = Ty>, results: &[Ty]) {
        let mut placer = Placer::default();
        self.params.clear();
        self.params
            .extend(params.into_iter().map(|ty| placer.place(ty)));
        let stack = placer.stack;
        self.results.clear();
        match results {
            [] => {}
            [ty] if ty.is_float() => self.results.push(ArgLoc::Xmm(Xmm::Xmm0)),
            [_] => self.results.push(ArgLoc::Gpr(Gpr::Rax)),
            many => self
                .results
                .extend((0..many.len() as u32).map(|i| ArgLoc::Stack(stack + i))),
        }
        self.stack_words = stack + result_words(results.len());
    }

    /// [`CallConv::stack_words`] of a signature, without building the
    /// convention.
    pub fn stack_words_of(params: impl IntoIterator<Item = Ty>, results: usize) -> u32 {
        let mut placer = Placer::default();
        for ty in params {
            placer.place(ty);
        }
        placer.stack + result_words(results)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arguments_fill_registers_by_class_then_the_stack() {
        use Ty::{F32, F64, I32, I64};
        let params = [I32, F64, I64, I32, I32, I32, I32, I32, F32, I64];
        let cc = CallConv::new(params, &[I64]);
        assert_eq!(
            cc.params[..2],
            [ArgLoc::Gpr(Gpr::Rdi), ArgLoc::Xmm(Xmm::Xmm0)]
        );
        assert_eq!(cc.params[7], ArgLoc::Stack(0));
        assert_eq!(cc.params[8], ArgLoc::Xmm(Xmm::Xmm1));
        assert_eq!(cc.params[9], ArgLoc::Stack(1));
        assert_eq!(cc.results, [ArgLoc::Gpr(Gpr::Rax)]);
        assert_eq!(cc.stack_words, 2);
        assert_eq!(CallConv::stack_words_of(params, 1), 2);
        // Several results: a word each, after the stack arguments.
        let cc = CallConv::new([I32], &[F32, I32]);
        assert_eq!(cc.results, [ArgLoc::Stack(0), ArgLoc::Stack(1)]);
        assert_eq!(cc.stack_words, 2);
        assert_eq!(CallConv::new([], &[F64]).results, [ArgLoc::Xmm(Xmm::Xmm0)]);
    }

    #[test]
    fn reserved_registers_are_never_allocated() {
        let env = machine_env();
        for r in [Gpr::Rsp, Gpr::Rbp, Gpr::R10, Gpr::R11, Gpr::R14, Gpr::R15] {
            assert!(!env.int_regs.contains(&gpr(r)), "{r} is reserved");
        }
        for r in [Xmm::Xmm14, Xmm::Xmm15] {
            assert!(!env.float_regs.contains(&xmm(r)), "{r} is reserved");
        }
        assert_eq!(env.int_regs.len(), 10);
        assert_eq!(reg_name(gpr(Gpr::R12)), "r12");
        assert_eq!(reg_name(xmm(Xmm::Xmm3)), "xmm3");
    }
}
