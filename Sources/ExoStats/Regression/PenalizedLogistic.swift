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
/// solution, works only on the predictors the sequential strong rule (Tibshirani et al. 2012) keeps, and checks
/// the optimality (KKT) conditions of all others before it moves on. docs/statistics.md gives the agreement
/// with glmnet 4.1.
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
        /// Convergence: a sweep ends the iterations once no coefficient moves by more than this, measured as
        /// the weighted variance of its change in the linear predictor (glmnet's `thresh`, per sample).
        public var tolerance: Double

        /// Creates options; the defaults are the lasso on glmnet's path.
        public init(
            alpha: Double = 1, lambdaCount: Int = 100, lambdaMinRatio: Double? = nil, lambdas: [Double]? = nil,
            tolerance: Double = 1e-10
        ) {
            self.alpha = alpha
            self.lambdaCount = lambdaCount
            self.lambdaMinRatio = lambdaMinRatio
            self.lambdas = lambdas
            self.tolerance = tolerance
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
        var previous = userLambdas?.first ?? lambdaMax
        for step in 0..<count {
            let lambda =
                userLambdas?[step]
                ?? (count == 1 ? lambdaMax : lambdaMax * pow(ratio, Double(step) / Double(count - 1)))
            // glmnet's default path starts at the intercept-only model (its first λ is "infinite"), which for
            // α < 1 differs slightly from the fit at λ_max.
            if userLambdas != nil || step > 0 {
                solver.fit(lambda: lambda, previous: previous, alpha: alpha, tolerance: options.tolerance)
            }
            previous = lambda
            let (intercept, beta) = solver.originalScale()
            let devianceRatio = 1 - solver.deviance() / nullDeviance
            lambdas.append(lambda)
            intercepts.append(intercept)
            coefficients.append(beta)
            ratios.append(devianceRatio)
            guard userLambdas == nil, step >= 4 else { continue }
            if devianceRatio > 0.999 || devianceRatio - ratios[step - 1] < 1e-5 { break }
        }
        self.lambdas = lambdas
        self.intercepts = intercepts
        self.coefficients = coefficients
        self.devianceRatios = ratios
        self.nullDeviance = nullDeviance * n
    }

    /// The number of non-zero coefficients at a step.
    public func nonzeroCount(at step: Int) -> Int {
        coefficients[step].reduce(0) { $0 + ($1 != 0 ? 1 : 0) }
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
    /// |gradient| of every predictor at the current solution.
    let gradient: UnsafeMutablePointer<Double>
    var everActive: [Bool]

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
        eta = .allocate(capacity: max(n, 1))
        probability = .allocate(capacity: max(n, 1))
        weight = .allocate(capacity: max(n, 1))
        residual = .allocate(capacity: max(n, 1))
        for buffer in [eta, probability, weight, residual] { buffer.initialize(repeating: 0, count: n) }
        everActive = [Bool](repeating: false, count: p)
    }

    deinit {
        for buffer in [x, y, beta, curvature, gradient, eta, probability, weight, residual] { buffer.deallocate() }
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

    func gradientMaximum() -> Double {
        var largest = 0.0
        for j in 0..<p where !constant[j] { largest = max(largest, gradient[j]) }
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

    /// |∂/∂βⱼ| of the mean log-likelihood for every predictor.
    func updateGradient() {
        for i in 0..<n { residual[i] = y[i] - probability[i] }
        let scale = 1 / Double(n)
        for j in 0..<p where !constant[j] { gradient[j] = abs(dotProduct(x + j * n, residual, n)) * scale }
    }

    /// Solves at λ, starting from the current solution.
    func fit(lambda: Double, previous: Double, alpha: Double, tolerance: Double) {
        let cut = alpha * (2 * lambda - previous)
        var set: [Int] = []
        var inSet = [Bool](repeating: false, count: p)
        for j in 0..<p where !constant[j] && (everActive[j] || gradient[j] >= cut) {
            set.append(j)
            inSet[j] = true
        }
        while true {
            solve(on: set, lambda: lambda, alpha: alpha, tolerance: tolerance)
            updateGradient()
            var violated = false
            for j in 0..<p where !constant[j] && !inSet[j] && gradient[j] > lambda * alpha {
                set.append(j)
                inSet[j] = true
                violated = true
            }
            if !violated { break }
        }
        for j in set where beta[j] != 0 { everActive[j] = true }
    }

    /// Iteratively reweighted least squares, each quadratic approximation solved by coordinate descent over
    /// `set`: sweeps over all of it, then over its non-zero members until they settle, until a full sweep
    /// changes nothing.
    func solve(on set: [Int], lambda: Double, alpha: Double, tolerance: Double) {
        let penalty = lambda * alpha
        let ridge = lambda * (1 - alpha)
        let inverseN = 1 / Double(n)
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
            let start = set.map { beta[$0] }
            for j in set {
                let column = x + j * n
                var sum = 0.0
                for i in 0..<n { sum += weight[i] * column[i] * column[i] }
                curvature[j] = sum * inverseN
            }
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
                    for i in 0..<n {
                        residual[i] -= change * weight[i] * column[i]
                        eta[i] += change * column[i]
                    }
                    largest = max(largest, curvature[j] * change * change)
                }
                var sum = 0.0
                for i in 0..<n { sum += residual[i] }
                let change = sum * inverseN / weightSum
                intercept += change
                for i in 0..<n {
                    residual[i] -= change * weight[i]
                    eta[i] += change
                }
                return max(largest, weightSum * change * change)
            }
            while sweep(set) >= tolerance {
                var active = set.filter { beta[$0] != 0 }
                while sweep(active) >= tolerance { active = active.filter { beta[$0] != 0 } }
            }
            updateProbabilities()
            var moved = weightSum * (intercept - startIntercept) * (intercept - startIntercept)
            for (position, j) in set.enumerated() {
                let change = beta[j] - start[position]
                moved = max(moved, curvature[j] * change * change)
            }
            if moved < tolerance { break }
        }
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
