import ExoCore
import ExoPipeline
import ExoStore
import ExoTestSupport
import Foundation
import Testing

/// The demo report printed to PDF by headless Chromium shows every sample: no table is cut to its on-screen
/// scroll box (issue 15: a printed report showed 8 of 140 samples).
struct PrintedReportTests {
    /// `pdftotext` (Debian poppler-utils) on the `PATH`.
    static let pdftotext: URL? = ["/usr/bin/pdftotext", "/usr/local/bin/pdftotext"].map(URL.init(fileURLWithPath:))
        .first { FileManager.default.isExecutableFile(atPath: $0.path) }

    @Test(
        .enabled(
            if: Chromium.executable != nil && Self.pdftotext != nil,
            "chromium or pdftotext is not installed (apt-get install chromium poppler-utils): the report was not printed"
        ))
    func aPrintedDemoReportContainsEverySampleRow() async throws {
        let demo = try await DemoReport.written.value
        let samples = try await SQLiteStore(path: demo.database).samples(study: demo.studyID)
        #expect(samples.count == 140)

        let executable = try #require(Chromium.executable)
        let pdf = demo.folder.appendingPathComponent("report.pdf")
        let profile = try Fixture.temporaryDirectory("exoscope-chromium")
        defer { try? FileManager.default.removeItem(at: profile) }
        let printed = try CommandResult.run(
            URL(fileURLWithPath: "/usr/bin/timeout"),
            [
                "120", executable.path, "--headless", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer",
                "--user-data-dir=\(profile.path)", "--print-to-pdf=\(pdf.path)", demo.report.absoluteString,
            ])
        try #require(printed.status == 0, "chromium exited \(printed.status): \(printed.standardError.suffix(2000))")
        let text = try CommandResult.run(try #require(Self.pdftotext), ["-layout", pdf.path, "-"]).standardOutput
        let missing = samples.map(\.id.rawValue).filter { !text.contains($0) }
        #expect(
            missing.isEmpty,
            "the printed report lacks \(missing.count) of \(samples.count) samples: \(missing.prefix(10))")
    }
}
