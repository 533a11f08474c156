//! Progress of long runs (bootstrap, permutations, streaming) on a terminal.
//!
//! A [`Progress`] prints one line that it rewrites in place (`bootstrap 1200/5000, 812/s,
//! 4.7 s left`), at most ten times a second, and only when standard error is a terminal: a
//! redirected stderr gets no carriage returns, only the final count.

use std::io::{IsTerminal, Write};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

/// A progress line for `done` of `total` steps (see the module documentation).
///
/// ```
/// use csindex::render::progress::Progress;
/// let p = Progress::new("bootstrap");
/// p.update(10, 10); // prints only on a terminal
/// ```
#[derive(Debug)]
pub struct Progress {
    label: String,
    started: Instant,
    terminal: bool,
    /// Milliseconds since the start at the last print.
    last: AtomicU64,
}

impl Progress {
    /// A progress line labelled `label`.
    pub fn new(label: &str) -> Progress {
        Progress {
            label: label.to_string(),
            started: Instant::now(),
            terminal: std::io::stderr().is_terminal(),
            last: AtomicU64::new(0),
        }
    }

    /// The line for `done` of `total` after `secs` seconds.
    pub fn line(&self, done: usize, total: usize, secs: f64) -> String {
        let rate = if secs > 0.0 { done as f64 / secs } else { 0.0 };
        let left = if rate > 0.0 {
            (total.saturating_sub(done)) as f64 / rate
        } else {
            0.0
        };
        format!(
            "{} {done}/{total}, {rate:.0}/s, {left:.1} s left",
            self.label
        )
    }

    /// Reports `done` of `total` (from any thread). Nothing is printed in the first second,
    /// nor more than ten times a second, nor when stderr is not a terminal.
    pub fn update(&self, done: usize, total: usize) {
        if !self.terminal {
            return;
        }
        let ms = self.started.elapsed().as_millis() as u64;
        let last = self.last.load(Ordering::Relaxed);
        let finished = done >= total;
        if ms < 1000 || (!finished && ms < last + 100) {
            return;
        }
        if self
            .last
            .compare_exchange(last, ms, Ordering::Relaxed, Ordering::Relaxed)
            .is_err()
        {
            return;
        }
        let mut err = std::io::stderr().lock();
        let _ = write!(
            err,
            "\r{}\x1b[K",
            self.line(done, total, ms as f64 / 1000.0)
        );
        if finished {
            let _ = writeln!(err);
        }
    }
}
