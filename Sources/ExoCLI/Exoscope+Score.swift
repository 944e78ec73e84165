import ArgumentParser
import ExoCore
import ExoDiagnosis
import ExoFormats
import ExoKnowledge
import ExoPipeline
import ExoStats
import ExoStore
import Foundation

extension Exoscope {
    /// Applies a locked model to new samples.
    struct Score: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "score",
            abstract: "Apply a locked diagnostic model to new samples: probability, interval and call, or a refusal.",
            discussion: """
                MODEL is a locked model (`exoscope stats panel … --lock`). SAMPLES is tab-separated (comma for
                .csv): a `sample` column, a `specimen` column, a `qc` column (pass or fail) when the model requires
                QC, and one column per analyte, prepared as the model's normalisation states. Columns: sample,
                probability, low, high, call, near_cut, refusal, qc_override. The model is refused whole when its content no
                longer matches its SHA-256 or a newer ExoScope wrote it; a sample is refused when it lacks an
                analyte, is of another specimen or did not pass QC. near_cut is true when the interval contains the
                cut-point.

                With --study, each sample's EV-QC verdict stored for that study (exoscope run) decides its QC status,
                and stands in for a missing qc column. --override-qc REASON scores samples that failed QC anyway; the
                reason goes into the qc_override column and, with the model, the samples and the actor, into the
                study's audit log. An override therefore needs --study.
                """)

        @Argument(help: "The locked model (JSON).", completion: .file())
        var model: String

        @Argument(help: "The samples to score.", completion: .file())
        var samples: String

        @Option(
            help: "A study folder whose stored EV-QC verdicts decide each sample's QC status.", completion: .directory)
        var study: String?

        @OptionGroup var database: DatabaseOptions

        @OptionGroup var excluded: ExcludedColumnsOption

        @Option(
            name: .customLong("override-qc"),
            help: "Score samples that failed QC anyway, for this stated reason (audited).")
        var overrideQC: String?

        @Option(help: "Output format: tsv or json.")
        var format: OutputFormat = .tsv

        @OptionGroup var outputOptions: OutputOptions

        func validate() throws {
            if let overrideQC {
                guard study != nil else {
                    throw ValidationError(
                        "--override-qc needs --study: the override is recorded in the study's audit log.")
                }
                guard overrideQC.trimmingCharacters(in: .whitespaces).count >= 10 else {
                    throw ValidationError("--override-qc needs a stated reason of at least 10 characters.")
                }
            }
        }

        func run() async throws {
            try await withUserFacingErrors(debug: outputOptions.debug) {
                let locked = try LockedModel(contentsOf: URL(fileURLWithPath: model), displayPath: model)
                // Other text columns (a patient pseudonym, a site) are sample information, not analytes.
                let data = try MatrixColumnSelection.read(
                    samples, label: nil, textColumns: LockedModel.annotationColumns, excluded: excluded.names)
                var preparationQC: [String: Bool]?
                var audit: (store: SQLiteStore, studyID: String)?
                if let study {
                    let directory = URL(fileURLWithPath: study, isDirectory: true)
                    let path = database.resolvedPath(studyDirectory: directory)
                    // The study's database must exist: opening a missing one would create it empty.
                    guard FileManager.default.fileExists(atPath: path) else {
                        throw InputErrorList([
                            InputError(
                                .fileNotFound, at: InputLocation(path: path),
                                "no database \(InputError.quoted(path)) for the study",
                                hint: "run 'exoscope run \(study)' first, or give the --database it used")
                        ])
                    }
                    let store = try await SQLiteStore(path: path)
                    let stored = try await Pipeline.preparationQC(study: directory, store: store)
                    preparationQC = stored.verdicts
                    audit = (store, stored.studyID)
                }
                let scores = try locked.score(data, preparationQC: preparationQC, qcOverride: overrideQC)
                let overridden = scores.filter { $0.qcOverride != nil }.map(\.sample)
                if let overrideQC, let audit, !overridden.isEmpty {
                    let detail: [String: String] = [
                        "model": "\(locked.name) (sha256 \((locked.sha256 ?? "").prefix(16)))",
                        "samples": overridden.joined(separator: ", "),
                        "reason": overrideQC,
                    ]
                    let encoder = JSONEncoder()
                    encoder.outputFormatting = [.sortedKeys]
                    try await audit.store.recordAudit(
                        actor: currentActor(), action: "override-qc", entity: "\(audit.studyID)/score",
                        detail: String(decoding: try encoder.encode(detail), as: UTF8.self))
                }
                if outputOptions.json || format == .json {
                    try printJSON(scores)
                    return
                }
                var output = "sample\tprobability\tlow\thigh\tcall\tnear_cut\trefusal\tqc_override\n"
                for score in scores {
                    output += score.sample + "\t" + TSV.number(score.probability) + "\t" + TSV.number(score.low) + "\t"
                    output += TSV.number(score.high) + "\t" + (score.call ?? "") + "\t"
                    output += (score.nearCut.map { String($0) } ?? "") + "\t" + (score.refusal ?? "") + "\t"
                    output += (score.qcOverride ?? "") + "\n"
                }
                FileHandle.standardOutput.write(Data(output.utf8))
                let refused = scores.filter { $0.refusal != nil }.count
                if refused > 0, !outputOptions.quiet {
                    FileHandle.standardError.write(
                        Data("\(refused) of \(scores.count) samples refused (see the refusal column)\n".utf8))
                }
            }
        }
    }
}
