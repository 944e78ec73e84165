import ArgumentParser
import ExoCore
import ExoFormats
import ExoPipeline
import ExoQuant
import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

extension Exoscope {
    /// Live chip runs.
    struct Live: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Live chip runs: take a run's readings as they happen (docs/live-protocol.md).",
            subcommands: [Ingest.self])
    }

    /// A simulated chip run.
    struct Chip: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Simulated chip runs, for demos and tests.", subcommands: [Simulate.self])
    }
}

extension Exoscope.Live {
    /// `exoscope live ingest --study DIR`: the protocol on standard input, answers on standard output.
    struct Ingest: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Take a live run's NDJSON stream from standard input into a study.",
            discussion: """
                Every reading is stored in the study's database before it is acknowledged: standard output carries \
                NDJSON answers, {"type":"ack","run":…,"through":N} once every reading up to seq N is stored, \
                {"type":"cq",…,"provisional":true} as each Cq becomes determinable, and, when a run has ended and \
                every reading has arrived, its final Cqs and {"type":"finished",…}. A finished run is written to the \
                study's runs: folder and the whole pipeline runs (import, monitoring, alerts, report). Start it again \
                after an interruption and resend the stream: stored readings are recognised and the run resumes.
                """)

        @Option(name: .customLong("study"), help: "The study folder (with study.yaml and a runs: folder).")
        var study: String

        @OptionGroup var database: DatabaseOptions

        @Option(help: "Where to write the HTML report (default: report.html in the study folder).")
        var report: String?

        @Flag(name: .shortAndLong, help: "Print no summary on standard error.")
        var quiet = false

        @Option(
            help: ArgumentHelp(
                "Write each batch's size and latency to this TSV file (benchmarks).",
                discussion: "Columns: readings stored, milliseconds from receiving the bytes to acknowledging them, "
                    + "and whether the batch finalised a run."))
        var timings: String?

        @Flag(help: "Show the full error chain for internal errors.")
        var debug = false

        func run() async throws {
            try await withUserFacingErrors(debug: debug) {
                let studyURL = URL(fileURLWithPath: study, isDirectory: true).standardizedFileURL
                let reportURL =
                    report.map { URL(fileURLWithPath: $0) } ?? studyURL.appendingPathComponent("report.html")
                let ingest = try await LiveOperations.openIngest(
                    .init(
                        study: studyURL, databasePath: database.resolvedPath(studyDirectory: studyURL),
                        reportURL: reportURL, actor: currentActor()))
                for run in await ingest.openRuns where !quiet {
                    printError(
                        "live: resuming run '\(run.layout.run)': readings stored through seq \(run.contiguousSeq)")
                }
                answer(try await ingest.resume())
                var buffer = [UInt8](repeating: 0, count: 1 << 16)
                var timingLines = ["readings\tmilliseconds\tfinalised"]
                defer {
                    if let timings {
                        try? Data((timingLines.joined(separator: "\n") + "\n").utf8).write(
                            to: URL(fileURLWithPath: timings))
                    }
                }
                do {
                    while true {
                        let count = buffer.withUnsafeMutableBytes { Console.current.input($0) }
                        if count < 0, errno == EINTR { continue }
                        guard count > 0 else { break }
                        let before = await ingest.totals
                        let start = ContinuousClock.now
                        let answers = try await ingest.consume(buffer[0..<count])
                        answer(answers)
                        if timings != nil {
                            let elapsed = ContinuousClock.now - start
                            let milliseconds =
                                Double(elapsed.components.seconds) * 1e3
                                + Double(elapsed.components.attoseconds) * 1e-15
                            let after = await ingest.totals
                            let finalised = after.finishedRuns.count > before.finishedRuns.count
                            timingLines.append(
                                "\(after.stored - before.stored)\t\(milliseconds)\t\(finalised ? "yes" : "no")")
                        }
                    }
                    answer(try await ingest.finish())
                } catch let error as LiveIngestError {
                    answer(error.answered)
                    throw error.error
                }
                for problem in await ingest.finalizationErrors { printError("live: \(problem)") }
                guard !quiet else {
                    if await !ingest.finalizationErrors.isEmpty { throw ExitStatus.dataError }
                    return
                }
                let totals = await ingest.totals
                printError(
                    "live: \(totals.stored) readings stored, \(totals.duplicates) duplicates, \(totals.provisionalCalls) provisional Cqs"
                )
                for id in totals.finishedRuns {
                    printError("live: run '\(id)' finished and analysed; report \(reportURL.path)")
                }
                for run in await ingest.openRuns where !run.isComplete {
                    printError(
                        "live: run '\(run.layout.run)' is open: readings stored through seq \(run.contiguousSeq)\(run.endSeq.map { " of \($0 - 1)" } ?? ""); send the rest to finish it"
                    )
                }
                if await !ingest.finalizationErrors.isEmpty { throw ExitStatus.dataError }
            }
        }

        /// Writes answer lines to standard output at once (the instrument waits for them).
        private func answer(_ lines: [String]) {
            guard !lines.isEmpty else { return }
            write(lines.joined(separator: "\n") + "\n")
        }
    }
}

extension Exoscope.Chip {
    /// `exoscope chip simulate --study DIR`: a realistic run of the study's monitored patients.
    struct Simulate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Stream a simulated qPCR chip run of a study's monitored patients (NDJSON on standard output).",
            discussion: """
                Pipe it into 'exoscope live ingest --study DIR', or write the finished file with --rdml. Each sample \
                is simulated at the mean Cq the study's database holds for it (a seeded draw when it holds none); one \
                well fails (an air bubble: no amplification, three spikes). The model is in docs/live-protocol.md.
                """)

        @Option(name: .customLong("study"), help: "The study folder.")
        var study: String

        @OptionGroup var database: DatabaseOptions

        @Option(help: "Layout: '96' (8 × 12 plate) or '96x96' (96 samples × 96 assays, 9,216 reactions).")
        var format: String = "96"

        @Option(help: "Cycles to read.")
        var cycles: Int = 45

        @Option(help: "Seconds between cycles (0 streams as fast as possible).")
        var cycleSeconds: Double = 0

        @Option(help: "Fluorescence noise SD as a fraction of the plateau.")
        var noise: Double = 0.002

        @Option(help: "Seed of the simulated curves.")
        var seed: UInt64 = 20_260_707

        @Option(name: .customLong("run"), help: "The run id (default CHIP-<seed>).")
        var runID: String?

        @Option(help: "The failing well, or 'none'.")
        var failingWell: String = "B1"

        @Option(help: "Write the finished run as an RDML file instead of streaming it.")
        var rdml: String?

        @Option(
            help: ArgumentHelp(
                "POST the run to an ExoScope server instead of printing it (http://host:port, or the full …/live URL).",
                discussion: "One batch a cycle, each acknowledged before the next is sent; see docs/server.md."))
        var post: String?

        @Option(help: "The bearer token for --post (default: $EXOSCOPE_TOKEN; an instrument token of the study).")
        var token: String?

        @Flag(help: "Show the full error chain for internal errors.")
        var debug = false

        func validate() throws {
            guard ChipSimulator.Format(rawValue: format) != nil else {
                throw ValidationError("--format must be '96' or '96x96', not '\(format)'")
            }
            guard cycles >= 10, cycles <= 100 else { throw ValidationError("--cycles must be between 10 and 100") }
            guard noise >= 0, noise <= 0.5 else { throw ValidationError("--noise must be between 0 and 0.5") }
            guard cycleSeconds >= 0, cycleSeconds.isFinite else {
                throw ValidationError("--cycle-seconds must be 0 or more")
            }
            if let runID, !IdentifierRule.isValid(runID) { throw ValidationError("--run: \(IdentifierRule.rule)") }
        }

        func run() async throws {
            try await withUserFacingErrors(debug: debug) {
                let studyURL = URL(fileURLWithPath: study, isDirectory: true).standardizedFileURL
                let simulator = try await LiveOperations.simulateChip(
                    .init(
                        study: studyURL, databasePath: database.resolvedPath(studyDirectory: studyURL),
                        format: ChipSimulator.Format(rawValue: format) ?? .plate96, cycles: cycles, noise: noise,
                        seed: seed, runID: runID, failingWell: failingWell == "none" ? nil : failingWell))
                if let rdml {
                    try LiveOperations.writeRDML(simulator, to: URL(fileURLWithPath: rdml))
                    return
                }
                // One batch a cycle: the layout goes with the first, the end with the last.
                let (readings, end) = simulator.readings()
                let perCycle = simulator.assignments.count
                var batches: [String] = []
                for start in stride(from: 0, to: readings.count, by: perCycle) {
                    let cycle = readings[start..<min(start + perCycle, readings.count)]
                    batches.append(cycle.map(LiveProtocolWriter.line).joined(separator: "\n") + "\n")
                }
                batches[0] = LiveProtocolWriter.line(simulator.layout) + "\n" + (batches.first ?? "")
                batches[batches.count - 1] += LiveProtocolWriter.endLine(run: simulator.run, seq: end) + "\n"
                let poster = try post.map { try LivePoster(url: $0, token: token, study: studyURL) }
                for (index, batch) in batches.enumerated() {
                    if cycleSeconds > 0, index > 0 { try await Task.sleep(for: .seconds(cycleSeconds)) }
                    if let poster {
                        try await poster.send(batch)
                    } else {
                        write(batch)
                    }
                }
                if let poster { printError("chip: posted \(batches.count) batches to \(poster.url); \(poster.last)") }
            }
        }
    }
}

extension Exoscope {
    /// What `watch --json` prints for each scan that imported files: the files, and the pipeline's summary.
    struct WatchImport: Encodable {
        var imported: [String]
        var summary: Pipeline.RunSummary
    }

    /// `exoscope watch FOLDER --study DIR`: import each finished export an instrument writes into a folder.
    struct Watch: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Follow a folder an instrument exports into and import each finished run file into a study.",
            discussion: """
                RDML files (*.rdml) and digital-PCR partition tables (*.partitions.tsv) count as finished once \
                unchanged for --settle seconds and readable; each is copied into the study's runs: folder and the \
                whole pipeline runs (import, monitoring, alerts, report). Files already imported are skipped. An \
                entry that is not a regular file (a folder, a symbolic link, a FIFO), cannot be read or does not \
                read as a run is reported and the watch goes on; it is remembered, with its size and modification \
                time, in .exoscope-watch.json in the study folder and not tried again, after a restart either, \
                until it changes.
                """)

        @Argument(help: "The folder the instrument writes into.", completion: .directory)
        var folder: String

        @Option(name: .customLong("study"), help: "The study folder (with a runs: folder in study.yaml).")
        var study: String

        @OptionGroup var database: DatabaseOptions

        @Option(help: "Seconds between scans.")
        var interval: Double = 2

        @Option(help: "Seconds a file must stay unchanged to count as finished.")
        var settle: Double = 2

        @Flag(help: "Scan once and exit.")
        var once = false

        @OptionGroup var outputOptions: OutputOptions

        func validate() throws {
            guard interval > 0, interval.isFinite else { throw ValidationError("--interval must be > 0") }
            guard settle >= 0, settle.isFinite else { throw ValidationError("--settle must be 0 or more") }
        }

        func run() async throws {
            try await withUserFacingErrors(debug: outputOptions.debug) {
                let studyURL = URL(fileURLWithPath: study, isDirectory: true).standardizedFileURL
                var session = try await LiveOperations.watch(
                    .init(
                        folder: folder, study: studyURL, databasePath: database.resolvedPath(studyDirectory: studyURL),
                        settle: settle, actor: currentActor()))
                while true {
                    let scan = try session.scan()
                    for refused in scan.refused { printError("watch: not imported: \(refused)") }
                    for skipped in scan.skipped {
                        printError("watch: not tried again (failed before, unchanged since): \(skipped)")
                    }
                    if let summary = try await session.analyse(scan, progress: outputOptions.progress) {
                        if outputOptions.json {
                            try printJSON(WatchImport(imported: scan.imported, summary: summary))
                        } else if !outputOptions.quiet {
                            printLine(
                                "watch: imported \(scan.imported.joined(separator: ", ")); \(summary.studyID) \(summary.importOutcome)"
                            )
                        }
                    }
                    if once { break }
                    try await Task.sleep(for: .seconds(interval))
                }
            }
        }
    }
}
