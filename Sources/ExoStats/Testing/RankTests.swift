/// Rank-based tests of association between a measurement and a grouping or a second measurement.
public enum RankTests {
    /// A test's statistic and two-sided p-value.
    public struct Result: Sendable, Hashable, Codable {
        public var statistic: Double
        public var p: Double
        /// Degrees of freedom (Kruskal–Wallis χ², Spearman's t), when the reference distribution has them.
        public var degreesOfFreedom: Double?
        /// The standardised statistic (Jonckheere–Terpstra z).
        public var z: Double?
    }

    /// Average ranks (1-based, ties sharing the mean of their ranks) and the sizes of the tied runs.
    public static func averageRanks(_ values: [Double]) -> (ranks: [Double], ties: [Int]) {
        let order = values.indices.sorted { values[$0] < values[$1] }
        var ranks = [Double](repeating: 0, count: values.count)
        var ties: [Int] = []
        var start = 0
        while start < order.count {
            var end = start
            while end + 1 < order.count, values[order[end + 1]] == values[order[start]] { end += 1 }
            let rank = Double(start + end + 2) / 2
            for position in start...end { ranks[order[position]] = rank }
            if end > start { ties.append(end - start + 1) }
            start = end + 1
        }
        return (ranks, ties)
    }

    /// The Kruskal–Wallis test that k groups come from one distribution.
    ///
    /// H with the tie correction, against χ² on k − 1 degrees of freedom (R's `kruskal.test`). `nil` with fewer
    /// than two non-empty groups.
    public static func kruskalWallis(_ groups: [[Double]]) -> Result? {
        let groups = groups.filter { !$0.isEmpty }
        guard groups.count >= 2 else { return nil }
        let (ranks, ties) = averageRanks(groups.flatMap { $0 })
        let n = Double(ranks.count)
        var offset = 0
        var sum = 0.0
        for group in groups {
            let rankSum = ranks[offset..<(offset + group.count)].reduce(0, +)
            sum += rankSum * rankSum / Double(group.count)
            offset += group.count
        }
        let correction = 1 - ties.reduce(0.0) { $0 + Double($1 * $1 * $1 - $1) } / (n * n * n - n)
        guard correction > 0 else { return nil }
        let h = (12 / (n * (n + 1)) * sum - 3 * (n + 1)) / correction
        let df = Double(groups.count - 1)
        return Result(statistic: h, p: ChiSquare(degreesOfFreedom: df).upperTail(h), degreesOfFreedom: df)
    }

    /// Spearman's rank correlation ρ, the Pearson correlation of the average ranks.
    ///
    /// The p-value is that of t = ρ√((n − 2)/(1 − ρ²)) on n − 2 degrees of freedom, R's
    /// `cor.test(method = "spearman", exact = FALSE)`. `nil` below three pairs or when either variable is constant.
    public static func spearman(_ x: [Double], _ y: [Double]) -> Result? {
        guard x.count == y.count, x.count >= 3 else { return nil }
        let rx = averageRanks(x).ranks
        let ry = averageRanks(y).ranks
        let n = Double(x.count)
        let mean = (n + 1) / 2
        var sxy = 0.0
        var sxx = 0.0
        var syy = 0.0
        for (a, b) in zip(rx, ry) {
            sxy += (a - mean) * (b - mean)
            sxx += (a - mean) * (a - mean)
            syy += (b - mean) * (b - mean)
        }
        guard sxx > 0, syy > 0 else { return nil }
        let rho = sxy / (sxx * syy).squareRoot()
        let df = n - 2
        let p: Double
        if abs(rho) >= 1 {
            p = 0
        } else {
            p = StudentT(degreesOfFreedom: df).twoSidedPValue(rho * (df / (1 - rho * rho)).squareRoot())
        }
        return Result(statistic: rho, p: p, degreesOfFreedom: df)
    }

    /// The Jonckheere–Terpstra test for a trend across ordered groups (such as stage I < II < III < IV).
    ///
    /// J counts, over every pair of groups i < j, the pairs of values with the later group's higher (ties ½).
    /// Its null mean is (N² − Σnᵢ²)/4 and its variance the tie-corrected one of Hollander & Wolfe (1999, eq.
    /// 6.19); z = (J − mean)/SD against the normal distribution, two-sided. Positive z means values rise along the
    /// order. `nil` with fewer than two non-empty groups or no variance.
    public static func jonckheereTerpstra(_ orderedGroups: [[Double]]) -> Result? {
        let groups = orderedGroups.filter { !$0.isEmpty }
        guard groups.count >= 2 else { return nil }
        var j = 0.0
        for first in groups.indices {
            let lower = groups[first].sorted()
            for second in (first + 1)..<groups.count {
                for value in groups[second] {
                    let below = ROCCurve.lowerBound(lower, value)
                    let equal = ROCCurve.upperBound(lower, value) - below
                    j += Double(below) + 0.5 * Double(equal)
                }
            }
        }
        let sizes = groups.map { Double($0.count) }
        let n = sizes.reduce(0, +)
        let ties = averageRanks(groups.flatMap { $0 }).ties.map(Double.init)
        let mean = (n * n - sizes.reduce(0) { $0 + $1 * $1 }) / 4
        let term = { (values: [Double], f: (Double) -> Double) in values.reduce(0) { $0 + f($1) } }
        let variance =
            (n * (n - 1) * (2 * n + 5) - term(sizes) { $0 * ($0 - 1) * (2 * $0 + 5) }
                - term(ties) { $0 * ($0 - 1) * (2 * $0 + 5) }) / 72
            + term(sizes) { $0 * ($0 - 1) * ($0 - 2) } * term(ties) { $0 * ($0 - 1) * ($0 - 2) }
            / (36 * n * (n - 1) * (n - 2))
            + term(sizes) { $0 * ($0 - 1) } * term(ties) { $0 * ($0 - 1) } / (8 * n * (n - 1))
        guard variance > 0 else { return nil }
        let z = (j - mean) / variance.squareRoot()
        return Result(statistic: j, p: Normal.twoSidedPValue(z), z: z)
    }
}
