import ExoDiagnosis
import ExoFormats
import ExoQuant
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

/// limma's voom after edgeR's TMM on real small-RNA-seq.
///
/// `voom(calcNormFactors(DGEList(x)), design)` on GEO GSE122488's serum-EV small-RNA-seq: the 16 controls and
/// 12 glioblastomas, all 1,939 miRNAs as published (CPM values), design ~ group with control the reference level. ExoScope's TMM factors (ExoQuant) give the effective library sizes
/// lib.size × norm.factors that `DifferentialExpression.voom` takes. The reference,
/// Tests/Fixtures/normalization/GSE122488.voom-tmm.tsv, holds the norm factors, the log-CPM and weights of every
/// 25th miRNA, the prior and their moderated table, made by
/// `Rscript bench/stats/count_normalization_reference.R voom ../shared/data/exosomal_mirna_case_control/GSE122488_smallRNAseq_serum_EV`
/// (edgeR 3.40.2, limma 3.54.1, R 4.2.2). The data are read from `../shared/data`; the test is skipped without it.
///
/// Measured against the same command run on all 1,939 miRNAs: norm factors, library sizes and log-CPM identical to
/// the last bit, weights within 1.3 · 10⁻¹³ relative, the prior within 5 · 10⁻¹⁴, the table within 4 · 10⁻¹³ absolute
/// (4 · 10⁻¹¹ relative, on logFC and t near 0). The tolerances below leave a margin of about 100.
struct VoomWithTMMTests {
    static let folder = "exosomal_mirna_case_control/GSE122488_smallRNAseq_serum_EV"

    /// The controls and glioblastomas of GSE122488 as a labelled matrix, in file order.
    static func matrix() throws -> FeatureMatrix {
        let base = try #require(Fixture.sharedData).appendingPathComponent(folder)
        let expression = try String(
            contentsOf: base.appendingPathComponent("GSE122488_expression_cpm.csv"), encoding: .utf8)
        let samples = try String(contentsOf: base.appendingPathComponent("GSE122488_samples.csv"), encoding: .utf8)
        var groupBySample: [String: String] = [:]
        for line in samples.split(whereSeparator: \.isNewline).dropFirst() {
            let fields = line.split(separator: ",").map(String.init)
            groupBySample[fields[0]] = fields[1]
        }
        let lines = expression.split(whereSeparator: \.isNewline)
        let header = try #require(lines.first).split(separator: ",").dropFirst().map(String.init)
        let kept = header.indices.filter { ["control", "glioblastoma"].contains(groupBySample[header[$0]]) }
        var features: [String] = []
        var values: [[Double]] = []
        for line in lines.dropFirst() {
            let fields = line.split(separator: ",", omittingEmptySubsequences: false)
            features.append(String(fields[0]))
            values.append(try kept.map { try #require(Double(fields[$0 + 1])) })
        }
        return FeatureMatrix(
            path: "GSE122488_expression_cpm.csv", samples: kept.map { header[$0] },
            labels: try kept.map { try #require(groupBySample[header[$0]]) }, labelColumn: "group",
            features: features, values: values)
    }

    @Test(.enabled(if: Fixture.sharedData != nil, "../shared/data (GEO GSE122488) is absent in this checkout"))
    func voomAfterTMMMatchesLimmaOnGSE122488() throws {
        let rows = try Fixture.referenceRows("normalization/GSE122488.voom-tmm.tsv")
        let numbers = { (kind: String, key: String) throws -> [Double] in
            try #require(Fixture.referenceNumbers(rows, kind, key))
        }
        let data = try Self.matrix()
        #expect(data.samples.count == 28 && data.features.count == 1939)
        let tmm = try CountNormalization.tmm(data.values)
        for (value, target) in zip(tmm.factors, try numbers("norm.factors", "")) {
            #expect(abs(value - target) <= 1e-12 * target, "norm factor \(value) vs edgeR \(target)")
        }
        let librarySizes = try CountNormalization.effectiveLibrarySizes(
            librarySizes: CountNormalization.librarySizes(data.values), normalizationFactors: tmm.factors)
        let groups = try TwoGroups(data, case: "glioblastoma", control: "control")
        let result = try #require(
            try DifferentialExpression.voom(data, groups: groups, covariates: [], librarySizes: librarySizes))
        for (value, target) in zip(result.voom.librarySizes, try numbers("lib.size", "")) {
            #expect(abs(value - target) <= 1e-12 * target, "effective library size")
        }
        var compared = 0
        for row in rows where row[0] == "weights" {
            let feature = try #require(data.features.firstIndex(of: row[1]))
            for (value, target) in zip(result.voom.weights[feature], try numbers("weights", row[1])) {
                #expect(abs(value - target) <= 1e-11 * target, "\(row[1]) weight \(value) vs limma \(target)")
            }
            for (value, target) in zip(result.voom.logCPM[feature], try numbers("logcpm", row[1])) {
                #expect(abs(value - target) <= 1e-12 * max(1, abs(target)), "\(row[1]) log-CPM")
            }
            compared += 1
        }
        #expect(compared == 78)
        let prior = try #require(rows.first { $0[0] == "prior" }).dropFirst().compactMap { Double($0) }
        let fitted = try #require(result.result.prior)
        #expect(abs(fitted.df / prior[0] - 1) < 1e-12 && abs(fitted.variance / prior[1] - 1) < 1e-12)
        var tabled = 0
        for row in rows where row[0] == "table" {
            let mine = try #require(result.result.rows.first { $0.feature == row[1] })
            let values = [
                mine.logFC, mine.low, mine.high, mine.averageExpression, mine.t, mine.p, mine.adjustedP, mine.b,
            ]
            for (value, text) in zip(values, row.dropFirst(2)) {
                let target = try #require(Double(text))
                #expect(
                    abs(value - target) <= 1e-9 * abs(target) + 1e-11, "\(row[1]): \(value) vs limma \(text)")
            }
            tabled += 1
        }
        #expect(tabled == 78)
    }
}
