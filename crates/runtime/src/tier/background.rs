//! The background compiler: threads shared by the process that compile the
//! functions `tiered` reports hot, while the interpreter keeps running them.
//!
//! The interpreting thread only queues a job ([`submit`]). Jobs go to one of
//! two lanes by body size: a function over [`LARGE_BODY`] bytes may take a
//! large share of a second to compile, so it waits in the slow lane, which
//! only the slow worker serves (it helps with the fast lane when it has
//! nothing else); the fast workers take only small functions, so a huge
//! function never holds up the tier-up of the others. A worker takes the
//! queued jobs of its lane (up to [`BATCH`] functions or [`BATCH_BYTES`]
//! of code), compiles a module's functions as one batch, loads them into
//! the module's code arena together (one write window per chunk, instead of
//! one per function) and publishes them in `ModuleInner::compiled`. Entry slots belong to stores, so the worker
//! never touches them: the interpreter asks again every few calls of a
//! pending function, and the hook swaps the slots on the store's own thread
//! once the code is there.
//!
//! Jobs hold the module weakly: a module dropped while its jobs wait is not
//! compiled. A panic in the compiler fails that batch's functions (they stay
//! interpreted) instead of ending the worker.

use super::{compile_batch, install, report, Outcome, Trigger};
use crate::module::ModuleInner;
use parking_lot::{Condvar, Mutex};
use std::collections::VecDeque;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::atomic::Ordering;
use std::sync::{Arc, OnceLock, Weak};
use wx_interp::Hot;

/// Most functions, and most bytes of wasm code, compiled before a worker
/// publishes them: functions that get hot together are loaded together,
/// but the first of a long queue need not wait for the last.
const BATCH: usize = 64;
const BATCH_BYTES: usize = 256 << 10;

/// Bodies larger than this (in bytes of wasm code) go to the slow lane.
const LARGE_BODY: usize = 64 << 10;

struct Job {
    module: Weak<ModuleInner>,
    def: u32,
    why: Hot,
    /// The body's size in bytes of wasm code.
    size: usize,
}

/// Which jobs a worker takes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Lane {
    /// Small functions only.
    Fast,
    /// A large function if one waits, else small ones.
    Slow,
}

/// The queued jobs, by lane.
#[derive(Default)]
struct Lanes {
    fast: VecDeque<Job>,
    slow: VecDeque<Job>,
}

impl Lanes {
    fn push(&mut self, job: Job) {
        if job.size > LARGE_BODY {
            self.slow.push_back(job);
        } else {
            self.fast.push_back(job);
        }
    }

    fn has_work(&self, lane: Lane) -> bool {
        !self.fast.is_empty() || (lane == Lane::Slow && !self.slow.is_empty())
    }

    /// The next batch for a worker of `lane` (empty if it has no work).
    fn take(&mut self, lane: Lane) -> Vec<Job> {
        if lane == Lane::Slow {
            if let Some(job) = self.slow.pop_front() {
                return vec![job];
            }
        }
        let mut batch = Vec::new();
        let mut bytes = 0;
        while let Some(job) = self.fast.front() {
            if batch.len() == BATCH || (!batch.is_empty() && bytes + job.size > BATCH_BYTES) {
                break;
            }
            bytes += job.size;
            batch.extend(self.fast.pop_front());
        }
        batch
    }
}

struct Queue {
    jobs: Mutex<Lanes>,
    more: Condvar,
}

static QUEUE: Queue = Queue {
    jobs: Mutex::new(Lanes {
        fast: VecDeque::new(),
        slow: VecDeque::new(),
    }),
    more: Condvar::new(),
};

/// Whether the workers run (they start on first use): one slow worker,
/// and a fast worker per two cores (at least one, at most four) beside
/// the threads running wasm.
fn worker_running() -> bool {
    static STARTED: OnceLock<bool> = OnceLock::new();
    *STARTED.get_or_init(|| {
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        let fast = (cores / 2).clamp(1, 4);
        let lanes = std::iter::once(Lane::Slow).chain(std::iter::repeat_n(Lane::Fast, fast));
        let mut started = 0;
        for (i, lane) in lanes.enumerate() {
            let spawned = std::thread::Builder::new()
                .name(format!("wx-jit-{i}"))
                .spawn(move || work(lane));
            match spawned {
                Ok(_) => started += 1,
                Err(e) => {
                    tracing::warn!(target: "wx::tier", error = %e, "could not start a background compiler thread")
                }
            }
        }
        if started == 0 {
            tracing::warn!(target: "wx::tier", "no background compiler; hot functions compile on the calling thread");
        }
        // The slow worker alone serves both lanes.
        started > 0
    })
}

/// Queue defined function `def` of `module` for compilation, unless it is
/// queued already. False when there is no worker: the caller compiles.
pub(super) fn submit(module: &Arc<ModuleInner>, def: u32, why: Hot) -> bool {
    if !worker_running() {
        return false;
    }
    if !module.requested[def as usize].swap(true, Ordering::AcqRel) {
        QUEUE.jobs.lock().push(Job {
            module: Arc::downgrade(module),
            def,
            why,
            size: module.info.bodies[def as usize].range.len(),
        });
        // Wake every worker: the one that can take it will.
        QUEUE.more.notify_all();
    }
    true
}

/// A worker's loop: take a batch of its lane, compile it, repeat.
fn work(lane: Lane) {
    loop {
        let batch: Vec<Job> = {
            let mut jobs = QUEUE.jobs.lock();
            while !jobs.has_work(lane) {
                QUEUE.more.wait(&mut jobs);
            }
            jobs.take(lane)
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
            let failed: Vec<(u32, Outcome)> = defs
                .iter()
                .map(|&(def, why)| {
                    let outcome = Err(reason.clone());
                    // Each is a fallback like any other.
                    report(&module.info, def, Trigger::Hot(why), &outcome);
                    (def, outcome)
                })
                .collect();
            install(module, failed);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn job(def: u32, size: usize) -> Job {
        Job {
            module: Weak::new(),
            def,
            why: Hot::Calls(1),
            size,
        }
    }

    fn defs(batch: &[Job]) -> Vec<u32> {
        batch.iter().map(|j| j.def).collect()
    }

    #[test]
    fn large_functions_never_hold_up_small_ones() {
        let mut lanes = Lanes::default();
        lanes.push(job(0, 900 << 10));
        lanes.push(job(1, 100));
        lanes.push(job(2, 200));
        lanes.push(job(3, LARGE_BODY + 1));
        // A fast worker sees only the small ones, however long the large
        // ones have waited.
        assert!(lanes.has_work(Lane::Fast));
        assert_eq!(defs(&lanes.take(Lane::Fast)), [1, 2]);
        assert!(!lanes.has_work(Lane::Fast));
        assert!(lanes.take(Lane::Fast).is_empty());
        // The slow worker takes the large ones one at a time, oldest first.
        assert_eq!(defs(&lanes.take(Lane::Slow)), [0]);
        lanes.push(job(4, 10));
        assert_eq!(defs(&lanes.take(Lane::Slow)), [3]);
        // With no large function waiting, it helps with the small ones.
        assert_eq!(defs(&lanes.take(Lane::Slow)), [4]);
        assert!(!lanes.has_work(Lane::Slow));
    }

    #[test]
    fn batches_are_bounded_in_functions_and_bytes() {
        let mut lanes = Lanes::default();
        for def in 0..100 {
            lanes.push(job(def, 1000));
        }
        assert_eq!(lanes.take(Lane::Fast).len(), BATCH);
        let mut lanes = Lanes::default();
        for def in 0..10 {
            lanes.push(job(def, 60 << 10));
        }
        // 256 KiB: four functions of 60 KiB fit, a fifth does not.
        assert_eq!(lanes.take(Lane::Fast).len(), 4);
    }
}
