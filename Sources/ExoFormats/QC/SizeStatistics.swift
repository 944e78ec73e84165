/// Concentration and number-weighted size statistics of a capture or file, any of them possibly missing.
///
/// What an instrument's software printed for a capture (`ParticleSizeExport.printed`), and what ExoScope reports
/// for a capture or file (`SizeSummary`): the instrument's values first wherever a file has them (docs/ev-qc.md).
public struct SizeStatistics: Sendable, Hashable, Codable {
    /// Particles/ml of the undiluted sample.
    public var concentration: Double?
    /// Number-weighted statistics, nm.
    public var mean: Double?
    public var mode: Double?
    public var sd: Double?
    public var d10: Double?
    public var d50: Double?
    public var d90: Double?

    /// Creates statistics; any may be missing.
    public init(
        concentration: Double? = nil, mean: Double? = nil, mode: Double? = nil, sd: Double? = nil, d10: Double? = nil,
        d50: Double? = nil, d90: Double? = nil
    ) {
        self.concentration = concentration
        self.mean = mean
        self.mode = mode
        self.sd = sd
        self.d10 = d10
        self.d50 = d50
        self.d90 = d90
    }
}
