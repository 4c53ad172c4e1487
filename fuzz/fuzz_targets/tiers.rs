//! Target `tiers`: see wx_fuzz::tiers.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| wx_fuzz::tiers(data));
