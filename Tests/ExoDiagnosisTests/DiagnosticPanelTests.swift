import ExoCore
import ExoDiagnosis
import ExoFormats
import ExoStats
import ExoTestSupport
import Foundation
import Testing

/// `exoscope stats panel`: the cross-validated lasso panel, its nested validation and calibration.
struct DiagnosticPanelTests {
    static func panelMatrix() throws -> FeatureMatrix {
        try FeatureMatrix(
            url: Fixture.url("stats/panel-60x120.tsv"), displayPath: "panel-60x120.tsv", labelColumn: "group")
    }

    @Test func panelIsTheCrossValidatedPathAtTheChosenLambdaAndRepeatsWithTheSeed() throws {
        let data = try Self.panelMatrix()
        let groups = try TwoGroups(data, case: "tumour", control: "healthy")
        let options = DiagnosticPanel.Options(repeats: 2, seed: 11)
        let result = try DiagnosticPanel.fit(data, groups: groups, options: options)
        let again = try DiagnosticPanel.fit(data, groups: groups, options: options)
        #expect(result.members == again.members)
        #expect(result.validation == again.validation)
        let step = result.curve.oneStandardErrorStep
        #expect(result.lambda == result.curve.path.lambdas[step])
        #expect(result.members.map(\.coefficient) == result.curve.model(at: step).coefficients)
        #expect(result.lambdaOneStandardError >= result.lambdaMinimum)
        #expect(!result.selected.isEmpty && result.selected.count < 60)
        let validation = try #require(result.validation)
        // 2 repeats × 10 outer folds = 20 models: every frequency is a multiple of 1/20.
        for member in result.members {
            let frequency = try #require(member.selectionFrequency)
            #expect((0...1).contains(frequency))
            #expect(abs(frequency * 20 - (frequency * 20).rounded()) < 1e-9)
        }
        #expect(validation.aucRange.contains(validation.auc))
        #expect(validation.aucLow < validation.auc && validation.auc < validation.aucHigh + 0.05)
        #expect(validation.outOfFold.count == 120)
        // Six of the 60 features are shifted between the groups (make_matrix.py): the panel separates them.
        #expect(validation.auc > 0.7)
    }

    @Test func calibrationMatchesRsGlm() throws {
        // Rscript bench/stats/calibration_reference.R Tests/Fixtures/stats/panel-20x400.tsv (R 4.2.2):
        // p = plogis(0.8 z − 0.3), z the first feature standardised with divisor n − 1.
        let data = try FeatureMatrix(
            url: Fixture.url("stats/panel-20x400.tsv"), displayPath: "panel-20x400.tsv", labelColumn: "group")
        let column = data.values[0]
        let mean = column.reduce(0, +) / Double(column.count)
        let sd = (column.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(column.count - 1)).squareRoot()
        let probabilities = column.map { 1 / (1 + exp(-(0.8 * ($0 - mean) / sd - 0.3))) }
        let calibration = Calibration(probabilities: probabilities, outcome: data.labels.map { $0 == "tumour" })
        #expect(abs(calibration.slope - -0.11037710916293156) < 1e-10)
        #expect(abs(calibration.intercept - 0.30038211565607825) < 1e-10)
        #expect(abs(calibration.brier - 0.29109159207709662) < 1e-14)
    }

    @Test func aMatrixWithoutFeaturesIsAnError() throws {
        var text = "sample\tgroup\n"
        for index in 0..<24 { text += "S\(index)\t\(index < 12 ? "tumour" : "healthy")\n" }
        let data = try MarkerROCTests.matrix(text)
        let groups = try TwoGroups(data, case: "tumour")
        #expect(
            MarkerROCTests.messages { _ = try DiagnosticPanel.fit(data, groups: groups) } == [
                "m.tsv:1: error: the matrix has no feature columns: a panel needs at least one miRNA"
            ])
    }

    @Test func tooFewCompleteSamplesForTheFoldsIsAnError() throws {
        var text = "sample\tgroup\ta\tb\n"
        for index in 0..<24 {
            let value = index % 4 == 0 ? "NA" : String(Double(index % 7) + (index < 12 ? 1 : 0))
            text += "S\(index)\t\(index < 12 ? "tumour" : "healthy")\t\(value)\t\(index % 5)\n"
        }
        let data = try MarkerROCTests.matrix(text)
        let groups = try TwoGroups(data, case: "tumour")
        let messages = MarkerROCTests.messages { _ = try DiagnosticPanel.fit(data, groups: groups) }
        #expect(
            messages == [
                "m.tsv: error: 9 cases and 9 controls have a value for every feature; 10-fold cross-validation needs at least 10 of each\n  hint: 6 samples miss a value: impute them or drop the features they miss"
            ])
    }
}
