import ExoStats
import Foundation

/// Lots from different producer cells (MSC, dendritic cell, NK, CAR-T) compared on one potency or safety read-out:
/// each source's mean and SD, and for each pair the difference of means with Welch's confidence interval and
/// Hedges' g with its large-sample interval.
///
/// Hedges' g is Cohen's d on the pooled SD times the exact small-sample correction
/// J(m) = Γ(m/2) / (√(m/2) Γ((m − 1)/2)), m = n₁ + n₂ − 2; its variance is 1/n₁ + 1/n₂ + g²/(2(n₁ + n₂))
/// (Hedges 1981; as metafor's `escalc(measure = "SMD")` computes it).
public struct LotComparison: Sendable, Hashable, Codable {
    /// One source's lots.
    public struct Group: Sendable, Hashable, Codable {
        public var source: String
        public var lots: [String]
        public var mean: Double
        public var sd: Double?
    }

    /// One pair of sources.
    public struct Contrast: Sendable, Hashable, Codable {
        public var first: String
        public var second: String
        /// Mean of `first` − mean of `second`.
        public var difference: Double
        /// Welch's interval of the difference (`nil` when either source has one lot).
        public var low: Double?
        public var high: Double?
        /// Welch's p value.
        public var p: Double?
        public var hedgesG: Double?
        public var gLow: Double?
        public var gHigh: Double?
    }

    public var readout: String
    public var level: Double
    public var groups: [Group]
    public var contrasts: [Contrast]

    /// Compares the sources.
    ///
    /// - Parameters:
    ///   - readout: the read-out's name.
    ///   - lots: (lot, source, value) for every lot measured.
    ///   - level: the confidence level of the intervals.
    public init(readout: String, lots: [(lot: String, source: String, value: Double)], level: Double = 0.95) {
        self.readout = readout
        self.level = level
        var order: [String] = []
        var bySource: [String: [(lot: String, value: Double)]] = [:]
        for lot in lots {
            if bySource[lot.source] == nil { order.append(lot.source) }
            bySource[lot.source, default: []].append((lot.lot, lot.value))
        }
        groups = order.map { source in
            let values = bySource[source, default: []].map(\.value)
            return Group(
                source: source, lots: bySource[source, default: []].map(\.lot), mean: Descriptive.mean(values) ?? .nan,
                sd: Descriptive.standardDeviation(values))
        }
        var contrasts: [Contrast] = []
        for (index, first) in order.enumerated() {
            for second in order[(index + 1)...] {
                let x = bySource[first, default: []].map(\.value)
                let y = bySource[second, default: []].map(\.value)
                contrasts.append(Self.contrast(first, x, second, y, level: level))
            }
        }
        self.contrasts = contrasts
    }

    static func contrast(_ first: String, _ x: [Double], _ second: String, _ y: [Double], level: Double) -> Contrast {
        let difference = (Descriptive.mean(x) ?? .nan) - (Descriptive.mean(y) ?? .nan)
        var result = Contrast(first: first, second: second, difference: difference)
        guard let vx = Descriptive.variance(x), let vy = Descriptive.variance(y) else { return result }
        let nx = Double(x.count)
        let ny = Double(y.count)
        if let welch = TwoSampleTests.welch(x, y), let df = welch.degreesOfFreedom {
            let se = (vx / nx + vy / ny).squareRoot()
            let critical = StudentT(degreesOfFreedom: df).upperQuantile((1 - level) / 2)
            result.low = difference - critical * se
            result.high = difference + critical * se
            result.p = welch.p
        }
        let m = nx + ny - 2
        let pooled = (((nx - 1) * vx + (ny - 1) * vy) / m).squareRoot()
        if pooled > 0 {
            let correction = exp(lgamma(m / 2) - 0.5 * log(m / 2) - lgamma((m - 1) / 2))
            let g = correction * difference / pooled
            let z = Normal.quantile(1 - (1 - level) / 2)
            let variance = 1 / nx + 1 / ny + g * g / (2 * (nx + ny))
            result.hedgesG = g
            result.gLow = g - z * variance.squareRoot()
            result.gHigh = g + z * variance.squareRoot()
        }
        return result
    }
}

extension LotComparison.Contrast {
    init(first: String, second: String, difference: Double) {
        self.init(
            first: first, second: second, difference: difference, low: nil, high: nil, p: nil, hedgesG: nil, gLow: nil,
            gHigh: nil)
    }
}
