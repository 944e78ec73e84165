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
    public let reported: [String: [Double?]]
    /// Every warning or information item that is not OK, per capture: (item, capture, value).
    public let warnings: [(item: String, capture: String, value: String)]
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
        try self.init(text: TextFile.utf8OrLatin1(data), displayPath: displayPath)
    }

    /// Reads the text of a file.
    public init(text: String, displayPath: String) throws(InputErrorList) {
        path = displayPath
        let fields = text.split(omittingEmptySubsequences: false) { $0 == "\n" || $0 == "\r\n" || $0 == "\r" }
            .map { DelimitedTable.split($0, delimiter: UInt8(ascii: ",")) }
        let lines = fields.map { $0.map(\.text) }
        /// Line `line` (0-based), at field `field` (0-based) when given.
        func at(_ line: Int, _ field: Int? = nil) -> InputLocation {
            InputLocation(
                path: displayPath, line: line + 1,
                column: field.flatMap { $0 < fields[line].count ? fields[line][$0].column : nil })
        }
        guard lines.first?.first == "NTA Experiment Summary File" else {
            throw InputErrorList([
                InputError(
                    .wrongType, at: at(0), "not an NTA Experiment Summary File (the first line names the format)",
                    hint: "export 'Experiment Summary' from the NanoSight NTA software")
            ])
        }
        let versionLine = 1
        // "Created with NTA 3.2 Dev Build 3.2.16" names the build even where "Software Version" says Unknown.
        let created = lines.count > 1 && (lines[1].first ?? "").hasPrefix("Created with ") ? lines[1][0] : nil
        let software =
            created.map { String($0.dropFirst("Created with ".count)) }
            ?? lines.first { $0.first == "Software Version" }.map { $0.count > 1 ? $0[1] : "" } ?? ""
        guard software.wholeMatch(of: /NTA 3\.[0-9].*/) != nil else {
            throw InputErrorList([
                InputError(
                    .unsupportedVersion, at: at(versionLine),
                    "NTA software \(InputError.quoted(software)) is not supported; ExoScope reads NTA 3.1–3.4 exports",
                    hint: "export from NTA 3.x, or convert the size bins to the generic size-bin table")
            ])
        }
        self.software = software
        sampleDescription = lines.first { $0.first == "Sample Description" }.flatMap { $0.count > 1 ? $0[1] : nil }
        var errors: [InputError] = []
        guard let results = lines.firstIndex(where: { $0.first == "[Results]" }) else {
            throw InputErrorList([InputError(.missingKey, at: at(0), "missing section '[Results]'")])
        }
        // The captures are the columns of the `Filename:` row (Experiment Details) or of [Size Data]'s row.
        let filenames = lines.first { $0.first == "Filename:" } ?? lines.first { $0.first == "Filename" } ?? []
        let captures = filenames.dropFirst().filter { !$0.isEmpty && $0 != "Average" && $0 != "Standard Error" }
        self.captures = Array(captures)
        let count = captures.count
        /// The first row after `start` whose first field begins with `label`, and its index.
        func row(_ label: String, after start: Int) -> (index: Int, fields: [String])? {
            for index in start..<lines.count where lines[index].first?.hasPrefix(label) == true {
                return (index, lines[index])
            }
            return nil
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
        if let (index, fields) = row("Concentration (Particles / ml)", after: results) {
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
        for section in ["[Concentration Warnings]", "[Information]"] {
            guard var index = lines.firstIndex(where: { $0.first == section }) else { continue }
            index += 1
            while index < lines.count, let item = lines[index].first, !item.isEmpty, !item.hasPrefix("[") {
                for capture in 0..<count where capture + 1 < lines[index].count {
                    let value = lines[index][capture + 1]
                    if !["", "OK", "No", "Yes", "Minor vibration"].contains(value) {
                        warnings.append((item, captures[captures.startIndex + capture], value))
                    }
                }
                index += 1
            }
        }
        self.warnings = warnings
        // [Size Data], number weighting: the printed statistics and the histogram after `Graph Data`.
        let sizeData = lines.firstIndex { $0.first == "[Size Data]" } ?? results
        let number =
            lines[sizeData...].firstIndex { $0.first == "Weighting" && $0.count > 1 && $0[1] == "Number" } ?? sizeData
        var reported: [String: [Double?]] = [:]
        for label in ["Mean", "Mode", "SD", "D10", "D50", "D90"] {
            reported[label] = row(label, after: number).map { fields in
                (0..<count).map { $0 + 1 < fields.1.count ? Double(fields.1[$0 + 1]) : nil }
            }
        }
        self.reported = reported
        validTracks = numbers("Valid Tracks", after: number)
        var centres: [Double] = []
        var bins = [[Double]](repeating: [], count: count)
        if let graph = row("Graph Data", after: number), graph.index + 2 < lines.count {
            var index = graph.index + 2
            while index < lines.count, let first = lines[index].first, !first.isEmpty {
                let fields = lines[index]
                guard let centre = Double(first) else {
                    errors.append(
                        InputError(
                            .invalidNumber, at: at(index, 0),
                            "expected a bin centre (nm) in the size histogram, found \(InputError.quoted(first))"))
                    break
                }
                if let previous = centres.last, centre <= previous {
                    errors.append(
                        InputError(
                            .invalidValue, at: at(index, 0),
                            "size bins must increase: \(first) nm follows \(previous) nm"))
                    break
                }
                centres.append(centre)
                for capture in 0..<count {
                    let text = capture + 1 < fields.count ? fields[capture + 1] : ""
                    guard let value = Double(text), value >= 0 else {
                        if errors.count < 20 {
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
