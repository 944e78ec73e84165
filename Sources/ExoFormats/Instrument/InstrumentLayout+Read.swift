import ExoCore
import Foundation

extension InstrumentLayout {
    /// A Cq cell: a number, a not-detected mark, or neither.
    enum CqCell: Equatable {
        case detected(Double)
        case notDetected
        case invalid
    }

    /// The marks instruments write for "no amplification", lowercased.
    static let notDetectedMarks: Set<String> = [
        "", "undetermined", "no ct", "no cq", "no cp", "nan", "n/a", "na", "-", "–", "—",
    ]

    /// Reads a Cq cell: a finite number ≥ 0 (a single decimal comma allowed), a not-detected mark, or invalid.
    static func cq(_ text: String) -> CqCell {
        let trimmed = text.trimmingWhitespace()
        if notDetectedMarks.contains(trimmed.lowercased()) { return .notDetected }
        guard let value = InstrumentTextGrid.number(trimmed), value >= 0 else { return .invalid }
        return .detected(value)
    }

    /// A well position (`A1`, `a01`, `P24`) without leading zeros and in capitals, or `nil` when it is not one.
    static func wellLabel(_ text: String) -> String? {
        let upper = text.trimmingWhitespace().uppercased()
        let letters = upper.prefix { $0 >= "A" && $0 <= "Z" }
        let digits = upper.dropFirst(letters.count)
        guard (1...2).contains(letters.count), (1...3).contains(digits.count), digits.allSatisfy(\.isASCII),
            let column = Int(digits), column >= 1
        else { return nil }
        return letters + String(column)
    }

    /// The row-major order of a well label: (row from its letters, column).
    static func plateOrder(_ label: String) -> [Int] {
        let letters = label.prefix { $0.isLetter }
        let row = letters.unicodeScalars.reduce(0) { $0 * 26 + Int($1.value) - 64 }
        return [row, Int(label.dropFirst(letters.count)) ?? 0]
    }

    /// Text of the layout's preamble rows that names the channel or filter of the table below them: LightCycler's
    /// `Selected Filter: …`, Rotor-Gene's `Quantitation data for Cycling A.Green`.
    static func channel(in rows: ArraySlice<[String]>) -> String? {
        var found: String?
        for cell in rows.joined() {
            if let range = cell.range(of: "Selected Filter:", options: .caseInsensitive) {
                found = String(cell[range.upperBound...]).trimmingWhitespace()
            } else if let range = cell.range(of: "Quantitation data for ", options: [.caseInsensitive, .anchored]) {
                found = String(cell[range.upperBound...]).trimmingWhitespace()
            }
        }
        return found.flatMap { $0.isEmpty ? nil : $0 }
    }

    /// A well being read, with its plate-order key.
    private struct Pending {
        var well: InstrumentWell
        var index: Int?
        var order: [Int]
    }

    /// Reads the wells below a recognised header (see ``InstrumentCqExport`` for the rules).
    static func read(
        _ header: Header, rows: [[String]], path: String, location: (_ row: Int, _ column: Int) -> InputLocation
    ) throws(InputErrorList) -> InstrumentCqExport {
        let layout = header.layout
        let columns = header.columns
        var errors: [InputError] = []
        var pending: [Pending] = []
        var plates: [String: Int] = [:]
        var seen: [String: InputLocation] = [:]
        var channel = channel(in: rows[..<header.row])
        var inTable = true
        var lastTableRow = header.row
        for rowIndex in rows.indices.dropFirst(header.row + 1) {
            let row = rows[rowIndex]
            let cell = { (field: Field) -> String in
                guard let column = columns[field], column < row.count else { return "" }
                return row[column]
            }
            if row.allSatisfy(\.isEmpty) || row.first?.hasPrefix("[") == true {
                inTable = false
                continue
            }
            if layout.columns(of: row) != nil {
                channel = Self.channel(in: rows[(lastTableRow + 1)..<rowIndex]) ?? channel
                inTable = true
                lastTableRow = rowIndex
                continue
            }
            guard inTable else { continue }
            lastTableRow = rowIndex
            let sample = cell(.sample)
            let target =
                cell(.target).isEmpty ? (cell(.channel).isEmpty ? channel ?? "" : cell(.channel)) : cell(.target)
            let cqText = cell(.cq)
            let cqLocation = location(rowIndex, columns[.cq] ?? 0)
            let value = cq(cqText)
            if sample.isEmpty, cell(.target).isEmpty, value == .notDetected { continue }
            let cq: Double?
            switch value {
            case .detected(let number): cq = number
            case .notDetected: cq = nil
            case .invalid:
                cq = nil
                errors.append(
                    InputError(
                        .invalidNumber, at: cqLocation,
                        "expected a Cq (a number, or Undetermined / No Ct / NaN / - / empty for none) in column "
                            + "\(InputError.quoted(rows[header.row][columns[.cq] ?? 0])), found \(InputError.quoted(cqText))",
                        hint: "a Cq is a number of cycles such as 27.31 (or 27,31)"))
            }
            var label: String?
            var index: Int?
            if let column = columns[.wellPosition] {
                label = wellLabel(cell(.wellPosition))
                if label == nil {
                    errors.append(
                        InputError(
                            .invalidValue, at: location(rowIndex, column),
                            "expected a well position such as A1 or H12, found \(InputError.quoted(cell(.wellPosition)))"
                        ))
                }
            }
            if let column = columns[.wellIndex] {
                index = Int(cell(.wellIndex)).flatMap { $0 >= 1 ? $0 : nil }
                if index == nil, label == nil {
                    errors.append(
                        InputError(
                            .invalidValue, at: location(rowIndex, column),
                            "expected a well number (1, 2, …), found \(InputError.quoted(cell(.wellIndex)))"))
                }
            }
            guard label != nil || index != nil else { continue }
            let plateName = [cell(.plateID), cell(.filename)].first { !$0.isEmpty }
            var plateNumber = 0
            if let plateName {
                plateNumber = plates[plateName] ?? plates.count
                plates[plateName] = plateNumber
            }
            let taskText = columns[.standard] != nil && !cell(.standard).isEmpty ? "Standard" : cell(.task)
            let omit = cell(.omit).lowercased() == "true" || cell(.include).lowercased() == "false"
            let well = InstrumentWell(
                plate: plateName, well: label ?? String(index ?? 0), sample: sample, target: target,
                task: WellTask(exportText: taskText), taskText: taskText, cq: cq, cqText: cqText,
                cqLocation: cqLocation, isOmitted: omit)
            let key = [plateName ?? "", well.well, target].joined(separator: "\u{1F}")
            let wellLocation = location(rowIndex, columns[.wellPosition] ?? columns[.wellIndex] ?? 0)
            if let first = seen[key] {
                errors.append(
                    InputError(
                        .duplicateMeasurement, at: wellLocation,
                        "well \(InputError.quoted(well.well)) has target \(InputError.quoted(target)) twice"
                            + (plateName.map { " on plate \(InputError.quoted($0))" } ?? "")
                            + " (first on line \(first.line))",
                        hint: "each well of a plate holds one reaction per target"))
                continue
            }
            seen[key] = wellLocation
            pending.append(
                Pending(well: well, index: index, order: [plateNumber] + (index.map { [$0] } ?? plateOrder(well.well))))
        }
        if !errors.isEmpty { throw InputErrorList(errors) }
        if layout.numbersArePlateWells, columns[.wellPosition] == nil {
            labelNumberedWells(&pending)
        }
        return InstrumentCqExport(
            instrument: layout.instrument, path: path,
            wells: numberingReplicates(pending.map(\.well), by: pending.map(\.order)))
    }

    /// Labels wells numbered 1…96 on an 8 × 12 plate, or 1…384 on a 16 × 24 plate (or card) when any number
    /// exceeds 96, row by row; larger numbers stay numbers.
    private static func labelNumberedWells(_ pending: inout [Pending]) {
        let largest = pending.compactMap(\.index).max() ?? 0
        let format = largest > 96 ? PlateFormat(rows: 16, columns: 24) : PlateFormat(rows: 8, columns: 12)
        for position in pending.indices {
            if let index = pending[position].index, let label = format.label(ofReaction: index) {
                pending[position].well.well = label
            }
        }
    }

    /// Numbers the technical replicates of each (sample, target) 1, 2, … in the order of `keys`
    /// (ties in file order).
    static func numberingReplicates(_ wells: [InstrumentWell], by keys: [[Int]]) -> [InstrumentWell] {
        var wells = wells
        let order = wells.indices.sorted {
            keys[$0].lexicographicallyPrecedes(keys[$1]) || (keys[$0] == keys[$1] && $0 < $1)
        }
        var counts: [String: Int] = [:]
        for position in order {
            let key = wells[position].sample + "\u{1F}" + wells[position].target
            counts[key, default: 0] += 1
            wells[position].replicate = counts[key] ?? 1
        }
        return wells
    }
}
