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
    /// Prognosis by one marker.
    struct SurvivalCommand: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "survival",
            abstract:
                "Prognosis by one feature: Kaplan–Meier above and below its median, log-rank, Cox with covariates.",
            discussion: """
                --time and --event name the follow-up columns (event 1 and censored 0, or 2 and 1 as R's Surv
                reads them). Prints the median split, each group's size and median survival, the log-rank test,
                and the Cox model of the feature (continuous) with --covariates: coefficient, hazard ratio with its
                95 % interval, and Wald p for every term (Efron ties, as R's coxph). Text columns are sample
                information and are left alone.
                """)

        @Argument(help: "The matrix file.", completion: .file())
        var matrix: String

        @Option(help: "The feature (marker).")
        var feature: String

        @Option(help: "The follow-up time column.")
        var time: String

        @Option(help: "The event column.")
        var event: String

        @Option(help: "Covariates of the Cox model, comma-separated numeric columns.")
        var covariates: String?

        @Flag(
            help:
                "Print the Kaplan–Meier step table instead of the summary: group, time, n_risk, n_event, survival, std_err, lower, upper at every event time (survfit's summary)."
        )
        var steps = false

        @OptionGroup var excluded: ExcludedColumnsOption

        @OptionGroup var outputOptions: OutputOptions

        func run() async throws {
            try await withUserFacingErrors(debug: outputOptions.debug) {
                let result = try StatsOperations.survival(
                    .init(
                        path: matrix, feature: feature, time: time, event: event,
                        covariates: MatrixColumnSelection.list(covariates) ?? [], excluded: excluded.names))
                if steps {
                    try printTable(result.steps, json: outputOptions.json)
                    return
                }
                if outputOptions.json {
                    try printJSON(result)
                } else {
                    printLine(Self.text(result))
                }
                for warning in result.warnings { printError("warning: \(warning)") }
            }
        }

        /// The summary as key–value lines.
        static func text(_ survival: StatsOperations.SurvivalResult) -> String {
            let result = survival.result
            var lines = [
                "feature\t\(result.feature)", "split\tabove \(result.median) (median)",
                "low\tn \(result.lowCount), median survival \(survival.low.medianSurvival)",
                "high\tn \(result.highCount), median survival \(survival.high.medianSurvival)",
                "logrank\tchisq \(result.logRankChiSquare.map { String($0) } ?? "–"), p \(result.logRankP.map { String($0) } ?? "–")",
                "left_out\t\(result.leftOut)",
            ]
            if let terms = survival.terms {
                lines.append("cox\tn \(result.coxSamples)")
                for term in terms {
                    if term.dropped {
                        lines.append("cox_\(term.term)\tcoef NA, HR NA (NA–NA), p NA, dropped")
                        continue
                    }
                    let text = ResultTable.number
                    lines.append(
                        "cox_\(term.term)\tcoef \(text(term.coef)), HR \(text(term.hazardRatio)) (\(text(term.ciLow))–\(text(term.ciHigh))), p \(text(term.p))"
                            + (term.possiblyInfinite ? ", may be infinite" : ""))
                }
            }
            return lines.joined(separator: "\n")
        }
    }
}
