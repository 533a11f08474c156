//! Bootstrap inference: parallel, deterministic, and fast.
//!
//! Replicate `b` draws its n row indices from its own ChaCha8 stream `(seed, b)` with Lemire's
//! unbiased multiply-and-reject sampler, so it depends on nothing but `(seed, b)`: the results
//! are bit-identical on any number of threads. Replicates run in parallel in batches of 64 and
//! are collected in order; every reduction is sequential.
//!
//! A replicate never copies the data: it needs only the weighted moments of the rows, and the
//! moments of 64 replicates come from one matrix product (the table of each row's products
//! `y_a y_b` and values `y_a`, times the 64 columns of resample counts). Above 32 MB of table
//! (very large n) a per-replicate gathered Gram product is used instead. Then each replicate is
//! the small PLS iteration on its p×p correlation matrix.
//!
//! ```
//! use csindex::{bootstrap::Bootstrap, LoadOptions, Model, Pls, Survey};
//! let survey = Survey::from_csv_path("data/acsi_sample.csv", &LoadOptions::new()).unwrap();
//! let fit = Pls::new().fit(&Model::acsi(), &survey).unwrap();
//! let boot = Bootstrap::new(200).seed(7).run(&fit).unwrap();
//! let p = boot.path("QUAL", "SAT").unwrap();
//! assert!(p.se > 0.0 && p.ci_percentile.unwrap().contains(p.estimate));
//! ```

use crate::assess;
use crate::error::{Error, Result};
use crate::index;
use crate::interval::Interval;
use crate::moments::Moments;
use crate::pls::{self, Core, Fit, Spec};
use crate::resample::{self, RowTable};
use crate::stats;
use nalgebra::DMatrix;
use rayon::prelude::*;
use serde::Serialize;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

/// The most rows for which BCa intervals of a derived fit (higher-order constructs,
/// interaction terms, OrdPLS) are computed: their jackknife re-runs every stage once per row.
pub const REFIT_JACKKNIFE_MAX_ROWS: usize = 2000;

/// Sign-change correction of replicate estimates (cSEM's names).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SignChange {
    /// No correction (default).
    #[default]
    None,
    /// Flip every weight, loading, path and effect whose sign differs from the original estimate.
    Individual,
    /// Flip a construct's weights when `|Σ(λ − λ*)| > |Σ(λ + λ*)|` (Tenenhaus et al. 2005), then
    /// recompute that replicate's loadings, construct correlations and paths. It cannot see a
    /// flip of a block whose loadings sum to about 0 (mixed-sign blocks); use `Individual` there.
    ConstructLevel,
}

crate::options::flag_names!(SignChange, "sign change", None => "none", Individual => "individual", ConstructLevel => "construct" | "construct_level");

/// What to do with a degenerate replicate (zero-variance item, singular block, no convergence).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum OnDegenerate {
    /// Count it by kind and leave it out (default).
    #[default]
    Drop,
    /// Stop with [`Error::Resampling`] naming the replicate and the reason.
    Fail,
}

crate::options::flag_names!(OnDegenerate, "on degenerate", Drop => "drop", Fail => "fail");

/// Divisor of the bootstrap standard error.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SeDivisor {
    /// B − 1 (R, seminr, cSEM; default).
    #[default]
    BMinus1,
    /// B (SmartPLS, cSEM issue #306).
    B,
}

crate::options::flag_names!(SeDivisor, "SE divisor", BMinus1 => "b_minus_1" | "b-1", B => "b");

/// Kind of a bootstrapped statistic.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StatKind {
    /// Outer weight, by indicator.
    Weight,
    /// Loading, by indicator.
    Loading,
    /// Path, `"FROM->TO"`.
    Path,
    /// R², by construct.
    R2,
    /// Total effect, `"FROM->TO"`.
    TotalEffect,
    /// Specific indirect effect, `"A->M->B"`.
    IndirectEffect,
    /// HTMT (seminr), `"A~B"`.
    Htmt,
    /// 0-100 index (Fornell), by construct.
    Index,
    /// Simple slope of an interaction's predictor on a target at a level of the moderator
    /// (see [`Fit::simple_slopes`]), named `"IV->TARGET@MODERATOR=-1"`, `=0` and `=+1` (SD).
    SimpleSlope,
}

crate::options::flag_names!(StatKind, "statistic", Weight => "weight", Loading => "loading", Path => "path", R2 => "r2", TotalEffect => "total_effect", IndirectEffect => "indirect_effect", Htmt => "htmt", Index => "index", SimpleSlope => "simple_slope");

/// Progress callback: `(replicates done, total)`, called from worker threads.
pub type Progress = Arc<dyn Fn(usize, usize) + Send + Sync>;

/// Bootstrap settings. Consuming builder; [`Bootstrap::run`] runs it on a fit.
#[derive(Clone)]
#[must_use]
pub struct Bootstrap {
    resamples: usize,
    seed: u64,
    threads: Option<usize>,
    level: f64,
    se_divisor: SeDivisor,
    sign_change: SignChange,
    on_degenerate: OnDegenerate,
    indices: Option<Vec<Vec<usize>>>,
    bca: bool,
    progress: Option<Progress>,
}

impl std::fmt::Debug for Bootstrap {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Bootstrap")
            .field("resamples", &self.resamples)
            .field("seed", &self.seed)
            .field("threads", &self.threads)
            .field("level", &self.level)
            .field("sign_change", &self.sign_change)
            .finish()
    }
}

impl Bootstrap {
    /// `resamples` replicates; seed 0, all cores, 95 % intervals, BCa included, no sign change.
    pub fn new(resamples: usize) -> Bootstrap {
        Bootstrap {
            resamples,
            seed: 0,
            threads: None,
            level: 0.95,
            se_divisor: SeDivisor::BMinus1,
            sign_change: SignChange::None,
            on_degenerate: OnDegenerate::Drop,
            indices: None,
            bca: true,
            progress: None,
        }
    }
    /// Random seed.
    pub fn seed(mut self, seed: u64) -> Self {
        self.seed = seed;
        self
    }
    /// Number of worker threads (default: rayon's global pool). Results do not depend on it.
    pub fn threads(mut self, t: usize) -> Self {
        self.threads = Some(t);
        self
    }
    /// Confidence level of the intervals, in (0, 1).
    pub fn level(mut self, level: f64) -> Self {
        self.level = level;
        self
    }
    /// SE divisor.
    pub fn se_divisor(mut self, d: SeDivisor) -> Self {
        self.se_divisor = d;
        self
    }
    /// Sign-change correction.
    pub fn sign_change(mut self, s: SignChange) -> Self {
        self.sign_change = s;
        self
    }
    /// Degenerate-replicate policy.
    pub fn on_degenerate(mut self, d: OnDegenerate) -> Self {
        self.on_degenerate = d;
        self
    }
    /// Whether to compute BCa intervals (needs a jackknife: n extra small fits).
    pub fn bca(mut self, yes: bool) -> Self {
        self.bca = yes;
        self
    }
    /// Uses these resamples instead of random ones: each row is a list of 0-based row indices
    /// into the rows the fit used. The number of resamples is then the number of rows.
    pub fn resample_indices(mut self, rows: Vec<Vec<usize>>) -> Self {
        self.resamples = rows.len();
        self.indices = Some(rows);
        self
    }
    /// Reads resamples from a CSV file without header: one resample per line, 0-based indices.
    ///
    /// # Errors
    /// [`Error::Io`] naming the file; those of [`Bootstrap::resample_text`].
    pub fn resample_file(self, path: impl AsRef<std::path::Path>) -> Result<Self> {
        let path = path.as_ref();
        let text = std::fs::read_to_string(path).map_err(|e| Error::Io {
            path: path.display().to_string(),
            source: e,
        })?;
        let rows = parse_resamples(&text, &path.display().to_string())?;
        Ok(self.resample_indices(rows))
    }
    /// Resamples from text in the form of [`Bootstrap::resample_file`]: one resample per
    /// line, 0-based row indices separated by commas, semicolons, tabs or spaces; blank lines
    /// are skipped. The indices are checked against the rows of the fit when it runs.
    ///
    /// # Errors
    /// [`Error::NonNumeric`] naming the line and position of a cell that is not an index.
    pub fn resample_text(self, text: &str) -> Result<Self> {
        let rows = parse_resamples(text, "<text>")?;
        Ok(self.resample_indices(rows))
    }
    /// A callback told of progress.
    pub fn progress(mut self, f: impl Fn(usize, usize) + Send + Sync + 'static) -> Self {
        self.progress = Some(Arc::new(f));
        self
    }

    /// Runs the bootstrap on the rows and settings of a fit.
    ///
    /// A derived fit (higher-order constructs, interaction terms, OrdPLS) is resampled by
    /// running every stage again on each replicate's rows (the same rows as for a plain fit
    /// with the same seed): its derived indicators (stage-one scores, products) and its
    /// polychoric correlations are rebuilt in every resample. Its statistics add the simple
    /// slopes of interaction terms ([`StatKind::SimpleSlope`]); its BCa intervals need a
    /// jackknife of every stage and are computed up to [`REFIT_JACKKNIFE_MAX_ROWS`] rows.
    ///
    /// # Errors
    /// [`Error::InvalidArgument`] for fewer than 2 or too many resamples, a level outside
    /// (0, 1), supplied resamples naming rows the fit did not use, no threads, or the
    /// construct-level sign correction on a derived fit; [`Error::NeedsRows`] for a fit from
    /// moments; [`Error::Resampling`] when fewer than 2 replicates are usable (or the first
    /// degenerate one under [`OnDegenerate::Fail`]).
    pub fn run(&self, fit: &Fit) -> Result<BootResult> {
        if fit.refit().is_none() {
            fit.refuse_ordinal("the bootstrap")?;
        } else if self.sign_change == SignChange::ConstructLevel {
            return Err(Error::invalid(
                "sign_change",
                "the construct-level correction is not available for a fit whose stages are re-run in each resample (higher-order constructs, interaction terms, OrdPLS): use individual",
            ));
        }
        if self.resamples > resample::MAX_REPLICATES {
            return Err(Error::invalid(
                "resamples",
                format!("{} (at most {})", self.resamples, resample::MAX_REPLICATES),
            ));
        }
        if self.resamples < 2 {
            return Err(Error::invalid(
                "resamples",
                format!("{} (need at least 2)", self.resamples),
            ));
        }
        if !(self.level > 0.0 && self.level < 1.0) {
            return Err(Error::invalid(
                "level",
                format!("{} (need 0 < level < 1)", self.level),
            ));
        }
        let n = fit.n_used();
        if let Some(rows) = &self.indices {
            for (b, r) in rows.iter().enumerate() {
                if r.len() < 2 {
                    return Err(Error::invalid(
                        "resample_indices",
                        format!("resample {} has {} rows", b + 1, r.len()),
                    ));
                }
                if let Some(bad) = r.iter().find(|&&i| i >= n) {
                    return Err(Error::invalid(
                        "resample_indices",
                        format!(
                            "resample {} names row {bad}, but the fit used {n} rows (0-based)",
                            b + 1
                        ),
                    ));
                }
            }
        }
        match self.threads {
            Some(0) => Err(Error::invalid("threads", "must be at least 1")),
            Some(t) => rayon::ThreadPoolBuilder::new()
                .num_threads(t)
                .build()
                .map_err(|e| Error::invalid("threads", e.to_string()))?
                .install(|| self.run_inner(fit)),
            None => self.run_inner(fit),
        }
    }

    /// The one-pass Poisson bootstrap of a fit from streamed moments that carry replicates
    /// (see [`Stream::poisson_bootstrap`](crate::stream::Stream::poisson_bootstrap)).
    ///
    /// # Errors
    /// [`Error::NeedsRows`] when the fit's moments carry no replicates;
    /// [`Error::InvalidArgument`] when their number differs from the resamples asked, or for
    /// supplied resamples; [`Error::Resampling`] as [`Bootstrap::run`]. BCa intervals are not
    /// computed (they need a jackknife of the rows): `ci_bca` is `None`.
    pub fn run_poisson(&self, fit: &Fit) -> Result<BootResult> {
        let reps = fit.moments().replicate_moments();
        if reps.is_empty() {
            return Err(Error::NeedsRows {
                what: "the bootstrap".into(),
            });
        }
        if reps.len() != self.resamples {
            return Err(Error::invalid(
                "resamples",
                format!(
                    "{} asked, but the moments carry {} Poisson replicates",
                    self.resamples,
                    reps.len()
                ),
            ));
        }
        if self.indices.is_some() {
            return Err(Error::invalid(
                "resample_indices",
                "supplied resamples need the rows: not available from the one-pass bootstrap",
            ));
        }
        self.check_level()?;
        let engine = Engine::new(fit, None, self.sign_change)?;
        let b_total = reps.len();
        let done = AtomicUsize::new(0);
        let results: Vec<std::result::Result<Vec<f64>, Degenerate>> = reps
            .par_iter()
            .map(|m| {
                let r = engine.replicate(m);
                let d = done.fetch_add(1, Ordering::Relaxed) + 1;
                if let Some(p) = &self.progress {
                    p(d, b_total);
                }
                r
            })
            .collect();
        let seed = fit.moments().replicate_seed();
        self.summarize_all(&engine, fit, results, None, BootMethod::Poisson, seed)
    }

    fn check_level(&self) -> Result<()> {
        if !(self.level > 0.0 && self.level < 1.0) {
            return Err(Error::invalid(
                "level",
                format!("{} (need 0 < level < 1)", self.level),
            ));
        }
        Ok(())
    }

    fn run_inner(&self, fit: &Fit) -> Result<BootResult> {
        if let Some(refit) = fit.refit() {
            return self.run_refit(fit, refit);
        }
        let rows = fit.rows("the bootstrap")?;
        let engine = Engine::new(fit, Some(rows), self.sign_change)?;
        let b_total = self.resamples;
        let n = fit.n_used();
        let done = AtomicUsize::new(0);
        let Some(table) = &engine.table else {
            return Err(Error::NeedsRows {
                what: "the bootstrap".into(),
            });
        };
        let results: Vec<std::result::Result<Vec<f64>, Degenerate>> = table.map(
            b_total,
            |b| self.counts(b, n),
            |_, m| engine.replicate(&m),
            |k| {
                let d = done.fetch_add(k, Ordering::Relaxed) + k;
                if let Some(p) = &self.progress {
                    p(d, b_total);
                }
            },
        );
        let jack = if self.bca {
            Some(engine.jackknife(rows))
        } else {
            None
        };
        let seed = if self.indices.is_some() {
            None
        } else {
            Some(self.seed)
        };
        self.summarize_all(&engine, fit, results, jack, BootMethod::Ordinary, seed)
    }

    /// The bootstrap of a derived fit: each replicate draws its rows as [`Bootstrap::run`]
    /// does (the same counts for the same seed) and runs every stage again on them.
    fn run_refit(&self, fit: &Fit, refit: &pls::Refit) -> Result<BootResult> {
        let engine = Engine::new(fit, None, self.sign_change)?;
        let used = fit.rows_used()?;
        let n = used.len();
        let b_total = self.resamples;
        let done = AtomicUsize::new(0);
        let results: Vec<std::result::Result<Vec<f64>, Degenerate>> = (0..b_total)
            .into_par_iter()
            .map(|b| {
                let counts = self.counts(b, n);
                let mut rows = Vec::with_capacity(n);
                for (i, &c) in counts.iter().enumerate() {
                    for _ in 0..c as usize {
                        rows.push(used[i]);
                    }
                }
                let r = engine.replicate_refit(refit, &rows);
                let d = done.fetch_add(1, Ordering::Relaxed) + 1;
                if let Some(p) = &self.progress {
                    p(d, b_total);
                }
                r
            })
            .collect();
        // BCa's jackknife re-runs every stage once per row: done up to
        // REFIT_JACKKNIFE_MAX_ROWS rows (`ci_bca` is `None` above).
        let jack = (self.bca && n <= REFIT_JACKKNIFE_MAX_ROWS).then(|| {
            (0..n)
                .into_par_iter()
                .map(|i| {
                    let rows: Vec<usize> = used
                        .iter()
                        .enumerate()
                        .filter(|&(k, _)| k != i)
                        .map(|(_, &r)| r)
                        .collect();
                    engine.replicate_refit(refit, &rows).ok()
                })
                .collect()
        });
        let seed = self.indices.is_none().then_some(self.seed);
        self.summarize_all(&engine, fit, results, jack, BootMethod::Ordinary, seed)
    }

    /// Summaries of every statistic from the replicates' results.
    fn summarize_all(
        &self,
        engine: &Engine,
        fit: &Fit,
        results: Vec<std::result::Result<Vec<f64>, Degenerate>>,
        jack: Option<Vec<Option<Vec<f64>>>>,
        method: BootMethod,
        seed: Option<u64>,
    ) -> Result<BootResult> {
        let b_total = results.len();
        let mut draws: Vec<Vec<f64>> = Vec::with_capacity(b_total);
        let mut degenerate = DegenerateCounts::default();
        for (b, r) in results.into_iter().enumerate() {
            match r {
                Ok(v) => draws.push(v),
                Err(kind) => {
                    if self.on_degenerate == OnDegenerate::Fail {
                        return Err(Error::Resampling {
                            message: format!(
                                "replicate {} (seed {}, stream {b}) is degenerate: {}",
                                b + 1,
                                self.seed,
                                kind.describe()
                            ),
                        });
                    }
                    degenerate.add(kind);
                }
            }
        }
        if draws.len() < 2 {
            return Err(Error::Resampling {
                message: format!(
                    "only {} of {b_total} replicates were usable ({degenerate:?})",
                    draws.len()
                ),
            });
        }
        let used = draws.len();
        // The critical values are the same for every statistic: computed once.
        let alpha = 1.0 - self.level;
        let df = fit.n() - 1.0;
        let crit = Critical {
            df,
            z: stats::normal_quantile(1.0 - alpha / 2.0),
            t: stats::t_quantile(1.0 - alpha / 2.0, df),
        };
        // Each statistic's summary is independent of the others: in parallel, collected in
        // order.
        let statistics = (0..engine.labels.len())
            .into_par_iter()
            .map(|s| self.summarize(engine, s, &draws, jack.as_ref(), &crit))
            .collect();
        Ok(BootResult {
            method,
            resamples: b_total,
            used,
            degenerate,
            level: self.level,
            seed,
            sign_change: self.sign_change,
            statistics,
            draws,
            labels: engine.labels.clone(),
        })
    }

    fn counts(&self, b: usize, n: usize) -> Vec<f64> {
        match &self.indices {
            Some(rows) => {
                let mut c = vec![0.0; n];
                for &i in &rows[b] {
                    c[i] += 1.0;
                }
                c
            }
            None => resample::bootstrap_counts(self.seed, b, n),
        }
    }

    fn summarize(
        &self,
        e: &Engine,
        s: usize,
        draws: &[Vec<f64>],
        jack: Option<&Vec<Option<Vec<f64>>>>,
        crit: &Critical,
    ) -> BootStat {
        let (kind, name) = e.labels[s].clone();
        let est = e.original[s];
        let mut v: Vec<f64> = draws
            .iter()
            .map(|d| d[s])
            .filter(|x| x.is_finite())
            .collect();
        let b = v.len();
        let alpha = 1.0 - self.level;
        let mut st = BootStat {
            kind,
            name,
            estimate: est,
            mean: None,
            se: 0.0,
            t: None,
            p: None,
            ci_percentile: None,
            ci_normal: None,
            ci_t: None,
            ci_bca: None,
            draws_used: b,
        };
        if b < 2 {
            return st;
        }
        let (m, sd) = stats::mean_sd(&v).unwrap_or((est, 0.0));
        let se = match self.se_divisor {
            SeDivisor::BMinus1 => sd,
            SeDivisor::B => sd * ((b as f64 - 1.0) / b as f64).sqrt(),
        };
        st.mean = Some(m);
        st.se = se;
        let df = crit.df;
        if se > 0.0 {
            let t = est / se;
            st.t = Some(t);
            st.p = stats::t_two_sided_p(t, df);
        }
        // Quantiles by selection, after the mean and sd (computed in replicate order).
        if let (Some(lo), Some(hi)) = (
            stats::quantile7_select(&mut v, alpha / 2.0),
            stats::quantile7_select(&mut v, 1.0 - alpha / 2.0),
        ) {
            st.ci_percentile = Some(Interval::new(lo, hi));
        }
        if let Some(z) = crit.z {
            st.ci_normal = Some(Interval::new(est - z * se, est + z * se));
        }
        if let Some(tq) = crit.t {
            st.ci_t = Some(Interval::new(est - tq * se, est + tq * se));
        }
        if let Some(jk) = jack {
            st.ci_bca = bca(
                &mut v,
                est,
                jk.iter()
                    .filter_map(|r| r.as_ref().map(|x| x[s]))
                    .filter(|x| x.is_finite()),
                alpha,
            );
        }
        st
    }
}

/// Critical values shared by every statistic of a run.
struct Critical {
    /// Degrees of freedom of t (n − 1).
    df: f64,
    /// Normal quantile 1 − α/2.
    z: Option<f64>,
    /// t quantile 1 − α/2 with `df` degrees of freedom.
    t: Option<f64>,
}

/// BCa interval (z0 from the share of draws ≤ θ̂; acceleration from the jackknife, centred on θ̂
/// as cSEM does); `None` when z0 is infinite or the jackknife is flat.
fn bca(
    draws: &mut [f64],
    est: f64,
    jack: impl Iterator<Item = f64>,
    alpha: f64,
) -> Option<Interval> {
    let b = draws.len() as f64;
    let below = draws.iter().filter(|x| **x <= est).count() as f64;
    let z0 = stats::normal_quantile(below / b)?;
    let (mut s2, mut s3) = (0.0, 0.0);
    for x in jack {
        let d = est - x;
        s2 += d * d;
        s3 += d * d * d;
    }
    if !(s2 > 0.0) {
        return None;
    }
    let a = s3 / (6.0 * s2.powf(1.5));
    let adj = |p: f64| -> Option<f64> {
        let zp = stats::normal_quantile(p)?;
        let num = z0 + zp;
        let den = 1.0 - a * num;
        if !(den > 0.0) {
            return None;
        }
        stats::normal_cdf(z0 + num / den)
    };
    let lo = stats::quantile7_select(draws, adj(alpha / 2.0)?)?;
    let hi = stats::quantile7_select(draws, adj(1.0 - alpha / 2.0)?)?;
    Some(Interval::new(lo, hi))
}

/// Why a replicate was left out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Degenerate {
    ZeroVariance,
    Singular,
    NotConverged,
    Other,
}

impl Degenerate {
    fn describe(self) -> &'static str {
        match self {
            Degenerate::ZeroVariance => "an indicator has zero variance in the resample",
            Degenerate::Singular => "a singular system (collinear Mode B block or predictors)",
            Degenerate::NotConverged => "the PLS iteration did not converge",
            Degenerate::Other => "the estimate could not be computed",
        }
    }
    fn from_error(e: &Error) -> Degenerate {
        match e {
            Error::ZeroVariance { .. } => Degenerate::ZeroVariance,
            Error::Singular { .. } => Degenerate::Singular,
            Error::NotConverged { .. } => Degenerate::NotConverged,
            _ => Degenerate::Other,
        }
    }
}

/// Degenerate replicates left out, by kind.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct DegenerateCounts {
    /// A resample in which an indicator does not vary.
    pub zero_variance: usize,
    /// Singular Mode B block or collinear predictors.
    pub singular: usize,
    /// No convergence.
    pub not_converged: usize,
    /// Anything else.
    pub other: usize,
}

impl DegenerateCounts {
    fn add(&mut self, k: Degenerate) {
        match k {
            Degenerate::ZeroVariance => self.zero_variance += 1,
            Degenerate::Singular => self.singular += 1,
            Degenerate::NotConverged => self.not_converged += 1,
            Degenerate::Other => self.other += 1,
        }
    }
    /// Total left out.
    pub fn total(&self) -> usize {
        self.zero_variance + self.singular + self.not_converged + self.other
    }
}

/// Summary of one bootstrapped statistic.
#[derive(Debug, Clone, Serialize)]
pub struct BootStat {
    /// Kind.
    pub kind: StatKind,
    /// Name (indicator, construct, `"FROM->TO"`, `"A->M->B"` or `"A~B"`).
    pub name: String,
    /// Estimate on the original data.
    pub estimate: f64,
    /// Mean of the draws (`None` with fewer than 2 usable draws).
    pub mean: Option<f64>,
    /// Standard error (sd of the draws).
    pub se: f64,
    /// estimate / SE (`None` when SE = 0, e.g. a single item's weight).
    pub t: Option<f64>,
    /// Two-sided p-value of t with n − 1 degrees of freedom.
    pub p: Option<f64>,
    /// Percentile interval (R quantile type 7); `None` with fewer than 2 usable draws.
    pub ci_percentile: Option<Interval>,
    /// Normal interval estimate ± z·SE; `None` with fewer than 2 usable draws.
    pub ci_normal: Option<Interval>,
    /// t interval estimate ± t(n−1)·SE; `None` with fewer than 2 usable draws.
    pub ci_t: Option<Interval>,
    /// BCa interval, when computed and defined.
    pub ci_bca: Option<Interval>,
    /// Draws that gave a value (an index draw with a non-positive weight gives none).
    pub draws_used: usize,
}

impl BootStat {
    /// Significance stars from the p-value: `***` < .001, `**` < .01, `*` < .05, `.` < .1.
    pub fn stars(&self) -> &'static str {
        match self.p {
            Some(p) if p < 0.001 => "***",
            Some(p) if p < 0.01 => "**",
            Some(p) if p < 0.05 => "*",
            Some(p) if p < 0.1 => ".",
            _ => "",
        }
    }
}

/// Which bootstrap produced a result.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BootMethod {
    /// Resampling n rows with replacement from the rows in memory.
    Ordinary,
    /// The one-pass Poisson bootstrap: each row a Poisson(1) number of times, its replicates'
    /// moments accumulated while the data were streamed (no BCa: that needs a jackknife of
    /// the rows).
    Poisson,
}

crate::options::flag_names!(BootMethod, "bootstrap method", Ordinary => "ordinary", Poisson => "poisson");

/// The result of a bootstrap run.
#[derive(Debug, Clone, Serialize)]
pub struct BootResult {
    /// Which bootstrap ran.
    pub method: BootMethod,
    /// Replicates drawn.
    pub resamples: usize,
    /// Replicates used.
    pub used: usize,
    /// Replicates left out, by kind.
    pub degenerate: DegenerateCounts,
    /// Confidence level.
    pub level: f64,
    /// Seed (`None` for supplied resamples).
    pub seed: Option<u64>,
    /// Sign-change option.
    pub sign_change: SignChange,
    /// Every statistic.
    pub statistics: Vec<BootStat>,
    #[serde(skip)]
    draws: Vec<Vec<f64>>,
    #[serde(skip)]
    labels: Vec<(StatKind, String)>,
}

impl BootResult {
    /// A statistic by kind and name.
    pub fn get(&self, kind: StatKind, name: &str) -> Result<&BootStat> {
        self.statistics
            .iter()
            .find(|s| s.kind == kind && s.name == name)
            .ok_or_else(|| {
                Error::invalid(
                    "statistic",
                    format!("no bootstrapped {kind:?} named '{name}'"),
                )
            })
    }
    /// The path statistic `from → to`.
    pub fn path(&self, from: &str, to: &str) -> Result<&BootStat> {
        self.get(StatKind::Path, &format!("{from}->{to}"))
    }
    /// The index statistic of a construct.
    pub fn index(&self, construct: &str) -> Result<&BootStat> {
        self.get(StatKind::Index, construct)
    }
    /// The usable draws of one statistic, in replicate order.
    pub fn draws(&self, kind: StatKind, name: &str) -> Result<Vec<f64>> {
        let s = self
            .labels
            .iter()
            .position(|(k, n)| *k == kind && n == name)
            .ok_or_else(|| {
                Error::invalid(
                    "statistic",
                    format!("no bootstrapped {kind:?} named '{name}'"),
                )
            })?;
        Ok(self
            .draws
            .iter()
            .map(|d| d[s])
            .filter(|x| x.is_finite())
            .collect())
    }
    /// The result as pretty JSON.
    pub fn to_json(&self) -> Result<String> {
        Ok(serde_json::to_string_pretty(self)?)
    }
}

struct Engine<'a> {
    fit: &'a Fit,
    spec: &'a Spec,
    settings: pls::Pls,
    /// The rows, ready for batched replicate moments (`None` for the Poisson bootstrap).
    table: Option<RowTable<'a>>,
    labels: Vec<(StatKind, String)>,
    original: Vec<f64>,
    sign_change: SignChange,
    routes: Vec<Vec<usize>>,
    totals: Vec<(usize, usize)>,
    index_lvs: Vec<usize>,
    /// Construct pairs (i < j) whose HTMT is defined on the original data.
    htmt_pairs: Vec<(usize, usize)>,
    /// Simple slopes: (predictor, interaction term, target, factor 1 or 2 for a quadratic).
    slopes: Vec<(usize, usize, usize, f64)>,
}

impl<'a> Engine<'a> {
    fn new(
        fit: &'a Fit,
        rows: Option<&'a pls::Rows>,
        sign_change: SignChange,
    ) -> Result<Engine<'a>> {
        let spec = &fit.spec();
        let table = match rows {
            Some(rows) => {
                let n = rows.raw.nrows();
                let cols: Vec<&[f64]> = rows.raw.as_slice().chunks_exact(n.max(1)).collect();
                // The bootstrap resamples the rows as the fit used them (after the missing-data
                // policy: mean-replaced cells stay replaced, as seminr does), so its moments are
                // complete ones.
                let full = Moments::complete(
                    &rows.raw,
                    rows.weights.as_deref(),
                    &spec.names,
                    fit.moments().weights(),
                )?;
                Some(RowTable::new(
                    cols,
                    rows.weights.as_deref(),
                    fit.item_means().to_vec(),
                    full,
                ))
            }
            None => None,
        };
        let mut settings = *fit.settings();
        settings.accept_nonconverged = false;
        let jn = spec.n_lv();
        let mut totals = Vec::new();
        for a in 0..jn {
            for b in 0..jn {
                if a != b && spec.graph.reaches(a, b) {
                    totals.push((a, b));
                }
            }
        }
        // Specific indirect effects are bootstrapped while the model has at most MAX_ROUTES
        // of them (the assessment says when they are omitted).
        let routes = spec.graph.all_routes().unwrap_or_default();
        let index_lvs: Vec<usize> = (0..jn)
            .filter(|&j| {
                spec.blocks[j]
                    .clone()
                    .all(|k| fit.core().w[(k, j)] * fit.core().signs[j] > 0.0)
            })
            .collect();
        let mut htmt_pairs = Vec::new();
        for j in 0..jn {
            for i in 0..j {
                if assess::htmt_seminr(fit.corr(), &spec.blocks[i], &spec.blocks[j]).is_some() {
                    htmt_pairs.push((i, j));
                }
            }
        }
        let derived = fit.refit().is_some();
        let mut slopes = Vec::new();
        for it in fit.interactions().unwrap_or_default() {
            let (Some(iv), Some(term)) = (
                spec.lv_names.iter().position(|n| *n == it.iv),
                spec.lv_names.iter().position(|n| *n == it.name()),
            ) else {
                continue;
            };
            let k = if it.iv == it.moderator { 2.0 } else { 1.0 };
            for t in &it.targets {
                if let Some(tj) = spec.lv_names.iter().position(|n| n == t) {
                    slopes.push((iv, term, tj, k));
                }
            }
        }
        // A derived fit's index: the constructs whose index the fit defines (a higher-order
        // construct's from its dimensions'; never an interaction term).
        let index_lvs = if derived {
            let terms: Vec<String> = fit
                .interactions()
                .unwrap_or_default()
                .iter()
                .map(|it| it.name())
                .collect();
            (0..jn)
                .filter(|&j| !terms.contains(&spec.lv_names[j]))
                .filter(|&j| fit.index(&spec.lv_names[j]).is_ok_and(f64::is_finite))
                .collect()
        } else {
            index_lvs
        };
        let mut e = Engine {
            fit,
            spec,
            settings,
            table,
            labels: Vec::new(),
            original: Vec::new(),
            sign_change,
            routes,
            totals,
            index_lvs,
            htmt_pairs,
            slopes,
        };
        e.labels = e.make_labels();
        e.original = e.extract(
            fit.core(),
            fit.corr(),
            fit.item_means(),
            fit.item_sds(),
            derived.then_some(fit),
        );
        Ok(e)
    }
    fn make_labels(&self) -> Vec<(StatKind, String)> {
        let sp = self.spec;
        let lv = |j: usize| sp.lv_names[j].clone();
        let mut l = Vec::new();
        for name in &sp.names {
            l.push((StatKind::Weight, name.clone()));
        }
        for name in &sp.names {
            l.push((StatKind::Loading, name.clone()));
        }
        for &(a, b) in &sp.paths {
            l.push((StatKind::Path, format!("{}->{}", lv(a), lv(b))));
        }
        for j in 0..sp.n_lv() {
            if !sp.preds[j].is_empty() {
                l.push((StatKind::R2, lv(j)));
            }
        }
        for &(a, b) in &self.totals {
            l.push((StatKind::TotalEffect, format!("{}->{}", lv(a), lv(b))));
        }
        for r in &self.routes {
            l.push((
                StatKind::IndirectEffect,
                r.iter().map(|&k| lv(k)).collect::<Vec<_>>().join("->"),
            ));
        }
        for &(i, j) in &self.htmt_pairs {
            l.push((StatKind::Htmt, format!("{}~{}", lv(i), lv(j))));
        }
        for &j in &self.index_lvs {
            l.push((StatKind::Index, lv(j)));
        }
        for &(iv, term, t, _) in &self.slopes {
            let moderator = self
                .fit
                .interactions()
                .unwrap_or_default()
                .iter()
                .find(|it| it.name() == sp.lv_names[term])
                .map_or_else(String::new, |it| it.moderator.clone());
            for at in ["-1", "0", "+1"] {
                l.push((
                    StatKind::SimpleSlope,
                    format!("{}->{}@{moderator}={at}", lv(iv), lv(t)),
                ));
            }
        }
        l
    }

    /// The statistics vector of an estimate, in label order (NaN marks an undefined index draw,
    /// filtered out before any summary).
    /// `derived`: the (replicate's) derived fit, whose own index is used.
    fn extract(
        &self,
        core: &Core,
        s: &DMatrix<f64>,
        means: &[f64],
        sds: &[f64],
        derived: Option<&Fit>,
    ) -> Vec<f64> {
        let sp = self.spec;
        let mut v = Vec::with_capacity(self.labels.len());
        for k in 0..sp.names.len() {
            v.push(core.w[(k, sp.block_of(k))]);
        }
        v.extend_from_slice(&core.loadings);
        for &(a, b) in &sp.paths {
            v.push(core.b[(a, b)]);
        }
        for j in 0..sp.n_lv() {
            if let Some(r2) = core.r2[j] {
                v.push(r2);
            }
        }
        let t = pls::total_effects(&core.b, self.spec);
        for &(a, b) in &self.totals {
            v.push(t[(a, b)]);
        }
        for r in &self.routes {
            v.push(r.windows(2).map(|w| core.b[(w[0], w[1])]).product());
        }
        for &(i, j) in &self.htmt_pairs {
            v.push(assess::htmt_seminr(s, &sp.blocks[i], &sp.blocks[j]).unwrap_or(f64::NAN));
        }
        for &j in &self.index_lvs {
            v.push(match derived {
                Some(f) => f.index(&sp.lv_names[j]).unwrap_or(f64::NAN),
                None => index::fornell_of(sp, core, means, sds, self.fit.item_scales(), j)
                    .unwrap_or(f64::NAN),
            });
        }
        for &(iv, term, t, k) in &self.slopes {
            let (b, bi) = (core.b[(iv, t)], core.b[(term, t)]);
            for m in [-1.0, 0.0, 1.0] {
                v.push(b + k * bi * m);
            }
        }
        v
    }

    /// One replicate from its moments.
    fn replicate(&self, m: &Moments) -> std::result::Result<Vec<f64>, Degenerate> {
        self.replicate_from(m, None)
    }

    /// One replicate, its iteration started from `start` weights when given.
    fn replicate_from(
        &self,
        m: &Moments,
        start: Option<&[f64]>,
    ) -> std::result::Result<Vec<f64>, Degenerate> {
        if m.n_used() < 2 {
            return Err(Degenerate::Other);
        }
        let (means, sds, s) = m.standardized().map_err(|e| Degenerate::from_error(&e))?;
        // A resampled item that does not vary (e.g. a 0/1 item drawn with one value only) leaves
        // only rounding noise in its variance: well below 1e-6 of the full-sample sd, while any
        // real variation in n rows is at least of order 1/√n of it.
        if sds
            .iter()
            .zip(self.fit.item_sds())
            .any(|(r, f)| !(*r > 1e-6 * f))
        {
            return Err(Degenerate::ZeroVariance);
        }
        let nn = m.n();
        let mut core = pls::solve_from(&s, self.spec, &self.settings, nn, start)
            .map_err(|e| Degenerate::from_error(&e))?;
        if self.sign_change == SignChange::ConstructLevel {
            let orig = &self.fit.core().loadings;
            let mut flipped = false;
            let mut w = core.w.clone();
            for (j, blk) in self.spec.blocks.iter().enumerate() {
                let diff: f64 = blk.clone().map(|k| orig[k] - core.loadings[k]).sum();
                let summ: f64 = blk.clone().map(|k| orig[k] + core.loadings[k]).sum();
                if diff.abs() > summ.abs() {
                    w.column_mut(j).neg_mut();
                    flipped = true;
                }
            }
            if flipped {
                core = pls::finish(
                    &s,
                    self.spec,
                    &self.settings,
                    w,
                    core.iterations,
                    core.converged,
                    core.last_change,
                )
                .map_err(|e| Degenerate::from_error(&e))?;
            }
        }
        let v = self.extract(&core, &s, &means, &sds, None);
        Ok(self.sign_individual(v))
    }

    /// A derived fit's replicate: every stage estimated again on the resampled rows.
    fn replicate_refit(
        &self,
        refit: &pls::Refit,
        rows: &[usize],
    ) -> std::result::Result<Vec<f64>, Degenerate> {
        let f = refit
            .fit_rows(rows)
            .map_err(|e| Degenerate::from_error(&e))?;
        if f.spec().names != self.spec.names || f.spec().paths != self.spec.paths {
            return Err(Degenerate::Other);
        }
        let v = self.extract(f.core(), f.corr(), f.item_means(), f.item_sds(), Some(&f));
        Ok(self.sign_individual(v))
    }

    /// The individual sign-change correction, when asked.
    fn sign_individual(&self, mut v: Vec<f64>) -> Vec<f64> {
        if self.sign_change == SignChange::Individual {
            for (i, (kind, _)) in self.labels.iter().enumerate() {
                let signed = matches!(
                    kind,
                    StatKind::Weight
                        | StatKind::Loading
                        | StatKind::Path
                        | StatKind::TotalEffect
                        | StatKind::IndirectEffect
                );
                if signed && v[i] * self.original[i] < 0.0 {
                    v[i] = -v[i];
                }
            }
        }
        v
    }

    /// Leave-one-out estimates: the full-sample moments minus one row's (an O(p²) downdate
    /// per row).
    fn jackknife(&self, rows: &pls::Rows) -> Vec<Option<Vec<f64>>> {
        let n = rows.raw.nrows();
        let cols: Vec<&[f64]> = rows.raw.as_slice().chunks_exact(n.max(1)).collect();
        let Some(table) = &self.table else {
            return Vec::new();
        };
        let full = table.template();
        // A leave-one-out sample is within one row of the whole: under the converged-fixed-point
        // rule its iteration starts from the full-sample weights and needs a few steps instead
        // of a dozen; a peer's looser rule (`Pls::like`) starts from unit weights as the peer.
        let warm: Option<Vec<f64>> = (self.settings.stop_rule == pls::StopRule::MaxChange
            && self.settings.tolerance <= 1e-10)
            .then(|| {
                (0..self.spec.names.len())
                    .map(|k| self.fit.core().w[(k, self.spec.block_of(k))])
                    .collect()
            });
        (0..n)
            .into_par_iter()
            .map(|i| {
                let one = full.subset_rows(&cols, &[i], rows.weights.as_deref());
                let m = full.without(&one).ok()?;
                self.replicate_from(&m, warm.as_deref()).ok()
            })
            .collect()
    }
}

/// The resamples of a resample file's text; `source` names it in errors.
fn parse_resamples(text: &str, source: &str) -> Result<Vec<Vec<usize>>> {
    let mut rows = Vec::new();
    for (li, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let mut row = Vec::new();
        for cell in line
            .split([',', ';', '\t', ' '])
            .filter(|c| !c.trim().is_empty())
        {
            let v: usize = cell.trim().parse().map_err(|_| Error::NonNumeric {
                line: li as u64 + 1,
                column: format!("{} (resample file {source})", row.len() + 1),
                value: cell.to_string(),
            })?;
            row.push(v);
        }
        rows.push(row);
    }
    Ok(rows)
}
