//! Interaction and quadratic terms (`LOY ~ SAT + SW + SAT:SW`, `SAT:SAT`), estimated as seminr's
//! `interaction_term()` does: the term becomes a construct named `IV:MODERATOR` that predicts
//! the term's targets, measured (Mode A) by indicators built from the data.
//!
//! | method | indicators of `IV:MOD` |
//! |---|---|
//! | [`InteractionMethod::TwoStage`] (default; Becker, Ringle & Sarstedt 2018) | one, `IV:MOD_intxn`: the product of IV's and MOD's construct scores from a first-stage fit of the model without interaction terms |
//! | [`InteractionMethod::ProductIndicator`] | `IVi:MODj` for every pair of items: the product of the two items standardised (sample sd) |
//! | [`InteractionMethod::Orthogonal`] (Henseler & Chin 2010) | the same products, each replaced by its residual on all of IV's and MOD's items (least squares with an intercept) |
//!
//! The derived indicators are then standardised like any other. Their names are those above
//! (seminr writes `*` where csindex writes `:`). As in seminr (the adjustment of Henseler &
//! Chin 2010), the interaction construct's scores are then expressed in the metric of its
//! product terms: multiplied by the |loading|-weighted mean standard deviation of its raw
//! indicators, which multiplies its loadings and divides its paths by that factor. The bootstrap
//! re-derives the indicators in every resample, as seminr does
//! ([`Bootstrap::run`](crate::Bootstrap::run)), and adds the simple slopes; blindfolding and
//! PLSpredict of a model with interaction terms are refused.

use super::{Fit, Pls, Spec};
use crate::data::Survey;
use crate::error::{Error, Result};
use crate::model::Model;
use crate::moments::Moments;
use nalgebra::DMatrix;

/// How the interaction terms of a model are estimated.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum InteractionMethod {
    /// Product of first-stage construct scores (one indicator).
    #[default]
    TwoStage,
    /// Products of standardised items.
    ProductIndicator,
    /// Products of standardised items, orthogonalised on the items (Henseler & Chin 2010):
    /// their residuals from least squares on the items, weighted by the survey weights. A
    /// product that is a linear function of the items (its residual keeps less than 1e-10
    /// of its variance: a quadratic term of a two-valued item) is [`Error::Singular`].
    Orthogonal,
}

crate::options::flag_names!(InteractionMethod, "interaction method",
    TwoStage => "two-stage" | "two_stage",
    ProductIndicator => "product-indicator" | "product_indicator",
    Orthogonal => "orthogonal" | "orthogonalized");

/// Standardised columns (mean 0, sd 1 with the fit's divisor) of the named items, weighted by
/// the survey's weights: over the rows of `mask` (listwise deletion: the rows where every item
/// of the model is observed; NaN elsewhere), or else with the moments of mean replacement (the
/// rows where each is observed).
fn standardized(survey: &Survey, items: &[String], mask: Option<&[bool]>) -> Result<Vec<Vec<f64>>> {
    let cols: Vec<std::borrow::Cow<'_, [f64]>> = items
        .iter()
        .map(|it| Ok(masked(survey.numeric(it)?, mask)))
        .collect::<Result<_>>()?;
    let policy = match mask {
        Some(_) => crate::data::MissingPolicy::Listwise,
        None => crate::data::MissingPolicy::Mean,
    };
    let kind = survey
        .weight_column()
        .map_or(crate::moments::WeightKind::Frequency, |w| w.1);
    let mut m = Moments::new(items, policy)?.weight_kind(kind);
    let refs: Vec<&[f64]> = cols.iter().map(|c| c.as_ref()).collect();
    m.push_columns(&refs, survey.weights())?;
    let (means, sds) = (m.means(), m.sds()?);
    standardize(items, survey.n_rows(), |it| {
        let k = items.iter().position(|c| c == it).unwrap_or(0);
        Ok((means[k], sds[k], cols[k].as_ref()))
    })
}

/// `x`, or a copy with NaN outside the rows of `mask`.
fn masked<'a>(x: &'a [f64], mask: Option<&[bool]>) -> std::borrow::Cow<'a, [f64]> {
    match mask {
        None => std::borrow::Cow::Borrowed(x),
        Some(m) => std::borrow::Cow::Owned(
            x.iter()
                .zip(m)
                .map(|(&v, &keep)| if keep { v } else { f64::NAN })
                .collect(),
        ),
    }
}

/// `(x − mean) / sd` of each item, given its (mean, sd, values); a ZeroVariance error (over
/// `n` rows) for an item whose sd is not positive.
fn standardize<'a>(
    items: &[String],
    n: usize,
    stats: impl Fn(&str) -> Result<(f64, f64, &'a [f64])>,
) -> Result<Vec<Vec<f64>>> {
    items
        .iter()
        .map(|it| {
            let (mean, sd, values) = stats(it)?;
            if !(sd > 0.0) {
                return Err(Error::ZeroVariance {
                    column: it.clone(),
                    n,
                });
            }
            // (x − mean)·(1/sd): one multiplication per cell rather than a division.
            let f = 1.0 / sd;
            Ok(values.iter().map(|x| (x - mean) * f).collect())
        })
        .collect()
}

/// The base model's indicators on complete rows (no missing cells): their moments and rows,
/// from which product indicators are built and their co-moments added without another pass
/// over the survey.
struct Complete {
    moments: Moments,
    rows: super::Rows,
}

impl Complete {
    /// `None` when some cell is missing (the survey path then handles them).
    fn new(pls: &Pls, names: &[String], survey: &Survey) -> Result<Option<Complete>> {
        Ok(pls
            .complete_rows(names, survey)?
            .map(|(moments, rows)| Complete { moments, rows }))
    }

    fn index(&self, name: &str) -> Result<usize> {
        self.moments
            .names()
            .iter()
            .position(|c| c == name)
            .ok_or_else(|| Error::invalid(name, "not an indicator of the model"))
    }

    fn column(&self, name: &str) -> Result<&[f64]> {
        let (n, k) = (self.rows.raw.nrows(), self.index(name)?);
        Ok(&self.rows.raw.as_slice()[k * n..(k + 1) * n])
    }

    /// As [`standardized`], on these rows (the same means and sds: no cell is missing).
    fn standardized(&self, items: &[String]) -> Result<Vec<Vec<f64>>> {
        let (means, sds) = (self.moments.means(), self.moments.sds()?);
        standardize(items, self.rows.raw.nrows(), |it| {
            let k = self.index(it)?;
            Ok((means[k], sds[k], self.column(it)?))
        })
    }
}

/// Residuals of the products `ys` from least squares on `[1, xs]` over the rows where every x
/// is observed (so is every product, made of those items), weighted by `weights` as every
/// regression of a weighted fit is; NaN elsewhere. The moments of those rows and
/// [`Moments::orthogonalized`] do the algebra, as on the complete-rows route. Also gives the
/// share of each product's variance its residual keeps.
fn residuals_over_rows(
    xs: &[&[f64]],
    ys: Vec<Vec<f64>>,
    weights: Option<&[f64]>,
) -> Result<(Vec<Vec<f64>>, Vec<f64>)> {
    let n = xs.first().map_or(0, |x| x.len());
    let rows: Vec<usize> = (0..n)
        .filter(|&i| xs.iter().all(|x| !x[i].is_nan()))
        .collect();
    let (k, m, r) = (xs.len(), ys.len(), rows.len());
    if r <= k {
        return Err(collinear());
    }
    let mut cells = Vec::with_capacity(r * (k + m));
    for c in xs.iter().copied().chain(ys.iter().map(|y| y.as_slice())) {
        cells.extend(rows.iter().map(|&i| c[i]));
    }
    let mut raw = DMatrix::from_vec(r, k + m, cells);
    let w: Option<Vec<f64>> = weights.map(|w| rows.iter().map(|&i| w[i]).collect());
    let names: Vec<String> = (0..k + m).map(|a| format!("column {}", a + 1)).collect();
    let kind = crate::moments::WeightKind::Frequency; // no effect on least squares
    let mut moments = Moments::complete(&raw, w.as_deref(), &names, kind)?;
    let (xi, yi): (Vec<usize>, Vec<usize>) = ((0..k).collect(), (k..k + m).collect());
    let kept = moments
        .orthogonalized(&mut raw, &yi, &xi)
        .ok_or_else(collinear)?;
    let residuals = yi
        .iter()
        .map(|&a| {
            let mut out = vec![f64::NAN; n];
            for (&i, &v) in rows.iter().zip(raw.column(a).iter()) {
                out[i] = v;
            }
            out
        })
        .collect();
    Ok((residuals, kept))
}

/// Below this share of its variance left after orthogonalisation, a product is taken to be a
/// linear function of the items (a quadratic term of a two-valued item: x² = x): its residual
/// would be rounding error, standardised to unit variance.
const MIN_KEPT: f64 = 1e-10;

/// [`Error::Singular`] naming the first product whose residual keeps less than [`MIN_KEPT`]
/// of its variance.
fn check_kept(products: &[String], kept: &[f64]) -> Result<()> {
    match products.iter().zip(kept).find(|(_, &k)| !(k >= MIN_KEPT)) {
        Some((name, &k)) => Err(Error::Singular {
            construct: "(interaction)".into(),
            what: format!(
                "the product indicator {name} is a linear function of the items (its \
                 orthogonalised residual keeps {k:.1e} of its variance): drop the term, or use \
                 another interaction method"
            ),
        }),
        None => Ok(()),
    }
}

/// The error of an orthogonalisation whose regressors are collinear (or no more rows than
/// regressors).
fn collinear() -> Error {
    Error::Singular {
        construct: "(interaction)".into(),
        what: "the items of an orthogonalised interaction are collinear".into(),
    }
}

/// The fit of a model with interaction terms (see the module documentation).
pub(super) fn fit(pls: &Pls, model: &Model, survey: &Survey) -> Result<Fit> {
    let base = model.without_interactions();
    let method = pls.interaction;
    let stage1 = match method {
        InteractionMethod::TwoStage => Some(pls.fit(&base, survey)?),
        _ => None,
    };
    // Product indicators on complete rows, from the items' moments, unless cells are missing.
    let complete = match method {
        InteractionMethod::TwoStage => None,
        _ => Complete::new(pls, &base.indicators(), survey)?,
    };
    // The derived indicators: product indicators over the complete rows (`complete`) or every
    // survey row (NaN where not defined); the two-stage products in `products`, over stage
    // one's rows in their order (spread over every row only for the survey path).
    let mut columns: Vec<(String, Vec<f64>)> = Vec::new();
    let mut augmented = base.clone();
    let mut notes = Vec::new();
    let mut products: Vec<(String, Vec<f64>)> = Vec::new();
    // Orthogonalised products on complete rows: residuals taken from the moments after the
    // products' co-moments (`Moments::orthogonalized`, weighted as the moments are), not by a
    // regression over the rows; (product names, regressors) per interaction.
    let by_moments = method == InteractionMethod::Orthogonal && complete.is_some();
    let mut pending: Vec<(Vec<String>, Vec<String>)> = Vec::new();
    // Product indicators through the survey (missing cells) under listwise deletion: built
    // from the rows where every item of the model is observed, the rows the fit will use, so
    // that the fit equals the fit of those rows alone.
    let mask: Option<Vec<bool>> = match (method, &complete, pls.missing) {
        (InteractionMethod::TwoStage, _, _) | (_, Some(_), _) => None,
        (_, None, crate::data::MissingPolicy::Listwise) => {
            let items = base.indicators();
            let cols: Vec<&[f64]> = items
                .iter()
                .map(|i| survey.numeric(i))
                .collect::<Result<_>>()?;
            Some(
                (0..survey.n_rows())
                    .map(|r| cols.iter().all(|c| !c[r].is_nan()))
                    .collect(),
            )
        }
        _ => None,
    };
    for it in model.interactions() {
        let name = it.name();
        let items = |c: &str| -> Result<Vec<String>> {
            Ok(base.constructs()[base.construct_index(c)?]
                .indicators
                .clone())
        };
        let mut names = Vec::new();
        match (&stage1, method) {
            (Some(s1), _) => {
                // The two constructs' stage-one scores (the same bits as `score_matrix`).
                let (a, m) = (s1.lv(&it.iv)?, s1.lv(&it.moderator)?);
                let scores = s1.score_columns(&[a, m])?;
                let r = scores.nrows();
                let (sa, sm) = scores.as_slice().split_at(r);
                let used: Vec<f64> = sa.iter().zip(sm).map(|(x, y)| x * y).collect();
                let ind = format!("{name}_intxn");
                products.push((ind.clone(), used));
                names.push(ind);
            }
            (None, _) => {
                let (iv_items, mod_items) = (items(&it.iv)?, items(&it.moderator)?);
                let (zi, zm) = match &complete {
                    Some(c) => (c.standardized(&iv_items)?, c.standardized(&mod_items)?),
                    None => (
                        standardized(survey, &iv_items, mask.as_deref())?,
                        standardized(survey, &mod_items, mask.as_deref())?,
                    ),
                };
                // The regressors of the orthogonalisation: each item once (a quadratic term's
                // items are the predictor's).
                let mut regressors: Vec<&String> = iv_items.iter().collect();
                regressors.extend(mod_items.iter().filter(|m| !iv_items.contains(m)));
                let through_survey = method == InteractionMethod::Orthogonal && !by_moments;
                let mut values = Vec::with_capacity(iv_items.len() * mod_items.len());
                for (a, ia) in iv_items.iter().enumerate() {
                    for (m, im) in mod_items.iter().enumerate() {
                        values.push(zi[a].iter().zip(&zm[m]).map(|(x, y)| x * y).collect());
                        names.push(format!("{ia}:{im}"));
                    }
                }
                if through_survey {
                    // Complete rows go through the moments instead (`pending`).
                    let raw: Vec<std::borrow::Cow<'_, [f64]>> = regressors
                        .iter()
                        .map(|c| Ok(masked(survey.numeric(c)?, mask.as_deref())))
                        .collect::<Result<_>>()?;
                    let raw: Vec<&[f64]> = raw.iter().map(|c| c.as_ref()).collect();
                    let (residuals, kept) = residuals_over_rows(&raw, values, survey.weights())?;
                    check_kept(&names, &kept)?;
                    values = residuals;
                } else if by_moments {
                    pending.push((names.clone(), regressors.into_iter().cloned().collect()));
                }
                columns.extend(names.iter().cloned().zip(values));
            }
        }
        let count = names.len();
        augmented.push_source_construct(&name, names, &it.targets)?;
        notes.push(format!(
            "interaction {name} by the {} method ({} indicator{})",
            method.as_str(),
            count,
            if count == 1 { "" } else { "s" }
        ));
    }
    // On stage one's rows (two-stage) or the complete rows (product indicators), from their
    // moments: only the products' co-moments are computed. With missing cells, through a
    // survey with the products added.
    let fast = match (&stage1, &complete) {
        (Some(s1), _) => pls.fit_on_rows_of(&augmented, Spec::new(&augmented), s1, &products)?,
        (None, Some(c)) => pls.fit_on_rows(
            &augmented,
            Spec::new(&augmented),
            &c.moments,
            &c.rows,
            survey.n_rows(),
            &columns,
            &[],
            |spec, moments, raw| {
                for (ys, xs) in &pending {
                    let at = |names: &[String]| -> Result<Vec<usize>> {
                        names
                            .iter()
                            .map(|n| {
                                spec.names.iter().position(|s| s == n).ok_or_else(|| {
                                    Error::invalid(n, "not an indicator of the model")
                                })
                            })
                            .collect()
                    };
                    let kept = moments
                        .orthogonalized(raw, &at(ys)?, &at(xs)?)
                        .ok_or_else(collinear)?;
                    check_kept(ys, &kept)?;
                }
                Ok(())
            },
        )?,
        _ => None,
    };
    if let (None, Some(s1)) = (&fast, &stage1) {
        // The survey path wants every row: the products on stage one's rows, NaN elsewhere.
        let rows = s1.rows_used()?;
        for (name, used) in &products {
            let mut v = vec![f64::NAN; survey.n_rows()];
            for (&row, &x) in rows.iter().zip(used) {
                v[row] = x;
            }
            columns.push((name.clone(), v));
        }
    }
    if let (None, Some(c)) = (&fast, &complete) {
        // Products left for the moments to orthogonalise: by regression over the rows instead.
        for (ys, xs) in &pending {
            let raw: Vec<&[f64]> = xs.iter().map(|x| c.column(x)).collect::<Result<_>>()?;
            let at = |y: &String| {
                columns
                    .iter()
                    .position(|(n, _)| n == y)
                    .ok_or_else(|| Error::invalid(y, "not a product indicator"))
            };
            let ks: Vec<usize> = ys.iter().map(at).collect::<Result<_>>()?;
            let values = ks.iter().map(|&k| std::mem::take(&mut columns[k].1));
            let (residuals, kept) =
                residuals_over_rows(&raw, values.collect(), c.rows.weights.as_deref())?;
            check_kept(ys, &kept)?;
            for (&k, v) in ks.iter().zip(residuals) {
                columns[k].1 = v;
            }
        }
        // The products are on the complete rows; the survey path wants every row.
        for (_, v) in &mut columns {
            let mut full = vec![f64::NAN; survey.n_rows()];
            for (r, &row) in c.rows.rows_used.iter().enumerate() {
                full[row] = v[r];
            }
            *v = full;
        }
    }
    let mut fit = match fast {
        Some(fit) => fit,
        None => {
            // A light copy of the model's columns, with the derived indicators added.
            let mut data = survey.subset(&base.indicators())?;
            for (name, v) in columns {
                data = data.with_numeric_column(&name, v)?;
            }
            pls.fit(&augmented, &data)?
        }
    };
    // As seminr does (Henseler & Chin 2010): an interaction construct's scores are put in the
    // metric of its product terms, the |loading|-weighted mean sd of its raw indicators. Its
    // loadings are multiplied, and its paths divided, by that factor (its weights, R² and
    // every other estimate are unchanged).
    for it in model.interactions() {
        let j = fit.lv(&it.name())?;
        let block = fit.spec.blocks[j].clone();
        let (mut num, mut den) = (0.0, 0.0);
        for k in block.clone() {
            let l = fit.core.loadings[k].abs();
            num += fit.sds[k] * l;
            den += l;
        }
        if !(den > 0.0 && num > 0.0) {
            continue;
        }
        let adj = num / den;
        for k in block {
            fit.core.loadings[k] *= adj;
            fit.core.cross[(k, j)] *= adj;
        }
        for t in 0..fit.core.b.ncols() {
            fit.core.b[(j, t)] /= adj;
        }
    }
    fit.warnings.extend(notes);
    fit.interactions = Some(model.interactions().to_vec());
    Ok(fit)
}
