//! Executable memory for JIT code, W^X: no mapping is ever writable and
//! executable at once, and code once handed out is never written again.
//!
//! [`CodeArena`] packs a module's functions densely, so that calls between
//! small functions stay on few pages (few iTLB and icache misses) and adding
//! a function costs no permission change:
//!
//! - Linux: the arena's *chunks* (1 MiB of address space by default) are
//!   shared anonymous memory seen through two mappings: one read+execute,
//!   for the arena's lifetime, and one that is inaccessible except while
//!   code is copied in (made read+write over just the pages written, then
//!   inaccessible again; on AArch64 the new instructions are then made
//!   visible to instruction fetch). Pages materialise only when written.
//!   Allocation bumps a pointer, cache-line aligned; a function bigger
//!   than a chunk gets a chunk of its own. [`CodeArena::add_all`] writes a
//!   batch with one opening per chunk. (`/proc/<pid>/maps` names shared
//!   anonymous memory `/dev/zero`, which `perf` treats as anonymous, so it
//!   reads JIT symbols from `/tmp/perf-<pid>.map`; a memory file's
//!   mappings would hide them.)
//! - Elsewhere, or if the first chunk cannot be made,
//!   each function gets its own mapping ([`CodeMemory`]): mapped
//!   read+write, filled, made read+execute.
//!
//! Everything is unmapped when the arena is dropped: its owner must make
//! sure no code of it can run by then.

use crate::sys;
use parking_lot::Mutex;
use std::fmt;
use std::io;
use std::ptr::NonNull;

/// An operating-system failure while mapping or publishing code.
#[derive(Debug)]
pub struct CodeError {
    /// What was being done, e.g. "map a code chunk read+execute".
    op: &'static str,
    source: io::Error,
}

impl CodeError {
    fn new(op: &'static str, source: io::Error) -> CodeError {
        CodeError { op, source }
    }
}

impl fmt::Display for CodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "cannot {}: {}", self.op, self.source)
    }
}

impl std::error::Error for CodeError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&self.source)
    }
}

/// A block of machine code in its own mapping, read+execute.
#[derive(Debug)]
pub struct CodeMemory {
    base: NonNull<u8>,
    mapped: usize,
    len: usize,
}

// SAFETY: the mapping is immutable once published and owned by this value.
unsafe impl Send for CodeMemory {}
// SAFETY: as above; shared references only read or execute it.
unsafe impl Sync for CodeMemory {}

impl CodeMemory {
    /// Map `code` as executable. Errors if the OS refuses the mapping or
    /// the permission change.
    pub fn new(code: &[u8]) -> Result<CodeMemory, CodeError> {
        let page = sys::page_size();
        let mapped = code.len().max(1).div_ceil(page) * page;
        let base = sys::map_rw(mapped).map_err(|e| CodeError::new("map code memory", e))?;
        // SAFETY: `base` is a fresh read-write mapping of `mapped >= code.len()` bytes.
        unsafe { std::ptr::copy_nonoverlapping(code.as_ptr(), base.as_ptr(), code.len()) };
        // SAFETY: `[base, base + mapped)` is exactly the mapping made above.
        if let Err(e) = unsafe { sys::make_executable(base, mapped) } {
            // SAFETY: the mapping made above, not used afterwards.
            unsafe { sys::release(base, mapped) };
            return Err(CodeError::new("make code memory executable", e));
        }
        Ok(CodeMemory {
            base,
            mapped,
            len: code.len(),
        })
    }

    /// Address of the first instruction.
    pub fn as_ptr(&self) -> *const u8 {
        self.base.as_ptr()
    }

    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Does `pc` point into this code?
    pub fn contains(&self, pc: usize) -> bool {
        let start = self.base.as_ptr() as usize;
        pc >= start && pc < start + self.len
    }

    fn slice(&self) -> CodeSlice {
        CodeSlice {
            start: self.base.as_ptr() as usize,
            len: self.len,
        }
    }
}

impl Drop for CodeMemory {
    fn drop(&mut self) {
        // SAFETY: our own mapping; nothing runs this code once its owner is dropped.
        unsafe { sys::release(self.base, self.mapped) };
    }
}

/// Code handed out by a [`CodeArena`]: an address range, read+execute,
/// valid (and never written again) as long as the arena lives.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CodeSlice {
    start: usize,
    len: usize,
}

impl CodeSlice {
    /// Address of the first instruction.
    pub fn as_ptr(&self) -> *const u8 {
        self.start as *const u8
    }

    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Does `pc` point into this code?
    pub fn contains(&self, pc: usize) -> bool {
        pc >= self.start && pc < self.start + self.len
    }
}

/// Address space per chunk (bytes); pages are committed only when written.
pub const DEFAULT_CHUNK_SIZE: usize = 1 << 20;

/// Where each piece of code starts: a cache line. Code that reads data
/// placed among its instructions (jump tables) pads that data to whole
/// lines, and with every function starting on a line no other function's
/// instructions share them. A line holding both data that is read and
/// instructions that run bounces between the data and instruction caches
/// (3x slower on an interpreter loop dispatching through a jump table
/// whose line also held the start of the next, hot function).
pub const CODE_ALIGN: usize = 64;

/// A module's executable code; see the [module documentation](self).
pub struct CodeArena {
    chunk_size: usize,
    /// Use one mapping per function even where a memory file is available.
    per_function: bool,
    state: Mutex<State>,
}

struct State {
    backing: Backing,
    /// Why the arena fell back to one mapping per function, if it did.
    fallback: Option<String>,
    /// Bytes of code handed out.
    code_bytes: usize,
}

enum Backing {
    /// Nothing written yet: the first write picks the backing.
    Unset,
    #[cfg(target_os = "linux")]
    Shared(Shared),
    PerFunction(Vec<CodeMemory>),
}

/// What an arena holds, for statistics and tests.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ArenaStats {
    /// Executable mappings: chunks, or functions under the fallback.
    pub mappings: usize,
    /// Address space they take.
    pub mapped_bytes: usize,
    /// Bytes of code handed out.
    pub code_bytes: usize,
    /// One mapping per function (not a memory file), and why if it was not
    /// asked for.
    pub per_function: bool,
    pub fallback: Option<String>,
}

impl Default for CodeArena {
    fn default() -> Self {
        CodeArena::new()
    }
}

impl fmt::Debug for CodeArena {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CodeArena")
            .field("stats", &self.stats())
            .finish()
    }
}

impl CodeArena {
    /// An empty arena with [`DEFAULT_CHUNK_SIZE`] chunks. Maps nothing
    /// until code is added.
    pub fn new() -> CodeArena {
        CodeArena::with_chunk_size(DEFAULT_CHUNK_SIZE)
    }

    /// An empty arena whose chunks take `bytes` of address space (rounded
    /// up to whole pages).
    pub fn with_chunk_size(bytes: usize) -> CodeArena {
        let page = sys::page_size();
        CodeArena {
            chunk_size: bytes.max(1).div_ceil(page) * page,
            per_function: false,
            state: Mutex::new(State {
                backing: Backing::Unset,
                fallback: None,
                code_bytes: 0,
            }),
        }
    }

    /// An arena that maps each function on its own (what platforms without
    /// memory files get; also to compare and test against).
    pub fn per_function() -> CodeArena {
        CodeArena {
            per_function: true,
            ..CodeArena::new()
        }
    }

    /// Make `code` executable in the arena and return where it is.
    pub fn add(&self, code: &[u8]) -> Result<CodeSlice, CodeError> {
        let mut slices = self.add_all(&[code])?;
        Ok(slices.pop().expect("one slice per piece of code"))
    }

    /// Make every piece of `codes` executable, in order, writing each chunk
    /// they land in through one window. On error, none of them is handed
    /// out (space they were given stays unused).
    pub fn add_all(&self, codes: &[&[u8]]) -> Result<Vec<CodeSlice>, CodeError> {
        let mut state = self.state.lock();
        if matches!(state.backing, Backing::Unset) {
            state.backing = self.open(&mut state.fallback);
        }
        let slices = match &mut state.backing {
            Backing::Unset => unreachable!("the backing was just chosen"),
            #[cfg(target_os = "linux")]
            Backing::Shared(shared) => shared.add_all(codes, self.chunk_size)?,
            Backing::PerFunction(maps) => {
                let mut fresh = Vec::with_capacity(codes.len());
                for code in codes {
                    fresh.push(CodeMemory::new(code)?);
                }
                let slices = fresh.iter().map(CodeMemory::slice).collect();
                maps.extend(fresh);
                slices
            }
        };
        state.code_bytes += codes.iter().map(|c| c.len()).sum::<usize>();
        Ok(slices)
    }

    /// Pick the backing: a memory file where possible, with its first chunk
    /// (so that a system refusing executable shared mappings falls back
    /// too), else one mapping per function.
    fn open(&self, fallback: &mut Option<String>) -> Backing {
        #[cfg(target_os = "linux")]
        if !self.per_function {
            match Shared::open(self.chunk_size) {
                Ok(shared) => return Backing::Shared(shared),
                Err(e) => *fallback = Some(e.to_string()),
            }
        }
        let _ = fallback;
        Backing::PerFunction(Vec::new())
    }

    pub fn stats(&self) -> ArenaStats {
        let state = self.state.lock();
        let (mappings, mapped_bytes, per_function) = match &state.backing {
            Backing::Unset => (0, 0, self.per_function),
            #[cfg(target_os = "linux")]
            Backing::Shared(s) => (s.chunks.len(), s.chunks.iter().map(|c| c.len).sum(), false),
            Backing::PerFunction(maps) => (maps.len(), maps.iter().map(|m| m.mapped).sum(), true),
        };
        ArenaStats {
            mappings,
            mapped_bytes,
            code_bytes: state.code_bytes,
            per_function,
            fallback: state.fallback.clone(),
        }
    }
}

/// The Linux backing: chunks of shared anonymous memory, each mapped
/// twice (see the module docs).
#[cfg(target_os = "linux")]
struct Shared {
    chunks: Vec<Chunk>,
    /// The chunk functions up to a chunk in size go to.
    current: usize,
}

/// One chunk: its read+execute view and its writing view.
#[cfg(target_os = "linux")]
struct Chunk {
    base: NonNull<u8>,
    /// The same pages, inaccessible but while code is copied in.
    writer: NonNull<u8>,
    len: usize,
    /// Bytes allocated from the start.
    used: usize,
}

// SAFETY: a chunk is an address range owned by its arena; the arena's
// mutex serialises allocation and writes, and code handed out is only
// read or executed.
#[cfg(target_os = "linux")]
unsafe impl Send for Chunk {}

#[cfg(target_os = "linux")]
impl Drop for Chunk {
    fn drop(&mut self) {
        // SAFETY: exactly the two mappings made in `Shared::new_chunk`; the
        // arena's owner guarantees none of its code runs any more.
        unsafe {
            sys::release(self.base, self.len);
            sys::release(self.writer, self.len);
        }
    }
}

#[cfg(target_os = "linux")]
impl Shared {
    fn open(chunk_size: usize) -> Result<Shared, CodeError> {
        let mut shared = Shared {
            chunks: Vec::new(),
            current: 0,
        };
        shared.current = shared.new_chunk(chunk_size)?;
        Ok(shared)
    }

    /// Map a chunk of `len` (page multiple) bytes: the writing view, then
    /// its read+execute alias.
    fn new_chunk(&mut self, len: usize) -> Result<usize, CodeError> {
        let writer = sys::map_shared_anon(len)
            .map_err(|e| CodeError::new("map a code chunk's writing view", e))?;
        // SAFETY: `writer`/`len` is exactly the mapping just made.
        let base = match unsafe { sys::alias_executable(writer, len) } {
            Ok(base) => base,
            Err(e) => {
                // SAFETY: the mapping just made, not used.
                unsafe { sys::release(writer, len) };
                return Err(CodeError::new("map a code chunk read+execute", e));
            }
        };
        self.chunks.push(Chunk {
            base,
            writer,
            len,
            used: 0,
        });
        Ok(self.chunks.len() - 1)
    }

    /// Room for `len` bytes: (chunk, offset).
    fn place(&mut self, len: usize, chunk_size: usize) -> Result<(usize, usize), CodeError> {
        // At least one byte, so that every piece of code has its own start.
        let need = len.max(1);
        if need > chunk_size {
            let page = sys::page_size();
            let c = self.new_chunk(need.div_ceil(page) * page)?;
            self.chunks[c].used = need;
            return Ok((c, 0));
        }
        let chunk = &mut self.chunks[self.current];
        let offset = chunk.used.next_multiple_of(CODE_ALIGN);
        if offset + need <= chunk.len {
            chunk.used = offset + need;
            return Ok((self.current, offset));
        }
        let c = self.new_chunk(chunk_size)?;
        self.current = c;
        self.chunks[c].used = need;
        Ok((c, 0))
    }

    fn add_all(&mut self, codes: &[&[u8]], chunk_size: usize) -> Result<Vec<CodeSlice>, CodeError> {
        let mut placed = Vec::with_capacity(codes.len());
        for code in codes {
            placed.push(self.place(code.len(), chunk_size)?);
        }
        // Write chunk by chunk, each with one opening of its writing view.
        let mut order: Vec<usize> = (0..codes.len()).filter(|&i| !codes[i].is_empty()).collect();
        order.sort_by_key(|&i| placed[i]);
        for run in order.chunk_by(|&a, &b| placed[a].0 == placed[b].0) {
            let chunk = placed[run[0]].0;
            let pieces: Vec<(usize, &[u8])> =
                run.iter().map(|&i| (placed[i].1, codes[i])).collect();
            self.write(chunk, &pieces)?;
        }
        Ok(placed
            .iter()
            .zip(codes)
            .map(|(&(c, offset), code)| CodeSlice {
                start: self.chunks[c].base.as_ptr() as usize + offset,
                len: code.len(),
            })
            .collect())
    }

    /// Copy `pieces` (offset, code; sorted, non-empty, allocated and never
    /// written before) into `chunk`, opening its writing view over just
    /// the pages written.
    fn write(&self, chunk: usize, pieces: &[(usize, &[u8])]) -> Result<(), CodeError> {
        let page = sys::page_size();
        let chunk = &self.chunks[chunk];
        let first = pieces[0].0;
        let end = pieces
            .iter()
            .map(|(o, c)| o + c.len())
            .max()
            .unwrap_or(first);
        let (lo, hi) = (first / page * page, end.div_ceil(page) * page);
        // SAFETY: `[lo, hi)` is a page-aligned range inside the chunk's
        // writing view.
        let window = unsafe { chunk.writer.as_ptr().add(lo) };
        // SAFETY: as above.
        unsafe { sys::protect(window, hi - lo, true) }
            .map_err(|e| CodeError::new("open a code chunk for writing", e))?;
        for &(offset, code) in pieces {
            // SAFETY: the writing view is read+write over `[lo, hi)`,
            // `lo <= offset` and `offset + code.len() <= hi`; the range was
            // allocated to this code alone and no executable address of it
            // has been handed out yet.
            unsafe {
                std::ptr::copy_nonoverlapping(code.as_ptr(), window.add(offset - lo), code.len())
            };
        }
        // SAFETY: the range opened above.
        unsafe { sys::protect(window, hi - lo, false) }
            .map_err(|e| CodeError::new("close a code chunk for writing", e))?;
        // SAFETY: `[first, end)` lies inside the chunk's executable view.
        sys::flush_icache(unsafe { chunk.base.as_ptr().add(first) }, end - first);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `fn(a: i32, b: i32) -> i32 { a + b }` in machine code.
    #[cfg(target_arch = "x86_64")]
    const ADD: &[u8] = &[0x89, 0xf8, 0x01, 0xf0, 0xc3]; // mov eax, edi; add eax, esi; ret
    #[cfg(target_arch = "aarch64")]
    const ADD: &[u8] = &[0x00, 0x00, 0x01, 0x0b, 0xc0, 0x03, 0x5f, 0xd6]; // add w0, w0, w1; ret

    /// `fn() -> i32 { k }` in machine code.
    #[cfg(target_arch = "x86_64")]
    fn konst(k: u16) -> Vec<u8> {
        let mut v = vec![0xb8]; // mov eax, imm32
        v.extend_from_slice(&u32::from(k).to_le_bytes());
        v.push(0xc3); // ret
        v
    }
    #[cfg(target_arch = "aarch64")]
    fn konst(k: u16) -> Vec<u8> {
        let movz = 0x5280_0000u32 | (u32::from(k) << 5); // movz w0, #k
        let mut v = movz.to_le_bytes().to_vec();
        v.extend_from_slice(&0xd65f_03c0u32.to_le_bytes()); // ret
        v
    }

    #[cfg(any(target_arch = "x86_64", target_arch = "aarch64"))]
    fn call_add(p: *const u8) -> i32 {
        // SAFETY: callers pass code that is ADD, a complete function with
        // this C signature.
        let f: extern "C" fn(i32, i32) -> i32 = unsafe { std::mem::transmute(p) };
        f(40, 2)
    }

    #[cfg(any(target_arch = "x86_64", target_arch = "aarch64"))]
    fn call_konst(s: CodeSlice) -> i32 {
        // SAFETY: callers pass code made by `konst`, a complete function
        // with this C signature.
        let f: extern "C" fn() -> i32 = unsafe { std::mem::transmute(s.as_ptr()) };
        f()
    }

    /// The bytes at `s`, read through the executable mapping.
    fn bytes(s: CodeSlice) -> Vec<u8> {
        // SAFETY: `s` is readable code of an arena the caller keeps alive.
        unsafe { std::slice::from_raw_parts(s.as_ptr(), s.len()).to_vec() }
    }

    #[cfg(any(target_arch = "x86_64", target_arch = "aarch64"))]
    #[test]
    fn published_code_runs() {
        let code = CodeMemory::new(ADD).unwrap();
        assert_eq!(code.len(), ADD.len());
        assert!(code.contains(code.as_ptr() as usize));
        assert!(!code.contains(code.as_ptr() as usize + ADD.len()));
        assert_eq!(call_add(code.as_ptr()), 42);
    }

    #[test]
    fn empty_code_maps() {
        assert!(CodeMemory::new(&[]).unwrap().is_empty());
        for arena in [CodeArena::new(), CodeArena::per_function()] {
            let a = arena.add(&[]).unwrap();
            let b = arena.add(&[]).unwrap();
            assert!(a.is_empty() && b.is_empty());
            assert_ne!(a.as_ptr(), b.as_ptr(), "every piece has its own start");
        }
    }

    #[test]
    fn an_unused_arena_maps_nothing() {
        assert_eq!(CodeArena::new().stats().mappings, 0);
    }

    #[cfg(any(target_arch = "x86_64", target_arch = "aarch64"))]
    #[test]
    fn functions_added_to_an_arena_run() {
        for arena in [CodeArena::new(), CodeArena::per_function()] {
            let add = arena.add(ADD).unwrap();
            assert_eq!(add.len(), ADD.len());
            assert!(add.contains(add.as_ptr() as usize));
            assert!(!add.contains(add.as_ptr() as usize + ADD.len()));
            let seven = arena.add(&konst(7)).unwrap();
            assert_eq!(call_add(add.as_ptr()), 42);
            assert_eq!(call_konst(seven), 7);
        }
        assert!(CodeArena::per_function().stats().per_function);
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn an_arena_shares_chunks_on_linux() {
        let arena = CodeArena::new();
        arena.add(&[0; 8]).unwrap();
        let stats = arena.stats();
        assert!(!stats.per_function, "{stats:?}");
        assert_eq!(stats.fallback, None);
    }

    #[cfg(all(
        target_os = "linux",
        any(target_arch = "x86_64", target_arch = "aarch64")
    ))]
    #[test]
    fn many_small_functions_share_pages() {
        let arena = CodeArena::new();
        let slices: Vec<CodeSlice> = (0..1000).map(|k| arena.add(&konst(k)).unwrap()).collect();
        for (k, s) in slices.iter().enumerate() {
            assert_eq!(s.as_ptr() as usize % CODE_ALIGN, 0);
            assert_eq!(call_konst(*s), k as i32);
        }
        let page = sys::page_size();
        let mut pages: Vec<usize> = slices.iter().map(|s| s.as_ptr() as usize / page).collect();
        pages.dedup();
        // 1000 pieces of at most CODE_ALIGN bytes each.
        assert!(
            pages.len() <= (1000 * CODE_ALIGN).div_ceil(page) + 1,
            "{} pages",
            pages.len()
        );
        let stats = arena.stats();
        assert_eq!(stats.mappings, 1, "{stats:?}");
        assert_eq!(stats.code_bytes, 1000 * konst(0).len());
    }

    #[cfg(any(target_arch = "x86_64", target_arch = "aarch64"))]
    #[test]
    fn a_function_larger_than_a_chunk_gets_its_own() {
        let page = sys::page_size();
        let arena = CodeArena::with_chunk_size(2 * page);
        let small = arena.add(&konst(1)).unwrap();
        // ADD followed by padding it never reaches: 5 pages of code.
        let mut big = ADD.to_vec();
        big.resize(5 * page + 3, 0);
        let big = arena.add(&big).unwrap();
        assert_eq!(big.len(), 5 * page + 3);
        assert_eq!(call_add(big.as_ptr()), 42);
        // Small functions keep filling the chunk they were filling.
        let next = arena.add(&konst(2)).unwrap();
        assert_eq!(call_konst(small), 1);
        assert_eq!(call_konst(next), 2);
        #[cfg(target_os = "linux")]
        {
            assert_eq!(next.as_ptr() as usize, small.as_ptr() as usize + CODE_ALIGN);
            let stats = arena.stats();
            assert_eq!(stats.mappings, 2, "{stats:?}");
            assert_eq!(stats.mapped_bytes, 2 * page + 6 * page);
        }
        // Also within a batch.
        let mut huge = konst(9);
        huge.resize(3 * page, 0);
        let batch = arena.add_all(&[&konst(3), &huge, &konst(4)]).unwrap();
        assert_eq!(
            batch.iter().map(|s| call_konst(*s)).collect::<Vec<_>>(),
            [3, 9, 4]
        );
    }

    #[cfg(any(target_arch = "x86_64", target_arch = "aarch64"))]
    #[test]
    fn addresses_stay_valid_after_later_additions() {
        let page = sys::page_size();
        let arena = CodeArena::with_chunk_size(page);
        let first = arena.add(ADD).unwrap();
        let mut all = vec![];
        // Enough to fill several chunks, one at a time and in batches.
        for k in 0..300 {
            all.push((k, arena.add(&konst(k)).unwrap()));
        }
        let batch: Vec<Vec<u8>> = (300..900).map(konst).collect();
        let refs: Vec<&[u8]> = batch.iter().map(|c| c.as_slice()).collect();
        let slices = arena.add_all(&refs).unwrap();
        all.extend((300..900).zip(slices));
        assert_eq!(bytes(first), ADD);
        assert_eq!(call_add(first.as_ptr()), 42);
        for (k, s) in all {
            assert_eq!(bytes(s), konst(k));
            assert_eq!(call_konst(s), i32::from(k));
        }
        #[cfg(target_os = "linux")]
        assert!(
            arena.stats().mappings >= 900 * 16 / page,
            "{:?}",
            arena.stats()
        );
    }

    #[cfg(any(target_arch = "x86_64", target_arch = "aarch64"))]
    #[test]
    fn arenas_are_shared_between_threads() {
        let arena = std::sync::Arc::new(CodeArena::with_chunk_size(1));
        let threads: Vec<_> = (0..4u16)
            .map(|t| {
                let arena = arena.clone();
                std::thread::spawn(move || {
                    (0..200u16)
                        .map(|i| {
                            let k = t * 1000 + i;
                            (k, arena.add(&konst(k)).unwrap())
                        })
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        for t in threads {
            for (k, s) in t.join().unwrap() {
                assert_eq!(call_konst(s), i32::from(k));
            }
        }
    }

    /// The `/proc/self/maps` lines of mappings containing `addr`:
    /// (permissions, inode, name).
    #[cfg(target_os = "linux")]
    fn mapping_of(addr: usize) -> Option<(String, String, String)> {
        let maps = std::fs::read_to_string("/proc/self/maps").unwrap();
        maps.lines().find_map(|l| {
            let f: Vec<&str> = l.split_whitespace().collect();
            let (a, b) = f[0].split_once('-').unwrap();
            let (a, b) = (
                usize::from_str_radix(a, 16).unwrap(),
                usize::from_str_radix(b, 16).unwrap(),
            );
            (a <= addr && addr < b).then(|| {
                (
                    f[1].to_string(),
                    f[4].to_string(),
                    f.get(5).unwrap_or(&"").to_string(),
                )
            })
        })
    }

    /// Inodes of all mappings now.
    #[cfg(target_os = "linux")]
    fn mapped_inodes() -> Vec<String> {
        let maps = std::fs::read_to_string("/proc/self/maps").unwrap();
        maps.lines()
            .map(|l| l.split_whitespace().nth(4).unwrap().to_string())
            .collect()
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn drop_unmaps_every_chunk() {
        let page = sys::page_size();
        let arena = CodeArena::with_chunk_size(page);
        let code = vec![0xc3u8; page / 2 + 1]; // two per chunk won't fit
        let starts: Vec<usize> = (0..3)
            .map(|_| arena.add(&code).unwrap().as_ptr() as usize)
            .collect();
        assert_eq!(arena.stats().mappings, 3);
        // Each chunk: executable, shared, and shown as /dev/zero (which
        // perf treats as anonymous memory, reading JIT symbols from its
        // map file). Other tests map memory concurrently, so the chunks
        // are told apart by the inodes of their shared memory.
        let inodes: Vec<String> = starts
            .iter()
            .map(|&s| {
                let (perms, inode, name) = mapping_of(s).unwrap();
                assert_eq!(perms, "r-xs");
                assert!(name.starts_with("/dev/zero"), "{name}");
                inode
            })
            .collect();
        drop(arena);
        let now = mapped_inodes();
        for inode in &inodes {
            assert!(!now.contains(inode), "chunk {inode} still mapped");
        }
    }

    #[test]
    fn errors_say_what_failed() {
        let e = CodeError::new(
            "map a code chunk read+execute",
            io::Error::from_raw_os_error(libc::ENOMEM),
        );
        let text = e.to_string();
        assert!(
            text.starts_with("cannot map a code chunk read+execute: "),
            "{text}"
        );
        assert!(std::error::Error::source(&e).is_some());
    }
}
