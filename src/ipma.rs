//! Importance-performance map analysis (Ringle & Sarstedt 2016; cSEM `doIPMA`).
//!
//! For a target construct T:
//! 1. each item is rescaled to 0-100 on its answer scale: `x̃ = (x − min)/(max − min)·100`;
//! 2. index weights `w̃_k = (w_k / sd(x̃_k)) / Σ_l (w_l / sd(x̃_l))` within each block;
//! 3. 0-100 construct scores `ỹ_j = Σ w̃_k x̃_k`; **performance** = mean of ỹ_j (of x̃_k for an
//!    item);
//! 4. **importance** of a construct j on T = its unstandardised total effect
//!    `TE_std(j→T) · sd(ỹ_T) / sd(ỹ_j)`; of an item = `w̃_k ·` importance of its construct.
//!
//! All weights involved must be positive ([`Error::NonPositiveWeight`]). Interaction terms
//! (`IV:MOD`) have no answer scale: they are left out of the map, and are no target.
//!
//! ```
//! use csindex::{LoadOptions, Model, Pls, Survey};
//! let opts = LoadOptions::new().scale("*", 1.0, 10.0).scale("COMP1", 0.0, 1.0);
//! let survey = Survey::from_csv_path("data/acsi_sample.csv", &opts).unwrap();
//! let fit = Pls::new().fit(&Model::acsi(), &survey).unwrap();
//! let map = fit.ipma("SAT").unwrap();
//! assert_eq!(map.constructs.len(), 3); // EXPE, QUAL, VAL lead to SAT
//! ```

use crate::error::{Error, Result};
use crate::pls::{self, Fit};
use serde::Serialize;

/// One point of the map.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct IpmaPoint {
    /// Construct or indicator name.
    pub name: String,
    /// For an indicator, its construct; for a construct, itself.
    pub construct: String,
    /// Unstandardised total effect on the target.
    pub importance: f64,
    /// Mean 0-100 performance.
    pub performance: f64,
}

/// A construct's 0-100 scores (see `Fit::block100`).
pub(crate) struct Block100 {
    /// Index weights of the items (sum 1).
    weights: Vec<f64>,
    /// Mean 0-100 performance of each item.
    perf: Vec<f64>,
    /// Mean and sd of the construct's 0-100 score.
    mean: f64,
    sd: f64,
}

/// An importance-performance map for one target construct.
#[derive(Debug, Clone, Serialize)]
pub struct Ipma {
    /// The target construct.
    pub target: String,
    /// Performance of the target itself.
    pub target_performance: f64,
    /// Every construct with a directed route to the target.
    pub constructs: Vec<IpmaPoint>,
    /// Every indicator of those constructs.
    pub indicators: Vec<IpmaPoint>,
}

impl Ipma {
    /// Mean importance and mean performance of the constructs (the map's cross lines).
    pub fn means(&self) -> (f64, f64) {
        let n = self.constructs.len().max(1) as f64;
        (
            self.constructs.iter().map(|p| p.importance).sum::<f64>() / n,
            self.constructs.iter().map(|p| p.performance).sum::<f64>() / n,
        )
    }
}

impl Fit {
    /// A construct's 0-100 scores: each item's index weight and mean 0-100 performance, and
    /// the mean and sd of the construct's 0-100 score (from the item means and
    /// correlations). Items are rescaled to 0-100 on their answer scales; the "items" of a
    /// higher-order construct (its dimensions' scores in a two-stage fit) are the dimensions'
    /// own 0-100 scores from stage one.
    pub(crate) fn block100(&self, j: usize) -> Result<Block100> {
        let sp = self.spec();
        let blk = sp.blocks[j].clone();
        let hoc = self.first_stage().filter(|s1| {
            blk.clone()
                .all(|k| s1.construct_names().contains(&sp.names[k]))
        });
        // Each item's 0-100 mean and sd.
        let mut item100 = Vec::with_capacity(blk.len());
        for k in blk.clone() {
            item100.push(match hoc {
                Some(s1) => {
                    let d = s1.block100(s1.lv(&sp.names[k])?)?;
                    (d.mean, d.sd)
                }
                None => {
                    let sc = self.item_scales()[k].0;
                    let range = sc.max - sc.min;
                    (
                        (self.item_means()[k] - sc.min) / range * 100.0,
                        self.item_sds()[k] * 100.0 / range,
                    )
                }
            });
        }
        let mut raw_w = Vec::with_capacity(blk.len());
        for (a, k) in blk.clone().enumerate() {
            let w = self.core().w[(k, j)] * self.core().signs[j];
            if !(w > 0.0) {
                return Err(Error::NonPositiveWeight {
                    construct: sp.lv_names[j].clone(),
                    indicator: sp.names[k].clone(),
                    weight: w,
                });
            }
            raw_w.push(w / item100[a].1);
        }
        let total: f64 = raw_w.iter().sum();
        let weights: Vec<f64> = raw_w.iter().map(|w| w / total).collect();
        let perf: Vec<f64> = item100.iter().map(|x| x.0).collect();
        let mean = weights.iter().zip(&perf).map(|(w, p)| w * p).sum();
        // The 0-100 score is linear in the items: its variance follows from their covariances
        // (weighted with survey weights).
        let coef: Vec<(usize, f64)> = blk
            .clone()
            .enumerate()
            .map(|(a, k)| (k, weights[a] * item100[a].1 / self.item_sds()[k]))
            .collect();
        let mut var = 0.0;
        for &(k, ck) in &coef {
            for &(l, cl) in &coef {
                var += ck * cl * self.corr()[(k, l)] * self.item_sds()[k] * self.item_sds()[l];
            }
        }
        Ok(Block100 {
            weights,
            perf,
            mean,
            sd: var.max(0.0).sqrt(),
        })
    }

    /// The importance-performance map for a target construct.
    pub fn ipma(&self, target: &str) -> Result<Ipma> {
        let sp = &self.spec();
        let t = self.lv(target)?;
        if self.is_interaction(target) {
            return Err(Error::invalid(
                "ipma",
                format!("'{target}' is an interaction term, with no 0-100 performance"),
            ));
        }
        // Interaction terms have no answer scale, hence no performance: they are left out
        // (their effects stay in the other constructs' total effects).
        let preds: Vec<usize> = (0..sp.n_lv())
            .filter(|&j| j != t && sp.graph.reaches(j, t))
            .filter(|&j| !self.is_interaction(&sp.lv_names[j]))
            .collect();
        if preds.is_empty() {
            return Err(Error::invalid(
                "ipma",
                format!("no construct has a path to '{target}'"),
            ));
        }
        let n = self.n_used();
        let involved: Vec<usize> = preds.iter().copied().chain(std::iter::once(t)).collect();
        // 0-100 item scores, index weights and 0-100 construct scores.
        let mut perf = vec![0.0; sp.n_lv()];
        let mut sd_score = vec![0.0; sp.n_lv()];
        let mut item_w = vec![0.0; sp.names.len()];
        let mut item_perf = vec![0.0; sp.names.len()];
        for &j in &involved {
            let b = self.block100(j)?;
            for (a, k) in sp.blocks[j].clone().enumerate() {
                item_w[k] = b.weights[a];
                item_perf[k] = b.perf[a];
            }
            perf[j] = b.mean;
            sd_score[j] = b.sd;
        }
        if let Some(&j) = involved.iter().find(|&&j| !(sd_score[j] > 0.0)) {
            return Err(Error::ZeroVariance {
                column: format!("0-100 scores of {}", sp.lv_names[j]),
                n,
            });
        }
        let te = pls::total_effects(&self.core().b, self.spec());
        let mut constructs = Vec::new();
        let mut indicators = Vec::new();
        for &j in &preds {
            let imp = te[(j, t)] * sd_score[t] / sd_score[j];
            constructs.push(IpmaPoint {
                name: sp.lv_names[j].clone(),
                construct: sp.lv_names[j].clone(),
                importance: imp,
                performance: perf[j],
            });
            for k in sp.blocks[j].clone() {
                indicators.push(IpmaPoint {
                    name: sp.names[k].clone(),
                    construct: sp.lv_names[j].clone(),
                    importance: item_w[k] * imp,
                    performance: item_perf[k],
                });
            }
        }
        Ok(Ipma {
            target: target.to_string(),
            target_performance: perf[t],
            constructs,
            indicators,
        })
    }
}
