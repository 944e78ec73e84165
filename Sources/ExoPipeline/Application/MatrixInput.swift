public import ExoCore
public import ExoDiagnosis
public import ExoFormats
import Foundation

/// A labelled samples × features matrix file and the two groups every `stats` operation compares.
public struct LabelledMatrixInput: Sendable, Equatable {
    /// The matrix file, as the user named it (error messages quote it).
    public var path: String
    /// The column with each sample's group.
    public var label: String
    /// The label of the cases.
    public var caseLabel: String
    /// The label of the controls (`nil`: every other label; with it, samples of a third label are left out).
    public var controlLabel: String?
    /// Columns to leave unread.
    public var excluded: [String]

    /// The input with its file, label column, labels and unread columns.
    public init(path: String, label: String, caseLabel: String, controlLabel: String? = nil, excluded: [String] = []) {
        self.path = path
        self.label = label
        self.caseLabel = caseLabel
        self.controlLabel = controlLabel
        self.excluded = excluded
    }

    /// The same input with another matrix file.
    public func with(path: String) -> LabelledMatrixInput {
        var copy = self
        copy.path = path
        return copy
    }

    /// A matrix read with its two groups and the note on samples left out (a sentence, or `nil`).
    public struct Loaded: Sendable {
        public var data: FeatureMatrix
        public var groups: TwoGroups
        public var note: String?
    }

    /// The index of a named feature, or an error naming the nearest one.
    public func column(_ feature: String, in data: FeatureMatrix) throws(InputErrorList) -> Int {
        guard let index = data.features.firstIndex(of: feature) else {
            throw InputErrorList([
                InputError(
                    .missingColumn, at: InputLocation(path: path, line: 1),
                    "no feature column \(InputError.quoted(feature))",
                    hint: EditDistance.didYouMean(feature, in: data.features))
            ])
        }
        return index
    }

    /// Reads the matrix and splits its samples.
    ///
    /// - Parameters:
    ///   - listed: the features `--features` names (`nil`: every numeric column); unknown names are a usage error.
    ///   - needed: the features the operation itself names (`stats cutoff --feature`, `stats compare --features`):
    ///     only these are read, and an unknown one is an input error naming the nearest column.
    /// - Returns: the matrix, its two groups and the note on samples of a third label left out.
    /// - Throws: ``OperationError/usage(_:)`` for an unknown name in `listed` or ``excluded``; `InputErrorList`
    ///   for the file.
    public func load(listed: [String]? = nil, needed: [String]? = nil) throws -> Loaded {
        let url = URL(fileURLWithPath: path)
        let names = try FeatureMatrix.columnNames(of: url, displayPath: path)
        if let needed {
            let candidates = names.filter { $0 != label }
            for feature in needed where !candidates.contains(feature) {
                throw InputErrorList([
                    InputError(
                        .missingColumn, at: InputLocation(path: path, line: 1),
                        "no feature column \(InputError.quoted(feature))",
                        hint: EditDistance.didYouMean(feature, in: candidates))
                ])
            }
        }
        let selection = try MatrixColumnSelection.checked(
            features: listed, excluded: excluded, columns: names, label: label, path: path)
        let data = try FeatureMatrix(
            url: url, displayPath: path, labelColumn: label,
            selection: FeatureMatrix.Selection(features: needed ?? selection.features, excluding: selection.excluded))
        return try groups(of: data)
    }

    /// The two groups of a matrix, with the note on samples left out.
    private func groups(of data: FeatureMatrix) throws -> Loaded {
        let groups = try TwoGroups(data, case: caseLabel, control: controlLabel)
        return Loaded(data: data, groups: groups, note: groups.leftOutSummary)
    }

    /// Reads the matrix with its text columns as sample information and takes the named covariates out of it:
    /// numeric columns as numbers, text columns as labels.
    public func load(covariates terms: [String], listed: [String]? = nil) throws -> (
        Loaded, [DifferentialExpression.Covariate]
    ) {
        let url = URL(fileURLWithPath: path)
        let columns = try FeatureMatrix.columnNames(of: url, displayPath: path)
        let selection = try MatrixColumnSelection.checked(
            features: listed, excluded: excluded, columns: columns, label: label, path: path)
        let data = try FeatureMatrix(
            url: url, displayPath: path, labelColumn: label, detectText: true,
            selection: FeatureMatrix.Selection(
                features: selection.features.map { $0 + terms.filter(columns.contains) },
                excluding: selection.excluded))
        // Text columns are covariates or nothing: a feature column with text is an error, as without covariates.
        if let stray = data.annotations.keys.sorted().first(where: { !terms.contains($0) }) {
            throw InputErrorList([
                InputError(
                    .invalidNumber, at: InputLocation(path: path, line: data.lines.first ?? 2),
                    "column \(InputError.quoted(stray)) holds text where a number was expected",
                    hint:
                        "name it in --covariates if it is sample information, leave it out with --exclude \(FeatureMatrix.shellWord(stray)), or correct the value"
                )
            ])
        }
        var covariates: [DifferentialExpression.Covariate] = []
        for name in terms {
            if let labels = data.annotations[name] {
                covariates.append(.categorical(name, labels))
            } else if let index = data.features.firstIndex(of: name) {
                covariates.append(.numeric(name, data.values[index]))
            } else {
                throw InputErrorList([
                    InputError(
                        .missingColumn, at: InputLocation(path: path, line: 1),
                        "no covariate column \(InputError.quoted(name))",
                        hint: EditDistance.didYouMean(name, in: data.features + data.annotations.keys.sorted()))
                ])
            }
        }
        return (try groups(of: data.removing(features: Set(terms))), covariates)
    }
}

/// The checks on `--features` and `--exclude` against a matrix file's columns.
public enum MatrixColumnSelection {
    /// A comma-separated list, each name trimmed of spaces, empty names dropped; `nil` for `nil`.
    public static func list(_ text: String?) -> [String]? {
        text.map { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty } }
    }

    /// The selection, after checking that every name is a column of the file and that neither list takes the
    /// sample or label column.
    ///
    /// - Parameters:
    ///   - features: `--features`, or `nil`.
    ///   - excluded: `--exclude`.
    ///   - columns: the file's column names.
    ///   - label: the label column (`nil` for none), which cannot be listed.
    ///   - path: the file as the user named it.
    /// - Returns: the selection to read the file with.
    /// - Throws: ``OperationError/usage(_:)`` naming the option, the unknown name and the nearest column.
    public static func checked(
        features: [String]?, excluded: [String], columns: [String], label: String?, path: String
    ) throws(OperationError) -> FeatureMatrix.Selection {
        let reserved = Set([label, "sample", "sample_id"].compactMap { $0 })
        for (option, names) in [("--features", features ?? []), ("--exclude", excluded)] {
            for name in names {
                if reserved.contains(name) || reserved.contains(name.lowercased()) {
                    throw .usage(
                        "\(option) cannot take \(InputError.quoted(name)): it is the \(name == label ? "label" : "sample") column"
                    )
                }
                guard columns.contains(name) else {
                    let near = EditDistance.didYouMean(name, in: columns.filter { !reserved.contains($0) })
                    throw .usage(
                        "\(option): \(path) has no column \(InputError.quoted(name))" + (near.map { "; \($0)" } ?? ""))
                }
            }
        }
        return FeatureMatrix.Selection(features: features, excluding: excluded)
    }

    /// Reads a matrix file with the columns `--features` and `--exclude` select, after checking their names.
    ///
    /// - Parameters:
    ///   - path: the file as the user named it.
    ///   - label: the label column, or `nil`.
    ///   - textColumns: columns kept as text.
    ///   - features: `--features`, or `nil`.
    ///   - excluded: `--exclude`.
    /// - Returns: the matrix.
    /// - Throws: ``OperationError/usage(_:)`` for an unknown column name; `InputErrorList` for the file.
    public static func read(
        _ path: String, label: String?, textColumns: [String] = [], features: [String]? = nil, excluded: [String]
    ) throws -> FeatureMatrix {
        let url = URL(fileURLWithPath: path)
        let selection = try checked(
            features: features, excluded: excluded, columns: try FeatureMatrix.columnNames(of: url, displayPath: path),
            label: label, path: path)
        return try FeatureMatrix(
            url: url, displayPath: path, labelColumn: label, textColumns: textColumns, detectText: true,
            selection: selection)
    }
}
