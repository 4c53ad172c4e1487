//! Instruction-set back ends, behind one narrow trait.
//!
//! Everything above emission — translation, the cheap optimisations,
//! liveness and linear-scan allocation — is shared; an ISA contributes only
//! what [`Isa`] asks for: its allocatable registers, which instructions
//! destroy which registers, the emitter from allocated IR to machine code,
//! and a disassembler for `wx explore`. Every ISA has the same file set:
//! `regs` (register names and encodings), `asm` (the machine-code
//! encoder), `abi` (reserved registers, calling conventions, clobbers) and
//! `emit` (the lowering). Generic code never names an ISA.

pub mod aarch64;
pub mod callconv;
pub mod x64;

use crate::error::JitError;
use crate::ir::{Func, Inst};
use crate::regalloc::{Allocation, MachineEnv, PReg, RegSet};
use std::ops::Range;
use wx_core::TrapCode;

/// Machine code of one function and where it may fault.
#[derive(Clone, Debug)]
pub struct CompiledCode {
    pub code: Vec<u8>,
    /// Offset of the `wasm_call` entry, which compiled callers call with
    /// the ISA's wasm calling convention. The entry stub implementing the
    /// array calling convention (`wx_core::vm::ArrayCall`) is at offset 0.
    pub wasm_entry: u32,
    /// Offset of the trap exit, which has the runtime record the backtrace
    /// and unwinds to the innermost entry stub with the trap code in the
    /// return register. It expects the site's pc on top of the stack: the
    /// cold paths call it, and the signal handler enters it after a fault
    /// at a trap site as if the access had called it.
    pub trap_exit: u32,
    /// Every place a trap leaves the function through the trap exit,
    /// sorted by `pc` (see [`TrapSite`]): the cold paths, and the
    /// instructions that fault on an out-of-bounds access
    /// ([`SiteKind::Fault`]), which the signal handler sends there. The one
    /// table the runtime reads, whatever the ISA.
    pub sites: Vec<TrapSite>,
    /// Every call into wasm code (or an adapter), by return address,
    /// sorted: how a backtrace names this function's frame.
    pub calls: Vec<CallSite>,
    /// The function keeps no frame (a small leaf): its return address is
    /// at the stack pointer, and rbp is its caller's.
    pub frameless: bool,
    /// Byte ranges of `code` holding `br_table` jump tables (data, not
    /// instructions): 32-bit little-endian offsets of the case targets,
    /// relative to the range's start. Sorted, after all code.
    pub jump_tables: Vec<Range<u32>>,
    /// Where exceptions thrown out of its calls land (empty for a
    /// function without `try_table` or legacy `try` handlers).
    pub handlers: Handlers,
}

/// A function's exception handlers as the unwinder reads them (see
/// [`crate::ir::HandlerScope`]): which calls are inside which handler
/// scope, each scope's catch clauses, and where their landing pads start.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Handlers {
    /// Code offsets where an exception leaves a call or a throw (the
    /// call's return offset, or the `pc` of a throw's trap site) and the
    /// scope there, sorted by offset.
    pub sites: Vec<(u32, u32)>,
    /// Per scope: the scope tried next ([`crate::ir::NO_SCOPE`] for none)
    /// and its clauses' range in `clauses`, in the order they are tried.
    pub scopes: Vec<(u32, Range<u32>)>,
    pub clauses: Vec<PadClause>,
    /// Bytes from the frame pointer down to the stack pointer of the
    /// function's body. The unwinder leaves the caught exception's
    /// reference at `fp - frame_size` and payload value `k` at
    /// `fp - frame_size + 8 + 8k`, where its landing pad reads them.
    pub frame_size: u32,
}

/// A catch clause: the module's tag index it catches (or
/// [`crate::ir::CATCH_ALL`]), its landing pad's code offset, whether the
/// pad takes the exception's reference, and whether it is a legacy catch
/// (see [`crate::ir::CatchClause`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PadClause {
    pub tag: u32,
    pub pad: u32,
    pub keeps_ref: bool,
    pub legacy: bool,
}

impl CompiledCode {
    /// The faulting instructions' offsets and trap codes, in order.
    pub fn faults(&self) -> impl Iterator<Item = (u32, TrapCode)> + '_ {
        self.sites.iter().filter_map(|s| match s.kind {
            SiteKind::Fault(code) => Some((s.pc, code)),
            _ => None,
        })
    }
}

impl Handlers {
    /// The first clause that catches an exception leaving at code offset
    /// `at`, where `is_tag(t)` says whether the module's tag `t` is the
    /// exception's.
    pub fn find(&self, at: u32, mut is_tag: impl FnMut(u32) -> bool) -> Option<PadClause> {
        let i = self.sites.binary_search_by_key(&at, |s| s.0).ok()?;
        let mut scope = self.sites[i].1;
        // Each scope's parent was opened before it: the chain is finite,
        // and at most as long as the table.
        for _ in 0..self.scopes.len() {
            let (parent, clauses) = self.scopes.get(scope as usize)?;
            let clauses = self
                .clauses
                .get(clauses.start as usize..clauses.end as usize)?;
            if let Some(c) = clauses
                .iter()
                .find(|c| c.tag == crate::ir::CATCH_ALL || is_tag(c.tag))
            {
                return Some(*c);
            }
            scope = *parent;
        }
        None
    }
}

/// How a trap reaches the trap exit from a site.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SiteKind {
    /// This instruction traps with this code: a new backtrace starts.
    Trap(TrapCode),
    /// This instruction (a memory access whose address may hit the guard
    /// region) faults, and the signal handler enters the trap exit as if
    /// it had called it: a trap with this code.
    Fault(TrapCode),
    /// A libcall returned this trap status: a new backtrace starts.
    Status,
    /// An interpreted or host callee returned a trap status to a call
    /// adapter, having recorded its own frames; the adapter's frame is
    /// not wasm's, and the walk goes on at the call site that called it.
    Adapter,
}

/// A trap site: the value of `pc` at the trap exit (a faulting
/// instruction's offset, or the return offset of a cold path's call to
/// the exit) and where in the wasm code the trap happened.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TrapSite {
    pub pc: u32,
    pub kind: SiteKind,
    /// The module offset of the wasm operator.
    pub wasm_offset: u32,
    /// Inside an inlined callee: the module offset of the call it replaced.
    pub caller_offset: Option<u32>,
}

/// A call's return offset and the wasm call it makes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CallSite {
    pub ret: u32,
    pub wasm_offset: u32,
    pub caller_offset: Option<u32>,
}

/// What an instruction-set back end provides to the shared pipeline.
pub trait Isa {
    /// The ISA's name in listings, e.g. "x86-64".
    fn name(&self) -> &'static str;

    /// The registers the allocator may hand out, per class, in order of
    /// preference. Compiles ask for it every time: build it once.
    fn machine_env(&self) -> &MachineEnv;

    /// The registers `inst` destroys (a call: the caller-saved set).
    fn clobbers(&self, inst: &Inst) -> RegSet;

    /// The name of an allocator register number.
    fn reg_name(&self, r: PReg) -> String;

    /// Machine code for `f` as allocated by `alloc`; functions below
    /// `imported_funcs` are the module's imports.
    fn emit(
        &self,
        f: &Func,
        alloc: &Allocation,
        imported_funcs: u32,
    ) -> Result<CompiledCode, JitError>;

    /// `code` as text, one instruction per line, for `wx explore`.
    fn disassemble(&self, code: &CompiledCode) -> String;
}

/// The back end for the machine wx runs on.
#[cfg(target_arch = "aarch64")]
pub type Host = aarch64::Aarch64;
/// The back end for the machine wx runs on.
#[cfg(not(target_arch = "aarch64"))]
pub type Host = x64::X64;

/// An instruction set the JIT can compile for, whatever the host (`wx
/// explore --target`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Target {
    X86_64,
    Aarch64,
}

impl Target {
    /// The host's target.
    pub fn host() -> Target {
        if cfg!(target_arch = "aarch64") {
            Target::Aarch64
        } else {
            Target::X86_64
        }
    }
}

impl std::str::FromStr for Target {
    type Err = String;

    fn from_str(s: &str) -> Result<Target, String> {
        match s {
            "x86_64" | "x86-64" | "x64" => Ok(Target::X86_64),
            "aarch64" | "arm64" => Ok(Target::Aarch64),
            _ => Err(format!(
                "unknown target `{s}` (expected `x86_64` or `aarch64`)"
            )),
        }
    }
}
