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
    public var youden: [OperatingPoint] { best(.youden) }
}

extension ROCCurve {
    /// How `best` weighs the two errors.
    public enum BestMethod: String, Sendable, Hashable, CaseIterable, Codable {
        /// Maximise sensitivity + r·specificity (Youden's J when r = 1).
        case youden
        /// Minimise (1 − sensitivity)² + r·(1 − specificity)², the point closest to the top-left corner.
        case closestTopLeft = "closest-top-left"
    }

    /// The best operating points by `method`, several when tied, in increasing threshold order.
    ///
    /// Weighted as pROC's `best.weights = c(cost, prevalence)`:
    /// r = (1 − prevalence) / (cost · prevalence), `cost` being the cost of a false negative relative to a false
    /// positive; r = 1 with the defaults.
    public func best(_ method: BestMethod = .youden, cost: Double = 1, prevalence: Double = 0.5) -> [OperatingPoint] {
        let r = (1 - prevalence) / (cost * prevalence)
        let points = operatingPoints
        let scores = points.map { point in
            switch method {
            case .youden: point.sensitivity + r * point.specificity
            case .closestTopLeft:
                -((1 - point.sensitivity) * (1 - point.sensitivity) + r * (1 - point.specificity)
                    * (1 - point.specificity))
            }
        }
        guard let top = scores.max() else { return [] }
        return zip(points, scores).filter { $0.1 >= top - 1e-12 }.map(\.0)
    }

    /// The operating point with at least the given sensitivity and the highest specificity (the highest
    /// threshold among ties).
    public func operatingPoint(sensitivityAtLeast target: Double) -> OperatingPoint? {
        operatingPoints.filter { $0.sensitivity >= target }.max {
            ($0.specificity, $0.threshold) < ($1.specificity, $1.threshold)
        }
    }

    /// The operating point with at least the given specificity and the highest sensitivity (the lowest
    /// threshold among ties).
    public func operatingPoint(specificityAtLeast target: Double) -> OperatingPoint? {
        operatingPoints.filter { $0.specificity >= target }.max {
            ($0.sensitivity, -$0.threshold) < ($1.sensitivity, -$1.threshold)
        }
    }

    /// Diagnostic accuracy at a threshold, each proportion with its Wilson interval.
    public struct Accuracy: Sendable, Hashable, Codable {
        public var threshold: Double
        public var truePositives, falseNegatives, trueNegatives, falsePositives: Int
        public var sensitivity, sensitivityLow, sensitivityHigh: Double
        public var specificity, specificityLow, specificityHigh: Double
        /// Predictive values among the samples (their prevalence), or at the stated prevalence by Bayes'
        /// rule, with the interval carried over from the sensitivity and specificity bounds.
        public var ppv, ppvLow, ppvHigh: Double
        public var npv, npvLow, npvHigh: Double
    }

    /// Sensitivity, specificity, PPV and NPV when a sample is called a case at or beyond `threshold` on the
    /// cases' side (≥ for ``Direction/higherInCases``, ≤ otherwise).
    ///
    /// Without `prevalence`, the predictive values are the samples' own proportions with Wilson intervals (valid
    /// when the samples are a random draw of the tested population); with it, they follow from sensitivity and
    /// specificity by Bayes' rule (case–control studies, whose case share is set by design).
    public func accuracy(at threshold: Double, prevalence: Double? = nil, level: Double = 0.95) -> Accuracy {
        let called = { (value: Double) in direction == .higherInCases ? value >= threshold : value <= threshold }
        let tp = cases.filter(called).count
        let fp = controls.filter(called).count
        let (fn, tn) = (cases.count - tp, controls.count - fp)
        let wilson = { (k: Int, n: Int) -> (Double, (Double, Double)) in
            guard n > 0 else { return (.nan, (.nan, .nan)) }
            let range = BinomialInterval.wilson.interval(successes: k, trials: n, level: level)
            return (Double(k) / Double(n), (range.lowerBound, range.upperBound))
        }
        let (se, seRange) = wilson(tp, tp + fn)
        let (sp, spRange) = wilson(tn, tn + fp)
        var (ppv, ppvRange) = wilson(tp, tp + fp)
        var (npv, npvRange) = wilson(tn, tn + fn)
        if let p = prevalence {
            // Both increase with sensitivity and specificity, so the bounds map to bounds; 0/0 stays NaN.
            let positive = { (se: Double, sp: Double) in se * p / (se * p + (1 - sp) * (1 - p)) }
            let negative = { (se: Double, sp: Double) in sp * (1 - p) / (sp * (1 - p) + (1 - se) * p) }
            ppv = positive(se, sp)
            npv = negative(se, sp)
            ppvRange = (positive(seRange.0, spRange.0), positive(seRange.1, spRange.1))
            npvRange = (negative(seRange.0, spRange.0), negative(seRange.1, spRange.1))
        }
        return Accuracy(
            threshold: threshold, truePositives: tp, falseNegatives: fn, trueNegatives: tn, falsePositives: fp,
            sensitivity: se, sensitivityLow: seRange.0, sensitivityHigh: seRange.1,
            specificity: sp, specificityLow: spRange.0, specificityHigh: spRange.1,
            ppv: ppv, ppvLow: ppvRange.0, ppvHigh: ppvRange.1,
            npv: npv, npvLow: npvRange.0, npvHigh: npvRange.1)
    }
}
