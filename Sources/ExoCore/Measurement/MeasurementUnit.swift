/// The unit of a measured value.
///
/// Every value ExoScope stores carries one explicitly.
///
/// Each unit belongs to a ``Dimension``; values are only compared or combined within a dimension.
public enum MeasurementUnit: String, Vocabulary, Codable {
    case copiesPerMicroliter = "copies/uL"
    case copiesPerMilliliter = "copies/mL"
    case copiesPerReaction = "copies/reaction"
    case particlesPerMilliliter = "particles/mL"
    case cq = "Cq"
    case counts
    case readsPerMillion = "RPM"
    case microgramsPerMilliliter = "ug/mL"
    case nanogramsPerMicroliter = "ng/uL"
    case nanometers = "nm"
    case relativeQuantity = "RQ"

    /// What a unit measures; only units of one dimension can be compared.
    public enum Dimension: String, Sendable, Codable {
        case molecularConcentration, particleConcentration, molecularAmount, cycleThreshold, readCount,
            normalisedReadCount, massConcentration, length, ratio
    }

    public var synonyms: [String] {
        switch self {
        case .copiesPerMicroliter: ["copies/µL", "copies/μL", "copies per uL", "cp/uL", "cp/µL"]
        case .copiesPerMilliliter: ["copies per mL", "cp/mL"]
        case .copiesPerReaction: ["copies per reaction", "copies/rxn"]
        case .particlesPerMilliliter: ["particles per mL", "particles/ml", "p/mL"]
        case .cq: ["Ct", "Cp", "cycles"]
        case .counts: ["reads", "read count", "count"]
        case .readsPerMillion: ["CPM", "reads per million"]
        case .microgramsPerMilliliter: ["µg/mL", "μg/mL", "mg/L"]
        case .nanogramsPerMicroliter: ["ng/µL", "ng/μL", "ug/mL per 1000"]
        case .nanometers: ["nanometre", "nanometer"]
        case .relativeQuantity: ["relative quantity", "fold", "2^-ddCq"]
        }
    }

    /// The dimension of the unit.
    public var dimension: Dimension {
        switch self {
        case .copiesPerMicroliter, .copiesPerMilliliter: .molecularConcentration
        case .copiesPerReaction: .molecularAmount
        case .particlesPerMilliliter: .particleConcentration
        case .cq: .cycleThreshold
        case .counts: .readCount
        case .readsPerMillion: .normalisedReadCount
        case .microgramsPerMilliliter, .nanogramsPerMicroliter: .massConcentration
        case .nanometers: .length
        case .relativeQuantity: .ratio
        }
    }

    /// Whether larger values mean *less* of the analyte (Cq: each cycle is a halving).
    public var isInverseScale: Bool { self == .cq }
}
