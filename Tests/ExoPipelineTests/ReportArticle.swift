import Foundation

/// The `<article id="…">` element of a report page, through its closing tag; `nil` when the page has none.
func reportArticle(_ id: String, in html: String) -> String? {
    guard let start = html.range(of: "<article id=\"\(id)\"") else { return nil }
    let page = html[start.lowerBound...]
    return String(page[..<(page.range(of: "</article>")?.upperBound ?? page.endIndex)])
}
