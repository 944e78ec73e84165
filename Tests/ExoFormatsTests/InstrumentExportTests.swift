import ExoCore
import ExoFormats
import ExoTestSupport
import Foundation
import Testing

/// qPCR instrument Cq exports (QuantStudio, 7900HT SDS, CFX, LightCycler 480, Rotor-Gene) and LightCycler 480
/// raw data: what they read and what they refuse.
struct InstrumentExportTests {
    static func fixture(_ name: String) throws -> InstrumentCqExport {
        try InstrumentCqExport.read(url: Fixture.url("instrument/\(name)"), displayPath: name)
    }

    static func text(_ text: String, path: String = "export.csv") throws -> TextFile {
        try TextFile(bytes: Array(text.utf8), url: URL(fileURLWithPath: path), displayPath: path)
    }

    /// The wells as `well sample target task replicate cq` strings, for compact comparisons.
    static func summary(_ export: InstrumentCqExport) -> [String] {
        export.wells.map {
            "\($0.well) \($0.sample) \($0.target) \($0.task.rawValue) \($0.replicate) \($0.cq.map { String($0) } ?? "-")"
        }
    }

    @Test func quantStudioResultsNumberReplicatesByTheWellIndex() throws {
        let export = try Self.fixture("quantstudio-results.csv")
        #expect(export.instrument == .quantStudio)
        #expect(
            Self.summary(export) == [
                "A2 P001-T0 hsa-miR-21-5p unknown 2 24.683", "A1 P001-T0 hsa-miR-21-5p unknown 1 24.511",
                "B1 P001-T0 RNU6B unknown 1 21.042", "B2 P001-T0 RNU6B unknown 2 21.174",
                "A3 P002-T0 hsa-miR-21-5p unknown 1 -", "A4 P002-T0 hsa-miR-21-5p unknown 2 31.87",
                "B3 STD-1e6 hsa-miR-21-5p standard 1 18.204", "H12 NTC hsa-miR-21-5p ntc 1 -",
            ])
        #expect(export.wells[0].cqLocation == InputLocation(path: "quantstudio-results.csv", line: 11, column: 54))
        #expect(export.wells[2].taskText == "UNKNOWN" && export.wells[4].cqText == "Undetermined")
        #expect(export.wells.map(\.isOmitted) == [false, false, false, false, false, true, false, false])
        #expect(export.wells.allSatisfy { $0.plate == nil })
    }

    @Test func semicolonsAndDecimalCommasReadAsTheCommaFile() throws {
        let comma = try Self.fixture("quantstudio-results.csv")
        let semicolon = try Self.fixture("quantstudio-results-semicolon.csv")
        #expect(semicolon.instrument == .quantStudio)
        #expect(Self.summary(semicolon) == Self.summary(comma))
        #expect(semicolon.wells[0].cqText == "24,683" && semicolon.wells[0].cqLocation.column == 54)
        let quoted = try InstrumentCqExport.read(
            Self.text("Well,Well Position,Sample Name,Target Name,Task,CT\n1,A1,S1,miR-21,UNKNOWN,\"24,51\"\n"))
        #expect(quoted.wells.first?.cq == 24.51)
        let declared = try InstrumentCqExport.read(
            Self.text("sep=;\nWell;Well Position;Sample Name;Target Name;CT\n7;A7;S1;miR-21;27,5\n"))
        #expect(Self.summary(declared) == ["A7 S1 miR-21 unknown 1 27.5"])
    }

    @Test func cfxContentAndNaNAreRead() throws {
        let export = try Self.fixture("cfx-quantification-cq-results.csv")
        #expect(export.instrument == .bioRadCFX)
        #expect(
            Self.summary(export) == [
                "A1 P001-T0 hsa-miR-21-5p unknown 1 24.51", "A2 P001-T0 hsa-miR-21-5p unknown 2 24.68",
                "A3 P002-T0 hsa-miR-21-5p unknown 1 -", "A4 P002-T0 hsa-miR-21-5p unknown 2 -",
                "B1 STD-1e6 hsa-miR-16-5p standard 1 18.2", "C1 PC hsa-miR-16-5p positiveControl 1 22.11",
                "H12  hsa-miR-21-5p ntc 1 -",
            ])
        #expect(export.wells[0].taskText == "Unkn-01" && export.wells[2].cqText == "NaN")
        #expect(export.wells[0].cqLocation.column == 42)
    }

    @Test func lightCycler480AbsQuantTakesTheSelectedFilterAsTarget() throws {
        let export = try Self.fixture("lc480-abs-quant-2nd-derivative-max.txt")
        #expect(export.instrument == .lightCycler480)
        let target = "SYBR Green I / HRM Dye (465-510)"
        #expect(
            Self.summary(export) == [
                "A1 P001-T0 \(target) unknown 1 24.51", "A2 P001-T0 \(target) unknown 2 24.68",
                "A3 Std 1e6 \(target) standard 1 18.02", "A4 P002-T0 \(target) unknown 1 31.87",
                "A5 P002-T0 \(target) unknown 2 -", "H12 NTC \(target) unknown 1 -",
            ])
        #expect(export.wells.map(\.isOmitted) == [false, false, false, true, false, false])
    }

    @Test func rotorGeneReadsOneTablePerChannel() throws {
        let export = try Self.fixture("rotorgene-quantitation-results.csv")
        #expect(export.instrument == .rotorGeneQ)
        #expect(
            Self.summary(export) == [
                "1 P001-T0 Cycling A.Green unknown 1 24.51", "2 P001-T0 Cycling A.Green unknown 2 24.68",
                "3 Std 1e6 Cycling A.Green standard 1 18.2", "4 P002-T0 Cycling A.Green unknown 1 -",
                "5 NTC Cycling A.Green ntc 1 -", "1 P001-T0 Cycling A.Yellow unknown 1 21.04",
                "2 P001-T0 Cycling A.Yellow unknown 2 21.17",
            ])
        #expect(
            export.wells[5].cqLocation
                == InputLocation(path: "rotorgene-quantitation-results.csv", line: 27, column: 20))
    }

    @Test(.enabled(if: Fixture.sharedData != nil, "../shared/data is absent in this checkout"))
    func realSDS21ExportReadsEveryWellOfBothCards() throws {
        let data = try #require(Fixture.sharedData)
        let url = data.appendingPathComponent("qpcr_instrument_exports/example.txt")
        let export = try InstrumentCqExport.read(url: url, displayPath: "example.txt")
        #expect(export.instrument == .abi7900HT)
        #expect(export.wells.count == 768)
        #expect(Set(export.wells.compactMap(\.plate)) == ["john dawes card 1", "john dawes card 2"])
        #expect(export.wells.filter { $0.cq == nil }.count == 99)
        #expect(export.wells.allSatisfy { $0.cq != nil || $0.cqText == "Undetermined" })
        #expect(export.wells.first?.well == "A1" && export.wells[383].well == "P24" && export.wells[384].well == "A1")
        #expect(export.wells[8].cq == 28.448927 && export.wells[8].target == "Rgs3-Rn00571037_m1")
        #expect(export.wells[10].task == .endogenousControl && export.wells[10].taskText == "Endogenous Control")
        #expect(export.wells[0].sample == "fp1 day3 v" && export.wells[0].cqLocation.line == 14)
        // Cross-check against the file read independently: the Ct column (6th) of every data row.
        let lines = try String(contentsOf: url, encoding: .utf8).split(
            separator: "\r\n", omittingEmptySubsequences: false)
        let written = lines[13..<781].map { $0.split(separator: "\t", omittingEmptySubsequences: false)[5] }
        #expect(export.wells.map(\.cqText) == written.map(String.init))
    }

    @Test(.enabled(if: Fixture.sharedData != nil, "../shared/data is absent in this checkout"))
    func realSDSTechnicalReplicatesAreNumberedByCardAndWell() throws {
        let data = try #require(Fixture.sharedData)
        let export = try InstrumentCqExport.read(
            url: data.appendingPathComponent("qpcr_instrument_exports/exampleTechReps.txt"),
            displayPath: "exampleTechReps.txt")
        #expect(export.wells.count == 2280 && Set(export.wells.compactMap(\.plate)).count == 6)
        #expect(export.wells.prefix(2).map(\.replicate) == [1, 2])
        #expect(export.wells.prefix(2).map(\.well) == ["A1", "A2"])
        let groups = Dictionary(grouping: export.wells) { "\($0.sample)|\($0.target)" }
        #expect(groups.values.allSatisfy { $0.map(\.replicate) == Array(1...$0.count) })
        #expect(groups["Human Control 3|ACE-Hs00174179_m1"]?.count == 4)
    }

    @Test func aGridWithItsOwnLocationsReadsAsTheTextDoes() throws {
        let rows = [
            ["Run", "plate 7"], [],
            ["Well", "Well Position", "Sample Name", "Target Name", "Task", "CT"],
            ["2", "A2", "S1", "miR-21", "UNKNOWN", "25.5"], ["1", "A1", "S1", "miR-21", "UNKNOWN", "Undetermined"],
        ]
        let export = try InstrumentCqExport.read(rows: rows, path: "book.xlsx") { row, column in
            InputLocation(path: "book.xlsx[Results]", line: row + 1, column: column + 1)
        }
        #expect(Self.summary(export) == ["A2 S1 miR-21 unknown 2 25.5", "A1 S1 miR-21 unknown 1 -"])
        #expect(export.wells[0].cqLocation.description == "book.xlsx[Results]:4:6")
    }

    @Test func utf16AndLatin1ExportsAreDecoded() throws {
        let folder = try Fixture.temporaryDirectory()
        let text = "Well\tWell Position\tSample Name\tTarget Name\tCT\n1\tA1\tPatient Müller\tmiR-21\t24.1\n"
        let utf16 = folder.appendingPathComponent("unicode.txt")
        try (Data([0xFF, 0xFE]) + (text.data(using: .utf16LittleEndian) ?? Data())).write(to: utf16)
        #expect(
            try InstrumentCqExport.read(url: utf16, displayPath: "unicode.txt").wells.first?.sample == "Patient Müller")
        let latin1 = folder.appendingPathComponent("latin1.txt")
        try (text.data(using: .isoLatin1) ?? Data()).write(to: latin1)
        #expect(
            try InstrumentCqExport.read(url: latin1, displayPath: "latin1.txt").wells.first?.sample == "Patient Müller")
    }

    @Test(arguments: [
        (
            "Well,Well Position,Sample Name,Target Name,Task,Ct Mean\n1,A1,S1,miR-21,UNKNOWN,24.5\n",
            "export.csv:1:1: error: expected the header row of a qPCR instrument Cq export; this row comes closest to Applied Biosystems QuantStudio / 7500 results but has no column 'ct'"
        ),
        (
            "Patient\tmicroRNA\tvalue\nS1\tmiR-21\t24.5\n",
            "export.csv: error: expected the header row of a qPCR instrument Cq export, found none in the first 2 rows"
        ),
        (
            "Well,Well Position,Sample Name,Target Name,CT\n1,A1,S1,miR-21,24.5\n2,A2,S1,miR-21,>40\n",
            "export.csv:3:16: error: expected a Cq (a number, or Undetermined / No Ct / NaN / - / empty for none) in column 'CT', found '>40'"
        ),
        (
            "Well,Well Position,Sample Name,Target Name,CT\n1,A1,S1,miR-21,-2\n",
            "export.csv:2:16: error: expected a Cq (a number, or Undetermined / No Ct / NaN / - / empty for none) in column 'CT', found '-2'"
        ),
        (
            ",Well,Fluor,Target,Content,Sample,Cq\n,A1,SYBR,miR-21,Unkn,S1,24.5\n,Z,SYBR,miR-21,Unkn,S1,24.7\n",
            "export.csv:3:2: error: expected a well position such as A1 or H12, found 'Z'"
        ),
        (
            "No.,Colour,Name,Type,Ct\nfirst,,S1,Unknown,24.5\n",
            "export.csv:2:1: error: expected a well number (1, 2, …), found 'first'"
        ),
        (
            "Well,Well Position,Sample Name,Target Name,CT\n1,A1,S1,miR-21,24.5\n1,A1,S2,miR-21,24.7\n",
            "export.csv:3:3: error: well 'A1' has target 'miR-21' twice (first on line 2)"
        ),
    ])
    func brokenExportsAreRefusedAtTheirCell(text: String, message: String) throws {
        let error = #expect(throws: InputErrorList.self) { try InstrumentCqExport.read(Self.text(text)) }
        #expect(error?.errors.count == 1)
        #expect(error?.errors.first.map { String($0.description.prefix(message.count)) } == message)
    }

    /// A copy cut off in a row was read with its last well half there (a real SDS export cut at 20,000 bytes gave
    /// a well with its Cq and without its plate); a file ending without a line break after a whole row still reads.
    @Test func anExportCutOffInARowIsRefused() throws {
        let whole = try String(contentsOf: Fixture.url("instrument/quantstudio-results.csv"), encoding: .utf8)
        let lastRow = try #require(whole.split(separator: "\n").last { $0.hasPrefix("96,H12,") })
        let end = try #require(whole.range(of: lastRow)).upperBound
        let cut = String(whole[..<end].dropLast(30))
        #expect(cut.hasSuffix("NTC,FAM,NFQ-MGB,Undeter"))
        let error = #expect(throws: InputErrorList.self) { try InstrumentCqExport.read(Self.text(cut)) }
        #expect(error?.errors.map(\.kind) == [.wrongFieldCount])
        #expect(
            error?.errors.first?.message
                == "the file ends in the middle of a row: its last row has 9 of the header's 20 cells and no line break"
        )
        #expect(error?.errors.first?.location.line == cut.components(separatedBy: "\n").count)
        let withoutFinalBreak = try InstrumentCqExport.read(Self.text(String(whole[..<end])))
        #expect(withoutFinalBreak.wells.last?.well == "H12")
    }

    @Test func anUnrecognisedHeaderListsEveryLayout() throws {
        let error = #expect(throws: InputErrorList.self) {
            try InstrumentCqExport.read(Self.text("a,b,c\n1,2,3\n"))
        }
        let hint = try #require(error?.errors.first?.hint)
        #expect(error?.errors.first?.kind == .missingColumn)
        for instrument in Instrument.allCases { #expect(hint.contains(instrument.displayName)) }
    }

    @Test(
        arguments: [
            ("Undetermined", nil), ("No Ct", nil), ("NaN", nil), ("", nil), ("-", nil), ("N/A", nil), ("27.31", 27.31),
            ("27,31", 27.31), ("3.1E1", 31.0),
        ] as [(String, Double?)])
    func notDetectedMarksAndNumbers(written: String, cq: Double?) throws {
        let export = try InstrumentCqExport.read(
            Self.text(
                "Well\tWell Position\tSample Name\tTarget Name\tCT\n1\tA1\tS1\tmiR-21\t\(written)\n", path: "e.txt"))
        #expect(export.wells.first?.cq == cq)
    }
}

/// LightCycler 480 raw data (amplification curves) and sample information, turned into RDML.
struct LightCycler480RawDataTests {
    static func shared(_ name: String) throws -> TextFile {
        let data = try #require(Fixture.sharedData)
        return try TextFile(
            url: data.appendingPathComponent("qpcr_instrument_exports/\(name)"), displayPath: name)
    }

    @Test(.enabled(if: Fixture.sharedData != nil, "../shared/data is absent in this checkout"))
    func everyReadingEqualsTheFilesNumber() throws {
        let file = try Self.shared("LC480_Example.txt")
        #expect(LightCycler480RawData.isRawData(file))
        let raw = try LightCycler480RawData(file)
        #expect(raw.experiment == "HL60 _U937_Kokultur Bine _1_IL10_090113")
        #expect(raw.channels == ["465-510"] && raw.wells.count == 96)
        // Independently: every data line's position, cycle and 465-510 reading as written.
        var expected: [String: [(Double, Double)]] = [:]
        for line in file.lines.dropFirst(2) {
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false)
            expected[String(fields[0]), default: []].append((Double(fields[4]) ?? -1, Double(fields[7]) ?? -1))
        }
        #expect(expected.count == 96)
        for well in raw.wells {
            let points = try #require(well.curves["465-510"])
            let reference = try #require(expected[well.position])
            #expect(points.count == 45 && points.map(\.cycle) == reference.map(\.0))
            #expect(points.map(\.fluorescence) == reference.map(\.1))
        }
        #expect(raw.wells[0].curves["465-510"]?.first?.fluorescence == 15.58)
        #expect(raw.wells[0].location == InputLocation(path: "LC480_Example.txt", line: 3, column: 1))
        // Excel turned 1,002 readings into dates (A2 cycle 30 reads 41350, 2013-03-17: '17.03' in a German Excel).
        let serials = file.lines.dropFirst(2).filter { (Double($0.split(separator: "\t")[7]) ?? 0) > 200 }.count
        #expect(serials == 1002 && raw.suspectedDateSerials.count == serials)
        #expect(raw.suspectedDateSerials.first == InputLocation(path: "LC480_Example.txt", line: 77, column: 34))
    }

    @Test(.enabled(if: Fixture.sharedData != nil, "../shared/data is absent in this checkout"))
    func sampleInformationNamesTargetsAndRolesTheReactions() throws {
        let info = try Self.shared("LC480_Example_SampleInfo.txt")
        #expect(LightCycler480SampleInformation.isSampleInformation(info))
        #expect(!LightCycler480RawData.isRawData(info))
        let document = try LightCycler480RawData(Self.shared("LC480_Example.txt"))
            .rdmlDocument(sampleInformation: LightCycler480SampleInformation(info))
        let run = try #require(document.runs.first)
        #expect(run.id == "LC480_Example" && run.format == PlateFormat(rows: 8, columns: 12))
        #expect(run.reactions.count == 96 && run.reactions[13].id == "14" && run.reactions[13].well == "B2")
        let byWell = Dictionary(uniqueKeysWithValues: run.reactions.map { ($0.well, $0) })
        #expect(byWell["A1"]?.sample == "Sample_1" && document.sample("Sample_1")?.kind == .ntc)
        #expect(byWell["A1"]?.data.first?.target == "negativ Kontrolle")
        // Sample_1 is also the calibrator of B1, C1, …: an RDML sample has one type.
        #expect(byWell["B1"]?.sample == "Sample_1 (pos)" && document.sample("Sample_1 (pos)")?.kind == .pos)
        #expect(byWell["A3"]?.data.first?.target == "hk" && document.target("hk")?.type == "ref")
        #expect(document.target("goi")?.type == "toi" && document.target("goi")?.dye == "465-510")
        #expect(byWell["G2"]?.data.first?.target == "465-510" && byWell["G2"]?.sample == "Sample_29")
        #expect(
            Set(document.targets.map(\.id)) == [
                "negativ Kontrolle", "goi", "hk", "465-510", "NTC_goi", "goi_positiv", "NTC_hk", "hk_pos",
            ])
        // Written as RDML and read back, the curves are the same.
        let reread = try RDMLReader.read(data: RDMLWriter.archive(document), displayPath: "lc480.rdml")
        #expect(reread.reactions.map(\.well) == run.reactions.map(\.well))
        #expect(
            reread.reactions.flatMap { $0.data.flatMap { $0.amplification.map(\.fluorescence) } }
                == run.reactions.flatMap { $0.data.flatMap { $0.amplification.map(\.fluorescence) } })
        #expect(reread.reactions.map(\.sample) == run.reactions.map(\.sample))
    }

    @Test func theAmplificationSegmentIsTheOneWithMostCyclesAndCommasAreDecimal() throws {
        var text = "Raw Data\t\tExperiment - demo (Run on LCS480 1.5.0.39)\n"
        text += "SamplePos\tSampleName\tProg#\tSeg#\tCycle#\tTime\tTemp\t465-510\t533-580\n"
        for cycle in 1...3 { text += "B3\tS\t2\t3\t\(cycle)\t0\t72\t1,\(cycle)5\t2,\(cycle)\n" }
        text += "B3\tS\t1\t1\t1\t0\t95\t9,9\t9,9\n"
        for cycle in 1...2 { text += "B3\tS\t3\t1\t1\t0\t\(60 + cycle)\t8,\(cycle)\t8\n" }
        let raw = try LightCycler480RawData(
            TextFile(bytes: Array(text.utf8), url: URL(fileURLWithPath: "r.txt"), displayPath: "r.txt"))
        #expect(raw.experiment == "demo" && raw.channels == ["465-510", "533-580"])
        #expect(raw.wells.count == 1 && raw.wells[0].curves["465-510"]?.map(\.fluorescence) == [1.15, 1.25, 1.35])
        #expect(raw.wells[0].curves["533-580"]?.map(\.cycle) == [1, 2, 3])
        #expect(raw.suspectedDateSerials.isEmpty)
        let dated = try LightCycler480RawData(
            TextFile(
                bytes: Array(text.replacingOccurrences(of: "1,25", with: "41350").utf8),
                url: URL(fileURLWithPath: "r.txt"),
                displayPath: "r.txt"))
        #expect(dated.suspectedDateSerials == [InputLocation(path: "r.txt", line: 4, column: 17)])
        let document = raw.rdmlDocument()
        #expect(document.targets.map(\.id) == ["465-510", "533-580"] && document.runs[0].id == "r")
        #expect(document.runs[0].reactions[0].id == "15" && document.samples.map(\.id) == ["S"])
        #expect(document.samples.first?.kind == .unkn)
    }

    @Test(arguments: [
        (
            "SamplePos\tSampleName\tProg#\tSeg#\tCycle#\tTime\tTemp\t465-510\nA1\tS\t2\t3\t1\t0\t72\tfifteen\n",
            "r.txt:2:17: error: expected a fluorescence reading in column '465-510', found 'fifteen'"
        ),
        (
            "SamplePos\tSampleName\tProg#\tSeg#\tCycle#\tTime\tTemp\t465-510\nA1\tS\t2\t3\t1\t0\t72\t1\nA1\tS\t2\t3\t1\t0\t72\t2\n",
            "r.txt:3:10: error: cycle 1 of well A1 is read twice (first on line 2)"
        ),
        (
            "SamplePos\tSampleName\tProg#\tSeg#\tCycle#\tTime\tTemp\t465-510\nQQ99x\tS\t2\t3\t1\t0\t72\t1\n",
            "r.txt:2:1: error: expected a well position such as A1 in column 'SamplePos', found 'QQ99x'"
        ),
        (
            "SamplePos\tSampleName\tProg#\tSeg#\tCycle#\tTime\tTemp\nA1\tS\t2\t3\t1\t0\t72\n",
            "r.txt:1:45: error: expected a fluorescence column for each channel"
        ),
        (
            "Pos\tName\tCp\nA1\tS\t24\n",
            "r.txt:1:1: error: expected the LightCycler 480 raw data header"
        ),
    ])
    func brokenRawDataIsRefusedAtItsCell(text: String, message: String) throws {
        let file = try TextFile(bytes: Array(text.utf8), url: URL(fileURLWithPath: "r.txt"), displayPath: "r.txt")
        let error = #expect(throws: InputErrorList.self) { try LightCycler480RawData(file) }
        #expect(error?.errors.first.map { String($0.description.prefix(message.count)) } == message)
    }

    @Test func brokenSampleInformationIsRefused() throws {
        let text =
            "General:Pos\tGeneral:Sample Name\tAbs Quant:Concentration\nA1\tS\t1e3\nA1\tT\t\nX\tU\t\nB1\tV\tmany\n"
        let file = try TextFile(bytes: Array(text.utf8), url: URL(fileURLWithPath: "i.txt"), displayPath: "i.txt")
        let error = #expect(throws: InputErrorList.self) { try LightCycler480SampleInformation(file) }
        #expect(
            error?.errors.map(\.description) == [
                "i.txt:3:1: error: well A1 is described twice (first on line 2)",
                "i.txt:4:1: error: expected a well position such as A1 in column 'General:Pos', found 'X'",
                "i.txt:5:6: error: expected a concentration in column 'Abs Quant:Concentration', found 'many'",
            ])
    }
}
