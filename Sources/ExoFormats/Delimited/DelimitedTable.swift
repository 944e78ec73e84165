public import ExoCore

/// A tab- or comma-separated table with a header line, every field located by line and byte column.
///
/// Conventions: lines starting with `#` and blank lines are skipped; fields are trimmed of spaces;
/// CSV fields may be double-quoted (RFC 4180, `""` for a quote inside; no line breaks in fields).
/// The delimiter is chosen from the file extension (`.csv` → comma, otherwise tab), unless the first line
/// declares it as Excel does (`sep=,`, as QIAcuity exports begin); that line is not part of the table.
public struct DelimitedTable: Sendable {
    /// One field of a row.
    public struct Field: Sendable {
        public let text: String
        /// 1-based byte column where the field starts.
        public let column: Int
    }

    /// One data row.
    public struct Row: Sendable {
        /// 1-based line in the file.
        public let line: Int
        public let fields: [Field]
    }

    public let path: String
    /// Column names from the header.
    public private(set) var header: [Field]
    /// The header's line number.
    public let headerLine: Int
    public let rows: [Row]
    private let storedDelimiter: UInt8

    /// Parses `file`.
    ///
    /// - Parameters:
    ///   - file: the text.
    ///   - toleratingRaggedRows: accept rows with fewer fields than the header (the missing trailing fields
    ///     read as empty) or with extra fields that are all empty, as instrument exports often have. Files
    ///     people write (sample sheets, measurement files) are read strictly.
    /// - Throws: `InputErrorList` with every `emptyTable`, `duplicateColumn` and `wrongFieldCount` problem.
    public init(_ file: TextFile, toleratingRaggedRows: Bool = false) throws(InputErrorList) {
        var delimiter = Self.defaultDelimiter(file)
        path = file.displayPath
        var parsed: [(line: Int, fields: [Field])] = []
        for (index, line) in file.lines.enumerated() {
            let trimmed = line.trimmingWhitespace()
            guard Self.isTableLine(trimmed) else { continue }
            if parsed.isEmpty, let declared = Self.declaredDelimiter(trimmed) {
                delimiter = declared
                continue
            }
            parsed.append((index + 1, Self.split(line, delimiter: delimiter)))
        }
        guard let first = parsed.first else {
            throw InputErrorList([
                InputError(
                    .emptyTable, at: InputLocation(path: path),
                    "expected a header line and at least one row, found an empty file",
                    hint: "the first non-comment line names the columns")
            ])
        }
        header = first.fields
        headerLine = first.line
        storedDelimiter = delimiter
        var errors = Self.duplicateColumnErrors(header, path: path, line: headerLine)
        let width = first.fields.count
        rows = parsed.dropFirst().map { row in
            guard toleratingRaggedRows, row.fields.count != width else {
                return Row(line: row.line, fields: row.fields)
            }
            if row.fields.count < width {
                let end = (row.fields.last.map { $0.column + $0.text.utf8.count } ?? 1)
                return Row(
                    line: row.line,
                    fields: row.fields + Array(repeating: Field(text: "", column: end), count: width - row.fields.count)
                )
            }
            guard row.fields[width...].allSatisfy({ $0.text.isEmpty }) else {
                return Row(line: row.line, fields: row.fields)
            }
            return Row(line: row.line, fields: Array(row.fields[..<width]))
        }
        if rows.isEmpty {
            errors.append(
                InputError(
                    .emptyTable, at: InputLocation(path: path, line: headerLine),
                    "expected at least one row after the header, found none"))
        }
        let separator =
            delimiter == UInt8(ascii: ",") ? "commas" : delimiter == UInt8(ascii: ";") ? "semicolons" : "tabs"
        let spaces = Self.spaceSeparatedHint(header, delimiter: delimiter)
        for row in rows where row.fields.count != header.count {
            errors.append(
                InputError(
                    .wrongFieldCount, at: InputLocation(path: path, line: row.line, column: row.fields.last?.column),
                    "expected \(header.count) fields as in the header, found \(row.fields.count)",
                    hint: spaces ?? "fields are separated by \(separator); an empty field still needs its separator"))
        }
        if !errors.isEmpty { throw InputErrorList(errors) }
    }

    /// A table from a grid of cells (a worksheet): the first row with a non-empty cell is the header, rows whose
    /// cells are all empty are skipped, and a field's `column` is its 1-based column index in the grid.
    ///
    /// - Parameters:
    ///   - grid: the cells, row by row; row `r` (0-based) is reported as line `r + 1`.
    ///   - path: the file (and sheet) as shown in messages, `results.xlsx[Results]`.
    /// - Throws: `InputErrorList` with `emptyTable` or `duplicateColumn`.
    public init(grid: [[String]], path: String) throws(InputErrorList) {
        self.path = path
        storedDelimiter = UInt8(ascii: "\t")
        let table = grid.enumerated().filter { $0.element.contains { !$0.trimmingWhitespace().isEmpty } }
        guard let first = table.first else {
            throw InputErrorList([
                InputError(
                    .emptyTable, at: InputLocation(path: path),
                    "expected a header row and at least one row, found an empty sheet")
            ])
        }
        func fields(_ cells: [String], width: Int) -> [Field] {
            (0..<width).map { Field(text: $0 < cells.count ? cells[$0].trimmingWhitespace() : "", column: $0 + 1) }
        }
        let width = first.element.lastIndex { !$0.trimmingWhitespace().isEmpty }.map { $0 + 1 } ?? 0
        header = fields(first.element, width: width)
        headerLine = first.offset + 1
        rows = table.dropFirst().map { Row(line: $0.offset + 1, fields: fields($0.element, width: width)) }
        var errors = Self.duplicateColumnErrors(header.filter { !$0.text.isEmpty }, path: path, line: headerLine)
        if rows.isEmpty {
            errors.append(
                InputError(
                    .emptyTable, at: InputLocation(path: path, line: headerLine),
                    "expected at least one row after the header, found none"))
        }
        if !errors.isEmpty { throw InputErrorList(errors) }
    }

    /// A `duplicateColumn` error for every header name that appears a second time.
    static func duplicateColumnErrors(_ header: [Field], path: String, line: Int) -> [InputError] {
        var errors: [InputError] = []
        var seen: [String: Int] = [:]
        for field in header {
            if let earlier = seen[field.text] {
                errors.append(
                    InputError(
                        .duplicateColumn, at: InputLocation(path: path, line: line, column: field.column),
                        "column \(InputError.quoted(field.text)) appears twice (first at column \(earlier))"))
            } else {
                seen[field.text] = field.column
            }
        }
        return errors
    }

    /// The column names of a file's table, read as `init` reads them, without parsing the rows; `nil` for a
    /// file without a header.
    public static func header(of file: TextFile) -> [String]? {
        var delimiter = defaultDelimiter(file)
        for line in file.lines {
            let trimmed = line.trimmingWhitespace()
            guard isTableLine(trimmed) else { continue }
            if let declared = declaredDelimiter(trimmed) {
                delimiter = declared
                continue
            }
            return split(line, delimiter: delimiter).map(\.text)
        }
        return nil
    }

    /// The delimiter of the file's header line: comma for `.csv`, tab otherwise, unless the header holds none of
    /// it and holds semicolons (Excel's CSV where the decimal separator is a comma) or, in a tab file, commas.
    static func defaultDelimiter(_ file: TextFile) -> UInt8 {
        let expected = file.displayPath.lowercased().hasSuffix(".csv") ? UInt8(ascii: ",") : UInt8(ascii: "\t")
        guard let header = file.lines.lazy.map({ $0.trimmingWhitespace() }).first(where: isTableLine),
            declaredDelimiter(header) == nil
        else { return expected }
        let counts = delimiterCounts(header)
        if counts[expected, default: 0] > 0 { return expected }
        if counts[UInt8(ascii: ";"), default: 0] > 0 { return UInt8(ascii: ";") }
        if counts[UInt8(ascii: "\t"), default: 0] > 0 { return UInt8(ascii: "\t") }
        if counts[UInt8(ascii: ","), default: 0] > 0 { return UInt8(ascii: ",") }
        return expected
    }

    /// How often tab, semicolon and comma occur outside double quotes in a line.
    static func delimiterCounts(_ line: String) -> [UInt8: Int] {
        var counts: [UInt8: Int] = [:]
        var quoted = false
        for byte in line.utf8 {
            if byte == UInt8(ascii: "\"") { quoted.toggle() }
            if !quoted, byte == UInt8(ascii: "\t") || byte == UInt8(ascii: ";") || byte == UInt8(ascii: ",") {
                counts[byte, default: 0] += 1
            }
        }
        return counts
    }

    /// The delimiter the table was read with.
    public var delimiter: UInt8 { storedDelimiter }

    /// The hint for a header that is one field although the file has several columns separated by spaces.
    static func spaceSeparatedHint(_ header: [Field], delimiter: UInt8) -> String? {
        guard header.count == 1, let only = header.first?.text,
            only.split(whereSeparator: { $0 == " " }).count >= 3
        else { return nil }
        let name = delimiter == UInt8(ascii: ",") ? "commas" : delimiter == UInt8(ascii: ";") ? "semicolons" : "tabs"
        return "the header is one column whose name has spaces; columns are separated by \(name), not spaces "
            + "(save from the spreadsheet as tab-separated text, or replace the runs of spaces with tabs)"
    }

    /// Blank lines and `#` comments are not part of the table.
    static func isTableLine(_ trimmed: String) -> Bool { !trimmed.isEmpty && !trimmed.hasPrefix("#") }

    /// The delimiter an Excel-style first line `sep=X` declares.
    static func declaredDelimiter(_ trimmed: String) -> UInt8? {
        trimmed.hasPrefix("sep=") ? trimmed.utf8.dropFirst(4).first : nil
    }

    /// Splits one line into trimmed fields with their byte columns.
    package static func split(_ line: Substring, delimiter: UInt8) -> [Field] {
        let bytes = Array(line.utf8)
        var fields: [Field] = []
        var start = 0
        var index = 0
        var inQuotes = false
        var current: [UInt8] = []
        func finish() {
            let text = String(decoding: current, as: UTF8.self)
            let leading = current.prefix(while: { $0 == 0x20 }).count
            fields.append(Field(text: text.trimmingWhitespace(), column: start + leading + 1))
            current = []
        }
        while index < bytes.count {
            let byte = bytes[index]
            if inQuotes {
                if byte == UInt8(ascii: "\"") {
                    if index + 1 < bytes.count, bytes[index + 1] == UInt8(ascii: "\"") {
                        current.append(byte)
                        index += 1
                    } else {
                        inQuotes = false
                    }
                } else {
                    current.append(byte)
                }
            } else if byte == delimiter {
                finish()
                start = index + 1
            } else if byte == UInt8(ascii: "\"") && delimiter == UInt8(ascii: ",") && current.allSatisfy({ $0 == 0x20 })
            {
                inQuotes = true
            } else {
                current.append(byte)
            }
            index += 1
        }
        finish()
        return fields
    }

    /// One `missingColumn` error for each of `required` the header lacks, pointing at a near spelling
    /// (within two edits) when the header has one.
    ///
    /// - Parameters:
    ///   - required: the column names the file must have.
    ///   - hint: the hint when no near spelling exists.
    /// - Returns: the errors, empty when every column is present.
    public func missingColumnErrors(_ required: [String], hint: String) -> [InputError] {
        required.filter { columnIndex($0) == nil }.map { name in
            let near = header.first { EditDistance.levenshtein($0.text.lowercased(), name) <= 2 }
            return InputError(
                .missingColumn, at: InputLocation(path: path, line: headerLine, column: near?.column ?? 1),
                "missing required column '\(name)'",
                hint: near.map { "found \(InputError.quoted($0.text)); rename it to '\(name)'" }
                    ?? Self.spaceSeparatedHint(header, delimiter: storedDelimiter) ?? hint)
        }
    }

    /// The table with columns renamed from other spellings to the canonical names, where the canonical
    /// name is not already a column (`Sample` → `sample_id` unless the file has `sample_id`).
    ///
    /// - Parameter aliases: spelling → canonical name.
    /// - Returns: the renamed table and, for each canonical name reached through an alias, the original spelling.
    public func renamingColumns(_ aliases: [String: String]) -> (table: DelimitedTable, renamed: [String: String]) {
        var copy = self
        var renamed: [String: String] = [:]
        for (index, field) in header.enumerated() {
            guard let canonical = aliases[field.text], columnIndex(canonical) == nil, renamed[canonical] == nil else {
                continue
            }
            copy.header[index] = Field(text: canonical, column: field.column)
            renamed[canonical] = field.text
        }
        return (copy, renamed)
    }

    /// The index of the column named `name`, if present.
    public func columnIndex(_ name: String) -> Int? { header.firstIndex { $0.text == name } }

    /// The location of a field (or of the row when the field is missing).
    public func location(row: Row, column index: Int?) -> InputLocation {
        InputLocation(
            path: path, line: row.line, column: index.flatMap { $0 < row.fields.count ? row.fields[$0].column : nil })
    }
}
