import ExoCore
import ExoQuant
import ExoTestSupport
import Testing

struct GeNormTests {
    static func cq(_ sample: String, _ gene: String, _ value: Double) -> SampleMeasurement {
        SampleMeasurement(
            sample: testSampleID(sample), analyte: Analyte(name: gene, kind: .miRNA), assay: .qPCR, value: value,
            unit: .cq,
            source: InputLocation(path: "cq.tsv", line: 2))
    }

    /// Three candidates in four samples, worked by hand from the published definitions (E = 2, so the log2
    /// quantity is −Cq): V12 = SD(5, 5.5, 5, 5) = 0.25, V13 = SD(10, 9, 9, 10) = 0.5774, V23 = SD(5, 3.5, 4, 5) = 0.75;
    /// M1 = 0.4137, M2 = 0.5, M3 = 0.6637; G3 goes first, G1 and G2 remain with M = V12 = 0.25; V2/3 =
    /// SD over samples of ((a1 − a3) + (a2 − a3)) / 6 = 0.2192, above 0.15, so all three are needed.
    /// (python3 statistics.stdev of the same differences: 0.25, 0.5773502691896257, 0.75, 0.21916296997304877.)
    @Test func stabilityAndPairwiseVariationFollowTheDefinitions() throws {
        let cqs: [String: [Double]] = ["G1": [20, 21, 22, 23], "G2": [25, 26.5, 27, 28], "G3": [30, 30, 31, 33]]
        let matrix = CqMatrix(
            cqs.flatMap { gene, values in values.enumerated().map { Self.cq("S\($0.offset + 1)", gene, $0.element) } })
        let result = try #require(GeNorm.analyze(matrix, genes: ["G1", "G2", "G3"]))
        #expect(result.samplesUsed == 4)
        #expect(abs((result.initialStability["G1"] ?? 0) - (0.25 + 0.5773502691896257) / 2) < 1e-12)
        #expect(abs((result.initialStability["G2"] ?? 0) - 0.5) < 1e-12)
        #expect(abs((result.initialStability["G3"] ?? 0) - (0.5773502691896257 + 0.75) / 2) < 1e-12)
        #expect(result.order == ["G3", "G1", "G2"])
        #expect(abs(result.stabilities[1] - 0.25) < 1e-12 && abs(result.stabilities[2] - 0.25) < 1e-12)
        #expect(abs((result.pairwiseVariation[2] ?? 0) - 0.21916296997304877) < 1e-12)
        #expect(result.optimalNumber == 3)
    }

    @Test func samplesMissingACandidateAreLeftOutAndTooFewGiveNil() {
        let matrix = CqMatrix([
            Self.cq("S1", "A", 20), Self.cq("S1", "B", 25), Self.cq("S2", "A", 21), Self.cq("S2", "B", 26),
            Self.cq("S3", "A", 22),
        ])
        #expect(GeNorm.analyze(matrix, genes: ["A", "B"]) == nil)  // only two complete samples
        #expect(GeNorm.analyze(matrix, genes: ["A"]) == nil)
    }
}

struct NormalizationAdvisorTests {
    static func matrix(_ rows: [String: [Double]]) -> CqMatrix {
        CqMatrix(
            rows.flatMap { gene, values in
                values.enumerated().map { GeNormTests.cq("S\($0.offset + 1)", gene, $0.element) }
            })
    }

    @Test func twentyExpressedMiRNAsCallForTheGlobalMean() {
        var rows: [String: [Double]] = [:]
        for index in 0..<20 { rows["miR-\(index)"] = [25, 26, 27, 28].map { $0 + Double(index % 5) } }
        let advice = NormalizationAdvisor.recommend(Self.matrix(rows), spikeIns: [], references: [])
        #expect(advice.normalization == .globalMean(maximumCq: 35))
    }

    @Test func stableReferencesAreRecommendedAndUnstableOnesGiveWayToTheSpikeIn() {
        // R1 and R2 differ by a constant 3 cycles: their log ratio has SD 0, so M = 0.
        let stable = Self.matrix([
            "R1": [20, 22, 21, 23], "R2": [23, 25, 24, 26], "spike": [20, 20, 20, 20], "miR-x": [30, 31, 29, 30],
        ])
        #expect(
            NormalizationAdvisor.recommend(stable, spikeIns: ["spike"], references: ["R1", "R2"]).normalization
                == .references(["R1", "R2"]))
        let unstable = Self.matrix(["R1": [20, 22, 21, 23], "R2": [25, 23, 26, 22], "spike": [20, 20, 20, 20]])
        let advice = NormalizationAdvisor.recommend(unstable, spikeIns: ["spike"], references: ["R1", "R2"])
        #expect(advice.normalization == .spikeIn("spike"))
        #expect(advice.reason.contains("≥ 0.5"))
    }
}
