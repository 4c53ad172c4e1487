//! Compile cost stays bounded on huge and oddly shaped functions: each
//! shape either compiles or is refused as too large for the JIT (the
//! runtime then keeps it in the interpreter), and the compiler's peak heap
//! stays within a bound proportional to the body. Memory and success are
//! asserted, never time.

use std::alloc::{GlobalAlloc, Layout, System};
use std::fmt::Write as _;
use std::sync::atomic::{AtomicUsize, Ordering::Relaxed};
use wx_core::ModuleInfo;
use wx_jit::JitError;

/// The system allocator, counting the bytes live and their peak.
struct Counting;

static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

// SAFETY: every call is forwarded unchanged to the system allocator; the
// counters only observe sizes.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: the caller upholds `alloc`'s contract, passed on as is.
        let p = unsafe { System.alloc(layout) };
        if !p.is_null() {
            let live = LIVE.fetch_add(layout.size(), Relaxed) + layout.size();
            PEAK.fetch_max(live, Relaxed);
        }
        p
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: as for `alloc`.
        unsafe { System.dealloc(ptr, layout) };
        LIVE.fetch_sub(layout.size(), Relaxed);
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: as for `alloc`.
        let p = unsafe { System.realloc(ptr, layout, new_size) };
        if !p.is_null() {
            if new_size >= layout.size() {
                let live =
                    LIVE.fetch_add(new_size - layout.size(), Relaxed) + new_size - layout.size();
                PEAK.fetch_max(live, Relaxed);
            } else {
                LIVE.fetch_sub(layout.size() - new_size, Relaxed);
            }
        }
        p
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// The shapes run one after another: the peak counter is process-wide.
static SERIAL: std::sync::Mutex<()> = std::sync::Mutex::new(());

/// Compile function 0 of `wat` and return whether the JIT took it, checking
/// that the heap the compile needed stays under `per_byte` bytes per body
/// byte plus a fixed allowance: the liveness sets of a large function may
/// take up to 64 MB (see `regalloc::liveness`).
fn compile_within(name: &str, wat: &str, per_byte: usize) -> bool {
    let _serial = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    let bytes = wat::parse_str(wat).expect("shape assembles");
    let info = ModuleInfo::new(&bytes).expect("shape validates");
    let body = info.body(0).0.len();
    let before = LIVE.load(Relaxed);
    PEAK.store(before, Relaxed);
    let start = std::time::Instant::now();
    let result = wx_jit::compile(&info, 0);
    let used = PEAK.load(Relaxed) - before;
    let limit = per_byte * body + (96 << 20);
    eprintln!(
        "{name}: {body} body bytes, peak {:.1} MB (limit {:.1} MB), {:.2?}: {}",
        used as f64 / 1e6,
        limit as f64 / 1e6,
        start.elapsed(),
        match &result {
            Ok(c) => format!("compiled, {} code bytes", c.code.len()),
            Err(e) => e.to_string(),
        }
    );
    assert!(
        used <= limit,
        "{name}: compiling used {used} bytes, more than {limit}"
    );
    match result {
        Ok(_) => true,
        Err(JitError::TooLarge { .. }) => false,
        Err(e) => panic!("{name}: {e}"),
    }
}

fn func(params: &str, locals: &str, result: &str, body: &str) -> String {
    format!("(module (memory 1) (func (export \"f\") {params} {result} {locals}\n{body}))")
}

#[test]
fn deep_if_nesting_with_results() {
    let n = 60_000;
    let mut body = String::new();
    for _ in 0..n {
        body.push_str("local.get 0 if (result i32)\n");
    }
    body.push_str("i32.const 1\n");
    for _ in 0..n {
        body.push_str("else i32.const 2 end\n");
    }
    compile_within(
        "deep if nesting",
        &func("(param i32)", "", "(result i32)", &body),
        200,
    );
}

#[test]
fn deep_block_nesting() {
    let n = 100_000;
    let mut body = "block\n".repeat(n);
    body.push_str("local.get 0 br_if 0\n");
    body.push_str(&"end\n".repeat(n));
    body.push_str("i32.const 7");
    assert!(compile_within(
        "deep block nesting",
        &func("(param i32)", "", "(result i32)", &body),
        200,
    ));
}

#[test]
fn deep_loop_nesting() {
    let n = 20_000;
    let mut body = String::new();
    for i in 0..n {
        let _ = writeln!(body, "loop $l{i}");
    }
    body.push_str("local.get 0 i32.const 1 i32.sub local.tee 0 br_if 0\n");
    body.push_str(&"end\n".repeat(n));
    body.push_str("local.get 0");
    compile_within(
        "deep loop nesting",
        &func("(param i32)", "", "(result i32)", &body),
        200,
    );
}

#[test]
fn many_blocks_in_sequence() {
    let n = 100_000;
    let mut body = String::new();
    for i in 0..n {
        let _ = writeln!(
            body,
            "block local.get 0 i32.const {i} i32.eq br_if 0 local.get 1 i32.const 1 i32.add local.set 1 end"
        );
    }
    body.push_str("local.get 1");
    assert!(compile_within(
        "many blocks",
        &func("(param i32)", "(local i32)", "(result i32)", &body),
        200,
    ));
}

/// Every local is written at the start and read at the end, with
/// `blocks` branches in between: liveness is locals x blocks.
fn live_across(locals: usize, blocks: usize) -> String {
    let mut body = String::new();
    for l in 1..=locals {
        let _ = writeln!(body, "i32.const {l} local.set {l}");
    }
    for _ in 0..blocks {
        body.push_str(
            "block local.get 0 br_if 0 local.get 0 i32.const 1 i32.add local.set 0 end\n",
        );
    }
    body.push_str("local.get 0\n");
    for l in 1..=locals {
        let _ = writeln!(body, "local.get {l} i32.add");
    }
    func(
        "(param i32)",
        &format!("(local {})", "i32 ".repeat(locals)),
        "(result i32)",
        &body,
    )
}

#[test]
fn many_values_live_across_many_blocks() {
    assert!(compile_within(
        "many live values",
        &live_across(5_000, 5_000),
        200
    ));
    // 20,000 x 60,000: 1.2 billion (block, value) pairs. Refused, within
    // the budget's memory.
    assert!(!compile_within(
        "too many live values",
        &live_across(20_000, 20_000),
        200
    ));
}

#[test]
fn huge_br_table() {
    let targets = 100_000;
    let depth = 1_000;
    let mut body = "block\n".repeat(depth);
    body.push_str("local.get 0 br_table");
    for i in 0..targets {
        let _ = write!(body, " {}", i % depth);
    }
    body.push_str(" 0\n");
    for i in 0..depth {
        let _ = writeln!(body, "end i32.const {i} local.set 0");
    }
    body.push_str("local.get 0");
    assert!(compile_within(
        "huge br_table",
        &func("(param i32)", "", "(result i32)", &body),
        200,
    ));
}

#[test]
fn many_locals_and_calls() {
    let locals = 40_000;
    let mut body = String::new();
    for l in (1..=locals).step_by(7) {
        let _ = writeln!(
            body,
            "local.get {l} local.get 0 call 0 i32.add local.set {l}"
        );
    }
    body.push_str("local.get 1");
    compile_within(
        "many locals and calls",
        &func(
            "(param i32)",
            &format!("(local {})", "i32 ".repeat(locals)),
            "(result i32)",
            &body,
        ),
        200,
    );
}
