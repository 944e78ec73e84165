public import ExoCore
public import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A samples × features matrix with one label per sample: the plain layout R and Python users keep their
/// expression data in (a `sample` column, a label column, then one numeric column per feature).
///
/// Tab-separated, or comma-separated for `.csv` (where a field may be double-quoted and hold commas). Missing
/// values are empty fields, `NA`, `NaN` or `N/A` (any case); they are kept as NaN and each analysis states how
/// it treats them. Any other text in a feature column is an error at its line and column, once per column with
/// the number of further rows. R's row names are accepted as the sample column: `write.csv` writes them under an
/// empty first header cell (`""`), `write.table` under no header cell at all (its header is one field shorter
/// than its rows); when the file also has a `sample` column, the row names are ignored. A ``Selection`` reads
/// only some columns. Read straight from the bytes (numbers by a correctly rounded fast path, `strtod`
/// otherwise), because expression matrices run to millions of cells.
public struct FeatureMatrix: Sendable {
    public let path: String
    /// Sample names, in file order.
    public let samples: [String]
    /// The label of each sample.
    public let labels: [String]
    /// The name of the label column.
    public let labelColumn: String
    /// Feature names, in column order.
    public let features: [String]
    /// `values[feature][sample]`; NaN where missing.
    public let values: [[Double]]
    /// The 1-based line of each sample's row.
    public let lines: [Int]
    /// The text columns asked for that the file has (such as `specimen`, `qc`), by the requested name: one
    /// value per sample.
    public private(set) var annotations: [String: [String]] = [:]

    /// Which columns of a file are read, besides the sample and label columns.
    public struct Selection: Sendable, Hashable {
        /// The feature columns to read, or `nil` for every column.
        public var features: [String]?
        /// Columns never read (text such as a patient's sex or a second outcome); they are neither features nor
        /// annotations.
        public var excluded: [String]

        /// Every column.
        public static let all = Selection()

        /// Creates a selection.
        ///
        /// - Parameters:
        ///   - features: the feature columns to read (`nil`: all); explicitly requested text columns are read too.
        ///   - excluded: columns left out.
        public init(features: [String]? = nil, excluding excluded: [String] = []) {
            self.features = features
            self.excluded = excluded
        }
    }

    /// Creates a matrix from values already in memory (the study pipeline, tests).
    public init(
        path: String, samples: [String], labels: [String], labelColumn: String, features: [String],
        values: [[Double]]
    ) {
        self.init(
            path: path, samples: samples, labels: labels, labelColumn: labelColumn, features: features,
            values: values, lines: samples.indices.map { $0 + 2 })
    }

    /// The matrix without the named features (such as covariates taken out of it), lines and annotations kept.
    public func removing(features names: Set<String>) -> FeatureMatrix {
        let kept = features.indices.filter { !names.contains(features[$0]) }
        var matrix = FeatureMatrix(
            path: path, samples: samples, labels: labels, labelColumn: labelColumn, features: kept.map { features[$0] },
            values: kept.map { values[$0] }, lines: lines)
        matrix.annotations = annotations
        return matrix
    }

    /// Reads a matrix file.
    ///
    /// - Parameters:
    ///   - url: the file.
    ///   - displayPath: the path shown in messages.
    ///   - labelColumn: the column holding each sample's group (none when `nil`: every label is empty).
    ///   - textColumns: further columns to keep as text rather than features, when present (names matched
    ///     without regard to case).
    ///   - detectText: also keep as text every column whose first sample row holds text (sample information
    ///     such as stage or sex in a matrix of expression values); they are listed in `annotations`.
    ///   - selection: the columns to read; names the file lacks are ignored (check them with ``columnNames(of:)``).
    /// - Throws: `InputErrorList`: `fileNotFound`, `emptyTable`, `missingColumn` (no `sample` or label column,
    ///   with the nearest name), `duplicateColumn`, `wrongFieldCount`, `invalidNumber` (one per column, at most 20
    ///   errors listed).
    public init(
        url: URL, displayPath: String, labelColumn: String?, textColumns: [String] = [], detectText: Bool = false,
        selection: Selection = .all
    ) throws(InputErrorList) {
        let data = try Self.contents(of: url, displayPath: displayPath)
        let delimiter = Self.delimiter(displayPath)
        let result = data.withUnsafeBytes { (raw: UnsafeRawBufferPointer) -> Result<FeatureMatrix, InputErrorList> in
            Result { () throws(InputErrorList) in
                try Self.parse(
                    raw.bindMemory(to: UInt8.self), path: displayPath, delimiter: delimiter, labelColumn: labelColumn,
                    textColumns: textColumns, detectText: detectText, selection: selection)
            }
        }
        self = try result.get()
    }

    /// The column names of a matrix file's header, R's row-name column left out; for checking names a user gives
    /// before the file is read.
    ///
    /// - Parameters:
    ///   - url: the file.
    ///   - displayPath: the path shown in messages.
    /// - Returns: the names in file order (empty for an empty file).
    /// - Throws: `InputErrorList` with `fileNotFound` or `unreadableFile`.
    public static func columnNames(of url: URL, displayPath: String) throws(InputErrorList) -> [String] {
        let data = try contents(of: url, displayPath: displayPath)
        let delimiter = delimiter(displayPath)
        return data.withUnsafeBytes { (raw: UnsafeRawBufferPointer) -> [String] in
            let bytes = raw.bindMemory(to: UInt8.self)
            var start = 0
            if bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF { start = 3 }
            while start < bytes.count, bytes[start] == 0x0A || bytes[start] == 0x0D { start += 1 }
            var end = start
            while end < bytes.count, bytes[end] != 0x0A, bytes[end] != 0x0D { end += 1 }
            guard end > start else { return [] }
            let names = fieldRanges(bytes, start..<end, delimiter: delimiter).map { text(bytes, $0) }
            return names.first == "" ? Array(names.dropFirst()) : names
        }
    }

    /// The file's bytes, mapped where safe.
    private static func contents(of url: URL, displayPath: String) throws(InputErrorList) -> Data {
        do {
            return try Data(contentsOf: url, options: .mappedIfSafe)
        } catch {
            throw InputErrorList([
                InputError(
                    FileManager.default.fileExists(atPath: url.path) ? .unreadableFile : .fileNotFound,
                    at: InputLocation(path: displayPath), "cannot read \(InputError.quoted(displayPath))")
            ])
        }
    }

    /// Comma for `.csv`, tab otherwise.
    private static func delimiter(_ displayPath: String) -> UInt8 {
        displayPath.lowercased().hasSuffix(".csv") ? UInt8(ascii: ",") : UInt8(ascii: "\t")
    }

    /// The end of the field starting at `start`: the next delimiter outside double quotes (quotes count only in
    /// comma-separated files, and only around a whole field, as RFC 4180 and R's `write.csv` use them).
    @inline(__always)
    static func fieldEnd(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int, to upper: Int, delimiter: UInt8) -> Int {
        var end = start
        if delimiter == UInt8(ascii: ","), end < upper, bytes[end] == 0x22 {
            end += 1
            while end < upper {
                if bytes[end] == 0x22 {
                    if end + 1 < upper, bytes[end + 1] == 0x22 {
                        end += 2
                        continue
                    }
                    end += 1
                    break
                }
                end += 1
            }
        }
        while end < upper, bytes[end] != delimiter { end += 1 }
        return end
    }

    /// The byte ranges of a line's fields.
    static func fieldRanges(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, delimiter: UInt8) -> [Range<Int>]
    {
        var result: [Range<Int>] = []
        var start = range.lowerBound
        while true {
            let end = fieldEnd(bytes, from: start, to: range.upperBound, delimiter: delimiter)
            result.append(start..<end)
            if end >= range.upperBound { return result }
            start = end + 1
        }
    }

    private init(
        path: String, samples: [String], labels: [String], labelColumn: String, features: [String],
        values: [[Double]], lines: [Int]
    ) {
        self.path = path
        self.samples = samples
        self.labels = labels
        self.labelColumn = labelColumn
        self.features = features
        self.values = values
        self.lines = lines
    }

    /// Parses a matrix from its bytes; `availableMemory` (bytes, `MemoryBudget.available()` by default, no check
    /// when `nil`) is what the values may take: a matrix needing more is refused before it is allocated.
    package static func parse(
        _ bytes: UnsafeBufferPointer<UInt8>, path: String, delimiter: UInt8, labelColumn: String?,
        textColumns: [String] = [], detectText: Bool = false, selection: Selection = .all,
        availableMemory: UInt64? = MemoryBudget.available()
    ) throws(InputErrorList) -> FeatureMatrix {
        var position = 0
        var line = 0
        let count = bytes.count
        if count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF { position = 3 }
        /// The next line's byte range, without its terminator; skips blank lines.
        func nextLine() -> Range<Int>? {
            while position < count {
                line += 1
                let start = position
                while position < count, bytes[position] != 0x0A, bytes[position] != 0x0D { position += 1 }
                let end = position
                if position < count, bytes[position] == 0x0D {
                    position += 1
                    if position < count, bytes[position] == 0x0A { position += 1 }
                } else if position < count {
                    position += 1
                }
                if end > start { return start..<end }
            }
            return nil
        }
        func fields(_ range: Range<Int>) -> [Range<Int>] { fieldRanges(bytes, range, delimiter: delimiter) }
        func text(_ range: Range<Int>) -> String { Self.text(bytes, range) }
        guard let headerRange = nextLine() else {
            throw InputErrorList([
                InputError(
                    .emptyTable, at: InputLocation(path: path), "expected a header line, found an empty file",
                    hint: "the first line names the columns: sample, the label column, then one column per feature")
            ])
        }
        let headerLine = line
        var rows: [(range: Range<Int>, line: Int)] = []
        while let rowRange = nextLine() { rows.append((rowRange, line)) }
        var headerFields = fields(headerRange)
        // R's write.table writes no header cell above the row names: its rows have one field more than its header.
        if let first = rows.first, fields(first.range).count == headerFields.count + 1 {
            headerFields.insert(headerRange.lowerBound..<headerRange.lowerBound, at: 0)
        }
        let names = headerFields.map(text)
        var errors: [InputError] = []
        func columnLocation(_ index: Int) -> InputLocation {
            InputLocation(
                path: path, line: headerLine, column: headerFields[index].lowerBound - headerRange.lowerBound + 1)
        }
        var seen: [String: Int] = [:]
        for (index, name) in names.enumerated() {
            if let earlier = seen[name] {
                errors.append(
                    InputError(
                        .duplicateColumn, at: columnLocation(index),
                        "column \(InputError.quoted(name)) appears twice (first as column \(earlier + 1))"))
            } else {
                seen[name] = index
            }
        }
        // R's row names: an unnamed first column. They name the samples unless a sample column does.
        let rowNameIndex = names.first == "" ? 0 : nil
        let sampleIndex =
            names.firstIndex { $0.lowercased() == "sample" || $0.lowercased() == "sample_id" } ?? rowNameIndex
        let foundLabel = labelColumn.flatMap { names.firstIndex(of: $0) }
        let labelIndex = foundLabel ?? -1
        if sampleIndex == nil {
            errors.append(
                InputError(
                    .missingColumn, at: InputLocation(path: path, line: headerLine, column: 1),
                    "missing column 'sample'",
                    hint:
                        "the first column names each sample: sample (or sample_id), or R's row names (write.csv writes them under an empty first header cell)"
                ))
        }
        if let labelColumn, foundLabel == nil {
            errors.append(
                InputError(
                    .missingColumn, at: InputLocation(path: path, line: headerLine, column: 1),
                    "missing label column \(InputError.quoted(labelColumn))",
                    hint: EditDistance.didYouMean(labelColumn, in: names) ?? "--label names the column with the groups"
                ))
        }
        guard errors.isEmpty, let sampleIndex else { throw InputErrorList(errors) }
        let wanted = textColumns.map { $0.lowercased() }
        // With detectText, a column whose first row holds text (not a number, not missing) is sample information.
        let firstFields = detectText ? rows.first.map { fields($0.range) } ?? [] : []
        var textOf = [Int](repeating: -1, count: names.count)
        var kept: [String] = []
        var read = [Bool](repeating: false, count: names.count)
        for (index, name) in names.enumerated() where index != sampleIndex && index != labelIndex {
            let requested = wanted.firstIndex(of: name.lowercased())
            let listed = selection.features.map { $0.contains(name) } ?? true
            guard index != rowNameIndex, !selection.excluded.contains(name), listed || requested != nil else {
                continue
            }
            read[index] = true
            if let position = requested {
                if let earlier = kept.firstIndex(of: textColumns[position]),
                    let column = textOf.firstIndex(of: earlier)
                {
                    throw InputErrorList([
                        InputError(
                            .duplicateColumn, at: columnLocation(index),
                            "column \(InputError.quoted(name)) repeats column \(column + 1), \(InputError.quoted(names[column])), in another case"
                        )
                    ])
                }
                textOf[index] = kept.count
                kept.append(textColumns[position])
            } else if index < firstFields.count, Self.number(bytes, firstFields[index]) == nil,
                !Self.isMissing(bytes, firstFields[index])
            {
                textOf[index] = kept.count
                kept.append(name)
            }
        }
        let featureColumns = names.indices.filter { read[$0] && textOf[$0] < 0 }
        guard !rows.isEmpty else {
            throw InputErrorList([
                InputError(
                    .emptyTable, at: InputLocation(path: path, line: headerLine),
                    "expected at least one sample row after the header, found none")
            ])
        }
        // Rows are parsed in parallel chunks into one row-major buffer, then turned into feature columns.
        var featureOf = [Int](repeating: -1, count: names.count)
        for (position, column) in featureColumns.enumerated() { featureOf[column] = position }
        let width = featureColumns.count
        // The values are held twice while the rows become columns (8 bytes each), plus the sample names.
        let needed = UInt64(rows.count) * UInt64(width) * 16 + UInt64(rows.count) * 64
        if let availableMemory, needed > availableMemory {
            throw InputErrorList([
                InputError(
                    .tooLargeForMemory, at: InputLocation(path: path),
                    "\(rows.count) samples × \(width) features need about \(MemoryBudget.describe(needed)) of memory to read, and \(MemoryBudget.describe(availableMemory)) is available",
                    hint:
                        "read only the features you need (--features), split the matrix by samples, or run on a machine with more memory"
                )
            ])
        }
        let flat = UnsafeMutableBufferPointer<Double>.allocate(capacity: max(1, rows.count * width))
        defer { flat.deallocate() }
        let chunkCount = min(rows.count, ProcessInfo.processInfo.activeProcessorCount * 4)
        let chunks = ConcurrentSlots<RowChunk>(count: chunkCount)
        let layout = RowLayout(
            fieldCount: names.count, sampleIndex: sampleIndex, labelIndex: labelIndex, featureOf: featureOf,
            textOf: textOf, names: names, delimiter: delimiter, path: path)
        nonisolated(unsafe) let input = bytes
        nonisolated(unsafe) let output = flat
        let rowList = rows
        ComputeThreads.run(jobs: chunkCount) { chunk in
            var result = RowChunk()
            let first = chunk * rowList.count / chunkCount
            let last = (chunk + 1) * rowList.count / chunkCount
            for row in first..<last {
                Self.parseRow(
                    input, rowList[row].range, line: rowList[row].line, layout: layout,
                    into: output.baseAddress.map { $0 + row * width }, result: &result)
            }
            chunks[chunk] = result
        }
        var samples: [String] = []
        var labels: [String] = []
        var texts: [[String]] = kept.map { _ in [] }
        // Text in a feature column: its first cell, and how many more there are, per column in column order.
        var textCells: [Int: (first: InputError, more: Int)] = [:]
        for chunk in chunks.values {
            samples += chunk.samples
            labels += chunk.labels
            errors += chunk.errors
            for (slot, values) in chunk.texts.enumerated() { texts[slot] += values }
            for (column, cells) in chunk.textCells {
                if let earlier = textCells[column] {
                    textCells[column] = (earlier.first, earlier.more + cells.count)
                } else {
                    textCells[column] = (cells.first, cells.count - 1)
                }
            }
        }
        for column in textCells.keys.sorted() {
            guard let (first, more) = textCells[column] else { continue }
            var error = first
            if more > 0 { error.message += " (and in \(more) more row\(more == 1 ? "" : "s"))" }
            error.hint =
                "a missing value may be empty, NA or NaN; a column that is not a feature is left out with --exclude \(Self.shellWord(names[column]))"
            errors.append(error)
        }
        var firstRow: [String: Int] = [:]
        for (index, sample) in samples.enumerated() where errors.count < 20 {
            let location = InputLocation(path: path, line: rows[index].line)
            if sample.isEmpty {
                errors.append(InputError(.invalidValue, at: location, "expected a sample name, found an empty field"))
            } else if let first = firstRow[sample] {
                errors.append(
                    InputError(
                        .duplicateSample, at: location,
                        "sample \(InputError.quoted(sample)) appears twice (first on line \(rows[first].line))",
                        hint: "each row is one sample"))
            } else {
                firstRow[sample] = index
            }
        }
        guard errors.isEmpty else { throw InputErrorList(Array(errors.prefix(20))) }
        let rowCount = rows.count
        let columns = (0..<width).map { feature in
            [Double](unsafeUninitializedCapacity: rowCount) { buffer, initialized in
                for row in 0..<rowCount { buffer[row] = flat[row * width + feature] }
                initialized = rowCount
            }
        }
        var matrix = FeatureMatrix(
            path: path, samples: samples, labels: labels, labelColumn: labelColumn ?? "",
            features: featureColumns.map { names[$0] }, values: columns, lines: rows.map(\.line))
        matrix.annotations = Dictionary(uniqueKeysWithValues: zip(kept, texts))
        return matrix
    }

    /// A column name as one shell word: as it is when plain, else in single quotes.
    package static func shellWord(_ name: String) -> String {
        let plain = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-+"
        guard name.isEmpty || !name.allSatisfy(plain.contains) else { return name }
        return "'" + name.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }

    /// What one chunk of rows parsed: their samples, labels and errors.
    struct RowChunk: Sendable {
        var samples: [String] = []
        var labels: [String] = []
        /// Per kept text column, its values.
        var texts: [[String]] = []
        var errors: [InputError] = []
        /// Per feature column (by column index) with text in it: the first such cell's error and the cell count.
        var textCells: [Int: (first: InputError, count: Int)] = [:]
    }

    /// Where each column goes.
    struct RowLayout: Sendable {
        let fieldCount: Int
        let sampleIndex: Int
        let labelIndex: Int
        /// Per column: the feature position, or −1.
        let featureOf: [Int]
        /// Per column: the kept text column's position, or −1.
        let textOf: [Int]
        let names: [String]
        let delimiter: UInt8
        let path: String
    }

    /// One row: its sample and label, its numbers written to `row` (NaN when missing), errors appended.
    static func parseRow(
        _ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, line: Int, layout: RowLayout,
        into row: UnsafeMutablePointer<Double>?, result: inout RowChunk
    ) {
        var start = range.lowerBound
        var column = 0
        var sample = ""
        var label = ""
        var textCells: [(column: Int, error: InputError)] = []
        while true {
            let end = fieldEnd(bytes, from: start, to: range.upperBound, delimiter: layout.delimiter)
            if column < layout.fieldCount {
                let field = start..<end
                let feature = layout.featureOf[column]
                if feature >= 0 {
                    if let value = number(bytes, field) {
                        row?[feature] = value
                    } else {
                        row?[feature] = .nan
                        if !isMissing(bytes, field) {
                            textCells.append(
                                (
                                    column,
                                    InputError(
                                        .invalidNumber,
                                        at: InputLocation(
                                            path: layout.path, line: line, column: start - range.lowerBound + 1),
                                        "expected a number in column \(InputError.quoted(layout.names[column])), found \(InputError.quoted(text(bytes, field)))"
                                    )
                                ))
                        }
                    }
                } else if column == layout.sampleIndex {
                    sample = text(bytes, field)
                } else if column == layout.labelIndex {
                    label = text(bytes, field)
                } else if layout.textOf[column] >= 0 {
                    let slot = layout.textOf[column]
                    while result.texts.count <= slot { result.texts.append([]) }
                    result.texts[slot].append(text(bytes, field))
                }
            }
            column += 1
            if end >= range.upperBound { break }
            start = end + 1
        }
        if column != layout.fieldCount {
            result.errors.append(
                InputError(
                    .wrongFieldCount, at: InputLocation(path: layout.path, line: line),
                    "expected \(layout.fieldCount) fields as in the header, found \(column)",
                    hint: layout.delimiter == UInt8(ascii: ",")
                        ? "fields are separated by commas" : "fields are separated by tabs"))
        } else {
            for (column, error) in textCells {
                result.textCells[column, default: (error, 0)].count += 1
            }
        }
        result.samples.append(sample)
        result.labels.append(label)
    }

    /// A field's text without surrounding spaces and quotes.
    static func text(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> String {
        var field = range
        while field.lowerBound < field.upperBound, bytes[field.lowerBound] == 0x20 || bytes[field.lowerBound] == 0x22 {
            field = (field.lowerBound + 1)..<field.upperBound
        }
        while field.lowerBound < field.upperBound,
            bytes[field.upperBound - 1] == 0x20 || bytes[field.upperBound - 1] == 0x22
        {
            field = field.lowerBound..<(field.upperBound - 1)
        }
        return String(decoding: UnsafeBufferPointer(rebasing: bytes[field]), as: UTF8.self)
    }

    /// Empty, `NA`, `NaN`, `N/A` (any case, spaces and quotes around allowed).
    static func isMissing(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> Bool {
        var token: [UInt8] = []
        for index in range where bytes[index] != 0x20 && bytes[index] != 0x22 {
            token.append(bytes[index] | 0x20)
            if token.count > 3 { return false }
        }
        return token.isEmpty || token == Array("na".utf8) || token == Array("nan".utf8) || token == Array("n/a".utf8)
    }

    /// Powers of ten exactly representable as doubles.
    static let exactPowers: [Double] = (0...22).map { pow(10, Double($0)) }

    /// The field as a number, or `nil`; NaN and infinities are not numbers here.
    ///
    /// Decimal numbers of up to 15 significant digits with a decimal exponent within ±22 are exact products or
    /// quotients of two exact doubles (Clinger's fast path, correctly rounded); anything else goes to `strtod`.
    @inline(__always)
    static func number(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> Double? {
        var index = range.lowerBound
        var end = range.upperBound
        while index < end, bytes[index] == 0x20 || bytes[index] == 0x22 { index += 1 }
        while end > index, bytes[end - 1] == 0x20 || bytes[end - 1] == 0x22 { end -= 1 }
        guard index < end else { return nil }
        let start = index
        var negative = false
        if bytes[index] == UInt8(ascii: "-") || bytes[index] == UInt8(ascii: "+") {
            negative = bytes[index] == UInt8(ascii: "-")
            index += 1
        }
        var mantissa: UInt64 = 0
        var digits = 0
        var exponent = 0
        var sawDigit = false
        while index < end, bytes[index] &- 0x30 < 10 {
            sawDigit = true
            if digits > 0 || bytes[index] != 0x30 { digits += 1 }
            if digits <= 19 { mantissa = mantissa &* 10 &+ UInt64(bytes[index] &- 0x30) } else { exponent += 1 }
            index += 1
        }
        if index < end, bytes[index] == UInt8(ascii: ".") {
            index += 1
            while index < end, bytes[index] &- 0x30 < 10 {
                sawDigit = true
                if digits > 0 || bytes[index] != 0x30 { digits += 1 }
                if digits <= 19 {
                    mantissa = mantissa &* 10 &+ UInt64(bytes[index] &- 0x30)
                    exponent -= 1
                }
                index += 1
            }
        }
        guard sawDigit else { return nil }
        if index < end, bytes[index] | 0x20 == UInt8(ascii: "e") {
            index += 1
            var exponentNegative = false
            if index < end, bytes[index] == UInt8(ascii: "-") || bytes[index] == UInt8(ascii: "+") {
                exponentNegative = bytes[index] == UInt8(ascii: "-")
                index += 1
            }
            var value = 0
            var sawExponentDigit = false
            while index < end, bytes[index] &- 0x30 < 10 {
                sawExponentDigit = true
                value = min(value * 10 + Int(bytes[index] &- 0x30), 100_000)
                index += 1
            }
            guard sawExponentDigit else { return nil }
            exponent += exponentNegative ? -value : value
        }
        guard index == end else { return nil }
        if digits <= 15, abs(exponent) <= 22 {
            let magnitude = Double(mantissa)
            let value = exponent >= 0 ? magnitude * exactPowers[exponent] : magnitude / exactPowers[-exponent]
            return negative ? -value : value
        }
        // The slow path: the C library, on a terminated copy.
        var buffer = [CChar](repeating: 0, count: end - start + 1)
        for offset in start..<end { buffer[offset - start] = CChar(bitPattern: bytes[offset]) }
        let value = buffer.withUnsafeBufferPointer { pointer in pointer.baseAddress.map { strtod($0, nil) } }
        return value.flatMap { $0.isFinite ? $0 : nil }
    }
}
