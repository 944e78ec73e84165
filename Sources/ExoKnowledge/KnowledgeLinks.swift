public import ExoCore

/// What the knowledge base says about one miRNA of a result, in the study's tumour and elsewhere, and whether
/// the result contradicts it.
public struct KnowledgeLink: Sendable, Hashable {
    public var feature: String
    /// Entries about this cargo in the study's tumour family.
    public var inTumour: [KnowledgeEntry]
    /// Entries about this cargo in other tumours.
    public var elsewhere: [KnowledgeEntry]
    /// Case-versus-control entries in the study's tumour family (diagnostic biomarkers, or compared with healthy,
    /// normal or control samples) whose stated direction is the opposite of the observed one.
    public var contradictions: [KnowledgeEntry]

    /// Links a result's miRNA: `observed` is the direction found (nil when the result is not significant, which
    /// contradicts nothing).
    public init(
        feature: String, tumour: Tumour?, observed: KnowledgeDirection?, in base: KnowledgeBase = .bundled,
        catalog: MiRNACatalog = .bundled
    ) {
        self.feature = feature
        let all = base.search(.init(cargo: feature), catalog: catalog)
        let family = tumour?.family ?? []
        inTumour = all.filter { family.contains($0.tumour) }
        elsewhere = all.filter { !family.contains($0.tumour) }
        contradictions = inTumour.filter { entry in
            guard let observed, observed != .unstated, entry.direction != .unstated else { return false }
            let comparison = (entry.comparedWith ?? "").lowercased()
            let caseControl =
                entry.roles.contains(.diagnosticBiomarker)
                || ["healthy", "normal", "control"].contains { comparison.contains($0) }
            return caseControl && entry.direction != observed
        }
    }

    /// One line for a table: the directions and roles known in this tumour with their entry ids, or "none known
    /// for this tumour" and where else it is known.
    public var summary: String {
        guard !inTumour.isEmpty else {
            let others = Array(Set(elsewhere.map(\.tumour.rawValue))).sorted()
            return "none known for this tumour"
                + (others.isEmpty ? "" : " (known in \(others.joined(separator: ", ")))")
        }
        let grouped = Dictionary(grouping: inTumour) { "\($0.direction.rawValue) in \($0.tumour.rawValue)" }
        return grouped.keys.sorted().map { key in
            let entries = grouped[key] ?? []
            let roles = Array(Set(entries.flatMap(\.rolePhrases))).sorted().joined(separator: ", ")
            return "\(key): \(roles) [\(entries.map(\.id).joined(separator: ", "))]"
        }.joined(separator: "; ")
    }
}
