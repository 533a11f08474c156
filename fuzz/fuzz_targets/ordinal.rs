#![no_main]
//! Fuzz target `ordinal`: see `tests/fuzz/targets.rs` for what it checks.
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    csindex_fuzz::init();
    csindex_fuzz::targets::ordinal(data);
});
