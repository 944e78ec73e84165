import ExoTestSupport
import Foundation
import Testing

/// Headless Chromium, when installed.
enum Chromium {
    /// `chromium` (Debian), `chromium-browser` or `google-chrome` on the `PATH`.
    static let executable: URL? = {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for name in ["chromium", "chromium-browser", "google-chrome"] {
            for folder in path.split(separator: ":") {
                let url = URL(fileURLWithPath: String(folder)).appendingPathComponent(name)
                if FileManager.default.isExecutableFile(atPath: url.path) { return url }
            }
        }
        return nil
    }()

    /// The DOM of `page` after it loaded and ran for three seconds of virtual time, as Chromium serialises it.
    static func dumpDOM(_ page: URL) throws -> String {
        let executable = try #require(executable)
        let profile = try Fixture.temporaryDirectory("exoscope-chromium")
        defer { try? FileManager.default.removeItem(at: profile) }
        let result = try CommandResult.run(
            URL(fileURLWithPath: "/usr/bin/timeout"),
            [
                "60", executable.path, "--headless", "--no-sandbox", "--disable-gpu", "--virtual-time-budget=3000",
                "--user-data-dir=\(profile.path)", "--dump-dom", page.absoluteString,
            ])
        try #require(result.status == 0, "chromium exited \(result.status): \(result.standardError.suffix(2000))")
        return result.standardOutput
    }

    /// The id of the element whose text ``evaluate(_:in:)`` reads.
    static let resultID = "exoscope-test-result"

    /// Runs `script` at the end of a copy of `html` (after the page's own scripts) and returns the text it left
    /// in `<pre id="exoscope-test-result">`; the script must create that element.
    static func evaluate(_ script: String, in html: String) throws -> String {
        let folder = try Fixture.temporaryDirectory("exoscope-chromium-page")
        defer { try? FileManager.default.removeItem(at: folder) }
        let end = try #require(html.range(of: "</body>", options: .backwards), "the page has no </body>")
        let page = folder.appendingPathComponent("page.html")
        try Data((html[..<end.lowerBound] + "<script>\(script)</script>" + html[end.lowerBound...]).utf8).write(
            to: page)
        let dom = try dumpDOM(page)
        let start = try #require(
            dom.range(of: "<pre id=\"\(resultID)\">"), "the script left no result: \(dom.suffix(2000))")
        let close = try #require(dom.range(of: "</pre>", range: start.upperBound..<dom.endIndex))
        // Chromium serialises text with &amp;, &lt;, &gt; and &nbsp; escaped.
        return String(dom[start.upperBound..<close.lowerBound]).replacingOccurrences(of: "&lt;", with: "<")
            .replacingOccurrences(of: "&gt;", with: ">").replacingOccurrences(of: "&nbsp;", with: "\u{00A0}")
            .replacingOccurrences(of: "&amp;", with: "&")
    }
}
