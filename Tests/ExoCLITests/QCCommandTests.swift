import ExoPipeline
import ExoStore
import ExoTestSupport
import Foundation
import Testing

/// The `qc` commands and the QC gate of `score`, run as a user would.
struct QCCommandTests {
    func exoscope(_ arguments: [String]) throws -> CommandResult {
        let executable = try #require(
            Fixture.exoscopeExecutable, "the exoscope executable was not built next to the tests")
        return try CommandResult.run(executable, arguments)
    }

    @Test func releaseRejectsTheNKLotAndWritesACertificate() throws {
        let folder = Fixture.url("qc")
        let certificate = try Fixture.temporaryDirectory().appendingPathComponent("certificate.html")
        let result = try exoscope([
            "qc", "release", folder.appendingPathComponent("release-spec.yaml").path,
            folder.appendingPathComponent("lots.tsv").path, "--markers",
            folder.appendingPathComponent("lot-markers.tsv").path, "--certificate", certificate.path,
        ])
        #expect(result.status == 3, "a rejected lot has its own exit code, not 1 (internal error)")
        #expect(result.standardError == "1 of 3 lots rejected: NK-01\n")
        let rows = result.standardOutput.split(separator: "\n").map {
            $0.split(separator: "\t", omittingEmptySubsequences: false)
        }
        #expect(rows.first?.joined(separator: "|") == "lot|decision|criterion|requirement|value|outcome|reason|remedy")
        #expect(rows.filter { $0[0] == "MSC-01" }.allSatisfy { $0[1] == "released" && $0[5] == "pass" })
        let endotoxin = try #require(rows.first { $0[0] == "NK-01" && $0[2] == "endotoxin_eu_per_ml" })
        #expect(endotoxin[5] == "fail" && endotoxin[6] == "0.9 is above the maximum 0.5: a factor of 1.8 away")
        let html = try String(contentsOf: certificate, encoding: .utf8)
        #expect(html.contains("EV lot release certificate") && html.contains("<span class=\"warn\">REJECTED</span>"))
        #expect(html.components(separatedBy: "<span class=\"ok\">RELEASED</span>").count == 3)
        #expect(html.contains("Released by (QP)"))
    }

    /// The file row of `qc nta` is the instrument's printed Average; the histogram's statistics are their own columns.
    @Test func ntaPrintsTheInstrumentsAverageBesideTheHistogram() throws {
        let file = Fixture.url("nta/beads2-ExperimentSummary.csv").path
        let result = try exoscope(["qc", "nta", file])
        #expect(result.status == 0)
        let lines = result.standardOutput.split(separator: "\n").map {
            $0.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
        }
        #expect(lines.count == 2)
        let header = try #require(lines.first)
        #expect(
            header == [
                "file", "capture", "software", "captures", "dilution", "concentration_per_ml", "mean_nm", "mode_nm",
                "sd_nm", "d10_nm", "d50_nm", "d90_nm", "span", "fraction_in_range", "concentration_in_range_per_ml",
                "capture_cv", "statistics_from", "histogram_concentration_per_ml", "histogram_mean_nm",
                "histogram_mode_nm", "histogram_sd_nm", "histogram_d10_nm", "histogram_d50_nm", "histogram_d90_nm",
                "warnings",
            ])
        let row = Dictionary(uniqueKeysWithValues: zip(header, lines[1]))
        // Printed under Average: 6.09e+12 particles/ml, Mean 101.5, Mode 98.4, SD 12.8, D10 88.7, D50 99.8, D90 115.3.
        for (column, printed, digit) in [
            ("concentration_per_ml", 6.09e12, 1e10), ("mean_nm", 101.5, 0.1), ("mode_nm", 98.4, 0.1),
            ("sd_nm", 12.8, 0.1), ("d10_nm", 88.7, 0.1), ("d50_nm", 99.8, 0.1), ("d90_nm", 115.3, 0.1),
        ] {
            let value = try #require(row[column].flatMap(Double.init), "\(column)")
            #expect(abs(value - printed) <= digit, "\(column): \(value) against the printed \(printed)")
        }
        #expect(row["capture"] == "average" && row["statistics_from"] == "instrument")
        #expect(row["histogram_mode_nm"].flatMap(Double.init) != nil)
        let captures = try exoscope(["qc", "nta", file, "--captures"])
        let first = try #require(captures.standardOutput.split(separator: "\n").dropFirst().first)
        // stdv34_00 as printed: 5.91e+12, Mean 100.5, Mode 94.9.
        #expect(
            first.split(separator: "\t").prefix(8).joined(separator: "|").hasSuffix(
                "stdv34_00|NTA 3.4 Build 3.4.003|1|10000.0|5910000000000.0|100.5|94.9"))
    }

    @Test func compareLotsControlAndStabilityPrintTheirTables() throws {
        let folder = Fixture.url("qc")
        let lots = try exoscope([
            "qc", "compare-lots", folder.appendingPathComponent("lots.tsv").path, "--readout", "ifng_release_fold",
        ])
        #expect(lots.status == 0)
        #expect(lots.standardOutput.hasPrefix("source\tlots\tmean\tsd\nMSC\t2\t3.15\t"))
        #expect(lots.standardOutput.contains("\nMSC\tNK\t-1.65\t"))
        let typo = try exoscope([
            "qc", "compare-lots", folder.appendingPathComponent("lots.tsv").path, "--readout", "ifng_release_fld",
        ])
        #expect(typo.status == 65 && typo.standardError.contains("did you mean 'ifng_release_fold'?"))
        let scratch = try Fixture.temporaryDirectory()
        // Twenty runs at 100 ± 1, then one 5 SD high.
        var runs = "run\tconcentration_per_ml\n"
        for run in 1...20 { runs += "R\(run)\t\(run % 2 == 0 ? 101 : 99)\n" }
        runs += "R21\t105.2\n"
        try Data(runs.utf8).write(to: scratch.appendingPathComponent("runs.tsv"))
        let control = try exoscope(["qc", "control", scratch.appendingPathComponent("runs.tsv").path])
        #expect(control.status == 3, "the last run is rejected")
        #expect(control.standardOutput.hasSuffix("concentration_per_ml\tR21\t105.2\t5.068\t1-2s,1-3s\treject\n"))
        #expect(
            try exoscope(["qc", "control", scratch.appendingPathComponent("runs.tsv").path, "--baseline", "1"]).status
                == 64)
        var table = "condition\tmonths\tconcentration\n"
        for (month, value) in zip([0, 1, 2, 3, 6, 9, 12], [10.2, 10.0, 9.9, 9.7, 9.3, 8.8, 8.5]) {
            table += "4 °C\t\(month)\t\(value)\n"
        }
        try Data(table.utf8).write(to: scratch.appendingPathComponent("stability.tsv"))
        let stability = try exoscope([
            "qc", "stability", scratch.appendingPathComponent("stability.tsv").path, "--attribute", "concentration",
            "--min", "7",
        ])
        #expect(stability.status == 0)
        // Crossing = R's uniroot on predict(lm, interval = "confidence", level = 0.90) (bench/qc/qc_reference.R).
        let fields = try #require(
            stability.standardOutput.split(separator: "\n").last?.split(
                separator: "\t", omittingEmptySubsequences: false))
        #expect(abs((Double(fields[5]) ?? 0) - 20.989472619869865) < 1e-8 && fields[8] == "confidence bound")
        #expect(
            try exoscope([
                "qc", "stability", scratch.appendingPathComponent("stability.tsv").path, "--attribute", "concentration",
            ]).status == 64)
    }

    @Test func qcNTAReadsZetaViewAndSizeBinExports() throws {
        let zetaView = try exoscope(["qc", "nta", Fixture.url("zetaview/synthetic_size_488.txt").path])
        #expect(zetaView.status == 0)
        let fields = try #require(
            zetaView.standardOutput.split(separator: "\n").last?.split(
                separator: "\t", omittingEmptySubsequences: false))
        #expect(fields[2] == "ZetaView 8.06.01 SP1" && fields[4] == "500.0" && fields[5] == "6120000000.0")
        // ZetaView prints no statistics of its own: the row reports the histogram's, and says so.
        #expect(fields[16] == "histogram" && fields[5] == fields[17])
        #expect(fields[24] == "EVprep_A: Particle Drift Check Result too high")
    }

    /// A small demo study with one preparation made to fail (calnexin on its blot), run whole; `score` refuses that
    /// sample by the study's verdict, and scores it with an override whose reason lands in the audit log.
    @Test func scoreRefusesAFailedPreparationUnlessAnAuditedOverrideIsGiven() async throws {
        let folder = try Fixture.temporaryDirectory()
        var parameters = DemoStudy.Parameters()
        parameters.controls = 6
        parameters.casesByStage = [3, 3, 3, 3]
        parameters.monitoredPatients = 0
        try DemoStudy(parameters: parameters).write(to: folder)
        let markers = folder.appendingPathComponent("qc/markers.tsv")
        let text = try String(contentsOf: markers, encoding: .utf8)
        #expect(text.contains("LC002-S1\tcalnexin\twestern-blot\tnot-detected\t\n"))
        try Data(
            text.replacingOccurrences(
                of: "LC002-S1\tcalnexin\twestern-blot\tnot-detected\t\n",
                with: "LC002-S1\tcalnexin\twestern-blot\tdetected\t\n"
            ).utf8
        ).write(to: markers)
        let run = try exoscope(["run", folder.path, "--quiet"])
        #expect(run.status == 0, "\(run.standardError)")
        // A locked model of the fixture panel, and two of the study's samples to score.
        let model = folder.appendingPathComponent("panel.json").path
        let panel = try exoscope([
            "stats", "panel", Fixture.url("stats/panel-20x400.tsv").path, "--label", "group", "--case", "tumour",
            "--repeats", "0", "--lock", model, "--name", "gate", "--specimen", "serum", "--normalisation", "log2",
            "--quiet",
        ])
        #expect(panel.status == 0)
        let kept = panel.standardOutput.split(separator: "\n").dropFirst().map { String($0.split(separator: "\t")[0]) }
        let samples = folder.appendingPathComponent("score.tsv")
        var matrix = "sample\tspecimen\t" + kept.joined(separator: "\t") + "\n"
        for sample in ["LC001-S1", "LC002-S1"] {
            matrix += "\(sample)\tserum" + String(repeating: "\t8", count: kept.count) + "\n"
        }
        try Data(matrix.utf8).write(to: samples)
        let gated = try exoscope(["score", model, samples.path, "--study", folder.path])
        #expect(gated.status == 0)
        let lines = gated.standardOutput.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines[0] == "sample\tprobability\tlow\thigh\tcall\tnear_cut\trefusal\tqc_override")
        #expect(lines[1].hasPrefix("LC001-S1\t0.") && lines[1].hasSuffix("\t\t"))
        #expect(lines[2] == "LC002-S1\tNA\tNA\tNA\t\t\tEV preparation failed QC in the study (preparation-qc)\t")
        #expect(
            try exoscope(["score", model, samples.path, "--override-qc", "clinician request, repeat pending"]).status
                == 64)
        #expect(
            try exoscope(["score", model, samples.path, "--study", folder.path, "--override-qc", "why"]).status == 64)
        let reason = "clinician request; repeat draw pending"
        let overridden = try exoscope(["score", model, samples.path, "--study", folder.path, "--override-qc", reason])
        #expect(overridden.status == 0)
        let override = overridden.standardOutput.split(separator: "\n")[2]
        #expect(override.hasPrefix("LC002-S1\t0.") && override.hasSuffix("\t\t\(reason)"))
        let store = try await SQLiteStore(path: folder.appendingPathComponent("exoscope.sqlite").path)
        let audit = try #require(try await store.auditLog().last)
        #expect(audit.action == "override-qc" && audit.entity == "NSCLC-EXO-DEMO/score")
        #expect(audit.detail.contains("\"reason\":\"\(reason)\"") && audit.detail.contains("\"samples\":\"LC002-S1\""))
        // The override lifts the study's EV-QC refusal only; a sample the study did not assess whose qc column
        // says fail stays refused.
        var withColumn = "sample\tspecimen\tqc\t" + kept.joined(separator: "\t") + "\n"
        withColumn += "NEW-1\tserum\tfail" + String(repeating: "\t8", count: kept.count) + "\n"
        try Data(withColumn.utf8).write(to: samples)
        let column = try exoscope(["score", model, samples.path, "--study", folder.path, "--override-qc", reason])
        #expect(
            column.standardOutput.split(separator: "\n")[1] == "NEW-1\tNA\tNA\tNA\t\t\tQC status 'fail', not a pass\t")
        // A verdict stored before the study's files changed is never used; nor is a database that does not exist.
        let spec = folder.appendingPathComponent("qc/specification.yaml")
        try Data((try String(contentsOf: spec, encoding: .utf8) + "# edited\n").utf8).write(to: spec)
        let stale = try exoscope(["score", model, samples.path, "--study", folder.path])
        #expect(stale.status == 65)
        #expect(
            stale.standardError.contains(
                "the files of study 'NSCLC-EXO-DEMO' changed since its EV-QC verdicts were stored"))
        let missing = try exoscope([
            "score", model, samples.path, "--study", folder.path, "--database", "/nonexistent/x.sqlite",
        ])
        #expect(
            missing.status == 66 && missing.standardError.contains("no database '/nonexistent/x.sqlite' for the study"))
    }
}
