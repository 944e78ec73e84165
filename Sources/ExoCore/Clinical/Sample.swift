/// One sample of a study: whose it is, what it is, when it was taken, and how its EVs were prepared.
public struct Sample: Hashable, Sendable, Codable {
    public var id: SampleID
    public var patient: PatientID
    public var group: SampleGroup
    public var specimen: Specimen
    public var timepoint: Timepoint
    public var clinical: ClinicalAttributes
    public var preparation: EVPreparation
    /// Study-specific columns declared under `extraColumns`, by column name.
    public var extra: [String: String]

    /// Creates a sample.
    public init(
        id: SampleID, patient: PatientID, group: SampleGroup, specimen: Specimen, timepoint: Timepoint = Timepoint(),
        clinical: ClinicalAttributes = ClinicalAttributes(), preparation: EVPreparation = EVPreparation(),
        extra: [String: String] = [:]
    ) {
        self.id = id
        self.patient = patient
        self.group = group
        self.specimen = specimen
        self.timepoint = timepoint
        self.clinical = clinical
        self.preparation = preparation
        self.extra = extra
    }
}

extension Sample {
    /// The sample-sheet column with the follow-up time in months, kept in `extra`.
    public static let followUpMonthsKey = "followup_months"
    /// The sample-sheet column saying whether the follow-up ended with the event (death or progression).
    public static let followUpEventKey = "followup_event"

    /// Months of follow-up and whether it ended with the event, when the sample sheet gives both.
    public var followUp: (months: Double, event: Bool)? {
        guard let months = extra[Self.followUpMonthsKey].flatMap(Double.init), let event = extra[Self.followUpEventKey]
        else { return nil }
        return (months, event == "yes")
    }
}
