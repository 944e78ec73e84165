/// Finds a 3′ adapter in a read, whole or cut off by the read's end, with cutadapt's error rate and choice of match.
///
/// Definition (cutadapt's 3′ adapter search, `-a ADAPTER -e 0.1 -O 3`): the adapter, from its first base, is
/// aligned to any stretch of the read; the alignment either takes the whole adapter (and may end before the read
/// does) or runs to the read's end with only the adapter's first `i` bases (a partial adapter). Mismatches,
/// insertions and deletions each count one error; an alignment is a match when `i ≥ minimumOverlap` and its errors
/// are at most `⌊errorRate · i⌋`, `i` being the adapter bases it covers. An `N` in the read is a mismatch. Among
/// matches the highest score wins (match +1, mismatch −1, insertion or deletion −2); see
/// ``AdapterMatcher/alignedMatch(in:)`` for how equal scores are chosen between, as cutadapt 5.2 chooses.
///
/// With `allowsIndels` false (cutadapt's `--no-indels`), only substitutions count: the adapter overlaps the read by
/// `o = min(m, n − p)` bases from a start `p`, at most `⌊errorRate · o⌋` of them mismatches, the highest score
/// (matches − mismatches) winning and of equal scores the leftmost.
///
/// A read holding the whole adapter exactly is answered without an alignment: its leftmost such occurrence has the
/// highest possible score in both modes. Only the other reads are aligned. A substitution-only match is not enough to
/// skip the alignment: in 28 of DNApi's 100,000 reads cutadapt's default trims elsewhere than its `--no-indels`,
/// which finds an adapter there too (an alignment with an indel scores higher, such as a whole adapter missing a base
/// against one with two mismatches, or an inner adapter with errors against three exact bases at the read's end).
///
/// Reference: the algorithm section of cutadapt's documentation ("Adapter alignment algorithm" and "Alignment
/// algorithm changes in Cutadapt 4", https://cutadapt.readthedocs.io/en/stable/algorithms.html); Martin,
/// EMBnet.journal 17(1), 2011, doi:10.14806/ej.17.1.200.
///
/// - Complexity: O(n · m) in the worst case. Reads with the whole adapter exactly cost a word comparison per
///   position; the substitution search leaves a position at its first mismatch past the allowance; the alignment
///   computes only the rows of each column whose error count can still be within ``maximumErrors`` (Ukkonen's cut-off).
public struct AdapterMatcher: Sendable {
    /// The adapter, as 2-bit codes (A 0, C 1, G 2, T 3).
    let codes: [UInt8]
    /// Errors allowed for each number of adapter bases `0 … m`.
    let allowed: [Int]
    /// The shortest overlap that counts.
    public let minimumOverlap: Int
    /// The adapter's first eight codes as one little-endian word (0 when it is shorter).
    let prefixWord: UInt64
    /// The largest share of errors in a match.
    public let errorRate: Double
    /// Whether insertions and deletions count as errors like mismatches (cutadapt's default); `false` is cutadapt's
    /// `--no-indels`.
    public let allowsIndels: Bool

    /// - Parameters:
    ///   - adapter: the adapter, upper-case A, C, G, T.
    ///   - errorRate: cutadapt's `-e` (default 0.1).
    ///   - minimumOverlap: cutadapt's `-O` (default 3).
    ///   - allowsIndels: `false` for cutadapt's `--no-indels` (substitutions only).
    public init(adapter: String, errorRate: Double = 0.1, minimumOverlap: Int = 3, allowsIndels: Bool = true) {
        codes = adapter.utf8.map { DNA.code[Int($0)] }
        allowed = (0...codes.count).map { Int((Double($0) * errorRate).rounded(.down)) }
        self.errorRate = errorRate
        self.minimumOverlap = max(1, minimumOverlap)
        self.allowsIndels = allowsIndels
        prefixWord = codes.count >= 8 ? codes.prefix(8).reversed().reduce(0) { $0 << 8 | UInt64($1) } : 0
    }

    /// The most errors any match may have: those allowed for the whole adapter.
    var maximumErrors: Int { allowed[codes.count] }

    /// Finds the adapter in a read.
    ///
    /// - Parameter read: 2-bit codes, 4 for N.
    /// - Returns: the position where the adapter starts (so the insert is `read[0 ..< position]`), or `nil` when
    ///   there is no match.
    public func find(in read: UnsafeBufferPointer<UInt8>) -> Int? {
        guard !codes.isEmpty, read.count >= minimumOverlap else { return nil }
        if let position = exactWholeMatch(in: read) { return position }
        return allowsIndels ? alignedMatch(in: read) : substitutionMatch(in: read)
    }

    /// The leftmost occurrence of the whole adapter without errors, if any.
    ///
    /// Its score (m) is the highest any match can have, and of equal scores cutadapt keeps the leftmost, so it is the
    /// answer in both modes. Eight codes are compared at once as one 64-bit word; most reads of short inserts hold
    /// their adapter exactly.
    func exactWholeMatch(in read: UnsafeBufferPointer<UInt8>) -> Int? {
        let n = read.count
        let m = codes.count
        guard m >= 8, n >= m, let base = read.baseAddress else { return nil }
        let head = prefixWord
        for position in 0...(n - m) where UnsafeRawPointer(base + position).loadUnaligned(as: UInt64.self) == head {
            if (8..<m).allSatisfy({ read[position + $0] == codes[$0] }) { return position }
        }
        return nil
    }

    /// The best match with substitutions only (cutadapt's `--no-indels`).
    func substitutionMatch(in read: UnsafeBufferPointer<UInt8>) -> Int? {
        let n = read.count
        let m = codes.count
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
