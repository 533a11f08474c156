//! The fuzz targets' shared bodies (the same file the regression test replays).

#[path = "../../tests/fuzz/targets.rs"]
pub mod targets;

/// Once per process: panics unwind again (libfuzzer-sys makes every panic abort), so that a
/// reader's panic that csindex catches and turns into a typed error is not reported as a
/// crash. A panic csindex does not catch still reaches libFuzzer's harness, which aborts.
pub fn init() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        // The default hook again: it prints the message and lets the panic unwind.
        drop(std::panic::take_hook());
    });
}
