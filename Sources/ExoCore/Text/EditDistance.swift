/// Levenshtein distance and nearest-name suggestions, for "did you mean …?" hints.
package enum EditDistance {
    /// The Levenshtein distance between `a` and `b` over Unicode scalars, case-sensitive.
    ///
    /// - Complexity: O(|a|·|b|) time, O(|b|) memory.
    package static func levenshtein(_ a: String, _ b: String) -> Int {
        let a = Array(a.unicodeScalars)
        let b = Array(b.unicodeScalars)
        guard !a.isEmpty else { return b.count }
        guard !b.isEmpty else { return a.count }
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                let substitution = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)
                current[j] = min(substitution, previous[j] + 1, current[j - 1] + 1)
            }
            swap(&previous, &current)
        }
        return previous[b.count]
    }

    /// The candidates closest to `word` (case-insensitive), nearest first, ties in input order.
    ///
    /// - Parameters:
    ///   - word: the word to match.
    ///   - candidates: the valid names.
    ///   - limit: how many to return at most.
    ///   - maximumDistance: candidates further than this are left out; `nil` keeps every one.
    /// - Returns: up to `limit` candidates.
    package static func nearest(
        to word: String, in candidates: some Sequence<String>, limit: Int = 3, maximumDistance: Int? = nil
    ) -> [String] {
        let key = word.lowercased()
        let scored = candidates.enumerated().map { (offset, candidate) in
            (candidate, levenshtein(key, candidate.lowercased()), offset)
        }
        return
            scored
            .filter { candidate in maximumDistance.map { candidate.1 <= $0 } ?? true }
            .sorted { ($0.1, $0.2) < ($1.1, $1.2) }
            .prefix(limit)
            .map(\.0)
    }

    /// The nearest candidate if it is close enough to be a likely typo (distance ≤ max(2, |word|/3)).
    package static func suggestion(for word: String, in candidates: some Sequence<String>) -> String? {
        nearest(to: word, in: candidates, limit: 1, maximumDistance: max(2, word.count / 3)).first
    }

    /// The hint "did you mean '…'?" for the nearest likely candidate, or `nil` when none is close enough.
    package static func didYouMean(_ word: String, in candidates: some Sequence<String>) -> String? {
        suggestion(for: word, in: candidates).map { "did you mean '\($0)'?" }
    }
}
