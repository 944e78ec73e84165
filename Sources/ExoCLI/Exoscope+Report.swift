import ArgumentParser
import ExoPipeline
import Foundation

extension Exoscope {
    /// Writes the HTML report of a stored study.
    struct Report: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write the self-contained HTML report of a stored study.")

        @OptionGroup var database: DatabaseOptions

        @Option(help: "The study id (default: the only study in the database).")
        var studyID: String?

        @Option(name: .shortAndLong, help: "The report file.", completion: .file(extensions: ["html"]))
        var output = "report.html"

        @OptionGroup var outputOptions: OutputOptions

        func run() async throws {
            try await withUserFacingErrors(debug: outputOptions.debug) {
                let result = try await StudyOperations.report(
                    .init(
                        databasePath: database.resolvedPath(studyDirectory: nil), studyID: studyID,
                        output: URL(fileURLWithPath: output)),
                    progress: outputOptions.progress)
                if outputOptions.json {
                    try printJSON(result)
                } else if !outputOptions.quiet {
                    printLine("Report of \(result.study): \(result.report)")
                }
            }
        }
    }
}
