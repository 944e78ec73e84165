import ArgumentParser
import ExoCore
import ExoFormats
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

        struct Row: Encodable {
            var file: String
            var well: String
            var sample: String
            var target: String
            var positives: Int
            var partitions: Int
            var lambda: Double?
            var copiesPerMicroliter: Double?
            var ciLow: Double
            var ciHigh: Double?
            var flags: [String]

            enum CodingKeys: String, CodingKey {
                case file, well, sample, target, positives, partitions, lambda, flags
                case copiesPerMicroliter = "copies_per_ul"
                case ciLow = "ci_low"
                case ciHigh = "ci_high"
            }
        }

        func run() async throws {
            try await withUserFacingErrors(debug: outputOptions.debug) {
                var rows: [Row] = []
                var problems: [InputError] = []
                for path in files where path.lowercased().hasSuffix(".rdml") {
                    guard let document = readRDML(path, problems: &problems) else { continue }
                    for reaction in document.reactions {
                        guard let partitions = reaction.partitions else { continue }
                        guard let volume = partitionVolume ?? partitions.volumeNanoliters, volume > 0 else {
                            problems.append(
                                InputError(
                                    .invalidValue, at: reaction.location,
                                    "reaction '\(reaction.id)' records no partition volume",
                                    hint: "pass --partition-volume-nl"))
                            continue
                        }
                        let quantifier = DigitalPCRQuantifier(
                            partitionVolumeNanoliters: volume, interval: ci.interval, level: level)
                        for counts in partitions.data where counts.positives + counts.negatives > 0 {
                            let result = quantifier.quantify(
                                positives: counts.positives, partitions: counts.positives + counts.negatives)
                            rows.append(
                                Row(
                                    file: path, well: reaction.well, sample: reaction.sample, target: counts.target,
                                    positives: result.positives, partitions: result.partitions, lambda: result.lambda,
                                    copiesPerMicroliter: result.copiesPerMicroliter,
                                    ciLow: result.copiesPerMicroliterLow,
                                    ciHigh: result.copiesPerMicroliterHigh, flags: result.flags.map(\.rawValue)))
                        }
                    }
                }
                for path in files where !path.lowercased().hasSuffix(".rdml") {
                    // validate() guarantees the volume for every file that is not RDML.
                    let export: PartitionExport
                    do {
                        export = try PartitionExport(TextFile(url: URL(fileURLWithPath: path), displayPath: path))
                    } catch let error as InputErrorList {
                        problems += error.errors
                        continue
                    } catch let error as InputError {
                        problems.append(error)
                        continue
                    }
                    let quantifier = DigitalPCRQuantifier(
                        partitionVolumeNanoliters: partitionVolume ?? .nan, interval: ci.interval, level: level,
                        minimumPartitions: export.layout.minimumAcceptedPartitions)
                    let groups: [[PartitionExport.Well]] =
                        merge
                        ? Dictionary(grouping: export.wells) { "\($0.sample)\t\($0.target)" }.values
                            .sorted { ($0[0].location.line) < ($1[0].location.line) }
                        : export.wells.map { [$0] }
                    for group in groups {
                        let result = quantifier.quantifyMerged(group.map { ($0.positives, $0.partitions) })
                        rows.append(
                            Row(
                                file: path, well: group.map(\.well).joined(separator: "+"), sample: group[0].sample,
                                target: group[0].target, positives: result.positives, partitions: result.partitions,
                                lambda: result.lambda, copiesPerMicroliter: result.copiesPerMicroliter,
                                ciLow: result.copiesPerMicroliterLow, ciHigh: result.copiesPerMicroliterHigh,
                                flags: result.flags.map(\.rawValue)))
                    }
                }
                guard problems.isEmpty else { throw InputErrorList(problems) }
                switch outputOptions.json ? .json : format {
                case .json: try printJSON(rows)
                case .tsv:
                    print(
                        [
                            "file", "well", "sample", "target", "positives", "partitions", "lambda", "copies_per_ul",
                            "ci_low", "ci_high", "flags",
                        ].joined(separator: "\t"))
                    for row in rows {
                        let numbers = [row.lambda, row.copiesPerMicroliter, row.ciLow, row.ciHigh].map(TSV.number)
                        print(
                            ([
                                row.file, row.well, row.sample, row.target, String(row.positives),
                                String(row.partitions),
                            ] + numbers
                                + [row.flags.joined(separator: ";")]).joined(separator: "\t"))
                    }
                }
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
