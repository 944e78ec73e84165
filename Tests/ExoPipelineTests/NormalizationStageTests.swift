import ExoCore
import ExoFormats
import ExoPipeline
import ExoStore
import ExoTestSupport
import Foundation
import Testing

/// The normalisation stage: computed once per run from study.yaml's typed choice, stored with provenance, and read
/// by discovery, monitoring and the report.
struct NormalizationStageTests {
    /// The stored result's fields the tests read.
    struct Stored: Decodable {
        var choice: String
        var globalMeanMaximumCq: Double
        var chosen: String
        var deltaCq: [String: [String: Double]]
    }

    @Test func aRunStoresTheNormalisationOnceAndEveryStageReadsIt() async throws {
        let folder = try MonitoringStageTests.smallDemo()
        let store = try await SQLiteStore()
        let summary = try await Pipeline.run(
            studyDirectory: folder, store: store, databasePath: ":memory:",
            reportURL: try Fixture.temporaryDirectory().appendingPathComponent("report.html"), actor: "test")
        let id = summary.studyID
        let stored = try #require(try await store.result(study: id, kind: "normalization"))
        let result = try JSONDecoder().decode(Stored.self, from: Data(stored.json.utf8))
        #expect(result.choice == "spike-in" && result.chosen == "spike-in cel-miR-39-3p")
        #expect(result.globalMeanMaximumCq == 35 && stored.provenance.parameters["globalMeanMaximumCq"] == "35")
        #expect(!result.deltaCq.isEmpty && result.deltaCq["cel-miR-39-3p"] == nil)
        // Discovery, monitoring and the report after the run read the stored result: nothing is computed again.
        _ = try await Pipeline.analyzeBiomarkers(studyID: id, store: store, actor: "test")
        _ = try await Pipeline.analyzeMonitoring(studyID: id, store: store, actor: "test")
        let html = try await Pipeline.report(studyID: id, from: store)
        #expect(html.contains("Normalisation: <strong>spike-in cel-miR-39-3p</strong>"))
        #expect(try await Pipeline.normalize(studyID: id, store: store, actor: "test").hasPrefix("unchanged: "))
        let normalisations = try await store.auditLog().filter { $0.entity == "\(id)/normalization" }
        #expect(normalisations.count == 1)
    }

    @Test func theGlobalMeanUsesTheStudysCutOff() async throws {
        func globalMean(cutOff: String?) async throws -> Stored {
            let folder = try MonitoringStageTests.smallDemo()
            try MonitoringStageTests.edit(
                folder, "normalization: spike-in\n",
                to: "normalization: global-mean\n" + (cutOff.map { "globalMeanMaximumCq: \($0)\n" } ?? ""))
            let store = try await SQLiteStore()
            let study = try Pipeline.validate(folder)
            _ = try await Pipeline.importStudy(study, into: store, actor: "test")
            #expect(
                try await Pipeline.normalize(studyID: study.definition.id, store: store, actor: "test").hasPrefix(
                    "global mean: ΔCq of"))
            let stored = try #require(try await store.result(study: study.definition.id, kind: "normalization"))
            return try JSONDecoder().decode(Stored.self, from: Data(stored.json.utf8))
        }
        let byDefault = try await globalMean(cutOff: nil)
        let strict = try await globalMean(cutOff: "15")
        #expect(byDefault.choice == "global-mean" && byDefault.globalMeanMaximumCq == 35)
        #expect(strict.globalMeanMaximumCq == 15)
        // With a cut-off below every Cq no miRNA makes up the mean, so no sample has a ΔCq.
        #expect(byDefault.deltaCq.values.contains { !$0.isEmpty })
        #expect(strict.deltaCq.values.allSatisfy { $0.isEmpty })
    }
}
