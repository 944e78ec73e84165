/// Reference sequences with an 8-mer seed index, for placing short inserts on them with at most one mismatch.
///
/// Every position of every sequence (and, when asked, of its reverse complement) is filed under the 8-mer that
/// starts there. An insert of at least 16 bases with at most one mismatch has an exact 8-mer at offset 0 or at
/// offset 8 (the pigeonhole principle), so looking both up finds every placement; each candidate is then checked
/// base by base. N is a mismatch on either side.
///
/// - Complexity: building O(total length); a lookup O(candidates · insert length), a handful of candidates for
///   miRNA-sized inserts on the bundled references.
public struct SequenceIndex: Sendable {
    /// One placement of an insert.
    public struct Placement: Sendable, Hashable {
        /// The sequence's index in ``names``.
        public var sequence: Int
        /// Where the insert starts, 0-based, on the strand it matched (sense coordinates, or antisense ones counted
        /// from the reverse complement's start).
        public var start: Int
        /// Whether the insert matched the reverse complement.
        public var antisense: Bool
        /// Mismatches, 0 or 1.
        public var mismatches: Int
    }

    static let k = 8
    /// The sequences' names, as their FASTA headers give them (first word).
    public let names: [String]
    /// The sequences, sense, as 2-bit codes (4 for anything but A, C, G, T).
    public let sequences: [[UInt8]]
    /// The reverse complements, when indexed.
    let antisenseSequences: [[UInt8]]
    /// The seeds: positions of 8-mer `s` are `entries[offsets[s] ..< offsets[s + 1]]`, each `strand << 62 |
    /// sequence << 32 | position`.
    let offsets: [Int32]
    let entries: [UInt64]

    /// Indexes sequences given as (name, letters); `bothStrands` also indexes their reverse complements.
    public init(_ records: [(name: String, sequence: String)], bothStrands: Bool) {
        names = records.map(\.name)
        sequences = records.map { DNA.codes($0.sequence) }
        antisenseSequences = bothStrands ? sequences.map(DNA.reverseComplement) : []
        let buckets = 1 << (2 * Self.k)
        var counts = [Int32](repeating: 0, count: buckets + 1)
        var all: [(key: Int, entry: UInt64)] = []
        for (strand, strandSequences) in [sequences, antisenseSequences].enumerated() {
            for (index, codes) in strandSequences.enumerated() {
                Self.forEachSeed(codes) { position, key in
                    all.append((key, UInt64(strand) << 62 | UInt64(index) << 32 | UInt64(position)))
                    counts[key + 1] += 1
                }
            }
        }
        for bucket in 0..<buckets { counts[bucket + 1] += counts[bucket] }
        var fill = counts
        var entries = [UInt64](repeating: 0, count: all.count)
        for (key, entry) in all {
            entries[Int(fill[key])] = entry
            fill[key] += 1
        }
        self.offsets = counts
        self.entries = entries
    }

    /// Calls `body(position, key)` for every 8-mer without N.
    static func forEachSeed(_ codes: [UInt8], _ body: (Int, Int) -> Void) {
        guard codes.count >= k else { return }
        for position in 0...(codes.count - k) {
            if let key = seedKey(codes, at: position) { body(position, key) }
        }
    }

    static func seedKey(_ codes: some RandomAccessCollection<UInt8>, at offset: Int) -> Int? {
        var key = 0
        var index = codes.index(codes.startIndex, offsetBy: offset)
        for _ in 0..<k {
            let code = codes[index]
            guard code < 4 else { return nil }
            key = key << 2 | Int(code)
            index = codes.index(after: index)
        }
        return key
    }

    /// The sequence a placement lies on (sense or antisense strand).
    func strand(_ sequence: Int, antisense: Bool) -> [UInt8] {
        antisense ? antisenseSequences[sequence] : sequences[sequence]
    }

    /// Candidate starts of an insert: (sequence, antisense, start), from exact seeds at offsets 0 and 8, each once.
    func candidates(_ insert: [UInt8]) -> [UInt64] {
        var found: [UInt64] = []
        for seedOffset in [0, Self.k] where seedOffset + Self.k <= insert.count {
            guard let key = Self.seedKey(insert, at: seedOffset) else { continue }
            for index in Int(offsets[key])..<Int(offsets[key + 1]) {
                let entry = entries[index]
                guard Int(entry & 0xFFFF_FFFF) >= seedOffset else { continue }
                let start = entry - UInt64(seedOffset)
                // Both seeds of an exact placement give it: a short list, so a linear check beats a set.
                if seedOffset == 0 || !found.contains(start) { found.append(start) }
            }
        }
        return found
    }

    /// Where `insert` lies whole inside a sequence with at most one mismatch: every placement with the fewest
    /// mismatches (sense placements before antisense ones when both exist at the same count is the caller's
    /// choice).
    public func placements(of insert: [UInt8]) -> [Placement] {
        var best: [Placement] = []
        var bestMismatches = 1
        for entry in candidates(insert) {
            let strandIsAntisense = entry >> 62 == 1
            let sequence = Int((entry >> 32) & 0x3FFF_FFFF)
            let start = Int(entry & 0xFFFF_FFFF)
            let target = strand(sequence, antisense: strandIsAntisense)
            guard start + insert.count <= target.count else { continue }
            var mismatches = 0
            for index in 0..<insert.count where insert[index] != target[start + index] || insert[index] > 3 {
                mismatches += 1
                if mismatches > 1 { break }
            }
            guard mismatches <= bestMismatches else { continue }
            if mismatches < bestMismatches {
                best.removeAll()
                bestMismatches = mismatches
            }
            best.append(
                Placement(sequence: sequence, start: start, antisense: strandIsAntisense, mismatches: mismatches))
        }
        return best.sorted {
            ($0.sequence, $0.start, $0.antisense ? 1 : 0) < ($1.sequence, $1.start, $1.antisense ? 1 : 0)
        }
    }
}
