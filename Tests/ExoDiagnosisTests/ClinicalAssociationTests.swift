import ExoCore
import ExoDiagnosis
import ExoFormats
import ExoStats
import ExoTestSupport
import Foundation
import Testing

/// `exoscope stats associate`: the test each column gets, the numbers (R, via RankTestsTests' fixture) and the
/// errors for orders that do not fit the column.
struct ClinicalAssociationTests {
    static func byWFNS() throws -> FeatureMatrix {
        try FeatureMatrix(
            url: Fixture.url("stats/aSAH.matrix.tsv"), displayPath: "aSAH.matrix.tsv", labelColumn: "wfns",
            detectText: true)
    }

    @Test func eachColumnGetsItsTestAndRsNumbers() throws {
        // Rscript bench/stats/rank_tests_reference.R … (Tests/Fixtures/stats/rank-tests.tsv): s100b by WFNS grade.
        let data = try Self.byWFNS()
        let trend = ClinicalAssociation.analyze(
            data, design: try ClinicalAssociation.design(data, order: ["1", "2", "3", "4", "5"]))
        let s100b = try #require(trend.first { $0.feature == "s100b" })
        #expect(s100b.test == .trend && s100b.n == 113)
        let j = try #require(s100b.statistic)
        let z = try #require(s100b.effect)
        #expect(abs(j - 3789) < 1e-9)
        #expect(abs(z - 7.3507173305890383) < 1e-12)
        let kw = ClinicalAssociation.analyze(data, design: try ClinicalAssociation.design(data, test: .kruskalWallis))
        let h = try #require(kw.first { $0.feature == "s100b" }?.statistic)
        #expect(abs(h - 53.124219572706913) < 1e-10)
        #expect(try ClinicalAssociation.design(data).test == .spearman)
        let outcome = try FeatureMatrix(
            url: Fixture.url("stats/aSAH.matrix.tsv"), displayPath: "aSAH.matrix.tsv", labelColumn: "outcome",
            detectText: true)
        let twoGroups = ClinicalAssociation.analyze(outcome, design: try ClinicalAssociation.design(outcome))
        // The second level (Poor) against the first (Good): pROC's AUC for s100b.
        let auc = try #require(twoGroups[0].effect)
        #expect(twoGroups[0].test == .mannWhitney)
        #expect(abs(auc - 0.73136856368563685) < 1e-12)
        let adjusted = MultipleTesting.benjaminiHochberg(twoGroups.map { $0.p ?? .nan })
        #expect(twoGroups.map(\.adjustedP) == adjusted.map { Optional($0) })
    }

    @Test func nanLabelsAreMissingForSpearmanAndTheTrendTestNeedsAnOrder() throws {
        var text = "sample\tage\tm\n"
        for index in 0..<10 {
            text += "S\(index)\t\(index == 3 ? "NaN" : String(40 + index))\t\(Double(index * 7 % 10))\n"
        }
        let data = try MarkerROCTests.matrix(text, label: "age")
        let rows = ClinicalAssociation.analyze(data, design: try ClinicalAssociation.design(data))
        #expect(rows[0].test == .spearman && rows[0].n == 9)
        #expect(
            MarkerROCTests.messages { _ = try ClinicalAssociation.design(data, test: .trend) } == [
                "m.tsv: error: the trend test needs the levels in order\n  hint: give them with --order, such as --order I,II,III,IV"
            ])
    }

    @Test func ordersThatDoNotFitTheColumnAreErrors() throws {
        let data = try Self.byWFNS()
        #expect(
            MarkerROCTests.messages { _ = try ClinicalAssociation.design(data, order: ["1", "2", "3", "4", "55"]) }
                .prefix(2) == [
                    "aSAH.matrix.tsv: error: no sample has '55' in column 'wfns'\n  hint: did you mean '5'?",
                    "aSAH.matrix.tsv:8: error: sample 'aSAH-007' has '5', which --order does not list\n  hint: list every level in --order, or leave the label empty to leave the sample out",
                ])
        let outcome = try FeatureMatrix(
            url: Fixture.url("stats/aSAH.matrix.tsv"), displayPath: "aSAH.matrix.tsv", labelColumn: "outcome",
            detectText: true)
        #expect(
            MarkerROCTests.messages { _ = try ClinicalAssociation.design(outcome, test: .spearman) } == [
                "aSAH.matrix.tsv: error: Spearman's ρ needs numbers in column 'outcome'; it has text\n  hint: give the levels an order with --order for a trend test"
            ])
        #expect(
            MarkerROCTests.messages { _ = try ClinicalAssociation.design(outcome, order: ["Good"]) }.first
                == "aSAH.matrix.tsv: error: column 'outcome' has 1 group; the jonckheere-terpstra test needs at least 2"
        )
    }
}
