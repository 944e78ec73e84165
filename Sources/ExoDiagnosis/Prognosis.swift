public import ExoCore
public import ExoFormats
public import ExoStats
import Foundation

/// Prognosis by one marker: Kaplan–Meier curves of the samples above and at or below the marker's median with
/// the log-rank test, and a Cox model of the marker (continuous) with covariates.
///
/// Follow-up comes from two columns: the time and the event, coded 1 = event and 0 = censored, or, as R's
/// `Surv` reads a 1/2 column, 2 = event and 1 = censored. A sample without a time, event or marker value is left
/// out of both; one without a covariate, out of the Cox model only. Both counts are reported.
public enum Prognosis {
    /// The result.
    public struct Result: Sendable {
        public var feature: String
        public var median: Double
        /// Kaplan–Meier of the low (≤ median) and high (> median) group.
        public var low: [Survival.Step]
        public var high: [Survival.Step]
        public var lowCount: Int
        public var highCount: Int
        public var logRankChiSquare: Double?
        public var logRankP: Double?
        /// The Cox model: the marker first, then the covariates.
        public var terms: [String]
        public var cox: CoxModel.Fit?
        public var coxSamples: Int
        /// Samples left out of the Kaplan–Meier curves for a missing time, event or marker value.
        public var leftOut: Int

        /// What R's `coxph` warns about (or shows as `NA`), one sentence each, naming the term: a Cox model that
        /// could not be fitted, a term dropped as constant or collinear, a coefficient that may be infinite, a
        /// fit out of iterations.
        public var coxWarnings: [String] {
            guard let cox else {
                return [
                    "the Cox model could not be fitted (its information matrix is singular at the estimate); no hazard ratio is given"
                ]
            }
            var warnings: [String] = []
            for (index, term) in terms.enumerated() {
                if cox.dropped[index] {
                    warnings.append(
                        "Cox term \(InputError.quoted(term)) is constant or a linear combination of the terms before it and was left out (R's coxph shows NA)"
                    )
                } else if cox.possiblyInfinite[index] {
                    warnings.append(
                        "Cox term \(InputError.quoted(term)): the likelihood converged before its coefficient did, which may be infinite (the term separates events from censoring; R's coxph warns the same); its hazard ratio and p mean nothing"
                    )
                }
            }
            if !cox.converged {
                warnings.append(
                    "the Cox model ran out of iterations (\(CoxModel.maximumIterations)) and did not converge; its estimates are not reliable"
                )
            }
            return warnings
        }
    }

    /// Analyses `feature` with the follow-up columns `time` and `event` and the `covariates`, all numeric
    /// columns of the matrix.
    ///
    /// - Throws: `InputErrorList`: a named column that is absent (with the nearest name), an event column with
    ///   other values than 0/1 or 1/2 (the first such line), or fewer than two samples with an event.
    public static func analyze(
        _ matrix: FeatureMatrix, feature: String, time: String, event: String, covariates: [String] = []
    ) throws(InputErrorList) -> Result {
        var errors: [InputError] = []
        var columns: [String: [Double]] = [:]
        for name in [feature, time, event] + covariates {
            if let index = matrix.features.firstIndex(of: name) {
                columns[name] = matrix.values[index]
            } else {
                errors.append(
                    InputError(
                        .missingColumn, at: InputLocation(path: matrix.path, line: 1),
                        "no numeric column \(InputError.quoted(name))",
                        hint: EditDistance.didYouMean(name, in: matrix.features)))
            }
        }
        guard errors.isEmpty, let marker = columns[feature], let times = columns[time], let codes = columns[event]
        else { throw InputErrorList(errors) }
        let present = Set(codes.filter { !$0.isNaN })
        let eventCode: Double = present.contains(2) ? 2 : 1
        if !(present.isSubset(of: [0, 1]) || present.isSubset(of: [1, 2])) {
            // The first value outside 0/1/2, else the first 2 of a column that also has 0.
            let bad =
                codes.indices.first { !codes[$0].isNaN && ![0, 1, 2].contains(codes[$0]) }
                ?? codes.indices.first { codes[$0] == 2 } ?? 0
            throw InputErrorList([
                InputError(
                    .invalidValue, at: InputLocation(path: matrix.path, line: matrix.lines[bad]),
                    "column \(InputError.quoted(event)) must code events as 1 and censoring as 0 (or 2 and 1, as R's Surv reads them); this row does not fit",
                    hint: "1 = died or progressed, 0 = censored at the last follow-up")
            ])
        }
        let usable = matrix.samples.indices.filter { !marker[$0].isNaN && !times[$0].isNaN && !codes[$0].isNaN }
        let observations = usable.map { Survival.Observation(time: times[$0], event: codes[$0] == eventCode) }
        guard observations.filter(\.event).count >= 2 else {
            throw InputErrorList([
                InputError(
                    .invalidValue, at: InputLocation(path: matrix.path),
                    "\(observations.filter(\.event).count) samples with follow-up have an event; survival analysis needs at least 2"
                )
            ])
        }
        let median = Descriptive.median(usable.map { marker[$0] }) ?? .nan
        let isHigh = usable.map { marker[$0] > median }
        let high = zip(observations, isHigh).filter { $0.1 }.map(\.0)
        let low = zip(observations, isHigh).filter { !$0.1 }.map(\.0)
        let logRank = Survival.logRank([low, high])
        let coxRows = usable.filter { row in covariates.allSatisfy { !(columns[$0]?[row].isNaN ?? true) } }
        let design = coxRows.map { row in [marker[row]] + covariates.map { columns[$0]?[row] ?? .nan } }
        let cox = CoxModel.fit(
            coxRows.map { Survival.Observation(time: times[$0], event: codes[$0] == eventCode) }, covariates: design)
        return Result(
            feature: feature, median: median, low: Survival.kaplanMeier(low), high: Survival.kaplanMeier(high),
            lowCount: low.count, highCount: high.count, logRankChiSquare: logRank?.chiSquare, logRankP: logRank?.p,
            terms: [feature] + covariates, cox: cox, coxSamples: coxRows.count,
            leftOut: matrix.samples.count - usable.count)
    }
}
