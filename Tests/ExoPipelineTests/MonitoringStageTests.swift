import ExoCore
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
        #expect(html.contains("Molecular response by patient"))
    }

    @Test func withoutWithinSubjectVariationTheStageSaysWhatToSet() async throws {
        let folder = try Fixture.temporaryDirectory()
        var parameters = DemoStudy.Parameters()
        parameters.controls = 4
        parameters.casesByStage = [2, 2, 2, 2]
        parameters.monitoredPatients = 2
        parameters.responders = 1
        try DemoStudy(parameters: parameters).write(to: folder)
        let yaml = folder.appendingPathComponent("study.yaml")
        let text = try String(contentsOf: yaml, encoding: .utf8)
        try Data(text.replacingOccurrences(of: "  withinSubjectSD: 0.25\n", with: "").utf8).write(to: yaml)
        let store = try await SQLiteStore()
        let study = try Pipeline.validate(folder)
        _ = try await Pipeline.importStudy(study, into: store, actor: "test")
        #expect(
            try await Pipeline.analyzeMonitoring(studyID: study.definition.id, store: store, actor: "test")
                == "skipped: no within-subject variation: set monitoring.withinSubjectSD in study.yaml, or mark stable patients (response SD) with serial samples"
        )
        #expect(try await store.result(study: study.definition.id, kind: "monitoring") == nil)
    }
}
