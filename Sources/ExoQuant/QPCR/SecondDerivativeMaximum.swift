/// Cq as the cycle of the maximum second derivative of the amplification curve (SDM).
///
/// Definition: the raw curve is interpolated by a natural cubic spline through every measured point; the
/// spline's second derivative is linear between knots, so its largest knot value locates the maximum, which
/// is refined by a parabola through that knot and its two neighbours. No baseline or threshold is involved,
/// which makes SDM robust to baseline drift; it differs from a threshold Cq by a curve-shape-dependent
/// amount (for a logistic curve of slope b the second-derivative maximum lies b·ln(2 + √3) before the
/// midpoint). Returns NaN for fewer than 5 points or a curve without positive curvature.
public enum SecondDerivativeMaximum {
    /// The SDM Cq of a curve.
    public static func cq(of curve: AmplificationCurve) -> Double {
        var byCycle: [Double: Double] = [:]
        for point in curve.points where point.fluorescence.isFinite { byCycle[point.cycle] = point.fluorescence }
        let x = byCycle.keys.sorted()
        let y = x.map { byCycle[$0] ?? .nan }
        return cq(cycles: x, fluorescence: y)
    }

    /// The SDM Cq of sorted cycles and their fluorescence.
    public static func cq(cycles x: [Double], fluorescence y: [Double]) -> Double {
        let count = x.count
        guard count >= 5 else { return .nan }
        // Natural cubic spline: solve the tridiagonal system for the second derivatives M at the knots.
        var m = Array(repeating: 0.0, count: count)
        var c = Array(repeating: 0.0, count: count)
        var d = Array(repeating: 0.0, count: count)
        for i in 1..<(count - 1) {
            let h0 = x[i] - x[i - 1]
            let h1 = x[i + 1] - x[i]
            let a = h0
            let b = 2 * (h0 + h1)
            let rhs = 6 * ((y[i + 1] - y[i]) / h1 - (y[i] - y[i - 1]) / h0)
            let denominator = b - a * c[i - 1]
            c[i] = h1 / denominator
            d[i] = (rhs - a * d[i - 1]) / denominator
        }
        for i in stride(from: count - 2, through: 1, by: -1) { m[i] = d[i] - c[i] * m[i + 1] }
        var bestIndex = 1
        for i in 1..<(count - 1) where m[i] > m[bestIndex] { bestIndex = i }
        guard m[bestIndex] > 0 else { return .nan }
        // Parabolic interpolation of the second derivative through the three knots around the maximum.
        let (x0, x1, x2) = (x[bestIndex - 1], x[bestIndex], x[bestIndex + 1])
        let (y0, y1, y2) = (m[bestIndex - 1], m[bestIndex], m[bestIndex + 1])
        let denominator = (x0 - x1) * (x0 - x2) * (x1 - x2)
        let a = (x2 * (y1 - y0) + x1 * (y0 - y2) + x0 * (y2 - y1)) / denominator
        let b = (x2 * x2 * (y0 - y1) + x1 * x1 * (y2 - y0) + x0 * x0 * (y1 - y2)) / denominator
        guard a < 0 else { return x1 }
        return min(max(-b / (2 * a), x0), x2)
    }
}
