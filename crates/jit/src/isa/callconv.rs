//! The shape of the wasm calling convention, shared by every ISA: which
//! registers carry what differs, how values are placed does not.
//!
//! Arguments take the ISA's argument registers of their class in order
//! while they last, then stack words (`[sp + 8k]` at the call); a single
//! result travels in the class's result register, several results in one
//! stack word each after the stack arguments.

use crate::ir::{Func, Inst, List, Ty, VReg};
use crate::regalloc::PReg;
use std::fmt::Debug;
use std::marker::PhantomData;

/// An ISA's registers of the wasm calling convention.
pub trait ArgRegs {
    type Gpr: Copy + Eq + Debug + 'static;
    type Fpr: Copy + Eq + Debug + 'static;
    /// Integer and reference arguments, in order.
    const INT_ARGS: &'static [Self::Gpr];
    /// Float arguments, in order.
    const FLOAT_ARGS: &'static [Self::Fpr];
    /// A single integer or reference result.
    const INT_RESULT: Self::Gpr;
    /// A single float result.
    const FLOAT_RESULT: Self::Fpr;
    /// The allocator's number of a register.
    fn gpr_preg(r: Self::Gpr) -> PReg;
    fn fpr_preg(r: Self::Fpr) -> PReg;
}

/// Where one argument or result of a wasm call travels.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ArgLoc<G, F> {
    Gpr(G),
    Fpr(F),
    /// Word `k` of the stack area: `[sp + 8k]` at the call; in the
    /// callee, above its frame record.
    Stack(u32),
}

/// How a signature's values travel under the wasm calling convention.
#[derive(Debug, PartialEq, Eq)]
pub struct CallConv<A: ArgRegs> {
    pub params: Vec<ArgLoc<A::Gpr, A::Fpr>>,
    pub results: Vec<ArgLoc<A::Gpr, A::Fpr>>,
    /// Words of the stack area: stack arguments and the result area.
    pub stack_words: u32,
    regs: PhantomData<A>,
}

impl<A: ArgRegs> Default for CallConv<A> {
    fn default() -> Self {
        CallConv {
            params: Vec::new(),
            results: Vec::new(),
            stack_words: 0,
            regs: PhantomData,
        }
    }
}

impl<A: ArgRegs> Clone for CallConv<A> {
    fn clone(&self) -> Self {
        CallConv {
            params: self.params.clone(),
            results: self.results.clone(),
            stack_words: self.stack_words,
            regs: PhantomData,
        }
    }
}

/// Places arguments in order: registers of their class while they last,
/// then stack words.
struct Placer<A> {
    ints: usize,
    floats: usize,
    stack: u32,
    regs: PhantomData<A>,
}

impl<A: ArgRegs> Placer<A> {
    fn new() -> Self {
        Placer {
            ints: 0,
            floats: 0,
            stack: 0,
            regs: PhantomData,
        }
    }

    fn place(&mut self, ty: Ty) -> ArgLoc<A::Gpr, A::Fpr> {
        if ty.is_float() && self.floats < A::FLOAT_ARGS.len() {
            self.floats += 1;
            ArgLoc::Fpr(A::FLOAT_ARGS[self.floats - 1])
        } else if !ty.is_float() && self.ints < A::INT_ARGS.len() {
            self.ints += 1;
            ArgLoc::Gpr(A::INT_ARGS[self.ints - 1])
        } else {
            self.stack += 1;
            ArgLoc::Stack(self.stack - 1)
        }
    }
}

/// Stack words of `results` results: several go in stack words, one in a
/// register.
fn result_words(results: usize) -> u32 {
    if results > 1 {
        results as u32
    } else {
        0
    }
}

impl<A: ArgRegs> CallConv<A> {
    /// The convention for parameters `params` and results `results`.
    pub fn new(params: impl IntoIterator<Item = Ty>, results: &[Ty]) -> Self {
        let mut conv = CallConv::default();
        conv.reset(params, results);
        conv
    }

    /// Make this the convention for `params` and `results`, reusing its
    /// buffers.
    pub fn reset(&mut self, params: impl IntoIterator<Item = Ty>, results: &[Ty]) {
        let mut placer = Placer::<A>::new();
        self.params.clear();
        self.params
            .extend(params.into_iter().map(|ty| placer.place(ty)));
        let stack = placer.stack;
        self.results.clear();
        match results {
            [] => {}
            [ty] if ty.is_float() => self.results.push(ArgLoc::Fpr(A::FLOAT_RESULT)),
            [_] => self.results.push(ArgLoc::Gpr(A::INT_RESULT)),
            many => self
                .results
                .extend((0..many.len() as u32).map(|i| ArgLoc::Stack(stack + i))),
        }
        self.stack_words = stack + result_words(results.len());
    }

    /// [`CallConv::stack_words`] of a signature, without building the
    /// convention.
    pub fn stack_words_of(params: impl IntoIterator<Item = Ty>, results: usize) -> u32 {
        let mut placer = Placer::<A>::new();
        for ty in params {
            placer.place(ty);
        }
        placer.stack + result_words(results)
    }
}

/// The convention's registers for `f`'s parameters, its calls' arguments
/// and single results, and its single returned value: the allocator's
/// hints (see [`crate::regalloc::MachineEnv::abi_hints`]).
pub fn hint_conventions<A: ArgRegs>(f: &Func, hint: &mut dyn FnMut(VReg, PReg)) {
    let place_all = |values: &mut dyn Iterator<Item = VReg>, hint: &mut dyn FnMut(VReg, PReg)| {
        let mut placer = Placer::<A>::new();
        for v in values {
            match placer.place(f.ty(v)) {
                ArgLoc::Gpr(r) => hint(v, A::gpr_preg(r)),
                ArgLoc::Fpr(x) => hint(v, A::fpr_preg(x)),
                ArgLoc::Stack(_) => {}
            }
        }
    };
    place_all(&mut f.params.iter().copied(), hint);
    let result_reg = |v: VReg| {
        if f.ty(v).is_float() {
            A::fpr_preg(A::FLOAT_RESULT)
        } else {
            A::gpr_preg(A::INT_RESULT)
        }
    };
    for inst in &f.insts {
        match *inst {
            Inst::Call { args, rets, .. } | Inst::CallIndirect { args, rets, .. } => {
                place_all(&mut f.list_items(args).iter().map(|&v| VReg(v)), hint);
                if let &[r] = f.list_items(rets) {
                    hint(VReg(r), result_reg(VReg(r)));
                }
            }
            Inst::Return { values } => {
                if let &[r] = f.list_items(values) {
                    hint(VReg(r), result_reg(VReg(r)));
                }
            }
            _ => {}
        }
    }
}

/// An adapter a function's calls of one signature share (wasm convention
/// in, the callee's array convention out, for interpreted and host
/// callees): its label, signature and that signature's convention.
pub struct Adapter<A: ArgRegs, Label> {
    pub label: Label,
    pub params: Vec<Ty>,
    pub results: Vec<Ty>,
    pub conv: CallConv<A>,
}

/// The adapters of the function being emitted: the first `len` of
/// `list`; the others are kept for their buffers, so a call rarely
/// allocates.
pub struct Adapters<A: ArgRegs, Label> {
    list: Vec<Adapter<A, Label>>,
    len: usize,
}

impl<A: ArgRegs, Label> Default for Adapters<A, Label> {
    fn default() -> Self {
        Adapters {
            list: Vec::new(),
            len: 0,
        }
    }
}

/// The types of the values in `list`.
fn types(f: &Func, list: List) -> impl Iterator<Item = Ty> + Clone + '_ {
    f.list_items(list).iter().map(|&v| f.ty(VReg(v)))
}

impl<A: ArgRegs, Label: Copy> Adapters<A, Label> {
    /// None yet: a new function starts.
    pub fn clear(&mut self) {
        self.len = 0;
    }

    /// Whether many adapters' buffers are kept (then start afresh).
    pub fn oversized(&self) -> bool {
        self.list.len() > 256
    }

    /// The adapter for `f`'s calls of signature `args -> rets` (an index),
    /// made on first use with a label from `new_label`.
    pub fn find_or_add(
        &mut self,
        f: &Func,
        args: List,
        rets: List,
        new_label: impl FnOnce() -> Label,
    ) -> usize {
        let (params, results) = (types(f, args), types(f, rets));
        if let Some(i) = self.list[..self.len].iter().position(|a| {
            a.params.iter().copied().eq(params.clone())
                && a.results.iter().copied().eq(results.clone())
        }) {
            return i;
        }
        let label = new_label();
        if self.len == self.list.len() {
            self.list.push(Adapter {
                label,
                params: Vec::new(),
                results: Vec::new(),
                conv: CallConv::default(),
            });
        }
        let a = &mut self.list[self.len];
        a.label = label;
        a.params.clear();
        a.params.extend(params);
        a.results.clear();
        a.results.extend(results);
        a.conv.reset(a.params.iter().copied(), &a.results);
        self.len += 1;
        self.len - 1
    }

    /// Adapter `i`.
    pub fn get(&self, i: usize) -> &Adapter<A, Label> {
        &self.list[i]
    }

    /// The function's adapters.
    pub fn current(&self) -> &[Adapter<A, Label>] {
        &self.list[..self.len]
    }
}
