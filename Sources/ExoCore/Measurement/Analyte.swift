/// A measured molecule, by canonical name and kind (`hsa-miR-4458` / miRNA, `circCCAR1` / circRNA).
public struct Analyte: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    /// The canonical name (miRBase ID for miRNAs).
    public let name: String
    /// The kind of molecule.
    public let kind: AnalyteKind
    /// The miRBase accession (`MIMAT0018980`) for miRNAs.
    public let accession: String?

    /// Creates an analyte.
    public init(name: String, kind: AnalyteKind, accession: String? = nil) {
        self.name = name
        self.kind = kind
        self.accession = accession
    }

    public var description: String { name }
    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.name < rhs.name }
}
