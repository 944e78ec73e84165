import ArgumentParser
import ExoCore
import ExoFormats
import ExoPipeline
import ExoQC
import ExoStats
import Foundation

extension ExitStatus {
    /// The command ran and the QC said no.
    ///
    /// A lot was rejected (`qc release`) or the last run of a reference material was (`qc control`). Not a sysexits
    /// code, since nothing went wrong; 1 stays an internal error and 2 what shells
    /// and many tools use for misuse, so a script tells a rejection from both (README, docs/ev-qc.md).
    static let rejected = ExitCode(3)
}

extension Exoscope.QC {
    /// Lot release against a YAML specification.
    struct Release: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "release",
            abstract: "Release or reject EV lots against a YAML specification, with every criterion's reason.",
            discussion: """
                LOTS is a characterisation table (one row per lot: lot_id, size_file, protein_ug_per_ml, rna_ng_per_ml,
                imaging, source and any read-out columns); --markers a marker table (lot_id, marker, method, result,
                signal). Prints one row per lot and criterion: lot, decision, criterion, requirement, value,
                outcome, reason, remedy. --certificate writes the release certificate as a self-contained HTML page.
                Exits 0 when every lot is released, 3 when any is rejected. docs/ev-qc.md describes the format.
                """)

        @Argument(help: "The specification (YAML).", completion: .file())
        var specification: String

        @Argument(help: "The characterisation table of the lots.", completion: .file())
        var lots: String

        @Option(help: "The marker table of the lots.", completion: .file())
        var markers: String?

        @Option(help: "The column naming each lot.")
        var key = "lot_id"

        @Option(help: "Write the release certificate (HTML) here.", completion: .file())
        var certificate: String?

        @Option(help: "Output format: tsv or json.")
        var format: OutputFormat = .tsv

        @OptionGroup var outputOptions: OutputOptions

        func run() async throws {
            try await withUserFacingErrors(debug: outputOptions.debug) {
                let result = try QCOperations.release(
                    .init(
                        specification: specification, lots: lots, markers: markers, key: key,
                        certificate: certificate))
                if outputOptions.json || format == .json {
                    try printJSON(result.assessments)
                } else {
                    try printTable(result.table, json: false)
                }
                if let summary = result.rejectionSummary {
                    printMessages([summary], quiet: outputOptions.quiet)
                    throw ExitStatus.rejected
                }
            }
        }
    }

    /// Lots from different cell sources compared on a read-out.
    struct CompareLots: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "compare-lots",
            abstract: "Compare lots by cell source on a read-out: means, Welch intervals and Hedges' g.",
            discussion: """
                LOTS is a characterisation table with a source column (MSC, dendritic-cell, NK, CAR-T, …) and the
                read-out column. The read-out may also be a computed metric (particles_per_ug, copies_per_particle,
                loading_fold, encapsulation_efficiency). Prints one row per pair of sources: first, second,
                difference, low, high, p, hedges_g, g_low, g_high (Welch's interval; Hedges' g with the exact
                small-sample correction, as metafor's escalc computes it).
                """)

        @Argument(help: "The characterisation table of the lots.", completion: .file())
        var lots: String

        @Option(help: "The read-out to compare.")
        var readout: String

        @Option(help: "The column naming each lot.")
        var key = "lot_id"

        @Option(help: "Confidence level of the intervals.")
        var level = 0.95

        @Option(help: "Output format: tsv or json.")
        var format: OutputFormat = .tsv

        @OptionGroup var outputOptions: OutputOptions

        func validate() throws {
            guard level > 0, level < 1 else { throw ValidationError("--level must lie between 0 and 1.") }
        }

        func run() async throws {
            try await withUserFacingErrors(debug: outputOptions.debug) {
                let result = try QCOperations.compareLots(
                    .init(lots: lots, readout: readout, key: key, level: level))
                if outputOptions.json || format == .json {
                    try printJSON(result.comparison)
                    return
                }
                write(result.groups.tsv() + "\n" + result.contrasts.tsv())
                if let summary = result.leftOutSummary { printMessages([summary], quiet: outputOptions.quiet) }
            }
        }
    }

    /// Levey–Jennings charts of a reference material.
    struct Control: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "control",
            abstract: "Levey–Jennings check of reference-material runs with Westgard rules.",
            discussion: """
                RUNS is a table with a run column (in run order), optional date and material columns, and one
                column per charted quantity. Mean and SD come from the first --baseline runs. Prints one row per
                run and quantity: attribute, run, value, z, rules, status (in control, warning, reject). Exits 3
                when the last run is rejected.
                """)

        @Argument(help: "The reference-material runs.", completion: .file())
        var runs: String

        @Option(help: "How many leading runs set the mean and SD.")
        var baseline = 20

        @Option(help: "Output format: tsv or json.")
        var format: OutputFormat = .tsv

        @OptionGroup var outputOptions: OutputOptions

        func validate() throws {
            guard baseline >= 2 else { throw ValidationError("--baseline must be at least 2 runs.") }
        }

        func run() async throws {
            try await withUserFacingErrors(debug: outputOptions.debug) {
                let result = try QCOperations.control(.init(runs: runs, baseline: baseline))
                if outputOptions.json || format == .json {
                    try printJSON(result.charts)
                } else {
                    try printTable(result.table, json: false)
                }
                if result.lastRunRejected { throw ExitStatus.rejected }
            }
        }
    }

    /// Shelf life from a stability study.
    struct Stability: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "stability",
            abstract: "Shelf life per storage condition by ICH Q1E (one-sided 95 % confidence bound).",
            discussion: """
                TABLE has a condition column, a months column and one column per attribute. For the --attribute
                with its --min and/or --max acceptance limits, prints per condition: condition, n, intercept, slope,
                crossing (months at which the confidence bound meets a limit), extrapolation_limit (Q1E: twice the
                data, at most 12 months beyond), shelf_life_months, set_by.
                """)

        @Argument(help: "The stability table.", completion: .file())
        var table: String

        @Option(help: "The attribute column.")
        var attribute: String

        @Option(help: "Lower acceptance limit.")
        var min: Double?

        @Option(help: "Upper acceptance limit.")
        var max: Double?

        @Option(help: "Output format: tsv or json.")
        var format: OutputFormat = .tsv

        @OptionGroup var outputOptions: OutputOptions

        func validate() throws {
            guard min != nil || max != nil else { throw ValidationError("give --min, --max or both.") }
            if let min, let max, min > max {
                throw ValidationError("contradictory limits: --min \(min) is above --max \(max).")
            }
        }

        func run() async throws {
            try await withUserFacingErrors(debug: outputOptions.debug) {
                let result = try QCOperations.stability(
                    .init(table: table, attribute: attribute, minimum: min, maximum: max))
                if let summary = result.withoutEstimateSummary { printMessages([summary], quiet: outputOptions.quiet) }
                if outputOptions.json || format == .json {
                    try printJSON(result.estimates)
                } else {
                    try printTable(result.table, json: false)
                }
            }
        }
    }
}
