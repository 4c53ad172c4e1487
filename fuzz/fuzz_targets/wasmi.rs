//! Target `wasmi`: see wx_fuzz::wasmi.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| wx_fuzz::wasmi(data));
