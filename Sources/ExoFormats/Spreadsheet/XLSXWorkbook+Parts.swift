/// A reader of one XML part of a workbook, fed by an ``XMLEventParser``.
protocol XLSXPart: XMLEventHandler {
    /// The parser, for positions in messages.
    var parser: XMLEventParser? { get set }
}

/// Collects the text of the `<t>` elements it is told to keep.
class XLSXTextCollector {
    weak var parser: XMLEventParser?
    private var bytes: [UInt8] = []
    /// Whether character data is being kept (inside a `<t>` that counts).
    var isCollecting = false

    func characters(_ bytes: UnsafeBufferPointer<UInt8>) {
        if isCollecting { self.bytes.append(contentsOf: bytes) }
    }

    /// The text collected since the last call, which empties the collector.
    func takeText() -> String {
        defer { bytes.removeAll(keepingCapacity: true) }
        return String(decoding: bytes, as: UTF8.self)
    }
}

extension XLSXWorkbook {
    /// `xl/workbook.xml`: the sheets (name and relationship id) and the date system.
    final class WorkbookPart: XLSXTextCollector, XLSXPart {
        private(set) var sheets: [(name: String, relationship: String)] = []
        private(set) var uses1904Dates = false

        func start(name: String, namespace: String?, attributes: [String: String]) {
            switch name {
            case "sheet": sheets.append((attributes["name"] ?? "", attributes["id"] ?? ""))
            case "workbookPr": uses1904Dates = ["1", "true"].contains(attributes["date1904"] ?? "")
            default: break
            }
        }

        func end(name: String) {}
    }

    /// `xl/_rels/workbook.xml.rels`: where each relationship id points.
    final class RelationshipsPart: XLSXTextCollector, XLSXPart {
        private(set) var targets: [String: String] = [:]

        func start(name: String, namespace: String?, attributes: [String: String]) {
            if name == "Relationship", let id = attributes["Id"], let target = attributes["Target"] {
                targets[id] = target
            }
        }

        func end(name: String) {}
    }

    /// `xl/sharedStrings.xml`: each `<si>`'s text, rich-text runs joined, phonetic guides (`<rPh>`) left out.
    final class SharedStringsPart: XLSXTextCollector, XLSXPart {
        private(set) var strings: [String] = []
        private var inPhonetic = false

        func start(name: String, namespace: String?, attributes: [String: String]) {
            switch name {
            case "rPh": inPhonetic = true
            case "t": isCollecting = !inPhonetic
            default: break
            }
        }

        func end(name: String) {
            switch name {
            case "rPh": inPhonetic = false
            case "t": isCollecting = false
            case "si": strings.append(takeText())
            default: break
            }
        }
    }

    /// `xl/styles.xml`: the number format of each cell format (`cellXfs`) and the custom format codes.
    final class StylesPart: XLSXTextCollector, XLSXPart {
        private(set) var cellFormats: [Int] = []
        private var formatCodes: [Int: String] = [:]
        private var inCellFormats = false

        func start(name: String, namespace: String?, attributes: [String: String]) {
            switch name {
            case "numFmt":
                if let id = attributes["numFmtId"].flatMap({ Int($0) }) { formatCodes[id] = attributes["formatCode"] }
            case "cellXfs": inCellFormats = true
            case "xf" where inCellFormats: cellFormats.append(attributes["numFmtId"].flatMap { Int($0) } ?? 0)
            default: break
            }
        }

        func end(name: String) {
            if name == "cellXfs" { inCellFormats = false }
        }

        /// Whether a number format shows a date: the built-in date formats 14–17 and 22 (18–21 are times of
        /// day only, ECMA-376 part 1, 18.8.30), or a custom code that, outside quoted text, escapes and `[…]`
        /// sections, has `d` or `y`, or `m` without `h` or `s` (which would make it minutes).
        func isDate(numberFormat id: Int) -> Bool {
            if (14...17).contains(id) || id == 22 { return true }
            guard let code = formatCodes[id] else { return false }
            var letters = Set<Character>()
            var inQuote = false
            var inBracket = false
            var isEscaped = false
            for character in code.lowercased() {
                if isEscaped {
                    isEscaped = false
                } else if inQuote {
                    inQuote = character != "\""
                } else if inBracket {
                    inBracket = character != "]"
                } else {
                    switch character {
                    case "\"": inQuote = true
                    case "[": inBracket = true
                    case "\\", "_", "*": isEscaped = true
                    default: letters.insert(character)
                    }
                }
            }
            return letters.contains("d") || letters.contains("y")
                || (letters.contains("m") && !letters.contains("h") && !letters.contains("s"))
        }
    }
}
