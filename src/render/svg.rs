//! Standalone SVG figures, hand-written (no dependencies, byte-stable for snapshot tests):
//! the path diagram, the importance-performance map and the Kano Better/Worse scatter.
//!
//! ```
//! use csindex::{svg, LoadOptions, Model, Pls, Survey};
//! let opts = LoadOptions::new().scale("*", 1.0, 10.0).scale("COMP1", 0.0, 1.0);
//! let survey = Survey::from_csv_path("data/acsi_sample.csv", &opts).unwrap();
//! let fit = Pls::new().fit(&Model::acsi(), &survey).unwrap();
//! let diagram = svg::path_diagram(&fit, None);
//! assert!(diagram.starts_with("<svg"));
//! let map = svg::ipma_map(&fit.ipma("SAT").unwrap());
//! assert!(map.contains("QUAL"));
//! ```

use crate::bootstrap::{BootResult, StatKind};
use crate::ipma::{Ipma, IpmaPoint};
use crate::pls::Fit;
use std::fmt::Write;

/// Escapes text for SVG.
pub(crate) fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#39;")
}

fn open(w: f64, h: f64, title: &str) -> String {
    format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{w:.0}\" height=\"{h:.0}\" viewBox=\"0 0 {w:.0} {h:.0}\" font-family=\"Helvetica, Arial, sans-serif\">\n<title>{}</title>\n<rect x=\"0\" y=\"0\" width=\"{w:.0}\" height=\"{h:.0}\" fill=\"white\"/>\n<defs><marker id=\"arrow\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerWidth=\"7\" markerHeight=\"7\" orient=\"auto-start-reverse\"><path d=\"M 0 0 L 10 5 L 0 10 z\" fill=\"#333\"/></marker></defs>\n",
        esc(title)
    )
}

/// An SVG document of this size with its title drawn at the top left.
fn titled(w: f64, h: f64, title: &str) -> String {
    let mut out = open(w, h, title);
    text(
        &mut out,
        80.0,
        32.0,
        16.0,
        "start",
        " font-weight=\"bold\"",
        title,
    );
    out
}

fn text(out: &mut String, x: f64, y: f64, size: f64, anchor: &str, extra: &str, s: &str) {
    let _ = writeln!(
        out,
        "<text x=\"{x:.1}\" y=\"{y:.1}\" font-size=\"{size:.0}\" text-anchor=\"{anchor}\"{extra}>{}</text>",
        esc(s)
    );
}

/// Point on the boundary of an ellipse centred at (cx, cy) in the direction (dx, dy).
fn ellipse_edge(cx: f64, cy: f64, rx: f64, ry: f64, dx: f64, dy: f64) -> (f64, f64) {
    let t = 1.0 / ((dx / rx).powi(2) + (dy / ry).powi(2)).sqrt();
    (cx + dx * t, cy + dy * t)
}

/// The path diagram: constructs as ellipses in columns by causal depth, indicators as boxes
/// under their construct (arrows out of the construct for Mode A, into it for Mode B, labelled
/// with loadings or weights), paths labelled with coefficients (and significance stars when a
/// bootstrap is given), R² inside each endogenous construct.
pub fn path_diagram(fit: &Fit, boot: Option<&BootResult>) -> String {
    path_diagram_titled(fit, boot, "PLS path model")
}

/// [`path_diagram`] with its title.
pub fn path_diagram_titled(fit: &Fit, boot: Option<&BootResult>, title: &str) -> String {
    let v = super::View::new(fit);
    let jn = v.lvs.len();
    // Columns by causal depth (the longest route from a construct no path points to); such
    // a source construct then moves to the column just before its nearest successor, so that
    // a moderator or a late exogenous construct sits beside what it explains rather than
    // arcing over the whole model from the first column.
    let mut depth = vec![0usize; jn];
    for &j in &v.order {
        depth[j] = v.preds[j].iter().map(|&i| depth[i] + 1).max().unwrap_or(0);
    }
    for j in 0..jn {
        if v.preds[j].is_empty() {
            let nearest = v
                .paths
                .iter()
                .filter(|&&(a, _)| a == j)
                .map(|&(_, b)| depth[b])
                .min();
            if let Some(d) = nearest {
                depth[j] = d.saturating_sub(1);
            }
        }
    }
    let ncol = depth.iter().max().copied().unwrap_or(0) + 1;
    let mut cols: Vec<Vec<usize>> = vec![Vec::new(); ncol];
    for j in 0..jn {
        cols[depth[j]].push(j);
    }
    let (rx, ry, box_h) = (60.0, 31.0, 22.0);
    // Boxes fit the longest indicator name (about 6.8 px per character at 12 px).
    let longest = fit
        .indicator_names()
        .iter()
        .map(|n| n.chars().count())
        .max()
        .unwrap_or(4) as f64;
    let box_w = (6.8 * longest + 10.0).max(56.0);
    let gap = box_w + 6.0;
    // Indicator boxes wrap in rows of at most four under their construct.
    const PER_ROW: usize = 4;
    let kmax = v.blocks.iter().map(|b| b.len()).max().unwrap_or(1);
    let box_rows = kmax.div_ceil(PER_ROW) as f64;
    let col_w = (kmax.min(PER_ROW) as f64 * gap + 40.0).max(230.0);
    let cell_h = 190.0 + (box_rows - 1.0) * (box_h + 12.0);
    let rows_max = cols.iter().map(|c| c.len()).max().unwrap_or(1) as f64;
    // Arcs over skipped columns rise about 23 px per column spanned: leave room above.
    let max_span = v
        .paths
        .iter()
        .map(|&(a, b)| depth[b].saturating_sub(depth[a]))
        .max()
        .unwrap_or(1)
        .max(1) as f64;
    let mx = 30.0;
    let my = 50.0 + if max_span > 1.0 { 23.0 * max_span } else { 0.0 };
    let width = 2.0 * mx + ncol as f64 * col_w;
    let height = my + 50.0 + rows_max * cell_h;
    let mut pos = vec![(0.0, 0.0); jn];
    for (c, col) in cols.iter().enumerate() {
        let offset = (rows_max - col.len() as f64) * cell_h / 2.0;
        for (r, &j) in col.iter().enumerate() {
            pos[j] = (
                mx + (c as f64 + 0.5) * col_w,
                my + offset + r as f64 * cell_h + 50.0,
            );
        }
    }
    let mut out = open(width, height, title);
    text(
        &mut out,
        mx,
        28.0,
        16.0,
        "start",
        " font-weight=\"bold\"",
        title,
    );
    // Where each indicator box goes (its centre x and top y), and what path labels must not
    // cover: the boxes and the constructs' ellipses.
    let box_at = |j: usize, a: usize| {
        let (cx, cy) = pos[j];
        let len = v.blocks[j].len();
        let row = a / PER_ROW;
        let in_row = (len - row * PER_ROW).min(PER_ROW) as f64;
        (
            cx + ((a % PER_ROW) as f64 - (in_row - 1.0) / 2.0) * gap,
            cy + ry + 58.0 + row as f64 * (box_h + 12.0),
        )
    };
    let mut taken: Vec<(f64, f64, f64, f64)> = Vec::new();
    for (j, &(cx, cy)) in pos.iter().enumerate() {
        taken.push((cx - rx, cy - ry, cx + rx, cy + ry));
        for a in 0..v.blocks[j].len() {
            let (bx, by) = box_at(j, a);
            taken.push((bx - box_w / 2.0, by, bx + box_w / 2.0, by + box_h));
        }
    }
    // Structural paths first (under the nodes).
    for &(a, b) in &v.paths {
        let (sx, sy) = pos[a];
        let (tx, ty) = pos[b];
        let span = depth[b] as f64 - depth[a] as f64;
        let coef = v.path(a, b);
        let stars = boot
            .and_then(|bt| bt.get(StatKind::Path, &v.key(a, b)).ok())
            .map(|s| s.stars())
            .unwrap_or("");
        let label = format!("{coef:.3}{stars}");
        // The path's ends and the control point of its quadratic curve (for a straight line,
        // the midpoint: the curve is then the line itself).
        let (x1, y1, cx, cy, x2, y2) = if span > 1.0 || (sx == tx) {
            // Arc over the columns in between.
            let (cx, cy) = ((sx + tx) / 2.0, sy.min(ty) - 45.0 * span.max(1.0));
            let (x1, y1) = ellipse_edge(sx, sy, rx, ry, cx - sx, cy - sy);
            let (x2, y2) = ellipse_edge(tx, ty, rx, ry, cx - tx, cy - ty);
            let _ = writeln!(
                out,
                "<path d=\"M {x1:.1} {y1:.1} Q {cx:.1} {cy:.1} {x2:.1} {y2:.1}\" fill=\"none\" stroke=\"#333\" stroke-width=\"1.4\" marker-end=\"url(#arrow)\"/>"
            );
            (x1, y1, cx, cy, x2, y2)
        } else {
            let (x1, y1) = ellipse_edge(sx, sy, rx, ry, tx - sx, ty - sy);
            let (x2, y2) = ellipse_edge(tx, ty, rx, ry, sx - tx, sy - ty);
            let _ = writeln!(
                out,
                "<line x1=\"{x1:.1}\" y1=\"{y1:.1}\" x2=\"{x2:.1}\" y2=\"{y2:.1}\" stroke=\"#333\" stroke-width=\"1.4\" marker-end=\"url(#arrow)\"/>"
            );
            (x1, y1, (x1 + x2) / 2.0, (y1 + y2) / 2.0, x2, y2)
        };
        // The point at t along the path.
        let along = |t: f64| {
            let (u, v) = ((1.0 - t) * (1.0 - t), 2.0 * t * (1.0 - t));
            (u * x1 + v * cx + t * t * x2, u * y1 + v * cy + t * t * y2)
        };
        // The label at the middle of the path, or the point nearest to it where it covers no
        // box, construct or other label (the least covering one when there is none).
        let w = 8.2 * label.chars().count() as f64 + 8.0;
        let rect = |t: f64| {
            let (x, y) = along(t);
            (x - w / 2.0, y - 12.5, x + w / 2.0, y + 5.5)
        };
        let covered = |r: (f64, f64, f64, f64)| {
            taken
                .iter()
                .map(|q| {
                    (r.2.min(q.2) - r.0.max(q.0)).max(0.0) * (r.3.min(q.3) - r.1.max(q.1)).max(0.0)
                })
                .sum::<f64>()
        };
        const AT: [f64; 9] = [0.5, 0.42, 0.58, 0.34, 0.66, 0.26, 0.74, 0.18, 0.82];
        let t = AT
            .iter()
            .copied()
            .find(|&t| covered(rect(t)) == 0.0)
            .unwrap_or_else(|| {
                AT.iter()
                    .copied()
                    .min_by(|&a, &b| covered(rect(a)).total_cmp(&covered(rect(b))))
                    .unwrap_or(0.5)
            });
        taken.push(rect(t));
        let (lx, ly) = along(t);
        let _ = writeln!(
            out,
            "<rect x=\"{:.1}\" y=\"{:.1}\" width=\"{w:.1}\" height=\"18\" rx=\"3\" fill=\"white\" fill-opacity=\"0.9\"/>",
            lx - w / 2.0,
            ly - 12.5
        );
        text(
            &mut out,
            lx,
            ly + 1.5,
            14.0,
            "middle",
            if coef < 0.0 { " fill=\"#b00\"" } else { "" },
            &label,
        );
    }
    // Constructs and their indicators.
    for j in 0..jn {
        let (cx, cy) = pos[j];
        let blk = &v.blocks[j];
        for (a, ind) in blk.iter().enumerate() {
            let (bx, by) = box_at(j, a);
            let _ = writeln!(
                out,
                "<rect x=\"{:.1}\" y=\"{:.1}\" width=\"{box_w:.0}\" height=\"{box_h:.0}\" fill=\"#f3f6fa\" stroke=\"#567\" stroke-width=\"1\"/>",
                bx - box_w / 2.0,
                by
            );
            text(&mut out, bx, by + 15.5, 12.0, "middle", "", ind);
            let (ex, ey) = ellipse_edge(cx, cy, rx, ry, bx - cx, by - cy);
            let (from, to) = if v.modes[j].is_common_factor() {
                ((ex, ey), (bx, by))
            } else {
                ((bx, by), (ex, ey))
            };
            let _ = writeln!(
                out,
                "<line x1=\"{:.1}\" y1=\"{:.1}\" x2=\"{:.1}\" y2=\"{:.1}\" stroke=\"#567\" stroke-width=\"1\" marker-end=\"url(#arrow)\"/>",
                from.0, from.1, to.0, to.1
            );
            let value = if v.modes[j].is_common_factor() {
                v.loading(ind)
            } else {
                v.weight(ind)
            };
            text(
                &mut out,
                (ex + bx) / 2.0 + 3.0,
                (ey + by) / 2.0 + 3.0,
                11.0,
                "start",
                " fill=\"#456\"",
                &format!("{value:.2}"),
            );
        }
        let fill = if v.preds[j].is_empty() {
            "#e8eef7"
        } else {
            "#dbe8f5"
        };
        let _ = writeln!(
            out,
            "<ellipse cx=\"{cx:.1}\" cy=\"{cy:.1}\" rx=\"{rx:.0}\" ry=\"{ry:.0}\" fill=\"{fill}\" stroke=\"#234\" stroke-width=\"1.6\"/>"
        );
        match v.r2(j) {
            Some(r2) => {
                text(
                    &mut out,
                    cx,
                    cy - 2.0,
                    16.0,
                    "middle",
                    " font-weight=\"bold\"",
                    &v.lvs[j],
                );
                text(
                    &mut out,
                    cx,
                    cy + 16.0,
                    12.0,
                    "middle",
                    "",
                    &format!("R² {r2:.3}"),
                );
            }
            None => text(
                &mut out,
                cx,
                cy + 6.0,
                16.0,
                "middle",
                " font-weight=\"bold\"",
                &v.lvs[j],
            ),
        }
    }
    let note = if boot.is_some() {
        "paths: standardised coefficients; *** p<.001 ** p<.01 * p<.05 . p<.1 (bootstrap); boxes: loadings (Mode A) or weights (Mode B)"
    } else {
        "paths: standardised coefficients; boxes: loadings (Mode A) or weights (Mode B)"
    };
    text(
        &mut out,
        mx,
        height - 14.0,
        11.0,
        "start",
        " fill=\"#555\"",
        note,
    );
    out.push_str("</svg>\n");
    out
}

/// Nice tick step for a range.
fn tick_step(range: f64) -> f64 {
    let raw = range / 5.0;
    let mag = 10f64.powf(raw.log10().floor());
    let f = raw / mag;
    mag * if f < 1.5 {
        1.0
    } else if f < 3.5 {
        2.0
    } else if f < 7.5 {
        5.0
    } else {
        10.0
    }
}

/// A scatter frame: axes, ticks, labels. Returns the mapping functions' parameters.
struct Frame {
    x0: f64,
    x1: f64,
    y0: f64,
    y1: f64,
    left: f64,
    top: f64,
    w: f64,
    h: f64,
}

impl Frame {
    fn px(&self, x: f64) -> f64 {
        self.left + (x - self.x0) / (self.x1 - self.x0) * self.w
    }
    fn py(&self, y: f64) -> f64 {
        self.top + self.h - (y - self.y0) / (self.y1 - self.y0) * self.h
    }
    fn draw(&self, out: &mut String, xlabel: &str, ylabel: &str, xdec: usize, ydec: usize) {
        let _ = writeln!(
            out,
            "<rect x=\"{:.1}\" y=\"{:.1}\" width=\"{:.1}\" height=\"{:.1}\" fill=\"none\" stroke=\"#333\"/>",
            self.left, self.top, self.w, self.h
        );
        let sx = tick_step(self.x1 - self.x0);
        let mut t = (self.x0 / sx).ceil() * sx;
        while t <= self.x1 + 1e-9 * sx {
            let x = self.px(t);
            let _ = writeln!(
                out,
                "<line x1=\"{x:.1}\" y1=\"{:.1}\" x2=\"{x:.1}\" y2=\"{:.1}\" stroke=\"#333\"/>",
                self.top + self.h,
                self.top + self.h + 5.0
            );
            text(
                out,
                x,
                self.top + self.h + 18.0,
                11.0,
                "middle",
                "",
                &format!("{t:.xdec$}"),
            );
            t += sx;
        }
        let sy = tick_step(self.y1 - self.y0);
        let mut t = (self.y0 / sy).ceil() * sy;
        while t <= self.y1 + 1e-9 * sy {
            let y = self.py(t);
            let _ = writeln!(
                out,
                "<line x1=\"{:.1}\" y1=\"{y:.1}\" x2=\"{:.1}\" y2=\"{y:.1}\" stroke=\"#333\"/>",
                self.left - 5.0,
                self.left
            );
            text(
                out,
                self.left - 8.0,
                y + 4.0,
                11.0,
                "end",
                "",
                &format!("{t:.ydec$}"),
            );
            t += sy;
        }
        text(
            out,
            self.left + self.w / 2.0,
            self.top + self.h + 40.0,
            13.0,
            "middle",
            "",
            xlabel,
        );
        let (lx, ly) = (self.left - 48.0, self.top + self.h / 2.0);
        let _ = writeln!(
            out,
            "<text x=\"{lx:.1}\" y=\"{ly:.1}\" font-size=\"13\" text-anchor=\"middle\" transform=\"rotate(-90 {lx:.1} {ly:.1})\">{}</text>",
            esc(ylabel)
        );
    }
    fn vline(&self, out: &mut String, x: f64) {
        let px = self.px(x);
        let _ = writeln!(out, "<line x1=\"{px:.1}\" y1=\"{:.1}\" x2=\"{px:.1}\" y2=\"{:.1}\" stroke=\"#888\" stroke-dasharray=\"5,4\"/>", self.top, self.top + self.h);
    }
    fn hline(&self, out: &mut String, y: f64) {
        let py = self.py(y);
        let _ = writeln!(out, "<line x1=\"{:.1}\" y1=\"{py:.1}\" x2=\"{:.1}\" y2=\"{py:.1}\" stroke=\"#888\" stroke-dasharray=\"5,4\"/>", self.left, self.left + self.w);
    }
    /// Grey italic names in the four corners: top left, top right, bottom left, bottom right.
    fn quadrants(&self, out: &mut String, names: [&str; 4]) {
        let style = " fill=\"#777\" font-style=\"italic\"";
        let (l, r, t, b) = (
            self.left + 8.0,
            self.left + self.w - 8.0,
            self.top + 18.0,
            self.top + self.h - 8.0,
        );
        text(out, l, t, 12.0, "start", style, names[0]);
        text(out, r, t, 12.0, "end", style, names[1]);
        text(out, l, b, 12.0, "start", style, names[2]);
        text(out, r, b, 12.0, "end", style, names[3]);
    }
    /// A labelled point; the label goes to the first of a few spots that does not overlap a
    /// label already placed (`placed` holds their boxes), in `label_color` when given.
    #[allow(clippy::too_many_arguments)]
    fn point(
        &self,
        out: &mut String,
        placed: &mut Vec<(f64, f64, f64, f64)>,
        x: f64,
        y: f64,
        label: &str,
        color: &str,
        label_color: Option<&str>,
    ) {
        let (px, py) = (self.px(x), self.py(y));
        let _ = writeln!(out, "<circle cx=\"{px:.1}\" cy=\"{py:.1}\" r=\"6\" fill=\"{color}\" stroke=\"white\" stroke-width=\"1\"/>");
        let w = 7.0 * label.chars().count() as f64;
        // Beside the point first, then a line further up or down (for crowded maps).
        let spots = [
            (px + 9.0, py - 7.0, "start"),
            (px + 9.0, py + 17.0, "start"),
            (px - 9.0, py - 7.0, "end"),
            (px - 9.0, py + 17.0, "end"),
            (px + 6.0, py - 21.0, "start"),
            (px + 6.0, py + 31.0, "start"),
            (px - 6.0, py - 21.0, "end"),
            (px - 6.0, py + 31.0, "end"),
        ];
        let boxed = |(lx, ly, a): (f64, f64, &str)| {
            if a == "start" {
                (lx, ly - 11.0, lx + w, ly + 3.0)
            } else {
                (lx - w, ly - 11.0, lx, ly + 3.0)
            }
        };
        // The area a label box shares with the labels already placed; the first spot with
        // none, else the one with the least.
        let overlap = |b: (f64, f64, f64, f64)| {
            placed
                .iter()
                .map(|q| {
                    let w = (b.2.min(q.2) - b.0.max(q.0)).max(0.0);
                    let h = (b.3.min(q.3) - b.1.max(q.1)).max(0.0);
                    w * h
                })
                .sum::<f64>()
        };
        let spot = spots
            .iter()
            .copied()
            .find(|s| overlap(boxed(*s)) == 0.0)
            .unwrap_or_else(|| {
                spots
                    .iter()
                    .copied()
                    .min_by(|a, b| overlap(boxed(*a)).total_cmp(&overlap(boxed(*b))))
                    .unwrap_or(spots[0])
            });
        placed.push(boxed(spot));
        let fill = label_color
            .map(|c| format!(" fill=\"{c}\""))
            .unwrap_or_default();
        text(out, spot.0, spot.1, 12.0, spot.2, &fill, label);
    }
}

/// Line and point colours of the figures with one colour per series (trend lines, IPMA
/// constructs).
const COLOURS: [&str; 8] = [
    "#2b6cb0", "#dd6b20", "#2f855a", "#6b46c1", "#d53f8c", "#c53030", "#319795", "#4a5568",
];

/// The importance-performance map of the constructs: importance (unstandardised total effect)
/// on x, performance (0-100) on y, dashed lines at the constructs' mean importance and mean
/// performance, the four quadrants named.
pub fn ipma_map(m: &Ipma) -> String {
    let (mi, mp) = m.means();
    let points: Vec<(&IpmaPoint, &str)> = m.constructs.iter().map(|p| (p, COLOURS[0])).collect();
    importance_performance(
        &format!("Importance-performance map: {}", m.target),
        &format!("Importance (unstandardised total effect on {})", m.target),
        &points,
        (mi, mp),
        &[],
    )
}

/// The importance-performance map of the indicators (IPMA at indicator level, as SmartPLS
/// draws it): each indicator of the constructs that lead to the target, its importance (its
/// index weight times its construct's importance, [`IpmaPoint::importance`]) on x and its
/// mean 0-100 performance on y, coloured by construct with a legend, dashed lines at the
/// indicators' mean importance and mean performance.
///
/// ```
/// use csindex::{svg, LoadOptions, Model, Pls, Survey};
/// let opts = LoadOptions::new().scale("*", 1.0, 10.0).scale("COMP1", 0.0, 1.0);
/// let survey = Survey::from_csv_path("data/acsi_sample.csv", &opts).unwrap();
/// let fit = Pls::new().fit(&Model::acsi(), &survey).unwrap();
/// let map = svg::ipma_map_indicators(&fit.ipma("SAT").unwrap());
/// assert!(map.contains("QUAL1") && map.contains("VAL2"));
/// ```
pub fn ipma_map_indicators(m: &Ipma) -> String {
    let n = m.indicators.len().max(1) as f64;
    let mi = m.indicators.iter().map(|p| p.importance).sum::<f64>() / n;
    let mp = m.indicators.iter().map(|p| p.performance).sum::<f64>() / n;
    let mut constructs: Vec<&str> = Vec::new();
    for p in &m.indicators {
        if !constructs.contains(&p.construct.as_str()) {
            constructs.push(&p.construct);
        }
    }
    let colour = |c: &str| {
        let k = constructs.iter().position(|x| *x == c).unwrap_or(0);
        COLOURS[k % COLOURS.len()]
    };
    let points: Vec<(&IpmaPoint, &str)> = m
        .indicators
        .iter()
        .map(|p| (p, colour(&p.construct)))
        .collect();
    let legend: Vec<(&str, &str)> = constructs.iter().map(|&c| (c, colour(c))).collect();
    importance_performance(
        &format!("Importance-performance map of the indicators: {}", m.target),
        &format!(
            "Importance (total effect on {} through its construct)",
            m.target
        ),
        &points,
        (mi, mp),
        &legend,
    )
}

/// An importance-performance map of these points (each with its colour), the cross lines at
/// `means` (importance, performance) and, when given, a legend of colours to the right.
fn importance_performance(
    title: &str,
    xlabel: &str,
    points: &[(&IpmaPoint, &str)],
    means: (f64, f64),
    legend: &[(&str, &str)],
) -> String {
    // The indicator map (the one with a legend) zooms on its points, which are often close
    // together, and colours each label as its point; the construct map's axes start at 0
    // importance and run in steps of 10 performance points.
    let zoom = !legend.is_empty();
    let legend_w = if legend.is_empty() {
        0.0
    } else {
        let longest = legend
            .iter()
            .map(|l| l.0.chars().count())
            .max()
            .unwrap_or(0) as f64;
        40.0 + 7.5 * longest
    };
    let (w, h) = (720.0 + legend_w, 520.0);
    let imps = points.iter().map(|p| p.0.importance);
    let perfs = points.iter().map(|p| p.0.performance);
    let (lo, hi) = imps.fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), v| {
        (a.min(v), b.max(v))
    });
    let (lo, hi) = if lo <= hi { (lo, hi) } else { (0.0, 0.0) };
    let pmin = perfs.clone().fold(100.0_f64, f64::min);
    let pmax = perfs.fold(0.0_f64, f64::max);
    let step = if zoom { 5.0 } else { 10.0 };
    let y0 = ((pmin - step) / step).floor().max(0.0) * step;
    let y1 = (((pmax + step) / step).ceil() * step)
        .min(100.0)
        .max(y0 + step);
    let (x0, x1) = if zoom {
        // 15% of the importances' range on each side (at least 0.01), not below 0 when they
        // are all positive.
        let pad = ((hi - lo) * 0.15).max(0.01);
        let x0 = if lo >= 0.0 {
            (lo - pad).max(0.0)
        } else {
            lo - pad
        };
        (x0, hi + pad)
    } else {
        let (imin, imax) = (lo.min(0.0), hi.max(0.0));
        (imin, imax + ((imax - imin) * 0.15).max(0.05))
    };
    // Enough decimals for the tick step (two at least).
    let decimals = (-tick_step(x1 - x0).log10()).ceil().max(2.0) as usize;
    let f = Frame {
        x0,
        x1,
        y0,
        y1,
        left: 80.0,
        top: 60.0,
        w: 590.0,
        h: h - 140.0,
    };
    let mut out = titled(w, h, title);
    f.draw(&mut out, xlabel, "Performance (0-100)", decimals, 0);
    f.vline(&mut out, means.0);
    f.hline(&mut out, means.1);
    f.quadrants(
        &mut out,
        [
            "possible overkill",
            "keep up the good work",
            "low priority",
            "concentrate here",
        ],
    );
    let mut placed = Vec::new();
    for (p, colour) in points {
        f.point(
            &mut out,
            &mut placed,
            p.importance,
            p.performance,
            &p.name,
            colour,
            zoom.then_some(*colour),
        );
    }
    let lx = f.left + f.w + 24.0;
    for (k, (name, colour)) in legend.iter().enumerate() {
        let ly = f.top + 12.0 + 22.0 * k as f64;
        let _ = writeln!(
            out,
            "<circle cx=\"{:.1}\" cy=\"{ly:.1}\" r=\"6\" fill=\"{colour}\"/>",
            lx + 6.0
        );
        text(&mut out, lx + 18.0, ly + 5.0, 13.0, "start", "", name);
    }
    out.push_str("</svg>\n");
    out
}

/// The Kano Better/Worse scatter: |Worse| on x, Better on y, both 0..1, quadrant lines at 0.5:
/// attractive (top left), one-dimensional (top right), must-be (bottom right), indifferent
/// (bottom left).
pub fn kano_scatter(points: &[(String, f64, f64)]) -> String {
    let (w, h) = (640.0, 580.0);
    let f = Frame {
        x0: 0.0,
        x1: 1.0,
        y0: 0.0,
        y1: 1.0,
        left: 80.0,
        top: 60.0,
        w: 500.0,
        h: 440.0,
    };
    let mut out = titled(w, h, "Kano: Better and Worse coefficients");
    f.draw(
        &mut out,
        "|Worse| (dissatisfaction when absent)",
        "Better (satisfaction when present)",
        1,
        1,
    );
    f.vline(&mut out, 0.5);
    f.hline(&mut out, 0.5);
    f.quadrants(
        &mut out,
        ["attractive", "one-dimensional", "indifferent", "must-be"],
    );
    let mut placed = Vec::new();
    for (name, better, worse) in points {
        f.point(
            &mut out,
            &mut placed,
            worse.abs().clamp(0.0, 1.0),
            better.clamp(0.0, 1.0),
            name,
            "#c05621",
            None,
        );
    }
    out.push_str("</svg>\n");
    out
}

/// The simple-slope plot of an interaction: the target's predicted score against the
/// predictor's (−2..2 SD) at the moderator's −1 SD, mean and +1 SD
/// (`b_iv·x + b_mod·m + b_int·x·m`, standardised scores).
pub fn simple_slopes(fit: &Fit, s: &crate::pls::SimpleSlopes) -> String {
    let b = |from: &str| fit.path(from, &s.target).unwrap_or(0.0);
    let quadratic = s.iv == s.moderator;
    let (b_iv, b_mod, b_int) = (
        b(&s.iv),
        if quadratic { 0.0 } else { b(&s.moderator) },
        b(&format!("{}:{}", s.iv, s.moderator)),
    );
    let line = |x: f64, m: f64| {
        if quadratic {
            b_iv * x + b_int * x * x
        } else {
            b_iv * x + b_mod * m + b_int * x * m
        }
    };
    let levels = [
        (-1.0, "#2b6cb0", "−1 SD"),
        (0.0, "#4a5568", "mean"),
        (1.0, "#c05621", "+1 SD"),
    ];
    let ys: Vec<f64> = levels
        .iter()
        .flat_map(|&(m, _, _)| [line(-2.0, m), line(2.0, m), line(0.0, m)])
        .collect();
    let (lo, hi) = ys
        .iter()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, c), &y| {
            (a.min(y), c.max(y))
        });
    let pad = ((hi - lo) * 0.1).max(0.1);
    let (w, h) = (720.0, 500.0);
    let f = Frame {
        x0: -2.0,
        x1: 2.0,
        y0: lo - pad,
        y1: hi + pad,
        left: 80.0,
        top: 60.0,
        w: 460.0,
        h: 360.0,
    };
    let title = format!("Simple slopes: {} → {} by {}", s.iv, s.target, s.moderator);
    let mut out = titled(w, h, &title);
    f.draw(
        &mut out,
        &format!("{} (SD)", s.iv),
        &format!("predicted {} (SD)", s.target),
        0,
        1,
    );
    for (k, &(m, colour, label)) in levels.iter().enumerate() {
        let pts: Vec<String> = (0..=40)
            .map(|i| {
                let x = -2.0 + 0.1 * i as f64;
                format!("{:.1},{:.1}", f.px(x), f.py(line(x, m)))
            })
            .collect();
        out.push_str(&format!(
            "<polyline points=\"{}\" fill=\"none\" stroke=\"{colour}\" stroke-width=\"2\"/>\n",
            pts.join(" ")
        ));
        let slope = s.at[k].1;
        text(
            &mut out,
            560.0,
            90.0 + 22.0 * k as f64,
            12.0,
            "start",
            &format!(" fill=\"{colour}\""),
            &format!("{} {label}: {slope:.3}", esc(&s.moderator)),
        );
    }
    out.push_str("</svg>\n");
    out
}

/// The index trend by wave: one line per construct (index per wave) with its bootstrap
/// interval as a band, the waves in file order along the x axis, a legend.
pub fn trend(w: &crate::waves::WaveResult, title: Option<&str>) -> String {
    let mut constructs: Vec<&str> = Vec::new();
    for wave in &w.waves {
        for ix in &wave.indices {
            if !constructs.contains(&ix.construct.as_str()) {
                constructs.push(&ix.construct);
            }
        }
    }
    let values = w.waves.iter().flat_map(|wave| {
        wave.indices.iter().flat_map(|ix| {
            let (lo, hi) = ix.ci.map_or((ix.index, ix.index), |c| (c.lo, c.hi));
            [ix.index, lo, hi]
        })
    });
    let (lo, hi) = values.fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), v| {
        (a.min(v), b.max(v))
    });
    let (lo, hi) = if lo.is_finite() {
        (lo, hi)
    } else {
        (0.0, 100.0)
    };
    let pad = ((hi - lo) * 0.1).max(1.0);
    let (y0, y1) = ((lo - pad).max(0.0), (hi + pad).min(100.0));
    let n = w.waves.len().max(1);
    let (left, top, pw, ph) = (80.0, 60.0, (110.0 * n as f64).clamp(360.0, 900.0), 340.0);
    let (width, height) = (left + pw + 190.0, top + ph + 80.0);
    let px = |k: usize| left + pw * (k as f64 + 0.5) / n as f64;
    let py = |v: f64| top + ph * (1.0 - (v - y0) / (y1 - y0));
    let default = format!("0-100 index by {}", w.column);
    let mut out = titled(width, height, title.unwrap_or(&default));
    let _ = writeln!(
        out,
        "<rect x=\"{left:.1}\" y=\"{top:.1}\" width=\"{pw:.1}\" height=\"{ph:.1}\" fill=\"none\" stroke=\"#333\"/>"
    );
    let step = tick_step(y1 - y0);
    let mut t = (y0 / step).ceil() * step;
    while t <= y1 + 1e-9 {
        let y = py(t);
        let _ = writeln!(
            out,
            "<line x1=\"{left:.1}\" y1=\"{y:.1}\" x2=\"{:.1}\" y2=\"{y:.1}\" stroke=\"#ddd\"/>",
            left + pw
        );
        text(
            &mut out,
            left - 8.0,
            y + 4.0,
            13.0,
            "end",
            "",
            &format!("{t:.0}"),
        );
        t += step;
    }
    for (k, wave) in w.waves.iter().enumerate() {
        text(
            &mut out,
            px(k),
            top + ph + 22.0,
            13.0,
            "middle",
            "",
            &wave.wave,
        );
    }
    text(
        &mut out,
        left + pw / 2.0,
        top + ph + 50.0,
        14.0,
        "middle",
        "",
        &w.column,
    );
    for (c, name) in constructs.iter().enumerate() {
        let colour = COLOURS[c % COLOURS.len()];
        let pts: Vec<(usize, f64, f64, f64)> = w
            .waves
            .iter()
            .enumerate()
            .filter_map(|(k, wave)| {
                let ix = wave.indices.iter().find(|i| i.construct == *name)?;
                let (a, b) = ix.ci.map_or((ix.index, ix.index), |c| (c.lo, c.hi));
                Some((k, ix.index, a, b))
            })
            .collect();
        if pts.iter().any(|p| p.2 < p.3) {
            let upper: Vec<String> = pts
                .iter()
                .map(|p| format!("{:.1},{:.1}", px(p.0), py(p.3)))
                .collect();
            let lower: Vec<String> = pts
                .iter()
                .rev()
                .map(|p| format!("{:.1},{:.1}", px(p.0), py(p.2)))
                .collect();
            let _ = writeln!(
                out,
                "<polygon points=\"{} {}\" fill=\"{colour}\" fill-opacity=\"0.15\" stroke=\"none\"/>",
                upper.join(" "),
                lower.join(" ")
            );
        }
        let line: Vec<String> = pts
            .iter()
            .map(|p| format!("{:.1},{:.1}", px(p.0), py(p.1)))
            .collect();
        let _ = writeln!(
            out,
            "<polyline points=\"{}\" fill=\"none\" stroke=\"{colour}\" stroke-width=\"2.5\"/>",
            line.join(" ")
        );
        for p in &pts {
            let _ = writeln!(
                out,
                "<circle cx=\"{:.1}\" cy=\"{:.1}\" r=\"4\" fill=\"{colour}\"/>",
                px(p.0),
                py(p.1)
            );
        }
        let ly = top + 12.0 + 22.0 * c as f64;
        let _ = writeln!(
            out,
            "<line x1=\"{:.1}\" y1=\"{ly:.1}\" x2=\"{:.1}\" y2=\"{ly:.1}\" stroke=\"{colour}\" stroke-width=\"2.5\"/>",
            left + pw + 16.0,
            left + pw + 40.0
        );
        text(
            &mut out,
            left + pw + 46.0,
            ly + 5.0,
            13.0,
            "start",
            "",
            name,
        );
    }
    let ly = top + 12.0 + 22.0 * constructs.len() as f64 + 10.0;
    text(
        &mut out,
        left + pw + 16.0,
        ly,
        11.0,
        "start",
        " fill=\"#555\"",
        &format!("bands: {:.0}% bootstrap intervals", w.level * 100.0),
    );
    out.push_str("</svg>\n");
    out
}
