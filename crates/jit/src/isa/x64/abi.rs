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

use super::regs::{Gpr, Xmm};
use crate::ir::{IBinOp, Inst};
use crate::regalloc::{MachineEnv, PReg, RegSet};

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
const CALLEE_SAVED_GPRS: [Gpr; 3] = [Gpr::Rbx, Gpr::R12, Gpr::R13];

fn set(regs: impl IntoIterator<Item = PReg>) -> RegSet {
    regs.into_iter().fold(0, |s, r| s | 1 << r.0)
}

/// Registers the allocator may hand out, caller-saved first (cheaper when
/// no call intervenes; the clobber sets push call-crossing values to the rest).
pub fn machine_env() -> MachineEnv {
    MachineEnv {
        int_regs: CALLER_SAVED_GPRS
            .iter()
            .chain(&CALLEE_SAVED_GPRS)
            .map(|&r| gpr(r))
            .collect(),
        float_regs: Xmm::ALL[..14].iter().map(|&r| xmm(r)).collect(),
    }
}

/// The registers `inst` destroys.
pub fn clobbers(inst: &Inst) -> RegSet {
    match inst {
        Inst::Call { .. } | Inst::CallIndirect { .. } | Inst::Libcall { .. } => {
            set(CALLER_SAVED_GPRS.iter().map(|&r| gpr(r)))
                | set(Xmm::ALL[..14].iter().map(|&r| xmm(r)))
        }
        Inst::IDiv { .. } => set([gpr(Gpr::Rax), gpr(Gpr::Rdx)]),
        Inst::IBin {
            op: IBinOp::Shl | IBinOp::ShrS | IBinOp::ShrU | IBinOp::Rotl | IBinOp::Rotr,
            ..
        } => set([gpr(Gpr::Rcx)]),
        _ => 0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
