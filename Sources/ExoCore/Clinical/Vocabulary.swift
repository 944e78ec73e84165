/// A closed set of values a study file may use, each with its accepted spellings.
///
/// Parsing is case-insensitive and ignores spaces, `_` and `-`, so `Cell culture medium`,
/// `cell_culture_medium` and `cellculturemedium` are the same specimen.
public protocol Vocabulary: CaseIterable, Sendable, Hashable, RawRepresentable<String> {
    /// Other spellings that mean the same value (`CSF` for cerebrospinal fluid).
    var synonyms: [String] { get }
}

extension Vocabulary {
    public var synonyms: [String] { [] }

    /// Parses a user spelling, or returns `nil`.
    public init?(parsing text: String) {
        let key = Self.foldedKey(text)
        guard !key.isEmpty,
            let match = Self.allCases.first(where: { value in
                Self.foldedKey(value.rawValue) == key || value.synonyms.contains { Self.foldedKey($0) == key }
            })
        else { return nil }
        self = match
    }

    /// The canonical spellings, for "expected one of …" messages.
    public static var spellings: [String] { allCases.map(\.rawValue) }

    /// Lowercased with spaces, `_` and `-` removed.
    static func foldedKey(_ text: String) -> String { vocabularyKey(text) }
}

/// A spelling folded for comparison: lowercased, with spaces, `_` and `-` removed (vocabularies, marker names).
func vocabularyKey(_ text: String) -> String {
    String(text.lowercased().unicodeScalars.filter { $0 != " " && $0 != "_" && $0 != "-" })
}
