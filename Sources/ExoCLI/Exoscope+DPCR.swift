import ArgumentParser
import ExoCore
import ExoFormats
import ExoPipeline
import ExoQuant
import ExoStats
import Foundation

extension Exoscope {
    /// Digital-PCR analyses on bare files.
    struct DPCR: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "dpcr", abstract: "Digital-PCR quantification from partition counts.",
            subcommands: [Analyze.self])
    }
}

extension Exoscope.DPCR {
    /// Partition counts → copies/µL with confidence intervals, one row per well (or merged wells).
    struct Analyze: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract:
                "Print λ and copies/µL with confidence intervals for every well of QuantaSoft or generic exports.",
            discussion: """
                Columns: file, well, sample, target, positives, partitions, lambda, copies_per_ul, ci_low, ci_high, flags.
                RDML files (1.3 and later) are read from their <partitions> counts and recorded partition volume.
                The partition volume is required: QX200 droplets are 0.85 nL with QuantaSoft 1.7 and 0.91 nL with
                older QuantaSoft versions. --ci wald reproduces the intervals QuantaSoft prints.
                """)

        @Argument(help: "QuantaSoft results exports (.csv) or generic partition tables.", completion: .file())
        var files: [String]

        @Option(name: .customLong("partition-volume-nl"), help: "Volume of one partition in nL (required).")
        var partitionVolume: Double?

        @Option(help: "Interval on the positive fraction: wilson (default) or wald (as QuantaSoft).")
        var ci: IntervalMethod = .wilson

        @Option(help: "Two-sided confidence level.")
        var level = 0.95

        @Flag(help: "Merge replicate wells of the same sample and target by pooling their partitions.")
        var merge = false

        @Option(help: "Output format: tsv or json.")
        var format: OutputFormat = .tsv

        @OptionGroup var outputOptions: OutputOptions

        func validate() throws {
            if partitionVolume == nil, files.allSatisfy({ $0.lowercased().hasSuffix(".rdml") }) {
                return  // RDML records the partition volume of each reaction; checked per file
            }
            guard let partitionVolume else {
                throw ValidationError(
                    "--partition-volume-nl is required: ExoScope never assumes a droplet volume (QX200 with QuantaSoft 1.7: 0.85; older QuantaSoft: 0.91)."
                )
            }
            guard partitionVolume > 0, partitionVolume.isFinite else {
                throw ValidationError("--partition-volume-nl must be a positive number of nanolitres.")
            }
            guard level > 0, level < 1 else { throw ValidationError("--level must lie between 0 and 1, such as 0.95.") }
        }

        func run() async throws {
            try await withUserFacingErrors(debug: outputOptions.debug) {
                let result = try QuantOperations.partitions(
                    .init(
                        files: files, partitionVolume: partitionVolume, interval: ci.interval, level: level,
                        merge: merge))
                try printTable(result.table, json: outputOptions.json || format == .json)
            }
        }
    }
}

/// Table output formats.
enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case tsv, json
}

/// The `--ci` choices.
enum IntervalMethod: String, ExpressibleByArgument, CaseIterable {
    case wilson, wald

    var interval: BinomialInterval {
        switch self {
        case .wilson: .wilson
        case .wald: .wald
        }
    }
}
