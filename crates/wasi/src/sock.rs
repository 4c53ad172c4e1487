//! Sockets: `sock_accept`, `sock_recv`, `sock_send`, `sock_shutdown` on
//! listening sockets the host hands in (`--tcplisten`) and the
//! connections accepted from them, as wasmtime's `wasi-common` does. Any
//! other open descriptor is `ENOTSOCK`.

use crate::abi::{fdflags, sockflags};
use crate::ctx::WasiCtx;
use crate::errno::{Errno, WasiResult};
use crate::fd::flags16;
use crate::mem::{fatal, Mem};
use crate::table::{Desc, SocketDesc};
use std::io::{Read, Write};
use std::net::Shutdown;

fn net(e: std::io::Error) -> Errno {
    Errno::from_socket_error(&e)
}

fn stream(cx: &mut WasiCtx, fd: u32) -> Result<&mut SocketDesc, Errno> {
    match cx.table.get_mut(fd)? {
        Desc::Stream(s) => Ok(s),
        _ => Err(Errno::ENOTSOCK),
    }
}

/// `sock_accept(fd, flags, fd*)`: a connection from a listener, blocking
/// or not as `flags` say (NONBLOCK or nothing); `EAGAIN` when none waits.
pub(crate) fn sock_accept(
    cx: &mut WasiCtx,
    mem: &mut Mem,
    fd: u32,
    flags: u32,
    out: u32,
) -> WasiResult {
    let flags = flags16(flags, fdflags::ALL, "fdflags")?;
    let listener = match cx.table.get(fd)? {
        Desc::Listener(l) => l,
        _ => return Err(Errno::ENOTSOCK.into()),
    };
    let nonblock = match flags {
        0 => false,
        fdflags::NONBLOCK => true,
        _ => return Err(Errno::EINVAL.into()),
    };
    let (stream, _) = listener.accept().map_err(net)?;
    stream.set_nonblocking(nonblock).map_err(net)?;
    let new_fd = cx
        .table
        .insert(Desc::Stream(SocketDesc { stream, nonblock }));
    mem.write_u32(out, new_fd)
}

/// `sock_recv(fd, ri_data, ri_data_len, ri_flags, ro_datalen*, ro_flags*)`
#[allow(clippy::too_many_arguments)]
pub(crate) fn sock_recv(
    cx: &mut WasiCtx,
    mem: &mut Mem,
    fd: u32,
    iovs: u32,
    iovs_len: u32,
    flags: u32,
    out_len: u32,
    out_flags: u32,
) -> WasiResult {
    let flags = flags16(
        flags,
        sockflags::RECV_PEEK | sockflags::RECV_WAITALL,
        "riflags",
    )?;
    let s = stream(cx, fd)?;
    let bufs = mem.iovecs(iovs, iovs_len)?;
    let mut total = 0usize;
    for v in bufs.iter().filter(|v| v.len > 0) {
        let dst = mem.slice_mut(v.ptr, v.len)?;
        let n = if flags & sockflags::RECV_PEEK != 0 {
            s.stream.peek(dst).map_err(net)?
        } else if flags & sockflags::RECV_WAITALL != 0 {
            s.stream.read_exact(dst).map_err(net)?;
            dst.len()
        } else {
            (&s.stream).read(dst).map_err(net)?
        };
        total += n;
        // One short read ends the call; a peek looks at one buffer.
        if n < v.len as usize || flags & sockflags::RECV_PEEK != 0 {
            break;
        }
    }
    mem.write_u32(out_len, total as u32)?;
    mem.write_u16(out_flags, 0)
}

/// `sock_send(fd, si_data, si_data_len, si_flags, so_datalen*)`
pub(crate) fn sock_send(
    cx: &mut WasiCtx,
    mem: &mut Mem,
    fd: u32,
    iovs: u32,
    iovs_len: u32,
    _flags: u32,
    out_len: u32,
) -> WasiResult {
    // No send flags are defined; wasmtime does not look at them.
    let s = stream(cx, fd)?;
    let bufs = mem.iovecs(iovs, iovs_len)?;
    let mut total = 0usize;
    for v in bufs.iter().filter(|v| v.len > 0) {
        let n = (&s.stream).write(mem.slice(v.ptr, v.len)?).map_err(net)?;
        total += n;
        if n < v.len as usize {
            break;
        }
    }
    mem.write_u32(out_len, total as u32)
}

/// `sock_shutdown(fd, how)`: RD, WR or both.
pub(crate) fn sock_shutdown(cx: &mut WasiCtx, _mem: &mut Mem, fd: u32, how: u32) -> WasiResult {
    if how > (sockflags::SHUT_RD | sockflags::SHUT_WR) as u32 {
        return Err(fatal(format!("invalid sdflags value {how:#x}")));
    }
    let s = stream(cx, fd)?;
    let how = match how as u8 {
        sockflags::SHUT_RD => Shutdown::Read,
        sockflags::SHUT_WR => Shutdown::Write,
        3 => Shutdown::Both,
        _ => return Err(Errno::EINVAL.into()),
    };
    s.stream.shutdown(how).map_err(net)?;
    Ok(())
}
