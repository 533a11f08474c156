//! The estimator on a correlation matrix: the model in index form, the PLS iteration (modes,
//! schemes, stopping rules), and the inner model (paths, R², effects, ρ_A, PLSc).

use super::{Pls, Scheme, SignRule, StopRule};
use crate::error::{Error, Result};
use crate::linalg;
use crate::model::{Mode, Model};
use nalgebra::{DMatrix, DVector};
use std::ops::Range;

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
    /// Blocks whose outer weights are held fixed (one weight per indicator, standardised
    /// items): the score of a construct already estimated in an earlier stage (cSEM's
    /// two-stage approaches for higher-order constructs). `None`: estimated.
    pub fixed: Vec<Option<Vec<f64>>>,
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
            fixed: vec![None; j],
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
    solve_from(s, spec, pls, n, None)
}

/// [`solve`] started from given outer weights (one per indicator, block order) instead of unit
/// weights. Under the converged-fixed-point rule (largest change below a tight tolerance) the
/// iteration reaches the same fixed point; only the number of iterations changes. Never used
/// to reproduce a peer's stopping iterate (`Pls::like`), which depends on the start.
pub(crate) fn solve_from(
    s: &DMatrix<f64>,
    spec: &Spec,
    pls: &Pls,
    n: f64,
    start: Option<&[f64]>,
) -> Result<Core> {
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
    let mut w = match start {
        Some(w0) if w0.len() == p => w0.to_vec(),
        _ => vec![1.0; p],
    };
    for (j, blk) in spec.blocks.iter().enumerate() {
        if let Some(f) = spec.fixed.get(j).and_then(|f| f.as_ref()) {
            if f.len() != blk.len() || f.iter().any(|x| !x.is_finite()) {
                return Err(Error::model(format!(
                    "fixed weights of {} do not match its {} indicators",
                    spec.lv_names[j],
                    blk.len()
                )));
            }
            w[blk.clone()].copy_from_slice(f);
        }
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
            if spec.modes[j] == Mode::Unit || spec.fixed[j].is_some() {
                // Fixed (unit or given) weights: no update, no change.
                v.clear();
                v.extend(blk.clone().map(|k| w[k]));
                for k in blk.clone() {
                    u_new[k] = u_old[k];
                }
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
        if spec.modes[j].has_mode_a_weights() && blk.len() > 1 {
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
            if spec.modes[j].is_common_factor() && blk.len() > 1 {
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

/// Total effects `B + B² + …` of the recursive path matrix `b` of `spec`'s model, in causal
/// order: the total effects on j are its direct paths plus, through each predecessor m, the
/// path m → j times the total effects on m (O(J·paths), no matrix powers).
pub(crate) fn total_effects(b: &DMatrix<f64>, spec: &Spec) -> DMatrix<f64> {
    let jn = b.nrows();
    let mut t = DMatrix::<f64>::zeros(jn, jn);
    for &j in spec.graph.order() {
        for &m in &spec.preds[j] {
            let bmj = b[(m, j)];
            t[(m, j)] += bmj;
            for i in 0..jn {
                let tim = t[(i, m)];
                if tim != 0.0 {
                    t[(i, j)] += tim * bmj;
                }
            }
        }
    }
    t
}
