import ExoCore
import ExoMonitor
import ExoTestSupport
import Testing

/// The variance estimates behind the reference change value against R's one-way ANOVA mean squares.
///
/// Fixture and reference values: `Rscript bench/monitor/variance_reference.R` (R 4.2.2 Patched (2022-11-10 r83330),
/// base R's `aov`, seed 20260707; the script prints the fixture below and the values to 17 digits). The tolerance is
/// 1e-12 relative: R gets its residual sum of squares from a QR decomposition, ExoScope sums squared deviations, so
/// the two agree to rounding only.
struct MonitoringVariationTests {
    /// Technical replicate Cq values (analyte, sample, Cq): 8 samples, one with a single replicate.
    static let replicates: [(String, String, Double)] = [
        ("hsa-miR-21-5p", "S01", 27.538), ("hsa-miR-21-5p", "S01", 27.664), ("hsa-miR-21-5p", "S01", 27.788),
        ("hsa-miR-21-5p", "S02", 27.156), ("hsa-miR-21-5p", "S02", 27.559), ("hsa-miR-21-5p", "S02", 27.280),
        ("hsa-miR-21-5p", "S03", 27.421), ("hsa-miR-21-5p", "S03", 27.432), ("hsa-miR-21-5p", "S04", 27.504),
        ("hsa-miR-21-5p", "S04", 27.306), ("hsa-miR-21-5p", "S04", 27.654), ("hsa-miR-21-5p", "S05", 25.965),
        ("hsa-miR-21-5p", "S06", 26.937), ("hsa-miR-21-5p", "S06", 26.913), ("hsa-miR-21-5p", "S06", 26.763),
        ("hsa-miR-21-5p", "S07", 27.226), ("hsa-miR-21-5p", "S07", 27.081), ("hsa-miR-21-5p", "S08", 27.102),
        ("hsa-miR-21-5p", "S08", 27.103), ("hsa-miR-21-5p", "S08", 27.291), ("hsa-miR-21-5p", "S08", 27.395),
        ("hsa-miR-4458", "S01", 28.478), ("hsa-miR-4458", "S01", 28.391), ("hsa-miR-4458", "S01", 28.658),
        ("hsa-miR-4458", "S02", 26.747), ("hsa-miR-4458", "S02", 26.777), ("hsa-miR-4458", "S02", 27.390),
        ("hsa-miR-4458", "S03", 27.981), ("hsa-miR-4458", "S03", 27.329), ("hsa-miR-4458", "S04", 31.466),
        ("hsa-miR-4458", "S04", 31.403), ("hsa-miR-4458", "S04", 31.233), ("hsa-miR-4458", "S05", 27.024),
        ("hsa-miR-4458", "S06", 27.050), ("hsa-miR-4458", "S06", 27.845), ("hsa-miR-4458", "S06", 27.693),
        ("hsa-miR-4458", "S07", 27.064), ("hsa-miR-4458", "S07", 27.237), ("hsa-miR-4458", "S08", 28.903),
        ("hsa-miR-4458", "S08", 28.290), ("hsa-miR-4458", "S08", 28.990), ("hsa-miR-4458", "S08", 28.967),
        ("cel-miR-39-3p", "S01", 25.313), ("cel-miR-39-3p", "S01", 25.491), ("cel-miR-39-3p", "S01", 25.470),
        ("cel-miR-39-3p", "S02", 30.956), ("cel-miR-39-3p", "S02", 30.830), ("cel-miR-39-3p", "S02", 30.916),
        ("cel-miR-39-3p", "S03", 27.909), ("cel-miR-39-3p", "S03", 27.762), ("cel-miR-39-3p", "S04", 27.915),
        ("cel-miR-39-3p", "S04", 27.931), ("cel-miR-39-3p", "S04", 27.806), ("cel-miR-39-3p", "S05", 30.988),
        ("cel-miR-39-3p", "S06", 32.838), ("cel-miR-39-3p", "S06", 32.632), ("cel-miR-39-3p", "S06", 32.797),
        ("cel-miR-39-3p", "S07", 27.806), ("cel-miR-39-3p", "S07", 27.799), ("cel-miR-39-3p", "S08", 23.976),
        ("cel-miR-39-3p", "S08", 23.982), ("cel-miR-39-3p", "S08", 23.973), ("cel-miR-39-3p", "S08", 23.906),
    ]

    /// Serial −ΔCq values (analyte, patient, day, value): P1–P5 stable, P6 progressing; one value not evaluable.
    static let serial: [(String, String, Int, Double?)] = [
        ("hsa-miR-21-5p", "P1", 0, -3.809), ("hsa-miR-21-5p", "P1", 28, -4.327), ("hsa-miR-21-5p", "P1", 56, -4.712),
        ("hsa-miR-21-5p", "P1", 84, -4.165), ("hsa-miR-21-5p", "P2", 0, -1.560), ("hsa-miR-21-5p", "P2", 28, -2.457),
        ("hsa-miR-21-5p", "P2", 56, -1.808), ("hsa-miR-21-5p", "P3", 0, 0.434), ("hsa-miR-21-5p", "P3", 28, 0.212),
        ("hsa-miR-21-5p", "P3", 56, -0.195), ("hsa-miR-21-5p", "P3", 84, -0.143), ("hsa-miR-21-5p", "P3", 112, 0.125),
        ("hsa-miR-21-5p", "P3", 140, 0.083), ("hsa-miR-21-5p", "P4", 0, -2.440), ("hsa-miR-21-5p", "P4", 28, -2.600),
        ("hsa-miR-21-5p", "P4", 56, -1.985), ("hsa-miR-21-5p", "P4", 84, -3.132), ("hsa-miR-21-5p", "P4", 112, -2.770),
        ("hsa-miR-21-5p", "P5", 0, -3.793), ("hsa-miR-21-5p", "P5", 28, -4.376), ("hsa-miR-21-5p", "P5", 56, -4.240),
        ("hsa-miR-21-5p", "P6", 0, -4.247), ("hsa-miR-21-5p", "P6", 28, -4.322), ("hsa-miR-21-5p", "P6", 56, -5.250),
        ("hsa-miR-21-5p", "P6", 84, -4.423), ("hsa-miR-21-5p", "P6", 112, -4.126), ("hsa-miR-4458", "P1", 0, -1.690),
        ("hsa-miR-4458", "P1", 28, -1.123), ("hsa-miR-4458", "P1", 56, -1.214), ("hsa-miR-4458", "P1", 84, -1.770),
        ("hsa-miR-4458", "P2", 0, -0.334), ("hsa-miR-4458", "P2", 28, -0.066), ("hsa-miR-4458", "P2", 56, 0.110),
        ("hsa-miR-4458", "P3", 0, -2.515), ("hsa-miR-4458", "P3", 28, nil), ("hsa-miR-4458", "P3", 56, -3.384),
        ("hsa-miR-4458", "P3", 84, -3.118), ("hsa-miR-4458", "P3", 112, -2.415), ("hsa-miR-4458", "P3", 140, -2.628),
        ("hsa-miR-4458", "P4", 0, -5.592), ("hsa-miR-4458", "P4", 28, -4.685), ("hsa-miR-4458", "P4", 56, -5.072),
        ("hsa-miR-4458", "P4", 84, -5.225), ("hsa-miR-4458", "P4", 112, -5.197), ("hsa-miR-4458", "P5", 0, -2.054),
        ("hsa-miR-4458", "P5", 28, -1.819), ("hsa-miR-4458", "P5", 56, -2.239), ("hsa-miR-4458", "P6", 0, -3.013),
        ("hsa-miR-4458", "P6", 28, -2.956), ("hsa-miR-4458", "P6", 56, -3.624), ("hsa-miR-4458", "P6", 84, -2.841),
        ("hsa-miR-4458", "P6", 112, -3.546),
    ]

    /// R: `anova(aov(cq ~ factor(sample), d))["Residuals", "Mean Sq"]` per analyte, and the mean replicate count of
    /// the samples with two or more replicates (20 / 7).
    static let msWithin = [
        "hsa-miR-21-5p": 0.020692391025640258, "hsa-miR-4458": 0.095945653846153833,
        "cel-miR-39-3p": 0.0057616730769227721,
    ]
    static let meanReplicates = 2.8571428571428572

    /// R: `sqrt(ms / nbar + ms_spike / nbar_spike)` and `sqrt(ms / nbar)`.
    static let sdAWithSpikeIn = ["hsa-miR-21-5p": 0.096223294663491235, "hsa-miR-4458": 0.18867316826479807]
    static let sdAAlone = ["hsa-miR-21-5p": 0.085101920418837143, "hsa-miR-4458": 0.18325113600235562]

    /// R: `ms <- anova(aov(value ~ interaction(analyte, patient), stable))["Residuals", "Mean Sq"]` = 0.11799781182795704
    /// over P1–P5 without the NA; minus `sum(df * sd_a[analyte]^2) / sum(df)` = 0.0220034266232421 (SD_A with the
    /// spike-in); `sqrt(ms - that)`.
    static let sdI = 0.30982960672717341

    static func measurement(
        _ analyte: String, _ sample: String, _ value: Double?, unit: MeasurementUnit = .cq,
        flags: Set<MeasurementFlag> = []
    ) -> SampleMeasurement {
        SampleMeasurement(
            sample: testSampleID(sample), analyte: Analyte(name: analyte, kind: .miRNA), assay: .qPCR, value: value,
            unit: unit, flags: flags, source: InputLocation(path: "cq.tsv", line: 2))
    }

    static func expectClose(
        _ value: Double?, _ expected: Double, relative: Double = 1e-12,
        sourceLocation: SourceLocation = #_sourceLocation
    ) {
        guard let value else {
            Issue.record("expected \(expected), found nil", sourceLocation: sourceLocation)
            return
        }
        #expect(
            abs(value - expected) <= relative * abs(expected), "\(value) vs \(expected)", sourceLocation: sourceLocation
        )
    }

    @Test func pooledVarianceIsTheOneWayANOVAResidualMeanSquare() throws {
        for (analyte, expected) in Self.msWithin {
            let groups = Dictionary(grouping: Self.replicates.filter { $0.0 == analyte }, by: \.1).sorted {
                $0.key < $1.key
            }.map { $0.value.map(\.2) }
            let pooled = try #require(MonitoringVariation.PooledVariance(groups: groups))
            Self.expectClose(pooled.variance, expected)
            Self.expectClose(pooled.meanGroupSize, Self.meanReplicates)
            // 21 values in 8 samples, of which one has a single replicate: 21 − 8 residual degrees of freedom.
            #expect(pooled.degreesOfFreedom == 13)
        }
        #expect(MonitoringVariation.PooledVariance(groups: [[1.0], [2.0], []]) == nil)
    }

    @Test func analyticalSDMatchesR() {
        // Values without a number, below detection, or in another unit are not replicate Cq values.
        let measurements =
            Self.replicates.map { Self.measurement($0.0, $0.1, $0.2) } + [
                Self.measurement("hsa-miR-21-5p", "S05", nil, flags: [.belowDetection]),
                Self.measurement("hsa-miR-4458", "S01", 39.5, flags: [.belowDetection]),
                Self.measurement("hsa-miR-4458", "S02", 1.2e6, unit: .copiesPerMilliliter),
            ]
        let analytes = ["hsa-miR-21-5p", "hsa-miR-4458"]
        let withSpikeIn = MonitoringVariation.analyticalSD(
            measurements, analytes: analytes + ["hsa-miR-16-5p"], normaliser: "cel-miR-39-3p")
        let alone = MonitoringVariation.analyticalSD(measurements, analytes: analytes, normaliser: nil)
        for analyte in analytes {
            Self.expectClose(withSpikeIn[analyte], Self.sdAWithSpikeIn[analyte] ?? .nan)
            Self.expectClose(alone[analyte], Self.sdAAlone[analyte] ?? .nan)
        }
        // An analyte without replicates has no analytical SD; a normaliser without replicates adds nothing.
        #expect(withSpikeIn["hsa-miR-16-5p"] == nil)
        #expect(
            MonitoringVariation.analyticalSD(measurements, analytes: analytes, normaliser: "hsa-miR-16-5p") == alone)
    }

    @Test func withinSubjectSDMatchesR() {
        var values: [String: [String: [MonitoredValue]]] = [:]
        for (analyte, patient, day, value) in Self.serial {
            values[analyte, default: [:]][patient, default: []].append(
                MonitoredValue(sample: "\(patient)-\(day)", day: Double(day), value: value))
        }
        let stable: Set = ["P1", "P2", "P3", "P4", "P5"]
        Self.expectClose(
            MonitoringVariation.withinSubjectSD(values, patients: stable, analyticalSD: Self.sdAWithSpikeIn), Self.sdI)
        // The progressing patient's variation is not within-subject variation: counting P6 changes the estimate.
        let withP6 = MonitoringVariation.withinSubjectSD(
            values, patients: stable.union(["P6"]), analyticalSD: Self.sdAWithSpikeIn)
        #expect(withP6.map { abs($0 - Self.sdI) > 1e-6 } == true)
    }

    @Test func withinSubjectSDIsFlooredAtZeroAndAbsentWithoutTwoValues() {
        let values = [
            "a": [
                "P1": [
                    MonitoredValue(sample: "s1", day: 0, value: 1.0), MonitoredValue(sample: "s2", day: 28, value: 1.1),
                ],
                "P2": [
                    MonitoredValue(sample: "s3", day: 0, value: 2.0), MonitoredValue(sample: "s4", day: 28, value: nil),
                ],
            ]
        ]
        // Within-patient variance 0.005, less than an analytical variance of 0.04: SD_I is 0, not a NaN.
        #expect(MonitoringVariation.withinSubjectSD(values, patients: ["P1", "P2"], analyticalSD: ["a": 0.2]) == 0)
        Self.expectClose(
            MonitoringVariation.withinSubjectSD(values, patients: ["P1"], analyticalSD: [:]), 0.005.squareRoot())
        #expect(MonitoringVariation.withinSubjectSD(values, patients: ["P2"], analyticalSD: [:]) == nil)
        #expect(MonitoringVariation.withinSubjectSD(values, patients: [], analyticalSD: [:]) == nil)
    }
}
