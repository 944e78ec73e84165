import Foundation

/// A general x–y plot as inline SVG: lines and points, reference lines, a shaded x range and markers.
///
/// The EV-QC plots (size distributions, purity, control charts, stability) are drawn with it.
public struct XYPlot: Sendable {
    /// One series: a line through its points, dots at them, or both.
    public struct Series: Sendable {
        public var label: String?
        public var points: [(x: Double, y: Double)]
        public var color: String
        public var line: Bool
        public var dots: Bool
        public var width: Double
        public var dashed: Bool
        /// Per-point colours overriding `color` for the dots (control-chart violations).
        public var dotColors: [String]?

        /// Creates a series.
        public init(
            label: String? = nil, points: [(x: Double, y: Double)], color: String, line: Bool = true,
            dots: Bool = false, width: Double = 1.4, dashed: Bool = false, dotColors: [String]? = nil
        ) {
            self.label = label
            self.points = points
            self.color = color
            self.line = line
            self.dots = dots
            self.width = width
            self.dashed = dashed
            self.dotColors = dotColors
        }
    }

    /// A horizontal line across the plot at `y`.
    public struct Reference: Sendable {
        public var y: Double
        public var label: String
        public var color: String

        /// Creates a reference line.
        public init(y: Double, label: String, color: String = "#8a96a3") {
            self.y = y
            self.label = label
            self.color = color
        }
    }

    public var title: String
    public var xLabel: String
    public var yLabel: String
    public var series: [Series]
    public var references: [Reference]
    /// An x range drawn shaded (the small-EV size range).
    public var shaded: ClosedRange<Double>?
    /// Vertical dashed lines with labels (a shelf life).
    public var markers: [(x: Double, label: String)]
    public var width: Double
    public var height: Double

    /// Creates a plot.
    public init(
        title: String, xLabel: String, yLabel: String, series: [Series], references: [Reference] = [],
        shaded: ClosedRange<Double>? = nil, markers: [(x: Double, label: String)] = [], width: Double = 520,
        height: Double = 300
    ) {
        self.title = title
        self.xLabel = xLabel
        self.yLabel = yLabel
        self.series = series
        self.references = references
        self.shaded = shaded
        self.markers = markers
        self.width = width
        self.height = height
    }

    /// The SVG element; the reference lines' labels and a legend of the labelled series on the right, each column as
    /// wide as its longest label (together at most half the plot's width).
    public func svg() -> String {
        // Pixel coordinates to 0.1 px: the plots stay sharp and the report small.
        func px(_ value: Double) -> String { String(format: "%.1f", value) }
        // A label's font size: `preferred`, or smaller where the label is wider than `room`.
        func size(_ label: String, _ room: Double, _ preferred: Double) -> String {
            formatNumber(SVGFrame.fontSize(label, fitting: room, preferred: preferred), decimals: 1)
        }
        let labelled = series.filter { $0.label != nil }
        var referenceColumn = references.isEmpty ? 0 : 8 + TextWidth.widest(references.map(\.label), fontSize: 9)
        var legendColumn =
            labelled.isEmpty ? 0 : 10 + 18 + TextWidth.widest(labelled.map { $0.label ?? "" }, fontSize: 10) + 4
        // Together at most half the width; a label too long for its column is set smaller.
        if referenceColumn + legendColumn > width / 2 {
            referenceColumn = min(referenceColumn, legendColumn == 0 ? width / 2 : width / 4)
            legendColumn = min(legendColumn, width / 2 - referenceColumn)
        }
        let xs =
            series.flatMap { $0.points.map(\.x) } + markers.map(\.x)
            + (shaded.map { [$0.lowerBound, $0.upperBound] } ?? [])
        let ys = series.flatMap { $0.points.map(\.y) } + references.map(\.y)
        let yDomain = LinearScale(covering: ys, range: (0, 1))
        let frame = SVGFrame(
            width: width, height: height, left: 58, right: max(14, referenceColumn + legendColumn), top: 28,
            bottom: 40
        ).fitting(yTicks: yDomain.ticks())
        let plotRight = frame.width - frame.right
        let x = LinearScale(covering: xs, range: (frame.left, plotRight))
        let y = yDomain.rescaled(to: frame.yRange(inverted: false))
        var svg = frame.open(title: title) + frame.yAxis(y, label: yLabel) + frame.xAxis(x, label: xLabel)
        if let shaded {
            let low = x(max(shaded.lowerBound, x.domain.lowerBound))
            let high = x(min(shaded.upperBound, x.domain.upperBound))
            svg +=
                "<rect x=\"\(low)\" y=\"\(frame.top)\" width=\"\(max(0, high - low))\" height=\"\(frame.height - frame.top - frame.bottom)\" fill=\"#2f9e6b\" fill-opacity=\"0.10\"/>"
        }
        // Reference labels at their lines, moved apart where lines are closer than a label is high.
        let labelBaselines = SVGFrame.spread(
            references.map { y($0.y) + 3 }, gap: 10,
            within: (frame.top + 9)...(frame.height - frame.bottom + 3))
        for (reference, baseline) in zip(references, labelBaselines) {
            let position = y(reference.y)
            svg +=
                "<line x1=\"\(frame.left)\" x2=\"\(plotRight)\" y1=\"\(position)\" y2=\"\(position)\" stroke=\"\(reference.color)\" stroke-dasharray=\"4 3\"/>"
            svg +=
                "<text x=\"\(plotRight + 4)\" y=\"\(px(baseline))\" font-size=\"\(size(reference.label, referenceColumn - 8, 9))\" fill=\"\(reference.color)\">\(HTML.escape(reference.label))</text>"
        }
        // Marker labels one row each from the top, beside their line on whichever side keeps them in the plot.
        for (index, marker) in markers.enumerated() {
            let position = x(marker.x)
            svg +=
                "<line x1=\"\(position)\" x2=\"\(position)\" y1=\"\(frame.top)\" y2=\"\(frame.height - frame.bottom)\" stroke=\"#a15c00\" stroke-dasharray=\"3 3\"/>"
            let labelWidth = TextWidth.of(marker.label, fontSize: 9)
            let (rightRoom, leftRoom) = (plotRight - position - 3, position - 3 - frame.left)
            let fitsRight = labelWidth <= rightRoom || (labelWidth > leftRoom && rightRoom >= leftRoom)
            svg +=
                "<text x=\"\(px(fitsRight ? position + 3 : position - 3))\" y=\"\(frame.top + 10 + 11 * Double(index))\"\(fitsRight ? "" : " text-anchor=\"end\"") font-size=\"\(size(marker.label, fitsRight ? rightRoom : leftRoom, 9))\" fill=\"#a15c00\">\(HTML.escape(marker.label))</text>"
        }
        for item in series {
            if item.line, item.points.count > 1 {
                let path = item.points.map { "\(px(x($0.x))),\(px(y($0.y)))" }.joined(separator: " ")
                svg +=
                    "<polyline points=\"\(path)\" fill=\"none\" stroke=\"\(item.color)\" stroke-width=\"\(item.width)\"\(item.dashed ? " stroke-dasharray=\"5 3\"" : "")/>"
            }
            if item.dots {
                for (index, point) in item.points.enumerated() {
                    let color = item.dotColors.map { $0[index % $0.count] } ?? item.color
                    svg += "<circle cx=\"\(px(x(point.x)))\" cy=\"\(px(y(point.y)))\" r=\"2.8\" fill=\"\(color)\"/>"
                }
            }
        }
        for (index, item) in labelled.enumerated() {
            let legendY = frame.top + 6 + 14 * Double(index)
            let legendX = plotRight + referenceColumn + 10
            svg +=
                "<line x1=\"\(legendX)\" x2=\"\(legendX + 14)\" y1=\"\(legendY)\" y2=\"\(legendY)\" stroke=\"\(item.color)\" stroke-width=\"2\"/>"
            svg +=
                "<text x=\"\(legendX + 18)\" y=\"\(legendY + 4)\" font-size=\"\(size(item.label ?? "", legendColumn - 32, 10))\">\(HTML.escape(item.label ?? ""))</text>"
        }
        return svg + "</svg>"
    }
}
