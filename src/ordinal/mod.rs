//! Ordinal items: polychoric and polyserial correlations, the input of OrdPLS and OrdPLSc
//! (Schuberth, Henseler & Dijkstra 2018).
//!
//! An ordinal item is taken as a coarsened standard normal: category k of an item is
//! observed when its latent value lies between two thresholds. Between two ordinal items the
//! polychoric correlation is the correlation of their latent normals, estimated in two steps
//! as polycor's `polychor(ML = FALSE)` does (Olsson 1979):
//! 1. thresholds from each item's cumulative proportions, `τ_k = Φ⁻¹(P(X ≤ c_k))`;
//! 2. ρ maximising the likelihood of the contingency table given the thresholds,
//!    `L(ρ) = Σ n_ij log P_ij(ρ)` over [−0.9999, 0.9999], where `P_ij` is the bivariate
//!    normal probability of cell (i, j): `Φ₂(τ_i, σ_j) − Φ₂(τ_i, σ_{j−1}) − Φ₂(τ_{i−1}, σ_j) +
//!    Φ₂(τ_{i−1}, σ_{j−1})`, Φ₂ by Genz's TVPACK method.
//!
//! The maximum is searched on L itself, by Brent's minimiser on −L with tolerance 1e-12
//! (R's `optimize`, as the peers' tight references do; polycor's own default tolerance,
//! about 1e-4, is far looser). Such a search ends where L is flat to its rounding: on 500
//! rows L is about 700 and rounds at about 1e-13, its curvature is about 500, so points
//! within about 2e-8 of the maximum cannot be told apart by their likelihood, and where in
//! that band the search stops depends on the last bits of L. To give the peers' numbers to
//! that last bit rather than to 2e-8, L is computed as R computes it, operation for
//! operation: thresholds by R's `qnorm` (Wichura's AS 241), Φ by R's `pnorm` (Cody), Φ₂ by
//! TVPACK's arithmetic, the cells in R's (column-major) order, and their sum in x87 extended
//! precision as R's `sum()` adds on x86-64. The first item of a pair gives the table's rows.
//! On the synthetic reference survey (13 five-point items, 78 pairs) every correlation then
//! agrees with the reference to 5e-16, where the exact root of dL/dρ differs from it by up to
//! 2.8e-8.
//!
//! Between an ordinal and a continuous item the correlation is polycor's two-step
//! polyserial: `√((n−1)/n) · sd(y) · r(x, y) / Σ φ(τ_k)`, y the ordinal item's category
//! number. Continuous pairs keep their Pearson correlation. With survey weights, counts,
//! proportions and moments are weighted, and rows of weight zero take no part (a category
//! only they use does not exist).
//!
//! Degenerate tables are handled, never as a NaN:
//! - an item with one category only cannot be ordinal (it has no variance):
//!   [`Error::ZeroVariance`];
//! - an empty category does not exist (categories are the values observed);
//! - a table whose likelihood rises towards ρ = ±1 (a 2×2 table with a zero cell, or
//!   perfectly ordered answers) gives ρ near ±0.9999, as polycor does, and a warning names
//!   the pair: the search stops at the bound, or where the probability of an empty cell
//!   cancels to ≤ 0 on the way there (such a point counts as the worst possible, as in R);
//! - the resulting matrix must be positive definite for PLS (Mode B blocks and the structural
//!   regressions invert parts of it); if it is not, [`Error::Singular`] names the first item
//!   at which its Cholesky factorisation fails: no repair is made silently.

mod bvn;
mod extended;
mod fmin;
mod normal;

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
        cuts.push(normal::qnorm(cum / total));
    }
    cuts.push(f64::INFINITY);
    Ok(Ordinal { cat, cuts })
}

/// −L(ρ) of a table (row-major, `a.len() − 1` rows) with row thresholds `a` and column
/// thresholds `b` (each with −∞ and +∞ at its ends), computed as R computes polycor's
/// objective. `prod` holds Φ(a_i)·Φ(b_j) at the interior corners (row-major, i, j from 1).
fn minus_loglik(table: &[f64], a: &[f64], b: &[f64], prod: &[f64], rho: f64) -> f64 {
    let (ka, kb) = (a.len() - 1, b.len() - 1);
    // Φ₂ at every corner (i, j), i = 0..=ka, j = 0..=kb.
    let mut f = vec![0.0; (ka + 1) * (kb + 1)];
    let small = bvn::Small::new(rho);
    for i in 1..=ka {
        for j in 1..=kb {
            f[i * (kb + 1) + j] = if i == ka || j == kb {
                bvn::cdf(a[i], b[j], rho)
            } else {
                let (h, k) = (-a[i], -b[j]);
                let phs = prod[(i - 1) * (kb - 1) + (j - 1)];
                match &small {
                    Some(s) => s.upper(h, k, phs),
                    None => bvn::upper(h, k, rho),
                }
            };
        }
    }
    let at = |i: usize, j: usize| f[i * (kb + 1) + j];
    // Column-major, as R's sum(tab * log(P)) runs through the matrices.
    let terms = (1..=kb).flat_map(|j| {
        (1..=ka).map(move |i| {
            let p = at(i, j) - at(i, j - 1) - at(i - 1, j) + at(i - 1, j - 1);
            table[(i - 1) * kb + (j - 1)] * p.ln()
        })
    });
    -extended::sum(terms)
}

/// Tolerance of the search for ρ (R's `optimize(tol = 1e-12)`).
const SEARCH_TOL: f64 = 1e-12;

/// The two-step polychoric correlation of two ordinal items (x the rows), and whether its
/// likelihood rose to the ±[`RHO_LIMIT`] bound.
fn polychoric(x: &Ordinal, y: &Ordinal, w: Option<&[f64]>) -> (f64, bool) {
    let (ka, kb) = (x.cuts.len() - 1, y.cuts.len() - 1);
    let mut table = vec![0.0; ka * kb];
    for i in 0..x.cat.len() {
        table[x.cat[i] * kb + y.cat[i]] += w.map_or(1.0, |w| w[i]);
    }
    let mut prod = Vec::with_capacity((ka - 1) * (kb - 1));
    for i in 1..ka {
        for j in 1..kb {
            prod.push(normal::pnorm(x.cuts[i]) * normal::pnorm(y.cuts[j]));
        }
    }
    let minus = |r| minus_loglik(&table, &x.cuts, &y.cuts, &prod, r);
    let rho = fmin::fmin(-RHO_LIMIT, RHO_LIMIT, minus, SEARCH_TOL);
    // At the bound, or stopped where the likelihood (rising on) stops being computable: the
    // probability of an empty cell cancels to ≤ 0 towards ±1.
    let beyond = rho + rho.signum() * ((RHO_LIMIT - rho.abs()) / 2.0).min(1e-3);
    let limit = RHO_LIMIT - rho.abs() < 1e-6 || !minus(beyond).is_finite();
    (rho, limit)
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
    // Rows of weight zero take no part (their answers are no categories).
    let kept: Option<(Vec<Vec<f64>>, Vec<f64>)> = weights.filter(|w| w.contains(&0.0)).map(|w| {
        let rows: Vec<usize> = (0..w.len()).filter(|&i| w[i] != 0.0).collect();
        let cols = cols
            .iter()
            .map(|c| rows.iter().map(|&i| c[i]).collect())
            .collect();
        (cols, rows.iter().map(|&i| w[i]).collect())
    });
    let kept_cols: Vec<&[f64]>;
    let (cols, weights) = match &kept {
        Some((c, w)) => {
            kept_cols = c.iter().map(Vec::as_slice).collect();
            (&kept_cols[..], Some(&w[..]))
        }
        None => (cols, weights),
    };
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
                "the polychoric likelihood of {} and {} rises towards a correlation of ±1 (a table with empty cells): set to {r}",
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
        assert!(limit && r > 0.99 && r <= RHO_LIMIT, "{r}");
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
        // The estimate maximises the likelihood: no better point a little to either side.
        let prod: Vec<f64> = (1..5)
            .flat_map(|i| (1..5).map(move |j| (i, j)))
            .map(|(i, j)| normal::pnorm(ou.cuts[i]) * normal::pnorm(ov.cuts[j]))
            .collect();
        let l = |r: f64| minus_loglik(&table, &ou.cuts, &ov.cuts, &prod, r);
        assert!(l(r) <= l(r + 1e-6) && l(r) <= l(r - 1e-6));
        assert!((r - 0.5).abs() < 0.1, "{r}");
        // The exact root of dL/dρ, by bisection on a central difference of L, is within the
        // band where L is flat to rounding.
        let (mut lo, mut hi) = (r - 1e-4, r + 1e-4);
        for _ in 0..60 {
            let mid = 0.5 * (lo + hi);
            if l(mid + 1e-7) < l(mid - 1e-7) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        assert!((r - lo).abs() < 1e-7, "{}", r - lo);
    }

    #[test]
    fn rows_of_weight_zero_take_no_part() {
        // A category (9) only a zero-weight row uses, and weights 2 as rows repeated.
        let x = [1.0, 2.0, 3.0, 2.0, 1.0, 3.0, 2.0, 3.0, 1.0, 9.0];
        let y = [1.0, 2.0, 2.0, 3.0, 1.0, 3.0, 1.0, 3.0, 2.0, 1.0];
        let w = [1.0, 2.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 0.0];
        let names = ["x".to_string(), "y".to_string()];
        let pearson = DMatrix::<f64>::identity(2, 2);
        let (s, _, _) = correlations(&names, &[&x, &y], Some(&w), &[true, true], &pearson).unwrap();
        let rep = |v: &[f64]| -> Vec<f64> {
            let mut out = v[..9].to_vec();
            out.push(v[1]);
            out
        };
        let (xr, yr) = (rep(&x), rep(&y));
        let (t, _, _) = correlations(&names, &[&xr, &yr], None, &[true, true], &pearson).unwrap();
        assert!(
            (s[(0, 1)] - t[(0, 1)]).abs() < 1e-12,
            "{} {}",
            s[(0, 1)],
            t[(0, 1)]
        );
    }

    #[test]
    fn random_small_tables_give_numbers_in_range() {
        // 2 to 7 categories, 3 to 60 rows, from independent to identical answers.
        let mut state = 99u64;
        let mut next = |m: u64| {
            state = state
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (state >> 33) % m
        };
        for _ in 0..400 {
            let (kx, ky) = (2 + next(6), 2 + next(6));
            let n = 3 + next(58) as usize;
            let tie = next(4);
            let x: Vec<f64> = (0..n).map(|_| next(kx) as f64).collect();
            let y: Vec<f64> = x
                .iter()
                .map(|&v| match tie {
                    0 => next(ky) as f64,
                    1 => v.min(ky as f64 - 1.0),
                    2 => (kx as f64 - 1.0 - v).min(ky as f64 - 1.0),
                    _ => (v + next(2) as f64).min(ky as f64 - 1.0),
                })
                .collect();
            let (Ok(ox), Ok(oy)) = (ordinal("x", &x, None), ordinal("y", &y, None)) else {
                continue;
            };
            let (r, _) = polychoric(&ox, &oy, None);
            assert!(r.is_finite() && r.abs() <= RHO_LIMIT, "{r} {x:?} {y:?}");
        }
    }
}
