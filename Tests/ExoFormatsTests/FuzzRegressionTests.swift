import ExoCore
import ExoFormats
import ExoTestSupport
import Foundation
import Testing

/// The inputs the fuzz targets (`scripts/fuzz.sh`) found crashing a reader, in `Tests/Fixtures/hostile/fuzz/`.
///
/// Each one is now a clean `InputError`. `bench/results/fuzz.md` lists the findings with the target and the run.
struct FuzzRegressionTests {
    /// Zip archives whose structure points past the end of the file.
    ///
    /// Before: ZIPFoundation's in-memory archive
    /// seeked past the end and trapped (`Range requires lowerBound <= upperBound` in `MemoryFile.readData`), so
    /// `qpcr analyze`, `run`, `watch` and every `.xlsx` import died on a 22-byte file. `crash-f72bda57.rdml` is the
    /// `rdml` target's first finding as it wrote it (a real RDML archive with its central directory offset
    /// mutated); the others are the same fault at each offset ZIPFoundation follows, made from the fixtures
    /// `rdml/stepone_std.rdml` and `xlsx/quantstudio-results.xlsx` by patching one field (see the fixtures'
    /// README).
    @Test(arguments: [
        ("crash-f72bda57.rdml", "the central directory"),
        ("directory-past-end.rdml", "the central directory"),
        ("local-header-past-end.rdml", "an entry's local header"),
        ("descriptor-past-end.rdml", "an entry's data descriptor"),
    ])
    func rdmlArchivePointingPastItsEndIsMalformed(fixture: String, structure: String) throws {
        let data = try Data(contentsOf: Fixture.url("hostile/fuzz/\(fixture)"))
        let list = #expect(throws: InputErrorList.self) {
            try RDMLReader.read(data: data, displayPath: fixture)
        }
        let error = try #require(list?.errors.first)
        #expect(list?.errors.count == 1)
        #expect(error.kind == .malformedArchive)
        #expect(error.location.description == fixture)
        #expect(error.message.hasPrefix("not a readable zip archive: \(structure) is at byte "))
        #expect(error.message.hasSuffix("past the end of the file (\(data.count) bytes)"))
        #expect(error.hint == "export the run again; an RDML file is a zip archive holding rdml_data.xml")
    }

    /// The workbook reader says what it expected; the zip reader under it says where the archive points.
    @Test func workbookPointingPastItsEndIsMalformed() throws {
        let data = try Data(contentsOf: Fixture.url("hostile/fuzz/directory-past-end.xlsx"))
        let error = #expect(throws: InputError.self) {
            try XLSXWorkbook(data: data, displayPath: "book.xlsx")
        }
        #expect(error?.kind == .malformedArchive)
        #expect(error?.location.description == "book.xlsx")
        let zipError = #expect(throws: InputError.self) {
            try ZipEntryReader(data: data, displayPath: "book.xlsx")
        }
        #expect(zipError?.kind == .malformedArchive)
        #expect(
            zipError?.message
                == "not a readable zip archive: the central directory is at byte \(data.count + 1000), past the end of the file (\(data.count) bytes)"
        )
        #expect(zipError?.hint == "the file is truncated or damaged; copy or export it again")
    }

    /// Archives whose entry's deflate stream never ends (made by `make_unterminated.py`, in the fixtures' folder).
    ///
    /// Before: ZIPFoundation's inflate loop read on past the entry to the end of the file and then asked for input
    /// forever (the `rdml` and `xlsx` targets' `timeout` findings; weichsel/ZIPFoundation#389).
    @Test func anArchiveWhoseDeflateStreamNeverEndsIsDamagedNotAHang() throws {
        let rdml = try Data(contentsOf: Fixture.url("hostile/fuzz/unterminated-deflate.rdml"))
        let list = #expect(throws: InputErrorList.self) {
            try RDMLReader.read(data: rdml, displayPath: "run.rdml")
        }
        #expect(list?.errors.map(\.kind) == [.malformedArchive])
        #expect(
            list?.errors.first?.message
                == "entry 'rdml_data.xml' cannot be decompressed: its compressed data end before the entry does")
        let xlsx = try Data(contentsOf: Fixture.url("hostile/fuzz/unterminated-deflate.xlsx"))
        let error = #expect(throws: InputError.self) {
            try XLSXWorkbook(data: xlsx, displayPath: "book.xlsx")
        }
        #expect(error?.kind == .malformedArchive)
        #expect(error?.location.description == "book.xlsx!xl/workbook.xml")
        // The other entries of the same archive still read.
        let reader = try ZipEntryReader(data: xlsx, displayPath: "book.xlsx")
        #expect(try String(decoding: reader.data(of: "[Content_Types].xml"), as: UTF8.self).contains("<Types"))
    }

    /// A file with no end-of-central-directory record, or one whose comment runs past the end, is refused before
    /// ZIPFoundation opens it.
    ///
    /// Before: ZIPFoundation refused it too but leaked the memory stream it had opened, holding the file's bytes,
    /// every time; the `xlsx` target ran out of memory after 900,000 inputs, and a server or `watch` reading
    /// damaged uploads would have grown by each one's size. Measured by the resident size (/proc/self/statm):
    /// 40 refusals of distinct 16 MiB files kept more than 600 MiB before; the bound leaves room for the tests
    /// running alongside.
    @Test(arguments: ["no end record", "comment past the end"])
    func aFileWithoutAReadableEndRecordIsRefusedWithoutALeak(_ damage: String) throws {
        var bytes = [UInt8](repeating: 0x41, count: 16 << 20)
        if damage == "comment past the end" {
            // An end record at the very end whose comment length (its last two bytes) is 0xFFFF.
            let record = [0x50, 0x4B, 0x05, 0x06] + [UInt8](repeating: 0, count: 16) + [0xFF, 0xFF]
            bytes.replaceSubrange((bytes.count - 22)..., with: record)
        }
        let error = #expect(throws: InputError.self) {
            try ZipEntryReader(data: Data(bytes), displayPath: "book.xlsx")
        }
        #expect(error?.kind == .malformedArchive)
        #expect(error?.message == "not a readable zip archive: it is truncated or damaged")
        guard let before = Self.residentBytes() else { return }  // no /proc: not Linux
        for _ in 0..<40 { _ = try? ZipEntryReader(data: Data(bytes), displayPath: "book.xlsx") }
        let kept = (Self.residentBytes() ?? before) - before
        #expect(kept < 256 << 20, "40 refusals of a 16 MiB file kept \(kept >> 20) MiB resident")
    }

    /// The resident size of this process, from /proc/self/statm (in pages, the second field).
    private static func residentBytes() -> Int? {
        guard let text = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8) else { return nil }
        let fields = text.split(separator: " ")
        guard fields.count > 1, let pages = Int(fields[1]) else { return nil }
        return pages * Int(sysconf(Int32(_SC_PAGESIZE)))
    }

    /// The check refuses only what ZIPFoundation would trap on: the unaltered archives still read.
    @Test func intactArchivesStillRead() throws {
        let rdml = try Data(contentsOf: Fixture.url("rdml/stepone_std.rdml"))
        #expect(try !RDMLReader.read(data: rdml, displayPath: "stepone_std.rdml").reactions.isEmpty)
        let xlsx = try Data(contentsOf: Fixture.url("xlsx/quantstudio-results.xlsx"))
        #expect(try !XLSXWorkbook(data: xlsx, displayPath: "book.xlsx").sheetNames.isEmpty)
    }
}

/// Found by the particle-size fuzz target: a size-bin file whose bins decrease from a huge centre trapped while
/// the message printed the previous centre as an Int.
struct SizeBinFuzzRegressionTests {
    @Test func aHugeBinCentreInADecreasingRowIsAnErrorNotATrap() throws {
        let text = "size_nm,concentration\n1e300,5\n100,6\n"
        let error = #expect(throws: InputErrorList.self) {
            _ = try ParticleSizeExport.read(data: Data(text.utf8), displayPath: "bins.csv")
        }
        #expect(error?.errors.contains { $0.message.contains("1e+300 nm") } == true)
    }
}

/// Found by the dpcr fuzz target (2026-12-03): a QuantaSoft export whose Negatives cell held 1e300 trapped while
/// the reader converted it to Int to check positives + negatives against the accepted droplets.
struct PartitionFuzzRegressionTests {
    @Test func aNegativesCountThatIsNoWholeNumberIsAnErrorNotATrap() throws {
        let text = """
            Well,Sample,Target,Positives,Negatives,AcceptedDroplets
            A01,S1,miR-21,10,1e300,100
            A02,S1,miR-21,10,2.5,100
            A03,S1,miR-21,10,80,100
            A04,S1,miR-21,10,90,100

            """
        let error = #expect(throws: InputErrorList.self) {
            try PartitionExport(
                TextFile(bytes: Array(text.utf8), url: URL(fileURLWithPath: "/dev/null"), displayPath: "p.csv"))
        }
        #expect(
            error?.errors.map(\.description) == [
                "p.csv:2:18: error: expected a whole number ≥ 0 in column 'Negatives', found '1e300'",
                "p.csv:3:18: error: expected a whole number ≥ 0 in column 'Negatives', found '2.5'",
                "p.csv:4:18: error: positives (10) + negatives (80) differ from the accepted partitions (100)",
            ])
    }
}

extension PartitionFuzzRegressionTests {
    /// The finding as libFuzzer wrote it.
    @Test func theFuzzFindingIsAnInputError() throws {
        let url = Fixture.url("hostile/fuzz/crash-0b1a0fc0.dpcr.csv")
        #expect(throws: InputErrorList.self) {
            try PartitionExport(TextFile(url: url, displayPath: "crash.csv"))
        }
    }
}
