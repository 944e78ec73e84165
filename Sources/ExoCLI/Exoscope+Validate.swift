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

        func run() async throws {
            try await withUserFacingErrors(debug: outputOptions.debug) {
                let result: StudyOperations.ValidateResult
                do {
                    result = try StudyOperations.validate(.init(directory: study.url), progress: outputOptions.progress)
                } catch let list as InputErrorList where outputOptions.json {
                    // Scripts read the problems from standard output, as JSON, with the exit code of the text form.
                    try printJSON(list.errors.map(StudyOperations.Problem.init))
                    throw list.errors.allSatisfy { $0.kind == .fileNotFound }
                        ? ExitStatus.noInput : ExitStatus.dataError
                }
                if outputOptions.json {
                    try printJSON(result)
                } else if !outputOptions.quiet {
                    for line in result.nameResolutions { printLine("note: \(line)") }
                    printLine("\(result.study): valid (\(result.inputSummary))")
                }
            }
        }
    }
}
