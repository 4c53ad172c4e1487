//! Encode -> decode sweeps: every register combination of every method (and
//! a seeded sample of memory operands and immediates) is encoded, decoded by
//! iced-x86 and compared with what was asked for: one instruction of exactly
//! the encoded length, the intended mnemonic, and each operand's register,
//! memory base/index/scale/displacement/size, or immediate. A REX prefix with
//! no bits set must be justified by a spl/bpl/sil/dil operand, and every
//! displacement must use its shortest encoding.

use iced_x86::{MemorySize, Mnemonic, OpKind, Register};

use super::*;

/// A tiny xorshift64 generator: deterministic samples without a rand crate.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.0 = x;
        x
    }

    fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[(self.next() % items.len() as u64) as usize]
    }

    /// An i32 of random magnitude (small values as likely as large ones).
    fn i32(&mut self) -> i32 {
        let bits = 1 + self.next() % 32;
        let v = self.next() as i64 & ((1i64 << bits) - 1);
        // Sign-extend from `bits` bits.
        ((v << (64 - bits)) >> (64 - bits)) as i32
    }
}

/// An expected operand.
#[derive(Clone, Copy, Debug)]
enum Want {
    /// A register.
    R(Register),
    /// A memory operand accessing this many bytes (0: no access, as for lea).
    M(Mem, u32),
    /// An immediate, compared in its low `bits` bits.
    I(i64, u32),
}
use Want::{I, M, R};

/// The iced-x86 name of `r` at operand size `size`.
fn gpr(r: Gpr, size: Size) -> Register {
    use Register::*;
    const BYTE: [Register; 16] = [
        AL, CL, DL, BL, SPL, BPL, SIL, DIL, R8L, R9L, R10L, R11L, R12L, R13L, R14L, R15L,
    ];
    const WORD: [Register; 16] = [
        AX, CX, DX, BX, SP, BP, SI, DI, R8W, R9W, R10W, R11W, R12W, R13W, R14W, R15W,
    ];
    const DWORD: [Register; 16] = [
        EAX, ECX, EDX, EBX, ESP, EBP, ESI, EDI, R8D, R9D, R10D, R11D, R12D, R13D, R14D, R15D,
    ];
    const QWORD: [Register; 16] = [
        RAX, RCX, RDX, RBX, RSP, RBP, RSI, RDI, R8, R9, R10, R11, R12, R13, R14, R15,
    ];
    let table = match size {
        Size::S8 => &BYTE,
        Size::S16 => &WORD,
        Size::S32 => &DWORD,
        Size::S64 => &QWORD,
    };
    table[r.enc() as usize]
}

/// The iced-x86 name of `x`.
fn xmm(x: Xmm) -> Register {
    use Register::*;
    const XMM: [Register; 16] = [
        XMM0, XMM1, XMM2, XMM3, XMM4, XMM5, XMM6, XMM7, XMM8, XMM9, XMM10, XMM11, XMM12, XMM13,
        XMM14, XMM15,
    ];
    XMM[x.enc() as usize]
}

/// Bytes accessed by an iced memory size, for the sizes this encoder produces.
fn mem_bytes(size: MemorySize) -> Option<u32> {
    Some(match size {
        MemorySize::Unknown => 0,
        MemorySize::UInt8 | MemorySize::Int8 => 1,
        MemorySize::UInt16 | MemorySize::Int16 => 2,
        MemorySize::UInt32 | MemorySize::Int32 | MemorySize::Float32 => 4,
        MemorySize::UInt64 | MemorySize::Int64 | MemorySize::Float64 => 8,
        MemorySize::QwordOffset => 8,
        _ => return None,
    })
}

/// Checks that `code` is one instruction `mnemonic` with operands `want`.
fn check(code: &[u8], mnemonic: Mnemonic, want: &[Want]) -> Result<(), String> {
    let instrs = decode_all(code);
    let [instr] = instrs.as_slice() else {
        return Err(format!("decodes as {} instructions", instrs.len()));
    };
    if instr.is_invalid() || instr.len() != code.len() {
        return Err(format!("decodes {} of {} bytes", instr.len(), code.len()));
    }
    if instr.mnemonic() != mnemonic {
        return Err(format!(
            "mnemonic {:?}, want {mnemonic:?}",
            instr.mnemonic()
        ));
    }
    if instr.op_count() as usize != want.len() {
        return Err(format!(
            "{} operands, want {}",
            instr.op_count(),
            want.len()
        ));
    }
    for (n, w) in want.iter().enumerate() {
        let n = n as u32;
        let kind = instr.op_kind(n);
        match *w {
            R(r) => {
                if kind != OpKind::Register || instr.op_register(n) != r {
                    return Err(format!(
                        "operand {n}: {kind:?} {:?}, want {r:?}",
                        instr.op_register(n)
                    ));
                }
            }
            M(mem, bytes) => {
                if kind != OpKind::Memory {
                    return Err(format!("operand {n}: {kind:?}, want memory"));
                }
                let (index, scale) = match mem.index {
                    Some((i, s)) => (gpr(i, Size::S64), s.factor()),
                    None => (Register::None, 1),
                };
                let got = (
                    instr.memory_base(),
                    instr.memory_index(),
                    instr.memory_index_scale(),
                    instr.memory_displacement64() as i64,
                );
                let want = (gpr(mem.base, Size::S64), index, scale, i64::from(mem.disp));
                if got != want {
                    return Err(format!("memory {got:?}, want {want:?}"));
                }
                // Shortest displacement; iced reports a 64-bit-mode disp32 as 8.
                let displ = if mem.disp == 0 && mem.base.low3() != 0b101 {
                    0
                } else if i8::try_from(mem.disp).is_ok() {
                    1
                } else {
                    8
                };
                if instr.memory_displ_size() != displ {
                    return Err(format!(
                        "displacement size {}, want {displ}",
                        instr.memory_displ_size()
                    ));
                }
                if mem_bytes(instr.memory_size()) != Some(bytes) {
                    return Err(format!(
                        "memory size {:?}, want {bytes} bytes",
                        instr.memory_size()
                    ));
                }
            }
            I(value, bits) => {
                let is_imm = matches!(
                    kind,
                    OpKind::Immediate8
                        | OpKind::Immediate16
                        | OpKind::Immediate32
                        | OpKind::Immediate64
                        | OpKind::Immediate8to16
                        | OpKind::Immediate8to32
                        | OpKind::Immediate8to64
                        | OpKind::Immediate32to64
                );
                let mask = if bits == 64 {
                    u64::MAX
                } else {
                    (1u64 << bits) - 1
                };
                if !is_imm || (instr.immediate(n) ^ value as u64) & mask != 0 {
                    return Err(format!(
                        "operand {n}: {kind:?} {:#x}, want {value:#x}",
                        instr.immediate(n)
                    ));
                }
            }
        }
    }
    // A REX without W/R/X/B is only for spl/bpl/sil/dil (its absence there
    // would have decoded as ah..bh and failed above).
    let rex = code.iter().find(|b| !matches!(b, 0x66 | 0xf2 | 0xf3));
    if rex == Some(&0x40) {
        let byte_reg = want.iter().any(|w| {
            matches!(
                w,
                R(Register::SPL | Register::BPL | Register::SIL | Register::DIL)
            )
        });
        if !byte_reg {
            return Err("REX 40 without a spl/bpl/sil/dil operand".into());
        }
    }
    Ok(())
}

/// Collects results; reports every failure (the first 30) at the end.
struct Sweep {
    rng: Rng,
    checked: usize,
    failures: Vec<String>,
}

impl Sweep {
    fn new(seed: u64) -> Sweep {
        Sweep {
            rng: Rng(seed),
            checked: 0,
            failures: Vec::new(),
        }
    }

    /// Encodes with `f` and checks the result; `call` describes it on failure.
    fn case(
        &mut self,
        call: impl FnOnce() -> String,
        f: impl FnOnce(&mut Assembler),
        mnemonic: Mnemonic,
        want: &[Want],
    ) {
        let mut asm = Assembler::new();
        f(&mut asm);
        let code = asm.finish().expect("no labels");
        self.checked += 1;
        if let Err(e) = check(&code, mnemonic, want) {
            self.failures.push(format!(
                "{}: {} ({}): {e}",
                call(),
                hex(&code),
                intel(&code)
            ));
        }
    }

    /// Memory operands: every base with no index and with every possible
    /// index, each with edge-case and random displacements and a random scale.
    fn mems(&mut self) -> Vec<Mem> {
        let mut out = Vec::new();
        for base in Gpr::ALL {
            let indexes = Gpr::ALL.into_iter().filter(|&r| r != Gpr::Rsp).map(Some);
            for index in std::iter::once(None).chain(indexes) {
                let random = [self.rng.i32(), self.rng.i32()];
                for disp in [0, 1, -1, 127, -128, 128, -129, i32::MAX, i32::MIN]
                    .into_iter()
                    .chain(random)
                {
                    let index = index.map(|i| (i, self.rng.pick(&Scale::ALL)));
                    out.push(Mem { base, index, disp });
                }
            }
        }
        out
    }

    /// Immediates: edge cases and random values.
    fn imms(&mut self) -> Vec<i32> {
        let mut out = vec![
            0,
            1,
            -1,
            127,
            128,
            -128,
            -129,
            255,
            256,
            0x7fff,
            0x8000,
            -0x8000,
            i32::MAX,
            i32::MIN,
        ];
        out.extend((0..6).map(|_| self.rng.i32()));
        out
    }

    fn reg(&mut self) -> Gpr {
        self.rng.pick(&Gpr::ALL)
    }

    fn xreg(&mut self) -> Xmm {
        self.rng.pick(&Xmm::ALL)
    }

    fn finish(self, at_least: usize) {
        let shown: Vec<&String> = self.failures.iter().take(30).collect();
        assert!(
            self.failures.is_empty(),
            "{} of {} encodings wrong:\n{}",
            self.failures.len(),
            self.checked,
            shown
                .iter()
                .map(|s| s.as_str())
                .collect::<Vec<_>>()
                .join("\n")
        );
        assert!(
            self.checked >= at_least,
            "only {} encodings checked",
            self.checked
        );
        eprintln!("{} encodings checked", self.checked);
    }
}

/// Sign-extends `imm` to the operand size's view (what the CPU uses).
fn sext(imm: i32) -> i64 {
    imm.into()
}

fn bits(size: Size) -> u32 {
    size.bytes() * 8
}

fn r(reg: Gpr, size: Size) -> Want {
    R(gpr(reg, size))
}

fn x(reg: Xmm) -> Want {
    R(xmm(reg))
}

fn alu_mnemonic(op: AluOp) -> Mnemonic {
    match op {
        AluOp::Add => Mnemonic::Add,
        AluOp::Or => Mnemonic::Or,
        AluOp::And => Mnemonic::And,
        AluOp::Sub => Mnemonic::Sub,
        AluOp::Xor => Mnemonic::Xor,
        AluOp::Cmp => Mnemonic::Cmp,
    }
}

fn shift_mnemonic(op: ShiftOp) -> Mnemonic {
    match op {
        ShiftOp::Rol => Mnemonic::Rol,
        ShiftOp::Ror => Mnemonic::Ror,
        ShiftOp::Shl => Mnemonic::Shl,
        ShiftOp::Shr => Mnemonic::Shr,
        ShiftOp::Sar => Mnemonic::Sar,
    }
}

fn setcc_mnemonic(cond: Cond) -> Mnemonic {
    use Mnemonic::*;
    [
        Seto, Setno, Setb, Setae, Sete, Setne, Setbe, Seta, Sets, Setns, Setp, Setnp, Setl, Setge,
        Setle, Setg,
    ][cond.enc() as usize]
}

fn cmov_mnemonic(cond: Cond) -> Mnemonic {
    use Mnemonic::*;
    [
        Cmovo, Cmovno, Cmovb, Cmovae, Cmove, Cmovne, Cmovbe, Cmova, Cmovs, Cmovns, Cmovp, Cmovnp,
        Cmovl, Cmovge, Cmovle, Cmovg,
    ][cond.enc() as usize]
}

fn farith_mnemonic(op: FloatOp, fs: FloatSize) -> Mnemonic {
    use Mnemonic::*;
    let (s, d) = match op {
        FloatOp::Add => (Addss, Addsd),
        FloatOp::Sub => (Subss, Subsd),
        FloatOp::Mul => (Mulss, Mulsd),
        FloatOp::Div => (Divss, Divsd),
        FloatOp::Min => (Minss, Minsd),
        FloatOp::Max => (Maxss, Maxsd),
        FloatOp::Sqrt => (Sqrtss, Sqrtsd),
    };
    pick_fs(fs, s, d)
}

fn fbit_mnemonic(op: FloatBitOp, fs: FloatSize) -> Mnemonic {
    use Mnemonic::*;
    let (s, d) = match op {
        FloatBitOp::And => (Andps, Andpd),
        FloatBitOp::AndNot => (Andnps, Andnpd),
        FloatBitOp::Or => (Orps, Orpd),
        FloatBitOp::Xor => (Xorps, Xorpd),
    };
    pick_fs(fs, s, d)
}

fn pick_fs<T>(fs: FloatSize, f32: T, f64: T) -> T {
    match fs {
        FloatSize::F32 => f32,
        FloatSize::F64 => f64,
    }
}

fn fbytes(fs: FloatSize) -> u32 {
    pick_fs(fs, 4, 8)
}

const INT_SIZES: [Size; 4] = Size::ALL;
const WIDE: [Size; 2] = [Size::S32, Size::S64];

#[test]
fn sweep_moves() {
    let mut sw = Sweep::new(0x9e37_79b9_7f4a_7c15);
    let mems = sw.mems();
    for size in INT_SIZES {
        for d in Gpr::ALL {
            for s in Gpr::ALL {
                sw.case(
                    || format!("mov_rr({size:?}, {d:?}, {s:?})"),
                    |a| a.mov_rr(size, d, s),
                    Mnemonic::Mov,
                    &[r(d, size), r(s, size)],
                );
            }
            for imm in sw.imms() {
                sw.case(
                    || format!("mov_ri({size:?}, {d:?}, {imm})"),
                    |a| a.mov_ri(size, d, imm),
                    Mnemonic::Mov,
                    &[r(d, size), I(sext(imm), bits(size))],
                );
            }
        }
        for &mem in &mems {
            let g = sw.reg();
            let imm = sw.rng.i32();
            sw.case(
                || format!("load({size:?}, {g:?}, {mem:?})"),
                |a| a.load(size, g, mem),
                Mnemonic::Mov,
                &[r(g, size), M(mem, size.bytes())],
            );
            sw.case(
                || format!("store({size:?}, {mem:?}, {g:?})"),
                |a| a.store(size, mem, g),
                Mnemonic::Mov,
                &[M(mem, size.bytes()), r(g, size)],
            );
            sw.case(
                || format!("store_imm({size:?}, {mem:?}, {imm})"),
                |a| a.store_imm(size, mem, imm),
                Mnemonic::Mov,
                &[M(mem, size.bytes()), I(sext(imm), bits(size))],
            );
        }
    }
    for d in Gpr::ALL {
        let mut imms: Vec<u64> = vec![
            0,
            1,
            u32::MAX.into(),
            1 << 32,
            u64::MAX,
            i32::MIN as i64 as u64,
            0x8000_0000,
        ];
        imms.extend((0..8).map(|_| sw.rng.next()));
        for imm in imms {
            sw.case(
                || format!("movabs({d:?}, {imm:#x})"),
                |a| a.movabs(d, imm),
                Mnemonic::Mov,
                &[r(d, Size::S64), I(imm as i64, 64)],
            );
            // The shortest form: its register size is what the decoder shows.
            let size = if imm <= u32::MAX.into() {
                Size::S32
            } else {
                Size::S64
            };
            sw.case(
                || format!("mov_imm64({d:?}, {imm:#x})"),
                |a| a.mov_imm64(d, imm),
                Mnemonic::Mov,
                &[r(d, size), I(imm as i64, bits(size))],
            );
            let len = emit(|a| a.mov_imm64(d, imm)).len();
            let rex = usize::from(d.is_extended());
            let want_len = if imm <= u32::MAX.into() {
                5 + rex
            } else if i32::try_from(imm as i64).is_ok() {
                7
            } else {
                10
            };
            assert_eq!(len, want_len, "mov_imm64({d:?}, {imm:#x}) length");
        }
    }
    for ext in ExtMode::ALL {
        for d in Gpr::ALL {
            for s in Gpr::ALL {
                let (mn, want) = match ext {
                    ExtMode::LQ => (Mnemonic::Mov, [r(d, Size::S32), r(s, Size::S32)]),
                    _ => (Mnemonic::Movzx, [r(d, Size::S32), r(s, ext.from())]),
                };
                sw.case(
                    || format!("movzx_rr({ext:?}, {d:?}, {s:?})"),
                    |a| a.movzx_rr(ext, d, s),
                    mn,
                    &want,
                );
                let (mn, want) = match ext {
                    ExtMode::LQ => (Mnemonic::Movsxd, [r(d, Size::S64), r(s, Size::S32)]),
                    _ => (Mnemonic::Movsx, [r(d, ext.to()), r(s, ext.from())]),
                };
                sw.case(
                    || format!("movsx_rr({ext:?}, {d:?}, {s:?})"),
                    |a| a.movsx_rr(ext, d, s),
                    mn,
                    &want,
                );
            }
        }
        for &mem in &mems {
            let d = sw.reg();
            let bytes = ext.from().bytes();
            let (mn, want) = match ext {
                ExtMode::LQ => (Mnemonic::Mov, [r(d, Size::S32), M(mem, bytes)]),
                _ => (Mnemonic::Movzx, [r(d, Size::S32), M(mem, bytes)]),
            };
            sw.case(
                || format!("movzx_rm({ext:?}, {d:?}, {mem:?})"),
                |a| a.movzx_rm(ext, d, mem),
                mn,
                &want,
            );
            let mn = if ext == ExtMode::LQ {
                Mnemonic::Movsxd
            } else {
                Mnemonic::Movsx
            };
            sw.case(
                || format!("movsx_rm({ext:?}, {d:?}, {mem:?})"),
                |a| a.movsx_rm(ext, d, mem),
                mn,
                &[r(d, ext.to()), M(mem, bytes)],
            );
        }
    }
    for size in WIDE {
        for &mem in &mems {
            let d = sw.reg();
            sw.case(
                || format!("lea({size:?}, {d:?}, {mem:?})"),
                |a| a.lea(size, d, mem),
                Mnemonic::Lea,
                &[r(d, size), M(mem, 0)],
            );
        }
    }
    sw.finish(50_000);
}

#[test]
fn sweep_alu() {
    let mut sw = Sweep::new(0x2545_f491_4f6c_dd1d);
    let mems = sw.mems();
    for op in AluOp::ALL {
        let mn = alu_mnemonic(op);
        for size in INT_SIZES {
            for d in Gpr::ALL {
                for s in Gpr::ALL {
                    sw.case(
                        || format!("alu_rr({op:?}, {size:?}, {d:?}, {s:?})"),
                        |a| a.alu_rr(op, size, d, s),
                        mn,
                        &[r(d, size), r(s, size)],
                    );
                }
                for imm in sw.imms() {
                    sw.case(
                        || format!("alu_ri({op:?}, {size:?}, {d:?}, {imm})"),
                        |a| a.alu_ri(op, size, d, imm),
                        mn,
                        &[r(d, size), I(sext(imm), bits(size))],
                    );
                }
            }
            for &mem in &mems {
                let g = sw.reg();
                sw.case(
                    || format!("alu_rm({op:?}, {size:?}, {g:?}, {mem:?})"),
                    |a| a.alu_rm(op, size, g, mem),
                    mn,
                    &[r(g, size), M(mem, size.bytes())],
                );
                sw.case(
                    || format!("alu_mr({op:?}, {size:?}, {mem:?}, {g:?})"),
                    |a| a.alu_mr(op, size, mem, g),
                    mn,
                    &[M(mem, size.bytes()), r(g, size)],
                );
            }
        }
    }
    for size in INT_SIZES {
        for d in Gpr::ALL {
            for s in Gpr::ALL {
                sw.case(
                    || format!("test_rr({size:?}, {d:?}, {s:?})"),
                    |a| a.test_rr(size, d, s),
                    Mnemonic::Test,
                    &[r(d, size), r(s, size)],
                );
            }
            for imm in sw.imms() {
                sw.case(
                    || format!("test_ri({size:?}, {d:?}, {imm})"),
                    |a| a.test_ri(size, d, imm),
                    Mnemonic::Test,
                    &[r(d, size), I(sext(imm), bits(size))],
                );
            }
        }
        for &mem in &mems {
            let g = sw.reg();
            sw.case(
                || format!("test_mr({size:?}, {mem:?}, {g:?})"),
                |a| a.test_mr(size, mem, g),
                Mnemonic::Test,
                &[M(mem, size.bytes()), r(g, size)],
            );
        }
    }
    sw.finish(100_000);
}

#[test]
fn sweep_mul_div_unary() {
    let mut sw = Sweep::new(0x1234_5678_9abc_def1);
    let mems = sw.mems();
    for size in WIDE {
        for d in Gpr::ALL {
            for s in Gpr::ALL {
                sw.case(
                    || format!("imul_rr({size:?}, {d:?}, {s:?})"),
                    |a| a.imul_rr(size, d, s),
                    Mnemonic::Imul,
                    &[r(d, size), r(s, size)],
                );
                let imm = sw.rng.i32();
                sw.case(
                    || format!("imul_rri({size:?}, {d:?}, {s:?}, {imm})"),
                    |a| a.imul_rri(size, d, s, imm),
                    Mnemonic::Imul,
                    &[r(d, size), r(s, size), I(sext(imm), bits(size))],
                );
            }
        }
        for &mem in &mems {
            let d = sw.reg();
            sw.case(
                || format!("imul_rm({size:?}, {d:?}, {mem:?})"),
                |a| a.imul_rm(size, d, mem),
                Mnemonic::Imul,
                &[r(d, size), M(mem, size.bytes())],
            );
        }
    }
    type Unary = fn(&mut Assembler, Size, Gpr);
    let unary: [(&str, Unary, Mnemonic); 4] = [
        ("neg", Assembler::neg, Mnemonic::Neg),
        ("not", Assembler::not, Mnemonic::Not),
        ("div", Assembler::div, Mnemonic::Div),
        ("idiv", Assembler::idiv, Mnemonic::Idiv),
    ];
    for (name, f, mn) in unary {
        for size in INT_SIZES {
            for g in Gpr::ALL {
                sw.case(
                    || format!("{name}({size:?}, {g:?})"),
                    |a| f(a, size, g),
                    mn,
                    &[r(g, size)],
                );
            }
        }
    }
    sw.case(|| "cdq()".into(), |a| a.cdq(), Mnemonic::Cdq, &[]);
    sw.case(|| "cqo()".into(), |a| a.cqo(), Mnemonic::Cqo, &[]);
    sw.finish(5_000);
}

#[test]
fn sweep_shifts_and_bits() {
    let mut sw = Sweep::new(0x0bad_cafe_f00d_d00d);
    for op in ShiftOp::ALL {
        let mn = shift_mnemonic(op);
        for size in INT_SIZES {
            for d in Gpr::ALL {
                sw.case(
                    || format!("shift_cl({op:?}, {size:?}, {d:?})"),
                    |a| a.shift_cl(op, size, d),
                    mn,
                    &[r(d, size), R(Register::CL)],
                );
                let random = sw.rng.next() as u8;
                for imm in [0, 1, 2, 7, 8, 15, 16, 31, 32, 63, 255, random] {
                    sw.case(
                        || format!("shift_ri({op:?}, {size:?}, {d:?}, {imm})"),
                        |a| a.shift_ri(op, size, d, imm),
                        mn,
                        &[r(d, size), I(imm.into(), 8)],
                    );
                }
            }
        }
    }
    type BitOp = fn(&mut Assembler, Size, Gpr, Gpr);
    let bit_ops: [(&str, BitOp, Mnemonic); 5] = [
        ("lzcnt", Assembler::lzcnt, Mnemonic::Lzcnt),
        ("tzcnt", Assembler::tzcnt, Mnemonic::Tzcnt),
        ("popcnt", Assembler::popcnt, Mnemonic::Popcnt),
        ("bsf", Assembler::bsf, Mnemonic::Bsf),
        ("bsr", Assembler::bsr, Mnemonic::Bsr),
    ];
    for (name, f, mn) in bit_ops {
        for size in WIDE {
            for d in Gpr::ALL {
                for s in Gpr::ALL {
                    sw.case(
                        || format!("{name}({size:?}, {d:?}, {s:?})"),
                        |a| f(a, size, d, s),
                        mn,
                        &[r(d, size), r(s, size)],
                    );
                }
            }
        }
    }
    sw.finish(5_000);
}

#[test]
fn sweep_conditions() {
    let mut sw = Sweep::new(0x5851_f42d_4c95_7f2d);
    let mems = sw.mems();
    for cond in Cond::ALL {
        assert_eq!(cond.invert().invert(), cond);
        assert_ne!(cond.invert(), cond);
        for d in Gpr::ALL {
            sw.case(
                || format!("setcc({cond:?}, {d:?})"),
                |a| a.setcc(cond, d),
                setcc_mnemonic(cond),
                &[r(d, Size::S8)],
            );
        }
        let mn = cmov_mnemonic(cond);
        for size in WIDE {
            for d in Gpr::ALL {
                for s in Gpr::ALL {
                    sw.case(
                        || format!("cmov_rr({cond:?}, {size:?}, {d:?}, {s:?})"),
                        |a| a.cmov_rr(cond, size, d, s),
                        mn,
                        &[r(d, size), r(s, size)],
                    );
                }
            }
            // A sample of the memory operands per condition.
            for _ in 0..200 {
                let mem = sw.rng.pick(&mems);
                let d = sw.reg();
                sw.case(
                    || format!("cmov_rm({cond:?}, {size:?}, {d:?}, {mem:?})"),
                    |a| a.cmov_rm(cond, size, d, mem),
                    mn,
                    &[r(d, size), M(mem, size.bytes())],
                );
            }
        }
    }
    sw.finish(10_000);
}

#[test]
fn sweep_control() {
    let mut sw = Sweep::new(0xdead_beef_0123_4567);
    let mems = sw.mems();
    for g in Gpr::ALL {
        let q = r(g, Size::S64);
        sw.case(
            || format!("jmp_r({g:?})"),
            |a| a.jmp_r(g),
            Mnemonic::Jmp,
            &[q],
        );
        sw.case(
            || format!("call_r({g:?})"),
            |a| a.call_r(g),
            Mnemonic::Call,
            &[q],
        );
        sw.case(
            || format!("push({g:?})"),
            |a| a.push(g),
            Mnemonic::Push,
            &[q],
        );
        sw.case(|| format!("pop({g:?})"), |a| a.pop(g), Mnemonic::Pop, &[q]);
    }
    for &mem in &mems {
        sw.case(
            || format!("jmp_m({mem:?})"),
            |a| a.jmp_m(mem),
            Mnemonic::Jmp,
            &[M(mem, 8)],
        );
        sw.case(
            || format!("call_m({mem:?})"),
            |a| a.call_m(mem),
            Mnemonic::Call,
            &[M(mem, 8)],
        );
    }
    sw.case(|| "ret()".into(), |a| a.ret(), Mnemonic::Ret, &[]);
    sw.case(|| "ud2()".into(), |a| a.ud2(), Mnemonic::Ud2, &[]);
    sw.case(|| "int3()".into(), |a| a.int3(), Mnemonic::Int3, &[]);
    sw.case(|| "nop()".into(), |a| a.nop(), Mnemonic::Nop, &[]);
    sw.finish(5_000);
}

#[test]
fn sweep_sse() {
    let mut sw = Sweep::new(0x6a09_e667_f3bc_c908);
    let mems = sw.mems();
    for fs in FloatSize::ALL {
        let movs = pick_fs(fs, Mnemonic::Movss, Mnemonic::Movsd);
        let fb = fbytes(fs);
        for d in Xmm::ALL {
            for s in Xmm::ALL {
                let (dx, sx) = (x(d), x(s));
                sw.case(
                    || format!("fmov_rr({fs:?}, {d:?}, {s:?})"),
                    |a| a.fmov_rr(fs, d, s),
                    movs,
                    &[dx, sx],
                );
                for op in FloatOp::ALL {
                    sw.case(
                        || format!("farith_rr({op:?}, {fs:?}, {d:?}, {s:?})"),
                        |a| a.farith_rr(op, fs, d, s),
                        farith_mnemonic(op, fs),
                        &[dx, sx],
                    );
                }
                for op in FloatBitOp::ALL {
                    sw.case(
                        || format!("fbit_rr({op:?}, {fs:?}, {d:?}, {s:?})"),
                        |a| a.fbit_rr(op, fs, d, s),
                        fbit_mnemonic(op, fs),
                        &[dx, sx],
                    );
                }
                let ucomis = pick_fs(fs, Mnemonic::Ucomiss, Mnemonic::Ucomisd);
                sw.case(
                    || format!("ucomis_rr({fs:?}, {d:?}, {s:?})"),
                    |a| a.ucomis_rr(fs, d, s),
                    ucomis,
                    &[dx, sx],
                );
                for mode in RoundMode::ALL {
                    sw.case(
                        || format!("rounds({fs:?}, {mode:?}, {d:?}, {s:?})"),
                        |a| a.rounds(fs, mode, d, s),
                        pick_fs(fs, Mnemonic::Roundss, Mnemonic::Roundsd),
                        &[dx, sx, I(mode as i64, 8)],
                    );
                }
            }
            for size in WIDE {
                for g in Gpr::ALL {
                    sw.case(
                        || format!("cvtsi2s({fs:?}, {size:?}, {d:?}, {g:?})"),
                        |a| a.cvtsi2s(fs, size, d, g),
                        pick_fs(fs, Mnemonic::Cvtsi2ss, Mnemonic::Cvtsi2sd),
                        &[x(d), r(g, size)],
                    );
                    sw.case(
                        || format!("cvtts2si({fs:?}, {size:?}, {g:?}, {d:?})"),
                        |a| a.cvtts2si(fs, size, g, d),
                        pick_fs(fs, Mnemonic::Cvttss2si, Mnemonic::Cvttsd2si),
                        &[r(g, size), x(d)],
                    );
                }
            }
        }
        for &mem in &mems {
            let reg = sw.xreg();
            sw.case(
                || format!("fload({fs:?}, {reg:?}, {mem:?})"),
                |a| a.fload(fs, reg, mem),
                movs,
                &[x(reg), M(mem, fb)],
            );
            sw.case(
                || format!("fstore({fs:?}, {mem:?}, {reg:?})"),
                |a| a.fstore(fs, mem, reg),
                movs,
                &[M(mem, fb), x(reg)],
            );
            let ucomis = pick_fs(fs, Mnemonic::Ucomiss, Mnemonic::Ucomisd);
            sw.case(
                || format!("ucomis_rm({fs:?}, {reg:?}, {mem:?})"),
                |a| a.ucomis_rm(fs, reg, mem),
                ucomis,
                &[x(reg), M(mem, fb)],
            );
            let op = sw.rng.pick(&FloatOp::ALL);
            sw.case(
                || format!("farith_rm({op:?}, {fs:?}, {reg:?}, {mem:?})"),
                |a| a.farith_rm(op, fs, reg, mem),
                farith_mnemonic(op, fs),
                &[x(reg), M(mem, fb)],
            );
        }
    }
    for d in Xmm::ALL {
        for s in Xmm::ALL {
            sw.case(
                || format!("movaps({d:?}, {s:?})"),
                |a| a.movaps(d, s),
                Mnemonic::Movaps,
                &[x(d), x(s)],
            );
            sw.case(
                || format!("cvtss2sd({d:?}, {s:?})"),
                |a| a.cvtss2sd(d, s),
                Mnemonic::Cvtss2sd,
                &[x(d), x(s)],
            );
            sw.case(
                || format!("cvtsd2ss({d:?}, {s:?})"),
                |a| a.cvtsd2ss(d, s),
                Mnemonic::Cvtsd2ss,
                &[x(d), x(s)],
            );
        }
        for size in WIDE {
            let mn = if size == Size::S64 {
                Mnemonic::Movq
            } else {
                Mnemonic::Movd
            };
            for g in Gpr::ALL {
                sw.case(
                    || format!("movd_to_xmm({size:?}, {d:?}, {g:?})"),
                    |a| a.movd_to_xmm(size, d, g),
                    mn,
                    &[x(d), r(g, size)],
                );
                sw.case(
                    || format!("movd_from_xmm({size:?}, {g:?}, {d:?})"),
                    |a| a.movd_from_xmm(size, g, d),
                    mn,
                    &[r(g, size), x(d)],
                );
            }
        }
    }
    sw.finish(30_000);
}

/// The rsp index check is a caller bug, not an encoding: it panics.
#[test]
#[should_panic(expected = "rsp cannot be an index")]
fn rsp_index_panics() {
    emit(|a| {
        a.load(
            Size::S64,
            Gpr::Rax,
            Mem::indexed(Gpr::Rax, Gpr::Rsp, Scale::X1, 0),
        )
    });
}

/// Sizes an instruction does not have are caller bugs: they panic.
#[test]
#[should_panic(expected = "imul has no S8 form")]
fn byte_imul_panics() {
    emit(|a| a.imul_rr(Size::S8, Gpr::Rax, Gpr::Rcx));
}
