//! Lowering of non-control operators: locals, constants, calls, memory,
//! tables and numeric instructions.

use super::{Provider, Translator};
use crate::bytecode::{Op, Slot};
use wasmparser::Operator as W;
use wx_core::CompileError;

type Unary = fn(Slot, Slot) -> Op;
type Binary = fn(Slot, Slot, Slot) -> Op;
type BinaryImm = fn(Slot, Slot, i32) -> Op;

/// How a binary operator may take a constant operand.
enum Imm {
    None,
    /// Right operand as an immediate.
    Right(BinaryImm),
    /// Either operand (commutative).
    Either(BinaryImm),
}

macro_rules! u {
    ($op:ident) => {
        (|dst, src| Op::$op { dst, src }) as Unary
    };
}
macro_rules! b {
    ($op:ident) => {
        (|dst, a, b| Op::$op { dst, a, b }) as Binary
    };
}
macro_rules! bi {
    ($op:ident) => {
        (|dst, a, imm| Op::$op { dst, a, imm }) as BinaryImm
    };
}

impl Translator<'_> {
    fn unary(&mut self, make: Unary) {
        let src = self.pop_slot();
        let dst = self.push_temp();
        self.emit_result(make(dst, src));
    }

    fn binary(&mut self, make: Binary, imm: Imm, wide: bool) {
        let fits = |v: u64| {
            if wide {
                v as i64 == v as i32 as i64
            } else {
                true
            }
        };
        let len = self.stack.len();
        if let Some(make_imm) = match imm {
            Imm::Right(f) | Imm::Either(f) => Some(f),
            Imm::None => None,
        } {
            if let Provider::Const(v) = self.stack[len - 1] {
                if fits(v) {
                    self.stack.pop();
                    let a = self.pop_slot();
                    let dst = self.push_temp();
                    self.emit_result(make_imm(dst, a, v as i32));
                    return;
                }
            }
            if let (Imm::Either(_), Provider::Const(v)) = (&imm, self.stack[len - 2]) {
                if fits(v) {
                    let b = self.pop_slot();
                    self.stack.pop();
                    let dst = self.push_temp();
                    self.emit_result(make_imm(dst, b, v as i32));
                    return;
                }
            }
        }
        let b = self.pop_slot();
        let a = self.pop_slot();
        let dst = self.push_temp();
        self.emit_result(make(dst, a, b));
    }

    /// `a - const` becomes `a + (-const)`.
    fn sub(&mut self, make: Binary, add_imm: BinaryImm, wide: bool) {
        if let Some(Provider::Const(v)) = self.stack.last().copied() {
            let neg = if wide {
                (v as i64).wrapping_neg()
            } else {
                (v as i32).wrapping_neg() as i64
            };
            if !wide || neg == neg as i32 as i64 {
                self.stack.pop();
                let a = self.pop_slot();
                let dst = self.push_temp();
                self.emit_result(add_imm(dst, a, neg as i32));
                return;
            }
        }
        self.binary(make, Imm::None, wide);
    }

    fn load(
        &mut self,
        memarg: wasmparser::MemArg,
        make: fn(Slot, Slot, u32) -> Op,
        plus: fn(Slot, Slot, i32) -> Op,
    ) {
        if let (Some(Provider::LocalPlus(base, imm)), 0) =
            (self.stack.last().copied(), memarg.offset)
        {
            self.stack.pop();
            let dst = self.push_temp();
            self.emit_result(plus(dst, base, imm));
            return;
        }
        let addr = self.pop_slot();
        let dst = self.push_temp();
        self.emit_result(make(dst, addr, memarg.offset as u32));
    }

    fn store(
        &mut self,
        memarg: wasmparser::MemArg,
        make: fn(Slot, Slot, u32) -> Op,
        plus: fn(Slot, Slot, i32) -> Op,
    ) {
        let value = self.pop_slot();
        if let (Some(Provider::LocalPlus(base, imm)), 0) =
            (self.stack.last().copied(), memarg.offset)
        {
            self.stack.pop();
            self.emit(plus(base, value, imm));
            return;
        }
        let addr = self.pop_slot();
        self.emit(make(addr, value, memarg.offset as u32));
    }

    /// `local + c`, `(local + c1) + c2` and `local - c` stay lazy (see `Provider::LocalPlus`).
    fn lazy_add(&mut self, negate: bool) -> bool {
        let len = self.stack.len();
        let (x, c) = match (self.stack[len - 2], self.stack[len - 1]) {
            (x, Provider::Const(c)) => (x, c as u32 as i32),
            (Provider::Const(c), x) if !negate => (x, c as u32 as i32),
            _ => return false,
        };
        let c = if negate { c.wrapping_neg() } else { c };
        let lazy = match x {
            Provider::Local(l) => Provider::LocalPlus(l, c),
            Provider::LocalPlus(l, k) => Provider::LocalPlus(l, k.wrapping_add(c)),
            _ => return false,
        };
        self.stack.truncate(len - 2);
        self.push(lazy);
        true
    }

    /// Materialise the top `n` entries, pop them, and return the first's slot.
    pub(super) fn take_operands(&mut self, n: u32) -> Slot {
        self.materialize_top(n);
        let base = self.home(self.stack.len() - n as usize);
        self.stack.truncate(self.stack.len() - n as usize);
        base
    }

    fn call(
        &mut self,
        params: u32,
        results: u32,
        make: impl FnOnce(Slot) -> Op,
        extra: Option<Op>,
    ) {
        let base_index = self.stack.len() - params as usize;
        let base = self.take_operands(params);
        self.emit(make(base));
        if let Some(e) = extra {
            self.emit(e);
        }
        self.note_height(base_index + params.max(results) as usize);
        for _ in 0..results {
            self.push(Provider::Temp);
        }
    }

    /// A tail call taking `params` arguments (the following `Extra` says
    /// how many, the call length, and `table` for `return_call_indirect`).
    fn tail_call(&mut self, params: u32, make: impl FnOnce(Slot) -> Op, table: u32) {
        let base = self.take_operands(params);
        self.emit(make(base));
        let call_len = params.max(self.num_results);
        self.emit(Op::Extra {
            a: params,
            b: call_len,
            c: table,
        });
        self.reachable = false;
    }

    fn local_set(&mut self, local: u32, tee: bool) {
        let index = self.stack.len() - 1;
        let top = self.stack[index];
        if top == Provider::Local(local) {
            // `local.get x; local.set x` is a no-op.
            if !tee {
                self.stack.pop();
            }
            return;
        }
        let producer = self.last_producer;
        let had_aliases = self.stack[..index].iter().any(|p| p.reads_local(local));
        self.materialize_local(local, index);
        match top {
            Provider::Temp
                if !had_aliases && producer.is_some_and(|(_, end)| end == self.ops.len()) =>
            {
                let (at, _) = producer.expect("checked");
                let dst = self.ops[at].dst_mut().expect("producers have a dst");
                *dst = local;
                self.last_producer = None;
            }
            Provider::Temp => {
                let src = self.home(index);
                self.emit(Op::Copy { dst: local, src });
            }
            Provider::Local(l) => {
                self.emit(Op::Copy { dst: local, src: l });
            }
            Provider::Const(v) => self.emit_const(local, v),
            Provider::LocalPlus(l, imm) => {
                self.emit(Op::I32AddImm {
                    dst: local,
                    a: l,
                    imm,
                });
            }
        }
        self.stack.pop();
        if tee {
            self.push(Provider::Local(local));
        }
    }

    pub(super) fn plain(&mut self, op: W<'_>) -> Result<(), CompileError> {
        match op {
            W::Nop => {}
            W::Drop => {
                self.pop();
            }
            W::Select | W::TypedSelect { .. } | W::TypedSelectMulti { .. } => {
                let cond = self.pop_slot();
                let b = self.pop_slot();
                let a = self.pop_slot();
                let dst = self.push_temp();
                self.emit_result_with(Op::Select { dst, cond, a }, Op::SelectElse { b });
            }
            W::LocalGet { local_index } => self.push(Provider::Local(local_index)),
            W::LocalSet { local_index } => self.local_set(local_index, false),
            W::LocalTee { local_index } => self.local_set(local_index, true),
            W::GlobalGet { global_index } => {
                let dst = self.push_temp();
                self.emit_result(Op::GlobalGet {
                    dst,
                    index: global_index,
                });
            }
            W::GlobalSet { global_index } => {
                let src = self.pop_slot();
                self.emit(Op::GlobalSet {
                    src,
                    index: global_index,
                });
            }
            W::I32Const { value } => self.push(Provider::Const(value as u32 as u64)),
            W::I64Const { value } => self.push(Provider::Const(value as u64)),
            W::F32Const { value } => self.push(Provider::Const(value.bits() as u64)),
            W::F64Const { value } => self.push(Provider::Const(value.bits())),
            W::RefNull { .. } => self.push(Provider::Const(0)),
            W::RefIsNull => self.unary(u!(I64Eqz)),
            W::RefFunc { function_index } => {
                let dst = self.push_temp();
                self.emit_result(Op::RefFunc {
                    dst,
                    func: function_index,
                });
            }
            W::Call { function_index } => {
                let ty = self.module.func_type(function_index);
                let (p, r) = (ty.params().len() as u32, ty.results().len() as u32);
                let imported = self.module.num_imported_funcs;
                if function_index >= imported {
                    let def = function_index - imported;
                    self.call(p, r, |base| Op::CallInternal { def, base }, None);
                } else {
                    self.call(
                        p,
                        r,
                        |base| Op::Call {
                            func: function_index,
                            base,
                        },
                        None,
                    );
                }
            }
            W::CallIndirect {
                type_index,
                table_index,
            } => {
                let ty = &self.module.types[type_index as usize];
                let (p, r) = (ty.params().len() as u32, ty.results().len() as u32);
                let index = self.pop_slot();
                let sig = self.module.sig_ids[type_index as usize].0;
                let extra = Op::Extra {
                    a: table_index,
                    b: p.max(r),
                    c: 0,
                };
                self.call(
                    p,
                    r,
                    |base| Op::CallIndirect { sig, index, base },
                    Some(extra),
                );
            }

            W::ReturnCall { function_index } => {
                let params = self.module.func_type(function_index).params().len() as u32;
                self.tail_call(
                    params,
                    |base| Op::ReturnCall {
                        func: function_index,
                        base,
                    },
                    0,
                );
            }
            W::ReturnCallIndirect {
                type_index,
                table_index,
            } => {
                let params = self.module.types[type_index as usize].params().len() as u32;
                let index = self.pop_slot();
                let sig = self.module.sig_ids[type_index as usize].0;
                self.tail_call(
                    params,
                    |base| Op::ReturnCallIndirect { sig, index, base },
                    table_index,
                );
            }
            W::ReturnCallRef { type_index } => {
                let params = self.module.types[type_index as usize].params().len() as u32;
                let callee = self.pop_slot();
                self.tail_call(params, |base| Op::ReturnCallRef { callee, base }, 0);
            }
            W::CallRef { type_index } => {
                let ty = &self.module.types[type_index as usize];
                let (p, r) = (ty.params().len() as u32, ty.results().len() as u32);
                let callee = self.pop_slot();
                let extra = Op::Extra {
                    a: 0,
                    b: p.max(r),
                    c: 0,
                };
                self.call(p, r, |base| Op::CallRef { callee, base }, Some(extra));
            }
            W::RefAsNonNull => {
                let index = self.stack.len() - 1;
                let p = self.stack[index];
                let src = self.slot_of(p, index);
                self.emit(Op::RefAsNonNull { src });
            }
            W::BrOnNull { relative_depth } => {
                // The reference stays on the stack when not null.
                let index = self.stack.len() - 1;
                let p = self.pop();
                let cond = self.slot_of(p, index);
                self.br_if_ref(relative_depth, cond, true);
                self.push(p);
            }
            W::BrOnNonNull { relative_depth } => {
                // Taken with the reference as the label's last value.
                let index = self.stack.len() - 1;
                let p = self.stack[index];
                let cond = self.slot_of(p, index);
                self.br_if_ref(relative_depth, cond, false);
                self.pop();
            }

            // ---- memory ----
            W::I32Load { memarg } => self.load(
                memarg,
                |dst, addr, offset| Op::I32Load { dst, addr, offset },
                |dst, base, imm| Op::I32LoadPlus { dst, base, imm },
            ),
            W::I64Load { memarg } => self.load(
                memarg,
                |dst, addr, offset| Op::I64Load { dst, addr, offset },
                |dst, base, imm| Op::I64LoadPlus { dst, base, imm },
            ),
            W::F32Load { memarg } => self.load(
                memarg,
                |dst, addr, offset| Op::F32Load { dst, addr, offset },
                |dst, base, imm| Op::F32LoadPlus { dst, base, imm },
            ),
            W::F64Load { memarg } => self.load(
                memarg,
                |dst, addr, offset| Op::F64Load { dst, addr, offset },
                |dst, base, imm| Op::F64LoadPlus { dst, base, imm },
            ),
            W::I32Load8S { memarg } => self.load(
                memarg,
                |dst, addr, offset| Op::I32Load8S { dst, addr, offset },
                |dst, base, imm| Op::I32Load8SPlus { dst, base, imm },
            ),
            W::I32Load8U { memarg } => self.load(
                memarg,
                |dst, addr, offset| Op::I32Load8U { dst, addr, offset },
                |dst, base, imm| Op::I32Load8UPlus { dst, base, imm },
            ),
            W::I32Load16S { memarg } => self.load(
                memarg,
                |dst, addr, offset| Op::I32Load16S { dst, addr, offset },
                |dst, base, imm| Op::I32Load16SPlus { dst, base, imm },
            ),
            W::I32Load16U { memarg } => self.load(
                memarg,
                |dst, addr, offset| Op::I32Load16U { dst, addr, offset },
                |dst, base, imm| Op::I32Load16UPlus { dst, base, imm },
            ),
            W::I64Load8S { memarg } => self.load(
                memarg,
                |dst, addr, offset| Op::I64Load8S { dst, addr, offset },
                |dst, base, imm| Op::I64Load8SPlus { dst, base, imm },
            ),
            W::I64Load8U { memarg } => self.load(
                memarg,
                |dst, addr, offset| Op::I64Load8U { dst, addr, offset },
                |dst, base, imm| Op::I64Load8UPlus { dst, base, imm },
            ),
            W::I64Load16S { memarg } => self.load(
                memarg,
                |dst, addr, offset| Op::I64Load16S { dst, addr, offset },
                |dst, base, imm| Op::I64Load16SPlus { dst, base, imm },
            ),
            W::I64Load16U { memarg } => self.load(
                memarg,
                |dst, addr, offset| Op::I64Load16U { dst, addr, offset },
                |dst, base, imm| Op::I64Load16UPlus { dst, base, imm },
            ),
            W::I64Load32S { memarg } => self.load(
                memarg,
                |dst, addr, offset| Op::I64Load32S { dst, addr, offset },
                |dst, base, imm| Op::I64Load32SPlus { dst, base, imm },
            ),
            W::I64Load32U { memarg } => self.load(
                memarg,
                |dst, addr, offset| Op::I64Load32U { dst, addr, offset },
                |dst, base, imm| Op::I64Load32UPlus { dst, base, imm },
            ),
            W::I32Store { memarg } | W::F32Store { memarg } => self.store(
                memarg,
                |addr, value, offset| Op::I32Store {
                    addr,
                    value,
                    offset,
                },
                |base, value, imm| Op::I32StorePlus { base, value, imm },
            ),
            W::I64Store { memarg } | W::F64Store { memarg } => self.store(
                memarg,
                |addr, value, offset| Op::I64Store {
                    addr,
                    value,
                    offset,
                },
                |base, value, imm| Op::I64StorePlus { base, value, imm },
            ),
            W::I32Store8 { memarg } => self.store(
                memarg,
                |addr, value, offset| Op::I32Store8 {
                    addr,
                    value,
                    offset,
                },
                |base, value, imm| Op::I32Store8Plus { base, value, imm },
            ),
            W::I32Store16 { memarg } => self.store(
                memarg,
                |addr, value, offset| Op::I32Store16 {
                    addr,
                    value,
                    offset,
                },
                |base, value, imm| Op::I32Store16Plus { base, value, imm },
            ),
            W::I64Store8 { memarg } => self.store(
                memarg,
                |addr, value, offset| Op::I64Store8 {
                    addr,
                    value,
                    offset,
                },
                |base, value, imm| Op::I64Store8Plus { base, value, imm },
            ),
            W::I64Store16 { memarg } => self.store(
                memarg,
                |addr, value, offset| Op::I64Store16 {
                    addr,
                    value,
                    offset,
                },
                |base, value, imm| Op::I64Store16Plus { base, value, imm },
            ),
            W::I64Store32 { memarg } => self.store(
                memarg,
                |addr, value, offset| Op::I64Store32 {
                    addr,
                    value,
                    offset,
                },
                |base, value, imm| Op::I64Store32Plus { base, value, imm },
            ),
            W::MemorySize { .. } => {
                let dst = self.push_temp();
                self.emit_result(Op::MemorySize { dst });
            }
            W::MemoryGrow { .. } => {
                let delta = self.pop_slot();
                let dst = self.push_temp();
                self.emit_result(Op::MemoryGrow { dst, delta });
            }
            W::MemoryInit { data_index, .. } => {
                let base = self.take_operands(3);
                self.emit(Op::MemoryInit {
                    data: data_index,
                    base,
                });
            }
            W::MemoryCopy { .. } => {
                let base = self.take_operands(3);
                self.emit(Op::MemoryCopy { base });
            }
            W::MemoryFill { .. } => {
                let base = self.take_operands(3);
                self.emit(Op::MemoryFill { base });
            }
            W::DataDrop { data_index } => {
                self.emit(Op::DataDrop { data: data_index });
            }

            // ---- tables ----
            W::TableGet { table } => {
                let index = self.pop_slot();
                let dst = self.push_temp();
                self.emit_result(Op::TableGet { dst, index, table });
            }
            W::TableSet { table } => {
                let value = self.pop_slot();
                let index = self.pop_slot();
                self.emit(Op::TableSet {
                    index,
                    value,
                    table,
                });
            }
            W::TableSize { table } => {
                let dst = self.push_temp();
                self.emit_result(Op::TableSize { dst, table });
            }
            W::TableGrow { table } => {
                let base = self.take_operands(2);
                self.push(Provider::Temp);
                self.emit(Op::TableGrow { base, table });
            }
            W::TableFill { table } => {
                let base = self.take_operands(3);
                self.emit(Op::TableFill { base, table });
            }
            W::TableCopy {
                dst_table,
                src_table,
            } => {
                let base = self.take_operands(3);
                self.emit(Op::TableCopy {
                    base,
                    dst_table,
                    src_table,
                });
            }
            W::TableInit { elem_index, table } => {
                let base = self.take_operands(3);
                self.emit(Op::TableInit {
                    base,
                    table,
                    elem: elem_index,
                });
            }
            W::ElemDrop { elem_index } => {
                self.emit(Op::ElemDrop { elem: elem_index });
            }

            // ---- i32 ----
            W::I32Eqz => self.unary(u!(I32Eqz)),
            W::I32Eq => self.binary(b!(I32Eq), Imm::Either(bi!(I32EqImm)), false),
            W::I32Ne => self.binary(b!(I32Ne), Imm::Either(bi!(I32NeImm)), false),
            W::I32LtS => self.binary(b!(I32LtS), Imm::Right(bi!(I32LtSImm)), false),
            W::I32LtU => self.binary(b!(I32LtU), Imm::Right(bi!(I32LtUImm)), false),
            W::I32GtS => self.binary(b!(I32GtS), Imm::Right(bi!(I32GtSImm)), false),
            W::I32GtU => self.binary(b!(I32GtU), Imm::Right(bi!(I32GtUImm)), false),
            W::I32LeS => self.binary(b!(I32LeS), Imm::Right(bi!(I32LeSImm)), false),
            W::I32LeU => self.binary(b!(I32LeU), Imm::Right(bi!(I32LeUImm)), false),
            W::I32GeS => self.binary(b!(I32GeS), Imm::Right(bi!(I32GeSImm)), false),
            W::I32GeU => self.binary(b!(I32GeU), Imm::Right(bi!(I32GeUImm)), false),
            W::I32Clz => self.unary(u!(I32Clz)),
            W::I32Ctz => self.unary(u!(I32Ctz)),
            W::I32Popcnt => self.unary(u!(I32Popcnt)),
            W::I32Add => {
                if !self.lazy_add(false) {
                    self.binary(b!(I32Add), Imm::Either(bi!(I32AddImm)), false)
                }
            }
            W::I32Sub => {
                if !self.lazy_add(true) {
                    self.sub(b!(I32Sub), bi!(I32AddImm), false)
                }
            }
            W::I32Mul => self.binary(b!(I32Mul), Imm::Either(bi!(I32MulImm)), false),
            W::I32DivS => self.binary(b!(I32DivS), Imm::None, false),
            W::I32DivU => self.binary(b!(I32DivU), Imm::None, false),
            W::I32RemS => self.binary(b!(I32RemS), Imm::None, false),
            W::I32RemU => self.binary(b!(I32RemU), Imm::None, false),
            W::I32And => self.binary(b!(I32And), Imm::Either(bi!(I32AndImm)), false),
            W::I32Or => self.binary(b!(I32Or), Imm::Either(bi!(I32OrImm)), false),
            W::I32Xor => self.binary(b!(I32Xor), Imm::Either(bi!(I32XorImm)), false),
            W::I32Shl => self.binary(b!(I32Shl), Imm::Right(bi!(I32ShlImm)), false),
            W::I32ShrS => self.binary(b!(I32ShrS), Imm::Right(bi!(I32ShrSImm)), false),
            W::I32ShrU => self.binary(b!(I32ShrU), Imm::Right(bi!(I32ShrUImm)), false),
            W::I32Rotl => self.binary(b!(I32Rotl), Imm::None, false),
            W::I32Rotr => self.binary(b!(I32Rotr), Imm::None, false),

            // ---- i64 ----
            W::I64Eqz => self.unary(u!(I64Eqz)),
            W::I64Eq => self.binary(b!(I64Eq), Imm::Either(bi!(I64EqImm)), true),
            W::I64Ne => self.binary(b!(I64Ne), Imm::Either(bi!(I64NeImm)), true),
            W::I64LtS => self.binary(b!(I64LtS), Imm::Right(bi!(I64LtSImm)), true),
            W::I64LtU => self.binary(b!(I64LtU), Imm::Right(bi!(I64LtUImm)), true),
            W::I64GtS => self.binary(b!(I64GtS), Imm::Right(bi!(I64GtSImm)), true),
            W::I64GtU => self.binary(b!(I64GtU), Imm::Right(bi!(I64GtUImm)), true),
            W::I64LeS => self.binary(b!(I64LeS), Imm::Right(bi!(I64LeSImm)), true),
            W::I64LeU => self.binary(b!(I64LeU), Imm::Right(bi!(I64LeUImm)), true),
            W::I64GeS => self.binary(b!(I64GeS), Imm::Right(bi!(I64GeSImm)), true),
            W::I64GeU => self.binary(b!(I64GeU), Imm::Right(bi!(I64GeUImm)), true),
            W::I64Clz => self.unary(u!(I64Clz)),
            W::I64Ctz => self.unary(u!(I64Ctz)),
            W::I64Popcnt => self.unary(u!(I64Popcnt)),
            W::I64Add => self.binary(b!(I64Add), Imm::Either(bi!(I64AddImm)), true),
            W::I64Sub => self.sub(b!(I64Sub), bi!(I64AddImm), true),
            W::I64Mul => self.binary(b!(I64Mul), Imm::Either(bi!(I64MulImm)), true),
            W::I64DivS => self.binary(b!(I64DivS), Imm::None, true),
            W::I64DivU => self.binary(b!(I64DivU), Imm::None, true),
            W::I64RemS => self.binary(b!(I64RemS), Imm::None, true),
            W::I64RemU => self.binary(b!(I64RemU), Imm::None, true),
            W::I64And => self.binary(b!(I64And), Imm::Either(bi!(I64AndImm)), true),
            W::I64Or => self.binary(b!(I64Or), Imm::Either(bi!(I64OrImm)), true),
            W::I64Xor => self.binary(b!(I64Xor), Imm::Either(bi!(I64XorImm)), true),
            W::I64Shl => self.binary(b!(I64Shl), Imm::Right(bi!(I64ShlImm)), true),
            W::I64ShrS => self.binary(b!(I64ShrS), Imm::Right(bi!(I64ShrSImm)), true),
            W::I64ShrU => self.binary(b!(I64ShrU), Imm::Right(bi!(I64ShrUImm)), true),
            W::I64Rotl => self.binary(b!(I64Rotl), Imm::None, true),
            W::I64Rotr => self.binary(b!(I64Rotr), Imm::None, true),

            // ---- f32 / f64 ----
            W::F32Eq => self.binary(b!(F32Eq), Imm::None, false),
            W::F32Ne => self.binary(b!(F32Ne), Imm::None, false),
            W::F32Lt => self.binary(b!(F32Lt), Imm::None, false),
            W::F32Gt => self.binary(b!(F32Gt), Imm::None, false),
            W::F32Le => self.binary(b!(F32Le), Imm::None, false),
            W::F32Ge => self.binary(b!(F32Ge), Imm::None, false),
            W::F64Eq => self.binary(b!(F64Eq), Imm::None, false),
            W::F64Ne => self.binary(b!(F64Ne), Imm::None, false),
            W::F64Lt => self.binary(b!(F64Lt), Imm::None, false),
            W::F64Gt => self.binary(b!(F64Gt), Imm::None, false),
            W::F64Le => self.binary(b!(F64Le), Imm::None, false),
            W::F64Ge => self.binary(b!(F64Ge), Imm::None, false),
            W::F32Abs => self.unary(u!(F32Abs)),
            W::F32Neg => self.unary(u!(F32Neg)),
            W::F32Ceil => self.unary(u!(F32Ceil)),
            W::F32Floor => self.unary(u!(F32Floor)),
            W::F32Trunc => self.unary(u!(F32Trunc)),
            W::F32Nearest => self.unary(u!(F32Nearest)),
            W::F32Sqrt => self.unary(u!(F32Sqrt)),
            W::F32Add => self.binary(b!(F32Add), Imm::None, false),
            W::F32Sub => self.binary(b!(F32Sub), Imm::None, false),
            W::F32Mul => self.binary(b!(F32Mul), Imm::None, false),
            W::F32Div => self.binary(b!(F32Div), Imm::None, false),
            W::F32Min => self.binary(b!(F32Min), Imm::None, false),
            W::F32Max => self.binary(b!(F32Max), Imm::None, false),
            W::F32Copysign => self.binary(b!(F32Copysign), Imm::None, false),
            W::F64Abs => self.unary(u!(F64Abs)),
            W::F64Neg => self.unary(u!(F64Neg)),
            W::F64Ceil => self.unary(u!(F64Ceil)),
            W::F64Floor => self.unary(u!(F64Floor)),
            W::F64Trunc => self.unary(u!(F64Trunc)),
            W::F64Nearest => self.unary(u!(F64Nearest)),
            W::F64Sqrt => self.unary(u!(F64Sqrt)),
            W::F64Add => self.binary(b!(F64Add), Imm::None, false),
            W::F64Sub => self.binary(b!(F64Sub), Imm::None, false),
            W::F64Mul => self.binary(b!(F64Mul), Imm::None, false),
            W::F64Div => self.binary(b!(F64Div), Imm::None, false),
            W::F64Min => self.binary(b!(F64Min), Imm::None, false),
            W::F64Max => self.binary(b!(F64Max), Imm::None, false),
            W::F64Copysign => self.binary(b!(F64Copysign), Imm::None, false),

            // ---- conversions ----
            W::I32WrapI64 => self.unary(u!(I32WrapI64)),
            W::I32TruncF32S => self.unary(u!(I32TruncF32S)),
            W::I32TruncF32U => self.unary(u!(I32TruncF32U)),
            W::I32TruncF64S => self.unary(u!(I32TruncF64S)),
            W::I32TruncF64U => self.unary(u!(I32TruncF64U)),
            W::I64ExtendI32S => self.unary(u!(I64ExtendI32S)),
            // i32 values are kept zero-extended in their slots: nothing to do.
            W::I64ExtendI32U => {}
            W::I64TruncF32S => self.unary(u!(I64TruncF32S)),
            W::I64TruncF32U => self.unary(u!(I64TruncF32U)),
            W::I64TruncF64S => self.unary(u!(I64TruncF64S)),
            W::I64TruncF64U => self.unary(u!(I64TruncF64U)),
            W::F32ConvertI32S => self.unary(u!(F32ConvertI32S)),
            W::F32ConvertI32U => self.unary(u!(F32ConvertI32U)),
            W::F32ConvertI64S => self.unary(u!(F32ConvertI64S)),
            W::F32ConvertI64U => self.unary(u!(F32ConvertI64U)),
            W::F32DemoteF64 => self.unary(u!(F32DemoteF64)),
            W::F64ConvertI32S => self.unary(u!(F64ConvertI32S)),
            W::F64ConvertI32U => self.unary(u!(F64ConvertI32U)),
            W::F64ConvertI64S => self.unary(u!(F64ConvertI64S)),
            W::F64ConvertI64U => self.unary(u!(F64ConvertI64U)),
            W::F64PromoteF32 => self.unary(u!(F64PromoteF32)),
            // Reinterpretations change the type, not the bits.
            W::I32ReinterpretF32
            | W::I64ReinterpretF64
            | W::F32ReinterpretI32
            | W::F64ReinterpretI64 => {}
            W::I32Extend8S => self.unary(u!(I32Extend8S)),
            W::I32Extend16S => self.unary(u!(I32Extend16S)),
            W::I64Extend8S => self.unary(u!(I64Extend8S)),
            W::I64Extend16S => self.unary(u!(I64Extend16S)),
            W::I64Extend32S => self.unary(u!(I64Extend32S)),
            W::I32TruncSatF32S => self.unary(u!(I32TruncSatF32S)),
            W::I32TruncSatF32U => self.unary(u!(I32TruncSatF32U)),
            W::I32TruncSatF64S => self.unary(u!(I32TruncSatF64S)),
            W::I32TruncSatF64U => self.unary(u!(I32TruncSatF64U)),
            W::I64TruncSatF32S => self.unary(u!(I64TruncSatF32S)),
            W::I64TruncSatF32U => self.unary(u!(I64TruncSatF32U)),
            W::I64TruncSatF64S => self.unary(u!(I64TruncSatF64S)),
            W::I64TruncSatF64U => self.unary(u!(I64TruncSatF64U)),
            other if self.atomic(&other) => {}
            other => {
                return Err(CompileError::Unsupported {
                    feature: format!("operator {other:?}"),
                });
            }
        }
        Ok(())
    }
}
