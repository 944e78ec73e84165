import ExoCore
import ExoStore
import ExoTestSupport
import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// `exoscope chip simulate`, `live ingest`, `alerts` and `watch` as a user runs them.
struct LiveCommandTests {
    static func executable() throws -> URL {
        try #require(Fixture.exoscopeExecutable, "the exoscope executable was not built next to the tests")
    }

    /// A study of three monitored patients with four visits each, miR-21 and miR-4458 monitored, a runs: folder.
    static func study() throws -> URL {
        try Fixture.monitoredStudy(id: "LIVE-CLI", title: "Live command test")
    }

    /// Killing `live ingest` in the middle of a run loses no acknowledged reading; started again with the whole
    /// stream, it resumes and finishes the run.
    @Test func killingTheIngestLosesNoAcknowledgedReading() async throws {
        let exoscope = try Self.executable()
        let folder = try Self.study()
        let database = folder.appendingPathComponent("exoscope.sqlite").path
        let simulated = try CommandResult.run(
            exoscope, ["chip", "simulate", "--study", folder.path, "--database", database, "--seed", "5"])
        #expect(simulated.status == 0, "\(simulated.standardError)")
        let lines = simulated.standardOutput.split(separator: "\n").map(String.init)
        // The layout, 26 wells (one no-template control per target, 12 samples × 2 targets) × 45 cycles, the end.
        let expected = 1 + 26 * 45 + 1
        #expect(lines.count == expected)

        // First process: send the first 600 lines, wait for their acknowledgement, send more, kill it.
        let process = Process()
        process.executableURL = exoscope
        process.arguments = ["live", "ingest", "--study", folder.path, "--database", database]
        let input = Pipe()
        let output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = Pipe()
        try process.run()
        input.fileHandleForWriting.write(Data((lines.prefix(600).joined(separator: "\n") + "\n").utf8))
        var acknowledged = 0
        var received = Data()
        while acknowledged < 599 {
            let chunk = output.fileHandleForReading.availableData
            guard !chunk.isEmpty else { break }
            received.append(chunk)
            for line in String(decoding: received, as: UTF8.self).split(separator: "\n") {
                if let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                    object["type"] as? String == "ack", let through = object["through"] as? Int
                {
                    acknowledged = max(acknowledged, through)
                }
            }
        }
        #expect(acknowledged == 599)
        input.fileHandleForWriting.write(Data((lines[600..<900].joined(separator: "\n") + "\n").utf8))
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        #expect(process.terminationReason == .uncaughtSignal)

        let store = try await SQLiteStore(path: database)
        let stored = try await store.liveReadings(run: "CHIP-5")
        #expect(stored.count >= acknowledged)
        #expect(Set(stored.map(\.seq)).isSuperset(of: 1...acknowledged))

        // Second process: the instrument resends the whole run.
        let stream = folder.appendingPathComponent("stream.ndjson")
        try Data((lines.joined(separator: "\n") + "\n").utf8).write(to: stream)
        let resumed = try CommandResult.run(
            URL(fileURLWithPath: "/bin/sh"),
            [
                "-c", "\"$0\" live ingest --study \"$1\" --database \"$2\" < \"$3\"", exoscope.path, folder.path,
                database,
                stream.path,
            ])
        #expect(resumed.status == 0, "\(resumed.standardError)")
        #expect(resumed.standardError.contains("live: resuming run 'CHIP-5': readings stored through seq"))
        #expect(
            resumed.standardOutput.contains(
                #"{"file":"runs\/CHIP-5.rdml","readings":1170,"run":"CHIP-5","type":"finished"}"#))
        #expect(try await store.liveReadings(run: "CHIP-5").count == 1_170)
        #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent("runs/CHIP-5.rdml").path))
    }

    /// `exoscope watch --once` takes each finished export into the study, refuses an unreadable one, and imports
    /// nothing twice.
    @Test func watchImportsEachFinishedFileOnce() async throws {
        let exoscope = try Self.executable()
        let folder = try Self.study()
        let database = folder.appendingPathComponent("exoscope.sqlite").path
        let exports = try Fixture.temporaryDirectory("exoscope-exports")
        let simulated = try CommandResult.run(
            exoscope,
            [
                "chip", "simulate", "--study", folder.path, "--seed", "9", "--rdml",
                exports.appendingPathComponent("run-9.rdml").path,
            ])
        #expect(simulated.status == 0, "\(simulated.standardError)")
        try Data("PK\u{03}\u{04} half written".utf8).write(to: exports.appendingPathComponent("run-10.rdml"))
        try Data("notes".utf8).write(to: exports.appendingPathComponent("notes.txt"))
        let arguments = [
            "watch", exports.path, "--study", folder.path, "--database", database, "--once", "--settle", "0",
        ]
        let first = try CommandResult.run(exoscope, arguments)
        #expect(first.status == 0, "\(first.standardError)")
        #expect(first.standardOutput.contains("watch: imported run-9.rdml; LIVE-CLI imported"))
        #expect(first.standardError.contains("watch: not imported: run-10.rdml: "))
        #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent("runs/run-9.rdml").path))
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("runs/run-10.rdml").path))
        let store = try await SQLiteStore(path: database)
        let values = try await store.measurements(study: "LIVE-CLI").filter {
            $0.source.path.hasPrefix("runs/run-9.rdml")
        }
        // 12 samples × 2 targets; the failing well B1 has no value and is flagged below detection.
        #expect(values.count == 24)
        #expect(values.filter { $0.value == nil }.map(\.flags) == [[.belowDetection]])
        let second = try CommandResult.run(exoscope, arguments)
        #expect(second.status == 0)
        #expect(!second.standardOutput.contains("imported"))

        // An export of another study's samples is refused and taken out again; the study stays usable.
        let other = try Self.study()
        let yaml = try String(contentsOf: other.appendingPathComponent("study.yaml"), encoding: .utf8)
        try Data(yaml.replacingOccurrences(of: "LIVE-CLI", with: "OTHER").utf8).write(
            to: other.appendingPathComponent("study.yaml"))
        let sheet = try String(contentsOf: other.appendingPathComponent("samples.tsv"), encoding: .utf8)
        try Data(sheet.replacingOccurrences(of: "P1-", with: "Q1-").utf8).write(
            to: other.appendingPathComponent("samples.tsv"))
        let foreign = try CommandResult.run(
            exoscope,
            [
                "chip", "simulate", "--study", other.path, "--seed", "11", "--rdml",
                exports.appendingPathComponent("run-11.rdml").path,
            ])
        #expect(foreign.status == 0, "\(foreign.standardError)")
        let third = try CommandResult.run(exoscope, arguments)
        #expect(third.status == 0, "\(third.standardError)")
        #expect(third.standardError.contains("watch: not imported: run-11.rdml: runs/run-11.rdml"))
        #expect(third.standardError.contains("'Q1-V1'"))
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("runs/run-11.rdml").path))

        // A file copied into runs/ before an interruption, never analysed, is analysed when the watch starts.
        try FileManager.default.copyItem(
            at: exports.appendingPathComponent("run-9.rdml"), to: folder.appendingPathComponent("runs/run-12.rdml"))
        let empty = try Fixture.temporaryDirectory("exoscope-exports-empty")
        let fourth = try CommandResult.run(
            exoscope, ["watch", empty.path, "--study", folder.path, "--database", database, "--once", "--settle", "0"])
        #expect(fourth.status == 0, "\(fourth.standardError)")
        #expect(fourth.standardOutput.contains("watch: imported runs/run-12.rdml; LIVE-CLI reimported"))
    }

    /// Alerts are raised by the pipeline, listed, and acknowledged once with a note; both acts are audited.
    @Test func alertsAreListedAndAcknowledgedWithANote() async throws {
        let exoscope = try Self.executable()
        let output = try Fixture.temporaryDirectory("exoscope-alerts")
        let demo = try CommandResult.run(exoscope, ["demo", "--output", output.path, "--quiet"])
        #expect(demo.status == 0, "\(demo.standardError)")
        let study = output.appendingPathComponent("study").path
        let database = output.appendingPathComponent("exoscope.sqlite").path
        let listed = try CommandResult.run(exoscope, ["alerts", "--study", study, "--database", database, "--json"])
        #expect(listed.status == 0, "\(listed.standardError)")
        let alerts = try JSONDecoder().decode([AlertRecord].self, from: Data(listed.standardOutput.utf8))
        // The demo's truth: MT005 relapses, MT006–MT008 progress; responders raise nothing.
        #expect(Set(alerts.map(\.patient)) == ["MT005", "MT006", "MT007", "MT008"])
        #expect(alerts.allSatisfy { $0.kind == .progression && !$0.isAcknowledged })
        let first = try #require(alerts.first?.id)
        let acknowledged = try CommandResult.run(
            exoscope,
            [
                "alerts", "acknowledge", String(first), "--note", "CT scheduled", "--study", study, "--database",
                database,
            ],
            environment: ["EXOSCOPE_ACTOR": "dr-lee"])
        #expect(acknowledged.status == 0, "\(acknowledged.standardError)")
        #expect(acknowledged.standardOutput == "alert \(first) acknowledged by dr-lee\n")
        let again = try CommandResult.run(
            exoscope,
            ["alerts", "acknowledge", String(first), "--note", "again", "--study", study, "--database", database])
        #expect(again.status == 65)
        #expect(again.standardError.hasPrefix("error: alert \(first) was already acknowledged at "))
        let open = try CommandResult.run(exoscope, ["alerts", "--study", study, "--database", database, "--json"])
        #expect(
            try JSONDecoder().decode([AlertRecord].self, from: Data(open.standardOutput.utf8)).count == alerts.count - 1
        )
        let store = try await SQLiteStore(path: database)
        let audit = try await store.auditLog()
        #expect(audit.filter { $0.action == "raise-alert" }.count == alerts.count)
        let entry = try #require(audit.last { $0.action == "acknowledge-alert" })
        #expect(entry.actor == "dr-lee" && entry.entity == "NSCLC-EXO-DEMO/alert:\(first)")
        // The audit log names studies, files and alerts, never a patient.
        #expect(!audit.contains { ($0.detail + $0.entity).contains("MT00") })
        let stored = try await store.alerts(study: "NSCLC-EXO-DEMO").first { $0.id == first }
        #expect(stored?.note == "CT scheduled")
    }
}
