public import ExoCore
import Foundation
import GRDB

/// The embedded store: one SQLite file (or memory), through GRDB.
///
/// SQLite's rollback journal makes each import atomic even when the process is killed mid-write:
/// the next open rolls the unfinished transaction back.
public final class SQLiteStore: Store {
    let queue: DatabaseQueue
    /// The file path, or `nil` for an in-memory store.
    public let path: String?

    /// Opens (creating if needed) the database at `path` and applies pending migrations.
    public convenience init(path: String) async throws {
        try await self.init(path: path, migratingUpTo: nil)
    }

    /// Opens the database and applies migrations up to and including `last` (every migration when `nil`);
    /// tests use it to build a database of an earlier schema.
    package init(path: String, migratingUpTo last: String?) async throws {
        self.path = path
        var configuration = Configuration()
        configuration.foreignKeysEnabled = true
        configuration.label = "exoscope"
        do {
            queue = try DatabaseQueue(path: path, configuration: configuration)
        } catch {
            throw StoreError(error, path: path)
                ?? StoreError.cannotOpen(path: path, reason: (error as? DatabaseError)?.message ?? "\(error)")
        }
        do {
            if let last {
                try Self.migrator.migrate(queue, upTo: last)
            } else {
                try await migrate()
            }
        } catch {
            // Not a database, read-only, locked: said with the file's path (StoreError.init(_:path:)).
            throw StoreError(error, path: path) ?? error
        }
    }

    /// An empty in-memory store with every migration applied (tests, dry runs).
    public init() async throws {
        path = nil
        var configuration = Configuration()
        configuration.foreignKeysEnabled = true
        queue = try DatabaseQueue(configuration: configuration)
        try await migrate()
    }

    private static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        for migration in MigrationPlan.migrations {
            migrator.registerMigration(migration.identifier) { db in
                try db.execute(sql: migration.sqlite)
                switch migration.backfill {
                case .auditHashChain: try AuditRow.chainUnhashed(in: db)
                case nil: break
                }
            }
        }
        return migrator
    }

    public func migrate() async throws {
        let applied = try await appliedMigrations()
        let known = MigrationPlan.identifiers
        guard applied.allSatisfy(known.contains) else {
            throw StoreError.migrationMismatch(applied: applied, known: known)
        }
        try Self.migrator.migrate(queue)
    }

    public func appliedMigrations() async throws -> [String] {
        try await queue.read { db in
            guard try db.tableExists("grdb_migrations") else { return [] }
            return try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations ORDER BY rowid")
        }
    }

    public func importStudy(_ payload: ImportPayload) async throws -> ImportOutcome {
        try await queue.write { db in try Self.importStudy(payload, into: db) }
    }

    /// The import, inside the write transaction GRDB opened.
    private static func importStudy(_ payload: ImportPayload, into db: Database) throws -> ImportOutcome {
        let studyID = payload.study.id
        let stored = try InputFileRow.filter(Column("studyId") == studyID).fetchAll(db)
        let storedDigests = Dictionary(uniqueKeysWithValues: stored.map { ($0.path, $0.sha256) })
        let changed = payload.files.filter { storedDigests[$0.path] != $0.sha256 }.map(\.path)
        let removed = stored.map(\.path).filter { path in !payload.files.contains { $0.path == path } }
        if changed.isEmpty, removed.isEmpty {
            try payload.verifyBeforeCommit()
            return .unchanged(files: payload.files.count)
        }
        let isNew = try StudyRow.fetchOne(db, key: studyID) == nil
        let now = Timestamp.now()
        // Replace the study's content wholesale: the payload is the study as it is now.
        try db.execute(sql: "DELETE FROM sampleMeasurement WHERE studyId = ?", arguments: [studyID])
        try db.execute(sql: "DELETE FROM sample WHERE studyId = ?", arguments: [studyID])
        try db.execute(sql: "DELETE FROM patient WHERE studyId = ?", arguments: [studyID])
        try db.execute(sql: "DELETE FROM inputFile WHERE studyId = ?", arguments: [studyID])
        try db.execute(sql: "DELETE FROM qpcrCurve WHERE studyId = ?", arguments: [studyID])
        // Results of the old content no longer describe the study.
        try db.execute(sql: "DELETE FROM analysisResult WHERE studyId = ?", arguments: [studyID])
        try StudyRow(
            id: studyID, title: payload.study.title, description: payload.study.description,
            tumour: payload.study.tumour,
            definitionJSON: payload.study.definitionJSON, importedAt: now
        ).save(db)
        for patient in Set(payload.samples.map(\.patient)).sorted() {
            try PatientRow(studyId: studyID, id: patient.rawValue).insert(db)
        }
        for sample in payload.samples { try SampleRow(studyId: studyID, sample: sample).insert(db) }
        for (index, measurement) in payload.measurements.enumerated() {
            try MeasurementRow(studyId: studyID, measurement: measurement).insert(db)
            try payload.afterMeasurementRow(index + 1)
        }
        for curve in payload.curves { try CurveRow(studyId: studyID, curve: curve).insert(db) }
        for file in payload.files {
            try InputFileRow(
                studyId: studyID, path: file.path, sha256: file.sha256, byteCount: file.byteCount, role: file.role
            )
            .insert(db)
        }
        let summary = ImportSummary(
            isNewStudy: isNew, samples: payload.samples.count, measurements: payload.measurements.count,
            changedFiles: changed.sorted(), removedFiles: removed.sorted())
        let detail = AuditDetail(summary: summary, provenance: payload.provenance)
        try AuditRow.append(
            at: now, actor: payload.actor, action: isNew ? "import" : "reimport", entity: "study:\(studyID)",
            detail: String(decoding: try StoreJSON.encoder.encode(detail), as: UTF8.self), in: db)
        try payload.verifyBeforeCommit()
        return .imported(summary)
    }

    public func status() async throws -> StoreStatus {
        let migrations = try await appliedMigrations()
        return try await queue.read { db in
            let studies = try StudyRow.order(Column("id")).fetchAll(db).map { study in
                let count = { (table: String) in
                    try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM \(table) WHERE studyId = ?", arguments: [study.id])
                        ?? 0
                }
                return StoreStatus.StudyCounts(
                    id: study.id, title: study.title, patients: try count("patient"), samples: try count("sample"),
                    measurements: try count("sampleMeasurement"), files: try count("inputFile"),
                    lastImport: study.importedAt)
            }
            return StoreStatus(studies: studies, migrations: migrations, auditEntries: try AuditRow.fetchCount(db))
        }
    }

    public func study(id: String) async throws -> StudyRecord {
        try await queue.read { db in
            guard let row = try StudyRow.fetchOne(db, key: id) else {
                throw StoreError.notFound(table: "study", id: id)
            }
            return StudyRecord(
                id: row.id, title: row.title, description: row.description, tumour: row.tumour,
                definitionJSON: row.definitionJSON)
        }
    }

    public func samples(study: String) async throws -> [Sample] {
        try await queue.read { db in
            try SampleRow.filter(SampleRow.Columns.studyId == study).order(SampleRow.Columns.id).fetchAll(db).map {
                try $0.sample()
            }
        }
    }

    public func measurements(study: String) async throws -> [SampleMeasurement] {
        try await queue.read { db in
            try MeasurementRow.filter(Column("studyId") == study).order(
                Column("sourcePath"), Column("sourceLine"), Column("id")
            )
            .fetchAll(db).map { try $0.measurement() }
        }
    }

    public func curves(study: String) async throws -> [StoredCurve] {
        try await queue.read { db in
            try CurveRow.filter(Column("studyId") == study).order(Column("id")).fetchAll(db).map(\.curve)
        }
    }

    public func inputFiles(study: String) async throws -> [StoredInputFile] {
        try await queue.read { db in
            try InputFileRow.filter(Column("studyId") == study).order(Column("path")).fetchAll(db).map {
                StoredInputFile(path: $0.path, sha256: $0.sha256, byteCount: $0.byteCount, role: $0.role)
            }
        }
    }

    public func auditLog() async throws -> [AuditEntry] {
        try await queue.read { db in try AuditRow.order(Column("id")).fetchAll(db).map(\.entry) }
    }

    public func verifyAuditLog(head: String?) async throws -> AuditVerification {
        try await queue.read { db in
            let entries = try AuditRow.order(Column("id")).fetchAll(db).map(\.entry)
            // AUTOINCREMENT keeps the largest id ever assigned in sqlite_sequence, so rows removed from the end show.
            let assigned = try Int64.fetchOne(db, sql: "SELECT seq FROM sqlite_sequence WHERE name = 'audit'")
            return AuditChain.verify(entries, lastAssignedID: assigned, head: head)
        }
    }

    public func saveResult(_ result: StoredResult, actor: String) async throws {
        let provenance = String(decoding: try StoreJSON.encoder.encode(result.provenance), as: UTF8.self)
        try await queue.write { db in
            guard try StudyRow.fetchOne(db, key: result.study) != nil else {
                throw StoreError.notFound(table: "study", id: result.study)
            }
            try ResultRow(
                studyId: result.study, kind: result.kind, resultJSON: result.json, provenanceJSON: provenance,
                inputDigest: result.inputDigest, createdAt: Timestamp.now()
            ).save(db)
            try AuditRow.append(
                actor: actor, action: "analyse", entity: "\(result.study)/\(result.kind)", detail: provenance, in: db)
        }
    }

    public func recordAudit(actor: String, action: String, entity: String, detail: String) async throws {
        try await queue.write { db in
            try AuditRow.append(actor: actor, action: action, entity: entity, detail: detail, in: db)
        }
    }

    public func result(study: String, kind: String) async throws -> StoredResult? {
        try await queue.read { db in
            guard let row = try ResultRow.filter(Column("studyId") == study && Column("kind") == kind).fetchOne(db)
            else { return nil }
            return StoredResult(
                study: row.studyId, kind: row.kind, json: row.resultJSON,
                provenance: try StoreJSON.decoder.decode(Provenance.self, from: Data(row.provenanceJSON.utf8)),
                inputDigest: row.inputDigest)
        }
    }

    /// Every table's rows except timestamps and audit ids, as text: two stores with equal content
    /// give equal dumps.
    ///
    /// Used by tests to compare an interrupted-then-repeated import with a clean one.
    public func contentDump() async throws -> String {
        try await queue.read { db in
            var lines: [String] = []
            let queries = [
                "SELECT id, title, description, tumour, definitionJSON FROM study ORDER BY id",
                "SELECT * FROM patient ORDER BY studyId, id",
                "SELECT * FROM sample ORDER BY studyId, id",
                "SELECT studyId, sampleId, analyte, analyteKind, accession, assay, value, unit, replicate, flags, sourcePath, sourceLine FROM sampleMeasurement ORDER BY studyId, sourcePath, sourceLine, replicate",
                "SELECT * FROM inputFile ORDER BY studyId, path",
                "SELECT studyId, sourcePath, run, well, sample, target, cq, efficiency, flags, fluorescenceJSON FROM qpcrCurve ORDER BY studyId, sourcePath, run, id",
                "SELECT actor, action, entity, version FROM audit ORDER BY id",
            ]
            for sql in queries {
                lines.append(sql)
                for row in try Row.fetchAll(db, sql: sql) { lines.append(row.description) }
            }
            return lines.joined(separator: "\n")
        }
    }

    /// Runs raw SQL (tests of the audit triggers).
    package func executeForTesting(_ sql: String) async throws {
        try await queue.write { db in try db.execute(sql: sql) }
    }
}

/// What an import's audit entry records.
struct AuditDetail: Codable {
    var summary: ImportSummary
    var provenance: Provenance
}

/// ISO 8601 timestamps in UTC, as stored.
enum Timestamp {
    static func now() -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.string(from: Date())
    }
}
