import ArgumentParser
package import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

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

/// The operating-system user running the command, for the audit log: `$EXOSCOPE_ACTOR`, else `$USER`, else
/// `$LOGNAME`, else the account name of the process's user id (cron jobs and containers often set neither
/// variable), and `unknown` only when the user id has no account either.
package func currentActor(environment: [String: String] = ProcessInfo.processInfo.environment, uid: uid_t = getuid())
    -> String
{
    for name in ["EXOSCOPE_ACTOR", "USER", "LOGNAME"] {
        if let value = environment[name], !value.isEmpty { return value }
    }
    return accountName(uid: uid) ?? "unknown"
}

/// The account name of a user id from the password database (`getpwuid_r`), or `nil` when it has none.
package func accountName(uid: uid_t) -> String? {
    var buffer = [CChar](repeating: 0, count: 16_384)
    let name = buffer.withUnsafeMutableBufferPointer { storage -> String? in
        var entry = passwd()
        var result: UnsafeMutablePointer<passwd>?
        guard let base = storage.baseAddress, getpwuid_r(uid, &entry, base, storage.count, &result) == 0,
            result != nil, let name = entry.pw_name
        else { return nil }
        return String(cString: name)
    }
    return name?.isEmpty == false ? name : nil
}
