package import ExoCore
import Foundation

/// The lines of a delimited text export cut into cells, each cell remembering its line and byte column.
///
/// Instrument exports arrive tab-, comma- or semicolon-separated (Excel in much of Europe writes `;` because
/// `,` is its decimal separator). A field may be double-quoted whatever the delimiter, with `""` for a quote
/// inside (RFC 4180; no line breaks in fields); spaces around a field are trimmed. Blank lines stay, as rows
/// without cells, because a blank line ends a table in several exports.
package struct InstrumentTextGrid: Sendable {
    /// The path as shown to the user.
    package let path: String
    /// The delimiter the cells were cut at.
    package let delimiter: UInt8
    /// Row `i` is line `i + 1` of the file.
    package let rows: [[String]]
    /// The 1-based byte column where each cell starts, parallel to `rows`.
    package let columns: [[Int]]

    /// Cuts every line of `file` at `delimiter`, or only its first `lineLimit` lines (to look for a header).
    package init(_ file: TextFile, delimiter: UInt8, lineLimit: Int = .max) {
        path = file.displayPath
        self.delimiter = delimiter
        var rows: [[String]] = []
        var columns: [[Int]] = []
        let lines = file.lines.prefix(lineLimit)
        rows.reserveCapacity(lines.count)
        columns.reserveCapacity(lines.count)
        for line in lines {
            let cells = Self.cells(of: line, delimiter: delimiter)
            rows.append(cells.map(\.text))
            columns.append(cells.map(\.column))
        }
        self.rows = rows
        self.columns = columns
    }

    /// Where a cell is: its line and byte column (the end of the line for a cell past the last one).
    package func location(row: Int, column: Int) -> InputLocation {
        guard row >= 0, row < columns.count else { return InputLocation(path: path) }
        let starts = columns[row]
        let byteColumn = column < starts.count ? starts[column] : (starts.last ?? 1)
        return InputLocation(path: path, line: row + 1, column: byteColumn)
    }

    /// The delimiters tried, in order: an export is read with the first under which a header is recognised.
    package static let candidateDelimiters: [UInt8] = [UInt8(ascii: "\t"), UInt8(ascii: ";"), UInt8(ascii: ",")]

    /// The delimiter an Excel `sep=X` first line declares, if the file has one.
    package static func declaredDelimiter(_ file: TextFile) -> UInt8? {
        guard let first = file.lines.first?.trimmingWhitespace(), first.hasPrefix("sep="), first.utf8.count == 5
        else { return nil }
        return first.utf8.last
    }

    /// A finite number written with a decimal point, or with a single decimal comma (`27,31`) as European
    /// locales write it; `nil` for anything else (thousands separators are not read: Cq values and
    /// fluorescence readings never have them).
    package static func number(_ text: String) -> Double? {
        var text = text.trimmingWhitespace()
        if !text.contains("."), text.utf8.lazy.filter({ $0 == UInt8(ascii: ",") }).count == 1 {
            text = text.replacingOccurrences(of: ",", with: ".")
        }
        guard let value = Double(text), value.isFinite else { return nil }
        return value
    }

    /// Cuts one line into trimmed cells with their 1-based byte columns; an empty line has no cells.
    static func cells(of line: Substring, delimiter: UInt8) -> [(text: String, column: Int)] {
        let bytes = Array(line.utf8)
        guard !bytes.isEmpty else { return [] }
        var cells: [(text: String, column: Int)] = []
        var field: [UInt8] = []
        var fieldStart = 0
        var quoted = false
        var position = 0
        while position <= bytes.count {
            let byte: UInt8? = position < bytes.count ? bytes[position] : nil
            if quoted, let byte {
                if byte != UInt8(ascii: "\"") {
                    field.append(byte)
                } else if position + 1 < bytes.count, bytes[position + 1] == UInt8(ascii: "\"") {
                    field.append(byte)
                    position += 1
                } else {
                    quoted = false
                }
            } else if byte == nil || byte == delimiter {
                let padding = field.prefix { $0 == 0x20 }.count
                cells.append(
                    (String(decoding: field, as: UTF8.self).trimmingWhitespace(), fieldStart + padding + 1))
                field.removeAll(keepingCapacity: true)
                fieldStart = position + 1
            } else if byte == UInt8(ascii: "\""), field.allSatisfy({ $0 == 0x20 }) {
                quoted = true
            } else if let byte {
                field.append(byte)
            }
            position += 1
        }
        return cells
    }
}
