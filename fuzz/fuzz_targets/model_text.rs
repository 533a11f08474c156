#![no_main]
//! Fuzz target `model_text`: see `tests/fuzz/targets.rs` for what it checks.
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    csindex_fuzz::init();
    csindex_fuzz::targets::model_text(data);
});
