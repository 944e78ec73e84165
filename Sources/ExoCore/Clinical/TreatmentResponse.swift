/// Clinical response to treatment as recorded by the clinic (RECIST 1.1 categories).
public enum TreatmentResponse: String, Vocabulary, Codable {
    case completeResponse = "CR"
    case partialResponse = "PR"
    case stableDisease = "SD"
    case progressiveDisease = "PD"
    case notEvaluable = "NE"

    public var synonyms: [String] {
        switch self {
        case .completeResponse: ["complete response", "complete"]
        case .partialResponse: ["partial response", "partial"]
        case .stableDisease: ["stable disease", "stable"]
        case .progressiveDisease: ["progressive disease", "progression", "progressive"]
        case .notEvaluable: ["not evaluable", "n/e"]
        }
    }
}
