//! The emission driver: the walk over an allocated function that every
//! back end shares, talking to the ISA through [`Lowering`].
//!
//! The driver decides, the same way for every ISA:
//! - which blocks are emitted, in what order, and which jumps copy a
//!   dispatch block instead ([`super::forward`], [`super::layout`],
//!   [`super::dispatch`]);
//! - where each vreg lives at each point: its allocated location, or its
//!   loop register inside a loop that splits it
//!   ([`crate::regalloc::loop_split`]);
//! - the moves the allocation lists besides the instructions' own (its
//!   edits, [`crate::regalloc::edits`]: saves and reloads around calls,
//!   loop-entry loads, write-through, landing-pad reloads), each at its
//!   instruction;
//! - the order of a parallel move's steps ([`super::moves`]);
//! - the function's metadata: trap sites with their trap kind, faulting
//!   accesses, call sites and handler sites, each with its wasm offset.
//!
//! The ISA lowers each instruction, performs single moves between its
//! locations, and lays out frames and entry points.

use super::dispatch;
use super::forward::{self, ChainScratch};
use super::layout;
use super::moves::{self, Location, Move, MoveSink};
use crate::error::JitError;
use crate::ir::{BlockId, Func, Inst};
use crate::isa::{CallSite, Handlers, PadClause, SiteKind, TrapSite};
use crate::regalloc::{Allocation, Edit, Loc, PReg, Place, When};
use wx_core::TrapCode;

/// What a back end provides to the driver: its locations, single moves
/// (through [`MoveSink`]), block starts and the lowering of one
/// instruction. `'a` is the lifetime of the function and its allocation.
pub(crate) trait Lowering<'a>: MoveSink<Self::Loc> + Sized {
    /// Where a value lives: a register of either class, or memory.
    type Loc: Location + Copy;
    /// A code position the ISA's assembler binds.
    type Label: Copy + Eq;

    fn func(&self) -> &'a Func;
    fn alloc(&self) -> &'a Allocation;
    fn driver(&mut self) -> &mut Driver<Self::Loc, Self::Label>;
    fn driver_ref(&self) -> &Driver<Self::Loc, Self::Label>;

    /// The location of allocator register `p`.
    fn reg_loc(&self, p: PReg) -> Self::Loc;
    /// Spill slot `k`.
    fn slot_loc(&self, k: u32) -> Self::Loc;

    /// Start block `b`'s code (aligned first if it heads a loop).
    fn start_block(&mut self, b: BlockId, loop_header: bool);

    /// At a landing pad (an [`Inst::Landing`] about to be lowered):
    /// restore the frame, which the pad's edits then reload registers in.
    fn enter_pad(&mut self);

    /// Emit live instruction `inst` (the current instruction of
    /// [`Driver::cur_inst`]); `next` is the block emitted after this one.
    fn lower(&mut self, inst: &Inst, next: Option<BlockId>) -> Result<(), JitError>;

    /// An empty buffer for the moves of a [`Lowering::parallel_move`],
    /// which hands it back: one allocation serves all the function's moves.
    fn take_moves(&mut self) -> Vec<Move<Self::Loc>> {
        let mut moves = std::mem::take(&mut self.driver().moves);
        moves.clear();
        moves
    }

    /// Perform `moves` as if all at once (see [`super::moves`] for the
    /// order), keeping the buffer for the next parallel move.
    /// (Inline for one move or none, most parallel moves: a parameter, an
    /// argument or a result, with nothing to order.)
    #[inline(always)]
    fn parallel_move(&mut self, moves: Vec<Move<Self::Loc>>) {
        if moves.len() > 1 {
            parallel_moves(self, moves);
            return;
        }
        if let Some(m) = moves.first().filter(|m| !m.dst.same_register(&m.src)) {
            self.move_one(m);
        }
        self.driver().moves = moves;
    }

    /// The location of `p`.
    fn place_loc(&self, p: Place) -> Self::Loc {
        match p {
            Place::Reg(r) => self.reg_loc(r),
            Place::Slot(k) => self.slot_loc(k),
        }
    }

    /// Whether code for `b` (or the block it forwards to) comes next.
    fn is_next(&self, b: BlockId, next: Option<BlockId>) -> bool {
        let labels = &self.driver_ref().labels;
        next.is_some_and(|n| labels[n.0 as usize] == labels[b.0 as usize])
    }
}

/// [`Lowering::parallel_move`] of several moves.
#[inline(never)]
fn parallel_moves<'a, E: Lowering<'a>>(e: &mut E, moves: Vec<Move<E::Loc>>) {
    let mut pending = std::mem::take(&mut e.driver().pending_moves);
    moves::parallel_moves(&moves, &mut pending, e);
    let d = e.driver();
    d.pending_moves = pending;
    d.moves = moves;
}

/// The driver's state for one function, and buffers kept from one
/// function to the next.
pub(crate) struct Driver<L, Label> {
    /// Where each vreg lives at the point being emitted.
    pub locs: Vec<L>,
    /// Each block's label; a forwarded block has its target's.
    pub labels: Vec<Label>,
    /// Where branches to each block go instead (see
    /// [`forward::forwarding_targets`]).
    forward: Vec<Option<BlockId>>,
    direct: Vec<Option<BlockId>>,
    chain: ChainScratch,
    /// Per block: how many more jumps to it may copy it (see
    /// [`dispatch::dispatch_blocks`]).
    dispatch_copies: Vec<u32>,
    /// The blocks emitted, in layout order; per block, its index there
    /// and whether it heads a loop.
    emitted: Vec<BlockId>,
    order: Vec<u32>,
    loop_header: Vec<bool>,
    split_cursor: SplitCursor,
    /// The IR instruction being emitted (sites name it).
    pub cur_inst: u32,
    /// Faulting accesses: code offset, trap, IR instruction.
    faults: Vec<(u32, TrapCode, u32)>,
    /// Calls into wasm code: return offset and IR instruction.
    calls: Vec<(u32, u32)>,
    /// Calls and throws inside handler scopes: offset and scope.
    handler_sites: Vec<(u32, u32)>,
    /// Where traps reach the trap exit (see [`TrapSite`]).
    sites: Vec<TrapSite>,
    moves: Vec<Move<L>>,
    pending_moves: Vec<Move<L>>,
}

impl<L, Label> Default for Driver<L, Label> {
    fn default() -> Self {
        Driver {
            locs: Vec::new(),
            labels: Vec::new(),
            forward: Vec::new(),
            direct: Vec::new(),
            chain: ChainScratch::default(),
            dispatch_copies: Vec::new(),
            emitted: Vec::new(),
            order: Vec::new(),
            loop_header: Vec::new(),
            split_cursor: SplitCursor::default(),
            cur_inst: 0,
            faults: Vec::new(),
            calls: Vec::new(),
            handler_sites: Vec::new(),
            sites: Vec::new(),
            moves: Vec::new(),
            pending_moves: Vec::new(),
        }
    }
}

impl<L: Copy, Label: Copy + Eq> Driver<L, Label> {
    /// Ready for `f` as allocated by `alloc`: a label per block from
    /// `new_label`, forwarding decided (branches to a block that only
    /// jumps go where it leads, unless it loads split values entering a
    /// loop), and the dispatch blocks that jumps copy (a `br_table` of
    /// more than `chain_max` cases has a jump table).
    pub fn prepare(
        &mut self,
        f: &Func,
        alloc: &Allocation,
        chain_max: usize,
        mut new_label: impl FnMut() -> Label,
    ) {
        self.labels.clear();
        self.labels.extend((0..f.blocks.len()).map(|_| new_label()));
        forward::forwarding_targets(
            f,
            alloc,
            &mut self.direct,
            &mut self.forward,
            &mut self.chain,
        );
        if !alloc.loop_splits.is_empty() {
            forward::keep_loop_entries(f, alloc, &self.direct, &mut self.forward, &mut self.chain);
        }
        dispatch::dispatch_blocks(
            f,
            alloc,
            &self.forward,
            chain_max,
            &mut self.dispatch_copies,
        );
        for (b, t) in self.forward.iter().enumerate() {
            if let Some(t) = t {
                self.labels[b] = self.labels[t.0 as usize];
            }
        }
        self.split_cursor = SplitCursor::default();
        self.cur_inst = 0;
        self.faults.clear();
        self.calls.clear();
        self.handler_sites.clear();
        self.sites.clear();
    }

    /// The label of block `b` (its forwarding target's if it has one).
    pub fn label(&self, b: BlockId) -> Label {
        self.labels[b.0 as usize]
    }

    /// The block a branch to `b` reaches once forwarding blocks are skipped.
    fn resolve(&self, b: BlockId) -> BlockId {
        self.forward[b.0 as usize].unwrap_or(b)
    }

    /// Note a faulting access of the current instruction at code offset
    /// `pc`: a fault there is a trap with `code`.
    pub fn fault_site(&mut self, pc: u32, code: TrapCode) {
        self.faults.push((pc, code, self.cur_inst));
    }

    /// Note a call into wasm code by the current instruction, returning
    /// to code offset `ret`; and, if an exception leaving it lands in a
    /// handler scope of `f`, that scope.
    pub fn call_site(&mut self, f: &Func, ret: u32) {
        self.calls.push((ret, self.cur_inst));
        self.handler_site(f, self.cur_inst, ret);
    }

    /// Note that an exception may leave IR instruction `inst` (a call or
    /// a throw) at code offset `at`, if it throws into a handler scope of
    /// `f` (its block then ends in [`Inst::Throwing`]).
    pub fn handler_site(&mut self, f: &Func, inst: u32, at: u32) {
        if let Some(&Inst::Throwing { scope, .. }) = f.insts.get(inst as usize + 1) {
            self.handler_sites.push((at, scope));
        }
    }

    /// Note a trap site: a trap of IR instruction `inst` reaches the trap
    /// exit with `pc` there, arriving as `kind`.
    pub fn trap_site(&mut self, f: &Func, pc: u32, kind: SiteKind, inst: u32) {
        let (wasm_offset, caller_offset) = f.srcloc(inst);
        self.sites.push(TrapSite {
            pc,
            kind,
            wasm_offset,
            caller_offset,
        });
    }

    /// The handler sites noted, sorted by offset (the buffer is taken).
    fn take_handler_sites(&mut self) -> Vec<(u32, u32)> {
        let mut sites = std::mem::take(&mut self.handler_sites);
        sites.sort_unstable_by_key(|s| s.0);
        sites
    }

    /// `f`'s handler tables once its code is final: `pad_offset` gives
    /// the code offset of a block's label, `frame_size` the bytes from
    /// the frame pointer down to the body's stack pointer.
    pub fn handler_tables(
        &mut self,
        f: &Func,
        pad_offset: impl Fn(Label) -> u32,
        frame_size: u32,
    ) -> Handlers {
        if f.catches.is_empty() {
            return Handlers::default();
        }
        let sites = self.take_handler_sites();
        let mut clauses = Vec::new();
        let scopes = f
            .scopes
            .iter()
            .map(|s| {
                let start = clauses.len() as u32;
                for &c in f.list_items(s.clauses) {
                    let c = f.catches[c as usize];
                    clauses.push(PadClause {
                        tag: c.tag,
                        pad: pad_offset(self.label(c.pad)),
                        keeps_ref: c.keeps_ref,
                        legacy: c.legacy,
                    });
                }
                (s.parent, start..clauses.len() as u32)
            })
            .collect();
        Handlers {
            sites,
            scopes,
            clauses,
            frame_size,
        }
    }

    /// The function's trap sites (faulting accesses included) and call
    /// sites, each sorted by offset.
    pub fn site_tables(&mut self, f: &Func) -> (Vec<TrapSite>, Vec<CallSite>) {
        let mut sites = std::mem::take(&mut self.sites);
        sites.extend(self.faults.iter().map(|&(pc, code, inst)| {
            let (wasm_offset, caller_offset) = f.srcloc(inst);
            TrapSite {
                pc,
                kind: SiteKind::Fault(code),
                wasm_offset,
                caller_offset,
            }
        }));
        sites.sort_unstable_by_key(|s| s.pc);
        let calls = self
            .calls
            .iter()
            .map(|&(ret, inst)| {
                let (wasm_offset, caller_offset) = f.srcloc(inst);
                CallSite {
                    ret,
                    wasm_offset,
                    caller_offset,
                }
            })
            .collect();
        (sites, calls)
    }

    /// Whether buffers grew past `keep` entries (one huge function
    /// should not pin its memory for the thread's life).
    pub fn oversized(&self, keep: usize) -> bool {
        self.labels.capacity() > keep
            || self.forward.capacity() > keep
            || self.faults.capacity() > keep
    }
}

/// Every vreg's location into `locs`: `reg` of its register, `slot` of
/// its spill slot, and for a value never live `none(is_float)`, a scratch
/// register of its class. Returns the set of allocator registers used.
pub(crate) fn map_locs<L>(
    f: &Func,
    alloc: &Allocation,
    locs: &mut Vec<L>,
    reg: impl Fn(PReg) -> L,
    slot: impl Fn(u32) -> L,
    none: impl Fn(bool) -> L,
) -> u64 {
    let mut used = 0u64;
    locs.clear();
    locs.extend(
        alloc
            .locs
            .iter()
            .zip(&f.vregs)
            .map(|(&loc, &ty)| match loc {
                Loc::Reg(p) => {
                    used |= 1 << p.0;
                    reg(p)
                }
                Loc::Stack(k) => slot(k),
                Loc::None => none(ty.is_float()),
            }),
    );
    used
}

/// Emit the blocks of the function `e` lowers, in layout order.
pub(crate) fn emit_blocks<'a, E: Lowering<'a>>(e: &mut E) -> Result<(), JitError> {
    let f = e.func();
    let d = e.driver();
    let (mut emitted, mut order, mut loop_header) = (
        std::mem::take(&mut d.emitted),
        std::mem::take(&mut d.order),
        std::mem::take(&mut d.loop_header),
    );
    layout::emission_order(f, &d.forward, &mut emitted, &mut order, &mut loop_header);
    let mut result = Ok(());
    for (i, &b) in emitted.iter().enumerate() {
        let next = emitted.get(i + 1).copied();
        e.start_block(b, loop_header[b.0 as usize]);
        result = block_body(e, b, next);
        if result.is_err() {
            break;
        }
    }
    let d = e.driver();
    (d.emitted, d.order, d.loop_header) = (emitted, order, loop_header);
    result
}

/// Block `b`'s live instructions and the edits among them (`next` is the
/// block emitted after it).
fn block_body<'a, E: Lowering<'a>>(
    e: &mut E,
    b: BlockId,
    next: Option<BlockId>,
) -> Result<(), JitError> {
    let (f, alloc) = (e.func(), e.alloc());
    enter_block(e, b);
    let insts = f.blocks[b.0 as usize].insts.clone();
    let mut edits = alloc.edits_at_or_after(insts.start);
    for at in insts {
        let live = !alloc.dead[at as usize];
        let inst = &f.insts[at as usize];
        e.driver().cur_inst = at;
        if live && matches!(inst, Inst::Landing { .. }) {
            e.enter_pad();
        }
        let edited = edits.first().is_some_and(|x| x.inst == at);
        if edited {
            edits = perform(e, edits, at, When::Before);
        }
        if !live {
            continue;
        }
        match *inst {
            Inst::Jump { target } => {
                if !copy_dispatch(e, target, next)? {
                    e.lower(inst, next)?;
                }
            }
            _ => e.lower(inst, next)?,
        }
        if edited {
            edits = perform(e, edits, at, When::After);
        }
    }
    Ok(())
}

/// Perform the edits at the front of `edits` that happen at instruction
/// `at`, `when`; returns the rest.
#[inline(never)]
fn perform<'a, 'e, E: Lowering<'a>>(
    e: &mut E,
    mut edits: &'e [Edit],
    at: u32,
    when: When,
) -> &'e [Edit] {
    while let Some(edit) = edits.first().filter(|x| x.inst == at && x.when == when) {
        let m = Move {
            dst: e.place_loc(edit.to),
            src: e.place_loc(edit.from),
            ty: e.func().ty(edit.vreg),
        };
        e.move_one(&m);
        edits = &edits[1..];
    }
    edits
}

/// In place of a jump to `target`, emit a copy of the dispatch block it
/// leads to, if it is one with copies left and does not come next.
/// Returns whether it did.
///
/// The copy is exact: it is emitted with the block's own locations and
/// edits, and the edits on the edge into it (loop-entry loads) are done
/// before the jump it replaces, so its code runs in the state the block
/// itself would start in. Copies share the block's jump table.
fn copy_dispatch<'a, E: Lowering<'a>>(
    e: &mut E,
    target: BlockId,
    next: Option<BlockId>,
) -> Result<bool, JitError> {
    if e.is_next(target, next) {
        return Ok(false);
    }
    let d = e.driver();
    let b = d.resolve(target);
    let left = &mut d.dispatch_copies[b.0 as usize];
    if *left == 0 {
        return Ok(false);
    }
    *left -= 1;
    block_body(e, b, next)?;
    // The next block finds its split locations afresh.
    e.driver().split_cursor = SplitCursor::default();
    Ok(true)
}

/// Where emission stands among the loop splits: blocks are emitted in
/// layout (that is, position) order, so the split locations only change
/// where a split loop starts or ends.
#[derive(Clone, Copy, Debug)]
struct SplitCursor {
    /// The block position the locations were last computed for.
    at: u32,
    /// The first split (by span start) not yet entered.
    next: usize,
    /// The last position at which every split covering `at` still covers;
    /// `u32::MAX` when none covers it.
    until: u32,
}

impl Default for SplitCursor {
    fn default() -> Self {
        SplitCursor {
            at: u32::MAX,
            next: 0,
            until: u32::MAX,
        }
    }
}

/// Point the split values at their loop registers if block `b` is inside
/// their loop, else at their spill slots.
fn enter_block<'a, E: Lowering<'a>>(e: &mut E, b: BlockId) {
    let (f, alloc) = (e.func(), e.alloc());
    let splits = &alloc.loop_splits;
    if splits.is_empty() {
        return;
    }
    let p = 2 * f.blocks[b.0 as usize].insts.start;
    let c = e.driver_ref().split_cursor;
    let entering = splits.get(c.next).is_some_and(|s| s.span.0 <= p);
    if c.at <= p && p <= c.until && !entering {
        e.driver().split_cursor.at = p;
        return;
    }
    for s in splits {
        if let Loc::Stack(k) = alloc.loc(s.vreg) {
            let slot = e.slot_loc(k);
            e.driver().locs[s.vreg.0 as usize] = slot;
        }
    }
    let mut until = u32::MAX;
    for s in splits {
        if s.covers(p) {
            let reg = e.reg_loc(s.reg);
            e.driver().locs[s.vreg.0 as usize] = reg;
            until = until.min(s.span.1);
        }
    }
    e.driver().split_cursor = SplitCursor {
        at: p,
        next: splits.partition_point(|s| s.span.0 <= p),
        until,
    };
}
