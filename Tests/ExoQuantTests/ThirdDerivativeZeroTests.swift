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
}
