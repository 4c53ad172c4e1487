//! Converting script arguments to values and checking expected results.

use wast::core::{AbstractHeapType, HeapType, NanPattern, WastArgCore, WastRetCore};
use wast::{WastArg, WastRet};
use wx_runtime::{ExternRef, Store, Val};

/// A script argument as a value (externrefs become fresh host references
/// carrying their number).
pub(super) fn arg(store: &mut Store<()>, a: &WastArg<'_>) -> Result<Val, String> {
    let WastArg::Core(a) = a else {
        return Err("component values are not supported".into());
    };
    Ok(match a {
        WastArgCore::I32(v) => Val::I32(*v),
        WastArgCore::I64(v) => Val::I64(*v),
        WastArgCore::F32(v) => Val::F32(v.bits),
        WastArgCore::F64(v) => Val::F64(v.bits),
        WastArgCore::RefNull(h) => null_of(h),
        WastArgCore::RefExtern(n) => Val::ExternRef(Some(ExternRef::new(store, *n))),
        other => return Err(format!("unsupported argument {other:?}")),
    })
}

fn null_of(h: &HeapType<'_>) -> Val {
    match h {
        HeapType::Abstract {
            ty: AbstractHeapType::Extern,
            ..
        } => Val::ExternRef(None),
        HeapType::Abstract {
            ty: AbstractHeapType::Exn | AbstractHeapType::NoExn,
            ..
        } => Val::ExnRef(None),
        _ => Val::FuncRef(None),
    }
}

pub(super) fn check_results(
    store: &Store<()>,
    actual: &[Val],
    expected: &[WastRet<'_>],
) -> Result<(), String> {
    if actual.len() != expected.len() {
        return Err(format!(
            "expected {} results, got {}: {actual:?}",
            expected.len(),
            actual.len()
        ));
    }
    for (i, (a, e)) in actual.iter().zip(expected).enumerate() {
        let WastRet::Core(e) = e else {
            return Err("component results are not supported".into());
        };
        if !matches(store, a, e) {
            return Err(format!("result {i}: expected {e:?}, got {}", show(a)));
        }
    }
    Ok(())
}

fn show(v: &Val) -> String {
    match v {
        Val::F32(b) => format!("f32 {} (0x{b:08x})", f32::from_bits(*b)),
        Val::F64(b) => format!("f64 {} (0x{b:016x})", f64::from_bits(*b)),
        other => format!("{other:?}"),
    }
}

fn matches(store: &Store<()>, a: &Val, e: &WastRetCore<'_>) -> bool {
    match (a, e) {
        (Val::I32(x), WastRetCore::I32(y)) => x == y,
        (Val::I64(x), WastRetCore::I64(y)) => x == y,
        (Val::F32(bits), WastRetCore::F32(p)) => match p {
            NanPattern::CanonicalNan => bits & 0x7fff_ffff == 0x7fc0_0000,
            NanPattern::ArithmeticNan => bits & 0x7fc0_0000 == 0x7fc0_0000,
            NanPattern::Value(v) => *bits == v.bits,
        },
        (Val::F64(bits), WastRetCore::F64(p)) => match p {
            NanPattern::CanonicalNan => bits & 0x7fff_ffff_ffff_ffff == 0x7ff8_0000_0000_0000,
            NanPattern::ArithmeticNan => bits & 0x7ff8_0000_0000_0000 == 0x7ff8_0000_0000_0000,
            NanPattern::Value(v) => *bits == v.bits,
        },
        (Val::FuncRef(f), WastRetCore::RefNull(h)) => {
            f.is_none()
                && !matches!(
                    h,
                    Some(HeapType::Abstract {
                        ty: AbstractHeapType::Extern,
                        ..
                    })
                )
        }
        (Val::ExternRef(r), WastRetCore::RefNull(h)) => {
            r.is_none()
                && !matches!(
                    h,
                    Some(HeapType::Abstract {
                        ty: AbstractHeapType::Func,
                        ..
                    })
                )
        }
        (Val::ExnRef(r), WastRetCore::RefNull(h)) => {
            r.is_none()
                && matches!(
                    h,
                    None | Some(HeapType::Abstract {
                        ty: AbstractHeapType::Exn | AbstractHeapType::NoExn,
                        ..
                    })
                )
        }
        (Val::FuncRef(f), WastRetCore::RefFunc(_)) => f.is_some(),
        (Val::ExternRef(r), WastRetCore::RefExtern(n)) => match (r, n) {
            (Some(_), None) => true,
            (Some(r), Some(n)) => r.data(store).and_then(|d| d.downcast_ref::<u32>()) == Some(n),
            (None, _) => false,
        },
        _ => false,
    }
}
