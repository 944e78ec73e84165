import ExoStats
import Testing

struct StudentTTests {
    // scipy 1.17.1: special.betainc(2.5, 3.5, 0.3), (50, 0.5, 0.97), (0.5, 200, 0.001)
    @Test func incompleteBetaMatchesSciPy() {
        let cases: [(Double, Double, Double, Double)] = [
            (0.3, 2.5, 3.5, 0.29675298929566646), (0.97, 50, 0.5, 0.08169933372182264),
            (0.001, 0.5, 200, 0.4727558929747644),
        ]
        for (x, a, b, expected) in cases {
            let value = SpecialFunctions.regularizedIncompleteBeta(x, a: a, b: b)
            #expect(abs(value - expected) <= 5e-13 * expected, "I_\(x)(\(a), \(b)) = \(value), expected \(expected)")
        }
    }

    // scipy 1.17.1: stats.t.ppf(0.975, 13), (0.975, 2.7), (0.999, 1), (0.6, 30); stats.t.cdf(-2.3, 7);
    // 2 * stats.t.sf(4.1, 11.3)
    @Test func quantilesAndPValuesMatchSciPy() {
        let quantiles: [(Double, Double, Double)] = [
            (0.975, 13, 2.1603686564627913), (0.975, 2.7, 3.3921483831737507), (0.999, 1, 318.30883898555015),
            (0.6, 30, 0.2556053649519128),
        ]
        for (p, nu, expected) in quantiles {
            let value = StudentT(degreesOfFreedom: nu).quantile(p)
            #expect(abs(value - expected) <= 1e-11 * expected, "t(\(p); \(nu)) = \(value), expected \(expected)")
        }
        #expect(abs(StudentT(degreesOfFreedom: 7).cdf(-2.3) - 0.027495547602185796) < 1e-14)
        #expect(abs(StudentT(degreesOfFreedom: 11.3).twoSidedPValue(4.1) - 0.0016646276250088378) < 1e-15)
    }

    @Test func quantileInvertsTheCDFOverSeededInputs() {
        var rng = SeededGenerator(seed: 3)
        for _ in 0..<500 {
            let nu = 0.5 + rng.nextUnitInterval() * 60
            let p = 0.001 + rng.nextUnitInterval() * 0.998
            let distribution = StudentT(degreesOfFreedom: nu)
            #expect(abs(distribution.cdf(distribution.quantile(p)) - p) < 1e-12, "ν = \(nu), p = \(p)")
        }
    }
}
