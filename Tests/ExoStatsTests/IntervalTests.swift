import ExoStats
import Testing

struct IntervalTests {
    @Test func normalQuantileMatchesSciPy() {
        // python3 -c "from scipy.stats import norm; print([repr(norm.ppf(p)) for p in
        //   (1e-300, 1e-10, 0.001, 0.025, 0.3, 0.5, 0.8, 0.975, 0.999999)])"  (scipy 1.17.1)
        let reference: [(Double, Double)] = [
            (1e-300, -37.0470962993612), (1e-10, -6.361340902404056), (0.001, -3.090232306167813),
            (0.025, -1.9599639845400545), (0.3, -0.5244005127080409), (0.5, 0.0), (0.8, 0.8416212335729143),
            (0.975, 1.959963984540054), (0.999999, 4.753424308817087),
        ]
        for (p, z) in reference {
            let value = Normal.quantile(p)
            #expect(abs(value - z) <= 1e-14 * max(1, abs(z)), "p = \(p): \(value) vs \(z)")
        }
        #expect(Normal.quantile(0) == -.infinity && Normal.quantile(1) == .infinity && Normal.quantile(1.5).isNaN)
    }

    @Test func wilsonAndWaldMatchStatsmodels() {
        // statsmodels 0.15.0: python3 -c "from statsmodels.stats.proportion import proportion_confint as c;
        //   print(c(7, 40, method='wilson'), c(7, 40, method='normal'), c(0, 25, method='wilson'))"
        // → (0.0874541374603592, 0.3194999033178772) (0.05724913830063551, 0.2927508616993645)
        //   (0.0, 0.13319225093904855)
        let wilson = BinomialInterval.wilson.interval(successes: 7, trials: 40)
        let wald = BinomialInterval.wald.interval(successes: 7, trials: 40)
        let zero = BinomialInterval.wilson.interval(successes: 0, trials: 25)
        #expect(abs(wilson.lowerBound - 0.0874541374603592) < 1e-14)
        #expect(abs(wilson.upperBound - 0.3194999033178772) < 1e-14)
        #expect(abs(wald.lowerBound - 0.05724913830063551) < 1e-14)
        #expect(abs(wald.upperBound - 0.2927508616993645) < 1e-14)
        #expect(zero.lowerBound == 0 && abs(zero.upperBound - 0.13319225093904855) < 1e-14)
    }

    @Test func wilsonContainsTheEstimateForManySeededProportions() {
        var rng = SeededGenerator(seed: 11)
        for _ in 0..<2_000 {
            let n = Int(rng.next() % 5_000) + 1
            let k = Int(rng.next() % UInt64(n + 1))
            let interval = BinomialInterval.wilson.interval(successes: k, trials: n)
            #expect(interval.contains(Double(k) / Double(n)))
            #expect(interval.lowerBound >= 0 && interval.upperBound <= 1)
        }
    }
}
