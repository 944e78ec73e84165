public import ExoFormats

/// The size statistics ExoScope reports for a file or one capture: the instrument's own where it printed them,
/// beside the statistics of the histogram.
///
/// For a capture, each of concentration, mean, mode, SD and D10/D50/D90 is the value the software printed for it
/// (NanoSight NTA) or, for formats that print none (ZetaView text exports, size-bin CSVs), the statistic of the
/// capture's histogram (`SizeDistribution`). For a file, each is the mean over the captures of the capture values,
/// which is how NTA computes the `Average` column it prints, so the file row reads as the instrument's report does
/// (for AD45_F3 of the Alteromonas exports a mode of 98.6 nm, where the averaged histogram's fullest bin is at
/// 108.5 nm). `histogram` keeps the histogram's statistics: the pooled histogram (the captures' bins averaged) for a
/// file, the capture's own for a capture. `span` comes from the reported D-values; the share inside the small-EV
/// range can only come from the histogram.
@dynamicMemberLookup
public struct SizeSummary: Sendable, Hashable, Codable {
    /// Where concentration … D90 come from.
    public enum Source: String, Sendable, Hashable, Codable {
        /// Printed by the instrument's software (averaged over the captures for a file).
        case instrument
        /// Computed from the histograms; the format prints no statistics.
        case histogram
    }

    public var source: Source
    /// Concentration (particles/ml of the undiluted sample), mean, mode, SD, D10, D50 and D90 (nm), also read as
    /// `summary.mode` and so on.
    public var values: SizeStatistics
    /// (D90 − D10) / D50 of the values above.
    public var span: Double?
    /// The histogram's statistics (pooled for a file); `nil` when every bin is empty.
    public var histogram: SizeDistribution?
    /// The coefficient of variation of the captures' concentrations (the values above); `nil` for a capture and for
    /// a file of one capture.
    public var captureCV: Double?

    /// The summary of capture `index` of `export`.
    ///
    /// - Parameters:
    ///   - index: the capture, 0-based.
    ///   - export: the file.
    ///   - range: the small-EV range for the histogram's `fractionInRange`.
    public init(capture index: Int, of export: ParticleSizeExport, range: ClosedRange<Double> = 30...150) {
        precondition(
            export.binConcentrations.indices.contains(index),
            "capture \(index) of \(export.binConcentrations.count) in \(export.path)")
        let histogram = SizeDistribution(
            centres: export.binCentres, concentrations: export.binConcentrations[index], range: range)
        self.init(
            source: export.printed.isEmpty ? .histogram : .instrument,
            values: Self.values(capture: index, of: export) { histogram }, histogram: histogram, captureCV: nil)
    }

    /// Capture `index`'s values: the printed ones, and the histogram's where one is missing (the histogram is
    /// summarised only then, which keeps `qc nta` on a file of printed captures at one histogram summary).
    private static func values(
        capture index: Int, of export: ParticleSizeExport, histogram: () -> SizeDistribution?
    ) -> SizeStatistics {
        let printed = index < export.printed.count ? export.printed[index] : SizeStatistics()
        let complete = [
            printed.concentration, printed.mean, printed.mode, printed.sd, printed.d10, printed.d50, printed.d90,
        ].allSatisfy { $0 != nil }
        guard !complete, let histogram = histogram() else { return printed }
        return SizeStatistics(
            concentration: printed.concentration ?? histogram.concentration, mean: printed.mean ?? histogram.mean,
            mode: printed.mode ?? histogram.mode, sd: printed.sd ?? histogram.sd, d10: printed.d10 ?? histogram.d10,
            d50: printed.d50 ?? histogram.d50, d90: printed.d90 ?? histogram.d90)
    }

    /// The summary of a whole file: each value the mean of its captures' (NTA's `Average`), beside the statistics
    /// of the pooled histogram.
    ///
    /// A capture missing a value is left out of that value's mean; a value no capture has is `nil`.
    public init(file export: ParticleSizeExport, range: ClosedRange<Double> = 30...150) {
        let captures = export.binConcentrations.indices.map { index in
            Self.values(capture: index, of: export) {
                SizeDistribution(
                    centres: export.binCentres, concentrations: export.binConcentrations[index], range: range)
            }
        }
        func average(_ value: KeyPath<SizeStatistics, Double?>) -> Double? {
            let values = captures.compactMap { $0[keyPath: value] }
            return values.isEmpty ? nil : values.reduce(0, +) / Double(values.count)
        }
        let concentrations = captures.compactMap(\.concentration)
        var cv: Double?
        if concentrations.count > 1 {
            let mean = concentrations.reduce(0, +) / Double(concentrations.count)
            let variance =
                concentrations.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(concentrations.count - 1)
            cv = mean > 0 ? variance.squareRoot() / mean : nil
        }
        self.init(
            source: export.printed.isEmpty ? .histogram : .instrument,
            values: SizeStatistics(
                concentration: average(\.concentration), mean: average(\.mean), mode: average(\.mode),
                sd: average(\.sd), d10: average(\.d10), d50: average(\.d50), d90: average(\.d90)),
            histogram: SizeDistribution(
                centres: export.binCentres, concentrations: export.pooledConcentrations, range: range),
            captureCV: cv)
    }

    /// A summary of `values`, with the span of their D-values.
    private init(source: Source, values: SizeStatistics, histogram: SizeDistribution?, captureCV: Double?) {
        self.source = source
        self.values = values
        if let d10 = values.d10, let d50 = values.d50, let d90 = values.d90, d50 > 0 { span = (d90 - d10) / d50 }
        self.histogram = histogram
        self.captureCV = captureCV
    }

    /// One of `values` (`summary.mode`).
    public subscript(dynamicMember value: KeyPath<SizeStatistics, Double?>) -> Double? { values[keyPath: value] }
}
