//! A confidence interval: the one shape every interval of the crate has (bootstrap, t and
//! Wilson intervals), serialized as `{"lo": .., "hi": ..}`.

use serde::{Deserialize, Serialize};

/// A closed interval `[lo, hi]`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Interval {
    /// Lower bound.
    pub lo: f64,
    /// Upper bound.
    pub hi: f64,
}

impl Interval {
    /// `[lo, hi]`.
    pub fn new(lo: f64, hi: f64) -> Interval {
        Interval { lo, hi }
    }
    /// Whether `x` lies in the interval (bounds included).
    pub fn contains(&self, x: f64) -> bool {
        self.lo <= x && x <= self.hi
    }
    /// `hi − lo`.
    pub fn width(&self) -> f64 {
        self.hi - self.lo
    }
}
