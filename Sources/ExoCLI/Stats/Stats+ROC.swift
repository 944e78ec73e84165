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
    /// ROC with DeLong confidence interval for every feature.
    struct ROC: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "roc",
            abstract: "AUC with its DeLong confidence interval for every feature of a labelled matrix.",
            discussion: """
                Columns: feature, n_case, n_control, auc, ci_low, ci_high, direction, missing, note. The AUC is the
                Mann–Whitney probability that a case lies on the cases' side of a control (ties count one half);
                the interval is DeLong's, as pROC's ci.auc. --direction higher means cases are expected higher
                than controls; auto chooses per feature by pROC's median rule, which is for a first look only:
                a direction chosen on the data it is judged on inflates the AUC.

                --unpaired OTHER compares each feature the two matrices share between two independent sets of
                samples (a discovery and a validation cohort) with pROC's unpaired DeLong test (Welch-type t):
                feature, n_case, n_control, auc, n_case_2, n_control_2, auc_2, difference, t, df, p, direction.
                The direction is chosen on the first matrix and kept for the second. A missing value is NA.
                """)

        @OptionGroup var input: LabelledMatrixOptions

        @OptionGroup var featureList: FeatureListOption

        @Option(help: "Which side cases lie on: auto, higher or lower.")
        var direction: Direction = .auto

        enum Direction: String, ExpressibleByArgument, CaseIterable {
            case auto, higher, lower

            /// The library's choice of the same name.
            var choice: MarkerROC.DirectionChoice { MarkerROC.DirectionChoice(rawValue: rawValue) ?? .auto }
        }

        @Option(help: "Two-sided confidence level.")
        var level = 0.95

        @Option(
            help: ArgumentHelp(
                "A second, independent matrix (same label column and labels): compare each shared feature's AUC between the two with the unpaired DeLong test.",
                valueName: "matrix"), completion: .file())
        var unpaired: String?

        @Option(help: "Output format: tsv or json.")
        var format: OutputFormat = .tsv

        @OptionGroup var outputOptions: OutputOptions

        func validate() throws {
            guard level > 0, level < 1 else { throw ValidationError("--level must lie between 0 and 1, such as 0.95.") }
        }

        func run() async throws {
            try await withUserFacingErrors(debug: outputOptions.debug, quiet: outputOptions.quiet) {
                let result = try StatsOperations.roc(
                    .init(
                        input: input.input, features: featureList.names, direction: direction.choice, level: level,
                        unpaired: unpaired))
                printMessages(result.messages, quiet: outputOptions.quiet)
                try printTable(result.table, json: outputOptions.json || format == .json)
            }
        }
    }
}
