import ArgumentParser
import ExoPipeline
import Foundation

extension Exoscope {
    /// Writes the example study and runs the whole pipeline on it.
    struct Demo: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write the example NSCLC serum-exosome study and run it (SQLite, report.html).")

        @Option(name: .shortAndLong, help: "Folder for the demo study, database and report.", completion: .directory)
        var output = "exoscope-demo"

        @Option(help: "Seed of the simulated cohort.")
        var seed: UInt64 = DemoStudy.Parameters().seed

        @OptionGroup var outputOptions: OutputOptions

        func run() async throws {
            try await withUserFacingErrors(debug: outputOptions.debug) {
                let result = try await StudyOperations.demo(
                    .init(
                        folder: URL(fileURLWithPath: output, isDirectory: true).standardizedFileURL, seed: seed,
                        actor: currentActor()),
                    progress: outputOptions.progress)
                let summary = result.summary
                if outputOptions.json {
                    try printJSON(summary)
                } else if !outputOptions.quiet {
                    printLine(
                        """
                        Demo study  \(result.studyFolder.path)
                        Database    \(summary.databasePath)
                        Report      \(summary.reportPath)
                        \(summary.patients) patients, \(summary.samples) samples, \(summary.measurements) values (\(summary.importOutcome)); seed \(seed).
                        Open the report in a browser: xdg-open \(summary.reportPath)
                        """)
                }
            }
        }
    }
}
