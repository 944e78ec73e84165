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
    /// One marker in depth: its cut-off and the accuracy there.
    struct Cutoff: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "cutoff",
            abstract: "One feature's ROC in depth: cut-off, accuracy with Wilson intervals, partial AUC, bootstrap CI.",
            discussion: """
                Chooses the cut-off by Youden's J or the point closest to the top-left corner, weighted by --cost
                (of a false negative relative to a false positive) and --prevalence as pROC's best.weights, or as
                the most specific point with at least --sensitivity, or the most sensitive with at least
                --specificity, or takes it from --threshold. Prints key–value lines: the AUC with its DeLong and
                stratified bootstrap intervals, McClish-corrected partial AUC over specificity 0.9–1 (set by
                --partial), the cut-off, and sensitivity, specificity, PPV and NPV there with Wilson intervals.
                PPV and NPV are the samples' own unless --prevalence is given, then they follow by Bayes' rule.
                """)

        @OptionGroup var input: LabelledMatrixOptions

        @Option(help: "The feature.")
        var feature: String

        @Option(help: "Which side cases lie on: higher or lower (auto: pROC's median rule).")
        var direction: Exoscope.Stats.ROC.Direction = .auto

        @Option(help: "Cut-off rule: youden or closest-top-left.")
        var method: Method = .youden

        enum Method: String, ExpressibleByArgument, CaseIterable {
            case youden
            case closestTopLeft = "closest-top-left"
        }

        @Option(help: "Cost of a false negative relative to a false positive.")
        var cost = 1.0

        @Option(help: "Prevalence of the target population (weights the rule; PPV/NPV by Bayes' rule).")
        var prevalence: Double?

        @Option(help: "The most specific cut-off with at least this sensitivity.")
        var sensitivity: Double?

        @Option(help: "The most sensitive cut-off with at least this specificity.")
        var specificity: Double?

        @Option(help: "A fixed cut-off (a case at or beyond it on the cases' side).")
        var threshold: Double?

        @Option(help: "Lower end of the specificity range of the partial AUC (upper end 1).")
        var partial = 0.9

        @Option(help: "Bootstrap resamples for the AUC interval (0: none).")
        var bootstrap = 2000

        @Option(help: "Seed of the bootstrap.")
        var seed: UInt64 = 20_260_707

        @Option(help: "Two-sided confidence level.")
        var level = 0.95

        @OptionGroup var outputOptions: OutputOptions

        func validate() throws {
            guard level > 0, level < 1 else { throw ValidationError("--level must lie between 0 and 1, such as 0.95.") }
            guard cost > 0, cost.isFinite else {
                throw ValidationError("--cost is the cost of a false negative relative to a false positive: above 0.")
            }
            for (name, value) in [
                ("--sensitivity", sensitivity), ("--specificity", specificity), ("--prevalence", prevalence),
            ] {
                if let value, !(value > 0 && value < 1) {
                    throw ValidationError("\(name) is a proportion between 0 and 1, such as 0.9.")
                }
            }
            guard [sensitivity, specificity, threshold].compactMap({ $0 }).count <= 1 else {
                throw ValidationError("give at most one of --sensitivity, --specificity and --threshold.")
            }
            guard partial >= 0, partial < 1 else { throw ValidationError("--partial lies in [0, 1).") }
        }

        func run() async throws {
            try await withUserFacingErrors(debug: outputOptions.debug, quiet: outputOptions.quiet) {
                let result = try StatsOperations.cutoff(
                    .init(
                        input: input.input, feature: feature, direction: direction.choice,
                        method: method == .youden ? .youden : .closestTopLeft, cost: cost, prevalence: prevalence,
                        sensitivity: sensitivity, specificity: specificity, threshold: threshold, partial: partial,
                        bootstrap: bootstrap, seed: seed, level: level))
                printMessages(result.messages, quiet: outputOptions.quiet)
                if outputOptions.json {
                    try printJSON(result.document)
                    return
                }
                printLine(result.fields.map { "\($0.key)\t\($0.value)" }.joined(separator: "\n"))
            }
        }
    }
}
