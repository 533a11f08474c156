//! Higher-order constructs: `SQ =~ REL + ASS + TAN + EMP + RES` (a block naming constructs,
//! its dimensions, each with its own items; `<~` for a formative one).
//!
//! | method | how |
//! |---|---|
//! | [`HocMethod::DisjointTwoStage`] (default; seminr's `higher_composite(method = two_stage)`) | stage one estimates the model with the dimensions in the higher-order construct's place (every path into it goes into each dimension, every path out of it leaves from each dimension); stage two measures the higher-order construct by the dimensions' stage-one scores (indicators named by the dimensions) in the model without the dimensions |
//! | [`HocMethod::RepeatedIndicators`] | one estimation: the higher-order construct is measured by copies of all its dimensions' items (named `HOC__item`), with paths from it to each dimension |
//!
//! The fit is the final one (stage two): its weights and loadings of the higher-order
//! construct are keyed by the dimensions' names. [`Fit::first_stage`] is stage one. The
//! bootstrap, blindfolding and PLSpredict of such fits are refused (the stages would have to
//! be re-run in each resample).

use super::{Fit, Pls};
use crate::data::Survey;
use crate::error::{Error, Result};
use crate::model::{Model, ModelBuilder};

/// How higher-order constructs are estimated.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum HocMethod {
    /// seminr's disjoint two-stage approach.
    #[default]
    DisjointTwoStage,
    /// The repeated-indicators approach.
    RepeatedIndicators,
}

crate::options::flag_names!(HocMethod, "higher-order method",
    DisjointTwoStage => "disjoint" | "disjoint-two-stage" | "two-stage",
    RepeatedIndicators => "repeated" | "repeated-indicators");

/// The fit of a model with higher-order constructs (see the module documentation).
pub(super) fn fit(pls: &Pls, model: &Model, survey: &Survey) -> Result<Fit> {
    if !model.interactions().is_empty() {
        return Err(Error::model(
            "a model with both higher-order constructs and interaction terms is not supported",
        ));
    }
    let hoc = model.higher_order();
    let cs = model.constructs();
    let dims_of = |h: &str| -> Vec<String> {
        cs.iter()
            .find(|c| c.name == h)
            .map(|c| c.indicators.clone())
            .unwrap_or_default()
    };
    let is_hoc = |name: &str| hoc.iter().any(|h| h == name);
    let is_dim = |name: &str| hoc.iter().any(|h| dims_of(h).iter().any(|d| d == name));
    let name = |j: usize| cs[j].name.as_str();
    fn items_of(c: &crate::model::Construct) -> Vec<&str> {
        c.indicators.iter().map(|s| s.as_str()).collect()
    }
    match pls.hoc {
        HocMethod::DisjointTwoStage => {
            // Stage one: the dimensions in each higher-order construct's place.
            let mut b = ModelBuilder::default();
            for c in cs.iter().filter(|c| !is_hoc(&c.name)) {
                b = b.construct(&c.name, c.mode, &items_of(c));
            }
            let expand = |n: &str| -> Vec<String> {
                if is_hoc(n) {
                    dims_of(n)
                } else {
                    vec![n.to_string()]
                }
            };
            for &(f, t) in model.paths() {
                for a in expand(name(f)) {
                    for z in expand(name(t)) {
                        b = b.path(&a, &z);
                    }
                }
            }
            let stage1_model = b.build()?;
            let stage1 = pls.fit(&stage1_model, survey)?;
            // Stage two: the dimensions' scores as the higher-order constructs' indicators.
            let keep: Vec<String> = cs
                .iter()
                .filter(|c| !is_hoc(&c.name) && !is_dim(&c.name))
                .flat_map(|c| c.indicators.iter().cloned())
                .collect();
            let mut data = survey.subset(&keep)?;
            let scores = stage1.score_matrix()?;
            let rows = stage1.rows_used()?;
            for h in hoc {
                for d in dims_of(h) {
                    let j = stage1.lv(&d)?;
                    let mut v = vec![f64::NAN; survey.n_rows()];
                    for (r, &row) in rows.iter().enumerate() {
                        v[row] = scores[(r, j)];
                    }
                    data = data.with_numeric_column(&d, v)?;
                }
            }
            let mut b = ModelBuilder::default();
            for c in cs.iter().filter(|c| !is_dim(&c.name)) {
                b = b.construct(&c.name, c.mode, &items_of(c));
            }
            for &(f, t) in model.paths() {
                b = b.path(name(f), name(t));
            }
            let mut fit = pls.fit(&b.build()?, &data)?;
            for h in hoc {
                fit.warnings.push(format!(
                    "higher-order construct {h} ({}) by the disjoint two-stage approach: stage one put its dimensions in its place; its indicators are their stage-one scores",
                    dims_of(h).join(", ")
                ));
            }
            fit.first_stage = Some(Box::new(stage1));
            fit.derived = true;
            Ok(fit)
        }
        HocMethod::RepeatedIndicators => {
            let mut data = survey.subset(&model.indicators())?;
            let mut b = ModelBuilder::default();
            for c in cs {
                if is_hoc(&c.name) {
                    let mut copies = Vec::new();
                    for d in &c.indicators {
                        let dc = cs
                            .iter()
                            .find(|k| k.name == *d)
                            .ok_or_else(|| Error::model(format!("'{d}' is not a construct")))?;
                        for item in &dc.indicators {
                            let copy = format!("{}__{item}", c.name);
                            data =
                                data.with_numeric_column(&copy, survey.numeric(item)?.to_vec())?;
                            copies.push(copy);
                        }
                    }
                    let refs: Vec<&str> = copies.iter().map(|s| s.as_str()).collect();
                    b = b.construct(&c.name, c.mode, &refs);
                } else {
                    b = b.construct(&c.name, c.mode, &items_of(c));
                }
            }
            for &(f, t) in model.paths() {
                b = b.path(name(f), name(t));
            }
            for h in hoc {
                for d in dims_of(h) {
                    b = b.path(h, &d);
                }
            }
            let mut fit = pls.fit(&b.build()?, &data)?;
            for h in hoc {
                fit.warnings.push(format!(
                    "higher-order construct {h} ({}) by repeated indicators: it is measured by copies of its dimensions' items ({h}__item), with paths to each dimension",
                    dims_of(h).join(", ")
                ));
            }
            fit.derived = true;
            Ok(fit)
        }
    }
}
