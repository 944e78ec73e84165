import ExoCore
import ExoFormats
import ExoQC
import ExoTestSupport
import Foundation
import Testing

/// The instrument's own verdicts on its captures as release criteria, and preparations nobody characterised.
struct InstrumentValidityTests {
    /// The committed bead export (NTA 3.4, 5 captures) with `validity` as its concentration-validity row.
    static func beads(validity: String) throws -> String {
        let text = String(
            decoding: try Data(contentsOf: Fixture.url("nta/beads2-ExperimentSummary.csv")), as: UTF8.self)
        let row = "Validity of concentration measurement,OK,OK,OK,OK,OK,"
        #expect(text.contains(row), "the fixture has the row to replace")
        return text.replacingOccurrences(of: row, with: "Validity of concentration measurement,\(validity),")
    }

    /// Two lots measured by NTA, one with two captures the software called unreliable, and one measured by a
    /// size-bin CSV (no validity items), against a specification that allows no unreliable capture.
    static func assess() throws -> [PreparationAssessment] {
        let folder = try Fixture.temporaryDirectory("exoscope-validity")
        try Data(try beads(validity: "OK,OK,OK,OK,OK").utf8).write(to: folder.appendingPathComponent("good.csv"))
        try Data(try beads(validity: "Unreliable,OK,Unreliable,OK,OK").utf8)
            .write(to: folder.appendingPathComponent("unreliable.csv"))
        try FileManager.default.copyItem(
            at: Fixture.url("qc/lot-MSC-01.csv"), to: folder.appendingPathComponent("bins.csv"))
        let lots = try TextFile(
            bytes: Array("lot_id\tsize_file\nGOOD\tgood.csv\nBAD\tunreliable.csv\nBINS\tbins.csv\n".utf8),
            url: folder.appendingPathComponent("lots.tsv"), displayPath: "lots.tsv")
        let table = CharacterisationTable.parse(lots, keyColumn: "lot_id", directory: folder, keys: nil)
        #expect(table.errors.isEmpty)
        let spec = try ReleaseSpecification.parse(
            TextFile(
                bytes: Array(
                    "name: NTA validity\ncriteria:\n  - metric: unreliable_capture_fraction\n    max: 0\n".utf8),
                url: URL(fileURLWithPath: "/dev/null"), displayPath: "spec.yaml"))
        return table.records.map { PreparationAssessment(key: $0.key, record: $0, markers: [], specification: spec) }
    }

    @Test func aLotWithUnreliableCapturesIsRejectedWhenTheSpecificationSaysSo() throws {
        let lots = try Self.assess()
        #expect(lots.map(\.key) == ["GOOD", "BAD", "BINS"])
        #expect(lots.map(\.verdict) == [.pass, .fail, .fail])
        let bad = try #require(lots[1].criteria.first)
        #expect(bad.criterion == "unreliable_capture_fraction" && bad.value == 0.4)
        #expect(bad.reason == "0.4 is above the maximum 0: 0.4 away")
        #expect(bad.remedy?.hasPrefix("the instrument could not trust the concentration") == true)
        // A size-bin export carries no validity items: the criterion is not measured, and says what would measure it.
        let bins = try #require(lots[2].criteria.first)
        #expect(bins.outcome == .notMeasured)
        #expect(bins.remedy?.contains("NanoSight NTA export") == true)
        #expect(lots[0].metrics["high_noise_capture_fraction"] == 0)
    }

    @Test func theSpecificationKnowsTheValidityMetrics() throws {
        for name in ["unreliable_capture_fraction", "high_noise_capture_fraction"] {
            #expect(QCMetric(parsing: name) != nil, "\(name)")
        }
    }

    /// A sample without a characterisation row or marker result is not characterised: no criteria, passes the gate,
    /// unless the study requires characterisation.
    @Test func anUncharacterisedPreparationIsNotAFailure() throws {
        let kept = PreparationAssessment(key: "S9", record: nil, markers: [], specification: .standard)
        #expect(kept.verdict == .notCharacterised && kept.passed && kept.criteria.isEmpty && !kept.isCharacterised)
        let required = PreparationAssessment(
            key: "S9", record: nil, markers: [], specification: .standard, requireCharacterisation: true)
        #expect(required.verdict == .notCharacterised && !required.passed)
        #expect(required.failures.map(\.criterion) == ["characterisation"])
        #expect(required.failures.first?.outcome == .notMeasured)
        // A marker result alone is a characterisation: the missing measurements then block as before.
        let blotted = PreparationAssessment(
            key: "S9", record: nil,
            markers: [
                MarkerObservation(
                    key: "S9", marker: try #require(EVMarker.named("CD63")), method: .westernBlot, detected: true,
                    signal: nil, location: InputLocation(path: "m.tsv", line: 2))
            ], specification: .standard)
        #expect(blotted.verdict == .fail && blotted.isCharacterised)
    }

    /// Results stored before the verdict existed decode as characterised.
    @Test func storedAssessmentsWithoutTheFlagDecodeAsCharacterised() throws {
        let assessment = PreparationAssessment(key: "S9", record: nil, markers: [], specification: .standard)
        var object = try #require(
            try JSONSerialization.jsonObject(with: JSONEncoder().encode(assessment)) as? [String: Any])
        #expect(object["characterised"] as? Bool == false)
        object["characterised"] = nil
        let old = try JSONDecoder().decode(
            PreparationAssessment.self, from: JSONSerialization.data(withJSONObject: object))
        #expect(old.isCharacterised && old.verdict == .pass)
    }
}
