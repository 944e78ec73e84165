import ExoCore
import ExoFormats
import ExoTestSupport
import Foundation
import Testing

/// ZetaView and size-bin exports, release specifications and marker tables: what they read and what they refuse.
struct SizeExportTests {
    static func zetaView() throws -> String {
        try TextFile.utf8OrLatin1(Data(contentsOf: Fixture.url("zetaview/synthetic_size_488.txt")))
    }

    @Test func zetaViewLinearBinsAreReadAndMultipliedByTheDilution() throws {
        let export = try ParticleSizeExport.read(text: try Self.zetaView(), displayPath: "zv.txt")
        #expect(export.format == .zetaView && export.software == "ZetaView 8.06.01 SP1")
        #expect(export.captures == ["EVprep_A"] && export.dilution == 500)
        // 1200 linear bins of 5 nm (2.5 … 5997.5, printed 5.997E+3); the logarithmic bins after the -1 row are not read.
        #expect(export.binCentres.count == 1200 && export.binCentres.first == 2.5 && export.binCentres.last == 5997)
        // 612 traces × 2.0E+4 /cm³ × dilution 500 (make_fixture.py).
        #expect(abs(export.binConcentrations[0].reduce(0, +) / 6.12e9 - 1) < 1e-12)
        #expect(export.warnings.count == 1 && export.warnings[0].item == "Particle Drift Check Result")
    }

    @Test(arguments: [
        (
            "Size Distribution\r\nSize / nm", "Size Distributions\r\nSize / nm",
            "zv.txt:1445: error: no 'Size Distribution' table in the ZetaView export\n  hint: export the size distribution (…_size_<laser>.txt), not the profile or the 11pos summary"
        ),
        (
            "Dilution::\t500.000000", "Dilution::\t0",
            "zv.txt:31:87: error: expected a positive dilution factor, found '0'\n  hint: the factor the sample was diluted by before measuring, 1 for undiluted"
        ),
        (
            "1.275E+2\t3.700E+1\t7.400E+5", "1.275E+2\t3.700E+1\tn/a",
            "zv.txt:69:19: error: expected a concentration in particles/cm³, found 'n/a'"
        ),
        (
            "1.275E+2\t3.700E+1\t7.400E+5", "1.275E+2\t3.700E+1\t-7.400E+5",
            "zv.txt:69:19: error: negative concentration -7.400E+5 in the 1.275E+2 nm bin"
        ),
        (
            "1.325E+2\t", "1.200E+2\t",
            "zv.txt:70:1: error: size bins must increase: 1.200E+2 nm follows 127.5 nm\n  hint: the linear size table must end with the row of -1.000E+0 before the logarithmic one"
        ),
    ])
    func brokenZetaViewExportsAreRefused(old: String, new: String, message: String) throws {
        let text = try Self.zetaView()
        #expect(text.contains(old))
        let broken = text.replacingOccurrences(of: old, with: new)
        #expect(
            Fixture.errorMessages { _ = try ParticleSizeExport.read(text: broken, displayPath: "zv.txt") }.first
                == message)
    }

    @Test func sizeBinTablesApplyTheirDilution() throws {
        let text = "# instrument: qNano\n# dilution: 100\nsize_nm,a,b\n50,1e6,2e6\n60,3e6,4e6\n"
        let export = try ParticleSizeExport.read(text: text, displayPath: "bins.csv")
        #expect(export.format == .sizeBins && export.software == "qNano" && export.captures == ["a", "b"])
        #expect(
            export.binConcentrations == [[1e8, 3e8], [2e8, 4e8]] && export.pooledConcentrations == [1.5e8, 3.5e8])
        #expect(abs((export.captureCV ?? 0) - (2e8 * 0.5.squareRoot()) / 5e8) < 1e-12, "SD of 4e8, 6e8 over mean 5e8")
    }

    @Test(arguments: [
        (
            "# dilutoin: 100\nsize_nm,a\n50,1\n",
            "bins.csv:1:3: error: unknown metadata key 'dilutoin'\n  hint: did you mean 'dilution'?"
        ),
        (
            "size_nm,a\n50,1\n50,2\n",
            "bins.csv:3:1: error: size bins must increase: 50 nm follows 50 nm\n  hint: sort the rows by size_nm and merge repeated bins"
        ),
        ("size_nm,a\n50,-1\n", "bins.csv:2:4: error: negative concentration -1 for capture 'a'"),
        ("size_nm,a\n50,many\n", "bins.csv:2:4: error: expected particles/ml for capture 'a', found 'many'"),
        ("size_nm,a,b\n50,1\n", "bins.csv:2:1: error: expected 3 fields (size_nm and 2 captures), found 2"),
        (
            "# dilution: 0\nsize_nm,a\n50,1\n",
            "bins.csv:1:3: error: expected a positive dilution factor, found '0'\n  hint: write the factor the sample was diluted by, such as '# dilution: 1000'"
        ),
        (
            "diameter,a\n50,1\n",
            "bins.csv:1:1: error: not a particle-size export: expected a NanoSight ExperimentSummary.csv, a ZetaView size-distribution text export or a size-bin CSV\n  hint: a size-bin CSV starts with the header 'size_nm' followed by one column per capture (docs/ev-qc.md)"
        ),
    ])
    func brokenSizeBinTablesAreRefused(text: String, message: String) {
        #expect(
            Fixture.errorMessages { _ = try ParticleSizeExport.read(text: text, displayPath: "bins.csv") }.first
                == message)
    }
}

struct SpecificationTests {
    static func parse(_ text: String) throws -> ReleaseSpecification {
        try ReleaseSpecification.parse(
            TextFile(bytes: Array(text.utf8), url: URL(fileURLWithPath: "/dev/null"), displayPath: "spec.yaml"))
    }

    @Test func theFixtureSpecificationIsRead() throws {
        let spec = try ReleaseSpecification.parse(
            TextFile(url: Fixture.url("qc/release-spec.yaml"), displayPath: "release-spec.yaml"))
        #expect(spec.name == "MSC small-EV lot release" && spec.version == "2026-1" && spec.sizeRange == 50...200)
        #expect(spec.criteria.count == 6 && spec.criteria[1].rangeText == "70–150")
        #expect(spec.criteria[4].subject == .readout("endotoxin_eu_per_ml"))
        #expect(
            spec.requiredCategories == [.transmembrane, .cytosolic] && spec.requiredMarkers.map(\.name) == ["CD63"])
        #expect(spec.absentMarkers.map(\.name) == ["calnexin"] && spec.maximumSignal == ["APOA1": 0.2])
        #expect(spec.requiresImaging)
    }

    @Test func theDefaultSpecificationParses() {
        let spec = ReleaseSpecification.standard
        #expect(spec.name == "MISEV2023 minimum for clinical EV preparations" && spec.criteria.count == 4)
        #expect(spec.criteria[2].specimens == [.plasma, .serum] && spec.criteria[2].optional)
    }

    @Test(arguments: [
        (
            "name: x\ncriteria:\n  - metric: mode_nm\n    min: 150\n    max: 70\n",
            "spec.yaml:4:10: error: contradictory range for 'mode_nm': min 150 is above max 70\n  hint: no value can pass; swap min and max or correct one of them"
        ),
        (
            "name: x\ncriteria:\n  - metric: mode_nm\n    min: 70\n    max: 120\n  - metric: mode_nm\n    min: 130\n",
            "spec.yaml:6:5: error: contradictory ranges for 'mode_nm': 70–120 (line 3) and ≥ 130 do not overlap\n  hint: no value can pass both; merge them into one criterion"
        ),
        (
            "name: x\nmarkers:\n  required: [CD63]\n  absent: [CD63]\n",
            "spec.yaml:4:12: error: marker 'CD63' is both required and absent\n  hint: a preparation cannot both show and lack it; keep it in one list"
        ),
        (
            "name: x\nmarkers:\n  required: [TSG-110]\n",
            "spec.yaml:3:14: error: unknown marker 'TSG-110'\n  hint: did you mean 'TSG101'? markers are named as in MISEV2018 Table 3 or by HGNC gene symbol (docs/ev-qc.md)"
        ),
        (
            "name: x\ncriteria:\n  - metric: mode_mn\n    max: 150\n",
            "spec.yaml:3:13: error: unknown metric 'mode_mn'\n  hint: did you mean 'mode_nm'?"
        ),
        (
            "name: x\ncriteria:\n  - metric: mode_nm\n",
            "spec.yaml:3:5: error: a criterion needs 'min', 'max' or both"
        ),
    ])
    func badSpecificationsAreRefused(text: String, message: String) {
        #expect(Fixture.errorMessages { _ = try Self.parse(text) }.first == message)
    }

    @Test func unknownMarkersInAMarkerTableNameTheNearest() throws {
        let text = "sample_id\tmarker\tmethod\tresult\nS1\tCD36\twestern-blot\tdetected\nS1\tAlix\tWB\tdetected\n"
        let file = try TextFile(bytes: Array(text.utf8), url: URL(fileURLWithPath: "/dev/null"), displayPath: "m.tsv")
        let parsed = CharacterisationTable.parseMarkers(file, keyColumn: "sample_id", keys: ["S1"])
        #expect(
            parsed.errors.map(\.description) == [
                "m.tsv:2:4: error: unknown marker 'CD36'\n  hint: did you mean 'CD37', 'PECAM1 (CD31)' or 'EPCAM (CD326)'? markers are named as in MISEV2018 Table 3 or by HGNC gene symbol (docs/ev-qc.md)"
            ])
        #expect(parsed.observations.isEmpty, "nothing is kept from a table with errors")
    }
}
