//! The order blocks are emitted in, and which of them head loops.

use crate::ir::{BlockId, Func};

/// The blocks to emit, in layout order, into `emitted` (those branches
/// skip, per `forward`, are left out); and per block whether it heads a
/// loop, into `loop_header`: a later block in that order branches back
/// to it. `order` is scratch.
pub(crate) fn emission_order(
    f: &Func,
    forward: &[Option<BlockId>],
    emitted: &mut Vec<BlockId>,
    order: &mut Vec<u32>,
    loop_header: &mut Vec<bool>,
) {
    emitted.clear();
    emitted.extend(
        f.layout
            .iter()
            .copied()
            .filter(|b| forward[b.0 as usize].is_none()),
    );
    order.clear();
    order.resize(f.blocks.len(), 0);
    for (i, &b) in emitted.iter().enumerate() {
        order[b.0 as usize] = i as u32;
    }
    loop_header.clear();
    loop_header.resize(f.blocks.len(), false);
    for &b in emitted.iter() {
        for s in f.successors(b) {
            let s = forward[s.0 as usize].unwrap_or(s);
            if order[s.0 as usize] <= order[b.0 as usize] {
                loop_header[s.0 as usize] = true;
            }
        }
    }
}
