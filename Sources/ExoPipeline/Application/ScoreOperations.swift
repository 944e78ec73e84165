import ExoCore
public import ExoDiagnosis
import ExoStore
import Foundation

/// The `score` operation: a locked diagnostic model applied to new samples.
public enum ScoreOperations {
    /// `score`: the model file, the samples and, optionally, the study whose stored EV-QC verdicts decide each
    /// sample's QC status.
    public struct Request: Sendable, Equatable {
        public var model: String
        public var samples: String
        /// The study folder, as the user named it (`nil`: no stored QC, no override).
        public var study: String?
        /// The study's database file.
        public var databasePath: String?
        public var excluded: [String]
        /// Score samples that failed QC anyway, for this stated reason (audited).
        public var overrideQC: String?
        /// Who runs it, for the audit log.
        public var actor: String

        public init(
            model: String, samples: String, study: String? = nil, databasePath: String? = nil,
            excluded: [String] = [], overrideQC: String? = nil, actor: String
        ) {
            self.model = model
            self.samples = samples
            self.study = study
            self.databasePath = databasePath
            self.excluded = excluded
            self.overrideQC = overrideQC
            self.actor = actor
        }
    }

    /// Every sample's score or refusal.
    public struct Result: Sendable {
        public var scores: [LockedModel.Score]

        /// How many samples were refused.
        public var refused: Int { scores.filter { $0.refusal != nil }.count }

        /// The scores as a table.
        public var table: ResultTable {
            ResultTable(
                columns: ["sample", "probability", "low", "high", "call", "near_cut", "refusal", "qc_override"],
                rows: scores.map {
                    [
                        .text($0.sample), .number($0.probability), .number($0.low), .number($0.high),
                        .optionalText($0.call), .flag($0.nearCut), .optionalText($0.refusal),
                        .optionalText($0.qcOverride),
                    ]
                })
        }
    }

    /// Runs `score`; an override of QC is recorded in the study's audit log.
    public static func score(_ request: Request) async throws -> Result {
        let locked = try LockedModel(contentsOf: URL(fileURLWithPath: request.model), displayPath: request.model)
        // Other text columns (a patient pseudonym, a site) are sample information, not analytes.
        let data = try MatrixColumnSelection.read(
            request.samples, label: nil, textColumns: LockedModel.annotationColumns, excluded: request.excluded)
        var preparationQC: [String: Bool]?
        var audit: (store: SQLiteStore, studyID: String)?
        if let study = request.study {
            let directory = URL(fileURLWithPath: study, isDirectory: true)
            let path = request.databasePath ?? directory.appendingPathComponent("exoscope.sqlite").path
            // The study's database must exist: opening a missing one would create it empty.
            guard FileManager.default.fileExists(atPath: path) else {
                throw InputErrorList([
                    InputError(
                        .fileNotFound, at: InputLocation(path: path),
                        "no database \(InputError.quoted(path)) for the study",
                        hint: "run 'exoscope run \(study)' first, or give the --database it used")
                ])
            }
            let store = try await SQLiteStore(path: path)
            let stored = try await Pipeline.preparationQC(study: directory, store: store)
            preparationQC = stored.verdicts
            audit = (store, stored.studyID)
        }
        let scores = try locked.score(data, preparationQC: preparationQC, qcOverride: request.overrideQC)
        let overridden = scores.filter { $0.qcOverride != nil }.map(\.sample)
        if let overrideQC = request.overrideQC, let audit, !overridden.isEmpty {
            let detail: [String: String] = [
                "model": "\(locked.name) (sha256 \((locked.sha256 ?? "").prefix(16)))",
                "samples": overridden.joined(separator: ", "),
                "reason": overrideQC,
            ]
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            try await audit.store.recordAudit(
                actor: request.actor, action: "override-qc", entity: "\(audit.studyID)/score",
                detail: String(decoding: try encoder.encode(detail), as: UTF8.self))
        }
        return Result(scores: scores)
    }
}
