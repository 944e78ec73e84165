import ArgumentParser
import ExoPipeline
import ExoStore
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
                let folder = URL(fileURLWithPath: output, isDirectory: true).standardizedFileURL
                let studyFolder = folder.appendingPathComponent("study", isDirectory: true)
                var parameters = DemoStudy.Parameters()
                parameters.seed = seed
                do {
                    try DemoStudy(parameters: parameters).write(to: studyFolder)
                } catch {
                    throw CLIError(
                        message: "cannot write the demo study to '\(studyFolder.path)'", code: ExitStatus.cannotCreate)
                }
                let databasePath = folder.appendingPathComponent("exoscope.sqlite").path
                let store = try await SQLiteStore(path: databasePath)
                let summary = try await Pipeline.run(
                    studyDirectory: studyFolder, store: store, databasePath: databasePath,
                    reportURL: folder.appendingPathComponent("report.html"), actor: currentActor(),
                    progress: outputOptions.progress)
                if outputOptions.json {
                    try printJSON(summary)
                } else if !outputOptions.quiet {
                    print(
                        """
                        Demo study  \(studyFolder.path)
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
