import ExoStats
import ExoTestSupport
import Foundation
import Testing

/// R's lowess and limma's voom transform (Tests/Fixtures/stats/counts-200x24.voom.tsv, made by
/// `Rscript bench/stats/voom_reference.R Tests/Fixtures/stats/counts-200x24.tsv`, R 4.2.2, limma 3.54.1); the
/// moderated table after voom is checked with the differential-expression reader in ExoDiagnosisTests.
struct VoomTests {
    static func reference() throws -> [[String]] { try Fixture.referenceRows("stats/counts-200x24.voom.tsv") }

    static func numbers(_ rows: [[String]], _ kind: String, _ key: String) throws -> [Double] {
        try #require(Fixture.referenceNumbers(rows, kind, key))
    }

    @Test func lowessMatchesRsLowessOnCars() throws {
        let rows = try Self.reference()
        let speed = try Self.numbers(rows, "cars_speed", "")
        let distance = try Self.numbers(rows, "cars_dist", "")
        for (span, key) in [(2.0 / 3, "0.66666666666666663"), (0.25, "0.25")] {
            let smoothed = Lowess.smooth(x: speed, y: distance, f: span)
            let expected = try Self.numbers(rows, "lowess", key)
            #expect(smoothed.y.count == expected.count)
            for (value, target) in zip(smoothed.y, expected) {
                #expect(abs(value - target) < 1e-10 * max(1, abs(target)))
            }
        }
    }

    /// The counts of Tests/Fixtures/stats/counts-200x24.tsv as `[feature][sample]`, their names and the design
    /// ~ group.
    static func counts() throws -> (counts: [[Double]], names: [String], design: [[Double]]) {
        let lines = try String(contentsOf: Fixture.url("stats/counts-200x24.tsv"), encoding: .utf8)
            .split(separator: "\n").map { $0.split(separator: "\t").map(String.init) }
        let header = try #require(lines.first)
        let samples = lines.dropFirst()
        let counts = try (2..<header.count).map { column in
            try samples.map { try #require(Double($0[column])) }
        }
        return (counts, Array(header.dropFirst(2)), samples.map { [1, $0[1] == "tumour" ? 1.0 : 0] })
    }

    /// `voom(counts, model.matrix(~group))`: log-CPM and weights of the first features.
    @Test func transformMatchesLimmasVoom() throws {
        let rows = try Self.reference()
        let (counts, names, design) = try Self.counts()
        let result = Voom.transform(counts: counts, design: design)
        #expect(result.weights.count == 200 && result.logCPM.count == 200)
        for feature in 0..<3 {
            let name = names[feature]
            for (value, target) in zip(result.weights[feature], try Self.numbers(rows, "weights", name)) {
                #expect(abs(value - target) < 1e-9 * target, "\(name) weight")
            }
            for (value, target) in zip(result.logCPM[feature], try Self.numbers(rows, "logcpm", name)) {
                #expect(abs(value - target) < 1e-12 * max(1, abs(target)), "\(name) log-CPM")
            }
        }
    }

    /// Library sizes given as the column sums change nothing, bit for bit; other library sizes move log-CPM by
    /// log2 of the change in (library size + 1), to rounding,, as limma's `voom(counts, design, lib.size = ...)`.
    @Test func explicitLibrarySizesReplaceTheColumnSums() throws {
        let (counts, _, design) = try Self.counts()
        let sums = (0..<design.count).map { sample in counts.reduce(0) { $0 + $1[sample] } }
        let plain = Voom.transform(counts: counts, design: design)
        let explicit = Voom.transform(counts: counts, design: design, librarySizes: sums)
        #expect(plain.logCPM == explicit.logCPM && plain.weights == explicit.weights)
        #expect(plain.librarySizes == explicit.librarySizes)
        let scaled = sums.enumerated().map { $0.element * (1 + 0.05 * Double($0.offset % 5)) }
        let effective = Voom.transform(counts: counts, design: design, librarySizes: scaled)
        #expect(effective.librarySizes == scaled)
        for (row, base) in zip(effective.logCPM, plain.logCPM) {
            for sample in row.indices {
                let shift = log2(sums[sample] + 1) - log2(scaled[sample] + 1)
                #expect(abs(row[sample] - base[sample] - shift) < 1e-12)
            }
        }
    }
}
