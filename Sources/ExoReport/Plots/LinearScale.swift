/// Maps a data interval onto a pixel interval, with "nice" tick values (1, 2, 2.5 or 5 × 10^k).
struct LinearScale {
    let domain: ClosedRange<Double>
    /// Pixel positions of the domain's lower and upper end; the first may be the larger (y grows downward).
    let range: (start: Double, end: Double)

    /// A scale whose domain covers `values` with 5 % padding; a single value gets ±1.
    init(covering values: [Double], range: (start: Double, end: Double)) {
        let low = values.min() ?? 0
        let high = values.max() ?? 1
        let span = high - low
        let pad = span > 0 ? span * 0.05 : 1
        domain = (low - pad)...(high + pad)
        self.range = range
    }

    /// A scale over an explicit domain.
    init(domain: ClosedRange<Double>, range: (start: Double, end: Double)) {
        self.domain = domain
        self.range = range
    }

    /// The same domain over another pixel interval (once the margins are known).
    func rescaled(to range: (start: Double, end: Double)) -> LinearScale {
        LinearScale(domain: domain, range: range)
    }

    /// The pixel position of `value`.
    func callAsFunction(_ value: Double) -> Double {
        let fraction = (value - domain.lowerBound) / (domain.upperBound - domain.lowerBound)
        return range.start + fraction * (range.end - range.start)
    }

    /// About `count` tick values inside the domain.
    func ticks(count: Int = 5) -> [Double] {
        let span = domain.upperBound - domain.lowerBound
        guard span > 0, span.isFinite else { return [] }
        let raw = span / Double(count)
        let magnitude = pow10(floorLog10(raw))
        let step = [1, 2, 2.5, 5, 10].map { $0 * magnitude }.first { $0 >= raw } ?? raw
        var tick = (domain.lowerBound / step).rounded(.up) * step
        var ticks: [Double] = []
        while tick <= domain.upperBound + step * 1e-9 {
            ticks.append(abs(tick) < step * 1e-9 ? 0 : tick)
            tick += step
        }
        return ticks
    }

    private func floorLog10(_ x: Double) -> Int {
        var exponent = 0
        var value = x
        while value >= 10 {
            value /= 10
            exponent += 1
        }
        while value < 1 {
            value *= 10
            exponent -= 1
        }
        return exponent
    }

    private func pow10(_ exponent: Int) -> Double {
        exponent >= 0
            ? (0..<exponent).reduce(1.0) { acc, _ in acc * 10 } : (0..<(-exponent)).reduce(1.0) { acc, _ in acc / 10 }
    }
}

/// Formats a number for an axis or table: up to `digits` significant decimals, no trailing zeros.
func formatNumber(_ value: Double, decimals: Int = 2) -> String {
    guard value.isFinite else { return "–" }
    var scale = 1.0
    for _ in 0..<decimals { scale *= 10 }
    let rounded = (value * scale).rounded() / scale
    var text = String(rounded)
    if text.hasSuffix(".0") { text.removeLast(2) }
    if text.contains("e") { return String(value) }
    return text
}
