//! Wasm backtraces: the frames a trap passed through, by function name and
//! code offset, printed the way wasmtime prints them.

use std::fmt;
use wx_core::backtrace::RawFrame;

/// One wasm frame of a backtrace.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FrameInfo {
    /// The module's name from its name section, if it has one.
    pub module_name: Option<String>,
    /// The function's index in its module (imports first).
    pub func_index: u32,
    /// The function's name from the name section, if it has one.
    pub func_name: Option<String>,
    /// The byte offset in the module of the instruction that trapped (the
    /// innermost frame) or of the call the frame was making.
    pub module_offset: u32,
    /// The same offset from the start of the function's body.
    pub func_offset: u32,
}

/// The wasm frames a trap unwound, innermost first.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct WasmBacktrace {
    pub frames: Vec<FrameInfo>,
}

impl WasmBacktrace {
    /// The backtrace of the trap now on its way out (see
    /// [`wx_core::backtrace`]), leaving none pending.
    pub(crate) fn take_pending() -> WasmBacktrace {
        let frames = wx_core::backtrace::take()
            .into_iter()
            .filter_map(|f| frame_info(&f))
            .collect();
        WasmBacktrace { frames }
    }
}

/// Name the function holding `f`'s offset.
fn frame_info(f: &RawFrame) -> Option<FrameInfo> {
    let m = &f.module;
    let offset = f.offset as usize;
    let def = m.bodies.partition_point(|b| b.range.end <= offset);
    let body = m.bodies.get(def)?;
    let func_index = m.num_imported_funcs + def as u32;
    Some(FrameInfo {
        module_name: m.name.clone(),
        func_index,
        func_name: m.func_names.get(&func_index).cloned(),
        module_offset: f.offset,
        func_offset: f.offset.saturating_sub(body.range.start as u32),
    })
}

impl fmt::Display for WasmBacktrace {
    /// `wasm backtrace:` and a line per frame, as wasmtime writes them:
    /// `    0:     0x1a2b - module!function`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "wasm backtrace:")?;
        for (i, frame) in self.frames.iter().enumerate() {
            let module = frame.module_name.as_deref().unwrap_or("<unknown>");
            write!(f, "\n  {i:>3}: {:>#8x} - {module}!", frame.module_offset)?;
            match &frame.func_name {
                Some(name) => write!(f, "{name}")?,
                None => write!(f, "<wasm function {}>", frame.func_index)?,
            }
        }
        Ok(())
    }
}
