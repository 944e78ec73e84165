public import ExoStats

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Absolute quantification from digital-PCR partition counts by Poisson statistics.
///
/// Definitions: with k positive of n partitions, p = k / n and the mean number of copies per partition is
/// λ = −ln(1 − p) (each partition receives a Poisson number of copies; a partition is positive when it
/// received at least one). The concentration in the reaction is λ / V for partition volume V. The
/// confidence interval is computed on p (Wilson by default, Wald to reproduce QuantaSoft) and carried
/// through the same monotone transform, so λ_low = −ln(1 − p_low) and λ_high = −ln(1 − p_high).
/// Reference: Dube, Qin & Ramakrishnan (2008), doi:10.1371/journal.pone.0002876.
public struct DigitalPCRQuantifier: Sendable, Hashable, Codable {
    /// Volume of one partition (droplet or chip well) in nanolitres.
    ///
    /// QX200 with QuantaSoft 1.7 uses 0.85,
    /// older QuantaSoft versions 0.91; there is no default, because a wrong volume is a silent bias.
    public var partitionVolumeNanoliters: Double
    /// How the interval on p is computed.
    public var interval: BinomialInterval
    /// Two-sided confidence level.
    public var level: Double
    /// Fewer positive partitions than this are flagged `fewPositives` (the usual limit of detection is 3).
    public var minimumPositives: Int
    /// Fewer accepted partitions than this are flagged `fewPartitions` (QuantaSoft: 10,000 droplets).
    public var minimumPartitions: Int
    /// λ above this is flagged `nearSaturation` (precision degrades quickly beyond about 5 copies/partition).
    public var saturationLambda: Double

    /// Creates a quantifier.
    public init(
        partitionVolumeNanoliters: Double, interval: BinomialInterval = .wilson, level: Double = 0.95,
        minimumPositives: Int = 3, minimumPartitions: Int = 10_000, saturationLambda: Double = 5
    ) {
        precondition(partitionVolumeNanoliters > 0, "partition volume \(partitionVolumeNanoliters) nL must be positive")
        self.partitionVolumeNanoliters = partitionVolumeNanoliters
        self.interval = interval
        self.level = level
        self.minimumPositives = minimumPositives
        self.minimumPartitions = minimumPartitions
        self.saturationLambda = saturationLambda
    }

    /// Quantifies one well (or several wells already merged).
    ///
    /// - Parameters:
    ///   - positives: positive partitions, 0 ≤ positives ≤ partitions.
    ///   - partitions: accepted partitions, > 0.
    /// - Returns: λ, copies per µL and their interval; `nil` concentrations when every partition is positive.
    public func quantify(positives: Int, partitions: Int) -> DigitalPCRResult {
        precondition(
            partitions > 0 && positives >= 0 && positives <= partitions, "invalid counts \(positives)/\(partitions)")
        let p = Double(positives) / Double(partitions)
        let bounds = interval.interval(successes: positives, trials: partitions, level: level)
        let lambda = Self.lambda(p)
        let microliters = partitionVolumeNanoliters / 1_000
        var flags: [DigitalPCRResult.Flag] = []
        if positives == partitions {
            flags.append(.saturated)
        } else if lambda > saturationLambda {
            flags.append(.nearSaturation)
        }
        if positives == 0 {
            flags.append(.noPositives)
        } else if positives < minimumPositives {
            flags.append(.fewPositives)
        }
        if partitions < minimumPartitions { flags.append(.fewPartitions) }
        return DigitalPCRResult(
            positives: positives, partitions: partitions, lambda: lambda.isFinite ? lambda : nil,
            lambdaLow: Self.lambda(bounds.lowerBound),
            lambdaHigh: bounds.upperBound < 1 ? Self.lambda(bounds.upperBound) : nil,
            copiesPerMicroliter: lambda.isFinite ? lambda / microliters : nil,
            copiesPerMicroliterLow: Self.lambda(bounds.lowerBound) / microliters,
            copiesPerMicroliterHigh: bounds.upperBound < 1 ? Self.lambda(bounds.upperBound) / microliters : nil,
            flags: flags)
    }

    /// Replicate wells merged by adding their positive and accepted partitions (QuantaSoft's "merged
    /// wells"), which weights each well by its partition count.
    ///
    /// - Parameter wells: (positives, partitions) of each replicate well.
    /// - Returns: the quantification of the pooled counts.
    public func quantifyMerged(_ wells: [(positives: Int, partitions: Int)]) -> DigitalPCRResult {
        quantify(positives: wells.reduce(0) { $0 + $1.positives }, partitions: wells.reduce(0) { $0 + $1.partitions })
    }

    /// −ln(1 − p), computed as −log1p(−p) so small p keep their precision.
    static func lambda(_ p: Double) -> Double { p >= 1 ? .infinity : -log1p(-p) }
}

/// The quantification of one digital-PCR well or merged set of wells.
public struct DigitalPCRResult: Sendable, Hashable, Codable {
    /// Why a result needs a second look.
    public enum Flag: String, Sendable, Hashable, Codable, CaseIterable {
        /// Every partition is positive: the concentration is above the measurable range.
        case saturated
        /// λ is high enough that the estimate is imprecise.
        case nearSaturation
        /// No positive partition: the analyte was not detected.
        case noPositives
        /// Fewer positive partitions than the limit of detection.
        case fewPositives
        /// Fewer accepted partitions than the instrument's acceptance threshold.
        case fewPartitions
    }

    public var positives: Int
    public var partitions: Int
    /// Mean copies per partition; `nil` when saturated.
    public var lambda: Double?
    public var lambdaLow: Double
    /// `nil` when the interval on p reaches 1.
    public var lambdaHigh: Double?
    public var copiesPerMicroliter: Double?
    public var copiesPerMicroliterLow: Double
    public var copiesPerMicroliterHigh: Double?
    public var flags: [Flag]
}
