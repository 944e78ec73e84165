public import ExoCore
import ExoFormats
public import Foundation

/// Settings of a small-RNA count.
public struct SmallRNACountOptions: Sendable, Hashable {
    /// The read layout.
    public var kit: LibraryKit
    /// cutadapt's `-e`: the largest share of errors in an adapter match.
    public var errorRate = 0.1
    /// Whether an adapter match may have insertions and deletions, as cutadapt's default; `false` is cutadapt's
    /// `--no-indels` (substitutions only).
    public var allowsIndels = true
    /// cutadapt's `-O`: the shortest adapter overlap at a read's end that counts.
    public var minimumOverlap = 3
    /// The shortest insert kept (after clipping); default 16 nt, below which a sequence is too short to place on
    /// the human transcriptome uniquely and below any mature miRNA in miRBase.
    public var minimumLength = 16
    /// The longest insert kept; default 30 nt, past the longest mature miRNA (28 nt) with room for a tail, and
    /// short of most tRNA halves and piRNAs' upper range.
    public var maximumLength = 30
    /// exRNA-Atlas-style gate: the fewest reads on annotated small RNAs for a PASS.
    public var minimumAnnotatedReads = 100_000
    /// exRNA-Atlas-style gate: the smallest share of length-passing inserts on annotated small RNAs for a PASS.
    public var minimumAnnotatedFraction = 0.5
    /// How many of the most frequent unassigned sequences to report.
    public var topUnassigned = 20

    /// The longest insert the counter can hold.
    public static let longestInsert = 42

    public init(kit: LibraryKit) { self.kit = kit }
}

/// One sample's reads: its files (lanes) and its name.
public struct SmallRNASampleInput: Sendable, Hashable {
    /// The sample's name (a column of the count matrix).
    public var name: String
    /// Its FASTQ files: `url` `nil` for standard input, with the path shown to the user.
    public var files: [SmallRNAFile]

    public init(name: String, files: [SmallRNAFile]) {
        self.name = name
        self.files = files
    }
}

/// A FASTQ file, or standard input.
public struct SmallRNAFile: Sendable, Hashable {
    public var url: URL?
    public var displayPath: String

    public init(url: URL?, displayPath: String) {
        self.url = url
        self.displayPath = displayPath
    }
}

/// One sample's counts and read fates.
public struct SmallRNASampleCounts: Sendable {
    /// One isomiR (a distinct insert sequence) of a miRNA.
    public struct IsomiR: Sendable, Hashable {
        /// The miRNA (or `/`-joined names) it is counted under.
        public var miRNA: String
        /// The insert.
        public var sequence: String
        public var variant: MiRNAReference.Variant
        /// The stem-loop shown, and the insert's 1-based inclusive coordinates on it (tail included).
        public var hairpin: String
        public var start: Int
        public var end: Int
        /// Reads, or molecules for UMI kits.
        public var count: Int
    }

    /// The input of a file: its path, SHA-256 and size as stored.
    public struct InputFile: Sendable, Hashable, Codable {
        public var path: String
        public var sha256: String
        public var bytes: Int
    }

    public var sample: String
    public var inputs: [InputFile]
    /// Every read.
    public var reads: Int
    /// Reads by fate; they sum to ``reads``.
    public var fates: [ReadFate: Int]
    /// Reads by insert length (after clipping), for reads whose adapter was found; index = length.
    public var insertLengths: [Int]
    /// Distinct length-passing inserts (library complexity).
    public var distinctInserts: Int
    /// Length-passing reads that repeat an insert and UMI already seen (UMI kits only; 0 otherwise).
    public var umiDuplicates: Int
    /// Counts by miRNA (multi-names included): reads, or molecules for UMI kits.
    public var miRNAs: [String: Int]
    /// Counts by spike-in.
    public var spikeIns: [String: Int]
    /// isomiRs, each with its count; per miRNA they sum to its count.
    public var isomiRs: [IsomiR]
    /// The most frequent unassigned inserts.
    public var topUnassigned: [(sequence: String, reads: Int)]

    /// Reads on annotated small RNAs (miRNAs, precursors, libraries; not spike-ins).
    public var annotatedReads: Int { fates.filter { $0.key.isAnnotated }.reduce(0) { $0 + $1.value } }
    /// Length-passing reads: annotated, spike-ins and unassigned.
    public var lengthPassingReads: Int {
        annotatedReads + (fates[.spikeIn] ?? 0) + (fates[.unassigned] ?? 0)
    }
    /// Reads on mature miRNAs.
    public var miRNAReads: Int { fates[.matureMiRNA] ?? 0 }
}

/// Counts small-RNA reads: one streaming pass over a sample's FASTQ files, then one classification per distinct
/// insert.
///
/// Each read is trimmed at its kit's 3′ adapter (``AdapterMatcher``), its UMI taken from after the adapter first,
/// its random bases clipped, and its insert checked for length; the inserts are collapsed to distinct sequences
/// (with their UMIs for UMI kits) as they stream by, so memory grows with the distinct inserts, not the reads.
/// Each distinct insert is then classified once, in the libraries' priority order.
public enum SmallRNACounter {
    /// Counts one sample.
    ///
    /// - Throws: `InputError` from the FASTQ files. Nothing is returned for a sample with a bad file.
    /// - Complexity: O(total read length) for the pass, plus O(distinct inserts · candidates) for the
    ///   classification; memory O(distinct inserts).
    public static func count(
        _ input: SmallRNASampleInput, options: SmallRNACountOptions, libraries: SmallRNALibraries
    ) throws(InputError) -> SmallRNASampleCounts {
        var collapser = InsertCollapser(options: options)
        var inputs: [SmallRNASampleCounts.InputFile] = []
        for file in input.files {
            let reader = try FASTQReader(url: file.url, displayPath: file.displayPath)
            try collapser.read(reader)
            inputs.append(
                .init(path: file.displayPath, sha256: reader.stream.sha256Hex, bytes: reader.stream.compressedBytesRead)
            )
        }
        return classify(collapser, sample: input.name, inputs: inputs, options: options, libraries: libraries)
    }

    static func classify(
        _ collapser: InsertCollapser, sample: String, inputs: [SmallRNASampleCounts.InputFile],
        options: SmallRNACountOptions, libraries: SmallRNALibraries
    ) -> SmallRNASampleCounts {
        var fates = collapser.layoutFates
        var miRNAs: [String: Int] = [:]
        var spikeIns: [String: Int] = [:]
        var isomiRs: [IsomiRKey: Int] = [:]
        var unassigned: [(InsertKey, Int)] = []
        let useUMIs = options.kit.umiLength > 0
        for (key, reads) in collapser.inserts {
            let codes = key.codes
            let molecules = useUMIs ? collapser.molecules[key] ?? 0 : reads
            var fate = ReadFate.unassigned
            classes: for kind in libraries.priority {
                switch kind {
                case .spikeIn:
                    let hits = libraries.spikeIns.placements(of: codes).filter { !$0.antisense }
                    guard !hits.isEmpty else { continue }
                    let name = Set(hits.map { libraries.spikeIns.names[$0.sequence] }).sorted().joined(separator: "/")
                    spikeIns[name, default: 0] += molecules
                    fate = .spikeIn
                    break classes
                case .miRNA:
                    switch libraries.miRNA.assign(codes) {
                    case .mature(let name, let variant, let hairpin, let start, let end):
                        miRNAs[name, default: 0] += molecules
                        isomiRs[
                            IsomiRKey(
                                miRNA: name, insert: key, variant: variant, hairpin: hairpin, start: start, end: end),
                            default: 0] += molecules
                        fate = .matureMiRNA
                        break classes
                    case .precursor:
                        fate = .precursor(antisense: false)
                        break classes
                    case nil:
                        let hits = libraries.miRNA.hairpins.placements(of: codes)
                        guard !hits.isEmpty else { continue }
                        fate = .precursor(antisense: !hits.contains { !$0.antisense })
                        break classes
                    }
                case .library(let name):
                    guard let index = libraries.libraries[name] else { continue }
                    let hits = index.placements(of: codes)
                    guard !hits.isEmpty else { continue }
                    fate = .library(name, antisense: !hits.contains { !$0.antisense })
                    break classes
                }
            }
            fates[fate, default: 0] += reads
            if fate == .unassigned { unassigned.append((key, reads)) }
        }
        // Most reads first; ties in the order of the packed key (deterministic, and no decoding in the comparisons).
        let top = unassigned.sorted { ($1.1, $0.0.high, $0.0.low) < ($0.1, $1.0.high, $1.0.low) }
            .prefix(options.topUnassigned).map { (sequence: DNA.text($0.0.codes), reads: $0.1) }
        let isomiRRows = isomiRs.map { key, count in
            SmallRNASampleCounts.IsomiR(
                miRNA: key.miRNA, sequence: DNA.text(key.insert.codes), variant: key.variant, hairpin: key.hairpin,
                start: key.start + 1, end: key.end, count: count)
        }.sorted { ($0.miRNA, $0.sequence) < ($1.miRNA, $1.sequence) }
        return SmallRNASampleCounts(
            sample: sample, inputs: inputs, reads: collapser.reads, fates: fates.filter { $0.value > 0 },
            insertLengths: collapser.insertLengths, distinctInserts: collapser.inserts.count,
            umiDuplicates: useUMIs
                ? collapser.inserts.values.reduce(0, +) - collapser.molecules.values.reduce(0, +) : 0,
            miRNAs: miRNAs, spikeIns: spikeIns, isomiRs: isomiRRows, topUnassigned: top)
    }

    struct IsomiRKey: Hashable {
        var miRNA: String
        var insert: InsertKey
        var variant: MiRNAReference.Variant
        var hairpin: String
        var start: Int
        var end: Int
    }
}

/// A distinct insert, packed 3 bits a base (code + 1, so 0 marks the end), 21 bases a word.
struct InsertKey: Hashable, Sendable {
    var low: UInt64 = 0
    var high: UInt64 = 0

    init(_ codes: UnsafeBufferPointer<UInt8>) {
        for (index, code) in codes.enumerated() {
            let value = UInt64(code + 1)
            if index < 21 { low |= value << (3 * index) } else { high |= value << (3 * (index - 21)) }
        }
    }

    var codes: [UInt8] {
        var result: [UInt8] = []
        result.reserveCapacity(32)
        for index in 0..<42 {
            let value = ((index < 21 ? low : high) >> (3 * (index % 21))) & 7
            if value == 0 { break }
            result.append(UInt8(value - 1))
        }
        return result
    }
}

/// A read's insert and UMI.
struct MoleculeKey: Hashable, Sendable {
    var insert: InsertKey
    var umi: UInt64
}

/// The streaming pass: trims, clips, checks lengths and collapses inserts.
struct InsertCollapser {
    let options: SmallRNACountOptions
    let matcher: AdapterMatcher?
    var reads = 0
    var layoutFates: [ReadFate: Int] = [:]
    var insertLengths: [Int] = []
    var inserts: [InsertKey: Int] = [:]
    /// Distinct UMIs per insert (UMI kits).
    var molecules: [InsertKey: Int] = [:]
    var seenMolecules = Set<MoleculeKey>()

    init(options: SmallRNACountOptions) {
        self.options = options
        matcher =
            options.kit.adapter.isEmpty
            ? nil
            : AdapterMatcher(
                adapter: options.kit.adapter, errorRate: options.errorRate, minimumOverlap: options.minimumOverlap,
                allowsIndels: options.allowsIndels)
    }

    mutating func read(_ reader: FASTQReader) throws(InputError) {
        var scratch = [UInt8](repeating: 0, count: 1024)
        var dimers = 0
        var tooShort = 0
        var tooLong = 0
        var noAdapter = 0
        var umiIncomplete = 0
        var count = 0
        let kit = options.kit
        let minimum = options.minimumLength
        let maximum = min(options.maximumLength, SmallRNACountOptions.longestInsert)
        let table = DNA.code
        try table.withUnsafeBufferPointer { table throws(InputError) in
            try reader.forEachRecord { record in
                count += 1
                let length = record.sequence.count
                if scratch.count < length { scratch = [UInt8](repeating: 0, count: length * 2) }
                scratch.withUnsafeMutableBufferPointer { codes in
                    for index in 0..<length { codes[index] = table[Int(record.sequence[index])] }
                    let read = UnsafeBufferPointer(rebasing: codes[0..<length])
                    var end = length
                    var umi: UInt64 = 0
                    if let matcher {
                        guard let position = matcher.find(in: read) else {
                            noAdapter += 1
                            return
                        }
                        end = position
                        if kit.umiLength > 0 {
                            let umiStart = position + kit.adapter.utf8.count
                            guard umiStart + kit.umiLength <= length else {
                                umiIncomplete += 1
                                return
                            }
                            for index in 0..<kit.umiLength { umi = umi << 3 | UInt64(read[umiStart + index] + 1) }
                        }
                    }
                    let start = min(kit.clip5, end)
                    end = max(start, end - kit.clip3)
                    let insertLength = end - start
                    if insertLengths.count <= insertLength {
                        insertLengths.append(
                            contentsOf: repeatElement(0, count: insertLength + 1 - insertLengths.count))
                    }
                    if matcher != nil { insertLengths[insertLength] += 1 }
                    if insertLength == 0 {
                        dimers += 1
                    } else if insertLength < minimum {
                        tooShort += 1
                    } else if insertLength > maximum {
                        tooLong += 1
                    } else {
                        let key = InsertKey(UnsafeBufferPointer(rebasing: read[start..<end]))
                        inserts[key, default: 0] += 1
                        if kit.umiLength > 0, seenMolecules.insert(MoleculeKey(insert: key, umi: umi)).inserted {
                            molecules[key, default: 0] += 1
                        }
                    }
                }
            }
        }
        reads += count
        for (fate, value) in [
            (ReadFate.adapterDimer, dimers), (.tooShort, tooShort), (.tooLong, tooLong), (.noAdapter, noAdapter),
            (.umiIncomplete, umiIncomplete),
        ] where value > 0 {
            layoutFates[fate, default: 0] += value
        }
    }
}
