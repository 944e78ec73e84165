import ExoCore
public import ExoKnowledge
import Foundation

/// The `kb` operations: the curated knowledge base of exosomal cargo in tumours.
public enum KnowledgeOperations {}

// MARK: - search

extension KnowledgeOperations {
    /// `kb search`: every criterion given must hold.
    public struct SearchRequest: Sendable, Equatable {
        public var cargo, tumour, specimen, role, pathway, direction, text: String?
        /// Imported tables (JSON written by `kb import`) to search too.
        public var include: [String]

        public init(
            cargo: String? = nil, tumour: String? = nil, specimen: String? = nil, role: String? = nil,
            pathway: String? = nil, direction: String? = nil, text: String? = nil, include: [String] = []
        ) {
            self.cargo = cargo
            self.tumour = tumour
            self.specimen = specimen
            self.role = role
            self.pathway = pathway
            self.direction = direction
            self.text = text
            self.include = include
        }
    }

    /// One entry as output.
    public struct Row: Sendable, Encodable {
        static let columns = [
            "id", "cargo", "cargo_type", "tumour", "specimen", "role", "direction", "compared_with", "mechanism",
            "evidence", "section", "reference", "doi", "origin",
        ]
        var id, cargo, cargoType, tumour, specimen, role, direction, comparedWith, mechanism, evidence: String
        var section, reference, origin: String
        /// The first reference's DOI that exists; `null` in JSON when the source gives none.
        var doi: String?
        /// The DOI of each reference in order, `null` where the source gives none.
        var dois: [String?]
        /// Which way the cargo changes its process roles; `null` when it has none.
        var acts: String?
        var names: [String]
        var sentence: String
        var note: String?

        init(_ entry: KnowledgeEntry) {
            id = entry.id
            cargo = entry.cargo
            cargoType = entry.cargoType.rawValue
            tumour = entry.tumour.rawValue
            specimen = entry.specimens.joined(separator: ", ")
            role = entry.rolePhrases.joined(separator: ", ")
            direction = entry.direction.rawValue
            comparedWith = entry.comparedWith ?? ""
            mechanism = entry.mechanism
            evidence = entry.evidence.rawValue
            section = entry.section
            reference = entry.references.map(String.init).joined(separator: ", ")
            doi = entry.doi
            dois = entry.dois
            acts = entry.acts?.rawValue
            origin = entry.origin
            names = entry.names
            sentence = entry.sentence
            note = entry.note
        }

        /// The TSV cells; tabs and line breaks inside a field become spaces.
        var cells: [ResultTable.Cell] {
            [
                id, cargo, cargoType, tumour, specimen, role, direction, comparedWith, mechanism, evidence, section,
                reference, dois.compactMap { $0 }.joined(separator: ", "), origin,
            ].map { .text($0.replacingOccurrences(of: "\t", with: " ").replacingOccurrences(of: "\n", with: " ")) }
        }

        enum CodingKeys: String, CodingKey {
            case id, cargo, tumour, specimen, role, direction, mechanism, evidence, section, reference, doi, origin
            case names, sentence, note, dois, acts
            case cargoType = "cargo_type"
            case comparedWith = "compared_with"
        }
    }

    /// The entries found.
    public struct SearchResult: Sendable {
        public var entries: [KnowledgeEntry]
        /// How many entries were searched.
        public var searched: Int

        /// Every entry with its sentence, names and each reference's DOI (the JSON of `kb`).
        public var rows: [Row] { entries.map(Row.init) }

        /// The entries as a table (the TSV of `kb`).
        public var table: ResultTable { ResultTable(columns: Row.columns, rows: entries.map { Row($0).cells }) }

        /// A compact text table: id, cargo, tumour, direction, specimens, roles, references.
        public var text: String {
            let rows =
                [["id", "cargo", "tumour", "dir", "specimen", "role", "ref"]]
                + entries.map { entry in
                    [
                        entry.id, entry.cargo, entry.tumour.rawValue, entry.direction.rawValue,
                        entry.specimens.joined(separator: ","), entry.rolePhrases.joined(separator: ", "),
                        entry.references.map(String.init).joined(separator: ","),
                    ]
                }
            let widths = (0..<7).map { column in rows.map { $0[column].count }.max() ?? 0 }
            return rows.map { row in
                zip(row, widths).map { $0.0.padding(toLength: $0.1, withPad: " ", startingAt: 0) }
                    .joined(separator: "  ").trimmingCharacters(in: .whitespaces)
            }.joined(separator: "\n")
        }
    }

    /// Runs `kb search`.
    /// - Throws: ``OperationError/usage(_:)`` for an unknown tumour or direction; `InputErrorList` for an
    ///   included file that `kb import` did not write.
    public static func search(_ request: SearchRequest) throws -> SearchResult {
        var query = KnowledgeBase.Query(
            cargo: request.cargo, specimen: request.specimen, role: request.role, pathway: request.pathway,
            text: request.text)
        if let tumour = request.tumour {
            guard let parsed = Tumour(parsing: tumour) else {
                throw OperationError.usage(
                    "unknown tumour '\(tumour)'; known: \(Tumour.spellings.joined(separator: ", "))"
                        + (EditDistance.didYouMean(tumour, in: Tumour.spellings).map { " (\($0))" } ?? ""))
            }
            query.tumour = parsed
        }
        if let direction = request.direction {
            guard let parsed = KnowledgeDirection(parsing: direction) else {
                throw OperationError.usage("--direction is up or down")
            }
            query.direction = parsed
        }
        var base = KnowledgeBase.bundled
        for path in request.include { base.add(try load(path)) }
        return SearchResult(entries: base.search(query), searched: base.entries.count)
    }

    /// Reads entries written by `kb import`.
    static func load(_ path: String) throws(InputErrorList) -> [KnowledgeEntry] {
        do {
            return try JSONDecoder().decode(
                [KnowledgeEntry].self, from: try Data(contentsOf: URL(fileURLWithPath: path)))
        } catch {
            throw InputErrorList([
                InputError(
                    .wrongType, at: InputLocation(path: path),
                    "not a table written by exoscope kb import",
                    hint: "import the public table first: exoscope kb import FILE --output \(path)")
            ])
        }
    }
}

// MARK: - import

extension KnowledgeOperations {
    /// `kb import`: a public EV-cargo or miRNA table harmonised into knowledge entries.
    public struct ImportRequest: Sendable, Equatable {
        public var file: String
        /// The layout (`nil`: from the header).
        public var source: String?
        public var species: String
        /// Where to write the entries (JSON).
        public var output: String

        public init(file: String, source: String? = nil, species: String = "Homo sapiens", output: String) {
            self.file = file
            self.source = source
            self.species = species
            self.output = output
        }
    }

    /// What was imported and every row that could not be.
    public struct ImportResult: Sendable, Encodable {
        public var report: KnowledgeImport.Report
        public var output: String

        enum CodingKeys: String, CodingKey {
            case source, rows, entries, output, problems
            case otherSpecies = "other_species"
            case notTumour = "not_tumour"
        }

        /// The counts, the file written and every problem as `file:line:column: error: …` (the JSON of
        /// `kb import`).
        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(report.source.rawValue, forKey: .source)
            try container.encode(report.rows, forKey: .rows)
            try container.encode(report.entries.count, forKey: .entries)
            try container.encode(output, forKey: .output)
            try container.encode(report.otherSpecies, forKey: .otherSpecies)
            try container.encode(report.notTumour, forKey: .notTumour)
            try container.encode(report.problems.map(\.description), forKey: .problems)
        }

        /// The summary: rows and entries, other species, every problem (the first 20).
        public var summary: [String] {
            var lines = [
                "\(report.source.rawValue): \(report.rows) rows, \(report.entries.count) entries written to \(output)",
                "other species: \(report.otherSpecies)"
                    + (report.source == .hmdd ? ", not a tumour: \(report.notTumour)" : ""),
                "not imported: \(report.problems.count)" + (report.problems.count > 20 ? " (first 20 below)" : ""),
            ]
            lines += report.problems.prefix(20).map(\.description)
            return lines
        }
    }

    /// Runs `kb import` and writes the entries.
    public static func importTable(_ request: ImportRequest) throws -> ImportResult {
        var layout: KnowledgeImport.Source?
        if let source = request.source {
            guard let parsed = KnowledgeImport.Source(rawValue: source) else {
                throw OperationError.usage(
                    "unknown --source '\(source)'; one of \(KnowledgeImport.Source.allCases.map(\.rawValue).joined(separator: ", "))"
                )
            }
            layout = parsed
        }
        let report = try KnowledgeImport.read(
            URL(fileURLWithPath: request.file), displayPath: request.file, source: layout,
            speciesName: request.species)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        try encoder.encode(report.entries).write(to: URL(fileURLWithPath: request.output), options: .atomic)
        return ImportResult(report: report, output: request.output)
    }
}
