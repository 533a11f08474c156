//! Rendering: text and Markdown reports, tables and SVG figures.
//!
//! | module | what |
//! |---|---|
//! | [`report`] | the report of a fit: text and Markdown, with threshold flags |
//! | [`svg`] | path diagram, IPMA map, Kano scatter |
//! | `table` | the one table type (aligned text, Markdown) |

pub mod report;
pub mod svg;
pub(crate) mod table;

use crate::levels::ItemLevels;
use crate::segments::SegmentResult;
use table::Table;

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
pub(crate) fn levels_text(levels: &[ItemLevels]) -> String {
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
    t.text()
}

/// The index by segment, MICOM, and the multigroup comparisons as tables.
pub(crate) fn segments_text(s: &SegmentResult) -> String {
    let mut out = String::new();
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
    out.push_str(&t.text());
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
        out.push_str(&t.text());
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
        out.push_str(&t.text());
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
        out.push_str(&t.text());
    }
    out
}
