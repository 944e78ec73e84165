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
        let width = 520.0
        let height = 300.0
        let left = 58.0
        let right = 110.0
        let top = 28.0
        let bottom = 40.0
        let x = LinearScale(covering: series.flatMap { $0.points.map(\.day) }, range: left...(width - right))
        let yRange = invertedY ? top...(height - bottom) : (height - bottom)...top
        let y = LinearScale(covering: series.flatMap { $0.points.map(\.value) }, range: yRange)
        var svg = """
            <svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 \(Int(width)) \(Int(height))" width="\(Int(width))" height="\(Int(height))" role="img" aria-label="\(HTML.escape(title))">
            <text x="\((width - right + left) / 2)" y="16" text-anchor="middle" font-size="13" font-weight="600">\(HTML.escape(title))</text>
            """
        for tick in y.ticks() {
            let py = y(tick)
            svg += "<line x1=\"\(left)\" x2=\"\(width - right)\" y1=\"\(py)\" y2=\"\(py)\" stroke=\"#e3e8ee\"/>"
            svg +=
                "<text x=\"\(left - 6)\" y=\"\(py + 4)\" text-anchor=\"end\" font-size=\"10\">\(formatNumber(tick))</text>"
        }
        for tick in x.ticks() {
            svg +=
                "<text x=\"\(x(tick))\" y=\"\(height - bottom + 16)\" text-anchor=\"middle\" font-size=\"10\">\(formatNumber(tick))</text>"
        }
        svg +=
            "<text x=\"\((width - right + left) / 2)\" y=\"\(height - 6)\" text-anchor=\"middle\" font-size=\"11\">day from treatment start</text>"
        svg +=
            "<text transform=\"translate(14 \((top + height - bottom) / 2)) rotate(-90)\" text-anchor=\"middle\" font-size=\"11\">\(HTML.escape(yLabel))</text>"
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
