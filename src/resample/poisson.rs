//! The one-pass Poisson bootstrap (Hanley & MacGibbon 2006; Chamandy et al. 2012): each row
//! enters replicate b with a Poisson(1) count drawn from a counter-based generator keyed by
//! (seed, row key, b), so the replicates' moments accumulate in the same pass as the moments of
//! the data, from any partition of the rows, in any order.
//!
//! A replicate keeps raw weighted sums about a fixed centre (the declared scale midpoints):
//! `Σc`, `Σc²w²` and, over the features `1, y_a, y_a y_b (a ≤ b)` with `y = x − centre`,
//! `Σ c w f`. Sums add, so parts merge by addition. When every `y` is a multiple of ½, every
//! weight an integer, and the sums stay below 2⁵⁰ (always so for Likert answers), each partial
//! sum is an exact binary number: the replicates are then bit-identical for any chunk size,
//! thread count, partition and merge order (`exact` says so). Otherwise they are deterministic
//! for a given chunking and agree across partitions to rounding (about 1e-15 relative).

use crate::error::{Error, Result};
use nalgebra::DMatrix;
use serde::{Deserialize, Serialize};

/// 2⁶⁴ · P(X ≤ k) for X ~ Poisson(1), k = 0..19 (the last steps saturate).
const CUTS: [u64; 20] = cuts();

const fn cuts() -> [u64; 20] {
    let mut out = [u64::MAX; 20];
    let mut p = 0.367_879_441_171_442_33_f64; // e^-1 = P(X = 0)
    let mut f = p;
    let mut k = 0;
    while k < 20 {
        let x = f * 18_446_744_073_709_551_616.0;
        out[k] = if x >= 18_446_744_073_709_551_615.0 {
            u64::MAX
        } else {
            x as u64
        };
        k += 1;
        p /= k as f64;
        f += p;
    }
    out
}

/// SplitMix64's finaliser: a bijection of u64 with full avalanche.
const fn mix(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// The key of replicate `b` under `seed` (computed once per replicate).
pub(crate) fn replicate_key(seed: u64, b: usize) -> u64 {
    mix(mix(seed) ^ mix(0x5EED_0000_0000_0000 ^ b as u64))
}

/// The key of a row given by its respondent id (FNV-1a of the trimmed id's bytes, mixed).
pub(crate) fn id_key(id: &[u8]) -> u64 {
    let mut h: u64 = 0xCBF2_9CE4_8422_2325;
    for &b in id {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01B3);
    }
    mix(h)
}

/// The key of a row given by its position (the 1-based line of the file it starts on).
pub(crate) fn position_key(line: u64) -> u64 {
    mix(line ^ 0x0000_0000_00F1_1E00)
}

/// The Poisson(1) count of the row with key `row` in the replicate with key `rep`.
pub(crate) fn count(rep: u64, row: u64) -> u32 {
    let u = mix(mix(row ^ rep));
    let mut k = 0;
    while k < CUTS.len() && u >= CUTS[k] {
        k += 1;
    }
    k as u32
}

/// What keys the rows of a Poisson bootstrap.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ReplicateKey {
    /// The line of the file the row starts on: partitions of one file cannot merge (two files'
    /// rows would share counts).
    Position,
    /// A respondent-id column: any partition of the rows merges into the same bootstrap.
    Id(String),
}

/// Number of features of p columns: 1, p values, p(p+1)/2 products.
pub(crate) fn n_features(p: usize) -> usize {
    1 + p + p * (p + 1) / 2
}

/// Index of the product feature y_a y_b (any order of a, b).
fn product(a: usize, b: usize, p: usize) -> usize {
    let (a, b) = if a <= b { (a, b) } else { (b, a) };
    // Products are stored column by column of the upper triangle: (0,0), (0,1), (1,1), ...
    1 + p + b * (b + 1) / 2 + a
}

/// Poisson replicates' sums (see the module documentation).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct Replicates {
    pub(crate) seed: u64,
    pub(crate) key: ReplicateKey,
    /// The centre y = x − centre (p).
    pub(crate) center: Vec<f64>,
    /// Whether every y is a multiple of ½ and every weight an integer.
    pub(crate) grid: bool,
    /// The largest weight and the largest |y| seen (maxima do not depend on the order of
    /// the rows): with the largest replicate count they bound every partial sum.
    pub(crate) wmax: f64,
    pub(crate) ymax: f64,
    /// Σc per replicate (B).
    pub(crate) count: Vec<f64>,
    /// Σc²w² per replicate (B).
    pub(crate) weight_sq: Vec<f64>,
    /// Σ c w f per replicate and feature, replicate-major (B × features).
    pub(crate) sums: Vec<f64>,
    /// Σ w f over the rows themselves (every count 1): exact moments of the data under the
    /// same conditions as the replicates.
    pub(crate) base: Vec<f64>,
}

impl Replicates {
    pub(crate) fn new(b: usize, seed: u64, key: ReplicateKey, center: Vec<f64>) -> Replicates {
        let f = n_features(center.len());
        Replicates {
            seed,
            key,
            center,
            grid: true,
            wmax: 0.0,
            ymax: 0.0,
            count: vec![0.0; b],
            weight_sq: vec![0.0; b],
            sums: vec![0.0; b * f],
            base: vec![0.0; f],
        }
    }

    /// Number of replicates.
    pub(crate) fn len(&self) -> usize {
        self.count.len()
    }

    /// Whether the sums are exact (bit-identical across chunkings and partitions).
    pub(crate) fn exact(&self) -> bool {
        let cmax = self.count.iter().copied().fold(0.0, f64::max);
        let feat = self.ymax.max(self.ymax * self.ymax).max(1.0);
        self.grid && cmax * self.wmax.max(1.0) * feat < (1u64 << 50) as f64
    }

    /// Adds complete rows (columns of equal length, no NaN) with optional weights and row keys.
    pub(crate) fn accumulate(&mut self, cols: &[&[f64]], weights: Option<&[f64]>, keys: &[u64]) {
        const SUB: usize = 512;
        let p = self.center.len();
        let f = n_features(p);
        let b_total = self.len();
        let reps: Vec<u64> = (0..b_total).map(|b| replicate_key(self.seed, b)).collect();
        let n = keys.len();
        let mut lo = 0;
        while lo < n {
            let hi = (lo + SUB).min(n);
            let m = hi - lo;
            // Features × rows, weighted (one column per row).
            let mut feat = DMatrix::<f64>::zeros(f, m);
            let mut y = vec![0.0; p];
            let mut ymax = self.ymax;
            for i in lo..hi {
                let w = weights.map_or(1.0, |w| w[i]);
                if self.grid && w.fract() != 0.0 {
                    self.grid = false;
                }
                for a in 0..p {
                    y[a] = cols[a][i] - self.center[a];
                    if self.grid && (y[a] * 2.0).fract() != 0.0 {
                        self.grid = false;
                    }
                    ymax = ymax.max(y[a].abs());
                }
                let col = &mut feat.as_mut_slice()[(i - lo) * f..(i - lo + 1) * f];
                col[0] = w;
                for a in 0..p {
                    col[1 + a] = w * y[a];
                }
                for bb in 0..p {
                    for a in 0..=bb {
                        col[product(a, bb, p)] = w * y[a] * y[bb];
                    }
                }
            }
            self.ymax = ymax;
            self.wmax = (lo..hi)
                .map(|i| weights.map_or(1.0, |w| w[i]))
                .fold(self.wmax, f64::max);
            // Counts: rows × replicates.
            let mut counts = DMatrix::<f64>::zeros(m, b_total);
            for (b, &rep) in reps.iter().enumerate() {
                let (mut c_sum, mut c2w2) = (0.0, 0.0);
                for i in lo..hi {
                    let c = f64::from(count(rep, keys[i]));
                    let w = weights.map_or(1.0, |w| w[i]);
                    counts.as_mut_slice()[b * m + (i - lo)] = c;
                    c_sum += c;
                    c2w2 += c * c * w * w;
                }
                self.count[b] += c_sum;
                self.weight_sq[b] += c2w2;
            }
            for col in feat.as_slice().chunks_exact(f) {
                for (acc, x) in self.base.iter_mut().zip(col) {
                    *acc += x;
                }
            }
            let s = &feat * &counts; // f × B
            for b in 0..b_total {
                let dst = &mut self.sums[b * f..(b + 1) * f];
                for (d, x) in dst.iter_mut().zip(s.column(b).iter()) {
                    *d += x;
                }
            }
            lo = hi;
        }
    }

    /// Adds the sums of another part of the rows.
    pub(crate) fn merge(&mut self, o: &Replicates) -> Result<()> {
        let bad = |m: String| Error::MomentsMismatch {
            file: String::new(),
            message: m,
        };
        if self.len() != o.len() || self.seed != o.seed {
            return Err(bad(format!(
                "Poisson bootstraps differ: {} replicates with seed {} and {} with seed {}",
                self.len(),
                self.seed,
                o.len(),
                o.seed
            )));
        }
        if self.key != o.key {
            return Err(bad(format!(
                "Poisson bootstraps keyed differently: {:?} and {:?}",
                self.key, o.key
            )));
        }
        if self.key == ReplicateKey::Position {
            return Err(bad(
                "Poisson replicates keyed by row position cannot merge: rows of \
                 different parts would share their counts; key the rows by a respondent id \
                 (`--id COLUMN`)"
                    .into(),
            ));
        }
        if self.center != o.center {
            return Err(bad(
                "Poisson bootstraps centred at different values (declare the \
                 same scales for every part)"
                    .into(),
            ));
        }
        self.merge_sums(o);
        Ok(())
    }

    /// Adds sums of the same shape (blocks of one stream).
    pub(crate) fn merge_sums(&mut self, o: &Replicates) {
        self.grid &= o.grid;
        self.wmax = self.wmax.max(o.wmax);
        self.ymax = self.ymax.max(o.ymax);
        let add = |a: &mut Vec<f64>, b: &Vec<f64>| a.iter_mut().zip(b).for_each(|(x, y)| *x += y);
        add(&mut self.count, &o.count);
        add(&mut self.weight_sq, &o.weight_sq);
        add(&mut self.sums, &o.sums);
        add(&mut self.base, &o.base);
    }

    /// The same replicates over a subset of the columns (indices into the columns).
    pub(crate) fn select(&self, idx: &[usize]) -> Replicates {
        let p0 = self.center.len();
        let (f0, q) = (n_features(p0), idx.len());
        let f = n_features(q);
        let pick = |src: &[f64], dst: &mut [f64]| {
            dst[0] = src[0];
            for (a, &ja) in idx.iter().enumerate() {
                dst[1 + a] = src[1 + ja];
                for (c, &jc) in idx.iter().enumerate().take(a + 1) {
                    dst[product(c, a, q)] = src[product(jc, ja, p0)];
                }
            }
        };
        let mut sums = vec![0.0; self.len() * f];
        for b in 0..self.len() {
            pick(
                &self.sums[b * f0..(b + 1) * f0],
                &mut sums[b * f..(b + 1) * f],
            );
        }
        let mut base = vec![0.0; f];
        pick(&self.base, &mut base);
        Replicates {
            seed: self.seed,
            key: self.key.clone(),
            center: idx.iter().map(|&k| self.center[k]).collect(),
            grid: self.grid,
            wmax: self.wmax,
            // The largest |y| of the columns kept is not known apart: the bound stays valid.
            ymax: self.ymax,
            count: self.count.clone(),
            weight_sq: self.weight_sq.clone(),
            sums,
            base,
        }
    }

    /// Replicate b as (rows, Σcw, Σc²w², Σcw·y, Σcw·yyᵀ).
    pub(crate) fn replicate(&self, b: usize) -> (u64, f64, f64, Vec<f64>, DMatrix<f64>) {
        let f = n_features(self.center.len());
        let (w, sum, cross) = self.unpack(&self.sums[b * f..(b + 1) * f]);
        (
            self.count[b].max(0.0) as u64,
            w,
            self.weight_sq[b],
            sum,
            cross,
        )
    }

    /// The data's own sums as (Σw, Σw·y, Σw·yyᵀ).
    pub(crate) fn base_sums(&self) -> (f64, Vec<f64>, DMatrix<f64>) {
        self.unpack(&self.base)
    }

    fn unpack(&self, s: &[f64]) -> (f64, Vec<f64>, DMatrix<f64>) {
        let p = self.center.len();
        let sum: Vec<f64> = (0..p).map(|a| s[1 + a]).collect();
        let cross = DMatrix::from_fn(p, p, |a, c| s[product(a, c, p)]);
        (s[0], sum, cross)
    }

    /// Checks the lengths and values read from JSON.
    pub(crate) fn validate(&self, p: usize) -> std::result::Result<(), String> {
        let b = self.len();
        if self.center.len() != p {
            return Err(format!("{} centres for {p} columns", self.center.len()));
        }
        if self.weight_sq.len() != b
            || self.sums.len() != b * n_features(p)
            || self.base.len() != n_features(p)
        {
            return Err("replicate sums of the wrong length".into());
        }
        let all = self
            .center
            .iter()
            .chain(&self.count)
            .chain(&self.weight_sq)
            .chain(&self.sums)
            .chain(&self.base);
        if all.clone().any(|x| !x.is_finite()) || !(self.wmax >= 0.0 && self.ymax >= 0.0) {
            return Err("a replicate sum is not finite".into());
        }
        if self.count.iter().any(|c| *c < 0.0 || c.fract() != 0.0) {
            return Err("a replicate row count is not a whole number >= 0".into());
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_are_poisson_one() {
        let rep = replicate_key(7, 3);
        let n = 200_000u64;
        let (mut s, mut s2, mut zeros) = (0.0, 0.0, 0u64);
        for i in 0..n {
            let c = f64::from(count(rep, position_key(i)));
            s += c;
            s2 += c * c;
            zeros += u64::from(c == 0.0);
        }
        let mean = s / n as f64;
        let var = s2 / n as f64 - mean * mean;
        // Mean and variance 1 (sd of the mean ≈ 0.0022), P(0) = e^-1 (sd ≈ 0.0011).
        assert!((mean - 1.0).abs() < 0.01, "{mean}");
        assert!((var - 1.0).abs() < 0.02, "{var}");
        assert!((zeros as f64 / n as f64 - (-1.0f64).exp()).abs() < 0.005);
    }

    #[test]
    fn select_picks_products() {
        let mut r = Replicates::new(2, 1, ReplicateKey::Id("id".into()), vec![0.0; 3]);
        let cols: Vec<Vec<f64>> = vec![vec![1.0, 2.0], vec![3.0, 5.0], vec![7.0, 11.0]];
        let c: Vec<&[f64]> = cols.iter().map(|v| v.as_slice()).collect();
        r.accumulate(&c, None, &[id_key(b"a"), id_key(b"b")]);
        let s = r.select(&[2, 0]);
        for b in 0..2 {
            let (n, w, _, sum, cross) = r.replicate(b);
            let (n2, w2, _, sum2, cross2) = s.replicate(b);
            assert_eq!((n, w), (n2, w2));
            assert_eq!((sum2[0], sum2[1]), (sum[2], sum[0]));
            assert_eq!(cross2[(0, 1)], cross[(2, 0)]);
            assert_eq!(cross2[(0, 0)], cross[(2, 2)]);
        }
    }
}
