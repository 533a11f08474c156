//! The PLS path-modeling estimator (Wold / Lohmöller), run on the indicator correlation matrix.
//!
//! One pass over the data builds the p×p correlation matrix S (divisor n−1); everything after
//! is O(p²)–O(p³): outer weights W, construct correlations WᵀSW, inner weights (centroid,
//! factorial or path scheme), Mode A or Mode B updates, normalisation to unit variance, until
//! the largest change of a weight falls below the tolerance. Then paths by OLS on construct
//! correlations, loadings, R², effects, and scores from the data.
//!
//! ```
//! use csindex::{LoadOptions, Model, Pls, Scheme, Survey};
//! let survey = Survey::from_csv_path("data/acsi_sample.csv", &LoadOptions::new()).unwrap();
//! let fit = Pls::new().scheme(Scheme::Path).fit(&Model::acsi(), &survey).unwrap();
//! assert!(fit.converged());
//! let b = fit.path("QUAL", "SAT").unwrap();
//! assert!((b - 0.296564235140308).abs() < 1e-10); // seminr, cSEM and plspm agree
//! ```

use crate::data::{self, MissingPolicy, Scale, ScaleSource, Survey};
use crate::error::{Error, Result};
use crate::model::Model;
use crate::moments::{Moments, WeightKind};
use nalgebra::DMatrix;
use serde::Serialize;

mod estimator;
mod fit;
mod higher_order;
mod keyed;
mod moderation;
mod refit;

pub(crate) use estimator::{finish, regress, solve, solve_from, total_effects, Core, Spec};
pub use fit::{Fit, FitSummary, SimpleSlopes};
pub use higher_order::HocMethod;
pub use keyed::{Keyed, Named};
pub use moderation::InteractionMethod;
pub(crate) use refit::Refit;

/// Inner weighting scheme.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Scheme {
    /// Sign of the construct correlation.
    Centroid,
    /// The construct correlation.
    Factorial,
    /// Regression coefficients for predecessors, correlations for successors (default, as
    /// seminr, cSEM and SmartPLS).
    #[default]
    Path,
}

crate::options::flag_names!(Scheme, "scheme", Centroid => "centroid", Factorial => "factorial", Path => "path");

/// How the change between two iterations is measured against the tolerance.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum StopRule {
    /// Largest absolute change of a normalised weight (cSEM `diff_absolute`; default).
    #[default]
    MaxChange,
    /// Sum of absolute changes of the normalised weights (seminr).
    SumChange,
    /// Sum over indicators of `(|u_old| − |u_new|)²`, where u are the weights *before*
    /// normalisation (for a single-item block, its covariance with the inner proxy) times
    /// (n−1)/n, and the first `u_old` is the normalised start (plspm `get_weights`).
    PlspmSquared,
}

crate::options::flag_names!(StopRule, "stop rule", MaxChange => "max_change" | "max", SumChange => "sum_change" | "sum", PlspmSquared => "plspm_squared" | "plspm");

/// A peer whose default estimator settings [`Pls::like`] reproduces.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Peer {
    /// seminr: Σ|Δw| < 1e-7, at most 300 iterations.
    Seminr,
    /// cSEM: max|Δw| < 1e-5, at most 100 iterations.
    Csem,
    /// plspm: Σ(|u_old| − |u_new|)² < 1e-6 on un-normalised weights, at most 100 iterations,
    /// and its score sign rule.
    Plspm,
}

crate::options::flag_names!(Peer, "like", Seminr => "seminr", Csem => "csem", Plspm => "plspm");

/// Sign convention for construct scores.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SignRule {
    /// No sign fixing (seminr, cSEM; default).
    #[default]
    None,
    /// plspm's rule: flip a construct's scores and loadings (not its weights) unless most of its
    /// indicators correlate positively with it (a tie flips).
    Plspm,
}

crate::options::flag_names!(SignRule, "sign rule", None => "none", Plspm => "plspm");

/// Estimator settings. Consuming builder; [`Pls::fit`] runs it.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[must_use]
pub struct Pls {
    pub(crate) scheme: Scheme,
    pub(crate) tolerance: f64,
    pub(crate) stop_rule: StopRule,
    pub(crate) max_iterations: usize,
    pub(crate) missing: MissingPolicy,
    pub(crate) sign_rule: SignRule,
    pub(crate) consistent: bool,
    pub(crate) accept_nonconverged: bool,
    pub(crate) interaction: InteractionMethod,
    pub(crate) hoc: HocMethod,
}

impl Default for Pls {
    fn default() -> Self {
        Pls {
            scheme: Scheme::Path,
            tolerance: 1e-12,
            stop_rule: StopRule::MaxChange,
            max_iterations: 1000,
            missing: MissingPolicy::Fail,
            sign_rule: SignRule::None,
            consistent: false,
            accept_nonconverged: false,
            interaction: InteractionMethod::TwoStage,
            hoc: HocMethod::DisjointTwoStage,
        }
    }
}

impl Pls {
    /// Defaults: path scheme, tolerance 1e-12 on the largest absolute weight change, at most
    /// 1000 iterations, missing cells an error, no sign rule, classic (not consistent) PLS.
    pub fn new() -> Self {
        Self::default()
    }
    /// Inner weighting scheme.
    pub fn scheme(mut self, s: Scheme) -> Self {
        self.scheme = s;
        self
    }
    /// Stop when the largest absolute change of an outer weight is below `tol` (> 0).
    pub fn tolerance(mut self, tol: f64) -> Self {
        self.tolerance = tol;
        self
    }
    /// How the change between iterations is measured (see [`StopRule`]).
    pub fn stop_rule(mut self, r: StopRule) -> Self {
        self.stop_rule = r;
        self
    }
    /// A peer's default stopping rule, tolerance and iteration limit (and plspm's sign rule),
    /// so that results at the peer's *default* settings are reproduced, not only its converged
    /// fixed point. The scheme and other settings are kept.
    pub fn like(self, peer: Peer) -> Self {
        match peer {
            Peer::Seminr => self
                .stop_rule(StopRule::SumChange)
                .tolerance(1e-7)
                .max_iterations(300),
            Peer::Csem => self
                .stop_rule(StopRule::MaxChange)
                .tolerance(1e-5)
                .max_iterations(100),
            Peer::Plspm => self
                .stop_rule(StopRule::PlspmSquared)
                .tolerance(1e-6)
                .max_iterations(100)
                .sign_rule(SignRule::Plspm),
        }
    }
    /// Maximum number of iterations (≥ 1).
    pub fn max_iterations(mut self, n: usize) -> Self {
        self.max_iterations = n;
        self
    }
    /// Missing-data policy for the model's columns.
    pub fn missing(mut self, p: MissingPolicy) -> Self {
        self.missing = p;
        self
    }
    /// Score sign convention.
    pub fn sign_rule(mut self, r: SignRule) -> Self {
        self.sign_rule = r;
        self
    }
    /// Consistent PLS (PLSc, Dijkstra & Henseler 2015): Mode A multi-item blocks are treated as
    /// common factors; loadings and construct correlations are corrected with ρ_A, and paths and
    /// R² are estimated on the disattenuated correlations.
    pub fn consistent(mut self, yes: bool) -> Self {
        self.consistent = yes;
        self
    }
    /// How higher-order constructs are estimated (default: disjoint two-stage).
    pub fn higher_order(mut self, method: HocMethod) -> Self {
        self.hoc = method;
        self
    }
    /// How interaction terms (`LOY ~ SAT + SW + SAT:SW`) are estimated (default: two-stage).
    pub fn interaction(mut self, method: InteractionMethod) -> Self {
        self.interaction = method;
        self
    }
    /// Return a result flagged `converged = false` instead of [`Error::NotConverged`].
    pub fn accept_nonconverged(mut self, yes: bool) -> Self {
        self.accept_nonconverged = yes;
        self
    }

    pub(crate) fn check(&self) -> Result<()> {
        if !(self.tolerance > 0.0 && self.tolerance.is_finite()) {
            return Err(Error::invalid(
                "tolerance",
                format!("{} (must be > 0)", self.tolerance),
            ));
        }
        if self.max_iterations == 0 {
            return Err(Error::invalid("max_iterations", "must be at least 1"));
        }
        Ok(())
    }

    /// Estimates the model on the survey (weighted when the survey has a weight column).
    ///
    /// # Errors
    /// Every data problem as a typed error naming the column (missing cells without a policy,
    /// zero variance, text where numbers are needed, too few rows), [`Error::Singular`] for a
    /// collinear block or predictors, [`Error::NotConverged`] unless accepted.
    pub fn fit(&self, model: &Model, survey: &Survey) -> Result<Fit> {
        self.fit_impl(model, survey, true)
    }

    /// [`Pls::fit`]; `resamplable`: keep what a derived fit needs to be estimated again on
    /// resampled rows (not for the resamples themselves).
    pub(crate) fn fit_impl(
        &self,
        model: &Model,
        survey: &Survey,
        resamplable: bool,
    ) -> Result<Fit> {
        self.check()?;
        if !model.higher_order().is_empty() || !model.interactions().is_empty() {
            let mut fit = if model.higher_order().is_empty() {
                moderation::fit(self, model, survey)?
            } else {
                higher_order::fit(self, model, survey)?
            };
            if resamplable {
                fit.refit = Some(std::sync::Arc::new(Refit::new(self, model, survey, None)?));
            }
            return Ok(fit);
        }
        self.fit_spec(model, Spec::new(model), survey)
    }

    /// What a fit of the columns `names` starts from: their moments (complete rows after
    /// listwise deletion, or the one-pass mean-replacement moments; scales declared or
    /// observed over all rows) and their rows under this fit's missing-data policy.
    /// `spec`, when given, checks the number of rows before any moment is computed.
    pub(crate) fn moments_of(
        &self,
        names: &[String],
        survey: &Survey,
        spec: Option<&Spec>,
    ) -> Result<(Moments, crate::data::prepare::Prepared)> {
        let prepared = survey.prepare(names, self.missing)?;
        if let Some(spec) = spec {
            spec.check_rows(prepared.raw.nrows())?;
        }
        let kind = survey
            .weight_column()
            .map_or(WeightKind::Frequency, |w| w.1);
        let mut moments = Moments::new(names, self.missing)?.weight_kind(kind);
        moments.set_weight_column(survey.weight_column().map(|w| w.0));
        if self.missing == MissingPolicy::Mean && prepared.n_missing_cells > 0 {
            let cols: Vec<&[f64]> = names
                .iter()
                .map(|n| survey.numeric(n))
                .collect::<Result<_>>()?;
            moments.push_columns(&cols, survey.weights())?;
        } else {
            // One slice per column, empty when no row is complete (chunks of the empty cell
            // vector would give no column at all).
            let n = prepared.raw.nrows();
            let cells = prepared.raw.as_slice();
            let cols: Vec<&[f64]> = (0..prepared.raw.ncols())
                .map(|k| &cells[k * n..(k + 1) * n])
                .collect();
            moments.push_columns(&cols, prepared.weights.as_deref())?;
        }
        for (k, name) in names.iter().enumerate() {
            // Scales: declared, or the observed range of the whole column (all rows).
            let (sc, src) = survey.scale(name)?;
            match src {
                ScaleSource::Declared => moments.set_scale(name, sc.min, sc.max)?,
                ScaleSource::Observed => moments.set_observed_range(k, sc.min, sc.max),
            }
        }
        Ok((moments, prepared))
    }

    /// [`Pls::fit`] of a model without higher-order constructs or interactions, in index
    /// form (which may hold some blocks' weights fixed).
    pub(crate) fn fit_spec(&self, model: &Model, spec: Spec, survey: &Survey) -> Result<Fit> {
        let (moments, mut prepared) = self.moments_of(&spec.names, survey, Some(&spec))?;
        let mut fit = self.fit_prepared(model, spec, moments, survey.n_rows())?;
        fit.n_missing_cells = prepared.n_missing_cells;
        fit.missing = std::mem::take(&mut prepared.missing);
        fit.rows = Some(Rows::of(prepared));
        Ok(fit)
    }

    /// [`Pls::moments_of`] when no cell of `names` is missing and some row is used (what the
    /// derived fits on complete rows start from); `None` otherwise.
    pub(crate) fn complete_rows(
        &self,
        names: &[String],
        survey: &Survey,
    ) -> Result<Option<(Moments, Rows)>> {
        let (moments, prepared) = self.moments_of(names, survey, None)?;
        if prepared.n_missing_cells > 0 || prepared.raw.nrows() == 0 {
            return Ok(None);
        }
        Ok(Some((moments, Rows::of(prepared))))
    }

    /// The fit of a model without higher-order constructs or interactions on the rows `base`
    /// used, its columns being `base`'s indicators and the `derived` ones (each with its value
    /// on each of those rows, in their order): stage two of a derived fit, from `base`'s
    /// moments and rows without another pass over the survey (only the co-moments of the
    /// derived columns are computed). `None` when `base` had missing cells, no rows, or a
    /// column is neither its indicator nor derived: then stage two goes through a survey.
    pub(crate) fn fit_on_rows_of(
        &self,
        model: &Model,
        spec: Spec,
        base: &Fit,
        derived: &[(String, Vec<f64>)],
    ) -> Result<Option<Fit>> {
        let Some(rows) = base.rows.as_ref() else {
            return Ok(None);
        };
        if base.n_missing_cells > 0 || self.missing != base.settings.missing {
            return Ok(None);
        }
        self.fit_on_rows(
            model,
            spec,
            &base.moments,
            rows,
            base.n_file,
            derived,
            &[],
            unadjusted,
        )
    }

    /// [`Pls::fit_on_rows_of`] from the moments and rows of its base columns (complete rows,
    /// as [`Pls::moments_of`] gives them when there are no missing cells); `n_file`: the
    /// survey's rows; `aliases`: columns that are copies of base columns (copy, original),
    /// whose moments are the original's; `adjust`, applied to the moments of the model's
    /// columns and their values over the rows (rows × `spec.names`) before the fit: the
    /// orthogonalisation of product indicators ([`Moments::orthogonalized`]), or
    /// [`unadjusted`].
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn fit_on_rows(
        &self,
        model: &Model,
        spec: Spec,
        base: &Moments,
        rows: &Rows,
        n_file: usize,
        derived: &[(String, Vec<f64>)],
        aliases: &[(String, String)],
        adjust: impl FnOnce(&Spec, &mut Moments, &mut DMatrix<f64>) -> Result<()>,
    ) -> Result<Option<Fit>> {
        spec.check_rows(rows.raw.nrows())?;
        // A derived name that is also one of base's columns is an error of the survey path
        // (a column of that name exists): leave it to that path.
        let base_names = base.names();
        if base.missing_counts().iter().any(|&k| k > 0)
            || derived.iter().any(|(d, _)| base_names.contains(d))
        {
            return Ok(None);
        }
        let n = rows.raw.nrows();
        let mut from = Vec::with_capacity(spec.names.len());
        let mut columns: Vec<&[f64]> = Vec::with_capacity(spec.names.len());
        for name in &spec.names {
            let original = aliases
                .iter()
                .find(|(copy, _)| copy == name)
                .map_or(name, |(_, o)| o);
            if let Some(k) = base_names.iter().position(|b| b == original) {
                from.push(Some(k));
                columns.push(&rows.raw.as_slice()[k * n..(k + 1) * n]);
            } else if let Some((_, v)) = derived.iter().find(|(d, _)| d == name) {
                from.push(None);
                columns.push(v);
            } else {
                return Ok(None);
            }
        }
        let mut cells = Vec::with_capacity(n * columns.len());
        for c in &columns {
            cells.extend_from_slice(c);
        }
        let mut raw = DMatrix::from_vec(n, columns.len(), cells);
        let Some(mut moments) = base.derived(&spec.names, &raw, &from, rows.weights.as_deref())
        else {
            return Ok(None);
        };
        adjust(&spec, &mut moments, &mut raw)?;
        let mut fit = self.fit_prepared(model, spec, moments, n_file)?;
        fit.rows = Some(Rows {
            raw,
            weights: rows.weights.clone(),
            rows_used: rows.rows_used.clone(),
            scores: std::sync::OnceLock::new(),
        });
        Ok(Some(fit))
    }

    /// OrdPLS (and OrdPLSc with [`Pls::consistent`]): the fit of [`Pls::fit`] with the
    /// correlations of the `ordinal` items replaced by polychoric correlations (between two
    /// of them) and polyserial ones (with a continuous item), as cSEM does for ordered
    /// factors (see [`crate::ordinal`]). Means, standard deviations and the 0-100 index still
    /// come from the raw answers. The fit's warnings say which correlations were used.
    ///
    /// # Errors
    /// As [`Pls::fit`]; [`Error::UnknownColumn`] for an ordinal item that is not an indicator;
    /// [`Error::InvalidArgument`] under mean replacement with missing cells (imputed means
    /// would be new categories: use listwise deletion); the errors of the polychoric
    /// estimator ([`Error::ZeroVariance`], [`Error::Singular`]).
    pub fn fit_ordinal<S: AsRef<str>>(
        &self,
        model: &Model,
        survey: &Survey,
        ordinal: &[S],
    ) -> Result<Fit> {
        self.fit_ordinal_impl(model, survey, ordinal, true)
    }

    /// [`Pls::fit_ordinal`]; `resamplable` as in [`Pls::fit_impl`].
    pub(crate) fn fit_ordinal_impl<S: AsRef<str>>(
        &self,
        model: &Model,
        survey: &Survey,
        ordinal: &[S],
        resamplable: bool,
    ) -> Result<Fit> {
        let mut fit = self.fit_impl(model, survey, false)?;
        let names = fit.spec.names.clone();
        for o in ordinal {
            if !names.iter().any(|n| n == o.as_ref()) {
                return Err(Error::UnknownColumn {
                    name: o.as_ref().to_string(),
                    suggestion: crate::data::closest(o.as_ref(), names.iter().map(|s| s.as_str())),
                    available: String::new(),
                });
            }
        }
        if self.missing == MissingPolicy::Mean && fit.n_missing_cells > 0 {
            return Err(Error::invalid(
                "ordinal",
                "polychoric correlations need complete rows (imputed means would be new categories): use listwise deletion",
            ));
        }
        let is_ordinal: Vec<bool> = names
            .iter()
            .map(|n| ordinal.iter().any(|o| o.as_ref() == n))
            .collect();
        let rows = fit.rows("ordinal correlations")?;
        let n = rows.raw.nrows();
        let cols: Vec<&[f64]> = rows.raw.as_slice().chunks_exact(n.max(1)).collect();
        let (s, kinds, warnings) = crate::ordinal::correlations(
            &names,
            &cols,
            rows.weights.as_deref(),
            &is_ordinal,
            &fit.s,
        )?;
        let core = solve(&s, &fit.spec, self, fit.moments.n())?;
        let count = |k: crate::ordinal::PairKind| {
            kinds
                .iter()
                .enumerate()
                .map(|(a, r)| r[..a].iter().filter(|x| **x == k).count())
                .sum::<usize>()
        };
        fit.warnings.push(format!(
            "indicator correlations: polychoric between the {} ordinal items ({} pairs), polyserial with continuous items ({} pairs), Pearson otherwise ({} pairs)",
            is_ordinal.iter().filter(|x| **x).count(),
            count(crate::ordinal::PairKind::Polychoric),
            count(crate::ordinal::PairKind::Polyserial),
            count(crate::ordinal::PairKind::Pearson),
        ));
        fit.warnings.extend(warnings);
        fit.core = core;
        fit.s = s;
        if resamplable {
            fit.refit = Some(std::sync::Arc::new(Refit::new(
                self,
                model,
                survey,
                Some(ordinal.iter().map(|o| o.as_ref().to_string()).collect()),
            )?));
        }
        fit.ordinal = Some(
            names
                .iter()
                .zip(&is_ordinal)
                .filter(|x| *x.1)
                .map(|x| x.0.clone())
                .collect(),
        );
        Ok(fit)
    }

    /// Estimates the model from sufficient statistics alone: every result that needs no
    /// row-level scores (weights, loadings, cross-loadings, paths, R², effects, construct
    /// correlations, the whole assessment, the 0-100 index, IPMA). What needs the rows (scores,
    /// blindfolding, PLSpredict, the bootstrap) is [`Error::NeedsRows`] on such a fit.
    ///
    /// The moments may hold more columns than the model uses; the missing-data policy is the
    /// one the moments were accumulated under (this builder's `missing` is not used).
    ///
    /// ```
    /// use csindex::{LoadOptions, MissingPolicy, Model, Moments, Pls, Survey};
    /// let survey = Survey::from_csv_path("data/acsi_sample.csv", &LoadOptions::new())?;
    /// let model = Model::acsi();
    /// let names: Vec<&str> = survey.column_names();
    /// let moments = Moments::from_survey(&survey, &names, MissingPolicy::Listwise)?;
    /// let a = Pls::new().fit_moments(&model, &moments)?;
    /// let b = Pls::new().fit(&model, &survey)?;
    /// assert!((a.path("QUAL", "SAT")? - b.path("QUAL", "SAT")?).abs() < 1e-12);
    /// # Ok::<(), csindex::Error>(())
    /// ```
    ///
    /// # Errors
    /// [`Error::UnknownColumn`] for a model indicator the moments do not have,
    /// [`Error::MissingData`] for moments accumulated with [`MissingPolicy::Fail`] over missing
    /// cells, and the estimation errors of [`Pls::fit`].
    pub fn fit_moments(&self, model: &Model, moments: &Moments) -> Result<Fit> {
        self.check()?;
        if !model.interactions().is_empty() || !model.higher_order().is_empty() {
            return Err(Error::NeedsRows {
                what: "an interaction term or a higher-order construct (their indicators are derived from the rows)".into(),
            });
        }
        let spec = Spec::new(model);
        let m = moments.select(&spec.names)?;
        let missing: Vec<(String, usize)> = m
            .names()
            .iter()
            .zip(m.missing_counts())
            .filter(|(_, &k)| k > 0)
            .map(|(n, &k)| (n.clone(), k as usize))
            .collect();
        if m.policy() == MissingPolicy::Fail && !missing.is_empty() {
            return Err(Error::MissingData { columns: missing });
        }
        let wider = moments.listwise_wider(&spec.names);
        let mut fit = self.fit_prepared(model, spec, m, moments.n_rows() as usize)?;
        fit.settings.missing = moments.policy();
        fit.n_missing_cells = missing.iter().map(|x| x.1).sum();
        fit.missing = missing;
        if wider {
            fit.warnings.push(
                "listwise deletion was applied over more columns than the model uses: rows \
                 missing only in other columns were left out too"
                    .into(),
            );
        }
        Ok(fit)
    }

    /// The estimate from the model columns' moments (shared by [`Pls::fit`] and
    /// [`Pls::fit_moments`]).
    fn fit_prepared(
        &self,
        model: &Model,
        spec: Spec,
        moments: Moments,
        n_file: usize,
    ) -> Result<Fit> {
        let n = moments.n_used() as usize;
        spec.check_rows(n)?;
        for (k, name) in spec.names.iter().enumerate() {
            if moments.missing_counts()[k] as usize >= n_file.max(1) {
                return Err(Error::AllMissing {
                    column: name.clone(),
                });
            }
        }
        let (means, sds, s) = moments.standardized()?;
        let core = solve(&s, &spec, self, moments.n())?;
        let mut warnings = Vec::new();
        let mut scales = Vec::with_capacity(spec.names.len());
        let mut observed = Vec::new();
        for (k, name) in spec.names.iter().enumerate() {
            let sc = match moments.scales()[k] {
                Some(sc) => (sc, ScaleSource::Declared),
                None => {
                    let (lo, hi) = (moments.min()[k], moments.max()[k]);
                    if !(lo < hi) {
                        return Err(Error::ZeroVariance {
                            column: name.clone(),
                            n,
                        });
                    }
                    observed.push(name.clone());
                    (Scale { min: lo, max: hi }, ScaleSource::Observed)
                }
            };
            scales.push(sc);
        }
        if !observed.is_empty() {
            warnings.push(format!(
                "answer scales not declared; taken from the observed min and max for: {}",
                observed.join(", ")
            ));
        }
        if !core.converged {
            warnings.push(format!(
                "not converged after {} iterations (last change {:e})",
                core.iterations, core.last_change
            ));
        }
        Ok(Fit {
            model: model.clone(),
            spec,
            settings: *self,
            core,
            s,
            moments,
            rows: None,
            means,
            sds,
            scales,
            n_file,
            missing: Vec::new(),
            n_missing_cells: 0,
            warnings,
            ordinal: None,
            interactions: None,
            first_stage: None,
            derived: false,
            refit: None,
        })
    }
}

/// The rows behind a fit (absent for a fit from moments).
#[derive(Debug, Clone)]
pub(crate) struct Rows {
    /// n_used × p raw answers (after the missing-data policy).
    pub raw: DMatrix<f64>,
    /// Row weights, when the survey is weighted.
    pub weights: Option<Vec<f64>>,
    /// Survey row (0-based) of each used row.
    pub rows_used: Vec<usize>,
    /// n_used × J standardised scores, computed when first asked for.
    pub scores: std::sync::OnceLock<DMatrix<f64>>,
}

impl Rows {
    /// The rows a fit used, from the prepared data.
    pub(crate) fn of(prepared: crate::data::prepare::Prepared) -> Rows {
        Rows {
            raw: prepared.raw,
            weights: prepared.weights,
            rows_used: prepared.rows,
            scores: std::sync::OnceLock::new(),
        }
    }
}

/// What [`estimate_raw`] returns.
pub(crate) struct Estimated {
    pub core: Core,
    pub scores: DMatrix<f64>,
    pub means: Vec<f64>,
    pub sds: Vec<f64>,
}

/// An estimate from moments alone, with the standardisation it rests on.
pub(crate) struct MomentEstimate {
    pub core: Core,
    pub means: Vec<f64>,
    pub sds: Vec<f64>,
    /// Indicator correlation matrix.
    pub s: DMatrix<f64>,
}

/// The estimate from moments alone: correlation matrix, PLS iteration and inner model.
pub(crate) fn estimate_moments(m: &Moments, spec: &Spec, pls: &Pls) -> Result<MomentEstimate> {
    let (means, sds, s) = m.standardized()?;
    let core = solve(&s, spec, pls, m.n())?;
    Ok(MomentEstimate {
        core,
        means,
        sds,
        s,
    })
}

/// Estimates on a complete raw n × p matrix (block order of `spec`, optional row weights) and
/// computes its scores.
pub(crate) fn estimate_raw(
    raw: &DMatrix<f64>,
    weights: Option<&[f64]>,
    kind: WeightKind,
    spec: &Spec,
    pls: &Pls,
) -> Result<Estimated> {
    let m = Moments::complete(raw, weights, &spec.names, kind)?;
    let MomentEstimate {
        core, means, sds, ..
    } = estimate_moments(&m, spec, pls)?;
    let scores = data::standardized_times(raw, &means, &sds, &core.w_signed());
    Ok(Estimated {
        core,
        scores,
        means,
        sds,
    })
}

/// The `adjust` of [`Pls::fit_on_rows`] that changes nothing.
pub(crate) fn unadjusted(_: &Spec, _: &mut Moments, _: &mut DMatrix<f64>) -> Result<()> {
    Ok(())
}
