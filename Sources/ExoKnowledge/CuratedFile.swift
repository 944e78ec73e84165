public import ExoCore
import ExoFormats
import Foundation
import Yams

/// Reads and checks the curated knowledge file (`curated-review.yaml`): one entry per claim of the review, every
/// field from a closed vocabulary where one exists, so a schema error points at its line and column.
public enum CuratedFile {
    static let entryKeys = [
        "id", "cargo", "written", "cargo_type", "tumour", "source_cell", "recipient_cell", "specimen", "roles",
        "acts", "direction", "compared_with", "targets", "pathways", "effect", "evidence", "section", "reference",
        "doi", "sentence", "note",
    ]
    /// The specimens an entry may name.
    public static let specimens = [
        "serum", "plasma", "blood", "CSF", "urine", "saliva", "tissue", "cell line", "cell culture medium",
        "animal model",
    ]

    /// Parses the file's text.
    ///
    /// - Throws: `InputErrorList` listing every problem: malformed YAML, unknown or missing keys, values outside a
    ///   vocabulary (with the nearest valid value), a miRNA name miRBase does not know, a DOI that is not one
    ///   (`none` needs a note), not one DOI for each reference, a process role without `acts` (or `acts` without a
    ///   process role), a repeated id, and a duplicate entry (same cargo, tumour, direction, roles and reference as
    ///   an earlier one).
    public static func parse(_ text: String, path: String, catalog: MiRNACatalog = .bundled) throws(InputErrorList)
        -> [KnowledgeEntry]
    {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        let root: Node?
        do {
            root = try Yams.compose(yaml: text)
        } catch {
            throw InputErrorList([
                InputError(.malformedYAML, at: InputLocation(path: path), "invalid YAML: \(error)")
            ])
        }
        guard case .mapping(let mapping)? = root else {
            throw InputErrorList([
                InputError(
                    .wrongType, at: InputLocation(path: path, line: 1),
                    "expected a mapping with 'source' and 'entries'")
            ])
        }
        var top = YAMLMapping(mapping, path: path, lines: lines, validKeys: ["source", "entries"])
        var errors = top.errors
        var entries: [KnowledgeEntry] = []
        var firstLine: [String: Int] = [:]
        var seenClaims: [String: String] = [:]
        for item in top.sequence("entries") {
            guard case .mapping(let node) = item else {
                errors.append(
                    InputError(.wrongType, at: top.location(of: item), "expected an entry (a mapping)"))
                continue
            }
            var entry = YAMLMapping(node, path: path, lines: lines, validKeys: entryKeys)
            let parsed = Self.entry(&entry, catalog: catalog)
            errors += entry.errors
            guard let parsed else { continue }
            let line = entry.selfLocation.line
            if let earlier = firstLine[parsed.id] {
                errors.append(
                    InputError(
                        .duplicateIdentifier, at: entry.selfLocation,
                        "entry id \(InputError.quoted(parsed.id)) is used twice (first on line \(earlier))"))
                continue
            }
            firstLine[parsed.id] = line
            let claim = [
                parsed.names.joined(separator: "|"), parsed.tumour.rawValue, parsed.direction.rawValue,
                parsed.comparedWith ?? "", parsed.specimens.joined(separator: ","),
                parsed.rolePhrases.sorted().joined(separator: ","),
                parsed.references.map(String.init).joined(separator: ","), parsed.sentence,
            ].joined(separator: "\t")
            if let earlier = seenClaims[claim] {
                errors.append(
                    InputError(
                        .duplicateIdentifier, at: entry.selfLocation,
                        "entry \(InputError.quoted(parsed.id)) repeats \(InputError.quoted(earlier)): same cargo, tumour, direction, comparison, specimen, roles, reference and sentence",
                        hint: "merge the two entries"))
                continue
            }
            seenClaims[claim] = parsed.id
            entries.append(parsed)
        }
        guard errors.isEmpty else { throw InputErrorList(errors) }
        return entries
    }

    /// One entry, its problems recorded in `entry.errors`.
    static func entry(_ entry: inout YAMLMapping, catalog: MiRNACatalog) -> KnowledgeEntry? {
        let id = entry.string("id", required: true)
        let cargo = entry.string("cargo", required: true)
        let written = entry.string("written", required: true)
        let type = entry.vocabulary("cargo_type", CargoType.self)
        let tumour = entry.vocabulary("tumour", Tumour.self)
        let direction = entry.vocabulary("direction", KnowledgeDirection.self)
        let evidence = entry.vocabulary("evidence", Evidence.self)
        for key in ["cargo_type", "tumour", "direction", "evidence"] where entry.value(key) == nil {
            entry.errors.append(
                InputError(
                    .missingKey, at: entry.selfLocation, "missing required key '\(key)'", hint: "add '\(key): …'"))
        }
        let roles = closedList(&entry, "roles", spellings: KnowledgeRole.spellings) { KnowledgeRole(parsing: $0) }
        if entry.value("roles") != nil, roles.isEmpty, entry.errors.isEmpty {
            entry.errors.append(InputError(.invalidValue, at: entry.selfLocation, "'roles' needs at least one role"))
        } else if entry.value("roles") == nil {
            entry.errors.append(
                InputError(
                    .missingKey, at: entry.selfLocation, "missing required key 'roles'", hint: "add 'roles: […]'"))
        }
        let specimens = closedList(&entry, "specimen", spellings: Self.specimens) { text in
            Self.specimens.first { $0.lowercased() == text.lowercased() }
        }
        let acts = Self.acts(&entry, roles: roles)
        let references = Self.references(&entry)
        let effect = entry.string("effect", required: true)
        let section = entry.string("section", required: true)
        let sentence = entry.string("sentence", required: true)
        let note = entry.string("note")
        let dois = Self.dois(&entry, references: references, hasNote: note != nil)
        var names: [String] = []
        if let cargo, let type {
            if type == .miRNA {
                switch catalog.resolve(cargo) {
                case .resolved(let resolved): names = [resolved.name]
                case .ambiguous(_, let candidates): names = candidates
                case .withdrawn, .unsupportedSpecies, .unknown:
                    let nearest: [String] =
                        if case .unknown(_, let nearest) = catalog.resolve(cargo) { nearest } else { [] }
                    entry.errors.append(
                        InputError(
                            .unknownAnalyte, at: entry.location(of: entry.value("cargo") ?? Node("")),
                            "miRNA \(InputError.quoted(cargo)) is not a current human miRBase name",
                            hint: nearest.isEmpty ? nil : "nearest miRBase names: \(nearest.joined(separator: ", "))"))
                }
            } else {
                names = [cargo]
            }
        }
        guard entry.errors.isEmpty, let id, let cargo, let written, let type, let tumour, let direction, let evidence,
            let effect, let section, let sentence
        else { return nil }
        return KnowledgeEntry(
            id: id, cargo: cargo, written: written, cargoType: type, names: names, tumour: tumour,
            sourceCell: entry.string("source_cell"), recipientCell: entry.string("recipient_cell"),
            specimens: specimens, roles: roles, acts: acts, direction: direction,
            comparedWith: entry.string("compared_with"),
            targets: strings(&entry, "targets").map(\.0), pathways: strings(&entry, "pathways").map(\.0),
            effect: effect, evidence: evidence, section: section, references: references, dois: dois,
            sentence: sentence, note: note, origin: "curated")
    }

    /// `acts: promotes` (or suppresses, regulates): required when a role is a process, refused when none is.
    static func acts(_ entry: inout YAMLMapping, roles: [KnowledgeRole]) -> KnowledgeAction? {
        let acts = entry.vocabulary("acts", KnowledgeAction.self)
        let processes = roles.filter(\.isProcess).map(\.rawValue)
        if let node = entry.value("acts"), processes.isEmpty, !roles.isEmpty {
            entry.errors.append(
                InputError(
                    .invalidValue, at: entry.location(of: node),
                    "'acts' says which way the cargo changes a process, and none of this entry's roles is one",
                    hint: "remove 'acts'"))
        } else if entry.value("acts") == nil, !processes.isEmpty {
            entry.errors.append(
                InputError(
                    .missingKey, at: entry.selfLocation,
                    "missing key 'acts', which says whether the cargo promotes, suppresses or regulates its process roles (\(processes.joined(separator: ", ")))",
                    hint: "add 'acts: promotes' (or suppresses, regulates) as the source says"))
        }
        return acts
    }

    /// `doi: "10.…"` for one reference, a list with one DOI (or `none`) for each reference in order for several,
    /// and `none` when there is no reference; every `none` needs a note.
    static func dois(_ entry: inout YAMLMapping, references: [Int], hasNote: Bool) -> [String?] {
        guard let node = entry.value("doi") else {
            entry.errors.append(
                InputError(.missingKey, at: entry.selfLocation, "missing required key 'doi'", hint: "add 'doi: …'"))
            return []
        }
        let items: [Node] = if case .sequence(let sequence) = node { Array(sequence) } else { [node] }
        var dois: [String?] = []
        var none = false
        for item in items {
            guard case .scalar(let scalar) = item else {
                entry.errors.append(
                    InputError(
                        .wrongType, at: entry.location(of: item),
                        "expected a DOI (or none) for 'doi', found \(YAMLMapping.describe(item))"))
                continue
            }
            let text = scalar.string
            if text.lowercased() == "none" {
                none = true
                dois.append(nil)
            } else if text.wholeMatch(of: /10\.[0-9]{4,9}\/\S+/) != nil {
                dois.append(text)
            } else {
                entry.errors.append(
                    InputError(
                        .invalidValue, at: entry.location(of: item),
                        "expected a DOI such as 10.1016/j.ceb.2009.03.007 (or none), found \(InputError.quoted(text))",
                        hint: text.range(of: "10.").map { "did you mean '\(text[$0.lowerBound...])'?" }))
            }
        }
        if none, !hasNote {
            entry.errors.append(
                InputError(
                    .missingKey, at: entry.location(of: node),
                    "'doi: none' needs a 'note' saying why the reference has no DOI"))
        }
        if references.isEmpty {
            if dois.contains(where: { $0 != nil }) {
                entry.errors.append(
                    InputError(
                        .invalidValue, at: entry.location(of: node), "a DOI without a reference number",
                        hint: "add the review's reference number to 'reference', or write 'doi: none'"))
            }
            return []
        }
        if items.count != references.count {
            let numbers = references.map(String.init).joined(separator: ", ")
            entry.errors.append(
                InputError(
                    .invalidValue, at: entry.location(of: node),
                    "expected \(references.count) DOIs in 'doi', one (or none) for each reference (\(numbers)), found \(items.count)",
                    hint: "list every cited work's DOI in the order of 'reference'"))
        }
        return dois
    }

    /// A list of scalars (a missing key is empty), each with its node for error locations.
    static func strings(_ entry: inout YAMLMapping, _ key: String) -> [(String, Node)] {
        entry.sequence(key).compactMap { node in
            guard case .scalar(let scalar) = node else {
                entry.errors.append(
                    InputError(
                        .wrongType, at: entry.location(of: node),
                        "expected text in '\(key)', found \(YAMLMapping.describe(node))"))
                return nil
            }
            return (scalar.string, node)
        }
    }

    /// A list whose items come from a closed vocabulary; an item outside it is an error naming the nearest.
    static func closedList<T>(
        _ entry: inout YAMLMapping, _ key: String, spellings: [String], _ parse: (String) -> T?
    ) -> [T] {
        strings(&entry, key).compactMap { text, node in
            guard let value = parse(text) else {
                entry.errors.append(
                    InputError(
                        .invalidValue, at: entry.location(of: node),
                        "expected one of \(spellings.joined(separator: ", ")) in '\(key)', found \(InputError.quoted(text))",
                        hint: EditDistance.didYouMean(text, in: spellings)))
                return nil
            }
            return value
        }
    }

    /// `reference: 17` or `reference: [17, 18]`.
    static func references(_ entry: inout YAMLMapping) -> [Int] {
        guard let node = entry.value("reference") else {
            entry.errors.append(
                InputError(
                    .missingKey, at: entry.selfLocation, "missing required key 'reference'",
                    hint: "add 'reference: N', the review's reference number"))
            return []
        }
        let items: [Node] = if case .sequence(let sequence) = node { Array(sequence) } else { [node] }
        return items.compactMap { item in
            guard case .scalar(let scalar) = item, let number = Int(scalar.string), number > 0 else {
                entry.errors.append(
                    InputError(
                        .wrongType, at: entry.location(of: item),
                        "expected a reference number for 'reference', found \(YAMLMapping.describe(item))"))
                return nil
            }
            return number
        }
    }
}
