import ArgumentParser
import ExoPipeline
import ExoStore
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
                let path = database.resolvedPath(studyDirectory: nil)
                guard FileManager.default.fileExists(atPath: path) else {
                    throw CLIError(message: "no database at '\(path)'; pass --database", code: ExitStatus.noInput)
                }
                let store = try await SQLiteStore(path: path)
                let studies = try await store.status().studies.map(\.id)
                guard let id = studyID ?? (studies.count == 1 ? studies.first : nil) else {
                    throw CLIError(
                        message: studies.isEmpty
                            ? "the database holds no study; run 'exoscope import' first"
                            : "the database holds \(studies.count) studies (\(studies.joined(separator: ", "))); choose one with --study-id",
                        code: ExitCode.validationFailure)
                }
                let html = try await Pipeline.report(studyID: id, from: store, progress: outputOptions.progress)
                let url = URL(fileURLWithPath: output)
                try Pipeline.writeAtomically(html, to: url)
                if outputOptions.json {
                    try printJSON(["study": id, "report": url.standardizedFileURL.path])
                } else if !outputOptions.quiet {
                    print("Report of \(id): \(url.standardizedFileURL.path)")
                }
            }
        }
    }
}
