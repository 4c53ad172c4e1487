//! Text form of the IR, for `wx explore` and golden tests.

use super::{BlockId, Func, Inst, Libcall, List, Ty, VReg};
use std::fmt::{self, Display, Write};

impl Display for Ty {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Ty::I32 => "i32",
            Ty::I64 => "i64",
            Ty::F32 => "f32",
            Ty::F64 => "f64",
        })
    }
}

/// The libcall's name (that of its `wx_core::libcalls` function) and its
/// index immediates: `table_copy[1, 0]`.
impl Display for Libcall {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let debug = format!("{self:?}");
        let variant = debug.split(' ').next().unwrap_or(&debug);
        f.write_str(&lower(variant))?;
        let imms = self.immediates();
        if !imms.is_empty() {
            let imms: Vec<String> = imms.iter().map(|i| i.to_string()).collect();
            write!(f, "[{}]", imms.join(", "))?;
        }
        Ok(())
    }
}

impl Display for VReg {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "v{}", self.0)
    }
}

impl Display for BlockId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "block{}", self.0)
    }
}

fn lower(name: &str) -> String {
    let mut out = String::new();
    for (i, c) in name.chars().enumerate() {
        if c.is_uppercase() {
            if i > 0 {
                out.push('_');
            }
            out.extend(c.to_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

impl Func {
    fn regs(&self, l: List) -> String {
        let items: Vec<String> = self
            .list_items(l)
            .iter()
            .map(|&v| VReg(v).to_string())
            .collect();
        items.join(", ")
    }

    /// One instruction as text.
    pub fn inst_text(&self, inst: &Inst) -> String {
        let name = |x: &dyn fmt::Debug| lower(&format!("{x:?}"));
        match *inst {
            Inst::Const { ty, dst, bits } => match ty {
                Ty::F32 => format!(
                    "{dst} = f32.const {} (0x{bits:x})",
                    f32::from_bits(bits as u32)
                ),
                Ty::F64 => format!("{dst} = f64.const {} (0x{bits:x})", f64::from_bits(bits)),
                _ => format!("{dst} = {ty}.const {}", bits as i64),
            },
            Inst::Move { dst, src, .. } => format!("{dst} = {src}"),
            Inst::IBin { op, ty, dst, a, b } => format!("{dst} = {ty}.{} {a}, {b}", name(&op)),
            Inst::IBinImm {
                op,
                ty,
                dst,
                a,
                imm,
            } => format!("{dst} = {ty}.{} {a}, {imm}", name(&op)),
            Inst::IDiv { op, ty, dst, a, b } => format!("{dst} = {ty}.{} {a}, {b}", name(&op)),
            Inst::IDivImm {
                op,
                ty,
                dst,
                a,
                divisor,
            } => format!("{dst} = {ty}.{} {a}, {divisor}", name(&op)),
            Inst::IUn { op, ty, dst, src } => format!("{dst} = {ty}.{} {src}", name(&op)),
            Inst::Eqz { ty, dst, src } => format!("{dst} = {ty}.eqz {src}"),
            Inst::ICmp { cc, ty, dst, a, b } => format!("{dst} = {ty}.{} {a}, {b}", name(&cc)),
            Inst::ICmpImm {
                cc,
                ty,
                dst,
                a,
                imm,
            } => format!("{dst} = {ty}.{} {a}, {imm}", name(&cc)),
            Inst::FBin { op, ty, dst, a, b } => format!("{dst} = {ty}.{} {a}, {b}", name(&op)),
            Inst::FUn { op, ty, dst, src } => format!("{dst} = {ty}.{} {src}", name(&op)),
            Inst::FCmp { cc, ty, dst, a, b } => format!("{dst} = {ty}.{} {a}, {b}", name(&cc)),
            Inst::Convert {
                op,
                from,
                to,
                dst,
                src,
            } => format!("{dst} = {to}.{}_{from} {src}", name(&op)),
            Inst::Select {
                dst, cond, a, b, ..
            } => format!("{dst} = select {cond}, {a}, {b}"),
            Inst::SelectCmp {
                dst,
                cc,
                cmp_ty,
                x,
                y,
                a,
                b,
                ..
            } => {
                let y = match y {
                    crate::ir::CmpRhs::Reg(r) => r.to_string(),
                    crate::ir::CmpRhs::Imm(i) => i.to_string(),
                };
                format!("{dst} = select ({cmp_ty}.{} {x}, {y}), {a}, {b}", name(&cc))
            }
            Inst::Load {
                ty,
                kind,
                dst,
                addr,
                offset,
            } => {
                format!("{dst} = {ty}.load.{} {addr}+{offset}", name(&kind))
            }
            Inst::Store {
                ty,
                kind,
                addr,
                value,
                offset,
            } => {
                format!("{ty}.store.{} {addr}+{offset}, {value}", name(&kind))
            }
            Inst::AtomicLoad {
                ty,
                width,
                dst,
                addr,
                offset,
            } => format!(
                "{dst} = {ty}.atomic.load{} {addr}+{offset}",
                8 * width.bytes()
            ),
            Inst::AtomicStore {
                ty,
                width,
                addr,
                value,
                offset,
            } => format!(
                "{ty}.atomic.store{} {addr}+{offset}, {value}",
                8 * width.bytes()
            ),
            Inst::AtomicRmw {
                op,
                ty,
                width,
                dst,
                addr,
                value,
                offset,
            } => format!(
                "{dst} = {ty}.atomic.rmw{}.{} {addr}+{offset}, {value}",
                8 * width.bytes(),
                name(&op)
            ),
            Inst::AtomicCmpxchg {
                ty,
                width,
                dst,
                addr,
                expected,
                replacement,
                offset,
            } => format!(
                "{dst} = {ty}.atomic.rmw{}.cmpxchg {addr}+{offset}, {expected}, {replacement}",
                8 * width.bytes()
            ),
            Inst::AtomicFence => "atomic.fence".to_string(),
            Inst::EpochCheck => "epoch_check".to_string(),
            Inst::ConsumeFuel => "consume_fuel".to_string(),
            Inst::GlobalGet { dst, index, .. } => format!("{dst} = global.get {index}"),
            Inst::GlobalSet { src, index, .. } => format!("global.set {index}, {src}"),
            Inst::FuncRef { dst, func } => format!("{dst} = ref.func {func}"),
            Inst::TableGet { table, dst, index } => format!("{dst} = table.get {table}, {index}"),
            Inst::TableSet {
                table,
                index,
                value,
            } => format!("table.set {table}, {index}, {value}"),
            Inst::TableSize { table, dst } => format!("{dst} = table.size {table}"),
            Inst::Call { func, args, rets } => {
                format!("[{}] = call {func}({})", self.regs(rets), self.regs(args))
            }
            Inst::CallIndirect {
                sig,
                table,
                index,
                args,
                rets,
            } => format!(
                "[{}] = call_indirect table{table}[{index}] sig{sig}({})",
                self.regs(rets),
                self.regs(args)
            ),
            Inst::Libcall { call, args, rets } => {
                format!(
                    "[{}] = libcall {call}({})",
                    self.regs(rets),
                    self.regs(args)
                )
            }
            Inst::Landing { clause, rets } => {
                let c = self.catches[clause as usize];
                let tag = match c.tag {
                    super::CATCH_ALL => "all".to_string(),
                    t => format!("tag {t}"),
                };
                let kind = if c.keeps_ref { " ref" } else { "" };
                format!("[{}] = landing {tag}{kind}", self.regs(rets))
            }
            Inst::Jump { target } => format!("jump {target}"),
            Inst::Throwing { next, scope } => format!("throwing scope {scope}, {next}"),
            Inst::Branch {
                cond,
                then,
                otherwise,
            } => format!("br_if {cond}, {then}, {otherwise}"),
            Inst::BranchCmp {
                cc,
                ty,
                a,
                b,
                then,
                otherwise,
            } => {
                format!("br_{ty}.{} {a}, {b}, {then}, {otherwise}", name(&cc))
            }
            Inst::BranchCmpImm {
                cc,
                ty,
                a,
                imm,
                then,
                otherwise,
            } => {
                format!("br_{ty}.{} {a}, {imm}, {then}, {otherwise}", name(&cc))
            }
            Inst::BranchFCmp {
                cc,
                ty,
                a,
                b,
                then,
                otherwise,
            } => {
                format!("br_{ty}.{} {a}, {b}, {then}, {otherwise}", name(&cc))
            }
            Inst::BrTable { index, targets } => {
                let t: Vec<String> = self
                    .list_items(targets)
                    .iter()
                    .map(|&b| BlockId(b).to_string())
                    .collect();
                format!("br_table {index}, [{}]", t.join(", "))
            }
            Inst::Return { values } => format!("return {}", self.regs(values)),
            Inst::Trap { code } => format!("trap \"{code}\""),
        }
    }
}

impl Display for Func {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let params: Vec<String> = self
            .params
            .iter()
            .map(|&p| format!("{p}: {}", self.ty(p)))
            .collect();
        let results: Vec<String> = self.results.iter().map(|t| t.to_string()).collect();
        writeln!(
            f,
            "function({}) -> [{}]",
            params.join(", "),
            results.join(", ")
        )?;
        let mut inlined = self.inlined.iter().peekable();
        for &id in &self.layout {
            let b = &self.blocks[id.0 as usize];
            writeln!(f, "{id}:")?;
            for at in b.insts.clone() {
                while let Some(i) = inlined.next_if(|i| i.at <= at) {
                    writeln!(f, "  ; inlined call {}", i.func)?;
                }
                let mut line = String::new();
                let _ = write!(line, "  {}", self.inst_text(&self.insts[at as usize]));
                writeln!(f, "{line}")?;
            }
        }
        for i in inlined {
            writeln!(f, "  ; inlined call {}", i.func)?;
        }
        Ok(())
    }
}
