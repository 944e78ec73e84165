import ExoCore
import ExoFormats
import ExoPipeline
import ExoStore
import ExoTestSupport
import Foundation
import Testing

/// Partition counts in a study: replicate wells merged, Poisson with the study's partition volume, flags.
struct DigitalPCRStudyTests {
    @Test func wellsAreMergedQuantifiedAndFlagged() async throws {
        let study = try Pipeline.validate(Fixture.url("good/dpcr"))
        // The partition file's "miR-21" is resolved with a note, as the qPCR and table imports record theirs.
        #expect(study.nameResolutions.map(\.written) == ["miR-21"])
        let store = try await SQLiteStore()
        _ = try await Pipeline.importStudy(study, into: store, actor: "test")
        let stored = try await store.measurements(study: "DPCR-MINI")
        #expect(stored.count == 3)
        let merged = try #require(stored.first { $0.sample.rawValue == "S1" })
        // A01 + A02 pooled: (2143 + 2101) of (19953 + 19870) partitions at 0.85 nL.
        let p = 4244.0 / 39823.0
        #expect(abs((merged.value ?? 0) - -log1p(-p) / 0.85e-3) < 1e-9)
        #expect(merged.unit == .copiesPerMicroliter && merged.assay == .digitalPCR && merged.flags.isEmpty)
        let none = try #require(stored.first { $0.sample.rawValue == "S2" && $0.analyte.name == "hsa-miR-21-5p" })
        #expect(none.value == 0 && none.flags == [.belowDetection])
        let saturated = try #require(stored.first { $0.analyte.name == "cel-miR-39-3p" })
        #expect(saturated.value == nil && saturated.flags == [.aboveRange])
    }

    /// The same counts as a QIAcuity export (its `sep=,` line, unnamed well column, valid and positive
    /// partitions) give the same measurements.
    @Test func aQIAcuityExportInAStudyGivesTheSameValues() async throws {
        let directory = try Fixture.copy("good/dpcr")
        let qiacuity = """
            sep=,,,,,,
            ,Sample/NTC/Control,Target,Concentration (copies/µL),Partitions (valid),Partitions (positive),Partitions (negative)
            A01,S1,miR-21,133.7,19953,2143,17810
            A02,S1,miR-21,131.6,19870,2101,17769
            B01,S2,miR-21,0,20490,0,20490
            B02,S2,cel-miR-39-3p,-,15000,15000,0

            """
        try Data(qiacuity.utf8).write(to: directory.appendingPathComponent("data/partitions.csv"))
        let expected = try await Self.values(Pipeline.validate(Fixture.url("good/dpcr")))
        #expect(try await Self.values(Pipeline.validate(directory)) == expected)
    }

    static func values(_ study: LoadedStudy) async throws -> [String] {
        let store = try await SQLiteStore()
        _ = try await Pipeline.importStudy(study, into: store, actor: "test")
        return try await store.measurements(study: "DPCR-MINI").map {
            "\($0.sample.rawValue) \($0.analyte.name) \($0.value.map { String($0) } ?? "–") \($0.flags.map(\.rawValue).sorted())"
        }.sorted()
    }
}
