import ArgumentParser
import ExoCore
import ExoDiagnosis
import ExoFormats
import ExoKnowledge
import ExoPipeline
import ExoStats
import ExoStore
import Foundation

extension Exoscope.Stats {
    /// A penalised logistic panel with nested cross-validation.
    struct Panel: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "panel",
            abstract:
                "A multi-feature diagnostic panel: lasso / elastic net / ridge logistic regression, cross-validated.",
            discussion: """
                Fits the penalised logistic path on every complete sample (glmnet's model and path) and picks λ by
                10-fold cross-validation of the binomial deviance (cv.glmnet). Columns: feature, coefficient,
                selection_frequency, for the features the panel keeps (all with --all). The summary on standard
                error gives λ and, with --repeats above 0, the nested cross-validated AUC (every step refitted
                inside each outer training fold, so it is not optimistic) with its DeLong interval, the same for
                the best single feature, calibration slope and intercept, and the Brier score. Samples with a
                missing value are left out. Folds are drawn from --seed.
                """)

        @OptionGroup var input: LabelledMatrixOptions

        @OptionGroup var featureList: FeatureListOption

        @Option(help: "Elastic-net mixing: 1 lasso, 0 ridge, in between the elastic net.")
        var alpha = 1.0

        @Option(help: "Cross-validation folds.")
        var folds = 10

        @Option(help: "Repeats of the nested cross-validation (0: the λ choice only).")
        var repeats = 5

        @Option(help: "The λ rule: min (smallest CV deviance) or 1se (largest λ within one SE of it).")
        var lambda: LambdaRule = .oneSE

        enum LambdaRule: String, ExpressibleByArgument, CaseIterable {
            case min
            case oneSE = "1se"
        }

        @Option(help: "Seed of the fold assignment.")
        var seed: UInt64 = 20_260_707

        @Flag(help: "List every feature, not only those the panel keeps.")
        var all = false

        @Option(help: "Write the panel as a locked model (versioned JSON with its SHA-256) to this file.")
        var lock: String?

        @Option(help: "The locked model's name.")
        var name: String?

        @Option(help: "The specimen the locked model is for (such as plasma); samples of another are refused.")
        var specimen: String?

        @Option(help: "How the values were prepared (scale, normalisation), stated in the locked model.")
        var normalisation: String?

        @Option(help: "Fixed probability cut-point of the locked model (default: Youden on out-of-fold probabilities).")
        var cutPoint: Double?

        @OptionGroup var knowledge: KnowledgeColumns

        @Option(help: "Output format: tsv or json.")
        var format: OutputFormat = .tsv

        @OptionGroup var outputOptions: OutputOptions

        func validate() throws {
            guard (0...1).contains(alpha) else { throw ValidationError("--alpha must lie between 0 and 1.") }
            guard folds >= 3 else { throw ValidationError("--folds must be at least 3.") }
            guard repeats >= 0 else { throw ValidationError("--repeats must be 0 or more.") }
            if lock != nil, name == nil || specimen == nil || normalisation == nil {
                throw ValidationError(
                    "--lock needs --name, --specimen and --normalisation: a locked model states them.")
            }
            if let cutPoint, !(cutPoint > 0 && cutPoint < 1) {
                throw ValidationError("--cut-point is a probability between 0 and 1.")
            }
        }

        func run() async throws {
            try await withUserFacingErrors(debug: outputOptions.debug, quiet: outputOptions.quiet) {
                var locking: StatsOperations.PanelRequest.Lock?
                if let lock, let name, let specimen, let normalisation {
                    locking = .init(
                        path: lock,
                        settings: .init(
                            name: name, specimen: specimen, normalisation: normalisation, cutPoint: cutPoint))
                }
                let result = try StatsOperations.panel(
                    .init(
                        input: input.input, features: featureList.names,
                        options: .init(
                            alpha: alpha, folds: folds, repeats: repeats,
                            rule: lambda == .min ? .minimum : .oneStandardError, seed: seed),
                        all: all, lock: locking, tumour: try knowledge.parsed()))
                printMessages(result.messages, quiet: outputOptions.quiet)
                if outputOptions.json || format == .json {
                    try printJSON(result.document)
                    return
                }
                if !outputOptions.quiet { Console.current.error(result.summary) }
                try printTable(result.table, json: false)
            }
        }
    }
}
