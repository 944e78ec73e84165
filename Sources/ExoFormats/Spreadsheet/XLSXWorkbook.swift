public import ExoCore
public import Foundation

/// An Excel workbook (`.xlsx`, Office Open XML SpreadsheetML) read directly, sheet by sheet, as text cells.
///
/// The archive is read with ``ZipEntryReader`` (size cap, CRC-32) and each part with ``XMLEventParser``
/// (no DTDs, no entities), so a hostile workbook is refused like a hostile RDML file. Sheets are found by
/// name through `xl/workbook.xml` and its relationships `xl/_rels/workbook.xml.rels`. Cells come back as the
/// text a user would read in Excel, without its display rounding:
/// - shared strings (including rich-text runs, without phonetic guides) and inline strings as their text;
/// - numbers as the shortest decimal text that reads back as the same `Double` (`27.345`, not
///   `27.344999999999999`; whole numbers without `.0`);
/// - numbers whose cell format is a date (built-in formats 14–17 and 22, or a custom format with `d`, `y`,
///   or `m` without `h` or `s`) as ISO dates `YYYY-MM-DD`, in the workbook's 1900 or 1904 date system;
///   time-only formats (18–21, `h:mm`) stay numbers;
/// - booleans as `TRUE` / `FALSE`, error cells as their text (`#N/A`, `#DIV/0!`), formulas as their
///   cached value.
/// Cells are placed by their reference (`r="B7"`), so sparse sheets keep their columns.
public struct XLSXWorkbook: Sendable {
    /// The workbook's path as shown in messages.
    public let displayPath: String
    /// The sheets' names, in workbook order.
    public let sheetNames: [String]
    /// Each sheet's entry in the archive, by sheet name.
    let sheetEntries: [String: String]
    let sharedStrings: [String]
    /// For each cell format (`cellXfs` index), whether it displays a date.
    let dateFormats: [Bool]
    let uses1904Dates: Bool
    private let data: Data
    private let maximumInflatedBytes: Int?

    /// The most cells one sheet may expand to once its rows are padded to their last cell.
    public static let maximumCells = 20_000_000

    /// Reads a workbook's structure (sheet names, shared strings, cell formats); sheets are read on demand.
    ///
    /// - Parameters:
    ///   - data: the `.xlsx` bytes.
    ///   - displayPath: the path as shown in messages.
    ///   - maximumInflatedBytes: the cap on each part's inflated size; `nil` for `EXOSCOPE_MAX_INFLATED_BYTES`
    ///     or 512 MiB (``ZipEntryReader``).
    /// - Throws: `InputError` of kind `malformedArchive` (not a zip archive; an old `.xls` file says so),
    ///   `missingEntry` (no `xl/workbook.xml`, or a sheet whose part is missing), `archiveTooLarge`,
    ///   `checksumMismatch`, `malformedXML` or `invalidValue`.
    public init(data: Data, displayPath: String, maximumInflatedBytes: Int? = nil) throws(InputError) {
        self.displayPath = displayPath
        self.data = data
        self.maximumInflatedBytes = maximumInflatedBytes
        let archive = try Self.open(data, displayPath: displayPath, maximumInflatedBytes: maximumInflatedBytes)
        guard archive.contains("xl/workbook.xml") else {
            throw InputError(
                .missingEntry, at: InputLocation(path: displayPath),
                "the archive holds no xl/workbook.xml: it is not an Excel workbook",
                hint: "save the file from Excel as 'Excel Workbook (.xlsx)'")
        }
        let workbook = WorkbookPart()
        try Self.parse(archive, "xl/workbook.xml", into: workbook)
        let relationships = RelationshipsPart()
        if archive.contains("xl/_rels/workbook.xml.rels") {
            try Self.parse(archive, "xl/_rels/workbook.xml.rels", into: relationships)
        }
        var entries: [String: String] = [:]
        for sheet in workbook.sheets {
            guard let target = relationships.targets[sheet.relationship] else {
                throw InputError(
                    .missingEntry, at: archive.location(of: "xl/_rels/workbook.xml.rels"),
                    "sheet \(InputError.quoted(sheet.name)) refers to relationship \(InputError.quoted(sheet.relationship)), which xl/_rels/workbook.xml.rels does not define",
                    hint: "the workbook is damaged; open and save it again in Excel")
            }
            entries[sheet.name] = Self.resolved(target)
        }
        sheetNames = workbook.sheets.map(\.name)
        sheetEntries = entries
        uses1904Dates = workbook.uses1904Dates
        let strings = SharedStringsPart()
        if archive.contains("xl/sharedStrings.xml") { try Self.parse(archive, "xl/sharedStrings.xml", into: strings) }
        sharedStrings = strings.strings
        let styles = StylesPart()
        if archive.contains("xl/styles.xml") { try Self.parse(archive, "xl/styles.xml", into: styles) }
        dateFormats = styles.cellFormats.map { styles.isDate(numberFormat: $0) }
    }

    /// Reads a workbook from disk.
    ///
    /// - Throws: `fileNotFound`, `unreadableFile`, or as ``init(data:displayPath:maximumInflatedBytes:)``.
    public init(url: URL, displayPath: String) throws(InputError) {
        guard FileManager.default.fileExists(atPath: url.path) else {
            throw InputError(
                .fileNotFound, at: InputLocation(path: displayPath),
                "file \(InputError.quoted(displayPath)) does not exist")
        }
        guard let data = try? Data(contentsOf: url) else {
            throw InputError(
                .unreadableFile, at: InputLocation(path: displayPath), "cannot read \(InputError.quoted(displayPath))")
        }
        try self.init(data: data, displayPath: displayPath)
    }

    /// The cells of a sheet as text: `rows[r - 1][c - 1]` is Excel row `r`, column `c`.
    ///
    /// Rows are padded with empty strings up to their last cell; empty rows are empty arrays; rows after the
    /// last cell are left out.
    ///
    /// - Parameter sheet: the sheet's name, as in ``sheetNames``.
    /// - Returns: the rows.
    /// - Throws: `InputError` of kind `missingEntry` (no such sheet, with the nearest name; or its part is
    ///   missing), `malformedXML`, `invalidValue` (a bad cell reference or shared-string index, or more than
    ///   ``maximumCells`` cells), `archiveTooLarge` or `checksumMismatch`.
    /// - Complexity: O(n) in the sheet's XML plus the padded cells.
    public func rows(sheet: String) throws(InputError) -> [[String]] {
        guard let entry = sheetEntries[sheet] else {
            let names = sheetNames.map { InputError.quoted($0) }.joined(separator: ", ")
            throw InputError(
                .missingEntry, at: InputLocation(path: displayPath),
                "the workbook has no sheet \(InputError.quoted(sheet)) (its sheets: \(names.isEmpty ? "none" : names))",
                hint: EditDistance.didYouMean(sheet, in: Set(sheetNames)))
        }
        let archive = try Self.open(data, displayPath: displayPath, maximumInflatedBytes: maximumInflatedBytes)
        guard archive.contains(entry) else {
            throw InputError(
                .missingEntry, at: InputLocation(path: displayPath),
                "sheet \(InputError.quoted(sheet)) is stored in \(InputError.quoted(entry)), which the archive does not hold",
                hint: "the workbook is damaged; open and save it again in Excel")
        }
        let reader = SheetPart(workbook: self, sheet: sheet)
        try Self.parse(archive, entry, into: reader)
        if let problem = reader.problem { throw problem }
        return try reader.rows(location: archive.location(of: entry))
    }

    /// Where a cell is, for messages about its value: `file.xlsx[Sheet1]:7:2` for cell B7 of `Sheet1`.
    ///
    /// - Parameters:
    ///   - sheet: the sheet's name.
    ///   - row: the Excel row, 1-based (`rows(sheet:)[row - 1]`).
    ///   - column: the column, 1-based (A is 1).
    /// - Returns: a location whose line is the row and whose column is the column.
    public func location(sheet: String, row: Int, column: Int) -> InputLocation {
        InputLocation(path: "\(displayPath)[\(sheet)]", line: row, column: column)
    }

    private static func open(_ data: Data, displayPath: String, maximumInflatedBytes: Int?) throws(InputError)
        -> ZipEntryReader
    {
        do {
            return try ZipEntryReader(data: data, displayPath: displayPath, maximumInflatedBytes: maximumInflatedBytes)
        } catch  where error.kind == .malformedArchive {
            let isLegacy = data.starts(with: [0xD0, 0xCF, 0x11, 0xE0])
            throw InputError(
                error.kind, at: error.location,
                isLegacy
                    ? "expected an .xlsx workbook (a zip archive), found an Excel 97–2003 .xls file"
                    : "expected an .xlsx workbook (a zip archive), found something else: it is truncated or not a workbook",
                hint: "save the workbook from Excel as 'Excel Workbook (.xlsx)' or as 'CSV UTF-8'")
        }
    }

    /// Streams one part of the archive through `handler`.
    private static func parse(_ archive: ZipEntryReader, _ entry: String, into handler: some XLSXPart)
        throws(InputError)
    {
        let xml = try archive.data(of: entry)
        let parser = XMLEventParser(xml: xml, displayPath: archive.location(of: entry).path)
        handler.parser = parser
        switch parser.parse(handler: handler) {
        case nil: break
        case .refused(let error): throw error
        case .notWellFormed(let message, let line, let column):
            throw InputError(
                .malformedXML, at: InputLocation(path: parser.displayPath, line: line, column: column),
                "the XML is not well formed (\(message))",
                hint: "the workbook is damaged; open and save it again in Excel")
        }
    }

    /// The archive path of a relationship target of `xl/workbook.xml`: relative to `xl/`, or absolute from
    /// the package root when it starts with `/`.
    static func resolved(_ target: String) -> String {
        var parts: [Substring] = target.hasPrefix("/") ? [] : ["xl"]
        for part in target.split(separator: "/") {
            switch part {
            case ".": continue
            case "..": _ = parts.popLast()
            default: parts.append(part)
            }
        }
        return parts.joined(separator: "/")
    }
}
