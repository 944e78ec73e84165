public import ExoCore

/// Technical replicates whose Cq values disagree.
///
/// Definition: the spread of a sample × analyte is the largest minus the smallest Cq of its replicates; above
/// `maximumSpread` (0.5 cycles by default, a common acceptance limit for technical triplicates, Bustin et al.
/// 2009 MIQE) every replicate is flagged `replicateSpread`. Replicates without a Cq are not counted.
public struct ReplicateSpread: Sendable, Hashable, Codable {
    public var maximumSpread: Double

    /// Creates the check.
    public init(maximumSpread: Double = 0.5) {
        self.maximumSpread = maximumSpread
    }

    /// The measurements with `replicateSpread` added where the replicates of a Cq disagree.
    public func flagging(_ measurements: [SampleMeasurement]) -> [SampleMeasurement] {
        var range: [String: (Double, Double)] = [:]
        for measurement in measurements where measurement.unit == .cq {
            guard let value = measurement.value else { continue }
            let key = Self.key(measurement)
            let current = range[key] ?? (value, value)
            range[key] = (min(current.0, value), max(current.1, value))
        }
        return measurements.map { measurement in
            guard measurement.unit == .cq, let (low, high) = range[Self.key(measurement)], high - low > maximumSpread
            else {
                return measurement
            }
            var flagged = measurement
            flagged.flags.insert(.replicateSpread)
            return flagged
        }
    }

    private static func key(_ measurement: SampleMeasurement) -> String {
        "\(measurement.sample.rawValue)\t\(measurement.analyte.name)\t\(measurement.assay.rawValue)"
    }
}
