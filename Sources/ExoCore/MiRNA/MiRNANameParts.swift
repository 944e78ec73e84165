/// A miRNA name taken apart: species, family keyword, number, letter, paralog, arm, star.
///
/// Reads the spellings found in papers and spreadsheets as well as miRBase's own:
/// `hsa-miR-21-5p`, `miR-21`, `mir-21`, `MIR21`, `miR101-3p`, `miRNA-21`, `microRNA-21`,
/// `hsa-MiR-101-3p`, `let-7a`, `miR-451A`, `miR_16`, and the typo `mi-665`. Each spelling that
/// departs from miRBase's is recorded in `corrections` so the user sees what was read.
struct MiRNANameParts: Hashable, Sendable {
    enum Family: String, Sendable {
        case miR
        case letFamily = "let"
        case lin
    }

    var species: String?
    var family: Family
    /// The digits of the ID (`21`, `4458`; `7` for let-7a).
    var number: String
    /// Lowercase letters after the digits (`a` in 451a, `am` in 548am).
    var letter: String
    /// Paralog numbers (`2` in `hsa-miR-103a-2-5p`).
    var paralogs: [String]
    /// `5p` or `3p`.
    var arm: String?
    /// The old `*` (minor arm) notation.
    var isStar: Bool
    /// What was read differently from miRBase's spelling.
    var corrections: [String]

    /// The miRBase-style name (`hsa-miR-21`, `hsa-let-7a-5p`), species defaulting to `defaultSpecies`.
    func canonical(defaultSpecies: String = "hsa") -> String {
        var text = "\(species ?? defaultSpecies)-\(family == .miR ? "miR" : family.rawValue)-\(number)\(letter)"
        for paralog in paralogs { text += "-\(paralog)" }
        if let arm { text += "-\(arm)" }
        return text
    }

    // swiftlint-style complexity is inherent in reading free text; each step is commented.
    init?(parsing written: String) {
        var corrections: [String] = []
        var text = Substring(written.trimmingWhitespace())
        if text.hasSuffix("*") {
            isStar = true
            text = text.dropLast()
        } else {
            isStar = false
        }
        // Species: three or four letters and a separator, followed by a family keyword.
        var species: String?
        if let dash = text.firstIndex(where: { $0 == "-" || $0 == "_" }),
            (3...4).contains(text.distance(from: text.startIndex, to: dash)),
            text[..<dash].allSatisfy(\.isLetter),
            Self.keyword(in: text[text.index(after: dash)...]) != nil
        {
            species = text[..<dash].lowercased()
            text = text[text.index(after: dash)...]
        }
        // Family keyword, longest first.
        guard let (family, keywordLength, note) = Self.keyword(in: text) else { return nil }
        if let note { corrections.append(note) }
        text = text.dropFirst(keywordLength)
        // Separator between keyword and number.
        if let first = text.first, first == "-" || first == "_" || first == " " {
            if first != "-" { corrections.append("read '\(first)' after '\(family.rawValue)' as '-'") }
            text = text.dropFirst()
        } else {
            corrections.append("added the missing '-' after '\(family == .miR ? "miR" : family.rawValue)'")
        }
        // Number and letter.
        let digits = text.prefix(while: \.isNumber)
        guard !digits.isEmpty, digits.allSatisfy(\.isASCII) else { return nil }
        text = text.dropFirst(digits.count)
        let letters = text.prefix(while: { $0.isLetter && $0.isASCII })
        text = text.dropFirst(letters.count)
        // Paralog numbers and arm.
        var paralogs: [String] = []
        var arm: String?
        for segment in text.split(separator: "-", omittingEmptySubsequences: false).dropFirst() {
            let lower = segment.lowercased()
            if arm == nil, lower == "5p" || lower == "3p" {
                arm = lower
            } else if arm == nil, !segment.isEmpty, segment.allSatisfy(\.isNumber), segment.allSatisfy(\.isASCII) {
                paralogs.append(String(segment))
            } else {
                return nil
            }
        }
        if !text.isEmpty, !text.hasPrefix("-") { return nil }
        if text.hasSuffix("-") { return nil }
        self.species = species
        self.family = family
        self.number = String(digits)
        self.letter = letters.lowercased()
        self.paralogs = paralogs
        self.arm = arm
        self.corrections = corrections
    }

    /// The family keyword at the start of `text`, its length, and a note when it is not miRBase's spelling.
    private static func keyword(in text: Substring) -> (Family, Int, String?)? {
        let lower = text.lowercased()
        let table: [(String, Family, String?)] = [
            ("microrna", .miR, "read 'microRNA' as 'miR'"),
            ("mirna", .miR, "read 'miRNA' as 'miR'"),
            ("mir", .miR, nil),
            ("let", .letFamily, nil),
            ("lin", .lin, nil),
            ("mi", .miR, "read 'mi' as 'miR' (a typo)"),
        ]
        for (word, family, note) in table where lower.hasPrefix(word) {
            let rest = lower.dropFirst(word.count)
            // The keyword must be followed by a separator or the digits of the number.
            guard let next = rest.first, next == "-" || next == "_" || next == " " || next.isNumber else { continue }
            let written = String(text.prefix(word.count))
            let spellingNote = (family == .miR && note == nil && written != "miR") ? "read '\(written)' as 'miR'" : note
            return (family, word.count, spellingNote)
        }
        return nil
    }
}
