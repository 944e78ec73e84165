public import ExoFormats
import ExoStats
import Foundation

/// A shelf-life estimate from a stability study by ICH Q1E (Evaluation of Stability Data, 2003, Appendix B):
/// regress the attribute on time and find the earliest time at which the one-sided 95 % confidence limit for the
/// mean crosses the acceptance criterion — the lower limit for an attribute that must stay above a minimum, the
/// upper for a maximum, and with both, the two-sided 95 % limits (each side one-sided 97.5 %).
///
/// The estimate is capped by Q1E's extrapolation limit for data at the intended storage condition: twice the
/// period covered by the data, and no more than 12 months beyond it.
public struct ShelfLife: Sendable, Hashable, Codable {
    public var condition: String
    /// The lot, when the study has several.
    public var lot: String?
    public var attribute: String
    public var n: Int
    public var intercept: Double
    /// Change per month.
    public var slope: Double
    public var residualSD: Double
    /// Mean of the times and Σ(t − t̄)², for the confidence bound at any time.
    public var meanTime: Double
    public var sumOfSquaresTime: Double
    public var minimum: Double?
    public var maximum: Double?
    /// One-sided confidence of each bound (0.95, or 0.975 with both limits).
    public var confidence: Double
    /// The longest time with data, months.
    public var longestTime: Double
    /// Months at which the confidence bound meets a limit; `nil` when it does not within `horizon`.
    public var crossing: Double?
    /// Q1E's extrapolation limit: min(2 × longest, longest + 12).
    public var extrapolationLimit: Double
    /// The supported shelf life: the crossing, capped by the extrapolation limit.
    public var shelfLife: Double
    /// Whether the shelf life is set by the extrapolation limit rather than by the data crossing a limit.
    public var limitedByExtrapolation: Bool

    /// Estimates the shelf life; `nil` with fewer than three points, a single time, or no limit.
    ///
    /// - Parameters:
    ///   - condition: the storage condition (`-80 °C`).
    ///   - lot: the lot, when the study has several.
    ///   - attribute: the attribute (`concentration_per_ml`).
    ///   - times: months since manufacture.
    ///   - values: the attribute at each time.
    ///   - minimum: the lower acceptance limit.
    ///   - maximum: the upper acceptance limit.
    ///   - horizon: how far to search for a crossing, months.
    public init?(
        condition: String, lot: String? = nil, attribute: String, times: [Double], values: [Double],
        minimum: Double? = nil, maximum: Double? = nil, horizon: Double = 240
    ) {
        guard times.count >= 3, minimum != nil || maximum != nil,
            let fit = SimpleLinearRegression(x: times, y: values), fit.residualStandardError.isFinite
        else { return nil }
        self.condition = condition
        self.lot = lot
        self.attribute = attribute
        meanTime = fit.meanX
        sumOfSquaresTime = fit.sumOfSquaresX
        n = fit.n
        intercept = fit.intercept
        slope = fit.slope
        residualSD = fit.residualStandardError
        self.minimum = minimum
        self.maximum = maximum
        confidence = minimum != nil && maximum != nil ? 0.975 : 0.95
        let longest = times.max() ?? 0
        let cap = min(2 * longest, longest + 12)
        extrapolationLimit = cap
        longestTime = longest
        let t = StudentT(degreesOfFreedom: Double(fit.n - 2)).upperQuantile(1 - confidence)
        let bound = { (time: Double, sign: Double) -> Double in
            let mean = fit.intercept + fit.slope * time
            let se =
                fit.residualStandardError
                * (1 / Double(fit.n) + (time - fit.meanX) * (time - fit.meanX) / fit.sumOfSquaresX).squareRoot()
            return mean + sign * t * se
        }
        // The bound's distance inside the acceptance range; negative once it has crossed.
        let margin = { (time: Double) -> Double in
            min(
                minimum.map { bound(time, -1) - $0 } ?? .infinity,
                maximum.map { $0 - bound(time, 1) } ?? .infinity)
        }
        var crossing: Double?
        if margin(0) <= 0 {
            crossing = 0
        } else {
            // Scan in steps of 1/20 month, then bisect the first bracket to 1e-10 month.
            let step = 0.05
            var low = 0.0
            var high = step
            while high <= horizon {
                if margin(high) <= 0 {
                    for _ in 0..<60 {
                        let middle = (low + high) / 2
                        if margin(middle) <= 0 { high = middle } else { low = middle }
                    }
                    crossing = (low + high) / 2
                    break
                }
                low = high
                high += step
            }
        }
        self.crossing = crossing
        shelfLife = min(crossing ?? .infinity, cap)
        limitedByExtrapolation = crossing.map { $0 > cap } ?? true
    }

    /// The lower and upper confidence bounds of the mean at `time` (the bound's own one-sided confidence).
    public func bounds(at time: Double) -> (lower: Double, upper: Double) {
        let t = StudentT(degreesOfFreedom: Double(n - 2)).upperQuantile(1 - confidence)
        let se =
            residualSD
            * (1 / Double(n) + (time - meanTime) * (time - meanTime) / sumOfSquaresTime).squareRoot()
        let mean = intercept + slope * time
        return (mean - t * se, mean + t * se)
    }
}

extension ShelfLife {
    /// One attribute's measurements under one storage condition (and lot), with the shelf life where limits are
    /// given.
    public struct Series: Sendable, Hashable, Codable {
        public var condition: String
        public var lot: String?
        public var attribute: String
        public var times: [Double]
        public var values: [Double]
        public var shelfLife: ShelfLife?
    }

    /// Every attribute's series per condition and lot of a stability table (`condition`, `months`, optional
    /// `lot`); lots are never pooled, since ICH Q1E pools batches only after its poolability tests.
    ///
    /// - Parameters:
    ///   - table: the stability table.
    ///   - limits: acceptance limits by attribute; attributes without are listed without a shelf life.
    /// - Returns: the series in table order.
    public static func series(_ table: QCSeriesTable, limits: [String: StudyQCFiles.Limit]) -> [Series] {
        let lots = table.distinct("lot")
        return table.valueColumns.flatMap { attribute in
            table.distinct("condition").flatMap { condition in
                (lots.isEmpty ? [nil] : lots.map(Optional.some)).compactMap { lot -> Series? in
                    let rows = table.rows.filter {
                        $0.labels["condition"] == condition && $0.labels["lot"] == lot && $0.values[attribute] != nil
                    }
                    guard !rows.isEmpty else { return nil }
                    let times = rows.compactMap(\.time)
                    let values = rows.compactMap { $0.values[attribute] }
                    return Series(
                        condition: condition, lot: lot, attribute: attribute, times: times, values: values,
                        shelfLife: limits[attribute].flatMap {
                            ShelfLife(
                                condition: condition, lot: lot, attribute: attribute, times: times, values: values,
                                minimum: $0.minimum, maximum: $0.maximum)
                        })
                }
            }
        }
    }
}
