//! Satisfaction levels as service-quality practitioners report them: the distribution of an
//! item over its answer levels, top-2-box and bottom-2-box shares, the mean with a t interval,
//! and for a 0/1 item (e.g. "complained formally") the rate with a Wilson interval.
//!
//! ```
//! use csindex::{levels, LoadOptions, Survey};
//! let opts = LoadOptions::new().scale("*", 1.0, 10.0).scale("COMP1", 0.0, 1.0);
//! let survey = Survey::from_csv_path("data/acsi_sample.csv", &opts).unwrap();
//! let sat = levels::describe(&survey, "SAT1", 0.95).unwrap();
//! assert_eq!(sat.levels.len(), 10);
//! let comp = levels::describe(&survey, "COMP1", 0.95).unwrap();
//! let r = comp.rate.unwrap();
//! assert!(r.ci.lo < r.rate && r.rate < r.ci.hi);
//! ```

use crate::data::Survey;
use crate::error::{Error, Result};
use crate::interval::Interval;
use crate::stats;
use serde::Serialize;

/// Count and share of one answer level.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Level {
    /// The answer value.
    pub value: f64,
    /// Respondents giving it.
    pub count: usize,
    /// Share of the answers (0..1).
    pub share: f64,
}

/// The share of 1s of a 0/1 item with its Wilson interval.
#[derive(Debug, Clone, Copy, Serialize, PartialEq)]
pub struct Rate {
    /// Share of 1s (weighted with survey weights).
    pub rate: f64,
    /// Wilson score interval (with Kish's effective n under survey weights).
    pub ci: Interval,
}

/// Summary of one item.
#[derive(Debug, Clone, Serialize)]
pub struct ItemLevels {
    /// Column.
    pub item: String,
    /// Non-missing answers.
    pub n: usize,
    /// Kish's effective number of answers `(Σw)²/Σw²` (= n without survey weights).
    pub n_effective: f64,
    /// Missing answers.
    pub missing: usize,
    /// Every level of the scale (declared scale: each integer step from min to max; otherwise the
    /// observed distinct values), including levels nobody chose.
    pub levels: Vec<Level>,
    /// Share in the two highest levels (`None` for scales with fewer than 4 levels).
    pub top2: Option<f64>,
    /// Share in the two lowest levels (`None` for scales with fewer than 4 levels).
    pub bottom2: Option<f64>,
    /// Mean answer (weighted with survey weights).
    pub mean: f64,
    /// t interval of the mean at the requested level (`None` with fewer than 2 answers); under
    /// survey weights, with the weighted sd and Kish's effective n (df = n_eff − 1).
    pub mean_ci: Option<Interval>,
    /// For a 0/1 item: the rate of 1s with its Wilson interval.
    pub rate: Option<Rate>,
}

/// Wilson score interval for `k` successes in `n` trials.
///
/// # Errors
/// [`Error::InvalidArgument`] for n = 0, k > n or a level outside (0, 1).
pub fn wilson(k: usize, n: usize, level: f64) -> Result<Interval> {
    if n == 0 || k > n {
        return Err(Error::invalid(
            "wilson",
            format!("{k} successes in {n} trials"),
        ));
    }
    wilson_share(k as f64 / n as f64, n as f64, level)
}

/// Wilson interval of a share `p` with (effective) sample size `n`.
fn wilson_share(p: f64, nf: f64, level: f64) -> Result<Interval> {
    let z = stats::normal_quantile(0.5 + level / 2.0)
        .ok_or_else(|| Error::invalid("level", format!("{level} (need 0 < level < 1)")))?;
    let den = 1.0 + z * z / nf;
    let centre = (p + z * z / (2.0 * nf)) / den;
    let half = z * (p * (1.0 - p) / nf + z * z / (4.0 * nf * nf)).sqrt() / den;
    Ok(Interval::new(
        (centre - half).max(0.0),
        (centre + half).min(1.0),
    ))
}

/// Describes one numeric item of a survey; with survey weights, shares, the mean and the
/// intervals are weighted (counts stay counts of respondents).
///
/// # Errors
/// [`Error::UnknownColumn`], [`Error::NonNumeric`] / [`Error::TextColumn`] for a column that
/// is not numeric, [`Error::AllMissing`], [`Error::InvalidArgument`] for a level outside (0, 1).
pub fn describe(survey: &Survey, item: &str, level: f64) -> Result<ItemLevels> {
    if !(level > 0.0 && level < 1.0) {
        return Err(Error::invalid(
            "level",
            format!("{level} (need 0 < level < 1)"),
        ));
    }
    let col = survey.numeric(item)?;
    let weights = survey.weights();
    let (obs, wts): (Vec<f64>, Vec<f64>) = col
        .iter()
        .enumerate()
        .filter(|(_, x)| !x.is_nan())
        .map(|(i, &x)| (x, weights.map_or(1.0, |w| w[i])))
        .unzip();
    if obs.is_empty() {
        return Err(Error::AllMissing {
            column: item.to_string(),
        });
    }
    let wsum: f64 = wts.iter().sum();
    if !(wsum > 0.0) {
        return Err(Error::BadWeight {
            row: 0,
            column: survey
                .weight_column()
                .map(|w| w.0)
                .unwrap_or("")
                .to_string(),
            message: format!("every answer to '{item}' has weight zero"),
        });
    }
    let n_eff = wsum * wsum / wts.iter().map(|w| w * w).sum::<f64>();
    let values: Vec<f64> = match survey.declared_scale(item)? {
        Some(sc)
            if (sc.max - sc.min) <= 100.0 && sc.min.fract() == 0.0 && sc.max.fract() == 0.0 =>
        {
            (0..=((sc.max - sc.min) as usize))
                .map(|k| sc.min + k as f64)
                .collect()
        }
        _ => {
            let mut v = obs.clone();
            v.sort_by(f64::total_cmp);
            v.dedup();
            v
        }
    };
    let n = obs.len();
    let levels: Vec<Level> = values
        .iter()
        .map(|&v| {
            let (count, w) = obs
                .iter()
                .zip(&wts)
                .filter(|(x, _)| **x == v)
                .fold((0, 0.0), |(c, s), (_, w)| (c + 1, s + w));
            Level {
                value: v,
                count,
                share: w / wsum,
            }
        })
        .collect();
    let (top2, bottom2) = if levels.len() >= 4 {
        let l = levels.len();
        (
            Some(levels[l - 1].share + levels[l - 2].share),
            Some(levels[0].share + levels[1].share),
        )
    } else {
        (None, None)
    };
    let mean = obs.iter().zip(&wts).map(|(x, w)| x * w).sum::<f64>() / wsum;
    // Weighted variance with the frequency-weight divisor rescaled to n_eff:
    // Σw(x − x̄)²/Σw · n_eff/(n_eff − 1) (the sample variance without weights).
    let mean_ci = if n >= 2 && n_eff > 1.0 {
        let ss = obs
            .iter()
            .zip(&wts)
            .map(|(x, w)| w * (x - mean).powi(2))
            .sum::<f64>()
            / wsum;
        let sd = (ss * n_eff / (n_eff - 1.0)).sqrt();
        stats::t_quantile(0.5 + level / 2.0, n_eff - 1.0).map(|t| {
            let h = t * sd / n_eff.sqrt();
            Interval::new(mean - h, mean + h)
        })
    } else {
        None
    };
    let binary = obs.iter().all(|x| *x == 0.0 || *x == 1.0);
    let rate = if binary {
        let share: f64 = obs
            .iter()
            .zip(&wts)
            .filter(|(x, _)| **x == 1.0)
            .map(|(_, w)| w)
            .sum::<f64>()
            / wsum;
        Some(Rate {
            rate: share,
            ci: wilson_share(share, n_eff, level)?,
        })
    } else {
        None
    };
    Ok(ItemLevels {
        item: item.to_string(),
        n,
        n_effective: n_eff,
        missing: col.len() - n,
        levels,
        top2,
        bottom2,
        mean,
        mean_ci,
        rate,
    })
}
