//! Calls to the runtime (`wx_core::libcalls`): the instance's VMContext,
//! the index immediates, then the arguments in the C ABI's registers (or,
//! for a payload, a pointer to them); a status other than 0 leaves by the
//! trap exit as it is.

use super::{Emitter, Gpr, Mem, Size};
use crate::error::JitError;
use crate::ir::{Libcall, VReg};
use crate::isa::x64::asm::{Cond, ShiftOp};
use crate::isa::SiteKind;
use Gpr::{Rax, Rcx, Rdi, Rdx, Rsi, Rsp, R10, R11, R14};

impl Emitter<'_> {
    /// Call `call`'s function in `wx_core::libcalls`: the VMContext, the
    /// index immediates, then the arguments, in the C ABI's registers. A
    /// status other than 0 is a trap and goes to the trap exit as it is.
    pub(super) fn libcall(
        &mut self,
        call: Libcall,
        args: crate::ir::List,
        rets: crate::ir::List,
    ) -> Result<(), JitError> {
        let target = call
            .address()
            .ok_or_else(|| JitError::Internal(format!("{call} is emitted inline")))?;
        const ARG_REGS: [Gpr; 6] = [Rdi, Rsi, Rdx, Rcx, Gpr::R8, Gpr::R9];
        let imms = call.immediates();
        let by_pointer = call.args_by_pointer();
        let arg_regs = if by_pointer { 2 } else { args.len as usize };
        if 1 + imms.len() + arg_regs > ARG_REGS.len() {
            return Err(JitError::Internal(format!(
                "libcall {call} has too many arguments"
            )));
        }
        // The operands may sit in argument registers: pass them through the
        // outgoing area rather than ordering the moves.
        self.store_args(args);
        self.asm.mov_rr(Size::S64, Rdi, R14);
        for (&imm, &reg) in imms.iter().zip(&ARG_REGS[1..]) {
            self.asm.mov_ri(Size::S32, reg, imm as i32);
        }
        let regs = &ARG_REGS[1 + imms.len()..];
        if by_pointer {
            // (pointer, length) of the arguments in the outgoing area.
            self.asm.mov_rr(Size::S64, regs[0], Rsp);
            self.asm.mov_ri(Size::S32, regs[1], args.len as i32);
        } else {
            for (i, &reg) in regs.iter().take(args.len as usize).enumerate() {
                self.asm.load(Size::S64, reg, Mem::new(Rsp, 8 * i as i32));
            }
        }
        self.asm.mov_imm64(R11, target);
        self.asm.call_r(R11);
        if call.can_trap() || call.returns_status_and_value() {
            self.asm.test_rr(Size::S32, Rax, Rax);
            let status = self.cold_site(SiteKind::Status);
            self.asm.jcc(Cond::Ne, status);
        }
        if call.returns_status_and_value() {
            // The value is the high half.
            self.asm.shift_ri(ShiftOp::Shr, Size::S64, Rax, 32);
        }
        if let Some(&ret) = self.f.list_items(rets).first() {
            let dst = VReg(ret);
            let d = self.dst(dst, R10);
            // Only eax is defined: clear the upper half.
            self.asm.mov_rr(Size::S32, d, Rax);
            self.commit(dst, d);
        }
        Ok(())
    }
}
