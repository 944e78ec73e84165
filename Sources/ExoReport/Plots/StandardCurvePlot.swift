/// Cq against log10 quantity of a dilution series, with the fitted line.
public struct StandardCurvePlot: Sendable {
    public var title: String
    /// (log10 quantity, Cq) of every amplified standard.
    public var points: [(log10Quantity: Double, cq: Double)]
    public var slope: Double
    public var intercept: Double

    /// Creates a plot.
    public init(title: String, points: [(log10Quantity: Double, cq: Double)], slope: Double, intercept: Double) {
        self.title = title
        self.points = points
        self.slope = slope
        self.intercept = intercept
    }

    /// The SVG element, 420 × 300 px.
    public func svg() -> String {
        let xs = points.map(\.log10Quantity)
        let yDomain = LinearScale(covering: points.map(\.cq), range: (0, 1))
        let frame = SVGFrame(width: 420, height: 300, left: 58, right: 12, top: 28, bottom: 40)
            .fitting(yTicks: yDomain.ticks())
        let x = LinearScale(covering: xs, range: (frame.left, frame.width - frame.right))
        let y = yDomain.rescaled(to: frame.yRange(inverted: false))
        var svg =
            frame.open(title: title) + frame.yAxis(y, label: "Cq") + frame.xAxis(x, label: "log10 copies per reaction")
        if let low = xs.min(), let high = xs.max() {
            svg +=
                "<line x1=\"\(x(low))\" x2=\"\(x(high))\" y1=\"\(y(intercept + slope * low))\" y2=\"\(y(intercept + slope * high))\" stroke=\"#5f6b7a\"/>"
        }
        for point in points {
            svg +=
                "<circle cx=\"\(x(point.log10Quantity))\" cy=\"\(y(point.cq))\" r=\"3\" fill=\"#d0602b\" fill-opacity=\"0.8\"/>"
        }
        return svg + "</svg>"
    }
}
