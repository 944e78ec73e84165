import ExoCore
import ExoPipeline
import ExoServer
import ExoStore
import ExoTestSupport
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import Testing

/// Live runs over HTTP: batches POSTed by an instrument token, stored before they are answered, followed by
/// server-sent events; bad batches refused with the line within the batch, and nothing of them stored.
struct LiveHTTPTests {
    struct Live {
        var app: Application<RouterResponder<ExoContext>>
        var store: SQLiteStore
        var study: URL
        var database: String
        var bearer: [String: String]
    }

    /// A study of three monitored patients with four visits each and a runs: folder, imported; an instrument, an
    /// analyst and a clinician of it, each with a token.
    static func live() async throws -> Live {
        let folder = try Fixture.monitoredStudy(id: "LIVE-HTTP", title: "Live over HTTP")
        let database = folder.appendingPathComponent("exoscope.sqlite").path
        let store = try await SQLiteStore(path: database)
        _ = try await Pipeline.run(
            studyDirectory: folder, store: store, databasePath: database,
            reportURL: folder.appendingPathComponent("report.html"), actor: "test")
        var bearer: [String: String] = [:]
        for role in [AccountRole.instrument, .analyst, .clinician] {
            _ = try await AccountOperations.saveAccount(
                .init(
                    databasePath: database, name: role.rawValue, role: role,
                    password: role == .instrument ? nil : "correct horse battery", studies: ["LIVE-HTTP"],
                    actor: "test"))
            let token = try await AccountOperations.issueToken(
                databasePath: database, account: role.rawValue, study: "LIVE-HTTP", days: 1, label: "test",
                actor: "test")
            bearer[role.rawValue] = "Bearer \(token.token)"
        }
        var configuration = ServerConfiguration(databasePath: database, studyDirectory: folder)
        configuration.maximumBodyBytes = 4 << 20
        var logger = Logger(label: "exoscope.server.test")
        logger.logLevel = .warning
        let built = ExoServer.router(store: store, configuration: configuration)
        return Live(
            app: Application(router: built.router, logger: logger), store: store, study: folder, database: database,
            bearer: bearer)
    }

    /// The simulated run as batches of NDJSON, one a cycle, the layout first and the end last.
    static func batches(_ live: Live, cycles: Int = 40) async throws -> (run: String, batches: [String], wells: Int) {
        let simulator = try await LiveOperations.simulateChip(
            .init(study: live.study, databasePath: live.database, cycles: cycles, runID: "CHIP-HTTP"))
        let (readings, end) = simulator.readings()
        let perCycle = simulator.assignments.count
        var batches = stride(from: 0, to: readings.count, by: perCycle).map { start in
            readings[start..<min(start + perCycle, readings.count)].map(LiveProtocolWriter.line).joined(separator: "\n")
                + "\n"
        }
        batches[0] = LiveProtocolWriter.line(simulator.layout) + "\n" + batches[0]
        batches[batches.count - 1] += LiveProtocolWriter.endLine(run: simulator.run, seq: end) + "\n"
        return (simulator.run, batches, perCycle)
    }

    static func ndjson(_ bearer: String?) -> HTTPFields {
        var fields: HTTPFields = [.contentType: "application/x-ndjson"]
        if let bearer { fields[.authorization] = bearer }
        return fields
    }

    /// A whole run posted batch by batch: each answer acknowledges exactly the readings posted so far, a follower
    /// sees the same answers as events, the run is finished, written and analysed, and posting it again changes
    /// nothing.
    @Test func aRunPostedInBatchesIsStoredFollowedAndFinished() async throws {
        let live = try await Self.live()
        let (run, batches, wells) = try await Self.batches(live)
        let instrument = Self.ndjson(live.bearer["instrument"])
        try await live.app.test(.router) { client in
            // Before its layout a run cannot be followed; its page says it is waiting (and reloads, from its script).
            try await client.execute(
                uri: "/api/v1/studies/LIVE-HTTP/live/\(run)/events", method: .get,
                headers: [.authorization: live.bearer["clinician"] ?? ""]
            ) { #expect($0.status == .notFound) }
            try await client.execute(
                uri: "/studies/LIVE-HTTP/live/\(run)", method: .get,
                headers: [.authorization: live.bearer["clinician"] ?? ""]
            ) { response in
                let page = String(buffer: response.body)
                #expect(page.contains("Waiting for the run's layout.") && !page.contains("<script>"))
            }
            var answers = try await client.execute(
                uri: "/api/v1/studies/LIVE-HTTP/live", method: .post, headers: instrument,
                body: ByteBuffer(string: batches[0])
            ) { String(buffer: $0.body).split(separator: "\n").map(String.init) }
            // The page lists the wells; a follower from now on reads until the run is finished.
            try await client.execute(
                uri: "/studies/LIVE-HTTP/live/\(run)", method: .get,
                headers: [.authorization: live.bearer["clinician"] ?? ""]
            ) { response in
                let page = String(buffer: response.body)
                #expect(
                    page.contains("<tr data-well=\"A1\">") && page.contains("<script src=\"/assets/live.js\" defer>"))
                #expect(page.contains("Readings stored through seq \(wells)."))
            }
            let follower = Task {
                try await client.execute(
                    uri: "/api/v1/studies/LIVE-HTTP/live/\(run)/events", method: .get,
                    headers: [.authorization: live.bearer["clinician"] ?? ""]
                ) { response in
                    (response.status, response.headers[.contentType], String(buffer: response.body))
                }
            }
            try await Task.sleep(for: .milliseconds(200))
            var followed: [String] = []
            for (index, batch) in batches.enumerated().dropFirst() {
                let lines = try await client.execute(
                    uri: "/api/v1/studies/LIVE-HTTP/live", method: .post, headers: instrument,
                    body: ByteBuffer(string: batch)
                ) { response in
                    #expect(response.status == .ok)
                    #expect(response.headers[.contentType] == "application/x-ndjson")
                    return String(buffer: response.body).split(separator: "\n").map(String.init)
                }
                answers += lines
                followed += lines
                if index < batches.count - 1 {
                    // Stored, then acknowledged: through equals every reading posted so far.
                    #expect(lines.contains(#"{"run":"\#(run)","through":\#((index + 1) * wells),"type":"ack"}"#))
                }
            }
            #expect(answers.last?.contains(#""type":"finished""#) == true)
            #expect(answers.contains { $0.contains(#""provisional":true"#) })
            let (status, type, events) = try await follower.value
            #expect(status == .ok && type == "text/event-stream")
            #expect(events.hasPrefix("event: status\ndata: {"))
            let streamed = events.split(separator: "\n").filter { $0.hasPrefix("data: {") }.map { $0.dropFirst(6) }
            #expect(streamed.dropFirst().map(String.init) == followed)
            // Where the run stands, and the same batches again: acknowledged as finished, nothing stored twice.
            try await client.execute(
                uri: "/api/v1/studies/LIVE-HTTP/live/\(run)", method: .get, headers: instrument
            ) { response in
                let body = try ServerTests.json(response)
                #expect(body["finished"] as? Bool == true && body["complete"] as? Bool == true)
                // After the end message, through is its seq: the last reading's + 1.
                #expect(body["through"] as? Int == 40 * wells + 1, "\(body)")
            }
            let readings = try await live.store.liveReadings(run: run).count
            try await client.execute(
                uri: "/api/v1/studies/LIVE-HTTP/live", method: .post, headers: instrument,
                body: ByteBuffer(string: batches[0])
            ) { #expect($0.status == .ok) }
            #expect(try await live.store.liveReadings(run: run).count == readings)
        }
        #expect(FileManager.default.fileExists(atPath: live.study.appendingPathComponent("runs/\(run).rdml").path))
        #expect(
            try await live.store.auditLog().contains { $0.action == "post-live-readings" && $0.actor == "instrument" })
    }

    /// Each refusal: its status and code; a bad line names its line within the batch, the good lines before it are
    /// stored, and the next batch starts clean.
    @Test func badBatchesAreRefused() async throws {
        let live = try await Self.live()
        let (run, batches, wells) = try await Self.batches(live, cycles: 20)
        let instrument = Self.ndjson(live.bearer["instrument"])
        try await live.app.test(.router) { client in
            try await client.execute(
                uri: "/api/v1/studies/LIVE-HTTP/live", method: .post,
                headers: [.authorization: live.bearer["instrument"] ?? "", .contentType: "application/json"],
                body: ByteBuffer(string: batches[0])
            ) { #expect($0.status == .unsupportedMediaType) }
            try await client.execute(
                uri: "/api/v1/studies/LIVE-HTTP/live", method: .post, headers: Self.ndjson(live.bearer["clinician"]),
                body: ByteBuffer(string: batches[0])
            ) { #expect($0.status == .forbidden) }
            try await client.execute(
                uri: "/api/v1/studies/OTHER/live", method: .post, headers: instrument,
                body: ByteBuffer(string: batches[0])
            ) { #expect($0.status == .notFound) }
            try await client.execute(
                uri: "/api/v1/studies/LIVE-HTTP/live", method: .post, headers: Self.ndjson(nil),
                body: ByteBuffer(string: batches[0])
            ) { #expect($0.status == .unauthorized) }
            // The first batch with its third line broken: the layout and the first reading are stored.
            var lines = batches[0].split(separator: "\n").map(String.init)
            lines[2] = #"{"type":"reading","run":"\#(run)","seq":2,"well":"Z99","cycle":1,"fluorescence":1}"#
            try await client.execute(
                uri: "/api/v1/studies/LIVE-HTTP/live", method: .post, headers: instrument,
                body: ByteBuffer(string: lines.joined(separator: "\n") + "\n")
            ) { response in
                #expect(response.status == .unprocessableContent)
                let error = try ServerTests.error(response)
                #expect(error["code"] as? String == "invalid-message")
                #expect((error["message"] as? String)?.hasPrefix("line 3, column ") == true)
                #expect((error["message"] as? String)?.contains("has no well 'Z99'") == true)
            }
            try await client.execute(
                uri: "/api/v1/studies/LIVE-HTTP/live/\(run)", method: .get, headers: instrument
            ) { response in
                let body = try ServerTests.json(response)
                #expect(body["through"] as? Int == 1)
            }
            // Resent whole, the batch is taken: the stored readings are duplicates, the rest new.
            try await client.execute(
                uri: "/api/v1/studies/LIVE-HTTP/live", method: .post, headers: instrument,
                body: ByteBuffer(string: batches[0])
            ) { response in
                #expect(response.status == .ok)
                #expect(String(buffer: response.body).contains(#""through":\#(wells),"#))
            }
            try await client.execute(
                uri: "/api/v1/studies/LIVE-HTTP/live", method: .post, headers: instrument,
                body: ByteBuffer(string: "{not json\n")
            ) { response in
                #expect(response.status == .unprocessableContent)
                let error = try ServerTests.error(response)
                #expect((error["message"] as? String)?.hasPrefix("line 1") == true)
            }
        }
        #expect(try await live.store.liveReadings(run: run).count == wells)
    }
}
