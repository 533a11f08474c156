//! Descriptive statistics of the items and of the construct scores, as seminr's
//! `summary()$descriptives` reports them.
//!
//! Per column, over its observed values: count, missing cells, mean, standard deviation
//! (divisor n − 1), median (the mean of the two middle values for even n), minimum, maximum,
//! skewness `m3 / m2^1.5` and kurtosis `m4 / m2²` (moments about the mean with divisor n; seminr's
//! definitions: its kurtosis is not the excess, which is given too as kurtosis − 3). Items are
//! the model's indicators in the survey as read (before the missing-data policy); construct
//! scores are those of the rows the fit used. Survey weights are not applied here (a note
//! says so). Correlations: the indicator correlations the estimator used, and the Pearson
//! correlations of the construct scores.

use crate::data::Survey;
use crate::error::Result;
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

/// Items' and construct scores' statistics and correlations.
#[derive(Debug, Clone, Serialize)]
pub struct Descriptives {
    /// The model's indicators.
    pub items: Vec<Descriptive>,
    /// The construct scores.
    pub constructs: Vec<Descriptive>,
    /// Indicator correlations `{a: {b: r}}` (those the estimator used).
    pub item_correlations: Keyed<Named>,
    /// Construct-score correlations `{A: {B: r}}`.
    pub construct_correlations: Keyed<Named>,
    /// Whether the survey has weights (not applied here).
    pub weighted_survey: bool,
}

/// The statistics of the values of `x` that are not NaN; `None` with no such value.
pub fn describe(name: &str, x: &[f64]) -> Option<Descriptive> {
    let mut v: Vec<f64> = x.iter().copied().filter(|a| !a.is_nan()).collect();
    let n = v.len();
    if n == 0 {
        return None;
    }
    let nf = n as f64;
    let mean = v.iter().sum::<f64>() / nf;
    let (mut m2, mut m3, mut m4) = (0.0, 0.0, 0.0);
    for a in &v {
        let d = a - mean;
        m2 += d * d;
        m3 += d * d * d;
        m4 += d * d * d * d;
    }
    let sd = if n > 1 { (m2 / (nf - 1.0)).sqrt() } else { 0.0 };
    let (skewness, kurtosis) = if m2 > 0.0 {
        ((m3 / nf) / (m2 / nf).powf(1.5), nf * m4 / (m2 * m2))
    } else {
        (f64::NAN, f64::NAN)
    };
    v.sort_by(f64::total_cmp);
    let median = if n % 2 == 1 {
        v[n / 2]
    } else {
        0.5 * (v[n / 2 - 1] + v[n / 2])
    };
    Some(Descriptive {
        name: name.to_string(),
        n,
        missing: x.len() - n,
        mean,
        sd,
        median,
        min: v[0],
        max: v[n - 1],
        skewness,
        kurtosis,
        excess_kurtosis: kurtosis - 3.0,
    })
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
    /// fitted on) and of its construct scores (see [`crate::describe`]).
    ///
    /// # Errors
    /// [`crate::Error::NeedsRows`] for a fit from moments. Indicators that are not columns of
    /// the survey (derived ones) are left out of `items`.
    pub fn descriptives(&self, survey: &Survey) -> Result<Descriptives> {
        let names = self.indicator_names().to_vec();
        let mut items = Vec::new();
        for n in &names {
            // A derived indicator (a dimension's score, an item product) is not a column.
            let Ok(col) = survey.numeric(n) else {
                continue;
            };
            if let Some(d) = describe(n, col) {
                items.push(d);
            }
        }
        let scores = self.score_matrix()?;
        let lvs = self.construct_names().to_vec();
        let mut constructs = Vec::new();
        for (j, n) in lvs.iter().enumerate() {
            let col: Vec<f64> = scores.column(j).iter().copied().collect();
            if let Some(d) = describe(n, &col) {
                constructs.push(d);
            }
        }
        let s = self.corr();
        let nrow = scores.nrows() as f64;
        let cov = |a: usize, b: usize| {
            let (ma, mb) = (scores.column(a).mean(), scores.column(b).mean());
            scores
                .column(a)
                .iter()
                .zip(scores.column(b).iter())
                .map(|(x, y)| (x - ma) * (y - mb))
                .sum::<f64>()
                / (nrow - 1.0)
        };
        Ok(Descriptives {
            items,
            constructs,
            item_correlations: keyed(&names, |a, b| s[(a, b)]),
            construct_correlations: keyed(&lvs, |a, b| cov(a, b) / (cov(a, a) * cov(b, b)).sqrt()),
            weighted_survey: survey.weights().is_some(),
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
}
