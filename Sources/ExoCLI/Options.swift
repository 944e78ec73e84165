import ArgumentParser
import Foundation

/// Output options every subcommand shares.
struct OutputOptions: ParsableArguments {
    @Flag(name: .shortAndLong, help: "Print nothing but errors.")
    var quiet = false

    @Flag(help: "Print the result as JSON on standard output (for scripts).")
    var json = false

    @Flag(help: "Show the full error chain for internal errors.")
    var debug = false

    /// The progress sink for this invocation.
    var progress: TerminalProgress { TerminalProgress(enabled: !quiet && !json) }
}

/// Where the database is.
struct DatabaseOptions: ParsableArguments {
    @Option(
        name: .customLong("database"),
        help: ArgumentHelp(
            "SQLite database file.",
            discussion: "Default: $EXOSCOPE_DATABASE, else exoscope.sqlite in the study folder."),
        completion: .file(extensions: ["sqlite"]))
    var path: String?

    /// The database path for a study folder.
    func resolvedPath(studyDirectory: URL?) -> String {
        if let path { return path }
        if let path = ProcessInfo.processInfo.environment["EXOSCOPE_DATABASE"], !path.isEmpty { return path }
        return (studyDirectory ?? URL(fileURLWithPath: FileManager.default.currentDirectoryPath))
            .appendingPathComponent("exoscope.sqlite").path
    }
}

/// The study folder argument.
struct StudyArgument: ParsableArguments {
    @Argument(help: "The study folder (with study.yaml).", completion: .directory)
    var study: String = "."

    var url: URL { URL(fileURLWithPath: study, isDirectory: true).standardizedFileURL }
}

/// The operating-system user running the command, for the audit log.
func currentActor() -> String {
    let environment = ProcessInfo.processInfo.environment
    return environment["EXOSCOPE_ACTOR"] ?? environment["USER"] ?? environment["LOGNAME"] ?? "unknown"
}
