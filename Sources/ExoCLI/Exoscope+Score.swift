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
                let result = try await ScoreOperations.score(
                    .init(
                        model: model, samples: samples, study: study,
                        databasePath: study.map {
                            database.resolvedPath(studyDirectory: URL(fileURLWithPath: $0, isDirectory: true))
                        },
                        excluded: excluded.names, overrideQC: overrideQC, actor: currentActor()))
                if outputOptions.json || format == .json {
                    try printTable(result.table, json: true)
                    return
                }
                try printTable(result.table, json: false)
                if result.refused > 0 {
                    printMessages(
                        ["\(result.refused) of \(result.scores.count) samples refused (see the refusal column)"],
                        quiet: outputOptions.quiet)
                }
            }
        }
    }
}
