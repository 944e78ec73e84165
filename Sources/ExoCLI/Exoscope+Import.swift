import ArgumentParser
import ExoCore
import ExoFormats
import ExoPipeline
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

        func run() async throws {
            try await withUserFacingErrors(debug: outputOptions.debug) {
                let crashAfter = crashAfterRows
                let result = try await StudyOperations.importStudy(
                    .init(
                        directory: study.url, databasePath: database.resolvedPath(studyDirectory: study.url),
                        actor: currentActor()),
                    progress: outputOptions.progress,
                    afterMeasurementRow: { row in
                        if let crashAfter, row >= crashAfter { kill(getpid(), SIGKILL) }
                    })
                if outputOptions.json {
                    try printJSON(result)
                } else if !outputOptions.quiet {
                    if let files = result.unchangedFiles {
                        printLine(
                            "\(result.study): unchanged — all \(files) files were already imported with the same SHA-256 (\(result.database))"
                        )
                    } else {
                        printLine(
                            "\(result.study): \(result.outcome) \(result.samples ?? 0) samples, \(result.measurements ?? 0) values into \(result.database)"
                        )
                    }
                }
            }
        }
    }
}
