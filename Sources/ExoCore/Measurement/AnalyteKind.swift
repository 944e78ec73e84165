/// What sort of molecule an analyte is.
public enum AnalyteKind: String, Vocabulary, Codable {
    case miRNA
    case lncRNA
    case circRNA
    case protein
    case particle
}
