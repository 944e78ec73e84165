#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Empirical-Bayes moderated t statistics (Smyth 2004, doi:10.2202/1544-6115.1027), as limma's `eBayes` after
/// `lmFit`, for one coefficient per feature.
///
/// Each feature i has a least-squares coefficient β̂ᵢ with unscaled standard deviation uᵢ, residual variance
/// sᵢ² on dᵢ degrees of freedom. The sᵢ² are taken as draws of s₀²·F(dᵢ, d₀): d₀ and s₀² come from the mean and
/// variance of log sᵢ² (fitFDist, with the trigamma inverse), the posterior variance is
/// s̃ᵢ² = (d₀s₀² + dᵢsᵢ²)/(d₀ + dᵢ), and t̃ᵢ = β̂ᵢ/(uᵢ s̃ᵢ) has a t distribution on dᵢ + d₀ degrees of freedom
/// (capped at the pooled residual df). The B statistic is the log-odds of differential expression, with 1 %
/// of features assumed to differ and their coefficient variance v₀ estimated from the largest |t| (tmixture).
/// docs/statistics.md gives the agreement with limma 3.54.
public enum ModeratedT {
    /// The least-squares fit of one feature.
    public struct Fit: Sendable, Hashable {
        /// β̂ (NaN when not estimable).
        public var coefficient: Double
        /// u: the coefficient's standard deviation divided by σ.
        public var unscaledSD: Double
        /// s², the residual variance (NaN without residual degrees of freedom).
        public var residualVariance: Double
        /// d, the residual degrees of freedom.
        public var residualDF: Double

        /// Creates a fit.
        public init(coefficient: Double, unscaledSD: Double, residualVariance: Double, residualDF: Double) {
            self.coefficient = coefficient
            self.unscaledSD = unscaledSD
            self.residualVariance = residualVariance
            self.residualDF = residualDF
        }
    }

    /// The moderated statistics of one feature.
    public struct Statistic: Sendable, Hashable {
        public var t: Double
        public var p: Double
        public var totalDF: Double
        /// The log-odds of differential expression (limma's B).
        public var b: Double
        public var posteriorVariance: Double
    }

    /// The prior fitted to all features.
    public struct Prior: Sendable, Hashable {
        /// d₀ (infinite when the variances vary no more than sampling explains).
        public var df: Double
        /// s₀².
        public var variance: Double
        /// v₀, the prior variance of non-zero coefficients (in units of σ²), for B.
        public var coefficientVariance: Double
    }

    /// The two-group fit (the model ~ group, coefficient = mean(cases) − mean(controls)) from the values present.
    public static func twoGroupFit(cases: [Double], controls: [Double]) -> Fit {
        let m = Double(cases.count)
        let n = Double(controls.count)
        guard m > 0, n > 0 else {
            let pooled = cases + controls
            let mean = pooled.isEmpty ? Double.nan : pooled.reduce(0, +) / Double(pooled.count)
            let df = Double(max(pooled.count - 1, 0))
            let variance = df > 0 ? pooled.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / df : .nan
            return Fit(coefficient: .nan, unscaledSD: .nan, residualVariance: variance, residualDF: df)
        }
        let meanCases = cases.reduce(0, +) / m
        let meanControls = controls.reduce(0, +) / n
        var sum = 0.0
        for value in cases { sum += (value - meanCases) * (value - meanCases) }
        for value in controls { sum += (value - meanControls) * (value - meanControls) }
        let df = m + n - 2
        return Fit(
            coefficient: meanCases - meanControls, unscaledSD: (1 / m + 1 / n).squareRoot(),
            residualVariance: df > 0 ? sum / df : .nan, residualDF: df)
    }

    /// Moderates every feature's t statistic.
    ///
    /// - Parameters:
    ///   - fits: one least-squares fit per feature.
    ///   - proportion: the assumed share of differentially expressed features (limma's 0.01).
    ///   - coefficientSDLimits: limits on the prior SD of non-zero coefficients relative to s₀ (limma's 0.1, 4).
    /// - Returns: `nil` when no feature has residual degrees of freedom.
    public static func moderate(
        _ fits: [Fit], proportion: Double = 0.01, coefficientSDLimits: (Double, Double) = (0.1, 4)
    ) -> (statistics: [Statistic], prior: Prior)? {
        let df = fits.map { $0.residualDF }
        guard df.contains(where: { $0 > 0 }) else { return nil }
        let variances = fits.map { $0.residualDF == 0 ? 0 : $0.residualVariance }
        let (prior, priorDF) = fitFDistribution(variances, df: df)
        let pooledDF = df.reduce(0, +)
        var statistics = [Statistic]()
        statistics.reserveCapacity(fits.count)
        for (index, fit) in fits.enumerated() {
            let posterior =
                priorDF.isFinite
                ? (fit.residualDF * variances[index] + priorDF * prior) / (fit.residualDF + priorDF) : prior
            let t = fit.coefficient / fit.unscaledSD / posterior.squareRoot()
            let total = min(fit.residualDF + priorDF, pooledDF)
            statistics.append(
                Statistic(
                    t: t, p: t.isNaN ? .nan : StudentT(degreesOfFreedom: total).twoSidedPValue(t), totalDF: total,
                    b: .nan, posteriorVariance: posterior))
        }
        let limits = (
            coefficientSDLimits.0 * coefficientSDLimits.0 / prior, coefficientSDLimits.1 * coefficientSDLimits.1 / prior
        )
        var v0 = tmixture(
            t: statistics.map(\.t), unscaledSD: fits.map(\.unscaledSD), df: statistics.map(\.totalDF),
            proportion: proportion, limits: limits)
        if v0.isNaN { v0 = 1 / prior }
        let logPriorOdds = log(proportion / (1 - proportion))
        for index in statistics.indices {
            let u2 = fits[index].unscaledSD * fits[index].unscaledSD
            let r = (u2 + v0) / u2
            let t2 = statistics[index].t * statistics[index].t
            let total = statistics[index].totalDF
            let kernel =
                priorDF > 1e6
                ? t2 * (1 - 1 / r) / 2 : (1 + total) / 2 * log((t2 + total) / (t2 / r + total))
            statistics[index].b = logPriorOdds - log(r) / 2 + kernel
        }
        return (statistics, Prior(df: priorDF, variance: prior, coefficientVariance: v0))
    }

    /// limma's fitFDist: s₀² and d₀ from the moments of log s² (variances with df ≤ 0 or not finite are left
    /// out; zeros are raised to 1e-5 × the median).
    static func fitFDistribution(_ variances: [Double], df: [Double]) -> (scale: Double, df: Double) {
        var x: [Double] = []
        var d: [Double] = []
        for index in variances.indices
        where df[index].isFinite && df[index] > 1e-15 && variances[index].isFinite && variances[index] > -1e-15 {
            x.append(max(variances[index], 0))
            d.append(df[index])
        }
        guard x.count > 1 else { return (x.first ?? .nan, x.count == 1 ? 0 : .nan) }
        var median = Descriptive.median(x) ?? 1
        if median == 0 { median = 1 }
        x = x.map { max($0, 1e-5 * median) }
        let e = zip(x, d).map { log($0) - SpecialFunctions.digamma($1 / 2) + log($1 / 2) }
        let count = Double(e.count)
        let mean = e.reduce(0, +) / count
        var spread = e.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / (count - 1)
        spread -= d.reduce(0) { $0 + SpecialFunctions.trigamma($1 / 2) } / count
        guard spread > 0 else { return (x.reduce(0, +) / count, .infinity) }
        let df2 = 2 * SpecialFunctions.trigammaInverse(spread)
        return (exp(mean + SpecialFunctions.digamma(df2 / 2) - log(df2 / 2)), df2)
    }

    /// limma's tmixture.vector: v₀ from the ⌈proportion/2 · N⌉ largest |t| (each moved to the largest df first).
    static func tmixture(t: [Double], unscaledSD: [Double], df: [Double], proportion: Double, limits: (Double, Double))
        -> Double
    {
        let present = t.indices.filter { !t[$0].isNaN }
        let genes = Double(present.count)
        let target = Int((proportion / 2 * genes).rounded(.up))
        guard target >= 1 else { return .nan }
        let p = max(Double(target) / genes, proportion)
        let maxDF = present.map { df[$0] }.max() ?? 0
        let reference = StudentT(degreesOfFreedom: maxDF)
        var absolute = present.map { index -> (t: Double, u: Double, index: Int) in
            var value = abs(t[index])
            if df[index] < maxDF {
                value = reference.upperQuantile(StudentT(degreesOfFreedom: df[index]).upperTail(value))
            }
            return (value, unscaledSD[index], index)
        }
        absolute.sort { $0.t != $1.t ? $0.t > $1.t : $0.index < $1.index }
        var sum = 0.0
        for rank in 0..<target {
            let (value, u, _) = absolute[rank]
            let p0 = 2 * reference.upperTail(value)
            let pTarget = ((Double(rank + 1) - 0.5) / genes - (1 - p) * p0) / p
            var v0 = 0.0
            if pTarget > p0 {
                let q = reference.upperQuantile(pTarget / 2)
                v0 = u * u * ((value / q) * (value / q) - 1)
            }
            sum += min(max(v0, limits.0), limits.1)
        }
        return sum / Double(target)
    }
}
