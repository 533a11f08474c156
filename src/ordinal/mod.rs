//! Ordinal items: polychoric and polyserial correlations, the input of OrdPLS and OrdPLSc
//! (Schuberth, Henseler & Dijkstra 2018).
//!
//! An ordinal item is taken as a coarsened standard normal: category k of an item is
//! observed when its latent value lies between two thresholds. Between two ordinal items the
//! polychoric correlation is the correlation of their latent normals, estimated in two steps
//! as polycor's `polychor(ML = FALSE)` does (Olsson 1979):
//! 1. thresholds from each item's cumulative proportions, `τ_k = Φ⁻¹(P(X ≤ c_k))`;
//! 2. ρ maximising the likelihood of the contingency table given the thresholds,
//!    `L(ρ) = Σ n_ij log P_ij(ρ)`, where `P_ij` is the bivariate normal probability of cell
//!    (i, j), over [−0.9999, 0.9999]. The maximum is found exactly, as the root of dL/dρ
//!    (the bivariate normal density gives it in closed form) by Brent's method to 1e-15. A
//!    search on L itself, as polycor's `optimise` does, ends where L is flat to rounding: on
//!    500 rows about 1e-8 from this root even with its tolerance at 1e-12 (the score there is
//!    about 1e-5 against a curvature of about 500).
//!
//! Φ₂ is Genz's algorithm (the TVPACK BVND method) with an absolute error of about 1e-15.
//! Between an ordinal and a continuous item the correlation is polycor's two-step
//! polyserial: `√((n−1)/n) · sd(y) · r(x, y) / Σ φ(τ_k)`, y the ordinal item's category
//! number. Continuous pairs keep their Pearson correlation.
//!
//! Degenerate tables are handled, never as a NaN:
//! - an item with one category only cannot be ordinal (it has no variance):
//!   [`Error::ZeroVariance`];
//! - an empty category does not exist (categories are the values observed);
//! - a table whose likelihood rises to ρ = ±1 (a 2×2 table with a zero cell, or perfectly
//!   ordered answers) gives ρ = ±0.9999, and a warning names the pair;
//! - the resulting matrix must be positive definite for PLS (Mode B blocks and the structural
//!   regressions invert parts of it); if it is not, [`Error::Singular`] names the first item
//!   at which its Cholesky factorisation fails: no repair is made silently.

mod bvn;

use crate::error::{Error, Result};
use nalgebra::DMatrix;

/// Most categories an ordinal item may have.
pub const MAX_CATEGORIES: usize = 50;

/// The largest |ρ| reported for a table whose likelihood rises to ±1 (polycor's `maxcor`).
pub const RHO_LIMIT: f64 = 0.9999;

/// What correlation a pair of items got.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PairKind {
    /// Both items continuous.
    Pearson,
    /// Both ordinal.
    Polychoric,
    /// One ordinal, one continuous.
    Polyserial,
}

/// An ordinal item: its category of each row (0-based) and its thresholds.
struct Ordinal {
    /// Category of each row.
    cat: Vec<usize>,
    /// τ_0 = −∞, τ_1 .. τ_{K−1}, τ_K = +∞.
    cuts: Vec<f64>,
}

fn ordinal(name: &str, x: &[f64], w: Option<&[f64]>) -> Result<Ordinal> {
    let mut values: Vec<f64> = x.to_vec();
    values.sort_by(f64::total_cmp);
    values.dedup();
    if values.len() < 2 {
        return Err(Error::ZeroVariance {
            column: name.to_string(),
            n: x.len(),
        });
    }
    if values.len() > MAX_CATEGORIES {
        return Err(Error::invalid(
            "ordinal",
            format!(
                "column '{name}' has {} distinct values (at most {MAX_CATEGORIES} for an ordinal item)",
                values.len()
            ),
        ));
    }
    let cat: Vec<usize> = x
        .iter()
        .map(|v| values.partition_point(|c| c < v))
        .collect();
    let k = values.len();
    let mut counts = vec![0.0; k];
    for (i, &c) in cat.iter().enumerate() {
        counts[c] += w.map_or(1.0, |w| w[i]);
    }
    let total: f64 = counts.iter().sum();
    let mut cuts = vec![f64::NEG_INFINITY];
    let mut cum = 0.0;
    for c in &counts[..k - 1] {
        cum += c;
        cuts.push(crate::stats::normal_quantile(cum / total).unwrap_or(f64::NAN));
    }
    cuts.push(f64::INFINITY);
    Ok(Ordinal { cat, cuts })
}

/// The derivative of the log-likelihood of a table at ρ.
fn score(table: &[f64], a: &[f64], b: &[f64], rho: f64) -> f64 {
    let (ka, kb) = (a.len() - 1, b.len() - 1);
    // Φ₂ and φ₂ at every corner (a_i, b_j), i = 0..=ka, j = 0..=kb.
    let mut cdf = vec![0.0; (ka + 1) * (kb + 1)];
    let mut dens = vec![0.0; (ka + 1) * (kb + 1)];
    for i in 0..=ka {
        for j in 0..=kb {
            cdf[i * (kb + 1) + j] = bvn::cdf(a[i], b[j], rho);
            dens[i * (kb + 1) + j] = bvn::density(a[i], b[j], rho);
        }
    }
    let at = |v: &[f64], i: usize, j: usize| v[i * (kb + 1) + j];
    let mut g = 0.0;
    for i in 1..=ka {
        for j in 1..=kb {
            let n = table[(i - 1) * kb + (j - 1)];
            if n == 0.0 {
                continue;
            }
            let p =
                at(&cdf, i, j) - at(&cdf, i - 1, j) - at(&cdf, i, j - 1) + at(&cdf, i - 1, j - 1);
            let dp = at(&dens, i, j) - at(&dens, i - 1, j) - at(&dens, i, j - 1)
                + at(&dens, i - 1, j - 1);
            g += n * dp / p.max(1e-300);
        }
    }
    g
}

/// Brent's root finder on [a, b] where f(a), f(b) differ in sign (to 1e-15).
fn brent(f: impl Fn(f64) -> f64, mut a: f64, mut b: f64, mut fa: f64, mut fb: f64) -> f64 {
    let tol = 1e-15;
    let (mut c, mut fc) = (a, fa);
    let (mut d, mut e) = (b - a, b - a);
    for _ in 0..200 {
        if (fb > 0.0) == (fc > 0.0) {
            c = a;
            fc = fa;
            d = b - a;
            e = d;
        }
        if fc.abs() < fb.abs() {
            a = b;
            b = c;
            c = a;
            fa = fb;
            fb = fc;
            fc = fa;
        }
        let tol1 = 2.0 * f64::EPSILON * b.abs() + 0.5 * tol;
        let xm = 0.5 * (c - b);
        if xm.abs() <= tol1 || fb == 0.0 {
            return b;
        }
        if e.abs() >= tol1 && fa.abs() > fb.abs() {
            let s = fb / fa;
            let (mut p, mut q);
            if a == c {
                p = 2.0 * xm * s;
                q = 1.0 - s;
            } else {
                let qq = fa / fc;
                let r = fb / fc;
                p = s * (2.0 * xm * qq * (qq - r) - (b - a) * (r - 1.0));
                q = (qq - 1.0) * (r - 1.0) * (s - 1.0);
            }
            if p > 0.0 {
                q = -q;
            }
            p = p.abs();
            if 2.0 * p < (3.0 * xm * q - (tol1 * q).abs()).min((e * q).abs()) {
                e = d;
                d = p / q;
            } else {
                d = xm;
                e = d;
            }
        } else {
            d = xm;
            e = d;
        }
        a = b;
        fa = fb;
        b += if d.abs() > tol1 { d } else { tol1.copysign(xm) };
        fb = f(b);
    }
    b
}

/// The two-step polychoric correlation of two ordinal items, and whether it hit the limit.
fn polychoric(x: &Ordinal, y: &Ordinal, w: Option<&[f64]>) -> (f64, bool) {
    let (ka, kb) = (x.cuts.len() - 1, y.cuts.len() - 1);
    let mut table = vec![0.0; ka * kb];
    for i in 0..x.cat.len() {
        table[x.cat[i] * kb + y.cat[i]] += w.map_or(1.0, |w| w[i]);
    }
    let f = |r: f64| score(&table, &x.cuts, &y.cuts, r);
    let (lo, hi) = (-RHO_LIMIT, RHO_LIMIT);
    let (flo, fhi) = (f(lo), f(hi));
    if flo <= 0.0 {
        return (lo, true);
    }
    if fhi >= 0.0 {
        return (hi, true);
    }
    (brent(f, lo, hi, flo, fhi), false)
}

/// polycor's two-step polyserial correlation of a continuous x and an ordinal y.
fn polyserial(x: &[f64], y: &Ordinal, w: Option<&[f64]>) -> f64 {
    let wt = |i: usize| w.map_or(1.0, |w| w[i]);
    let n: f64 = (0..x.len()).map(wt).sum();
    let yc: Vec<f64> = y.cat.iter().map(|&c| c as f64 + 1.0).collect();
    let mean = |v: &[f64]| (0..v.len()).map(|i| wt(i) * v[i]).sum::<f64>() / n;
    let (mx, my) = (mean(x), mean(&yc));
    let (mut sxx, mut syy, mut sxy) = (0.0, 0.0, 0.0);
    for i in 0..x.len() {
        let (dx, dy) = (x[i] - mx, yc[i] - my);
        sxx += wt(i) * dx * dx;
        syy += wt(i) * dy * dy;
        sxy += wt(i) * dx * dy;
    }
    let r = sxy / (sxx * syy).sqrt();
    let sd_y = (syy / (n - 1.0)).sqrt();
    let dens: f64 = y.cuts[1..y.cuts.len() - 1]
        .iter()
        .map(|t| (-t * t / 2.0).exp() / (2.0 * std::f64::consts::PI).sqrt())
        .sum();
    (((n - 1.0) / n).sqrt() * sd_y * r / dens).clamp(-RHO_LIMIT, RHO_LIMIT)
}

/// A correlation matrix, the kind of each pair, and warnings.
pub(crate) type Correlations = (DMatrix<f64>, Vec<Vec<PairKind>>, Vec<String>);

/// Correlations of columns (complete rows; optional row weights) where the columns marked
/// ordinal get polychoric (with each other) and polyserial (with continuous columns)
/// correlations; `pearson` gives the continuous pairs. Returns the matrix, each pair's kind
/// and warnings for pairs at the ±1 limit.
///
/// # Errors
/// [`Error::ZeroVariance`] for an ordinal column with one category;
/// [`Error::InvalidArgument`] for one with more than [`MAX_CATEGORIES`]; [`Error::Singular`]
/// when the matrix is not positive definite.
pub(crate) fn correlations(
    names: &[String],
    cols: &[&[f64]],
    weights: Option<&[f64]>,
    is_ordinal: &[bool],
    pearson: &DMatrix<f64>,
) -> Result<Correlations> {
    use rayon::prelude::*;
    let p = cols.len();
    let ords: Vec<Option<Ordinal>> = (0..p)
        .map(|k| {
            is_ordinal[k]
                .then(|| ordinal(&names[k], cols[k], weights))
                .transpose()
        })
        .collect::<Result<_>>()?;
    let pairs: Vec<(usize, usize)> = (0..p).flat_map(|b| (0..b).map(move |a| (a, b))).collect();
    let values: Vec<(f64, PairKind, bool)> = pairs
        .par_iter()
        .map(|&(a, b)| match (&ords[a], &ords[b]) {
            (Some(x), Some(y)) => {
                let (r, limit) = polychoric(x, y, weights);
                (r, PairKind::Polychoric, limit)
            }
            (Some(y), None) => (polyserial(cols[b], y, weights), PairKind::Polyserial, false),
            (None, Some(y)) => (polyserial(cols[a], y, weights), PairKind::Polyserial, false),
            (None, None) => (pearson[(a, b)], PairKind::Pearson, false),
        })
        .collect();
    let mut s = DMatrix::<f64>::identity(p, p);
    let mut kinds = vec![vec![PairKind::Pearson; p]; p];
    let mut warnings = Vec::new();
    for (&(a, b), &(r, kind, limit)) in pairs.iter().zip(&values) {
        s[(a, b)] = r;
        s[(b, a)] = r;
        kinds[a][b] = kind;
        kinds[b][a] = kind;
        if limit {
            warnings.push(format!(
                "the polychoric likelihood of {} and {} rises to a correlation of ±1 (a table with empty cells): set to {r}",
                names[a], names[b]
            ));
        }
    }
    if let Some(k) = crate::linalg::cholesky_fails_at(&s) {
        return Err(Error::Singular {
            construct: "(indicator correlations)".into(),
            what: format!(
                "the polychoric/polyserial correlation matrix is not positive definite (at item '{}')",
                names[k]
            ),
        });
    }
    Ok((s, kinds, warnings))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn degenerate_tables_are_numbers() {
        // A 2×2 table with a zero cell: the likelihood rises to ρ = 1.
        let x = [0.0, 0.0, 1.0, 1.0, 1.0];
        let y = [0.0, 0.0, 0.0, 1.0, 1.0];
        let (ox, oy) = (
            ordinal("x", &x, None).unwrap(),
            ordinal("y", &y, None).unwrap(),
        );
        let (r, limit) = polychoric(&ox, &oy, None);
        assert!(limit && r == RHO_LIMIT);
        // One category: no variance.
        assert!(ordinal("z", &[2.0, 2.0], None).is_err());
        // A category used once is an ordinary category.
        let u = [1.0, 2.0, 2.0, 3.0, 3.0, 3.0, 2.0, 1.0, 3.0, 2.0];
        let v = [1.0, 1.0, 2.0, 3.0, 2.0, 3.0, 2.0, 2.0, 3.0, 1.0];
        let (ou, ov) = (
            ordinal("u", &u, None).unwrap(),
            ordinal("v", &v, None).unwrap(),
        );
        let (r, limit) = polychoric(&ou, &ov, None);
        assert!(r.is_finite() && !limit && r > 0.0);
    }

    #[test]
    fn the_search_ends_near_the_exact_maximum() {
        // Latent normals with correlation 0.5 (Box–Muller on a small LCG), cut into five
        // categories.
        let mut state = 12345u64;
        let mut unif = || {
            state = state
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            ((state >> 11) as f64 + 0.5) / (1u64 << 53) as f64
        };
        let cut = |z: f64| [-1.0, -0.3, 0.4, 1.2].iter().filter(|&&t| z > t).count() as f64 + 1.0;
        let (mut u, mut v) = (Vec::new(), Vec::new());
        for _ in 0..400 {
            let (r1, t) = (
                (-2.0 * unif().ln()).sqrt(),
                2.0 * std::f64::consts::PI * unif(),
            );
            let (z1, z2) = (r1 * t.cos(), r1 * t.sin());
            u.push(cut(z1));
            v.push(cut(0.5 * z1 + 0.75f64.sqrt() * z2));
        }
        let (ou, ov) = (
            ordinal("u", &u, None).unwrap(),
            ordinal("v", &v, None).unwrap(),
        );
        let (r, _) = polychoric(&ou, &ov, None);
        let mut table = vec![0.0; 25];
        for i in 0..u.len() {
            table[ou.cat[i] * 5 + ov.cat[i]] += 1.0;
        }
        // The score at the estimate is 0 to rounding: |ρ − ρ*| ≈ |g/g'|.
        let g = score(&table, &ou.cuts, &ov.cuts, r);
        let h = (score(&table, &ou.cuts, &ov.cuts, r + 1e-5)
            - score(&table, &ou.cuts, &ov.cuts, r - 1e-5))
            / 2e-5;
        assert!((g / h).abs() < 1e-13, "{}", g / h);
    }
}
