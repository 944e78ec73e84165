import ExoFormats
import ExoReport
import ExoTestSupport
import Foundation
import Testing

/// Issue 14: report.html and the release certificate carry hostile text in every field as text, and no script in
/// it runs when a browser opens them; the only script a page may hold is ExoScope's own table sorter, recognised by
/// its id and the SHA-256 of its text (issue 15).
///
/// The pages are written once (``HostileStudy``) and checked twice: by a strict reading of the markup ExoScope
/// wrote, and by headless Chromium, whose DOM after three seconds of virtual time is read the same way.
struct HostileReportTests {
    static let written = Task { try await HostileStudy.write() }

    @Test func everyPayloadIsTextAndNoElementOrHandlerIsInjected() async throws {
        for page in try await Self.written.value.pages {
            let scan = MarkupScan(try String(contentsOf: page.url, encoding: .utf8))
            let problems = scan.problems
            #expect(problems.isEmpty, "\(page.name): \(problems.prefix(10))")
            #expect(scan.escapedTwice.isEmpty, "\(page.name) shows escaped markup as text: \(scan.escapedTwice)")
            let lost = page.payloads.filter { !scan.contains($0.text) }.map(\.description)
            #expect(lost.isEmpty, "\(page.name) lost these fields as text: \(lost)")
        }
    }

    /// ExoScope's script passes only as itself: its id, its text to the byte, once.
    ///
    /// Any other script, a handler attribute or a `javascript:` link is still found.
    @Test func onlyExoScopesOwnScriptIsAllowed() throws {
        func problems(_ body: String) -> [String] { MarkupScan("<html><body>\(body)</body></html>").problems }
        let own = "<script id=\"\(ReportPage.sortScriptID)\">\(ReportPage.sortScript)</script>"
        #expect(FileDigest.sha256Hex(Array(ReportPage.sortScript.utf8)) == MarkupScan.exoscopeScript.sha256)
        #expect(ReportPage.sortScriptID == MarkupScan.exoscopeScript.id)
        #expect(problems(own).isEmpty)
        #expect(problems(own + own) == ["ExoScope's script a second time"])
        #expect(
            problems("<script id=\"\(ReportPage.sortScriptID)\">\(ReportPage.sortScript);alert(1)</script>").count == 1)
        #expect(
            problems("<script id=\"\(ReportPage.sortScriptID)\" x=\"1\">\(ReportPage.sortScript)</script>").count == 1)
        #expect(problems("<script>\(ReportPage.sortScript)</script>").count == 1)
        #expect(problems("<script>alert(1)</script>").count == 1)
        #expect(problems("<p onclick=\"alert(1)\">x</p>").count == 1)
        #expect(problems("<a href=\"javascript:alert(1)\">x</a>").count == 1)
        #expect(problems("<svg><a href=\"#p\">x</a></svg>").isEmpty)
    }

    @Test(
        .enabled(
            if: Chromium.executable != nil,
            "chromium is not installed (apt-get install chromium): the pages were not rendered in a browser"))
    func noScriptRunsWhenChromiumRendersThePages() async throws {
        for page in try await Self.written.value.pages {
            let dom = try Chromium.dumpDOM(page.url)
            let scan = MarkupScan(dom)
            let root = try #require(scan.elements.first { $0.name == "html" }, "\(page.name): Chromium printed \(dom)")
            let marks = root.attributes.filter { $0.name == "data-pwned" }.map(\.value)
            let ran = Set(marks.flatMap { $0.split(separator: "-").compactMap { Int($0) } }).sorted()
            let fields = ran.map { number in page.payloads.first { $0.number == number }?.description ?? "\(number)" }
            #expect(marks.isEmpty, "\(page.name): scripts ran from fields \(fields)")
            let problems = scan.problems
            #expect(problems.isEmpty, "\(page.name) in Chromium: \(problems.prefix(10))")
            let lost = page.payloads.filter { !scan.contains($0.text) }.map(\.description)
            #expect(lost.isEmpty, "\(page.name) in Chromium lost these fields as text: \(lost)")
        }
    }
}

/// A strict reading of an HTML page as ExoScope writes it and as Chromium serialises its DOM: start tags with
/// quoted attributes, end tags, text with character references, `<style>` as raw text.
///
/// Whatever a hostile string could have turned into is a problem: a `<` that starts no tag, an unquoted or
/// strangely named attribute, an element that loads or runs something (`script`, `img`, `iframe`, …), an event
/// handler attribute, an `href` that is not a fragment, a `src`, a character reference ExoScope does not write. The one
/// script allowed is ExoScope's table sorter, exactly (``exoscopeScript``).
struct MarkupScan {
    struct Element {
        let name: String
        let attributes: [(name: String, value: String)]
    }

    private(set) var elements: [Element] = []
    /// The page's character data, decoded and concatenated.
    private(set) var text = ""
    private(set) var problems: [String] = []

    static let forbiddenElements: Set<String> = [
        "script", "img", "image", "iframe", "frame", "frameset", "object", "embed", "base", "link", "form", "input",
        "button", "textarea", "select", "audio", "video", "source", "use", "foreignobject", "animate", "set",
        "template", "math", "noscript",
    ]
    static let forbiddenAttributes: Set<String> = [
        "src", "srcdoc", "srcset", "formaction", "action", "xlink:href", "background", "autofocus", "tabindex",
        "contenteditable", "http-equiv",
    ]

    init(_ html: String) {
        let scalars = Array(html.unicodeScalars)
        var index = 0
        var textRun = String.UnicodeScalarView()
        func flushText() {
            text += decode(String(textRun))
            textRun = String.UnicodeScalarView()
        }
        while index < scalars.count {
            let scalar = scalars[index]
            guard scalar == "<" else {
                textRun.append(scalar)
                index += 1
                continue
            }
            flushText()
            let next = index + 1 < scalars.count ? scalars[index + 1] : " "
            if next == "!" {
                index = Self.skip(past: Self.starts(scalars, index, "<!--") ? "-->" : ">", scalars, index)
            } else if next == "/" {
                index = Self.skip(past: ">", scalars, index)
            } else if next.isASCII && next.properties.isAlphabetic {
                index = readTag(scalars, from: index + 1)
            } else {
                problems.append("a '<' that starts no tag: \(Self.context(scalars, index))")
                textRun.append(scalar)
                index += 1
            }
        }
        flushText()
    }

    /// Reads a start tag from its name; returns the index after it (after the raw text of a `<style>`).
    private mutating func readTag(_ scalars: [Unicode.Scalar], from start: Int) -> Int {
        var index = start
        func isNameScalar(_ scalar: Unicode.Scalar) -> Bool {
            scalar.isASCII && (scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) || scalar == "-")
        }
        while index < scalars.count, isNameScalar(scalars[index]) { index += 1 }
        let name = String(String.UnicodeScalarView(scalars[start..<index])).lowercased()
        var attributes: [(name: String, value: String)] = []
        while index < scalars.count {
            while index < scalars.count, scalars[index].properties.isWhitespace { index += 1 }
            guard index < scalars.count, scalars[index] != ">" else { break }
            if scalars[index] == "/" {
                index += 1
                continue
            }
            let nameStart = index
            while index < scalars.count, !scalars[index].properties.isWhitespace,
                !["=", ">", "/"].contains(scalars[index])
            {
                index += 1
            }
            let attribute = String(String.UnicodeScalarView(scalars[nameStart..<index]))
            var value = ""
            if index < scalars.count, scalars[index] == "=" {
                index += 1
                let quote = index < scalars.count ? scalars[index] : " "
                if quote == "\"" || quote == "'" {
                    let valueStart = index + 1
                    index = valueStart
                    while index < scalars.count, scalars[index] != quote { index += 1 }
                    value = decode(String(String.UnicodeScalarView(scalars[valueStart..<min(index, scalars.count)])))
                    index += 1
                } else {
                    problems.append("unquoted value of \(attribute) in <\(name)>: \(Self.context(scalars, index))")
                    while index < scalars.count, !scalars[index].properties.isWhitespace, scalars[index] != ">" {
                        index += 1
                    }
                }
            }
            check(attribute: attribute, value: value, of: name)
            attributes.append((attribute, value))
        }
        if Self.forbiddenElements.contains(name), name != "script" { problems.append("a <\(name)> element") }
        elements.append(Element(name: name, attributes: attributes))
        index += 1
        if name == "style" || name == "script" {
            let end = Self.find("</\(name)", scalars, from: index) ?? scalars.count
            let content = String(String.UnicodeScalarView(scalars[index..<end]))
            if name == "style" { text += content }
            if name == "script" { checkScript(attributes: attributes, content: content) }
            return end
        }
        return index
    }

    /// The id and SHA-256 of the one script ExoScope writes (`ReportPage.sortScript`, which sorts long tables).
    ///
    /// Pinned here, not read from ExoReport, so that a change to the script fails this test until its new text has
    /// been reviewed and its digest written here (`sha256sum` of the script's text).
    static let exoscopeScript = (
        id: "exoscope-sort-tables", sha256: "0224f0fd9adf5e98ce13bb00bf0f3dfd5a0bbf02e8ca3dbc50b99adb0ef3b798"
    )

    /// Any script is a problem, except one: ExoScope's own, with exactly its id and exactly its text, once.
    private mutating func checkScript(attributes: [(name: String, value: String)], content: String) {
        let digest = FileDigest.sha256Hex(Array(content.utf8))
        let isExoScopes =
            attributes.count == 1 && attributes[0].name == "id" && attributes[0].value == Self.exoscopeScript.id
            && digest == Self.exoscopeScript.sha256
        if !isExoScopes {
            let shown = attributes.map { "\($0.name)=\"\($0.value)\"" }.joined(separator: " ")
            problems.append("a <script \(shown)> element (SHA-256 \(digest.prefix(16))…): \(content.prefix(80))")
        } else if elements.filter({ $0.name == "script" }).count > 1 {
            problems.append("ExoScope's script a second time")
        }
    }

    /// Character references left in the decoded text: markup escaped twice (no payload holds `&`).
    var escapedTwice: [String] {
        ["&lt;", "&gt;", "&quot;", "&#39;", "&amp;"].filter { text.contains($0) }
    }

    /// Whether the character data holds `needle`, scalar for scalar (a payload's first scalar may be a prepend
    /// scalar, so `Character` boundaries would not do).
    func contains(_ needle: String) -> Bool {
        Data(text.utf8).range(of: Data(needle.utf8)) != nil
    }

    private mutating func check(attribute: String, value: String, of element: String) {
        let lower = attribute.lowercased()
        if lower.isEmpty || !lower.unicodeScalars.allSatisfy({ $0.isASCII && !["'", "\"", "<", "&"].contains($0) }) {
            problems.append("an attribute named '\(attribute)' on <\(element)>")
        } else if lower.hasPrefix("on") {
            problems.append("an event handler \(attribute)=\"\(value)\" on <\(element)>")
        } else if Self.forbiddenAttributes.contains(lower) {
            problems.append("\(attribute)=\"\(value)\" on <\(element)>")
        } else if lower == "href", !value.hasPrefix("#") {
            problems.append("a link to \(value) on <\(element)>")
        } else if lower == "style", ["url(", "expression", "javascript"].contains(where: value.lowercased().contains) {
            problems.append("style=\"\(value)\" on <\(element)>")
        }
    }

    /// Text with its character references replaced, read by scalar (a combining mark after `;` must not hide it);
    /// an unknown reference is a problem.
    private mutating func decode(_ raw: String) -> String {
        guard raw.contains("&") else { return raw }
        let named: [String: String] = ["amp": "&", "lt": "<", "gt": ">", "quot": "\"", "apos": "'", "nbsp": "\u{00A0}"]
        let scalars = Array(raw.unicodeScalars)
        var result = String.UnicodeScalarView()
        var index = 0
        while index < scalars.count {
            guard scalars[index] == "&" else {
                result.append(scalars[index])
                index += 1
                continue
            }
            guard let semicolon = (index + 1..<min(scalars.count, index + 10)).first(where: { scalars[$0] == ";" })
            else {
                problems.append("a bare '&': \(Self.context(scalars, index))")
                result.append("&")
                index += 1
                continue
            }
            let entity = String(String.UnicodeScalarView(scalars[index + 1..<semicolon]))
            if let replacement = named[entity] {
                result.append(contentsOf: replacement.unicodeScalars)
            } else if entity.hasPrefix("#"), let value = Self.codePoint(entity.dropFirst()),
                let scalar = Unicode.Scalar(value)
            {
                result.append(scalar)
            } else {
                problems.append("an unknown character reference &\(entity);")
            }
            index = semicolon + 1
        }
        return String(result)
    }

    private static func codePoint(_ digits: Substring) -> UInt32? {
        digits.hasPrefix("x") || digits.hasPrefix("X") ? UInt32(digits.dropFirst(), radix: 16) : UInt32(digits)
    }

    private static func starts(_ scalars: [Unicode.Scalar], _ index: Int, _ prefix: String) -> Bool {
        let prefix = Array(prefix.unicodeScalars)
        return index + prefix.count <= scalars.count && Array(scalars[index..<index + prefix.count]) == prefix
    }

    private static func find(_ needle: String, _ scalars: [Unicode.Scalar], from start: Int) -> Int? {
        (start..<max(start, scalars.count)).first { starts(scalars, $0, needle) }
    }

    private static func skip(past end: String, _ scalars: [Unicode.Scalar], _ index: Int) -> Int {
        (find(end, scalars, from: index) ?? scalars.count) + end.unicodeScalars.count
    }

    private static func context(_ scalars: [Unicode.Scalar], _ index: Int) -> String {
        String(String.UnicodeScalarView(scalars[max(0, index - 30)..<min(scalars.count, index + 50)]))
    }
}
