import ExoStats
import Testing

/// The Theil–Sen trend behind the monitoring slopes, against SciPy.
struct TheilSenTests {
    /// scipy 1.17.1 `stats.theilslopes(y, x, 0.95)` (bench/monitor/theilsen_reference.py).
    @Test(
        arguments: [
            (
                [0, 28, 56, 84, 112], [6.1, 5.8, 5.2, 4.9, 4.1],
                [-0.01696428571428571, 6.15, -0.0285714285714286, -0.010714285714285707]
            ),
            (
                [0, 1, 2, 3, 4, 5, 6, 7], [1.0, 1.2, 1.1, 1.9, 2.3, 2.2, 3.1, 2.9],
                [0.3374999999999999, 0.8687500000000001, 0.19999999999999996, 0.4000000000000001]
            ),
            ([0, 1, 1, 2, 3, 3, 4], [2, 2, 3, 3, 3, 5, 5], [0.75, 1.5, 0.0, 1.0]),
            ([0, 1, 2], [1, 3, 2], [0.5, 1.5, -1.0, 2.0]),
        ] as [([Double], [Double], [Double])])
    func matchesScipy(x: [Double], y: [Double], expected: [Double]) throws {
        let fit = try #require(TheilSen(x: x, y: y))
        let got = [fit.slope, fit.intercept, fit.low ?? .nan, fit.high ?? .nan]
        for (a, b) in zip(got, expected) { #expect(abs(a - b) < 1e-12) }
    }

    @Test func levelNinetyMatchesScipy() throws {
        let fit = try #require(
            TheilSen(x: [0, 1, 2, 3, 4, 5, 6, 7], y: [1.0, 1.2, 1.1, 1.9, 2.3, 2.2, 3.1, 2.9], level: 0.90))
        #expect(abs((fit.low ?? 0) - 0.20000000000000004) < 1e-12 && abs((fit.high ?? 0) - 0.3999999999999999) < 1e-12)
        #expect(TheilSen(x: [3, 3], y: [1, 2]) == nil)
    }
}
