import ExoCore
import ExoQC
import ExoTestSupport
import Testing

struct PreanalyticalTests {
    static func cq(_ sample: String, _ analyte: String, _ value: Double?, replicate: Int = 1) -> SampleMeasurement {
        SampleMeasurement(
            sample: testSampleID(sample), analyte: Analyte(name: analyte, kind: .miRNA), assay: .qPCR, value: value,
            unit: .cq, replicate: replicate, flags: value == nil ? [.belowDetection] : [],
            source: InputLocation(path: "cq.tsv", line: 2))
    }

    static let samples = [
        Sample(id: testSampleID("S1"), patient: testPatientID("P1"), group: .case, specimen: .serum),
        Sample(id: testSampleID("S2"), patient: testPatientID("P2"), group: .case, specimen: .plasma),
        Sample(id: testSampleID("S3"), patient: testPatientID("P3"), group: .control, specimen: .csf),
        Sample(id: testSampleID("S4"), patient: testPatientID("P4"), group: .control, specimen: .serum),
    ]

    @Test func hemolysisIndexFlagsSamplesAboveSevenAndTheirSensitiveMiRNAs() {
        let measurements = [
            Self.cq("S1", "hsa-miR-23a-3p", 27.0), Self.cq("S1", "hsa-miR-23a-3p", 27.2, replicate: 2),
            Self.cq("S1", "hsa-miR-451a", 19.6),  // index 27.1 − 19.6 = 7.5: hemolysed
            Self.cq("S1", "hsa-miR-16-5p", 21.0), Self.cq("S1", "hsa-miR-4458", 29.0),
            Self.cq("S2", "hsa-miR-23a-3p", 27.0), Self.cq("S2", "hsa-miR-451a", 21.5),  // 5.5
            Self.cq("S2", "hsa-miR-16-5p", 22.0),
            Self.cq("S3", "hsa-miR-23a-3p", 30.0), Self.cq("S3", "hsa-miR-451a", 20.0),  // CSF: not assessed
            Self.cq("S4", "hsa-miR-23a-3p", 27.0),  // no miR-451a
        ]
        let assessment = HemolysisAssessment()
        let indices = assessment.indices(measurements, samples: Self.samples)
        #expect(indices.map(\.sample.rawValue) == ["S1", "S2", "S4"])
        #expect(indices.map(\.index) == [27.1 - 19.6, 5.5, nil])
        #expect(indices.map(\.isHemolysed) == [true, false, false])
        #expect(indices[2].missing == ["hsa-miR-451a"])
        let flagged = assessment.flagging(measurements, indices: indices)
        let hemolysisFlagged = flagged.filter { $0.flags.contains(.hemolysis) }.map {
            "\($0.sample) \($0.analyte.name)"
        }
        #expect(hemolysisFlagged == ["S1 hsa-miR-451a", "S1 hsa-miR-16-5p"])
    }

    @Test func replicatesSpreadingMoreThanHalfACycleAreFlagged() {
        let measurements = [
            Self.cq("S1", "hsa-miR-21-5p", 25.0), Self.cq("S1", "hsa-miR-21-5p", 25.4, replicate: 2),
            Self.cq("S2", "hsa-miR-21-5p", 25.0), Self.cq("S2", "hsa-miR-21-5p", 25.6, replicate: 2),
            Self.cq("S2", "hsa-miR-21-5p", nil, replicate: 3),
        ]
        let flagged = ReplicateSpread().flagging(measurements).map { $0.flags.contains(.replicateSpread) }
        #expect(flagged == [false, false, true, true, true])
    }
}
