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
    /// Every feature against a clinical column.
    struct Associate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "associate",
            abstract: "Every feature against a clinical column: Mann–Whitney, Kruskal–Wallis, trend or Spearman.",
            discussion: """
                --by names the column (stage, t_stage, metastasis, age…). The test follows it unless --test names
                one: two labels, Mann–Whitney; --order LEVELS (comma-separated, such as I,II,III,IV), the
                Jonckheere–Terpstra trend test; numbers, Spearman's ρ; other labels, Kruskal–Wallis. Columns:
                feature, test, n, statistic, effect, p_value, adj_p_value (Benjamini–Hochberg), missing. effect is
                W/(n₁n₂) for Mann–Whitney (the second level against the first), ε² for Kruskal–Wallis, z for the
                trend (positive: rising along the order) and ρ for Spearman. Samples with an empty label are left
                out.
                """)

        @Argument(help: "The matrix file.", completion: .file())
        var matrix: String

        @Option(help: "The clinical column.")
        var by: String

        @Option(help: "The levels in order, comma-separated, for a trend test.")
        var order: String?

        @Option(help: "The test: mann-whitney, kruskal-wallis, jonckheere-terpstra or spearman.")
        var test: TestChoice?

        @OptionGroup var featureList: FeatureListOption

        @OptionGroup var excluded: ExcludedColumnsOption

        enum TestChoice: String, ExpressibleByArgument, CaseIterable {
            case mannWhitney = "mann-whitney"
            case kruskalWallis = "kruskal-wallis"
            case trend = "jonckheere-terpstra"
            case spearman
        }

        @Option(help: "Output format: tsv or json.")
        var format: OutputFormat = .tsv

        @OptionGroup var outputOptions: OutputOptions

        func run() async throws {
            try await withUserFacingErrors(debug: outputOptions.debug, quiet: outputOptions.quiet || outputOptions.json)
            {
                let result = try StatsOperations.associate(
                    .init(
                        path: matrix, by: by, order: MatrixColumnSelection.list(order),
                        test: test.flatMap { ClinicalAssociation.Test(rawValue: $0.rawValue) },
                        features: featureList.names, excluded: excluded.names))
                if !result.annotations.isEmpty, !outputOptions.json {
                    printMessages(
                        [StatsOperations.annotationNote(result.annotations)], quiet: outputOptions.quiet)
                }
                try printTable(result.table, json: outputOptions.json || format == .json)
            }
        }
    }
}
