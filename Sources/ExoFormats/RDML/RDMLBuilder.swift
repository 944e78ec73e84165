import ExoCore
import Foundation

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// The SAX delegate that builds an ``RDMLDocument`` while the XML streams past, without a DOM.
final class RDMLBuilder: NSObject, XMLParserDelegate {
    let displayPath: String
    var document: RDMLDocument
    var errors: [InputError] = []
    /// A problem that makes the rest of the document meaningless (not RDML, unknown version).
    var fatal: InputError?
    /// Whether the root `</rdml>` was read: the document is complete.
    private(set) var isComplete = false

    private var stack: [String] = []
    private var text = ""
    private var textLocation = InputLocation(path: "")
    private var sample: RDMLSample?
    private var currentDye: String?
    private var target: RDMLTarget?
    private var experiment = ""
    private var run: RDMLRun?
    private var format: (rows: Int?, columns: Int?, rowLabel: String?, columnLabel: String?) = (nil, nil, nil, nil)
    private var reaction: RDMLReaction?
    private var data: RDMLReactionData?
    private var point: (x: Double?, fluor: Double?) = (nil, nil)
    private var partitions: RDMLPartitions?
    private var counts: RDMLPartitions.Counts?

    /// The document bytes and where each line starts, to place element locations on their `<`.
    private let xml: Data
    private let lineStarts: [Int]

    init(path: String, entry: String?, displayPath: String, xml: Data) {
        self.displayPath = displayPath
        self.xml = xml
        var starts = [0]
        xml.withUnsafeBytes { buffer in
            for (offset, byte) in buffer.enumerated() where byte == 0x0A { starts.append(offset + 1) }
        }
        lineStarts = starts
        document = RDMLDocument(version: "", path: path, entry: entry, dyes: [], samples: [], targets: [], runs: [])
        currentDye = nil
    }

    /// The parser's position: after the start tag just read, or where an element's text begins.
    private func here(_ parser: XMLParser) -> InputLocation {
        InputLocation(path: displayPath, line: parser.lineNumber, column: parser.columnNumber)
    }

    /// The position of the `<` that opens the element whose start tag the parser just read.
    private func elementStart(_ parser: XMLParser) -> InputLocation {
        let line = parser.lineNumber
        guard line >= 1, line <= lineStarts.count else { return here(parser) }
        var offset = min(lineStarts[line - 1] + parser.columnNumber - 1, xml.count) - 1
        while offset > 0, xml[xml.startIndex + offset] != UInt8(ascii: "<") { offset -= 1 }
        let startLine = (lineStarts.lastIndex { $0 <= offset } ?? 0)
        return InputLocation(path: displayPath, line: startLine + 1, column: offset - lineStarts[startLine] + 1)
    }

    private static func localName(_ name: String) -> String {
        guard let colon = name.lastIndex(of: ":") else { return name }
        return String(name[name.index(after: colon)...])
    }

    func parser(
        _ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?, qualifiedName: String?,
        attributes: [String: String] = [:]
    ) {
        let name = Self.localName(elementName)
        let parent = stack.last
        stack.append(name)
        text = ""
        textLocation = here(parser)
        switch (parent, name) {
        case (nil, _):
            guard name == "rdml" else {
                fatal = InputError(
                    .notRDML, at: elementStart(parser), "expected the root element <rdml>, found <\(name)>",
                    hint: "this XML is not an RDML document")
                parser.abortParsing()
                return
            }
            let version = attributes["version"] ?? ""
            document.version = version
            let namespaces = attributes.filter { $0.key == "xmlns" || $0.key.hasPrefix("xmlns:") }.map(\.value)
            if !namespaces.contains(RDMLReader.namespace) {
                fatal = InputError(
                    .notRDML, at: elementStart(parser),
                    "expected the RDML namespace '\(RDMLReader.namespace)', found \(namespaces.isEmpty ? "none" : namespaces.map { "'\($0)'" }.joined(separator: ", "))"
                )
                parser.abortParsing()
            } else if !RDMLReader.supportedVersions.contains(version) {
                fatal = InputError(
                    .unsupportedVersion, at: elementStart(parser),
                    "RDML version \(InputError.quoted(version)) is not supported; expected 1.0, 1.1, 1.2, 1.3 or 1.4",
                    hint: "export the run as RDML 1.4 or an earlier version")
                parser.abortParsing()
            }
        case ("rdml", "dye"):
            if let id = attributes["id"] { document.dyes.append(id) }
            currentDye = attributes["id"]
        case ("rdml", "sample"):
            sample = RDMLSample(id: attributes["id"] ?? "", kind: .unkn)
        case ("rdml", "target"):
            target = RDMLTarget(id: attributes["id"] ?? "")
        case ("target", "dyeId"):
            if let id = attributes["id"] { target?.dye = id }
        case ("rdml", "experiment"):
            experiment = attributes["id"] ?? ""
        case ("experiment", "run"):
            run = RDMLRun(experiment: experiment, id: attributes["id"] ?? "", format: nil, reactions: [])
            format = (nil, nil, nil, nil)
        case ("run", "react"):
            let id = attributes["id"] ?? ""
            reaction = RDMLReaction(
                id: id, well: id, sample: "", data: [], partitions: nil, location: elementStart(parser))
        case ("react", "sample"):
            reaction?.sample = attributes["id"] ?? ""
        case ("react", "data"):
            data = RDMLReactionData(target: "", amplification: [], melting: [], location: elementStart(parser))
        case ("data", "tar"):
            if reaction != nil, stack.dropLast(2).last == "partitions" {
                counts?.target = attributes["id"] ?? ""
            } else {
                data?.target = attributes["id"] ?? ""
            }
        case ("data", "adp"), ("data", "mdp"):
            point = (nil, nil)
        case ("react", "partitions"):
            partitions = RDMLPartitions(volumeNanoliters: nil, data: [])
        case ("partitions", "data"):
            counts = RDMLPartitions.Counts(
                target: "", positives: 0, negatives: 0, undefined: 0, excludedPartitions: 0, excluded: nil,
                location: elementStart(parser))
        default:
            break
        }
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        text += string
    }

    func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName: String?) {
        let name = Self.localName(elementName)
        stack.removeLast()
        let parent = stack.last
        if parent == nil, name == "rdml" { isComplete = true }
        let value = text.trimmingWhitespace()
        defer { text = "" }
        switch (parent, name) {
        case ("dye", "dyeChemistry"):
            if let dye = currentDye, !value.isEmpty { document.dyeChemistry[dye] = value }
        case ("templateQuantity", "nucleotide"):
            sample?.nucleotide = value
        case ("sample", "type"):
            // LightCycler 96 writes `ntp` ("no template") for a no-template control.
            if let kind = RDMLSample.Kind(rawValue: value == "ntp" ? "ntc" : value) {
                sample?.kind = kind
            } else {
                errors.append(
                    InputError(
                        .invalidValue, at: textLocation,
                        "expected a sample type (unkn, std, ntc, nac, nrt, opt, pos, neg, ref), found \(InputError.quoted(value))"
                    ))
            }
        case ("quantity", "value") where stack.count >= 2 && stack[stack.count - 2] == "sample":
            sample?.quantity = Double(value).flatMap { $0.isFinite ? $0 : nil }
        case ("quantity", "unit") where stack.count >= 2 && stack[stack.count - 2] == "sample":
            sample?.quantityUnit = value
        case ("rdml", "sample"):
            if let sample { document.samples.append(sample) }
            sample = nil
        case ("target", "type"):
            target?.type = value
        case ("target", "dyeId"):
            if target?.dye == nil, !value.isEmpty { target?.dye = value }  // RDML 1.0 writes the id as text
        case ("target", "amplificationEfficiency"):
            target?.amplificationEfficiency = Double(value)
        case ("rdml", "target"):
            if let target { document.targets.append(target) }
            target = nil
        case ("pcrFormat", "rows"): format.rows = Int(value)
        case ("pcrFormat", "columns"): format.columns = Int(value)
        case ("pcrFormat", "rowLabel"): format.rowLabel = value
        case ("pcrFormat", "columnLabel"): format.columnLabel = value
        case ("run", "pcrFormat"):
            if let rows = format.rows, let columns = format.columns {
                run?.format = PlateFormat(
                    rows: rows, columns: columns, rowLabel: format.rowLabel ?? "ABC",
                    columnLabel: format.columnLabel ?? "123")
            }
        case ("data", "cq"):
            data?.cq = Double(value).flatMap { $0.isFinite && $0 >= 0 ? $0 : nil }
        case ("data", "excl"):
            if stack.contains("partitions") {
                counts?.excludedPartitions = count(value, "excl", parser)
            } else {
                data?.excluded = value
            }
        case ("data", "excluded"):
            counts?.excluded = value
        case ("data", "note"):
            data?.note = value
        case ("adp", "cyc"), ("mdp", "tmp"):
            point.x = number(value, name, parser)
        case ("adp", "fluor"), ("mdp", "fluor"):
            point.fluor = number(value, "fluor", parser)
        case ("data", "adp"):
            if let x = point.x, let fluor = point.fluor { data?.amplification.append((x, fluor)) }
        case ("data", "mdp"):
            if let x = point.x, let fluor = point.fluor { data?.melting.append((x, fluor)) }
        case ("react", "data"):
            if let data { reaction?.data.append(data) }
            data = nil
        case ("partitions", "volume"):
            partitions?.volumeNanoliters = Double(value)
        case ("data", "pos") where stack.contains("partitions"):
            counts?.positives = count(value, "pos", parser)
        case ("data", "neg") where stack.contains("partitions"):
            counts?.negatives = count(value, "neg", parser)
        case ("data", "undef") where stack.contains("partitions"):
            counts?.undefined = count(value, "undef", parser)
        case ("partitions", "data"):
            if let counts { partitions?.data.append(counts) }
            counts = nil
        case ("react", "partitions"):
            reaction?.partitions = partitions
            partitions = nil
        case ("run", "react"):
            if var reaction {
                if let number = Int(reaction.id), let label = run?.format?.label(ofReaction: number) {
                    reaction.well = label
                }
                run?.reactions.append(reaction)
            }
            reaction = nil
        case ("experiment", "run"):
            if let run { document.runs.append(run) }
            run = nil
        default:
            break
        }
    }

    /// A finite number, or an `invalidNumber` error at the element's text.
    private func number(_ value: String, _ element: String, _ parser: XMLParser) -> Double? {
        guard let number = Double(value), number.isFinite else {
            let reaction = self.reaction.map { " of reaction '\($0.id)'" } ?? ""
            errors.append(
                InputError(
                    .invalidNumber, at: textLocation,
                    "expected a number in <\(element)>\(reaction), found \(value.isEmpty ? "nothing" : InputError.quoted(value))",
                    hint: "RDML numbers use a decimal point; NaN is not a measurement"))
            return nil
        }
        return number
    }

    /// A partition count ≥ 0, or an error.
    private func count(_ value: String, _ element: String, _ parser: XMLParser) -> Int {
        guard let count = Int(value), count >= 0 else {
            errors.append(
                InputError(
                    .invalidNumber, at: textLocation,
                    "expected a partition count ≥ 0 in <\(element)>, found \(InputError.quoted(value))"))
            return 0
        }
        return count
    }
}
