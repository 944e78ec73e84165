import ExoCore
import ExoPipeline
import ExoQuant
import ExoReport
import ExoStore
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdAuth
import NIOCore

/// Live runs over HTTP (docs/live-protocol.md, docs/server.md): an instrument POSTs batches of the NDJSON stream and
/// gets the same answers `exoscope live ingest` writes; followers get the answers of a run as server-sent events.
///
/// One ``LiveIngest`` serves the server's study, fed one batch at a time (a batch is checked, stored, committed and
/// only then answered: the store-then-acknowledge rule holds per request). A batch with a bad line stores the good
/// lines before it and answers 422 naming the line of the batch; the ingest is then opened afresh from the store, so
/// the next batch starts clean and the instrument resends from the run's acknowledged seq.
actor LiveHub {
    let store: any Store
    let configuration: ServerConfiguration
    private var ingest: LiveIngest?
    private var busy = false
    private var waiting: [CheckedContinuation<Void, Never>] = []
    private var followers: [String: [UUID: AsyncStream<String>.Continuation]] = [:]
    /// (principal, run) pairs already audited by this process: one audit entry when an account starts posting to a
    /// run, not one per batch.
    private var audited: Set<String> = []

    init(store: any Store, configuration: ServerConfiguration) {
        self.store = store
        self.configuration = configuration
    }

    /// The outcome of a batch: the answer lines, or the error of its bad line (with the answers of the good lines
    /// before it, already stored).
    struct Outcome: Sendable {
        var answers: [String]
        var error: APIError?
    }

    /// The study the server ingests for, or an error saying why none.
    func studyID() async throws -> String { try await opened().studyID }

    /// Feeds one batch, alone (batches never interleave), and publishes its answers to the run's followers.
    func submit(_ bytes: ByteBuffer, principal: Principal, study: String) async throws -> Outcome {
        await acquire()
        defer { release() }
        let ingest = try await opened()
        guard ingest.studyID == study else {
            throw APIError.notFound(
                "this server takes live runs for study '\(ingest.studyID)' only",
                hint: "start a server with --study for the other study's folder")
        }
        let linesBefore = await ingest.totals.lines
        var outcome: Outcome
        do {
            var answers = try await ingest.consume(bytes.readableBytesView)
            answers += try await ingest.finish()
            outcome = Outcome(answers: answers, error: nil)
        } catch let failure as LiveIngestError {
            let location = failure.error.location
            let line = location.line > 0 ? location.line - linesBefore : nil
            let place = [line.map { "line \($0)" }, location.column.map { "column \($0)" }].compactMap { $0 }
            outcome = Outcome(
                answers: failure.answered,
                error: APIError(
                    .unprocessableContent, code: "invalid-message",
                    (place.isEmpty ? "" : place.joined(separator: ", ") + ": ") + failure.error.message,
                    hint: failure.error.hint
                        ?? "the good lines before it are stored; resend from the run's acknowledged seq"))
            self.ingest = nil  // opened afresh (from the store) for the next batch
        }
        publish(outcome.answers)
        for run in Set(outcome.answers.compactMap(Self.run(of:)))
        where audited.insert("\(principal.name)\n\(run)").inserted {
            try await store.recordAudit(
                actor: principal.name, action: "post-live-readings", entity: "\(study)/live-run:\(run)", detail: "")
        }
        return outcome
    }

    /// Where a run stands: `nil` when the ingest does not know it.
    func status(run: String, study: String) async throws -> RunStatus? {
        let ingest = try await opened()
        guard ingest.studyID == study, let through = await ingest.acknowledgedThrough(run) else { return nil }
        let state = await ingest.run(run)
        return RunStatus(
            run: run, through: through, finished: await ingest.isFinished(run),
            complete: state?.isComplete ?? false, wells: state?.layout.wells.count ?? 0)
    }

    /// A run's layout, when the ingest knows the run.
    func layout(run: String, study: String) async throws -> LiveLayout? {
        let ingest = try await opened()
        guard ingest.studyID == study else { return nil }
        return await ingest.run(run)?.layout
    }

    /// The answers of one run from now on, ending when the server stops or the follower goes.
    func follow(run: String) -> AsyncStream<String> {
        let id = UUID()
        let (stream, continuation) = AsyncStream<String>.makeStream(bufferingPolicy: .bufferingNewest(10_000))
        followers[run, default: [:]][id] = continuation
        continuation.onTermination = { _ in Task { await self.unfollow(run: run, id: id) } }
        return stream
    }

    private func unfollow(run: String, id: UUID) {
        followers[run]?[id] = nil
    }

    private func publish(_ answers: [String]) {
        for answer in answers {
            guard let run = Self.run(of: answer) else { continue }
            for continuation in (followers[run] ?? [:]).values { continuation.yield(answer) }
        }
    }

    private static func run(of answer: String) -> String? {
        (try? JSONSerialization.jsonObject(with: Data(answer.utf8)) as? [String: Any])?["run"] as? String
    }

    private func opened() async throws -> LiveIngest {
        if let ingest { return ingest }
        guard let folder = configuration.studyDirectory else {
            throw APIError.notFound(
                "this server takes no live runs: it was started without a study folder",
                hint: "start it with --study DIR (a study with a runs: folder)")
        }
        let opened = try await LiveIngest(
            settings: LiveIngest.Settings(
                studyDirectory: folder, databasePath: configuration.databasePath,
                reportURL: folder.appendingPathComponent("report.html"), actor: "exoscope serve"),
            store: store)
        _ = try await opened.resume()
        ingest = opened
        return opened
    }

    private func acquire() async {
        if !busy {
            busy = true
            return
        }
        await withCheckedContinuation { waiting.append($0) }
    }

    private func release() {
        if waiting.isEmpty {
            busy = false
        } else {
            waiting.removeFirst().resume()
        }
    }
}

/// A live run's state, for an instrument resuming and a page starting to follow.
struct RunStatus: Codable, Sendable {
    var run: String
    /// Every reading with seq ≤ this is stored.
    var through: Int
    var finished: Bool
    /// Every reading up to the end has arrived.
    var complete: Bool
    var wells: Int
}

struct LiveRoutes: Sendable {
    let hub: LiveHub

    func register(on table: inout RouteTable) {
        table.post("/api/v1/studies/{study}/live", .ingest) { request, context in
            let study = try context.parameters.require("study")
            let principal = try context.requireIdentity()
            let body = try await BodyRule(
                types: ["application/x-ndjson", "application/jsonl"], message: "a live batch is NDJSON",
                hint: "send 'Content-Type: application/x-ndjson', one message per line (docs/live-protocol.md)",
                tooLarge: "the batch is larger than the server takes",
                tooLargeHint: "send smaller batches (a few thousand readings each)"
            ).body(of: request, limit: context.maxUploadSize)
            let outcome = try await hub.submit(body, principal: principal, study: study)
            if let error = outcome.error { throw error }
            var headers = HTTPFields()
            headers[.contentType] = "application/x-ndjson"
            headers[.cacheControl] = "no-store"
            let text = outcome.answers.map { $0 + "\n" }.joined()
            return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
        }
        table.get("/api/v1/studies/{study}/live/{run}", .ingest) { _, context in
            let study = try context.parameters.require("study")
            let run = try context.parameters.require("run")
            guard let status = try await hub.status(run: run, study: study) else {
                throw APIError.notFound("no live run '\(run)' in this study")
            }
            return try JSONResponse(status)
        }
        table.get("/studies/{study}/live/{run}", .read, html: true, audited: true) { _, context in
            let study = try context.parameters.require("study")
            let run = try context.parameters.require("run")
            let layout = try await hub.layout(run: run, study: study)
            let status = try await hub.status(run: run, study: study)
            return Dashboard.html(LivePage.render(study: study, run: run, layout: layout, status: status))
        }
        table.get("/assets/live.js", .open) { _, _ in
            var headers = HTTPFields()
            headers[.contentType] = "text/javascript; charset=utf-8"
            headers[.cacheControl] = "no-cache"
            return Response(
                status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: LivePage.script)))
        }
        table.get("/api/v1/studies/{study}/live/{run}/events", .read, audited: true) { _, context in
            let study = try context.parameters.require("study")
            let run = try context.parameters.require("run")
            // A run not announced yet has nothing to follow: 404, so that no connection waits on a run id that may
            // never come (the live page retries).
            guard let status = try await hub.status(run: run, study: study) else {
                throw APIError.notFound(
                    "no live run '\(run)' in this study yet", hint: "follow it once its layout is posted")
            }
            let stream = await hub.follow(run: run)
            var headers = HTTPFields()
            headers[.contentType] = "text/event-stream"
            headers[.cacheControl] = "no-store"
            let start = String(decoding: try APIJSON.encoder.encode(status), as: UTF8.self)
            let finished = status.finished
            return Response(
                status: .ok, headers: headers,
                body: ResponseBody { writer in
                    // First where the run stands, then every answer as it is stored; the stream ends with the run.
                    try await writer.write(ByteBuffer(string: "event: status\ndata: \(start)\n\n"))
                    if !finished {
                        for await answer in stream {
                            try await writer.write(ByteBuffer(string: "data: \(answer)\n\n"))
                            if answer.contains("\"type\":\"finished\"") { break }
                        }
                    }
                    try await writer.finish(nil)
                })
        }
    }
}

/// The dashboard's live page: the run's wells with their Cqs, filled in by `/assets/live.js` from the run's
/// server-sent events as they are stored (no inline script; the page reads as a table without script, and printed).
enum LivePage {
    static func render(study: String, run: String, layout: LiveLayout?, status: RunStatus?) -> String {
        let events = "/api/v1/studies/\(Dashboard.pathComponent(study))/live/\(Dashboard.pathComponent(run))/events"
        var body = """
            <p id="live-state" role="status" aria-live="polite" data-events="\(HTML.escape(events))">\
            \(status.map { $0.finished ? "Finished: \($0.through) readings stored." : "Readings stored through seq \($0.through)." } ?? "Waiting for the run's layout.")</p>
            """
        if let layout {
            body += "<table class=\"sortable\" id=\"live-wells\"><thead><tr><th>Well</th><th>Sample</th><th>Target</th>"
            body += "<th>Type</th><th>Provisional Cq</th><th>Final Cq</th></tr></thead><tbody>"
            for well in layout.wells {
                let id = HTML.escape(well.well)
                body +=
                    "<tr data-well=\"\(id)\"><td>\(id)</td><td>\(HTML.escape(well.sample))</td>"
                    + "<td>\(HTML.escape(well.target))</td><td>\(HTML.escape(well.type))</td>"
                    + "<td class=\"provisional\">–</td><td class=\"final\">–</td></tr>"
            }
            body += "</tbody></table>"
        }
        body += "<script src=\"/assets/live.js\" defer></script>"
        let page = ReportPage(
            title: "Live run \(run)", subtitle: "Study \(study)",
            sections: [.init(id: "wells", title: "Wells", body: body)])
        return page.render()
    }

    /// Follows the run's events.
    ///
    /// Acknowledgements update the status line, Cq answers fill their well's cells, the end marks the run finished.
    /// Cell text only (`textContent`), never markup from the stream.
    static let script = #"""
        (function () {
        "use strict";
        var state = document.getElementById("live-state");
        if (!state || !window.EventSource) { return; }
        var hasLayout = document.getElementById("live-wells") !== null;
        if (!hasLayout) {
          // The run has not posted its layout yet: look again in a few seconds.
          window.setTimeout(function () { window.location.reload(); }, 3000);
          return;
        }
        var source = new EventSource(state.getAttribute("data-events"));
        function cell(well, kind) {
          var row = document.querySelector("tr[data-well=\"" + CSS.escape(well) + "\"]");
          return row ? row.querySelector("td." + kind) : null;
        }
        source.onmessage = function (event) {
          var answer;
          try { answer = JSON.parse(event.data); } catch (e) { return; }
          if (answer.type === "ack") {
            state.textContent = "Readings stored through seq " + answer.through + ".";
          } else if (answer.type === "cq") {
            var target = cell(answer.well, answer.final ? "final" : "provisional");
            if (target) { target.textContent = answer.cq === null ? "none" : answer.cq.toFixed(2); }
          } else if (answer.type === "finished") {
            state.textContent = "Finished: " + answer.readings + " readings; written to " + answer.file + ".";
            source.close();
          }
        };
        })();
        """#
}
