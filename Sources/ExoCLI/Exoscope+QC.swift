import ArgumentParser
import ExoCore
import ExoFormats
import ExoPipeline
import ExoQC
import Foundation

extension Exoscope {
    /// EV preparation quality control.
    struct QC: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "qc", abstract: "EV preparation quality control.",
            subcommands: [NTA.self, Release.self, CompareLots.self, Control.self, Stability.self])
    }
}

extension Exoscope.QC {
    /// Size-distribution statistics of NanoSight NTA exports.
    struct NTA: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "nta",
            abstract:
                "Size distribution of NTA exports (NanoSight 3.x, ZetaView, size-bin CSV): concentration, mean, mode, D-values.",
            discussion: """
                One row per file (capture 'average'), or per capture with --captures. Columns: file, capture,
                software, captures, dilution, concentration_per_ml, mean_nm, mode_nm, sd_nm, d10_nm, d50_nm, d90_nm,
                span, fraction_in_range, concentration_in_range_per_ml, capture_cv, statistics_from,
                histogram_concentration_per_ml, histogram_mean_nm, histogram_mode_nm, histogram_sd_nm,
                histogram_d10_nm, histogram_d50_nm, histogram_d90_nm, warnings.
                concentration_per_ml to d90_nm are the instrument's printed values where the file has them
                (statistics_from 'instrument'; NanoSight NTA), the file row their mean over the captures as NTA's
                own 'Average'; otherwise the histogram's ('histogram'). The histogram_ columns and the in-range
                fraction come from the number-weighted histogram: pooled (the captures' bins averaged) on a file
                row. Concentrations are corrected for the recorded dilution; warnings are the software's own items
                that are not OK. docs/ev-qc.md compares them with the values the software printed.
                """)

        @Argument(
            help: "NanoSight ExperimentSummary.csv, ZetaView …_size_<laser>.txt or size-bin CSV files.",
            completion: .file())
        var files: [String]

        @Option(help: "The small-EV size range in nm, LOW-HIGH.")
        var range = "30-150"

        @Flag(help: "One row per capture instead of per file.")
        var captures = false

        @Option(help: "Output format: tsv or json.")
        var format: OutputFormat = .tsv

        @OptionGroup var outputOptions: OutputOptions

        func parsedRange() throws -> ClosedRange<Double> {
            let parts = range.split(separator: "-").compactMap { Double($0) }
            guard parts.count == 2, parts[0] >= 0, parts[0] < parts[1] else {
                throw ValidationError("--range is LOW-HIGH in nm with LOW < HIGH, such as 30-150.")
            }
            return parts[0]...parts[1]
        }

        func validate() throws { _ = try parsedRange() }

        func run() async throws {
            try await withUserFacingErrors(debug: outputOptions.debug) {
                let result = try QCOperations.nta(.init(files: files, range: try parsedRange(), captures: captures))
                if outputOptions.json || format == .json {
                    try printJSON(result.rows)
                } else {
                    try printTable(result.table, json: false)
                }
            }
        }
    }
}
