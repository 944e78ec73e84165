import ExoCore
import ExoDiagnosis
import ExoFormats
import ExoMonitor
import ExoPipeline
import ExoStore
import ExoTestSupport
import Foundation
import Testing

/// The EV-QC stage on the demo study: one failing preparation, its flag carried into the stored values, its sample
/// left out of discovery, and its page in the report saying why it failed and what would make it pass.
struct EVQCStageTests {
    /// A demo study of 6 controls, 12 diagnostic cases and 2 monitored patients (28 preparations), written to a new
    /// folder.
    static func smallDemo() throws -> URL {
        let folder = try Fixture.temporaryDirectory()
        var parameters = DemoStudy.Parameters()
        parameters.controls = 6
        parameters.casesByStage = [3, 3, 3, 3]
        parameters.monitoredPatients = 2
        parameters.responders = 1
        try DemoStudy(parameters: parameters).write(to: folder)
        return folder
    }

    @Test func theDemoFailingPreparationIsGatedAndExplainedOnOnePage() async throws {
        let folder = try Fixture.temporaryDirectory()
        try DemoStudy().write(to: folder)
        let store = try await SQLiteStore()
        let study = try Pipeline.validate(folder)
        let id = study.definition.id
        #expect(study.qc?.preparations.count == 140 && study.qc?.markers.count == 700)
        _ = try await Pipeline.importStudy(study, into: store, actor: "test")
        let outcome = try await Pipeline.assessPreparations(study, store: store, actor: "test")
        // Counts only in the progress line; which preparation failed is in the stored result and the report.
        #expect(outcome == "140 preparations against 'NSCLC-EXO serum EV preparation': 139 pass, 1 fail")
        #expect(
            try await Pipeline.assessPreparations(study, store: store, actor: "test")
                == "unchanged: 140 preparations against 'NSCLC-EXO serum EV preparation': 139 pass, 1 fail")
        let stored = try #require(try await store.result(study: id, kind: "ev-qc"))
        #expect(stored.provenance.inputHashes.count == study.files.count)
        #expect(stored.provenance.parameters["specification"] == "NSCLC-EXO serum EV preparation (version 1)")
        // Every value of the failed preparation carries preparation-qc, and no other value does.
        let measurements = try await store.measurements(study: id)
        let flagged = measurements.filter { $0.flags.contains(.preparationQC) }
        #expect(!flagged.isEmpty && flagged.allSatisfy { $0.sample.rawValue == "LC027-S1" })
        #expect(measurements.filter { $0.sample.rawValue == "LC027-S1" }.count == flagged.count)
        // Discovery leaves the sample out and says so.
        let biomarkers = try await Pipeline.analyzeBiomarkers(studyID: id, store: store, actor: "test")
        #expect(biomarkers.hasPrefix("67 cases vs 40 controls"))
        let result = try JSONDecoder().decode(
            StudyBiomarkers.self,
            from: Data(try #require(try await store.result(study: id, kind: "biomarkers")).json.utf8))
        #expect(result.notes.first == "1 sample left out: EV preparation failed QC (LC027-S1)")
        // One page: the verdict, each failed criterion with its reason and remedy, the size plot and checklist.
        let html = try await Pipeline.report(studyID: id, from: store)
        let article = try #require(reportArticle("prep-LC027-S1", in: html))
        for text in [
            "Fails on: <b>fraction_in_range, particles_per_ug, marker calnexin, signal APOA1</b>",
            "is below the minimum 1.5e+09 particles/µg: a factor of",
            "co-isolated protein: add a size-exclusion or density-gradient step",
            "calnexin shows cellular debris or organelles: clear at 2,000 g and 10,000 g",
            "large particles or aggregates: filter (0.22 µm)", "LC027-S1: particle size", "MISEV characterisation",
            "Transparency (EV-METRIC items): 75 %",
        ] {
            #expect(article.contains(text), "the page lacks: \(text)")
        }
        #expect(html.contains("<a href=\"#prep-LC027-S1\">LC027-S1</a>"))
        #expect(html.contains("Reference material: Levey–Jennings charts") && html.contains("R24: 1-2s, 1-3s (reject)"))
        #expect(html.contains("Stability and shelf life (ICH Q1E)"))
    }

    /// A monitored patient whose baseline preparation fails is left out of discovery; a later sample never takes
    /// its place, and a failed later sample, never a candidate, is not reported as left out.
    @Test func aFailedBaselineTakesItsPatientOutOfDiscovery() async throws {
        let folder = try Self.smallDemo()
        let markers = folder.appendingPathComponent("qc/markers.tsv")
        var text = try String(contentsOf: markers, encoding: .utf8)
        for sample in ["MT001-V1", "MT001-V3"] {
            text = text.replacingOccurrences(
                of: "\(sample)\tcalnexin\twestern-blot\tnot-detected\t\n",
                with: "\(sample)\tcalnexin\twestern-blot\tdetected\t\n")
        }
        try Data(text.utf8).write(to: markers)
        let store = try await SQLiteStore()
        let study = try Pipeline.validate(folder)
        _ = try await Pipeline.importStudy(study, into: store, actor: "test")
        #expect(
            try await Pipeline.assessPreparations(study, store: store, actor: "test")
                == "28 preparations against 'NSCLC-EXO serum EV preparation': 26 pass, 2 fail")
        let outcome = try await Pipeline.analyzeBiomarkers(studyID: study.definition.id, store: store, actor: "test")
        // 12 diagnostic cases and MT002 (MT001 left out), 6 controls.
        #expect(outcome.hasPrefix("13 cases vs 6 controls"))
        let stored = try #require(try await store.result(study: study.definition.id, kind: "biomarkers"))
        let result = try JSONDecoder().decode(StudyBiomarkers.self, from: Data(stored.json.utf8))
        #expect(result.notes.first == "1 sample left out: EV preparation failed QC (MT001-V1)")
        #expect(stored.provenance.parameters["excluded"] == "MT001-V1")
        // Monitoring: MT001 cannot be judged, and each timepoint says why.
        _ = try await Pipeline.analyzeMonitoring(studyID: study.definition.id, store: store, actor: "test")
        let monitoring = try #require(try await store.result(study: study.definition.id, kind: "monitoring"))
        let series = try JSONDecoder().decode(MonitoringResultProbe.self, from: Data(monitoring.json.utf8)).series
        let mt001 = try #require(series.first { $0.patient == "MT001" && $0.analyte == "hsa-miR-4458" })
        #expect(mt001.calls.map(\.call) == Array(repeating: .notEvaluable, count: 5))
        #expect(
            mt001.calls.map(\.evidence) == [
                "EV preparation failed QC (preparation-qc)",
                "no baseline: no evaluable sample at or before the treatment event",
                "EV preparation failed QC (preparation-qc)",
                "no baseline: no evaluable sample at or before the treatment event",
                "no baseline: no evaluable sample at or before the treatment event",
            ])
    }

    /// The study: only some preparations characterised.
    ///
    /// The others are "not characterised", not failed;
    /// discovery runs with them and says so, unless study.yaml requires characterisation, when the skip says why.
    @Test func aPartlyCharacterisedStudyRunsDiscoveryWithTheOthersReportedAsSuch() async throws {
        let folder = try Self.smallDemo()
        // Keep the characterisation and marker rows of four preparations.
        let table = folder.appendingPathComponent("qc/characterisation.tsv")
        let rows = try String(contentsOf: table, encoding: .utf8).split(separator: "\n")
        let kept = Set(rows.dropFirst().prefix(4).map { String($0.prefix { $0 != "\t" }) })
        try Data((rows.prefix(5).joined(separator: "\n") + "\n").utf8).write(to: table)
        let markers = folder.appendingPathComponent("qc/markers.tsv")
        let markerRows = try String(contentsOf: markers, encoding: .utf8).split(separator: "\n")
        try Data(
            ((markerRows.prefix(1) + markerRows.dropFirst().filter { kept.contains(String($0.prefix { $0 != "\t" })) })
                .joined(separator: "\n") + "\n").utf8
        ).write(to: markers)
        let store = try await SQLiteStore()
        var study = try Pipeline.validate(folder)
        let id = study.definition.id
        _ = try await Pipeline.importStudy(study, into: store, actor: "test")
        #expect(
            try await Pipeline.assessPreparations(study, store: store, actor: "test")
                == "28 preparations against 'NSCLC-EXO serum EV preparation': 4 pass, 0 fail, 24 not characterised (kept in discovery)"
        )
        #expect(try await store.measurements(study: id).allSatisfy { !$0.flags.contains(.preparationQC) })
        let outcome = try await Pipeline.analyzeBiomarkers(studyID: id, store: store, actor: "test")
        #expect(outcome.hasPrefix("14 cases vs 6 controls"), "every patient stays in discovery: \(outcome)")
        let stored = try #require(try await store.result(study: id, kind: "biomarkers"))
        let result = try JSONDecoder().decode(StudyBiomarkers.self, from: Data(stored.json.utf8))
        let note = try #require(result.notes.first)
        #expect(note.hasPrefix("16 samples with an EV preparation not characterised kept in discovery"), "\(note)")
        let html = try await Pipeline.report(studyID: id, from: store)
        #expect(html.contains("4 pass</span>, <span class=\"warn\">0 fail</span>, 24 not characterised."))
        #expect(html.contains("<td>not characterised</td>"))

        // The study requires characterisation: the 24 are gated like failed ones, and the four characterised
        // preparations (the first rows of the table) are all controls'.
        let yaml = folder.appendingPathComponent("study.yaml")
        let text = try String(contentsOf: yaml, encoding: .utf8)
        #expect(text.contains("\nqc:\n"))
        try Data(text.replacingOccurrences(of: "\nqc:\n", with: "\nqc:\n  requireCharacterisation: yes\n").utf8)
            .write(to: yaml)
        study = try Pipeline.validate(folder)
        #expect(study.qc?.files.requireCharacterisation == true)
        _ = try await Pipeline.importStudy(study, into: store, actor: "test")
        #expect(
            try await Pipeline.assessPreparations(study, store: store, actor: "test")
                == "28 preparations against 'NSCLC-EXO serum EV preparation': 4 pass, 0 fail, 24 not characterised (left out of discovery: qc.requireCharacterisation is yes)"
        )
        let skipped = try await Pipeline.analyzeBiomarkers(studyID: id, store: store, actor: "test")
        #expect(
            skipped
                == "skipped: 0 cases and 4 controls to compare, at least 2 of each needed; 16 of 20 patients left out: 16 not characterised (qc.requireCharacterisation: yes)"
        )
    }
}

/// The part of the stored monitoring result the tests read.
struct MonitoringResultProbe: Decodable {
    var series: [ResponseSeries]
}
