import ArgumentParser
import ExoPipeline
import ExoStore
import Foundation

extension Exoscope {
    /// What the store holds.
    struct Status: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show the studies, counts and migrations of a database.")

        @OptionGroup var database: DatabaseOptions
        @OptionGroup var outputOptions: OutputOptions

        func run() async throws {
            try await withUserFacingErrors(debug: outputOptions.debug) {
                let path = database.resolvedPath(studyDirectory: nil)
                let status = try await StudyOperations.status(.init(databasePath: path))
                if outputOptions.json {
                    try printJSON(status)
                    return
                }
                guard !outputOptions.quiet else { return }
                printLine(
                    "Database \(path): \(status.studies.count) studies, \(status.auditEntries) audit entries, schema \(status.migrations.last ?? "none")"
                )
                for study in status.studies {
                    printLine(
                        "  \(study.id)  \(study.patients) patients  \(study.samples) samples  \(study.measurements) values  \(study.files) files  last import \(study.lastImport ?? "–")"
                    )
                }
            }
        }
    }
}
