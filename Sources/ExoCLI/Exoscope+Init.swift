import ArgumentParser
import Foundation

extension Exoscope {
    /// Scaffolds an empty study folder with commented templates.
    struct Init: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create a study folder with a study.yaml, a sample sheet and a measurement file to fill in.")

        @Argument(help: "The folder to create.", completion: .directory)
        var folder: String

        @Option(help: "Study id (letters, digits, '.', '_', '-').")
        var id: String?

        @OptionGroup var outputOptions: OutputOptions

        func run() async throws {
            try await withUserFacingErrors(debug: outputOptions.debug) {
                let url = URL(fileURLWithPath: folder, isDirectory: true).standardizedFileURL
                let studyID =
                    id ?? url.lastPathComponent.filter { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" }
                guard !FileManager.default.fileExists(atPath: url.appendingPathComponent("study.yaml").path) else {
                    throw CLIError(
                        message: "'\(folder)/study.yaml' already exists; init never overwrites a study",
                        code: ExitStatus.cannotCreate)
                }
                let files = StudyTemplate.files(id: studyID.isEmpty ? "MY-STUDY" : studyID)
                do {
                    for (path, contents) in files {
                        let fileURL = url.appendingPathComponent(path)
                        try FileManager.default.createDirectory(
                            at: fileURL.deletingLastPathComponent(), withIntermediateDirectories: true)
                        try Data(contents.utf8).write(to: fileURL, options: .withoutOverwriting)
                    }
                } catch {
                    throw CLIError(
                        message: "cannot create '\(folder)': \(error.localizedDescription)",
                        code: ExitStatus.cannotCreate)
                }
                if outputOptions.json {
                    try printJSON(["folder": url.path, "files": files.map(\.path).joined(separator: ",")])
                } else if !outputOptions.quiet {
                    print("Created \(url.path) with \(files.map(\.path).joined(separator: ", ")).")
                    print("Fill in the sample sheet, then: exoscope validate \(folder)")
                }
            }
        }
    }
}

/// The files `exoscope init` writes.
enum StudyTemplate {
    static func files(id: String) -> [(path: String, contents: String)] {
        [
            (
                "study.yaml",
                """
                # ExoScope study definition. Every key is documented in docs/study-format.md.
                schema: 1
                id: \(id)
                title: My exosome study
                description: What the study is about, in a sentence or two.
                tumour: NSCLC
                specimen: serum            # default for rows whose specimen is empty
                sampleSheet: samples.tsv
                treatmentEvent: treatment start
                measurements:
                  - file: data/qpcr-cq.tsv
                    assay: qPCR
                    unit: Cq
                analytes:
                  monitored: [hsa-miR-21-5p]
                  spikeIns: [cel-miR-39-3p]
                  references: [hsa-miR-16-5p]

                """
            ),
            (
                "samples.tsv",
                "sample_id\tpatient_id\tgroup\tspecimen\tcollection_date\tday\ttimepoint\tstage\tmetastasis\tisolation_method\tinput_volume_ml\n"
                    + "P001-S1\tP001\tcase\tserum\t2025-01-06\t0\tbaseline\tIIIA\tno\tsize-exclusion-chromatography\t1.0\n"
                    + "H001-S1\tH001\tcontrol\tserum\t2025-01-07\t\tdiagnosis\t\t\tsize-exclusion-chromatography\t1.0\n"
            ),
            (
                "data/qpcr-cq.tsv",
                "sample_id\tanalyte\treplicate\tvalue\n"
                    + "P001-S1\thsa-miR-21-5p\t1\t25.31\nH001-S1\thsa-miR-21-5p\t1\t26.40\n"
                    + "P001-S1\tcel-miR-39-3p\t1\t20.12\nH001-S1\tcel-miR-39-3p\t1\t20.05\n"
                    + "P001-S1\thsa-miR-16-5p\t1\t22.10\nH001-S1\thsa-miR-16-5p\t1\t21.95\n"
            ),
        ]
    }
}
