/// Several input errors found in one pass, reported together so the user can fix them all at once.
///
/// Sorted by file, then line, then column, so the output reads top to bottom like a compiler's.
public struct InputErrorList: Error, Sendable, Equatable, CustomStringConvertible {
    /// The problems, in file and line order.
    public let errors: [InputError]

    /// Creates a list; the order of `errors` is normalised.
    public init(_ errors: [InputError]) {
        self.errors = errors.sorted {
            ($0.location.path, $0.location.line, $0.location.column ?? 0)
                < ($1.location.path, $1.location.line, $1.location.column ?? 0)
        }
    }

    /// How many errors of one file ``description`` prints before it counts the rest.
    public static let printedPerFile = 25

    /// Every error on its own line(s), at most ``printedPerFile`` per file with a count of the rest, then a count.
    ///
    /// A file with a systematic problem (a wrong delimiter, a shifted column) can give one error per row; the
    /// first errors say what is wrong, and the rest are counted by kind instead of flooding the terminal.
    public var description: String {
        var lines: [String] = []
        var start = errors.startIndex
        while start < errors.endIndex {
            let path = errors[start].location.path
            let end = errors[start...].firstIndex { $0.location.path != path } ?? errors.endIndex
            let shown = min(end - start, Self.printedPerFile)
            lines += errors[start..<(start + shown)].map(\.description)
            if end - start > shown {
                lines.append(Self.remainder(errors[(start + shown)..<end], path: path))
            }
            start = end
        }
        let count = errors.count == 1 ? "1 error" : "\(errors.count) errors"
        return (lines + [count]).joined(separator: "\n")
    }

    /// `path: note: 1,234 more errors not shown (1,200 invalidNumber, 34 unknownSample)`.
    private static func remainder(_ rest: ArraySlice<InputError>, path: String) -> String {
        var byKind: [InputError.Kind: Int] = [:]
        for error in rest { byKind[error.kind, default: 0] += 1 }
        let kinds = byKind.sorted { ($1.value, $0.key.rawValue) < ($0.value, $1.key.rawValue) }
            .map { "\($0.value) \($0.key.rawValue)" }
        let noun = rest.count == 1 ? "error" : "errors"
        return "\(path.escapingControlCharacters()): note: \(rest.count) more \(noun) in this file not shown "
            + "(\(kinds.joined(separator: ", "))); fix the first ones, which often cause the rest"
    }
}
