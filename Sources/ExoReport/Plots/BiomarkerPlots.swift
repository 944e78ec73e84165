import Foundation

/// A volcano plot: each miRNA's log2 fold change against −log10 of its p-value, those below the FDR cut
/// coloured by direction and the strongest labelled.
public struct VolcanoPlot: Sendable {
    /// One feature.
    public struct Point: Sendable {
        public var label: String
        public var logFC: Double
        public var p: Double
        public var adjustedP: Double

        /// Creates a point.
        public init(label: String, logFC: Double, p: Double, adjustedP: Double) {
            self.label = label
            self.logFC = logFC
            self.p = p
            self.adjustedP = adjustedP
        }
    }

    public var title: String
    public var points: [Point]
    /// Points with an adjusted p below this are coloured.
    public var falseDiscoveryRate: Double

    /// Creates a plot.
    public init(title: String, points: [Point], falseDiscoveryRate: Double = 0.05) {
        self.title = title
        self.points = points
        self.falseDiscoveryRate = falseDiscoveryRate
    }

    /// The SVG element, 460 × 320 px.
    public func svg() -> String {
        let shown = points.filter { $0.logFC.isFinite && $0.p > 0 && $0.p.isFinite }
        let heights = shown.map { -log10($0.p) }
        let yDomain = LinearScale(covering: [0] + heights, range: (0, 1))
        let frame = SVGFrame(width: 460, height: 320, left: 52, right: 14, top: 28, bottom: 40)
            .fitting(yTicks: yDomain.ticks())
        let reach = max(shown.map { abs($0.logFC) }.max() ?? 1, 0.5)
        let x = LinearScale(domain: -reach...reach, range: (frame.left, frame.width - frame.right))
        let y = yDomain.rescaled(to: frame.yRange(inverted: false))
        var svg =
            frame.open(title: title) + frame.yAxis(y, label: "−log10 p") + frame.xAxis(x, label: "log2 fold change")
        svg +=
            "<line x1=\"\(x(0))\" x2=\"\(x(0))\" y1=\"\(frame.top)\" y2=\"\(frame.height - frame.bottom)\" stroke=\"#c5ccd5\"/>"
        let labelled = Set(
            shown.filter { $0.adjustedP < falseDiscoveryRate }.sorted { $0.p < $1.p }.prefix(6).map(\.label))
        // Label boxes already drawn: each label takes the first free place beside its point (the side that stays in
        // the plot first, then the other, then a row higher or lower, up to six), so labels never cover each other.
        var taken: [(left: Double, right: Double, top: Double, bottom: Double)] = []
        for (point, height) in zip(shown, heights) {
            let significant = point.adjustedP < falseDiscoveryRate
            let color = !significant ? "#9aa5b1" : point.logFC > 0 ? "#b3261e" : "#1f6fb2"
            let (cx, cy) = (x(point.logFC), y(height))
            svg += "<circle cx=\"\(cx)\" cy=\"\(cy)\" r=\"3\" fill=\"\(color)\" fill-opacity=\"0.8\">"
            svg += "<title>\(HTML.escape(point.label))</title></circle>"
            guard labelled.contains(point.label) else { continue }
            let width = TextWidth.of(point.label, fontSize: 9)
            let rightFirst = cx + 5 + width <= frame.width - 2
            let candidates = [0.0, -11, 11, -22, 22, -33, 33, -44, 44, -55, 55, -66, 66].flatMap { dy in
                [rightFirst, !rightFirst].map { toRight in (toRight: toRight, baseline: cy - 4 + dy) }
            }
            func box(_ place: (toRight: Bool, baseline: Double)) -> (
                left: Double, right: Double, top: Double, bottom: Double
            ) {
                let left = place.toRight ? cx + 5 : cx - 5 - width
                return (left, left + width, place.baseline - SVGFrame.ascent * 9, place.baseline + SVGFrame.descent * 9)
            }
            let place =
                candidates.first { candidate in
                    let b = box(candidate)
                    return b.left >= 2 && b.right <= frame.width - 2 && b.top >= frame.top - 6
                        && b.bottom <= frame.height - frame.bottom
                        && !taken.contains {
                            $0.left < b.right && b.left < $0.right && $0.top < b.bottom && b.top < $0.bottom
                        }
                } ?? candidates[0]
            taken.append(box(place))
            svg +=
                "<text x=\"\(cx + (place.toRight ? 5 : -5))\" y=\"\(place.baseline)\"\(place.toRight ? "" : " text-anchor=\"end\"") font-size=\"9\">\(HTML.escape(point.label))</text>"
        }
        return svg + "</svg>"
    }
}

/// ROC curves with their bootstrap confidence bands, against the diagonal.
public struct ROCPlot: Sendable {
    /// One curve.
    public struct Curve: Sendable {
        public var label: String
        /// (1 − specificity, sensitivity), in order along the curve.
        public var points: [(Double, Double)]
        /// (specificity, sensitivity low, sensitivity high).
        public var band: [(Double, Double, Double)]

        /// Creates a curve.
        public init(label: String, points: [(Double, Double)], band: [(Double, Double, Double)]) {
            self.label = label
            self.points = points
            self.band = band
        }
    }

    public var title: String
    public var curves: [Curve]

    /// Creates a plot.
    public init(title: String, curves: [Curve]) {
        self.title = title
        self.curves = curves
    }

    /// The SVG element, 360 × 360 px.
    public func svg() -> String {
        var (svg, x, y) = SVGFrame.unitSquare(title: title, xLabel: "1 − specificity", yLabel: "sensitivity")
        for (index, curve) in curves.enumerated() {
            let color = GroupComparisonPlot.palette[index % GroupComparisonPlot.palette.count]
            let upper = curve.band.map { "\(x(1 - $0.0)),\(y($0.2))" }
            let lower = curve.band.reversed().map { "\(x(1 - $0.0)),\(y($0.1))" }
            svg +=
                "<polygon points=\"\((upper + lower).joined(separator: " "))\" fill=\"\(color)\" fill-opacity=\"0.12\"/>"
            let path = curve.points.map { "\(x($0.0)),\(y($0.1))" }.joined(separator: " ")
            svg += "<polyline points=\"\(path)\" fill=\"none\" stroke=\"\(color)\" stroke-width=\"2\"/>"
            svg +=
                "<text x=\"\(x(0.98))\" y=\"\(y(0.05 + 0.07 * Double(curves.count - 1 - index)))\" text-anchor=\"end\" font-size=\"10\" fill=\"\(color)\">\(HTML.escape(curve.label))</text>"
        }
        return svg + "</svg>"
    }
}

/// A calibration plot: observed share of cases against mean predicted probability by bin, with Wilson
/// intervals, against the diagonal of perfect calibration.
public struct CalibrationPlot: Sendable {
    /// One bin.
    public struct Bin: Sendable {
        public var predicted: Double
        public var observed: Double
        public var low: Double
        public var high: Double
        public var count: Int

        /// Creates a bin.
        public init(predicted: Double, observed: Double, low: Double, high: Double, count: Int) {
            self.predicted = predicted
            self.observed = observed
            self.low = low
            self.high = high
            self.count = count
        }
    }

    public var title: String
    public var bins: [Bin]

    /// Creates a plot.
    public init(title: String, bins: [Bin]) {
        self.title = title
        self.bins = bins
    }

    /// The SVG element, 360 × 360 px.
    public func svg() -> String {
        var (svg, x, y) = SVGFrame.unitSquare(
            title: title, xLabel: "predicted probability (out of fold)", yLabel: "observed share of cases")
        for bin in bins {
            svg +=
                "<line x1=\"\(x(bin.predicted))\" x2=\"\(x(bin.predicted))\" y1=\"\(y(bin.low))\" y2=\"\(y(bin.high))\" stroke=\"#1f6fb2\"/>"
            svg += "<circle cx=\"\(x(bin.predicted))\" cy=\"\(y(bin.observed))\" r=\"4\" fill=\"#1f6fb2\">"
            svg += "<title>n = \(bin.count)</title></circle>"
        }
        return svg + "</svg>"
    }
}

extension SVGFrame {
    /// A 360 × 360 px plot of [0, 1] × [0, 1] with its axes and the dashed diagonal: the opening markup and the
    /// two scales.
    static func unitSquare(title: String, xLabel: String, yLabel: String) -> (String, LinearScale, LinearScale) {
        let frame = SVGFrame(width: 360, height: 360, left: 52, right: 14, top: 28, bottom: 40)
        let x = LinearScale(domain: 0...1, range: (frame.left, frame.width - frame.right))
        let y = LinearScale(domain: 0...1, range: frame.yRange(inverted: false))
        var svg = frame.open(title: title) + frame.yAxis(y, label: yLabel) + frame.xAxis(x, label: xLabel)
        svg +=
            "<line x1=\"\(x(0))\" y1=\"\(y(0))\" x2=\"\(x(1))\" y2=\"\(y(1))\" stroke=\"#c5ccd5\" stroke-dasharray=\"4 3\"/>"
        return (svg, x, y)
    }
}

/// Kaplan–Meier curves as step functions, with the number in each group, a mark at every censoring time and the
/// numbers at risk under the time axis.
public struct SurvivalPlot: Sendable {
    /// One group's curve.
    public struct Curve: Sendable {
        public var label: String
        /// (time, survival) at the start and at every event time.
        public var steps: [(Double, Double)]
        /// Every subject's follow-up time and whether it ended in an event (empty: no marks, no numbers at risk).
        public var followUp: [(time: Double, event: Bool)]

        /// Creates a curve.
        public init(label: String, steps: [(Double, Double)], followUp: [(time: Double, event: Bool)] = []) {
            self.label = label
            self.steps = steps
            self.followUp = followUp
        }

        /// The survival just after `time` (the step function, right-continuous).
        func survival(at time: Double) -> Double {
            steps.last { $0.0 <= time }?.1 ?? 1
        }

        /// The subjects still followed at `time` (follow-up ending at or after it).
        func atRisk(at time: Double) -> Int {
            followUp.filter { $0.time >= time }.count
        }
    }

    public var title: String
    public var timeLabel: String
    public var curves: [Curve]

    /// Creates a plot.
    public init(title: String, timeLabel: String, curves: [Curve]) {
        self.title = title
        self.timeLabel = timeLabel
        self.curves = curves
    }

    /// The SVG element, 420 px wide; 300 px tall, and a row per curve more for the numbers at risk.
    public func svg() -> String {
        let withRisk = curves.contains { !$0.followUp.isEmpty }
        let riskRows = withRisk ? Double(curves.count + 1) * 13 : 0
        let frame = SVGFrame(width: 420, height: 300 + riskRows, left: 52, right: 14, top: 28, bottom: 40 + riskRows)
        let end = max(curves.flatMap { $0.steps.map(\.0) + $0.followUp.map(\.time) }.max() ?? 1, 1)
        let x = LinearScale(domain: 0...end, range: (frame.left, frame.width - frame.right))
        let y = LinearScale(domain: 0...1, range: frame.yRange(inverted: false))
        var svg = frame.open(title: title) + frame.yAxis(y, label: "survival") + frame.xAxis(x, label: timeLabel)
        if withRisk {
            // Numbers at risk at each tick, one row per curve in its colour, between the tick labels and the axis
            // title.
            let top = frame.height - frame.bottom + 30
            svg += "<text x=\"4\" y=\"\(top)\" font-size=\"9\" fill=\"#4a5866\">at risk</text>"
            for (index, curve) in curves.enumerated() {
                let color = GroupComparisonPlot.palette[index % GroupComparisonPlot.palette.count]
                for tick in x.ticks() {
                    svg +=
                        "<text x=\"\(x(tick))\" y=\"\(top + 13 * Double(index + 1))\" text-anchor=\"middle\" font-size=\"9\" fill=\"\(color)\">\(curve.atRisk(at: tick))</text>"
                }
            }
        }
        for (index, curve) in curves.enumerated() {
            let color = GroupComparisonPlot.palette[index % GroupComparisonPlot.palette.count]
            var points: [String] = []
            var previous = 1.0
            for (time, survival) in curve.steps {
                points.append("\(x(time)),\(y(previous))")
                points.append("\(x(time)),\(y(survival))")
                previous = survival
            }
            points.append("\(x(end)),\(y(previous))")
            svg +=
                "<polyline points=\"\(points.joined(separator: " "))\" fill=\"none\" stroke=\"\(color)\" stroke-width=\"2\"/>"
            // A censored subject: a short vertical tick on the curve at its last follow-up.
            for time in Set(curve.followUp.filter { !$0.event }.map(\.time)).sorted() {
                let (px, py) = (x(time), y(curve.survival(at: time)))
                svg +=
                    "<line x1=\"\(px)\" y1=\"\(py - 4)\" x2=\"\(px)\" y2=\"\(py + 4)\" stroke=\"\(color)\" stroke-width=\"1.5\"/>"
            }
            svg +=
                "<text x=\"\(x(end) - 4)\" y=\"\(y(0.95 - 0.07 * Double(index)))\" text-anchor=\"end\" font-size=\"10\" fill=\"\(color)\">\(HTML.escape(curve.label))</text>"
        }
        return svg + "</svg>"
    }
}
