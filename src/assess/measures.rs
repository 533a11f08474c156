//! Reliability and validity measures computed from a correlation matrix: α, ρ_C, HTMT, d_G
//! and the R² of a regression.

use crate::linalg;
use crate::pls;
use nalgebra::DMatrix;

pub(crate) fn mean(v: &[f64]) -> f64 {
    v.iter().sum::<f64>() / v.len() as f64
}

/// Standardised α from a block correlation matrix (1 for a single item).
pub(crate) fn alpha_std(s: &DMatrix<f64>, blk: &std::ops::Range<usize>) -> f64 {
    let k = blk.len();
    if k < 2 {
        return 1.0;
    }
    let mut sum = 0.0;
    for a in blk.clone() {
        for b in blk.clone() {
            if a < b {
                sum += s[(a, b)];
            }
        }
    }
    let rbar = sum / (k * (k - 1) / 2) as f64;
    let kf = k as f64;
    kf * rbar / (1.0 + (kf - 1.0) * rbar)
}

/// Composite reliability from loadings.
pub(crate) fn rho_c_of(l: &[f64]) -> f64 {
    let s: f64 = l.iter().sum();
    let e: f64 = l.iter().map(|x| 1.0 - x * x).sum();
    s * s / (s * s + e)
}

/// seminr's HTMT (mean |r|; single-item blocks: within-block mean 1); `None` when a block's
/// items are all uncorrelated (within-block mean |r| = 0).
pub(crate) fn htmt_seminr(
    s: &DMatrix<f64>,
    a: &std::ops::Range<usize>,
    b: &std::ops::Range<usize>,
) -> Option<f64> {
    // Sums instead of collected vectors: this runs for every pair in every bootstrap replicate.
    let within = |r: &std::ops::Range<usize>| -> f64 {
        if r.len() < 2 {
            return 1.0;
        }
        let mut sum = 0.0;
        for i in r.clone() {
            for j in (i + 1)..r.end {
                sum += s[(i, j)].abs();
            }
        }
        sum / (r.len() * (r.len() - 1) / 2) as f64
    };
    let mut between = 0.0;
    for i in a.clone() {
        for j in b.clone() {
            between += s[(i, j)].abs();
        }
    }
    between /= (a.len() * b.len()) as f64;
    let den = (within(a) * within(b)).sqrt();
    let h = between / den;
    (den > 0.0 && h.is_finite()).then_some(h)
}

/// Within-block and between-block correlation summaries for HTMT.
pub(crate) fn htmt_parts(
    s: &DMatrix<f64>,
    a: &std::ops::Range<usize>,
    b: &std::ops::Range<usize>,
) -> (Vec<f64>, Vec<f64>, Vec<f64>) {
    let within = |r: &std::ops::Range<usize>| -> Vec<f64> {
        let mut v = Vec::new();
        for i in r.clone() {
            for j in r.clone() {
                if i < j {
                    v.push(s[(i, j)]);
                }
            }
        }
        v
    };
    let mut between = Vec::new();
    for i in a.clone() {
        for j in b.clone() {
            between.push(s[(i, j)]);
        }
    }
    (within(a), within(b), between)
}

pub(crate) fn geo_mean_abs(v: &[f64]) -> Option<f64> {
    if v.contains(&0.0) {
        return None;
    }
    Some((v.iter().map(|x| x.abs().ln()).sum::<f64>() / v.len() as f64).exp())
}

/// ½ Σ (ln λ)² over the eigenvalues λ of S⁻¹Σ̂, computed as those of L⁻¹Σ̂L⁻ᵀ with S = LLᵀ
/// (divide by (ln 10)² for the peers' base-10 value).
pub(crate) fn d_geodesic(s: &DMatrix<f64>, implied: &DMatrix<f64>) -> Option<f64> {
    let l = linalg::cholesky(s)?;
    let li = linalg::inverse_lower(&l);
    let mut m = &li * implied * li.transpose();
    linalg::symmetrize(&mut m);
    let ev = linalg::eigenvalues(&m);
    if ev.iter().any(|x| !(*x > 0.0)) {
        return None;
    }
    Some(0.5 * ev.iter().map(|x| x.ln().powi(2)).sum::<f64>())
}

/// R² of `target` regressed on `preds` from a correlation matrix (0 for no predictors).
pub(crate) fn r2_of(r: &DMatrix<f64>, preds: &[usize], target: usize) -> Option<f64> {
    if preds.is_empty() {
        return Some(0.0);
    }
    let beta = pls::regress(r, preds, target)?;
    Some(
        preds
            .iter()
            .enumerate()
            .map(|(k, &i)| beta[k] * r[(i, target)])
            .sum(),
    )
}
