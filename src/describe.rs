//! Descriptive statistics of the items and of the construct scores, as seminr's
//! `summary()$descriptives` reports them.
//!
//! Per column, over its observed values: count, missing cells, mean, standard deviation
//! (divisor n − 1), median (the mean of the two middle values for even n), minimum, maximum,
//! skewness `m3 / m2^1.5` and kurtosis `m4 / m2²` (moments about the mean with divisor n; seminr's
//! definitions: its kurtosis is not the excess, which is given too as kurtosis − 3). Items are
//! the model's indicators in the survey as read (before the missing-data policy); construct
//! scores are those of the rows the fit used. Correlations: the indicator correlations the
//! estimator used, and the Pearson correlations of the construct scores.
//!
//! ## Survey weights
//! A weighted fit gives weighted statistics, on the same terms as its moments
//! ([`crate::moments`]): with weights `w` over a column's observed cells, `W = Σw`,
//! - mean `x̄ = Σ w x / W`, central moments `m_k = Σ w (x − x̄)^k / W`;
//! - SD `√(m₂ · N / (N − 1))` with `N = W` for frequency weights and `N` the number of
//!   observed cells for sampling weights (which are first rescaled to sum to it);
//! - skewness `m₃ / m₂^1.5`, kurtosis `m₄ / m₂²`;
//! - the weighted median: the smallest value whose cumulative weight (values in increasing
//!   order) reaches `W / 2`, or the mean of it and the next value when it equals `W / 2`
//!   exactly (so unit weights give the ordinary median);
//! - minimum and maximum over the cells of positive weight;
//! - the construct-score correlations are weighted Pearson correlations.
//!
//! `n` and `missing` count cells, whatever their weights (a cell of weight 0 counts in `n` but
//! in no statistic). Unit weights give exactly the unweighted statistics.
//!
//! ```
//! use csindex::describe::{describe, describe_weighted};
//! use csindex::WeightKind;
//! // A frequency weight of 2 counts a row twice.
//! let w = describe_weighted("x", &[1.0, 2.0, 4.0], &[1.0, 2.0, 1.0], WeightKind::Frequency).unwrap();
//! let u = describe("x", &[1.0, 2.0, 2.0, 4.0]).unwrap();
//! assert!((w.mean - u.mean).abs() < 1e-15 && (w.sd - u.sd).abs() < 1e-15);
//! assert_eq!((w.median, u.median), (2.0, 2.0));
//! ```

use crate::data::Survey;
use crate::error::Result;
use crate::moments::WeightKind;
use crate::pls::{Fit, Keyed, Named};
use serde::Serialize;

/// One column's statistics (see the module documentation).
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Descriptive {
    /// Item or construct.
    pub name: String,
    /// Observed values.
    pub n: usize,
    /// Missing cells.
    pub missing: usize,
    /// Mean.
    pub mean: f64,
    /// Standard deviation (n − 1).
    pub sd: f64,
    /// Median.
    pub median: f64,
    /// Minimum.
    pub min: f64,
    /// Maximum.
    pub max: f64,
    /// Skewness m3 / m2^1.5.
    pub skewness: f64,
    /// Kurtosis m4 / m2² (seminr's; 3 for a normal distribution).
    pub kurtosis: f64,
    /// Excess kurtosis (kurtosis − 3).
    pub excess_kurtosis: f64,
}

/// An item's labels from the survey file: its question text (an SPSS variable label, a
/// Qualtrics question row) and its answers' labels (SPSS value labels).
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct ItemLabels {
    /// The item.
    pub name: String,
    /// Its question text.
    pub label: Option<String>,
    /// (code, label) of its answers, in code order.
    pub value_labels: Vec<(f64, String)>,
}

/// Items' and construct scores' statistics and correlations.
#[derive(Debug, Clone, Serialize)]
pub struct Descriptives {
    /// The model's indicators.
    pub items: Vec<Descriptive>,
    /// The labels the survey file gives the model's indicators (those with any), in
    /// indicator order.
    pub item_labels: Vec<ItemLabels>,
    /// The construct scores.
    pub constructs: Vec<Descriptive>,
    /// Indicator correlations `{a: {b: r}}` (those the estimator used).
    pub item_correlations: Keyed<Named>,
    /// Construct-score correlations `{A: {B: r}}`.
    pub construct_correlations: Keyed<Named>,
    /// The kind of the survey weights applied (see the module documentation), `None` for an
    /// unweighted fit.
    pub weights: Option<WeightKind>,
}

/// The statistics of the values of `x` that are not NaN; `None` with no such value.
pub fn describe(name: &str, x: &[f64]) -> Option<Descriptive> {
    stats(name, x, None)
}

/// The weighted statistics of the values of `x` that are not NaN, row `i` of weight `w[i]`
/// (finite, ≥ 0; see the module documentation for the formulas); `None` when no value is
/// observed or the observed values' weights sum to 0 (or `w` is not as long as `x`).
pub fn describe_weighted(
    name: &str,
    x: &[f64],
    w: &[f64],
    kind: WeightKind,
) -> Option<Descriptive> {
    if w.len() != x.len() {
        return None;
    }
    stats(name, x, Some((w, kind)))
}

fn stats(name: &str, x: &[f64], weights: Option<(&[f64], WeightKind)>) -> Option<Descriptive> {
    let weight = |i: usize| weights.map_or(1.0, |(w, _)| w[i]);
    // Observed values with their weights.
    let mut v: Vec<(f64, f64)> = x
        .iter()
        .enumerate()
        .filter(|(_, a)| !a.is_nan())
        .map(|(i, &a)| (a, weight(i)))
        .collect();
    let n = v.len();
    if n == 0 {
        return None;
    }
    let nf = n as f64;
    let total: f64 = v.iter().map(|p| p.1).sum();
    if !(total > 0.0) {
        return None;
    }
    let mean = v.iter().map(|(a, w)| w * a).sum::<f64>() / total;
    let (mut m2, mut m3, mut m4) = (0.0, 0.0, 0.0);
    for (a, w) in &v {
        let d = a - mean;
        m2 += w * d * d;
        m3 += w * d * d * d;
        m4 += w * d * d * d * d;
    }
    let sd = match weights {
        None if n > 1 => (m2 / (nf - 1.0)).sqrt(),
        None => 0.0,
        Some((_, kind)) => {
            let big_n = match kind {
                WeightKind::Frequency => total,
                WeightKind::Sampling => nf,
            };
            if big_n > 1.0 {
                (m2 / total * big_n / (big_n - 1.0)).sqrt()
            } else {
                0.0
            }
        }
    };
    let (skewness, kurtosis) = if m2 > 0.0 {
        (
            (m3 / total) / (m2 / total).powf(1.5),
            total * m4 / (m2 * m2),
        )
    } else {
        (f64::NAN, f64::NAN)
    };
    v.sort_by(|a, b| a.0.total_cmp(&b.0));
    let median = weighted_median(&v);
    // At least one weight is positive (total > 0); with one, it is both minimum and maximum.
    let mut positive = v.iter().filter(|p| p.1 > 0.0);
    let min = positive.next().map_or(v[0].0, |p| p.0);
    let max = positive.next_back().map_or(min, |p| p.0);
    Some(Descriptive {
        name: name.to_string(),
        n,
        missing: x.len() - n,
        mean,
        sd,
        median,
        min,
        max,
        skewness,
        kurtosis,
        excess_kurtosis: kurtosis - 3.0,
    })
}

/// The weighted median of (value, weight) pairs sorted by value, total weight > 0: the first
/// value whose cumulative weight reaches half the total, averaged with the next value of
/// positive weight when it reaches exactly half.
fn weighted_median(v: &[(f64, f64)]) -> f64 {
    // The total in the same order as the cumulative sums, so that "exactly half" is exact for
    // unit (integer) weights.
    let total: f64 = v.iter().map(|p| p.1).sum();
    let mut cum = 0.0;
    for (k, &(a, w)) in v.iter().enumerate() {
        cum += w;
        if w > 0.0 && 2.0 * cum >= total {
            if 2.0 * cum == total {
                if let Some(next) = v[k + 1..].iter().find(|p| p.1 > 0.0) {
                    return 0.5 * (a + next.0);
                }
            }
            return a;
        }
    }
    v[v.len() - 1].0
}

fn keyed(names: &[String], r: impl Fn(usize, usize) -> f64) -> Keyed<Named> {
    Keyed(
        names
            .iter()
            .enumerate()
            .map(|(a, na)| {
                (
                    na.clone(),
                    Named(
                        names
                            .iter()
                            .enumerate()
                            .map(|(b, nb)| (nb.clone(), r(a, b)))
                            .collect(),
                    ),
                )
            })
            .collect(),
    )
}

impl Fit {
    /// The descriptive statistics of the fit's indicators in `survey` (the survey it was
    /// fitted on) and of its construct scores (see [`crate::describe`]), weighted by the
    /// survey's weights when the fit is weighted.
    ///
    /// # Errors
    /// [`crate::Error::NeedsRows`] for a fit from moments. Indicators that are not columns of
    /// the survey (derived ones) are left out of `items`.
    pub fn descriptives(&self, survey: &Survey) -> Result<Descriptives> {
        let names = self.indicator_names().to_vec();
        let kind = self.weights().map(|w| w.1);
        let weights = kind.and_then(|k| survey.weights().map(|w| (w, k)));
        let mut items = Vec::new();
        let mut item_labels = Vec::new();
        for n in &names {
            let label = survey.label(n).map(str::to_string);
            let value_labels = survey.value_labels(n).unwrap_or_default().to_vec();
            if label.is_some() || !value_labels.is_empty() {
                item_labels.push(ItemLabels {
                    name: n.clone(),
                    label,
                    value_labels,
                });
            }
            // A derived indicator (a dimension's score, an item product) is not a column.
            let Ok(col) = survey.numeric(n) else {
                continue;
            };
            if let Some(d) = stats(n, col, weights) {
                items.push(d);
            }
        }
        let scores = self.score_matrix()?;
        // The weights of the rows the scores are of.
        let score_w: Option<Vec<f64>> = match weights {
            Some((w, _)) => Some(
                self.rows_used()?
                    .iter()
                    .map(|&r| w.get(r).copied().unwrap_or(0.0))
                    .collect(),
            ),
            None => None,
        };
        let score_weights = score_w.as_deref().zip(kind);
        let lvs = self.construct_names().to_vec();
        let mut constructs = Vec::new();
        for (j, n) in lvs.iter().enumerate() {
            let col: Vec<f64> = scores.column(j).iter().copied().collect();
            if let Some(d) = stats(n, &col, score_weights) {
                constructs.push(d);
            }
        }
        let s = self.corr();
        let weight = |i: usize| score_w.as_ref().map_or(1.0, |w| w[i]);
        let total: f64 = (0..scores.nrows()).map(weight).sum();
        let mean = |a: usize| {
            scores
                .column(a)
                .iter()
                .enumerate()
                .map(|(i, x)| weight(i) * x)
                .sum::<f64>()
                / total
        };
        let means: Vec<f64> = (0..lvs.len()).map(mean).collect();
        // Co-moments: the divisor cancels in a correlation.
        let cov = |a: usize, b: usize| {
            scores
                .column(a)
                .iter()
                .zip(scores.column(b).iter())
                .enumerate()
                .map(|(i, (x, y))| weight(i) * (x - means[a]) * (y - means[b]))
                .sum::<f64>()
        };
        Ok(Descriptives {
            items,
            item_labels,
            constructs,
            item_correlations: keyed(&names, |a, b| s[(a, b)]),
            construct_correlations: keyed(&lvs, |a, b| cov(a, b) / (cov(a, a) * cov(b, b)).sqrt()),
            weights: weights.map(|w| w.1),
        })
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn moments_by_hand() {
        // 1, 2, 3, 4, 10: mean 4, deviations −3 −2 −1 0 6: Σd² = 50, Σd³ = 180, Σd⁴ = 1394.
        let d = super::describe("x", &[1.0, f64::NAN, 2.0, 3.0, 4.0, 10.0]).unwrap();
        assert_eq!(
            (d.n, d.missing, d.median, d.min, d.max),
            (5, 1, 3.0, 1.0, 10.0)
        );
        assert!((d.mean - 4.0).abs() < 1e-15);
        assert!((d.sd - (50.0f64 / 4.0).sqrt()).abs() < 1e-15);
        assert!((d.skewness - (180.0 / 5.0) / (50.0f64 / 5.0).powf(1.5)).abs() < 1e-14);
        assert!((d.kurtosis - 5.0 * 1394.0 / (50.0 * 50.0)).abs() < 1e-14);
        assert!((d.excess_kurtosis - (d.kurtosis - 3.0)).abs() < 1e-15);
        let e = super::describe("y", &[2.0, 4.0]).unwrap();
        assert_eq!(e.median, 3.0);
        assert!(super::describe("z", &[f64::NAN]).is_none());
    }

    #[test]
    fn weighted_median_min_max_and_zero_weights() {
        use crate::WeightKind::{Frequency, Sampling};
        // Cumulative weights 1, 3, 4 of 4: half (2) is first reached at 2.
        let d =
            super::describe_weighted("x", &[1.0, 2.0, 3.0], &[1.0, 2.0, 1.0], Frequency).unwrap();
        assert_eq!(d.median, 2.0);
        // Exactly half at 2 (cumulative 2 of 4): the mean of 2 and the next value of positive
        // weight (3; 2.5 has weight 0).
        let d = super::describe_weighted(
            "x",
            &[1.0, 2.0, 2.5, 3.0, f64::NAN],
            &[1.0, 1.0, 0.0, 2.0, 5.0],
            Sampling,
        )
        .unwrap();
        assert_eq!((d.median, d.n, d.missing), (2.5, 4, 1));
        // A weight of 0 counts in n but in no statistic, minimum and maximum included.
        let d =
            super::describe_weighted("x", &[0.0, 4.0, 6.0, 9.0], &[0.0, 1.0, 1.0, 0.0], Frequency)
                .unwrap();
        assert_eq!((d.min, d.max, d.mean, d.n), (4.0, 6.0, 5.0, 4));
        // Frequency weights summing to 2: SD with divisor Σw − 1 = 1.
        assert!((d.sd - 2f64.sqrt()).abs() < 1e-15);
        // Sampling weights: divisor n − 1 over the rescaled weights.
        let s = super::describe_weighted("x", &[4.0, 6.0], &[3.0, 3.0], Sampling).unwrap();
        assert!((s.sd - 2f64.sqrt()).abs() < 1e-15);
        let one =
            super::describe_weighted("x", &[1.0, 7.0, 9.0], &[0.0, 2.0, 0.0], Frequency).unwrap();
        assert_eq!((one.min, one.max, one.median), (7.0, 7.0, 7.0));
        assert!(super::describe_weighted("x", &[1.0], &[0.0], Frequency).is_none());
        assert!(super::describe_weighted("x", &[1.0, 2.0], &[1.0], Frequency).is_none());
    }
}
