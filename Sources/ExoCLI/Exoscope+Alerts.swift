import ArgumentParser
import ExoPipeline
import ExoStore
import Foundation

extension Exoscope {
    /// Alerts on monitored patients.
    struct Alerts: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Alerts on monitored patients: progression calls and QC failures (docs/monitoring.md).",
            subcommands: [List.self, Acknowledge.self], defaultSubcommand: List.self)
    }
}

extension Exoscope.Alerts {
    /// `exoscope alerts [--all] --study DIR`.
    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List a study's open alerts (all with --all).")

        @Option(name: .customLong("study"), help: "The study folder.")
        var study: String = "."

        @OptionGroup var database: DatabaseOptions

        @Flag(help: "Include acknowledged alerts.")
        var all = false

        @OptionGroup var outputOptions: OutputOptions

        func run() async throws {
            try await withUserFacingErrors(debug: outputOptions.debug) {
                let url = URL(fileURLWithPath: study, isDirectory: true).standardizedFileURL
                let result = try await StudyOperations.alerts(
                    .init(study: url, databasePath: database.resolvedPath(studyDirectory: url), all: all))
                if outputOptions.json { return try printJSON(result.alerts) }
                guard !outputOptions.quiet else { return }
                try printTable(result.table, json: false)
            }
        }
    }

    /// `exoscope alerts acknowledge ID --note TEXT --study DIR`.
    struct Acknowledge: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Acknowledge an alert with a note; the act is audited with the user's name.")

        @Argument(help: "The alert id (from 'exoscope alerts').")
        var id: Int64

        @Option(help: "What was decided or done (required).")
        var note: String

        @Option(name: .customLong("study"), help: "The study folder.")
        var study: String = "."

        @OptionGroup var database: DatabaseOptions

        @OptionGroup var outputOptions: OutputOptions

        func validate() throws {
            guard !note.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
                throw ValidationError("--note must say what was decided")
            }
        }

        func run() async throws {
            try await withUserFacingErrors(debug: outputOptions.debug) {
                let url = URL(fileURLWithPath: study, isDirectory: true).standardizedFileURL
                let alert = try await StudyOperations.acknowledge(
                    .init(
                        id: id, note: note, study: url, databasePath: database.resolvedPath(studyDirectory: url),
                        actor: currentActor()))
                if outputOptions.json { return try printJSON(alert) }
                if !outputOptions.quiet { printLine("alert \(id) acknowledged by \(alert.acknowledgedBy ?? "?")") }
            }
        }
    }
}
