public import ExoCore

/// Mean Cq per sample and analyte, the input of every qPCR normalisation.
///
/// Conventions: replicates are averaged (arithmetic mean of Cq, which is the geometric mean of quantities);
/// values flagged `belowDetection` or `excluded`, and missing values, are left out; a cell with no remaining
/// replicate is missing (`nil`), never zero.
public struct CqMatrix: Sendable, Hashable {
    public let samples: [SampleID]
    public let analytes: [String]
    /// `values[sample][analyte]`.
    private let values: [[Double?]]
    /// Each sample's and analyte's row and column, so that a lookup by name takes constant time (a study of
    /// 100,000 samples would otherwise search the sample list for every cell).
    private let sampleIndex: [SampleID: Int]
    private let analyteIndex: [String: Int]

    /// Builds the matrix from Cq measurements (other units are ignored).
    public init(_ measurements: [SampleMeasurement]) {
        var sums: [SampleID: [String: (Double, Int)]] = [:]
        for measurement in measurements where measurement.unit == .cq {
            guard let value = measurement.value, measurement.flags.isDisjoint(with: [.belowDetection, .excluded]) else {
                continue
            }
            let current = sums[measurement.sample, default: [:]][measurement.analyte.name] ?? (0, 0)
            sums[measurement.sample, default: [:]][measurement.analyte.name] = (current.0 + value, current.1 + 1)
        }
        let samples = Set(measurements.filter { $0.unit == .cq }.map(\.sample)).sorted()
        let analytes = Set(measurements.filter { $0.unit == .cq }.map(\.analyte.name)).sorted()
        self.samples = samples
        self.analytes = analytes
        sampleIndex = Dictionary(uniqueKeysWithValues: samples.enumerated().map { ($1, $0) })
        analyteIndex = Dictionary(uniqueKeysWithValues: analytes.enumerated().map { ($1, $0) })
        values = samples.map { sample in
            analytes.map { analyte in sums[sample]?[analyte].map { $0.0 / Double($0.1) } }
        }
    }

    /// The mean Cq, or `nil` when not measured or not detected.
    public subscript(sample: SampleID, analyte: String) -> Double? {
        guard let row = sampleIndex[sample], let column = analyteIndex[analyte] else {
            return nil
        }
        return values[row][column]
    }
}
