import ExoCore
import ExoFormats
import ExoPipeline
import ExoStore
import ExoTestSupport
import Foundation
import Testing

/// The corpus of broken study folders under `Tests/Fixtures/bad/`: each reports the exact kind, location
/// and message of its first error, and leaves a database that already holds a study exactly as it was.
struct BadInputTests {
    struct Case: Sendable, CustomTestStringConvertible {
        let folder: String
        let kind: InputError.Kind
        let location: String
        let message: String
        var testDescription: String { folder }
    }

    static let cases: [Case] = [
        Case(
            folder: "ambiguous-analyte", kind: .ambiguousAnalyte, location: "data/cq.tsv:4:4",
            message: "miRNA name 'miR-151a' is ambiguous: it fits hsa-miR-151a-3p and hsa-miR-151a-5p"),
        Case(
            folder: "bad-date", kind: .invalidDate, location: "samples.tsv:3:15",
            message: "expected a YYYY-MM-DD date (ISO 8601) in column 'collection_date', found '2025-02-30'"),
        Case(
            folder: "bad-follow-up", kind: .invalidNumber, location: "samples.tsv:4:14",
            message:
                "expected months from diagnosis to the event or the last follow-up (≥ 0) in column 'followup_months', found '12 mo'"
        ),
        Case(
            folder: "half-follow-up", kind: .invalidValue, location: "samples.tsv:4:14",
            message: "follow-up needs both followup_months and followup_event; this row has one"),
        Case(
            folder: "bad-number", kind: .invalidNumber, location: "data/cq.tsv:3:17",
            message: "found numbers with a decimal comma in column 'value' on 1 row, the first here"),
        Case(
            folder: "bad-specimen", kind: .invalidValue, location: "samples.tsv:3:27",
            message:
                "expected one of serum, plasma, csf, urine, cell-culture-medium, tissue, saliva in column 'specimen', found 'serm'"
        ),
        Case(
            folder: "dpcr-missing-volume", kind: .missingKey, location: "study.yaml:6:11",
            message: "digital-PCR partition counts need 'partitionVolumeNanoliters' in this measurements entry"),
        Case(
            folder: "duplicate-measurement", kind: .duplicateMeasurement, location: "data/cq.tsv:7:4",
            message: "second value for sample 'S1', hsa-miR-4458, replicate 1 (first on line 2)"),
        Case(
            folder: "duplicate-sample", kind: .unknownSample, location: "data/cq.tsv:4:1",
            message: "sample 'S3' is not in the sample sheet"),
        Case(
            folder: "empty-sample-sheet", kind: .emptyTable, location: "samples.tsv:1",
            message: "expected at least one row after the header, found none"),
        Case(
            folder: "malformed-yaml", kind: .malformedYAML, location: "study.yaml:8:4",
            message: "invalid YAML: did not find expected '-' indicator (while parsing a block collection at line 7)"),
        Case(
            folder: "missing-column", kind: .missingColumn, location: "samples.tsv:1:22",
            message: "missing required column 'group'"),
        Case(
            folder: "missing-key", kind: .missingKey, location: "study.yaml:1:1", message: "missing required key 'id'"),
        Case(
            folder: "missing-measurement-file", kind: .fileNotFound, location: "study.yaml:7:11",
            message: "file 'data/cq-plate2.tsv' named in study.yaml does not exist"),
        Case(
            folder: "missing-sample-sheet", kind: .fileNotFound, location: "study.yaml:6:14",
            message: "file 'sample-sheet.tsv' named in study.yaml does not exist"),
        Case(
            folder: "non-utf8", kind: .invalidEncoding, location: "samples.tsv:4:10",
            message: "expected UTF-8 text, found byte 0xE9"),
        Case(
            folder: "sample-sheet-is-folder", kind: .unreadableFile, location: "samples.tsv",
            message: "'samples.tsv' is a folder, expected a file"),
        Case(
            folder: "monitoring-negative-variation", kind: .invalidValue, location: "study.yaml:13:20",
            message: "within-subject variation must be ≥ 0 cycles, found '-0.2'"),
        Case(
            folder: "qc-contradictory-specification", kind: .contradictoryRange,
            location: "qc/specification.yaml:4:10",
            message: "contradictory range for 'particles_per_ug': min 3e+10 is above max 2e+09"),
        Case(
            folder: "qc-size-bins-decrease", kind: .invalidValue, location: "qc/S2.csv:4:1",
            message: "size bins must increase: 100 nm follows 150 nm"),
        Case(
            folder: "qc-stability-limits", kind: .contradictoryRange, location: "study.yaml:16:27",
            message: "contradictory range for 'concentration_per_ml': min 9e+10 is above max 8e+10"),
        Case(
            folder: "qc-unknown-marker", kind: .unknownMarker, location: "qc/markers.tsv:4:4",
            message: "unknown marker 'TSG-110'"),
        Case(
            folder: "qc-unknown-readout", kind: .missingColumn, location: "qc/specification.yaml:3:5",
            message: "read-out 'ifng_fold' is not a column of the characterisation table"),
        Case(
            folder: "qc-unknown-reporting-item", kind: .unknownKey, location: "study.yaml:16:5",
            message: "unknown reporting item 'density_gradient'"),
        Case(
            folder: "qc-unknown-stability-column", kind: .missingColumn, location: "study.yaml:13:3",
            message: "stabilityLimits names 'concentration_per_mL', which is not a column of 'qc/stability.tsv'"),
        Case(
            folder: "rdml-too-few-cycles", kind: .tooFewCycles, location: "data/run.rdml:9:32",
            message:
                "reaction '2' has 7 amplification cycles for target 'hsa-miR-21-5p'; curve analysis needs at least 10"),
        Case(
            folder: "rdml-unknown-sample", kind: .unknownSample, location: "data/run.rdml:9:1",
            message: "sample 'S9' of reaction '2' is not in the sample sheet"),
        Case(
            folder: "schema-version", kind: .invalidValue, location: "study.yaml:1:9",
            message: "expected schema 1, found 2"),
        Case(
            folder: "several-problems", kind: .invalidNumber, location: "data/cq.tsv:3:17",
            message: "expected a number in column 'value', found 'n/a'"),
        Case(
            folder: "unit-wrong-for-assay", kind: .unknownUnit, location: "study.yaml:9:11",
            message: "unit 'particles/mL' is not a unit of qPCR"),
        Case(
            folder: "unknown-analyte", kind: .unknownAnalyte, location: "data/cq.tsv:4:4",
            message: "unknown analyte 'hsa-miR-44588': not a miRBase release 22 miRNA, lncRNA or circRNA name"),
        Case(folder: "unknown-key", kind: .unknownKey, location: "study.yaml:3:1", message: "unknown key 'titel'"),
        Case(
            folder: "unknown-sample", kind: .unknownSample, location: "data/cq.tsv:4:1",
            message: "sample 'S4' is not in the sample sheet"),
        Case(
            folder: "unknown-unit", kind: .unknownUnit, location: "study.yaml:9:11",
            message:
                "expected one of copies/uL, copies/mL, copies/reaction, particles/mL, Cq, counts, RPM, ug/mL, ng/uL, nm, RQ for 'unit', found 'cycles/uL'"
        ),
        Case(
            folder: "wrong-field-count", kind: .wrongFieldCount, location: "samples.tsv:3:27",
            message: "expected 5 fields as in the header, found 6"),
        Case(
            folder: "wrong-type", kind: .wrongType, location: "study.yaml:6:15",
            message: "expected a list for 'measurements', found text 'data/cq.tsv'"),
        Case(
            folder: "zero-byte-sample-sheet", kind: .emptyTable, location: "samples.tsv",
            message: "expected a header line and at least one row, found an empty file"),
    ]

    /// Validation errors of a bad fixture folder.
    static func errors(of folder: String) throws -> [InputError] {
        do {
            _ = try Pipeline.validate(Fixture.url("bad/\(folder)"))
            return []
        } catch {
            return error.errors
        }
    }

    @Test func corpusHasEveryFolderInTheTable() throws {
        let folders = try FileManager.default.contentsOfDirectory(atPath: Fixture.url("bad").path).sorted()
        #expect(folders == (Self.cases.map(\.folder) + ["no-study-yaml"]).sorted())
        #expect(folders.count >= 15)
    }

    @Test(arguments: cases)
    func firstErrorHasExactKindLocationAndMessage(_ testCase: Case) async throws {
        let store = try await SQLiteStore()
        _ = try await Pipeline.importStudy(
            try Pipeline.validate(Fixture.url("good/minimal")), into: store, actor: "test")
        let before = try await store.contentDump()

        let errors = try Self.errors(of: testCase.folder)
        let first = try #require(errors.first, "\(testCase.folder) validated without errors")
        #expect(first.kind == testCase.kind)
        #expect(first.location.description == testCase.location)
        #expect(first.message == testCase.message)
        #expect(try await store.contentDump() == before, "a failed validation must not change the database")
    }

    @Test func hintsNameTheNearestValidValue() throws {
        #expect(try Self.errors(of: "unknown-key").first?.hint == "did you mean 'title'?")
        #expect(try Self.errors(of: "missing-column").first?.hint == "found 'grp'; rename it to 'group'")
        #expect(try Self.errors(of: "bad-specimen").first?.hint == "did you mean 'serum'?")
        #expect(try Self.errors(of: "unknown-unit").first?.hint == "did you mean 'copies/uL'?")
        #expect(
            try Self.errors(of: "unknown-analyte").first?.hint
                == "nearest miRBase names: hsa-miR-4458, hsa-miR-4488, hsa-miR-448; for another analyte add an analyte_type "
                + "column (lncRNA, circRNA, snRNA, snoRNA, spike-in, assay-control, protein, particle, other) or map the "
                + "name with targetMap in study.yaml"
        )
    }

    @Test func everyProblemIsReportedAtOnceWithoutCascades() throws {
        let errors = try Self.errors(of: "several-problems")
        #expect(errors.map(\.location.description) == ["data/cq.tsv:3:17", "samples.tsv:3:15", "samples.tsv:4:7"])
        #expect(errors.map(\.kind) == [.invalidNumber, .invalidDate, .invalidValue])
        let duplicate = try Self.errors(of: "duplicate-sample")
        #expect(duplicate.map(\.kind) == [.unknownSample, .duplicateSample])
        #expect(duplicate.last?.message == "duplicate sample id 'S1', first used on line 2")
    }

    @Test func missingStudyYAMLSaysHowToStart() throws {
        let error = try #require(try Self.errors(of: "no-study-yaml").first)
        #expect(error.kind == .fileNotFound)
        #expect(error.location.description == "study.yaml")
        #expect(error.hint == "run 'exoscope init no-study-yaml' to scaffold a study folder")
    }

    @Test func fileChangedBetweenValidateAndImportAbortsTheImport() async throws {
        let store = try await SQLiteStore()
        _ = try await Pipeline.importStudy(
            try Pipeline.validate(Fixture.url("good/minimal")), into: store, actor: "test")
        let before = try await store.contentDump()
        let folder = try Fixture.copy("good/minimal")
        let validated = try Pipeline.validate(folder)
        // The study id is the same, so an import would replace the stored study: it must not happen.
        let sheet = folder.appendingPathComponent("samples.tsv")
        try (try String(contentsOf: sheet, encoding: .utf8) + "S9\tP9\tcontrol\t2025-01-09\t\n").write(
            to: sheet, atomically: true, encoding: .utf8)
        let error = await #expect(throws: InputErrorList.self) {
            _ = try await Pipeline.importStudy(validated, into: store, actor: "test")
        }
        #expect(error?.errors.first?.kind == .fileChanged)
        #expect(error?.errors.first?.location.description == "samples.tsv")
        #expect(
            error?.errors.first?.message == "file 'samples.tsv' changed after it was validated; nothing was imported")
        #expect(try await store.contentDump() == before)
    }
}
