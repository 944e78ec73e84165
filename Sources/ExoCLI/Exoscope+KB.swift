import ArgumentParser
import ExoCore
import ExoKnowledge
import Foundation

extension Exoscope {
    /// The knowledge base of exosomal tumour cargo.
    struct KB: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "kb",
            abstract: "The knowledge base of exosomal cargo in tumours: search it, or import a public table.",
            subcommands: [Search.self, Import.self], defaultSubcommand: Search.self)
    }
}

extension Exoscope.KB {
    /// Searches the knowledge base.
    struct Search: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "search",
            abstract: "Search the curated entries (and imported tables given with --include).",
            discussion: """
                Every criterion given must hold. --cargo takes any spelling the miRNA normaliser reads (miR-21,
                hsa-mir-21, miR-21-5p) or another cargo's name; --tumour widens to its organ family (HCC also finds
                "liver cancer" entries); --role matches part of a role (biomarker finds diagnostic and prognostic
                biomarkers), or of a process role with the way the cargo acts on it (suppresses invasion);
                --pathway part of a pathway (PTEN finds PTEN/Akt); --text words that must all appear.
                TSV columns: id, cargo, cargo_type, tumour, specimen, role, direction, compared_with, mechanism,
                evidence, section, reference, doi, origin. A process role reads with the way the cargo acts on it
                (promotes angiogenesis, suppresses invasion, regulates proliferation); the doi column lists the DOI
                of every reference that has one.
                """)

        @Option(help: "A cargo (miRNA in any spelling, lncRNA, circRNA, protein).")
        var cargo: String?

        @Option(help: "A tumour (such as HCC, NSCLC, glioblastoma, breast cancer).")
        var tumour: String?

        @Option(help: "A specimen (serum, plasma, CSF, urine, tissue, cell line…).")
        var specimen: String?

        @Option(help: "A role or part of one (biomarker, therapeutic target, immune evasion, suppresses invasion…).")
        var role: String?

        @Option(help: "A pathway or part of one (PTEN/Akt, MAPK, PD-L1…).")
        var pathway: String?

        @Option(help: "A direction: up or down.")
        var direction: String?

        @Option(help: "Words that must all appear in the entry.")
        var text: String?

        @Option(help: "An imported table (JSON from `exoscope kb import`) to search too; repeatable.")
        var include: [String] = []

        @Option(help: "Output format: table, tsv or json.")
        var format: Format = .table

        enum Format: String, ExpressibleByArgument, CaseIterable { case table, tsv, json }

        @OptionGroup var outputOptions: OutputOptions

        func run() async throws {
            try await withUserFacingErrors(debug: outputOptions.debug) {
                var query = KnowledgeBase.Query(
                    cargo: cargo, specimen: specimen, role: role, pathway: pathway, text: text)
                if let tumour {
                    guard let parsed = Tumour(parsing: tumour) else {
                        throw CLIError(
                            message:
                                "unknown tumour '\(tumour)'; known: \(Tumour.spellings.joined(separator: ", "))"
                                + (EditDistance.didYouMean(tumour, in: Tumour.spellings).map { " (\($0))" } ?? ""),
                            code: ExitCode.validationFailure)
                    }
                    query.tumour = parsed
                }
                if let direction {
                    guard let parsed = KnowledgeDirection(parsing: direction) else {
                        throw CLIError(message: "--direction is up or down", code: ExitCode.validationFailure)
                    }
                    query.direction = parsed
                }
                var base = KnowledgeBase.bundled
                for path in include { base.add(try Exoscope.KB.Import.load(path)) }
                let entries = base.search(query)
                switch outputOptions.json ? .json : format {
                case .json: try printJSON(entries.map(Row.init))
                case .tsv:
                    print(Row.columns.joined(separator: "\t"))
                    for entry in entries { print(Row(entry).fields.map(Self.tsvField).joined(separator: "\t")) }
                case .table:
                    print(Self.table(entries))
                    if !outputOptions.quiet {
                        FileHandle.standardError.write(
                            Data("\(entries.count) of \(base.entries.count) entries\n".utf8))
                    }
                }
            }
        }

        /// Tabs and line breaks inside a field become spaces.
        static func tsvField(_ text: String) -> String {
            text.replacingOccurrences(of: "\t", with: " ").replacingOccurrences(of: "\n", with: " ")
        }

        /// A compact text table: id, cargo, tumour, direction, roles, reference.
        static func table(_ entries: [KnowledgeEntry]) -> String {
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

        /// One entry as output.
        struct Row: Encodable {
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

            var fields: [String] {
                [
                    id, cargo, cargoType, tumour, specimen, role, direction, comparedWith, mechanism, evidence, section,
                    reference, dois.compactMap { $0 }.joined(separator: ", "), origin,
                ]
            }

            enum CodingKeys: String, CodingKey {
                case id, cargo, tumour, specimen, role, direction, mechanism, evidence, section, reference, doi, origin
                case names, sentence, note, dois, acts
                case cargoType = "cargo_type"
                case comparedWith = "compared_with"
            }
        }
    }
}

extension Exoscope.KB {
    /// Imports a public EV-cargo or miRNA table.
    struct Import: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "import",
            abstract: "Harmonise an ExoCarta, Vesiclepedia, HMDD or miRTarBase table into knowledge entries.",
            discussion: """
                Reads the table in its published layout (told from the header, or --source), keeps the rows of
                --species, normalises miRNA names with miRBase, maps HMDD's diseases to tumours, and writes the
                entries as JSON to --output, labelled with their source (search them with
                `exoscope kb --include FILE`). Prints what was imported and every row it could not use: names that
                cannot be normalised, unknown species, duplicates, malformed rows, each at its line. miRTarBase
                xlsx files must first be saved as CSV.
                """)

        @Argument(help: "The table.", completion: .file())
        var file: String

        @Option(
            help:
                "The layout: \(KnowledgeImport.Source.allCases.map(\.rawValue).joined(separator: ", ")) (default: from the header)."
        )
        var source: String?

        @Option(help: "The species to keep.")
        var species = "Homo sapiens"

        @Option(help: "Where to write the entries (JSON).")
        var output: String

        @OptionGroup var outputOptions: OutputOptions

        func run() async throws {
            try await withUserFacingErrors(debug: outputOptions.debug) {
                var layout: KnowledgeImport.Source?
                if let source {
                    guard let parsed = KnowledgeImport.Source(rawValue: source) else {
                        throw CLIError(
                            message:
                                "unknown --source '\(source)'; one of \(KnowledgeImport.Source.allCases.map(\.rawValue).joined(separator: ", "))",
                            code: ExitCode.validationFailure)
                    }
                    layout = parsed
                }
                let report = try KnowledgeImport.read(
                    URL(fileURLWithPath: file), displayPath: file, source: layout, speciesName: species)
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
                try encoder.encode(report.entries).write(to: URL(fileURLWithPath: output), options: .atomic)
                if !outputOptions.quiet {
                    var lines = [
                        "\(report.source.rawValue): \(report.rows) rows, \(report.entries.count) entries written to \(output)",
                        "other species: \(report.otherSpecies)"
                            + (report.source == .hmdd ? ", not a tumour: \(report.notTumour)" : ""),
                        "not imported: \(report.problems.count)"
                            + (report.problems.count > 20 ? " (first 20 below)" : ""),
                    ]
                    lines += report.problems.prefix(20).map(\.description)
                    FileHandle.standardError.write(Data((lines.joined(separator: "\n") + "\n").utf8))
                }
            }
        }

        /// Reads entries written by `import`.
        static func load(_ path: String) throws -> [KnowledgeEntry] {
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
}

/// `--tumour` of the statistics commands: each feature's known associations as two extra columns.
struct KnowledgeColumns: ParsableArguments {
    @Option(
        name: .customLong("tumour"),
        help: "The tumour studied (such as NSCLC, HCC): add known and contradicts columns from the knowledge base.")
    var tumour: String?

    func validate() throws { _ = try parsed() }

    /// The parsed tumour, or a usage error naming the known ones.
    func parsed() throws -> Tumour? {
        guard let tumour else { return nil }
        guard let parsed = Tumour(parsing: tumour) else {
            throw ValidationError(
                "unknown tumour '\(tumour)'; known: \(Tumour.spellings.joined(separator: ", "))")
        }
        return parsed
    }

    /// The two columns for a feature whose observed direction (or `nil` when not significant) is given.
    static func columns(_ feature: String, tumour: Tumour, observed: KnowledgeDirection?) -> (String, String) {
        let link = KnowledgeLink(feature: feature, tumour: tumour, observed: observed)
        return (link.summary, link.contradictions.map(\.id).joined(separator: ","))
    }
}
