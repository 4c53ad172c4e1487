//! The `wx` command line as a library: the `.wast` script runner (also used
//! by the workspace's spec tests) and the `run` and `bench` commands.

pub mod bench;
pub mod explore;
pub mod run;
pub mod wast;

/// Native stack for the thread that runs wasm: deep recursion that crosses
/// tiers nests native frames (interpreter -> compiled -> interpreter ...),
/// so the main thread's usual 8 MiB would cap it early. Only touched pages
/// are committed.
pub const WASM_THREAD_STACK: usize = 64 << 20;

/// Run `f` on a thread with a [`WASM_THREAD_STACK`]-byte stack and return
/// its result (a panic in `f` is resumed here).
pub fn on_wasm_stack<R: Send>(f: impl FnOnce() -> R + Send) -> R {
    std::thread::scope(|s| {
        let runner = std::thread::Builder::new()
            .name("wx".into())
            .stack_size(WASM_THREAD_STACK)
            .spawn_scoped(s, f)
            .expect("cannot start the wasm thread");
        match runner.join() {
            Ok(r) => r,
            Err(panic) => std::panic::resume_unwind(panic),
        }
    })
}
