public import ExoCore
public import Foundation

/// The Cq table of a qPCR instrument's results export, recognised by its header and read as the instrument
/// wrote it.
///
/// Recognised layouts (``Instrument``), each found by its header row wherever it stands below the export's
/// preamble:
/// - Applied Biosystems QuantStudio / 7500 (Design & Analysis "Results"): `Well`, `Well Position`, `Omit`,
///   `Sample Name`, `Target Name`, `Task`, …, `CT` (or `Cq`, `CRT`); `Undetermined` for no Ct.
/// - Applied Biosystems 7900HT, SDS 2.x: `Well`, `PlateID`, `Sample` (or `Sample Name`), `Detector`, `Task`,
///   `Ct`, …, and `Filename` naming the plate or card; wells are numbered.
/// - Bio-Rad CFX Maestro / CFX Manager "Quantification Cq Results": `Well`, `Fluor`, `Target`, `Content`,
///   `Sample`, `Cq`, …; `Content` is `Unkn`, `Std`, `NTC`, `Pos Ctrl`, `Neg Ctrl`, `NRT` (with a replicate
///   suffix such as `Unkn-01`); Cq `NaN` or empty when none; wells written `A01`.
/// - Roche LightCycler 480 "Abs Quant/2nd Derivative Max": `Include`, `Color`, `Pos`, `Name`, `Cp`,
///   `Concentration`, `Standard`, `Status`; no target column (the target is the `Selected Filter` of the
///   first line when it names one); a well with a `Standard` value is a standard.
/// - Qiagen Rotor-Gene Q "Quantitation Results": `No.`, `Colour`, `Name`, `Type`, `Ct`, `Given Conc …`,
///   `Calc Conc …`; tubes are numbered; the target is the channel of the `Quantitation data for Cycling
///   A.Green` line above each table (one table per channel).
///
/// The table ends at the first blank row or `[Section]` line; a later row equal to the header starts another
/// table (Rotor-Gene writes one per channel). Rows without sample, target and Cq (empty wells) are skipped.
/// A Cq is not detected when its cell is empty or reads `Undetermined`, `No Ct`, `No Cq`, `No Cp`, `NaN`,
/// `N/A`, `NA` or `-`; a single decimal comma (`27,5`) is read as a decimal point.
///
/// Technical replicates are numbered 1, 2, … within each (sample, target) in plate order: plates in the order
/// they first appear, then the export's well index where it has one (QuantStudio and SDS `Well`, Rotor-Gene
/// `No.`), else the well position row by row (A1, A2, …, A12, B1, …).
///
/// The readers work on a grid of cells, so a delimited text file and a worksheet of an `.xlsx` workbook share
/// them: ``read(rows:path:location:)`` takes the cells and a function that places each one;
/// ``read(_:)`` and ``read(url:displayPath:)`` cut a text file into cells first.
public struct InstrumentCqExport: Sendable, Hashable {
    /// The instrument software whose layout the header matched.
    public var instrument: Instrument
    /// The file, as the user named it.
    public var path: String
    /// The wells in the order of the export.
    public var wells: [InstrumentWell]

    /// Creates an export.
    public init(instrument: Instrument, path: String, wells: [InstrumentWell]) {
        self.instrument = instrument
        self.path = path
        self.wells = wells
    }
}

/// The instrument software families whose Cq exports ``InstrumentCqExport`` reads.
public enum Instrument: String, Sendable, Hashable, Codable, CaseIterable {
    /// Applied Biosystems QuantStudio and 7500 (Design & Analysis, 7500 Software v2) results.
    case quantStudio
    /// Applied Biosystems 7900HT Fast, SDS 2.x results.
    case abi7900HT
    /// Bio-Rad CFX Maestro / CFX Manager quantification Cq results.
    case bioRadCFX
    /// Roche LightCycler 480 Abs Quant / 2nd Derivative Max results.
    case lightCycler480
    /// Qiagen Rotor-Gene Q quantitation results.
    case rotorGeneQ

    /// The instrument and export as users know them.
    public var displayName: String {
        switch self {
        case .quantStudio: "Applied Biosystems QuantStudio / 7500 results"
        case .abi7900HT: "Applied Biosystems 7900HT SDS 2.x results"
        case .bioRadCFX: "Bio-Rad CFX Maestro Quantification Cq Results"
        case .lightCycler480: "Roche LightCycler 480 Abs Quant/2nd Derivative Max"
        case .rotorGeneQ: "Qiagen Rotor-Gene Q Quantitation Results"
        }
    }
}

/// One well (one target in one reaction) of an instrument's Cq export.
public struct InstrumentWell: Sendable, Hashable {
    /// The plate or card when the export holds several (SDS `PlateID`, else its `Filename` column); `nil` otherwise.
    public var plate: String?
    /// The well position (`A1`, without leading zeros), or the tube number for numbered positions (Rotor-Gene).
    public var well: String
    /// The sample name exactly as the instrument wrote it.
    public var sample: String
    /// The target (detector, assay) as written; the export's channel or filter when it has no target column.
    public var target: String
    /// What the well is for.
    public var task: WellTask
    /// The task as written (`UNKNOWN`, `Unkn-01`, `Endogenous Control`), empty when the export has none.
    public var taskText: String
    /// The Cq, or `nil` when the instrument called no amplification.
    public var cq: Double?
    /// The Cq cell as written (`27.31`, `Undetermined`, `NaN`, empty).
    public var cqText: String
    /// Where the Cq cell is.
    public var cqLocation: InputLocation
    /// Whether the export marks the well as left out (QuantStudio `Omit` true, LightCycler `Include` false).
    public var isOmitted: Bool
    /// The technical replicate number, 1-based, within the well's (sample, target) in plate order.
    public var replicate: Int

    /// Creates a well.
    public init(
        plate: String?, well: String, sample: String, target: String, task: WellTask, taskText: String,
        cq: Double?, cqText: String, cqLocation: InputLocation, isOmitted: Bool = false, replicate: Int = 1
    ) {
        self.plate = plate
        self.well = well
        self.sample = sample
        self.target = target
        self.task = task
        self.taskText = taskText
        self.cq = cq
        self.cqText = cqText
        self.cqLocation = cqLocation
        self.isOmitted = isOmitted
        self.replicate = replicate
    }
}

/// What a well is for, from the export's task, content or type column.
public enum WellTask: String, Sendable, Hashable, Codable, CaseIterable {
    /// A sample to quantify (`Unknown`, `Unkn`, SDS `Target`); also when the export has no such column.
    case unknown
    /// A standard of known quantity (`Standard`, `Std`).
    case standard
    /// A no-template control (`NTC`).
    case ntc
    /// A negative control (`Negative Control`, `Neg Ctrl`, LightCycler `Negative`).
    case negativeControl
    /// A positive control (`Positive Control`, `Pos Ctrl`).
    case positiveControl
    /// A no-reverse-transcriptase control (`NRT`).
    case noRT
    /// An endogenous-control (reference) assay of a relative-quantification study (SDS `Endogenous Control`).
    case endogenousControl
    /// A calibrator sample (`Calibrator`, LightCycler `PosCalibrator`).
    case calibrator
    /// Any other task the export names; `taskText` says which.
    case other

    /// The task a task, content or type cell names: case-insensitive, a CFX replicate suffix (`Unkn-01`) dropped.
    public init(exportText text: String) {
        var key = text.trimmingWhitespace().lowercased()
        if let dash = key.lastIndex(of: "-"), dash != key.startIndex,
            key[key.index(after: dash)...].allSatisfy(\.isNumber)
        {
            key = String(key[..<dash]).trimmingWhitespace()
        }
        switch key {
        case "", "unknown", "unkn", "unk", "target", "sample": self = .unknown
        case "standard", "std": self = .standard
        case "ntc", "no template control", "no-template control": self = .ntc
        case "negative control", "neg ctrl", "negative", "neg", "nac": self = .negativeControl
        case "positive control", "pos ctrl", "positive", "pos": self = .positiveControl
        case "nrt", "no rt", "-rt", "no rt control": self = .noRT
        case "endogenous control", "reference", "ref": self = .endogenousControl
        case "calibrator", "poscalibrator", "pos calibrator": self = .calibrator
        default: self = .other
        }
    }
}

extension InstrumentCqExport {
    /// Reads the Cq table of an instrument export given as a grid of cells.
    ///
    /// The grid is what a delimited file or a worksheet holds: `rows[r][c]` is the text of the cell in row `r`,
    /// column `c` (0-based; rows may differ in length, missing cells read as empty). Numbers a spreadsheet
    /// stores as numbers are passed as their decimal text.
    ///
    /// - Parameters:
    ///   - rows: the cells, row by row, from the top of the sheet or file (preamble included).
    ///   - path: the file as the user named it (for problems that concern the whole file).
    ///   - location: where the cell at 0-based (`row`, `column`) is, for the locations of Cq cells and errors.
    /// - Returns: the export with the instrument recognised and every well read.
    /// - Throws: `InputErrorList` with a `missingColumn` error when no row is the header of a recognised layout
    ///   (the message lists the layouts and, when a row comes close, the columns it lacks); otherwise every
    ///   `invalidNumber` (Cq that is neither a number nor a not-detected mark), `invalidValue` (well position
    ///   that is not one) and `duplicateMeasurement` (the same plate, well and target twice) at its cell.
    /// - Complexity: O(cells), plus O(w log w) to number the replicates of w wells.
    public static func read(
        rows: [[String]], path: String, location: (_ row: Int, _ column: Int) -> InputLocation
    ) throws(InputErrorList) -> InstrumentCqExport {
        guard let found = InstrumentLayout.header(in: rows) else {
            throw InputErrorList([InstrumentLayout.unrecognisedHeader(rows: rows, path: path, location: location)])
        }
        return try InstrumentLayout.read(found, rows: rows, path: path, location: location)
    }

    /// Reads the Cq table of a delimited text export (tab, semicolon or comma, recognised by its header).
    ///
    /// An Excel `sep=X` first line fixes the delimiter; otherwise tab, semicolon and comma are tried in that
    /// order and the first under which a row is a recognised header is used.
    ///
    /// - Throws: `InputErrorList`, as ``read(rows:path:location:)``; the `missingColumn` error of a file whose
    ///   header matches no layout is the one for the file's most likely delimiter.
    public static func read(_ file: TextFile) throws(InputErrorList) -> InstrumentCqExport {
        if let delimiter = recognisedDelimiter(file) { return try read(file, delimiter: delimiter) }
        // Only the rows a header is looked for in are cut, under each delimiter; the widest cut names what is missing.
        var widest: (grid: InstrumentTextGrid, width: Int)?
        for delimiter in delimiters(of: file) {
            let grid = InstrumentTextGrid(file, delimiter: delimiter, lineLimit: InstrumentLayout.headerSearchDepth)
            let width = grid.rows.map(\.count).max() ?? 0
            if width > widest?.width ?? -1 { widest = (grid, width) }
        }
        let grid = widest?.grid ?? InstrumentTextGrid(file, delimiter: UInt8(ascii: "\t"))
        throw InputErrorList([
            InstrumentLayout.unrecognisedHeader(rows: grid.rows, path: grid.path, location: grid.location(row:column:))
        ])
    }

    /// Reads the Cq table of a text export whose delimiter ``recognisedDelimiter(_:)`` found.
    ///
    /// A file that ends without a line break in a row with fewer cells than the header was cut off (a copy or an
    /// export that did not finish): it is refused rather than read with its last well half there.
    package static func read(_ file: TextFile, delimiter: UInt8) throws(InputErrorList) -> InstrumentCqExport {
        let grid = InstrumentTextGrid(file, delimiter: delimiter)
        let location = grid.location(row:column:)
        // Not found only when `delimiter` was not the recognised one: read(rows:) names what is missing.
        guard let header = InstrumentLayout.header(in: grid.rows) else {
            return try read(rows: grid.rows, path: grid.path, location: location)
        }
        if !file.endsWithLineBreak, let last = grid.rows.indices.last, last > header.row,
            grid.rows[last].count < grid.rows[header.row].count
        {
            let (cells, width) = (grid.rows[last].count, grid.rows[header.row].count)
            throw InputErrorList([
                InputError(
                    .wrongFieldCount, at: grid.location(row: last, column: cells - 1),
                    "the file ends in the middle of a row: its last row has \(cells) of the header's \(width) cells and no line break",
                    hint: "the file was cut off while being copied or exported; copy or export it again")
            ])
        }
        return try InstrumentLayout.read(header, rows: grid.rows, path: grid.path, location: location)
    }

    /// The delimiter under which one of the file's first rows is the header of a recognised layout, or `nil`
    /// when the file is no instrument export; only those rows are cut, so the check is cheap on any table.
    package static func recognisedDelimiter(_ file: TextFile) -> UInt8? {
        delimiters(of: file).first { delimiter in
            let head = InstrumentTextGrid(file, delimiter: delimiter, lineLimit: InstrumentLayout.headerSearchDepth)
            return InstrumentLayout.header(in: head.rows) != nil
        }
    }

    /// The `sep=` delimiter, or tab, semicolon and comma in that order.
    private static func delimiters(of file: TextFile) -> [UInt8] {
        InstrumentTextGrid.declaredDelimiter(file).map { [$0] } ?? InstrumentTextGrid.candidateDelimiters
    }

    /// Reads an export from disk: UTF-8, UTF-16 with a byte-order mark (Excel's "Unicode Text"), or Latin-1.
    ///
    /// - Throws: `InputErrorList` with `fileNotFound` or `unreadableFile`, or the errors of ``read(_:)``.
    public static func read(url: URL, displayPath: String) throws(InputErrorList) -> InstrumentCqExport {
        try read(InstrumentLayout.textFile(url: url, displayPath: displayPath))
    }
}
