import ExoCore
import ExoPipeline
import ExoTestSupport
import Foundation
import Testing

/// Every subcommand run in process on a small input, its numbers checked against references that other tools
/// computed (the R and rdmlpython outputs in Tests/Fixtures, the values the instrument software printed), and
/// every usage error exiting 64.
struct InProcessCommandTests {
    static let aSAH = Fixture.url("stats/aSAH.matrix.tsv").path
    static let poor = ["--label", "outcome", "--case", "Poor"]

    // MARK: - stats

    /// pROC's AUC and DeLong interval (`bench/stats/asah_proc_reference.R`, in aSAH.pROC.tsv), in TSV and JSON.
    @Test func statsROCMatchesPROCInTSVAndJSON() async throws {
        let reference = try referenceValues("stats/aSAH.pROC.tsv")
        let result = await exoscope(inProcess: ["stats", "roc", Self.aSAH] + Self.poor)
        #expect(result.status == 0, "\(result.standardError)")
        #expect(result.lines.first == "feature\tn_case\tn_control\tauc\tci_low\tci_high\tdirection\tmissing\tnote")
        #expect(result.rows.count == 3)
        for row in result.rows {
            let feature = try #require(row["feature"])
            for key in ["auc", "ci_low", "ci_high"] {
                expectClose(Double(row[key] ?? ""), try #require(reference["\(feature).\(key)"]), 1e-9, feature)
            }
            #expect(row["note"] == "" && row["n_case"] == "41" && row["n_control"] == "72")
        }
        let json = await exoscope(inProcess: ["stats", "roc", Self.aSAH, "--json"] + Self.poor)
        let objects = try #require(try json.json() as? [[String: Any]])
        #expect(objects.count == 3)
        // One definition of the columns: every key of the TSV, a missing note as null.
        #expect(Set(objects[0].keys) == Set(result.lines[0].split(separator: "\t").map(String.init)))
        #expect(objects[0]["note"] is NSNull)
        expectClose(objects[2]["auc"] as? Double, try #require(reference["wfns.auc"]), 1e-9)
    }

    /// pROC's unpaired DeLong test between two halves of aSAH (`bench/stats/asah_unpaired_reference.R`).
    @Test func statsROCUnpairedMatchesPROC() async throws {
        let reference = try referenceValues("stats/aSAH.unpaired.pROC.tsv")
        let result = await exoscope(
            inProcess: [
                "stats", "roc", Fixture.url("stats/aSAH.cohort1.tsv").path, "--unpaired",
                Fixture.url("stats/aSAH.cohort2.tsv").path,
            ] + Self.poor)
        #expect(result.status == 0, "\(result.standardError)")
        let s100b = try #require(result.rows.first { $0["feature"] == "s100b" })
        for key in ["auc", "auc_2", "t", "df", "p"] {
            expectClose(Double(s100b[key] ?? ""), try #require(reference["s100b.\(key)"]), 1e-9, key)
        }
    }

    /// limma's moderated t (`bench/stats/limma_reference.R`, mirna-300x40.limma.tsv), and the prior on standard
    /// error.
    @Test func statsDEMatchesLimma() async throws {
        let text = try String(contentsOf: Fixture.url("stats/mirna-300x40.limma.tsv"), encoding: .utf8)
        let table = text.split(separator: "\n").filter { !$0.hasPrefix("#") }.map { $0.split(separator: "\t") }
        let header = try #require(table.first).map(String.init)
        let result = await exoscope(inProcess: [
            "stats", "de", Fixture.url("stats/mirna-300x40.tsv").path, "--label", "group", "--case", "tumour",
        ])
        #expect(result.status == 0)
        #expect(result.standardError.hasPrefix("prior: d0 = 4.31000497711"))
        let rows = Dictionary(uniqueKeysWithValues: result.rows.map { ($0["feature"] ?? "", $0) })
        #expect(rows.count == table.count - 1)
        for line in table.dropFirst().prefix(40) {
            let feature = String(line[0])
            let row = try #require(rows[feature])
            for (index, column) in header.enumerated().dropFirst() {
                expectClose(Double(row[column] ?? ""), try #require(Double(line[index])), 1e-8, "\(feature) \(column)")
            }
        }
        let json = await exoscope(inProcess: [
            "stats", "de", Fixture.url("stats/mirna-300x40.tsv").path, "--label", "group", "--case", "tumour", "--json",
        ])
        #expect(json.standardError.isEmpty, "--json prints the prior nowhere")
        #expect((try json.json() as? [[String: Any]])?.count == rows.count)
    }

    /// pROC's paired DeLong test (roc.test) of wfns against s100b, as text and JSON.
    @Test func statsCompareMatchesPROCsPairedTest() async throws {
        let reference = try referenceValues("stats/aSAH.pROC.tsv")
        let arguments = ["stats", "compare", Self.aSAH, "--features", "wfns,s100b"] + Self.poor
        let text = await exoscope(inProcess: arguments)
        #expect(text.status == 0)
        let paired = try #require(text.lines.first { $0.hasPrefix("paired_wfns_vs_s100b\t") })
        let z = try #require(paired.split(separator: ",").first { $0.hasPrefix(" z ") }?.dropFirst(3))
        expectClose(Double(z), try #require(reference["wfns-s100b.paired_z"]), 1e-9)
        let json = try #require(try await exoscope(inProcess: arguments + ["--json"]).json() as? [String: Any])
        let pair = try #require((json["pairs"] as? [[String: Any]])?.first)
        expectClose(pair["p"] as? Double, try #require(reference["wfns-s100b.paired_p"]), 1e-9)
        expectClose(pair["ci_low"] as? Double, try #require(reference["wfns-s100b.paired_ci_low"]), 1e-9)
        #expect(json["n_case"] as? Int == 41)
    }

    /// The samples left out (8 unlabelled, as pROC counts them in aSAH.missing-labels.pROC.tsv) are said before an
    /// error found after reading them, and not under --quiet.
    @Test func notesComeBeforeALaterError() async {
        let arguments =
            [
                "stats", "compare", Fixture.url("stats/aSAH.missing-labels.tsv").path, "--features", "s100b,s100b",
            ] + Self.poor
        let result = await exoscope(inProcess: arguments)
        #expect(result.status == 64)
        #expect(
            result.standardError
                == "note: left out 8 samples without a label (empty, NA, NaN or N/A)\n"
                + "error: name two or more different features.\n")
        let quiet = await exoscope(inProcess: arguments + ["--quiet"])
        #expect(quiet.status == 64 && quiet.standardError == "error: name two or more different features.\n")
    }

    /// pROC's Youden cut-off of s100b with its sensitivity and specificity.
    @Test func statsCutoffMatchesPROCsYouden() async throws {
        let reference = try referenceValues("stats/aSAH.pROC.tsv")
        let result = await exoscope(
            inProcess: [
                "stats", "cutoff", Self.aSAH, "--feature", "s100b", "--bootstrap", "0", "--json",
            ] + Self.poor)
        #expect(result.status == 0)
        let fields = try #require(try result.json() as? [String: String])
        expectClose(Double(fields["cutoff"] ?? ""), try #require(reference["s100b.youden1.threshold"]), 1e-12)
        let sensitivity = fields["sensitivity"]?.split(separator: " ").first.flatMap { Double($0) }
        expectClose(sensitivity, try #require(reference["s100b.youden1.sensitivity"]), 1e-12)
        let specificity = fields["specificity"]?.split(separator: " ").first.flatMap { Double($0) }
        expectClose(specificity, try #require(reference["s100b.youden1.specificity"]), 1e-12)
        expectClose(Double(fields["auc"] ?? ""), try #require(reference["s100b.auc"]), 1e-12)
    }

    /// `stats panel --lock` writes a model that `score` applies: its probability is the logistic of the locked
    /// coefficients' linear predictor, a sample of another specimen is refused.
    @Test func statsPanelLocksAModelThatScoreApplies() async throws {
        let folder = try Fixture.temporaryDirectory()
        let model = folder.appendingPathComponent("panel.json").path
        let panel = await exoscope(inProcess: [
            "stats", "panel", Fixture.url("stats/panel-20x400.tsv").path, "--label", "group", "--case", "tumour",
            "--repeats", "0", "--lock", model, "--name", "in-process panel", "--specimen", "plasma",
            "--normalisation", "log2",
        ])
        #expect(panel.status == 0, "\(panel.standardError)")
        #expect(panel.standardError.contains("locked model written to \(model)"))
        #expect(panel.lines.first == "feature\tcoefficient\tselection_frequency")
        let kept = panel.rows.compactMap { $0["feature"] }
        #expect(!kept.isEmpty)
        let samples = folder.appendingPathComponent("new.tsv")
        let values = kept.indices.map { Double(7 + $0 % 3) }
        try Data(
            ("sample\tspecimen\tqc\t" + kept.joined(separator: "\t") + "\nP1\tplasma\tpass"
                + values.map { "\t\($0)" }.joined() + "\nP2\tserum\tpass" + values.map { "\t\($0)" }.joined() + "\n")
                .utf8
        ).write(to: samples)
        let scored = await exoscope(inProcess: ["score", model, samples.path])
        #expect(scored.status == 0)
        #expect(scored.standardError == "1 of 2 samples refused (see the refusal column)\n")
        let locked = try #require(
            try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: model))) as? [String: Any])
        let analytes = try #require(locked["analytes"] as? [[String: Any]])
        var linear = try #require(locked["intercept"] as? Double)
        for analyte in analytes {
            let name = try #require(analyte["feature"] as? String)
            let index = try #require(kept.firstIndex(of: name))
            linear += try #require(analyte["coefficient"] as? Double) * values[index]
        }
        let first = try #require(scored.rows.first)
        #expect(first["sample"] == "P1" && first["refusal"] == "")
        // The probability by the definition of the logistic model: 1 / (1 + e^−(β₀ + Σ βᵢxᵢ)).
        expectClose(Double(first["probability"] ?? ""), 1 / (1 + exp(-linear)), 1e-12)
        #expect(scored.rows.last?["refusal"]?.hasPrefix("specimen 'serum'") == true)
        let json = try #require(
            try await exoscope(inProcess: ["score", model, samples.path, "--json"]).json() as? [[String: Any]])
        #expect(json.count == 2 && json[1]["probability"] is NSNull)
    }

    /// R's kruskal.test of age by ph.ecog on lung (`bench/stats/rank_tests_reference.R`, rank-tests.tsv).
    @Test func statsAssociateMatchesKruskalWallis() async throws {
        let reference = try referenceValues("stats/rank-tests.tsv")
        let file = try Self.lungWithSampleColumn()
        let result = await exoscope(inProcess: [
            "stats", "associate", file.path, "--by", "ph.ecog", "--test", "kruskal-wallis", "--features", "age",
        ])
        #expect(result.status == 0, "\(result.standardError)")
        let row = try #require(result.rows.first)
        #expect(row["feature"] == "age" && row["test"] == "kruskal-wallis")
        expectClose(Double(row["statistic"] ?? ""), try #require(reference["lung.kw.h"]), 1e-9)
        expectClose(Double(row["p_value"] ?? ""), try #require(reference["lung.kw.p"]), 1e-9)
    }

    /// R's survival on lung (`bench/stats/survival_reference.R`, lung.survival.tsv): the log-rank test of the
    /// median split of age, and coxph(Surv(time, status) ~ age + sex + ph.ecog).
    @Test func statsSurvivalMatchesRsSurvival() async throws {
        let text = try String(contentsOf: Fixture.url("stats/lung.survival.tsv"), encoding: .utf8)
        let lines = text.split(separator: "\n").map { $0.split(separator: "\t").map(String.init) }
        let value = { (kind: String, key: String, column: Int) in
            lines.first { $0.count > column && $0[0] == kind && $0[1] == key }.flatMap { Double($0[column]) }
        }
        let file = try Self.lungWithSampleColumn()
        let arguments = [
            "stats", "survival", file.path, "--feature", "age", "--time", "time", "--event", "status",
            "--covariates", "sex,ph.ecog",
        ]
        let result = await exoscope(inProcess: arguments)
        #expect(result.status == 0, "\(result.standardError)")
        let logrank = try #require(result.lines.first { $0.hasPrefix("logrank\t") })
        expectClose(
            Double(logrank.dropFirst("logrank\tchisq ".count).prefix { $0 != "," }),
            try #require(value("marker_logrank", "chisq", 2)), 1e-9)
        let json = try #require(try await exoscope(inProcess: arguments + ["--json"]).json() as? [String: Any])
        let terms = try #require(json["cox"] as? [[String: Any]])
        for term in terms {
            let name = try #require(term["term"] as? String)
            expectClose(term["coef"] as? Double, try #require(value("cox", name, 2)), 1e-7, name)
            expectClose(term["p"] as? Double, try #require(value("cox", name, 5)), 1e-6, name)
        }
        #expect(json["cox_n"] as? Int == 227)
        let steps = await exoscope(inProcess: Array(arguments.prefix(9)) + ["--steps"])
        #expect(steps.lines.first == "group\ttime\tn_risk\tn_event\tsurvival\tstd_err\tlower\tupper")
        #expect(steps.rows.allSatisfy { $0["group"] == "low" || $0["group"] == "high" })
    }

    /// lung.tsv with a sample column, as the stats commands read it.
    static func lungWithSampleColumn() throws -> URL {
        let text = try String(contentsOf: Fixture.url("stats/lung.tsv"), encoding: .utf8)
        let rows = text.split(separator: "\n").enumerated().map { ($0 == 0 ? "sample" : "P\($0)") + "\t" + $1 }
        let file = try Fixture.temporaryDirectory().appendingPathComponent("lung.tsv")
        try Data((rows.joined(separator: "\n") + "\n").utf8).write(to: file)
        return file
    }

    // MARK: - qPCR, dPCR

    /// rdmlpython 1.7.2's LinRegPCR Cq (quantification_methods.rdmlpython-1.7.2.tsv) within 1e-4 cycles.
    @Test func qpcrAnalyzeMatchesRdmlpython() async throws {
        let text = try String(
            contentsOf: Fixture.url("qpcr/quantification_methods.rdmlpython-1.7.2.tsv"), encoding: .utf8)
        let table = text.split(separator: "\n").filter { !$0.hasPrefix("#") }.map {
            $0.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
        }
        let header = try #require(table.first)
        let cqColumn = try #require(header.firstIndex { $0.hasPrefix("Cq (mean eff)") })
        let wellColumn = try #require(header.firstIndex(of: "well"))
        let targetColumn = try #require(header.firstIndex(of: "target"))
        let result = await exoscope(inProcess: [
            "qpcr", "analyze", Fixture.url("qpcr/quantification_methods.rdml").path,
        ])
        #expect(result.status == 0)
        let rows = Dictionary(
            result.rows.map { ("\($0["well"] ?? "")|\($0["target"] ?? "")", $0) }, uniquingKeysWith: { a, _ in a })
        var compared = 0
        for line in table.dropFirst() {
            guard let expected = Double(line[cqColumn]), let row = rows["\(line[wellColumn])|\(line[targetColumn])"],
                let cq = Double(row["cq"] ?? "")
            else { continue }
            expectClose(cq, expected, 1e-4, line[wellColumn])
            compared += 1
        }
        #expect(compared > 20)
        let json = try #require(
            try await exoscope(inProcess: [
                "qpcr", "analyze", Fixture.url("qpcr/quantification_methods.rdml").path, "--cq-method", "td0", "--json",
            ]).json() as? [[String: Any]])
        #expect(json.first?["n0"] is NSNull, "TD0 has no N0: null, not an absent key")
    }

    /// The Cq the instrument wrote is the Cq read; an undetermined well is NA.
    @Test func qpcrCqReadsWhatTheInstrumentWrote() async throws {
        let result = await exoscope(inProcess: ["qpcr", "cq", Fixture.url("instrument/quantstudio-results.csv").path])
        #expect(result.status == 0)
        #expect(result.standardError.contains("quantstudio-results.csv: "))
        #expect(!result.rows.isEmpty)
        for row in result.rows {
            if let written = Double((row["cq_as_written"] ?? "").replacingOccurrences(of: ",", with: ".")) {
                #expect(Double(row["cq"] ?? "") == written)
            } else {
                #expect(row["cq"] == "NA")
            }
        }
    }

    /// QuantaSoft's own printed concentration (in small.csv) reproduced with `--ci wald` at its droplet volume of
    /// 0.91 nL, to the printed digits, and its printed Poisson interval where a well has 1,000 positives or more
    /// (at C05's 90 positives QuantaSoft printed 5.67–8.59, the Wald interval is 5.58–8.49).
    @Test func dpcrAnalyzeReproducesQuantaSoft() async throws {
        let file = Fixture.url("dpcr/small.csv")
        let text = try String(contentsOf: file, encoding: .utf8)
        let lines = text.split(separator: "\n").map {
            $0.split(separator: ",", omittingEmptySubsequences: false).map {
                $0.replacingOccurrences(of: "\"", with: "")
            }
        }
        let header = try #require(lines.first)
        let column = { (name: String) in try #require(header.firstIndex(of: name)) }
        let (well, assay, positives) = (try column("Well"), try column("Assay"), try column("Positives"))
        let printed = [
            ("copies_per_ul", try column("Concentration")), ("ci_high", try column("PoissonConfMax")),
            ("ci_low", try column("PoissonConfMin")),
        ]
        let result = await exoscope(inProcess: [
            "dpcr", "analyze", file.path, "--partition-volume-nl", "0.91", "--ci", "wald",
        ])
        #expect(result.status == 0)
        #expect(result.rows.count == lines.count - 1)
        for line in lines.dropFirst() {
            let row = try #require(result.rows.first { $0["well"] == line[well] && $0["target"] == line[assay] })
            for (key, index) in printed where key == "copies_per_ul" || (Int(line[positives]) ?? 0) >= 1000 {
                let value = try #require(Double(line[index]))
                // Three significant digits: half a unit of the last one.
                let digit = 0.5 * pow(10, floor(log10(abs(value))) - 2)
                let computed = Double(row[key] ?? "") ?? .nan
                #expect(abs(computed - value) <= digit * (1 + 1e-9), "\(line[well]) \(line[assay]) \(key)")
            }
        }
    }

    // MARK: - QC

    /// NanoSight's printed Average of beads2 (mean 101.5, mode 98.7 as NTA 3.4 printed them) on the file row.
    @Test func qcNTAPrintsTheInstrumentsAverage() async throws {
        let result = await exoscope(inProcess: ["qc", "nta", Fixture.url("nta/beads2-ExperimentSummary.csv").path])
        #expect(result.status == 0)
        let row = try #require(result.rows.first)
        #expect(row["capture"] == "average" && row["statistics_from"] == "instrument")
        for (column, printed) in [("sd_nm", 12.8), ("d10_nm", 88.7), ("d50_nm", 99.8), ("d90_nm", 115.3)] {
            #expect(abs((Double(row[column] ?? "") ?? .nan) - printed) <= 0.1, "\(column)")
        }
    }

    /// A rejected lot exits 3 with the lots named; the certificate is written.
    @Test func qcReleaseRejectsAndWritesTheCertificate() async throws {
        let folder = Fixture.url("qc")
        let certificate = try Fixture.temporaryDirectory().appendingPathComponent("certificate.html")
        let result = await exoscope(inProcess: [
            "qc", "release", folder.appendingPathComponent("release-spec.yaml").path,
            folder.appendingPathComponent("lots.tsv").path, "--markers",
            folder.appendingPathComponent("lot-markers.tsv").path, "--certificate", certificate.path,
        ])
        #expect(result.status == 3)
        #expect(result.standardError == "1 of 3 lots rejected: NK-01\n")
        let endotoxin = try #require(
            result.rows.first { $0["lot"] == "NK-01" && $0["criterion"] == "endotoxin_eu_per_ml" })
        #expect(endotoxin["outcome"] == "fail" && endotoxin["decision"] == "rejected")
        #expect(FileManager.default.fileExists(atPath: certificate.path))
    }

    /// Means by source computed by hand from lots.tsv (MSC: (3.4 + 2.9) / 2), and Welch's difference.
    @Test func qcCompareLotsPrintsMeansAndContrasts() async throws {
        let result = await exoscope(inProcess: [
            "qc", "compare-lots", Fixture.url("qc/lots.tsv").path, "--readout", "ifng_release_fold",
        ])
        #expect(result.status == 0)
        #expect(result.standardOutput.hasPrefix("source\tlots\tmean\tsd\nMSC\t2\t3.15\t"))
        #expect(
            result.standardOutput.contains("\n\nfirst\tsecond\tdifference\tlow\thigh\tp\thedges_g\tg_low\tg_high\n"))
        #expect(result.standardOutput.contains("\nMSC\tNK\t-1.65\t"))
    }

    /// Twenty runs at 99 and 101 (SD √(20/19)) and one at 105.2: z = 5.2 / SD = 5.068, rejected (1-3s), exit 3.
    @Test func qcControlRejectsTheLastRun() async throws {
        let file = try Fixture.temporaryDirectory().appendingPathComponent("runs.tsv")
        var runs = "run\tconcentration_per_ml\n"
        for run in 1...20 { runs += "R\(run)\t\(run % 2 == 0 ? 101 : 99)\n" }
        try Data((runs + "R21\t105.2\n").utf8).write(to: file)
        let result = await exoscope(inProcess: ["qc", "control", file.path])
        #expect(result.status == 3)
        #expect(String(format: "%.3f", 5.2 / (20.0 / 19).squareRoot()) == "5.068")
        #expect(result.standardOutput.hasSuffix("concentration_per_ml\tR21\t105.2\t5.068\t1-2s,1-3s\treject\n"))
    }

    /// The crossing of R's uniroot on predict(lm, interval = "confidence", level = 0.90) (bench/qc/qc_reference.R).
    @Test func qcStabilityMatchesR() async throws {
        let file = try Fixture.temporaryDirectory().appendingPathComponent("stability.tsv")
        var table = "condition\tmonths\tconcentration\n"
        for (month, value) in zip([0, 1, 2, 3, 6, 9, 12], [10.2, 10.0, 9.9, 9.7, 9.3, 8.8, 8.5]) {
            table += "4 °C\t\(month)\t\(value)\n"
        }
        try Data(table.utf8).write(to: file)
        let result = await exoscope(inProcess: [
            "qc", "stability", file.path, "--attribute", "concentration", "--min", "7",
        ])
        #expect(result.status == 0)
        let row = try #require(result.rows.first)
        expectClose(Double(row["crossing"] ?? ""), 20.989472619869865, 1e-8)
        #expect(row["set_by"] == "confidence bound" && row["lot"] == "")
    }

    // MARK: - knowledge base

    /// Every entry found for miR-21 names it; JSON and TSV list the same entries.
    @Test func kbSearchFindsTheCargoInEveryFormat() async throws {
        let tsv = await exoscope(inProcess: ["kb", "--cargo", "miR-21", "--format", "tsv"])
        #expect(tsv.status == 0)
        #expect(!tsv.rows.isEmpty && tsv.rows.allSatisfy { $0["cargo"]?.contains("miR-21") == true })
        let json = try #require(
            try await exoscope(inProcess: ["kb", "--cargo", "miR-21", "--json"]).json() as? [[String: Any]])
        #expect(json.map { $0["id"] as? String } == tsv.rows.map { $0["id"] })
        let table = await exoscope(inProcess: ["kb", "--cargo", "miR-21"])
        #expect(table.standardError == "\(tsv.rows.count) of 67 entries\n")
        #expect(await exoscope(inProcess: ["kb", "--tumour", "HCCC"]).status == 64)
    }

    /// ExoCarta's layout: one human miR-21 entry and miR-150* read as both arms (as KnowledgeImportTests).
    @Test func kbImportWritesEntriesThatSearchReads() async throws {
        let folder = try Fixture.temporaryDirectory()
        let table = folder.appendingPathComponent("EXOCARTA_MIRNA_DETAILS_5.txt")
        try Data(
            """
            CONTENT ID\tCONTENT TYPE\tMIRNA ID\tSPECIES\tEXPERIMENT ID\tMETHODS
            1\tmiRNA\tmiR-21\tHomo sapiens\t182\tMicroarray
            2\tmiRNA\tlet-7a\tMus musculus\t75\tqRT-PCR
            3\tmiRNA\tmiR-150*\tHomo sapiens\t182\tMicroarray

            """.utf8
        ).write(to: table)
        let output = folder.appendingPathComponent("entries.json").path
        let imported = await exoscope(inProcess: ["kb", "import", table.path, "--output", output])
        #expect(imported.status == 0)
        #expect(imported.standardError.contains("3 rows, 2 entries written to \(output)"))
        let json = try #require(
            try await exoscope(inProcess: ["kb", "import", table.path, "--output", output, "--json"]).json()
                as? [String: Any])
        #expect(json["rows"] as? Int == 3 && json["entries"] as? Int == 2 && json["other_species"] as? Int == 1)
        let found = await exoscope(inProcess: ["kb", "--cargo", "miR-150", "--include", output, "--format", "tsv"])
        #expect(found.rows.contains { $0["origin"] == "exocarta-mirna" })
    }

    // MARK: - study commands

    /// `demo` (shared), then `validate`, `import` (unchanged), `status` and `report` on it.
    @Test func studyCommandsOnTheDemo() async throws {
        let demo = try await SharedDemo.folder.value
        let study = demo.appendingPathComponent("study").path
        let database = demo.appendingPathComponent("exoscope.sqlite").path
        let parameters = DemoStudy.Parameters()
        let patients = parameters.controls + parameters.casesByStage.reduce(0, +) + parameters.monitoredPatients
        let validated = try #require(
            try await exoscope(inProcess: ["validate", study, "--json"]).json() as? [String: Any])
        #expect(validated["study"] as? String == "NSCLC-EXO-DEMO")
        let copy = try await SharedDemo.copy()
        let imported = await exoscope(inProcess: [
            "import", copy.appendingPathComponent("study").path, "--database",
            copy.appendingPathComponent("exoscope.sqlite").path,
        ])
        #expect(imported.status == 0 && imported.standardOutput.contains(": unchanged — all "))
        let status = try #require(
            try await exoscope(inProcess: ["status", "--database", database, "--json"]).json() as? [String: Any])
        let studies = try #require(status["studies"] as? [[String: Any]])
        #expect(studies.first?["patients"] as? Int == patients)
        let report = copy.appendingPathComponent("again.html")
        let reported = await exoscope(inProcess: ["report", "--database", database, "-o", report.path])
        #expect(reported.standardOutput == "Report of NSCLC-EXO-DEMO: \(report.path)\n")
        #expect(try String(contentsOf: report, encoding: .utf8).contains("NSCLC-EXO-DEMO"))
        #expect(
            await exoscope(inProcess: ["status", "--database", copy.appendingPathComponent("none").path]).status == 66)
    }

    /// `run` on a copy of the demo: nothing changed, the report written where asked.
    @Test func runReportsAnUnchangedStudy() async throws {
        let copy = try await SharedDemo.copy()
        let report = copy.appendingPathComponent("report.html")
        let result = try #require(
            try await exoscope(inProcess: [
                "run", copy.appendingPathComponent("study").path, "--database",
                copy.appendingPathComponent("exoscope.sqlite").path, "--report", report.path, "--json",
            ]).json() as? [String: Any])
        #expect(result["importOutcome"] as? String == "unchanged")
        #expect(FileManager.default.fileExists(atPath: report.path))
    }

    /// `alerts` lists the demo's progression alerts; `alerts acknowledge` closes one, audited with the actor.
    @Test func alertsListAndAcknowledge() async throws {
        let copy = try await SharedDemo.copy()
        let place = [
            "--study", copy.appendingPathComponent("study").path, "--database",
            copy.appendingPathComponent("exoscope.sqlite").path,
        ]
        let listed = await exoscope(inProcess: ["alerts"] + place)
        #expect(listed.status == 0)
        #expect(listed.lines.first == "id\tkind\tpatient\tsample\traised\tstatus\tevidence")
        let first = try #require(listed.rows.first)
        #expect(first["status"] == "open" && first["kind"] == "progression")
        let id = try #require(first["id"])
        let acknowledged = await exoscope(
            inProcess: ["alerts", "acknowledge", id, "--note", "seen at the board"] + place)
        #expect(acknowledged.status == 0 && acknowledged.standardOutput.hasPrefix("alert \(id) acknowledged by "))
        let open = await exoscope(inProcess: ["alerts"] + place)
        #expect(open.rows.count == listed.rows.count - 1)
        let all = try #require(
            try await exoscope(inProcess: ["alerts", "--all", "--json"] + place).json() as? [[String: Any]])
        #expect(all.count == listed.rows.count)
    }

    /// `init` writes the templates once; again it refuses (73).
    @Test func initWritesTemplatesOnce() async throws {
        let folder = try Fixture.temporaryDirectory().appendingPathComponent("new-study")
        let created = await exoscope(inProcess: ["init", folder.path, "--id", "NEW-1"])
        #expect(created.status == 0)
        let yaml = try String(contentsOf: folder.appendingPathComponent("study.yaml"), encoding: .utf8)
        #expect(yaml.contains("id: NEW-1"))
        #expect(await exoscope(inProcess: ["validate", folder.path]).status == 0)
        #expect(await exoscope(inProcess: ["init", folder.path]).status == 73)
    }

    /// A simulated chip run streamed into `live ingest` in process: every reading acknowledged, the run finished;
    /// `watch --once` imports nothing from an empty folder and the finished export of a second run from a full one.
    @Test func chipSimulateLiveIngestAndWatch() async throws {
        let folder = try LiveCommandTests.study()
        let simulated = await exoscope(inProcess: ["chip", "simulate", "--study", folder.path, "--seed", "5"])
        #expect(simulated.status == 0)
        // The layout, 26 wells (one no-template control per target, 12 samples × 2 targets) × 45 cycles, the end.
        let expectedLines = 1 + 26 * 45 + 1
        #expect(simulated.standardOutput.split(separator: "\n").count == expectedLines)
        let ingested = await exoscope(
            inProcess: ["live", "ingest", "--study", folder.path], input: Array(simulated.standardOutput.utf8))
        #expect(ingested.status == 0, "\(ingested.standardError)")
        #expect(ingested.standardOutput.contains("\"type\":\"finished\""))
        let readings = 26 * 45
        #expect(ingested.standardError.contains("live: \(readings) readings stored, 0 duplicates"))
        let inbox = try Fixture.temporaryDirectory("exoscope-inprocess-inbox")
        let watched = await exoscope(inProcess: [
            "watch", inbox.path, "--study", folder.path, "--once", "--settle", "0",
        ])
        #expect(watched.status == 0 && watched.standardOutput.isEmpty)
        // A finished run exported into the folder is imported and analysed; --json prints what the scan did.
        let rdml = inbox.appendingPathComponent("CHIP-9.rdml").path
        let exported = await exoscope(inProcess: [
            "chip", "simulate", "--study", folder.path, "--seed", "9", "--rdml", rdml,
        ])
        #expect(exported.status == 0)
        let imported = try #require(
            try await exoscope(inProcess: [
                "watch", inbox.path, "--study", folder.path, "--once", "--settle", "0", "--json",
            ]).json() as? [String: Any])
        #expect(imported["imported"] as? [String] == ["CHIP-9.rdml"])
        let summary = try #require(imported["summary"] as? [String: Any])
        #expect(summary["studyID"] as? String == "LIVE-CLI" && summary["samples"] as? Int == 12)
    }

    // MARK: - usage errors

    /// Each usage error exits 64, whether argument-parser or the operation finds it.
    @Test(arguments: [
        ["validate", "--no-such-flag"],
        ["stats", "roc"],
        ["stats", "roc", InProcessCommandTests.aSAH, "--label", "outcome", "--case", "Poor", "--direction", "up"],
        ["stats", "roc", InProcessCommandTests.aSAH, "--label", "outcome", "--case", "Poor", "--features", "outcome"],
        [
            "stats", "compare", InProcessCommandTests.aSAH, "--label", "outcome", "--case", "Poor", "--features",
            "s100b,s100b",
        ],
        ["stats", "de", InProcessCommandTests.aSAH, "--label", "outcome", "--case", "Poor", "--tumour", "Atlantis"],
        [
            "stats", "de", InProcessCommandTests.aSAH, "--label", "outcome", "--case", "Poor", "--counts", "--method",
            "welch",
        ],
        ["stats", "panel", InProcessCommandTests.aSAH, "--label", "outcome", "--case", "Poor", "--lock", "m.json"],
        ["stats", "associate", InProcessCommandTests.aSAH, "--by", "outcome", "--exclude", "nope"],
        ["kb", "--direction", "sideways"],
        ["kb", "import", InProcessCommandTests.aSAH, "--source", "nope", "--output", "x.json"],
        ["qpcr", "analyze", "x.rdml", "--cq-method", "ct"],
        ["dpcr", "analyze", "d.csv"],
        ["qc", "stability", "s.tsv", "--attribute", "a"],
        ["alerts", "acknowledge", "1", "--note", " "],
        ["score", "m.json", "s.tsv", "--override-qc", "because we must"],
    ])
    func usageErrorsExit64(_ arguments: [String]) async {
        let result = await exoscope(inProcess: arguments)
        #expect(result.status == 64, "\(arguments): \(result.standardError)")
    }
}
