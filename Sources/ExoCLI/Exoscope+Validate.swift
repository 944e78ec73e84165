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

        /// One problem of an invalid study, as `--json` prints it.
        struct Problem: Encodable, Equatable {
            var file: String
            /// 1-based; 0 for the file as a whole.
            var line: Int
            var column: Int?
            var kind: String
            var message: String
            var hint: String?

            init(_ error: InputError) {
                file = error.location.path
                line = error.location.line
                column = error.location.column
                kind = error.kind.rawValue
                message = error.message
                hint = error.hint
            }

            /// Encodes `column` and `hint` as `null` when absent, so every object has the same keys.
            func encode(to encoder: any Encoder) throws {
                var container = encoder.container(keyedBy: CodingKeys.self)
                try container.encode(file, forKey: .file)
                try container.encode(line, forKey: .line)
                try container.encode(column, forKey: .column)
                try container.encode(kind, forKey: .kind)
                try container.encode(message, forKey: .message)
                try container.encode(hint, forKey: .hint)
            }

            enum CodingKeys: String, CodingKey {
                case file, line, column, kind, message, hint
            }
        }

        func run() async throws {
            try await withUserFacingErrors(debug: outputOptions.debug) {
                let loaded: LoadedStudy
                do {
                    loaded = try Pipeline.validate(study.url, progress: outputOptions.progress)
                } catch let list as InputErrorList where outputOptions.json {
                    // Scripts read the problems from standard output, as JSON, with the exit code of the text form.
                    try printJSON(list.errors.map(Problem.init))
                    throw list.errors.allSatisfy { $0.kind == .fileNotFound }
                        ? ExitStatus.noInput : ExitStatus.dataError
                }
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
