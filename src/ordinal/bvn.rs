//! The bivariate normal distribution: Φ₂(a, b; ρ) = P(X ≤ a, Y ≤ b) for standard normals with
//! correlation ρ, by Genz's method (Genz 2004, "Numerical computation of rectangular bivariate
//! and trivariate normal and t probabilities", Statistics and Computing 14; the BVND function
//! of his TVPACK): Gauss–Legendre quadrature with 6, 12 or 20 points of Drezner & Wesolowsky's
//! integral for |ρ| < 0.925, and of an asymptotic expansion's remainder above. Absolute error
//! about 1e-15.
//!
//! The arithmetic follows TVPACK's operation for operation (its tabulated nodes and weights,
//! its order of summation, its branch points 0.3 and 0.925 as the single-precision constants
//! they are in its source, Φ as R's `pnorm`), so that Φ₂ rounds as it does in R's mvtnorm:
//! see the module docs of [`crate::ordinal`] for why the last bit matters.

// The coefficients are written as published, with more digits than a double holds.
#![allow(clippy::excessive_precision)]

use super::normal::pnorm;

/// Gauss–Legendre nodes (the negative half) and weights of the 6-, 12- and 20-point rules,
/// as TVPACK tabulates them.
const NODES: [&[(f64, f64)]; 3] = [
    &[
        (-0.932_469_514_203_152_2, 0.171_324_492_379_170_5),
        (-0.661_209_386_466_264_7, 0.360_761_573_048_138_4),
        (-0.238_619_186_083_197, 0.467_913_934_572_690_4),
    ],
    &[
        (-0.981_560_634_246_719_1, 0.047_175_336_386_511_77),
        (-0.904_117_256_370_475, 0.106_939_325_995_318_3),
        (-0.769_902_674_194_305, 0.160_078_328_543_346_4),
        (-0.587_317_954_286_617_1, 0.203_167_426_723_065_9),
        (-0.367_831_498_998_180_2, 0.233_492_536_538_354_7),
        (-0.125_233_408_511_469_2, 0.249_147_045_813_402_9),
    ],
    &[
        (-0.993_128_599_185_094_9, 0.017_614_007_139_152_12),
        (-0.963_971_927_277_913_8, 0.040_601_429_800_386_94),
        (-0.912_234_428_251_325_9, 0.062_672_048_334_109_06),
        (-0.839_116_971_822_218_8, 0.083_276_741_576_704_75),
        (-0.746_331_906_460_150_8, 0.101_930_119_817_240_4),
        (-0.636_053_680_726_515, 0.118_194_531_961_518_4),
        (-0.510_867_001_950_827_1, 0.131_688_638_449_176_6),
        (-0.373_706_088_715_419_6, 0.142_096_109_318_382_1),
        (-0.227_785_851_141_645_1, 0.149_172_986_472_603_7),
        (-0.076_526_521_133_497_33, 0.152_753_387_130_725_9),
    ],
];

const TWO_PI: f64 = std::f64::consts::TAU;

/// TVPACK's rule for |ρ|: 6 points below 0.3, 12 below 0.75, else 20. (0.3 is compared as the
/// single-precision constant of its source.)
fn rule(r: f64) -> &'static [(f64, f64)] {
    if r.abs() < f64::from(0.3f32) {
        NODES[0]
    } else if r.abs() < 0.75 {
        NODES[1]
    } else {
        NODES[2]
    }
}

/// Below this |ρ| (single precision 0.925, as in TVPACK), Drezner & Wesolowsky's integral.
fn is_small(r: f64) -> bool {
    r.abs() < f64::from(0.925f32)
}

/// What the quadrature of the |ρ| < 0.925 branch needs of ρ alone: `asin ρ`, and at every node
/// `sin θ` and `1 − sin² θ`. Computed once for a ρ and shared by all corners of a table; the
/// values are those each corner would compute.
pub(crate) struct Small {
    asr: f64,
    /// (weight, sin θ, 1 − sin² θ) per node, in TVPACK's order.
    nodes: Vec<(f64, f64, f64)>,
}

impl Small {
    /// `None` when |ρ| ≥ 0.925 (the other branch) or ρ = 0 (no quadrature).
    pub(crate) fn new(r: f64) -> Option<Small> {
        if !is_small(r) || r.abs() <= 0.0 {
            return None;
        }
        let asr = r.asin();
        let mut nodes = Vec::with_capacity(20);
        for &(x, w) in rule(r) {
            for sign in [-1.0, 1.0] {
                let sn = (asr * (sign * x + 1.0) / 2.0).sin();
                nodes.push((w, sn, 1.0 - sn * sn));
            }
        }
        Some(Small { asr, nodes })
    }

    /// P(X > h, Y > k), given `phs = Φ(−h)·Φ(−k)`.
    pub(crate) fn upper(&self, h: f64, k: f64, phs: f64) -> f64 {
        let hk = h * k;
        let hs = (h * h + k * k) / 2.0;
        let mut bvn = 0.0;
        for &(w, sn, den) in &self.nodes {
            bvn += w * ((sn * hk - hs) / den).exp();
        }
        bvn * self.asr / (2.0 * TWO_PI) + phs
    }
}

/// P(X > h, Y > k) for finite h, k (TVPACK's BVND).
pub(crate) fn upper(h: f64, k: f64, r: f64) -> f64 {
    if is_small(r) {
        let phs = pnorm(-h) * pnorm(-k);
        return match Small::new(r) {
            Some(s) => s.upper(h, k, phs),
            None => 0.0 + phs,
        };
    }
    let nodes = rule(r);
    let (h, mut k) = (h, k);
    let mut hk = h * k;
    let mut bvn = 0.0;
    if r < 0.0 {
        k = -k;
        hk = -hk;
    }
    if r.abs() < 1.0 {
        let as_ = (1.0 - r) * (1.0 + r);
        let mut a = as_.sqrt();
        let bs = (h - k) * (h - k);
        let c = (4.0 - hk) / 8.0;
        let d = (12.0 - hk) / 16.0;
        let asr = -(bs / as_ + hk) / 2.0;
        if asr > -100.0 {
            bvn = a
                * asr.exp()
                * (1.0 - c * (bs - as_) * (1.0 - d * bs / 5.0) / 3.0 + c * d * as_ * as_ / 5.0);
        }
        if -hk < 100.0 {
            let b = bs.sqrt();
            bvn -= (-hk / 2.0).exp()
                * TWO_PI.sqrt()
                * pnorm(-b / a)
                * b
                * (1.0 - c * bs * (1.0 - d * bs / 5.0) / 3.0);
        }
        a /= 2.0;
        for &(x, w) in nodes {
            for sign in [-1.0, 1.0] {
                let t = a * (sign * x + 1.0);
                let xs = t * t;
                let rs = (1.0 - xs).sqrt();
                let asr = -(bs / xs + hk) / 2.0;
                if asr > -100.0 {
                    bvn += a
                        * w
                        * asr.exp()
                        * ((-hk * (1.0 - rs) / (2.0 * (1.0 + rs))).exp() / rs
                            - (1.0 + c * xs * (1.0 + d * xs)));
                }
            }
        }
        bvn = -bvn / TWO_PI;
    }
    if r > 0.0 {
        bvn + pnorm(-h.max(k))
    } else {
        let mut v = -bvn;
        if k > h {
            v = v + pnorm(k) - pnorm(h);
        }
        v
    }
}

/// Φ₂(a, b; r) = P(X ≤ a, Y ≤ b), for any a, b in [−∞, +∞] and −1 < r < 1 (TVPACK's
/// `BVND(−a, −b, r)`; Φ(b) or Φ(a) when the other is +∞).
pub(crate) fn cdf(a: f64, b: f64, r: f64) -> f64 {
    if a == f64::NEG_INFINITY || b == f64::NEG_INFINITY {
        return 0.0;
    }
    if a == f64::INFINITY {
        return pnorm(b);
    }
    if b == f64::INFINITY {
        return pnorm(a);
    }
    upper(-a, -b, r)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::f64::consts::PI;

    #[test]
    fn known_values() {
        // Φ₂(0, 0; r) = 1/4 + asin(r)/(2π), in each branch of the method.
        for r in [
            -0.99, -0.95, -0.8, -0.5, -0.1, 0.0, 0.2, 0.6, 0.9, 0.93, 0.999,
        ] {
            let want = 0.25 + f64::asin(r) / (2.0 * PI);
            assert!((cdf(0.0, 0.0, r) - want).abs() < 1e-15, "{r}");
        }
        // Independence, and the symmetries of the distribution.
        assert!((cdf(0.7, -0.3, 0.0) - pnorm(0.7) * pnorm(-0.3)).abs() < 1e-15);
        for (a, b, r) in [(0.4, -1.1, 0.5), (1.3, 0.2, -0.96), (-2.0, 1.5, 0.97)] {
            let lhs = cdf(a, b, r);
            assert!((lhs - cdf(b, a, r)).abs() < 1e-15);
            // P(X ≤ a, Y ≤ b) + P(X ≤ a, Y > b) = Φ(a), with P(X ≤ a, −Y < −b) = Φ₂(a, −b; −r).
            assert!(
                (lhs + cdf(a, -b, -r) - pnorm(a)).abs() < 1e-15,
                "{a} {b} {r}"
            );
        }
        // The rules integrate constants exactly.
        for nodes in NODES {
            let total: f64 = nodes.iter().map(|x| 2.0 * x.1).sum();
            assert!((total - 2.0).abs() < 1e-14);
        }
        // The shared quadrature is the one of a single corner, bit for bit.
        let s = Small::new(0.41).unwrap();
        let (h, k) = (-0.3, 1.2);
        assert_eq!(s.upper(h, k, pnorm(-h) * pnorm(-k)), upper(h, k, 0.41));
    }
}
