import ExoTestSupport
import Foundation
import GRDB
import Testing

/// sysexits-style exit codes and the exact stderr text, through the built `exoscope` executable.
struct ExitCodeTests {
    func exoscope(_ arguments: [String]) throws -> CommandResult {
        let executable = try #require(
            Fixture.exoscopeExecutable, "the exoscope executable was not built next to the tests")
        return try CommandResult.run(executable, arguments)
    }

    @Test func validStudyExitsZero() throws {
        let result = try exoscope(["validate", Fixture.url("good/minimal").path])
        #expect(result.status == 0)
        #expect(result.standardOutput == "MINI: valid (3 files, 3 samples, 5 values)\n")
    }

    @Test func invalidDataExits65WithLocatedMessage() throws {
        let result = try exoscope(["validate", Fixture.url("bad/unknown-key").path, "--quiet"])
        #expect(result.status == 65)
        #expect(
            result.standardError
                == "study.yaml:3:1: error: unknown key 'titel'\n  hint: did you mean 'title'?\n1 error\n")
    }

    @Test func missingInputExits66() throws {
        #expect(try exoscope(["validate", Fixture.url("bad/no-study-yaml").path]).status == 66)
        #expect(try exoscope(["validate", "/nonexistent/study"]).status == 66)
        #expect(try exoscope(["status", "--database", "/nonexistent/db.sqlite"]).status == 66)
    }

    /// `exoscope audit verify` passes a database as ExoScope wrote it, and exits 65 naming the entry once a row was
    /// edited behind its back (triggers dropped, as the sqlite3 shell could).
    @Test func auditVerifyExits65OnAnEditedEntry() throws {
        let database = try Fixture.temporaryDirectory().appendingPathComponent("audit.sqlite").path
        let imported = try exoscope(["import", Fixture.url("good/minimal").path, "--database", database, "--quiet"])
        #expect(imported.status == 0)
        let intact = try exoscope(["audit", "verify", "--database", database])
        #expect(intact.status == 0)
        #expect(intact.standardOutput.hasPrefix("Audit log of \(database): 1 entries, intact; head "))
        let head = String(intact.standardOutput.split(separator: " ").last?.dropLast() ?? "")
        #expect(head.count == 64)
        let queue = try DatabaseQueue(path: database)
        try queue.write { db in
            try db.execute(sql: "DROP TRIGGER auditIsAppendOnlyUpdate; UPDATE audit SET actor = 'someone else'")
        }
        let broken = try exoscope(["audit", "verify", "--database", database, "--head", head, "--quiet"])
        #expect(broken.status == 65)
        #expect(
            broken.standardError
                == "audit: entry 1 (id 1): its content does not give its hash: the entry was edited\n")
        #expect(try exoscope(["audit", "verify", "--database", database, "--head", "abc"]).status == 64)
    }

    /// `exoscope user`: an instrument account and its study-limited token; refusals are usage errors.
    @Test func userAccountsAndTokens() throws {
        let database = try Fixture.temporaryDirectory().appendingPathComponent("users.sqlite").path
        #expect(try exoscope(["import", Fixture.url("good/minimal").path, "--database", database, "-q"]).status == 0)
        let added = try exoscope([
            "user", "add", "qpcr-7", "--role", "instrument", "--study", "MINI", "--database", database,
        ])
        #expect(added.status == 0 && added.standardOutput == "Account qpcr-7: instrument, MINI\n")
        let token = try exoscope(["user", "token", "qpcr-7", "--study", "MINI", "--days", "30", "--database", database])
        #expect(token.status == 0)
        #expect(token.standardOutput.wholeMatch(of: /exo_[0-9a-f]{12}_[0-9a-f]{64}\n/) != nil)
        let unscoped = try exoscope(["user", "token", "qpcr-7", "--database", database])
        #expect(unscoped.status == 64)
        #expect(unscoped.standardError.contains("an instrument token is limited to one study: give --study"))
        let noPassword = try exoscope(["user", "add", "ana", "--role", "analyst", "--database", database])
        #expect(noPassword.status == 64 && noPassword.standardError.contains("signs in with a password"))
        #expect(try exoscope(["user", "add", "ana", "--role", "boss", "--database", database]).status == 64)
        #expect(try exoscope(["user", "remove", "nobody", "--database", database]).status == 66)
        let list = try exoscope(["user", "list", "--database", database])
        #expect(list.standardOutput.hasPrefix("name\trole\tstudies\tcreated\nqpcr-7\tinstrument\tMINI\t"))
        // Every account change is audited, and the chain holds.
        #expect(try exoscope(["audit", "verify", "--database", database, "-q"]).status == 0)
    }

    /// `exoscope stats roc` prints pROC's AUC and DeLong interval per feature; a wrong label exits 65 with the
    /// nearest one, an unknown direction is a usage error.
    @Test func statsRocPrintsOneRowPerFeature() throws {
        let matrix = Fixture.url("stats/aSAH.matrix.tsv").path
        let result = try exoscope(["stats", "roc", matrix, "--label", "outcome", "--case", "Poor", "--control", "Good"])
        #expect(result.status == 0)
        let lines = result.standardOutput.split(separator: "\n")
        #expect(lines.first == "feature\tn_case\tn_control\tauc\tci_low\tci_high\tdirection\tmissing\tnote")
        #expect(lines.count == 4 && lines[3].hasPrefix("wfns\t41\t72\t0.82367886178861"))
        let wrong = try exoscope(["stats", "roc", matrix, "--label", "outcome", "--case", "poor", "--quiet"])
        #expect(wrong.status == 65)
        #expect(
            wrong.standardError.hasSuffix(
                "aSAH.matrix.tsv: error: no sample has the label 'poor' in column 'outcome'; it has 'Good', 'Poor'\n  hint: did you mean 'Poor'?\n1 error\n"
            ))
        #expect(
            try exoscope(["stats", "roc", matrix, "--label", "outcome", "--case", "Poor", "--direction", "up"]).status
                == 64)
    }

    @Test func statsPanelLocksAModelThatScoreAppliesAndRefusesOnceEdited() throws {
        let folder = try Fixture.temporaryDirectory()
        let model = folder.appendingPathComponent("panel.json").path
        let matrix = Fixture.url("stats/panel-20x400.tsv").path
        let panel = try exoscope([
            "stats", "panel", matrix, "--label", "group", "--case", "tumour", "--repeats", "0", "--lock", model,
            "--name", "cli panel", "--specimen", "plasma", "--normalisation", "log2", "--quiet",
        ])
        #expect(panel.status == 0)
        let kept = panel.standardOutput.split(separator: "\n").dropFirst().map { String($0.split(separator: "\t")[0]) }
        #expect(!kept.isEmpty)
        let samples = folder.appendingPathComponent("new.tsv")
        let header = "sample\tspecimen\tqc\t" + kept.joined(separator: "\t")
        let row = "P1\tplasma\tpass" + String(repeating: "\t8", count: kept.count)
        // A patient pseudonym column is sample information, not an analyte.
        let withPatient = folder.appendingPathComponent("with-patient.tsv")
        try Data(("patient\t" + header + "\nPT-9\t" + row + "\n").utf8).write(to: withPatient)
        try Data((header + "\n" + row + "\n").utf8).write(to: samples)
        let scored = try exoscope(["score", model, samples.path])
        #expect(scored.status == 0)
        let scoredWithPatient = try exoscope(["score", model, withPatient.path])
        #expect(scoredWithPatient.status == 0 && scoredWithPatient.standardOutput == scored.standardOutput)
        #expect(
            scored.standardOutput.hasPrefix(
                "sample\tprobability\tlow\thigh\tcall\tnear_cut\trefusal\tqc_override\nP1\t0."))
        let text = try String(contentsOfFile: model, encoding: .utf8)
        try Data(text.replacingOccurrences(of: "\"cli panel\"", with: "\"cli panel v2\"").utf8)
            .write(to: URL(fileURLWithPath: model))
        let refused = try exoscope(["score", model, samples.path])
        #expect(refused.status == 65)
        #expect(refused.standardError.contains("it was edited after it was locked"))
        #expect(
            try exoscope(["stats", "panel", matrix, "--label", "group", "--case", "tumour", "--lock", model]).status
                == 64)
    }

    @Test func statsCutoffReportsAccuracyAtTheChosenCutOff() throws {
        let matrix = Fixture.url("stats/aSAH.matrix.tsv").path
        let base = ["stats", "cutoff", matrix, "--label", "outcome", "--case", "Poor", "--feature", "s100b"]
        let youden = try exoscope(base + ["--bootstrap", "0"])
        #expect(youden.status == 0)
        // pROC's Youden cut-off for s100b (Tests/Fixtures/stats/aSAH.pROC.tsv) and the counts there.
        #expect(youden.standardOutput.contains("cutoff\t0.20500000000000002\n"))
        #expect(youden.standardOutput.contains("counts\tTP 26 FN 15 TN 58 FP 14\n"))
        let sensitive = try exoscope(base + ["--sensitivity", "0.9", "--bootstrap", "0"])
        #expect(sensitive.standardOutput.contains("cutoff\t0.07500000000000001\n"))
        #expect(try exoscope(base + ["--sensitivity", "0.9", "--threshold", "0.2"]).status == 64)
        #expect(try exoscope(base + ["--cost", "0"]).status == 64)
        #expect(try exoscope(base + ["--level", "95"]).status == 64)
        // A cut-off beyond every value: nobody is called positive, and PPV has no value rather than a crash.
        let beyond = try exoscope(base + ["--threshold", "1000", "--bootstrap", "0"])
        #expect(beyond.status == 0 && beyond.standardOutput.contains("ppv\tnan nan nan"))
        let unknown = try exoscope([
            "stats", "cutoff", matrix, "--label", "outcome", "--case", "Poor", "--feature", "s10b",
        ])
        #expect(unknown.status == 65)
        #expect(unknown.standardError.contains("error: no feature column 's10b'\n  hint: did you mean 's100b'?"))
    }

    @Test func statsDEWithCovariatesMatchesLimma() throws {
        // The matrix with the covariates of bench/stats/limma_covariates_reference.R as columns.
        let lines = try String(contentsOf: Fixture.url("stats/mirna-300x40.tsv"), encoding: .utf8)
            .split(separator: "\n")
        var text = ""
        for (index, line) in lines.enumerated() {
            var fields = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            let i = index - 1
            fields.insert(contentsOf: index == 0 ? ["age", "batch"] : ["\(40 + (7 * i) % 31)", "b\(i % 3)"], at: 2)
            text += fields.joined(separator: "\t") + "\n"
        }
        let file = try Fixture.temporaryDirectory().appendingPathComponent("covariates.tsv")
        try Data(text.utf8).write(to: file)
        let result = try exoscope([
            "stats", "de", file.path, "--label", "group", "--case", "tumour", "--control", "healthy", "--covariates",
            "age,batch", "--quiet",
        ])
        #expect(result.status == 0)
        let output = result.standardOutput.split(separator: "\n")
        #expect(output.first?.hasSuffix("missing\tci_low\tci_high") == true)
        #expect(output.count == 301, "the covariates are not features")
        // Tests/Fixtures/stats/mirna-300x40.limma-covariates.tsv, model "covariates", hsa-miR-1-5p.
        let reference = try String(contentsOf: Fixture.url("stats/mirna-300x40.limma-covariates.tsv"), encoding: .utf8)
            .split(separator: "\n").first { $0.hasPrefix("covariates\thsa-miR-1-5p\t") }
        let expected = try #require(reference).split(separator: "\t").compactMap { Double($0) }
        let row = try #require(output.first { $0.hasPrefix("hsa-miR-1-5p\t") }).split(separator: "\t")
        #expect(abs((Double(row[1]) ?? 0) - expected[0]) < 1e-8 * abs(expected[0]))
        #expect(abs((Double(row[3]) ?? 0) - expected[3]) < 1e-8 * abs(expected[3]))
        let unknown = try exoscope([
            "stats", "de", file.path, "--label", "group", "--case", "tumour", "--covariates", "agee",
        ])
        #expect(unknown.status == 65 && unknown.standardError.contains("column 'batch' holds text"))
        let misspelt = try exoscope([
            "stats", "de", file.path, "--label", "group", "--case", "tumour", "--covariates", "batch,agee",
        ])
        #expect(misspelt.status == 65 && misspelt.standardError.contains("no covariate column 'agee'"))
    }

    @Test func statsDECountsRunsVoom() throws {
        let matrix = Fixture.url("stats/counts-200x24.tsv").path
        let result = try exoscope([
            "stats", "de", matrix, "--label", "group", "--case", "tumour", "--counts", "--quiet",
        ])
        #expect(result.status == 0)
        // limma voom (Tests/Fixtures/stats/counts-200x24.voom.tsv): hsa-miR-1-5p logFC 0.17334716924354604.
        let row = try #require(result.standardOutput.split(separator: "\n").dropFirst().first).split(separator: "\t")
        #expect(abs((Double(row[1]) ?? 0) - 0.17334716924354604) < 1e-9)
        let welch = try exoscope([
            "stats", "de", matrix, "--label", "group", "--case", "tumour", "--counts", "--method", "welch",
        ])
        #expect(welch.status == 64)
    }

    @Test func statsComparePrintsPairedAndJointDeLongTests() throws {
        let matrix = Fixture.url("stats/aSAH.matrix.tsv").path
        let result = try exoscope([
            "stats", "compare", matrix, "--label", "outcome", "--case", "Poor", "--features", "s100b,ndka,wfns",
        ])
        #expect(result.status == 0)
        let lines = result.standardOutput.split(separator: "\n")
        // pROC 1.18.0 (Tests/Fixtures/stats/aSAH.pROC.tsv): joint χ² 12.512728282423542, wfns − s100b z 2.20898359144.
        let joint = try #require(lines.first { $0.hasPrefix("joint\t") })
        let chiSquare = try #require(joint.firstMatch(of: /chi-square ([0-9.]+)/)).output.1
        #expect(abs((Double(chiSquare) ?? 0) - 12.512728282423542) < 1e-9)
        #expect(lines.contains { $0.hasPrefix("paired_s100b_vs_wfns\t") && $0.contains("z -2.20898359144") })
    }

    @Test func kbSearchListsTheReviewsBiomarkersAndImportsTables() throws {
        let gbm = try exoscope(["kb", "--tumour", "GBM", "--role", "biomarker", "--format", "tsv"])
        #expect(gbm.status == 0)
        let lines = gbm.standardOutput.split(separator: "\n")
        #expect(
            lines.first
                == "id\tcargo\tcargo_type\ttumour\tspecimen\trole\tdirection\tcompared_with\tmechanism\tevidence\tsection\treference\tdoi\torigin"
        )
        let cargo = Set(lines.dropFirst().map { String($0.split(separator: "\t")[1]) })
        #expect(cargo == ["miR-21", "miR-451"])
        #expect(
            lines.contains {
                $0.hasPrefix("R034\t")
                    && $0.contains(
                        "\t10.3390/cancers16040823, 10.18632/oncotarget.4699, 10.1371/journal.pone.0078115\t")
            })
        // The review calls none of its HCC cargo a biomarker.
        let hcc = try exoscope(["kb", "--tumour", "HCC", "--role", "biomarker", "--format", "tsv"])
        #expect(hcc.status == 0 && hcc.standardOutput.split(separator: "\n").count == 1)
        let suppressors = try exoscope(["kb", "--role", "suppresses invasion", "--format", "tsv"])
        #expect(suppressors.standardOutput.contains("R054\tmiR-503\tmiRNA\tbreast cancer\t\tsuppresses invasion\t"))
        #expect(try exoscope(["kb", "--tumour", "HCCC"]).status == 64)
        let json = try exoscope(["kb", "--cargo", "hsa-mir-4458", "--json"])
        #expect(json.status == 0 && !json.standardOutput.contains("\"doi\" : \"\""), "ref. 17 has no DOI: omitted")
        #expect(json.standardOutput.contains("\"id\" : \"R012\""))
        let rows = try #require(
            try JSONSerialization.jsonObject(with: Data(json.standardOutput.utf8)) as? [[String: Any]])
        let r012 = try #require(rows.first { $0["id"] as? String == "R012" })
        #expect((r012["dois"] as? [Any])?.count == 1 && (r012["dois"] as? [Any])?.first is NSNull, "ref. 17: null")
        #expect(r012["acts"] == nil && rows.contains { $0["acts"] as? String == "suppresses" })
        // An imported HMDD table is searched with --include and labelled with its source.
        let folder = try Fixture.temporaryDirectory()
        let table = folder.appendingPathComponent("alldata.txt")
        try Data(
            "category\tmir\tdisease\tpmid\tdescription\ncirculation_biomarker_diagnosis_up\thsa-mir-21\tCarcinoma, Hepatocellular\t1\tUp.\n"
                .utf8
        ).write(to: table)
        let output = folder.appendingPathComponent("hmdd.json").path
        let imported = try exoscope(["kb", "import", table.path, "--output", output])
        #expect(imported.status == 0 && imported.standardError.hasPrefix("hmdd: 1 rows, 1 entries written"))
        let both = try exoscope(["kb", "--cargo", "miR-21", "--tumour", "HCC", "--include", output, "--format", "tsv"])
        #expect(both.standardOutput.contains("\thmdd\n") && both.standardOutput.contains("\tcurated\n"))
    }

    @Test func qcNTASummarisesTheBeadExport() throws {
        let file = Fixture.url("nta/beads2-ExperimentSummary.csv").path
        let pooled = try exoscope(["qc", "nta", file])
        #expect(pooled.status == 0)
        let lines = pooled.standardOutput.split(separator: "\n")
        #expect(
            lines.first?.hasPrefix("file\tcapture\tsoftware\tcaptures\tdilution\tconcentration_per_ml\tmean_nm") == true
        )
        let fields = lines[1].split(separator: "\t", omittingEmptySubsequences: false)
        // Printed by NTA 3.4 in the same file: Average concentration 6.09e+12, mean 101.5 nm, D50 99.8 nm.
        #expect(fields[2] == "NTA 3.4 Build 3.4.003" && fields[3] == "5" && fields[4] == "10000.0")
        #expect(abs((Double(fields[5]) ?? 0) / 6.09e12 - 1) < 0.005 && abs((Double(fields[6]) ?? 0) - 101.5) < 0.1)
        #expect(try exoscope(["qc", "nta", file, "--captures"]).standardOutput.split(separator: "\n").count == 6)
        #expect(try exoscope(["qc", "nta", file, "--range", "150-30"]).status == 64)
    }

    @Test func usageErrorExits64() throws {
        let result = try exoscope(["validate", "--no-such-flag"])
        #expect(result.status == 64)
        #expect(result.standardError.contains("Unknown option '--no-such-flag'"))
    }

    @Test func initNeverOverwritesAStudy() throws {
        let folder = try Fixture.temporaryDirectory().appendingPathComponent("new-study")
        let created = try exoscope(["init", folder.path, "--quiet"])
        #expect(created.status == 0)
        #expect(
            try exoscope(["validate", folder.path, "--quiet"]).status == 0, "the scaffold must validate as written")
        let again = try exoscope(["init", folder.path])
        #expect(again.status == 73)
        #expect(again.standardError.contains("already exists; init never overwrites a study"))
    }

    @Test func runWritesReportAndJSONSummary() throws {
        let folder = try Fixture.copy("good/minimal")
        let result = try exoscope(["run", folder.path, "--json"])
        #expect(result.status == 0, "\(result.standardError)")
        let summary = try JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8)) as? [String: Any]
        #expect(summary?["importOutcome"] as? String == "imported")
        #expect(summary?["measurements"] as? Int == 5)
        let report = try String(contentsOf: folder.appendingPathComponent("report.html"), encoding: .utf8)
        #expect(report.hasPrefix("<!DOCTYPE html>"))
        #expect(report.contains("<svg"))
        // Self-contained: no scripts, no external stylesheets, images or fonts.
        #expect(!report.contains("<script"))
        #expect(!report.contains("src=\"http") && !report.contains("href=\"http") && !report.contains("url(http"))
        let status = try exoscope([
            "status", "--database", folder.appendingPathComponent("exoscope.sqlite").path, "--json",
        ])
        #expect(status.standardOutput.contains("\"id\" : \"MINI\""))
    }

    @Test func dpcrAnalyzePrintsOneRowPerWellAndRequiresTheVolume() throws {
        let file = Fixture.url("dpcr/small.csv").path
        let missing = try exoscope(["dpcr", "analyze", file])
        #expect(missing.status == 64)
        #expect(missing.standardError.contains("--partition-volume-nl is required"))
        let result = try exoscope(["dpcr", "analyze", file, "--partition-volume-nl", "0.91", "--ci", "wald"])
        #expect(result.status == 0)
        let lines = result.standardOutput.split(separator: "\n")
        #expect(
            lines.first
                == "file\twell\tsample\ttarget\tpositives\tpartitions\tlambda\tcopies_per_ul\tci_low\tci_high\tflags")
        #expect(lines.count == 11)  // header + 5 wells × 2 channels
        let a01 = lines[1].split(separator: "\t", omittingEmptySubsequences: false)
        #expect(a01[1] == "A01" && a01[4] == "1901" && a01[5] == "15820")
        #expect(String(format: "%.0f", Double(a01[7]) ?? 0) == "141")  // QuantaSoft printed 141 (CI 134–147)
        let merged = try exoscope(["dpcr", "analyze", file, "--partition-volume-nl", "0.91", "--merge", "--json"])
        #expect(merged.status == 0 && merged.standardOutput.contains("\"copies_per_ul\""))
    }

    @Test func dpcrAnalyzeReadsRDMLPartitionsWithTheirRecordedVolume() throws {
        let xml = """
            <?xml version="1.0" encoding="UTF-8"?>
            <rdml xmlns="http://www.rdml.org" version="1.3">
            <sample id="S1"><type>unkn</type></sample><target id="miR-21"><type>toi</type></target>
            <experiment id="E"><run id="R"><react id="1"><sample id="S1"/><partitions><volume>0.85</volume>
            <data><tar id="miR-21"/><pos>2143</pos><neg>17810</neg></data></partitions></react></run></experiment>
            </rdml>
            """
        let file = try Fixture.temporaryDirectory().appendingPathComponent("partitions.rdml")
        try xml.write(to: file, atomically: true, encoding: .utf8)
        let result = try exoscope(["dpcr", "analyze", file.path, "--ci", "wald"])
        #expect(result.status == 0, "\(result.standardError)")
        let row = try #require(result.standardOutput.split(separator: "\n").dropFirst().first).split(separator: "\t")
        // The same counts as QuantaSoft's probe well A01 (133.67 copies/µL, 128.02–139.35 at 0.85 nL).
        #expect(String(format: "%.2f", Double(row[7]) ?? 0) == "133.67")
        #expect(
            String(format: "%.2f", Double(row[8]) ?? 0) == "128.02"
                && String(format: "%.2f", Double(row[9]) ?? 0) == "139.35")
    }

    /// The three Cq definitions on one committed run: TD0 of well A4 as in the RDML-Tools table (26.13, efficiency 2.1056).
    @Test func qpcrAnalyzeOffersThresholdSdmAndTD0() throws {
        let file = Fixture.url("qpcr/quantification_methods.rdml").path
        var cqs: [String: Double] = [:]
        for method in ["threshold", "sdm", "td0"] {
            let result = try exoscope(["qpcr", "analyze", file, "--cq-method", method])
            #expect(result.status == 0, "\(result.standardError)")
            let lines = result.standardOutput.split(separator: "\n")
            #expect(lines.count == 181)
            let a4 = try #require(lines.first { $0.split(separator: "\t")[2] == "A4" })
                .split(separator: "\t", omittingEmptySubsequences: false)
            cqs[method] = Double(a4[6])
            if method == "td0" {
                #expect(String(format: "%.2f", cqs[method] ?? 0) == "26.13")
                #expect(String(format: "%.4f", Double(a4[7]) ?? 0) == "2.1056")
            }
        }
        #expect(Set(cqs.values).count == 3)
        let invalid = try exoscope(["qpcr", "analyze", file, "--cq-method", "ct"])
        #expect(invalid.status == 64)
    }
}
