import ExoCore
import ExoFormats
import ExoQC
import ExoTestSupport
import Foundation
import Testing

/// NTA exports: statistics from the histogram against what the NTA software printed in the same file.
struct NTASummaryTests {
    /// Every capture of every real export in ../shared/data/nta: the largest |ours − printed| per statistic.
    @Test(.enabled(if: Fixture.sharedData != nil, "../shared/data is absent in this checkout"))
    func histogramStatisticsAgreeWithThePrintedOnes() throws {
        let folder = try #require(Fixture.sharedData).appendingPathComponent("nta")
        let files = try FileManager.default.subpathsOfDirectory(atPath: folder.path)
            .filter {
                ($0.hasSuffix("ExperimentSummary.csv") && !$0.contains("mouse_plasma")) || $0.hasSuffix("beads.csv")
                    || $0.hasSuffix("beads2.csv")
            }
        var worst: [String: Double] = [:]
        var captures = 0
        for file in files.sorted() {
            let export = try NTAExperimentSummary(url: folder.appendingPathComponent(file), displayPath: file)
            for (index, bins) in export.binConcentrations.enumerated() {
                let stats = try #require(SizeDistribution(centres: export.binCentres, concentrations: bins))
                captures += 1
                let pairs: [(String, Double, Double?)] = [
                    ("concentration", stats.concentration / export.concentrations[index] - 1, 0),
                    ("mean", stats.mean, export.reported["Mean"]?[index]),
                    ("mode", stats.mode, export.reported["Mode"]?[index]),
                    ("sd", stats.sd, export.reported["SD"]?[index]), ("d10", stats.d10, export.reported["D10"]?[index]),
                    ("d50", stats.d50, export.reported["D50"]?[index]),
                    ("d90", stats.d90, export.reported["D90"]?[index]),
                ]
                for (name, ours, printed) in pairs {
                    guard let printed else { continue }
                    worst[name] = max(worst[name] ?? 0, abs(ours - printed))
                }
            }
        }
        // Printed: concentration to 3 digits, sizes to 0.1 nm; NTA's mode and D-values come from individual tracks,
        // ours from the 1-nm histogram (docs/ev-qc.md): 67 captures of 13 files gave 0.31 %, 0.050, 0.050, 0.5, 1.05.
        #expect(captures >= 60)
        #expect((worst["concentration"] ?? 1) <= 0.005)
        #expect((worst["mean"] ?? 1) <= 0.06 && (worst["sd"] ?? 1) <= 0.06)
        #expect((worst["mode"] ?? 1) <= 0.5)
        #expect(max(worst["d10"] ?? 9, worst["d50"] ?? 9, worst["d90"] ?? 9) <= 1.1)
    }
}

/// What `qc nta` reports against what the instrument printed: the file row against the printed `Average`, each
/// capture row against the capture's printed values, over every real export in ../shared/data/nta.
struct NTAPrintedAverageTests {
    /// The printed rows compared, by `NTAExperimentSummary.printed` name, with the summary's value.
    static let fields: [(name: String, value: @Sendable (SizeSummary) -> Double?)] = [
        ("Concentration", \.concentration), ("Mean", \.mean), ("Mode", \.mode), ("SD", \.sd), ("D10", \.d10),
        ("D50", \.d50), ("D90", \.d90),
    ]

    /// Every file under ../shared/data/nta: NTA exports are compared, anything else is listed as skipped with why.
    @Test(.enabled(if: Fixture.sharedData != nil, "../shared/data is absent in this checkout"))
    func theFileRowIsThePrintedAverageOfEveryRealExport() throws {
        let folder = try #require(Fixture.sharedData).appendingPathComponent("nta")
        let files = try FileManager.default.subpathsOfDirectory(atPath: folder.path).sorted()
        var compared = (files: 0, averages: 0, captures: 0)
        var skipped: [String] = []
        var closest = 0.0
        for file in files {
            let url = folder.appendingPathComponent(file)
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory), !isDirectory.boolValue
            else { continue }
            let data = try Data(contentsOf: url)
            guard data.starts(with: Array("NTA Experiment Summary File".utf8)) else {
                skipped.append("\(file) (not an NTA Experiment Summary File)")
                continue
            }
            let summary = try NTAExperimentSummary(bytes: [UInt8](data), displayPath: file)
            let export = try ParticleSizeExport.read(data: data, displayPath: file)
            let row = SizeSummary(file: export)
            #expect(row.source == .instrument, "\(file)")
            compared.files += 1
            for (name, value) in Self.fields {
                // Every real export prints an Average for concentration and the six size statistics.
                let average = try #require(summary.printedAverage[name], "\(file): no printed Average of \(name)")
                let captures = try #require(summary.printed[name]).map { try #require($0, "\(file): \(name)") }
                let ours = try #require(value(row), "\(file): \(name)")
                // The mean of values each rounded to its printed digit is off by at most the mean half-digit; the
                // printed Average by half its own digit.
                let tolerance =
                    average.resolution / 2 + captures.map { $0.resolution / 2 }.reduce(0, +) / Double(captures.count)
                #expect(
                    abs(ours - average.value) <= tolerance * (1 + 1e-9),
                    "\(file) \(name): ours \(ours), printed \(average.value) ± \(tolerance)")
                closest = max(closest, abs(ours - average.value) / tolerance)
                compared.averages += 1
                // Each capture row is exactly what the software printed for it.
                for (index, printed) in captures.enumerated() {
                    #expect(value(SizeSummary(capture: index, of: export)) == printed.value, "\(file) \(name) \(index)")
                    compared.captures += 1
                }
            }
        }
        print(
            "NTA printed Average: \(compared.files) files, \(compared.averages) averaged fields, \(compared.captures) capture fields compared; largest difference \(String(format: "%.2f", closest)) of the printed rounding; skipped \(skipped.joined(separator: ", "))"
        )
        // 13 exports (2 bead standards, 11 Alteromonas vesicle samples) × 7 printed rows, 67 captures.
        #expect(compared.files == 13 && compared.averages == 91 && compared.captures == 469)
    }

    /// The issue's example: the instrument prints a mode of 98.6 nm for AD45_F3; the averaged histogram's fullest
    /// bin is at 108.5 nm and stays available as the histogram column.
    @Test(.enabled(if: Fixture.sharedData != nil, "../shared/data is absent in this checkout"))
    func theModeIsTheInstrumentsNotTheAveragedHistograms() throws {
        let url = try #require(Fixture.sharedData).appendingPathComponent(
            "nta/alteromonas_mvs/AD45_F3_2021-11-02_16-09-42-ExperimentSummary.csv")
        let export = try ParticleSizeExport.read(url: url, displayPath: "AD45_F3.csv")
        let row = SizeSummary(file: export)
        #expect(abs((row.mode ?? 0) - 98.6) < 1e-9 && row.histogram?.mode == 108.5)
        #expect(abs((row.concentration ?? 0) - 2.02e8) < 1e-6 * 2.02e8)
        // "Unreliable" in 2 of 5 captures' concentration validity; "High noise" in all 5 ([Information]).
        #expect(export.flaggedFraction(.unreliableConcentration) == 0.4)
        #expect(export.flaggedFraction(.highNoise) == 1)
    }

    @Test(arguments: [
        ("98.6", 98.6, 0.1), ("2.02e+08", 2.02e8, 1e6), ("6.67e+10", 6.67e10, 1e8), ("1470000000", 1.47e9, 1e7),
        ("4286", 4286, 1), ("0", 0, 1), ("-0.3", -0.3, 0.1), ("1872.0", 1872, 0.1), ("96", 96, 1),
    ])
    func printedNumbersKnowTheirRounding(text: String, value: Double, resolution: Double) throws {
        let printed = try #require(NTAPrintedValue(text: text))
        #expect(printed.value == value)
        #expect(abs(printed.resolution / resolution - 1) < 1e-12)
    }

    @Test(arguments: ["", "Not recorded", "OK", "1.2.3", "nan", "inf"])
    func textIsNotAPrintedNumber(text: String) {
        #expect(NTAPrintedValue(text: text) == nil)
    }

    /// A format that prints no statistics (the size-bin CSV) reports its histograms' instead, averaged over captures
    /// for the file, and no instrument check is measured.
    @Test func formatsWithoutPrintedStatisticsUseTheHistograms() throws {
        let export = try ParticleSizeExport.read(
            text: "size_nm,a,b\n50,1,0\n60,3,1\n70,0,3\n", displayPath: "bins.csv")
        let file = SizeSummary(file: export)
        #expect(file.source == .histogram && export.printed.isEmpty)
        #expect(file.mode == 65, "the mean of the captures' modes, 60 and 70")
        #expect(file.histogram?.mode == 60, "the pooled histogram's fullest bin")
        #expect(file.concentration == 4 && file.captureCV == 0)
        #expect(SizeSummary(capture: 1, of: export).mode == 70)
        #expect(export.flaggedFraction(.unreliableConcentration) == nil)
    }
}

/// The committed bead export (Tests/Fixtures/nta, MIT) and the bad-input cases derived from it.
struct NTAReaderTests {
    static func text() throws -> String {
        String(decoding: try Data(contentsOf: Fixture.url("nta/beads2-ExperimentSummary.csv")), as: UTF8.self)
    }

    @Test func theBeadExportIsReadBySection() throws {
        let export = try NTAExperimentSummary(text: try Self.text(), displayPath: "beads2.csv")
        #expect(export.software == "NTA 3.4 Build 3.4.003")
        #expect(export.captures == ["stdv34_00", "stdv34_01", "stdv34_02", "stdv34_03", "stdv34_04"])
        #expect(export.dilution == 10_000 && export.concentrations == [5.91e12, 6.05e12, 6.01e12, 6.25e12, 6.24e12])
        #expect(export.binCentres.count == 1000 && export.binCentres.first == 0.5)
        #expect(export.warnings.filter { $0.value == "Moderate vibration" }.count == 2)
        let stats = try #require(
            SizeDistribution(centres: export.binCentres, concentrations: export.binConcentrations[0]))
        // Printed for stdv34_00: Mean 100.5, SD 11.0, D50 98.6, concentration 5.91e+12.
        #expect(abs(stats.mean - 100.5) <= 0.05 && abs(stats.sd - 11.0) <= 0.05)
        #expect(abs(stats.d50 - 98.6) <= 1.1 && abs(stats.concentration / 5.91e12 - 1) <= 0.005)
        #expect(stats.fractionInRange > 0.99, "100 nm beads lie inside 30–150 nm")
    }

    /// Each broken variant: the line replaced, and the exact message.
    @Test(arguments: [
        (
            "Created with NTA 3.4 Build 3.4.003,", "Created with NTA 2.3 Build 0033,",
            "bad.csv:2: error: NTA software 'NTA 2.3 Build 0033' is not supported; ExoScope reads NTA 3.1–3.4 exports\n  hint: export from NTA 3.x, or convert the size bins to the generic size-bin table"
        ),
        (
            "[Results],,,,,,Average,Standard Error,", "[Resultz],,,,,,Average,Standard Error,",
            "bad.csv:1: error: missing section '[Results]'"
        ),
        (
            "Concentration (Particles / ml),5.91e+12,6.05e+12", "Concentration (Particles / ml),-5.91e+12,6.05e+12",
            "bad.csv:46:32: error: expected a concentration (particles/ml, 0 or more) for capture 'stdv34_00', found '-5.91e+12'"
        ),
        (
            "Dilution factor (concentrations adjusted for this factor),1.00e+04",
            "Dilution factor (concentrations adjusted for this factor),0",
            "bad.csv:45:59: error: dilution factor '0' is not a positive number\n  hint: write the dilution (such as 1000 for 1:1000) or 'Not recorded'"
        ),
        (
            "\r\n100.5,", "\r\n100.5x,",
            "bad.csv:190:1: error: expected a bin centre (nm) in the size histogram, found '100.5x'"
        ),
        ("\r\n101.5,", "\r\n99.0,", "bad.csv:191:1: error: size bins must increase: 99.0 nm follows 100.5 nm"),
        (
            "\r\n102.5,", "\r\n102.5,abc,",
            "bad.csv:192:7: error: expected a concentration (0 or more) in the size histogram, found 'abc'"
        ),
    ])
    func brokenExportsAreRefusedWithTheExactMessage(old: String, new: String, message: String) throws {
        let text = try Self.text()
        #expect(text.contains(old), "the fixture has the line to break")
        let broken = text.replacingOccurrences(of: old, with: new)
        #expect(
            Fixture.errorMessages { _ = try NTAExperimentSummary(text: broken, displayPath: "bad.csv") }.first
                == message)
    }
}
