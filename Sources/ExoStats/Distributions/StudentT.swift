#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Student's t distribution with ν degrees of freedom.
public struct StudentT: Sendable, Hashable {
    /// Degrees of freedom, > 0 (need not be an integer: Welch's test gives fractional ν).
    public let degreesOfFreedom: Double

    /// Creates the distribution.
    public init(degreesOfFreedom: Double) {
        precondition(degreesOfFreedom > 0, "degrees of freedom \(degreesOfFreedom) must be positive")
        self.degreesOfFreedom = degreesOfFreedom
    }

    /// P(T ≤ t), from the incomplete beta function: P(|T| > |t|) = I_{ν/(ν+t²)}(ν/2, 1/2).
    public func cdf(_ t: Double) -> Double {
        guard !t.isNaN else { return .nan }
        if t.isInfinite { return t > 0 ? 1 : 0 }
        let tail = twoSidedPValue(t) / 2
        return t > 0 ? 1 - tail : tail
    }

    /// The two-sided p-value P(|T| ≥ |t|), computed without cancellation.
    public func twoSidedPValue(_ t: Double) -> Double {
        guard !t.isNaN else { return .nan }
        if t.isInfinite { return 0 }
        let nu = degreesOfFreedom
        let t2 = t * t
        return SpecialFunctions.regularizedIncompleteBeta(nu / (nu + t2), a: nu / 2, b: 0.5, complement: t2 / (nu + t2))
    }

    /// The quantile: t with P(T ≤ t) = p, which by symmetry is −``upperQuantile(_:)`` of p.
    public func quantile(_ p: Double) -> Double { -upperQuantile(p) }

    /// The upper tail P(T > t), without cancellation.
    public func upperTail(_ t: Double) -> Double {
        let half = twoSidedPValue(t) / 2
        return t >= 0 ? half : 1 - half
    }

    /// The t with P(T > t) = q, solved on the upper tail itself so that tiny q keep full relative precision
    /// (R's `qt(q, df, lower.tail = FALSE)`).
    public func upperQuantile(_ q: Double) -> Double {
        guard q > 0, q < 1 else { return q == 0 ? .infinity : (q == 1 ? -.infinity : .nan) }
        if q > 0.5 { return -upperQuantile(1 - q) }
        if q == 0.5 { return 0 }
        var low = 0.0
        var high = 1.0
        while upperTail(high) > q { high *= 2 }
        var t = min(max(-Normal.quantile(q), low), high)
        for _ in 0..<200 {
            let f = upperTail(t) - q
            if f < 0 { high = t } else { low = t }
            let density = self.density(t)
            var next = t + f / density
            if !(next > low && next < high) || density <= 0 { next = (low + high) / 2 }
            if abs(next - t) <= 1e-15 * max(1, abs(t)) { return next }
            t = next
        }
        return t
    }

    /// The probability density.
    public func density(_ t: Double) -> Double {
        let nu = degreesOfFreedom
        let logDensity =
            lgamma((nu + 1) / 2) - lgamma(nu / 2) - 0.5 * log(nu * Double.pi) - (nu + 1) / 2 * log1p(t * t / nu)
        return exp(logDensity)
    }
}
