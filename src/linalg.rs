//! The one place that calls matrix products and decompositions.
//!
//! Everything here works on small dense `f64` matrices (p ≤ a few hundred), except [`gram`], the
//! O(n p²) product that dominates a fit and every bootstrap replicate.

use nalgebra::{DMatrix, DVector};

/// Relative pivot below which a symmetric positive (semi)definite system counts as singular.
const PIVOT_TOL: f64 = 1e-12;

/// `xᵀ x` for a tall column-major matrix, through the blocked GEMM path.
///
/// `x.transpose() * x` goes through matrixmultiply's GEMM, 2-3× faster than `tr_mul`, which
/// does one dot product per entry. The transpose is an owned copy, so no strided view
/// ever reaches nalgebra's small-matrix fallback.
pub(crate) fn gram(x: &DMatrix<f64>) -> DMatrix<f64> {
    let mut g = cross(x, x);
    symmetrize(&mut g);
    g
}

/// `aᵀ b` by the same GEMM path (an owned transpose, as for [`gram`]). nalgebra hands a
/// product to matrixmultiply only when every dimension exceeds 5, and otherwise computes it
/// as one vector operation per row or column, many times slower: so with at most two columns
/// on either side (or at most five rows) each entry is one [`dot`], and operands of three to
/// five columns are padded with zero columns to six (exact zeros, dropped from the result).
pub(crate) fn cross(a: &DMatrix<f64>, b: &DMatrix<f64>) -> DMatrix<f64> {
    const GEMM_MIN: usize = 6;
    let (m, n) = (a.ncols(), b.ncols());
    if m <= 2 || n <= 2 || a.nrows() < GEMM_MIN {
        return DMatrix::from_fn(m, n, |i, j| {
            dot(a.column(i).as_slice(), b.column(j).as_slice())
        });
    }
    if m >= GEMM_MIN && n >= GEMM_MIN {
        return a.transpose() * b;
    }
    let pad = |x: &DMatrix<f64>| {
        let mut cells = x.as_slice().to_vec();
        cells.resize(x.nrows() * GEMM_MIN.max(x.ncols()), 0.0);
        DMatrix::from_vec(x.nrows(), GEMM_MIN.max(x.ncols()), cells)
    };
    let (pa, pb) = (pad(a), pad(b));
    (pa.transpose() * pb).view((0, 0), (m, n)).into_owned()
}

/// Lanes of [`sum`] and [`dot`]: sixteen independent partial sums, enough to hide the
/// latency of the additions (eight left the loop waiting on them).
const LANES: usize = 16;

/// Adds the lanes of [`sum`] and [`dot`] pairwise, in a fixed order.
fn fold_lanes(acc: [f64; LANES]) -> f64 {
    let mut v = acc;
    let mut width = LANES;
    while width > 1 {
        width /= 2;
        for k in 0..width {
            v[k] += v[k + width];
        }
    }
    v[0]
}

/// `Σ xᵢ`, in sixteen interleaved partial sums added in a fixed order, as [`dot`].
pub(crate) fn sum(x: &[f64]) -> f64 {
    let cx = x.chunks_exact(LANES);
    let rx = cx.remainder();
    let mut acc = [0.0f64; LANES];
    for a in cx {
        for k in 0..LANES {
            acc[k] += a[k];
        }
    }
    let mut s = fold_lanes(acc);
    for a in rx {
        s += a;
    }
    s
}

/// `Σ xᵢ yᵢ` for slices of the same length, in sixteen interleaved partial sums added in a
/// fixed order (vectorised, and the same bits on every machine).
pub(crate) fn dot(x: &[f64], y: &[f64]) -> f64 {
    debug_assert_eq!(x.len(), y.len());
    let (cx, cy) = (x.chunks_exact(LANES), y.chunks_exact(LANES));
    let (rx, ry) = (cx.remainder(), cy.remainder());
    let mut acc = [0.0f64; LANES];
    for (a, b) in cx.zip(cy) {
        for k in 0..LANES {
            acc[k] += a[k] * b[k];
        }
    }
    let mut s = fold_lanes(acc);
    for (a, b) in rx.iter().zip(ry) {
        s += a * b;
    }
    s
}

/// Makes a numerically symmetric matrix exactly symmetric (mean of the two triangles).
pub(crate) fn symmetrize(g: &mut DMatrix<f64>) {
    let p = g.nrows();
    for j in 0..p {
        for i in (j + 1)..p {
            let v = 0.5 * (g[(i, j)] + g[(j, i)]);
            g[(i, j)] = v;
            g[(j, i)] = v;
        }
    }
}

/// Cholesky factor `L` of a symmetric positive definite matrix, or `None` when a pivot falls
/// below `1e-12` times the largest diagonal entry (singular or numerically singular).
pub(crate) fn cholesky(a: &DMatrix<f64>) -> Option<DMatrix<f64>> {
    cholesky_or_pivot(a).ok()
}

/// The first pivot at which the Cholesky factorisation of `a` fails (see [`cholesky`]), or
/// `None` when `a` is positive definite.
pub(crate) fn cholesky_fails_at(a: &DMatrix<f64>) -> Option<usize> {
    cholesky_or_pivot(a).err()
}

fn cholesky_or_pivot(a: &DMatrix<f64>) -> Result<DMatrix<f64>, usize> {
    let n = a.nrows();
    if n != a.ncols() {
        return Err(0);
    }
    let scale = (0..n).map(|i| a[(i, i)].abs()).fold(0.0_f64, f64::max);
    if !(scale > 0.0) || !scale.is_finite() {
        return Err(0);
    }
    let mut l = DMatrix::<f64>::zeros(n, n);
    for j in 0..n {
        let mut d = a[(j, j)];
        for k in 0..j {
            d -= l[(j, k)] * l[(j, k)];
        }
        if !(d > PIVOT_TOL * scale) {
            return Err(j);
        }
        let djj = d.sqrt();
        l[(j, j)] = djj;
        for i in (j + 1)..n {
            let mut s = a[(i, j)];
            for k in 0..j {
                s -= l[(i, k)] * l[(j, k)];
            }
            l[(i, j)] = s / djj;
        }
    }
    Ok(l)
}

/// Solves `L Lᵀ x = b` given the Cholesky factor.
pub(crate) fn cholesky_solve(l: &DMatrix<f64>, b: &DVector<f64>) -> DVector<f64> {
    let mut y = b.clone();
    cholesky_solve_in_place(l, y.as_mut_slice());
    y
}

/// Solves `L Lᵀ x = b` in place (`y` holds b, then x).
pub(crate) fn cholesky_solve_in_place(l: &DMatrix<f64>, y: &mut [f64]) {
    let n = l.nrows();
    for i in 0..n {
        let mut s = y[i];
        for k in 0..i {
            s -= l[(i, k)] * y[k];
        }
        y[i] = s / l[(i, i)];
    }
    for i in (0..n).rev() {
        let mut s = y[i];
        for k in (i + 1)..n {
            s -= l[(k, i)] * y[k];
        }
        y[i] = s / l[(i, i)];
    }
}

/// Solves `a x = b` in place for a small symmetric positive definite k × k system held
/// column-major in `a` (overwritten by its Cholesky factor); `b` becomes x. `false` when `a` is
/// singular (the pivot rule of [`cholesky`]). No allocation: for the PLS iteration's
/// regressions.
pub(crate) fn solve_spd_in_place(a: &mut [f64], b: &mut [f64], k: usize) -> bool {
    let scale = (0..k).map(|i| a[i + k * i].abs()).fold(0.0_f64, f64::max);
    if !(scale > 0.0) || !scale.is_finite() {
        return false;
    }
    // Lower factor in the lower triangle: l[i, j] = a[i + k·j].
    for j in 0..k {
        let mut d = a[j + k * j];
        for m in 0..j {
            d -= a[j + k * m] * a[j + k * m];
        }
        if !(d > PIVOT_TOL * scale) {
            return false;
        }
        let djj = d.sqrt();
        a[j + k * j] = djj;
        for i in (j + 1)..k {
            let mut s = a[i + k * j];
            for m in 0..j {
                s -= a[i + k * m] * a[j + k * m];
            }
            a[i + k * j] = s / djj;
        }
    }
    for i in 0..k {
        let mut s = b[i];
        for m in 0..i {
            s -= a[i + k * m] * b[m];
        }
        b[i] = s / a[i + k * i];
    }
    for i in (0..k).rev() {
        let mut s = b[i];
        for m in (i + 1)..k {
            s -= a[m + k * i] * b[m];
        }
        b[i] = s / a[i + k * i];
    }
    true
}

/// Solves the symmetric positive definite system `a x = b`; `None` when `a` is singular.
pub(crate) fn solve_spd(a: &DMatrix<f64>, b: &DVector<f64>) -> Option<DVector<f64>> {
    let l = cholesky(a)?;
    Some(cholesky_solve(&l, b))
}

/// Inverse of a symmetric positive definite matrix; `None` when singular.
pub(crate) fn inverse_spd(a: &DMatrix<f64>) -> Option<DMatrix<f64>> {
    let l = cholesky(a)?;
    let n = a.nrows();
    let mut inv = DMatrix::<f64>::zeros(n, n);
    for j in 0..n {
        let mut e = DVector::<f64>::zeros(n);
        e[j] = 1.0;
        let x = cholesky_solve(&l, &e);
        inv.set_column(j, &x);
    }
    symmetrize(&mut inv);
    Some(inv)
}

/// Inverse of a lower-triangular matrix with a non-zero diagonal (a Cholesky factor).
pub(crate) fn inverse_lower(l: &DMatrix<f64>) -> DMatrix<f64> {
    let n = l.nrows();
    let mut inv = DMatrix::<f64>::zeros(n, n);
    for j in 0..n {
        inv[(j, j)] = 1.0 / l[(j, j)];
        for i in (j + 1)..n {
            let s: f64 = (j..i).map(|k| l[(i, k)] * inv[(k, j)]).sum();
            inv[(i, j)] = -s / l[(i, i)];
        }
    }
    inv
}

/// Eigenvalues of a symmetric matrix (any order).
pub(crate) fn eigenvalues(a: &DMatrix<f64>) -> Vec<f64> {
    nalgebra::SymmetricEigen::new(a.clone())
        .eigenvalues
        .iter()
        .copied()
        .collect()
}

/// Largest eigenvalue of a symmetric matrix and its unit eigenvector (sign: first nonzero entry
/// positive, so the result is deterministic).
pub(crate) fn top_eigen(a: &DMatrix<f64>) -> (f64, DVector<f64>) {
    let eig = nalgebra::SymmetricEigen::new(a.clone());
    let mut best = 0;
    for i in 1..eig.eigenvalues.len() {
        if eig.eigenvalues[i] > eig.eigenvalues[best] {
            best = i;
        }
    }
    let mut v: DVector<f64> = eig.eigenvectors.column(best).into_owned();
    if let Some(first) = v.iter().find(|x| x.abs() > 1e-15) {
        if *first < 0.0 {
            v.neg_mut();
        }
    }
    (eig.eigenvalues[best], v)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thin_cross_products_and_sums_match_naive() {
        for n in [0, 1, 5, 7, 8, 9, 37, 500] {
            let a = DMatrix::from_fn(n, 2, |i, j| ((i * 3 + j) % 7) as f64 - 2.5);
            let b = DMatrix::from_fn(n, 15, |i, j| ((i + 5 * j) % 11) as f64 * 0.25);
            let c4 = DMatrix::from_fn(n, 4, |i, j| ((i * 2 + 3 * j) % 5) as f64 + 0.5);
            for (x, y) in [
                (&a, &b),
                (&b, &a),
                (&c4, &b),
                (&b, &c4),
                (&c4, &c4),
                (&b, &b),
            ] {
                let c = cross(x, y);
                let naive = x.transpose() * y;
                assert_eq!(c.shape(), naive.shape());
                assert!((c - naive).abs().max() < 1e-12 * (n as f64 + 1.0));
            }
            let col = b.column(3);
            let s: f64 = col.iter().sum();
            assert!((sum(col.as_slice()) - s).abs() < 1e-12 * (n as f64 + 1.0));
        }
    }

    #[test]
    fn gram_matches_naive_on_small_and_large_shapes() {
        for &(n, p) in &[(3usize, 2usize), (5, 5), (7, 6), (40, 24), (300, 3)] {
            let x = DMatrix::from_fn(n, p, |i, j| {
                ((i * 7 + j * 13) % 11) as f64 - 5.0 + 0.1 * j as f64
            });
            let g = gram(&x);
            for a in 0..p {
                for b in 0..p {
                    let s: f64 = (0..n).map(|i| x[(i, a)] * x[(i, b)]).sum();
                    assert!((g[(a, b)] - s).abs() < 1e-9 * (1.0 + s.abs()));
                }
            }
        }
    }

    #[test]
    fn cholesky_detects_singular() {
        let a = DMatrix::from_row_slice(2, 2, &[1.0, 1.0, 1.0, 1.0]);
        assert!(cholesky(&a).is_none());
        let b = DMatrix::from_row_slice(2, 2, &[2.0, 0.5, 0.5, 1.0]);
        let x = solve_spd(&b, &DVector::from_vec(vec![1.0, 2.0])).unwrap();
        assert!((2.0 * x[0] + 0.5 * x[1] - 1.0).abs() < 1e-14);
        assert!((0.5 * x[0] + x[1] - 2.0).abs() < 1e-14);
        let inv = inverse_spd(&b).unwrap();
        let id = &b * &inv;
        assert!((id[(0, 0)] - 1.0).abs() < 1e-14 && id[(0, 1)].abs() < 1e-14);
    }

    #[test]
    fn lower_inverse() {
        let a = DMatrix::from_row_slice(3, 3, &[4.0, 2.0, 0.6, 2.0, 2.0, 0.5, 0.6, 0.5, 3.0]);
        let l = cholesky(&a).unwrap();
        let id = &l * inverse_lower(&l);
        for i in 0..3 {
            for j in 0..3 {
                assert!((id[(i, j)] - if i == j { 1.0 } else { 0.0 }).abs() < 1e-14);
            }
        }
    }

    #[test]
    fn top_eigen_of_diagonal() {
        let a = DMatrix::from_row_slice(2, 2, &[1.0, 0.0, 0.0, 3.0]);
        let (l, v) = top_eigen(&a);
        assert!((l - 3.0).abs() < 1e-14);
        assert!((v[1] - 1.0).abs() < 1e-14);
    }
}
