import ExoCore
import ExoFormats
import ExoPipeline
import ExoTestSupport
import Testing

/// A plain instrument Cq export (`Well, Sample, Target, Cq`) is read as a measurement file in cycles.
struct PlainCqTableTests {
    @Test func instrumentColumnNamesAreReadAndCqIsImplied() throws {
        let study = try Pipeline.validate(Fixture.url("good/plain-cq"))
        #expect(study.measurements.count == 4)
        #expect(study.measurements.allSatisfy { $0.unit == .cq && $0.assay == .qPCR })
        #expect(
            study.measurements.map(\.analyte.name) == ["hsa-miR-4458", "hsa-miR-4458", "hsa-miR-4458", "cel-miR-39-3p"])
        #expect(study.measurements[2].value == nil && study.measurements[2].flags == [.belowDetection])
        #expect(study.measurements[0].source.description == "data/cq-export.csv:2")
    }
}
