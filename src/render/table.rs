//! Aligned text and Markdown tables: the one table type of every report.

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
    pub(crate) fn text(&self) -> String {
        let ncol = self.head.len();
        let mut width = vec![0usize; ncol];
        for r in std::iter::once(&self.head).chain(&self.rows) {
            for (c, cell) in r.iter().enumerate().take(ncol) {
                width[c] = width[c].max(cell.chars().count());
            }
        }
        let line = |r: &Vec<String>| -> String {
            let mut s = String::from("  ");
            for c in 0..ncol {
                let cell = r.get(c).map(|x| x.as_str()).unwrap_or("");
                let pad = width[c] - cell.chars().count();
                if c == 0 {
                    s.push_str(cell);
                    s.push_str(&" ".repeat(pad));
                } else if c < self.left
                    || c + 1 == ncol && self.head[c].is_empty()
                    || self.head[c] == "flags"
                {
                    s.push_str("  ");
                    s.push_str(cell);
                    s.push_str(&" ".repeat(pad));
                } else {
                    s.push_str("  ");
                    s.push_str(&" ".repeat(pad));
                    s.push_str(cell);
                }
            }
            s.trim_end().to_string() + "\n"
        };
        let mut out = format!("{}\n", self.title);
        out.push_str(&line(&self.head));
        let total: usize = width.iter().sum::<usize>() + 2 * (ncol - 1);
        out.push_str(&format!("  {}\n", "-".repeat(total)));
        for r in &self.rows {
            out.push_str(&line(r));
        }
        if let Some(n) = &self.note {
            out.push_str(&format!("  {n}\n"));
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
