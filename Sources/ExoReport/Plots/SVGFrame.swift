/// The drawing area of a plot: its size, margins, title and value axis, shared by every ExoScope plot.
struct SVGFrame {
    let width: Double
    let height: Double
    let left: Double
    let right: Double
    let top: Double
    let bottom: Double

    /// The vertical pixel range for values, top to bottom when `inverted` (larger values drawn lower).
    func yRange(inverted: Bool) -> (start: Double, end: Double) {
        inverted ? (top, height - bottom) : (height - bottom, top)
    }

    /// The opening `<svg>` tag and the centred title.
    func open(title: String) -> String {
        """
        <svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 \(Int(width)) \(Int(height))" width="\(Int(width))" \
        height="\(Int(height))" role="img" aria-label="\(HTML.escape(title))">\
        <text x="\((width - right + left) / 2)" y="16" text-anchor="middle" font-size="13" \
        font-weight="600">\(HTML.escape(title))</text>
        """
    }

    /// Horizontal grid lines with tick labels, and the rotated axis label.
    func yAxis(_ scale: LinearScale, label: String) -> String {
        var svg = ""
        for tick in scale.ticks() {
            let y = scale(tick)
            svg += "<line x1=\"\(left)\" x2=\"\(width - right)\" y1=\"\(y)\" y2=\"\(y)\" stroke=\"#e3e8ee\"/>"
            svg +=
                "<text x=\"\(left - 6)\" y=\"\(y + 4)\" text-anchor=\"end\" font-size=\"10\">\(formatNumber(tick))</text>"
        }
        svg += "<text transform=\"translate(14 \((top + height - bottom) / 2)) rotate(-90)\" text-anchor=\"middle\" "
        svg += "font-size=\"11\">\(HTML.escape(label))</text>"
        return svg
    }

    /// Tick labels under the plot and the axis label.
    func xAxis(_ scale: LinearScale, label: String) -> String {
        var svg = ""
        for tick in scale.ticks() {
            svg +=
                "<text x=\"\(scale(tick))\" y=\"\(height - bottom + 16)\" text-anchor=\"middle\" font-size=\"10\">\(formatNumber(tick))</text>"
        }
        svg +=
            "<text x=\"\((width + left - right) / 2)\" y=\"\(height - 6)\" text-anchor=\"middle\" font-size=\"11\">\(HTML.escape(label))</text>"
        return svg
    }
}
