//! Atomics (threads proposal): load-acquire and store-release, exclusive
//! load/store pairs, and the ARMv8.1 LSE read-modify-writes and
//! compare-and-swap, all with acquire-release ordering.
//!
//! Each takes its address in a base register alone (`[xn]`, which may be
//! `sp`); data and status registers may be `xzr` (never `sp`). The
//! register names follow the access width: `w` registers for `B`, `H` and
//! `W`, `x` registers for `X`.
//!
//! Sequentially consistent wasm accesses map onto these directly: an
//! `ldar` load, an `stlr` store, and read-modify-writes as one `*al` LSE
//! instruction, or, without LSE, an `ldaxr`/`stlxr` loop.

use super::{Assembler, Gpr, Width};

/// An LSE atomic read-modify-write; the discriminant is `o3:opc` (bits 15:12).
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub enum AtomicRmwOp {
    /// `ldaddal`: memory += `rs`.
    Add = 0b0000,
    /// `ldclral`: memory &= !`rs` (wasm's `and` passes the complement).
    Clr = 0b0001,
    /// `ldeoral`: memory ^= `rs`.
    Eor = 0b0010,
    /// `ldsetal`: memory |= `rs`.
    Set = 0b0011,
    /// `swpal`: memory = `rs`.
    Swp = 0b1000,
}

impl AtomicRmwOp {
    /// All five operations.
    pub const ALL: [AtomicRmwOp; 5] = [
        AtomicRmwOp::Add,
        AtomicRmwOp::Clr,
        AtomicRmwOp::Eor,
        AtomicRmwOp::Set,
        AtomicRmwOp::Swp,
    ];
}

impl Assembler {
    /// A load/store exclusive or ordered access: `base` holds every fixed
    /// bit, `rs` is the status/compare register's encoding (or 31).
    fn exclusive(&mut self, base: u32, width: Width, rs: u32, rt: Gpr, rn: Gpr) {
        let (rt, rn) = (self.rz(rt), self.rs(rn));
        self.emit(((width as u32) << 30) | base | (rs << 16) | (rn << 5) | rt);
    }

    /// `ldar rt, [rn]`: a load-acquire.
    pub fn ldar(&mut self, width: Width, rt: Gpr, rn: Gpr) {
        self.exclusive(0x08df_fc00, width, 0, rt, rn);
    }

    /// `stlr rt, [rn]`: a store-release.
    pub fn stlr(&mut self, width: Width, rt: Gpr, rn: Gpr) {
        self.exclusive(0x089f_fc00, width, 0, rt, rn);
    }

    /// `ldxr rt, [rn]`: a load-exclusive (opens an exclusive monitor).
    pub fn ldxr(&mut self, width: Width, rt: Gpr, rn: Gpr) {
        self.exclusive(0x085f_7c00, width, 0, rt, rn);
    }

    /// `ldaxr rt, [rn]`: a load-acquire exclusive.
    pub fn ldaxr(&mut self, width: Width, rt: Gpr, rn: Gpr) {
        self.exclusive(0x085f_fc00, width, 0, rt, rn);
    }

    /// Checks the status register of a store-exclusive: a `w` register
    /// other than the data and address registers (else the result is
    /// unpredictable).
    fn status_reg(&mut self, rs: Gpr, rt: Gpr, rn: Gpr) -> Option<u32> {
        if rs == rt || rs == rn || rs == Gpr::Sp {
            self.unencodable("a store-exclusive status register that is also data or address");
            return None;
        }
        Some(u32::from(rs.enc()))
    }

    /// `stxr ws, rt, [rn]`: a store-exclusive; `ws` gets 0 if it stored,
    /// 1 if the monitor was lost.
    pub fn stxr(&mut self, width: Width, rs: Gpr, rt: Gpr, rn: Gpr) {
        if let Some(rs) = self.status_reg(rs, rt, rn) {
            self.exclusive(0x0800_7c00, width, rs, rt, rn);
        }
    }

    /// `stlxr ws, rt, [rn]`: a store-release exclusive; `ws` as for `stxr`.
    pub fn stlxr(&mut self, width: Width, rs: Gpr, rt: Gpr, rn: Gpr) {
        if let Some(rs) = self.status_reg(rs, rt, rn) {
            self.exclusive(0x0800_fc00, width, rs, rt, rn);
        }
    }

    /// `ldaddal`/`ldclral`/`ldeoral`/`ldsetal`/`swpal rs, rt, [rn]`
    /// (LSE, acquire-release): `rt` gets the old value, memory the old
    /// value combined with `rs`.
    pub fn atomic_rmw(&mut self, op: AtomicRmwOp, width: Width, rs: Gpr, rt: Gpr, rn: Gpr) {
        let (rs, rt, rn) = (self.rz(rs), self.rz(rt), self.rs(rn));
        self.emit(
            ((width as u32) << 30)
                | 0x38e0_0000
                | (rs << 16)
                | ((op as u32) << 12)
                | (rn << 5)
                | rt,
        );
    }

    /// `casal rs, rt, [rn]` (LSE, acquire-release): if memory equals `rs`
    /// it gets `rt`; `rs` gets the old value either way.
    pub fn casal(&mut self, width: Width, rs: Gpr, rt: Gpr, rn: Gpr) {
        let rs = self.rz(rs);
        self.exclusive(0x08e0_fc00, width, rs, rt, rn);
    }
}
