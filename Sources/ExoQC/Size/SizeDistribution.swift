/// Statistics of a particle-size distribution given as concentration per size bin (NTA, TRPS, flow).
///
/// The bins are treated as points at their centres weighted by their concentration: total concentration is the
/// sum over bins (NTA's bins are 1 nm wide and hold particles/ml per bin), mean and SD are the weighted moments,
/// the mode is the centre of the fullest bin, and D10/D50/D90 interpolate the cumulative distribution linearly
/// between bin edges (each bin's particles spread evenly over the bin). NTA computes its own statistics from the
/// individual tracks, so these agree with the printed ones to within about a bin (docs/ev-qc.md).
public struct SizeDistribution: Sendable, Hashable, Codable {
    public var concentration: Double
    public var mean: Double
    public var mode: Double
    public var sd: Double
    public var d10: Double
    public var d50: Double
    public var d90: Double
    /// (D90 − D10) / D50.
    public var span: Double
    /// Particles/ml inside the size range, and their share of all particles.
    public var concentrationInRange: Double
    public var fractionInRange: Double

    /// Summarises bins (`centres` increasing, `concentrations` ≥ 0); `nil` when every bin is empty or the median
    /// size is 0.
    public init?(centres: [Double], concentrations: [Double], range: ClosedRange<Double> = 30...150) {
        let total = concentrations.reduce(0, +)
        guard total > 0, centres.count == concentrations.count, !centres.isEmpty else { return nil }
        concentration = total
        mean = zip(centres, concentrations).reduce(0) { $0 + $1.0 * $1.1 } / total
        let meanValue = mean
        sd = (zip(centres, concentrations).reduce(0) { $0 + ($1.0 - meanValue) * ($1.0 - meanValue) * $1.1 } / total)
            .squareRoot()
        mode = zip(centres, concentrations).max { $0.1 < $1.1 }?.0 ?? .nan
        // Bin edges halfway between centres (the outer edges half a bin beyond the first and last centre).
        // A size is never negative: the first edge stops at 0 however wide the first bin.
        var edges = [max(0, centres[0] - (centres.count > 1 ? (centres[1] - centres[0]) / 2 : 0.5))]
        for (low, high) in zip(centres, centres.dropFirst()) { edges.append((low + high) / 2) }
        edges.append(
            centres[centres.count - 1]
                + (centres.count > 1 ? (centres[centres.count - 1] - centres[centres.count - 2]) / 2 : 0.5))
        func percentile(_ p: Double) -> Double {
            let target = p * total
            var cumulative = 0.0
            for (index, value) in concentrations.enumerated() where value > 0 {
                if cumulative + value >= target {
                    return edges[index] + (target - cumulative) / value * (edges[index + 1] - edges[index])
                }
                cumulative += value
            }
            return edges[edges.count - 1]
        }
        d10 = percentile(0.1)
        d50 = percentile(0.5)
        d90 = percentile(0.9)
        guard d50 > 0 else { return nil }
        span = (d90 - d10) / d50
        var inside = 0.0
        for (index, value) in concentrations.enumerated() {
            let overlap = min(edges[index + 1], range.upperBound) - max(edges[index], range.lowerBound)
            if overlap > 0 { inside += value * overlap / (edges[index + 1] - edges[index]) }
        }
        concentrationInRange = inside
        fractionInRange = inside / total
    }
}
