/// A self-contained HTML page: inline CSS, inline SVG, no network requests, and no script but ExoScope's own
/// ``sortScript`` (only on pages with a sortable table).
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
        html += "</main>"
        if sections.contains(where: { $0.body.contains("<table class=\"sortable\">") }) {
            html += "<script id=\"\(Self.sortScriptID)\">\(Self.sortScript)</script>"
        }
        return html + "</body></html>\n"
    }

    /// The `id` of the page's one `<script>` element.
    package static let sortScriptID = "exoscope-sort-tables"

    /// Sorts a table marked `sortable` by the column whose header is clicked; a second click reverses the order.
    ///
    /// A column whose every non-missing cell starts with a number ("−" read as a minus; "1.5e9", "12 %", "0.81–0.93"
    /// by their first number) sorts numerically, any other by text with digits compared as numbers ("MT2" before
    /// "MT10"). Missing cells ("", "–", "—", "NA") go last in either direction; ties keep the table's order.
    /// Rows are only reordered, never hidden, so a printed page still shows every row. No external asset, no
    /// `eval`, no markup built from cell text.
    package static let sortScript = #"""
        (function () {
        "use strict";
        var missing = ["", "\u2013", "\u2014", "NA", "nan"];
        var number = /^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?/i;
        function key(row, column) {
          var cell = row.cells[column];
          var text = cell ? cell.textContent.trim().replace(/\u2212/g, "-") : "";
          var match = number.exec(text);
          return { text: text, missing: missing.indexOf(text) >= 0, value: match ? parseFloat(match[0]) : NaN };
        }
        document.querySelectorAll("table.sortable").forEach(function (table) {
          var headers = table.querySelectorAll("thead th");
          headers.forEach(function (header, column) {
            header.title = "Sort by this column";
            header.addEventListener("click", function () {
              var body = table.tBodies[0];
              var rows = Array.prototype.slice.call(body.rows).map(function (row, index) {
                return { row: row, index: index, key: key(row, column) };
              });
              var numeric = rows.every(function (entry) { return entry.key.missing || !isNaN(entry.key.value); });
              var sign = header.getAttribute("aria-sort") === "ascending" ? -1 : 1;
              headers.forEach(function (other) { other.removeAttribute("aria-sort"); });
              header.setAttribute("aria-sort", sign === 1 ? "ascending" : "descending");
              rows.sort(function (a, b) {
                if (a.key.missing !== b.key.missing) { return a.key.missing ? 1 : -1; }
                var order = a.key.missing ? 0 : numeric ? a.key.value - b.key.value
                  : a.key.text.localeCompare(b.key.text, undefined, { numeric: true });
                return order !== 0 ? sign * order : a.index - b.index;
              });
              rows.forEach(function (entry) { body.appendChild(entry.row); });
            });
          });
        });
        })();
        """#

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
        code{background:#f0f3f7;padding:0 .2rem;border-radius:3px}table.sortable th{cursor:pointer}
        th[aria-sort=ascending]::after{content:" \\25B2"}th[aria-sort=descending]::after{content:" \\25BC"}
        @media print{body{background:#fff}nav{display:none}main{padding:0;max-width:none}
        section{box-shadow:none;padding:0;margin:0 0 1rem}.scroll{max-height:none;overflow:visible}
        thead{display:table-header-group}tr,figure{break-inside:avoid}}
        """
}
