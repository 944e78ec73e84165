import ExoFormats
import ExoQuant
import ExoTestSupport
import Foundation
import Testing

/// TD0 and the baseline section against the RDML consortium's expected results for quantification_methods.rdml
/// (Tests/Fixtures/qpcr/quantification_methods.rdmltools-results.tsv, the table shipped beside the file).
struct ThirdDerivativeZeroTests {
    static func expected() throws -> [String: [String: String]] {
        let text = try String(
            contentsOf: Fixture.url("qpcr/quantification_methods.rdmltools-results.tsv"), encoding: .utf8)
        let lines = text.split(separator: "\n")
        let header = lines[0].split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
        var rows: [String: [String: String]] = [:]
        for line in lines.dropFirst() {
            let row = Dictionary(
                uniqueKeysWithValues: zip(
                    header, line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)))
            rows["\(row["well"] ?? "")\t\(row["target"] ?? "")"] = row
        }
        return rows
    }

    /// Every TD0 to the table's two decimals; efficiency (4 decimals), baseline (integer), R² (4 decimals),
    /// points included and last log cycle exactly as printed.
    @Test func td0AndSectionMatchTheExpectedResults() throws {
        let expected = try Self.expected()
        let document = try RDMLReader.read(url: Fixture.url("qpcr/quantification_methods.rdml"), displayPath: "qm.rdml")
        let results = ThirdDerivativeZero.analyze(
            AmplificationCurve.curves(of: try #require(document.runs.first), in: document))
        #expect(results.count == 180)
        for result in results {
            let row = try #require(expected["\(result.curve.well)\t\(result.curve.target)"])
            let label = "\(result.curve.well) \(result.curve.target)"
            let td0 = try #require(Double(row["TD0"] ?? ""))
            #expect(abs((result.td0 ?? -1) - td0) <= 0.005 + 1e-9, "\(label) TD0")
            guard row["baseline error"] == "0" else { continue }
            #expect(result.error == nil, "\(label) section error")
            let efficiency = try #require(Double(row["indiv PCR eff"] ?? ""))
            #expect(abs((result.individualEfficiency ?? 0) - efficiency) <= 0.00005 + 1e-9, "\(label) efficiency")
            let baseline = try #require(Double(row["baseline"] ?? ""))
            #expect(abs((result.baseline ?? 0) - baseline) <= 0.5 + 1e-9, "\(label) baseline")
            let r2 = try #require(Double(row["R2"] ?? ""))
            #expect(abs((result.rSquared ?? 0) - r2) <= 0.00005 + 1e-9, "\(label) R2")
            #expect(result.pointsIncluded.map(String.init) == row["n included"], "\(label) n included")
            #expect(result.lastLogCycle.map(String.init) == row["last log cycle"], "\(label) last log cycle")
            #expect(result.pointsInLogPhase.map(String.init) == row["n in log phase"], "\(label) n in log phase")
        }
    }

    /// The per-target mean efficiency and its SD (4 decimals), the outlier and amplification calls, and Ncopy and
    /// indiv Ncopy to the table's one decimal (−1 where the table has none), for every reaction.
    @Test func meanEfficiencyAndNcopyMatchTheExpectedResults() throws {
        let expected = try Self.expected()
        let document = try RDMLReader.read(url: Fixture.url("qpcr/quantification_methods.rdml"), displayPath: "qm.rdml")
        let results = ThirdDerivativeZero.analyze(
            AmplificationCurve.curves(of: try #require(document.runs.first), in: document))
        for result in results {
            let row = try #require(expected["\(result.curve.well)\t\(result.curve.target)"])
            let label = "\(result.curve.well) \(result.curve.target)"
            let mean = try #require(Double(row["PCR eff"] ?? ""))
            #expect(abs((result.meanEfficiency ?? -1) - mean) <= 0.00005 + 1e-9, "\(label) PCR eff")
            let sd = try #require(Double(row["STD PCR eff"] ?? ""))
            #expect(abs((result.meanEfficiencySD ?? -1) - sd) <= 0.00005 + 1e-9, "\(label) STD PCR eff")
            #expect(result.amplified == (row["amplification"] == "True"), "\(label) amplification")
            #expect(result.efficiencyOutlier == (row["excl PCR efficiency"] == "True"), "\(label) excl PCR efficiency")
            for (column, value) in [("Ncopy", result.ncopy), ("indiv Ncopy", result.individualNcopy)] {
                let printed = try #require(Double(row[column] ?? ""))
                if printed < 0 {
                    #expect(value == nil, "\(label) \(column)")
                } else {
                    #expect(abs((value ?? -1) - printed) <= 0.05 + 1e-9, "\(label) \(column)")
                }
            }
        }
    }

    /// A target without stated chemistry still gets a copy model, and every default it rests on is named.
    @Test func copyModelNamesEveryDefaultItUses() {
        let bare = AmpliconsAtTD0(
            target: nil, chemistry: nil, dyeConcentration: nil, doubleStranded: nil, volume: nil, plateColumns: 12)
        #expect(bare.assumed == ["dye 400 nM", "amplicon 100 bp", "reaction volume 20 µL", "single-stranded template"])
        var target = RDMLTarget(id: "miR-21", dye: "probe")
        target.sequences.forwardPrimer = .init(sequence: "TAGCTTATCAGACTGATGTTGA", concentration: 500)
        target.sequences.reversePrimer = .init(sequence: "GTGCAGGGTCCGAGGT", concentration: 250)
        let probe = AmpliconsAtTD0(
            target: target, chemistry: "hydrolysis probe", dyeConcentration: nil, doubleStranded: true, volume: 10,
            plateColumns: 24)
        #expect(probe.assumed.isEmpty)
        // 10 % of the lower primer concentration (250 nM) in 10 µL: 25 nM × 6.022e8 copies/µL/nM × 10 µL.
        #expect(abs(probe.copies - 1.5055351900e11) < 1e2)
    }

    /// A flat curve has no zero crossing: no TD0, and the section fit reports why instead of a number.
    @Test func flatCurveHasNoTD0() {
        let curve = AmplificationCurve(
            reaction: "1", well: "A1", sample: "NTC", sampleType: "ntc", nucleotide: "", target: "miR-21",
            chemistry: .nonSaturatingDye, isExcluded: false,
            points: (1...40).map { .init(cycle: Double($0), fluorescence: 500 + Double($0 % 3)) })
        let result = ThirdDerivativeZero.analyze([curve])[0]
        #expect(result.error != nil)
        #expect(result.individualEfficiency == nil)
    }

    /// Awkward curves give a result or a named section error, never a crash or a silent efficiency.
    @Test func awkwardCurvesGiveAResultOrANamedError() {
        func curve(_ id: String, _ values: [Double]) -> AmplificationCurve {
            AmplificationCurve(
                reaction: id, well: id, sample: id, target: "miR-21",
                points: values.enumerated().map { .init(cycle: Double($0.offset + 1), fluorescence: $0.element) })
        }
        let logistic = { (c: Double, midpoint: Double) in 10_000 / (1 + exp(-(c - midpoint) / 1.5)) }
        let curves = [
            curve("early", (1...40).map { 500 + logistic(Double($0), 4) }),
            curve("negative", (1...40).map { -300 + logistic(Double($0), 25) }),
            curve("zero", Array(repeating: 0, count: 40)),
            curve("short", [1, 2, 4, 8, 16]),
            curve("four", [1, 2, 4, 8]),
            curve("drift", (1...40).map { 500 + logistic(Double($0), 22) + 40 * Double($0) }),
            curve("gaps", (1...40).map { $0 % 7 == 0 ? .nan : 500 + logistic(Double($0), 24) }),
        ]
        let results = ThirdDerivativeZero.analyze(curves)
        #expect(results.count == curves.count)
        for result in results {
            #expect((result.individualEfficiency != nil) != (result.error != nil))
            if let efficiency = result.individualEfficiency { #expect(efficiency > 1 && efficiency < 3) }
        }
        let early = results[0]
        #expect(early.error == .tooEarly || early.error == .sectionTooShort)
        #expect(results[2].individualEfficiency == nil)
        #expect(results[4].error == .tooEarly)
        // The gaps are interpolated, so the gapped curve is analysed like the full one.
        #expect(results[6].td0 != nil && results[6].individualEfficiency != nil)
    }
}
