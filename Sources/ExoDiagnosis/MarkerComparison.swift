public import ExoCore
public import ExoFormats
public import ExoStats

/// DeLong comparisons of markers' AUCs: several markers on the same samples (paired), or one marker in two
/// independent sets of samples (unpaired), as pROC's `roc.test(method = "delong")` computes them.
public enum MarkerComparison {
    /// One marker's curve in a comparison.
    public struct Curve: Sendable {
        public var feature: String
        public var curve: ROCCurve
        public var interval: (low: Double, high: Double)
    }

    /// One pair's paired test.
    public struct Pair: Sendable {
        public var first: String
        public var second: String
        public var test: ROCComparison.PairedTest
        /// Both curves at AUC 1: the test always gives p = 1 (pROC warns that it can mislead).
        public var bothPerfect: Bool
    }

    /// Several markers on the samples that have a value for every one of them.
    public struct Paired: Sendable {
        public var cases: Int
        public var controls: Int
        public var curves: [Curve]
        /// Every pair, in the order the features were named.
        public var pairs: [Pair]
        /// The joint χ² test that all AUCs are equal, for three or more markers (`nil` when the covariance is
        /// singular).
        public var joint: ROCComparison.EqualityTest?
    }

    /// Compares the named features on the cases and controls with a value for every one of them.
    ///
    /// - Parameters:
    ///   - matrix: the labelled matrix.
    ///   - groups: its cases and controls.
    ///   - columns: the features' column indices in `matrix` (two or more, different).
    ///   - direction: each feature's direction, fixed or by pROC's median rule on the complete samples.
    ///   - level: the confidence level of the intervals.
    /// - Returns: each curve with its interval, every pair's test and, for three or more, the joint test.
    /// - Throws: `InputErrorList` when fewer than two cases or controls have every feature.
    public static func paired(
        _ matrix: FeatureMatrix, groups: TwoGroups, columns: [Int], direction: MarkerROC.DirectionChoice,
        level: Double = 0.95
    ) throws(InputErrorList) -> Paired {
        let complete = { (rows: [Int]) in rows.filter { row in columns.allSatisfy { !matrix.values[$0][row].isNaN } } }
        let (cases, controls) = (complete(groups.cases), complete(groups.controls))
        var curves: [Curve] = []
        for column in columns {
            let x = cases.map { matrix.values[column][$0] }
            let y = controls.map { matrix.values[column][$0] }
            guard x.count >= 2, y.count >= 2,
                let curve = ROCCurve(cases: x, controls: y, direction: direction.direction(cases: x, controls: y))
            else {
                throw InputErrorList([
                    InputError(
                        .invalidValue, at: InputLocation(path: matrix.path),
                        "\(cases.count) cases and \(controls.count) controls have every feature; a comparison needs 2 of each"
                    )
                ])
            }
            let interval = curve.confidenceInterval(level: level)
            curves.append(
                Curve(feature: matrix.features[column], curve: curve, interval: (interval.low, interval.high)))
        }
        var pairs: [Pair] = []
        for first in curves.indices {
            for second in curves.indices where second > first {
                let (a, b) = (curves[first].curve, curves[second].curve)
                pairs.append(
                    Pair(
                        first: curves[first].feature, second: curves[second].feature,
                        test: ROCComparison.paired(a, b, level: level), bothPerfect: ROCComparison.bothPerfect(a, b)))
            }
        }
        return Paired(
            cases: cases.count, controls: controls.count, curves: curves, pairs: pairs,
            joint: curves.count >= 3 ? ROCComparison.equality(curves.map(\.curve)) : nil)
    }

    /// One feature in two independent sets of samples.
    public struct Unpaired: Sendable, Hashable {
        public var feature: String
        /// The direction both curves use (fixed, or chosen on the first set).
        public var direction: ROCCurve.Direction
        public var first: MarkerROC.Row
        public var second: MarkerROC.Row
        /// The unpaired DeLong test of AUC(first) = AUC(second); `nil` when either set has fewer than two cases
        /// or controls with a value.
        public var test: ROCComparison.UnpairedTest?
        public var bothPerfect: Bool
    }

    /// Compares each feature the two matrices share between them (unpaired DeLong, pROC's
    /// `roc.test(r1, r2, method = "delong", paired = FALSE)`), in the first matrix's feature order.
    ///
    /// With `auto` the direction is chosen on the first set by pROC's median rule and used for both, so that the
    /// two AUCs measure the same thing.
    public static func unpaired(
        _ first: FeatureMatrix, groups firstGroups: TwoGroups, _ second: FeatureMatrix, groups secondGroups: TwoGroups,
        direction: MarkerROC.DirectionChoice, level: Double = 0.95
    ) -> [Unpaired] {
        let index = Dictionary(second.features.enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
        return first.features.indices.compactMap { column -> Unpaired? in
            guard let other = index[first.features[column]] else { return nil }
            let (x, y) = firstGroups.present(first.values[column])
            let chosen = direction.direction(cases: x, controls: y)
            let fixed: MarkerROC.DirectionChoice = chosen == .higherInCases ? .higher : .lower
            // Each set's row and curve, both in the direction the first set chose.
            let a = MarkerROC.evaluated(
                name: first.features[column], values: first.values[column], groups: firstGroups, direction: fixed,
                level: level)
            let b = MarkerROC.evaluated(
                name: first.features[column], values: second.values[other], groups: secondGroups, direction: fixed,
                level: level)
            var test: ROCComparison.UnpairedTest?
            var bothPerfect = false
            if let curveA = a.curve, let curveB = b.curve {
                test = ROCComparison.unpaired(curveA, curveB)
                bothPerfect = ROCComparison.bothPerfect(curveA, curveB)
            }
            return Unpaired(
                feature: first.features[column], direction: chosen, first: a.row, second: b.row, test: test,
                bothPerfect: bothPerfect)
        }
    }
}
