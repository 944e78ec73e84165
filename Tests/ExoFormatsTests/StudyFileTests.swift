import ExoCore
import ExoFormats
import Foundation
import Testing

struct StudyFileTests {
    func parse(_ yaml: String) throws -> (definition: StudyDefinition?, errors: [InputError]) {
        StudyFile.parse(
            try TextFile(
                bytes: Array(yaml.utf8), url: URL(fileURLWithPath: "/tmp/study.yaml"), displayPath: "study.yaml"))
    }

    @Test func minimalStudyHasDocumentedDefaults() throws {
        let parsed = try parse("schema: 1\nid: S-1\ntitle: T\n")
        let definition = try #require(parsed.definition)
        #expect(definition.sampleSheet == "samples.tsv")
        #expect(definition.treatmentEvent == "treatment start")
        #expect(definition.measurements.isEmpty)
        #expect(definition.normalization == NormalizationChoice.none)
        #expect(definition.globalMeanMaximumCq == 35)
    }

    @Test func theGlobalMeanCutOffIsAPositiveNumberOfCycles() throws {
        let set = try #require(
            try parse("schema: 1\nid: S-1\ntitle: T\nnormalization: global-mean\nglobalMeanMaximumCq: 32.5\n")
                .definition)
        #expect(set.normalization == .globalMean && set.globalMeanMaximumCq == 32.5)
        #expect(
            try parse("schema: 1\nid: S-1\ntitle: T\nglobalMeanMaximumCq: 0\n").errors.map(\.description) == [
                "study.yaml:4:22: error: the global mean's Cq cut-off must be > 0 cycles, found '0.0'\n  hint: the largest Cq counted as reliably detected, such as 35"
            ])
        #expect(
            try parse("schema: 1\nid: S-1\ntitle: T\nglobalMeanMaximumCq: high\n").errors.map(\.kind) == [
                .invalidNumber
            ])
    }

    @Test func columnsAreUTF8BytesEvenAfterNonASCIIText() throws {
        // 'é' is one Unicode scalar (libyaml's column unit) but two UTF-8 bytes.
        let parsed = try parse("schema: 1\nid: S-1\ntitle: Étude\nspecimen: bl00d\n")
        #expect(parsed.errors.first?.location.description == "study.yaml:4:11")
        let accented = try parse("schema: 1\nid: S-1\ntitle: T\nanalytes: {monitored: [miR-21, é, x]}\n")
        // 'é' starts at byte 32; 'x' is scalar column 35 but byte column 36.
        #expect(accented.errors.map(\.location.column) == [32, 36])
    }

    @Test func everyProblemIsCollected() throws {
        let parsed = try parse(
            "schema: one\ntitel: T\nmeasurements:\n  - file: a.tsv\n    assay: qPRC\n  - assay: dPCR\n")
        #expect(parsed.definition == nil)
        #expect(
            parsed.errors.map(\.kind) == [
                .unknownKey, .wrongType, .missingKey, .missingKey, .invalidValue, .missingKey,
            ])
        let assay = parsed.errors.first { $0.kind == .invalidValue }
        #expect(assay?.hint == "did you mean 'qPCR'?")
    }
}
