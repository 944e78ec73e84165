/// Works out a sample's read layout from its first reads: a known kit's adapter, a de-novo adapter, or reads whose
/// adapter is already gone.
///
/// The steps, on the first 50,000 reads:
/// 1. **Known kits.** The share of reads holding each preset's first 10 adapter bases exactly. QIAseq is tried
///    first: its reads also carry Illumina's adapter further on (nf-core/smrnaseq#172). The best share of at
///    least 10 % names the kit.
/// 2. **Already trimmed.** When fewer than half the reads share the longest length and the median read is at most
///    35 nt, the reads were trimmed before (DNApi's `RAW_INPUT`).
/// 3. **De novo.** The most frequent 12-mer that is not low in complexity (no run of 6 equal bases), held by at
///    least 10 % of reads, is extended base by base to the left while one base precedes it in at least 80 % of its
///    occurrences (the adapter's start is where the inserts' last bases take over), then to the right likewise.
///
/// The confidence follows exceRpt's three levels: **high** when at least half the reads hold the adapter and at
/// least 20 % give an insert of 16–36 nt by DNApi's rule; **low** when fewer than half hold it; **warn** when
/// fewer than 20 % give such an insert (DNApi flags that `/POOR_QUALITY`).
public struct AdapterDetection: Sendable {
    /// What was found.
    public enum Finding: Sendable, Hashable {
        /// A preset kit.
        case kit(LibraryKit)
        /// An adapter found from the reads themselves.
        case deNovo(String)
        /// The reads hold no adapter: trimmed before.
        case trimmed
    }

    /// The three confidence levels.
    public enum Confidence: String, Sendable, Hashable {
        case high, low, warn
    }

    public var finding: Finding
    /// Share of the sampled reads holding the adapter's first bases exactly (10 for kits, 12 de novo).
    public var share: Double
    /// DNApi's "reads extracted" share: reads whose last exact occurrence of the adapter's first 7 bases leaves an
    /// insert of 16–36 nt before it.
    public var extractedShare: Double
    public var confidence: Confidence
    /// The next best de-novo candidate outside the adapter, with its share, when there is one.
    public var runnerUp: (sequence: String, share: Double)?
    /// How many reads were sampled.
    public var sampledReads: Int

    /// The layout to count with: the kit, a custom kit for a de-novo adapter, or ``LibraryKit/trimmed``.
    public var kit: LibraryKit {
        switch finding {
        case .kit(let kit): kit
        case .deNovo(let adapter): LibraryKit(id: "de-novo", name: "adapter found in the reads", adapter: adapter)
        case .trimmed: .trimmed
        }
    }

    /// The adapter as reported: the kit's, the de-novo one, or `none`.
    public var adapter: String {
        switch finding {
        case .kit(let kit): kit.adapter
        case .deNovo(let adapter): adapter
        case .trimmed: "none"
        }
    }

    /// The number of reads detection looks at.
    public static let sampleSize = 50_000

    /// Detects the layout of `reads` (letters as read), or `nil` when none of the three steps gives an answer.
    public static func detect(_ reads: [[UInt8]]) -> AdapterDetection? {
        guard !reads.isEmpty else { return nil }
        let codes = reads.map { $0.map { DNA.code[Int($0)] } }
        let total = Double(codes.count)
        // 1. Known kits, QIAseq first; kits sharing an adapter are one candidate (the first preset with it).
        var best: (kit: LibraryKit, share: Double)?
        var seen = Set<String>()
        let order = LibraryKit.presets.filter { $0.id == "qiaseq" } + LibraryKit.presets.filter { $0.id != "qiaseq" }
        for kit in order where seen.insert(kit.adapter).inserted {
            let prefix = Array(DNA.codes(kit.adapter).prefix(10))
            let share = Double(codes.filter { contains($0, prefix) }.count) / total
            guard share >= 0.1, share > (best?.share ?? 0) else { continue }
            best = (kit, share)
            if kit.id == "qiaseq" { break }
        }
        if let best {
            let extracted = extractedShare(codes, adapter: DNA.codes(best.kit.adapter))
            return AdapterDetection(
                finding: .kit(best.kit), share: best.share, extractedShare: extracted,
                confidence: confidence(share: best.share, extracted: extracted), runnerUp: nil,
                sampledReads: codes.count)
        }
        // 2. Already trimmed.
        let lengths = codes.map(\.count).sorted()
        let longest = lengths.last ?? 0
        if Double(lengths.filter { $0 == longest }.count) < total / 2, lengths[lengths.count / 2] <= 35 {
            return AdapterDetection(
                finding: .trimmed, share: 0, extractedShare: 0, confidence: .high, runnerUp: nil,
                sampledReads: codes.count)
        }
        // 3. De novo.
        let k = 12
        var counts: [UInt32: Int] = [:]
        for read in codes where read.count >= k {
            var seenHere = Set<UInt32>()
            for start in 0...(read.count - k) {
                guard let key = packed(read, start, k), !lowComplexity(read[start..<(start + k)]) else { continue }
                if seenHere.insert(key).inserted { counts[key, default: 0] += 1 }
            }
        }
        let ranked = counts.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }
        guard let top = ranked.first, Double(top.value) / total >= 0.1 else { return nil }
        let adapter = extend(unpacked(top.key, k), in: codes)
        let share = Double(top.value) / total
        let extracted = extractedShare(codes, adapter: adapter)
        let runner = ranked.dropFirst().first {
            !contains(adapter, unpacked($0.key, k)) && !overlaps(adapter, unpacked($0.key, k))
        }
        return AdapterDetection(
            finding: .deNovo(DNA.text(adapter)), share: share, extractedShare: extracted,
            confidence: confidence(share: share, extracted: extracted),
            runnerUp: runner.map { (DNA.text(unpacked($0.key, k)), Double($0.value) / total) },
            sampledReads: codes.count)
    }

    static func confidence(share: Double, extracted: Double) -> Confidence {
        if extracted < 0.2 { return .warn }
        return share >= 0.5 ? .high : .low
    }

    /// DNApi's extraction rule with a 7-base seed and inserts of 16–36 nt.
    static func extractedShare(_ reads: [[UInt8]], adapter: [UInt8]) -> Double {
        let seed = Array(adapter.prefix(7))
        var extracted = 0
        for read in reads where read.count >= seed.count {
            var position = read.count - seed.count
            while position >= 0, !read[position..<(position + seed.count)].elementsEqual(seed) { position -= 1 }
            if (16...36).contains(position) { extracted += 1 }
        }
        return Double(extracted) / Double(reads.count)
    }

    /// Extends a seed to the left, then to the right, while one base follows (precedes) it in 80 % of its
    /// exact occurrences.
    static func extend(_ seed: [UInt8], in reads: [[UInt8]]) -> [UInt8] {
        var adapter = seed
        for leftwards in [true, false] {
            while adapter.count < 60 {
                var bases = [Int](repeating: 0, count: 5)
                var occurrences = 0
                for read in reads {
                    guard let position = firstIndex(of: adapter, in: read) else { continue }
                    let neighbour = leftwards ? position - 1 : position + adapter.count
                    guard neighbour >= 0, neighbour < read.count else { continue }
                    occurrences += 1
                    bases[Int(read[neighbour])] += 1
                }
                guard occurrences > 0, let top = (0..<4).max(by: { bases[$0] < bases[$1] }),
                    Double(bases[top]) >= 0.8 * Double(occurrences)
                else { break }
                if leftwards { adapter.insert(UInt8(top), at: 0) } else { adapter.append(UInt8(top)) }
            }
        }
        return adapter
    }

    static func packed(_ read: [UInt8], _ start: Int, _ k: Int) -> UInt32? {
        var key: UInt32 = 0
        for index in start..<(start + k) {
            guard read[index] < 4 else { return nil }
            key = key << 2 | UInt32(read[index])
        }
        return key
    }

    static func unpacked(_ key: UInt32, _ k: Int) -> [UInt8] {
        (0..<k).map { UInt8((key >> (2 * UInt32(k - 1 - $0))) & 3) }
    }

    static func lowComplexity(_ codes: ArraySlice<UInt8>) -> Bool {
        var run = 1
        var previous: UInt8 = 255
        for code in codes {
            run = code == previous ? run + 1 : 1
            previous = code
            if run >= 6 { return true }
        }
        return false
    }

    static func firstIndex(of needle: [UInt8], in haystack: [UInt8]) -> Int? {
        guard needle.count <= haystack.count else { return nil }
        for start in 0...(haystack.count - needle.count)
        where haystack[start] == needle[0] && haystack[start..<(start + needle.count)].elementsEqual(needle) {
            return start
        }
        return nil
    }

    static func contains(_ haystack: [UInt8], _ needle: [UInt8]) -> Bool { firstIndex(of: needle, in: haystack) != nil }

    /// Whether `kmer` overlaps either end of `adapter` by at least half its length.
    static func overlaps(_ adapter: [UInt8], _ kmer: [UInt8]) -> Bool {
        for overlap in (kmer.count / 2)..<kmer.count where overlap <= adapter.count {
            if adapter.prefix(overlap).elementsEqual(kmer.suffix(overlap)) { return true }
            if adapter.suffix(overlap).elementsEqual(kmer.prefix(overlap)) { return true }
        }
        return false
    }
}
