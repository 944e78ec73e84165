import ExoCore

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// geNorm reference-gene stability (Vandesompele et al.
///
/// 2002, doi:10.1186/gb-2002-3-7-research0034).
///
/// Definitions: with log2 relative quantities a_ij = −Cq_ij · log2(E_j) of gene j in sample i (E_j the
/// amplification factor, 2 when not given), the pairwise variation of genes j and k is V_jk = SD_i(a_ij − a_ik)
/// (sample SD, n − 1), and gene j's stability is M_j = mean over k ≠ j of V_jk; lower is more stable. Genes are
/// ranked by excluding the least stable and recomputing until two remain (those two share the last M). The
/// pairwise variation V_n/n+1 = SD_i(log2 NF_n,i − log2 NF_n+1,i), with NF_n the geometric mean of the n most
/// stable genes' quantities, tells whether an extra gene changes the normalisation factor; below 0.15 it
/// does not (the 0.15 rule). Only samples where every candidate has a Cq are used.
public enum GeNorm {
    /// The result for a set of candidate reference genes.
    public struct Result: Sendable, Hashable {
        /// Genes from least to most stable (the order of exclusion), with the M they had when excluded; the
        /// last two share the final M.
        public var ranking: [(gene: String, m: Double)] {
            zip(order, stabilities).map { ($0, $1) }
        }
        /// Genes in exclusion order (least stable first).
        public let order: [String]
        public let stabilities: [Double]
        /// M of every candidate with all genes included, for a chart.
        public let initialStability: [String: Double]
        /// M of every gene still in the set at each exclusion step, from all candidates (the first, equal to
        /// `initialStability`) down to the last two (which share one M); `candidates − 1` steps.
        public let stepStabilities: [[String: Double]]
        /// V_n/n+1 for n = 2 … candidates − 1, keyed by n.
        public let pairwiseVariation: [Int: Double]
        /// The smallest n with V_n/n+1 < 0.15, or the number of candidates when none is.
        public let optimalNumber: Int
        public let samplesUsed: Int
    }

    /// Computes stability and pairwise variation.
    ///
    /// - Parameters:
    ///   - matrix: mean Cq per sample and analyte.
    ///   - genes: at least two candidate references.
    ///   - efficiencies: amplification factor per gene (default 2).
    /// - Returns: `nil` with fewer than two genes or fewer than three complete samples.
    public static func analyze(_ matrix: CqMatrix, genes: [String], efficiencies: [String: Double] = [:]) -> Result? {
        guard genes.count >= 2 else { return nil }
        let samples = matrix.samples.filter { sample in genes.allSatisfy { matrix[sample, $0] != nil } }
        guard samples.count >= 3 else { return nil }
        var log2Quantity: [String: [Double]] = [:]
        for gene in genes {
            let factor = log2(efficiencies[gene] ?? 2)
            log2Quantity[gene] = samples.map { -(matrix[$0, gene] ?? 0) * factor }
        }
        func pairwise(_ j: String, _ k: String) -> Double {
            let differences = zip(log2Quantity[j] ?? [], log2Quantity[k] ?? []).map { $0 - $1 }
            return sampleStandardDeviation(differences)
        }
        func stability(_ set: [String]) -> [String: Double] {
            Dictionary(
                uniqueKeysWithValues: set.map { j in
                    (j, set.filter { $0 != j }.map { pairwise(j, $0) }.reduce(0, +) / Double(set.count - 1))
                })
        }
        let initial = stability(genes)
        var remaining = genes
        var order: [String] = []
        var stabilities: [Double] = []
        var steps: [[String: Double]] = []
        while remaining.count > 2 {
            let m = stability(remaining)
            steps.append(m)
            // The least stable gene; ties go to the later gene in the candidate order.
            guard
                let worst = remaining.max(by: {
                    (m[$0] ?? 0, -(genes.firstIndex(of: $0) ?? 0)) < (m[$1] ?? 0, -(genes.firstIndex(of: $1) ?? 0))
                })
            else { break }
            order.append(worst)
            stabilities.append(m[worst] ?? .nan)
            remaining.removeAll { $0 == worst }
        }
        let last = pairwise(remaining[0], remaining[1])
        steps.append([remaining[0]: last, remaining[1]: last])
        order += remaining
        stabilities += [last, last]
        // Most stable first, for the normalisation factors.
        let best = Array(order.reversed())
        var variation: [Int: Double] = [:]
        for n in stride(from: 2, to: best.count, by: 1) {
            let factors = samples.indices.map { i in
                let nf = best.prefix(n).map { log2Quantity[$0]?[i] ?? 0 }.reduce(0, +) / Double(n)
                let next = best.prefix(n + 1).map { log2Quantity[$0]?[i] ?? 0 }.reduce(0, +) / Double(n + 1)
                return nf - next
            }
            variation[n] = sampleStandardDeviation(factors)
        }
        let optimal = variation.keys.sorted().first { (variation[$0] ?? 1) < 0.15 } ?? genes.count
        return Result(
            order: order, stabilities: stabilities, initialStability: initial, stepStabilities: steps,
            pairwiseVariation: variation,
            optimalNumber: optimal, samplesUsed: samples.count)
    }

    static func sampleStandardDeviation(_ values: [Double]) -> Double {
        guard values.count > 1 else { return .nan }
        let mean = values.reduce(0, +) / Double(values.count)
        return (values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(values.count - 1)).squareRoot()
    }
}
