public import ExoCore

/// Digital-PCR partition counts per well, read from an instrument export or the generic CSV.
///
/// Layouts recognised by their header (column order never matters):
/// - **QuantaSoft results**, older (`Well, Sample, Assay, Concentration, PoissonConfMax, PoissonConfMin,
///   Positives, Negatives, AcceptedDroplets`, …) and 1.7.x (`Well, Sample description 1` or `Sample`,
///   `Target, Conc(copies/µL), …, Accepted Droplets, Positives, Negatives`, …), comma- or tab-separated;
/// - **QIAcuity Software Suite** well results, older (an unnamed well column, `Sample/NTC/Control, Target,
///   Concentration (copies/µL)` or `Conc. [copies/µL], …, Partitions (valid), Partitions (positive),
///   Partitions (negative)`) and newer (`Plate name, …, Well, Sample/NTC/Control, Type, Reaction Mix,
///   Target (Name), Conc. [cp/µL] (dPCR reaction), …, Partitions (Valid), Partitions (Positive), …`), after
///   the `sep=,` line QIAcuity writes first;
/// - **generic** (`well, sample, target, positives, partitions`), documented in `docs/qpcr.md`.
///
/// The instrument's own concentration and Poisson interval are kept, so results can be compared.
public struct PartitionExport: Sendable {
    /// The layout a file was recognised as.
    public enum Layout: String, Sendable, Codable {
        case quantaSoft
        case qiacuity
        case generic

        /// Accepted partitions below which a well is flagged `fewPartitions`: the 10,000 droplets QuantaSoft
        /// requires, for droplet and generic exports; none for QIAcuity nanoplates, whose plate fixes the
        /// partition count (8,500 or 26,000 per well) and whose software has already dropped invalid partitions.
        public var minimumAcceptedPartitions: Int { self == .qiacuity ? 0 : 10_000 }
    }

    /// One well × target row.
    public struct Well: Sendable, Hashable {
        public var well: String
        public var sample: String
        public var target: String
        public var positives: Int
        public var partitions: Int
        /// The concentration the instrument printed (copies/µL), when the export has one.
        public var instrumentConcentration: String?
        /// The instrument's Poisson interval bounds as printed.
        public var instrumentLow: String?
        public var instrumentHigh: String?
        /// The row in the file.
        public var location: InputLocation
    }

    public let path: String
    public let layout: Layout
    public let wells: [Well]

    /// Column names accepted for each field, first match wins.
    static let columns: [String: [String]] = [
        "well": ["Well", "well", ""],
        "sample": ["Sample description 1", "Sample", "Sample/NTC/Control", "sample"],
        "target": ["Target", "Target (Name)", "Assay", "target"],
        "positives": ["Positives", "Partitions (positive)", "Partitions (Positive)", "positives"],
        "negatives": ["Negatives", "Partitions (negative)", "Partitions (Negative)"],
        "partitions": [
            "AcceptedDroplets", "Accepted Droplets", "Partitions (valid)", "Partitions (Valid)", "partitions",
        ],
        "concentration": [
            "Conc(copies/µL)", "Concentration", "Concentration (copies/µL)", "Conc. [copies/µL]",
            "Conc. [cp/µL] (dPCR reaction)",
        ],
        "low": ["PoissonConfMin"],
        "high": ["PoissonConfMax"],
    ]

    /// Whether a file holds partition counts: its header names a positives column of one of the layouts.
    public static func holdsPartitionCounts(_ file: TextFile) -> Bool {
        let names = Set((columns["positives"] ?? []).map { $0.lowercased() })
        return DelimitedTable.header(of: file)?.contains { names.contains($0.lowercased()) } ?? false
    }

    /// Reads an export.
    ///
    /// - Parameter file: the export, `.csv` (comma) or any other extension (tab).
    /// - Throws: `InputErrorList`: `missingColumn` when no layout fits, `invalidNumber` for counts that are
    ///   not whole numbers ≥ 0, `invalidValue` when positives exceed partitions or positives + negatives
    ///   differ from the accepted count.
    public init(_ file: TextFile) throws(InputErrorList) {
        let table = try DelimitedTable(file, toleratingRaggedRows: true)
        path = table.path
        func column(_ field: String) -> Int? {
            (Self.columns[field] ?? []).lazy.compactMap { table.columnIndex($0) }.first
        }
        let hasNegatives = column("negatives") != nil
        let isQIAcuity = ["Partitions (valid)", "Partitions (Valid)"].contains { table.columnIndex($0) != nil }
        layout = isQIAcuity ? .qiacuity : hasNegatives ? .quantaSoft : .generic
        var missing: [String] = []
        for field in ["well", "positives", "partitions"] where column(field) == nil {
            missing.append(field == "partitions" && layout == .quantaSoft ? "AcceptedDroplets" : field)
        }
        guard missing.isEmpty else {
            throw InputErrorList([
                InputError(
                    .missingColumn, at: InputLocation(path: table.path, line: table.headerLine, column: 1),
                    "missing column\(missing.count > 1 ? "s" : "") \(missing.map { "'\($0)'" }.joined(separator: ", ")) for digital-PCR partition counts",
                    hint:
                        "expected a QuantaSoft or QIAcuity results export or the generic layout 'well, sample, target, positives, partitions'"
                )
            ])
        }
        var errors: [InputError] = []
        var wells: [Well] = []
        for row in table.rows {
            func text(_ field: String) -> String? {
                column(field).flatMap { $0 < row.fields.count ? row.fields[$0].text : nil }
            }
            func location(_ field: String) -> InputLocation { table.location(row: row, column: column(field)) }
            func count(_ field: String, name: String) -> Int? {
                guard let raw = text(field), !raw.isEmpty else {
                    errors.append(
                        InputError(
                            .invalidNumber, at: location(field),
                            "expected a count in column '\(name)', found an empty field"))
                    return nil
                }
                // QuantaSoft writes counts as "2143" or, in some columns, "2143.00".
                guard let value = Double(raw), value >= 0, value == value.rounded(), value < 1e12 else {
                    errors.append(
                        InputError(
                            .invalidNumber, at: location(field),
                            "expected a whole number ≥ 0 in column '\(name)', found \(InputError.quoted(raw))"))
                    return nil
                }
                return Int(value)
            }
            let positivesName = table.header[column("positives") ?? 0].text
            let partitionsName = table.header[column("partitions") ?? 0].text
            guard let positives = count("positives", name: positivesName),
                let partitions = count("partitions", name: partitionsName)
            else { continue }
            if positives > partitions {
                errors.append(
                    InputError(
                        .invalidValue, at: location("positives"),
                        "\(positives) positive partitions exceed the \(partitions) accepted partitions",
                        hint:
                            "check that '\(positivesName)' and '\(partitionsName)' belong to the same well and channel")
                )
                continue
            }
            if partitions == 0 {
                errors.append(
                    InputError(.invalidValue, at: location("partitions"), "no accepted partitions in this well"))
                continue
            }
            // A negatives column is checked when it holds a number; that number must then be a count (a huge or
            // fractional one trapped the conversion, found by the `dpcr` fuzz target).
            if hasNegatives, let raw = text("negatives"), Double(raw) != nil {
                let negativesName = table.header[column("negatives") ?? 0].text
                guard let negatives = count("negatives", name: negativesName) else { continue }
                if negatives + positives != partitions {
                    errors.append(
                        InputError(
                            .invalidValue, at: location("negatives"),
                            "positives (\(positives)) + negatives (\(negatives)) differ from the accepted partitions (\(partitions))"
                        ))
                    continue
                }
            }
            wells.append(
                Well(
                    well: text("well") ?? "", sample: text("sample") ?? "", target: text("target") ?? "",
                    positives: positives, partitions: partitions,
                    instrumentConcentration: text("concentration").flatMap { Double($0) == nil ? nil : $0 },
                    instrumentLow: text("low").flatMap { $0.isEmpty ? nil : $0 },
                    instrumentHigh: text("high").flatMap { $0.isEmpty ? nil : $0 },
                    location: InputLocation(path: table.path, line: row.line)))
        }
        guard errors.isEmpty else { throw InputErrorList(errors) }
        self.wells = wells
    }
}
