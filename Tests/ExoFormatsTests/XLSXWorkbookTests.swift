import ExoCore
import ExoFormats
import ExoTestSupport
import Foundation
import Testing
import ZIPFoundation

/// The `.xlsx` reader on the workbooks of `Tests/Fixtures/xlsx/` (made by `scripts/make-xlsx-fixtures.py`).
struct XLSXWorkbookTests {
    static func workbook(_ name: String) throws -> XLSXWorkbook {
        try XLSXWorkbook(url: Fixture.url("xlsx/\(name)"), displayPath: name)
    }

    /// An `.xlsx` archive built from the given parts.
    static func archive(_ parts: [String: String]) throws -> Data {
        let archive = try Archive(data: Data(), accessMode: .create)
        for (name, text) in parts.sorted(by: { $0.key < $1.key }) {
            let bytes = Data(text.utf8)
            try archive.addEntry(
                with: name, type: .file, uncompressedSize: Int64(bytes.count), compressionMethod: .deflate
            ) { position, size in bytes.subdata(in: Int(position)..<Int(position) + size) }
        }
        return try #require(archive.data)
    }

    @Test func quantStudioResultsReadAsTheUserSeesThem() throws {
        let workbook = try Self.workbook("quantstudio-results.xlsx")
        #expect(workbook.sheetNames == ["Sample Setup", "Results"])
        let rows = try workbook.rows(sheet: "Results")
        #expect(rows.count == 9)
        #expect(rows[0] == ["* Experiment Name", "exosome plate 3"])
        #expect(rows[2] == [])
        #expect(
            rows[3] == [
                "Well", "Well Position", "Sample Name", "Target Name", "CT", "Ct Threshold", "Run Date", "Omit",
            ])
        // CT 27.345 exactly; a custom date format (dd/mm/yyyy) as an ISO date; a rich-text shared string.
        #expect(
            rows[4] == [
                "1", "A1", "P01-T0", "hsa-miR-21-5p", "27.345", "0.2", "2026-03-14", "FALSE", "", "miR-21 (5p arm)",
            ])
        // Built-in date format 14 gives a date; `h:mm` (built-in 20) keeps the number.
        #expect(rows[5][9] == "2025-12-31")
        #expect(rows[6] == ["3", "A3", "NTC", "hsa-miR-21-5p", "Undetermined", "0.2", "2026-03-14", "TRUE", "", "0.5"])
        // A missing Sample Name stays an empty cell in its column; 1/3 round-trips; whole numbers have no ".0".
        #expect(rows[7] == ["4", "A4", "", "U6", "0.3333333333333333", "0.2", "2026-03-15", "FALSE", "", "24"])
        // A sparse row: 1e-7 in F9, the error cell #N/A in H9.
        #expect(rows[8] == ["", "", "", "", "", "1e-07", "", "#N/A"])
        #expect(
            try workbook.rows(sheet: "Sample Setup") == [
                ["Well", "Well Position", "Sample Name", "Target Name"], ["1", "A1", "P01-T0", "hsa-miR-21-5p"],
            ])
        #expect(
            workbook.location(sheet: "Results", row: 7, column: 5).description
                == "quantstudio-results.xlsx[Results]:7:5")
    }

    /// Inline strings with runs and a phonetic guide, the 1904 date system, cells and rows without
    /// references, a formula's cached string, a boolean and an error.
    @Test func inlineStringsAnd1904DatesAndUnreferencedCells() throws {
        let workbook = try Self.workbook("inline-1904.xlsx")
        #expect(workbook.sheetNames == ["Plate", "Gone"])
        let rows = try workbook.rows(sheet: "Plate")
        #expect(
            rows == [
                ["Well", "Cq", "Date"], [" B7 ", "27.345", "1904-01-01", "TRUE"], [], [], [], [],
                ["", "B7", "", "#DIV/0!"],
            ])
    }

    @Test func missingSheetIsNamedWithTheNearestOne() throws {
        let workbook = try Self.workbook("inline-1904.xlsx")
        let error = #expect(throws: InputError.self) { try workbook.rows(sheet: "Plates") }
        #expect(error?.kind == .missingEntry)
        #expect(error?.message == "the workbook has no sheet 'Plates' (its sheets: 'Plate', 'Gone')")
        #expect(error?.hint == "did you mean 'Plate'?")
        let gone = #expect(throws: InputError.self) { try workbook.rows(sheet: "Gone") }
        #expect(gone?.kind == .missingEntry)
        #expect(gone?.message == "sheet 'Gone' is stored in 'xl/worksheets/gone.xml', which the archive does not hold")
    }

    /// The same shape as the RDML reader's malformed-input table.
    typealias Case = RDMLReaderTests.Case

    static let malformed: [Case] = [
        Case(
            name: "not a zip", kind: .malformedArchive, location: "book.xlsx",
            message:
                "expected an .xlsx workbook (a zip archive), found something else: it is truncated or not a workbook"),
        Case(
            name: "legacy xls", kind: .malformedArchive, location: "book.xlsx",
            message: "expected an .xlsx workbook (a zip archive), found an Excel 97–2003 .xls file"),
        Case(
            name: "no workbook", kind: .missingEntry, location: "book.xlsx",
            message: "the archive holds no xl/workbook.xml: it is not an Excel workbook"),
        Case(
            name: "bad reference", kind: .invalidValue, location: "book.xlsx!xl/worksheets/plate.xml:6:52",
            message: "expected a cell reference such as 'B7' in <c r=…>, found '7D'"),
        Case(
            name: "shared string out of range", kind: .invalidValue, location: "book.xlsx[S]:2:3",
            message: "cell refers to shared string '5', but the workbook has 1"),
        Case(
            name: "entity in a sheet", kind: .malformedXML, location: "book.xlsx!xl/worksheets/s.xml:1:60",
            message: "the XML declares the entity 'x'; entity declarations are refused"),
    ]

    static func data(for name: String) throws -> Data {
        let workbook = """
            <workbook xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">\
            <sheets><sheet name="S" r:id="r1"/></sheets></workbook>
            """
        let rels = "<Relationships><Relationship Id=\"r1\" Target=\"worksheets/s.xml\"/></Relationships>"
        switch name {
        case "not a zip": return Data("Well,CT\nA1,27.3\n".utf8)
        case "legacy xls":
            return Data([0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1] + [UInt8](repeating: 0, count: 504))
        case "no workbook": return try Data(contentsOf: Fixture.url("xlsx/no-workbook.xlsx"))
        case "bad reference": return try Data(contentsOf: Fixture.url("xlsx/bad-reference.xlsx"))
        case "shared string out of range":
            return try archive([
                "xl/workbook.xml": workbook, "xl/_rels/workbook.xml.rels": rels,
                "xl/sharedStrings.xml": "<sst><si><t>only</t></si></sst>",
                "xl/worksheets/s.xml":
                    "<worksheet><sheetData><row r=\"2\"><c r=\"C2\" t=\"s\"><v>5</v></c></row></sheetData></worksheet>",
            ])
        case "entity in a sheet":
            return try archive([
                "xl/workbook.xml": workbook, "xl/_rels/workbook.xml.rels": rels,
                "xl/worksheets/s.xml": "<!DOCTYPE worksheet [<!ENTITY x SYSTEM \"file:///etc/passwd\">]><worksheet/>",
            ])
        default: return Data()
        }
    }

    @Test(arguments: malformed)
    func malformedWorkbooksAreReportedExactly(_ testCase: Case) throws {
        let data = try Self.data(for: testCase.name)
        let error = #expect(throws: InputError.self) {
            let workbook = try XLSXWorkbook(data: data, displayPath: "book.xlsx")
            _ = try workbook.rows(sheet: workbook.sheetNames.first ?? "")
        }
        #expect(error?.kind == testCase.kind)
        #expect(error?.location.description == testCase.location)
        #expect(error?.message == testCase.message)
    }

    @Test func dateSerialsFollowExcelsCalendar() {
        let cases: [(Double, Bool, String?)] = [
            (1, false, "1900-01-01"), (59, false, "1900-02-28"), (60, false, "1900-02-29"), (61, false, "1900-03-01"),
            (46095.75, false, "2026-03-14"), (2_958_465, false, "9999-12-31"), (2_958_466, false, nil), (0, false, nil),
            (0, true, "1904-01-01"), (44_561, true, "2026-01-01"), (-1, true, nil),
        ]
        for (serial, uses1904, expected) in cases {
            #expect(XLSXWorkbook.isoDate(serial: serial, uses1904Dates: uses1904) == expected, "serial \(serial)")
        }
    }

    @Test func numbersAreTheShortestRoundTrippingText() {
        #expect(XLSXWorkbook.numberText(27.344999999999999) == "27.345")
        #expect(XLSXWorkbook.numberText(24) == "24")
        #expect(XLSXWorkbook.numberText(-0.0) == "0")
        #expect(XLSXWorkbook.numberText(0.1 + 0.2) == "0.30000000000000004")
        #expect(XLSXWorkbook.numberText(1e20) == "1e+20")
        for value in [27.345, 1.0 / 3.0, 6.02214076e23, -1.5e-9] {
            #expect(Double(XLSXWorkbook.numberText(value)) == value)
        }
    }

    @Test func cellReferencesCoverTheWholeSheet() {
        #expect(XLSXWorkbook.cellReference("B7").map { [$0.row, $0.column] } == [7, 2])
        #expect(XLSXWorkbook.cellReference("XFD1048576").map { [$0.row, $0.column] } == [1_048_576, 16_384])
        for bad in ["XFE1", "A0", "A1048577", "a1", "7D", "B", "12", "AAAA1", "B7 "] {
            #expect(XLSXWorkbook.cellReference(bad) == nil, "\(bad)")
        }
    }
}
