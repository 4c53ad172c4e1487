//! The background compiler: one thread per process that compiles the
//! functions `tiered` reports hot, while the interpreter keeps running them.
//!
//! The interpreting thread only queues a job ([`submit`]); the worker takes
//! every queued job (up to [`BATCH`]), compiles a module's functions as one
//! batch, loads them into the module's code arena together (one write
//! window per chunk, instead of one per function) and publishes them in
//! `ModuleInner::compiled`. Entry slots belong to stores, so the worker
//! never touches them: the interpreter asks again every few calls of a
//! pending function, and the hook swaps the slots on the store's own thread
//! once the code is there.
//!
//! Jobs hold the module weakly: a module dropped while its jobs wait is not
//! compiled. A panic in the compiler fails that batch's functions (they stay
//! interpreted) instead of ending the worker.

use super::{compile_batch, install, Trigger};
use crate::module::ModuleInner;
use parking_lot::{Condvar, Mutex};
use std::collections::VecDeque;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::atomic::Ordering;
use std::sync::{Arc, OnceLock, Weak};
use wx_interp::Hot;

/// Most functions compiled before the worker publishes them: functions that
/// get hot together are loaded together, but the first of a long queue need
/// not wait for the last.
const BATCH: usize = 64;

struct Job {
    module: Weak<ModuleInner>,
    def: u32,
    why: Hot,
}

struct Queue {
    jobs: Mutex<VecDeque<Job>>,
    more: Condvar,
}

static QUEUE: Queue = Queue {
    jobs: Mutex::new(VecDeque::new()),
    more: Condvar::new(),
};

/// Whether the worker runs (it starts on first use).
fn worker_running() -> bool {
    static STARTED: OnceLock<bool> = OnceLock::new();
    *STARTED.get_or_init(|| {
        let spawned = std::thread::Builder::new()
            .name("wx-jit".into())
            .spawn(work);
        if let Err(e) = &spawned {
            tracing::warn!(target: "wx::tier", error = %e, "no background compiler; hot functions compile on the calling thread");
        }
        spawned.is_ok()
    })
}

/// Queue defined function `def` of `module` for compilation, unless it is
/// queued already. False when there is no worker: the caller compiles.
pub(super) fn submit(module: &Arc<ModuleInner>, def: u32, why: Hot) -> bool {
    if !worker_running() {
        return false;
    }
    if !module.requested[def as usize].swap(true, Ordering::AcqRel) {
        QUEUE.jobs.lock().push_back(Job {
            module: Arc::downgrade(module),
            def,
            why,
        });
        QUEUE.more.notify_one();
    }
    true
}

/// The worker's loop: take a batch, compile it, repeat.
fn work() {
    loop {
        let batch: Vec<Job> = {
            let mut jobs = QUEUE.jobs.lock();
            while jobs.is_empty() {
                QUEUE.more.wait(&mut jobs);
            }
            let n = jobs.len().min(BATCH);
            jobs.drain(..n).collect()
        };
        for (module, defs) in by_module(batch) {
            compile_for(&module, &defs);
        }
    }
}

/// One module's functions to compile, with why each got hot.
type Group = (Arc<ModuleInner>, Vec<(u32, Hot)>);

/// `batch` grouped by module (in order of first appearance), dropping the
/// jobs of modules that are gone.
fn by_module(batch: Vec<Job>) -> Vec<Group> {
    let mut groups: Vec<Group> = Vec::new();
    for job in batch {
        let Some(module) = job.module.upgrade() else {
            continue;
        };
        match groups.iter_mut().find(|(m, _)| Arc::ptr_eq(m, &module)) {
            Some((_, defs)) => defs.push((job.def, job.why)),
            None => groups.push((module, vec![(job.def, job.why)])),
        }
    }
    groups
}

/// Compile and publish `defs` of `module`.
fn compile_for(module: &ModuleInner, defs: &[(u32, Hot)]) {
    let jobs = defs.iter().map(|&(def, why)| (def, Trigger::Hot(why)));
    match catch_unwind(AssertUnwindSafe(|| compile_batch(module, jobs))) {
        Ok(outcomes) => install(module, outcomes),
        Err(_) => {
            let reason = "the JIT panicked while compiling it".to_string();
            tracing::error!(target: "wx::tier", functions = defs.len(), "{reason}");
            let failed = defs.iter().map(|&(def, _)| (def, Err(reason.clone())));
            install(module, failed.collect());
        }
    }
}
