/// DeLong tests comparing the AUCs of ROC curves.
///
/// Paired curves are two markers measured on the same cases and controls (the same samples in the same
/// order); their AUCs are correlated and the test uses the covariance of their placements. Unpaired curves
/// come from different samples. For three or more paired curves, the joint test of DeLong et al. (1988) asks
/// whether all AUCs are equal: χ² = (Lθ)ᵀ(LSLᵀ)⁻¹(Lθ) with L the successive differences and S the DeLong
/// covariance matrix, on k − 1 degrees of freedom.
public enum ROCComparison {
    /// A paired two-curve test.
    public struct PairedTest: Sendable, Hashable {
        /// AUC(a) − AUC(b).
        public var difference: Double
        public var z: Double
        /// Two-sided p-value.
        public var p: Double
        /// Confidence interval of the difference.
        public var low: Double
        public var high: Double
    }

    /// An unpaired two-curve test (Student t with Welch–Satterthwaite degrees of freedom, as pROC).
    public struct UnpairedTest: Sendable, Hashable {
        public var difference: Double
        public var t: Double
        public var degreesOfFreedom: Double
        public var p: Double
    }

    /// The joint test that k paired AUCs are equal.
    public struct EqualityTest: Sendable, Hashable {
        public var chiSquare: Double
        public var degreesOfFreedom: Int
        public var p: Double
    }

    /// Whether two curves rest on the same cases and controls, in the same order.
    public static func arePaired(_ a: ROCCurve, _ b: ROCCurve) -> Bool {
        a.cases.count == b.cases.count && a.controls.count == b.controls.count
    }

    /// DeLong's covariance of two paired AUCs: cov(V10a, V10b)/m + cov(V01a, V01b)/n.
    public static func covariance(_ a: ROCCurve, _ b: ROCCurve) -> Double {
        precondition(arePaired(a, b), "paired curves need the same cases and controls")
        return ROCCurve.covariance(a.casePlacements, b.casePlacements) / Double(a.cases.count)
            + ROCCurve.covariance(a.controlPlacements, b.controlPlacements) / Double(a.controls.count)
    }

    /// The paired DeLong test of AUC(a) = AUC(b) (pROC `roc.test(method = "delong", paired = TRUE)`).
    ///
    /// When the difference and its standard deviation are both zero (two curves at AUC 1, or the same curve
    /// twice), z is 0 and p is 1, as pROC gives them (pROC warns that such a test can mislead; see
    /// ``bothPerfect(_:_:)``).
    public static func paired(_ a: ROCCurve, _ b: ROCCurve, level: Double = 0.95) -> PairedTest {
        let difference = a.auc - b.auc
        let sd = (a.variance + b.variance - 2 * covariance(a, b)).squareRoot()
        let z = difference == 0 && sd == 0 ? 0 : difference / sd
        let half = Normal.twoSidedCritical(level: level) * sd
        return PairedTest(
            difference: difference, z: z, p: Normal.twoSidedPValue(z), low: difference - half, high: difference + half)
    }

    /// Whether both curves separate their groups perfectly (AUC 1), where pROC warns that a test between them
    /// "has always p.value = 1 and can be misleading".
    public static func bothPerfect(_ a: ROCCurve, _ b: ROCCurve) -> Bool { a.auc == 1 && b.auc == 1 }

    /// The unpaired DeLong test (pROC `roc.test(method = "delong", paired = FALSE)`); with both variances zero
    /// the statistic, degrees of freedom and p-value are NaN, as pROC's.
    public static func unpaired(_ a: ROCCurve, _ b: ROCCurve) -> UnpairedTest {
        let difference = a.auc - b.auc
        let (va, vb) = (a.variance, b.variance)
        let t = difference / (va + vb).squareRoot()
        let totalA = Double(a.cases.count + a.controls.count)
        let totalB = Double(b.cases.count + b.controls.count)
        let df = (va + vb) * (va + vb) / (va * va / (totalA - 1) + vb * vb / (totalB - 1))
        guard df > 0 else { return UnpairedTest(difference: difference, t: .nan, degreesOfFreedom: .nan, p: .nan) }
        return UnpairedTest(
            difference: difference, t: t, degreesOfFreedom: df, p: StudentT(degreesOfFreedom: df).twoSidedPValue(t))
    }

    /// The joint DeLong test that three or more paired AUCs are equal; `nil` for fewer than two curves, curves
    /// that are not paired, or a singular covariance (two curves identical).
    public static func equality(_ curves: [ROCCurve]) -> EqualityTest? {
        let k = curves.count
        guard k >= 2, curves.allSatisfy({ arePaired($0, curves[0]) }) else { return nil }
        var s = [[Double]](repeating: [Double](repeating: 0, count: k), count: k)
        for i in 0..<k {
            for j in i..<k {
                s[i][j] = i == j ? curves[i].variance : covariance(curves[i], curves[j])
                s[j][i] = s[i][j]
            }
        }
        // L θ and L S Lᵀ with L the successive differences e_i − e_{i+1}.
        let contrasts = (0..<(k - 1)).map { curves[$0].auc - curves[$0 + 1].auc }
        var lsl = [[Double]](repeating: [Double](repeating: 0, count: k - 1), count: k - 1)
        for i in 0..<(k - 1) {
            for j in 0..<(k - 1) {
                lsl[i][j] = s[i][j] - s[i][j + 1] - s[i + 1][j] + s[i + 1][j + 1]
            }
        }
        guard let solved = LinearAlgebra.solve(lsl, contrasts) else { return nil }
        let chiSquare = zip(contrasts, solved).reduce(0) { $0 + $1.0 * $1.1 }
        return EqualityTest(
            chiSquare: chiSquare, degreesOfFreedom: k - 1,
            p: ChiSquare(degreesOfFreedom: Double(k - 1)).upperTail(chiSquare))
    }
}
