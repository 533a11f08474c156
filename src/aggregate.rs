//! Hierarchical aggregation of indices, as the ACSI publishes them: company indices combined
//! into industry indices, industries into sector and national indices, each level with given
//! weights (revenue or sales shares).
//!
//! A parent's index is the weighted mean of its parts' indices,
//! `I = Σ s_i I_i` with shares `s_i = w_i / Σ w_j`. The parts are independent samples (each
//! company surveyed on its own), so the standard error propagates as
//! `SE(I) = √(Σ s_i² SE_i²)`, and the interval is `I ± z_{1−α/2} SE(I)` (normal). The weights
//! are taken as known, not estimated. A parent becomes a part of the next level with
//! [`Aggregate::part`].
//!
//! ```
//! use csindex::aggregate::{aggregate, Part};
//! let airlines = aggregate("Airlines", &[
//!     Part::new("A", 74.0, 1.1, 40.0)?,   // index, bootstrap SE, revenue
//!     Part::new("B", 70.0, 1.4, 60.0)?,
//! ], 0.95)?;
//! assert!((airlines.index - 71.6).abs() < 1e-12);
//! let hotels = aggregate("Hotels", &[Part::new("C", 76.0, 0.9, 1.0)?], 0.95)?;
//! let national = aggregate("National", &[airlines.part(120.0)?, hotels.part(80.0)?], 0.95)?;
//! assert!(national.ci.contains(national.index));
//! # Ok::<(), csindex::Error>(())
//! ```

use crate::error::{Error, Result};
use crate::interval::Interval;
use serde::Serialize;

/// One part of an aggregate: a name, its index and standard error, and its weight.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Part {
    /// Company, industry or sector.
    pub name: String,
    /// Its 0-100 index.
    pub index: f64,
    /// Its standard error (from its bootstrap; 0 for a value taken as exact).
    pub se: f64,
    /// Its weight (revenue, sales, customers): any positive number.
    pub weight: f64,
}

impl Part {
    /// A part.
    ///
    /// # Errors
    /// [`Error::InvalidArgument`] for an index outside 0..100, a negative or non-finite SE,
    /// or a weight that is not positive and finite.
    pub fn new(name: &str, index: f64, se: f64, weight: f64) -> Result<Part> {
        if !(0.0..=100.0).contains(&index) {
            return Err(Error::invalid(
                "index",
                format!("{name}: {index} is not a 0-100 index"),
            ));
        }
        if !(se >= 0.0 && se.is_finite()) {
            return Err(Error::invalid("se", format!("{name}: standard error {se}")));
        }
        if !(weight > 0.0 && weight.is_finite()) {
            return Err(Error::invalid(
                "weight",
                format!("{name}: weight {weight} (need > 0)"),
            ));
        }
        Ok(Part {
            name: name.to_string(),
            index,
            se,
            weight,
        })
    }
}

/// An aggregated index (see the module documentation).
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Aggregate {
    /// The aggregate's name.
    pub name: String,
    /// `Σ s_i I_i`.
    pub index: f64,
    /// `√(Σ s_i² SE_i²)`.
    pub se: f64,
    /// The normal interval at the level asked.
    pub ci: Interval,
    /// Each part's name and share `s_i` (summing to 1).
    pub shares: Vec<(String, f64)>,
}

impl Aggregate {
    /// This aggregate as a part of the next level, with its weight there.
    ///
    /// # Errors
    /// As [`Part::new`].
    pub fn part(&self, weight: f64) -> Result<Part> {
        Part::new(&self.name, self.index, self.se, weight)
    }
}

/// The weighted index of `parts` with its propagated standard error and interval.
///
/// # Errors
/// [`Error::InvalidArgument`] for no part, a name given twice, or a level outside (0, 1).
pub fn aggregate(name: &str, parts: &[Part], level: f64) -> Result<Aggregate> {
    if parts.is_empty() {
        return Err(Error::invalid(
            "parts",
            format!("{name}: nothing to aggregate"),
        ));
    }
    for (k, p) in parts.iter().enumerate() {
        if parts[..k].iter().any(|q| q.name == p.name) {
            return Err(Error::invalid(
                "parts",
                format!("{name}: '{}' is given twice", p.name),
            ));
        }
    }
    let z = crate::stats::normal_quantile(1.0 - (1.0 - level) / 2.0)
        .filter(|_| level > 0.0 && level < 1.0)
        .ok_or_else(|| Error::invalid("level", format!("{level} (need 0 < level < 1)")))?;
    let total: f64 = parts.iter().map(|p| p.weight).sum();
    let shares: Vec<(String, f64)> = parts
        .iter()
        .map(|p| (p.name.clone(), p.weight / total))
        .collect();
    let index: f64 = parts.iter().zip(&shares).map(|(p, s)| s.1 * p.index).sum();
    let se = parts
        .iter()
        .zip(&shares)
        .map(|(p, s)| (s.1 * p.se).powi(2))
        .sum::<f64>()
        .sqrt();
    Ok(Aggregate {
        name: name.to_string(),
        index,
        se,
        ci: Interval::new(index - z * se, index + z * se),
        shares,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weighted_means_and_propagated_errors() {
        let a = aggregate(
            "I",
            &[
                Part::new("a", 80.0, 2.0, 1.0).unwrap(),
                Part::new("b", 60.0, 1.0, 3.0).unwrap(),
            ],
            0.95,
        )
        .unwrap();
        assert!((a.index - 65.0).abs() < 1e-12);
        assert!((a.se - (0.25f64.powi(2) * 4.0 + 0.75f64.powi(2)).sqrt()).abs() < 1e-12);
        assert!((a.ci.hi - a.index - 1.959963984540054 * a.se).abs() < 1e-9);
        assert!(Part::new("x", 101.0, 1.0, 1.0).is_err());
        assert!(Part::new("x", 50.0, -1.0, 1.0).is_err());
        assert!(Part::new("x", 50.0, 1.0, 0.0).is_err());
        assert!(aggregate("I", &[], 0.95).is_err());
        let p = Part::new("a", 50.0, 1.0, 1.0).unwrap();
        assert!(aggregate("I", &[p.clone(), p.clone()], 0.95).is_err());
        assert!(aggregate("I", &[p], 1.5).is_err());
    }
}
