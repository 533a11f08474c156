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
//! let (rate, lo, hi) = comp.rate.unwrap();
//! assert!(lo < rate && rate < hi);
//! ```

use crate::data::Survey;
use crate::error::{Error, Result};
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

/// Summary of one item.
#[derive(Debug, Clone, Serialize)]
pub struct ItemLevels {
    /// Column.
    pub item: String,
    /// Non-missing answers.
    pub n: usize,
    /// Missing answers.
    pub missing: usize,
    /// Every level of the scale (declared scale: each integer step from min to max; otherwise the
    /// observed distinct values), including levels nobody chose.
    pub levels: Vec<Level>,
    /// Share in the two highest levels (`None` for scales with fewer than 4 levels).
    pub top2: Option<f64>,
    /// Share in the two lowest levels (`None` for scales with fewer than 4 levels).
    pub bottom2: Option<f64>,
    /// Mean answer.
    pub mean: f64,
    /// t interval of the mean at the requested level (`None` with fewer than 2 answers).
    pub mean_ci: Option<(f64, f64)>,
    /// For a 0/1 item: (rate of 1s, Wilson lower, Wilson upper).
    pub rate: Option<(f64, f64, f64)>,
}

/// Wilson score interval for `k` successes in `n` trials.
pub fn wilson(k: usize, n: usize, level: f64) -> Result<(f64, f64)> {
    if n == 0 || k > n {
        return Err(Error::invalid(
            "wilson",
            format!("{k} successes in {n} trials"),
        ));
    }
    let z = stats::normal_quantile(0.5 + level / 2.0)
        .ok_or_else(|| Error::invalid("level", format!("{level} (need 0 < level < 1)")))?;
    let (nf, p) = (n as f64, k as f64 / n as f64);
    let den = 1.0 + z * z / nf;
    let centre = (p + z * z / (2.0 * nf)) / den;
    let half = z * (p * (1.0 - p) / nf + z * z / (4.0 * nf * nf)).sqrt() / den;
    Ok(((centre - half).max(0.0), (centre + half).min(1.0)))
}

/// Describes one numeric item of a survey.
pub fn describe(survey: &Survey, item: &str, level: f64) -> Result<ItemLevels> {
    if !(level > 0.0 && level < 1.0) {
        return Err(Error::invalid(
            "level",
            format!("{level} (need 0 < level < 1)"),
        ));
    }
    let col = survey.numeric(item)?;
    let obs: Vec<f64> = col.iter().copied().filter(|x| !x.is_nan()).collect();
    if obs.is_empty() {
        return Err(Error::AllMissing {
            column: item.to_string(),
        });
    }
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
            let count = obs.iter().filter(|x| **x == v).count();
            Level {
                value: v,
                count,
                share: count as f64 / n as f64,
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
    let mean = obs.iter().sum::<f64>() / n as f64;
    let mean_ci = stats::mean_sd(&obs).and_then(|(m, sd)| {
        let t = stats::t_quantile(0.5 + level / 2.0, n as f64 - 1.0)?;
        let h = t * sd / (n as f64).sqrt();
        Some((m - h, m + h))
    });
    let binary = obs.iter().all(|x| *x == 0.0 || *x == 1.0);
    let rate = if binary {
        let k = obs.iter().filter(|x| **x == 1.0).count();
        let (lo, hi) = wilson(k, n, level)?;
        Some((k as f64 / n as f64, lo, hi))
    } else {
        None
    };
    Ok(ItemLevels {
        item: item.to_string(),
        n,
        missing: col.len() - n,
        levels,
        top2,
        bottom2,
        mean,
        mean_ci,
        rate,
    })
}
