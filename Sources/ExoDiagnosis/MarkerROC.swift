import ExoCore
public import ExoFormats
public import ExoStats
import Foundation

/// The ROC curve of every feature of a labelled matrix, with its DeLong confidence interval.
///
/// Missing values (NaN) are left out feature by feature, and each row says how many: n_case and n_control
/// count the samples that entered. A feature with fewer than two cases or controls left has no AUC; a
/// constant one has AUC 0.5 and no interval (it cannot separate the groups). The direction is the caller's:
/// fixed (`higher`, `lower`) or pROC's median rule per feature (`auto`, for a first look only: choosing it
/// from the same data that are then evaluated biases the AUC upward).
public enum MarkerROC {
    /// How each feature's direction is chosen.
    public enum DirectionChoice: String, Sendable, CaseIterable {
        case auto, higher, lower

        /// The direction for these values: fixed, or pROC's median rule for `auto`.
        public func direction(cases: [Double], controls: [Double]) -> ROCCurve.Direction {
            switch self {
            case .higher: .higherInCases
            case .lower: .lowerInCases
            case .auto: .detected(cases: cases, controls: controls)
            }
        }
    }

    /// One feature's result.
    public struct Row: Sendable, Hashable {
        public var feature: String
        public var cases: Int
        public var controls: Int
        public var auc: Double?
        public var low: Double?
        public var high: Double?
        public var direction: ROCCurve.Direction
        /// Values left out as missing.
        public var missing: Int
        /// Why a value is absent, or what was left out.
        public var note: String?
    }

    /// Analyses every feature, in parallel over the available cores.
    public static func analyze(
        _ matrix: FeatureMatrix, groups: TwoGroups, direction: DirectionChoice = .auto, level: Double = 0.95
    ) -> [Row] {
        let results = ConcurrentSlots<Row>(count: matrix.features.count)
        ComputeThreads.run(jobs: matrix.features.count) { feature in
            results[feature] = row(
                name: matrix.features[feature], values: matrix.values[feature], groups: groups,
                direction: direction, level: level)
        }
        return results.values
    }

    static func row(name: String, values: [Double], groups: TwoGroups, direction: DirectionChoice, level: Double)
        -> Row
    {
        evaluated(name: name, values: values, groups: groups, direction: direction, level: level).row
    }

    /// A feature's row and the curve behind it (`nil` with fewer than two cases or controls, or infinite values).
    static func evaluated(
        name: String, values: [Double], groups: TwoGroups, direction: DirectionChoice, level: Double
    ) -> (row: Row, curve: ROCCurve?) {
        let (cases, controls) = groups.present(values)
        let missing = groups.sampleCount - cases.count - controls.count
        let chosen = direction.direction(cases: cases, controls: controls)
        var row = Row(
            feature: name, cases: cases.count, controls: controls.count, direction: chosen, missing: missing,
            note: missing > 0 ? "\(missing) missing value\(missing == 1 ? "" : "s") left out" : nil)
        guard cases.count >= 2, controls.count >= 2 else {
            row.note = "fewer than 2 cases or controls with a value"
            return (row, nil)
        }
        guard let curve = ROCCurve(cases: cases, controls: controls, direction: chosen) else {
            row.note = "infinite values"
            return (row, nil)
        }
        row.auc = curve.auc
        if let first = cases.first, cases.allSatisfy({ $0 == first }), controls.allSatisfy({ $0 == first }) {
            row.note = "constant marker: it does not separate the groups"
            return (row, curve)
        }
        let interval = curve.confidenceInterval(level: level)
        row.low = interval.low
        row.high = interval.high
        return (row, curve)
    }
}
