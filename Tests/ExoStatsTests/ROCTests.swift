import ExoStats
import ExoTestSupport
import Foundation
import Testing

/// ROC, DeLong and Youden against pROC 1.18.0 on its aSAH data (Tests/Fixtures/stats/aSAH.pROC.tsv, made by
/// `Rscript bench/stats/asah_proc_reference.R Tests/Fixtures/stats/aSAH.csv`), to 1e-9.
struct ROCTests {
    static func data() throws -> (curves: [String: ROCCurve], reference: [String: Double]) {
        let csv = try String(contentsOf: Fixture.url("stats/aSAH.csv"), encoding: .utf8)
        let rows = csv.split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false) }
        let header = rows[0].map(String.init)
        let outcome = try #require(header.firstIndex(of: "outcome"))
        var curves: [String: ROCCurve] = [:]
        for marker in ["s100b", "ndka", "wfns"] {
            let column = try #require(header.firstIndex(of: marker))
            let cases = rows.dropFirst().filter { $0[outcome] == "Poor" }.compactMap { Double($0[column]) }
            let controls = rows.dropFirst().filter { $0[outcome] == "Good" }.compactMap { Double($0[column]) }
            #expect(ROCCurve.Direction.detected(cases: cases, controls: controls) == .higherInCases)
            curves[marker] = ROCCurve(cases: cases, controls: controls, direction: .higherInCases)
        }
        let tsv = try String(contentsOf: Fixture.url("stats/aSAH.pROC.tsv"), encoding: .utf8)
        var reference: [String: Double] = [:]
        for line in tsv.split(separator: "\n") where !line.hasPrefix("#") {
            let fields = line.split(separator: "\t")
            reference[String(fields[0])] = Double(fields[1])
        }
        return (curves, reference)
    }

    static func close(
        _ value: Double, _ key: String, _ reference: [String: Double], _ tolerance: Double = 1e-9,
        sourceLocation: SourceLocation = #_sourceLocation
    ) {
        guard let expected = reference[key] else {
            Issue.record("no reference value \(key)", sourceLocation: sourceLocation)
            return
        }
        #expect(
            abs(value - expected) <= tolerance, "\(key): \(value) vs pROC \(expected)", sourceLocation: sourceLocation)
    }

    @Test func aucVarianceIntervalAndYoudenMatchPROC() throws {
        let (curves, reference) = try Self.data()
        for (marker, curve) in curves {
            Self.close(curve.auc, "\(marker).auc", reference)
            Self.close(curve.variance, "\(marker).var", reference)
            let interval = curve.confidenceInterval()
            Self.close(interval.low, "\(marker).ci_low", reference)
            Self.close(interval.high, "\(marker).ci_high", reference)
            let best = curve.youden
            #expect(best.count == 1, "\(marker): one Youden optimum as pROC")
            Self.close(best[0].threshold, "\(marker).youden1.threshold", reference)
            Self.close(best[0].sensitivity, "\(marker).youden1.sensitivity", reference)
            Self.close(best[0].specificity, "\(marker).youden1.specificity", reference)
        }
    }

    @Test func pairedUnpairedAndJointDeLongTestsMatchPROC() throws {
        let (curves, reference) = try Self.data()
        for (first, second) in [("wfns", "s100b"), ("wfns", "ndka"), ("ndka", "s100b")] {
            let a = try #require(curves[first])
            let b = try #require(curves[second])
            let key = "\(first)-\(second)"
            Self.close(ROCComparison.covariance(a, b), "\(key).cov", reference)
            let paired = ROCComparison.paired(a, b)
            Self.close(paired.z, "\(key).paired_z", reference)
            Self.close(paired.p, "\(key).paired_p", reference)
            Self.close(paired.low, "\(key).paired_ci_low", reference)
            Self.close(paired.high, "\(key).paired_ci_high", reference)
            let unpaired = ROCComparison.unpaired(a, b)
            Self.close(unpaired.t, "\(key).unpaired_t", reference)
            Self.close(unpaired.degreesOfFreedom, "\(key).unpaired_df", reference)
            Self.close(unpaired.p, "\(key).unpaired_p", reference)
        }
        let three = ["s100b", "ndka", "wfns"].compactMap { curves[$0] }
        let joint = try #require(ROCComparison.equality(three))
        #expect(joint.degreesOfFreedom == 2)
        Self.close(joint.chiSquare, "s100b-ndka-wfns.chisq", reference)
        Self.close(joint.p, "s100b-ndka-wfns.p", reference)
    }

    /// Two curves both at AUC 1: pROC's paired test gives z 0, p 1 and the interval [0, 0], its unpaired test NaN.
    ///
    /// pROC warns with both. `y<-c(rep(1,5),rep(0,5)); r1<-roc(y,c(6:10,1:5),direction="<");`
    /// `r2<-roc(y,c(16:20,11:15),direction="<"); roc.test(r1,r2,method="delong")` and the same with
    /// `paired=FALSE` (pROC 1.18.0, R 4.2.2).
    @Test func twoPerfectCurvesGivePROCsZeroNotNaN() throws {
        let a = try #require(ROCCurve(cases: [6, 7, 8, 9, 10], controls: [1, 2, 3, 4, 5], direction: .higherInCases))
        let b = try #require(
            ROCCurve(cases: [16, 17, 18, 19, 20], controls: [11, 12, 13, 14, 15], direction: .higherInCases))
        #expect(ROCComparison.bothPerfect(a, b))
        let paired = ROCComparison.paired(a, b)
        #expect(paired.z == 0 && paired.p == 1 && paired.low == 0 && paired.high == 0)
        let unpaired = ROCComparison.unpaired(a, b)
        #expect(unpaired.t.isNaN && unpaired.degreesOfFreedom.isNaN && unpaired.p.isNaN)
    }

    /// A marker lower in cases: the AUC is computed on the cases' side, never flipped to above 0.5 silently.
    @Test func directionIsFixedNotRechosen() throws {
        let cases = [1.0, 2, 3]
        let controls = [4.0, 5, 6, 2]
        #expect(ROCCurve.Direction.detected(cases: cases, controls: controls) == .lowerInCases)
        let lower = try #require(ROCCurve(cases: cases, controls: controls, direction: .lowerInCases))
        let higher = try #require(ROCCurve(cases: cases, controls: controls, direction: .higherInCases))
        #expect(abs(lower.auc + higher.auc - 1) < 1e-15)
        #expect(abs(lower.auc - 10.5 / 12) < 1e-15)  // 10 wins and one tie (2 vs 2) of 12 pairs
        #expect(ROCCurve(cases: [], controls: controls, direction: .higherInCases) == nil)
        #expect(ROCCurve(cases: [1, .nan], controls: controls, direction: .higherInCases) == nil)
    }
}

/// Partial AUC, weighted and fixed-rate thresholds, accuracy with Wilson intervals and the stratified bootstrap
/// interval against pROC 1.18.0 and R's prop.test (same fixture and script).
struct ROCThresholdTests {
    @Test func partialAUCMatchesPROC() throws {
        let (curves, reference) = try ROCTests.data()
        for (marker, curve) in curves {
            ROCTests.close(curve.partialAUC(0.9...1), "\(marker).pauc_sp90", reference)
            ROCTests.close(curve.partialAUC(0.8...1, corrected: true), "\(marker).pauc_sp80_corrected", reference)
            ROCTests.close(curve.partialAUC(0.9...1, focus: .sensitivity), "\(marker).pauc_se90", reference)
            ROCTests.close(
                curve.partialAUC(0.8...1, focus: .sensitivity, corrected: true), "\(marker).pauc_se80_corrected",
                reference)
            #expect(abs(curve.partialAUC(0...1) - curve.auc) < 1e-12, "the whole range is the AUC")
            // The same marker negated, with cases lower: the same curve and the same areas.
            let mirrored = try #require(
                ROCCurve(cases: curve.cases.map { -$0 }, controls: curve.controls.map { -$0 }, direction: .lowerInCases)
            )
            for focus in ROCCurve.PartialFocus.allCases {
                #expect(
                    abs(mirrored.partialAUC(0.8...1, focus: focus) - curve.partialAUC(0.8...1, focus: focus)) < 1e-12)
            }
        }
    }

    @Test func accuracyWhereNobodyIsCalledPositiveHasEmptyPredictiveValuesNotACrash() throws {
        let curve = try #require(ROCCurve(cases: [3, 4, 5], controls: [1, 2, 3], direction: .higherInCases))
        let none = curve.accuracy(at: 10)
        #expect(none.truePositives == 0 && none.falsePositives == 0)
        #expect(none.ppv.isNaN && none.ppvLow.isNaN && none.sensitivity == 0 && none.specificity == 1)
        let screening = curve.accuracy(at: 10, prevalence: 0.1)
        #expect(screening.ppv.isNaN && screening.npv > 0.8)
        #expect(curve.accuracy(at: .nan).truePositives == 0)
    }

    @Test func weightedBestAndFixedRateThresholdsMatchPROC() throws {
        let (curves, reference) = try ROCTests.data()
        for (marker, curve) in curves {
            let topLeft = curve.best(.closestTopLeft, cost: 2, prevalence: 0.3)
            #expect(Double(topLeft.count) == reference["\(marker).topleft.count"])
            ROCTests.close(try #require(topLeft.first).threshold, "\(marker).topleft.threshold", reference)
            ROCTests.close(
                try #require(curve.best(.youden, cost: 2, prevalence: 0.3).first).threshold,
                "\(marker).weighted_youden.threshold", reference)
            let sensitive = try #require(curve.operatingPoint(sensitivityAtLeast: 0.9))
            ROCTests.close(sensitive.threshold, "\(marker).sens90.threshold", reference)
            ROCTests.close(sensitive.specificity, "\(marker).sens90.specificity", reference)
            let specific = try #require(curve.operatingPoint(specificityAtLeast: 0.9))
            ROCTests.close(specific.threshold, "\(marker).spec90.threshold", reference)
            ROCTests.close(specific.sensitivity, "\(marker).spec90.sensitivity", reference)
        }
    }

    @Test func accuracyIntervalsAreRsWilsonScoreIntervals() throws {
        let (curves, reference) = try ROCTests.data()
        let curve = try #require(curves["s100b"])
        let threshold = try #require(curve.youden.first).threshold
        let accuracy = curve.accuracy(at: threshold)
        #expect(accuracy.truePositives + accuracy.falseNegatives == 41)
        for (key, low, high) in [
            ("sens", accuracy.sensitivityLow, accuracy.sensitivityHigh),
            ("spec", accuracy.specificityLow, accuracy.specificityHigh), ("ppv", accuracy.ppvLow, accuracy.ppvHigh),
            ("npv", accuracy.npvLow, accuracy.npvHigh),
        ] {
            ROCTests.close(low, "s100b.accuracy.\(key)_low", reference, 1e-12)
            ROCTests.close(high, "s100b.accuracy.\(key)_high", reference, 1e-12)
        }
        // At a stated prevalence the predictive values follow Bayes' rule from sensitivity and specificity.
        let screening = curve.accuracy(at: threshold, prevalence: 0.05)
        let se = accuracy.sensitivity
        let sp = accuracy.specificity
        #expect(abs(screening.ppv - se * 0.05 / (se * 0.05 + (1 - sp) * 0.95)) < 1e-15)
        #expect(screening.ppvLow <= screening.ppv && screening.ppv <= screening.ppvHigh)
    }

    @Test func stratifiedBootstrapIntervalIsReproducibleAndAgreesWithPROCsToItsMonteCarloError() throws {
        let (curves, reference) = try ROCTests.data()
        for (marker, curve) in curves {
            let interval = curve.bootstrapInterval(replicates: 2000, seed: 1)
            #expect(interval == curve.bootstrapInterval(replicates: 2000, seed: 1))
            // Different generators: the percentiles of 2,000 resamples differ by Monte Carlo error (about 0.01).
            ROCTests.close(interval.low, "\(marker).boot_low", reference, 0.015)
            ROCTests.close(interval.high, "\(marker).boot_high", reference, 0.015)
        }
    }
}
