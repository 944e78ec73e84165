public import ExoCore
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
        /// The 95 % confidence interval of `logFC` (limma's topTable confint: moderated t quantile × posterior
        /// SD; Welch's interval for Welch; NaN for Mann–Whitney).
        public var low: Double = .nan
        public var high: Double = .nan
    }

    /// A term added to the model ~ group: a number per sample, or a label per sample.
    ///
    /// Labels are dummy-coded against their first level in sorted order, as R's factors. A sample without a value
    /// is left out of the analysis.
    public enum Covariate: Sendable, Hashable {
        case numeric(String, [Double])
        case categorical(String, [String])

        /// The term's name.
        public var name: String {
            switch self {
            case .numeric(let name, _), .categorical(let name, _): name
            }
        }
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
        ComputeThreads.run(jobs: count) { feature in
            let (cases, controls) = groups.present(matrix.values[feature])
            let test =
                method == .welch ? TwoSampleTests.welch(cases, controls) : TwoSampleTests.mannWhitney(cases, controls)
            let present = cases + controls
            var low = Double.nan
            var high = Double.nan
            if method == .welch, let test, let df = test.degreesOfFreedom,
                let caseVariance = Descriptive.variance(cases), let controlVariance = Descriptive.variance(controls)
            {
                let difference =
                    cases.reduce(0, +) / Double(cases.count) - controls.reduce(0, +) / Double(controls.count)
                let half =
                    StudentT(degreesOfFreedom: df).upperQuantile(0.025)
                    * (caseVariance / Double(cases.count) + controlVariance / Double(controls.count)).squareRoot()
                (low, high) = (difference - half, difference + half)
            }
            slots[feature] = Row(
                feature: matrix.features[feature],
                logFC: cases.isEmpty || controls.isEmpty
                    ? .nan : cases.reduce(0, +) / Double(cases.count) - controls.reduce(0, +) / Double(controls.count),
                averageExpression: present.isEmpty ? .nan : present.reduce(0, +) / Double(present.count),
                t: test?.statistic ?? .nan, p: test?.p ?? .nan, adjustedP: .nan, b: .nan, cases: cases.count,
                controls: controls.count, missing: total - present.count, low: low, high: high)
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
        ComputeThreads.run(jobs: count) { feature in
            let (cases, controls) = groups.present(matrix.values[feature])
            let present = cases.count + controls.count
            let average = present == 0 ? Double.nan : (cases.reduce(0, +) + controls.reduce(0, +)) / Double(present)
            fits[feature] = (
                ModeratedT.twoGroupFit(cases: cases, controls: controls), average, cases.count, controls.count
            )
        }
        return moderated(features: matrix.features, fits: fits.values, samples: groups.sampleCount)
    }

    /// Moderates the fits (each with its average expression, cases and controls) into the table with BH.
    static func moderated(features: [String], fits all: [(ModeratedT.Fit, Double, Int, Int)], samples: Int) -> Result? {
        guard let moderated = ModeratedT.moderate(all.map(\.0)) else { return nil }
        let adjusted = MultipleTesting.benjaminiHochberg(moderated.statistics.map(\.p))
        let rows = all.indices.map { index in
            let (fit, average, cases, controls) = all[index]
            let statistic = moderated.statistics[index]
            let (low, high) = interval(fit, statistic)
            return Row(
                feature: features[index], logFC: fit.coefficient, averageExpression: average, t: statistic.t,
                p: statistic.p, adjustedP: adjusted[index], b: statistic.b, cases: cases, controls: controls,
                missing: samples - cases - controls, low: low, high: high)
        }
        return Result(rows: rows, prior: moderated.prior)
    }

    /// The 95 % interval of a moderated coefficient: β̂ ± t₀.₉₇₅(total df) · s̃ · u.
    static func interval(_ fit: ModeratedT.Fit, _ statistic: ModeratedT.Statistic) -> (Double, Double) {
        guard statistic.totalDF > 0, fit.coefficient.isFinite else { return (.nan, .nan) }
        let half =
            StudentT(degreesOfFreedom: statistic.totalDF).upperQuantile(0.025)
            * statistic.posteriorVariance.squareRoot()
            * fit.unscaledSD
        return (fit.coefficient - half, fit.coefficient + half)
    }

    /// Moderated t for the group coefficient of the model ~ group + covariates, optionally with precision weights
    /// (`weights[feature][sample]`, such as voom's), as limma's lmFit + eBayes.
    ///
    /// - Returns: `nil` when no feature has residual degrees of freedom; the number of samples left out for a
    ///   missing covariate (empty, NA, NaN) is in `leftOut`.
    /// - Throws: `InputErrorList` for a covariate that does not vary or a design without a unique fit.
    public static func analyze(
        _ matrix: FeatureMatrix, groups: TwoGroups, covariates: [Covariate], weights: [[Double]]? = nil
    ) throws(InputErrorList) -> (result: Result, leftOut: Int)? {
        let design = try Self.design(matrix, groups: groups, covariates: covariates)
        let included = Set(design.included)
        let count = matrix.features.count
        let fits = ConcurrentSlots<(ModeratedT.Fit, Double, Int, Int)>(count: count)
        ComputeThreads.run(jobs: count) { feature in
            let y = matrix.values[feature].enumerated().map { included.contains($0.offset) ? $0.element : .nan }
            let model = WeightedLeastSquares(y: y, design: design.rows, weights: weights?[feature])
            let present = y.filter { !$0.isNaN }
            let cases = groups.cases.filter { !y[$0].isNaN }.count
            fits[feature] = (
                model.fit(of: 1), present.isEmpty ? .nan : present.reduce(0, +) / Double(present.count), cases,
                present.count - cases
            )
        }
        guard let result = moderated(features: matrix.features, fits: fits.values, samples: design.included.count)
        else { return nil }
        return (result, groups.sampleCount - design.included.count)
    }

    /// limma-voom for read counts.
    ///
    /// The counts become log-CPM with voom's precision weights, and the weighted model ~ group + covariates is
    /// moderated as `analyze(_:groups:covariates:weights:)` does. Counts must be complete and not negative.
    ///
    /// - Parameters:
    ///   - matrix: read counts, one row per feature.
    ///   - groups: the cases and controls.
    ///   - covariates: terms added to the model ~ group.
    ///   - librarySizes: one per sample of `matrix` (those outside the two groups or left out for a missing
    ///     covariate are ignored); `nil` (the default) for the column sums, as `voom(counts, design)`. Effective
    ///     library sizes lib.size × norm.factors give limma's `voom(calcNormFactors(DGEList(counts)), design)`;
    ///     compute the factors on the samples analysed, since TMM factors depend on which samples are normalised
    ///     together.
    /// - Returns: `nil` when a count is missing or negative, or no feature has residual degrees of freedom.
    /// - Throws: `InputErrorList` for a covariate that does not vary or a design without a unique fit.
    /// - Precondition: `librarySizes`, when given, has one finite, non-negative value per sample of `matrix`.
    public static func voom(
        _ matrix: FeatureMatrix, groups: TwoGroups, covariates: [Covariate], librarySizes: [Double]? = nil
    ) throws(InputErrorList) -> (result: Result, voom: Voom.Result, leftOut: Int)? {
        if let librarySizes {
            precondition(
                librarySizes.count == matrix.samples.count,
                "\(librarySizes.count) library sizes for \(matrix.samples.count) samples")
        }
        let design = try Self.design(matrix, groups: groups, covariates: covariates)
        let columns = design.included
        let counts = matrix.values.map { row in columns.map { row[$0] } }
        guard counts.allSatisfy({ $0.allSatisfy { $0 >= 0 } }) else { return nil }
        let transformed = Voom.transform(
            counts: counts, design: columns.map { design.rows[$0] },
            librarySizes: librarySizes.map { sizes in columns.map { sizes[$0] } })
        // Back to every sample of the matrix, those left out as missing.
        let expand = { (rows: [[Double]]) in
            rows.map { row in
                var full = [Double](repeating: .nan, count: matrix.samples.count)
                for (position, sample) in columns.enumerated() { full[sample] = row[position] }
                return full
            }
        }
        let logCPM = FeatureMatrix(
            path: matrix.path, samples: matrix.samples, labels: matrix.labels, labelColumn: matrix.labelColumn,
            features: matrix.features, values: expand(transformed.logCPM))
        guard
            let fit = try analyze(
                logCPM, groups: groups, covariates: covariates, weights: expand(transformed.weights))
        else { return nil }
        return (fit.result, transformed, fit.leftOut)
    }

    /// The design matrix (intercept, case indicator, covariate columns) for every sample, and the samples of the
    /// two groups with every covariate present; labels take their levels from those samples only.
    ///
    /// - Throws: `InputErrorList` when a covariate does not vary among those samples or the design has no unique
    ///   fit (a covariate confounded with the groups or with another).
    static func design(_ matrix: FeatureMatrix, groups: TwoGroups, covariates: [Covariate]) throws(InputErrorList) -> (
        rows: [[Double]], included: [Int]
    ) {
        let samples = matrix.samples.count
        let missing: Set<String> = ["", "na", "nan", "n/a"]
        var included = Set(groups.cases + groups.controls)
        for covariate in covariates {
            for sample in 0..<samples {
                switch covariate {
                case .numeric(_, let values): if !values[sample].isFinite { included.remove(sample) }
                case .categorical(_, let labels):
                    if missing.contains(labels[sample].lowercased()) { included.remove(sample) }
                }
            }
        }
        let caseSet = Set(groups.cases)
        var rows = (0..<samples).map { [1.0, caseSet.contains($0) ? 1 : 0] }
        let location = InputLocation(path: matrix.path)
        for covariate in covariates {
            switch covariate {
            case .numeric(let name, let values):
                guard Set(included.map { values[$0] }).count > 1 else {
                    throw InputErrorList([
                        InputError(
                            .invalidValue, at: location,
                            "covariate \(InputError.quoted(name)) has one value across the compared samples; it cannot be fitted",
                            hint: "leave it out of --covariates")
                    ])
                }
                for sample in 0..<samples { rows[sample].append(values[sample].isFinite ? values[sample] : 0) }
            case .categorical(let name, let labels):
                let levels = Array(Set(included.map { labels[$0] })).sorted()
                guard levels.count > 1 else {
                    throw InputErrorList([
                        InputError(
                            .invalidValue, at: location,
                            "covariate \(InputError.quoted(name)) has one level across the compared samples; it cannot be fitted",
                            hint: "leave it out of --covariates")
                    ])
                }
                for sample in 0..<samples {
                    for level in levels.dropFirst() { rows[sample].append(labels[sample] == level ? 1 : 0) }
                }
            }
        }
        // The design must have full rank on the compared samples.
        let columns = rows.first?.count ?? 0
        var information = [[Double]](repeating: [Double](repeating: 0, count: columns), count: columns)
        for sample in included {
            for a in 0..<columns { for b in 0..<columns { information[a][b] += rows[sample][a] * rows[sample][b] } }
        }
        guard included.count > columns, LinearAlgebra.solve(information, [Double](repeating: 1, count: columns)) != nil
        else {
            throw InputErrorList([
                InputError(
                    .invalidValue, at: location,
                    "the model ~ group + \(covariates.map(\.name).joined(separator: " + ")) has no unique fit on the \(included.count) compared samples: a covariate is confounded with the groups or with another, or there are too few samples",
                    hint: "leave out the covariate that repeats the group or another covariate")
            ])
        }
        return (rows, included.sorted())
    }
}
