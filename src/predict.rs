//! PLSpredict: out-of-sample prediction of the endogenous constructs' items by k-fold
//! cross-validation (Shmueli et al. 2016, 2019).
//!
//! For each repetition the rows are shuffled (ChaCha8 stream `(seed, repetition)`) and split into
//! k folds. For each fold the model is estimated on the other folds; the held-out rows are
//! standardised with the *training* means and sds; construct scores of the held-out rows are
//! predicted from their antecedents — the direct antecedents' own composites
//! ([`Antecedents::Direct`], seminr's default) or the exogenous composites propagated through the
//! paths ([`Antecedents::Earliest`], cSEM) — and each reflective item of an endogenous construct
//! is predicted as `λ · ŷ`, back-transformed to the raw scale. The benchmark is a linear model
//! (with intercept) of each such item on the indicators of the same antecedents — the direct
//! antecedents' items for [`Antecedents::Direct`], the earliest (exogenous) antecedents' items for
//! [`Antecedents::Earliest`] — fitted on the same training rows (as seminr does). Errors are the raw (not centred) residuals, pooled over folds and
//! repetitions: RMSE, MAE, and `Q²_predict = 1 − Σ(y − ŷ_PLS)² / Σ(y − ȳ_train)²`.
//!
//! ```
//! use csindex::{predict::Predict, LoadOptions, Model, Pls, Survey};
//! let survey = Survey::from_csv_path("data/acsi_sample.csv", &LoadOptions::new()).unwrap();
//! let fit = Pls::new().fit(&Model::acsi(), &survey).unwrap();
//! let p = Predict::new().folds(10).repetitions(2).seed(1).run(&fit).unwrap();
//! let sat1 = p.items.iter().find(|i| i.indicator == "SAT1").unwrap();
//! assert!(sat1.q2_predict > 0.0);
//! ```

use crate::error::{Error, Result};
use crate::linalg;
use crate::moments::Moments;
use crate::pls::{self, Fit};
use crate::resample::{self, Stream};
use nalgebra::{DMatrix, DVector};
use rayon::prelude::*;
use serde::Serialize;

/// Which antecedents predict an endogenous construct.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Antecedents {
    /// Its direct predecessors' composites from the held-out rows' own items (seminr `predict_DA`;
    /// default).
    #[default]
    Direct,
    /// The exogenous composites, propagated through the paths (cSEM; seminr `predict_EA`).
    Earliest,
}

crate::options::flag_names!(Antecedents, "antecedents", Direct => "direct" | "da", Earliest => "earliest" | "ea");

/// PLSpredict settings. Consuming builder.
#[derive(Debug, Clone)]
#[must_use]
pub struct Predict {
    folds: usize,
    repetitions: usize,
    seed: u64,
    antecedents: Antecedents,
}

/// Out-of-sample errors of one item.
#[derive(Debug, Clone, Serialize)]
pub struct ItemPrediction {
    /// Indicator.
    pub indicator: String,
    /// Its (endogenous) construct.
    pub construct: String,
    /// PLS root mean squared error.
    pub pls_rmse: f64,
    /// PLS mean absolute error.
    pub pls_mae: f64,
    /// Linear-model benchmark RMSE.
    pub lm_rmse: f64,
    /// Linear-model benchmark MAE.
    pub lm_mae: f64,
    /// `1 − SSE_PLS / SSE_naive` (naive: the training mean).
    pub q2_predict: f64,
}

/// PLSpredict results.
#[derive(Debug, Clone, Serialize)]
pub struct PredictResult {
    /// Folds.
    pub folds: usize,
    /// Repetitions.
    pub repetitions: usize,
    /// Antecedent rule.
    pub antecedents: Antecedents,
    /// Per item of every endogenous Mode A construct.
    pub items: Vec<ItemPrediction>,
    /// Folds whose training estimate failed (left out of the errors).
    pub failed_folds: usize,
}

impl Default for Predict {
    fn default() -> Self {
        Predict {
            folds: 10,
            repetitions: 10,
            seed: 0,
            antecedents: Antecedents::Direct,
        }
    }
}

/// Squared and absolute errors of one fold: per item, (pls sq, pls abs, lm sq, lm abs, naive sq).
type FoldErrors = Vec<[f64; 5]>;

impl Predict {
    /// 10 folds, 10 repetitions, seed 0, direct antecedents.
    pub fn new() -> Predict {
        Predict::default()
    }
    /// Number of folds k (2 ≤ k ≤ n; k = n is leave-one-out).
    pub fn folds(mut self, k: usize) -> Self {
        self.folds = k;
        self
    }
    /// Number of repetitions with fresh fold assignments.
    pub fn repetitions(mut self, r: usize) -> Self {
        self.repetitions = r;
        self
    }
    /// Random seed of the fold assignments.
    pub fn seed(mut self, s: u64) -> Self {
        self.seed = s;
        self
    }
    /// Antecedent rule.
    pub fn antecedents(mut self, a: Antecedents) -> Self {
        self.antecedents = a;
        self
    }

    /// Runs PLSpredict on the rows and settings of a fit.
    pub fn run(&self, fit: &Fit) -> Result<PredictResult> {
        fit.refuse_ordinal("PLSpredict")?;
        let n = fit.n_used();
        if self.folds < 2 || self.folds > n {
            return Err(Error::invalid(
                "folds",
                format!("{} (need 2 ≤ k ≤ n = {n})", self.folds),
            ));
        }
        if self.repetitions == 0 {
            return Err(Error::invalid("repetitions", "must be at least 1"));
        }
        let sp = &fit.spec();
        let targets: Vec<(usize, usize)> = (0..sp.n_lv())
            .filter(|&j| !sp.preds[j].is_empty() && sp.modes[j].has_mode_a_weights())
            .flat_map(|j| sp.blocks[j].clone().map(move |k| (k, j)))
            .collect();
        if targets.is_empty() {
            return Err(Error::invalid(
                "predict",
                "the model has no endogenous Mode A construct",
            ));
        }
        // Benchmark regressors per construct: the items of its direct or earliest antecedents.
        let regressors: Vec<Vec<usize>> = (0..sp.n_lv())
            .map(|j| {
                let sources: Vec<usize> = match self.antecedents {
                    Antecedents::Direct => sp.preds[j].clone(),
                    Antecedents::Earliest => (0..sp.n_lv())
                        .filter(|&i| i != j && sp.preds[i].is_empty() && sp.graph.reaches(i, j))
                        .collect(),
                };
                sources.iter().flat_map(|&i| sp.blocks[i].clone()).collect()
            })
            .collect();
        let jobs: Vec<(usize, usize)> = (0..self.repetitions)
            .flat_map(|r| (0..self.folds).map(move |f| (r, f)))
            .collect();
        let assignments: Vec<Vec<usize>> = (0..self.repetitions)
            .map(|r| {
                let mut order: Vec<usize> = (0..n).collect();
                let mut rng = resample::rng(self.seed, Stream::Folds(r as u64));
                resample::shuffle(&mut rng, &mut order);
                let mut fold = vec![0; n];
                for (pos, &row) in order.iter().enumerate() {
                    fold[row] = pos % self.folds;
                }
                fold
            })
            .collect();
        let rows = fit.rows("PLSpredict")?;
        let total = Moments::complete(
            &rows.raw,
            rows.weights.as_deref(),
            &sp.names,
            fit.moments().weights(),
        )?;
        let results: Vec<Option<(FoldErrors, f64)>> = jobs
            .par_iter()
            .map(|&(r, f)| self.fold(fit, &total, &assignments[r], f, &targets, &regressors))
            .collect();
        let mut sums = vec![[0.0; 5]; targets.len()];
        let mut predictions = 0.0;
        let mut failed = 0;
        for res in results {
            match res {
                Some((errs, n_test)) => {
                    for (s, e) in sums.iter_mut().zip(&errs) {
                        for q in 0..5 {
                            s[q] += e[q];
                        }
                    }
                    predictions += n_test;
                }
                None => failed += 1,
            }
        }
        if !(predictions > 0.0) {
            return Err(Error::Resampling {
                message: "no training fold could be estimated".into(),
            });
        }
        let preds = predictions;
        let items = targets
            .iter()
            .zip(&sums)
            .map(|(&(k, j), s)| ItemPrediction {
                indicator: sp.names[k].clone(),
                construct: sp.lv_names[j].clone(),
                pls_rmse: (s[0] / preds).sqrt(),
                pls_mae: s[1] / preds,
                lm_rmse: (s[2] / preds).sqrt(),
                lm_mae: s[3] / preds,
                q2_predict: if s[4] > 0.0 { 1.0 - s[0] / s[4] } else { 0.0 },
            })
            .collect();
        Ok(PredictResult {
            folds: self.folds,
            repetitions: self.repetitions,
            antecedents: self.antecedents,
            items,
            failed_folds: failed,
        })
    }

    /// Errors of one fold (weighted by the row weights), and the fold's weight total; `None`
    /// when its training estimate fails. The training moments are the total minus the fold's:
    /// no rows are copied.
    fn fold(
        &self,
        fit: &Fit,
        total: &Moments,
        fold: &[usize],
        f: usize,
        targets: &[(usize, usize)],
        regressors: &[Vec<usize>],
    ) -> Option<(FoldErrors, f64)> {
        let sp = &fit.spec();
        let rows = fit.rows("PLSpredict").ok()?;
        let raw = &rows.raw;
        let wt = |i: usize| rows.weights.as_ref().map_or(1.0, |w| w[i]);
        let test: Vec<usize> = (0..fit.n_used()).filter(|&i| fold[i] == f).collect();
        let cols: Vec<&[f64]> = raw.as_slice().chunks_exact(raw.nrows()).collect();
        let held_out = total.subset_rows(&cols, &test, rows.weights.as_deref());
        let train = total.without(&held_out).ok()?;
        let pls::MomentEstimate {
            core,
            means,
            sds,
            s,
        } = pls::estimate_moments(&train, sp, fit.settings()).ok()?;
        let w = core.w_signed();
        let b = &core.b;
        let order = fit.spec().graph.order().to_vec();
        // LM benchmark: each target item on its construct's regressor items, with intercept,
        // from the training covariances: β = Σxx⁻¹ Σxy, intercept ȳ − βᵀx̄.
        let lm_coef: Vec<(f64, DVector<f64>)> = targets
            .iter()
            .map(|&(k, j)| {
                let xs = &regressors[j];
                let cov = |a: usize, c: usize| s[(a, c)] * sds[a] * sds[c];
                let sxx = DMatrix::from_fn(xs.len(), xs.len(), |a, c| cov(xs[a], xs[c]));
                let sxy = DVector::from_iterator(xs.len(), xs.iter().map(|&x| cov(x, k)));
                let beta = linalg::solve_spd(&sxx, &sxy)?;
                let icpt = means[k]
                    - xs.iter()
                        .zip(beta.iter())
                        .map(|(&x, b)| b * means[x])
                        .sum::<f64>();
                Some((icpt, beta))
            })
            .collect::<Option<Vec<_>>>()?;
        let mut out = vec![[0.0; 5]; targets.len()];
        let mut eta = vec![0.0; sp.n_lv()];
        let mut pred = vec![0.0; sp.n_lv()];
        let mut weight = 0.0;
        for &i in &test {
            let wi = wt(i);
            weight += wi;
            let z = |k: usize| (raw[(i, k)] - means[k]) / sds[k];
            for j in 0..sp.n_lv() {
                eta[j] = sp.blocks[j].clone().map(|k| w[(k, j)] * z(k)).sum();
            }
            for &j in &order {
                pred[j] = if sp.preds[j].is_empty() {
                    eta[j]
                } else {
                    let src = |a: usize| match self.antecedents {
                        Antecedents::Direct => eta[a],
                        Antecedents::Earliest => pred[a],
                    };
                    sp.preds[j].iter().map(|&a| b[(a, j)] * src(a)).sum()
                };
            }
            for (t, &(k, j)) in targets.iter().enumerate() {
                let y = raw[(i, k)];
                let pls_hat = core.loadings[k] * pred[j] * sds[k] + means[k];
                let (icpt, beta) = &lm_coef[t];
                let lm_hat = icpt
                    + regressors[j]
                        .iter()
                        .zip(beta.iter())
                        .map(|(&x, c)| c * raw[(i, x)])
                        .sum::<f64>();
                let (e1, e2) = (y - pls_hat, y - lm_hat);
                let naive = y - means[k];
                out[t][0] += wi * e1 * e1;
                out[t][1] += wi * e1.abs();
                out[t][2] += wi * e2 * e2;
                out[t][3] += wi * e2.abs();
                out[t][4] += wi * naive * naive;
            }
        }
        Some((out, weight))
    }
}

impl PredictResult {
    /// A text table: per item, PLS and LM errors and Q²_predict; a `<` marks items where PLS
    /// predicts better than the linear model (lower RMSE).
    pub fn to_text(&self) -> String {
        self.table().text()
    }

    /// The table of [`PredictResult::to_text`].
    pub(crate) fn table(&self) -> crate::render::table::Table {
        let mut t = crate::render::table::Table::new(
            &format!(
                "PLSpredict ({} folds, {} repetitions, {:?} antecedents)",
                self.folds, self.repetitions, self.antecedents
            ),
            &[
                "Construct",
                "Indicator",
                "PLS RMSE",
                "LM RMSE",
                "",
                "PLS MAE",
                "LM MAE",
                "Q2_predict",
            ],
        );
        t.left = 2;
        for i in &self.items {
            t.row(vec![
                i.construct.clone(),
                i.indicator.clone(),
                format!("{:.4}", i.pls_rmse),
                format!("{:.4}", i.lm_rmse),
                if i.pls_rmse < i.lm_rmse {
                    "<".into()
                } else {
                    String::new()
                },
                format!("{:.4}", i.pls_mae),
                format!("{:.4}", i.lm_mae),
                format!("{:.3}", i.q2_predict),
            ]);
        }
        let mut note =
            "Q2_predict > 0: PLS beats the training mean; '<': PLS beats the linear model on RMSE"
                .to_string();
        if self.failed_folds > 0 {
            note.push_str(&format!(
                "; {} training folds could not be estimated and were left out",
                self.failed_folds
            ));
        }
        t.note = Some(note);
        t
    }
}
