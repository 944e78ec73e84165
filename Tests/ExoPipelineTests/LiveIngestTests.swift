import ExoCore
import ExoFormats
import ExoPipeline
import ExoQuant
import ExoStore
import ExoTestSupport
import Foundation
import Testing

/// A small study with a `runs:` folder, and a simulated 96-well run of it.
enum LiveFixture {
    static let samples = (1...40).map { String(format: "S%02d", $0) }

    /// Writes study.yaml and samples.tsv into a new folder.
    static func study() throws -> URL {
        let folder = try Fixture.temporaryDirectory("exoscope-live")
        let yaml = """
            schema: 1
            id: LIVE-TEST
            title: Live chip run test
            specimen: serum
            runs:
              folder: runs

            """
        try Data(yaml.utf8).write(to: folder.appendingPathComponent("study.yaml"))
        let rows =
            ["sample_id\tpatient_id\tgroup"]
            + samples.enumerated().map { "\($1)\tP\(String(format: "%02d", $0 / 2 + 1))\tcase" }
        try Data((rows.joined(separator: "\n") + "\n").utf8).write(to: folder.appendingPathComponent("samples.tsv"))
        return folder
    }

    /// 40 samples × miR-21 and miR-4458, a miR-4458 standard series in duplicate (10^2–10^7 copies), four
    /// no-template controls; well 8 (A8) fails.
    static func simulator(run: String = "CHIP-1", seed: UInt64 = 7) -> ChipSimulator {
        var rng = SeededGeneratorProbe(seed: seed)
        var assignments: [ChipSimulator.Assignment] = []
        for sample in samples {
            assignments.append(.init(sample: sample, target: "hsa-miR-21-5p", cq: 24 + 4 * rng.next()))
            assignments.append(.init(sample: sample, target: "hsa-miR-4458", cq: 27 + 5 * rng.next(), efficiency: 1.93))
        }
        for exponent in 2...7 {
            for _ in 0..<2 {
                assignments.append(
                    .init(
                        sample: "STD-1e\(exponent)", target: "hsa-miR-4458", type: "std",
                        quantity: pow(10, Double(exponent)), cq: 30 - Double(exponent - 3) / log10(1.93),
                        efficiency: 1.93))
            }
        }
        for target in ["hsa-miR-21-5p", "hsa-miR-4458"] {
            for _ in 0..<2 { assignments.append(.init(sample: "NTC", target: target, type: "ntc", cq: nil)) }
        }
        return ChipSimulator(
            run: run, format: .plate96, cycles: 45, seed: seed, assignments: assignments, failingWell: 7)
    }

    static func ingest(_ folder: URL, store: any Store) async throws -> LiveIngest {
        try await LiveIngest(
            settings: LiveIngest.Settings(
                studyDirectory: folder, databasePath: "memory", reportURL: folder.appendingPathComponent("report.html"),
                actor: "test"),
            store: store)
    }

    /// The stored curves of a finished file, by well.
    static func finalCq(_ store: any Store, path: String) async throws -> [String: Double?] {
        let curves = try await store.curves(study: "LIVE-TEST").filter { $0.sourcePath == path }
        return Dictionary(uniqueKeysWithValues: curves.map { ($0.well, $0.cq) })
    }
}

/// A tiny deterministic source for the fixture's Cqs (splitmix64).
struct SeededGeneratorProbe {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> Double {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return Double((z ^ (z >> 31)) >> 11) / Double(1 << 53)
    }
}

struct LiveIngestTests {
    @Test func aRunStreamedReadingByReadingGivesTheFinishedFilesCqs() async throws {
        let simulator = LiveFixture.simulator()
        // Streamed, one line per chunk.
        let streamed = try LiveFixture.study()
        let store = try await SQLiteStore()
        let ingest = try await LiveFixture.ingest(streamed, store: store)
        var answers: [String] = []
        for line in simulator.lines() { answers += try await ingest.consume(Array((line + "\n").utf8)) }
        let totals1 = await ingest.totals
        #expect(totals1.finishedRuns == ["CHIP-1"])
        #expect(answers.last == #"{"file":"runs\/CHIP-1.rdml","readings":4320,"run":"CHIP-1","type":"finished"}"#)
        let streamedCq = try await LiveFixture.finalCq(store, path: "runs/CHIP-1.rdml")
        // The same run as the instrument's finished file, imported.
        let imported = try LiveFixture.study()
        try FileManager.default.createDirectory(
            at: imported.appendingPathComponent("runs"), withIntermediateDirectories: true)
        try RDMLWriter.archive(simulator.rdmlDocument(path: "runs/CHIP-1.rdml")).write(
            to: imported.appendingPathComponent("runs/CHIP-1.rdml"))
        let fileStore = try await SQLiteStore()
        _ = try await Pipeline.run(
            studyDirectory: imported, store: fileStore, databasePath: "memory",
            reportURL: imported.appendingPathComponent("report.html"), actor: "test")
        let importedCq = try await LiveFixture.finalCq(fileStore, path: "runs/CHIP-1.rdml")
        #expect(streamedCq.count == 96)
        #expect(streamedCq == importedCq)
        // Every well but the four no-template controls and the failing well has a Cq.
        #expect(streamedCq.values.compactMap { $0 }.count == 91)
        // Each Cq is called within two cycles of becoming determinable: the cycle at which the curve reaches the
        // final analysis's threshold, ⌈final Cq⌉.
        let run = try #require(await ingest.run("CHIP-1"))
        let labels = simulator.wellLabels
        let curves = simulator.curves()
        var late: [String] = []
        for (index, label) in labels.enumerated() {
            guard let final = streamedCq[label] ?? nil else {
                #expect(run.onlineCall(ofWell: index) == nil, "well \(label) has no final Cq but a provisional call")
                continue
            }
            guard let call = run.onlineCall(ofWell: index) else {
                late.append("\(label): never called")
                continue
            }
            if call.calledAtCycle > Int(final.rounded(.up)) + 2 {
                late.append("\(label): \(call.calledAtCycle) vs \(final)")
            }
            // The call depends only on the readings so far: the finished curve gives the same one.
            #expect(OnlineCq.call(fluorescence: curves[index]) == call)
        }
        #expect(late.isEmpty)
        #expect(run.onlineCall(ofWell: 7) == nil)
    }

    @Test func outOfOrderAndRepeatedReadingsGiveTheSameRun() async throws {
        let simulator = LiveFixture.simulator()
        var lines = simulator.lines()
        let layout = lines.removeFirst()
        let end = lines.removeLast()
        // Shuffle within windows of 500 readings (a network that reorders), repeat every 7th reading, and deliver in
        // chunks of odd sizes that cut lines in half.
        var rng = SeededGeneratorProbe(seed: 11)
        var delivered: [String] = [layout]
        for window in stride(from: 0, to: lines.count, by: 500) {
            var part = Array(lines[window..<min(window + 500, lines.count)])
            for index in part.indices.reversed() { part.swapAt(index, Int(rng.next() * Double(index + 1))) }
            for (offset, line) in part.enumerated() {
                delivered.append(line)
                if offset % 7 == 0 { delivered.append(line) }
            }
        }
        delivered.append(end)
        delivered.append(lines[3])  // a late duplicate after the end
        let bytes = Array(delivered.joined(separator: "\n").utf8)
        let folder = try LiveFixture.study()
        let store = try await SQLiteStore()
        let ingest = try await LiveFixture.ingest(folder, store: store)
        var start = 0
        var size = 1
        while start < bytes.count {
            _ = try await ingest.consume(bytes[start..<min(start + size, bytes.count)])
            start += size
            size = size * 3 % 4_099 + 1
        }
        _ = try await ingest.finish()
        let totals2 = await ingest.totals
        #expect(totals2.stored == 4_320)
        // Every 7th reading of each window of 500 is repeated (72 per full window, 46 in the last 320), plus the late one.
        let totals3 = await ingest.totals
        #expect(totals3.duplicates == 8 * 72 + 46 + 1)
        let totals4 = await ingest.totals
        #expect(totals4.finishedRuns == ["CHIP-1"])
        let inOrder = try LiveFixture.study()
        let inOrderStore = try await SQLiteStore()
        let reference = try await LiveFixture.ingest(inOrder, store: inOrderStore)
        _ = try await reference.consume(Array((simulator.lines().joined(separator: "\n") + "\n").utf8))
        #expect(
            try Data(contentsOf: folder.appendingPathComponent("runs/CHIP-1.rdml"))
                == Data(contentsOf: inOrder.appendingPathComponent("runs/CHIP-1.rdml")))
        #expect(
            try await LiveFixture.finalCq(store, path: "runs/CHIP-1.rdml")
                == LiveFixture.finalCq(inOrderStore, path: "runs/CHIP-1.rdml"))
    }

    @Test func anInterruptedRunResumesFromTheStore() async throws {
        let simulator = LiveFixture.simulator()
        let lines = simulator.lines()
        let folder = try LiveFixture.study()
        let path = folder.appendingPathComponent("exoscope.sqlite").path
        var acknowledged = 0
        do {
            let store = try await SQLiteStore(path: path)
            let ingest = try await LiveFixture.ingest(folder, store: store)
            for line in lines.prefix(2_001) {
                for answer in try await ingest.consume(Array((line + "\n").utf8)) where answer.contains("\"ack\"") {
                    acknowledged = try #require(Self.through(answer))
                }
            }
        }
        #expect(acknowledged == 2_000)
        // A new process: the open run is resumed from the database; the instrument resends from the start.
        let store = try await SQLiteStore(path: path)
        #expect(try await store.liveReadings(run: "CHIP-1").count == 2_000)
        let ingest = try await LiveFixture.ingest(folder, store: store)
        let openRuns5 = await ingest.openRuns
        #expect(openRuns5.map(\.contiguousSeq) == [2_000])
        var answers: [String] = []
        for line in lines { answers += try await ingest.consume(Array((line + "\n").utf8)) }
        let totals6 = await ingest.totals
        #expect(totals6.duplicates == 2_000)
        let totals7 = await ingest.totals
        #expect(totals7.stored == 2_320)
        #expect(answers.contains(#"{"file":"runs\/CHIP-1.rdml","readings":4320,"run":"CHIP-1","type":"finished"}"#))
        #expect(try await store.liveRuns(study: "LIVE-TEST").first?.resultPath == "runs/CHIP-1.rdml")
    }

    /// The `through` of an ack line.
    static func through(_ line: String) -> Int? {
        let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
        return object?["through"] as? Int
    }
}

/// Bad live input: each refused with the exact message and the position of the field, everything before it stored
/// and acknowledged.
struct LiveIngestBadInputTests {
    static let layout =
        #"{"type":"run","protocol":1,"run":"CHIP-9","assay":"qPCR","cycles":40,"rows":8,"columns":12,"wells":[{"well":"A1","sample":"S01","target":"miR-21"},{"well":"A2","sample":"S02","target":"miR-21"}]}"#

    static func reading(_ seq: Int, _ well: String, _ cycle: Int, _ value: Double = 500) -> String {
        #"{"type":"reading","run":"CHIP-9","seq":\#(seq),"well":"\#(well)","cycle":\#(cycle),"fluorescence":\#(value)}"#
    }

    /// Feeds the lines as one chunk; returns the error text, the answers due before it, and the store.
    static func refuse(_ lines: [String]) async throws -> (message: String, answered: [String], stored: Int) {
        let folder = try LiveFixture.study()
        let store = try await SQLiteStore()
        let ingest = try await LiveFixture.ingest(folder, store: store)
        do {
            _ = try await ingest.consume(Array((lines.joined(separator: "\n") + "\n").utf8))
            Issue.record("accepted")
            return ("", [], 0)
        } catch let error as LiveIngestError {
            let stored = try await store.liveReadings(run: "CHIP-9").count
            return (error.description, error.answered, stored)
        }
    }

    @Test func aReadingForAWellTheLayoutDoesNotHave() async throws {
        let result = try await Self.refuse([Self.layout, Self.reading(1, "A1", 1), Self.reading(2, "A3", 1)])
        #expect(
            result.message == """
                stdin:3:49: error: run 'CHIP-9' has no well 'A3' in its layout
                  hint: did you mean 'A1'? The layout lists 2 wells
                """)
        #expect(result.answered == [#"{"run":"CHIP-9","through":1,"type":"ack"}"#])
        #expect(result.stored == 1)
    }

    @Test func cyclesGoingBackwards() async throws {
        let result = try await Self.refuse([
            Self.layout, Self.reading(1, "A1", 1), Self.reading(2, "A1", 3), Self.reading(3, "A1", 2),
        ])
        #expect(
            result.message == """
                stdin:4:62: error: run 'CHIP-9': cycles go backwards in well 'A1': cycle 2 has seq 3, cycle 3 has seq 2
                  hint: within a well, later cycles need larger seqs; check the instrument's cycle counter
                """)
        #expect(result.stored == 2)
    }

    @Test func aRunThatNeverAnnouncedItsLayout() async throws {
        let result = try await Self.refuse([Self.reading(1, "A1", 1)])
        #expect(
            result.message == """
                stdin:1: error: run 'CHIP-9' never announced its layout
                  hint: a run starts with a {"type":"run",…} message naming its wells, samples and targets
                """)
        #expect(result.answered.isEmpty)
    }

    @Test func aSeqReusedForOtherContent() async throws {
        let result = try await Self.refuse([
            Self.layout, Self.reading(1, "A1", 1), Self.reading(1, "A1", 1), Self.reading(1, "A1", 1, 501),
        ])
        #expect(
            result.message == """
                stdin:4:40: error: run 'CHIP-9': seq 1 was already received for well 'A1' cycle 1 with other content
                  hint: a seq names one reading; resend it unchanged or number new readings with new seqs
                """)
        #expect(result.stored == 1)
    }

    @Test func malformedAndIncompleteLines() async throws {
        let broken = try await Self.refuse([Self.layout, #"{"type":"reading","run":"CHIP-9","seq":1,"#])
        #expect(
            broken.message == """
                stdin:2:1: error: not valid JSON
                  hint: each line holds one complete JSON object; a message may not span lines
                """)
        let missing = try await Self.refuse([Self.layout, #"{"type":"reading","run":"CHIP-9","seq":1,"well":"A1"}"#])
        #expect(
            missing.message == """
                stdin:2:1: error: missing 'cycle'
                  hint: see docs/live-protocol.md for the fields
                """)
        let unknown = try await Self.refuse([Self.layout, #"{"type":"readng","run":"CHIP-9"}"#])
        #expect(
            unknown.message == """
                stdin:2:9: error: unknown message type 'readng'
                  hint: one of 'run', 'reading', 'partitions', 'end'
                """)
        let beyond = try await Self.refuse([Self.layout, Self.reading(1, "A1", 41)])
        #expect(
            beyond.message == """
                stdin:2:62: error: run 'CHIP-9': cycle 41 is beyond the run's 40 cycles
                  hint: the layout's 'cycles' is the number of cycles the run reads
                """)
    }

    @Test func anEndBeyondTheRunsReadings() async throws {
        let result = try await Self.refuse([Self.layout, #"{"type":"end","run":"CHIP-9","seq":82}"#])
        #expect(
            result.message == """
                stdin:2: error: run 'CHIP-9' ends at seq 82, beyond its 80 readings
                  hint: seqs number the run's readings 1, 2, … without gaps; the end message takes the next one
                """)
    }

    @Test func aRunIdOfAnotherStudyInTheSameDatabase() async throws {
        let store = try await SQLiteStore()
        let other = LiveLayout(
            run: "CHIP-9", assay: .qPCR, cycles: 40, rows: 8, columns: 12,
            wells: [LiveLayout.Well(well: "A1", sample: "X1", target: "miR-21")])
        _ = try await store.openLiveRun(study: "OTHER-STUDY", layout: other)
        let ingest = try await LiveFixture.ingest(try LiveFixture.study(), store: store)
        do {
            _ = try await ingest.consume(Array((Self.layout + "\n").utf8))
            Issue.record("accepted")
        } catch let error as LiveIngestError {
            #expect(
                error.description == """
                    stdin:1: error: run id 'CHIP-9' is already a run of another study in this database
                      hint: give each run an id unique in the database
                    """)
        }
        #expect(try await store.liveRuns(study: "LIVE-TEST").isEmpty)
    }

    @Test func aLayoutWithASampleOutsideTheSheet() async throws {
        let layout = Self.layout.replacingOccurrences(of: "\"S02\"", with: "\"S99\"")
        let result = try await Self.refuse([layout])
        #expect(
            result.message == """
                stdin:1: error: run 'CHIP-9': well 'A2' holds sample 'S99', which is not in the study's sample sheet
                  hint: add the sample to samples.tsv, or give controls and standards their type (ntc, std)
                """)
    }
}

/// A digital-PCR chip run streamed as partition counts.
struct LiveDigitalPCRTests {
    @Test func partitionCountsAreStoredAndQuantifiedAtTheEnd() async throws {
        let folder = try LiveFixture.study()
        let yaml = try String(contentsOf: folder.appendingPathComponent("study.yaml"), encoding: .utf8)
            .replacingOccurrences(of: "  folder: runs\n", with: "  folder: runs\n  partitionVolumeNanoliters: 0.85\n")
        try Data(yaml.utf8).write(to: folder.appendingPathComponent("study.yaml"))
        let store = try await SQLiteStore()
        let ingest = try await LiveFixture.ingest(folder, store: store)
        let lines = [
            #"{"type":"run","protocol":1,"run":"DPCR-1","assay":"dPCR","partitionVolumeNanoliters":0.85,"rows":2,"columns":2,"wells":[{"well":"A1","sample":"S01","target":"miR-21"},{"well":"A2","sample":"S02","target":"miR-21"},{"well":"B1","sample":"NTC","target":"miR-21","type":"ntc"}]}"#,
            #"{"type":"partitions","run":"DPCR-1","seq":2,"well":"A2","positives":0,"partitions":19000}"#,
            #"{"type":"partitions","run":"DPCR-1","seq":1,"well":"A1","positives":1432,"partitions":18650}"#,
            #"{"type":"partitions","run":"DPCR-1","seq":1,"well":"A1","positives":1432,"partitions":18650}"#,
            #"{"type":"partitions","run":"DPCR-1","seq":3,"well":"B1","positives":0,"partitions":17000}"#,
            #"{"type":"end","run":"DPCR-1","seq":4}"#,
        ]
        let answers = try await ingest.consume(Array((lines.joined(separator: "\n") + "\n").utf8))
        #expect(
            answers.last == #"{"file":"runs\/DPCR-1.partitions.tsv","readings":3,"run":"DPCR-1","type":"finished"}"#)
        let totals8 = await ingest.totals
        #expect(totals8.duplicates == 1)
        let table = try String(
            contentsOf: folder.appendingPathComponent("runs/DPCR-1.partitions.tsv"), encoding: .utf8)
        #expect(
            table == "well\tsample\ttarget\tpositives\tpartitions\nA1\tS01\tmiR-21\t1432\t18650\n"
                + "A2\tS02\tmiR-21\t0\t19000\n")
        let values = try await store.measurements(study: "LIVE-TEST").filter {
            $0.source.path.hasPrefix("runs/DPCR-1")
        }
        // λ = −ln(1 − 1432/18650) copies per 0.85 nL partition, in copies/µL.
        let expected = -log(1 - 1432.0 / 18650) / 0.00085
        let s01 = try #require(values.first { $0.sample.rawValue == "S01" }?.value)
        #expect(abs(s01 - expected) < 1e-9 * expected)
        #expect(values.first { $0.sample.rawValue == "S02" }?.flags.contains(.belowDetection) == true)
    }

    @Test func aDigitalRunNeedsTheStudysPartitionVolume() async throws {
        let folder = try LiveFixture.study()
        let ingest = try await LiveFixture.ingest(folder, store: try await SQLiteStore())
        let line =
            #"{"type":"run","protocol":1,"run":"DPCR-2","assay":"dPCR","partitionVolumeNanoliters":0.91,"rows":1,"columns":1,"wells":[{"well":"A1","sample":"S01","target":"miR-21"}]}"#
        await #expect(throws: LiveIngestError.self) { _ = try await ingest.consume(Array((line + "\n").utf8)) }
        do {
            _ = try await ingest.consume(Array((line + "\n").utf8))
        } catch let error as LiveIngestError {
            #expect(
                error.description == """
                    stdin:2: error: run 'DPCR-2': partition volume differs from the study's runs.partitionVolumeNanoliters
                      hint: set runs.partitionVolumeNanoliters in study.yaml to the instrument's partition volume
                    """)
        }
    }
}

/// What happens after a run is finished, or when the study refuses the finished file.
struct LiveIngestAfterTheRunTests {
    /// A run analysed before the ingest started is not reloaded; its messages resent are acknowledged as finished.
    @Test func aFinishedRunResentIsAcknowledgedAndChangesNothing() async throws {
        let simulator = LiveFixture.simulator()
        let folder = try LiveFixture.study()
        let path = folder.appendingPathComponent("exoscope.sqlite").path
        do {
            let ingest = try await LiveFixture.ingest(folder, store: try await SQLiteStore(path: path))
            _ = try await ingest.consume(Array((simulator.lines().joined(separator: "\n") + "\n").utf8))
            let totals9 = await ingest.totals
            #expect(totals9.finishedRuns == ["CHIP-1"])
        }
        let store = try await SQLiteStore(path: path)
        let ingest = try await LiveFixture.ingest(folder, store: store)
        let openRuns10 = await ingest.openRuns
        #expect(openRuns10.isEmpty)
        let lines = simulator.lines()
        let answers = try await ingest.consume(
            Array(([lines[0], lines[5], lines[lines.count - 1]].joined(separator: "\n") + "\n").utf8))
        #expect(answers == [#"{"finished":true,"run":"CHIP-1","through":4320,"type":"ack"}"#])
        let totals11 = await ingest.totals
        #expect(totals11.duplicates == 1 && totals11.stored == 0)
        #expect(try await store.auditLog().filter { $0.action == "finish-live-run" }.map(\.actor) == ["test"])
    }

    /// A complete run whose finished file the study refuses leaves the runs: folder as it was, keeps its readings,
    /// and is analysed at the next start once the study is fixed.
    @Test func aRefusedFinishedFileIsTakenOutAndTheRunAnalysedLater() async throws {
        let folder = try LiveFixture.study()
        let path = folder.appendingPathComponent("exoscope.sqlite").path
        let layout =
            #"{"type":"run","protocol":1,"run":"CHIP-2","assay":"qPCR","cycles":10,"rows":1,"columns":2,"wells":[{"well":"A1","sample":"S01","target":"miR-21"},{"well":"A2","sample":"S02","target":"miR-21"}]}"#
        var lines = [layout]
        for cycle in 1...10 {
            for (index, well) in ["A1", "A2"].enumerated() {
                lines.append(
                    #"{"type":"reading","run":"CHIP-2","seq":\#((cycle - 1) * 2 + index + 1),"well":"\#(well)","cycle":\#(cycle),"fluorescence":\#(500 + cycle)}"#
                )
            }
        }
        lines.append(#"{"type":"end","run":"CHIP-2","seq":21}"#)
        // The sample sheet loses S02 after the layout was accepted (someone edits it during the run).
        let ingest = try await LiveFixture.ingest(folder, store: try await SQLiteStore(path: path))
        _ = try await ingest.consume(Array((lines.prefix(5).joined(separator: "\n") + "\n").utf8))
        let sheet = folder.appendingPathComponent("samples.tsv")
        let original = try Data(contentsOf: sheet)
        let edited = String(decoding: original, as: UTF8.self).split(separator: "\n").filter { !$0.hasPrefix("S02\t") }
        try Data((edited.joined(separator: "\n") + "\n").utf8).write(to: sheet)
        let answers = try await ingest.consume(Array((lines.dropFirst(5).joined(separator: "\n") + "\n").utf8))
        #expect(answers.last?.hasPrefix(#"{"reason":"runs\/CHIP-2.rdml"#) == true)
        #expect(await ingest.finalizationErrors.count == 1)
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("runs/CHIP-2.rdml").path))
        #expect(try Pipeline.validate(folder).definition.id == "LIVE-TEST")
        // Fixed, and started again: the run is analysed without any line sent.
        try original.write(to: sheet)
        let store = try await SQLiteStore(path: path)
        #expect(try await store.liveReadings(run: "CHIP-2").count == 20)
        let again = try await LiveFixture.ingest(folder, store: store)
        let resumed = try await again.resume()
        #expect(resumed.last == #"{"file":"runs\/CHIP-2.rdml","readings":20,"run":"CHIP-2","type":"finished"}"#)
    }
}
