import ExoDiagnosis
import ExoFormats
import ExoStats
import ExoTestSupport
import Foundation
import Testing

/// R's lowess and limma's voom + lmFit + eBayes (Tests/Fixtures/stats/counts-200x24.voom.tsv, made by
/// `Rscript bench/stats/voom_reference.R Tests/Fixtures/stats/counts-200x24.tsv`, limma 3.54.1).
struct VoomTests {
    static func reference() throws -> [[String]] {
        try String(contentsOf: Fixture.url("stats/counts-200x24.voom.tsv"), encoding: .utf8).split(separator: "\n")
            .filter { !$0.hasPrefix("#") }.map {
                $0.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            }
    }

    static func numbers(_ rows: [[String]], _ kind: String, _ key: String) throws -> [Double] {
        try #require(rows.first { $0[0] == kind && $0[1] == key }).dropFirst(2).compactMap { Double($0) }
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

    @Test func voomWeightsAndModeratedTableMatchLimma() throws {
        let rows = try Self.reference()
        let data = try FeatureMatrix(
            url: Fixture.url("stats/counts-200x24.tsv"), displayPath: "counts-200x24.tsv", labelColumn: "group")
        let groups = try TwoGroups(data, case: "tumour", control: "healthy")
        let result = try #require(try DifferentialExpression.voom(data, groups: groups, covariates: []))
        for feature in 0..<3 {
            let name = data.features[feature]
            for (value, target) in zip(result.voom.weights[feature], try Self.numbers(rows, "weights", name)) {
                #expect(abs(value - target) < 1e-9 * target, "\(name) weight")
            }
            for (value, target) in zip(result.voom.logCPM[feature], try Self.numbers(rows, "logcpm", name)) {
                #expect(abs(value - target) < 1e-12 * max(1, abs(target)), "\(name) log-CPM")
            }
        }
        let prior = try #require(rows.first { $0[0] == "prior" }).dropFirst().compactMap { Double($0) }
        let fitted = try #require(result.result.prior)
        #expect(abs(fitted.df / prior[0] - 1) < 1e-8 && abs(fitted.variance / prior[1] - 1) < 1e-8)
        var compared = 0
        for row in rows where row[0] == "table" {
            let mine = try #require(result.result.rows.first { $0.feature == row[1] })
            let values = [
                mine.logFC, mine.low, mine.high, mine.averageExpression, mine.t, mine.p, mine.adjustedP, mine.b,
            ]
            for (value, text) in zip(values, row.dropFirst(2)) {
                let target = try #require(Double(text))
                #expect(abs(value - target) <= 1e-8 * abs(target), "\(row[1]): \(value) vs limma \(text)")
            }
            compared += 1
        }
        #expect(compared == 200)
    }
}
