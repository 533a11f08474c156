//! The index by segment (a text column such as channel or region): per group, the model is
//! estimated on that group's rows, with bootstrap intervals for each index; between two groups,
//! the difference of each index with a permutation test (group labels shuffled among the two
//! groups' rows, both groups re-estimated, `p = (1 + #{|Δ*| ≥ |Δ|}) / (1 + P)`).
//!
//! The same permutations give MICOM steps 2 and 3 ([`MicomTest`]): compare indices across groups
//! only where the measurement is invariant. Every path is compared too ([`PathDifference`]):
//! permutation p, and with a bootstrap per group, the Welch–Satterthwaite test and PLS-MGA.
//!
//! Permutation `k` shuffles with its own ChaCha8 stream `(seed, k)`: results do not depend on
//! the number of threads.
//!
//! ```
//! use csindex::{segments::Segments, LoadOptions, MissingPolicy, Model, Pls, Survey};
//! let opts = LoadOptions::new().scale("*", 1.0, 10.0).scale("COMP1", 0.0, 1.0);
//! let survey = Survey::from_csv_path("data/acsi_missing_400.csv", &opts).unwrap();
//! let pls = Pls::new().missing(MissingPolicy::Listwise);
//! let seg = Segments::new("segment").bootstrap(100).permutations(99).seed(1)
//!     .run(&Model::acsi(), &survey, &pls).unwrap();
//! assert_eq!(seg.groups.len(), 2);
//! ```

use crate::bootstrap::Bootstrap;
use crate::bootstrap::{BootResult, StatKind};
use crate::data::{MissingPolicy, Survey};
use crate::error::{Error, Result};
use crate::index;
use crate::model::Model;
use crate::moments::Moments;
use crate::pls::{self, Fit, Named, Pls, Spec};
use crate::resample::{self, RowTable, Stream};
use nalgebra::DMatrix;
use serde::Serialize;

/// Segment analysis settings. Consuming builder.
#[derive(Debug, Clone)]
#[must_use]
pub struct Segments {
    column: String,
    resamples: usize,
    permutations: usize,
    seed: u64,
    level: f64,
    min_group: usize,
    /// Compare each group with the next only (waves), instead of every pair.
    pub(crate) consecutive: bool,
}

/// Index of one construct in one group.
#[derive(Debug, Clone, Serialize)]
pub struct GroupIndex {
    /// Construct.
    pub construct: String,
    /// 0-100 index.
    pub index: f64,
    /// Bootstrap percentile interval (`None` when no bootstrap was asked for).
    pub ci: Option<crate::Interval>,
    /// Bootstrap SE.
    pub se: Option<f64>,
}

/// One group's results.
#[derive(Debug, Clone, Serialize)]
pub struct Group {
    /// Group label.
    pub group: String,
    /// Rows in the group (before the missing-data policy).
    pub n: usize,
    /// Rows used by the fit.
    pub n_used: usize,
    /// Index per construct (constructs with non-positive weights are left out).
    pub indices: Vec<GroupIndex>,
    /// Path coefficients of the group's fit, `"FROM->TO"`.
    pub paths: Named,
    /// The group's indices in full (weights, item means, scale), for the waves' JSON.
    #[serde(skip)]
    pub(crate) detail: Vec<crate::index::ConstructIndex>,
}

/// One path compared between two groups (multigroup analysis).
#[derive(Debug, Clone, Serialize)]
pub struct PathDifference {
    /// `"FROM->TO"`.
    pub path: String,
    /// First group.
    pub a: String,
    /// Second group.
    pub b: String,
    /// Coefficient in a.
    pub estimate_a: f64,
    /// Coefficient in b.
    pub estimate_b: f64,
    /// a − b.
    pub difference: f64,
    /// Permutation p (Chin & Dibbern 2010; two-sided), when permutations were run.
    pub permutation_p: Option<f64>,
    /// Welch–Satterthwaite t from the groups' bootstrap SEs (Nitzl 2010), when bootstrapped.
    pub welch_t: Option<f64>,
    /// Its degrees of freedom (rounded, as SmartPLS and cSEM).
    pub welch_df: Option<f64>,
    /// Its two-sided p-value.
    pub welch_p: Option<f64>,
    /// Henseler's PLS-MGA p (seminr's form): `1 − share of bootstrap pairs with
    /// (2θ̄ᵃ − θᵃ*) > (2θ̄ᵇ − θᵇ*)`; one-sided: below .05 means a > b, above .95 means b > a.
    pub pls_mga_p: Option<f64>,
}

/// The permutation test of one construct's index between two groups.
#[derive(Debug, Clone, Serialize)]
pub struct GroupDifference {
    /// Construct.
    pub construct: String,
    /// First group.
    pub a: String,
    /// Second group.
    pub b: String,
    /// index(a) − index(b).
    pub difference: f64,
    /// Permutation p-value (two-sided).
    pub p_value: f64,
    /// Permutations that gave both indices.
    pub permutations_used: usize,
}

/// MICOM steps 2 and 3 (Henseler, Ringle & Sarstedt 2016; cSEM `testMICOM`) for one construct
/// between two groups, by the same permutations as the index differences.
///
/// Step 2, compositional invariance: `c` = correlation, on the pooled standardised data, of the
/// composites built with each group's weights; `p = (1 + #{c* ≤ c}) / (1 + P)` (small p: not
/// invariant). Step 3, equal means and variances of the pooled-estimate scores between the
/// groups: two-sided permutation p-values of the mean difference and of the log variance ratio.
#[derive(Debug, Clone, Serialize)]
pub struct MicomTest {
    /// Construct.
    pub construct: String,
    /// First group.
    pub a: String,
    /// Second group.
    pub b: String,
    /// Compositional correlation c (1 = identical weights).
    pub compositional_c: f64,
    /// One-sided permutation p of c.
    pub compositional_p: f64,
    /// Mean of pooled scores in a − in b.
    pub mean_difference: f64,
    /// Two-sided permutation p of the mean difference.
    pub mean_p: f64,
    /// ln var(a) − ln var(b) of pooled scores.
    pub log_variance_ratio: f64,
    /// Two-sided permutation p of the log variance ratio.
    pub variance_p: f64,
    /// Permutations that gave all statistics.
    pub permutations_used: usize,
}

/// Results of a segment analysis.
#[derive(Debug, Clone, Serialize)]
pub struct SegmentResult {
    /// Segment column.
    pub column: String,
    /// Per group, in order of first appearance.
    pub groups: Vec<Group>,
    /// For every pair of groups and construct.
    pub differences: Vec<GroupDifference>,
    /// Measurement invariance (MICOM steps 2 and 3) for every pair of groups and construct.
    pub micom: Vec<MicomTest>,
    /// Every path compared for every pair of groups.
    pub path_differences: Vec<PathDifference>,
    /// Rows left out because the segment cell was missing.
    pub rows_without_segment: usize,
}

impl Segments {
    /// Groups by the text column `column`; no bootstrap, 999 permutations, seed 0, 95 %.
    pub fn new(column: &str) -> Segments {
        Segments {
            column: column.to_string(),
            resamples: 0,
            permutations: 999,
            seed: 0,
            level: 0.95,
            min_group: 10,
            consecutive: false,
        }
    }
    pub(crate) fn level_value(&self) -> f64 {
        self.level
    }
    /// Bootstrap resamples per group for the index intervals (0 = none).
    pub fn bootstrap(mut self, resamples: usize) -> Self {
        self.resamples = resamples;
        self
    }
    /// Permutations for the group differences (0 = no test).
    pub fn permutations(mut self, p: usize) -> Self {
        self.permutations = p;
        self
    }
    /// Random seed.
    pub fn seed(mut self, seed: u64) -> Self {
        self.seed = seed;
        self
    }
    /// Interval level.
    pub fn level(mut self, level: f64) -> Self {
        self.level = level;
        self
    }
    /// Smallest group analysed (default 10 rows); smaller groups are an error naming them.
    pub fn min_group(mut self, n: usize) -> Self {
        self.min_group = n;
        self
    }

    /// Runs the analysis.
    pub fn run(&self, model: &Model, survey: &Survey, pls: &Pls) -> Result<SegmentResult> {
        let labels = survey.text(&self.column)?;
        let mut names: Vec<String> = Vec::new();
        let mut rows: Vec<Vec<usize>> = Vec::new();
        let mut without = 0;
        for (i, l) in labels.iter().enumerate() {
            match l {
                None => without += 1,
                Some(g) => match names.iter().position(|x| x == g) {
                    Some(k) => rows[k].push(i),
                    None => {
                        // An id or free-text column given as a segment: refused at its 51st
                        // value, before any quadratic work.
                        if names.len() == crate::data::MAX_GROUPS {
                            return Err(Error::LimitExceeded {
                                at: format!("column '{}', line {}", self.column, survey.line_of(i)),
                                what: format!("more than {} groups", crate::data::MAX_GROUPS),
                                limit: crate::data::MAX_GROUPS,
                                raise: "fewer groups: a segment column holds categories, not ids"
                                    .into(),
                            });
                        }
                        names.push(g.clone());
                        rows.push(vec![i]);
                    }
                },
            }
        }
        if names.len() < 2 {
            return Err(Error::invalid(
                "segment",
                format!(
                    "column '{}' has {} group(s); need 2",
                    self.column,
                    names.len()
                ),
            ));
        }
        for (g, r) in names.iter().zip(&rows) {
            if r.len() < self.min_group {
                return Err(Error::TooFewRows {
                    needed: self.min_group,
                    found: r.len(),
                    reason: format!("group '{g}' of '{}'", self.column),
                });
            }
        }
        let lv_names: Vec<String> = model.constructs().iter().map(|c| c.name.clone()).collect();
        let mut groups = Vec::new();
        let mut point: Vec<Vec<Option<f64>>> = Vec::new();
        let mut fits: Vec<Fit> = Vec::new();
        let mut boots: Vec<Option<BootResult>> = Vec::new();
        for (g, r) in names.iter().zip(&rows) {
            let sub = survey.select_rows(r)?;
            let fit = pls.fit(model, &sub)?;
            let boot = if self.resamples >= 2 {
                Some(
                    Bootstrap::new(self.resamples)
                        .seed(self.seed)
                        .level(self.level)
                        .bca(false)
                        .run(&fit)?,
                )
            } else {
                None
            };
            let mut ix = Vec::new();
            let mut pv = Vec::new();
            for name in &lv_names {
                match fit.index(name) {
                    Ok(v) => {
                        let st = boot.as_ref().and_then(|b| b.index(name).ok());
                        ix.push(GroupIndex {
                            construct: name.clone(),
                            index: v,
                            ci: st.and_then(|s| s.ci_percentile),
                            se: st.map(|s| s.se),
                        });
                        pv.push(Some(v));
                    }
                    Err(_) => pv.push(None),
                }
            }
            groups.push(Group {
                group: g.clone(),
                n: r.len(),
                n_used: fit.n_used(),
                indices: ix,
                paths: fit.summary().paths,
                detail: fit.indices(crate::index::IndexMethod::Fornell).0,
            });
            point.push(pv);
            fits.push(fit);
            boots.push(boot);
        }
        let mut differences = Vec::new();
        let mut micom = Vec::new();
        let mut path_differences = Vec::new();
        for a in 0..names.len() {
            for b in (a + 1)..names.len() {
                if self.consecutive && b != a + 1 {
                    continue;
                }
                let path_p = if self.permutations > 0 {
                    let (d, m, pp) = self.permutation_test(
                        model,
                        survey,
                        pls,
                        &lv_names,
                        (&names[a], &rows[a]),
                        (&names[b], &rows[b]),
                        &point[a],
                        &point[b],
                    )?;
                    differences.extend(d);
                    micom.extend(m);
                    Some(pp)
                } else {
                    None
                };
                path_differences.extend(compare_paths(
                    (&names[a], &fits[a], boots[a].as_ref()),
                    (&names[b], &fits[b], boots[b].as_ref()),
                    path_p.as_deref(),
                ));
            }
        }
        Ok(SegmentResult {
            column: self.column.clone(),
            groups,
            differences,
            micom,
            path_differences,
            rows_without_segment: without,
        })
    }

    #[allow(clippy::too_many_arguments)]
    fn permutation_test(
        &self,
        model: &Model,
        survey: &Survey,
        pls: &Pls,
        lv_names: &[String],
        (na, ra): (&String, &Vec<usize>),
        (nb, rb): (&String, &Vec<usize>),
        pa: &[Option<f64>],
        pb: &[Option<f64>],
    ) -> Result<(Vec<GroupDifference>, Vec<MicomTest>, Vec<f64>)> {
        let pooled: Vec<usize> = ra.iter().chain(rb.iter()).copied().collect();
        let na_len = ra.len();
        let jn = lv_names.len();
        let spec = Spec::new(model);
        let names = &spec.names;
        // One copy of the two groups' rows; every permutation is then a pair of group masks
        // over them, whose moments come from the one resampling engine (no refit of copied
        // rows). Under listwise deletion the masks run over the pooled complete rows (= each
        // group's own listwise deletion); under mean replacement the engine's pairwise table
        // gives each group's own mean replacement.
        let pooled_s = survey.select_rows(&pooled)?;
        let pooled_fit = pls.fit(model, &pooled_s)?;
        let template = Moments::from_survey(&pooled_s, names, pls.missing)?;
        // The pooled fit's rows are the pooled rows after the missing-data policy.
        let pooled_rows = pooled_fit.rows("MICOM")?;
        let mean_policy = pls.missing == MissingPolicy::Mean;
        let fit_cols: Vec<&[f64]> = if mean_policy {
            names
                .iter()
                .map(|n| pooled_s.numeric(n))
                .collect::<Result<_>>()?
        } else {
            pooled_rows
                .raw
                .as_slice()
                .chunks_exact(pooled_rows.raw.nrows().max(1))
                .collect()
        };
        let fit_weights = if mean_policy {
            pooled_s.weights()
        } else {
            pooled_rows.weights.as_deref()
        };
        let fit_table = RowTable::new(
            fit_cols,
            fit_weights,
            pooled_fit.item_means().to_vec(),
            template,
        );
        // Row positions (into `pooled`) of the table's rows.
        let fit_rows: Vec<usize> = if mean_policy {
            (0..pooled.len()).collect()
        } else {
            pooled_rows.rows_used.clone()
        };
        // MICOM step 3 compares the pooled estimate's scores, i.e. the pooled rows after the
        // pooled missing-data policy: a complete table of those rows.
        let micom_cols: Vec<&[f64]> = pooled_rows
            .raw
            .as_slice()
            .chunks_exact(pooled_rows.raw.nrows().max(1))
            .collect();
        let micom_template = Moments::complete(
            &pooled_rows.raw,
            pooled_rows.weights.as_deref(),
            names,
            pooled_fit.moments().weights(),
        )?;
        let micom_table = RowTable::new(
            micom_cols,
            pooled_rows.weights.as_deref(),
            pooled_fit.item_means().to_vec(),
            micom_template,
        );
        let wp = pooled_fit.core().w_signed();
        // Group membership of each pooled position: replicate 0 is the observed split.
        let split = |k: usize| -> Vec<bool> {
            let mut idx: Vec<usize> = (0..pooled.len()).collect();
            if k > 0 {
                let mut rng = resample::rng(self.seed, Stream::Permutation(k as u64 - 1));
                resample::shuffle(&mut rng, &mut idx);
            }
            let mut in_a = vec![false; pooled.len()];
            for &pos in &idx[..na_len] {
                in_a[pos] = true;
            }
            in_a
        };
        let mask = |rows: &[usize], r: usize| -> Vec<f64> {
            let in_a = split(r / 2);
            rows.iter()
                .map(|&pos| if in_a[pos] == (r % 2 == 0) { 1.0 } else { 0.0 })
                .collect()
        };
        let replicates = 2 * (self.permutations + 1);
        // Per group: its estimate (weights, paths, index) from its moments.
        type GroupEst = Option<(DMatrix<f64>, Vec<f64>, Vec<Option<f64>>)>;
        let groups: Vec<GroupEst> = fit_table.map(
            replicates,
            |r| mask(&fit_rows, r),
            |_, m| {
                let pls::MomentEstimate {
                    core, means, sds, ..
                } = pls::estimate_moments(&m, &spec, pls).ok()?;
                let paths = spec.paths.iter().map(|&(x, y)| core.b[(x, y)]).collect();
                let ix = (0..jn)
                    .map(|j| {
                        index::fornell_of(&spec, &core, &means, &sds, pooled_fit.item_scales(), j)
                    })
                    .collect();
                Some((core.w_signed(), paths, ix))
            },
            |_| {},
        );
        // Per group: mean and variance of each pooled-estimate score.
        let score_stats: Vec<Option<Vec<(f64, f64)>>> = micom_table.map(
            replicates,
            |r| mask(&pooled_rows.rows_used, r),
            |_, m| {
                let means = m.means();
                let cov = m.covariance().ok()?;
                Some(
                    (0..jn)
                        .map(|j| {
                            let blk = spec.blocks[j].clone();
                            let c = |k: usize| wp[(k, j)] / pooled_fit.item_sds()[k];
                            let mean: f64 = blk
                                .clone()
                                .map(|k| c(k) * (means[k] - pooled_fit.item_means()[k]))
                                .sum();
                            let mut var = 0.0;
                            for k in blk.clone() {
                                for l in blk.clone() {
                                    var += c(k) * c(l) * cov[(k, l)];
                                }
                            }
                            (mean, var)
                        })
                        .collect(),
                )
            },
            |_| {},
        );
        let micom_stats = |k: usize| -> Vec<Option<[f64; 3]>> {
            let (ga, gb) = (&groups[2 * k], &groups[2 * k + 1]);
            let (sa, sb) = (&score_stats[2 * k], &score_stats[2 * k + 1]);
            (0..jn)
                .map(|j| {
                    let ((wa, _, _), (wb, _, _)) = (ga.as_ref()?, gb.as_ref()?);
                    let c = composite_correlation(pooled_fit.corr(), wa, wb, &spec.blocks[j], j)?;
                    let ((ma, va), (mb, vb)) = (sa.as_ref()?[j], sb.as_ref()?[j]);
                    if !(va > 0.0 && vb > 0.0) {
                        return None;
                    }
                    Some([c, ma - mb, va.ln() - vb.ln()])
                })
                .collect()
        };
        let observed = micom_stats(0);
        type Draw = (Vec<Option<f64>>, Vec<Option<[f64; 3]>>, Vec<f64>);
        let perms: Vec<Option<Draw>> = (1..=self.permutations)
            .map(|k| {
                let ((_, pa_, ia), (_, pb_, ib)) =
                    (groups[2 * k].as_ref()?, groups[2 * k + 1].as_ref()?);
                let diffs = (0..jn)
                    .map(|c| match (ia[c], ib[c]) {
                        (Some(x), Some(y)) => Some(x - y),
                        _ => None,
                    })
                    .collect();
                let path_diffs = pa_.iter().zip(pb_).map(|(x, y)| x - y).collect();
                Some((diffs, micom_stats(k), path_diffs))
            })
            .collect();
        let two_sided = |obs: f64, draws: &[f64]| {
            let extreme = draws
                .iter()
                .filter(|v| v.abs() >= obs.abs() - 1e-12 * obs.abs().max(1.0))
                .count();
            (1 + extreme) as f64 / (1 + draws.len()) as f64
        };
        let mut out = Vec::new();
        let mut micom = Vec::new();
        for (c, name) in lv_names.iter().enumerate() {
            if let (Some(x), Some(y)) = (pa[c], pb[c]) {
                let d = x - y;
                let draws: Vec<f64> = perms
                    .iter()
                    .filter_map(|p| p.as_ref().and_then(|v| v.0[c]))
                    .collect();
                if !draws.is_empty() {
                    out.push(GroupDifference {
                        construct: name.clone(),
                        a: na.clone(),
                        b: nb.clone(),
                        difference: d,
                        p_value: two_sided(d, &draws),
                        permutations_used: draws.len(),
                    });
                }
            }
            if let Some(obs) = observed[c] {
                let draws: Vec<[f64; 3]> = perms
                    .iter()
                    .filter_map(|p| p.as_ref().and_then(|v| v.1[c]))
                    .collect();
                if draws.is_empty() {
                    continue;
                }
                let col = |k: usize| draws.iter().map(|d| d[k]).collect::<Vec<f64>>();
                let below = draws.iter().filter(|d| d[0] <= obs[0]).count();
                micom.push(MicomTest {
                    construct: name.clone(),
                    a: na.clone(),
                    b: nb.clone(),
                    compositional_c: obs[0],
                    compositional_p: (1 + below) as f64 / (1 + draws.len()) as f64,
                    mean_difference: obs[1],
                    mean_p: two_sided(obs[1], &col(1)),
                    log_variance_ratio: obs[2],
                    variance_p: two_sided(obs[2], &col(2)),
                    permutations_used: draws.len(),
                });
            }
        }
        let (obs_a, obs_b) = match (&groups[0], &groups[1]) {
            (Some(a), Some(b)) => (&a.1, &b.1),
            _ => {
                return Err(Error::Resampling {
                    message: format!(
                        "the groups '{na}' and '{nb}' cannot be estimated from their moments"
                    ),
                })
            }
        };
        let path_p = (0..spec.paths.len())
            .map(|k| {
                let draws: Vec<f64> = perms
                    .iter()
                    .filter_map(|p| p.as_ref().map(|v| v.2[k]))
                    .collect();
                two_sided(obs_a[k] - obs_b[k], &draws)
            })
            .collect();
        Ok((out, micom, path_p))
    }
}

/// Correlation between the composites of block `j` built with two weight vectors on data with
/// correlation matrix `s`: `w_aᵀ S w_b / √(w_aᵀ S w_a · w_bᵀ S w_b)`.
fn composite_correlation(
    s: &nalgebra::DMatrix<f64>,
    wa: &nalgebra::DMatrix<f64>,
    wb: &nalgebra::DMatrix<f64>,
    blk: &std::ops::Range<usize>,
    j: usize,
) -> Option<f64> {
    let q = |x: &nalgebra::DMatrix<f64>, y: &nalgebra::DMatrix<f64>| -> f64 {
        let mut v = 0.0;
        for k in blk.clone() {
            for l in blk.clone() {
                v += x[(k, j)] * s[(k, l)] * y[(l, j)];
            }
        }
        v
    };
    let den = (q(wa, wa) * q(wb, wb)).sqrt();
    let c = q(wa, wb) / den;
    (den > 0.0 && c.is_finite()).then_some(c)
}

/// Compares every path between two groups: permutation p (when given), Welch–Satterthwaite and
/// PLS-MGA from the groups' bootstraps (when run).
fn compare_paths(
    (na, fa, ba): (&String, &Fit, Option<&BootResult>),
    (nb, fb, bb): (&String, &Fit, Option<&BootResult>),
    permutation_p: Option<&[f64]>,
) -> Vec<PathDifference> {
    let (n1, n2) = (fa.n(), fb.n());
    fa.spec()
        .paths
        .iter()
        .enumerate()
        .map(|(k, &(x, y))| {
            let key = fa.path_key(x, y);
            let (ea, eb) = (fa.core().b[(x, y)], fb.core().b[(x, y)]);
            let draws = |b: Option<&BootResult>| {
                b.and_then(|b| b.draws(StatKind::Path, &key).ok())
                    .filter(|d| d.len() >= 2)
            };
            let (da, db) = (draws(ba), draws(bb));
            let (mut welch_t, mut welch_df, mut welch_p, mut pls_mga_p) = (None, None, None, None);
            if let (Some(da), Some(db)) = (&da, &db) {
                if let (Some((ma, sa)), Some((mb, sb))) =
                    (crate::stats::mean_sd(da), crate::stats::mean_sd(db))
                {
                    let (va, vb) = ((n1 - 1.0) / n1 * sa * sa, (n2 - 1.0) / n2 * sb * sb);
                    if va + vb > 0.0 {
                        let t = (ea - eb) / (va + vb).sqrt();
                        let df = ((va + vb).powi(2)
                            / ((n1 - 1.0) / (n1 * n1) * sa.powi(4)
                                + (n2 - 1.0) / (n2 * n2) * sb.powi(4))
                            - 2.0)
                            .round();
                        if df >= 1.0 && t.is_finite() {
                            welch_t = Some(t);
                            welch_df = Some(df);
                            welch_p = crate::stats::t_two_sided_p(t, df);
                        }
                    }
                    // PLS-MGA: share of pairs with (2m_a − a*) > (2m_b − b*), by sorting.
                    let mut u: Vec<f64> = da.iter().map(|v| 2.0 * ma - v).collect();
                    let mut v: Vec<f64> = db.iter().map(|w| 2.0 * mb - w).collect();
                    u.sort_by(f64::total_cmp);
                    v.sort_by(f64::total_cmp);
                    let greater: usize = u.iter().map(|x| v.partition_point(|w| w < x)).sum();
                    pls_mga_p = Some(1.0 - greater as f64 / (u.len() * v.len()) as f64);
                }
            }
            PathDifference {
                path: key,
                a: na.clone(),
                b: nb.clone(),
                estimate_a: ea,
                estimate_b: eb,
                difference: ea - eb,
                permutation_p: permutation_p.map(|p| p[k]),
                welch_t,
                welch_df,
                welch_p,
                pls_mga_p,
            }
        })
        .collect()
}
