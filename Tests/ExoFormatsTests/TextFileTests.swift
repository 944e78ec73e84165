import ExoCore
import ExoFormats
import Foundation
import Testing

struct TextFileTests {
    func read(_ bytes: [UInt8], path: String = "t.tsv") throws(InputError) -> TextFile {
        try TextFile(bytes: bytes, url: URL(fileURLWithPath: "/tmp/\(path)"), displayPath: path)
    }

    @Test func crlfBOMAndMissingFinalNewlineAreHarmless() throws {
        let plain = try read(Array("a\tb\n1\t2\n".utf8))
        let windows = try read([0xEF, 0xBB, 0xBF] + Array("a\tb\r\n1\t2".utf8))
        let classicMac = try read(Array("a\tb\r1\t2\r".utf8))
        #expect(plain.lines == windows.lines)
        #expect(plain.lines == classicMac.lines)
        #expect(plain.lines == ["a\tb", "1\t2"])
    }

    @Test func digestIsSHA256OfTheBytesOnDisk() throws {
        // python3 -c "import hashlib; print(hashlib.sha256(b'abc').hexdigest())"
        #expect(
            try read(Array("abc".utf8)).sha256 == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    }

    /// An invalid byte placed at every offset of a two-line text is reported at its exact line and column.
    @Test func invalidUTF8IsLocatedAtEveryOffset() throws {
        let text = Array("ab\tc\ndé\tf\n".utf8)
        for offset in 0..<text.count where text[offset] < 0x80 && text[offset] != 0x0A {
            var bytes = text
            bytes[offset] = 0xFF
            let prefix = bytes[..<offset]
            let line = prefix.filter { $0 == 0x0A }.count + 1
            let column = offset - (prefix.lastIndex(of: 0x0A).map { $0 + 1 } ?? 0) + 1
            let error = #expect(throws: InputError.self) { try read(bytes) }
            #expect(error?.kind == .invalidEncoding)
            #expect(error?.location == InputLocation(path: "t.tsv", line: line, column: column), "offset \(offset)")
        }
    }

    @Test func overlongAndSurrogateEncodingsAreRejected() {
        for bad: [UInt8] in [
            [0xC0, 0xAF], [0xE0, 0x80, 0xAF], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0xE2, 0x82],
        ] {
            #expect(throws: InputError.self) { try read(Array("x".utf8) + bad) }
        }
        #expect(throws: Never.self) { try read(Array("µL – 5′".utf8)) }
    }
}

struct DelimitedTableTests {
    func table(_ text: String, path: String = "t.tsv") throws -> DelimitedTable {
        try DelimitedTable(
            TextFile(bytes: Array(text.utf8), url: URL(fileURLWithPath: "/tmp/\(path)"), displayPath: path))
    }

    @Test func fieldsCarryByteColumnsAndCommentsAreSkipped() throws {
        let parsed = try table("# comment\nid\tname\n\nµ1\tmiR-21\n")
        #expect(parsed.headerLine == 2)
        #expect(parsed.rows.map(\.line) == [4])
        #expect(parsed.rows[0].fields.map(\.column) == [1, 5])  // 'µ' is two UTF-8 bytes
    }

    @Test func quotedCSVFields() throws {
        let parsed = try table("a,b,c\n\"x, y\",\"say \"\"hi\"\"\",3\n", path: "t.csv")
        #expect(parsed.rows[0].fields.map(\.text) == ["x, y", "say \"hi\"", "3"])
    }

    @Test func duplicateColumnsAndRaggedRowsAreAllReported() {
        let error = #expect(throws: InputErrorList.self) { try table("a\tb\ta\n1\t2\t3\n1\t2\n") }
        #expect(error?.errors.map(\.kind) == [.duplicateColumn, .wrongFieldCount])
        #expect(error?.errors.map(\.location.description) == ["t.tsv:1:5", "t.tsv:3:3"])
    }
}
