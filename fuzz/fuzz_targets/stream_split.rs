#![no_main]
//! Fuzz target `stream_split`: see `tests/fuzz/targets.rs` for what it checks.
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    csindex_fuzz::init();
    csindex_fuzz::targets::stream_split(data);
});
