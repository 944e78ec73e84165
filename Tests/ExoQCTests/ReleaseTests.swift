import ExoCore
import ExoFormats
import ExoQC
import ExoTestSupport
import Foundation
import Testing

/// Lots assessed against the fixture specification (Tests/Fixtures/qc).
struct ReleaseTests {
    static func lots() throws -> [PreparationAssessment] {
        let folder = Fixture.url("qc")
        let spec = try ReleaseSpecification.parse(
            TextFile(url: folder.appendingPathComponent("release-spec.yaml"), displayPath: "release-spec.yaml"))
        let table = CharacterisationTable.parse(
            try TextFile(url: folder.appendingPathComponent("lots.tsv"), displayPath: "lots.tsv"), keyColumn: "lot_id",
            directory: folder, keys: nil)
        let markers = CharacterisationTable.parseMarkers(
            try TextFile(url: folder.appendingPathComponent("lot-markers.tsv"), displayPath: "lot-markers.tsv"),
            keyColumn: "lot_id", keys: nil)
        #expect(table.errors.isEmpty && markers.errors.isEmpty)
        return table.records.map { record in
            PreparationAssessment(
                key: record.key, record: record, markers: markers.observations.filter { $0.key == record.key },
                specification: spec)
        }
    }

    @Test func mscLotsPassAndTheNKLotFailsForItsReasons() throws {
        let lots = try Self.lots()
        #expect(lots.map(\.key) == ["MSC-01", "MSC-02", "NK-01"])
        #expect(lots[0].passed && lots[1].passed)
        let nk = lots[2]
        #expect(!nk.passed)
        #expect(
            nk.failures.map(\.criterion) == [
                "fraction_in_range", "particles_per_ug", "endotoxin_eu_per_ml", "marker CD63", "marker calnexin",
                "signal APOA1", "single-EV imaging",
            ])
        let purity = try #require(nk.criteria.first { $0.criterion == "particles_per_ug" })
        // The particles in the NK lot's bins (45–395 nm) over 190 µg/ml protein: under 1.5e9, impure.
        let particles = try #require(nk.metrics["concentration_per_ml"])
        #expect(purity.value == particles / 190 && nk.purityBand == .impure)
        #expect(purity.reason == "9.84e+08 particles/µg is below the minimum 2e+09 particles/µg: a factor of 2 away")
        // NK-01 was blotted for CD81, not the CD63 the specification requires.
        #expect(nk.criteria.first { $0.criterion == "marker CD63" }?.outcome == .notMeasured)
        #expect(purity.remedy?.hasPrefix("co-isolated protein") == true)
        let endotoxin = try #require(nk.criteria.first { $0.criterion == "endotoxin_eu_per_ml" })
        #expect(endotoxin.reason == "0.9 is above the maximum 0.5: a factor of 1.8 away")
        #expect(
            nk.checklist.gaps.contains(
                "calnexin (category 4, other compartments) detected: cellular debris or co-isolated organelles"))
        // Particles/ml: 2.4e11 × the bins' share of the log-normal (make_fixture in the test's comment) ≈ 2.4e11.
        #expect(abs((lots[0].metrics["concentration_per_ml"] ?? 0) / 2.4e11 - 1) < 0.05)
        #expect(lots[0].metrics["rna_ng_per_1e9_particles"].map { abs($0 / (55 / 2.4e11 * 1e9) - 1) < 0.05 } == true)
    }

    /// Copies per particle: the miRNA's copies per ml of serum over the particles per ml of serum (the preparation's
    /// concentration × 0.1 ml resuspension ÷ 2 ml input).
    @Test func miRNACopiesPerParticleGoBackToTheBiofluid() throws {
        let lots = try Self.lots()
        var record = try #require(
            CharacterisationTable.parse(
                try TextFile(url: Fixture.url("qc/lots.tsv"), displayPath: "lots.tsv"), keyColumn: "lot_id",
                directory: Fixture.url("qc"), keys: nil
            ).records.first)
        record.resuspensionMilliliters = 0.1
        let sample = Sample(
            id: try #require(SampleID("S1")), patient: try #require(PatientID("P1")), group: .case, specimen: .serum,
            preparation: EVPreparation(inputVolumeMilliliters: 2))
        let assessment = PreparationAssessment(
            key: "S1", record: record, markers: [], sample: sample, specification: .standard,
            copiesPerMlBiofluid: ["hsa-miR-21-5p": 4.0e6])
        let concentration = try #require(lots[0].metrics["concentration_per_ml"])
        #expect(assessment.metrics["particles_per_ml_biofluid"] == concentration * 0.1 / 2)
        #expect(assessment.metrics["copies_per_particle:hsa-miR-21-5p"] == 4.0e6 / (concentration * 0.1 / 2))
    }

    static func marker(_ name: String, _ method: MarkerMethod) throws -> MarkerObservation {
        MarkerObservation(
            key: "L", marker: try #require(EVMarker.named(name)), method: method, detected: true,
            location: InputLocation(path: "m.tsv"))
    }

    @Test func theTransparencyScoreCountsOnlyApplicableItems() throws {
        let marker = Self.marker
        // Western blots (antibodies, lysate) of CD63 and APOA1, TEM, particles, ultracentrifugation: all nine items
        // apply; reported: 1, 2, 3, 4, 7 (specifics given) of 9.
        let score = TransparencyScore(
            markers: [try marker("CD63", .westernBlot), try marker("APOA1", .westernBlot)], imaging: .transmissionEM,
            particleAnalysis: true, isolation: .ultracentrifugation, reporting: ["ultracentrifugation_specifics": true])
        #expect(score.items.allSatisfy(\.applicable) && abs(score.percent - 500.0 / 9) < 1e-12)
        // SEC, flow only, no imaging: items 7 (no ultracentrifugation) and 9 (no lysate) do not apply; 2 of 7.
        let sec = TransparencyScore(
            markers: [try marker("CD81", .flow)], imaging: nil, particleAnalysis: true,
            isolation: .sizeExclusionChromatography, reporting: [:])
        #expect(sec.items.filter(\.applicable).map(\.number) == [1, 2, 3, 4, 5, 6, 8])
        #expect(abs(sec.percent - 200.0 / 7) < 1e-12)
    }

    @Test func purityBandsFollowWebberAndClayton() {
        #expect(PurityBand(particlesPerMicrogram: 4e10) == .high)
        #expect(PurityBand(particlesPerMicrogram: 2.5e10) == .between)
        #expect(PurityBand(particlesPerMicrogram: 5e9) == .low)
        #expect(PurityBand(particlesPerMicrogram: 1.7e9) == .between)
        #expect(PurityBand(particlesPerMicrogram: 1e9) == .impure)
    }
}

/// Levey–Jennings with Westgard rules, ICH Q1E shelf life and lot comparison.
struct ControlStatisticsTests {
    @Test func westgardRulesFireWhereTheirDefinitionsSay() throws {
        // Baseline of 20 runs alternating 99 and 101: mean 100, SD √(20/19).
        let sd = (20.0 / 19).squareRoot()
        var runs = (0..<20).map { (run: "B\($0)", value: $0 % 2 == 0 ? 99.0 : 101.0) }
        let z = [2.5, 2.5, -0.5, 3.5, -2.2, 2.3, 1.5, 1.5, 1.5, 1.5]
        runs += z.enumerated().map { (run: "R\($0.offset)", value: 100 + $0.element * sd) }
        let chart = try #require(LeveyJennings(attribute: "concentration_per_ml", runs: runs))
        #expect(abs(chart.mean - 100) < 1e-12 && abs(chart.sd - sd) < 1e-12)
        let rules = chart.points.suffix(10).map { $0.violations.map(\.rawValue) }
        #expect(
            rules == [
                ["1-2s"], ["1-2s", "2-2s"], [], ["1-2s", "1-3s"], ["1-2s", "R-4s"], ["1-2s", "R-4s"], [], [],
                ["4-1s"], ["4-1s"],
            ])
        #expect(chart.points.suffix(10).map(\.status).prefix(3) == ["warning", "reject", "in control"])
        // Ten runs above the mean.
        let drift =
            (0..<20).map { (run: "B\($0)", value: $0 % 2 == 0 ? 99.0 : 101.0) }
            + (0..<10).map { (run: "D\($0)", value: 100.5) }
        let shifted = try #require(LeveyJennings(attribute: "x", runs: drift))
        // The last baseline run (101) is above the mean too, so 10x fires from the ninth drifted run on.
        #expect(shifted.points[27].violations.isEmpty && shifted.points[28].violations == [.tenX])
        #expect(shifted.points.last?.violations == [.tenX])
    }

    /// R: Rscript bench/qc/qc_reference.R (lm + predict(interval = "confidence") + uniroot).
    @Test func shelfLifeMatchesR() throws {
        let months: [Double] = [0, 1, 2, 3, 6, 9, 12]
        let falling = try #require(
            ShelfLife(
                condition: "4 °C", attribute: "concentration", times: months,
                values: [10.2, 10.0, 9.9, 9.7, 9.3, 8.8, 8.5], minimum: 7))
        #expect(abs((falling.crossing ?? 0) - 20.989472619869865) < 1e-8)
        #expect(
            abs(falling.slope - -0.14342105263157859) < 1e-12 && abs(falling.residualSD - 0.048936048492957816) < 1e-12)
        // The data cover 12 months: Q1E allows at most min(24, 12 + 12) = 24, so the crossing stands.
        #expect(falling.shelfLife == falling.crossing && !falling.limitedByExtrapolation)
        let mode: [Double] = [101, 102, 101.5, 103, 104.2, 105.1, 107]
        let rising = try #require(
            ShelfLife(condition: "4 °C", attribute: "mode", times: months, values: mode, maximum: 115))
        #expect(abs((rising.crossing ?? 0) - 25.619948347125192) < 1e-8)
        #expect(rising.shelfLife == 24 && rising.limitedByExtrapolation)
        let both = try #require(
            ShelfLife(condition: "4 °C", attribute: "mode", times: months, values: mode, minimum: 90, maximum: 115))
        #expect(both.confidence == 0.975 && abs((both.crossing ?? 0) - 24.830519057408612) < 1e-8)
    }

    /// R: Rscript bench/qc/qc_reference.R (t.test; metafor::escalc("SMD")).
    @Test func lotComparisonMatchesWelchAndMetafor() throws {
        let lots =
            [3.1, 2.8, 3.6, 3.3].enumerated().map { (lot: "M\($0.offset)", source: "MSC", value: $0.element) }
            + [4.2, 4.9, 4.4, 5.1, 4.6].enumerated().map { (lot: "N\($0.offset)", source: "NK", value: $0.element) }
        let comparison = LotComparison(readout: "ifng_release_fold", lots: lots)
        #expect(comparison.groups.map(\.source) == ["MSC", "NK"] && comparison.groups[0].lots.count == 4)
        let contrast = try #require(comparison.contrasts.first)
        #expect(abs(contrast.difference - -1.4399999999999995) < 1e-12)
        #expect(
            abs((contrast.low ?? 0) - -1.9977252800748522) < 1e-9
                && abs((contrast.high ?? 0) - -0.88227471992514683) < 1e-9)
        #expect(abs((contrast.p ?? 0) - 0.00053016504433773648) < 1e-10)
        #expect(abs((contrast.hedgesG ?? 0) - -3.6238103429622366) < 1e-10)
        #expect(
            abs((contrast.gLow ?? 0) - -5.7524752749192141) < 1e-9
                && abs((contrast.gHigh ?? 0) - -1.4951454110052591) < 1e-9)
    }
}

/// The review's edge cases: each either refused with a clear message or handled as the docs say.
struct QCEdgeCaseTests {
    static func file(_ text: String, _ name: String = "t.tsv") throws -> TextFile {
        try TextFile(bytes: Array(text.utf8), url: URL(fileURLWithPath: "/dev/null"), displayPath: name)
    }

    @Test func nonFiniteReadOutsAndRepeatedSizeFilesAreRefused() throws {
        let folder = Fixture.url("qc")
        let nan = CharacterisationTable.parse(
            try Self.file("lot_id\tendotoxin_eu_per_ml\nL1\tnan\n"), keyColumn: "lot_id", directory: folder, keys: nil)
        #expect(
            nan.errors.map(\.description) == [
                "t.tsv:2:4: error: expected a finite number in column 'endotoxin_eu_per_ml', found 'nan'"
            ])
        let repeated = CharacterisationTable.parse(
            try Self.file("lot_id\tsize_file\nL1\tlot-MSC-01.csv\nL2\tlot-MSC-01.csv\n"), keyColumn: "lot_id",
            directory: folder, keys: nil)
        #expect(
            repeated.errors.map(\.description) == [
                "t.tsv:3:4: error: size export 'lot-MSC-01.csv' is already the size export of line 2\n  hint: each preparation has its own measurement; check for a copied row"
            ])
    }

    @Test func minusSignsMeanNotDetected() throws {
        let parsed = CharacterisationTable.parseMarkers(
            try Self.file("lot_id\tmarker\tresult\nL1\tcalnexin\t-\nL1\tGM130\t\u{2212}\nL1\tCD63\t+\n"),
            keyColumn: "lot_id", keys: nil)
        #expect(parsed.errors.isEmpty)
        #expect(parsed.observations.map(\.detected) == [false, false, true])
    }

    @Test func specimenScopedCriteriaSkipLotsAndOverlapAcrossSpecimensIsRefused() throws {
        let spec = try ReleaseSpecification.parse(
            try Self.file(
                "name: x\ncriteria:\n  - metric: hemolysis_dcq\n    max: 7\n    specimens: [plasma]\n", "s.yaml"))
        // A marker result makes the lot characterised, so its criteria are evaluated.
        let lot = PreparationAssessment(
            key: "L", record: nil, markers: [try ReleaseTests.marker("CD63", .westernBlot)], specification: spec)
        #expect(lot.criteria.map(\.outcome) == [.skipped] && lot.passed)
        let contradictory = Fixture.errorMessages {
            _ = try ReleaseSpecification.parse(
                try Self.file(
                    "name: x\ncriteria:\n  - metric: mode_nm\n    max: 100\n  - metric: mode_nm\n    min: 120\n    specimens: [plasma]\n",
                    "s.yaml"))
        }
        #expect(
            contradictory.first
                == "s.yaml:5:5: error: contradictory ranges for 'mode_nm': ≤ 100 (line 3) and ≥ 120 do not overlap\n  hint: no value can pass both; merge them into one criterion"
        )
        #expect(
            Fixture.errorMessages {
                _ = try ReleaseSpecification.parse(
                    try Self.file(
                        "name: x\ncriteria:\n  - metric: mode_nm\n    max: 100\n    optional: maybe\n", "s.yaml"))
            }.first == "s.yaml:5:15: error: expected yes or no for 'optional', found 'maybe'")
    }

    @Test func coarseOrEmptyHistogramsGiveNoImpossibleStatistics() throws {
        // Two bins 450 nm apart: the first edge stops at 0 nm instead of −175 nm, so D10 = 1/9 of [0, 275].
        let coarse = try #require(SizeDistribution(centres: [50, 500], concentrations: [9, 1]))
        #expect(abs(coarse.d10 - 275.0 / 9) < 1e-12)
        #expect(SizeDistribution(centres: [0.5, 1.5], concentrations: [0, 0]) == nil)
        let empty = ParticleSizeExport(
            path: "e", format: .sizeBins, software: "x", captures: ["a", "b"], dilution: nil, binCentres: [50, 60],
            binConcentrations: [[0, 0], [0, 0]])
        #expect(empty.captureCV == nil)
        #expect(
            Fixture.errorMessages { _ = try ParticleSizeExport.read(text: "size_nm,a\n50,1\n", displayPath: "b.csv") }
                .first
                == "b.csv:1: error: the size table has 1 bin; a distribution needs at least 2\n  hint: one row per size bin, in increasing order"
        )
    }

    @Test func controlChartsAreKeptPerMaterialAndRepeatedRunsRefused() throws {
        var text = "run\tmaterial\tconcentration_per_ml\n"
        for run in 1...4 {
            text += "R\(run)\tlow\t\(run % 2 == 0 ? 9 : 11)\n"
            text += "R\(run)\thigh\t\(run % 2 == 0 ? 99 : 101)\n"
        }
        let table = try QCSeriesTable.parse(
            try Self.file(text), required: ["run"], optionalLabels: ["material"], unique: ["material", "run"])
        let charts = LeveyJennings.charts(table)
        #expect(charts.map { $0.material ?? "" } == ["low", "high"] && charts.map(\.mean) == [10, 100])
        #expect(charts.allSatisfy { $0.shortBaseline && $0.points.count == 4 })
        #expect(
            Fixture.errorMessages {
                _ = try QCSeriesTable.parse(
                    try Self.file(text + "R2\tlow\t10\n"), required: ["run"], optionalLabels: ["material"],
                    unique: ["material", "run"])
            }.first == "t.tsv:10:1: error: material 'low', run 'R2' appears again (first on line 4)")
    }

    @Test func stabilityLotsAreNeverPooled() throws {
        var text = "condition\tlot\tmonths\tconcentration\n"
        for (lot, loss) in [("A", 0.1), ("B", 0.3)] {
            for month in [0, 3, 6, 9] { text += "4 °C\t\(lot)\t\(month)\t\(10 - loss * Double(month))\n" }
        }
        let table = try QCSeriesTable.parse(
            try Self.file(text), required: ["condition"], optionalLabels: ["lot"], timeColumn: "months")
        let series = ShelfLife.series(table, limits: ["concentration": .init(minimum: 8)])
        #expect(series.map { $0.lot ?? "" } == ["A", "B"])
        // Exact lines: the bound meets the limit where the line does (residual SD 0): 20 and 6.67 months.
        #expect(abs((series[1].shelfLife?.crossing ?? 0) - 20.0 / 3) < 1e-6)
        #expect(series[0].shelfLife?.shelfLife == 18, "lot A is capped at Q1E's 9 + 9 months")
    }
}
