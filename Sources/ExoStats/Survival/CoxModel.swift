#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The Cox proportional-hazards model with Efron's handling of tied event times (R `coxph`'s default), fitted
/// by Newton–Raphson from β = 0 with step halving, to a relative change in the log partial likelihood below
/// 1e-12.
///
/// Efron's partial log-likelihood, for each event time with d deaths D in risk set R:
/// Σ_D xβ − Σ_{r<d} log(Σ_R e^{xβ} − (r/d)·Σ_D e^{xβ}). Standard errors come from the inverse information at
/// the estimate; z = β/se with a two-sided normal p (Wald), as `summary(coxph)`.
///
/// What `coxph` says about a fit, the fit says too: a covariate that is constant or a linear combination of the
/// ones before it is dropped (coefficient NaN, R's `NA`; ``Fit/dropped``); a coefficient the likelihood converged
/// before is flagged as possibly infinite by R's rule (the remaining Newton step |I⁻¹U|ⱼ above 1e-9 and above
/// √1e-9·|βⱼ|; ``Fit/possiblyInfinite``); and a fit that runs out of iterations says so (``Fit/converged``).
public enum CoxModel {
    /// The fitted model.
    public struct Fit: Sendable, Hashable {
        /// One per covariate; NaN for a dropped one.
        public var coefficients: [Double]
        public var standardErrors: [Double]
        public var z: [Double]
        public var p: [Double]
        /// The log partial likelihood at β = 0 and at the estimate.
        public var initialLogLikelihood: Double
        public var logLikelihood: Double
        public var iterations: Int
        /// Whether the log partial likelihood's relative change fell below 1e-12 within the iteration limit.
        public var converged: Bool
        /// The covariates left out as constant or collinear with earlier ones (R reports them as `NA`).
        public var dropped: [Bool]
        /// The coefficients the likelihood converged before (R: "Loglik converged before variable j;
        /// coefficient may be infinite").
        public var possiblyInfinite: [Bool]
        /// Hazard ratios e^β.
        public var hazardRatios: [Double] { coefficients.map { exp($0) } }
    }

    /// The iteration limit.
    public static let maximumIterations = 50

    /// Which centred columns to keep: each column's part orthogonal to the kept columns before it must keep more
    /// than 1e-9 of its length (modified Gram–Schmidt), else it is constant or collinear and is dropped.
    static func independentColumns(_ x: [[Double]], count p: Int) -> [Bool] {
        var basis: [[Double]] = []
        var keep = [Bool](repeating: false, count: p)
        for j in 0..<p {
            var column = x.map { $0[j] }
            let norm = column.reduce(0) { $0 + $1 * $1 }.squareRoot()
            for vector in basis {
                let projection = zip(column, vector).reduce(0) { $0 + $1.0 * $1.1 }
                for i in column.indices { column[i] -= projection * vector[i] }
            }
            let residual = column.reduce(0) { $0 + $1 * $1 }.squareRoot()
            guard norm > 0, residual > 1e-9 * norm else { continue }
            basis.append(column.map { $0 / residual })
            keep[j] = true
        }
        return keep
    }

    /// Fits the model.
    ///
    /// - Parameters:
    ///   - observations: time and event per subject.
    ///   - covariates: one row per subject, one column per covariate (the caller leaves out subjects with a
    ///     missing covariate and says so).
    /// - Returns: the fit; `nil` without events, with no covariate, or when the information matrix is singular
    ///   although no covariate is collinear. With every covariate dropped the fit has no coefficient but NaN.
    public static func fit(_ observations: [Survival.Observation], covariates: [[Double]]) -> Fit? {
        let n = observations.count
        guard n > 0, covariates.count == n, let allCount = covariates.first?.count, allCount > 0,
            observations.contains(where: \.event)
        else { return nil }
        // Centred covariates (the estimates do not change; exp stays in range), subjects by decreasing time.
        let allMeans = (0..<allCount).map { j in covariates.reduce(0) { $0 + $1[j] } / Double(n) }
        let order = observations.indices.sorted { observations[$0].time > observations[$1].time }
        let centred = order.map { i in (0..<allCount).map { covariates[i][$0] - allMeans[$0] } }
        let kept = independentColumns(centred, count: allCount)
        let columns = kept.indices.filter { kept[$0] }
        let p = columns.count
        let x = centred.map { row in columns.map { row[$0] } }
        /// Spreads the kept columns' values over every covariate, `fill` for the dropped ones.
        func expand<Value>(_ values: [Value], fill: Value) -> [Value] {
            var all = [Value](repeating: fill, count: allCount)
            for (index, column) in columns.enumerated() { all[column] = values[index] }
            return all
        }
        let dropped = kept.map { !$0 }
        let times = order.map { observations[$0].time }
        let events = order.map { observations[$0].event }

        func evaluate(_ beta: [Double]) -> (logLikelihood: Double, gradient: [Double], information: [[Double]]) {
            var logLikelihood = 0.0
            var gradient = [Double](repeating: 0, count: p)
            var information = [[Double]](repeating: [Double](repeating: 0, count: p), count: p)
            var s0 = 0.0
            var s1 = [Double](repeating: 0, count: p)
            var s2 = [[Double]](repeating: [Double](repeating: 0, count: p), count: p)
            var index = 0
            while index < n {
                let time = times[index]
                var d0 = 0.0
                var d1 = [Double](repeating: 0, count: p)
                var d2 = [[Double]](repeating: [Double](repeating: 0, count: p), count: p)
                var deaths = 0
                // Everyone with this time joins the risk set; the deaths among them are tallied apart.
                while index < n, times[index] == time {
                    let row = x[index]
                    var eta = 0.0
                    for j in 0..<p { eta += row[j] * beta[j] }
                    let weight = exp(eta)
                    s0 += weight
                    for j in 0..<p {
                        s1[j] += weight * row[j]
                        for k in 0..<p { s2[j][k] += weight * row[j] * row[k] }
                    }
                    if events[index] {
                        deaths += 1
                        logLikelihood += eta
                        d0 += weight
                        for j in 0..<p {
                            gradient[j] += row[j]
                            d1[j] += weight * row[j]
                            for k in 0..<p { d2[j][k] += weight * row[j] * row[k] }
                        }
                    }
                    index += 1
                }
                for r in 0..<deaths {
                    let share = Double(r) / Double(deaths)
                    let denominator = s0 - share * d0
                    logLikelihood -= log(denominator)
                    let mean = (0..<p).map { (s1[$0] - share * d1[$0]) / denominator }
                    for j in 0..<p {
                        gradient[j] -= mean[j]
                        for k in 0..<p {
                            information[j][k] += (s2[j][k] - share * d2[j][k]) / denominator - mean[j] * mean[k]
                        }
                    }
                }
            }
            return (logLikelihood, gradient, information)
        }

        var beta = [Double](repeating: 0, count: p)
        var current = evaluate(beta)
        let initial = current.logLikelihood
        guard p > 0 else {
            let none = [Double](repeating: .nan, count: allCount)
            return Fit(
                coefficients: none, standardErrors: none, z: none, p: none, initialLogLikelihood: initial,
                logLikelihood: initial, iterations: 0, converged: true, dropped: dropped,
                possiblyInfinite: [Bool](repeating: false, count: allCount))
        }
        let initialInformation = (0..<p).map { current.information[$0][$0] }
        var iterations = 0
        var converged = false
        for iteration in 1...maximumIterations {
            iterations = iteration
            // A coefficient running off to infinity takes its information to zero with it: the fit stops where it
            // is, and the check below names the coefficient.
            guard let step = LinearAlgebra.solve(current.information, current.gradient) else {
                converged = true
                break
            }
            var halving = 1.0
            var candidate = zip(beta, step).map { $0 + $1 }
            var next = evaluate(candidate)
            while next.logLikelihood < current.logLikelihood - 1e-12 * abs(current.logLikelihood), halving > 1e-6 {
                halving /= 2
                candidate = zip(beta, step).map { $0 + halving * $1 }
                next = evaluate(candidate)
            }
            let change = abs(1 - current.logLikelihood / next.logLikelihood)
            beta = candidate
            current = next
            if change < 1e-12 {
                converged = true
                break
            }
        }
        // R's check: a coefficient whose remaining Newton step is still large converged only in likelihood. Where
        // the information has become numerically singular there is no step to take: the coefficients whose
        // information fell below 1e-6 of its value at β = 0 (a separating covariate's falls as e^−|β|) are the
        // ones running off.
        let remaining = LinearAlgebra.solve(current.information, current.gradient)
        let infinite = (0..<p).map { j in
            guard let remaining else { return current.information[j][j] <= 1e-6 * initialInformation[j] }
            return abs(remaining[j]) > 1e-9 && abs(remaining[j]) > 1e-9.squareRoot() * abs(beta[j])
        }
        guard remaining != nil || infinite.contains(true) else { return nil }
        // The inverse information, column by column; where it is singular (only a flagged fit gets there), the
        // inverse of the other coefficients' block, the flagged ones' standard errors NaN.
        var standardErrors = [Double](repeating: .nan, count: p)
        let finiteTerms = remaining == nil ? (0..<p).filter { !infinite[$0] } : Array(0..<p)
        let block = finiteTerms.map { j in finiteTerms.map { current.information[j][$0] } }
        for (position, j) in finiteTerms.enumerated() {
            var unit = [Double](repeating: 0, count: finiteTerms.count)
            unit[position] = 1
            guard let column = LinearAlgebra.solve(block, unit) else { break }
            standardErrors[j] = column[position].squareRoot()
        }
        let z = zip(beta, standardErrors).map { $0 / $1 }
        return Fit(
            coefficients: expand(beta, fill: .nan), standardErrors: expand(standardErrors, fill: .nan),
            z: expand(z, fill: .nan), p: expand(z.map(Normal.twoSidedPValue), fill: .nan),
            initialLogLikelihood: initial,
            logLikelihood: current.logLikelihood, iterations: iterations, converged: converged, dropped: dropped,
            possiblyInfinite: expand(infinite, fill: false))
    }
}
