public import ExoCore
import Foundation

/// A Roche LightCycler 480 "Raw Data" export: the fluorescence of every well at every cycle.
///
/// The layout (LightCycler 480 software 1.5, tab-separated): a first line naming the experiment
/// (`Raw Data  Experiment - NAME (Run on LCS480 1.5.0.39)`), then the header
/// `SamplePos SampleName Prog# Seg# Cycle# Time Temp 465-510 …` with one column per filter combination
/// (channel), then one row per well, program segment and acquisition. The amplification segment is the
/// (`Prog#`, `Seg#`) with the most distinct cycles; rows of other segments (melting, holds) are left out.
/// Fluorescence may be written with a decimal comma. ``rdmlDocument(sampleInformation:)`` turns the curves
/// into an ``RDMLDocument`` that LinRegPCR analyses like any RDML run.
public struct LightCycler480RawData: Sendable {
    /// One well: its position, its sample name and its amplification points per channel.
    public struct Well: Sendable {
        /// The position as written (`A1`).
        public var position: String
        /// The `SampleName` column.
        public var sampleName: String
        /// Channel → (cycle, fluorescence), in cycle order.
        public var curves: [String: [(cycle: Double, fluorescence: Double)]]
        /// The well's first row in the amplification segment.
        public var location: InputLocation
    }

    /// The file as the user named it.
    public var path: String
    /// The experiment named on the first line, if it names one.
    public var experiment: String?
    /// The channel (filter combination) columns, in file order.
    public var channels: [String]
    /// The wells in the order they first appear.
    public var wells: [Well]
    /// Readings that look like Excel date serial numbers, kept as written.
    ///
    /// Whole numbers from 10,000 to 60,000 (the dates 1927–2064) in a file whose other readings have decimals, as the software writes them.
    /// A raw data file opened and saved in Excel under a locale whose dates look like decimals (`17.03` is
    /// 17 March, `3.52` March 1952) has such readings turned into dates; the real ReadqPCR example has 1,002.
    public var suspectedDateSerials: [InputLocation] = []

    /// The columns that are not channels.
    private static let knownColumns: Set<String> = [
        "samplepos", "samplename", "prog#", "seg#", "cycle#", "time", "temp", "acq#",
    ]

    /// Whether the file's header (within its first five lines) is that of a LightCycler 480 raw data export.
    public static func isRawData(_ file: TextFile) -> Bool { headerRow(file) != nil }

    /// The 0-based row of the header and its lowercased cells.
    private static func headerRow(_ file: TextFile) -> (row: Int, names: [String])? {
        for (index, line) in file.lines.prefix(5).enumerated() {
            let names = InstrumentTextGrid.cells(of: line, delimiter: UInt8(ascii: "\t")).map { $0.text.lowercased() }
            if names.contains("samplepos"), names.contains("cycle#") { return (index, names) }
        }
        return nil
    }

    /// Reads a raw data export.
    ///
    /// - Throws: `InputErrorList` with `missingColumn` (no `SamplePos` / `Cycle#` header, or no channel column),
    ///   and, at their cells, every `invalidValue` (a position that is not a well), `invalidNumber` (a cycle or
    ///   reading that is not a number) and `duplicateMeasurement` (a cycle of a well read twice in the segment).
    /// - Complexity: O(cells).
    public init(_ file: TextFile) throws(InputErrorList) {
        path = file.displayPath
        guard let header = Self.headerRow(file) else {
            throw InputErrorList([
                InputError(
                    .missingColumn, at: InputLocation(path: path, line: 1, column: 1),
                    "expected the LightCycler 480 raw data header (SamplePos, SampleName, Prog#, Seg#, Cycle#, Time, "
                        + "Temp and one column per channel) within the first 5 lines, found none",
                    hint: "export 'Raw Data' from the LightCycler 480 software, tab-separated")
            ])
        }
        let grid = InstrumentTextGrid(file, delimiter: UInt8(ascii: "\t"))
        experiment = grid.rows.prefix(header.row).joined().lazy.compactMap(Self.experimentName).first
        let names = header.names
        let channelColumns = names.indices.filter { !names[$0].isEmpty && !Self.knownColumns.contains(names[$0]) }
        channels = channelColumns.map { grid.rows[header.row][$0] }
        guard !channelColumns.isEmpty else {
            throw InputErrorList([
                InputError(
                    .missingColumn, at: grid.location(row: header.row, column: names.count),
                    "expected a fluorescence column for each channel (such as '465-510') after the header's fixed "
                        + "columns, found none")
            ])
        }
        let column = { (name: String) in names.firstIndex(of: name) }
        let cycleColumn = column("cycle#") ?? 0
        let segmentColumns = [column("prog#"), column("seg#")].compactMap { $0 }
        let rows = grid.rows.indices.dropFirst(header.row + 1).filter { !grid.rows[$0].allSatisfy(\.isEmpty) }
        let cell = { (row: Int, column: Int?) -> String in
            guard let column, column < grid.rows[row].count else { return "" }
            return grid.rows[row][column]
        }
        // The amplification segment: the one with the most distinct cycles.
        var cyclesBySegment: [[String]: Set<String>] = [:]
        var segmentOrder: [[String]] = []
        for row in rows {
            let segment = segmentColumns.map { cell(row, $0) }
            if cyclesBySegment[segment] == nil { segmentOrder.append(segment) }
            cyclesBySegment[segment, default: []].insert(cell(row, cycleColumn))
        }
        let amplification = segmentOrder.max { (cyclesBySegment[$0]?.count ?? 0) < (cyclesBySegment[$1]?.count ?? 0) }
        var errors: [InputError] = []
        var wells: [Well] = []
        var wellIndex: [String: Int] = [:]
        var seen: [String: Int] = [:]
        var candidates: [InputLocation] = []
        for row in rows where segmentColumns.map({ cell(row, $0) }) == amplification {
            let written = cell(row, column("samplepos"))
            guard let position = InstrumentLayout.wellLabel(written) else {
                errors.append(
                    InputError(
                        .invalidValue, at: grid.location(row: row, column: column("samplepos") ?? 0),
                        "expected a well position such as A1 in column 'SamplePos', found \(InputError.quoted(written))"
                    ))
                continue
            }
            let cycleText = cell(row, cycleColumn)
            guard let cycle = Int(cycleText), cycle >= 0 else {
                errors.append(
                    InputError(
                        .invalidNumber, at: grid.location(row: row, column: cycleColumn),
                        "expected a cycle number in column 'Cycle#', found \(InputError.quoted(cycleText))"))
                continue
            }
            if let first = seen["\(position) \(cycle)"] {
                errors.append(
                    InputError(
                        .duplicateMeasurement, at: grid.location(row: row, column: cycleColumn),
                        "cycle \(cycle) of well \(position) is read twice (first on line \(first + 1))",
                        hint: "export the raw data of one run once"))
                continue
            }
            seen["\(position) \(cycle)"] = row
            let index =
                wellIndex[position]
                ?? {
                    wells.append(
                        Well(
                            position: position, sampleName: cell(row, column("samplename")), curves: [:],
                            location: grid.location(row: row, column: 0)))
                    wellIndex[position] = wells.count - 1
                    return wells.count - 1
                }()
            for (channel, channelColumn) in zip(channels, channelColumns) {
                let text = cell(row, channelColumn)
                guard let fluorescence = InstrumentTextGrid.number(text) else {
                    errors.append(
                        InputError(
                            .invalidNumber, at: grid.location(row: row, column: channelColumn),
                            "expected a fluorescence reading in column \(InputError.quoted(channel)), found "
                                + (text.isEmpty ? "nothing" : InputError.quoted(text))))
                    continue
                }
                wells[index].curves[channel, default: []].append((Double(cycle), fluorescence))
                if Self.mayBeDateSerial(fluorescence) {
                    candidates.append(grid.location(row: row, column: channelColumn))
                }
            }
        }
        if !errors.isEmpty { throw InputErrorList(errors) }
        for index in wells.indices {
            for channel in wells[index].curves.keys { wells[index].curves[channel]?.sort { $0.cycle < $1.cycle } }
        }
        self.wells = wells
        let hasFractions = wells.contains { well in
            well.curves.values.contains { $0.contains { $0.fluorescence != $0.fluorescence.rounded() } }
        }
        suspectedDateSerials = hasFractions ? candidates : []
    }

    /// Whether a reading could be an Excel date serial: a whole number from 10,000 to 60,000.
    private static func mayBeDateSerial(_ value: Double) -> Bool {
        value >= 10_000 && value <= 60_000 && value == value.rounded()
    }

    /// The experiment name of a first-line cell `Experiment - NAME (Run on …)` or `Experiment: NAME`.
    private static func experimentName(_ cell: String) -> String? {
        guard cell.hasPrefix("Experiment") else { return nil }
        var name = Substring(cell.dropFirst("Experiment".count)).drop(while: { $0 == " " || $0 == "-" || $0 == ":" })
        if let run = name.range(of: " (Run on ", options: .backwards) { name = name[..<run.lowerBound] }
        let trimmed = name.trimmingWhitespace()
        return trimmed.isEmpty ? nil : trimmed
    }
}
