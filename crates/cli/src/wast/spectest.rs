//! The `spectest` host module the spec scripts import from.

use wx_runtime::{
    Error, Func, FuncType, Global, GlobalType, Linker, Memory, MemoryType, RefType, SharedMemory,
    Store, Table, TableType, Val, ValType,
};

pub(super) fn define(store: &mut Store<()>, linker: &mut Linker<()>) -> Result<(), Error> {
    let prints: [(&str, Vec<ValType>); 7] = [
        ("print", vec![]),
        ("print_i32", vec![ValType::I32]),
        ("print_i64", vec![ValType::I64]),
        ("print_f32", vec![ValType::F32]),
        ("print_f64", vec![ValType::F64]),
        ("print_i32_f32", vec![ValType::I32, ValType::F32]),
        ("print_f64_f64", vec![ValType::F64, ValType::F64]),
    ];
    for (name, params) in prints {
        let f = Func::new(&mut *store, FuncType::new(params, []), |_, _, _| Ok(()));
        linker.define("spectest", name, f)?;
    }
    let globals = [
        ("global_i32", ValType::I32, Val::I32(666)),
        ("global_i64", ValType::I64, Val::I64(666)),
        ("global_f32", ValType::F32, Val::from(666.6f32)),
        ("global_f64", ValType::F64, Val::from(666.6f64)),
    ];
    for (name, ty, v) in globals {
        let g = Global::new(
            &mut *store,
            GlobalType {
                content: ty,
                mutable: false,
            },
            v,
        )?;
        linker.define("spectest", name, g)?;
    }
    let table = Table::new(
        &mut *store,
        TableType {
            elem: RefType::FuncRef,
            min: 10,
            max: Some(20),
        },
        Val::FuncRef(None),
    )?;
    linker.define("spectest", "table", table)?;
    let memory = Memory::new(
        &mut *store,
        MemoryType {
            min: 1,
            max: Some(2),
            shared: false,
        },
    )?;
    linker.define("spectest", "memory", memory)?;
    let shared = SharedMemory::new(
        store.engine(),
        MemoryType {
            min: 1,
            max: Some(2),
            shared: true,
        },
    )?;
    linker.define("spectest", "shared_memory", shared)?;
    Ok(())
}
