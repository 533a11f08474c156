//! Kano classification of features from paired functional / dysfunctional questions
//! (Kano et al. 1984; Berger et al. 1993).
//!
//! Answers: 1 *I like it*, 2 *I expect it (must-be)*, 3 *I am neutral*, 4 *I can live with it*,
//! 5 *I dislike it* — as codes or words (English, or Chinese: 喜欢, 理所当然, 无所谓, 能忍受,
//! 不喜欢); the 3-point variant uses 1 like, 2 neutral, 3 dislike.
//! Each pair is classified with the standard evaluation table into attractive (A),
//! one-dimensional (O), must-be (M), indifferent (I), reverse (R) or questionable (Q).
//!
//! Per feature ([`FeatureSummary`]): counts and shares; the dominant (most frequent) category;
//! the M > O > A > I rule when the top two categories are within a margin (default 5 percentage
//! points); category strength; total strength; Better = (A+O)/(A+O+M+I) and
//! Worse = −(O+M)/(A+O+M+I) (Berger et al. 1993); Fong's test of the two most frequent
//! categories; a χ² test of equal frequencies; the DuMouchel functional / dysfunctional scores;
//! the mean self-stated importance.
//!
//! ```
//! use csindex::kano::{Category, FeatureSummary};
//! // A feature with these answer counts ("Hotline"): A 121, O 24, M 15, I 124, R 6, Q 6.
//! let s = FeatureSummary::from_counts("Hotline", [121, 24, 15, 124, 6, 6], 0.05);
//! assert_eq!(s.dominant, Category::I);
//! assert_eq!(s.category, Category::A); // top two within 5 points: M > O > A > I
//! assert!((s.better.unwrap() - 0.511).abs() < 5e-4);
//! ```

use crate::error::{Error, Result};
use crate::stats;
use rayon::prelude::*;
use serde::Serialize;
use std::path::Path;

/// A Kano category.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, serde::Deserialize)]
pub enum Category {
    /// Attractive.
    A,
    /// One-dimensional.
    O,
    /// Must-be.
    M,
    /// Indifferent.
    I,
    /// Reverse.
    R,
    /// Questionable (contradictory answers).
    Q,
}

impl Category {
    /// All six, in count order `[A, O, M, I, R, Q]`.
    pub const ALL: [Category; 6] = [
        Category::A,
        Category::O,
        Category::M,
        Category::I,
        Category::R,
        Category::Q,
    ];
    /// The category's name.
    pub fn name(self) -> &'static str {
        match self {
            Category::A => "attractive",
            Category::O => "one-dimensional",
            Category::M => "must-be",
            Category::I => "indifferent",
            Category::R => "reverse",
            Category::Q => "questionable",
        }
    }
    fn index(self) -> usize {
        self as usize
    }
    /// Priority in the M > O > A > I rule (lower first; R and Q last).
    fn priority(self) -> usize {
        match self {
            Category::M => 0,
            Category::O => 1,
            Category::A => 2,
            Category::I => 3,
            Category::R => 4,
            Category::Q => 5,
        }
    }
}

/// Answer scale of the questionnaire.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, serde::Deserialize)]
pub enum AnswerScale {
    /// 1 like, 2 must-be, 3 neutral, 4 live with, 5 dislike (default).
    #[default]
    Five,
    /// 1 like, 2 neutral, 3 dislike.
    Three,
}

use Category::{A, I, M, O, Q, R};

/// The 5×5 evaluation table (rows: functional answer, columns: dysfunctional answer).
const TABLE5: [[Category; 5]; 5] = [
    [Q, A, A, A, O],
    [R, I, I, I, M],
    [R, I, I, I, M],
    [R, I, I, I, M],
    [R, R, R, R, Q],
];

/// The 3-point table (stp25kano `type = 3`).
const TABLE3: [[Category; 3]; 3] = [[A, A, O], [I, I, M], [I, I, M]];

/// Classifies one pair of answers (codes 1-based).
pub fn classify(functional: u8, dysfunctional: u8, scale: AnswerScale) -> Option<Category> {
    let (f, d) = (functional as usize, dysfunctional as usize);
    match scale {
        AnswerScale::Five if (1..=5).contains(&f) && (1..=5).contains(&d) => {
            Some(TABLE5[f - 1][d - 1])
        }
        AnswerScale::Three if (1..=3).contains(&f) && (1..=3).contains(&d) => {
            Some(TABLE3[f - 1][d - 1])
        }
        _ => None,
    }
}

/// Parses an answer given as a code or as words (case-insensitive).
pub fn parse_answer(cell: &str, scale: AnswerScale) -> Option<u8> {
    let c = cell.trim().to_ascii_lowercase();
    if let Ok(v) = c.parse::<f64>() {
        let max = if scale == AnswerScale::Five { 5.0 } else { 3.0 };
        return (v.fract() == 0.0 && (1.0..=max).contains(&v)).then_some(v as u8);
    }
    let c: String = c
        .chars()
        .filter(|ch| ch.is_alphanumeric() || *ch == ' ')
        .collect::<String>();
    let c = c.trim();
    let word = match c {
        "like" | "i like it" | "like it" | "i like" | "very helpful" | "delighted" | "喜欢"
        | "我喜欢" | "很喜欢" => 1,
        "must be"
        | "mustbe"
        | "must"
        | "expect"
        | "i expect it"
        | "expected"
        | "it must be that way"
        | "basic requirement"
        | "理所当然"
        | "理应如此"
        | "必须的" => 2,
        "neutral"
        | "i am neutral"
        | "indifferent"
        | "dont care"
        | "i dont care"
        | "would not affect me"
        | "无所谓"
        | "无所谓的" => 3,
        "live with"
        | "livewith"
        | "i can live with it"
        | "can live with it"
        | "tolerate"
        | "i can tolerate it"
        | "minor inconvenience"
        | "能忍受"
        | "可以忍受"
        | "勉强接受" => 4,
        "dislike" | "i dislike it" | "dislike it" | "i dislike" | "major problem" | "不喜欢"
        | "我不喜欢" => 5,
        _ => return None,
    };
    match scale {
        AnswerScale::Five => Some(word),
        AnswerScale::Three => match word {
            1 => Some(1),
            3 => Some(2),
            5 => Some(3),
            _ => None,
        },
    }
}

/// DuMouchel scores (Berger et al. 1993): functional Like 4, Must-be 2, Neutral 0, Live-with −1,
/// Dislike −2; dysfunctional Like −2, Must-be −1, Neutral 0, Live-with 2, Dislike 4.
fn dumouchel(code: u8, scale: AnswerScale, functional: bool) -> f64 {
    let five = match scale {
        AnswerScale::Five => code,
        AnswerScale::Three => [1, 3, 5][(code.clamp(1, 3) - 1) as usize],
    };
    let f = [4.0, 2.0, 0.0, -1.0, -2.0];
    let d = [-2.0, -1.0, 0.0, 2.0, 4.0];
    let k = (five.clamp(1, 5) - 1) as usize;
    if functional {
        f[k]
    } else {
        d[k]
    }
}

/// Options for reading and summarising a Kano survey. Consuming builder.
#[derive(Debug, Clone)]
#[must_use]
pub struct KanoOptions {
    functional_suffix: String,
    dysfunctional_suffix: String,
    importance_suffix: String,
    scale: AnswerScale,
    margin: f64,
    skip_invalid: bool,
    /// `None`: detected from the header line.
    delimiter: Option<u8>,
    /// A respondent-weight column, if any.
    weights: Option<String>,
    /// The largest record and the most columns the reader accepts.
    limits: crate::data::Limits,
}

impl Default for KanoOptions {
    fn default() -> Self {
        KanoOptions {
            functional_suffix: "_functional".into(),
            dysfunctional_suffix: "_dysfunctional".into(),
            importance_suffix: "_importance".into(),
            scale: AnswerScale::Five,
            margin: 0.05,
            skip_invalid: false,
            delimiter: None,
            weights: None,
            limits: crate::data::Limits::default(),
        }
    }
}

impl KanoOptions {
    /// Resource limits for reading the file: the longest record and the most columns
    /// ([`Limits`](crate::data::Limits); the defaults are 64 MiB and 20,000). Exceeding one
    /// is [`Error::RecordTooLong`] or
    /// [`Error::LimitExceeded`].
    pub fn limits(mut self, limits: crate::data::Limits) -> Self {
        self.limits = limits;
        self
    }
    /// Suffixes `_functional`, `_dysfunctional`, `_importance`; 5-point answers; 5-point margin;
    /// invalid answers are errors; the delimiter is detected.
    pub fn new() -> Self {
        Self::default()
    }
    /// Column suffixes of the functional, dysfunctional and importance questions.
    pub fn suffixes(mut self, functional: &str, dysfunctional: &str, importance: &str) -> Self {
        self.functional_suffix = functional.into();
        self.dysfunctional_suffix = dysfunctional.into();
        self.importance_suffix = importance.into();
        self
    }
    /// Answer scale.
    pub fn scale(mut self, s: AnswerScale) -> Self {
        self.scale = s;
        self
    }
    /// Margin (a share, 0.05 = 5 points) within which the M > O > A > I rule decides.
    pub fn margin(mut self, m: f64) -> Self {
        self.margin = m;
        self
    }
    /// Skip a respondent's invalid pair (counted per feature) instead of failing.
    pub fn skip_invalid(mut self, yes: bool) -> Self {
        self.skip_invalid = yes;
        self
    }
    /// Field delimiter (by default detected from the header: `,`, `;` or tab).
    pub fn delimiter(mut self, d: u8) -> Self {
        self.delimiter = Some(d);
        self
    }
    /// Weights respondents by a numeric column (survey weights): category shares, strengths,
    /// Better/Worse and the classification use weighted counts, rescaled to sum to the number of
    /// classified respondents; Fong's test and χ² use those rescaled counts.
    pub fn weights(mut self, column: &str) -> Self {
        self.weights = Some(column.to_string());
        self
    }
}

/// One feature's answer codes.
#[derive(Debug, Clone)]
pub struct FeatureAnswers {
    /// Feature name (the column prefix).
    pub name: String,
    /// Functional answers (codes).
    pub functional: Vec<u8>,
    /// Dysfunctional answers (codes).
    pub dysfunctional: Vec<u8>,
    /// Self-stated importance, where given.
    pub importance: Vec<f64>,
    /// Respondents skipped for an invalid or missing pair.
    pub skipped: usize,
    /// The weight of each classified pair (empty without a weight column).
    pub weights: Vec<f64>,
}

/// A Kano survey: answers per feature.
#[derive(Debug, Clone)]
pub struct KanoSurvey {
    /// Features in file order.
    pub features: Vec<FeatureAnswers>,
    /// Answer scale.
    pub scale: AnswerScale,
    /// Respondents (data rows).
    pub respondents: usize,
    /// The margin of the M > O > A > I rule (from [`KanoOptions::margin`]).
    pub margin: f64,
}

impl KanoSurvey {
    /// Reads a CSV file; feature pairs are found by the column suffixes.
    pub fn from_csv_path(path: impl AsRef<Path>, opts: &KanoOptions) -> Result<KanoSurvey> {
        Self::from_reader(crate::data::open_file(path.as_ref())?, opts)
    }

    /// Reads CSV text from any reader.
    pub fn from_reader<Rd: std::io::Read>(reader: Rd, opts: &KanoOptions) -> Result<KanoSurvey> {
        let mut reader = reader;
        let (buf, delimiter, _) =
            crate::data::read_input(&mut reader, opts.delimiter, None, &opts.limits)?;
        let (mut rdr, names) = crate::data::csv_with_header(buf.as_slice(), delimiter)?;
        opts.limits.check_columns(names.len())?;
        let mut line_of = crate::data::LineOf::new(&buf, 1);
        let records = rdr.records();
        // Pairs by suffix, in file order of the functional columns.
        let mut pairs: Vec<(String, usize, usize, Option<usize>)> = Vec::new();
        for (i, n) in names.iter().enumerate() {
            if let Some(feat) = n.strip_suffix(&opts.functional_suffix) {
                let d = names
                    .iter()
                    .position(|m| *m == format!("{feat}{}", opts.dysfunctional_suffix))
                    .ok_or_else(|| Error::UnknownColumn {
                        name: format!("{feat}{}", opts.dysfunctional_suffix),
                        suggestion: None,
                        available: String::new(),
                    })?;
                let imp = names
                    .iter()
                    .position(|m| *m == format!("{feat}{}", opts.importance_suffix));
                pairs.push((feat.to_string(), i, d, imp));
            }
        }
        for n in &names {
            if let Some(feat) = n.strip_suffix(&opts.dysfunctional_suffix) {
                if !pairs.iter().any(|p| p.0 == feat) {
                    return Err(Error::UnknownColumn {
                        name: format!("{feat}{}", opts.functional_suffix),
                        suggestion: None,
                        available: String::new(),
                    });
                }
            }
        }
        if pairs.is_empty() {
            return Err(Error::invalid(
                "kano",
                format!(
                    "no column ends with '{}' (set the suffixes with KanoOptions::suffixes)",
                    opts.functional_suffix
                ),
            ));
        }
        let mut features: Vec<FeatureAnswers> = pairs
            .iter()
            .map(|p| FeatureAnswers {
                name: p.0.clone(),
                functional: Vec::new(),
                dysfunctional: Vec::new(),
                importance: Vec::new(),
                skipped: 0,
                weights: Vec::new(),
            })
            .collect();
        let weight_col = match &opts.weights {
            Some(w) => {
                Some(
                    names
                        .iter()
                        .position(|n| n == w)
                        .ok_or_else(|| Error::UnknownColumn {
                            name: w.clone(),
                            suggestion: crate::data::closest(w, names.iter().map(|s| s.as_str())),
                            available: String::new(),
                        })?,
                )
            }
            None => None,
        };
        let decimal_comma = delimiter == b';';
        let expected = match opts.scale {
            AnswerScale::Five => "1-5 or like / must-be / neutral / live with / dislike",
            AnswerScale::Three => "1-3 or like / neutral / dislike",
        };
        let mut respondents = 0;
        for rec in records {
            let rec = rec.map_err(|e| crate::data::csv_error_at(e, &mut line_of))?;
            let line = line_of.of(rec.position().map_or(0, |q| q.byte()));
            if rec.len() != names.len() {
                return Err(Error::RaggedRow {
                    line,
                    expected: names.len(),
                    found: rec.len(),
                });
            }
            respondents += 1;
            let weight = match weight_col {
                Some(c) => {
                    let cell = rec[c].trim();
                    match crate::data::parse_number(cell, decimal_comma) {
                        Some(v) if v >= 0.0 => Some(v),
                        _ => {
                            return Err(Error::BadWeight {
                                row: line,
                                column: names[c].clone(),
                                message: format!("'{cell}' (weights must be numbers >= 0)"),
                            })
                        }
                    }
                }
                None => None,
            };
            for (feat, (_, fi, di, ii)) in features.iter_mut().zip(&pairs) {
                let fa = parse_answer(&rec[*fi], opts.scale);
                let da = parse_answer(&rec[*di], opts.scale);
                match (fa, da) {
                    (Some(f), Some(d)) => {
                        feat.functional.push(f);
                        feat.dysfunctional.push(d);
                        if let Some(w) = weight {
                            feat.weights.push(w);
                        }
                        if let Some(ii) = ii {
                            let cell = rec[*ii].trim();
                            if !crate::data::is_missing_token(cell) {
                                match crate::data::parse_number(cell, decimal_comma).ok_or(()) {
                                    Ok(v) => feat.importance.push(v),
                                    _ if opts.skip_invalid => {}
                                    _ => {
                                        return Err(Error::InvalidAnswer {
                                            line,
                                            column: names[*ii].clone(),
                                            value: cell.to_string(),
                                            expected: "a number (self-stated importance)".into(),
                                        })
                                    }
                                }
                            }
                        }
                    }
                    _ if opts.skip_invalid => feat.skipped += 1,
                    (f, _) => {
                        let col = if f.is_none() { *fi } else { *di };
                        return Err(Error::InvalidAnswer {
                            line,
                            column: names[col].clone(),
                            value: rec[col].to_string(),
                            expected: expected.into(),
                        });
                    }
                }
            }
        }
        if respondents == 0 {
            return Err(Error::NoRows);
        }
        if !(0.0..1.0).contains(&opts.margin) {
            return Err(Error::invalid(
                "margin",
                format!("{} (a share in [0, 1))", opts.margin),
            ));
        }
        Ok(KanoSurvey {
            features,
            scale: opts.scale,
            respondents,
            margin: opts.margin,
        })
    }

    /// Summarises every feature with the margin of [`KanoOptions::margin`] (in parallel over
    /// features).
    ///
    /// # Errors
    /// None today for a survey read by this crate; kept for margins set by hand.
    pub fn analyze(&self) -> Result<Vec<FeatureSummary>> {
        self.analyze_with_margin(self.margin)
    }

    /// Summarises every feature with another margin.
    ///
    /// # Errors
    /// [`Error::InvalidArgument`] for a margin outside [0, 1).
    pub fn analyze_with_margin(&self, margin: f64) -> Result<Vec<FeatureSummary>> {
        if !(0.0..1.0).contains(&margin) {
            return Err(Error::invalid(
                "margin",
                format!("{margin} (a share in [0, 1))"),
            ));
        }
        Ok(self
            .features
            .par_iter()
            .map(|f| FeatureSummary::from_answers(f, self.scale, margin))
            .collect())
    }
}

/// Fong's (1996) test of the two most frequent categories.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct FongTest {
    /// Most frequent count (weighted and rescaled with survey weights).
    pub a: f64,
    /// Second most frequent count.
    pub b: f64,
    /// |a − b|.
    pub difference: f64,
    /// 1.65 √((a+b)(2N − a − b)/(2N)).
    pub threshold: f64,
    /// difference ≥ threshold.
    pub significant: bool,
}

/// χ² test of equal frequencies over the six categories.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct ChiSquare {
    /// Statistic Σ (o − e)²/e with e = N/6.
    pub statistic: f64,
    /// Degrees of freedom (5).
    pub df: usize,
    /// Upper-tail p-value.
    pub p_value: f64,
}

/// Everything about one feature.
#[derive(Debug, Clone, Serialize)]
pub struct FeatureSummary {
    /// Feature.
    pub feature: String,
    /// Classified respondents N (all six categories).
    pub n: usize,
    /// Counts of respondents `[A, O, M, I, R, Q]`.
    pub counts: [usize; 6],
    /// With survey weights: the weighted counts, rescaled to sum to N; shares, strengths,
    /// Better/Worse, the tests and the category come from them.
    pub weighted_counts: Option<[f64; 6]>,
    /// Shares `[A, O, M, I, R, Q]` of N (0 when N = 0).
    pub shares: [f64; 6],
    /// The most frequent category (exact ties broken M > O > A > I > R > Q).
    pub dominant: Category,
    /// The category after the M > O > A > I rule: when the top two of A, O, M, I, R are within
    /// the margin (category strength ≤ margin), the one earlier in M, O, A, I, R.
    pub category: Category,
    /// (f1 − f2)/N over the top two of A, O, M, I, R.
    pub category_strength: f64,
    /// (A + O + M)/N.
    pub total_strength: f64,
    /// (A + O)/(A + O + M + I); `None` when that denominator is 0.
    pub better: Option<f64>,
    /// −(O + M)/(A + O + M + I); `None` when that denominator is 0.
    pub worse: Option<f64>,
    /// Fong's test.
    pub fong: FongTest,
    /// χ² test of equal frequencies (`None` when N = 0).
    pub chi_square: Option<ChiSquare>,
    /// Mean DuMouchel functional score (`None` without answers).
    pub functional_score: Option<f64>,
    /// Mean DuMouchel dysfunctional score.
    pub dysfunctional_score: Option<f64>,
    /// Mean self-stated importance (`None` when not asked).
    pub importance: Option<f64>,
    /// Respondents skipped for invalid pairs.
    pub skipped: usize,
}

impl FeatureSummary {
    /// The summary from category counts `[A, O, M, I, R, Q]` (no continuous scores).
    pub fn from_counts(feature: &str, counts: [usize; 6], margin: f64) -> FeatureSummary {
        let mut s = Self::from_weighted(feature, counts.map(|c| c as f64), margin);
        s.counts = counts;
        s
    }

    /// The summary from (weighted) category counts `[A, O, M, I, R, Q]`.
    fn from_weighted(feature: &str, counts: [f64; 6], margin: f64) -> FeatureSummary {
        let total: f64 = counts.iter().sum();
        let n = total.round() as usize;
        let empty = !(total > 0.0);
        let share = |c: f64| if empty { 0.0 } else { c / total };
        let shares = counts.map(share);
        let by_count = |cands: &[Category]| -> Vec<Category> {
            let mut v = cands.to_vec();
            v.sort_by(|x, y| {
                counts[y.index()]
                    .total_cmp(&counts[x.index()])
                    .then(x.priority().cmp(&y.priority()))
            });
            v
        };
        let all = by_count(&Category::ALL);
        let dominant = all[0];
        let top = by_count(&[A, O, M, I, R]);
        let (f1, f2) = (counts[top[0].index()], counts[top[1].index()]);
        let category_strength = share(f1 - f2);
        let category = if dominant == Q {
            Q
        } else if category_strength <= margin + 1e-12 {
            if top[0].priority() <= top[1].priority() {
                top[0]
            } else {
                top[1]
            }
        } else {
            top[0]
        };
        let [a, o, m, i, _, _] = counts;
        let aomi = a + o + m + i;
        let better = (aomi > 0.0).then(|| (a + o) / aomi);
        let worse = (aomi > 0.0).then(|| -(o + m) / aomi);
        let two_n = 2.0 * total;
        let threshold = if empty {
            0.0
        } else {
            1.65 * ((f1 + f2) * (two_n - (f1 + f2)) / two_n).sqrt()
        };
        let difference = f1 - f2;
        let chi_square = (!empty).then(|| {
            let e = total / 6.0;
            let statistic: f64 = counts.iter().map(|&c| (c - e).powi(2) / e).sum();
            ChiSquare {
                statistic,
                df: 5,
                p_value: stats::chi2_sf(statistic, 5.0).unwrap_or(1.0),
            }
        });
        FeatureSummary {
            feature: feature.to_string(),
            n,
            counts: [0; 6],
            weighted_counts: None,
            shares,
            dominant,
            category,
            category_strength,
            total_strength: share(a + o + m),
            better,
            worse,
            fong: FongTest {
                a: f1,
                b: f2,
                difference,
                threshold,
                significant: !empty && difference >= threshold,
            },
            chi_square,
            functional_score: None,
            dysfunctional_score: None,
            importance: None,
            skipped: 0,
        }
    }

    /// The summary of one feature's answers.
    pub fn from_answers(f: &FeatureAnswers, scale: AnswerScale, margin: f64) -> FeatureSummary {
        let mut counts = [0usize; 6];
        let mut weighted = [0.0f64; 6];
        let (mut fs, mut ds, mut wsum) = (0.0, 0.0, 0.0);
        if f.weights.is_empty() {
            for (&fa, &da) in f.functional.iter().zip(&f.dysfunctional) {
                if let Some(c) = classify(fa, da, scale) {
                    counts[c.index()] += 1;
                }
                fs += dumouchel(fa, scale, true);
                ds += dumouchel(da, scale, false);
            }
            wsum = f.functional.len() as f64;
        } else {
            for ((&fa, &da), &w) in f.functional.iter().zip(&f.dysfunctional).zip(&f.weights) {
                if let Some(c) = classify(fa, da, scale) {
                    counts[c.index()] += 1;
                    weighted[c.index()] += w;
                }
                fs += w * dumouchel(fa, scale, true);
                ds += w * dumouchel(da, scale, false);
                wsum += w;
            }
        }
        let mut s = if f.weights.is_empty() {
            Self::from_counts(&f.name, counts, margin)
        } else {
            // Weighted counts rescaled to the number of classified respondents.
            let n: usize = counts.iter().sum();
            let total: f64 = weighted.iter().sum();
            let scaled = weighted.map(|x| {
                if total > 0.0 {
                    x * n as f64 / total
                } else {
                    0.0
                }
            });
            let mut s = Self::from_weighted(&f.name, scaled, margin);
            s.counts = counts;
            s.weighted_counts = Some(scaled);
            s
        };
        if wsum > 0.0 {
            s.functional_score = Some(fs / wsum);
            s.dysfunctional_score = Some(ds / wsum);
        }
        if !f.importance.is_empty() {
            s.importance = Some(f.importance.iter().sum::<f64>() / f.importance.len() as f64);
        }
        s.skipped = f.skipped;
        s
    }
}

/// A text table of feature summaries.
pub fn report(summaries: &[FeatureSummary]) -> String {
    let mut t = crate::render::table::Table::new(
        "Kano classification",
        &[
            "Feature",
            "N",
            "A",
            "O",
            "M",
            "I",
            "R",
            "Q",
            "max",
            "M>O>A>I",
            "TS",
            "CS",
            "Better",
            "Worse",
            "Fong |a-b| vs thr",
            "Func",
            "Dysf",
            "Imp.",
        ],
    );
    for s in summaries {
        let c = s.counts;
        let o = |x: Option<f64>| x.map(|v| format!("{v:.3}")).unwrap_or_else(|| "-".into());
        t.row(vec![
            s.feature.clone(),
            s.n.to_string(),
            c[0].to_string(),
            c[1].to_string(),
            c[2].to_string(),
            c[3].to_string(),
            c[4].to_string(),
            c[5].to_string(),
            format!("{:?}", s.dominant),
            format!("{:?}", s.category),
            format!("{:.1}%", s.total_strength * 100.0),
            format!("{:.1}%", s.category_strength * 100.0),
            o(s.better),
            o(s.worse),
            format!(
                "{} {} {:.1} {}",
                s.fong.difference,
                if s.fong.significant { ">=" } else { "<" },
                s.fong.threshold,
                if s.fong.significant { "sig" } else { "ns" }
            ),
            o(s.functional_score),
            o(s.dysfunctional_score),
            s.importance
                .map(|v| format!("{v:.2}"))
                .unwrap_or_else(|| "-".into()),
        ]);
    }
    t.note = Some(
        "A attractive, O one-dimensional, M must-be, I indifferent, R reverse, Q questionable; TS total strength, CS category strength; Func/Dysf DuMouchel scores"
            .into(),
    );
    let skipped: usize = summaries.iter().map(|s| s.skipped).sum();
    let mut out = t.text();
    if skipped > 0 {
        out.push_str("Skipped invalid pairs per feature:\n");
        for s in summaries.iter().filter(|s| s.skipped > 0) {
            out.push_str(&format!("  {}: {}\n", s.feature, s.skipped));
        }
    }
    out
}

/// The Better/Worse scatter of the features (see [`crate::svg::kano_scatter`]).
pub fn scatter(summaries: &[FeatureSummary]) -> String {
    let pts: Vec<(String, f64, f64)> = summaries
        .iter()
        .filter_map(|s| Some((s.feature.clone(), s.better?, s.worse?)))
        .collect();
    crate::svg::kano_scatter(&pts)
}
