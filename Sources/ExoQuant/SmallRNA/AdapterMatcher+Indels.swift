extension AdapterMatcher {
    /// One cell of the alignment: the fewest errors aligning the adapter's first `i` bases to read bases ending at
    /// a column, the score of that alignment, and the read position where it starts.
    struct AlignmentCell {
        var errors: Int32
        var score: Int32
        var start: Int32
    }

    /// The best match with mismatches, insertions and deletions (cutadapt's default 3′ adapter search).
    ///
    /// Definition: a semi-global alignment of the adapter (rows `i = 0 … m`) to the read (columns `j = 0 … n`), free
    /// to start at any read position (row 0 costs nothing in every column) but not inside the adapter (column 0
    /// costs `i`, the adapter's first `i` bases deleted). Each cell holds the fewest errors (edit distance) and, as
    /// a second value that is not optimised, the score of the alignment it keeps (match +1, mismatch −1, insertion
    /// or deletion −2) and where in the read that alignment starts. Where the fewest errors can be reached in
    /// several ways, the cell keeps, in this order of preference: the diagonal (a match, or else a mismatch), an
    /// adapter base missing from the read (deletion), a read base missing from the adapter (insertion). A match
    /// ends either in row `m` (the whole adapter, at any column) or in column `n` (a partial adapter at the read's
    /// end); it needs `i ≥ minimumOverlap` and at most `⌊errorRate · i⌋` errors. The match with the highest score
    /// wins; of equal scores the first seen wins, the whole-adapter ends column by column from the left, then the
    /// read-end cells from the longest partial adapter to the shortest.
    ///
    /// These choices between equal alignments are those of cutadapt 5.2, established on reads made to tie (a
    /// repetitive adapter against 20,000 seeded reads, all trimmed alike) and on DNApi's `good` and `poor` files
    /// (100,000 reads, all trimmed alike); `SmallRNACountTests` checks both.
    ///
    /// - Parameter read: 2-bit codes, 4 for N.
    /// - Returns: the position where the adapter starts, or `nil` when there is no match.
    /// - Complexity: O(n · m); a column computes only the rows up to one past the last row of the previous column
    ///   with at most ``maximumErrors`` errors (Ukkonen's cut-off), since errors never decrease along an alignment.
    func alignedMatch(in read: UnsafeBufferPointer<UInt8>) -> Int? {
        let n = read.count
        let m = codes.count
        let limit = Int32(maximumErrors)
        // A cell past the cut-off: more errors than any match may have.
        let outside = limit + 1
        var best: Int32 = -1
        var bestScore = Int32.min
        codes.withUnsafeBufferPointer { adapter in
            allowed.withUnsafeBufferPointer { allowed in
                withUnsafeTemporaryAllocation(of: AlignmentCell.self, capacity: 2 * (m + 1)) { cells in
                    var previous = UnsafeMutableBufferPointer(rebasing: cells[0...m])
                    var current = UnsafeMutableBufferPointer(rebasing: cells[(m + 1)...])
                    // Column 0: the adapter's first i bases deleted.
                    for i in 0...m { previous[i] = AlignmentCell(errors: Int32(i), score: -2 * Int32(i), start: 0) }
                    var last = min(m, Int(limit))
                    func consider(_ cell: AlignmentCell, row: Int) {
                        guard row >= minimumOverlap, cell.errors <= allowed[row], cell.score > bestScore else { return }
                        bestScore = cell.score
                        best = cell.start
                    }
                    for j in 1...n {
                        let base = read[j - 1]
                        current[0] = AlignmentCell(errors: 0, score: 0, start: Int32(j))
                        let top = min(m, last + 1)
                        for i in 1...top {
                            let diagonal = previous[i - 1]
                            if adapter[i - 1] == base {
                                current[i] = AlignmentCell(
                                    errors: diagonal.errors, score: diagonal.score + 1, start: diagonal.start)
                                continue
                            }
                            let above = current[i - 1]
                            let left = i <= last ? previous[i] : AlignmentCell(errors: outside, score: 0, start: 0)
                            if diagonal.errors <= above.errors, diagonal.errors <= left.errors {
                                current[i] = AlignmentCell(
                                    errors: diagonal.errors + 1, score: diagonal.score - 1, start: diagonal.start)
                            } else if above.errors <= left.errors {
                                current[i] = AlignmentCell(
                                    errors: above.errors + 1, score: above.score - 2, start: above.start)
                            } else {
                                current[i] = AlignmentCell(
                                    errors: left.errors + 1, score: left.score - 2, start: left.start)
                            }
                        }
                        last = top
                        while last > 0, current[last].errors > limit { last -= 1 }
                        if last == m { consider(current[m], row: m) }
                        swap(&previous, &current)
                    }
                    // The read's end: partial adapters, longest first.
                    var row = min(last, m - 1)
                    while row >= 1 {
                        consider(previous[row], row: row)
                        row -= 1
                    }
                }
            }
        }
        return best < 0 ? nil : Int(best)
    }
}
