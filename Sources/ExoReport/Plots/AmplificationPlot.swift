#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Baseline-corrected amplification curves of one target on a log scale, with the window of linearity
/// shaded, the Cq threshold dashed and each curve's Cq marked on it.
public struct AmplificationPlot: Sendable {
    /// One curve.
    public struct Curve: Sendable {
        /// Fluorescence by cycle (index 0 = cycle 1); `nil` where missing.
        public var fluorescence: [Double?]
        public var cq: Double?
        /// `sample`, `control` (no template) or `standard`, which sets the colour.
        public var role: Role

        /// What a curve is, for its colour.
        public enum Role: Sendable { case sample, control, standard }

        /// Creates a curve.
        public init(fluorescence: [Double?], cq: Double?, role: Role) {
            self.fluorescence = fluorescence
            self.cq = cq
            self.role = role
        }
    }

    public var title: String
    public var curves: [Curve]
    public var windowLower: Double?
    public var windowUpper: Double?
    public var threshold: Double?

    /// Creates a plot.
    public init(title: String, curves: [Curve], windowLower: Double?, windowUpper: Double?, threshold: Double?) {
        self.title = title
        self.curves = curves
        self.windowLower = windowLower
        self.windowUpper = windowUpper
        self.threshold = threshold
    }

    /// The SVG element, 460 × 300 px.
    public func svg() -> String {
        let cycles = curves.map(\.fluorescence.count).max() ?? 1
        let logValues = curves.flatMap { $0.fluorescence.compactMap { $0.flatMap { $0 > 0 ? log10($0) : nil } } }
        let top = logValues.max() ?? 1
        let bottom = max(logValues.min() ?? 0, (threshold.map(log10) ?? top) - 3)
        let yDomain = LinearScale(covering: [bottom, top], range: (0, 1))
        let frame = SVGFrame(width: 460, height: 300, left: 58, right: 12, top: 28, bottom: 40)
            .fitting(yTicks: yDomain.ticks())
        let x = LinearScale(covering: [1, Double(cycles)], range: (frame.left, frame.width - frame.right))
        let y = yDomain.rescaled(to: frame.yRange(inverted: false))
        var svg =
            frame.open(title: title) + frame.yAxis(y, label: "log10 fluorescence (baseline-corrected)")
            + frame.xAxis(x, label: "cycle")
        if let low = windowLower, let high = windowUpper, low > 0, high > 0 {
            let y1 = y(max(log10(high), bottom))
            let y2 = y(max(log10(low), bottom))
            svg +=
                "<rect x=\"\(frame.left)\" y=\"\(min(y1, y2))\" width=\"\(frame.width - frame.right - frame.left)\" height=\"\(abs(y2 - y1))\" fill=\"#2f9e6b\" fill-opacity=\"0.1\"/>"
        }
        for curve in curves {
            let color = curve.role == .control ? "#9aa5b1" : (curve.role == .standard ? "#d0602b" : "#1f6fb2")
            var path = ""
            for (index, value) in curve.fluorescence.enumerated() {
                guard let value, value > 0, log10(value) >= bottom else { continue }
                path += "\(path.isEmpty ? "M" : "L")\(x(Double(index + 1))),\(y(log10(value))) "
            }
            if !path.isEmpty {
                svg +=
                    "<path d=\"\(path)\" fill=\"none\" stroke=\"\(color)\" stroke-width=\"1\" stroke-opacity=\"0.7\"/>"
            }
            if let cq = curve.cq, let threshold, threshold > 0 {
                svg += "<circle cx=\"\(x(cq))\" cy=\"\(y(log10(threshold)))\" r=\"2.2\" fill=\"\(color)\"/>"
            }
        }
        if let threshold, threshold > 0 {
            let lineY = y(log10(threshold))
            svg +=
                "<line x1=\"\(frame.left)\" x2=\"\(frame.width - frame.right)\" y1=\"\(lineY)\" y2=\"\(lineY)\" stroke=\"#b3261e\" stroke-dasharray=\"5 3\"/>"
            svg +=
                "<text x=\"\(frame.left + 4)\" y=\"\(lineY - 4)\" font-size=\"10\" fill=\"#b3261e\">Cq threshold</text>"
        }
        return svg + "</svg>"
    }
}
