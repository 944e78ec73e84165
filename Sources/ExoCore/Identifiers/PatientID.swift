/// A pseudonymous patient identifier, as written in the sample sheet.
///
/// ExoScope stores no names, dates of birth or record numbers: the id is the lab's pseudonym.
/// It must be 1–64 characters of letters, digits, `.`, `_` and `-`, and is never written to logs.
public struct PatientID: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    /// The pseudonym.
    public let rawValue: String

    /// Creates an id, or returns `nil` when `rawValue` breaks the pseudonym rule.
    public init?(_ rawValue: String) {
        guard Identifier.isValid(rawValue) else { return nil }
        self.rawValue = rawValue
    }

    public var description: String { rawValue }
    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }
}
