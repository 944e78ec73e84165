public import ExoCore

/// Hemolysis of plasma and serum samples from qPCR: the ΔCq of a red-cell miRNA against a stable one.
///
/// Definition (Blondal et al. 2013, doi:10.1016/j.ymeth.2012.09.015; Shah et al. 2016,
/// doi:10.1371/journal.pone.0153200): hemolysis index = Cq(hsa-miR-23a-3p) − Cq(hsa-miR-451a), each the mean of
/// the sample's replicates. miR-451a is abundant in erythrocytes and rises with hemolysis while miR-23a-3p
/// does not, so the index grows with hemolysis; above 7 the sample is at risk of hemolysis. Results of
/// erythrocyte-enriched miRNAs from such a sample are flagged (Pritchard et al. 2012,
/// doi:10.1158/1940-6207.CAPR-11-0358: miR-16, miR-92a, miR-451a, miR-486-5p).
public struct HemolysisAssessment: Sendable, Hashable, Codable {
    /// The index above which a sample is flagged.
    public var threshold: Double
    /// The stable miRNA (the minuend).
    public var reference: String
    /// The red-cell miRNA (the subtrahend).
    public var marker: String
    /// miRNAs whose results from a hemolysed sample are flagged.
    public var sensitiveMiRNAs: Set<String>

    /// The published defaults.
    public init(
        threshold: Double = 7, reference: String = "hsa-miR-23a-3p", marker: String = "hsa-miR-451a",
        sensitiveMiRNAs: Set<String> = ["hsa-miR-451a", "hsa-miR-16-5p", "hsa-miR-92a-3p", "hsa-miR-486-5p"]
    ) {
        self.threshold = threshold
        self.reference = reference
        self.marker = marker
        self.sensitiveMiRNAs = sensitiveMiRNAs
    }

    /// One sample's index.
    public struct SampleIndex: Sendable, Hashable, Codable {
        public var sample: SampleID
        /// Cq(reference) − Cq(marker); `nil` when either miRNA has no Cq.
        public var index: Double?
        public var isHemolysed: Bool
        /// Why the index could not be computed.
        public var missing: [String]
    }

    /// The index of every blood sample (serum or plasma) that has Cq values.
    ///
    /// - Parameters:
    ///   - measurements: Cq measurements (other units are ignored).
    ///   - samples: the samples, for their specimen.
    /// - Returns: one index per serum or plasma sample, in sample-id order.
    public func indices(_ measurements: [SampleMeasurement], samples: [Sample]) -> [SampleIndex] {
        let blood = Set(samples.filter(\.specimen.isBlood).map(\.id))
        var cq: [SampleID: [String: [Double]]] = [:]
        for measurement in measurements where measurement.unit == .cq && blood.contains(measurement.sample) {
            guard let value = measurement.value, !measurement.flags.contains(.excluded) else { continue }
            cq[measurement.sample, default: [:]][measurement.analyte.name, default: []].append(value)
        }
        return blood.sorted().map { sample in
            let values = cq[sample] ?? [:]
            let mean = { (name: String) -> Double? in
                guard let list = values[name], !list.isEmpty else { return nil }
                return list.reduce(0, +) / Double(list.count)
            }
            let reference = mean(self.reference)
            let marker = mean(self.marker)
            let index = reference.flatMap { r in marker.map { r - $0 } }
            return SampleIndex(
                sample: sample, index: index, isHemolysed: (index ?? -.infinity) > threshold,
                missing: [self.reference, self.marker].filter { values[$0]?.isEmpty ?? true })
        }
    }

    /// The measurements with `hemolysis` added to every sensitive-miRNA result of a hemolysed sample.
    public func flagging(_ measurements: [SampleMeasurement], indices: [SampleIndex]) -> [SampleMeasurement] {
        let hemolysed = Set(indices.filter(\.isHemolysed).map(\.sample))
        return measurements.map { measurement in
            guard hemolysed.contains(measurement.sample), sensitiveMiRNAs.contains(measurement.analyte.name) else {
                return measurement
            }
            var flagged = measurement
            flagged.flags.insert(.hemolysis)
            return flagged
        }
    }
}
