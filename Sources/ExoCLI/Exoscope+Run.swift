import ArgumentParser
import ExoPipeline
import Foundation

extension Exoscope {
    /// The whole pipeline: validate, import, report.
    struct Run: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Validate, import and report a study (the whole pipeline that exists so far).")

        @OptionGroup var study: StudyArgument
        @OptionGroup var database: DatabaseOptions

        @Option(help: "Where to write the HTML report (default: report.html in the study folder).", completion: .file())
        var report: String?

        @OptionGroup var outputOptions: OutputOptions

        func run() async throws {
            try await withUserFacingErrors(debug: outputOptions.debug) {
                let summary = try await StudyOperations.run(
                    .init(
                        directory: study.url, databasePath: database.resolvedPath(studyDirectory: study.url),
                        reportURL: report.map { URL(fileURLWithPath: $0) }
                            ?? study.url.appendingPathComponent("report.html"),
                        actor: currentActor()),
                    progress: outputOptions.progress)
                if outputOptions.json {
                    try printJSON(summary)
                } else if !outputOptions.quiet {
                    printLine(
                        "\(summary.studyID): \(summary.importOutcome); report \(summary.reportPath); database \(summary.databasePath)"
                    )
                }
            }
        }
    }
}
