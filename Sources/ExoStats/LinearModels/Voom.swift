#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// limma's voom: counts to log-CPM with a precision weight for every value, from the features' mean–variance trend.
///
/// Law et al. 2014, doi:10.1186/gb-2014-15-2-r29.
///
/// log-CPM = log2((count + 0.5) / (library size + 1) · 10⁶), the library size being the sample's total count
/// unless the caller gives one per sample. A linear model of each feature's log-CPM on the design gives its
/// residual SD; LOWESS (span 0.5) of √SD against the feature's mean log-count gives the trend, and each value's
/// weight is the trend at its fitted log-count to the power −4.
public enum Voom {
    /// log-CPM and weights, both `[feature][sample]`.
    public struct Result: Sendable {
        public var logCPM: [[Double]]
        public var weights: [[Double]]
        public var librarySizes: [Double]
    }

    /// Transforms `counts[feature][sample]` for the model `design` (one row per sample).
    ///
    /// - Parameters:
    ///   - counts: `counts[feature][sample]`, not negative.
    ///   - design: the model matrix, one row per sample.
    ///   - span: the LOWESS span of the mean–variance trend.
    ///   - librarySizes: one per sample; `nil` (the default) for the column sums of `counts`, as
    ///     `voom(counts, design)`. Pass the effective library sizes lib.size × norm.factors (ExoQuant's
    ///     `CountNormalization.effectiveLibrarySizes`, after TMM) for what `voom(calcNormFactors(DGEList(counts)),
    ///     design)` computes, which is `voom(counts, design, lib.size = lib.size * norm.factors)`.
    /// - Returns: log-CPM and weights, and the library sizes used.
    /// - Precondition: `librarySizes`, when given, has one finite, non-negative value per sample.
    public static func transform(
        counts: [[Double]], design: [[Double]], span: Double = 0.5, librarySizes: [Double]? = nil
    ) -> Result {
        let samples = design.count
        if let librarySizes {
            precondition(
                librarySizes.count == samples && librarySizes.allSatisfy { $0 >= 0 && $0.isFinite },
                "voom needs \(samples) finite non-negative library sizes, got \(librarySizes)")
        }
        let librarySizes =
            librarySizes ?? (0..<samples).map { sample in counts.reduce(0) { $0 + $1[sample] } }
        let logCPM = counts.map { row in
            (0..<samples).map { log2((row[$0] + 0.5) / (librarySizes[$0] + 1) * 1e6) }
        }
        let fits = logCPM.map { WeightedLeastSquares(y: $0, design: design) }
        let offset = librarySizes.reduce(0) { $0 + log2($1 + 1) } / Double(samples) - log2(1e6)
        var trendX: [Double] = []
        var trendY: [Double] = []
        for (index, row) in logCPM.enumerated() where counts[index].contains(where: { $0 != 0 }) {
            trendX.append(row.reduce(0, +) / Double(samples) + offset)
            trendY.append(fits[index].residualVariance.squareRoot().squareRoot())
        }
        let trend = Lowess.smooth(x: trendX, y: trendY, f: span)
        let interpolate = Self.interpolator(x: trend.x, y: trend.y)
        let weights = fits.map { fit in
            (0..<samples).map { sample in
                let count = 1e-6 * pow(2, fit.fitted[sample]) * (librarySizes[sample] + 1)
                let value = interpolate(log2(count))
                return 1 / (value * value * value * value)
            }
        }
        return Result(logCPM: logCPM, weights: weights, librarySizes: librarySizes)
    }

    /// R's approxfun(x, y, rule = 2, ties = list("ordered", mean)): linear between the points (tied x averaged),
    /// the end values beyond them.
    static func interpolator(x: [Double], y: [Double]) -> (Double) -> Double {
        var xs: [Double] = []
        var ys: [Double] = []
        var index = 0
        while index < x.count {
            var end = index
            var sum = 0.0
            while end < x.count, x[end] == x[index] {
                sum += y[end]
                end += 1
            }
            xs.append(x[index])
            ys.append(sum / Double(end - index))
            index = end
        }
        return { value in
            guard let first = xs.first, let last = xs.last else { return .nan }
            if value <= first { return ys[0] }
            if value >= last { return ys[ys.count - 1] }
            var low = 0
            var high = xs.count - 1
            while high - low > 1 {
                let middle = (low + high) / 2
                if xs[middle] <= value { low = middle } else { high = middle }
            }
            return ys[low] + (ys[high] - ys[low]) * (value - xs[low]) / (xs[high] - xs[low])
        }
    }
}
