/// The biofluid or material the EVs were isolated from.
public enum Specimen: String, Vocabulary, Codable {
    case serum
    case plasma
    case csf
    case urine
    case cellCultureMedium = "cell-culture-medium"
    case tissue
    case saliva

    public var synonyms: [String] {
        switch self {
        case .csf: ["cerebrospinal fluid", "cerebrospinal-fluid"]
        case .cellCultureMedium: ["conditioned medium", "culture medium", "ccm", "cell culture supernatant"]
        default: []
        }
    }

    /// Whether hemolysis can contaminate the specimen (red-cell miRNAs such as miR-451a).
    public var isBlood: Bool { self == .serum || self == .plasma }
}
