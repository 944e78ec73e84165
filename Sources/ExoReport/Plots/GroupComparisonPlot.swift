import ExoStats

/// A strip plot with a box (quartiles, median, whiskers to the extremes) for each group, as inline SVG.
///
/// Points are spread horizontally by a deterministic jitter (the point's index), so the same data
/// always draws the same picture.
public struct GroupComparisonPlot: Sendable {
    /// One group's values.
    public struct Group: Sendable {
        public var label: String
        public var values: [Double]

        /// Creates a group.
        public init(label: String, values: [Double]) {
            self.label = label
            self.values = values
        }
    }

    public var title: String
    public var yLabel: String
    public var groups: [Group]
    /// Draw larger values lower (Cq: a higher Cq means less of the analyte).
    public var invertedY: Bool
    /// A horizontal line with its label, such as a decision threshold.
    public var referenceLine: (value: Double, label: String)?

    /// Creates a plot.
    public init(
        title: String, yLabel: String, groups: [Group], invertedY: Bool = false,
        referenceLine: (value: Double, label: String)? = nil
    ) {
        self.title = title
        self.yLabel = yLabel
        self.groups = groups
        self.invertedY = invertedY
        self.referenceLine = referenceLine
    }

    static let palette = [
        "#1f6fb2", "#d0602b", "#2f9e6b", "#8a4fbf", "#b8860b", "#5f6b7a", "#c23b7a", "#17a2b8", "#7a5230", "#4b8b1f",
    ]

    /// The SVG element, 420 × 300 px.
    public func svg() -> String {
        let yDomain = LinearScale(
            covering: groups.flatMap(\.values) + (referenceLine.map { [$0.value] } ?? []), range: (0, 1))
        let frame = SVGFrame(width: 420, height: 300, left: 58, right: 12, top: 28, bottom: 46)
            .fitting(yTicks: yDomain.ticks())
        let y = yDomain.rescaled(to: frame.yRange(inverted: invertedY))
        let band = (frame.width - frame.left - frame.right) / Double(max(groups.count, 1))
        let (left, height, bottom) = (frame.left, frame.height, frame.bottom)
        var svg = frame.open(title: title) + frame.yAxis(y, label: yLabel)
        for (index, group) in groups.enumerated() {
            let center = left + band * (Double(index) + 0.5)
            let color = Self.palette[index % Self.palette.count]
            if let summary = Descriptive.fiveNumberSummary(group.values) {
                let boxWidth = min(band * 0.5, 70)
                svg +=
                    "<line x1=\"\(center)\" x2=\"\(center)\" y1=\"\(y(summary.minimum))\" y2=\"\(y(summary.maximum))\" stroke=\"\(color)\"/>"
                let q1 = y(summary.lowerQuartile)
                let q3 = y(summary.upperQuartile)
                svg +=
                    "<rect x=\"\(center - boxWidth / 2)\" y=\"\(min(q1, q3))\" width=\"\(boxWidth)\" height=\"\(max(abs(q3 - q1), 1))\" fill=\"\(color)\" fill-opacity=\"0.15\" stroke=\"\(color)\"/>"
                svg +=
                    "<line x1=\"\(center - boxWidth / 2)\" x2=\"\(center + boxWidth / 2)\" y1=\"\(y(summary.median))\" y2=\"\(y(summary.median))\" stroke=\"\(color)\" stroke-width=\"2\"/>"
            }
            for (pointIndex, value) in group.values.enumerated() {
                let jitter = (Double((pointIndex * 37) % 21) / 20 - 0.5) * min(band * 0.4, 50)
                svg +=
                    "<circle cx=\"\(center + jitter)\" cy=\"\(y(value))\" r=\"2.6\" fill=\"\(color)\" fill-opacity=\"0.7\"/>"
            }
            svg +=
                "<text x=\"\(center)\" y=\"\(height - bottom + 16)\" text-anchor=\"middle\" font-size=\"11\">\(HTML.escape(group.label))</text>"
            svg +=
                "<text x=\"\(center)\" y=\"\(height - bottom + 30)\" text-anchor=\"middle\" font-size=\"10\" fill=\"#5f6b7a\">n = \(group.values.count)</text>"
        }
        if let (value, label) = referenceLine {
            let lineY = y(value)
            svg +=
                "<line x1=\"\(left)\" x2=\"\(frame.width - frame.right)\" y1=\"\(lineY)\" y2=\"\(lineY)\" stroke=\"#b3261e\" stroke-dasharray=\"5 3\"/>"
            svg +=
                "<text x=\"\(frame.width - frame.right - 2)\" y=\"\(lineY - 4)\" text-anchor=\"end\" font-size=\"10\" fill=\"#b3261e\">\(HTML.escape(label))</text>"
        }
        return svg + "</svg>"
    }
}
