public import ExoCore
public import ExoFormats
import ExoStats
import Foundation

/// A simulated qPCR chip run, streamed as the live protocol or written as the finished RDML file.
///
/// Curve model (as the demo study's run): F(c) = B + d·c + Fmax · x / (1 + x), x = 0.001 · E^(c − Cq), with
/// B ~ U(450, 550), d ~ U(−1, 1), Fmax ~ U(9000, 11000), Gaussian noise of `noise` × Fmax, fluorescence to three
/// decimals as an instrument reports it. A well without a template stays at baseline. The failing well (an air
/// bubble) holds template but never amplifies: its readings jump by a third of Fmax at three single cycles.
///
/// Readings are numbered cycle by cycle, every well in plate order within a cycle, as a cycler reads a plate.
public struct ChipSimulator: Sendable {
    /// The plate or chip.
    public enum Format: String, Sendable, CaseIterable {
        /// A 96-well plate, 8 rows × 12 columns.
        case plate96 = "96"
        /// A 96.96 dynamic array: 96 samples × 96 assays, 9,216 reactions (as 96 × 96 positions).
        case chip96x96 = "96x96"

        public var rows: Int { self == .plate96 ? 8 : 96 }
        public var columns: Int { self == .plate96 ? 12 : 96 }
    }

    /// What one well holds.
    public struct Assignment: Sendable, Hashable {
        public var sample: String
        public var target: String
        /// RDML sample type (`unkn`, `std`, `ntc`).
        public var type: String
        public var quantity: Double?
        /// The model Cq, or `nil` for no template.
        public var cq: Double?
        /// The amplification factor per cycle.
        public var efficiency: Double

        /// Creates an assignment.
        public init(
            sample: String, target: String, type: String = "unkn", quantity: Double? = nil, cq: Double?,
            efficiency: Double = 1.95
        ) {
            self.sample = sample
            self.target = target
            self.type = type
            self.quantity = quantity
            self.cq = cq
            self.efficiency = efficiency
        }
    }

    public var run: String
    public var format: Format
    public var cycles: Int
    /// Noise SD as a fraction of Fmax.
    public var noise: Double
    public var seed: UInt64
    /// The wells, in plate order (at most rows × columns).
    public var assignments: [Assignment]
    /// The index of the failing well, or `nil` for none.
    public var failingWell: Int?

    /// Creates a simulator.
    public init(
        run: String, format: Format, cycles: Int = 40, noise: Double = 0.002, seed: UInt64,
        assignments: [Assignment], failingWell: Int?
    ) {
        self.run = run
        self.format = format
        self.cycles = cycles
        self.noise = noise
        self.seed = seed
        self.assignments = Array(assignments.prefix(format.rows * format.columns))
        self.failingWell = failingWell
    }

    /// The same run with another noise level.
    public func withNoise(_ noise: Double) -> ChipSimulator {
        var copy = self
        copy.noise = noise
        return copy
    }

    /// The well labels, in plate order.
    public var wellLabels: [String] {
        let plate = PlateFormat(rows: format.rows, columns: format.columns)
        return assignments.indices.map { plate.label(ofReaction: $0 + 1) ?? "\($0 + 1)" }
    }

    /// The announced layout.
    public var layout: LiveLayout {
        LiveLayout(
            run: run, assay: .qPCR, cycles: cycles, chemistry: "non-saturating DNA binding dye", rows: format.rows,
            columns: format.columns, instrument: "ExoScope chip simulator (seed \(seed))",
            wells: zip(wellLabels, assignments).map { label, assignment in
                LiveLayout.Well(
                    well: label, sample: assignment.sample, target: assignment.target, type: assignment.type,
                    quantity: assignment.quantity)
            })
    }

    /// Every well's fluorescence by cycle (index 0 = cycle 1).
    public func curves() -> [[Double]] {
        var rng = SeededGenerator(seed: seed)
        return assignments.enumerated().map { index, assignment in
            let base = 450 + 100 * rng.nextUnitInterval()
            let drift = 2 * rng.nextUnitInterval() - 1
            let fmax = 9_000 + 2_000 * rng.nextUnitInterval()
            let spikes: Set<Int> =
                index == failingWell
                ? Set((0..<3).map { _ in 8 + Int(rng.nextUnitInterval() * Double(max(cycles - 10, 1))) }) : []
            return (1...cycles).map { cycle in
                var signal = 0.0
                if let cq = assignment.cq, index != failingWell {
                    let x = 0.001 * pow(assignment.efficiency, Double(cycle) - cq)
                    signal = fmax * x / (1 + x)
                }
                if spikes.contains(cycle) { signal += fmax / 3 }
                let value =
                    base + drift * Double(cycle) + signal + rng.nextNormal(mean: 0, standardDeviation: noise * fmax)
                return (value * 1_000).rounded() / 1_000
            }
        }
    }

    /// The readings in seq order (cycle by cycle, wells in plate order), and the end's seq.
    public func readings() -> (readings: [LiveReading], endSeq: Int) {
        let curves = curves()
        let labels = wellLabels
        var readings: [LiveReading] = []
        readings.reserveCapacity(curves.count * cycles)
        for cycle in 1...cycles {
            for (index, curve) in curves.enumerated() {
                readings.append(
                    LiveReading(
                        run: run, seq: readings.count + 1, well: labels[index], cycle: cycle,
                        fluorescence: curve[cycle - 1]))
            }
        }
        return (readings, readings.count + 1)
    }

    /// The whole stream as protocol lines: the layout, every reading, the end.
    public func lines() -> [String] {
        let (readings, end) = readings()
        return [LiveProtocolWriter.line(layout)] + readings.map(LiveProtocolWriter.line)
            + [LiveProtocolWriter.endLine(run: run, seq: end)]
    }

    /// The finished run as the instrument would export it.
    public func rdmlDocument(path: String) -> RDMLDocument {
        let curves = curves()
        var samples: [String: RDMLSample] = [:]
        for assignment in assignments where samples[assignment.sample] == nil {
            samples[assignment.sample] = RDMLSample(
                id: assignment.sample, kind: RDMLSample.Kind(rawValue: assignment.type) ?? .unkn,
                quantity: assignment.quantity, quantityUnit: assignment.quantity == nil ? nil : "cop")
        }
        let reactions = assignments.enumerated().map { index, assignment in
            RDMLReaction(
                id: index + 1, sample: assignment.sample,
                data: [(assignment.target, curves[index].enumerated().map { (Double($0.offset + 1), $0.element) })])
        }
        return RDMLDocument(
            path: path, dyes: ["dye"], dyeChemistry: ["dye": "non-saturating DNA binding dye"],
            samples: samples.values.sorted { $0.id < $1.id },
            targets: Set(assignments.map(\.target)).sorted().map { RDMLTarget(id: $0, dye: "dye") },
            runs: [
                RDMLRun(experiment: "live", id: run, rows: format.rows, columns: format.columns, reactions: reactions)
            ])
    }
}

/// Writes protocol lines (the simulator's, and tests').
public enum LiveProtocolWriter {
    /// A layout message.
    public static func line(_ layout: LiveLayout) -> String {
        var object: [String: Any] = [
            "type": "run", "protocol": LiveMessage.protocolVersion, "run": layout.run, "assay": layout.assay.rawValue,
            "rows": layout.rows, "columns": layout.columns,
            "wells": layout.wells.map { well -> [String: Any] in
                var entry: [String: Any] = ["well": well.well, "sample": well.sample, "target": well.target]
                if well.type != "unkn" { entry["type"] = well.type }
                if let quantity = well.quantity { entry["quantity"] = quantity }
                return entry
            },
        ]
        if let cycles = layout.cycles { object["cycles"] = cycles }
        if let chemistry = layout.chemistry { object["chemistry"] = chemistry }
        if let instrument = layout.instrument { object["instrument"] = instrument }
        if let volume = layout.partitionVolumeNanoliters { object["partitionVolumeNanoliters"] = volume }
        return LiveIngest.json(object)
    }

    /// A reading message, with its fields in a fixed order.
    public static func line(_ reading: LiveReading) -> String {
        if let positives = reading.positives, let partitions = reading.partitions {
            return
                "{\"type\":\"partitions\",\"run\":\"\(reading.run)\",\"seq\":\(reading.seq),\"well\":\"\(reading.well)\",\"positives\":\(positives),\"partitions\":\(partitions)}"
        }
        let cycle = reading.cycle ?? 0
        let value = reading.fluorescence ?? 0
        return
            "{\"type\":\"reading\",\"run\":\"\(reading.run)\",\"seq\":\(reading.seq),\"well\":\"\(reading.well)\",\"cycle\":\(cycle),\"fluorescence\":\(value)}"
    }

    /// An end message.
    public static func endLine(run: String, seq: Int) -> String {
        "{\"type\":\"end\",\"run\":\"\(run)\",\"seq\":\(seq)}"
    }
}

extension ChipSimulator {
    /// A run of a study's monitored patients: the study's monitored miRNAs and spike-ins on the samples of patients
    /// with serial samples (every sample when none has a `day`), each at the mean Cq the study already holds for it
    /// (a draw between 25 and 31 when it holds none), one no-template control per target.
    ///
    /// A 96-well plate holds the controls first, then sample × target in sheet order until the plate is full. A
    /// 96 × 96 chip puts one sample per row (rows beyond the samples hold no template) and one assay per column,
    /// the targets repeated across the 96 columns as technical replicates.
    ///
    /// - Parameters:
    ///   - study: the loaded study.
    ///   - measurements: the study's stored values, for each sample's Cq.
    ///   - run: the run id.
    ///   - format: plate or chip.
    ///   - cycles: cycles to read.
    ///   - seed: the seed of the curves and of the drawn Cqs.
    ///   - failingWell: the label of the failing well, or `nil`.
    /// - Returns: the simulator.
    /// - Throws: `InputErrorList` when the study names no monitored miRNA or spike-in.
    public static func of(
        _ study: LoadedStudy, measurements: [SampleMeasurement], run: String, format: Format, cycles: Int,
        seed: UInt64, failingWell: String?
    ) throws -> ChipSimulator {
        let targets = (study.definition.monitored + study.definition.spikeIns).map(\.name)
        guard !targets.isEmpty else {
            throw InputErrorList([
                InputError(
                    .missingKey, at: InputLocation(path: StudyFile.fileName),
                    "the study names no monitored miRNA or spike-in to put on the chip",
                    hint: "list them under analytes.monitored and analytes.spikeIns")
            ])
        }
        let serial = study.samples.filter { $0.timepoint.dayOffset != nil }
        let samples = (serial.isEmpty ? study.samples : serial).map(\.id.rawValue)
        var sums: [String: (Double, Int)] = [:]
        for value in measurements where value.unit == .cq {
            guard let cq = value.value else { continue }
            let key = "\(value.sample.rawValue)\t\(value.analyte.name)"
            sums[key] = ((sums[key]?.0 ?? 0) + cq, (sums[key]?.1 ?? 0) + 1)
        }
        var rng = SeededGenerator(seed: seed ^ 0x5EED)
        func cq(_ sample: String, _ target: String) -> Double {
            if let (sum, count) = sums["\(sample)\t\(target)"] { return sum / Double(count) }
            return 25 + 6 * rng.nextUnitInterval()
        }
        var assignments: [Assignment] = []
        switch format {
        case .plate96:
            assignments = targets.map { Assignment(sample: "NTC", target: $0, type: "ntc", cq: nil) }
            for sample in samples {
                for target in targets where assignments.count < 96 {
                    assignments.append(Assignment(sample: sample, target: target, cq: cq(sample, target)))
                }
            }
        case .chip96x96:
            for row in 0..<96 {
                for column in 0..<96 {
                    let target = targets[column % targets.count]
                    if row < samples.count {
                        let sample = samples[row]
                        assignments.append(Assignment(sample: sample, target: target, cq: cq(sample, target)))
                    } else {
                        assignments.append(Assignment(sample: "NTC", target: target, type: "ntc", cq: nil))
                    }
                }
            }
        }
        var simulator = ChipSimulator(
            run: run, format: format, cycles: cycles, seed: seed, assignments: assignments, failingWell: nil)
        if let failingWell {
            guard let index = simulator.wellLabels.firstIndex(of: failingWell) else {
                throw InputErrorList([
                    InputError(
                        .unknownWell, at: InputLocation(path: "--failing-well"),
                        "well \(InputError.quoted(failingWell)) is not on the \(format.rawValue) layout",
                        hint: "a well label such as B1, or 'none'")
                ])
            }
            simulator.failingWell = index
        }
        return simulator
    }
}
