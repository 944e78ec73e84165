import ArgumentParser
import ExoCore
import ExoDiagnosis
import ExoFormats
import ExoKnowledge
import ExoPipeline
import ExoStats
import ExoStore
import Foundation

extension Exoscope {
    /// Statistics on a plain labelled matrix (the layout R and Python users keep their data in).
    struct Stats: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "stats",
            abstract: "Biomarker statistics on a samples × features matrix with a label column.",
            discussion: """
                MATRIX is tab-separated (comma for .csv): a `sample` column (or R's row names, as write.csv and
                write.table write them), the label column, then one numeric column per feature. --features reads
                only the named features, --exclude leaves named columns (text such as sex) unread. Missing values
                (empty, NA, NaN) are left out feature by feature, and every row says how many were. With
                --control, samples of a third label are left out, and standard error says how many.
                """,
            subcommands: [
                ROC.self, DE.self, Compare.self, Cutoff.self, Panel.self, Associate.self, SurvivalCommand.self,
            ])
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
                func number(_ value: Double) -> String { value.isFinite ? String(value) : "" }
                for row in result.rows {
                    output += row.feature + "\t" + number(row.logFC) + "\t" + number(row.averageExpression) + "\t"
                    output += number(row.t) + "\t" + number(row.p) + "\t" + number(row.adjustedP) + "\t"
                    output += number(row.b) + "\t\(row.cases)\t\(row.controls)\t\(row.missing)\t"
                    output += number(row.low) + "\t" + number(row.high)
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
            try await withUserFacingErrors(debug: outputOptions.debug) {
                let (data, groups) = try input.load(needed: [feature], quiet: outputOptions.quiet)
                let column = try input.column(feature, in: data)
                let (cases, controls) = groups.present(data.values[column])
                let chosen = direction.choice.direction(cases: cases, controls: controls)
                guard cases.count >= 2, controls.count >= 2,
                    let curve = ROCCurve(cases: cases, controls: controls, direction: chosen)
                else {
                    throw InputErrorList([
                        InputError(
                            .invalidValue, at: InputLocation(path: input.matrix),
                            "\(InputError.quoted(feature)) has values for \(cases.count) cases and \(controls.count) controls; a ROC curve needs 2 of each"
                        )
                    ])
                }
                let point: ROCCurve.OperatingPoint? =
                    if let sensitivity { curve.operatingPoint(sensitivityAtLeast: sensitivity) } else if let specificity
                    {
                        curve.operatingPoint(specificityAtLeast: specificity)
                    } else {
                        curve.best(
                            method == .youden ? .youden : .closestTopLeft, cost: cost, prevalence: prevalence ?? 0.5
                        ).first
                    }
                let cut = threshold ?? point?.threshold ?? .nan
                let accuracy = curve.accuracy(at: cut, prevalence: prevalence, level: level)
                let delong = curve.confidenceInterval(level: level)
                var lines: [(String, String)] = [
                    ("feature", feature), ("n_case", "\(cases.count)"), ("n_control", "\(controls.count)"),
                    ("missing", "\(groups.sampleCount - cases.count - controls.count)"),
                    ("direction", chosen.rawValue), ("auc", "\(curve.auc)"),
                    ("auc_delong", "\(delong.low) \(delong.high)"),
                ]
                if bootstrap > 0 {
                    let interval = curve.bootstrapInterval(replicates: bootstrap, level: level, seed: seed)
                    lines.append(
                        (
                            "auc_bootstrap",
                            "\(interval.low) \(interval.high) (\(bootstrap) stratified resamples, seed \(seed))"
                        ))
                }
                lines += [
                    (
                        "pauc_specificity_\(partial)_1",
                        "\(curve.partialAUC(partial...1, corrected: true)) (McClish-corrected)"
                    ),
                    ("cutoff", "\(cut)"),
                    (
                        "cutoff_rule",
                        threshold != nil
                            ? "fixed"
                            : sensitivity.map { "sensitivity ≥ \($0)" }
                                ?? specificity.map { "specificity ≥ \($0)" }
                                ?? "\(method.rawValue), cost \(cost), prevalence \(prevalence ?? 0.5)"
                    ),
                    (
                        "counts",
                        "TP \(accuracy.truePositives) FN \(accuracy.falseNegatives) TN \(accuracy.trueNegatives) FP \(accuracy.falsePositives)"
                    ),
                    ("sensitivity", "\(accuracy.sensitivity) \(accuracy.sensitivityLow) \(accuracy.sensitivityHigh)"),
                    ("specificity", "\(accuracy.specificity) \(accuracy.specificityLow) \(accuracy.specificityHigh)"),
                    ("ppv", "\(accuracy.ppv) \(accuracy.ppvLow) \(accuracy.ppvHigh)"),
                    ("npv", "\(accuracy.npv) \(accuracy.npvLow) \(accuracy.npvHigh)"),
                ]
                if outputOptions.json {
                    try printJSON(Dictionary(uniqueKeysWithValues: lines))
                    return
                }
                print(lines.map { "\($0.0)\t\($0.1)" }.joined(separator: "\n"))
            }
        }
    }
}

extension Exoscope.Stats {
    /// A penalised logistic panel with nested cross-validation.
    struct Panel: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "panel",
            abstract:
                "A multi-feature diagnostic panel: lasso / elastic net / ridge logistic regression, cross-validated.",
            discussion: """
                Fits the penalised logistic path on every complete sample (glmnet's model and path) and picks λ by
                10-fold cross-validation of the binomial deviance (cv.glmnet). Columns: feature, coefficient,
                selection_frequency, for the features the panel keeps (all with --all). The summary on standard
                error gives λ and, with --repeats above 0, the nested cross-validated AUC (every step refitted
                inside each outer training fold, so it is not optimistic) with its DeLong interval, the same for
                the best single feature, calibration slope and intercept, and the Brier score. Samples with a
                missing value are left out. Folds are drawn from --seed.
                """)

        @OptionGroup var input: LabelledMatrixOptions

        @OptionGroup var featureList: FeatureListOption

        @Option(help: "Elastic-net mixing: 1 lasso, 0 ridge, in between the elastic net.")
        var alpha = 1.0

        @Option(help: "Cross-validation folds.")
        var folds = 10

        @Option(help: "Repeats of the nested cross-validation (0: the λ choice only).")
        var repeats = 5

        @Option(help: "The λ rule: min (smallest CV deviance) or 1se (largest λ within one SE of it).")
        var lambda: LambdaRule = .oneSE

        enum LambdaRule: String, ExpressibleByArgument, CaseIterable {
            case min
            case oneSE = "1se"
        }

        @Option(help: "Seed of the fold assignment.")
        var seed: UInt64 = 20_260_707

        @Flag(help: "List every feature, not only those the panel keeps.")
        var all = false

        @Option(help: "Write the panel as a locked model (versioned JSON with its SHA-256) to this file.")
        var lock: String?

        @Option(help: "The locked model's name.")
        var name: String?

        @Option(help: "The specimen the locked model is for (such as plasma); samples of another are refused.")
        var specimen: String?

        @Option(help: "How the values were prepared (scale, normalisation), stated in the locked model.")
        var normalisation: String?

        @Option(help: "Fixed probability cut-point of the locked model (default: Youden on out-of-fold probabilities).")
        var cutPoint: Double?

        @OptionGroup var knowledge: KnowledgeColumns

        @Option(help: "Output format: tsv or json.")
        var format: OutputFormat = .tsv

        @OptionGroup var outputOptions: OutputOptions

        func validate() throws {
            guard (0...1).contains(alpha) else { throw ValidationError("--alpha must lie between 0 and 1.") }
            guard folds >= 3 else { throw ValidationError("--folds must be at least 3.") }
            guard repeats >= 0 else { throw ValidationError("--repeats must be 0 or more.") }
            if lock != nil, name == nil || specimen == nil || normalisation == nil {
                throw ValidationError(
                    "--lock needs --name, --specimen and --normalisation: a locked model states them.")
            }
            if let cutPoint, !(cutPoint > 0 && cutPoint < 1) {
                throw ValidationError("--cut-point is a probability between 0 and 1.")
            }
        }

        func run() async throws {
            try await withUserFacingErrors(debug: outputOptions.debug) {
                let (data, groups) = try input.load(listed: featureList.names, quiet: outputOptions.quiet)
                let result = try DiagnosticPanel.fit(
                    data, groups: groups,
                    options: .init(
                        alpha: alpha, folds: folds, repeats: repeats,
                        rule: lambda == .min ? .minimum : .oneStandardError,
                        seed: seed))
                let members = all ? result.members : result.selected
                if let lock, let name, let specimen, let normalisation {
                    let digest = FileDigest.sha256Hex(try Data(contentsOf: URL(fileURLWithPath: input.matrix)))
                    let model = try DiagnosticPanel.lock(
                        result, matrix: data, groups: groups,
                        settings: .init(
                            name: name, specimen: specimen, normalisation: normalisation, cutPoint: cutPoint),
                        inputSHA256: digest)
                    try model.fileData().write(to: URL(fileURLWithPath: lock), options: .atomic)
                    if !outputOptions.quiet {
                        FileHandle.standardError.write(
                            Data("locked model written to \(lock) (cut-point \(model.cutPoint))\n".utf8))
                    }
                }
                if outputOptions.json || format == .json {
                    try printJSON(PanelOutput(result, members: members))
                    return
                }
                if !outputOptions.quiet { FileHandle.standardError.write(Data(Self.summary(result).utf8)) }
                let tumour = try knowledge.parsed()
                var output = "feature\tcoefficient\tselection_frequency" + (tumour == nil ? "\n" : "\tknown\n")
                for member in members {
                    output += member.feature + "\t\(member.coefficient)\t"
                    output += member.selectionFrequency.map { String($0) } ?? ""
                    if let tumour {
                        output += "\t" + KnowledgeColumns.columns(member.feature, tumour: tumour, observed: nil).0
                    }
                    output += "\n"
                }
                FileHandle.standardOutput.write(Data(output.utf8))
            }
        }

        static func summary(_ result: DiagnosticPanel.Result) -> String {
            let rounded = { (value: Double) in String(format: "%.3f", value) }
            var text = "\(result.samples.count) samples (\(result.outcome.filter { $0 }.count) cases)"
            text += result.leftOut > 0 ? ", \(result.leftOut) left out for a missing value" : ""
            text += "; λ = \(result.lambda) (min \(result.lambdaMinimum), 1se \(result.lambdaOneStandardError))"
            text += ", \(result.selected.count) features, intercept \(result.intercept)\n"
            if let v = result.validation {
                text += "nested CV (\(v.repeats) × \(v.folds)-fold): AUC \(rounded(v.auc)) "
                text +=
                    "[\(rounded(v.aucLow)), \(rounded(v.aucHigh))], range over repeats \(rounded(v.aucRange.lowerBound))–\(rounded(v.aucRange.upperBound))\n"
                text += "best single feature (most often \(v.bestSingle)): AUC \(rounded(v.singleAUC)) "
                text +=
                    "[\(rounded(v.singleLow)), \(rounded(v.singleHigh))]; panel vs single p = \(String(format: "%.3g", v.differenceP))\n"
                text +=
                    "calibration slope \(rounded(v.calibrationSlope)), intercept \(rounded(v.calibrationIntercept)), "
                text += "Brier \(rounded(v.brier))\n"
            }
            return text
        }

        struct PanelOutput: Encodable {
            var samples: Int
            var leftOut: Int
            var seed: UInt64
            var alpha: Double
            var lambda, lambdaMin, lambda1SE, intercept: Double
            var members: [DiagnosticPanel.Member]
            var validation: DiagnosticPanel.Validation?

            init(_ result: DiagnosticPanel.Result, members: [DiagnosticPanel.Member]) {
                samples = result.samples.count
                leftOut = result.leftOut
                seed = result.options.seed
                alpha = result.options.alpha
                lambda = result.lambda
                lambdaMin = result.lambdaMinimum
                lambda1SE = result.lambdaOneStandardError
                intercept = result.intercept
                self.members = members
                validation = result.validation
            }

            enum CodingKeys: String, CodingKey {
                case samples, seed, alpha, lambda, intercept, members, validation
                case leftOut = "left_out"
                case lambdaMin = "lambda_min"
                case lambda1SE = "lambda_1se"
            }
        }
    }
}

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
            try await withUserFacingErrors(debug: outputOptions.debug) {
                let data = try MatrixColumnSelection.read(
                    matrix, label: by, features: featureList.names, excluded: excluded.names)
                if !data.annotations.isEmpty, !outputOptions.quiet, !outputOptions.json {
                    FileHandle.standardError.write(
                        Data(
                            "sample information, not features: \(data.annotations.keys.sorted().joined(separator: ", "))\n"
                                .utf8))
                }
                let levels = order.map { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } }
                let design = try ClinicalAssociation.design(
                    data, order: levels, test: test.flatMap { ClinicalAssociation.Test(rawValue: $0.rawValue) })
                let rows = ClinicalAssociation.analyze(data, design: design)
                if outputOptions.json || format == .json {
                    try printJSON(rows)
                    return
                }
                func number(_ value: Double?) -> String { value.map { String($0) } ?? "" }
                var output = "feature\ttest\tn\tstatistic\teffect\tp_value\tadj_p_value\tmissing\n"
                for row in rows {
                    output += row.feature + "\t" + row.test.rawValue + "\t\(row.n)\t" + number(row.statistic) + "\t"
                    output += number(row.effect) + "\t" + number(row.p) + "\t" + number(row.adjustedP)
                    output += "\t\(row.missing)\n"
                }
                FileHandle.standardOutput.write(Data(output.utf8))
            }
        }
    }
}

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
                        lines.append(
                            "cox_\(term)\tcoef \(b), HR \(exp(b)) (\(exp(b - z * se))–\(exp(b + z * se))), p \(cox.p[index])"
                        )
                    }
                }
                print(lines.joined(separator: "\n"))
            }
        }
    }
}

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
                let complete = { (rows: [Int]) in
                    rows.filter { row in columns.allSatisfy { !data.values[$0][row].isNaN } }
                }
                let (cases, controls) = (complete(groups.cases), complete(groups.controls))
                var curves: [ROCCurve] = []
                for column in columns {
                    let x = cases.map { data.values[column][$0] }
                    let y = controls.map { data.values[column][$0] }
                    let chosen = direction.choice.direction(cases: x, controls: y)
                    guard x.count >= 2, y.count >= 2, let curve = ROCCurve(cases: x, controls: y, direction: chosen)
                    else {
                        throw InputErrorList([
                            InputError(
                                .invalidValue, at: InputLocation(path: input.matrix),
                                "\(cases.count) cases and \(controls.count) controls have every feature; a comparison needs 2 of each"
                            )
                        ])
                    }
                    curves.append(curve)
                }
                var lines = ["samples\t\(cases.count) cases, \(controls.count) controls with every feature"]
                for (name, curve) in zip(names, curves) {
                    let interval = curve.confidenceInterval()
                    lines.append(
                        "auc_\(name)\t\(curve.auc) (\(interval.low)–\(interval.high)), \(curve.direction.rawValue)")
                }
                for first in curves.indices {
                    for second in curves.indices where second > first {
                        let test = ROCComparison.paired(curves[first], curves[second])
                        lines.append(
                            "paired_\(names[first])_vs_\(names[second])\tdifference \(test.difference) (\(test.low)–\(test.high)), z \(test.z), p \(test.p)"
                        )
                    }
                }
                if curves.count >= 3, let joint = ROCComparison.equality(curves) {
                    lines.append("joint\tchi-square \(joint.chiSquare), df \(joint.degreesOfFreedom), p \(joint.p)")
                }
                print(lines.joined(separator: "\n"))
            }
        }
    }
}

extension Exoscope {
    /// Applies a locked model to new samples.
    struct Score: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "score",
            abstract: "Apply a locked diagnostic model to new samples: probability, interval and call, or a refusal.",
            discussion: """
                MODEL is a locked model (`exoscope stats panel … --lock`). SAMPLES is tab-separated (comma for
                .csv): a `sample` column, a `specimen` column, a `qc` column (pass or fail) when the model requires
                QC, and one column per analyte, prepared as the model's normalisation states. Columns: sample,
                probability, low, high, call, near_cut, refusal, qc_override. The model is refused whole when its content no
                longer matches its SHA-256 or a newer ExoScope wrote it; a sample is refused when it lacks an
                analyte, is of another specimen or did not pass QC. near_cut is true when the interval contains the
                cut-point.

                With --study, each sample's EV-QC verdict stored for that study (exoscope run) decides its QC status,
                and stands in for a missing qc column. --override-qc REASON scores samples that failed QC anyway; the
                reason goes into the qc_override column and, with the model, the samples and the actor, into the
                study's audit log. An override therefore needs --study.
                """)

        @Argument(help: "The locked model (JSON).", completion: .file())
        var model: String

        @Argument(help: "The samples to score.", completion: .file())
        var samples: String

        @Option(
            help: "A study folder whose stored EV-QC verdicts decide each sample's QC status.", completion: .directory)
        var study: String?

        @OptionGroup var database: DatabaseOptions

        @OptionGroup var excluded: ExcludedColumnsOption

        @Option(
            name: .customLong("override-qc"),
            help: "Score samples that failed QC anyway, for this stated reason (audited).")
        var overrideQC: String?

        @Option(help: "Output format: tsv or json.")
        var format: OutputFormat = .tsv

        @OptionGroup var outputOptions: OutputOptions

        func validate() throws {
            if let overrideQC {
                guard study != nil else {
                    throw ValidationError(
                        "--override-qc needs --study: the override is recorded in the study's audit log.")
                }
                guard overrideQC.trimmingCharacters(in: .whitespaces).count >= 10 else {
                    throw ValidationError("--override-qc needs a stated reason of at least 10 characters.")
                }
            }
        }

        func run() async throws {
            try await withUserFacingErrors(debug: outputOptions.debug) {
                let locked = try LockedModel(contentsOf: URL(fileURLWithPath: model), displayPath: model)
                // Other text columns (a patient pseudonym, a site) are sample information, not analytes.
                let data = try MatrixColumnSelection.read(
                    samples, label: nil, textColumns: LockedModel.annotationColumns, excluded: excluded.names)
                var preparationQC: [String: Bool]?
                var audit: (store: SQLiteStore, studyID: String)?
                if let study {
                    let directory = URL(fileURLWithPath: study, isDirectory: true)
                    let path = database.resolvedPath(studyDirectory: directory)
                    // The study's database must exist: opening a missing one would create it empty.
                    guard FileManager.default.fileExists(atPath: path) else {
                        throw InputErrorList([
                            InputError(
                                .fileNotFound, at: InputLocation(path: path),
                                "no database \(InputError.quoted(path)) for the study",
                                hint: "run 'exoscope run \(study)' first, or give the --database it used")
                        ])
                    }
                    let store = try await SQLiteStore(path: path)
                    let stored = try await Pipeline.preparationQC(study: directory, store: store)
                    preparationQC = stored.verdicts
                    audit = (store, stored.studyID)
                }
                let scores = try locked.score(data, preparationQC: preparationQC, qcOverride: overrideQC)
                let overridden = scores.filter { $0.qcOverride != nil }.map(\.sample)
                if let overrideQC, let audit, !overridden.isEmpty {
                    let detail: [String: String] = [
                        "model": "\(locked.name) (sha256 \((locked.sha256 ?? "").prefix(16)))",
                        "samples": overridden.joined(separator: ", "),
                        "reason": overrideQC,
                    ]
                    let encoder = JSONEncoder()
                    encoder.outputFormatting = [.sortedKeys]
                    try await audit.store.recordAudit(
                        actor: currentActor(), action: "override-qc", entity: "\(audit.studyID)/score",
                        detail: String(decoding: try encoder.encode(detail), as: UTF8.self))
                }
                if outputOptions.json || format == .json {
                    try printJSON(scores)
                    return
                }
                var output = "sample\tprobability\tlow\thigh\tcall\tnear_cut\trefusal\tqc_override\n"
                func number(_ value: Double?) -> String { value.map { String($0) } ?? "" }
                for score in scores {
                    output += score.sample + "\t" + number(score.probability) + "\t" + number(score.low) + "\t"
                    output += number(score.high) + "\t" + (score.call ?? "") + "\t"
                    output += (score.nearCut.map { String($0) } ?? "") + "\t" + (score.refusal ?? "") + "\t"
                    output += (score.qcOverride ?? "") + "\n"
                }
                FileHandle.standardOutput.write(Data(output.utf8))
                let refused = scores.filter { $0.refusal != nil }.count
                if refused > 0, !outputOptions.quiet {
                    FileHandle.standardError.write(
                        Data("\(refused) of \(scores.count) samples refused (see the refusal column)\n".utf8))
                }
            }
        }
    }
}
