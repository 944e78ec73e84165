extension ROCCurve {
    /// One operating point: a sample is called a case when its value lies beyond `threshold` on the cases'
    /// side (above it for ``Direction/higherInCases``).
    public struct OperatingPoint: Sendable, Hashable {
        public var threshold: Double
        public var sensitivity: Double
        public var specificity: Double
        /// Cases called cases, and controls called controls.
        public var truePositives: Int
        public var trueNegatives: Int
    }

    /// Every distinct operating point, as pROC lists them: thresholds at −∞, the midpoints between successive
    /// distinct values, and +∞, in increasing order.
    public var operatingPoints: [OperatingPoint] {
        let values = Array(Set(cases + controls)).sorted()
        var thresholds = [-Double.infinity]
        for (low, high) in zip(values, values.dropFirst()) { thresholds.append((low + high) / 2) }
        thresholds.append(.infinity)
        let sortedCases = cases.sorted()
        let sortedControls = controls.sorted()
        return thresholds.map { threshold in
            let casesAbove = cases.count - Self.upperBound(sortedCases, threshold)
            let controlsAbove = controls.count - Self.upperBound(sortedControls, threshold)
            let (tp, tn) =
                direction == .higherInCases
                ? (casesAbove, controls.count - controlsAbove) : (cases.count - casesAbove, controlsAbove)
            return OperatingPoint(
                threshold: threshold, sensitivity: Double(tp) / Double(cases.count),
                specificity: Double(tn) / Double(controls.count), truePositives: tp, trueNegatives: tn)
        }
    }

    /// The operating points that maximise Youden's J = sensitivity + specificity − 1 (several when tied),
    /// in increasing threshold order.
    public var youden: [OperatingPoint] {
        let points = operatingPoints
        guard let best = points.map({ $0.sensitivity + $0.specificity }).max() else { return [] }
        return points.filter { $0.sensitivity + $0.specificity >= best - 1e-12 }
    }
}
