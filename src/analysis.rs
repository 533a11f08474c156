//! One analysis, as a request ([`Analysis`]) and its result ([`AnalysisResult`]): the fit and
//! whatever else was asked (bootstrap, IPMA, blindfolding, satisfaction levels, segments,
//! PLSpredict), with the text, Markdown and JSON forms the library owns.
//!
//! ```
//! use csindex::{analysis::Analysis, Bootstrap, LoadOptions, Model, Pls, Survey};
//! let opts = LoadOptions::new().scale("*", 1.0, 10.0).scale("COMP1", 0.0, 1.0);
//! let survey = Survey::from_csv_path("data/acsi_sample.csv", &opts)?;
//! let result = Analysis::new(Pls::new())
//!     .bootstrap(Bootstrap::new(200).seed(7))
//!     .ipma("SAT")
//!     .run(&Model::acsi(), &survey)?;
//! let json: serde_json::Value = serde_json::from_str(&result.to_json()?)?;
//! assert_eq!(json["schema"], 2);
//! assert!(json["index"]["SAT"]["index"].as_f64().unwrap() > 0.0);
//! assert!(json["bootstrap"]["paths"]["QUAL->SAT"]["ci_percentile"]["lo"].is_number());
//! println!("{}", result.to_text());
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! ## The JSON schema (version 2)
//!
//! One object. Names of estimates are those of the peer reference files; every table of
//! constructs is an object keyed by construct in model order, every table of indicators keyed by
//! indicator, every path `"FROM->TO"`, every interval `{"lo": .., "hi": ..}`, and option values
//! are written as the flags write them. Sections that were not asked for are absent.
//!
//! ```json
//! {
//!   "schema": 2,
//!   "method": "pls", "scheme": "path", "missing_policy": "listwise",
//!   "weights": {"column": "w", "kind": "sampling"},
//!   "n_file": 250, "n_used": 250, "n": 250.0, "n_effective": 241.7,
//!   "n_missing_cells_in_file": 0,
//!   "iterations": 6, "converged": true, "last_change": 4.1e-13, "warnings": [],
//!   "outer_weights": {"EXPE1": 0.41, "...": 0.0},
//!   "loadings": {"EXPE1": 0.88},
//!   "paths": {"EXPE->QUAL": 0.55},
//!   "r2": {"QUAL": 0.31}, "r2_adj": {"QUAL": 0.30},
//!   "total_effects": {"EXPE->SAT": 0.41}, "indirect_effects": {"EXPE->SAT": 0.27},
//!   "lv_correlations": {"EXPE": {"EXPE": 1.0, "QUAL": 0.55}},
//!   "cross_loadings": {"EXPE1": {"EXPE": 0.88, "QUAL": 0.47}},
//!   "alpha": {"EXPE": 0.79}, "alpha_raw": {}, "rho_c": {}, "rho_c_dg_pca": {}, "rho_a": {},
//!   "ave": {}, "sqrt_ave": {}, "fornell_larcker_ok": {"EXPE": true},
//!   "htmt_seminr": {"EXPE~QUAL": 0.66}, "htmt_csem": {}, "htmt2": {},
//!   "vif_inner": {"SAT": {"EXPE": 1.4}}, "vif_outer": {"EXPE1": 1.8},
//!   "f2_seminr": {"EXPE->QUAL": 0.44}, "f2_csem": {},
//!   "gof_plspm": 0.55, "gof_csem": 0.53, "srmr_csem": 0.05, "d_uls": 0.21,
//!   "d_g": 0.08, "d_g_ln": 0.44,
//!   "specific_indirect_effects": {"EXPE->QUAL->SAT": 0.17},
//!   "info_criteria": {"QUAL": {"aic": -90.1, "bic": -83.0}},
//!   "notes": [],
//!   "index_method": "fornell",
//!   "index": {"SAT": {"index": 72.45, "weights": {"SAT1": 0.34}, "item_means": {"SAT1": 7.5},
//!             "scale_min": 1.0, "scale_max": 10.0}},
//!   "index_skipped": {"COMP": "construct 'COMP': outer weight ..."},
//!   "ipma": {"target": "SAT", "target_performance": 72.45,
//!            "constructs": {"QUAL": {"importance": 0.52, "performance": 74.9}},
//!            "indicators": {"QUAL1": {"construct": "QUAL", "importance": 0.17,
//!                                      "performance": 75.2}}},
//!   "bootstrap": {"method": "ordinary", "resamples": 200, "used": 200, "degenerate": {"zero_variance": 0, "...": 0},
//!                 "level": 0.95, "seed": 7, "sign_change": "none",
//!                 "paths": {"QUAL->SAT": {"estimate": 0.30, "mean": 0.30, "se": 0.06,
//!                           "t": 5.1, "p": 1e-6, "ci_percentile": {"lo": 0.19, "hi": 0.41},
//!                           "ci_normal": {"lo": 0.18, "hi": 0.41}, "ci_t": {"lo": 0.18, "hi": 0.41},
//!                           "ci_bca": {"lo": 0.19, "hi": 0.42}, "draws_used": 200}},
//!                 "weights": {}, "loadings": {}, "r2": {}, "total_effects": {},
//!                 "specific_indirect_effects": {}, "htmt": {"EXPE~QUAL": {}}, "index": {}},
//!   "q2": {"SAT": {"redundancy": 0.41, "communality": 0.52}},
//!   "levels": {"SAT1": {"n": 250, "n_effective": 250.0, "missing": 0,
//!              "levels": [{"value": 1.0, "count": 2, "share": 0.008}],
//!              "top2": 0.31, "bottom2": 0.02, "mean": 7.5, "mean_ci": {"lo": 7.2, "hi": 7.8},
//!              "rate": null}},
//!   "segments": {"column": "segment", "rows_without_segment": 0,
//!                "groups": {"online": {"n": 200, "n_used": 190,
//!                           "index": {"SAT": {"index": 71.2, "ci": {"lo": 69.0, "hi": 73.1},
//!                                             "se": 1.1}},
//!                           "paths": {"QUAL->SAT": 0.31}}},
//!                "comparisons": [{"a": "online", "b": "branch",
//!                                 "index": {"SAT": {"difference": 1.5, "p_value": 0.3,
//!                                                   "permutations_used": 999}},
//!                                 "micom": {"SAT": {"compositional_c": 0.999, "...": 0.0}},
//!                                 "paths": {"QUAL->SAT": {"estimate_a": 0.31, "...": 0.0}}}]},
//!   "predict": {"folds": 10, "repetitions": 10, "antecedents": "direct", "failed_folds": 0,
//!               "items": {"SAT1": {"construct": "SAT", "pls_rmse": 1.1, "pls_mae": 0.9,
//!                                  "lm_rmse": 1.2, "lm_mae": 0.9, "q2_predict": 0.4}}}
//! }
//! ```

use crate::assess::{Assessment, Q2};
use crate::bootstrap::{BootResult, Bootstrap};
use crate::data::Survey;
use crate::error::{Error, Result};
use crate::index::{ConstructIndex, IndexMethod};
use crate::ipma::Ipma;
use crate::levels::{self, ItemLevels};
use crate::model::Model;
use crate::moments::Moments;
use crate::pls::{Fit, Pls};
use crate::predict::{Predict, PredictResult};
use crate::report::{CiMethod, Report};
use crate::segments::{SegmentResult, Segments};
use crate::waves::{WaveResult, Waves};
use serde_json::{Map, Value};

/// The version of [`AnalysisResult`]'s JSON form.
pub const SCHEMA: u32 = 2;

/// What to compute. Consuming builder; [`Analysis::run`] runs it on a survey.
#[derive(Debug, Clone)]
#[must_use]
pub struct Analysis {
    pls: Pls,
    bootstrap: Option<Bootstrap>,
    ci: CiMethod,
    ipma: Option<String>,
    blindfold: Option<usize>,
    levels: Option<f64>,
    segments: Option<Segments>,
    waves: Option<Waves>,
    predict: Option<Predict>,
    ordinal: Option<Vec<String>>,
    title: Option<String>,
}

impl Analysis {
    /// The fit with these estimator settings, its assessment and 0-100 indices; nothing else
    /// until asked.
    pub fn new(pls: Pls) -> Analysis {
        Analysis {
            pls,
            bootstrap: None,
            ci: CiMethod::Percentile,
            ipma: None,
            blindfold: None,
            levels: None,
            segments: None,
            waves: None,
            predict: None,
            ordinal: None,
            title: None,
        }
    }
    /// Bootstrap inference with these settings.
    pub fn bootstrap(mut self, b: Bootstrap) -> Self {
        self.bootstrap = Some(b);
        self
    }
    /// The interval the text and Markdown reports show (the JSON has all of them).
    pub fn ci(mut self, ci: CiMethod) -> Self {
        self.ci = ci;
        self
    }
    /// The importance-performance map of a target construct (checked when run).
    pub fn ipma(mut self, target: &str) -> Self {
        self.ipma = Some(target.to_string());
        self
    }
    /// Blindfolding Q² with omission distance `d`.
    pub fn blindfold(mut self, d: usize) -> Self {
        self.blindfold = Some(d);
        self
    }
    /// Satisfaction levels of every indicator, with intervals at this level (e.g. 0.95).
    pub fn levels(mut self, level: f64) -> Self {
        self.levels = Some(level);
        self
    }
    /// The index by segment, with MICOM and multigroup path comparisons.
    pub fn segments(mut self, s: Segments) -> Self {
        self.segments = Some(s);
        self
    }
    /// The index by survey wave, with each wave's change from the previous one (JSON
    /// `waves`; the trend figure is [`AnalysisResult::trend_svg`]).
    pub fn waves(mut self, w: Waves) -> Self {
        self.waves = Some(w);
        self
    }
    /// PLSpredict.
    pub fn predict(mut self, p: Predict) -> Self {
        self.predict = Some(p);
        self
    }
    /// The title of the text and Markdown reports.
    pub fn title(mut self, t: &str) -> Self {
        self.title = Some(t.to_string());
        self
    }

    /// Treats these items as ordinal (OrdPLS / OrdPLSc: polychoric and polyserial
    /// correlations, see [`Pls::fit_ordinal`]). The JSON then carries the correlation matrix
    /// used under `indicator_correlations` and the items under `ordinal_items`. The bootstrap
    /// recomputes the polychoric correlations in every resample; blindfolding, PLSpredict
    /// and segments are refused on such a fit (they would re-estimate with Pearson
    /// correlations).
    pub fn ordinal<S: AsRef<str>>(mut self, items: &[S]) -> Self {
        self.ordinal = Some(items.iter().map(|s| s.as_ref().to_string()).collect());
        self
    }

    /// Runs everything asked on a survey.
    ///
    /// # Errors
    /// The first error of any part, typed as that part reports it; an unknown IPMA target is
    /// [`Error::UnknownConstruct`] with the closest name.
    pub fn run(&self, model: &Model, survey: &Survey) -> Result<AnalysisResult> {
        let fit = match &self.ordinal {
            Some(items) => {
                if self.segments.is_some() || self.waves.is_some() {
                    return Err(Error::invalid(
                        "ordinal",
                        "the index by segment or wave of an OrdPLS fit is not available (it would re-estimate with Pearson correlations)",
                    ));
                }
                self.pls.fit_ordinal(model, survey, items)?
            }
            None => self.pls.fit(model, survey)?,
        };
        let mut r = self.finish(fit)?;
        r.model_text = model.to_syntax();
        r.descriptives = Some(r.fit.descriptives(survey)?);
        if let Some(level) = self.levels {
            for ind in r.fit.indicator_names() {
                r.levels.push(levels::describe(survey, ind, level)?);
            }
        }
        if let Some(s) = &self.segments {
            r.segments = Some(s.run(model, survey, &self.pls)?);
        }
        if let Some(w) = &self.waves {
            r.waves = Some(w.run(model, survey, &self.pls)?);
        }
        Ok(r)
    }

    /// Runs what needs no rows on moments (fit, assessment, index, IPMA, and the one-pass
    /// Poisson bootstrap when the moments carry its replicates); blindfolding, levels, segments,
    /// PLSpredict, or a bootstrap of moments without replicates is [`Error::NeedsRows`].
    ///
    /// # Errors
    /// As [`Pls::fit_moments`], and [`Error::NeedsRows`] as said.
    pub fn run_moments(&self, model: &Model, moments: &Moments) -> Result<AnalysisResult> {
        let needs_rows = [
            (
                self.bootstrap.is_some() && moments.replicate_count() == 0,
                "the bootstrap (stream the data with a one-pass Poisson bootstrap instead)",
            ),
            (self.blindfold.is_some(), "blindfolding"),
            (self.levels.is_some(), "satisfaction levels"),
            (self.segments.is_some(), "the index by segment"),
            (self.waves.is_some(), "the index by wave"),
            (self.predict.is_some(), "PLSpredict"),
        ];
        if let Some((_, what)) = needs_rows.iter().find(|x| x.0) {
            return Err(Error::NeedsRows {
                what: what.to_string(),
            });
        }
        let fit = self.pls.fit_moments(model, moments)?;
        let mut r = self.finish(fit)?;
        r.model_text = model.to_syntax();
        Ok(r)
    }

    fn finish(&self, fit: Fit) -> Result<AnalysisResult> {
        let assessment = fit.assess()?;
        let (index, index_skipped) = fit.indices(IndexMethod::Fornell);
        let ipma = match &self.ipma {
            Some(t) => Some(fit.ipma(t)?),
            None => None,
        };
        let bootstrap = match &self.bootstrap {
            // A fit from moments that carry Poisson replicates: the one-pass bootstrap.
            Some(b) if fit.rows("the bootstrap").is_err() => {
                if self.ci == CiMethod::Bca {
                    return Err(Error::invalid(
                        "ci",
                        "BCa intervals need a jackknife of the rows: the one-pass bootstrap \
                         gives percentile, normal and t intervals",
                    ));
                }
                Some(b.run_poisson(&fit)?)
            }
            Some(b) => Some(b.run(&fit)?),
            None => None,
        };
        let q2 = match self.blindfold {
            Some(d) => Some(fit.blindfold(d)?),
            None => None,
        };
        let predict = match &self.predict {
            Some(p) => Some(p.run(&fit)?),
            None => None,
        };
        Ok(AnalysisResult {
            fit,
            assessment,
            index,
            index_skipped,
            ipma,
            bootstrap,
            q2,
            levels: Vec::new(),
            segments: None,
            waves: None,
            descriptives: None,
            predict,
            ci: self.ci,
            model_text: String::new(),
            title: self
                .title
                .clone()
                .unwrap_or_else(|| "csindex: PLS path model".into()),
        })
    }
}

/// Everything one analysis computed. Its text, Markdown and JSON forms come from here.
#[derive(Debug, Clone)]
pub struct AnalysisResult {
    fit: Fit,
    assessment: Assessment,
    index: Vec<ConstructIndex>,
    index_skipped: Vec<(String, String)>,
    ipma: Option<Ipma>,
    bootstrap: Option<BootResult>,
    q2: Option<Vec<Q2>>,
    levels: Vec<ItemLevels>,
    segments: Option<SegmentResult>,
    waves: Option<WaveResult>,
    descriptives: Option<crate::describe::Descriptives>,
    predict: Option<PredictResult>,
    ci: CiMethod,
    title: String,
    /// The model as given (its text), for the HTML report.
    model_text: String,
}

impl AnalysisResult {
    /// The fit.
    pub fn fit(&self) -> &Fit {
        &self.fit
    }
    /// The assessment of the fit.
    pub fn assessment(&self) -> &Assessment {
        &self.assessment
    }
    /// The 0-100 index of every construct whose weights are all positive.
    pub fn indices(&self) -> &[ConstructIndex] {
        &self.index
    }
    /// Constructs left out of the index, with the reason.
    pub fn indices_skipped(&self) -> &[(String, String)] {
        &self.index_skipped
    }
    /// The IPMA, when asked.
    pub fn ipma(&self) -> Option<&Ipma> {
        self.ipma.as_ref()
    }
    /// The bootstrap, when asked.
    pub fn bootstrap(&self) -> Option<&BootResult> {
        self.bootstrap.as_ref()
    }
    /// Blindfolding Q², when asked.
    pub fn q2(&self) -> Option<&[Q2]> {
        self.q2.as_deref()
    }
    /// Satisfaction levels (empty unless asked).
    pub fn levels(&self) -> &[ItemLevels] {
        &self.levels
    }
    /// The index by segment, when asked.
    pub fn segments(&self) -> Option<&SegmentResult> {
        self.segments.as_ref()
    }
    /// The index by wave, when asked.
    pub fn waves(&self) -> Option<&WaveResult> {
        self.waves.as_ref()
    }
    /// The trend of the index by wave (SVG), when waves were asked.
    pub fn trend_svg(&self) -> Option<String> {
        self.waves.as_ref().map(|w| crate::svg::trend(w, None))
    }
    /// PLSpredict, when asked.
    pub fn predict(&self) -> Option<&PredictResult> {
        self.predict.as_ref()
    }

    fn report(&self) -> Report<'_> {
        let mut r = Report::with_assessment(&self.fit, self.assessment.clone())
            .ci(self.ci)
            .title(&self.title);
        if let Some(b) = &self.bootstrap {
            r = r.bootstrap(b);
        }
        if let Some(q) = &self.q2 {
            r = r.q2(q.clone());
        }
        if let Some(i) = &self.ipma {
            r = r.ipma(&i.target);
        }
        r
    }

    /// One self-contained HTML report (see [`crate::render::html`]): the run information
    /// (source, rows used, model text, settings, csindex version), every table, the figures
    /// inline (path diagram, IPMA map, trend by wave, simple slopes) and the notes.
    pub fn to_html(&self) -> String {
        let report = self.report();
        let (header, mut tables, notes) = report.tables();
        tables.extend(self.extras_tables());
        let fit = &self.fit;
        let s = fit.settings();
        let mut info = vec![
            ("Report".to_string(), self.title.clone()),
            ("Rows used".to_string(), format!("{} of {}", fit.n_used(), fit.n_file())),
            (
                "Estimator".to_string(),
                format!(
                    "PLS path modeling, {} scheme{}; missing data: {}; stop when the largest weight change < {:e} (at most {} iterations)",
                    fit.scheme(),
                    if fit.is_consistent() { ", consistent (PLSc)" } else { "" },
                    fit.missing_policy(),
                    s.tolerance,
                    s.max_iterations
                ),
            ),
        ];
        if fit.first_stage().is_some() {
            info.push(("Higher-order method".into(), s.hoc.as_str().into()));
        }
        if fit.interactions().is_some() {
            info.push(("Interaction method".into(), s.interaction.as_str().into()));
        }
        if let Some((col, kind)) = fit.weights() {
            info.push(("Survey weights".into(), format!("{col} ({kind})")));
        }
        if let Some(b) = &self.bootstrap {
            info.push((
                "Bootstrap".into(),
                format!(
                    "{} resamples ({} used), {}, seed {}, {:.0}% intervals ({})",
                    b.resamples,
                    b.used,
                    b.method.as_str(),
                    b.seed
                        .map_or_else(|| "given resamples".to_string(), |s| s.to_string()),
                    b.level * 100.0,
                    self.ci.name()
                ),
            ));
        }
        info.push(("csindex".into(), env!("CARGO_PKG_VERSION").into()));
        let mut figures = vec![("Path diagram".to_string(), self.path_diagram_svg())];
        if let Some(svg) = self.ipma_svg() {
            figures.push(("Importance-performance map".into(), svg));
        }
        if let Some(svg) = self.ipma_indicators_svg() {
            figures.push(("Importance-performance map of the indicators".into(), svg));
        }
        if let Some(svg) = self.trend_svg() {
            figures.push(("Index by wave".into(), svg));
        }
        for (key, svg) in self.simple_slopes_svg() {
            figures.push((format!("Simple slopes {key}"), svg));
        }
        crate::render::html::Page {
            title: &self.title,
            info,
            model_text: &self.model_text,
            header: &header,
            tables: &tables,
            figures: &figures,
            notes: &notes,
        }
        .html()
    }

    /// The report as aligned text.
    pub fn to_text(&self) -> String {
        self.report().to_text() + &self.extras_text()
    }

    /// The report as Markdown.
    pub fn to_markdown(&self) -> String {
        self.report().to_markdown() + &self.extras_text()
    }

    /// Levels, segments, waves and PLSpredict as text (after the main report).
    fn extras_text(&self) -> String {
        let mut out = String::new();
        for t in self.extras_tables() {
            out.push_str(&t.text());
        }
        out
    }

    /// The tables of PLSpredict, levels, segments and waves.
    fn extras_tables(&self) -> Vec<crate::render::table::Table> {
        let mut out = Vec::new();
        if let Some(p) = &self.predict {
            out.push(p.table());
        }
        if !self.levels.is_empty() {
            out.extend(crate::render::levels_tables(&self.levels));
        }
        if let Some(s) = &self.segments {
            out.extend(crate::render::segments_tables(s));
        }
        if let Some(w) = &self.waves {
            out.extend(crate::render::waves_tables(w));
        }
        if let Some(d) = &self.descriptives {
            out.extend(crate::render::descriptives_tables(d));
        }
        out
    }
    /// The descriptive statistics of the items and construct scores (a fit of a survey).
    pub fn descriptives(&self) -> Option<&crate::describe::Descriptives> {
        self.descriptives.as_ref()
    }

    /// The simple-slope plots (SVG) of the model's interaction terms, one per term and
    /// target, keyed `IV:MOD->TARGET`.
    pub fn simple_slopes_svg(&self) -> Vec<(String, String)> {
        self.fit
            .simple_slopes()
            .iter()
            .map(|s| {
                (
                    format!("{}:{}->{}", s.iv, s.moderator, s.target),
                    crate::svg::simple_slopes(&self.fit, s),
                )
            })
            .collect()
    }

    /// The path diagram (SVG), with bootstrap stars when bootstrapped.
    pub fn path_diagram_svg(&self) -> String {
        crate::svg::path_diagram_titled(&self.fit, self.bootstrap.as_ref(), &self.title)
    }

    /// The IPMA map (SVG), when an IPMA was asked.
    pub fn ipma_svg(&self) -> Option<String> {
        self.ipma.as_ref().map(crate::svg::ipma_map)
    }

    /// The IPMA map at indicator level (SVG), when an IPMA was asked: every indicator of the
    /// constructs that lead to the target, coloured by construct.
    pub fn ipma_indicators_svg(&self) -> Option<String> {
        self.ipma.as_ref().map(crate::svg::ipma_map_indicators)
    }

    /// The JSON form (schema in the [module documentation](self)), pretty-printed.
    ///
    /// # Errors
    /// [`Error::Json`] if serialization fails (it does not for a finished analysis).
    pub fn to_json(&self) -> Result<String> {
        Ok(serde_json::to_string_pretty(&self.to_value()?)?)
    }

    /// The JSON form as a value.
    ///
    /// # Errors
    /// As [`AnalysisResult::to_json`].
    pub fn to_value(&self) -> Result<Value> {
        let mut doc = Obj::default();
        doc.put("schema", SCHEMA)?;
        let summary = as_object(serde_json::to_value(self.fit.summary())?)?;
        for (k, v) in summary {
            if k == "scheme" || k == "missing_policy" || k == "method" {
                continue;
            }
            if k == "n_file" {
                doc.put("method", &self.fit.summary().method)?;
                doc.put("scheme", self.fit.scheme().as_str())?;
                doc.put("missing_policy", self.fit.missing_policy().as_str())?;
                doc.put(
                    "weights",
                    match self.fit.weights() {
                        Some((col, kind)) => {
                            serde_json::json!({"column": col, "kind": kind.as_str()})
                        }
                        None => Value::Null,
                    },
                )?;
            }
            doc.put(&k, v)?;
            if k == "n_used" {
                doc.put("n", self.fit.n())?;
                doc.put("n_effective", self.fit.kish_n())?;
            }
        }
        let assess = as_object(serde_json::to_value(&self.assessment)?)?;
        for (k, v) in assess {
            if k == "indirect_effects" {
                // The routes through mediators; `indirect_effects` holds the total indirect
                // effect of each pair (from the fit).
                let mut routes = Map::new();
                for e in &self.assessment.indirect_effects {
                    routes.insert(e.key(), Value::from(e.effect));
                }
                doc.put("specific_indirect_effects", Value::Object(routes))?;
            } else {
                doc.put(&k, v)?;
            }
        }
        doc.put("index_method", IndexMethod::Fornell.as_str())?;
        let mut index = Map::new();
        for ix in &self.index {
            let mut o = as_object(serde_json::to_value(ix)?)?;
            o.shift_remove("construct");
            o.shift_remove("method");
            index.insert(ix.construct.clone(), Value::Object(o));
        }
        doc.put("index", Value::Object(index))?;
        let skipped: Map<String, Value> = self
            .index_skipped
            .iter()
            .map(|(c, why)| (c.clone(), Value::from(why.as_str())))
            .collect();
        doc.put("index_skipped", Value::Object(skipped))?;
        if let Some(m) = &self.ipma {
            doc.put("ipma", ipma_value(m)?)?;
        }
        if let Some(s1) = self.fit.first_stage() {
            let sum = serde_json::to_value(s1.summary())?;
            doc.put(
                "first_stage",
                serde_json::json!({
                    "outer_weights": sum["outer_weights"],
                    "loadings": sum["loadings"],
                    "paths": sum["paths"],
                    "r2": sum["r2"],
                }),
            )?;
        }
        let slopes = self.fit.simple_slopes();
        if !slopes.is_empty() {
            let mut m = Map::new();
            for s in &slopes {
                let levels: Map<String, Value> =
                    s.at.iter()
                        .map(|(l, v)| (format!("{l}"), Value::from(*v)))
                        .collect();
                m.insert(
                    format!("{}:{}->{}", s.iv, s.moderator, s.target),
                    Value::Object(levels),
                );
            }
            doc.put("simple_slopes", Value::Object(m))?;
        }
        if let Some(items) = self.fit.ordinal_items() {
            doc.put("ordinal_items", items)?;
            let names = self.fit.indicator_names();
            let s = self.fit.indicator_correlations();
            let mut m = Map::new();
            for (a, na) in names.iter().enumerate() {
                let row: Map<String, Value> = names
                    .iter()
                    .enumerate()
                    .map(|(b, nb)| (nb.clone(), Value::from(s[(a, b)])))
                    .collect();
                m.insert(na.clone(), Value::Object(row));
            }
            doc.put("indicator_correlations", Value::Object(m))?;
        }
        if let Some(b) = &self.bootstrap {
            doc.put("bootstrap", bootstrap_value(b)?)?;
        }
        if let Some(q) = &self.q2 {
            doc.put("q2", keyed(serde_json::to_value(q)?, "construct")?)?;
        }
        if !self.levels.is_empty() {
            doc.put(
                "levels",
                keyed(serde_json::to_value(&self.levels)?, "item")?,
            )?;
        }
        if let Some(s) = &self.segments {
            doc.put("segments", segments_value(s)?)?;
        }
        if let Some(d) = &self.descriptives {
            doc.put("descriptives", descriptives_value(d)?)?;
        }
        if let Some(w) = &self.waves {
            doc.put("waves", waves_value(w)?)?;
            doc.put(
                "waves_info",
                serde_json::json!({"column": w.column, "rows_without_wave": w.rows_without_wave, "level": w.level}),
            )?;
        }
        if let Some(p) = &self.predict {
            let mut o = as_object(serde_json::to_value(p)?)?;
            let items = o.shift_remove("items").unwrap_or(Value::Null);
            o.insert("items".into(), keyed(items, "indicator")?);
            doc.put("predict", Value::Object(o))?;
        }
        Ok(Value::Object(doc.0))
    }
}

/// An object that refuses a key twice (the schema has no duplicate keys).
#[derive(Default)]
struct Obj(Map<String, Value>);

impl Obj {
    fn put(&mut self, key: &str, v: impl serde::Serialize) -> Result<()> {
        let v = serde_json::to_value(v)?;
        if self.0.insert(key.to_string(), v).is_some() {
            return Err(schema(format!("duplicate key '{key}' in the result")));
        }
        Ok(())
    }
}

fn schema(message: String) -> Error {
    Error::Schema { message }
}

fn as_object(v: Value) -> Result<Map<String, Value>> {
    match v {
        Value::Object(o) => Ok(o),
        other => Err(schema(format!("expected an object, found {other}"))),
    }
}

/// An array of objects as an object keyed by each element's `key` field (removed from it).
fn keyed(v: Value, key: &str) -> Result<Value> {
    let Value::Array(items) = v else {
        return Err(schema(format!("expected an array keyed by '{key}'")));
    };
    let mut out = Map::new();
    for item in items {
        let mut o = as_object(item)?;
        let k = match o.shift_remove(key) {
            Some(Value::String(s)) => s,
            other => return Err(schema(format!("no '{key}' in {other:?}"))),
        };
        if out.insert(k.clone(), Value::Object(o)).is_some() {
            return Err(schema(format!("duplicate key '{k}' in the result")));
        }
    }
    Ok(Value::Object(out))
}

/// Comparison rows of one pair of groups as an object keyed by each row's `key` field (the
/// pair's names `a` and `b` dropped).
fn by_key<'a, T: serde::Serialize + 'a>(
    rows: impl Iterator<Item = &'a T>,
    key: &str,
) -> Result<Value> {
    let mut items = Vec::new();
    for r in rows {
        let mut o = as_object(serde_json::to_value(r)?)?;
        o.shift_remove("a");
        o.shift_remove("b");
        items.push(Value::Object(o));
    }
    keyed(Value::Array(items), key)
}

fn ipma_value(m: &Ipma) -> Result<Value> {
    let point = |p: &crate::ipma::IpmaPoint, with_construct: bool| {
        let mut o = Map::new();
        if with_construct {
            o.insert("construct".into(), Value::from(p.construct.as_str()));
        }
        o.insert("importance".into(), Value::from(p.importance));
        o.insert("performance".into(), Value::from(p.performance));
        Value::Object(o)
    };
    let constructs: Map<String, Value> = m
        .constructs
        .iter()
        .map(|p| (p.name.clone(), point(p, false)))
        .collect();
    let indicators: Map<String, Value> = m
        .indicators
        .iter()
        .map(|p| (p.name.clone(), point(p, true)))
        .collect();
    Ok(serde_json::json!({
        "target": m.target,
        "target_performance": m.target_performance,
        "constructs": constructs,
        "indicators": indicators,
    }))
}

fn bootstrap_value(b: &BootResult) -> Result<Value> {
    use crate::bootstrap::StatKind;
    let mut o = Obj::default();
    o.put("method", b.method.as_str())?;
    o.put("resamples", b.resamples)?;
    o.put("used", b.used)?;
    o.put("degenerate", b.degenerate)?;
    o.put("level", b.level)?;
    o.put("seed", b.seed)?;
    o.put("sign_change", b.sign_change.as_str())?;
    let sections = [
        (StatKind::Path, "paths"),
        (StatKind::Weight, "weights"),
        (StatKind::Loading, "loadings"),
        (StatKind::R2, "r2"),
        (StatKind::TotalEffect, "total_effects"),
        (StatKind::IndirectEffect, "specific_indirect_effects"),
        (StatKind::Htmt, "htmt"),
        (StatKind::Index, "index"),
        (StatKind::SimpleSlope, "simple_slopes"),
    ];
    for (kind, name) in sections {
        let mut m = Map::new();
        for s in b.statistics.iter().filter(|s| s.kind == kind) {
            let mut v = as_object(serde_json::to_value(s)?)?;
            v.shift_remove("kind");
            v.shift_remove("name");
            m.insert(s.name.clone(), Value::Object(v));
        }
        o.put(name, Value::Object(m))?;
    }
    Ok(Value::Object(o.0))
}

/// `descriptives`: `items` and `constructs` keyed by name (n, missing, mean, sd, median, min,
/// max, skewness, kurtosis, excess_kurtosis; an item the file labels also has `label` and
/// `value_labels`, keyed by code), `item_correlations`, `construct_correlations`,
/// `weights` (the kind of the survey weights applied, or null).
fn descriptives_value(d: &crate::describe::Descriptives) -> Result<Value> {
    let by_name = |v: &[crate::describe::Descriptive]| -> Result<Value> {
        let mut m = Map::new();
        for x in v {
            let mut o = as_object(serde_json::to_value(x)?)?;
            o.shift_remove("name");
            m.insert(x.name.clone(), Value::Object(o));
        }
        Ok(Value::Object(m))
    };
    let mut items = by_name(&d.items)?;
    // Each item's labels from the file, beside its statistics.
    if let Value::Object(m) = &mut items {
        for l in &d.item_labels {
            if let Some(Value::Object(o)) = m.get_mut(&l.name) {
                o.insert("label".into(), serde_json::to_value(&l.label)?);
                let codes: Map<String, Value> = l
                    .value_labels
                    .iter()
                    .map(|(c, t)| (format!("{c}"), Value::from(t.as_str())))
                    .collect();
                o.insert("value_labels".into(), Value::Object(codes));
            }
        }
    }
    Ok(serde_json::json!({
        "items": items,
        "constructs": by_name(&d.constructs)?,
        "item_correlations": serde_json::to_value(&d.item_correlations)?,
        "construct_correlations": serde_json::to_value(&d.construct_correlations)?,
        "weights": d.weights.map(|k| k.as_str()),
    }))
}

/// `waves`: keyed by wave in file order (`waves_info` holds the column, the rows without a
/// wave and the intervals' level); each with `n`, `n_used`, `index` shaped like the
/// top-level `index` (plus `ci` and `se` from the wave's bootstrap) and `change` (from the
/// previous wave, per construct: `from`, `change`, `p_value`, `permutations_used`).
fn waves_value(w: &WaveResult) -> Result<Value> {
    let mut waves = Map::new();
    for wave in &w.waves {
        let mut index = Map::new();
        for ix in &wave.detail {
            let mut o = as_object(serde_json::to_value(ix)?)?;
            o.shift_remove("construct");
            o.shift_remove("method");
            if let Some(g) = wave.indices.iter().find(|g| g.construct == ix.construct) {
                o.insert("ci".into(), serde_json::to_value(g.ci)?);
                o.insert("se".into(), serde_json::to_value(g.se)?);
            }
            index.insert(ix.construct.clone(), Value::Object(o));
        }
        let mut change = Map::new();
        for c in &wave.changes {
            let mut o = as_object(serde_json::to_value(c)?)?;
            o.shift_remove("construct");
            change.insert(c.construct.clone(), Value::Object(o));
        }
        waves.insert(
            wave.wave.clone(),
            serde_json::json!({"n": wave.n, "n_used": wave.n_used, "index": index, "change": change}),
        );
    }
    Ok(Value::Object(waves))
}

fn segments_value(s: &SegmentResult) -> Result<Value> {
    let mut groups = Map::new();
    for g in &s.groups {
        let index = keyed(serde_json::to_value(&g.indices)?, "construct")?;
        groups.insert(
            g.group.clone(),
            serde_json::json!({"n": g.n, "n_used": g.n_used, "index": index, "paths": g.paths}),
        );
    }
    // One comparison per pair of groups, in the order the pairs were compared.
    let mut pairs: Vec<(String, String)> = Vec::new();
    let mut note = |a: &str, b: &str| {
        if !pairs.iter().any(|(x, y)| x == a && y == b) {
            pairs.push((a.to_string(), b.to_string()));
        }
    };
    for d in &s.path_differences {
        note(&d.a, &d.b);
    }
    for d in &s.differences {
        note(&d.a, &d.b);
    }
    let mut comparisons = Vec::new();
    for (a, b) in pairs {
        let index = by_key(
            s.differences.iter().filter(|d| d.a == a && d.b == b),
            "construct",
        )?;
        let micom = by_key(s.micom.iter().filter(|d| d.a == a && d.b == b), "construct")?;
        let paths = by_key(
            s.path_differences.iter().filter(|d| d.a == a && d.b == b),
            "path",
        )?;
        comparisons.push(serde_json::json!({
            "a": a, "b": b, "index": index, "micom": micom, "paths": paths,
        }));
    }
    Ok(serde_json::json!({
        "column": s.column,
        "rows_without_segment": s.rows_without_segment,
        "groups": groups,
        "comparisons": comparisons,
    }))
}
