//! Threaded code: instructions carry their handler, and each handler
//! dispatches to the next one itself.
//!
//! Two dispatch modes, chosen at build time by `build.rs`:
//!
//! - **tail** (optimised builds without debug assertions): a handler ends by
//!   calling the next instruction's handler in tail position. LLVM turns these
//!   sibling calls into jumps, so execution threads from handler to handler
//!   with one indirect jump per instruction and no central dispatch point.
//! - **loop** (everything else): a handler stores the next instruction in the
//!   context and returns to [`super::run`], which calls the next handler.
//!
//! Tail calls are an optimisation Rust does not guarantee. As a safety net,
//! handlers that end a loop iteration or make a call check the native stack
//! pointer and, if the stack has grown past a limit (a tail call was not
//! optimised somewhere), return to the driver loop, which unwinds it.

use super::Cx;
use wx_core::TrapCode;

/// What a handler returns to the driver: continue (at `cx.ip`/`cx.sp`),
/// done (the entry function returned), or a trap code.
///
/// A plain integer on purpose: an enum with padding makes LLVM re-pack the
/// value after a call, which moves the call out of tail position.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(transparent)]
pub(crate) struct Exit(u32);

impl Exit {
    pub(crate) const CONTINUE: Exit = Exit(0);
    pub(crate) const DONE: Exit = Exit(u32::MAX);

    #[inline(always)]
    pub(crate) fn trap(code: TrapCode) -> Exit {
        Exit(code as u32)
    }

    /// `Ok(true)` when done, `Ok(false)` to continue, or the trap.
    pub(crate) fn decode(self) -> Result<bool, TrapCode> {
        match self {
            Exit::CONTINUE => Ok(false),
            Exit::DONE => Ok(true),
            Exit(code) => Err(TrapCode::from_u32(code).unwrap_or(TrapCode::Internal)),
        }
    }
}

/// An instruction handler. `mem`/`len` are memory 0's base and current length
/// (null/0 without a memory); they are refreshed whenever they may change.
pub(crate) type Handler =
    unsafe fn(ip: *const Instr, sp: *mut u64, mem: *mut u8, len: usize, cx: &mut Cx) -> Exit;

/// A threaded instruction: its handler and up to three operands (the
/// fields of the corresponding [`crate::bytecode::Op`], in order).
#[derive(Clone, Copy)]
#[repr(C)]
pub struct Instr {
    pub(crate) handler: Handler,
    pub(crate) a: u32,
    pub(crate) b: u32,
    pub(crate) c: u32,
}

impl std::fmt::Debug for Instr {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Instr({}, {}, {})", self.a, self.b, self.c)
    }
}

/// Bytes of native stack a run may use before handlers fall back to the driver.
pub(crate) const NATIVE_STACK_BUDGET: usize = 256 * 1024;

/// The current native stack pointer.
#[inline(always)]
pub(crate) fn native_sp() -> usize {
    let sp: usize;
    #[cfg(target_arch = "x86_64")]
    // SAFETY: reads a register; touches no memory.
    unsafe {
        std::arch::asm!("mov {}, rsp", out(reg) sp, options(nomem, nostack, preserves_flags))
    };
    #[cfg(target_arch = "aarch64")]
    // SAFETY: reads a register; touches no memory.
    unsafe {
        std::arch::asm!("mov {}, sp", out(reg) sp, options(nomem, nostack, preserves_flags))
    };
    #[cfg(not(any(target_arch = "x86_64", target_arch = "aarch64")))]
    {
        let probe = 0u8;
        sp = std::hint::black_box(&probe) as *const u8 as usize;
    }
    sp
}

/// Continue with the instruction at `$ip`.
#[cfg(wx_tail_dispatch)]
macro_rules! next {
    ($ip:expr, $sp:expr, $mem:expr, $len:expr, $cx:expr) => {{
        let ip: *const $crate::exec::dispatch::Instr = $ip;
        return ((*ip).handler)(ip, $sp, $mem, $len, $cx);
    }};
}

#[cfg(not(wx_tail_dispatch))]
macro_rules! next {
    ($ip:expr, $sp:expr, $mem:expr, $len:expr, $cx:expr) => {{
        let _ = ($mem, $len);
        let cx: &mut $crate::exec::Cx = $cx;
        cx.ip = $ip;
        cx.sp = $sp;
        return $crate::exec::dispatch::Exit::CONTINUE;
    }};
}

/// Like `next!`, at a point that may repeat without bound (back-edges,
/// calls): if the native stack grew too much, resume through the driver.
macro_rules! next_checked {
    ($ip:expr, $sp:expr, $mem:expr, $len:expr, $cx:expr) => {{
        let ip: *const $crate::exec::dispatch::Instr = $ip;
        let cx: &mut $crate::exec::Cx = $cx;
        if cfg!(wx_tail_dispatch) && $crate::exec::dispatch::native_sp() < cx.native_floor {
            cx.ip = ip;
            cx.sp = $sp;
            return $crate::exec::dispatch::Exit::CONTINUE;
        }
        $crate::exec::dispatch::next!(ip, $sp, $mem, $len, cx)
    }};
}

/// Unwrap a `Result<T, TrapCode>` inside a handler, returning the trap.
macro_rules! tri {
    ($cx:expr, $ip:expr, $e:expr) => {
        match $e {
            Ok(v) => v,
            Err(code) => $crate::exec::dispatch::trap_at!($cx, $ip, code),
        }
    };
}

/// Trap with `$code` at instruction `$ip` (the backtrace's innermost frame).
macro_rules! trap_at {
    ($cx:expr, $ip:expr, $code:expr) => {{
        $cx.trap_ip = $ip;
        $cx.trap = $crate::exec::TrapOrigin::Here;
        return $crate::exec::dispatch::Exit::trap($code);
    }};
}

/// Pass on a trap status `$rc` that a callee returned to the call at
/// `$ip` (the callee recorded the frames inside it).
macro_rules! pass_on {
    ($cx:expr, $ip:expr, $rc:expr, $origin:expr) => {{
        $cx.trap_ip = $ip;
        $cx.trap = $origin;
        return $crate::exec::dispatch::Exit::trap(
            wx_core::TrapCode::from_u32($rc).unwrap_or(wx_core::TrapCode::HostError),
        );
    }};
}

/// Define handlers. Each body runs in an `unsafe` block: see the safety
/// argument in `exec/mod.rs` (slots within the frame, targets within the code).
macro_rules! handlers {
    ($( fn $name:ident($ip:ident, $sp:ident, $mem:ident, $len:ident, $cx:ident) $body:block )*) => {$(
        #[allow(non_snake_case, unused_variables, unused_mut, clippy::missing_safety_doc, reason = "handlers are named after their Op variant")]
        pub(crate) unsafe fn $name(
            $ip: *const $crate::exec::dispatch::Instr,
            $sp: *mut u64,
            $mem: *mut u8,
            $len: usize,
            $cx: &mut $crate::exec::Cx,
        ) -> $crate::exec::dispatch::Exit {
            // SAFETY: the translator only names slots inside the frame and
            // targets inside the function; frames are allocated before they run.
            #[allow(unused_unsafe)]
            unsafe { $body }
        }
    )*};
}

// Slot access: i32/f32 live zero-extended in 64-bit slots.
macro_rules! slot {
    ($sp:ident, $i:expr) => {
        *$sp.add($i as usize)
    };
}
macro_rules! r32 {
    ($sp:ident, $i:expr) => {
        (*$sp.add($i as usize)) as u32
    };
}
macro_rules! r64 {
    ($sp:ident, $i:expr) => {
        *$sp.add($i as usize)
    };
}
macro_rules! w32 {
    ($sp:ident, $i:expr, $v:expr) => {
        *$sp.add($i as usize) = ($v) as u32 as u64
    };
}
macro_rules! w64 {
    ($sp:ident, $i:expr, $v:expr) => {
        *$sp.add($i as usize) = ($v) as u64
    };
}

pub(crate) use {handlers, next, next_checked, pass_on, r32, r64, slot, trap_at, tri, w32, w64};
