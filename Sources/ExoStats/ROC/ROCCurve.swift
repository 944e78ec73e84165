/// The empirical ROC curve of one marker, with DeLong's nonparametric variance of its AUC.
///
/// The AUC is the Mann–Whitney probability that a case scores above a control, ties counting one half. The
/// direction says which side cases lie on and is fixed by the caller (from training data or prior knowledge),
/// never re-chosen on a resample; ``Direction/detected(cases:controls:)`` gives pROC's rule for a first look.
/// DeLong, DeLong & Clarke-Pearson (1988, doi:10.2307/2531595) placements come from one merge walk over the
/// two sorted groups, O(n log n) (Sun & Xu 2014, doi:10.1109/LSP.2014.2337313): a case's placement is the
/// share of controls it beats, a control's the share of cases that beat it; the AUC variance is
/// var(case placements)/m + var(control placements)/n. Placements in sample order, which paired tests need,
/// are computed on demand.
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
    /// The cases' and controls' placements in increasing order of the signed marker (for the variance).
    let sortedCasePlacements: [Double]
    let sortedControlPlacements: [Double]

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
        var x = direction == .higherInCases ? cases : cases.map { -$0 }
        var y = direction == .higherInCases ? controls : controls.map { -$0 }
        Sorting.sort(&x)
        Sorting.sort(&y)
        // One merge walk over both sorted groups: for each run of equal values, the cases in it beat the
        // controls below and tie with the controls in it, and vice versa.
        let m = x.count
        let n = y.count
        var caseShares = [Double](repeating: 0, count: m)
        var controlShares = [Double](repeating: 0, count: n)
        var i = 0
        var j = 0
        while i < m || j < n {
            let value = j == n || (i < m && x[i] <= y[j]) ? x[i] : y[j]
            var caseEnd = i
            while caseEnd < m, x[caseEnd] == value { caseEnd += 1 }
            var controlEnd = j
            while controlEnd < n, y[controlEnd] == value { controlEnd += 1 }
            let caseShare = (Double(j) + 0.5 * Double(controlEnd - j)) / Double(n)
            for k in i..<caseEnd { caseShares[k] = caseShare }
            let controlShare = (Double(m - caseEnd) + 0.5 * Double(caseEnd - i)) / Double(m)
            for k in j..<controlEnd { controlShares[k] = controlShare }
            i = caseEnd
            j = controlEnd
        }
        sortedCasePlacements = caseShares
        sortedControlPlacements = controlShares
        auc = caseShares.reduce(0, +) / Double(m)
    }

    /// Per case, in the order of ``cases``: the share of controls it beats (ties ½), DeLong's V10.
    public var casePlacements: [Double] {
        let sign = direction == .higherInCases ? 1.0 : -1.0
        let sortedControls = controls.map { sign * $0 }.sorted()
        return cases.map { value in
            let below = Self.lowerBound(sortedControls, sign * value)
            let equal = Self.upperBound(sortedControls, sign * value) - below
            return (Double(below) + 0.5 * Double(equal)) / Double(controls.count)
        }
    }

    /// Per control, in the order of ``controls``: the share of cases that beat it (ties ½), DeLong's V01.
    public var controlPlacements: [Double] {
        let sign = direction == .higherInCases ? 1.0 : -1.0
        let sortedCases = cases.map { sign * $0 }.sorted()
        return controls.map { value in
            let atOrBelow = Self.upperBound(sortedCases, sign * value)
            let equal = atOrBelow - Self.lowerBound(sortedCases, sign * value)
            return (Double(cases.count - atOrBelow) + 0.5 * Double(equal)) / Double(cases.count)
        }
    }

    /// DeLong's variance of the AUC: S10/m + S01/n with the placements' sample variances; NaN with one case
    /// or one control.
    public var variance: Double {
        Self.covariance(sortedCasePlacements, sortedCasePlacements) / Double(cases.count)
            + Self.covariance(sortedControlPlacements, sortedControlPlacements) / Double(controls.count)
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
