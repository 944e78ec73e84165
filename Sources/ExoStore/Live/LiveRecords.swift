public import ExoCore

/// A live run as stored: its layout and how far it got.
public struct LiveRunRecord: Sendable, Equatable {
    /// The run id.
    public var id: String
    /// The study it feeds.
    public var study: String
    public var layout: LiveLayout
    /// ISO 8601 UTC.
    public var startedAt: String
    /// The `seq` of the run's end message, once received.
    public var endSeq: Int?
    /// When the run was finalised, and the finished file it was written to (relative to the study folder).
    public var finishedAt: String?
    public var resultPath: String?

    /// Creates a record.
    public init(
        id: String, study: String, layout: LiveLayout, startedAt: String, endSeq: Int? = nil,
        finishedAt: String? = nil, resultPath: String? = nil
    ) {
        self.id = id
        self.study = study
        self.layout = layout
        self.startedAt = startedAt
        self.endSeq = endSeq
        self.finishedAt = finishedAt
        self.resultPath = resultPath
    }
}

/// An alert on a monitored patient: a molecular progression call or a failed QC, with its evidence, open until a
/// user acknowledges it with a note.
public struct AlertRecord: Sendable, Equatable, Codable {
    /// What raised an alert.
    public enum Kind: String, Sendable, Codable, CaseIterable {
        /// A molecular progression call.
        case progression
        /// A sample of a monitored patient that cannot be judged because it failed QC.
        case qcFailure = "qc-failure"
    }

    public var id: Int64?
    public var study: String
    /// The patient's pseudonym and the sample that raised the alert.
    public var patient: String
    public var sample: String
    public var kind: Kind
    /// The evidence, as the report shows it (the call's reason, or the QC failure).
    public var evidence: String
    public var raisedAt: String
    public var acknowledgedAt: String?
    public var acknowledgedBy: String?
    public var note: String?

    /// Creates an alert (not yet raised: `id` and `raisedAt` are set by the store).
    public init(study: String, patient: String, sample: String, kind: Kind, evidence: String) {
        self.study = study
        self.patient = patient
        self.sample = sample
        self.kind = kind
        self.evidence = evidence
        raisedAt = ""
    }

    /// Whether a user has acknowledged it.
    public var isAcknowledged: Bool { acknowledgedAt != nil }
}
