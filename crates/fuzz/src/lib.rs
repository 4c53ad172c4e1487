//! wx-fuzz: wx's fuzz targets as plain functions of the input bytes, so
//! that both libFuzzer (`fuzz/`, with `cargo fuzz` on nightly) and a stable
//! driver (`tests/fuzz.rs`, run by `cargo test --workspace`) run the same
//! code. Each target panics when it finds a bug and returns otherwise.
//!
//! - [`compile`]: any bytes through decoding, validation, interpreter
//!   translation and JIT compilation for x86-64 and AArch64: no panics,
//!   no internal errors.
//! - [`tiers`]: a wasm-smith module and its calls on `interp`, `jit`,
//!   `tiered` and `mixed`: the same results, traps and exported state.
//! - [`wasmi`]: the same against wasmi, an independent engine.
//!
//! [`generate`] turns input into modules and arguments, [`oracle`] puts
//! each engine behind one interface, [`diff`] compares them.

pub mod compile;
pub mod diff;
pub mod generate;
pub mod oracle;

pub use compile::compile;
pub use diff::{tiers, wasmi};

use std::sync::atomic::{AtomicU64, Ordering};

/// Checks made so far in this process: functions compiled (`compile`),
/// calls compared (`tiers`, `wasmi`). A driver reads it to report, and to
/// fail a run that checked nothing.
static CHECKED: AtomicU64 = AtomicU64::new(0);

/// The checks made so far (see [`CHECKED`]).
pub fn checked() -> u64 {
    CHECKED.load(Ordering::Relaxed)
}

fn count_check() {
    CHECKED.fetch_add(1, Ordering::Relaxed);
}

/// A target: the input bytes in, a panic out if they reveal a bug.
pub type Target = fn(&[u8]);

/// Every target by name, as `fuzz/fuzz_targets/<name>.rs` and the stable
/// driver call them.
pub const TARGETS: &[(&str, Target)] = &[("compile", compile), ("tiers", tiers), ("wasmi", wasmi)];

/// The module target `name` builds from `data` (for a look at a failure
/// with `wx explore` or `wasm-tools print`); `None` for raw input or when
/// the input makes none.
pub fn module_of(name: &str, data: &[u8]) -> Option<Vec<u8>> {
    let features = match name {
        "tiers" => generate::Features::Wx,
        "wasmi" => generate::Features::Common,
        _ => return None,
    };
    generate::module(&mut arbitrary::Unstructured::new(data), features)
}
