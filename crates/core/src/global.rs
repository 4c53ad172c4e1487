//! Global variable instances.

use crate::types::GlobalType;
use crate::vm::VMGlobal;

/// A global's storage and type. `vm` is first so a pointer to it is stable.
#[repr(C)]
#[derive(Debug)]
pub struct GlobalInstance {
    pub vm: VMGlobal,
    pub ty: GlobalType,
}

impl GlobalInstance {
    pub fn new(ty: GlobalType, bits: u64) -> GlobalInstance {
        GlobalInstance {
            vm: VMGlobal { bits },
            ty,
        }
    }
}
