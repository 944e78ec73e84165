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

    /// lung.tsv with extra columns after the others, each computed from the row (0-based index) and its values.
    static func lung(adding columns: [String: (Int, [String]) -> String], rows: Int? = nil) throws -> FeatureMatrix {
        let text = try String(contentsOf: Fixture.url("stats/lung.tsv"), encoding: .utf8)
        let names = columns.keys.sorted()
        let lines = text.split(separator: "\n").prefix((rows ?? .max - 1) + 1).enumerated().map { index, line in
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            let extra = names.map { index == 0 ? $0 : columns[$0]?(index - 1, fields) ?? "" }
            return ([index == 0 ? "sample" : "P\(index)"] + fields + extra).joined(separator: "\t")
        }
        return try MarkerROCTests.matrix(lines.joined(separator: "\n") + "\n", name: "lung.tsv", label: nil)
    }

    /// A constant covariate is dropped as R's coxph drops it (coefficient NA, the others unchanged) and said:
    /// `d <- read.delim("Tests/Fixtures/stats/lung.tsv"); d$const <- 5;`
    /// `f <- coxph(Surv(time, status) ~ age + const + sex, data = d); sprintf("%.17g", c(coef(f), sqrt(diag(vcov(f)))))`
    /// (survival 3.5.3, R 4.2.2).
    @Test func aConstantCovariateIsDroppedWithAWarning() throws {
        let data = try Self.lung(adding: ["const": { _, _ in "5" }])
        let result = try Prognosis.analyze(
            data, feature: "age", time: "time", event: "status", covariates: ["const", "sex"])
        let cox = try #require(result.cox)
        #expect(cox.dropped == [false, true, false] && cox.converged && cox.possiblyInfinite == [false, false, false])
        #expect(cox.coefficients[1].isNaN && cox.p[1].isNaN)
        #expect(abs(cox.coefficients[0] - 0.017045331845411297) < 1e-7)
        #expect(abs(cox.coefficients[2] - -0.5132185171083844) < 1e-7)
        #expect(abs(cox.standardErrors[0] - 0.009223273476969121) < 1e-7)
        #expect(abs(cox.standardErrors[2] - 0.16745796235576815) < 1e-7)
        #expect(result.coxWarnings.count == 1 && result.coxWarnings[0].hasPrefix("Cox term 'const' is constant"))
        // A covariate that is a linear function of the marker is dropped the same way.
        let twice = try Self.lung(adding: ["age2": { _, fields in String(2 * (Double(fields[2]) ?? .nan) + 1) }])
        let collinear = try #require(
            try Prognosis.analyze(twice, feature: "age", time: "time", event: "status", covariates: ["sex", "age2"]).cox
        )
        #expect(collinear.dropped == [false, false, true])
        #expect(abs(collinear.coefficients[0] - 0.017045331845411297) < 1e-7)
    }

    /// A covariate that separates events from censoring: R's coxph warns "Loglik converged before variable 2;
    /// coefficient may be infinite" (`d2 <- d[1:40, ]; d2$sep <- ifelse(d2$status == 2, 1, 0);`
    /// `coxph(Surv(time, status) ~ age + sep, data = d2)`, survival 3.5.3); so does ExoScope, naming the term.
    @Test func aSeparatingCovariateIsFlaggedAsPossiblyInfinite() throws {
        let data = try Self.lung(adding: ["sep": { _, fields in fields[1] == "2" ? "1" : "0" }], rows: 40)
        let result = try Prognosis.analyze(data, feature: "age", time: "time", event: "status", covariates: ["sep"])
        let cox = try #require(result.cox)
        #expect(cox.possiblyInfinite == [false, true] && cox.dropped == [false, false])
        #expect(cox.coefficients[1] > 15 && cox.standardErrors[1].isNaN)
        // The other term is R's: `sprintf("%.17g", c(coef(f)[1], sqrt(vcov(f)[1, 1])))` gives
        // 0.0031977702506518716 0.025748979224948277.
        #expect(abs(cox.coefficients[0] - 0.0031977702506518716) < 1e-7)
        #expect(abs(cox.standardErrors[0] - 0.025748979224948277) < 1e-6)
        #expect(
            result.coxWarnings.count == 1 && result.coxWarnings[0].hasPrefix("Cox term 'sep': the likelihood converged")
        )
        // Without it, nothing to warn about.
        let plain = try Prognosis.analyze(try Self.lung(), feature: "age", time: "time", event: "status")
        #expect(plain.coxWarnings.isEmpty)
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
