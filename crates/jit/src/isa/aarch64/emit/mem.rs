//! Memory, globals and tables on AArch64.
//!
//! A wasm address is an i32, zero-extended in its register, so an access
//! with no static offset is one instruction, `[x27, w, uxtw]`; with an
//! offset, the address is formed in x16 first. The guard region behind
//! memory 0 turns any out-of-bounds access into a fault at a recorded
//! trap site.

use super::{size, Emitter, L};
use crate::ir::{List, MemKind, Ty, VReg};
use crate::isa::aarch64::abi::{MEMORY_BASE, VMCTX};
use crate::isa::aarch64::asm::{fits_add_imm, AddSubOp, Cond, Extend, FloatSize, Mem, Shift, Size};
use crate::isa::aarch64::regs::Gpr::{X15, X16, X17};
use wx_core::vm::{VMContext, VMMemory, VMTable};
use wx_core::TrapCode;

/// The float size of a float type.
pub(super) fn fsize(ty: Ty) -> FloatSize {
    if ty == Ty::F32 {
        FloatSize::F32
    } else {
        FloatSize::F64
    }
}

impl Emitter<'_> {
    /// The memory operand for `memory 0 + addr + offset`. Uses x16 (and
    /// x17 for offsets of 2^24 or more); the caller reads any other
    /// operand afterwards.
    pub(super) fn address(&mut self, addr: VReg, offset: u32) -> Mem {
        let ra = self.src(addr, X16);
        if offset == 0 {
            return Mem::uxtw(MEMORY_BASE, ra, false);
        }
        self.asm.add_sub_ext(
            AddSubOp::Add,
            Size::S64,
            X16,
            MEMORY_BASE,
            ra,
            Extend::Uxtw,
            0,
        );
        if fits_add_imm(u64::from(offset)) || offset < 1 << 24 {
            self.asm.add_imm(Size::S64, X16, X16, i64::from(offset));
        } else {
            self.asm.mov_imm(Size::S64, X17, u64::from(offset));
            self.asm.add(Size::S64, X16, X16, X17);
        }
        Mem::base(X16)
    }

    pub(super) fn load(&mut self, ty: Ty, kind: MemKind, dst: VReg, addr: VReg, offset: u32) {
        let m = self.address(addr, offset);
        if let L::V(x) = self.loc(dst) {
            // A float straight into its vector register.
            self.trap_site();
            self.asm.ldr_f(fsize(ty), x, m);
            return;
        }
        let d = self.dst(dst, X17);
        self.trap_site();
        let wide = if ty == Ty::I64 { Size::S64 } else { Size::S32 };
        let asm = &mut *self.asm;
        match kind {
            MemKind::Full => asm.ldr(size(ty), d, m),
            MemKind::U8 => asm.ldrb(d, m),
            MemKind::S8 => asm.ldrsb(wide, d, m),
            MemKind::U16 => asm.ldrh(d, m),
            MemKind::S16 => asm.ldrsh(wide, d, m),
            MemKind::U32 => asm.ldr(Size::S32, d, m),
            MemKind::S32 => asm.ldrsw(d, m),
        }
        self.commit(dst, d);
    }

    pub(super) fn store(&mut self, ty: Ty, kind: MemKind, addr: VReg, value: VReg, offset: u32) {
        let m = self.address(addr, offset);
        if let L::V(x) = self.loc(value) {
            self.trap_site();
            self.asm.str_f(fsize(ty), x, m);
            return;
        }
        let rv = self.src(value, X17);
        self.trap_site();
        let asm = &mut *self.asm;
        match kind {
            MemKind::Full => asm.str(size(ty), rv, m),
            MemKind::U8 | MemKind::S8 => asm.strb(rv, m),
            MemKind::U16 | MemKind::S16 => asm.strh(rv, m),
            MemKind::U32 | MemKind::S32 => asm.str(Size::S32, rv, m),
        }
    }

    /// x16 = global `index`'s storage.
    fn global_ptr(&mut self, index: u32) {
        let globals = Mem::offset(VMCTX, std::mem::offset_of!(VMContext, globals) as i64);
        self.asm.ldr(Size::S64, X16, globals);
        let m = self.field(X16, 8 * index as usize);
        self.asm.ldr(Size::S64, X16, m);
    }

    pub(super) fn global_get(&mut self, ty: Ty, dst: VReg, index: u32) {
        self.global_ptr(index);
        if let L::V(x) = self.loc(dst) {
            self.asm.ldr_f(fsize(ty), x, Mem::base(X16));
            return;
        }
        let d = self.dst(dst, X17);
        self.asm.ldr(size(ty), d, Mem::base(X16));
        self.commit(dst, d);
    }

    pub(super) fn global_set(&mut self, ty: Ty, src: VReg, index: u32) {
        self.global_ptr(index);
        if let L::V(x) = self.loc(src) {
            self.asm.str_f(fsize(ty), x, Mem::base(X16));
            return;
        }
        let r = self.src(src, X17);
        self.asm.str(size(ty), r, Mem::base(X16));
    }

    /// `dst` = the `VMFuncRef` of function `func`.
    pub(super) fn func_ref(&mut self, dst: VReg, func: u32) {
        let d = self.dst(dst, X16);
        let funcs = Mem::offset(VMCTX, std::mem::offset_of!(VMContext, funcs) as i64);
        self.asm.ldr(Size::S64, d, funcs);
        let m = self.field(d, 8 * func as usize);
        self.asm.ldr(Size::S64, d, m);
        self.commit(dst, d);
    }

    /// x17 = table `table`'s `VMTable`.
    fn table_ptr(&mut self, table: u32) {
        let tables = Mem::offset(VMCTX, std::mem::offset_of!(VMContext, tables) as i64);
        self.asm.ldr(Size::S64, X17, tables);
        let m = self.field(X17, 8 * table as usize);
        self.asm.ldr(Size::S64, X17, m);
    }

    /// The address of element `index` of table `table`, after trapping
    /// with `out_of_bounds` if it is out of bounds: `[x17, w16, uxtw #3]`.
    /// (With two scratch registers for three values, the `VMTable` is
    /// loaded twice.)
    pub(super) fn table_slot(&mut self, table: u32, index: VReg, out_of_bounds: TrapCode) -> Mem {
        let r = self.src(index, X16);
        self.mov(Size::S32, X16, r);
        self.table_ptr(table);
        self.asm.ldr(
            Size::S32,
            X17,
            Mem::offset(X17, std::mem::offset_of!(VMTable, len) as i64),
        );
        self.asm.cmp(Size::S32, X16, X17);
        self.trap_if(Cond::Hs, out_of_bounds);
        self.table_ptr(table);
        self.asm.ldr(
            Size::S64,
            X17,
            Mem::offset(X17, std::mem::offset_of!(VMTable, base) as i64),
        );
        Mem::uxtw(X17, X16, true)
    }

    pub(super) fn table_size(&mut self, table: u32, dst: VReg) {
        self.table_ptr(table);
        let d = self.dst(dst, X16);
        self.asm.ldr(
            Size::S32,
            d,
            Mem::offset(X17, std::mem::offset_of!(VMTable, len) as i64),
        );
        self.commit(dst, d);
    }

    pub(super) fn table_get(&mut self, table: u32, dst: VReg, index: VReg) {
        let slot = self.table_slot(table, index, TrapCode::TableOutOfBounds);
        let d = self.dst(dst, X16);
        self.asm.ldr(Size::S64, d, slot);
        self.commit(dst, d);
    }

    pub(super) fn table_set(&mut self, table: u32, index: VReg, value: VReg) {
        let slot = self.table_slot(table, index, TrapCode::TableOutOfBounds);
        // x16 and x17 hold the slot's address: the value through x15,
        // which `table.set` clobbers.
        let v = self.src(value, X15);
        self.asm.str(Size::S64, v, slot);
    }

    /// `memory.size`: memory 0's length in 64 KiB pages.
    pub(super) fn memory_size(&mut self, rets: List) {
        let dst = VReg(self.f.list_items(rets)[0]);
        let d = self.dst(dst, X16);
        let memory0 = Mem::offset(VMCTX, std::mem::offset_of!(VMContext, memory0) as i64);
        self.asm.ldr(Size::S64, X17, memory0);
        self.asm.ldr(
            Size::S64,
            d,
            Mem::offset(X17, std::mem::offset_of!(VMMemory, len) as i64),
        );
        self.asm.shift_ri(Shift::Lsr, Size::S64, d, d, 16);
        self.commit(dst, d);
    }
}
