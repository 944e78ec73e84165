/// One mature miRNA of the bundled miRBase table.
public struct MatureMiRNA: Hashable, Sendable, Codable {
    /// miRBase accession, `MIMAT…`; stable across renames.
    public let accession: String
    /// The release-22 ID (`hsa-miR-21-5p`), or `nil` when release 22 removed the entry.
    public let name: String?
    /// Three-letter species code (`hsa`, `cel`).
    public let species: String
    /// Mature sequence in the RNA alphabet.
    public let sequence: String
    /// Names of the stem-loops it derives from (`hsa-mir-16-1`, `hsa-mir-16-2`).
    public let precursors: [String]
    /// The release-21 ID of the same accession.
    public let release21Name: String?
}
