import ArgumentParser
import ExoPipeline

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

    /// The input of the application layer's request.
    var input: LabelledMatrixInput {
        LabelledMatrixInput(
            path: matrix, label: label, caseLabel: caseLabel, controlLabel: controlLabel, excluded: excluded.names)
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
