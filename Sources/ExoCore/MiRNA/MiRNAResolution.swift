/// The outcome of reading one written miRNA name against the bundled miRBase table.
public enum MiRNAResolution: Hashable, Sendable {
    /// The name resolves to exactly one release-22 mature miRNA.
    case resolved(ResolvedMiRNA)
    /// The name fits several mature miRNAs and no documented rule picks one.
    case ambiguous(written: String, candidates: [String])
    /// The name was removed from miRBase in release 22.
    case withdrawn(written: String, accession: String)
    /// No mature miRNA has this name; the nearest known names are given.
    case unknown(written: String, nearest: [String])
    /// The species prefix is not in the bundled table.
    case unsupportedSpecies(written: String, species: String)
}

/// A written name resolved to a release-22 mature miRNA, with the rule that resolved it.
public struct ResolvedMiRNA: Hashable, Sendable {
    /// Which documented rule turned the written name into the current one (`docs/mirna-names.md`).
    public enum Rule: String, Hashable, Sendable, Codable {
        /// The name is a release-22 ID (after spelling corrections).
        case current
        /// The name is the release-21 ID of an accession that release 22 renamed.
        case release21Alias
        /// miRBase records the name as a previous ID of exactly one current mature miRNA.
        case previousID
        /// No arm or letter was written and exactly one current mature miRNA fits the name.
        case onlyCandidate
    }

    /// The name as written.
    public let written: String
    /// The release-22 entry.
    public let entry: MatureMiRNA
    /// The rule that resolved it.
    public let rule: Rule
    /// Spelling corrections made while reading the name.
    public let corrections: [String]

    /// The release-22 ID.
    public var name: String { entry.name ?? entry.accession }

    /// One sentence a reviewer can check: what was written, what it became, and why.
    public var explanation: String {
        var reason: String
        switch rule {
        case .current: reason = "the miRBase release 22 ID"
        case .release21Alias: reason = "renamed from '\(entry.release21Name ?? written)' (release 21) in release 22"
        case .previousID: reason = "miRBase lists it as a previous ID of \(entry.accession)"
        case .onlyCandidate: reason = "the only release-22 mature miRNA of that name"
        }
        if !corrections.isEmpty { reason += "; " + corrections.joined(separator: "; ") }
        return "'\(written)' -> \(name) (\(reason))"
    }
}
