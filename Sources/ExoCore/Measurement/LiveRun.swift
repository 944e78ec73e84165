// The values of the live-run protocol (docs/live-protocol.md); ExoFormats reads them, ExoStore keeps them.

/// A run's layout: which well holds which sample and target.
public struct LiveLayout: Sendable, Hashable, Codable {
    /// One well.
    public struct Well: Sendable, Hashable, Codable {
        /// The well label (`A1`, `P96`).
        public var well: String
        /// The sample id (the sample sheet's `sample_id`, or a control or standard name).
        public var sample: String
        /// The target (an analyte name, as in RDML target ids).
        public var target: String
        /// RDML sample type: `unkn`, `std`, `ntc`, `nac`, `nrt`, `pos`, `neg`, `ref`.
        public var type: String
        /// Copies of a standard, when `type` is `std`.
        public var quantity: Double?

        /// Creates a well.
        public init(well: String, sample: String, target: String, type: String = "unkn", quantity: Double? = nil) {
            self.well = well
            self.sample = sample
            self.target = target
            self.type = type
            self.quantity = quantity
        }
    }

    /// The run id (identifier rule; the finished file is named after it).
    public var run: String
    /// `qPCR` (fluorescence per well per cycle) or `dPCR` (partition counts per well).
    public var assay: Assay
    /// Cycles the run will read (qPCR).
    public var cycles: Int?
    /// The reporter chemistry (RDML's names), qPCR.
    public var chemistry: String?
    /// Plate or chip geometry.
    public var rows: Int
    public var columns: Int
    /// Volume of one partition in nL (dPCR).
    public var partitionVolumeNanoliters: Double?
    /// Free text: the instrument and its software.
    public var instrument: String?
    public var wells: [Well]

    /// Creates a layout.
    public init(
        run: String, assay: Assay, cycles: Int?, chemistry: String? = nil, rows: Int, columns: Int,
        partitionVolumeNanoliters: Double? = nil, instrument: String? = nil, wells: [Well]
    ) {
        self.run = run
        self.assay = assay
        self.cycles = cycles
        self.chemistry = chemistry
        self.rows = rows
        self.columns = columns
        self.partitionVolumeNanoliters = partitionVolumeNanoliters
        self.instrument = instrument
        self.wells = wells
    }
}

/// One reading: a well's fluorescence at one cycle (qPCR) or its partition counts (dPCR).
public struct LiveReading: Sendable, Hashable, Codable {
    public var run: String
    /// The instrument's sequence number within the run, from 1.
    public var seq: Int
    public var well: String
    /// qPCR: the cycle (from 1) and its raw fluorescence.
    public var cycle: Int?
    public var fluorescence: Double?
    /// dPCR: positive and accepted partitions.
    public var positives: Int?
    public var partitions: Int?
    /// The line the reading was read from (not part of its identity; 0 when not read from text).
    public var line: Int

    /// Creates a qPCR reading.
    public init(run: String, seq: Int, well: String, cycle: Int, fluorescence: Double, line: Int = 0) {
        self.run = run
        self.seq = seq
        self.well = well
        self.cycle = cycle
        self.fluorescence = fluorescence
        self.line = line
    }

    /// Creates a dPCR reading.
    public init(run: String, seq: Int, well: String, positives: Int, partitions: Int, line: Int = 0) {
        self.run = run
        self.seq = seq
        self.well = well
        self.positives = positives
        self.partitions = partitions
        self.line = line
    }

    /// Whether two readings say the same thing (the line they came from aside).
    public func sameContent(as other: LiveReading) -> Bool {
        run == other.run && seq == other.seq && well == other.well && cycle == other.cycle
            && fluorescence == other.fluorescence && positives == other.positives && partitions == other.partitions
    }
}
