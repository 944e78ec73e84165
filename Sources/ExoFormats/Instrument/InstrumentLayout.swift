import ExoCore
import Foundation

/// The header of one instrument's Cq export.
///
/// Which columns it must have, under which names, and how its wells are addressed; ``InstrumentCqExport``
/// documents the layouts.
struct InstrumentLayout: Sendable {
    /// A column the reader uses.
    enum Field: Sendable, Hashable {
        case wellIndex, wellPosition, sample, target, channel, task, cq, omit, include, standard, plateID, filename
    }

    let instrument: Instrument
    /// Columns that identify the layout, each with the names it goes by (lowercase).
    let required: [(field: Field, names: [String])]
    /// Columns read when present.
    let optional: [(field: Field, names: [String])]
    /// Whether numbered wells (`Well` 1…384) are plate positions, labelled from the plate's geometry.
    let numbersArePlateWells: Bool

    /// The layouts, in the order they are tried.
    static let all: [InstrumentLayout] = [
        InstrumentLayout(
            instrument: .quantStudio,
            required: [
                (.wellPosition, ["well position"]), (.sample, ["sample name"]), (.target, ["target name"]),
                (.cq, ["ct", "cq", "crt", "cт"]),
            ],
            optional: [(.wellIndex, ["well"]), (.task, ["task"]), (.omit, ["omit"])], numbersArePlateWells: true),
        InstrumentLayout(
            instrument: .bioRadCFX,
            required: [
                (.wellPosition, ["well"]), (.channel, ["fluor"]), (.target, ["target"]), (.task, ["content"]),
                (.sample, ["sample"]), (.cq, ["cq"]),
            ],
            optional: [], numbersArePlateWells: true),
        InstrumentLayout(
            instrument: .abi7900HT,
            required: [
                (.wellIndex, ["well"]), (.sample, ["sample", "sample name"]), (.target, ["detector"]),
                (.task, ["task"]), (.cq, ["ct"]),
            ],
            optional: [(.plateID, ["plateid", "plate id"]), (.filename, ["filename"])], numbersArePlateWells: true),
        InstrumentLayout(
            instrument: .lightCycler480,
            required: [(.wellPosition, ["pos"]), (.sample, ["name"]), (.cq, ["cp"])],
            optional: [(.include, ["include"]), (.standard, ["standard"])], numbersArePlateWells: true),
        InstrumentLayout(
            instrument: .rotorGeneQ,
            required: [(.wellIndex, ["no."]), (.sample, ["name"]), (.task, ["type"]), (.cq, ["ct"])],
            optional: [], numbersArePlateWells: false),
    ]

    /// How many rows from the top a header is looked for (preambles run to a few dozen lines).
    static let headerSearchDepth = 200

    /// A header row found in a grid: its layout, its row and the column of each field.
    struct Header {
        let layout: InstrumentLayout
        let row: Int
        let columns: [Field: Int]
    }

    /// The columns of `row` if it is this layout's header.
    func columns(of row: [String]) -> [Field: Int]? {
        let names = row.map { $0.trimmingWhitespace().lowercased() }
        var columns: [Field: Int] = [:]
        for (field, aliases) in required {
            guard let index = names.firstIndex(where: aliases.contains) else { return nil }
            columns[field] = index
        }
        for (field, aliases) in optional {
            if let index = names.firstIndex(where: aliases.contains) { columns[field] = index }
        }
        return columns
    }

    /// The first header row of any layout within ``headerSearchDepth`` rows.
    static func header(in rows: [[String]]) -> Header? {
        for (index, row) in rows.prefix(headerSearchDepth).enumerated() where row.count >= 3 {
            for layout in all {
                if let columns = layout.columns(of: row) { return Header(layout: layout, row: index, columns: columns) }
            }
        }
        return nil
    }

    /// The error for a grid without a recognised header: the layouts, and what the closest row lacks.
    static func unrecognisedHeader(
        rows: [[String]], path: String, location: (_ row: Int, _ column: Int) -> InputLocation
    ) -> InputError {
        var closest: (row: Int, layout: InstrumentLayout, missing: [String], score: Int)?
        for (index, row) in rows.prefix(headerSearchDepth).enumerated() {
            let names = Set(row.map { $0.trimmingWhitespace().lowercased() })
            for layout in all {
                let missing = layout.required.filter { names.isDisjoint(with: $0.names) }
                let score = layout.required.count - missing.count
                if score >= 2, score > closest?.score ?? 0 {
                    closest = (index, layout, missing.map { $0.names[0] }, score)
                }
            }
        }
        let layouts = all.map { layout in
            "\(layout.instrument.displayName) (\(layout.required.map { "'\($0.names[0])'" }.joined(separator: ", ")))"
        }
        let hint = "recognised layouts: " + layouts.joined(separator: "; ")
        guard let closest else {
            return InputError(
                .missingColumn, at: InputLocation(path: path),
                "expected the header row of a qPCR instrument Cq export, found none in the first "
                    + "\(min(rows.count, headerSearchDepth)) rows",
                hint: hint)
        }
        let lacking = closest.missing.map { InputError.quoted($0) }.joined(separator: ", ")
        return InputError(
            .missingColumn, at: location(closest.row, 0),
            "expected the header row of a qPCR instrument Cq export; this row comes closest to "
                + "\(closest.layout.instrument.displayName) but has no column \(lacking)",
            hint: hint)
    }

    /// The text file of an export: UTF-8, or UTF-16 with a byte-order mark, or Latin-1 (any byte).
    static func textFile(url: URL, displayPath: String) throws(InputErrorList) -> TextFile {
        do {
            return try TextFile(url: url, displayPath: displayPath)
        } catch  where error.kind == .invalidEncoding {
            guard let data = try? Data(contentsOf: url) else { throw InputErrorList([error]) }
            let text: String
            if data.starts(with: [0xFF, 0xFE]) || data.starts(with: [0xFE, 0xFF]),
                let decoded = String(data: data, encoding: .utf16)
            {
                text = decoded
            } else {
                text = TextFile.utf8OrLatin1(data)
            }
            do {
                return try TextFile(bytes: Array(text.utf8), url: url, displayPath: displayPath)
            } catch {
                throw InputErrorList([error])
            }
        } catch {
            throw InputErrorList([error])
        }
    }
}
