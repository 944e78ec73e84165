/// Lines of value against day for several series (one per patient), as inline SVG.
public struct TrajectoryPlot: Sendable {
    /// One line.
    public struct Series: Sendable {
        public var label: String
        public var points: [(day: Double, value: Double)]

        /// Creates a series; points are drawn in day order.
        public init(label: String, points: [(day: Double, value: Double)]) {
            self.label = label
            self.points = points.sorted { $0.day < $1.day }
        }
    }

    public var title: String
    public var yLabel: String
    public var series: [Series]
    public var invertedY: Bool

    /// Creates a plot.
    public init(title: String, yLabel: String, series: [Series], invertedY: Bool = false) {
        self.title = title
        self.yLabel = yLabel
        self.series = series
        self.invertedY = invertedY
    }

    /// The SVG element, 520 × 300 px, with a legend on the right.
    public func svg() -> String {
        let yDomain = LinearScale(covering: series.flatMap { $0.points.map(\.value) }, range: (0, 1))
        let frame = SVGFrame(width: 520, height: 300, left: 58, right: 110, top: 28, bottom: 40)
            .fitting(yTicks: yDomain.ticks())
        let (width, right, top) = (frame.width, frame.right, frame.top)
        let x = LinearScale(covering: series.flatMap { $0.points.map(\.day) }, range: (frame.left, width - right))
        let y = yDomain.rescaled(to: frame.yRange(inverted: invertedY))
        var svg =
            frame.open(title: title) + frame.yAxis(y, label: yLabel) + frame.xAxis(x, label: "day from treatment start")
        for (index, line) in series.enumerated() {
            let color = GroupComparisonPlot.palette[index % GroupComparisonPlot.palette.count]
            let path = line.points.map { "\(x($0.day)),\(y($0.value))" }.joined(separator: " ")
            svg += "<polyline points=\"\(path)\" fill=\"none\" stroke=\"\(color)\" stroke-width=\"1.6\"/>"
            for point in line.points {
                svg += "<circle cx=\"\(x(point.day))\" cy=\"\(y(point.value))\" r=\"2.8\" fill=\"\(color)\"/>"
            }
            let legendY = top + 14 * Double(index)
            svg +=
                "<line x1=\"\(width - right + 10)\" x2=\"\(width - right + 26)\" y1=\"\(legendY)\" y2=\"\(legendY)\" stroke=\"\(color)\" stroke-width=\"2\"/>"
            svg +=
                "<text x=\"\(width - right + 30)\" y=\"\(legendY + 4)\" font-size=\"10\">\(HTML.escape(line.label))</text>"
        }
        return svg + "</svg>"
    }
}
