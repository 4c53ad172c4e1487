//! What the JIT makes of a function, as text (for `wx explore`).

use crate::error::JitError;
use crate::isa::x64::abi;
use crate::regalloc::{allocate, check, Loc};
use crate::translate::translate;
use std::fmt::Write as _;
use wx_core::ModuleInfo;

/// The IR and the register allocation of one function.
#[derive(Clone, Debug)]
pub struct Explored {
    pub ir: String,
    /// One line per live interval: vreg, positions, location.
    pub allocation: String,
}

/// Translate and allocate defined function `def_index` for x86-64.
pub fn explore(module: &ModuleInfo, def_index: u32) -> Result<Explored, JitError> {
    let f = translate(module, def_index)?;
    let alloc = allocate(&f, &abi::machine_env(), abi::clobbers);
    check(&f, &alloc, abi::clobbers).map_err(JitError::Internal)?;
    let mut allocation = String::new();
    let mut intervals = alloc.intervals.clone();
    intervals.sort_by_key(|iv| iv.vreg);
    for iv in intervals {
        let loc = match alloc.loc(iv.vreg) {
            Loc::Reg(r) => abi::reg_name(r),
            Loc::Stack(s) => format!("stack[{s}]"),
            Loc::None => "-".into(),
        };
        let _ = writeln!(
            allocation,
            "{:>5} {:<4} [{}, {}] -> {loc}",
            iv.vreg.to_string(),
            f.ty(iv.vreg).to_string(),
            iv.start,
            iv.end
        );
    }
    let _ = writeln!(allocation, "; {} spill slots", alloc.spill_slots);
    Ok(Explored {
        ir: f.to_string(),
        allocation,
    })
}
