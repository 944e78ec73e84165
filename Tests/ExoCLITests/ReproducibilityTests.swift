import ExoTestSupport
import Foundation
import GRDB
import Testing

/// Two clean runs of the demo, each in a process of its own (a dictionary's order, and with it any sum taken in
/// that order, changes from one process to the next), store the same results to the last bit.
struct ReproducibilityTests {
    @Test func twoCleanRunsOfTheDemoStoreIdenticalResults() throws {
        let executable = try #require(
            Fixture.exoscopeExecutable, "the exoscope executable was not built next to the tests")
        let root = try Fixture.temporaryDirectory("exoscope-reproducibility")
        var stored: [[String: String]] = []
        for run in ["first", "second"] {
            let folder = root.appendingPathComponent(run)
            let result = try CommandResult.run(executable, ["demo", "--output", folder.path, "--quiet"])
            #expect(result.status == 0, "\(result.standardError)")
            let database = try DatabaseQueue(path: folder.appendingPathComponent("exoscope.sqlite").path)
            stored.append(
                try database.read { db in
                    var results: [String: String] = [:]
                    for row in try Row.fetchAll(db, sql: "SELECT kind, resultJSON FROM analysisResult") {
                        results[row["kind"]] = row["resultJSON"]
                    }
                    let values = try String.fetchAll(
                        db,
                        sql: """
                            SELECT sampleId || ' ' || analyte || ' ' || ifnull(value, 'NA') FROM sampleMeasurement
                            ORDER BY sampleId, analyte, rowid
                            """)
                    results["measurements"] = values.joined(separator: "\n")
                    return results
                })
        }
        #expect(stored[0].keys.sorted() == stored[1].keys.sorted())
        #expect(stored[0].count >= 5, "\(stored[0].keys.sorted())")
        for kind in stored[0].keys.sorted() {
            #expect(stored[0][kind] == stored[1][kind], "\(kind) differs between two clean runs")
        }
    }
}
