import ExoCore
import ExoDiagnosis
import ExoFormats
import ExoMonitor
import ExoPipeline
import ExoStore
import ExoTestSupport
import Foundation
import Testing

/// The monitoring stage on the demo's monitoring arm: every patient's call is the generator's truth, with its
/// evidence on the patient's page.
struct MonitoringStageTests {
    @Test func demoCallsMatchTheGeneratorsTruth() async throws {
        let folder = try Fixture.temporaryDirectory()
        try DemoStudy().write(to: folder)
        let store = try await SQLiteStore()
        let study = try Pipeline.validate(folder)
        let id = study.definition.id
        _ = try await Pipeline.importStudy(study, into: store, actor: "test")
        let outcome = try await Pipeline.analyzeMonitoring(studyID: id, store: store, actor: "test")
        #expect(outcome == "8 patients: 4 molecular response, 4 molecular progression")
        #expect(
            try await Pipeline.analyzeMonitoring(studyID: id, store: store, actor: "test") == "unchanged: " + outcome)
        let stored = try #require(try await store.result(study: id, kind: "monitoring"))
        let series = try JSONDecoder().decode(MonitoringResultProbe.self, from: Data(stored.json.utf8)).series
        func current(_ patient: String) -> [ResponseClass] {
            series.filter { $0.patient == patient }.compactMap { $0.current?.call }
        }
        // Truth (DemoStudy): MT001–MT004 respond, MT005 responds for two months then relapses, MT006–MT008 progress.
        // miR-4458 carries the call; miR-21 (a smaller effect) may lag but never contradicts it.
        for patient in ["MT001", "MT002", "MT003", "MT004"] {
            #expect(current(patient).contains(.response) && !current(patient).contains(.progression), "\(patient)")
        }
        for patient in ["MT005", "MT006", "MT007", "MT008"] {
            #expect(current(patient).contains(.progression) && !current(patient).contains(.response), "\(patient)")
        }
        let relapse = try #require(series.first { $0.patient == "MT005" && $0.analyte == "hsa-miR-4458" })
        #expect(relapse.calls.first { $0.day == 56 }?.call == .response)
        #expect(relapse.directionSource.hasPrefix("lower in NSCLC (knowledge base R012"))
        #expect(series.first { $0.analyte == "hsa-miR-21-5p" }?.higherIsBetter == false)
        // The patient page carries each call's evidence.
        let html = try await Pipeline.report(studyID: id, from: store)
        let article = try #require(reportArticle("patient-MT005", in: html))
        #expect(article.contains("Patient MT005 · cisplatin + pemetrexed: molecular progression"))
        #expect(article.contains("worse than the best value so far by"))
        #expect(article.contains("better than baseline by"))
        // Treatment events from the sample sheet mark the trajectories: the start and the second-line switch.
        #expect(article.contains("treatment start: cisplatin + pemetrexed"))
        #expect(article.contains("switch to docetaxel"))
        #expect(html.contains("Molecular response by patient"))
    }

    @Test func withoutWithinSubjectVariationTheStageSaysWhatToSet() async throws {
        let folder = try Self.smallDemo()
        try Self.edit(folder, "  withinSubjectSD: 0.25\n", to: "")
        let store = try await SQLiteStore()
        let study = try Pipeline.validate(folder)
        _ = try await Pipeline.importStudy(study, into: store, actor: "test")
        #expect(
            try await Pipeline.analyzeMonitoring(studyID: study.definition.id, store: store, actor: "test")
                == "skipped: no within-subject variation: set monitoring.withinSubjectSD in study.yaml, or mark stable patients (response SD) with serial samples"
        )
        #expect(try await store.result(study: study.definition.id, kind: "monitoring") == nil)
    }

    /// A locked panel in `monitoring.panel`: each serial sample gets the model's score, judged on the log-odds scale
    /// with the reference change value propagated from the members', shown on the patient page.
    @Test func aLockedPanelScoreIsFollowedOverTime() async throws {
        let folder = try Fixture.temporaryDirectory()
        try DemoStudy().write(to: folder)
        // A hand-set two-miRNA model (a fixture: the coefficients are not fitted): lower miR-4458 and higher miR-21
        // raise the log-odds of NSCLC, as in the knowledge base.
        let model = Self.fixtureModel(
            "two-miRNA fixture", normalisation: "-dCq against cel-miR-39-3p", intercept: 0.5,
            [("miR-4458", -1.2), ("miR-21", 0.8)])
        try Self.writeModel(model.fileData(), in: folder)
        try Self.edit(folder, "  probability: 0.95\n", to: "  probability: 0.95\n  panel: models/panel.json\n")
        let store = try await SQLiteStore()
        let study = try Pipeline.validate(folder)
        #expect(study.files.contains { $0.path == "models/panel.json" && $0.role == "monitoring-panel" })
        let id = study.definition.id
        _ = try await Pipeline.importStudy(study, into: store, actor: "test")
        _ = try await Pipeline.analyzeMonitoring(studyID: id, store: store, actor: "test")
        let stored = try #require(try await store.result(study: id, kind: "monitoring"))
        let series = try JSONDecoder().decode(MonitoringResultProbe.self, from: Data(stored.json.utf8)).series
        let panels = series.filter { $0.analyte == "panel two-miRNA fixture" }
        #expect(panels.count == 8)
        for panel in panels {
            let mir4458 = try #require(series.first { $0.patient == panel.patient && $0.analyte == "hsa-miR-4458" })
            let mir21 = try #require(series.first { $0.patient == panel.patient && $0.analyte == "hsa-miR-21-5p" })
            for (index, call) in panel.calls.enumerated() {
                guard let a = mir4458.calls[index].value, let b = mir21.calls[index].value else {
                    #expect(call.value == nil)
                    continue
                }
                #expect(abs((call.value ?? .nan) - (0.5 - 1.2 * a + 0.8 * b)) < 1e-12)
            }
            // SD_A = √((1.2·SD_A,4458)² + (0.8·SD_A,21)²); SD_I = 0.25 · √(1.2² + 0.8²).
            let sdA = (pow(1.2 * mir4458.rcv.analytical, 2) + pow(0.8 * mir21.rcv.analytical, 2)).squareRoot()
            #expect(abs(panel.rcv.analytical - sdA) < 1e-12)
            #expect(abs(panel.rcv.withinSubject - 0.25 * (1.44 + 0.64).squareRoot()) < 1e-12)
            #expect(panel.rcv.scale == .logOdds && !panel.higherIsBetter)
        }
        // The score follows the generator's truth: it falls for responders and rises for progressors.
        for patient in ["MT001", "MT002", "MT003", "MT004"] {
            #expect(panels.first { $0.patient == patient }?.current?.call == .response, "\(patient)")
        }
        for patient in ["MT006", "MT007", "MT008"] {
            #expect(panels.first { $0.patient == patient }?.current?.call == .progression, "\(patient)")
        }
        let html = try await Pipeline.report(studyID: id, from: store)
        let article = try #require(reportArticle("patient-MT007", in: html))
        #expect(article.contains("MT007: panel score from baseline, higher is worse"))
        #expect(article.contains("score − baseline (log-odds; higher = worse)"))
        // miR-4458 falls with disease and miR-21 rises: never on one axis, each axis saying which way is better.
        let plots = article.components(separatedBy: "<figure>").dropFirst()
        let better = try #require(plots.first { $0.contains("MT007: change from baseline, higher is better") })
        let worse = try #require(plots.first { $0.contains("MT007: change from baseline, higher is worse") })
        #expect(better.contains(">hsa-miR-4458</text>") && !better.contains("hsa-miR-21-5p"))
        #expect(worse.contains(">hsa-miR-21-5p</text>") && !worse.contains("hsa-miR-4458"))
        #expect(better.contains("−ΔCq − baseline (cycles; higher = more = better)"))
        #expect(worse.contains("−ΔCq − baseline (cycles; higher = more = worse)"))
        #expect(article.contains("panel two-miRNA fixture trend over the last 4 values (Theil–Sen)"))
        #expect(html.contains("two-miRNA fixture") && html.contains("(sha256 ") && html.contains("a fall is better"))
    }

    /// A `monitoring.panel` that is missing or was edited after locking stops validation with the reason.
    @Test func aMissingOrEditedPanelIsRefused() throws {
        let folder = try Self.smallDemo()
        try Self.edit(folder, "  probability: 0.95\n", to: "  probability: 0.95\n  panel: models/panel.json\n")
        let missing = Fixture.errorMessages { _ = try Pipeline.validate(folder) }
        #expect(
            missing == [
                "study.yaml: error: file 'models/panel.json' named in study.yaml does not exist\n  hint: paths are relative to the study folder '\(folder.lastPathComponent)'"
            ])
        let model = Self.fixtureModel("fixture", normalisation: "-dCq", intercept: 0, [("miR-4458", -1)])
        let edited = String(decoding: try model.fileData(), as: UTF8.self).replacingOccurrences(
            of: "\"intercept\" : 0", with: "\"intercept\" : 2")
        try Self.writeModel(Data(edited.utf8), in: folder)
        let messages = Fixture.errorMessages { _ = try Pipeline.validate(folder) }
        #expect(
            messages == [
                "models/panel.json: error: the model's content no longer matches its sha256: it was edited after it was locked\n  hint: lock the model again from its training data; an edited model is not the validated one"
            ])
    }

    /// A small demo study (4 controls, 8 cases, 2 monitored patients), written into a new folder.
    static func smallDemo() throws -> URL {
        let folder = try Fixture.temporaryDirectory()
        var parameters = DemoStudy.Parameters()
        parameters.controls = 4
        parameters.casesByStage = [2, 2, 2, 2]
        parameters.monitoredPatients = 2
        parameters.responders = 1
        try DemoStudy(parameters: parameters).write(to: folder)
        return folder
    }

    /// Replaces text in a study's study.yaml.
    static func edit(_ folder: URL, _ text: String, to replacement: String) throws {
        let yaml = folder.appendingPathComponent("study.yaml")
        let content = try String(contentsOf: yaml, encoding: .utf8)
        try Data(content.replacingOccurrences(of: text, with: replacement).utf8).write(to: yaml)
    }

    /// A hand-set locked model (a fixture: its coefficients are not fitted).
    static func fixtureModel(
        _ name: String, normalisation: String, intercept: Double, _ members: [(String, Double)]
    ) -> LockedModel {
        LockedModel(
            name: name, intendedSpecimen: "serum", normalisation: normalisation, positiveClass: "case",
            negativeClass: "control", intercept: intercept,
            analytes: members.map { .init(feature: $0.0, coefficient: $0.1) }, cutPoint: 0.5, cutPointRule: "fixed",
            requiresQC: true, intervalLevel: 0.95, replicates: [],
            training: .init(
                samples: 0, cases: 0, alpha: 1, lambda: 0, folds: 0, repeats: 0, seed: 0, inputSHA256: "fixture"))
    }

    /// Writes a model file as `models/panel.json` of a study.
    static func writeModel(_ data: Data, in folder: URL) throws {
        try FileManager.default.createDirectory(
            at: folder.appendingPathComponent("models"), withIntermediateDirectories: true)
        try data.write(to: folder.appendingPathComponent("models/panel.json"))
    }
}
