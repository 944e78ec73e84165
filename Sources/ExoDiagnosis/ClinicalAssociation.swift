public import ExoCore
public import ExoFormats
import ExoStats
import Foundation

/// Every feature of a matrix against one clinical column: stage, T, N, M, metastasis, age or any other.
///
/// The test follows the column unless the caller names it: two labels, Mann–Whitney; labels given an order
/// (stage I < II < III < IV), the Jonckheere–Terpstra trend test; numbers, Spearman's ρ; any other labels,
/// Kruskal–Wallis. Samples with an empty label or a missing value are left out feature by feature and counted.
/// P-values are adjusted over the features by Benjamini–Hochberg.
public enum ClinicalAssociation {
    /// The test.
    public enum Test: String, Sendable, Hashable, CaseIterable, Codable {
        case mannWhitney = "mann-whitney"
        case kruskalWallis = "kruskal-wallis"
        case trend = "jonckheere-terpstra"
        case spearman
    }

    /// One feature's association.
    public struct Row: Sendable, Hashable, Codable {
        public var feature: String
        public var test: Test
        /// Samples that entered.
        public var n: Int
        /// W, H, J or ρ.
        public var statistic: Double?
        /// An effect size on a common footing: the probability that a value of the second group exceeds one of
        /// the first (W/(n₁n₂), Mann–Whitney), ε² = H/(n − 1) (Kruskal–Wallis), z (trend), ρ (Spearman).
        public var effect: Double?
        public var p: Double?
        public var adjustedP: Double?
        public var missing: Int
    }

    /// The groups or numbers the column gives, and the test chosen.
    public struct Design: Sendable, Hashable {
        public var test: Test
        /// The levels in order (empty for Spearman).
        public var levels: [String]
        /// Per sample: its level's index, or nil when left out.
        public var level: [Int?]
        /// Per sample: the column as a number (Spearman), or nil.
        public var number: [Double?]
    }

    /// Chooses the test for the matrix's label column.
    ///
    /// - Throws: `InputErrorList` when an ordered level is absent, a sample carries a label outside the order,
    ///   Spearman is asked for text, or fewer than two groups remain.
    public static func design(_ matrix: FeatureMatrix, order: [String]? = nil, test requested: Test? = nil)
        throws(InputErrorList) -> Design
    {
        let location = InputLocation(path: matrix.path)
        let column = InputError.quoted(matrix.labelColumn)
        let present = matrix.labels.filter { !$0.isEmpty && !["na", "nan"].contains($0.lowercased()) }
        let levels = order ?? Array(Set(present)).sorted()
        let numbers = present.compactMap(Double.init)
        let numeric = !present.isEmpty && numbers.count == present.count
        let test =
            requested
            ?? (order != nil
                ? .trend : levels.count == 2 ? .mannWhitney : numeric && levels.count > 2 ? .spearman : .kruskalWallis)
        if test == .spearman {
            guard numeric else {
                throw InputErrorList([
                    InputError(
                        .invalidValue, at: location, "Spearman's ρ needs numbers in column \(column); it has text",
                        hint: "give the levels an order with --order for a trend test")
                ])
            }
            return Design(
                test: test, levels: [], level: matrix.labels.map { _ in nil },
                number: matrix.labels.map { Double($0).flatMap { $0.isFinite ? $0 : nil } })
        }
        if test == .trend, order == nil {
            throw InputErrorList([
                InputError(
                    .invalidValue, at: location, "the trend test needs the levels in order",
                    hint: "give them with --order, such as --order I,II,III,IV")
            ])
        }
        var errors: [InputError] = []
        if levels.count < 2 || (test == .mannWhitney && levels.count != 2) {
            errors.append(
                InputError(
                    .invalidValue, at: location,
                    "column \(column) has \(levels.count) group\(levels.count == 1 ? "" : "s"); the \(test.rawValue) test needs \(test == .mannWhitney ? "exactly 2" : "at least 2")"
                ))
        }
        for level in levels where !present.contains(level) {
            errors.append(
                InputError(
                    .invalidValue, at: location, "no sample has \(InputError.quoted(level)) in column \(column)",
                    hint: EditDistance.didYouMean(level, in: Array(Set(present)).sorted())))
        }
        for (index, label) in matrix.labels.enumerated()
        where present.contains(label) && !levels.contains(label) && errors.count < 20 {
            errors.append(
                InputError(
                    .invalidValue, at: InputLocation(path: matrix.path, line: matrix.lines[index]),
                    "sample \(InputError.quoted(matrix.samples[index])) has \(InputError.quoted(label)), which --order does not list",
                    hint: "list every level in --order, or leave the label empty to leave the sample out"))
        }
        guard errors.isEmpty else { throw InputErrorList(errors) }
        return Design(
            test: test, levels: levels, level: matrix.labels.map { levels.firstIndex(of: $0) },
            number: matrix.labels.map { _ in nil })
    }

    /// Tests every feature, in parallel.
    public static func analyze(_ matrix: FeatureMatrix, design: Design) -> [Row] {
        let results = ConcurrentSlots<Row>(count: matrix.features.count)
        ComputeThreads.run(jobs: matrix.features.count) { feature in
            results[feature] = row(matrix.features[feature], matrix.values[feature], design: design)
        }
        var rows = results.values
        let adjusted = MultipleTesting.benjaminiHochberg(rows.map { $0.p ?? .nan })
        for index in rows.indices where rows[index].p != nil { rows[index].adjustedP = adjusted[index] }
        return rows
    }

    static func row(_ name: String, _ values: [Double], design: Design) -> Row {
        var result = Row(feature: name, test: design.test, n: 0, missing: 0)
        if design.test == .spearman {
            let pairs = zip(design.number, values).compactMap { number, value in
                number.flatMap { value.isNaN ? nil : ($0, value) }
            }
            result.n = pairs.count
            result.missing = design.number.compactMap { $0 }.count - pairs.count
            if let test = RankTests.spearman(pairs.map(\.0), pairs.map(\.1)) {
                result.statistic = test.statistic
                result.effect = test.statistic
                result.p = test.p
            }
            return result
        }
        var groups = [[Double]](repeating: [], count: design.levels.count)
        for (level, value) in zip(design.level, values) {
            guard let level else { continue }
            if value.isNaN { result.missing += 1 } else { groups[level].append(value) }
        }
        result.n = groups.reduce(0) { $0 + $1.count }
        switch design.test {
        case .mannWhitney:
            if let test = TwoSampleTests.mannWhitney(groups[1], groups[0]) {
                result.statistic = test.statistic
                result.effect = test.statistic / Double(groups[0].count * groups[1].count)
                result.p = test.p
            }
        case .kruskalWallis:
            if let test = RankTests.kruskalWallis(groups) {
                result.statistic = test.statistic
                result.effect = test.statistic / Double(result.n - 1)
                result.p = test.p
            }
        case .trend:
            if let test = RankTests.jonckheereTerpstra(groups) {
                result.statistic = test.statistic
                result.effect = test.z
                result.p = test.p
            }
        case .spearman: break
        }
        return result
    }
}
