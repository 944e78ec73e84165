import ExoCore
import ExoQuant
import ExoTestSupport
import Foundation
import Testing

/// The NormqPCR reference values and the helpers that read them.
///
/// geNorm and NormFinder are compared with NormqPCR 1.33.0 (Bioconductor; Perkins and others, 2012) on the
/// published example sets: Vandesompele et al.'s geNorm data and Andersen et al.'s Colon, Bladder and BladderRepro sets, with the
/// package's outputs written to 17 digits. The files are read from `../shared/data/qpcr_reference_stability/`
/// (its README says how they were made); the Colon files are also in `Tests/Fixtures/normalization/normqpcr-colon/`
/// so that a fresh clone checks them too.
///
/// The datasets hold linear relative quantities; NormqPCR (`log = FALSE`) works on their log2. GeNorm takes Cq,
/// so it is given Cq = −log2(q) with amplification factor 2; NormFinder takes the log2 values themselves.
///
/// Tolerance: every number must agree to 1e-12 relative, |ExoScope − NormqPCR| ≤ 1e-12 · |NormqPCR| (the README
/// expects about 1e-12 across platforms). One exception: NormFinder's shrunk difference d is a double-centred
/// difference of means of log2 values of 6 to 17, so a d near 0 (the smallest is 2e-4) carries an absolute
/// rounding error of a few 1e-15 whatever the implementation; d is compared relative to the larger of |d| and the
/// gene's ρ, the quantity it enters (relative to |d| itself, two such d differ by 1.0e-11 and 3.2e-12).
/// Names, rankings and selections must be identical.
enum NormqPCRReference {
    static let relativeTolerance = 1e-12

    /// The shared folder, when this checkout has it.
    static var sharedFolder: URL? {
        guard let data = Fixture.sharedData else { return nil }
        let url = data.appendingPathComponent("qpcr_reference_stability")
        return FileManager.default.fileExists(atPath: url.appendingPathComponent("README.md").path) ? url : nil
    }

    static let fixtureFolder = Fixture.url("normalization/normqpcr-colon")

    /// A tab-separated file with a header row.
    struct Table {
        let header: [String]
        let rows: [[String]]

        init(_ url: URL) throws {
            let lines = try String(contentsOf: url, encoding: .utf8).split(
                separator: "\n", omittingEmptySubsequences: true)
            let cells = lines.map { $0.split(separator: "\t", omittingEmptySubsequences: false).map(String.init) }
            header = cells.first ?? []
            rows = Array(cells.dropFirst())
            #expect(rows.allSatisfy { $0.count == header.count }, "\(url.lastPathComponent): ragged rows")
        }

        func column(_ name: String) throws -> Int { try #require(header.firstIndex(of: name), "no column \(name)") }

        /// The rows whose `column` equals `value`.
        func rows(_ column: String, _ value: String) throws -> [[String]] {
            let index = try self.column(column)
            return rows.filter { $0[index] == value }
        }
    }

    /// A dataset: samples, their group (tissue or grade), genes in column order, quantities[gene][sample].
    struct Dataset {
        var samples: [String]
        var groups: [String]
        var genes: [String]
        var quantities: [[Double]]

        init(_ folder: URL, _ name: String) throws {
            let table = try Table(folder.appendingPathComponent("\(name).tsv"))
            samples = table.rows.map { $0[0] }
            groups = table.rows.map { $0[1] }
            genes = Array(table.header.dropFirst(2))
            quantities = try genes.indices.map { gene in
                try table.rows.map { try #require(Double($0[gene + 2])) }
            }
        }

        /// The samples of one group, or all for a subset named `all…`.
        func subset(_ name: String) -> Dataset {
            guard !name.hasPrefix("all") else { return self }
            let keep = groups.indices.filter { groups[$0] == name }
            var copy = self
            copy.samples = keep.map { samples[$0] }
            copy.groups = keep.map { groups[$0] }
            copy.quantities = quantities.map { row in keep.map { row[$0] } }
            return copy
        }

        /// Cq = −log2(q): with amplification factor 2, GeNorm's log2 quantity −Cq is log2(q) exactly.
        var cqMatrix: CqMatrix {
            CqMatrix(
                genes.indices.flatMap { gene in
                    samples.indices.map { sample in
                        SampleMeasurement(
                            sample: testSampleID(samples[sample]), analyte: Analyte(name: genes[gene], kind: .miRNA),
                            assay: .qPCR, value: -log2(quantities[gene][sample]), unit: .cq,
                            source: InputLocation(path: "reference.tsv", line: sample + 2))
                    }
                })
        }

        var log2Values: [[Double]] { quantities.map { $0.map(log2) } }
    }

    /// Compares numbers and keeps the largest relative difference, for the printed summary.
    struct Agreement {
        var compared = 0
        var largest = 0.0
        var largestAt = ""

        /// `scale`, when given, replaces |expected| as the denominator (for a value formed by cancellation).
        mutating func check(
            _ actual: Double?, _ expected: String, _ label: @autoclosure () -> String, scale: Double? = nil,
            sourceLocation: SourceLocation = #_sourceLocation
        ) {
            guard let expected = Double(expected), let actual else {
                let found = actual.map { "\($0)" } ?? "nil"
                Issue.record("\(label()): \(found) vs '\(expected)'", sourceLocation: sourceLocation)
                return
            }
            let difference = abs(actual - expected) / max(abs(expected), scale ?? 0)
            compared += 1
            if !(difference <= largest) {
                largest = difference
                largestAt = label()
            }
            #expect(
                difference <= relativeTolerance, "\(label()): \(actual) vs NormqPCR \(expected)",
                sourceLocation: sourceLocation)
        }

        func summary(_ what: String) -> String {
            "\(what): \(compared) values, largest relative difference \(largest) (\(largestAt))"
        }
    }
}

extension Trait where Self == ConditionTrait {
    /// Skips a test, with the reason shown, when `../shared/data/qpcr_reference_stability/` is absent.
    static var needsNormqPCRSharedData: Self {
        .enabled(
            if: NormqPCRReference.sharedFolder != nil,
            "../shared/data/qpcr_reference_stability is absent in this checkout")
    }
}
