import ExoCore
import ExoDiagnosis
import ExoFormats
import ExoPipeline
import ExoQuant
import ExoStore
import ExoTestSupport
import Foundation
import Testing

/// Read counts in a study: a count matrix named in study.yaml, normalised with TMM, analysed with limma-voom and
/// ROC by the study pipeline.
@Suite struct SequencingStudyTests {
    /// A study of a count matrix: `samples` rows (id, group), the matrix file and extra study.yaml lines.
    static func study(
        _ label: String, matrix: String, named file: String = "data/counts.tsv", samples: [(String, String)],
        extra: [String] = []
    ) throws -> URL {
        let folder = try Fixture.temporaryDirectory(label)
        try FileManager.default.createDirectory(
            at: folder.appendingPathComponent("data"), withIntermediateDirectories: true)
        try matrix.write(to: folder.appendingPathComponent(file), atomically: true, encoding: .utf8)
        try
            ([
                "schema: 1", "id: SEQ", "title: Sequenced serum exosomes", "specimen: serum", "measurements:",
                "  - file: \(file)", "    assay: small-RNA-seq",
            ] + extra)
            .joined(separator: "\n").write(
                to: folder.appendingPathComponent("study.yaml"), atomically: true, encoding: .utf8)
        try (["sample_id\tpatient_id\tgroup"] + samples.map { "\($0.0)\t\($0.0)\t\($0.1)" })
            .joined(separator: "\n").appending("\n")
            .write(to: folder.appendingPathComponent("samples.tsv"), atomically: true, encoding: .utf8)
        return folder
    }

    /// GSE122488's serum-exosome miRNA table (38 samples, the GEO file as shipped: prose above the header, CR LF,
    /// miRBase 21 names) through the study pipeline: TMM factors, edgeR's filterByExpr, limma-voom's moderated t and
    /// pROC's AUC with DeLong intervals equal R's to 1e-9 (reference: `gse122488_voom_reference.R`).
    @Test func gse122488RunsThroughTMMVoomAndROC() async throws {
        guard let shared = Fixture.sharedData else {
            print("skipped: ../shared/data is absent (GSE122488's table lives there)")
            return
        }
        let folderPath = shared.appendingPathComponent(
            "exosomal_mirna_case_control/GSE122488_smallRNAseq_serum_EV")
        let table = folderPath.appendingPathComponent("GSE122488_normalized_microRNA_counts.txt")
        let ids =
            try String(contentsOf: table, encoding: .utf8).split(whereSeparator: \.isNewline)
            .first { $0.hasPrefix("miRNA\t") }.map { $0.split(separator: "\t").dropFirst().map(String.init) } ?? []
        #expect(ids.count == 38)
        let folder = try Self.study(
            "gse122488", matrix: "", named: "data/unused.tsv",
            samples: ids.map { ($0, $0.hasPrefix("HC") ? "control" : "case") })
        // The GEO file itself, named by its absolute path in a shared data folder; older names it holds that
        // miRBase 22 dropped are kept as written (targetMap "*").
        try [
            "schema: 1", "id: GSE122488", "title: GSE122488", "specimen: serum", "tumour: glioblastoma",
            "dataFolders: [\(folderPath.path)]", "measurements:", "  - file: \(table.path)",
            "    assay: small-RNA-seq", "    unit: RPM", "targetMap:", "  \"*\": {type: other}",
        ].joined(separator: "\n").write(
            to: folder.appendingPathComponent("study.yaml"), atomically: true, encoding: .utf8)
        let store = try await SQLiteStore()
        let summary = try await Pipeline.run(
            studyDirectory: folder, store: store, databasePath: "memory",
            reportURL: folder.appendingPathComponent("report.html"), actor: "test")
        #expect(summary.measurements == 1_939 * 38)
        let reference = try Fixture.referenceRows("smallrna/gse122488_voom_reference.tsv")
        func near(_ value: Double?, _ expected: Double, _ what: String) {
            let value = value ?? .nan
            #expect(abs(value - expected) <= 1e-9 * max(1, abs(expected)), "\(what): \(value) against R's \(expected)")
        }
        // The stored count normalisation: TMM over all 38 samples.
        let normalization = try #require(try await store.result(study: "GSE122488", kind: "count-normalization"))
        let stored = try #require(
            try JSONSerialization.jsonObject(with: Data(normalization.json.utf8)) as? [String: Any])
        let samples = try #require(stored["samples"] as? [String])
        let factors = try #require(stored["factors"] as? [Double])
        for row in reference where row.first == "tmm_all" {
            near(samples.firstIndex(of: row[1]).map { factors[$0] }, Double(row[2]) ?? .nan, "TMM factor of \(row[1])")
        }
        #expect(normalization.provenance.inputHashes.count == 3)
        // Discovery: the features filterByExpr keeps, each with limma-voom's statistics and pROC's AUC.
        let biomarkers = try #require(try await store.result(study: "GSE122488", kind: "biomarkers"))
        let result = try JSONDecoder().decode(StudyBiomarkers.self, from: Data(biomarkers.json.utf8))
        let rows = reference.filter { $0.first == "voom" }
        #expect(result.cases == 22 && result.controls == 16)
        #expect(result.markers.count == rows.count)
        let markers = Dictionary(uniqueKeysWithValues: result.markers.map { ($0.feature, $0) })
        for row in rows {
            let name: String
            if case .success(let resolved) = Analyte.resolve(row[1]) {
                name = resolved.analyte.name
            } else {
                name = row[1]
            }
            let marker = try #require(markers[name], "\(name) is not among the markers")
            let expected = row.dropFirst(2).map { Double($0) ?? .nan }
            near(marker.logFC, expected[0], "\(name) logFC")
            near(marker.averageExpression, expected[1], "\(name) AveExpr")
            near(marker.t, expected[2], "\(name) t")
            near(marker.p, expected[3], "\(name) P")
            near(marker.adjustedP, expected[4], "\(name) adjusted P")
            near(marker.auc, expected[5], "\(name) AUC")
            near(marker.aucLow, expected[6], "\(name) AUC lower")
            near(marker.aucHigh, expected[7], "\(name) AUC upper")
        }
        let prior = try #require(Fixture.referenceNumbers(reference, "prior", "df_s2"))
        near(result.priorDF, prior[0], "prior df")
        near(result.priorVariance, prior[1], "prior variance")
        #expect(biomarkers.provenance.parameters["de"] == "limma-voom moderated t, BH")
    }

    /// A count matrix whose header or rows do not fit the study: each problem with its file, line, column and hint,
    /// all at once, and nothing imported.
    @Test func countMatrixProblemsAreReportedWithTheirPlace() async throws {
        let matrix = [
            "mirna\tS1\tS2\tS9",
            "hsa-miR-21-5p\t10\t12\t3",
            "miR-21\t1\t2\t3",
            "hsa-miR-99999\t1\t1\t1",
            "hsa-miR-16-5p\t4\t-2\t5",
            "let-7a-5p/hsa-let-7c-5p\t7\t0\t1",
        ].joined(separator: "\n")
        let folder = try Self.study("count-errors", matrix: matrix, samples: [("S1", "case"), ("S2", "control")])
        let store = try await SQLiteStore()
        let thrown = await #expect(throws: InputErrorList.self) {
            _ = try await Pipeline.run(
                studyDirectory: folder, store: store, databasePath: "memory",
                reportURL: folder.appendingPathComponent("report.html"), actor: "test")
        }
        let messages = thrown?.errors.map { "\($0.location.description): \($0.message)" } ?? []
        #expect(
            messages == [
                "data/counts.tsv:5:17: expected a count of 0 or more, found '-2'"
            ], "a count the matrix cannot hold stops the file before its names are read")
        // Without the negative count, the names and columns are checked.
        try matrix.replacingOccurrences(of: "\t-2\t", with: "\t2\t").write(
            to: folder.appendingPathComponent("data/counts.tsv"), atomically: true, encoding: .utf8)
        let errors = try #require(#expect(throws: InputErrorList.self) { _ = try Pipeline.validate(folder) })
        #expect(
            errors.errors.map { "\($0.location.description): \($0.message)" } == [
                "data/counts.tsv:1:13: sample column 'S9' is not a sample_id of the sample sheet",
                "data/counts.tsv:3:1: feature 'miR-21' is hsa-miR-21-5p, already counted on line 2",
                "data/counts.tsv:4:1: unknown analyte 'hsa-miR-99999': not a miRBase release 22 miRNA, lncRNA or circRNA name",
            ])
        #expect(errors.errors[0].hint?.contains("sampleMap: {S9: <sample_id>}") == true)
        #expect(try await store.status().studies.isEmpty)
        // Mapped away, the same file imports: S9 left out, the unknown name kept as written.
        try
            (try String(contentsOf: folder.appendingPathComponent("study.yaml"), encoding: .utf8)
            + "\nsampleMap: {S9: ~}\ntargetMap:\n  miR-21: {analyte: miR-21-3p}\n  \"*\": {type: other}\n")
            .write(to: folder.appendingPathComponent("study.yaml"), atomically: true, encoding: .utf8)
        let study = try Pipeline.validate(folder)
        #expect(study.measurements.count == 10)
        // smallrna count's multi-names (reads fitting several miRNAs equally) are one miRNA, each part resolved.
        #expect(
            Set(study.measurements.map(\.analyte.name)) == [
                "hsa-miR-21-5p", "hsa-miR-21-3p", "hsa-miR-99999", "hsa-miR-16-5p", "hsa-let-7a-5p/hsa-let-7c-5p",
            ])
        #expect(study.measurements.allSatisfy { $0.assay == .smallRNASeq && $0.unit == .counts })
    }

    /// A study of FASTQ files: `reads` lines under `sequencing: reads:`, the sample sheet's rows, and the fixture
    /// files copied into `reads/`.
    static func readsStudy(_ label: String, reads: [String], samples: [(String, String)], extra: [String] = [])
        throws -> URL
    {
        let folder = try Fixture.temporaryDirectory(label)
        let readsFolder = folder.appendingPathComponent("reads")
        try FileManager.default.createDirectory(at: readsFolder, withIntermediateDirectories: true)
        for name in ["good_12.fq", "good_12.fq.gz", "good_12.multi.fq.gz", "good_12.bgzf.fq.gz"] {
            try FileManager.default.copyItem(
                at: Fixture.url("smallrna/\(name)"), to: readsFolder.appendingPathComponent(name))
        }
        try
            ([
                "schema: 1", "id: READS", "title: Reads", "specimen: plasma", "sequencing:", "  adapter: truseq",
                "  reads:",
            ] + reads.map { "    \($0)" } + extra)
            .joined(separator: "\n").write(
                to: folder.appendingPathComponent("study.yaml"), atomically: true, encoding: .utf8)
        try (["sample_id\tpatient_id\tgroup"] + samples.map { "\($0.0)\tP-\($0.0)\t\($0.1)" })
            .joined(separator: "\n").appending("\n")
            .write(to: folder.appendingPathComponent("samples.tsv"), atomically: true, encoding: .utf8)
        return folder
    }

    /// FASTQ files named per sample (plain, gzip, and two lanes of multi-member gzip and bgzip) are counted at
    /// import with `smallrna count`'s engine: the stored counts equal the command's, every read has one fate, the
    /// files are recorded by SHA-256, and a second run counts nothing again.
    @Test func fastqFilesAreCountedIntoTheStudy() async throws {
        let folder = try Self.readsStudy(
            "reads-study",
            reads: [
                "A: reads/good_12.fq", "B: reads/good_12.fq.gz",
                "C: [reads/good_12.multi.fq.gz, reads/good_12.bgzf.fq.gz]",
            ],
            samples: [("A", "case"), ("B", "control"), ("C", "case")])
        let store = try await SQLiteStore()
        let summary = try await Pipeline.run(
            studyDirectory: folder, store: store, databasePath: "memory",
            reportURL: folder.appendingPathComponent("report.html"), actor: "test")
        #expect(summary.files == 6)
        // The command on the same files, as the reference for the wiring.
        var request = SmallRNAOperations.CountRequest(
            files: ["good_12.fq", "good_12.fq.gz", "good_12.multi.fq.gz", "good_12.bgzf.fq.gz"].map {
                folder.appendingPathComponent("reads/\($0)").path
            })
        request.samples = ["A", "B", "C", "C"]
        request.adapter = "truseq"
        let command = try SmallRNAOperations.count(request)
        let measurements = try await store.measurements(study: "READS")
        for sample in command.samples {
            let stored = measurements.filter { $0.sample.rawValue == sample.sample && ($0.value ?? 0) > 0 }
            #expect(
                Dictionary(uniqueKeysWithValues: stored.map { ($0.analyte.name, Int($0.value ?? 0)) })
                    == sample.miRNAs.filter { $0.value > 0 }, "sample \(sample.sample)")
            #expect(stored.allSatisfy { $0.assay == .smallRNASeq && $0.unit == .counts })
        }
        let qc = try #require(try await store.result(study: "READS", kind: "sequencing-qc"))
        let records = try #require(
            (try JSONSerialization.jsonObject(with: Data(qc.json.utf8)) as? [String: Any])?["samples"]
                as? [[String: Any]])
        #expect(records.map { $0["sample"] as? String } == ["A", "B", "C"])
        for record in records {
            let reads = try #require(record["reads"] as? Int)
            let fates = try #require(record["fates"] as? [String: Int])
            #expect(fates.values.reduce(0, +) == reads)
            #expect(reads == (record["sample"] as? String == "C" ? 24 : 12))
        }
        #expect(qc.provenance.inputHashes["reads/good_12.bgzf.fq.gz"] != nil)
        let html = try String(contentsOf: folder.appendingPathComponent("report.html"), encoding: .utf8)
        #expect(html.contains("<h2>Small-RNA sequencing</h2>") && html.contains("Read fates"))
        // Unchanged files: nothing is counted or imported again.
        let again = try await Pipeline.run(
            studyDirectory: folder, store: store, databasePath: "memory",
            reportURL: folder.appendingPathComponent("report.html"), actor: "test")
        #expect(again.importOutcome == "unchanged")
    }

    /// FASTQ entries that cannot be counted: each a placed error, all at once, and nothing imported.
    @Test func badSequencingEntriesAreReportedAndNothingIsImported() async throws {
        let folder = try Self.readsStudy(
            "reads-errors",
            reads: [
                "A: reads/good_12.fq", "B: reads/good_12.fq", "X: reads/good_12.fq.gz", "C: reads/missing.fq.gz",
                "D: ../outside.fq.gz",
            ],
            samples: [("A", "case"), ("B", "control"), ("C", "case"), ("D", "control")])
        let errors = try #require(#expect(throws: InputErrorList.self) { _ = try Pipeline.validate(folder) })
        #expect(
            errors.errors.map { "\($0.location.description): \($0.message)" } == [
                "study.yaml:9:8: FASTQ file 'reads/good_12.fq' is named for samples 'A' and 'B'",
                "study.yaml:10:8: sequenced sample 'X' is not a sample_id of the sample sheet",
                "study.yaml:11:8: FASTQ file 'reads/missing.fq.gz' of sample 'C' does not exist or cannot be read",
                "study.yaml:12:8: path '../outside.fq.gz' leads outside the study folder",
            ])
        // A gzip file cut short: the import stops with the file's own error and stores nothing.
        let cut = try [UInt8](Data(contentsOf: folder.appendingPathComponent("reads/good_12.fq.gz"))).prefix(300)
        try Data(cut).write(to: folder.appendingPathComponent("reads/cut.fq.gz"))
        try
            ([
                "schema: 1", "id: READS", "title: Reads", "specimen: plasma", "sequencing:", "  reads:",
                "    A: reads/good_12.fq", "    B: reads/cut.fq.gz",
            ])
            .joined(separator: "\n").write(
                to: folder.appendingPathComponent("study.yaml"), atomically: true, encoding: .utf8)
        let store = try await SQLiteStore()
        let thrown = await #expect(throws: InputErrorList.self) {
            _ = try await Pipeline.run(
                studyDirectory: folder, store: store, databasePath: "memory",
                reportURL: folder.appendingPathComponent("report.html"), actor: "test")
        }
        #expect(
            thrown?.errors.first?.message
                == "gzip data damaged at compressed byte offset 300: the file ends inside member 1: it was cut off while being copied or written"
        )
        #expect(try await store.status().studies.isEmpty)
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("report.html").path))
        // An adapter that is neither a kit nor a sequence.
        try
            ([
                "schema: 1", "id: READS", "title: Reads", "specimen: plasma", "sequencing:", "  adapter: TruSeqXL",
                "  reads:", "    A: reads/good_12.fq",
            ])
            .joined(separator: "\n").write(
                to: folder.appendingPathComponent("study.yaml"), atomically: true, encoding: .utf8)
        let adapter = await #expect(throws: InputErrorList.self) {
            _ = try await Pipeline.run(
                studyDirectory: folder, store: store, databasePath: "memory",
                reportURL: folder.appendingPathComponent("report.html"), actor: "test")
        }
        #expect(adapter?.errors.first?.location.description == "study.yaml:6:3")
        #expect(
            adapter?.errors.first?.message.hasPrefix(
                "sequencing: adapter 'TruSeqXL' is neither a kit nor an adapter sequence") == true)
        #expect(try await store.status().studies.isEmpty)
    }

    /// Normalised read counts as the monitoring scale.
    ///
    /// Log2 CPM of serial samples, judged against reference change values whose analytical SD comes from counting
    /// (1 / (ln 2 · √median count)). miR-21 halves twice in P1 and doubles twice in P2 (lower is better, set in
    /// study.yaml); P3 stays within 5 %.
    @Test func normalisedCountsAreAMonitoringScale() async throws {
        let patients = [
            ("P1", [4_000.0, 2_000, 1_000]), ("P2", [1_000.0, 2_000, 4_000]), ("P3", [2_000.0, 2_100, 1_950]),
        ]
        let samples = patients.flatMap { patient in (1...3).map { "\(patient.0)-V\($0)" } }
        // Thirty steady miRNAs make up the libraries (and TMM's factors), with small differences between samples.
        let steady = [
            "hsa-let-7a-5p", "hsa-let-7b-5p", "hsa-let-7c-5p", "hsa-let-7d-5p", "hsa-let-7e-5p", "hsa-let-7f-5p",
            "hsa-let-7g-5p", "hsa-let-7i-5p", "hsa-miR-16-5p", "hsa-miR-92a-3p", "hsa-miR-451a", "hsa-miR-486-5p",
            "hsa-miR-25-3p", "hsa-miR-423-5p", "hsa-miR-223-3p", "hsa-miR-126-3p", "hsa-miR-150-5p", "hsa-miR-142-3p",
            "hsa-miR-191-5p", "hsa-miR-23a-3p", "hsa-miR-122-5p", "hsa-miR-10a-5p", "hsa-miR-181a-5p", "hsa-miR-26a-5p",
            "hsa-miR-30d-5p", "hsa-miR-103a-3p", "hsa-miR-107", "hsa-miR-148a-3p", "hsa-miR-320a-3p", "hsa-miR-27b-3p",
        ]
        var rows = ["mirna\t" + samples.joined(separator: "\t")]
        rows.append("hsa-miR-21-5p\t" + patients.flatMap { $0.1 }.map { String(Int($0)) }.joined(separator: "\t"))
        for (index, name) in steady.enumerated() {
            rows.append(
                name + "\t"
                    + samples.indices.map { String(5_000 + 37 * ((index * 7 + $0 * 3) % 11)) }.joined(separator: "\t"))
        }
        let sheet = patients.flatMap { patient in
            zip([0, 28, 56], 1...3).map { day, visit in "\(patient.0)-V\(visit)\t\(patient.0)\tcase\t\(day)" }
        }
        let folder = try Self.study(
            "count-monitoring", matrix: rows.joined(separator: "\n") + "\n", samples: [],
            extra: [
                "analytes:", "  monitored: [miR-21]", "monitoring:", "  withinSubjectSD: 0.2",
                "  direction: {miR-21: lower-is-better}",
            ])
        try (["sample_id\tpatient_id\tgroup\tday"] + sheet).joined(separator: "\n").appending("\n")
            .write(to: folder.appendingPathComponent("samples.tsv"), atomically: true, encoding: .utf8)
        let store = try await SQLiteStore()
        _ = try await Pipeline.run(
            studyDirectory: folder, store: store, databasePath: "memory",
            reportURL: folder.appendingPathComponent("report.html"), actor: "test")
        let stored = try #require(try await store.result(study: "SEQ", kind: "monitoring"))
        let result = try #require(try JSONSerialization.jsonObject(with: Data(stored.json.utf8)) as? [String: Any])
        let calls = try #require(result["patients"] as? [[String: Any]]).map { patient in
            (
                patient["patient"] as? String ?? "",
                ((patient["calls"] as? [[String: Any]])?.last?["call"] as? String) ?? ""
            )
        }
        #expect(
            calls.map { "\($0.0): \($0.1)" } == [
                "P1: molecular response", "P2: molecular progression", "P3: stable",
            ])
        // The median of miR-21's nine counts is 2,000 (TMM factors move the effective libraries, not the counts).
        let sd = try #require((result["analyticalSD"] as? [String: Double])?["hsa-miR-21-5p"])
        #expect(abs(sd - 1 / (log(2) * 2_000.0.squareRoot())) < 1e-9)
        #expect(stored.provenance.parameters["values"]?.hasPrefix("log2 CPM (TMM") == true)
    }
}
