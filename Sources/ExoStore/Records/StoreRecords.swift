import ExoCore
import Foundation
import GRDB

// One record type per table (GRDB's recommended practice). They are internal: callers see domain types.

/// A row of `study`.
struct StudyRow: Codable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "study"
    var id: String
    var title: String
    var description: String?
    var tumour: String?
    var definitionJSON: String
    var importedAt: String
}

/// A row of `patient`.
struct PatientRow: Codable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "patient"
    var studyId: String
    var id: String
}

/// A row of `sample`.
struct SampleRow: Codable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "sample"
    enum Columns {
        static let studyId = Column(CodingKeys.studyId)
        static let id = Column(CodingKeys.id)
    }
    var studyId: String
    var id: String
    var patientId: String
    var sampleGroup: String
    var specimen: String
    var timepointLabel: String?
    var collectionDate: String?
    var dayOffset: Int?
    var event: String?
    var tumourType: String?
    var stage: String?
    var tStage: String?
    var nStage: String?
    var mStage: String?
    var metastasis: Bool?
    var treatment: String?
    var response: String?
    var isolationMethod: String?
    var inputVolumeMilliliters: Double?
    var storageTemperatureCelsius: Double?
    var freezeThawCycles: Int?
    var extraJSON: String

    init(studyId: String, sample: Sample) throws {
        self.studyId = studyId
        id = sample.id.rawValue
        patientId = sample.patient.rawValue
        sampleGroup = sample.group.rawValue
        specimen = sample.specimen.rawValue
        timepointLabel = sample.timepoint.label
        collectionDate = sample.timepoint.date?.description
        dayOffset = sample.timepoint.dayOffset
        event = sample.timepoint.event
        tumourType = sample.clinical.tumourType
        stage = sample.clinical.stage?.description
        tStage = sample.clinical.t?.description
        nStage = sample.clinical.n?.description
        mStage = sample.clinical.m?.description
        metastasis = sample.clinical.metastasis
        treatment = sample.clinical.treatment
        response = sample.clinical.response?.rawValue
        isolationMethod = sample.preparation.method?.rawValue
        inputVolumeMilliliters = sample.preparation.inputVolumeMilliliters
        storageTemperatureCelsius = sample.preparation.storageTemperatureCelsius
        freezeThawCycles = sample.preparation.freezeThawCycles
        extraJSON = String(decoding: try StoreJSON.encoder.encode(sample.extra), as: UTF8.self)
    }

    /// The domain value; values were validated on the way in, so a bad row is a corrupted database.
    func sample() throws -> Sample {
        guard let id = SampleID(id), let patient = PatientID(patientId), let group = SampleGroup(parsing: sampleGroup),
            let specimen = Specimen(parsing: specimen)
        else { throw StoreError.notFound(table: "sample", id: id) }
        return Sample(
            id: id, patient: patient, group: group, specimen: specimen,
            timepoint: Timepoint(
                label: timepointLabel, date: collectionDate.flatMap { CalendarDate(iso8601: $0) }, dayOffset: dayOffset,
                event: event),
            clinical: ClinicalAttributes(
                tumourType: tumourType, stage: stage.flatMap { TumourStage(parsing: $0) },
                t: tStage.flatMap { TNMCategory(parsing: $0, as: .t) },
                n: nStage.flatMap { TNMCategory(parsing: $0, as: .n) },
                m: mStage.flatMap { TNMCategory(parsing: $0, as: .m) }, metastasis: metastasis, treatment: treatment,
                response: response.flatMap { TreatmentResponse(parsing: $0) }),
            preparation: EVPreparation(
                method: isolationMethod.flatMap { IsolationMethod(parsing: $0) },
                inputVolumeMilliliters: inputVolumeMilliliters,
                storageTemperatureCelsius: storageTemperatureCelsius, freezeThawCycles: freezeThawCycles),
            extra: (try? StoreJSON.decoder.decode([String: String].self, from: Data(extraJSON.utf8))) ?? [:])
    }
}

/// A row of `sampleMeasurement`.
struct MeasurementRow: Codable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "sampleMeasurement"
    var id: Int64?
    var studyId: String
    var sampleId: String
    var analyte: String
    var analyteKind: String
    var accession: String?
    var assay: String
    var value: Double?
    var unit: String
    var replicate: Int
    var flags: String
    var sourcePath: String
    var sourceLine: Int

    init(studyId: String, measurement: SampleMeasurement) {
        id = nil
        self.studyId = studyId
        sampleId = measurement.sample.rawValue
        analyte = measurement.analyte.name
        analyteKind = measurement.analyte.kind.rawValue
        accession = measurement.analyte.accession
        assay = measurement.assay.rawValue
        value = measurement.value
        unit = measurement.unit.rawValue
        replicate = measurement.replicate
        flags = measurement.flags.map(\.rawValue).sorted().joined(separator: ";")
        sourcePath = measurement.source.path
        sourceLine = measurement.source.line
    }

    func measurement() throws -> SampleMeasurement {
        guard let sample = SampleID(sampleId), let kind = AnalyteKind(parsing: analyteKind),
            let assay = Assay(parsing: assay),
            let unit = MeasurementUnit(parsing: unit)
        else { throw StoreError.notFound(table: "sampleMeasurement", id: String(id ?? 0)) }
        return SampleMeasurement(
            sample: sample, analyte: Analyte(name: analyte, kind: kind, accession: accession), assay: assay,
            value: value,
            unit: unit, replicate: replicate,
            flags: Set(flags.split(separator: ";").compactMap { MeasurementFlag(parsing: String($0)) }),
            source: InputLocation(path: sourcePath, line: sourceLine))
    }
}

/// A row of `qpcrCurve`.
struct CurveRow: Codable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "qpcrCurve"
    var id: Int64?
    var studyId: String
    var sourcePath: String
    var run: String
    var well: String
    var sample: String
    var sampleType: String
    var target: String
    var quantity: Double?
    var cq: Double?
    var efficiency: Double?
    var meanEfficiency: Double?
    var n0: Double?
    var baseline: Double?
    var windowLower: Double?
    var windowUpper: Double?
    var threshold: Double?
    var amplified: Bool
    var flags: String
    var fluorescenceJSON: String

    init(studyId: String, curve: StoredCurve) throws {
        id = nil
        self.studyId = studyId
        sourcePath = curve.sourcePath
        run = curve.run
        well = curve.well
        sample = curve.sample
        sampleType = curve.sampleType
        target = curve.target
        quantity = curve.quantity
        cq = curve.cq
        efficiency = curve.efficiency
        meanEfficiency = curve.meanEfficiency
        n0 = curve.n0
        baseline = curve.baseline
        windowLower = curve.windowLower
        windowUpper = curve.windowUpper
        threshold = curve.threshold
        amplified = curve.amplified
        flags = curve.flags.joined(separator: ";")
        fluorescenceJSON = String(decoding: try StoreJSON.encoder.encode(curve.fluorescence), as: UTF8.self)
    }

    var curve: StoredCurve {
        StoredCurve(
            sourcePath: sourcePath, run: run, well: well, sample: sample, sampleType: sampleType, target: target,
            quantity: quantity, cq: cq, efficiency: efficiency, meanEfficiency: meanEfficiency, n0: n0,
            baseline: baseline,
            windowLower: windowLower, windowUpper: windowUpper, threshold: threshold, amplified: amplified,
            flags: flags.split(separator: ";").map(String.init),
            fluorescence: (try? StoreJSON.decoder.decode([Double?].self, from: Data(fluorescenceJSON.utf8))) ?? [])
    }
}

/// A row of `inputFile`.
struct InputFileRow: Codable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "inputFile"
    var studyId: String
    var path: String
    var sha256: String
    var byteCount: Int
    var role: String
}

/// A row of `audit` (append-only: triggers refuse DELETE, and UPDATE of a hashed row), chained by ``AuditChain``.
struct AuditRow: Codable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "audit"
    var id: Int64?
    var at: String
    var actor: String
    var action: String
    var entity: String
    var detail: String
    var version: String
    var previousHash: String?
    var hash: String?

    var entry: AuditEntry {
        AuditEntry(
            id: id, at: at, actor: actor, action: action, entity: entity, detail: detail, version: version,
            previousHash: previousHash, hash: hash)
    }

    /// Appends an entry (stamped now unless `at` is given) with this ExoScope's version, chained to the last one, inside the caller's
    /// write transaction (so two writers cannot both chain to the same entry: the unique index on `previousHash`
    /// refuses the second).
    static func append(
        at: String = Timestamp.now(), actor: String, action: String, entity: String, detail: String, in db: Database
    ) throws {
        let previous =
            try String.fetchOne(db, sql: "SELECT hash FROM audit ORDER BY id DESC LIMIT 1") ?? AuditChain.genesis
        var row = AuditRow(
            id: nil, at: at, actor: actor, action: action, entity: entity, detail: detail,
            version: ExoScopeVersion.current, previousHash: previous, hash: nil)
        row.hash = AuditChain.hash(of: row.entry, previous: previous)
        try row.insert(db)
    }

    /// Gives every row without a hash (entries written before the chain existed) its link and hash, in id order.
    static func chainUnhashed(in db: Database) throws {
        var previous = AuditChain.genesis
        for var row in try AuditRow.order(Column("id")).fetchAll(db) {
            if row.hash == nil {
                row.previousHash = previous
                row.hash = AuditChain.hash(of: row.entry, previous: previous)
                try row.update(db)
            }
            previous = row.hash ?? previous
        }
    }
}

/// JSON coding with sorted keys, so stored JSON is byte-identical for identical values.
enum StoreJSON {
    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return encoder
    }()
    static let decoder = JSONDecoder()
}

struct ResultRow: Codable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "analysisResult"
    var studyId: String
    var kind: String
    var resultJSON: String
    var provenanceJSON: String
    var inputDigest: String
    var createdAt: String
}
