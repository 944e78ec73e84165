import ExoTestSupport
import Foundation
import Testing

/// `exoscope qpcr cq` and `qpcr analyze` on LightCycler 480 raw data, run as a user would.
struct QPCRInstrumentCommandTests {
    func exoscope(_ arguments: [String]) throws -> CommandResult {
        let executable = try #require(
            Fixture.exoscopeExecutable, "the exoscope executable was not built next to the tests")
        return try CommandResult.run(executable, arguments)
    }

    @Test func cqPrintsTheInstrumentAndTheTableItRead() throws {
        let file = Fixture.url("instrument/cfx-quantification-cq-results.csv").path
        let result = try exoscope(["qpcr", "cq", file])
        #expect(result.status == 0)
        #expect(result.standardError == "\(file): Bio-Rad CFX Maestro Quantification Cq Results, 7 wells\n")
        let lines = result.standardOutput.split(separator: "\n").map(String.init)
        #expect(
            lines.first
                == "file\tinstrument\tplate\twell\tsample\ttarget\ttask\treplicate\tcq\tcq_as_written\tomitted\tcq_cell"
        )
        #expect(lines.count == 8)
        #expect(
            lines[2]
                == "\(file)\tbioRadCFX\t\tA2\tP001-T0\thsa-miR-21-5p\tunknown\t2\t24.68\t24.68\tfalse\t\(file):3:42")
        // Not detected: the Cq is missing (NA), the cell as written is the instrument's "NaN".
        #expect(lines[3].contains("\tA3\tP002-T0\thsa-miR-21-5p\tunknown\t1\tNA\tNaN\tfalse\t"))
        let json = try exoscope(["qpcr", "cq", "--json", "-q", file])
        #expect(json.status == 0 && json.standardError.isEmpty)
        let rows = try #require(
            try JSONSerialization.jsonObject(with: Data(json.standardOutput.utf8)) as? [[String: Any]])
        #expect(rows.count == 7 && rows[4]["task"] as? String == "standard" && rows[4]["cq"] as? Double == 18.2)
        // Not detected: null, as every missing value of a table in JSON (the key is always there).
        #expect(rows[2]["cq"] is NSNull && rows[2]["cq_as_written"] as? String == "NaN")
    }

    @Test func cqRefusesAnUnrecognisedFileWithTheLayoutsAndReadsTheOthers() throws {
        let folder = try Fixture.temporaryDirectory()
        let bad = folder.appendingPathComponent("plate.csv")
        try Data("Sample,Detector,Cycle threshold\nS1,miR-21,24.5\n".utf8).write(to: bad)
        let good = Fixture.url("instrument/quantstudio-results.csv").path
        let result = try exoscope(["qpcr", "cq", good, bad.path])
        #expect(result.status == 65 && result.standardOutput.isEmpty)
        #expect(
            result.standardError.contains(
                "\(bad.path):1:1: error: expected the header row of a qPCR instrument Cq export"))
        #expect(
            result.standardError.contains("hint: recognised layouts: Applied Biosystems QuantStudio / 7500 results"))
    }

    @Test(.enabled(if: Fixture.sharedData != nil, "../shared/data is absent in this checkout"))
    func analyzeReadsLightCycler480RawDataWithItsSampleInformation() throws {
        let data = try #require(Fixture.sharedData).appendingPathComponent("qpcr_instrument_exports")
        let raw = data.appendingPathComponent("LC480_Example.txt").path
        let result = try exoscope([
            "qpcr", "analyze", raw, data.appendingPathComponent("LC480_Example_SampleInfo.txt").path,
        ])
        #expect(result.status == 0)
        #expect(
            result.standardError.hasPrefix(
                "\(raw): warning: 1002 readings look like Excel date serial numbers (the first at \(raw):77:34)"))
        let rows = result.standardOutput.split(separator: "\n").dropFirst().map {
            $0.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
        }
        #expect(rows.count == 96 && rows.allSatisfy { $0[0] == raw && $0[1] == "LC480_Example" })
        let a2 = try #require(rows.first { $0[2] == "A2" })
        #expect(a2[3] == "Sample_2" && a2[4] == "unkn" && a2[5] == "goi" && a2[9] == "false")
        #expect(rows.filter { $0[9] == "true" }.count == 31)
        #expect(rows.first { $0[2] == "A1" }?[4] == "ntc")
        let alone = try exoscope(["qpcr", "analyze", raw])
        #expect(alone.status == 0 && alone.standardOutput.contains("\tA2\tSample_2\tunkn\t465-510\t"))
    }

    @Test func analyzeRefusesTextThatIsNeitherRDMLNorLightCyclerRawData() throws {
        let folder = try Fixture.temporaryDirectory()
        let cq = Fixture.url("instrument/lc480-abs-quant-2nd-derivative-max.txt").path
        let info = folder.appendingPathComponent("run_SampleInfo.txt")
        try Data("General:Pos\tGeneral:Sample Name\nA1\tS\n".utf8).write(to: info)
        let result = try exoscope(["qpcr", "analyze", cq, info.path])
        #expect(result.status == 65)
        #expect(result.standardError.contains("\(cq):1: error: expected RDML or a LightCycler 480 raw data export"))
        #expect(result.standardError.contains("hint: for a Cq results export of an instrument use 'exoscope qpcr cq'"))
        #expect(
            result.standardError.contains(
                "\(info.path): error: expected a LightCycler 480 raw data file for this sample information, found none")
        )
    }
}
