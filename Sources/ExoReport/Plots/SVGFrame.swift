/// The drawing area of a plot: its size, margins, title and value axis, shared by every ExoScope plot.
///
/// Every text it writes stays inside the SVG's box: labels are measured with ``TextWidth`` (an estimate that errs
/// on the wide side), margins grow to fit tick labels, and a title or axis title too long for its room is set in a
/// smaller font rather than cut.
struct SVGFrame {
    var width: Double
    var height: Double
    var left: Double
    var right: Double
    var top: Double
    var bottom: Double

    /// A text's extent above its baseline (DejaVu Sans ascent) and below it (descent), in em.
    static let ascent = 0.93
    static let descent = 0.24

    /// The vertical pixel range for values, top to bottom when `inverted` (larger values drawn lower).
    func yRange(inverted: Bool) -> (start: Double, end: Double) {
        inverted ? (top, height - bottom) : (height - bottom, top)
    }

    /// This frame with its left margin widened, if needed, so that the tick labels of `ticks` fit between the
    /// rotated axis title and the plot.
    func fitting(yTicks ticks: [Double]) -> SVGFrame {
        var frame = self
        // The axis title takes x 3…17 (11 px, rotated); the labels end 6 px before the plot.
        frame.left = max(left, 26 + TextWidth.widest(ticks.map { formatNumber($0) }, fontSize: 10))
        return frame
    }

    /// `fontSize`, or the largest size below it (to 0.1 px) at which `text` is at most `room` wide.
    static func fontSize(_ text: String, fitting room: Double, preferred fontSize: Double, bold: Bool = false) -> Double
    {
        let natural = TextWidth.of(text, fontSize: fontSize, bold: bold)
        guard natural > room + 0.01 else { return fontSize }  // a hundredth of a pixel for rounding
        return max(0.1, (fontSize * max(room, 0) / natural * 10).rounded(.down) / 10)
    }

    /// The x at which to draw `text` anchored in the middle, as close to `centre` as keeps it inside `bounds`; and the
    /// font size, `fontSize` or smaller when the text is wider than `bounds`.
    static func place(
        _ text: String, centredAt centre: Double, within bounds: ClosedRange<Double>, fontSize: Double,
        bold: Bool = false
    ) -> (x: Double, fontSize: Double) {
        let size = Self.fontSize(
            text, fitting: bounds.upperBound - bounds.lowerBound, preferred: fontSize, bold: bold)
        let half = TextWidth.of(text, fontSize: size, bold: bold) / 2
        let x = min(max(centre, bounds.lowerBound + half), bounds.upperBound - half)
        return ((x * 10).rounded() / 10, size)
    }

    /// Label positions (baselines or centres) at least `gap` apart, each as near its wish as that allows, kept inside
    /// `bounds`; in the order given.
    ///
    /// Sorts the wishes, pushes each down (larger) past its predecessor, then shifts the whole run back up if it left
    /// `bounds`. O(n log n).
    static func spread(_ wishes: [Double], gap: Double, within bounds: ClosedRange<Double>) -> [Double] {
        let order = wishes.indices.sorted { wishes[$0] < wishes[$1] }
        var placed = [Double](repeating: 0, count: wishes.count)
        var previous = -Double.infinity
        for index in order {
            placed[index] = max(wishes[index], previous + gap, bounds.lowerBound)
            previous = placed[index]
        }
        let overshoot = (order.last.map { placed[$0] } ?? bounds.upperBound) - bounds.upperBound
        if overshoot > 0 {
            for index in placed.indices { placed[index] = max(bounds.lowerBound, placed[index] - overshoot) }
        }
        return placed
    }

    /// The opening `<svg>` tag and the title, centred over the plot.
    func open(title: String) -> String {
        let (x, size) = Self.place(
            title, centredAt: (width - right + left) / 2, within: 4...(width - 4), fontSize: 13, bold: true)
        return """
            <svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 \(Int(width)) \(Int(height))" width="\(Int(width))" \
            height="\(Int(height))" role="img" aria-label="\(HTML.escape(title))">\
            <text x="\(x)" y="16" text-anchor="middle" font-size="\(formatNumber(size, decimals: 1))" \
            font-weight="600">\(HTML.escape(title))</text>
            """
    }

    /// Horizontal grid lines with tick labels, and the rotated axis label beside them.
    func yAxis(_ scale: LinearScale, label: String) -> String {
        var svg = ""
        for tick in scale.ticks() {
            let y = scale(tick)
            svg += "<line x1=\"\(left)\" x2=\"\(width - right)\" y1=\"\(y)\" y2=\"\(y)\" stroke=\"#e3e8ee\"/>"
            svg +=
                "<text x=\"\(left - 6)\" y=\"\(y + 4)\" text-anchor=\"end\" font-size=\"10\">\(formatNumber(tick))</text>"
        }
        let (centre, size) = Self.place(
            label, centredAt: (top + height - bottom) / 2, within: 4...(height - 4), fontSize: 11)
        svg += "<text transform=\"translate(14 \(centre)) rotate(-90)\" text-anchor=\"middle\" "
        svg += "font-size=\"\(formatNumber(size, decimals: 1))\">\(HTML.escape(label))</text>"
        return svg
    }

    /// Tick labels under the plot, each kept inside the SVG, and the axis label.
    func xAxis(_ scale: LinearScale, label: String) -> String {
        var svg = ""
        for tick in scale.ticks() {
            let text = formatNumber(tick)
            let (x, _) = Self.place(text, centredAt: scale(tick), within: 2...(width - 2), fontSize: 10)
            svg +=
                "<text x=\"\(x)\" y=\"\(height - bottom + 16)\" text-anchor=\"middle\" font-size=\"10\">\(text)</text>"
        }
        let (x, size) = Self.place(
            label, centredAt: (width + left - right) / 2, within: 4...(width - 4), fontSize: 11)
        svg +=
            "<text x=\"\(x)\" y=\"\(height - 6)\" text-anchor=\"middle\" font-size=\"\(formatNumber(size, decimals: 1))\">\(HTML.escape(label))</text>"
        return svg
    }
}
