//! The `wx` command line as a library: the `.wast` script runner (also used
//! by the workspace's spec tests) and the `run` and `bench` commands.

pub mod bench;
pub mod explore;
pub mod run;
pub mod wast;
