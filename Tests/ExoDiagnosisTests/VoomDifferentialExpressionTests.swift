import ExoDiagnosis
import ExoFormats
import ExoStats
import ExoTestSupport
import Foundation
import Testing

/// `exoscope stats de --counts`: limma's voom + lmFit + eBayes on a count matrix read from its file
/// (Tests/Fixtures/stats/counts-200x24.voom.tsv, made by
/// `Rscript bench/stats/voom_reference.R Tests/Fixtures/stats/counts-200x24.tsv`, limma 3.54.1).
struct VoomDifferentialExpressionTests {
    static func reference() throws -> [[String]] { try Fixture.referenceRows("stats/counts-200x24.voom.tsv") }

    static func numbers(_ rows: [[String]], _ kind: String, _ key: String) throws -> [Double] {
        try #require(Fixture.referenceNumbers(rows, kind, key))
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
