import ExoTestSupport
import Foundation
import Testing

/// `workflow/Snakefile` run by Snakemake on the real FASTQ files of `../shared/data/smallrna_fastq/`: one count job
/// per sample, the gate, the merge, TMM and the import into a study.
///
/// Snakemake is `$EXOSCOPE_SNAKEMAKE` or `snakemake` on the `PATH` (`.ci/run` installs it from PyPI into a virtual
/// environment); without it, or without `../shared/data`, the test is skipped with the reason.
@Suite struct SnakemakeWorkflowTests {
    static let snakemake: URL? = {
        if let path = ProcessInfo.processInfo.environment["EXOSCOPE_SNAKEMAKE"], !path.isEmpty {
            return URL(fileURLWithPath: path)
        }
        for folder in (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":") {
            let candidate = URL(fileURLWithPath: String(folder)).appendingPathComponent("snakemake")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
        }
        return nil
    }()

    @Test(
        .enabled(if: snakemake != nil, "snakemake is not installed (set EXOSCOPE_SNAKEMAKE or put it on the PATH)"),
        .enabled(if: Fixture.sharedData != nil, "../shared/data is absent in this checkout"))
    func countsEachSampleGatesMergesAndNormalises() throws {
        let snakemake = try #require(Self.snakemake)
        let executable = try #require(Fixture.exoscopeExecutable, "the exoscope executable was not built")
        let data = try #require(Fixture.sharedData).appendingPathComponent("smallrna_fastq")
        let run = try Fixture.temporaryDirectory("exoscope-snakemake")
        // good and poor (DNApi), S1 as two "lanes" of one sample and S2 (OptimiR).
        let lines = [
            "sample\tfastq", "good\t\(data.path)/dnapi/good_50k.fq.gz", "poor\t\(data.path)/dnapi/poor_50k.fq.gz",
            "plasma1\t\(data.path)/optimir/S1.fq.gz", "plasma1\t\(data.path)/optimir/S1.fq.gz",
            "plasma2\t\(data.path)/optimir/S2.fq.gz",
        ]
        try Data((lines.joined(separator: "\n") + "\n").utf8).write(to: run.appendingPathComponent("samples.tsv"))
        // The study the merged matrix is imported into: its study.yaml names the matrix the workflow writes.
        let study = run.appendingPathComponent("study")
        try FileManager.default.createDirectory(at: study, withIntermediateDirectories: true)
        try Data(
            """
            schema: 1
            id: COHORT
            title: Four public small-RNA libraries
            specimen: plasma
            measurements:
              - file: data/counts.tsv
                assay: small-RNA-seq
                unit: counts

            """.utf8
        ).write(to: study.appendingPathComponent("study.yaml"))
        try Data(
            "sample_id\tpatient_id\tgroup\ngood\tP1\tcontrol\npoor\tP2\tcontrol\nplasma1\tP3\tcase\nplasma2\tP4\tcase\n"
                .utf8
        ).write(to: study.appendingPathComponent("samples.tsv"))
        let process = Process()
        process.executableURL = snakemake
        process.arguments = [
            "--snakefile", Fixture.repositoryRoot.appendingPathComponent("workflow/Snakefile").path, "--directory",
            run.path, "--cores", "2", "--quiet", "--config", "samples=samples.tsv", "exoscope=\(executable.path)",
            "gate=600", "study=\(study.path)", "database=\(run.path)/results/study.sqlite",
        ]
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = errors
        try process.run()
        let log = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "\(String(decoding: log, as: UTF8.self))")

        // The gate keeps the samples with at least 600 mature-miRNA reads: poor has 2,446, plasma2 (S2) 520.
        let qc = try String(contentsOf: run.appendingPathComponent("results/qc.tsv"), encoding: .utf8)
            .split(separator: "\n").map { $0.split(separator: "\t", omittingEmptySubsequences: false) }
        let gate = try #require(qc.first?.firstIndex(of: "gate"))
        #expect(
            Dictionary(uniqueKeysWithValues: qc.dropFirst().map { (String($0[0]), String($0[gate])) }) == [
                "good": "kept", "poor": "kept", "plasma1": "kept", "plasma2": "excluded",
            ])
        let merged = try String(contentsOf: run.appendingPathComponent("results/counts.tsv"), encoding: .utf8)
        #expect(merged.hasPrefix("mirna\tgood\tplasma1\tpoor\n"))
        // plasma1 is S1 read twice (two lanes): every count doubles S1's (hsa-miR-4433b-3p: 590 in S1).
        let row = merged.split(separator: "\n").first { $0.hasPrefix("hsa-miR-4433b-3p\t") }
        #expect(row == "hsa-miR-4433b-3p\t0\t1180\t0")
        let factors = try String(contentsOf: run.appendingPathComponent("results/factors.tmm.tsv"), encoding: .utf8)
        #expect(factors.split(separator: "\n").count == 4)
        // The import step: the merged matrix ran through the study's pipeline (plasma2, gated out, has no counts).
        let summary = try #require(
            try JSONSerialization.jsonObject(with: Data(contentsOf: run.appendingPathComponent("results/study.json")))
                as? [String: Any])
        #expect(summary["importOutcome"] as? String == "imported")
        #expect(summary["measurements"] as? Int == (merged.split(separator: "\n").count - 1) * 3)
        let report = try String(contentsOf: run.appendingPathComponent("results/report.html"), encoding: .utf8)
        #expect(report.contains("<h2>Small-RNA sequencing</h2>"))
    }
}
