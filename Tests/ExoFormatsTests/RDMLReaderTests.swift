import ExoCore
import ExoFormats
import ExoTestSupport
import Foundation
import Testing
import ZIPFoundation

/// A small RDML 1.4 document for the malformed-input table.
enum RDMLSample {
    static func xml(
        version: String = "1.4", namespace: String = "http://www.rdml.org", reactions: String? = nil,
        root: String = "rdml"
    ) -> String {
        let cycles = (1...12).map { "<adp><cyc>\($0)</cyc><fluor>\(Double($0) * 0.1)</fluor></adp>" }.joined()
        return """
            <?xml version="1.0" encoding="UTF-8"?>
            <\(root) xmlns="\(namespace)" version="\(version)">
            <sample id="S1"><type>unkn</type></sample>
            <sample id="NTC"><type>ntc</type></sample>
            <target id="miR-21"><type>toi</type><dyeId id="SYBR"/></target>
            <experiment id="E1"><run id="R1">
            <pcrFormat><rows>8</rows><columns>12</columns><rowLabel>ABC</rowLabel><columnLabel>123</columnLabel></pcrFormat>
            \(reactions ?? "<react id=\"1\"><sample id=\"S1\"/><data><tar id=\"miR-21\"/><cq>24.5</cq>\(cycles)</data></react>\n<react id=\"14\"><sample id=\"NTC\"/><data><tar id=\"miR-21\"/>\(cycles)</data></react>")
            </run></experiment>
            </\(root)>
            """
    }

    /// `xml` zipped as an RDML archive with the given entry name.
    static func archive(_ xml: String, entry: String = "rdml_data.xml") throws -> Data {
        let archive = try Archive(data: Data(), accessMode: .create)
        let bytes = Data(xml.utf8)
        try archive.addEntry(
            with: entry, type: .file, uncompressedSize: Int64(bytes.count), compressionMethod: .deflate
        ) { position, size in
            bytes.subdata(in: Int(position)..<Int(position) + size)
        }
        return try #require(archive.data)
    }

    static func read(_ data: Data) throws(InputErrorList) -> RDMLDocument {
        try RDMLReader.read(data: data, displayPath: "run.rdml")
    }
}

struct RDMLReaderTests {
    @Test func readsSamplesTargetsWellsAndCurves() throws {
        let document = try RDMLSample.read(try RDMLSample.archive(RDMLSample.xml()))
        #expect(document.version == "1.4")
        #expect(document.entry == "rdml_data.xml")
        #expect(document.samples.map(\.kind) == [.unkn, .ntc])
        #expect(document.targets.first?.dye == "SYBR")
        let reactions = document.reactions
        #expect(reactions.map(\.well) == ["A1", "B2"])  // reaction 14 on a 12-column plate
        #expect(reactions[0].data[0].cq == 24.5 && reactions[1].data[0].cq == nil)
        #expect(reactions[0].data[0].amplification.count == 12)
        #expect(reactions[0].location.description == "run.rdml!rdml_data.xml:8:1")
    }

    /// The RDML 1.4 chemistry a copy-number model needs: reaction volume, strandedness, oligo and dye
    /// concentrations, sequences (quantification_methods.rdml, QuantStudio, RDML 1.4).
    @Test func readsReactionVolumeStrandednessAndOligoConcentrations() throws {
        let document = try RDMLReader.read(url: Fixture.url("qpcr/quantification_methods.rdml"), displayPath: "qm.rdml")
        #expect(document.dyeConcentration == ["Eva Green add to probe mix": 1250, "SYBR add to probe mix": 250])
        #expect(document.samples.first?.doubleStranded == true)
        let probe = try #require(document.target("FSTL_1_D_105 250nM 150nM"))
        #expect(probe.sequences.forwardPrimer == .init(sequence: "AGGGAAGACTAACTGAGAGAGGG", concentration: 250))
        #expect(probe.sequences.probe1?.concentration == 150)
        #expect(probe.sequences.amplicon?.sequence?.count == 105)
        #expect(document.reactions.allSatisfy { $0.volume == nil })
        let sample = try RDMLSample.read(
            Data(
                RDMLSample.xml().replacingOccurrences(
                    of: "<sample id=\"S1\"/>", with: "<sample id=\"S1\"/><vol>12.5</vol>"
                ).utf8))
        #expect(sample.reactions.first?.volume == 12.5)
    }

    @Test func bareXMLAndAnyEntryNameAreAccepted() throws {
        #expect(try RDMLSample.read(Data(RDMLSample.xml().utf8)).entry == nil)
        #expect(
            try RDMLSample.read(try RDMLSample.archive(RDMLSample.xml(), entry: "BioRad_run.xml")).entry
                == "BioRad_run.xml")
    }

    struct Case: Sendable, CustomTestStringConvertible {
        let name: String
        let kind: InputError.Kind
        let location: String
        let message: String
        var testDescription: String { name }
    }

    static func data(for name: String) throws -> Data {
        let good = RDMLSample.xml()
        switch name {
        case "truncated zip": return try RDMLSample.archive(good).prefix(120)
        case "no rdml_data.xml": return try RDMLSample.archive("hello", entry: "readme.txt")
        case "not RDML": return Data(RDMLSample.xml(root: "plate").utf8)
        case "unknown version": return Data(RDMLSample.xml(version: "2.0").utf8)
        case "wrong namespace": return Data(RDMLSample.xml(namespace: "http://example.org/rdml").utf8)
        case "malformed XML": return Data(good.replacingOccurrences(of: "</run>", with: "").utf8)
        case "duplicate reaction":
            return Data(
                RDMLSample.xml(
                    reactions:
                        "<react id=\"1\"><sample id=\"S1\"/></react>\n<react id=\"1\"><sample id=\"S1\"/></react>"
                ).utf8)
        case "missing sample":
            return Data(RDMLSample.xml(reactions: "<react id=\"1\"><sample id=\"S2\"/></react>").utf8)
        case "missing target":
            return Data(
                RDMLSample.xml(
                    reactions: "<react id=\"1\"><sample id=\"S1\"/><data><tar id=\"miR-99\"/></data></react>"
                ).utf8)
        case "NaN fluorescence":
            return Data(
                RDMLSample.xml(
                    reactions:
                        "<react id=\"1\"><sample id=\"S1\"/><data><tar id=\"miR-21\"/><adp><cyc>1</cyc><fluor>NaN</fluor></adp></data></react>"
                ).utf8)
        case "text fluorescence":
            return Data(
                RDMLSample.xml(
                    reactions:
                        "<react id=\"1\"><sample id=\"S1\"/><data><tar id=\"miR-21\"/><adp><cyc>1</cyc><fluor>0,52</fluor></adp></data></react>"
                ).utf8)
        case "neither zip nor XML": return Data("Well\tCq\nA1\t24.1\n".utf8)
        default: return Data()
        }
    }

    static let cases: [Case] = [
        Case(
            name: "truncated zip", kind: .malformedArchive, location: "run.rdml",
            message: "not a readable zip archive: it is truncated or damaged"),
        Case(
            name: "no rdml_data.xml", kind: .missingEntry, location: "run.rdml",
            message: "the archive holds no RDML document (expected rdml_data.xml; found 'readme.txt')"),
        Case(
            name: "not RDML", kind: .notRDML, location: "run.rdml:2:1",
            message: "expected the root element <rdml>, found <plate>"),
        Case(
            name: "unknown version", kind: .unsupportedVersion, location: "run.rdml:2:1",
            message: "RDML version '2.0' is not supported; expected 1.0, 1.1, 1.2, 1.3 or 1.4"),
        Case(
            name: "wrong namespace", kind: .notRDML, location: "run.rdml:2:1",
            message: "expected the RDML namespace 'http://www.rdml.org', found 'http://example.org/rdml'"),
        Case(
            name: "malformed XML", kind: .malformedXML, location: "run.rdml:10:14",
            message: "the XML is not well formed (Opening and ending tag mismatch: run line 6 and experiment)"),
        Case(
            name: "duplicate reaction", kind: .duplicateIdentifier, location: "run.rdml:9:1",
            message: "reaction id '1' appears twice in run 'R1' (first on line 8)"),
        Case(
            name: "missing sample", kind: .danglingReference, location: "run.rdml:8:1",
            message: "reaction '1' refers to sample 'S2', which the file does not define"),
        Case(
            name: "missing target", kind: .danglingReference, location: "run.rdml:8:32",
            message: "reaction '1' refers to target 'miR-99', which the file does not define"),
        Case(
            name: "NaN fluorescence", kind: .invalidNumber, location: "run.rdml:8:79",
            message: "expected a number in <fluor> of reaction '1', found 'NaN'"),
        Case(
            name: "text fluorescence", kind: .invalidNumber, location: "run.rdml:8:79",
            message: "expected a number in <fluor> of reaction '1', found '0,52'"),
        Case(
            name: "neither zip nor XML", kind: .malformedArchive, location: "run.rdml",
            message: "expected an RDML file (a zip archive or XML), found neither"),
    ]

    @Test(arguments: cases)
    func malformedInputIsReportedExactly(_ testCase: Case) throws {
        let data = try Self.data(for: testCase.name)
        let error = #expect(throws: InputErrorList.self) { try RDMLSample.read(data) }
        let first = try #require(error?.errors.first)
        #expect(first.kind == testCase.kind)
        #expect(first.location.description == testCase.location)
        #expect(first.message == testCase.message)
    }
}

/// Every RDML file in `shared/data/rdml/`, read with the counts its README states.
struct RDMLSharedDataTests {
    static let files: [(path: String, reactions: Int, amplificationPoints: Int, meltingPoints: Int, cqValues: Int)] = [
        ("rdml/rdml_r_package/stepone_std.rdml", 24, 960, 0, 24),
        ("rdml/rdml_r_package/BioRad_qPCR_melt.rdml", 60, 2460, 3660, -1),
        // The folder README says 288 reactions and 440 Cq; the file has 96 reactions with 4 targets each
        // (grep -c "<react " → 96, grep -c "<cq>" rdml_data.xml → 384; 56 more <cq> are in calculated_data.xml).
        ("rdml/rdml_r_package/lc96_bACTXY.rdml", 96, -1, -1, 384),
        ("rdml/rdmlpython_untergasser/quantification_methods.rdml", 180, 7200, -1, -1),
        ("rdml/rdmlpython_untergasser/large_DNA_dilutions.rdml", 582, -1, -1, -1),
        ("rdml/rdmlpython_technical/matrix_gaps.rdml", 72, -1, 0, -1),
        ("rdml/rdmlpython_technical/shifted_baseline.rdml", 144, 144 * 60, -1, -1),
        ("rdml/rdmlpython_meltcurve/test_mca_1_raw_data.rdml", 50, 0, 7450, -1),
    ]

    @Test(.enabled(if: Fixture.sharedData != nil, "../shared/data is absent in this checkout"))
    func everySharedRDMLFileReadsWithItsDocumentedCounts() throws {
        let data = try #require(Fixture.sharedData)
        for file in Self.files {
            let document = try RDMLReader.read(url: data.appendingPathComponent(file.path), displayPath: file.path)
            let reactions = document.reactions
            let points = reactions.flatMap(\.data).reduce(0) { $0 + $1.amplification.count }
            let melting = reactions.flatMap(\.data).reduce(0) { $0 + $1.melting.count }
            let cq = reactions.flatMap(\.data).filter { $0.cq != nil }.count
            #expect(reactions.count == file.reactions, "\(file.path): \(reactions.count) reactions")
            if file.amplificationPoints >= 0 {
                #expect(points == file.amplificationPoints, "\(file.path): \(points) adp")
            }
            if file.meltingPoints >= 0 { #expect(melting == file.meltingPoints, "\(file.path): \(melting) mdp") }
            if file.cqValues >= 0 { #expect(cq == file.cqValues, "\(file.path): \(cq) cq") }
        }
    }

    @Test(.enabled(if: Fixture.sharedData != nil, "../shared/data is absent in this checkout"))
    func vendorWellLabelsAndGapsAreKept() throws {
        let data = try #require(Fixture.sharedData)
        let stepOne = try RDMLReader.read(
            url: data.appendingPathComponent("rdml/rdml_r_package/stepone_std.rdml"), displayPath: "s")
        #expect(stepOne.reactions.first?.well == "A1")
        #expect(stepOne.samples.first { $0.id == "STD_RNase P_10000.0" }?.quantity == 10_000)
        #expect(stepOne.targets.first?.dye == "FAM")  // RDML 1.0 writes <dyeId>FAM</dyeId>
        let gaps = try RDMLReader.read(
            url: data.appendingPathComponent("rdml/rdmlpython_technical/matrix_gaps.rdml"), displayPath: "g")
        let k7 = try #require(gaps.reactions.first { $0.well == "K7" })
        #expect(!k7.data[0].amplification.map(\.cycle).contains(2))  // README: K7 misses cycles 2–4
    }
}
