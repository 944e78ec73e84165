/// One bar per item against a dashed threshold line: geNorm stability M of reference candidates (0.5) or
/// pairwise variation V (0.15).
///
/// Bars above the threshold are drawn in the warning colour.
public struct ThresholdBarPlot: Sendable {
    public var title: String
    public var yLabel: String
    /// The bars, in drawing order.
    public var bars: [(label: String, value: Double)]
    public var threshold: Double
    /// The threshold line's label (`M = 0.5`).
    public var thresholdLabel: String

    /// Creates a plot.
    public init(
        title: String, yLabel: String, bars: [(label: String, value: Double)], threshold: Double,
        thresholdLabel: String
    ) {
        self.title = title
        self.yLabel = yLabel
        self.bars = bars
        self.threshold = threshold
        self.thresholdLabel = thresholdLabel
    }

    /// The SVG element, at most 440 px wide and 260 px high; bars start at zero.
    public func svg() -> String {
        let width = min(440, 140 + 64 * Double(max(bars.count, 1)))
        let finite = bars.map(\.value).filter(\.isFinite)
        let top = max(finite.max() ?? 0, threshold) * 1.15
        let yDomain = LinearScale(domain: 0...(top > 0 ? top : 1), range: (0, 1))
        let frame = SVGFrame(width: width, height: 260, left: 58, right: 64, top: 28, bottom: 56)
            .fitting(yTicks: yDomain.ticks())
        let y = yDomain.rescaled(to: frame.yRange(inverted: false))
        var svg = frame.open(title: title) + frame.yAxis(y, label: yLabel)
        let slot = (frame.width - frame.left - frame.right) / Double(max(bars.count, 1))
        for (index, bar) in bars.enumerated() {
            let centre = frame.left + slot * (Double(index) + 0.5)
            let barWidth = min(36, slot * 0.6)
            if bar.value.isFinite {
                let colour = bar.value > threshold ? "#d0602b" : "#2b6cb0"
                svg +=
                    "<rect x=\"\(centre - barWidth / 2)\" y=\"\(y(bar.value))\" width=\"\(barWidth)\" height=\"\(y(0) - y(bar.value))\" fill=\"\(colour)\"><title>\(HTML.escape(bar.label)): \(formatNumber(bar.value, decimals: 3))</title></rect>"
            }
            svg +=
                "<text transform=\"translate(\(centre) \(frame.height - frame.bottom + 12)) rotate(30)\" font-size=\"10\">\(HTML.escape(bar.label))</text>"
        }
        let line = y(threshold)
        svg +=
            "<line x1=\"\(frame.left)\" x2=\"\(frame.width - frame.right)\" y1=\"\(line)\" y2=\"\(line)\" stroke=\"#5f6b7a\" stroke-dasharray=\"4 3\"/>"
        svg +=
            "<text x=\"\(frame.width - frame.right - 2)\" y=\"\(line - 4)\" text-anchor=\"end\" font-size=\"10\">\(HTML.escape(thresholdLabel))</text>"
        return svg + "</svg>"
    }
}
