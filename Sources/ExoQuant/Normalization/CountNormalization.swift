import ExoStats

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

#if (arch(x86_64) || arch(i386)) && !os(Windows) && !os(Android)
    /// The type R accumulates sums and means in (its `LDOUBLE`): the x87 80-bit extended type on x86, where R is
    /// built with it.
    private typealias Accumulator = Float80
#else
    /// The type R accumulates sums and means in (its `LDOUBLE`): `long double` is `double` on Apple silicon; on
    /// other platforms without `Float80` (aarch64 Linux, whose `long double` is 128 bits) results can differ from
    /// R's in the last bits.
    private typealias Accumulator = Double
#endif

/// Why a read-count matrix could not be normalised.
///
/// Positions are 0-based: `feature` is a row of `counts[feature][sample]`, `sample` a column. Messages name
/// positions, never the counts themselves.
public enum CountNormalizationError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The matrix has no feature or no sample.
    case emptyMatrix
    /// A row has a different number of samples from the first row.
    case raggedRow(feature: Int, samples: Int, expected: Int)
    /// A count is negative, NaN or infinite.
    case invalidCount(feature: Int, sample: Int)
    /// Every count of a sample is zero: it has no library to scale (edgeR's TMM stops with "missing value where
    /// TRUE/FALSE needed", its RLE returns NA for every sample, and DESeq2 finds no gene without a zero).
    case emptyLibrary(sample: Int)
    /// A list given per sample (library sizes, factors) has the wrong length.
    case sampleCountMismatch(expected: Int, found: Int)
    /// A library size or a factor is not a positive finite number.
    case invalidScale(sample: Int)
    /// The chosen TMM reference sample does not exist.
    case referenceOutOfRange(reference: Int, samples: Int)
    /// Every feature has a zero in some sample, so no feature has a geometric mean to be a ratio's denominator
    /// (DESeq2: "every gene contains at least one zero, cannot compute log geometric means"; edgeR's RLE
    /// returns NA).
    case everyFeatureHasZero

    /// What is wrong, in one sentence.
    public var description: String {
        switch self {
        case .emptyMatrix:
            return "the count matrix has no feature or no sample"
        case .raggedRow(let feature, let samples, let expected):
            return "feature \(feature + 1) has \(samples) counts, expected \(expected) (one per sample)"
        case .invalidCount(let feature, let sample):
            return "the count of feature \(feature + 1) in sample \(sample + 1) is negative or not a finite number"
        case .emptyLibrary(let sample):
            return "every count of sample \(sample + 1) is zero, so it has no library size to normalise by"
        case .sampleCountMismatch(let expected, let found):
            return "\(found) values were given per sample, expected \(expected)"
        case .invalidScale(let sample):
            return "the library size or factor of sample \(sample + 1) is not a positive finite number"
        case .referenceOutOfRange(let reference, let samples):
            return "reference sample \(reference) is outside the \(samples) samples (0-based)"
        case .everyFeatureHasZero:
            return "every feature has a zero count in some sample, so no geometric mean can serve as reference"
        }
    }
}

/// Scaling normalisation of read counts (small-RNA-seq miRNA counts): counts per million, edgeR's TMM and RLE
/// normalisation factors, DESeq2's median-of-ratios size factors, and the effective library sizes they give.
///
/// Conventions: `counts[feature][sample]` (rows are miRNAs, columns are libraries), every count finite and not
/// negative, not necessarily integer (edgeR accepts any such numbers; DESeq2's `DESeqDataSet` demands integers,
/// but the median-of-ratios rule itself does not). Every sample must have a non-zero count: a library with no
/// reads throws ``CountNormalizationError/emptyLibrary(sample:)`` where edgeR stops or returns NA.
///
/// Two kinds of factor, which must not be mixed up:
/// - a **normalisation factor** (edgeR's `norm.factors`, from ``tmm(_:librarySizes:options:)`` and
///   ``relativeLogExpression(_:librarySizes:)``) multiplies the library size: the effective library size is
///   lib.size × factor, and the factors multiply to 1 over the samples;
/// - a **size factor** (DESeq2's `sizeFactors`, from ``medianOfRatios(_:zeros:)``) replaces the library size
///   altogether: normalised counts are counts / size factor, so a size factor plays the part of
///   lib.size × norm.factor (up to one constant shared by all samples), not of the norm.factor alone.
///
/// References: Robinson & Oshlack 2010, doi:10.1186/gb-2010-11-3-r25 (TMM); Anders & Huber 2010,
/// doi:10.1186/gb-2010-11-10-r106 (median of ratios, edgeR's "RLE"); edgeR 3.40.2 `calcNormFactors`;
/// DESeq2 1.38.3 `estimateSizeFactorsForMatrix`. Implemented from the definitions and the rules those functions
/// follow (named in each function's documentation); tests compare with both packages to 1e-12.
public enum CountNormalization {
    // MARK: - Library sizes and counts per million

    /// Each sample's library size: the sum of its counts (edgeR's `colSums(counts)`, the `lib.size` of `DGEList`).
    ///
    /// - Complexity: O(features × samples).
    /// - Throws: ``CountNormalizationError`` for an empty or ragged matrix or an invalid count.
    public static func librarySizes(_ counts: [[Double]]) throws(CountNormalizationError) -> [Double] {
        let samples = try validate(counts)
        return columnSums(counts, samples: samples)
    }

    /// Counts per million (CPM; RPM for reads): count / library size × 10⁶, as edgeR's `cpm(counts, lib.size)`
    /// (computed as edgeR's C++ does, count × (10⁶ / library size)).
    ///
    /// - Parameters:
    ///   - counts: `counts[feature][sample]`.
    ///   - librarySizes: the library size of each sample; `nil` for the column sums (plain CPM). Pass
    ///     ``effectiveLibrarySizes(librarySizes:normalizationFactors:)`` for normalised CPM, which is what edgeR's
    ///     `cpm(y)` computes from a `DGEList` after `calcNormFactors`.
    /// - Returns: `cpm[feature][sample]`.
    /// - Complexity: O(features × samples).
    /// - Throws: ``CountNormalizationError`` for an invalid matrix, an empty library, or library sizes of the wrong
    ///   number or not positive and finite.
    public static func countsPerMillion(_ counts: [[Double]], librarySizes: [Double]? = nil)
        throws(CountNormalizationError) -> [[Double]]
    {
        let scales = try resolvedLibrarySizes(counts, librarySizes).map { 1e6 / $0 }
        return counts.map { row in row.indices.map { row[$0] * scales[$0] } }
    }

    /// The effective library sizes, lib.size × norm.factor, per sample (what edgeR's `cpm`, `voom` and the GLMs use
    /// for a `DGEList`: `y$samples$lib.size * y$samples$norm.factors`).
    ///
    /// - Complexity: O(samples).
    /// - Throws: ``CountNormalizationError`` when the lists differ in length or a value is not positive and finite.
    public static func effectiveLibrarySizes(librarySizes: [Double], normalizationFactors: [Double])
        throws(CountNormalizationError) -> [Double]
    {
        guard librarySizes.count == normalizationFactors.count else {
            throw .sampleCountMismatch(expected: librarySizes.count, found: normalizationFactors.count)
        }
        try validateScales(librarySizes)
        try validateScales(normalizationFactors)
        return zip(librarySizes, normalizationFactors).map { $0 * $1 }
    }

    /// Counts divided by each sample's size factor: DESeq2's `counts(dds, normalized = TRUE)` with the factors of
    /// ``medianOfRatios(_:zeros:)``.
    ///
    /// - Complexity: O(features × samples).
    /// - Throws: ``CountNormalizationError`` for an invalid matrix or size factors of the wrong number or not
    ///   positive and finite.
    public static func normalizedCounts(_ counts: [[Double]], sizeFactors: [Double])
        throws(CountNormalizationError) -> [[Double]]
    {
        let samples = try validate(counts)
        guard sizeFactors.count == samples else {
            throw .sampleCountMismatch(expected: samples, found: sizeFactors.count)
        }
        try validateScales(sizeFactors)
        return counts.map { row in row.indices.map { row[$0] / sizeFactors[$0] } }
    }

    // MARK: - edgeR: filterByExpr

    /// Which features are expressed well enough to analyse: edgeR's `filterByExpr(y, group = group)` (edgeR 3.40).
    ///
    /// A feature is kept when its CPM reaches `minimumCount` / median library size × 10⁶ in at least n samples and
    /// its total count reaches `minimumTotalCount`. n is the size of the smallest group, or, above `largeN`,
    /// `largeN` + (size − `largeN`) × `minimumProportion`. edgeR compares with a tolerance of 1e-14; so does this.
    ///
    /// - Parameters:
    ///   - counts: `counts[feature][sample]`.
    ///   - groups: each sample's group (any labels; only the group sizes matter).
    ///   - librarySizes: `nil` for the column sums, as `filterByExpr` on a `DGEList` before normalisation.
    ///   - minimumCount: `min.count`, default 10.
    ///   - minimumTotalCount: `min.total.count`, default 15.
    ///   - largeN: `large.n`, default 10.
    ///   - minimumProportion: `min.prop`, default 0.7.
    /// - Returns: one flag per feature, `true` to keep.
    /// - Complexity: O(features × samples).
    /// - Throws: ``CountNormalizationError`` for an invalid matrix, an empty library, or groups or library sizes of
    ///   the wrong number.
    public static func filterByExpression(
        _ counts: [[Double]], groups: [String], librarySizes: [Double]? = nil, minimumCount: Double = 10,
        minimumTotalCount: Double = 15, largeN: Double = 10, minimumProportion: Double = 0.7
    ) throws(CountNormalizationError) -> [Bool] {
        let sizes = try resolvedLibrarySizes(counts, librarySizes)
        guard groups.count == sizes.count else {
            throw .sampleCountMismatch(expected: sizes.count, found: groups.count)
        }
        var minimumSampleSize = Double(Dictionary(grouping: groups, by: { $0 }).values.map(\.count).min() ?? 0)
        if minimumSampleSize > largeN {
            minimumSampleSize = largeN + (minimumSampleSize - largeN) * minimumProportion
        }
        let sorted = sizes.sorted()
        let middle = sorted.count / 2
        let median = sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
        let cutoff = minimumCount / median * 1e6
        let tolerance = 1e-14
        let scales = sizes.map { 1e6 / $0 }
        return counts.map { row in
            var above = 0
            var total = 0.0
            for (index, count) in row.enumerated() {
                total += count
                if count * scales[index] >= cutoff { above += 1 }
            }
            return Double(above) >= minimumSampleSize - tolerance && total >= minimumTotalCount - tolerance
        }
    }

    // MARK: - edgeR: TMM

    /// The sample that every other is compared with in TMM.
    public enum Reference: Sendable, Hashable {
        /// edgeR's default: the sample whose upper-quartile factor (75th percentile of its counts, R's type-7
        /// quantile, over the features with a count somewhere, divided by its library size) is closest to the mean
        /// of those factors, the first on a tie; when the median of those factors is below 1e-20 (sparse
        /// libraries whose upper quartile is 0), the sample with the largest Σ√count.
        case upperQuartile
        /// A sample chosen by the caller (0-based column; edgeR's `refColumn`, which is 1-based).
        case sample(Int)
    }

    /// The settings of edgeR's `calcNormFactors(method = "TMM")`, with its defaults.
    public struct TMMOptions: Sendable, Hashable {
        /// How the reference sample is chosen.
        public var reference: Reference
        /// The fraction of M values (log ratios) trimmed from each end (`logratioTrim`).
        public var logRatioTrim: Double
        /// The fraction of A values (average log abundances) trimmed from each end (`sumTrim`).
        public var sumTrim: Double
        /// Whether the trimmed mean of M is weighted by the inverse of its approximate (delta method) variance
        /// (`doWeighting`).
        public var weighted: Bool
        /// Features with A at or below this are left out (`Acutoff`).
        public var aCutoff: Double

        /// edgeR's defaults: reference by upper quartile, trims 0.3 and 0.05, weighted, A cut-off −10¹⁰.
        public init(
            reference: Reference = .upperQuartile, logRatioTrim: Double = 0.3, sumTrim: Double = 0.05,
            weighted: Bool = true, aCutoff: Double = -1e10
        ) {
            self.reference = reference
            self.logRatioTrim = logRatioTrim
            self.sumTrim = sumTrim
            self.weighted = weighted
            self.aCutoff = aCutoff
        }
    }

    /// Normalisation factors and the reference sample they were computed against.
    public struct TMMResult: Sendable, Hashable {
        /// One normalisation factor per sample; their product is 1 (geometric mean 1).
        public var factors: [Double]
        /// The 0-based reference sample; `nil` when edgeR computes no TMM (a single sample), all factors then 1.
        public var reference: Int?
    }

    /// Trimmed mean of M values normalisation factors, as edgeR's `calcNormFactors(method = "TMM")`.
    ///
    /// Features with a zero count in every sample are dropped. For each sample s against the reference r, with
    /// library sizes N_s and N_r and counts y_gs, y_gr of feature g:
    /// - M_g = log2((y_gs/N_s) / (y_gr/N_r)) and A_g = (log2(y_gs/N_s) + log2(y_gr/N_r)) / 2, over the features
    ///   where both are finite (no zero in either sample) and A_g > `aCutoff`;
    /// - if every |M_g| < 10⁻⁶ (or no feature is left) the factor is 1;
    /// - otherwise, with n features left, a feature is kept when its rank of M (ties averaged, as R's `rank`) is
    ///   within [⌊n·logRatioTrim⌋ + 1, n − ⌊n·logRatioTrim⌋] and its rank of A within
    ///   [⌊n·sumTrim⌋ + 1, n − ⌊n·sumTrim⌋];
    /// - the factor is 2 to the mean of the kept M, weighted by 1/v_g with
    ///   v_g = (N_s − y_gs)/(N_s·y_gs) + (N_r − y_gr)/(N_r·y_gr) (terms that are NaN left out of both sums, as
    ///   R's `na.rm = TRUE`); a NaN mean (nothing kept) counts as 0, a factor of 1.
    ///
    /// The factors are then divided by their geometric mean. One sample gives the factor 1.
    ///
    /// - Parameters:
    ///   - counts: `counts[feature][sample]`, finite and not negative.
    ///   - librarySizes: per sample; `nil` for the column sums (edgeR's default `lib.size`).
    ///   - options: edgeR's arguments, defaults included.
    /// - Returns: the factors, in sample order, and the reference sample.
    /// - Complexity: O(samples × features log features).
    /// - Throws: ``CountNormalizationError`` for an invalid matrix or library sizes, a sample with no counts, or a
    ///   reference sample out of range.
    public static func tmm(_ counts: [[Double]], librarySizes: [Double]? = nil, options: TMMOptions = TMMOptions())
        throws(CountNormalizationError) -> TMMResult
    {
        let sizes = try resolvedLibrarySizes(counts, librarySizes)
        let samples = sizes.count
        if case .sample(let reference) = options.reference, !(0..<samples).contains(reference) {
            throw .referenceOutOfRange(reference: reference, samples: samples)
        }
        guard samples > 1 else { return TMMResult(factors: [1], reference: nil) }
        let expressed = counts.filter { row in row.contains { $0 > 0 } }
        let reference: Int
        switch options.reference {
        case .sample(let chosen): reference = chosen
        case .upperQuartile: reference = upperQuartileReference(expressed, librarySizes: sizes)
        }
        let referenceColumn = expressed.map { $0[reference] }
        let factors = (0..<samples).map { sample in
            tmmFactor(
                observed: expressed.map { $0[sample] }, reference: referenceColumn, observedSize: sizes[sample],
                referenceSize: sizes[reference], options: options)
        }
        return TMMResult(factors: dividedByGeometricMean(factors), reference: reference)
    }

    /// The default TMM reference (see ``Reference/upperQuartile``) among the features with a count somewhere.
    private static func upperQuartileReference(_ expressed: [[Double]], librarySizes: [Double]) -> Int {
        let samples = librarySizes.indices
        let upper = samples.map { sample in
            typeSevenQuantile(expressed.map { $0[sample] }, 0.75) / librarySizes[sample]
        }
        if median(upper) < 1e-20 {
            let roots = samples.map { sample in sum(expressed.lazy.map { $0[sample].squareRoot() }) }
            return firstIndexOfMaximum(roots)
        }
        let centre = mean(upper)
        return firstIndexOfMinimum(upper.map { abs($0 - centre) })
    }

    /// One sample's TMM factor against the reference, before the factors are divided by their geometric mean.
    private static func tmmFactor(
        observed: [Double], reference: [Double], observedSize: Double, referenceSize: Double, options: TMMOptions
    ) -> Double {
        var m: [Double] = []
        var a: [Double] = []
        var variance: [Double] = []
        for (y, r) in zip(observed, reference) {
            let ratio = log2((y / observedSize) / (r / referenceSize))
            let average = (log2(y / observedSize) + log2(r / referenceSize)) / 2
            guard ratio.isFinite, average.isFinite, average > options.aCutoff else { continue }
            m.append(ratio)
            a.append(average)
            variance.append((observedSize - y) / observedSize / y + (referenceSize - r) / referenceSize / r)
        }
        guard let largest = m.lazy.map(abs).max(), largest >= 1e-6 else { return 1 }
        let n = Double(m.count)
        let lowM = (n * options.logRatioTrim).rounded(.down) + 1
        let highM = n + 1 - lowM
        let lowA = (n * options.sumTrim).rounded(.down) + 1
        let highA = n + 1 - lowA
        let rankM = RankTests.averageRanks(m).ranks
        let rankA = RankTests.averageRanks(a).ranks
        let kept = m.indices.filter {
            rankM[$0] >= lowM && rankM[$0] <= highM && rankA[$0] >= lowA && rankA[$0] <= highA
        }
        var logFactor: Double
        if options.weighted {
            logFactor =
                sum(kept.lazy.map { m[$0] / variance[$0] }.filter { !$0.isNaN })
                / sum(kept.lazy.map { 1 / variance[$0] }.filter { !$0.isNaN })
        } else {
            logFactor = kept.isEmpty ? .nan : mean(kept.map { m[$0] })
        }
        if logFactor.isNaN { logFactor = 0 }
        return pow(2, logFactor)
    }

    // MARK: - Median of ratios: edgeR's RLE and DESeq2's size factors

    /// edgeR's RLE normalisation factors, `calcNormFactors(method = "RLE")`: normalisation factors (multiply the
    /// library sizes), not DESeq2's size factors.
    ///
    /// Features with a zero count in every sample are dropped; each remaining feature's geometric mean over the
    /// samples, gm_g = exp(mean_s log y_gs), is the pseudo-reference, and features with a zero anywhere (gm_g = 0)
    /// are left out. Sample s's raw factor is median_g(y_gs / gm_g) / N_s — the median of the ratios themselves,
    /// the mean of the two middle ones for an even count — and the factors are divided by their geometric mean.
    /// One sample gives the factor 1.
    ///
    /// - Parameters:
    ///   - counts: `counts[feature][sample]`, finite and not negative.
    ///   - librarySizes: per sample; `nil` for the column sums.
    /// - Returns: one normalisation factor per sample; their product is 1.
    /// - Complexity: O(features × samples + samples × features log features).
    /// - Throws: ``CountNormalizationError`` for an invalid matrix or library sizes, a sample with no counts, or
    ///   when every feature has a zero (edgeR returns NA then).
    public static func relativeLogExpression(_ counts: [[Double]], librarySizes: [Double]? = nil)
        throws(CountNormalizationError) -> [Double]
    {
        let sizes = try resolvedLibrarySizes(counts, librarySizes)
        guard sizes.count > 1 else { return [1] }
        let expressed = counts.filter { row in row.contains { $0 > 0 } }
        let references = expressed.map { row in exp(rowMean(row.map { log($0) })) }
        let complete = expressed.indices.filter { references[$0] > 0 }
        guard !complete.isEmpty else { throw .everyFeatureHasZero }
        let factors = sizes.indices.map { sample in
            median(complete.map { expressed[$0][sample] / references[$0] }) / sizes[sample]
        }
        return dividedByGeometricMean(factors)
    }

    /// How ``medianOfRatios(_:zeros:)`` treats zero counts (DESeq2's `type` of `estimateSizeFactors`).
    public enum ZeroHandling: Sendable, Hashable {
        /// DESeq2's default `type = "ratio"`: only features with no zero in any sample take part (their
        /// geometric mean is positive); throws when there is none.
        case excludeFeaturesWithZero
        /// DESeq2's `type = "poscounts"`: a feature's reference is exp(Σ log y over its positive counts / number of
        /// samples), zeros left out of each sample's median; the size factors are then divided by their geometric
        /// mean. Meant for sparse data where every feature has a zero somewhere.
        case positiveCounts
    }

    /// DESeq2's median-of-ratios size factors, `sizeFactors(estimateSizeFactors(dds))`
    /// (`estimateSizeFactorsForMatrix(counts)`): size factors (replace the library sizes), not edgeR's
    /// normalisation factors.
    ///
    /// With the log geometric mean of each feature over the samples, l_g = mean_s log y_gs (−∞ when the feature
    /// has a zero), sample s's size factor is exp(median over the features with finite l_g and y_gs > 0 of
    /// (log y_gs − l_g)) — the median taken of the log ratios, so for an even count it is the geometric mean of the
    /// two middle ratios, where edgeR's RLE takes their arithmetic mean. With ``ZeroHandling/positiveCounts``,
    /// l_g = log(exp(Σ_{y_gs > 0} log y_gs / samples)) and the factors are divided by their geometric mean.
    ///
    /// Unlike ``relativeLogExpression(_:librarySizes:)`` nothing is divided by the library size, and unlike
    /// ``tmm(_:librarySizes:options:)`` a single sample still gets a factor (1 for `excludeFeaturesWithZero`,
    /// as DESeq2).
    ///
    /// - Parameters:
    ///   - counts: `counts[feature][sample]`, finite and not negative (DESeq2 itself only takes integers in a
    ///     `DESeqDataSet`; round real-valued counts first to reproduce it).
    ///   - zeros: DESeq2's `type`.
    /// - Returns: one size factor per sample.
    /// - Complexity: O(features × samples + samples × features log features).
    /// - Throws: ``CountNormalizationError`` for an invalid matrix, a sample with no counts, or (for
    ///   `excludeFeaturesWithZero`) when every feature has a zero.
    public static func medianOfRatios(_ counts: [[Double]], zeros: ZeroHandling = .excludeFeaturesWithZero)
        throws(CountNormalizationError) -> [Double]
    {
        let samples = try validate(counts)
        try requireCounts(counts, samples: samples)
        let logReferences: [Double]
        switch zeros {
        case .excludeFeaturesWithZero:
            logReferences = counts.map { row in rowMean(row.map { log($0) }) }
        case .positiveCounts:
            logReferences = counts.map { row in
                row.allSatisfy { $0 == 0 }
                    ? -.infinity : log(exp(sum(row.lazy.filter { $0 > 0 }.map { log($0) }) / Double(row.count)))
            }
        }
        let finite = logReferences.indices.filter { logReferences[$0].isFinite }
        guard !finite.isEmpty else { throw .everyFeatureHasZero }
        let factors = (0..<samples).map { sample in
            exp(median(finite.filter { counts[$0][sample] > 0 }.map { log(counts[$0][sample]) - logReferences[$0] }))
        }
        return zeros == .positiveCounts ? dividedByGeometricMean(factors) : factors
    }

    // MARK: - Validation

    /// The number of samples of a non-empty rectangular matrix of finite, non-negative counts.
    private static func validate(_ counts: [[Double]]) throws(CountNormalizationError) -> Int {
        guard let samples = counts.first?.count, samples > 0 else { throw .emptyMatrix }
        for (feature, row) in counts.enumerated() {
            guard row.count == samples else {
                throw .raggedRow(feature: feature, samples: row.count, expected: samples)
            }
            if let sample = row.firstIndex(where: { !($0 >= 0 && $0.isFinite) }) {
                throw .invalidCount(feature: feature, sample: sample)
            }
        }
        return samples
    }

    /// Throws for the first sample whose counts are all zero.
    private static func requireCounts(_ counts: [[Double]], samples: Int) throws(CountNormalizationError) {
        for sample in 0..<samples where !counts.contains(where: { $0[sample] > 0 }) {
            throw .emptyLibrary(sample: sample)
        }
    }

    /// Throws for the first value that is not positive and finite.
    private static func validateScales(_ values: [Double]) throws(CountNormalizationError) {
        if let sample = values.firstIndex(where: { !($0 > 0 && $0.isFinite) }) { throw .invalidScale(sample: sample) }
    }

    /// The validated library sizes: the given ones, or the column sums.
    private static func resolvedLibrarySizes(_ counts: [[Double]], _ given: [Double]?)
        throws(CountNormalizationError) -> [Double]
    {
        let samples = try validate(counts)
        try requireCounts(counts, samples: samples)
        guard let given else { return columnSums(counts, samples: samples) }
        guard given.count == samples else { throw .sampleCountMismatch(expected: samples, found: given.count) }
        try validateScales(given)
        return given
    }

    // MARK: - R's arithmetic

    // TMM keeps or trims features by their ranks of M and A, with ties averaged, so a last-bit difference in a
    // library size can make two M values tie or not and move a feature across a trimming boundary: on GSE122488's
    // 28 controls and glioblastomas, summing the library sizes in double instead of R's long double changed TMM
    // factors by up to 1.7 · 10⁻⁴ (2.2 · 10⁻³ unweighted). Sums and means are therefore accumulated as R accumulates them.

    /// Column sums in row order (R's `colSums`).
    private static func columnSums(_ counts: [[Double]], samples: Int) -> [Double] {
        (0..<samples).map { sample in sum(counts.lazy.map { $0[sample] }) }
    }

    /// The factors divided by their geometric mean, f / exp(mean(log f)), so that they multiply to 1.
    private static func dividedByGeometricMean(_ factors: [Double]) -> [Double] {
        let scale = exp(mean(factors.map { log($0) }))
        return factors.map { $0 / scale }
    }

    /// A sum in order, accumulated as R's `sum` and `colSums` accumulate (in ``Accumulator``).
    private static func sum(_ values: some Sequence<Double>) -> Double {
        var total: Accumulator = 0
        for value in values { total += Accumulator(value) }
        return Double(total)
    }

    /// R's `mean`: the sum over n, corrected by the mean of the residuals from it, in ``Accumulator``.
    private static func mean(_ values: [Double]) -> Double {
        let n = Accumulator(values.count)
        var total: Accumulator = 0
        for value in values { total += Accumulator(value) }
        guard Double(total).isFinite else { return Double(total / n) }
        let first = total / n
        var residual: Accumulator = 0
        for value in values { residual += Accumulator(value) - first }
        return Double(first + residual / n)
    }

    /// R's `rowMeans` for one row: the sum over n in ``Accumulator``, without `mean`'s correction.
    private static func rowMean(_ values: [Double]) -> Double {
        var total: Accumulator = 0
        for value in values { total += Accumulator(value) }
        return Double(total / Accumulator(values.count))
    }

    /// R's `median`: the middle value, or the mean of the two middle values; NaN for none.
    private static func median(_ values: [Double]) -> Double {
        guard !values.isEmpty else { return .nan }
        let sorted = values.sorted()
        let half = sorted.count / 2
        return sorted.count % 2 == 1 ? sorted[half] : mean([sorted[half - 1], sorted[half]])
    }

    /// R's `quantile(x, p)` (type 7) as R computes it: (1 − h)·x₍ₗₒ₎ + h·x₍ₕᵢ₎ where the two order statistics
    /// differ, x₍ₗₒ₎ where they are equal.
    private static func typeSevenQuantile(_ values: [Double], _ p: Double) -> Double {
        guard !values.isEmpty else { return .nan }
        let sorted = values.sorted()
        let index = 1 + Double(sorted.count - 1) * p
        let low = index.rounded(.down)
        let high = index.rounded(.up)
        let lower = sorted[Int(low) - 1]
        let upper = sorted[Int(high) - 1]
        guard index > low, upper != lower else { return lower }
        let h = index - low
        return (1 - h) * lower + h * upper
    }

    /// The first index of the largest value (R's `which.max`).
    private static func firstIndexOfMaximum(_ values: [Double]) -> Int {
        var best = 0
        for index in values.indices where values[index] > values[best] { best = index }
        return best
    }

    /// The first index of the smallest value (R's `which.min`).
    private static func firstIndexOfMinimum(_ values: [Double]) -> Int {
        var best = 0
        for index in values.indices where values[index] < values[best] { best = index }
        return best
    }
}
