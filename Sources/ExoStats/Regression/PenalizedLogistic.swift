#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Penalised logistic regression along a path of penalties by cyclical coordinate descent (Friedman, Hastie &
/// Tibshirani 2010, doi:10.18637/jss.v033.i01), the model glmnet fits with `family = "binomial"`.
///
/// At each λ it minimises −(1/N) Σ log-likelihood + λ Σⱼ ((1 − α)/2 βⱼ² + α |βⱼ|) over standardised predictors
/// (mean 0, variance 1 with divisor N), the intercept unpenalised, and reports the coefficients on the original
/// scale: α = 1 is the lasso, α = 0 ridge, in between the elastic net. The default path is glmnet's: 100 values
/// from λ_max (the smallest λ with every coefficient zero, divided by max(α, 0.001)) down to 0.01 λ_max when
/// there are fewer samples than predictors and 0.0001 λ_max otherwise, stopping early once the fit explains
/// 99.9 % of the null deviance or gains less than 0.001 % of it in a step. Each λ starts from the previous
/// solution, works only on the predictors the sequential strong rule (Tibshirani et al. 2012) keeps, and moves on
/// only once the optimality (Karush–Kuhn–Tucker) conditions of the whole objective hold to `kktTolerance`:
/// with gⱼ the gradient of the mean log-likelihood for standardised predictor j,
/// |gⱼ − λα sign βⱼ − λ(1 − α)βⱼ| ≤ ε for every non-zero βⱼ, |gⱼ| ≤ λα + ε for every zero one (those outside
/// the strong set join it and the step is solved again), and |Σ residuals| / N ≤ ε for the intercept. To get
/// there, iteratively reweighted least squares with coordinate descent runs until the violation is below 10⁻⁶
/// and no predictor of the strong set is left to join; Newton's method on the non-zero coefficients (their
/// signs fixed, the exact Hessian) then converges quadratically to ε, the descent going on a hundred times
/// tighter wherever a Newton step would change a sign. docs/statistics.md gives the agreement with glmnet 4.1.
///
/// - Complexity: per λ, O(N · s) for each sweep over the s predictors the descent works on, O(N · a²) for each
///   Newton step with a non-zero coefficients, and O(N · p) for each check of the predictors outside the strong
///   set.
public struct PenalizedLogisticPath: Sendable {
    /// How the path is fitted.
    public struct Options: Sendable, Hashable {
        /// The elastic-net mixing parameter α in [0, 1].
        public var alpha: Double
        /// The number of λ values of the default path.
        public var lambdaCount: Int
        /// λ_min / λ_max of the default path; `nil` for glmnet's choice (0.01 when N < p, else 0.0001).
        public var lambdaMinRatio: Double?
        /// A decreasing sequence of λ to use instead of the default path (then the path never stops early).
        public var lambdas: [Double]?
        /// The coordinate descent's first stopping threshold (glmnet's `thresh`, per sample).
        ///
        /// A sweep ends the descent on a quadratic approximation once no coefficient moves by more than this,
        /// measured as the weighted variance of its change in the linear predictor. It only sets where the
        /// descent starts: convergence is decided by `kktTolerance`, the threshold following the violation
        /// left (at most (violation / 10)²).
        public var tolerance: Double
        /// The convergence criterion ε: the largest violation of the optimality (KKT) conditions at each λ.
        ///
        /// It is in units of the gradient of the mean log-likelihood per standard deviation of a predictor (see
        /// the type's description). The default 10⁻¹¹ keeps the coefficients within 10⁻⁶ of glmnet's exact
        /// minimiser on real p > n data, where near separation a violation of 10⁻¹⁰ can still move a
        /// coefficient by 2 · 10⁻⁶ (docs/statistics.md); rounding sets a floor of about N · 10⁻¹⁶.
        public var kktTolerance: Double
        /// ε for the paths of cross-validation folds (`CrossValidatedLogisticPath`), whose only use is the
        /// held-out deviance; the path on all samples, whose coefficients are reported, keeps `kktTolerance`.
        ///
        /// The default 10⁻⁴ leaves the cross-validated mean deviance within 2 · 10⁻⁴ of its value at 10⁻¹¹ on
        /// the benchmark matrices, five times closer than cv.glmnet's default (`thresh = 1e-7`) comes to its own
        /// exact curve (10⁻³); docs/statistics.md gives the figures.
        public var foldKKTTolerance: Double

        /// Creates options; the defaults are the lasso on glmnet's path.
        public init(
            alpha: Double = 1, lambdaCount: Int = 100, lambdaMinRatio: Double? = nil, lambdas: [Double]? = nil,
            tolerance: Double = 1e-7, kktTolerance: Double = 1e-11, foldKKTTolerance: Double = 1e-4
        ) {
            self.foldKKTTolerance = foldKKTTolerance
            self.alpha = alpha
            self.lambdaCount = lambdaCount
            self.lambdaMinRatio = lambdaMinRatio
            self.lambdas = lambdas
            self.tolerance = tolerance
            self.kktTolerance = kktTolerance
        }
    }

    /// The λ values fitted, decreasing.
    public let lambdas: [Double]
    /// The intercept at each λ.
    public let intercepts: [Double]
    /// The coefficients on the original scale at each λ: `coefficients[step][feature]`.
    public let coefficients: [[Double]]
    /// 1 − deviance / null deviance at each λ.
    public let devianceRatios: [Double]
    /// −2 × the log-likelihood of the intercept-only model, summed over the samples.
    public let nullDeviance: Double
    /// The largest violation of the optimality (KKT) conditions at each step, on the scale of `kktTolerance`
    /// (at most it unless rounding prevents it; the first step of the default path is the intercept-only
    /// model, optimal at λ_max only for α = 1).
    public let optimalityGaps: [Double]

    /// Fits the path; `nil` when the samples are all of one class.
    ///
    /// `columns` holds one array per predictor with a value for every sample (no missing values), `outcome` is
    /// `true` for the event (cases), and `rows` chooses the samples to fit on (all when `nil`).
    public init?(columns: [[Double]], outcome: [Bool], rows: [Int]? = nil, options: Options = Options()) {
        let rows = rows ?? Array(outcome.indices)
        let solver = LogisticCoordinateDescent(columns: columns, outcome: outcome, rows: rows)
        let n = Double(rows.count)
        guard solver.caseFraction > 0, solver.caseFraction < 1 else { return nil }
        let alpha = min(max(options.alpha, 0), 1)
        solver.start()
        let lambdaMax = solver.gradientMaximum() / max(alpha, 1e-3)
        let userLambdas = options.lambdas
        let count = userLambdas?.count ?? max(options.lambdaCount, 1)
        let ratio = options.lambdaMinRatio ?? (rows.count < columns.count ? 0.01 : 1e-4)
        let nullDeviance = solver.deviance()
        var lambdas: [Double] = []
        var intercepts: [Double] = []
        var coefficients: [[Double]] = []
        var ratios: [Double] = []
        var gaps: [Double] = []
        var previous = userLambdas?.first ?? lambdaMax
        for step in 0..<count {
            let lambda =
                userLambdas?[step]
                ?? (count == 1 ? lambdaMax : lambdaMax * pow(ratio, Double(step) / Double(count - 1)))
            // glmnet's default path starts at the intercept-only model (its first λ is "infinite"), which for
            // α < 1 differs slightly from the fit at λ_max.
            var gap = solver.optimalityGap(lambda: lambda, alpha: alpha)
            if userLambdas != nil || step > 0 {
                gap = solver.fit(
                    lambda: lambda, previous: previous, alpha: alpha, tolerance: options.tolerance,
                    kktTolerance: options.kktTolerance)
            }
            previous = lambda
            let (intercept, beta) = solver.originalScale()
            let devianceRatio = 1 - solver.deviance() / nullDeviance
            lambdas.append(lambda)
            intercepts.append(intercept)
            coefficients.append(beta)
            ratios.append(devianceRatio)
            gaps.append(gap)
            guard userLambdas == nil, step >= 4 else { continue }
            if devianceRatio > 0.999 || devianceRatio - ratios[step - 1] < 1e-5 { break }
        }
        self.lambdas = lambdas
        self.intercepts = intercepts
        self.coefficients = coefficients
        self.devianceRatios = ratios
        self.nullDeviance = nullDeviance * n
        self.optimalityGaps = gaps
    }

    /// The number of non-zero coefficients at a step.
    public func nonzeroCount(at step: Int) -> Int {
        coefficients[step].reduce(0) { $0 + ($1 != 0 ? 1 : 0) }
    }

    /// The model at `step` converged to `options.kktTolerance`, starting from the path's solution there.
    ///
    /// For a path fitted loosely (as cross-validation fits its paths), this is the one model a caller reports.
    /// `columns`, `outcome` and `rows` must be those the path was fitted on.
    public func converged(
        at step: Int, columns: [[Double]], outcome: [Bool], rows: [Int]? = nil, options: Options = Options()
    ) -> (intercept: Double, coefficients: [Double], optimalityGap: Double) {
        let solver = LogisticCoordinateDescent(
            columns: columns, outcome: outcome, rows: rows ?? Array(outcome.indices))
        solver.start(intercept: intercepts[step], coefficients: coefficients[step])
        let alpha = min(max(options.alpha, 0), 1)
        let gap = solver.fit(
            lambda: lambdas[step], previous: lambdas[max(step - 1, 0)], alpha: alpha, tolerance: options.tolerance,
            kktTolerance: options.kktTolerance)
        let (intercept, beta) = solver.originalScale()
        return (intercept, beta, gap)
    }

    /// The intercept and coefficients at λ, interpolated linearly in λ between the two steps around it as
    /// glmnet's `predict(fit, s = λ)` does; beyond the ends of the path, the nearest end.
    public func interpolated(at lambda: Double) -> (intercept: Double, coefficients: [Double]) {
        guard let first = lambdas.first, let last = lambdas.last, lambda < first, lambdas.count > 1 else {
            return (intercepts[0], coefficients[0])
        }
        guard lambda > last else { return (intercepts[lambdas.count - 1], coefficients[lambdas.count - 1]) }
        let right = lambdas.firstIndex { $0 <= lambda } ?? lambdas.count - 1
        let left = right - 1
        let fraction = (lambda - lambdas[right]) / (lambdas[left] - lambdas[right])
        let blend = { (a: Double, b: Double) in a * fraction + b * (1 - fraction) }
        return (
            blend(intercepts[left], intercepts[right]),
            zip(coefficients[left], coefficients[right]).map(blend)
        )
    }

    /// The linear predictor (log-odds) at a step for each of the given samples.
    public func linearPredictor(at step: Int, columns: [[Double]], rows: [Int]) -> [Double] {
        Self.linearPredictor(
            intercept: intercepts[step], coefficients: coefficients[step], columns: columns, rows: rows)
    }

    /// The linear predictor of a model for each of the given samples.
    public static func linearPredictor(intercept: Double, coefficients: [Double], columns: [[Double]], rows: [Int])
        -> [Double]
    {
        var eta = [Double](repeating: intercept, count: rows.count)
        for (feature, beta) in coefficients.enumerated() where beta != 0 {
            let column = columns[feature]
            for (position, row) in rows.enumerated() { eta[position] += beta * column[row] }
        }
        return eta
    }
}

/// The working state of the coordinate descent over standardised predictors, with sample weights 1/N.
///
/// The buffers are allocated once and reused for every λ; the class is used by one thread at a time.
final class LogisticCoordinateDescent {
    let n: Int
    let p: Int
    /// Standardised predictors, predictor-major (`x[j * n + i]`).
    let x: UnsafeMutablePointer<Double>
    let means: [Double]
    let scales: [Double]
    /// Constant predictors, which never enter.
    let constant: [Bool]
    let y: UnsafeMutablePointer<Double>
    var intercept = 0.0
    let beta: UnsafeMutablePointer<Double>
    let eta: UnsafeMutablePointer<Double>
    let probability: UnsafeMutablePointer<Double>
    /// Working weights q(1 − q) and residuals of the current quadratic approximation.
    let weight: UnsafeMutablePointer<Double>
    let residual: UnsafeMutablePointer<Double>
    /// Σ wᵢxᵢⱼ² / N of the predictors being solved.
    let curvature: UnsafeMutablePointer<Double>
    /// The gradient of the mean log-likelihood for every predictor at the current solution (for those not in
    /// the set being solved, as of the last time it was computed).
    let gradient: UnsafeMutablePointer<Double>
    /// Every predictor's gradient at `referenceResidual`, the residual of the last time all were computed.
    ///
    /// As a standardised predictor has ‖xⱼ‖ = √N, |gⱼ(r) − gⱼ(r′)| = |xⱼ · (r − r′)| / N ≤ ‖r − r′‖ / √N (Cauchy–Schwarz), so
    /// a predictor whose reference gradient lies further below a threshold than the residual has moved cannot
    /// reach it: the checks over all predictors compute only the others (safe screening, exact decisions).
    let referenceGradient: UnsafeMutablePointer<Double>
    let referenceResidual: UnsafeMutablePointer<Double>
    /// The predictors whose `gradient` is exact at the current residual, as the last fit left them (its final
    /// check was the last thing to touch the residual); `nil` once the residual may have moved.
    var exactGradients: [Bool]?
    var everActive: [Bool]
    /// The coefficients at the start of an IRLS step, to bring `eta` up to date once at its end.
    let startBeta: UnsafeMutablePointer<Double>

    /// The violation the descent settles for while predictors may still join the set it works on.
    static let looseTarget = 1e-6

    /// glmnet's bound on fitted probabilities (`pmin`), which keeps the weights positive.
    static let probabilityBound = 1e-9

    init(columns: [[Double]], outcome: [Bool], rows: [Int]) {
        n = rows.count
        p = columns.count
        x = .allocate(capacity: max(n * p, 1))
        var means = [Double](repeating: 0, count: p)
        var scales = [Double](repeating: 1, count: p)
        var constant = [Bool](repeating: false, count: p)
        for j in 0..<p {
            let column = columns[j]
            var sum = 0.0
            for row in rows { sum += column[row] }
            let mean = sum / Double(n)
            var squares = 0.0
            for row in rows { squares += (column[row] - mean) * (column[row] - mean) }
            let scale = (squares / Double(n)).squareRoot()
            means[j] = mean
            if scale > 0 {
                scales[j] = scale
                for (i, row) in rows.enumerated() { x[j * n + i] = (column[row] - mean) / scale }
            } else {
                constant[j] = true
                (x + j * n).initialize(repeating: 0, count: n)
            }
        }
        self.means = means
        self.scales = scales
        self.constant = constant
        y = .allocate(capacity: max(n, 1))
        for (i, row) in rows.enumerated() { y[i] = outcome[row] ? 1 : 0 }
        beta = .allocate(capacity: max(p, 1))
        beta.initialize(repeating: 0, count: p)
        curvature = .allocate(capacity: max(p, 1))
        curvature.initialize(repeating: 0, count: p)
        gradient = .allocate(capacity: max(p, 1))
        gradient.initialize(repeating: 0, count: p)
        referenceGradient = .allocate(capacity: max(p, 1))
        referenceGradient.initialize(repeating: 0, count: p)
        referenceResidual = .allocate(capacity: max(n, 1))
        referenceResidual.initialize(repeating: 0, count: n)
        startBeta = .allocate(capacity: max(p, 1))
        startBeta.initialize(repeating: 0, count: p)
        eta = .allocate(capacity: max(n, 1))
        probability = .allocate(capacity: max(n, 1))
        weight = .allocate(capacity: max(n, 1))
        residual = .allocate(capacity: max(n, 1))
        for buffer in [eta, probability, weight, residual] { buffer.initialize(repeating: 0, count: n) }
        everActive = [Bool](repeating: false, count: p)
    }

    deinit {
        for buffer in [
            x, y, beta, curvature, gradient, referenceGradient, referenceResidual, startBeta, eta, probability, weight,
            residual,
        ] {
            buffer.deallocate()
        }
    }

    var caseFraction: Double {
        var sum = 0.0
        for i in 0..<n { sum += y[i] }
        return sum / Double(n)
    }

    /// The intercept-only model, and the gradient there.
    func start() {
        let fraction = caseFraction
        intercept = log(fraction / (1 - fraction))
        for i in 0..<n { eta[i] = intercept }
        updateProbabilities()
        updateGradient()
    }

    /// A model given on the original scale, and the gradient there; its non-zero coefficients count as active.
    func start(intercept original: Double, coefficients: [Double]) {
        intercept = original
        for j in 0..<p where coefficients[j] != 0 && !constant[j] {
            beta[j] = coefficients[j] * scales[j]
            intercept += coefficients[j] * means[j]
            everActive[j] = true
        }
        for i in 0..<n { eta[i] = intercept }
        for j in 0..<p where beta[j] != 0 {
            let column = x + j * n
            for i in 0..<n { eta[i] += beta[j] * column[i] }
        }
        updateProbabilities()
        updateGradient()
    }

    func gradientMaximum() -> Double {
        var largest = 0.0
        for j in 0..<p where !constant[j] { largest = max(largest, abs(gradient[j])) }
        return largest
    }

    /// −(2/N) Σ log-likelihood at the current fit.
    func deviance() -> Double {
        var sum = 0.0
        for i in 0..<n {
            let q = probability[i]
            sum += y[i] == 1 ? log(q) : log(1 - q)
        }
        return -2 * sum / Double(n)
    }

    func updateProbabilities() {
        let bound = Self.probabilityBound
        for i in 0..<n {
            let q = 1 / (1 + exp(-eta[i]))
            probability[i] = min(max(q, bound), 1 - bound)
        }
    }

    /// ∂/∂βⱼ of the mean log-likelihood, Σ xᵢⱼ(yᵢ − pᵢ) / N, for every predictor, with `residual` set to y − p;
    /// the result becomes the reference of the safe screening.
    func updateGradient() {
        for i in 0..<n { residual[i] = y[i] - probability[i] }
        let scale = 1 / Double(n)
        for j in 0..<p where !constant[j] { gradient[j] = dotProduct(x + j * n, residual, n) * scale }
        referenceGradient.update(from: gradient, count: p)
        referenceResidual.update(from: residual, count: n)
    }

    /// ‖r − r_ref‖ / √N, the most any gradient can have moved since the reference (`residual` must hold y − p),
    /// widened by far more than the rounding of the dot products behind the gradients.
    func residualDrift() -> Double {
        var squares = 0.0
        for i in 0..<n {
            let change = residual[i] - referenceResidual[i]
            squares += change * change
        }
        return (squares / Double(n)).squareRoot() * (1 + 1e-9) + 1e-12
    }

    /// The predictors passing `include` (ascending) whose gradient at the current residual may reach
    /// `threshold`, with that gradient computed unless `known` says it already is; when more than a third of all
    /// predictors need computing, every gradient is computed afresh and becomes the new reference.
    func gradients(reaching threshold: Double, among include: (Int) -> Bool, known: [Bool]? = nil) -> [Int] {
        let drift = residualDrift()
        var reaching: [Int] = []
        var unknown = 0
        for j in 0..<p where !constant[j] && include(j) && abs(referenceGradient[j]) + drift >= threshold {
            reaching.append(j)
            if known?[j] != true { unknown += 1 }
        }
        if unknown * 3 >= p {
            updateGradient()
            return (0..<p).filter { !constant[$0] && include($0) }
        }
        let scale = 1 / Double(n)
        for j in reaching where known?[j] != true { gradient[j] = dotProduct(x + j * n, residual, n) * scale }
        return reaching
    }

    /// The largest violation of the optimality conditions at λ among `members` (all predictors when `nil`) and
    /// the intercept, their gradients brought up to date; `residual` must hold y − p (updateGradient sets it).
    func optimalityGap(lambda: Double, alpha: Double, members: [Int]? = nil) -> Double {
        let scale = 1 / Double(n)
        var sum = 0.0
        for i in 0..<n { sum += residual[i] }
        var gap = abs(sum) * scale
        let penalty = lambda * alpha
        let ridge = lambda * (1 - alpha)
        func violation(_ j: Int) -> Double {
            let g = gradient[j]
            let b = beta[j]
            return b == 0 ? max(0, abs(g) - penalty) : abs(g - (b > 0 ? penalty : -penalty) - ridge * b)
        }
        if let members {
            for j in members {
                gradient[j] = dotProduct(x + j * n, residual, n) * scale
                gap = max(gap, violation(j))
            }
        } else {
            for j in 0..<p where !constant[j] { gap = max(gap, violation(j)) }
        }
        return gap
    }

    /// Solves at λ, starting from the current solution, until the optimality conditions hold to
    /// `kktTolerance` (or rounding stops all progress); returns the largest violation left.
    ///
    /// The descent works on the predictors that have been non-zero at an earlier λ; a predictor of the strong
    /// set (the sequential strong rule's survivors at this λ) joins it once its gradient breaks the conditions,
    /// and any other predictor after that, each time followed by a new descent, as glmnet does. While
    /// predictors may still join, the descent stops at the violation `looseTarget`; once none of the strong set
    /// is left to join, Newton's method (`newton`) takes the non-zero coefficients to ε, and where it fails the
    /// descent goes on to a hundred times smaller violations before Newton is tried again.
    func fit(lambda: Double, previous: Double, alpha: Double, tolerance: Double, kktTolerance: Double) -> Double {
        let penalty = lambda * alpha
        let cut = alpha * (2 * lambda - previous)
        var strong: [Int] = []
        var inStrong = [Bool](repeating: false, count: p)
        var work: [Int] = []
        var inWork = [Bool](repeating: false, count: p)
        for j in 0..<p where everActive[j] {
            work.append(j)
            inWork[j] = true
            inStrong[j] = true
        }
        let known = exactGradients
        exactGradients = nil
        for j in gradients(reaching: cut, among: { !self.everActive[$0] }, known: known) where abs(gradient[j]) >= cut {
            inStrong[j] = true
        }
        strong = (0..<p).filter { inStrong[$0] }
        var gap = Double.infinity
        let scale = 1 / Double(n)
        // Whether the strong set has been checked since the last predictor joined: until then the descent only
        // goes to the loose target, as more predictors may join.
        var settled = false
        for _ in 0..<200 {
            if settled {
                // Newton's method from the loose solution; where it fails, the descent gets a hundred times
                // closer first.
                var target = max(kktTolerance, Self.looseTarget)
                while true {
                    if let polished = newton(on: work, lambda: lambda, alpha: alpha, target: kktTolerance) {
                        gap = polished
                        break
                    }
                    target = max(target * 1e-2, kktTolerance)
                    gap = solve(on: work, lambda: lambda, alpha: alpha, tolerance: tolerance, target: target)
                    if gap <= kktTolerance || target == kktTolerance { break }
                }
            } else {
                let target = max(kktTolerance, Self.looseTarget)
                gap = solve(on: work, lambda: lambda, alpha: alpha, tolerance: tolerance, target: target)
            }
            var added = false
            for j in strong where !inWork[j] {
                gradient[j] = dotProduct(x + j * n, residual, n) * scale
                guard abs(gradient[j]) > penalty else { continue }
                gap = max(gap, abs(gradient[j]) - penalty)
                work.append(j)
                inWork[j] = true
                added = true
            }
            if added {
                settled = false
                continue
            }
            if gap > kktTolerance, !settled {
                settled = true
                continue
            }
            let checked = gradients(reaching: penalty, among: { !inStrong[$0] })
            for j in checked where abs(gradient[j]) > penalty {
                gap = max(gap, abs(gradient[j]) - penalty)
                strong.append(j)
                inStrong[j] = true
                work.append(j)
                inWork[j] = true
                added = true
            }
            if !added {
                // The residual stays as checked until the next fit: its strong rule reuses these gradients.
                var exact = inStrong
                for j in checked { exact[j] = true }
                exactGradients = exact
                break
            }
            settled = false
        }
        for j in work where beta[j] != 0 { everActive[j] = true }
        return gap
    }

    /// Iteratively reweighted least squares over `set` until its optimality conditions and the intercept's hold
    /// to `target`; returns the largest violation left, with `residual` set to y − p and the gradients of `set`
    /// up to date.
    ///
    /// Each quadratic approximation is solved by coordinate descent: sweeps over all of `set`, then over its
    /// non-zero members until they settle, until a full sweep moves no coefficient by more than the threshold
    /// (the weighted variance of its change in the linear predictor). The threshold starts at `tolerance` and
    /// follows the violation left after each step, at most (violation / 10)², so the early approximations are
    /// solved loosely and the last ones to the precision the conditions need (an inexact Newton method).
    func solve(on set: [Int], lambda: Double, alpha: Double, tolerance: Double, target: Double) -> Double {
        let penalty = lambda * alpha
        let ridge = lambda * (1 - alpha)
        let inverseN = 1 / Double(n)
        var threshold = tolerance
        var gap = Double.infinity
        for _ in 0..<1000 {
            var weightSum = 0.0
            for i in 0..<n {
                let q = probability[i]
                weight[i] = q * (1 - q)
                residual[i] = y[i] - q
                weightSum += weight[i]
            }
            weightSum *= inverseN
            let startIntercept = intercept
            for j in set { startBeta[j] = beta[j] }
            for j in set { curvature[j] = weightedSquareSum(x + j * n, weight, n) * inverseN }
            // One sweep over `members` and the intercept; returns the largest weighted squared change.
            func sweep(_ members: [Int]) -> Double {
                var largest = 0.0
                for j in members {
                    let column = x + j * n
                    let old = beta[j]
                    let u = dotProduct(column, residual, n) * inverseN + curvature[j] * old
                    let shrunk = abs(u) <= penalty ? 0 : (u > 0 ? u - penalty : u + penalty)
                    let new = shrunk / (curvature[j] + ridge)
                    guard new != old else { continue }
                    let change = new - old
                    beta[j] = new
                    for i in 0..<n { residual[i] -= change * weight[i] * column[i] }
                    largest = max(largest, curvature[j] * change * change)
                }
                var sum = 0.0
                for i in 0..<n { sum += residual[i] }
                let change = sum * inverseN / weightSum
                intercept += change
                for i in 0..<n { residual[i] -= change * weight[i] }
                return max(largest, weightSum * change * change)
            }
            while sweep(set) >= threshold {
                var active = set.filter { beta[$0] != 0 }
                while sweep(active) >= threshold { active = active.filter { beta[$0] != 0 } }
            }
            // The linear predictor follows the coefficients once per step rather than at every update.
            let interceptChange = intercept - startIntercept
            for i in 0..<n { eta[i] += interceptChange }
            var moved = weightSum * interceptChange * interceptChange
            for j in set where beta[j] != startBeta[j] {
                let change = beta[j] - startBeta[j]
                let column = x + j * n
                for i in 0..<n { eta[i] += change * column[i] }
                moved = max(moved, curvature[j] * change * change)
            }
            updateProbabilities()
            for i in 0..<n { residual[i] = y[i] - probability[i] }
            gap = optimalityGap(lambda: lambda, alpha: alpha, members: set)
            // Below 10⁻⁴⁰ the descent cannot move a coefficient any more: rounding has the last word.
            if gap <= target || (moved == 0 && threshold <= 1e-40) { break }
            threshold = max(min(moved < threshold ? threshold * 1e-2 : threshold, 1e-2 * gap * gap), 1e-40)
        }
        return gap
    }

    /// Newton's method on the non-zero members of `set` and the intercept, their signs held fixed, until the
    /// optimality conditions of `set` hold to `target`; returns the violation left, or `nil` (the descent takes
    /// over from wherever it stopped) when a coefficient would change sign, the Hessian is not positive
    /// definite, or a step fails to halve the violation.
    ///
    /// Where the conditions are smooth (no coefficient at zero changes), they are the gradient equations of the
    /// log-likelihood with the penalty's constant slope, and Newton's method converges quadratically, where
    /// coordinate descent on correlated predictors gains a digit only every twenty or so sweeps.
    ///
    /// - Complexity: O(N · a²) per step for a non-zero coefficients (the weighted Gram matrix), plus O(a³).
    func newton(on set: [Int], lambda: Double, alpha: Double, target: Double) -> Double? {
        let active = set.filter { beta[$0] != 0 }
        let m = active.count + 1
        guard m <= n else { return nil }
        let penalty = lambda * alpha
        let ridge = lambda * (1 - alpha)
        let inverseN = 1 / Double(n)
        var weighted = [Double](repeating: 0, count: n * active.count)
        var hessian = [Double](repeating: 0, count: m * m)
        var step = [Double](repeating: 0, count: m)
        for i in 0..<n { residual[i] = y[i] - probability[i] }
        var gap = optimalityGap(lambda: lambda, alpha: alpha, members: set)
        for _ in 0..<10 {
            var weightSum = 0.0
            var residualSum = 0.0
            for i in 0..<n {
                let q = probability[i]
                weight[i] = q * (1 - q)
                residual[i] = y[i] - q
                weightSum += weight[i]
                residualSum += residual[i]
            }
            // The gradient of the objective (−step) and its Hessian, index 0 the intercept.
            step[0] = residualSum * inverseN
            hessian[0] = weightSum * inverseN
            weighted.withUnsafeMutableBufferPointer { buffer in
                guard let base = buffer.baseAddress else { return }
                for (position, j) in active.enumerated() {
                    let column = x + j * n
                    let destination = base + position * n
                    var sum = 0.0
                    for i in 0..<n {
                        destination[i] = weight[i] * column[i]
                        sum += destination[i]
                    }
                    hessian[position + 1] = sum * inverseN
                    hessian[(position + 1) * m] = sum * inverseN
                    let b = beta[j]
                    step[position + 1] =
                        dotProduct(column, residual, n) * inverseN - (b > 0 ? penalty : -penalty) - ridge * b
                    for other in 0...position {
                        let value = dotProduct(destination, x + active[other] * n, n) * inverseN
                        hessian[(position + 1) * m + other + 1] = value
                        hessian[(other + 1) * m + position + 1] = value
                    }
                    hessian[(position + 1) * m + position + 1] += ridge
                }
            }
            guard Self.choleskySolve(&hessian, &step, m) else { return nil }
            for (position, j) in active.enumerated() {
                let new = beta[j] + step[position + 1]
                guard (new > 0) == (beta[j] > 0), new != 0 else { return nil }
            }
            func move(by sign: Double) {
                intercept += sign * step[0]
                for i in 0..<n { eta[i] += sign * step[0] }
                for (position, j) in active.enumerated() {
                    let change = sign * step[position + 1]
                    beta[j] += change
                    let column = x + j * n
                    for i in 0..<n { eta[i] += change * column[i] }
                }
                updateProbabilities()
                for i in 0..<n { residual[i] = y[i] - probability[i] }
            }
            move(by: 1)
            let previous = gap
            gap = optimalityGap(lambda: lambda, alpha: alpha, members: set)
            if gap <= target { return gap }
            guard gap < 0.5 * previous else {
                // A step that does not help is taken back, so the descent goes on from the better point.
                move(by: -1)
                _ = optimalityGap(lambda: lambda, alpha: alpha, members: set)
                return nil
            }
        }
        return nil
    }

    /// Solves A z = b in place for a symmetric positive-definite m × m matrix (row-major) by Cholesky
    /// factorisation; `false` when a pivot is not positive.
    static func choleskySolve(_ a: inout [Double], _ b: inout [Double], _ m: Int) -> Bool {
        for k in 0..<m {
            var pivot = a[k * m + k]
            for l in 0..<k { pivot -= a[k * m + l] * a[k * m + l] }
            guard pivot > 0, pivot.isFinite else { return false }
            let root = pivot.squareRoot()
            a[k * m + k] = root
            for r in (k + 1)..<max(m, k + 1) {
                var value = a[r * m + k]
                for l in 0..<k { value -= a[r * m + l] * a[k * m + l] }
                a[r * m + k] = value / root
            }
        }
        for r in 0..<m {
            var value = b[r]
            for l in 0..<r { value -= a[r * m + l] * b[l] }
            b[r] = value / a[r * m + r]
        }
        for r in stride(from: m - 1, through: 0, by: -1) {
            var value = b[r]
            for l in (r + 1)..<max(m, r + 1) { value -= a[l * m + r] * b[l] }
            b[r] = value / a[r * m + r]
        }
        return true
    }

    /// The intercept and coefficients on the original scale.
    func originalScale() -> (intercept: Double, coefficients: [Double]) {
        var coefficients = [Double](repeating: 0, count: p)
        var shift = 0.0
        for j in 0..<p where beta[j] != 0 {
            coefficients[j] = beta[j] / scales[j]
            shift += coefficients[j] * means[j]
        }
        return (intercept - shift, coefficients)
    }
}

/// Σ aᵢbᵢ over n values, four lanes at a time.
@inline(__always)
func dotProduct(_ a: UnsafePointer<Double>, _ b: UnsafePointer<Double>, _ n: Int) -> Double {
    var lanes = SIMD4<Double>()
    var i = 0
    let rawA = UnsafeRawPointer(a)
    let rawB = UnsafeRawPointer(b)
    let stride = MemoryLayout<Double>.stride
    while i + 4 <= n {
        lanes +=
            rawA.loadUnaligned(fromByteOffset: i * stride, as: SIMD4<Double>.self)
            * rawB.loadUnaligned(fromByteOffset: i * stride, as: SIMD4<Double>.self)
        i += 4
    }
    var sum = lanes.sum()
    while i < n {
        sum += a[i] * b[i]
        i += 1
    }
    return sum
}

/// Σ wᵢaᵢ² over n values, four lanes at a time (the twin of `dotProduct`, for the curvatures).
@inline(__always)
func weightedSquareSum(_ a: UnsafePointer<Double>, _ w: UnsafePointer<Double>, _ n: Int) -> Double {
    var lanes = SIMD4<Double>()
    var i = 0
    let rawA = UnsafeRawPointer(a)
    let rawW = UnsafeRawPointer(w)
    let stride = MemoryLayout<Double>.stride
    while i + 4 <= n {
        let values = rawA.loadUnaligned(fromByteOffset: i * stride, as: SIMD4<Double>.self)
        lanes += rawW.loadUnaligned(fromByteOffset: i * stride, as: SIMD4<Double>.self) * values * values
        i += 4
    }
    var sum = lanes.sum()
    while i < n {
        sum += w[i] * a[i] * a[i]
        i += 1
    }
    return sum
}
