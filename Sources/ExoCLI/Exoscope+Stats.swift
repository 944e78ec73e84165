import ArgumentParser
import ExoCore
import ExoDiagnosis
import ExoFormats
import ExoStats
import Foundation

extension Exoscope {
    /// Statistics on a plain labelled matrix (the layout R and Python users keep their data in).
    struct Stats: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "stats",
            abstract: "Biomarker statistics on a samples × features matrix with a label column.",
            discussion: """
                MATRIX is tab-separated (comma for .csv): a `sample` column, the label column, then one numeric
                column per feature. Missing values (empty, NA, NaN) are left out feature by feature, and every
                row says how many were.
                """,
            subcommands: [ROC.self, DE.self])
    }
}

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
                """)

        @OptionGroup var input: LabelledMatrixOptions

        @Option(help: "Which side cases lie on: auto, higher or lower.")
        var direction: Direction = .auto

        enum Direction: String, ExpressibleByArgument, CaseIterable { case auto, higher, lower }

        @Option(help: "Two-sided confidence level.")
        var level = 0.95

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
                let (data, groups) = try input.load()
                let rows = MarkerROC.analyze(
                    data, groups: groups, direction: MarkerROC.DirectionChoice(rawValue: direction.rawValue) ?? .auto,
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
                func number(_ value: Double?) -> String { value.map { String($0) } ?? "" }
                for row in rows {
                    output += row.feature
                    output += "\t\(row.cases)\t\(row.controls)\t"
                    output += number(row.auc) + "\t" + number(row.low) + "\t" + number(row.high) + "\t"
                    output += row.direction.rawValue + "\t\(row.missing)\t" + (row.note ?? "") + "\n"
                }
                FileHandle.standardOutput.write(Data(output.utf8))
            }
        }
    }
}

extension Exoscope.Stats {
    /// Moderated t (limma) for every feature.
    struct DE: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "de",
            abstract:
                "Differential expression between two groups for every feature: moderated t, Welch or Mann–Whitney.",
            discussion: """
                Columns: feature, log_fc, ave_expr, t, p_value, adj_p_value, b, n_case, n_control, missing. Values must
                be on a log scale (log2 expression, −ΔCq, log-CPM); log_fc is mean(cases) − mean(controls). The
                empirical-Bayes prior (Smyth 2004) is fitted to all features, as limma's eBayes with its defaults,
                and printed on standard error unless --quiet. --method welch gives Welch's t (column t, no b);
                --method mann-whitney gives R's wilcox.test (W in column t; exact p below 50 per group without
                ties, else the tie- and continuity-corrected normal approximation). Missing values are left out
                feature by feature.
                """)

        @OptionGroup var input: LabelledMatrixOptions

        @Option(help: "The test: moderated (limma, the default), welch or mann-whitney.")
        var method: Method = .moderated

        enum Method: String, ExpressibleByArgument, CaseIterable {
            case moderated, welch
            case mannWhitney = "mann-whitney"
        }

        @Option(help: "Output format: tsv or json.")
        var format: OutputFormat = .tsv

        @OptionGroup var outputOptions: OutputOptions

        struct Row: Encodable {
            var feature: String
            var logFC, aveExpr, t, pValue, adjPValue, b: Double?
            var nCase, nControl, missing: Int

            enum CodingKeys: String, CodingKey {
                case feature, t, b, missing
                case logFC = "log_fc"
                case aveExpr = "ave_expr"
                case pValue = "p_value"
                case adjPValue = "adj_p_value"
                case nCase = "n_case"
                case nControl = "n_control"
            }
        }

        func run() async throws {
            try await withUserFacingErrors(debug: outputOptions.debug) {
                let (data, groups) = try input.load()
                let chosen = DifferentialExpression.Method(rawValue: method.rawValue) ?? .moderated
                guard let result = DifferentialExpression.analyze(data, groups: groups, method: chosen) else {
                    throw InputErrorList([
                        InputError(
                            .invalidValue, at: InputLocation(path: input.matrix),
                            "no feature has residual degrees of freedom: each group needs two samples with a value")
                    ])
                }
                if let prior = result.prior, !outputOptions.quiet, !outputOptions.json {
                    FileHandle.standardError.write(
                        Data(
                            "prior: d0 = \(prior.df), s0² = \(prior.variance), v0 = \(prior.coefficientVariance)\n"
                                .utf8))
                }
                func finite(_ value: Double) -> Double? { value.isFinite ? value : nil }
                if outputOptions.json || format == .json {
                    try printJSON(
                        result.rows.map {
                            Row(
                                feature: $0.feature, logFC: finite($0.logFC), aveExpr: finite($0.averageExpression),
                                t: finite($0.t), pValue: finite($0.p), adjPValue: finite($0.adjustedP), b: finite($0.b),
                                nCase: $0.cases, nControl: $0.controls, missing: $0.missing)
                        })
                    return
                }
                var output = "feature\tlog_fc\tave_expr\tt\tp_value\tadj_p_value\tb\tn_case\tn_control\tmissing\n"
                output.reserveCapacity(result.rows.count * 160)
                func number(_ value: Double) -> String { value.isFinite ? String(value) : "" }
                for row in result.rows {
                    output += row.feature + "\t" + number(row.logFC) + "\t" + number(row.averageExpression) + "\t"
                    output += number(row.t) + "\t" + number(row.p) + "\t" + number(row.adjustedP) + "\t"
                    output += number(row.b) + "\t\(row.cases)\t\(row.controls)\t\(row.missing)\n"
                }
                FileHandle.standardOutput.write(Data(output.utf8))
            }
        }
    }
}

/// The matrix file and the two groups every `stats` subcommand compares.
struct LabelledMatrixOptions: ParsableArguments {
    @Argument(help: "The matrix file.", completion: .file())
    var matrix: String

    @Option(help: "The column with each sample's group.")
    var label: String

    @Option(name: .customLong("case"), help: "The label of the cases.")
    var caseLabel: String

    @Option(name: .customLong("control"), help: "The label of the controls (default: every other label).")
    var controlLabel: String?

    /// Reads the matrix and splits its samples.
    func load() throws -> (FeatureMatrix, TwoGroups) {
        let data = try FeatureMatrix(url: URL(fileURLWithPath: matrix), displayPath: matrix, labelColumn: label)
        return (data, try TwoGroups(data, case: caseLabel, control: controlLabel))
    }
}
