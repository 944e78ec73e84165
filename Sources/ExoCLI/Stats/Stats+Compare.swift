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
            try await withUserFacingErrors(debug: outputOptions.debug) {
                let names = MatrixColumnSelection.list(features) ?? []
                let (data, groups) = try input.load(needed: names, quiet: outputOptions.quiet)
                var columns: [Int] = []
                for name in names {
                    columns.append(try input.column(name, in: data))
                }
                guard Set(columns).count >= 2 else { throw ValidationError("name two or more different features.") }
                let result = try MarkerComparison.paired(
                    data, groups: groups, columns: columns, direction: direction.choice)
                for pair in result.pairs where pair.bothPerfect && !outputOptions.quiet {
                    printError(
                        "warning: \(pair.first) and \(pair.second) both have AUC 1: their test always gives p = 1 and can mislead (as pROC warns)"
                    )
                }
                if outputOptions.json {
                    try printJSON(Output(result))
                    return
                }
                var lines = ["samples\t\(result.cases) cases, \(result.controls) controls with every feature"]
                for curve in result.curves {
                    lines.append(
                        "auc_\(curve.feature)\t\(curve.curve.auc) (\(curve.interval.low)–\(curve.interval.high)), \(curve.curve.direction.rawValue)"
                    )
                }
                for pair in result.pairs {
                    let test = pair.test
                    lines.append(
                        "paired_\(pair.first)_vs_\(pair.second)\tdifference \(test.difference) (\(test.low)–\(test.high)), z \(test.z), p \(test.p)"
                    )
                }
                if let joint = result.joint {
                    lines.append("joint\tchi-square \(joint.chiSquare), df \(joint.degreesOfFreedom), p \(joint.p)")
                }
                print(lines.joined(separator: "\n"))
            }
        }

        /// The comparison as JSON.
        struct Output: Encodable {
            struct AUC: Encodable {
                var feature: String
                var auc, ciLow, ciHigh: Double?
                var direction: String
                enum CodingKeys: String, CodingKey {
                    case feature, auc, direction
                    case ciLow = "ci_low"
                    case ciHigh = "ci_high"
                }
            }
            struct Pair: Encodable {
                var first, second: String
                var difference, z, p, ciLow, ciHigh: Double?
                var bothPerfect: Bool
                enum CodingKeys: String, CodingKey {
                    case first, second, difference, z, p
                    case ciLow = "ci_low"
                    case ciHigh = "ci_high"
                    case bothPerfect = "both_perfect"
                }
            }
            struct Joint: Encodable {
                var chiSquare: Double?
                var df: Int
                var p: Double?
                enum CodingKeys: String, CodingKey {
                    case df, p
                    case chiSquare = "chi_square"
                }
            }
            var nCase, nControl: Int
            var aucs: [AUC]
            var pairs: [Pair]
            var joint: Joint?
            enum CodingKeys: String, CodingKey {
                case aucs, pairs, joint
                case nCase = "n_case"
                case nControl = "n_control"
            }

            init(_ result: MarkerComparison.Paired) {
                nCase = result.cases
                nControl = result.controls
                aucs = result.curves.map {
                    AUC(
                        feature: $0.feature, auc: finite($0.curve.auc), ciLow: finite($0.interval.low),
                        ciHigh: finite($0.interval.high), direction: $0.curve.direction.rawValue)
                }
                pairs = result.pairs.map {
                    Pair(
                        first: $0.first, second: $0.second, difference: finite($0.test.difference),
                        z: finite($0.test.z),
                        p: finite($0.test.p), ciLow: finite($0.test.low), ciHigh: finite($0.test.high),
                        bothPerfect: $0.bothPerfect)
                }
                joint = result.joint.map {
                    Joint(chiSquare: finite($0.chiSquare), df: $0.degreesOfFreedom, p: finite($0.p))
                }
            }
        }
    }
}
