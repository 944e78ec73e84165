import ExoCore
import ExoFormats
import ExoTestSupport
import Foundation
import Testing

/// The FASTQ reader and the gzip stream under it: every compression layout gives the same records, and every
/// malformed case of issue 16 stops with its exact message.
@Suite struct FASTQReaderTests {
    /// Reads a file's records as (name, sequence, quality) strings.
    static func records(
        _ url: URL?, displayPath: String = "reads.fq", bufferSize: Int = 1 << 22, readSize: Int = 1 << 20
    ) throws -> [[String]] {
        let stream = try ByteStream(url: url, displayPath: displayPath, readSize: readSize)
        let reader = FASTQReader(stream: stream, bufferSize: bufferSize)
        var result: [[String]] = []
        try reader.forEachRecord { record in
            result.append([record.name, record.sequence, record.quality].map { String(decoding: $0, as: UTF8.self) })
        }
        return result
    }

    /// Writes bytes to a fresh temporary file.
    static func file(_ bytes: [UInt8], name: String = "reads.fq") throws -> URL {
        let url = try Fixture.temporaryDirectory().appendingPathComponent(name)
        try Data(bytes).write(to: url)
        return url
    }

    static func file(_ text: String, name: String = "reads.fq") throws -> URL { try file(Array(text.utf8), name: name) }

    /// The error reading `text` gives.
    static func error(_ text: String) throws -> InputError {
        let url = try file(text)
        do {
            _ = try records(url)
        } catch let error as InputError {
            return error
        }
        Issue.record("no error for \(text.debugDescription)")
        throw CancellationError()
    }

    let plain = Fixture.url("smallrna/good_12.fq")

    @Test func gzipMultiMemberAndBGZFGiveThePlainFilesRecords() throws {
        let expected = try Self.records(plain)
        #expect(expected.count == 12)
        #expect(expected[0][0] == "good_quality_0 length=50")
        #expect(expected[0][1] == "TTCACAGTGGCTAAGTTCTGCTGGAATTCTCGGGTGCCAAGGAACTCCAG")
        for name in ["good_12.fq.gz", "good_12.multi.fq.gz", "good_12.bgzf.fq.gz"] {
            // Every read size, so that gzip headers, members and trailers straddle the reads.
            for readSize in [2, 3, 7, 64, 1 << 20] {
                let got = try Self.records(Fixture.url("smallrna/\(name)"), readSize: readSize)
                #expect(got == expected, "\(name) read \(readSize) bytes at a time")
            }
        }
    }

    @Test func everyBufferSizeGivesTheSameRecords() throws {
        let expected = try Self.records(plain)
        for bufferSize in [1, 2, 5, 17, 50, 51, 155, 156, 1000] {
            #expect(try Self.records(plain, bufferSize: bufferSize) == expected, "buffer of \(bufferSize) bytes")
        }
    }

    @Test func windowsLineEndingsReadAsUnixOnes() throws {
        let text = try String(contentsOf: plain, encoding: .utf8)
        let crlf = try Self.file(text.replacingOccurrences(of: "\n", with: "\r\n"))
        #expect(try Self.records(crlf) == Self.records(plain))
    }

    @Test func aFinalRecordWithoutItsLineBreakAndTrailingBlankLinesAreWhole() throws {
        let text = try String(contentsOf: plain, encoding: .utf8)
        #expect(try Self.records(Self.file(String(text.dropLast()))) == Self.records(plain))
        #expect(try Self.records(Self.file(text + "\n\n")) == Self.records(plain))
    }

    /// Every prefix of the file either reads as whole records or stops with a truncation or format error, never a
    /// crash; every prefix of the gzip file stops with a compression error.
    @Test func everyPrefixIsWholeRecordsOrAnError() throws {
        let bytes = try [UInt8](Data(contentsOf: plain))
        let expected = try Self.records(plain)
        let folder = try Fixture.temporaryDirectory()
        for length in 0..<bytes.count {
            let url = folder.appendingPathComponent("prefix-\(length).fq")
            try Data(bytes.prefix(length)).write(to: url)
            do {
                let got = try Self.records(url, bufferSize: 16)
                #expect(!got.isEmpty && got == Array(expected.prefix(got.count)), "prefix \(length)")
            } catch let error as InputError {
                #expect(
                    [.truncatedRecord, .malformedRecord, .emptyTable].contains(error.kind), "prefix \(length): \(error)"
                )
            }
        }
        let gzip = try [UInt8](Data(contentsOf: Fixture.url("smallrna/good_12.fq.gz")))
        for length in 1..<gzip.count {
            let url = folder.appendingPathComponent("prefix-\(length).fq.gz")
            try Data(gzip.prefix(length)).write(to: url)
            #expect(throws: InputError.self) { try Self.records(url) }
        }
    }

    @Test func truncatedGzip() throws {
        let gzip = try [UInt8](Data(contentsOf: Fixture.url("smallrna/good_12.fq.gz")))
        let url = try Self.file(Array(gzip.prefix(300)), name: "cut.fq.gz")
        let error = try #require(throws: InputError.self) { try Self.records(url, displayPath: "cut.fq.gz") }
        #expect(error.kind == .malformedCompression)
        #expect(
            error.description == """
                cut.fq.gz: error: gzip data damaged at compressed byte offset 300: the file ends inside member 1: it was cut off while being copied or written
                  hint: check the file with `gzip -t`; download or copy it again
                """)
    }

    @Test func gzipWithAWrongChecksum() throws {
        var gzip = try [UInt8](Data(contentsOf: Fixture.url("smallrna/good_12.fq.gz")))
        gzip[gzip.count - 8] ^= 0xFF  // the CRC-32 in the trailer
        let url = try Self.file(gzip, name: "crc.fq.gz")
        let error = try #require(throws: InputError.self) { try Self.records(url, displayPath: "crc.fq.gz") }
        #expect(error.kind == .malformedCompression)
        #expect(
            error.message.hasSuffix("member 1 does not match its CRC-32 or length: the file was altered or damaged"))
    }

    @Test func gzipFollowedByBytesThatAreNotGzip() throws {
        let gzip = try [UInt8](Data(contentsOf: Fixture.url("smallrna/good_12.fq.gz")))
        let url = try Self.file(gzip + Array("garbage".utf8), name: "tail.fq.gz")
        let error = try #require(throws: InputError.self) { try Self.records(url, displayPath: "tail.fq.gz") }
        #expect(
            error.message
                == "gzip data damaged at compressed byte offset \(gzip.count): bytes that are not gzip follow member 1")
    }

    @Test func recordCutMidway() throws {
        let error = try Self.error("@r1\nACGT\n+\nIIII\n@r2\nACG")
        #expect(error.kind == .truncatedRecord)
        #expect(
            error.description == """
                reads.fq:5: error: record 2 (byte offset 16) is cut off: the data end before its four lines do
                  hint: the file was cut off while being copied or written; copy or download it again
                """)
    }

    @Test func sequenceAndQualityOfDifferentLengths() throws {
        let error = try Self.error("@r1\nACGT\n+\nIIII\n@r2\nACGTA\n+\nIIII\n")
        #expect(
            error.description == """
                reads.fq:8:5: error: record 2 has 5 bases but 4 quality characters (byte offset 16)
                  hint: every base needs one quality character; the record was cut or edited
                """)
    }

    @Test func headerWithoutAt() throws {
        let error = try Self.error("@r1\nACGT\n+\nIIII\nr2\nACGT\n+\nIIII\n")
        #expect(
            error.description == """
                reads.fq:5:1: error: record 2's header starts with 'r', expected '@' (byte offset 16)
                  hint: a FASTQ record is four lines: @name, bases, +, qualities
                """)
    }

    @Test func qualityOutsidePhred33() throws {
        let error = try Self.error("@r1\nACGT\n+\nII I\n")
        #expect(
            error.description == """
                reads.fq:4:3: error: record 1's quality has byte 0x20 at position 3, outside Phred+33 ('!' to '~') (byte offset 0)
                  hint: ExoScope reads Phred+33 qualities (Illumina 1.8 and later); convert older files first
                """)
    }

    @Test func emptyFileAndEmptyGzip() throws {
        let error = try Self.error("")
        #expect(error.kind == .emptyTable)
        #expect(error.message == "'reads.fq' holds no reads")
        let emptyGzip = try #require(Data(base64Encoded: "H4sIAAAAAAAAAwMAAAAAAAAAAAA="))
        let empty = try Self.file(Array(emptyGzip), name: "empty.fq.gz")
        let gzipError = try #require(throws: InputError.self) { try Self.records(empty, displayPath: "empty.fq.gz") }
        #expect(gzipError.message == "'empty.fq.gz' holds no reads")
    }

    @Test func binaryFile() throws {
        let url = try Self.file([0x42, 0x41, 0x4D, 0x01, 0x00, 0xFF, 0x0A, 0x00, 0x0A, 0x00, 0x0A, 0x00, 0x0A])
        let error = try #require(throws: InputError.self) { try Self.records(url) }
        #expect(error.message == "record 1's header starts with 'B', expected '@' (byte offset 0)")
        let zeros = try Self.file([0x00, 0x01, 0x0A, 0x0A, 0x0A, 0x0A])
        let binary = try #require(throws: InputError.self) { try Self.records(zeros) }
        #expect(
            binary.message
                == "record 1 starts with byte 0x0, expected '@': this is not FASTQ text (binary data) (byte offset 0)")
    }

    @Test func fastaGivenAsFASTQ() throws {
        let error = try Self.error(">hsa-miR-21-5p\nTAGCTTATCAGACTGATGTTGA\n>hsa-let-7a-5p\nTGAGGTAGTAGGTTGTATAGTT\n")
        #expect(
            error.description == """
                reads.fq:1:1: error: record 1 starts with '>', expected '@': this is FASTA, not FASTQ (byte offset 0)
                  hint: give FASTA libraries with --library NAME=FILE; reads must be FASTQ (with qualities)
                """)
    }

    @Test func aSequenceLetterThatIsNotABase() throws {
        let error = try Self.error("@r1\nACXT\n+\nIIII\n")
        #expect(
            error.message
                == "record 1's sequence has 'X' at position 3, expected A, C, G, T or N (byte offset 0)")
        #expect(error.location.line == 2 && error.location.column == 3)
    }

    @Test func aPlusLineNamingAnotherRecord() throws {
        let error = try Self.error("@r1\nACGT\n+r2\nIIII\n")
        #expect(error.message == "record 1's '+' line repeats a different name than its header (byte offset 0)")
    }

    @Test func errorsInGzipDataSayTheOffsetIsDecompressed() throws {
        var process = [UInt8]("@r1\nACGT\n+\nIIII\n@r2\nACGTA\n+\nIIII\n".utf8)
        process = try Self.gzip(process)
        let url = try Self.file(process, name: "bad.fq.gz")
        let error = try #require(throws: InputError.self) { try Self.records(url, displayPath: "bad.fq.gz") }
        #expect(
            error.message == "record 2 has 5 bases but 4 quality characters (byte offset 16 of the decompressed data)")
    }

    @Test func fastaLibrariesReadWrappedAndRNA() throws {
        let records = try FASTAReader.parse(
            Array(">a first\nACGU\nacgt\n\n>b\r\nNNRY\r\n".utf8), displayPath: "lib.fa")
        #expect(records.map(\.name) == ["a", "b"])
        #expect(records.map(\.sequence) == ["ACGUACGT", "NNRY"])
        #expect(throws: InputError.self) { try FASTAReader.parse(Array("ACGT\n".utf8), displayPath: "lib.fa") }
        let fastq = try #require(throws: InputError.self) {
            try FASTAReader.parse(Array("@r1\nACGT\n+\nIIII\n".utf8), displayPath: "lib.fa")
        }
        #expect(fastq.message.contains("this looks like FASTQ (reads), not FASTA (references)"))
    }

    /// gzip through the system's `gzip` (present on every Debian machine).
    static func gzip(_ bytes: [UInt8]) throws -> [UInt8] {
        let input = try file(bytes, name: "plain")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/gzip")
        process.arguments = ["-n", "-f", input.path]
        try process.run()
        process.waitUntilExit()
        return try [UInt8](Data(contentsOf: input.appendingPathExtension("gz")))
    }
}
