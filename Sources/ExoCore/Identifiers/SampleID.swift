/// A sample identifier, unique within a study.
///
/// Same character rule as ``PatientID``: 1–64 letters, digits, `.`, `_` or `-`.
public struct SampleID: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    /// The identifier as written in the sample sheet.
    public let rawValue: String

    /// Creates an id, or returns `nil` when `rawValue` breaks the identifier rule.
    public init?(_ rawValue: String) {
        guard Identifier.isValid(rawValue) else { return nil }
        self.rawValue = rawValue
    }

    public var description: String { rawValue }
    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }
}
