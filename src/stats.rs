//! Small distribution helpers over statrs, and R's type-7 quantile. Internal.

use statrs::distribution::{ChiSquared, ContinuousCDF, Normal, StudentsT};

fn std_normal() -> Option<Normal> {
    Normal::new(0.0, 1.0).ok()
}

/// Φ(x).
pub(crate) fn normal_cdf(x: f64) -> Option<f64> {
    std_normal().map(|n| n.cdf(x))
}

/// Φ⁻¹(p) for 0 < p < 1.
pub(crate) fn normal_quantile(p: f64) -> Option<f64> {
    if !(p > 0.0 && p < 1.0) {
        return None;
    }
    std_normal().map(|n| n.inverse_cdf(p))
}

/// Quantile of Student's t with `df` degrees of freedom.
pub(crate) fn t_quantile(p: f64, df: f64) -> Option<f64> {
    if !(p > 0.0 && p < 1.0 && df > 0.0) {
        return None;
    }
    StudentsT::new(0.0, 1.0, df).ok().map(|t| t.inverse_cdf(p))
}

/// Two-sided p-value of a t statistic.
pub(crate) fn t_two_sided_p(t: f64, df: f64) -> Option<f64> {
    if !(t.is_finite() && df > 0.0) {
        return None;
    }
    StudentsT::new(0.0, 1.0, df)
        .ok()
        .map(|d| (2.0 * (1.0 - d.cdf(t.abs()))).clamp(0.0, 1.0))
}

/// Upper tail of the χ² distribution.
pub(crate) fn chi2_sf(x: f64, df: f64) -> Option<f64> {
    if !(x.is_finite() && x >= 0.0 && df > 0.0) {
        return None;
    }
    ChiSquared::new(df)
        .ok()
        .map(|d| (1.0 - d.cdf(x)).clamp(0.0, 1.0))
}

/// R's `quantile(type = 7)` of sorted data: h = (n−1)p, linear interpolation.
pub(crate) fn quantile7(sorted: &[f64], p: f64) -> Option<f64> {
    if sorted.is_empty() || !(0.0..=1.0).contains(&p) {
        return None;
    }
    let h = (sorted.len() - 1) as f64 * p;
    let lo = h.floor() as usize;
    let hi = (lo + 1).min(sorted.len() - 1);
    Some(sorted[lo] + (h - lo as f64) * (sorted[hi] - sorted[lo]))
}

/// [`quantile7`] of unsorted values by selection (O(n), no sort); `v` is reordered. The
/// result is that of the sorted values: the same two order statistics.
pub(crate) fn quantile7_select(v: &mut [f64], p: f64) -> Option<f64> {
    if v.is_empty() || !(0.0..=1.0).contains(&p) {
        return None;
    }
    let h = (v.len() - 1) as f64 * p;
    let lo = h.floor() as usize;
    let (_, x_lo, right) = v.select_nth_unstable_by(lo, f64::total_cmp);
    let x_lo = *x_lo;
    // The next order statistic is the smallest of the values after position lo.
    let x_hi = right.iter().copied().fold(None, |m: Option<f64>, x| {
        Some(m.map_or(x, |m| if x.total_cmp(&m).is_lt() { x } else { m }))
    });
    Some(match x_hi {
        Some(x_hi) => x_lo + (h - lo as f64) * (x_hi - x_lo),
        None => x_lo,
    })
}

/// Mean and sample sd (divisor n−1) of a slice; `None` for fewer than 2 values.
pub(crate) fn mean_sd(v: &[f64]) -> Option<(f64, f64)> {
    if v.len() < 2 {
        return None;
    }
    let n = v.len() as f64;
    let m = v.iter().sum::<f64>() / n;
    let ss: f64 = v.iter().map(|x| (x - m) * (x - m)).sum();
    Some((m, (ss / (n - 1.0)).sqrt()))
}

#[cfg(test)]
mod tests {
    use super::*;
    #[test]
    fn quantiles_as_r() {
        let v = [1.0, 2.0, 3.0, 4.0, 10.0];
        assert_eq!(quantile7(&v, 0.5), Some(3.0));
        for p in [0.0, 0.025, 0.3, 0.5, 0.975, 1.0] {
            let mut w: Vec<f64> = v.iter().rev().copied().collect();
            assert_eq!(quantile7_select(&mut w, p), quantile7(&v, p));
        }
        assert!((quantile7(&v, 0.975).unwrap() - 9.4).abs() < 1e-12);
        assert!((normal_quantile(0.975).unwrap() - 1.959963984540054).abs() < 1e-9);
        assert!((t_two_sided_p(2.0, 10.0).unwrap() - 0.07338803477074).abs() < 1e-9);
        assert!((chi2_sf(3.84145882069412, 1.0).unwrap() - 0.05).abs() < 1e-9);
    }
}
