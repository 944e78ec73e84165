import ExoCore
import ExoDiagnosis
import ExoFormats
import ExoPipeline
import ExoStats
import ExoStore
import ExoTestSupport
import Foundation
import Testing

struct DemoStudyTests {
    @Test func sameSeedWritesByteIdenticalFilesAndAnotherSeedDoesNot() {
        let first = DemoStudy().files()
        // A later second must not change a byte (the zip entry's time is fixed, not "now").
        Thread.sleep(forTimeInterval: 2.1)
        let second = DemoStudy().files()
        #expect(first.map(\.contents) == second.map(\.contents))
        var parameters = DemoStudy.Parameters()
        parameters.seed = 1
        #expect(DemoStudy(parameters: parameters).files().map(\.contents) != first.map(\.contents))
    }

    @Test func demoStudyValidatesWithTheDocumentedDesign() throws {
        let folder = try Fixture.temporaryDirectory()
        try DemoStudy().write(to: folder)
        let study = try Pipeline.validate(folder)
        let parameters = DemoStudy.Parameters()
        let cases = parameters.casesByStage.reduce(0, +)
        #expect(study.patients.count == parameters.controls + cases + parameters.monitoredPatients)
        #expect(
            study.samples.count == parameters.controls + cases + parameters.monitoredPatients
                * parameters.monitoringDays.count)
        // One RDML run: every sample × 6 assays × replicates, two NTCs per assay, 6 standards in triplicate.
        let reactions = try #require(study.qpcrFiles.first).document.reactions
        #expect(reactions.count == study.samples.count * 6 * parameters.technicalReplicates + 12 + 18)
        let measurements = QPCRStage.measurements(study.qpcrFiles, samples: study.samples).measurements
        #expect(
            measurements.filter { $0.unit == .cq }.count == study.samples.count * 6 * parameters.technicalReplicates)
        // miR-4458 has standards: each Cq is also read off the standard curve, per reaction and per mL of serum.
        let copies = measurements.filter { $0.unit == .copiesPerReaction }
        let perMilliliter = measurements.filter { $0.unit == .copiesPerMilliliter }
        #expect(copies.count == study.samples.count * parameters.technicalReplicates)
        #expect(Set(copies.map(\.analyte.name)) == ["hsa-miR-4458"])
        // 1 mL serum, RNA in 50 µL, 5 µL into a 20 µL RT, 2 µL per PCR: × 100.
        #expect(
            zip(copies, perMilliliter).allSatisfy {
                abs(($1.value ?? 0) - 100 * ($0.value ?? 1)) <= 1e-9 * ($1.value ?? 0)
            })
        #expect(study.definition.monitored.map(\.name) == ["hsa-miR-4458", "hsa-miR-21-5p"])
        #expect(
            study.nameResolutions.map(\.explanation) == [
                "'miR-21' -> hsa-miR-21-5p (miRBase lists it as a previous ID of MIMAT0000076)"
            ])
    }

    /// The simulated cohort, through its raw curves and LinRegPCR, shows the review's direction: miR-4458 lower
    /// (higher Cq) in patients, lower still in stage III–IV; the effect is large enough to hold for any seed.
    @Test(arguments: [20_260_707, 1, 2, 3] as [UInt64])
    func miR4458IsLowerInPatientsAndInLateStage(seed: UInt64) throws {
        var parameters = DemoStudy.Parameters()
        parameters.seed = seed
        let folder = try Fixture.temporaryDirectory()
        try DemoStudy(parameters: parameters).write(to: folder)
        let study = try Pipeline.validate(folder)
        let samples = Dictionary(uniqueKeysWithValues: study.samples.map { ($0.id, $0) })
        let measurements = QPCRStage.measurements(study.qpcrFiles).measurements.filter { $0.unit == .cq }
        func meanCq(_ predicate: (Sample) -> Bool) -> Double {
            let values = measurements.filter {
                $0.analyte.name == "hsa-miR-4458" && samples[$0.sample].map(predicate) == true
                    && $0.sample.rawValue.hasSuffix("-S1")
            }.compactMap(\.value)
            return Descriptive.mean(values) ?? .nan
        }
        let controls = meanCq { $0.group == .control }
        let early = meanCq { $0.group == .case && $0.clinical.stage?.isLate == false }
        let late = meanCq { $0.group == .case && $0.clinical.stage?.isLate == true }
        #expect(early > controls + 0.5)
        #expect(late > early + 0.5)
    }
}

/// Killing `exoscope import` in the middle of its transaction and running it again ends with the same
/// database as one clean run.
struct CrashRecoveryTests {
    @Test func killedImportRerunEqualsOneCleanRun() async throws {
        let exoscope = try #require(
            Fixture.exoscopeExecutable, "the exoscope executable was not built next to the tests")
        let folder = try Fixture.temporaryDirectory()
        let study = folder.appendingPathComponent("study")
        try DemoStudy().write(to: study)
        let clean = folder.appendingPathComponent("clean.sqlite").path
        let crashed = folder.appendingPathComponent("crashed.sqlite").path

        let cleanRun = try CommandResult.run(exoscope, ["import", study.path, "--database", clean, "--quiet"])
        #expect(cleanRun.status == 0, "\(cleanRun.standardError)")

        let killed = try CommandResult.run(
            exoscope, ["import", study.path, "--database", crashed, "--quiet", "--crash-after-rows", "700"])
        #expect(killed.wasSignalled && killed.status == 9, "the import was expected to die by SIGKILL midway")
        #expect(
            try await SQLiteStore(path: crashed).status().studies.isEmpty, "nothing of the killed import may remain")

        let rerun = try CommandResult.run(exoscope, ["import", study.path, "--database", crashed, "--quiet"])
        #expect(rerun.status == 0, "\(rerun.standardError)")
        let cleanDump = try await SQLiteStore(path: clean).contentDump()
        #expect(try await SQLiteStore(path: crashed).contentDump() == cleanDump)

        let again = try CommandResult.run(exoscope, ["import", study.path, "--database", crashed, "--json"])
        #expect(again.standardOutput.contains("\"outcome\" : \"unchanged\""))
        #expect(try await SQLiteStore(path: crashed).contentDump() == cleanDump)
    }
}

/// The demo run end to end through the store: curves are stored with their analysis and the report shows them.
struct DemoPipelineTests {
    @Test func curvesAreStoredAndTheReportShowsCurvesAndTheStandardCurve() async throws {
        let folder = try Fixture.temporaryDirectory()
        try DemoStudy().write(to: folder)
        let store = try await SQLiteStore()
        let study = try Pipeline.validate(folder)
        _ = try await Pipeline.importStudy(study, into: store, actor: "test")
        let curves = try await store.curves(study: study.definition.id)
        #expect(curves.count == 1_710)
        #expect(curves.filter { $0.sampleType == "ntc" }.allSatisfy { !$0.amplified })
        #expect(curves.filter { $0.sampleType == "std" }.count == 18)
        #expect(curves.allSatisfy { $0.fluorescence.count == 45 })
        let html = try await Pipeline.report(studyID: study.definition.id, from: store)
        #expect(html.contains("id=\"qpcr\""))
        #expect(html.contains("hsa-miR-4458 standard curve"))
        // The standard series was simulated with efficiency 1.93 (93 %): the fitted curve finds it within 2 points.
        let efficiency = try #require(html.firstMatch(of: /efficiency ([0-9.]+) % \(95 % CI/)).output.1
        #expect(abs((Double(efficiency) ?? 0) - 93) < 2)
        // Normalisation is efficiency-corrected with every assay's LinRegPCR mean efficiency, each in its table.
        #expect(html.contains("Reference stability") && html.contains("ΔCq are efficiency-corrected"))
        let start = try #require(html.range(of: "ΔCq are efficiency-corrected"))
        let table = html[start.upperBound...]
        let efficiencyTable = table[..<(table.range(of: "</table>")?.upperBound ?? table.endIndex)]
        let factors = efficiencyTable.matches(
            of: /<td>([a-z]{3}-miR-[0-9a-z-]+)<\/td><td class="num">(1\.[0-9]+)<\/td>/
        ).map {
            (String($0.output.1), Double($0.output.2) ?? 0)
        }
        #expect(Set(factors.map(\.0)).isSuperset(of: ["cel-miR-39-3p", "hsa-miR-4458", "hsa-miR-21-5p"]))
        #expect(factors.allSatisfy { (1.8...2).contains($0.1) })
        // NormFinder ranks the endogenous miRNAs with the case/control groups; the tumour markers rank last.
        #expect(html.contains("NormFinder stability of every endogenous miRNA") && html.contains("Most stable pair"))
    }
}

/// The biomarker stage on the demo's NSCLC arm: stored with provenance, not recomputed when nothing changed,
/// drawn in the report, and showing the review's markers.
struct BiomarkerStageTests {
    @Test func demoCohortIsAnalysedStoredOnceAndReported() async throws {
        let folder = try Fixture.temporaryDirectory()
        try DemoStudy().write(to: folder)
        let store = try await SQLiteStore()
        let study = try Pipeline.validate(folder)
        let id = study.definition.id
        _ = try await Pipeline.importStudy(study, into: store, actor: "test")
        let outcome = try await Pipeline.analyzeBiomarkers(studyID: id, store: store, actor: "test")
        #expect(outcome.hasPrefix("68 cases vs 40 controls"))
        let stored = try #require(try await store.result(study: id, kind: "biomarkers"))
        #expect(stored.provenance.seed == 20_260_707)
        #expect(stored.provenance.inputHashes.count == study.files.count)
        let result = try JSONDecoder().decode(StudyBiomarkers.self, from: Data(stored.json.utf8))
        // miR-4458 lower in NSCLC and lower still in stage III–IV (review ref. 17); miR-21 higher.
        let mir4458 = try #require(result.markers.first { $0.feature == "hsa-miR-4458" })
        #expect((mir4458.logFC ?? 0) < -1 && (mir4458.adjustedP ?? 1) < 1e-6)
        #expect((mir4458.stageTrendZ ?? 0) < -3 && (mir4458.lateVersusEarlyAdjustedP ?? 1) < 0.01)
        #expect((result.markers.first { $0.feature == "hsa-miR-21-5p" }?.logFC ?? 0) > 0.5)
        let panel = try #require(result.panel)
        let validation = try #require(panel.validation)
        #expect(panel.members.first { $0.feature == "hsa-miR-4458" }?.coefficient ?? 0 < 0)
        #expect(validation.auc > 0.85 && validation.aucLow < validation.auc)
        #expect(panel.calibration.count == 5)
        // Follow-up of the 60 diagnostic cases: a lower miR-4458 carries a higher hazard (docs/demo-study.md).
        let survival = try #require(result.survival)
        #expect(survival.feature == "hsa-miR-4458" && survival.lowCount + survival.highCount == 60)
        #expect(survival.logRankP < 0.01 && (mir4458.hazardRatioHigh ?? 1) < 1)
        // Nothing changed: the stored result stands, and the audit log has one analysis entry for it, one for the
        // normalisation it read (stored by the normalisation stage the first time discovery needed it) and, first,
        // the sequencing arm's read fates, stored by the import that counted its FASTQ files.
        #expect(try await Pipeline.analyzeBiomarkers(studyID: id, store: store, actor: "test") == "unchanged")
        #expect(
            try await store.auditLog().filter { $0.action == "analyse" }.map(\.entity) == [
                "\(id)/sequencing-qc", "\(id)/normalization", "\(id)/biomarkers",
            ])
        let html = try await Pipeline.report(studyID: id, from: store)
        #expect(html.contains("id=\"biomarkers\"") && html.contains("Multi-miRNA panel"))
        #expect(html.contains("Best single miRNAs") && html.contains("Panel calibration"))
        #expect(html.contains("hsa-miR-4458: survival by expression"))
        // The biomarker table carries the knowledge base's entries for miR-4458 in NSCLC (the review's ref. 17).
        #expect(html.contains("down in non-small-cell lung cancer: diagnostic biomarker"))
        #expect(html.contains("R012") && !html.contains("contradicts R"))
        #expect(html.contains("seed 20260707"))
    }
}
