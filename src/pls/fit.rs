//! A fitted model: its results, accessors by name, and the summary in the reference files'
//! field names.

use super::{total_effects, Core, Keyed, Named, Pls, Rows, Scheme, Spec};
use crate::data::{self, MissingPolicy, Scale, ScaleSource};
use crate::error::{Error, Result};
use crate::model::Model;
use crate::moments::{Moments, WeightKind};
use nalgebra::DMatrix;
use serde::Serialize;

/// A fitted PLS path model.
#[derive(Debug, Clone)]
pub struct Fit {
    pub(super) model: Model,
    pub(super) spec: Spec,
    pub(super) settings: Pls,
    pub(super) core: Core,
    /// Indicator correlation matrix.
    pub(super) s: DMatrix<f64>,
    /// Moments of the model's columns, in block order.
    pub(super) moments: Moments,
    /// The rows, for a fit of a survey.
    pub(super) rows: Option<Rows>,
    pub(super) means: Vec<f64>,
    pub(super) sds: Vec<f64>,
    pub(super) scales: Vec<(Scale, ScaleSource)>,
    pub(super) n_file: usize,
    pub(super) missing: Vec<(String, usize)>,
    pub(super) n_missing_cells: usize,
    pub(super) warnings: Vec<String>,
    /// The ordinal items of an OrdPLS fit (their correlations are polychoric/polyserial).
    pub(super) ordinal: Option<Vec<String>>,
    /// The interaction terms of the model (its constructs include them).
    pub(super) interactions: Option<Vec<crate::model::Interaction>>,
    /// Stage one of a two-stage estimation (higher-order constructs).
    pub(super) first_stage: Option<Box<Fit>>,
    /// Whether some indicators were derived from the rows (higher-order constructs).
    pub(super) derived: bool,
    /// How to estimate a derived fit (higher-order, interactions, OrdPLS) again on a resample.
    pub(super) refit: Option<std::sync::Arc<super::Refit>>,
}

/// The summary of a fit in the field names of the peer reference files.
#[derive(Debug, Clone, Serialize)]
pub struct FitSummary {
    /// `"pls"` or `"plsc"`.
    pub method: String,
    /// Inner weighting scheme.
    pub scheme: Scheme,
    /// Missing-data policy.
    pub missing_policy: MissingPolicy,
    /// Rows in the survey.
    pub n_file: usize,
    /// Rows used.
    pub n_used: usize,
    /// Missing cells in model columns before the policy.
    pub n_missing_cells_in_file: usize,
    /// Outer weights by indicator.
    pub outer_weights: Named,
    /// Loadings by indicator.
    pub loadings: Named,
    /// Path coefficients keyed `"FROM->TO"`.
    pub paths: Named,
    /// R² per endogenous construct.
    pub r2: Named,
    /// Adjusted R² per endogenous construct.
    pub r2_adj: Named,
    /// Total effects keyed `"FROM->TO"` (non-zero only).
    pub total_effects: Named,
    /// Indirect effects keyed `"FROM->TO"` (non-zero only).
    pub indirect_effects: Named,
    /// Construct correlations `{A: {B: r}}` (disattenuated under PLSc).
    pub lv_correlations: Keyed<Named>,
    /// Indicator–construct correlations `{indicator: {construct: r}}`.
    pub cross_loadings: Keyed<Named>,
    /// Iterations done.
    pub iterations: usize,
    /// Whether the tolerance was reached.
    pub converged: bool,
    /// Largest weight change in the last iteration.
    pub last_change: f64,
    /// Warnings (observed scales, non-convergence).
    pub warnings: Vec<String>,
}

impl Fit {
    /// The model estimated.
    pub fn model(&self) -> &Model {
        &self.model
    }
    /// Settings used.
    pub fn settings(&self) -> &Pls {
        &self.settings
    }
    /// The inner weighting scheme used.
    pub fn scheme(&self) -> Scheme {
        self.settings.scheme
    }
    /// The missing-data policy the estimate rests on (for a fit from moments, the moments').
    pub fn missing_policy(&self) -> MissingPolicy {
        self.settings.missing
    }
    /// Construct names in model order.
    pub fn construct_names(&self) -> &[String] {
        &self.spec.lv_names
    }
    /// Indicator names, block after block.
    pub fn indicator_names(&self) -> &[String] {
        &self.spec.names
    }
    pub(crate) fn lv(&self, name: &str) -> Result<usize> {
        self.spec
            .lv_names
            .iter()
            .position(|n| n == name)
            .ok_or_else(|| Error::UnknownConstruct {
                name: name.to_string(),
                suggestion: data::closest(name, self.spec.lv_names.iter().map(|s| s.as_str())),
            })
    }
    fn ind(&self, name: &str) -> Result<usize> {
        self.spec
            .names
            .iter()
            .position(|n| n == name)
            .ok_or_else(|| Error::UnknownColumn {
                name: name.to_string(),
                suggestion: data::closest(name, self.spec.names.iter().map(|s| s.as_str())),
                available: String::new(),
            })
    }
    /// The model in index form (crate-internal).
    pub(crate) fn spec(&self) -> &Spec {
        &self.spec
    }
    /// Everything estimated from the correlation matrix (crate-internal).
    pub(crate) fn core(&self) -> &Core {
        &self.core
    }
    /// The indicator correlation matrix (block order; crate-internal).
    pub(crate) fn corr(&self) -> &DMatrix<f64> {
        &self.s
    }
    /// Item means and sds of the rows used (block order; crate-internal).
    pub(crate) fn item_means(&self) -> &[f64] {
        &self.means
    }
    pub(crate) fn item_sds(&self) -> &[f64] {
        &self.sds
    }
    /// Each indicator's answer scale (block order; crate-internal).
    pub(crate) fn item_scales(&self) -> &[(Scale, ScaleSource)] {
        &self.scales
    }
    /// Rows in the survey (rows pushed into the moments, for a fit from moments).
    pub fn n_file(&self) -> usize {
        self.n_file
    }
    /// Whether the estimate is consistent PLS (PLSc).
    pub fn is_consistent(&self) -> bool {
        self.settings.consistent
    }
    /// The change measured by the stopping rule in the last iteration.
    pub fn last_change(&self) -> f64 {
        self.core.last_change
    }
    /// Whether a directed route (direct or through mediators) leads from one construct to
    /// another.
    ///
    /// # Errors
    /// [`Error::UnknownConstruct`] (with the closest name).
    pub fn has_route(&self, from: &str, to: &str) -> Result<bool> {
        let (a, b) = (self.lv(from)?, self.lv(to)?);
        Ok(a != b && self.spec.graph.reaches(a, b))
    }
    /// Iterations done.
    pub fn iterations(&self) -> usize {
        self.core.iterations
    }
    /// Whether the weight change fell below the tolerance.
    pub fn converged(&self) -> bool {
        self.core.converged
    }
    /// Rows used (after listwise deletion, if any).
    pub fn n_used(&self) -> usize {
        self.moments.n_used() as usize
    }
    /// The n of adjusted R², information criteria and t: the number of rows used, or Σw for
    /// frequency weights (see [`WeightKind`]).
    pub fn n(&self) -> f64 {
        self.moments.n()
    }
    /// The weight column and what its weights mean, for a weighted fit.
    pub fn weights(&self) -> Option<(&str, WeightKind)> {
        self.moments
            .weight_column()
            .map(|c| (c, self.moments.weights()))
    }
    /// Kish's effective sample size `(Σw)²/Σw²` (the number of rows used when unweighted).
    pub fn kish_n(&self) -> f64 {
        self.moments.kish_n()
    }
    /// The moments of the model's indicators (block order) the fit was estimated from.
    pub fn moments(&self) -> &Moments {
        &self.moments
    }
    /// Whether the fit has its rows (a fit of a survey) or only moments.
    pub fn has_rows(&self) -> bool {
        self.rows.is_some()
    }
    pub(crate) fn rows(&self, what: &str) -> Result<&Rows> {
        self.rows.as_ref().ok_or_else(|| Error::NeedsRows {
            what: what.to_string(),
        })
    }
    /// Survey rows (0-based) used, in order.
    ///
    /// # Errors
    /// [`Error::NeedsRows`] for a fit from moments.
    pub fn rows_used(&self) -> Result<&[usize]> {
        Ok(&self.rows("the list of rows used")?.rows_used)
    }
    /// Model columns that had missing cells before the missing-data policy, with their counts.
    pub fn missing_cells(&self) -> &[(String, usize)] {
        &self.missing
    }
    /// The items treated as ordinal (an OrdPLS / OrdPLSc fit from [`Pls::fit_ordinal`](crate::Pls::fit_ordinal)).
    pub fn ordinal_items(&self) -> Option<&[String]> {
        self.ordinal.as_deref()
    }

    /// An error for what resamples or re-estimates rows with Pearson correlations, on an
    /// OrdPLS fit (it would silently mix two estimators).
    pub(crate) fn refuse_ordinal(&self, what: &str) -> crate::Result<()> {
        if self.derived {
            return Err(crate::Error::invalid(
                "higher_order",
                format!(
                    "{what} of a model with higher-order constructs is not available (its stages would have to be re-run in each resample)"
                ),
            ));
        }
        if self.interactions.is_some() {
            return Err(crate::Error::invalid(
                "interaction",
                format!(
                    "{what} of a model with interaction terms is not available (the derived indicators would not be rebuilt in each resample)"
                ),
            ));
        }
        match &self.ordinal {
            Some(_) => Err(crate::Error::invalid(
                "ordinal",
                format!(
                    "{what} of an OrdPLS fit is not available (it would re-estimate with Pearson correlations)"
                ),
            )),
            None => Ok(()),
        }
    }

    /// How to estimate this derived fit again on resampled rows (`None` for a plain fit).
    pub(crate) fn refit(&self) -> Option<&super::Refit> {
        self.refit.as_deref()
    }

    /// Stage one of a two-stage estimation of higher-order constructs (its dimensions in
    /// their place), when there was one.
    pub fn first_stage(&self) -> Option<&Fit> {
        self.first_stage.as_deref()
    }

    /// The interaction terms of the model, when it has some (their constructs are named
    /// `IV:MODERATOR` among the fit's constructs).
    pub fn interactions(&self) -> Option<&[crate::model::Interaction]> {
        self.interactions.as_deref()
    }
    /// Whether a construct of the fit is one of its interaction terms (`IV:MOD`).
    pub fn is_interaction(&self, construct: &str) -> bool {
        self.interactions()
            .is_some_and(|its| its.iter().any(|it| it.name() == construct))
    }

    /// Simple slopes of every interaction term on each of its targets: the effect of the
    /// predictor on the target when the moderator is 1 SD below its mean, at its mean and
    /// 1 SD above (`b_iv + b_iv:mod · level`, standardised scores; for a quadratic term
    /// `b + 2·b_quad · level`, the slope at that level of the predictor itself).
    pub fn simple_slopes(&self) -> Vec<SimpleSlopes> {
        let mut out = Vec::new();
        for it in self.interactions.iter().flatten() {
            let (Ok(iv), Ok(term)) = (self.lv(&it.iv), self.lv(&it.name())) else {
                continue;
            };
            let k = if it.iv == it.moderator { 2.0 } else { 1.0 };
            for t in &it.targets {
                let Ok(tj) = self.lv(t) else { continue };
                let (b, bi) = (self.core.b[(iv, tj)], self.core.b[(term, tj)]);
                out.push(SimpleSlopes {
                    iv: it.iv.clone(),
                    moderator: it.moderator.clone(),
                    target: t.clone(),
                    at: [-1.0, 0.0, 1.0].map(|m| (m, b + k * bi * m)),
                });
            }
        }
        out
    }

    /// Warnings collected during the fit.
    pub fn warnings(&self) -> &[String] {
        &self.warnings
    }
    /// Standardised outer weight of an indicator.
    pub fn weight(&self, indicator: &str) -> Result<f64> {
        let k = self.ind(indicator)?;
        Ok(self.core.w[(k, self.spec.block_of(k))])
    }
    /// Loading of an indicator on its construct.
    pub fn loading(&self, indicator: &str) -> Result<f64> {
        Ok(self.core.loadings[self.ind(indicator)?])
    }
    /// Correlation of an indicator with any construct's scores.
    pub fn cross_loading(&self, indicator: &str, construct: &str) -> Result<f64> {
        Ok(self.core.cross[(self.ind(indicator)?, self.lv(construct)?)])
    }
    /// Path coefficient `from → to`; an error if the model has no such path.
    pub fn path(&self, from: &str, to: &str) -> Result<f64> {
        let (a, b) = (self.lv(from)?, self.lv(to)?);
        if !self.spec.paths.contains(&(a, b)) {
            return Err(Error::invalid(
                "path",
                format!("the model has no path {from} -> {to}"),
            ));
        }
        Ok(self.core.b[(a, b)])
    }
    /// R² of an endogenous construct.
    ///
    /// # Errors
    /// [`Error::UnknownConstruct`] (with the closest name), [`Error::Exogenous`] for a
    /// construct with no predecessor.
    pub fn r2(&self, construct: &str) -> Result<f64> {
        let j = self.lv(construct)?;
        self.core.r2[j].ok_or_else(|| Error::Exogenous {
            construct: construct.to_string(),
        })
    }
    /// Adjusted R²: 1 − (1 − R²)(n − 1)/(n − k − 1), with n from [`Fit::n`].
    ///
    /// # Errors
    /// As [`Fit::r2`].
    pub fn r2_adj(&self, construct: &str) -> Result<f64> {
        let j = self.lv(construct)?;
        self.r2_adj_of(j).ok_or_else(|| Error::Exogenous {
            construct: construct.to_string(),
        })
    }
    pub(crate) fn r2_adj_of(&self, j: usize) -> Option<f64> {
        let n = self.n();
        let k = self.spec.preds[j].len() as f64;
        self.core.r2[j].map(|r2| 1.0 - (1.0 - r2) * (n - 1.0) / (n - k - 1.0))
    }
    /// Correlation between two constructs' scores (disattenuated under PLSc).
    pub fn construct_correlation(&self, a: &str, b: &str) -> Result<f64> {
        Ok(self.core.r[(self.lv(a)?, self.lv(b)?)])
    }
    /// Total effect of `from` on `to` (0 when there is no directed route).
    pub fn total_effect(&self, from: &str, to: &str) -> Result<f64> {
        let t = total_effects(&self.core.b, &self.spec);
        Ok(t[(self.lv(from)?, self.lv(to)?)])
    }
    /// Indirect effect (total − direct) of `from` on `to`.
    pub fn indirect_effect(&self, from: &str, to: &str) -> Result<f64> {
        let (a, b) = (self.lv(from)?, self.lv(to)?);
        let t = total_effects(&self.core.b, &self.spec);
        Ok(t[(a, b)] - self.core.b[(a, b)])
    }
    /// Standardised construct scores of one construct (weighted sd 1), one per row used.
    ///
    /// # Errors
    /// [`Error::UnknownConstruct`]; [`Error::NeedsRows`] for a fit from moments.
    pub fn scores(&self, construct: &str) -> Result<Vec<f64>> {
        let j = self.lv(construct)?;
        Ok(self.score_matrix()?.column(j).iter().copied().collect())
    }
    /// All scores, n_used × J.
    ///
    /// # Errors
    /// [`Error::NeedsRows`] for a fit from moments.
    pub fn score_matrix(&self) -> Result<&DMatrix<f64>> {
        let rows = self.rows("construct scores")?;
        Ok(rows.scores.get_or_init(|| {
            data::standardized_times(&rows.raw, &self.means, &self.sds, &self.core.w_signed())
        }))
    }
    /// The standardised scores of the constructs `lvs` (indices), as columns in that order:
    /// the same bits as those columns of [`Fit::score_matrix`], without the others (a
    /// derived fit's stage two needs two of them).
    pub(crate) fn score_columns(&self, lvs: &[usize]) -> Result<DMatrix<f64>> {
        let rows = self.rows("construct scores")?;
        if let Some(all) = rows.scores.get() {
            return Ok(all.select_columns(lvs));
        }
        let w = self.core.w_signed();
        if lvs.iter().any(|&j| j >= w.ncols()) {
            return Err(Error::invalid("construct", "no construct of that index"));
        }
        let picked = w.select_columns(lvs);
        Ok(data::standardized_times(
            &rows.raw,
            &self.means,
            &self.sds,
            &picked,
        ))
    }
    /// Indicator correlation matrix (p × p, block order).
    pub fn indicator_correlations(&self) -> &DMatrix<f64> {
        &self.s
    }
    /// Construct correlation matrix (J × J).
    pub fn construct_correlations(&self) -> &DMatrix<f64> {
        &self.core.r
    }
    /// Answer scale of an indicator and whether it was declared or observed.
    pub fn scale(&self, indicator: &str) -> Result<(Scale, ScaleSource)> {
        Ok(self.scales[self.ind(indicator)?])
    }
    /// Mean and sample sd of an indicator's raw answers in the rows used.
    pub fn item_moments(&self, indicator: &str) -> Result<(f64, f64)> {
        let k = self.ind(indicator)?;
        Ok((self.means[k], self.sds[k]))
    }

    pub(crate) fn path_key(&self, a: usize, b: usize) -> String {
        format!("{}->{}", self.spec.lv_names[a], self.spec.lv_names[b])
    }

    /// The summary in the reference files' field names.
    pub fn summary(&self) -> FitSummary {
        let sp = &self.spec;
        let jn = sp.n_lv();
        let t = total_effects(&self.core.b, &self.spec);
        let mut total = Vec::new();
        let mut indirect = Vec::new();
        for a in 0..jn {
            for b in 0..jn {
                if t[(a, b)] != 0.0 {
                    total.push((self.path_key(a, b), t[(a, b)]));
                }
                let ind = t[(a, b)] - self.core.b[(a, b)];
                if ind.abs() > 0.0 && self.has_indirect_route(a, b) {
                    indirect.push((self.path_key(a, b), ind));
                }
            }
        }
        FitSummary {
            method: if self.settings.consistent {
                "plsc"
            } else {
                "pls"
            }
            .into(),
            scheme: self.settings.scheme,
            missing_policy: self.settings.missing,
            n_file: self.n_file,
            n_used: self.n_used(),
            n_missing_cells_in_file: self.n_missing_cells,
            outer_weights: Named(
                (0..sp.names.len())
                    .map(|k| (sp.names[k].clone(), self.core.w[(k, sp.block_of(k))]))
                    .collect(),
            ),
            loadings: Named(
                sp.names
                    .iter()
                    .cloned()
                    .zip(self.core.loadings.iter().copied())
                    .collect(),
            ),
            paths: Named(
                sp.paths
                    .iter()
                    .map(|&(a, b)| (self.path_key(a, b), self.core.b[(a, b)]))
                    .collect(),
            ),
            r2: Named(
                (0..jn)
                    .filter_map(|j| self.core.r2[j].map(|v| (sp.lv_names[j].clone(), v)))
                    .collect(),
            ),
            r2_adj: Named(
                (0..jn)
                    .filter_map(|j| self.r2_adj_of(j).map(|v| (sp.lv_names[j].clone(), v)))
                    .collect(),
            ),
            total_effects: Named(total),
            indirect_effects: Named(indirect),
            lv_correlations: Keyed(
                (0..jn)
                    .map(|a| {
                        (
                            sp.lv_names[a].clone(),
                            Named(
                                (0..jn)
                                    .map(|b| (sp.lv_names[b].clone(), self.core.r[(a, b)]))
                                    .collect(),
                            ),
                        )
                    })
                    .collect(),
            ),
            cross_loadings: Keyed(
                (0..sp.names.len())
                    .map(|k| {
                        (
                            sp.names[k].clone(),
                            Named(
                                (0..jn)
                                    .map(|b| (sp.lv_names[b].clone(), self.core.cross[(k, b)]))
                                    .collect(),
                            ),
                        )
                    })
                    .collect(),
            ),
            iterations: self.core.iterations,
            converged: self.core.converged,
            last_change: self.core.last_change,
            warnings: self.warnings.clone(),
        }
    }

    fn has_indirect_route(&self, a: usize, b: usize) -> bool {
        self.spec.graph.has_mediated_route(a, b)
    }

    /// The summary as pretty JSON.
    pub fn to_json(&self) -> Result<String> {
        Ok(serde_json::to_string_pretty(&self.summary())?)
    }
}

/// The simple slopes of one interaction term on one target (see [`Fit::simple_slopes`]).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SimpleSlopes {
    /// The predictor.
    pub iv: String,
    /// The moderator.
    pub moderator: String,
    /// The target.
    pub target: String,
    /// (moderator level in SD, slope of the predictor) at −1, 0 and +1 SD.
    pub at: [(f64, f64); 3],
}
