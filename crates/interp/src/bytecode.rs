//! The interpreter's bytecode: a register/slot machine.
//!
//! A function's frame is an array of 64-bit slots: parameters and locals
//! first (`0..num_locals`), then one slot per operand-stack height. Every
//! instruction names the slots it reads and writes, so `local.get` and
//! constants usually cost no instruction at all, and a result can be written
//! straight into a local.
//!
//! Encoding: each [`Op`] is 16 bytes (a tag and up to three 32-bit operands,
//! pinned by a test). Values live in slots as raw bits: i32/f32 zero-extended
//! to 64 bits, i64/f64 as is, references as pointers or ids (0 = null).
//!
//! Branch `offset`s are relative to the branch instruction itself
//! (`target = index_of_branch + offset`). `BrTable { len }` is followed by
//! `len + 1` `Br` instructions, the last being the default target.
//! Instructions whose operands do not fit in 12 bytes are followed by one
//! [`Op::Extra`] carrying the rest.

/// A frame slot index.
pub type Slot = u32;

/// Invokes `$m!` with the list of all instructions (name, doc, fields), so
/// the enum, the lowering to threaded code and the handlers stay in step.
macro_rules! for_each_op {
    ($m:ident) => {
        $m! {
            // ---- control ----
            /// Trap with "unreachable".
            Unreachable,
            /// Trailing operands of the preceding instruction.
            Extra { a: u32, b: u32, c: u32 },
            /// Jump by `offset`.
            Br { offset: i32 },
            /// Jump if the i32 in `cond` is non-zero.
            BrIfNez { cond: Slot, offset: i32 },
            /// Jump if the i32 in `cond` is zero.
            BrIfEqz { cond: Slot, offset: i32 },
            /// Jump if the i64 in `cond` is non-zero.
            BrIfI64Nez { cond: Slot, offset: i32 },
            /// Jump if the i64 in `cond` is zero.
            BrIfI64Eqz { cond: Slot, offset: i32 },
            /// Trap with "null reference" if the reference in `src` is null.
            RefAsNonNull { src: Slot },
            /// Fused i32 compare and branch: jump if `a OP b`.
            BrI32Eq { a: Slot, b: Slot, offset: i32 },
            BrI32Ne { a: Slot, b: Slot, offset: i32 },
            BrI32LtS { a: Slot, b: Slot, offset: i32 },
            BrI32LtU { a: Slot, b: Slot, offset: i32 },
            BrI32GtS { a: Slot, b: Slot, offset: i32 },
            BrI32GtU { a: Slot, b: Slot, offset: i32 },
            BrI32LeS { a: Slot, b: Slot, offset: i32 },
            BrI32LeU { a: Slot, b: Slot, offset: i32 },
            BrI32GeS { a: Slot, b: Slot, offset: i32 },
            BrI32GeU { a: Slot, b: Slot, offset: i32 },
            /// Fused i32 compare with an immediate and branch: jump if `a OP imm`.
            BrI32EqImm { a: Slot, imm: i32, offset: i32 },
            BrI32NeImm { a: Slot, imm: i32, offset: i32 },
            BrI32LtSImm { a: Slot, imm: i32, offset: i32 },
            BrI32LtUImm { a: Slot, imm: i32, offset: i32 },
            BrI32GtSImm { a: Slot, imm: i32, offset: i32 },
            BrI32GtUImm { a: Slot, imm: i32, offset: i32 },
            BrI32LeSImm { a: Slot, imm: i32, offset: i32 },
            BrI32LeUImm { a: Slot, imm: i32, offset: i32 },
            BrI32GeSImm { a: Slot, imm: i32, offset: i32 },
            BrI32GeUImm { a: Slot, imm: i32, offset: i32 },
            /// Jump if `a & imm` is non-zero (a flag test) / zero.
            BrI32AndImmNz { a: Slot, imm: i32, offset: i32 },
            BrI32AndImmZ { a: Slot, imm: i32, offset: i32 },
            /// Fused i64 compare with a sign-extended immediate and branch.
            BrI64EqImm { a: Slot, imm: i32, offset: i32 },
            BrI64NeImm { a: Slot, imm: i32, offset: i32 },
            /// Jump through the `len + 1` `Br`s that follow, indexed by the u32 in `index` (clamped).
            BrTable { index: Slot, len: u32 },
            /// Loop header: counts one iteration in the function's loop counter `counter`.
            LoopHeader { counter: u32 },
            /// Return with no results.
            Return,
            /// Return one result, read from `src`.
            Return1 { src: Slot },
            /// Return `count` results held in `src..src+count`.
            ReturnMany { src: Slot, count: u32 },
            /// Call function `func` of the current instance; arguments start at
            /// slot `base`, results are written from `base` on.
            Call { func: u32, base: Slot },
            /// Call defined function `def` (index among the module's defined
            /// functions) of the current instance; arguments and results at `base`.
            CallInternal { def: u32, base: Slot },
            /// Call through table `Extra.a` at the u32 in `index`, expecting
            /// signature `sig` (module type index); arguments and results at `base`.
            CallIndirect { sig: u32, index: Slot, base: Slot },
            /// Tail calls: the callee replaces the running frame. Arguments
            /// in `base..`; the following `Extra` holds the number of
            /// parameters and the call length (and the table, for
            /// `ReturnCallIndirect`, in `Extra.c`).
            ReturnCall { func: u32, base: Slot },
            ReturnCallIndirect { sig: u32, index: Slot, base: Slot },
            ReturnCallRef { callee: Slot, base: Slot },
            /// Call the function reference in `callee` (trap if null);
            /// arguments and results at `base`, `Extra.b` the call length.
            CallRef { callee: Slot, base: Slot },
            /// Throw a new exception of tag `tag` (an index in the current
            /// instance) whose payload is in `base..`.
            Throw { tag: u32, base: Slot },
            /// Throw again the exception `exn` refers to (trap if null).
            ThrowRef { exn: Slot },

            // ---- slots, constants, selects, globals ----
            Copy { dst: Slot, src: Slot },
            Const32 { dst: Slot, value: u32 },
            Const64 { dst: Slot, lo: u32, hi: u32 },
            /// `dst = if cond != 0 { a } else { b }`, `b` in the following `SelectElse`.
            Select { dst: Slot, cond: Slot, a: Slot },
            /// Second operand of the preceding `Select` (never executed).
            SelectElse { b: Slot },
            GlobalGet { dst: Slot, index: u32 },
            GlobalSet { src: Slot, index: u32 },
            RefFunc { dst: Slot, func: u32 },

            // ---- memory: bounds-checked loads `dst = mem[addr + offset]` ----
            I32Load { dst: Slot, addr: Slot, offset: u32 },
            I64Load { dst: Slot, addr: Slot, offset: u32 },
            F32Load { dst: Slot, addr: Slot, offset: u32 },
            F64Load { dst: Slot, addr: Slot, offset: u32 },
            I32Load8S { dst: Slot, addr: Slot, offset: u32 },
            I32Load8U { dst: Slot, addr: Slot, offset: u32 },
            I32Load16S { dst: Slot, addr: Slot, offset: u32 },
            I32Load16U { dst: Slot, addr: Slot, offset: u32 },
            I64Load8S { dst: Slot, addr: Slot, offset: u32 },
            I64Load8U { dst: Slot, addr: Slot, offset: u32 },
            I64Load16S { dst: Slot, addr: Slot, offset: u32 },
            I64Load16U { dst: Slot, addr: Slot, offset: u32 },
            I64Load32S { dst: Slot, addr: Slot, offset: u32 },
            I64Load32U { dst: Slot, addr: Slot, offset: u32 },
            /// Stores `mem[addr + offset] = value` (truncated to the width).
            I32Store { addr: Slot, value: Slot, offset: u32 },
            I64Store { addr: Slot, value: Slot, offset: u32 },
            I32Store8 { addr: Slot, value: Slot, offset: u32 },
            I32Store16 { addr: Slot, value: Slot, offset: u32 },
            I64Store8 { addr: Slot, value: Slot, offset: u32 },
            I64Store16 { addr: Slot, value: Slot, offset: u32 },
            I64Store32 { addr: Slot, value: Slot, offset: u32 },
            /// Loads at `base + imm` (wrapping at 2^32, as the `i32.add` it replaces), static offset 0.
            I32LoadPlus { dst: Slot, base: Slot, imm: i32 },
            I64LoadPlus { dst: Slot, base: Slot, imm: i32 },
            F32LoadPlus { dst: Slot, base: Slot, imm: i32 },
            F64LoadPlus { dst: Slot, base: Slot, imm: i32 },
            I32Load8SPlus { dst: Slot, base: Slot, imm: i32 },
            I32Load8UPlus { dst: Slot, base: Slot, imm: i32 },
            I32Load16SPlus { dst: Slot, base: Slot, imm: i32 },
            I32Load16UPlus { dst: Slot, base: Slot, imm: i32 },
            I64Load8SPlus { dst: Slot, base: Slot, imm: i32 },
            I64Load8UPlus { dst: Slot, base: Slot, imm: i32 },
            I64Load16SPlus { dst: Slot, base: Slot, imm: i32 },
            I64Load16UPlus { dst: Slot, base: Slot, imm: i32 },
            I64Load32SPlus { dst: Slot, base: Slot, imm: i32 },
            I64Load32UPlus { dst: Slot, base: Slot, imm: i32 },
            /// Stores at `base + imm` (wrapping at 2^32), static offset 0.
            I32StorePlus { base: Slot, value: Slot, imm: i32 },
            I64StorePlus { base: Slot, value: Slot, imm: i32 },
            I32Store8Plus { base: Slot, value: Slot, imm: i32 },
            I32Store16Plus { base: Slot, value: Slot, imm: i32 },
            I64Store8Plus { base: Slot, value: Slot, imm: i32 },
            I64Store16Plus { base: Slot, value: Slot, imm: i32 },
            I64Store32Plus { base: Slot, value: Slot, imm: i32 },
            /// Atomics on memory 0 at `addr + offset` (see `exec/atomics.rs`);
            /// the following `Extra` gives the width (and more, below).
            /// `dst` = the value, zero-extended; `Extra.a` = width.
            AtomicLoad { dst: Slot, addr: Slot, offset: u32 },
            /// Store the low bytes of `value`; `Extra.a` = width.
            AtomicStore { addr: Slot, value: Slot, offset: u32 },
            /// `dst` = old value; `Extra` = (offset, width, operation).
            AtomicRmw { dst: Slot, addr: Slot, value: Slot },
            /// Operands (address, expected, replacement) at `base..base+3`;
            /// `dst` = old value; `Extra.a` = width.
            AtomicCmpxchg { dst: Slot, base: Slot, offset: u32 },
            /// Operands (address, expected, timeout) at `base..base+3`;
            /// `dst` = 0 woken, 1 not equal, 2 timed out; `Extra.a` = width.
            AtomicWait { dst: Slot, base: Slot, offset: u32 },
            /// `dst` = waiters woken; `Extra.a` = offset.
            AtomicNotify { dst: Slot, addr: Slot, count: Slot },
            AtomicFence,
            MemorySize { dst: Slot },
            MemoryGrow { dst: Slot, delta: Slot },
            /// Bulk memory: operands (dst, src|value, len) in `base..base+3`.
            MemoryInit { data: u32, base: Slot },
            MemoryCopy { base: Slot },
            MemoryFill { base: Slot },
            DataDrop { data: u32 },

            // ---- tables ----
            TableGet { dst: Slot, index: Slot, table: u32 },
            TableSet { index: Slot, value: Slot, table: u32 },
            TableSize { dst: Slot, table: u32 },
            /// Operands (init, delta) in `base..base+2`; result to `base`.
            TableGrow { base: Slot, table: u32 },
            /// Operands (dst, value, len) in `base..base+3`.
            TableFill { base: Slot, table: u32 },
            /// Operands (dst, src, len) in `base..base+3`.
            TableCopy { base: Slot, dst_table: u32, src_table: u32 },
            TableInit { base: Slot, table: u32, elem: u32 },
            ElemDrop { elem: u32 },

            // ---- unary numeric: dst = OP(src) ----
            I32Eqz { dst: Slot, src: Slot },
            I64Eqz { dst: Slot, src: Slot },
            I32Clz { dst: Slot, src: Slot },
            I32Ctz { dst: Slot, src: Slot },
            I32Popcnt { dst: Slot, src: Slot },
            I64Clz { dst: Slot, src: Slot },
            I64Ctz { dst: Slot, src: Slot },
            I64Popcnt { dst: Slot, src: Slot },
            F32Abs { dst: Slot, src: Slot },
            F32Neg { dst: Slot, src: Slot },
            F32Ceil { dst: Slot, src: Slot },
            F32Floor { dst: Slot, src: Slot },
            F32Trunc { dst: Slot, src: Slot },
            F32Nearest { dst: Slot, src: Slot },
            F32Sqrt { dst: Slot, src: Slot },
            F64Abs { dst: Slot, src: Slot },
            F64Neg { dst: Slot, src: Slot },
            F64Ceil { dst: Slot, src: Slot },
            F64Floor { dst: Slot, src: Slot },
            F64Trunc { dst: Slot, src: Slot },
            F64Nearest { dst: Slot, src: Slot },
            F64Sqrt { dst: Slot, src: Slot },
            I32WrapI64 { dst: Slot, src: Slot },
            I32TruncF32S { dst: Slot, src: Slot },
            I32TruncF32U { dst: Slot, src: Slot },
            I32TruncF64S { dst: Slot, src: Slot },
            I32TruncF64U { dst: Slot, src: Slot },
            I64ExtendI32S { dst: Slot, src: Slot },
            I64ExtendI32U { dst: Slot, src: Slot },
            I64TruncF32S { dst: Slot, src: Slot },
            I64TruncF32U { dst: Slot, src: Slot },
            I64TruncF64S { dst: Slot, src: Slot },
            I64TruncF64U { dst: Slot, src: Slot },
            F32ConvertI32S { dst: Slot, src: Slot },
            F32ConvertI32U { dst: Slot, src: Slot },
            F32ConvertI64S { dst: Slot, src: Slot },
            F32ConvertI64U { dst: Slot, src: Slot },
            F32DemoteF64 { dst: Slot, src: Slot },
            F64ConvertI32S { dst: Slot, src: Slot },
            F64ConvertI32U { dst: Slot, src: Slot },
            F64ConvertI64S { dst: Slot, src: Slot },
            F64ConvertI64U { dst: Slot, src: Slot },
            F64PromoteF32 { dst: Slot, src: Slot },
            I32Extend8S { dst: Slot, src: Slot },
            I32Extend16S { dst: Slot, src: Slot },
            I64Extend8S { dst: Slot, src: Slot },
            I64Extend16S { dst: Slot, src: Slot },
            I64Extend32S { dst: Slot, src: Slot },
            I32TruncSatF32S { dst: Slot, src: Slot },
            I32TruncSatF32U { dst: Slot, src: Slot },
            I32TruncSatF64S { dst: Slot, src: Slot },
            I32TruncSatF64U { dst: Slot, src: Slot },
            I64TruncSatF32S { dst: Slot, src: Slot },
            I64TruncSatF32U { dst: Slot, src: Slot },
            I64TruncSatF64S { dst: Slot, src: Slot },
            I64TruncSatF64U { dst: Slot, src: Slot },

            // ---- binary numeric: dst = a OP b ----
            I32Eq { dst: Slot, a: Slot, b: Slot },
            I32Ne { dst: Slot, a: Slot, b: Slot },
            I32LtS { dst: Slot, a: Slot, b: Slot },
            I32LtU { dst: Slot, a: Slot, b: Slot },
            I32GtS { dst: Slot, a: Slot, b: Slot },
            I32GtU { dst: Slot, a: Slot, b: Slot },
            I32LeS { dst: Slot, a: Slot, b: Slot },
            I32LeU { dst: Slot, a: Slot, b: Slot },
            I32GeS { dst: Slot, a: Slot, b: Slot },
            I32GeU { dst: Slot, a: Slot, b: Slot },
            I64Eq { dst: Slot, a: Slot, b: Slot },
            I64Ne { dst: Slot, a: Slot, b: Slot },
            I64LtS { dst: Slot, a: Slot, b: Slot },
            I64LtU { dst: Slot, a: Slot, b: Slot },
            I64GtS { dst: Slot, a: Slot, b: Slot },
            I64GtU { dst: Slot, a: Slot, b: Slot },
            I64LeS { dst: Slot, a: Slot, b: Slot },
            I64LeU { dst: Slot, a: Slot, b: Slot },
            I64GeS { dst: Slot, a: Slot, b: Slot },
            I64GeU { dst: Slot, a: Slot, b: Slot },
            F32Eq { dst: Slot, a: Slot, b: Slot },
            F32Ne { dst: Slot, a: Slot, b: Slot },
            F32Lt { dst: Slot, a: Slot, b: Slot },
            F32Gt { dst: Slot, a: Slot, b: Slot },
            F32Le { dst: Slot, a: Slot, b: Slot },
            F32Ge { dst: Slot, a: Slot, b: Slot },
            F64Eq { dst: Slot, a: Slot, b: Slot },
            F64Ne { dst: Slot, a: Slot, b: Slot },
            F64Lt { dst: Slot, a: Slot, b: Slot },
            F64Gt { dst: Slot, a: Slot, b: Slot },
            F64Le { dst: Slot, a: Slot, b: Slot },
            F64Ge { dst: Slot, a: Slot, b: Slot },
            I32Add { dst: Slot, a: Slot, b: Slot },
            I32Sub { dst: Slot, a: Slot, b: Slot },
            I32Mul { dst: Slot, a: Slot, b: Slot },
            I32DivS { dst: Slot, a: Slot, b: Slot },
            I32DivU { dst: Slot, a: Slot, b: Slot },
            I32RemS { dst: Slot, a: Slot, b: Slot },
            I32RemU { dst: Slot, a: Slot, b: Slot },
            I32And { dst: Slot, a: Slot, b: Slot },
            I32Or { dst: Slot, a: Slot, b: Slot },
            I32Xor { dst: Slot, a: Slot, b: Slot },
            I32Shl { dst: Slot, a: Slot, b: Slot },
            I32ShrS { dst: Slot, a: Slot, b: Slot },
            I32ShrU { dst: Slot, a: Slot, b: Slot },
            I32Rotl { dst: Slot, a: Slot, b: Slot },
            I32Rotr { dst: Slot, a: Slot, b: Slot },
            I64Add { dst: Slot, a: Slot, b: Slot },
            I64Sub { dst: Slot, a: Slot, b: Slot },
            I64Mul { dst: Slot, a: Slot, b: Slot },
            I64DivS { dst: Slot, a: Slot, b: Slot },
            I64DivU { dst: Slot, a: Slot, b: Slot },
            I64RemS { dst: Slot, a: Slot, b: Slot },
            I64RemU { dst: Slot, a: Slot, b: Slot },
            I64And { dst: Slot, a: Slot, b: Slot },
            I64Or { dst: Slot, a: Slot, b: Slot },
            I64Xor { dst: Slot, a: Slot, b: Slot },
            I64Shl { dst: Slot, a: Slot, b: Slot },
            I64ShrS { dst: Slot, a: Slot, b: Slot },
            I64ShrU { dst: Slot, a: Slot, b: Slot },
            I64Rotl { dst: Slot, a: Slot, b: Slot },
            I64Rotr { dst: Slot, a: Slot, b: Slot },
            F32Add { dst: Slot, a: Slot, b: Slot },
            F32Sub { dst: Slot, a: Slot, b: Slot },
            F32Mul { dst: Slot, a: Slot, b: Slot },
            F32Div { dst: Slot, a: Slot, b: Slot },
            F32Min { dst: Slot, a: Slot, b: Slot },
            F32Max { dst: Slot, a: Slot, b: Slot },
            F32Copysign { dst: Slot, a: Slot, b: Slot },
            F64Add { dst: Slot, a: Slot, b: Slot },
            F64Sub { dst: Slot, a: Slot, b: Slot },
            F64Mul { dst: Slot, a: Slot, b: Slot },
            F64Div { dst: Slot, a: Slot, b: Slot },
            F64Min { dst: Slot, a: Slot, b: Slot },
            F64Max { dst: Slot, a: Slot, b: Slot },
            F64Copysign { dst: Slot, a: Slot, b: Slot },

            // ---- binary with an immediate right operand: dst = a OP imm ----
            I32AddImm { dst: Slot, a: Slot, imm: i32 },
            I32MulImm { dst: Slot, a: Slot, imm: i32 },
            I32AndImm { dst: Slot, a: Slot, imm: i32 },
            I32OrImm { dst: Slot, a: Slot, imm: i32 },
            I32XorImm { dst: Slot, a: Slot, imm: i32 },
            I32ShlImm { dst: Slot, a: Slot, imm: i32 },
            I32ShrSImm { dst: Slot, a: Slot, imm: i32 },
            I32ShrUImm { dst: Slot, a: Slot, imm: i32 },
            I32EqImm { dst: Slot, a: Slot, imm: i32 },
            I32NeImm { dst: Slot, a: Slot, imm: i32 },
            I32LtSImm { dst: Slot, a: Slot, imm: i32 },
            I32LtUImm { dst: Slot, a: Slot, imm: i32 },
            I32GtSImm { dst: Slot, a: Slot, imm: i32 },
            I32GtUImm { dst: Slot, a: Slot, imm: i32 },
            I32LeSImm { dst: Slot, a: Slot, imm: i32 },
            I32LeUImm { dst: Slot, a: Slot, imm: i32 },
            I32GeSImm { dst: Slot, a: Slot, imm: i32 },
            I32GeUImm { dst: Slot, a: Slot, imm: i32 },
            /// i64 forms: `imm` is sign-extended to 64 bits.
            I64AddImm { dst: Slot, a: Slot, imm: i32 },
            I64MulImm { dst: Slot, a: Slot, imm: i32 },
            I64AndImm { dst: Slot, a: Slot, imm: i32 },
            I64OrImm { dst: Slot, a: Slot, imm: i32 },
            I64XorImm { dst: Slot, a: Slot, imm: i32 },
            I64ShlImm { dst: Slot, a: Slot, imm: i32 },
            I64ShrSImm { dst: Slot, a: Slot, imm: i32 },
            I64ShrUImm { dst: Slot, a: Slot, imm: i32 },
            I64EqImm { dst: Slot, a: Slot, imm: i32 },
            I64NeImm { dst: Slot, a: Slot, imm: i32 },
            I64LtSImm { dst: Slot, a: Slot, imm: i32 },
            I64LtUImm { dst: Slot, a: Slot, imm: i32 },
            I64GtSImm { dst: Slot, a: Slot, imm: i32 },
            I64GtUImm { dst: Slot, a: Slot, imm: i32 },
            I64LeSImm { dst: Slot, a: Slot, imm: i32 },
            I64LeUImm { dst: Slot, a: Slot, imm: i32 },
            I64GeSImm { dst: Slot, a: Slot, imm: i32 },
            I64GeUImm { dst: Slot, a: Slot, imm: i32 },
        }
    };
}

macro_rules! define_ops {
    ($(
        $(#[doc = $doc:literal])*
        $name:ident $({ $($field:ident : $ty:ty),* $(,)? })?
    ),* $(,)?) => {
        /// One interpreter instruction. See the module documentation.
        #[derive(Clone, Copy, Debug, PartialEq)]
        pub enum Op {
            $(
                $(#[doc = $doc])*
                $name $({ $($field: $ty),* })?,
            )*
        }
    };
}

pub(crate) use for_each_op;

for_each_op!(define_ops);

/// Apply `$f` to a field if its type is `Slot`.
macro_rules! map_if_slot {
    (Slot, $f:ident, $x:ident) => {
        *$x = $f(*$x)
    };
    ($other:ident, $f:ident, $x:ident) => {
        let _ = $x;
    };
}

macro_rules! define_map_slots {
    ($(
        $(#[doc = $doc:literal])*
        $name:ident $({ $($field:ident : $ty:ident),* $(,)? })?
    ),* $(,)?) => {
        impl Op {
            /// Rewrite every slot operand with `f` (used to lay out the frame
            /// once the translator knows how many constants it has).
            pub fn map_slots(&mut self, f: impl Fn(Slot) -> Slot) {
                match self {
                    $(Op::$name $({ $($field),* })? => { $($(map_if_slot!($ty, f, $field);)*)? })*
                }
            }
        }
    };
}

for_each_op!(define_map_slots);

impl Op {
    /// The slot this instruction writes its (single) result to, if it has one.
    /// The translator uses it to write results straight into locals.
    pub fn dst_mut(&mut self) -> Option<&mut Slot> {
        match self {
            Op::Copy { dst, .. }
            | Op::Const32 { dst, .. }
            | Op::Const64 { dst, .. }
            | Op::Select { dst, .. }
            | Op::I32LoadPlus { dst, .. }
            | Op::I64LoadPlus { dst, .. }
            | Op::F32LoadPlus { dst, .. }
            | Op::F64LoadPlus { dst, .. }
            | Op::I32Load8SPlus { dst, .. }
            | Op::I32Load8UPlus { dst, .. }
            | Op::I32Load16SPlus { dst, .. }
            | Op::I32Load16UPlus { dst, .. }
            | Op::I64Load8SPlus { dst, .. }
            | Op::I64Load8UPlus { dst, .. }
            | Op::I64Load16SPlus { dst, .. }
            | Op::I64Load16UPlus { dst, .. }
            | Op::I64Load32SPlus { dst, .. }
            | Op::I64Load32UPlus { dst, .. }
            | Op::GlobalGet { dst, .. }
            | Op::RefFunc { dst, .. }
            | Op::I32Load { dst, .. }
            | Op::I64Load { dst, .. }
            | Op::F32Load { dst, .. }
            | Op::F64Load { dst, .. }
            | Op::I32Load8S { dst, .. }
            | Op::I32Load8U { dst, .. }
            | Op::I32Load16S { dst, .. }
            | Op::I32Load16U { dst, .. }
            | Op::I64Load8S { dst, .. }
            | Op::I64Load8U { dst, .. }
            | Op::I64Load16S { dst, .. }
            | Op::I64Load16U { dst, .. }
            | Op::I64Load32S { dst, .. }
            | Op::I64Load32U { dst, .. }
            | Op::MemorySize { dst, .. }
            | Op::MemoryGrow { dst, .. }
            | Op::TableGet { dst, .. }
            | Op::TableSize { dst, .. }
            | Op::I32Eqz { dst, .. }
            | Op::I64Eqz { dst, .. }
            | Op::I32Clz { dst, .. }
            | Op::I32Ctz { dst, .. }
            | Op::I32Popcnt { dst, .. }
            | Op::I64Clz { dst, .. }
            | Op::I64Ctz { dst, .. }
            | Op::I64Popcnt { dst, .. }
            | Op::F32Abs { dst, .. }
            | Op::F32Neg { dst, .. }
            | Op::F32Ceil { dst, .. }
            | Op::F32Floor { dst, .. }
            | Op::F32Trunc { dst, .. }
            | Op::F32Nearest { dst, .. }
            | Op::F32Sqrt { dst, .. }
            | Op::F64Abs { dst, .. }
            | Op::F64Neg { dst, .. }
            | Op::F64Ceil { dst, .. }
            | Op::F64Floor { dst, .. }
            | Op::F64Trunc { dst, .. }
            | Op::F64Nearest { dst, .. }
            | Op::F64Sqrt { dst, .. }
            | Op::I32WrapI64 { dst, .. }
            | Op::I32TruncF32S { dst, .. }
            | Op::I32TruncF32U { dst, .. }
            | Op::I32TruncF64S { dst, .. }
            | Op::I32TruncF64U { dst, .. }
            | Op::I64ExtendI32S { dst, .. }
            | Op::I64ExtendI32U { dst, .. }
            | Op::I64TruncF32S { dst, .. }
            | Op::I64TruncF32U { dst, .. }
            | Op::I64TruncF64S { dst, .. }
            | Op::I64TruncF64U { dst, .. }
            | Op::F32ConvertI32S { dst, .. }
            | Op::F32ConvertI32U { dst, .. }
            | Op::F32ConvertI64S { dst, .. }
            | Op::F32ConvertI64U { dst, .. }
            | Op::F32DemoteF64 { dst, .. }
            | Op::F64ConvertI32S { dst, .. }
            | Op::F64ConvertI32U { dst, .. }
            | Op::F64ConvertI64S { dst, .. }
            | Op::F64ConvertI64U { dst, .. }
            | Op::F64PromoteF32 { dst, .. }
            | Op::I32Extend8S { dst, .. }
            | Op::I32Extend16S { dst, .. }
            | Op::I64Extend8S { dst, .. }
            | Op::I64Extend16S { dst, .. }
            | Op::I64Extend32S { dst, .. }
            | Op::I32TruncSatF32S { dst, .. }
            | Op::I32TruncSatF32U { dst, .. }
            | Op::I32TruncSatF64S { dst, .. }
            | Op::I32TruncSatF64U { dst, .. }
            | Op::I64TruncSatF32S { dst, .. }
            | Op::I64TruncSatF32U { dst, .. }
            | Op::I64TruncSatF64S { dst, .. }
            | Op::I64TruncSatF64U { dst, .. }
            | Op::I32Eq { dst, .. }
            | Op::I32Ne { dst, .. }
            | Op::I32LtS { dst, .. }
            | Op::I32LtU { dst, .. }
            | Op::I32GtS { dst, .. }
            | Op::I32GtU { dst, .. }
            | Op::I32LeS { dst, .. }
            | Op::I32LeU { dst, .. }
            | Op::I32GeS { dst, .. }
            | Op::I32GeU { dst, .. }
            | Op::I64Eq { dst, .. }
            | Op::I64Ne { dst, .. }
            | Op::I64LtS { dst, .. }
            | Op::I64LtU { dst, .. }
            | Op::I64GtS { dst, .. }
            | Op::I64GtU { dst, .. }
            | Op::I64LeS { dst, .. }
            | Op::I64LeU { dst, .. }
            | Op::I64GeS { dst, .. }
            | Op::I64GeU { dst, .. }
            | Op::F32Eq { dst, .. }
            | Op::F32Ne { dst, .. }
            | Op::F32Lt { dst, .. }
            | Op::F32Gt { dst, .. }
            | Op::F32Le { dst, .. }
            | Op::F32Ge { dst, .. }
            | Op::F64Eq { dst, .. }
            | Op::F64Ne { dst, .. }
            | Op::F64Lt { dst, .. }
            | Op::F64Gt { dst, .. }
            | Op::F64Le { dst, .. }
            | Op::F64Ge { dst, .. }
            | Op::I32Add { dst, .. }
            | Op::I32Sub { dst, .. }
            | Op::I32Mul { dst, .. }
            | Op::I32DivS { dst, .. }
            | Op::I32DivU { dst, .. }
            | Op::I32RemS { dst, .. }
            | Op::I32RemU { dst, .. }
            | Op::I32And { dst, .. }
            | Op::I32Or { dst, .. }
            | Op::I32Xor { dst, .. }
            | Op::I32Shl { dst, .. }
            | Op::I32ShrS { dst, .. }
            | Op::I32ShrU { dst, .. }
            | Op::I32Rotl { dst, .. }
            | Op::I32Rotr { dst, .. }
            | Op::I64Add { dst, .. }
            | Op::I64Sub { dst, .. }
            | Op::I64Mul { dst, .. }
            | Op::I64DivS { dst, .. }
            | Op::I64DivU { dst, .. }
            | Op::I64RemS { dst, .. }
            | Op::I64RemU { dst, .. }
            | Op::I64And { dst, .. }
            | Op::I64Or { dst, .. }
            | Op::I64Xor { dst, .. }
            | Op::I64Shl { dst, .. }
            | Op::I64ShrS { dst, .. }
            | Op::I64ShrU { dst, .. }
            | Op::I64Rotl { dst, .. }
            | Op::I64Rotr { dst, .. }
            | Op::F32Add { dst, .. }
            | Op::F32Sub { dst, .. }
            | Op::F32Mul { dst, .. }
            | Op::F32Div { dst, .. }
            | Op::F32Min { dst, .. }
            | Op::F32Max { dst, .. }
            | Op::F32Copysign { dst, .. }
            | Op::F64Add { dst, .. }
            | Op::F64Sub { dst, .. }
            | Op::F64Mul { dst, .. }
            | Op::F64Div { dst, .. }
            | Op::F64Min { dst, .. }
            | Op::F64Max { dst, .. }
            | Op::F64Copysign { dst, .. }
            | Op::I32AddImm { dst, .. }
            | Op::I32MulImm { dst, .. }
            | Op::I32AndImm { dst, .. }
            | Op::I32OrImm { dst, .. }
            | Op::I32XorImm { dst, .. }
            | Op::I32ShlImm { dst, .. }
            | Op::I32ShrSImm { dst, .. }
            | Op::I32ShrUImm { dst, .. }
            | Op::I32EqImm { dst, .. }
            | Op::I32NeImm { dst, .. }
            | Op::I32LtSImm { dst, .. }
            | Op::I32LtUImm { dst, .. }
            | Op::I32GtSImm { dst, .. }
            | Op::I32GtUImm { dst, .. }
            | Op::I32LeSImm { dst, .. }
            | Op::I32LeUImm { dst, .. }
            | Op::I32GeSImm { dst, .. }
            | Op::I32GeUImm { dst, .. }
            | Op::I64AddImm { dst, .. }
            | Op::I64MulImm { dst, .. }
            | Op::I64AndImm { dst, .. }
            | Op::I64OrImm { dst, .. }
            | Op::I64XorImm { dst, .. }
            | Op::I64ShlImm { dst, .. }
            | Op::I64ShrSImm { dst, .. }
            | Op::I64ShrUImm { dst, .. }
            | Op::I64EqImm { dst, .. }
            | Op::I64NeImm { dst, .. }
            | Op::I64LtSImm { dst, .. }
            | Op::I64LtUImm { dst, .. }
            | Op::I64GtSImm { dst, .. }
            | Op::I64GtUImm { dst, .. }
            | Op::I64LeSImm { dst, .. }
            | Op::I64LeUImm { dst, .. }
            | Op::I64GeSImm { dst, .. }
            | Op::I64GeUImm { dst, .. }
            | Op::AtomicLoad { dst, .. }
            | Op::AtomicRmw { dst, .. }
            | Op::AtomicCmpxchg { dst, .. }
            | Op::AtomicWait { dst, .. }
            | Op::AtomicNotify { dst, .. } => Some(dst),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn op_is_16_bytes() {
        assert_eq!(std::mem::size_of::<Op>(), 16);
        assert_eq!(std::mem::align_of::<Op>(), 4);
    }
}
