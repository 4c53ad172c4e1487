//! AArch64 register conventions for JIT code (AAPCS64 underneath).
//!
//! ```text
//! reserved   sp, x29 (frame pointer), x30 (link register), x18 (platform),
//!            x28 (the instance's VMContext), x27 (memory 0's base),
//!            x16, x17 (emitter scratch), v30, v31 (float scratch)
//! allocated  x0..x15 (caller-saved)  x19..x26 (callee-saved)
//!            v0..v7, v16..v29 (caller-saved)  v8..v15 (callee-saved)
//! ```
//!
//! Physical register numbers for the allocator: a general-purpose
//! register is its encoding (0..30), a vector register 32 + its encoding.
//!
//! AAPCS64 preserves only the low 64 bits of v8..v15, which is all a
//! scalar float holds; so unlike on x86-64, floats live across calls in
//! callee-saved registers instead of being split around them.
//!
//! Clobbers: calls destroy every caller-saved register. Division, shifts
//! and compare-and-swap need no fixed register, but a remainder may need a
//! third scratch register for its quotient and `table.set` one for its
//! value: both clobber x15. An atomic read-modify-write or
//! compare-exchange may run as a load-exclusive/store-exclusive loop (no
//! LSE on the CPU), which needs the old value, the new value and the
//! store's status besides the address in x16: those clobber x13..x15.
//!
//! # The wasm calling convention
//!
//! ```text
//! x28            the callee's VMContext (x17: its VMFuncRef, for adapters)
//! x0..x7         the first eight integer/reference arguments
//! v0..v7         the first eight float arguments
//! [sp + 8k]      at the call: the other arguments in order (stack
//!                words), then, for several results, one word per result
//! x0 / v0        a single integer / float result
//! ```
//!
//! The callee preserves x19..x26, v8..v15 (low halves) and x29, loads x27
//! with its own memory base and leaves x28 as it got it, so after a call
//! within one instance both still hold the caller's values; a call that
//! may cross instances reloads them. A trap does not return: it unwinds
//! straight to the innermost entry stub.

use super::regs::{Fpr, Gpr};
use crate::ir::Inst;
use crate::isa::callconv::{self, ArgRegs};
use crate::regalloc::{MachineEnv, PReg, RegSet};
use std::sync::LazyLock;

/// The allocator's register number of a general-purpose register.
pub const fn gpr(r: Gpr) -> PReg {
    PReg(r.enc())
}

/// The allocator's register number of a vector register.
pub const fn fpr(r: Fpr) -> PReg {
    PReg(32 + r.enc())
}

/// The register behind an allocator register number.
pub fn reg_name(p: PReg) -> String {
    let name = if p.0 >= 32 {
        Fpr::from_enc(p.0 - 32).map(|r| r.name(super::asm::FloatSize::F64))
    } else {
        Gpr::from_enc(p.0).map(|r| r.name(super::asm::Size::S64))
    };
    name.map_or_else(|| format!("p{}", p.0), str::to_string)
}

/// The instance's VMContext, for the whole function.
pub const VMCTX: Gpr = Gpr::X28;
/// Memory 0's base, in functions that access memory.
pub const MEMORY_BASE: Gpr = Gpr::X27;
/// The emitter's scratch registers (the linker's IP0 and IP1 in AAPCS64,
/// which JIT code links nothing through).
pub const SCRATCH0: Gpr = Gpr::X16;
pub const SCRATCH1: Gpr = Gpr::X17;
/// The float scratch registers.
pub const FSCRATCH0: Fpr = Fpr::V31;
pub const FSCRATCH1: Fpr = Fpr::V30;
/// The register a load-exclusive/store-exclusive loop's status goes in.
pub const EXCLUSIVE_STATUS: Gpr = Gpr::X15;

pub(crate) const CALLER_SAVED_GPRS: [Gpr; 16] = [
    Gpr::X0,
    Gpr::X1,
    Gpr::X2,
    Gpr::X3,
    Gpr::X4,
    Gpr::X5,
    Gpr::X6,
    Gpr::X7,
    Gpr::X8,
    Gpr::X9,
    Gpr::X10,
    Gpr::X11,
    Gpr::X12,
    Gpr::X13,
    Gpr::X14,
    Gpr::X15,
];

/// The callee-saved registers the allocator may use (saved in the
/// prologue of a function that uses them).
pub const CALLEE_SAVED_GPRS: [Gpr; 8] = [
    Gpr::X19,
    Gpr::X20,
    Gpr::X21,
    Gpr::X22,
    Gpr::X23,
    Gpr::X24,
    Gpr::X25,
    Gpr::X26,
];

pub(crate) const CALLER_SAVED_FPRS: [Fpr; 22] = [
    Fpr::V0,
    Fpr::V1,
    Fpr::V2,
    Fpr::V3,
    Fpr::V4,
    Fpr::V5,
    Fpr::V6,
    Fpr::V7,
    Fpr::V16,
    Fpr::V17,
    Fpr::V18,
    Fpr::V19,
    Fpr::V20,
    Fpr::V21,
    Fpr::V22,
    Fpr::V23,
    Fpr::V24,
    Fpr::V25,
    Fpr::V26,
    Fpr::V27,
    Fpr::V28,
    Fpr::V29,
];

/// Callee-saved vector registers (their low 64 bits), saved in the
/// prologue of a function that uses them.
pub const CALLEE_SAVED_FPRS: [Fpr; 8] = [
    Fpr::V8,
    Fpr::V9,
    Fpr::V10,
    Fpr::V11,
    Fpr::V12,
    Fpr::V13,
    Fpr::V14,
    Fpr::V15,
];

/// The set of `gprs` and `fprs` (a `const fn`, so the clobber sets are
/// constants rather than computed per instruction).
const fn set(gprs: &[Gpr], fprs: &[Fpr]) -> RegSet {
    let mut s = 0;
    let mut i = 0;
    while i < gprs.len() {
        s |= 1 << gpr(gprs[i]).0;
        i += 1;
    }
    let mut i = 0;
    while i < fprs.len() {
        s |= 1 << fpr(fprs[i]).0;
        i += 1;
    }
    s
}

/// What a call destroys: every caller-saved register.
const CALL_CLOBBERS: RegSet = set(&CALLER_SAVED_GPRS, &CALLER_SAVED_FPRS);

/// Registers the allocator may hand out, caller-saved first (cheaper when
/// no call intervenes; the clobber sets push call-crossing values to the
/// callee-saved ones). Built once: every compile asks for it.
pub fn machine_env() -> &'static MachineEnv {
    static ENV: LazyLock<MachineEnv> = LazyLock::new(|| MachineEnv {
        int_regs: CALLER_SAVED_GPRS
            .iter()
            .chain(&CALLEE_SAVED_GPRS)
            .map(|&r| gpr(r))
            .collect(),
        float_regs: CALLER_SAVED_FPRS
            .iter()
            .chain(&CALLEE_SAVED_FPRS)
            .map(|&r| fpr(r))
            .collect(),
        split_around_calls: Vec::new(),
        abi_hints: callconv::hint_conventions::<WasmRegs>,
    });
    &ENV
}

/// The registers `inst` destroys.
pub fn clobbers(inst: &Inst) -> RegSet {
    match inst {
        Inst::Call { .. } | Inst::CallIndirect { .. } | Inst::Libcall { .. } => CALL_CLOBBERS,
        // A remainder's quotient, and `table.set`'s value when its index
        // and the slot's address hold both scratch registers.
        Inst::IDiv { .. } | Inst::IDivImm { .. } | Inst::TableSet { .. } => {
            const { set(&[EXCLUSIVE_STATUS], &[]) }
        }
        // The old value, the new value and the store's status of an
        // exclusive-access loop (also with LSE, so allocation does not
        // depend on the CPU).
        Inst::AtomicRmw { .. } | Inst::AtomicCmpxchg { .. } => {
            const { set(&[Gpr::X13, Gpr::X14, EXCLUSIVE_STATUS], &[]) }
        }
        _ => 0,
    }
}

/// Integer argument registers of the wasm calling convention, in order.
pub const INT_ARGS: [Gpr; 8] = [
    Gpr::X0,
    Gpr::X1,
    Gpr::X2,
    Gpr::X3,
    Gpr::X4,
    Gpr::X5,
    Gpr::X6,
    Gpr::X7,
];
/// Float argument registers of the wasm calling convention, in order.
pub const FLOAT_ARGS: [Fpr; 8] = [
    Fpr::V0,
    Fpr::V1,
    Fpr::V2,
    Fpr::V3,
    Fpr::V4,
    Fpr::V5,
    Fpr::V6,
    Fpr::V7,
];

/// The AArch64 registers of the wasm calling convention.
#[derive(Debug, PartialEq, Eq)]
pub struct WasmRegs;

impl ArgRegs for WasmRegs {
    type Gpr = Gpr;
    type Fpr = Fpr;
    const INT_ARGS: &'static [Gpr] = &INT_ARGS;
    const FLOAT_ARGS: &'static [Fpr] = &FLOAT_ARGS;
    const INT_RESULT: Gpr = Gpr::X0;
    const FLOAT_RESULT: Fpr = Fpr::V0;

    fn gpr_preg(r: Gpr) -> PReg {
        gpr(r)
    }

    fn fpr_preg(r: Fpr) -> PReg {
        fpr(r)
    }
}

/// Where one argument or result of a wasm call travels (a stack word is
/// `[sp + 8k]` at the call, `[x29 + 16 + 8k]` in the callee).
pub type ArgLoc = callconv::ArgLoc<Gpr, Fpr>;

/// How a signature's values travel under the wasm calling convention.
pub type CallConv = callconv::CallConv<WasmRegs>;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ir::Ty;

    #[test]
    fn arguments_fill_registers_by_class_then_the_stack() {
        use Ty::{F32, F64, I32, I64};
        let params = [I32, F64, I64, I32, I32, I32, I32, I32, I32, I64, F32];
        let cc = CallConv::new(params, &[I64]);
        assert_eq!(cc.params[..2], [ArgLoc::Gpr(Gpr::X0), ArgLoc::Fpr(Fpr::V0)]);
        assert_eq!(cc.params[8], ArgLoc::Gpr(Gpr::X7));
        assert_eq!(cc.params[9], ArgLoc::Stack(0));
        assert_eq!(cc.params[10], ArgLoc::Fpr(Fpr::V1));
        assert_eq!(cc.results, [ArgLoc::Gpr(Gpr::X0)]);
        assert_eq!(cc.stack_words, 1);
        let cc = CallConv::new([I32], &[F32, I32]);
        assert_eq!(cc.results, [ArgLoc::Stack(0), ArgLoc::Stack(1)]);
        assert_eq!(CallConv::new([], &[F64]).results, [ArgLoc::Fpr(Fpr::V0)]);
    }

    #[test]
    fn reserved_registers_are_never_allocated() {
        let env = machine_env();
        let reserved = [
            Gpr::X16,
            Gpr::X17,
            Gpr::X18,
            Gpr::X27,
            Gpr::X28,
            Gpr::X29,
            Gpr::X30,
        ];
        for r in reserved {
            assert!(!env.int_regs.contains(&gpr(r)), "{r:?} is reserved");
        }
        for r in [FSCRATCH0, FSCRATCH1] {
            assert!(!env.float_regs.contains(&fpr(r)), "{r:?} is reserved");
        }
        assert_eq!(env.int_regs.len(), 24);
        assert_eq!(env.float_regs.len(), 30);
        assert_eq!(reg_name(gpr(Gpr::X19)), "x19");
        assert_eq!(reg_name(fpr(Fpr::V9)), "d9");
    }

    #[test]
    fn calls_spare_exactly_the_callee_saved_registers() {
        let call = Inst::Call {
            func: 0,
            args: crate::ir::List { start: 0, len: 0 },
            rets: crate::ir::List { start: 0, len: 0 },
        };
        let clobbered = clobbers(&call);
        let env = machine_env();
        for &p in env.int_regs.iter().chain(&env.float_regs) {
            let saved = CALLEE_SAVED_GPRS.iter().any(|&r| gpr(r) == p)
                || CALLEE_SAVED_FPRS.iter().any(|&r| fpr(r) == p);
            assert_eq!(clobbered & (1 << p.0) == 0, saved, "{}", reg_name(p));
        }
    }
}
