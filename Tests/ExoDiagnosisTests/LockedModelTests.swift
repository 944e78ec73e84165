import ExoCore
import ExoDiagnosis
import ExoFormats
import ExoStats
import ExoTestSupport
import Foundation
import Testing

/// Locked models: written with their hash, refused when edited or too new, applied to new samples with refusals.
struct LockedModelTests {
    /// A lasso panel on the 20 × 400 fixture, locked with 50 bootstrap replicates.
    static func model() throws -> (LockedModel, FeatureMatrix) {
        let data = try FeatureMatrix(
            url: Fixture.url("stats/panel-20x400.tsv"), displayPath: "panel-20x400.tsv", labelColumn: "group")
        let groups = try TwoGroups(data, case: "tumour", control: "healthy")
        let result = try DiagnosticPanel.fit(data, groups: groups, options: .init(repeats: 0, seed: 3))
        let model = try DiagnosticPanel.lock(
            result, matrix: data, groups: groups,
            settings: .init(name: "test panel", specimen: "plasma", normalisation: "log2", replicates: 50),
            inputSHA256: "0")
        return (model, data)
    }

    static func write(_ data: Data) throws -> URL {
        let url = try Fixture.temporaryDirectory().appendingPathComponent("model.json")
        try data.write(to: url)
        return url
    }

    @Test func aLockedModelReadsBackAndScoresWithItsCoefficients() throws {
        let (model, data) = try Self.model()
        let url = try Self.write(try model.fileData())
        let read = try LockedModel(contentsOf: url, displayPath: "model.json")
        #expect(read == (try model.locked()))
        #expect(read.replicates.count == 50)
        #expect(read.training.samples == 400)
        // Score the training samples' first five rows as new plasma samples that passed QC.
        var text = "sample\tspecimen\tqc\t" + data.features.joined(separator: "\t") + "\n"
        for row in 0..<5 {
            text += "N\(row)\tPlasma\tpass\t" + data.values.map { String($0[row]) }.joined(separator: "\t") + "\n"
        }
        let samples = try Self.samples(text)
        let scores = try read.score(samples)
        let columns = try read.analytes.map { analyte in try #require(data.features.firstIndex(of: analyte.feature)) }
        for (row, score) in scores.enumerated() {
            let eta = zip(read.analytes, columns).reduce(read.intercept) {
                $0 + $1.0.coefficient * data.values[$1.1][row]
            }
            let probability = try #require(score.probability)
            #expect(abs(probability - 1 / (1 + exp(-eta))) < 1e-15)
            #expect(score.call == (probability >= read.cutPoint ? "tumour" : "healthy"))
            let low = try #require(score.low)
            let high = try #require(score.high)
            #expect(low <= high && low > 0 && high < 1)
            #expect(score.refusal == nil)
        }
    }

    static func samples(_ text: String) throws -> FeatureMatrix {
        let url = try Fixture.temporaryDirectory().appendingPathComponent("new.tsv")
        try Data(text.utf8).write(to: url)
        return try FeatureMatrix(
            url: url, displayPath: "new.tsv", labelColumn: nil, textColumns: LockedModel.annotationColumns)
    }

    @Test func samplesThatLackAnAnalyteAreOfAnotherSpecimenOrFailedQCAreRefused() throws {
        let (model, _) = try Self.model()
        let analytes = model.analytes.map(\.feature)
        let values = { (missing: Bool) in analytes.indices.map { $0 == 0 && missing ? "NA" : "8.5" } }
        var text = "sample\tspecimen\tqc\t" + analytes.joined(separator: "\t") + "\n"
        text += "A\tplasma\tpass\t" + values(true).joined(separator: "\t") + "\n"
        text += "B\tserum\tpass\t" + values(false).joined(separator: "\t") + "\n"
        text += "C\tplasma\tfail\t" + values(false).joined(separator: "\t") + "\n"
        text += "D\tplasma\t\t" + values(false).joined(separator: "\t") + "\n"
        text += "E\tplasma\tOK\t" + values(false).joined(separator: "\t") + "\n"
        let scores = try model.score(try Self.samples(text))
        #expect(
            scores.map(\.refusal) == [
                "lacks \(analytes[0])", "specimen 'serum'; the model is for 'plasma'", "QC status 'fail', not a pass",
                "no QC status", nil,
            ])
        #expect(scores[0].probability == nil && scores[4].probability != nil)
    }

    @Test func aFileWithoutSpecimenOrQCColumnsIsRefusedWhole() throws {
        let (model, _) = try Self.model()
        let text =
            "sample\t" + model.analytes.map(\.feature).joined(separator: "\t") + "\nA"
            + String(repeating: "\t1", count: model.analytes.count) + "\n"
        let messages = MarkerROCTests.messages { _ = try model.score(try Self.samples(text)) }
        #expect(
            messages == [
                "new.tsv:1: error: missing column 'specimen': the model is for 'plasma' only\n  hint: add a specimen column naming each sample's specimen",
                "new.tsv:1: error: missing column 'qc': the model scores only samples that passed QC\n  hint: add a qc column with pass or fail for each sample",
            ])
    }

    @Test func aModelEditedAfterLockingIsRefused() throws {
        let (model, _) = try Self.model()
        let text = String(decoding: try model.fileData(), as: UTF8.self)
        // Lower the cut-point to 0.1, a change that would call far more samples positive.
        let edited = text.replacingOccurrences(
            of: #""cut_point" : [0-9.e-]+"#, with: #""cut_point" : 0.1"#, options: .regularExpression)
        #expect(edited != text)
        let url = try Self.write(Data(edited.utf8))
        let messages = MarkerROCTests.messages { _ = try LockedModel(contentsOf: url, displayPath: "model.json") }
        #expect(
            messages == [
                "model.json: error: the model's content no longer matches its sha256: it was edited after it was locked\n  hint: lock the model again from its training data; an edited model is not the validated one"
            ])
    }

    @Test func aModelFromANewerExoScopeIsRefused() throws {
        let (model, _) = try Self.model()
        var newer = model
        newer.exoscopeVersion = "9.2.0"
        newer.formatVersion = 2
        let url = try Self.write(try newer.fileData())
        let messages = MarkerROCTests.messages { _ = try LockedModel(contentsOf: url, displayPath: "model.json") }
        #expect(
            messages == [
                "model.json: error: the model was written by ExoScope 9.2.0 (model format 2); this is ExoScope \(ExoScopeVersion.current), which reads model format 1\n  hint: score it with ExoScope 9.2.0 or newer"
            ])
    }

    @Test func anUnlockedOrForeignFileIsRefused() throws {
        let foreign = try Self.write(Data("{\"coefficients\": [1, 2]}".utf8))
        #expect(
            MarkerROCTests.messages { _ = try LockedModel(contentsOf: foreign, displayPath: "model.json") } == [
                "model.json: error: not an ExoScope locked model (expected \"format\": \"exoscope-locked-model\")\n  hint: exoscope stats panel … --lock MODEL.json writes one"
            ])
    }
}
