public import ExoCore

/// Reads a long-form measurement file: one value per row (`sample_id`, `analyte`, `value`, and optionally
/// `unit`, `replicate`, `flags`, `analyte_type`).
public enum MeasurementTable {
    /// Columns every measurement file must have.
    public static let requiredColumns = ["sample_id", "analyte", "value"]
    /// Optional columns.
    public static let optionalColumns = ["unit", "replicate", "flags", "analyte_type"]
    /// Column spellings of plain instrument Cq tables (`Well, Sample, Target, Cq`), read as the canonical
    /// columns; a value read from a `Cq` or `Ct` column is in cycles.
    public static let aliases: [String: String] = [
        "Sample": "sample_id", "sample": "sample_id", "Sample Name": "sample_id", "Target": "analyte",
        "target": "analyte",
        "Target Name": "analyte", "Cq": "value", "cq": "value", "Ct": "value", "CT": "value", "Ct Mean": "value",
        "Replicate": "replicate",
    ]
    /// Value spellings that mean "the assay ran and found nothing" (flagged below detection).
    public static let notDetectedSpellings: Set<String> = [
        "undetermined", "nd", "not detected", "<lod", "no ct", "n/d",
    ]

    /// Parses a measurement file named in `study.yaml`.
    ///
    /// - Parameters:
    ///   - file: the measurement file.
    ///   - spec: the file's entry in study.yaml (assay, default unit).
    ///   - samples: the sample ids of the sample sheet, to check every row against.
    ///   - catalog: the miRBase table used to resolve analyte names.
    /// - Returns: the measurements, the name-resolution notes, and every error found.
    public static func parse(
        _ file: TextFile, spec: MeasurementFileSpec, samples: Set<SampleID>, catalog: MiRNACatalog = .bundled
    ) -> (measurements: [SampleMeasurement], notes: [ResolvedMiRNA], errors: [InputError]) {
        do {
            return parse(table: try DelimitedTable(file), spec: spec, samples: samples, catalog: catalog)
        } catch {
            return ([], [], error.errors)
        }
    }

    /// Parses a measurement table already split into fields (a delimited file or a worksheet).
    ///
    /// Values with a decimal comma (`27,35`) are read as numbers when the file is semicolon-separated (Excel's
    /// CSV where the comma is the decimal separator) or its study.yaml entry says `decimal: comma`; elsewhere
    /// they are reported once for the whole column, with the count and the setting that reads them.
    public static func parse(
        table original: DelimitedTable, spec: MeasurementFileSpec, samples: Set<SampleID>,
        catalog: MiRNACatalog = .bundled
    ) -> (measurements: [SampleMeasurement], notes: [ResolvedMiRNA], errors: [InputError]) {
        let table: DelimitedTable
        var spec = spec
        let decimalComma = spec.decimalComma || original.delimiter == UInt8(ascii: ";")
        var decimalCommaRows: [InputLocation] = []
        let (renamedTable, renamed) = original.renamingColumns(aliases)
        table = renamedTable
        if let valueHeader = renamed["value"], ["Cq", "cq", "Ct", "CT", "Ct Mean"].contains(valueHeader),
            spec.unit == nil
        {
            spec.unit = .cq
        }
        var errors = table.missingColumnErrors(
            requiredColumns,
            hint: "a measurement file has the columns \((requiredColumns + optionalColumns).joined(separator: ", "))")
        if spec.unit == nil, table.columnIndex("unit") == nil {
            errors.append(
                InputError(
                    .missingColumn, at: InputLocation(path: table.path, line: table.headerLine, column: 1),
                    "no 'unit' column and no unit for this file in study.yaml",
                    hint:
                        "add 'unit: \(spec.assay.admissibleUnits.map(\.rawValue).sorted().first ?? "Cq")' to the file's entry in study.yaml"
                ))
        }
        guard errors.isEmpty else { return ([], [], errors) }

        var measurements: [SampleMeasurement] = []
        var notes: [String: ResolvedMiRNA] = [:]
        var resolved: [String: Result<(analyte: Analyte, resolution: ResolvedMiRNA?), AnalyteResolutionFailure>] = [:]
        var seen: [String: Int] = [:]
        let sampleSpellings = samples.map(\.rawValue).sorted()
        for row in table.rows {
            var reader = RowReader(table: table, row: row, missing: [""])
            let sample = reader.text("sample_id").flatMap { text -> SampleID? in
                guard let id = SampleID(text), samples.contains(id) else {
                    reader.fail(
                        .unknownSample, "sample_id", "sample \(InputError.quoted(text)) is not in the sample sheet",
                        hint: EditDistance.didYouMean(text, in: sampleSpellings)
                            ?? "add the sample to the sample sheet first")
                    return nil
                }
                return id
            }
            if reader.text("sample_id") == nil {
                reader.fail(.unknownSample, "sample_id", "expected a sample id, found an empty field")
            }
            let kind = reader.vocabulary("analyte_type", AnalyteKind.self)
            var analyte: Analyte?
            if let written = reader.text("analyte") {
                let key = "\(kind?.rawValue ?? "")\t\(written)"
                let result = resolved[key] ?? Analyte.resolve(written, kind: kind, catalog: catalog)
                resolved[key] = result
                switch result {
                case .success(let value):
                    analyte = value.analyte
                    if let note = value.resolution, note.rule != .current || !note.corrections.isEmpty {
                        notes[note.written] = note
                    }
                case .failure(let failure):
                    reader.fail(failure.kind, "analyte", failure.message, hint: failure.hint)
                }
            } else {
                reader.fail(.unknownAnalyte, "analyte", "expected an analyte name, found an empty field")
            }
            let unit = reader.vocabulary("unit", MeasurementUnit.self, kind: .unknownUnit) ?? spec.unit
            if let unit, !spec.assay.admissibleUnits.contains(unit) {
                reader.fail(
                    .unknownUnit, table.columnIndex("unit") == nil ? "value" : "unit",
                    "unit '\(unit.rawValue)' is not a unit of \(spec.assay.rawValue)",
                    hint:
                        "\(spec.assay.rawValue) reports \(spec.assay.admissibleUnits.map(\.rawValue).sorted().joined(separator: ", "))"
                )
            }
            var flags = Set<MeasurementFlag>()
            if let text = reader.text("flags") {
                for part in text.split(separator: ";").map({ $0.trimmingWhitespace() }) where !part.isEmpty {
                    if let flag = MeasurementFlag(parsing: part) {
                        flags.insert(flag)
                    } else {
                        reader.fail(
                            .invalidValue, "flags",
                            "unknown flag \(InputError.quoted(part)); expected \(MeasurementFlag.spellings.joined(separator: ", ")) separated by ';'",
                            hint: EditDistance.didYouMean(part, in: MeasurementFlag.spellings))
                    }
                }
            }
            let replicate =
                reader.parsed("replicate", expectation: "a replicate number ≥ 1", kind: .invalidNumber) { text in
                    Int(text).flatMap { $0 >= 1 ? $0 : nil }
                } ?? 1
            var value: Double?
            let valueText = reader.text("value") ?? ""
            if notDetectedSpellings.contains(valueText.lowercased()) {
                flags.insert(.belowDetection)
            } else if valueText.isEmpty || SampleSheet.missingSpellings.contains(valueText) {
                if flags.isEmpty {
                    reader.fail(
                        .invalidNumber, "value",
                        "expected a number in column 'value', found \(valueText.isEmpty ? "an empty field" : InputError.quoted(valueText))",
                        hint: "write 'Undetermined' for no amplification, or set a flag such as 'excluded'")
                }
            } else if let number = Self.number(valueText, decimalComma: decimalComma), number.isFinite {
                value = number
                if unit == .cq, !(0...60).contains(number) {
                    reader.fail(
                        .invalidNumber, "value", "expected a Cq between 0 and 60, found \(InputError.quoted(valueText))"
                    )
                } else if unit != .cq, number < 0 {
                    reader.fail(
                        .invalidNumber, "value",
                        "expected a non-negative quantity, found \(InputError.quoted(valueText))")
                }
            } else if valueText.contains(","), Self.number(valueText, decimalComma: true)?.isFinite == true {
                // Reported once for the file below, not once per row.
                decimalCommaRows.append(table.location(row: row, column: table.columnIndex("value")))
                continue
            } else {
                reader.fail(
                    .invalidNumber, "value",
                    "expected a number in column 'value', found \(InputError.quoted(valueText))",
                    hint: Self.censoredCqHint(valueText))
            }
            if let sample, let analyte {
                let key = "\(sample.rawValue)\t\(analyte.name)\t\(replicate)"
                if let earlier = seen[key] {
                    reader.fail(
                        .duplicateMeasurement, "analyte",
                        "second value for sample \(InputError.quoted(sample.rawValue)), \(analyte.name), replicate \(replicate) (first on line \(earlier))",
                        hint: "number technical replicates in a 'replicate' column")
                } else {
                    seen[key] = row.line
                }
            }
            errors += reader.errors
            guard reader.errors.isEmpty, let sample, let analyte, let unit else { continue }
            measurements.append(
                SampleMeasurement(
                    sample: sample, analyte: analyte, assay: spec.assay, value: value, unit: unit, replicate: replicate,
                    flags: flags, source: InputLocation(path: table.path, line: row.line)))
        }
        if let first = decimalCommaRows.first {
            let rows = decimalCommaRows.count == 1 ? "1 row" : "\(decimalCommaRows.count) rows"
            errors.append(
                InputError(
                    .invalidNumber, at: first,
                    "found numbers with a decimal comma in column 'value' on \(rows), the first here",
                    hint: "add 'decimal: comma' to this file's entry under measurements in study.yaml, "
                        + "or export the file with decimal points"))
        }
        return (measurements, notes.values.sorted { $0.written < $1.written }, errors)
    }

    /// A number written with a decimal point, or with one decimal comma when `decimalComma` is set (read as the
    /// instrument exports read it).
    static func number(_ text: String, decimalComma: Bool) -> Double? {
        Double(text) ?? (decimalComma ? InstrumentTextGrid.number(text) : nil)
    }

    /// The hint for a Cq written as a bound (`>40`, `40+`, `> 40`) rather than a number or a not-detected mark.
    static func censoredCqHint(_ text: String) -> String? {
        let trimmed = text.trimmingWhitespace()
        let bound =
            trimmed.hasPrefix(">") ? trimmed.dropFirst() : trimmed.hasSuffix("+") ? trimmed.dropLast() : nil
        guard let bound, Double(bound.trimmingWhitespace()) != nil else { return nil }
        return
            "a Cq written as \(InputError.quoted(trimmed)) means no Cq within the run's cycles: write 'Undetermined' "
            + "(read as not detected) or the measured Cq"
    }
}
