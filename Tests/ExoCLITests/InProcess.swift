import ArgumentParser
import ExoCLI
import ExoPipeline
import ExoTestSupport
import Foundation
import Testing

/// What a command wrote and the exit code it ended with, run in process.
struct InProcessResult {
    var status: Int32
    var standardOutput: String
    var standardError: String

    /// Standard output's lines.
    var lines: [String] { standardOutput.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) }

    /// The TSV on standard output as one dictionary per row, keyed by the header.
    var rows: [[String: String]] {
        let table = standardOutput.split(separator: "\n").map {
            $0.split(separator: "\t", omittingEmptySubsequences: false)
        }
        guard let header = table.first else { return [] }
        return table.dropFirst().map { row in
            Dictionary(zip(header.map(String.init), row.map(String.init)), uniquingKeysWith: { first, _ in first })
        }
    }

    /// Standard output as JSON.
    func json() throws -> Any { try JSONSerialization.jsonObject(with: Data(standardOutput.utf8)) }
}

/// Runs `exoscope arguments` in this process, as argument-parser tests itself: `parseAsRoot`, then `run()` with
/// standard output and standard error captured (and standard input read from `input`).
func exoscope(inProcess arguments: [String], input: [UInt8] = []) async -> InProcessResult {
    let capture = Console.Capture(input: input)
    let status: Int32 = await Console.$current.withValue(capture.console) {
        do {
            let parsed = try Exoscope.parseAsRoot(arguments)
            if var command = parsed as? any AsyncParsableCommand {
                try await command.run()
            } else {
                var command = parsed
                try command.run()
            }
            return 0
        } catch {
            return Exoscope.exitCode(for: error).rawValue
        }
    }
    return InProcessResult(
        status: status, standardOutput: capture.standardOutput, standardError: capture.standardError)
}

/// The reference values of a fixture written as `key<TAB>value` lines (`#` lines are comments).
func referenceValues(_ relative: String) throws -> [String: Double] {
    let text = try String(contentsOf: Fixture.url(relative), encoding: .utf8)
    var values: [String: Double] = [:]
    for line in text.split(separator: "\n") where !line.hasPrefix("#") {
        let fields = line.split(separator: "\t")
        if fields.count == 2, let value = Double(fields[1]) { values[String(fields[0])] = value }
    }
    return values
}

/// `actual` within `tolerance` of `expected`, relative to the larger of 1 and |expected|.
func expectClose(
    _ actual: Double?, _ expected: Double, _ tolerance: Double, _ comment: String = "",
    sourceLocation: SourceLocation = #_sourceLocation
) {
    guard let actual else {
        Issue.record("no value (expected \(expected)) \(comment)", sourceLocation: sourceLocation)
        return
    }
    #expect(
        abs(actual - expected) <= tolerance * max(1, abs(expected)), "\(actual) against \(expected) \(comment)",
        sourceLocation: sourceLocation)
}

/// The demo study, written and run once for every test that reads it (tests that change it work on a copy).
enum SharedDemo {
    static let folder = Task<URL, any Error> {
        let folder = try Fixture.temporaryDirectory("exoscope-inprocess-demo")
        let result = await exoscope(inProcess: ["demo", "--output", folder.path, "--quiet"])
        guard result.status == 0 else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSLocalizedDescriptionKey: result.standardError])
        }
        return folder
    }

    /// A copy of the demo's study and database in a folder of its own.
    static func copy() async throws -> URL {
        let source = try await folder.value
        let copy = try Fixture.temporaryDirectory("exoscope-inprocess-demo-copy")
        for name in ["study", "exoscope.sqlite"] {
            try FileManager.default.copyItem(
                at: source.appendingPathComponent(name), to: copy.appendingPathComponent(name))
        }
        return copy
    }
}
