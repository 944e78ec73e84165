import ExoQuant
import ExoStats
import ExoTestSupport
import Foundation
import Testing

/// Read-count normalisation against edgeR 3.40.2 (`calcNormFactors`, `cpm`) and DESeq2 1.38.3
/// (`estimateSizeFactors`), Debian's r-bioc-edger and r-bioc-deseq2 with R 4.2.2.
///
/// Every reference below is printed to 17 digits by the R command written above it (run from the repository root;
/// `print(..., digits = 17)`). `bench/stats/count_normalization_reference.R factors MATRIX` prints them all at once.
/// The tolerance is 1e-12 relative (1e-6 is the floor asked for); measured, every factor and CPM value compared
/// here is identical to R's to the last bit, which needs sums accumulated in long double as R does (see
/// `CountNormalization`).
struct CountNormalizationTests {
    /// Relative tolerance for every factor compared with R.
    static let tolerance = 1e-12

    /// A count matrix `[feature][sample]` from a tab-separated file with the feature names first (`# ` lines are
    /// comments) or a comma-separated one.
    static func counts(_ url: URL) throws -> [[Double]] {
        let separator: Character = url.pathExtension == "csv" ? "," : "\t"
        return try String(contentsOf: url, encoding: .utf8).split(whereSeparator: \.isNewline).dropFirst()
            .filter { !$0.hasPrefix("#") }
            .map { line in
                try line.split(separator: separator, omittingEmptySubsequences: false).dropFirst()
                    .map { try #require(Double($0)) }
            }
    }

    /// The hand-built fixture: 8 miRNAs × 4 samples with an all-zero miRNA, zeros in single samples and tied ratios.
    static func handMade() throws -> [[Double]] { try counts(Fixture.url("normalization/counts-8x4.tsv")) }

    static func expectClose(
        _ values: [Double], _ reference: [Double], relative: Double = tolerance, _ what: String,
        sourceLocation: SourceLocation = #_sourceLocation
    ) {
        #expect(values.count == reference.count, "\(what): \(values.count) values", sourceLocation: sourceLocation)
        for (index, (value, target)) in zip(values, reference).enumerated() {
            #expect(
                abs(value - target) <= relative * abs(target),
                "\(what)[\(index)]: \(value) vs R \(target)", sourceLocation: sourceLocation)
        }
    }

    // MARK: - Hand-built fixture (Tests/Fixtures/normalization/counts-8x4.tsv)

    @Test func countsPerMillionUseTheLibrarySizes() throws {
        let x = try Self.handMade()
        #expect(try CountNormalization.librarySizes(x) == [428, 756, 377, 199])
        let cpm = try CountNormalization.countsPerMillion(x)
        #expect(cpm[0][0] == 120 * (1e6 / 428) && cpm[3] == [0, 0, 0, 0])
        // Rscript -e 'library(edgeR); x <- as.matrix(read.delim("Tests/Fixtures/normalization/counts-8x4.tsv",
        //   row.names = 1)); print(cpm(calcNormFactors(DGEList(x)))[3, ], digits = 17)'
        let factors = try CountNormalization.tmm(x).factors
        let effective = try CountNormalization.effectiveLibrarySizes(
            librarySizes: CountNormalization.librarySizes(x), normalizationFactors: factors)
        Self.expectClose(
            try CountNormalization.countsPerMillion(x, librarySizes: effective)[2],
            [91390.693690476459, 112157.4297528535, 171908.30327859215, 0], "cpm(y)[3, ]")
    }

    @Test func tmmMatchesEdgeROnTheHandMadeFixture() throws {
        let x = try Self.handMade()
        // Rscript -e 'library(edgeR); x <- as.matrix(read.delim("Tests/Fixtures/normalization/counts-8x4.tsv",
        //   row.names = 1)); print(calcNormFactors(DGEList(x))$samples$norm.factors, digits = 17)'
        let tmm = try CountNormalization.tmm(x)
        #expect(tmm.reference == 3, "S4's upper-quartile factor is closest to their mean")
        Self.expectClose(
            tmm.factors, [1.0226199205989024, 0.94349617366667193, 0.92579119564710077, 1.1195218183718059], "TMM")
        // Rscript -e 'library(edgeR); x <- as.matrix(read.delim("Tests/Fixtures/normalization/counts-8x4.tsv",
        //   row.names = 1)); for (r in 1:3) print(calcNormFactors(DGEList(x), refColumn = r)$samples$norm.factors,
        //   digits = 17)'
        let byReference = [
            [0.92185884919655925, 1.0437978504130354, 1.0465665449764652, 0.99300703464546924],
            [0.87796607302469065, 0.99409915146711014, 0.97133813848447825, 1.1795656630670246],
            [0.86204213032731614, 1.001590443736778, 0.97865790923101137, 1.183451395150112],
        ]
        for (reference, expected) in byReference.enumerated() {
            let result = try CountNormalization.tmm(x, options: .init(reference: .sample(reference)))
            #expect(result.reference == reference)
            Self.expectClose(result.factors, expected, "TMM refColumn = \(reference + 1)")
        }
        // Rscript -e 'library(edgeR); x <- as.matrix(read.delim("Tests/Fixtures/normalization/counts-8x4.tsv",
        //   row.names = 1)); print(calcNormFactors(DGEList(x), doWeighting = FALSE)$samples$norm.factors,
        //   digits = 17)'
        Self.expectClose(
            try CountNormalization.tmm(x, options: .init(weighted: false)).factors,
            [0.92987709241013283, 1.0277129625656731, 0.98474236462659448, 1.0626249153505276], "TMM unweighted")
    }

    @Test func medianOfRatiosMatchesEdgeRAndDESeq2OnTheHandMadeFixture() throws {
        let x = try Self.handMade()
        // Rscript -e 'library(edgeR); x <- as.matrix(read.delim("Tests/Fixtures/normalization/counts-8x4.tsv",
        //   row.names = 1)); print(calcNormFactors(DGEList(x), method = "RLE")$samples$norm.factors, digits = 17)'
        Self.expectClose(
            try CountNormalization.relativeLogExpression(x),
            [0.93597150067084944, 1.0597772547278397, 0.94478947872044394, 1.0670572778879679], "edgeR RLE")
        // Rscript -e 'library(DESeq2); x <- as.matrix(read.delim("Tests/Fixtures/normalization/counts-8x4.tsv",
        //   row.names = 1)); d <- DESeqDataSetFromMatrix(x, data.frame(row.names = colnames(x)), ~1);
        //   print(sizeFactors(estimateSizeFactors(d)), digits = 17)'
        Self.expectClose(
            try CountNormalization.medianOfRatios(x),
            [1, 1.9999999999999993, 0.88913970501946116, 0.53007145129171773], "DESeq2 ratio")
        // The same with estimateSizeFactors(d, type = "poscounts").
        Self.expectClose(
            try CountNormalization.medianOfRatios(x, zeros: .positiveCounts),
            [1.019739163905037, 1.9237768067306029, 0.96188840336530157, 0.52994588905781148], "DESeq2 poscounts")
    }

    // MARK: - Sparse seeded fixture (Tests/Fixtures/normalization/counts-sparse-200x8.tsv)

    /// A sparse matrix: edgeR's reference by Σ√count, and no miRNA without a zero.
    ///
    /// 81 % zeros: seven of the eight upper quartiles are 0, so edgeR picks the reference by Σ√count, and every
    /// miRNA has a zero somewhere. Made by
    /// `Rscript bench/stats/count_normalization_reference.R sparse Tests/Fixtures/normalization/counts-sparse-200x8.tsv`.
    @Test func sparseLibrariesTakeTheReferenceWithTheLargestRootSum() throws {
        let x = try Self.counts(Fixture.url("normalization/counts-sparse-200x8.tsv"))
        // Rscript -e 'library(edgeR); x <- as.matrix(read.delim(
        //   "Tests/Fixtures/normalization/counts-sparse-200x8.tsv", row.names = 1));
        //   print(calcNormFactors(DGEList(x))$samples$norm.factors, digits = 17)'
        let tmm = try CountNormalization.tmm(x)
        #expect(tmm.reference == 7)
        Self.expectClose(
            tmm.factors,
            [
                1.0594972251551009, 1.4520929481787463, 0.82993949303816228, 1.6598789860763241, 1.3458478265483718,
                0.74027182326345009, 1.1317356723247667, 0.41845688724613223,
            ], "TMM")
        // The same with calcNormFactors(DGEList(x), refColumn = 2): tied M values give tied factors.
        Self.expectClose(
            try CountNormalization.tmm(x, options: .init(reference: .sample(1))).factors,
            [
                1.1764760001139909, 1.0842033726540701, 0.92157286675595962, 1.843145733511919, 1.0842033726540701,
                1.0842033726540701, 1.2566902728490359, 0.31244030833674502,
            ], "TMM refColumn = 2")
        // The same with calcNormFactors(DGEList(x), doWeighting = FALSE).
        Self.expectClose(
            try CountNormalization.tmm(x, options: .init(weighted: false)).factors,
            [
                1.0662358403460666, 1.3896196813130792, 0.83521807493775224, 1.6704361498755045, 1.354407689088247,
                0.7446787487247496, 1.1389337385514802, 0.42111835711147166,
            ], "TMM unweighted")
        // calcNormFactors(DGEList(x), method = "RLE") gives NA for every sample, and DESeq2's estimateSizeFactors
        // stops with "every gene contains at least one zero"; its type = "poscounts" gives 1 for every sample.
        #expect(throws: CountNormalizationError.everyFeatureHasZero) {
            try CountNormalization.relativeLogExpression(x)
        }
        #expect(throws: CountNormalizationError.everyFeatureHasZero) { try CountNormalization.medianOfRatios(x) }
        #expect(try CountNormalization.medianOfRatios(x, zeros: .positiveCounts) == Array(repeating: 1, count: 8))
    }

    // MARK: - GEO GSE122488: serum-EV small-RNA-seq, 1,939 miRNAs × 38 samples, CPM values

    static let gse122488 =
        "exosomal_mirna_case_control/GSE122488_smallRNAseq_serum_EV/GSE122488_expression_cpm.csv"

    /// The CPM matrix as published (real numbers, not integers, which edgeR takes as they are).
    static func gse122488Counts() throws -> [[Double]] {
        try counts(try #require(Fixture.sharedData).appendingPathComponent(gse122488))
    }

    // MARK: - edgeR's filterByExpr

    @Test func filterByExpressionMatchesEdgeROnTheHandMadeFixture() throws {
        // Rscript -e 'library(edgeR); x <- as.matrix(read.delim("Tests/Fixtures/normalization/counts-8x4.tsv",
        //   row.names = 1)); print(which(filterByExpr(DGEList(x), group = c("a", "a", "b", "b"), min.count = 5,
        //   min.total.count = 15)))'   → 1 2 3 5 6 7 8
        let keep = try CountNormalization.filterByExpression(
            try Self.handMade(), groups: ["a", "a", "b", "b"], minimumCount: 5)
        #expect(keep.indices.filter { keep[$0] }.map { $0 + 1 } == [1, 2, 3, 5, 6, 7, 8])
    }

    /// Two real tables and three group layouts: the smallest group below, at and above `large.n` (10), where the
    /// number of samples needed becomes 10 + (n − 10) × 0.7.
    @Test(
        .enabled(if: Fixture.sharedData != nil, "../shared/data (GEO GSE112462, GSE122488) is absent in this checkout"))
    func filterByExpressionMatchesEdgeROnRealTables() throws {
        let data = try #require(Fixture.sharedData)
        func groups(_ samples: String, column: Int) throws -> [String: String] {
            let rows = try String(contentsOf: data.appendingPathComponent(samples), encoding: .utf8)
                .split(whereSeparator: \.isNewline).dropFirst().map { $0.split(separator: ",").map(String.init) }
            return Dictionary(uniqueKeysWithValues: rows.map { ($0[0], $0[column]) })
        }
        func header(_ path: String) throws -> [String] {
            try String(contentsOf: data.appendingPathComponent(path), encoding: .utf8)
                .split(whereSeparator: \.isNewline)[0].split(separator: ",").dropFirst().map(String.init)
        }
        let nanostring = "exosomal_mirna_case_control/GSE112462_nanostring_serum_EV/"
        let sequencing = "exosomal_mirna_case_control/GSE122488_smallRNAseq_serum_EV/"
        // Rscript -e 'library(edgeR); d <- "../shared/data/exosomal_mirna_case_control/"; x <- as.matrix(read.csv(
        //   paste0(d, F), row.names = 1, check.names = FALSE)); s <- read.csv(paste0(d, S)); k <- filterByExpr(
        //   DGEList(x), group = s[[C]][match(colnames(x), s$sample_id)]); cat(sum(k), sum(which(k)))'
        // with F, S = the expression and samples files below and C the group column: kept, sum of kept positions.
        for (table, samples, column, name, kept, positions) in [
            (nanostring + "GSE112462_expression.csv", nanostring + "GSE112462_samples.csv", 3, "group", 324, 126_847),
            (
                sequencing + "GSE122488_expression_cpm.csv", sequencing + "GSE122488_samples.csv", 1, "group", 376,
                237_959
            ),
            (
                sequencing + "GSE122488_expression_cpm.csv", sequencing + "GSE122488_samples.csv", 2, "is_case", 345,
                217_727
            ),
        ] {
            let byID = try groups(samples, column: column)
            let labels = try header(table).map { byID[$0] ?? "?" }
            let keep = try CountNormalization.filterByExpression(
                try Self.counts(data.appendingPathComponent(table)), groups: labels)
            let indices = keep.indices.filter { keep[$0] }
            #expect(indices.count == kept, "\(table) by \(name)")
            #expect(indices.reduce(0) { $0 + $1 + 1 } == positions, "\(table) by \(name)")
        }
    }

    @Test(.enabled(if: Fixture.sharedData != nil, "../shared/data (GEO GSE122488) is absent in this checkout"))
    func tmmMatchesEdgeROnGSE122488() throws {
        let x = try Self.gse122488Counts()
        #expect(x.count == 1939 && x[0].count == 38)
        // Rscript -e 'library(edgeR); x <- as.matrix(read.csv(
        //   "../shared/data/exosomal_mirna_case_control/GSE122488_smallRNAseq_serum_EV/GSE122488_expression_cpm.csv",
        //   row.names = 1, check.names = FALSE)); print(calcNormFactors(DGEList(x))$samples$norm.factors, digits = 17)'
        let tmm = try CountNormalization.tmm(x)
        #expect(tmm.reference == 22, "edgeR's which.min(abs(f75 - mean(f75))) is GBM7, column 23")
        Self.expectClose(
            tmm.factors,
            [
                1.1775317710057498, 1.194426760687495, 1.0481103829567668, 0.90700310000251205,
                0.78181052225094128, 1.1040347924924565, 1.0695407958645804, 1.2269650069844229,
                1.1223781552959571, 1.1165870529907655, 0.80956183691094574, 0.89095645062047479,
                0.89374463225700396, 0.77426258234323742, 0.92263181718065412, 0.87614909616826731,
                0.80053849688393841, 0.83967234243523459, 0.75577597425316501, 0.77321655493716579,
                0.92846448288928973, 1.4142181114724002, 0.89446262711399227, 0.77259851988976491,
                0.92255685958858957, 1.3383693423068141, 1.0125416286275144, 1.2273611117609926,
                0.96568451205560635, 1.3197269592613428, 0.9908255579703249, 1.2414943795313791,
                1.2298762249072217, 0.85806133756706893, 1.0516559734124156, 1.2199361862360771,
                1.1628507425483787, 0.9673363883931746,
            ], "TMM")
        // The same with calcNormFactors(DGEList(x), refColumn = 1).
        Self.expectClose(
            try CountNormalization.tmm(x, options: .init(reference: .sample(0))).factors,
            [
                1.0888084539781977, 1.1359990390135968, 1.0516177144894532, 0.90263378947232054,
                0.83476224814139321, 1.1199105086008463, 1.1767199717082706, 1.1935111386502018,
                1.0299914824320306, 1.0980084026554708, 0.79636757540572989, 0.96837395569341356,
                0.86151703411706648, 0.80510937100344238, 1.0522005499014313, 0.85934644624604484,
                0.77994171011528268, 0.82605602340084039, 0.72613165312124595, 0.71538975275036099,
                0.97434209842301489, 1.4324367487614436, 0.82706768016750831, 0.77792486172572606,
                1.0958858653852763, 1.3252919449763898, 1.0223708118218926, 1.2556159400045597,
                0.91186792275381545, 1.464015679509846, 0.91433288113461431, 1.393246657687069,
                1.2670119913895432, 0.87119343758182244, 0.98544461966926677, 1.260250966067588,
                1.0779187281657774, 0.84227848558001717,
            ], "TMM refColumn = 1")
        // The same with print(cpm(calcNormFactors(DGEList(x)))[3, ], digits = 17) (hsa-let-7a-5p).
        let effective = try CountNormalization.effectiveLibrarySizes(
            librarySizes: CountNormalization.librarySizes(x), normalizationFactors: tmm.factors)
        Self.expectClose(
            try CountNormalization.countsPerMillion(x, librarySizes: effective)[2],
            [
                50698.191596324614, 68144.925055374551, 43926.412576391915, 110786.83993453893,
                119545.25148899533, 67496.163175785186, 19471.128844317613, 13337.017688545993,
                44240.560811606301, 81739.186229944491, 89527.300077505599, 83191.346674176602,
                101645.23381150675, 120555.89342833532, 85158.127431170753, 89362.606479844471,
                126157.3558682018, 118743.47351988721, 135357.60843822791, 113284.60984824444,
                119838.82014500472, 28290.555522550465, 131608.61537735412, 187983.67128459076,
                74450.561668201437, 19292.33886536381, 49236.868950606011, 16649.531808228912,
                100107.20213119146, 38369.018288303298, 26101.066170305952, 17344.931083734202,
                29273.790374620843, 118099.48570871782, 83952.610675821765, 28509.846907511128,
                33064.085368497261, 13087.954295799984,
            ], "cpm(y)[3, ]")
    }

    @Test(.enabled(if: Fixture.sharedData != nil, "../shared/data (GEO GSE122488) is absent in this checkout"))
    func medianOfRatiosMatchesEdgeRAndDESeq2OnGSE122488() throws {
        let x = try Self.gse122488Counts()
        // Rscript -e 'library(edgeR); x <- as.matrix(read.csv(
        //   "../shared/data/exosomal_mirna_case_control/GSE122488_smallRNAseq_serum_EV/GSE122488_expression_cpm.csv",
        //   row.names = 1, check.names = FALSE));
        //   print(calcNormFactors(DGEList(x), method = "RLE")$samples$norm.factors, digits = 17)'
        Self.expectClose(
            try CountNormalization.relativeLogExpression(x),
            [
                1.0713952017919885, 1.0867284514301936, 1.0143217160236833, 0.89223960342307518,
                0.82956865895883614, 1.0834895963017619, 1.2171607903526673, 1.2186681950147777,
                1.1031853773075802, 1.0282906966067558, 0.92560434311634698, 0.90017992455171481,
                0.99662801532239076, 0.71839808998873378, 1.1186641322035904, 1.0162324692969853,
                0.83178204561500746, 0.8535391939688608, 0.85386363994062187, 0.80237750357608784,
                0.95188875620275348, 1.218193453936373, 0.97005663558733213, 0.61991243519596462,
                1.0909650397298347, 0.98179962761156125, 1.1314418928123249, 1.1979105025556782,
                0.95448859435355116, 1.210669054967378, 1.2328770991232676, 1.1203597764492357,
                1.0072666233452574, 0.87804507953861743, 1.1365287913665874, 1.1421031693995953,
                1.0745061696934484, 0.95433633452103672,
            ], "edgeR RLE")
        // DESeq2 takes integer counts only, so the CPM values are rounded first, as R's round does (half to even).
        let rounded = x.map { $0.map { $0.rounded(.toNearestOrEven) } }
        // Rscript -e 'library(DESeq2); x <- as.matrix(read.csv(
        //   "../shared/data/exosomal_mirna_case_control/GSE122488_smallRNAseq_serum_EV/GSE122488_expression_cpm.csv",
        //   row.names = 1, check.names = FALSE)); d <- DESeqDataSetFromMatrix(round(x),
        //   data.frame(row.names = colnames(x)), ~1); print(sizeFactors(estimateSizeFactors(d)), digits = 17)'
        Self.expectClose(
            try CountNormalization.medianOfRatios(rounded),
            [
                1.0824441184090312, 1.0973966234213661, 1.0289282923060197, 0.90709007382280915,
                0.84116202420794961, 1.0968829961846454, 1.2315766854565218, 1.2325597540018756,
                1.1119471049166201, 1.0364267888270917, 0.93652452950102305, 0.91125630331528318,
                1.0088913524875094, 0.7263238876056658, 1.1320636936010986, 1.0276870613124398,
                0.84301473981787267, 0.86244849862284179, 0.8673529716664321, 0.81332888795427638,
                0.96092598360655213, 1.2219789338394726, 0.98705682419587393, 0.62591547479768195,
                1.1037417396887854, 0.99437056663467893, 1.1460396535656456, 1.2093344707935596,
                0.96494506736721208, 1.2214621698394343, 1.2503446718189188, 1.1343027757060833,
                1.0127735571229974, 0.88831620498274722, 1.151483549830963, 1.1543539456524345,
                1.081985668240109, 0.96564874480699614,
            ], "DESeq2 ratio")
        // The same with estimateSizeFactors(d, type = "poscounts").
        Self.expectClose(
            try CountNormalization.medianOfRatios(rounded, zeros: .positiveCounts),
            [
                1.106981887962222, 1.1405522977024962, 0.81009618517595217, 0.85238701502673497,
                0.78107529777143192, 1.0258418590680707, 1.0657601117029643, 1.1991983009270188,
                1.2628936643287307, 1.2819378547731264, 0.77278542502852599, 0.79545340470690551,
                0.81009618517595217, 0.78495498712954026, 0.85056120831649351, 0.82500851131366526,
                0.76458353610778107, 0.99331317754968096, 0.7525405438244146, 0.78107529777143192,
                1.0333623450896294, 1.4041425948661324, 0.82500851131366526, 0.86839009614260798,
                0.98212987109074579, 1.5307858635501612, 0.99015236231491055, 1.3955556796751596,
                1.0119724719281471, 1.4518978742729878, 0.99029429628022214, 1.2744337315383605,
                1.3680723083732207, 0.80848253915507196, 1.0004234481807308, 1.2418037735578173,
                1.1622475150389462, 0.88346472100998519,
            ], "DESeq2 poscounts")
    }

    // MARK: - Degenerate input

    /// A miRNA with no reads anywhere changes nothing: edgeR drops it before TMM and RLE, and DESeq2's geometric
    /// mean of it is 0, which leaves it out.
    @Test func anAllZeroMiRNAChangesNoFactor() throws {
        let x = try Self.handMade()
        #expect(x[3] == [0, 0, 0, 0])
        var without = x
        without.remove(at: 3)
        #expect(try CountNormalization.tmm(x) == CountNormalization.tmm(without))
        #expect(try CountNormalization.relativeLogExpression(x) == CountNormalization.relativeLogExpression(without))
        #expect(try CountNormalization.medianOfRatios(x) == CountNormalization.medianOfRatios(without))
    }

    /// A library with no reads cannot be scaled.
    ///
    /// edgeR gives no usable answer either:
    /// Rscript -e 'library(edgeR); x <- cbind(a = c(1, 2, 3), b = 0, c = c(2, 2, 5)); calcNormFactors(DGEList(x))'
    /// stops with "missing value where TRUE/FALSE needed" (after DGEList's warning "library size of zero
    /// detected"), `calcNormFactors(DGEList(x), method = "RLE")` returns NA NA NA, and DESeq2 stops with "every gene
    /// contains at least one zero".
    @Test func anEmptyLibraryIsAnError() throws {
        let x: [[Double]] = [[1, 0, 2], [2, 0, 2], [3, 0, 5]]
        #expect(throws: CountNormalizationError.emptyLibrary(sample: 1)) { try CountNormalization.tmm(x) }
        #expect(throws: CountNormalizationError.emptyLibrary(sample: 1)) {
            try CountNormalization.tmm(x, options: .init(reference: .sample(0)))
        }
        #expect(throws: CountNormalizationError.emptyLibrary(sample: 1)) {
            try CountNormalization.relativeLogExpression(x)
        }
        #expect(throws: CountNormalizationError.emptyLibrary(sample: 1)) { try CountNormalization.medianOfRatios(x) }
        #expect(throws: CountNormalizationError.emptyLibrary(sample: 1)) { try CountNormalization.countsPerMillion(x) }
        #expect(
            CountNormalizationError.emptyLibrary(sample: 1).description
                == "every count of sample 2 is zero, so it has no library size to normalise by")
    }

    /// Libraries in the same proportions: every |M| is below 10⁻⁶, so edgeR returns 1 without trimming
    /// (Rscript -e 'library(edgeR); calcNormFactors(cbind(c(1, 5, 9), c(2, 10, 18), c(3, 15, 27)))' prints 1 1 1);
    /// a single sample gets 1 from every method.
    @Test func proportionalLibrariesAndSingleSamplesGetOne() throws {
        let proportional: [[Double]] = [[1, 2, 3], [5, 10, 15], [9, 18, 27]]
        #expect(try CountNormalization.tmm(proportional).factors == [1, 1, 1])
        let single: [[Double]] = [[4], [0], [7]]
        let tmm = try CountNormalization.tmm(single)
        #expect(tmm.factors == [1] && tmm.reference == nil)
        #expect(try CountNormalization.relativeLogExpression(single) == [1])
        #expect(try CountNormalization.medianOfRatios(single) == [1])
    }

    @Test func invalidInputIsNamed() {
        #expect(throws: CountNormalizationError.emptyMatrix) { try CountNormalization.tmm([]) }
        #expect(throws: CountNormalizationError.emptyMatrix) { try CountNormalization.tmm([[]]) }
        #expect(throws: CountNormalizationError.raggedRow(feature: 1, samples: 1, expected: 2)) {
            try CountNormalization.tmm([[1, 2], [3]])
        }
        for bad in [-1, Double.nan, .infinity] {
            #expect(throws: CountNormalizationError.invalidCount(feature: 1, sample: 0)) {
                try CountNormalization.medianOfRatios([[1, 2], [bad, 2]])
            }
        }
        let x: [[Double]] = [[1, 2], [3, 4]]
        #expect(throws: CountNormalizationError.referenceOutOfRange(reference: 2, samples: 2)) {
            try CountNormalization.tmm(x, options: .init(reference: .sample(2)))
        }
        #expect(throws: CountNormalizationError.sampleCountMismatch(expected: 2, found: 3)) {
            try CountNormalization.tmm(x, librarySizes: [1, 2, 3])
        }
        #expect(throws: CountNormalizationError.invalidScale(sample: 1)) {
            try CountNormalization.countsPerMillion(x, librarySizes: [10, 0])
        }
        #expect(throws: CountNormalizationError.invalidScale(sample: 0)) {
            try CountNormalization.normalizedCounts(x, sizeFactors: [.nan, 1])
        }
    }

    // MARK: - Properties

    /// Over seeded negative-binomial-like matrices with many zeros: TMM and RLE factors multiply to 1, and
    /// reordering the miRNAs or the samples reorders nothing but the samples' factors.
    @Test func factorsMultiplyToOneAndFollowTheSamples() throws {
        for seed in 0..<200 {
            var rng = SeededGenerator(seed: UInt64(seed))
            let features = 30 + rng.index(below: 200)
            let samples = 2 + rng.index(below: 9)
            let depth = (0..<samples).map { _ in exp(rng.nextNormal(mean: 0, standardDeviation: 0.7)) }
            let x = (0..<features).map { _ in
                let level = exp(rng.nextNormal(mean: 1, standardDeviation: 2))
                return depth.map { (level * $0 * exp(rng.nextNormal(mean: 0, standardDeviation: 0.5))).rounded(.down) }
            }
            guard (0..<samples).allSatisfy({ sample in x.contains { $0[sample] > 0 } }) else { continue }
            let tmm = try CountNormalization.tmm(x)
            #expect(abs(tmm.factors.map { log($0) }.reduce(0, +)) < 1e-13, "seed \(seed): Π TMM = 1")
            let reversedSamples = x.map { Array($0.reversed()) }
            let again = try CountNormalization.tmm(
                Array(reversedSamples.reversed()),
                options: .init(reference: .sample(samples - 1 - (tmm.reference ?? 0))))
            for (a, b) in zip(tmm.factors, again.factors.reversed()) {
                #expect(abs(a - b) <= 1e-13 * a, "seed \(seed): TMM follows its samples")
            }
            if x.contains(where: { $0.allSatisfy { $0 > 0 } }) {
                let rle = try CountNormalization.relativeLogExpression(x)
                #expect(abs(rle.map { log($0) }.reduce(0, +)) < 1e-13, "seed \(seed): Π RLE = 1")
            }
        }
    }
}
