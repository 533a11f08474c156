//! Aligned text and Markdown tables: the one table type of every report.

use unicode_width::UnicodeWidthStr;

/// A titled table of strings. Text output right-aligns every column but the first.
#[derive(Debug, Clone)]
pub(crate) struct Table {
    pub title: String,
    pub head: Vec<String>,
    pub rows: Vec<Vec<String>>,
    pub note: Option<String>,
    /// Leading columns that are left-aligned (text); the rest are right-aligned (numbers).
    pub left: usize,
}

/// The width the text report keeps to.
pub(crate) const TEXT_WIDTH: usize = 80;

/// Words of `s` in lines of at most `width` display columns (a longer word has a line alone).
pub(crate) fn wrap(s: &str, width: usize) -> Vec<String> {
    let mut lines = Vec::new();
    let mut cur = String::new();
    for w in s.split(' ') {
        if !cur.is_empty() && cur.width() + 1 + w.width() > width {
            lines.push(std::mem::take(&mut cur));
        }
        if !cur.is_empty() {
            cur.push(' ');
        }
        cur.push_str(w);
    }
    if !cur.is_empty() {
        lines.push(cur);
    }
    lines
}

impl Table {
    pub(crate) fn new(title: &str, head: &[&str]) -> Table {
        Table {
            title: title.to_string(),
            head: head.iter().map(|s| s.to_string()).collect(),
            rows: Vec::new(),
            note: None,
            left: 1,
        }
    }
    pub(crate) fn row(&mut self, cells: Vec<String>) {
        self.rows.push(cells);
    }
    /// The table as aligned text, columns aligned by display width (CJK characters are two
    /// columns wide). A table wider than [`TEXT_WIDTH`] is split into parts that repeat its
    /// leading (text) columns; a long note is wrapped.
    pub(crate) fn text(&self) -> String {
        let ncol = self.head.len();
        let mut width = vec![0usize; ncol];
        for r in std::iter::once(&self.head).chain(&self.rows) {
            for (c, cell) in r.iter().enumerate().take(ncol) {
                width[c] = width[c].max(cell.width());
            }
        }
        let keys = self.left.clamp(1, ncol.max(1));
        let key_width: usize = width[..keys.min(ncol)].iter().map(|w| w + 2).sum();
        // Column groups that fit the width (each with the key columns in front).
        let mut parts: Vec<Vec<usize>> = Vec::new();
        let mut cur: Vec<usize> = Vec::new();
        let mut used = 2 + key_width;
        for c in keys..ncol {
            if !cur.is_empty() && used + width[c] + 2 > TEXT_WIDTH {
                parts.push(std::mem::take(&mut cur));
                used = 2 + key_width;
            }
            used += width[c] + 2;
            cur.push(c);
        }
        if !cur.is_empty() || parts.is_empty() {
            parts.push(cur);
        }
        let mut out = format!("{}\n", self.title);
        for (k, part) in parts.iter().enumerate() {
            let cols: Vec<usize> = (0..keys.min(ncol)).chain(part.iter().copied()).collect();
            if k > 0 {
                out.push_str(&format!("{} (continued)\n", self.title));
            }
            let line = |r: &Vec<String>| -> String {
                let mut s = String::from("  ");
                for (i, &c) in cols.iter().enumerate() {
                    let cell = r.get(c).map(|x| x.as_str()).unwrap_or("");
                    let pad = width[c].saturating_sub(cell.width());
                    if i > 0 {
                        s.push_str("  ");
                    }
                    if c < self.left
                        || c == 0
                        || c + 1 == ncol && self.head[c].is_empty()
                        || self.head[c] == "flags"
                    {
                        s.push_str(cell);
                        s.push_str(&" ".repeat(pad));
                    } else {
                        s.push_str(&" ".repeat(pad));
                        s.push_str(cell);
                    }
                }
                s.trim_end().to_string() + "\n"
            };
            out.push_str(&line(&self.head));
            let total: usize =
                cols.iter().map(|&c| width[c]).sum::<usize>() + 2 * (cols.len().max(1) - 1);
            out.push_str(&format!("  {}\n", "-".repeat(total)));
            for r in &self.rows {
                out.push_str(&line(r));
            }
        }
        if let Some(n) = &self.note {
            for l in wrap(n, TEXT_WIDTH - 2) {
                out.push_str(&format!("  {l}\n"));
            }
        }
        out.push('\n');
        out
    }
    pub(crate) fn markdown(&self) -> String {
        let esc = |s: &str| s.replace('|', "\\|");
        let mut out = format!("### {}\n\n", self.title);
        out.push_str(&format!(
            "| {} |\n",
            self.head
                .iter()
                .map(|h| esc(h))
                .collect::<Vec<_>>()
                .join(" | ")
        ));
        let align: Vec<&str> = (0..self.head.len())
            .map(|c| if c < self.left.max(1) { ":---" } else { "---:" })
            .collect();
        out.push_str(&format!("|{}|\n", align.join("|")));
        for r in &self.rows {
            out.push_str(&format!(
                "| {} |\n",
                r.iter().map(|h| esc(h)).collect::<Vec<_>>().join(" | ")
            ));
        }
        if let Some(n) = &self.note {
            out.push_str(&format!("\n{n}\n"));
        }
        out.push('\n');
        out
    }
}
