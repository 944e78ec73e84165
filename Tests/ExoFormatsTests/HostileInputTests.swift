import ExoCore
import ExoFormats
import ExoTestSupport
import Foundation
import Testing

/// The hostile RDML corpus of `Tests/Fixtures/hostile/` (made by `scripts/make-hostile-fixtures.py`).
///
/// Each attack is refused with an `InputError` naming the file, the entry and, inside the XML, the line and column.
/// Each test says what the reader did with the file before the zip and XML readers were hardened.
struct HostileInputTests {
    // Reads a hostile fixture and returns its only error.
    static func error(
        _ fixture: String, maximumInflatedBytes: Int = ZipEntryReader.defaultMaximumInflatedBytes
    ) throws -> InputError {
        let data = try Data(contentsOf: Fixture.url("hostile/\(fixture)"))
        let list = #expect(throws: InputErrorList.self) {
            try RDMLReader.read(data: data, displayPath: fixture, maximumInflatedBytes: maximumInflatedBytes)
        }
        let errors = try #require(list?.errors)
        #expect(errors.count == 1)
        return try #require(errors.first)
    }

    // Before: all 2 GiB were inflated into memory and `Int32(count)` for libxml2 trapped (or, under a
    // memory limit, the process died first). Now the declared size is refused before inflating anything.
    @Test func entryInflatingPast2GiBIsRefusedBeforeInflating() throws {
        let error = try Self.error("inflates-past-2gib.rdml")
        #expect(error.kind == .archiveTooLarge)
        #expect(error.location.description == "inflates-past-2gib.rdml!rdml_data.xml")
        #expect(error.message == "the entry declares 2148533060 bytes, more than the 512 MiB cap on an archive entry")
        #expect(error.hint?.contains("EXOSCOPE_MAX_INFLATED_BYTES=") == true)
    }

    // Before: 1 GiB of newlines from a 1 MB file built a line index of one `Int` per newline (8 GiB) and
    // the process was killed for memory. Now the entry is over the cap and no line index exists at all.
    @Test func newlineBombIsRefused() throws {
        let error = try Self.error("newline-bomb.rdml")
        #expect(error.kind == .archiveTooLarge)
        #expect(error.message == "the entry declares 1073742660 bytes, more than the 512 MiB cap on an archive entry")
    }

    // An archive that declares 1,000 bytes and inflates to 8 MiB is stopped by the bytes actually inflated,
    // not by what it declares. (Before there was no cap to stop it.)
    @Test func capCountsInflatedBytesNotDeclaredOnes() throws {
        let error = try Self.error("lying-size.rdml", maximumInflatedBytes: 1 << 20)
        #expect(error.kind == .archiveTooLarge)
        #expect(error.message == "the entry inflates past the 1 MiB cap on an archive entry")
        let data = try Data(contentsOf: Fixture.url("hostile/lying-size.rdml"))
        let document = try RDMLReader.read(data: data, displayPath: "lying-size.rdml", maximumInflatedBytes: 16 << 20)
        #expect(document.reactions.first?.data.first?.cq == 24.5)
    }

    // Before: the CRC-32 ZIPFoundation computed was discarded, and the altered Cq 94.5 was analysed as if
    // the file were intact.
    @Test func alteredEntryFailsItsChecksum() throws {
        let error = try Self.error("crc-altered.rdml")
        #expect(error.kind == .checksumMismatch)
        #expect(error.location.description == "crc-altered.rdml!rdml_data.xml")
        #expect(error.message.hasPrefix("entry 'rdml_data.xml' does not match its CRC-32 (expected 529f5daa, found "))
    }

    // Before: with an external DTD named (and never read), libxml2 only warned about `&junk;` and dropped
    // it, so `<fluor>9&junk;500</fluor>` was read as 9500.
    @Test func undeclaredEntityIsAnErrorEvenUnderAnExternalDTD() throws {
        let error = try Self.error("undeclared-entity.rdml")
        #expect(error.kind == .malformedXML)
        #expect(error.location.description == "undeclared-entity.rdml:7:264")
        #expect(error.message == "the XML refers to the undeclared entity '&junk;'")
    }

    // A DOCTYPE pointing at a real DTD that declares `junk`: were the DTD loaded, `&junk;` would read as
    // 666. It is never loaded, so the reference is undeclared. (Before: dropped silently, as above.)
    @Test func externalDTDIsNeverLoaded() throws {
        let dtd = Fixture.url("hostile/evil.dtd").path
        let xml = RDMLSample.xml().replacingOccurrences(
            of: "<rdml ", with: "<!DOCTYPE rdml SYSTEM \"file://\(dtd)\">\n<rdml "
        ).replacingOccurrences(of: "<cq>24.5</cq>", with: "<cq>24&junk;.5</cq>")
        let list = #expect(throws: InputErrorList.self) { try RDMLSample.read(Data(xml.utf8)) }
        #expect(list?.errors.map(\.message) == ["the XML refers to the undeclared entity '&junk;'"])
    }

    // XXE. Before: refused only because libxml2 found `&x;` undeclared ("Entity 'x' not defined"), with a
    // hint about truncation; now the declaration itself is refused, and nothing of the file is read.
    @Test func externalFileEntityIsRefused() throws {
        let error = try Self.error("xxe-file-entity.rdml")
        #expect(error.kind == .malformedXML)
        #expect(error.location.line == 2)
        #expect(error.message == "the XML declares the entity 'x'; entity declarations are refused")
        #expect(error.hint?.contains("never loads DTDs or external entities") == true)
        #expect(!error.description.contains("root:"))
    }

    // XXE through a parameter entity on the network; before: "PEReference: %p; not found".
    @Test func externalParameterEntityIsRefused() throws {
        let error = try Self.error("xxe-parameter-entity.rdml")
        #expect(error.message == "the XML declares the entity 'p'; entity declarations are refused")
    }

    // Billion laughs; before: refused only as "Entity 'lol9' not defined" at its use.
    @Test func billionLaughsIsRefusedAtItsFirstDeclaration() throws {
        let error = try Self.error("billion-laughs.rdml")
        #expect(error.message == "the XML declares the entity 'lol0'; entity declarations are refused")
        #expect(error.location.line == 2)
    }

    // The document is fed to libxml2 in chunks; any chunk size gives the same document and positions.
    @Test(arguments: [1, 7, 64, 4096])
    func chunkBoundariesDoNotChangeTheDocument(chunkSize: Int) throws {
        let xml = Data(RDMLSample.xml().utf8)
        let builder = RDMLBuilder(path: "run.rdml", entry: nil, displayPath: "run.rdml")
        let parser = XMLEventParser(xml: xml, displayPath: "run.rdml")
        builder.parser = parser
        #expect(parser.parse(handler: builder, chunkSize: chunkSize) == nil)
        let reactions = builder.document.reactions
        #expect(reactions.map(\.well) == ["A1", "B2"])
        #expect(reactions.map(\.location.description) == ["run.rdml:8:1", "run.rdml:9:1"])
        #expect(reactions[0].data[0].location.description == "run.rdml:8:32")
        #expect(reactions[0].data[0].amplification.count == 12)
    }

    // A start tag spread over lines after a 64 KiB line (far more than libxml2 keeps buffered), and 300,000
    // lines before a reaction: positions stay exact without any index of lines.
    @Test func positionsAreExactAfterLongLinesAndManyLines() throws {
        let padding = String(repeating: " ", count: 64 << 10)
        let reactions =
            "\(padding)<react\n id=\"1\"><sample id=\"S1\"/></react>"
            + String(repeating: "\n", count: 300_000) + "<react id=\"2\"><sample id=\"S1\"/></react>"
        let document = try RDMLSample.read(Data(RDMLSample.xml(reactions: reactions).utf8))
        #expect(document.reactions.map(\.location.description) == ["run.rdml:8:65537", "run.rdml:300009:1"])
    }

    @Test func capIsReadFromTheEnvironment() throws {
        let name = ZipEntryReader.maximumInflatedBytesVariable
        #expect(try ZipEntryReader.maximumInflatedBytes(from: [:], displayPath: "a") == 512 << 20)
        #expect(try ZipEntryReader.maximumInflatedBytes(from: [name: "2G"], displayPath: "a") == 2 << 30)
        #expect(try ZipEntryReader.maximumInflatedBytes(from: [name: "1048576"], displayPath: "a") == 1 << 20)
        #expect(try ZipEntryReader.maximumInflatedBytes(from: [name: " 64m "], displayPath: "a") == 64 << 20)
        for bad in ["", "abc", "-1", "0", "1T", "99999999999G"] {
            let error = #expect(throws: InputError.self) {
                try ZipEntryReader.maximumInflatedBytes(from: [name: bad], displayPath: "run.rdml")
            }
            #expect(error?.kind == .invalidValue)
            #expect(error?.location.description == "run.rdml")
        }
    }

    // A damaged deflate stream (bytes in the middle overwritten) is `malformedArchive` at the entry, never
    // a crash or a partial document.
    @Test func damagedCompressedDataIsMalformedArchive() throws {
        var data = try RDMLSample.archive(RDMLSample.xml())
        let middle = data.startIndex + 60
        data.replaceSubrange(middle..<middle + 40, with: Data(repeating: 0xFF, count: 40))
        let list = #expect(throws: InputErrorList.self) { try RDMLSample.read(data) }
        let error = try #require(list?.errors.first)
        #expect([.malformedArchive, .checksumMismatch].contains(error.kind))
        #expect(error.location.description == "run.rdml!rdml_data.xml")
    }
}

/// A matrix too large for the memory left is refused, with the sizes, before its values are allocated; before,
/// a 2 GB matrix was killed by the kernel part-way with no message.
struct MatrixMemoryTests {
    static let text = "sample\tgroup\tmiR-1\tmiR-2\tmiR-3\nS1\ttumour\t1.5\t2\t3\nS2\thealthy\t1\t2\t4\n"

    static func parse(availableMemory: UInt64?) throws(InputErrorList) -> FeatureMatrix {
        let bytes = Array(text.utf8)
        return try bytes.withUnsafeBufferPointer { buffer throws(InputErrorList) in
            try FeatureMatrix.parse(
                buffer, path: "big.tsv", delimiter: UInt8(ascii: "\t"), labelColumn: "group",
                availableMemory: availableMemory)
        }
    }

    @Test func aMatrixNeedingMoreMemoryThanIsLeftIsRefusedWithTheSizes() throws {
        // 2 samples × 3 features: 2 · 3 · 16 + 2 · 64 = 224 bytes needed.
        let list = #expect(throws: InputErrorList.self) { try Self.parse(availableMemory: 223) }
        let error = try #require(list?.errors.first)
        #expect(error.kind == .tooLargeForMemory)
        #expect(error.location.description == "big.tsv")
        #expect(error.message == "2 samples × 3 features need about 1 MiB of memory to read, and 1 MiB is available")
        #expect(error.hint?.contains("--features") == true)
        // Exactly enough is enough, and no budget means no check.
        #expect(try Self.parse(availableMemory: 224).values == [[1.5, 1], [2, 2], [3, 4]])
        #expect(try Self.parse(availableMemory: nil).samples == ["S1", "S2"])
    }

    @Test func theBudgetIsReadFromThisMachine() throws {
        let available = try #require(MemoryBudget.available())
        #expect(available > 1 << 20 && available <= ProcessInfo.processInfo.physicalMemory)
        #expect(MemoryBudget.describe(3 << 30) == "3.0 GiB" && MemoryBudget.describe(1) == "1 MiB")
    }
}
