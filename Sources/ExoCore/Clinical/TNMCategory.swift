/// One TNM component (T, N or M) as written in the sample sheet: `T2a`, `N1`, `M0`, `TX`, `Tis`.
public struct TNMCategory: Hashable, Sendable, Codable, CustomStringConvertible {
    /// Which of the three components.
    public enum Component: String, Sendable, Codable {
        case t = "T"
        case n = "N"
        case m = "M"
    }

    /// Which component this is.
    public let component: Component
    /// The category after the letter: `2a`, `1`, `X`, `is`.
    public let category: String

    /// Accepted spellings for each component.
    public static func expectation(_ component: Component) -> String {
        switch component {
        case .t: "a T category such as T0, Tis, T1, T1a, T2b, T3, T4 or TX"
        case .n: "an N category such as N0, N1, N2, N3 or NX"
        case .m: "an M category such as M0, M1, M1a, M1c or MX"
        }
    }

    /// Parses `T2a` (or `2a`) for the given component.
    public init?(parsing text: String, as component: Component) {
        var body = text.trimmingWhitespace()
        if body.uppercased().hasPrefix(component.rawValue) { body.removeFirst() }
        let lower = body.lowercased()
        let valid: Bool
        switch component {
        case .t: valid = ["x", "0", "is"].contains(lower) || Self.matches(lower, digits: "1234", letters: "abcd")
        case .n: valid = lower == "x" || Self.matches(lower, digits: "0123", letters: "abc")
        case .m: valid = lower == "x" || Self.matches(lower, digits: "01", letters: "abcd")
        }
        guard valid else { return nil }
        self.component = component
        self.category = lower == "x" ? "X" : lower
    }

    private static func matches(_ text: String, digits: String, letters: String) -> Bool {
        guard let first = text.first, digits.contains(first) else { return false }
        let rest = text.dropFirst()
        return rest.isEmpty || (rest.count == 1 && letters.contains(rest.first ?? " "))
    }

    /// Whether the category is a positive finding (N1+ or M1+).
    public var isPositive: Bool {
        guard let first = category.first, let value = first.wholeNumberValue else { return false }
        return value > 0
    }

    /// `T2a`, `N0`, `MX`.
    public var description: String { component.rawValue + category }
}
