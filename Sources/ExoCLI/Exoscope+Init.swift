import ArgumentParser
import ExoPipeline
import Foundation

extension Exoscope {
    /// Scaffolds an empty study folder with commented templates.
    struct Init: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create a study folder with a study.yaml, a sample sheet and a measurement file to fill in.")

        @Argument(help: "The folder to create.", completion: .directory)
        var folder: String

        @Option(help: "Study id (letters, digits, '.', '_', '-').")
        var id: String?

        @OptionGroup var outputOptions: OutputOptions

        func run() async throws {
            try await withUserFacingErrors(debug: outputOptions.debug) {
                let result = try StudyOperations.initStudy(.init(folder: folder, id: id))
                if outputOptions.json {
                    try printJSON(["folder": result.folder.path, "files": result.files.joined(separator: ",")])
                } else if !outputOptions.quiet {
                    printLine("Created \(result.folder.path) with \(result.files.joined(separator: ", ")).")
                    printLine("Fill in the sample sheet, then: exoscope validate \(folder)")
                }
            }
        }
    }
}
