import ExoCore
import ExoStore
import ExoTestSupport
import Foundation
import Testing

/// The store contract on SQLite, in memory and on disk.
struct SQLiteStoreTests {
    enum Backend: String, CaseIterable, Sendable {
        case memory, file

        func makeStore() async throws -> SQLiteStore {
            switch self {
            case .memory: try await SQLiteStore()
            case .file:
                try await SQLiteStore(path: try Fixture.temporaryDirectory().appendingPathComponent("t.sqlite").path)
            }
        }
    }

    static func payload(
        samples count: Int = 3, sheetDigest: String = "aa",
        afterRow: @escaping @Sendable (Int) throws -> Void = { _ in }
    )
        -> ImportPayload
    {
        let analyte = Analyte(name: "hsa-miR-4458", kind: .miRNA, accession: "MIMAT0018980")
        let samples = (1...count).map { index in
            Sample(
                id: testSampleID("S\(index)"), patient: testPatientID("P\(index)"),
                group: index.isMultiple(of: 2) ? .control : .case,
                specimen: .serum,
                timepoint: Timepoint(
                    label: "baseline", date: CalendarDate(iso8601: "2025-01-0\(index % 9 + 1)"), dayOffset: 0),
                clinical: ClinicalAttributes(
                    stage: TumourStage(parsing: "IIIA"), m: TNMCategory(parsing: "M0", as: .m)),
                preparation: EVPreparation(method: .sizeExclusionChromatography, inputVolumeMilliliters: 1.0),
                extra: ["smoking": "former"])
        }
        let measurements = samples.enumerated().flatMap { index, sample in
            (1...2).map { replicate in
                SampleMeasurement(
                    sample: sample.id, analyte: analyte, assay: .qPCR,
                    value: index == 0 ? nil : 27.0 + Double(index) / 10,
                    unit: .cq, replicate: replicate, flags: index == 0 ? [.belowDetection] : [],
                    source: InputLocation(path: "data/cq.tsv", line: 2 + index * 2 + replicate))
            }
        }
        return ImportPayload(
            study: StudyRecord(id: "T1", title: "Test", description: nil, tumour: "NSCLC", definitionJSON: "{}"),
            samples: samples, measurements: measurements,
            files: [
                StoredInputFile(path: "study.yaml", sha256: "11", byteCount: 10, role: "study"),
                StoredInputFile(path: "samples.tsv", sha256: sheetDigest, byteCount: 20, role: "sampleSheet"),
            ], actor: "tester", provenance: Provenance(step: "import"), afterMeasurementRow: afterRow)
    }

    @Test(arguments: Backend.allCases)
    func resultsAreStoredWithProvenanceAndRemovedWhenTheStudyChanges(_ backend: Backend) async throws {
        let store = try await backend.makeStore()
        _ = try await store.importStudy(Self.payload())
        let result = StoredResult(
            study: "T1", kind: "biomarkers", json: "{\"x\":1}", provenance: Provenance(step: "biomarkers", seed: 7),
            inputDigest: "d1")
        try await store.saveResult(result, actor: "tester")
        #expect(try await store.result(study: "T1", kind: "biomarkers") == result)
        #expect(try await store.auditLog().last?.action == "analyse")
        _ = try await store.importStudy(Self.payload())
        #expect(try await store.result(study: "T1", kind: "biomarkers") != nil, "an unchanged import keeps results")
        _ = try await store.importStudy(Self.payload(sheetDigest: "bb"))
        #expect(try await store.result(study: "T1", kind: "biomarkers") == nil, "results of the old content are gone")
        await #expect(throws: StoreError.self) {
            try await store.saveResult(
                StoredResult(
                    study: "NONE", kind: "biomarkers", json: "{}", provenance: Provenance(step: "x"), inputDigest: ""),
                actor: "tester")
        }
    }

    @Test(arguments: Backend.allCases)
    func migrationsAreAppliedInOrder(_ backend: Backend) async throws {
        let store = try await backend.makeStore()
        #expect(
            try await store.appliedMigrations() == [
                "2026-11-27-create-study", "2026-11-27-create-audit", "2026-11-27-create-qpcr-curve",
                "2026-11-27-measurement-unique-by-unit", "2026-11-28-create-analysis-result",
                "2026-11-29-create-live-run-and-alert", "2026-12-04-audit-hash-chain", "2026-12-04-accounts-and-tokens",
            ])
        #expect(try await store.appliedMigrations() == MigrationPlan.identifiers)
    }

    @Test(arguments: Backend.allCases)
    func samplesAndMeasurementsRoundTrip(_ backend: Backend) async throws {
        let store = try await backend.makeStore()
        let payload = Self.payload()
        guard case .imported(let summary) = try await store.importStudy(payload) else {
            Issue.record("expected an import")
            return
        }
        #expect(
            summary
                == ImportSummary(
                    isNewStudy: true, samples: 3, measurements: 6, changedFiles: ["samples.tsv", "study.yaml"],
                    removedFiles: []))
        #expect(try await store.samples(study: "T1") == payload.samples)
        #expect(try await store.measurements(study: "T1") == payload.measurements)
        #expect(try await store.study(id: "T1").tumour == "NSCLC")
        await #expect(throws: StoreError.notFound(table: "study", id: "nope")) { try await store.study(id: "nope") }
    }

    @Test(arguments: Backend.allCases)
    func reimportingTheSameFilesChangesNothing(_ backend: Backend) async throws {
        let store = try await backend.makeStore()
        _ = try await store.importStudy(Self.payload())
        let dump = try await store.contentDump()
        let audit = try await store.auditLog()
        #expect(try await store.importStudy(Self.payload()) == .unchanged(files: 2))
        #expect(try await store.contentDump() == dump)
        #expect(try await store.auditLog() == audit)
    }

    @Test(arguments: Backend.allCases)
    func changedFileReplacesTheStudyAndIsAudited(_ backend: Backend) async throws {
        let store = try await backend.makeStore()
        _ = try await store.importStudy(Self.payload())
        guard case .imported(let summary) = try await store.importStudy(Self.payload(samples: 2, sheetDigest: "bb"))
        else {
            Issue.record("expected a re-import")
            return
        }
        #expect(summary.changedFiles == ["samples.tsv"])
        #expect(summary.isNewStudy == false)
        #expect(try await store.samples(study: "T1").count == 2)
        let audit = try await store.auditLog()
        #expect(audit.map(\.action) == ["import", "reimport"])
        #expect(
            audit.allSatisfy {
                $0.actor == "tester" && $0.version == ExoScopeVersion.current && $0.entity == "study:T1"
            })
        #expect(audit.last?.detail.contains("\"changedFiles\":[\"samples.tsv\"]") == true)
    }

    @Test(arguments: Backend.allCases)
    func failureMidImportLeavesTheStoreExactlyAsItWas(_ backend: Backend) async throws {
        struct Interrupted: Error {}
        let store = try await backend.makeStore()
        _ = try await store.importStudy(Self.payload())
        let before = try await store.contentDump()
        await #expect(throws: Interrupted.self) {
            _ = try await store.importStudy(
                Self.payload(samples: 3, sheetDigest: "cc") { row in if row == 3 { throw Interrupted() } })
        }
        #expect(try await store.contentDump() == before)
        #expect(try await store.auditLog().count == 1)
    }

    @Test func auditLogIsAppendOnly() async throws {
        let store = try await SQLiteStore()
        _ = try await store.importStudy(Self.payload())
        await #expect(throws: (any Error).self) { try await store.executeForTesting("UPDATE audit SET actor = 'x'") }
        await #expect(throws: (any Error).self) { try await store.executeForTesting("DELETE FROM audit") }
        #expect(try await store.auditLog().first?.actor == "tester")
    }

    @Test func databaseFromANewerExoScopeIsRefused() async throws {
        let path = try Fixture.temporaryDirectory().appendingPathComponent("newer.sqlite").path
        let store = try await SQLiteStore(path: path)
        try await store.executeForTesting("INSERT INTO grdb_migrations (identifier) VALUES ('2099-01-01-future')")
        await #expect(throws: StoreError.self) { _ = try await SQLiteStore(path: path) }
    }

    /// A database made by an earlier ExoScope keeps its data through the later migrations.
    @Test func earlierSchemaWithDataMigratesIntact() async throws {
        let path = try Fixture.temporaryDirectory().appendingPathComponent("old.sqlite").path
        let old = try await SQLiteStore(path: path, migratingUpTo: "2026-11-27-create-audit")
        #expect(try await old.appliedMigrations() == ["2026-11-27-create-study", "2026-11-27-create-audit"])
        // Rows as that version wrote them.
        try await old.executeForTesting(
            """
            INSERT INTO study VALUES ('T1', 'Test', NULL, 'NSCLC', '{}', '2026-11-27T00:00:00Z');
            INSERT INTO patient VALUES ('T1', 'P1');
            INSERT INTO sample (studyId, id, patientId, sampleGroup, specimen, extraJSON) VALUES ('T1', 'S1', 'P1', 'case', 'serum', '{}');
            INSERT INTO sampleMeasurement (studyId, sampleId, analyte, analyteKind, accession, assay, value, unit, replicate, flags, sourcePath, sourceLine)
                VALUES ('T1', 'S1', 'hsa-miR-4458', 'miRNA', 'MIMAT0018980', 'qPCR', 29.5, 'Cq', 1, '', 'data/cq.tsv', 2);
            INSERT INTO audit (at, actor, action, entity, detail, version) VALUES ('2026-11-27T00:00:00Z', 'old', 'import', 'study:T1', '{}', '0.1.0');
            """)
        let migrated = try await SQLiteStore(path: path)
        #expect(try await migrated.appliedMigrations() == MigrationPlan.identifiers)
        let measurements = try await migrated.measurements(study: "T1")
        #expect(measurements.map(\.value) == [29.5] && measurements.first?.analyte.accession == "MIMAT0018980")
        #expect(try await migrated.samples(study: "T1").map(\.id.rawValue) == ["S1"])
        #expect(try await migrated.auditLog().map(\.actor) == ["old"])
    }

    /// Live readings survive as stored (duplicates by seq left as they are); alerts are raised once and
    /// acknowledged once, each act audited without the patient.
    @Test(arguments: Backend.allCases)
    func liveReadingsAndAlertsRoundTrip(_ backend: Backend) async throws {
        let store = try await backend.makeStore()
        let layout = LiveLayout(
            run: "R1", assay: .qPCR, cycles: 40, rows: 8, columns: 12,
            wells: [LiveLayout.Well(well: "A1", sample: "S1", target: "miR-21")])
        let opened = try await store.openLiveRun(study: "ST", layout: layout)
        #expect(opened.layout == layout && opened.endSeq == nil)
        #expect(try await store.openLiveRun(study: "ST", layout: layout).startedAt == opened.startedAt)
        let readings = (1...3).map {
            LiveReading(run: "R1", seq: $0, well: "A1", cycle: $0, fluorescence: 500 + Double($0) / 3)
        }
        try await store.appendLiveReadings(run: "R1", Array(readings.prefix(2)), endSeq: nil)
        try await store.appendLiveReadings(run: "R1", Array(readings.suffix(2)), endSeq: 4)
        #expect(try await store.liveReadings(run: "R1") == readings)
        #expect(try await store.liveRuns(study: "ST").first?.endSeq == 4)
        try await store.finishLiveRun(id: "R1", resultPath: "runs/R1.rdml", actor: "dr-lee")
        #expect(try await store.liveRuns(study: "ST").first?.resultPath == "runs/R1.rdml")

        let alert = AlertRecord(study: "ST", patient: "P1", sample: "P1-V3", kind: .progression, evidence: "day 56: x")
        let raised = try await store.raiseAlerts([alert, alert], actor: "pipeline")
        #expect(raised.count == 1)
        #expect(try await store.raiseAlerts([alert], actor: "pipeline").isEmpty)
        let id = try #require(raised.first?.id)
        let acknowledged = try await store.acknowledgeAlert(id: id, study: "ST", actor: "dr-lee", note: "CT booked")
        #expect(
            acknowledged.isAcknowledged && acknowledged.note == "CT booked" && acknowledged.acknowledgedBy == "dr-lee")
        await #expect(throws: StoreError.self) {
            _ = try await store.acknowledgeAlert(id: id, study: "ST", actor: "x", note: "y")
        }
        await #expect(throws: StoreError.notFound(table: "alert", id: "99")) {
            _ = try await store.acknowledgeAlert(id: 99, study: "ST", actor: "x", note: "y")
        }
        // Another study's alert and another study's run id are not this study's.
        await #expect(throws: StoreError.notFound(table: "alert", id: "\(id)")) {
            _ = try await store.acknowledgeAlert(id: id, study: "OTHER", actor: "x", note: "y")
        }
        await #expect(throws: StoreError.conflict("run id 'R1' is already a run of another study in this database")) {
            _ = try await store.openLiveRun(study: "OTHER", layout: layout)
        }
        let audit = try await store.auditLog().map { "\($0.action) \($0.entity) \($0.detail)" }
        #expect(
            audit == [
                "finish-live-run live-run:R1 runs/R1.rdml", "raise-alert ST/alert:\(id) progression",
                "acknowledge-alert ST/alert:\(id) progression",
            ])
    }
}
