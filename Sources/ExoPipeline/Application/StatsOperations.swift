import ExoCore
public import ExoDiagnosis
import ExoFormats
public import ExoKnowledge
public import ExoStats
import Foundation

/// The `stats` operations: biomarker statistics on a labelled samples × features matrix file.
///
/// Each takes a request naming the file and the choices, reads the file, runs the analysis of ExoDiagnosis and
/// returns its result with the lines a user should read beside it (`messages`, in the order they arose). Nothing
/// is printed.
public enum StatsOperations {}

// MARK: - roc

extension StatsOperations {
    /// `stats roc`: AUC with its DeLong interval for every feature, or each feature compared between two
    /// independent matrices.
    public struct ROCRequest: Sendable, Equatable {
        public var input: LabelledMatrixInput
        /// Only these features (`nil`: every numeric column).
        public var features: [String]?
        public var direction: MarkerROC.DirectionChoice
        public var level: Double
        /// A second, independent matrix: compare each shared feature with the unpaired DeLong test.
        public var unpaired: String?

        public init(
            input: LabelledMatrixInput, features: [String]? = nil, direction: MarkerROC.DirectionChoice = .auto,
            level: Double = 0.95, unpaired: String? = nil
        ) {
            self.input = input
            self.features = features
            self.direction = direction
            self.level = level
            self.unpaired = unpaired
        }
    }

    /// The AUCs of `stats roc`, or the unpaired comparisons of `stats roc --unpaired`.
    public struct ROCResult: Sendable {
        public enum Rows: Sendable {
            case curves([MarkerROC.Row])
            case unpaired([MarkerComparison.Unpaired])
        }

        public var rows: Rows
        /// Samples left out, and comparisons of two perfect curves.
        public var messages: [String]

        /// The result as a table.
        public var table: ResultTable {
            switch rows {
            case .curves(let rows):
                ResultTable(
                    columns: [
                        "feature", "n_case", "n_control", "auc", "ci_low", "ci_high", "direction", "missing", "note",
                    ],
                    rows: rows.map {
                        [
                            .text($0.feature), .integer($0.cases), .integer($0.controls), .number($0.auc),
                            .number($0.low), .number($0.high), .text($0.direction.rawValue), .integer($0.missing),
                            .optionalText($0.note),
                        ]
                    })
            case .unpaired(let rows):
                ResultTable(
                    columns: [
                        "feature", "n_case", "n_control", "auc", "n_case_2", "n_control_2", "auc_2", "difference", "t",
                        "df", "p", "direction",
                    ],
                    rows: rows.map {
                        [
                            .text($0.feature), .integer($0.first.cases), .integer($0.first.controls),
                            .number($0.first.auc), .integer($0.second.cases), .integer($0.second.controls),
                            .number($0.second.auc), .number($0.test?.difference), .number($0.test?.t),
                            .number($0.test?.degreesOfFreedom), .number($0.test?.p), .text($0.direction.rawValue),
                        ]
                    })
            }
        }
    }

    /// Runs `stats roc`.
    public static func roc(_ request: ROCRequest) throws -> ROCResult {
        let first = try request.input.load(listed: request.features)
        guard let unpaired = request.unpaired else {
            let rows = MarkerROC.analyze(
                first.data, groups: first.groups, direction: request.direction, level: request.level)
            return ROCResult(rows: .curves(rows), messages: notes(first.note))
        }
        return try NotedFailure.noting(notes(first.note)) {
            let second = try request.input.with(path: unpaired).load(listed: request.features)
            let rows = MarkerComparison.unpaired(
                first.data, groups: first.groups, second.data, groups: second.groups, direction: request.direction,
                level: request.level)
            guard !rows.isEmpty else {
                throw NotedFailure(
                    messages: notes(second.note),
                    error: OperationError.invalidData("\(request.input.path) and \(unpaired) share no feature column"))
            }
            let warnings = rows.filter(\.bothPerfect).map {
                "warning: \($0.feature) has AUC 1 in both sets: their test always gives p = 1 and can mislead (as pROC warns)"
            }
            return ROCResult(rows: .unpaired(rows), messages: notes(first.note, second.note) + warnings)
        }
    }

    /// The notes on samples left out, as printed.
    static func notes(_ notes: String?...) -> [String] { notes.compactMap { $0.map { "note: \($0)" } } }
}

// MARK: - de

extension StatsOperations {
    /// `stats de`: differential expression for every feature.
    public struct DERequest: Sendable, Equatable {
        public var input: LabelledMatrixInput
        public var features: [String]?
        public var method: DifferentialExpression.Method
        /// Covariates of the moderated model (`nil`: none).
        public var covariates: [String]?
        /// The values are read counts (limma-voom).
        public var counts: Bool
        /// The tumour studied: adds the knowledge base's known and contradicts columns.
        public var tumour: Tumour?

        public init(
            input: LabelledMatrixInput, features: [String]? = nil, method: DifferentialExpression.Method = .moderated,
            covariates: [String]? = nil, counts: Bool = false, tumour: Tumour? = nil
        ) {
            self.input = input
            self.features = features
            self.method = method
            self.covariates = covariates
            self.counts = counts
            self.tumour = tumour
        }
    }

    /// The differential expression of every feature.
    public struct DEResult: Sendable {
        public var result: DifferentialExpression.Result
        public var tumour: Tumour?
        /// Samples left out (for a third label, for a missing covariate).
        public var messages: [String]

        /// The empirical-Bayes prior as a sentence, when the moderated model fitted one.
        public var priorSummary: String? {
            result.prior.map { "prior: d0 = \($0.df), s0² = \($0.variance), v0 = \($0.coefficientVariance)" }
        }

        /// The result as a table.
        public var table: ResultTable {
            var columns = [
                "feature", "log_fc", "ave_expr", "t", "p_value", "adj_p_value", "b", "n_case", "n_control", "missing",
                "ci_low", "ci_high",
            ]
            if tumour != nil { columns += ["known", "contradicts"] }
            var table = ResultTable(columns: columns)
            table.rows.reserveCapacity(result.rows.count)
            for row in result.rows {
                var cells: [ResultTable.Cell] = [
                    .text(row.feature), .number(row.logFC), .number(row.averageExpression), .number(row.t),
                    .number(row.p), .number(row.adjustedP), .number(row.b), .integer(row.cases), .integer(row.controls),
                    .integer(row.missing), .number(row.low), .number(row.high),
                ]
                if let tumour {
                    let observed: KnowledgeDirection? = row.adjustedP < 0.05 ? (row.logFC > 0 ? .up : .down) : nil
                    let link = KnowledgeLink(feature: row.feature, tumour: tumour, observed: observed)
                    cells += [.text(link.summary), .text(link.contradictions.map(\.id).joined(separator: ","))]
                }
                table.rows.append(cells)
            }
            return table
        }
    }

    /// Runs `stats de`.
    public static func de(_ request: DERequest) throws -> DEResult {
        var messages: [String] = []
        let analysed: DifferentialExpression.Result?
        if request.covariates != nil || request.counts {
            let (loaded, model) = try request.input.load(
                covariates: request.covariates ?? [], listed: request.features)
            messages += notes(loaded.note)
            let fit: (result: DifferentialExpression.Result, leftOut: Int)? = try NotedFailure.noting(messages) {
                try fitModerated(request, loaded: loaded, covariates: model)
            }
            if let left = fit?.leftOut, left > 0 { messages.append("\(left) samples without every covariate left out") }
            analysed = fit?.result
        } else {
            let loaded = try request.input.load(listed: request.features)
            messages += notes(loaded.note)
            analysed = DifferentialExpression.analyze(loaded.data, groups: loaded.groups, method: request.method)
        }
        guard let result = analysed else {
            throw NotedFailure(
                messages: messages,
                error: InputErrorList([
                    InputError(
                        .invalidValue, at: InputLocation(path: request.input.path),
                        "no feature has residual degrees of freedom: each group needs two samples with a value")
                ]))
        }
        return DEResult(result: result, tumour: request.tumour, messages: messages)
    }

    /// The moderated model with covariates, or limma-voom for counts.
    private static func fitModerated(
        _ request: DERequest, loaded: LabelledMatrixInput.Loaded, covariates model: [DifferentialExpression.Covariate]
    ) throws -> (result: DifferentialExpression.Result, leftOut: Int)? {
        if request.counts {
            guard let voom = try DifferentialExpression.voom(loaded.data, groups: loaded.groups, covariates: model)
            else {
                throw InputErrorList([
                    InputError(
                        .invalidValue, at: InputLocation(path: request.input.path),
                        "--counts needs a read count (0 or more) for every feature of every sample",
                        hint: "fill missing counts with 0 if the miRNA was not detected")
                ])
            }
            return (voom.result, voom.leftOut)
        }
        return try DifferentialExpression.analyze(loaded.data, groups: loaded.groups, covariates: model)
    }
}

// MARK: - compare

extension StatsOperations {
    /// `stats compare`: paired and joint DeLong tests between features measured on the same samples.
    public struct CompareRequest: Sendable, Equatable {
        public var input: LabelledMatrixInput
        /// The features, two or more different ones.
        public var features: [String]
        public var direction: MarkerROC.DirectionChoice

        public init(input: LabelledMatrixInput, features: [String], direction: MarkerROC.DirectionChoice = .auto) {
            self.input = input
            self.features = features
            self.direction = direction
        }
    }

    /// The comparison of `stats compare`.
    public struct CompareResult: Sendable, Encodable {
        public struct AUC: Sendable, Encodable {
            public var feature: String
            public var auc, ciLow, ciHigh: Double?
            public var direction: String
            enum CodingKeys: String, CodingKey {
                case feature, auc, direction
                case ciLow = "ci_low"
                case ciHigh = "ci_high"
            }
        }
        public struct Pair: Sendable, Encodable {
            public var first, second: String
            public var difference, z, p, ciLow, ciHigh: Double?
            public var bothPerfect: Bool
            enum CodingKeys: String, CodingKey {
                case first, second, difference, z, p
                case ciLow = "ci_low"
                case ciHigh = "ci_high"
                case bothPerfect = "both_perfect"
            }
        }
        public struct Joint: Sendable, Encodable {
            public var chiSquare: Double?
            public var df: Int
            public var p: Double?
            enum CodingKeys: String, CodingKey {
                case df, p
                case chiSquare = "chi_square"
            }
        }

        /// The analysis itself.
        public var comparison: MarkerComparison.Paired
        /// Samples left out, and pairs of two perfect curves.
        public var messages: [String]

        public var nCase: Int { comparison.cases }
        public var nControl: Int { comparison.controls }
        public var aucs: [AUC] {
            comparison.curves.map {
                AUC(
                    feature: $0.feature, auc: ResultDocument.finite($0.curve.auc),
                    ciLow: ResultDocument.finite($0.interval.low), ciHigh: ResultDocument.finite($0.interval.high),
                    direction: $0.curve.direction.rawValue)
            }
        }
        public var pairs: [Pair] {
            comparison.pairs.map {
                Pair(
                    first: $0.first, second: $0.second, difference: ResultDocument.finite($0.test.difference),
                    z: ResultDocument.finite($0.test.z), p: ResultDocument.finite($0.test.p),
                    ciLow: ResultDocument.finite($0.test.low), ciHigh: ResultDocument.finite($0.test.high),
                    bothPerfect: $0.bothPerfect)
            }
        }
        public var joint: Joint? {
            comparison.joint.map {
                Joint(
                    chiSquare: ResultDocument.finite($0.chiSquare), df: $0.degreesOfFreedom,
                    p: ResultDocument.finite($0.p))
            }
        }

        enum CodingKeys: String, CodingKey {
            case aucs, pairs, joint
            case nCase = "n_case"
            case nControl = "n_control"
        }

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(nCase, forKey: .nCase)
            try container.encode(nControl, forKey: .nControl)
            try container.encode(aucs, forKey: .aucs)
            try container.encode(pairs, forKey: .pairs)
            try container.encodeIfPresent(joint, forKey: .joint)
        }
    }

    /// Runs `stats compare`.
    public static func compare(_ request: CompareRequest) throws -> CompareResult {
        let loaded = try request.input.load(needed: request.features)
        let comparison = try NotedFailure.noting(notes(loaded.note)) {
            var columns: [Int] = []
            for name in request.features {
                columns.append(try request.input.column(name, in: loaded.data))
            }
            guard Set(columns).count >= 2 else { throw OperationError.usage("name two or more different features.") }
            return try MarkerComparison.paired(
                loaded.data, groups: loaded.groups, columns: columns, direction: request.direction)
        }
        let warnings = comparison.pairs.filter(\.bothPerfect).map {
            "warning: \($0.first) and \($0.second) both have AUC 1: their test always gives p = 1 and can mislead (as pROC warns)"
        }
        return CompareResult(comparison: comparison, messages: notes(loaded.note) + warnings)
    }
}

// MARK: - cutoff

extension StatsOperations {
    /// `stats cutoff`: one feature's ROC in depth.
    public struct CutoffRequest: Sendable, Equatable {
        public var input: LabelledMatrixInput
        public var feature: String
        public var direction: MarkerROC.DirectionChoice
        /// The cut-off rule when no target or threshold is given.
        public var method: ROCCurve.BestMethod
        /// Cost of a false negative relative to a false positive.
        public var cost: Double
        /// Prevalence of the target population.
        public var prevalence: Double?
        /// The most specific cut-off with at least this sensitivity.
        public var sensitivity: Double?
        /// The most sensitive cut-off with at least this specificity.
        public var specificity: Double?
        /// A fixed cut-off.
        public var threshold: Double?
        /// Lower end of the specificity range of the partial AUC.
        public var partial: Double
        /// Bootstrap resamples for the AUC interval (0: none).
        public var bootstrap: Int
        public var seed: UInt64
        public var level: Double

        public init(
            input: LabelledMatrixInput, feature: String, direction: MarkerROC.DirectionChoice = .auto,
            method: ROCCurve.BestMethod = .youden, cost: Double = 1, prevalence: Double? = nil,
            sensitivity: Double? = nil, specificity: Double? = nil, threshold: Double? = nil, partial: Double = 0.9,
            bootstrap: Int = 2000, seed: UInt64 = 20_260_707, level: Double = 0.95
        ) {
            self.input = input
            self.feature = feature
            self.direction = direction
            self.method = method
            self.cost = cost
            self.prevalence = prevalence
            self.sensitivity = sensitivity
            self.specificity = specificity
            self.threshold = threshold
            self.partial = partial
            self.bootstrap = bootstrap
            self.seed = seed
            self.level = level
        }
    }

    /// One named value of a key–value result, as text.
    public struct Field: Sendable, Equatable {
        public var key: String
        public var value: String
    }

    /// The key–value lines of `stats cutoff`, in order.
    public struct CutoffResult: Sendable {
        public var fields: [Field]
        /// Samples left out.
        public var messages: [String]

        /// The fields as one JSON object.
        public var document: [String: String] {
            Dictionary(fields.map { ($0.key, $0.value) }, uniquingKeysWith: { first, _ in first })
        }
    }

    /// Runs `stats cutoff`.
    public static func cutoff(_ request: CutoffRequest) throws -> CutoffResult {
        let loaded = try request.input.load(needed: [request.feature])
        return try NotedFailure.noting(notes(loaded.note)) { try cutoff(request, loaded: loaded) }
    }

    /// `stats cutoff` on the matrix read.
    private static func cutoff(_ request: CutoffRequest, loaded: LabelledMatrixInput.Loaded) throws -> CutoffResult {
        let column = try request.input.column(request.feature, in: loaded.data)
        let (cases, controls) = loaded.groups.present(loaded.data.values[column])
        let chosen = request.direction.direction(cases: cases, controls: controls)
        guard cases.count >= 2, controls.count >= 2,
            let curve = ROCCurve(cases: cases, controls: controls, direction: chosen)
        else {
            throw InputErrorList([
                InputError(
                    .invalidValue, at: InputLocation(path: request.input.path),
                    "\(InputError.quoted(request.feature)) has values for \(cases.count) cases and \(controls.count) controls; a ROC curve needs 2 of each"
                )
            ])
        }
        let point: ROCCurve.OperatingPoint? =
            if let sensitivity = request.sensitivity {
                curve.operatingPoint(sensitivityAtLeast: sensitivity)
            } else if let specificity = request.specificity {
                curve.operatingPoint(specificityAtLeast: specificity)
            } else {
                curve.best(request.method, cost: request.cost, prevalence: request.prevalence ?? 0.5).first
            }
        let cut = request.threshold ?? point?.threshold ?? .nan
        let accuracy = curve.accuracy(at: cut, prevalence: request.prevalence, level: request.level)
        let delong = curve.confidenceInterval(level: request.level)
        var fields: [(String, String)] = [
            ("feature", request.feature), ("n_case", "\(cases.count)"), ("n_control", "\(controls.count)"),
            ("missing", "\(loaded.groups.sampleCount - cases.count - controls.count)"),
            ("direction", chosen.rawValue), ("auc", "\(curve.auc)"),
            ("auc_delong", "\(delong.low) \(delong.high)"),
        ]
        if request.bootstrap > 0 {
            let interval = curve.bootstrapInterval(
                replicates: request.bootstrap, level: request.level, seed: request.seed)
            fields.append(
                (
                    "auc_bootstrap",
                    "\(interval.low) \(interval.high) (\(request.bootstrap) stratified resamples, seed \(request.seed))"
                ))
        }
        let rule =
            request.threshold != nil
            ? "fixed"
            : request.sensitivity.map { "sensitivity ≥ \($0)" }
                ?? request.specificity.map { "specificity ≥ \($0)" }
                ?? "\(request.method.rawValue), cost \(request.cost), prevalence \(request.prevalence ?? 0.5)"
        fields += [
            (
                "pauc_specificity_\(request.partial)_1",
                "\(curve.partialAUC(request.partial...1, corrected: true)) (McClish-corrected)"
            ),
            ("cutoff", "\(cut)"),
            ("cutoff_rule", rule),
            (
                "counts",
                "TP \(accuracy.truePositives) FN \(accuracy.falseNegatives) TN \(accuracy.trueNegatives) FP \(accuracy.falsePositives)"
            ),
            ("sensitivity", "\(accuracy.sensitivity) \(accuracy.sensitivityLow) \(accuracy.sensitivityHigh)"),
            ("specificity", "\(accuracy.specificity) \(accuracy.specificityLow) \(accuracy.specificityHigh)"),
            ("ppv", "\(accuracy.ppv) \(accuracy.ppvLow) \(accuracy.ppvHigh)"),
            ("npv", "\(accuracy.npv) \(accuracy.npvLow) \(accuracy.npvHigh)"),
        ]
        return CutoffResult(fields: fields.map { Field(key: $0.0, value: $0.1) }, messages: notes(loaded.note))
    }
}

// MARK: - panel

extension StatsOperations {
    /// `stats panel`: a penalised logistic panel with nested cross-validation, optionally locked.
    public struct PanelRequest: Sendable, Equatable {
        /// Where and how to write the locked model.
        public struct Lock: Sendable, Equatable {
            public var path: String
            public var settings: DiagnosticPanel.LockSettings

            public init(path: String, settings: DiagnosticPanel.LockSettings) {
                self.path = path
                self.settings = settings
            }
        }

        public var input: LabelledMatrixInput
        public var features: [String]?
        public var options: DiagnosticPanel.Options
        /// List every feature, not only those the panel keeps.
        public var all: Bool
        public var lock: Lock?
        /// The tumour studied: adds the knowledge base's known column.
        public var tumour: Tumour?

        public init(
            input: LabelledMatrixInput, features: [String]? = nil, options: DiagnosticPanel.Options, all: Bool = false,
            lock: Lock? = nil, tumour: Tumour? = nil
        ) {
            self.input = input
            self.features = features
            self.options = options
            self.all = all
            self.lock = lock
            self.tumour = tumour
        }
    }

    /// The fitted panel.
    public struct PanelResult: Sendable {
        public var result: DiagnosticPanel.Result
        public var members: [DiagnosticPanel.Member]
        public var tumour: Tumour?
        /// Samples left out, and where the locked model was written.
        public var messages: [String]

        /// The members as a table.
        public var table: ResultTable {
            ResultTable(
                columns: ["feature", "coefficient", "selection_frequency"] + (tumour == nil ? [] : ["known"]),
                rows: members.map { member in
                    [.text(member.feature), .number(member.coefficient), .number(member.selectionFrequency)]
                        + (tumour.map {
                            [.text(KnowledgeLink(feature: member.feature, tumour: $0, observed: nil).summary)]
                        } ?? [])
                })
        }

        /// The panel as one JSON document.
        public var document: Document { Document(result, members: members) }

        /// The fit and its validation, as a few lines of text.
        public var summary: String {
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

        /// The panel as JSON.
        public struct Document: Encodable, Sendable {
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

    /// Runs `stats panel`; with a lock, writes the locked model.
    public static func panel(_ request: PanelRequest) throws -> PanelResult {
        let loaded = try request.input.load(listed: request.features)
        var messages = notes(loaded.note)
        let result = try NotedFailure.noting(messages) {
            try DiagnosticPanel.fit(loaded.data, groups: loaded.groups, options: request.options)
        }
        if let lock = request.lock {
            let model = try NotedFailure.noting(messages) {
                let digest = FileDigest.sha256Hex(try Data(contentsOf: URL(fileURLWithPath: request.input.path)))
                let model = try DiagnosticPanel.lock(
                    result, matrix: loaded.data, groups: loaded.groups, settings: lock.settings, inputSHA256: digest)
                try model.fileData().write(to: URL(fileURLWithPath: lock.path), options: .atomic)
                return model
            }
            messages.append("locked model written to \(lock.path) (cut-point \(model.cutPoint))")
        }
        return PanelResult(
            result: result, members: request.all ? result.members : result.selected, tumour: request.tumour,
            messages: messages)
    }
}

// MARK: - associate

extension StatsOperations {
    /// `stats associate`: every feature against a clinical column.
    public struct AssociateRequest: Sendable, Equatable {
        public var path: String
        /// The clinical column.
        public var by: String
        /// The levels in order, for a trend test.
        public var order: [String]?
        /// The test (`nil`: chosen from the column).
        public var test: ClinicalAssociation.Test?
        public var features: [String]?
        public var excluded: [String]

        public init(
            path: String, by: String, order: [String]? = nil, test: ClinicalAssociation.Test? = nil,
            features: [String]? = nil, excluded: [String] = []
        ) {
            self.path = path
            self.by = by
            self.order = order
            self.test = test
            self.features = features
            self.excluded = excluded
        }
    }

    /// The text columns read as sample information rather than features, as a sentence.
    public static func annotationNote(_ annotations: [String]) -> String {
        "sample information, not features: \(annotations.joined(separator: ", "))"
    }

    /// The association of every feature.
    public struct AssociateResult: Sendable {
        public var rows: [ClinicalAssociation.Row]
        /// The text columns read as sample information rather than features.
        public var annotations: [String]

        /// The rows as a table.
        public var table: ResultTable {
            ResultTable(
                columns: ["feature", "test", "n", "statistic", "effect", "p_value", "adj_p_value", "missing"],
                rows: rows.map {
                    [
                        .text($0.feature), .text($0.test.rawValue), .integer($0.n), .number($0.statistic),
                        .number($0.effect), .number($0.p), .number($0.adjustedP), .integer($0.missing),
                    ]
                })
        }
    }

    /// Runs `stats associate`.
    public static func associate(_ request: AssociateRequest) throws -> AssociateResult {
        let data = try MatrixColumnSelection.read(
            request.path, label: request.by, features: request.features, excluded: request.excluded)
        let annotations = data.annotations.keys.sorted()
        let design = try NotedFailure.noting(annotations.isEmpty ? [] : [annotationNote(annotations)]) {
            try ClinicalAssociation.design(data, order: request.order, test: request.test)
        }
        return AssociateResult(rows: ClinicalAssociation.analyze(data, design: design), annotations: annotations)
    }
}

// MARK: - survival

extension StatsOperations {
    /// `stats survival`: prognosis by one feature.
    public struct SurvivalRequest: Sendable, Equatable {
        public var path: String
        public var feature: String
        public var time: String
        public var event: String
        public var covariates: [String]
        public var excluded: [String]

        public init(
            path: String, feature: String, time: String, event: String, covariates: [String] = [],
            excluded: [String] = []
        ) {
            self.path = path
            self.feature = feature
            self.time = time
            self.event = event
            self.covariates = covariates
            self.excluded = excluded
        }
    }

    /// The Kaplan–Meier groups, log-rank test and Cox model of `stats survival`.
    public struct SurvivalResult: Sendable, Encodable {
        /// One Cox term with its hazard ratio.
        public struct Term: Sendable, Encodable {
            public var term: String
            public var coef, hazardRatio, ciLow, ciHigh, p: Double?
            public var dropped, possiblyInfinite: Bool
            enum CodingKeys: String, CodingKey {
                case term, coef, p, dropped
                case hazardRatio = "hazard_ratio"
                case ciLow = "ci_low"
                case ciHigh = "ci_high"
                case possiblyInfinite = "possibly_infinite"
            }
        }
        /// One group of the median split.
        public struct Group: Sendable, Encodable {
            public var n: Int
            public var medianSurvival: String
            enum CodingKeys: String, CodingKey {
                case n
                case medianSurvival = "median_survival"
            }
        }

        /// The analysis itself.
        public var result: Prognosis.Result

        public var low: Group { Group(n: result.lowCount, medianSurvival: Self.medianSurvival(result.low)) }
        public var high: Group { Group(n: result.highCount, medianSurvival: Self.medianSurvival(result.high)) }
        /// coxph's warnings: dropped terms, possibly infinite coefficients, non-convergence.
        public var warnings: [String] { result.coxWarnings }

        /// The Cox terms with hazard ratios and 95 % intervals, when a Cox model was fitted.
        public var terms: [Term]? {
            guard let fit = result.cox else { return nil }
            let z = Normal.twoSidedCritical(level: 0.95)
            return result.terms.enumerated().map { index, term in
                let (b, se) = (fit.coefficients[index], fit.standardErrors[index])
                return Term(
                    term: term, coef: ResultDocument.finite(b), hazardRatio: ResultDocument.finite(exp(b)),
                    ciLow: ResultDocument.finite(exp(b - z * se)), ciHigh: ResultDocument.finite(exp(b + z * se)),
                    p: ResultDocument.finite(fit.p[index]), dropped: fit.dropped[index],
                    possiblyInfinite: fit.possiblyInfinite[index])
            }
        }

        /// survfit's median (`Survival.median`) as printed: "not reached" when S stays above 0.5.
        public static func medianSurvival(_ steps: [Survival.Step]) -> String {
            Survival.median(steps).map { String($0) } ?? "not reached"
        }

        /// The Kaplan–Meier steps of both groups (survfit's summary).
        public var steps: ResultTable {
            ResultTable(
                columns: ["group", "time", "n_risk", "n_event", "survival", "std_err", "lower", "upper"],
                rows: [("low", result.low), ("high", result.high)].flatMap { group, steps in
                    steps.map {
                        [
                            .text(group), .number($0.time), .integer($0.atRisk), .integer($0.events),
                            .number($0.survival), .number($0.logStandardError), .number($0.low), .number($0.high),
                        ]
                    }
                })
        }

        enum CodingKeys: String, CodingKey {
            case feature, split, low, high, cox, warnings
            case logrankChisq = "logrank_chisq"
            case logrankP = "logrank_p"
            case leftOut = "left_out"
            case coxN = "cox_n"
            case coxConverged = "cox_converged"
        }

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(result.feature, forKey: .feature)
            try container.encodeIfPresent(ResultDocument.finite(result.median), forKey: .split)
            try container.encode(low, forKey: .low)
            try container.encode(high, forKey: .high)
            try container.encodeIfPresent(result.logRankChiSquare.flatMap(ResultDocument.finite), forKey: .logrankChisq)
            try container.encodeIfPresent(result.logRankP.flatMap(ResultDocument.finite), forKey: .logrankP)
            try container.encode(result.leftOut, forKey: .leftOut)
            try container.encode(warnings, forKey: .warnings)
            if let fit = result.cox {
                try container.encode(result.coxSamples, forKey: .coxN)
                try container.encode(fit.converged, forKey: .coxConverged)
                try container.encodeIfPresent(terms, forKey: .cox)
            }
        }
    }

    /// Runs `stats survival`.
    public static func survival(_ request: SurvivalRequest) throws -> SurvivalResult {
        let data = try MatrixColumnSelection.read(request.path, label: nil, excluded: request.excluded)
        return SurvivalResult(
            result: try Prognosis.analyze(
                data, feature: request.feature, time: request.time, event: request.event,
                covariates: request.covariates))
    }
}
