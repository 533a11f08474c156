//! Blindfolding: Stone–Geisser Q² (redundancy and communality) by omission rounds.

use crate::error::Result;
use crate::pls::{self, Fit};
use serde::Serialize;

/// Stone–Geisser Q² of one endogenous construct by blindfolding.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Q2 {
    /// The construct.
    pub construct: String,
    /// Cross-validated redundancy: omitted cells predicted from the predecessors' scores.
    pub redundancy: f64,
    /// Cross-validated communality: omitted cells predicted from the construct's own scores.
    pub communality: f64,
}

impl Fit {
    /// Blindfolding Q² (Stone–Geisser) for every endogenous Mode A construct, with omission
    /// distance `d` (5–12 usual; 7 is the common default).
    ///
    /// The cells of the construct's block are numbered row by row (cell `i·K + k` for row `i`,
    /// item `k` of K); round `r` of `d` omits the cells whose number is `r` mod `d`, replaces
    /// them by the mean of the column's remaining cells, re-estimates the whole model on that
    /// data, and predicts each omitted cell in standardised units — from the predecessors
    /// (`λ_k Σ_i β_ij ŷ_i`, redundancy) or from the construct itself (`λ_k ŷ_j`, communality) —
    /// then back-transforms with the round's item mean and sd.
    /// `Q² = 1 − Σ SSE / Σ SSO` with `SSO = Σ (x − mean of remaining cells)²` (SmartPLS's
    /// definition; none of seminr, cSEM, plspm implements it).
    ///
    /// With survey weights, the fits, the means of the remaining cells and the sums of squares
    /// are weighted.
    ///
    /// # Errors
    /// [`Error::NeedsRows`](crate::Error::NeedsRows) for a fit from moments;
    /// [`Error::InvalidArgument`](crate::Error::InvalidArgument) for d outside 2..n; the
    /// estimation errors of a round's re-estimation.
    pub fn blindfold(&self, d: usize) -> Result<Vec<Q2>> {
        self.refuse_ordinal("blindfolding")?;
        let sp = &self.spec();
        let rows = self.rows("blindfolding")?;
        let wt = |i: usize| rows.weights.as_ref().map_or(1.0, |w| w[i]);
        let n = self.n_used();
        if d < 2 || d >= n {
            return Err(crate::error::Error::invalid(
                "omission distance",
                format!("{d} (need 2 ≤ d < n = {n})"),
            ));
        }
        let mut out = Vec::new();
        for j in 0..sp.n_lv() {
            if sp.preds[j].is_empty() || !sp.modes[j].has_mode_a_weights() {
                continue;
            }
            let blk = sp.blocks[j].clone();
            let k_len = blk.len();
            let (mut sse_r, mut sse_c, mut sso) = (0.0, 0.0, 0.0);
            for round in 0..d {
                let mut raw = rows.raw.clone();
                let omitted = |i: usize, k: usize| (i * k_len + k) % d == round;
                for (k, col) in blk.clone().enumerate() {
                    let (sum, tot) = (0..n)
                        .filter(|&i| !omitted(i, k))
                        .fold((0.0, 0.0), |(s, t), i| {
                            (s + wt(i) * rows.raw[(i, col)], t + wt(i))
                        });
                    let m = sum / tot;
                    for i in (0..n).filter(|&i| omitted(i, k)) {
                        raw[(i, col)] = m;
                    }
                }
                let est = pls::estimate_raw(
                    &raw,
                    rows.weights.as_deref(),
                    self.moments().weights(),
                    sp,
                    self.settings(),
                )?;
                for (k, col) in blk.clone().enumerate() {
                    let (m, sd) = (est.means[col], est.sds[col]);
                    let lam = est.core.loadings[col];
                    for i in (0..n).filter(|&i| omitted(i, k)) {
                        let x = rows.raw[(i, col)];
                        let from_preds: f64 = sp.preds[j]
                            .iter()
                            .map(|&p| est.core.b[(p, j)] * est.scores[(i, p)])
                            .sum();
                        let red = lam * from_preds * sd + m;
                        let com = lam * est.scores[(i, j)] * sd + m;
                        sse_r += wt(i) * (x - red) * (x - red);
                        sse_c += wt(i) * (x - com) * (x - com);
                        sso += wt(i) * (x - m) * (x - m);
                    }
                }
            }
            if !(sso > 0.0) {
                return Err(crate::error::Error::Singular {
                    construct: sp.lv_names[j].clone(),
                    what: "blindfolding: the omitted cells do not vary around their means".into(),
                });
            }
            out.push(Q2 {
                construct: sp.lv_names[j].clone(),
                redundancy: 1.0 - sse_r / sso,
                communality: 1.0 - sse_c / sso,
            });
        }
        Ok(out)
    }
}
