//! Process-wide canonical signature ids.
//!
//! `call_indirect` compares a callee's signature with the expected one by a
//! single integer compare, across modules and instances. Ids are interned for
//! the life of the process (there are few distinct signatures in practice).

use crate::types::FuncType;
use std::collections::HashMap;
use std::sync::{Mutex, OnceLock};

/// A canonical signature id: equal ids mean structurally equal function types.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[repr(transparent)]
pub struct SigId(pub u32);

struct Registry {
    ids: HashMap<FuncType, SigId>,
    /// Types of explicit recursion groups of two or more: identified by
    /// the whole group and their place in it (iso-recursive equivalence).
    group_ids: HashMap<(Vec<FuncType>, usize), SigId>,
    types: Vec<FuncType>,
}

fn registry() -> &'static Mutex<Registry> {
    static REG: OnceLock<Mutex<Registry>> = OnceLock::new();
    REG.get_or_init(|| {
        Mutex::new(Registry {
            ids: HashMap::new(),
            group_ids: HashMap::new(),
            types: Vec::new(),
        })
    })
}

/// The canonical id of `ty`.
pub fn intern(ty: &FuncType) -> SigId {
    let mut reg = registry().lock().unwrap_or_else(|e| e.into_inner());
    if let Some(id) = reg.ids.get(ty) {
        return *id;
    }
    let id = SigId(reg.types.len() as u32);
    reg.types.push(ty.clone());
    reg.ids.insert(ty.clone(), id);
    id
}

/// The canonical id of type `index` of recursion group `group`: two types
/// are the same when their groups are equal and they sit at the same place
/// (a group of one is just its type).
pub fn intern_in_group(group: &[FuncType], index: usize) -> SigId {
    if group.len() == 1 {
        return intern(&group[0]);
    }
    let mut reg = registry().lock().unwrap_or_else(|e| e.into_inner());
    let key = (group.to_vec(), index);
    if let Some(id) = reg.group_ids.get(&key) {
        return *id;
    }
    let id = SigId(reg.types.len() as u32);
    reg.types.push(group[index].clone());
    reg.group_ids.insert(key, id);
    id
}

/// The function type behind a canonical id.
pub fn lookup(id: SigId) -> FuncType {
    let reg = registry().lock().unwrap_or_else(|e| e.into_inner());
    reg.types[id.0 as usize].clone()
}
