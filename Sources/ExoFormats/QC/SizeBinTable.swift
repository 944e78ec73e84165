public import ExoCore

/// The generic size-bin CSV: any instrument's size distribution (TRPS, flow, an NTA without a native reader) as
/// one row per bin and one column per capture.
///
/// ```
/// # instrument: qNano Gold TRPS
/// # dilution: 100
/// size_nm,capture 1,capture 2
/// 55,1.2e7,1.1e7
/// 65,3.4e7,3.6e7
/// ```
/// Lines starting with `#` before the header carry metadata (`instrument`, `dilution`, `sample`); the header's
/// first column is `size_nm` (bin centres, increasing); the other columns hold particles/ml per bin in the
/// measured suspension, which ExoScope multiplies by the dilution. Comma- or tab-separated.
public enum SizeBinTable {
    /// Metadata keys a `# key: value` line may set.
    public static let metadataKeys = ["instrument", "dilution", "sample"]

    static func recognises(_ head: Substring) -> Bool {
        let firstData = head.split(whereSeparator: \.isNewline).first { !$0.hasPrefix("#") && !$0.isEmpty }
        return firstData.map { $0.lowercased().hasPrefix("size_nm") } ?? false
    }

    /// Reads the text of a size-bin CSV.
    ///
    /// - Throws: `InputErrorList`: an unknown metadata key, a dilution that is not a positive number, a header
    ///   without `size_nm` or captures, a bin centre or concentration that is not a number, a negative
    ///   concentration, a row of the wrong width, or bins that do not increase.
    public static func read(text: String, displayPath: String) throws(InputErrorList) -> ParticleSizeExport {
        let lines = text.split(omittingEmptySubsequences: false) { $0 == "\n" || $0 == "\r\n" || $0 == "\r" }
        var errors: [InputError] = []
        var instrument = "size-bin CSV"
        var dilution: Double?
        var index = 0
        while index < lines.count, lines[index].hasPrefix("#") || lines[index].allSatisfy(\.isWhitespace) {
            let line = lines[index].dropFirst()
            if let colon = line.firstIndex(of: ":") {
                let key = line[..<colon].trimmingWhitespace().lowercased()
                let value = line[line.index(after: colon)...].trimmingWhitespace()
                // The key's byte column: after "#" and any spaces.
                let location = InputLocation(
                    path: displayPath, line: index + 1, column: 2 + line.utf8.prefix { $0 == 0x20 }.count)
                switch key {
                case "instrument": instrument = value
                case "sample": break
                case "dilution":
                    if let factor = Double(value), factor > 0, factor.isFinite {
                        dilution = factor
                    } else {
                        errors.append(
                            InputError(
                                .invalidNumber, at: location,
                                "expected a positive dilution factor, found \(InputError.quoted(value))",
                                hint: "write the factor the sample was diluted by, such as '# dilution: 1000'"))
                    }
                default:
                    errors.append(
                        InputError(
                            .unknownKey, at: location, "unknown metadata key \(InputError.quoted(key))",
                            hint: EditDistance.didYouMean(key, in: metadataKeys)
                                ?? "metadata keys: \(metadataKeys.joined(separator: ", "))"))
                }
            }
            index += 1
        }
        guard index < lines.count else {
            throw InputErrorList(
                errors + [
                    InputError(
                        .emptyTable, at: InputLocation(path: displayPath, line: lines.count),
                        "no 'size_nm' header", hint: "the first line after the metadata is 'size_nm,capture 1,…'")
                ])
        }
        let headerLine = lines[index]
        let delimiter = UInt8(ascii: headerLine.contains("\t") ? "\t" : ",")
        let header = DelimitedTable.split(headerLine, delimiter: delimiter)
        let captures = header.dropFirst().map(\.text)
        if header.first?.text.lowercased() != "size_nm" || captures.isEmpty {
            errors.append(
                InputError(
                    .missingColumn, at: InputLocation(path: displayPath, line: index + 1, column: 1),
                    "expected the header 'size_nm' followed by one column per capture",
                    hint: "bin centres in nm, then particles/ml per bin for each capture"))
            throw InputErrorList(errors)
        }
        var centres: [Double] = []
        var columns = Array(repeating: [Double](), count: captures.count)
        for lineIndex in (index + 1)..<lines.count where !lines[lineIndex].allSatisfy(\.isWhitespace) {
            let fields = DelimitedTable.split(lines[lineIndex], delimiter: delimiter)
            let at = { (field: Int) in
                InputLocation(
                    path: displayPath, line: lineIndex + 1, column: fields[min(field, fields.count - 1)].column)
            }
            guard fields.count == header.count else {
                errors.append(
                    InputError(
                        .wrongFieldCount, at: InputLocation(path: displayPath, line: lineIndex + 1, column: 1),
                        "expected \(header.count) fields (size_nm and \(captures.count) captures), found \(fields.count)"
                    ))
                continue
            }
            guard let centre = Double(fields[0].text), centre.isFinite, centre >= 0 else {
                errors.append(
                    InputError(
                        .invalidNumber, at: at(0),
                        "expected a bin centre in nm, found \(InputError.quoted(fields[0].text))"))
                continue
            }
            if let last = centres.last, centre <= last {
                errors.append(
                    InputError(
                        .invalidValue, at: at(0),
                        "size bins must increase: \(fields[0].text) nm follows \(Self.format(last)) nm",
                        hint: "sort the rows by size_nm and merge repeated bins"))
            }
            centres.append(centre)
            for (capture, field) in fields.dropFirst().enumerated() {
                guard let value = Double(field.text), value.isFinite else {
                    errors.append(
                        InputError(
                            .invalidNumber, at: at(capture + 1),
                            "expected particles/ml for capture \(InputError.quoted(captures[capture])), found \(InputError.quoted(field.text))"
                        ))
                    continue
                }
                if value < 0 {
                    errors.append(
                        InputError(
                            .invalidValue, at: at(capture + 1),
                            "negative concentration \(field.text) for capture \(InputError.quoted(captures[capture]))"
                        ))
                }
                columns[capture].append(value * (dilution ?? 1))
            }
        }
        if errors.isEmpty, centres.count < 2 {
            errors.append(
                InputError(
                    .emptyTable, at: InputLocation(path: displayPath, line: index + 1),
                    "the size table has \(centres.count) bin\(centres.count == 1 ? "" : "s"); a distribution needs at least 2",
                    hint: "one row per size bin, in increasing order"))
        }
        guard errors.isEmpty else { throw InputErrorList(errors) }
        return ParticleSizeExport(
            path: displayPath, format: .sizeBins, software: instrument, captures: captures, dilution: dilution,
            binCentres: centres, binConcentrations: columns)
    }

    /// `120` for a whole number within Int's range, the shortest decimal otherwise (`1e+300`, not a trap).
    static func format(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : String(value)
    }
}
