import ExoCore
import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Builds an ``RDMLDocument`` from libxml2's SAX2 events while the XML streams past, without a DOM.
///
/// Element names arrive without namespace prefix; character data is kept as bytes and numbers are parsed
/// with `strtod`, so the millions of `<cyc>`/`<fluor>` elements of a chip run cost no `String` work.
package final class RDMLBuilder: XMLEventHandler {
    let displayPath: String
    package var document: RDMLDocument
    var errors: [InputError] = []
    /// A problem that makes the rest of the document meaningless (not RDML, unknown version).
    var fatal: InputError?
    /// Whether the root `</rdml>` was read: the document is complete.
    private(set) var isComplete = false

    private var stack: [String] = []
    /// The character data of the current element, as UTF-8 bytes.
    private var textBytes: [UInt8] = []
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
    private var oligo: RDMLTarget.Oligo?
    private var partitions: RDMLPartitions?
    private var counts: RDMLPartitions.Counts?

    /// The parser the events come from, for positions and to stop it.
    package weak var parser: XMLEventParser?

    package init(path: String, entry: String?, displayPath: String) {
        self.displayPath = displayPath
        document = RDMLDocument(version: "", path: path, entry: entry, dyes: [], samples: [], targets: [], runs: [])
        currentDye = nil
    }

    /// The parser's position: after the start tag just read, or where an element's text begins.
    private func here() -> InputLocation { parser?.here() ?? InputLocation(path: displayPath) }

    /// The position of the `<` that opens the element whose start tag the parser just read.
    private func elementStart() -> InputLocation { parser?.elementStart() ?? InputLocation(path: displayPath) }

    /// Asks libxml2 to stop after a fatal problem.
    private func stop() { parser?.stop() }

    /// A start tag: its local name, its namespace and its attributes.
    package func start(name: String, namespace: String?, attributes: [String: String]) {
        let parent = stack.last
        stack.append(name)
        textBytes.removeAll(keepingCapacity: true)
        textLocation = here()
        switch (parent, name) {
        case (nil, _):
            guard name == "rdml" else {
                fatal = InputError(
                    .notRDML, at: elementStart(), "expected the root element <rdml>, found <\(name)>",
                    hint: "this XML is not an RDML document")
                stop()
                return
            }
            let version = attributes["version"] ?? ""
            document.version = version
            if namespace != RDMLReader.namespace {
                fatal = InputError(
                    .notRDML, at: elementStart(),
                    "expected the RDML namespace '\(RDMLReader.namespace)', found \(namespace.map { "'\($0)'" } ?? "none")"
                )
                stop()
            } else if !RDMLReader.supportedVersions.contains(version) {
                fatal = InputError(
                    .unsupportedVersion, at: elementStart(),
                    "RDML version \(InputError.quoted(version)) is not supported; expected 1.0, 1.1, 1.2, 1.3 or 1.4",
                    hint: "export the run as RDML 1.4 or an earlier version")
                stop()
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
                id: id, well: id, sample: "", data: [], partitions: nil, location: elementStart())
        case ("react", "sample"):
            reaction?.sample = attributes["id"] ?? ""
        case ("react", "data"):
            data = RDMLReactionData(target: "", amplification: [], melting: [], location: elementStart())
        case ("data", "tar"):
            if reaction != nil, stack.dropLast(2).last == "partitions" {
                counts?.target = attributes["id"] ?? ""
            } else {
                data?.target = attributes["id"] ?? ""
            }
        case ("data", "adp"), ("data", "mdp"):
            point = (nil, nil)
        case ("sequences", _):
            oligo = RDMLTarget.Oligo()
        case ("react", "partitions"):
            partitions = RDMLPartitions(volumeNanoliters: nil, data: [])
        case ("partitions", "data"):
            counts = RDMLPartitions.Counts(
                target: "", positives: 0, negatives: 0, undefined: 0, excludedPartitions: 0, excluded: nil,
                location: elementStart())
        default:
            break
        }
    }

    /// Character data of the current element.
    package func characters(_ bytes: UnsafeBufferPointer<UInt8>) {
        textBytes.append(contentsOf: bytes)
    }

    /// The current element's text, trimmed (only for the few elements whose text is a name or a word).
    private var text: String { String(decoding: textBytes, as: UTF8.self).trimmingWhitespace() }

    /// An end tag.
    package func end(name: String) {
        stack.removeLast()
        let parent = stack.last
        if parent == nil, name == "rdml" { isComplete = true }
        defer { textBytes.removeAll(keepingCapacity: true) }
        switch (parent, name) {
        case ("dye", "dyeChemistry"):
            if let dye = currentDye, !text.isEmpty { document.dyeChemistry[dye] = text }
        case ("dye", "dyeConc"):
            if let dye = currentDye, let value = parsedNumber(), value.isFinite {
                document.dyeConcentration[dye] = value
            }
        case ("templateQuantity", "nucleotide"):
            sample?.nucleotide = text
        case ("sample", "doubleStranded"):
            sample?.doubleStranded = Self.boolean(text)
        case ("forwardPrimer", "sequence"), ("reversePrimer", "sequence"), ("probe1", "sequence"),
            ("probe2", "sequence"), ("amplicon", "sequence"):
            oligo?.sequence = text
        case ("forwardPrimer", "oligoConc"), ("reversePrimer", "oligoConc"), ("probe1", "oligoConc"),
            ("probe2", "oligoConc"), ("amplicon", "oligoConc"):
            oligo?.concentration = parsedNumber().flatMap { $0.isFinite ? $0 : nil }
        case ("sequences", "forwardPrimer"): target?.sequences.forwardPrimer = oligo
        case ("sequences", "reversePrimer"): target?.sequences.reversePrimer = oligo
        case ("sequences", "probe1"): target?.sequences.probe1 = oligo
        case ("sequences", "probe2"): target?.sequences.probe2 = oligo
        case ("sequences", "amplicon"): target?.sequences.amplicon = oligo
        case ("react", "vol"):
            reaction?.volume = parsedNumber().flatMap { $0.isFinite && $0 > 0 ? $0 : nil }
        case ("sample", "type"):
            // LightCycler 96 writes `ntp` ("no template") for a no-template control.
            let value = text
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
            sample?.quantity = parsedNumber().flatMap { $0.isFinite ? $0 : nil }
        case ("quantity", "unit") where stack.count >= 2 && stack[stack.count - 2] == "sample":
            sample?.quantityUnit = text
        case ("rdml", "sample"):
            if let sample { document.samples.append(sample) }
            sample = nil
        case ("target", "type"):
            target?.type = text
        case ("target", "dyeId"):
            if target?.dye == nil, !text.isEmpty { target?.dye = text }  // RDML 1.0 writes the id as text
        case ("target", "amplificationEfficiency"):
            target?.amplificationEfficiency = parsedNumber()
        case ("rdml", "target"):
            if let target { document.targets.append(target) }
            target = nil
        case ("pcrFormat", "rows"): format.rows = Int(text)
        case ("pcrFormat", "columns"): format.columns = Int(text)
        case ("pcrFormat", "rowLabel"): format.rowLabel = text
        case ("pcrFormat", "columnLabel"): format.columnLabel = text
        case ("run", "pcrFormat"):
            if let rows = format.rows, let columns = format.columns {
                run?.format = PlateFormat(
                    rows: rows, columns: columns, rowLabel: format.rowLabel ?? "ABC",
                    columnLabel: format.columnLabel ?? "123")
            }
        case ("data", "cq"):
            data?.cq = parsedNumber().flatMap { $0.isFinite && $0 >= 0 ? $0 : nil }
        case ("data", "excl"):
            if stack.contains("partitions") {
                counts?.excludedPartitions = count("excl")
            } else {
                data?.excluded = text
            }
        case ("data", "excluded"):
            counts?.excluded = text
        case ("data", "note"):
            data?.note = text
        case ("adp", "cyc"), ("mdp", "tmp"):
            point.x = number(name)
        case ("adp", "fluor"), ("mdp", "fluor"):
            point.fluor = number("fluor")
        case ("data", "adp"):
            if let x = point.x, let fluor = point.fluor { data?.amplification.append((x, fluor)) }
        case ("data", "mdp"):
            if let x = point.x, let fluor = point.fluor { data?.melting.append((x, fluor)) }
        case ("react", "data"):
            if let data { reaction?.data.append(data) }
            data = nil
        case ("partitions", "volume"):
            partitions?.volumeNanoliters = parsedNumber()
        case ("data", "pos") where stack.contains("partitions"):
            counts?.positives = count("pos")
        case ("data", "neg") where stack.contains("partitions"):
            counts?.negatives = count("neg")
        case ("data", "undef") where stack.contains("partitions"):
            counts?.undefined = count("undef")
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

    /// An XML Schema boolean (`true`, `false`, `1`, `0`), or `nil` for anything else.
    private static func boolean(_ text: String) -> Bool? {
        switch text {
        case "true", "1": true
        case "false", "0": false
        default: nil
        }
    }

    /// The element's text as a number (surrounding whitespace allowed), or `nil` when it is not one.
    private func parsedNumber() -> Double? {
        var start = 0
        var end = textBytes.count
        while start < end, Self.isSpace(textBytes[start]) { start += 1 }
        while end > start, Self.isSpace(textBytes[end - 1]) { end -= 1 }
        guard start < end, end - start < 64 else { return nil }
        var buffer = [CChar](repeating: 0, count: end - start + 1)
        for index in start..<end { buffer[index - start] = CChar(bitPattern: textBytes[index]) }
        return buffer.withUnsafeBufferPointer { pointer -> Double? in
            guard let base = pointer.baseAddress else { return nil }
            var stop: UnsafeMutablePointer<CChar>?
            let value = strtod(base, &stop)
            guard let stop, stop - UnsafeMutablePointer(mutating: base) == end - start else { return nil }
            return value
        }
    }

    @inline(__always) private static func isSpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D
    }

    /// A finite number, or an `invalidNumber` error at the element's text.
    private func number(_ element: String) -> Double? {
        guard let number = parsedNumber(), number.isFinite else {
            let reaction = self.reaction.map { " of reaction '\($0.id)'" } ?? ""
            let value = text
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
    private func count(_ element: String) -> Int {
        guard let count = Int(text), count >= 0 else {
            errors.append(
                InputError(
                    .invalidNumber, at: textLocation,
                    "expected a partition count ≥ 0 in <\(element)>, found \(InputError.quoted(text))"))
            return 0
        }
        return count
    }
}
