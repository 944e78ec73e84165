import ExoCore
import ExoFormats
import ExoQuant
import ExoStats
import ExoTestSupport
import Foundation
import Testing

struct DigitalPCRTests {
    /// A printed instrument number and ours agree "to the printed digits": they differ by at most half a unit
    /// in the last printed place, plus QuantaSoft's single-precision arithmetic (1e-6 relative; float32
    /// epsilon is 1.2e-7 and its log and division accumulate a few units).
    ///
    /// QuantaSoft 1.7 writes float32
    /// values in full (`898.375854492188`); only about 7 of those digits are meaningful. Older QuantaSoft
    /// prints 3 significant digits, so a trailing zero of an integer (`2290`) is not a printed digit.
    static func agreesToPrintedDigits(_ value: Double, _ printed: String) -> Bool {
        guard let number = Double(printed) else { return false }
        var lastPlace: Double
        if let dot = printed.firstIndex(of: ".") {
            lastPlace = 1 / pow(10, Double(printed.distance(from: dot, to: printed.endIndex) - 1))
        } else {
            let trailingZeros = printed.reversed().prefix { $0 == "0" }.count
            lastPlace = pow(10, Double(trailingZeros == printed.count ? 0 : trailingZeros))
        }
        if printed.filter(\.isNumber).drop(while: { $0 == "0" }).count >= 9 { lastPlace = 0 }
        return abs(value - number) <= lastPlace / 2 + 1e-6 * abs(number)
    }

    /// Wells whose printed Poisson interval QuantaSoft did not compute by the Wald rule it uses everywhere
    /// else; `docs/qpcr.md` ("Digital PCR") gives the numbers.
    ///
    /// Their concentrations still agree.
    static let intervalExceptions: Set<String> = [
        "dpcr/small.csv C05",  // 90/14109 (Ch1) and 111/14109: printed interval shifted up ~1.3 copies per well
        "dpcr/large_DNA_dilutions_res_dpcr_evagreen.tsv A08",  // 95/19902: the same shift
        "dpcr/large_DNA_dilutions_res_dpcr_probe.tsv C01",  // 15 negative droplets of 18739: λ = 7.1, saturated
        "dpcr/large_DNA_dilutions_res_dpcr_probe.tsv C05",  // 28 negative droplets of 20062: λ = 6.6, saturated
    ]

    static let exports: [(file: String, volume: Double)] = [
        ("dpcr/small.csv", 0.91), ("dpcr/quant.csv", 0.85), ("dpcr/large_DNA_dilutions_res_dpcr_probe.tsv", 0.85),
        ("dpcr/large_DNA_dilutions_res_dpcr_evagreen.tsv", 0.85),
    ]

    static func read(_ relative: String) throws -> PartitionExport {
        try PartitionExport(TextFile(url: Fixture.url(relative), displayPath: relative))
    }

    @Test(arguments: exports)
    func concentrationsAndIntervalsMatchQuantaSoftToThePrintedDigits(file: String, volume: Double) throws {
        let export = try Self.read(file)
        #expect(export.layout == .quantaSoft)
        let quantifier = DigitalPCRQuantifier(partitionVolumeNanoliters: volume, interval: .wald)
        var compared = 0
        for well in export.wells {
            guard let printed = well.instrumentConcentration else { continue }
            let result = quantifier.quantify(positives: well.positives, partitions: well.partitions)
            let concentration = try #require(result.copiesPerMicroliter)
            #expect(
                Self.agreesToPrintedDigits(concentration, printed),
                "\(file) \(well.well): \(concentration) vs \(printed)")
            if let low = well.instrumentLow, let high = well.instrumentHigh, well.positives > 0,
                !Self.intervalExceptions.contains("\(file) \(well.well)")
            {
                #expect(
                    Self.agreesToPrintedDigits(result.copiesPerMicroliterLow, low),
                    "\(file) \(well.well) low: \(result.copiesPerMicroliterLow) vs \(low)")
                #expect(
                    Self.agreesToPrintedDigits(result.copiesPerMicroliterHigh ?? .nan, high),
                    "\(file) \(well.well) high vs \(high)")
            }
            compared += 1
        }
        #expect(compared >= 5, "\(file): only \(compared) wells had a printed concentration")
    }

    /// Both QIAcuity layouts (Tests/Fixtures/dpcr/README.md): the `sep=,` line, an unnamed or named well column,
    /// valid and positive partitions, the printed concentration kept for comparison.
    @Test func qiacuityExportsOfBothLayoutsAreRead() throws {
        let older = try Self.read("dpcr/qiacuity-26k.csv")
        #expect(older.layout == .qiacuity && older.wells.count == 6)
        let a1 = try #require(older.wells.first)
        #expect(a1.well == "A1" && a1.sample == "1" && a1.target == "5p")
        #expect(a1.positives == 1778 && a1.partitions == 25485 && a1.instrumentConcentration == "86.32")
        let newer = try Self.read("dpcr/qiacuity-8.5k.csv")
        #expect(newer.layout == .qiacuity)
        #expect(newer.wells.map(\.well) == ["A1", "A2", "A3", "D5", "E5", "G5"])
        let g5 = try #require(newer.wells.last)
        #expect(g5.sample == "NTC_1" && g5.target == "eGFP" && g5.positives == 1 && g5.partitions == 8249)
        #expect(g5.instrumentConcentration == "0.386" && g5.location.line == 8)
    }

    @Test func qiacuityCountsThatDoNotAddUpAreAnError() throws {
        let text = """
            sep=,
            ,Sample/NTC/Control,Target,Partitions (valid),Partitions (positive),Partitions (negative)
            A1,S1,miR-21,25485,1778,23000
            """
        let error = #expect(throws: InputErrorList.self) {
            try PartitionExport(
                TextFile(bytes: Array(text.utf8), url: URL(fileURLWithPath: "/tmp/q.csv"), displayPath: "q.csv"))
        }
        #expect(error?.errors.map(\.location.description) == ["q.csv:3:25"])
        #expect(
            error?.errors.first?.message
                == "positives (1778) + negatives (23000) differ from the accepted partitions (25485)")
    }

    @Test func readmeReferenceWells() throws {
        // shared/data/dpcr/README.md: probe A01 2143 positives, 17810 negatives → 133.67 copies/µL at 0.85 nL;
        // small.csv A01 1901 / 15820 → 141 (CI 134–147) at 0.91 nL.
        let probe = try Self.read("dpcr/large_DNA_dilutions_res_dpcr_probe.tsv").wells[0]
        #expect(probe.well == "A01" && probe.positives == 2143 && probe.partitions == 19953)
        let result = DigitalPCRQuantifier(partitionVolumeNanoliters: 0.85).quantify(positives: 2143, partitions: 19953)
        #expect(String(format: "%.2f", result.copiesPerMicroliter ?? 0) == "133.67")
        // Wilson (the default), both ends, against R 4.2.2:
        // `ci <- prop.test(2143, 19953, correct = FALSE)$conf.int; sprintf("%.17g", -log(1 - ci) / 0.00085)`.
        let high = try #require(result.copiesPerMicroliterHigh)
        #expect(abs(result.copiesPerMicroliterLow - 128.11983244532189) < 1e-9 * 128.11983244532189)
        #expect(abs(high - 139.44643600489329) < 1e-9 * 139.44643600489329)
    }

    @Test func edgeCasesAreFlaggedNotSilent() {
        let quantifier = DigitalPCRQuantifier(partitionVolumeNanoliters: 0.85)
        let none = quantifier.quantify(positives: 0, partitions: 20_490)
        #expect(none.copiesPerMicroliter == 0 && none.copiesPerMicroliterLow == 0 && none.flags == [.noPositives])
        #expect((none.copiesPerMicroliterHigh ?? 0) > 0, "zero positives still has an upper bound")
        let full = quantifier.quantify(positives: 15_000, partitions: 15_000)
        #expect(full.copiesPerMicroliter == nil && full.copiesPerMicroliterHigh == nil && full.flags == [.saturated])
        let few = quantifier.quantify(positives: 2, partitions: 8_000)
        #expect(few.flags == [.fewPositives, .fewPartitions])
        #expect(quantifier.quantify(positives: 19_900, partitions: 20_000).flags == [.nearSaturation])
    }

    @Test func mergingReplicateWellsPoolsTheirCounts() {
        let quantifier = DigitalPCRQuantifier(partitionVolumeNanoliters: 0.85)
        let merged = quantifier.quantifyMerged([(100, 15_000), (120, 18_000)])
        #expect(merged == quantifier.quantify(positives: 220, partitions: 33_000))
    }

    /// Poisson is the maximum-likelihood estimate: simulated partitions recover the true λ.
    @Test func simulatedPartitionsRecoverTheTrueConcentration() {
        var rng = SeededGenerator(seed: 5)
        let trueLambda = 0.4
        let partitions = 20_000
        var positives = 0
        for _ in 0..<partitions where rng.nextUnitInterval() < 1 - exp(-trueLambda) { positives += 1 }
        let result = DigitalPCRQuantifier(partitionVolumeNanoliters: 0.85).quantify(
            positives: positives, partitions: partitions)
        #expect(result.lambdaLow < trueLambda && trueLambda < (result.lambdaHigh ?? 0))
    }

    @Test func positivesAboveAcceptedIsAnError() throws {
        let text = "well,sample,target,positives,partitions\nA01,S1,miR-21,120,100\nA02,S1,miR-21,x,100\n"
        let error = #expect(throws: InputErrorList.self) {
            try PartitionExport(
                TextFile(bytes: Array(text.utf8), url: URL(fileURLWithPath: "/tmp/p.csv"), displayPath: "p.csv"))
        }
        #expect(error?.errors.map(\.location.description) == ["p.csv:2:15", "p.csv:3:15"])
        #expect(error?.errors.first?.message == "120 positive partitions exceed the 100 accepted partitions")
        #expect(error?.errors.last?.message == "expected a whole number ≥ 0 in column 'positives', found 'x'")
    }
}

/// The same comparison on every QuantaSoft export in `shared/data/dpcr/`, when present.
struct DigitalPCRSharedDataTests {
    @Test(.enabled(if: Fixture.sharedData != nil, "../shared/data is absent in this checkout"))
    func everyExportMatchesTheInstrument() throws {
        let data = try #require(Fixture.sharedData)
        for (file, volume) in [("dpcr/dpcR_data/QX200.csv", 0.85), ("dpcr/dpcR_data/QX200v1.7.4.csv", 0.85)] {
            let export = try PartitionExport(TextFile(url: data.appendingPathComponent(file), displayPath: file))
            let quantifier = DigitalPCRQuantifier(partitionVolumeNanoliters: volume, interval: .wald)
            var mismatches: [String] = []
            for well in export.wells where well.positives > 0 {
                guard let printed = well.instrumentConcentration,
                    let value = quantifier.quantify(positives: well.positives, partitions: well.partitions)
                        .copiesPerMicroliter
                else { continue }
                if !DigitalPCRTests.agreesToPrintedDigits(value, printed) {
                    mismatches.append("\(well.well) \(well.target): \(value) vs \(printed)")
                }
            }
            #expect(mismatches.isEmpty, "\(file): \(mismatches)")
            #expect(export.wells.count >= 24)
        }
    }
}
