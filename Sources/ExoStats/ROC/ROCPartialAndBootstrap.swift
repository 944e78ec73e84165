extension ROCCurve {
    /// Which axis a partial AUC's range is on.
    public enum PartialFocus: String, Sendable, Hashable, CaseIterable, Codable {
        case specificity, sensitivity
    }

    /// The area under the empirical curve over a range of specificity (or sensitivity).
    ///
    /// As pROC's `auc(partial.auc = , partial.auc.focus = )`: the curve is linear between operating points and
    /// cut at the range's ends. With `corrected`, McClish's standardisation (1 + (pAUC − min)/(max − min))/2, which maps the
    /// diagonal to 0.5 and a perfect curve to 1 (`partial.auc.correct = TRUE`).
    public func partialAUC(_ range: ClosedRange<Double>, focus: PartialFocus = .specificity, corrected: Bool = false)
        -> Double
    {
        let points = operatingPoints
        // x along the focus axis, increasing; y the other rate. Where x repeats (a vertical step), the curve arrives
        // at the highest y and leaves from the lowest, so ties are ordered by decreasing y, whatever the direction.
        let curve = points.map {
            focus == .specificity ? ($0.specificity, $0.sensitivity) : ($0.sensitivity, $0.specificity)
        }
        .sorted { ($0.0, -$0.1) < ($1.0, -$1.1) }
        var area = 0.0
        for ((x0, y0), (x1, y1)) in zip(curve, curve.dropFirst()) where x1 > x0 {
            let left = max(x0, range.lowerBound)
            let right = min(x1, range.upperBound)
            guard right > left else { continue }
            let at = { (x: Double) in y0 + (y1 - y0) * (x - x0) / (x1 - x0) }
            area += (right - left) * (at(left) + at(right)) / 2
        }
        guard corrected else { return area }
        let (low, high) = (range.lowerBound, range.upperBound)
        let minimum = ((1 - low) * (1 - low) - (1 - high) * (1 - high)) / 2
        let maximum = high - low
        return (1 + (area - minimum) / (maximum - minimum)) / 2
    }

    /// The percentile interval of the AUC over stratified bootstrap resamples (cases and controls resampled
    /// separately, as pROC's `ci.auc(method = "bootstrap")`), drawn from `seed`: reproducible, but not the
    /// same draws as R's generator.
    public func bootstrapInterval(replicates: Int = 2000, level: Double = 0.95, seed: UInt64)
        -> (low: Double, high: Double)
    {
        var generator = SeededGenerator(seed: seed)
        var aucs: [Double] = []
        aucs.reserveCapacity(replicates)
        for _ in 0..<replicates {
            if let curve = resampled(using: &generator) { aucs.append(curve.auc) }
        }
        let tail = (1 - level) / 2
        return (Descriptive.quantile(aucs, tail) ?? .nan, Descriptive.quantile(aucs, 1 - tail) ?? .nan)
    }
}

extension ROCCurve {
    /// The best sensitivity among operating points with at least the given specificity (the empirical curve
    /// read at that specificity).
    public func sensitivity(atSpecificity specificity: Double) -> Double {
        operatingPoints.filter { $0.specificity >= specificity - 1e-12 }.map(\.sensitivity).max() ?? 0
    }

    /// A confidence band for the curve: at each specificity, the percentile interval of the sensitivity over
    /// stratified bootstrap resamples (pROC's `ci.se`), drawn from `seed`.
    public func sensitivityBand(
        at specificities: [Double], replicates: Int = 500, level: Double = 0.95, seed: UInt64
    ) -> [(specificity: Double, low: Double, high: Double)] {
        var generator = SeededGenerator(seed: seed)
        var draws = [[Double]](repeating: [], count: specificities.count)
        for _ in 0..<replicates {
            guard let curve = resampled(using: &generator) else { continue }
            let points = curve.operatingPoints
            for (index, specificity) in specificities.enumerated() {
                draws[index].append(
                    points.filter { $0.specificity >= specificity - 1e-12 }.map(\.sensitivity).max() ?? 0)
            }
        }
        let tail = (1 - level) / 2
        return zip(specificities, draws).map { specificity, values in
            (specificity, Descriptive.quantile(values, tail) ?? .nan, Descriptive.quantile(values, 1 - tail) ?? .nan)
        }
    }
}

extension ROCCurve {
    /// The curve of one stratified bootstrap resample: cases and controls drawn with replacement separately,
    /// the direction kept.
    func resampled(using generator: inout SeededGenerator) -> ROCCurve? {
        let resampledCases = cases.indices.map { _ in cases[generator.index(below: cases.count)] }
        let resampledControls = controls.indices.map { _ in controls[generator.index(below: controls.count)] }
        return ROCCurve(cases: resampledCases, controls: resampledControls, direction: direction)
    }
}
