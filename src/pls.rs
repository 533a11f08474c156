//! The PLS path-modeling estimator (Wold / Lohmöller), run on the indicator correlation matrix.
//!
//! One pass over the data builds the p×p correlation matrix S (divisor n−1); everything after
//! is O(p²)–O(p³): outer weights W, construct correlations WᵀSW, inner weights (centroid,
//! factorial or path scheme), Mode A or Mode B updates, normalisation to unit variance, until
//! the largest change of a weight falls below the tolerance. Then paths by OLS on construct
//! correlations, loadings, R², effects, and scores from the data (METHOD.md §2).
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
use crate::linalg;
use crate::model::{Mode, Model};
use crate::moments::{Moments, WeightKind};
use nalgebra::{DMatrix, DVector};
use serde::ser::{SerializeMap, Serializer};
use serde::Serialize;
use std::ops::Range;

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
        self.check()?;
        let spec = Spec::new(model);
        let prepared = survey.prepare(&spec.names, self.missing)?;
        spec.check_rows(prepared.raw.nrows())?;
        let kind = survey
            .weight_column()
            .map_or(WeightKind::Frequency, |w| w.1);
        // The moments of the model's columns: complete rows after listwise deletion, or the
        // one-pass mean-replacement moments of the columns with their missing cells.
        let mut moments = Moments::new(&spec.names, self.missing)?.weight_kind(kind);
        moments.set_weight_column(survey.weight_column().map(|w| w.0));
        if self.missing == MissingPolicy::Mean && prepared.n_missing_cells > 0 {
            let cols: Vec<&[f64]> = spec
                .names
                .iter()
                .map(|n| survey.numeric(n))
                .collect::<Result<_>>()?;
            moments.push_columns(&cols, survey.weights())?;
        } else {
            let n = prepared.raw.nrows();
            let cols: Vec<&[f64]> = prepared.raw.as_slice().chunks_exact(n.max(1)).collect();
            moments.push_columns(&cols, prepared.weights.as_deref())?;
        }
        for (k, name) in spec.names.iter().enumerate() {
            // Scales: declared, or the observed range of the whole column (all rows).
            let (sc, src) = survey.scale(name)?;
            match src {
                ScaleSource::Declared => moments.set_scale(&spec.names[k], sc.min, sc.max)?,
                ScaleSource::Observed => moments.set_observed_range(k, sc.min, sc.max),
            }
        }
        let mut fit = self.fit_prepared(model, spec, moments, survey.n_rows())?;
        fit.rows = Some(Rows {
            raw: prepared.raw,
            weights: prepared.weights,
            rows_used: prepared.rows,
            scores: std::sync::OnceLock::new(),
        });
        fit.n_missing_cells = prepared.n_missing_cells;
        fit.missing = prepared.missing;
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

/// The model in index form: block ranges over the indicator order, modes, neighbours.
#[derive(Debug, Clone)]
pub(crate) struct Spec {
    pub names: Vec<String>,
    pub lv_names: Vec<String>,
    pub blocks: Vec<Range<usize>>,
    pub modes: Vec<Mode>,
    pub preds: Vec<Vec<usize>>,
    pub succs: Vec<Vec<usize>>,
    pub paths: Vec<(usize, usize)>,
    /// Causal order, reachability and routes.
    pub graph: crate::model::graph::Graph,
}

impl Spec {
    pub(crate) fn new(model: &Model) -> Spec {
        let mut names = Vec::new();
        let mut blocks = Vec::new();
        for c in model.constructs() {
            let start = names.len();
            names.extend(c.indicators.iter().cloned());
            blocks.push(start..names.len());
        }
        let j = model.constructs().len();
        let mut preds = vec![Vec::new(); j];
        let mut succs = vec![Vec::new(); j];
        for &(a, b) in model.paths() {
            preds[b].push(a);
            succs[a].push(b);
        }
        Spec {
            names,
            lv_names: model.constructs().iter().map(|c| c.name.clone()).collect(),
            blocks,
            modes: model.constructs().iter().map(|c| c.mode).collect(),
            preds,
            succs,
            paths: model.paths().to_vec(),
            graph: crate::model::graph::Graph::new(j, model.paths()),
        }
    }
    pub(crate) fn n_lv(&self) -> usize {
        self.blocks.len()
    }
    /// Rows needed: every regression (structural, Mode B) must have n > k + 1.
    pub(crate) fn min_rows(&self) -> usize {
        let k_inner = self.preds.iter().map(|p| p.len()).max().unwrap_or(0);
        let k_outer = self
            .blocks
            .iter()
            .zip(&self.modes)
            .filter(|(_, m)| **m == Mode::B)
            .map(|(b, _)| b.len())
            .max()
            .unwrap_or(0);
        k_inner.max(k_outer).max(1) + 2
    }
    /// [`Error::TooFewRows`] when `n` rows are fewer than [`Spec::min_rows`].
    pub(crate) fn check_rows(&self, n: usize) -> Result<()> {
        let needed = self.min_rows();
        if n < needed {
            return Err(Error::TooFewRows {
                needed,
                found: n,
                reason: "each regression needs more rows than predictors + 1".into(),
            });
        }
        Ok(())
    }
    pub(crate) fn block_of(&self, k: usize) -> usize {
        self.blocks.iter().position(|b| b.contains(&k)).unwrap_or(0)
    }
}

/// Everything estimated from the correlation matrix alone.
#[derive(Debug, Clone)]
pub(crate) struct Core {
    /// p×J outer weights (standardised; zero outside a construct's block). Never sign-flipped.
    pub w: DMatrix<f64>,
    /// Per-construct sign applied to scores and loadings (±1).
    pub signs: Vec<f64>,
    /// p×J indicator–construct correlations (cross-loadings), after signs.
    pub cross: DMatrix<f64>,
    /// Per-indicator loadings (PLSc-corrected when consistent).
    pub loadings: Vec<f64>,
    /// J×J construct correlations (disattenuated when consistent), after signs.
    pub r: DMatrix<f64>,
    /// J×J path matrix, `b[(i, j)]` = path i → j.
    pub b: DMatrix<f64>,
    /// R² per construct (NaN never: `None` for exogenous).
    pub r2: Vec<Option<f64>>,
    /// ρ_A per construct (1 for single-item and Mode B blocks).
    pub rho_a: Vec<f64>,
    pub iterations: usize,
    pub converged: bool,
    pub last_change: f64,
}

impl Core {
    /// Weights with the score signs applied (scores = Z · this).
    pub(crate) fn w_signed(&self) -> DMatrix<f64> {
        let mut w = self.w.clone();
        for (j, s) in self.signs.iter().enumerate() {
            if *s < 0.0 {
                w.column_mut(j).neg_mut();
            }
        }
        w
    }
}

fn sub_block(s: &DMatrix<f64>, r: &Range<usize>) -> DMatrix<f64> {
    s.view((r.start, r.start), (r.len(), r.len())).into_owned()
}

fn sub_matrix(m: &DMatrix<f64>, rows: &[usize], cols: &[usize]) -> DMatrix<f64> {
    DMatrix::from_fn(rows.len(), cols.len(), |a, b| m[(rows[a], cols[b])])
}

/// Regression of `target` on `preds` using a correlation matrix; `None` when singular.
pub(crate) fn regress(r: &DMatrix<f64>, preds: &[usize], target: usize) -> Option<DVector<f64>> {
    let rpp = sub_matrix(r, preds, preds);
    let rpy = DVector::from_iterator(preds.len(), preds.iter().map(|&i| r[(i, target)]));
    if preds.len() == 1 {
        return Some(rpy);
    }
    linalg::solve_spd(&rpp, &rpy)
}

/// Runs the PLS iteration and the inner model on a correlation matrix.
/// `n` is the number of rows behind `s` (only plspm's stopping rule depends on it).
pub(crate) fn solve(s: &DMatrix<f64>, spec: &Spec, pls: &Pls, n: f64) -> Result<Core> {
    let p = spec.names.len();
    let jn = spec.n_lv();
    let sv = s.as_slice(); // column-major: S[k, l] = sv[k + p·l]
                           // Cholesky factors of the Mode B block correlation matrices.
    let mut chol: Vec<Option<DMatrix<f64>>> = Vec::with_capacity(jn);
    for (j, blk) in spec.blocks.iter().enumerate() {
        chol.push(if spec.modes[j] == Mode::B && blk.len() > 1 {
            Some(
                linalg::cholesky(&sub_block(s, blk)).ok_or_else(|| Error::Singular {
                    construct: spec.lv_names[j].clone(),
                    what: "Mode B block: its indicators are collinear".into(),
                })?,
            )
        } else {
            None
        });
    }
    // Scales a block's weights so that its composite has unit variance (vᵀ S_jj v = 1).
    let normalize = |v: &mut [f64], j: usize| -> Result<()> {
        let start = spec.blocks[j].start;
        let mut var = 0.0;
        for (a, va) in v.iter().enumerate() {
            for (b, vb) in v.iter().enumerate() {
                var += va * vb * sv[start + a + p * (start + b)];
            }
        }
        if !(var > 1e-300) || !var.is_finite() {
            return Err(Error::Singular {
                construct: spec.lv_names[j].clone(),
                what: "the outer weights vanish (inner proxy uncorrelated with the block)".into(),
            });
        }
        let f = var.sqrt();
        v.iter_mut().for_each(|x| *x /= f);
        Ok(())
    };
    // The weights are block-sparse: one value per indicator, in block order.
    let mut w = vec![1.0; p];
    for (j, blk) in spec.blocks.iter().enumerate() {
        normalize(&mut w[blk.clone()], j)?;
    }
    // plspm compares un-normalised updates; the first comparison is with the normalised start.
    // Its scores enter the update as `scale(Y) * sqrt((n-1)/n)` with population-standardised
    // data, which puts a factor (n−1)/n on the update (checked: without it its bootstrap runs
    // differ from ours by up to 3e-6, with it by 1e-14).
    let plspm_scale = (n - 1.0) / n;
    let mut u_old = w.clone();
    let mut u_new = vec![0.0; p];
    let mut c = vec![0.0; p * jn]; // C[k, j] = cov(x_k, y_j) = c[k + p·j]
    let mut r = DMatrix::<f64>::zeros(jn, jn);
    let mut e = DMatrix::<f64>::zeros(jn, jn);
    let mut v = Vec::with_capacity(p);
    let mut buf = RegressBuf::default();
    let mut iterations = 0;
    let mut converged = false;
    let mut last_change = f64::INFINITY;
    while iterations < pls.max_iterations {
        iterations += 1;
        for (j, blk) in spec.blocks.iter().enumerate() {
            let cj = &mut c[p * j..p * (j + 1)];
            cj.fill(0.0);
            for l in blk.clone() {
                let wl = w[l];
                for (ck, skl) in cj.iter_mut().zip(&sv[p * l..p * (l + 1)]) {
                    *ck += skl * wl;
                }
            }
        }
        for (i, blk) in spec.blocks.iter().enumerate() {
            for j in 0..jn {
                r[(i, j)] = blk.clone().map(|k| w[k] * c[k + p * j]).sum();
            }
        }
        inner_weights(&r, spec, pls.scheme, &mut e, &mut buf)?;
        let (mut max_change, mut sum_change): (f64, f64) = (0.0, 0.0);
        for (j, blk) in spec.blocks.iter().enumerate() {
            v.clear();
            v.extend(
                blk.clone()
                    .map(|k| (0..jn).map(|i| c[k + p * i] * e[(i, j)]).sum::<f64>()),
            );
            if let Some(l) = &chol[j] {
                linalg::cholesky_solve_in_place(l, &mut v);
            }
            for (k, x) in blk.clone().zip(&v) {
                u_new[k] = *x * plspm_scale;
            }
            if blk.len() == 1 {
                v[0] = 1.0; // a single indicator's weight is 1
            }
            normalize(&mut v, j)?;
            for (k, x) in blk.clone().zip(&v) {
                let d = (x - w[k]).abs();
                max_change = max_change.max(d);
                sum_change += d;
                w[k] = *x;
            }
        }
        let change = match pls.stop_rule {
            StopRule::MaxChange => max_change,
            StopRule::SumChange => sum_change,
            StopRule::PlspmSquared => {
                let d: f64 = u_old
                    .iter()
                    .zip(&u_new)
                    .map(|(a, b)| (a.abs() - b.abs()).powi(2))
                    .sum();
                std::mem::swap(&mut u_old, &mut u_new);
                d
            }
        };
        last_change = change;
        if change < pls.tolerance {
            converged = true;
            break;
        }
    }
    if !converged && !pls.accept_nonconverged {
        return Err(Error::NotConverged {
            iterations,
            last_change,
        });
    }
    let mut wm = DMatrix::<f64>::zeros(p, jn);
    for (j, blk) in spec.blocks.iter().enumerate() {
        for k in blk.clone() {
            wm[(k, j)] = w[k];
        }
    }
    finish(s, spec, pls, wm, iterations, converged, last_change)
}

/// Everything after the iteration: loadings, construct correlations, signs, ρ_A, PLSc, paths.
pub(crate) fn finish(
    s: &DMatrix<f64>,
    spec: &Spec,
    pls: &Pls,
    w: DMatrix<f64>,
    iterations: usize,
    converged: bool,
    last_change: f64,
) -> Result<Core> {
    let p = spec.names.len();
    let jn = spec.n_lv();
    // W is block-sparse (one block per column): S·W and Wᵀ(S·W) by blocks, without a GEMM's
    // packing on these small matrices.
    let mut cross = DMatrix::<f64>::zeros(p, jn);
    for (j, blk) in spec.blocks.iter().enumerate() {
        for l in blk.clone() {
            let wl = w[(l, j)];
            for k in 0..p {
                cross[(k, j)] += s[(k, l)] * wl;
            }
        }
    }
    let mut r = DMatrix::<f64>::zeros(jn, jn);
    for (i, blk) in spec.blocks.iter().enumerate() {
        for j in 0..jn {
            r[(i, j)] = blk.clone().map(|k| w[(k, i)] * cross[(k, j)]).sum();
        }
    }
    for j in 0..jn {
        r[(j, j)] = 1.0;
    }
    linalg::symmetrize(&mut r);
    // Score signs.
    let mut signs = vec![1.0; jn];
    if pls.sign_rule == SignRule::Plspm {
        for (j, blk) in spec.blocks.iter().enumerate() {
            let tally: f64 = blk.clone().map(|k| sign0(cross[(k, j)])).sum();
            if tally <= 0.0 {
                signs[j] = -1.0;
            }
        }
        for j in 0..jn {
            if signs[j] < 0.0 {
                cross.column_mut(j).neg_mut();
                for i in 0..jn {
                    if i != j {
                        r[(i, j)] = -r[(i, j)];
                        r[(j, i)] = -r[(j, i)];
                    }
                }
            }
        }
    }
    let mut loadings: Vec<f64> = (0..p).map(|k| cross[(k, spec.block_of(k))]).collect();
    // ρ_A (Dijkstra–Henseler) for Mode A multi-item blocks; 1 otherwise.
    let mut rho_a = vec![1.0; jn];
    for (j, blk) in spec.blocks.iter().enumerate() {
        if spec.modes[j] == Mode::A && blk.len() > 1 {
            let wj: Vec<f64> = blk.clone().map(|k| w[(k, j)]).collect();
            let (mut num, mut den) = (0.0, 0.0);
            for a in 0..wj.len() {
                for b in 0..wj.len() {
                    if a != b {
                        num += wj[a] * wj[b] * s[(blk.start + a, blk.start + b)];
                        den += (wj[a] * wj[b]).powi(2);
                    }
                }
            }
            let ww: f64 = wj.iter().map(|x| x * x).sum();
            // With a single non-zero weight the block acts as one indicator: ρ_A = 1 (seminr's
            // single-item convention) instead of 0/0.
            rho_a[j] = if den > 0.0 { ww * ww * num / den } else { 1.0 };
        }
    }
    if pls.consistent {
        let mut q = vec![1.0; jn];
        for (j, blk) in spec.blocks.iter().enumerate() {
            if spec.modes[j] == Mode::A && blk.len() > 1 {
                if !(rho_a[j] > 0.0) {
                    return Err(Error::Singular {
                        construct: spec.lv_names[j].clone(),
                        what: format!("PLSc needs rho_A > 0, got {}", rho_a[j]),
                    });
                }
                q[j] = rho_a[j].sqrt();
                let ww: f64 = blk.clone().map(|k| w[(k, j)] * w[(k, j)]).sum();
                let c = q[j] / ww;
                for k in blk.clone() {
                    loadings[k] = w[(k, j)] * c * signs[j];
                }
            }
        }
        for i in 0..jn {
            for j in 0..jn {
                if i != j {
                    r[(i, j)] /= q[i] * q[j];
                }
            }
        }
    }
    let (b, r2) = inner_model(&r, spec)?;
    Ok(Core {
        w,
        signs,
        cross,
        loadings,
        r,
        b,
        r2,
        rho_a,
        iterations,
        converged,
        last_change,
    })
}

fn sign0(x: f64) -> f64 {
    if x > 0.0 {
        1.0
    } else if x < 0.0 {
        -1.0
    } else {
        0.0
    }
}

/// Reusable buffers of the path scheme's regressions (no allocation per iteration).
#[derive(Default)]
struct RegressBuf {
    a: Vec<f64>,
    b: Vec<f64>,
}

impl RegressBuf {
    /// Coefficients of `target` on `preds` from the correlation matrix `r`, left in `self.b`;
    /// `false` when the predictors are collinear.
    fn regress(&mut self, r: &DMatrix<f64>, preds: &[usize], target: usize) -> bool {
        let k = preds.len();
        self.b.clear();
        self.b.extend(preds.iter().map(|&i| r[(i, target)]));
        if k == 1 {
            return true;
        }
        self.a.clear();
        for &c in preds {
            self.a.extend(preds.iter().map(|&rw| r[(rw, c)]));
        }
        linalg::solve_spd_in_place(&mut self.a, &mut self.b, k)
    }
}

/// `e[(i, j)]` = weight of construct i in the inner proxy of construct j.
fn inner_weights(
    r: &DMatrix<f64>,
    spec: &Spec,
    scheme: Scheme,
    e: &mut DMatrix<f64>,
    buf: &mut RegressBuf,
) -> Result<()> {
    e.fill(0.0);
    let jn = spec.n_lv();
    for j in 0..jn {
        if spec.preds[j].is_empty() && spec.succs[j].is_empty() {
            e[(j, j)] = 1.0; // a lone construct: its own proxy (first-component iteration)
            continue;
        }
        match scheme {
            Scheme::Centroid | Scheme::Factorial => {
                for &i in spec.preds[j].iter().chain(&spec.succs[j]) {
                    e[(i, j)] = if scheme == Scheme::Centroid {
                        sign0(r[(i, j)])
                    } else {
                        r[(i, j)]
                    };
                }
            }
            Scheme::Path => {
                let preds = &spec.preds[j];
                if !preds.is_empty() {
                    if !buf.regress(r, preds, j) {
                        return Err(Error::Singular {
                            construct: spec.lv_names[j].clone(),
                            what: "its predecessors are perfectly collinear (path scheme)".into(),
                        });
                    }
                    for (k, &i) in preds.iter().enumerate() {
                        e[(i, j)] = buf.b[k];
                    }
                }
                for &i in &spec.succs[j] {
                    e[(i, j)] = r[(i, j)];
                }
            }
        }
    }
    Ok(())
}

/// Paths by OLS on construct correlations, and R².
pub(crate) fn inner_model(
    r: &DMatrix<f64>,
    spec: &Spec,
) -> Result<(DMatrix<f64>, Vec<Option<f64>>)> {
    let jn = spec.n_lv();
    let mut b = DMatrix::<f64>::zeros(jn, jn);
    let mut r2 = vec![None; jn];
    for j in 0..jn {
        let preds = &spec.preds[j];
        if preds.is_empty() {
            continue;
        }
        let beta = regress(r, preds, j).ok_or_else(|| Error::Singular {
            construct: spec.lv_names[j].clone(),
            what: "its predictors are perfectly collinear".into(),
        })?;
        let mut v = 0.0;
        for (k, &i) in preds.iter().enumerate() {
            b[(i, j)] = beta[k];
            v += beta[k] * r[(i, j)];
        }
        r2[j] = Some(v);
    }
    Ok((b, r2))
}

/// Total effects `B + B² + …` of a recursive path matrix.
pub(crate) fn total_effects(b: &DMatrix<f64>) -> DMatrix<f64> {
    let mut total = b.clone();
    let mut pow = b.clone();
    for _ in 1..b.nrows() {
        pow = &pow * b;
        if pow.iter().all(|x| *x == 0.0) {
            break;
        }
        total += &pow;
    }
    total
}

/// An ordered list of named values; serializes as a JSON object in this order.
#[derive(Debug, Clone, PartialEq)]
pub struct Keyed<T>(pub Vec<(String, T)>);

impl<T> Keyed<T> {
    /// The value for `key`.
    pub fn get(&self, key: &str) -> Option<&T> {
        self.0.iter().find(|(k, _)| k == key).map(|x| &x.1)
    }
    /// Iterates over (name, value).
    pub fn iter(&self) -> impl Iterator<Item = (&str, &T)> {
        self.0.iter().map(|(k, v)| (k.as_str(), v))
    }
    /// Number of entries.
    pub fn len(&self) -> usize {
        self.0.len()
    }
    /// Whether there are no entries.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl<T> Default for Keyed<T> {
    fn default() -> Self {
        Keyed(Vec::new())
    }
}

impl<T: Serialize> Serialize for Keyed<T> {
    fn serialize<S: Serializer>(&self, ser: S) -> std::result::Result<S::Ok, S::Error> {
        let mut m = ser.serialize_map(Some(self.0.len()))?;
        for (k, v) in &self.0 {
            m.serialize_entry(k, v)?;
        }
        m.end()
    }
}

/// An ordered list of named numbers; serializes as a JSON object in this order.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Named(pub Vec<(String, f64)>);

impl Named {
    /// The value for `key`.
    pub fn get(&self, key: &str) -> Option<f64> {
        self.0.iter().find(|(k, _)| k == key).map(|x| x.1)
    }
    /// Iterates over (name, value).
    pub fn iter(&self) -> impl Iterator<Item = (&str, f64)> {
        self.0.iter().map(|(k, v)| (k.as_str(), *v))
    }
    /// Number of entries.
    pub fn len(&self) -> usize {
        self.0.len()
    }
    /// Whether there are no entries.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl Serialize for Named {
    fn serialize<S: Serializer>(&self, ser: S) -> std::result::Result<S::Ok, S::Error> {
        let mut m = ser.serialize_map(Some(self.0.len()))?;
        for (k, v) in &self.0 {
            m.serialize_entry(k, v)?;
        }
        m.end()
    }
}

/// A fitted PLS path model.
#[derive(Debug, Clone)]
pub struct Fit {
    pub(crate) model: Model,
    pub(crate) spec: Spec,
    pub(crate) settings: Pls,
    pub(crate) core: Core,
    /// Indicator correlation matrix.
    pub(crate) s: DMatrix<f64>,
    /// Moments of the model's columns, in block order.
    pub(crate) moments: Moments,
    /// The rows, for a fit of a survey.
    pub(crate) rows: Option<Rows>,
    pub(crate) means: Vec<f64>,
    pub(crate) sds: Vec<f64>,
    pub(crate) scales: Vec<(Scale, ScaleSource)>,
    pub(crate) n_file: usize,
    pub(crate) missing: Vec<(String, usize)>,
    pub(crate) n_missing_cells: usize,
    pub(crate) warnings: Vec<String>,
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
            })
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
        let t = total_effects(&self.core.b);
        Ok(t[(self.lv(from)?, self.lv(to)?)])
    }
    /// Indirect effect (total − direct) of `from` on `to`.
    pub fn indirect_effect(&self, from: &str, to: &str) -> Result<f64> {
        let (a, b) = (self.lv(from)?, self.lv(to)?);
        let t = total_effects(&self.core.b);
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
        let t = total_effects(&self.core.b);
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
