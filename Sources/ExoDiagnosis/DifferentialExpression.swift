import ExoCore
public import ExoFormats
public import ExoStats
import Foundation

/// Differential expression between two groups for every feature of a labelled matrix: limma's moderated t
/// (the model ~ group, coefficient = mean of cases − mean of controls), with Benjamini–Hochberg adjusted p.
///
/// Values must be on a log scale (log2 expression, ΔCq, log-CPM). Missing values are left out feature by
/// feature, as limma's lmFit does, and counted in each row; a feature left with no case or no control has no
/// statistic.
public enum DifferentialExpression {
    /// One feature's result.
    public struct Row: Sendable, Hashable {
        public var feature: String
        /// Mean of cases − mean of controls (log2 fold change for log2 data).
        public var logFC: Double
        /// Mean over all samples with a value.
        public var averageExpression: Double
        public var t: Double
        public var p: Double
        public var adjustedP: Double
        /// The log-odds of differential expression.
        public var b: Double
        public var cases: Int
        public var controls: Int
        public var missing: Int
    }

    /// The table and the prior the moderation used (`nil` for the classical tests).
    public struct Result: Sendable {
        public var rows: [Row]
        public var prior: ModeratedT.Prior?
    }

    /// The per-feature test.
    public enum Method: String, Sendable, CaseIterable {
        /// limma's empirical-Bayes moderated t (the default): borrows strength across features.
        case moderated
        /// Welch's unequal-variance t test (R `t.test`); `t` is Welch's t, `b` is empty.
        case welch
        /// The Mann–Whitney U test (R `wilcox.test`): `t` holds W; exact p for small samples without ties.
        case mannWhitney = "mann-whitney"
    }

    /// Welch's t or the Mann–Whitney test for every feature, with BH-adjusted p.
    public static func analyze(_ matrix: FeatureMatrix, groups: TwoGroups, method: Method) -> Result? {
        if method == .moderated { return analyze(matrix, groups: groups) }
        let count = matrix.features.count
        let slots = ConcurrentSlots<Row>(count: count)
        let total = groups.sampleCount
        DispatchQueue.concurrentPerform(iterations: count) { feature in
            let (cases, controls) = groups.present(matrix.values[feature])
            let test =
                method == .welch ? TwoSampleTests.welch(cases, controls) : TwoSampleTests.mannWhitney(cases, controls)
            let present = cases + controls
            slots[feature] = Row(
                feature: matrix.features[feature],
                logFC: cases.isEmpty || controls.isEmpty
                    ? .nan : cases.reduce(0, +) / Double(cases.count) - controls.reduce(0, +) / Double(controls.count),
                averageExpression: present.isEmpty ? .nan : present.reduce(0, +) / Double(present.count),
                t: test?.statistic ?? .nan, p: test?.p ?? .nan, adjustedP: .nan, b: .nan, cases: cases.count,
                controls: controls.count, missing: total - present.count)
        }
        var rows = slots.values
        let adjusted = MultipleTesting.benjaminiHochberg(rows.map(\.p))
        for index in rows.indices { rows[index].adjustedP = adjusted[index] }
        return Result(rows: rows, prior: nil)
    }

    /// Moderated t for every feature; `nil` when no feature has residual degrees of freedom.
    public static func analyze(_ matrix: FeatureMatrix, groups: TwoGroups) -> Result? {
        let count = matrix.features.count
        let fits = ConcurrentSlots<(ModeratedT.Fit, Double, Int, Int)>(count: count)
        DispatchQueue.concurrentPerform(iterations: count) { feature in
            let (cases, controls) = groups.present(matrix.values[feature])
            let present = cases.count + controls.count
            let average = present == 0 ? Double.nan : (cases.reduce(0, +) + controls.reduce(0, +)) / Double(present)
            fits[feature] = (
                ModeratedT.twoGroupFit(cases: cases, controls: controls), average, cases.count, controls.count
            )
        }
        let all = fits.values
        guard let moderated = ModeratedT.moderate(all.map(\.0)) else { return nil }
        let adjusted = MultipleTesting.benjaminiHochberg(moderated.statistics.map(\.p))
        let total = groups.sampleCount
        let rows = all.indices.map { index in
            let (fit, average, cases, controls) = all[index]
            let statistic = moderated.statistics[index]
            return Row(
                feature: matrix.features[index], logFC: fit.coefficient, averageExpression: average, t: statistic.t,
                p: statistic.p, adjustedP: adjusted[index], b: statistic.b, cases: cases, controls: controls,
                missing: total - cases - controls)
        }
        return Result(rows: rows, prior: moderated.prior)
    }
}
