import ArgumentParser
import ExoCore
import ExoFormats
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

/// The study id from study.yaml alone (without reading the data files).
func studyID(of directory: URL) throws -> String {
    let file = try TextFile(
        url: directory.appendingPathComponent(StudyFile.fileName), displayPath: StudyFile.fileName)
    let (definition, errors) = StudyFile.parse(file)
    guard let definition else { throw InputErrorList(errors) }
    return definition.id
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
                let id = try studyID(of: url)
                let store = try await SQLiteStore(path: database.resolvedPath(studyDirectory: url))
                let alerts = try await store.alerts(study: id).filter { all || !$0.isAcknowledged }
                if outputOptions.json { return try printJSON(alerts) }
                guard !outputOptions.quiet else { return }
                print("id\tkind\tpatient\tsample\traised\tstatus\tevidence")
                for alert in alerts {
                    let status =
                        alert.acknowledgedAt.map { "acknowledged \($0) by \(alert.acknowledgedBy ?? "?")" } ?? "open"
                    print(
                        "\(alert.id ?? 0)\t\(alert.kind.rawValue)\t\(alert.patient)\t\(alert.sample)\t\(alert.raisedAt)\t\(status)\t\(alert.evidence)"
                    )
                }
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
                let path = database.resolvedPath(studyDirectory: url)
                guard FileManager.default.fileExists(atPath: path) else {
                    throw CLIError(message: "no database at \(path)", code: ExitStatus.noInput)
                }
                let store = try await SQLiteStore(path: path)
                let alert = try await store.acknowledgeAlert(
                    id: id, study: try studyID(of: url), actor: currentActor(), note: note)
                if outputOptions.json { return try printJSON(alert) }
                if !outputOptions.quiet { print("alert \(id) acknowledged by \(alert.acknowledgedBy ?? "?")") }
            }
        }
    }
}
