/// One amplification curve (one target in one reaction) as LinRegPCR needs it.
public struct AmplificationCurve: Sendable, Hashable {
    /// The reaction id (`4`, `A1`).
    public var reaction: String
    /// The well label.
    public var well: String
    public var sample: String
    /// RDML sample type: `unkn`, `std`, `ntc`, `nac`, `ntp`, `nrt`, `opt`, `pos`, `neg`.
    public var sampleType: String
    /// Sample nucleotide (`cDNA`, `DNA`, `genomic DNA`, `RNA`), which moves the too-low-Cq limits of probes.
    public var nucleotide: String
    /// The target; curves of one target in one run form a group that shares a window of linearity.
    public var target: String
    public var chemistry: Chemistry
    /// Excluded by the user: analysed, but left out of every group statistic.
    public var isExcluded: Bool
    /// Raw fluorescence by cycle, in any order; fractional cycles are rounded up, later points win.
    public var points: [Point]
    /// The modelled amplicon count at TD0, for the copy number Ncopy; `nil` when unknown.
    public var amplicons: AmpliconsAtTD0?

    /// One amplification point.
    public struct Point: Sendable, Hashable {
        public var cycle: Double
        public var fluorescence: Double

        /// Creates a point.
        public init(cycle: Double, fluorescence: Double) {
            self.cycle = cycle
            self.fluorescence = fluorescence
        }
    }

    /// Reporter chemistries; probes report one cycle later than the intercalating dyes.
    public enum Chemistry: String, Sendable, Hashable, CaseIterable {
        case nonSaturatingDye = "non-saturating DNA binding dye"
        case saturatingDye = "saturating DNA binding dye"
        case hydrolysisProbe = "hydrolysis probe"
        case labelledReversePrimer = "labelled reverse primer"
        case dnaZymeProbe = "DNA-zyme probe"

        /// Probe chemistries: their Cq is corrected by one cycle and checked against too-low-Cq limits.
        var isProbe: Bool { self == .hydrolysisProbe || self == .labelledReversePrimer || self == .dnaZymeProbe }
    }

    /// Creates a curve.
    public init(
        reaction: String, well: String, sample: String, sampleType: String = "unkn", nucleotide: String = "cDNA",
        target: String, chemistry: Chemistry = .nonSaturatingDye, isExcluded: Bool = false, points: [Point]
    ) {
        self.reaction = reaction
        self.well = well
        self.sample = sample
        self.sampleType = sampleType
        self.nucleotide = nucleotide
        self.target = target
        self.chemistry = chemistry
        self.isExcluded = isExcluded
        self.points = points
    }
}
