//! Assessment of higher-order constructs (Sarstedt, Hair, Cheah, Becker & Ringle 2019,
//! "How to specify, estimate, and validate higher-order constructs in PLS-SEM").
//!
//! The dimensions (lower-order constructs) are assessed as measured by their items: in stage
//! one for the two-stage approaches, in the one estimation for repeated indicators. The
//! higher-order construct's measurement model is its dimensions:
//! - reflective (`=~`): its loadings on the dimensions (≥ 0.708), ρ_C and ρ_A (0.70–0.95),
//!   Cronbach's α and AVE (≥ 0.5) from those loadings, and its HTMT with the other
//!   constructs (< 0.85, or < 0.90 for conceptually close ones);
//! - formative (`<~`): the collinearity of its dimensions (VIF < 3; ≥ 5 is critical) and their
//!   weights (whose significance the bootstrap gives).
//!
//! With repeated indicators the paths from the higher-order construct to its dimensions play
//! the loadings' part (ρ_C and AVE from them; α, ρ_A and HTMT are not defined there).

use super::measures::{mean, rho_c_of};
use super::Assessment;
use crate::error::Result;
use crate::linalg;
use crate::pls::{Fit, HocMethod};
use nalgebra::DMatrix;
use serde::Serialize;

/// One dimension (lower-order construct) of a higher-order construct.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct DimensionAssessment {
    /// The dimension.
    pub name: String,
    /// The higher-order construct's weight on it (`None` with repeated indicators).
    pub weight: Option<f64>,
    /// Its loading on the higher-order construct (the path to it with repeated indicators).
    pub loading: f64,
    /// Its VIF among the dimensions (diagonal of the inverse of their correlation matrix).
    pub vif: Option<f64>,
    /// Standardised Cronbach's α of its items (Mode A dimensions).
    pub alpha: Option<f64>,
    /// ρ_C of its items.
    pub rho_c: Option<f64>,
    /// ρ_A of its items.
    pub rho_a: Option<f64>,
    /// AVE of its items.
    pub ave: Option<f64>,
    /// Thresholds missed (`"loading<.708"`, `"AVE<.5"`, `"rho_C<.7"`, `"VIF>=3"`, ...).
    pub flags: Vec<String>,
}

/// The assessment of one higher-order construct (see the module documentation).
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct HigherOrderAssessment {
    /// The higher-order construct.
    pub construct: String,
    /// How it was estimated (`"disjoint"`, `"csem-2stage"`, `"csem-mixed"`, `"repeated"`).
    pub method: String,
    /// `"reflective"` (`=~`) or `"formative"` (`<~`).
    pub measurement: String,
    /// Its dimensions.
    pub dimensions: Vec<DimensionAssessment>,
    /// Cronbach's α of the dimensions' scores (two-stage approaches).
    pub alpha: Option<f64>,
    /// ρ_C from its loadings on the dimensions.
    pub rho_c: Option<f64>,
    /// ρ_A of the dimensions' scores (two-stage approaches).
    pub rho_a: Option<f64>,
    /// AVE from its loadings on the dimensions.
    pub ave: Option<f64>,
    /// Its largest HTMT with a construct outside its structure, and that construct.
    pub htmt_max: Option<(String, f64)>,
    /// Thresholds missed by the higher-order construct itself.
    pub flags: Vec<String>,
}

impl Fit {
    /// The assessment of each higher-order construct (empty for other fits); `own` is this
    /// fit's assessment.
    pub(super) fn assess_higher_order(
        &self,
        own: &Assessment,
    ) -> Result<Vec<HigherOrderAssessment>> {
        let Some(refit) = self.refit() else {
            return Ok(Vec::new());
        };
        let model = refit.model();
        let method = self.settings().hoc;
        let stage1 = match method {
            HocMethod::RepeatedIndicators => None,
            _ => self.first_stage(),
        };
        let dims_assessment = match stage1 {
            Some(s1) => Some(s1.assess()?),
            None => None,
        };
        let lower = dims_assessment.as_ref().unwrap_or(own);
        let mut out = Vec::new();
        for h in model.higher_order() {
            let Some(c) = model.constructs().iter().find(|c| &c.name == h) else {
                continue;
            };
            let dims = &c.indicators;
            let reflective = c.mode.is_common_factor();
            // The dimensions' correlations: stage-one scores' (two-stage) or this fit's.
            let corr_fit = stage1.unwrap_or(self);
            let idx: Vec<usize> = dims.iter().map(|d| corr_fit.lv(d)).collect::<Result<_>>()?;
            let r = DMatrix::from_fn(idx.len(), idx.len(), |a, b| {
                corr_fit.core().r[(idx[a], idx[b])]
            });
            let inv = linalg::inverse_spd(&r);
            let hj = self.lv(h)?;
            let mut loadings = Vec::new();
            let mut dimensions = Vec::new();
            for (a, d) in dims.iter().enumerate() {
                let (weight, loading) = match method {
                    HocMethod::RepeatedIndicators => (None, self.core().b[(hj, self.lv(d)?)]),
                    _ => (Some(self.weight(d)?), self.loading(d)?),
                };
                loadings.push(loading);
                let vif = inv.as_ref().map(|m| m[(a, a)]);
                let mut flags = Vec::new();
                if reflective && loading < 0.708 {
                    flags.push("loading<.708".to_string());
                }
                if !reflective {
                    match vif {
                        Some(v) if v >= 5.0 => flags.push("VIF>=5".into()),
                        Some(v) if v >= 3.0 => flags.push("VIF>=3".into()),
                        None => flags.push("collinear".into()),
                        _ => {}
                    }
                }
                let get = |m: &crate::pls::Named| m.get(d);
                let ave = get(&lower.ave);
                let rho_c = get(&lower.rho_c);
                if ave.is_some_and(|x| x < 0.5) {
                    flags.push("AVE<.5".into());
                }
                if rho_c.is_some_and(|x| x < 0.7) {
                    flags.push("rho_C<.7".into());
                }
                dimensions.push(DimensionAssessment {
                    name: d.clone(),
                    weight,
                    loading,
                    vif,
                    alpha: get(&lower.alpha),
                    rho_c,
                    rho_a: get(&lower.rho_a),
                    ave,
                    flags,
                });
            }
            let two_stage = method != HocMethod::RepeatedIndicators;
            let (alpha, rho_a) = if two_stage && reflective {
                (own.alpha.get(h), own.rho_a.get(h))
            } else {
                (None, None)
            };
            let (rho_c, ave) = if reflective {
                (
                    Some(rho_c_of(&loadings)),
                    Some(mean(&loadings.iter().map(|x| x * x).collect::<Vec<_>>())),
                )
            } else {
                (None, None)
            };
            let htmt_max = if two_stage && reflective {
                self.construct_names()
                    .iter()
                    .filter(|o| *o != h)
                    .filter_map(|o| own.htmt(h, o).map(|v| (o.to_string(), v)))
                    .fold(None, |best: Option<(String, f64)>, x| match best {
                        Some(b) if b.1 >= x.1 => Some(b),
                        _ => Some(x),
                    })
            } else {
                None
            };
            let mut flags = Vec::new();
            if ave.is_some_and(|x| x < 0.5) {
                flags.push("AVE<.5".to_string());
            }
            for (name, v) in [("rho_C", rho_c), ("rho_A", rho_a)] {
                match v {
                    Some(x) if x < 0.7 => flags.push(format!("{name}<.7")),
                    Some(x) if x > 0.95 => flags.push(format!("{name}>.95")),
                    _ => {}
                }
            }
            if let Some((o, v)) = &htmt_max {
                if *v >= 0.9 {
                    flags.push(format!("HTMT>=.90 ({o})"));
                } else if *v >= 0.85 {
                    flags.push(format!("HTMT>=.85 ({o})"));
                }
            }
            out.push(HigherOrderAssessment {
                construct: h.clone(),
                method: method.as_str().to_string(),
                measurement: if reflective {
                    "reflective"
                } else {
                    "formative"
                }
                .into(),
                dimensions,
                alpha,
                rho_c,
                rho_a,
                ave,
                htmt_max,
                flags,
            });
        }
        Ok(out)
    }
}
