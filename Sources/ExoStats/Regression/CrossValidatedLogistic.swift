import ExoCore
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// K-fold cross-validation of a penalised logistic path, as glmnet's `cv.glmnet` with the binomial deviance.
///
/// The path is fitted on all samples first; each fold is then fitted on the other folds along its own path
/// (cv.glmnet's default `alignment = "lambda"`), its coefficients interpolated linearly to the λ values of the
/// first, and its held-out samples scored by their mean binomial deviance −2(y log p̂ + (1 − y) log(1 − p̂)), p̂ kept
/// within [10⁻⁵, 1 − 10⁻⁵]. The curve is the fold-size-weighted mean over folds with its standard error, and
/// the chosen λ is the one with the smallest mean (`minimumStep`) or the largest within one standard error of
/// it (`oneStandardErrorStep`). Every path converges to `foldKKTTolerance`, as the curve needs only the held-out
/// deviance and the λ values; `model(at:)` converges the model at a chosen step to `kktTolerance`. The path on all
/// samples and the folds' paths are fitted in parallel, one job
/// each, on threads of their own (`ComputeThreads`, one per core; no GCD, so it may be called from async code).
public struct CrossValidatedLogisticPath: Sendable {
    /// The path on all samples, converged to `foldKKTTolerance`.
    public let path: PenalizedLogisticPath
    /// What the path was fitted on, for `model(at:)`.
    let columns: [[Double]]
    let outcome: [Bool]
    let rows: [Int]
    let options: PenalizedLogisticPath.Options
    /// The cross-validated mean deviance at each λ of the path.
    public let meanDeviance: [Double]
    /// Its standard error.
    public let standardError: [Double]
    /// The step with the smallest mean deviance (glmnet's `lambda.min`).
    public let minimumStep: Int
    /// The step with the largest λ whose mean deviance is within one standard error of the minimum
    /// (`lambda.1se`).
    public let oneStandardErrorStep: Int

    /// Cross-validates the path on `rows` (all samples when `nil`), `folds` giving the fold (0 ..< K) of each
    /// entry of `rows`; `nil` when the samples, or the training samples of a fold, are all of one class.
    public init?(
        columns: [[Double]], outcome: [Bool], rows: [Int]? = nil, folds: [Int],
        options: PenalizedLogisticPath.Options = .init()
    ) {
        let rows = rows ?? Array(outcome.indices)
        let foldCount = (folds.max() ?? 0) + 1
        let training = (0..<foldCount).map { fold in zip(rows, folds).filter { $0.1 != fold }.map(\.0) }
        // Job 0 is the path on all samples, job k the path without fold k − 1.
        let fits = Mutex([PenalizedLogisticPath?](repeating: nil, count: foldCount + 1))
        ComputeThreads.run(jobs: foldCount + 1) { job in
            guard job == 0 || training[job - 1].count < rows.count else { return }
            var loose = options
            loose.kktTolerance = options.foldKKTTolerance
            let fit = PenalizedLogisticPath(
                columns: columns, outcome: outcome, rows: job == 0 ? rows : training[job - 1], options: loose)
            fits.withLock { $0[job] = fit }
        }
        let fitted = fits.withLock { $0 }
        guard let path = fitted[0] else { return nil }
        let raw = (0..<foldCount).map { fold -> [Double]? in
            let held = zip(rows, folds).filter { $0.1 == fold }.map(\.0)
            guard !held.isEmpty, let fit = fitted[fold + 1] else { return nil }
            return path.lambdas.map { lambda in
                let model = fit.interpolated(at: lambda)
                let eta = PenalizedLogisticPath.linearPredictor(
                    intercept: model.intercept, coefficients: model.coefficients, columns: columns, rows: held)
                return zip(held, eta).reduce(0.0) { $0 + Self.deviance(outcome[$1.0], $1.1) } / Double(held.count)
            }
        }
        var weights: [Double] = []
        var table: [[Double]] = []
        for fold in 0..<foldCount {
            let size = folds.filter { $0 == fold }.count
            guard size > 0 else { continue }
            guard let curve = raw[fold] else { return nil }
            weights.append(Double(size))
            table.append(curve)
        }
        let total = weights.reduce(0, +)
        var means: [Double] = []
        var errors: [Double] = []
        for step in path.lambdas.indices {
            let mean = zip(table, weights).reduce(0.0) { $0 + $1.0[step] * $1.1 } / total
            let spread = zip(table, weights).reduce(0.0) { $0 + ($1.0[step] - mean) * ($1.0[step] - mean) * $1.1 }
            means.append(mean)
            errors.append((spread / total / Double(max(table.count - 1, 1))).squareRoot())
        }
        let smallest = means.min() ?? .nan
        let minimum = means.firstIndex { $0 <= smallest } ?? 0
        let bound = means[minimum] + errors[minimum]
        self.path = path
        self.columns = columns
        self.outcome = outcome
        self.rows = rows
        self.options = options
        meanDeviance = means
        standardError = errors
        minimumStep = minimum
        oneStandardErrorStep = means.firstIndex { $0 <= bound } ?? minimum
    }

    /// The model at a step of the path on all samples, converged to `kktTolerance` (the model to report).
    public func model(at step: Int) -> (intercept: Double, coefficients: [Double]) {
        let model = path.converged(at: step, columns: columns, outcome: outcome, rows: rows, options: options)
        return (model.intercept, model.coefficients)
    }

    /// One sample's binomial deviance at log-odds `eta`, the probability kept within [10⁻⁵, 1 − 10⁻⁵].
    static func deviance(_ event: Bool, _ eta: Double) -> Double {
        let q = min(max(1 / (1 + exp(-eta)), 1e-5), 1 - 1e-5)
        return -2 * (event ? log(q) : log(1 - q))
    }

    /// Stratified fold assignment: each class's samples shuffled with the generator (Fisher–Yates, fixed here so a seed gives the same folds in every Swift version) and dealt to the folds in
    /// turn, so every fold holds the classes in nearly the training proportions.
    ///
    /// - Returns: the fold (0 ..< `count`) of each entry of `rows`.
    public static func stratifiedFolds(
        outcome: [Bool], rows: [Int], count: Int, generator: inout SeededGenerator
    ) -> [Int] {
        var folds = [Int](repeating: 0, count: rows.count)
        var next = 0
        for event in [true, false] {
            var members = rows.indices.filter { outcome[rows[$0]] == event }
            for last in members.indices.reversed() where last > 0 {
                members.swapAt(last, generator.index(below: last + 1))
            }
            for position in members {
                folds[position] = next % count
                next += 1
            }
        }
        return folds
    }
}
