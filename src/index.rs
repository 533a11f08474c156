//! The 0-100 satisfaction index of a construct (ACSI, Fornell et al. 1996).
//!
//! Fornell's method (default): unstandardised weights `u_k = w_k / sd(x_k)` (w = standardised
//! outer weight), normalised to sum 1 within the block, and
//! `index = (Σ u_k x̄_k − Σ u_k min_k) / (Σ u_k max_k − Σ u_k min_k) · 100`,
//! with each item's answer scale (min_k, max_k) — declared by the caller, or the observed range
//! with a warning in the fit. With a common 1..10 scale this is `100 · (Σ u_k x̄_k − 1) / 9`.
//! A 0/1 complaint item gives the complaint rate in %.
//!
//! plspm's `rescale` variant ([`IndexMethod::PlspmRescale`]) normalises the standardised weights
//! themselves to sum 1.
//!
//! All weights must be positive: a non-positive weight is [`Error::NonPositiveWeight`], never a
//! silent number.
//!
//! ```
//! use csindex::{LoadOptions, Model, Pls, Survey};
//! let opts = LoadOptions::new().scale("*", 1.0, 10.0).scale("COMP1", 0.0, 1.0);
//! let survey = Survey::from_csv_path("data/acsi_sample.csv", &opts).unwrap();
//! let fit = Pls::new().fit(&Model::acsi(), &survey).unwrap();
//! let sat = fit.index("SAT").unwrap();
//! assert!(sat > 0.0 && sat < 100.0);
//! ```

use crate::error::{Error, Result};
use crate::pls::{Fit, Named};
use serde::Serialize;

/// How the index weights are formed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum IndexMethod {
    /// Standardised weight / item sd, normalised to sum 1 (Fornell; cSEM
    /// `getConstructScores(.standardized = FALSE)`; default).
    #[default]
    Fornell,
    /// Standardised weights normalised to sum 1 (plspm `rescale`).
    PlspmRescale,
}

crate::options::flag_names!(IndexMethod, "index method", Fornell => "fornell", PlspmRescale => "plspm_rescale" | "rescale");

/// The index of one construct with its ingredients.
#[derive(Debug, Clone, Serialize)]
pub struct ConstructIndex {
    /// Construct.
    pub construct: String,
    /// The 0-100 index.
    pub index: f64,
    /// Method used.
    pub method: IndexMethod,
    /// Normalised index weights by indicator (sum 1).
    pub weights: Named,
    /// Item means of the rows used.
    pub item_means: Named,
    /// Weighted scale minimum Σ u_k min_k.
    pub scale_min: f64,
    /// Weighted scale maximum Σ u_k max_k.
    pub scale_max: f64,
}

/// Index of one block from its standardised weights, item sds, means and scales.
/// Returns (index, normalised weights, weighted min, weighted max).
pub(crate) fn index_value(
    construct: &str,
    names: &[String],
    w_std: &[f64],
    sds: &[f64],
    means: &[f64],
    scales: &[(f64, f64)],
    method: IndexMethod,
) -> Result<(f64, Vec<f64>, f64, f64)> {
    for (k, w) in w_std.iter().enumerate() {
        if !(*w > 0.0) {
            return Err(Error::NonPositiveWeight {
                construct: construct.to_string(),
                indicator: names[k].clone(),
                weight: *w,
            });
        }
    }
    let raw: Vec<f64> = match method {
        IndexMethod::Fornell => w_std.iter().zip(sds).map(|(w, s)| w / s).collect(),
        IndexMethod::PlspmRescale => w_std.to_vec(),
    };
    let total: f64 = raw.iter().sum();
    let u: Vec<f64> = raw.iter().map(|x| x / total).collect();
    let dot =
        |v: &mut dyn Iterator<Item = f64>| -> f64 { u.iter().zip(v).map(|(a, b)| a * b).sum() };
    let m = dot(&mut means.iter().copied());
    let lo = dot(&mut scales.iter().map(|s| s.0));
    let hi = dot(&mut scales.iter().map(|s| s.1));
    Ok(((m - lo) / (hi - lo) * 100.0, u, lo, hi))
}

/// Fornell's index of construct `j` from an estimate's weights, item means and sds and the
/// items' scales; `None` when a weight is not positive (shared by the resampling engines).
pub(crate) fn fornell_of(
    spec: &crate::pls::Spec,
    core: &crate::pls::Core,
    means: &[f64],
    sds: &[f64],
    scales: &[(crate::data::Scale, crate::data::ScaleSource)],
    j: usize,
) -> Option<f64> {
    let blk = spec.blocks[j].clone();
    let w: Vec<f64> = blk
        .clone()
        .map(|k| core.w[(k, j)] * core.signs[j])
        .collect();
    let sc: Vec<(f64, f64)> = blk
        .clone()
        .map(|k| (scales[k].0.min, scales[k].0.max))
        .collect();
    index_value(
        &spec.lv_names[j],
        &spec.names[blk.clone()],
        &w,
        &sds[blk.clone()],
        &means[blk],
        &sc,
        IndexMethod::Fornell,
    )
    .ok()
    .map(|x| x.0)
}

impl Fit {
    /// The 0-100 index of a construct (Fornell's method).
    pub fn index(&self, construct: &str) -> Result<f64> {
        Ok(self.construct_index(construct, IndexMethod::Fornell)?.index)
    }

    /// The 0-100 index of a construct with its weights and item means.
    pub fn construct_index(&self, construct: &str, method: IndexMethod) -> Result<ConstructIndex> {
        let j = self.lv(construct)?;
        if self.is_interaction(construct) {
            return Err(Error::invalid(
                "index",
                format!(
                    "'{construct}' is an interaction term: its indicators are products, with no \
                     answer scale, so it has no 0-100 index"
                ),
            ));
        }
        let blk = self.spec().blocks[j].clone();
        let names = &self.spec().names[blk.clone()];
        let w: Vec<f64> = blk
            .clone()
            .map(|k| self.core().w[(k, j)] * self.core().signs[j])
            .collect();
        let mut scales: Vec<(f64, f64)> = blk
            .clone()
            .map(|k| (self.item_scales()[k].0.min, self.item_scales()[k].0.max))
            .collect();
        let mut means = self.item_means()[blk.clone()].to_vec();
        // A higher-order construct of a two-stage fit: its "items" are its dimensions' scores,
        // and its index combines the dimensions' own 0-100 indices (from stage one) with its
        // unstandardised weights on them.
        if let Some(s1) = self.first_stage() {
            if names.iter().all(|d| s1.construct_names().contains(d)) {
                means = names
                    .iter()
                    .map(|d| s1.construct_index(d, method).map(|ix| ix.index))
                    .collect::<Result<_>>()?;
                scales = vec![(0.0, 100.0); names.len()];
            }
        }
        let (index, u, lo, hi) = index_value(
            construct,
            names,
            &w,
            &self.item_sds()[blk.clone()],
            &means,
            &scales,
            method,
        )?;
        Ok(ConstructIndex {
            construct: construct.to_string(),
            index,
            method,
            weights: Named(names.iter().cloned().zip(u).collect()),
            item_means: Named(names.iter().cloned().zip(means.iter().copied()).collect()),
            scale_min: lo,
            scale_max: hi,
        })
    }

    /// The index of every construct whose weights are all positive, and the reason for each
    /// construct left out.
    pub fn indices(&self, method: IndexMethod) -> (Vec<ConstructIndex>, Vec<(String, String)>) {
        let mut ok = Vec::new();
        let mut skipped = Vec::new();
        for name in &self.spec().lv_names {
            match self.construct_index(name, method) {
                Ok(ix) => ok.push(ix),
                Err(e) => skipped.push((name.clone(), e.to_string())),
            }
        }
        (ok, skipped)
    }
}
