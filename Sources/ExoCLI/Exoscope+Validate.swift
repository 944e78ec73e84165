import ArgumentParser
import ExoCore
import ExoFormats
import ExoPipeline
import Foundation

extension Exoscope {
    /// Checks a study folder and reports every problem at once.
    struct Validate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check a study folder; print every problem with file, line and column.")

        @OptionGroup var study: StudyArgument
        @OptionGroup var outputOptions: OutputOptions

        struct Result: Encodable {
            var study: String
            var files: Int
            var samples: Int
            var measurements: Int
            var nameResolutions: [String]
        }

        func run() async throws {
            try await withUserFacingErrors(debug: outputOptions.debug) {
                let loaded = try Pipeline.validate(study.url, progress: outputOptions.progress)
                let result = Result(
                    study: loaded.definition.id, files: loaded.files.count, samples: loaded.samples.count,
                    measurements: loaded.measurements.count, nameResolutions: loaded.nameResolutions.map(\.explanation))
                if outputOptions.json {
                    try printJSON(result)
                } else if !outputOptions.quiet {
                    for line in result.nameResolutions { print("note: \(line)") }
                    print(
                        "\(result.study): valid (\(Pipeline.inputSummary(loaded)))"
                    )
                }
            }
        }
    }
}
