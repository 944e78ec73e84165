public import ExoCore
public import ExoFormats
public import ExoStats
import Foundation

/// A multi-miRNA diagnostic panel: penalised logistic regression chosen by cross-validation, and an honest
/// estimate of how well such a panel separates new patients.
///
/// The panel itself is the path on all samples at the λ that 10-fold cross-validation (cv.glmnet's deviance
/// curve) picks: the smallest deviance, or the largest λ within one standard error of it. Its discrimination is
/// then estimated by nested cross-validation, repeated with new stratified folds: in every outer fold the whole
/// procedure (inner cross-validation, λ choice, fit) runs on the training samples only and scores the held-out
/// ones, so the AUC, calibration and Brier score describe the procedure on unseen samples rather than the fit
/// on its own data. The same outer folds fit the best single feature (largest training AUC, as an unpenalised
/// one-feature logistic model), so the panel is compared with what one miRNA alone would give.
///
/// Missing values: a sample with any missing value among the features is left out (glmnet needs complete
/// rows), and the result counts them.
public enum DiagnosticPanel {
    /// How the panel is fitted and validated.
    public struct Options: Sendable, Hashable {
        /// The elastic-net mixing parameter: 1 lasso, 0 ridge.
        public var alpha: Double
        /// The number of cross-validation folds (inner and outer).
        public var folds: Int
        /// Repeats of the nested cross-validation (0 skips it).
        public var repeats: Int
        /// Which λ the cross-validation curve picks.
        public var rule: LambdaRule
        /// The seed of every fold assignment.
        public var seed: UInt64
        /// Confidence level of the AUC intervals.
        public var level: Double

        /// Creates options.
        public init(
            alpha: Double = 1, folds: Int = 10, repeats: Int = 5, rule: LambdaRule = .oneStandardError,
            seed: UInt64 = 20_260_707, level: Double = 0.95
        ) {
            self.alpha = alpha
            self.folds = folds
            self.repeats = repeats
            self.rule = rule
            self.seed = seed
            self.level = level
        }
    }

    /// The λ a cross-validation curve picks.
    public enum LambdaRule: String, Sendable, Hashable, CaseIterable, Codable {
        /// The smallest mean deviance (`lambda.min`).
        case minimum = "min"
        /// The largest λ within one standard error of it (`lambda.1se`): a sparser, more stable panel.
        case oneStandardError = "1se"
    }

    /// One feature of the fitted panel.
    public struct Member: Sendable, Hashable, Codable {
        public var feature: String
        /// The coefficient on the original scale (log-odds per unit), 0 when not selected.
        public var coefficient: Double
        /// The share of the nested cross-validation's models that selected the feature (nil without it).
        public var selectionFrequency: Double?
    }

    /// Discrimination and calibration on held-out samples.
    public struct Validation: Sendable, Hashable, Codable {
        public var repeats: Int
        public var folds: Int
        /// The mean over repeats of the AUC of the out-of-fold predictions, and its range over repeats.
        public var auc: Double
        public var aucRange: ClosedRange<Double>
        /// DeLong interval of the AUC of each sample's out-of-fold probability averaged over the repeats.
        public var aucLow: Double
        public var aucHigh: Double
        /// The same for the best single feature of each training set.
        public var singleAUC: Double
        public var singleLow: Double
        public var singleHigh: Double
        /// Paired DeLong test, panel minus best single feature, on the averaged out-of-fold probabilities.
        public var differenceP: Double
        /// The feature chosen as best single most often.
        public var bestSingle: String
        /// Calibration of the averaged out-of-fold probabilities: slope of the outcome's log-odds on their
        /// log-odds (1 is ideal, below 1 means too extreme), calibration-in-the-large intercept (0 is ideal),
        /// and Brier score.
        public var calibrationSlope: Double
        public var calibrationIntercept: Double
        public var brier: Double
        /// Each sample's averaged out-of-fold probability, in the order of `Result.samples`.
        public var outOfFold: [Double]
    }

    /// The fitted panel.
    public struct Result: Sendable {
        public var options: Options
        /// The samples used (complete rows): their matrix rows, names and outcome.
        public var rows: [Int]
        public var samples: [String]
        public var outcome: [Bool]
        /// Samples left out for a missing value.
        public var leftOut: Int
        public var intercept: Double
        /// Every feature with its coefficient at the chosen λ, in matrix order.
        public var members: [Member]
        public var lambda: Double
        public var lambdaMinimum: Double
        public var lambdaOneStandardError: Double
        /// The cross-validation curve on all samples.
        public var curve: CrossValidatedLogisticPath
        public var validation: Validation?

        /// The selected features (non-zero coefficient).
        public var selected: [Member] { members.filter { $0.coefficient != 0 } }
    }

    /// Fits and validates a panel.
    ///
    /// - Throws: `InputErrorList` when too few complete samples remain for the folds.
    public static func fit(_ matrix: FeatureMatrix, groups: TwoGroups, options: Options = Options())
        throws(InputErrorList) -> Result
    {
        guard !matrix.features.isEmpty else {
            throw InputErrorList([
                InputError(
                    .emptyTable, at: InputLocation(path: matrix.path, line: 1),
                    "the matrix has no feature columns: a panel needs at least one miRNA")
            ])
        }
        let all = groups.cases + groups.controls
        let rows = all.sorted().filter { row in matrix.values.allSatisfy { !$0[row].isNaN } }
        let caseSet = Set(groups.cases)
        let outcome = (0..<matrix.samples.count).map { caseSet.contains($0) }
        let caseCount = rows.filter { outcome[$0] }.count
        let controlCount = rows.count - caseCount
        guard min(caseCount, controlCount) >= max(options.folds, 3) else {
            throw InputErrorList([
                InputError(
                    .invalidValue, at: InputLocation(path: matrix.path),
                    "\(caseCount) cases and \(controlCount) controls have a value for every feature; \(options.folds)-fold cross-validation needs at least \(max(options.folds, 3)) of each",
                    hint: all.count > rows.count
                        ? "\(all.count - rows.count) samples miss a value: impute them or drop the features they miss"
                        : "use fewer --folds")
            ])
        }
        let pathOptions = PenalizedLogisticPath.Options(alpha: options.alpha)
        var generator = SeededGenerator(seed: options.seed)
        let folds = CrossValidatedLogisticPath.stratifiedFolds(
            outcome: outcome, rows: rows, count: options.folds, generator: &generator)
        guard
            let curve = CrossValidatedLogisticPath(
                columns: matrix.values, outcome: outcome, rows: rows, folds: folds, options: pathOptions)
        else {
            throw InputErrorList([
                InputError(.invalidValue, at: InputLocation(path: matrix.path), "a training fold holds only one group")
            ])
        }
        let step = options.rule == .minimum ? curve.minimumStep : curve.oneStandardErrorStep
        let validation =
            options.repeats > 0
            ? validate(matrix, outcome: outcome, rows: rows, options: options, pathOptions: pathOptions) : nil
        let model = curve.model(at: step)
        let members = matrix.features.indices.map { feature in
            Member(
                feature: matrix.features[feature], coefficient: model.coefficients[feature],
                selectionFrequency: validation.map { $0.frequencies[feature] })
        }
        return Result(
            options: options, rows: rows, samples: rows.map { matrix.samples[$0] }, outcome: rows.map { outcome[$0] },
            leftOut: all.count - rows.count, intercept: model.intercept, members: members,
            lambda: curve.path.lambdas[step], lambdaMinimum: curve.path.lambdas[curve.minimumStep],
            lambdaOneStandardError: curve.path.lambdas[curve.oneStandardErrorStep], curve: curve,
            validation: validation?.summary)
    }

    /// Repeated nested cross-validation of the whole fitting procedure.
    static func validate(
        _ matrix: FeatureMatrix, outcome: [Bool], rows: [Int], options: Options,
        pathOptions: PenalizedLogisticPath.Options
    ) -> (summary: Validation, frequencies: [Double])? {
        var generator = SeededGenerator(seed: options.seed &+ 1)
        var panelSum = [Double](repeating: 0, count: rows.count)
        var singleSum = [Double](repeating: 0, count: rows.count)
        var selections = [Int](repeating: 0, count: matrix.features.count)
        var singleChoices: [Int: Int] = [:]
        var aucs: [Double] = []
        var models = 0
        for _ in 0..<options.repeats {
            let outer = CrossValidatedLogisticPath.stratifiedFolds(
                outcome: outcome, rows: rows, count: options.folds, generator: &generator)
            var panel = [Double](repeating: .nan, count: rows.count)
            for fold in 0..<options.folds {
                let trainingPositions = rows.indices.filter { outer[$0] != fold }
                let heldPositions = rows.indices.filter { outer[$0] == fold }
                let training = trainingPositions.map { rows[$0] }
                let held = heldPositions.map { rows[$0] }
                let inner = CrossValidatedLogisticPath.stratifiedFolds(
                    outcome: outcome, rows: training, count: options.folds, generator: &generator)
                guard
                    let cv = CrossValidatedLogisticPath(
                        columns: matrix.values, outcome: outcome, rows: training, folds: inner, options: pathOptions)
                else { return nil }
                let step = options.rule == .minimum ? cv.minimumStep : cv.oneStandardErrorStep
                let model = cv.model(at: step)
                let eta = PenalizedLogisticPath.linearPredictor(
                    intercept: model.intercept, coefficients: model.coefficients, columns: matrix.values, rows: held)
                for (position, value) in zip(heldPositions, eta) { panel[position] = logistic(value) }
                for (feature, beta) in model.coefficients.enumerated() where beta != 0 {
                    selections[feature] += 1
                }
                models += 1
                let best = bestSingle(matrix.values, outcome: outcome, rows: training)
                singleChoices[best, default: 0] += 1
                if let model = PenalizedLogisticPath(
                    columns: [matrix.values[best]], outcome: outcome, rows: training, options: .init(lambdas: [0]))
                {
                    let singleEta = model.linearPredictor(at: 0, columns: [matrix.values[best]], rows: held)
                    for (position, value) in zip(heldPositions, singleEta) { singleSum[position] += logistic(value) }
                }
            }
            for position in rows.indices { panelSum[position] += panel[position] }
            if let auc = areaUnderCurve(panel, outcome: rows.map { outcome[$0] })?.auc { aucs.append(auc) }
        }
        let repeats = Double(options.repeats)
        let averaged = panelSum.map { $0 / repeats }
        let single = singleSum.map { $0 / repeats }
        let labels = rows.map { outcome[$0] }
        guard let panelCurve = areaUnderCurve(averaged, outcome: labels),
            let singleCurve = areaUnderCurve(single, outcome: labels),
            let lowest = aucs.min(), let highest = aucs.max()
        else { return nil }
        let panelInterval = panelCurve.confidenceInterval(level: options.level)
        let singleInterval = singleCurve.confidenceInterval(level: options.level)
        let calibration = Calibration(probabilities: averaged, outcome: labels)
        let chosen = singleChoices.max { ($0.value, $1.key) < ($1.value, $0.key) }?.key ?? 0
        let summary = Validation(
            repeats: options.repeats, folds: options.folds, auc: aucs.reduce(0, +) / Double(aucs.count),
            aucRange: lowest...highest, aucLow: panelInterval.low, aucHigh: panelInterval.high,
            singleAUC: singleCurve.auc, singleLow: singleInterval.low, singleHigh: singleInterval.high,
            differenceP: ROCComparison.paired(panelCurve, singleCurve, level: options.level).p,
            bestSingle: matrix.features[chosen], calibrationSlope: calibration.slope,
            calibrationIntercept: calibration.intercept, brier: calibration.brier, outOfFold: averaged)
        return (summary, selections.map { Double($0) / Double(max(models, 1)) })
    }

    /// The feature with the largest AUC (either direction) on the given samples; the first on ties.
    static func bestSingle(_ columns: [[Double]], outcome: [Bool], rows: [Int]) -> Int {
        var best = 0
        var bestAUC = -1.0
        for (feature, column) in columns.enumerated() {
            let values = rows.map { column[$0] }
            guard let curve = areaUnderCurve(values, outcome: rows.map { outcome[$0] }) else { continue }
            let auc = max(curve.auc, 1 - curve.auc)
            if auc > bestAUC {
                best = feature
                bestAUC = auc
            }
        }
        return best
    }

    /// The ROC curve of scores where higher means case.
    static func areaUnderCurve(_ scores: [Double], outcome: [Bool]) -> ROCCurve? {
        let cases = zip(scores, outcome).filter { $0.1 }.map(\.0)
        let controls = zip(scores, outcome).filter { !$0.1 }.map(\.0)
        guard cases.count >= 2, controls.count >= 2 else { return nil }
        return ROCCurve(cases: cases, controls: controls, direction: .higherInCases)
    }

    static func logistic(_ eta: Double) -> Double { 1 / (1 + exp(-eta)) }
}

/// Calibration of predicted probabilities against outcomes.
///
/// As Van Calster et al. 2016 (doi:10.1016/j.jclinepi.2015.12.005) define the weak and mean calibration.
public struct Calibration: Sendable, Hashable {
    /// The slope of logit P(y) on the predictions' log-odds: 1 is ideal, below 1 predictions are too extreme.
    public var slope: Double
    /// Calibration-in-the-large: the intercept with the predictions' log-odds as offset (slope fixed at 1); 0 is
    /// ideal, positive means the predictions are too low on average.
    public var intercept: Double
    /// The mean squared difference between probability and outcome (0 perfect, 0.25 a coin at 50 %).
    public var brier: Double

    /// Computes all three; probabilities are kept within [10⁻¹⁰, 1 − 10⁻¹⁰] for the log-odds.
    public init(probabilities: [Double], outcome: [Bool]) {
        let logOdds = probabilities.map { p -> Double in
            let bounded = min(max(p, 1e-10), 1 - 1e-10)
            return log(bounded / (1 - bounded))
        }
        brier =
            zip(probabilities, outcome).reduce(0) { $0 + ($1.0 - ($1.1 ? 1 : 0)) * ($1.0 - ($1.1 ? 1 : 0)) }
            / Double(max(probabilities.count, 1))
        let fit = PenalizedLogisticPath(
            columns: [logOdds], outcome: outcome, options: .init(lambdas: [0], tolerance: 1e-14, kktTolerance: 1e-12))
        slope = fit?.coefficients[0][0] ?? .nan
        // Newton's method for a in Σ (yᵢ − σ(a + ηᵢ)) = 0.
        var a = 0.0
        for _ in 0..<100 {
            var score = 0.0
            var information = 0.0
            for (eta, event) in zip(logOdds, outcome) {
                let p = 1 / (1 + exp(-(a + eta)))
                score += (event ? 1 : 0) - p
                information += p * (1 - p)
            }
            guard information > 0 else { break }
            let step = score / information
            a += step
            if abs(step) < 1e-12 { break }
        }
        intercept = a
    }
}
