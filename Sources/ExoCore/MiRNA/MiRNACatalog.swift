import Foundation

/// The bundled miRBase table: human mature miRNAs of release 22 (the current release), their release-21
/// IDs as aliases, the previous IDs of commonly arm-less names, and the usual exogenous spike-ins.
///
/// Built by `scripts/build-mirbase-resource.py` from the miRBase files; see `docs/mirna-names.md`.
public struct MiRNACatalog: Sendable {
    /// Every row: current names first in accession order, then entries release 22 removed, then spike-ins.
    public let entries: [MatureMiRNA]
    /// The miRBase release of `name`.
    public static let release = "22"

    private let byName: [String: Int]
    private let byRelease21Name: [String: Int]
    private let byPreviousID: [String: Int]
    /// Each current name's parsed parts, for arm-less and family look-ups.
    let parsedNames: [(index: Int, parts: MiRNANameParts)]

    /// The table shipped with ExoScope.
    public static let bundled: MiRNACatalog = {
        do {
            return try MiRNACatalog(bundle: .module)
        } catch {
            preconditionFailure("ExoCore's bundled miRBase resource is unreadable: \(error)")
        }
    }()

    /// Loads `mature.tsv` and `previous-ids.tsv` from the `miRBase` folder of `bundle`.
    init(bundle: Bundle) throws {
        guard let folder = bundle.url(forResource: "miRBase", withExtension: nil) else {
            throw CatalogError.missingResource("miRBase")
        }
        let mature = try String(contentsOf: folder.appendingPathComponent("mature.tsv"), encoding: .utf8)
        let previous = try String(contentsOf: folder.appendingPathComponent("previous-ids.tsv"), encoding: .utf8)
        try self.init(matureTSV: mature, previousIDsTSV: previous)
    }

    /// Builds a catalog from the two resource texts.
    init(matureTSV: String, previousIDsTSV: String) throws {
        var entries: [MatureMiRNA] = []
        for line in Self.dataLines(matureTSV) {
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            guard fields.count == 6 else { throw CatalogError.malformedRow(line) }
            entries.append(
                MatureMiRNA(
                    accession: fields[0], name: fields[1].isEmpty ? nil : fields[1], species: fields[2],
                    sequence: fields[3], precursors: fields[4].split(separator: ",").map(String.init),
                    release21Name: fields[5].isEmpty ? nil : fields[5]))
        }
        var byName: [String: Int] = [:]
        var byRelease21Name: [String: Int] = [:]
        for (index, entry) in entries.enumerated() {
            if let name = entry.name { byName[name.lowercased()] = index }
            if let old = entry.release21Name, old != entry.name { byRelease21Name[old.lowercased()] = index }
        }
        var byPreviousID: [String: Int] = [:]
        for line in Self.dataLines(previousIDsTSV) {
            let fields = line.split(separator: "\t").map(String.init)
            guard fields.count == 2, let index = byName[fields[1].lowercased()] else {
                throw CatalogError.malformedRow(line)
            }
            byPreviousID[fields[0].lowercased()] = index
        }
        self.entries = entries
        self.byName = byName
        self.byRelease21Name = byRelease21Name
        self.byPreviousID = byPreviousID
        self.parsedNames = entries.indices.compactMap { index in
            entries[index].name.flatMap { MiRNANameParts(parsing: $0) }.map { (index, $0) }
        }
    }

    /// Lines that are neither comments nor the header.
    private static func dataLines(_ text: String) -> [Substring] {
        text.split(separator: "\n").filter {
            !$0.hasPrefix("#") && !$0.hasPrefix("accession\t") && !$0.hasPrefix("previous_id\t")
        }
    }

    /// The entry whose release-22 ID is `name` (case-insensitive).
    public func entry(named name: String) -> MatureMiRNA? { byName[name.lowercased()].map { entries[$0] } }
    /// The entry whose release-21 ID was `name`, where release 22 renamed or removed it.
    public func entry(release21Name name: String) -> MatureMiRNA? {
        byRelease21Name[name.lowercased()].map { entries[$0] }
    }
    /// The entry that miRBase records `name` as a previous ID of.
    public func entry(previousID name: String) -> MatureMiRNA? { byPreviousID[name.lowercased()].map { entries[$0] } }
    /// Every current name, in table order.
    public var currentNames: [String] { entries.compactMap(\.name) }
    /// Species codes present.
    public var species: Set<String> { Set(entries.map(\.species)) }

    /// Why a resource could not be loaded (a packaging bug, not user input).
    enum CatalogError: Error {
        case missingResource(String)
        case malformedRow(Substring)
    }
}
