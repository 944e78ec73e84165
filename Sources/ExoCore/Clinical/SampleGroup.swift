/// The role a sample plays in the study design.
public enum SampleGroup: String, Vocabulary, Codable {
    /// A patient with the tumour.
    case `case`
    /// A healthy donor or other control.
    case control
    /// A reference, calibrator or pooled sample.
    case reference

    public var synonyms: [String] {
        switch self {
        case .case: ["patient", "tumour", "tumor", "cancer"]
        case .control: ["healthy", "healthy donor", "healthy control", "HC", "normal", "normal control", "NC"]
        case .reference: ["calibrator", "pool", "qc"]
        }
    }
}
