public import ExoCore
public import ExoFormats
import ExoStats
public import Foundation

/// A locked diagnostic model: a panel frozen with everything needed to apply it the same way to new samples.
///
/// It names the analytes it requires and how their values must be prepared (normalisation), its coefficients and
/// intercept, the probability cut-point, the intended specimen, and bootstrap replicates of its coefficients for
/// an interval around each score. Written as JSON with the SHA-256 of its content, so `exoscope score` can refuse
/// a model edited after it was locked, and with the versions that wrote it, so an older ExoScope refuses a model
/// it may misread. The interval reflects the uncertainty of the coefficients (bootstrap of the training
/// samples with the selected analytes held fixed), not measurement error.
public struct LockedModel: Codable, Sendable, Hashable {
    /// The `format` every locked model carries.
    public static let formatName = "exoscope-locked-model"
    /// The newest model format this ExoScope reads and writes.
    public static let formatVersion = 1

    /// One required analyte and its coefficient (log-odds per unit of the prepared value).
    public struct Analyte: Codable, Sendable, Hashable {
        public var feature: String
        public var coefficient: Double

        /// Creates an analyte.
        public init(feature: String, coefficient: Double) {
            self.feature = feature
            self.coefficient = coefficient
        }
    }

    /// How the model was made.
    public struct Training: Codable, Sendable, Hashable {
        public var samples: Int
        public var cases: Int
        public var alpha: Double
        public var lambda: Double
        public var folds: Int
        public var repeats: Int
        public var seed: UInt64
        /// SHA-256 of the training matrix file.
        public var inputSHA256: String
        /// Nested cross-validated AUC and its interval, when validated.
        public var nestedAUC: Double?
        public var nestedAUCLow: Double?
        public var nestedAUCHigh: Double?

        /// Creates the training record.
        public init(
            samples: Int, cases: Int, alpha: Double, lambda: Double, folds: Int, repeats: Int, seed: UInt64,
            inputSHA256: String, nestedAUC: Double? = nil, nestedAUCLow: Double? = nil, nestedAUCHigh: Double? = nil
        ) {
            self.samples = samples
            self.cases = cases
            self.alpha = alpha
            self.lambda = lambda
            self.folds = folds
            self.repeats = repeats
            self.seed = seed
            self.inputSHA256 = inputSHA256
            self.nestedAUC = nestedAUC
            self.nestedAUCLow = nestedAUCLow
            self.nestedAUCHigh = nestedAUCHigh
        }

        enum CodingKeys: String, CodingKey {
            case samples, cases, alpha, lambda, folds, repeats, seed
            case inputSHA256 = "input_sha256"
            case nestedAUC = "nested_auc"
            case nestedAUCLow = "nested_auc_low"
            case nestedAUCHigh = "nested_auc_high"
        }
    }

    public var format = Self.formatName
    public var formatVersion = Self.formatVersion
    public var exoscopeVersion = ExoScopeVersion.current
    public var name: String
    /// The specimen the model was trained on and may be applied to (such as `plasma`).
    public var intendedSpecimen: String
    /// How each analyte's value must be prepared before scoring (scale and normalisation).
    public var normalisation: String
    public var positiveClass: String
    public var negativeClass: String
    public var intercept: Double
    public var analytes: [Analyte]
    /// Samples with a probability at or above this are called `positiveClass`.
    public var cutPoint: Double
    /// How the cut-point was chosen.
    public var cutPointRule: String
    /// Whether a sample must carry a passing QC status.
    public var requiresQC: Bool
    /// Confidence level of the score intervals.
    public var intervalLevel: Double
    /// Bootstrap replicates: the intercept then one coefficient per analyte.
    public var replicates: [[Double]]
    public var training: Training
    /// SHA-256 of the model's canonical JSON without this field; set by `locked()`.
    public var sha256: String?

    /// Creates an unlocked model (``sha256`` is set by `locked()`) in the current format.
    public init(
        name: String, intendedSpecimen: String, normalisation: String, positiveClass: String, negativeClass: String,
        intercept: Double, analytes: [Analyte], cutPoint: Double, cutPointRule: String, requiresQC: Bool,
        intervalLevel: Double, replicates: [[Double]], training: Training
    ) {
        self.name = name
        self.intendedSpecimen = intendedSpecimen
        self.normalisation = normalisation
        self.positiveClass = positiveClass
        self.negativeClass = negativeClass
        self.intercept = intercept
        self.analytes = analytes
        self.cutPoint = cutPoint
        self.cutPointRule = cutPointRule
        self.requiresQC = requiresQC
        self.intervalLevel = intervalLevel
        self.replicates = replicates
        self.training = training
    }

    enum CodingKeys: String, CodingKey {
        case format, name, normalisation, intercept, analytes, replicates, training, sha256
        case formatVersion = "format_version"
        case exoscopeVersion = "exoscope_version"
        case intendedSpecimen = "intended_specimen"
        case positiveClass = "positive_class"
        case negativeClass = "negative_class"
        case cutPoint = "cut_point"
        case cutPointRule = "cut_point_rule"
        case requiresQC = "requires_qc"
        case intervalLevel = "interval_level"
    }

    /// The canonical JSON (sorted keys) the hash covers: everything but `sha256`.
    func canonicalJSON() throws -> Data {
        var copy = self
        copy.sha256 = nil
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(copy)
    }

    /// The model with its hash filled in.
    public func locked() throws -> LockedModel {
        var copy = self
        copy.sha256 = FileDigest.sha256Hex(try canonicalJSON())
        return copy
    }

    /// The file's bytes: pretty-printed JSON with sorted keys.
    public func fileData() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        return try encoder.encode(try locked())
    }

    /// Whether semantic version `a` is newer than `b` (numeric fields compared in turn).
    static func isNewer(_ a: String, than b: String) -> Bool {
        let parts = { (text: String) in text.split(separator: ".").map { Int($0.prefix { $0.isNumber }) ?? 0 } }
        let (x, y) = (parts(a), parts(b))
        for index in 0..<max(x.count, y.count) {
            let (p, q) = (index < x.count ? x[index] : 0, index < y.count ? y[index] : 0)
            if p != q { return p > q }
        }
        return false
    }

    static func describe(_ error: any Error) -> String {
        switch error {
        case DecodingError.keyNotFound(let key, _): "missing key \(InputError.quoted(key.stringValue))"
        case DecodingError.typeMismatch(_, let context), DecodingError.valueNotFound(_, let context):
            "wrong value at \(context.codingPath.map(\.stringValue).joined(separator: "."))"
        case DecodingError.dataCorrupted: "not valid JSON"
        default: "\(error)"
        }
    }
}

extension LockedModel {
    /// Reads and checks a model file.
    ///
    /// - Throws: `InputErrorList`: `fileNotFound`, `malformedYAML`-free JSON errors as `wrongType`, `unsupportedVersion`
    ///   for a model from a newer ExoScope or format, `fileChanged` for a model whose content no longer matches its
    ///   SHA-256.
    public init(contentsOf url: URL, displayPath: String) throws(InputErrorList) {
        let location = InputLocation(path: displayPath)
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw InputErrorList([
                InputError(.fileNotFound, at: location, "cannot read the model \(InputError.quoted(displayPath))")
            ])
        }
        struct Header: Decodable {
            var format: String?
            var formatVersion: Int?
            var exoscopeVersion: String?

            enum CodingKeys: String, CodingKey {
                case format
                case formatVersion = "format_version"
                case exoscopeVersion = "exoscope_version"
            }
        }
        guard let header = try? JSONDecoder().decode(Header.self, from: data), header.format == Self.formatName else {
            throw InputErrorList([
                InputError(
                    .wrongType, at: location,
                    "not an ExoScope locked model (expected \"format\": \"\(Self.formatName)\")",
                    hint: "exoscope stats panel … --lock MODEL.json writes one")
            ])
        }
        let written = header.exoscopeVersion ?? "?"
        if (header.formatVersion ?? 0) > Self.formatVersion
            || Self.isNewer(written, than: ExoScopeVersion.current)
        {
            throw InputErrorList([
                InputError(
                    .unsupportedVersion, at: location,
                    "the model was written by ExoScope \(written) (model format \(header.formatVersion ?? 0)); this is ExoScope \(ExoScopeVersion.current), which reads model format \(Self.formatVersion)",
                    hint: "score it with ExoScope \(written) or newer")
            ])
        }
        let model: LockedModel
        do {
            model = try JSONDecoder().decode(LockedModel.self, from: data)
        } catch {
            throw InputErrorList([
                InputError(
                    .wrongType, at: location,
                    "the model file is incomplete or has a wrong value: \(Self.describe(error))")
            ])
        }
        let recomputed = (try? model.canonicalJSON()).map { FileDigest.sha256Hex($0) }
        guard let stored = model.sha256, stored == recomputed else {
            throw InputErrorList([
                InputError(
                    .fileChanged, at: location,
                    model.sha256 == nil
                        ? "the model has no sha256: it was not locked"
                        : "the model's content no longer matches its sha256: it was edited after it was locked",
                    hint: "lock the model again from its training data; an edited model is not the validated one")
            ])
        }
        self = model
    }
}

extension LockedModel {
    /// One sample's score, or why it was refused.
    public struct Score: Sendable, Hashable, Codable {
        public var sample: String
        /// The predicted probability of the positive class.
        public var probability: Double?
        public var low: Double?
        public var high: Double?
        /// The class called at the cut-point.
        public var call: String?
        /// Whether the interval contains the cut-point (the call could go either way).
        public var nearCut: Bool?
        public var refusal: String?
        /// The stated reason a QC refusal was overridden; the score is given but carries it.
        public var qcOverride: String?

        enum CodingKeys: String, CodingKey {
            case sample, probability, low, high, call, refusal
            case nearCut = "near_cut"
            case qcOverride = "qc_override"
        }
    }

    /// The text columns `score` reads besides the analytes.
    public static let annotationColumns = ["specimen", "qc"]

    /// Scores every sample of a matrix read with `annotationColumns` as text columns.
    ///
    /// A sample is refused, with the reason, when it lacks a value for an analyte, its specimen is not the
    /// intended one, or its QC status is not a pass (`pass`, `passed` or `ok`) — or its EV preparation failed QC in
    /// the study it came from. Only the study's EV-QC refusal is lifted by `qcOverride`, whose reason the score then
    /// carries; a failing `qc` column is never overridden here.
    ///
    /// - Parameters:
    ///   - matrix: the samples, with the `specimen` and (unless `preparationQC` gives it) `qc` columns.
    ///   - preparationQC: sample → whether its preparation passed, from the study's stored EV QC; it takes
    ///     precedence over the `qc` column and stands in for it when the file has none.
    ///   - qcOverride: the stated reason to score samples that failed QC anyway (audited by the caller).
    /// - Returns: one score or refusal per sample, in the file's order.
    /// - Throws: `InputErrorList` with `missingColumn` when the file lacks the `specimen` column, or the `qc` column
    ///   of a model that requires QC when no study status is given.
    public func score(_ matrix: FeatureMatrix, preparationQC: [String: Bool]? = nil, qcOverride: String? = nil)
        throws(InputErrorList) -> [Score]
    {
        var errors: [InputError] = []
        let specimens = matrix.annotations["specimen"]
        let statuses = matrix.annotations["qc"]
        if specimens == nil {
            errors.append(
                InputError(
                    .missingColumn, at: InputLocation(path: matrix.path, line: 1),
                    "missing column 'specimen': the model is for \(InputError.quoted(intendedSpecimen)) only",
                    hint: "add a specimen column naming each sample's specimen"))
        }
        if requiresQC, statuses == nil, preparationQC == nil {
            errors.append(
                InputError(
                    .missingColumn, at: InputLocation(path: matrix.path, line: 1),
                    "missing column 'qc': the model scores only samples that passed QC",
                    hint: "add a qc column with pass or fail for each sample"))
        }
        guard errors.isEmpty else { throw InputErrorList(errors) }
        let columns = analytes.map { analyte in matrix.features.firstIndex(of: analyte.feature) }
        let passing: Set<String> = ["pass", "passed", "ok"]
        /// The study's EV-QC refusal of a sample it assessed (whatever the model's QC setting): the only refusal
        /// `qcOverride` lifts.
        func studyRefusal(_ row: Int) -> String? {
            preparationQC?[matrix.samples[row]].flatMap {
                $0 ? nil : "EV preparation failed QC in the study (preparation-qc)"
            }
        }
        /// The `qc` column's refusal of a sample the study did not assess, for a model that requires QC.
        func columnRefusal(_ row: Int) -> String? {
            guard requiresQC, preparationQC?[matrix.samples[row]] == nil else { return nil }
            guard let status = statuses?[row] else {
                return preparationQC == nil ? nil : "no QC status: not assessed in the study and no qc column"
            }
            return passing.contains(status.lowercased())
                ? nil : status.isEmpty ? "no QC status" : "QC status \(InputError.quoted(status)), not a pass"
        }
        return matrix.samples.indices.map { row in
            var result = Score(sample: matrix.samples[row])
            let lacking = zip(analytes, columns).filter { $1.map { matrix.values[$0][row].isNaN } ?? true }
            if let specimen = specimens?[row], specimen.lowercased() != intendedSpecimen.lowercased() {
                result.refusal =
                    "specimen \(InputError.quoted(specimen)); the model is for \(InputError.quoted(intendedSpecimen))"
            } else if let refusal = columnRefusal(row) {
                result.refusal = refusal
            } else if let refusal = studyRefusal(row), qcOverride == nil {
                result.refusal = refusal
            } else if !lacking.isEmpty {
                result.refusal = "lacks \(lacking.map(\.0.feature).joined(separator: ", "))"
            } else {
                let values = columns.map { column in column.map { matrix.values[$0][row] } ?? .nan }
                let probability = Self.probability(
                    intercept: intercept, coefficients: analytes.map(\.coefficient), values)
                let replicated = replicates.map {
                    Self.probability(intercept: $0[0], coefficients: Array($0.dropFirst()), values)
                }
                result.probability = probability
                if !replicated.isEmpty {
                    let tail = (1 - intervalLevel) / 2
                    result.low = Descriptive.quantile(replicated, tail)
                    result.high = Descriptive.quantile(replicated, 1 - tail)
                }
                result.call = probability >= cutPoint ? positiveClass : negativeClass
                if studyRefusal(row) != nil { result.qcOverride = qcOverride }
                if let low = result.low, let high = result.high { result.nearCut = low < cutPoint && cutPoint <= high }
            }
            return result
        }
    }

    static func probability(intercept: Double, coefficients: [Double], _ values: [Double]) -> Double {
        let eta = zip(coefficients, values).reduce(intercept) { $0 + $1.0 * $1.1 }
        return 1 / (1 + exp(-eta))
    }
}

extension DiagnosticPanel {
    /// What a locked model states beyond the fit.
    public struct LockSettings: Sendable, Hashable {
        public var name: String
        public var specimen: String
        public var normalisation: String
        /// A fixed probability cut-point; `nil` for Youden's on the nested cross-validation's out-of-fold
        /// probabilities (the in-sample ones without validation).
        public var cutPoint: Double?
        public var requiresQC: Bool
        public var replicates: Int
        public var level: Double

        /// Creates settings.
        public init(
            name: String, specimen: String, normalisation: String, cutPoint: Double? = nil, requiresQC: Bool = true,
            replicates: Int = 200, level: Double = 0.95
        ) {
            self.name = name
            self.specimen = specimen
            self.normalisation = normalisation
            self.cutPoint = cutPoint
            self.requiresQC = requiresQC
            self.replicates = replicates
            self.level = level
        }
    }

    /// Freezes a fitted panel as a locked model, with stratified bootstrap replicates of its coefficients (the
    /// selected analytes held fixed, refitted at the panel's λ, seeded from the panel's seed).
    ///
    /// - Throws: `InputErrorList` when the panel keeps no feature.
    public static func lock(
        _ result: Result, matrix: FeatureMatrix, groups: TwoGroups, settings: LockSettings, inputSHA256: String
    ) throws(InputErrorList) -> LockedModel {
        let selected = result.members.indices.filter { result.members[$0].coefficient != 0 }
        let columnOf = Dictionary(uniqueKeysWithValues: matrix.features.enumerated().map { ($1, $0) })
        let columns = selected.compactMap { columnOf[result.members[$0].feature] }.map { matrix.values[$0] }
        guard !columns.isEmpty else {
            throw InputErrorList([
                InputError(
                    .invalidValue, at: InputLocation(path: matrix.path),
                    "the panel keeps no feature at λ = \(result.lambda); there is nothing to lock",
                    hint: "try --lambda min, or check that the groups differ")
            ])
        }
        let caseSet = Set(groups.cases)
        let outcome = matrix.samples.indices.map { caseSet.contains($0) }
        let rows = result.rows
        let probabilities =
            result.validation?.outOfFold
            ?? PenalizedLogisticPath.linearPredictor(
                intercept: result.intercept, coefficients: selected.map { result.members[$0].coefficient },
                columns: columns, rows: rows
            ).map(logistic)
        let cutPoint =
            settings.cutPoint
            ?? areaUnderCurve(probabilities, outcome: result.outcome)?.youden.first?.threshold ?? .nan
        guard cutPoint.isFinite else {
            throw InputErrorList([
                InputError(
                    .invalidValue, at: InputLocation(path: matrix.path),
                    "the panel's out-of-fold probabilities do not separate the groups, so no cut-point does; a locked model would call every sample alike",
                    hint: "give --cut-point only if another study justifies one")
            ])
        }
        var generator = SeededGenerator(seed: result.options.seed &+ 2)
        let cases = rows.filter { outcome[$0] }
        let controls = rows.filter { !outcome[$0] }
        var replicates: [[Double]] = []
        for _ in 0..<settings.replicates {
            let resampled = [cases, controls].flatMap { group in
                group.indices.map { _ in group[generator.index(below: group.count)] }
            }
            guard
                let fit = PenalizedLogisticPath(
                    columns: columns, outcome: outcome, rows: resampled,
                    options: .init(alpha: result.options.alpha, lambdas: [result.lambda]))
            else { continue }
            replicates.append([fit.intercepts[0]] + fit.coefficients[0])
        }
        let validation = result.validation
        return LockedModel(
            name: settings.name, intendedSpecimen: settings.specimen, normalisation: settings.normalisation,
            positiveClass: groups.caseLabel, negativeClass: groups.controlLabel ?? "not \(groups.caseLabel)",
            intercept: result.intercept,
            analytes: selected.map {
                LockedModel.Analyte(feature: result.members[$0].feature, coefficient: result.members[$0].coefficient)
            },
            cutPoint: cutPoint,
            cutPointRule: settings.cutPoint != nil
                ? "fixed"
                : validation != nil
                    ? "Youden on nested cross-validated probabilities" : "Youden on fitted probabilities",
            requiresQC: settings.requiresQC, intervalLevel: settings.level, replicates: replicates,
            training: .init(
                samples: result.samples.count, cases: result.outcome.filter { $0 }.count,
                alpha: result.options.alpha, lambda: result.lambda, folds: result.options.folds,
                repeats: result.options.repeats, seed: result.options.seed, inputSHA256: inputSHA256,
                nestedAUC: validation?.auc, nestedAUCLow: validation?.aucLow, nestedAUCHigh: validation?.aucHigh))
    }
}
