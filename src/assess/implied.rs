//! The model-implied correlations of cSEM's `fit()` and the fit measures built on them (SRMR,
//! d_ULS, d_G).

use super::measures::d_geodesic;
use crate::pls::Fit;
use nalgebra::DMatrix;

impl Fit {
    /// The model-implied indicator correlation matrix of cSEM's `fit()`: composite (Mode B)
    /// blocks keep their observed within-block correlations, Mode A blocks are common factors
    /// (λλᵀ within the block), and construct correlations are those implied by the recursive
    /// structural model.
    pub(crate) fn implied_indicator_correlations(&self) -> DMatrix<f64> {
        let sp = &self.spec();
        let p = sp.names.len();
        let phi = self.implied_construct_correlations();
        DMatrix::from_fn(p, p, |a, b| {
            let (ja, jb) = (sp.block_of(a), sp.block_of(b));
            if a == b {
                1.0
            } else if ja == jb && !sp.modes[ja].is_common_factor() {
                self.corr()[(a, b)]
            } else {
                self.core().loadings[a] * self.core().loadings[b] * phi[(ja, jb)]
            }
        })
    }

    /// cSEM's SRMR, d_ULS and d_G (the last `None` when the implied matrix is not positive
    /// definite).
    pub(super) fn discrepancies(&self) -> (f64, f64, Option<f64>) {
        let implied = self.implied_indicator_correlations();
        let p = implied.nrows();
        let mut lower = 0.0; // Σ_{a ≤ b} (s − σ̂)²
        for a in 0..p {
            for b in a..p {
                lower += (self.corr()[(a, b)] - implied[(a, b)]).powi(2);
            }
        }
        let srmr = (lower / (p * (p + 1) / 2) as f64).sqrt();
        // d_ULS = ½ Σ_{a,b} (s − σ̂)²; the diagonal is exactly 0, so it is the lower-triangle sum.
        let d_uls = lower;
        (srmr, d_uls, d_geodesic(self.corr(), &implied))
    }

    /// Construct correlations implied by the structural model (exogenous block saturated):
    /// cSEM's `(I−B)⁻¹(ΓΦΓᵀ+Ψ)(I−B)⁻ᵀ` with `Ψ = diag(1 − R²)`, computed recursively in causal
    /// order, diagonal set to 1.
    pub(crate) fn implied_construct_correlations(&self) -> DMatrix<f64> {
        let sp = &self.spec();
        let jn = sp.n_lv();
        let r = &self.core().r;
        let order = self.spec().graph.order().to_vec();
        let mut phi = r.clone();
        // Recursive model: cov(η_j, η_k) for k before j = Σ_i β_ij cov(η_i, η_k); var = 1.
        for (pos, &j) in order.iter().enumerate() {
            if sp.preds[j].is_empty() {
                continue;
            }
            for &k in &order[..pos] {
                let v: f64 = sp.preds[j]
                    .iter()
                    .map(|&i| self.core().b[(i, j)] * phi[(i, k)])
                    .sum();
                phi[(j, k)] = v;
                phi[(k, j)] = v;
            }
            // Implied variance Σ ββ φ̂ + ψ with ψ = 1 − R² (cSEM): it is carried into the
            // successors' covariances, and the diagonal is set to 1 only at the end.
            let mut var = 1.0 - self.core().r2[j].unwrap_or(0.0);
            for &a in &sp.preds[j] {
                for &c in &sp.preds[j] {
                    var += self.core().b[(a, j)] * self.core().b[(c, j)] * phi[(a, c)];
                }
            }
            phi[(j, j)] = var;
        }
        for j in 0..jn {
            phi[(j, j)] = 1.0;
        }
        phi
    }
}
