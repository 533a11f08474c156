//! Re-estimating a derived fit on a resample of its rows.
//!
//! A fit whose indicators are built from the rows (higher-order constructs: stage-one scores;
//! interaction terms: item or score products) or whose correlations are not Pearson ones
//! (OrdPLS: polychoric) cannot be resampled through the moments of its final stage: every
//! stage has to be run again on the resampled rows. [`Refit`] keeps what that needs: the
//! original model, the survey's item columns (with the full sample's answer scales, so that a
//! resample's 0-100 index uses the same scale as the estimate) and the estimator's settings.

use super::{Fit, Pls};
use crate::data::Survey;
use crate::error::Result;
use crate::model::Model;

/// How to estimate a derived fit again (see the module documentation).
#[derive(Debug, Clone)]
pub(crate) struct Refit {
    model: Model,
    survey: Survey,
    pls: Pls,
    ordinal: Option<Vec<String>>,
}

impl Refit {
    /// The recipe of `pls`'s fit of `model` on `survey` (`ordinal`: the items of an OrdPLS fit).
    pub(crate) fn new(
        pls: &Pls,
        model: &Model,
        survey: &Survey,
        ordinal: Option<Vec<String>>,
    ) -> Result<Refit> {
        let constructs: Vec<&str> = model.constructs().iter().map(|c| c.name.as_str()).collect();
        let mut items: Vec<String> = Vec::new();
        for c in model.constructs() {
            for i in &c.indicators {
                if !constructs.contains(&i.as_str()) && !items.contains(i) {
                    items.push(i.clone());
                }
            }
        }
        let data = survey.subset_with_scales(&items)?;
        Ok(Refit {
            model: model.clone(),
            survey: data,
            pls: *pls,
            ordinal,
        })
    }

    /// The model as the user gave it (with its higher-order constructs and interactions).
    pub(crate) fn model(&self) -> &Model {
        &self.model
    }

    /// The estimate on the given rows of the survey (0-based, repeated as drawn).
    pub(crate) fn fit_rows(&self, rows: &[usize]) -> Result<Fit> {
        let s = self.survey.select_rows(rows)?;
        let mut pls = self.pls;
        pls.accept_nonconverged = false;
        match &self.ordinal {
            Some(items) => pls.fit_ordinal_impl(&self.model, &s, items, false),
            None => pls.fit_impl(&self.model, &s, false),
        }
    }
}
