import ExoCore
import Foundation

extension XLSXWorkbook {
    /// Excel's largest row and column (XFD).
    static let maximumRow = 1_048_576
    static let maximumColumn = 16_384

    /// A worksheet part: its cells as text, placed by reference.
    final class SheetPart: XLSXTextCollector, XLSXPart {
        private let workbook: XLSXWorkbook
        private let sheet: String
        private var cells: [(row: Int, column: Int, text: String)] = []
        private(set) var problem: InputError?
        private var row = 0
        private var column = 0
        private var cell: (type: String, style: Int)?
        private var value: String?
        private var inPhonetic = false

        init(workbook: XLSXWorkbook, sheet: String) {
            self.workbook = workbook
            self.sheet = sheet
        }

        func start(name: String, namespace: String?, attributes: [String: String]) {
            guard problem == nil else { return }
            switch name {
            case "row":
                if let text = attributes["r"] {
                    guard let number = Int(text), (1...XLSXWorkbook.maximumRow).contains(number) else {
                        return fail(
                            "expected a row number from 1 to 1048576 in <row r=…>, found \(InputError.quoted(text))")
                    }
                    row = number
                } else {
                    row += 1
                }
                column = 0
            case "c":
                if let reference = attributes["r"] {
                    guard let (cellRow, cellColumn) = XLSXWorkbook.cellReference(reference) else {
                        return fail(
                            "expected a cell reference such as 'B7' in <c r=…>, found \(InputError.quoted(reference))")
                    }
                    row = cellRow
                    column = cellColumn
                } else {
                    column += 1
                }
                guard row >= 1, column <= XLSXWorkbook.maximumColumn else {
                    return fail("a cell without a reference lies outside the sheet (row \(row), column \(column))")
                }
                cell = (attributes["t"] ?? "n", attributes["s"].flatMap { Int($0) } ?? 0)
                value = nil
            case "v":
                isCollecting = true
            case "rPh":
                inPhonetic = true
            case "t":
                isCollecting = cell?.type == "inlineStr" && !inPhonetic
            default:
                break
            }
        }

        func end(name: String) {
            guard problem == nil else { return }
            switch name {
            case "v":
                isCollecting = false
                value = takeText()
            case "t":
                isCollecting = false
            case "rPh":
                inPhonetic = false
            case "is":
                value = takeText()
            case "c":
                guard let cell else { return }
                self.cell = nil
                guard let value, !value.isEmpty else { return }
                guard let text = text(value, type: cell.type, style: cell.style) else { return }
                cells.append((row, column, text))
            default:
                break
            }
        }

        /// A cell's display text from its stored value, or `nil` after recording a problem.
        private func text(_ value: String, type: String, style: Int) -> String? {
            switch type {
            case "s":
                guard let index = Int(value), workbook.sharedStrings.indices.contains(index) else {
                    fail(
                        "cell refers to shared string \(InputError.quoted(value)), but the workbook has \(workbook.sharedStrings.count)",
                        atCell: true)
                    return nil
                }
                return workbook.sharedStrings[index]
            case "b": return value == "1" ? "TRUE" : value == "0" ? "FALSE" : value
            case "str", "inlineStr", "e": return value
            case "d": return String(value.prefix { $0 != "T" })
            default:
                guard let number = Double(value), number.isFinite else {
                    fail("expected a number in the cell, found \(InputError.quoted(value))", atCell: true)
                    return nil
                }
                if workbook.dateFormats.indices.contains(style), workbook.dateFormats[style],
                    let date = XLSXWorkbook.isoDate(serial: number, uses1904Dates: workbook.uses1904Dates)
                {
                    return date
                }
                return XLSXWorkbook.numberText(number)
            }
        }

        private func fail(_ message: String, atCell: Bool = false) {
            guard problem == nil else { return }
            let location =
                atCell
                ? workbook.location(sheet: sheet, row: row, column: column)
                : (parser?.elementStart() ?? workbook.location(sheet: sheet, row: 0, column: 0))
            problem = InputError(
                .invalidValue, at: location, message, hint: "the workbook is damaged; open and save it again in Excel")
            parser?.stop()
        }

        /// The cells as rows padded to their last cell.
        func rows(location: InputLocation) throws(InputError) -> [[String]] {
            var widths: [Int: Int] = [:]
            for cell in cells { widths[cell.row] = max(widths[cell.row] ?? 0, cell.column) }
            let padded = widths.values.reduce(0, +)
            guard padded <= XLSXWorkbook.maximumCells else {
                throw InputError(
                    .invalidValue, at: location,
                    "the sheet's rows span \(padded) cells once padded to their last cell, more than \(XLSXWorkbook.maximumCells)",
                    hint: "export the table as CSV UTF-8, or remove stray cells far right of the table")
            }
            var rows = [[String]](repeating: [], count: widths.keys.max() ?? 0)
            for (number, width) in widths { rows[number - 1] = [String](repeating: "", count: width) }
            for cell in cells { rows[cell.row - 1][cell.column - 1] = cell.text }
            return rows
        }
    }

    /// The 1-based row and column of an A1-style reference (`B7` → (7, 2)), or `nil` when it is not one or
    /// lies outside Excel's sheet.
    package static func cellReference(_ reference: String) -> (row: Int, column: Int)? {
        var column = 0
        var row = 0
        var letters = 0
        var digits = 0
        for byte in reference.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z") where digits == 0 && letters < 3:
                column = column * 26 + Int(byte - UInt8(ascii: "A")) + 1
                letters += 1
            case UInt8(ascii: "0")...UInt8(ascii: "9") where letters > 0 && digits < 7:
                row = row * 10 + Int(byte - UInt8(ascii: "0"))
                digits += 1
            default:
                return nil
            }
        }
        guard (1...maximumRow).contains(row), (1...maximumColumn).contains(column) else { return nil }
        return (row, column)
    }

    /// A number as the shortest decimal text that reads back as the same `Double`; whole numbers below
    /// 10^15 without a fractional part (`24`, not `24.0`).
    package static func numberText(_ value: Double) -> String {
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        return value.description
    }

    /// The ISO date (`YYYY-MM-DD`) of an Excel date serial number; the time of day is dropped.
    ///
    /// In the 1900 system serial 1 is 1900-01-01 and serial 60 is Excel's 1900-02-29, a day that never was
    /// (kept from Lotus 1-2-3), so later serials count from 1899-12-30. In the 1904 system serial 0 is
    /// 1904-01-01. Serials before the first day or after 9999-12-31 (2958465, or 2957003 in the 1904 system)
    /// are not dates: `nil`.
    package static func isoDate(serial: Double, uses1904Dates: Bool) -> String? {
        let day = serial.rounded(.down)
        guard day >= (uses1904Dates ? 0 : 1), day <= (uses1904Dates ? 2_957_003 : 2_958_465) else { return nil }
        let days = Int(day)
        if !uses1904Dates, days == 60 { return "1900-02-29" }
        // Days from 1970-01-01 of the serial's base day.
        let base = uses1904Dates ? -24_107 : (days < 60 ? -25_568 : -25_569)
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC") ?? calendar.timeZone
        let date = calendar.dateComponents(
            [.year, .month, .day], from: Date(timeIntervalSince1970: Double(base + days) * 86_400))
        guard let year = date.year, let month = date.month, let dayOfMonth = date.day else { return nil }
        return String(format: "%04d-%02d-%02d", year, month, dayOfMonth)
    }
}
