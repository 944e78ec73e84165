import ExoReport
import ExoTestSupport
import Foundation
import Testing

/// Issue 15: no legend, label, tick or title of a plot is clipped or drawn over another.
///
/// The demo report and a release certificate are laid out by headless Chromium, and every SVG `<text>` is measured
/// against its plot's box and the plot's other texts (``ReportLayoutCheck``).
@Suite(
    .enabled(
        if: Chromium.executable != nil,
        "chromium is not installed (apt-get install chromium): the plots' text was not measured"))
struct ReportLayoutTests {
    @Test func everyTextOfTheDemoReportLiesInsideItsPlot() async throws {
        let check = try ReportLayoutCheck.run(try await DemoReport.written.value.html)
        // The check looked at the plots: QC, normalisation, biomarkers, measurements and monitoring draw dozens.
        #expect(check.plots >= 40 && check.texts >= 500, "measured \(check.plots) plots, \(check.texts) texts")
        #expect(
            check.outside.isEmpty,
            "\(check.outside.count) of \(check.texts) texts outside their plot:\n\(check.outside.map(\.description).joined(separator: "\n"))"
        )
        #expect(
            check.overlaps.isEmpty,
            "\(check.overlaps.count) texts over another:\n\(check.overlaps.map(\.description).joined(separator: "\n"))")
    }

    @Test func everyTextOfAReleaseCertificateLiesInsideItsPlot() throws {
        let folder = try Fixture.copy("qc")
        let certificate = folder.appendingPathComponent("certificate.html")
        let executable = try #require(Fixture.exoscopeExecutable, "the exoscope executable was not built")
        let result = try CommandResult.run(
            executable,
            [
                "qc", "release", folder.appendingPathComponent("release-spec.yaml").path,
                folder.appendingPathComponent("lots.tsv").path, "--markers",
                folder.appendingPathComponent("lot-markers.tsv").path, "--certificate", certificate.path,
            ])
        try #require(result.status == 3, "qc release exited \(result.status): \(result.standardError)")
        let check = try ReportLayoutCheck.run(try String(contentsOf: certificate, encoding: .utf8))
        #expect(check.plots >= 3, "measured \(check.plots) plots")
        #expect(check.outside.isEmpty, "\(check.outside.map(\.description).joined(separator: "\n"))")
        #expect(check.overlaps.isEmpty, "\(check.overlaps.map(\.description).joined(separator: "\n"))")
    }

    /// Hundreds of characters of hostile text in a title, a legend, a treatment event or a patient's row still stay
    /// inside their plot and off other text: a label longer than its room is set smaller, never cut.
    @Test func everyTextOfTheHostilePagesLiesInsideItsPlot() async throws {
        for page in try await HostileReportTests.written.value.pages {
            let check = try ReportLayoutCheck.run(try String(contentsOf: page.url, encoding: .utf8))
            #expect(check.plots >= 3, "\(page.name): measured \(check.plots) plots")
            #expect(check.outside.isEmpty, "\(page.name): \(check.outside.map(\.description).joined(separator: "\n"))")
            #expect(
                check.overlaps.isEmpty, "\(page.name): \(check.overlaps.map(\.description).joined(separator: "\n"))")
        }
    }

    /// Six significant miRNAs in one spot of a volcano plot: each label finds a free place beside its point.
    @Test func crowdedVolcanoLabelsNeitherLeaveThePlotNorCoverEachOther() throws {
        let points =
            (0..<6).map { index in
                VolcanoPlot.Point(
                    label: "hsa-miR-\(100 + index)-5p", logFC: 1.2 + 0.01 * Double(index),
                    p: 1e-8 * (1 + 0.05 * Double(index)), adjustedP: 1e-6)
            } + [VolcanoPlot.Point(label: "hsa-let-7a-5p", logFC: -0.1, p: 0.5, adjustedP: 0.6)]
        let plot = VolcanoPlot(title: "Crowded", points: points).svg()
        let page = ReportPage(title: "t", subtitle: "s", sections: [.init(id: "volcano", title: "V", body: plot)])
        let check = try ReportLayoutCheck.run(page.render())
        #expect(check.plots == 1 && check.texts >= 6 + 1 + 2)
        #expect(check.outside.isEmpty, "\(check.outside.map(\.description).joined(separator: "\n"))")
        #expect(check.overlaps.isEmpty, "\(check.overlaps.map(\.description).joined(separator: "\n"))")
    }

    /// The check itself finds what it is for: a label running past the right edge, a title above the top, a rotated
    /// axis title past the left edge and two labels on top of each other, and nothing in a text that fits.
    @Test func theCheckFindsTextOutsideItsPlotAndTextOverText() throws {
        let page = """
            <!DOCTYPE html><html><body><section id="probe">
            <svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 200 100" width="200" height="100" aria-label="probe">
            <text x="20" y="50" font-size="10">fits</text>
            <text x="150" y="70" font-size="10">a label far too long for this plot</text>
            <text x="100" y="4" text-anchor="middle" font-size="13">title</text>
            <text transform="translate(3 50) rotate(-90)" text-anchor="middle" font-size="11">axis</text>
            <text x="20" y="90" font-size="10">one</text><text x="24" y="92" font-size="10">two</text>
            </svg></section></body></html>
            """
        let check = try ReportLayoutCheck.run(page)
        #expect(check.plots == 1 && check.texts == 6)
        let outside = Dictionary(uniqueKeysWithValues: check.outside.map { ($0.text, $0) })
        #expect(outside.keys.sorted() == ["a label far too long for this plot", "axis", "title"])
        let long = try #require(outside["a label far too long for this plot"])
        #expect(long.overflow.hasPrefix("right "), "\(long)")
        #expect(long.element == "<text x=\"150\" y=\"70\" font-size=\"10\">")
        #expect(long.plot == "#probe plot 1 'probe'")
        #expect(outside["title"]?.overflow.hasPrefix("top ") == true)
        #expect(outside["axis"]?.overflow.hasPrefix("left ") == true)
        // 150 + the text's width (125 px in DejaVu Serif, the default face here) − 200.
        let past = Double(long.overflow.dropFirst("right ".count).prefix { $0 != " " }) ?? 0
        #expect(past > 50, "\(long.overflow)")
        #expect(check.overlaps.map { [$0.first, $0.second] } == [["one", "two"]])
    }
}
