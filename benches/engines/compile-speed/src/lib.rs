//! Module surgery for the compile-speed comparison: the same module with
//! every function body replaced by `unreachable`, so that an engine's time
//! on it is everything but compiling the bodies (decoding, per-function
//! metadata, trampolines, code publishing). The difference from the full
//! module is the engine's time for the bodies themselves.

use wasmparser::{Parser, Payload};

/// The smallest valid body for any signature: no locals, `unreachable`,
/// `end`, after its size.
const STUB_BODY: [u8; 4] = [3, 0x00, 0x00, 0x0b];

/// Total size of the function bodies of `wasm` (the code section's
/// entries, without their size prefixes): the bytes a compile-speed figure
/// is per.
pub fn body_bytes(wasm: &[u8]) -> Result<usize, wasmparser::BinaryReaderError> {
    let mut total = 0;
    for payload in Parser::new(0).parse_all(wasm) {
        if let Payload::CodeSectionEntry(body) = payload? {
            let r = body.range();
            total += (r.end - r.start) as usize;
        }
    }
    Ok(total)
}

/// `wasm` with every function body replaced by `unreachable` (a valid
/// module with the same functions, types, imports and exports).
pub fn stub_bodies(wasm: &[u8]) -> Result<Vec<u8>, wasmparser::BinaryReaderError> {
    let mut out = Vec::with_capacity(wasm.len());
    for payload in Parser::new(0).parse_all(wasm) {
        match payload? {
            Payload::Version { range, .. } => out.extend_from_slice(&wasm[..range.end as usize]),
            Payload::CodeSectionStart { count, .. } => {
                let mut section = Vec::new();
                leb128(&mut section, count);
                for _ in 0..count {
                    section.extend_from_slice(&STUB_BODY);
                }
                out.push(10);
                leb128(&mut out, section.len() as u32);
                out.extend_from_slice(&section);
            }
            Payload::CodeSectionEntry(_) | Payload::End(_) => {}
            other => {
                if let Some((id, range)) = other.as_section() {
                    // The section as it was: its id, size and contents.
                    out.push(id);
                    leb128(&mut out, (range.end - range.start) as u32);
                    out.extend_from_slice(&wasm[range.start as usize..range.end as usize]);
                }
            }
        }
    }
    Ok(out)
}

fn leb128(out: &mut Vec<u8>, mut n: u32) {
    loop {
        let byte = (n & 0x7f) as u8;
        n >>= 7;
        if n == 0 {
            out.push(byte);
            return;
        }
        out.push(byte | 0x80);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn validate(wasm: &[u8]) -> Result<(), wasmparser::BinaryReaderError> {
        wasmparser::Validator::new().validate_all(wasm).map(|_| ())
    }

    #[test]
    fn stubbed_benchmark_modules_validate_with_the_same_functions() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../programs");
        for name in ["many_funcs", "long_mixed"] {
            let wasm = std::fs::read(format!("{dir}/{name}.wasm")).unwrap();
            let stub = stub_bodies(&wasm).unwrap();
            validate(&stub).unwrap();
            let count = |w: &[u8]| {
                Parser::new(0)
                    .parse_all(w)
                    .filter(|p| matches!(p, Ok(Payload::CodeSectionEntry(_))))
                    .count()
            };
            assert_eq!(count(&stub), count(&wasm), "{name}");
            assert_eq!(body_bytes(&stub).unwrap(), 3 * count(&wasm), "{name}");
            assert!(body_bytes(&wasm).unwrap() > 10 * count(&wasm), "{name}");
        }
    }
}
