//! Higher-order constructs: `SQ =~ REL + ASS + TAN + EMP + RES` (a block naming constructs,
//! its dimensions, each with its own items; `<~` for a formative one).
//!
//! | method | how |
//! |---|---|
//! | [`HocMethod::DisjointTwoStage`] (default; seminr's `higher_composite(method = two_stage)`) | stage one estimates the model with the dimensions in the higher-order construct's place (every path into it goes into each dimension, every path out of it leaves from each dimension); stage two measures the higher-order construct by the dimensions' stage-one scores (indicators named by the dimensions) in the model without the dimensions |
//! | [`HocMethod::CsemTwoStage`] (cSEM's `"2stage"`, Schuberth et al. 2020) | stage one estimates the first-order constructs alone, all of them correlating freely (a saturated structural model in cSEM's construct order, see below); stage two measures the higher-order construct by its dimensions' stage-one scores and keeps every other construct at its stage-one score (its weights are held fixed) |
//! | [`HocMethod::CsemMixed`] (cSEM's `"mixed"`, Ringle et al. 2012) | stage one is the repeated-indicators model (paths from a reflective higher-order construct to its dimensions, from the dimensions to a formative one); stage two as in `CsemTwoStage` |
//! | [`HocMethod::RepeatedIndicators`] | one estimation: the higher-order construct is measured by copies of all its dimensions' items (named `HOC__item`), with paths from it to each dimension |
//!
//! The fit is the final one (stage two): its weights and loadings of the higher-order
//! construct are keyed by the dimensions' names; the other blocks keep their items (under
//! the cSEM methods with their stage-one weights and loadings). [`Fit::first_stage`] is stage
//! one. The bootstrap re-runs every stage in each resample
//! ([`Bootstrap::run`](crate::Bootstrap::run)); blindfolding and PLSpredict of such fits are
//! refused.
//!
//! **cSEM's construct order.** Under the path scheme the weights of a saturated model depend
//! on the order of its constructs (a construct's predecessors enter its inner proxy by
//! regression, its successors by correlation). `CsemTwoStage` orders the first-order
//! constructs as cSEM's model parser does: first those no path points to (in the order they
//! first appear: as a path's source, then by their blocks), then the others, each after all
//! its predecessors (in the order they first appear as a path's target). The model text
//! `SQ ~ EXPE`, `VAL ~ SQ`, `SAT ~ EXPE + SQ + VAL`, `LOY ~ SAT` with the RATER blocks thus
//! gives EXPE, REL, ASS, TAN, EMP, RES, VAL, SAT, LOY, as cSEM does for the same lavaan text.
//!
//! cSEM's stage two is always a consistent (PLSc) estimation, which corrects a reflective
//! higher-order construct for attenuation (the other constructs' scores are given with
//! reliability 1): so is csindex's, and such a fit reports PLSc.
//!
//! PLSc (`Pls::consistent`) with the cSEM methods is refused: cSEM then rebases the
//! higher-order loadings on the dimensions' reliabilities and may run a third stage, which
//! csindex does not reproduce.

use super::{Fit, Pls, Spec};
use crate::data::Survey;
use crate::error::{Error, Result};
use crate::model::{Construct, Mode, Model, ModelBuilder};
#[cfg(test)]
use nalgebra::DMatrix;

/// How higher-order constructs are estimated.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum HocMethod {
    /// seminr's disjoint two-stage approach.
    #[default]
    DisjointTwoStage,
    /// cSEM's `"2stage"`: stage one with all first-order constructs correlating freely.
    CsemTwoStage,
    /// cSEM's `"mixed"`: repeated indicators in stage one, then two-stage.
    CsemMixed,
    /// The repeated-indicators approach.
    RepeatedIndicators,
}

crate::options::flag_names!(HocMethod, "higher-order method",
    DisjointTwoStage => "disjoint" | "disjoint-two-stage" | "two-stage",
    CsemTwoStage => "csem-2stage" | "csem-two-stage" | "2stage",
    CsemMixed => "csem-mixed" | "mixed",
    RepeatedIndicators => "repeated" | "repeated-indicators");

/// The higher-order structure of a model, by construct name.
struct Hoc<'a> {
    model: &'a Model,
    hoc: &'a [String],
}

impl<'a> Hoc<'a> {
    fn construct(&self, name: &str) -> Result<&'a Construct> {
        self.model
            .constructs()
            .iter()
            .find(|c| c.name == name)
            .ok_or_else(|| Error::model(format!("'{name}' is not a construct")))
    }
    fn dims(&self, h: &str) -> Vec<String> {
        self.construct(h)
            .map(|c| c.indicators.clone())
            .unwrap_or_default()
    }
    fn is_hoc(&self, name: &str) -> bool {
        self.hoc.iter().any(|h| h == name)
    }
    fn is_dim(&self, name: &str) -> bool {
        self.hoc
            .iter()
            .any(|h| self.dims(h).iter().any(|d| d == name))
    }
    fn name(&self, j: usize) -> &'a str {
        self.model.constructs()[j].name.as_str()
    }
    /// The model's paths by name.
    fn paths(&self) -> impl Iterator<Item = (&'a str, &'a str)> + '_ {
        self.model
            .paths()
            .iter()
            .map(move |&(f, t)| (self.name(f), self.name(t)))
    }
    /// The disjoint two-stage approach's stage-one model: the dimensions in each higher-order
    /// construct's place (every path into it goes into each dimension, every path out of it
    /// leaves from each dimension).
    fn disjoint_stage_one_model(&self) -> Result<Model> {
        let mut b = ModelBuilder::default();
        for c in self
            .model
            .constructs()
            .iter()
            .filter(|c| !self.is_hoc(&c.name))
        {
            b = b.construct(&c.name, c.mode, &items_of(c));
        }
        let expand = |n: &str| -> Vec<String> {
            if self.is_hoc(n) {
                self.dims(n)
            } else {
                vec![n.to_string()]
            }
        };
        for (f, t) in self.paths() {
            for a in expand(f) {
                for z in expand(t) {
                    b = b.path(&a, &z);
                }
            }
        }
        b.build()
    }
    /// The stage-two model: every construct but the dimensions, each higher-order construct
    /// measured by its dimensions (whose scores are columns named by them), the model's paths.
    fn stage_two_model(&self) -> Result<Model> {
        let mut b = ModelBuilder::default();
        for c in self
            .model
            .constructs()
            .iter()
            .filter(|c| !self.is_dim(&c.name))
        {
            b = b.construct(&c.name, c.mode, &items_of(c));
        }
        for (f, t) in self.paths() {
            b = b.path(f, t);
        }
        b.build()
    }
    /// The stage-two data: the items of the constructs outside the higher-order structure and
    /// a column of stage-one scores per dimension (missing where stage one dropped the row).
    fn stage_two_data(&self, survey: &Survey, stage1: &Fit) -> Result<Survey> {
        let keep: Vec<String> = self
            .model
            .constructs()
            .iter()
            .filter(|c| !self.is_hoc(&c.name) && !self.is_dim(&c.name))
            .flat_map(|c| c.indicators.iter().cloned())
            .collect();
        let mut data = survey.subset(&keep)?;
        let scores = stage1.score_matrix()?;
        let rows = stage1.rows_used()?;
        for h in self.hoc {
            for d in self.dims(h) {
                let j = stage1.lv(&d)?;
                let mut v = vec![f64::NAN; survey.n_rows()];
                for (r, &row) in rows.iter().enumerate() {
                    v[row] = scores[(r, j)];
                }
                data = data.with_numeric_column(&d, v)?;
            }
        }
        Ok(data)
    }
    /// Stage two on stage one's rows: from stage one's moments and rows and the dimensions'
    /// scores when stage one had no missing cell (no second pass over the survey), else
    /// through [`Hoc::stage_two_data`].
    fn stage_two(
        &self,
        pls: &Pls,
        m2: &Model,
        spec: Spec,
        survey: &Survey,
        stage1: &Fit,
    ) -> Result<Fit> {
        let scores = stage1.score_matrix()?;
        let mut derived = Vec::new();
        for h in self.hoc {
            for d in self.dims(h) {
                let j = stage1.lv(&d)?;
                derived.push((d, scores.column(j).iter().copied().collect()));
            }
        }
        match pls.fit_on_rows_of(m2, spec.clone(), stage1, &derived)? {
            Some(fit) => Ok(fit),
            None => pls.fit_spec(m2, spec, &self.stage_two_data(survey, stage1)?),
        }
    }
    /// The repeated-indicators model and its data: each higher-order construct measured by
    /// copies of its dimensions' items (`HOC__item`), with paths from it to each dimension
    /// (`toward_hoc`: from each dimension to it, for a formative one under cSEM).
    fn repeated(&self, pls: &Pls, survey: &Survey, cf_out: bool) -> Result<Fit> {
        let mut aliases: Vec<(String, String)> = Vec::new();
        let mut b = ModelBuilder::default();
        for c in self.model.constructs() {
            if self.is_hoc(&c.name) {
                let mut copies = Vec::new();
                for d in &c.indicators {
                    for item in &self.construct(d)?.indicators {
                        let copy = format!("{}__{item}", c.name);
                        aliases.push((copy.clone(), item.clone()));
                        copies.push(copy);
                    }
                }
                let refs: Vec<&str> = copies.iter().map(|s| s.as_str()).collect();
                b = b.construct(&c.name, c.mode, &refs);
            } else {
                b = b.construct(&c.name, c.mode, &items_of(c));
            }
        }
        for (f, t) in self.paths() {
            b = b.path(f, t);
        }
        for h in self.hoc {
            let out = !cf_out || self.construct(h)?.mode.is_common_factor();
            for d in self.dims(h) {
                b = if out { b.path(h, &d) } else { b.path(&d, h) };
            }
        }
        let model = b.build()?;
        // The copies' moments are their originals': from the items' moments and complete
        // rows, unless cells are missing (then through a survey with the copies added).
        let items = self.model.indicators();
        if let Some((moments, rows)) = pls.complete_rows(&items, survey)? {
            let spec = Spec::new(&model);
            if let Some(fit) = pls.fit_on_rows(
                &model,
                spec,
                &moments,
                &rows,
                survey.n_rows(),
                &[],
                &aliases,
                super::unadjusted,
            )? {
                return Ok(fit);
            }
        }
        let mut data = survey.subset(&items)?;
        for (copy, item) in &aliases {
            data = data.with_numeric_column(copy, survey.numeric(item)?.to_vec())?;
            // A copy has its item's scale (as the moments' copies do).
            if let (sc, crate::data::ScaleSource::Declared) = survey.scale(item)? {
                data.set_scale(copy, sc.min, sc.max)?;
            }
        }
        pls.fit(&model, &data)
    }
    /// cSEM's order of the first-order constructs (see the module documentation).
    fn csem_first_order(&self) -> Vec<String> {
        let mut names: Vec<&str> = Vec::new();
        let add = |n: &'a str, names: &mut Vec<&'a str>| {
            if !names.contains(&n) {
                names.push(n);
            }
        };
        for (_, t) in self.paths() {
            add(t, &mut names);
        }
        for (f, _) in self.paths() {
            add(f, &mut names);
        }
        for c in self.model.constructs() {
            add(&c.name, &mut names);
        }
        let preds = |n: &str| -> Vec<&str> {
            self.paths()
                .filter(|(_, t)| *t == n)
                .map(|(f, _)| f)
                .collect()
        };
        let endo: Vec<&str> = names
            .iter()
            .copied()
            .filter(|n| !preds(n).is_empty())
            .collect();
        let mut order: Vec<&str> = names
            .iter()
            .copied()
            .filter(|n| !endo.contains(n))
            .collect();
        let exo = order.clone();
        let (first, mut rest): (Vec<&str>, Vec<&str>) = endo
            .iter()
            .partition(|n| preds(n).iter().all(|p| exo.contains(p)));
        order.extend(first);
        while !rest.is_empty() {
            let before = rest.len();
            let mut left = Vec::new();
            for n in rest {
                if preds(n).iter().all(|p| order.contains(p)) {
                    order.push(n);
                } else {
                    left.push(n);
                }
            }
            rest = left;
            if rest.len() == before {
                order.append(&mut rest); // a cycle: keep the model's order
            }
        }
        order
            .into_iter()
            .filter(|n| !self.is_hoc(n))
            .map(str::to_string)
            .collect()
    }
}

fn items_of(c: &Construct) -> Vec<&str> {
    c.indicators.iter().map(|s| s.as_str()).collect()
}

/// The fit of a model with higher-order constructs (see the module documentation).
pub(super) fn fit(pls: &Pls, model: &Model, survey: &Survey) -> Result<Fit> {
    if !model.interactions().is_empty() {
        return Err(Error::model(
            "a model with both higher-order constructs and interaction terms is not supported",
        ));
    }
    let h = Hoc {
        model,
        hoc: model.higher_order(),
    };
    let method = pls.hoc;
    if pls.consistent && matches!(method, HocMethod::CsemTwoStage | HocMethod::CsemMixed) {
        return Err(Error::invalid(
            "higher-order method",
            "PLSc with cSEM's two-stage or mixed approach is not supported (cSEM rebases the \
             higher-order loadings on the dimensions' reliabilities and may run a third stage); \
             use the disjoint two-stage or repeated-indicators approach",
        ));
    }
    let mut fit = match method {
        HocMethod::DisjointTwoStage => {
            let stage1 = pls.fit(&h.disjoint_stage_one_model()?, survey)?;
            let m2 = h.stage_two_model()?;
            let mut fit = h.stage_two(pls, &m2, Spec::new(&m2), survey, &stage1)?;
            fit.first_stage = Some(Box::new(stage1));
            fit
        }
        HocMethod::CsemTwoStage | HocMethod::CsemMixed => {
            let stage1 = if method == HocMethod::CsemTwoStage {
                // Stage one: the first-order constructs, all correlating freely.
                let order = h.csem_first_order();
                let mut b = ModelBuilder::default();
                for n in &order {
                    let c = h.construct(n)?;
                    b = b.construct(&c.name, c.mode, &items_of(c));
                }
                for (i, t) in order.iter().enumerate() {
                    for f in &order[..i] {
                        b = b.path(f, t);
                    }
                }
                pls.fit(&b.build()?, survey)?
            } else {
                h.repeated(pls, survey, true)?
            };
            // Stage two: the constructs outside the higher-order structure keep their
            // stage-one scores (fixed weights), the higher-order ones are measured by the
            // dimensions' scores.
            let m2 = h.stage_two_model()?;
            let mut spec = Spec::new(&m2);
            let w1 = stage1.core.w_signed();
            for (j, c) in m2.constructs().iter().enumerate() {
                if h.is_hoc(&c.name) {
                    continue;
                }
                let j1 = stage1.lv(&c.name)?;
                let blk = stage1.spec.blocks[j1].clone();
                spec.fixed[j] = Some(blk.map(|k| w1[(k, j1)]).collect());
                // Their scores are given: cSEM passes their stage-one reliabilities (1 for
                // composites), so they are not corrected again.
                spec.modes[j] = Mode::CompositeA;
            }
            // cSEM's stage two always corrects for attenuation (it is given reliabilities):
            // a reflective higher-order construct is a common factor of its dimensions' scores.
            let mut fit = h.stage_two(&pls.consistent(true), &m2, spec, survey, &stage1)?;
            fit.first_stage = Some(Box::new(stage1));
            fit
        }
        HocMethod::RepeatedIndicators => h.repeated(pls, survey, false)?,
    };
    let cf_note = |c: &str| {
        if h.construct(c).is_ok_and(|k| k.mode.is_common_factor()) {
            "; as in cSEM, stage two corrects it for attenuation (a common factor of the dimensions' scores)"
        } else {
            ""
        }
    };
    for c in h.hoc {
        let dims = h.dims(c).join(", ");
        fit.warnings.push(match method {
            HocMethod::RepeatedIndicators => format!(
                "higher-order construct {c} ({dims}) by repeated indicators: it is measured by copies of its dimensions' items ({c}__item), with paths to each dimension"
            ),
            HocMethod::DisjointTwoStage => format!(
                "higher-order construct {c} ({dims}) by the disjoint two-stage approach: stage one put its dimensions in its place; its indicators are their stage-one scores"
            ),
            HocMethod::CsemTwoStage => format!(
                "higher-order construct {c} ({dims}) by cSEM's two-stage approach: stage one estimated the first-order constructs correlating freely; its indicators are the dimensions' stage-one scores, the other constructs keep their stage-one weights{}",
                cf_note(c)
            ),
            HocMethod::CsemMixed => format!(
                "higher-order construct {c} ({dims}) by cSEM's mixed approach: stage one measured it by repeated indicators; its indicators are the dimensions' stage-one scores, the other constructs keep their stage-one weights{}",
                cf_note(c)
            ),
        });
    }
    fit.derived = true;
    Ok(fit)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Stage two from stage one's moments and rows equals stage two through a survey of the
    /// dimensions' scores, with and without survey weights.
    #[test]
    fn stage_two_on_stage_one_rows_equals_stage_two_through_a_survey() {
        let root = env!("CARGO_MANIFEST_DIR");
        let opts = crate::LoadOptions::new().scale("*", 1.0, 7.0);
        let plain =
            Survey::from_csv_path(format!("{root}/data/rater_csi.csv"), &opts).expect("data");
        let n = plain.n_rows();
        let w: Vec<f64> = (0..n).map(|i| 0.5 + (i % 7) as f64 * 0.3).collect();
        let weighted = plain
            .clone()
            .with_numeric_column("w", w)
            .and_then(|s| s.with_weights("w", crate::WeightKind::Sampling))
            .expect("weights");
        let model = Model::from_path(format!("{root}/models/csi_rater.txt")).expect("model");
        let h = Hoc {
            model: &model,
            hoc: model.higher_order(),
        };
        for survey in [&plain, &weighted] {
            let pls = Pls::new();
            let stage1 = pls
                .fit(&h.disjoint_stage_one_model().expect("model"), survey)
                .expect("stage one");
            let m2 = h.stage_two_model().expect("model");
            let fast = h
                .stage_two(&pls, &m2, Spec::new(&m2), survey, &stage1)
                .expect("fast");
            let slow = pls
                .fit_spec(
                    &m2,
                    Spec::new(&m2),
                    &h.stage_two_data(survey, &stage1).expect("data"),
                )
                .expect("slow");
            let close = |a: &DMatrix<f64>, b: &DMatrix<f64>| {
                a.shape() == b.shape() && (a - b).amax() < 1e-12
            };
            assert!(close(&fast.core.w, &slow.core.w));
            assert!(close(&fast.core.b, &slow.core.b));
            assert!(close(&fast.s, &slow.s));
            assert!(close(
                fast.score_matrix().expect("scores"),
                slow.score_matrix().expect("scores")
            ));
            assert_eq!(fast.rows_used().ok(), slow.rows_used().ok());
            assert_eq!(fast.n(), slow.n());
            assert_eq!(fast.warnings, slow.warnings);
            for (a, b) in fast.item_scales().iter().zip(slow.item_scales()) {
                assert_eq!((a.0.min, a.0.max), (b.0.min, b.0.max));
            }
            for (a, b) in fast.means.iter().zip(&slow.means) {
                assert!((a - b).abs() < 1e-12);
            }
            for (a, b) in fast.sds.iter().zip(&slow.sds) {
                assert!((a - b).abs() < 1e-12);
            }
        }
    }
}
