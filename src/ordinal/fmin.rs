//! Brent's minimiser on an interval (Brent 1973, *Algorithms for Minimization without
//! Derivatives*, ch. 5, procedure `localmin`), in the variant R's `optimize` uses: golden
//! section and successive parabolic interpolation, never evaluating f at two points closer
//! than `√ε·|x| + tol/3`, stopping when the bracket around the best point is within twice
//! that. Deterministic: its path depends only on the values f returns.

/// The x in [ax, bx] where f is (locally) smallest, to `√ε·|x| + tol/3`. A non-finite f(x)
/// is taken as `f64::MAX`, as R does.
pub(crate) fn fmin(ax: f64, bx: f64, f: impl Fn(f64) -> f64, tol: f64) -> f64 {
    let f = |x: f64| {
        let v = f(x);
        if v.is_finite() {
            v
        } else {
            f64::MAX
        }
    };
    // (3 − √5)/2, the squared inverse of the golden ratio.
    let c = (3.0 - 5f64.sqrt()) * 0.5;
    let eps = f64::EPSILON.sqrt();
    let (mut a, mut b) = (ax, bx);
    let mut v = a + c * (b - a);
    let (mut w, mut x) = (v, v);
    let (mut d, mut e) = (0.0f64, 0.0f64);
    let mut fx = f(x);
    let (mut fv, mut fw) = (fx, fx);
    let tol3 = tol / 3.0;
    // Each step shrinks the bracket; the bound only guards against a NaN bracket.
    for _ in 0..10_000 {
        let xm = (a + b) * 0.5;
        let tol1 = eps * x.abs() + tol3;
        let t2 = tol1 * 2.0;
        if (x - xm).abs() <= t2 - (b - a) * 0.5 {
            break;
        }
        let (mut p, mut q, mut r) = (0.0f64, 0.0f64, 0.0f64);
        if e.abs() > tol1 {
            // Fit a parabola through (v, fv), (w, fw), (x, fx).
            r = (x - w) * (fx - fv);
            q = (x - v) * (fx - fw);
            p = (x - v) * q - (x - w) * r;
            q = (q - r) * 2.0;
            if q > 0.0 {
                p = -p;
            } else {
                q = -q;
            }
            r = e;
            e = d;
        }
        if p.abs() >= (q * 0.5 * r).abs() || p <= q * (a - x) || p >= q * (b - x) {
            // A golden-section step.
            e = if x < xm { b - x } else { a - x };
            d = c * e;
        } else {
            // A parabolic step, not too close to the ends.
            d = p / q;
            let u = x + d;
            if u - a < t2 || b - u < t2 {
                d = if x >= xm { -tol1 } else { tol1 };
            }
        }
        // Not too close to x either.
        let u = if d.abs() >= tol1 {
            x + d
        } else if d > 0.0 {
            x + tol1
        } else {
            x - tol1
        };
        let fu = f(u);
        if fu <= fx {
            if u < x {
                b = x;
            } else {
                a = x;
            }
            (v, w, x) = (w, x, u);
            (fv, fw, fx) = (fw, fx, fu);
        } else {
            if u < x {
                a = u;
            } else {
                b = u;
            }
            if fu <= fw || w == x {
                (v, fv) = (w, fw);
                (w, fw) = (u, fu);
            } else if fu <= fv || v == x || v == w {
                (v, fv) = (u, fu);
            }
        }
    }
    x
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_minima_to_its_tolerance() {
        let x = fmin(-1.0, 1.0, |x| (x - 0.3) * (x - 0.3), 1e-12);
        assert!((x - 0.3).abs() < 1e-8);
        // R: optimize(function(x) cos(x), c(0, 5), tol = 1e-10)$minimum = 3.141592653...
        let x = fmin(0.0, 5.0, f64::cos, 1e-10);
        assert!((x - std::f64::consts::PI).abs() < 1e-7);
        // A minimum at an end, and a function that is NaN in part of the interval.
        let x = fmin(0.0, 1.0, |x| x, 1e-12);
        assert!(x < 1e-7);
        let x = fmin(
            -1.0,
            1.0,
            |x| if x < 0.0 { f64::NAN } else { (x - 0.5).powi(2) },
            1e-12,
        );
        assert!((x - 0.5).abs() < 1e-7);
    }
}
