import ExoCore
import ExoFormats
public import ExoQuant
import Foundation
import Synchronization

/// `smallrna count`: FASTQ files to a miRNA count matrix, read fates, isomiRs and mirGFF3.
public enum SmallRNAOperations {
    /// What to count and how.
    public struct CountRequest: Sendable {
        /// FASTQ paths (`-` for standard input).
        public var files: [String]
        /// A kit id, an adapter sequence, `auto` or `none`.
        public var adapter: String = "auto"
        /// One name per file; files sharing a name are lanes of one sample.
        ///
        /// Empty: names from the file names.
        public var samples: [String] = []
        /// The most samples counted at once; `nil` for one per core.
        public var threads: Int?
        /// `NAME=FASTA` reference libraries.
        public var libraries: [String] = []
        /// Class names in priority order; `nil` for the default.
        public var priority: [String]?
        /// Mature and stem-loop FASTA files replacing miRBase (MirGeneDB), or `nil`.
        public var reference: (mature: String, hairpin: String)?
        /// Lengths, adapter matching and the PASS gate; the kit in it is replaced by each sample's layout.
        public var options = SmallRNACountOptions(kit: .trimmed)

        public init(files: [String]) { self.files = files }
    }

    /// The counts of every sample, in the order the samples were first named.
    public struct CountResult: Sendable {
        public var samples: [SmallRNASampleCounts]
        /// The layout each sample was counted with, and how it was chosen.
        public var layouts: [(kit: LibraryKit, detection: AdapterDetection?)]
        /// Every mature of the reference, for the matrix's rows.
        public var referenceMatures: [String]
        /// Where the references came from.
        public var sources: [String: String]
        public var options: SmallRNACountOptions
    }

    /// Counts every sample; the samples run in parallel, each in one streaming pass.
    ///
    /// - Throws: ``OperationError/usage(_:)`` for contradictory options; `InputErrorList` with every sample's file
    ///   problems (nothing is returned when any file is bad).
    public static func count(
        _ request: CountRequest, progress: (any PipelineProgress)? = nil
    ) throws -> CountResult {
        let inputs = try sampleInputs(request)
        let options = request.options
        guard options.minimumLength >= 1, options.minimumLength <= options.maximumLength,
            options.maximumLength <= SmallRNACountOptions.longestInsert
        else {
            throw OperationError.usage(
                "--min-length and --max-length must satisfy 1 ≤ min ≤ max ≤ \(SmallRNACountOptions.longestInsert)")
        }
        guard options.errorRate >= 0, options.errorRate < 0.5 else {
            throw OperationError.usage("--error-rate must lie in [0, 0.5), such as cutadapt's 0.1")
        }
        let fixedKit = try kit(for: request.adapter)
        if fixedKit == nil, inputs.contains(where: { $0.files.contains { $0.url == nil } }) {
            throw OperationError.usage(
                "--adapter auto reads a sample's first reads twice, which standard input cannot give; name the kit or the adapter sequence"
            )
        }
        let libraries = try loadLibraries(request)
        let results = ConcurrentSlots<Result<(SmallRNASampleCounts, LibraryKit, AdapterDetection?), InputError>>(
            count: inputs.count)
        let done = Atomic<Int>(0)
        progress?.begin("counting reads", total: inputs.count)
        ComputeThreads.run(jobs: inputs.count, threads: request.threads) { index in
            let input = inputs[index]
            do throws(InputError) {
                var sampleOptions = options
                var detection: AdapterDetection?
                if let fixedKit {
                    sampleOptions.kit = fixedKit
                } else {
                    let found = try detect(input)
                    detection = found
                    sampleOptions.kit = found.kit
                }
                let counts = try SmallRNACounter.count(input, options: sampleOptions, libraries: libraries)
                results[index] = .success((counts, sampleOptions.kit, detection))
            } catch {
                results[index] = .failure(error)
            }
            let finished = done.add(1, ordering: .relaxed).newValue
            progress?.advance("counting reads", done: finished)
        }
        var samples: [SmallRNASampleCounts] = []
        var layouts: [(kit: LibraryKit, detection: AdapterDetection?)] = []
        var problems: [InputError] = []
        for index in inputs.indices {
            switch results[index] {
            case .success(let (counts, kit, detection)):
                samples.append(counts)
                layouts.append((kit, detection))
            case .failure(let error): problems.append(error)
            case nil: break
            }
        }
        guard problems.isEmpty else { throw InputErrorList(problems) }
        let reads = samples.reduce(0) { $0 + $1.reads }
        progress?.finish("counting reads", outcome: "\(reads) reads in \(samples.count) samples")
        return CountResult(
            samples: samples, layouts: layouts, referenceMatures: libraries.miRNA.matures.map(\.name),
            sources: libraries.sources, options: options)
    }

    /// The layout `--adapter` names, or `nil` for `auto`.
    static func kit(for adapter: String) throws -> LibraryKit? {
        if adapter.lowercased() == "auto" { return nil }
        if let preset = LibraryKit.preset(adapter) { return preset }
        if let custom = LibraryKit.custom(adapter) { return custom }
        let known = (LibraryKit.presets.map(\.id) + ["none", "auto"]).joined(separator: ", ")
        let letters = adapter.uppercased().filter { !"ACGTU".contains($0) }
        if adapter.count >= 6, !letters.isEmpty {
            throw OperationError.usage(
                "--adapter \(InputError.quoted(adapter)) is neither a kit nor an adapter sequence: it holds \(InputError.quoted(String(Set(letters).sorted()))), not only A, C, G, T; kits: \(known)"
            )
        }
        throw OperationError.usage(
            "--adapter \(InputError.quoted(adapter)) is not a kit (\(known)) nor an adapter sequence of at least 6 of A, C, G, T"
        )
    }

    /// The read-1 file a path names itself the read 2 of (Illumina's `_R2_001`, `_R2`, or `_2` before the FASTQ
    /// ending), or `nil`.
    static func readOneMate(of path: String) -> String? {
        let name = URL(fileURLWithPath: path).lastPathComponent
        for marker in ["_R2_001.", "_R2.", "_2.", ".R2.", "_read2."] {
            guard let range = name.range(of: marker, options: .backwards) else { continue }
            let ending = name[range.upperBound...].lowercased()
            guard ["fastq", "fq"].contains(where: { ending.hasPrefix($0) }) else { continue }
            let mate = name.replacingCharacters(
                in: range, with: marker.replacingOccurrences(of: "2", with: "1"))
            return String(path.dropLast(name.count)) + mate
        }
        return nil
    }

    /// Groups files into samples.
    ///
    /// Read 2 of a pair whose read 1 is also given is refused: read 1 holds a small-RNA insert whole, followed by the
    /// adapter, and counting read 2 as well would count every molecule twice.
    static func sampleInputs(_ request: CountRequest) throws -> [SmallRNASampleInput] {
        guard !request.files.isEmpty else { throw OperationError.usage("give at least one FASTQ file") }
        let given = Set(request.files)
        for path in request.files {
            if let mate = readOneMate(of: path), given.contains(mate) {
                throw OperationError.usage(
                    "\(InputError.quoted(URL(fileURLWithPath: path).lastPathComponent)) is read 2 of the pair whose read 1 is \(InputError.quoted(URL(fileURLWithPath: mate).lastPathComponent)): give read 1 only (a small-RNA insert, 18–30 nt, lies whole in read 1 before the adapter; read 2 would count every molecule twice)"
                )
            }
        }
        guard request.samples.isEmpty || request.samples.count == request.files.count else {
            throw OperationError.usage(
                "--sample was given \(request.samples.count) times for \(request.files.count) files: give one name per file (repeat a name for the lanes of one sample)"
            )
        }
        var order: [String] = []
        var files: [String: [SmallRNAFile]] = [:]
        for (index, path) in request.files.enumerated() {
            let name = request.samples.isEmpty ? sampleName(path) : request.samples[index]
            guard !name.isEmpty, !name.contains(where: { $0 == "\t" || $0.isNewline }) else {
                throw OperationError.usage(
                    "sample name \(InputError.quoted(name)) is empty or holds a tab or line break")
            }
            if files[name] == nil { order.append(name) }
            let file = SmallRNAFile(url: path == "-" ? nil : URL(fileURLWithPath: path), displayPath: path)
            if request.samples.isEmpty, files[name] != nil {
                throw OperationError.usage(
                    "two files give the sample name \(InputError.quoted(name)); name the samples with --sample (the same name for the lanes of one sample)"
                )
            }
            files[name, default: []].append(file)
        }
        return order.map { SmallRNASampleInput(name: $0, files: files[$0] ?? []) }
    }

    /// The file name without its folder and its `.fastq`/`.fq`/`.gz` endings; `stdin` for `-`.
    static func sampleName(_ path: String) -> String {
        guard path != "-" else { return "stdin" }
        var name = URL(fileURLWithPath: path).lastPathComponent
        for ending in [".gz", ".bgz", ".fastq", ".fq", ".txt"] where name.lowercased().hasSuffix(ending) {
            name = String(name.dropLast(ending.count))
        }
        return name
    }

    static func loadLibraries(_ request: CountRequest) throws -> SmallRNALibraries {
        var extra: [(name: String, url: URL, displayPath: String)] = []
        for item in request.libraries {
            let parts = item.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty,
                parts[0].allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" })
            else {
                throw OperationError.usage(
                    "--library \(InputError.quoted(item)) is not NAME=FASTA (a name of letters, digits, _ or -, then the file)"
                )
            }
            let name = parts[0].lowercased()
            guard !["mirna", "spike-in"].contains(name), !extra.contains(where: { $0.name == name }) else {
                throw OperationError.usage("--library name \(InputError.quoted(name)) is reserved or given twice")
            }
            extra.append((name, URL(fileURLWithPath: parts[1]), parts[1]))
        }
        let matures = request.reference.map {
            (
                mature: (URL(fileURLWithPath: $0.mature), $0.mature),
                hairpin: (URL(fileURLWithPath: $0.hairpin), $0.hairpin)
            )
        }
        return try SmallRNALibraries.load(extra: extra, matures: matures, priority: request.priority)
    }

    /// Detects a sample's layout from the first reads of its first file.
    static func detect(_ input: SmallRNASampleInput) throws(InputError) -> AdapterDetection {
        let file = input.files[0]
        let reader = try FASTQReader(url: file.url, displayPath: file.displayPath)
        var reads: [[UInt8]] = []
        reads.reserveCapacity(AdapterDetection.sampleSize)
        try reader.forEachRecord(maximumRecords: AdapterDetection.sampleSize) { reads.append(Array($0.sequence)) }
        guard let detection = AdapterDetection.detect(reads) else {
            throw InputError(
                .invalidValue, at: InputLocation(path: file.displayPath),
                "no 3′ adapter found in the first \(reads.count) reads: no kit's adapter and no sequence in 10 % of them, and the reads are not already trimmed",
                hint:
                    "give the kit or the adapter with --adapter (kits: \(LibraryKit.presets.map(\.id).joined(separator: ", ")))"
            )
        }
        return detection
    }
}

extension SmallRNAOperations.CountResult {
    /// The count matrix: `mirna`, then one column per sample; every mature of the reference, then the multi-names
    /// some insert was counted under, in name order.
    public var matrix: ResultTable {
        var names = Set(referenceMatures)
        for sample in samples { names.formUnion(sample.miRNAs.keys) }
        let rows = names.sorted().map { name in
            [ResultTable.Cell.text(name)] + samples.map { .integer($0.miRNAs[name] ?? 0) }
        }
        return ResultTable(columns: ["mirna"] + samples.map(\.sample), rows: rows)
    }

    /// The read fates of every sample with its verdict, the layout used and the inputs' hashes: one row a sample.
    public var qc: ResultTable {
        var fateLabels: [String] = [
            "adapter_dimer", "too_short", "too_long", "no_adapter", "umi_incomplete", "spike_in", "mature_mirna",
            "precursor_sense", "precursor_antisense",
        ]
        // Every library's two columns, whether or not a read went there: the columns depend on the references
        // given, never on the reads, so tables of different runs line up.
        let libraries = sources.keys.filter { $0 != "mirna" && $0 != "spike-in" }.sorted()
        fateLabels += libraries.flatMap { ["\($0)_sense", "\($0)_antisense"] } + ["unassigned"]
        let columns =
            ["sample", "reads"] + fateLabels + [
                "distinct_inserts", "umi_duplicates", "mirna_share", "annotated_reads", "annotated_fraction",
                "verdict", "verdict_reason", "kit", "adapter", "adapter_confidence", "adapter_share",
                "extracted_share", "inputs", "sha256",
            ]
        let rows = zip(samples, layouts).map { sample, layout -> [ResultTable.Cell] in
            let counts = Dictionary(uniqueKeysWithValues: sample.fates.map { ($0.key.label, $0.value) })
            let passing = sample.lengthPassingReads
            let verdict = SmallRNAVerdict(sample, options: options)
            return [.text(sample.sample), .integer(sample.reads)] + fateLabels.map { .integer(counts[$0] ?? 0) } + [
                .integer(sample.distinctInserts), .integer(sample.umiDuplicates),
                .number(passing > 0 ? Double(sample.miRNAReads) / Double(passing) : nil),
                .integer(sample.annotatedReads),
                .number(passing > 0 ? Double(sample.annotatedReads) / Double(passing) : nil),
                .text(verdict.passed ? "PASS" : "FAIL"), .text(verdict.reason), .text(layout.kit.id),
                .text(layout.kit.adapter.isEmpty ? "none" : layout.kit.adapter),
                .text(layout.detection.map(\.confidence.rawValue) ?? "given"),
                .number(layout.detection.map(\.share)), .number(layout.detection.map(\.extractedShare)),
                .list(sample.inputs.map(\.path), separator: ","), .list(sample.inputs.map(\.sha256), separator: ","),
            ]
        }
        return ResultTable(columns: columns, rows: rows)
    }

    /// The isomiRs of every sample: one row per (sample, miRNA, sequence); per sample and miRNA the counts sum to
    /// the matrix's.
    public var isomiRs: ResultTable {
        var rows: [[ResultTable.Cell]] = []
        for sample in samples {
            for row in sample.isomiRs {
                rows.append([
                    .text(sample.sample), .text(row.miRNA), .text(row.sequence), .text(row.variant.description),
                    .text(row.hairpin), .integer(row.start), .integer(row.end), .integer(row.count),
                ])
            }
        }
        return ResultTable(
            columns: ["sample", "mirna", "sequence", "variant", "precursor", "start", "end", "count"], rows: rows)
    }
}

extension SmallRNAOperations.CountResult {
    /// MultiQC custom-content files (file name → text).
    ///
    /// The read fates as a stacked bar chart and the per-sample statistics as a table. MultiQC picks up files named
    /// `*_mqc.tsv` from the folders it searches.
    public var multiQC: [(name: String, text: String)] {
        let qc = self.qc
        func header(_ id: String, _ section: String, _ description: String, _ plot: String, _ extra: [String]) -> String
        {
            ([
                "# id: '\(id)'", "# section_name: '\(section)'", "# description: '\(description)'",
                "# plot_type: '\(plot)'",
            ] + extra).map { $0 + "\n" }.joined()
        }
        let fateColumns = qc.columns.enumerated().filter { index, name in
            index >= 2 && index < (qc.columns.firstIndex(of: "distinct_inserts") ?? 0)
                && qc.rows.contains { if case .integer(let value) = $0[index] { value ?? 0 > 0 } else { false } }
        }
        let fateTable = ResultTable(
            columns: ["Sample"] + fateColumns.map(\.element),
            rows: qc.rows.map { row in [row[0]] + fateColumns.map { row[$0.offset] } })
        let fates =
            header(
                "exoscope_read_fates", "ExoScope read fates",
                "Every read of each sample in exactly one class (exoscope smallrna count).", "bargraph",
                [
                    "# pconfig:", "#     id: 'exoscope_read_fates_plot'", "#     title: 'ExoScope: read fates'",
                    "#     ylab: 'Reads'",
                ]) + fateTable.tsv()
        let statsColumns = [
            "reads", "distinct_inserts", "umi_duplicates", "mirna_share", "annotated_reads", "annotated_fraction",
            "verdict", "kit", "adapter_confidence",
        ]
        let indexes = statsColumns.compactMap { qc.columns.firstIndex(of: $0) }
        let statsTable = ResultTable(
            columns: ["Sample"] + statsColumns, rows: qc.rows.map { row in [row[0]] + indexes.map { row[$0] } })
        let stats =
            header(
                "exoscope_smallrna_stats", "ExoScope small-RNA statistics",
                "Reads, library complexity, miRNA share and the exRNA-Atlas-style verdict per sample.", "table", [])
            + statsTable.tsv()
        return [("exoscope_read_fates_mqc.tsv", fates), ("exoscope_smallrna_stats_mqc.tsv", stats)]
    }
}

extension SmallRNAOperations {
    /// The normalisations of `smallrna normalize`.
    public enum NormalizationMethod: String, Sendable, CaseIterable {
        /// Reads per million of the library (the column sum).
        case rpm
        /// Counts per million of the effective library: library × edgeR's TMM factor (`cpm(calcNormFactors(y))`).
        case tmm
        /// DESeq2's median-of-ratios: counts divided by the size factor (`counts(dds, normalized = TRUE)`).
        case rle
    }

    /// What to normalise.
    public struct NormalizeRequest: Sendable {
        public var path: String
        public var method: NormalizationMethod
        public init(path: String, method: NormalizationMethod) {
            self.path = path
            self.method = method
        }
    }

    /// The normalised matrix and each sample's factors.
    public struct NormalizeResult: Sendable {
        /// Same rows and columns as the input, normalised.
        public var matrix: ResultTable
        /// `sample`, `library_size`, `factor`, `effective_library_size`.
        public var factors: ResultTable
    }

    /// Normalises a count matrix.
    ///
    /// - Throws: `InputErrorList` for an unreadable matrix or one that cannot be normalised (an empty library, no
    ///   feature counted in every sample for `rle`).
    public static func normalize(_ request: NormalizeRequest) throws -> NormalizeResult {
        let matrix = try CountMatrix.read(url: URL(fileURLWithPath: request.path), displayPath: request.path)
        let counts = matrix.counts
        let values: [[Double]]
        let factors: [Double]
        // The library each value is per million of (RPM, TMM); DESeq2's normalised counts have none.
        let effective: [Double]?
        let sizes: [Double]
        do {
            sizes = try CountNormalization.librarySizes(counts)
            switch request.method {
            case .rpm:
                factors = sizes.map { _ in 1 }
                effective = sizes
                values = try CountNormalization.countsPerMillion(counts)
            case .tmm:
                factors = try CountNormalization.tmm(counts).factors
                let libraries = try CountNormalization.effectiveLibrarySizes(
                    librarySizes: sizes, normalizationFactors: factors)
                effective = libraries
                values = try CountNormalization.countsPerMillion(counts, librarySizes: libraries)
            case .rle:
                factors = try CountNormalization.medianOfRatios(counts)
                effective = nil
                values = try CountNormalization.normalizedCounts(counts, sizeFactors: factors)
            }
        } catch {
            throw InputErrorList([
                InputError(
                    .invalidValue, at: InputLocation(path: request.path),
                    "cannot normalise by \(request.method.rawValue): \(error.description(samples: matrix.samples, features: matrix.features))",
                    hint: request.method == .rle
                        ? "median-of-ratios needs miRNAs counted in every sample; try --method tmm" : nil)
            ])
        }
        let rows = zip(matrix.features, values).map { feature, row in
            [ResultTable.Cell.text(feature)] + row.map { .number($0) }
        }
        let factorRows = matrix.samples.indices.map { index in
            [
                ResultTable.Cell.text(matrix.samples[index]), .number(sizes[index]), .number(factors[index]),
                .number(effective?[index]),
            ]
        }
        return NormalizeResult(
            matrix: ResultTable(columns: [matrix.featureColumn] + matrix.samples, rows: rows),
            factors: ResultTable(
                columns: [
                    "sample", "library_size", request.method == .rle ? "size_factor" : "norm_factor",
                    "effective_library_size",
                ],
                rows: factorRows))
    }
}

extension CountNormalizationError {
    /// The message with sample and feature names in place of indexes.
    func description(samples: [String], features: [String]) -> String {
        switch self {
        case .emptyLibrary(let sample) where samples.indices.contains(sample):
            "sample \(InputError.quoted(samples[sample])) has no reads"
        case .invalidCount(let feature, let sample) where features.indices.contains(feature):
            "the count of \(InputError.quoted(features[feature])) in sample \(sample + 1) is not a count"
        default: description
        }
    }
}

extension SmallRNAOperations.CountResult {
    /// The isomiRs of every sample as mirGFF3 1.2: one line per (miRNA, read sequence) with its count in each sample.
    public var mirGFF3: String {
        var records: [String: (row: SmallRNASampleCounts.IsomiR, expression: [Int])] = [:]
        for (index, sample) in samples.enumerated() {
            for row in sample.isomiRs {
                let key = row.miRNA + "\t" + row.sequence
                var entry = records[key] ?? (row, [Int](repeating: 0, count: samples.count))
                entry.expression[index] += row.count
                records[key] = entry
            }
        }
        let lines = records.sorted { $0.key < $1.key }.map { _, entry in
            let row = entry.row
            return MirGFF3.Record(
                precursor: row.hairpin, start: row.start, end: row.end, isReference: row.variant.isCanonical,
                sequence: row.sequence, name: row.miRNA, variant: row.variant.description,
                cigar: row.variant.cigar(length: row.sequence.count),
                expression: entry.expression, hits: row.miRNA.split(separator: "/").count)
        }
        let database = sources["mirna"]?.hasPrefix("bundled") == true ? "miRBasev\(MiRNACatalog.release)" : "Custom"
        return MirGFF3.text(
            records: lines, database: database, samples: samples.map(\.sample),
            tool: "exoscope \(ExoScopeVersion.current)")
    }
}

extension SmallRNAOperations {
    /// Merges count matrices of different samples (one `smallrna count` per sample, as the workflow runs it) into
    /// one: the union of their rows in name order, a row missing from a file counted 0 there, the samples in the
    /// order of the files.
    ///
    /// Memory is one 32-bit count per row and sample of the result (3,000 miRNAs × 1,000 samples: 12 MB), plus one
    /// file at a time.
    ///
    /// - Throws: `InputErrorList` for an unreadable file, a sample in two files, or a count that is not a whole
    ///   number of reads (normalised tables are not merged).
    public static func merge(_ paths: [String]) throws -> ResultTable {
        guard !paths.isEmpty else { throw OperationError.usage("give at least one count matrix") }
        var samples: [String] = []
        var sampleFile: [String: String] = [:]
        var columns: [[String: UInt32]] = []
        var features = Set<String>()
        var featureColumn = "mirna"
        var problems: [InputError] = []
        for path in paths {
            let matrix: CountMatrix
            do {
                matrix = try CountMatrix.read(url: URL(fileURLWithPath: path), displayPath: path)
            } catch {
                problems += error.errors
                continue
            }
            if columns.isEmpty { featureColumn = matrix.featureColumn }
            for (index, sample) in matrix.samples.enumerated() {
                if let earlier = sampleFile[sample] {
                    problems.append(
                        InputError(
                            .duplicateSample, at: InputLocation(path: path, line: 1),
                            "sample \(InputError.quoted(sample)) is also in \(InputError.quoted(earlier))",
                            hint: "each sample is counted once; name samples apart with --sample"))
                    continue
                }
                sampleFile[sample] = path
                var column: [String: UInt32] = [:]
                for (row, feature) in matrix.features.enumerated() {
                    let value = matrix.counts[row][index]
                    guard value == value.rounded(), value <= Double(UInt32.max) else {
                        problems.append(
                            InputError(
                                .invalidNumber, at: InputLocation(path: path),
                                "the count of \(InputError.quoted(feature)) in \(InputError.quoted(sample)) is not a whole number of reads",
                                hint: "merge raw counts, then normalise the merged matrix"))
                        break
                    }
                    if value > 0 { column[feature] = UInt32(value) }
                }
                samples.append(sample)
                columns.append(column)
                features.formUnion(matrix.features)
            }
        }
        guard problems.isEmpty else { throw InputErrorList(problems) }
        let rows = features.sorted().map { feature in
            [ResultTable.Cell.text(feature)] + columns.map { .integer(Int($0[feature] ?? 0)) }
        }
        return ResultTable(columns: [featureColumn] + samples, rows: rows)
    }
}
