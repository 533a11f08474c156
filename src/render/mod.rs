//! Rendering: text and Markdown reports, tables and SVG figures.
//!
//! | module | what |
//! |---|---|
//! | [`report`] | the report of a fit: text and Markdown, with threshold flags |
//! | [`svg`] | path diagram, IPMA map, Kano scatter |
//! | [`progress`] | a progress line for long runs, on a terminal only |
//! | `table` | the one table type (aligned text, Markdown) |

pub mod html;
pub mod progress;
pub mod report;
pub mod svg;
pub(crate) mod table;

use crate::levels::ItemLevels;
use crate::model::Mode;
use crate::pls::Fit;
use crate::segments::SegmentResult;
use table::Table;

/// A fit as the renderers see it: its structure and estimates through its public API only.
pub(crate) struct View<'a> {
    pub fit: &'a Fit,
    /// Construct names, model order.
    pub lvs: Vec<String>,
    /// Each construct's indicators.
    pub blocks: Vec<Vec<String>>,
    pub modes: Vec<Mode>,
    /// (from, to) construct indices.
    pub paths: Vec<(usize, usize)>,
    pub preds: Vec<Vec<usize>>,
    /// Causal order.
    pub order: Vec<usize>,
}

impl<'a> View<'a> {
    pub(crate) fn new(fit: &'a Fit) -> View<'a> {
        let m = fit.model();
        View {
            fit,
            lvs: m.constructs().iter().map(|c| c.name.clone()).collect(),
            blocks: m
                .constructs()
                .iter()
                .map(|c| c.indicators.clone())
                .collect(),
            modes: m.constructs().iter().map(|c| c.mode).collect(),
            paths: m.paths().to_vec(),
            preds: (0..m.constructs().len())
                .map(|j| m.predecessors(j))
                .collect(),
            order: m.causal_order(),
        }
    }
    /// `"FROM->TO"`.
    pub(crate) fn key(&self, i: usize, j: usize) -> String {
        format!("{}->{}", self.lvs[i], self.lvs[j])
    }
    // The names below come from the fit itself, so its accessors cannot fail: NaN would only
    // show a bug.
    pub(crate) fn path(&self, i: usize, j: usize) -> f64 {
        self.fit
            .path(&self.lvs[i], &self.lvs[j])
            .unwrap_or(f64::NAN)
    }
    pub(crate) fn total(&self, i: usize, j: usize) -> f64 {
        self.fit
            .total_effect(&self.lvs[i], &self.lvs[j])
            .unwrap_or(f64::NAN)
    }
    pub(crate) fn direct(&self, i: usize, j: usize) -> f64 {
        self.total(i, j)
            - self
                .fit
                .indirect_effect(&self.lvs[i], &self.lvs[j])
                .unwrap_or(f64::NAN)
    }
    pub(crate) fn loading(&self, ind: &str) -> f64 {
        self.fit.loading(ind).unwrap_or(f64::NAN)
    }
    pub(crate) fn weight(&self, ind: &str) -> f64 {
        self.fit.weight(ind).unwrap_or(f64::NAN)
    }
    pub(crate) fn cross(&self, ind: &str, j: usize) -> f64 {
        self.fit
            .cross_loading(ind, &self.lvs[j])
            .unwrap_or(f64::NAN)
    }
    pub(crate) fn r2(&self, j: usize) -> Option<f64> {
        self.fit.r2(&self.lvs[j]).ok()
    }
    pub(crate) fn r2_adj(&self, j: usize) -> Option<f64> {
        self.fit.r2_adj(&self.lvs[j]).ok()
    }
    pub(crate) fn reaches(&self, i: usize, j: usize) -> bool {
        self.fit
            .has_route(&self.lvs[i], &self.lvs[j])
            .unwrap_or(false)
    }
}

fn pct(x: Option<f64>) -> String {
    x.map(|v| format!("{:.1}%", v * 100.0))
        .unwrap_or_else(|| "-".into())
}

fn opt(x: Option<f64>, digits: usize) -> String {
    x.map(|v| format!("{v:.digits$}"))
        .unwrap_or_else(|| "-".into())
}

/// Satisfaction levels as a table: mean with its interval, top- and bottom-2-box, or for a
/// 0/1 item the rate with its Wilson interval.
pub(crate) fn levels_tables(levels: &[ItemLevels]) -> Vec<Table> {
    let mut t = Table::new(
        "Satisfaction levels",
        &[
            "Item",
            "Mean or rate",
            "95% CI",
            "Top-2-box",
            "Bottom-2-box",
            "n",
        ],
    );
    for l in levels {
        let (value, ci) = match &l.rate {
            Some(r) => (
                format!("{:.1}%", r.rate * 100.0),
                format!("[{:.1}%, {:.1}%]", r.ci.lo * 100.0, r.ci.hi * 100.0),
            ),
            None => (
                format!("{:.2}", l.mean),
                l.mean_ci
                    .map(|c| format!("[{:.2}, {:.2}]", c.lo, c.hi))
                    .unwrap_or_else(|| "-".into()),
            ),
        };
        t.row(vec![
            l.item.clone(),
            value,
            ci,
            pct(l.top2),
            pct(l.bottom2),
            l.n.to_string(),
        ]);
    }
    t.note = Some("rates of 0/1 items with Wilson intervals; means with t intervals".into());
    vec![t]
}

/// The index by segment, MICOM, and the multigroup comparisons as tables.
pub(crate) fn segments_tables(s: &SegmentResult) -> Vec<Table> {
    let mut out: Vec<Table> = Vec::new();
    let mut t = Table::new(
        &format!("Index by segment '{}'", s.column),
        &["Group", "Construct", "Index", "95% CI", "n"],
    );
    t.left = 2;
    for g in &s.groups {
        for ix in &g.indices {
            t.row(vec![
                g.group.clone(),
                ix.construct.clone(),
                format!("{:.2}", ix.index),
                ix.ci
                    .map(|c| format!("[{:.2}, {:.2}]", c.lo, c.hi))
                    .unwrap_or_else(|| "-".into()),
                g.n_used.to_string(),
            ]);
        }
    }
    out.push(t);
    if !s.differences.is_empty() {
        let mut t = Table::new(
            "Index differences (permutation tests)",
            &["Groups", "Construct", "Difference", "p"],
        );
        t.left = 2;
        for d in &s.differences {
            t.row(vec![
                format!("{} vs {}", d.a, d.b),
                d.construct.clone(),
                format!("{:+.2}", d.difference),
                format!("{:.3}", d.p_value),
            ]);
        }
        out.push(t);
    }
    if !s.micom.is_empty() {
        let mut t = Table::new(
            "MICOM (steps 2 and 3)",
            &[
                "Groups",
                "Construct",
                "c",
                "p",
                "Mean diff",
                "p",
                "Log var ratio",
                "p",
            ],
        );
        t.left = 2;
        for m in &s.micom {
            t.row(vec![
                format!("{} vs {}", m.a, m.b),
                m.construct.clone(),
                format!("{:.4}", m.compositional_c),
                format!("{:.3}", m.compositional_p),
                format!("{:+.3}", m.mean_difference),
                format!("{:.3}", m.mean_p),
                format!("{:+.3}", m.log_variance_ratio),
                format!("{:.3}", m.variance_p),
            ]);
        }
        out.push(t);
    }
    if !s.path_differences.is_empty() {
        let mut t = Table::new(
            "Path differences",
            &[
                "Groups",
                "Path",
                "a",
                "b",
                "Permutation p",
                "Welch p",
                "PLS-MGA p",
            ],
        );
        t.left = 2;
        for d in &s.path_differences {
            t.row(vec![
                format!("{} vs {}", d.a, d.b),
                d.path.clone(),
                format!("{:+.3}", d.estimate_a),
                format!("{:+.3}", d.estimate_b),
                opt(d.permutation_p, 3),
                opt(d.welch_p, 3),
                opt(d.pls_mga_p, 3),
            ]);
        }
        out.push(t);
    }
    out
}

/// The index by wave: one row per construct, a column per wave (index and interval), then the
/// changes from the previous wave with their permutation p-values.
pub(crate) fn waves_tables(w: &crate::waves::WaveResult) -> Vec<Table> {
    let mut out: Vec<Table> = Vec::new();
    let mut t = Table::new(
        &format!("Index by wave '{}'", w.column),
        &[
            "Wave",
            "Construct",
            "n",
            "Index",
            &format!("{:.0}% CI", w.level * 100.0),
            "Change",
            "p",
        ],
    );
    t.left = 2;
    for wave in &w.waves {
        for (k, ix) in wave.indices.iter().enumerate() {
            let ch = wave.changes.iter().find(|c| c.construct == ix.construct);
            t.row(vec![
                if k == 0 {
                    wave.wave.clone()
                } else {
                    String::new()
                },
                ix.construct.clone(),
                if k == 0 {
                    wave.n_used.to_string()
                } else {
                    String::new()
                },
                format!("{:.2}", ix.index),
                ix.ci
                    .map(|c| format!("[{:.2}, {:.2}]", c.lo, c.hi))
                    .unwrap_or_else(|| "-".into()),
                ch.map(|c| format!("{:+.2}", c.change)).unwrap_or_default(),
                ch.and_then(|c| c.p_value)
                    .map(|p| format!("{p:.3}"))
                    .unwrap_or_default(),
            ]);
        }
    }
    t.note = Some("Change: from the previous wave; p: permutation test of the change (waves' labels shuffled between the two waves)".into());
    out.push(t);
    out
}

/// At most `n` characters of `s`, ending in "…" when cut.
fn short(s: &str, n: usize) -> String {
    let s = s.trim();
    if s.chars().count() <= n {
        s.to_string()
    } else {
        let mut out: String = s.chars().take(n.saturating_sub(1)).collect();
        out.push('…');
        out
    }
}

/// The descriptive statistics of the items and of the construct scores, as seminr gives them.
pub(crate) fn descriptives_tables(d: &crate::describe::Descriptives) -> Vec<Table> {
    let mut out = Vec::new();
    if !d.item_labels.is_empty() {
        // Question texts and the answer scale's end labels, as the file gives them.
        let mut t = Table::new("Items", &["", "Question", "Answers"]);
        t.left = 3;
        for l in &d.item_labels {
            let answers = match (l.value_labels.first(), l.value_labels.last()) {
                (Some(a), Some(b)) if l.value_labels.len() > 1 => {
                    format!(
                        "{} = {} … {} = {}",
                        a.0,
                        short(&a.1, 11),
                        b.0,
                        short(&b.1, 11)
                    )
                }
                (Some(a), _) => format!("{} = {}", a.0, short(&a.1, 28)),
                _ => String::new(),
            };
            t.row(vec![
                l.name.clone(),
                short(l.label.as_deref().unwrap_or(""), 30),
                answers,
            ]);
        }
        out.push(t);
    }
    for (title, rows) in [
        ("Descriptive statistics: items", &d.items),
        ("Descriptive statistics: construct scores", &d.constructs),
    ] {
        let mut t = Table::new(
            title,
            &[
                "", "n", "Missing", "Mean", "SD", "Median", "Min", "Max", "Skew", "Kurt",
            ],
        );
        for x in rows {
            t.row(vec![
                x.name.clone(),
                x.n.to_string(),
                x.missing.to_string(),
                format!("{:.3}", x.mean),
                format!("{:.3}", x.sd),
                format!("{:.3}", x.median),
                format!("{:.3}", x.min),
                format!("{:.3}", x.max),
                format!("{:.3}", x.skewness),
                format!("{:.3}", x.kurtosis),
            ]);
        }
        t.note = Some(format!(
            "SD with n − 1; skewness m3/m2^1.5, kurtosis m4/m2² (seminr's; excess = kurtosis − 3 in the JSON){}",
            match d.weights {
                Some(k) => format!("; weighted ({} weights)", k.as_str()),
                None => String::new(),
            }
        ));
        out.push(t);
    }
    out
}
