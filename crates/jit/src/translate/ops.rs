//! Lowering of non-control operators to IR, with constant folding and
//! immediate operands.

use super::{ty_of, Translator, Val};
use crate::error::JitError;
use crate::ir::{
    CmpRhs, ConvOp, DivOp, FBinOp, FUnOp, FloatCC, IBinOp, IUnOp, Inst, IntCC, Libcall, MemKind, Ty,
};
use wasmparser::Operator as W;

/// Fold `a op b` for integers of type `ty` (wasm wrapping semantics).
fn fold(op: IBinOp, ty: Ty, a: u64, b: u64) -> u64 {
    if ty == Ty::I32 {
        let (a, b) = (a as u32, b as u32);
        (match op {
            IBinOp::Add => a.wrapping_add(b),
            IBinOp::Sub => a.wrapping_sub(b),
            IBinOp::Mul => a.wrapping_mul(b),
            IBinOp::And => a & b,
            IBinOp::Or => a | b,
            IBinOp::Xor => a ^ b,
            IBinOp::Shl => a.wrapping_shl(b),
            IBinOp::ShrS => (a as i32).wrapping_shr(b) as u32,
            IBinOp::ShrU => a.wrapping_shr(b),
            IBinOp::Rotl => a.rotate_left(b & 31),
            IBinOp::Rotr => a.rotate_right(b & 31),
        }) as u64
    } else {
        match op {
            IBinOp::Add => a.wrapping_add(b),
            IBinOp::Sub => a.wrapping_sub(b),
            IBinOp::Mul => a.wrapping_mul(b),
            IBinOp::And => a & b,
            IBinOp::Or => a | b,
            IBinOp::Xor => a ^ b,
            IBinOp::Shl => a.wrapping_shl(b as u32),
            IBinOp::ShrS => (a as i64).wrapping_shr(b as u32) as u64,
            IBinOp::ShrU => a.wrapping_shr(b as u32),
            IBinOp::Rotl => a.rotate_left((b & 63) as u32),
            IBinOp::Rotr => a.rotate_right((b & 63) as u32),
        }
    }
}

/// Fold an integer comparison.
fn fold_cmp(cc: IntCC, ty: Ty, a: u64, b: u64) -> bool {
    let (ua, ub, sa, sb) = if ty == Ty::I32 {
        (
            a as u32 as u64,
            b as u32 as u64,
            a as i32 as i64,
            b as i32 as i64,
        )
    } else {
        (a, b, a as i64, b as i64)
    };
    match cc {
        IntCC::Eq => ua == ub,
        IntCC::Ne => ua != ub,
        IntCC::LtS => sa < sb,
        IntCC::LtU => ua < ub,
        IntCC::GtS => sa > sb,
        IntCC::GtU => ua > ub,
        IntCC::LeS => sa <= sb,
        IntCC::LeU => ua <= ub,
        IntCC::GeS => sa >= sb,
        IntCC::GeU => ua >= ub,
    }
}

/// Swap the operands of a comparison (`a cc b` == `b swapped(cc) a`).
fn swap_cc(cc: IntCC) -> IntCC {
    use IntCC::*;
    match cc {
        Eq => Eq,
        Ne => Ne,
        LtS => GtS,
        LtU => GtU,
        GtS => LtS,
        GtU => LtU,
        LeS => GeS,
        LeU => GeU,
        GeS => LeS,
        GeU => LeU,
    }
}

/// A constant that fits an instruction's 32-bit immediate for type `ty`.
fn imm(ty: Ty, bits: u64) -> Option<i32> {
    match ty {
        Ty::I32 => Some(bits as u32 as i32),
        _ => (bits as i64 == bits as i32 as i64).then_some(bits as i32),
    }
}

fn commutative(op: IBinOp) -> bool {
    matches!(
        op,
        IBinOp::Add | IBinOp::Mul | IBinOp::And | IBinOp::Or | IBinOp::Xor
    )
}

impl Translator<'_> {
    pub(super) fn ibin(&mut self, op: IBinOp, ty: Ty) {
        let b = self.pop();
        let a = self.pop();
        match (a.val, b.val) {
            (Val::Const(x), Val::Const(y)) => return self.push(Val::Const(fold(op, ty, x, y)), ty),
            (_, Val::Const(y)) if imm(ty, y).is_some() => {
                let (a, imm) = (self.reg(a), imm(ty, y).expect("checked"));
                let (op, imm) = if op == IBinOp::Sub && imm != i32::MIN {
                    (IBinOp::Add, -imm)
                } else {
                    (op, imm)
                };
                let dst = self.push_def(ty);
                return self.emit_def(
                    Inst::IBinImm {
                        op,
                        ty,
                        dst,
                        a,
                        imm,
                    },
                    dst,
                );
            }
            (Val::Const(x), _) if commutative(op) && imm(ty, x).is_some() => {
                let (b, imm) = (self.reg(b), imm(ty, x).expect("checked"));
                let dst = self.push_def(ty);
                return self.emit_def(
                    Inst::IBinImm {
                        op,
                        ty,
                        dst,
                        a: b,
                        imm,
                    },
                    dst,
                );
            }
            _ => {}
        }
        let (a, b) = (self.reg(a), self.reg(b));
        let dst = self.push_def(ty);
        self.emit_def(Inst::IBin { op, ty, dst, a, b }, dst);
    }

    fn icmp(&mut self, cc: IntCC, ty: Ty) {
        let b = self.pop();
        let a = self.pop();
        match (a.val, b.val) {
            (Val::Const(x), Val::Const(y)) => {
                return self.push(Val::Const(fold_cmp(cc, ty, x, y) as u64), Ty::I32)
            }
            (_, Val::Const(y)) if imm(ty, y).is_some() => {
                let (a, imm) = (self.reg(a), imm(ty, y).expect("checked"));
                let dst = self.push_def(Ty::I32);
                return self.emit_def(
                    Inst::ICmpImm {
                        cc,
                        ty,
                        dst,
                        a,
                        imm,
                    },
                    dst,
                );
            }
            (Val::Const(x), _) if imm(ty, x).is_some() => {
                let (b, imm) = (self.reg(b), imm(ty, x).expect("checked"));
                let dst = self.push_def(Ty::I32);
                return self.emit_def(
                    Inst::ICmpImm {
                        cc: swap_cc(cc),
                        ty,
                        dst,
                        a: b,
                        imm,
                    },
                    dst,
                );
            }
            _ => {}
        }
        let (a, b) = (self.reg(a), self.reg(b));
        let dst = self.push_def(Ty::I32);
        self.emit_def(Inst::ICmp { cc, ty, dst, a, b }, dst);
    }

    fn eqz(&mut self, ty: Ty) {
        let e = self.pop();
        if let Val::Const(x) = e.val {
            let zero = if ty == Ty::I32 { x as u32 == 0 } else { x == 0 };
            return self.push(Val::Const(zero as u64), Ty::I32);
        }
        let src = self.reg(e);
        let dst = self.push_def(Ty::I32);
        self.emit_def(Inst::Eqz { ty, dst, src }, dst);
    }

    /// An instruction `make(dst, operands...)` whose operands are popped registers.
    fn def1(&mut self, out: Ty, make: impl FnOnce(crate::ir::VReg, crate::ir::VReg) -> Inst) {
        let src = self.pop_reg();
        let dst = self.push_def(out);
        self.emit_def(make(dst, src), dst);
    }

    /// Integer division. A constant divisor that cannot trap (not 0, and
    /// not -1 when signed) becomes [`Inst::IDivImm`], a multiplication.
    fn idiv(&mut self, op: DivOp, ty: Ty) {
        let b = *self.stack.last().expect("validated operand");
        let signed = matches!(op, DivOp::DivS | DivOp::RemS);
        if let Val::Const(bits) = b.val {
            // The divisor's `ty`-wide value, sign-extended.
            let divisor = if ty == Ty::I32 {
                bits as u32 as i32 as i64
            } else {
                bits as i64
            };
            if divisor != 0 && !(signed && divisor == -1) {
                self.pop();
                let a = self.pop_reg();
                let dst = self.push_def(ty);
                self.emit_def(
                    Inst::IDivImm {
                        op,
                        ty,
                        dst,
                        a,
                        divisor,
                    },
                    dst,
                );
                return;
            }
        }
        self.def2(ty, |dst, a, b| Inst::IDiv { op, ty, dst, a, b });
    }

    /// `select`, fused with the comparison computing its condition when
    /// that comes right before (compare and conditional move, with no 0/1
    /// in between), and resolved here when the condition is a constant.
    fn select(&mut self) {
        let cond = self.pop_cond();
        let b = self.pop();
        let a = self.pop();
        let ty = a.ty;
        // The operands in registers, when the condition needed them there
        // first (so that the comparison stays the block's last instruction).
        let (in_regs, (cc, cmp_ty, x, y)) = match cond {
            super::Cond::Const(c) => return self.stack.push(if c { a } else { b }),
            super::Cond::Reg(cond) => {
                let (a, b) = (self.reg(a), self.reg(b));
                match self.compare_just_made(cond) {
                    // Compare again in place of testing the 0/1: the
                    // conditional move then waits on the compare only.
                    Some(cmp) => (Some((a, b)), cmp),
                    None => {
                        let dst = self.push_def(ty);
                        let inst = Inst::Select {
                            ty,
                            dst,
                            cond,
                            a,
                            b,
                        };
                        return self.emit_def(inst, dst);
                    }
                }
            }
            super::Cond::Cmp(cc, t, x, y) => (None, (cc, t, x, CmpRhs::Reg(y))),
            super::Cond::FCmp(cc, ty, x, y) => {
                // (pop_cond leaves float comparisons alone; computed as a
                // value all the same should that change.)
                let c = self.f.new_vreg(Ty::I32);
                let inst = Inst::FCmp {
                    cc,
                    ty,
                    dst: c,
                    a: x,
                    b: y,
                };
                self.emit_def(inst, c);
                (None, (IntCC::Ne, Ty::I32, c, CmpRhs::Imm(0)))
            }
            super::Cond::CmpImm(cc, t, x, imm) => (None, (cc, t, x, CmpRhs::Imm(imm))),
        };
        let (a, b) = in_regs.unwrap_or_else(|| (self.reg(a), self.reg(b)));
        let dst = self.push_def(ty);
        let inst = Inst::SelectCmp {
            ty,
            dst,
            cc,
            cmp_ty,
            x,
            y,
            a,
            b,
        };
        self.emit_def(inst, dst);
    }

    /// The comparison that computed `cond`, if it is the last instruction
    /// of the current block (so its operands still hold what it compared)
    /// and did not overwrite one of its operands.
    fn compare_just_made(
        &self,
        cond: crate::ir::VReg,
    ) -> Option<(IntCC, Ty, crate::ir::VReg, CmpRhs)> {
        let b = self.cur?;
        let last = self.f.insts.len().checked_sub(1)?;
        if (last as u32) < self.f.blocks[b.0 as usize].insts.start {
            return None;
        }
        match self.f.insts[last] {
            Inst::ICmp { cc, ty, dst, a, b } if dst == cond && dst != a && dst != b => {
                Some((cc, ty, a, CmpRhs::Reg(b)))
            }
            Inst::ICmpImm {
                cc,
                ty,
                dst,
                a,
                imm,
            } if dst == cond && dst != a => Some((cc, ty, a, CmpRhs::Imm(imm))),
            _ => None,
        }
    }

    fn def2(
        &mut self,
        out: Ty,
        make: impl FnOnce(crate::ir::VReg, crate::ir::VReg, crate::ir::VReg) -> Inst,
    ) {
        let b = self.pop_reg();
        let a = self.pop_reg();
        let dst = self.push_def(out);
        self.emit_def(make(dst, a, b), dst);
    }

    fn load(&mut self, ty: Ty, kind: MemKind, memarg: wasmparser::MemArg) {
        let addr = self.pop_reg();
        let dst = self.push_def(ty);
        self.emit_def(
            Inst::Load {
                ty,
                kind,
                dst,
                addr,
                offset: memarg.offset as u32,
            },
            dst,
        );
    }

    fn store(&mut self, ty: Ty, kind: MemKind, memarg: wasmparser::MemArg) {
        let value = self.pop_reg();
        let addr = self.pop_reg();
        self.emit(Inst::Store {
            ty,
            kind,
            addr,
            value,
            offset: memarg.offset as u32,
        });
    }

    /// Pop a call's arguments into registers and push its results.
    fn call_operands(&mut self, ty: &wx_core::FuncType) -> (crate::ir::List, crate::ir::List) {
        let n = ty.params().len();
        let base = self.stack.len() - n;
        let args = self.list_regs(base, n);
        self.stack.truncate(base);
        let start = self.f.lists.len() as u32;
        for t in ty.results() {
            let v = self.push_def(ty_of(*t));
            self.f.lists.push(v.0);
        }
        let rets = crate::ir::List {
            start,
            len: ty.results().len() as u32,
        };
        (args, rets)
    }

    /// A call to the runtime taking the top `n` values, producing one of
    /// type `ret` if given.
    pub(super) fn libcall(&mut self, call: Libcall, n: usize, ret: Option<Ty>) {
        let base = self.stack.len() - n;
        let args = self.list_regs(base, n);
        self.stack.truncate(base);
        let rets = match ret {
            Some(ty) => {
                let v = self.push_def(ty);
                self.f.list([v.0])
            }
            None => self.f.list([]),
        };
        self.emit(Inst::Libcall { call, args, rets });
    }

    fn convert(&mut self, op: ConvOp, from: Ty, to: Ty) {
        self.def1(to, |dst, src| Inst::Convert {
            op,
            from,
            to,
            dst,
            src,
        });
    }

    pub(super) fn local_set(&mut self, local: u32, tee: bool) {
        let index = self.stack.len() - 1;
        let top = self.stack[index];
        if top.val == Val::Local(local) {
            if !tee {
                self.stack.pop();
            }
            return;
        }
        self.materialize_locals(Some(local), index);
        let dst = self.locals[local as usize];
        match top.val {
            Val::Reg(v)
                if self
                    .last_def
                    .is_some_and(|(at, d)| d == v && at + 1 == self.f.insts.len()) =>
            {
                // The value was just computed: compute it into the local instead.
                let at = self.last_def.expect("checked").0;
                *self.f.insts[at].dst_mut().expect("definitions have a dst") = dst;
                self.last_def = None;
            }
            Val::Const(bits) => {
                self.emit(Inst::Const {
                    ty: top.ty,
                    dst,
                    bits,
                });
            }
            _ => {
                let src = self.reg(top);
                self.emit(Inst::Move {
                    ty: top.ty,
                    dst,
                    src,
                });
            }
        }
        self.stack.pop();
        if tee {
            self.push(Val::Local(local), top.ty);
        }
    }

    pub(super) fn plain(&mut self, op: W<'_>) -> Result<(), JitError> {
        use Ty::*;
        match op {
            W::Nop => {}
            W::Drop => {
                self.pop();
            }
            W::Select | W::TypedSelect { .. } => self.select(),
            W::LocalGet { local_index } => self.local_get(local_index),
            W::LocalSet { local_index } => self.local_set(self.local_index(local_index), false),
            W::LocalTee { local_index } => self.local_set(self.local_index(local_index), true),
            W::GlobalGet { global_index } => {
                let ty = ty_of(self.module.globals[global_index as usize].content);
                let dst = self.push_def(ty);
                self.emit_def(
                    Inst::GlobalGet {
                        ty,
                        dst,
                        index: global_index,
                    },
                    dst,
                );
            }
            W::GlobalSet { global_index } => {
                let ty = ty_of(self.module.globals[global_index as usize].content);
                let src = self.pop_reg();
                self.emit(Inst::GlobalSet {
                    ty,
                    src,
                    index: global_index,
                });
            }
            W::I32Const { value } => self.push(Val::Const(value as u32 as u64), I32),
            W::I64Const { value } => self.push(Val::Const(value as u64), I64),
            W::F32Const { value } => self.push(Val::Const(value.bits() as u64), F32),
            W::F64Const { value } => self.push(Val::Const(value.bits()), F64),
            W::Call { function_index } => {
                if self.try_inline(function_index)? {
                    return Ok(());
                }
                let module = self.module;
                let (args, rets) = self.call_operands(module.func_type(function_index));
                self.emit(Inst::Call {
                    func: function_index,
                    args,
                    rets,
                });
                self.may_throw();
            }
            W::CallIndirect {
                type_index,
                table_index,
            } => {
                let module = self.module;
                let index = self.pop_reg();
                let (args, rets) = self.call_operands(&module.types[type_index as usize]);
                let sig = self.module.sig_ids[type_index as usize].0;
                self.emit(Inst::CallIndirect {
                    sig,
                    table: table_index,
                    index,
                    args,
                    rets,
                });
                self.may_throw();
            }
            W::MemorySize { .. } => self.libcall(Libcall::MemorySize, 0, Some(I32)),
            W::MemoryGrow { .. } => self.libcall(Libcall::MemoryGrow, 1, Some(I32)),
            W::MemoryFill { mem } => self.libcall(Libcall::MemoryFill { mem }, 3, None),
            W::MemoryCopy { dst_mem, src_mem } => {
                self.libcall(Libcall::MemoryCopy { dst_mem, src_mem }, 3, None)
            }
            W::MemoryInit { data_index, mem } => self.libcall(
                Libcall::MemoryInit {
                    mem,
                    data: data_index,
                },
                3,
                None,
            ),
            W::DataDrop { data_index } => {
                self.libcall(Libcall::DataDrop { data: data_index }, 0, None)
            }

            // ---- references and tables ----
            W::RefNull { .. } => self.push(Val::Const(0), I64),
            W::RefIsNull => self.eqz(I64),
            W::RefFunc { function_index } => {
                let dst = self.push_def(I64);
                self.emit_def(
                    Inst::FuncRef {
                        dst,
                        func: function_index,
                    },
                    dst,
                );
            }
            W::TableGet { table } => {
                let index = self.pop_reg();
                let dst = self.push_def(I64);
                self.emit_def(Inst::TableGet { table, dst, index }, dst);
            }
            W::TableSet { table } => {
                let value = self.pop_reg();
                let index = self.pop_reg();
                self.emit(Inst::TableSet {
                    table,
                    index,
                    value,
                });
            }
            W::TableSize { table } => {
                let dst = self.push_def(I32);
                self.emit_def(Inst::TableSize { table, dst }, dst);
            }
            W::TableGrow { table } => self.libcall(Libcall::TableGrow { table }, 2, Some(I32)),
            W::TableFill { table } => self.libcall(Libcall::TableFill { table }, 3, None),
            W::TableCopy {
                dst_table,
                src_table,
            } => self.libcall(
                Libcall::TableCopy {
                    dst_table,
                    src_table,
                },
                3,
                None,
            ),
            W::TableInit { elem_index, table } => self.libcall(
                Libcall::TableInit {
                    table,
                    elem: elem_index,
                },
                3,
                None,
            ),
            W::ElemDrop { elem_index } => {
                self.libcall(Libcall::ElemDrop { elem: elem_index }, 0, None)
            }

            // ---- memory ----
            W::I32Load { memarg } => self.load(I32, MemKind::Full, memarg),
            W::I64Load { memarg } => self.load(I64, MemKind::Full, memarg),
            W::F32Load { memarg } => self.load(F32, MemKind::Full, memarg),
            W::F64Load { memarg } => self.load(F64, MemKind::Full, memarg),
            W::I32Load8S { memarg } => self.load(I32, MemKind::S8, memarg),
            W::I32Load8U { memarg } => self.load(I32, MemKind::U8, memarg),
            W::I32Load16S { memarg } => self.load(I32, MemKind::S16, memarg),
            W::I32Load16U { memarg } => self.load(I32, MemKind::U16, memarg),
            W::I64Load8S { memarg } => self.load(I64, MemKind::S8, memarg),
            W::I64Load8U { memarg } => self.load(I64, MemKind::U8, memarg),
            W::I64Load16S { memarg } => self.load(I64, MemKind::S16, memarg),
            W::I64Load16U { memarg } => self.load(I64, MemKind::U16, memarg),
            W::I64Load32S { memarg } => self.load(I64, MemKind::S32, memarg),
            W::I64Load32U { memarg } => self.load(I64, MemKind::U32, memarg),
            W::I32Store { memarg } => self.store(I32, MemKind::Full, memarg),
            W::I64Store { memarg } => self.store(I64, MemKind::Full, memarg),
            W::F32Store { memarg } => self.store(F32, MemKind::Full, memarg),
            W::F64Store { memarg } => self.store(F64, MemKind::Full, memarg),
            W::I32Store8 { memarg } => self.store(I32, MemKind::U8, memarg),
            W::I32Store16 { memarg } => self.store(I32, MemKind::U16, memarg),
            W::I64Store8 { memarg } => self.store(I64, MemKind::U8, memarg),
            W::I64Store16 { memarg } => self.store(I64, MemKind::U16, memarg),
            W::I64Store32 { memarg } => self.store(I64, MemKind::U32, memarg),

            // ---- integer ----
            W::I32Eqz => self.eqz(I32),
            W::I64Eqz => self.eqz(I64),
            W::I32Eq => self.icmp(IntCC::Eq, I32),
            W::I32Ne => self.icmp(IntCC::Ne, I32),
            W::I32LtS => self.icmp(IntCC::LtS, I32),
            W::I32LtU => self.icmp(IntCC::LtU, I32),
            W::I32GtS => self.icmp(IntCC::GtS, I32),
            W::I32GtU => self.icmp(IntCC::GtU, I32),
            W::I32LeS => self.icmp(IntCC::LeS, I32),
            W::I32LeU => self.icmp(IntCC::LeU, I32),
            W::I32GeS => self.icmp(IntCC::GeS, I32),
            W::I32GeU => self.icmp(IntCC::GeU, I32),
            W::I64Eq => self.icmp(IntCC::Eq, I64),
            W::I64Ne => self.icmp(IntCC::Ne, I64),
            W::I64LtS => self.icmp(IntCC::LtS, I64),
            W::I64LtU => self.icmp(IntCC::LtU, I64),
            W::I64GtS => self.icmp(IntCC::GtS, I64),
            W::I64GtU => self.icmp(IntCC::GtU, I64),
            W::I64LeS => self.icmp(IntCC::LeS, I64),
            W::I64LeU => self.icmp(IntCC::LeU, I64),
            W::I64GeS => self.icmp(IntCC::GeS, I64),
            W::I64GeU => self.icmp(IntCC::GeU, I64),
            W::I32Add => self.ibin(IBinOp::Add, I32),
            W::I32Sub => self.ibin(IBinOp::Sub, I32),
            W::I32Mul => self.ibin(IBinOp::Mul, I32),
            W::I32And => self.ibin(IBinOp::And, I32),
            W::I32Or => self.ibin(IBinOp::Or, I32),
            W::I32Xor => self.ibin(IBinOp::Xor, I32),
            W::I32Shl => self.ibin(IBinOp::Shl, I32),
            W::I32ShrS => self.ibin(IBinOp::ShrS, I32),
            W::I32ShrU => self.ibin(IBinOp::ShrU, I32),
            W::I32Rotl => self.ibin(IBinOp::Rotl, I32),
            W::I32Rotr => self.ibin(IBinOp::Rotr, I32),
            W::I64Add => self.ibin(IBinOp::Add, I64),
            W::I64Sub => self.ibin(IBinOp::Sub, I64),
            W::I64Mul => self.ibin(IBinOp::Mul, I64),
            W::I64And => self.ibin(IBinOp::And, I64),
            W::I64Or => self.ibin(IBinOp::Or, I64),
            W::I64Xor => self.ibin(IBinOp::Xor, I64),
            W::I64Shl => self.ibin(IBinOp::Shl, I64),
            W::I64ShrS => self.ibin(IBinOp::ShrS, I64),
            W::I64ShrU => self.ibin(IBinOp::ShrU, I64),
            W::I64Rotl => self.ibin(IBinOp::Rotl, I64),
            W::I64Rotr => self.ibin(IBinOp::Rotr, I64),
            W::I32DivS => self.idiv(DivOp::DivS, I32),
            W::I32DivU => self.idiv(DivOp::DivU, I32),
            W::I32RemS => self.idiv(DivOp::RemS, I32),
            W::I32RemU => self.idiv(DivOp::RemU, I32),
            W::I64DivS => self.idiv(DivOp::DivS, I64),
            W::I64DivU => self.idiv(DivOp::DivU, I64),
            W::I64RemS => self.idiv(DivOp::RemS, I64),
            W::I64RemU => self.idiv(DivOp::RemU, I64),
            W::I32Clz => self.def1(I32, |dst, src| Inst::IUn {
                op: IUnOp::Clz,
                ty: I32,
                dst,
                src,
            }),
            W::I32Ctz => self.def1(I32, |dst, src| Inst::IUn {
                op: IUnOp::Ctz,
                ty: I32,
                dst,
                src,
            }),
            W::I32Popcnt => self.def1(I32, |dst, src| Inst::IUn {
                op: IUnOp::Popcnt,
                ty: I32,
                dst,
                src,
            }),
            W::I64Clz => self.def1(I64, |dst, src| Inst::IUn {
                op: IUnOp::Clz,
                ty: I64,
                dst,
                src,
            }),
            W::I64Ctz => self.def1(I64, |dst, src| Inst::IUn {
                op: IUnOp::Ctz,
                ty: I64,
                dst,
                src,
            }),
            W::I64Popcnt => self.def1(I64, |dst, src| Inst::IUn {
                op: IUnOp::Popcnt,
                ty: I64,
                dst,
                src,
            }),
            W::I32Extend8S => self.def1(I32, |dst, src| Inst::IUn {
                op: IUnOp::Extend8S,
                ty: I32,
                dst,
                src,
            }),
            W::I32Extend16S => self.def1(I32, |dst, src| Inst::IUn {
                op: IUnOp::Extend16S,
                ty: I32,
                dst,
                src,
            }),
            W::I64Extend8S => self.def1(I64, |dst, src| Inst::IUn {
                op: IUnOp::Extend8S,
                ty: I64,
                dst,
                src,
            }),
            W::I64Extend16S => self.def1(I64, |dst, src| Inst::IUn {
                op: IUnOp::Extend16S,
                ty: I64,
                dst,
                src,
            }),
            W::I64Extend32S => self.def1(I64, |dst, src| Inst::IUn {
                op: IUnOp::Extend32S,
                ty: I64,
                dst,
                src,
            }),

            // ---- float ----
            W::F32Add => self.def2(F32, |dst, a, b| Inst::FBin {
                op: FBinOp::Add,
                ty: F32,
                dst,
                a,
                b,
            }),
            W::F32Sub => self.def2(F32, |dst, a, b| Inst::FBin {
                op: FBinOp::Sub,
                ty: F32,
                dst,
                a,
                b,
            }),
            W::F32Mul => self.def2(F32, |dst, a, b| Inst::FBin {
                op: FBinOp::Mul,
                ty: F32,
                dst,
                a,
                b,
            }),
            W::F32Div => self.def2(F32, |dst, a, b| Inst::FBin {
                op: FBinOp::Div,
                ty: F32,
                dst,
                a,
                b,
            }),
            W::F32Min => self.def2(F32, |dst, a, b| Inst::FBin {
                op: FBinOp::Min,
                ty: F32,
                dst,
                a,
                b,
            }),
            W::F32Max => self.def2(F32, |dst, a, b| Inst::FBin {
                op: FBinOp::Max,
                ty: F32,
                dst,
                a,
                b,
            }),
            W::F32Copysign => self.def2(F32, |dst, a, b| Inst::FBin {
                op: FBinOp::Copysign,
                ty: F32,
                dst,
                a,
                b,
            }),
            W::F64Add => self.def2(F64, |dst, a, b| Inst::FBin {
                op: FBinOp::Add,
                ty: F64,
                dst,
                a,
                b,
            }),
            W::F64Sub => self.def2(F64, |dst, a, b| Inst::FBin {
                op: FBinOp::Sub,
                ty: F64,
                dst,
                a,
                b,
            }),
            W::F64Mul => self.def2(F64, |dst, a, b| Inst::FBin {
                op: FBinOp::Mul,
                ty: F64,
                dst,
                a,
                b,
            }),
            W::F64Div => self.def2(F64, |dst, a, b| Inst::FBin {
                op: FBinOp::Div,
                ty: F64,
                dst,
                a,
                b,
            }),
            W::F64Min => self.def2(F64, |dst, a, b| Inst::FBin {
                op: FBinOp::Min,
                ty: F64,
                dst,
                a,
                b,
            }),
            W::F64Max => self.def2(F64, |dst, a, b| Inst::FBin {
                op: FBinOp::Max,
                ty: F64,
                dst,
                a,
                b,
            }),
            W::F64Copysign => self.def2(F64, |dst, a, b| Inst::FBin {
                op: FBinOp::Copysign,
                ty: F64,
                dst,
                a,
                b,
            }),
            W::F32Abs => self.def1(F32, |dst, src| Inst::FUn {
                op: FUnOp::Abs,
                ty: F32,
                dst,
                src,
            }),
            W::F32Neg => self.def1(F32, |dst, src| Inst::FUn {
                op: FUnOp::Neg,
                ty: F32,
                dst,
                src,
            }),
            W::F32Sqrt => self.def1(F32, |dst, src| Inst::FUn {
                op: FUnOp::Sqrt,
                ty: F32,
                dst,
                src,
            }),
            W::F32Ceil => self.def1(F32, |dst, src| Inst::FUn {
                op: FUnOp::Ceil,
                ty: F32,
                dst,
                src,
            }),
            W::F32Floor => self.def1(F32, |dst, src| Inst::FUn {
                op: FUnOp::Floor,
                ty: F32,
                dst,
                src,
            }),
            W::F32Trunc => self.def1(F32, |dst, src| Inst::FUn {
                op: FUnOp::Trunc,
                ty: F32,
                dst,
                src,
            }),
            W::F32Nearest => self.def1(F32, |dst, src| Inst::FUn {
                op: FUnOp::Nearest,
                ty: F32,
                dst,
                src,
            }),
            W::F64Abs => self.def1(F64, |dst, src| Inst::FUn {
                op: FUnOp::Abs,
                ty: F64,
                dst,
                src,
            }),
            W::F64Neg => self.def1(F64, |dst, src| Inst::FUn {
                op: FUnOp::Neg,
                ty: F64,
                dst,
                src,
            }),
            W::F64Sqrt => self.def1(F64, |dst, src| Inst::FUn {
                op: FUnOp::Sqrt,
                ty: F64,
                dst,
                src,
            }),
            W::F64Ceil => self.def1(F64, |dst, src| Inst::FUn {
                op: FUnOp::Ceil,
                ty: F64,
                dst,
                src,
            }),
            W::F64Floor => self.def1(F64, |dst, src| Inst::FUn {
                op: FUnOp::Floor,
                ty: F64,
                dst,
                src,
            }),
            W::F64Trunc => self.def1(F64, |dst, src| Inst::FUn {
                op: FUnOp::Trunc,
                ty: F64,
                dst,
                src,
            }),
            W::F64Nearest => self.def1(F64, |dst, src| Inst::FUn {
                op: FUnOp::Nearest,
                ty: F64,
                dst,
                src,
            }),
            W::F32Eq => self.def2(I32, |dst, a, b| Inst::FCmp {
                cc: FloatCC::Eq,
                ty: F32,
                dst,
                a,
                b,
            }),
            W::F32Ne => self.def2(I32, |dst, a, b| Inst::FCmp {
                cc: FloatCC::Ne,
                ty: F32,
                dst,
                a,
                b,
            }),
            W::F32Lt => self.def2(I32, |dst, a, b| Inst::FCmp {
                cc: FloatCC::Lt,
                ty: F32,
                dst,
                a,
                b,
            }),
            W::F32Gt => self.def2(I32, |dst, a, b| Inst::FCmp {
                cc: FloatCC::Gt,
                ty: F32,
                dst,
                a,
                b,
            }),
            W::F32Le => self.def2(I32, |dst, a, b| Inst::FCmp {
                cc: FloatCC::Le,
                ty: F32,
                dst,
                a,
                b,
            }),
            W::F32Ge => self.def2(I32, |dst, a, b| Inst::FCmp {
                cc: FloatCC::Ge,
                ty: F32,
                dst,
                a,
                b,
            }),
            W::F64Eq => self.def2(I32, |dst, a, b| Inst::FCmp {
                cc: FloatCC::Eq,
                ty: F64,
                dst,
                a,
                b,
            }),
            W::F64Ne => self.def2(I32, |dst, a, b| Inst::FCmp {
                cc: FloatCC::Ne,
                ty: F64,
                dst,
                a,
                b,
            }),
            W::F64Lt => self.def2(I32, |dst, a, b| Inst::FCmp {
                cc: FloatCC::Lt,
                ty: F64,
                dst,
                a,
                b,
            }),
            W::F64Gt => self.def2(I32, |dst, a, b| Inst::FCmp {
                cc: FloatCC::Gt,
                ty: F64,
                dst,
                a,
                b,
            }),
            W::F64Le => self.def2(I32, |dst, a, b| Inst::FCmp {
                cc: FloatCC::Le,
                ty: F64,
                dst,
                a,
                b,
            }),
            W::F64Ge => self.def2(I32, |dst, a, b| Inst::FCmp {
                cc: FloatCC::Ge,
                ty: F64,
                dst,
                a,
                b,
            }),

            // ---- conversions ----
            W::I32WrapI64 => self.convert(ConvOp::I32WrapI64, I64, I32),
            W::I64ExtendI32S => self.convert(ConvOp::I64ExtendI32S, I32, I64),
            W::I64ExtendI32U => self.convert(ConvOp::I64ExtendI32U, I32, I64),
            W::I32TruncF32S => self.convert(ConvOp::TruncS, F32, I32),
            W::I32TruncF32U => self.convert(ConvOp::TruncU, F32, I32),
            W::I32TruncF64S => self.convert(ConvOp::TruncS, F64, I32),
            W::I32TruncF64U => self.convert(ConvOp::TruncU, F64, I32),
            W::I64TruncF32S => self.convert(ConvOp::TruncS, F32, I64),
            W::I64TruncF32U => self.convert(ConvOp::TruncU, F32, I64),
            W::I64TruncF64S => self.convert(ConvOp::TruncS, F64, I64),
            W::I64TruncF64U => self.convert(ConvOp::TruncU, F64, I64),
            W::I32TruncSatF32S => self.convert(ConvOp::TruncSatS, F32, I32),
            W::I32TruncSatF32U => self.convert(ConvOp::TruncSatU, F32, I32),
            W::I32TruncSatF64S => self.convert(ConvOp::TruncSatS, F64, I32),
            W::I32TruncSatF64U => self.convert(ConvOp::TruncSatU, F64, I32),
            W::I64TruncSatF32S => self.convert(ConvOp::TruncSatS, F32, I64),
            W::I64TruncSatF32U => self.convert(ConvOp::TruncSatU, F32, I64),
            W::I64TruncSatF64S => self.convert(ConvOp::TruncSatS, F64, I64),
            W::I64TruncSatF64U => self.convert(ConvOp::TruncSatU, F64, I64),
            W::F32ConvertI32S => self.convert(ConvOp::ConvertS, I32, F32),
            W::F32ConvertI32U => self.convert(ConvOp::ConvertU, I32, F32),
            W::F32ConvertI64S => self.convert(ConvOp::ConvertS, I64, F32),
            W::F32ConvertI64U => self.convert(ConvOp::ConvertU, I64, F32),
            W::F64ConvertI32S => self.convert(ConvOp::ConvertS, I32, F64),
            W::F64ConvertI32U => self.convert(ConvOp::ConvertU, I32, F64),
            W::F64ConvertI64S => self.convert(ConvOp::ConvertS, I64, F64),
            W::F64ConvertI64U => self.convert(ConvOp::ConvertU, I64, F64),
            W::F32DemoteF64 => self.convert(ConvOp::F32DemoteF64, F64, F32),
            W::F64PromoteF32 => self.convert(ConvOp::F64PromoteF32, F32, F64),
            W::I32ReinterpretF32 => self.convert(ConvOp::Reinterpret, F32, I32),
            W::I64ReinterpretF64 => self.convert(ConvOp::Reinterpret, F64, I64),
            W::F32ReinterpretI32 => self.convert(ConvOp::Reinterpret, I32, F32),
            W::F64ReinterpretI64 => self.convert(ConvOp::Reinterpret, I64, F64),

            ref other if self.atomic(other) || self.throw(other) => {}
            other => {
                return Err(JitError::Unsupported {
                    opcode: wx_core::proposal::name(&other).to_string(),
                });
            }
        }
        Ok(())
    }
}
