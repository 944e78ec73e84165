import ExoReport
import Foundation
import Testing

struct ReportPageTests {
    @Test func userTextIsEscaped() {
        #expect(HTML.escape("<b>miR & \"x\" 'y'</b>") == "&lt;b&gt;miR &amp; &quot;x&quot; &#39;y&#39;&lt;/b&gt;")
        let page = ReportPage(
            title: "<script>", subtitle: "s", sections: [.init(id: "a", title: "A & B", body: "<p>ok</p>")]
        ).render()
        #expect(!page.contains("<script>"))
        #expect(page.contains("A &amp; B"))
    }

    @Test func groupPlotDrawsOneBoxPerGroupWithCounts() {
        let svg = GroupComparisonPlot(
            title: "miR", yLabel: "Cq",
            groups: [.init(label: "control", values: [27, 27.5, 28]), .init(label: "case", values: [29, 30])],
            invertedY: true
        ).svg()
        #expect(svg.components(separatedBy: "<rect").count - 1 == 2)
        #expect(svg.components(separatedBy: "<circle").count - 1 == 5)
        #expect(svg.contains("n = 3") && svg.contains("n = 2"))
    }
}

struct PlotOrientationTests {
    /// Both orientations draw: larger values higher by default, lower for an inverted (Cq) axis.
    @Test(arguments: [false, true])
    func valuesAreDrawnInEitherOrientation(inverted: Bool) throws {
        let svg = GroupComparisonPlot(
            title: "t", yLabel: "y", groups: [.init(label: "a", values: [1, 9])], invertedY: inverted,
            referenceLine: (5, "five")
        ).svg()
        let ys = svg.matches(of: /<circle cx="[^"]+" cy="([0-9.]+)"/).compactMap { Double($0.output.1) }
        try #require(ys.count == 2)
        #expect(inverted ? ys[0] < ys[1] : ys[0] > ys[1])
        #expect(svg.contains(">five</text>"))
    }
}

struct ThresholdBarPlotTests {
    /// One bar per candidate, coloured by the threshold, taller for a larger value, with the threshold line.
    @Test func barsAreScaledFromZeroAndColouredByThreshold() throws {
        let svg = ThresholdBarPlot(
            title: "Reference stability", yLabel: "geNorm M",
            bars: [("hsa-miR-16-5p", 0.3), ("hsa-miR-23a-3p", 0.9)], threshold: 0.5, thresholdLabel: "M = 0.5"
        ).svg()
        let heights = svg.matches(of: /<rect [^>]*height="([0-9.]+)" fill="(#[0-9a-f]+)"/).map {
            (Double($0.output.1) ?? -1, String($0.output.2))
        }
        try #require(heights.count == 2)
        #expect(abs(heights[1].0 / heights[0].0 - 3) < 1e-9)
        #expect(heights[0].1 == "#2b6cb0" && heights[1].1 == "#d0602b")
        #expect(svg.contains(">M = 0.5</text>") && svg.contains("stroke-dasharray"))
    }
}
