import ExoStats
import ExoTestSupport
import Foundation
import Testing

/// Kaplan–Meier, log-rank and Cox against R's survival 3.5.3 on its `lung` data
/// (Tests/Fixtures/stats/lung.survival.tsv, made by
/// `Rscript bench/stats/survival_reference.R Tests/Fixtures/stats/lung.tsv`).
struct SurvivalTests {
    static func lung() throws -> [[Double]] {
        try String(contentsOf: Fixture.url("stats/lung.tsv"), encoding: .utf8).split(separator: "\n").dropFirst()
            .map { $0.split(separator: "\t").map { Double($0) ?? .nan } }
    }

    static func reference() throws -> [[String]] {
        try String(contentsOf: Fixture.url("stats/lung.survival.tsv"), encoding: .utf8).split(separator: "\n")
            .filter { !$0.hasPrefix("#") }.map { $0.split(separator: "\t").map(String.init) }
    }

    static func close(
        _ value: Double, _ text: String, _ label: String, tolerance: Double = 1e-9,
        sourceLocation: SourceLocation = #_sourceLocation
    ) {
        guard let expected = Double(text) else {
            Issue.record("\(label): no number in \(text)", sourceLocation: sourceLocation)
            return
        }
        #expect(
            abs(value - expected) <= tolerance * max(1, abs(expected)), "\(label): \(value) vs R \(expected)",
            sourceLocation: sourceLocation)
    }

    @Test func kaplanMeierAndLogRankMatchSurvival() throws {
        let rows = try Self.lung()
        let bySex = [1.0, 2.0].map { sex in
            rows.filter { $0[3] == sex }.map { Survival.Observation(time: $0[0], event: $0[1] == 2) }
        }
        let reference = try Self.reference()
        for (group, sex) in ["1", "2"].enumerated() {
            let steps = Survival.kaplanMeier(bySex[group])
            let expected = reference.filter { $0[0] == "km" && $0[1] == sex }
            #expect(steps.count == expected.count)
            for (step, row) in zip(steps, expected) {
                let label = "sex \(sex) t=\(row[2])"
                Self.close(step.time, row[2], label)
                #expect(String(step.atRisk) == row[3] && String(step.events) == row[4], "\(label) counts")
                Self.close(step.survival, row[5], "\(label) S")
                Self.close(step.logStandardError, row[6], "\(label) se")
                Self.close(step.low, row[7], "\(label) low")
                Self.close(step.high, row[8], "\(label) high")
            }
        }
        let test = try #require(Survival.logRank(bySex))
        #expect(test.degreesOfFreedom == 1)
        Self.close(test.chiSquare, try #require(reference.first { $0[0] == "logrank" && $0[1] == "chisq" })[2], "χ²")
        Self.close(test.p, try #require(reference.first { $0[0] == "logrank" && $0[1] == "p" })[2], "p")
    }

    /// coxph(Surv(time, status) ~ age + sex + ph.ecog), the one subject without ph.ecog left out (227 of 228).
    ///
    /// Compared to 1e-7: coxph stops when the log-likelihood changes by less than 1e-9 relative, so its own
    /// estimates are about 4e-9 from the maximum ExoScope converges to.
    @Test func coxModelMatchesCoxph() throws {
        let complete = try Self.lung().filter { !$0[4].isNaN }
        #expect(complete.count == 227)
        let fit = try #require(
            CoxModel.fit(
                complete.map { Survival.Observation(time: $0[0], event: $0[1] == 2) },
                covariates: complete.map { [$0[2], $0[3], $0[4]] }))
        let reference = try Self.reference().filter { $0[0] == "cox" }
        for (index, name) in ["age", "sex", "ph.ecog"].enumerated() {
            let row = try #require(reference.first { $0[1] == name })
            Self.close(fit.coefficients[index], row[2], "\(name) coef", tolerance: 1e-7)
            Self.close(fit.standardErrors[index], row[3], "\(name) se", tolerance: 1e-7)
            Self.close(fit.z[index], row[4], "\(name) z", tolerance: 1e-7)
            Self.close(fit.p[index], row[5], "\(name) p", tolerance: 1e-7)
        }
        let loglik = try #require(reference.first { $0[1] == "loglik" })
        Self.close(fit.initialLogLikelihood, loglik[2], "loglik(0)", tolerance: 1e-7)
        Self.close(fit.logLikelihood, loglik[3], "loglik", tolerance: 1e-7)
    }
}
