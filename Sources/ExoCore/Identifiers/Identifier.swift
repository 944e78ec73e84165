/// An identifier written by the lab, checked against ``IdentifierRule``.
///
/// Patient ids are pseudonyms and are never written to logs.
public protocol Identifier: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    /// The identifier as written.
    var rawValue: String { get }
    /// Wraps text that already satisfies ``IdentifierRule``.
    init(validated rawValue: String)
}

extension Identifier {
    /// Creates an identifier, or returns `nil` when `rawValue` breaks ``IdentifierRule``.
    public init?(_ rawValue: String) {
        guard IdentifierRule.isValid(rawValue) else { return nil }
        self.init(validated: rawValue)
    }

    public var description: String { rawValue }
    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// The character rule shared by every ExoScope identifier.
public enum IdentifierRule {
    /// The longest identifier accepted.
    public static let maximumLength = 64

    /// What a valid identifier looks like, for error messages.
    public static let rule = "1–64 characters of letters, digits, '.', '_' or '-', starting with a letter or digit"

    /// Whether `text` is 1–64 ASCII letters, digits, `.`, `_` or `-`, starting with a letter or digit.
    public static func isValid(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        guard let first = bytes.first, bytes.count <= maximumLength, isAlphanumeric(first) else { return false }
        return bytes.allSatisfy {
            isAlphanumeric($0) || $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: "-")
        }
    }

    private static func isAlphanumeric(_ byte: UInt8) -> Bool {
        (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
    }
}
