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
    /// DeLong tests between markers measured on the same samples.
    struct Compare: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "compare",
            abstract: "Compare the AUCs of two or more features on the same samples: paired and joint DeLong tests.",
            discussion: """
                Uses the samples with a value for every named feature. Each feature's direction is read from the
                medians unless --direction fixes it for all. Prints each AUC with its DeLong interval, the paired
                DeLong test of every pair (difference, z, p, interval of the difference, as pROC's roc.test), and
                for three or more features the joint χ² test that all AUCs are equal (DeLong et al. 1988).
                """)

        @OptionGroup var input: LabelledMatrixOptions

        @Option(help: "The features, comma-separated (two or more).")
        var features: String

        @Option(help: "Which side cases lie on: auto, higher or lower.")
        var direction: Exoscope.Stats.ROC.Direction = .auto

        @OptionGroup var outputOptions: OutputOptions

        func run() async throws {
            try await withUserFacingErrors(debug: outputOptions.debug, quiet: outputOptions.quiet) {
                let result = try StatsOperations.compare(
                    .init(
                        input: input.input, features: MatrixColumnSelection.list(features) ?? [],
                        direction: direction.choice))
                printMessages(result.messages, quiet: outputOptions.quiet)
                if outputOptions.json {
                    try printJSON(result)
                    return
                }
                let comparison = result.comparison
                var lines = ["samples\t\(comparison.cases) cases, \(comparison.controls) controls with every feature"]
                for curve in comparison.curves {
                    lines.append(
                        "auc_\(curve.feature)\t\(curve.curve.auc) (\(curve.interval.low)–\(curve.interval.high)), \(curve.curve.direction.rawValue)"
                    )
                }
                for pair in comparison.pairs {
                    let test = pair.test
                    lines.append(
                        "paired_\(pair.first)_vs_\(pair.second)\tdifference \(test.difference) (\(test.low)–\(test.high)), z \(test.z), p \(test.p)"
                    )
                }
                if let joint = comparison.joint {
                    lines.append("joint\tchi-square \(joint.chiSquare), df \(joint.degreesOfFreedom), p \(joint.p)")
                }
                printLine(lines.joined(separator: "\n"))
            }
        }
    }
}
