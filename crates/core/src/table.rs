//! Table instances: growable arrays of raw references.
//!
//! Elements are stored as u64 (see [`crate::vm`]); `vm` mirrors the storage
//! for JIT code and is refreshed after every operation that may reallocate.

use crate::trap::TrapCode;
use crate::types::TableType;
use crate::vm::VMTable;

/// `vm` is first (and the layout C) so a `*mut TableInstance` is a `*mut VMTable`.
#[repr(C)]
#[derive(Debug)]
pub struct TableInstance {
    pub vm: VMTable,
    elems: Vec<u64>,
    pub ty: TableType,
    /// Largest size this table may reach (type max, capped by the limit).
    max: u32,
}

// SAFETY: `vm` only points into `elems`, owned by self.
unsafe impl Send for TableInstance {}

impl TableInstance {
    /// A table of type `ty` filled with `init`, growable to at most `limit` elements.
    pub fn new(ty: TableType, init: u64, limit: u32) -> Result<TableInstance, String> {
        let max = ty.max.unwrap_or(u32::MAX).min(limit);
        if ty.min > max {
            return Err(format!(
                "table minimum of {} elements exceeds the limit of {max}",
                ty.min
            ));
        }
        let mut t = TableInstance {
            vm: VMTable {
                base: std::ptr::null_mut(),
                len: 0,
            },
            elems: vec![init; ty.min as usize],
            ty,
            max,
        };
        t.sync();
        Ok(t)
    }

    fn sync(&mut self) {
        self.vm.base = self.elems.as_mut_ptr();
        self.vm.len = self.elems.len() as u32;
    }

    /// The most elements it may grow to.
    pub fn max(&self) -> u32 {
        self.max
    }

    /// Growing by `delta` elements, as a store's limiter is asked.
    pub fn growth(&self, delta: u32) -> crate::vm::Growth {
        let current = self.size() as usize;
        crate::vm::Growth {
            table: true,
            current,
            desired: current.saturating_add(delta as usize),
            maximum: Some(self.max as usize),
        }
    }

    pub fn size(&self) -> u32 {
        self.elems.len() as u32
    }

    pub fn elements(&self) -> &[u64] {
        &self.elems
    }

    pub fn get(&self, i: u32) -> Option<u64> {
        self.elems.get(i as usize).copied()
    }

    pub fn set(&mut self, i: u32, v: u64) -> Result<(), TrapCode> {
        *self
            .elems
            .get_mut(i as usize)
            .ok_or(TrapCode::TableOutOfBounds)? = v;
        Ok(())
    }

    /// Grow by `delta` elements set to `init`; the old size, or `None` if refused.
    pub fn grow(&mut self, delta: u32, init: u64) -> Option<u32> {
        let old = self.size();
        let new = old.checked_add(delta)?;
        if new > self.max {
            return None;
        }
        self.elems.try_reserve(delta as usize).ok()?;
        self.elems.resize(new as usize, init);
        self.sync();
        Some(old)
    }

    pub fn fill(&mut self, dst: u32, val: u64, len: u32) -> Result<(), TrapCode> {
        let end = (dst as u64) + (len as u64);
        if end > self.elems.len() as u64 {
            return Err(TrapCode::TableOutOfBounds);
        }
        self.elems[dst as usize..end as usize].fill(val);
        Ok(())
    }

    /// Copy within this table (`memmove` semantics).
    pub fn copy_within(&mut self, dst: u32, src: u32, len: u32) -> Result<(), TrapCode> {
        let n = self.elems.len() as u64;
        if dst as u64 + len as u64 > n || src as u64 + len as u64 > n {
            return Err(TrapCode::TableOutOfBounds);
        }
        self.elems
            .copy_within(src as usize..(src + len) as usize, dst as usize);
        Ok(())
    }

    /// Copy `len` elements of `src` starting at `src_at` to `dst_at`.
    pub fn init_from(
        &mut self,
        dst_at: u32,
        src: &[u64],
        src_at: u32,
        len: u32,
    ) -> Result<(), TrapCode> {
        let n = self.elems.len() as u64;
        if dst_at as u64 + len as u64 > n || src_at as u64 + len as u64 > src.len() as u64 {
            return Err(TrapCode::TableOutOfBounds);
        }
        self.elems[dst_at as usize..(dst_at + len) as usize]
            .copy_from_slice(&src[src_at as usize..(src_at + len) as usize]);
        Ok(())
    }
}

/// `table.copy` between two different tables.
pub fn copy_between(
    dst: &mut TableInstance,
    dst_at: u32,
    src: &TableInstance,
    src_at: u32,
    len: u32,
) -> Result<(), TrapCode> {
    dst.init_from(dst_at, &src.elems, src_at, len)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::types::RefType;

    #[test]
    fn grow_fill_copy() {
        let ty = TableType {
            elem: RefType::FuncRef,
            min: 2,
            max: Some(5),
        };
        let mut t = TableInstance::new(ty, 0, u32::MAX).unwrap();
        assert_eq!(t.grow(2, 9), Some(2));
        assert_eq!(t.vm.len, 4);
        assert_eq!(t.get(3), Some(9));
        assert_eq!(t.grow(2, 0), None);
        t.fill(0, 5, 2).unwrap();
        assert_eq!(t.fill(3, 5, 2), Err(TrapCode::TableOutOfBounds));
        t.copy_within(1, 0, 3).unwrap();
        assert_eq!(t.elements(), &[5, 5, 5, 9]);
    }
}
