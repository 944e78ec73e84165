#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

extension SpecialFunctions {
    /// The digamma function ψ(x) = d/dx ln Γ(x), for x > 0.
    ///
    /// Shifted by the recurrence ψ(x) = ψ(x + 1) − 1/x until x ≥ 10, then the asymptotic series in 1/x²
    /// (DLMF 5.11.2) to the x⁻¹⁴ term: relative accuracy about 1e-15.
    public static func digamma(_ x: Double) -> Double {
        guard x > 0, x.isFinite else { return x == .infinity ? .infinity : .nan }
        var value = x
        var shift = 0.0
        while value < 10 {
            shift -= 1 / value
            value += 1
        }
        let r = 1 / (value * value)
        let series =
            r
            * (1.0 / 12 - r
                * (1.0 / 120 - r * (1.0 / 252 - r * (1.0 / 240 - r * (1.0 / 132 - r * (691.0 / 32760 - r / 12))))))
        return shift + log(value) - 0.5 / value - series
    }

    /// The trigamma function ψ′(x), for x > 0: recurrence ψ′(x) = ψ′(x + 1) + 1/x² to x ≥ 10, then the
    /// asymptotic series (DLMF 5.15.8); relative accuracy about 1e-15.
    public static func trigamma(_ x: Double) -> Double {
        guard x > 0, x.isFinite else { return x == .infinity ? 0 : .nan }
        var value = x
        var shift = 0.0
        while value < 10 {
            shift += 1 / (value * value)
            value += 1
        }
        let r = 1 / (value * value)
        let series =
            1 / value + r / 2
            + r / value
            * (1.0 / 6 - r
                * (1.0 / 30 - r * (1.0 / 42 - r * (1.0 / 30 - r * (5.0 / 66 - r * (691.0 / 2730 - r * 7 / 6))))))
        return shift + series
    }

    /// The tetragamma function ψ″(x), for x > 0: recurrence ψ″(x) = ψ″(x + 1) − 2/x³ to x ≥ 10, then the
    /// asymptotic series; relative accuracy about 1e-15.
    public static func tetragamma(_ x: Double) -> Double {
        guard x > 0, x.isFinite else { return x == .infinity ? 0 : .nan }
        var value = x
        var shift = 0.0
        while value < 10 {
            shift -= 2 / (value * value * value)
            value += 1
        }
        let r = 1 / (value * value)
        let series =
            -r - r / value
            - r * r
            * (0.5 - r * (1.0 / 6 - r * (1.0 / 6 - r * (3.0 / 10 - r * (5.0 / 6 - r * (691.0 / 210 - r * 35 / 2))))))
        return shift + series
    }

    /// The y > 0 with ψ′(y) = x (x > 0), by limma's Newton iteration from y = 0.5 + 1/x (Smyth 2004), to a
    /// relative step below 1e-8 as limma stops, then refined to full precision.
    public static func trigammaInverse(_ x: Double) -> Double {
        guard x > 0, x.isFinite else { return x == .infinity ? 0 : .nan }
        if x > 1e7 { return 1 / x.squareRoot() }
        if x < 1e-6 { return 1 / x }
        var y = 0.5 + 1 / x
        for _ in 0..<50 {
            let tri = trigamma(y)
            let step = tri * (1 - tri / x) / tetragamma(y)
            y += step
            if -step / y < 1e-15 { break }
        }
        return y
    }
}
