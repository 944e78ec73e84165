import ArgumentParser
import ExoCore
import ExoDiagnosis
import ExoFormats
import Foundation

/// The matrix file and the two groups every `stats` subcommand compares.
struct LabelledMatrixOptions: ParsableArguments {
    @Argument(help: "The matrix file.", completion: .file())
    var matrix: String

    @Option(help: "The column with each sample's group.")
    var label: String

    @Option(name: .customLong("case"), help: "The label of the cases.")
    var caseLabel: String

    @Option(
        name: .customLong("control"),
        help: "The label of the controls (default: every other label; with it, samples of a third label are left out).")
    var controlLabel: String?

    @OptionGroup var excluded: ExcludedColumnsOption

    /// The index of a named feature, or an error naming the nearest one.
    func column(_ feature: String, in data: FeatureMatrix) throws(InputErrorList) -> Int {
        guard let index = data.features.firstIndex(of: feature) else {
            throw InputErrorList([
                InputError(
                    .missingColumn, at: InputLocation(path: matrix, line: 1),
                    "no feature column \(InputError.quoted(feature))",
                    hint: EditDistance.didYouMean(feature, in: data.features))
            ])
        }
        return index
    }

    /// Reads the matrix and splits its samples, saying on standard error (unless `quiet`) how many samples of a
    /// third label were left out.
    ///
    /// - Parameters:
    ///   - listed: the features `--features` names (`nil`: every numeric column); unknown names are a usage error.
    ///   - needed: the features the command itself names (`stats cutoff --feature`, `stats compare --features`):
    ///     only these are read, and an unknown one is an input error naming the nearest column.
    ///   - quiet: print nothing but errors.
    /// - Returns: the matrix and its two groups.
    /// - Throws: `CLIError` (64) for an unknown name in `--features` or `--exclude`; `InputErrorList` for the file.
    func load(listed: [String]? = nil, needed: [String]? = nil, quiet: Bool) throws -> (FeatureMatrix, TwoGroups) {
        let url = URL(fileURLWithPath: matrix)
        let names = try FeatureMatrix.columnNames(of: url, displayPath: matrix)
        if let needed {
            let candidates = names.filter { $0 != label }
            for feature in needed where !candidates.contains(feature) {
                throw InputErrorList([
                    InputError(
                        .missingColumn, at: InputLocation(path: matrix, line: 1),
                        "no feature column \(InputError.quoted(feature))",
                        hint: EditDistance.didYouMean(feature, in: candidates))
                ])
            }
        }
        let selection = try MatrixColumnSelection.checked(
            features: listed, excluded: excluded.names, columns: names, label: label, path: matrix)
        let data = try FeatureMatrix(
            url: url, displayPath: matrix, labelColumn: label,
            selection: FeatureMatrix.Selection(features: needed ?? selection.features, excluding: selection.excluded))
        return (data, try groups(of: data, quiet: quiet))
    }

    /// The two groups of a matrix, with the note on samples left out.
    private func groups(of data: FeatureMatrix, quiet: Bool) throws -> TwoGroups {
        let groups = try TwoGroups(data, case: caseLabel, control: controlLabel)
        if let summary = groups.leftOutSummary, !quiet { printError("note: \(summary)") }
        return groups
    }

    /// Reads the matrix with its text columns as sample information and takes the named covariates out of it:
    /// numeric columns as numbers, text columns as labels.
    func load(covariates terms: [String], listed: [String]? = nil, quiet: Bool) throws -> (
        FeatureMatrix, TwoGroups, [DifferentialExpression.Covariate]
    ) {
        let url = URL(fileURLWithPath: matrix)
        let columns = try FeatureMatrix.columnNames(of: url, displayPath: matrix)
        let selection = try MatrixColumnSelection.checked(
            features: listed, excluded: excluded.names, columns: columns, label: label, path: matrix)
        let data = try FeatureMatrix(
            url: url, displayPath: matrix, labelColumn: label, detectText: true,
            selection: FeatureMatrix.Selection(
                features: selection.features.map { $0 + terms.filter(columns.contains) },
                excluding: selection.excluded))
        // Text columns are covariates or nothing: a feature column with text is an error, as without covariates.
        if let stray = data.annotations.keys.sorted().first(where: { !terms.contains($0) }) {
            throw InputErrorList([
                InputError(
                    .invalidNumber, at: InputLocation(path: matrix, line: data.lines.first ?? 2),
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
                        .missingColumn, at: InputLocation(path: matrix, line: 1),
                        "no covariate column \(InputError.quoted(name))",
                        hint: EditDistance.didYouMean(name, in: data.features + data.annotations.keys.sorted()))
                ])
            }
        }
        let features = data.removing(features: Set(terms))
        return (features, try groups(of: features, quiet: quiet), covariates)
    }
}

/// `--exclude`: columns a matrix command leaves unread.
struct ExcludedColumnsOption: ParsableArguments {
    @Option(
        help: ArgumentHelp(
            "Columns to leave unread, comma-separated (text such as sex, or a second outcome).", valueName: "columns"))
    var exclude: String?

    /// The names, trimmed; empty without the option.
    var names: [String] { MatrixColumnSelection.list(exclude) ?? [] }
}

/// `--features`: the feature columns to analyse.
struct FeatureListOption: ParsableArguments {
    @Option(
        help: ArgumentHelp(
            "Only these feature columns, comma-separated (default: every numeric column).", valueName: "columns"))
    var features: String?

    /// The names, trimmed; `nil` without the option.
    var names: [String]? { MatrixColumnSelection.list(features) }
}

/// The checks on `--features` and `--exclude` against a matrix file's columns.
enum MatrixColumnSelection {
    /// A comma-separated list, each name trimmed of spaces, empty names dropped; `nil` for `nil`.
    static func list(_ text: String?) -> [String]? {
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
    /// - Throws: `CLIError` with exit code 64 (usage) naming the option, the unknown name and the nearest column.
    static func checked(
        features: [String]?, excluded: [String], columns: [String], label: String?, path: String
    ) throws(CLIError) -> FeatureMatrix.Selection {
        let reserved = Set([label, "sample", "sample_id"].compactMap { $0 })
        for (option, names) in [("--features", features ?? []), ("--exclude", excluded)] {
            for name in names {
                if reserved.contains(name) || reserved.contains(name.lowercased()) {
                    throw CLIError(
                        message:
                            "\(option) cannot take \(InputError.quoted(name)): it is the \(name == label ? "label" : "sample") column",
                        code: ExitStatus.usage)
                }
                guard columns.contains(name) else {
                    let near = EditDistance.didYouMean(name, in: columns.filter { !reserved.contains($0) })
                    throw CLIError(
                        message: "\(option): \(path) has no column \(InputError.quoted(name))"
                            + (near.map { "; \($0)" } ?? ""),
                        code: ExitStatus.usage)
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
    ///   - textColumns: columns kept as text (see ``FeatureMatrix/init(url:displayPath:labelColumn:textColumns:detectText:selection:)``).
    ///   - features: `--features`, or `nil`.
    ///   - excluded: `--exclude`.
    /// - Returns: the matrix.
    /// - Throws: `CLIError` (64) for an unknown column name; `InputErrorList` for the file.
    static func read(
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
