public import ExoCore
public import ExoFormats

/// The case and control samples of a labelled matrix.
///
/// The case label is required; the control label is optional. Without it every other label is a control;
/// with it, a sample carrying any third label is an error rather than silently left out. Each group needs at
/// least two samples (a variance needs two).
public struct TwoGroups: Sendable, Hashable {
    public let caseLabel: String
    /// The control label, or `nil` for "every other label".
    public let controlLabel: String?
    /// Row indices of the cases and controls in the matrix.
    public let cases: [Int]
    public let controls: [Int]

    /// Splits the matrix's samples.
    ///
    /// - Throws: `InputErrorList` with `invalidValue` for a label that is absent, a sample with a third label
    ///   (each listed with its line), or a group of fewer than two samples.
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
        for (index, label) in matrix.labels.enumerated() {
            if label == caseLabel {
                cases.append(index)
            } else if controlLabel == nil || label == controlLabel {
                controls.append(index)
            } else if errors.count < 20 {
                errors.append(
                    InputError(
                        .invalidValue, at: InputLocation(path: matrix.path, line: matrix.lines[index]),
                        "sample \(InputError.quoted(matrix.samples[index])) has the label \(InputError.quoted(label)), neither the case \(InputError.quoted(caseLabel)) nor the control \(InputError.quoted(controlLabel ?? ""))",
                        hint: "leave out --control to count every other label as control, or remove the sample"))
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
