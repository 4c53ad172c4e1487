//! Target `compile`: see wx_fuzz::compile.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| wx_fuzz::compile(data));
