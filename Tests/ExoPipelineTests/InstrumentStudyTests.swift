import ExoCore
import ExoFormats
import ExoPipeline
import ExoStore
import ExoTestSupport
import Foundation
import Testing

/// Studies built from instrument exports as labs have them: Cq exports of five instruments, an `.xlsx` workbook
/// and the real RDML runs of `../shared/data/rdml/`, with their instrument names mapped in study.yaml.
struct InstrumentStudyTests {
    /// A study folder with a two-sample sheet and one measurement file copied from the fixtures.
    static func study(
        file fixture: String, as name: String, entry: String = "", targetMap: String = "",
        sampleMap: String = "  P001-T0: S1\n  P002-T0: S2"
    ) throws -> URL {
        let folder = try Fixture.temporaryDirectory("instrument-study")
        try FileManager.default.createDirectory(
            at: folder.appendingPathComponent("data"), withIntermediateDirectories: true)
        try FileManager.default.copyItem(
            at: Fixture.url(fixture), to: folder.appendingPathComponent("data/\(name)"))
        try """
        schema: 1
        id: INSTRUMENT
        title: An instrument export as the lab has it
        specimen: serum
        measurements:
          - file: data/\(name)
            assay: qPCR\(entry)
        sampleMap:
        \(sampleMap)
        \(targetMap)
        """.write(to: folder.appendingPathComponent("study.yaml"), atomically: true, encoding: .utf8)
        try """
        sample_id\tpatient_id\tgroup\tcollection_date\tstage
        S1\tP1\tcase\t2025-01-06\tIII
        S2\tP2\tcontrol\t2025-01-07\t

        """.write(to: folder.appendingPathComponent("samples.tsv"), atomically: true, encoding: .utf8)
        return folder
    }

    /// `sample analyte replicate value flags` per measurement, sorted.
    static func rows(_ study: LoadedStudy) -> [String] {
        study.measurements.map {
            "\($0.sample) \($0.analyte.name) \($0.analyte.kind.rawValue) \($0.replicate) "
                + "\($0.value.map { String($0) } ?? "-") \($0.flags.map(\.rawValue).sorted().joined(separator: ","))"
        }.sorted()
    }

    /// The QuantStudio results read with replicates numbered by well.
    ///
    /// Two wells per sample and target, in reverse well order in the file; standards and the NTC left out; `Undetermined` not detected; the omitted well
    /// kept and flagged. Before, every second well was "second value … number technical replicates".
    static let quantStudioRows = [
        "S1 RNU6B snRNA 1 21.042 ", "S1 RNU6B snRNA 2 21.174 ", "S1 hsa-miR-21-5p miRNA 1 24.511 ",
        "S1 hsa-miR-21-5p miRNA 2 24.683 ", "S2 hsa-miR-21-5p miRNA 1 - below-detection",
        "S2 hsa-miR-21-5p miRNA 2 31.87 excluded",
    ]

    @Test(arguments: [
        ("instrument/quantstudio-results.csv", "results.csv"),
        ("instrument/quantstudio-results-semicolon.csv", "results.csv"),
    ])
    func quantStudioExportsAreReadWithTheirReplicates(_ fixture: String, name: String) throws {
        let study = try Pipeline.validate(Self.study(file: fixture, as: name))
        #expect(Self.rows(study) == Self.quantStudioRows)
        #expect(study.files.map(\.path).contains("data/\(name)"))
    }

    @Test func cfxContentDecidesWhichWellsAreSamples() throws {
        let study = try Pipeline.validate(
            Self.study(file: "instrument/cfx-quantification-cq-results.csv", as: "cfx.csv"))
        #expect(
            Self.rows(study) == [
                "S1 hsa-miR-21-5p miRNA 1 24.51 ", "S1 hsa-miR-21-5p miRNA 2 24.68 ",
                "S2 hsa-miR-21-5p miRNA 1 - below-detection", "S2 hsa-miR-21-5p miRNA 2 - below-detection",
            ])
    }

    @Test func lightCyclerFilterIsMappedOntoTheAnalyte() throws {
        let study = try Pipeline.validate(
            Self.study(
                file: "instrument/lc480-abs-quant-2nd-derivative-max.txt", as: "lc480.txt",
                targetMap: "targetMap:\n  SYBR Green I / HRM Dye (465-510): miR-21",
                sampleMap: "  P001-T0: S1\n  P002-T0: S2\n  NTC: ~"))
        #expect(
            Self.rows(study) == [
                "S1 hsa-miR-21-5p miRNA 1 24.51 ", "S1 hsa-miR-21-5p miRNA 2 24.68 ",
                "S2 hsa-miR-21-5p miRNA 1 31.87 excluded", "S2 hsa-miR-21-5p miRNA 2 - below-detection",
            ])
    }

    @Test func rotorGeneChannelsAreMappedOntoAnalytes() throws {
        let study = try Pipeline.validate(
            Self.study(
                file: "instrument/rotorgene-quantitation-results.csv", as: "rotorgene.csv",
                targetMap: "targetMap:\n  Cycling A.Green: miR-21\n  Cycling A.Yellow: {analyte: U6, type: snRNA}"))
        #expect(Self.rows(study).contains("S1 hsa-miR-21-5p miRNA 2 24.68 "))
        #expect(Self.rows(study).contains("S1 U6 snRNA 1 21.04 "))
    }

    @Test func anUnmappedInstrumentSampleSaysHowToMapIt() throws {
        let folder = try Self.study(file: "instrument/quantstudio-results.csv", as: "results.csv")
        let yaml = folder.appendingPathComponent("study.yaml")
        try String(contentsOf: yaml, encoding: .utf8).replacingOccurrences(of: "  P002-T0: S2\n", with: "")
            .write(to: yaml, atomically: true, encoding: .utf8)
        let messages = Fixture.errorMessages { _ = try Pipeline.validate(folder) }
        #expect(
            messages == [
                "data/results.csv:15: error: sample 'P002-T0' (2 wells) is not in the sample sheet\n"
                    + "  hint: map the instrument's name onto a sample id in study.yaml: 'sampleMap: {P002-T0: SAMPLE-ID}', "
                    + "or leave a control's wells out with 'sampleMap: {P002-T0: ~}'"
            ])
    }

    /// The worksheet holding the export is found without naming it; wells without a sample name are unused.
    @Test func aWorkbookSheetIsFoundAndRead() throws {
        let study = try Pipeline.validate(
            Self.study(file: "xlsx/quantstudio-results.xlsx", as: "results.xlsx", sampleMap: "  P01-T0: S1\n  NTC: ~"))
        #expect(Self.rows(study) == ["S1 hsa-miR-21-5p miRNA 1 27.345 ", "S1 hsa-miR-21-5p miRNA 2 27.512 "])
        #expect(study.measurements.first?.source.description == "data/results.xlsx[Results]:5:5")
    }

    @Test func aStudyOfInstrumentExportsRunsToItsReport() async throws {
        let folder = try Self.study(file: "instrument/quantstudio-results.csv", as: "results.csv")
        let store = try await SQLiteStore()
        let summary = try await Pipeline.run(
            studyDirectory: folder, store: store, databasePath: "memory",
            reportURL: folder.appendingPathComponent("report.html"), actor: "test")
        #expect(summary.measurements == 6)
        let report = try String(contentsOf: folder.appendingPathComponent("report.html"), encoding: .utf8)
        #expect(report.contains("RNU6B"))
    }

    /// Every real RDML run of `../shared/data/rdml/` with study samples, in one study.
    ///
    /// Instrument sample names
    /// (with spaces, `pop1_RNase P`) mapped onto sample ids, targets (`RNase P`, dyes, gene amplicons) onto
    /// analytes with their types. Before, the names could not be mapped without editing the XML.
    @Test func theRealRDMLRunsValidateAndRunWithTheirNamesMapped() async throws {
        // matrix_gaps.rdml is left out: rdmlpython made it with reactions of one cycle, which validation refuses
        // with its line and column (curve analysis needs at least 10).
        guard let shared = Fixture.sharedData else {
            print("skipped: ../shared/data is absent (the real RDML runs live there)")
            return
        }
        let folder = try Fixture.temporaryDirectory("rdml-study")
        try FileManager.default.createDirectory(
            at: folder.appendingPathComponent("data"), withIntermediateDirectories: true)
        let runs = [
            "rdml_r_package/stepone_std.rdml", "rdml_r_package/BioRad_qPCR_melt.rdml",
            "rdml_r_package/lc96_bACTXY.rdml", "rdmlpython_meltcurve/test_mca_1_raw_data.rdml",
        ]
        var sampleMap: [String: String] = [:]
        var targets: Set<String> = []
        for run in runs {
            let url = shared.appendingPathComponent("rdml/\(run)")
            let document = try RDMLReader.read(url: url, displayPath: run)
            for sample in document.samples where LoadedStudy.QPCRFile.studySampleKinds.contains(sample.kind) {
                sampleMap[sample.id] = String(
                    sample.id.map { $0.isASCII && ($0.isLetter || $0.isNumber) ? $0 : "-" }.prefix(40))
            }
            targets.formUnion(document.targets.map(\.id))
            try FileManager.default.copyItem(
                at: url, to: folder.appendingPathComponent("data/\(url.lastPathComponent)"))
        }
        let ids = Array(Set(sampleMap.values)).sorted()
        func quoted(_ text: String) -> String { "\"\(text.replacingOccurrences(of: "\"", with: "\\\""))\"" }
        try
            (["schema: 1", "id: REAL-RDML", "title: Real RDML runs", "specimen: serum", "measurements:"]
            + runs.map { "  - file: data/\(URL(fileURLWithPath: $0).lastPathComponent)\n    assay: qPCR" }
            + ["sampleMap:"] + sampleMap.sorted { $0.key < $1.key }.map { "  \(quoted($0.key)): \($0.value)" }
            + ["targetMap:"]
            + targets.sorted().map {
                "  \(quoted($0)): {analyte: \(quoted($0)), type: \($0 == "RNase P" ? "assay-control" : "other")}"
            })
            .joined(separator: "\n").write(
                to: folder.appendingPathComponent("study.yaml"), atomically: true, encoding: .utf8)
        try
            (["sample_id\tpatient_id\tgroup\tcollection_date\tstage"]
            + ids.enumerated().map {
                "\($0.element)\tP\($0.offset)\t\($0.offset % 2 == 0 ? "case" : "control")\t2025-01-06\t"
            })
            .joined(separator: "\n").appending("\n")
            .write(to: folder.appendingPathComponent("samples.tsv"), atomically: true, encoding: .utf8)
        let study = try Pipeline.validate(folder)
        #expect(study.qpcrFiles.count == runs.count)
        #expect(study.qpcrFiles[0].analytes["RNase P"] == Analyte(name: "RNase P", kind: .assayControl))
        let store = try await SQLiteStore()
        let summary = try await Pipeline.run(
            studyDirectory: folder, store: store, databasePath: "memory",
            reportURL: folder.appendingPathComponent("report.html"), actor: "test")
        #expect(summary.samples == ids.count)
        #expect(summary.measurements > 0)
    }

    /// LightCycler 480 raw data: every well's curve, 40 cycles of a logistic rise (a clean export, made here).
    static func lightCyclerRawData(wells: [(position: String, name: String, midpoint: Double?)]) -> String {
        var lines = [
            "Raw Data \t\tExperiment - exo-mir21 (Run on LCS480 1.5.0.39)",
            "SamplePos\tSampleName\tProg#\tSeg#\tCycle#\tTime\tTemp\t465-510",
        ]
        for well in wells {
            for cycle in 1...40 {
                let rise = well.midpoint.map { 40 / (1 + exp(-(Double(cycle) - $0) / 1.6)) } ?? 0
                let fluorescence = 2 + 0.01 * Double(cycle) + rise
                lines.append(
                    "\(well.position)\t\(well.name)\t2\t3\t\(cycle)\t\(cycle * 78_000)\t72.00\t"
                        + String(format: "%.2f", fluorescence))
            }
        }
        return lines.joined(separator: "\r\n") + "\r\n"
    }

    @Test func lightCyclerRawDataIsAnalysedLikeAnRDMLRun() async throws {
        let folder = try Self.study(
            file: "instrument/cfx-quantification-cq-results.csv", as: "unused.csv",
            targetMap: "targetMap:\n  goi: miR-21")
        try Self.lightCyclerRawData(wells: [("A1", "Sample_1", 24), ("A2", "Sample_1", 24.3), ("A3", "Sample_2", nil)])
            .write(to: folder.appendingPathComponent("data/lc480.txt"), atomically: true, encoding: .utf8)
        try """
        General:Pos\tGeneral:Sample Name\tGeneral:Repl. Of\tGeneral:Filt. Comb.\tGeneral:Target Name\tRel Quant:Combined Sample/Target type
        A1\tSample_1\t\t465-510\tgoi\tTarget Unknown
        A2\tSample_1\tA1\t465-510\tgoi\tTarget Unknown
        A3\tSample_2\t\t465-510\tgoi\tTarget Unknown

        """.write(to: folder.appendingPathComponent("data/lc480-info.txt"), atomically: true, encoding: .utf8)
        let yaml = folder.appendingPathComponent("study.yaml")
        try String(contentsOf: yaml, encoding: .utf8)
            .replacingOccurrences(
                of: "  - file: data/unused.csv\n    assay: qPCR",
                with: "  - file: data/lc480.txt\n    assay: qPCR\n    sampleInformation: data/lc480-info.txt"
            )
            .replacingOccurrences(of: "  P001-T0: S1\n  P002-T0: S2", with: "  Sample_1: S1\n  Sample_2: S2")
            .write(to: yaml, atomically: true, encoding: .utf8)
        let study = try Pipeline.validate(folder)
        #expect(study.qpcrFiles.count == 1)
        #expect(study.qpcrFiles.first?.analytes.values.map(\.name) == ["hsa-miR-21-5p"])
        let store = try await SQLiteStore()
        let summary = try await Pipeline.run(
            studyDirectory: folder, store: store, databasePath: "memory",
            reportURL: folder.appendingPathComponent("report.html"), actor: "test")
        #expect(summary.measurements == 3)
    }

    /// The real LightCycler 480 example was saved through Excel, which turned 1,002 readings into date serials:
    /// the study refuses it with the count and the first place instead of analysing wrong curves.
    @Test func realLightCyclerRawDataSavedThroughExcelIsRefused() throws {
        guard let shared = Fixture.sharedData else {
            print("skipped: ../shared/data is absent (the LightCycler 480 example lives there)")
            return
        }
        let folder = try Self.study(file: "instrument/cfx-quantification-cq-results.csv", as: "unused.csv")
        try FileManager.default.removeItem(at: folder.appendingPathComponent("data/unused.csv"))
        try FileManager.default.copyItem(
            at: shared.appendingPathComponent("qpcr_instrument_exports/LC480_Example.txt"),
            to: folder.appendingPathComponent("data/unused.csv"))
        let messages = Fixture.errorMessages { _ = try Pipeline.validate(folder) }
        #expect(
            messages.first?.hasPrefix(
                "data/unused.csv:77:34: error: 1002 fluorescence readings look like spreadsheet date serials") == true)
    }

    /// The real 7900HT SDS 2.1 export with technical replicates (six samples × 95 assays × 4 wells, ReadqPCR's
    /// example): sample names with spaces mapped, every gene assay kept as `other` by the `"*"` entry.
    @Test func realSDSExportWithReplicatesValidates() throws {
        guard let shared = Fixture.sharedData else {
            print("skipped: ../shared/data is absent (the SDS 2.1 export lives there)")
            return
        }
        let folder = try Self.study(
            file: "instrument/cfx-quantification-cq-results.csv", as: "unused.csv",
            targetMap: "targetMap:\n  \"*\": {type: other}\n  18S-Hs99999901_s1: {analyte: 18S rRNA, type: other}",
            sampleMap: [
                "Human UVB2: S1", "Human UVB3: S2", "Human UVB 4: S3", "Human control 1: S4", "Human control 2: S5",
                "Human Control 3: S6",
            ].map { "  " + $0 }.joined(separator: "\n"))
        try FileManager.default.removeItem(at: folder.appendingPathComponent("data/unused.csv"))
        try FileManager.default.copyItem(
            at: shared.appendingPathComponent("qpcr_instrument_exports/exampleTechReps.txt"),
            to: folder.appendingPathComponent("data/unused.csv"))
        try (["sample_id\tpatient_id\tgroup"] + (1...6).map { "S\($0)\tP\($0)\t\($0 <= 3 ? "case" : "control")" })
            .joined(separator: "\n").appending("\n")
            .write(to: folder.appendingPathComponent("samples.tsv"), atomically: true, encoding: .utf8)
        let study = try Pipeline.validate(folder)
        #expect(study.measurements.count == 2280)
        #expect(Set(study.measurements.map(\.analyte.kind)) == [.other])
        #expect(Set(study.measurements.map(\.replicate)) == [1, 2, 3, 4])
        #expect(study.measurements.contains { $0.analyte.name == "18S rRNA" })
    }
}
