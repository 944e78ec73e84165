import ArgumentParser
import ExoCore
import ExoFormats
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

        struct Row: Encodable {
            var file, capture, software: String
            var captures: Int
            var dilution: Double?
            var summary: SizeSummary
            var warnings: [String]
        }

        /// How many files ahead the kernel is asked to read.
        static let readAhead = 16

        /// Asks the kernel to start reading a file into the page cache (`posix_fadvise` WILLNEED on Linux); a
        /// hint only, and nothing where the call does not exist (macOS has no `posix_fadvise`).
        static func prefetch(_ path: String) {
            #if os(Linux)
                let descriptor = open(path, O_RDONLY)
                guard descriptor >= 0 else { return }
                _ = posix_fadvise(descriptor, 0, 0, POSIX_FADV_WILLNEED)
                close(descriptor)
            #endif
        }

        /// The rows of one file: its average, or one per capture.
        static func rows(file: String, range: ClosedRange<Double>, captures: Bool) throws(InputErrorList) -> [Row] {
            let export = try ParticleSizeExport.read(url: URL(fileURLWithPath: file), displayPath: file)
            let warnings = export.warningTexts
            guard !captures else {
                return export.captures.enumerated().map { index, capture in
                    Row(
                        file: file, capture: capture, software: export.software, captures: 1, dilution: export.dilution,
                        summary: SizeSummary(capture: index, of: export, range: range),
                        warnings: warnings.filter { $0.hasPrefix(capture + ":") })
                }
            }
            return [
                Row(
                    file: file, capture: "average", software: export.software, captures: export.captures.count,
                    dilution: export.dilution, summary: SizeSummary(file: export, range: range), warnings: warnings)
            ]
        }

        /// The TSV header.
        static let header = [
            "file", "capture", "software", "captures", "dilution", "concentration_per_ml", "mean_nm", "mode_nm",
            "sd_nm", "d10_nm", "d50_nm", "d90_nm", "span", "fraction_in_range", "concentration_in_range_per_ml",
            "capture_cv", "statistics_from", "histogram_concentration_per_ml", "histogram_mean_nm",
            "histogram_mode_nm", "histogram_sd_nm", "histogram_d10_nm", "histogram_d50_nm", "histogram_d90_nm",
            "warnings",
        ]

        /// One TSV line, in the order of `header`.
        static func line(_ row: Row) -> String {
            let s = row.summary
            let h = s.histogram
            return [
                row.file, row.capture, row.software, String(row.captures), TSV.number(row.dilution),
                TSV.number(s.concentration), TSV.number(s.mean), TSV.number(s.mode), TSV.number(s.sd),
                TSV.number(s.d10), TSV.number(s.d50),
                TSV.number(s.d90), TSV.number(s.span), TSV.number(h?.fractionInRange),
                TSV.number(h?.concentrationInRange),
                TSV.number(s.captureCV), s.source.rawValue, TSV.number(h?.concentration), TSV.number(h?.mean),
                TSV.number(h?.mode),
                TSV.number(h?.sd), TSV.number(h?.d10), TSV.number(h?.d50), TSV.number(h?.d90),
                row.warnings.joined(separator: "; "),
            ].joined(separator: "\t") + "\n"
        }

        func run() async throws {
            try await withUserFacingErrors(debug: outputOptions.debug) {
                let sizeRange = try parsedRange()
                let captures = self.captures
                // Files are read and summarised on every core; the rows keep the files' order.
                let read = ConcurrentSlots<[Row]>(count: files.count)
                let failed = ConcurrentSlots<InputErrorList>(count: files.count)
                let files = self.files
                // The kernel is asked to read a few files ahead, so parsing one overlaps reading the next.
                for file in files.prefix(Self.readAhead) { Self.prefetch(file) }
                DispatchQueue.concurrentPerform(iterations: files.count) { index in
                    if index + Self.readAhead < files.count { Self.prefetch(files[index + Self.readAhead]) }
                    do {
                        read[index] = try Self.rows(file: files[index], range: sizeRange, captures: captures)
                    } catch {
                        failed[index] = error as? InputErrorList ?? InputErrorList([])
                    }
                }
                var rows: [Row] = []
                for index in files.indices {
                    if let error = failed[index] { throw error }
                    rows += read[index] ?? []
                }
                if outputOptions.json || format == .json {
                    try printJSON(rows)
                    return
                }
                var output = Self.header.joined(separator: "\t") + "\n"
                for row in rows { output += Self.line(row) }
                FileHandle.standardOutput.write(Data(output.utf8))
            }
        }
    }
}
