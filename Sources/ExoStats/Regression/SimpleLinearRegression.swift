/// Ordinary least squares of y on one predictor x: y = intercept + slope · x + ε.
///
/// Conventions: sums are centred (two-pass) for accuracy; standard errors use the residual variance with
/// n − 2 degrees of freedom; R² is 1 − SS_res / SS_tot. `nil` for fewer than two points or constant x.
public struct SimpleLinearRegression: Sendable, Hashable, Codable {
    public let n: Int
    public let slope: Double
    public let intercept: Double
    /// Coefficient of determination.
    public let rSquared: Double
    /// Residual standard error √(SS_res / (n − 2)); NaN for n = 2.
    public let residualStandardError: Double
    public let slopeStandardError: Double
    public let interceptStandardError: Double
    /// Mean of x, for prediction intervals.
    public let meanX: Double
    /// Σ (x − x̄)².
    public let sumOfSquaresX: Double

    /// Fits the line.
    ///
    /// - Complexity: O(n).
    public init?(x: [Double], y: [Double]) {
        precondition(x.count == y.count, "x has \(x.count) values but y has \(y.count)")
        guard x.count >= 2 else { return nil }
        let count = Double(x.count)
        let meanX = x.reduce(0, +) / count
        let meanY = y.reduce(0, +) / count
        var sxx = 0.0
        var sxy = 0.0
        var syy = 0.0
        for (xi, yi) in zip(x, y) {
            sxx += (xi - meanX) * (xi - meanX)
            sxy += (xi - meanX) * (yi - meanY)
            syy += (yi - meanY) * (yi - meanY)
        }
        guard sxx > 0 else { return nil }
        let slope = sxy / sxx
        let intercept = meanY - slope * meanX
        let residual = zip(x, y).reduce(0) { sum, point in
            let e = point.1 - (intercept + slope * point.0)
            return sum + e * e
        }
        let sigma = x.count > 2 ? (residual / (count - 2)).squareRoot() : .nan
        self.n = x.count
        self.slope = slope
        self.intercept = intercept
        self.rSquared = syy > 0 ? 1 - residual / syy : 1
        self.residualStandardError = sigma
        self.slopeStandardError = sigma / sxx.squareRoot()
        self.interceptStandardError = sigma * (1 / count + meanX * meanX / sxx).squareRoot()
        self.meanX = meanX
        self.sumOfSquaresX = sxx
    }

    /// The two-sided confidence interval of the slope at `level` (t with n − 2 degrees of freedom).
    public func slopeInterval(level: Double = 0.95) -> ClosedRange<Double>? {
        guard n > 2 else { return nil }
        let t = StudentT(degreesOfFreedom: Double(n - 2)).quantile(0.5 + level / 2)
        return (slope - t * slopeStandardError)...(slope + t * slopeStandardError)
    }
}
