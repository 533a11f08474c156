#![no_main]
//! Fuzz target `servqual_csv`: see `tests/fuzz/targets.rs` for what it checks.
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    csindex_fuzz::init();
    csindex_fuzz::targets::servqual_csv(data);
});
