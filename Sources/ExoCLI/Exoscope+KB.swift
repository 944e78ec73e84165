import ArgumentParser
import ExoCore
import ExoKnowledge
import ExoPipeline
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
                let result = try KnowledgeOperations.search(
                    .init(
                        cargo: cargo, tumour: tumour, specimen: specimen, role: role, pathway: pathway,
                        direction: direction, text: text, include: include))
                switch outputOptions.json ? .json : format {
                case .json: try printJSON(result.rows)
                case .tsv: try printTable(result.table, json: false)
                case .table:
                    printLine(result.text)
                    printMessages(["\(result.entries.count) of \(result.searched) entries"], quiet: outputOptions.quiet)
                }
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
                let result = try KnowledgeOperations.importTable(
                    .init(file: file, source: source, species: species, output: output))
                if outputOptions.json {
                    try printJSON(result)
                } else {
                    printMessages(result.summary, quiet: outputOptions.quiet)
                }
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
}
