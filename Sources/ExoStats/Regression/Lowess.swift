/// Cleveland's LOWESS scatterplot smoother (Cleveland 1979, doi:10.1080/01621459.1979.10481038), computed as
/// R's `lowess()`: local linear fits with tricube weights over the nearest ⌊f·n⌋ points, `iterations` rounds of
/// bisquare robustness weights from 6 × the median absolute residual, and points closer than `delta` to the last
/// fitted one interpolated instead of fitted.
public enum Lowess {
    /// The smoothed values at the x values sorted increasingly (ties kept in input order), with those x.
    ///
    /// `f` is the share of points in each local fit (R's default 2/3; voom uses 0.5), `iterations` the robustness
    /// rounds (R's 3), `delta` the skip distance (`nil` for R's default, 1 % of the range of x).
    public static func smooth(
        x: [Double], y: [Double], f: Double = 2.0 / 3, iterations: Int = 3, delta: Double? = nil
    ) -> (x: [Double], y: [Double]) {
        let order = x.indices.sorted { (x[$0], $0) < (x[$1], $1) }
        let xs = order.map { x[$0] }
        let ys = order.map { y[$0] }
        let n = xs.count
        guard n >= 2, let first = xs.first, let last = xs.last else { return (xs, ys) }
        return (xs, fit(xs, ys, f: f, iterations: iterations, delta: delta ?? 0.01 * (last - first)))
    }

    /// R's clowess on sorted x.
    static func fit(_ x: [Double], _ y: [Double], f: Double, iterations: Int, delta: Double) -> [Double] {
        let n = x.count
        let span = max(2, min(n, Int(f * Double(n) + 1e-7)))
        var fitted = [Double](repeating: 0, count: n)
        var robustness = [Double](repeating: 1, count: n)
        var residuals = [Double](repeating: 0, count: n)
        var weights = [Double](repeating: 0, count: n)
        for iteration in 1...(iterations + 1) {
            var left = 0
            var right = span - 1
            var last = -1
            var i = 0
            while true {
                if right < n - 1 {
                    let d1 = x[i] - x[left]
                    let d2 = x[right + 1] - x[i]
                    if d1 > d2 {
                        left += 1
                        right += 1
                        continue
                    }
                }
                if let value = local(
                    x, y, at: x[i], left: left, right: right, weights: &weights,
                    robustness: iteration > 1 ? robustness : nil)
                {
                    fitted[i] = value
                } else {
                    fitted[i] = y[i]
                }
                if last < i - 1 {
                    let denominator = x[i] - x[last]
                    for j in (last + 1)..<i {
                        let alpha = (x[j] - x[last]) / denominator
                        fitted[j] = alpha * fitted[i] + (1 - alpha) * fitted[last]
                    }
                }
                last = i
                let cut = x[last] + delta
                var next = last + 1
                while next < n {
                    if x[next] > cut { break }
                    if x[next] == x[last] {
                        fitted[next] = fitted[last]
                        last = next
                    }
                    next += 1
                }
                i = max(last + 1, next - 1)
                if last >= n - 1 { break }
            }
            for index in 0..<n { residuals[index] = y[index] - fitted[index] }
            let scale = residuals.reduce(0) { $0 + abs($1) } / Double(n)
            if iteration > iterations { break }
            let absolute = residuals.map(abs).sorted()
            let middle = n / 2
            let cmad = n % 2 == 0 ? 3 * (absolute[middle] + absolute[n - middle - 1]) : 6 * absolute[middle]
            if cmad < 1e-7 * scale { break }
            let (c9, c1) = (0.999 * cmad, 0.001 * cmad)
            for index in 0..<n {
                let r = abs(residuals[index])
                robustness[index] =
                    r <= c1 ? 1 : r <= c9 ? (1 - (r / cmad) * (r / cmad)) * (1 - (r / cmad) * (r / cmad)) : 0
            }
        }
        return fitted
    }

    /// The weighted local linear fit at `center` over x[left...right] (extended right over ties); `nil` when every
    /// weight is zero.
    static func local(
        _ x: [Double], _ y: [Double], at center: Double, left: Int, right: Int, weights w: inout [Double],
        robustness: [Double]?
    ) -> Double? {
        let n = x.count
        let range = x[n - 1] - x[0]
        let h = max(center - x[left], x[right] - center)
        let (h9, h1) = (0.999 * h, 0.001 * h)
        var total = 0.0
        var j = left
        while j < n {
            w[j] = 0
            let r = abs(x[j] - center)
            if r <= h9 {
                if r <= h1 {
                    w[j] = 1
                } else {
                    let q = r / h
                    let inner = 1 - q * q * q
                    w[j] = inner * inner * inner
                }
                if let robustness { w[j] *= robustness[j] }
                total += w[j]
            } else if x[j] > center {
                break
            }
            j += 1
        }
        let end = j - 1
        guard total > 0 else { return nil }
        for k in left...end { w[k] /= total }
        if h > 0 {
            var mean = 0.0
            for k in left...end { mean += w[k] * x[k] }
            var b = center - mean
            var c = 0.0
            for k in left...end { c += w[k] * (x[k] - mean) * (x[k] - mean) }
            if c.squareRoot() > 0.001 * range {
                b /= c
                for k in left...end { w[k] *= b * (x[k] - mean) + 1 }
            }
        }
        var value = 0.0
        for k in left...end { value += w[k] * y[k] }
        return value
    }
}
