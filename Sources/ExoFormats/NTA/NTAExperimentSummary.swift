public import ExoCore
public import Foundation

/// A Malvern NanoSight "NTA Experiment Summary File" (`ExperimentSummary.csv`, NTA 3.1–3.4), read by its
/// section names (`[Results]`, `[Size Data]`, the `Graph Data` histogram) rather than by row numbers.
///
/// Comma-separated, Latin-1 (the ² and ³ of the surface and volume weightings are single bytes), one column per
/// capture (video) followed by `Average` and `Standard Error` where the software prints them; rows may end with
/// commas and sections differ in width. Only the number-weighted size data are read.
public struct NTAExperimentSummary: Sendable {
    public let path: String
    /// "NTA 3.4 Build 3.4.003".
    public let software: String
    public let sampleDescription: String?
    /// The capture (video) names.
    public let captures: [String]
    /// The recorded dilution factor (`nil` when the file says "Not recorded"); concentrations are already
    /// multiplied by it.
    public let dilution: Double?
    public let temperatures: [Double?]
    /// Particles per ml of each capture, as the software printed them.
    public let concentrations: [Double]
    public let particlesPerFrame: [Double?]
    public let completedTracks: [Double?]
    public let validTracks: [Double?]
    /// The size statistics the software printed per capture (nm): Mean, Mode, SD, D10, D50, D90.
    public var reported: [String: [Double?]] {
        printed.filter { $0.key != "Concentration" }.mapValues { $0.map { $0?.value } }
    }
    /// What the software printed per capture, with its rounding: `Concentration` (particles/ml, [Results]) and the
    /// number-weighted `Mean`, `Mode`, `SD`, `D10`, `D50`, `D90` (nm, [Size Data]); `nil` where a capture's field
    /// is not a number.
    public let printed: [String: [NTAPrintedValue?]]
    /// The software's `Average` column for the same rows (the mean of the captures' values), where the file has
    /// one: NTA prints it for concentration and the size statistics, not for dilution or tracks.
    public let printedAverage: [String: NTAPrintedValue]
    /// Every warning or information item that is not OK, per capture: (item, capture, value).
    public let warnings: [(item: String, capture: String, value: String)]
    /// The items of `[Concentration Warnings]` and `[Information]` the file reports on, OK or not
    /// ("Validity of concentration measurement", "Noise level", …).
    public let checkedItems: Set<String>
    /// Bin centres (nm) and each capture's concentration per bin (particles/ml per bin).
    public let binCentres: [Double]
    public let binConcentrations: [[Double]]

    /// Reads a file.
    ///
    /// - Throws: `InputErrorList`: not an NTA summary, an NTA version other than 3.x, a missing `[Results]` or
    ///   size histogram, text or a negative value where a concentration belongs, a dilution factor of zero, or
    ///   bins that do not increase; each at its line and column.
    public init(url: URL, displayPath: String) throws(InputErrorList) {
        guard let data = try? Data(contentsOf: url) else {
            throw InputErrorList([
                InputError(
                    .fileNotFound, at: InputLocation(path: displayPath), "cannot read \(InputError.quoted(displayPath))"
                )
            ])
        }
        try self.init(bytes: [UInt8](data), displayPath: displayPath)
    }

    /// Reads the text of a file.
    public init(text: String, displayPath: String) throws(InputErrorList) {
        try self.init(bytes: Array(text.utf8), displayPath: displayPath)
    }

    /// Reads a file's bytes (UTF-8 or Latin-1).
    ///
    /// Lines are found on the bytes and only the rows ExoScope reads are split into fields, so the surface-area,
    /// volume and diffusion sections a file may also hold cost one scan.
    public init(bytes: [UInt8], displayPath: String) throws(InputErrorList) {
        path = displayPath
        let csv = ByteCSV(bytes)
        /// Line `line` (0-based), at field `field` (0-based) when given.
        func at(_ line: Int, _ field: Int? = nil) -> InputLocation {
            InputLocation(path: displayPath, line: line + 1, column: field.flatMap { csv.column(line, field: $0) })
        }
        guard csv.firstFieldIs(0, "NTA Experiment Summary File") else {
            throw InputErrorList([
                InputError(
                    .wrongType, at: at(0), "not an NTA Experiment Summary File (the first line names the format)",
                    hint: "export 'Experiment Summary' from the NanoSight NTA software")
            ])
        }
        let versionLine = 1
        // "Created with NTA 3.2 Dev Build 3.2.16" names the build even where "Software Version" says Unknown.
        let created = csv.count > 1 ? csv.fields(1).first.flatMap { $0.hasPrefix("Created with ") ? $0 : nil } : nil
        let software =
            created.map { String($0.dropFirst("Created with ".count)) }
            ?? csv.firstLine(where: "Software Version").map { csv.fields($0) }.map { $0.count > 1 ? $0[1] : "" } ?? ""
        guard software.wholeMatch(of: /NTA 3\.[0-9].*/) != nil else {
            throw InputErrorList([
                InputError(
                    .unsupportedVersion, at: at(versionLine),
                    "NTA software \(InputError.quoted(software)) is not supported; ExoScope reads NTA 3.1–3.4 exports",
                    hint: "export from NTA 3.x, or convert the size bins to the generic size-bin table")
            ])
        }
        self.software = software
        sampleDescription = csv.firstLine(where: "Sample Description").flatMap {
            let fields = csv.fields($0)
            return fields.count > 1 ? fields[1] : nil
        }
        var errors: [InputError] = []
        guard let results = csv.firstLine(where: "[Results]") else {
            throw InputErrorList([InputError(.missingKey, at: at(0), "missing section '[Results]'")])
        }
        // The captures are the columns of the `Filename:` row (Experiment Details) or of [Size Data]'s row.
        let filenames = (csv.firstLine(where: "Filename:") ?? csv.firstLine(where: "Filename")).map(csv.fields) ?? []
        let captures = filenames.dropFirst().filter { !$0.isEmpty && $0 != "Average" && $0 != "Standard Error" }
        self.captures = Array(captures)
        let count = captures.count
        /// The first row at or after `start` whose first field begins with `label`, and its fields.
        func row(_ label: String, after start: Int) -> (index: Int, fields: [String])? {
            csv.firstLine(from: start, prefix: label).map { ($0, csv.fields($0)) }
        }
        func numbers(_ label: String, after start: Int) -> [Double?] {
            guard let (_, fields) = row(label, after: start) else { return Array(repeating: nil, count: count) }
            return (0..<count).map { $0 + 1 < fields.count ? Double(fields[$0 + 1]) : nil }
        }
        // Dilution: a number for every capture, or "Not recorded".
        var dilution: Double?
        if let (index, fields) = row("Dilution factor", after: results), fields.count > 1, fields[1] != "Not recorded" {
            if let value = Double(fields[1]), value > 0 {
                dilution = value
            } else {
                errors.append(
                    InputError(
                        .invalidValue, at: at(index, 1),
                        "dilution factor \(InputError.quoted(fields[1])) is not a positive number",
                        hint: "write the dilution (such as 1000 for 1:1000) or 'Not recorded'"))
            }
        }
        self.dilution = dilution
        var concentrations: [Double] = []
        var printed: [String: [NTAPrintedValue?]] = [:]
        var printedAverage: [String: NTAPrintedValue] = [:]
        /// The printed values of a row, and its `Average` column where `header` names one.
        func record(_ name: String, _ fields: [String], header: [String]) {
            printed[name] = (0..<count).map { $0 + 1 < fields.count ? NTAPrintedValue(text: fields[$0 + 1]) : nil }
            if let column = header.firstIndex(of: "Average"), column > count, column < fields.count,
                let average = NTAPrintedValue(text: fields[column])
            {
                printedAverage[name] = average
            }
        }
        if let (index, fields) = row("Concentration (Particles / ml)", after: results) {
            record("Concentration", fields, header: csv.fields(results))
            for capture in 0..<count {
                let text = capture + 1 < fields.count ? fields[capture + 1] : ""
                if let value = Double(text), value >= 0 {
                    concentrations.append(value)
                } else {
                    errors.append(
                        InputError(
                            .invalidNumber, at: at(index, capture + 1),
                            "expected a concentration (particles/ml, 0 or more) for capture \(InputError.quoted(captures[captures.startIndex + capture])), found \(InputError.quoted(text))"
                        ))
                }
            }
        } else {
            errors.append(
                InputError(.missingKey, at: at(results), "missing row 'Concentration (Particles / ml)' in [Results]"))
        }
        self.concentrations = concentrations
        particlesPerFrame = numbers("Particles per frame", after: results)
        completedTracks = numbers("Completed tracks", after: results)
        temperatures = numbers("Temperature/C", after: 0)
        // Warnings: anything other than OK / No / Yes in [Concentration Warnings] and [Information].
        var warnings: [(String, String, String)] = []
        var checkedItems: Set<String> = []
        for section in ["[Concentration Warnings]", "[Information]"] {
            guard var index = csv.firstLine(where: section) else { continue }
            index += 1
            while index < csv.count {
                let fields = csv.fields(index)
                guard let item = fields.first, !item.isEmpty, !item.hasPrefix("[") else { break }
                checkedItems.insert(item)
                for capture in 0..<count where capture + 1 < fields.count {
                    let value = fields[capture + 1]
                    if !["", "OK", "No", "Yes", "Minor vibration"].contains(value) {
                        warnings.append((item, captures[captures.startIndex + capture], value))
                    }
                }
                index += 1
            }
        }
        self.warnings = warnings
        self.checkedItems = checkedItems
        // [Size Data], number weighting: the printed statistics and the histogram after `Graph Data`.
        let sizeData = csv.firstLine(where: "[Size Data]") ?? results
        let number =
            (sizeData..<csv.count).first {
                csv.firstFieldIs($0, "Weighting") && csv.fields($0).dropFirst().first == "Number"
            }
            ?? sizeData
        // The `Filename` row of the number weighting names the `Average` column of the statistics below it.
        let sizeHeader = row("Filename", after: number)?.fields ?? []
        for label in ["Mean", "Mode", "SD", "D10", "D50", "D90"] {
            if let (_, fields) = row(label, after: number) { record(label, fields, header: sizeHeader) }
        }
        self.printed = printed
        self.printedAverage = printedAverage
        validTracks = numbers("Valid Tracks", after: number)
        var centres: [Double] = []
        var bins = [[Double]](repeating: [], count: count)
        if let graph = csv.firstLine(from: number, prefix: "Graph Data"), graph + 2 < csv.count {
            var index = graph + 2
            var ranges: [Range<Int>] = []
            while index < csv.count {
                csv.fieldRanges(index, into: &ranges)
                guard let firstRange = ranges.first, !csv.isBlank(firstRange) else { break }
                guard let centre = csv.double(firstRange) else {
                    errors.append(
                        InputError(
                            .invalidNumber, at: at(index, 0),
                            "expected a bin centre (nm) in the size histogram, found \(InputError.quoted(csv.text(firstRange)))"
                        ))
                    break
                }
                if let previous = centres.last, centre <= previous {
                    errors.append(
                        InputError(
                            .invalidValue, at: at(index, 0),
                            "size bins must increase: \(csv.text(firstRange)) nm follows \(previous) nm"))
                    break
                }
                centres.append(centre)
                for capture in 0..<count {
                    guard capture + 1 < ranges.count, let value = csv.double(ranges[capture + 1]), value >= 0 else {
                        if errors.count < 20 {
                            let text = capture + 1 < ranges.count ? csv.text(ranges[capture + 1]) : ""
                            errors.append(
                                InputError(
                                    .invalidNumber, at: at(index, capture + 1),
                                    "expected a concentration (0 or more) in the size histogram, found \(InputError.quoted(text))"
                                ))
                        }
                        bins[capture].append(0)
                        continue
                    }
                    bins[capture].append(value)
                }
                index += 1
            }
        }
        if centres.isEmpty {
            errors.append(
                InputError(
                    .missingKey, at: at(sizeData),
                    "missing the number-weighted size histogram ('Graph Data' in [Size Data])",
                    hint: "export the size distribution with the experiment summary"))
        }
        if count == 0 {
            errors.append(InputError(.missingKey, at: at(0), "no captures: the 'Filename' row names none"))
        }
        guard errors.isEmpty else { throw InputErrorList(errors) }
        binCentres = centres
        binConcentrations = bins
    }
}

/// A comma-separated file held as bytes: line boundaries found once, fields split and decoded only for the rows
/// asked for (UTF-8 where valid, else Latin-1), numbers parsed straight from the bytes.
struct ByteCSV {
    let bytes: [UInt8]
    /// Each line's byte range without its terminator (LF, CR LF or CR).
    let lines: [Range<Int>]

    init(_ bytes: [UInt8]) {
        self.bytes = bytes
        var lines: [Range<Int>] = []
        lines.reserveCapacity(bytes.count / 16)
        bytes.withUnsafeBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return }
            let count = buffer.count
            if memchr(base, 0x0A, count) == nil {
                // No LF at all: lines end with a lone CR (or the file is one line).
                var start = 0
                for index in 0..<count where buffer[index] == 0x0D {
                    lines.append(start..<index)
                    start = index + 1
                }
                if start < count { lines.append(start..<count) }
                return
            }
            // LF or CR LF: memchr finds each LF; a CR before it is not part of the line.
            var start = 0
            while start < count, let found = memchr(base + start, 0x0A, count - start) {
                let index = base.distance(to: found.assumingMemoryBound(to: UInt8.self))
                lines.append(start..<(index > start && buffer[index - 1] == 0x0D ? index - 1 : index))
                start = index + 1
            }
            if start < count { lines.append(start..<count) }
        }
        self.lines = lines
    }

    var count: Int { lines.count }

    /// Whether line `line`'s first field is exactly `text` (before a comma or the end of the line).
    func firstFieldIs(_ line: Int, _ text: String) -> Bool {
        guard line < lines.count else { return false }
        let range = lines[line]
        let utf8 = Array(text.utf8)
        guard range.count >= utf8.count, bytes[range.lowerBound..<(range.lowerBound + utf8.count)].elementsEqual(utf8)
        else { return false }
        let next = range.lowerBound + utf8.count
        return next == range.upperBound || bytes[next] == UInt8(ascii: ",")
    }

    /// The first line whose first field is `text`.
    func firstLine(where text: String) -> Int? { lines.indices.first { firstFieldIs($0, text) } }

    /// The first line at or after `start` that begins with `prefix`.
    func firstLine(from start: Int, prefix: String) -> Int? {
        let utf8 = Array(prefix.utf8)
        return (max(0, start)..<lines.count).first { line in
            let range = lines[line]
            return range.count >= utf8.count
                && bytes[range.lowerBound..<(range.lowerBound + utf8.count)].elementsEqual(utf8)
        }
    }

    /// The byte ranges of a line's fields, split at commas (a line with a quote goes through the quoting splitter).
    func fieldRanges(_ line: Int, into ranges: inout [Range<Int>]) {
        ranges.removeAll(keepingCapacity: true)
        let range = lines[line]
        var start = range.lowerBound
        for index in range where bytes[index] == UInt8(ascii: ",") {
            ranges.append(start..<index)
            start = index + 1
        }
        ranges.append(start..<range.upperBound)
    }

    /// A line's fields as text, trimmed, with quotes resolved.
    func fields(_ line: Int) -> [String] {
        guard line < lines.count else { return [] }
        let range = lines[line]
        if bytes[range].contains(UInt8(ascii: "\"")) {
            return DelimitedTable.split(Substring(text(range)), delimiter: UInt8(ascii: ",")).map(\.text)
        }
        var ranges: [Range<Int>] = []
        fieldRanges(line, into: &ranges)
        return ranges.map { text($0).trimmingWhitespace() }
    }

    /// The 1-based byte column where field `field` of `line` starts.
    func column(_ line: Int, field: Int) -> Int? {
        guard line < lines.count else { return nil }
        var ranges: [Range<Int>] = []
        fieldRanges(line, into: &ranges)
        guard field < ranges.count else { return nil }
        let leading = bytes[ranges[field]].prefix { $0 == 0x20 }.count
        return ranges[field].lowerBound - lines[line].lowerBound + leading + 1
    }

    /// The bytes as text: UTF-8 where valid, else Latin-1.
    func text(_ range: Range<Int>) -> String { TextFile.utf8OrLatin1(bytes: bytes[range]) }

    func isBlank(_ range: Range<Int>) -> Bool { bytes[range].allSatisfy { $0 == 0x20 || $0 == 0x09 } }

    /// A decimal number (`12`, `-3.5`, `2.22e+08`) parsed from the bytes, or `nil` for anything else.
    ///
    /// The same parser as the feature-matrix reader's (Clinger's exact fast path, `strtod` beyond it).
    func double(_ range: Range<Int>) -> Double? {
        bytes.withUnsafeBufferPointer { FeatureMatrix.number($0, range) }
    }
}
