import CLibXML2
package import ExoCore
package import Foundation

/// Receives the events of an ``XMLEventParser`` while the XML streams past.
package protocol XMLEventHandler: AnyObject {
    /// A start tag: its local name, its namespace URI and its attributes (by local name).
    func start(name: String, namespace: String?, attributes: [String: String])
    /// An end tag, by local name.
    func end(name: String)
    /// Character data of the current element, in UTF-8; one text may arrive in several pieces.
    func characters(_ bytes: UnsafeBufferPointer<UInt8>)
}

/// Streams an XML document through libxml2's SAX2 push parser, the one XML reader of ExoFormats (RDML,
/// `.xlsx`).
///
/// The document is fed in chunks of at most ``defaultChunkSize`` bytes, so no size reaches libxml2's
/// `Int32` arguments whatever the document's length, and no index of the document is built: positions come
/// from libxml2's own line and column counters and a look back from the parser's cursor. Hostile XML is
/// refused, not interpreted:
/// - no DTD is ever loaded and no network is used (no external entities, no XXE);
/// - any entity declaration (`<!ENTITY …>`, which billion-laughs and XXE need and RDML and OOXML never
///   use) stops the parse with an error;
/// - a reference to an entity that is not declared — which libxml2 only warns about, and drops, when the
///   document names an external DTD — is an error too, so `9&junk;500` never reads as `9500`.
/// The five predefined entities (`&amp;`, `&lt;` …) and character references are read as usual.
package final class XMLEventParser {
    /// Why the parse stopped before the document's end.
    package enum Failure {
        /// The document uses an entity feature ExoScope refuses; the error says where and why.
        case refused(InputError)
        /// libxml2 found the document not well formed.
        case notWellFormed(message: String, line: Int, column: Int)
    }

    /// Bytes fed to libxml2 per call.
    package static let defaultChunkSize = 1 << 20

    /// The path shown in locations (`file.rdml!rdml_data.xml`).
    let displayPath: String
    private let xml: Data
    private var context: xmlParserCtxtPtr?
    private var handler: (any XMLEventHandler)?
    private var refusal: InputError?

    /// Prepares to parse `xml`.
    package init(xml: Data, displayPath: String) {
        self.xml = xml
        self.displayPath = displayPath
    }

    /// Parses the whole document, sending its events to `handler`.
    ///
    /// - Parameters:
    ///   - handler: receives the events; it may call ``stop()``.
    ///   - chunkSize: bytes per libxml2 call (tests use small ones to cross every boundary).
    /// - Returns: why the parse failed, or `nil` when the document is well formed.
    /// - Complexity: O(n) in the document's length; memory beyond the document is libxml2's buffer of
    ///   about one chunk plus the longest tag.
    package func parse(handler: any XMLEventHandler, chunkSize: Int = defaultChunkSize) -> Failure? {
        precondition(chunkSize > 0 && chunkSize <= Int(Int32.max), "chunk size \(chunkSize) out of range")
        var sax = Self.saxHandler()
        let opaque = Unmanaged.passUnretained(self).toOpaque()
        guard let context = xmlCreatePushParserCtxt(&sax, opaque, nil, 0, nil) else {
            return .notWellFormed(message: "libxml2 could not start", line: 0, column: 0)
        }
        // No XML_PARSE_NOENT (entities are never substituted), no DTDLOAD; HUGE lifts the limit on one text
        // node (chip runs put megabytes on one line), which is safe because entities are refused.
        _ = xmlCtxtUseOptions(context, Int32(XML_PARSE_HUGE.rawValue | XML_PARSE_NONET.rawValue))
        self.context = context
        self.handler = handler
        defer {
            self.context = nil
            self.handler = nil
            xmlFreeParserCtxt(context)
        }
        xml.withUnsafeBytes { buffer in
            let base = buffer.baseAddress?.assumingMemoryBound(to: CChar.self)
            var offset = 0
            repeat {
                let length = min(chunkSize, buffer.count - offset)
                let isLast = offset + length == buffer.count
                _ = xmlParseChunk(context, base.map { $0 + offset }, Int32(length), isLast ? 1 : 0)
                offset += length
                if refusal != nil || context.pointee.instate == XML_PARSER_EOF { break }
            } while offset < buffer.count
        }
        if let refusal { return .refused(refusal) }
        guard context.pointee.wellFormed == 0 else { return nil }
        guard let error = xmlCtxtGetLastError(UnsafeMutableRawPointer(context)) else {
            return .notWellFormed(message: "libxml2 error", line: 0, column: 0)
        }
        let message =
            error.pointee.message.map { String(cString: $0).trimmingCharacters(in: .whitespacesAndNewlines) }
            ?? "libxml2 error \(error.pointee.code)"
        return .notWellFormed(message: message, line: Int(error.pointee.line), column: Int(error.pointee.int2))
    }

    /// Asks libxml2 to stop after a problem that makes the rest of the document meaningless.
    func stop() {
        if let context { xmlStopParser(context) }
    }

    /// The parser's position: after the start tag just read, or where an element's text begins.
    func here() -> InputLocation {
        guard let context else { return InputLocation(path: displayPath) }
        let opaque = UnsafeMutableRawPointer(context)
        return InputLocation(
            path: displayPath, line: Int(xmlSAX2GetLineNumber(opaque)), column: Int(xmlSAX2GetColumnNumber(opaque)))
    }

    /// The position of the `<` that opens the element whose start tag the parser just read.
    ///
    /// The whole start tag is in libxml2's buffer while its callback runs, so the `<` is found by looking
    /// back from the cursor over the tag only. Columns count characters, as libxml2's do.
    func elementStart() -> InputLocation {
        let position = here()
        guard let input = context?.pointee.input?.pointee, let base = input.base, let cursor = input.cur,
            cursor > base
        else { return position }
        var open = cursor - 1
        while open > base, open.pointee != UInt8(ascii: "<") { open -= 1 }
        guard open.pointee == UInt8(ascii: "<") else { return position }
        let tag = UnsafeBufferPointer(start: open, count: cursor - open)
        let newlines = tag.reduce(0) { $0 + ($1 == 0x0A ? 1 : 0) }
        if newlines == 0 {
            return InputLocation(
                path: displayPath, line: position.line, column: (position.column ?? 1) - Self.characterCount(tag))
        }
        // The tag spans lines: its column is counted from the newline before it, in the buffer when it is
        // still there, otherwise in the document (each line is looked through at most once this way).
        var lineStart = open
        while lineStart > base, (lineStart - 1).pointee != 0x0A { lineStart -= 1 }
        var column: Int?
        if lineStart > base || input.consumed == 0 {
            column = Self.characterCount(UnsafeBufferPointer(start: lineStart, count: open - lineStart)) + 1
        } else if input.buf?.pointee.encoder == nil {
            column = documentColumn(atOffset: Int(input.consumed) + (open - base))
        }
        return InputLocation(path: displayPath, line: position.line - newlines, column: column)
    }

    /// The column of the byte at `offset` of the document, when that byte is a `<` (a check that libxml2's
    /// count of consumed bytes means what this reader assumes).
    private func documentColumn(atOffset offset: Int) -> Int? {
        xml.withUnsafeBytes { buffer -> Int? in
            let bytes = buffer.bindMemory(to: UInt8.self)
            guard offset < bytes.count, bytes[offset] == UInt8(ascii: "<") else { return nil }
            var start = offset
            while start > 0, bytes[start - 1] != 0x0A { start -= 1 }
            return Self.characterCount(UnsafeBufferPointer(rebasing: bytes[start..<offset])) + 1
        }
    }

    /// UTF-8 characters in `bytes` (bytes that are not continuation bytes).
    private static func characterCount(_ bytes: UnsafeBufferPointer<UInt8>) -> Int {
        bytes.reduce(0) { $0 + ($1 & 0xC0 == 0x80 ? 0 : 1) }
    }

    /// Records the first refused construct and stops the parse.
    private func refuse(_ message: String) {
        guard refusal == nil else { return }
        refusal = InputError(
            .malformedXML, at: here(), message,
            hint:
                "ExoScope reads only the predefined XML entities (&amp; &lt; &gt; &quot; &apos;) and character references; it never loads DTDs or external entities"
        )
        stop()
    }

    private static func parser(_ userData: UnsafeMutableRawPointer) -> XMLEventParser {
        Unmanaged<XMLEventParser>.fromOpaque(userData).takeUnretainedValue()
    }

    private static func string(_ text: UnsafePointer<xmlChar>?) -> String {
        text.map { String(cString: $0) } ?? ""
    }

    /// The SAX2 callbacks: elements and text go to the handler; every entity construct is refused; nothing
    /// else (DTD subsets, processing instructions, comments) is acted on.
    private static func saxHandler() -> xmlSAXHandler {
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
                    else { continue }
                    values[String(cString: name)] = String(
                        decoding: UnsafeBufferPointer(start: start, count: end - start), as: UTF8.self)
                }
            }
            XMLEventParser.parser(userData).handler?.start(
                name: String(cString: localName), namespace: namespace.map { String(cString: $0) },
                attributes: values)
        }
        handler.endElementNs = { userData, localName, _, _ in
            guard let userData, let localName else { return }
            XMLEventParser.parser(userData).handler?.end(name: String(cString: localName))
        }
        handler.characters = { userData, characters, length in
            guard let userData, let characters else { return }
            XMLEventParser.parser(userData).handler?.characters(
                UnsafeBufferPointer(start: characters, count: Int(length)))
        }
        handler.cdataBlock = handler.characters
        handler.entityDecl = { userData, name, _, _, _, _ in
            guard let userData else { return }
            XMLEventParser.parser(userData).refuse(
                "the XML declares the entity \(InputError.quoted(XMLEventParser.string(name))); entity declarations are refused"
            )
        }
        handler.unparsedEntityDecl = { userData, name, _, _, _ in
            guard let userData else { return }
            XMLEventParser.parser(userData).refuse(
                "the XML declares the entity \(InputError.quoted(XMLEventParser.string(name))); entity declarations are refused"
            )
        }
        handler.reference = { userData, name in
            guard let userData else { return }
            XMLEventParser.parser(userData).refuse(
                "the XML refers to the undeclared entity '&\(XMLEventParser.string(name));'")
        }
        handler.serror = { _, _ in }  // errors are read from the context afterwards, never printed
        return handler
    }
}
