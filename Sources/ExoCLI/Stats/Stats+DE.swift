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

        @OptionGroup var featureList: FeatureListOption

        @Option(help: "The test: moderated (limma, the default), welch or mann-whitney.")
        var method: Method = .moderated

        @Option(
            help:
                "Covariates of the moderated model ~ group + covariates, comma-separated columns (numbers, or labels).")
        var covariates: String?

        @Flag(help: "The values are read counts: limma-voom (log-CPM with precision weights) before the moderated t.")
        var counts = false

        @OptionGroup var knowledge: KnowledgeColumns

        func validate() throws {
            if covariates != nil || counts, method != .moderated {
                throw ValidationError("--covariates and --counts go with the moderated model only.")
            }
        }

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
            var ciLow, ciHigh: Double?

            enum CodingKeys: String, CodingKey {
                case feature, t, b, missing
                case ciLow = "ci_low"
                case ciHigh = "ci_high"
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
                let chosen = DifferentialExpression.Method(rawValue: method.rawValue) ?? .moderated
                let terms = covariates.map { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } }
                let analysed: DifferentialExpression.Result?
                if terms != nil || counts {
                    let (data, groups, model) = try input.load(
                        covariates: terms ?? [], listed: featureList.names, quiet: outputOptions.quiet)
                    let fit: (result: DifferentialExpression.Result, leftOut: Int)?
                    if counts {
                        guard let voom = try DifferentialExpression.voom(data, groups: groups, covariates: model) else {
                            throw InputErrorList([
                                InputError(
                                    .invalidValue, at: InputLocation(path: input.matrix),
                                    "--counts needs a read count (0 or more) for every feature of every sample",
                                    hint: "fill missing counts with 0 if the miRNA was not detected")
                            ])
                        }
                        fit = (voom.result, voom.leftOut)
                    } else {
                        fit = try DifferentialExpression.analyze(data, groups: groups, covariates: model)
                    }
                    if let left = fit?.leftOut, left > 0, !outputOptions.quiet {
                        FileHandle.standardError.write(
                            Data("\(left) samples without every covariate left out\n".utf8))
                    }
                    analysed = fit?.result
                } else {
                    let (data, groups) = try input.load(listed: featureList.names, quiet: outputOptions.quiet)
                    analysed = DifferentialExpression.analyze(data, groups: groups, method: chosen)
                }
                guard let result = analysed else {
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
                                nCase: $0.cases, nControl: $0.controls, missing: $0.missing, ciLow: finite($0.low),
                                ciHigh: finite($0.high))
                        })
                    return
                }
                let tumour = try knowledge.parsed()
                var output =
                    "feature\tlog_fc\tave_expr\tt\tp_value\tadj_p_value\tb\tn_case\tn_control\tmissing\tci_low\tci_high"
                    + (tumour == nil ? "\n" : "\tknown\tcontradicts\n")
                output.reserveCapacity(result.rows.count * 160)
                for row in result.rows {
                    output +=
                        row.feature + "\t" + TSV.number(row.logFC) + "\t" + TSV.number(row.averageExpression) + "\t"
                    output += TSV.number(row.t) + "\t" + TSV.number(row.p) + "\t" + TSV.number(row.adjustedP) + "\t"
                    output += TSV.number(row.b) + "\t\(row.cases)\t\(row.controls)\t\(row.missing)\t"
                    output += TSV.number(row.low) + "\t" + TSV.number(row.high)
                    if let tumour {
                        let observed: KnowledgeDirection? =
                            row.adjustedP < 0.05 ? (row.logFC > 0 ? .up : .down) : nil
                        let (known, against) = KnowledgeColumns.columns(row.feature, tumour: tumour, observed: observed)
                        output += "\t" + known + "\t" + against
                    }
                    output += "\n"
                }
                FileHandle.standardOutput.write(Data(output.utf8))
            }
        }
    }
}
