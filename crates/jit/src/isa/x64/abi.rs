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
use crate::ir::{Func, IBinOp, Inst, VReg};
use crate::isa::callconv::{self, ArgRegs};
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

pub(crate) const CALLER_SAVED_GPRS: [Gpr; 7] = [
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
    callconv::hint_conventions::<WasmRegs>(f, hint);
    for inst in &f.insts {
        if let Inst::IBin {
            op: IBinOp::Shl | IBinOp::ShrS | IBinOp::ShrU | IBinOp::Rotl | IBinOp::Rotr,
            b,
            ..
        } = *inst
        {
            hint(b, gpr(Gpr::Rcx));
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

/// The x86-64 registers of the wasm calling convention.
#[derive(Debug, PartialEq, Eq)]
pub struct WasmRegs;

impl ArgRegs for WasmRegs {
    type Gpr = Gpr;
    type Fpr = Xmm;
    const INT_ARGS: &'static [Gpr] = &INT_ARGS;
    const FLOAT_ARGS: &'static [Xmm] = FLOAT_ARGS;
    const INT_RESULT: Gpr = Gpr::Rax;
    const FLOAT_RESULT: Xmm = Xmm::Xmm0;

    fn gpr_preg(r: Gpr) -> PReg {
        gpr(r)
    }

    fn fpr_preg(r: Xmm) -> PReg {
        xmm(r)
    }
}

/// Where one argument or result of a wasm call travels (a stack word is
/// `[rsp + 8k]` at the call, `[rbp + 16 + 8k]` in the callee).
pub type ArgLoc = callconv::ArgLoc<Gpr, Xmm>;

/// How a signature's values travel under the wasm calling convention.
pub type CallConv = callconv::CallConv<WasmRegs>;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ir::Ty;

    #[test]
    fn arguments_fill_registers_by_class_then_the_stack() {
        use Ty::{F32, F64, I32, I64};
        let params = [I32, F64, I64, I32, I32, I32, I32, I32, F32, I64];
        let cc = CallConv::new(params, &[I64]);
        assert_eq!(
            cc.params[..2],
            [ArgLoc::Gpr(Gpr::Rdi), ArgLoc::Fpr(Xmm::Xmm0)]
        );
        assert_eq!(cc.params[7], ArgLoc::Stack(0));
        assert_eq!(cc.params[8], ArgLoc::Fpr(Xmm::Xmm1));
        assert_eq!(cc.params[9], ArgLoc::Stack(1));
        assert_eq!(cc.results, [ArgLoc::Gpr(Gpr::Rax)]);
        assert_eq!(cc.stack_words, 2);
        assert_eq!(CallConv::stack_words_of(params, 1), 2);
        // Several results: a word each, after the stack arguments.
        let cc = CallConv::new([I32], &[F32, I32]);
        assert_eq!(cc.results, [ArgLoc::Stack(0), ArgLoc::Stack(1)]);
        assert_eq!(cc.stack_words, 2);
        assert_eq!(CallConv::new([], &[F64]).results, [ArgLoc::Fpr(Xmm::Xmm0)]);
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
