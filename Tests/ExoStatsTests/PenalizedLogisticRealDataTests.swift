import ExoStats
import ExoTestSupport
import Foundation
import Testing

/// The lasso and elastic-net paths against glmnet 4.1.6's exact minimiser on real p > n data.
///
/// GEO GSE122488, small-RNA-seq of serum exosomes from 16 healthy controls and 22 glioma patients, the 540 miRNAs
/// with CPM ≥ 1 in at least half of the 38 samples as log2(CPM + 1) — strongly correlated predictors, and a path
/// that runs towards complete separation. The data are read from `../shared/data` (the test is skipped when it
/// is absent); the reference is Tests/Fixtures/stats/GSE122488.glmnet.tsv, made by
/// `Rscript bench/stats/glmnet_real_reference.R ../shared/data/exosomal_mirna_case_control/GSE122488_smallRNAseq_serum_EV`
/// with glmnet's thresh 1e-20: at 1e-16 glmnet's own solution still breaks the optimality conditions by up to
/// 10⁻⁹ and differs from its 1e-20 solution by up to 2.4 · 10⁻⁵, at 1e-20 by at most 1.8 · 10⁻¹¹.
struct PenalizedLogisticRealDataTests {
    static let folder = "exosomal_mirna_case_control/GSE122488_smallRNAseq_serum_EV"

    /// The predictors and outcome, prepared as the R script prepares them.
    static func data() throws -> (columns: [[Double]], names: [String], outcome: [Bool]) {
        let base = try #require(Fixture.sharedData).appendingPathComponent(folder)
        let expression = try String(
            contentsOf: base.appendingPathComponent("GSE122488_expression_cpm.csv"), encoding: .utf8)
        let samples = try String(contentsOf: base.appendingPathComponent("GSE122488_samples.csv"), encoding: .utf8)
        let lines = expression.split(whereSeparator: \.isNewline)
        let header = try #require(lines.first).split(separator: ",").dropFirst().map(String.init)
        var outcomeBySample: [String: Bool] = [:]
        for line in samples.split(whereSeparator: \.isNewline).dropFirst() {
            let fields = line.split(separator: ",")
            outcomeBySample[String(fields[0])] = fields[2] == "1"
        }
        let outcome = try header.map { sample in
            try #require(outcomeBySample[sample] as Bool?, "no label for \(sample)")
        }
        var columns: [[Double]] = []
        var names: [String] = []
        for line in lines.dropFirst() {
            let fields = line.split(separator: ",", omittingEmptySubsequences: false)
            let cpm = try fields.dropFirst().map { try #require(Double($0)) }
            guard 2 * cpm.filter({ $0 >= 1 }).count >= cpm.count else { continue }
            names.append(String(fields[0]))
            columns.append(cpm.map { log2($0 + 1) })
        }
        return (columns, names, outcome)
    }

    /// alpha → rows of (lambda, dev ratio, intercept, non-zero coefficients by name).
    static func reference() throws -> [Double: [(
        lambda: Double, ratio: Double, intercept: Double, beta: [String: Double]
    )]] {
        let text = try String(contentsOf: Fixture.url("stats/GSE122488.glmnet.tsv"), encoding: .utf8)
        var paths: [Double: [(lambda: Double, ratio: Double, intercept: Double, beta: [String: Double])]] = [:]
        for line in text.split(separator: "\n") where line.hasPrefix("path\t") {
            let fields = line.split(separator: "\t").map(String.init)
            var beta: [String: Double] = [:]
            for pair in fields.dropFirst(7) {
                let parts = pair.split(separator: "=")
                // A coefficient that does not read as a number becomes NaN, which fails every comparison below.
                beta[String(parts[0])] = Double(parts[1]) ?? .nan
            }
            let numbers = fields[1...5].map { Double($0) ?? .nan }
            paths[numbers[0], default: []].append((numbers[2], numbers[3], numbers[4], beta))
        }
        return paths
    }

    @Test(
        .enabled(if: Fixture.sharedData != nil, "../shared/data (GEO GSE122488) is absent in this checkout"),
        arguments: [1.0, 0.5])
    func pathMatchesGlmnetsExactMinimiserOnRealData(alpha: Double) throws {
        let data = try Self.data()
        #expect(data.columns.count == 540 && data.outcome.count == 38, "p = 540 > n = 38 as in the R script")
        let expected = try #require(try Self.reference()[alpha])
        let path = try #require(
            PenalizedLogisticPath(columns: data.columns, outcome: data.outcome, options: .init(alpha: alpha)))
        #expect(path.lambdas.count == expected.count, "glmnet stops its path at the same step")
        var worst = 0.0
        var worstStep = 0
        for (step, row) in zip(path.lambdas.indices, expected) {
            #expect(abs(path.lambdas[step] - row.lambda) <= 1e-12 * row.lambda, "λ at step \(step + 1)")
            #expect(abs(path.devianceRatios[step] - row.ratio) <= 1e-8, "deviance ratio at step \(step + 1)")
            #expect(step == 0 || path.optimalityGaps[step] <= 1e-11, "KKT conditions at step \(step + 1)")
            var difference = abs(path.intercepts[step] - row.intercept)
            for (name, value) in zip(data.names, path.coefficients[step]) {
                difference = max(difference, abs(value - (row.beta[name] ?? 0)))
                #expect((value != 0) == (row.beta[name] != nil), "\(name) selected alike at step \(step + 1)")
            }
            if difference > worst { (worst, worstStep) = (difference, step + 1) }
        }
        print("GSE122488 alpha \(alpha): largest |Δβ| against glmnet \(worst) at step \(worstStep)")
        #expect(worst <= 1e-6, "largest coefficient difference \(worst) at step \(worstStep)")
    }
}
