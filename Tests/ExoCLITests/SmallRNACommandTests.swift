import ExoTestSupport
import Foundation
import Testing

/// `exoscope smallrna count` and `normalize` from the command line: outputs, standard input, and bad input that
/// stops with its message and leaves no output behind.
@Suite struct SmallRNACommandTests {
    let reads = Fixture.url("smallrna/good_12.fq.gz").path

    @Test func countsWriteTheMatrixAndEveryOutputFile() async throws {
        let folder = try Fixture.temporaryDirectory()
        let qc = folder.appendingPathComponent("qc.tsv").path
        let gff = folder.appendingPathComponent("out.gff3").path
        let result = await exoscope(
            inProcess: [
                "smallrna", "count", reads, "--adapter", "truseq", "--qc", qc, "--gff", gff, "--multiqc",
                folder.path, "--quiet",
            ])
        #expect(result.status == 0, "\(result.standardError)")
        #expect(result.lines.first == "mirna\tgood_12")
        let counted = result.rows.compactMap { Int($0["good_12"] ?? "") }.reduce(0, +)
        let qcRows = try String(contentsOfFile: qc, encoding: .utf8).split(separator: "\n")
        #expect(qcRows.count == 2)
        #expect(qcRows[1].hasPrefix("good_12\t12\t"))
        #expect(counted > 0)
        #expect(try String(contentsOfFile: gff, encoding: .utf8).hasPrefix("## mirGFF3. VERSION 1.2\n"))
        #expect(
            FileManager.default.fileExists(atPath: folder.appendingPathComponent("exoscope_read_fates_mqc.tsv").path))
    }

    @Test func anAdapterWithLettersThatAreNotBasesIsAUsageError() async {
        let result = await exoscope(inProcess: ["smallrna", "count", reads, "--adapter", "TGGAATTCTCXG"])
        #expect(result.status == 64)
        #expect(
            result.standardError.contains(
                "--adapter 'TGGAATTCTCXG' is neither a kit nor an adapter sequence: it holds 'X', not only A, C, G, T"))
    }

    /// Read 2 given beside its read 1 is refused, naming both (it would count every molecule twice); read 2 alone
    /// or a file whose mate is absent is counted as given.
    @Test func readTwoBesideItsReadOneIsAUsageError() async throws {
        let folder = try Fixture.temporaryDirectory()
        for name in ["P1_S1_L001_R1_001.fastq.gz", "P1_S1_L001_R2_001.fastq.gz"] {
            try FileManager.default.copyItem(
                at: Fixture.url("smallrna/good_12.fq.gz"), to: folder.appendingPathComponent(name))
        }
        let one = folder.appendingPathComponent("P1_S1_L001_R1_001.fastq.gz").path
        let two = folder.appendingPathComponent("P1_S1_L001_R2_001.fastq.gz").path
        let result = await exoscope(inProcess: ["smallrna", "count", one, two, "--adapter", "truseq"])
        #expect(result.status == 64)
        #expect(
            result.standardError.contains(
                "'P1_S1_L001_R2_001.fastq.gz' is read 2 of the pair whose read 1 is 'P1_S1_L001_R1_001.fastq.gz': give read 1 only"
            ))
        let alone = await exoscope(inProcess: ["smallrna", "count", two, "--adapter", "truseq"])
        #expect(alone.status == 0)
    }

    /// A bad second file stops the whole count: its message names file, record and byte offset, and no output
    /// file is written (the first sample's counts are not kept either).
    @Test func aBadFileLeavesNoOutputBehind() async throws {
        let folder = try Fixture.temporaryDirectory()
        let bad = folder.appendingPathComponent("bad.fq")
        try Data("@r1\nACGT\n+\nIIII\n@r2\nACGTA\n+\nIIII\n".utf8).write(to: bad)
        let output = folder.appendingPathComponent("counts.tsv").path
        let qc = folder.appendingPathComponent("qc.tsv").path
        let result = await exoscope(
            inProcess: ["smallrna", "count", reads, bad.path, "--adapter", "truseq", "-o", output, "--qc", qc])
        #expect(result.status == 65)
        #expect(
            result.standardError.contains(
                "bad.fq:8:5: error: record 2 has 5 bases but 4 quality characters (byte offset 16)"))
        #expect(!FileManager.default.fileExists(atPath: output))
        #expect(!FileManager.default.fileExists(atPath: qc))
    }

    /// Standard input through the built executable (the in-process console does not replace file descriptor 0).
    @Test func standardInputIsASample() throws {
        let executable = try #require(Fixture.exoscopeExecutable, "the exoscope executable was not built")
        let process = Process()
        process.executableURL = executable
        process.arguments = ["smallrna", "count", "-", "--sample", "piped", "--adapter", "truseq", "--quiet"]
        process.standardInput = try FileHandle(forReadingFrom: Fixture.url("smallrna/good_12.fq.gz"))
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let output = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        let file = try #require(String(data: output, encoding: .utf8))
        #expect(file.hasPrefix("mirna\tpiped\n"))
    }

    @Test func autoDetectionNeedsAFile() async {
        let result = await exoscope(inProcess: ["smallrna", "count", "-"])
        #expect(result.status == 64)
        #expect(result.standardError.contains("--adapter auto reads a sample's first reads twice"))
    }

    @Test func normalizeWritesFactorsAndRefusesNegativeCounts() async throws {
        let folder = try Fixture.temporaryDirectory()
        let matrix = folder.appendingPathComponent("counts.tsv")
        try Data("mirna\ta\tb\nm1\t10\t20\nm2\t30\t5\nm3\t0\t7\n".utf8).write(to: matrix)
        let result = await exoscope(inProcess: ["smallrna", "normalize", matrix.path, "--method", "rpm"])
        #expect(result.status == 0)
        #expect(result.lines[1] == "m1\t250000.0\t625000.0")
        try Data("mirna\ta\tb\nm1\t10\t-2\n".utf8).write(to: matrix)
        let bad = await exoscope(inProcess: ["smallrna", "normalize", matrix.path])
        #expect(bad.status == 65)
        #expect(bad.standardError.contains("counts.tsv:2:7: error: expected a count of 0 or more, found '-2'"))
    }
}
