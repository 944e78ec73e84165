import ExoPipeline
import ExoStore
import ExoTestSupport
import Foundation

/// The demo study run once through the pipeline, shared by the report tests (layout, sorting, printing, golden
/// sections) so that the suite generates and analyses it once.
struct DemoReport: Sendable {
    let folder: URL
    let report: URL
    let database: String
    let studyID: String
    let html: String

    /// The run, started by the first test that awaits it.
    static let written = Task { try await DemoReport.write() }

    private static func write() async throws -> DemoReport {
        let folder = try Fixture.temporaryDirectory("exoscope-demo-report")
        let study = folder.appendingPathComponent("study")
        try DemoStudy().write(to: study)
        let database = folder.appendingPathComponent("exoscope.sqlite").path
        let report = folder.appendingPathComponent("report.html")
        let summary = try await Pipeline.run(
            studyDirectory: study, store: try await SQLiteStore(path: database), databasePath: database,
            reportURL: report, actor: "test")
        return DemoReport(
            folder: folder, report: report, database: database, studyID: summary.studyID,
            html: try String(contentsOf: report, encoding: .utf8))
    }
}
