import Foundation

/// One bar per item, each split into coloured segments that share a legend: the read fates of each sequenced
/// sample, or its reads on miRNAs and on everything else.
///
/// Bars are drawn as counts, or as shares of each bar's total (`asShares`); an optional dashed line marks a
/// threshold (the minimum of miRNA reads). With more bars than fit a label each, labels are left off and the
/// caption should say the bars follow the table's order.
public struct StackedBarPlot: Sendable {
    /// One bar: its label and one value per segment (in `segments` order).
    public struct Bar: Sendable {
        public var label: String
        public var values: [Double]

        /// Creates a bar.
        public init(label: String, values: [Double]) {
            self.label = label
            self.values = values
        }
    }

    public var title: String
    public var yLabel: String
    /// The segments' names and colours, bottom first.
    public var segments: [(label: String, color: String)]
    public var bars: [Bar]
    /// Each bar scaled to its own total (0–1).
    public var asShares: Bool
    public var threshold: (value: Double, label: String)?

    /// Creates a plot.
    public init(
        title: String, yLabel: String, segments: [(label: String, color: String)], bars: [Bar],
        asShares: Bool = false, threshold: (value: Double, label: String)? = nil
    ) {
        self.title = title
        self.yLabel = yLabel
        self.segments = segments
        self.bars = bars
        self.asShares = asShares
        self.threshold = threshold
    }

    /// A categorical palette that stays apart in print and for common colour-vision deficiencies (Okabe–Ito, then
    /// greys).
    public static let palette = [
        "#0072b2", "#e69f00", "#009e73", "#cc79a7", "#56b4e9", "#d55e00", "#f0e442", "#000000", "#8a96a3", "#c5ccd3",
        "#5f6b7a", "#e3e8ee",
    ]

    /// Whether the bars are labelled (each has room for a rotated label).
    public var labelsBars: Bool { slotWidth >= 11 }

    /// The plot's width: 24 px per bar between the axis and the legend, at most 900 px.
    var width: Double { min(900, 120 + legendColumn + max(24 * Double(bars.count), 120)) }
    var legendColumn: Double { 36 + TextWidth.widest(segments.map(\.label), fontSize: 10) }
    var slotWidth: Double { (width - 70 - legendColumn) / Double(max(bars.count, 1)) }

    /// The SVG element, 320 px high.
    public func svg() -> String {
        func px(_ value: Double) -> String { String(format: "%.1f", value) }
        let totals = bars.map { $0.values.reduce(0, +) }
        let top = asShares ? 1 : max(totals.max() ?? 0, threshold?.value ?? 0) * 1.08
        let yDomain = LinearScale(domain: 0...(top > 0 ? top : 1), range: (0, 1))
        // A label turned 60° reaches down sin 60° of its width plus its height.
        let labelRoom = labelsBars ? 22 + 0.87 * TextWidth.widest(bars.map(\.label), fontSize: 9) : 14
        let frame = SVGFrame(
            width: width, height: 300 + labelRoom, left: 58, right: legendColumn, top: 28, bottom: 12 + labelRoom
        ).fitting(yTicks: yDomain.ticks())
        let y = yDomain.rescaled(to: frame.yRange(inverted: false))
        var svg = frame.open(title: title) + frame.yAxis(y, label: asShares ? yLabel + " (share)" : yLabel)
        let slot = (frame.width - frame.left - frame.right) / Double(max(bars.count, 1))
        let barWidth = max(1, min(18, slot * 0.75))
        for (index, bar) in bars.enumerated() {
            let centre = frame.left + slot * (Double(index) + 0.5)
            let scale = asShares ? (totals[index] > 0 ? 1 / totals[index] : 0) : 1
            var base = 0.0
            var tooltip = [bar.label]
            for (segment, value) in zip(segments, bar.values) where value > 0 {
                let low = y(base)
                base += value * scale
                svg +=
                    "<rect x=\"\(px(centre - barWidth / 2))\" y=\"\(px(y(base)))\" width=\"\(px(barWidth))\" height=\"\(px(max(0, low - y(base))))\" fill=\"\(segment.color)\"/>"
                tooltip.append("\(segment.label): \(formatNumber(value))")
            }
            svg +=
                "<rect x=\"\(px(centre - slot / 2))\" y=\"\(frame.top)\" width=\"\(px(slot))\" height=\"\(px(frame.height - frame.top - frame.bottom))\" fill=\"transparent\"><title>\(HTML.escape(tooltip.joined(separator: "\n")))</title></rect>"
            if labelsBars {
                svg +=
                    "<text transform=\"translate(\(px(centre - 3)) \(px(frame.height - frame.bottom + 10))) rotate(60)\" font-size=\"9\">\(HTML.escape(bar.label))</text>"
            }
        }
        if let threshold, !asShares {
            let line = y(threshold.value)
            svg +=
                "<line x1=\"\(frame.left)\" x2=\"\(frame.width - frame.right)\" y1=\"\(px(line))\" y2=\"\(px(line))\" stroke=\"#d0602b\" stroke-dasharray=\"4 3\"/>"
            let size = formatNumber(
                SVGFrame.fontSize(threshold.label, fitting: frame.width - frame.right - frame.left - 4, preferred: 9),
                decimals: 1)
            svg +=
                "<text x=\"\(px(frame.width - frame.right - 2))\" y=\"\(px(line - 4))\" text-anchor=\"end\" font-size=\"\(size)\" fill=\"#d0602b\">\(HTML.escape(threshold.label))</text>"
        }
        for (index, segment) in segments.enumerated().reversed() {
            // The legend lists the top segment first, as the bars stack.
            let row = Double(segments.count - 1 - index)
            let legendY = frame.top + 4 + 14 * row
            let legendX = frame.width - frame.right + 10
            svg +=
                "<rect x=\"\(px(legendX))\" y=\"\(px(legendY - 5))\" width=\"10\" height=\"10\" fill=\"\(segment.color)\"/>"
            svg +=
                "<text x=\"\(px(legendX + 14))\" y=\"\(px(legendY + 4))\" font-size=\"10\">\(HTML.escape(segment.label))</text>"
        }
        return svg + "</svg>"
    }
}
