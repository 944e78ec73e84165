public import ExoCore
import Foundation

/// The variance estimates behind a reference change value: the analytical SD of a monitored analyte's −ΔCq, from
/// technical replicates, and the within-subject SD, from stable patients' serial values.
///
/// Both are one-way ANOVA residual mean squares (MS_within, the within-group variance component σ²_within of the
/// one-way random-effects model); the between-group component, (MS_between − MS_within) / n₀, is used by neither.
/// `bench/monitor/variance_reference.R` computes both with R's `aov` for the tests.
public enum MonitoringVariation {
    /// A pooled within-group variance: Σ over groups of Σ(x − x̄_group)² divided by Σ(n_group − 1).
    ///
    /// This is the residual mean square of the one-way ANOVA `x ~ group` (R: `anova(aov(x ~ factor(group)))`,
    /// row `Residuals`, `Mean Sq`). Groups of one value add nothing to either sum and are left out; so is their size
    /// from `meanGroupSize`. O(n) in the number of values.
    public struct PooledVariance: Sendable, Hashable {
        /// MS_within.
        public var variance: Double
        /// Σ(n_group − 1).
        public var degreesOfFreedom: Double
        /// The mean size of the groups with two or more values.
        public var meanGroupSize: Double

        /// Pools `groups`; `nil` when no group has two values.
        ///
        /// - Parameter groups: the values of each group (a sample's replicates, a patient's series), in any order.
        public init?(groups: [[Double]]) {
            let groups = groups.filter { $0.count > 1 }
            var sum = 0.0
            var df = 0.0
            for group in groups {
                let mean = group.reduce(0, +) / Double(group.count)
                sum += group.reduce(0) { $0 + ($1 - mean) * ($1 - mean) }
                df += Double(group.count - 1)
            }
            guard df > 0 else { return nil }
            variance = sum / df
            degreesOfFreedom = df
            meanGroupSize = Double(groups.reduce(0) { $0 + $1.count }) / Double(groups.count)
        }
    }

    /// The analytical SD of each analyte's −ΔCq (the mean of a sample's replicates, minus the normaliser's).
    ///
    /// For the analyte and for the normaliser: the pooled within-sample variance of the Cq values (`PooledVariance`
    /// over each sample's replicates; values without a number or below detection are left out) divided by the mean
    /// replicate count, the variance of a mean of that many replicates. SD_A = √(s²_analyte / n̄_analyte +
    /// s²_normaliser / n̄_normaliser); without a normaliser (or without its replicates), the analyte's term alone.
    ///
    /// - Parameters:
    ///   - measurements: the study's measurements; only Cq values count.
    ///   - analytes: the analytes to estimate.
    ///   - normaliser: the spike-in the ΔCq subtract, when its variation adds to the analyte's.
    /// - Returns: SD_A in cycles per analyte; an analyte without a sample of two replicates is absent.
    public static func analyticalSD(
        _ measurements: [SampleMeasurement], analytes: [String], normaliser: String?
    ) -> [String: Double] {
        func pooled(_ analyte: String) -> PooledVariance? {
            PooledVariance(
                groups: Dictionary(
                    grouping: measurements.filter {
                        $0.analyte.name == analyte && $0.unit == .cq && $0.value != nil
                            && !$0.flags.contains(.belowDetection)
                    }, by: \.sample
                ).sorted { $0.key < $1.key }.map { $0.value.compactMap(\.value) })
        }
        let normaliserVariance = normaliser.flatMap(pooled)
        var result: [String: Double] = [:]
        for analyte in analytes {
            guard let own = pooled(analyte) else { continue }
            let variance =
                own.variance / own.meanGroupSize
                + (normaliserVariance.map { $0.variance / $0.meanGroupSize } ?? 0)
            result[analyte] = variance.squareRoot()
        }
        return result
    }

    /// The within-subject SD: SD_I² = the pooled within-patient variance of the patients' values minus the
    /// analytical variance, floored at 0.
    ///
    /// The within-patient variance is `PooledVariance` over every (analyte, patient) series with two or more values
    /// (R: the residual mean square of `aov(value ~ interaction(analyte, patient))`); the analytical variance
    /// subtracted is each series' SD_A² weighted by its degrees of freedom, n − 1. Values that cannot be judged
    /// (`value == nil`) are left out.
    ///
    /// - Parameters:
    ///   - values: per analyte and patient, the serial values.
    ///   - patients: the patients whose variation is within-subject only (stable disease).
    ///   - analyticalSD: SD_A per analyte (0 when absent).
    /// - Returns: SD_I on the values' scale, or `nil` when no patient of `patients` has two values of an analyte.
    public static func withinSubjectSD(
        _ values: [String: [String: [MonitoredValue]]], patients: Set<String>, analyticalSD: [String: Double]
    ) -> Double? {
        var sum = 0.0
        var df = 0.0
        var analyticalSum = 0.0
        // Sorted, so that the sums run in one order and the result is the same to the last bit in every process
        // (a dictionary's and a set's order change from one process to the next).
        for (analyte, byPatient) in values.sorted(by: { $0.key < $1.key }) {
            for patient in patients.sorted() {
                let list = (byPatient[patient] ?? []).compactMap(\.value)
                guard list.count > 1 else { continue }
                let mean = list.reduce(0, +) / Double(list.count)
                sum += list.reduce(0) { $0 + ($1 - mean) * ($1 - mean) }
                df += Double(list.count - 1)
                analyticalSum += Double(list.count - 1) * pow(analyticalSD[analyte] ?? 0, 2)
            }
        }
        guard df > 0 else { return nil }
        return max(0, (sum - analyticalSum) / df).squareRoot()
    }
}
