import ArgumentParser
import ExoPipeline
import ExoServer
import Foundation
import Hummingbird
import Logging

extension Exoscope {
    /// The server: JSON API, dashboard, health and metrics.
    struct Serve: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Serve the JSON API and the dashboard over a study's database.",
            discussion: """
                Settings come from the flags, then the environment (EXOSCOPE_HOST, EXOSCOPE_PORT, EXOSCOPE_DATABASE, \
                EXOSCOPE_STUDY, EXOSCOPE_MAX_BODY_BYTES, EXOSCOPE_LOG_LEVEL), then --config FILE (one 'key: value' \
                per line: host, port, database, study, maxBodyBytes, logLevel). SIGINT or SIGTERM finishes the \
                requests in flight and stops. See docs/server.md.
                """)

        @Option(help: "The study folder; the database defaults to exoscope.sqlite in it.")
        var study: String?
        @Option(help: "SQLite database file.")
        var database: String?
        @Option(help: "The address to listen on (default 127.0.0.1).")
        var host: String?
        @Option(help: "The port (default 8080; 0 picks a free one).")
        var port: Int?
        @Option(help: "A configuration file of 'key: value' lines.")
        var config: String?
        @Option(help: "trace, debug, info, notice, warning, error or critical.")
        var logLevel: String?
        @Flag(help: "Show the full error chain for internal errors.")
        var debug = false

        func run() async throws {
            try await withUserFacingErrors(debug: debug) {
                let configuration = try resolvedConfiguration()
                var logger = Logger(label: "exoscope.server")
                logger.logLevel = Logger.Level(rawValue: configuration.logLevel) ?? .info
                let application = try await ExoServer.application(configuration: configuration, logger: logger)
                try await application.runService()
            }
        }

        /// Defaults, then the file, the environment and the flags, each over the one before.
        func resolvedConfiguration() throws -> ServerConfiguration {
            let current = URL(fileURLWithPath: FileManager.default.currentDirectoryPath, isDirectory: true)
            var configuration = ServerConfiguration(
                databasePath: current.appendingPathComponent("exoscope.sqlite").path)
            var databaseGiven = false
            do {
                if let config {
                    let url = URL(fileURLWithPath: config)
                    guard let text = try? String(contentsOf: url, encoding: .utf8) else {
                        throw OperationError.notFound("cannot read the configuration file '\(config)'")
                    }
                    let values = try ServerConfiguration.fileValues(text, path: config)
                    databaseGiven = values["database"] != nil
                    try configuration.apply(values, source: config, relativeTo: url.deletingLastPathComponent())
                }
                let environment = ServerConfiguration.environmentValues(ProcessInfo.processInfo.environment)
                databaseGiven = databaseGiven || environment["database"] != nil || database != nil
                try configuration.apply(environment, source: "environment")
                var flags: [String: String] = [:]
                flags["study"] = study
                flags["database"] = database
                flags["host"] = host
                flags["port"] = port.map(String.init)
                flags["logLevel"] = logLevel
                try configuration.apply(flags, source: "flags", relativeTo: current)
            } catch let problem as ServerConfiguration.Problem {
                throw ValidationError(problem.description)
            }
            // A study folder without --database: its exoscope.sqlite (as the other commands do).
            if let folder = configuration.studyDirectory, !databaseGiven {
                configuration.databasePath = folder.appendingPathComponent("exoscope.sqlite").path
            }
            guard FileManager.default.fileExists(atPath: configuration.databasePath) else {
                throw OperationError.notFound(
                    "no database at '\(configuration.databasePath)'; pass --database or run 'exoscope import' first")
            }
            return configuration
        }
    }
}
