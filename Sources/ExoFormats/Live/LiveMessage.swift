public import ExoCore
import Foundation

/// One line of the live-run protocol (`docs/live-protocol.md`): a run's layout, a reading, or the run's end.
///
/// The protocol is newline-delimited JSON, one object per line, UTF-8. An instrument first announces a run's layout
/// (which well holds which sample and target, the assay and the number of cycles), then streams readings as they
/// happen, each numbered by `seq` (1, 2, … per run, in the instrument's order), and ends the run with an `end`
/// message carrying the next `seq`. Readings may arrive out of `seq` order and more than once; the reader receives
/// them as they come and ``LiveRun`` puts them in order.
public enum LiveMessage: Sendable, Hashable {
    case layout(LiveLayout)
    case reading(LiveReading)
    case end(run: String, seq: Int)

    /// The protocol version this reader understands.
    public static let protocolVersion = 1
    /// The most cycles, rows and columns a layout may declare (well beyond any cycler or chip).
    public static let maximumCycles = 1_000
    public static let maximumRows = 1_000
    public static let maximumColumns = 1_000
    /// The reporter chemistries a layout may name (RDML 1.3's `dyeChemistry`).
    public static let chemistries = [
        "non-saturating DNA binding dye", "saturating DNA binding dye", "hydrolysis probe", "labelled reverse primer",
        "DNA-zyme probe",
    ]

    /// The run the message belongs to.
    public var run: String {
        switch self {
        case .layout(let layout): layout.run
        case .reading(let reading): reading.run
        case .end(let run, _): run
        }
    }
}

/// Reads protocol lines.
public enum LiveMessageReader {
    /// The message types, as the `type` field names them.
    public static let types = ["run", "reading", "partitions", "end"]

    /// Parses one line.
    ///
    /// - Parameters:
    ///   - line: the line's bytes, without its newline.
    ///   - location: the source and line number, for errors (`stdin:12`).
    /// - Returns: the message, or `nil` for a blank line.
    /// - Throws: `InputError` with the column of the offending field.
    public static func parse(_ line: some Collection<UInt8>, at location: InputLocation) throws -> LiveMessage? {
        try parse(line, at: location, fastPath: true)
    }

    /// Parses one line, with or without the fast path for reading lines (tests compare the two).
    package static func parse(_ line: some Collection<UInt8>, at location: InputLocation, fastPath: Bool) throws
        -> LiveMessage?
    {
        if fastPath,
            let fast = line.withContiguousStorageIfAvailable({ LiveReadingFastPath.reading($0, line: location.line) }),
            let reading = fast
        {
            return .reading(reading)
        }
        let bytes = Array(line)
        guard bytes.contains(where: { $0 != 0x20 && $0 != 0x09 && $0 != 0x0D }) else { return nil }
        let object: [String: Any]
        do {
            guard let parsed = try JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any] else {
                throw InputError(
                    .malformedJSON, at: column(1, of: location), "a protocol line must be one JSON object",
                    hint: "each line holds one message such as {\"type\":\"reading\",…}")
            }
            object = parsed
        } catch let error as InputError {
            throw error
        } catch {
            throw InputError(
                .malformedJSON, at: column(1, of: location), "not valid JSON",
                hint: "each line holds one complete JSON object; a message may not span lines")
        }
        var fields = Fields(object: object, bytes: bytes, location: location)
        let type = try fields.string("type")
        let message: LiveMessage
        switch type {
        case "run": message = .layout(try layout(&fields))
        case "reading":
            message = .reading(
                LiveReading(
                    run: try fields.identifier("run"), seq: try fields.integer("seq", minimum: 1),
                    well: try fields.string("well"), cycle: try fields.integer("cycle", minimum: 1),
                    fluorescence: try fields.number("fluorescence"), line: location.line))
        case "partitions":
            let reading = LiveReading(
                run: try fields.identifier("run"), seq: try fields.integer("seq", minimum: 1),
                well: try fields.string("well"), positives: try fields.integer("positives", minimum: 0),
                partitions: try fields.integer("partitions", minimum: 1), line: location.line)
            if let positives = reading.positives, let partitions = reading.partitions, positives > partitions {
                throw fields.error(
                    .invalidValue, at: "positives",
                    "\(positives) positive partitions of \(partitions): positives cannot exceed partitions")
            }
            message = .reading(reading)
        case "end": message = .end(run: try fields.identifier("run"), seq: try fields.integer("seq", minimum: 1))
        default:
            throw fields.error(
                .invalidValue, at: "type", "unknown message type \(InputError.quoted(type))",
                hint: "one of \(types.map { "'\($0)'" }.joined(separator: ", "))")
        }
        _ = try fields.optionalString("at")
        try fields.rejectUnknown()
        return message
    }

    /// The layout fields of a `run` message.
    private static func layout(_ fields: inout Fields) throws -> LiveLayout {
        let version = try fields.integer("protocol", minimum: 1)
        guard version == LiveMessage.protocolVersion else {
            throw fields.error(
                .unsupportedVersion, at: "protocol",
                "protocol version \(version); this ExoScope reads version \(LiveMessage.protocolVersion)")
        }
        let run = try fields.identifier("run")
        let assayText = try fields.string("assay")
        guard let assay = Assay(parsing: assayText), assay == .qPCR || assay == .digitalPCR else {
            throw fields.error(
                .invalidValue, at: "assay", "assay \(InputError.quoted(assayText)) cannot stream",
                hint: "'qPCR' (fluorescence per cycle) or 'dPCR' (partition counts)")
        }
        let cycles =
            assay == .qPCR
            ? try fields.integer("cycles", minimum: 10, maximum: LiveMessage.maximumCycles)
            : try fields.optionalInteger("cycles", maximum: LiveMessage.maximumCycles)
        let volume = try fields.optionalNumber("partitionVolumeNanoliters")
        if assay == .digitalPCR {
            guard let volume else {
                throw fields.error(
                    .missingKey, at: nil, "a dPCR run needs 'partitionVolumeNanoliters'",
                    hint: "the volume of one partition in nL, such as 0.85 for QX200 droplets")
            }
            guard volume > 0 else {
                throw fields.error(.invalidValue, at: "partitionVolumeNanoliters", "partition volume must be > 0")
            }
        }
        let rows = try fields.integer("rows", minimum: 1, maximum: LiveMessage.maximumRows)
        let columns = try fields.integer("columns", minimum: 1, maximum: LiveMessage.maximumColumns)
        let chemistry = try fields.optionalString("chemistry")
        if let chemistry, !LiveMessage.chemistries.contains(chemistry) {
            throw fields.error(
                .invalidValue, at: "chemistry", "unknown chemistry \(InputError.quoted(chemistry))",
                hint: "one of \(LiveMessage.chemistries.map { "'\($0)'" }.joined(separator: ", "))")
        }
        let instrument = try fields.optionalString("instrument")
        let wells = try fields.wells()
        return LiveLayout(
            run: run, assay: assay, cycles: cycles, chemistry: chemistry, rows: rows, columns: columns,
            partitionVolumeNanoliters: volume, instrument: instrument, wells: wells)
    }

    /// The 1-based byte column of a key's value in a protocol line, or 1 when the key is not there.
    ///
    /// - Parameters:
    ///   - key: the field name.
    ///   - bytes: the line.
    /// - Returns: the column of the value's first byte.
    public static func column(of key: String, in bytes: [UInt8]) -> Int {
        let needle = Array("\"\(key)\"".utf8)
        guard needle.count <= bytes.count else { return 1 }
        for start in 0...(bytes.count - needle.count) where bytes[start..<(start + needle.count)].elementsEqual(needle)
        {
            var index = start + needle.count
            while index < bytes.count, bytes[index] == 0x20 || bytes[index] == 0x09 { index += 1 }
            guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else { continue }
            index += 1
            while index < bytes.count, bytes[index] == 0x20 || bytes[index] == 0x09 { index += 1 }
            return index + 1
        }
        return 1
    }

    /// The location with a column.
    static func column(_ column: Int, of location: InputLocation) -> InputLocation {
        InputLocation(path: location.path, line: location.line, column: column)
    }

    /// Typed access to a message's fields, with the column of each field for errors.
    private struct Fields {
        var object: [String: Any]
        let bytes: [UInt8]
        let location: InputLocation
        var used: Set<String> = []

        init(object: [String: Any], bytes: [UInt8], location: InputLocation) {
            self.object = object
            self.bytes = bytes
            self.location = location
        }

        /// The 1-based byte column of a key's value in the line (1 when not found).
        func column(of key: String?) -> Int {
            guard let key else { return 1 }
            return LiveMessageReader.column(of: key, in: bytes)
        }

        func error(_ kind: InputError.Kind, at key: String?, _ message: String, hint: String? = nil) -> InputError {
            InputError(kind, at: LiveMessageReader.column(column(of: key), of: location), message, hint: hint)
        }

        mutating func value(_ key: String) throws -> Any {
            used.insert(key)
            guard let value = object[key], !(value is NSNull) else {
                throw error(.missingKey, at: nil, "missing '\(key)'", hint: "see docs/live-protocol.md for the fields")
            }
            return value
        }

        mutating func string(_ key: String) throws -> String {
            guard let text = try value(key) as? String else {
                throw error(.wrongType, at: key, "'\(key)' must be a string")
            }
            return text
        }

        mutating func optionalString(_ key: String) throws -> String? {
            guard object[key] != nil else { return nil }
            return try string(key)
        }

        mutating func identifier(_ key: String) throws -> String {
            let text = try string(key)
            guard IdentifierRule.isValid(text) else {
                throw error(
                    .invalidIdentifier, at: key, "\(InputError.quoted(text)) is not a valid run id",
                    hint: IdentifierRule.rule)
            }
            return text
        }

        mutating func number(_ key: String) throws -> Double {
            let raw = try value(key)
            // JSON true and false arrive as NSNumber too; their Objective-C type is "c".
            guard let number = raw as? NSNumber, String(cString: number.objCType) != "c" else {
                throw error(.wrongType, at: key, "'\(key)' must be a number")
            }
            // The value is read from the line's own text, as the fast path reads it: Foundation's parser does not
            // always round a decimal to the nearest double.
            let value = LiveReadingFastPath.number(in: bytes, at: column(of: key) - 1) ?? number.doubleValue
            guard value.isFinite else { throw error(.invalidNumber, at: key, "'\(key)' must be finite") }
            return value
        }

        mutating func optionalNumber(_ key: String) throws -> Double? {
            guard object[key] != nil else { return nil }
            return try number(key)
        }

        mutating func integer(_ key: String, minimum: Int, maximum: Int = 1 << 40) throws -> Int {
            let value = try number(key)
            guard value == value.rounded(), abs(value) < 1e15 else {
                throw error(.invalidNumber, at: key, "'\(key)' must be a whole number, not \(value)")
            }
            guard Int(value) >= minimum else {
                throw error(.invalidValue, at: key, "'\(key)' must be at least \(minimum), not \(Int(value))")
            }
            guard Int(value) <= maximum else {
                throw error(.invalidValue, at: key, "'\(key)' must be at most \(maximum), not \(Int(value))")
            }
            return Int(value)
        }

        mutating func optionalInteger(_ key: String, maximum: Int) throws -> Int? {
            guard object[key] != nil else { return nil }
            return try integer(key, minimum: 1, maximum: maximum)
        }

        mutating func wells() throws -> [LiveLayout.Well] {
            guard let list = try value("wells") as? [Any], !list.isEmpty else {
                throw error(.wrongType, at: "wells", "'wells' must be a non-empty list of wells")
            }
            var wells: [LiveLayout.Well] = []
            var seen: Set<String> = []
            for (index, entry) in list.enumerated() {
                guard let well = entry as? [String: Any], let name = well["well"] as? String,
                    let sample = well["sample"] as? String, let target = well["target"] as? String
                else {
                    throw error(
                        .wrongType, at: "wells",
                        "well \(index + 1) of the layout needs 'well', 'sample' and 'target' strings")
                }
                let unknown = Set(well.keys).subtracting(["well", "sample", "target", "type", "quantity"])
                if let key = unknown.sorted().first {
                    throw error(.unknownKey, at: "wells", "well \(InputError.quoted(name)) has unknown key '\(key)'")
                }
                guard seen.insert(name).inserted else {
                    throw error(
                        .duplicateIdentifier, at: "wells", "well \(InputError.quoted(name)) appears twice in the layout"
                    )
                }
                let type = well["type"].map { $0 as? String ?? "" } ?? "unkn"
                guard RDMLSample.Kind(rawValue: type) != nil else {
                    throw error(
                        .invalidValue, at: "wells",
                        "well \(InputError.quoted(name)) has unknown type \(InputError.quoted(type))",
                        hint: "one of \(RDMLSample.Kind.allCases.map { "'\($0.rawValue)'" }.joined(separator: ", "))")
                }
                var quantity: Double?
                if let raw = well["quantity"] {
                    guard let number = raw as? NSNumber, String(cString: number.objCType) != "c",
                        number.doubleValue.isFinite, number.doubleValue > 0
                    else {
                        throw error(
                            .invalidValue, at: "wells",
                            "well \(InputError.quoted(name)): 'quantity' must be a number of copies > 0")
                    }
                    quantity = number.doubleValue
                }
                wells.append(
                    LiveLayout.Well(well: name, sample: sample, target: target, type: type, quantity: quantity))
            }
            return wells
        }

        func rejectUnknown() throws {
            let unknown = Set(object.keys).subtracting(used)
            guard let key = unknown.sorted().first else { return }
            throw error(
                .unknownKey, at: key, "unknown field '\(key)'",
                hint: "see docs/live-protocol.md for each message's fields")
        }
    }
}
