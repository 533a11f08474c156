//! The one resampling engine: random streams, and the moments of many reweightings of the same
//! rows from one matrix product.
//!
//! Every replicate of every resampling method is a reweighting of the rows a fit used: bootstrap
//! counts, group masks of a permutation, or a leave-one-out downdate. So a replicate needs only
//! the weighted moments of the rows ([`Moments`]), and the moments of up to 64 replicates come
//! from one product: a table with one column per row holding the row's products `y_a y_b` and
//! values `y_a` (centred at fixed values), times a matrix with one column of row multipliers per
//! replicate. No replicate copies the data. For a large n the table is built chunk by chunk
//! (4096 rows) and the chunks' products are added in order, so memory stays bounded and the
//! result does not depend on the number of threads.
//!
//! Under mean replacement the table holds the pairwise statistics instead (observed masks, the
//! values where the other column is observed, and products), so a group's moments are those of
//! mean replacement within the group.
//!
//! Random streams: see `rng` (one stream id per use, never shared).

use crate::data::MissingPolicy;
use crate::moments::Moments;
use nalgebra::DMatrix;
use rayon::prelude::*;

pub mod bootstrap;
pub mod poisson;
mod rng;
pub(crate) use rng::{bootstrap_counts, rng, shuffle, Stream, MAX_REPLICATES};

/// Bytes of row table kept in memory; above, the table is rebuilt chunk by chunk per batch.
const TABLE_LIMIT_BYTES: usize = 32 << 20;

/// Rows per chunk of the table.
const CHUNK: usize = crate::moments::CHUNK;

/// Replicates per matrix product.
pub(crate) const BATCH: usize = 64;

/// The rows of a fit, ready to give the moments of any reweighting of them.
pub(crate) struct RowTable<'a> {
    /// Column `a` of the data, as given (NaN = missing, under mean replacement only).
    cols: Vec<&'a [f64]>,
    /// Base row weights (survey weights), if any.
    weights: Option<&'a [f64]>,
    /// Values the data are centred at before products are taken.
    center: Vec<f64>,
    /// Moments giving the columns, policy, weight kind, bounds and scales of every result.
    template: Moments,
    pairwise: bool,
    /// The whole table (features × n), when small enough.
    table: Option<DMatrix<f64>>,
    n: usize,
}

impl<'a> RowTable<'a> {
    /// A table of `cols` (all of one length), centred at `center`, with optional base weights.
    /// `template` gives the columns and policy; under mean replacement the cells may be NaN.
    pub(crate) fn new(
        cols: Vec<&'a [f64]>,
        weights: Option<&'a [f64]>,
        center: Vec<f64>,
        template: Moments,
    ) -> RowTable<'a> {
        let n = cols.first().map_or(0, |c| c.len());
        let pairwise = template.policy() == MissingPolicy::Mean;
        let mut t = RowTable {
            cols,
            weights,
            center,
            template,
            pairwise,
            table: None,
            n,
        };
        if t.features() * n * 8 <= TABLE_LIMIT_BYTES {
            t.table = Some(t.build(0, n));
        }
        t
    }

    /// The moments every replicate is shaped after.
    pub(crate) fn template(&self) -> &Moments {
        &self.template
    }

    fn p(&self) -> usize {
        self.cols.len()
    }

    fn features(&self) -> usize {
        let p = self.p();
        let q = p * (p + 1) / 2;
        if self.pairwise {
            4 * q
        } else {
            q + p
        }
    }

    /// Table columns for rows `lo..hi`, each row's features times its base weight.
    fn build(&self, lo: usize, hi: usize) -> DMatrix<f64> {
        let p = self.p();
        let q = p * (p + 1) / 2;
        let mut t = DMatrix::<f64>::zeros(self.features(), hi - lo);
        let mut y = vec![0.0; p];
        let mut o = vec![0.0; p];
        for i in lo..hi {
            let w = self.weights.map_or(1.0, |w| w[i]);
            for a in 0..p {
                let x = self.cols[a][i];
                if x.is_nan() {
                    y[a] = 0.0;
                    o[a] = 0.0;
                } else {
                    y[a] = x - self.center[a];
                    o[a] = 1.0;
                }
            }
            let mut col = t.column_mut(i - lo);
            let mut r = 0;
            if self.pairwise {
                for a in 0..p {
                    for b in a..p {
                        col[r] = w * o[a] * o[b];
                        col[q + r] = w * y[a] * o[b];
                        col[2 * q + r] = w * y[b] * o[a];
                        col[3 * q + r] = w * y[a] * y[b];
                        r += 1;
                    }
                }
            } else {
                for a in 0..p {
                    for b in a..p {
                        col[r] = w * y[a] * y[b];
                        r += 1;
                    }
                }
                for a in 0..p {
                    col[q + a] = w * y[a];
                }
            }
        }
        t
    }

    /// The moments of each reweighting: `multipliers[r][i]` multiplies row i's base weight
    /// (bootstrap counts, 0/1 group masks). One product per chunk of rows, added in order.
    pub(crate) fn moments(&self, multipliers: &[Vec<f64>]) -> Vec<Moments> {
        let b = multipliers.len();
        let f = self.features();
        let mut sums = DMatrix::<f64>::zeros(f, b);
        let chunks: Vec<(usize, usize)> = (0..self.n.div_ceil(CHUNK))
            .map(|c| (c * CHUNK, ((c + 1) * CHUNK).min(self.n)))
            .collect();
        for &(lo, hi) in &chunks {
            let c = DMatrix::from_fn(hi - lo, b, |i, r| multipliers[r][lo + i]);
            match &self.table {
                Some(t) => sums += t.columns(lo, hi - lo) * &c,
                None => sums += self.build(lo, hi) * &c,
            }
        }
        (0..b)
            .map(|r| self.replicate_moments(&sums, r, &multipliers[r]))
            .collect()
    }

    /// Moments of replicate `r` from its column of feature sums.
    fn replicate_moments(&self, sums: &DMatrix<f64>, r: usize, mult: &[f64]) -> Moments {
        let p = self.p();
        let q = p * (p + 1) / 2;
        let (mut w, mut w2, mut used) = (0.0, 0.0, 0.0);
        for (i, &m) in mult.iter().enumerate() {
            let x = m * self.weights.map_or(1.0, |w| w[i]);
            w += x;
            w2 += m * x * self.weights.map_or(1.0, |w| w[i]);
            used += m;
        }
        let used = used.round().max(0.0) as u64;
        let tri = |a: usize, b: usize| {
            let (a, b) = if a <= b { (a, b) } else { (b, a) };
            a * p - a * (a + 1) / 2 + b
        };
        if self.pairwise {
            let mut wm = DMatrix::zeros(p, p);
            let mut s = DMatrix::zeros(p, p); // s[(a, b)] = Σ w y_a o_b
            let mut pm = DMatrix::zeros(p, p);
            for a in 0..p {
                for b in a..p {
                    let k = tri(a, b);
                    wm[(a, b)] = sums[(k, r)];
                    wm[(b, a)] = sums[(k, r)];
                    s[(a, b)] = sums[(q + k, r)];
                    s[(b, a)] = sums[(2 * q + k, r)];
                    pm[(a, b)] = sums[(3 * q + k, r)];
                    pm[(b, a)] = sums[(3 * q + k, r)];
                }
            }
            Moments::from_pairwise_sums(&self.template, used, w, w2, &self.center, &wm, &s, &pm)
        } else {
            let mut cross = DMatrix::zeros(p, p);
            for a in 0..p {
                for b in a..p {
                    let v = sums[(tri(a, b), r)];
                    cross[(a, b)] = v;
                    cross[(b, a)] = v;
                }
            }
            let sum: Vec<f64> = (0..p).map(|a| sums[(q + a, r)]).collect();
            Moments::from_centered_sums(&self.template, used, w, w2, &self.center, &sum, &cross)
        }
    }

    /// Runs `f` on the moments of every replicate, `BATCH` replicates per product, in
    /// parallel; results come back in replicate order. `multipliers(r)` gives replicate r's
    /// row multipliers.
    pub(crate) fn map<T: Send>(
        &self,
        replicates: usize,
        multipliers: impl Fn(usize) -> Vec<f64> + Sync,
        f: impl Fn(usize, Moments) -> T + Sync,
        progress: impl Fn(usize) + Sync,
    ) -> Vec<T> {
        let batches = replicates.div_ceil(BATCH);
        (0..batches)
            .into_par_iter()
            .map(|bi| {
                let lo = bi * BATCH;
                let hi = (lo + BATCH).min(replicates);
                let mult: Vec<Vec<f64>> = (lo..hi).map(&multipliers).collect();
                let out: Vec<T> = self
                    .moments(&mult)
                    .into_iter()
                    .enumerate()
                    .map(|(k, m)| f(lo + k, m))
                    .collect();
                progress(hi - lo);
                out
            })
            .collect::<Vec<_>>()
            .into_iter()
            .flatten()
            .collect()
    }
}
