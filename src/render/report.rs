//! Reports a researcher can read: aligned text tables (like seminr's `summary`) or Markdown.
//!
//! Sections: the model and estimation; measurement model (weights, loadings; loadings < 0.708
//! flagged); reliability and convergent validity (α, ρ_C, ρ_A, AVE; AVE < 0.5 and ρ_C, ρ_A
//! outside 0.70–0.95 flagged); discriminant validity (HTMT with 0.85 and 0.90 flags,
//! Fornell–Larcker); structural model (paths with f² and VIF, and with SE, t, p, interval and
//! stars when bootstrapped; VIF > 5 flagged); R²; effects; fit; the 0-100 indices; IPMA; notes.
//!
//! ```
//! use csindex::{report::Report, LoadOptions, Model, Pls, Survey};
//! let survey = Survey::from_csv_path("data/acsi_sample.csv", &LoadOptions::new().scale("*", 1.0, 10.0).scale("COMP1", 0.0, 1.0)).unwrap();
//! let fit = Pls::new().fit(&Model::acsi(), &survey).unwrap();
//! let text = Report::new(&fit).unwrap().ipma("SAT").to_text();
//! assert!(text.contains("Reliability"));
//! ```

use crate::assess::{Assessment, Q2};
use crate::bootstrap::{BootResult, BootStat, StatKind};
use crate::error::Result;
use crate::index::IndexMethod;
use crate::pls::Fit;

/// Which bootstrap interval a report shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum CiMethod {
    /// Percentile (default).
    #[default]
    Percentile,
    /// Bias-corrected and accelerated.
    Bca,
    /// Normal: estimate ± z·SE.
    Normal,
    /// t: estimate ± t(n−1)·SE.
    T,
}

crate::options::flag_names!(CiMethod, "ci", Percentile => "percentile", Bca => "bca", Normal => "normal", T => "t");

impl CiMethod {
    /// The interval of this method in a bootstrap statistic, when defined.
    pub fn interval(self, s: &BootStat) -> Option<crate::Interval> {
        match self {
            CiMethod::Percentile => s.ci_percentile,
            CiMethod::Bca => s.ci_bca,
            CiMethod::Normal => s.ci_normal,
            CiMethod::T => s.ci_t,
        }
    }
    pub(crate) fn name(self) -> &'static str {
        match self {
            CiMethod::Percentile => "percentile",
            CiMethod::Bca => "BCa",
            CiMethod::Normal => "normal",
            CiMethod::T => "t",
        }
    }
}

pub(crate) use super::table::Table;

pub(crate) fn f3(x: f64) -> String {
    format!("{x:.3}")
}

fn opt3(x: Option<f64>) -> String {
    x.map(f3).unwrap_or_else(|| "-".into())
}

fn pval(p: Option<f64>) -> String {
    match p {
        Some(p) if p < 0.001 => "<.001".into(),
        Some(p) => format!("{p:.3}"),
        None => "-".into(),
    }
}

/// A report on a fit, with optional bootstrap results, blindfolding and IPMA.
#[derive(Debug, Clone)]
#[must_use]
pub struct Report<'a> {
    fit: &'a Fit,
    assessment: Assessment,
    boot: Option<&'a BootResult>,
    ci: CiMethod,
    ipma_target: Option<String>,
    q2: Option<Vec<Q2>>,
    title: String,
}

impl<'a> Report<'a> {
    /// A report on the fit (computes the assessment).
    pub fn new(fit: &'a Fit) -> Result<Report<'a>> {
        Ok(Report::with_assessment(fit, fit.assess()?))
    }
    /// A report on the fit with an assessment already computed.
    pub(crate) fn with_assessment(fit: &'a Fit, assessment: Assessment) -> Report<'a> {
        Report {
            fit,
            assessment,
            boot: None,
            ci: CiMethod::Percentile,
            ipma_target: None,
            q2: None,
            title: "csindex: PLS path model".into(),
        }
    }
    /// Adds bootstrap SE, t, p, intervals and stars.
    pub fn bootstrap(mut self, boot: &'a BootResult) -> Self {
        self.boot = Some(boot);
        self
    }
    /// Interval shown for bootstrapped statistics.
    pub fn ci(mut self, ci: CiMethod) -> Self {
        self.ci = ci;
        self
    }
    /// Adds the IPMA table for a target construct.
    pub fn ipma(mut self, target: &str) -> Self {
        self.ipma_target = Some(target.to_string());
        self
    }
    /// Adds blindfolding Q² values.
    pub fn q2(mut self, q2: Vec<Q2>) -> Self {
        self.q2 = Some(q2);
        self
    }
    /// Report title.
    pub fn title(mut self, t: &str) -> Self {
        self.title = t.to_string();
        self
    }
    /// The assessment used.
    pub fn assessment(&self) -> &Assessment {
        &self.assessment
    }

    fn boot_stat(&self, kind: StatKind, name: &str) -> Option<&BootStat> {
        self.boot.and_then(|b| b.get(kind, name).ok())
    }

    fn boot_cells(&self, kind: StatKind, name: &str) -> Vec<String> {
        match self.boot_stat(kind, name) {
            Some(s) => {
                let ci = self
                    .ci
                    .interval(s)
                    .map(|c| format!("[{:.3}, {:.3}]", c.lo, c.hi))
                    .unwrap_or_else(|| "-".into());
                vec![f3(s.se), opt3(s.t), pval(s.p), ci, s.stars().to_string()]
            }
            None => vec!["-".into(); 5],
        }
    }

    fn boot_head(&self) -> Vec<String> {
        let lvl = self.boot.map(|b| (b.level * 100.0).round()).unwrap_or(95.0);
        vec![
            "SE".into(),
            "t".into(),
            "p".into(),
            format!("{lvl}% CI ({})", self.ci.name()),
            "".into(),
        ]
    }

    pub(crate) fn tables(&self) -> (String, Vec<Table>, Vec<String>) {
        let fit = self.fit;
        let v = super::View::new(fit);
        let a = &self.assessment;
        let names = &v.lvs;
        let mut notes: Vec<String> = fit.warnings().to_vec();
        let header = format!(
            "{}\n  constructs {}, indicators {}, paths {}; scheme {}{};\n  rows used {} of {} ({})\n  {} after {} iterations (largest last weight change {:.1e})\n",
            self.title,
            names.len(),
            fit.indicator_names().len(),
            v.paths.len(),
            fit.scheme(),
            if fit.is_consistent() { ", consistent PLS (PLSc)" } else { "" },
            fit.n_used(),
            fit.n_file(),
            match (fit.missing_cells().iter().map(|x| x.1).sum::<usize>(), fit.missing_policy()) {
                (0, _) => "no missing cells".to_string(),
                (k, crate::data::MissingPolicy::Listwise) => format!("{k} missing cells, listwise deletion"),
                (k, crate::data::MissingPolicy::Mean) => format!("{k} missing cells replaced by item means"),
                (k, crate::data::MissingPolicy::Fail) => format!("{k} missing cells"),
            },
            if fit.converged() { "converged" } else { "NOT converged" },
            fit.iterations(),
            fit.last_change(),
        );
        let header = match fit.weights() {
            Some((col, kind)) => format!(
                "{header}  survey weights '{col}' ({kind}): Kish effective n {:.1};\n  n = {} for adjusted R², information criteria and t (VIF needs no n)\n",
                fit.kish_n(),
                fit.n()
            ),
            None => header,
        };
        let mut tables = Vec::new();

        // Measurement model.
        let mut head = vec!["Construct", "Indicator", "Mode", "Weight", "Loading", ""];
        let with_boot = self.boot.is_some();
        if with_boot {
            head.extend(["Weight SE", "Weight p", "Loading CI"]);
        }
        let mut t = Table::new("Measurement model", &head);
        t.left = 3;
        for (j, blk) in v.blocks.iter().enumerate() {
            for (pos, ind) in blk.iter().enumerate() {
                let l = v.loading(ind);
                let mut r = vec![
                    if pos == 0 {
                        names[j].clone()
                    } else {
                        String::new()
                    },
                    ind.clone(),
                    v.modes[j].as_str().to_string(),
                    f3(v.weight(ind)),
                    f3(l),
                    if v.modes[j].is_common_factor() && l.abs() < 0.708 && blk.len() > 1 {
                        "<.708".into()
                    } else {
                        String::new()
                    },
                ];
                if with_boot {
                    let w = self.boot_stat(StatKind::Weight, ind);
                    let ls = self.boot_stat(StatKind::Loading, ind);
                    r.push(w.map(|s| f3(s.se)).unwrap_or_else(|| "-".into()));
                    r.push(pval(w.and_then(|s| s.p)));
                    r.push(
                        ls.and_then(|s| self.ci.interval(s))
                            .map(|c| format!("[{:.3}, {:.3}]", c.lo, c.hi))
                            .unwrap_or_else(|| "-".into()),
                    );
                }
                t.row(r);
            }
        }
        t.note = Some("flag <.708: loading below the usual threshold (Hair et al.)".into());
        tables.push(t);

        // Reliability.
        let mut t = Table::new(
            "Reliability and convergent validity",
            &["Construct", "alpha", "rho_C", "rho_A", "AVE", "flags"],
        );
        for (name, alpha) in a.alpha.iter() {
            let rc = a.rho_c.get(name).unwrap_or(1.0);
            let ra = a.rho_a.get(name).unwrap_or(1.0);
            let ave = a.ave.get(name).unwrap_or(1.0);
            let mut flags = Vec::new();
            let single = a.alpha.get(name).is_some()
                && names
                    .iter()
                    .position(|n| n == name)
                    .is_some_and(|j| v.blocks[j].len() == 1);
            if single {
                t.row(vec![
                    name.to_string(),
                    f3(alpha),
                    f3(rc),
                    f3(ra),
                    f3(ave),
                    "single item".into(),
                ]);
                continue;
            }
            if ave < 0.5 {
                flags.push("AVE<.5");
            }
            if !(0.7..=0.95).contains(&rc) {
                flags.push("rho_C outside .70-.95");
            }
            if !(0.7..=0.95).contains(&ra) {
                flags.push("rho_A outside .70-.95");
            }
            t.row(vec![
                name.to_string(),
                f3(alpha),
                f3(rc),
                f3(ra),
                f3(ave),
                flags.join("; "),
            ]);
        }
        t.note = Some("alpha standardised; rho_C from PLS loadings; single-item blocks: 1 by convention; Mode B blocks omitted".into());
        tables.push(t);

        // HTMT matrix.
        let mut head: Vec<&str> = vec![""];
        head.extend(names.iter().map(|s| s.as_str()));
        let mut t = Table::new("Discriminant validity: HTMT (mean |r|, seminr)", &head);
        for (j, nj) in names.iter().enumerate() {
            let mut r = vec![nj.clone()];
            for (i, ni) in names.iter().enumerate() {
                r.push(if i < j {
                    match a.htmt(ni, nj) {
                        Some(h) => format!(
                            "{}{}",
                            f3(h),
                            if h > 0.9 {
                                "**"
                            } else if h > 0.85 {
                                "*"
                            } else {
                                ""
                            }
                        ),
                        None => "-".into(),
                    }
                } else {
                    String::new()
                });
            }
            t.row(r);
        }
        t.note = Some("* > .85, ** > .90".into());
        tables.push(t);
        if let Some(b) = self.boot {
            // Discriminant validity by inference (Henseler et al. 2015; cSEM): the one-sided
            // upper bound of HTMT (the `level` quantile of the draws) should be below 1.
            let mut t = Table::new(
                &format!(
                    "HTMT inference: one-sided {:.0}% upper bound (bootstrap)",
                    b.level * 100.0
                ),
                &["Pair", "HTMT", "Upper bound", "< 1"],
            );
            for st in b.statistics.iter().filter(|s| s.kind == StatKind::Htmt) {
                let mut d = b.draws(StatKind::Htmt, &st.name).unwrap_or_default();
                d.sort_by(f64::total_cmp);
                if let Some(ub) = crate::stats::quantile7(&d, b.level) {
                    t.row(vec![
                        st.name.clone(),
                        f3(st.estimate),
                        f3(ub),
                        if ub < 1.0 { "yes".into() } else { "NO".into() },
                    ]);
                }
            }
            tables.push(t);
        }

        let mut t = Table::new(
            "Discriminant validity: Fornell-Larcker (sqrt AVE on the diagonal)",
            &head,
        );
        for (j, nj) in names.iter().enumerate() {
            let mut r = vec![nj.clone()];
            for i in 0..names.len() {
                r.push(if i == j {
                    a.sqrt_ave.get(nj).map(f3).unwrap_or_else(|| "-".into())
                } else if i < j {
                    f3(fit.construct_correlations()[(i, j)])
                } else {
                    String::new()
                });
            }
            t.row(r);
        }
        tables.push(t);

        for h in &a.higher_order {
            let o3 = |x: Option<f64>| x.map(f3).unwrap_or_else(|| "-".into());
            let mut t = Table::new(
                &format!(
                    "Higher-order construct {} ({}, {}; assessment after Sarstedt et al. 2019)",
                    h.construct, h.measurement, h.method
                ),
                &[
                    "Dimension",
                    "Weight",
                    "Loading",
                    "VIF",
                    "alpha",
                    "rho_C",
                    "rho_A",
                    "AVE",
                    "flags",
                ],
            );
            for d in &h.dimensions {
                t.row(vec![
                    d.name.clone(),
                    o3(d.weight),
                    f3(d.loading),
                    o3(d.vif),
                    o3(d.alpha),
                    o3(d.rho_c),
                    o3(d.rho_a),
                    o3(d.ave),
                    d.flags.join(" "),
                ]);
            }
            t.row(vec![
                h.construct.clone(),
                String::new(),
                String::new(),
                String::new(),
                o3(h.alpha),
                o3(h.rho_c),
                o3(h.rho_a),
                o3(h.ave),
                h.flags.join(" "),
            ]);
            let mut note = String::from(
                "dimension rows: their items' reliability (stage one for two-stage methods); last row: the higher-order construct on its dimensions",
            );
            if let Some((o, v)) = &h.htmt_max {
                note.push_str(&format!(
                    "; largest HTMT with another construct: {o} {}",
                    f3(*v)
                ));
            }
            t.note = Some(note);
            tables.push(t);
        }

        let mut head: Vec<&str> = vec!["Indicator"];
        head.extend(names.iter().map(|s| s.as_str()));
        let mut t = Table::new("Cross-loadings (own construct in brackets)", &head);
        for (own, blk) in v.blocks.iter().enumerate() {
            for ind in blk {
                let mut r = vec![ind.clone()];
                for j in 0..names.len() {
                    let x = v.cross(ind, j);
                    r.push(if j == own {
                        format!("[{}]", f3(x))
                    } else {
                        f3(x)
                    });
                }
                t.row(r);
            }
        }
        t.note = Some("an indicator should load highest on its own construct".into());
        tables.push(t);

        // Structural model.
        let mut head: Vec<String> = ["Path", "Coefficient", "f2", "VIF"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        if with_boot {
            head.extend(self.boot_head());
        }
        let head_ref: Vec<&str> = head.iter().map(|s| s.as_str()).collect();
        let mut t = Table::new("Structural model", &head_ref);
        for &(i, j) in &v.paths {
            let key = v.key(i, j);
            let vif = a
                .vif_inner
                .iter()
                .find(|(to, _)| *to == names[j])
                .and_then(|(_, row)| row.get(&names[i]));
            let mut r = vec![
                key.clone(),
                f3(v.path(i, j)),
                opt3(a.f2_seminr.get(&key).or(a.f2_csem.get(&key))),
                vif.map(|v| format!("{}{}", f3(v), if v > 5.0 { " (>5)" } else { "" }))
                    .unwrap_or_else(|| "-".into()),
            ];
            if with_boot {
                r.extend(self.boot_cells(StatKind::Path, &key));
            }
            t.row(r);
        }
        t.note = Some("f2 re-estimated without the path (seminr); VIF among the predictors of the same construct".into());
        tables.push(t);

        let mut head = vec!["Construct", "R2", "adj. R2"];
        if self.q2.is_some() {
            head.extend(["Q2 redundancy", "Q2 communality"]);
        }
        let mut t = Table::new("Explained variance", &head);
        for j in 0..names.len() {
            if let Some(r2) = v.r2(j) {
                let mut r = vec![names[j].clone(), f3(r2), opt3(v.r2_adj(j))];
                if let Some(q) = &self.q2 {
                    let v = q.iter().find(|x| x.construct == names[j]);
                    r.push(opt3(v.map(|x| x.redundancy)));
                    r.push(opt3(v.map(|x| x.communality)));
                }
                t.row(r);
            }
        }
        tables.push(t);

        // Effects.
        let mut head: Vec<String> = ["Effect", "Direct", "Indirect", "Total"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        if with_boot {
            head.extend(self.boot_head().into_iter().map(|h| {
                if h.is_empty() {
                    h
                } else {
                    format!("Total {h}")
                }
            }));
        }
        let head_ref: Vec<&str> = head.iter().map(|s| s.as_str()).collect();
        let mut t = Table::new("Total effects", &head_ref);
        for i in 0..names.len() {
            for j in 0..names.len() {
                if v.reaches(i, j) {
                    let key = v.key(i, j);
                    let total = v.total(i, j);
                    let direct = v.direct(i, j);
                    let mut r = vec![key.clone(), f3(direct), f3(total - direct), f3(total)];
                    if with_boot {
                        r.extend(self.boot_cells(StatKind::TotalEffect, &key));
                    }
                    t.row(r);
                }
            }
        }
        tables.push(t);
        let slopes = self.fit.simple_slopes();
        if !slopes.is_empty() {
            let mut t = Table::new(
                "Simple slopes (effect of the predictor at the moderator's −1 SD, mean, +1 SD)",
                &["Predictor", "Moderator", "Target", "−1 SD", "mean", "+1 SD"],
            );
            t.left = 3;
            for s in &slopes {
                t.row(vec![
                    s.iv.clone(),
                    s.moderator.clone(),
                    s.target.clone(),
                    f3(s.at[0].1),
                    f3(s.at[1].1),
                    f3(s.at[2].1),
                ]);
            }
            tables.push(t);
            if with_boot {
                let mut head: Vec<String> = vec!["Slope".into(), "Effect".into()];
                head.extend(self.boot_head());
                let head_ref: Vec<&str> = head.iter().map(|s| s.as_str()).collect();
                let mut t = Table::new("Simple slopes, bootstrap", &head_ref);
                for s in &slopes {
                    for ((_, slope), at) in s.at.iter().zip(["-1", "0", "+1"]) {
                        let key = format!("{}->{}@{}={at}", s.iv, s.target, s.moderator);
                        let mut r = vec![key.clone(), f3(*slope)];
                        r.extend(self.boot_cells(StatKind::SimpleSlope, &key));
                        t.row(r);
                    }
                }
                tables.push(t);
            }
        }
        if !a.indirect_effects.is_empty() {
            let mut head: Vec<String> = vec!["Route".into(), "Effect".into()];
            if with_boot {
                head.extend(self.boot_head());
            }
            let head_ref: Vec<&str> = head.iter().map(|s| s.as_str()).collect();
            let mut t = Table::new("Specific indirect effects", &head_ref);
            for e in &a.indirect_effects {
                let mut r = vec![e.key(), f3(e.effect)];
                if with_boot {
                    r.extend(self.boot_cells(StatKind::IndirectEffect, &e.key()));
                }
                t.row(r);
            }
            tables.push(t);
        }

        let mut t = Table::new("Fit", &["Measure", "Value"]);
        t.row(vec![
            "GoF (plspm: multi-item blocks)".into(),
            f3(a.gof_plspm),
        ]);
        t.row(vec!["GoF (cSEM: all indicators)".into(), f3(a.gof_csem)]);
        t.row(vec!["SRMR (cSEM)".into(), f3(a.srmr_csem)]);
        t.row(vec!["d_ULS (cSEM)".into(), f3(a.d_uls)]);
        t.row(vec!["d_G (cSEM, ADANCO: log10)".into(), opt3(a.d_g)]);
        t.note = Some(
            "GoF is not a test of fit (Henseler & Sarstedt 2012); SRMR < .08 is the usual rule"
                .into(),
        );
        tables.push(t);

        // Indices.
        let (ix, skipped) = fit.indices(IndexMethod::Fornell);
        let mut head: Vec<String> = vec!["Construct".into(), "Index (0-100)".into()];
        if with_boot {
            head.extend(["SE".into(), format!("CI ({})", self.ci.name())]);
        }
        let head_ref: Vec<&str> = head.iter().map(|s| s.as_str()).collect();
        let mut t = Table::new(
            "Satisfaction indices (Fornell, unstandardised weights)",
            &head_ref,
        );
        for c in &ix {
            let mut r = vec![c.construct.clone(), format!("{:.2}", c.index)];
            if with_boot {
                match self.boot_stat(StatKind::Index, &c.construct) {
                    Some(s) => {
                        r.push(format!("{:.2}", s.se));
                        r.push(
                            self.ci
                                .interval(s)
                                .map(|c| format!("[{:.2}, {:.2}]", c.lo, c.hi))
                                .unwrap_or_else(|| "-".into()),
                        );
                    }
                    None => r.extend(["-".into(), "-".into()]),
                }
            }
            t.row(r);
        }
        for (c, why) in &skipped {
            notes.push(format!("no index for {c}: {why}"));
        }
        tables.push(t);

        if let Some(target) = &self.ipma_target {
            match fit.ipma(target) {
                Ok(m) => {
                    let mut t = Table::new(
                        &format!("Importance-performance map for {target}"),
                        &["Construct", "Indicator", "Importance", "Performance"],
                    );
                    t.left = 2;
                    for p in &m.constructs {
                        t.row(vec![
                            p.name.clone(),
                            String::new(),
                            f3(p.importance),
                            format!("{:.2}", p.performance),
                        ]);
                        for i in m.indicators.iter().filter(|i| i.construct == p.name) {
                            t.row(vec![
                                String::new(),
                                i.name.clone(),
                                f3(i.importance),
                                format!("{:.2}", i.performance),
                            ]);
                        }
                    }
                    let (mi, mp) = m.means();
                    t.note = Some(format!(
                        "importance: unstandardised total effect on {target}; performance: mean 0-100 score. Means: {mi:.3}, {mp:.2}; {target} performance {:.2}",
                        m.target_performance
                    ));
                    tables.push(t);
                }
                Err(e) => notes.push(format!("no IPMA for {target}: {e}")),
            }
        }
        if let Some(b) = self.boot {
            notes.push(format!(
                "bootstrap ({}): {} resamples, {} used ({} left out: {} zero variance, {} singular, {} not converged), sign change {:?}{}",
                match b.method {
                    crate::bootstrap::BootMethod::Ordinary => "ordinary, rows resampled with replacement",
                    crate::bootstrap::BootMethod::Poisson => "one-pass Poisson, replicates accumulated while streaming",
                },
                b.resamples,
                b.used,
                b.degenerate.total(),
                b.degenerate.zero_variance,
                b.degenerate.singular,
                b.degenerate.not_converged,
                b.sign_change,
                b.seed.map(|s| format!(", seed {s}")).unwrap_or_else(|| ", supplied resamples".into())
            ));
            notes.push("stars: *** p<.001, ** p<.01, * p<.05, . p<.1 (two-sided t, n-1 df)".into());
        }
        notes.extend(a.notes.iter().cloned());
        (header, tables, notes)
    }

    /// Aligned plain text.
    pub fn to_text(&self) -> String {
        let (header, tables, notes) = self.tables();
        let mut out = header;
        out.push('\n');
        for t in tables {
            out.push_str(&t.text());
        }
        if !notes.is_empty() {
            out.push_str("Notes\n");
            for n in notes {
                for (k, l) in super::table::wrap(&n, super::table::TEXT_WIDTH - 4)
                    .iter()
                    .enumerate()
                {
                    out.push_str(&format!("{}{l}\n", if k == 0 { "  - " } else { "    " }));
                }
            }
        }
        out
    }

    /// Markdown (pipe tables).
    pub fn to_markdown(&self) -> String {
        let (header, tables, notes) = self.tables();
        let mut lines = header.lines();
        let mut out = format!("## {}\n\n", lines.next().unwrap_or(""));
        for l in lines {
            out.push_str(&format!("{}\n", l.trim()));
        }
        out.push('\n');
        for t in tables {
            out.push_str(&t.markdown());
        }
        if !notes.is_empty() {
            out.push_str("### Notes\n\n");
            for n in notes {
                out.push_str(&format!("- {n}\n"));
            }
        }
        out
    }
}

impl Fit {
    /// The text report of this fit with its assessment (see [`Report`]).
    pub fn report(&self) -> Result<String> {
        Ok(Report::new(self)?.to_text())
    }
}
