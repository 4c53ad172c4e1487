//! `poll_oneoff`: wait for clocks and descriptor readiness.
//!
//! Follows wasmtime: a lone relative clock just sleeps; otherwise files
//! and standard output are always ready, standard input and sockets are
//! polled, every ready subscription gets an event (in subscription order),
//! `nbytes` of a descriptor event is 1, a file read at its end says
//! HANGUP, and a subscription to a descriptor that cannot be polled that
//! way fails the whole call with `EBADF`.

use crate::abi::{clockid, eventtype, size};
use crate::clock;
use crate::ctx::WasiCtx;
use crate::errno::{Errno, WasiResult};
use crate::mem::Mem;
use crate::table::Desc;
use rustix::event::{PollFd, PollFlags, Timespec};
use std::os::fd::{AsFd, BorrowedFd};
use std::time::{Duration, Instant};

/// `eventrwflags::FD_READWRITE_HANGUP`.
const HANGUP: u16 = 1;

/// A decoded subscription.
#[derive(Clone, Copy, Debug)]
enum Sub {
    Clock {
        id: u32,
        timeout: u64,
        absolute: bool,
    },
    Read(u32),
    Write(u32),
}

/// An event to report.
#[derive(Clone, Copy, Debug)]
struct Event {
    userdata: u64,
    ty: u8,
    nbytes: u64,
    flags: u16,
}

/// How a subscription becomes ready.
enum Wait<'a> {
    Now { nbytes: u64, flags: u16 },
    At(Instant),
    Fd(BorrowedFd<'a>, PollFlags),
}

fn decode(mem: &Mem, at: u32) -> WasiResult<(u64, Sub)> {
    let userdata = mem.read_u64(at)?;
    let sub = match mem.read_u8(at + 8)? {
        eventtype::CLOCK => {
            let id = mem.read_u32(at + 16)?;
            let timeout = mem.read_u64(at + 24)?;
            let flags = mem.read_u16(at + 40)?;
            if id > clockid::THREAD_CPUTIME_ID || flags & !1 != 0 {
                return Err(Errno::EINVAL.into());
            }
            Sub::Clock {
                id,
                timeout,
                absolute: flags & 1 != 0,
            }
        }
        eventtype::FD_READ => Sub::Read(mem.read_u32(at + 16)?),
        eventtype::FD_WRITE => Sub::Write(mem.read_u32(at + 16)?),
        _ => return Err(Errno::EINVAL.into()),
    };
    Ok((userdata, sub))
}

/// `poll_oneoff(in*, out*, nsubscriptions, nevents*)`
pub(crate) fn poll_oneoff(
    cx: &mut WasiCtx,
    mem: &mut Mem,
    input: u32,
    output: u32,
    n: u32,
    nevents: u32,
) -> WasiResult {
    if n == 0 {
        return Err(Errno::EINVAL.into());
    }
    mem.charge(n as u64 * (size::SUBSCRIPTION + size::EVENT) as u64)?;
    mem.check(
        input,
        n.checked_mul(size::SUBSCRIPTION).ok_or(Errno::EINVAL)?,
        8,
    )?;
    let subs = (0..n)
        .map(|i| decode(mem, input + i * size::SUBSCRIPTION))
        .collect::<WasiResult<Vec<_>>>()?;
    let events = match subs[..] {
        [(
            userdata,
            Sub::Clock {
                id: clockid::REALTIME | clockid::MONOTONIC,
                timeout,
                absolute: false,
            },
        )] => {
            std::thread::sleep(Duration::from_nanos(timeout));
            vec![Event {
                userdata,
                ty: eventtype::CLOCK,
                nbytes: 0,
                flags: 0,
            }]
        }
        _ => wait(cx, &subs)?,
    };
    mem.check(output, events.len() as u32 * size::EVENT, 8)?;
    for (i, e) in events.iter().enumerate() {
        let at = output + i as u32 * size::EVENT;
        mem.write_u64(at, e.userdata)?;
        mem.write_u16(at + 8, 0)?;
        mem.write_u8(at + 10, e.ty)?;
        mem.write_u64(at + 16, e.nbytes)?;
        mem.write_u16(at + 24, e.flags)?;
    }
    mem.write_u32(nevents, events.len() as u32)
}

/// Wait until at least one subscription is ready; the events of all that are.
fn wait(cx: &mut WasiCtx, subs: &[(u64, Sub)]) -> WasiResult<Vec<Event>> {
    let start = Instant::now();
    let mono_now = clock::monotonic(cx);
    let real_now = clock::realtime()?;
    // Standard input with data read ahead (or at its end) is ready; so
    // are inputs that cannot be polled.
    let mut waits = Vec::with_capacity(subs.len());
    for &(_, sub) in subs {
        let w = match sub {
            Sub::Clock {
                id,
                timeout,
                absolute,
            } => {
                let after = match (id, absolute) {
                    (clockid::MONOTONIC, true) => timeout.saturating_sub(mono_now),
                    (clockid::REALTIME, true) => timeout.saturating_sub(real_now),
                    (clockid::MONOTONIC | clockid::REALTIME, false) => timeout,
                    _ => return Err(Errno::EINVAL.into()),
                };
                Wait::At(start + Duration::from_nanos(after))
            }
            Sub::Read(fd) => match cx.table.get(fd)? {
                Desc::Stdin(s) if !s.ahead.is_empty() || s.eof => Wait::Now {
                    nbytes: 1,
                    flags: 0,
                },
                Desc::Stdin(s) => match &s.input {
                    crate::Input::Inherit => Wait::Fd(stdin_fd(), PollFlags::IN),
                    crate::Input::File(f) => Wait::Fd(f.as_fd(), PollFlags::IN),
                    _ => Wait::Now {
                        nbytes: 1,
                        flags: 0,
                    },
                },
                Desc::File(f) => {
                    let size = f.file.metadata()?.len();
                    let flags = if f.pos >= size { HANGUP } else { 0 };
                    Wait::Now { nbytes: 1, flags }
                }
                Desc::Listener(l) => Wait::Fd(l.as_fd(), PollFlags::IN),
                Desc::Stream(s) => Wait::Fd(s.stream.as_fd(), PollFlags::IN),
                _ => return Err(Errno::EBADF.into()),
            },
            Sub::Write(fd) => match cx.table.get(fd)? {
                Desc::Output(..) | Desc::File(_) => Wait::Now {
                    nbytes: 1,
                    flags: 0,
                },
                Desc::Stream(s) => Wait::Fd(s.stream.as_fd(), PollFlags::OUT),
                _ => return Err(Errno::EBADF.into()),
            },
        };
        waits.push(w);
    }
    // As in wasmtime, descriptors ready at once are reported alone: a
    // clock, even one already expired, fires only when the call has to
    // wait (then with everything else ready by that moment).
    let mut first = true;
    loop {
        let now = Instant::now();
        let mut ready = vec![None; subs.len()];
        let mut next_deadline: Option<Instant> = None;
        let mut fds = Vec::new();
        let mut fd_subs = Vec::new();
        for (i, w) in waits.iter().enumerate() {
            match *w {
                Wait::Now { nbytes, flags } => ready[i] = Some((nbytes, flags)),
                Wait::At(t) if t <= now && !first => ready[i] = Some((0, 0)),
                Wait::At(t) => next_deadline = Some(next_deadline.map_or(t, |d| d.min(t))),
                Wait::Fd(fd, flags) => {
                    fds.push(PollFd::from_borrowed_fd(fd, flags));
                    fd_subs.push(i);
                }
            }
        }
        // Check the descriptors: at once on the first round, else until
        // the next deadline.
        let timeout = if first || ready.iter().any(Option::is_some) {
            Some(Duration::ZERO)
        } else {
            next_deadline.map(|d| d.saturating_duration_since(now))
        };
        first = false;
        if !fds.is_empty() {
            let ts = timeout.map(|d| Timespec {
                tv_sec: d.as_secs() as i64,
                tv_nsec: d.subsec_nanos() as _,
            });
            match rustix::event::poll(&mut fds, ts.as_ref()) {
                Ok(_) | Err(rustix::io::Errno::INTR) => {}
                Err(e) => return Err(Errno::from_socket_error(&e.into()).into()),
            }
            for (pfd, &i) in fds.iter().zip(&fd_subs) {
                if !pfd.revents().is_empty() {
                    ready[i] = Some((1, 0));
                }
            }
        } else if let Some(t) = timeout {
            std::thread::sleep(t);
        }
        let events: Vec<Event> = subs
            .iter()
            .zip(&ready)
            .filter_map(|(&(userdata, sub), r)| {
                let (nbytes, flags) = (*r)?;
                let ty = match sub {
                    Sub::Clock { .. } => eventtype::CLOCK,
                    Sub::Read(_) => eventtype::FD_READ,
                    Sub::Write(_) => eventtype::FD_WRITE,
                };
                Some(Event {
                    userdata,
                    ty,
                    nbytes,
                    flags,
                })
            })
            .collect();
        if !events.is_empty() {
            return Ok(events);
        }
    }
}

fn stdin_fd() -> BorrowedFd<'static> {
    rustix::stdio::stdin()
}
