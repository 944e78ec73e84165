import ArgumentParser
import ExoPipeline
import ExoQuant
import Foundation

extension Exoscope {
    /// Small-RNA sequencing: reads to miRNA counts.
    struct SmallRNA: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "smallrna", abstract: "Small-RNA sequencing: FASTQ reads to miRNA counts and read fates.",
            subcommands: [Count.self, Normalize.self, Merge.self])
    }
}

extension Exoscope.SmallRNA {
    /// FASTQ → count matrix, read fates, isomiRs.
    struct Count: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Count miRNAs in small-RNA FASTQ files (plain, gzip or standard input) in one streaming pass.",
            discussion: """
                Prints the count matrix (TSV: mirna, then one column per sample) on standard output or to --output.
                Each read is trimmed at the kit's 3' adapter (as cutadapt's default: error rate 0.1, overlap 3,
                mismatches and indels; --no-indels for substitutions only), its UMI read from after the adapter first
                (QIAseq), random bases clipped (NEXTflex v3, Bioo 4N: 4 at each end; CATS: 3 at the 5' end), and its
                insert kept at 16-30 nt. Inserts are matched to miRBase 22
                human matures on their stem-loops with isomiRs (5' shifts up to 3, 3' shifts up to 5, up to 3
                non-templated 3' bases) and one mismatch; an insert that fits several matures equally is counted once
                under their names joined by '/'. Every read ends in one fate (--qc): adapter dimer, too short, too
                long, no adapter, UMI incomplete, spike-in, mature miRNA, precursor (sense/antisense), each library
                (sense/antisense), unassigned. Kits: \(LibraryKit.presets.map(\.id).joined(separator: ", ")), none
                (already trimmed). See docs/smallrna.md.
                """)

        @Argument(
            help: "FASTQ files (.fastq, .fq, optionally .gz or bgzip; - for standard input).", completion: .file())
        var files: [String]

        @Option(help: "The kit, an adapter sequence, auto (detect from the first 50,000 reads) or none.")
        var adapter = "auto"

        @Option(
            name: .customLong("sample"), parsing: .upToNextOption,
            help: "One sample name per file; repeat a name for the lanes of one sample. Default: the file names.")
        var samples: [String] = []

        @Option(help: "The most samples counted at once (default: one per core).")
        var threads: Int?

        @Option(
            name: .customLong("library"), parsing: .upToNextOption,
            help: "Reference libraries NAME=FASTA (Y RNA, piRNA, snoRNA…); trna= or rrna= replaces the bundled one.")
        var libraries: [String] = []

        @Option(
            help: "Comma-separated class order (default spike-in,mirna,trna,rrna, then the --library names).")
        var priority: String?

        @Option(name: .customLong("mature"), help: "Mature miRNA FASTA replacing miRBase (MirGeneDB's hsa.fas).")
        var mature: String?

        @Option(name: .customLong("hairpin"), help: "Stem-loop FASTA for --mature (MirGeneDB's hsa-pre.fas).")
        var hairpin: String?

        @Option(name: .customLong("min-length"), help: "Shortest insert kept.")
        var minimumLength = 16

        @Option(name: .customLong("max-length"), help: "Longest insert kept.")
        var maximumLength = 30

        @Option(name: .customLong("error-rate"), help: "Largest share of errors in an adapter match.")
        var errorRate = 0.1

        @Flag(name: .customLong("no-indels"), help: "Adapter matches with substitutions only (cutadapt's --no-indels).")
        var noIndels = false

        @Option(name: .customLong("overlap"), help: "Shortest adapter overlap at a read's end that counts.")
        var minimumOverlap = 3

        @Option(name: .customLong("min-annotated-reads"), help: "PASS needs more reads on annotated small RNAs.")
        var minimumAnnotatedReads = 100_000

        @Option(
            name: .customLong("min-annotated-fraction"),
            help: "PASS needs a larger share of length-passing inserts on annotated small RNAs.")
        var minimumAnnotatedFraction = 0.5

        @Option(name: .shortAndLong, help: "Write the count matrix here instead of standard output.")
        var output: String?

        @Option(help: "Write per-sample read fates, verdicts and inputs (TSV) here.")
        var qc: String?

        @Option(help: "Write the isomiR table (TSV) here.")
        var isomirs: String?

        @Option(help: "Write the isomiRs as mirGFF3 1.2 (miRTop's format) here.")
        var gff: String?

        @Option(help: "Write MultiQC custom-content files (*_mqc.tsv) into this folder.")
        var multiqc: String?

        @OptionGroup var outputOptions: OutputOptions

        func validate() throws {
            if (mature == nil) != (hairpin == nil) {
                throw ValidationError("--mature and --hairpin go together: a mature is placed on its stem-loop.")
            }
            if let threads, threads < 1 { throw ValidationError("--threads must be at least 1.") }
        }

        func run() async throws {
            try await withUserFacingErrors(debug: outputOptions.debug, quiet: outputOptions.quiet) {
                var request = SmallRNAOperations.CountRequest(files: files)
                request.adapter = adapter
                request.samples = samples
                request.threads = threads
                request.libraries = libraries
                request.priority = priority.map { $0.split(separator: ",").map(String.init) }
                if let mature, let hairpin { request.reference = (mature, hairpin) }
                request.options.minimumLength = minimumLength
                request.options.maximumLength = maximumLength
                request.options.errorRate = errorRate
                request.options.allowsIndels = !noIndels
                request.options.minimumOverlap = minimumOverlap
                request.options.minimumAnnotatedReads = minimumAnnotatedReads
                request.options.minimumAnnotatedFraction = minimumAnnotatedFraction
                let result = try SmallRNAOperations.count(request, progress: outputOptions.progress)
                // Every output is written only once every sample has been counted; each file whole or not at all.
                if let qc { try Pipeline.writeAtomically(result.qc.tsv(), to: URL(fileURLWithPath: qc)) }
                if let isomirs { try Pipeline.writeAtomically(result.isomiRs.tsv(), to: URL(fileURLWithPath: isomirs)) }
                if let gff { try Pipeline.writeAtomically(result.mirGFF3, to: URL(fileURLWithPath: gff)) }
                if let multiqc {
                    for (name, text) in result.multiQC {
                        try Pipeline.writeAtomically(
                            text, to: URL(fileURLWithPath: multiqc).appendingPathComponent(name))
                    }
                }
                for (sample, layout) in zip(result.samples, result.layouts) where !outputOptions.quiet {
                    if let detection = layout.detection {
                        printError(
                            "\(sample.sample): adapter \(detection.adapter) (\(layout.kit.id), confidence \(detection.confidence.rawValue), in \(String(format: "%.1f", 100 * detection.share)) % of the first \(detection.sampledReads) reads)"
                        )
                    }
                }
                try printTable(result.matrix, json: outputOptions.json, orWriteTo: output)
            }
        }
    }
}

extension Exoscope.SmallRNA {
    /// Count matrix → normalised matrix.
    struct Normalize: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Normalise a miRNA count matrix (miRNAs in rows, samples in columns): RPM, TMM or RLE.",
            discussion: """
                rpm: reads per million of each sample's total. tmm: counts per million of the effective library
                (total × edgeR's TMM factor, as edgeR's cpm() after calcNormFactors()). rle: DESeq2's median-of-ratios
                normalised counts (counts divided by estimateSizeFactors()' size factors). The factors equal edgeR
                3.40's and DESeq2 1.38's. GEO tables with prose lines above the header are read as they are.
                """)

        @Argument(help: "The count matrix (TSV or CSV: a feature column, then one column per sample).")
        var counts: String

        @Option(help: "rpm, tmm or rle.")
        var method: Method = .tmm

        @Option(name: .shortAndLong, help: "Write the normalised matrix here instead of standard output.")
        var output: String?

        @Option(help: "Write each sample's library size and factor (TSV) here.")
        var factors: String?

        @OptionGroup var outputOptions: OutputOptions

        enum Method: String, ExpressibleByArgument, CaseIterable {
            case rpm, tmm, rle
        }

        func run() async throws {
            try await withUserFacingErrors(debug: outputOptions.debug, quiet: outputOptions.quiet) {
                let result = try SmallRNAOperations.normalize(
                    .init(
                        path: counts, method: SmallRNAOperations.NormalizationMethod(rawValue: method.rawValue) ?? .tmm)
                )
                if let factors { try Pipeline.writeAtomically(result.factors.tsv(), to: URL(fileURLWithPath: factors)) }
                try printTable(result.matrix, json: outputOptions.json, orWriteTo: output)
            }
        }
    }
}

extension Exoscope.SmallRNA {
    /// Several count matrices → one.
    struct Merge: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Merge count matrices of different samples into one (the union of miRNAs; absent rows count 0).")

        @Argument(help: "Count matrices written by smallrna count.")
        var counts: [String]

        @Option(name: .shortAndLong, help: "Write the merged matrix here instead of standard output.")
        var output: String?

        @OptionGroup var outputOptions: OutputOptions

        func run() async throws {
            try await withUserFacingErrors(debug: outputOptions.debug, quiet: outputOptions.quiet) {
                let merged = try SmallRNAOperations.merge(counts)
                try printTable(merged, json: outputOptions.json, orWriteTo: output)
            }
        }
    }
}
