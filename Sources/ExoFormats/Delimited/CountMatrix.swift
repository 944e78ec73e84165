public import ExoCore
public import Foundation

/// A read-count table with features in rows and samples in columns, as `smallrna count` writes it and GEO series
/// ship them: a header (`mirna`, then sample names), then one row per feature.
///
/// Tab-, comma- or semicolon-separated (as ``DelimitedTable`` decides); `#` lines are comments. Lines of prose
/// before the header, as GEO supplementary tables have (a title, a note on abbreviations), are skipped: the header
/// is the first line whose next line holds a number in its second field. Counts may be fractional (a table already
/// in counts per million), never negative or missing.
public struct CountMatrix: Sendable, Equatable {
    /// The file as the user named it.
    public var path: String
    /// The header of the first column (`mirna`, `miRNA`, `feature`…).
    public var featureColumn: String
    /// The feature names, in file order.
    public var features: [String]
    /// The sample names, in file order.
    public var samples: [String]
    /// `counts[feature][sample]`.
    public var counts: [[Double]]
    /// Each feature's line in the file (1-based); empty for a matrix made in memory.
    public var lines: [Int] = []
    /// Each sample column's column in the header (1-based, in UTF-8 bytes); empty for a matrix made in memory.
    public var sampleColumns: [Int] = []
    /// The header's line (1-based); 0 for a matrix made in memory.
    public var headerLine = 0

    /// A matrix from values already in memory.
    public init(path: String, featureColumn: String, features: [String], samples: [String], counts: [[Double]]) {
        self.path = path
        self.featureColumn = featureColumn
        self.features = features
        self.samples = samples
        self.counts = counts
    }

    /// Reads a count table from a file.
    ///
    /// - Throws: `InputErrorList` with the file's problems, those of reading it (missing, not UTF-8) included.
    public static func read(url: URL, displayPath: String) throws(InputErrorList) -> CountMatrix {
        let file: TextFile
        do {
            file = try TextFile(url: url, displayPath: displayPath)
        } catch {
            throw InputErrorList([error])
        }
        return try CountMatrix(file)
    }

    /// Reads a count table.
    ///
    /// - Throws: `InputErrorList` with every problem: a field that is not a number, a negative or missing count, a
    ///   feature or sample named twice, rows of the wrong width, no samples.
    public init(_ file: TextFile) throws(InputErrorList) {
        let bodyStart = Self.headerLineIndex(file)
        var text = file.lines
        for index in 0..<bodyStart { text[index] = "" }
        let trimmed = TextFile(lines: text, like: file)
        let table = try DelimitedTable(trimmed, toleratingRaggedRows: true)
        path = file.displayPath
        var problems: [InputError] = []
        guard table.header.count >= 2 else {
            throw InputErrorList([
                InputError(
                    .emptyTable, at: InputLocation(path: path, line: table.headerLine),
                    "expected a feature column and at least one sample column, found \(table.header.count) column",
                    hint: "the header is the feature column's name, then one name per sample")
            ])
        }
        featureColumn = table.header[0].text
        samples = table.header.dropFirst().map(\.text)
        sampleColumns = table.header.dropFirst().map(\.column)
        headerLine = table.headerLine
        var seenSamples = Set<String>()
        for (index, sample) in samples.enumerated() where !seenSamples.insert(sample).inserted || sample.isEmpty {
            problems.append(
                InputError(
                    sample.isEmpty ? .missingColumn : .duplicateColumn,
                    at: InputLocation(path: path, line: table.headerLine, column: table.header[index + 1].column),
                    sample.isEmpty
                        ? "sample column \(index + 1) has no name"
                        : "sample \(InputError.quoted(sample)) is named twice"))
        }
        var features: [String] = []
        var counts: [[Double]] = []
        var featureLines: [Int] = []
        var seenFeatures: [String: Int] = [:]
        for row in table.rows where row.fields.count == table.header.count {
            let name = row.fields[0].text
            if let earlier = seenFeatures[name] {
                problems.append(
                    InputError(
                        .duplicateIdentifier, at: InputLocation(path: path, line: row.line, column: 1),
                        "feature \(InputError.quoted(name)) is listed twice (first on line \(earlier))",
                        hint: "sum or remove the duplicate rows"))
                continue
            }
            seenFeatures[name] = row.line
            var values: [Double] = []
            for field in row.fields.dropFirst() {
                guard let value = Double(field.text), value.isFinite, value >= 0 else {
                    problems.append(
                        InputError(
                            .invalidNumber, at: InputLocation(path: path, line: row.line, column: field.column),
                            field.text.isEmpty
                                ? "a count is missing"
                                : "expected a count of 0 or more, found \(InputError.quoted(field.text))",
                            hint: "read counts are numbers of reads (or counts per million), never negative or empty"))
                    values.append(0)
                    continue
                }
                values.append(value)
            }
            features.append(name)
            counts.append(values)
            featureLines.append(row.line)
        }
        if !problems.isEmpty { throw InputErrorList(problems) }
        self.features = features
        self.counts = counts
        self.lines = featureLines
    }

    /// The 0-based index of the header line: the first line whose next line has a number in its second field.
    static func headerLineIndex(_ file: TextFile) -> Int {
        let limit = min(file.lines.count - 1, 50)
        guard limit > 0 else { return 0 }
        for index in 0..<limit {
            let next = file.lines[index + 1]
            for delimiter in ["\t", ",", ";"] {
                let fields = next.split(separator: Character(delimiter), omittingEmptySubsequences: false)
                if fields.count >= 2,
                    Double(fields[1].trimmingCharacters(in: .whitespaces).trimmingCharacters(in: ["\""])) != nil
                {
                    return index
                }
            }
        }
        return 0
    }
}
