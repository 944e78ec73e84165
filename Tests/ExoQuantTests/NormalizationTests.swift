import ExoCore
import ExoQuant
import ExoTestSupport
import Testing

struct NormalizationTests {
    static func cq(_ sample: String, _ analyte: String, _ value: Double?, flags: Set<MeasurementFlag> = [])
        -> SampleMeasurement
    {
        SampleMeasurement(
            sample: testSampleID(sample), analyte: Analyte(name: analyte, kind: .miRNA), assay: .qPCR, value: value,
            unit: .cq,
            flags: flags, source: InputLocation(path: "cq.tsv", line: 2))
    }

    static let matrix = CqMatrix([
        cq("S1", "miR-a", 25.0), cq("S1", "miR-a", 25.2), cq("S1", "miR-b", 30.0), cq("S1", "spike", 20.0),
        cq("S1", "miR-c", 36.0),
        cq("S2", "miR-a", 26.0), cq("S2", "miR-b", 31.0), cq("S2", "spike", 21.0), cq("S2", "miR-c", 34.0),
        cq("S2", "miR-a", nil, flags: [.belowDetection]),
    ])

    @Test func replicatesAreAveragedAndUndetectedValuesLeftOut() {
        #expect(Self.matrix[testSampleID("S1"), "miR-a"] == 25.1)
        #expect(Self.matrix[testSampleID("S2"), "miR-a"] == 26.0)
        #expect(Self.matrix[testSampleID("S3"), "miR-a"] == nil)
    }

    @Test func spikeInReferencesAndGlobalMeanGiveTheirDeltaCq() {
        let s1 = testSampleID("S1")
        let s2 = testSampleID("S2")
        #expect(Normalization.spikeIn("spike").deltaCq(Self.matrix, analyte: "miR-b") == [s1: 10, s2: 10])
        let references = Normalization.references(["miR-a", "spike"]).deltaCq(Self.matrix, analyte: "miR-b")
        #expect(abs((references[s1] ?? 0) - (30 - 22.55)) < 1e-12 && references[s2] == 31 - 23.5)
        // miR-c (Cq 36 in S1) is not expressed in every sample at ≤ 35, so the global mean uses miR-a, miR-b, spike.
        let global = Normalization.globalMean(maximumCq: 35).deltaCq(Self.matrix, analyte: "miR-b")
        #expect(abs((global[s1] ?? 0) - (30 - (25.1 + 30 + 20) / 3)) < 1e-12)
    }

    @Test func pfafflRatioCorrectsForEachAssaysEfficiency() {
        // Perfect doubling: target 3 cycles earlier, reference 1 cycle earlier in the sample → 2³ / 2¹ = 4.
        #expect(
            abs(
                pfafflRatio(
                    targetFactor: 2, targetCqControl: 28, targetCqSample: 25, referenceFactor: 2,
                    referenceCqControl: 20, referenceCqSample: 19) - 4) < 1e-12)
        // With a target efficiency of 1.9 the same shift is 1.9³ / 2 = 3.4295.
        #expect(
            abs(
                pfafflRatio(
                    targetFactor: 1.9, targetCqControl: 28, targetCqSample: 25, referenceFactor: 2,
                    referenceCqControl: 20, referenceCqSample: 19) - 3.4295) < 1e-12)
    }
}
