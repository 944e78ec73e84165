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

        func run() async throws {
            try await withUserFacingErrors(debug: outputOptions.debug, quiet: outputOptions.quiet) {
                let result = try StatsOperations.de(
                    .init(
                        input: input.input, features: featureList.names,
                        method: DifferentialExpression.Method(rawValue: method.rawValue) ?? .moderated,
                        covariates: MatrixColumnSelection.list(covariates), counts: counts,
                        tumour: try knowledge.parsed()))
                printMessages(result.messages, quiet: outputOptions.quiet)
                let json = outputOptions.json || format == .json
                if let prior = result.priorSummary, !outputOptions.json {
                    printMessages([prior], quiet: outputOptions.quiet)
                }
                try printTable(result.table, json: json)
            }
        }
    }
}
