import ExoCore
import ExoDiagnosis
import ExoFormats
import ExoStats
import ExoTestSupport
import Foundation
import Testing

/// `exoscope stats survival`: R's survival on its lung data (Tests/Fixtures/stats/lung.survival.tsv, from
/// `Rscript bench/stats/survival_reference.R Tests/Fixtures/stats/lung.tsv`), age as the marker.
struct PrognosisTests {
    /// lung.tsv with a sample column in front, as `stats survival` reads matrices.
    static func lung() throws -> FeatureMatrix {
        let text = try String(contentsOf: Fixture.url("stats/lung.tsv"), encoding: .utf8)
        let rows = text.split(separator: "\n").enumerated().map { index, line in
            (index == 0 ? "sample" : "P\(index)") + "\t" + line
        }
        return try MarkerROCTests.matrix(rows.joined(separator: "\n") + "\n", name: "lung.tsv", label: nil)
    }

    @Test func medianSplitLogRankAndCoxWithCovariatesMatchSurvival() throws {
        let reference = try String(contentsOf: Fixture.url("stats/lung.survival.tsv"), encoding: .utf8)
            .split(separator: "\n").map { $0.split(separator: "\t").map(String.init) }
        func value(_ key: String, _ field: String, column: Int = 2) -> Double {
            reference.first { $0.count > column && $0[0] == key && $0[1] == field }.flatMap { Double($0[column]) }
                ?? .nan
        }
        let result = try Prognosis.analyze(
            try Self.lung(), feature: "age", time: "time", event: "status", covariates: ["sex", "ph.ecog"])
        #expect(result.lowCount + result.highCount == 228 && result.leftOut == 0)
        let chiSquare = try #require(result.logRankChiSquare)
        let p = try #require(result.logRankP)
        #expect(abs(chiSquare - value("marker_logrank", "chisq")) < 1e-9)
        #expect(abs(p - value("marker_logrank", "p")) < 1e-9)
        let cox = try #require(result.cox)
        #expect(result.coxSamples == 227)
        for (index, term) in ["age", "sex", "ph.ecog"].enumerated() {
            #expect(abs(cox.coefficients[index] - value("cox", term)) < 1e-7)
            #expect(abs(cox.standardErrors[index] - value("cox", term, column: 3)) < 1e-7)
        }
    }

    @Test func eventCodesAndColumnsAreChecked() throws {
        let text = "sample\tt\te\tm\nA\t5\t1\t2\nB\t6\t0\t3\nC\t7\t3\t1\n"
        let data = try MarkerROCTests.matrix(text, name: "f.tsv", label: nil)
        #expect(
            MarkerROCTests.messages { _ = try Prognosis.analyze(data, feature: "m", time: "t", event: "e") } == [
                "f.tsv:4: error: column 'e' must code events as 1 and censoring as 0 (or 2 and 1, as R's Surv reads them); this row does not fit\n  hint: 1 = died or progressed, 0 = censored at the last follow-up"
            ])
        #expect(
            MarkerROCTests.messages { _ = try Prognosis.analyze(data, feature: "mm", time: "t", event: "e") } == [
                "f.tsv:1: error: no numeric column 'mm'\n  hint: did you mean 'm'?"
            ])
    }
}
