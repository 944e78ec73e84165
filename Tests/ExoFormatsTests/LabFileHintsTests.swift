import ExoCore
import ExoFormats
import Foundation
import Testing

/// Files as labs write them: European CSV, spaces for tabs, other date forms, tabs in YAML, censored Cqs.
struct LabFileHintsTests {
    private func file(_ text: String, _ path: String) throws -> TextFile {
        try TextFile(bytes: Array(text.utf8), url: URL(fileURLWithPath: "/dev/null"), displayPath: path)
    }

    @Test(arguments: [
        ("01.03.2025", "write it as 2025-03-01"),
        ("1.3.25", "write it as 2025-03-01"),
        ("01/03/2025", "write it as YYYY-MM-DD: 2025-03-01 if the day comes first, 2025-01-03 if the month does"),
        ("13/03/2025", "write it as 2025-03-13"),
        ("03/13/2025", "write it as 2025-03-13"),
        ("2025/3/1", "write it as 2025-03-01"),
        (
            "45000",
            "45000 looks like a spreadsheet date serial (2023-03-15); format the column as text dates YYYY-MM-DD"
        ),
    ])
    func datesInOtherFormsGetTheISOSpelling(_ text: String, hint: String) {
        #expect(CalendarDate.hint(for: text) == hint)
    }

    @Test(arguments: ["yesterday", "2025-02-30", "31.02.2025", "12"])
    func textThatIsNoDateGetsNoGuess(_ text: String) {
        #expect(CalendarDate.hint(for: text) == nil)
    }

    @Test func daysSinceEpochRoundTrips() throws {
        for days in stride(from: -719_162, through: 2_932_896, by: 997) {
            #expect(CalendarDate(daysSinceEpoch: days).daysSinceEpoch == days)
        }
    }

    @Test(arguments: ["HC", "healthy control", "Healthy Control", "NC", "normal control", "healthy"])
    func usualControlSpellingsAreControls(_ text: String) {
        #expect(SampleGroup(parsing: text) == .control)
    }

    @Test func semicolonCSVWithDecimalCommasReadsItsNumbers() throws {
        let table = try DelimitedTable(
            file("sample_id;analyte;value;unit\nS1;miR-21;27,35;Cq\nS2;miR-21;Undetermined;Cq\n", "q.csv"))
        #expect(table.delimiter == UInt8(ascii: ";"))
        let spec = MeasurementFileSpec(path: "q.csv", assay: .qPCR, location: InputLocation(path: "study.yaml"))
        let parsed = MeasurementTable.parse(
            table: table, spec: spec, samples: Set([SampleID("S1"), SampleID("S2")].compactMap { $0 }))
        #expect(parsed.errors.isEmpty)
        #expect(parsed.measurements.map { $0.value } == [27.35, nil])
    }

    /// 128 rows with decimal commas in a tab file gave 128 identical errors and no hint.
    @Test func decimalCommasInATabFileAreOneErrorWithTheSetting() throws {
        let rows = (1...128).map { "S1\tmiR-21\t2\($0 % 10),5\t\($0)" }.joined(separator: "\n")
        let table = try DelimitedTable(file("sample_id\tanalyte\tvalue\treplicate\n" + rows + "\n", "q.tsv"))
        var spec = MeasurementFileSpec(
            path: "q.tsv", assay: .qPCR, unit: .cq, location: InputLocation(path: "study.yaml"))
        let parsed = MeasurementTable.parse(table: table, spec: spec, samples: Set([SampleID("S1")].compactMap { $0 }))
        #expect(
            parsed.errors.map(\.description) == [
                "q.tsv:2:11: error: found numbers with a decimal comma in column 'value' on 128 rows, the first here\n"
                    + "  hint: add 'decimal: comma' to this file's entry under measurements in study.yaml, "
                    + "or export the file with decimal points"
            ])
        spec.decimalComma = true
        let read = MeasurementTable.parse(table: table, spec: spec, samples: Set([SampleID("S1")].compactMap { $0 }))
        #expect(read.errors.isEmpty)
        #expect(read.measurements.count == 128)
        #expect(read.measurements.first?.value == 21.5)
    }

    /// 'inf' and 'nan' parse as Doubles; they were counted as decimal-comma rows and got the comma hint.
    @Test(arguments: ["inf", "nan", "-Infinity"])
    func aNonFiniteValueIsNotADecimalComma(_ value: String) throws {
        let table = try DelimitedTable(file("sample_id\tanalyte\tvalue\nS1\tmiR-21\t\(value)\n", "q.tsv"))
        let spec = MeasurementFileSpec(
            path: "q.tsv", assay: .qPCR, unit: .cq, location: InputLocation(path: "study.yaml"))
        let parsed = MeasurementTable.parse(table: table, spec: spec, samples: Set([SampleID("S1")].compactMap { $0 }))
        #expect(
            parsed.errors.map(\.message) == ["expected a number in column 'value', found '\(value)'"])
    }

    @Test(arguments: [">40", "40+", "> 40", ">40.0"])
    func aCensoredCqSaysToWriteUndetermined(_ value: String) throws {
        let table = try DelimitedTable(file("sample_id\tanalyte\tvalue\nS1\tmiR-21\t\(value)\n", "q.tsv"))
        let spec = MeasurementFileSpec(
            path: "q.tsv", assay: .qPCR, unit: .cq, location: InputLocation(path: "study.yaml"))
        let parsed = MeasurementTable.parse(table: table, spec: spec, samples: Set([SampleID("S1")].compactMap { $0 }))
        #expect(parsed.errors.first?.hint?.hasPrefix("a Cq written as '\(value)' means no Cq within the run") == true)
    }

    @Test func spacesForTabsAreNamed() throws {
        let table = try DelimitedTable(file("sample_id   analyte   value\nS1   miR-21   27\n", "q.tsv"))
        let errors = table.missingColumnErrors(["sample_id", "analyte", "value"], hint: "the columns are …")
        #expect(errors.count == 3)
        #expect(errors.allSatisfy { $0.hint?.hasPrefix("the header is one column whose name has spaces") == true })
    }

    @Test func aTabInStudyYAMLIsNamed() throws {
        let (_, errors) = StudyFile.parse(
            try file("schema: 1\nid: X\nanalytes:\n\tmonitored: [miR-21]\n", "study.yaml"))
        #expect(errors.first?.kind == .malformedYAML)
        #expect(errors.first?.hint == "line 4 is indented with a tab; YAML indents with spaces only")
    }
}
