/// The empirical ROC curve of one marker, with DeLong's nonparametric variance of its AUC.
///
/// The AUC is the Mann–Whitney probability that a case scores above a control, ties counting one half. The
/// direction says which side cases lie on and is fixed by the caller (from training data or prior knowledge),
/// never re-chosen on a resample; ``Direction/detected(cases:controls:)`` gives pROC's rule for a first look.
/// DeLong, DeLong & Clarke-Pearson (1988, doi:10.2307/2531595) placements are computed by sorting and binary
/// search, O(n log n) (Sun & Xu 2014, doi:10.1109/LSP.2014.2337313): a case's placement is the share of
/// controls it beats, a control's the share of cases that beat it; the AUC variance is
/// var(case placements)/m + var(control placements)/n.
public struct ROCCurve: Sendable, Hashable {
    /// Which side of the controls the cases lie on (pROC's `direction`).
    public enum Direction: String, Sendable, Hashable, Codable, CaseIterable {
        /// Cases score higher than controls (pROC `"<"`: controls < cases).
        case higherInCases = "higher"
        /// Cases score lower than controls (pROC `">"`).
        case lowerInCases = "lower"

        /// pROC's automatic rule: cases are higher when the controls' median is at most the cases' median.
        public static func detected(cases: [Double], controls: [Double]) -> Direction {
            guard let caseMedian = Descriptive.median(cases), let controlMedian = Descriptive.median(controls) else {
                return .higherInCases
            }
            return controlMedian <= caseMedian ? .higherInCases : .lowerInCases
        }
    }

    public let cases: [Double]
    public let controls: [Double]
    public let direction: Direction
    /// The area under the curve, in [0, 1].
    public let auc: Double
    /// Per case: the share of controls it beats (ties ½), DeLong's V10.
    public let casePlacements: [Double]
    /// Per control: the share of cases that beat it (ties ½), DeLong's V01.
    public let controlPlacements: [Double]

    /// The curve of finite marker values; `nil` when either group is empty or a value is not finite (the
    /// caller states its rule for missing values before building the curve).
    ///
    /// - Parameters:
    ///   - cases: the marker in cases.
    ///   - controls: the marker in controls.
    ///   - direction: which side cases lie on.
    public init?(cases: [Double], controls: [Double], direction: Direction) {
        guard !cases.isEmpty, !controls.isEmpty, cases.allSatisfy(\.isFinite), controls.allSatisfy(\.isFinite) else {
            return nil
        }
        self.cases = cases
        self.controls = controls
        self.direction = direction
        let sign = direction == .higherInCases ? 1.0 : -1.0
        let sortedControls = controls.map { sign * $0 }.sorted()
        let sortedCases = cases.map { sign * $0 }.sorted()
        let m = Double(cases.count)
        let n = Double(controls.count)
        casePlacements = cases.map { value in
            let x = sign * value
            let below = Self.lowerBound(sortedControls, x)
            let equal = Self.upperBound(sortedControls, x) - below
            return (Double(below) + 0.5 * Double(equal)) / n
        }
        controlPlacements = controls.map { value in
            let y = sign * value
            let atOrBelow = Self.upperBound(sortedCases, y)
            let equal = atOrBelow - Self.lowerBound(sortedCases, y)
            return (Double(cases.count - atOrBelow) + 0.5 * Double(equal)) / m
        }
        auc = casePlacements.reduce(0, +) / m
    }

    /// DeLong's variance of the AUC: S10/m + S01/n with the placements' sample variances; NaN with one case
    /// or one control.
    public var variance: Double {
        Self.covariance(casePlacements, casePlacements) / Double(cases.count)
            + Self.covariance(controlPlacements, controlPlacements) / Double(controls.count)
    }

    /// The DeLong confidence interval AUC ± z·√variance, clipped to [0, 1] (pROC's `ci.auc`, method delong).
    public func confidenceInterval(level: Double = 0.95) -> (low: Double, high: Double) {
        let half = Normal.twoSidedCritical(level: level) * variance.squareRoot()
        return (max(0, auc - half), min(1, auc + half))
    }

    /// The sample covariance of two equally long sequences (n − 1); NaN below two values.
    static func covariance(_ a: [Double], _ b: [Double]) -> Double {
        guard a.count >= 2, a.count == b.count else { return .nan }
        let count = Double(a.count)
        let meanA = a.reduce(0, +) / count
        let meanB = b.reduce(0, +) / count
        var sum = 0.0
        for index in a.indices { sum += (a[index] - meanA) * (b[index] - meanB) }
        return sum / (count - 1)
    }

    /// The first index whose value is ≥ `x`.
    static func lowerBound(_ sorted: [Double], _ x: Double) -> Int {
        var low = 0
        var high = sorted.count
        while low < high {
            let middle = (low + high) / 2
            if sorted[middle] < x { low = middle + 1 } else { high = middle }
        }
        return low
    }

    /// The first index whose value is > `x`.
    static func upperBound(_ sorted: [Double], _ x: Double) -> Int {
        var low = 0
        var high = sorted.count
        while low < high {
            let middle = (low + high) / 2
            if sorted[middle] <= x { low = middle + 1 } else { high = middle }
        }
        return low
    }
}
