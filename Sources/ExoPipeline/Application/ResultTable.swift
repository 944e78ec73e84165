import Foundation

/// A table an operation returns: named columns and rows of typed cells, rendered as TSV or JSON from this one
/// definition of the columns.
///
/// TSV: a header line of the column names, then one line per row, cells separated by tabs. A number is written as
/// Swift's shortest decimal that reads back to the same `Double` (`0.1`, `1e-05`); a missing or non-finite number
/// is `NA`, which R's `read.delim` and pandas' `read_csv` both read as missing. Text is written as it is (empty
/// for absent text: a note or a call that is absent); a list is joined with its separator.
///
/// JSON: an array of one object per row, keyed by the column names (sorted, pretty-printed, as
/// ``ResultDocument/json(_:)`` writes every JSON document); a missing or non-finite number and absent text are
/// `null`, a list is an array of strings.
public struct ResultTable: Sendable, Equatable {
    /// One cell.
    public enum Cell: Sendable, Equatable {
        /// Text, written as it is.
        case text(String)
        /// Text that may be absent: empty in TSV, `null` in JSON.
        case optionalText(String?)
        /// A number: its shortest round-trip decimal, or `NA` / `null` when missing or not finite.
        case number(Double?)
        /// A count.
        case integer(Int?)
        /// `true` or `false`; empty in TSV and `null` in JSON when absent.
        case flag(Bool?)
        /// Items joined by `separator` in TSV; an array in JSON.
        case list([String], separator: String)
        /// Text for TSV that stands for a number in JSON (a value printed to a fixed number of decimals).
        case formatted(String, value: Double?)
    }

    /// The one spelling of a missing number in TSV.
    public static let missing = "NA"

    /// The column names.
    public var columns: [String]
    /// The rows, each with one cell per column.
    public var rows: [[Cell]]

    /// A table of `columns` and `rows`.
    public init(columns: [String], rows: [[Cell]] = []) {
        self.columns = columns
        self.rows = rows
    }

    /// Adds a row; it must have one cell per column.
    public mutating func append(_ row: [Cell]) {
        precondition(row.count == columns.count, "a row of \(row.count) cells for \(columns.count) columns")
        rows.append(row)
    }

    /// A number as TSV writes it: the shortest round-trip decimal, `NA` when missing or not finite.
    public static func number(_ value: Double?) -> String {
        guard let value, value.isFinite else { return missing }
        return String(value)
    }

    /// The table as TSV, header first, every line ending in a line feed.
    public func tsv() -> String {
        var output = columns.joined(separator: "\t") + "\n"
        output.reserveCapacity(rows.count * columns.count * 12)
        for row in rows {
            var first = true
            for cell in row {
                if !first { output += "\t" }
                first = false
                output += Self.tsvText(cell)
            }
            output += "\n"
        }
        return output
    }

    /// The table as a JSON array of objects.
    public func json() throws -> String {
        try ResultDocument.json(rows.map { JSONRow(columns: columns, cells: $0) })
    }

    private static func tsvText(_ cell: Cell) -> String {
        switch cell {
        case .text(let text): text
        case .optionalText(let text): text ?? ""
        case .number(let value): number(value)
        case .integer(let value): value.map(String.init) ?? missing
        case .flag(let value): value.map { $0 ? "true" : "false" } ?? ""
        case .list(let items, let separator): items.joined(separator: separator)
        case .formatted(let text, _): text
        }
    }

    /// A row as a JSON object.
    private struct JSONRow: Encodable {
        let columns: [String]
        let cells: [Cell]

        struct Key: CodingKey {
            var stringValue: String
            var intValue: Int? { nil }
            init(stringValue: String) { self.stringValue = stringValue }
            init?(intValue: Int) { nil }
        }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: Key.self)
            for (column, cell) in zip(columns, cells) {
                let key = Key(stringValue: column)
                switch cell {
                case .text(let text): try container.encode(text, forKey: key)
                case .optionalText(let text): try container.encode(text, forKey: key)
                case .number(let value), .formatted(_, let value):
                    try container.encode(value.flatMap { $0.isFinite ? $0 : nil }, forKey: key)
                case .integer(let value): try container.encode(value, forKey: key)
                case .flag(let value): try container.encode(value, forKey: key)
                case .list(let items, _): try container.encode(items, forKey: key)
                }
            }
        }
    }
}

/// Every JSON document an operation's result is printed as: pretty-printed, keys sorted, slashes unescaped.
public enum ResultDocument {
    /// `value` as JSON text (without a final line feed).
    public static func json(_ value: some Encodable) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    /// A number for JSON, which has no spelling for NaN or infinity: the value when finite, else `nil` (null).
    public static func finite(_ value: Double) -> Double? { value.isFinite ? value : nil }
}

/// A failure of an operation that is not in its input data, with its meaning; the CLI turns it into an exit
/// code, the server into a status.
public enum OperationError: Error, Sendable, Equatable {
    /// The request contradicts itself or names something the input does not have (a usage error).
    case usage(String)
    /// The input the request names does not exist.
    case notFound(String)
    /// The output cannot be created (it exists and is never overwritten, or cannot be written).
    case cannotCreate(String)
    /// The input cannot be used as asked.
    case invalidData(String)

    /// The message, without a prefix.
    public var message: String {
        switch self {
        case .usage(let text), .notFound(let text), .cannotCreate(let text), .invalidData(let text): text
        }
    }
}

/// An operation's failure after it had noted something the user should read first (samples left out, the
/// instrument each file was recognised as): the messages, then the error, in the order they arose.
public struct NotedFailure: Error {
    /// The messages noted before the failure.
    public var messages: [String]
    /// The failure itself.
    public var error: any Error

    /// Runs `body`; an error it throws carries `messages` with it (none are added when `messages` is empty).
    static func noting<T>(_ messages: [String], _ body: () throws -> T) throws -> T {
        guard !messages.isEmpty else { return try body() }
        do {
            return try body()
        } catch {
            throw NotedFailure(messages: messages, error: error)
        }
    }
}
