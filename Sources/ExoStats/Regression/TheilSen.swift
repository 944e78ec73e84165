import Foundation

/// The Theil–Sen slope: the median of the slopes between every pair of points with different x, with Sen's (1968)
/// confidence interval (equation 2.6, ties in x and y corrected), as scipy's `stats.theilslopes` computes it.
///
/// The interval takes the slopes ranked (N ∓ z·σ)/2 (rounded half to even, as numpy rounds), where N is the number of
/// slopes and σ² = [n(n−1)(2n+5) − Σ t(t−1)(2t+5) over tied groups in x and in y] / 18.
public struct TheilSen: Sendable, Hashable, Codable {
    public let slope: Double
    /// median(y) − slope · median(x).
    public let intercept: Double
    /// Sen's interval of the slope; `nil` when the ranks fall outside the slopes (too few points).
    public let low: Double?
    public let high: Double?
    public let level: Double

    /// Fits the slope; `nil` with fewer than two points or a single x.
    public init?(x: [Double], y: [Double], level: Double = 0.95) {
        precondition(x.count == y.count, "x has \(x.count) values but y has \(y.count)")
        var slopes: [Double] = []
        for i in x.indices {
            for j in x.indices where x[i] > x[j] { slopes.append((y[i] - y[j]) / (x[i] - x[j])) }
        }
        guard x.count >= 2, !slopes.isEmpty else { return nil }
        slopes.sort()
        self.level = level
        slope = Self.median(slopes)
        intercept = Self.median(y) - slope * Self.median(x)
        let z = Normal.quantile((1 - level) / 2)
        let n = Double(y.count)
        func ties(_ values: [Double]) -> Double {
            var total = 0.0
            for group in Dictionary(grouping: values, by: { $0 }).values where group.count > 1 {
                let t = Double(group.count)
                total += t * (t - 1) * (2 * t + 5)
            }
            return total
        }
        let sigma = ((n * (n - 1) * (2 * n + 5) - ties(x) - ties(y)) / 18).squareRoot()
        let count = Double(slopes.count)
        let upper = min(Int(((count - z * sigma) / 2).rounded(.toNearestOrEven)), slopes.count - 1)
        let lower = max(Int(((count + z * sigma) / 2).rounded(.toNearestOrEven)) - 1, 0)
        if lower < slopes.count, upper >= 0 {
            low = slopes[lower]
            high = slopes[upper]
        } else {
            low = nil
            high = nil
        }
    }

    static func median(_ values: [Double]) -> Double {
        let sorted = values.sorted()
        let middle = sorted.count / 2
        return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
    }
}
