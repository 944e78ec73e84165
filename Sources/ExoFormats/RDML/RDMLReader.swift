public import ExoCore
public import Foundation

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
    /// An archive's entry is inflated with ``ZipEntryReader``'s cap and CRC-32 check, and the XML is parsed
    /// with ``XMLEventParser``'s refusal of entity declarations, undeclared entities and external DTDs.
    ///
    /// - Parameters:
    ///   - data: the archive or XML bytes.
    ///   - displayPath: the path as shown in messages.
    ///   - maximumInflatedBytes: the cap on the XML entry's inflated size; `nil` for
    ///     `EXOSCOPE_MAX_INFLATED_BYTES` or the 512 MiB default (``ZipEntryReader``).
    /// - Returns: the document.
    /// - Throws: `InputErrorList`, as ``read(url:displayPath:)``, and `archiveTooLarge` or
    ///   `checksumMismatch` for an archive entry.
    public static func read(data: Data, displayPath: String, maximumInflatedBytes: Int? = nil)
        throws(InputErrorList) -> RDMLDocument
    {
        let fileLocation = InputLocation(path: displayPath)
        if data.starts(with: [0x50, 0x4B]) {
            let extracted: (entry: String, xml: Data)
            do {
                extracted = try extractXML(
                    from: data, displayPath: displayPath, maximumInflatedBytes: maximumInflatedBytes)
            } catch {
                throw InputErrorList([error])
            }
            return try parse(xml: extracted.xml, path: displayPath, entry: extracted.entry)
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

    /// The XML entry of an RDML archive and its content.
    ///
    /// The entry is `rdml_data.xml` when present, otherwise the only `.xml` entry whose root element is
    /// `rdml` (Bio-Rad names it after the run); other entries are only sniffed, never inflated whole.
    static func extractXML(from data: Data, displayPath: String, maximumInflatedBytes: Int?) throws(InputError)
        -> (String, Data)
    {
        let archive: ZipEntryReader
        do {
            archive = try ZipEntryReader(
                data: data, displayPath: displayPath, maximumInflatedBytes: maximumInflatedBytes)
        } catch  where error.kind == .malformedArchive {
            throw InputError(
                error.kind, at: error.location, error.message,
                hint: "export the run again; an RDML file is a zip archive holding rdml_data.xml")
        }
        let names = archive.entryNames
        var candidates = names.filter { $0 == "rdml_data.xml" }
        if candidates.isEmpty {
            candidates = names.filter { $0.lowercased().hasSuffix(".xml") }
        }
        for name in candidates {
            if candidates.count > 1, try Self.rootElementName(archive.prefix(of: name, count: 4096)) != "rdml" {
                continue
            }
            return (name, try archive.data(of: name))
        }
        throw InputError(
            .missingEntry, at: InputLocation(path: displayPath),
            "the archive holds no RDML document (expected rdml_data.xml; found \(names.isEmpty ? "no entries" : names.map { "'\($0)'" }.joined(separator: ", ")))",
            hint: "an RDML file is a zip archive holding rdml_data.xml")
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
        let builder = RDMLBuilder(path: path, entry: entry, displayPath: displayPath)
        let parser = XMLEventParser(xml: xml, displayPath: displayPath)
        builder.parser = parser
        let failure = parser.parse(handler: builder)
        if case .refused(let error) = failure { throw InputErrorList([error]) }
        if builder.fatal == nil, !builder.isComplete, case .notWellFormed(let message, let line, let column) = failure {
            throw InputErrorList([
                InputError(
                    .malformedXML, at: InputLocation(path: displayPath, line: line, column: column),
                    "the XML is not well formed (\(message))",
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
