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

        struct Row: Encodable {
            var feature: String
            var nCase, nControl, missing: Int
            var auc, ciLow, ciHigh: Double?
            var direction: String
            var note: String?

            enum CodingKeys: String, CodingKey {
                case feature, auc, direction, missing, note
                case nCase = "n_case"
                case nControl = "n_control"
                case ciLow = "ci_low"
                case ciHigh = "ci_high"
            }
        }

        func run() async throws {
            try await withUserFacingErrors(debug: outputOptions.debug) {
                let (data, groups) = try input.load(listed: featureList.names, quiet: outputOptions.quiet)
                if let unpaired {
                    var second = input
                    second.matrix = unpaired
                    let (other, otherGroups) = try second.load(listed: featureList.names, quiet: outputOptions.quiet)
                    try printUnpaired(
                        MarkerComparison.unpaired(
                            data, groups: groups, other, groups: otherGroups, direction: direction.choice, level: level)
                    )
                    return
                }
                let rows = MarkerROC.analyze(
                    data, groups: groups, direction: direction.choice,
                    level: level)
                if outputOptions.json || format == .json {
                    try printJSON(
                        rows.map {
                            Row(
                                feature: $0.feature, nCase: $0.cases, nControl: $0.controls, missing: $0.missing,
                                auc: $0.auc, ciLow: $0.low, ciHigh: $0.high, direction: $0.direction.rawValue,
                                note: $0.note)
                        })
                    return
                }
                var output = "feature\tn_case\tn_control\tauc\tci_low\tci_high\tdirection\tmissing\tnote\n"
                output.reserveCapacity(rows.count * 96)
                for row in rows {
                    output += row.feature
                    output += "\t\(row.cases)\t\(row.controls)\t"
                    output += TSV.number(row.auc) + "\t" + TSV.number(row.low) + "\t" + TSV.number(row.high) + "\t"
                    output += row.direction.rawValue + "\t\(row.missing)\t" + (row.note ?? "") + "\n"
                }
                FileHandle.standardOutput.write(Data(output.utf8))
            }
        }

        /// One feature compared between two independent matrices.
        struct UnpairedRow: Encodable {
            var feature, direction: String
            var nCase, nControl, nCaseSecond, nControlSecond: Int
            var auc, aucSecond, difference, t, df, p: Double?
            enum CodingKeys: String, CodingKey {
                case feature, direction, auc, difference, t, df, p
                case nCase = "n_case"
                case nControl = "n_control"
                case nCaseSecond = "n_case_2"
                case nControlSecond = "n_control_2"
                case aucSecond = "auc_2"
            }
        }

        /// Prints the unpaired comparisons as TSV or JSON, warning where both curves are perfect.
        func printUnpaired(_ rows: [MarkerComparison.Unpaired]) throws {
            guard !rows.isEmpty else {
                throw CLIError(
                    message: "\(input.matrix) and \(unpaired ?? "") share no feature column", code: ExitStatus.dataError
                )
            }
            for row in rows where row.bothPerfect && !outputOptions.quiet {
                printError(
                    "warning: \(row.feature) has AUC 1 in both sets: their test always gives p = 1 and can mislead (as pROC warns)"
                )
            }
            let table = rows.map { row in
                UnpairedRow(
                    feature: row.feature, direction: row.direction.rawValue, nCase: row.first.cases,
                    nControl: row.first.controls, nCaseSecond: row.second.cases, nControlSecond: row.second.controls,
                    auc: row.first.auc.flatMap(finite), aucSecond: row.second.auc.flatMap(finite),
                    difference: row.test.flatMap { finite($0.difference) }, t: row.test.flatMap { finite($0.t) },
                    df: row.test.flatMap { finite($0.degreesOfFreedom) }, p: row.test.flatMap { finite($0.p) })
            }
            if outputOptions.json || format == .json {
                try printJSON(table)
                return
            }
            var output =
                "feature\tn_case\tn_control\tauc\tn_case_2\tn_control_2\tauc_2\tdifference\tt\tdf\tp\tdirection\n"
            for row in table {
                output += "\(row.feature)\t\(row.nCase)\t\(row.nControl)\t\(TSV.number(row.auc))\t\(row.nCaseSecond)\t"
                output +=
                    "\(row.nControlSecond)\t\(TSV.number(row.aucSecond))\t\(TSV.number(row.difference))\t\(TSV.number(row.t))\t"
                output += "\(TSV.number(row.df))\t\(TSV.number(row.p))\t\(row.direction)\n"
            }
            FileHandle.standardOutput.write(Data(output.utf8))
        }
    }
}
