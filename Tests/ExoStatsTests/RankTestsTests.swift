import ExoStats
import ExoTestSupport
import Foundation
import Testing

/// Kruskal–Wallis, Spearman and Jonckheere–Terpstra against R (Tests/Fixtures/stats/rank-tests.tsv, made by
/// `Rscript bench/stats/rank_tests_reference.R Tests/Fixtures/stats/aSAH.csv Tests/Fixtures/stats/lung.tsv`).
struct RankTestsTests {
    static func reference() throws -> [String: Double] {
        try String(contentsOf: Fixture.url("stats/rank-tests.tsv"), encoding: .utf8).split(separator: "\n")
            .filter { !$0.hasPrefix("#") }
            .reduce(into: [:]) { $0[String($1.split(separator: "\t")[0])] = Double($1.split(separator: "\t")[1]) }
    }

    /// Columns of a delimited fixture by name.
    static func columns(_ name: String, separator: Character) throws -> [String: [Double]] {
        let lines = try String(contentsOf: Fixture.url("stats/\(name)"), encoding: .utf8).split(separator: "\n")
        let header = lines[0].split(separator: separator).map { $0.replacingOccurrences(of: "\"", with: "") }
        var result: [String: [Double]] = [:]
        for line in lines.dropFirst() {
            let fields = line.split(separator: separator, omittingEmptySubsequences: false)
            for (key, field) in zip(header, fields) { result[key, default: []].append(Double(field) ?? .nan) }
        }
        return result
    }

    static func grouped(_ values: [Double], by groups: [Double]) -> [[Double]] {
        let levels = Array(Set(groups.filter { !$0.isNaN })).sorted()
        return levels.map { level in zip(values, groups).filter { $0.1 == level }.map(\.0) }
    }

    static func close(
        _ value: Double?, _ key: String, _ reference: [String: Double], relative: Double = 1e-12,
        sourceLocation: SourceLocation = #_sourceLocation
    ) {
        guard let value, let expected = reference[key] else {
            Issue.record("no value or reference for \(key)", sourceLocation: sourceLocation)
            return
        }
        #expect(
            abs(value - expected) <= relative * max(abs(expected), 1e-300), "\(key): \(value) vs R \(expected)",
            sourceLocation: sourceLocation)
    }

    @Test func matchRsKruskalTestCorTestAndTheJonckheereTerpstraDefinition() throws {
        let reference = try Self.reference()
        let asah = try Self.columns("aSAH.csv", separator: ",")
        let lung = try Self.columns("lung.tsv", separator: "\t")
        let ecog = try #require(lung["ph.ecog"])
        let complete = ecog.indices.filter { !ecog[$0].isNaN }
        let allAges = try #require(lung["age"])
        let allTimes = try #require(lung["time"])
        let age = complete.map { allAges[$0] }
        let time = complete.map { allTimes[$0] }
        let ecogGroups = Self.grouped(age, by: complete.map { ecog[$0] })
        let s100b = try #require(asah["s100b"])
        let wfnsGroups = Self.grouped(s100b, by: try #require(asah["wfns"]))
        for (key, groups) in [("asah", wfnsGroups), ("lung", ecogGroups)] {
            let kw = try #require(RankTests.kruskalWallis(groups))
            Self.close(kw.statistic, "\(key).kw.h", reference)
            Self.close(kw.p, "\(key).kw.p", reference, relative: 1e-9)
            let jt = try #require(RankTests.jonckheereTerpstra(groups))
            Self.close(jt.statistic, "\(key).jt.j", reference)
            Self.close(jt.z, "\(key).jt.z", reference)
            Self.close(jt.p, "\(key).jt.p", reference, relative: 1e-9)
        }
        for (key, x, y) in [("asah", s100b, try #require(asah["ndka"])), ("lung", age, time)] {
            let spearman = try #require(RankTests.spearman(x, y))
            Self.close(spearman.statistic, "\(key).spearman.rho", reference)
            Self.close(spearman.p, "\(key).spearman.p", reference, relative: 1e-9)
        }
    }

    /// The tie-corrected variance is the exact permutation variance of J: enumerate every assignment of these
    /// tied values to groups of sizes 3, 2, 3.
    @Test func jonckheereVarianceIsTheExactPermutationVariance() throws {
        let values: [Double] = [1, 2, 2, 3, 3, 3, 4, 5]
        let sizes = [3, 2, 3]
        var js: [Double] = []
        func assign(_ remaining: [Int], _ groups: [[Double]]) {
            guard let next = remaining.first else {
                js.append(RankTests.jonckheereTerpstra(groups)?.statistic ?? .nan)
                return
            }
            for group in sizes.indices where groups[group].count < sizes[group] {
                var copy = groups
                copy[group].append(values[next])
                assign(Array(remaining.dropFirst()), copy)
            }
        }
        assign(Array(values.indices), [[], [], []])
        let mean = js.reduce(0, +) / Double(js.count)
        let variance = js.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(js.count)
        let one = try #require(RankTests.jonckheereTerpstra([[1, 2, 2], [3, 3], [3, 4, 5]]))
        let z = try #require(one.z)
        #expect(abs(mean - (64 - 22) / 4.0) < 1e-12)
        #expect(abs((one.statistic - mean) / variance.squareRoot() - z) < 1e-12)
    }

    @Test func degenerateInputsHaveNoResult() {
        #expect(RankTests.kruskalWallis([[1, 2], []]) == nil)
        #expect(RankTests.kruskalWallis([[1, 1], [1, 1]]) == nil)
        #expect(RankTests.spearman([1, 2, 3], [4, 4, 4]) == nil)
        #expect(RankTests.jonckheereTerpstra([[2, 2], [2]]) == nil)
    }
}
