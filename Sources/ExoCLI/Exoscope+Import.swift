import ArgumentParser
import ExoCore
import ExoFormats
import ExoPipeline
import ExoStore
import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

extension Exoscope {
    /// Validates a study and imports it into the store in one transaction.
    struct Import: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Validate a study and import it in one transaction; re-importing unchanged files changes nothing."
        )

        @OptionGroup var study: StudyArgument
        @OptionGroup var database: DatabaseOptions
        @OptionGroup var outputOptions: OutputOptions

        /// For the crash-safety test: the process kills itself (SIGKILL) after writing this many rows.
        @Option(help: .hidden)
        var crashAfterRows: Int?

        struct Result: Encodable {
            var study: String
            var database: String
            var outcome: String
            var samples: Int?
            var measurements: Int?
            var changedFiles: [String]?
        }

        func run() async throws {
            try await withUserFacingErrors(debug: outputOptions.debug) {
                let loaded = try Pipeline.validate(study.url, progress: outputOptions.progress)
                let path = database.resolvedPath(studyDirectory: study.url)
                let store = try await SQLiteStore(path: path)
                let crashAfter = crashAfterRows
                let outcome = try await Pipeline.importStudy(
                    loaded, into: store, actor: currentActor(), progress: outputOptions.progress,
                    afterMeasurementRow: { row in
                        if let crashAfter, row >= crashAfter { kill(getpid(), SIGKILL) }
                    })
                var result = Result(study: loaded.definition.id, database: path, outcome: "unchanged")
                if case .imported(let summary) = outcome {
                    result.outcome = summary.isNewStudy ? "imported" : "reimported"
                    result.samples = summary.samples
                    result.measurements = summary.measurements
                    result.changedFiles = summary.changedFiles
                }
                if outputOptions.json {
                    try printJSON(result)
                } else if !outputOptions.quiet {
                    switch outcome {
                    case .unchanged(let files):
                        print(
                            "\(result.study): unchanged — all \(files) files were already imported with the same SHA-256 (\(path))"
                        )
                    case .imported(let summary):
                        print(
                            "\(result.study): \(result.outcome) \(summary.samples) samples, \(summary.measurements) values into \(path)"
                        )
                    }
                }
            }
        }
    }
}
