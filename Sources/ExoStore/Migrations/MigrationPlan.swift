/// The named, append-only schema migrations.
///
/// An identifier that has shipped is never edited or
/// renamed; a change to the schema is a new migration at the end.
///
/// Each migration carries the SQL of every dialect so the PostgreSQL store applies the same plan.
public enum MigrationPlan {
    /// One migration.
    public struct Migration: Sendable {
        public let identifier: String
        public let sqlite: String
        /// Work on existing rows that SQL alone cannot do, run by each engine right after the migration's SQL, in
        /// the same transaction.
        public var backfill: Backfill? = nil
    }

    /// Row work a migration needs beyond its SQL.
    public enum Backfill: Sendable {
        /// Give every audit entry written before the hash chain its link and hash (``AuditChain``), in id order.
        case auditHashChain
    }

    /// Every migration, in order.
    public static let migrations: [Migration] = [
        Migration(
            identifier: "2026-11-27-create-study",
            sqlite: """
                CREATE TABLE study (
                    id TEXT PRIMARY KEY NOT NULL,
                    title TEXT NOT NULL,
                    description TEXT,
                    tumour TEXT,
                    definitionJSON TEXT NOT NULL,
                    importedAt TEXT NOT NULL
                );
                CREATE TABLE patient (
                    studyId TEXT NOT NULL REFERENCES study(id) ON DELETE CASCADE,
                    id TEXT NOT NULL,
                    PRIMARY KEY (studyId, id)
                );
                CREATE TABLE sample (
                    studyId TEXT NOT NULL REFERENCES study(id) ON DELETE CASCADE,
                    id TEXT NOT NULL,
                    patientId TEXT NOT NULL,
                    sampleGroup TEXT NOT NULL,
                    specimen TEXT NOT NULL,
                    timepointLabel TEXT,
                    collectionDate TEXT,
                    dayOffset INTEGER,
                    event TEXT,
                    tumourType TEXT,
                    stage TEXT,
                    tStage TEXT,
                    nStage TEXT,
                    mStage TEXT,
                    metastasis INTEGER,
                    treatment TEXT,
                    response TEXT,
                    isolationMethod TEXT,
                    inputVolumeMilliliters REAL,
                    storageTemperatureCelsius REAL,
                    freezeThawCycles INTEGER,
                    extraJSON TEXT NOT NULL,
                    PRIMARY KEY (studyId, id),
                    FOREIGN KEY (studyId, patientId) REFERENCES patient(studyId, id)
                );
                CREATE TABLE sampleMeasurement (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    studyId TEXT NOT NULL,
                    sampleId TEXT NOT NULL,
                    analyte TEXT NOT NULL,
                    analyteKind TEXT NOT NULL,
                    accession TEXT,
                    assay TEXT NOT NULL,
                    value REAL,
                    unit TEXT NOT NULL,
                    replicate INTEGER NOT NULL,
                    flags TEXT NOT NULL,
                    sourcePath TEXT NOT NULL,
                    sourceLine INTEGER NOT NULL,
                    FOREIGN KEY (studyId, sampleId) REFERENCES sample(studyId, id) ON DELETE CASCADE,
                    UNIQUE (studyId, sourcePath, sampleId, analyte, replicate)
                );
                CREATE INDEX sampleMeasurementByAnalyte ON sampleMeasurement(studyId, analyte);
                CREATE TABLE inputFile (
                    studyId TEXT NOT NULL REFERENCES study(id) ON DELETE CASCADE,
                    path TEXT NOT NULL,
                    sha256 TEXT NOT NULL,
                    byteCount INTEGER NOT NULL,
                    role TEXT NOT NULL,
                    PRIMARY KEY (studyId, path)
                );
                """),
        Migration(
            identifier: "2026-11-27-create-audit",
            sqlite: """
                CREATE TABLE audit (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    at TEXT NOT NULL,
                    actor TEXT NOT NULL,
                    action TEXT NOT NULL,
                    entity TEXT NOT NULL,
                    detail TEXT NOT NULL,
                    version TEXT NOT NULL
                );
                CREATE TRIGGER auditIsAppendOnlyUpdate BEFORE UPDATE ON audit
                    BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
                CREATE TRIGGER auditIsAppendOnlyDelete BEFORE DELETE ON audit
                    BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
                """),
        Migration(
            identifier: "2026-11-27-create-qpcr-curve",
            sqlite: """
                CREATE TABLE qpcrCurve (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    studyId TEXT NOT NULL REFERENCES study(id) ON DELETE CASCADE,
                    sourcePath TEXT NOT NULL,
                    run TEXT NOT NULL,
                    well TEXT NOT NULL,
                    sample TEXT NOT NULL,
                    sampleType TEXT NOT NULL,
                    target TEXT NOT NULL,
                    quantity REAL,
                    cq REAL,
                    efficiency REAL,
                    meanEfficiency REAL,
                    n0 REAL,
                    baseline REAL,
                    windowLower REAL,
                    windowUpper REAL,
                    threshold REAL,
                    amplified INTEGER NOT NULL,
                    flags TEXT NOT NULL,
                    fluorescenceJSON TEXT NOT NULL
                );
                CREATE INDEX qpcrCurveByTarget ON qpcrCurve(studyId, target);
                """),
        Migration(
            identifier: "2026-11-27-measurement-unique-by-unit",
            sqlite: """
                CREATE TABLE sampleMeasurementNew (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    studyId TEXT NOT NULL,
                    sampleId TEXT NOT NULL,
                    analyte TEXT NOT NULL,
                    analyteKind TEXT NOT NULL,
                    accession TEXT,
                    assay TEXT NOT NULL,
                    value REAL,
                    unit TEXT NOT NULL,
                    replicate INTEGER NOT NULL,
                    flags TEXT NOT NULL,
                    sourcePath TEXT NOT NULL,
                    sourceLine INTEGER NOT NULL,
                    FOREIGN KEY (studyId, sampleId) REFERENCES sample(studyId, id) ON DELETE CASCADE,
                    UNIQUE (studyId, sourcePath, sampleId, analyte, unit, replicate)
                );
                INSERT INTO sampleMeasurementNew SELECT * FROM sampleMeasurement;
                DROP TABLE sampleMeasurement;
                ALTER TABLE sampleMeasurementNew RENAME TO sampleMeasurement;
                CREATE INDEX sampleMeasurementByAnalyte ON sampleMeasurement(studyId, analyte);
                """),
        Migration(
            identifier: "2026-11-28-create-analysis-result",
            sqlite: """
                CREATE TABLE analysisResult (
                    studyId TEXT NOT NULL REFERENCES study(id) ON DELETE CASCADE,
                    kind TEXT NOT NULL,
                    resultJSON TEXT NOT NULL,
                    provenanceJSON TEXT NOT NULL,
                    inputDigest TEXT NOT NULL,
                    createdAt TEXT NOT NULL,
                    PRIMARY KEY (studyId, kind)
                );
                """),
        Migration(
            identifier: "2026-11-29-create-live-run-and-alert",
            sqlite: """
                CREATE TABLE liveRun (
                    id TEXT PRIMARY KEY NOT NULL,
                    studyId TEXT NOT NULL,
                    layoutJSON TEXT NOT NULL,
                    startedAt TEXT NOT NULL,
                    endSeq INTEGER,
                    finishedAt TEXT,
                    resultPath TEXT
                );
                CREATE TABLE liveReading (
                    runId TEXT NOT NULL REFERENCES liveRun(id) ON DELETE CASCADE,
                    seq INTEGER NOT NULL,
                    well TEXT NOT NULL,
                    cycle INTEGER,
                    fluorescence REAL,
                    positives INTEGER,
                    partitions INTEGER,
                    PRIMARY KEY (runId, seq)
                ) WITHOUT ROWID;
                CREATE TABLE alert (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    studyId TEXT NOT NULL,
                    patientId TEXT NOT NULL,
                    sampleId TEXT NOT NULL,
                    kind TEXT NOT NULL,
                    evidence TEXT NOT NULL,
                    raisedAt TEXT NOT NULL,
                    acknowledgedAt TEXT,
                    acknowledgedBy TEXT,
                    note TEXT,
                    UNIQUE (studyId, kind, patientId, sampleId)
                );
                """),
        Migration(
            identifier: "2026-12-04-audit-hash-chain",
            sqlite: """
                ALTER TABLE audit ADD COLUMN previousHash TEXT;
                ALTER TABLE audit ADD COLUMN hash TEXT;
                DROP TRIGGER auditIsAppendOnlyUpdate;
                CREATE TRIGGER auditIsAppendOnlyUpdate BEFORE UPDATE ON audit WHEN OLD.hash IS NOT NULL
                    BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
                CREATE UNIQUE INDEX auditChainLink ON audit(previousHash);
                """,
            backfill: .auditHashChain),
        Migration(
            identifier: "2026-12-04-accounts-and-tokens",
            sqlite: """
                CREATE TABLE account (
                    name TEXT PRIMARY KEY NOT NULL,
                    role TEXT NOT NULL,
                    passwordHash TEXT,
                    createdAt TEXT NOT NULL
                );
                CREATE TABLE membership (
                    accountName TEXT NOT NULL REFERENCES account(name) ON DELETE CASCADE,
                    studyId TEXT NOT NULL,
                    PRIMARY KEY (accountName, studyId)
                );
                CREATE TABLE apiToken (
                    id TEXT PRIMARY KEY NOT NULL,
                    accountName TEXT NOT NULL,
                    secretHash TEXT NOT NULL,
                    studyId TEXT,
                    label TEXT NOT NULL,
                    createdAt TEXT NOT NULL,
                    expiresAt TEXT,
                    revokedAt TEXT
                );
                CREATE INDEX apiTokenByAccount ON apiToken(accountName);
                """),
    ]

    /// The identifiers, in order.
    public static var identifiers: [String] { migrations.map(\.identifier) }
}
