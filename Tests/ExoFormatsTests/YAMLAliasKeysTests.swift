import ExoCore
import ExoFormats
import ExoTestSupport
import Foundation
import Testing

struct YAMLAliasKeysTests {
    /// Nested anchors, each a sequence of ten aliases of the one before, used as a key: Yams hashed the key with
    /// everything it expands to (10^9 scalars) and validation hung.
    @Test func anExpandingAliasUsedAsAKeyIsRefusedAtOnce() throws {
        var text = "schema: 1\nid: X\nl0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n"
        for level in 1...9 {
            let previous = Array(repeating: "*l\(level - 1)", count: 10).joined(separator: ", ")
            text += "l\(level): &l\(level) [\(previous)]\n"
        }
        text += "extra:\n  *l9 : boom\n"
        let (definition, errors) = StudyFile.parse(try studyFile(text))
        #expect(definition == nil)
        #expect(
            errors.map(\.description) == [
                "study.yaml:14:3: error: the alias '*l9' is used as a mapping key; ExoScope does not accept aliases as keys\n"
                    + "  hint: write the key out in full; aliases (*name) may stand only as values"
            ])
    }

    @Test(arguments: [
        ("a: &x k\n*x : v\n", 2, 1, "x"),
        ("a: &x k\n*x: v\n", 2, 1, "x"),
        ("a: &x k\nb:\n  - *x: v\n", 3, 5, "x"),
        ("a: &x k\nb: {c: 1, *x : v}\n", 2, 11, "x"),
        ("a: &x k\nb: {*x}\n", 2, 5, "x"),
        ("a: &x k\n? *x\n: v\n", 2, 3, "x"),
        ("a: &x k\n?\n  *x\n: v\n", 3, 3, "x"),
        ("a: &x k\nb: [*x: v]\n", 2, 5, "x"),
        ("a: &x-y_1 k\n*x-y_1 : v\n", 2, 1, "x-y_1"),
    ])
    func aliasKeysAreFoundWherever(_ text: String, line: Int, column: Int, name: String) throws {
        let found = try #require(YAMLAliasKeys.first(in: text))
        #expect(found.name == name)
        #expect(found.line == line)
        #expect(found.column == column)
    }

    @Test(arguments: [
        "a: &x [1, 2]\nb: *x\n",
        "a: &x k\nb:\n  - *x\n  - [*x, *x]\n  - {c: *x}\n",
        "title: 'Lung *cancer*: a study'\n",
        "title: \"*x: y\"\n",
        "title: Lung *cancer* cohort  # *x: y\n",
        "note: |\n  *x: not a key\n  ? neither\nb: 1\n",
        "note: >-\n    *x: folded text\nb: 1\n",
        "multi: 'it''s *x: quoted\n  over lines'\n",
        "a: 3 * 4: 5\n",
    ])
    func aliasesAsValuesAndStarsInTextAreFine(_ text: String) {
        #expect(YAMLAliasKeys.first(in: text) == nil)
    }

    @Test func aValidStudyWithAliasValuesStillParses() throws {
        let text = """
            schema: 1
            id: ALIAS-OK
            title: &title Aliases as values
            description: *title
            tumour: NSCLC
            specimen: serum
            sampleSheet: samples.tsv
            measurements:
              - file: data/qpcr-cq.tsv
                assay: qPCR
            """
        let (_, errors) = StudyFile.parse(try studyFile(text))
        #expect(!errors.contains { $0.kind == .malformedYAML })
    }

    private func studyFile(_ text: String) throws -> TextFile {
        try TextFile(bytes: Array(text.utf8), url: URL(fileURLWithPath: "/dev/null"), displayPath: "study.yaml")
    }
}
