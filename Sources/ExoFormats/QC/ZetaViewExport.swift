public import ExoCore
import Foundation

/// A Particle Metrix ZetaView size-distribution text export (`…_size_488.txt`, ZetaView 8.x).
///
/// A header of `Key:` TAB value lines (several pairs may share a line; `Dilution::` has two colons), then the line
/// `Size Distribution`, the table header `Size / nm, Number, Concentration / cm-3, Volume / nm^3, Area / nm^2`
/// (TAB-separated, `%.3E` numbers), the linear 5 nm bins, a separator row of `-1.000E+0`, and the same distribution
/// in logarithmic bins. ExoScope reads the linear bins; `Concentration / cm-3` is particles per ml in the measuring
/// cell, so it is multiplied by the dilution. The file is one measurement: one capture, named by its `Sample:`.
public enum ZetaViewExport {
    static func recognises(_ head: Substring) -> Bool {
        head.contains("ZetaView") && (head.hasPrefix("Original File:") || head.contains("\nSize Distribution"))
    }

    /// Drift and cell checks whose results count as OK.
    static let acceptedCheckResults: Set<String> = ["good", "very good", "ok"]

    /// Reads the text of a ZetaView export.
    ///
    /// - Throws: `InputErrorList`: no `Size Distribution` table, a dilution that is not a positive number, a
    ///   size or concentration that is not a number, a negative concentration, or bins that do not increase.
    public static func read(text: String, displayPath: String) throws(InputErrorList) -> ParticleSizeExport {
        let lines = text.split(omittingEmptySubsequences: false) { $0 == "\n" || $0 == "\r\n" || $0 == "\r" }
        var errors: [InputError] = []
        var values: [String: (text: String, line: Int, column: Int)] = [:]
        var tableStart: Int?
        for (index, line) in lines.enumerated() {
            if line.trimmingWhitespace() == "Size Distribution" {
                tableStart = index + 1
                break
            }
            // "Key:<TAB>value<TAB>Key2:<TAB>value2"; a field ending in a colon is a key, the next field its value
            // unless it is itself a key; "Conductivity: 65.000000" holds both in one field.
            let fields = DelimitedTable.split(line, delimiter: UInt8(ascii: "\t"))
            var position = 0
            while position < fields.count {
                let text = fields[position].text
                var key: String?
                var value: (text: String, column: Int)?
                if text.hasSuffix(":") {
                    key = text
                    if position + 1 < fields.count, !fields[position + 1].text.hasSuffix(":") {
                        value = (fields[position + 1].text, fields[position + 1].column)
                        position += 1
                    }
                } else if let colon = text.firstIndex(of: ":"), colon != text.startIndex {
                    key = String(text[...colon])
                    value = (text[text.index(after: colon)...].trimmingWhitespace(), fields[position].column)
                }
                position += 1
                if let key, let value {
                    let name = key.trimmingWhitespace().replacingOccurrences(of: "::", with: ":")
                    if values[name] == nil { values[name] = (value.text.trimmingWhitespace(), index + 1, value.column) }
                }
            }
        }
        var software = "ZetaView"
        if let written = values["Software:"]?.text {
            software = written.replacingOccurrences(of: "(version ", with: "").replacingOccurrences(of: ")", with: "")
        }
        var dilution: Double?
        if let written = values["Dilution:"] {
            if let factor = Double(written.text.replacingOccurrences(of: ",", with: ".")), factor > 0, factor.isFinite {
                dilution = factor
            } else {
                errors.append(
                    InputError(
                        .invalidNumber,
                        at: InputLocation(path: displayPath, line: written.line, column: written.column),
                        "expected a positive dilution factor, found \(InputError.quoted(written.text))",
                        hint: "the factor the sample was diluted by before measuring, 1 for undiluted"))
            }
        }
        var warnings: [(item: String, capture: String, value: String)] = []
        let capture = values["Sample:"]?.text.nilIfEmpty ?? "measurement"
        for item in ["Particle Drift Check Result:", "Cell Check Result:"] {
            if let result = values[item]?.text, !result.isEmpty, !acceptedCheckResults.contains(result.lowercased()) {
                warnings.append((String(item.dropLast()), capture, result))
            }
        }
        guard let start = tableStart, start < lines.count else {
            throw InputErrorList(
                errors + [
                    InputError(
                        .missingEntry, at: InputLocation(path: displayPath, line: lines.count),
                        "no 'Size Distribution' table in the ZetaView export",
                        hint: "export the size distribution (…_size_<laser>.txt), not the profile or the 11pos summary")
                ])
        }
        let header = DelimitedTable.split(lines[start], delimiter: UInt8(ascii: "\t")).map(\.text)
        guard let sizeColumn = header.firstIndex(where: { $0.hasPrefix("Size") }),
            let concentrationColumn = header.firstIndex(where: { $0.hasPrefix("Concentration") })
        else {
            throw InputErrorList(
                errors + [
                    InputError(
                        .missingColumn, at: InputLocation(path: displayPath, line: start + 1, column: 1),
                        "expected the columns 'Size / nm' and 'Concentration / cm-3' after 'Size Distribution'")
                ])
        }
        var centres: [Double] = []
        var concentrations: [Double] = []
        for index in (start + 1)..<lines.count where !lines[index].allSatisfy(\.isWhitespace) {
            let fields = DelimitedTable.split(lines[index], delimiter: UInt8(ascii: "\t"))
            guard fields.count > max(sizeColumn, concentrationColumn) else {
                errors.append(
                    InputError(
                        .wrongFieldCount, at: InputLocation(path: displayPath, line: index + 1, column: 1),
                        "expected \(header.count) fields in the size table, found \(fields.count)"))
                continue
            }
            let number = { (field: DelimitedTable.Field) in
                Double(field.text.replacingOccurrences(of: ",", with: ".")).flatMap { $0.isFinite ? $0 : nil }
            }
            let at = { (column: Int) in InputLocation(path: displayPath, line: index + 1, column: fields[column].column)
            }
            guard let size = number(fields[sizeColumn]) else {
                errors.append(
                    InputError(
                        .invalidNumber, at: at(sizeColumn),
                        "expected a size in nm, found \(InputError.quoted(fields[sizeColumn].text))"))
                continue
            }
            // The row of −1 ends the linear bins; the logarithmic bins that follow repeat the distribution.
            if size == -1 { break }
            guard size >= 0 else {
                errors.append(
                    InputError(
                        .invalidNumber, at: at(sizeColumn),
                        "expected a size ≥ 0 nm (or the -1.000E+0 row that ends the linear bins), found \(InputError.quoted(fields[sizeColumn].text))"
                    ))
                continue
            }
            guard let concentration = number(fields[concentrationColumn]) else {
                errors.append(
                    InputError(
                        .invalidNumber, at: at(concentrationColumn),
                        "expected a concentration in particles/cm³, found \(InputError.quoted(fields[concentrationColumn].text))"
                    ))
                continue
            }
            if concentration < 0 {
                errors.append(
                    InputError(
                        .invalidValue, at: at(concentrationColumn),
                        "negative concentration \(fields[concentrationColumn].text) in the \(fields[sizeColumn].text) nm bin"
                    ))
            }
            if let last = centres.last, size <= last {
                errors.append(
                    InputError(
                        .invalidValue, at: at(sizeColumn),
                        "size bins must increase: \(fields[sizeColumn].text) nm follows \(last) nm",
                        hint: "the linear size table must end with the row of -1.000E+0 before the logarithmic one"))
            }
            centres.append(size)
            concentrations.append(concentration * (dilution ?? 1))
        }
        if errors.isEmpty, centres.count < 2 {
            errors.append(
                InputError(
                    .emptyTable, at: InputLocation(path: displayPath, line: start + 1),
                    "the size table has \(centres.count) bin\(centres.count == 1 ? "" : "s"); a distribution needs at least 2",
                    hint: "a run with no tracked particles has no size distribution; measure again"))
        }
        guard errors.isEmpty else { throw InputErrorList(errors) }
        return ParticleSizeExport(
            path: displayPath, format: .zetaView, software: software, captures: [capture], dilution: dilution,
            binCentres: centres, binConcentrations: [concentrations], warnings: warnings)
    }
}

extension String {
    fileprivate var nilIfEmpty: String? { isEmpty ? nil : self }
}
