//! Which proposal an operator comes from, for the decisions that go by
//! proposal rather than by operator: the JIT leaves whole proposals to the
//! interpreter, and a module that needs the GC proposal's type system
//! only for recursion groups may not use its instructions.

use wasmparser::Operator;

/// The proposal (wasmparser's name, e.g. `mvp`, `threads`, `gc`) that
/// defines `op`.
pub fn of(op: &Operator<'_>) -> &'static str {
    macro_rules! proposal_of {
        ($( @$proposal:ident $op:ident $({ $($arg:ident: $argty:ty),* })? => $visit:ident ($($ann:tt)*))*) => {
            match op {
                $( Operator::$op $({ $($arg: _),* })? => stringify!($proposal), )*
                _ => "unknown",
            }
        };
    }
    wasmparser::for_each_operator!(proposal_of)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn operators_are_named_by_their_proposal() {
        assert_eq!(of(&Operator::I32Add), "mvp");
        assert_eq!(of(&Operator::ThrowRef), "exceptions");
        assert_eq!(of(&Operator::RefI31), "gc");
        assert_eq!(
            of(&Operator::AtomicFence {
                ordering: wasmparser::Ordering::SeqCst
            }),
            "threads"
        );
    }
}
