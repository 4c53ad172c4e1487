//! Engine configuration.

use std::fmt;
use std::str::FromStr;

/// How functions are executed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Strategy {
    /// Interpret every function.
    Interp,
    /// Compile every function before its first call (needs the JIT tier).
    Jit,
    /// Interpret first, compile hot functions (needs the JIT tier). The
    /// default where the JIT tier exists.
    Tiered,
    /// For testing: compile every other function before its first call and
    /// interpret the rest, so calls cross tiers constantly.
    Mixed,
}

impl Default for Strategy {
    fn default() -> Self {
        if crate::engine::JIT_AVAILABLE {
            Strategy::Tiered
        } else {
            Strategy::Interp
        }
    }
}

impl FromStr for Strategy {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "interp" => Ok(Strategy::Interp),
            "jit" => Ok(Strategy::Jit),
            "tiered" => Ok(Strategy::Tiered),
            "mixed" => Ok(Strategy::Mixed),
            other => Err(format!(
                "unknown tier `{other}` (expected interp, jit or tiered)"
            )),
        }
    }
}

impl fmt::Display for Strategy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Strategy::Interp => "interp",
            Strategy::Jit => "jit",
            Strategy::Tiered => "tiered",
            Strategy::Mixed => "mixed",
        })
    }
}

/// Settings shared by everything created from one [`crate::Engine`].
#[derive(Clone, Debug)]
pub struct Config {
    pub(crate) strategy: Strategy,
    pub(crate) max_call_depth: usize,
    pub(crate) max_stack_slots: usize,
    pub(crate) max_memory_pages: u32,
    pub(crate) max_table_elements: u32,
    pub(crate) perf_map: bool,
    pub(crate) jit_threshold: u64,
    pub(crate) jit_loop_threshold: u64,
    pub(crate) jit_max_function_size: usize,
    pub(crate) background_compilation: bool,
    pub(crate) reference_types: bool,
    pub(crate) epoch_interruption: bool,
    pub(crate) consume_fuel: bool,
}

/// Calls after which `tiered` compiles a function (see docs/benchmarks.md
/// for the measurement behind it).
pub const DEFAULT_JIT_THRESHOLD: u64 = 10;
/// Iterations of one loop after which `tiered` compiles its function.
pub const DEFAULT_JIT_LOOP_THRESHOLD: u64 = 10_000;

impl Default for Config {
    fn default() -> Self {
        Config {
            strategy: Strategy::default(),
            max_call_depth: 100_000,
            max_stack_slots: 16 << 20,
            max_memory_pages: 65536,
            max_table_elements: 10_000_000,
            perf_map: std::env::var_os("WX_PERF_MAP").is_some_and(|v| v != "0"),
            jit_threshold: DEFAULT_JIT_THRESHOLD,
            jit_loop_threshold: DEFAULT_JIT_LOOP_THRESHOLD,
            jit_max_function_size: 1 << 20,
            background_compilation: true,
            reference_types: true,
            epoch_interruption: false,
            consume_fuel: false,
        }
    }
}

impl Config {
    pub fn new() -> Config {
        Config::default()
    }

    /// Accept reference types and the proposals built on them (typed
    /// function references, exception handling); on by default. Off,
    /// modules are checked as WebAssembly 1.0 plus the other proposals
    /// (e.g. a second table is invalid), as scripts written before
    /// reference types expect.
    pub fn wasm_reference_types(&mut self, on: bool) -> &mut Self {
        self.reference_types = on;
        self
    }

    /// Make code check the engine's epoch against its store's deadline at
    /// every function entry and loop header, on every tier (as wasmtime's
    /// option of the same name): [`crate::Engine::increment_epoch`] from
    /// another thread then stops code that runs too long. A store's
    /// deadline starts at the epoch it was created in, so code traps at
    /// its first check until [`crate::Store::set_epoch_deadline`] moves
    /// it. Off by default: code then has no checks and pays nothing.
    pub fn epoch_interruption(&mut self, on: bool) -> &mut Self {
        self.epoch_interruption = on;
        self
    }

    /// Meter fuel (as wasmtime's option of the same name, with its own
    /// unit): every function entry and every arrival at a loop header
    /// (entering the loop or going round again) takes one unit of the
    /// store's fuel, on every tier, so the same program takes the same
    /// fuel whichever tier runs it; code that finds none left traps with
    /// `all fuel consumed by WebAssembly`. A store starts with none (see
    /// [`crate::Store::set_fuel`]). Calls and loop iterations bound all
    /// unbounded work: code between two such points is straight-line and
    /// no longer than its function. Off by default: no metering code.
    pub fn consume_fuel(&mut self, on: bool) -> &mut Self {
        self.consume_fuel = on;
        self
    }

    /// The checks code makes for the host (see [`Config::epoch_interruption`]
    /// and [`Config::consume_fuel`]).
    pub(crate) fn interrupts(&self) -> wx_core::module::Interrupts {
        wx_core::module::Interrupts {
            epoch: self.epoch_interruption,
            fuel: self.consume_fuel,
        }
    }

    /// The features modules are validated against.
    pub(crate) fn features(&self) -> wx_core::module::WasmFeatures {
        use wx_core::module::WasmFeatures as F;
        let all = wx_core::module::supported_features();
        if self.reference_types {
            all
        } else {
            all.difference(
                F::REFERENCE_TYPES | F::FUNCTION_REFERENCES | F::EXCEPTIONS | F::LEGACY_EXCEPTIONS,
            )
        }
    }

    /// Execution strategy. Where the JIT tier is missing (it needs x86-64
    /// Linux), [`crate::Engine::new`] refuses all but [`Strategy::Interp`].
    pub fn strategy(&mut self, s: Strategy) -> &mut Self {
        self.strategy = s;
        self
    }

    /// Under [`Strategy::Tiered`], compile a function when its call count
    /// reaches `calls` (at least 1).
    pub fn jit_threshold(&mut self, calls: u64) -> &mut Self {
        self.jit_threshold = calls.max(1);
        self
    }

    /// Largest function body, in bytes of wasm code, the JIT compiles
    /// (default 1 MiB); larger functions always run in the interpreter.
    pub fn jit_max_function_size(&mut self, bytes: usize) -> &mut Self {
        self.jit_max_function_size = bytes;
        self
    }

    /// Under [`Strategy::Tiered`], compile a function when one of its loops
    /// has run `iterations` times; its next call runs the compiled code.
    pub fn jit_loop_threshold(&mut self, iterations: u64) -> &mut Self {
        self.jit_loop_threshold = iterations.max(1);
        self
    }

    /// Under [`Strategy::Tiered`], compile hot functions on a background
    /// thread (default: on): the interpreter keeps running the function
    /// until its code is ready, instead of waiting for the compiler, and
    /// functions that get hot together are loaded into code memory
    /// together. Off, the call that makes a function hot compiles it, and
    /// every call after that runs the compiled code.
    pub fn background_compilation(&mut self, on: bool) -> &mut Self {
        self.background_compilation = on;
        self
    }

    /// Most interpreted wasm frames live at once in one host -> wasm entry;
    /// deeper recursion traps with "call stack exhausted". Compiled code is
    /// bounded by the native stack instead (the same trap).
    pub fn max_call_depth(&mut self, frames: usize) -> &mut Self {
        self.max_call_depth = frames;
        self
    }

    /// Most 64-bit value slots all live frames may use together.
    pub fn max_stack_slots(&mut self, slots: usize) -> &mut Self {
        self.max_stack_slots = slots;
        self
    }

    /// Largest size, in 64 KiB pages, any linear memory may reach.
    pub fn max_memory_pages(&mut self, pages: u32) -> &mut Self {
        self.max_memory_pages = pages.min(65536);
        self
    }

    /// Largest number of elements any table may reach.
    pub fn max_table_elements(&mut self, n: u32) -> &mut Self {
        self.max_table_elements = n;
        self
    }

    /// Write `/tmp/perf-<pid>.map` lines for compiled code, so `perf report`
    /// names JIT functions (default: on when `WX_PERF_MAP` is set and not `0`).
    pub fn perf_map(&mut self, on: bool) -> &mut Self {
        self.perf_map = on;
        self
    }

    pub fn get_strategy(&self) -> Strategy {
        self.strategy
    }
}
