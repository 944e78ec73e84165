import ExoTestSupport
import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The hostile-input corpus (`Tests/Fixtures/hostile/corpus/`): every attack of issue 14 run through the built
/// `exoscope` as a user runs it, each within a time limit, with its exit code, its message, and no raw control
/// character in what it prints.
struct HostileCorpusTests {
    /// The corpus folder.
    static let folder = Fixture.url("hostile/corpus")

    /// The cases of `corpus.json`; none when it does not read, which ``theManifestReads()`` reports.
    static let cases: [CorpusCase] =
        (try? CorpusManifest.load(folder.appendingPathComponent("corpus.json")).cases) ?? []

    @Test func theManifestReads() throws {
        let manifest = try CorpusManifest.load(Self.folder.appendingPathComponent("corpus.json"))
        let names = manifest.cases.map(\.name)
        #expect(Set(names).count == names.count, "case names are unique")
        #expect(manifest.cases.allSatisfy { !$0.runs.isEmpty && !$0.finding.isEmpty })
        // Every folder under cases/ belongs to a case of that name.
        let folders = try FileManager.default.contentsOfDirectory(
            atPath: Self.folder.appendingPathComponent("cases").path)
        #expect(Set(folders).subtracting(names).isEmpty, "folders without a case: \(folders.sorted())")
    }

    @Test(arguments: cases.filter { $0.notAsRoot != true })
    func hostileInputIsRefusedCleanly(_ corpusCase: CorpusCase) throws {
        try Self.run(corpusCase)
    }

    /// Cases that need file permissions to hold; root reads and writes files whatever their permissions.
    @Test(
        .enabled(if: getuid() != 0, "root reads and writes files whatever their permissions"),
        arguments: cases.filter { $0.notAsRoot == true })
    func hostileInputNeedingPermissionsIsRefusedCleanly(_ corpusCase: CorpusCase) throws {
        try Self.run(corpusCase)
    }

    static func run(_ corpusCase: CorpusCase) throws {
        let executable = try #require(
            Fixture.exoscopeExecutable, "the exoscope executable was not built next to the tests")
        let directory = try corpusCase.prepare(executable: executable)
        if let issue = corpusCase.knownIssue {
            withKnownIssue(Comment(rawValue: issue)) {
                try corpusCase.check(executable: executable, in: directory)
            }
        } else {
            try corpusCase.check(executable: executable, in: directory)
        }
    }
}

/// `corpus.json`: the list of cases.
struct CorpusManifest: Decodable {
    var cases: [CorpusCase]

    static func load(_ url: URL) throws -> CorpusManifest {
        try JSONDecoder().decode(CorpusManifest.self, from: Data(contentsOf: url))
    }
}

/// One hostile input: how its folder is made and what each command run on it must give.
///
/// `{case}` in any text stands for the case's scratch folder, `{fixtures}` for `Tests/Fixtures`.
struct CorpusCase: Decodable, Sendable, CustomTestStringConvertible {
    var name: String
    /// The issue-14 finding the case covers.
    var finding: String
    /// A fixture folder under `Tests/Fixtures` copied into the case folder first.
    var base: String?
    /// Made after the base and `cases/<name>/` are copied in.
    var setup: [CorpusStep]?
    var runs: [CorpusRun]
    /// The case needs file permissions to hold (skipped as root).
    var notAsRoot: Bool?
    /// A bug the case shows that is not fixed yet: the checks run inside `withKnownIssue`.
    var knownIssue: String?

    var testDescription: String { name }

    /// Replaces the placeholders in `text`.
    static func expand(_ text: String, case directory: URL) -> String {
        text.replacingOccurrences(of: "{case}", with: directory.path)
            .replacingOccurrences(of: "{fixtures}", with: Fixture.url("").path)
    }

    /// A path of the case folder, or an absolute one once expanded.
    static func path(_ text: String, in directory: URL) -> URL {
        let expanded = expand(text, case: directory)
        return expanded.hasPrefix("/")
            ? URL(fileURLWithPath: expanded) : directory.appendingPathComponent(expanded)
    }

    /// The case folder, in a scratch folder of its own (so `..` from it is the case's too), built.
    func prepare(executable: URL) throws -> URL {
        let directory = try Fixture.temporaryDirectory("exoscope-corpus").appendingPathComponent(name)
        let files = FileManager.default
        if let base {
            try files.copyItem(at: Fixture.url(base), to: directory)
        } else {
            try files.createDirectory(at: directory, withIntermediateDirectories: true)
        }
        let own = HostileCorpusTests.folder.appendingPathComponent("cases").appendingPathComponent(name)
        if let enumerator = files.enumerator(at: own, includingPropertiesForKeys: [.isDirectoryKey]) {
            for case let source as URL in enumerator {
                let relative = String(source.standardizedFileURL.path.dropFirst(own.standardizedFileURL.path.count + 1))
                let destination = directory.appendingPathComponent(relative)
                if (try source.resourceValues(forKeys: [.isDirectoryKey])).isDirectory == true {
                    try files.createDirectory(at: destination, withIntermediateDirectories: true)
                } else {
                    try? files.removeItem(at: destination)
                    try files.copyItem(at: source, to: destination)
                }
            }
        }
        for step in setup ?? [] { try step.make(in: directory, executable: executable) }
        return directory
    }

    /// Runs each command in order and checks what it gave.
    func check(executable: URL, in directory: URL) throws {
        for (index, run) in runs.enumerated() {
            let label = "\(name), run \(index + 1)"
            let arguments = run.arguments.map { Self.expand($0, case: directory) }
            let result = try BoundedCommand.run(executable, arguments, seconds: run.seconds ?? 20)
            let stdout = String(decoding: result.standardOutput, as: UTF8.self)
            let stderr = String(decoding: result.standardError, as: UTF8.self)
            let shown =
                "\(label): exit \(result.status)\nstdout: \(stdout.prefix(2_000))\nstderr: \(stderr.prefix(2_000))"
            #expect(!result.timedOut, "\(label): still running after \(run.seconds ?? 20) s (a hang)")
            #expect(!result.wasSignalled, "\(label): ended by signal \(result.status)\n\(shown)")
            #expect(result.status == run.exit, "\(shown)")
            for text in run.stderr ?? [] {
                #expect(
                    stderr.contains(Self.expand(text, case: directory)),
                    "stderr lacks \(text.debugDescription)\n\(shown)")
            }
            for text in run.stdout ?? [] {
                #expect(
                    stdout.contains(Self.expand(text, case: directory)),
                    "stdout lacks \(text.debugDescription)\n\(shown)")
            }
            for text in run.outputLacks ?? [] {
                #expect(!(stdout + stderr).contains(text), "the output holds \(text.debugDescription)\n\(shown)")
            }
            if let maxLines = run.maxLines {
                let lines = (stdout + stderr).split(separator: "\n", omittingEmptySubsequences: false).count - 1
                #expect(lines <= maxLines, "\(label): \(lines) lines, more than \(maxLines)")
            }
            for (stream, bytes) in [("stdout", result.standardOutput), ("stderr", result.standardError)] {
                let raw = bytes.firstIndex { ($0 < 0x20 && $0 != 0x0A && $0 != 0x09) || $0 == 0x7F }
                #expect(
                    raw == nil,
                    "\(label): \(stream) holds the raw control byte \(raw.map { String(format: "0x%02X", bytes[$0]) } ?? "")\n\(shown)"
                )
            }
            for file in run.files ?? [] {
                let text = try String(contentsOf: Self.path(file.path, in: directory), encoding: .utf8)
                for needle in file.contains ?? [] {
                    #expect(text.contains(needle), "\(label): \(file.path) lacks \(needle.debugDescription)")
                }
                for needle in file.lacks ?? [] {
                    #expect(!text.contains(needle), "\(label): \(file.path) holds \(needle.debugDescription)")
                }
            }
        }
    }
}

/// One command of a case and what it must give.
struct CorpusRun: Decodable, Sendable {
    var arguments: [String]
    var exit: Int32
    /// Texts stderr (stdout) must hold.
    var stderr: [String]?
    var stdout: [String]?
    /// Texts neither output may hold.
    var outputLacks: [String]?
    /// The most lines stdout and stderr may print together.
    var maxLines: Int?
    /// The time limit; a command still running then is killed and the case fails.
    var seconds: Double?
    /// Files the command writes, with texts they must and must not hold.
    var files: [CorpusFile]?
}

struct CorpusFile: Decodable, Sendable {
    var path: String
    var contains: [String]?
    var lacks: [String]?
}

/// One step that makes what cannot be committed: generated, large, special or outside the case folder.
struct CorpusStep: Decodable, Sendable {
    /// Writes `text`, then `then` repeated `times` times (a `{i}` in it counts from 1).
    var write: String?
    var text: String?
    var then: String?
    var times: Int?
    /// Copies `copy` to `to`.
    var copy: String?
    var to: String?
    /// A symbolic link at `link` whose target is `to`, as written.
    var link: String?
    var folder: String?
    var fifo: String?
    /// Sets `chmod`'s permissions to the octal `mode`.
    var chmod: String?
    var mode: String?
    /// Runs `exoscope` with these arguments, which must succeed.
    var exoscope: [String]?

    func make(in directory: URL, executable: URL) throws {
        let files = FileManager.default
        func at(_ text: String) throws -> URL {
            let url = CorpusCase.path(text, in: directory)
            try files.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            return url
        }
        if let write {
            var data = Data((text ?? "").utf8)
            if let then, let times {
                for i in 1...max(times, 1) {
                    data.append(contentsOf: then.replacingOccurrences(of: "{i}", with: String(i)).utf8)
                }
            }
            try data.write(to: try at(write))
        }
        if let copy, let to {
            let destination = try at(to)
            try? files.removeItem(at: destination)
            try files.copyItem(at: CorpusCase.path(copy, in: directory), to: destination)
        }
        if let link, let to {
            try files.createSymbolicLink(
                atPath: try at(link).path, withDestinationPath: CorpusCase.expand(to, case: directory))
        }
        if let folder { try files.createDirectory(at: try at(folder), withIntermediateDirectories: true) }
        if let fifo { #expect(mkfifo(try at(fifo).path, 0o644) == 0, "mkfifo \(fifo)") }
        if let chmod, let mode, let bits = mode_t(mode, radix: 8) {
            #expect(setPermissions(CorpusCase.path(chmod, in: directory).path, bits) == 0, "chmod \(chmod)")
        }
        if let exoscope {
            let result = try BoundedCommand.run(
                executable, exoscope.map { CorpusCase.expand($0, case: directory) }, seconds: 60)
            #expect(
                result.status == 0 && !result.timedOut,
                "setup: exoscope \(exoscope.joined(separator: " ")): \(String(decoding: result.standardError, as: UTF8.self))"
            )
        }
    }
}

/// `chmod(2)`, under a name a property called `chmod` does not hide.
private func setPermissions(_ path: String, _ mode: mode_t) -> Int32 { chmod(path, mode) }

/// A child process run with a time limit; what it prints is kept up to a cap (the rest is read and dropped), so a
/// command that floods its output cannot exhaust the test's memory.
struct BoundedCommand {
    var status: Int32
    var wasSignalled: Bool
    var timedOut: Bool
    var standardOutput: Data
    var standardError: Data

    /// Bytes kept of each output.
    static let keptBytes = 4 << 20

    /// What a pipe gave, filled on a thread of its own.
    final class Collected: @unchecked Sendable {
        private let lock = NSLock()
        private var data = Data()

        func read(_ handle: FileHandle) {
            while true {
                let chunk = handle.availableData
                if chunk.isEmpty { return }
                lock.withLock {
                    if data.count < BoundedCommand.keptBytes {
                        data.append(chunk.prefix(BoundedCommand.keptBytes - data.count))
                    }
                }
            }
        }

        var value: Data { lock.withLock { data } }
    }

    static func run(_ executable: URL, _ arguments: [String], seconds: Double) throws -> BoundedCommand {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.standardInput = FileHandle.nullDevice
        let output = Pipe()
        let error = Pipe()
        process.standardOutput = output
        process.standardError = error
        let finished = DispatchSemaphore(value: 0)
        process.terminationHandler = { _ in finished.signal() }
        try process.run()
        let reads = DispatchGroup()
        let collected = (Collected(), Collected())
        let handles = (output.fileHandleForReading, error.fileHandleForReading)
        DispatchQueue.global().async(group: reads) { collected.0.read(handles.0) }
        DispatchQueue.global().async(group: reads) { collected.1.read(handles.1) }
        let timedOut = finished.wait(timeout: .now() + seconds) == .timedOut
        if timedOut {
            kill(process.processIdentifier, SIGKILL)
            finished.wait()
        }
        reads.wait()
        return BoundedCommand(
            status: process.terminationStatus, wasSignalled: process.terminationReason == .uncaughtSignal,
            timedOut: timedOut, standardOutput: collected.0.value, standardError: collected.1.value)
    }
}
