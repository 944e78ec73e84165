public import ExoCore
import ExoFormats
public import ExoQuant
public import ExoStore
public import Foundation

/// Takes a live-run stream (`docs/live-protocol.md`) into a study: every reading is stored durably before it is
/// acknowledged, provisional Cqs are called as soon as they are determinable, and a run that has ended and has every
/// reading is finalised — written as a finished file into the study's `runs:` folder and analysed by the whole
/// pipeline (import, monitoring, alerts, report), so its final Cqs are exactly those of the same file imported.
///
/// Input arrives in chunks of bytes (`consume(_:)`); every complete line of a chunk is parsed and checked, then the
/// chunk's new readings are stored in one transaction, and only then acknowledged. The answer is NDJSON lines:
/// `ack` (every seq up to `through` is stored), `cq` (a provisional or final Cq) and `finished`. Runs found open in
/// the store are resumed: their readings are reloaded, duplicates of them are ignored.
///
/// An actor: its state is reached only through its own executor, so a server may hand one ingest to several
/// tasks (a connection reading, a dashboard polling `totals`) without a lock.
public actor LiveIngest {
    /// Where the finished study is analysed and written.
    public struct Settings: Sendable {
        public var studyDirectory: URL
        public var databasePath: String
        public var reportURL: URL
        public var actor: String
        /// Readings stored per transaction at most.
        public var maximumBatch = 20_000
        /// The name of the stream, for error locations.
        public var source = "stdin"

        /// Creates settings.
        public init(studyDirectory: URL, databasePath: String, reportURL: URL, actor: String) {
            self.studyDirectory = studyDirectory
            self.databasePath = databasePath
            self.reportURL = reportURL
            self.actor = actor
        }
    }

    /// Counts, for the closing summary.
    public struct Totals: Sendable, Equatable {
        public var lines = 0
        public var stored = 0
        public var duplicates = 0
        public var provisionalCalls = 0
        public var finishedRuns: [String] = []
    }

    public let settings: Settings
    private let store: any Store
    private let study: LoadedStudy
    private let runsFolder: RunsFolder
    private var runs: [String: LiveRun] = [:]
    private var finished: Set<String> = []
    private var pending: [String: [LiveReading]] = [:]
    private var pendingEnds: [String: Int] = [:]
    /// The readings in `pending`, all runs together.
    private var pendingCount = 0
    private var acknowledged: [String: Int] = [:]
    private var callsReported: [String: Int] = [:]
    /// Runs finished before this ingest started: their layout and end only (their readings are not reloaded).
    private var finishedEarlier: [String: (layout: LiveLayout, endSeq: Int)] = [:]
    /// Acknowledgements owed for repeated messages of runs finished earlier.
    private var owedAcks: [String: Int] = [:]
    /// Runs whose finalisation the study refused in this process (tried again at the next start).
    private var refusedFinalization: Set<String> = []
    private var carry: [UInt8] = []
    /// Where the search for the next newline resumes in `carry`.
    private var searchFrom = 0
    private var line = 0
    /// The longest line taken, bytes.
    public static let maximumLineBytes = 16 << 20
    public private(set) var totals = Totals()
    /// The summary line of each pipeline run a finalisation made.
    public private(set) var pipelineSummaries: [Pipeline.RunSummary] = []
    /// Runs that were complete but could not be finalised (the study refused the finished file), with the reason;
    /// their readings stay stored and the next start tries again.
    public private(set) var finalizationErrors: [String] = []

    /// Opens the study and resumes its open runs.
    ///
    /// - Parameters:
    ///   - settings: the study folder, database and report.
    ///   - store: the study's store.
    /// - Throws: `InputErrorList` when the study does not validate or has no `runs:` folder.
    public init(settings: Settings, store: any Store) async throws {
        self.settings = settings
        self.store = store
        study = try Pipeline.validate(settings.studyDirectory)
        guard let runsFolder = study.definition.runs else { throw RunsFolder.missing(in: study.definition.id) }
        self.runsFolder = runsFolder
        for record in try await store.liveRuns(study: study.definition.id) {
            if record.finishedAt != nil, let end = record.endSeq {
                finishedEarlier[record.id] = (record.layout, end)
                continue
            }
            var run = try LiveRun(layout: record.layout, source: settings.source)
            for reading in try await store.liveReadings(run: record.id) { try run.receive(reading) }
            if let end = record.endSeq { try run.end(seq: end) }
            runs[record.id] = run
            acknowledged[record.id] = run.contiguousSeq
            callsReported[record.id] = run.calls.count
        }
    }

    /// Finalises the runs that were complete but not finalised when the ingest started (the pipeline failed, or the
    /// process stopped between the last reading and the analysis).
    ///
    /// - Returns: the answer lines.
    public func resume() async throws -> [String] { try await commit() }

    /// The runs known, open and finished.
    public var runIDs: [String] { runs.keys.sorted() }

    /// The id of the study the runs feed.
    public nonisolated var studyID: String { study.definition.id }

    /// Whether a run has been finalised (written, imported, analysed).
    public func isFinished(_ id: String) -> Bool { finished.contains(id) }

    /// The highest seq up to which every reading of a run is stored (0 before any), or `nil` for an unknown run.
    public func acknowledgedThrough(_ id: String) -> Int? { runs[id].map { _ in acknowledged[id] ?? 0 } }

    /// The state of a run.
    public func run(_ id: String) -> LiveRun? { runs[id] }

    /// Runs that are open: not yet finalised.
    public var openRuns: [LiveRun] {
        runs.values.filter { !finished.contains($0.layout.run) }.sorted { $0.layout.run < $1.layout.run }
    }

    /// Takes the next bytes of the stream.
    ///
    /// - Parameter bytes: any number of bytes; a line may span chunks.
    /// - Returns: the answer lines (without newlines) for what this chunk completed.
    /// - Throws: `InputError` for a bad line, after storing and acknowledging every good line before it (their acks
    ///   are in the error's `answered` lines, see ``LiveIngestError``).
    public func consume(_ bytes: some Collection<UInt8>) async throws -> [String] {
        carry.append(contentsOf: bytes)
        var start = 0
        var answers: [String] = []
        do {
            while let newline = carry[searchFrom...].firstIndex(of: 0x0A) {
                try await accept(carry[start..<newline])
                start = newline + 1
                searchFrom = start
                if pendingCount >= settings.maximumBatch {
                    answers += try await commit()
                }
            }
            carry.removeSubrange(0..<start)
            searchFrom = carry.count
            if carry.count > Self.maximumLineBytes {
                throw InputError(
                    .malformedJSON, at: InputLocation(path: settings.source, line: line + 1),
                    "a line longer than \(Self.maximumLineBytes >> 20) MiB",
                    hint: "each message is one line; check that the instrument ends lines with a newline")
            }
        } catch let error as InputError {
            carry.removeAll()
            searchFrom = 0
            answers += try await commit()
            throw LiveIngestError(error: error, answered: answers)
        }
        answers += try await commit()
        return answers
    }

    /// The end of the stream: a last line without a newline is taken.
    ///
    /// - Returns: the answer lines.
    public func finish() async throws -> [String] {
        guard !carry.isEmpty else { return try await commit() }
        return try await consume([0x0A])
    }

    private func accept(_ bytes: ArraySlice<UInt8>) async throws {
        line += 1
        totals.lines += 1
        let location = InputLocation(path: settings.source, line: line)
        guard let message = try LiveMessageReader.parse(bytes, at: location) else { return }
        switch message {
        case .layout(let layout):
            if let known = finishedEarlier[layout.run]?.layout ?? runs[layout.run]?.layout {
                guard known == layout else {
                    throw InputError(
                        .conflictingReading, at: location,
                        "run '\(layout.run)' was already announced with a different layout",
                        hint: "a run's layout cannot change; start a new run with a new id")
                }
                // A resent layout (the instrument reconnected): acknowledge what is stored.
                if let done = finishedEarlier[layout.run] {
                    owedAcks[layout.run] = done.endSeq
                } else {
                    acknowledged[layout.run] = -1
                }
                return
            }
            try checkLayout(layout, at: location)
            let run = try LiveRun(layout: layout, source: settings.source)
            do {
                _ = try await store.openLiveRun(study: study.definition.id, layout: layout)
            } catch StoreError.conflict(let message) {
                throw InputError(
                    .conflictingReading, at: location, message, hint: "give each run an id unique in the database")
            }
            runs[layout.run] = run
            acknowledged[layout.run] = -1
        case .reading(let reading):
            if let done = finishedEarlier[reading.run] {
                // A resend of a run analysed before this ingest started: acknowledged, nothing to store.
                totals.duplicates += 1
                owedAcks[reading.run] = done.endSeq
                return
            }
            guard var run = runs.removeValue(forKey: reading.run) else {
                throw Self.missingLayout(reading.run, at: location)
            }
            defer { runs[reading.run] = run }
            let outcome = try run.receive(reading, text: bytes)
            switch outcome {
            case .new:
                pending[reading.run, default: []].append(reading)
                pendingCount += 1
                totals.stored += 1
            case .duplicate:
                totals.duplicates += 1
                // A resent reading is acknowledged again: the sender may be waiting for it.
                acknowledged[reading.run] = -1
            }
        case .end(let id, let seq):
            if let done = finishedEarlier[id] {
                owedAcks[id] = done.endSeq
                return
            }
            guard var run = runs[id] else { throw Self.missingLayout(id, at: location) }
            if try run.end(seq: seq, line: line) == .new { pendingEnds[id] = seq }
            runs[id] = run
        }
    }

    nonisolated static func missingLayout(_ run: String, at location: InputLocation) -> InputError {
        InputError(
            .missingLayout, at: location, "run '\(run)' never announced its layout",
            hint: "a run starts with a {\"type\":\"run\",…} message naming its wells, samples and targets")
    }

    /// Checks a layout against the study: study samples must be in the sample sheet, targets must name analytes.
    private func checkLayout(_ layout: LiveLayout, at location: InputLocation) throws {
        let sheet = Set(study.samples.map(\.id.rawValue))
        var resolved: Set<String> = []
        for well in layout.wells {
            let kind = RDMLSample.Kind(rawValue: well.type) ?? .unkn
            if LoadedStudy.QPCRFile.studySampleKinds.contains(kind), !sheet.contains(well.sample) {
                throw InputError(
                    .unknownSample, at: location,
                    "run '\(layout.run)': well '\(well.well)' holds sample \(InputError.quoted(well.sample)), which is not in the study's sample sheet",
                    hint:
                        "add the sample to \(study.definition.sampleSheet), or give controls and standards their type (ntc, std)"
                )
            }
            // Each target is resolved once (a 96 × 96 chip names a few targets 9,216 times).
            guard resolved.insert(well.target).inserted else { continue }
            if case .failure(let failure) = Analyte.resolve(well.target, catalog: .bundled) {
                throw InputError(
                    failure.kind, at: location, "run '\(layout.run)': well '\(well.well)' target: " + failure.message,
                    hint: failure.hint)
            }
        }
        if layout.assay == .digitalPCR, runsFolder.partitionVolumeNanoliters != layout.partitionVolumeNanoliters {
            throw InputError(
                .invalidValue, at: location,
                "run '\(layout.run)': partition volume differs from the study's runs.partitionVolumeNanoliters",
                hint: "set runs.partitionVolumeNanoliters in study.yaml to the instrument's partition volume")
        }
    }

    /// Stores what is pending in one transaction per run, then acknowledges it and reports new calls; finalises runs
    /// that are complete.
    private func commit() async throws -> [String] {
        var answers: [String] = []
        for (id, end) in owedAcks.sorted(by: { $0.key < $1.key }) {
            answers.append(Self.json(["type": "ack", "run": id, "through": end - 1, "finished": true]))
        }
        owedAcks.removeAll()
        for id in Set(pending.keys).union(pendingEnds.keys).union(acknowledged.keys).sorted() {
            guard let run = runs[id] else { continue }
            let readings = pending[id] ?? []
            if !readings.isEmpty || pendingEnds[id] != nil {
                try await store.appendLiveReadings(run: id, readings, endSeq: pendingEnds[id])
            }
            pending[id] = nil
            pendingCount -= readings.count
            pendingEnds[id] = nil
            if acknowledged[id] != run.contiguousSeq {
                acknowledged[id] = run.contiguousSeq
                answers.append(Self.json(["type": "ack", "run": id, "through": run.contiguousSeq]))
            }
            let reported = callsReported[id] ?? 0
            for call in run.calls.dropFirst(reported) {
                answers.append(
                    Self.json([
                        "type": "cq", "run": id, "well": call.well, "target": call.target,
                        "cq": Self.rounded(call.cq.cq), "cycle": call.cq.calledAtCycle, "provisional": true,
                    ]))
            }
            totals.provisionalCalls += run.calls.count - reported
            callsReported[id] = run.calls.count
            if run.isComplete, !finished.contains(id), !refusedFinalization.contains(id) {
                do {
                    answers += try await finalize(run)
                } catch let errors as InputErrorList {
                    let reason = errors.errors.map(\.description).joined(separator: "\n")
                    finalizationErrors.append("run '\(id)' is complete but not analysed:\n\(reason)")
                    refusedFinalization.insert(id)
                    answers.append(Self.json(["type": "not-finished", "run": id, "reason": reason]))
                }
            }
        }
        return answers
    }

    /// Writes the finished file, runs the pipeline on the study, and reports the final Cqs.
    private func finalize(_ run: LiveRun) async throws -> [String] {
        let id = run.layout.run
        let folder = settings.studyDirectory.appendingPathComponent(runsFolder.folder, isDirectory: true)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let relative: String
        switch run.layout.assay {
        case .digitalPCR:
            relative = "\(runsFolder.folder)/\(id).partitions.tsv"
            try Data(Self.partitionTable(run).utf8).write(
                to: settings.studyDirectory.appendingPathComponent(relative), options: .atomic)
        default:
            relative = "\(runsFolder.folder)/\(id).rdml"
            let archive = try RDMLWriter.archive(run.rdmlDocument(path: relative))
            try archive.write(to: settings.studyDirectory.appendingPathComponent(relative), options: .atomic)
        }
        let summary: Pipeline.RunSummary
        do {
            summary = try await Pipeline.run(
                studyDirectory: settings.studyDirectory, store: store, databasePath: settings.databasePath,
                reportURL: settings.reportURL, actor: settings.actor)
        } catch let errors as InputErrorList {
            // The study refuses the finished file: it leaves the runs: folder so the study stays usable; the readings
            // stay stored and the run is finalised at the next start.
            try? FileManager.default.removeItem(at: settings.studyDirectory.appendingPathComponent(relative))
            throw errors
        }
        pipelineSummaries.append(summary)
        try await store.finishLiveRun(id: id, resultPath: relative, actor: settings.actor)
        finished.insert(id)
        totals.finishedRuns.append(id)
        var answers: [String] = []
        if run.layout.assay != .digitalPCR {
            let curves = try await store.curves(study: study.definition.id).filter { $0.sourcePath == relative }
            for curve in curves {
                var fields: [String: Any] = ["type": "cq", "run": id, "well": curve.well, "target": curve.target]
                fields["cq"] = curve.cq.map(Self.rounded) ?? NSNull()
                fields["final"] = true
                answers.append(Self.json(fields))
            }
        }
        answers.append(Self.json(["type": "finished", "run": id, "file": relative, "readings": run.readingCount]))
        return answers
    }

    /// A dPCR run in the generic partition-count layout (`docs/qpcr.md`): the study samples' wells (the layout has no
    /// column for controls, whose counts stay in the database's live readings).
    nonisolated static func partitionTable(_ run: LiveRun) -> String {
        var lines = ["well\tsample\ttarget\tpositives\tpartitions"]
        for (index, well) in run.layout.wells.enumerated() {
            let kind = RDMLSample.Kind(rawValue: well.type) ?? .unkn
            guard LoadedStudy.QPCRFile.studySampleKinds.contains(kind), let counts = run.partitions(ofWell: index)
            else { continue }
            lines.append("\(well.well)\t\(well.sample)\t\(well.target)\t\(counts.positives)\t\(counts.partitions)")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// Cq to four decimals for the answer lines.
    nonisolated static func rounded(_ value: Double) -> Double { (value * 10_000).rounded() / 10_000 }

    /// One answer line.
    nonisolated static func json(_ object: [String: Any]) -> String {
        guard let data = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]) else {
            return "{}"
        }
        return String(decoding: data, as: UTF8.self)
    }
}

/// A bad line in a live stream, with the answers (acknowledgements of the good lines before it) already due.
public struct LiveIngestError: Error, Sendable, CustomStringConvertible {
    public var error: InputError
    public var answered: [String]

    public var description: String { error.description }
}
