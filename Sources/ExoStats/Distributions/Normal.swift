#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The standard normal distribution.
public enum Normal {
    /// The quantile function Φ⁻¹(p) of the standard normal distribution.
    ///
    /// Wichura's algorithm AS 241 (PPND16), Applied Statistics 37 (1988) 477–484, doi:10.2307/2347330:
    /// rational approximations with a relative error below 1e-16 over (0, 1).
    ///
    /// - Parameter p: a probability in (0, 1); 0 and 1 give −∞ and +∞, anything else outside [0, 1] NaN.
    /// - Returns: z with Φ(z) = p.
    public static func quantile(_ p: Double) -> Double {
        guard p > 0, p < 1 else {
            if p == 0 { return -.infinity }
            if p == 1 { return .infinity }
            return .nan
        }
        let q = p - 0.5
        if abs(q) <= 0.425 {
            let r = 0.180625 - q * q
            return q
                * polynomial(
                    r,
                    [
                        3.387_132_872_796_366_608, 133.141_667_891_784_377_21, 1_971.590_950_306_551_442_7,
                        13_731.693_765_509_461_125, 45_921.953_931_549_871_457, 67_265.770_927_008_700_853,
                        33_430.575_583_588_128_105, 2_509.080_928_730_122_672_7,
                    ])
                / polynomial(
                    r,
                    [
                        1, 42.313_330_701_600_911_252, 687.187_007_492_057_908_95, 5_394.196_021_424_751_077_1,
                        21_213.794_301_586_595_867, 39_307.895_800_092_710_610, 28_729.085_735_721_942_674,
                        5_226.495_278_852_545_925_4,
                    ])
        }
        var r = q < 0 ? p : 1 - p
        r = (-log(r)).squareRoot()
        let value: Double
        if r <= 5 {
            r -= 1.6
            value =
                polynomial(
                    r,
                    [
                        1.423_437_110_749_683_577_34, 4.630_337_846_156_545_295_90, 5.769_497_221_460_691_405_50,
                        3.647_848_324_763_204_605_04, 1.270_458_252_452_368_382_58, 0.241_780_725_177_450_611_770,
                        0.022_723_844_989_269_184_583_3, 7.745_450_142_783_414_076_60e-4,
                    ])
                / polynomial(
                    r,
                    [
                        1, 2.053_191_626_637_758_821_87, 1.676_384_830_183_803_849_40, 0.689_767_334_985_100_004_550,
                        0.148_103_976_427_480_074_590, 0.015_198_666_563_616_457_208_5, 5.475_938_084_995_344_946_60e-4,
                        1.050_750_071_644_416_843_40e-9,
                    ])
        } else {
            r -= 5
            value =
                polynomial(
                    r,
                    [
                        6.657_904_643_501_103_777_20, 5.463_784_911_164_114_369_90, 1.784_826_539_917_291_335_80,
                        0.296_560_571_828_504_891_230, 0.026_532_189_526_576_123_093_0,
                        0.001_242_660_947_388_078_438_10,
                        2.711_555_568_743_487_578_60e-5, 2.010_334_399_292_288_132_70e-7,
                    ])
                / polynomial(
                    r,
                    [
                        1, 0.599_832_206_555_887_937_690, 0.136_929_880_922_735_805_310,
                        0.014_875_361_290_850_614_852_6,
                        7.868_691_311_456_132_591_40e-4, 1.846_318_317_510_054_681_80e-5,
                        1.421_511_758_316_445_887_70e-7,
                        2.044_263_103_389_939_785_80e-15,
                    ])
        }
        return q < 0 ? -value : value
    }

    /// Φ(z), from the C library's complementary error function: Φ(z) = erfc(−z/√2)/2.
    public static func cdf(_ z: Double) -> Double { 0.5 * erfc(-z / 2.0.squareRoot()) }

    /// P(|Z| ≥ |z|) = erfc(|z|/√2).
    public static func twoSidedPValue(_ z: Double) -> Double { erfc(abs(z) / 2.0.squareRoot()) }

    /// The two-sided critical value z with P(|Z| ≤ z) = `level` (1.959963984540054 for 0.95).
    public static func twoSidedCritical(level: Double) -> Double {
        precondition(level > 0 && level < 1, "confidence level \(level) is outside (0, 1)")
        return quantile(0.5 + level / 2)
    }

    /// Horner evaluation of Σ cᵢ xⁱ.
    private static func polynomial(_ x: Double, _ coefficients: [Double]) -> Double {
        coefficients.reversed().reduce(0) { $0 * x + $1 }
    }
}
