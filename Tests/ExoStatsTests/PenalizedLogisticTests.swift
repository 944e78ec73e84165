import ExoStats
import ExoTestSupport
import Foundation
import Testing

/// Lasso, elastic-net and ridge logistic paths and their cross-validation against glmnet 4.1.6 on two seeded
/// matrices: 20 features × 400 samples, where every fit is well determined, and 60 × 120, whose path runs
/// towards complete separation (Tests/Fixtures/stats/panel-*.glmnet.tsv, made by
/// `Rscript bench/stats/glmnet_reference.R Tests/Fixtures/stats/panel-20x400.tsv tumour` and the same for
/// panel-60x120, glmnet's thresh 1e-20).
///
/// Near separation the likelihood is so flat that solutions optimal to 10⁻⁹ (glmnet's and ours) differ by up to
/// 10⁻⁵ in the coefficients; there the test checks the optimality (KKT) conditions of ExoScope's solution
/// instead, and the coefficients wherever the fit explains at most 90 % of the deviance.
struct PenalizedLogisticTests {
    struct Reference {
        var columns: [[Double]] = []
        var outcome: [Bool] = []
        /// alpha → rows of (lambda, dev ratio, intercept, coefficients).
        var paths: [Double: [(lambda: Double, ratio: Double, intercept: Double, beta: [Double])]] = [:]
        var cv: [(lambda: Double, mean: Double, sd: Double)] = []
        var choice: (minimum: Int, oneSE: Int) = (0, 0)
    }

    static func reference(_ name: String) throws -> Reference {
        var reference = Reference()
        let matrix = try String(contentsOf: Fixture.url("stats/\(name).tsv"), encoding: .utf8)
        let rows = matrix.split(separator: "\n").dropFirst().map { $0.split(separator: "\t") }
        reference.outcome = rows.map { $0[1] == "tumour" }
        let featureCount = try #require(rows.first).count - 2
        reference.columns = try (0..<featureCount).map { j in try rows.map { try #require(Double($0[j + 2])) } }
        let text = try String(contentsOf: Fixture.url("stats/\(name).glmnet.tsv"), encoding: .utf8)
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            let fields = line.split(separator: "\t").map(String.init)
            let numbers = fields.dropFirst().map { Double($0) ?? .nan }
            switch fields[0] {
            case "path" where fields[1] != "alpha":
                reference.paths[numbers[0], default: []].append(
                    (numbers[2], numbers[3], numbers[4], Array(numbers[5...])))
            case "cv": reference.cv.append((numbers[1], numbers[2], numbers[3]))
            case "cv_choice": reference.choice = (Int(numbers[0]) - 1, Int(numbers[1]) - 1)
            default: break
            }
        }
        return reference
    }

    @Test(arguments: ["panel-20x400", "panel-60x120"], [1.0, 0.5, 0.0])
    func pathMatchesGlmnetAtEveryLambda(fixture: String, alpha: Double) throws {
        let reference = try Self.reference(fixture)
        let expected = try #require(reference.paths[alpha])
        let path = try #require(
            PenalizedLogisticPath(
                columns: reference.columns, outcome: reference.outcome,
                options: .init(alpha: alpha, tolerance: fixture == "panel-60x120" ? 1e-20 : 1e-16)))
        #expect(path.lambdas.count == expected.count, "glmnet stops its path at the same step")
        var worst = 0.0
        for (step, row) in zip(path.lambdas.indices, expected) {
            #expect(abs(path.lambdas[step] - row.lambda) <= 1e-12 * row.lambda, "λ at step \(step + 1)")
            #expect(abs(path.devianceRatios[step] - row.ratio) <= 1e-6, "deviance ratio at step \(step + 1)")
            // The first step is the intercept-only model, as glmnet's (optimal at λ_max only for α = 1).
            #expect(
                step == 0 || Self.optimalityGap(path, step: step, reference: reference, alpha: alpha) <= 1e-8,
                "KKT conditions at step \(step + 1)")
            guard row.ratio <= 0.9 else { continue }
            worst = max(worst, abs(path.intercepts[step] - row.intercept))
            for (value, target) in zip(path.coefficients[step], row.beta) { worst = max(worst, abs(value - target)) }
        }
        #expect(worst <= 1e-6, "largest coefficient difference \(worst)")
    }

    /// A path fitted as loosely as cross-validation fits it (ε 10⁻⁴), then converged at one step, gives glmnet's
    /// exact solution there as the tight path does.
    @Test(arguments: ["panel-20x400", "panel-60x120"])
    func looseStepsConvergeToGlmnetsSolution(fixture: String) throws {
        let reference = try Self.reference(fixture)
        let expected = try #require(reference.paths[1.0])
        let loose = try #require(
            PenalizedLogisticPath(
                columns: reference.columns, outcome: reference.outcome, options: .init(kktTolerance: 1e-4)))
        var checked = 0
        for step in [10, 20, 30] where step < min(loose.lambdas.count, expected.count) {
            let row = expected[step]
            guard row.ratio <= 0.9 else { continue }
            let model = loose.converged(at: step, columns: reference.columns, outcome: reference.outcome)
            #expect(model.optimalityGap <= 1e-11, "KKT conditions at step \(step + 1)")
            #expect(abs(model.intercept - row.intercept) <= 1e-6, "intercept at step \(step + 1)")
            for (value, target) in zip(model.coefficients, row.beta) {
                #expect(abs(value - target) <= 1e-6, "coefficient at step \(step + 1)")
            }
            checked += 1
        }
        #expect(checked > 0)
    }

    /// The largest violation of the elastic-net optimality conditions on the standardised scale: the gradient of
    /// the mean log-likelihood equals λ(α sign βⱼ + (1 − α)βⱼ) for a non-zero βⱼ and is at most λα in size for a
    /// zero one, and the residuals sum to zero.
    static func optimalityGap(_ path: PenalizedLogisticPath, step: Int, reference: Reference, alpha: Double)
        -> Double
    {
        let n = Double(reference.outcome.count)
        let eta = path.linearPredictor(
            at: step, columns: reference.columns, rows: Array(reference.outcome.indices))
        let residual = zip(reference.outcome, eta).map { ($0 ? 1 : 0) - 1 / (1 + exp(-$1)) }
        var gap = abs(residual.reduce(0, +) / n)
        let lambda = path.lambdas[step]
        for (column, beta) in zip(reference.columns, path.coefficients[step]) {
            let mean = column.reduce(0, +) / n
            let scale = (column.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / n).squareRoot()
            let gradient = zip(column, residual).reduce(0) { $0 + ($1.0 - mean) / scale * $1.1 } / n
            let standardised = beta * scale
            gap = max(
                gap,
                standardised == 0
                    ? max(0, abs(gradient) - lambda * alpha)
                    : abs(gradient - lambda * (alpha * (standardised > 0 ? 1 : -1) + (1 - alpha) * standardised)))
        }
        return gap
    }

    /// With the folds converged as tightly as the path (ε 10⁻¹¹), the curve is cv.glmnet's at thresh 1e-20 to
    /// 10⁻⁶; with the default fold tolerance (10⁻⁴) it stays within 2 · 10⁻⁴ and chooses the same λ.
    @Test(arguments: [(1e-11, 1e-6), (1e-4, 2e-4)])
    func crossValidationMatchesCvGlmnetWithTheSameFolds(foldTolerance: Double, bound: Double) throws {
        let reference = try Self.reference("panel-20x400")
        let folds = reference.outcome.indices.map { $0 % 10 }
        let cv = try #require(
            CrossValidatedLogisticPath(
                columns: reference.columns, outcome: reference.outcome, folds: folds,
                options: .init(tolerance: 1e-16, foldKKTTolerance: foldTolerance)))
        #expect(cv.meanDeviance.count == reference.cv.count)
        for (step, row) in reference.cv.enumerated() {
            #expect(abs(cv.path.lambdas[step] - row.lambda) <= 1e-12 * row.lambda)
            #expect(abs(cv.meanDeviance[step] - row.mean) <= bound, "cvm at step \(step + 1)")
            #expect(abs(cv.standardError[step] - row.sd) <= bound, "cvsd at step \(step + 1)")
        }
        #expect(cv.minimumStep == reference.choice.minimum)
        #expect(cv.oneStandardErrorStep == reference.choice.oneSE)
    }

    @Test func stratifiedFoldsKeepTheClassBalanceAndDependOnlyOnTheSeed() {
        let outcome = (0..<53).map { $0 % 3 == 0 }
        var first = SeededGenerator(seed: 9)
        var second = SeededGenerator(seed: 9)
        let folds = CrossValidatedLogisticPath.stratifiedFolds(
            outcome: outcome, rows: Array(outcome.indices), count: 5, generator: &first)
        #expect(
            folds
                == CrossValidatedLogisticPath.stratifiedFolds(
                    outcome: outcome, rows: Array(outcome.indices), count: 5, generator: &second))
        for fold in 0..<5 {
            let cases = outcome.indices.filter { folds[$0] == fold && outcome[$0] }.count
            #expect((3...4).contains(cases), "fold \(fold) has \(cases) of 18 cases")
        }
    }

    @Test func oneClassHasNoPath() {
        #expect(PenalizedLogisticPath(columns: [[1, 2, 3]], outcome: [true, true, true]) == nil)
    }
}
