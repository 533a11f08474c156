//! One self-contained HTML report: no script, no style sheet, font or image from anywhere
//! else (the figures are inline SVG), so that it opens offline, mails as one file and prints.
//!
//! It holds the run information (the file, rows used, the model text, the settings and the
//! csindex version), every table of the text report, the figures and the notes, in that
//! order. [`crate::AnalysisResult::to_html`] writes it.

use super::table::Table;

/// Text with `&`, `<`, `>` and `"` escaped.
pub(crate) fn esc(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => o.push_str("&amp;"),
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            '"' => o.push_str("&quot;"),
            _ => o.push(c),
        }
    }
    o
}

const STYLE: &str = "body{font-family:Helvetica,Arial,sans-serif;max-width:1100px;margin:2em auto;padding:0 1em;color:#222;line-height:1.4}\
h1{font-size:1.5em}h2{font-size:1.15em;margin-top:1.8em;border-bottom:1px solid #ccc}\
table{border-collapse:collapse;margin:.5em 0 .3em;font-size:.9em}caption{text-align:left;font-weight:bold;padding:.3em 0}\
th,td{padding:.2em .7em;border-bottom:1px solid #e2e2e2}th{background:#f3f3f3;text-align:left}\
td.n{text-align:right;font-variant-numeric:tabular-nums}p.note{font-size:.85em;color:#555;margin:.1em 0 1em}\
pre{background:#f6f6f6;padding:.7em;overflow-x:auto}dl{display:grid;grid-template-columns:max-content auto;gap:.2em 1em}\
dt{font-weight:bold}figure{margin:1em 0}figure svg{max-width:100%;height:auto}\
@media print{body{max-width:none}table,figure{page-break-inside:avoid}}";

/// Whether a cell reads as a number (right-aligned).
fn numeric(cell: &str) -> bool {
    let c = cell.trim().trim_end_matches(['*', '%']).trim();
    !c.is_empty()
        && (c.parse::<f64>().is_ok()
            || c.starts_with('[')
            || c.starts_with('<') && c[1..].trim().parse::<f64>().is_ok()
            || c.starts_with('+') && c[1..].parse::<f64>().is_ok())
}

/// A table as HTML.
pub(crate) fn table(t: &Table) -> String {
    let mut o = format!("<table>\n<caption>{}</caption>\n<thead><tr>", esc(&t.title));
    for h in &t.head {
        o.push_str(&format!("<th>{}</th>", esc(h)));
    }
    o.push_str("</tr></thead>\n<tbody>\n");
    for r in &t.rows {
        o.push_str("<tr>");
        for (c, cell) in r.iter().enumerate() {
            let class = if c >= t.left.max(1) && numeric(cell) {
                " class=\"n\""
            } else {
                ""
            };
            o.push_str(&format!("<td{class}>{}</td>", esc(cell)));
        }
        o.push_str("</tr>\n");
    }
    o.push_str("</tbody>\n</table>\n");
    if let Some(n) = &t.note {
        o.push_str(&format!("<p class=\"note\">{}</p>\n", esc(n)));
    }
    o
}

/// The parts of a report page.
pub(crate) struct Page<'a> {
    pub title: &'a str,
    /// (label, value) pairs of the run information.
    pub info: Vec<(String, String)>,
    pub model_text: &'a str,
    /// The report header lines (rows used, convergence).
    pub header: &'a str,
    pub tables: &'a [Table],
    /// (caption, SVG).
    pub figures: &'a [(String, String)],
    pub notes: &'a [String],
}

impl Page<'_> {
    /// The HTML document.
    pub(crate) fn html(&self) -> String {
        let mut o = format!(
            "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>{}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n<h1>{}</h1>\n",
            esc(self.title),
            esc(self.title)
        );
        o.push_str("<h2>Run</h2>\n<dl>\n");
        for (k, v) in &self.info {
            o.push_str(&format!("<dt>{}</dt><dd>{}</dd>\n", esc(k), esc(v)));
        }
        o.push_str("</dl>\n");
        for l in self.header.lines().skip(1) {
            o.push_str(&format!("<p>{}</p>\n", esc(l.trim())));
        }
        o.push_str(&format!(
            "<h2>Model</h2>\n<pre>{}</pre>\n<h2>Results</h2>\n",
            esc(self.model_text)
        ));
        for t in self.tables {
            o.push_str(&table(t));
        }
        if !self.figures.is_empty() {
            o.push_str("<h2>Figures</h2>\n");
            for (caption, svg) in self.figures {
                let body = svg.trim_start_matches(|c| c != '<');
                o.push_str(&format!(
                    "<figure>\n{body}<figcaption>{}</figcaption>\n</figure>\n",
                    esc(caption)
                ));
            }
        }
        if !self.notes.is_empty() {
            o.push_str("<h2>Notes</h2>\n<ul>\n");
            for n in self.notes {
                o.push_str(&format!("<li>{}</li>\n", esc(n)));
            }
            o.push_str("</ul>\n");
        }
        o.push_str("</body>\n</html>\n");
        o
    }
}
