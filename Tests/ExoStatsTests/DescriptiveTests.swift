import ExoStats
import Testing

struct DescriptiveTests {
    // Reference values from numpy 2.4.6 and Python 3.11's statistics module (numpy's default quantile
    // method 'linear' is R's type 7).
    let x = [3.1, 7.4, 2.2, 9.8, 5.0, 5.0, 12.6]

    @Test func quantilesMatchRType7() throws {
        // python3 -c "import numpy as np; print(np.quantile([3.1,7.4,2.2,9.8,5,5,12.6],[0,.1,.25,.5,.75,.9,1]))"
        // → [2.2 2.74 4.05 5. 8.6 10.92 12.6]
        let expected = [(0.0, 2.2), (0.1, 2.74), (0.25, 4.05), (0.5, 5.0), (0.75, 8.6), (0.9, 10.92), (1.0, 12.6)]
        for (p, value) in expected {
            let q = try #require(Descriptive.quantile(x, p))
            #expect(abs(q - value) < 1e-12, "p = \(p): \(q) vs \(value)")
        }
    }

    @Test func meanAndSDMatchR() throws {
        // python3 -c "import statistics as s; x=[3.1,7.4,2.2,9.8,5,5,12.6]; print(s.mean(x), s.stdev(x))"
        // → 6.442857142857143 3.72910049156502
        #expect(abs(try #require(Descriptive.mean(x)) - 6.442857142857143) < 1e-12)
        #expect(abs(try #require(Descriptive.standardDeviation(x)) - 3.72910049156502) < 1e-12)
    }

    @Test func emptyAndSingleValueEdgeCases() {
        #expect(Descriptive.mean([]) == nil)
        #expect(Descriptive.standardDeviation([1]) == nil)
        #expect(Descriptive.median([4]) == 4)
    }

    @Test func splitMix64MatchesTheReferenceStream() {
        // Vigna's splitmix64.c seeded with 1234567: the first five outputs.
        var generator = SplitMix64(state: 1_234_567)
        let expected: [UInt64] = [
            6_457_827_717_110_365_317, 3_203_168_211_198_807_973, 9_817_491_932_198_370_423,
            4_593_380_528_125_082_431, 16_408_922_859_458_223_821,
        ]
        #expect((0..<5).map { _ in generator.next() } == expected)
    }

    @Test func sameSeedSameStreamAndNormalMoments() {
        var a = SeededGenerator(seed: 42)
        var b = SeededGenerator(seed: 42)
        #expect((0..<100).map { _ in a.next() } == (0..<100).map { _ in b.next() })
        var rng = SeededGenerator(seed: 7)
        let draws = (0..<20_000).map { _ in rng.nextStandardNormal() }
        // Mean within 4 standard errors of 0 (SE = 1/√20000 ≈ 0.0071); SD within 0.03 of 1.
        #expect(abs(Descriptive.mean(draws) ?? 1) < 0.03)
        #expect(abs((Descriptive.standardDeviation(draws) ?? 0) - 1) < 0.03)
    }
}

/// The introsort gives the standard library's order on shuffled, sorted, reversed and tie-heavy inputs.
struct SortingTests {
    @Test(arguments: [0, 1, 2, 23, 24, 25, 100, 1_000, 10_000])
    func sortsLikeTheStandardLibrary(count: Int) {
        var generator = SeededGenerator(seed: UInt64(count) + 1)
        let random = (0..<count).map { _ in Double.random(in: -1e3...1e3, using: &generator) }
        let ties = (0..<count).map { _ in Double(Int.random(in: 0...4, using: &generator)) }
        for input in [random, random.sorted(), random.sorted().reversed(), ties, Array(repeating: 1.5, count: count)] {
            #expect(Sorting.sorted(input) == input.sorted())
        }
    }
}
