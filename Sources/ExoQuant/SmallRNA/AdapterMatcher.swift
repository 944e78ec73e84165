/// Finds a 3′ adapter in a read, whole or cut off by the read's end, with a cutadapt-like error rate.
///
/// Definition (cutadapt's 3′ adapter search with `--no-indels`): the adapter may start at any position `p` of
/// the read; it overlaps the read by `o = min(m, n − p)` bases (`m` the adapter's length, `n` the read's), so
/// near the read's end only its first bases are there. An overlap of `o ≥ minimumOverlap` bases with at most
/// `⌊errorRate · o⌋` mismatches is a match; an `N` in the read is a mismatch. Among matches, the one with the
/// highest score (matches − mismatches) wins, and of equal scores the leftmost, as cutadapt chooses. Insertions
/// and deletions are not considered: Illumina reads of short inserts rarely carry them, and without them the
/// search is a few comparisons per position.
///
/// - Complexity: O(n · m) in the worst case; for a typical read a few comparisons per position, since a position
///   is left at its first mismatch past the allowance and the search stops at a full-length exact match.
public struct AdapterMatcher: Sendable {
    /// The adapter, as 2-bit codes (A 0, C 1, G 2, T 3).
    let codes: [UInt8]
    /// Mismatches allowed for each overlap length `0 … m`.
    let allowed: [Int]
    /// The shortest overlap that counts.
    public let minimumOverlap: Int
    /// The adapter's first eight codes as one little-endian word (0 when it is shorter).
    let prefixWord: UInt64
    /// The largest share of mismatches in an overlap.
    public let errorRate: Double

    /// - Parameters:
    ///   - adapter: the adapter, upper-case A, C, G, T.
    ///   - errorRate: cutadapt's `-e` (default 0.1).
    ///   - minimumOverlap: cutadapt's `-O` (default 3).
    public init(adapter: String, errorRate: Double = 0.1, minimumOverlap: Int = 3) {
        codes = adapter.utf8.map { DNA.code[Int($0)] }
        allowed = (0...codes.count).map { Int((Double($0) * errorRate).rounded(.down)) }
        self.errorRate = errorRate
        self.minimumOverlap = max(1, minimumOverlap)
        prefixWord = codes.count >= 8 ? codes.prefix(8).reversed().reduce(0) { $0 << 8 | UInt64($1) } : 0
    }

    /// Finds the adapter in a read.
    ///
    /// - Parameter read: 2-bit codes, 4 for N.
    /// - Returns: the position where the adapter starts (so the insert is `read[0 ..< position]`), or `nil` when
    ///   there is no match.
    public func find(in read: UnsafeBufferPointer<UInt8>) -> Int? {
        let n = read.count
        let m = codes.count
        guard m > 0, n >= minimumOverlap else { return nil }
        // Fast path: the leftmost exact whole adapter has the highest possible score (m), so it is the answer. Eight
        // codes are compared at once as one 64-bit word; most reads of short inserts hold their adapter exactly.
        if m >= 8, n >= m, let base = read.baseAddress {
            let head = prefixWord
            for position in 0...(n - m)
            where UnsafeRawPointer(base + position).loadUnaligned(as: UInt64.self) == head {
                if (8..<m).allSatisfy({ read[position + $0] == codes[$0] }) { return position }
            }
        }
        var best: Int?
        var bestScore = Int.min
        codes.withUnsafeBufferPointer { adapter in
            allowed.withUnsafeBufferPointer { allowed in
                for position in 0...(n - minimumOverlap) {
                    let overlap = min(m, n - position)
                    // No later position (shorter overlaps) can beat a score already at the overlap.
                    if overlap <= bestScore { break }
                    let limit = allowed[overlap]
                    var mismatches = 0
                    var index = 0
                    while index < overlap {
                        if read[position + index] != adapter[index] {
                            mismatches += 1
                            if mismatches > limit { break }
                        }
                        index += 1
                    }
                    guard mismatches <= limit else { continue }
                    let score = overlap - 2 * mismatches
                    if score > bestScore {
                        bestScore = score
                        best = position
                        if score == m { break }
                    }
                }
            }
        }
        return best
    }
}

/// DNA letters as 2-bit codes.
public enum DNA {
    /// A/a 0, C/c 1, G/g 2, T/t/U/u 3, anything else 4.
    public static let code: [UInt8] = {
        var table = [UInt8](repeating: 4, count: 256)
        for (letters, value) in [("Aa", 0), ("Cc", 1), ("Gg", 2), ("TtUu", 3)] {
            for byte in letters.utf8 { table[Int(byte)] = UInt8(value) }
        }
        return table
    }()

    /// The letter of a code: A, C, G, T, N.
    public static let letter: [UInt8] = Array("ACGTN".utf8)

    /// The codes of a sequence.
    public static func codes(_ sequence: some StringProtocol) -> [UInt8] { sequence.utf8.map { code[Int($0)] } }

    /// The text of codes.
    public static func text(_ codes: some Collection<UInt8>) -> String {
        String(decoding: codes.map { letter[Int(min($0, 4))] }, as: UTF8.self)
    }

    /// The reverse complement of codes (N stays N).
    public static func reverseComplement(_ codes: [UInt8]) -> [UInt8] { codes.reversed().map { $0 < 4 ? 3 - $0 : 4 } }
}
