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
public enum CoxModel {
    /// The fitted model.
    public struct Fit: Sendable, Hashable {
        public var coefficients: [Double]
        public var standardErrors: [Double]
        public var z: [Double]
        public var p: [Double]
        /// The log partial likelihood at β = 0 and at the estimate.
        public var initialLogLikelihood: Double
        public var logLikelihood: Double
        public var iterations: Int
        /// Hazard ratios e^β.
        public var hazardRatios: [Double] { coefficients.map { exp($0) } }
    }

    /// Fits the model.
    ///
    /// - Parameters:
    ///   - observations: time and event per subject.
    ///   - covariates: one row per subject, one column per covariate (the caller leaves out subjects with a
    ///     missing covariate and says so).
    /// - Returns: the fit; `nil` without events, with no covariate, or when the information matrix is singular.
    public static func fit(_ observations: [Survival.Observation], covariates: [[Double]]) -> Fit? {
        let n = observations.count
        guard n > 0, covariates.count == n, let p = covariates.first?.count, p > 0,
            observations.contains(where: \.event)
        else { return nil }
        // Centred covariates (the estimates do not change; exp stays in range), subjects by decreasing time.
        let means = (0..<p).map { j in covariates.reduce(0) { $0 + $1[j] } / Double(n) }
        let order = observations.indices.sorted { observations[$0].time > observations[$1].time }
        let x = order.map { i in (0..<p).map { covariates[i][$0] - means[$0] } }
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
        var iterations = 0
        for iteration in 1...50 {
            iterations = iteration
            guard let step = LinearAlgebra.solve(current.information, current.gradient) else { return nil }
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
            if change < 1e-12 { break }
        }
        // The inverse information, column by column.
        var standardErrors = [Double](repeating: .nan, count: p)
        for j in 0..<p {
            var unit = [Double](repeating: 0, count: p)
            unit[j] = 1
            guard let column = LinearAlgebra.solve(current.information, unit) else { return nil }
            standardErrors[j] = column[j].squareRoot()
        }
        let z = zip(beta, standardErrors).map { $0 / $1 }
        return Fit(
            coefficients: beta, standardErrors: standardErrors, z: z, p: z.map(Normal.twoSidedPValue),
            initialLogLikelihood: initial, logLikelihood: current.logLikelihood, iterations: iterations)
    }
}
