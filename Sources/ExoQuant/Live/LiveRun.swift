public import ExoCore
public import ExoFormats

/// The state of one live run: its layout, every reading received, in the instrument's order, and a provisional Cq
/// per qPCR well as soon as it is determinable.
///
/// Readings may arrive out of `seq` order and more than once. A reading whose `seq` (or well and cycle) was already
/// received with the same content is a duplicate and changes nothing; with different content it is refused. Within
/// a well, cycles must increase with `seq`: a cycle that arrives with a smaller `seq` than an earlier cycle of the
/// same well means the instrument's cycle counter went backwards, and is refused. A well's readings reach its
/// ``OnlineCq`` in cycle order once every earlier cycle has arrived.
public struct LiveRun: Sendable {
    /// What a reading did.
    public enum Outcome: Sendable, Hashable {
        /// Stored for the first time.
        case new
        /// Already received with the same content.
        case duplicate
    }

    /// A provisional Cq called during the run.
    public struct Call: Sendable, Hashable {
        public var well: String
        public var sample: String
        public var target: String
        public var cq: OnlineCq.Call
    }

    public let layout: LiveLayout
    public let source: String
    /// Where each layout well sits: its reaction number on the plate (row-major, from 1).
    public let reactionNumbers: [String: Int]
    private var wellIndex: [String: Int]
    /// Per well (layout order): the readings by cycle.
    private var cycleReadings: [WellReadings]
    /// Per well: partition counts (dPCR).
    private var partitionReadings: [LiveReading?]
    private var online: [OnlineCq]
    /// Every `seq` received, to the well and cycle it named.
    private var bySeq = SeqIndex()
    /// Every `seq` up to this one has been received.
    public private(set) var contiguousSeq = 0
    /// The `seq` of the run's `end` message, once received.
    public private(set) var endSeq: Int?
    public private(set) var readingCount = 0
    /// Provisional Cq calls, in the order they were made.
    public private(set) var calls: [Call] = []

    /// A run with no readings yet.
    ///
    /// - Parameters:
    ///   - layout: the announced layout.
    ///   - source: the name of the stream, for error locations (`stdin`).
    ///   - options: how provisional Cqs are called.
    /// - Throws: `InputError` when a well is not on the plate.
    public init(layout: LiveLayout, source: String = "stdin", options: OnlineCq.Options = OnlineCq.Options()) throws {
        self.layout = layout
        self.source = source
        let format = PlateFormat(rows: layout.rows, columns: layout.columns, rowLabel: "ABC", columnLabel: "123")
        var positions: [String: Int] = [:]
        for well in layout.wells {
            guard let number = format.reactionNumber(ofLabel: well.well) else {
                throw InputError(
                    .unknownWell, at: InputLocation(path: source),
                    "run '\(layout.run)': well \(InputError.quoted(well.well)) is not on a \(layout.rows)×\(layout.columns) plate",
                    hint:
                        "wells are named by row letter and column number, A1 to \(format.label(ofReaction: layout.rows * layout.columns) ?? "?")"
                )
            }
            positions[well.well] = number
        }
        reactionNumbers = positions
        wellIndex = Dictionary(uniqueKeysWithValues: layout.wells.enumerated().map { ($1.well, $0) })
        cycleReadings = Array(repeating: WellReadings(), count: layout.wells.count)
        partitionReadings = Array(repeating: nil, count: layout.wells.count)
        online = Array(repeating: OnlineCq(options: options), count: layout.wells.count)
    }

    /// The number of readings the run has: one per well and cycle (qPCR) or per well (dPCR).
    public var capacity: Int { layout.wells.count * (layout.assay == .digitalPCR ? 1 : layout.cycles ?? 1) }

    /// Whether the run has ended and every reading before its end has arrived.
    public var isComplete: Bool { endSeq.map { contiguousSeq >= $0 } ?? false }

    /// Receives one reading; a new qPCR reading may make provisional calls (appended to ``calls``).
    ///
    /// - Parameters:
    ///   - reading: the reading, already parsed.
    ///   - text: the line the reading was read from, for the column of a field in errors.
    /// - Returns: whether it was new or a duplicate.
    /// - Throws: `InputError` for a well the layout does not have, the wrong kind of reading, a cycle beyond the run,
    ///   cycles going backwards, a reading after the run's end, or a conflicting duplicate; the run is unchanged.
    @discardableResult
    public mutating func receive(_ reading: LiveReading, text: ArraySlice<UInt8>? = nil) throws -> Outcome {
        let location = Located(path: source, line: reading.line, text: text)
        guard let index = wellIndex[reading.well] else {
            // A suggestion only for a label of plausible length: a hostile one is not compared with every well.
            let nearest =
                reading.well.utf8.count <= 8
                ? EditDistance.suggestion(for: reading.well, in: layout.wells.map(\.well)) : nil
            throw InputError(
                .unknownWell, at: location["well"],
                "run '\(layout.run)' has no well \(InputError.quoted(reading.well)) in its layout",
                hint: nearest.map { "did you mean '\($0)'? The layout lists \(layout.wells.count) wells" }
                    ?? "the layout lists \(layout.wells.count) wells")
        }
        guard reading.seq <= capacity else {
            throw InputError(
                .invalidValue, at: location["seq"],
                "run '\(layout.run)': seq \(reading.seq) is beyond the run's \(capacity) readings",
                hint: "seqs number the run's readings 1, 2, … without gaps; the end message takes the next one")
        }
        if let end = endSeq, reading.seq >= end {
            throw InputError(
                .cycleOrder, at: location["seq"],
                "run '\(layout.run)': reading seq \(reading.seq) comes at or after the run's end (seq \(end))",
                hint: "the end message carries the seq after the last reading")
        }
        switch layout.assay {
        case .digitalPCR: return try receivePartitions(reading, well: index, at: location)
        default: return try receiveCycle(reading, well: index, at: location)
        }
    }

    private mutating func receiveCycle(_ reading: LiveReading, well index: Int, at location: Located) throws
        -> Outcome
    {
        guard let cycle = reading.cycle, let value = reading.fluorescence else {
            throw InputError(
                .invalidValue, at: location["cycle"],
                "run '\(layout.run)' is a qPCR run: readings carry 'cycle' and 'fluorescence', not partition counts")
        }
        if let cycles = layout.cycles, cycle > cycles {
            throw InputError(
                .invalidValue, at: location["cycle"],
                "run '\(layout.run)': cycle \(cycle) is beyond the run's \(cycles) cycles",
                hint: "the layout's 'cycles' is the number of cycles the run reads")
        }
        let well = layout.wells[index].well
        if let earlier = bySeq[reading.seq] {
            let existing = cycleReadings[earlier.well][earlier.cycle]
            if earlier.well == index, earlier.cycle == cycle, existing?.value == value { return .duplicate }
            throw InputError(
                .conflictingReading, at: location["seq"],
                "run '\(layout.run)': seq \(reading.seq) was already received for well '\(layout.wells[earlier.well].well)' cycle \(earlier.cycle) with other content",
                hint: "a seq names one reading; resend it unchanged or number new readings with new seqs")
        }
        if let existing = cycleReadings[index][cycle] {
            throw InputError(
                .conflictingReading, at: location["cycle"],
                "run '\(layout.run)': well '\(well)' cycle \(cycle) was already received as seq \(existing.seq)",
                hint: "each well reads each cycle once")
        }
        // Within a well seqs rise with cycles, so the nearest cycle received on either side is the one to compare.
        let received = cycleReadings[index]
        let below = stride(from: cycle - 1, through: 1, by: -1).first { received[$0] != nil }
        let above = (cycle + 1..<max(cycle + 1, received.highest + 1)).first { received[$0] != nil }
        for otherCycle in [below, above].compactMap({ $0 }) {
            guard let other = received[otherCycle],
                (otherCycle < cycle && other.seq > reading.seq) || (otherCycle > cycle && other.seq < reading.seq)
            else { continue }
            throw InputError(
                .cycleOrder, at: location["cycle"],
                "run '\(layout.run)': cycles go backwards in well '\(well)': cycle \(cycle) has seq \(reading.seq), cycle \(otherCycle) has seq \(other.seq)",
                hint: "within a well, later cycles need larger seqs; check the instrument's cycle counter")
        }
        cycleReadings[index].set(cycle: cycle, seq: reading.seq, value: value)
        record(seq: reading.seq, well: index, cycle: cycle)
        while let next = cycleReadings[index][online[index].cycles + 1] {
            if let call = online[index].append(next.value) {
                let entry = layout.wells[index]
                calls.append(Call(well: entry.well, sample: entry.sample, target: entry.target, cq: call))
            }
        }
        return .new
    }

    private mutating func receivePartitions(_ reading: LiveReading, well index: Int, at location: Located) throws
        -> Outcome
    {
        guard reading.positives != nil, reading.partitions != nil else {
            throw InputError(
                .invalidValue, at: location["positives"],
                "run '\(layout.run)' is a dPCR run: readings are 'partitions' messages with counts, not fluorescence")
        }
        if let existing = partitionReadings[index] {
            if existing.sameContent(as: reading) { return .duplicate }
            throw InputError(
                .conflictingReading, at: location["seq"],
                "run '\(layout.run)': well '\(layout.wells[index].well)' was already counted (seq \(existing.seq))",
                hint: "a dPCR well is counted once")
        }
        if let earlier = bySeq[reading.seq] {
            throw InputError(
                .conflictingReading, at: location["seq"],
                "run '\(layout.run)': seq \(reading.seq) was already received for well '\(layout.wells[earlier.well].well)'",
                hint: "a seq names one reading")
        }
        partitionReadings[index] = reading
        record(seq: reading.seq, well: index, cycle: 0)
        return .new
    }

    private mutating func record(seq: Int, well: Int, cycle: Int) {
        bySeq.set(seq, well: well, cycle: cycle)
        readingCount += 1
        advanceContiguous()
    }

    private mutating func advanceContiguous() {
        while bySeq.contains(contiguousSeq + 1) || endSeq == contiguousSeq + 1 { contiguousSeq += 1 }
    }

    /// Receives the run's end.
    ///
    /// - Parameters:
    ///   - seq: the end message's seq, after every reading's.
    ///   - line: the line it was read from.
    /// - Returns: whether it was new or a duplicate.
    /// - Throws: `InputError` when a reading already received has a seq at or after it, or the run ended differently.
    @discardableResult
    public mutating func end(seq: Int, line: Int = 0) throws -> Outcome {
        let location = InputLocation(path: source, line: line)
        if let endSeq {
            guard endSeq == seq else {
                throw InputError(
                    .conflictingReading, at: location,
                    "run '\(layout.run)' already ended at seq \(endSeq), not \(seq)")
            }
            return .duplicate
        }
        guard seq <= capacity + 1 else {
            throw InputError(
                .invalidValue, at: location,
                "run '\(layout.run)' ends at seq \(seq), beyond its \(capacity) readings",
                hint: "seqs number the run's readings 1, 2, … without gaps; the end message takes the next one")
        }
        if let last = bySeq.largest, last >= seq {
            throw InputError(
                .cycleOrder, at: location,
                "run '\(layout.run)' ends at seq \(seq) but a reading with seq \(last) was received",
                hint: "the end message carries the seq after the last reading")
        }
        endSeq = seq
        advanceContiguous()
        return .new
    }

    /// The seqs missing before the end (empty when none is known to be missing).
    public var missingSeqs: [Int] {
        guard let end = endSeq else { return [] }
        return (1..<end).filter { !bySeq.contains($0) }
    }

    /// Every well's fluorescence by cycle (cycles 1… as received; a missing cycle is left out).
    public func amplification(ofWell index: Int) -> [(cycle: Double, fluorescence: Double)] {
        cycleReadings[index].cycles.compactMap { cycle in
            cycleReadings[index][cycle].map { (Double(cycle), $0.value) }
        }
    }

    /// A dPCR well's counts, when received.
    public func partitions(ofWell index: Int) -> (positives: Int, partitions: Int)? {
        guard let reading = partitionReadings[index], let positives = reading.positives,
            let partitions = reading.partitions
        else { return nil }
        return (positives, partitions)
    }

    /// The provisional call of each well (by layout index), when made.
    public func onlineCall(ofWell index: Int) -> OnlineCq.Call? { online[index].call }

    /// The finished run as an RDML document (qPCR): one reaction per layout well at its plate position, the
    /// layout's samples, targets and dye chemistry.
    ///
    /// - Parameter path: the path the document will have.
    /// - Returns: the document.
    public func rdmlDocument(path: String) -> RDMLDocument {
        var samples: [String: RDMLSample] = [:]
        for well in layout.wells where samples[well.sample] == nil {
            let kind = RDMLSample.Kind(rawValue: well.type) ?? .unkn
            samples[well.sample] = RDMLSample(
                id: well.sample, kind: kind, quantity: well.quantity, quantityUnit: well.quantity == nil ? nil : "cop")
        }
        let dye = "dye"
        let chemistry = layout.chemistry ?? AmplificationCurve.Chemistry.nonSaturatingDye.rawValue
        let targets = Array(Set(layout.wells.map(\.target))).sorted().map { RDMLTarget(id: $0, dye: dye) }
        let ordered = layout.wells.indices.sorted {
            reactionNumbers[layout.wells[$0].well] ?? 0 < reactionNumbers[layout.wells[$1].well] ?? 0
        }
        let reactions = ordered.map { index in
            let well = layout.wells[index]
            return RDMLReaction(
                id: reactionNumbers[well.well] ?? index + 1, sample: well.sample,
                data: [(well.target, amplification(ofWell: index))])
        }
        return RDMLDocument(
            path: path, dyes: [dye], dyeChemistry: [dye: chemistry], samples: samples.values.sorted { $0.id < $1.id },
            targets: targets,
            runs: [
                RDMLRun(
                    experiment: "live", id: layout.run, rows: layout.rows, columns: layout.columns,
                    reactions: reactions)
            ])
    }
}

/// Which well and cycle each seq named: an array indexed by seq.
private struct SeqIndex: Sendable {
    /// well << 16 | cycle, or −1 for a seq not received.
    private var entries: [Int] = []
    private(set) var largest: Int?

    subscript(seq: Int) -> (well: Int, cycle: Int)? {
        guard seq < entries.count, entries[seq] >= 0 else { return nil }
        return (entries[seq] >> 16, entries[seq] & 0xFFFF)
    }

    func contains(_ seq: Int) -> Bool { seq < entries.count && entries[seq] >= 0 }

    mutating func set(_ seq: Int, well: Int, cycle: Int) {
        if seq >= entries.count {
            entries.append(contentsOf: repeatElement(-1, count: max(seq + 1 - entries.count, entries.count)))
        }
        entries[seq] = well << 16 | cycle
        largest = max(largest ?? seq, seq)
    }
}

/// One well's readings by cycle.
private struct WellReadings: Sendable {
    private var seqs: [Int] = []
    private var values: [Double] = []
    /// The cycles received, in order.
    var cycles: [Int] { seqs.indices.filter { seqs[$0] > 0 } }

    /// The highest cycle received (0 before any).
    private(set) var highest = 0

    subscript(cycle: Int) -> (seq: Int, value: Double)? {
        guard cycle < seqs.count, seqs[cycle] > 0 else { return nil }
        return (seqs[cycle], values[cycle])
    }

    mutating func set(cycle: Int, seq: Int, value: Double) {
        if cycle >= seqs.count {
            let grow = max(cycle + 1 - seqs.count, 48)
            seqs.append(contentsOf: repeatElement(0, count: grow))
            values.append(contentsOf: repeatElement(.nan, count: grow))
        }
        seqs[cycle] = seq
        values[cycle] = value
        highest = max(highest, cycle)
    }
}

/// A reading's line, with the column of each of its fields.
private struct Located {
    let path: String
    let line: Int
    let text: ArraySlice<UInt8>?

    subscript(field: String) -> InputLocation {
        InputLocation(path: path, line: line, column: text.map { LiveMessageReader.column(of: field, in: Array($0)) })
    }
}
