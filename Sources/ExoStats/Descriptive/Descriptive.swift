/// Descriptive statistics over `Double` samples.
///
/// Conventions: NaN values are the caller's to remove; empty input returns `nil`; the standard
/// deviation uses n − 1 (R's `sd`); quantiles are R's default type 7 (Hyndman & Fan 1996,
/// doi:10.2307/2684934), linear interpolation between order statistics.
public enum Descriptive {
    /// The arithmetic mean, or `nil` for no values.
    public static func mean(_ values: [Double]) -> Double? {
        guard !values.isEmpty else { return nil }
        return values.reduce(0, +) / Double(values.count)
    }

    /// The sample variance (denominator n − 1), or `nil` for fewer than two values.
    public static func variance(_ values: [Double]) -> Double? {
        guard values.count >= 2, let mean = mean(values) else { return nil }
        return values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(values.count - 1)
    }

    /// The sample standard deviation (denominator n − 1), or `nil` for fewer than two values.
    public static func standardDeviation(_ values: [Double]) -> Double? {
        variance(values)?.squareRoot()
    }

    /// The `p` quantile by R's type 7, `p` in [0, 1].
    ///
    /// - Complexity: O(n log n) for the sort.
    public static func quantile(_ values: [Double], _ p: Double) -> Double? {
        precondition((0...1).contains(p), "quantile probability \(p) is outside [0, 1]")
        guard !values.isEmpty else { return nil }
        let sorted = values.sorted()
        let h = Double(sorted.count - 1) * p
        let lower = Int(h.rounded(.down))
        let upper = min(lower + 1, sorted.count - 1)
        return sorted[lower] + (h - Double(lower)) * (sorted[upper] - sorted[lower])
    }

    /// The median (type-7 quantile at 0.5).
    public static func median(_ values: [Double]) -> Double? { quantile(values, 0.5) }

    /// Minimum, lower quartile, median, upper quartile and maximum.
    public static func fiveNumberSummary(_ values: [Double]) -> FiveNumberSummary? {
        guard let min = values.min(), let max = values.max(), let q1 = quantile(values, 0.25),
            let median = quantile(values, 0.5), let q3 = quantile(values, 0.75)
        else { return nil }
        return FiveNumberSummary(minimum: min, lowerQuartile: q1, median: median, upperQuartile: q3, maximum: max)
    }
}

/// The five numbers of a box plot.
public struct FiveNumberSummary: Hashable, Sendable, Codable {
    public var minimum: Double
    public var lowerQuartile: Double
    public var median: Double
    public var upperQuartile: Double
    public var maximum: Double
}
