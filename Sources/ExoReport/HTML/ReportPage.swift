/// A self-contained HTML page: inline CSS, inline SVG, no scripts or network requests.
public struct ReportPage: Sendable {
    /// One section with an anchor for the table of contents.
    public struct Section: Sendable {
        /// The anchor; may hold user text (a lot id), escaped where it is written into `id` and `href`.
        public var id: String
        public var title: String
        /// Trusted HTML built with ``HTML`` helpers and SVG plots.
        public var body: String

        /// Creates a section.
        public init(id: String, title: String, body: String) {
            self.id = id
            self.title = title
            self.body = body
        }
    }

    public var title: String
    public var subtitle: String
    public var sections: [Section]

    /// Creates a page.
    public init(title: String, subtitle: String, sections: [Section]) {
        self.title = title
        self.subtitle = subtitle
        self.sections = sections
    }

    /// The whole document.
    public func render() -> String {
        var html = """
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>\(HTML.escape(title))</title>
            <style>\(Self.css)</style></head><body>
            <header><h1>\(HTML.escape(title))</h1><p class="subtitle">\(HTML.escape(subtitle))</p></header>
            <nav><ol>
            """
        for section in sections {
            html += "<li><a href=\"#\(HTML.escape(section.id))\">\(HTML.escape(section.title))</a></li>"
        }
        html += "</ol></nav><main>"
        for section in sections {
            html +=
                "<section id=\"\(HTML.escape(section.id))\"><h2>\(HTML.escape(section.title))</h2>\(section.body)</section>"
        }
        return html + "</main></body></html>\n"
    }

    static let css = """
        body{font-family:system-ui,-apple-system,'Segoe UI',sans-serif;margin:0;color:#1d2733;background:#f7f8fa}
        header{background:#16324f;color:#fff;padding:1.2rem 2rem}header h1{margin:0;font-size:1.5rem}
        .subtitle{margin:.3rem 0 0;opacity:.85}nav{padding:.5rem 2rem;background:#e8edf3}
        nav ol{margin:0;padding-left:0;display:flex;flex-wrap:wrap;gap:.4rem 1.5rem;list-style-position:inside}
        main{padding:1rem 2rem;max-width:1200px}section{background:#fff;border-radius:6px;padding:1rem 1.5rem;
        margin:1rem 0;box-shadow:0 1px 2px rgba(0,0,0,.08)}h2{margin-top:0;font-size:1.2rem;color:#16324f}
        table{border-collapse:collapse;font-size:.85rem;margin:.5rem 0}th,td{border-bottom:1px solid #dde3ea;
        padding:.25rem .6rem;text-align:left}th{background:#f0f3f7}.num{text-align:right;font-variant-numeric:tabular-nums}
        .plots{display:flex;flex-wrap:wrap;gap:1rem}figure{margin:0}figcaption{font-size:.8rem;color:#4a5866;max-width:420px}
        .note{font-size:.85rem;color:#4a5866}.ok{color:#1b7f3b}.warn{color:#a15c00}.scroll{max-height:420px;overflow:auto}
        code{background:#f0f3f7;padding:0 .2rem;border-radius:3px}
        @media print{body{background:#fff}nav{display:none}main{padding:0;max-width:none}
        section{box-shadow:none;padding:0;margin:0 0 1rem}.scroll{max-height:none;overflow:visible}
        thead{display:table-header-group}tr,figure{break-inside:avoid}}
        """
}
