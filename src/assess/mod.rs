//! Model assessment: reliability, validity, structural-model quality and fit.
//!
//! Where the peers define a measure differently, both are given and named after the peer
//! (`htmt_seminr` / `htmt_csem`, `f2_seminr` / `f2_csem`, `gof_plspm` / `gof_csem`); the
//! documentation of each field says which is the default in reports.
//!
//! Conventions for degenerate cases (never NaN):
//! - single-item blocks: α = ρ_C = ρ_A = AVE = 1 (seminr, plspm);
//! - reliability measures (α, ρ_C, ρ_A, AVE) are given for Mode A blocks only, as the peers do;
//! - negative α is reported as computed (plspm clips it to 0);
//! - cSEM's HTMT is omitted (with a note) for a pair where a block's mean within-block
//!   correlation is not positive, and for Mode B blocks; seminr's |r| version is always given;
//! - a quantity that would divide by zero (f² when R² = 1, an outer VIF of a collinear block)
//!   is omitted and named in `notes`.
//!
//! ```
//! use csindex::{LoadOptions, Model, Pls, Survey};
//! let survey = Survey::from_csv_path("data/acsi_sample.csv", &LoadOptions::new()).unwrap();
//! let fit = Pls::new().fit(&Model::acsi(), &survey).unwrap();
//! let a = fit.assess().unwrap();
//! assert!((a.ave.get("SAT").unwrap() - 0.802713312107937).abs() < 1e-10);
//! ```

use crate::error::Result;
use crate::linalg;
use crate::pls::{self, Fit, Keyed, Named, Spec};

mod blindfold;
mod higher_order;
mod implied;
mod measures;

pub use blindfold::Q2;
pub use higher_order::{DimensionAssessment, HigherOrderAssessment};
pub(crate) use measures::htmt_seminr;
use measures::*;
use nalgebra::DMatrix;
use serde::Serialize;

/// One specific indirect effect: a route through at least one mediator.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct IndirectEffect {
    /// Constructs along the route, first the cause, last the effect.
    pub route: Vec<String>,
    /// Product of the path coefficients along the route.
    pub effect: f64,
}

impl IndirectEffect {
    /// `"A->M->B"`.
    pub fn key(&self) -> String {
        self.route.join("->")
    }
}

/// Information criteria of one structural equation (seminr's definitions).
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct InfoCriteria {
    /// N ln(SSE/N) + 2(k+1).
    pub aic: f64,
    /// N ln(SSE/N) + (k+1) ln N.
    pub bic: f64,
}

/// Every assessment measure of a fit. Field names follow the peer reference files.
#[derive(Debug, Clone, Serialize)]
pub struct Assessment {
    /// Standardised Cronbach's α (plspm, seminr), Mode A blocks.
    pub alpha: Named,
    /// Raw-covariance Cronbach's α, Mode A blocks.
    pub alpha_raw: Named,
    /// Composite reliability ρ_C from the PLS loadings (seminr, cSEM, SmartPLS; default).
    pub rho_c: Named,
    /// plspm's Dillon–Goldstein ρ from the block's first principal component, Mode A blocks.
    pub rho_c_dg_pca: Named,
    /// Dijkstra–Henseler ρ_A, Mode A blocks (1 for single items).
    pub rho_a: Named,
    /// Average variance extracted (mean squared loading), Mode A blocks.
    pub ave: Named,
    /// √AVE per Mode A construct (the Fornell–Larcker diagonal).
    pub sqrt_ave: Named,
    /// Whether √AVE exceeds every |correlation| with another construct (Mode A blocks).
    pub fornell_larcker_ok: Keyed<bool>,
    /// HTMT with mean |r| (seminr; the default), keyed `"A~B"`.
    pub htmt_seminr: Named,
    /// HTMT with signed means, |·| at the end (cSEM); Mode A blocks only.
    pub htmt_csem: Named,
    /// HTMT2: geometric means of |r| (cSEM `htmt2`).
    pub htmt2: Named,
    /// Inner VIF `{TO: {FROM: VIF}}` (1 for a single predictor).
    pub vif_inner: Keyed<Named>,
    /// Outer VIF per indicator of multi-item blocks (diagonal of the inverse block correlation).
    pub vif_outer: Named,
    /// f² with the whole model re-estimated without the path (seminr; default in reports).
    pub f2_seminr: Named,
    /// f² from the fixed construct scores with the predictor dropped (cSEM).
    pub f2_csem: Named,
    /// GoF with communalities of multi-item blocks only (plspm; default in reports).
    pub gof_plspm: f64,
    /// GoF with all indicators' communalities (cSEM).
    pub gof_csem: f64,
    /// cSEM's SRMR: observed vs model-implied indicator correlations.
    pub srmr_csem: f64,
    /// Unweighted least-squares discrepancy ½ Σ (s − σ̂)² over all indicator pairs (cSEM).
    pub d_uls: f64,
    /// Geodesic discrepancy ½ Σ (log₁₀ λ)², λ the eigenvalues of S⁻¹Σ̂, as cSEM 0.6 and
    /// ADANCO 2.2 compute it (the default; checked against ADANCO's published output); `None`
    /// when Σ̂ is not positive definite.
    pub d_g: Option<f64>,
    /// The same with natural logarithms, ½ Σ (ln λ)² (Dijkstra & Henseler's formula read with
    /// ln; `(ln 10)² ≈ 5.30` times `d_g`).
    pub d_g_ln: Option<f64>,
    /// Every specific indirect effect (routes with at least one mediator).
    pub indirect_effects: Vec<IndirectEffect>,
    /// AIC and BIC per endogenous construct.
    pub info_criteria: Keyed<InfoCriteria>,
    /// Values omitted and why.
    pub notes: Vec<String>,
    /// Higher-order constructs: their dimensions' and their own measurement (Sarstedt et al.
    /// 2019; see [`HigherOrderAssessment`]); `higher_order_assessment` in JSON. Empty (and absent
    /// from JSON) for other models.
    #[serde(
        rename = "higher_order_assessment",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub higher_order: Vec<HigherOrderAssessment>,
}

impl Assessment {
    /// The HTMT of a pair (seminr definition), whatever the order of the names.
    pub fn htmt(&self, a: &str, b: &str) -> Option<f64> {
        self.htmt_seminr
            .get(&format!("{a}~{b}"))
            .or_else(|| self.htmt_seminr.get(&format!("{b}~{a}")))
    }
}

impl Fit {
    /// Computes every assessment measure. The only error is a failed seminr f² re-estimation
    /// (e.g. non-convergence of a reduced model), which is reported in `notes` instead when it
    /// is not fatal.
    pub fn assess(&self) -> Result<Assessment> {
        let sp = &self.spec();
        let s = &self.corr();
        let jn = sp.n_lv();
        let names = &sp.lv_names;
        let core = &self.core();
        let mut notes = Vec::new();
        let mode_a: Vec<usize> = (0..jn)
            .filter(|&j| sp.modes[j].has_mode_a_weights())
            .collect();

        let mut alpha = Vec::new();
        let mut alpha_raw = Vec::new();
        let mut rho_c = Vec::new();
        let mut rho_dg = Vec::new();
        let mut rho_a = Vec::new();
        let mut ave = Vec::new();
        let mut sqrt_ave = Vec::new();
        let mut fl_ok = Vec::new();
        // A value that is not finite (e.g. α when the mean inter-item correlation is −1/(K−1))
        // is left out with a note, never reported as NaN.
        let mut put = |v: &mut Vec<(String, f64)>, what: &str, j: usize, x: f64| {
            if x.is_finite() {
                v.push((names[j].clone(), x));
            } else {
                notes.push(format!(
                    "{what} of {} omitted: not finite for this block",
                    names[j]
                ));
            }
        };
        for &j in &mode_a {
            let blk = &sp.blocks[j];
            let lam: Vec<f64> = blk.clone().map(|k| core.loadings[k]).collect();
            put(&mut alpha, "alpha", j, alpha_std(s, blk));
            put(&mut alpha_raw, "alpha_raw", j, self.alpha_raw(blk));
            put(&mut rho_c, "rho_c", j, rho_c_of(&lam));
            let dg = if blk.len() < 2 {
                1.0
            } else {
                let sb = s
                    .view((blk.start, blk.start), (blk.len(), blk.len()))
                    .into_owned();
                let (ev, v) = linalg::top_eigen(&sb);
                let l: Vec<f64> = v.iter().map(|x| x * ev.sqrt()).collect();
                rho_c_of(&l)
            };
            put(&mut rho_dg, "rho_c_dg_pca", j, dg);
            put(&mut rho_a, "rho_a", j, core.rho_a[j]);
            let a = mean(&lam.iter().map(|x| x * x).collect::<Vec<_>>());
            ave.push((names[j].clone(), a));
            sqrt_ave.push((names[j].clone(), a.sqrt()));
            let ok = (0..jn)
                .filter(|&i| i != j)
                .all(|i| a.sqrt() > core.r[(i, j)].abs());
            fl_ok.push((names[j].clone(), ok));
        }

        // HTMT for all pairs i < j (keys "earlier~later", ordered by the later construct).
        let mut htmt_s = Vec::new();
        let mut htmt_c = Vec::new();
        let mut htmt_2 = Vec::new();
        for j in 0..jn {
            for i in 0..j {
                let key = format!("{}~{}", names[i], names[j]);
                let (wa, wb, bt) = htmt_parts(s, &sp.blocks[i], &sp.blocks[j]);
                match htmt_seminr(s, &sp.blocks[i], &sp.blocks[j]) {
                    Some(h) => htmt_s.push((key.clone(), h)),
                    None => notes.push(format!(
                        "htmt_seminr {key} omitted: a block's items are uncorrelated (mean |r| = 0)"
                    )),
                }
                if sp.modes[i].has_mode_a_weights() && sp.modes[j].has_mode_a_weights() {
                    let sm = |v: &[f64]| if v.is_empty() { 1.0 } else { mean(v) };
                    let prod = sm(&wa) * sm(&wb);
                    if prod > 0.0 && (sm(&bt) / prod.sqrt()).is_finite() {
                        htmt_c.push((key.clone(), (sm(&bt) / prod.sqrt()).abs()));
                    } else {
                        notes.push(format!(
                            "htmt_csem {key} omitted: a block's mean within-block correlation is not positive (cSEM prints 0 or NaN)"
                        ));
                    }
                }
                let g = |v: &[f64]| {
                    if v.is_empty() {
                        Some(1.0)
                    } else {
                        geo_mean_abs(v)
                    }
                };
                match (g(&bt), g(&wa), g(&wb)) {
                    (Some(x), Some(y), Some(z)) if y * z > 0.0 => {
                        htmt_2.push((key, x / (y * z).sqrt()))
                    }
                    _ => notes.push(format!(
                        "htmt2 {key} omitted: a correlation is exactly zero"
                    )),
                }
            }
        }

        // Inner VIF.
        let mut vif_inner = Vec::new();
        for j in 0..jn {
            let preds = &sp.preds[j];
            if preds.is_empty() {
                continue;
            }
            let mut row = Vec::new();
            for &p in preds {
                let others: Vec<usize> = preds.iter().copied().filter(|&q| q != p).collect();
                let v = match r2_of(&core.r, &others, p) {
                    Some(r2) if r2 < 1.0 => 1.0 / (1.0 - r2),
                    _ => {
                        notes.push(format!(
                            "vif_inner {}<-{} omitted: collinear predictors",
                            names[j], names[p]
                        ));
                        continue;
                    }
                };
                row.push((names[p].clone(), v));
            }
            vif_inner.push((names[j].clone(), Named(row)));
        }

        // Outer VIF.
        let mut vif_outer = Vec::new();
        for (j, blk) in sp.blocks.iter().enumerate() {
            if blk.len() < 2 {
                continue;
            }
            let sb = s
                .view((blk.start, blk.start), (blk.len(), blk.len()))
                .into_owned();
            match linalg::inverse_spd(&sb) {
                Some(inv) => {
                    for (a, k) in blk.clone().enumerate() {
                        vif_outer.push((sp.names[k].clone(), inv[(a, a)]));
                    }
                }
                None => notes.push(format!(
                    "vif_outer of block '{}' omitted: its indicators are collinear",
                    names[j]
                )),
            }
        }

        // f² (cSEM: fixed scores; seminr: re-estimated model).
        let mut f2_csem = Vec::new();
        let mut f2_seminr = Vec::new();
        for &(a, b) in &sp.paths {
            let key = self.path_key(a, b);
            let incl = core.r2[b].unwrap_or(0.0);
            if !(incl < 1.0) {
                notes.push(format!("f2 {key} omitted: R² of {} is 1", names[b]));
                continue;
            }
            let others: Vec<usize> = sp.preds[b].iter().copied().filter(|&q| q != a).collect();
            let excl = r2_of(&core.r, &others, b).unwrap_or(0.0);
            let fc = (incl - excl) / (1.0 - incl);
            f2_csem.push((key.clone(), fc));
            if others.is_empty() {
                f2_seminr.push((key, fc));
            } else {
                match self.refit_without(a, b) {
                    Ok(excl2) => f2_seminr.push((key, (incl - excl2) / (1.0 - incl))),
                    Err(e) => notes.push(format!(
                        "f2_seminr {key} omitted: re-estimation failed: {e}"
                    )),
                }
            }
        }

        // GoF.
        let endo: Vec<f64> = core.r2.iter().flatten().copied().collect();
        let mean_r2 = if endo.is_empty() { 0.0 } else { mean(&endo) };
        let comm_all: Vec<f64> = core.loadings.iter().map(|x| x * x).collect();
        let comm_multi: Vec<f64> = sp
            .blocks
            .iter()
            .filter(|b| b.len() > 1)
            .flat_map(|b| b.clone().map(|k| core.loadings[k] * core.loadings[k]))
            .collect();
        let gof_csem = (mean(&comm_all) * mean_r2).sqrt();
        let gof_plspm = if comm_multi.is_empty() {
            gof_csem
        } else {
            (mean(&comm_multi) * mean_r2).sqrt()
        };

        let (srmr_csem, d_uls, d_g_ln) = self.discrepancies();
        let d_g = d_g_ln.map(|g| g / std::f64::consts::LN_10.powi(2));
        if d_g.is_none() {
            notes.push(
                "d_g omitted: the model-implied correlation matrix is not positive definite".into(),
            );
        }

        let mut indirect = Vec::new();
        match sp.graph.all_routes() {
            Some(routes) => {
                for r in routes {
                    let effect = r.windows(2).map(|w| core.b[(w[0], w[1])]).product();
                    indirect.push(IndirectEffect {
                        route: r.iter().map(|&k| names[k].clone()).collect(),
                        effect,
                    });
                }
            }
            None => notes.push(format!(
                "specific indirect effects omitted: the model has {:.0} routes through \
                 mediators (more than {}); total and indirect effects are given",
                sp.graph.mediated_routes(),
                crate::model::MAX_ROUTES
            )),
        }

        let n = self.n();
        let info = (0..jn)
            .filter_map(|j| {
                core.r2[j].map(|r2| {
                    let k = sp.preds[j].len() as f64;
                    let sse = ((1.0 - r2) * (n - 1.0)).max(f64::MIN_POSITIVE);
                    let base = n * (sse / n).ln();
                    (
                        names[j].clone(),
                        InfoCriteria {
                            aic: base + 2.0 * (k + 1.0),
                            bic: base + (k + 1.0) * n.ln(),
                        },
                    )
                })
            })
            .collect();

        let mut a = Assessment {
            alpha: Named(alpha),
            alpha_raw: Named(alpha_raw),
            rho_c: Named(rho_c),
            rho_c_dg_pca: Named(rho_dg),
            rho_a: Named(rho_a),
            ave: Named(ave),
            sqrt_ave: Named(sqrt_ave),
            fornell_larcker_ok: Keyed(fl_ok),
            htmt_seminr: Named(htmt_s),
            htmt_csem: Named(htmt_c),
            htmt2: Named(htmt_2),
            vif_inner: Keyed(vif_inner),
            vif_outer: Named(vif_outer),
            f2_seminr: Named(f2_seminr),
            f2_csem: Named(f2_csem),
            gof_plspm,
            gof_csem,
            srmr_csem,
            d_uls,
            d_g,
            d_g_ln,
            indirect_effects: indirect,
            info_criteria: Keyed(info),
            notes,
            higher_order: Vec::new(),
        };
        a.higher_order = self.assess_higher_order(&a)?;
        Ok(a)
    }

    fn alpha_raw(&self, blk: &std::ops::Range<usize>) -> f64 {
        let k = blk.len();
        if k < 2 {
            return 1.0;
        }
        let (mut total, mut diag) = (0.0, 0.0);
        for a in blk.clone() {
            for b in blk.clone() {
                let c = self.corr()[(a, b)] * self.item_sds()[a] * self.item_sds()[b];
                total += c;
                if a == b {
                    diag += c;
                }
            }
        }
        let kf = k as f64;
        kf / (kf - 1.0) * (1.0 - diag / total)
    }

    /// R² of `to` after re-estimating the model without the path `from → to`.
    fn refit_without(&self, from: usize, to: usize) -> Result<f64> {
        let reduced = self.model().without_path(from, to)?;
        let mut spec = Spec::new(&reduced);
        // The same blocks: keep their measurement (fixed weights, uncorrected blocks).
        spec.fixed = self.spec().fixed.clone();
        spec.modes = self.spec().modes.clone();
        let idx: Vec<usize> = spec
            .names
            .iter()
            .map(|n| self.spec().names.iter().position(|m| m == n).unwrap_or(0))
            .collect();
        let s = DMatrix::from_fn(idx.len(), idx.len(), |a, b| self.corr()[(idx[a], idx[b])]);
        let core = pls::solve(&s, &spec, self.settings(), self.n())?;
        let target = reduced.construct_index(&self.spec().lv_names[to])?;
        Ok(core.r2[target].unwrap_or(0.0))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// 2 × 2 case: S⁻¹Σ̂ has eigenvalues (1 ± q)/(1 ± r).
    #[test]
    fn geodesic_distance_by_hand() {
        let (r, q): (f64, f64) = (0.5, 0.3);
        let s = DMatrix::from_row_slice(2, 2, &[1.0, r, r, 1.0]);
        let sig = DMatrix::from_row_slice(2, 2, &[1.0, q, q, 1.0]);
        let want =
            0.5 * (((1.0 + q) / (1.0 + r)).ln().powi(2) + ((1.0 - q) / (1.0 - r)).ln().powi(2));
        assert!((d_geodesic(&s, &sig).unwrap() - want).abs() < 1e-14);
        assert!(d_geodesic(&s, &s).unwrap().abs() < 1e-28);
        let not_pd = DMatrix::from_row_slice(2, 2, &[1.0, 1.5, 1.5, 1.0]);
        assert!(d_geodesic(&s, &not_pd).is_none());
    }
}
