public import ExoCore
public import ExoFormats

/// The case and control samples of a labelled matrix.
///
/// The case label is required; the control label is optional. Without it every other label is a control;
/// with it, the samples carrying a third label are left out (as pROC's `roc(…, levels = c(control, case))`
/// drops them) and counted in ``leftOut``, so that a command can say how many. A sample whose label is missing
/// (an empty field, `NA`, `NaN` or `N/A`) is in neither group, with or without a control label, and is counted in
/// ``unlabelled`` (pROC drops an `NA` response and limma an `NA` group the same way). Each group needs at least
/// two samples (a variance needs two).
public struct TwoGroups: Sendable, Hashable {
    public let caseLabel: String
    /// The control label, or `nil` for "every other label".
    public let controlLabel: String?
    /// Row indices of the cases and controls in the matrix.
    public let cases: [Int]
    public let controls: [Int]
    /// The samples left out for a third label, by label (empty without a control label).
    public let leftOut: [String: Int]
    /// The number of samples left out because their label is missing.
    public let unlabelled: Int

    /// Splits the matrix's samples.
    ///
    /// - Throws: `InputErrorList` with `invalidValue` for a label that is absent or a group of fewer than two
    ///   samples.
    public init(_ matrix: FeatureMatrix, case caseLabel: String, control controlLabel: String? = nil)
        throws(InputErrorList)
    {
        self.caseLabel = caseLabel
        self.controlLabel = controlLabel
        let present = Array(Set(matrix.labels)).sorted()
        let column = InputError.quoted(matrix.labelColumn)
        var errors: [InputError] = []
        for label in [caseLabel] + (controlLabel.map { [$0] } ?? []) where !present.contains(label) {
            errors.append(
                InputError(
                    .invalidValue, at: InputLocation(path: matrix.path),
                    "no sample has the label \(InputError.quoted(label)) in column \(column); it has \(present.map { InputError.quoted($0) }.joined(separator: ", "))",
                    hint: EditDistance.didYouMean(label, in: present)))
        }
        guard errors.isEmpty else { throw InputErrorList(errors) }
        var cases: [Int] = []
        var controls: [Int] = []
        var leftOut: [String: Int] = [:]
        var unlabelled = 0
        for (index, label) in matrix.labels.enumerated() {
            if label == caseLabel {
                cases.append(index)
            } else if Self.isMissing(label) {
                unlabelled += 1
            } else if controlLabel == nil || label == controlLabel {
                controls.append(index)
            } else {
                leftOut[label, default: 0] += 1
            }
        }
        for (name, label, members) in [
            ("case", caseLabel, cases), ("control", controlLabel ?? "every label but \(caseLabel)", controls),
        ] where members.count < 2 {
            errors.append(
                InputError(
                    .invalidValue, at: InputLocation(path: matrix.path),
                    "the \(name) group (\(label)) has \(members.count) sample\(members.count == 1 ? "" : "s"); comparing two groups needs at least 2 in each"
                ))
        }
        guard errors.isEmpty else { throw InputErrorList(errors) }
        self.cases = cases
        self.controls = controls
        self.leftOut = leftOut
        self.unlabelled = unlabelled
    }

    /// Whether a label (already trimmed of spaces and quotes) is a missing value: empty, `NA`, `NaN` or `N/A` in
    /// any case, as in a matrix's numbers.
    static func isMissing(_ label: String) -> Bool {
        ["", "na", "nan", "n/a"].contains(label.lowercased())
    }

    /// The number of samples left out for a third label.
    public var leftOutCount: Int { leftOut.values.reduce(0, +) }

    /// A sentence saying which samples were left out, or `nil` when none were: "left out 28 samples labelled
    /// neither 'Poor' nor 'Good': 'Dead' 28", and "3 samples without a label" (counts only: the samples' names
    /// are not printed).
    public var leftOutSummary: String? {
        var parts: [String] = []
        if let controlLabel, leftOutCount > 0 {
            let labels = leftOut.keys.sorted().map { "\(InputError.quoted($0)) \(leftOut[$0] ?? 0)" }
            parts.append(
                "\(leftOutCount) sample\(leftOutCount == 1 ? "" : "s") labelled neither \(InputError.quoted(caseLabel)) nor \(InputError.quoted(controlLabel)): \(labels.joined(separator: ", "))"
            )
        }
        if unlabelled > 0 {
            parts.append("\(unlabelled) sample\(unlabelled == 1 ? "" : "s") without a label (empty, NA, NaN or N/A)")
        }
        return parts.isEmpty ? nil : "left out " + parts.joined(separator: "; and ")
    }

    /// One feature's values in the cases and in the controls, missing values (NaN) left out.
    public func present(_ values: [Double]) -> (cases: [Double], controls: [Double]) {
        var caseValues: [Double] = []
        var controlValues: [Double] = []
        caseValues.reserveCapacity(cases.count)
        controlValues.reserveCapacity(controls.count)
        for index in cases where !values[index].isNaN { caseValues.append(values[index]) }
        for index in controls where !values[index].isNaN { controlValues.append(values[index]) }
        return (caseValues, controlValues)
    }

    /// The number of samples in the two groups.
    public var sampleCount: Int { cases.count + controls.count }
}
