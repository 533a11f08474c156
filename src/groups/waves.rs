//! The index by survey wave (quarter, year): what CSI programs publish.
//!
//! Each wave (a value of the wave column, in the order the file first shows it) is estimated
//! on its own rows, with bootstrap intervals for every construct's index; each wave's change
//! from the previous one is tested per construct by permutations (the two waves' labels
//! shuffled among their rows, both re-estimated: `p = (1 + #{|Δ*| ≥ |Δ|}) / (1 + P)`). It is
//! the segment analysis ([`crate::segments`]) with the comparisons between consecutive
//! waves only. [`crate::svg::trend`] draws the trend (index per wave with its interval band).
//!
//! ```
//! use csindex::{waves::Waves, LoadOptions, MissingPolicy, Model, Pls, Survey};
//! let opts = LoadOptions::new().scale("*", 1.0, 10.0).scale("COMP1", 0.0, 1.0);
//! let survey = Survey::from_csv_path("data/acsi_missing_400.csv", &opts).unwrap();
//! let pls = Pls::new().missing(MissingPolicy::Listwise);
//! let w = Waves::new("segment").bootstrap(50).permutations(49).seed(1)
//!     .run(&Model::acsi(), &survey, &pls).unwrap();
//! assert_eq!(w.waves.len(), 2);
//! assert_eq!(w.waves[1].changes.len(), w.waves[1].indices.len());
//! ```

use crate::data::Survey;
use crate::error::Result;
use crate::index::ConstructIndex;
use crate::model::Model;
use crate::pls::Pls;
use crate::segments::{GroupIndex, Segments};
use serde::Serialize;

/// Wave analysis settings. Consuming builder.
#[derive(Debug, Clone)]
#[must_use]
pub struct Waves {
    seg: Segments,
}

/// One construct's change from the previous wave.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct WaveChange {
    /// Construct.
    pub construct: String,
    /// The previous wave.
    pub from: String,
    /// index(this wave) − index(previous wave).
    pub change: f64,
    /// Two-sided permutation p-value (`None` without permutations).
    pub p_value: Option<f64>,
    /// Permutations that gave both indices.
    pub permutations_used: usize,
}

/// One wave's results.
#[derive(Debug, Clone, Serialize)]
pub struct Wave {
    /// The wave's value.
    pub wave: String,
    /// Rows of the wave (before the missing-data policy).
    pub n: usize,
    /// Rows used by its fit.
    pub n_used: usize,
    /// Its index per construct, with bootstrap interval and SE.
    pub indices: Vec<GroupIndex>,
    /// Its indices in full (weights, item means, scale), as the top-level index.
    pub detail: Vec<ConstructIndex>,
    /// The change of each index from the previous wave (empty for the first).
    pub changes: Vec<WaveChange>,
}

/// The index by wave.
#[derive(Debug, Clone, Serialize)]
pub struct WaveResult {
    /// The wave column.
    pub column: String,
    /// The waves, in the order the file first shows them.
    pub waves: Vec<Wave>,
    /// Rows with no wave value (left out).
    pub rows_without_wave: usize,
    /// The confidence level of the intervals.
    pub level: f64,
}

impl Waves {
    /// Waves from the values of `column`; no bootstrap, 999 permutations, seed 0, 95 %
    /// intervals, at least 10 rows per wave.
    pub fn new(column: &str) -> Waves {
        let mut seg = Segments::new(column);
        seg.consecutive = true;
        Waves { seg }
    }
    /// Bootstrap resamples per wave for the index intervals (0: none).
    pub fn bootstrap(self, resamples: usize) -> Self {
        Waves {
            seg: self.seg.bootstrap(resamples),
        }
    }
    /// Permutations per change test (0: no test).
    pub fn permutations(self, p: usize) -> Self {
        Waves {
            seg: self.seg.permutations(p),
        }
    }
    /// Seed of the bootstraps and permutations.
    pub fn seed(self, seed: u64) -> Self {
        Waves {
            seg: self.seg.seed(seed),
        }
    }
    /// Confidence level of the intervals.
    pub fn level(self, level: f64) -> Self {
        Waves {
            seg: self.seg.level(level),
        }
    }
    /// The fewest rows a wave may have.
    pub fn min_wave(self, n: usize) -> Self {
        Waves {
            seg: self.seg.min_group(n),
        }
    }

    /// Runs the analysis.
    ///
    /// # Errors
    /// As [`Segments::run`]: fewer than 2 waves, a wave with too few rows, a failed fit.
    pub fn run(&self, model: &Model, survey: &Survey, pls: &Pls) -> Result<WaveResult> {
        let r = self.seg.run(model, survey, pls)?;
        let mut waves: Vec<Wave> = Vec::with_capacity(r.groups.len());
        for (k, g) in r.groups.iter().enumerate() {
            let changes = if k == 0 {
                Vec::new()
            } else {
                let prev = &r.groups[k - 1];
                g.indices
                    .iter()
                    .filter_map(|ix| {
                        let before = prev.indices.iter().find(|p| p.construct == ix.construct)?;
                        let test = r.differences.iter().find(|d| {
                            d.construct == ix.construct && d.a == prev.group && d.b == g.group
                        });
                        Some(WaveChange {
                            construct: ix.construct.clone(),
                            from: prev.group.clone(),
                            change: ix.index - before.index,
                            p_value: test.map(|t| t.p_value),
                            permutations_used: test.map_or(0, |t| t.permutations_used),
                        })
                    })
                    .collect()
            };
            waves.push(Wave {
                wave: g.group.clone(),
                n: g.n,
                n_used: g.n_used,
                indices: g.indices.clone(),
                detail: g.detail.clone(),
                changes,
            });
        }
        Ok(WaveResult {
            column: r.column,
            waves,
            rows_without_wave: r.rows_without_segment,
            level: self.seg.level_value(),
        })
    }
}
