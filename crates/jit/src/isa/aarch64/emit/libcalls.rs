//! Calls to the runtime (`wx_core::libcalls`) on AArch64: the instance's
//! VMContext, the index immediates, then the arguments in AAPCS64's
//! registers (or, for a payload, a pointer to them); a status other than 0
//! leaves by the trap exit as it is.

use super::Emitter;
use crate::error::JitError;
use crate::ir::{Libcall, List, VReg};
use crate::isa::aarch64::abi::VMCTX;
use crate::isa::aarch64::asm::{Mem, Shift, Size};
use crate::isa::aarch64::regs::Gpr::{self, Sp, X0, X1, X16, X2, X3, X4, X5, X6, X7};
use crate::isa::SiteKind;

/// AAPCS64's integer argument registers.
const ARG_REGS: [Gpr; 8] = [X0, X1, X2, X3, X4, X5, X6, X7];

impl Emitter<'_> {
    /// Store call arguments to the outgoing area, a word each.
    fn store_args(&mut self, args: List) {
        let f = self.f;
        for (i, &v) in f.list_items(args).iter().enumerate() {
            let r = self.src(VReg(v), X16);
            self.asm.str(Size::S64, r, Mem::offset(Sp, 8 * i as i64));
        }
    }

    /// Call `call`'s function in `wx_core::libcalls`: the VMContext, the
    /// index immediates, then the arguments. A status other than 0 is a
    /// trap (or a throw) and goes to the trap exit as it is.
    pub(super) fn libcall(
        &mut self,
        call: Libcall,
        args: List,
        rets: List,
    ) -> Result<(), JitError> {
        let target = call
            .address()
            .ok_or_else(|| JitError::Internal(format!("{call} is emitted inline")))?;
        let imms = call.immediates();
        let by_pointer = call.args_by_pointer();
        let arg_regs = if by_pointer { 2 } else { args.len as usize };
        if 1 + imms.len() + arg_regs > ARG_REGS.len() {
            return Err(JitError::Internal(format!(
                "libcall {call} has too many arguments"
            )));
        }
        // The operands may sit in argument registers: pass them through
        // the outgoing area rather than ordering the moves.
        self.store_args(args);
        self.asm.mov_rr(Size::S64, X0, VMCTX);
        for (&imm, &reg) in imms.iter().zip(&ARG_REGS[1..]) {
            self.asm.mov_imm(Size::S32, reg, u64::from(imm));
        }
        let regs = &ARG_REGS[1 + imms.len()..];
        if by_pointer {
            // (pointer, length) of the arguments in the outgoing area.
            self.asm.add_imm(Size::S64, regs[0], Sp, 0);
            self.asm.mov_imm(Size::S32, regs[1], u64::from(args.len));
        } else {
            for (i, &reg) in regs.iter().take(args.len as usize).enumerate() {
                self.asm.ldr(Size::S64, reg, Mem::offset(Sp, 8 * i as i64));
            }
        }
        super::mov_address(self.asm, X16, target);
        self.asm.blr(X16);
        if call.can_trap() || call.returns_status_and_value() {
            let status = self.cold_site(SiteKind::Status);
            self.asm.cbnz(Size::S32, X0, status);
        }
        if call.returns_status_and_value() {
            // The value is the high half.
            self.asm.shift_ri(Shift::Lsr, Size::S64, X0, X0, 32);
        }
        if let Some(&ret) = self.f.list_items(rets).first() {
            let dst = VReg(ret);
            let d = self.dst(dst, X16);
            // Only w0 is defined: clear the upper half.
            self.asm.mov_rr(Size::S32, d, X0);
            self.commit(dst, d);
        }
        Ok(())
    }
}
