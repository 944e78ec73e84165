/// What the clinic knows about the patient at the time of the sample.
public struct ClinicalAttributes: Hashable, Sendable, Codable {
    /// Tumour type as the study names it (`NSCLC`, `glioblastoma`, `HCC`); `nil` for controls.
    public var tumourType: String?
    /// Overall stage group.
    public var stage: TumourStage?
    /// T, N and M categories.
    public var t: TNMCategory?
    public var n: TNMCategory?
    public var m: TNMCategory?
    /// Distant metastasis present; when not given explicitly, M1 implies `true`.
    public var metastasis: Bool?
    /// Treatment or regimen at this time point (`osimertinib`, `cisplatin + pemetrexed`).
    public var treatment: String?
    /// Clinical response category.
    public var response: TreatmentResponse?

    /// Creates clinical attributes.
    public init(
        tumourType: String? = nil, stage: TumourStage? = nil, t: TNMCategory? = nil, n: TNMCategory? = nil,
        m: TNMCategory? = nil, metastasis: Bool? = nil, treatment: String? = nil, response: TreatmentResponse? = nil
    ) {
        self.tumourType = tumourType
        self.stage = stage
        self.t = t
        self.n = n
        self.m = m
        self.metastasis = metastasis ?? m.flatMap { $0.category == "X" ? nil : $0.isPositive }
        self.treatment = treatment
        self.response = response
    }
}
