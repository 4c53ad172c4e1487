//! Which proposal an operator comes from, for the decisions that go by
//! proposal rather than by operator: the JIT leaves whole proposals to the
//! interpreter, and a module that needs the GC proposal's type system
//! only for recursion groups may not use its instructions. Also an
//! operator's name, for messages and for telling i64 forms apart.

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

/// The name of `op`'s variant (`I32Add`, `I64AtomicRmw8AddU`, ...).
pub fn name(op: &Operator<'_>) -> &'static str {
    macro_rules! name_of {
        ($( @$proposal:ident $op:ident $({ $($arg:ident: $argty:ty),* })? => $visit:ident ($($ann:tt)*))*) => {
            match op {
                $( Operator::$op $({ $($arg: _),* })? => stringify!($op), )*
                _ => "unknown",
            }
        };
    }
    wasmparser::for_each_operator!(name_of)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn operators_are_named_by_their_proposal() {
        assert_eq!(of(&Operator::I32Add), "mvp");
        assert_eq!(of(&Operator::ThrowRef), "exceptions");
        assert_eq!(of(&Operator::RefI31), "gc");
        assert_eq!(name(&Operator::I32Add), "I32Add");
        assert_eq!(name(&Operator::ThrowRef), "ThrowRef");
        assert_eq!(
            of(&Operator::AtomicFence {
                ordering: wasmparser::Ordering::SeqCst
            }),
            "threads"
        );
    }
}
