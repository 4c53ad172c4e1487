//! Engine configuration.

use std::fmt;
use std::str::FromStr;

/// How functions are executed.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Strategy {
    /// Interpret every function.
    #[default]
    Interp,
    /// Compile every function before its first call (needs the JIT tier).
    Jit,
    /// Interpret first, compile hot functions (needs the JIT tier).
    Tiered,
}

impl FromStr for Strategy {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "interp" => Ok(Strategy::Interp),
            "jit" => Ok(Strategy::Jit),
            "tiered" => Ok(Strategy::Tiered),
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
}

impl Default for Config {
    fn default() -> Self {
        Config {
            strategy: Strategy::Interp,
            max_call_depth: 100_000,
            max_stack_slots: 16 << 20,
            max_memory_pages: 65536,
            max_table_elements: 10_000_000,
            perf_map: std::env::var_os("WX_PERF_MAP").is_some_and(|v| v != "0"),
        }
    }
}

impl Config {
    pub fn new() -> Config {
        Config::default()
    }

    /// Execution strategy. Only [`Strategy::Interp`] exists in this build;
    /// the others are refused by [`crate::Engine::new`].
    pub fn strategy(&mut self, s: Strategy) -> &mut Self {
        self.strategy = s;
        self
    }

    /// Most wasm frames live at once; deeper recursion traps with "call stack exhausted".
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
