//! SERVQUAL / RATER gap analysis (Parasuraman, Zeithaml & Berry 1988).
//!
//! Each item k is asked twice: expectation `E<k>` and perception `P<k>` (default scale 1..7).
//! Item gap `G = P − E`; a respondent's dimension score is the mean of its items' gaps; the
//! dimension score is the mean over respondents; the **unweighted SERVQUAL** score is the mean of
//! the dimension scores (equivalently the mean over respondents of their dimension means). The
//! **weighted** score uses each respondent's 100-point allocation over the five dimensions:
//! `Σ_d (points_d / 100) · G_d`, averaged over respondents. Intervals are t intervals over
//! respondents. Negative means perceptions fall short of expectations; the report lists the
//! dimension with the largest negative gap first.
//!
//! ```
//! use csindex::servqual::{Servqual, ServqualOptions};
//! let s = Servqual::from_csv_path("data/servqual_200.csv", &ServqualOptions::new()).unwrap();
//! assert_eq!(s.dimensions.len(), 5);
//! assert!(s.weighted.is_some());
//! ```

use crate::error::{Error, Result};
use crate::interval::Interval;
use crate::stats;
use serde::Serialize;
use std::path::Path;

/// Options. Consuming builder.
#[derive(Debug, Clone)]
#[must_use]
pub struct ServqualOptions {
    expectation_prefix: String,
    perception_prefix: String,
    weight_prefix: String,
    dimensions: Vec<(String, Vec<String>)>,
    scale: (f64, f64),
    weight_tolerance: f64,
    skip_invalid: bool,
    level: f64,
    /// `None`: detected from the header line.
    delimiter: Option<u8>,
    /// The largest record and the most columns the reader accepts.
    limits: crate::data::Limits,
}

impl Default for ServqualOptions {
    fn default() -> Self {
        let dim = |name: &str, r: std::ops::RangeInclusive<u32>| {
            (name.to_string(), r.map(|k| k.to_string()).collect())
        };
        ServqualOptions {
            expectation_prefix: "E".into(),
            perception_prefix: "P".into(),
            weight_prefix: "W_".into(),
            dimensions: vec![
                dim("tangibles", 1..=4),
                dim("reliability", 5..=9),
                dim("responsiveness", 10..=13),
                dim("assurance", 14..=17),
                dim("empathy", 18..=22),
            ],
            scale: (1.0, 7.0),
            weight_tolerance: 0.5,
            skip_invalid: false,
            level: 0.95,
            delimiter: None,
            limits: crate::data::Limits::default(),
        }
    }
}

impl ServqualOptions {
    /// Resource limits for reading the file: the longest record and the most columns
    /// ([`Limits`](crate::data::Limits); the defaults are 64 MiB and 20,000). Exceeding one
    /// is [`Error::RecordTooLong`] or
    /// [`Error::LimitExceeded`].
    pub fn limits(mut self, limits: crate::data::Limits) -> Self {
        self.limits = limits;
        self
    }
    /// The 22-item RATER mapping (tangibles 1-4, reliability 5-9, responsiveness 10-13,
    /// assurance 14-17, empathy 18-22), columns `E<k>` / `P<k>`, weights `W_<dimension>`,
    /// answers 1..7, weights must sum to 100 ± 0.5, invalid respondents are errors, 95 % intervals;
    /// the delimiter is detected from the header.
    pub fn new() -> Self {
        Self::default()
    }
    /// Column prefixes of expectations, perceptions and the 100-point weights.
    pub fn prefixes(mut self, expectation: &str, perception: &str, weight: &str) -> Self {
        self.expectation_prefix = expectation.into();
        self.perception_prefix = perception.into();
        self.weight_prefix = weight.into();
        self
    }
    /// Replaces the mapping: (dimension, item suffixes) — e.g. `("reliability", ["5","6"])`.
    pub fn dimensions(mut self, dims: Vec<(String, Vec<String>)>) -> Self {
        self.dimensions = dims;
        self
    }
    /// Answer scale.
    pub fn scale(mut self, min: f64, max: f64) -> Self {
        self.scale = (min, max);
        self
    }
    /// How far a respondent's weights may be from 100 in total.
    pub fn weight_tolerance(mut self, t: f64) -> Self {
        self.weight_tolerance = t;
        self
    }
    /// Skip invalid respondents (reported with the reason) instead of failing.
    pub fn skip_invalid(mut self, yes: bool) -> Self {
        self.skip_invalid = yes;
        self
    }
    /// Interval level.
    pub fn level(mut self, l: f64) -> Self {
        self.level = l;
        self
    }
    /// Field delimiter (by default detected from the header: `,`, `;` or tab).
    pub fn delimiter(mut self, d: u8) -> Self {
        self.delimiter = Some(d);
        self
    }
}

/// A mean with its t interval.
#[derive(Debug, Clone, Copy, Serialize, PartialEq)]
pub struct Estimate {
    /// Mean.
    pub mean: f64,
    /// t interval of the mean (`None` with fewer than 2 respondents).
    pub ci: Option<Interval>,
    /// Respondents.
    pub n: usize,
}

fn estimate(v: &[f64], level: f64) -> Estimate {
    let n = v.len();
    let mean = v.iter().sum::<f64>() / n.max(1) as f64;
    let ci = match (
        stats::mean_sd(v),
        stats::t_quantile(0.5 + level / 2.0, n as f64 - 1.0),
    ) {
        (Some((_, sd)), Some(t)) => Some(Interval::new(
            mean - t * sd / (n as f64).sqrt(),
            mean + t * sd / (n as f64).sqrt(),
        )),
        _ => None,
    };
    Estimate { mean, ci, n }
}

/// One item's gap.
#[derive(Debug, Clone, Serialize)]
pub struct ItemGap {
    /// Item suffix (e.g. `"7"`).
    pub item: String,
    /// Dimension.
    pub dimension: String,
    /// Mean expectation.
    pub expectation: f64,
    /// Mean perception.
    pub perception: f64,
    /// Mean gap P − E with interval.
    pub gap: Estimate,
}

/// One dimension's gap.
#[derive(Debug, Clone, Serialize)]
pub struct DimensionGap {
    /// Dimension.
    pub dimension: String,
    /// Mean of respondents' dimension scores, with interval.
    pub gap: Estimate,
    /// Mean weight (points of 100), when weights were given.
    pub mean_weight: Option<f64>,
}

/// One respondent's scores.
#[derive(Debug, Clone, Serialize)]
pub struct RespondentScore {
    /// Source line.
    pub line: u64,
    /// Dimension scores in the order of the mapping.
    pub dimensions: Vec<f64>,
    /// Mean of the dimension scores.
    pub unweighted: f64,
    /// Weighted score, when weights were given.
    pub weighted: Option<f64>,
}

/// SERVQUAL results.
#[derive(Debug, Clone, Serialize)]
pub struct Servqual {
    /// Item gaps in mapping order.
    pub items: Vec<ItemGap>,
    /// Dimension gaps, largest negative first.
    pub dimensions: Vec<DimensionGap>,
    /// Unweighted SERVQUAL score.
    pub unweighted: Estimate,
    /// Weighted SERVQUAL score (when the weight columns exist).
    pub weighted: Option<Estimate>,
    /// Per respondent.
    pub respondents: Vec<RespondentScore>,
    /// Skipped respondents: (line, reason).
    pub skipped: Vec<(u64, String)>,
}

impl Servqual {
    /// Reads and scores a CSV file.
    pub fn from_csv_path(path: impl AsRef<Path>, opts: &ServqualOptions) -> Result<Servqual> {
        Self::from_reader(crate::data::open_file(path.as_ref())?, opts)
    }

    /// Reads and scores CSV text.
    pub fn from_reader<Rd: std::io::Read>(reader: Rd, opts: &ServqualOptions) -> Result<Servqual> {
        if opts.dimensions.is_empty() || opts.dimensions.iter().any(|d| d.1.is_empty()) {
            return Err(Error::invalid(
                "dimensions",
                "every dimension needs at least one item",
            ));
        }
        if !(opts.level > 0.0 && opts.level < 1.0) {
            return Err(Error::invalid("level", format!("{}", opts.level)));
        }
        let mut reader = reader;
        let (buf, delimiter, _) =
            crate::data::read_input(&mut reader, opts.delimiter, None, &opts.limits)?;
        // The survey loader's dialect: decimal commas in `;`-delimited files.
        let decimal_comma = delimiter == b';';
        let (mut rdr, names) = crate::data::csv_with_header(buf.as_slice(), delimiter)?;
        opts.limits.check_columns(names.len())?;
        let mut line_of = crate::data::LineOf::new(&buf, 1);
        let records = rdr.records();
        let col = |name: String| -> Result<usize> {
            names
                .iter()
                .position(|n| *n == name)
                .ok_or_else(|| Error::UnknownColumn {
                    suggestion: crate::data::closest(&name, names.iter().map(|s| s.as_str())),
                    available: crate::data::column_list(names.iter().map(|s| s.as_str())),
                    name,
                })
        };
        // (dimension index, item, E column, P column)
        let mut items = Vec::new();
        for (d, (_, its)) in opts.dimensions.iter().enumerate() {
            for it in its {
                items.push((
                    d,
                    it.clone(),
                    col(format!("{}{it}", opts.expectation_prefix))?,
                    col(format!("{}{it}", opts.perception_prefix))?,
                ));
            }
        }
        let weight_cols: Vec<Option<usize>> = opts
            .dimensions
            .iter()
            .map(|(d, _)| {
                names
                    .iter()
                    .position(|n| n.eq_ignore_ascii_case(&format!("{}{d}", opts.weight_prefix)))
            })
            .collect();
        let weighted = match weight_cols.iter().filter(|c| c.is_some()).count() {
            0 => false,
            k if k == weight_cols.len() => true,
            _ => {
                let missing: Vec<String> = opts
                    .dimensions
                    .iter()
                    .zip(&weight_cols)
                    .filter(|(_, c)| c.is_none())
                    .map(|((d, _), _)| format!("{}{d}", opts.weight_prefix))
                    .collect();
                return Err(Error::UnknownColumn {
                    name: missing.join(", "),
                    suggestion: None,
                    available: String::new(),
                });
            }
        };
        let nd = opts.dimensions.len();
        let (lo, hi) = opts.scale;
        let mut respondents = Vec::new();
        let mut gaps: Vec<Vec<f64>> = vec![Vec::new(); items.len()];
        let mut e_sum = vec![0.0; items.len()];
        let mut p_sum = vec![0.0; items.len()];
        let mut weights_seen: Vec<Vec<f64>> = vec![Vec::new(); nd];
        let mut skipped = Vec::new();
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
            let parse = |c: usize| -> std::result::Result<f64, Error> {
                let cell = rec[c].trim();
                match crate::data::parse_number(cell, decimal_comma).ok_or(()) {
                    Ok(v) if v.is_finite() && v >= lo && v <= hi => Ok(v),
                    _ => Err(Error::InvalidAnswer {
                        line,
                        column: names[c].clone(),
                        value: cell.to_string(),
                        expected: format!("an answer on {lo}..{hi}"),
                    }),
                }
            };
            let row: std::result::Result<Vec<(f64, f64)>, Error> = items
                .iter()
                .map(|(_, _, e, p)| Ok((parse(*e)?, parse(*p)?)))
                .collect();
            let wts: std::result::Result<Option<Vec<f64>>, Error> = if weighted {
                let mut w = Vec::with_capacity(nd);
                let mut bad = None;
                for c in weight_cols.iter().flatten() {
                    match crate::data::parse_number(rec[*c].trim(), decimal_comma).ok_or(()) {
                        Ok(v) if v.is_finite() && v >= 0.0 => w.push(v),
                        _ => {
                            bad = Some(Error::InvalidAnswer {
                                line,
                                column: names[*c].clone(),
                                value: rec[*c].to_string(),
                                expected: "points ≥ 0 of 100".into(),
                            });
                            break;
                        }
                    }
                }
                match bad {
                    Some(e) => Err(e),
                    None => {
                        let total: f64 = w.iter().sum();
                        if (total - 100.0).abs() > opts.weight_tolerance {
                            Err(Error::InvalidAnswer {
                                line,
                                column: format!("{}*", opts.weight_prefix),
                                value: format!("{total}"),
                                expected: "weights summing to 100".into(),
                            })
                        } else {
                            Ok(Some(w))
                        }
                    }
                }
            } else {
                Ok(None)
            };
            let (row, wts) = match (row, wts) {
                (Ok(r), Ok(w)) => (r, w),
                (Err(e), _) | (_, Err(e)) => {
                    if opts.skip_invalid {
                        skipped.push((line, e.to_string()));
                        continue;
                    }
                    return Err(e);
                }
            };
            let mut dsum = vec![0.0; nd];
            let mut dcount = vec![0usize; nd];
            for (k, ((d, _, _, _), (e, p))) in items.iter().zip(&row).enumerate() {
                let g = p - e;
                gaps[k].push(g);
                e_sum[k] += e;
                p_sum[k] += p;
                dsum[*d] += g;
                dcount[*d] += 1;
            }
            let dims: Vec<f64> = dsum
                .iter()
                .zip(&dcount)
                .map(|(s, c)| s / *c as f64)
                .collect();
            let unweighted = dims.iter().sum::<f64>() / nd as f64;
            let weighted_score = wts
                .as_ref()
                .map(|w| dims.iter().zip(w).map(|(g, p)| p / 100.0 * g).sum());
            if let Some(w) = &wts {
                for (d, v) in w.iter().enumerate() {
                    weights_seen[d].push(*v);
                }
            }
            respondents.push(RespondentScore {
                line,
                dimensions: dims,
                unweighted,
                weighted: weighted_score,
            });
        }
        if respondents.is_empty() {
            return Err(if skipped.is_empty() {
                Error::NoRows
            } else {
                Error::invalid("servqual", "every respondent was skipped")
            });
        }
        let n = respondents.len() as f64;
        let item_gaps = items
            .iter()
            .enumerate()
            .map(|(k, (d, it, _, _))| ItemGap {
                item: it.clone(),
                dimension: opts.dimensions[*d].0.clone(),
                expectation: e_sum[k] / n,
                perception: p_sum[k] / n,
                gap: estimate(&gaps[k], opts.level),
            })
            .collect();
        let mut dimensions: Vec<DimensionGap> = (0..nd)
            .map(|d| {
                let v: Vec<f64> = respondents.iter().map(|r| r.dimensions[d]).collect();
                DimensionGap {
                    dimension: opts.dimensions[d].0.clone(),
                    gap: estimate(&v, opts.level),
                    mean_weight: weighted.then(|| weights_seen[d].iter().sum::<f64>() / n),
                }
            })
            .collect();
        dimensions.sort_by(|a, b| a.gap.mean.total_cmp(&b.gap.mean));
        let unweighted = estimate(
            &respondents.iter().map(|r| r.unweighted).collect::<Vec<_>>(),
            opts.level,
        );
        let weighted_est = weighted.then(|| {
            estimate(
                &respondents
                    .iter()
                    .filter_map(|r| r.weighted)
                    .collect::<Vec<_>>(),
                opts.level,
            )
        });
        Ok(Servqual {
            items: item_gaps,
            dimensions,
            unweighted,
            weighted: weighted_est,
            respondents,
            skipped,
        })
    }

    /// A text report: dimensions (largest negative gap first), overall scores, items.
    pub fn report(&self) -> String {
        let ci = |e: &Estimate| {
            e.ci.map(|c| format!("[{:.3}, {:.3}]", c.lo, c.hi))
                .unwrap_or_else(|| "-".into())
        };
        let mut t = crate::render::table::Table::new(
            "SERVQUAL dimensions (largest negative gap first)",
            &["Dimension", "Gap P-E", "95% CI", "Mean weight"],
        );
        for d in &self.dimensions {
            t.row(vec![
                d.dimension.clone(),
                format!("{:.3}", d.gap.mean),
                ci(&d.gap),
                d.mean_weight
                    .map(|w| format!("{w:.1}"))
                    .unwrap_or_else(|| "-".into()),
            ]);
        }
        let mut out = t.text();
        let mut t =
            crate::render::table::Table::new("SERVQUAL score", &["Score", "Value", "95% CI", "n"]);
        t.row(vec![
            "unweighted".into(),
            format!("{:.3}", self.unweighted.mean),
            ci(&self.unweighted),
            self.unweighted.n.to_string(),
        ]);
        if let Some(w) = &self.weighted {
            t.row(vec![
                "weighted".into(),
                format!("{:.3}", w.mean),
                ci(w),
                w.n.to_string(),
            ]);
        }
        out.push_str(&t.text());
        let mut t = crate::render::table::Table::new(
            "Items",
            &["Item", "Dimension", "E", "P", "Gap", "95% CI"],
        );
        t.left = 2;
        for i in &self.items {
            t.row(vec![
                i.item.clone(),
                i.dimension.clone(),
                format!("{:.2}", i.expectation),
                format!("{:.2}", i.perception),
                format!("{:.3}", i.gap.mean),
                ci(&i.gap),
            ]);
        }
        out.push_str(&t.text());
        if !self.skipped.is_empty() {
            out.push_str(&format!("Skipped respondents: {}\n", self.skipped.len()));
            for (l, why) in &self.skipped {
                out.push_str(&format!("  line {l}: {why}\n"));
            }
        }
        out
    }
}
