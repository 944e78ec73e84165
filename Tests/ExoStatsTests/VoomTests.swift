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

    /// `voom(counts, model.matrix(~group))`: log-CPM and weights of the first features.
    @Test func transformMatchesLimmasVoom() throws {
        let rows = try Self.reference()
        let lines = try String(contentsOf: Fixture.url("stats/counts-200x24.tsv"), encoding: .utf8)
            .split(separator: "\n").map { $0.split(separator: "\t").map(String.init) }
        let header = try #require(lines.first)
        let samples = lines.dropFirst()
        let counts = try (2..<header.count).map { column in
            try samples.map { try #require(Double($0[column])) }
        }
        let design = samples.map { [1, $0[1] == "tumour" ? 1.0 : 0] }
        let result = Voom.transform(counts: counts, design: design)
        #expect(result.weights.count == 200 && result.logCPM.count == 200)
        for feature in 0..<3 {
            let name = header[feature + 2]
            for (value, target) in zip(result.weights[feature], try Self.numbers(rows, "weights", name)) {
                #expect(abs(value - target) < 1e-9 * target, "\(name) weight")
            }
            for (value, target) in zip(result.logCPM[feature], try Self.numbers(rows, "logcpm", name)) {
                #expect(abs(value - target) < 1e-12 * max(1, abs(target)), "\(name) log-CPM")
            }
        }
    }
}
