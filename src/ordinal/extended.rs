//! Summation in x87 extended precision (64-bit significand, round to nearest even at every
//! addition, the total rounded to a double at the end): how R's `sum()` adds doubles on
//! x86-64, where its accumulator is a `long double`. Emulated exactly with integers, so the
//! result is the same on any machine.

/// A finite value `m · 2^e` (|m| < 2¹²⁶).
#[derive(Clone, Copy)]
struct Exact {
    m: i128,
    e: i32,
}

impl Exact {
    fn from_f64(x: f64) -> Exact {
        let bits = x.to_bits();
        let exp = ((bits >> 52) & 0x7ff) as i32;
        let frac = i128::from(bits & ((1u64 << 52) - 1));
        let (m, e) = if exp == 0 {
            (frac, -1074)
        } else {
            (frac | (1i128 << 52), exp - 1075)
        };
        Exact {
            m: if bits >> 63 == 1 { -m } else { m },
            e,
        }
    }

    /// Rounded to `bits` significant bits, ties to even.
    fn round(self, bits: u32) -> Exact {
        let mag = self.m.unsigned_abs();
        let len = 128 - mag.leading_zeros();
        if len <= bits {
            return self;
        }
        let sh = len - bits;
        let mut q = mag >> sh;
        let rem = mag & ((1u128 << sh) - 1);
        let half = 1u128 << (sh - 1);
        if rem > half || (rem == half && q & 1 == 1) {
            q += 1;
        }
        // q ≤ 2^bits ≤ 2^64: fits.
        let q = q as i128;
        Exact {
            m: if self.m < 0 { -q } else { q },
            e: self.e + sh as i32,
        }
    }

    /// The exact sum, or a stand-in that rounds the same to 64 bits: when the smaller term
    /// lies more than 60 bits below the larger, its bits below that are folded into a sticky
    /// bit (the sum then has more than 60 bits below its 64th, so no tie is affected).
    fn add(self, o: Exact) -> Exact {
        if self.m == 0 {
            return o;
        }
        if o.m == 0 {
            return self;
        }
        let (hi, lo) = if self.e >= o.e { (self, o) } else { (o, self) };
        let shift = (hi.e - lo.e).min(60);
        // Both at exponent base − 1 (one extra bit for the sticky bit).
        let base = hi.e - shift - 1;
        let up = |x: Exact| x.m << (x.e - base);
        if lo.e >= base {
            return Exact {
                m: up(hi) + up(lo),
                e: base,
            };
        }
        let d = (base - lo.e) as u32;
        // floor(lo / 2^d), and whether anything was left below.
        let (kept, lost) = if d >= 127 {
            (if lo.m < 0 { -1 } else { 0 }, true)
        } else {
            (lo.m >> d, lo.m & ((1i128 << d) - 1) != 0)
        };
        // exact = up(hi) + kept + f, 0 ≤ f < 1 (f > 0 iff lost): the odd stand-in keeps it
        // strictly between the neighbours.
        let m = up(hi) + kept;
        Exact {
            m: if lost { (m << 1) | 1 } else { m << 1 },
            e: base - 1,
        }
    }

    fn to_f64(self) -> f64 {
        let r = self.round(53);
        // Without trailing zero bits, so that a subnormal total keeps its exponent in range.
        let tz = if r.m == 0 { 0 } else { r.m.trailing_zeros() };
        let r = Exact {
            m: r.m >> tz,
            e: r.e + tz as i32,
        };
        // |m| < 2^54 and the exponent is that of a normal double here (the inputs are
        // doubles and the partial sums are bounded by their total magnitude).
        (r.m as f64) * pow2(r.e)
    }
}

/// 2^e, exactly, over the normal and subnormal range (0 below, ∞ above).
fn pow2(e: i32) -> f64 {
    if e > 1023 {
        f64::INFINITY
    } else if e >= -1022 {
        f64::from_bits(((e + 1023) as u64) << 52)
    } else if e >= -1074 {
        f64::from_bits(1u64 << (e + 1074))
    } else {
        0.0
    }
}

/// Σ terms as R's `sum()` computes it on x86-64 (a `long double` accumulator). A non-finite
/// term gives the plain sum (±∞ or NaN).
pub(crate) fn sum(terms: impl IntoIterator<Item = f64>) -> f64 {
    let mut acc = Exact { m: 0, e: 0 };
    let mut plain = 0.0;
    let mut finite = true;
    for t in terms {
        plain += t;
        if !t.is_finite() {
            finite = false;
        }
        if finite {
            acc = acc.add(Exact::from_f64(t)).round(64);
        }
    }
    if finite {
        acc.to_f64()
    } else {
        plain
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rounds_as_the_x87_does() {
        assert_eq!(sum([]), 0.0);
        assert_eq!(sum([1.5, -2.25, 4.0]), 3.25);
        // 1 + 2⁻⁵³ + 2⁻⁵³: in doubles each addition is lost; in extended precision they add
        // up to 2⁻⁵², which survives the final rounding.
        let u = f64::EPSILON / 2.0;
        assert_eq!(sum([1.0, u, u]), 1.0 + f64::EPSILON);
        assert_eq!(1.0 + u + u, 1.0);
        // 2⁶⁴ + 1 − 2⁶⁴: the 1 is below the 64-bit significand of 2⁶⁴, and is lost.
        let big = 2f64.powi(64);
        assert_eq!(sum([big, 1.0, -big]), 0.0);
        // 2⁶³ + 1 − 2⁶³ keeps it.
        let big = 2f64.powi(63);
        assert_eq!(sum([big, 1.0, -big]), 1.0);
        // A tie at the 64th bit goes to even; a far smaller part (the sticky bit) breaks it.
        let t = 2f64.powi(-64);
        let t_more = t * (1.0 + f64::EPSILON);
        assert_eq!(sum([1.0, t, -1.0]), 0.0);
        assert_eq!(sum([1.0, t_more, -1.0]), 2.0 * t);
        // Below 1 the spacing halves: 1 − t_more rounds to 1 − 2⁻⁶⁴.
        assert_eq!(sum([1.0, -t_more, -1.0]), -t);
        assert!(sum([1.0, f64::NAN]).is_nan());
        assert_eq!(sum([1.0, f64::NEG_INFINITY]), f64::NEG_INFINITY);
        // Subnormal and tiny values.
        assert_eq!(sum([5e-324, 5e-324]), 1e-323);
    }
}
