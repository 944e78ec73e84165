#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Classical two-sample tests, as R's `t.test` and `wilcox.test` compute them.
public enum TwoSampleTests {
    /// A test result: the statistic, its two-sided p-value and, for Welch, the degrees of freedom.
    public struct Result: Sendable, Hashable {
        public var statistic: Double
        public var p: Double
        public var degreesOfFreedom: Double?
        /// Whether the Mann–Whitney p-value is exact (small samples without ties) or the normal approximation.
        public var exact: Bool
    }

    /// Welch's unequal-variance t test of mean(x) − mean(y) (R `t.test(x, y)`); `nil` below two values in a
    /// group or with both variances zero.
    public static func welch(_ x: [Double], _ y: [Double]) -> Result? {
        guard x.count >= 2, y.count >= 2 else { return nil }
        guard let mx = Descriptive.mean(x), let vx = Descriptive.variance(x), let my = Descriptive.mean(y),
            let vy = Descriptive.variance(y)
        else { return nil }
        let sx = vx / Double(x.count)
        let sy = vy / Double(y.count)
        guard sx + sy > 0 else { return nil }
        let t = (mx - my) / (sx + sy).squareRoot()
        let df = (sx + sy) * (sx + sy) / (sx * sx / Double(x.count - 1) + sy * sy / Double(y.count - 1))
        return Result(
            statistic: t, p: StudentT(degreesOfFreedom: df).twoSidedPValue(t), degreesOfFreedom: df, exact: false)
    }

    /// The Mann–Whitney U test (R `wilcox.test(x, y)`), W = rank sum of x − m(m+1)/2.
    ///
    /// The p-value is exact when both groups have fewer than 50 values and there are no ties (R's default);
    /// otherwise the normal approximation with tie correction and continuity correction. When every value is the
    /// same the p-value is NaN, as R's.
    public static func mannWhitney(_ x: [Double], _ y: [Double]) -> Result? {
        guard !x.isEmpty, !y.isEmpty else { return nil }
        let m = x.count
        let n = y.count
        var pooled = x.map { ($0, true) } + y.map { ($0, false) }
        pooled.sort { $0.0 < $1.0 }
        var rankSum = 0.0
        var tieTerm = 0.0
        var start = 0
        while start < pooled.count {
            var end = start
            while end + 1 < pooled.count, pooled[end + 1].0 == pooled[start].0 { end += 1 }
            let rank = Double(start + end + 2) / 2
            let size = Double(end - start + 1)
            tieTerm += size * size * size - size
            for index in start...end where pooled[index].1 { rankSum += rank }
            start = end + 1
        }
        let w = rankSum - Double(m * (m + 1)) / 2
        if m < 50, n < 50, tieTerm == 0 {
            let counts = mannWhitneyCounts(m, n)
            let total = counts.reduce(0, +)
            let q = Int(w.rounded())
            // R: p = 2·min(P(W ≤ q), P(W ≥ q)), capped at 1.
            let lower = counts[0...q].reduce(0, +) / total
            let upper = counts[q...].reduce(0, +) / total
            return Result(statistic: w, p: min(1, 2 * min(lower, upper)), degreesOfFreedom: nil, exact: true)
        }
        let mm = Double(m)
        let nn = Double(n)
        let z0 = w - mm * nn / 2
        let sigma = (mm * nn / 12 * ((mm + nn + 1) - tieTerm / ((mm + nn) * (mm + nn - 1)))).squareRoot()
        // Every value tied: R's z is 0/0 and its p-value NaN, which p.adjust then leaves out of the count.
        guard sigma > 0 else { return Result(statistic: w, p: .nan, degreesOfFreedom: nil, exact: false) }
        let correction = z0 == 0 ? 0 : (z0 > 0 ? 0.5 : -0.5)
        let z = (z0 - correction) / sigma
        return Result(statistic: w, p: Normal.twoSidedPValue(z), degreesOfFreedom: nil, exact: false)
    }

    /// The number of arrangements giving each U = 0 … m·n (the exact null distribution of W).
    static func mannWhitneyCounts(_ m: Int, _ n: Int) -> [Double] {
        // counts[j][u]: arrangements of j values of x among the first values, by dynamic programming over the
        // recurrence f(m, n, u) = f(m − 1, n, u − n) + f(m, n − 1, u).
        var table = [[Double]](repeating: [Double](repeating: 0, count: m * n + 1), count: m + 1)
        for j in 0...m { table[j][0] = 1 }
        if n == 0 { return table[m] }
        var previous = table
        for k in 1...n {
            var current = [[Double]](repeating: [Double](repeating: 0, count: m * n + 1), count: m + 1)
            current[0][0] = 1
            for j in 1...max(m, 1) where j <= m {
                for u in 0...(j * k) {
                    var value = previous[j][u]
                    if u >= k { value += current[j - 1][u - k] }
                    current[j][u] = value
                }
            }
            previous = current
        }
        return previous[m]
    }
}
