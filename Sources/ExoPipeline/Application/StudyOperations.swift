public import ExoCore
import ExoFormats
public import ExoStore
public import Foundation

/// The operations on a study folder and its database: `demo`, `init`, `validate`, `import`, `run`, `status`,
/// `report` and `alerts`.
public enum StudyOperations {}

// MARK: - validate

extension StudyOperations {
    /// `validate`: a study folder checked, every problem at once.
    public struct ValidateRequest: Sendable, Equatable {
        public var directory: URL

        public init(directory: URL) { self.directory = directory }
    }

    /// A valid study's summary (the JSON of `validate`).
    public struct ValidateResult: Sendable, Encodable {
        public var study: String
        public var files: Int
        public var samples: Int
        public var measurements: Int
        /// How miRNA names were resolved, one sentence each.
        public var nameResolutions: [String]
        /// Files, samples and values as a phrase.
        public var inputSummary: String

        enum CodingKeys: String, CodingKey {
            case study, files, samples, measurements, nameResolutions
        }
    }

    /// One problem of an invalid study, as JSON.
    public struct Problem: Sendable, Encodable, Equatable {
        public var file: String
        /// 1-based; 0 for the file as a whole.
        public var line: Int
        public var column: Int?
        public var kind: String
        public var message: String
        public var hint: String?

        public init(_ error: InputError) {
            file = error.location.path
            line = error.location.line
            column = error.location.column
            kind = error.kind.rawValue
            message = error.message
            hint = error.hint
        }

        /// Encodes `column` and `hint` as `null` when absent, so every object has the same keys.
        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(file, forKey: .file)
            try container.encode(line, forKey: .line)
            try container.encode(column, forKey: .column)
            try container.encode(kind, forKey: .kind)
            try container.encode(message, forKey: .message)
            try container.encode(hint, forKey: .hint)
        }

        enum CodingKeys: String, CodingKey {
            case file, line, column, kind, message, hint
        }
    }

    /// Runs `validate`.
    /// - Throws: `InputErrorList` with every problem.
    public static func validate(_ request: ValidateRequest, progress: any PipelineProgress = SilentProgress())
        throws(InputErrorList) -> ValidateResult
    {
        let loaded = try Pipeline.validate(request.directory, progress: progress)
        return ValidateResult(
            study: loaded.definition.id, files: loaded.files.count, samples: loaded.samples.count,
            measurements: loaded.measurements.count, nameResolutions: loaded.nameResolutions.map(\.explanation),
            inputSummary: Pipeline.inputSummary(loaded))
    }
}

// MARK: - import

extension StudyOperations {
    /// `import`: a study validated and imported in one transaction.
    public struct ImportRequest: Sendable, Equatable {
        public var directory: URL
        public var databasePath: String
        /// Who imports, for the audit log.
        public var actor: String

        public init(directory: URL, databasePath: String, actor: String) {
            self.directory = directory
            self.databasePath = databasePath
            self.actor = actor
        }
    }

    /// What the import did (the JSON of `import`).
    public struct ImportResult: Sendable, Encodable {
        public var study: String
        public var database: String
        /// `imported`, `reimported` or `unchanged`.
        public var outcome: String
        public var samples: Int?
        public var measurements: Int?
        public var changedFiles: [String]?
        /// When unchanged: how many files were already imported with the same SHA-256.
        public var unchangedFiles: Int?

        enum CodingKeys: String, CodingKey {
            case study, database, outcome, samples, measurements, changedFiles
        }
    }

    /// Runs `import`; `afterMeasurementRow` is called after each measurement row is written (tests interrupt
    /// the process there).
    public static func importStudy(
        _ request: ImportRequest, progress: any PipelineProgress = SilentProgress(),
        afterMeasurementRow: @escaping @Sendable (Int) throws -> Void = { _ in }
    ) async throws -> ImportResult {
        let loaded = try Pipeline.validate(request.directory, progress: progress)
        let store = try await SQLiteStore(path: request.databasePath)
        let outcome = try await Pipeline.importStudy(
            loaded, into: store, actor: request.actor, progress: progress, afterMeasurementRow: afterMeasurementRow)
        var result = ImportResult(study: loaded.definition.id, database: request.databasePath, outcome: "unchanged")
        switch outcome {
        case .unchanged(let files):
            result.unchangedFiles = files
        case .imported(let summary):
            result.outcome = summary.isNewStudy ? "imported" : "reimported"
            result.samples = summary.samples
            result.measurements = summary.measurements
            result.changedFiles = summary.changedFiles
        }
        return result
    }
}

// MARK: - run and demo

extension StudyOperations {
    /// `run`: validate, import, every stage, report.
    public struct RunRequest: Sendable, Equatable {
        public var directory: URL
        public var databasePath: String
        public var reportURL: URL
        public var actor: String

        public init(directory: URL, databasePath: String, reportURL: URL, actor: String) {
            self.directory = directory
            self.databasePath = databasePath
            self.reportURL = reportURL
            self.actor = actor
        }
    }

    /// Runs `run`.
    public static func run(_ request: RunRequest, progress: any PipelineProgress = SilentProgress()) async throws
        -> Pipeline.RunSummary
    {
        let store = try await SQLiteStore(path: request.databasePath)
        return try await Pipeline.run(
            studyDirectory: request.directory, store: store, databasePath: request.databasePath,
            reportURL: request.reportURL, actor: request.actor, progress: progress)
    }

    /// `demo`: the example study written into a folder and run.
    public struct DemoRequest: Sendable, Equatable {
        /// The folder for the study, database and report.
        public var folder: URL
        public var seed: UInt64
        public var actor: String

        public init(folder: URL, seed: UInt64 = DemoStudy.Parameters().seed, actor: String) {
            self.folder = folder
            self.seed = seed
            self.actor = actor
        }
    }

    /// Where the demo study went, and what running it did.
    public struct DemoResult: Sendable {
        public var studyFolder: URL
        public var seed: UInt64
        public var summary: Pipeline.RunSummary
    }

    /// Runs `demo`.
    public static func demo(_ request: DemoRequest, progress: any PipelineProgress = SilentProgress()) async throws
        -> DemoResult
    {
        let studyFolder = request.folder.appendingPathComponent("study", isDirectory: true)
        var parameters = DemoStudy.Parameters()
        parameters.seed = request.seed
        do {
            try DemoStudy(parameters: parameters).write(to: studyFolder)
        } catch {
            throw OperationError.cannotCreate("cannot write the demo study to '\(studyFolder.path)'")
        }
        let summary = try await run(
            RunRequest(
                directory: studyFolder,
                databasePath: request.folder.appendingPathComponent("exoscope.sqlite").path,
                reportURL: request.folder.appendingPathComponent("report.html"), actor: request.actor),
            progress: progress)
        return DemoResult(studyFolder: studyFolder, seed: request.seed, summary: summary)
    }
}

// MARK: - init

extension StudyOperations {
    /// `init`: a study folder scaffolded with templates to fill in; never over an existing study.
    public struct InitRequest: Sendable, Equatable {
        /// The folder as the user named it (messages quote it).
        public var folder: String
        /// The study id (default: from the folder's name).
        public var id: String?

        public init(folder: String, id: String? = nil) {
            self.folder = folder
            self.id = id
        }
    }

    /// The folder and the files written.
    public struct InitResult: Sendable {
        public var folder: URL
        public var files: [String]
    }

    /// Runs `init`.
    public static func initStudy(_ request: InitRequest) throws(OperationError) -> InitResult {
        let url = URL(fileURLWithPath: request.folder, isDirectory: true).standardizedFileURL
        let studyID =
            request.id ?? url.lastPathComponent.filter { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" }
        guard !FileManager.default.fileExists(atPath: url.appendingPathComponent("study.yaml").path) else {
            throw .cannotCreate("'\(request.folder)/study.yaml' already exists; init never overwrites a study")
        }
        let files = StudyTemplate.files(id: studyID.isEmpty ? "MY-STUDY" : studyID)
        do {
            for (path, contents) in files {
                let fileURL = url.appendingPathComponent(path)
                try FileManager.default.createDirectory(
                    at: fileURL.deletingLastPathComponent(), withIntermediateDirectories: true)
                try Data(contents.utf8).write(to: fileURL, options: .withoutOverwriting)
            }
        } catch {
            throw .cannotCreate("cannot create '\(request.folder)': \(error.localizedDescription)")
        }
        return InitResult(folder: url, files: files.map(\.path))
    }
}

// MARK: - status and report

extension StudyOperations {
    /// `status`: what a database holds.
    public struct StatusRequest: Sendable, Equatable {
        public var databasePath: String

        public init(databasePath: String) { self.databasePath = databasePath }
    }

    /// Runs `status`.
    public static func status(_ request: StatusRequest) async throws -> StoreStatus {
        guard FileManager.default.fileExists(atPath: request.databasePath) else {
            throw OperationError.notFound(
                "no database at '\(request.databasePath)'; pass --database or run 'exoscope import' first")
        }
        return try await SQLiteStore(path: request.databasePath).status()
    }

    /// `audit verify`: checks the audit log's hash chain.
    public struct AuditVerifyRequest: Sendable, Equatable {
        public var databasePath: String
        /// A head written down earlier, which must still be in the chain.
        public var head: String?

        public init(databasePath: String, head: String? = nil) {
            self.databasePath = databasePath
            self.head = head
        }
    }

    /// Runs `audit verify`.
    public static func verifyAudit(_ request: AuditVerifyRequest) async throws -> AuditVerification {
        guard FileManager.default.fileExists(atPath: request.databasePath) else {
            throw OperationError.notFound(
                "no database at '\(request.databasePath)'; pass --database or run 'exoscope import' first")
        }
        if let head = request.head, head.count != 64 || !head.allSatisfy(\.isHexDigit) {
            throw OperationError.usage("--head must be an audit hash: 64 hexadecimal digits, as 'audit verify' prints")
        }
        return try await SQLiteStore(path: request.databasePath).verifyAuditLog(head: request.head)
    }

    /// `report`: the HTML report of a stored study written to a file.
    public struct ReportRequest: Sendable, Equatable {
        public var databasePath: String
        /// The study (`nil`: the only study in the database).
        public var studyID: String?
        public var output: URL

        public init(databasePath: String, studyID: String? = nil, output: URL) {
            self.databasePath = databasePath
            self.studyID = studyID
            self.output = output
        }
    }

    /// The study reported and where.
    public struct ReportResult: Sendable, Encodable {
        public var study: String
        public var report: String
    }

    /// Runs `report`.
    public static func report(_ request: ReportRequest, progress: any PipelineProgress = SilentProgress())
        async throws -> ReportResult
    {
        guard FileManager.default.fileExists(atPath: request.databasePath) else {
            throw OperationError.notFound("no database at '\(request.databasePath)'; pass --database")
        }
        let store = try await SQLiteStore(path: request.databasePath)
        let studies = try await store.status().studies.map(\.id)
        guard let id = request.studyID ?? (studies.count == 1 ? studies.first : nil) else {
            throw OperationError.usage(
                studies.isEmpty
                    ? "the database holds no study; run 'exoscope import' first"
                    : "the database holds \(studies.count) studies (\(studies.joined(separator: ", "))); choose one with --study-id"
            )
        }
        let html = try await Pipeline.report(studyID: id, from: store, progress: progress)
        try Pipeline.writeAtomically(html, to: request.output)
        return ReportResult(study: id, report: request.output.standardizedFileURL.path)
    }
}

// MARK: - alerts

extension StudyOperations {
    /// The study id from study.yaml alone (without reading the data files).
    /// - Throws: `InputError` when study.yaml cannot be read, `InputErrorList` when it is invalid.
    public static func studyID(of directory: URL) throws -> String {
        let file = try TextFile(
            url: directory.appendingPathComponent(StudyFile.fileName), displayPath: StudyFile.fileName)
        let (definition, errors) = StudyFile.parse(file)
        guard let definition else { throw InputErrorList(errors) }
        return definition.id
    }

    /// `alerts`: a study's alerts.
    public struct AlertsRequest: Sendable, Equatable {
        public var study: URL
        public var databasePath: String
        /// Include acknowledged alerts.
        public var all: Bool

        public init(study: URL, databasePath: String, all: Bool = false) {
            self.study = study
            self.databasePath = databasePath
            self.all = all
        }
    }

    /// The alerts.
    public struct AlertsResult: Sendable {
        public var alerts: [AlertRecord]

        /// One row per alert.
        public var table: ResultTable {
            ResultTable(
                columns: ["id", "kind", "patient", "sample", "raised", "status", "evidence"],
                rows: alerts.map { alert in
                    [
                        .text(String(alert.id ?? 0)), .text(alert.kind.rawValue), .text(alert.patient),
                        .text(alert.sample), .text(alert.raisedAt),
                        .text(
                            alert.acknowledgedAt.map { "acknowledged \($0) by \(alert.acknowledgedBy ?? "?")" }
                                ?? "open"),
                        .text(alert.evidence),
                    ]
                })
        }
    }

    /// Runs `alerts`.
    public static func alerts(_ request: AlertsRequest) async throws -> AlertsResult {
        let id = try studyID(of: request.study)
        let store = try await SQLiteStore(path: request.databasePath)
        return AlertsResult(alerts: try await store.alerts(study: id).filter { request.all || !$0.isAcknowledged })
    }

    /// `alerts acknowledge`: an alert acknowledged with a note, audited.
    public struct AcknowledgeRequest: Sendable, Equatable {
        public var id: Int64
        public var note: String
        public var study: URL
        public var databasePath: String
        public var actor: String

        public init(id: Int64, note: String, study: URL, databasePath: String, actor: String) {
            self.id = id
            self.note = note
            self.study = study
            self.databasePath = databasePath
            self.actor = actor
        }
    }

    /// Runs `alerts acknowledge`.
    public static func acknowledge(_ request: AcknowledgeRequest) async throws -> AlertRecord {
        guard FileManager.default.fileExists(atPath: request.databasePath) else {
            throw OperationError.notFound("no database at \(request.databasePath)")
        }
        let store = try await SQLiteStore(path: request.databasePath)
        return try await store.acknowledgeAlert(
            id: request.id, study: try studyID(of: request.study), actor: request.actor, note: request.note)
    }
}

/// The files `exoscope init` writes.
enum StudyTemplate {
    /// The files, each with its path in the study folder and its contents.
    static func files(id: String) -> [(path: String, contents: String)] {
        [
            (
                "study.yaml",
                """
                # ExoScope study definition. Every key is documented in docs/study-format.md.
                schema: 1
                id: \(id)
                title: My exosome study
                description: What the study is about, in a sentence or two.
                tumour: NSCLC
                specimen: serum            # default for rows whose specimen is empty
                sampleSheet: samples.tsv
                treatmentEvent: treatment start
                measurements:
                  - file: data/qpcr-cq.tsv
                    assay: qPCR
                    unit: Cq
                analytes:
                  monitored: [hsa-miR-21-5p]
                  spikeIns: [cel-miR-39-3p]
                  references: [hsa-miR-16-5p]

                """
            ),
            (
                "samples.tsv",
                "sample_id\tpatient_id\tgroup\tspecimen\tcollection_date\tday\ttimepoint\tstage\tmetastasis\tisolation_method\tinput_volume_ml\n"
                    + "P001-S1\tP001\tcase\tserum\t2025-01-06\t0\tbaseline\tIIIA\tno\tsize-exclusion-chromatography\t1.0\n"
                    + "H001-S1\tH001\tcontrol\tserum\t2025-01-07\t\tdiagnosis\t\t\tsize-exclusion-chromatography\t1.0\n"
            ),
            (
                "data/qpcr-cq.tsv",
                "sample_id\tanalyte\treplicate\tvalue\n"
                    + "P001-S1\thsa-miR-21-5p\t1\t25.31\nH001-S1\thsa-miR-21-5p\t1\t26.40\n"
                    + "P001-S1\tcel-miR-39-3p\t1\t20.12\nH001-S1\tcel-miR-39-3p\t1\t20.05\n"
                    + "P001-S1\thsa-miR-16-5p\t1\t22.10\nH001-S1\thsa-miR-16-5p\t1\t21.95\n"
            ),
        ]
    }
}
