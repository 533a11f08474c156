//! The standard normal distribution function and its quantile, computed operation for
//! operation as R computes `pnorm` and `qnorm`, so that thresholds and cell probabilities
//! round as the peers' do (see the module docs of [`crate::ordinal`] for why that matters).
//!
//! - Φ(x): Cody's rational Chebyshev approximations (W. J. Cody 1969, "Rational Chebyshev
//!   approximations for the error function", Math. Comp. 23; ALGORITHM 715, ACM TOMS 19,
//!   1993), in three ranges (|x| ≤ 0.674…, ≤ √32, beyond), with the tail split
//!   `exp(−x̃²/2)·exp(−δ/2)` at x̃ = trunc(16x)/16 that keeps it accurate.
//! - Φ⁻¹(p): Wichura's AS 241 (Applied Statistics 37, 1988), PPND16, accurate to about 1
//!   part in 10¹⁶.

// The coefficients are written as published, with more digits than a double holds.
#![allow(clippy::excessive_precision)]

/// Φ(x), the standard normal distribution function.
pub(crate) fn pnorm(x: f64) -> f64 {
    const A: [f64; 5] = [
        2.235_252_035_460_683_928_7,
        161.028_231_068_555_878_81,
        1_067.689_485_460_370_958_2,
        18_154.981_253_343_561_249,
        0.065_682_337_918_207_449_113,
    ];
    const B: [f64; 4] = [
        47.202_581_904_688_241_87,
        976.098_551_737_776_693_22,
        10_260.932_208_618_978_205,
        45_507.789_335_026_729_956,
    ];
    const C: [f64; 9] = [
        0.398_941_512_088_134_667_64,
        8.883_149_794_388_375_941_2,
        93.506_656_132_177_855_979,
        597.270_276_394_800_262_26,
        2_494.537_585_290_372_671_1,
        6_848.190_450_536_282_332_6,
        11_602.651_437_647_350_124,
        9_842.714_838_383_978_021_8,
        1.076_557_677_372_019_231_7e-8,
    ];
    const D: [f64; 8] = [
        22.266_688_044_328_115_691,
        235.387_901_782_624_998_61,
        1_519.377_599_407_554_805,
        6_485.558_298_266_760_755,
        18_615.571_640_885_098_091,
        34_900.952_721_145_977_266,
        38_912.003_286_093_271_411,
        19_685.429_676_859_990_727,
    ];
    const P: [f64; 6] = [
        0.215_898_534_057_956_99,
        0.127_401_161_160_247_363_9,
        0.022_235_277_870_649_807,
        0.001_421_619_193_227_893_466,
        2.911_287_495_116_879_2e-5,
        0.023_073_441_764_940_173_03,
    ];
    const Q: [f64; 5] = [
        1.284_260_096_144_911_21,
        0.468_238_212_480_865_118,
        0.065_988_137_868_928_551_5,
        0.003_782_396_332_027_582_44,
        7.297_515_550_839_662_05e-5,
    ];
    /// 1/√(2π).
    const FRAC_1_SQRT_2PI: f64 = 0.398_942_280_401_432_677_939_946_059_934;
    if x.is_nan() {
        return x;
    }
    if x.is_infinite() {
        return if x > 0.0 { 1.0 } else { 0.0 };
    }
    let y = x.abs();
    // exp(−x̃²/2)·exp(−(x − x̃)(x + x̃)/2)·t, x̃ = trunc(16x)/16: Φ(−|x|) from its ratio t.
    let tail = |v: f64, t: f64| {
        let xsq = (v * 16.0).trunc() / 16.0;
        let del = (v - xsq) * (v + xsq);
        (-xsq * xsq * 0.5).exp() * (-del * 0.5).exp() * t
    };
    let cum = if y <= 0.674_489_75 {
        let (mut xnum, mut xden) = (0.0, 0.0);
        if y > f64::EPSILON * 0.5 {
            let xsq = x * x;
            xnum = A[4] * xsq;
            xden = xsq;
            for i in 0..3 {
                xnum = (xnum + A[i]) * xsq;
                xden = (xden + B[i]) * xsq;
            }
        }
        return 0.5 + x * (xnum + A[3]) / (xden + B[3]);
    } else if y <= 32f64.sqrt() {
        let mut xnum = C[8] * y;
        let mut xden = y;
        for i in 0..7 {
            xnum = (xnum + C[i]) * y;
            xden = (xden + D[i]) * y;
        }
        tail(y, (xnum + C[7]) / (xden + D[7]))
    } else if -37.5193 < x && x < 8.2924 {
        let xsq = 1.0 / (x * x);
        let mut xnum = P[5] * xsq;
        let mut xden = xsq;
        for i in 0..4 {
            xnum = (xnum + P[i]) * xsq;
            xden = (xden + Q[i]) * xsq;
        }
        let t = xsq * (xnum + P[4]) / (xden + Q[4]);
        tail(x, (FRAC_1_SQRT_2PI - t) / y)
    } else {
        return if x > 0.0 { 1.0 } else { 0.0 };
    };
    // `cum` is Φ(−|x|).
    if x > 0.0 {
        1.0 - cum
    } else {
        cum
    }
}

/// Φ⁻¹(p) for 0 < p < 1 (±∞ at 1 and 0, NaN outside).
pub(crate) fn qnorm(p: f64) -> f64 {
    if p.is_nan() || !(0.0..=1.0).contains(&p) {
        return f64::NAN;
    }
    if p == 0.0 {
        return f64::NEG_INFINITY;
    }
    if p == 1.0 {
        return f64::INFINITY;
    }
    let q = p - 0.5;
    if q.abs() <= 0.425 {
        let r = 0.180_625 - q * q;
        return q
            * (((((((r * 2_509.080_928_730_122_672_7 + 33_430.575_583_588_128_105) * r
                + 67_265.770_927_008_700_853)
                * r
                + 45_921.953_931_549_871_457)
                * r
                + 13_731.693_765_509_461_125)
                * r
                + 1_971.590_950_306_551_442_7)
                * r
                + 133.141_667_891_784_377_45)
                * r
                + 3.387_132_872_796_366_608)
            / (((((((r * 5_226.495_278_852_854_561 + 28_729.085_735_721_942_674) * r
                + 39_307.895_800_092_710_61)
                * r
                + 21_213.794_301_586_595_867)
                * r
                + 5_394.196_021_424_751_107_7)
                * r
                + 687.187_007_492_057_908_3)
                * r
                + 42.313_330_701_600_911_252)
                * r
                + 1.0);
    }
    // min(p, 1 − p), with 1 − p computed as R does.
    let tail = if q > 0.0 { 0.5 - p + 0.5 } else { p };
    let mut r = (-tail.ln()).sqrt();
    let val = if r <= 5.0 {
        r += -1.6;
        (((((((r * 7.745_450_142_783_414_076_4e-4 + 0.022_723_844_989_269_184_583_3) * r
            + 0.241_780_725_177_450_611_77)
            * r
            + 1.270_458_252_452_368_382_58)
            * r
            + 3.647_848_324_763_204_605_04)
            * r
            + 5.769_497_221_460_691_405_5)
            * r
            + 4.630_337_846_156_545_295_9)
            * r
            + 1.423_437_110_749_683_577_34)
            / (((((((r * 1.050_750_071_644_416_843_24e-9 + 5.475_938_084_995_344_946e-4) * r
                + 0.015_198_666_563_616_457_196_6)
                * r
                + 0.148_103_976_427_480_074_59)
                * r
                + 0.689_767_334_985_100_004_55)
                * r
                + 1.676_384_830_183_803_849_4)
                * r
                + 2.053_191_626_637_758_821_87)
                * r
                + 1.0)
    } else {
        r += -5.0;
        (((((((r * 2.010_334_399_292_288_132_65e-7 + 2.711_555_568_743_487_578_15e-5) * r
            + 0.001_242_660_947_388_078_438_6)
            * r
            + 0.026_532_189_526_576_123_093)
            * r
            + 0.296_560_571_828_504_891_23)
            * r
            + 1.784_826_539_917_291_335_8)
            * r
            + 5.463_784_911_164_114_369_9)
            * r
            + 6.657_904_643_501_103_777_2)
            / (((((((r * 2.044_263_103_389_939_785_64e-15 + 1.421_511_758_316_445_888_7e-7)
                * r
                + 1.846_318_317_510_054_681_8e-5)
                * r
                + 7.868_691_311_456_132_591e-4)
                * r
                + 0.014_875_361_290_850_614_852_5)
                * r
                + 0.136_929_880_922_735_805_31)
                * r
                + 0.599_832_206_555_887_937_69)
                * r
                + 1.0)
    };
    if q < 0.0 {
        -val
    } else {
        val
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_values() {
        // Known values (to about 1e-15 relative) and the inverse relation.
        assert_eq!(pnorm(0.0), 0.5);
        assert!((pnorm(1.959_963_984_540_054) - 0.975).abs() < 2e-16);
        assert!((pnorm(-3.0) - 0.001_349_898_031_630_094_6).abs() < 1e-18);
        assert!((pnorm(-10.0) - 7.619_853_024_160_527e-24).abs() < 1e-37);
        assert!((pnorm(6.0) - (1.0 - 9.865_876_450_376_98e-10)).abs() < 2e-16);
        assert_eq!(pnorm(f64::NEG_INFINITY), 0.0);
        assert_eq!(pnorm(f64::INFINITY), 1.0);
        assert!((qnorm(0.975) - 1.959_963_984_540_054).abs() < 1e-15);
        assert!((qnorm(0.001) + 3.090_232_306_167_813_5).abs() < 1e-15);
        assert!((qnorm(1e-20) + 9.262_340_089_798_408).abs() < 1e-14);
        assert_eq!(qnorm(0.5), 0.0);
        for p in [1e-12, 0.003, 0.07, 0.2, 0.5, 0.8, 0.93, 0.999] {
            assert!(
                (pnorm(qnorm(p)) - p).abs() < 1e-15 * p.max(1e-3) * 10.0,
                "{p}"
            );
        }
        assert!(qnorm(1.5).is_nan() && qnorm(f64::NAN).is_nan());
    }
}
