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
                let data = try MatrixColumnSelection.read(matrix, label: nil, excluded: excluded.names)
                let names = covariates.map { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } }
                let result = try Prognosis.analyze(
                    data, feature: feature, time: time, event: event, covariates: names ?? [])
                // survfit's median: the first time S ≤ 0.5, or the midpoint to the next event time where S is 0.5.
                let medianSurvival = { (steps: [Survival.Step]) -> String in
                    guard let index = steps.firstIndex(where: { $0.survival <= 0.5 }) else { return "not reached" }
                    if abs(steps[index].survival - 0.5) < 1e-12, index + 1 < steps.count {
                        return String((steps[index].time + steps[index + 1].time) / 2)
                    }
                    return String(steps[index].time)
                }
                if steps {
                    try printSteps(result)
                    return
                }
                if outputOptions.json {
                    try printJSON(Output(result, medianSurvival: medianSurvival))
                    for warning in result.coxWarnings { printError("warning: \(warning)") }
                    return
                }
                var lines = [
                    "feature\t\(feature)", "split\tabove \(result.median) (median)",
                    "low\tn \(result.lowCount), median survival \(medianSurvival(result.low))",
                    "high\tn \(result.highCount), median survival \(medianSurvival(result.high))",
                    "logrank\tchisq \(result.logRankChiSquare.map { String($0) } ?? "–"), p \(result.logRankP.map { String($0) } ?? "–")",
                    "left_out\t\(result.leftOut)",
                ]
                if let cox = result.cox {
                    let z = Normal.twoSidedCritical(level: 0.95)
                    lines.append("cox\tn \(result.coxSamples)")
                    for (index, term) in result.terms.enumerated() {
                        let (b, se) = (cox.coefficients[index], cox.standardErrors[index])
                        if cox.dropped[index] {
                            lines.append("cox_\(term)\tcoef NA, HR NA (NA–NA), p NA, dropped")
                            continue
                        }
                        func text(_ value: Double) -> String { value.isFinite ? String(value) : "NA" }
                        lines.append(
                            "cox_\(term)\tcoef \(text(b)), HR \(text(exp(b))) (\(text(exp(b - z * se)))–\(text(exp(b + z * se)))), p \(text(cox.p[index]))"
                                + (cox.possiblyInfinite[index] ? ", may be infinite" : "")
                        )
                    }
                }
                print(lines.joined(separator: "\n"))
                for warning in result.coxWarnings { printError("warning: \(warning)") }
            }
        }

        /// The Kaplan–Meier steps of both groups, as TSV or JSON.
        func printSteps(_ result: Prognosis.Result) throws {
            struct Row: Encodable {
                var group: String
                var time: Double
                var nRisk, nEvent: Int
                var survival: Double
                var stdErr, lower, upper: Double?
                enum CodingKeys: String, CodingKey {
                    case group, time, survival, lower, upper
                    case nRisk = "n_risk"
                    case nEvent = "n_event"
                    case stdErr = "std_err"
                }
            }
            let rows = [("low", result.low), ("high", result.high)].flatMap { group, steps in
                steps.map {
                    Row(
                        group: group, time: $0.time, nRisk: $0.atRisk, nEvent: $0.events, survival: $0.survival,
                        stdErr: finite($0.logStandardError), lower: finite($0.low), upper: finite($0.high))
                }
            }
            if outputOptions.json {
                try printJSON(rows)
                return
            }
            var output = "group\ttime\tn_risk\tn_event\tsurvival\tstd_err\tlower\tupper\n"
            for row in rows {
                output += "\(row.group)\t\(row.time)\t\(row.nRisk)\t\(row.nEvent)\t\(row.survival)\t"
                output += "\(TSV.number(row.stdErr))\t\(TSV.number(row.lower))\t\(TSV.number(row.upper))\n"
            }
            FileHandle.standardOutput.write(Data(output.utf8))
        }

        /// The summary as JSON.
        struct Output: Encodable {
            struct Group: Encodable {
                var n: Int
                var medianSurvival: String
                enum CodingKeys: String, CodingKey {
                    case n
                    case medianSurvival = "median_survival"
                }
            }
            struct Term: Encodable {
                var term: String
                var coef, hazardRatio, ciLow, ciHigh, p: Double?
                var dropped, possiblyInfinite: Bool
                enum CodingKeys: String, CodingKey {
                    case term, coef, p, dropped
                    case hazardRatio = "hazard_ratio"
                    case ciLow = "ci_low"
                    case ciHigh = "ci_high"
                    case possiblyInfinite = "possibly_infinite"
                }
            }
            var feature: String
            var split: Double?
            var low, high: Group
            var logrankChisq, logrankP: Double?
            var leftOut: Int
            var coxN: Int?
            var cox: [Term]?
            var coxConverged: Bool?
            var warnings: [String]
            enum CodingKeys: String, CodingKey {
                case feature, split, low, high, cox, warnings
                case logrankChisq = "logrank_chisq"
                case logrankP = "logrank_p"
                case leftOut = "left_out"
                case coxN = "cox_n"
                case coxConverged = "cox_converged"
            }

            init(_ result: Prognosis.Result, medianSurvival: ([Survival.Step]) -> String) {
                feature = result.feature
                split = finite(result.median)
                low = Group(n: result.lowCount, medianSurvival: medianSurvival(result.low))
                high = Group(n: result.highCount, medianSurvival: medianSurvival(result.high))
                logrankChisq = result.logRankChiSquare.flatMap(finite)
                logrankP = result.logRankP.flatMap(finite)
                leftOut = result.leftOut
                warnings = result.coxWarnings
                guard let fit = result.cox else { return }
                let z = Normal.twoSidedCritical(level: 0.95)
                coxN = result.coxSamples
                coxConverged = fit.converged
                cox = result.terms.enumerated().map { index, term in
                    let (b, se) = (fit.coefficients[index], fit.standardErrors[index])
                    return Term(
                        term: term, coef: finite(b), hazardRatio: finite(exp(b)), ciLow: finite(exp(b - z * se)),
                        ciHigh: finite(exp(b + z * se)), p: finite(fit.p[index]), dropped: fit.dropped[index],
                        possiblyInfinite: fit.possiblyInfinite[index])
                }
            }
        }
    }
}
