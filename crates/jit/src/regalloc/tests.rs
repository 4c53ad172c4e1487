//! Allocation on translated functions, checked by the independent checker.

use super::liveness::{self, analyze, Interval};
use super::{allocate, check, symbolic, Class, Edit, Loc, MachineEnv, PReg, Place, RegSet, When};
use crate::ir::{Func, Inst, VReg};
use crate::translate::translate;
use wx_core::ModuleInfo;

fn func(wat: &str, def: u32) -> Func {
    let info = ModuleInfo::new(&wat::parse_str(wat).unwrap()).unwrap();
    translate(&info, def).unwrap()
}

fn env(ints: u8, floats: u8) -> MachineEnv {
    MachineEnv {
        int_regs: (0..ints).map(PReg).collect(),
        float_regs: (32..32 + floats).map(PReg).collect(),
        split_around_calls: vec![Class::Int, Class::Float],
        abi_hints: |_, _| {},
    }
}

/// Calls clobber registers 0 and 1.
fn calls_clobber(inst: &Inst) -> RegSet {
    if matches!(inst, Inst::Call { .. }) {
        0b11
    } else {
        0
    }
}

const LOOP: &str = "(module (func (param $n i32) (result i32) (local $acc i32)
    (loop $l
      (local.set $acc (i32.add (local.get $acc) (local.get $n)))
      (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))
    (local.get $acc)))";

#[test]
fn loop_carried_values_stay_live_around_the_loop() {
    let f = func(LOOP, 0);
    let live = analyze(&f).unwrap();
    let iv = |v: u32| {
        live.intervals
            .iter()
            .find(|iv| iv.vreg == VReg(v))
            .copied()
            .unwrap()
    };
    // v0 (n) and v1 (acc) are used after the back-edge, so they live until
    // the loop's last instruction at least.
    let loop_end = 2 * (f.blocks[1].insts.end - 1);
    assert!(
        iv(0).end >= loop_end && iv(1).end >= loop_end,
        "{:?}",
        live.intervals
    );
}

#[test]
fn enough_registers_means_no_spills() {
    let f = func(LOOP, 0);
    let a = allocate(&f, &env(4, 4), |_| 0).unwrap();
    check(&f, &a, |_| 0).unwrap();
    assert_eq!(a.spill_slots, 0);
    assert!(matches!(a.loc(VReg(0)), Loc::Reg(_)));
}

#[test]
fn pressure_spills_and_stays_correct() {
    // Ten values live at once, four registers.
    let mut body = String::new();
    for i in 0..10 {
        body.push_str(&format!(
            "(local.set {} (i32.mul (local.get 0) (i32.const {})))",
            i + 1,
            i + 3
        ));
    }
    let mut sum = String::from("(local.get 1)");
    for i in 2..=10 {
        sum = format!("(i32.add {sum} (local.get {i}))");
    }
    let wat = format!("(module (func (param i32) (result i32) (local i32 i32 i32 i32 i32 i32 i32 i32 i32 i32) {body} {sum}))");
    let f = func(&wat, 0);
    let a = allocate(&f, &env(4, 2), |_| 0).unwrap();
    check(&f, &a, |_| 0).unwrap();
    assert!(a.spill_slots > 1);
    // Two values live at once in one spill slot: no register conflicts,
    // so only the symbolic run sees the first value overwritten.
    let spilled: Vec<usize> = (0..a.locs.len())
        .filter(|&v| matches!(a.locs[v], Loc::Stack(_)))
        .collect();
    let mut shared = a.clone();
    shared.locs[spilled[1]] = shared.locs[spilled[0]];
    let err = check(&f, &shared, |_| 0).unwrap_err();
    assert!(err.contains("reads v"), "{err}");
}

#[test]
fn values_live_across_calls_avoid_clobbered_registers() {
    let f = func(
        "(module (func $g (param i32) (result i32) (local.get 0))
           (func (param i32) (result i32) (i32.add (local.get 0) (call $g (local.get 0)))))",
        1,
    );
    let a = allocate(&f, &env(4, 2), calls_clobber).unwrap();
    check(&f, &a, calls_clobber).unwrap();
    // v0 is used after the call: it must not sit in r0 or r1.
    assert!(
        !matches!(a.loc(VReg(0)), Loc::Reg(PReg(0)) | Loc::Reg(PReg(1))),
        "{:?}",
        a.locs
    );
}

/// A float accumulator live across a call in a loop: no float register
/// survives the call (floats 32 and 33 are both clobbered here), and the
/// value is used more often than the call, so it keeps a register and is
/// saved and reloaded around the call instead of living on the stack.
#[test]
fn values_used_more_than_the_calls_they_cross_are_split_around_them() {
    let clobbers = |inst: &Inst| {
        if inst.is_call() {
            0b11 | 0b11 << 32
        } else {
            0
        }
    };
    let f = func(
        "(module (func $g (result f64) (f64.const 1))
           (func (param $n i32) (result f64) (local $acc f64)
             (loop $l
               (local.set $acc (f64.add (f64.mul (local.get $acc) (local.get $acc))
                                        (f64.add (local.get $acc) (call $g))))
               (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))
             (local.get $acc)))",
        1,
    );
    let a = allocate(&f, &env(4, 2), clobbers).unwrap();
    check(&f, &a, clobbers).unwrap();
    let acc = VReg(1);
    assert!(
        matches!(a.loc(acc), Loc::Reg(PReg(32 | 33))),
        "{:?}",
        a.locs
    );
    let call = f.insts.iter().position(|i| i.is_call()).unwrap() as u32;
    // Stored before the call and reloaded after it, through one slot.
    let edits = a.edits_at(call);
    let Loc::Reg(r) = a.loc(acc) else {
        unreachable!()
    };
    assert!(
        matches!(edits, [
            Edit { vreg: v1, when: When::Before, from: Place::Reg(r1), to: Place::Slot(k1), .. },
            Edit { vreg: v2, when: When::After, from: Place::Slot(k2), to: Place::Reg(r2), .. },
        ] if (*v1, *v2, *r1, *r2, k1) == (acc, acc, r, r, k2)),
        "{edits:?}"
    );
    // The counter has a register the call leaves alone: no save.
    assert!(
        matches!(a.loc(VReg(0)), Loc::Reg(PReg(2 | 3))),
        "{:?}",
        a.locs
    );
    // Without the save the checker refuses the register.
    let mut unsaved = a.clone();
    unsaved.edits.retain(|e| e.when == When::After);
    assert!(check(&f, &unsaved, clobbers).is_err());
    // Nor without the reload (the register holds whatever the call left).
    let mut unreloaded = a.clone();
    unreloaded.edits.retain(|e| e.when == When::Before);
    let err = symbolic::check(&f, &unreloaded, &clobbers).unwrap_err();
    assert!(err.contains("reads v1"), "{err}");
}

#[test]
fn the_checker_catches_conflicts() {
    let f = func(LOOP, 0);
    let mut a = allocate(&f, &env(4, 4), |_| 0).unwrap();
    // n and acc are live together: force them into one register.
    a.locs[1] = a.locs[0];
    assert!(check(&f, &a, |_| 0).is_err());
    let a = allocate(&f, &env(4, 4), |_| 0).unwrap();
    assert!(check(&f, &a, |_| u64::MAX).is_err());
}

/// Every translatable benchmark function allocates with few registers and
/// clobbering calls, and the checker accepts the result.
#[test]
fn benchmark_functions_allocate_and_check() {
    let (mut checked, mut splits, mut written, mut caught) = (0, 0, 0, 0);
    for (path, info) in crate::test_util::benchmark_modules(false) {
        for def in 0..info.num_defined_funcs() {
            let Ok(f) = translate(&info, def) else {
                continue;
            };
            let a = allocate(&f, &env(5, 3), calls_clobber).unwrap();
            check(&f, &a, calls_clobber)
                .unwrap_or_else(|e| panic!("{}: {def}: {e}", path.display()));
            checked += 1;
            splits += a.loop_splits.len();
            // Without its write-throughs (stores after a def of a split
            // value), a function that reads the slot after the loop fails.
            let mut unwritten = a.clone();
            unwritten
                .edits
                .retain(|e| !(e.when == When::After && matches!(e.to, Place::Slot(_))));
            if unwritten.edits.len() < a.edits.len()
                && symbolic::check(&f, &unwritten, &calls_clobber).is_err()
            {
                caught += 1;
            }
            // Splits of values the loop writes (stored through).
            written += a
                .loop_splits
                .iter()
                .filter(|s| {
                    let mut defs = false;
                    for i in s.span.0 / 2..=s.span.1 / 2 {
                        super::liveness::operands(&f, &f.insts[i as usize])
                            .for_each_def(|v| defs |= v == s.vreg);
                    }
                    defs
                })
                .count();
        }
    }
    assert!(checked > 500, "only {checked} functions checked");
    assert!(
        splits > 100 && written > 10 && caught > 10,
        "{splits} loop splits, {written} written, {caught} caught without write-through"
    );
}

/// Locals dead between their uses leave holes another value can fill:
/// two loops, each with its own counter and accumulator, need two
/// registers, not four.
#[test]
fn lifetime_holes_let_locals_share_registers() {
    let f = func(
        "(module (func (param $n i32) (result i32) (local $i i32) (local $a i32) (local $j i32) (local $b i32)
           (local.set $i (local.get $n))
           (loop $l1
             (local.set $a (i32.add (local.get $a) (local.get $i)))
             (br_if $l1 (local.tee $i (i32.sub (local.get $i) (i32.const 1)))))
           (local.set $n (local.get $a))
           (local.set $j (local.get $n))
           (local.set $b (local.get $n))
           (loop $l2
             (local.set $b (i32.xor (local.get $b) (local.get $j)))
             (br_if $l2 (local.tee $j (i32.sub (local.get $j) (i32.const 1)))))
           (local.get $b)))",
        0,
    );
    let a = allocate(&f, &env(2, 1), |_| 0).unwrap();
    check(&f, &a, |_| 0).unwrap();
    assert_eq!(a.spill_slots, 0, "{:?}", a.locs);
}

/// Under pressure the values of the inner loop keep their registers and
/// values used only outside it are the ones spilled.
#[test]
fn spill_weights_favour_inner_loops() {
    let mut outer = String::new();
    for i in 2..8 {
        outer.push_str(&format!(
            "(local.set {i} (i32.add (local.get 0) (i32.const {i})))"
        ));
    }
    let mut sum = String::from("(local.get 1)");
    for i in 2..8 {
        sum = format!("(i32.add {sum} (local.get {i}))");
    }
    let wat = format!(
        "(module (func (param i32) (result i32) (local i32 i32 i32 i32 i32 i32 i32)
           {outer}
           (loop $l
             (local.set 1 (i32.add (local.get 1) (local.get 0)))
             (br_if $l (local.tee 0 (i32.sub (local.get 0) (i32.const 1)))))
           {sum}))"
    );
    let f = func(&wat, 0);
    let a = allocate(&f, &env(4, 1), |_| 0).unwrap();
    check(&f, &a, |_| 0).unwrap();
    assert!(a.spill_slots > 0);
    for v in [0, 1] {
        assert!(matches!(a.loc(VReg(v)), Loc::Reg(_)), "v{v}: {:?}", a.locs);
    }
}

/// Liveness as the definition says, position by position, with sets: the
/// oracle for [`analyze`]'s bit matrices, carried open sets and range
/// merging. Live-in/out by dataflow over every read; then each block is
/// walked backwards, a pure instruction defining nothing live being dead
/// (its reads do not count). Returns each vreg's maximal runs of live
/// positions, and the dead instructions.
fn reference_liveness(f: &Func) -> (Vec<Vec<(u32, u32)>>, Vec<bool>) {
    use super::liveness::operands;
    use std::collections::BTreeSet;
    let nb = f.blocks.len();
    let insts_of = |b: usize| f.blocks[b].insts.clone();
    let (mut gen, mut kill) = (vec![BTreeSet::new(); nb], vec![BTreeSet::new(); nb]);
    for b in 0..nb {
        for at in insts_of(b) {
            let ops = operands(f, &f.insts[at as usize]);
            for u in ops.uses() {
                if !kill[b].contains(&u.0) {
                    gen[b].insert(u.0);
                }
            }
            for d in ops.defs() {
                kill[b].insert(d.0);
            }
        }
    }
    let (mut live_in, mut live_out) = (vec![BTreeSet::new(); nb], vec![BTreeSet::new(); nb]);
    let mut changed = true;
    while changed {
        changed = false;
        for b in 0..nb {
            let out: BTreeSet<u32> = f
                .successors(crate::ir::BlockId(b as u32))
                .flat_map(|s| live_in[s.0 as usize].iter().copied())
                .collect();
            let inn: BTreeSet<u32> = gen[b]
                .iter()
                .copied()
                .chain(out.iter().copied().filter(|v| !kill[b].contains(v)))
                .collect();
            changed |= out != live_out[b] || inn != live_in[b];
            live_out[b] = out;
            live_in[b] = inn;
        }
    }
    let mut positions = vec![BTreeSet::new(); f.vregs.len()];
    let mut dead = vec![false; f.insts.len()];
    for (b, out) in live_out.iter().enumerate() {
        let mut live = out.clone();
        for at in insts_of(b).rev() {
            let inst = &f.insts[at as usize];
            let ops = operands(f, inst);
            if inst.is_pure() && ops.defs().all(|d| !live.contains(&d.0)) {
                dead[at as usize] = true;
                for &v in &live {
                    positions[v as usize].extend([2 * at, 2 * at + 1]);
                }
                continue;
            }
            for v in live.iter().copied().chain(ops.defs().map(|d| d.0)) {
                positions[v as usize].insert(2 * at + 1);
            }
            for d in ops.defs() {
                live.remove(&d.0);
            }
            live.extend(ops.uses().map(|u| u.0));
            for &v in &live {
                positions[v as usize].insert(2 * at);
            }
        }
    }
    let runs = positions
        .iter()
        .map(|ps| {
            let mut runs: Vec<(u32, u32)> = Vec::new();
            for &p in ps {
                match runs.last_mut() {
                    Some(r) if r.1 + 1 == p => r.1 = p,
                    _ => runs.push((p, p)),
                }
            }
            runs
        })
        .collect();
    (runs, dead)
}

/// [`analyze`] agrees with [`reference_liveness`] on every benchmark
/// function, many_funcs included, and on the functions of a few
/// hand-written control-flow shapes.
#[test]
fn liveness_matches_the_reference() {
    let mut modules: Vec<(String, ModuleInfo)> = crate::test_util::benchmark_modules(true)
        .into_iter()
        .map(|(p, info)| (p.display().to_string(), info))
        .collect();
    for wat in [LOOP, NESTED] {
        let info = ModuleInfo::new(&wat::parse_str(wat).unwrap()).unwrap();
        modules.push((wat.to_string(), info));
    }
    let mut compared = 0;
    for (name, info) in &modules {
        for def in 0..info.num_defined_funcs() {
            let Ok(f) = translate(info, def) else {
                continue;
            };
            let (runs, dead) = reference_liveness(&f);
            // Both forms of the live sets: bits, and lists (forced).
            for dense_max_words in [usize::MAX, 0] {
                let mut live = liveness::Liveness::default();
                liveness::analyze_with(&f, &mut Default::default(), &mut live, dense_max_words)
                    .unwrap();
                assert_eq!(live.dead, dead, "{name}: function {def}: dead instructions");
                for (v, want) in runs.iter().enumerate() {
                    assert_eq!(
                        live.ranges.get(VReg(v as u32)),
                        &want[..],
                        "{name}: function {def}: v{v}"
                    );
                }
                let want_intervals: Vec<(u32, u32, u32)> = runs
                    .iter()
                    .enumerate()
                    .filter(|(_, r)| !r.is_empty())
                    .map(|(v, r)| (v as u32, r[0].0, r[r.len() - 1].1))
                    .collect();
                let got: Vec<(u32, u32, u32)> = live
                    .intervals
                    .iter()
                    .map(|iv| (iv.vreg.0, iv.start, iv.end))
                    .collect();
                assert_eq!(got, want_intervals, "{name}: function {def}: intervals");
            }
            compared += 1;
        }
    }
    assert!(compared > 3500, "only {compared} functions compared");
}

/// Nested loops, a conditional, a value live through many blocks and one
/// only read in some: live sets carried across block boundaries.
const NESTED: &str = "(module (func (param $n i32) (param $m i32) (result i32)
    (local $i i32) (local $j i32) (local $acc i32) (local $t i32)
    (local.set $t (i32.mul (local.get $m) (i32.const 3)))
    (loop $outer
      (local.set $j (local.get $m))
      (loop $inner
        (if (i32.and (local.get $j) (i32.const 1))
          (then (local.set $acc (i32.add (local.get $acc) (local.get $t))))
          (else (local.set $acc (i32.xor (local.get $acc) (local.get $j)))))
        (br_if $inner (local.tee $j (i32.sub (local.get $j) (i32.const 1)))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $outer (i32.lt_u (local.get $i) (local.get $n))))
    (i32.add (local.get $acc) (local.get $t))))";

/// `base` (v0) and `step` (v1) are live throughout; four temporaries live
/// at once before the loop push them to the stack, but inside the loop
/// registers are free again.
const SPLIT: &str = "(module (func (param $base i32) (param $step i32) (param $n i32) (result i32)
    (local $i i32) (local $acc i32) (local $t0 i32) (local $t1 i32) (local $t2 i32) (local $t3 i32)
    (local $t4 i32) (local $t5 i32)
    (local.set $t0 (i32.mul (local.get $n) (i32.const 3)))
    (local.set $t1 (i32.mul (local.get $n) (i32.const 5)))
    (local.set $t2 (i32.mul (local.get $n) (i32.const 7)))
    (local.set $t3 (i32.mul (local.get $n) (i32.const 9)))
    (local.set $t4 (i32.mul (local.get $n) (i32.const 11)))
    (local.set $t5 (i32.mul (local.get $n) (i32.const 13)))
    (local.set $acc (i32.add (i32.add (i32.add (local.get $t0) (local.get $t1))
                                      (i32.add (local.get $t2) (local.get $t3)))
                             (i32.add (local.get $t4) (local.get $t5))))
    (loop $l
      (local.set $acc (i32.add (local.get $acc) (i32.xor (local.get $base) (local.get $i))))
      (local.set $base (i32.add (local.get $base) (local.get $step)))
      (br_if $l (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1))) (local.get $n))))
    (i32.add (local.get $acc) (i32.add (local.get $base) (local.get $step)))))";

#[test]
fn a_spilled_value_gets_a_register_in_a_loop_that_uses_it() {
    let f = func(SPLIT, 0);
    let a = allocate(&f, &env(5, 2), |_| 0).unwrap();
    check(&f, &a, |_| 0).unwrap();
    assert!(matches!(a.locs[1], Loc::Stack(_)), "{:?}", a.locs);
    let split = a.loop_splits.iter().find(|s| s.vreg == VReg(1));
    let split = split.unwrap_or_else(|| panic!("{:?}", a.loop_splits));
    assert_eq!(split.header, crate::ir::BlockId(1));
    // Nothing else holds the register in the loop.
    for (v, l) in a.locs.iter().enumerate() {
        if *l == Loc::Reg(split.reg) {
            assert!(!super::liveness::intersects(&a.ranges[v], &[split.span]));
        }
    }
}

#[test]
fn the_checker_catches_bad_loop_splits() {
    let f = func(SPLIT, 0);
    let good = allocate(&f, &env(5, 2), |_| 0).unwrap();
    assert!(!good.loop_splits.is_empty());
    // Into a register the loop counter holds.
    let mut a = good.clone();
    let Loc::Reg(busy) = a.locs[3] else {
        panic!("{:?}", a.locs)
    };
    a.loop_splits[0].reg = busy;
    assert!(check(&f, &a, |_| 0).is_err());
    // At a block that heads no loop.
    let mut a = good.clone();
    a.loop_splits[0].header = crate::ir::BlockId(0);
    assert!(check(&f, &a, |_| 0).is_err());
    // Of a value that has a register anyway.
    let mut a = good.clone();
    a.loop_splits[0].vreg = VReg(3);
    assert!(check(&f, &a, |_| 0).is_err());
    // Without its loop-entry load, or loading from another slot: the
    // symbolic checker sees a use find another value. (Write-through is
    // broken on the benchmark functions.)
    let loads = |e: &Edit| e.when == When::Before;
    assert!(good.edits.iter().any(loads));
    let mut a = good.clone();
    a.edits.retain(|e| !loads(e));
    assert!(symbolic::check(&f, &a, &|_: &Inst| 0).is_err());
    let mut a = good.clone();
    a.spill_slots += 1;
    for e in a.edits.iter_mut().filter(|e| loads(e)) {
        e.from = Place::Slot(good.spill_slots);
    }
    assert!(symbolic::check(&f, &a, &|_: &Inst| 0).is_err());
    // Across an instruction that clobbers the register.
    assert!(check(&f, &good, |i| if matches!(i, Inst::IBin { .. }) {
        1 << good.loop_splits[0].reg.0
    } else {
        0
    })
    .is_err());
}

/// Intervals sort by (start, end, vreg) whichever way they are sorted:
/// by insertion (within its budget or not) or by counting.
#[test]
fn intervals_sort_by_start_end_and_vreg() {
    // A small deterministic generator (xorshift).
    let mut seed = 0x9e37_79b9_7f4a_7c15u64;
    let mut next = move |n: u32| {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        (seed % u64::from(n)) as u32
    };
    for len in [0, 1, 2, 5, 31, 32, 33, 100, 400] {
        for shuffled in [0, 1, 3, len] {
            // In vreg order, mostly by start, `shuffled` of them anywhere.
            let mut intervals: Vec<Interval> = (0..len as u32)
                .map(|v| {
                    let start = if next(len.max(1) as u32) < shuffled as u32 {
                        next(4 * len as u32 + 1)
                    } else {
                        2 * v + next(3)
                    };
                    Interval {
                        vreg: VReg(v),
                        start,
                        end: start + next(6),
                    }
                })
                .collect();
            let mut expected = intervals.clone();
            expected.sort_by_key(|iv| (iv.start, iv.end, iv.vreg.0));
            let positions = 4 * len + 8;
            super::sort_intervals(&mut intervals, positions, &mut Vec::new(), &mut Vec::new());
            assert_eq!(intervals, expected, "{len} intervals, {shuffled} shuffled");
        }
    }
}
