public import ExoCore
import Foundation

/// The knowledge base: the curated entries ExoScope ships, and any imported tables, kept apart by `origin`.
public struct KnowledgeBase: Sendable {
    public private(set) var entries: [KnowledgeEntry]

    /// Creates a knowledge base of the given entries.
    public init(entries: [KnowledgeEntry]) {
        self.entries = entries
    }

    /// The curated entries shipped with ExoScope (`curated-review.yaml`, checked when loaded).
    public static let bundled: KnowledgeBase = {
        guard
            let url = Bundle.module.url(
                forResource: "curated-review", withExtension: "yaml", subdirectory: "Resources"),
            let text = try? String(contentsOf: url, encoding: .utf8),
            let entries = try? CuratedFile.parse(text, path: "curated-review.yaml")
        else { return KnowledgeBase(entries: []) }
        return KnowledgeBase(entries: entries)
    }()

    /// Adds imported entries (their `origin` names the table).
    public mutating func add(_ imported: [KnowledgeEntry]) {
        entries += imported
    }

    /// What to look for; every given criterion must hold.
    public struct Query: Sendable, Hashable {
        /// A cargo name: a miRNA in any spelling the normaliser reads, or another cargo's name (case ignored).
        public var cargo: String?
        /// A tumour; its organ family matches too.
        public var tumour: Tumour?
        public var specimen: String?
        /// A role's name or part of it (`biomarker` finds diagnostic and prognostic biomarkers), or of a process role
        /// with the way the cargo acts on it (`suppresses invasion`, `suppresses`).
        public var role: String?
        /// Part of a pathway's name (`PTEN` finds PTEN/Akt).
        public var pathway: String?
        public var direction: KnowledgeDirection?
        /// Words that must all appear somewhere in the entry (case ignored).
        public var text: String?
        /// `curated`, or an imported table's name.
        public var origin: String?

        /// Creates a query.
        public init(
            cargo: String? = nil, tumour: Tumour? = nil, specimen: String? = nil, role: String? = nil,
            pathway: String? = nil, direction: KnowledgeDirection? = nil, text: String? = nil, origin: String? = nil
        ) {
            self.cargo = cargo
            self.tumour = tumour
            self.specimen = specimen
            self.role = role
            self.pathway = pathway
            self.direction = direction
            self.text = text
            self.origin = origin
        }
    }

    /// The entries matching the query, in their order.
    public func search(_ query: Query, catalog: MiRNACatalog = .bundled) -> [KnowledgeEntry] {
        let names = query.cargo.map { Self.names(of: $0, catalog: catalog) }
        let family = query.tumour?.family
        let role = query.role?.lowercased()
        let words = query.text?.lowercased().split(separator: " ").map(String.init) ?? []
        return entries.filter { entry in
            if let names, Set(entry.names.map { $0.lowercased() }).isDisjoint(with: names) { return false }
            if let family, !family.contains(entry.tumour) { return false }
            if let specimen = query.specimen?.lowercased(),
                !entry.specimens.contains(where: { $0.lowercased() == specimen })
            {
                return false
            }
            if let role, !entry.rolePhrases.contains(where: { $0.lowercased().contains(role) }) { return false }
            if let pathway = query.pathway?.lowercased(),
                !entry.pathways.contains(where: { $0.lowercased().contains(pathway) })
            {
                return false
            }
            if let direction = query.direction, entry.direction != direction { return false }
            if let origin = query.origin, entry.origin != origin { return false }
            if !words.isEmpty {
                let haystack = Self.text(of: entry)
                if !words.allSatisfy({ haystack.contains($0) }) { return false }
            }
            return true
        }
    }

    /// The lower-cased names a cargo query can match: the miRBase names a miRNA spelling resolves to, or the text.
    static func names(of cargo: String, catalog: MiRNACatalog) -> Set<String> {
        switch catalog.resolve(cargo) {
        case .resolved(let resolved): [resolved.name.lowercased(), cargo.lowercased()]
        case .ambiguous(_, let candidates): Set(candidates.map { $0.lowercased() } + [cargo.lowercased()])
        default: [cargo.lowercased()]
        }
    }

    /// Every searchable field of an entry, lower-cased.
    static func text(of entry: KnowledgeEntry) -> String {
        ([entry.cargo, entry.written, entry.tumour.rawValue, entry.effect, entry.sentence, entry.note ?? ""]
            + entry.names + entry.targets + entry.pathways + entry.specimens + entry.rolePhrases
            + [entry.sourceCell ?? "", entry.recipientCell ?? "", entry.comparedWith ?? ""])
            .joined(separator: " ").lowercased()
    }
}
