//! The operator decoder of the translator's hot loop.
//!
//! wasmparser's `OperatorsReader` decodes any operator of any proposal and
//! keeps its own stack of frame kinds to check `else` and `end`; that was
//! a third of translation time. Bodies are validated when the module is
//! decoded, so here the operators a typical body is made of (locals,
//! constants, arithmetic, memory accesses, calls, structured control) are
//! decoded by hand, reading their immediates with wasmparser's own LEB128
//! readers; any other opcode (prefixed ones, `br_table`, typed blocks,
//! multi-memory accesses...) is handed to wasmparser's decoder for just
//! that operator. Either way the translator sees the same `Operator`,
//! except that the most common ones in reachable code go from their
//! opcode straight to the translator's method (see [`shortcut`]).

use super::{Feed, Translator, Val};
use crate::error::JitError;
use crate::ir::Ty;
use wasmparser::{
    BinaryReader, BlockType, FrameKind, FrameStack, MemArg, MemArgTarget, Operator as W, ValType,
};

/// Translate the operators in `bytes` (which start at byte `offset` of the
/// module), to the end of the slice.
pub(super) fn feed_operators(
    t: &mut Translator<'_>,
    bytes: &[u8],
    offset: u64,
) -> Result<(), JitError> {
    let mut r = BinaryReader::new(bytes, offset);
    while !r.eof() {
        let start = r.current_position();
        t.srcloc = (offset + start as u64) as u32;
        if t.cur.is_some() && shortcut(t, &mut r, bytes[start])? {
            continue;
        }
        match decode(&mut r)? {
            Some(op) => t.operator(op)?,
            None => {
                // Not one of ours: wasmparser decodes it, from its opcode.
                let mut one = BinaryReader::new(&bytes[start..], offset + start as u64);
                one.visit_operator(&mut Feed(t))??;
                r = reader_at(bytes, offset, start + one.current_position())?;
            }
        }
    }
    Ok(())
}

/// Translate the most common operators (local accesses, integer
/// constants and arithmetic) of reachable code straight away, without
/// building an `Operator` to dispatch on again; `false` (with `r`
/// untouched) for the others.
#[inline(always)]
fn shortcut(t: &mut Translator<'_>, r: &mut BinaryReader<'_>, code: u8) -> Result<bool, JitError> {
    use crate::ir::IBinOp::*;
    let bin = |op| Some((op, Ty::I32));
    let bin64 = |op| Some((op, Ty::I64));
    let int_bin = match code {
        0x20..=0x22 | 0x41 | 0x42 => None,
        0x6a => bin(Add),
        0x6b => bin(Sub),
        0x6c => bin(Mul),
        0x71 => bin(And),
        0x72 => bin(Or),
        0x73 => bin(Xor),
        0x74 => bin(Shl),
        0x75 => bin(ShrS),
        0x76 => bin(ShrU),
        0x77 => bin(Rotl),
        0x78 => bin(Rotr),
        0x7c => bin64(Add),
        0x7d => bin64(Sub),
        0x7e => bin64(Mul),
        0x83 => bin64(And),
        0x84 => bin64(Or),
        0x85 => bin64(Xor),
        0x86 => bin64(Shl),
        0x87 => bin64(ShrS),
        0x88 => bin64(ShrU),
        0x89 => bin64(Rotl),
        0x8a => bin64(Rotr),
        _ => return Ok(false),
    };
    r.read_u8()?;
    match (code, int_bin) {
        (_, Some((op, ty))) => t.ibin(op, ty),
        (0x20, _) => t.local_get(r.read_var_u32()?),
        (0x21, _) => t.local_set(t.local_index(r.read_var_u32()?), false),
        (0x22, _) => t.local_set(t.local_index(r.read_var_u32()?), true),
        (0x41, _) => t.push(Val::Const(r.read_var_i32()? as u32 as u64), Ty::I32),
        _ => t.push(Val::Const(r.read_var_i64()? as u64), Ty::I64),
    }
    Ok(true)
}

/// Call `f` on each operator in `bytes` (which start at byte `offset` of
/// the module) until it returns false.
pub(super) fn scan_operators(
    bytes: &[u8],
    offset: u64,
    mut f: impl FnMut(&W<'_>) -> bool,
) -> Result<(), JitError> {
    let mut r = BinaryReader::new(bytes, offset);
    while !r.eof() {
        let start = r.current_position();
        let go_on = match decode(&mut r)? {
            Some(op) => f(&op),
            None => {
                let one = BinaryReader::new(&bytes[start..], offset + start as u64);
                let mut one = wasmparser::OperatorsReader::new(one);
                let go_on = f(&one.read()?);
                r = reader_at(
                    bytes,
                    offset,
                    start + one.get_binary_reader().current_position(),
                )?;
                go_on
            }
        };
        if !go_on {
            break;
        }
    }
    Ok(())
}

/// A reader of `bytes` (which start at byte `offset` of the module) at
/// position `pos`: where decoding goes on after wasmparser read one operator
/// from a reader of its own.
fn reader_at<'a>(bytes: &'a [u8], offset: u64, pos: usize) -> Result<BinaryReader<'a>, JitError> {
    let mut r = BinaryReader::new(bytes, offset);
    r.read_bytes(pos)?;
    Ok(r)
}

/// `visit_operator` checks `else`, `end` and the legacy exception
/// operators against the enclosing frame's kind; the body was validated,
/// so any frame will do. (Those operators are decoded by [`decode`]
/// itself, never through this.)
impl FrameStack for Feed<'_, '_> {
    fn current_frame(&self) -> Option<FrameKind> {
        Some(FrameKind::Block)
    }
}

/// Decode the next operator if it is one of the common ones; `None` (with
/// `r` anywhere) for the others.
#[inline(always)]
fn decode<'a>(r: &mut BinaryReader<'a>) -> Result<Option<W<'a>>, JitError> {
    let code = r.read_u8()?;
    Ok(Some(match code {
        0x00 => W::Unreachable,
        0x01 => W::Nop,
        0x02 => match block_type(r)? {
            Some(blockty) => W::Block { blockty },
            None => return Ok(None),
        },
        0x03 => match block_type(r)? {
            Some(blockty) => W::Loop { blockty },
            None => return Ok(None),
        },
        0x04 => match block_type(r)? {
            Some(blockty) => W::If { blockty },
            None => return Ok(None),
        },
        0x05 => W::Else,
        // The legacy exception operators that close or continue a `try`:
        // wasmparser's own reader would check them against a frame stack
        // that a reader made for one operator does not have.
        0x07 => W::Catch {
            tag_index: r.read_var_u32()?,
        },
        0x18 => W::Delegate {
            relative_depth: r.read_var_u32()?,
        },
        0x19 => W::CatchAll,
        0x0b => W::End,
        0x0c => W::Br {
            relative_depth: r.read_var_u32()?,
        },
        0x0d => W::BrIf {
            relative_depth: r.read_var_u32()?,
        },
        0x0f => W::Return,
        0x10 => W::Call {
            function_index: r.read_var_u32()?,
        },
        0x1a => W::Drop,
        0x1b => W::Select,
        0x20 => W::LocalGet {
            local_index: r.read_var_u32()?,
        },
        0x21 => W::LocalSet {
            local_index: r.read_var_u32()?,
        },
        0x22 => W::LocalTee {
            local_index: r.read_var_u32()?,
        },
        0x23 => W::GlobalGet {
            global_index: r.read_var_u32()?,
        },
        0x24 => W::GlobalSet {
            global_index: r.read_var_u32()?,
        },
        0x28..=0x3e => {
            let Some(memarg) = mem_arg(r, code)? else {
                return Ok(None);
            };
            match code {
                0x28 => W::I32Load { memarg },
                0x29 => W::I64Load { memarg },
                0x2a => W::F32Load { memarg },
                0x2b => W::F64Load { memarg },
                0x2c => W::I32Load8S { memarg },
                0x2d => W::I32Load8U { memarg },
                0x2e => W::I32Load16S { memarg },
                0x2f => W::I32Load16U { memarg },
                0x30 => W::I64Load8S { memarg },
                0x31 => W::I64Load8U { memarg },
                0x32 => W::I64Load16S { memarg },
                0x33 => W::I64Load16U { memarg },
                0x34 => W::I64Load32S { memarg },
                0x35 => W::I64Load32U { memarg },
                0x36 => W::I32Store { memarg },
                0x37 => W::I64Store { memarg },
                0x38 => W::F32Store { memarg },
                0x39 => W::F64Store { memarg },
                0x3a => W::I32Store8 { memarg },
                0x3b => W::I32Store16 { memarg },
                0x3c => W::I64Store8 { memarg },
                0x3d => W::I64Store16 { memarg },
                _ => W::I64Store32 { memarg },
            }
        }
        0x41 => W::I32Const {
            value: r.read_var_i32()?,
        },
        0x42 => W::I64Const {
            value: r.read_var_i64()?,
        },
        0x43 => W::F32Const {
            value: r.read_f32()?,
        },
        0x44 => W::F64Const {
            value: r.read_f64()?,
        },
        0x45 => W::I32Eqz,
        0x46 => W::I32Eq,
        0x47 => W::I32Ne,
        0x48 => W::I32LtS,
        0x49 => W::I32LtU,
        0x4a => W::I32GtS,
        0x4b => W::I32GtU,
        0x4c => W::I32LeS,
        0x4d => W::I32LeU,
        0x4e => W::I32GeS,
        0x4f => W::I32GeU,
        0x50 => W::I64Eqz,
        0x51 => W::I64Eq,
        0x52 => W::I64Ne,
        0x53 => W::I64LtS,
        0x54 => W::I64LtU,
        0x55 => W::I64GtS,
        0x56 => W::I64GtU,
        0x57 => W::I64LeS,
        0x58 => W::I64LeU,
        0x59 => W::I64GeS,
        0x5a => W::I64GeU,
        0x5b => W::F32Eq,
        0x5c => W::F32Ne,
        0x5d => W::F32Lt,
        0x5e => W::F32Gt,
        0x5f => W::F32Le,
        0x60 => W::F32Ge,
        0x61 => W::F64Eq,
        0x62 => W::F64Ne,
        0x63 => W::F64Lt,
        0x64 => W::F64Gt,
        0x65 => W::F64Le,
        0x66 => W::F64Ge,
        0x67 => W::I32Clz,
        0x68 => W::I32Ctz,
        0x69 => W::I32Popcnt,
        0x6a => W::I32Add,
        0x6b => W::I32Sub,
        0x6c => W::I32Mul,
        0x6d => W::I32DivS,
        0x6e => W::I32DivU,
        0x6f => W::I32RemS,
        0x70 => W::I32RemU,
        0x71 => W::I32And,
        0x72 => W::I32Or,
        0x73 => W::I32Xor,
        0x74 => W::I32Shl,
        0x75 => W::I32ShrS,
        0x76 => W::I32ShrU,
        0x77 => W::I32Rotl,
        0x78 => W::I32Rotr,
        0x79 => W::I64Clz,
        0x7a => W::I64Ctz,
        0x7b => W::I64Popcnt,
        0x7c => W::I64Add,
        0x7d => W::I64Sub,
        0x7e => W::I64Mul,
        0x7f => W::I64DivS,
        0x80 => W::I64DivU,
        0x81 => W::I64RemS,
        0x82 => W::I64RemU,
        0x83 => W::I64And,
        0x84 => W::I64Or,
        0x85 => W::I64Xor,
        0x86 => W::I64Shl,
        0x87 => W::I64ShrS,
        0x88 => W::I64ShrU,
        0x89 => W::I64Rotl,
        0x8a => W::I64Rotr,
        0x8b => W::F32Abs,
        0x8c => W::F32Neg,
        0x8d => W::F32Ceil,
        0x8e => W::F32Floor,
        0x8f => W::F32Trunc,
        0x90 => W::F32Nearest,
        0x91 => W::F32Sqrt,
        0x92 => W::F32Add,
        0x93 => W::F32Sub,
        0x94 => W::F32Mul,
        0x95 => W::F32Div,
        0x96 => W::F32Min,
        0x97 => W::F32Max,
        0x98 => W::F32Copysign,
        0x99 => W::F64Abs,
        0x9a => W::F64Neg,
        0x9b => W::F64Ceil,
        0x9c => W::F64Floor,
        0x9d => W::F64Trunc,
        0x9e => W::F64Nearest,
        0x9f => W::F64Sqrt,
        0xa0 => W::F64Add,
        0xa1 => W::F64Sub,
        0xa2 => W::F64Mul,
        0xa3 => W::F64Div,
        0xa4 => W::F64Min,
        0xa5 => W::F64Max,
        0xa6 => W::F64Copysign,
        0xa7 => W::I32WrapI64,
        0xa8 => W::I32TruncF32S,
        0xa9 => W::I32TruncF32U,
        0xaa => W::I32TruncF64S,
        0xab => W::I32TruncF64U,
        0xac => W::I64ExtendI32S,
        0xad => W::I64ExtendI32U,
        0xae => W::I64TruncF32S,
        0xaf => W::I64TruncF32U,
        0xb0 => W::I64TruncF64S,
        0xb1 => W::I64TruncF64U,
        0xb2 => W::F32ConvertI32S,
        0xb3 => W::F32ConvertI32U,
        0xb4 => W::F32ConvertI64S,
        0xb5 => W::F32ConvertI64U,
        0xb6 => W::F32DemoteF64,
        0xb7 => W::F64ConvertI32S,
        0xb8 => W::F64ConvertI32U,
        0xb9 => W::F64ConvertI64S,
        0xba => W::F64ConvertI64U,
        0xbb => W::F64PromoteF32,
        0xbc => W::I32ReinterpretF32,
        0xbd => W::I64ReinterpretF64,
        0xbe => W::F32ReinterpretI32,
        0xbf => W::F64ReinterpretI64,
        0xc0 => W::I32Extend8S,
        0xc1 => W::I32Extend16S,
        0xc2 => W::I64Extend8S,
        0xc3 => W::I64Extend16S,
        0xc4 => W::I64Extend32S,
        _ => return Ok(None),
    }))
}

/// A block type that is empty or one value type (others: `None`).
#[inline(always)]
fn block_type(r: &mut BinaryReader<'_>) -> Result<Option<BlockType>, JitError> {
    let ty = match r.read_u8()? {
        0x40 => return Ok(Some(BlockType::Empty)),
        0x7f => ValType::I32,
        0x7e => ValType::I64,
        0x7d => ValType::F32,
        0x7c => ValType::F64,
        _ => return Ok(None),
    };
    Ok(Some(BlockType::Type(ty)))
}

/// The memory immediate of load or store `code`, unless it names a memory
/// other than 0 or sets flags beyond the alignment (then `None`).
#[inline(always)]
fn mem_arg(r: &mut BinaryReader<'_>, code: u8) -> Result<Option<MemArg>, JitError> {
    let flags = r.read_var_u32()?;
    if flags > 0b1111 {
        return Ok(None);
    }
    // log2 of the access width: the largest alignment allowed.
    let max_align = match code {
        0x2c | 0x2d | 0x30 | 0x31 | 0x3a | 0x3c => 0,
        0x2e | 0x2f | 0x32 | 0x33 | 0x3b | 0x3d => 1,
        0x28 | 0x2a | 0x34 | 0x35 | 0x36 | 0x38 | 0x3e => 2,
        _ => 3,
    };
    Ok(Some(MemArg {
        align: flags as u8,
        max_align,
        offset: r.read_var_u64()?,
        target: MemArgTarget::Memory(0),
        ordering: None,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasmparser::{BinaryReader, FunctionBody};

    /// The operators of every function body, as wasmparser reads them and
    /// as `scan_operators` does.
    fn both_ways(info: &wx_core::ModuleInfo) -> (Vec<String>, Vec<String>) {
        let (mut theirs, mut ours) = (Vec::new(), Vec::new());
        for def in 0..info.num_defined_funcs() {
            let (bytes, offset) = info.body(def);
            let body = FunctionBody::new(BinaryReader::new(bytes, offset as u64));
            let mut reader = body.get_operators_reader().unwrap();
            let (code, at) = super::super::operator_bytes(&reader).unwrap();
            while !reader.eof() {
                theirs.push(format!("{:?}", reader.read().unwrap()));
            }
            scan_operators(code, at, |op| {
                ours.push(format!("{op:?}"));
                true
            })
            .unwrap();
        }
        (theirs, ours)
    }

    /// Hand decoding reads what wasmparser reads: every opcode of the
    /// benchmark programs and of a module using the rarer encodings
    /// (typed and multi-value blocks, `br_table`, memory operands with
    /// large offsets and alignments, negative and wide constants).
    #[test]
    fn decodes_like_wasmparser() {
        let wat = r#"(module
            (type $pair (func (param i32) (result i32 i32)))
            (memory 1)
            (func (param i32) (result i64)
              (local f32 f64)
              (block $b (result i32)
                (block $c (result i32)
                  (loop $l (br_if $l (i32.eqz (local.get 0))))
                  (br_table $b $c $b (i32.const -1) (local.get 0))))
              (drop)
              (i32.const 7)
              (block (type $pair) (i32.const 1)) (drop) (drop)
              (drop (if (result i32) (i32.const 0) (then (i32.const 1)) (else (i32.const 2))))
              (drop (i32.load offset=4000000 align=1 (i32.const 0)))
              (drop (i64.load16_s offset=3 (i32.const 0)))
              (i64.store32 (i32.const 8) (i64.const -123456789012))
              (f32.store (i32.const 0) (f32.const -1.5))
              (f64.store (i32.const 0) (f64.const 1e300))
              (drop (memory.grow (memory.size)))
              (drop (i32.extend8_s (i32.const 300)))
              (drop (select (i32.const 1) (i32.const 2) (i32.const 3)))
              (drop (select (result f32) (f32.const 1) (f32.const 2) (i32.const 3)))
              (i64.const 0x7fffffffffffffff)))"#;
        let info = wx_core::ModuleInfo::new(&wat::parse_str(wat).unwrap()).unwrap();
        let (theirs, ours) = both_ways(&info);
        assert_eq!(theirs, ours);
        for (path, info) in crate::test_util::benchmark_modules(true) {
            let (theirs, ours) = both_ways(&info);
            assert_eq!(theirs, ours, "{}", path.display());
        }
    }
}
