import ExoCore
import ExoFormats
import Foundation

extension FuzzTarget {
    /// Small-RNA reads: the input as a FASTQ file (plain, or gzip, bgzip or multi-member gzip when it starts with
    /// gzip's magic bytes), every record read by `FASTQReader` through `ByteStream`.
    ///
    /// The reader runs twice: with its normal 4 MiB buffer, and with a 7-byte one that it must refill and grow inside
    /// almost every record, so that records straddling a refill are fuzzed as much as whole ones.
    static let fastq = FuzzTarget(name: "fastq") { data in
        let url = scratchFile(data, pathExtension: "fq")
        for bufferSize in [1 << 22, 7] {
            do {
                let reader = FASTQReader(
                    stream: try ByteStream(url: url, displayPath: "fuzz.fq"), bufferSize: bufferSize)
                var bases = 0
                try reader.forEachRecord { record in
                    // The reader promises as many qualities as bases; a broken promise is a finding.
                    precondition(record.sequence.count == record.quality.count, "bases and qualities differ")
                    bases += record.sequence.count
                }
                _ = (reader.recordsRead, reader.bytesRead, reader.stream.sha256Hex, bases)
            } catch {
                expectInputError(error)
            }
        }
    }

    /// A reference library (`smallrna count --library NAME=FASTA`, miRBase's matures and hairpins, GtRNAdb,
    /// RNAcentral): `FASTAReader.parse(_:displayPath:)` on the bytes, and `FASTAReader.records(url:displayPath:)`
    /// on them as a file (plain or gzip).
    static let fasta = FuzzTarget(name: "fasta") { data in
        do {
            _ = try FASTAReader.parse([UInt8](data), displayPath: "fuzz.fa")
        } catch {
            expectInputError(error)
        }
        do {
            _ = try FASTAReader.records(url: scratchFile(data, pathExtension: "fa"), displayPath: "fuzz.fa")
        } catch {
            expectInputError(error)
        }
    }

    /// A miRNA × sample count table (`smallrna count`'s matrix, a GEO series' table with prose above its header):
    /// `CountMatrix.init(_:)`, then `CountMatrix.read(url:displayPath:)` on the same bytes as a file.
    static let countMatrix = FuzzTarget(name: "count-matrix") { data in
        if let file = textFile(data, named: "fuzz-counts.tsv") {
            do {
                let matrix = try CountMatrix(file)
                precondition(matrix.counts.count == matrix.features.count, "a row per feature")
                precondition(matrix.counts.allSatisfy { $0.count == matrix.samples.count }, "a count per sample")
            } catch {
                expectInputError(error)
            }
        }
        do {
            _ = try CountMatrix.read(
                url: scratchFile(data, pathExtension: delimitedExtension(data)), displayPath: "fuzz-counts")
        } catch {
            expectInputError(error)
        }
    }
}
