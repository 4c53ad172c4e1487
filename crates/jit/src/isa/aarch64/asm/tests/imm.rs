//! Immediate encoders: bitmask immediates exhaustively against the
//! architecture's decoder, float immediates, add/sub immediates, memory
//! offsets, and constant loads executed on a model of the instructions.

use std::collections::HashSet;

use yaxpeax_arm::armv8::a64::{Opcode as O, Operand as P};

use super::*;
use crate::isa::aarch64::asm::{
    decode_fmov_imm, decode_logical_imm, encode_fmov_imm, encode_logical_imm, fits_add_imm,
    fits_fmov_imm, fits_logical_imm, mov_imm_len,
};
use crate::isa::aarch64::{FloatSize, Gpr, Mem, Size, Width};

/// xorshift64.
fn next(state: &mut u64) -> u64 {
    let mut x = *state;
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    *state = x;
    x
}

/// Every value a bitmask immediate can hold at `size`, from all 2^13 patterns.
fn all_bitmasks(size: Size) -> HashSet<u64> {
    (0..1u32 << 13)
        .filter_map(|p| decode_logical_imm(p, size))
        .collect()
}

#[test]
fn logical_imm_exhaustive() {
    for (size, count) in [(Size::S32, 1302), (Size::S64, 5334)] {
        let values = all_bitmasks(size);
        // The architecture's count of distinct bitmask immediates.
        assert_eq!(values.len(), count, "{size:?}");
        for p in 0..1u32 << 13 {
            let Some(value) = decode_logical_imm(p, size) else {
                continue;
            };
            let enc = encode_logical_imm(value, size)
                .unwrap_or_else(|| panic!("{size:?} {value:#x} (pattern {p:#x}) not encoded"));
            assert_eq!(
                decode_logical_imm(enc, size),
                Some(value),
                "{size:?} {value:#x}"
            );
            assert!(fits_logical_imm(value, size));
        }
        // Anything else is refused: one-bit changes of every bitmask, the
        // extremes, and a sample of random values.
        let mut state = 0x8765_4321_0fed_cba9u64;
        let mut candidates = vec![0, size.mask(), 1 << 32, (1 << 32) - 1];
        for &v in values.iter() {
            let bit = next(&mut state) % u64::from(size.bits());
            candidates.push(v ^ (1 << bit));
        }
        for _ in 0..100_000 {
            candidates.push(next(&mut state) & size.mask());
        }
        for v in candidates {
            let v = v & size.mask();
            assert_eq!(
                encode_logical_imm(v, size).is_some(),
                values.contains(&v),
                "{size:?} {v:#x}"
            );
        }
    }
    // At S32 only the low 32 bits count.
    assert_eq!(
        encode_logical_imm(0xffff_ffff_0000_00ff, Size::S32),
        encode_logical_imm(0xff, Size::S32)
    );
    // Reserved patterns decode to nothing.
    assert_eq!(decode_logical_imm(0b0_000000_111111, Size::S64), None);
    assert_eq!(decode_logical_imm(0b1_000000_000000, Size::S32), None);
}

#[test]
fn fmov_imm() {
    for size in FloatSize::ALL {
        let mut seen = HashSet::new();
        for imm8 in 0..=255u8 {
            let bits = decode_fmov_imm(size, imm8);
            assert!(seen.insert(bits));
            assert_eq!(
                encode_fmov_imm(size, bits),
                Some(imm8),
                "{size:?} {imm8:#x}"
            );
            let v = match size {
                FloatSize::F32 => f64::from(f32::from_bits(bits as u32)),
                FloatSize::F64 => f64::from_bits(bits),
            };
            // ±(16..=31)/16 * 2^(-3..=4).
            let a = v.abs();
            assert!((0.125..=31.0).contains(&a), "{v}");
            assert_eq!((a * 128.0).fract(), 0.0, "{v}");
        }
        let mut state = 0x1111_2222_3333_4444u64;
        for _ in 0..100_000 {
            let bits = next(&mut state);
            let bits = match size {
                FloatSize::F32 => bits & 0xffff_ffff,
                FloatSize::F64 => bits,
            };
            assert_eq!(fits_fmov_imm(size, bits), seen.contains(&bits));
        }
    }
    let f32_bits = |f: f32| u64::from(f.to_bits());
    assert!(fits_fmov_imm(FloatSize::F32, f32_bits(1.0)));
    assert!(fits_fmov_imm(FloatSize::F32, f32_bits(-0.5)));
    assert!(!fits_fmov_imm(FloatSize::F32, f32_bits(0.0)));
    assert!(!fits_fmov_imm(FloatSize::F32, f32_bits(0.1)));
    assert!(!fits_fmov_imm(FloatSize::F32, f32_bits(32.0)));
    assert!(fits_fmov_imm(FloatSize::F64, 2.5f64.to_bits()));
    assert!(!fits_fmov_imm(FloatSize::F64, f64::NAN.to_bits()));
    assert!(!fits_fmov_imm(FloatSize::F64, f64::INFINITY.to_bits()));
    // At F32 only the low 32 bits count.
    assert!(fits_fmov_imm(FloatSize::F32, f32_bits(1.0) | 1 << 40));
}

#[test]
fn add_imm_fits() {
    for (imm, fits) in [
        (0, true),
        (4095, true),
        (4096, true),
        (4097, false),
        (0xfff000, true),
        (0x1000000, false),
        (0xfff001, false),
        (u64::MAX, false),
    ] {
        assert_eq!(fits_add_imm(imm), fits, "{imm:#x}");
    }
}

#[test]
fn memory_offsets_fit() {
    use Width::*;
    let x1 = Gpr::X1;
    for (mem, width, fits) in [
        (Mem::offset(x1, 0), X, true),
        (Mem::offset(x1, 32760), X, true),
        (Mem::offset(x1, 32768), X, false),
        (Mem::offset(x1, 32761), X, false),
        (Mem::offset(x1, 255), X, true),
        (Mem::offset(x1, 256), X, true),
        (Mem::offset(x1, 257), X, false),
        (Mem::offset(x1, -256), B, true),
        (Mem::offset(x1, -257), B, false),
        (Mem::offset(x1, 4095), B, true),
        (Mem::offset(x1, 4096), B, false),
        (Mem::offset(x1, 8190), H, true),
        (Mem::offset(x1, 8191), H, false),
        (Mem::offset(x1, 16380), W, true),
        (Mem::offset(x1, i64::MAX), W, false),
        (Mem::offset(x1, i64::MIN), W, false),
        (Mem::pre(x1, 255), X, true),
        (Mem::pre(x1, 256), X, false),
        (Mem::post(x1, -256), X, true),
        (Mem::post(x1, -257), B, false),
        (Mem::index(x1, Gpr::X2), X, true),
    ] {
        assert_eq!(mem.fits(width), fits, "{mem:?} {width:?}");
    }
    for (mem, width, fits) in [
        (Mem::offset(x1, 504), X, true),
        (Mem::offset(x1, 512), X, false),
        (Mem::offset(x1, -512), X, true),
        (Mem::offset(x1, -520), X, false),
        (Mem::offset(x1, 4), X, false),
        (Mem::pre(x1, 252), W, true),
        (Mem::post(x1, -256), W, true),
        (Mem::post(x1, -260), W, false),
        (Mem::index(x1, Gpr::X2), X, false),
    ] {
        assert_eq!(mem.fits_pair(width), fits, "{mem:?} {width:?}");
    }
}

/// Runs the constant-load sequence in `code` on a model of `movz`, `movn`,
/// `movk` and `orr #imm` and returns the register's value.
fn run_constant_load(code: &[u8], size: Size) -> u64 {
    let mut value = 0u64;
    for w in words(code) {
        let inst = disasm::decode_word(w).expect("decodes");
        let (imm, shift) = match inst.operands[1] {
            P::ImmShift(imm, shift) => (u64::from(imm), u32::from(shift)),
            _ => (0, 0),
        };
        value = match inst.opcode {
            O::MOVZ => imm << shift,
            O::MOVN => !(imm << shift),
            O::MOVK => (value & !(0xffff << shift)) | (imm << shift),
            O::ORR => match inst.operands[2] {
                P::Immediate(v) => u64::from(v),
                P::Imm64(v) => v,
                other => panic!("orr operand {other:?}"),
            },
            other => panic!("unexpected {other:?} in a constant load"),
        } & size.mask();
    }
    value
}

#[test]
fn constant_loads() {
    let mut state = 0x0123_4567_89ab_cdefu64;
    let mut values = vec![
        0,
        1,
        u64::MAX,
        0xffff,
        0xffff_0000,
        0x8000_0000_0000_0000,
        0x7fff_ffff_ffff_ffff,
        0x0000_ffff_0000_ffff,
        0x1234_5678_9abc_def0,
        0xffff_ffff_1234_5678,
        0x00ff_00ff_1234_00ff,
    ];
    for _ in 0..20_000 {
        let r = next(&mut state);
        // Mix in halfwords of zeros and ones, which the sequences exploit.
        let mask = next(&mut state);
        let fill = next(&mut state);
        let mut v = r;
        for i in 0..4 {
            match (mask >> (2 * i)) & 3 {
                0 => v &= !(0xffff << (16 * i)),
                1 => v |= 0xffff << (16 * i),
                _ => {}
            }
        }
        values.push(v);
        values.push(fill & 0xff);
    }
    for size in Size::ALL {
        let bitmasks = all_bitmasks(size);
        for &v in values.iter().chain(bitmasks.iter()) {
            let v = v & size.mask();
            let code = emit(|a| a.mov_imm(size, Gpr::X7, v));
            assert_eq!(run_constant_load(&code, size), v, "{size:?} {v:#x}");
            let n = code.len() / 4;
            assert_eq!(n, mov_imm_len(size, v), "{size:?} {v:#x}");
            // Never longer than patching every halfword that is neither
            // all zeros nor all ones, after a first movz/movn.
            let halves = (0..size.bits() / 16).map(|i| (v >> (16 * i)) as u16);
            let zeros = halves.clone().filter(|&h| h != 0).count();
            let ones = halves.filter(|&h| h != 0xffff).count();
            assert!(n <= zeros.min(ones).max(1), "{size:?} {v:#x}: {n}");
            if bitmasks.contains(&v) {
                assert_eq!(n, 1, "{size:?} {v:#x}: a bitmask takes one orr");
            }
        }
    }
}
