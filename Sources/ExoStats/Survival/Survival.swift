#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Time-to-event analysis: Kaplan–Meier curves, the log-rank test and the Cox proportional-hazards model, as
/// R's survival package computes them (`survfit`, `survdiff`, `coxph` with Efron ties).
public enum Survival {
    /// One subject: follow-up time and whether the event (death, progression) was observed.
    public struct Observation: Sendable, Hashable {
        public var time: Double
        public var event: Bool

        /// Creates an observation.
        public init(time: Double, event: Bool) {
            self.time = time
            self.event = event
        }
    }

    /// A Kaplan–Meier step at an event time.
    public struct Step: Sendable, Hashable {
        public var time: Double
        public var atRisk: Int
        public var events: Int
        public var survival: Double
        /// Greenwood standard error of −log S (survfit's `std.err`).
        public var logStandardError: Double
        /// The confidence interval S·exp(∓z·se), capped at 1 (survfit's default "log" interval).
        public var low: Double
        public var high: Double
    }

    /// The Kaplan–Meier curve at every event time.
    public static func kaplanMeier(_ observations: [Observation], level: Double = 0.95) -> [Step] {
        let z = Normal.twoSidedCritical(level: level)
        let sorted = observations.sorted { $0.time < $1.time }
        var atRisk = sorted.count
        var survival = 1.0
        var greenwood = 0.0
        var steps: [Step] = []
        var index = 0
        while index < sorted.count {
            let time = sorted[index].time
            var events = 0
            var leaving = 0
            while index < sorted.count, sorted[index].time == time {
                if sorted[index].event { events += 1 }
                leaving += 1
                index += 1
            }
            if events > 0 {
                survival *= 1 - Double(events) / Double(atRisk)
                if atRisk > events { greenwood += Double(events) / (Double(atRisk) * Double(atRisk - events)) }
                let se = greenwood.squareRoot()
                steps.append(
                    Step(
                        time: time, atRisk: atRisk, events: events, survival: survival, logStandardError: se,
                        low: survival * exp(-z * se), high: min(1, survival * exp(z * se))))
            }
            atRisk -= leaving
        }
        return steps
    }

    /// survfit's median survival time of Kaplan–Meier `steps`: the first time S ≤ 0.5, or, where S is exactly 0.5
    /// there, the midpoint to the next event time; `nil` when S stays above 0.5 (not reached).
    public static func median(_ steps: [Step]) -> Double? {
        guard let index = steps.firstIndex(where: { $0.survival <= 0.5 }) else { return nil }
        if abs(steps[index].survival - 0.5) < 1e-12, index + 1 < steps.count {
            return (steps[index].time + steps[index + 1].time) / 2
        }
        return steps[index].time
    }

    /// The log-rank test (survdiff, ρ = 0) across groups: χ² on groups − 1 degrees of freedom.
    public static func logRank(_ groups: [[Observation]]) -> (chiSquare: Double, degreesOfFreedom: Int, p: Double)? {
        let k = groups.count
        guard k >= 2 else { return nil }
        let all = groups.enumerated().flatMap { group, members in members.map { ($0, group) } }
            .sorted { $0.0.time < $1.0.time }
        var atRisk = groups.map(\.count)
        var observed = [Double](repeating: 0, count: k)
        var expected = [Double](repeating: 0, count: k)
        var variance = [[Double]](repeating: [Double](repeating: 0, count: k), count: k)
        var index = 0
        while index < all.count {
            let time = all[index].0.time
            var deaths = [Int](repeating: 0, count: k)
            var leaving = [Int](repeating: 0, count: k)
            while index < all.count, all[index].0.time == time {
                if all[index].0.event { deaths[all[index].1] += 1 }
                leaving[all[index].1] += 1
                index += 1
            }
            let d = Double(deaths.reduce(0, +))
            let n = Double(atRisk.reduce(0, +))
            if d > 0 {
                for g in 0..<k {
                    observed[g] += Double(deaths[g])
                    expected[g] += d * Double(atRisk[g]) / n
                }
                if n > 1 {
                    let factor = d * (n - d) / (n - 1)
                    for g in 0..<k {
                        for h in 0..<k {
                            let share = Double(atRisk[g]) / n
                            variance[g][h] += factor * share * ((g == h ? 1 : 0) - Double(atRisk[h]) / n)
                        }
                    }
                }
            }
            for g in 0..<k { atRisk[g] -= leaving[g] }
        }
        // χ² = (O − E)ᵀ V⁻ (O − E) on the first k − 1 groups (V has rank k − 1).
        let difference = (0..<(k - 1)).map { observed[$0] - expected[$0] }
        let reduced = (0..<(k - 1)).map { g in (0..<(k - 1)).map { variance[g][$0] } }
        guard let solved = LinearAlgebra.solve(reduced, difference) else { return nil }
        let chiSquare = zip(difference, solved).reduce(0) { $0 + $1.0 * $1.1 }
        return (chiSquare, k - 1, ChiSquare(degreesOfFreedom: Double(k - 1)).upperTail(chiSquare))
    }
}
