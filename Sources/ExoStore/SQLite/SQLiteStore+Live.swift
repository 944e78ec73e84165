public import ExoCore
import Foundation
import GRDB

extension SQLiteStore {
    public func openLiveRun(study: String, layout: LiveLayout) async throws -> LiveRunRecord {
        let layoutJSON = String(decoding: try StoreJSON.encoder.encode(layout), as: UTF8.self)
        return try await queue.write { db in
            if let row = try LiveRunRow.fetchOne(db, key: layout.run) {
                // Run ids are unique in a database: another study's run is never resumed or written to.
                guard row.studyId == study else {
                    throw StoreError.conflict(
                        "run id '\(layout.run)' is already a run of another study in this database")
                }
                return try row.record()
            }
            let row = LiveRunRow(
                id: layout.run, studyId: study, layoutJSON: layoutJSON, startedAt: Timestamp.now(), endSeq: nil,
                finishedAt: nil, resultPath: nil)
            try row.insert(db)
            return try row.record()
        }
    }

    public func liveRuns(study: String) async throws -> [LiveRunRecord] {
        try await queue.read { db in
            try LiveRunRow.filter(Column("studyId") == study).order(Column("startedAt"), Column("id")).fetchAll(db)
                .map { try $0.record() }
        }
    }

    public func appendLiveReadings(run: String, _ readings: [LiveReading], endSeq: Int?) async throws {
        try await queue.write { db in
            let insert = try db.cachedStatement(
                sql: """
                    INSERT OR IGNORE INTO liveReading (runId, seq, well, cycle, fluorescence, positives, partitions)
                    VALUES (?, ?, ?, ?, ?, ?, ?)
                    """)
            for reading in readings {
                try insert.execute(arguments: [
                    run, reading.seq, reading.well, reading.cycle, reading.fluorescence, reading.positives,
                    reading.partitions,
                ])
            }
            if let endSeq {
                try db.execute(sql: "UPDATE liveRun SET endSeq = ? WHERE id = ?", arguments: [endSeq, run])
            }
        }
    }

    public func liveReadings(run: String) async throws -> [LiveReading] {
        try await queue.read { db in
            let rows = try Row.fetchCursor(
                db,
                sql:
                    "SELECT seq, well, cycle, fluorescence, positives, partitions FROM liveReading WHERE runId = ? ORDER BY seq",
                arguments: [run])
            var readings: [LiveReading] = []
            while let row = try rows.next() {
                let seq: Int = row[0]
                let well: String = row[1]
                if let cycle: Int = row[2], let fluorescence: Double = row[3] {
                    readings.append(
                        LiveReading(run: run, seq: seq, well: well, cycle: cycle, fluorescence: fluorescence))
                } else if let positives: Int = row[4], let partitions: Int = row[5] {
                    readings.append(
                        LiveReading(run: run, seq: seq, well: well, positives: positives, partitions: partitions))
                }
            }
            return readings
        }
    }

    public func finishLiveRun(id: String, resultPath: String, actor: String) async throws {
        try await queue.write { db in
            guard try LiveRunRow.fetchOne(db, key: id) != nil else {
                throw StoreError.notFound(table: "live run", id: id)
            }
            try db.execute(
                sql: "UPDATE liveRun SET finishedAt = ?, resultPath = ? WHERE id = ?",
                arguments: [Timestamp.now(), resultPath, id])
            try AuditRow.append(
                actor: actor, action: "finish-live-run", entity: "live-run:\(id)", detail: resultPath, in: db)
        }
    }

    public func raiseAlerts(_ alerts: [AlertRecord], actor: String) async throws -> [AlertRecord] {
        try await queue.write { db in
            var raised: [AlertRecord] = []
            for alert in alerts {
                let exists =
                    try AlertRow.filter(
                        Column("studyId") == alert.study && Column("kind") == alert.kind.rawValue
                            && Column("patientId") == alert.patient && Column("sampleId") == alert.sample
                    ).fetchCount(db) > 0
                if exists { continue }
                var row = AlertRow(alert)
                row.raisedAt = Timestamp.now()
                try row.insert(db)
                row.id = db.lastInsertedRowID
                raised.append(row.record)
                try AuditRow.append(
                    at: row.raisedAt, actor: actor, action: "raise-alert",
                    entity: "\(alert.study)/alert:\(db.lastInsertedRowID)", detail: alert.kind.rawValue, in: db)
            }
            return raised
        }
    }

    public func alerts(study: String) async throws -> [AlertRecord] {
        try await queue.read { db in
            try AlertRow.filter(Column("studyId") == study).order(Column("id")).fetchAll(db).map(\.record)
        }
    }

    public func acknowledgeAlert(id: Int64, study: String, actor: String, note: String) async throws -> AlertRecord {
        try await queue.write { db in
            guard var row = try AlertRow.fetchOne(db, key: id), row.studyId == study else {
                throw StoreError.notFound(table: "alert", id: String(id))
            }
            if let at = row.acknowledgedAt {
                throw StoreError.conflict("alert \(id) was already acknowledged at \(at)")
            }
            row.acknowledgedAt = Timestamp.now()
            row.acknowledgedBy = actor
            row.note = note
            try row.update(db)
            // The note is the user's own words about the decision; it stays in the alert, the audit records the act.
            try AuditRow.append(
                at: row.acknowledgedAt ?? Timestamp.now(), actor: actor, action: "acknowledge-alert",
                entity: "\(row.studyId)/alert:\(id)", detail: row.kind, in: db)
            return row.record
        }
    }
}

/// A row of `liveRun`.
struct LiveRunRow: Codable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "liveRun"
    var id: String
    var studyId: String
    var layoutJSON: String
    var startedAt: String
    var endSeq: Int?
    var finishedAt: String?
    var resultPath: String?

    func record() throws -> LiveRunRecord {
        LiveRunRecord(
            id: id, study: studyId, layout: try StoreJSON.decoder.decode(LiveLayout.self, from: Data(layoutJSON.utf8)),
            startedAt: startedAt, endSeq: endSeq, finishedAt: finishedAt, resultPath: resultPath)
    }
}

/// A row of `alert`.
struct AlertRow: Codable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "alert"
    var id: Int64?
    var studyId: String
    var patientId: String
    var sampleId: String
    var kind: String
    var evidence: String
    var raisedAt: String
    var acknowledgedAt: String?
    var acknowledgedBy: String?
    var note: String?

    init(_ alert: AlertRecord) {
        id = alert.id
        studyId = alert.study
        patientId = alert.patient
        sampleId = alert.sample
        kind = alert.kind.rawValue
        evidence = alert.evidence
        raisedAt = alert.raisedAt
        acknowledgedAt = alert.acknowledgedAt
        acknowledgedBy = alert.acknowledgedBy
        note = alert.note
    }

    var record: AlertRecord {
        var alert = AlertRecord(
            study: studyId, patient: patientId, sample: sampleId,
            kind: AlertRecord.Kind(rawValue: kind) ?? .progression,
            evidence: evidence)
        alert.id = id
        alert.raisedAt = raisedAt
        alert.acknowledgedAt = acknowledgedAt
        alert.acknowledgedBy = acknowledgedBy
        alert.note = note
        return alert
    }
}
