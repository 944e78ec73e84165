import ArgumentParser
import ExoCore
import ExoFormats
import ExoPipeline
import ExoQuant
import Foundation

extension Exoscope {
    /// qPCR analyses on bare files.
    struct QPCR: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "qpcr",
            abstract: "qPCR curve analysis: baseline, efficiency, Cq and N0 from raw fluorescence.",
            subcommands: [Analyze.self, Cq.self])
    }
}

extension Exoscope.QPCR {
    /// LinRegPCR on every run of RDML files, one row per reaction and target.
    struct Analyze: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Analyse the amplification curves of RDML files (LinRegPCR) and print one row per reaction.",
            discussion: """
                Besides RDML, a LightCycler 480 raw data export (.txt, recognised by its SamplePos … Cycle# header) is
                read as one run; a LightCycler 480 sample information file given with it (recognised by its
                General:Pos header, named after the raw data file, or the only one beside a single raw data file)
                supplies sample names, targets and sample roles.

                Columns: file, run, well, sample, sample_type, target, cq, efficiency, n0, amplified, flags, then
                mean_efficiency, r2, baseline, window_points, ncopy, indiv_ncopy, ncopy_assumes. cq is LinRegPCR's Cq
                with the target's mean efficiency at the run's common threshold; efficiency is the curve's own
                amplification factor per cycle (2 = doubling); n0 is in fluorescence units. With --cq-method td0, cq is
                TD0, the efficiencies come from the baseline section, and ncopy is RDML-Tools' modelled starting copy
                number (N_ampli / E^TD0; ncopy_assumes lists the chemistry inputs the file did not state and the
                defaults used). Empty fields could not be determined.
                """)

        @Argument(
            help: "RDML files (.rdml, or bare RDML XML), or LightCycler 480 raw data and sample information exports.",
            completion: .file(extensions: ["rdml", "xml", "txt"]))
        var files: [String]

        @Option(
            help:
                """
                Cq definition: threshold (LinRegPCR 1.7.2 common threshold, the default), sdm (second-derivative \
                maximum) or td0 (RDML-Tools TD0, with the efficiency, baseline and R² of its baseline section).
                """
        )
        var cqMethod: CqMethod = .threshold

        @Option(help: "Output format: tsv or json.")
        var format: OutputFormat = .tsv

        @OptionGroup var outputOptions: OutputOptions

        enum CqMethod: String, ExpressibleByArgument, CaseIterable { case threshold, sdm, td0 }

        func run() async throws {
            try await withUserFacingErrors(debug: outputOptions.debug) {
                let result = try QuantOperations.analyze(
                    .init(files: files, cqMethod: QuantOperations.CqMethod(rawValue: cqMethod.rawValue) ?? .threshold))
                for message in result.messages { printError(message) }
                try printTable(result.table, json: outputOptions.json || format == .json)
            }
        }
    }
}

extension Exoscope.QPCR {
    /// The Cq table of instrument exports, as ExoScope reads it.
    struct Cq: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract:
                "Show the Cq table ExoScope reads from qPCR instrument exports, and which instrument it recognised.",
            discussion: """
                Reads QuantStudio / 7500 results, 7900HT SDS 2.x, Bio-Rad CFX Maestro Quantification Cq Results,
                LightCycler 480 Abs Quant/2nd Derivative Max and Rotor-Gene Q Quantitation Results exports
                (tab, semicolon or comma separated, recognised by their header; docs/qpcr.md). One row per well:
                file, instrument, plate, well, sample, target, task, replicate (technical replicate number within
                the sample and target, in plate order), cq (empty when not detected), cq_as_written, omitted and
                cq_cell (file:line:column of the Cq). The recognised instrument of each file is also printed on
                standard error.
                """)

        @Argument(
            help: "Instrument Cq exports (.csv, .txt, .tsv).", completion: .file(extensions: ["csv", "txt", "tsv"]))
        var files: [String]

        @Option(help: "Output format: tsv or json.")
        var format: OutputFormat = .tsv

        @OptionGroup var outputOptions: OutputOptions

        func run() async throws {
            try await withUserFacingErrors(debug: outputOptions.debug, quiet: outputOptions.quiet) {
                let result = try QuantOperations.cq(.init(files: files))
                printMessages(result.recognised, quiet: outputOptions.quiet)
                try printTable(result.table, json: outputOptions.json || format == .json)
            }
        }
    }
}
