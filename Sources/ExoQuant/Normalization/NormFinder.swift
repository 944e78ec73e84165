public import ExoCore
import ExoStats

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// NormFinder reference-gene stability (Andersen, Jensen & Ørntoft 2004, doi:10.1158/0008-5472.CAN-04-0496).
///
/// A model-based alternative to geNorm that, given sample groups, separates a candidate's variation within the
/// groups from its systematic difference between them; a gene that differs between tumour and control is a
/// poor reference even when it varies little inside each group. On log2-scale values x (−Cq·log2 E, or log2
/// quantities), per group g of n_g samples and k genes:
///
/// - residuals of a two-way gene + sample fit inside the group, r = x_is − x̄_ig − x̄_·s + x̄_·g, give the
///   intragroup variance σ²_ig = (s_ig − Σ_j s_jg / (k(k−1))) / (1 − 2/k) with s_ig = Σ r² / (n_g − 1); a
///   negative value is replaced by a quarter of the smallest variance of x_i − x_l over the other genes l;
/// - the intergroup difference d_ig is the double-centred gene × group table of means; it is shrunk towards
///   0 by γ²/(γ² + σ²_ig/n_g), with γ² = max(0, Σd²/((G−1)(k−1)) − Σ(σ²/n_g)/(kG)) the between-group variance;
/// - stability ρ_i is the mean over groups of |shrunk d_ig| + √(σ²_ig/n_g + γ²(σ²_ig/n_g)/(γ² + σ²_ig/n_g));
///   lower is more stable. The best pair minimises the same quantity for the mean of two genes.
///
/// Without groups (or with one), the stability is the intragroup SD σ_i over all samples. This follows the
/// authors' R code (version of 2015), checked to its printed digits in NormFinderTests, and agrees with NormqPCR
/// 1.33.0 to 1e-12 where NormqPCR follows that code; docs/qpcr.md gives the details and the places ExoScope
/// differs (NormqPCR clamps a negative variance estimate to 0; the ungrouped best pair).
public enum NormFinder {
    /// One candidate's results.
    public struct Gene: Sendable, Hashable {
        public var name: String
        /// ρ (with groups) or σ (without): lower is more stable.
        public var stability: Double
        /// 2 · max_g |d_ig|: the gene's between-group log2 difference beyond the overall one (`nil` without groups).
        public var groupDifference: Double?
        /// The pooled intragroup SD √(Σ_g (n_g − 1)σ²_ig / (n − G)).
        public var groupSD: Double
        /// Per group (in `Result.groups` order): the shrunk intergroup difference d_ig · γ²/(γ² + σ²_ig/n_g)
        /// (empty without groups).
        public var differences: [Double] = []
        /// Per group: the variance term of the shrunk difference, σ²_ig/n_g + γ²(σ²_ig/n_g)/(γ² + σ²_ig/n_g),
        /// so that ρ_i is the mean over groups of |difference| + √variance (empty without groups).
        public var variances: [Double] = []
    }

    /// The two genes whose mean is most stable, and its stability.
    public struct Pair: Sendable, Hashable {
        public var first: String
        public var second: String
        public var stability: Double
    }

    /// The analysis of a set of candidates.
    public struct Result: Sendable, Hashable {
        /// Candidates from most to least stable.
        public var genes: [Gene]
        /// The groups, sorted; empty when the samples were not grouped.
        public var groups: [String]
        /// γ², the between-group variance of the differences (`nil` without groups).
        public var betweenGroupVariance: Double?
        /// The most stable pair among the candidates (with groups: those with ρ below `pairLimit`, at least
        /// the four most stable; without: those with σ within 0.1 of the smallest).
        public var bestPair: Pair?
        public var samplesUsed: Int
    }

    /// Stability of candidate reference genes from their log2-scale values.
    ///
    /// - Parameters:
    ///   - values: one row per gene, one column per sample, log2 scale (no missing values).
    ///   - genes: the genes' names, in row order.
    ///   - groups: each sample's group; one distinct label (or an empty array) means no grouping.
    ///   - pairLimit: candidates for the best pair with groups have ρ below this (the authors' 0.25).
    /// - Returns: `nil` with fewer than three genes, or a group of fewer than two samples.
    public static func analyze(values: [[Double]], genes: [String], groups: [String] = [], pairLimit: Double = 0.25)
        -> Result?
    {
        let k = values.count
        guard k >= 3, genes.count == k, let n = values.first?.count, values.allSatisfy({ $0.count == n }) else {
            return nil
        }
        let labels = groups.isEmpty ? Array(repeating: "", count: n) : groups
        guard labels.count == n else { return nil }
        let levels = Array(Set(labels)).sorted()
        let members = levels.map { level in (0..<n).filter { labels[$0] == level } }
        guard members.allSatisfy({ $0.count >= 2 }) else { return nil }
        let variances = members.map { intragroupVariances(values, samples: $0) }
        if levels.count == 1 {
            return ungrouped(values, genes: genes, variances: variances[0], samples: n)
        }
        let g = Double(levels.count)
        let kk = Double(k)
        // Gene × group means, double-centred.
        let means = (0..<k).map { i in members.map { samples in mean(samples.map { values[i][$0] }) } }
        let rowMeans = means.map(mean)
        let columnMeans = (0..<levels.count).map { h in mean(means.map { $0[h] }) }
        let grandMean = mean(rowMeans)
        let d = (0..<k).map { i in
            (0..<levels.count).map { h in means[i][h] - rowMeans[i] - columnMeans[h] + grandMean }
        }
        let v = (0..<k).map { i in (0..<levels.count).map { h in variances[h][i] / Double(members[h].count) } }
        let sumD2 = d.joined().reduce(0) { $0 + $1 * $1 }
        let sumV = v.joined().reduce(0, +)
        let gamma2 = max(0, sumD2 / ((g - 1) * (kk - 1)) - sumV / (kk * g))
        func shrunk(_ i: Int, _ h: Int) -> (difference: Double, variance: Double) {
            let ratio = gamma2 + v[i][h] == 0 ? 0 : gamma2 / (gamma2 + v[i][h])
            return (d[i][h] * ratio, v[i][h] + v[i][h] * ratio)
        }
        let pooledDegrees = Double(n - levels.count)
        var result: [Gene] = []
        for i in 0..<k {
            var stability = 0.0
            var pooled = 0.0
            var shrunkDifferences: [Double] = []
            var shrunkVariances: [Double] = []
            for h in 0..<levels.count {
                let (difference, variance) = shrunk(i, h)
                stability += abs(difference) + variance.squareRoot()
                pooled += Double(members[h].count - 1) * variances[h][i]
                shrunkDifferences.append(difference)
                shrunkVariances.append(variance)
            }
            let largest = d[i].map { abs($0) }.max() ?? 0
            result.append(
                Gene(
                    name: genes[i], stability: stability / g, groupDifference: 2 * largest,
                    groupSD: (pooled / pooledDegrees).squareRoot(), differences: shrunkDifferences,
                    variances: shrunkVariances))
        }
        // Candidates for the pair: stability below the limit, at least the four most stable (ties included).
        let sorted = result.map(\.stability).sorted()
        var candidates = (0..<k).filter { result[$0].stability < pairLimit }
        if candidates.count < 4 {
            let fourth = sorted[min(3, k - 1)]
            candidates = (0..<k).filter { result[$0].stability <= fourth }
        }
        var best: Pair?
        for (position, a) in candidates.enumerated() {
            for b in candidates[(position + 1)...] {
                let value = averaged([result[a], result[b]], candidates: k)
                if value < best?.stability ?? .infinity {
                    best = Pair(first: genes[a], second: genes[b], stability: value)
                }
            }
        }
        result = stableOrder(result)
        return Result(genes: result, groups: levels, betweenGroupVariance: gamma2, bestPair: best, samplesUsed: n)
    }

    /// The stability of the mean of `members` as one normaliser.
    ///
    /// For i of the k candidates (2 ≤ i < k): the mean over groups of |mean of their shrunk differences| ·
    /// √(k/(k − i)) + √(mean of their variance terms / i). For two genes this is the authors' pair measure.
    static func averaged(_ members: [Gene], candidates k: Int) -> Double {
        let i = Double(members.count)
        let spread = (Double(k) / (Double(k) - i)).squareRoot()
        let groups = members.first?.differences.count ?? 0
        let terms = (0..<groups).map { h in
            let difference = members.reduce(0) { $0 + $1.differences[h] } / i
            let variance = members.reduce(0) { $0 + $1.variances[h] } / i
            return abs(difference) * spread + (variance / i).squareRoot()
        }
        return mean(terms)
    }

    /// Without groups: σ_i over all samples, and the pair whose mean has the smallest σ among the genes with σ
    /// within 0.1 of the smallest (the mean of the two replaces them in a re-analysis of the remaining genes).
    static func ungrouped(_ values: [[Double]], genes: [String], variances: [Double], samples: Int) -> Result {
        let sigma = variances.map { $0.squareRoot() }
        let genesOut = (0..<values.count).map {
            Gene(name: genes[$0], stability: sigma[$0], groupDifference: nil, groupSD: sigma[$0])
        }
        let smallest = sigma.min() ?? 0
        let candidates = (0..<values.count).filter { sigma[$0] < smallest + 0.1 }
        var best: Pair?
        if values.count > 3 {
            for (position, a) in candidates.enumerated() {
                for b in candidates[(position + 1)...] {
                    var reduced = (0..<values.count).filter { $0 != a && $0 != b }.map { values[$0] }
                    reduced.append(zip(values[a], values[b]).map { ($0 + $1) / 2 })
                    guard let last = intragroupVariances(reduced, samples: Array(0..<samples)).last else { continue }
                    if last.squareRoot() < best?.stability ?? .infinity {
                        best = Pair(first: genes[a], second: genes[b], stability: last.squareRoot())
                    }
                }
            }
        }
        return Result(
            genes: stableOrder(genesOut), groups: [], betweenGroupVariance: nil, bestPair: best, samplesUsed: samples)
    }

    /// σ²_i of every gene over `samples` (one group): bias-corrected residual variance of the two-way fit, with
    /// negative values replaced by a quarter of the smallest variance of the gene's difference to another.
    static func intragroupVariances(_ values: [[Double]], samples: [Int]) -> [Double] {
        let k = values.count
        let kk = Double(k)
        let sampleMeans = samples.map { s in mean(values.map { $0[s] }) }
        let geneMeans = values.map { row in mean(samples.map { row[$0] }) }
        let grand = mean(geneMeans)
        let raw = (0..<k).map { i in
            samples.indices.reduce(0.0) { sum, position in
                let residual = values[i][samples[position]] - geneMeans[i] - sampleMeans[position] + grand
                return sum + residual * residual
            } / Double(samples.count - 1)
        }
        let total = raw.reduce(0, +)
        return (0..<k).map { i in
            let corrected = (raw[i] - total / (kk * (kk - 1))) / (1 - 2 / kk)
            guard corrected < 0 else { return corrected }
            let fallback =
                (0..<k).filter { $0 != i }.map { l in
                    Descriptive.variance(samples.map { values[i][$0] - values[l][$0] }) ?? .nan
                }.min() ?? 0
            return fallback / 4
        }
    }

    /// The mean of a non-empty group (every group here has at least two samples).
    static func mean(_ values: [Double]) -> Double { Descriptive.mean(values) ?? .nan }

    /// Most stable first; equal stabilities keep their input order.
    static func stableOrder(_ genes: [Gene]) -> [Gene] {
        genes.enumerated().sorted { ($0.element.stability, $0.offset) < ($1.element.stability, $1.offset) }.map(
            \.element)
    }
}

extension NormFinder.Result {
    /// One step of ``stepwise(upTo:)``: the gene added and the stability of the mean of the genes chosen so far.
    public struct Step: Sendable, Hashable {
        public var gene: String
        public var stability: Double
    }

    /// The stability of the mean of the named candidates as one normaliser.
    ///
    /// For i of the k candidates (2 ≤ i < k): the mean over groups of |mean shrunk difference| · √(k/(k − i)) +
    /// √(mean variance term / i). For two genes it is the authors' pair measure (``bestPair``). `nil` without
    /// groups, for an unknown or repeated name, or for fewer than two or all k genes.
    public func averageStability(of names: [String]) -> Double? {
        let members = names.compactMap { name in genes.first { $0.name == name } }
        guard !groups.isEmpty, members.count == names.count, Set(names).count == names.count, names.count >= 2,
            names.count < genes.count
        else { return nil }
        return NormFinder.averaged(members, candidates: genes.count)
    }

    /// Stepwise selection of an averaged normaliser (with groups).
    ///
    /// The most stable gene by ρ, then at each step the gene whose addition gives the most stable mean
    /// (``averageStability(of:)``; a tie goes to the gene listed first in `genes`), up to `count` genes and at
    /// most k − 1. This is the greedy search of NormqPCR's `selectHKs(method = "NormFinder")`, which its
    /// vignette traces to the "average control gene" of Andersen et al.'s supplement; the authors' own code
    /// instead scores every pair of its candidates (``bestPair``), so the first two genes here are that pair
    /// only when it contains the most stable gene. Empty without groups.
    public func stepwise(upTo count: Int) -> [Step] {
        guard !groups.isEmpty, let first = genes.first else { return [] }
        var chosen = [first]
        var steps = [Step(gene: first.name, stability: first.stability)]
        while chosen.count < min(count, genes.count - 1) {
            var best: (gene: NormFinder.Gene, stability: Double)?
            for gene in genes where !chosen.contains(where: { $0.name == gene.name }) {
                let value = NormFinder.averaged(chosen + [gene], candidates: genes.count)
                if value < best?.stability ?? .infinity { best = (gene, value) }
            }
            guard let best else { break }
            chosen.append(best.gene)
            steps.append(Step(gene: best.gene.name, stability: best.stability))
        }
        return steps
    }
}

extension NormFinder {
    /// NormFinder on the mean Cq of candidate references, as log2 quantities −Cq·log2(E).
    ///
    /// - Parameters:
    ///   - matrix: mean Cq per sample and analyte.
    ///   - genes: at least three candidate references.
    ///   - groups: each sample's group (samples without one are left out); empty for no grouping.
    ///   - efficiencies: amplification factor per gene (default 2).
    /// - Returns: `nil` with fewer than three genes or a group with fewer than two complete samples.
    public static func analyze(
        _ matrix: CqMatrix, genes: [String], groups: [SampleID: String] = [:], efficiencies: [String: Double] = [:]
    ) -> Result? {
        let samples = matrix.samples.filter { sample in
            genes.allSatisfy { matrix[sample, $0] != nil } && (groups.isEmpty || groups[sample] != nil)
        }
        let values = genes.map { gene in
            samples.map { -(matrix[$0, gene] ?? 0) * log2(efficiencies[gene] ?? 2) }
        }
        return analyze(values: values, genes: genes, groups: groups.isEmpty ? [] : samples.compactMap { groups[$0] })
    }
}
