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

    /// Every error on its own line(s), then a count.
    public var description: String {
        let count = errors.count == 1 ? "1 error" : "\(errors.count) errors"
        return (errors.map(\.description) + [count]).joined(separator: "\n")
    }
}
