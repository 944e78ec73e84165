public import ExoCore

/// A Roche LightCycler 480 sample information export: the name, target and role of each well.
///
/// Tab-separated, one row per well, columns named `Section:Field`: `General:Pos` (required),
/// `General:Sample Name`, `General:Repl. Of`, `General:Filt. Comb.`, `General:Target Name`,
/// `Abs Quant:Concentration`, and the sample's role as `Rel Quant:Combined Sample/Target type`
/// (`Target Unknown`, `Ref Unknown`, `Target Negative`, `Target PosCalibrator`, `Unassigned Unknown`) or
/// `Abs Quant:Sample Type` (`Unknown`, `Standard`, `Negative Control`, …).
public struct LightCycler480SampleInformation: Sendable {
    /// What the export says about one well.
    public struct Entry: Sendable, Hashable {
        /// The position (`A1`, normalised).
        public var position: String
        public var sampleName: String
        /// The well this one replicates (`General:Repl. Of`), empty when none.
        public var replicateOf: String
        /// The filter combination the target is read in (`465-510`), empty when not stated.
        public var filter: String
        /// The target name, empty when the well has none assigned.
        public var target: String
        /// Whether the target is a reference gene (`Ref …` in the combined type).
        public var isReference: Bool
        /// The sample's role as written (`Unknown`, `Negative`, `PosCalibrator`, `Standard`), empty when none.
        public var role: String
        /// The standard's concentration (`Abs Quant:Concentration`), when given.
        public var concentration: Double?
        /// Where the row is.
        public var location: InputLocation
    }

    /// The file as the user named it.
    public var path: String
    /// The entries, in file order.
    public var entries: [Entry]

    /// Whether the file's first line is a LightCycler 480 sample information header (`General:Pos`, …).
    public static func isSampleInformation(_ file: TextFile) -> Bool {
        guard let first = file.lines.first else { return false }
        return InstrumentTextGrid.cells(of: first, delimiter: UInt8(ascii: "\t")).contains {
            $0.text.lowercased() == "general:pos"
        }
    }

    /// Reads a sample information export.
    ///
    /// - Throws: `InputErrorList` with `missingColumn` (no `General:Pos` header) and, at their cells, every
    ///   `invalidValue` (a position that is not a well, a position listed twice) and `invalidNumber`
    ///   (a concentration that is not a number).
    public init(_ file: TextFile) throws(InputErrorList) {
        path = file.displayPath
        let grid = InstrumentTextGrid(file, delimiter: UInt8(ascii: "\t"))
        let names = (grid.rows.first ?? []).map { $0.lowercased() }
        guard let positionColumn = names.firstIndex(of: "general:pos") else {
            throw InputErrorList([
                InputError(
                    .missingColumn, at: InputLocation(path: path, line: 1, column: 1),
                    "expected the LightCycler 480 sample information header starting 'General:Pos', found "
                        + InputError.quoted(grid.rows.first?.joined(separator: " ") ?? ""),
                    hint: "export 'Sample Information' (tab-separated) from the LightCycler 480 software")
            ])
        }
        let column = { (name: String) in names.firstIndex(of: name) }
        let typeColumn = column("rel quant:combined sample/target type") ?? column("abs quant:sample type")
        let isCombined = column("rel quant:combined sample/target type") != nil
        var entries: [Entry] = []
        var errors: [InputError] = []
        var seen: [String: Int] = [:]
        for row in grid.rows.indices.dropFirst() where !grid.rows[row].allSatisfy(\.isEmpty) {
            let cell = { (column: Int?) -> String in
                guard let column, column < grid.rows[row].count else { return "" }
                return grid.rows[row][column]
            }
            guard let position = InstrumentLayout.wellLabel(cell(positionColumn)) else {
                errors.append(
                    InputError(
                        .invalidValue, at: grid.location(row: row, column: positionColumn),
                        "expected a well position such as A1 in column 'General:Pos', found "
                            + InputError.quoted(cell(positionColumn))))
                continue
            }
            if let first = seen[position] {
                errors.append(
                    InputError(
                        .invalidValue, at: grid.location(row: row, column: positionColumn),
                        "well \(position) is described twice (first on line \(first + 1))"))
                continue
            }
            seen[position] = row
            var type = cell(typeColumn).split(separator: " ").map(String.init)
            let isReference = isCombined && type.first?.lowercased() == "ref"
            if isCombined, !type.isEmpty { type.removeFirst() }
            let concentrationText = cell(column("abs quant:concentration"))
            let concentration = InstrumentTextGrid.number(concentrationText)
            if concentration == nil, !concentrationText.isEmpty {
                errors.append(
                    InputError(
                        .invalidNumber, at: grid.location(row: row, column: column("abs quant:concentration") ?? 0),
                        "expected a concentration in column 'Abs Quant:Concentration', found "
                            + InputError.quoted(concentrationText)))
            }
            entries.append(
                Entry(
                    position: position, sampleName: cell(column("general:sample name")),
                    replicateOf: cell(column("general:repl. of")), filter: cell(column("general:filt. comb.")),
                    target: cell(column("general:target name")), isReference: isReference,
                    role: type.joined(separator: " "), concentration: concentration,
                    location: grid.location(row: row, column: 0)))
        }
        if !errors.isEmpty { throw InputErrorList(errors) }
        self.entries = entries
    }
}
