//! Sufficient statistics of a survey: the weighted means and co-moments of its columns.
//!
//! Everything PLS path modeling estimates, except what is computed row by row (construct scores,
//! blindfolding, PLSpredict, resampling of rows), follows from the indicators' means, standard
//! deviations and correlations. [`Moments`] holds exactly that, for any number of rows, in
//! O(p²) memory: push rows one at a time or a chunk at a time, merge the moments of two parts
//! (computed anywhere: other threads, processes or machines), and fit with
//! [`Pls::fit_moments`](crate::Pls::fit_moments).
//!
//! ```
//! use csindex::{Moments, MissingPolicy};
//! let names = ["a", "b"];
//! let mut left = Moments::new(&names, MissingPolicy::Listwise)?;
//! left.push(&[1.0, 2.0])?;
//! left.push(&[2.0, 2.5])?;
//! let mut right = Moments::new(&names, MissingPolicy::Listwise)?;
//! right.push(&[4.0, 5.0])?;
//! right.push(&[f64::NAN, 1.0])?;        // a missing cell: the row is left out (listwise)
//! left.merge(&right)?;
//! assert_eq!(left.n_used(), 3);
//! assert!((left.means()[0] - 7.0 / 3.0).abs() < 1e-15);
//! let back = Moments::from_json(&left.to_json()?)?; // travels between processes
//! assert_eq!(back.correlation()?, left.correlation()?);
//! # Ok::<(), csindex::Error>(())
//! ```
//!
//! ## Numerics
//! Co-moments are kept about the running weighted means, never as raw sums of squares: a chunk
//! is centred at its own mean (two passes over the chunk, one GEMM for its co-moment), and two
//! parts merge by Chan, Golub & LeVeque (1979):
//! `W = W₁ + W₂`, `δ = x̄₂ − x̄₁`, `x̄ = x̄₁ + δ W₂/W`, `C = C₁ + C₂ + δδᵀ W₁W₂/W`.
//! Shifting every answer by 10⁶ leaves the correlations unchanged to 1e-10 (a test checks it).
//!
//! ## Weights and divisors
//! A row's weight must be finite and ≥ 0. With [`WeightKind::Frequency`] (the default; unit
//! weights are the unweighted case) a row of weight k counts as k identical rows: the variance
//! divisor is `Σw − 1`, and `Σw` is the n of adjusted R² and t. With [`WeightKind::Sampling`]
//! (design or post-stratification weights) the weights are first rescaled to sum to the number
//! of rows used, so that n stays the number of respondents; the divisor is then `n − 1`.
//! Correlations, and so every PLS estimate and the 0-100 index, do not depend on the divisor.
//! [`Moments::kish_n`] gives Kish's effective sample size `(Σw)²/Σw²`.
//!
//! ## Missing cells
//! A cell is missing when it is NaN. The policy is fixed when the moments are created:
//! - [`MissingPolicy::Listwise`]: rows with a missing cell in any of the columns are left out;
//! - [`MissingPolicy::Mean`]: mean replacement, in one pass. Replacing a missing cell of column
//!   a by the observed mean m_a leaves m_a as the column's mean, and the replaced cells
//!   contribute nothing to a co-moment, so the co-moment after replacement is the sum over the
//!   rows where *both* a and b are observed of `w (x_a − m_a)(x_b − m_b)`. With the pairwise
//!   weight total W_ab, pairwise means μ_a|ab and pairwise co-moment M_ab over those rows:
//!   `C̃_ab = M_ab + W_ab (μ_a|ab − m_a)(μ_b|ab − m_b)`, where m_a = μ_a|aa. These pairwise
//!   statistics merge exactly like the complete ones, so mean replacement streams and merges
//!   too; the result equals imputing first (a test checks it to 1e-12);
//! - [`MissingPolicy::Fail`]: complete rows are accumulated and missing cells are counted;
//!   fitting such moments with missing cells is [`Error::MissingData`].

use crate::data::{MissingPolicy, Scale};
use crate::error::{Error, Result};
use crate::linalg;
use crate::resample::poisson::Replicates;
use nalgebra::DMatrix;
use serde::{Deserialize, Serialize};

/// The version of the JSON form of [`Moments`]; [`Moments::from_json`] refuses others.
pub const MOMENTS_SCHEMA: u32 = 1;

/// What row weights mean.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum WeightKind {
    /// A weight k stands for k identical rows (default; unit weights are the unweighted case).
    /// n = Σw.
    #[default]
    Frequency,
    /// Design or post-stratification weights: rescaled to sum to the number of rows used, so
    /// n is the number of respondents.
    Sampling,
}

crate::options::flag_names!(WeightKind, "weight kind", Frequency => "frequency", Sampling => "sampling");

/// Running weighted statistics of a set of rows: weight total, means and co-moments.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Part {
    /// Σw.
    w: f64,
    /// Means (p).
    mean: Vec<f64>,
    /// Co-moments about the means, p × p column-major.
    com: Vec<f64>,
}

impl Part {
    fn empty(p: usize) -> Part {
        Part {
            w: 0.0,
            mean: vec![0.0; p],
            com: vec![0.0; p * p],
        }
    }

    /// Chan's merge of `other` into `self`.
    fn merge(&mut self, other: &Part) {
        if other.w == 0.0 {
            return;
        }
        if self.w == 0.0 {
            *self = other.clone();
            return;
        }
        let p = self.mean.len();
        let w = self.w + other.w;
        let f = self.w * other.w / w;
        let delta: Vec<f64> = (0..p).map(|a| other.mean[a] - self.mean[a]).collect();
        for b in 0..p {
            for a in 0..p {
                self.com[a + p * b] += other.com[a + p * b] + delta[a] * delta[b] * f;
            }
        }
        for a in 0..p {
            self.mean[a] += delta[a] * other.w / w;
        }
        self.w = w;
    }

    /// The part that merged with `part` gives `self` (the inverse of [`Part::merge`]).
    fn remove(&self, part: &Part) -> Part {
        let p = self.mean.len();
        let w = self.w - part.w;
        if !(w > 0.0) {
            return Part::empty(p);
        }
        let mean: Vec<f64> = (0..p)
            .map(|a| (self.w * self.mean[a] - part.w * part.mean[a]) / w)
            .collect();
        let f = w * part.w / self.w;
        let mut com = vec![0.0; p * p];
        for b in 0..p {
            for a in 0..p {
                let (da, db) = (part.mean[a] - mean[a], part.mean[b] - mean[b]);
                com[a + p * b] = self.com[a + p * b] - part.com[a + p * b] - da * db * f;
            }
        }
        Part { w, mean, com }
    }
}

/// Per-pair statistics over the rows where both columns are observed (mean replacement).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Pairwise {
    /// W_ab, p × p.
    w: Vec<f64>,
    /// μ_a|ab at `[a + p·b]`.
    mean: Vec<f64>,
    /// M_ab, p × p.
    com: Vec<f64>,
}

impl Pairwise {
    fn empty(p: usize) -> Pairwise {
        Pairwise {
            w: vec![0.0; p * p],
            mean: vec![0.0; p * p],
            com: vec![0.0; p * p],
        }
    }

    fn merge(&mut self, o: &Pairwise, p: usize) {
        for b in 0..p {
            for a in 0..p {
                let (ab, ba) = (a + p * b, b + p * a);
                let (w1, w2) = (self.w[ab], o.w[ab]);
                if w2 == 0.0 {
                    continue;
                }
                let w = w1 + w2;
                let da = o.mean[ab] - self.mean[ab];
                let db = o.mean[ba] - self.mean[ba];
                self.com[ab] += o.com[ab] + da * db * w1 * w2 / w;
            }
        }
        for b in 0..p {
            for a in 0..p {
                let ab = a + p * b;
                let (w1, w2) = (self.w[ab], o.w[ab]);
                if w2 == 0.0 {
                    continue;
                }
                let w = w1 + w2;
                self.mean[ab] += (o.mean[ab] - self.mean[ab]) * w2 / w;
                self.w[ab] = w;
            }
        }
    }
}

/// How the rows were accumulated.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase", tag = "form")]
enum Acc {
    /// Complete rows (listwise deletion, or no missing cells).
    Complete(Part),
    /// Pairwise statistics (mean replacement).
    Pairwise(Pairwise),
}

/// Weighted means and co-moments of a set of named columns, with the counts and observed
/// ranges that go with them. See the [module documentation](self) for the numerics.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Moments {
    schema: u32,
    /// Shared: replicates of the resampling engine copy moments by the thousand.
    names: std::sync::Arc<Vec<String>>,
    policy: MissingPolicy,
    weight_kind: WeightKind,
    /// The survey's weight column, when the rows were weighted by one.
    #[serde(default)]
    weight_column: Option<String>,
    /// Rows pushed.
    rows: u64,
    /// Rows accumulated (all rows under mean replacement).
    rows_used: u64,
    /// Σw and Σw² over the rows used.
    weight_sum: f64,
    weight_sq_sum: f64,
    /// Missing cells per column over all rows pushed.
    missing: Vec<u64>,
    /// Smallest and largest observed value per column (over all rows pushed; ±∞ when none,
    /// written as null in JSON).
    #[serde(with = "bounds::lower")]
    min: Vec<f64>,
    #[serde(with = "bounds::upper")]
    max: Vec<f64>,
    /// Declared answer scales.
    scales: Vec<Option<Scale>>,
    acc: Acc,
    /// Replicate moments of a one-pass Poisson bootstrap accumulated with these rows.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    replicates: Option<Box<Replicates>>,
}

/// Rows per chunk of [`Moments::push_columns`]: fixed, so the result does not depend on the
/// number of threads.
pub(crate) const CHUNK: usize = 4096;

fn bad_weight(row: u64, value: f64) -> Error {
    Error::BadWeight {
        row,
        column: String::new(),
        message: format!("weight {value} (weights must be finite and >= 0)"),
    }
}

impl Moments {
    /// Empty moments of the named columns under a missing-data policy, with frequency (unit)
    /// weights.
    ///
    /// # Errors
    /// [`Error::InvalidArgument`] for no columns, [`Error::EmptyColumnName`] or
    /// [`Error::DuplicateColumn`] for bad names.
    pub fn new<S: AsRef<str>>(names: &[S], policy: MissingPolicy) -> Result<Moments> {
        if names.is_empty() {
            return Err(Error::invalid("moments", "no columns"));
        }
        crate::data::check_names(names)?;
        let p = names.len();
        Ok(Moments {
            schema: MOMENTS_SCHEMA,
            names: std::sync::Arc::new(names.iter().map(|s| s.as_ref().to_string()).collect()),
            policy,
            weight_kind: WeightKind::Frequency,
            weight_column: None,
            rows: 0,
            rows_used: 0,
            weight_sum: 0.0,
            weight_sq_sum: 0.0,
            missing: vec![0; p],
            min: vec![f64::INFINITY; p],
            max: vec![f64::NEG_INFINITY; p],
            scales: vec![None; p],
            acc: match policy {
                MissingPolicy::Mean => Acc::Pairwise(Pairwise::empty(p)),
                _ => Acc::Complete(Part::empty(p)),
            },
            replicates: None,
        })
    }

    /// Sets what the weights mean (before or after pushing rows: it only changes how the
    /// totals are read).
    #[must_use]
    pub fn weight_kind(mut self, kind: WeightKind) -> Moments {
        self.weight_kind = kind;
        self
    }

    /// Declares the answer scale of a column (used by the 0-100 index and IPMA).
    ///
    /// # Errors
    /// [`Error::UnknownColumn`] for a name not among the columns; [`Error::InvalidArgument`]
    /// for a scale that is not finite with min < max.
    pub fn set_scale(&mut self, column: &str, min: f64, max: f64) -> Result<()> {
        let k = self.col(column)?;
        self.scales[k] = Some(Scale::new(min, max)?);
        Ok(())
    }

    /// Sets the observed range of column `k` (a fit of a survey takes it from the whole column,
    /// including rows that listwise deletion left out).
    pub(crate) fn set_observed_range(&mut self, k: usize, min: f64, max: f64) {
        self.min[k] = min;
        self.max[k] = max;
    }

    /// Sets the rows pushed and the missing cells per column (moments read back from an SQL
    /// aggregate, which counts them over all rows).
    pub(crate) fn set_counts(&mut self, rows: u64, missing: Vec<u64>) {
        self.rows = rows.max(self.rows_used);
        self.missing = missing;
    }

    fn col(&self, name: &str) -> Result<usize> {
        self.names
            .iter()
            .position(|n| n == name)
            .ok_or_else(|| Error::UnknownColumn {
                name: name.to_string(),
                suggestion: crate::data::closest(name, self.names.iter().map(|s| s.as_str())),
                available: String::new(),
            })
    }

    /// The moments of a survey's columns under a missing-data policy, weighted by the survey's
    /// weight column when it has one, with the declared answer scales.
    ///
    /// # Errors
    /// [`Error::UnknownColumn`], [`Error::TextColumn`] / [`Error::NonNumeric`] for a column that
    /// is not numeric, and the errors of [`Moments::new`].
    pub fn from_survey<S: AsRef<str>>(
        survey: &crate::data::Survey,
        names: &[S],
        policy: MissingPolicy,
    ) -> Result<Moments> {
        let kind = survey
            .weight_column()
            .map_or(WeightKind::Frequency, |w| w.1);
        let mut m = Moments::new(names, policy)?.weight_kind(kind);
        m.weight_column = survey.weight_column().map(|w| w.0.to_string());
        let cols: Vec<&[f64]> = names
            .iter()
            .map(|n| survey.numeric(n.as_ref()))
            .collect::<Result<_>>()?;
        m.push_columns(&cols, survey.weights())?;
        for (k, n) in names.iter().enumerate() {
            if let Some(sc) = survey.declared_scale(n.as_ref())? {
                m.scales[k] = Some(sc);
            }
        }
        Ok(m)
    }

    /// Complete moments of an n × p column-major matrix with no missing cell.
    pub(crate) fn complete(
        raw: &DMatrix<f64>,
        weights: Option<&[f64]>,
        names: &[String],
        kind: WeightKind,
    ) -> Result<Moments> {
        let mut m = Moments::new(names, MissingPolicy::Listwise)?.weight_kind(kind);
        let n = raw.nrows();
        if n == 0 {
            return Err(Error::NoRows);
        }
        let cols: Vec<&[f64]> = raw.as_slice().chunks_exact(n).collect();
        m.push_columns(&cols, weights)?;
        Ok(m)
    }

    /// Complete moments of the given rows of complete columns (a fold, a group), compatible
    /// with `self` (same columns, policy and weight kind); no row is copied.
    pub(crate) fn subset_rows(
        &self,
        columns: &[&[f64]],
        rows: &[usize],
        weights: Option<&[f64]>,
    ) -> Moments {
        let part = complete_chunk(columns, rows, weights);
        let (w, w2) = rows.iter().fold((0.0, 0.0), |(a, b), &i| {
            let x = weights.map_or(1.0, |w| w[i]);
            (a + x, b + x * x)
        });
        let mut out = self.replicate(rows.len() as u64, w, w2, Acc::Complete(part));
        out.missing = vec![0; self.names.len()];
        out
    }

    /// Adds one row with weight 1 (NaN marks a missing cell).
    ///
    /// # Errors
    /// [`Error::InvalidArgument`] when the row's length differs from the number of columns;
    /// [`Error::NonFinite`] for an infinite cell.
    pub fn push(&mut self, row: &[f64]) -> Result<()> {
        self.push_weighted(row, 1.0)
    }

    /// Adds one row with a weight (finite, ≥ 0).
    ///
    /// # Errors
    /// As [`Moments::push`], and [`Error::BadWeight`] for a negative or non-finite weight.
    pub fn push_weighted(&mut self, row: &[f64], weight: f64) -> Result<()> {
        if row.len() != self.names.len() {
            return Err(Error::invalid(
                "row",
                format!("{} values for {} columns", row.len(), self.names.len()),
            ));
        }
        let cols: Vec<&[f64]> = row.iter().map(std::slice::from_ref).collect();
        self.push_columns(&cols, Some(std::slice::from_ref(&weight)))
    }

    /// Adds a chunk of rows given column by column (each slice one column, all of the same
    /// length; NaN marks a missing cell), with optional row weights. The rows are processed in
    /// fixed chunks of 4096 and merged in order.
    ///
    /// # Errors
    /// [`Error::InvalidArgument`] for the wrong number or unequal lengths of columns;
    /// [`Error::NonFinite`] for an infinite cell, or values so large (about 1e154) that a
    /// co-moment overflows (nothing is added then; values read from files are bounded by
    /// [`MAX_ABS_ANSWER`](crate::data::MAX_ABS_ANSWER) well before that); [`Error::BadWeight`] for a weight that is
    /// negative or not finite (naming the 1-based row counted from the first row pushed).
    pub fn push_columns(&mut self, columns: &[&[f64]], weights: Option<&[f64]>) -> Result<()> {
        self.push_columns_in(columns, weights, true)
    }

    /// [`Moments::push_columns`] on the calling thread only (the streaming reader's workers).
    pub(crate) fn push_columns_serial(
        &mut self,
        columns: &[&[f64]],
        weights: Option<&[f64]>,
    ) -> Result<()> {
        self.push_columns_in(columns, weights, false)
    }

    fn push_columns_in(
        &mut self,
        columns: &[&[f64]],
        weights: Option<&[f64]>,
        parallel: bool,
    ) -> Result<()> {
        let p = self.names.len();
        if columns.len() != p {
            return Err(Error::invalid(
                "columns",
                format!("{} columns given for {p}", columns.len()),
            ));
        }
        let n = columns[0].len();
        if columns.iter().any(|c| c.len() != n) || weights.is_some_and(|w| w.len() != n) {
            return Err(Error::invalid(
                "columns",
                "columns (and weights) must have the same length",
            ));
        }
        if let Some(w) = weights {
            if let Some(i) = w.iter().position(|x| !(x.is_finite() && *x >= 0.0)) {
                return Err(bad_weight(self.rows + i as u64 + 1, w[i]));
            }
        }
        use rayon::prelude::*;
        let chunks: Vec<(usize, usize)> = (0..n.div_ceil(CHUNK))
            .map(|c| (c * CHUNK, ((c + 1) * CHUNK).min(n)))
            .collect();
        let pairwise = matches!(self.acc, Acc::Pairwise(_));
        // One pass over each column of a chunk gives its sum, missing count and observed range;
        // then the chunk's moments (all in parallel, merged in order below).
        let one = |&(lo, hi): &(usize, usize)| -> ChunkResult {
            let stats: Vec<ColStats> = columns
                .iter()
                .map(|c| col_stats(&c[lo..hi], weights.map(|w| &w[lo..hi])))
                .collect();
            let acc = if pairwise {
                ChunkAcc::Pairwise(pairwise_chunk(columns, lo, hi, weights.map(|w| &w[lo..hi])))
            } else {
                let (part, used, w2) = complete_range(columns, lo, hi, weights, &stats);
                ChunkAcc::Complete(part, used, w2)
            };
            ChunkResult { stats, acc }
        };
        let parts: Vec<ChunkResult> = if chunks.len() == 1 || !parallel {
            chunks.iter().map(one).collect()
        } else {
            chunks.par_iter().map(one).collect()
        };
        // An infinite value shows as an infinite bound: nothing is merged then.
        for (k, c) in columns.iter().enumerate() {
            if parts
                .iter()
                .any(|r| r.stats[k].min == f64::NEG_INFINITY || r.stats[k].max == f64::INFINITY)
            {
                let i = c.iter().position(|x| x.is_infinite()).unwrap_or(0);
                return Err(Error::NonFinite {
                    row: self.rows + i as u64 + 1,
                    column: self.names[k].clone(),
                });
            }
        }
        // Values near 1e154 (or huge weights) can overflow a co-moment: then the update is
        // undone and reported, never kept as an infinite moment.
        let scale = parts
            .iter()
            .flat_map(|r| r.stats.iter().map(|st| st.min.abs().max(st.max.abs())))
            .chain(self.min.iter().chain(&self.max).map(|x| x.abs()))
            .filter(|x| x.is_finite())
            .fold(0.0, f64::max);
        let wmax = weights.map_or(1.0, |w| w.iter().copied().fold(1.0, f64::max));
        let backup =
            could_overflow(scale, wmax, (self.rows + n as u64) as f64).then(|| self.clone());
        for r in &parts {
            for (k, st) in r.stats.iter().enumerate() {
                self.missing[k] += st.missing;
                self.min[k] = self.min[k].min(st.min);
                self.max[k] = self.max[k].max(st.max);
            }
            match (&mut self.acc, &r.acc) {
                (Acc::Complete(part), ChunkAcc::Complete(chunk, used, w2)) => {
                    part.merge(chunk);
                    self.rows_used += used;
                    self.weight_sum += chunk.w;
                    self.weight_sq_sum += w2;
                }
                (Acc::Pairwise(pw), ChunkAcc::Pairwise(chunk)) => pw.merge(chunk, p),
                _ => {}
            }
        }
        if pairwise {
            self.rows_used += n as u64;
            for i in 0..n {
                let x = weights.map_or(1.0, |w| w[i]);
                self.weight_sum += x;
                self.weight_sq_sum += x * x;
            }
        }
        if let Some(b) = backup {
            if let Some(k) = self.non_finite_column() {
                *self = b;
                return Err(Error::NonFinite {
                    row: 0,
                    column: self.names[k].clone(),
                });
            }
        }
        self.rows += n as u64;
        Ok(())
    }

    /// Merges the moments of other rows into these (Chan's update): the result is that of all
    /// rows together, whatever the order of merging, up to rounding.
    ///
    /// # Errors
    /// [`Error::MomentsMismatch`] when the columns, the missing-data policy or the weight kind
    /// differ; [`Error::NonFinite`] when the merged moments would overflow (nothing is merged).
    pub fn merge(&mut self, other: &Moments) -> Result<()> {
        self.check_compatible(other)?;
        let scale = self
            .min
            .iter()
            .chain(&self.max)
            .chain(&other.min)
            .chain(&other.max)
            .map(|x| x.abs())
            .filter(|x| x.is_finite())
            .fold(0.0, f64::max);
        let wmax = (self.weight_sum + other.weight_sum).max(1.0);
        if could_overflow(scale, wmax, 1.0) {
            let mut trial = self.clone();
            trial.merge_unchecked(other)?;
            if let Some(k) = trial.non_finite_column() {
                return Err(Error::NonFinite {
                    row: 0,
                    column: self.names[k].clone(),
                });
            }
            *self = trial;
            return Ok(());
        }
        self.merge_unchecked(other)
    }

    fn merge_unchecked(&mut self, other: &Moments) -> Result<()> {
        match (&mut self.replicates, &other.replicates) {
            (None, None) => {}
            (Some(a), Some(b)) => a.merge(b)?,
            _ => {
                return Err(mismatch(
                    "one part carries Poisson bootstrap replicates and the other does not",
                ))
            }
        }
        self.rows += other.rows;
        self.rows_used += other.rows_used;
        self.weight_sum += other.weight_sum;
        self.weight_sq_sum += other.weight_sq_sum;
        for k in 0..self.names.len() {
            self.missing[k] += other.missing[k];
            self.min[k] = self.min[k].min(other.min[k]);
            self.max[k] = self.max[k].max(other.max[k]);
            if self.scales[k].is_none() {
                self.scales[k] = other.scales[k];
            }
        }
        match (&mut self.acc, &other.acc) {
            (Acc::Complete(a), Acc::Complete(b)) => a.merge(b),
            (Acc::Pairwise(a), Acc::Pairwise(b)) => a.merge(b, self.names.len()),
            _ => return Err(mismatch("the accumulated form differs")),
        }
        self.settle_exact();
        Ok(())
    }

    fn check_compatible(&self, other: &Moments) -> Result<()> {
        if self.names != other.names {
            return Err(mismatch(format!(
                "columns differ: [{}] and [{}]",
                self.names.join(", "),
                other.names.join(", ")
            )));
        }
        if self.policy != other.policy {
            return Err(mismatch(format!(
                "missing-data policies differ: {} and {}",
                self.policy.as_str(),
                other.policy.as_str()
            )));
        }
        if self.weight_kind != other.weight_kind {
            return Err(mismatch(format!(
                "weight kinds differ: {:?} and {:?}",
                self.weight_kind, other.weight_kind
            )));
        }
        Ok(())
    }

    /// The moments of the rows of `self` that are not in `part` (the inverse of
    /// [`Moments::merge`]; `part` must be a subset of the rows, e.g. a cross-validation fold).
    /// Observed minima and maxima are those of `self`. Complete (listwise) moments only.
    ///
    /// # Errors
    /// [`Error::MomentsMismatch`] for incompatible moments, moments under mean replacement, or
    /// a part with at least as many rows as the whole.
    pub fn without(&self, part: &Moments) -> Result<Moments> {
        self.check_compatible(part)?;
        let (Acc::Complete(a), Acc::Complete(b)) = (&self.acc, &part.acc) else {
            return Err(mismatch(
                "rows can be removed from complete (listwise) moments only",
            ));
        };
        if part.rows_used >= self.rows_used {
            return Err(mismatch(format!(
                "the part has {} rows, the whole {}",
                part.rows_used, self.rows_used
            )));
        }
        let mut out = self.clone();
        out.replicates = None;
        out.rows -= part.rows.min(self.rows);
        out.rows_used -= part.rows_used;
        out.weight_sum = self.weight_sum - part.weight_sum;
        out.weight_sq_sum = self.weight_sq_sum - part.weight_sq_sum;
        for k in 0..self.names.len() {
            out.missing[k] = self.missing[k].saturating_sub(part.missing[k]);
        }
        out.acc = Acc::Complete(a.remove(b));
        Ok(out)
    }

    /// The moments of a subset of the columns, in the order given.
    ///
    /// Under listwise deletion the rows left out are those with a missing cell in *any* of the
    /// original columns; [`Moments::listwise_wider`] tells whether that differs.
    ///
    /// # Errors
    /// [`Error::UnknownColumn`] (with the closest name) for a name not among the columns;
    /// [`Error::DuplicateColumn`] for a name given twice.
    pub fn select<S: AsRef<str>>(&self, names: &[S]) -> Result<Moments> {
        crate::data::check_names(names)?;
        let idx: Vec<usize> = names
            .iter()
            .map(|n| self.col(n.as_ref()))
            .collect::<Result<_>>()?;
        let (p0, q) = (self.names.len(), idx.len());
        let pick = |v: &[f64]| -> Vec<f64> {
            let mut out = vec![0.0; q * q];
            for (b, &jb) in idx.iter().enumerate() {
                for (a, &ja) in idx.iter().enumerate() {
                    out[a + q * b] = v[ja + p0 * jb];
                }
            }
            out
        };
        let acc = match &self.acc {
            Acc::Complete(part) => Acc::Complete(Part {
                w: part.w,
                mean: idx.iter().map(|&k| part.mean[k]).collect(),
                com: pick(&part.com),
            }),
            Acc::Pairwise(pw) => Acc::Pairwise(Pairwise {
                w: pick(&pw.w),
                mean: pick(&pw.mean),
                com: pick(&pw.com),
            }),
        };
        Ok(Moments {
            schema: self.schema,
            names: std::sync::Arc::new(idx.iter().map(|&k| self.names[k].clone()).collect()),
            policy: self.policy,
            weight_kind: self.weight_kind,
            weight_column: self.weight_column.clone(),
            rows: self.rows,
            rows_used: self.rows_used,
            weight_sum: self.weight_sum,
            weight_sq_sum: self.weight_sq_sum,
            missing: idx.iter().map(|&k| self.missing[k]).collect(),
            min: idx.iter().map(|&k| self.min[k]).collect(),
            max: idx.iter().map(|&k| self.max[k]).collect(),
            scales: idx.iter().map(|&k| self.scales[k]).collect(),
            acc,
            replicates: self.replicates.as_ref().map(|r| Box::new(r.select(&idx))),
        })
    }

    /// The complete moments of columns over the rows these moments were accumulated from
    /// (complete ones, no missing cell): `names[a]` is this set's column `from[a]` (its mean
    /// and co-moments are taken as they are) or, where `from[a]` is `None`, a new column whose
    /// values over those rows are column a of `columns`; `columns` (rows × names) holds every
    /// named column's values over the rows, in row order, and `weights` their weights. Only the co-moments that
    /// involve a new column are computed: a derived fit (stage two of a higher-order or
    /// interaction model) needs no second pass over all its columns. `None` when these moments
    /// are not complete-row moments without a missing cell (or carry Poisson replicates).
    pub(crate) fn derived(
        &self,
        names: &[String],
        columns: &DMatrix<f64>,
        from: &[Option<usize>],
        weights: Option<&[f64]>,
    ) -> Option<Moments> {
        let Acc::Complete(part) = &self.acc else {
            return None;
        };
        if self.replicates.is_some()
            || self.missing.iter().any(|&k| k > 0)
            || names.len() != columns.ncols()
            || names.len() != from.len()
            || from.iter().flatten().any(|&k| k >= self.names.len())
        {
            return None;
        }
        let n = usize::try_from(self.rows_used).ok()?;
        if columns.nrows() != n || weights.is_some_and(|w| w.len() != n) {
            return None;
        }
        let (p0, q) = (self.names.len(), names.len());
        // Column a as a slice (nalgebra's element iterators are several times slower).
        let col = |a: usize| &columns.as_slice()[a * n..(a + 1) * n];
        let mean: Vec<f64> = (0..q)
            .map(|a| match from[a] {
                Some(k) => part.mean[k],
                None => {
                    let total = match weights {
                        None => crate::linalg::sum(col(a)),
                        Some(w) => crate::linalg::dot(col(a), w),
                    };
                    total / part.w
                }
            })
            .collect();
        // Co-moments with the new columns: N̄ᵀ X, N̄ the new columns centred and weighted
        // (w·(y − ȳ)) and X every column as it is, then Σ w(y − ȳ)(x − x̄) = [N̄ᵀ X] − x̄·Σ w(y − ȳ)
        // (one matrix product with a transpose of the new columns only; no pass over the pairs
        // of old columns). Only copies of base columns (repeated indicators): nothing to compute.
        let fresh: Vec<usize> = (0..q).filter(|&a| from[a].is_none()).collect();
        let mut cells = Vec::with_capacity(n * fresh.len());
        for &a in &fresh {
            let m = mean[a];
            let c = col(a);
            match weights {
                None => cells.extend(c.iter().map(|x| x - m)),
                Some(w) => cells.extend(c.iter().zip(w).map(|(x, w)| (x - m) * w)),
            }
        }
        let new = DMatrix::from_vec(n, fresh.len(), cells);
        let sums: Vec<f64> = new
            .as_slice()
            .chunks_exact(n.max(1))
            .map(crate::linalg::sum)
            .take(fresh.len())
            .collect();
        let cross = crate::linalg::cross(&new, columns);
        // The co-moment of column a with new column `fresh[fb]`; between two new columns, the
        // one with the lower index is the centred factor, so that the matrix is symmetric.
        let with_new = |a: usize, fb: usize| -> f64 {
            let b = fresh[fb];
            match fresh.iter().position(|&f| f == a) {
                Some(fa) if a < b => cross[(fa, b)] - mean[b] * sums[fa],
                _ => cross[(fb, a)] - mean[a] * sums[fb],
            }
        };
        let mut com = vec![0.0; q * q];
        for b in 0..q {
            for a in 0..q {
                com[a + q * b] = match (from[a], from[b]) {
                    (Some(ka), Some(kb)) => part.com[ka + p0 * kb],
                    (_, None) => with_new(a, fresh.iter().position(|&f| f == b).unwrap_or(0)),
                    (None, Some(_)) => with_new(b, fresh.iter().position(|&f| f == a).unwrap_or(0)),
                };
            }
        }
        let (mut min, mut max, mut scales) = (vec![0.0; q], vec![0.0; q], Vec::with_capacity(q));
        for a in 0..q {
            let (lo, hi, sc) = match from[a] {
                Some(k) => (self.min[k], self.max[k], self.scales[k]),
                None => {
                    let (lo, hi) = crate::data::observed_range(col(a));
                    (lo, hi, observed_scale(lo, hi))
                }
            };
            (min[a], max[a]) = (lo, hi);
            scales.push(sc);
        }
        Some(Moments {
            schema: self.schema,
            names: std::sync::Arc::new(names.to_vec()),
            policy: self.policy,
            weight_kind: self.weight_kind,
            weight_column: self.weight_column.clone(),
            rows: self.rows,
            rows_used: self.rows_used,
            weight_sum: self.weight_sum,
            weight_sq_sum: self.weight_sq_sum,
            missing: vec![0; q],
            min,
            max,
            // A new column's: its observed range (`observed_scale`).
            scales,
            acc: Acc::Complete(Part {
                w: part.w,
                mean,
                com,
            }),
            replicates: None,
        })
    }

    /// Replaces columns `ys` of these complete-row moments, whose values over the rows are the
    /// columns `ys` of `columns` (rows × names, as for [`Moments::derived`]), by their residuals
    /// from least squares on `[1, x]` for the columns `xs` (Henseler & Chin's orthogonalised
    /// product indicators), without another pass over the rows for their co-moments. With
    /// `β = C_xx⁻¹ C_xy` (C the co-moments), a residual `e = (y − ȳ) − (x − x̄)β` has mean
    /// zero, co-moments `C_yz − βᵀ C_xz` with every column z outside `ys` (zero with the
    /// regressors), `C_yy' − βᵀ C_xy'` with another residual, and its observed range as its
    /// scale; the columns of `columns` become the residuals. Least squares is weighted as the
    /// moments are. Gives, for each y, the share of its variance its residual keeps
    /// (`C_ee / C_yy`, 1 − R²: near 0 when y is a linear function of the xs, and the residual
    /// then mostly rounding). `None` when these are not complete-row moments of `columns`'
    /// rows (a missing cell, another number of rows), an index is out of range, `ys` and `xs`
    /// overlap, or `C_xx` is singular (the regressors are collinear, or there are no more rows
    /// than regressors).
    pub(crate) fn orthogonalized(
        &mut self,
        columns: &mut DMatrix<f64>,
        ys: &[usize],
        xs: &[usize],
    ) -> Option<Vec<f64>> {
        let q = self.names.len();
        let Acc::Complete(part) = &mut self.acc else {
            return None;
        };
        let n = columns.nrows();
        if columns.ncols() != q
            || self.missing.iter().any(|&k| k > 0)
            || u64::try_from(n).ok() != Some(self.rows_used)
            || ys.iter().chain(xs).any(|&a| a >= q)
            || ys.iter().any(|y| xs.contains(y))
            || n <= xs.len()
            || xs.is_empty()
        {
            return None;
        }
        let (k, m) = (xs.len(), ys.len());
        let com = &mut part.com;
        let l = linalg::cholesky(&DMatrix::from_fn(k, k, |i, j| com[xs[i] + q * xs[j]]))?;
        // β, k × m column-major.
        let mut beta = vec![0.0; k * m];
        for (j, &y) in ys.iter().enumerate() {
            let b = &mut beta[j * k..(j + 1) * k];
            for (i, &x) in xs.iter().enumerate() {
                b[i] = com[x + q * y];
            }
            linalg::cholesky_solve_in_place(&l, b);
        }
        // Co-moments, from the old ones: a residual's row first (with z outside ys, and with
        // another residual y' at or after it), then mirrored.
        let old = com.clone();
        let before: Vec<f64> = ys.iter().map(|&y| old[y + q * y]).collect();
        for (j, &y) in ys.iter().enumerate() {
            let b = &beta[j * k..(j + 1) * k];
            let fitted = |z: usize| -> f64 {
                xs.iter()
                    .zip(b)
                    .map(|(&x, &bi)| bi * old[x + q * z])
                    .sum::<f64>()
            };
            for z in 0..q {
                let later = ys.iter().position(|&v| v == z).is_some_and(|jz| jz >= j);
                if later || !ys.contains(&z) {
                    let v = if xs.contains(&z) {
                        0.0
                    } else {
                        old[y + q * z] - fitted(z)
                    };
                    com[y + q * z] = v;
                    com[z + q * y] = v;
                }
            }
        }
        // The residual columns: the centred regressors once, then each residual over blocks
        // of rows held in registers while every regressor is subtracted (one store per cell).
        let cells = columns.as_mut_slice();
        let mut xc = Vec::with_capacity(k * n);
        for &x in xs {
            let m = part.mean[x];
            xc.extend(cells[x * n..(x + 1) * n].iter().map(|v| v - m));
        }
        for (j, &y) in ys.iter().enumerate() {
            let b = &beta[j * k..(j + 1) * k];
            let ym = part.mean[y];
            residuals_in_place(&mut cells[y * n..(y + 1) * n], ym, &xc, b);
            let (lo, hi) = crate::data::observed_range(&cells[y * n..(y + 1) * n]);
            part.mean[y] = 0.0;
            (self.min[y], self.max[y]) = (lo, hi);
            self.scales[y] = observed_scale(lo, hi);
        }
        let com = &part.com;
        Some(
            ys.iter()
                .zip(&before)
                .map(|(&y, &b)| if b > 0.0 { com[y + q * y] / b } else { 0.0 })
                .collect(),
        )
    }

    /// Whether listwise deletion over these columns dropped rows for missing cells only in
    /// columns outside `names` (so that the moments of `names` differ from listwise deletion
    /// over `names` alone).
    pub fn listwise_wider<S: AsRef<str>>(&self, names: &[S]) -> bool {
        if self.policy == MissingPolicy::Mean {
            return false;
        }
        self.names
            .iter()
            .zip(&self.missing)
            .any(|(n, &k)| k > 0 && !names.iter().any(|m| m.as_ref() == n))
    }

    /// Column names.
    pub fn names(&self) -> &[String] {
        &self.names
    }
    /// The missing-data policy the rows were accumulated under.
    pub fn policy(&self) -> MissingPolicy {
        self.policy
    }
    /// What the weights mean.
    pub fn weights(&self) -> WeightKind {
        self.weight_kind
    }
    /// The survey's weight column, when the rows were weighted by one.
    pub fn weight_column(&self) -> Option<&str> {
        self.weight_column.as_deref()
    }
    pub(crate) fn set_weight_column(&mut self, column: Option<&str>) {
        self.weight_column = column.map(str::to_string);
    }
    /// Rows pushed.
    pub fn n_rows(&self) -> u64 {
        self.rows
    }
    /// Rows accumulated: complete rows under listwise deletion, all rows under mean
    /// replacement.
    pub fn n_used(&self) -> u64 {
        self.rows_used
    }
    /// Σw over the rows used.
    pub fn weight_sum(&self) -> f64 {
        self.weight_sum
    }
    /// Kish's effective sample size `(Σw)² / Σw²` (the number of rows for unit weights).
    pub fn kish_n(&self) -> f64 {
        if self.weight_sq_sum > 0.0 {
            self.weight_sum * self.weight_sum / self.weight_sq_sum
        } else {
            0.0
        }
    }
    /// The n of adjusted R², t and degrees of freedom: Σw for frequency weights, the number of
    /// rows used for sampling weights.
    pub fn n(&self) -> f64 {
        match self.weight_kind {
            WeightKind::Frequency => self.weight_sum,
            WeightKind::Sampling => self.rows_used as f64,
        }
    }
    /// Missing cells per column, over all rows pushed.
    pub fn missing_counts(&self) -> &[u64] {
        &self.missing
    }
    /// Smallest observed value per column (+∞ when a column has none).
    pub fn min(&self) -> &[f64] {
        &self.min
    }
    /// Largest observed value per column (−∞ when a column has none).
    pub fn max(&self) -> &[f64] {
        &self.max
    }
    /// The declared scale of each column.
    pub fn scales(&self) -> &[Option<Scale>] {
        &self.scales
    }

    /// Number of one-pass (Poisson) bootstrap replicates accumulated with these rows (0 when
    /// none was asked; see [`Stream::poisson_bootstrap`](crate::stream::Stream::poisson_bootstrap)).
    pub fn replicate_count(&self) -> usize {
        self.replicates.as_ref().map_or(0, |r| r.len())
    }

    /// The seed of the Poisson bootstrap replicates, when there are any.
    pub fn replicate_seed(&self) -> Option<u64> {
        self.replicates.as_ref().map(|r| r.seed)
    }

    /// What keys the rows of the Poisson bootstrap replicates, when there are any.
    pub fn replicate_key(&self) -> Option<&crate::resample::poisson::ReplicateKey> {
        self.replicates.as_ref().map(|r| &r.key)
    }

    /// Whether the Poisson replicates' sums are exact binary numbers, so that they are
    /// bit-identical for any chunking, thread count and partition of the rows (integer or
    /// half-integer answers about the centre, integer weights). `None` without replicates.
    pub fn replicates_exact(&self) -> Option<bool> {
        self.replicates.as_ref().map(|r| r.exact())
    }

    pub(crate) fn set_replicates(&mut self, r: Option<Replicates>) {
        self.replicates = r.map(Box::new);
        self.settle_exact();
    }

    /// With exact Poisson sums (see [`Moments::replicates_exact`]), the complete moments are
    /// recomputed from the data's exact sums, so that they too are bit-identical for any
    /// chunking and partition of the rows (they differ from Chan's merges by rounding only).
    fn settle_exact(&mut self) {
        let Some(r) = &self.replicates else { return };
        if !r.exact() {
            return;
        }
        if let Acc::Complete(part) = &mut self.acc {
            let (w, sum, cross) = r.base_sums();
            if w > 0.0 {
                let p = sum.len();
                let u: Vec<f64> = sum.iter().map(|s| s / w).collect();
                part.w = w;
                part.mean = (0..p).map(|a| r.center[a] + u[a]).collect();
                for b in 0..p {
                    for a in 0..p {
                        part.com[a + p * b] = cross[(a, b)] - w * u[a] * u[b];
                    }
                }
            }
        }
    }

    /// The moments of each Poisson replicate (complete moments shaped after these).
    pub(crate) fn replicate_moments(&self) -> Vec<Moments> {
        let Some(r) = &self.replicates else {
            return Vec::new();
        };
        let mut template = self.clone();
        template.replicates = None;
        (0..r.len())
            .map(|b| {
                let (rows, w, w2, sum, cross) = r.replicate(b);
                Moments::from_centered_sums(&template, rows, w, w2, &r.center, &sum, &cross)
            })
            .collect()
    }

    /// Weighted means (observed means under mean replacement).
    pub fn means(&self) -> Vec<f64> {
        let p = self.names.len();
        match &self.acc {
            Acc::Complete(part) => part.mean.clone(),
            Acc::Pairwise(pw) => (0..p).map(|a| pw.mean[a + p * a]).collect(),
        }
    }

    /// The co-moment matrix Σ w (x − x̄)(x − x̄)ᵀ (after mean replacement under that policy).
    fn comoments(&self) -> DMatrix<f64> {
        let p = self.names.len();
        match &self.acc {
            Acc::Complete(part) => DMatrix::from_column_slice(p, p, &part.com),
            Acc::Pairwise(pw) => DMatrix::from_fn(p, p, |a, b| {
                let (ab, ba) = (a + p * b, b + p * a);
                let (ma, mb) = (pw.mean[a + p * a], pw.mean[b + p * b]);
                pw.com[ab] + pw.w[ab] * (pw.mean[ab] - ma) * (pw.mean[ba] - mb)
            }),
        }
    }

    /// Σw of the accumulated co-moments (all rows' weights under mean replacement).
    fn total_weight(&self) -> f64 {
        match &self.acc {
            Acc::Complete(part) => part.w,
            Acc::Pairwise(_) => self.weight_sum,
        }
    }

    /// The covariance matrix (divisor: see the [module documentation](self)).
    ///
    /// # Errors
    /// [`Error::TooFewRows`] when n ≤ 1.
    pub fn covariance(&self) -> Result<DMatrix<f64>> {
        let mut c = self.comoments() * self.divisor_factor()?;
        linalg::symmetrize(&mut c);
        Ok(c)
    }

    /// The factor n / (Σw (n − 1)) that turns co-moments into covariances.
    fn divisor_factor(&self) -> Result<f64> {
        let n = self.n();
        let w = self.total_weight();
        if !(n > 1.0) || !(w > 0.0) {
            return Err(Error::TooFewRows {
                needed: 2,
                found: self.rows_used as usize,
                reason: "a covariance needs n > 1".into(),
            });
        }
        Ok(n / (w * (n - 1.0)))
    }

    /// Standard deviations (divisor as [`Moments::covariance`]).
    ///
    /// # Errors
    /// As [`Moments::covariance`].
    pub fn sds(&self) -> Result<Vec<f64>> {
        let c = self.covariance()?;
        Ok((0..c.nrows()).map(|a| c[(a, a)].max(0.0).sqrt()).collect())
    }

    /// The correlation matrix (unit diagonal).
    ///
    /// # Errors
    /// [`Error::TooFewRows`] when n ≤ 1; [`Error::ZeroVariance`] naming the first column that
    /// does not vary; [`Error::NonFinite`] when a moment overflowed.
    pub fn correlation(&self) -> Result<DMatrix<f64>> {
        Ok(self.standardized()?.2)
    }

    /// Means, standard deviations and the correlation matrix, with every check of
    /// [`Moments::correlation`].
    pub(crate) fn standardized(&self) -> Result<(Vec<f64>, Vec<f64>, DMatrix<f64>)> {
        let means = self.means();
        let f = self.divisor_factor()?;
        let com = self.comoments();
        let p = self.names.len();
        let mut sds = Vec::with_capacity(p);
        for a in 0..p {
            let v = com[(a, a)] * f;
            if !means[a].is_finite() || !v.is_finite() {
                return Err(Error::NonFinite {
                    row: 0,
                    column: self.names[a].clone(),
                });
            }
            let sd = v.max(0.0).sqrt();
            if !(sd > 1e-12 * (1.0 + means[a].abs())) {
                return Err(Error::ZeroVariance {
                    column: self.names[a].clone(),
                    n: self.rows_used as usize,
                });
            }
            sds.push(sd);
        }
        let root: Vec<f64> = (0..p).map(|a| com[(a, a)].sqrt()).collect();
        let mut s = com;
        for b in 0..p {
            for a in 0..p {
                s[(a, b)] = if a == b {
                    1.0
                } else {
                    s[(a, b)] / (root[a] * root[b])
                };
            }
        }
        linalg::symmetrize(&mut s);
        if let Some(k) = s.iter().position(|x| !x.is_finite()) {
            return Err(Error::NonFinite {
                row: 0,
                column: self.names[k % p].clone(),
            });
        }
        Ok((means, sds, s))
    }

    /// Moments of one part from weighted sums about a fixed centre (the resampling engine's
    /// batched products): `sum = Σ w (x − c)`, `cross = Σ w (x − c)(x − c)ᵀ`.
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn from_centered_sums(
        template: &Moments,
        rows_used: u64,
        weight_sum: f64,
        weight_sq_sum: f64,
        center: &[f64],
        sum: &[f64],
        cross: &DMatrix<f64>,
    ) -> Moments {
        let p = center.len();
        let w = weight_sum;
        let u: Vec<f64> = sum
            .iter()
            .map(|s| if w > 0.0 { s / w } else { 0.0 })
            .collect();
        let mut com = vec![0.0; p * p];
        for b in 0..p {
            for a in 0..p {
                com[a + p * b] = cross[(a, b)] - w * u[a] * u[b];
            }
        }
        template.replicate(
            rows_used,
            weight_sum,
            weight_sq_sum,
            Acc::Complete(Part {
                w,
                mean: (0..p).map(|a| center[a] + u[a]).collect(),
                com,
            }),
        )
    }

    /// Moments shaped after `self` (columns, policy, bounds, scales) with other rows.
    fn replicate(&self, rows_used: u64, weight_sum: f64, weight_sq_sum: f64, acc: Acc) -> Moments {
        Moments {
            schema: self.schema,
            names: self.names.clone(),
            policy: self.policy,
            weight_kind: self.weight_kind,
            weight_column: self.weight_column.clone(),
            rows: rows_used,
            rows_used,
            weight_sum,
            weight_sq_sum,
            missing: self.missing.clone(),
            min: self.min.clone(),
            max: self.max.clone(),
            scales: self.scales.clone(),
            acc,
            replicates: None,
        }
    }

    /// Mean-replacement moments from pairwise sums about a fixed centre: `wm[(a, b)]` = Σ w over
    /// rows with a and b observed, `s[(a, b)]` = Σ w (x_a − c_a) over those rows, `pm` the
    /// products.
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn from_pairwise_sums(
        template: &Moments,
        rows_used: u64,
        weight_sum: f64,
        weight_sq_sum: f64,
        center: &[f64],
        wm: &DMatrix<f64>,
        s: &DMatrix<f64>,
        pm: &DMatrix<f64>,
    ) -> Moments {
        let p = center.len();
        let mut pw = Pairwise::empty(p);
        for b in 0..p {
            for a in 0..p {
                let wab = wm[(a, b)];
                if !(wab > 0.0) {
                    continue;
                }
                let ab = a + p * b;
                pw.w[ab] = wab;
                pw.mean[ab] = center[a] + s[(a, b)] / wab;
                pw.com[ab] = pm[(a, b)] - s[(a, b)] * s[(b, a)] / wab;
            }
        }
        template.replicate(rows_used, weight_sum, weight_sq_sum, Acc::Pairwise(pw))
    }

    /// The JSON form (with a `schema` version), for moments that travel between processes.
    ///
    /// # Errors
    /// [`Error::Json`] when serialization fails (it does not for finite moments).
    pub fn to_json(&self) -> Result<String> {
        if let Some(k) = self.non_finite_column() {
            return Err(Error::NonFinite {
                row: 0,
                column: self.names[k].clone(),
            });
        }
        Ok(serde_json::to_string(self)?)
    }

    /// The first column whose accumulated moments are not finite (an overflow).
    fn non_finite_column(&self) -> Option<usize> {
        let p = self.names.len();
        let bad = |v: &[f64]| v.iter().position(|x| !x.is_finite());
        let (mean, com) = match &self.acc {
            Acc::Complete(part) => (bad(&part.mean), bad(&part.com)),
            Acc::Pairwise(pw) => (bad(&pw.mean).map(|i| i % p), bad(&pw.com).or(bad(&pw.w))),
        };
        mean.or(com.map(|i| i % p)).or_else(|| {
            (!self.weight_sum.is_finite() || !self.weight_sq_sum.is_finite()).then_some(0)
        })
    }

    /// Reads the moments saved in several files (each written by [`Moments::to_json`], e.g. by
    /// one partition of the data each) and merges them in the order given.
    ///
    /// # Errors
    /// [`Error::InvalidArgument`] for no file; [`Error::Io`] naming a file that cannot be read;
    /// [`Error::MomentsMismatch`] naming the file whose moments cannot be read (JSON, schema
    /// version) or merged into the ones before it (other columns, missing-data policy, weight
    /// kind, Poisson replicates).
    pub fn read_merged<P: AsRef<std::path::Path>>(paths: &[P]) -> Result<Moments> {
        let mut total: Option<Moments> = None;
        for path in paths {
            let path = path.as_ref();
            let file = path.display().to_string();
            let named = |e: Error| match e {
                Error::MomentsMismatch { message, .. } => Error::MomentsMismatch {
                    file: file.clone(),
                    message,
                },
                other => Error::MomentsMismatch {
                    file: file.clone(),
                    message: other.to_string(),
                },
            };
            let text = std::fs::read_to_string(path).map_err(|e| Error::Io {
                path: file.clone(),
                source: e,
            })?;
            let m = Moments::from_json(&text).map_err(named)?;
            match &mut total {
                None => total = Some(m),
                Some(t) => t.merge(&m).map_err(named)?,
            }
        }
        total.ok_or_else(|| Error::invalid("moments", "no moments files given"))
    }

    /// Reads moments written by [`Moments::to_json`], checking the schema version and that
    /// every array has the right length and every value is valid.
    ///
    /// # Errors
    /// [`Error::Json`] for text that is not such a JSON object; [`Error::MomentsMismatch`] for
    /// another schema version or inconsistent contents.
    pub fn from_json(text: &str) -> Result<Moments> {
        let v: serde_json::Value = serde_json::from_str(text)?;
        let schema = v.get("schema").and_then(|s| s.as_u64());
        if schema != Some(MOMENTS_SCHEMA as u64) {
            return Err(mismatch(format!(
                "schema version {} (this build reads {MOMENTS_SCHEMA})",
                schema.map_or("missing".to_string(), |s| s.to_string())
            )));
        }
        let m: Moments = serde_json::from_value(v)?;
        m.validate()?;
        Ok(m)
    }

    fn validate(&self) -> Result<()> {
        let p = self.names.len();
        if p == 0 {
            return Err(mismatch("no columns"));
        }
        crate::data::check_names(&self.names)?;
        let lens = [
            self.missing.len(),
            self.min.len(),
            self.max.len(),
            self.scales.len(),
        ];
        let ok_acc = match &self.acc {
            Acc::Complete(part) => {
                part.mean.len() == p
                    && part.com.len() == p * p
                    && part.w.is_finite()
                    && part.w >= 0.0
                    && part.mean.iter().chain(&part.com).all(|x| x.is_finite())
            }
            Acc::Pairwise(pw) => {
                pw.w.len() == p * p
                    && pw.mean.len() == p * p
                    && pw.com.len() == p * p
                    && pw.w.iter().all(|x| x.is_finite() && *x >= 0.0)
                    && pw.mean.iter().chain(&pw.com).all(|x| x.is_finite())
            }
        };
        let form_ok = matches!(
            (&self.acc, self.policy),
            (Acc::Pairwise(_), MissingPolicy::Mean)
                | (
                    Acc::Complete(_),
                    MissingPolicy::Listwise | MissingPolicy::Fail
                )
        );
        if let Some(r) = &self.replicates {
            r.validate(p)
                .map_err(|m| mismatch(format!("Poisson replicates: {m}")))?;
        }
        if lens.iter().any(|&l| l != p)
            || !ok_acc
            || !form_ok
            || self.rows_used > self.rows
            || !(self.weight_sum.is_finite() && self.weight_sum >= 0.0)
            || !(self.weight_sq_sum.is_finite() && self.weight_sq_sum >= 0.0)
            || self.min.iter().chain(&self.max).any(|x| x.is_nan())
            || self
                .scales
                .iter()
                .flatten()
                .any(|s| Scale::new(s.min, s.max).is_err())
        {
            return Err(mismatch(
                "inconsistent contents (lengths, counts or values)",
            ));
        }
        Ok(())
    }
}

/// ±∞ bounds (a column with no observed value) as JSON null, and back.
mod bounds {
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    fn write<S: Serializer>(v: &[f64], s: S) -> std::result::Result<S::Ok, S::Error> {
        let o: Vec<Option<f64>> = v.iter().map(|x| x.is_finite().then_some(*x)).collect();
        o.serialize(s)
    }
    fn read<'de, D: Deserializer<'de>>(d: D, fill: f64) -> std::result::Result<Vec<f64>, D::Error> {
        let o: Vec<Option<f64>> = Vec::deserialize(d)?;
        Ok(o.into_iter().map(|x| x.unwrap_or(fill)).collect())
    }
    pub mod lower {
        use super::*;
        pub fn serialize<S: Serializer>(v: &[f64], s: S) -> std::result::Result<S::Ok, S::Error> {
            write(v, s)
        }
        pub fn deserialize<'de, D: Deserializer<'de>>(
            d: D,
        ) -> std::result::Result<Vec<f64>, D::Error> {
            read(d, f64::INFINITY)
        }
    }
    pub mod upper {
        use super::*;
        pub fn serialize<S: Serializer>(v: &[f64], s: S) -> std::result::Result<S::Ok, S::Error> {
            write(v, s)
        }
        pub fn deserialize<'de, D: Deserializer<'de>>(
            d: D,
        ) -> std::result::Result<Vec<f64>, D::Error> {
            read(d, f64::NEG_INFINITY)
        }
    }
}

/// Whether co-moments of values up to `scale` in size, with weights up to `wmax` over `rows`
/// rows, could overflow (a generous bound: then the update is checked).
fn could_overflow(scale: f64, wmax: f64, rows: f64) -> bool {
    let bound = (2.0 * scale).powi(2) * wmax.max(1.0) * rows.max(1.0);
    !(bound < 1e300)
}

fn mismatch(what: impl Into<String>) -> Error {
    Error::MomentsMismatch {
        file: String::new(),
        message: what.into(),
    }
}

/// One column of a chunk in one pass: sum of the observed values, missing count, range.
struct ColStats {
    /// Σ w x over the observed values (Σ x without weights).
    wsum: f64,
    missing: u64,
    min: f64,
    max: f64,
}

/// What one chunk contributes.
struct ChunkResult {
    stats: Vec<ColStats>,
    acc: ChunkAcc,
}

enum ChunkAcc {
    /// Moments of the complete rows, their number and Σw².
    Complete(Part, u64, f64),
    Pairwise(Pairwise),
}

/// Four lanes, so that the loop vectorises; NaN (missing) adds nothing to the sum and, since it
/// compares false, never enters the range.
fn col_stats(c: &[f64], w: Option<&[f64]>) -> ColStats {
    let mut wsum = [0.0f64; 4];
    let mut miss = [0u64; 4];
    let mut lo = [f64::INFINITY; 4];
    let mut hi = [f64::NEG_INFINITY; 4];
    macro_rules! lane {
        ($k:expr, $x:expr, $w:expr) => {{
            let x: f64 = $x;
            // Branch-free, so that the loop vectorises: a NaN (missing) cell is masked to 0.
            #[allow(clippy::eq_op)]
            let keep = u64::from(x == x);
            miss[$k] += 1 - keep;
            wsum[$k] += f64::from_bits(x.to_bits() & keep.wrapping_neg()) * $w;
            lo[$k] = if x < lo[$k] { x } else { lo[$k] };
            hi[$k] = if x > hi[$k] { x } else { hi[$k] };
        }};
    }
    let xs = c.chunks_exact(4);
    let xr = xs.remainder();
    match w {
        None => {
            for ch in xs {
                for k in 0..4 {
                    lane!(k, ch[k], 1.0);
                }
            }
            for (k, &x) in xr.iter().enumerate() {
                lane!(k, x, 1.0);
            }
        }
        Some(w) => {
            let ws = w.chunks_exact(4);
            let wr = ws.remainder();
            for (ch, wc) in xs.zip(ws) {
                for k in 0..4 {
                    lane!(k, ch[k], wc[k]);
                }
            }
            for (k, (&x, &wx)) in xr.iter().zip(wr).enumerate() {
                lane!(k, x, wx);
            }
        }
    }
    ColStats {
        wsum: (wsum[0] + wsum[1]) + (wsum[2] + wsum[3]),
        missing: miss.iter().sum(),
        min: lo.iter().copied().fold(f64::INFINITY, f64::min),
        max: hi.iter().copied().fold(f64::NEG_INFINITY, f64::max),
    }
}

/// Moments of the complete rows among `lo..hi`: two passes (means, then one GEMM of the centred,
/// √w-scaled rows). A chunk without missing cells is read as contiguous slices.
/// Returns the part, the rows used and their Σw².
fn complete_range(
    columns: &[&[f64]],
    lo: usize,
    hi: usize,
    weights: Option<&[f64]>,
    stats: &[ColStats],
) -> (Part, u64, f64) {
    let complete = stats.iter().all(|s| s.missing == 0);
    let w2_of = |rows: &mut dyn Iterator<Item = usize>| -> f64 {
        rows.map(|i| weights.map_or(1.0, |w| w[i] * w[i])).sum()
    };
    if !complete {
        let rows: Vec<usize> = (lo..hi)
            .filter(|&i| columns.iter().all(|c| !c[i].is_nan()))
            .collect();
        let w2 = w2_of(&mut rows.iter().copied());
        return (
            complete_chunk(columns, &rows, weights),
            rows.len() as u64,
            w2,
        );
    }
    let m = hi - lo;
    let w2 = weights.map_or(m as f64, |w| w[lo..hi].iter().map(|x| x * x).sum());
    let part = complete_contiguous(columns, lo, hi, weights, stats);
    (part, m as u64, w2)
}

/// Moments of the contiguous complete rows `lo..hi`.
fn complete_contiguous(
    columns: &[&[f64]],
    lo: usize,
    hi: usize,
    weights: Option<&[f64]>,
    stats: &[ColStats],
) -> Part {
    let p = columns.len();
    let m = hi - lo;
    if m == 0 {
        return Part::empty(p);
    }
    let w: f64 = weights.map_or(m as f64, |w| w[lo..hi].iter().sum());
    if !(w > 0.0) {
        return Part::empty(p);
    }
    let mean: Vec<f64> = stats.iter().map(|st| st.wsum / w).collect();
    if m == 1 {
        return Part {
            w,
            mean,
            com: vec![0.0; p * p],
        };
    }
    let mut z = DMatrix::<f64>::zeros(m, p);
    {
        let dst = z.as_mut_slice();
        let sw: Option<Vec<f64>> = weights.map(|wv| wv[lo..hi].iter().map(|x| x.sqrt()).collect());
        for (a, c) in columns.iter().enumerate() {
            let out = &mut dst[a * m..(a + 1) * m];
            let mu = mean[a];
            match &sw {
                None => {
                    for (o, x) in out.iter_mut().zip(&c[lo..hi]) {
                        *o = x - mu;
                    }
                }
                Some(sw) => {
                    for ((o, x), s) in out.iter_mut().zip(&c[lo..hi]).zip(sw) {
                        *o = (x - mu) * s;
                    }
                }
            }
        }
    }
    Part {
        w,
        mean,
        com: linalg::gram(&z).as_slice().to_vec(),
    }
}

/// Moments of the given complete rows (any order): two passes, as [`complete_range`].
fn complete_chunk(columns: &[&[f64]], rows: &[usize], weights: Option<&[f64]>) -> Part {
    let p = columns.len();
    let m = rows.len();
    if m == 0 {
        return Part::empty(p);
    }
    let wv: Vec<f64> = rows
        .iter()
        .map(|&i| weights.map_or(1.0, |w| w[i]))
        .collect();
    let w: f64 = wv.iter().sum();
    if !(w > 0.0) {
        return Part::empty(p);
    }
    let mean: Vec<f64> = columns
        .iter()
        .map(|c| rows.iter().zip(&wv).map(|(&i, wi)| wi * c[i]).sum::<f64>() / w)
        .collect();
    let com = if m == 1 {
        vec![0.0; p * p]
    } else {
        let sw: Vec<f64> = wv.iter().map(|x| x.sqrt()).collect();
        let z = DMatrix::from_fn(m, p, |r, a| (columns[a][rows[r]] - mean[a]) * sw[r]);
        linalg::gram(&z).as_slice().to_vec()
    };
    Part { w, mean, com }
}

/// Pairwise statistics of rows `lo..hi`: with O the √w-scaled observed mask and X the √w-scaled
/// observed values centred at the chunk's observed means, `W = OᵀO`, `S = XᵀO`, `P = XᵀX`.
fn pairwise_chunk(columns: &[&[f64]], lo: usize, hi: usize, weights: Option<&[f64]>) -> Pairwise {
    let p = columns.len();
    let m = hi - lo;
    let wv: Vec<f64> = (0..m).map(|r| weights.map_or(1.0, |w| w[r])).collect();
    let shift: Vec<f64> = columns
        .iter()
        .map(|c| {
            let (s, t) = (0..m)
                .filter(|&r| !c[lo + r].is_nan())
                .fold((0.0, 0.0), |(s, t), r| (s + wv[r] * c[lo + r], t + wv[r]));
            if t > 0.0 {
                s / t
            } else {
                0.0
            }
        })
        .collect();
    let sw: Vec<f64> = wv.iter().map(|x| x.sqrt()).collect();
    let o = DMatrix::from_fn(m, p, |r, a| {
        if columns[a][lo + r].is_nan() {
            0.0
        } else {
            sw[r]
        }
    });
    let x = DMatrix::from_fn(m, p, |r, a| {
        let v = columns[a][lo + r];
        if v.is_nan() {
            0.0
        } else {
            (v - shift[a]) * sw[r]
        }
    });
    let xt = x.transpose();
    let wm = linalg::gram(&o);
    let s = &xt * &o;
    let pm = linalg::gram(&x);
    let mut out = Pairwise::empty(p);
    for b in 0..p {
        for a in 0..p {
            let ab = a + p * b;
            let wab = wm[(a, b)];
            if !(wab > 0.0) {
                continue;
            }
            out.w[ab] = wab;
            out.mean[ab] = shift[a] + s[(a, b)] / wab;
            out.com[ab] = pm[(a, b)] - s[(a, b)] * s[(b, a)] / wab;
        }
    }
    out
}

/// `y ← (y − ȳ) − Σᵢ xcᵢ·bᵢ` for the centred regressors `xc` (one column of `y.len()` values
/// per coefficient, column-major), eight rows at a time.
fn residuals_in_place(y: &mut [f64], ym: f64, xc: &[f64], b: &[f64]) {
    const R: usize = 8;
    let n = y.len();
    let full = n - n % R;
    for r0 in (0..full).step_by(R) {
        let mut acc = [0.0; R];
        for (l, a) in acc.iter_mut().enumerate() {
            *a = y[r0 + l] - ym;
        }
        for (i, &bi) in b.iter().enumerate() {
            let x = &xc[i * n + r0..i * n + r0 + R];
            for l in 0..R {
                acc[l] -= x[l] * bi;
            }
        }
        y[r0..r0 + R].copy_from_slice(&acc);
    }
    for r in full..n {
        let mut a = y[r] - ym;
        for (i, &bi) in b.iter().enumerate() {
            a -= xc[i * n + r] * bi;
        }
        y[r] = a;
    }
}

/// A derived column's scale: its observed range, as a derived survey column's is
/// (`Survey::with_numeric_column`): it has no answer scale. `None` for a constant column.
fn observed_scale(lo: f64, hi: f64) -> Option<Scale> {
    (lo < hi).then_some(Scale { min: lo, max: hi })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn three_rows_by_hand() {
        let mut m = Moments::new(&["x", "y"], MissingPolicy::Listwise).unwrap();
        m.push_weighted(&[1.0, 2.0], 1.0).unwrap();
        m.push_weighted(&[2.0, 1.0], 2.0).unwrap();
        m.push_weighted(&[4.0, 5.0], 1.0).unwrap();
        // As the rows (1,2), (2,1), (2,1), (4,5): means 9/4 and 9/4.
        assert!((m.means()[0] - 2.25).abs() < 1e-15);
        let c = m.covariance().unwrap();
        // Σ (x − 2.25)² = 1.5625 + 2·0.0625 + 3.0625 = 4.75, divisor 3.
        assert!((c[(0, 0)] - 4.75 / 3.0).abs() < 1e-15);
        // Σ (x − 2.25)(y − 2.25) = 0.3125 + 2·0.3125 + 4.8125 = 5.75.
        assert!((c[(0, 1)] - 5.75 / 3.0).abs() < 1e-15);
        assert!((m.kish_n() - 16.0 / 6.0).abs() < 1e-15);
        assert!(matches!(
            m.push_weighted(&[1.0, 1.0], -1.0),
            Err(Error::BadWeight { row: 4, .. })
        ));
        assert!(matches!(
            m.push(&[f64::INFINITY, 1.0]),
            Err(Error::NonFinite { .. })
        ));
    }

    #[test]
    fn overflow_is_an_error_and_changes_nothing() {
        let mut m = Moments::new(&["x", "y"], MissingPolicy::Listwise).unwrap();
        m.push(&[0.0, 1e308]).unwrap();
        let before = m.clone();
        assert!(matches!(
            m.push(&[0.0, 0.0]),
            Err(Error::NonFinite { ref column, .. }) if column == "y"
        ));
        assert_eq!(m, before);
        let mut other = Moments::new(&["x", "y"], MissingPolicy::Listwise).unwrap();
        other.push(&[1.0, -1e308]).unwrap();
        assert!(matches!(m.merge(&other), Err(Error::NonFinite { .. })));
        assert_eq!(m, before);
        assert!(m.to_json().is_ok());
    }

    #[test]
    fn remove_is_the_inverse_of_merge() {
        let mut a = Moments::new(&["x", "y"], MissingPolicy::Listwise).unwrap();
        let mut b = a.clone();
        for i in 0..50 {
            let x = (i as f64 * 0.37).sin() * 3.0 + 5.0;
            a.push(&[x, x * 0.5 + (i as f64).cos()]).unwrap();
        }
        for i in 0..20 {
            let x = (i as f64 * 1.3).cos() + 4.0;
            b.push(&[x, (i as f64).sin()]).unwrap();
        }
        let mut all = a.clone();
        all.merge(&b).unwrap();
        let back = all.without(&b).unwrap();
        let (ca, cb) = (a.covariance().unwrap(), back.covariance().unwrap());
        assert!((ca - cb).abs().max() < 1e-12);
        assert_eq!(back.n_used(), 50);
    }

    #[test]
    fn derived_moments_equal_a_pass_over_every_column() {
        // Two base columns, a copy of one, two new columns; unweighted and weighted; 37 rows
        // (not a multiple of the eight-lane sums).
        let n = 37;
        let x: Vec<f64> = (0..n).map(|i| ((i * 7) % 11) as f64 + 1.0).collect();
        let y: Vec<f64> = (0..n).map(|i| ((i * 5) % 13) as f64 * 0.5 + 3.0).collect();
        let u: Vec<f64> = x.iter().zip(&y).map(|(a, b)| a * b).collect();
        let v: Vec<f64> = (0..n).map(|i| (i as f64).sin() * 4.0 + 10.0).collect();
        let w: Vec<f64> = (0..n).map(|i| 0.5 + (i % 4) as f64).collect();
        for weights in [None, Some(w.as_slice())] {
            let mut base = Moments::new(&["x", "y"], MissingPolicy::Listwise).unwrap();
            base.push_columns(&[&x, &y], weights).unwrap();
            let names: Vec<String> = ["u", "y", "x", "v", "x2"].map(String::from).to_vec();
            let cols: [&[f64]; 5] = [&u, &y, &x, &v, &x];
            let all = DMatrix::from_fn(n, 5, |i, a| cols[a][i]);
            let from = [None, Some(1), Some(0), None, Some(0)];
            let d = base.derived(&names, &all, &from, weights).unwrap();
            let mut direct = Moments::new(&names, MissingPolicy::Listwise).unwrap();
            direct.push_columns(&cols, weights).unwrap();
            let (a, b) = (d.covariance().unwrap(), direct.covariance().unwrap());
            for (p, q) in a.iter().zip(b.iter()) {
                assert!((p - q).abs() < 1e-12 * q.abs().max(1.0), "{p} vs {q}");
            }
            assert_eq!(a, a.transpose(), "exactly symmetric");
            for (p, q) in d.means().iter().zip(direct.means()) {
                assert!((p - q).abs() < 1e-13 * q.abs().max(1.0));
            }
        }
    }

    #[test]
    fn orthogonalized_moments_equal_a_pass_over_the_residuals() {
        // Regressors x, y; products u = x·y and v; another column z. Residuals of u and v on
        // [1, x, y] by the normal equations over the rows, then one pass over every column.
        let n = 41;
        let x: Vec<f64> = (0..n).map(|i| ((i * 7) % 11) as f64 + 1.0).collect();
        let y: Vec<f64> = (0..n).map(|i| ((i * 5) % 13) as f64 * 0.5 + 3.0).collect();
        let z: Vec<f64> = (0..n).map(|i| (i as f64 * 0.3).cos() * 2.0).collect();
        let u: Vec<f64> = x.iter().zip(&y).map(|(a, b)| a * b).collect();
        let v: Vec<f64> = x.iter().zip(&z).map(|(a, b)| a * a - b).collect();
        let w: Vec<f64> = (0..n).map(|i| 0.5 + (i % 3) as f64).collect();
        for weights in [None, Some(w.as_slice())] {
            let names: Vec<String> = ["x", "u", "y", "z", "v"].map(String::from).to_vec();
            let mut base = Moments::new(&["x", "y", "z"], MissingPolicy::Listwise).unwrap();
            base.push_columns(&[&x, &y, &z], weights).unwrap();
            let cols: [&[f64]; 5] = [&x, &u, &y, &z, &v];
            let mut all = DMatrix::from_fn(n, 5, |i, a| cols[a][i]);
            let from = [Some(0), None, Some(1), Some(2), None];
            let mut d = base.derived(&names, &all, &from, weights).unwrap();
            d.orthogonalized(&mut all, &[1, 4], &[0, 2]).unwrap();
            // The residuals directly: weighted least squares on [1, x, y].
            let wt = |i: usize| weights.map_or(1.0, |w| w[i]);
            let design = DMatrix::from_fn(n, 3, |i, k| [1.0, x[i], y[i]][k] * wt(i).sqrt());
            let residual = |t: &[f64]| -> Vec<f64> {
                let rhs = DMatrix::from_fn(n, 1, |i, _| t[i] * wt(i).sqrt());
                let xtx = design.transpose() * &design;
                let b = xtx.cholesky().unwrap().solve(&(design.transpose() * rhs));
                (0..n)
                    .map(|i| t[i] - b[0] - b[1] * x[i] - b[2] * y[i])
                    .collect()
            };
            let (eu, ev) = (residual(&u), residual(&v));
            for (got, want) in [(1, &eu), (4, &ev)] {
                for (p, q) in all.column(got).iter().zip(want.iter()) {
                    assert!((p - q).abs() < 1e-11, "{p} vs {q}");
                }
            }
            let direct_cols: [&[f64]; 5] = [&x, &eu, &y, &z, &ev];
            let mut direct = Moments::new(&names, MissingPolicy::Listwise).unwrap();
            direct.push_columns(&direct_cols, weights).unwrap();
            let (a, b) = (d.covariance().unwrap(), direct.covariance().unwrap());
            for (p, q) in a.iter().zip(b.iter()) {
                assert!((p - q).abs() < 1e-11 * q.abs().max(1.0), "{p} vs {q}");
            }
            assert_eq!(a, a.transpose(), "exactly symmetric");
            assert_eq!(
                (a[(0, 1)], a[(2, 4)]),
                (0.0, 0.0),
                "orthogonal to the regressors"
            );
            assert!(d.means()[1] == 0.0 && direct.means()[1].abs() < 1e-12);
            assert!((d.min()[4] - direct.min()[4]).abs() < 1e-11);
            assert!((d.max()[4] - direct.max()[4]).abs() < 1e-11);
        }
        // Collinear regressors, or a regressor among the products: None.
        let (a, b) = (x_twice(n), (0..n).map(|i| i as f64).collect::<Vec<f64>>());
        let mut base = Moments::new(&["a", "a2", "b"], MissingPolicy::Listwise).unwrap();
        base.push_columns(&[&a, &a, &b], None).unwrap();
        let names: Vec<String> = ["a", "a2", "b"].map(String::from).to_vec();
        let mut all = DMatrix::from_fn(n, 3, |i, k| [a[i], a[i], b[i]][k]);
        let d = base
            .derived(&names, &all, &[Some(0), Some(1), Some(2)], None)
            .unwrap();
        assert!(d.clone().orthogonalized(&mut all, &[2], &[0, 1]).is_none());
        assert!(d.clone().orthogonalized(&mut all, &[0], &[0]).is_none());
        assert!(d.clone().orthogonalized(&mut all, &[2], &[0]).is_some());
    }

    fn x_twice(n: usize) -> Vec<f64> {
        (0..n).map(|i| (i % 5) as f64).collect()
    }
}
