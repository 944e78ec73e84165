import ExoCore
import ExoQuant
import ExoTestSupport
import Foundation
import Testing

/// NormFinder against the authors' R code on 200 exosome-sized miRNA candidates in two groups
/// (Tests/Fixtures/normalization/README.md: `Normfinder('test_R.tsv', ctVal=F)`, output rounded to 2 decimals).
struct NormFinderTests {
    static func fixture() throws -> (genes: [String], values: [[Double]], groups: [String]) {
        let text = try String(contentsOf: Fixture.url("normalization/normfinder-mirna-cpm.tsv"), encoding: .utf8)
        var rows = text.split(separator: "\n").dropFirst().map {
            $0.split(whereSeparator: \.isWhitespace).map(String.init)
        }
        let groupRow = rows.removeLast()
        let groups = Array(groupRow.dropFirst())
        // ctVal = FALSE: the values are linear and NormFinder takes their log2.
        return (rows.map { $0[0] }, try rows.map { try $0.dropFirst().map { log2(try #require(Double($0))) } }, groups)
    }

    /// Every GroupDif, GroupSD and Stability to the printed 2 decimals, in the printed order.
    @Test func stabilityMatchesTheAuthorsRCodeToThePrintedDigits() throws {
        let (genes, values, groups) = try Self.fixture()
        let result = try #require(NormFinder.analyze(values: values, genes: genes, groups: groups))
        #expect(result.groups == ["CTRL", "KO"] && result.samplesUsed == 20)
        let printed = try String(
            contentsOf: Fixture.url("normalization/normfinder-mirna-cpm.normfinder-R.csv"), encoding: .utf8
        ).split(separator: "\n").dropFirst().map { $0.split(separator: ",").map(String.init) }
        #expect(printed.count == 200)
        #expect(result.genes.map(\.name) == printed.map { $0[0] })
        for (gene, row) in zip(result.genes, printed) {
            let (difference, sd, stability) = (Double(row[1]) ?? .nan, Double(row[2]) ?? .nan, Double(row[3]) ?? .nan)
            #expect(abs((gene.groupDifference ?? .nan) - difference) <= 0.005 + 1e-9, "\(gene.name) GroupDif")
            #expect(abs(gene.groupSD - sd) <= 0.005 + 1e-9, "\(gene.name) GroupSD")
            #expect(abs(gene.stability - stability) <= 0.005 + 1e-9, "\(gene.name) Stability")
        }
        // The best pair is not in the printed table; its two genes are among the four most stable.
        let pair = try #require(result.bestPair)
        #expect(Set([pair.first, pair.second]).isSubset(of: Set(result.genes.prefix(4).map(\.name))))
        #expect(pair.stability < result.genes[0].stability)
    }

    /// A gene that differs between the groups is ranked below one that only varies within them, although
    /// its within-group spread is the same: the point of NormFinder over geNorm.
    @Test func aGroupDifferenceCostsStability() throws {
        var state: UInt64 = 20_261_127
        func noise() -> Double {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Double(state >> 11) / Double(1 << 53) - 0.5
        }
        let groups = (0..<24).map { $0 < 12 ? "control" : "tumour" }
        var values = (0..<6).map { _ in (0..<24).map { _ in 20 + 0.3 * noise() } }
        values[0] = values[0].enumerated().map { $0.offset < 12 ? $0.element : $0.element + 1.5 }
        let genes = ["shifted", "a", "b", "c", "d", "e"]
        let result = try #require(NormFinder.analyze(values: values, genes: genes, groups: groups))
        #expect(result.genes.last?.name == "shifted")
        #expect((result.genes.last?.groupDifference ?? 0) > 1.2)
        let ungrouped = try #require(NormFinder.analyze(values: values, genes: genes))
        #expect(ungrouped.groups.isEmpty && ungrouped.genes.allSatisfy { $0.groupDifference == nil })
        #expect(NormFinder.analyze(values: Array(values.prefix(2)), genes: ["a", "b"], groups: groups) == nil)
    }

    /// A gene that follows the sample effect exactly has a bias-corrected variance below 0; NormFinder then
    /// takes a quarter of the smallest variance of its difference to another gene.
    @Test func negativeVarianceFallsBackToAQuarterOfTheClosestDifference() throws {
        let effect: [Double] = [0, 0.4, -0.2, 0.9, 0.1, -0.5]
        let epsilon: [Double] = [0.3, -0.1, 0.2, -0.4, 0.1, -0.1]
        let values = [effect, zip(effect, epsilon).map { $0 + $1 }, zip(effect, epsilon).map { $0 - $1 }]
        let result = try #require(NormFinder.analyze(values: values, genes: ["exact", "up", "down"]))
        let exact = try #require(result.genes.first { $0.name == "exact" })
        let mean = epsilon.reduce(0, +) / 6
        let variance = epsilon.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / 5
        #expect(abs(exact.stability - (variance / 4).squareRoot()) < 1e-12)
    }
}
