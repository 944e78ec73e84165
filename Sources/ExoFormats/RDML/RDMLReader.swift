import CLibXML2
public import ExoCore
public import Foundation
import ZIPFoundation

/// Reads RDML files: a zip archive holding the XML document (usually `rdml_data.xml`) or the bare XML.
///
/// Tolerant where the meaning is clear — the XML entry's name varies between vendors, well ids may be
/// labels (`A1`) instead of numbers, RDML 1.0 writes `<dyeId>FAM</dyeId>` where later versions write
/// `<dyeId id="FAM"/>` — and precise where it is not: every problem names the file, the XML entry, the
/// line and column, and what was expected.
public enum RDMLReader {
    /// RDML versions this reader understands.
    public static let supportedVersions: Set<String> = ["1.0", "1.1", "1.2", "1.3", "1.4"]
    /// The RDML namespace.
    public static let namespace = "http://www.rdml.org"

    /// Reads an RDML file from disk.
    ///
    /// - Parameters:
    ///   - url: the file.
    ///   - displayPath: the path as shown in messages.
    /// - Returns: the document.
    /// - Throws: `InputErrorList` with `fileNotFound`, `malformedArchive`, `missingEntry`, `malformedXML`,
    ///   `notRDML`, `unsupportedVersion`, `duplicateIdentifier`, `danglingReference` or `invalidNumber`.
    public static func read(url: URL, displayPath: String) throws(InputErrorList) -> RDMLDocument {
        guard FileManager.default.fileExists(atPath: url.path) else {
            throw InputErrorList([
                InputError(
                    .fileNotFound, at: InputLocation(path: displayPath),
                    "file \(InputError.quoted(displayPath)) does not exist")
            ])
        }
        guard let data = try? Data(contentsOf: url) else {
            throw InputErrorList([
                InputError(
                    .unreadableFile, at: InputLocation(path: displayPath),
                    "cannot read \(InputError.quoted(displayPath))")
            ])
        }
        return try read(data: data, displayPath: displayPath)
    }

    /// Reads an RDML file already in memory.
    ///
    /// - Parameters:
    ///   - data: the archive or XML bytes.
    ///   - displayPath: the path as shown in messages.
    /// - Returns: the document.
    /// - Throws: `InputErrorList`, as ``read(url:displayPath:)``.
    public static func read(data: Data, displayPath: String) throws(InputErrorList) -> RDMLDocument {
        let fileLocation = InputLocation(path: displayPath)
        if data.starts(with: [0x50, 0x4B]) {
            let (entry, xml) = try extractXML(from: data, displayPath: displayPath)
            return try parse(xml: xml, path: displayPath, entry: entry)
        }
        let head = data.prefix(256).drop {
            $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 || $0 == 0xEF || $0 == 0xBB || $0 == 0xBF
        }
        guard head.first == UInt8(ascii: "<") else {
            throw InputErrorList([
                InputError(
                    .malformedArchive, at: fileLocation, "expected an RDML file (a zip archive or XML), found neither",
                    hint: "export the run from the instrument software as RDML")
            ])
        }
        return try parse(xml: data, path: displayPath, entry: nil)
    }

    /// The XML entry of an RDML archive: `rdml_data.xml` when present, otherwise the only `.xml` entry
    /// whose root element is `rdml` (Bio-Rad names it after the run).
    static func extractXML(from data: Data, displayPath: String) throws(InputErrorList) -> (String, Data) {
        let location = InputLocation(path: displayPath)
        let archive: Archive
        do {
            archive = try Archive(data: data, accessMode: .read)
        } catch {
            throw InputErrorList([
                InputError(
                    .malformedArchive, at: location, "not a readable zip archive: it is truncated or damaged",
                    hint: "export the run again; an RDML file is a zip archive holding rdml_data.xml")
            ])
        }
        let names = archive.map(\.path)
        var candidates = names.filter { $0 == "rdml_data.xml" }
        if candidates.isEmpty {
            candidates = names.filter { $0.lowercased().hasSuffix(".xml") }
        }
        for name in candidates {
            guard let entry = archive[name] else { continue }
            var xml = Data()
            do {
                _ = try archive.extract(entry) { xml.append($0) }
            } catch {
                throw InputErrorList([
                    InputError(
                        .malformedArchive, at: location,
                        "entry '\(name)' of the archive cannot be decompressed: it is damaged")
                ])
            }
            if candidates.count == 1 || Self.rootElementName(xml) == "rdml" { return (name, xml) }
        }
        throw InputErrorList([
            InputError(
                .missingEntry, at: location,
                "the archive holds no RDML document (expected rdml_data.xml; found \(names.isEmpty ? "no entries" : names.map { "'\($0)'" }.joined(separator: ", ")))",
                hint: "an RDML file is a zip archive holding rdml_data.xml")
        ])
    }

    /// The first element name of an XML document, without namespace prefix.
    static func rootElementName(_ xml: Data) -> String? {
        let text = String(decoding: xml.prefix(4096), as: UTF8.self)
        var searchStart = text.startIndex
        while let open = text[searchStart...].firstIndex(of: "<") {
            let rest = text[text.index(after: open)...]
            if rest.hasPrefix("?") || rest.hasPrefix("!") {
                searchStart = text.index(after: open)
                continue
            }
            let name = rest.prefix { !" \t\r\n/>".contains($0) }
            return String(name.split(separator: ":").last ?? "")
        }
        return nil
    }

    /// Parses the XML document and checks its cross-references.
    static func parse(xml: Data, path: String, entry: String?) throws(InputErrorList) -> RDMLDocument {
        let displayPath = entry.map { "\(path)!\($0)" } ?? path
        let builder = RDMLBuilder(path: path, entry: entry, displayPath: displayPath, xml: xml)
        let problem = xml.withUnsafeBytes { buffer -> (message: String, line: Int, column: Int)? in
            runLibXML(buffer, builder: builder)
        }
        if builder.fatal == nil, !builder.isComplete, let problem {
            throw InputErrorList([
                InputError(
                    .malformedXML, at: InputLocation(path: displayPath, line: problem.line, column: problem.column),
                    "the XML is not well formed (\(problem.message))",
                    hint: "the file may be truncated; export the run again")
            ])
        }
        if let fatal = builder.fatal { throw InputErrorList([fatal]) }
        var errors = builder.errors
        let document = builder.document
        errors += crossReferenceErrors(document, displayPath: displayPath)
        guard errors.isEmpty else { throw InputErrorList(errors) }
        return document
    }

    /// Streams `buffer` through libxml2's SAX2 parser into `builder`; returns libxml2's error when the
    /// document is not well formed.
    ///
    /// Limits on huge text nodes are lifted (chip runs put megabytes on one
    /// line) and network access is off (no external entities).
    static func runLibXML(_ buffer: UnsafeRawBufferPointer, builder: RDMLBuilder) -> (
        message: String, line: Int, column: Int
    )? {
        guard let base = buffer.baseAddress?.assumingMemoryBound(to: CChar.self),
            let context = xmlCreateMemoryParserCtxt(base, Int32(buffer.count))
        else { return ("the document is empty", 0, 0) }
        defer { xmlFreeParserCtxt(context) }
        _ = xmlCtxtUseOptions(context, Int32(XML_PARSE_HUGE.rawValue | XML_PARSE_NONET.rawValue))
        var handler = xmlSAXHandler()
        handler.initialized = 0xDEED_BEAF  // XML_SAX2_MAGIC: use the namespace-aware SAX2 callbacks
        handler.startElementNs = { userData, localName, _, namespace, _, _, attributeCount, _, attributes in
            guard let userData, let localName else { return }
            var values: [String: String] = [:]
            if attributeCount > 0, let attributes {
                for index in 0..<Int(attributeCount) {
                    let field = index * 5  // local name, prefix, URI, value start, value end
                    guard let name = attributes[field], let start = attributes[field + 3],
                        let end = attributes[field + 4]
                    else {
                        continue
                    }
                    values[String(cString: name)] = String(
                        decoding: UnsafeBufferPointer(start: start, count: end - start), as: UTF8.self)
                }
            }
            Unmanaged<RDMLBuilder>.fromOpaque(userData).takeUnretainedValue()
                .start(
                    name: String(cString: localName), namespace: namespace.map { String(cString: $0) },
                    attributes: values)
        }
        handler.endElementNs = { userData, localName, _, _ in
            guard let userData, let localName else { return }
            Unmanaged<RDMLBuilder>.fromOpaque(userData).takeUnretainedValue().end(name: String(cString: localName))
        }
        handler.characters = { userData, characters, length in
            guard let userData, let characters else { return }
            Unmanaged<RDMLBuilder>.fromOpaque(userData).takeUnretainedValue()
                .characters(UnsafeBufferPointer(start: characters, count: Int(length)))
        }
        handler.cdataBlock = handler.characters
        handler.serror = { _, _ in }  // errors are read from the context afterwards, never printed
        context.pointee.sax.pointee = handler
        context.pointee.userData = Unmanaged.passUnretained(builder).toOpaque()
        builder.context = context
        defer { builder.context = nil }
        let status = xmlParseDocument(context)
        guard status != 0 || context.pointee.wellFormed == 0 else { return nil }
        guard let error = xmlCtxtGetLastError(UnsafeMutableRawPointer(context)) else { return ("libxml2 error", 0, 0) }
        let message =
            error.pointee.message.map { String(cString: $0).trimmingCharacters(in: .whitespacesAndNewlines) }
            ?? "libxml2 error \(error.pointee.code)"
        return (message, Int(error.pointee.line), Int(error.pointee.int2))
    }

    /// Duplicate ids and references to samples or targets the document does not define.
    static func crossReferenceErrors(_ document: RDMLDocument, displayPath: String) -> [InputError] {
        var errors: [InputError] = []
        let sampleIDs = Set(document.samples.map(\.id))
        let targetIDs = Set(document.targets.map(\.id))
        for run in document.runs {
            var seen: [String: Int] = [:]
            for reaction in run.reactions {
                if let line = seen[reaction.id] {
                    errors.append(
                        InputError(
                            .duplicateIdentifier, at: reaction.location,
                            "reaction id '\(reaction.id)' appears twice in run '\(run.id)' (first on line \(line))",
                            hint: "each reaction of a run needs its own id"))
                } else {
                    seen[reaction.id] = reaction.location.line
                }
                if !sampleIDs.contains(reaction.sample) {
                    errors.append(
                        InputError(
                            .danglingReference, at: reaction.location,
                            "reaction '\(reaction.id)' refers to sample \(InputError.quoted(reaction.sample)), which the file does not define",
                            hint: EditDistance.didYouMean(reaction.sample, in: sampleIDs)))
                }
                for data in reaction.data where !targetIDs.contains(data.target) {
                    errors.append(
                        InputError(
                            .danglingReference, at: data.location,
                            "reaction '\(reaction.id)' refers to target \(InputError.quoted(data.target)), which the file does not define",
                            hint: EditDistance.didYouMean(data.target, in: targetIDs)))
                }
            }
        }
        return errors
    }
}
