public import ExoCore

/// Everything one import writes: the study's identity, samples, measurements and input files.
public struct ImportPayload: Sendable {
    /// The study's key and descriptive fields.
    public var study: StudyRecord
    public var samples: [Sample]
    public var measurements: [SampleMeasurement]
    public var files: [StoredInputFile]
    /// Analysed qPCR curves (raw data files of the study), for the report's curve plots.
    public var curves: [StoredCurve]
    /// Who runs the import (an operating-system user or an API user), for the audit log.
    public var actor: String
    /// Provenance recorded with the import.
    public var provenance: Provenance
    /// Called inside the transaction just before it commits; throwing aborts the import.
    ///
    /// The pipeline uses it to check that no input file changed since it was validated.
    public var verifyBeforeCommit: @Sendable () throws -> Void
    /// Called after each measurement row is written (tests use it to interrupt an import midway).
    public var afterMeasurementRow: @Sendable (Int) throws -> Void

    /// Creates a payload.
    public init(
        study: StudyRecord, samples: [Sample], measurements: [SampleMeasurement], files: [StoredInputFile],
        curves: [StoredCurve] = [], actor: String, provenance: Provenance,
        verifyBeforeCommit: @escaping @Sendable () throws -> Void = {},
        afterMeasurementRow: @escaping @Sendable (Int) throws -> Void = { _ in }
    ) {
        self.study = study
        self.samples = samples
        self.measurements = measurements
        self.files = files
        self.curves = curves
        self.actor = actor
        self.provenance = provenance
        self.verifyBeforeCommit = verifyBeforeCommit
        self.afterMeasurementRow = afterMeasurementRow
    }
}

/// What an import did.
public enum ImportOutcome: Sendable, Equatable {
    /// Every input file was already stored with the same SHA-256; nothing was written.
    case unchanged(files: Int)
    /// The study was written; the counts are those now stored.
    case imported(ImportSummary)
}

/// Counts from an import that wrote.
public struct ImportSummary: Sendable, Equatable, Codable {
    public var isNewStudy: Bool
    public var samples: Int
    public var measurements: Int
    /// Paths whose content is new or changed.
    public var changedFiles: [String]
    /// Paths that were stored before but are no longer part of the study.
    public var removedFiles: [String]

    /// Creates a summary.
    public init(isNewStudy: Bool, samples: Int, measurements: Int, changedFiles: [String], removedFiles: [String]) {
        self.isNewStudy = isNewStudy
        self.samples = samples
        self.measurements = measurements
        self.changedFiles = changedFiles
        self.removedFiles = removedFiles
    }
}

/// A study's identity and descriptive fields as stored.
public struct StudyRecord: Sendable, Hashable, Codable {
    public var id: String
    public var title: String
    public var description: String?
    public var tumour: String?
    /// The study definition as JSON, kept so reports can be made from the store alone.
    public var definitionJSON: String

    /// Creates a study record.
    public init(id: String, title: String, description: String?, tumour: String?, definitionJSON: String) {
        self.id = id
        self.title = title
        self.description = description
        self.tumour = tumour
        self.definitionJSON = definitionJSON
    }
}

/// An input file recorded by its SHA-256.
public struct StoredInputFile: Sendable, Hashable, Codable {
    public var path: String
    public var sha256: String
    public var byteCount: Int
    public var role: String

    /// Creates a record.
    public init(path: String, sha256: String, byteCount: Int, role: String) {
        self.path = path
        self.sha256 = sha256
        self.byteCount = byteCount
        self.role = role
    }
}

/// Counts for `exoscope status`.
public struct StoreStatus: Sendable, Equatable, Codable {
    public struct StudyCounts: Sendable, Equatable, Codable {
        public var id: String
        public var title: String
        public var patients: Int
        public var samples: Int
        public var measurements: Int
        public var files: Int
        public var lastImport: String?
    }
    public var studies: [StudyCounts]
    public var migrations: [String]
    public var auditEntries: Int
}

/// One append-only audit entry: what changed, when, by whom, with which ExoScope version.
public struct AuditEntry: Sendable, Equatable, Codable {
    public var id: Int64?
    /// ISO 8601 UTC timestamp.
    public var at: String
    public var actor: String
    /// What was done: `import` or `reimport`.
    public var action: String
    /// The entity changed (`study:NSCLC-DEMO`).
    public var entity: String
    /// JSON detail: counts, changed files, provenance.
    ///
    /// Never measured values or patient pseudonyms.
    public var detail: String
    public var version: String
    /// The hash of the entry before it (``AuditChain/genesis`` for the first), as stored.
    public var previousHash: String?
    /// The hash of this entry's content and `previousHash` (``AuditChain``), as stored.
    public var hash: String?

    /// Creates an entry.
    public init(
        id: Int64?, at: String, actor: String, action: String, entity: String, detail: String, version: String,
        previousHash: String? = nil, hash: String? = nil
    ) {
        self.id = id
        self.at = at
        self.actor = actor
        self.action = action
        self.entity = entity
        self.detail = detail
        self.version = version
        self.previousHash = previousHash
        self.hash = hash
    }
}

/// One analysed amplification curve as stored: identity, results and baseline-corrected fluorescence.
public struct StoredCurve: Sendable, Hashable, Codable {
    public var sourcePath: String
    public var run: String
    public var well: String
    public var sample: String
    /// RDML sample type (`unkn`, `ntc`, `std`, …).
    public var sampleType: String
    public var target: String
    /// For standards: the known quantity.
    public var quantity: Double?
    public var cq: Double?
    public var efficiency: Double?
    public var meanEfficiency: Double?
    public var n0: Double?
    public var baseline: Double?
    public var windowLower: Double?
    public var windowUpper: Double?
    /// The run's common threshold.
    public var threshold: Double?
    public var amplified: Bool
    public var flags: [String]
    /// Baseline-corrected fluorescence by cycle (index 0 = cycle 1); `nil` where missing.
    public var fluorescence: [Double?]

    /// Creates a stored curve.
    public init(
        sourcePath: String, run: String, well: String, sample: String, sampleType: String, target: String,
        quantity: Double?, cq: Double?, efficiency: Double?, meanEfficiency: Double?, n0: Double?, baseline: Double?,
        windowLower: Double?, windowUpper: Double?, threshold: Double?, amplified: Bool, flags: [String],
        fluorescence: [Double?]
    ) {
        self.sourcePath = sourcePath
        self.run = run
        self.well = well
        self.sample = sample
        self.sampleType = sampleType
        self.target = target
        self.quantity = quantity
        self.cq = cq
        self.efficiency = efficiency
        self.meanEfficiency = meanEfficiency
        self.n0 = n0
        self.baseline = baseline
        self.windowLower = windowLower
        self.windowUpper = windowUpper
        self.threshold = threshold
        self.amplified = amplified
        self.flags = flags
        self.fluorescence = fluorescence
    }
}

/// A stored analysis result: its kind (such as `biomarkers`), the result as JSON, and what produced it.
public struct StoredResult: Sendable, Hashable {
    public var study: String
    public var kind: String
    public var json: String
    public var provenance: Provenance
    /// A digest of everything the result depends on (inputs, parameters, version): a result whose digest
    /// matches need not be computed again.
    public var inputDigest: String

    /// Creates a result record.
    public init(study: String, kind: String, json: String, provenance: Provenance, inputDigest: String) {
        self.study = study
        self.kind = kind
        self.json = json
        self.provenance = provenance
        self.inputDigest = inputDigest
    }
}
