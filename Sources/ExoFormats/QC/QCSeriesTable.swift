public import ExoCore

/// A table of QC measurements over runs or time: label columns (`run`, `date`, `condition`, `lot`), an optional
/// time column, and numeric value columns named by what they measure (`concentration_per_ml`, `mode_nm`).
///
/// Read for the reference-material runs of Levey–Jennings charts (`run` first) and for stability studies
/// (`condition`, `months`).
public struct QCSeriesTable: Sendable {
    /// One row.
    public struct Row: Sendable {
        public var labels: [String: String]
        public var time: Double?
        /// Value column → value; missing cells are absent.
        public var values: [String: Double]
        public var line: Int
    }

    public var path: String
    public var labelColumns: [String]
    public var valueColumns: [String]
    public var rows: [Row]

    /// The distinct values of a label column in order of first appearance (the storage conditions).
    public func distinct(_ label: String) -> [String] {
        var seen: [String] = []
        for row in rows {
            if let value = row.labels[label], !seen.contains(value) { seen.append(value) }
        }
        return seen
    }

    /// Parses a series table.
    ///
    /// - Parameters:
    ///   - file: the table.
    ///   - required: label columns the table must have (`run`; `condition`).
    ///   - optionalLabels: other text columns (`date`, `lot`, `material`).
    ///   - timeColumn: a numeric column read as time, required when given (`months`).
    ///   - unique: label columns whose values together name at most one row (`material`, `run`).
    /// - Returns: the table's rows with their labels, time and values.
    /// - Throws: `InputErrorList`: a missing column, a value that is not a number, a negative time, or no value
    ///   column at all.
    public static func parse(
        _ file: TextFile, required: [String], optionalLabels: [String] = [], timeColumn: String? = nil,
        unique: [String] = []
    ) throws(InputErrorList) -> QCSeriesTable {
        let table = try DelimitedTable(file)
        var errors = table.missingColumnErrors(
            required + (timeColumn.map { [$0] } ?? []),
            hint: "see docs/ev-qc.md for the columns of this table")
        let labels = required + optionalLabels.filter { table.columnIndex($0) != nil }
        let valueColumns = table.header.map(\.text).filter { !labels.contains($0) && $0 != timeColumn }
        if errors.isEmpty, valueColumns.isEmpty {
            errors.append(
                InputError(
                    .missingColumn, at: InputLocation(path: table.path, line: table.headerLine, column: 1),
                    "no value column: expected at least one column of measurements such as 'concentration_per_ml'"))
        }
        guard errors.isEmpty else { throw InputErrorList(errors) }
        var rows: [Row] = []
        var firstLine: [[String]: Int] = [:]
        for row in table.rows {
            var reader = RowReader(table: table, row: row, missing: SampleSheet.missingSpellings)
            var labelValues: [String: String] = [:]
            for label in labels {
                if let text = reader.text(label) {
                    labelValues[label] = text
                } else if required.contains(label) {
                    reader.fail(.invalidValue, label, "expected a value in column '\(label)', found an empty field")
                }
            }
            var time: Double?
            if let timeColumn {
                time = reader.parsed(timeColumn, expectation: "a time ≥ 0", kind: .invalidNumber) { text in
                    Double(text).flatMap { $0 >= 0 && $0.isFinite ? $0 : nil }
                }
                if time == nil, reader.errors.isEmpty {
                    reader.fail(.invalidNumber, timeColumn, "expected a time ≥ 0, found an empty field")
                }
            }
            var values: [String: Double] = [:]
            for column in valueColumns {
                if let value = reader.parsed(
                    column, expectation: "a number", kind: .invalidNumber,
                    { text in
                        Double(text).flatMap { $0.isFinite ? $0 : nil }
                    })
                {
                    values[column] = value
                }
            }
            if !unique.isEmpty, let last = unique.last {
                let identity = unique.map { labelValues[$0] ?? "" }
                if let earlier = firstLine[identity] {
                    reader.fail(
                        .duplicateIdentifier, last,
                        "\(unique.map { "\($0) \(InputError.quoted(labelValues[$0] ?? ""))" }.joined(separator: ", ")) appears again (first on line \(earlier))"
                    )
                } else {
                    firstLine[identity] = row.line
                }
            }
            errors += reader.errors
            rows.append(Row(labels: labelValues, time: time, values: values, line: row.line))
        }
        guard errors.isEmpty else { throw InputErrorList(errors) }
        return QCSeriesTable(path: table.path, labelColumns: labels, valueColumns: valueColumns, rows: rows)
    }
}
