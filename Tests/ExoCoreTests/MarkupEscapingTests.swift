import ExoCore
import Testing

struct MarkupEscapingTests {
    /// Every scalar of the planes that hold combining and prepend characters, each followed by markup characters.
    ///
    /// Before the escaper walked scalars, U+0600 (a prepend character) followed by `<` formed one `Character`, the
    /// per-`Character` switch matched neither, and the `<` reached report.html raw.
    @Test func noMarkupCharacterSurvivesAnyPrecedingScalar() {
        var failures: [UInt32] = []
        // Planes 0-2 and plane 14 (tags, variation selectors) hold every assigned combining, prepend, extend,
        // spacing-mark, ZWJ and regional-indicator scalar; planes 3-13 are unassigned or CJK extensions.
        let chunks =
            Array(stride(from: UInt32(0x20), to: 0x30000, by: 1024))
            + Array(stride(from: 0xE0000, to: 0xE1000, by: 1024))
        for chunkStart in chunks {
            var text = String.UnicodeScalarView()
            for value in chunkStart..<min(chunkStart + 1024, 0x110000) {
                guard let scalar = Unicode.Scalar(value), value != 0xFFFE, value != 0xFFFF else { continue }
                text.append(scalar)
                text.append(contentsOf: "<>\"'&".unicodeScalars)
            }
            let escaped = String(text).escapedForMarkup()
            let leaks = escaped.unicodeScalars.contains { "<>\"'".unicodeScalars.contains($0) }
            if leaks || !unescape(escaped).unicodeScalars.elementsEqual(text) { failures.append(chunkStart) }
        }
        #expect(failures.isEmpty, "chunks starting at U+\(failures.prefix(5).map { String($0, radix: 16) })")
    }

    @Test(arguments: [
        "\u{0600}<script>alert(1)</script>", "\u{0301}<img>", "a\u{200D}<b>", "\u{1100}\u{1161}<i>",
        "\u{1F1E6}\u{1F1E8}<u>", "e\u{0301}\u{20DD}>\"'&",
    ])
    func graphemeClustersAroundMarkupAreEscapedScalarByScalar(_ text: String) {
        let escaped = text.escapedForMarkup()
        #expect(!escaped.unicodeScalars.contains { "<>\"'".unicodeScalars.contains($0) })
        #expect(unescape(escaped).unicodeScalars.elementsEqual(text.unicodeScalars))
    }

    @Test func charactersXMLCannotCarryBecomeReplacementCharacters() {
        let escaped = "a\u{1}b\u{1B}[31mc\u{FFFE}d\te\nf\rg".escapedForMarkup(apostrophe: "&apos;")
        #expect(escaped == "a\u{FFFD}b\u{FFFD}[31mc\u{FFFD}d\te\nf\rg")
    }

    @Test func apostropheUsesTheRequestedEntity() {
        #expect("it's".escapedForMarkup() == "it&#39;s")
        #expect("it's".escapedForMarkup(apostrophe: "&apos;") == "it&apos;s")
    }

    /// Undoes the five escapes, scalar by scalar (a `Character`-based split would fall into the same trap).
    private func unescape(_ text: String) -> String {
        let entities: [(String, Unicode.Scalar)] = [
            ("&lt;", "<"), ("&gt;", ">"), ("&quot;", "\""), ("&#39;", "'"), ("&amp;", "&"),
        ]
        let scalars = Array(text.unicodeScalars)
        var result = String.UnicodeScalarView()
        var index = 0
        scan: while index < scalars.count {
            if scalars[index] == "&" {
                for (entity, scalar) in entities
                where scalars[index...].starts(with: entity.unicodeScalars) {
                    result.append(scalar)
                    index += entity.unicodeScalars.count
                    continue scan
                }
            }
            result.append(scalars[index])
            index += 1
        }
        return String(result)
    }
}
