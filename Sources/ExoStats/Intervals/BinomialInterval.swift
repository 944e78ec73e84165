/// Confidence intervals for a binomial proportion p = k / n.
public enum BinomialInterval: String, Sendable, Codable, CaseIterable {
    /// Wilson's score interval (Wilson 1927, doi:10.1080/01621459.1927.10502953). Stays inside [0, 1]
    /// and keeps its coverage near p = 0 or 1 and for small n; ExoScope's default.
    case wilson
    /// The Wald interval p ± z·√(p(1−p)/n), clamped to [0, 1]. Poor near 0 and 1, but it is what
    /// Bio-Rad QuantaSoft prints for droplet digital PCR, so it reproduces instrument reports.
    case wald

    /// The interval for `successes` of `trials` at a two-sided confidence `level`.
    ///
    /// - Parameters:
    ///   - successes: k, 0 ≤ k ≤ n.
    ///   - trials: n > 0.
    ///   - level: the confidence level, 0.95 for a 95 % interval.
    /// - Returns: the lower and upper bound of p.
    public func interval(successes: Int, trials: Int, level: Double = 0.95) -> ClosedRange<Double> {
        precondition(trials > 0 && successes >= 0 && successes <= trials, "invalid binomial \(successes)/\(trials)")
        let n = Double(trials)
        let p = Double(successes) / n
        let z = Normal.twoSidedCritical(level: level)
        switch self {
        case .wilson:
            let denominator = 1 + z * z / n
            let center = (p + z * z / (2 * n)) / denominator
            let half = z * (p * (1 - p) / n + z * z / (4 * n * n)).squareRoot() / denominator
            // At k = 0 and k = n the bounds are exactly 0 and 1; rounding must not move them inside.
            let lower = successes == 0 ? 0 : max(0, center - half)
            let upper = successes == trials ? 1 : min(1, center + half)
            return lower...upper
        case .wald:
            let half = z * (p * (1 - p) / n).squareRoot()
            return max(0, p - half)...min(1, p + half)
        }
    }
}
