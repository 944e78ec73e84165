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

    static func close(_ value: Double, _ key: String, _ reference: [String: Double], _ tolerance: Double = 1e-9) {
        guard let expected = reference[key] else {
            Issue.record("no reference value \(key)")
            return
        }
        #expect(abs(value - expected) <= tolerance, "\(key): \(value) vs pROC \(expected)")
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
