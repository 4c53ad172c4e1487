//! Atomic read-modify-write instructions (threads proposal). x86-64 orders
//! plain loads and stores strongly enough that only stores need `xchg`
//! (implicitly locked) for sequential consistency; read-modify-writes
//! take the `lock` prefix.

use super::{sized, Assembler, Gpr, Mem, Rm, Size};

/// The `lock` prefix.
const LOCK: u8 = 0xf0;

impl Assembler {
    /// `lock xadd [mem], src`: `src` gets the old value, memory the sum.
    pub fn lock_xadd(&mut self, size: Size, mem: Mem, src: Gpr) {
        self.byte(LOCK);
        let op = sized(size, 0xc0, 0xc1);
        self.int_op(size, &[0x0f, op], src.enc(), true, Rm::Mem(mem));
    }

    /// `lock cmpxchg [mem], src`: if memory equals al/ax/eax/rax it gets
    /// `src` (ZF set), else the accumulator gets memory (ZF clear).
    pub fn lock_cmpxchg(&mut self, size: Size, mem: Mem, src: Gpr) {
        self.byte(LOCK);
        let op = sized(size, 0xb0, 0xb1);
        self.int_op(size, &[0x0f, op], src.enc(), true, Rm::Mem(mem));
    }

    /// `xchg [mem], src` (locked by the processor with a memory operand).
    pub fn xchg_mr(&mut self, size: Size, mem: Mem, src: Gpr) {
        let op = sized(size, 0x86, 0x87);
        self.int_op(size, &[op], src.enc(), true, Rm::Mem(mem));
    }

    /// `mfence`.
    pub fn mfence(&mut self) {
        self.put(&[0x0f, 0xae, 0xf0]);
    }
}
