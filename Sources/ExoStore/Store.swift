public import ExoCore

/// Persistence for ExoScope, behind one protocol so SQLite (embedded default) and PostgreSQL
/// (several users or sites) are interchangeable for every caller.
///
/// Every method is `async` and every write is one transaction: a failed call leaves the store as it was.
public protocol Store: Sendable {
    /// Applies every migration not yet applied, in order.
    func migrate() async throws
    /// Identifiers of the migrations applied, in order.
    func appliedMigrations() async throws -> [String]
    /// Imports (or re-imports) a study as one transaction.
    ///
    /// Files are recognised by SHA-256: when every file is already stored with the same digest the call
    /// writes nothing and returns `.unchanged`. Otherwise the study's samples and measurements are
    /// replaced by the payload's, its stored analysis results are removed (they described the old content), and
    /// the audit log records what changed.
    func importStudy(_ payload: ImportPayload) async throws -> ImportOutcome
    /// Counts and studies, for `exoscope status`.
    func status() async throws -> StoreStatus
    /// A stored study; throws `StoreError.notFound` when there is none with that id.
    func study(id: String) async throws -> StudyRecord
    /// The samples of a study, in id order.
    func samples(study: String) async throws -> [Sample]
    /// The measurements of a study, in file and line order.
    func measurements(study: String) async throws -> [SampleMeasurement]
    /// The analysed qPCR curves of a study, in file, run and well order.
    func curves(study: String) async throws -> [StoredCurve]
    /// The input files recorded for a study.
    func inputFiles(study: String) async throws -> [StoredInputFile]
    /// The audit log, oldest first.
    func auditLog() async throws -> [AuditEntry]
    /// Checks the audit log's hash chain (``AuditChain``): edited, deleted, reordered or removed-from-the-end entries,
    /// and, when `head` is given, that this earlier head is still in the chain.
    func verifyAuditLog(head: String?) async throws -> AuditVerification
    /// Stores (or replaces) a study's result of one kind, with an audit entry, as one transaction.
    func saveResult(_ result: StoredResult, actor: String) async throws
    /// A study's stored result of one kind, or `nil`.
    func result(study: String, kind: String) async throws -> StoredResult?
    /// Appends an entry to the audit log (a decision a user made, such as overriding a QC gate with a reason).
    func recordAudit(actor: String, action: String, entity: String, detail: String) async throws

    /// Starts a live run of a study, or returns the stored one with that id (a resumed run); a run id of another
    /// study is a `StoreError.conflict`.
    func openLiveRun(study: String, layout: LiveLayout) async throws -> LiveRunRecord
    /// The live runs of a study, oldest first.
    func liveRuns(study: String) async throws -> [LiveRunRecord]
    /// Stores readings of a live run (and its end, once known) as one durable transaction; a reading whose seq is
    /// already stored is left as it is.
    func appendLiveReadings(run: String, _ readings: [LiveReading], endSeq: Int?) async throws
    /// Every stored reading of a live run, in seq order.
    func liveReadings(run: String) async throws -> [LiveReading]
    /// Marks a live run finished, with the path of its finished file, and audits it under `actor`.
    func finishLiveRun(id: String, resultPath: String, actor: String) async throws
    /// Stores the alerts not yet raised (same study, kind, patient and sample), audits each, and returns them.
    func raiseAlerts(_ alerts: [AlertRecord], actor: String) async throws -> [AlertRecord]
    /// A study's alerts, oldest first.
    func alerts(study: String) async throws -> [AlertRecord]
    /// Acknowledges an open alert of a study with the user's note, audited; an alert is acknowledged once, and
    /// another study's alert is not found.
    func acknowledgeAlert(id: Int64, study: String, actor: String, note: String) async throws -> AlertRecord

    /// Creates or replaces an account (role, password hash, memberships), audited under `actor` without the hash.
    func saveAccount(_ account: AccountRecord, actor: String) async throws
    /// An account, or `nil`.
    func account(name: String) async throws -> AccountRecord?
    /// Every account, by name.
    func accounts() async throws -> [AccountRecord]
    /// Removes an account and its memberships and revokes its tokens, audited; `StoreError.notFound` when none.
    func removeAccount(name: String, actor: String) async throws
    /// Stores a new token of an existing account, audited without its hash.
    func saveToken(_ token: TokenRecord, actor: String) async throws
    /// A token by its public id, revoked or not, or `nil`.
    func token(id: String) async throws -> TokenRecord?
    /// An account's tokens, oldest first.
    func tokens(account: String) async throws -> [TokenRecord]
    /// Revokes a token (once), audited; `StoreError.notFound` when none.
    func revokeToken(id: String, actor: String) async throws
}
