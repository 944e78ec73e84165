public import ExoCore
import ExoFormats
public import Foundation

/// Imports of public EV-cargo and miRNA tables in their published layouts, harmonised to knowledge entries
/// labelled with their source and kept apart from the curated ones.
///
/// Layouts (columns found by name, upper-case with spaces, `_` and `.` read alike): ExoCarta and Vesiclepedia
/// miRNA details (`MIRNA ID`, `SPECIES`, `EXPERIMENT ID`) and protein/mRNA details (`CONTENT TYPE`,
/// `GENE SYMBOL`, `SPECIES`, `EXPERIMENT ID`, `METHODS`); HMDD's all-data file, v3 (`category`, `mir`,
/// `disease`, `pmid`, `description`) or v4 (`code`, `PMID`, `miRNA`, `disease`, `description`); miRTarBase's
/// MTI table exported as CSV or TSV. Files that are not UTF-8 are read as Latin-1, as these databases ship.
public enum KnowledgeImport {
    /// The table layouts.
    public enum Source: String, Sendable, CaseIterable {
        case exocartaMiRNA = "exocarta-mirna"
        case exocartaProtein = "exocarta-protein"
        case vesiclepediaMiRNA = "vesiclepedia-mirna"
        case vesiclepediaProtein = "vesiclepedia-protein"
        case hmdd
        case mirtarbase

        /// The columns the layout needs (normalised).
        var required: [String] {
            switch self {
            case .exocartaMiRNA, .vesiclepediaMiRNA: ["MIRNA ID", "SPECIES", "EXPERIMENT ID"]
            case .exocartaProtein, .vesiclepediaProtein: ["CONTENT TYPE", "GENE SYMBOL", "SPECIES", "EXPERIMENT ID"]
            case .hmdd: ["DISEASE", "DESCRIPTION"]
            case .mirtarbase: ["MIRNA", "SPECIES (MIRNA)", "TARGET GENE", "SUPPORT TYPE", "REFERENCES (PMID)"]
            }
        }
    }

    /// What an import produced: entries, and every row it could not use with the reason.
    public struct Report: Sendable {
        public var source: Source
        public var rows: Int
        public var entries: [KnowledgeEntry]
        /// Rows of another species than the one asked for.
        public var otherSpecies: Int
        /// Rows about a disease that is not a tumour ExoScope knows (HMDD).
        public var notTumour: Int
        /// Unmappable names, unknown species, duplicates, malformed rows: each at its line, with the nearest
        /// valid value where there is one.
        public var problems: [InputError]
    }

    /// The species names of the tables and their miRBase codes.
    public static let species: [String: String] = [
        "homo sapiens": "hsa", "mus musculus": "mmu", "rattus norvegicus": "rno", "bos taurus": "bta",
        "sus scrofa": "ssc", "gallus gallus": "gga", "danio rerio": "dre", "drosophila melanogaster": "dme",
        "caenorhabditis elegans": "cel", "macaca mulatta": "mml", "canis familiaris": "cfa",
        "ovis aries": "oar", "equus caballus": "eca",
    ]

    /// HMDD disease names (MeSH) of tumours, lower-cased, and the tumour each means.
    static let diseases: [String: Tumour] = [
        "carcinoma, hepatocellular": .hepatocellularCarcinoma, "liver neoplasms": .liverCancer,
        "glioblastoma": .glioblastoma, "glioma": .glioma, "brain neoplasms": .brainTumour,
        "breast neoplasms": .breastCancer, "triple negative breast neoplasms": .tripleNegativeBreastCancer,
        "carcinoma, non-small-cell lung": .nonSmallCellLungCancer, "lung neoplasms": .lungCancer,
        "colorectal neoplasms": .colorectalCancer, "colonic neoplasms": .colorectalCancer,
        "stomach neoplasms": .gastricCancer, "pancreatic neoplasms": .pancreaticCancer,
        "ovarian neoplasms": .ovarianCancer, "prostatic neoplasms": .prostateCancer, "melanoma": .melanoma,
        "leukemia": .leukaemia, "leukemia, myeloid, acute": .leukaemia, "lymphoma": .lymphoma,
        "urinary bladder neoplasms": .bladderCancer, "uterine cervical neoplasms": .cervicalCancer,
        "esophageal neoplasms": .oesophagealCancer, "head and neck neoplasms": .headAndNeckCancer,
        "nasopharyngeal carcinoma": .nasopharyngealCarcinoma, "kidney neoplasms": .renalCancer,
        "carcinoma, renal cell": .renalCancer,
    ]

    /// Reads a table: `source` is the layout (`nil` to tell it from the header and the file name), `speciesName`
    /// the species to keep (`Homo sapiens`; rows of others are counted, not imported).
    ///
    /// - Throws: `InputErrorList` for an unreadable or empty file, a layout that cannot be told, or missing
    ///   columns (each with the nearest header name).
    public static func read(
        _ url: URL, displayPath: String, source: Source? = nil, speciesName: String = "Homo sapiens",
        catalog: MiRNACatalog = .bundled
    ) throws(InputErrorList) -> Report {
        let location = InputLocation(path: displayPath)
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw InputErrorList([
                InputError(.fileNotFound, at: location, "cannot read \(InputError.quoted(displayPath))")
            ])
        }
        let text = TextFile.utf8OrLatin1(data)
        let lines = text.split(omittingEmptySubsequences: false) { $0 == "\n" || $0 == "\r\n" || $0 == "\r" }
        guard let headerIndex = lines.firstIndex(where: { !$0.trimmingCharacters(in: .whitespaces).isEmpty }) else {
            throw InputErrorList([InputError(.emptyTable, at: location, "expected a header line, found an empty file")])
        }
        let delimiter = UInt8(ascii: displayPath.lowercased().hasSuffix(".csv") ? "," : "\t")
        /// Fields of a line, quoted CSV fields unquoted, as DelimitedTable reads them.
        func split(_ line: Substring) -> [String] { DelimitedTable.split(line, delimiter: delimiter).map(\.text) }
        let header = split(lines[headerIndex]).map(normalise)
        guard let source = source ?? detect(header, path: displayPath) else {
            throw InputErrorList([
                InputError(
                    .missingColumn, at: InputLocation(path: displayPath, line: headerIndex + 1),
                    "cannot tell which table this is from its header",
                    hint: "give --source: \(Source.allCases.map(\.rawValue).joined(separator: ", "))")
            ])
        }
        var missing: [InputError] = []
        for column in source.required where !header.contains(column) {
            missing.append(
                InputError(
                    .missingColumn, at: InputLocation(path: displayPath, line: headerIndex + 1),
                    "missing column \(InputError.quoted(column)) of the \(source.rawValue) layout",
                    hint: EditDistance.didYouMean(column, in: header)))
        }
        if source == .hmdd, !header.contains("MIR"), !header.contains("MIRNA") {
            missing.append(
                InputError(
                    .missingColumn, at: InputLocation(path: displayPath, line: headerIndex + 1),
                    "missing column 'mir' (HMDD v3) or 'miRNA' (HMDD v4)"))
        }
        guard missing.isEmpty else { throw InputErrorList(missing) }
        guard let code = species[speciesName.lowercased()] else {
            throw InputErrorList([
                InputError(
                    .invalidValue, at: location, "unknown species \(InputError.quoted(speciesName))",
                    hint: EditDistance.didYouMean(speciesName.lowercased(), in: species.keys.sorted()))
            ])
        }
        var report = Report(source: source, rows: 0, entries: [], otherSpecies: 0, notTumour: 0, problems: [])
        var seen: [String: Int] = [:]
        for index in (headerIndex + 1)..<lines.count {
            let line = lines[index]
            guard !line.trimmingCharacters(in: .whitespaces).isEmpty else { continue }
            report.rows += 1
            let at = InputLocation(path: displayPath, line: index + 1)
            let fields = split(line)
            guard fields.count >= header.count else {
                report.problems.append(
                    InputError(
                        .wrongFieldCount, at: at,
                        "expected \(header.count) fields as in the header, found \(fields.count)"))
                continue
            }
            let value = { (column: String) -> String in
                header.firstIndex(of: column).map { fields[$0].trimmingCharacters(in: .whitespaces) } ?? ""
            }
            switch row(source, value, at: at, species: (speciesName, code), catalog: catalog, report: &report) {
            case .some(var entry):
                entry.id = "\(source.rawValue):\(index + 1)"
                let key = [
                    entry.names.joined(separator: "|"), entry.tumour.rawValue, entry.direction.rawValue,
                    entry.roles.map(\.rawValue).joined(separator: ","), entry.section,
                    entry.targets.joined(separator: ","),
                ]
                .joined(separator: "\t")
                if let first = seen[key] {
                    report.problems.append(
                        InputError(
                            .duplicateMeasurement, at: at, "duplicate entry: the same record as line \(first)",
                            hint: "kept once"))
                } else {
                    seen[key] = index + 1
                    report.entries.append(entry)
                }
            case .none: break
            }
        }
        return report
    }

    /// One row as an entry, or `nil` (counted or reported in `report`).
    static func row(
        _ source: Source, _ value: (String) -> String, at: InputLocation, species: (name: String, code: String),
        catalog: MiRNACatalog, report: inout Report
    ) -> KnowledgeEntry? {
        // The species: named (ExoCarta, Vesiclepedia, miRTarBase up to v9), a code (miRTarBase 10), or the prefix.
        let speciesText =
            switch source {
            case .mirtarbase: value("SPECIES (MIRNA)")
            case .hmdd: ""
            default: value("SPECIES")
            }
        if !speciesText.isEmpty {
            let lowered = speciesText.lowercased()
            guard self.species[lowered] != nil || self.species.values.contains(lowered) else {
                report.problems.append(
                    InputError(
                        .invalidValue, at: at, "unknown species \(InputError.quoted(speciesText))",
                        hint: EditDistance.didYouMean(lowered, in: self.species.keys.sorted())))
                return nil
            }
            guard lowered == species.name.lowercased() || lowered == species.code else {
                report.otherSpecies += 1
                return nil
            }
        }
        let origin = source.rawValue
        func miRNA(_ written: String) -> [String]? {
            switch catalog.resolve(written, defaultSpecies: species.code) {
            case .resolved(let resolved): return [resolved.name]
            case .ambiguous(_, let candidates): return candidates
            case .unsupportedSpecies(_, let code) where code != species.code:
                report.otherSpecies += 1
                return nil
            case .unknown(_, let nearest):
                report.problems.append(
                    InputError(
                        .unknownAnalyte, at: at, "miRNA name \(InputError.quoted(written)) cannot be normalised",
                        hint: nearest.isEmpty ? nil : "nearest miRBase names: \(nearest.joined(separator: ", "))"))
                return nil
            default:
                report.problems.append(
                    InputError(
                        .unknownAnalyte, at: at,
                        "miRNA name \(InputError.quoted(written)) is withdrawn or of another species"))
                return nil
            }
        }
        func entry(
            cargo: String, type: CargoType, names: [String], tumour: Tumour = .unspecified,
            roles: [KnowledgeRole], direction: KnowledgeDirection = .unstated, targets: [String] = [],
            effect: String, section: String, sentence: String, note: String?
        ) -> KnowledgeEntry {
            KnowledgeEntry(
                id: "", cargo: cargo, written: cargo, cargoType: type, names: names, tumour: tumour, sourceCell: nil,
                recipientCell: nil, specimens: [], roles: roles, acts: nil, direction: direction, comparedWith: nil,
                targets: targets, pathways: [], effect: effect, evidence: .database, section: section,
                references: [], dois: [], sentence: sentence, note: note, origin: origin)
        }
        switch source {
        case .exocartaMiRNA, .vesiclepediaMiRNA:
            let written = value("MIRNA ID").replacingOccurrences(of: "*", with: "")
            guard let names = miRNA(written) else { return nil }
            return entry(
                cargo: written, type: .miRNA, names: names, roles: [.evCargo],
                effect: "found in extracellular vesicles", section: "experiment \(value("EXPERIMENT ID"))",
                sentence: "", note: value("METHODS").isEmpty ? nil : "methods: \(value("METHODS"))")
        case .exocartaProtein, .vesiclepediaProtein:
            let symbol = value("GENE SYMBOL")
            guard !symbol.isEmpty, symbol != "-" else {
                report.problems.append(InputError(.invalidValue, at: at, "no gene symbol"))
                return nil
            }
            let type: CargoType = value("CONTENT TYPE").lowercased() == "protein" ? .protein : .other
            return entry(
                cargo: symbol, type: type, names: [symbol], roles: [.evCargo],
                effect: "found in extracellular vesicles (\(value("CONTENT TYPE").lowercased()))",
                section: "experiment \(value("EXPERIMENT ID"))", sentence: "",
                note: value("METHODS").isEmpty ? nil : "methods: \(value("METHODS"))")
        case .hmdd:
            let disease = value("DISEASE").replacingOccurrences(of: "\u{A0}", with: " ")
                .split(separator: " ").joined(separator: " ")
            guard let tumour = diseases[disease.lowercased()] else {
                report.notTumour += 1
                return nil
            }
            let written = value("MIR").isEmpty ? value("MIRNA") : value("MIR")
            guard let names = miRNA(written) else { return nil }
            let code = (value("CATEGORY").isEmpty ? value("CODE") : value("CATEGORY")).lowercased()
            let roles: [KnowledgeRole] =
                code.contains("diagnosis")
                ? [.diagnosticBiomarker]
                : code.contains("prognosis")
                    ? [.prognosticBiomarker]
                    : code.contains("therapeutic") ? [.therapeuticTarget] : [.association]
            let direction: KnowledgeDirection =
                code.hasSuffix("_up") ? .up : code.hasSuffix("_down") ? .down : .unstated
            let pmid = value("PMID")
            return entry(
                cargo: written, type: .miRNA, names: names, tumour: tumour, roles: roles, direction: direction,
                effect: value("DESCRIPTION"), section: pmid.isEmpty ? "" : "PMID \(pmid)",
                sentence: value("DESCRIPTION"), note: "HMDD category \(code)")
        case .mirtarbase:
            let written = value("MIRNA")
            guard let names = miRNA(written) else { return nil }
            let pmid = value("REFERENCES (PMID)").replacingOccurrences(of: ".0", with: "")
            return entry(
                cargo: written, type: .miRNA, names: names, roles: [.targetInteraction],
                targets: [value("TARGET GENE")],
                effect: "targets \(value("TARGET GENE")) (\(value("SUPPORT TYPE")))", section: "PMID \(pmid)",
                sentence: "", note: "experiments: \(value("EXPERIMENTS"))")
        }
    }

    /// The layout a header belongs to; the file name tells ExoCarta from Vesiclepedia.
    static func detect(_ header: [String], path: String) -> Source? {
        let name = path.lowercased()
        let vesiclepedia = name.contains("vesiclepedia")
        if header.contains("MIRNA ID") { return vesiclepedia ? .vesiclepediaMiRNA : .exocartaMiRNA }
        if header.contains("GENE SYMBOL"), header.contains("CONTENT TYPE") {
            return vesiclepedia ? .vesiclepediaProtein : .exocartaProtein
        }
        if header.contains("DISEASE"), header.contains("MIR") || header.contains("MIRNA") { return .hmdd }
        if header.contains("TARGET GENE") { return .mirtarbase }
        return nil
    }

    /// A header name: upper case, `_` and `.` as spaces, one space between words, no byte-order mark.
    static func normalise(_ name: String) -> String {
        name.replacingOccurrences(of: "\u{FEFF}", with: "").replacingOccurrences(of: "_", with: " ")
            .replacingOccurrences(of: ".", with: " ").uppercased().split(separator: " ").joined(separator: " ")
            .replacingOccurrences(of: "( ", with: "(").replacingOccurrences(of: " )", with: ")")
    }
}
