import ExoCore
import ExoQuant
import ExoTestSupport
import Foundation
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

    /// Efficiency-corrected ΔCq: 2^(−ΔCq) is the quantity E^(−Cq) over the normaliser's (geometric mean for
    /// references), the ratio of two samples is Pfaffl's, and factors of 2 give the plain ΔCq.
    @Test func efficiencyCorrectedDeltaCqMatchesQuantitiesAndPfaffl() throws {
        let s1 = testSampleID("S1")
        let s2 = testSampleID("S2")
        let factors = ["miR-a": 1.85, "miR-b": 1.93, "spike": 1.97]
        let spike = Normalization.spikeIn("spike").deltaCq(Self.matrix, analyte: "miR-b", amplificationFactors: factors)
        let d1 = try #require(spike[s1])
        let d2 = try #require(spike[s2])
        #expect(
            abs(Foundation.pow(2, -d1) - Foundation.pow(1.93, -30) / Foundation.pow(1.97, -20)) < 1e-12
                * Foundation.pow(2, -d1))
        let ratio = pfafflRatio(
            targetFactor: 1.93, targetCqControl: 31, targetCqSample: 30, referenceFactor: 1.97, referenceCqControl: 21,
            referenceCqSample: 20)
        #expect(abs(Foundation.pow(2, d2 - d1) - ratio) < 1e-12)
        let references = Normalization.references(["miR-a", "spike"]).deltaCq(
            Self.matrix, analyte: "miR-b", amplificationFactors: factors)
        let expected =
            Foundation.pow(1.93, -30) / (Foundation.pow(1.85, -25.1) * Foundation.pow(1.97, -20)).squareRoot()
        #expect(abs(Foundation.pow(2, -(references[s1] ?? 0)) / expected - 1) < 1e-12)
        let doubling = Normalization.references(["miR-a", "spike"]).deltaCq(
            Self.matrix, analyte: "miR-b", amplificationFactors: ["miR-a": 2, "miR-b": 2, "spike": 2])
        let plain = Normalization.references(["miR-a", "spike"]).deltaCq(Self.matrix, analyte: "miR-b")
        #expect(doubling.keys.sorted() == plain.keys.sorted())
        for (sample, value) in plain { #expect(abs((doubling[sample] ?? .nan) - value) < 1e-12) }
    }
}
