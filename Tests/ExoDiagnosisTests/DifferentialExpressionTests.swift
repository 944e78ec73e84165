import ExoDiagnosis
import ExoFormats
import ExoStats
import ExoTestSupport
import Foundation
import Testing

/// Moderated t against limma 3.54.1 on a seeded 300 miRNA × 40 sample matrix with 1 % missing values
/// (Tests/Fixtures/stats/mirna-300x40.limma.tsv, made by
/// `Rscript bench/stats/limma_reference.R Tests/Fixtures/stats/mirna-300x40.tsv tumour healthy`).
struct DifferentialExpressionTests {
    @Test func moderatedTMatchesLimmaTo1e8Relative() throws {
        let data = try FeatureMatrix(
            url: Fixture.url("stats/mirna-300x40.tsv"), displayPath: "mirna-300x40.tsv", labelColumn: "group")
        let result = try #require(
            DifferentialExpression.analyze(data, groups: try TwoGroups(data, case: "tumour", control: "healthy")))
        let lines = try String(contentsOf: Fixture.url("stats/mirna-300x40.limma.tsv"), encoding: .utf8)
            .split(separator: "\n")
        // "# df.prior 4.31… s2.prior 1.12… var.prior 5.33…"
        let prior = lines[2].split(separator: " ").compactMap { Double($0) }
        let fitted = try #require(result.prior)
        #expect(abs(fitted.df / prior[0] - 1) < 1e-8)
        #expect(abs(fitted.variance / prior[1] - 1) < 1e-8)
        #expect(abs(fitted.coefficientVariance / prior[2] - 1) < 1e-8)
        let rows = Dictionary(uniqueKeysWithValues: result.rows.map { ($0.feature, $0) })
        var compared = 0
        for line in lines.dropFirst(4) {
            let fields = line.split(separator: "\t").map(String.init)
            let row = try #require(rows[fields[0]])
            let mine = [row.logFC, row.averageExpression, row.t, row.p, row.adjustedP, row.b]
            for (value, text) in zip(mine, fields.dropFirst()) {
                let expected = try #require(Double(text))
                #expect(abs(value - expected) <= 1e-8 * abs(expected), "\(fields[0]): \(value) vs limma \(text)")
            }
            compared += 1
        }
        #expect(compared == 300)
        #expect(result.rows.contains { $0.missing > 0 }, "the fixture has missing values, left out per feature")
    }
}

/// Welch's t and the Mann–Whitney test against R 4.2.2's `t.test` and `wilcox.test` on the same matrix and two
/// hand-made examples (Tests/Fixtures/stats/mirna-300x40.two-sample.tsv, made by
/// `Rscript bench/stats/two_sample_reference.R Tests/Fixtures/stats/mirna-300x40.tsv tumour healthy`).
struct TwoSampleTestTests {
    @Test func welchAndMannWhitneyMatchR() throws {
        let data = try FeatureMatrix(
            url: Fixture.url("stats/mirna-300x40.tsv"), displayPath: "mirna-300x40.tsv", labelColumn: "group")
        let groups = try TwoGroups(data, case: "tumour", control: "healthy")
        let welch = try #require(DifferentialExpression.analyze(data, groups: groups, method: .welch))
        let wilcoxon = try #require(DifferentialExpression.analyze(data, groups: groups, method: .mannWhitney))
        let lines = try String(contentsOf: Fixture.url("stats/mirna-300x40.two-sample.tsv"), encoding: .utf8)
            .split(separator: "\n").filter { !$0.hasPrefix("#") }.dropFirst()
        var reference: [String: [Double]] = [:]
        for line in lines {
            let fields = line.split(separator: "\t")
            reference[String(fields[0])] = fields.dropFirst().compactMap { Double($0) }
        }
        for (index, feature) in data.features.enumerated() {
            let expected = try #require(reference[feature])
            #expect(abs(welch.rows[index].t / expected[0] - 1) < 1e-9, "\(feature) Welch t")
            #expect(abs(welch.rows[index].p / expected[2] - 1) < 1e-9, "\(feature) Welch p")
            #expect(abs(welch.rows[index].low - expected[5]) < 1e-9 * max(1, abs(expected[5])), "\(feature) CI low")
            #expect(abs(welch.rows[index].high - expected[6]) < 1e-9 * max(1, abs(expected[6])), "\(feature) CI high")
            #expect(wilcoxon.rows[index].t == expected[3], "\(feature) W")
            #expect(abs(wilcoxon.rows[index].p / expected[4] - 1) < 1e-12, "\(feature) Mann–Whitney p (exact)")
        }
        let exact = try #require(TwoSampleTests.mannWhitney([1.1, 2.2, 3.3, 4.4], [0.5, 2.5, 5.5, 6.5, 7.5]))
        let exactReference = try #require(reference["example-exact"])
        #expect(exact.exact && exact.statistic == exactReference[3] && abs(exact.p / exactReference[4] - 1) < 1e-12)
        let ties = try #require(TwoSampleTests.mannWhitney([1, 2, 2, 3, 4, 4, 5], [2, 3, 3, 6, 7, 8]))
        let tiesReference = try #require(reference["example-ties"])
        #expect(!ties.exact && ties.statistic == tiesReference[3] && abs(ties.p / tiesReference[4] - 1) < 1e-12)
        let welchTies = try #require(TwoSampleTests.welch([1, 2, 2, 3, 4, 4, 5], [2, 3, 3, 6, 7, 8]))
        #expect(abs((welchTies.degreesOfFreedom ?? 0) / tiesReference[1] - 1) < 1e-12)
    }
}

/// A feature with one value throughout has no Mann–Whitney p-value (R: NaN) and is not counted by BH:
/// `t1<-c(1.2,3.4,2.2,5.1,4.4); h1<-c(0.3,1.1,0.9,2.0,1.5); t3<-c(2,2.5,3,3.5,9); h3<-c(1,4,2.1,0.5,3.3);`
/// `p<-c(wilcox.test(t1,h1)$p.value, wilcox.test(rep(7,5),rep(7,5))$p.value, wilcox.test(t3,h3)$p.value);`
/// `sprintf("%.17g", c(p, p.adjust(p, "BH")))` (R 4.2.2).
struct DegenerateTestTests {
    @Test func aConstantFeatureGetsNaNAndIsLeftOutOfBH() throws {
        let cases = ["1.2,7,2", "3.4,7,2.5", "2.2,7,3", "5.1,7,3.5", "4.4,7,9"]
        let controls = ["0.3,7,1", "1.1,7,4", "0.9,7,2.1", "2.0,7,0.5", "1.5,7,3.3"]
        var text = "sample\tgroup\tf1\tconstant\tf3\n"
        for (index, row) in cases.enumerated() { text += "T\(index)\tt\t" + row.replacing(",", with: "\t") + "\n" }
        for (index, row) in controls.enumerated() { text += "H\(index)\th\t" + row.replacing(",", with: "\t") + "\n" }
        let data = try MarkerROCTests.matrix(text)
        let result = try #require(
            DifferentialExpression.analyze(data, groups: try TwoGroups(data, case: "t"), method: .mannWhitney))
        let p = result.rows.map(\.p)
        let adjusted = result.rows.map(\.adjustedP)
        #expect(abs(p[0] - 0.031746031746031744) < 1e-15 && abs(p[2] - 0.42063492063492064) < 1e-15)
        #expect(p[1].isNaN && adjusted[1].isNaN)
        #expect(abs(adjusted[0] - 0.063492063492063489) < 1e-15 && abs(adjusted[2] - 0.42063492063492064) < 1e-15)
    }
}

/// The model ~ group + covariates and the fold-change intervals against limma 3.54.1
/// (Tests/Fixtures/stats/mirna-300x40.limma-covariates.tsv, made by
/// `Rscript bench/stats/limma_covariates_reference.R Tests/Fixtures/stats/mirna-300x40.tsv`).
struct DifferentialExpressionCovariateTests {
    @Test func covariateModelAndIntervalsMatchLimma() throws {
        let data = try FeatureMatrix(
            url: Fixture.url("stats/mirna-300x40.tsv"), displayPath: "mirna-300x40.tsv", labelColumn: "group")
        let groups = try TwoGroups(data, case: "tumour", control: "healthy")
        // The script's covariates: age = 40 + (7 i mod 31), batch = "b" (i mod 3), i the sample's position.
        let age = data.samples.indices.map { 40 + Double((7 * $0) % 31) }
        let batch = data.samples.indices.map { "b\($0 % 3)" }
        let plain = try #require(DifferentialExpression.analyze(data, groups: groups))
        let adjusted = try #require(
            try DifferentialExpression.analyze(
                data, groups: groups, covariates: [.numeric("age", age), .categorical("batch", batch)]))
        #expect(adjusted.leftOut == 0)
        // With no covariates the design path is the two-group path.
        let designPlain = try #require(try DifferentialExpression.analyze(data, groups: groups, covariates: []))
        for (a, b) in zip(plain.rows, designPlain.result.rows) {
            #expect(abs(a.t - b.t) <= 1e-10 * abs(a.t) && abs(a.low - b.low) <= 1e-10 * max(abs(a.low), 1))
        }
        let lines = try String(contentsOf: Fixture.url("stats/mirna-300x40.limma-covariates.tsv"), encoding: .utf8)
            .split(separator: "\n").filter { !$0.hasPrefix("#") && !$0.hasPrefix("model") }
        var compared = 0
        for line in lines {
            let fields = line.split(separator: "\t").map(String.init)
            let rows = fields[0] == "plain" ? plain.rows : adjusted.result.rows
            let row = try #require(rows.first { $0.feature == fields[1] })
            let mine = [row.logFC, row.low, row.high, row.t, row.p, row.adjustedP, row.b]
            for (value, text) in zip(mine, fields.dropFirst(2)) {
                let expected = try #require(Double(text))
                #expect(abs(value - expected) <= 1e-8 * abs(expected), "\(fields[0]) \(fields[1]): \(value) vs \(text)")
            }
            compared += 1
        }
        #expect(compared == 600)
    }

    @Test func covariatesThatCannotBeFittedAreErrorsAndNAIsMissing() throws {
        let data = try FeatureMatrix(
            url: Fixture.url("stats/mirna-300x40.tsv"), displayPath: "mirna-300x40.tsv", labelColumn: "group")
        let groups = try TwoGroups(data, case: "tumour", control: "healthy")
        let constant = [Double](repeating: 50, count: data.samples.count)
        #expect(
            MarkerROCTests.messages {
                _ = try DifferentialExpression.analyze(data, groups: groups, covariates: [.numeric("age", constant)])
            } == [
                "mirna-300x40.tsv: error: covariate 'age' has one value across the compared samples; it cannot be fitted\n  hint: leave it out of --covariates"
            ])
        let sameAsGroup = data.labels.map { $0 == "tumour" ? "smoker" : "never" }
        #expect(
            MarkerROCTests.messages {
                _ = try DifferentialExpression.analyze(
                    data, groups: groups, covariates: [.categorical("smoking", sameAsGroup)])
            }.first?.contains("has no unique fit on the 40 compared samples") == true)
        // "NA" is a missing label, not a level: those samples are left out.
        let batch = data.samples.indices.map { $0 < 4 ? "NA" : "b\($0 % 2)" }
        let fit = try #require(
            try DifferentialExpression.analyze(data, groups: groups, covariates: [.categorical("batch", batch)]))
        #expect(fit.leftOut == 4)
    }
}
