public import ExoCore
public import ExoFormats

/// The case and control samples of a labelled matrix.
///
/// The case label is required; the control label is optional. Without it every other label is a control;
/// with it, the samples carrying a third label are left out (as pROC's `roc(…, levels = c(control, case))`
/// drops them) and counted in ``leftOut``, so that a command can say how many. A missing label (an empty field,
/// `NA`, `NaN` or `N/A`) is not a third group: with a control label it is an error naming the sample and its
/// line. Each group needs at least two samples (a variance needs two).
public struct TwoGroups: Sendable, Hashable {
    public let caseLabel: String
    /// The control label, or `nil` for "every other label".
    public let controlLabel: String?
    /// Row indices of the cases and controls in the matrix.
    public let cases: [Int]
    public let controls: [Int]
    /// The samples left out for a third label, by label (empty without a control label).
    public let leftOut: [String: Int]

    /// Splits the matrix's samples.
    ///
    /// - Throws: `InputErrorList` with `invalidValue` for a label that is absent, a sample without a label when
    ///   the control label is given (each listed with its line), or a group of fewer than two samples.
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
        for (index, label) in matrix.labels.enumerated() {
            if label == caseLabel {
                cases.append(index)
            } else if controlLabel == nil || label == controlLabel {
                controls.append(index)
            } else if !Self.isMissing(label) {
                leftOut[label, default: 0] += 1
            } else if errors.count < 20 {
                errors.append(
                    InputError(
                        .invalidValue, at: InputLocation(path: matrix.path, line: matrix.lines[index]),
                        "sample \(InputError.quoted(matrix.samples[index])) has no label in column \(column) (found \(InputError.quoted(label))), so it is neither the case \(InputError.quoted(caseLabel)) nor the control \(InputError.quoted(controlLabel ?? ""))",
                        hint: "give the sample its group, or remove its row"))
            }
        }
        guard errors.isEmpty else { throw InputErrorList(errors) }
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
    }

    /// Whether a label (already trimmed of spaces and quotes) is a missing value: empty, `NA`, `NaN` or `N/A` in
    /// any case, as in a matrix's numbers.
    static func isMissing(_ label: String) -> Bool {
        ["", "na", "nan", "n/a"].contains(label.lowercased())
    }

    /// The number of samples left out for a third label.
    public var leftOutCount: Int { leftOut.values.reduce(0, +) }

    /// A sentence saying which samples were left out, or `nil` when none were: "left out 28 samples labelled
    /// neither 'Poor' nor 'Good': 'Dead' 28".
    public var leftOutSummary: String? {
        guard let controlLabel, leftOutCount > 0 else { return nil }
        let labels = leftOut.keys.sorted().map { "\(InputError.quoted($0)) \(leftOut[$0] ?? 0)" }
        return
            "left out \(leftOutCount) sample\(leftOutCount == 1 ? "" : "s") labelled neither \(InputError.quoted(caseLabel)) nor \(InputError.quoted(controlLabel)): \(labels.joined(separator: ", "))"
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
