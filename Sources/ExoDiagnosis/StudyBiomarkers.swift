import ExoCore
public import ExoFormats
import ExoStats
import Foundation

/// The biomarker analysis of a study's case–control arm: every miRNA's differential expression and ROC, a
/// cross-validated panel, and the association with stage and metastasis among the cases.
///
/// A pure function of the expression matrix, the clinical labels and the seed; the result is `Codable` so
/// the pipeline stores it with its provenance and the report draws it without recomputing.
public struct StudyBiomarkers: Codable, Sendable, Hashable {
    /// One miRNA's differential expression and discrimination.
    public struct Marker: Codable, Sendable, Hashable {
        public var feature: String
        public var logFC: Double?
        public var averageExpression: Double?
        public var t: Double?
        public var p: Double?
        public var adjustedP: Double?
        public var auc: Double?
        public var aucLow: Double?
        public var aucHigh: Double?
        public var direction: String
        public var cases: Int
        public var controls: Int
        /// Among cases: stage III–IV against I–II (Mann–Whitney, BH over miRNAs), the trend over I–IV
        /// (Jonckheere–Terpstra z and p), and distant metastasis against none.
        public var lateVersusEarlyP: Double?
        public var lateVersusEarlyAdjustedP: Double?
        public var stageTrendZ: Double?
        public var stageTrendP: Double?
        public var metastasisP: Double?
        /// Among cases with follow-up: the log-rank p of above against at or below the median, and the Cox
        /// hazard ratio per unit of expression adjusted for late stage, with its 95 % interval and p.
        public var survivalLogRankP: Double?
        public var hazardRatio: Double?
        public var hazardRatioLow: Double?
        public var hazardRatioHigh: Double?
        public var hazardRatioP: Double?
    }

    /// Kaplan–Meier curves of the cases above and at or below a marker's median.
    public struct SurvivalCurves: Codable, Sendable, Hashable {
        public var feature: String
        /// (time, survival) steps of the low and the high group, starting at (0, 1).
        public var low: [[Double]]
        public var high: [[Double]]
        public var lowCount: Int
        public var highCount: Int
        public var logRankP: Double
        /// Each group's follow-up, (months, 1 for an event or 0 when censored) in time order, for the censor marks
        /// and the numbers at risk (absent in results stored before they were kept).
        public var lowFollowUp: [[Double]]?
        public var highFollowUp: [[Double]]?
    }

    /// An ROC curve with its bootstrap band, for plotting.
    public struct Curve: Codable, Sendable, Hashable {
        public var feature: String
        public var auc: Double
        public var aucLow: Double
        public var aucHigh: Double
        /// Operating points, as (1 − specificity, sensitivity).
        public var points: [[Double]]
        /// (specificity, sensitivity low, sensitivity high).
        public var band: [[Double]]
    }

    /// One bin of the calibration plot.
    public struct CalibrationBin: Codable, Sendable, Hashable {
        public var predicted: Double
        public var observed: Double
        public var low: Double
        public var high: Double
        public var count: Int
    }

    /// The panel and its honest validation.
    public struct Panel: Codable, Sendable, Hashable {
        public var alpha: Double
        public var lambda: Double
        public var intercept: Double
        public var members: [DiagnosticPanel.Member]
        public var validation: DiagnosticPanel.Validation?
        public var calibration: [CalibrationBin]
    }

    /// Values of a marker by clinical group, for box plots.
    public struct StageValues: Codable, Sendable, Hashable {
        public var feature: String
        /// Group label (control label, then stages) and its values.
        public var groups: [String]
        public var values: [[Double]]
    }

    public var caseLabel: String
    public var controlLabel: String
    public var cases: Int
    public var controls: Int
    /// d₀ and s₀² of the moderated t.
    public var priorDF: Double?
    public var priorVariance: Double?
    public var markers: [Marker]
    public var curves: [Curve]
    public var panel: Panel?
    public var stageValues: [StageValues]
    /// The survival curves of the marker with the smallest log-rank p, when the cases have follow-up.
    public var survival: SurvivalCurves?
    /// Whether the hazard ratios are adjusted for stage III–IV (every case with follow-up has a stage).
    public var survivalAdjustedForStage: Bool?
    /// What was left out or could not be computed, and why.
    public var notes: [String]
    public var seed: UInt64

    /// Analyses a case–control matrix of log-scale expression (higher = more).
    ///
    /// `stages` gives each sample's stage group 1–4 (nil for controls and unknown), `metastasis` its distant
    /// metastasis (nil when unknown). A panel that cannot be fitted (too few complete samples for the folds) is
    /// left out with a note rather than failing the analysis. `differentialExpression`, when given, replaces the
    /// moderated t computed from `matrix` (voom's precision-weighted fit for read counts, whose `matrix` is then
    /// voom's log-CPM); its rows must follow `matrix.features`.
    public static func analyze(
        _ matrix: FeatureMatrix, groups: TwoGroups, stages: [Int?], metastasis: [Bool?],
        followUp: [(months: Double, event: Bool)?] = [], seed: UInt64, panelOptions: DiagnosticPanel.Options? = nil,
        differentialExpression: DifferentialExpression.Result? = nil
    ) -> StudyBiomarkers {
        var notes: [String] = []
        let expression =
            differentialExpression ?? DifferentialExpression.analyze(matrix, groups: groups, method: .moderated)
        let rocs = MarkerROC.analyze(matrix, groups: groups, direction: .auto)
        var markers = matrix.features.indices.map { index in
            let de = expression?.rows[index]
            let roc = rocs[index]
            let finite = { (value: Double?) in value.flatMap { $0.isFinite ? $0 : nil } }
            return Marker(
                feature: matrix.features[index], logFC: finite(de?.logFC),
                averageExpression: finite(de?.averageExpression),
                t: finite(de?.t), p: finite(de?.p), adjustedP: finite(de?.adjustedP), auc: roc.auc, aucLow: roc.low,
                aucHigh: roc.high, direction: roc.direction.rawValue, cases: roc.cases, controls: roc.controls)
        }
        // Stage and metastasis among the cases.
        let caseRows = groups.cases
        for index in markers.indices {
            let values = matrix.values[index]
            var byStage = [[Double]](repeating: [], count: 4)
            var withMetastasis: [Double] = []
            var withoutMetastasis: [Double] = []
            for row in caseRows where !values[row].isNaN {
                if let stage = stages[row], (1...4).contains(stage) { byStage[stage - 1].append(values[row]) }
                if let distant = metastasis[row] {
                    if distant { withMetastasis.append(values[row]) } else { withoutMetastasis.append(values[row]) }
                }
            }
            let early = byStage[0] + byStage[1]
            let late = byStage[2] + byStage[3]
            if early.count >= 2, late.count >= 2 {
                markers[index].lateVersusEarlyP = TwoSampleTests.mannWhitney(late, early)?.p
            }
            if let trend = RankTests.jonckheereTerpstra(byStage) {
                markers[index].stageTrendZ = trend.z
                markers[index].stageTrendP = trend.p
            }
            if withMetastasis.count >= 2, withoutMetastasis.count >= 2 {
                markers[index].metastasisP = TwoSampleTests.mannWhitney(withMetastasis, withoutMetastasis)?.p
            }
        }
        var survival: SurvivalCurves?
        var adjustedForStage: Bool?
        if followUp.contains(where: { $0 != nil }) {
            adjustedForStage = caseRows.filter { followUp[$0] != nil }.allSatisfy { stages[$0] != nil }
            if adjustedForStage == false {
                notes.append("hazard ratios not adjusted for stage: some cases with follow-up lack a stage")
            }
            survival = prognosis(matrix, cases: caseRows, stages: stages, followUp: followUp, markers: &markers)
            if survival == nil { notes.append("follow-up present but too few events for survival analysis") }
        }
        let adjusted = MultipleTesting.benjaminiHochberg(markers.map { $0.lateVersusEarlyP ?? .nan })
        for index in markers.indices where markers[index].lateVersusEarlyP != nil {
            markers[index].lateVersusEarlyAdjustedP = adjusted[index]
        }
        if stages.allSatisfy({ $0 == nil }) { notes.append("no stages in the sample sheet: no stage association") }
        // ROC curves with bands for the three markers with the largest AUC.
        let top = markers.indices.filter { markers[$0].auc != nil }
            .sorted { (markers[$0].auc ?? 0, markers[$1].feature) > (markers[$1].auc ?? 0, markers[$0].feature) }
            .prefix(3)
        let specificities = stride(from: 0.0, through: 1.0, by: 0.05).map { $0 }
        let curves = top.compactMap { index -> Curve? in
            let (cases, controls) = groups.present(matrix.values[index])
            let direction = ROCCurve.Direction(rawValue: markers[index].direction) ?? .higherInCases
            guard let curve = ROCCurve(cases: cases, controls: controls, direction: direction),
                let low = markers[index].aucLow, let high = markers[index].aucHigh
            else { return nil }
            let band = curve.sensitivityBand(at: specificities, replicates: 500, seed: seed &+ UInt64(index))
            return Curve(
                feature: markers[index].feature, auc: curve.auc, aucLow: low, aucHigh: high,
                points: curve.operatingPoints.map { [1 - $0.specificity, $0.sensitivity] }.reversed(),
                band: band.map { [$0.specificity, $0.low, $0.high] })
        }
        // The panel over the miRNAs measured in every sample.
        var panel: Panel?
        do {
            let options = panelOptions ?? DiagnosticPanel.Options(seed: seed)
            let result = try DiagnosticPanel.fit(matrix, groups: groups, options: options)
            panel = Panel(
                alpha: options.alpha, lambda: result.lambda, intercept: result.intercept, members: result.members,
                validation: result.validation,
                calibration: result.validation.map { calibrationBins($0.outOfFold, outcome: result.outcome) } ?? [])
            if result.leftOut > 0 {
                notes.append("panel: \(result.leftOut) samples without a value for every miRNA left out")
            }
        } catch {
            notes.append("no panel: \(error.errors.map(\.message).joined(separator: "; "))")
        }
        // Box plots of the two markers that differ most between the groups.
        let boxed = markers.indices.filter { markers[$0].adjustedP != nil }
            .sorted {
                (markers[$0].adjustedP ?? 1, markers[$0].feature) < (markers[$1].adjustedP ?? 1, markers[$1].feature)
            }
            .prefix(2)
        let stageNames = ["I", "II", "III", "IV"]
        let stageValues = boxed.map { index in
            let values = matrix.values[index]
            var grouped = [[Double]](repeating: [], count: 5)
            for row in groups.controls where !values[row].isNaN { grouped[0].append(values[row]) }
            for row in caseRows where !values[row].isNaN {
                if let stage = stages[row], (1...4).contains(stage) { grouped[stage].append(values[row]) }
            }
            return StageValues(
                feature: markers[index].feature, groups: [groups.controlLabel ?? "control"] + stageNames,
                values: grouped)
        }
        return StudyBiomarkers(
            caseLabel: groups.caseLabel, controlLabel: groups.controlLabel ?? "control", cases: groups.cases.count,
            controls: groups.controls.count,
            // An infinite prior df (the variances agree exactly) is stored as absent: JSON has no infinity.
            priorDF: expression?.prior.flatMap { $0.df.isFinite ? $0.df : nil },
            priorVariance: expression?.prior?.variance,
            markers: markers, curves: curves, panel: panel, stageValues: stageValues, survival: survival,
            survivalAdjustedForStage: adjustedForStage, notes: notes, seed: seed)
    }

    /// Prognosis per marker among the cases with follow-up; returns the curves of the smallest log-rank p.
    ///
    /// Log-rank of above against at or below the median, and the Cox model of the marker with late stage (III–IV)
    /// as covariate when stages are known.
    static func prognosis(
        _ matrix: FeatureMatrix, cases: [Int], stages: [Int?], followUp: [(months: Double, event: Bool)?],
        markers: inout [Marker]
    ) -> SurvivalCurves? {
        let z = Normal.twoSidedCritical(level: 0.95)
        var best: SurvivalCurves?
        for index in markers.indices {
            let values = matrix.values[index]
            let rows = cases.filter { !values[$0].isNaN && followUp[$0] != nil }
            let observations = rows.compactMap {
                followUp[$0].map { Survival.Observation(time: $0.months, event: $0.event) }
            }
            guard observations.filter(\.event).count >= 2, let median = Descriptive.median(rows.map { values[$0] })
            else { continue }
            let isHigh = rows.map { values[$0] > median }
            let high = zip(observations, isHigh).filter { $0.1 }.map(\.0)
            let low = zip(observations, isHigh).filter { !$0.1 }.map(\.0)
            if let test = Survival.logRank([low, high]) {
                markers[index].survivalLogRankP = test.p
                if test.p < (best?.logRankP ?? .infinity) {
                    let steps = { (group: [Survival.Observation]) in
                        [[0.0, 1.0]] + Survival.kaplanMeier(group).map { [$0.time, $0.survival] }
                    }
                    let followUp = { (group: [Survival.Observation]) in
                        group.sorted { ($0.time, $0.event ? 1 : 0) < ($1.time, $1.event ? 1 : 0) }
                            .map { [$0.time, $0.event ? 1 : 0] }
                    }
                    best = SurvivalCurves(
                        feature: markers[index].feature, low: steps(low), high: steps(high), lowCount: low.count,
                        highCount: high.count, logRankP: test.p, lowFollowUp: followUp(low),
                        highFollowUp: followUp(high))
                }
            }
            let staged = rows.allSatisfy { stages[$0] != nil }
            let design = rows.map { [values[$0]] + (staged ? [(stages[$0] ?? 0) >= 3 ? 1 : 0] : []) }
            // A hazard ratio only from a fit R would not warn about (see CoxModel.Fit).
            if let cox = CoxModel.fit(observations, covariates: design), cox.converged, !cox.dropped[0],
                !cox.possiblyInfinite[0]
            {
                let (b, se) = (cox.coefficients[0], cox.standardErrors[0])
                markers[index].hazardRatio = exp(b)
                markers[index].hazardRatioLow = exp(b - z * se)
                markers[index].hazardRatioHigh = exp(b + z * se)
                markers[index].hazardRatioP = cox.p[0]
            }
        }
        return best
    }

    /// Five bins of equal size by predicted probability: mean prediction, observed share and its Wilson interval.
    static func calibrationBins(_ probabilities: [Double], outcome: [Bool], bins: Int = 5) -> [CalibrationBin] {
        let order = probabilities.indices.filter { !probabilities[$0].isNaN }.sorted {
            probabilities[$0] < probabilities[$1]
        }
        guard order.count >= bins else { return [] }
        return (0..<bins).map { bin in
            let members = order[(bin * order.count / bins)..<((bin + 1) * order.count / bins)]
            let events = members.filter { outcome[$0] }.count
            let interval = BinomialInterval.wilson.interval(successes: events, trials: members.count)
            return CalibrationBin(
                predicted: members.reduce(0) { $0 + probabilities[$1] } / Double(members.count),
                observed: Double(events) / Double(members.count), low: interval.lowerBound, high: interval.upperBound,
                count: members.count)
        }
    }
}
